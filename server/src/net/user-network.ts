// The gateway side of `-netdev user` on QEMU slirp's addresses: ARP for the gateway and DNS,
// ping to the gateway, DHCP from 10.0.2.15 on, the TFTP and DNS services, and TCP/UDP relayed
// to the host (nat.ts). Frames in through `fromGuest`; frames out wait in a queue the machine
// drains into the NIC at its boundaries (`poll`, `peekFrame`, `takeFrame`), logging each.
import {
  ARP_REPLY, BROADCAST_MAC, ETHERNET_MAX_FRAME, ETHERTYPE_ARP, ETHERTYPE_IPV4, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST,
  PROTOCOL_ICMP, PROTOCOL_TCP, PROTOCOL_UDP, buildArp, buildEthernet, buildIcmpEcho, buildIpv4, buildUdp,
  formatIpv4, formatMac, ipv4, mac, macEquals, parseArp, parseEthernet, parseIcmpEcho, parseIpv4, parseUdp,
  type EthernetFrame, type Ipv4Address, type Ipv4Packet, type MacAddress,
} from './frames';
import { DnsForwarder } from './dns';
import { Nat, type HostForward, type NatSocket } from './nat';
import type { ServiceResult, UdpEndpoint, UdpService, UdpServiceContext } from './services';
import { buildTcp, parseTcp, type TcpSegment } from './tcp';
import { TftpServer } from './tftp';
import {
  DHCP_CLIENT_PORT, DHCP_SERVER_PORT, FLAG_BROADCAST, MessageType, Option, addressOption, buildDhcp, parseDhcp,
  uint32Bytes, type DhcpMessage,
} from './dhcp';

/** The addresses of the virtual network; `SLIRP_ADDRESSES` are QEMU's defaults. */
export interface UserNetworkAddresses {
  readonly network: Ipv4Address;
  readonly netmask: Ipv4Address;
  /** The gateway, which is also the host as the guest sees it (slirp's vhost). */
  readonly gateway: Ipv4Address;
  readonly dns: Ipv4Address;
  /** The first address DHCP hands out (slirp's vdhcp_start). */
  readonly dhcpStart: Ipv4Address;
  /** Lease time in seconds, option 51. */
  readonly leaseSeconds: number;
}

export const SLIRP_ADDRESSES: UserNetworkAddresses = {
  network: ipv4('10.0.2.0'),
  netmask: ipv4('255.255.255.0'),
  gateway: ipv4('10.0.2.2'),
  dns: ipv4('10.0.2.3'),
  dhcpStart: ipv4('10.0.2.15'),
  leaseSeconds: 24 * 3600, // libslirp bootp.c LEASE_TIME
};

/** libslirp answers for its addresses with 52:55 followed by the IPv4 address (slirp.c special_ethaddr). */
export function slirpMac(address: Ipv4Address): MacAddress {
  return Uint8Array.of(0x52, 0x55, address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff);
}

/** The gateway's MAC on QEMU's default network. */
export const GATEWAY_MAC = mac('52:55:0a:00:02:02');

/** Clients DHCP serves at once, from dhcpStart upwards (libslirp bootp.h NB_BOOTP_CLIENTS). */
const DHCP_CLIENTS = 16;
/** TTL of packets the gateway originates (libslirp ip.h IPDEFTTL). */
const DEFAULT_TTL = 64;

/** What became of one guest frame. */
export type Disposition =
  | { readonly kind: 'handled' }
  /** Malformed: counted in stats.dropped. */
  | { readonly kind: 'dropped'; readonly reason: string }
  /** Well-formed but nothing here serves it (yet): counted in stats.ignored. */
  | { readonly kind: 'ignored'; readonly reason: string };

const handled: Disposition = { kind: 'handled' };
const dropped = (reason: string): Disposition => ({ kind: 'dropped', reason });
const ignored = (reason: string): Disposition => ({ kind: 'ignored', reason });

/** What the network tells its owner; a closed set. */
export type UserNetworkEvent =
  | { readonly kind: 'frame-dropped'; readonly reason: string }
  | { readonly kind: 'frame-ignored'; readonly reason: string }
  | { readonly kind: 'lease'; readonly mac: string; readonly address: Ipv4Address };

