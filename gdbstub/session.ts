// One connected debugger: acknowledgments and no-ack mode, dispatch through the handler
// table, the thread selections, and run control in all-stop mode — a resume owes gdb one stop
// reply, sent when the target reports its stop. Packets that arrive while the target runs
// (gdb's Ctrl-C aside) stop it first, as QEMU's stub does, and wait their turn; so does
// everything gdb sends while it attaches to a running machine. Nothing here blocks: handlers
// run to completion, the monitor's commands are awaited in order.
import type { DebugTarget, StopReason } from '../server/src/debug/target';
import { encodePacket, PacketParser, type FrameEvent } from './framing';
import { Errors, type HandlerContext, type Outcome, type SessionState } from './handler';
import { PACKET_HANDLERS, packetKey } from './packets/table';
import { formatStopReply } from './stop-reply';

/**
 * The most bytes a packet may have between `$` and `#` (announced as PacketSize): room for a
 * 8 KiB memory read or write per packet. Replies stay within it as well.
 */
export const PACKET_SIZE = 0x4000;

/** The byte stream to the debugger, as the session needs it. */
export interface Connection {
  write(bytes: Uint8Array): void;
  /** Ends the connection once everything written has been sent. */
  end(): void;
  /** Stops (true) or restarts reading: set while received packets wait for the target. */
  setPaused(paused: boolean): void;
}

export interface SessionOptions {
  readonly packetSize?: number;
  readonly log?: (line: string) => void;
}

/** A packet longer than PacketSize, in the queue where its reply belongs (no-ack mode). */
const OVERSIZE = Symbol('oversize');

export class GdbSession {
  readonly state: SessionState;
  private readonly context: HandlerContext;
  private readonly parser: PacketParser;
  private readonly log: (line: string) => void;
  private ackMode = true;
  private lastSent: Uint8Array | undefined;
  /** Received packets not handled yet (a queue: `pending[pendingHead]` is the next). */
  private pending: (string | typeof OVERSIZE)[] = [];
  private pendingHead = 0;
  /** A handler's promise (a monitor command) is pending. */
  private busy = false;
  private pumping = false;
  /** gdb resumed the target and waits for its stop reply. */
  private awaitingStop = false;
  private pauseRequested = false;
  private finished = false;
  /** The target exited: W is owed (sent at once, or after a pending monitor command's reply). */
  private exit: StopReason | undefined;
  /** shutdown() came while a handler was pending: end once it is done. */
  private closing = false;

  constructor(private readonly target: DebugTarget, private readonly connection: Connection, options: SessionOptions = {}) {
    const packetSize = options.packetSize ?? PACKET_SIZE;
    this.log = options.log ?? (() => {});
    this.parser = new PacketParser(packetSize);
    const stop = target.lastStop;
    this.state = {
      general: { kind: 'any' },
      resume: { kind: 'any' },
      stopHart: stop && stop.kind !== 'exited' ? stop.hart : 0,
      gdbFeatures: new Set(),
      xferCache: new Map(),
    };
    this.context = { target, state: this.state, packetSize };
  }

  /**
   * Begins the session, once its owner passes the target's stops to targetStopped(): a
   * debugger attaching stops a running machine (as QEMU's stub does); packets wait for that.
   */
  start(): void {
    if (this.target.running) this.requestPause();
  }

  /** True once the session is over (killed, detached, exited, disconnected). */
  get ended(): boolean {
    return this.finished;
  }

  /** True when every packet received has been answered and the target is stopped. */
  get idle(): boolean {
    return !this.busy && !this.awaitingStop && this.pendingCount === 0 && !this.target.running;
  }

  /** Whether `+`/`-` acknowledgments are still exchanged. */
  get acknowledging(): boolean {
    return this.ackMode;
  }

  /** Bytes from the debugger. */
  receive(chunk: Uint8Array): void {
    if (this.finished) return;
    this.parser.feed(chunk, (event) => this.onFrame(event));
    this.pump();
  }

