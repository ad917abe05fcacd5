// TCP between the guest and the user network's gateway (RFC 9293): segments parsed and built,
// and one connection's state machine relaying a byte stream to a host socket, with windows
// both ways, retransmission to the guest on virtual-time timeouts and FIN/RST both ways.
import { PROTOCOL_TCP, accept, internetChecksum, pseudoHeaderSum, refuse, type Ipv4Address, type Parsed } from './frames';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const HEADER_BYTES = 20;
/** Option kinds (RFC 9293 §3.2): end, no-op, maximum segment size. */
const OPTION_END = 0;
const OPTION_NOP = 1;
const OPTION_MSS = 2;

export interface TcpSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
  readonly acknowledgment: number;
  readonly flags: number;
  readonly window: number;
  /** The MSS option, if the segment carried one (only SYNs may). */
  readonly mss?: number;
  readonly payload: Uint8Array;
}

export function parseTcp(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): Parsed<TcpSegment> {
  if (bytes.length < HEADER_BYTES) return refuse('tcp: shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = (view.getUint8(12) >> 4) * 4;
  if (offset < HEADER_BYTES || offset > bytes.length) return refuse('tcp: bad data offset');
  if (internetChecksum(bytes, pseudoHeaderSum(source, destination, PROTOCOL_TCP, bytes.length)) !== 0) return refuse('tcp: bad checksum');
  let mss: number | undefined;
  for (let at = HEADER_BYTES; at < offset;) {
    const kind = bytes[at];
    if (kind === OPTION_END) break;
    if (kind === OPTION_NOP) { at++; continue; }
    const length = at + 1 < offset ? bytes[at + 1] : 0;
    if (length < 2 || at + length > offset) return refuse('tcp: malformed option');
    if (kind === OPTION_MSS) {
      if (length !== 4) return refuse('tcp: malformed MSS option');
      mss = view.getUint16(at + 2);
    }
    at += length;
  }
  return accept({
    sourcePort: view.getUint16(0),
    destinationPort: view.getUint16(2),
    sequence: view.getUint32(4),
    acknowledgment: view.getUint32(8),
    flags: view.getUint8(13) & 0x3f,
    window: view.getUint16(14),
    mss,
    payload: bytes.subarray(offset),
  });
}

export function buildTcp(segment: TcpSegment, source: Ipv4Address, destination: Ipv4Address): Uint8Array {
  const optionBytes = segment.mss === undefined ? 0 : 4;
  const header = HEADER_BYTES + optionBytes;
  const bytes = new Uint8Array(header + segment.payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, segment.sourcePort);
  view.setUint16(2, segment.destinationPort);
  view.setUint32(4, segment.sequence >>> 0);
  view.setUint32(8, segment.acknowledgment >>> 0);
  view.setUint8(12, (header / 4) << 4);
  view.setUint8(13, segment.flags);
  view.setUint16(14, segment.window);
  if (segment.mss !== undefined) {
    view.setUint8(20, OPTION_MSS);
    view.setUint8(21, 4);
    view.setUint16(22, segment.mss);
  }
  bytes.set(segment.payload, header);
  view.setUint16(16, internetChecksum(bytes, pseudoHeaderSum(source, destination, PROTOCOL_TCP, bytes.length)));
  return bytes;
}

// Sequence numbers compare modulo 2^32 (RFC 9293 §3.4).
const diff = (a: number, b: number): number => (a - b) | 0;
const seqLt = (a: number, b: number): boolean => diff(a, b) < 0;
const add = (a: number, n: number): number => (a + n) >>> 0;

/** Bytes queued in order, read at any offset, dropped from the front as they are acknowledged. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already dropped. */
  private head = 0;
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** `count` bytes from `offset` (both within the queue). */
  read(offset: number, count: number): Uint8Array {
    const out = new Uint8Array(count);
    let skip = this.head + offset;
    let written = 0;
    for (const chunk of this.chunks) {
      if (written === count) break;
      if (skip >= chunk.length) { skip -= chunk.length; continue; }
      const piece = chunk.subarray(skip, Math.min(chunk.length, skip + count - written));
      out.set(piece, written);
      written += piece.length;
      skip = 0;
    }
    return out;
  }

  drop(count: number): void {
    this.length -= count;
    let left = this.head + count;
    while (this.chunks.length > 0 && left >= this.chunks[0].length) {
      left -= this.chunks[0].length;
      this.chunks.shift();
    }
    this.head = left;
  }
}