/** The network's ties to the machine. */
export interface UserNetworkHooks {
  /** Host work was queued (defer): an idle machine should come to a boundary and poll. */
  wake?(): void;
  /** Virtual time in ns (retransmission timers). */
  now?(): bigint;
  /** A notable event, one line (a refused forward, a reset connection). */
  report?(message: string): void;
  onEvent?(event: UserNetworkEvent): void;
}

/** `-netdev user` settings beyond the defaults. */
export interface UserNetworkOptions {
  /** The -netdev id (`__nicN` for a -nic), as the monitor names the network. */
  readonly id?: string;
  readonly hostForwards?: readonly HostForward[];
  /** `tftp=DIR`: the built-in TFTP server's root. */
  readonly tftpRoot?: string;
  /** `bootfile=NAME`: the boot file DHCP names. */
  readonly bootFile?: string;
  /** `restrict=on`: no connections or datagrams out, only the gateway's services and forwards. */
  readonly restrict?: boolean;
  /** The NIC's MAC: where frames go before the guest has sent any (a forward's first SYN). */
  readonly guestMac?: MacAddress;
}

/**
 * Frames that may wait for the guest's receive buffers. TCP never comes near it (each connection
 * sends within the guest's window and pauses its host socket beyond 512 KiB); past it, frames
 * are dropped and counted (stats.overflowed): a guest that floods the gateway without reading,
 * or a host that floods a UDP flow, cannot make the host's memory grow.
 */
const OUTBOX_CAP = 16384;
/** The largest frame a TSO segment makes: the Ethernet header and a 64 KiB IPv4 packet. */
const TSO_FRAME = 14 + 65535;

export interface UserNetworkStats {
  received: number;
  sent: number;
  handled: number;
  dropped: number;
  ignored: number;
  /** Frames for the guest dropped because OUTBOX_CAP frames were already waiting. */
  overflowed: number;
}

/** What a snapshot keeps of the network: its DHCP bindings, IP identification counter and counters. */
export interface UserNetworkState {
  name: 'user-network';
  version: 1;
  /** [client MAC as 52:54:00:12:34:56, leased address], in lease order. */
  leases: [string, Ipv4Address][];
  nextIdentification: number;
  stats: UserNetworkStats;
}

/** The network as the monitor shows it (`info network`, `info usernet`). */
export interface UserNetworkDescription {
  /** The -netdev id; undefined for a network built without one (tests). */
  readonly id: string | undefined;
  /** The NIC's MAC, if the network was told it. */
  readonly guestMac: string | undefined;
  /** The network's address (`net=`). */
  readonly network: string;
  readonly restrict: boolean;
  readonly sockets: readonly NatSocket[];
}

type Ipv4Handler = (packet: Ipv4Packet, frame: EthernetFrame) => Disposition;

export class UserNetwork {
  readonly stats: UserNetworkStats = { received: 0, sent: 0, handled: 0, dropped: 0, ignored: 0, overflowed: 0 };
  readonly gatewayMac: MacAddress;
  /** DHCP bindings: client MAC (formatted) to address. */
  private readonly leases = new Map<string, Ipv4Address>();
  private nextIdentification = 0;
  /** Frames for the guest, oldest first. */
  private readonly outbox: Uint8Array[] = [];
  /** Host work waiting for the next boundary. */
  private deferred: (() => void)[] = [];
  /** The guest's MAC by address, learned from its frames (forwards need it). */
  private readonly guestMacs = new Map<Ipv4Address, MacAddress>();
  private readonly services = new Map<string, UdpService>();
  private lastGuestMac: MacAddress | undefined;
  private guestTso = false;
  private hostTso = false;
  private readonly nat: Nat;
  /** hostfwd listeners bound (or the reason they could not be). */
  readonly ready: Promise<void>;

  private readonly byEtherType: ReadonlyMap<number, (frame: EthernetFrame) => Disposition> = new Map([
    [ETHERTYPE_ARP, (frame: EthernetFrame) => this.arp(frame)],
    [ETHERTYPE_IPV4, (frame: EthernetFrame) => this.ipv4(frame)],
  ]);
  private readonly byProtocol: ReadonlyMap<number, Ipv4Handler> = new Map<number, Ipv4Handler>([
    [PROTOCOL_ICMP, (packet, frame) => this.icmp(packet, frame)],
    [PROTOCOL_UDP, (packet, frame) => this.udp(packet, frame)],
    [PROTOCOL_TCP, (packet, frame) => this.tcp(packet, frame)],
  ]);

