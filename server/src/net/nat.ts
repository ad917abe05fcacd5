// The user network's way out: the guest's TCP connections and UDP flows relayed to host
// sockets (10.0.2.2:PORT is the host's 127.0.0.1:PORT, other addresses are themselves), and
// `hostfwd=` listeners relaying host clients into the guest. Host callbacks only queue work
// (link.defer): it runs at a machine boundary, where the frames it makes are logged.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { formatIpv4, type Ipv4Address } from './frames';
import { TCP_ACK, TCP_SYN, TcpConnection, resetFor, type TcpHostSide, type TcpSegment, type TcpStatus } from './tcp';
import type { UdpEndpoint } from './services';

/** `hostfwd=tcp|udp:[hostaddr]:hostport-[guestaddr]:guestport`. */
export interface HostForward {
  readonly protocol: 'tcp' | 'udp';
  readonly hostAddress: string;
  readonly hostPort: number;
  readonly guestAddress: Ipv4Address;
  readonly guestPort: number;
}

/** An address (dotted, or `*` for every address) and a port, as `info usernet` prints them. */
export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * One row of `info usernet` (slirp's connection_info): a hostfwd listener, a relayed TCP
 * connection or a UDP flow. The source of a listener or a forwarded connection is the host's
 * end, of anything the guest opened the guest's end, as slirp shows them.
 */
export type NatSocket =
  | { readonly kind: 'forward'; readonly protocol: 'tcp' | 'udp'; readonly source: SocketAddress; readonly destination: SocketAddress }
  | { readonly kind: 'tcp'; readonly status: TcpStatus; readonly source: SocketAddress; readonly destination: SocketAddress }
  | {
    readonly kind: 'udp'; readonly secondsLeft: number; readonly source: SocketAddress; readonly destination: SocketAddress;
    /** Datagrams for the host not yet sent by the host's stack, in bytes. */
    readonly sendQueue: number;
  };

/** A rule as QEMU writes it: `tcp:127.0.0.1:2222`. */
export const forwardName = (forward: Pick<HostForward, 'protocol' | 'hostAddress' | 'hostPort'>): string =>
  `${forward.protocol}:${forward.hostAddress}:${forward.hostPort}`;

/** What the relay needs of the network. */
export interface NatLink {
  /** A segment to the guest from `remote` (the gateway's address or a NAT'd one). */
  sendTcp(remote: Ipv4Address, guest: Ipv4Address, segment: TcpSegment): void;
  sendUdp(from: UdpEndpoint, to: UdpEndpoint, payload: Uint8Array): void;
  defer(work: () => void): void;
  now(): bigint;
  report(message: string): void;
  readonly gateway: Ipv4Address;
  /** The guest takes TCP segments longer than its MSS (the NIC's GUEST_TSO4). */
  largeSegments?(): boolean;
}

/** UDP flows idle this long (virtual time) are closed, as slirp expires its UDP sockets. */
const UDP_IDLE_NS = 240_000_000_000n;
/** Ports the gateway uses as the source of forwarded connections and datagrams. */
const FORWARD_PORT_FIRST = 49152;
const FORWARD_PORT_COUNT = 16384;
/** At most this many relayed connections and flows at once: a guest cannot exhaust the host. */
const MAX_CONNECTIONS = 1024;
const MAX_UDP_FLOWS = 256;

interface TcpEntry {
  readonly connection: TcpConnection;
  readonly guest: Ipv4Address;
  readonly remote: Ipv4Address;
  /** A forwarded connection: the host's end the client connected to. */
  readonly hostEnd?: SocketAddress;
}

/** A `hostfwd` listener and what it is bound to (port 0 takes a port the host chooses). */
interface Listener {
  readonly forward: HostForward;
  readonly socket: net.Server | dgram.Socket;
  readonly bound: SocketAddress;
}

interface UdpFlow {
  readonly socket: dgram.Socket;
  readonly guest: UdpEndpoint;
  readonly remote: UdpEndpoint;
  lastUsed: bigint;
}

/** A host client of a UDP forward, seen by the guest as the gateway at `gatewayPort`. */
interface UdpForwardClient {
  readonly socket: dgram.Socket;
  readonly client: { address: string; port: number };
  readonly gatewayPort: number;
  readonly guest: UdpEndpoint;
  lastUsed: bigint;
}

const key = (guest: Ipv4Address, guestPort: number, remote: Ipv4Address, remotePort: number): string =>
  `${guest}:${guestPort}>${remote}:${remotePort}`;

export class Nat {
  private readonly tcp = new Map<string, TcpEntry>();
  private readonly udp = new Map<string, UdpFlow>();
  private readonly udpClients = new Map<string, UdpForwardClient>();
  private readonly listeners: Listener[] = [];
  private nextIss = 0x1000_0000;
  private nextForwardPort = 0;
  private closing = false;

  constructor(private readonly link: NatLink, private readonly restrict: boolean) {}

  /** Opens the `hostfwd=` listeners; a port that cannot be bound is an error (QEMU exits too). */
  async listen(forwards: readonly HostForward[]): Promise<void> {
    for (const forward of forwards) await this.addForward(forward);
  }

  /** Opens one more listener (the monitor's hostfwd_add); rejects with one line if it cannot bind. */
  async addForward(forward: HostForward): Promise<void> {
    if (this.closing) throw new Error(`could not set up host forwarding rule ${forwardName(forward)}: the network is closed`);
    if (forward.protocol === 'tcp') await this.listenTcp(forward);
    else await this.listenUdp(forward);
  }

  /**
   * Closes the listener bound to `hostAddress:hostPort` (its address as given or as bound, its
   * port as bound); false if there is none. Connections it accepted stay, as in QEMU; a UDP
   * forward's host clients go with its socket, which was their only way back.
   */
  removeForward(protocol: 'tcp' | 'udp', hostAddress: string, hostPort: number): boolean {
    const index = this.listeners.findIndex(({ forward, bound }) => forward.protocol === protocol && bound.port === hostPort
      && (bound.address === hostAddress || forward.hostAddress === hostAddress));
    if (index < 0) return false;
    const [{ socket }] = this.listeners.splice(index, 1);
    socket.close();
    for (const [name, client] of this.udpClients) if (client.socket === socket) this.udpClients.delete(name);
    return true;
  }

  /** The listeners, connections and flows, for `info usernet` (read-only). */
  describe(): NatSocket[] {
    const now = this.link.now();
    const at = (address: Ipv4Address, port: number): SocketAddress => ({ address: formatIpv4(address), port });
    const rows: NatSocket[] = [];
    const forwardRow = ({ forward, bound }: Listener): NatSocket =>
      ({ kind: 'forward', protocol: forward.protocol, source: bound, destination: at(forward.guestAddress, forward.guestPort) });
    rows.push(...this.listeners.filter((l) => l.forward.protocol === 'tcp').map(forwardRow));
    for (const { connection, guest, remote, hostEnd } of this.tcp.values()) {
      const { guestPort, remotePort } = connection.endpoints;
      rows.push(hostEnd
        ? { kind: 'tcp', status: connection.status(), source: hostEnd, destination: at(guest, guestPort) }
        : { kind: 'tcp', status: connection.status(), source: at(guest, guestPort), destination: at(remote, remotePort) });
    }
    rows.push(...this.listeners.filter((l) => l.forward.protocol === 'udp').map(forwardRow));
    const secondsLeft = (lastUsed: bigint) => Math.max(0, Number((lastUsed + UDP_IDLE_NS - now) / 1_000_000_000n));
    for (const flow of this.udp.values()) {
      rows.push({
        kind: 'udp', secondsLeft: secondsLeft(flow.lastUsed), source: at(flow.guest.address, flow.guest.port),
        destination: at(flow.remote.address, flow.remote.port), sendQueue: sendQueue(flow.socket),
      });
    }
    // A UDP forward's host clients (slirp keeps none: its listener is their only socket) are
    // shown as flows from the client to the guest.
    for (const client of this.udpClients.values()) {
      rows.push({
        kind: 'udp', secondsLeft: secondsLeft(client.lastUsed), source: client.client,
        destination: at(client.guest.address, client.guest.port), sendQueue: sendQueue(client.socket),
      });
    }
    return rows;
  }

  /** True while host sockets may bring work (open connections or flows). */
  get busy(): boolean {
    return this.tcp.size > 0 || this.udp.size > 0 || this.udpClients.size > 0;
  }

  get connectionCount(): number {
    return this.tcp.size;
  }

  /** Timers (retransmission, UDP expiry) and the coalesced ACKs, at each boundary. */
  poll(now: bigint): void {
    for (const { connection } of this.tcp.values()) {
      if (connection.deadline !== undefined && connection.deadline <= now) connection.timer();
    }
    for (const { connection } of this.tcp.values()) connection.flush();
    for (const [name, flow] of this.udp) {
      if (now - flow.lastUsed > UDP_IDLE_NS) {
        flow.socket.close();
        this.udp.delete(name);
      }
    }
    for (const [name, client] of this.udpClients) {
      if (now - client.lastUsed > UDP_IDLE_NS) this.udpClients.delete(name);
    }
  }

  /** Resets every relayed connection and closes every flow; the forwards keep listening. */
  closeConnections(): void {
    for (const { connection } of [...this.tcp.values()]) connection.abort();
    this.tcp.clear();
    for (const flow of this.udp.values()) flow.socket.close();
    this.udp.clear();
    this.udpClients.clear();
  }

  close(): void {
    this.closing = true;
    this.closeConnections();
    for (const { socket } of this.listeners) socket.close();
    this.listeners.length = 0;
  }

  // --- TCP ----------------------------------------------------------------------------------

  /** A segment from the guest at `guest` to `remote`. Returns why it was refused, if it was. */
  tcpFromGuest(segment: TcpSegment, guest: Ipv4Address, remote: Ipv4Address): string | undefined {
    const entry = this.tcp.get(key(guest, segment.sourcePort, remote, segment.destinationPort));
    if (entry) {
      entry.connection.segment(segment);
      return undefined;
    }
    const reset = (why: string): string => {
      const answer = resetFor(segment);
      if (answer) this.link.sendTcp(remote, guest, answer);
      return why;
    };
    if ((segment.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return reset('tcp: no such connection');
    if (this.restrict) return reset('tcp: restrict=on: the guest may not open connections');
    if (this.tcp.size >= MAX_CONNECTIONS) return reset('tcp: too many connections');
    const host = remote === this.link.gateway ? '127.0.0.1' : formatIpv4(remote);
    this.openTcp(segment, guest, remote, host);
    return undefined;
  }

  private openTcp(syn: TcpSegment, guest: Ipv4Address, remote: Ipv4Address, host: string): void {
    const socket = new net.Socket({ allowHalfOpen: true });
    const name = key(guest, syn.sourcePort, remote, syn.destinationPort);
    const connection = new TcpConnection(
      { guestPort: syn.sourcePort, remotePort: syn.destinationPort },
      hostSide(socket),
      this.tcpLink(name, remote, guest),
      this.iss(),
      syn,
    );
    this.tcp.set(name, { connection, guest, remote });
    this.wire(socket, connection);
    socket.once('connect', () => this.link.defer(() => connection.hostConnected()));
    socket.connect({ host, port: syn.destinationPort });
  }

  private async listenTcp(forward: HostForward): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
      if (this.closing) return void socket.destroy();
      this.link.defer(() => this.acceptTcp(socket, forward));
    });
    await listening(server, forward, () => server.listen(forward.hostPort, forward.hostAddress));
    this.keep(forward, server, server.address() as net.AddressInfo);
  }

  /** Keeps a listener that just bound, unless the network closed meanwhile. */
  private keep(forward: HostForward, socket: net.Server | dgram.Socket, bound: net.AddressInfo): void {
    if (this.closing) return void socket.close();
    this.listeners.push({ forward, socket, bound: { address: bound.address === '0.0.0.0' ? '*' : bound.address, port: bound.port } });
  }

  private acceptTcp(socket: net.Socket, forward: HostForward): void {
    if (this.tcp.size >= MAX_CONNECTIONS) return void socket.destroy();
    const { gateway } = this.link;
    const port = this.forwardPort((candidate) => !this.tcp.has(key(forward.guestAddress, forward.guestPort, gateway, candidate)));
    const name = key(forward.guestAddress, forward.guestPort, gateway, port);
    const connection = new TcpConnection(
      { guestPort: forward.guestPort, remotePort: port },
      hostSide(socket),
      this.tcpLink(name, gateway, forward.guestAddress),
      this.iss(),
    );
    const hostEnd = { address: socket.localAddress ?? forward.hostAddress, port: socket.localPort ?? forward.hostPort };
    this.tcp.set(name, { connection, guest: forward.guestAddress, remote: gateway, hostEnd });
    this.wire(socket, connection);
  }

  /** Host socket events become deferred connection events. */
  private wire(socket: net.Socket, connection: TcpConnection): void {
    socket.on('data', (chunk: Buffer) => this.link.defer(() => connection.hostData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))));
    socket.on('end', () => this.link.defer(() => connection.hostEnd()));
    socket.on('drain', () => this.link.defer(() => connection.hostDrained()));
    socket.on('error', (error: NodeJS.ErrnoException) => this.link.defer(() => connection.hostReset(error.code ?? error.message)));
    // Closed without an end of stream or an error (destroyed on the host's side): a reset.
    socket.on('close', () => this.link.defer(() => { if (!socket.readableEnded) connection.hostReset('the host socket closed'); }));
  }

  private tcpLink(name: string, remote: Ipv4Address, guest: Ipv4Address): ConstructorParameters<typeof TcpConnection>[2] {
    return {
      send: (segment) => this.link.sendTcp(remote, guest, segment),
      now: () => this.link.now(),
      largeSegments: () => this.link.largeSegments?.() ?? false,
      closed: () => { this.tcp.delete(name); },
      report: (message) => this.link.report(message),
    };
  }

  /** Initial sequence numbers: a fixed stride, so a run's choices never depend on the host. */
  private iss(): number {
    const iss = this.nextIss;
    this.nextIss = (this.nextIss + 0x0100_7919) >>> 0;
    return iss;
  }

  private forwardPort(free: (port: number) => boolean): number {
    for (let i = 0; i < FORWARD_PORT_COUNT; i++) {
      const port = FORWARD_PORT_FIRST + ((this.nextForwardPort + i) % FORWARD_PORT_COUNT);
      if (free(port)) {
        this.nextForwardPort = (port - FORWARD_PORT_FIRST + 1) % FORWARD_PORT_COUNT;
        return port;
      }
    }
    return FORWARD_PORT_FIRST;
  }

  // --- UDP ----------------------------------------------------------------------------------

  /** A datagram from the guest no built-in service took. Returns why it was refused, if it was. */
  udpFromGuest(payload: Uint8Array, from: UdpEndpoint, to: UdpEndpoint): string | undefined {
    const now = this.link.now();
    if (to.address === this.link.gateway) {
      const client = this.udpClients.get(`${to.port}`);
      if (client && client.guest.address === from.address && client.guest.port === from.port) {
        client.lastUsed = now;
        client.socket.send(payload, client.client.port, client.client.address);
        return undefined;
      }
    }
    if (this.restrict) return 'udp: restrict=on: the guest may not send beyond the gateway';
    const name = key(from.address, from.port, to.address, to.port);
    let flow = this.udp.get(name);
    if (!flow) {
      if (this.udp.size >= MAX_UDP_FLOWS) return 'udp: too many flows';
      const socket = dgram.createSocket('udp4');
      const created: UdpFlow = { socket, guest: from, remote: to, lastUsed: now };
      socket.on('message', (message) => this.link.defer(() => {
        created.lastUsed = this.link.now();
        this.link.sendUdp(created.remote, created.guest, new Uint8Array(message));
      }));
      socket.on('error', (error) => this.link.defer(() => {
        this.link.report(`udp ${formatIpv4(to.address)}:${to.port}: ${error.message}`);
        socket.close();
        this.udp.delete(name);
      }));
      this.udp.set(name, created);
      flow = created;
    }
    flow.lastUsed = now;
    const host = to.address === this.link.gateway ? '127.0.0.1' : formatIpv4(to.address);
    flow.socket.send(payload, to.port, host);
    return undefined;
  }

  private async listenUdp(forward: HostForward): Promise<void> {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (message, client) => this.link.defer(() => {
      const name = `${client.address}:${client.port}`;
      let entry = [...this.udpClients.values()].find((candidate) => `${candidate.client.address}:${candidate.client.port}` === name && candidate.socket === socket);
      if (!entry) {
        const gatewayPort = this.forwardPort((port) => !this.udpClients.has(`${port}`));
        entry = { socket, client: { address: client.address, port: client.port }, gatewayPort, guest: { address: forward.guestAddress, port: forward.guestPort }, lastUsed: 0n };
        this.udpClients.set(`${gatewayPort}`, entry);
      }
      entry.lastUsed = this.link.now();
      this.link.sendUdp({ address: this.link.gateway, port: entry.gatewayPort }, entry.guest, new Uint8Array(message));
    }));
    await listening(socket, forward, () => socket.bind(forward.hostPort, forward.hostAddress));
    this.keep(forward, socket, socket.address());
  }
}