/** The host end of a relayed connection (a node:net socket, through nat.ts). */
export interface TcpHostSide {
  /** Bytes from the guest, in order. */
  write(bytes: Uint8Array): void;
  /** Bytes written and not yet taken by the host: the receive window shrinks by them. */
  readonly pendingWrite: number;
  /** The guest sent FIN: half-close after what was written. */
  end(): void;
  /** The connection is reset or given up: close at once. */
  destroy(): void;
  /** Stop or restart reading the host (back-pressure from the guest). */
  pause(): void;
  resume(): void;
}

/** How a connection reaches the guest and the network that owns it. */
export interface TcpLink {
  send(segment: TcpSegment): void;
  now(): bigint;
  /** The guest takes segments longer than its MSS, cut up by its NIC's GSO (GUEST_TSO4). */
  largeSegments?(): boolean;
  /** The connection is over: forget it. */
  closed(): void;
  report(message: string): void;
}

/** Our receive buffer (no window scaling is offered, so at most 65535). */
const RECEIVE_WINDOW = 65535;
/** Host bytes queued for the guest before the host socket is paused. */
const HOST_QUEUE_LIMIT = 512 * 1024;
/** The MSS we announce: a 1500-byte MTU less IP and TCP headers. */
export const OUR_MSS = 1460;
/** The most a segment carries when the guest's NIC takes GSO: a 64 KiB IPv4 packet less headers. */
const LARGE_SEGMENT = 65535 - 20 - 20;
/** Without an MSS option the peer's is 536 (RFC 9293 §3.7.1). */
const DEFAULT_MSS = 536;
/** Retransmission timeout: 1 s at first (RFC 6298 §2.1), doubled per retry up to 60 s. */
const INITIAL_RTO = 1_000_000_000n;
const MAX_RTO = 60_000_000_000n;
/** Retransmissions of one segment before the connection is reset (zero-window probes excepted). */
const MAX_RETRIES = 12;

export type TcpState =
  /** The guest's SYN came; the host connect is under way. */
  | 'connecting'
  /** A forwarded host connection: our SYN went to the guest. */
  | 'syn-sent'
  /** Our SYN-ACK went to the guest. */
  | 'syn-received'
  | 'established'
  | 'closed';

/**
 * The BSD state names (RFC 9293 §3.3.2, as slirp's tcpstates[] prints them) for `info usernet`.
 * Both ends closed means the connection is gone, so TIME_WAIT is never shown (the guest keeps it).
 */
export type TcpStateName =
  | 'CLOSED' | 'SYN_SENT' | 'SYN_RCVD' | 'ESTABLISHED' | 'CLOSE_WAIT' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'LAST_ACK';

/** A connection as `info usernet` shows it. */
export interface TcpStatus {
  readonly state: TcpStateName;
  /** Bytes from the host the guest has not acknowledged yet (slirp's so_rcv). */
  readonly receiveQueue: number;
  /** Bytes from the guest written to the host socket and not yet taken (slirp's so_snd). */
  readonly sendQueue: number;
}

export interface TcpEndpoints {
  readonly guestPort: number;
  /** The port on the gateway side (the host's, or one chosen for a forward). */
  readonly remotePort: number;
}

/**
 * One connection. The network calls `segment` for the guest's segments, the host events
 * (hostConnected, hostData, ...) from its deferred work, `timer` when `deadline` has passed,
 * and `flush` at each boundary (the coalesced ACK).
 */
