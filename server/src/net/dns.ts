// The DNS service of the user-mode network (10.0.2.3:53): the guest's queries (RFC 1035 §4) for
// IPv4 addresses are answered from the host's resolver (getaddrinfo through node's dns.lookup,
// which reads /etc/hosts as well), as QEMU's slirp effectively forwards to the host's own setup.
// The lookup runs on the host's schedule; its answer reaches the guest through context.defer.
import { promises as dnsPromises } from 'node:dns';
import { ipv4, type Ipv4Address, type Parsed } from './frames';
import type { ServiceResult, UdpEndpoint, UdpService, UdpServiceContext } from './services';

export const DNS_PORT = 53;

/** RFC 1035 §4.1.1: id, flags and four counts. */
const HEADER_LENGTH = 12;
/** RFC 1035 §3.2.2 and §3.2.4. */
const TYPE_A = 1;
const CLASS_IN = 1;
/** RFC 1035 §4.1.1 RCODE values. */
export const Rcode = { noError: 0, formatError: 1, serverFailure: 2, nameError: 3, notImplemented: 4, refused: 5 } as const;
export type Rcode = (typeof Rcode)[keyof typeof Rcode];
/** How long the guest may cache an answer; short, since the host's view can change. */
const TTL_SECONDS = 60;
/** RFC 1035 §4.2.1: a UDP message without EDNS (which this server does not offer). */
const MAX_UDP_MESSAGE = 512;
/** RFC 1035 §2.3.4: a name is at most 255 octets on the wire. */
const MAX_NAME_OCTETS = 255;
/** Host lookups in flight at once; more queries are not served, so a guest cannot flood the host. */
const MAX_LOOKUPS_IN_FLIGHT = 64;
/** Compression pointers followed in one name before it is called a loop. */
const MAX_POINTERS = 32;
/** An A record after the question: pointer to the question's name (2), type, class, TTL, length, address. */
const A_RECORD_LENGTH = 16;

export interface DnsQuery {
  readonly id: number;
  readonly opcode: number;
  readonly recursionDesired: boolean;
  /** The question's labels, as sent. */
  readonly labels: readonly Uint8Array[];
  readonly type: number;
  readonly class: number;
}

/** Reads a possibly compressed name (RFC 1035 §4.1.4) starting at `offset`. */
function readName(bytes: Uint8Array, offset: number): Parsed<{ labels: Uint8Array[]; end: number }> {
  const labels: Uint8Array[] = [];
  let position = offset;
  let end = -1;
  let pointers = 0;
  let octets = 1; // the root's zero length
  for (;;) {
    if (position >= bytes.length) return { ok: false, reason: 'DNS name runs past the message' };
    const length = bytes[position];
    if ((length & 0xc0) === 0xc0) {
      if (position + 1 >= bytes.length) return { ok: false, reason: 'DNS compression pointer cut short' };
      const target = ((length & 0x3f) << 8) | bytes[position + 1];
      // A pointer names a prior occurrence: pointing forward (or at itself) can only loop.
      if (target >= position || ++pointers > MAX_POINTERS) return { ok: false, reason: 'DNS compression pointer loops' };
      if (end < 0) end = position + 2;
      position = target;
      continue;
    }
    if ((length & 0xc0) !== 0) return { ok: false, reason: `DNS label type 0x${(length & 0xc0).toString(16)}` };
    if (length === 0) break;
    if (position + 1 + length > bytes.length) return { ok: false, reason: 'DNS label runs past the message' };
    octets += 1 + length;
    if (octets > MAX_NAME_OCTETS) return { ok: false, reason: 'DNS name longer than 255 octets' };
    labels.push(bytes.subarray(position + 1, position + 1 + length));
    position += 1 + length;
  }
  return { ok: true, value: { labels, end: end < 0 ? position + 1 : end } };
}

/** A query as the guest's stub resolver sends it; a response, or a count other than one question, is refused. */
export function parseDnsQuery(bytes: Uint8Array): Parsed<DnsQuery> {
  if (bytes.length < HEADER_LENGTH + 5) return { ok: false, reason: `DNS message of ${bytes.length} bytes` };
  const flags = (bytes[2] << 8) | bytes[3];
  if ((flags & 0x8000) !== 0) return { ok: false, reason: 'DNS response sent to the server' };
  const questions = (bytes[4] << 8) | bytes[5];
  // RFC 9619: a QUERY carries exactly one question. Answer, authority and additional records
  // (an EDNS OPT record, RFC 6891) are left unread; an answer without OPT tells the client "no EDNS".
  if (questions !== 1) return { ok: false, reason: `DNS query with ${questions} questions` };
  const name = readName(bytes, HEADER_LENGTH);
  if (!name.ok) return name;
  const end = name.value.end;
  if (end + 4 > bytes.length) return { ok: false, reason: 'DNS question cut short' };
  return {
    ok: true,
    value: {
      id: (bytes[0] << 8) | bytes[1],
      opcode: (flags >>> 11) & 0xf,
      recursionDesired: (flags & 0x0100) !== 0,
      labels: name.value.labels,
      type: (bytes[end] << 8) | bytes[end + 1],
      class: (bytes[end + 2] << 8) | bytes[end + 3],
    },
  };
}

/**
 * The response to `query`: its question echoed, then A records as many as fit in 512 bytes
 * (without setting TC: a partial address list serves a stub resolver better than a retry over TCP,
 * which this network does not offer on 10.0.2.3).
 */
