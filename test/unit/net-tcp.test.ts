// TCP and UDP through the user network, with the test as the guest: it lays out Ethernet,
// IPv4 and TCP frames from 10.0.2.15 by hand, feeds them to a real UserNetwork relaying to
// real host sockets on 127.0.0.1, drains the gateway's frames as the machine would, and drives
// the retransmission timers through a virtual clock it owns.
import { createHash } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ETHERTYPE_IPV4, ICMP_ECHO_REQUEST, PROTOCOL_ICMP, PROTOCOL_TCP, PROTOCOL_UDP, buildEthernet, buildIcmpEcho, buildIpv4,
  buildUdp, formatMac, ipv4, mac, parseEthernet, parseIpv4, parseUdp, type Ipv4Address, type Parsed,
} from '../../server/src/net/frames';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, buildTcp, parseTcp, type TcpSegment } from '../../server/src/net/tcp';
import { UserNetwork, type Disposition, type UserNetworkOptions } from '../../server/src/net/user-network';
import { xorshift32 } from '../support/random';
import { freePort } from '../support/ports';

const GUEST_MAC = mac('52:54:00:12:34:56');
const GATEWAY_MAC = mac('52:55:0a:00:02:02');
const GUEST = ipv4('10.0.2.15');
const GATEWAY = ipv4('10.0.2.2');
const SECOND = 1_000_000_000n;
/** The gateway's first retransmission timeout (RFC 6298 §2.1). */
const RTO = SECOND;

function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (value: string) => new TextEncoder().encode(value);
const concat = (chunks: readonly Uint8Array[]) => new Uint8Array(Buffer.concat(chunks));
const add = (a: number, n: number) => (a + n) >>> 0;
const diff = (a: number, b: number) => (a - b) | 0;

/** Seeded integers below `limit`: a fixed seed keeps a run reproducible. */
function random(seed: number) {
  const next = xorshift32(seed);
  return (limit: number) => next() % limit;
}

/** Byte `index` of a test stream: any range can be made again or checked without keeping it. */
const patternByte = (index: number) => (Math.imul(index, 0x9e3779b1) >>> 24) ^ (index >>> 16) & 0xff;
const pattern = (offset: number, count: number) => Uint8Array.from({ length: count }, (_, i) => patternByte(offset + i));

interface SegmentFields {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
  readonly acknowledgment?: number;
  readonly flags: number;
  readonly window?: number;
  readonly mss?: number;
  readonly payload?: Uint8Array;
}

/**
 * A TCP segment laid out by hand from RFC 9293 §3.1 (header, MSS option, pseudo-header
 * checksum), apart from the gateway's own builder so each checks the other.
 */
function tcpBytes(fields: SegmentFields, source: Ipv4Address = GUEST, destination: Ipv4Address = GATEWAY): Uint8Array {
  const payload = fields.payload ?? new Uint8Array(0);
  const headerLength = fields.mss === undefined ? 20 : 24;
  const bytes = new Uint8Array(headerLength + payload.length);
  const put16 = (at: number, value: number) => { bytes[at] = (value >>> 8) & 0xff; bytes[at + 1] = value & 0xff; };
  const put32 = (at: number, value: number) => { put16(at, value >>> 16); put16(at + 2, value & 0xffff); };
  put16(0, fields.sourcePort);
  put16(2, fields.destinationPort);
  put32(4, fields.sequence >>> 0);
  put32(8, (fields.acknowledgment ?? 0) >>> 0);
  bytes[12] = (headerLength / 4) << 4;
  bytes[13] = fields.flags;
  put16(14, fields.window ?? 65535);
  if (fields.mss !== undefined) {
    bytes.set([2, 4], 20);
    put16(22, fields.mss);
  }
  bytes.set(payload, headerLength);
  put16(16, tcpChecksum(bytes, source, destination));
  return bytes;
}