export class TcpConnection {
  state: TcpState;
  /** Virtual time of the next retransmission or probe, if one is due. */
  deadline: bigint | undefined;
  private readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  /** One past the highest sequence number ever sent: after a go-back (sndNxt = sndUna) the
   * guest may still acknowledge up to here (BSD's snd_max). */
  private sndMax: number;
  /** The sequence number our FIN occupies, once sent. */
  private finSequence: number | undefined;
  private sndWnd = 0;
  private mss = DEFAULT_MSS;
  private rcvNxt = 0;
  private readonly toGuest = new ByteQueue();
  private hostEnded = false;
  private finSent = false;
  private finAcked = false;
  private guestFin = false;
  private ackPending = false;
  private rto = INITIAL_RTO;
  private retries = 0;
  private hostPaused = false;
  /** The window last advertised: a window update is sent when it opens from below one MSS. */
  private advertised = RECEIVE_WINDOW;

  constructor(
    readonly endpoints: TcpEndpoints,
    private readonly host: TcpHostSide,
    private readonly link: TcpLink,
    iss: number,
    /** The guest's SYN, for a guest-opened connection; undefined for a forwarded one. */
    syn?: TcpSegment,
  ) {
    this.iss = iss >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    if (syn) {
      this.state = 'connecting';
      this.rcvNxt = add(syn.sequence, 1);
      this.sndWnd = syn.window;
      this.mss = syn.mss ?? DEFAULT_MSS;
    } else {
      this.state = 'syn-sent';
      this.host.pause();
      this.hostPaused = true;
      this.sendSyn();
    }
  }

  // --- host events ------------------------------------------------------------------------

  hostConnected(): void {
    if (this.state !== 'connecting') return;
    this.state = 'syn-received';
    this.sendSyn();
  }

  hostData(bytes: Uint8Array): void {
    if (this.state === 'closed' || this.hostEnded) return;
    this.toGuest.push(bytes);
    if (this.toGuest.length > HOST_QUEUE_LIMIT && !this.hostPaused) {
      this.hostPaused = true;
      this.host.pause();
    }
    this.transmit();
  }

  hostEnd(): void {
    if (this.state === 'closed' || this.hostEnded) return;
    this.hostEnded = true;
    this.transmit();
  }

  /** The host socket failed or was reset (or the connect was refused): reset the guest's end. */
  hostReset(reason: string): void {
    if (this.state === 'closed') return;
    this.link.report(`tcp ${this.describe()}: ${reason}`);
    if (this.state === 'connecting') this.sendSegment(TCP_RST | TCP_ACK, 0, new Uint8Array(0));
    else if (this.state !== 'syn-sent') this.sendSegment(TCP_RST | TCP_ACK, this.resetSequence(), new Uint8Array(0));
    this.close(false);
  }

  /** The host took bytes written earlier: tell the guest if the window opened. */
  hostDrained(): void {
    if (this.state === 'closed') return;
    const window = this.receiveWindow();
    if (this.advertised < this.mss && window >= Math.min(this.mss, RECEIVE_WINDOW / 2)) this.ackPending = true;
  }

  // --- the guest's segments -----------------------------------------------------------------

  segment(segment: TcpSegment): void {
    const { flags } = segment;
    if (flags & TCP_RST) return this.guestReset(segment);
    switch (this.state) {
      case 'closed':
        return;
      case 'connecting':
        return; // a retransmitted SYN: the SYN-ACK follows the host's connect
      case 'syn-sent':
        if ((flags & (TCP_SYN | TCP_ACK)) !== (TCP_SYN | TCP_ACK) || segment.acknowledgment !== add(this.iss, 1)) return;
        this.rcvNxt = add(segment.sequence, 1);
        this.sndUna = this.sndNxt = this.sndMax = segment.acknowledgment;
        this.sndWnd = segment.window;
        this.mss = Math.min(segment.mss ?? DEFAULT_MSS, OUR_MSS);
        this.state = 'established';
        this.stopTimer();
        this.ackPending = true;
        this.resumeHost();
        return;
      case 'syn-received':
        if (flags & TCP_SYN) {
          // Our SYN-ACK was lost: send it again.
          if (add(segment.sequence, 1) === this.rcvNxt) this.sendSyn();
          return;
        }
        if (!(flags & TCP_ACK) || segment.acknowledgment !== add(this.iss, 1)) return;
        this.state = 'established';
        this.sndUna = this.sndNxt = this.sndMax = segment.acknowledgment;
        this.stopTimer();
        this.resumeHost();
        break;
      case 'established':
        if (flags & TCP_SYN) {
          this.ackPending = true; // a stray SYN in a synchronized state gets an ACK (§3.10.7.4)
          return;
        }
        break;
    }
    if (!(flags & TCP_ACK)) return;
    this.acknowledge(segment);
    this.receive(segment);
    this.transmit();
    this.closeIfDone();
  }

