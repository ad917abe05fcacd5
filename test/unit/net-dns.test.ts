// The gateway's DNS service as a guest's stub resolver sees it: a real lookup through the host's
// resolver, NXDOMAIN and SERVFAIL from an injected one, empty answers for other types, malformed
// queries dropped, and the cap on lookups in flight. Queries and answers are laid out and read
// by hand from RFC 1035 §4.1, independent of the service's own parser and builder.
import { describe, expect, it, vi } from 'vitest';
import { DnsForwarder } from '../../server/src/net/dns';
import { formatIpv4, ipv4 } from '../../server/src/net/frames';
import type { UdpEndpoint, UdpServiceContext } from '../../server/src/net/services';

const SERVER: UdpEndpoint = { address: ipv4('10.0.2.3'), port: 53 };
const GUEST: UdpEndpoint = { address: ipv4('10.0.2.15'), port: 40000 };
const TYPE_A = 1;
const TYPE_AAAA = 28;

interface Sent {
  readonly from: UdpEndpoint;
  readonly to: UdpEndpoint;
  readonly payload: Uint8Array;
}

/** The real service contract: sends recorded, deferred work queued until the test runs the boundary. */
function harness(lookup?: (name: string) => Promise<string[]>) {
  const sent: Sent[] = [];
  const deferred: Array<() => void> = [];
  const context: UdpServiceContext = {
    send: (from, to, payload) => sent.push({ from, to, payload: payload.slice() }),
    defer: (work) => deferred.push(work),
    now: () => 0n,
    report: () => {},
  };
  const forwarder = new DnsForwarder(context, { lookup });
  return {
    forwarder,
    sent,
    deferred,
    receive: (payload: Uint8Array) => forwarder.receive(payload, GUEST, SERVER),
    /** Waits for the host's answers, then runs the machine boundary that sends them. */
    async boundary(count = 1) {
      await vi.waitFor(() => expect(deferred.length).toBeGreaterThanOrEqual(count), { timeout: 10_000 });
      for (const work of deferred.splice(0)) work();
    },
  };
}