  constructor(
    private readonly hooks: UserNetworkHooks,
    private readonly options: UserNetworkOptions = {},
    readonly addresses: UserNetworkAddresses = SLIRP_ADDRESSES,
  ) {
    this.gatewayMac = slirpMac(addresses.gateway);
    const now = () => hooks.now?.() ?? 0n;
    const report = (message: string) => hooks.report?.(message);
    const defer = (work: () => void) => this.defer(work);
    this.nat = new Nat({
      sendTcp: (remote, guest, segment) => this.sendTcp(remote, guest, segment),
      sendUdp: (from, to, payload) => this.sendUdp(from, to, payload),
      defer, now, report, gateway: addresses.gateway,
      largeSegments: () => this.guestTso,
    }, options.restrict === true);
    const context: UdpServiceContext = { send: (from, to, payload) => this.sendUdp(from, to, payload), defer, now, report };
    if (options.tftpRoot !== undefined) {
      this.services.set(`${addresses.gateway}:69`, new TftpServer(context, { root: options.tftpRoot, bootfile: options.bootFile }));
    }
    if (!options.restrict) this.services.set(`${addresses.dns}:53`, new DnsForwarder(context, {}));
    this.ready = this.nat.listen(options.hostForwards ?? []);
    // A listener that fails is reported by whoever awaits `ready`; nothing else may see it unhandled.
    this.ready.catch(() => {});
  }

  /** What the monitor shows of the network: its settings and every host socket (read-only). */
  describe(): UserNetworkDescription {
    const { id, guestMac, restrict } = this.options;
    return {
      id, guestMac: guestMac && formatMac(guestMac), network: formatIpv4(this.addresses.network),
      restrict: restrict === true, sockets: this.nat.describe(),
    };
  }

  /** hostfwd_add: one more forward; rejects with one line if its port cannot be bound. */
  addForward(forward: HostForward): Promise<void> {
    return this.nat.addForward(forward);
  }

  /** hostfwd_remove: closes the listener on that host address and port; false if there is none. */
  removeForward(protocol: 'tcp' | 'udp', hostAddress: string, hostPort: number): boolean {
    return this.nat.removeForward(protocol, hostAddress, hostPort);
  }

  /** The NIC's negotiated segmentation offloads: TCP segments longer than the MTU may go to the
   * guest (guestTso) and come from it (hostTso). */
  setOffloads(negotiated: { readonly guestTso: boolean; readonly hostTso: boolean }): void {
    this.guestTso = negotiated.guestTso;
    this.hostTso = negotiated.hostTso;
  }

  /** Queues host work for the next boundary and wakes the machine. */
  private defer(work: () => void): void {
    this.deferred.push(work);
    if (this.deferred.length === 1) this.hooks.wake?.();
  }

  /**
   * At a machine boundary: runs the host work that came in, then timers and coalesced ACKs.
   */
  poll(): void {
    if (this.deferred.length > 0) {
      const work = this.deferred;
      this.deferred = [];
      for (const item of work) item();
    }
    const now = this.hooks.now?.() ?? 0n;
    this.nat.poll(now);
    for (const service of this.services.values()) service.tick?.(now);
  }

  /** The oldest frame waiting for the guest. */
  peekFrame(): Uint8Array | undefined {
    return this.outbox[0];
  }

  takeFrame(): Uint8Array | undefined {
    return this.outbox.shift();
  }

  /** True while the host may still bring work: open connections, flows, lookups or queued work. */
  get awaitsHost(): boolean {
    return this.deferred.length > 0 || this.nat.busy || [...this.services.values()].some((service) => service.busy === true);
  }

  /** After a snapshot is loaded: resets the host end of every relayed connection and flow and
   * drops the frames queued for the guest (forwards keep listening). */
  forgetConnections(): void {
    this.nat.closeConnections();
    this.outbox.length = 0;
    this.deferred = [];
  }

  /** Closes every host socket, listener and file (the machine stopped). */
  close(): void {
    this.nat.close();
    for (const service of this.services.values()) service.close?.();
    this.deferred = [];
  }