  /** Sends the ACK the guest's segments earned since the last boundary. */
  flush(): void {
    if (!this.ackPending || this.state === 'closed') return;
    this.ackPending = false;
    this.sendSegment(TCP_ACK, this.sndNxt, new Uint8Array(0));
  }

  /** The retransmission (or zero-window probe) timer expired. */
  timer(): void {
    this.deadline = undefined;
    if (this.state === 'closed') return;
    // A closed window is probed for as long as it stays closed: the guest answers each probe.
    const probing = this.state === 'established' && this.sndWnd === 0 && this.toGuest.length > 0;
    if (!probing && ++this.retries > MAX_RETRIES) {
      this.link.report(`tcp ${this.describe()}: the guest stopped answering; reset`);
      this.sendSegment(TCP_RST | TCP_ACK, this.resetSequence(), new Uint8Array(0));
      this.close(true);
      return;
    }
    this.rto = this.rto * 2n > MAX_RTO ? MAX_RTO : this.rto * 2n;
    if (this.state === 'syn-sent' || this.state === 'syn-received') {
      this.sendSyn();
      return;
    }
    // Go back to the oldest unacknowledged byte and send again (a FIN too, if it was sent).
    this.sndNxt = this.sndUna;
    if (!this.finAcked) this.finSent = false;
    this.transmit(probing);
  }

  /** Ends the connection from the network's side (the machine stops). */
  abort(): void {
    if (this.state === 'closed') return;
    this.close(true);
  }

  /** The guest still has to read this many bytes the host sent (unacknowledged or unsent). */
  get queuedForGuest(): number {
    return this.toGuest.length;
  }

  /** The state under its BSD name and the queues both ways (read-only). */
  status(): TcpStatus {
    return { state: this.stateName(), receiveQueue: this.toGuest.length, sendQueue: this.state === 'closed' ? 0 : this.host.pendingWrite };
  }

  /**
   * Our states refined by the FINs: the guest's FIN taken and ours not sent is CLOSE_WAIT, ours
   * sent is FIN_WAIT_1 until acknowledged, then FIN_WAIT_2; both sent is LAST_ACK (whichever
   * came first: CLOSING is not told apart). A guest's SYN waiting for the host connect is
   * SYN_RCVD, as in slirp, whose tcb takes that state when the guest's SYN arrives.
   */
  private stateName(): TcpStateName {
    switch (this.state) {
      case 'closed': return 'CLOSED';
      case 'syn-sent': return 'SYN_SENT';
      case 'connecting':
      case 'syn-received': return 'SYN_RCVD';
      case 'established': {
        const ourFin = this.finSequence !== undefined;
        if (this.guestFin) return ourFin ? 'LAST_ACK' : 'CLOSE_WAIT';
        if (!ourFin) return 'ESTABLISHED';
        return this.finAcked ? 'FIN_WAIT_2' : 'FIN_WAIT_1';
      }
    }
  }

  /**
   * The sequence number of a reset the guest will take: after our SYN-ACK it expects ISS+1
   * (sndNxt stays at ISS until the SYN is acknowledged), later the next byte (RFC 5961 §3.2).
   */
  private resetSequence(): number {
    return this.state === 'syn-received' ? add(this.iss, 1) : this.sndNxt;
  }

  private describe(): string {
    return `guest port ${this.endpoints.guestPort} <-> ${this.endpoints.remotePort}`;
  }

