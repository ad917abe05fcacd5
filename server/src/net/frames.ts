// Wire formats for the user-mode network: Ethernet II, ARP, IPv4, ICMP echo and UDP, parsed
// strictly (a reason, never an exception, for malformed guest data) and built with checksums.
// Written here because no npm package offers a user-mode TCP/IP stack in the style of QEMU's
// slirp (issue 10); the packet libraries that exist parse for capture tools and throw on bad input.

/** A parse either yields the value or says why the bytes were refused. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const refuse = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** An IPv4 address as an unsigned 32-bit number in network order (10.0.2.2 = 0x0a000202). */
export type Ipv4Address = number;

/** A 6-byte MAC address. */
export type MacAddress = Uint8Array;

export const BROADCAST_MAC: MacAddress = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
export const ZERO_MAC: MacAddress = new Uint8Array(6);

export function ipv4(text: string): Ipv4Address {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`not an IPv4 address: ${text}`);
  }
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIpv4(address: Ipv4Address): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

export function mac(text: string): MacAddress {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((part) => !/^[0-9a-fA-F]{2}$/.test(part))) throw new Error(`not a MAC address: ${text}`);
  return Uint8Array.from(parts, (part) => parseInt(part, 16));
}

export function formatMac(address: MacAddress): string {
  return Array.from(address, (byte) => byte.toString(16).padStart(2, '0')).join(':');
}

export function macEquals(a: MacAddress, b: MacAddress): boolean {
  return a.length === 6 && b.length === 6 && a.every((byte, i) => byte === b[i]);
}

// --- The Internet checksum (RFC 1071) -------------------------------------------------

/** The one's-complement sum of 16-bit big-endian words, folded to 16 bits; an odd tail byte is padded with zero. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum of `bytes` (RFC 1071): the complement of the one's-complement sum. */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