  /** One frame the guest transmitted. Never throws on its contents. */
  fromGuest(bytes: Uint8Array): Disposition {
    this.stats.received++;
    const disposition = this.dispatch(bytes);
    if (disposition.kind === 'handled') this.stats.handled++;
    else if (disposition.kind === 'dropped') {
      this.stats.dropped++;
      this.hooks.onEvent?.({ kind: 'frame-dropped', reason: disposition.reason });
    } else {
      this.stats.ignored++;
      this.hooks.onEvent?.({ kind: 'frame-ignored', reason: disposition.reason });
    }
    return disposition;
  }

  /** The address leased to a MAC, if any. */
  leaseOf(client: MacAddress): Ipv4Address | undefined {
    return this.leases.get(formatMac(client));
  }

  saveState(): UserNetworkState {
    return { name: 'user-network', version: 1, leases: [...this.leases], nextIdentification: this.nextIdentification, stats: { ...this.stats } };
  }

  loadState(state: UserNetworkState): void {
    const saved = state as Partial<UserNetworkState>;
    if (saved.name !== 'user-network' || saved.version !== 1) {
      throw new Error(`cannot load ${String(saved.name)} v${String(saved.version)} state into user-network v1`);
    }
    this.leases.clear();
    for (const [client, address] of saved.leases ?? []) this.leases.set(client, address);
    this.nextIdentification = saved.nextIdentification ?? 0;
    Object.assign(this.stats, { overflowed: 0 }, saved.stats);
  }

  private dispatch(bytes: Uint8Array): Disposition {
    const frame = parseEthernet(bytes, this.hostTso ? TSO_FRAME : ETHERNET_MAX_FRAME);
    if (!frame.ok) return dropped(frame.reason);
    const { destination } = frame.value;
    if (!macEquals(destination, BROADCAST_MAC) && !this.isOurs(destination)) return ignored('ethernet: not addressed to the gateway');
    this.lastGuestMac = frame.value.source;
    const handler = this.byEtherType.get(frame.value.etherType);
    return handler ? handler(frame.value) : ignored(`ethernet: type 0x${frame.value.etherType.toString(16)}`);
  }

  /** A MAC the gateway answers for: 52:55 and one of its addresses. */
  private isOurs(address: MacAddress): boolean {
    const { gateway, dns } = this.addresses;
    return macEquals(address, slirpMac(gateway)) || macEquals(address, slirpMac(dns));
  }

  private send(destination: MacAddress, etherType: number, payload: Uint8Array): void {
    if (this.outbox.length >= OUTBOX_CAP) {
      this.stats.overflowed++;
      return;
    }
    this.stats.sent++;
    this.outbox.push(buildEthernet({ destination, source: this.gatewayMac, etherType, payload }));
  }

  /** The MAC frames to `address` go to: learned from the guest's frames, else the last seen, else the NIC's. */
  private macOf(address: Ipv4Address): MacAddress {
    return this.guestMacs.get(address) ?? this.lastGuestMac ?? this.options.guestMac ?? BROADCAST_MAC;
  }

  private sendTcp(remote: Ipv4Address, guest: Ipv4Address, segment: TcpSegment): void {
    this.sendIpv4(this.macOf(guest), remote, guest, PROTOCOL_TCP, buildTcp(segment, remote, guest));
  }

  private sendUdp(from: UdpEndpoint, to: UdpEndpoint, payload: Uint8Array): void {
    const udp = buildUdp({ sourcePort: from.port, destinationPort: to.port, payload }, from.address, to.address);
    this.sendIpv4(this.macOf(to.address), from.address, to.address, PROTOCOL_UDP, udp);
  }

  private sendIpv4(destinationMac: MacAddress, source: Ipv4Address, destination: Ipv4Address, protocol: number, payload: Uint8Array): void {
    const identification = this.nextIdentification;
    this.nextIdentification = (identification + 1) & 0xffff;
    this.send(destinationMac, ETHERTYPE_IPV4, buildIpv4({ identification, timeToLive: DEFAULT_TTL, protocol, source, destination, payload }));
  }

  // --- ARP (RFC 826): who-has for the gateway and the DNS address -----------------------