  private guestReset(segment: TcpSegment): void {
    if (this.state === 'closed' || this.state === 'connecting') {
      if (this.state === 'connecting') this.close(true);
      return;
    }
    // Accept a reset in the window (RFC 5961 would challenge-ACK one inside it but not at rcvNxt;
    // the guest here is the only peer, so any in-window reset is taken).
    if (this.state === 'syn-sent') {
      if (!(segment.flags & TCP_ACK) || segment.acknowledgment !== add(this.iss, 1)) return;
      this.link.report(`tcp ${this.describe()}: the guest refused the forwarded connection`);
    } else if (seqLt(segment.sequence, this.rcvNxt) || !seqLt(segment.sequence, add(this.rcvNxt, Math.max(1, this.advertised)))) return;
    this.close(true);
  }

  /** Processes an acceptable ACK: drops acknowledged bytes, takes the window, rearms the timer. */
  private acknowledge(segment: TcpSegment): void {
    const ack = segment.acknowledgment;
    if (seqLt(ack, this.sndUna) || seqLt(this.sndMax, ack)) {
      if (seqLt(this.sndMax, ack)) this.ackPending = true; // acknowledges what was never sent
      return;
    }
    let acked = diff(ack, this.sndUna);
    if (acked > 0) {
      if (this.finSequence !== undefined && ack === add(this.finSequence, 1)) {
        this.finAcked = true;
        this.finSent = true;
        acked--;
      }
      this.toGuest.drop(Math.min(acked, this.toGuest.length));
      this.sndUna = ack;
      if (seqLt(this.sndNxt, ack)) this.sndNxt = ack; // what was sent before a go-back arrived after all
      this.retries = 0;
      this.rto = INITIAL_RTO;
      if (this.sndUna === this.sndNxt) this.stopTimer();
      else this.startTimer();
      if (this.hostPaused && this.toGuest.length <= HOST_QUEUE_LIMIT / 2) this.resumeHost();
    }
    const reopened = this.sndWnd === 0 && segment.window > 0;
    this.sndWnd = segment.window;
    if (reopened && this.sndNxt !== this.sndUna && !this.finSent) {
      // The window opened without the probe's byte taken (a closed window drops it): send from
      // the oldest byte again now, not after a backed-off timeout, and time it afresh.
      this.sndNxt = this.sndUna;
      this.rto = INITIAL_RTO;
      this.retries = 0;
      this.stopTimer();
    }
    if (this.sndWnd > 0 && this.deadline !== undefined && this.sndUna === this.sndNxt) this.stopTimer();
  }

  /** Takes the guest's data (and FIN) in order, as far as the window allows. */
  private receive(segment: TcpSegment): void {
    let data = segment.payload;
    const fin = (segment.flags & TCP_FIN) !== 0;
    if (data.length === 0 && !fin) return;
    this.ackPending = true;
    if (this.guestFin) return; // after its FIN the guest can only retransmit
    let sequence = segment.sequence;
    if (seqLt(sequence, this.rcvNxt)) {
      const old = diff(this.rcvNxt, sequence);
      if (old > data.length) return; // wholly old (a FIN included): the ACK repeats
      data = data.subarray(old);
      sequence = this.rcvNxt;
    }
    if (sequence !== this.rcvNxt) return; // out of order: dropped, the duplicate ACK asks again
    const accepted = Math.min(data.length, this.receiveWindow());
    if (accepted > 0) {
      this.host.write(data.slice(0, accepted));
      this.rcvNxt = add(this.rcvNxt, accepted);
    }
    if (fin && accepted === data.length) {
      this.rcvNxt = add(this.rcvNxt, 1);
      this.guestFin = true;
      this.host.end();
    }
  }