/** The connection's view of a node:net socket. */
function hostSide(socket: net.Socket): TcpHostSide {
  return {
    write: (bytes) => { socket.write(bytes); },
    get pendingWrite() { return socket.writableLength; },
    end: () => { socket.end(); },
    // A reset or abandoned connection is a reset to the host too: a plain close would be a
    // FIN, and a host peer would take a cut-off stream for a complete one.
    destroy: () => { if (socket.connecting || socket.destroyed) socket.destroy(); else socket.resetAndDestroy(); },
    pause: () => { socket.pause(); },
    resume: () => { socket.resume(); },
  };
}

/** Bytes a UDP socket has yet to send (0 once it is closed). */
function sendQueue(socket: dgram.Socket): number {
  try {
    return socket.getSendQueueSize();
  } catch {
    return 0;
  }
}

/** Binds a listener, turning a failure into one line naming the forward. */
function listening(target: net.Server | dgram.Socket, forward: HostForward, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EADDRNOTAVAIL' ? 'no such local address' : error.code === 'EACCES' ? 'permission denied' : error.code ?? error.message;
      reject(new Error(`could not set up host forwarding rule ${forwardName(forward)}: ${why}`));
    };
    target.once('error', onError);
    target.once('listening', () => {
      target.removeListener('error', onError);
      resolve();
    });
    start();
  });
}
