// DHCP messages (RFC 2131 §2, the BOOTP layout of RFC 951) and their options (RFC 2132):
// a strict parser for what the guest's client sends and a builder for the server's replies.
import { refuse, type Ipv4Address, type MacAddress, type Parsed } from './frames';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;

const BOOTREQUEST = 1;
const BOOTREPLY = 2;
/** op through file: the fixed BOOTP part (RFC 2131 figure 1). */
const FIXED_LENGTH = 236;
/** Offset of the 128-byte `file` field. */
const BOOT_FILE = 108;
/** 99.130.83.99 (RFC 2131 §3). */
const MAGIC_COOKIE = 0x63825363;
/** The broadcast bit of `flags` (RFC 2131 figure 2). */
export const FLAG_BROADCAST = 0x8000;

/** Option codes used here (RFC 2132). */
export const Option = {
  pad: 0,
  subnetMask: 1, // §3.3
  router: 3, // §3.5
  domainNameServer: 6, // §3.8
  hostName: 12, // §3.14
  requestedAddress: 50, // §9.1
  leaseTime: 51, // §9.2
  overload: 52, // §9.3
  messageType: 53, // §9.6
  serverIdentifier: 54, // §9.7
  parameterRequestList: 55, // §9.8
  renewalTime: 58, // §9.11
  rebindingTime: 59, // §9.12
  clientIdentifier: 61, // §9.14
  bootfileName: 67, // §9.5
  end: 255,
} as const;

/** DHCP message types, option 53 (RFC 2132 §9.6). */
export const MessageType = {
  discover: 1,
  offer: 2,
  request: 3,
  decline: 4,
  ack: 5,
  nak: 6,
  release: 7,
  inform: 8,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export interface DhcpMessage {
  readonly op: typeof BOOTREQUEST | typeof BOOTREPLY;
  readonly transactionId: number;
  readonly seconds: number;
  readonly flags: number;
  readonly clientAddress: Ipv4Address; // ciaddr
  readonly yourAddress: Ipv4Address; // yiaddr
  readonly serverAddress: Ipv4Address; // siaddr
  readonly relayAddress: Ipv4Address; // giaddr
  readonly clientMac: MacAddress; // chaddr, first hlen = 6 bytes
  readonly messageType: MessageType;
  /** Options by code, each its value bytes; a repeated code is concatenated (RFC 3396). */
  readonly options: ReadonlyMap<number, Uint8Array>;
}

export function parseDhcp(bytes: Uint8Array): Parsed<DhcpMessage> {
  if (bytes.length < FIXED_LENGTH + 4) return refuse('dhcp: truncated');
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const op = bytes[0];
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return refuse(`dhcp: op ${op}`);
  // Hardware type 1 (Ethernet) with 6-byte addresses only.
  if (bytes[1] !== 1 || bytes[2] !== 6) return refuse('dhcp: not an Ethernet client');
  if (data.getUint32(FIXED_LENGTH) !== MAGIC_COOKIE) return refuse('dhcp: no magic cookie (plain BOOTP)');
  const options = new Map<number, Uint8Array>();
  let at = FIXED_LENGTH + 4;
  for (;;) {
    if (at >= bytes.length) return refuse('dhcp: options without an end');
    const code = bytes[at++];
    if (code === Option.end) break;
    if (code === Option.pad) continue;
    if (at >= bytes.length) return refuse('dhcp: option without a length');
    const length = bytes[at++];
    if (at + length > bytes.length) return refuse(`dhcp: option ${code} runs past the message`);
    const value = bytes.subarray(at, at + length);
    const earlier = options.get(code);
    options.set(code, earlier ? concat(earlier, value) : value);
    at += length;
  }
  const type = options.get(Option.messageType);
  if (!type || type.length !== 1 || type[0] < MessageType.discover || type[0] > MessageType.inform) {
    return refuse('dhcp: no valid message type');
  }
  return {
    ok: true,
    value: {
      op,
      transactionId: data.getUint32(4),
      seconds: data.getUint16(8),
      flags: data.getUint16(10),
      clientAddress: data.getUint32(12),
      yourAddress: data.getUint32(16),
      serverAddress: data.getUint32(20),
      relayAddress: data.getUint32(24),
      clientMac: bytes.slice(28, 34),
      messageType: type[0] as MessageType,
      options,
    },
  };
}

/** An option's value as one IPv4 address, if it is exactly four bytes. */
export function addressOption(message: DhcpMessage, code: number): Ipv4Address | undefined {
  const value = message.options.get(code);
  return value && value.length === 4 ? new DataView(value.buffer, value.byteOffset, 4).getUint32(0) : undefined;
}

export interface DhcpReply {
  readonly transactionId: number;
  readonly flags: number;
  readonly clientAddress: Ipv4Address;
  readonly yourAddress: Ipv4Address;
  readonly serverAddress: Ipv4Address;
  readonly relayAddress: Ipv4Address;
  readonly clientMac: MacAddress;
  readonly messageType: MessageType;
  /** In the order written, after option 53. */
  readonly options: ReadonlyArray<readonly [code: number, value: Uint8Array]>;
  /** The BOOTP `file` field: the boot file for TFTP (at most 127 bytes, NUL-terminated). */
  readonly bootFile?: string;
}

export function buildDhcp(reply: DhcpReply): Uint8Array {
  const optionBytes = reply.options.reduce((sum, [, value]) => sum + 2 + value.length, 3 + 1);
  // 300 bytes at least: the BOOTP message size some clients still expect (RFC 1542 §2.1).
  const bytes = new Uint8Array(Math.max(300, FIXED_LENGTH + 4 + optionBytes));
  const data = new DataView(bytes.buffer);
  bytes[0] = BOOTREPLY;
  bytes[1] = 1;
  bytes[2] = 6;
  data.setUint32(4, reply.transactionId);
  data.setUint16(10, reply.flags);
  data.setUint32(12, reply.clientAddress);
  data.setUint32(16, reply.yourAddress);
  data.setUint32(20, reply.serverAddress);
  data.setUint32(24, reply.relayAddress);
  bytes.set(reply.clientMac, 28);
  if (reply.bootFile !== undefined) bytes.set(new TextEncoder().encode(reply.bootFile).subarray(0, 127), BOOT_FILE);
  data.setUint32(FIXED_LENGTH, MAGIC_COOKIE);
  let at = FIXED_LENGTH + 4;
  const put = (code: number, value: Uint8Array) => {
    if (value.length > 255) throw new RangeError(`dhcp: option ${code} too long`);
    bytes[at++] = code;
    bytes[at++] = value.length;
    bytes.set(value, at);
    at += value.length;
  };
  put(Option.messageType, Uint8Array.of(reply.messageType));
  for (const [code, value] of reply.options) put(code, value);
  bytes[at] = Option.end;
  return bytes;
}

/** Four big-endian bytes: an address or a 32-bit time as options carry them. */
export function uint32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