function query(name: string, type = TYPE_A, id = 0x1234, { klass = 1, questions = 1, flags = 0x0100 } = {}): Uint8Array {
  const labels = name === '' ? [] : name.split('.').map((label) => Buffer.concat([Uint8Array.of(label.length), Buffer.from(label, 'latin1')]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(questions, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(klass, 2);
  return Buffer.concat([header, ...labels, Uint8Array.of(0), tail]);
}

interface Answer {
  id: number;
  flags: number;
  rcode: number;
  questions: number;
  question: Buffer;
  records: Array<{ name: number; type: number; klass: number; ttl: number; address: string }>;
}

function answer(payload: Uint8Array, asked: Uint8Array): Answer {
  const bytes = Buffer.from(payload);
  const questionEnd = asked.length;
  const records: Answer['records'] = [];
  for (let i = 0, at = questionEnd; i < bytes.readUInt16BE(6); i++, at += 16) {
    expect(bytes.readUInt16BE(at + 10)).toBe(4);
    records.push({
      name: bytes.readUInt16BE(at),
      type: bytes.readUInt16BE(at + 2),
      klass: bytes.readUInt16BE(at + 4),
      ttl: bytes.readUInt32BE(at + 6),
      address: formatIpv4(bytes.readUInt32BE(at + 12)),
    });
  }
  return {
    id: bytes.readUInt16BE(0),
    flags: bytes.readUInt16BE(2),
    rcode: bytes[3] & 0xf,
    questions: bytes.readUInt16BE(4),
    question: bytes.subarray(12, questionEnd),
    records,
  };
}

const notFound = () => Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });

describe('DNS forwarder', () => {
  it('answers localhost from the host resolver with 127.0.0.1', async () => {
    const h = harness();
    const asked = query('localhost', TYPE_A, 0xbeef);
    expect(h.receive(asked)).toEqual({ kind: 'handled' });
    expect(h.sent).toEqual([]);
    await h.boundary();
    expect(h.sent.length).toBe(1);
    expect(h.sent[0].from).toBe(SERVER);
    expect(h.sent[0].to).toBe(GUEST);
    const reply = answer(h.sent[0].payload, asked);
    expect(reply.id).toBe(0xbeef);
    expect(reply.flags & 0x8000).toBe(0x8000); // QR
    expect(reply.flags & 0x0180).toBe(0x0180); // RD echoed, RA
    expect(reply.rcode).toBe(0);
    expect(reply.questions).toBe(1);
    expect(reply.question).toEqual(Buffer.from(asked.subarray(12)));
    expect(reply.records.map((record) => record.address)).toContain('127.0.0.1');
    expect(reply.records.every((record) => record.name === 0xc00c && record.type === 1 && record.klass === 1 && record.ttl === 60)).toBe(true);
    expect(h.forwarder.lookupsInFlight).toBe(0);
  });

  it('answers NXDOMAIN when the name does not exist and SERVFAIL when the resolver fails', async () => {
    const names: string[] = [];
    const h = harness(async (name) => {
      names.push(name);
      if (name === 'no.such.host') throw notFound();
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    });
    const missing = query('no.such.host');
    const failing = query('flaky.example');
    h.receive(missing);
    h.receive(failing);
    await h.boundary(2);
    expect(names).toEqual(['no.such.host', 'flaky.example']);
    expect(answer(h.sent[0].payload, missing)).toMatchObject({ rcode: 3, records: [] });
    expect(answer(h.sent[1].payload, failing)).toMatchObject({ rcode: 2, records: [] });
  });

  it('gives distinct addresses, as many as fit in 512 bytes', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `192.0.2.${i}`);
    const h = harness(async () => ['192.0.2.7', '192.0.2.7', 'not-an-address', ...many]);
    const asked = query('many.example');
    h.receive(asked);
    await h.boundary();
    const reply = answer(h.sent[0].payload, asked);
    expect(h.sent[0].payload.length).toBeLessThanOrEqual(512);
    expect(reply.records.length).toBe(Math.floor((512 - asked.length) / 16));
    expect(reply.records[0].address).toBe('192.0.2.7');
    expect(new Set(reply.records.map((record) => record.address)).size).toBe(reply.records.length);
  });

  it('answers AAAA and other types at once with NOERROR and no records, without a lookup', () => {
    const lookup = vi.fn(async () => ['192.0.2.1']);
    const h = harness(lookup);
    for (const type of [TYPE_AAAA, 15 /* MX */, 16 /* TXT */]) {
      const asked = query('example.org', type);
      expect(h.receive(asked)).toEqual({ kind: 'handled' });
      expect(answer(h.sent[h.sent.length - 1].payload, asked)).toMatchObject({ rcode: 0, questions: 1, records: [] });
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses names the host resolver cannot be asked for, and other classes and opcodes', () => {
    const h = harness(async () => ['192.0.2.1']);
    const dotted = Buffer.concat([query('x').subarray(0, 12), Uint8Array.of(3, 0x61, 0x2e, 0x62, 0), Uint8Array.of(0, 1, 0, 1)]);
    expect(h.receive(dotted).kind).toBe('ignored');
    expect(answer(h.sent[0].payload, dotted).rcode).toBe(5);
    const chaos = query('version.bind', 16, 1, { klass: 3 });
    expect(h.receive(chaos).kind).toBe('ignored');
    expect(answer(h.sent[1].payload, chaos).rcode).toBe(4);
    const status = query('example.org', TYPE_A, 2, { flags: 2 << 11 });
    expect(h.receive(status).kind).toBe('ignored');
    expect(answer(h.sent[2].payload, status).rcode).toBe(4);
  });

  it('drops malformed queries without answering', () => {
    const lookup = vi.fn(async () => ['192.0.2.1']);
    const h = harness(lookup);
    const good = query('example.org');
    const pointerLoop = Buffer.concat([good.subarray(0, 12), Uint8Array.of(0xc0, 12, 0, 1, 0, 1)]);
    const forward = Buffer.concat([good.subarray(0, 12), Uint8Array.of(0xc0, 20, 0, 1, 0, 1, 0, 0, 0)]);
    const tooLong = query(Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.'));
    const malformed = [
      new Uint8Array(0),
      good.subarray(0, 11),
      good.subarray(0, good.length - 1),
      query('example.org', TYPE_A, 1, { flags: 0x8180 }),
      query('example.org', TYPE_A, 1, { questions: 0 }),
      query('example.org', TYPE_A, 1, { questions: 2 }),
      Buffer.concat([good.subarray(0, 12), Uint8Array.of(20, 0x61, 0, 1, 0, 1)]),
      Buffer.concat([good.subarray(0, 12), Uint8Array.of(0x40, 0, 0, 1, 0, 1)]),
      pointerLoop,
      forward,
      tooLong,
    ];
    for (const packet of malformed) expect(h.receive(packet).kind, Buffer.from(packet).toString('hex')).toBe('dropped');
    expect(h.sent).toEqual([]);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('caps the lookups in flight and counts the queries it leaves', async () => {
    const pending: Array<(addresses: string[]) => void> = [];
    const h = harness(() => new Promise((resolve) => pending.push(resolve)));
    for (let i = 0; i < 64; i++) expect(h.receive(query(`host${i}.example`, TYPE_A, i))).toEqual({ kind: 'handled' });
    expect(h.receive(query('one.more.example', TYPE_A, 64)).kind).toBe('ignored');
    expect(h.forwarder.overloaded).toBe(1);
    expect(h.forwarder.lookupsInFlight).toBe(64);
    await vi.waitFor(() => expect(pending.length).toBe(64));

    pending[0](['192.0.2.1']);
    await h.boundary();
    expect(h.sent.length).toBe(1);
    expect(h.forwarder.lookupsInFlight).toBe(63);
    expect(h.receive(query('one.more.example', TYPE_A, 65))).toEqual({ kind: 'handled' });
    expect(h.forwarder.overloaded).toBe(1);
  });

  it('sends nothing for lookups that settle after close', async () => {
    let finish: (addresses: string[]) => void = () => {};
    const h = harness(() => new Promise((resolve) => (finish = resolve)));
    h.receive(query('late.example'));
    await vi.waitFor(() => expect(h.forwarder.lookupsInFlight).toBe(1));
    h.forwarder.close();
    finish(['192.0.2.1']);
    await vi.waitFor(() => expect(h.forwarder.lookupsInFlight).toBe(0));
    expect(h.deferred).toEqual([]);
    expect(h.sent).toEqual([]);
  });
});