  private arp(frame: EthernetFrame): Disposition {
    const arp = parseArp(frame.payload);
    if (!arp.ok) return dropped(arp.reason);
    const request = arp.value;
    if (request.operation === ARP_REPLY) return handled; // nothing to learn: replies go to the frame's source
    const { gateway, dns } = this.addresses;
    if (request.targetIp !== gateway && request.targetIp !== dns) return ignored('arp: not one of the gateway addresses');
    const answerMac = slirpMac(request.targetIp);
    this.send(frame.source, ETHERTYPE_ARP, buildArp({
      operation: ARP_REPLY,
      senderMac: answerMac,
      senderIp: request.targetIp,
      targetMac: request.senderMac,
      targetIp: request.senderIp,
    }));
    return handled;
  }

  // --- IPv4 (RFC 791) --------------------------------------------------------------------

  private ipv4(frame: EthernetFrame): Disposition {
    const packet = parseIpv4(frame.payload);
    if (!packet.ok) return dropped(packet.reason);
    if (packet.value.source !== 0) this.guestMacs.set(packet.value.source, frame.source);
    // libslirp reassembles (ip_input.c ip_reass); nothing served here needs fragments yet.
    if (packet.value.moreFragments || packet.value.fragmentOffset !== 0) return ignored('ipv4: fragment');
    const handler = this.byProtocol.get(packet.value.protocol);
    return handler ? handler(packet.value, frame) : ignored(`ipv4: protocol ${packet.value.protocol}`);
  }

  // --- ICMP echo to the gateway (RFC 792) -------------------------------------------------

  private icmp(packet: Ipv4Packet, frame: EthernetFrame): Disposition {
    const echo = parseIcmpEcho(packet.payload);
    if (!echo.ok) return dropped(echo.reason);
    if (echo.value.type !== ICMP_ECHO_REQUEST) return ignored('icmp: echo reply to the gateway');
    if (packet.destination !== this.addresses.gateway) return ignored('icmp: echo beyond the gateway (NAT not yet served)');
    const reply = buildIcmpEcho({ ...echo.value, type: ICMP_ECHO_REPLY });
    this.sendIpv4(frame.source, packet.destination, packet.source, PROTOCOL_ICMP, reply);
    return handled;
  }

  // --- UDP (RFC 768) ---------------------------------------------------------------------

  private udp(packet: Ipv4Packet, frame: EthernetFrame): Disposition {
    const datagram = parseUdp(packet.payload, packet.source, packet.destination);
    if (!datagram.ok) return dropped(datagram.reason);
    const { sourcePort, destinationPort, payload } = datagram.value;
    if (destinationPort === DHCP_SERVER_PORT) return this.dhcp(payload, packet, frame);
    const from = { address: packet.source, port: sourcePort };
    const to = { address: packet.destination, port: destinationPort };
    const service = this.services.get(`${packet.destination}:${destinationPort}`);
    if (service) return disposition(service.receive(payload, from, to));
    if (packet.destination === this.addresses.dns || isBroadcast(packet.destination, this.addresses)) {
      return ignored(`udp: nothing serves ${formatIpv4(packet.destination)}:${destinationPort}`);
    }
    const refused = this.nat.udpFromGuest(payload, from, to);
    return refused === undefined ? handled : ignored(refused);
  }

  // --- TCP (RFC 9293), relayed by nat.ts -----------------------------------------------------

  private tcp(packet: Ipv4Packet, _frame: EthernetFrame): Disposition {
    const segment = parseTcp(packet.payload, packet.source, packet.destination);
    if (!segment.ok) return dropped(segment.reason);
    if (packet.destination === this.addresses.dns || isBroadcast(packet.destination, this.addresses)) {
      return ignored(`tcp: nothing serves ${formatIpv4(packet.destination)}`);
    }
    const refused = this.nat.tcpFromGuest(segment.value, packet.source, packet.destination);
    return refused === undefined ? handled : ignored(refused);
  }

  // --- DHCP server (RFC 2131 §4.3, options RFC 2132) ----------------------------------------