/** The checksum a segment's bytes need (its checksum field taken as it is). */
function tcpChecksum(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): number {
  let sum = (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + PROTOCOL_TCP + bytes.length;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipFrame(protocol: number, payload: Uint8Array, source: Ipv4Address = GUEST, destination: Ipv4Address = GATEWAY): Uint8Array {
  const packet = buildIpv4({ identification: 7, timeToLive: 64, protocol, source, destination, payload });
  return buildEthernet({ destination: GATEWAY_MAC, source: GUEST_MAC, etherType: ETHERTYPE_IPV4, payload: packet });
}


// --- the guest's side -------------------------------------------------------------------

interface Received {
  readonly segment: TcpSegment;
  readonly remote: Ipv4Address;
}

/** What the test holds open; afterEach closes all of it. */
const cleanup: (() => void)[] = [];

/** The guest's wire: the network under test, its clock and a dispatch of what it sends. */
class Wire {
  clock = 0n;
  readonly net: UserNetwork;
  readonly reports: string[] = [];
  readonly sockets = new Map<string, GuestSocket>();
  /** Segments for no socket the test holds open (resets, forwarded SYNs). */
  readonly stray: Received[] = [];
  readonly datagrams: { sourcePort: number; destinationPort: number; source: Ipv4Address; payload: Uint8Array }[] = [];
  private waiters: (() => void)[] = [];

  constructor(options: UserNetworkOptions = {}) {
    this.net = new UserNetwork({
      now: () => this.clock,
      wake: () => { for (const waiter of this.waiters.splice(0)) waiter(); },
      report: (message) => this.reports.push(message),
    }, options);
    cleanup.push(() => this.net.close());
  }

  send(frame: Uint8Array): Disposition {
    return this.net.fromGuest(frame);
  }

  sendTcp(fields: SegmentFields, destination: Ipv4Address = GATEWAY): Disposition {
    return this.send(ipFrame(PROTOCOL_TCP, tcpBytes(fields, GUEST, destination), GUEST, destination));
  }

  /** A ping to the gateway: the network learns the guest's MAC as from any first frame. */
  hello(): void {
    this.send(ipFrame(PROTOCOL_ICMP, buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: 1, sequence: 1, data: new Uint8Array(8) })));
    this.pump();
  }

  /** One machine boundary after another while frames come: poll, then take every frame. */
  pump(): void {
    for (let round = 0; round < 1000; round++) {
      this.net.poll();
      let any = false;
      for (let frame = this.net.takeFrame(); frame; frame = this.net.takeFrame()) {
        any = true;
        this.receive(frame);
      }
      if (!any) return;
    }
  }

  /** Pumps until `predicate` holds, waiting for host sockets between rounds. */
  async until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      this.pump();
      if (predicate()) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Lets real time pass with the network served, for "nothing more happens". */
  async settle(ms = 50): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      this.pump();
      await sleep(3);
    }
    this.pump();
  }

  advance(ns: bigint): void {
    this.clock += ns;
    this.pump();
  }

  private receive(frame: Uint8Array): void {
    const eth = unwrap(parseEthernet(frame, 14 + 65535)); // segments past the MTU when the NIC takes GSO
    expect(formatMac(eth.destination)).toBe(formatMac(GUEST_MAC));
    expect(formatMac(eth.source)).toBe(formatMac(GATEWAY_MAC));
    if (eth.etherType !== ETHERTYPE_IPV4) return;
    const ip = unwrap(parseIpv4(eth.payload));
    expect(ip.destination).toBe(GUEST);
    if (ip.protocol === PROTOCOL_UDP) {
      const udp = unwrap(parseUdp(ip.payload, ip.source, ip.destination));
      this.datagrams.push({ ...udp, source: ip.source });
      return;
    }
    if (ip.protocol !== PROTOCOL_TCP) return;
    // The gateway's builder must agree with the hand layout, checksum included.
    const segment = unwrap(parseTcp(ip.payload, ip.source, ip.destination));
    expect(tcpBytes(segment, ip.source, ip.destination)).toEqual(ip.payload);
    const socket = this.sockets.get(`${segment.destinationPort}:${segment.sourcePort}`);
    if (socket) socket.handle(segment);
    else this.stray.push({ segment, remote: ip.source });
  }
}

/**
 * One guest connection, kept as simply as a test can: it acknowledges in-order data at once
 * (unless told not to), remembers every segment, and checks each against its MSS and window.
 */
class GuestSocket {
  readonly segments: TcpSegment[] = [];
  /** SND.NXT. */
  sequence: number;
  /** The first sequence number of data (ISN + 1). */
  readonly dataStart: number;
  /** RCV.NXT, once the gateway's SYN came. */
  receiveNext = 0;
  window: number;
  readonly mss: number;
  peerAck: number;
  peerWindow = 0;
  peerMss = 536;
  readonly received: Uint8Array[] = [];
  receivedLength = 0;
  finReceived = false;
  reset = false;
  autoAck = true;
  /** A zero-window probe may pass the right edge by one byte. */
  allowProbes = false;
  /** The highest right edge of the window the guest advertised (sequence number). */
  private rightEdge = 0;
  /** The window of the guest's SYN, whose right edge is known once the gateway's SYN came. */
  private synWindow = 0;
  readonly violations: string[] = [];

  constructor(
    private readonly wire: Wire,
    readonly guestPort: number,
    readonly remotePort: number,
    isn: number,
    options: { window?: number; mss?: number } = {},
  ) {
    this.sequence = isn >>> 0;
    this.dataStart = add(isn, 1);
    this.peerAck = this.sequence;
    this.window = options.window ?? 65535;
    this.mss = options.mss ?? 1460;
    wire.sockets.set(`${guestPort}:${remotePort}`, this);
  }