  /** The target stopped (every stop the target reports, whoever resumed it). */
  targetStopped(reason: StopReason): void {
    if (this.finished) return;
    this.pauseRequested = false;
    if (reason.kind === 'exited') {
      // The session ends with it: W when gdb waits for a stop, else only the connection's
      // close (an unasked-for W would be read as the reply to gdb's next packet). During a
      // monitor command (`monitor quit`), after the command's reply.
      this.exit = reason;
      if (!this.busy) this.reportExit();
      return;
    }
    this.state.stopHart = reason.hart;
    if (this.awaitingStop) {
      this.awaitingStop = false;
      // gdb takes the thread of a stop reply as the stub's Hg thread from then on (remote.c's
      // record_currthread), as QEMU's stub makes it.
      this.state.general = { kind: 'one', hart: reason.hart };
      this.send(formatStopReply(this.target, reason, this.stopFeatures()));
    }
    this.pump();
  }

  /** The debugger went away without detaching: detach for it. */
  disconnected(): void {
    if (this.finished) return;
    this.finished = true;
    this.detachTarget();
  }

  /**
   * The server is closing: end the connection, leave the target as it is. A monitor command
   * under way (`monitor quit` ends the machine, and so the server, from inside it) gets its
   * reply and the W owed out first.
   */
  shutdown(): void {
    if (this.finished) return;
    this.closing = true;
    if (this.busy) return;
    this.reportExit();
    this.finish();
  }

  private onFrame(event: FrameEvent): void {
    switch (event.kind) {
      case 'packet':
        if (this.ackMode) {
          if (!event.checksumOk) {
            this.connection.write(NACK);
            return;
          }
          this.connection.write(ACK);
          // Packets parsed after it (gdb waits for the OK, a pipelining peer may not) are
          // not acknowledged: the switch happens here, in stream order; the OK goes in turn.
          if (event.payload === NO_ACK_MODE) this.ackMode = false;
        } else if (!event.checksumOk) {
          // No-ack mode: the checksum may be ignored (GDB manual, "Packet Acknowledgment").
          this.log(`gdbstub: bad checksum ignored in no-ack mode: ${printable(event.payload)}`);
        }
        this.enqueue(event.payload);
        break;
      case 'oversize':
        this.log('gdbstub: packet longer than PacketSize dropped');
        if (this.ackMode) this.connection.write(NACK);
        else this.enqueue(OVERSIZE);
        break;
      case 'nack':
        // Resend the last packet (acknowledged mode only).
        if (this.ackMode && this.lastSent) this.connection.write(this.lastSent);
        break;
      case 'ack':
        break;
      case 'interrupt':
        if (this.target.running) this.requestPause();
        break;
    }
  }