export function buildDnsResponse(query: DnsQuery, rcode: Rcode, addresses: readonly Ipv4Address[] = []): Uint8Array {
  const nameLength = query.labels.reduce((sum, label) => sum + 1 + label.length, 1);
  const questionEnd = HEADER_LENGTH + nameLength + 4;
  const count = Math.min(addresses.length, Math.floor((MAX_UDP_MESSAGE - questionEnd) / A_RECORD_LENGTH));
  const bytes = new Uint8Array(questionEnd + count * A_RECORD_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, query.id);
  // QR, the query's opcode and RD, RA (recursion is what the host's resolver does), RCODE.
  view.setUint16(2, 0x8000 | (query.opcode << 11) | (query.recursionDesired ? 0x0100 : 0) | 0x0080 | rcode);
  view.setUint16(4, 1);
  view.setUint16(6, count);
  let position = HEADER_LENGTH;
  for (const label of query.labels) {
    bytes[position] = label.length;
    bytes.set(label, position + 1);
    position += 1 + label.length;
  }
  position++; // the root label
  view.setUint16(position, query.type);
  view.setUint16(position + 2, query.class);
  position += 4;
  for (const address of addresses.slice(0, count)) {
    view.setUint16(position, 0xc000 | HEADER_LENGTH); // the question's name
    view.setUint16(position + 2, TYPE_A);
    view.setUint16(position + 4, CLASS_IN);
    view.setUint32(position + 6, TTL_SECONDS);
    view.setUint16(position + 10, 4);
    view.setUint32(position + 12, address);
    position += A_RECORD_LENGTH;
  }
  return bytes;
}

/** A name the host's resolver can be asked for: printable ASCII labels without dots inside them. */
function hostName(labels: readonly Uint8Array[]): string | undefined {
  for (const label of labels) {
    if (label.some((byte) => byte <= 0x20 || byte >= 0x7f || byte === 0x2e)) return undefined;
  }
  return labels.map((label) => Buffer.from(label).toString('latin1')).join('.');
}

/** The host's resolver, IPv4 only. */
async function hostLookup(name: string): Promise<string[]> {
  const results = await dnsPromises.lookup(name, { family: 4, all: true });
  return results.map((result) => result.address);
}

function parseAddress(text: string): Ipv4Address | undefined {
  try {
    return ipv4(text);
  } catch {
    return undefined;
  }
}

export interface DnsForwarderOptions {
  /** Resolves a name to IPv4 addresses in dotted form; rejects with code ENOTFOUND for no such name. */
  readonly lookup?: (name: string) => Promise<string[]>;
}

export class DnsForwarder implements UdpService {
  /** Queries not served because MAX_LOOKUPS_IN_FLIGHT lookups were pending. */
  overloaded = 0;
  private inFlight = 0;
  private closed = false;
  private readonly lookup: (name: string) => Promise<string[]>;

  constructor(private readonly context: UdpServiceContext, options: DnsForwarderOptions = {}) {
    this.lookup = options.lookup ?? hostLookup;
  }

  /** Host lookups not yet settled. */
  /** A lookup is outstanding: the machine waits for it in wall time. */
  get busy(): boolean {
    return this.lookupsInFlight > 0;
  }

  get lookupsInFlight(): number {
    return this.inFlight;
  }

  receive(payload: Uint8Array, from: UdpEndpoint, to: UdpEndpoint): ServiceResult {
    const parsed = parseDnsQuery(payload);
    if (!parsed.ok) return { kind: 'dropped', reason: parsed.reason };
    const query = parsed.value;
    const answer = (rcode: Rcode, addresses: readonly Ipv4Address[] = []) => this.context.send(to, from, buildDnsResponse(query, rcode, addresses));
    if (query.opcode !== 0) {
      answer(Rcode.notImplemented);
      return { kind: 'ignored', reason: `DNS opcode ${query.opcode}` };
    }
    if (query.class !== CLASS_IN) {
      answer(Rcode.notImplemented);
      return { kind: 'ignored', reason: `DNS class ${query.class}` };
    }
    // Only addresses come from the host (getaddrinfo has no other record types). Any other type,
    // AAAA included, gets NOERROR with no records, so the guest falls back to IPv4 at once; the
    // name is not looked up, so a missing name still reads NXDOMAIN only for A queries.
    if (query.type !== TYPE_A) {
      answer(Rcode.noError);
      return { kind: 'handled' };
    }
    const name = hostName(query.labels);
    if (name === '') {
      answer(Rcode.noError); // the root has no address
      return { kind: 'handled' };
    }
    if (name === undefined) {
      answer(Rcode.refused);
      return { kind: 'ignored', reason: 'DNS name the host resolver cannot be asked for' };
    }
    if (this.inFlight >= MAX_LOOKUPS_IN_FLIGHT) {
      this.overloaded++;
      return { kind: 'ignored', reason: `${MAX_LOOKUPS_IN_FLIGHT} DNS lookups already in flight` };
    }
    this.inFlight++;
    const settle = (rcode: Rcode, addresses: readonly Ipv4Address[] = []) => {
      this.inFlight--;
      if (this.closed) return;
      const response = buildDnsResponse(query, rcode, addresses);
      this.context.defer(() => this.context.send(to, from, response));
    };
    Promise.resolve()
      .then(() => this.lookup(name))
      .then(
        (texts) => {
          const addresses = [...new Set(texts)].map(parseAddress).filter((address) => address !== undefined);
          settle(Rcode.noError, addresses);
        },
        (error: unknown) => {
          // Node reports both EAI_NONAME and EAI_NODATA as ENOTFOUND: either reads as "no such name".
          const code = (error as NodeJS.ErrnoException | undefined)?.code;
          if (code === 'ENOTFOUND') settle(Rcode.nameError);
          else if (code === 'ENODATA') settle(Rcode.noError);
          else settle(Rcode.serverFailure);
        },
      );
    return { kind: 'handled' };
  }

  /** Answers still pending are not sent once the network goes away. */
  close(): void {
    this.closed = true;
  }
}