/** The sum of the IPv4 pseudo-header for UDP and TCP (RFC 768, RFC 793 §3.1), unfolded: an `initial` for onesComplementSum. */
export function pseudoHeaderSum(source: Ipv4Address, destination: Ipv4Address, protocol: number, length: number): number {
  return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + length;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

// --- Ethernet II (IEEE 802.3 clause 3, DIX framing) --------------------------------------

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
const ETHERNET_HEADER = 14;
/** Minimum frame without the FCS (IEEE 802.3 §4.4.2: 64 bytes with it); short frames are padded. */
const ETHERNET_MIN_FRAME = 60;
/** Largest untagged frame without the FCS: a 1500-byte MTU plus the header. */
export const ETHERNET_MAX_FRAME = 1514;

export interface EthernetFrame {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  readonly etherType: number;
  /** Everything after the header, padding included: the upper layer knows its own length. */
  readonly payload: Uint8Array;
}

/** `maxLength`: longer frames are refused (the MTU's, unless the NIC takes TSO segments). */
export function parseEthernet(frame: Uint8Array, maxLength = ETHERNET_MAX_FRAME): Parsed<EthernetFrame> {
  if (frame.length < ETHERNET_HEADER) return refuse('ethernet: shorter than a header');
  if (frame.length > maxLength) return refuse('ethernet: longer than the MTU allows');
  const etherType = view(frame).getUint16(12);
  // Values below 0x0600 are 802.3 lengths, not EtherTypes: no LLC/SNAP here.
  if (etherType < 0x0600) return refuse('ethernet: 802.3 length field, not Ethernet II');
  return accept({ destination: frame.subarray(0, 6), source: frame.subarray(6, 12), etherType, payload: frame.subarray(ETHERNET_HEADER) });
}

export function buildEthernet(frame: EthernetFrame): Uint8Array {
  const bytes = new Uint8Array(Math.max(ETHERNET_MIN_FRAME, ETHERNET_HEADER + frame.payload.length));
  bytes.set(frame.destination, 0);
  bytes.set(frame.source, 6);
  view(bytes).setUint16(12, frame.etherType);
  bytes.set(frame.payload, ETHERNET_HEADER);
  return bytes;
}

// --- ARP for IPv4 over Ethernet (RFC 826) -----------------------------------------------

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
const ARP_LENGTH = 28;

export interface ArpPacket {
  readonly operation: typeof ARP_REQUEST | typeof ARP_REPLY;
  readonly senderMac: MacAddress;
  readonly senderIp: Ipv4Address;
  readonly targetMac: MacAddress;
  readonly targetIp: Ipv4Address;
}

export function parseArp(bytes: Uint8Array): Parsed<ArpPacket> {
  if (bytes.length < ARP_LENGTH) return refuse('arp: truncated');
  const data = view(bytes);
  // Hardware type 1 (Ethernet), protocol 0x0800, address lengths 6 and 4.
  if (data.getUint16(0) !== 1 || data.getUint16(2) !== ETHERTYPE_IPV4 || bytes[4] !== 6 || bytes[5] !== 4) {
    return refuse('arp: not IPv4 over Ethernet');
  }
  const operation = data.getUint16(6);
  if (operation !== ARP_REQUEST && operation !== ARP_REPLY) return refuse(`arp: unknown operation ${operation}`);
  return accept({
    operation,
    senderMac: bytes.slice(8, 14),
    senderIp: data.getUint32(14),
    targetMac: bytes.slice(18, 24),
    targetIp: data.getUint32(24),
  });
}

export function buildArp(packet: ArpPacket): Uint8Array {
  const bytes = new Uint8Array(ARP_LENGTH);
  const data = view(bytes);
  data.setUint16(0, 1);
  data.setUint16(2, ETHERTYPE_IPV4);
  bytes[4] = 6;
  bytes[5] = 4;
  data.setUint16(6, packet.operation);
  bytes.set(packet.senderMac, 8);
  data.setUint32(14, packet.senderIp);
  bytes.set(packet.targetMac, 18);
  data.setUint32(24, packet.targetIp);
  return bytes;
}

// --- IPv4 (RFC 791) ----------------------------------------------------------------------

export const PROTOCOL_ICMP = 1;
export const PROTOCOL_TCP = 6;
export const PROTOCOL_UDP = 17;
const IPV4_MIN_HEADER = 20;
const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;

export interface Ipv4Packet {
  readonly typeOfService: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** In bytes (the header field counts 8-byte units). */
  readonly fragmentOffset: number;
  readonly timeToLive: number;
  readonly protocol: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** Options as received; building never writes any. */
  readonly options: Uint8Array;
  /** Exactly total length minus the header: Ethernet padding is cut off. */
  readonly payload: Uint8Array;
}

export function parseIpv4(bytes: Uint8Array): Parsed<Ipv4Packet> {
  if (bytes.length < IPV4_MIN_HEADER) return refuse('ipv4: shorter than a header');
  const version = bytes[0] >>> 4;
  if (version !== 4) return refuse(`ipv4: version ${version}`);
  const headerLength = (bytes[0] & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER) return refuse('ipv4: header length below 20');
  const data = view(bytes);
  const totalLength = data.getUint16(2);
  if (totalLength < headerLength) return refuse('ipv4: total length shorter than the header');
  if (totalLength > bytes.length) return refuse('ipv4: total length beyond the frame');
  // A correct header sums to 0xffff, checksum field included (RFC 1071 §1).
  if (onesComplementSum(bytes.subarray(0, headerLength)) !== 0xffff) return refuse('ipv4: bad header checksum');
  const flags = data.getUint16(6);
  return accept({
    typeOfService: bytes[1],
    identification: data.getUint16(4),
    dontFragment: (flags & FLAG_DONT_FRAGMENT) !== 0,
    moreFragments: (flags & FLAG_MORE_FRAGMENTS) !== 0,
    fragmentOffset: (flags & 0x1fff) * 8,
    timeToLive: bytes[8],
    protocol: bytes[9],
    source: data.getUint32(12),
    destination: data.getUint32(16),
    options: bytes.subarray(IPV4_MIN_HEADER, headerLength),
    payload: bytes.subarray(headerLength, totalLength),
  });
}

export interface Ipv4Fields {
  readonly typeOfService?: number;
  readonly identification: number;
  readonly dontFragment?: boolean;
  readonly timeToLive: number;
  readonly protocol: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly payload: Uint8Array;
}

/** A 20-byte header (no options, never a fragment) with its checksum, then the payload. */
export function buildIpv4(packet: Ipv4Fields): Uint8Array {
  const totalLength = IPV4_MIN_HEADER + packet.payload.length;
  if (totalLength > 0xffff) throw new RangeError('ipv4: payload too long');
  const bytes = new Uint8Array(totalLength);
  const data = view(bytes);
  bytes[0] = 0x45;
  bytes[1] = packet.typeOfService ?? 0;
  data.setUint16(2, totalLength);
  data.setUint16(4, packet.identification & 0xffff);
  data.setUint16(6, packet.dontFragment ? FLAG_DONT_FRAGMENT : 0);
  bytes[8] = packet.timeToLive;
  bytes[9] = packet.protocol;
  data.setUint32(12, packet.source);
  data.setUint32(16, packet.destination);
  data.setUint16(10, internetChecksum(bytes.subarray(0, IPV4_MIN_HEADER)));
  bytes.set(packet.payload, IPV4_MIN_HEADER);
  return bytes;
}

// --- ICMP echo (RFC 792) -----------------------------------------------------------------

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;

export interface IcmpEcho {
  readonly type: typeof ICMP_ECHO_REQUEST | typeof ICMP_ECHO_REPLY;
  readonly identifier: number;
  readonly sequence: number;
  readonly data: Uint8Array;
}

export function parseIcmpEcho(bytes: Uint8Array): Parsed<IcmpEcho> {
  if (bytes.length < 8) return refuse('icmp: truncated');
  if (onesComplementSum(bytes) !== 0xffff) return refuse('icmp: bad checksum');
  const type = bytes[0];
  if (type !== ICMP_ECHO_REQUEST && type !== ICMP_ECHO_REPLY) return refuse(`icmp: type ${type} is not an echo`);
  if (bytes[1] !== 0) return refuse('icmp: echo with a nonzero code');
  const data = view(bytes);
  return accept({ type, identifier: data.getUint16(4), sequence: data.getUint16(6), data: bytes.subarray(8) });
}

export function buildIcmpEcho(echo: IcmpEcho): Uint8Array {
  const bytes = new Uint8Array(8 + echo.data.length);
  const data = view(bytes);
  bytes[0] = echo.type;
  data.setUint16(4, echo.identifier);
  data.setUint16(6, echo.sequence);
  bytes.set(echo.data, 8);
  data.setUint16(2, internetChecksum(bytes));
  return bytes;
}

// --- UDP (RFC 768) -------------------------------------------------------------------------

const UDP_HEADER = 8;

export interface UdpDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

/** The UDP checksum over the pseudo-header, header and data; a zero result is sent as 0xffff (RFC 768). */
export function udpChecksum(source: Ipv4Address, destination: Ipv4Address, segment: Uint8Array): number {
  const checksum = internetChecksum(segment, pseudoHeaderSum(source, destination, PROTOCOL_UDP, segment.length));
  return checksum === 0 ? 0xffff : checksum;
}

/** `bytes` is the IPv4 payload; the addresses come from its IPv4 header, for the pseudo-header. */
export function parseUdp(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): Parsed<UdpDatagram> {
  if (bytes.length < UDP_HEADER) return refuse('udp: truncated');
  const data = view(bytes);
  const length = data.getUint16(4);
  if (length < UDP_HEADER) return refuse('udp: length below the header');
  if (length > bytes.length) return refuse('udp: length beyond the packet');
  const segment = bytes.subarray(0, length);
  // Zero means the sender computed none, which IPv4 allows (RFC 768).
  if (data.getUint16(6) !== 0 && onesComplementSum(segment, pseudoHeaderSum(source, destination, PROTOCOL_UDP, length)) !== 0xffff) {
    return refuse('udp: bad checksum');
  }
  return accept({ sourcePort: data.getUint16(0), destinationPort: data.getUint16(2), payload: segment.subarray(UDP_HEADER) });
}

export function buildUdp(datagram: UdpDatagram, source: Ipv4Address, destination: Ipv4Address): Uint8Array {
  const length = UDP_HEADER + datagram.payload.length;
  if (length > 0xffff) throw new RangeError('udp: payload too long');
  const bytes = new Uint8Array(length);
  const data = view(bytes);
  data.setUint16(0, datagram.sourcePort);
  data.setUint16(2, datagram.destinationPort);
  data.setUint16(4, length);
  bytes.set(datagram.payload, UDP_HEADER);
  data.setUint16(6, udpChecksum(source, destination, bytes));
  return bytes;
}
