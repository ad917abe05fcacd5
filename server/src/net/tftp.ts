// The TFTP server of the user-mode network's gateway (10.0.2.2:69), from which U-Boot's
// `tftpboot` or a PXE-style loader fetches a kernel: read requests of RFC 1350 with option
// negotiation (RFC 2347) of blksize (RFC 2348), timeout and tsize (RFC 2349). Writes are refused,
// as QEMU's slirp refuses them. Only regular files under `root` are served, one block read from
// the host file per DATA packet, and every reply leaves from the service's own address and port.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatIpv4, type Parsed } from './frames';
import type { ServiceResult, UdpEndpoint, UdpService, UdpServiceContext } from './services';

export const TFTP_PORT = 69;

/** Packet opcodes (RFC 1350 §5; OACK from RFC 2347). */
const Opcode = { readRequest: 1, writeRequest: 2, data: 3, ack: 4, error: 5, optionAck: 6 } as const;

/** ERROR codes (RFC 1350 appendix; 8 from RFC 2347). */
export const TftpErrorCode = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  illegalOperation: 4,
  optionRefused: 8,
} as const;
export type TftpErrorCode = (typeof TftpErrorCode)[keyof typeof TftpErrorCode];

/** The text a refused read carries for these codes, libslirp's (tftp.c), so a client prints what it
 *  prints under QEMU (U-Boot: "TFTP error: 'File not found' (1)"); the reason goes to the report. */
const SLIRP_ERROR_TEXT: Partial<Record<TftpErrorCode, string>> = {
  [TftpErrorCode.fileNotFound]: 'File not found',
  [TftpErrorCode.accessViolation]: 'Access violation',
};

/** RFC 1350 §1: the block size when none is negotiated. */
const DEFAULT_BLOCK_SIZE = 512;
/** RFC 2348: the range a client may ask for. */
const MIN_BLOCK_SIZE = 8;
const MAX_BLOCK_SIZE = 65464;
/** A 1500-byte MTU less the IPv4 (20), UDP (8) and DATA (4) headers: a block never needs fragments. */
export const FRAME_BLOCK_SIZE = 1468;
/** RFC 2349: the timeout option's range, in seconds. */
const MIN_TIMEOUT_SECONDS = 1;
const MAX_TIMEOUT_SECONDS = 255;
/** The retransmission timeout when none is negotiated (RFC 2349 leaves the default to the server). */
const DEFAULT_TIMEOUT_SECONDS = 1;
/** Retransmissions of one packet before the transfer is given up. */
const MAX_RETRIES = 5;
/** Transfers open at once: each holds a host file descriptor, so a guest cannot exhaust them. */
const MAX_TRANSFERS = 32;
const NS_PER_SECOND = 1_000_000_000n;

/** What a client sends to the server. */
type ClientPacket =
  | { readonly kind: 'read'; readonly filename: string; readonly mode: string; readonly options: ReadonlyMap<string, string> }
  | { readonly kind: 'write' }
  | { readonly kind: 'ack'; readonly block: number }
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  | { readonly kind: 'unexpected'; readonly opcode: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The NUL-terminated strings that make up a request after its opcode (RFC 1350 figure 5-1, RFC 2347). */
function nulTerminatedStrings(bytes: Uint8Array): string[] | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0) return undefined;
  const strings: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    try {
      strings.push(utf8.decode(bytes.subarray(start, i)));
    } catch {
      return undefined;
    }
    start = i + 1;
  }
  return strings;
}