  /** Sends a segment from SND.NXT (or `sequence`) and moves SND.NXT past what it occupies. */
  send(flags: number, payload = new Uint8Array(0), options: { sequence?: number; mss?: number; window?: number } = {}): Disposition {
    const sequence = options.sequence ?? this.sequence;
    const window = options.window ?? this.window;
    const acknowledgment = flags & TCP_ACK ? this.receiveNext : 0;
    if (flags & TCP_ACK && diff(add(acknowledgment, window), this.rightEdge) > 0) this.rightEdge = add(acknowledgment, window);
    if (flags & TCP_SYN && !(flags & TCP_ACK)) this.synWindow = window;
    const disposition = this.wire.sendTcp({
      sourcePort: this.guestPort, destinationPort: this.remotePort, sequence, acknowledgment, flags, window, mss: options.mss, payload,
    });
    const end = add(sequence, payload.length + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0));
    if (options.sequence === undefined || diff(end, this.sequence) > 0) this.sequence = end;
    return disposition;
  }

  ack(window = this.window): void {
    this.window = window;
    this.send(TCP_ACK);
  }

  /** Bytes the gateway's window lets the guest send now. */
  get room(): number {
    return this.peerWindow - diff(this.sequence, this.peerAck);
  }

  /** Sends stream bytes [from SND.NXT to `limit`) as far as the gateway's window allows. */
  sendStream(limit: number): void {
    for (;;) {
      const offset = diff(this.sequence, this.dataStart);
      const count = Math.min(this.room, this.peerMss, limit - offset);
      if (count <= 0) return;
      this.send(TCP_ACK | TCP_PSH, pattern(offset, count));
    }
  }

  /** Everything received, as one array. */
  get data(): Uint8Array {
    return concat(this.received);
  }

  handle(segment: TcpSegment): void {
    this.segments.push(segment);
    const { flags } = segment;
    if (flags & TCP_RST) {
      this.reset = true;
      return;
    }
    if (flags & TCP_ACK && diff(segment.acknowledgment, this.peerAck) >= 0) {
      this.peerAck = segment.acknowledgment;
      this.peerWindow = segment.window;
    }
    if (flags & TCP_SYN) {
      this.receiveNext = add(segment.sequence, 1);
      this.rightEdge = add(this.receiveNext, this.synWindow);
      this.peerMss = segment.mss ?? 536;
      return;
    }
    const length = segment.payload.length;
    if (length > this.mss) this.violations.push(`a segment of ${length} bytes beyond the MSS ${this.mss}`);
    const beyond = diff(add(segment.sequence, length), this.rightEdge);
    if (length > 0 && beyond > (this.allowProbes ? 1 : 0)) this.violations.push(`${beyond} bytes past the window at ${segment.sequence}`);
    if (!this.autoAck) return;
    let payload = segment.payload;
    const old = diff(this.receiveNext, segment.sequence);
    if (old > 0) payload = payload.subarray(Math.min(old, payload.length));
    if (old >= 0 && old <= length) {
      if (payload.length > 0) {
        this.received.push(payload.slice());
        this.receivedLength += payload.length;
        this.receiveNext = add(this.receiveNext, payload.length);
      }
      if (flags & TCP_FIN && !this.finReceived) {
        this.finReceived = true;
        this.receiveNext = add(this.receiveNext, 1);
      }
    }
    if (length > 0 || flags & TCP_FIN) this.ack();
  }
}

/** The guest connects to 10.0.2.2:`port` and completes the handshake. */
async function connect(wire: Wire, guestPort: number, port: number, options: { window?: number; mss?: number; isn?: number } = {}): Promise<GuestSocket> {
  const socket = new GuestSocket(wire, guestPort, port, options.isn ?? 0x2000_0000 + guestPort * 7919, options);
  expect(socket.send(TCP_SYN, undefined, { mss: socket.mss }).kind).toBe('handled');
  await wire.until(() => socket.segments.length > 0, `the SYN-ACK to guest port ${guestPort}`);
  const synAck = socket.segments[0];
  expect(synAck.flags).toBe(TCP_SYN | TCP_ACK);
  expect(synAck.acknowledgment).toBe(socket.dataStart);
  expect(synAck.mss).toBe(1460);
  socket.send(TCP_ACK);
  wire.pump();
  return socket;
}

interface HostServer {
  readonly port: number;
  readonly server: net.Server;
  readonly sockets: net.Socket[];
}

/** A TCP server on 127.0.0.1 (half-open allowed, so each direction ends apart). */
async function hostServer(onConnection: (socket: net.Socket) => void = () => {}, options: net.ServerOpts = {}): Promise<HostServer> {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true, ...options }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, server, sockets };
}

/** Everything a host socket reads, and whether it saw the end. */
function collect(socket: net.Socket) {
  const state = { chunks: [] as Buffer[], length: 0, ended: false, closed: false, error: undefined as string | undefined };
  socket.on('data', (chunk: Buffer) => { state.chunks.push(chunk); state.length += chunk.length; });
  socket.on('error', (error: NodeJS.ErrnoException) => { state.error = error.code; });
  socket.on('end', () => { state.ended = true; });
  socket.on('close', () => { state.closed = true; });
  return state;
}

afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

// --- the tests ----------------------------------------------------------------------------

describe('tcp segments', () => {
  it('buildTcp lays out the header, the MSS option and the checksum as RFC 9293 does by hand', () => {
    const cases: SegmentFields[] = [
      { sourcePort: 80, destinationPort: 40000, sequence: 0xfedc_ba98, acknowledgment: 0x0123_4567, flags: TCP_SYN | TCP_ACK, window: 65535, mss: 1460 },
      { sourcePort: 1, destinationPort: 65535, sequence: 0, acknowledgment: 1, flags: TCP_ACK | TCP_PSH, window: 0, payload: text('odd length') },
      { sourcePort: 22, destinationPort: 2222, sequence: 0xffff_ffff, flags: TCP_RST, window: 512, payload: pattern(0, 1460) },
    ];
    for (const fields of cases) {
      const segment: TcpSegment = { acknowledgment: 0, window: 65535, payload: new Uint8Array(0), ...fields };
      const built = buildTcp(segment, GATEWAY, GUEST);
      expect(built).toEqual(tcpBytes(fields, GATEWAY, GUEST));
      expect(unwrap(parseTcp(built, GATEWAY, GUEST))).toMatchObject({ ...segment, payload: segment.payload });
      // The same bytes seen between other addresses fail their checksum.
      expect(parseTcp(built, GATEWAY, ipv4('10.0.2.16')).ok).toBe(false);
    }
  });
});