  /** Sends what the guest's window allows: data, then the FIN once the host ended. */
  private transmit(probe = false): void {
    if (this.state !== 'established') return;
    for (;;) {
      const inFlight = diff(this.sndNxt, this.sndUna) - (this.finSent ? 1 : 0);
      const unsent = this.toGuest.length - inFlight;
      const room = Math.max(this.sndWnd - diff(this.sndNxt, this.sndUna), probe ? 1 : 0);
      if (unsent > 0 && room > 0 && !this.finSent) {
        const count = Math.min(unsent, room, this.link.largeSegments?.() ? LARGE_SEGMENT : this.mss);
        probe = false;
        const payload = this.toGuest.read(inFlight, count);
        this.sendSegment(TCP_ACK | (count === unsent ? TCP_PSH : 0), this.sndNxt, payload);
        this.sndNxt = add(this.sndNxt, count);
        if (seqLt(this.sndMax, this.sndNxt)) this.sndMax = this.sndNxt;
        this.startTimerIfIdle();
        continue;
      }
      if (unsent === 0 && this.hostEnded && !this.finSent) {
        this.sendSegment(TCP_FIN | TCP_ACK, this.sndNxt, new Uint8Array(0));
        this.finSequence = this.sndNxt;
        this.sndNxt = add(this.sndNxt, 1);
        if (seqLt(this.sndMax, this.sndNxt)) this.sndMax = this.sndNxt;
        this.finSent = true;
        this.startTimerIfIdle();
      }
      break;
    }
    // Nothing in flight, data waiting and a closed window: probe it later (RFC 9293 §3.8.6.1).
    if (this.sndUna === this.sndNxt && this.unsent() > 0 && this.sndWnd === 0) this.startTimerIfIdle();
  }

  private unsent(): number {
    return this.toGuest.length - (diff(this.sndNxt, this.sndUna) - (this.finSent ? 1 : 0));
  }

  private closeIfDone(): void {
    if (this.guestFin && this.finAcked) {
      // Both directions are closed: TIME-WAIT is the guest's (it closed first or last, our
      // side needs no 2MSL wait: a late duplicate finds no connection and gets a reset).
      this.flush();
      this.close(false);
    }
  }

  private close(destroyHost: boolean): void {
    this.state = 'closed';
    this.stopTimer();
    if (destroyHost) this.host.destroy();
    this.link.closed();
  }

  private resumeHost(): void {
    if (!this.hostPaused) return;
    this.hostPaused = false;
    this.host.resume();
  }

  private receiveWindow(): number {
    return Math.max(0, RECEIVE_WINDOW - this.host.pendingWrite);
  }

  private sendSyn(): void {
    const flags = this.state === 'syn-sent' ? TCP_SYN : TCP_SYN | TCP_ACK;
    this.sendSegment(flags, this.iss, new Uint8Array(0), this.state === 'syn-sent' ? 0 : this.rcvNxt, OUR_MSS);
    this.startTimer();
  }

  private sendSegment(flags: number, sequence: number, payload: Uint8Array, acknowledgment = this.rcvNxt, mss?: number): void {
    const window = this.receiveWindow();
    this.advertised = window;
    if (flags & TCP_ACK) this.ackPending = false;
    this.link.send({
      sourcePort: this.endpoints.remotePort,
      destinationPort: this.endpoints.guestPort,
      sequence,
      acknowledgment: flags & TCP_ACK ? acknowledgment : 0,
      flags,
      window,
      mss,
      payload,
    });
  }

  private startTimer(): void {
    this.deadline = this.link.now() + this.rto;
  }

  private startTimerIfIdle(): void {
    if (this.deadline === undefined) this.startTimer();
  }

  private stopTimer(): void {
    this.deadline = undefined;
  }
}

/** The reset answering a segment no connection takes (RFC 9293 §3.10.7.1). */
export function resetFor(segment: TcpSegment): TcpSegment | undefined {
  if (segment.flags & TCP_RST) return undefined;
  const length = segment.payload.length + (segment.flags & TCP_SYN ? 1 : 0) + (segment.flags & TCP_FIN ? 1 : 0);
  const base = { sourcePort: segment.destinationPort, destinationPort: segment.sourcePort, window: 0, payload: new Uint8Array(0) };
  return segment.flags & TCP_ACK
    ? { ...base, sequence: segment.acknowledgment, acknowledgment: 0, flags: TCP_RST }
    : { ...base, sequence: 0, acknowledgment: add(segment.sequence, length), flags: TCP_RST | TCP_ACK };
}