  /** Handles waiting packets while the target is stopped and no handler is pending. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.finished && !this.closing && !this.busy && this.pendingCount > 0) {
        if (this.awaitingStop || this.target.running) {
          // A packet while the target runs for gdb (or behind its back): stop it first. The
          // stop may come at once (from inside pause()): then go on with the packet.
          if (this.target.running) this.requestPause();
          if (this.awaitingStop || this.target.running) break;
          continue;
        }
        const packet = this.dequeue();
        if (packet === OVERSIZE) this.send(Errors.invalid);
        else this.dispatch(packet);
      }
    } finally {
      this.pumping = false;
    }
    if (!this.finished) this.connection.setPaused(this.pendingCount > 0);
  }

  private get pendingCount(): number {
    return this.pending.length - this.pendingHead;
  }

  private enqueue(packet: string | typeof OVERSIZE): void {
    this.pending.push(packet);
  }

  private dequeue(): string | typeof OVERSIZE {
    const packet = this.pending[this.pendingHead++];
    if (this.pendingHead === this.pending.length) {
      this.pending = [];
      this.pendingHead = 0;
    } else if (this.pendingHead >= 1024 && this.pendingHead * 2 >= this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    return packet;
  }

  private dispatch(packet: string): void {
    const { name, args } = packetKey(packet);
    const handler = PACKET_HANDLERS.get(name);
    // Anything unknown gets the empty reply ("Overview": unsupported packets).
    if (!handler) {
      this.send('');
      return;
    }
    let outcome: Outcome | Promise<Outcome>;
    // Busy from the start: an async handler's first part runs within handle() (and may end
    // the machine there: `monitor quit`).
    this.busy = true;
    try {
      outcome = handler.handle(this.context, args);
    } catch (error) {
      this.busy = false;
      this.failed(packet, error);
      this.reportExit();
      return;
    }
    if (!(outcome instanceof Promise)) {
      this.busy = false;
      this.apply(outcome);
      this.reportExit();
      return;
    }
    outcome.then(
      (result) => {
        this.busy = false;
        if (!this.finished) this.apply(result);
        this.afterAsync();
      },
      (error: unknown) => {
        this.busy = false;
        if (!this.finished) this.failed(packet, error);
        this.afterAsync();
      },
    );
  }

  private apply(outcome: Outcome): void {
    switch (outcome.kind) {
      case 'reply':
        for (const line of outcome.console ?? []) this.send(line);
        this.send(outcome.payload);
        if (outcome.close) {
          this.reportExit();
          this.finish();
        }
        break;
      case 'no-ack-mode':
        // Acknowledgments stopped when the packet arrived (onFrame).
        this.ackMode = false;
        this.send('OK');
        break;
      case 'resume':
        this.awaitingStop = true;
        try {
          this.target.resume(outcome.action);
        } catch (error) {
          this.awaitingStop = false;
          this.failed('resume', error);
        }
        break;
      case 'end':
        if (outcome.reply !== undefined) this.send(outcome.reply);
        this.finished = true;
        if (outcome.how === 'kill') {
          this.guard('kill', () => this.target.kill());
        } else {
          this.detachTarget();
        }
        this.connection.end();
        break;
    }
  }

  /** What detaching leaves: no breakpoints or watchpoints, the machine running (QEMU's way). */
  private detachTarget(): void {
    this.guard('clearDebugState', () => this.target.clearDebugState());
    if (!this.target.running && this.target.lastStop?.kind !== 'exited') {
      this.guard('resume', () => this.target.resume({ kind: 'continue' }));
    }
  }

  private requestPause(): void {
    if (this.pauseRequested) return;
    this.pauseRequested = true;
    this.guard('pause', () => this.target.pause());
  }

  private stopFeatures() {
    return { swbreak: this.state.gdbFeatures.has('swbreak'), hwbreak: this.state.gdbFeatures.has('hwbreak') };
  }

  private send(payload: string): void {
    const bytes = encodePacket(payload);
    this.lastSent = bytes;
    this.connection.write(bytes);
  }

  /** After an async handler: the exit owed, a shutdown that waited, the packets that did. */
  private afterAsync(): void {
    this.reportExit();
    if (this.closing) this.finish();
    this.pump();
  }

  /** After an exit: sends the W owed if gdb waits for a stop, and ends the session. */
  private reportExit(): void {
    if (!this.exit || this.finished) return;
    if (this.awaitingStop) this.send(formatStopReply(this.target, this.exit, this.stopFeatures()));
    this.awaitingStop = false;
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.connection.end();
  }

  private failed(what: string, error: unknown): void {
    this.log(`gdbstub: ${printable(what)} failed: ${error instanceof Error ? error.message : String(error)}`);
    this.send(Errors.failed);
  }

  private guard(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.log(`gdbstub: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

const NO_ACK_MODE = 'QStartNoAckMode';
const ACK = Uint8Array.of(0x2b);
const NACK = Uint8Array.of(0x2d);

/** A packet for a log line: at most 80 chars, control and non-ASCII bytes as escapes. */
function printable(payload: string): string {
  const short = payload.length > 80 ? payload.slice(0, 80) + '...' : payload;
  return JSON.stringify(short);
}