describe('tcp: guest to host', () => {
  it('handshakes with MSS 1460, carries data in order, shrinks the window under back-pressure and reopens it', async () => {
    const wire = new Wire();
    let host: ReturnType<typeof collect> | undefined;
    let checked = 0;
    let mismatch = -1;
    const server = await hostServer((socket) => {
      host = collect(socket);
      socket.on('data', (chunk: Buffer) => {
        for (const byte of chunk) {
          if (mismatch < 0 && byte !== patternByte(checked)) mismatch = checked;
          checked++;
        }
      });
    }, { pauseOnConnect: true });
    const guest = await connect(wire, 40001, server.port);
    await wire.until(() => server.sockets.length === 1, 'the host server to accept');
    expect(guest.peerWindow).toBe(65535);
    expect(guest.peerMss).toBe(1460);

    // The host never reads: the kernel's buffers fill, then the socket's, then the window closes.
    const limit = 256 * 1024 * 1024;
    const windows: number[] = [];
    while (!(guest.peerWindow === 0)) {
      guest.sendStream(limit);
      const sent = guest.sequence;
      await wire.until(() => guest.peerAck === sent || guest.peerWindow === 0, 'the ACK of what was sent');
      windows.push(guest.peerWindow);
      expect(diff(guest.sequence, guest.dataStart)).toBeLessThan(limit);
    }
    expect(windows.some((window) => window > 0 && window < 65535)).toBe(true);
    for (const segment of guest.segments.slice(1)) expect(segment.payload.length).toBe(0);
    const stalledAt = guest.peerAck;
    // Whatever went beyond the closed window is sent again once it opens.
    guest.sequence = guest.peerAck;
    await wire.settle(30);
    expect(guest.peerWindow).toBe(0);
    const before = guest.segments.length;

    server.sockets[0].resume();
    await wire.until(() => guest.peerWindow >= 1460, 'a window update');
    const update = guest.segments.slice(before).find((segment) => segment.window > 0)!;
    expect(update.flags).toBe(TCP_ACK);
    expect(update.acknowledgment).toBe(stalledAt);

    // The rest of a round total goes through, and the host reads every byte in order.
    const total = diff(stalledAt, guest.dataStart) + 3 * 65536 + 123;
    while (diff(guest.peerAck, guest.dataStart) < total) {
      guest.sendStream(total);
      const sent = guest.sequence;
      await wire.until(() => guest.peerAck === sent && guest.room > 0 || guest.peerWindow === 0, 'the ACK of what was sent');
      if (guest.peerWindow === 0) {
        guest.sequence = guest.peerAck;
        await wire.until(() => guest.peerWindow > 0, 'the window to open');
      }
    }
    await wire.until(() => checked === total, 'the host to read everything');
    expect(mismatch).toBe(-1);
    expect(host!.length).toBe(total);
  });

  it('answers an out-of-order segment with a duplicate ACK, trims old and overlapping data, and takes duplicates once', async () => {
    const wire = new Wire();
    let host: ReturnType<typeof collect> | undefined;
    const server = await hostServer((socket) => { host = collect(socket); });
    const guest = await connect(wire, 40002, server.port);
    const start = guest.dataStart;
    guest.send(TCP_ACK | TCP_PSH, text('hello '));
    await wire.until(() => guest.peerAck === add(start, 6), 'the ACK of hello');

    // A hole: bytes 10.. come before 6..9. Dropped, and the ACK repeats what is expected.
    const acksBefore = guest.segments.length;
    guest.send(TCP_ACK | TCP_PSH, text('rld'), { sequence: add(start, 10) });
    wire.pump();
    const duplicate = guest.segments.slice(acksBefore);
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]).toMatchObject({ flags: TCP_ACK, acknowledgment: add(start, 6) });

    // Overlapping: 'lo wo' starts 3 bytes back; only 'wo' is new. Then a pure duplicate.
    guest.send(TCP_ACK | TCP_PSH, text('lo wo'), { sequence: add(start, 3) });
    await wire.until(() => guest.peerAck === add(start, 8), 'the ACK of the overlap');
    guest.send(TCP_ACK | TCP_PSH, text('hello '), { sequence: start });
    wire.pump();
    expect(guest.segments.at(-1)).toMatchObject({ flags: TCP_ACK, acknowledgment: add(start, 8) });
    guest.sequence = add(start, 8);
    guest.send(TCP_ACK | TCP_PSH, text('rld'));
    await wire.until(() => host?.length === 11, 'the host to read hello world');
    await wire.settle(20);
    expect(Buffer.concat(host!.chunks).toString()).toBe('hello world');
  });
});

