// The gateway's TFTP server as a guest's client sees it: whole files fetched block by block
// (with and without option negotiation) and checked by hash, refusals of missing files and of
// every way out of the root, retransmission on virtual time, and block numbers rolling over.
// Packets are laid out by hand from RFC 1350 / 2347, independent of the server's own code.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipv4 } from '../../server/src/net/frames';
import type { ServiceResult, UdpEndpoint, UdpServiceContext } from '../../server/src/net/services';
import { TftpServer } from '../../server/src/net/tftp';

const SERVER: UdpEndpoint = { address: ipv4('10.0.2.2'), port: 69 };
const GUEST: UdpEndpoint = { address: ipv4('10.0.2.15'), port: 49152 };
const SECOND = 1_000_000_000n;

let base: string;
let root: string;
const files = new Map<string, Buffer>();

/** Deterministic bytes (a linear congruential sequence), so a misplaced block shows in the hash. */
function pattern(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-tftp-'));
  root = path.join(base, 'root');
  fs.mkdirSync(path.join(root, 'boot'), { recursive: true });
  const add = (name: string, bytes: Buffer) => {
    fs.writeFileSync(path.join(root, name), bytes);
    files.set(name, bytes);
  };
  add('hello.txt', Buffer.from('hello from the gateway\n'));
  add('boot/Image', pattern(5000, 1));
  add('exact.bin', pattern(1024, 2));
  add('rollover.bin', pattern(65536 * 8 + 3, 3));
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the root\n');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'escape'));
  fs.symlinkSync(base, path.join(root, 'updir'));
  fs.symlinkSync(path.join(root, 'hello.txt'), path.join(root, 'alias'));
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

interface Sent {
  readonly from: UdpEndpoint;
  readonly to: UdpEndpoint;
  readonly payload: Uint8Array;
}

/** The real service contract, as the network gives it: datagrams recorded, virtual time the test's. */
function harness(bootfile?: string) {
  let now = 0n;
  const sent: Sent[] = [];
  const reports: string[] = [];
  const context: UdpServiceContext = {
    send: (from, to, payload) => sent.push({ from, to, payload: payload.slice() }),
    defer: (work) => work(),
    now: () => now,
    report: (message) => reports.push(message),
  };
  const server = new TftpServer(context, { root, bootfile });
  return {
    server,
    sent,
    reports,
    receive: (payload: Uint8Array, from = GUEST): ServiceResult => server.receive(payload, from, SERVER),
    advance(ns: bigint) {
      now += ns;
      server.tick(now);
    },
  };
}

const strings = (...parts: string[]) => Buffer.from(parts.map((part) => `${part}\0`).join(''), 'latin1');
const opcode = (code: number) => Uint8Array.of(0, code);
const readRequest = (filename: string, mode = 'octet', options: Record<string, string | number> = {}) =>
  Buffer.concat([opcode(1), strings(filename, mode, ...Object.entries(options).flatMap(([name, value]) => [name, String(value)]))]);
const ack = (block: number) => Uint8Array.of(0, 4, block >>> 8, block & 0xff);

type Reply =
  | { kind: 'data'; block: number; data: Uint8Array }
  | { kind: 'oack'; options: Record<string, string> }
  | { kind: 'error'; code: number; message: string };

function decode(payload: Uint8Array): Reply {
  const op = (payload[0] << 8) | payload[1];
  if (op === 3) return { kind: 'data', block: (payload[2] << 8) | payload[3], data: payload.subarray(4) };
  if (op === 6) {
    const parts = Buffer.from(payload.subarray(2)).toString('latin1').split('\0').slice(0, -1);
    const options: Record<string, string> = {};
    for (let i = 0; i < parts.length; i += 2) options[parts[i]] = parts[i + 1];
    return { kind: 'oack', options };
  }
  if (op === 5) return { kind: 'error', code: (payload[2] << 8) | payload[3], message: Buffer.from(payload.subarray(4, -1)).toString() };
  throw new Error(`unexpected opcode ${op}`);
}

function lastReply(sent: Sent[]): Reply {
  return decode(sent[sent.length - 1].payload);
}

/** A client in the manner of U-Boot: RRQ, ACK 0 for an OACK, then ACK each DATA until a short one. */
function fetch(h: ReturnType<typeof harness>, filename: string, options: Record<string, string | number> = {}) {
  expect(h.receive(readRequest(filename, 'octet', options))).toEqual({ kind: 'handled' });
  let reply = lastReply(h.sent);
  let oack: Record<string, string> | undefined;
  if (reply.kind === 'oack') {
    oack = reply.options;
    h.receive(ack(0));
    reply = lastReply(h.sent);
  }
  const blockSize = Number(oack?.blksize ?? 512);
  const chunks: Uint8Array[] = [];
  const blocks: number[] = [];
  for (;;) {
    if (reply.kind !== 'data') throw new Error(`expected DATA, got ${JSON.stringify(reply)}`);
    chunks.push(reply.data);
    blocks.push(reply.block);
    const before = h.sent.length;
    expect(h.receive(ack(reply.block))).toEqual({ kind: 'handled' });
    if (reply.data.length < blockSize) {
      expect(h.sent.length).toBe(before);
      break;
    }
    reply = lastReply(h.sent);
  }
  return { bytes: Buffer.concat(chunks), oack, blocks };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('TFTP read requests', () => {
  it('serves a small file in one DATA without options, from 10.0.2.2:69', () => {
    const h = harness();
    const { bytes, oack, blocks } = fetch(h, 'hello.txt');
    expect(oack).toBeUndefined();
    expect(blocks).toEqual([1]);
    expect(bytes.toString()).toBe('hello from the gateway\n');
    expect(h.sent.every((packet) => packet.from === SERVER && packet.to === GUEST)).toBe(true);
    expect(h.server.activeTransfers).toBe(0);
    expect(h.reports.some((line) => line.includes('hello.txt') && line.includes('done'))).toBe(true);
  });

  it('negotiates blksize and tsize and serves a multi-block file', () => {
    const h = harness();
    const { bytes, oack, blocks } = fetch(h, 'boot/Image', { tsize: 0, blksize: 1024 });
    expect(oack).toEqual({ tsize: '5000', blksize: '1024' });
    expect(blocks).toEqual([1, 2, 3, 4, 5]);
    expect(sha256(bytes)).toBe(sha256(files.get('boot/Image')!));
  });

  it('clamps blksize to one frame, ignores sizes out of range and options it does not know', () => {
    const h = harness();
    const big = fetch(h, '/boot/Image', { BLKSIZE: 65464, windowsize: 4, timeout: 5 });
    expect(big.oack).toEqual({ blksize: '1468', timeout: '5' });
    expect(big.blocks).toEqual([1, 2, 3, 4]);
    expect(sha256(big.bytes)).toBe(sha256(files.get('boot/Image')!));

    const small = fetch(h, 'boot/Image', { blksize: 7, windowsize: 4 });
    expect(small.oack).toBeUndefined();
    expect(small.blocks.length).toBe(Math.ceil(5000 / 512));
    expect(sha256(small.bytes)).toBe(sha256(files.get('boot/Image')!));
  });

  it('ends a file of whole blocks with an empty DATA', () => {
    const h = harness();
    const { bytes, blocks } = fetch(h, 'exact.bin', { blksize: 512 });
    expect(blocks).toEqual([1, 2, 3]);
    expect(h.sent.map((packet) => packet.payload.length).slice(-1)).toEqual([4]);
    expect(sha256(bytes)).toBe(sha256(files.get('exact.bin')!));
  });

  it('follows a symbolic link that stays inside the root, and accepts netascii as octet', () => {
    const h = harness();
    expect(h.receive(readRequest('alias', 'NetASCII'))).toEqual({ kind: 'handled' });
    const reply = lastReply(h.sent);
    expect(reply.kind === 'data' && Buffer.from(reply.data).toString()).toBe('hello from the gateway\n');
  });

  it('rolls block numbers over from 65535 to 0', () => {
    const h = harness();
    const { bytes, blocks } = fetch(h, 'rollover.bin', { blksize: 8 });
    expect(blocks.length).toBe(65537);
    expect(blocks.slice(65533)).toEqual([65534, 65535, 0, 1]);
    expect(sha256(bytes)).toBe(sha256(files.get('rollover.bin')!));
  });

  it('keeps the boot file name for DHCP', () => {
    expect(harness('boot/Image').server.bootfile).toBe('boot/Image');
    expect(harness().server.bootfile).toBeUndefined();
  });
});

describe('TFTP refusals', () => {
  function refusal(filename: string, mode = 'octet') {
    const h = harness();
    const result = h.receive(readRequest(filename, mode));
    expect(result.kind).toBe('ignored');
    expect(h.sent.length).toBe(1);
    expect(h.server.activeTransfers).toBe(0);
    return lastReply(h.sent);
  }

  it('answers a missing file or a directory with error 1', () => {
    expect(refusal('missing.bin')).toMatchObject({ kind: 'error', code: 1 });
    expect(refusal('boot')).toMatchObject({ kind: 'error', code: 1 });
    expect(refusal('')).toMatchObject({ kind: 'error', code: 1 });
  });

  it('never serves anything outside the root', () => {
    const secret = path.join(base, 'secret.txt');
    for (const name of ['../secret.txt', 'boot/../../secret.txt', '..\\secret.txt', 'escape', 'updir/secret.txt', secret, `/../${path.basename(base)}/secret.txt`]) {
      const reply = refusal(name);
      expect(reply.kind, name).toBe('error');
      expect([1, 2], name).toContain(reply.kind === 'error' ? reply.code : -1);
    }
    expect(refusal('../secret.txt')).toMatchObject({ code: 2 });
    expect(refusal('escape')).toMatchObject({ code: 2 });
    expect(refusal('updir/secret.txt')).toMatchObject({ code: 2 });
    // An absolute name is taken under the root, where this one does not exist.
    expect(refusal(secret)).toMatchObject({ code: 1 });
  });

  it('refuses writes with error 2 and unknown modes with error 4', () => {
    const h = harness();
    expect(h.receive(Buffer.concat([opcode(2), strings('upload.bin', 'octet')])).kind).toBe('ignored');
    expect(lastReply(h.sent)).toMatchObject({ kind: 'error', code: 2 });
    expect(refusal('hello.txt', 'mail')).toMatchObject({ kind: 'error', code: 4 });
  });

  it('drops malformed packets without answering', () => {
    const h = harness();
    const malformed = [
      Uint8Array.of(0, 1, 0x41),
      Buffer.concat([opcode(1), Buffer.from('hello.txt\0octet')]),
      Buffer.concat([opcode(1), strings('hello.txt')]),
      Buffer.concat([opcode(1), strings('hello.txt', 'octet', 'blksize')]),
      Buffer.concat([opcode(1), Uint8Array.of(0xff, 0xfe, 0), strings('octet')]),
      Uint8Array.of(0, 4, 0, 1, 0),
      Uint8Array.of(0, 9, 0, 0),
      new Uint8Array(0),
    ];
    for (const packet of malformed) expect(h.receive(packet).kind).toBe('dropped');
    expect(h.sent).toEqual([]);
  });
});

describe('TFTP timing', () => {
  it('retransmits a lost DATA after a second, never on a duplicate ACK, and gives up after 5 retries', () => {
    const h = harness();
    h.receive(readRequest('boot/Image'));
    expect(h.sent.length).toBe(1);
    h.advance(SECOND - 1n);
    expect(h.sent.length).toBe(1);
    h.advance(1n);
    expect(h.sent.length).toBe(2);
    expect(h.sent[1].payload).toEqual(h.sent[0].payload);

    h.receive(ack(1));
    expect(lastReply(h.sent)).toMatchObject({ kind: 'data', block: 2 });
    const count = h.sent.length;
    expect(h.receive(ack(1)).kind).toBe('ignored');
    expect(h.sent.length).toBe(count);

    for (let retry = 1; retry <= 5; retry++) {
      h.advance(SECOND);
      expect(h.sent.length).toBe(count + retry);
      expect(lastReply(h.sent)).toMatchObject({ kind: 'data', block: 2 });
    }
    h.advance(SECOND);
    expect(h.sent.length).toBe(count + 5);
    expect(h.server.activeTransfers).toBe(0);
    expect(h.reports.some((line) => line.includes('given up'))).toBe(true);
    expect(h.receive(ack(2)).kind).toBe('ignored');
  });

  it('uses the negotiated timeout and retransmits an unacknowledged OACK', () => {
    const h = harness();
    h.receive(readRequest('hello.txt', 'octet', { timeout: 3 }));
    expect(lastReply(h.sent)).toEqual({ kind: 'oack', options: { timeout: '3' } });
    h.advance(2n * SECOND);
    expect(h.sent.length).toBe(1);
    h.advance(SECOND);
    expect(h.sent.length).toBe(2);
    expect(lastReply(h.sent)).toMatchObject({ kind: 'oack' });
  });

  it('ends a transfer on the client ERROR and closes open transfers', () => {
    const h = harness();
    h.receive(readRequest('boot/Image'));
    expect(h.server.activeTransfers).toBe(1);
    expect(h.receive(Buffer.concat([opcode(5), Uint8Array.of(0, 8), strings('no thanks')]))).toEqual({ kind: 'handled' });
    expect(h.server.activeTransfers).toBe(0);

    h.receive(readRequest('boot/Image'));
    h.receive(readRequest('boot/Image'), { address: GUEST.address, port: 49153 });
    expect(h.server.activeTransfers).toBe(2);
    h.server.close();
    expect(h.server.activeTransfers).toBe(0);
    h.advance(10n * SECOND);
    expect(h.sent.length).toBe(3);
  });

  it('restarts a transfer when the same client repeats its request', () => {
    const h = harness();
    h.receive(readRequest('boot/Image'));
    h.receive(ack(1));
    h.receive(readRequest('boot/Image'));
    expect(h.server.activeTransfers).toBe(1);
    expect(lastReply(h.sent)).toMatchObject({ kind: 'data', block: 1 });
  });
});