export function parseTftp(bytes: Uint8Array): Parsed<ClientPacket> {
  if (bytes.length < 4) return { ok: false, reason: `TFTP packet of ${bytes.length} bytes` };
  const opcode = (bytes[0] << 8) | bytes[1];
  switch (opcode) {
    case Opcode.readRequest:
    case Opcode.writeRequest: {
      const strings = nulTerminatedStrings(bytes.subarray(2));
      if (strings === undefined || strings.length < 2) return { ok: false, reason: 'request without NUL-terminated file name and mode' };
      if (opcode === Opcode.writeRequest) return { ok: true, value: { kind: 'write' } };
      const [filename, mode, ...rest] = strings;
      if (rest.length % 2 !== 0) return { ok: false, reason: `option ${rest[rest.length - 1]} without a value` };
      const options = new Map<string, string>();
      for (let i = 0; i < rest.length; i += 2) {
        // RFC 2347: names are case-insensitive; a repeated option keeps its first value.
        const name = rest[i].toLowerCase();
        if (!options.has(name)) options.set(name, rest[i + 1]);
      }
      return { ok: true, value: { kind: 'read', filename, mode: mode.toLowerCase(), options } };
    }
    case Opcode.ack:
      if (bytes.length !== 4) return { ok: false, reason: `ACK of ${bytes.length} bytes` };
      return { ok: true, value: { kind: 'ack', block: (bytes[2] << 8) | bytes[3] } };
    case Opcode.error: {
      const strings = nulTerminatedStrings(bytes.subarray(4));
      return { ok: true, value: { kind: 'error', code: (bytes[2] << 8) | bytes[3], message: strings?.[0] ?? '' } };
    }
    case Opcode.data:
    case Opcode.optionAck:
      return { ok: true, value: { kind: 'unexpected', opcode } };
    default:
      return { ok: false, reason: `TFTP opcode ${opcode}` };
  }
}

function buildError(code: TftpErrorCode, message: string): Uint8Array {
  const text = Buffer.from(message, 'utf8');
  const packet = new Uint8Array(5 + text.length);
  packet[1] = Opcode.error;
  packet[3] = code;
  packet.set(text, 4);
  return packet;
}

function buildOptionAck(options: ReadonlyArray<readonly [string, string]>): Uint8Array {
  const text = options.map(([name, value]) => `${name}\0${value}\0`).join('');
  const packet = new Uint8Array(2 + text.length);
  packet[1] = Opcode.optionAck;
  packet.set(Buffer.from(text, 'latin1'), 2);
  return packet;
}

/** A decimal option value (RFC 2347 gives values as ASCII digits). */
function decimal(value: string): number | undefined {
  return /^[0-9]{1,10}$/.test(value) ? Number(value) : undefined;
}

interface Negotiated {
  readonly blockSize: number;
  readonly timeoutSeconds: number;
  /** The options to echo in the OACK, in the client's order; empty: no OACK, DATA 1 at once. */
  readonly accepted: ReadonlyArray<readonly [string, string]>;
}

/** Accepts what it can of blksize, timeout and tsize; anything else (windowsize, multicast) is left out of the OACK. */
function negotiate(requested: ReadonlyMap<string, string>, fileSize: number): Negotiated {
  let blockSize = DEFAULT_BLOCK_SIZE;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  const accepted: Array<readonly [string, string]> = [];
  for (const [name, value] of requested) {
    const number = decimal(value);
    if (name === 'blksize' && number !== undefined && number >= MIN_BLOCK_SIZE && number <= MAX_BLOCK_SIZE) {
      // RFC 2348: the server may answer with a smaller size, which the client must then use.
      blockSize = Math.min(number, FRAME_BLOCK_SIZE);
      accepted.push([name, String(blockSize)]);
    } else if (name === 'timeout' && number !== undefined && number >= MIN_TIMEOUT_SECONDS && number <= MAX_TIMEOUT_SECONDS) {
      // RFC 2349: the server must echo the timeout unchanged or leave it out.
      timeoutSeconds = number;
      accepted.push([name, String(number)]);
    } else if (name === 'tsize' && number !== undefined) {
      // RFC 2349: a read request carries 0; the OACK carries the file's size.
      accepted.push([name, String(fileSize)]);
    }
  }
  return { blockSize, timeoutSeconds, accepted };
}

/** One read in progress, keyed by the client's address and port (its transfer identifier, RFC 1350 §4). */
interface Transfer {
  readonly client: UdpEndpoint;
  readonly server: UdpEndpoint;
  readonly filename: string;
  readonly fd: number;
  readonly size: number;
  readonly blockSize: number;
  readonly timeoutNs: bigint;
  /** Blocks sent so far, counted from 1 without wrapping; 0 while the OACK waits for its ACK 0. */
  sent: number;
  /** The last DATA was shorter than a block: its ACK ends the transfer. */
  final: boolean;
  /** The packet last sent, kept for retransmission. */
  last: Uint8Array;
  sentAt: bigint;
  retries: number;
}

type Resolved = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly code: TftpErrorCode; readonly message: string };

const endpointKey = (endpoint: UdpEndpoint) => `${endpoint.address}:${endpoint.port}`;
const formatEndpoint = (endpoint: UdpEndpoint) => `${formatIpv4(endpoint.address)}:${endpoint.port}`;