describe('tcp: host to guest', () => {
  it('keeps to the guest\'s MSS and window, and carries 1 MiB intact', async () => {
    const wire = new Wire();
    const payload = pattern(12345, 1024 * 1024);
    const server = await hostServer((socket) => { socket.end(payload); });
    const guest = await connect(wire, 40003, server.port, { mss: 1000, window: 8000 });
    await wire.until(() => guest.finReceived, 'the whole transfer and its FIN', 30_000);
    expect(guest.violations).toEqual([]);
    expect(guest.receivedLength).toBe(payload.length);
    expect(sha256(guest.data)).toBe(sha256(payload));
    expect(Math.max(...guest.segments.map((segment) => segment.payload.length))).toBe(1000);
  });

  it('retransmits an unacknowledged segment after 1 s of virtual time, and takes duplicate ACKs', async () => {
    const wire = new Wire();
    const payload = pattern(0, 3000);
    const server = await hostServer();
    const guest = await connect(wire, 40004, server.port);
    guest.autoAck = false;
    await wire.until(() => server.sockets.length === 1, 'accept');
    server.sockets[0].write(payload);
    await wire.until(() => guest.segments.reduce((sum, segment) => sum + segment.payload.length, 0) >= 3000, 'the data');
    const first = guest.segments.slice(1);
    expect(first.map((segment) => segment.payload.length)).toEqual([1460, 1460, 80]);
    expect(first[0].sequence).toBe(guest.receiveNext);

    wire.advance(RTO - 100_000_000n);
    expect(guest.segments.length).toBe(1 + first.length);
    wire.advance(200_000_000n);
    const again = guest.segments.slice(1 + first.length);
    expect(again.length).toBeGreaterThan(0);
    expect(again[0].sequence).toBe(first[0].sequence);
    expect(again[0].payload).toEqual(first[0].payload);

    // The guest takes everything now, duplicates included, and acknowledges; then all is quiet.
    guest.autoAck = true;
    for (const segment of [...first, ...again]) guest.handle(segment);
    wire.pump();
    expect(sha256(guest.data)).toBe(sha256(payload));
    const count = guest.segments.length;
    wire.advance(120n * SECOND);
    expect(guest.segments.length).toBe(count);
    expect(wire.reports).toEqual([]);
  });

  it('probes a zero window after the timeout and resumes when it opens', async () => {
    const wire = new Wire();
    const server = await hostServer();
    const guest = await connect(wire, 40005, server.port, { window: 0 });
    guest.allowProbes = true;
    await wire.until(() => server.sockets.length === 1, 'accept');
    const payload = pattern(7, 5000);
    server.sockets[0].write(payload);
    await wire.settle(30);
    expect(guest.segments.length).toBe(1); // the window is closed: nothing goes

    // Each probe carries one byte; the guest refuses it and keeps the window closed.
    guest.autoAck = false;
    wire.advance(RTO);
    const probes = guest.segments.slice(1);
    expect(probes).toHaveLength(1);
    expect(probes[0].payload).toHaveLength(1);
    expect(probes[0].sequence).toBe(guest.receiveNext);
    guest.ack(0);
    wire.advance(RTO);
    expect(guest.segments.length).toBe(2); // backed off: the next probe is 2 s away
    wire.advance(RTO);
    expect(guest.segments.length).toBe(3);
    expect(guest.segments[2]).toMatchObject({ sequence: probes[0].sequence, payload: probes[0].payload });
    guest.ack(0);

    // The window opens: the rest follows at once.
    guest.autoAck = true;
    guest.ack(65535);
    await wire.until(() => guest.receivedLength === payload.length, 'the data after the window opened');
    expect(sha256(guest.data)).toBe(sha256(payload));
    expect(guest.violations).toEqual([]);
  });
});

describe('tcp: segmentation offload (the NIC\'s GUEST_TSO4 and HOST_TSO4)', () => {
  it('sends segments as large as the guest\'s window allows once its NIC takes GSO, and carries 512 KiB intact', async () => {
    const wire = new Wire();
    wire.net.setOffloads({ guestTso: true, hostTso: true });
    const payload = pattern(777, 512 * 1024);
    const server = await hostServer((socket) => { socket.end(payload); });
    const guest = await connect(wire, 40090, server.port, { window: 40_000 });
    await wire.until(() => guest.finReceived, 'the whole transfer and its FIN', 30_000);
    expect(sha256(guest.data)).toBe(sha256(payload));
    expect(guest.violations.filter((violation) => !violation.includes('beyond the MSS'))).toEqual([]);
    const largest = Math.max(...guest.segments.map((segment) => segment.payload.length));
    expect(largest).toBeGreaterThan(1460);
    expect(largest).toBeLessThanOrEqual(40_000);
  });

  it('takes a 30,000-byte segment from the guest whole only when its NIC gives GSO', async () => {
    for (const hostTso of [true, false]) {
      const wire = new Wire();
      wire.net.setOffloads({ guestTso: false, hostTso });
      let host: ReturnType<typeof collect> | undefined;
      const server = await hostServer((socket) => { host = collect(socket); });
      const guest = await connect(wire, 40091, server.port);
      await wire.until(() => host !== undefined, 'the host server to accept');
      const dropped = wire.net.stats.dropped;
      const big = pattern(0, 30_000);
      expect(guest.send(TCP_ACK | TCP_PSH, big).kind).toBe(hostTso ? 'handled' : 'dropped');
      if (hostTso) {
        await wire.until(() => host!.length === 30_000, 'the segment at the host');
        expect(sha256(concat(host!.chunks))).toBe(sha256(big));
      } else {
        expect(wire.net.stats.dropped).toBe(dropped + 1);
      }
    }
  });
});