  private dhcp(payload: Uint8Array, packet: Ipv4Packet, frame: EthernetFrame): Disposition {
    const { gateway } = this.addresses;
    if (packet.destination !== gateway && packet.destination !== 0xffff_ffff) return ignored('dhcp: not for this server');
    const parsed = parseDhcp(payload);
    if (!parsed.ok) return dropped(parsed.reason);
    const message = parsed.value;
    if (message.op !== 1) return dropped('dhcp: a BOOTREPLY from the client');
    switch (message.messageType) {
      case MessageType.discover: {
        const address = this.allocate(message.clientMac);
        if (address === undefined) return ignored('dhcp: no free address');
        this.reply(message, frame, MessageType.offer, address);
        return handled;
      }
      case MessageType.request: {
        // A REQUEST naming another server means the client chose that server's offer (§4.3.2).
        const server = addressOption(message, Option.serverIdentifier);
        if (server !== undefined && server !== gateway) return ignored('dhcp: the client chose another server');
        const requested = addressOption(message, Option.requestedAddress) ?? message.clientAddress;
        const address = this.allocate(message.clientMac);
        if (address === undefined || requested !== address) {
          this.reply(message, frame, MessageType.nak, 0);
          return handled;
        }
        this.reply(message, frame, MessageType.ack, address);
        this.hooks.onEvent?.({ kind: 'lease', mac: formatMac(message.clientMac), address });
        return handled;
      }
      case MessageType.inform:
        // Configuration only: no yiaddr and no lease time (§3.4, §4.3.5).
        this.reply(message, frame, MessageType.ack, 0);
        return handled;
      case MessageType.release:
      case MessageType.decline:
        // The binding stays: the same client gets the same address back, as in libslirp.
        return handled;
      case MessageType.offer:
      case MessageType.ack:
      case MessageType.nak:
        return dropped('dhcp: a server message from the client');
    }
  }

  /** The client's address: its existing binding or the next free one. */
  private allocate(client: MacAddress): Ipv4Address | undefined {
    const key = formatMac(client);
    const bound = this.leases.get(key);
    if (bound !== undefined) return bound;
    if (this.leases.size >= DHCP_CLIENTS) return undefined;
    const address = (this.addresses.dhcpStart + this.leases.size) >>> 0;
    this.leases.set(key, address);
    return address;
  }

  private reply(request: DhcpMessage, frame: EthernetFrame, type: MessageType, yourAddress: Ipv4Address): void {
    const { gateway, dns, netmask, leaseSeconds } = this.addresses;
    const options: [number, Uint8Array][] = [[Option.serverIdentifier, uint32Bytes(gateway)]];
    if (type !== MessageType.nak) {
      if (type !== MessageType.ack || yourAddress !== 0) options.push([Option.leaseTime, uint32Bytes(leaseSeconds)]);
      options.push(
        [Option.subnetMask, uint32Bytes(netmask)],
        [Option.router, uint32Bytes(gateway)],
        [Option.domainNameServer, uint32Bytes(dns)],
      );
      if (this.options.bootFile !== undefined) options.push([Option.bootfileName, new TextEncoder().encode(this.options.bootFile)]);
    }
    const bytes = buildDhcp({
      transactionId: request.transactionId,
      flags: request.flags,
      clientAddress: request.clientAddress,
      yourAddress,
      // The next server for TFTP boot, as libslirp sets it.
      serverAddress: type === MessageType.nak ? 0 : gateway,
      relayAddress: request.relayAddress,
      clientMac: request.clientMac,
      messageType: type,
      options,
      bootFile: type === MessageType.nak ? undefined : this.options.bootFile,
    });
    // Where the reply goes (§4.1): NAKs and broadcast-flagged requests by broadcast, a
    // configured client at its address, otherwise unicast to the offered address and MAC
    // (a client that cannot take unicast before configuration sets the broadcast flag).
    const unicast = request.clientAddress !== 0 ? request.clientAddress : yourAddress;
    const broadcast = type === MessageType.nak || unicast === 0 || (request.clientAddress === 0 && (request.flags & FLAG_BROADCAST) !== 0);
    const destination = broadcast ? 0xffff_ffff : unicast;
    const destinationMac = broadcast ? BROADCAST_MAC : frame.source;
    const udp = buildUdp({ sourcePort: DHCP_SERVER_PORT, destinationPort: DHCP_CLIENT_PORT, payload: bytes }, gateway, destination);
    this.sendIpv4(destinationMac, gateway, destination, PROTOCOL_UDP, udp);
  }
}

/** A service's answer as the network counts it. */
function disposition(result: ServiceResult): Disposition {
  return result.kind === 'handled' ? handled : result.kind === 'dropped' ? dropped(result.reason) : ignored(result.reason);
}

/** The limited broadcast or the network's directed broadcast. */
function isBroadcast(address: Ipv4Address, { network, netmask }: UserNetworkAddresses): boolean {
  return address === 0xffff_ffff || address === ((network | ~netmask) >>> 0);
}