export interface TftpOptions {
  /** The directory served (QEMU's `tftp=`). */
  readonly root: string;
  /** The boot file name DHCP offers (QEMU's `bootfile=`); the server itself does not use it. */
  readonly bootfile?: string;
}

export class TftpServer implements UdpService {
  readonly root: string;
  readonly bootfile: string | undefined;
  private readonly transfers = new Map<string, Transfer>();

  constructor(private readonly context: UdpServiceContext, options: TftpOptions) {
    this.root = options.root;
    this.bootfile = options.bootfile;
  }

  /** Transfers in progress (for tests and the monitor). */
  get activeTransfers(): number {
    return this.transfers.size;
  }

  receive(payload: Uint8Array, from: UdpEndpoint, to: UdpEndpoint): ServiceResult {
    const parsed = parseTftp(payload);
    if (!parsed.ok) return { kind: 'dropped', reason: parsed.reason };
    const packet = parsed.value;
    switch (packet.kind) {
      case 'read':
        return this.read(packet.filename, packet.mode, packet.options, from, to);
      case 'write':
        this.context.send(to, from, buildError(TftpErrorCode.accessViolation, 'writes are not served'));
        return { kind: 'ignored', reason: 'TFTP write request' };
      case 'ack':
        return this.acknowledged(packet.block, from);
      case 'error': {
        const transfer = this.transfers.get(endpointKey(from));
        if (transfer === undefined) return { kind: 'ignored', reason: 'TFTP ERROR outside a transfer' };
        this.end(transfer, `stopped by the client (error ${packet.code}: ${packet.message})`);
        return { kind: 'handled' };
      }
      case 'unexpected':
        return { kind: 'ignored', reason: `TFTP opcode ${packet.opcode} sent to the server` };
    }
  }

  tick(now: bigint): void {
    for (const transfer of [...this.transfers.values()]) {
      if (now - transfer.sentAt < transfer.timeoutNs) continue;
      if (transfer.retries >= MAX_RETRIES) {
        this.end(transfer, `given up after ${MAX_RETRIES} retransmissions`);
        continue;
      }
      transfer.retries++;
      transfer.sentAt = now;
      this.context.send(transfer.server, transfer.client, transfer.last);
    }
  }

  close(): void {
    for (const transfer of this.transfers.values()) fs.closeSync(transfer.fd);
    this.transfers.clear();
  }

  private read(filename: string, mode: string, requested: ReadonlyMap<string, string>, from: UdpEndpoint, to: UdpEndpoint): ServiceResult {
    const refuse = (code: TftpErrorCode, message: string): ServiceResult => {
      this.context.send(to, from, buildError(code, SLIRP_ERROR_TEXT[code] ?? message));
      return { kind: 'ignored', reason: `TFTP read of ${JSON.stringify(filename)}: ${message}` };
    };
    // A repeated request from the same port (its OACK or DATA 1 was lost) starts over.
    const previous = this.transfers.get(endpointKey(from));
    if (previous !== undefined) this.end(previous, undefined);
    // Both modes serve the file's bytes unchanged: netascii's CR LF translation is not done,
    // as libslirp does not do it either (boot loaders ask for octet anyway).
    if (mode !== 'octet' && mode !== 'netascii') return refuse(TftpErrorCode.illegalOperation, `mode ${mode} is not served`);
    if (this.transfers.size >= MAX_TRANSFERS) return refuse(TftpErrorCode.notDefined, 'too many transfers');

    const resolved = this.resolve(filename);
    if (!resolved.ok) return refuse(resolved.code, resolved.message);
    let fd: number;
    let size: number;
    try {
      fd = fs.openSync(resolved.file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    } catch {
      return refuse(TftpErrorCode.accessViolation, 'cannot be opened');
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) {
        fs.closeSync(fd);
        return refuse(TftpErrorCode.fileNotFound, 'not a regular file');
      }
      size = stat.size;
    } catch {
      fs.closeSync(fd);
      return refuse(TftpErrorCode.accessViolation, 'cannot be read');
    }

    const negotiated = negotiate(requested, size);
    const transfer: Transfer = {
      client: from,
      server: to,
      filename,
      fd,
      size,
      blockSize: negotiated.blockSize,
      timeoutNs: BigInt(negotiated.timeoutSeconds) * NS_PER_SECOND,
      sent: 0,
      final: false,
      last: new Uint8Array(0),
      sentAt: this.context.now(),
      retries: 0,
    };
    this.transfers.set(endpointKey(from), transfer);
    this.context.report(`tftp: ${formatEndpoint(from)} reads ${filename} (${size} bytes, block size ${transfer.blockSize})`);
    // RFC 2347: with options accepted the server answers OACK and waits for ACK 0; without, DATA 1 at once.
    if (negotiated.accepted.length > 0) this.transmit(transfer, buildOptionAck(negotiated.accepted));
    else this.sendNextBlock(transfer);
    return { kind: 'handled' };
  }