describe('tcp: closing', () => {
  it('host ends first: its FIN follows all data; the guest\'s FIN ends the host\'s reading; then the connection is gone', async () => {
    const wire = new Wire();
    let host: ReturnType<typeof collect> | undefined;
    const server = await hostServer((socket) => { host = collect(socket); socket.end(text('bye')); });
    const guest = await connect(wire, 40006, server.port);
    await wire.until(() => guest.finReceived, 'the FIN');
    expect(new TextDecoder().decode(guest.data)).toBe('bye');
    const fin = guest.segments.find((segment) => segment.flags & TCP_FIN)!;
    expect(fin.sequence).toBe(add(guest.segments[0].sequence, 1 + 3));
    guest.send(TCP_FIN | TCP_ACK);
    await wire.until(() => host?.ended === true, 'the host to see the end');
    expect(guest.segments.at(-1)).toMatchObject({ flags: TCP_ACK, acknowledgment: guest.sequence });

    // Both FINs are acknowledged: a late segment finds no connection and is reset.
    const strays = wire.stray.length;
    guest.send(TCP_ACK, undefined, { sequence: guest.sequence });
    wire.pump();
    const reset = guest.segments.at(-1)!;
    expect(reset.flags & TCP_RST).toBe(TCP_RST);
    expect(reset.sequence).toBe(guest.receiveNext);
    expect(wire.stray.length).toBe(strays);
  });

  it('guest ends first: the host sees the end, writes on, ends, and the guest gets data then FIN', async () => {
    const wire = new Wire();
    let host: ReturnType<typeof collect> | undefined;
    const server = await hostServer((socket) => {
      host = collect(socket);
      socket.on('end', () => socket.end(text('after your FIN')));
    });
    const guest = await connect(wire, 40007, server.port);
    guest.send(TCP_ACK | TCP_PSH | TCP_FIN, text('request'));
    await wire.until(() => guest.finReceived, 'the host\'s answer and FIN');
    expect(Buffer.concat(host!.chunks).toString()).toBe('request');
    expect(new TextDecoder().decode(guest.data)).toBe('after your FIN');
    await wire.until(() => host?.closed === true, 'the host socket to close');
    guest.send(TCP_ACK | TCP_PSH, text('late'));
    wire.pump();
    expect(guest.reset).toBe(true);
  });

  it('a reset from the guest closes the host socket', async () => {
    const wire = new Wire();
    let host: ReturnType<typeof collect> | undefined;
    const server = await hostServer((socket) => { host = collect(socket); });
    const guest = await connect(wire, 40008, server.port);
    await wire.until(() => host !== undefined, 'accept');
    guest.send(TCP_RST);
    await wire.until(() => host?.closed === true, 'the host socket to close');
    // A reset, not a FIN: the host must not take a cut-off stream for a whole one.
    expect(host!.ended).toBe(false);
    expect(host!.error).toBe('ECONNRESET');
  });

  it('a host socket reset becomes a reset to the guest', async () => {
    const wire = new Wire();
    const server = await hostServer();
    const guest = await connect(wire, 40009, server.port);
    await wire.until(() => server.sockets.length === 1, 'accept');
    server.sockets[0].resetAndDestroy();
    await wire.until(() => guest.reset, 'the reset');
    const reset = guest.segments.at(-1)!;
    expect(reset.flags).toBe(TCP_RST | TCP_ACK);
    expect(reset.sequence).toBe(guest.receiveNext);
    expect(reset.acknowledgment).toBe(guest.sequence);
  });

  it('a host reset after the SYN-ACK, before the guest\'s ACK, is a reset the guest takes', async () => {
    const wire = new Wire();
    const server = await hostServer();
    const guest = new GuestSocket(wire, 40010, server.port, 0x5000);
    guest.send(TCP_SYN, undefined, { mss: 1460 });
    await wire.until(() => guest.segments.length === 1 && server.sockets.length === 1, 'the SYN-ACK');
    const synAck = guest.segments[0];
    expect(synAck.flags).toBe(TCP_SYN | TCP_ACK);
    server.sockets[0].resetAndDestroy();
    await wire.until(() => guest.reset, 'the reset');
    const reset = guest.segments.at(-1)!;
    expect(reset.flags).toBe(TCP_RST | TCP_ACK);
    expect(reset.acknowledgment).toBe(guest.dataStart);
    // After a SYN-ACK the guest expects ISS+1: a reset elsewhere is not taken (RFC 9293 §3.10.7.4, RFC 5961 §3.2).
    expect(reset.sequence).toBe(add(synAck.sequence, 1));
  });

  it('a SYN to a closed host port is refused with RST|ACK acknowledging the guest\'s ISN + 1', async () => {
    const wire = new Wire();
    const port = await freePort();
    const guest = new GuestSocket(wire, 40011, port, 0xffff_fffe);
    expect(guest.send(TCP_SYN, undefined, { mss: 1460 }).kind).toBe('handled');
    await wire.until(() => guest.reset, 'the reset');
    expect(guest.segments).toHaveLength(1);
    expect(guest.segments[0]).toMatchObject({ flags: TCP_RST | TCP_ACK, acknowledgment: 0xffff_ffff });
    expect(wire.reports.join('\n')).toMatch(/ECONNREFUSED/);
    // The connection is forgotten: a new SYN from the same port is a new attempt.
    const again = new GuestSocket(wire, 40011, port, 5);
    again.send(TCP_SYN);
    await wire.until(() => again.reset, 'the second reset');
    expect(again.segments[0].acknowledgment).toBe(6);
  });

  it('answers a segment for no connection with a reset (RFC 9293 §3.10.7.1)', () => {
    const wire = new Wire();
    expect(wire.sendTcp({ sourcePort: 40012, destinationPort: 9, sequence: 100, acknowledgment: 555, flags: TCP_ACK }).kind).toBe('ignored');
    expect(wire.sendTcp({ sourcePort: 40012, destinationPort: 9, sequence: 100, flags: TCP_FIN, payload: text('ab') }).kind).toBe('ignored');
    expect(wire.sendTcp({ sourcePort: 40012, destinationPort: 9, sequence: 100, flags: TCP_RST }).kind).toBe('ignored');
    wire.pump();
    expect(wire.stray.map(({ segment }) => [segment.flags, segment.sequence, segment.acknowledgment])).toEqual([
      [TCP_RST, 555, 0],
      [TCP_RST | TCP_ACK, 0, 103],
    ]);
  });
});

