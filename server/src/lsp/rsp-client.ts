// A small GDB Remote Serial Protocol client over TCP: one request at a time, each answered in order; framing from gdbstub/framing.ts, acknowledgments kept on.
//
// GDB manual, "Remote Protocol" > "Overview": the client acks each good packet with `+` and asks
// for a resend of a bad one with `-`. Replies a stub sends run-length encoded (`x*n`) are
// expanded; Lantern's stub never sends them, other stubs may.
import * as net from 'node:net';
import { encodePacket, PacketParser } from '../../../gdbstub/framing';

/** Large enough for any reply Lantern's stub sends (its PacketSize is 16 KiB). */
const MAX_REPLY = 0x10000;

/** Undoes run-length encoding: `c*n` repeats c n - 29 more times ("Binary Data"). Only for replies that cannot hold a literal `*` (hex). */
export function expandRunLength(payload: string): string {
  let out = '';
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] === '*' && out.length > 0 && i + 1 < payload.length) {
      out += out[out.length - 1]!.repeat(payload.charCodeAt(++i) - 29);
    } else {
      out += payload[i];
    }
  }
  return out;
}

interface Waiter {
  resolve(payload: string): void;
  reject(error: Error): void;
}

export class RspClient {
  private readonly parser = new PacketParser(MAX_REPLY);
  private waiter: Waiter | undefined;
  private lastSent: Buffer | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closeListeners: (() => void)[] = [];
  private ended = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closed());
  }

  /** Connects to a stub; rejects when nothing answers within `timeoutMs`. */
  static connect(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer from ${host}:${port}`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', reject);
        resolve(new RspClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Sends one packet and resolves with its reply payload; requests wait their turn. A stub that
   * does not answer within `timeoutMs` ends the connection (its state is unknown from then on).
   */
  request(payload: string, timeoutMs = 5000): Promise<string> {
    const exchange = this.queue.then(() => new Promise<string>((resolve, reject) => {
      if (this.ended) {
        reject(new Error('the connection to the gdb stub is closed'));
        return;
      }
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`the gdb stub did not answer ${payload.slice(0, 20)}`));
        this.close();
      }, timeoutMs);
      this.waiter = {
        resolve: (reply) => { clearTimeout(timer); resolve(reply); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      this.lastSent = encodePacket(payload);
      this.socket.write(this.lastSent);
    }));
    this.queue = exchange.catch(() => undefined);
    return exchange;
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.parser.feed(chunk, (event) => {
      switch (event.kind) {
        case 'packet': {
          if (!event.checksumOk) {
            this.socket.write('-');
            return;
          }
          this.socket.write('+');
          const waiter = this.waiter;
          this.waiter = undefined;
          if (waiter) waiter.resolve(event.payload);
          // Unasked: the target ended (W/X) while stopped; anything else is not for us.
          else if (/^[WX][0-9a-fA-F]{2}/.test(event.payload)) this.close();
          return;
        }
        case 'nack':
          if (this.lastSent) this.socket.write(this.lastSent);
          return;
        default:
          return;
      }
    });
  }

  private closed(): void {
    if (this.ended) return;
    this.ended = true;
    this.waiter?.reject(new Error('the gdb stub closed the connection'));
    this.waiter = undefined;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