  /** Maps a requested name to a real path under the real root, or says which error to answer. */
  private resolve(filename: string): Resolved {
    // Both separators, so that a Windows host cannot be walked out of with backslashes either.
    const parts = filename.split(/[/\\]/);
    if (parts.includes('..')) return { ok: false, code: TftpErrorCode.accessViolation, message: 'parent directories are not served' };
    let root: string;
    let file: string;
    try {
      root = fs.realpathSync(this.root);
    } catch {
      return { ok: false, code: TftpErrorCode.fileNotFound, message: 'no TFTP root' };
    }
    try {
      // A leading '/' names the root, as it does in libslirp and tftpd's secure mode.
      file = fs.realpathSync(path.join(root, ...parts.filter((part) => part !== '' && part !== '.')));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return { ok: false, code: TftpErrorCode.accessViolation, message: 'access denied' };
      return { ok: false, code: TftpErrorCode.fileNotFound, message: 'file not found' };
    }
    // Symbolic links are followed by realpath: the result must still lie under the root.
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    if (file !== root && !file.startsWith(prefix)) return { ok: false, code: TftpErrorCode.accessViolation, message: 'outside the TFTP root' };
    return { ok: true, file };
  }

  private acknowledged(block: number, from: UdpEndpoint): ServiceResult {
    const transfer = this.transfers.get(endpointKey(from));
    if (transfer === undefined) return { kind: 'ignored', reason: 'TFTP ACK outside a transfer' };
    // Only the ACK of the block last sent moves on. An older one (a duplicate) is not answered:
    // resending on duplicates doubles every later packet (the Sorcerer's Apprentice, RFC 1123 §4.2.3.1).
    if (block !== (transfer.sent & 0xffff)) return { kind: 'ignored', reason: `TFTP ACK ${block} while at block ${transfer.sent & 0xffff}` };
    if (transfer.final) {
      this.end(transfer, 'done');
      return { kind: 'handled' };
    }
    this.sendNextBlock(transfer);
    return { kind: 'handled' };
  }

  /** Reads the next block from the host file (one read per DATA packet) and sends it. */
  private sendNextBlock(transfer: Transfer): void {
    const block = transfer.sent + 1;
    const packet = new Uint8Array(4 + transfer.blockSize);
    let length = 0;
    try {
      const position = (block - 1) * transfer.blockSize;
      while (length < transfer.blockSize) {
        const count = fs.readSync(transfer.fd, packet, 4 + length, transfer.blockSize - length, position + length);
        if (count === 0) break;
        length += count;
      }
    } catch {
      this.context.send(transfer.server, transfer.client, buildError(TftpErrorCode.notDefined, 'read error'));
      this.end(transfer, 'host read error');
      return;
    }
    packet[1] = Opcode.data;
    // Block numbers wrap from 65535 to 0 (RFC 1350 leaves this open; U-Boot and most clients roll over).
    packet[2] = (block >>> 8) & 0xff;
    packet[3] = block & 0xff;
    transfer.sent = block;
    transfer.final = length < transfer.blockSize;
    this.transmit(transfer, packet.subarray(0, 4 + length));
  }

  private transmit(transfer: Transfer, packet: Uint8Array): void {
    transfer.last = packet;
    transfer.sentAt = this.context.now();
    transfer.retries = 0;
    this.context.send(transfer.server, transfer.client, packet);
  }

  private end(transfer: Transfer, outcome: string | undefined): void {
    fs.closeSync(transfer.fd);
    this.transfers.delete(endpointKey(transfer.client));
    if (outcome !== undefined) this.context.report(`tftp: ${formatEndpoint(transfer.client)} ${transfer.filename}: ${outcome}`);
  }
}