/** A guest that answers forwarded SYNs on `guestPort` (or refuses them) and keeps the sockets. */
async function acceptForwarded(wire: Wire, guestPort: number, refuse = false): Promise<GuestSocket> {
  const seen = wire.stray.length;
  await wire.until(() => wire.stray.slice(seen).some(({ segment }) => segment.flags & TCP_SYN), 'a forwarded SYN');
  const { segment: syn, remote } = wire.stray.slice(seen).find(({ segment }) => segment.flags & TCP_SYN)!;
  expect(remote).toBe(GATEWAY);
  expect(syn).toMatchObject({ destinationPort: guestPort, flags: TCP_SYN, mss: 1460 });
  const socket = new GuestSocket(wire, guestPort, syn.sourcePort, refuse ? 0 : 0x7000_0000);
  socket.handle(syn);
  if (refuse) {
    socket.send(TCP_RST | TCP_ACK, undefined, { sequence: 0, window: 0 });
    return socket;
  }
  socket.send(TCP_SYN | TCP_ACK, undefined, { mss: 1460 });
  await wire.until(() => socket.peerAck === socket.dataStart, 'the ACK of the SYN-ACK');
  return socket;
}

async function forwardedNetwork(options: Partial<UserNetworkOptions> = {}) {
  const port = await freePort();
  const wire = new Wire({ ...options, hostForwards: [{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: port, guestAddress: GUEST, guestPort: 2222 }] });
  await wire.net.ready;
  wire.hello();
  return { wire, port };
}

function hostClient(port: number): net.Socket {
  const client = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  client.on('error', () => {});
  cleanup.push(() => client.destroy());
  return client;
}

describe('tcp: hostfwd', () => {
  it('brings a host client to the guest: SYN, the guest\'s SYN-ACK, data both ways, FIN both ways', async () => {
    const { wire, port } = await forwardedNetwork();
    const client = hostClient(port);
    const seen = collect(client);
    client.write('ping');
    const guest = await acceptForwarded(wire, 2222);
    await wire.until(() => guest.receivedLength === 4, 'the client\'s bytes');
    expect(new TextDecoder().decode(guest.data)).toBe('ping');
    guest.send(TCP_ACK | TCP_PSH, text('pong'));
    await wire.until(() => seen.length === 4, 'the guest\'s bytes');
    expect(Buffer.concat(seen.chunks).toString()).toBe('pong');
    client.end();
    await wire.until(() => guest.finReceived, 'the client\'s FIN');
    guest.send(TCP_FIN | TCP_ACK);
    await wire.until(() => seen.ended && seen.closed, 'the client to see the end');
  });

  it('a guest reset on the forwarded SYN closes the host client', async () => {
    const { wire, port } = await forwardedNetwork();
    const client = hostClient(port);
    const seen = collect(client);
    await acceptForwarded(wire, 2222, true);
    await wire.until(() => seen.closed, 'the client to be closed');
    expect(seen.error).toBe('ECONNRESET');
    expect(wire.reports.join('\n')).toMatch(/refused the forwarded connection/);
  });
});

describe('restrict=on', () => {
  it('resets the guest\'s SYN, relays no UDP, and still forwards host clients', async () => {
    const { wire, port } = await forwardedNetwork({ restrict: true });
    const server = await hostServer();
    const udp = dgram.createSocket('udp4');
    const datagrams: Buffer[] = [];
    udp.on('message', (message) => datagrams.push(message));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    cleanup.push(() => udp.close());
    const ignored = wire.net.stats.ignored;

    const guest = new GuestSocket(wire, 40013, server.port, 1000);
    expect(guest.send(TCP_SYN, undefined, { mss: 1460 }).kind).toBe('ignored');
    wire.pump();
    expect(guest.segments).toHaveLength(1);
    expect(guest.segments[0]).toMatchObject({ flags: TCP_RST | TCP_ACK, acknowledgment: 1001 });
    const datagram = buildUdp({ sourcePort: 5555, destinationPort: udp.address().port, payload: text('out') }, GUEST, GATEWAY);
    expect(wire.send(ipFrame(PROTOCOL_UDP, datagram)).kind).toBe('ignored');
    expect(wire.net.stats.ignored).toBe(ignored + 2);
    await wire.settle(50);
    expect(server.sockets).toHaveLength(0);
    expect(datagrams).toHaveLength(0);

    const client = hostClient(port);
    client.write('in');
    const forwarded = await acceptForwarded(wire, 2222);
    await wire.until(() => forwarded.receivedLength === 2, 'the forwarded bytes');
  });
});

describe('udp NAT', () => {
  it('relays a datagram to 127.0.0.1:P and the reply back to the guest\'s port', async () => {
    const wire = new Wire();
    const udp = dgram.createSocket('udp4');
    udp.on('message', (message, from) => udp.send(Buffer.concat([Buffer.from('re: '), message]), from.port, from.address));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    cleanup.push(() => udp.close());
    const port = udp.address().port;
    const datagram = buildUdp({ sourcePort: 5555, destinationPort: port, payload: text('hello') }, GUEST, GATEWAY);
    expect(wire.send(ipFrame(PROTOCOL_UDP, datagram)).kind).toBe('handled');
    await wire.until(() => wire.datagrams.length === 1, 'the reply');
    expect(wire.datagrams[0]).toMatchObject({ source: GATEWAY, sourcePort: port, destinationPort: 5555 });
    expect(new TextDecoder().decode(wire.datagrams[0].payload)).toBe('re: hello');
  });
});

describe('udp hostfwd', () => {
  it('brings a host client\'s datagrams to the guest port and the guest\'s replies back to that client', async () => {
    const udpFreePort = async () => {
      const probe = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
      const port = probe.address().port;
      await new Promise<void>((resolve) => probe.close(resolve));
      return port;
    };
    const port = await udpFreePort();
    const wire = new Wire({ hostForwards: [{ protocol: 'udp', hostAddress: '127.0.0.1', hostPort: port, guestAddress: GUEST, guestPort: 5353 }] });
    await wire.net.ready;
    wire.hello();
    const clients = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
    const heard: string[][] = [[], []];
    for (const [i, client] of clients.entries()) {
      client.on('message', (message) => heard[i].push(message.toString()));
      await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
      cleanup.push(() => client.close());
    }
    clients[0].send('from a', port, '127.0.0.1');
    await wire.until(() => wire.datagrams.length === 1, 'the first datagram');
    clients[1].send('from b', port, '127.0.0.1');
    await wire.until(() => wire.datagrams.length === 2, 'the second datagram');
    // Each host client is its own gateway port, as the guest sees it.
    const [a, b] = wire.datagrams;
    expect(a).toMatchObject({ source: GATEWAY, destinationPort: 5353 });
    expect(b).toMatchObject({ source: GATEWAY, destinationPort: 5353 });
    expect(a.sourcePort).not.toBe(b.sourcePort);
    expect([new TextDecoder().decode(a.payload), new TextDecoder().decode(b.payload)]).toEqual(['from a', 'from b']);
    const reply = (to: number, payload: string) => wire.send(ipFrame(PROTOCOL_UDP, buildUdp({ sourcePort: 5353, destinationPort: to, payload: text(payload) }, GUEST, GATEWAY)));
    expect(reply(b.sourcePort, 'to b').kind).toBe('handled');
    expect(reply(a.sourcePort, 'to a').kind).toBe('handled');
    await wire.until(() => heard[0].length === 1 && heard[1].length === 1, 'both replies');
    expect(heard).toEqual([['to a'], ['to b']]);
  });
});

describe('tcp: many connections', () => {
  it('opens 50 connections at once, each echoing its own greeting', async () => {
    const wire = new Wire();
    const server = await hostServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
    const guests: GuestSocket[] = [];
    for (let i = 0; i < 50; i++) {
      const guest = new GuestSocket(wire, 41000 + i, server.port, 0x1111 * i);
      guest.send(TCP_SYN, undefined, { mss: 1460 });
      guests.push(guest);
    }
    await wire.until(() => guests.every((guest) => guest.segments.length > 0), 'every SYN-ACK');
    for (const guest of guests) {
      expect(guest.segments[0].flags).toBe(TCP_SYN | TCP_ACK);
      guest.send(TCP_ACK);
      guest.send(TCP_ACK | TCP_PSH, text(`hello from ${guest.guestPort}`));
    }
    await wire.until(() => guests.every((guest) => guest.receivedLength === 16), 'every echo');
    for (const guest of guests) expect(new TextDecoder().decode(guest.data)).toBe(`hello from ${guest.guestPort}`);
    expect(server.sockets).toHaveLength(50);
    expect(wire.reports).toEqual([]);
  });
});

describe('tcp: malformed segments', () => {
  it('drops and counts 3,000 broken segments without throwing, and works after', async () => {
    const wire = new Wire();
    const server = await hostServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
    const next = random(0x7c9_2e11);
    const valid = () => tcpBytes({
      sourcePort: 30000 + next(1000), destinationPort: server.port, sequence: next(0x7fff_ffff), acknowledgment: next(0x7fff_ffff),
      flags: [TCP_SYN, TCP_ACK, TCP_ACK | TCP_PSH, TCP_FIN | TCP_ACK][next(4)], window: next(65536),
      mss: next(2) ? 1460 : undefined, payload: pattern(next(1000), next(100)),
    });
    const dropped = wire.net.stats.dropped;
    const count = 3000;
    for (let i = 0; i < count; i++) {
      let segment: Uint8Array;
      switch (i % 5) {
        case 0: // shorter than a header
          segment = valid().slice(0, next(20));
          break;
        case 1: { // one byte changed: the checksum no longer matches
          segment = valid();
          segment[next(segment.length)] ^= 1 + next(255);
          break;
        }
        case 2: { // a data offset below 5 words or beyond the segment, checksum made right
          segment = valid();
          const words = segment.length >> 2;
          segment[12] = (segment.length < 60 && next(2) ? words + 1 + next(15 - words) : next(5)) << 4;
          segment[16] = segment[17] = 0;
          const checksum = tcpChecksum(segment, GUEST, GATEWAY);
          segment.set([checksum >> 8, checksum & 0xff], 16);
          break;
        }
        case 3: { // a malformed option (length 0, 1 or past the header), checksum made right
          segment = tcpBytes({ sourcePort: 30001, destinationPort: server.port, sequence: 1, flags: TCP_SYN, mss: 1460 });
          segment.set([2, [0, 1, 8, 3][next(4)]], 20);
          segment[16] = segment[17] = 0;
          const checksum = tcpChecksum(segment, GUEST, GATEWAY);
          segment.set([checksum >> 8, checksum & 0xff], 16);
          break;
        }
        default: { // random bytes, made sure to fail the checksum
          segment = Uint8Array.from({ length: next(80) }, () => next(256));
          if (segment.length >= 20 && tcpChecksum(segment, GUEST, GATEWAY) === 0) segment[0] ^= 1;
        }
      }
      let kind = '';
      expect(() => { kind = wire.send(ipFrame(PROTOCOL_TCP, segment)).kind; }).not.toThrow();
      expect(kind, `segment ${i}`).toBe('dropped');
    }
    expect(wire.net.stats.dropped - dropped).toBe(count);
    wire.pump();
    expect(wire.stray).toEqual([]);
    expect(server.sockets).toHaveLength(0);

    const guest = await connect(wire, 40014, server.port);
    guest.send(TCP_ACK | TCP_PSH, text('still here'));
    await wire.until(() => guest.receivedLength === 10, 'the echo');
    expect(new TextDecoder().decode(guest.data)).toBe('still here');
  });
});
