// The snapshot container (server/src/snapshot/format.ts) and RAM codec (ram.ts): a round trip,
// and every refusal with its one line: wrong magic, a newer format, truncation at many
// offsets, and ~1,000 random byte mutations, none of which may decode.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, FORMAT_VERSION, SnapshotError, type SnapshotFile } from '../../server/src/snapshot/format';
import { applyRam, decodeRam, encodeRam } from '../../server/src/snapshot/ram';
import { xorshift32 } from '../support/random';

const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks));

function sample(): SnapshotFile {
  const ram = new Uint8Array(64 * 4096);
  for (let i = 0; i < 4096; i++) ram[5 * 4096 + i] = (i * 7) & 0xff;
  ram[63 * 4096 + 4095] = 1;
  return {
    lanternVersion: '0.1.0',
    sections: [
      { name: 'info', version: 1, data: Buffer.from('{"tag":"x"}') },
      { name: 'harts', version: 1, data: new Uint8Array(300).map((_, i) => i) },
      { name: 'ram', version: 1, data: encodeRam(ram) },
    ],
  };
}

/** A small deterministic generator so failures reproduce. */
const random = xorshift32;

describe('snapshot format', () => {
  const bytes = concat(encodeSnapshot(sample()));

  it('round-trips sections, versions and the Lantern version', () => {
    const file = decodeSnapshot(bytes, 's');
    expect(file.lanternVersion).toBe('0.1.0');
    expect(file.sections.map((s) => [s.name, s.version, s.data.length])).toEqual(sample().sections.map((s) => [s.name, s.version, s.data.length]));
    expect(Buffer.from(file.sections[1].data).equals(Buffer.from(sample().sections[1].data))).toBe(true);
  });

  it('round-trips RAM, zero pages left out', () => {
    const ram = new Uint8Array(64 * 4096);
    ram[5 * 4096 + 17] = 9;
    ram[63 * 4096] = 200;
    const encoded = encodeRam(ram);
    expect(encoded.length).toBeLessThan(200);
    const target = new Uint8Array(ram.length).fill(0xaa);
    applyRam(decodeRam(encoded), target);
    expect(Buffer.from(target).equals(Buffer.from(ram))).toBe(true);
  });

  it('stores incompressible chunks as they are, deflates the rest, and still reads version 1', () => {
    const ram = new Uint8Array(2048 * 4096);
    // 4 MiB of random bytes (four stored chunks), then 2 MiB of a repeated pattern (deflated).
    ram.set(randomBytes(4 << 20), 0);
    for (let i = 4 << 20; i < 6 << 20; i++) ram[i] = i & 0x3f;
    const encoded = Buffer.from(encodeRam(ram));
    expect(encoded.length).toBeGreaterThan(4 << 20);
    expect(encoded.length).toBeLessThan((4 << 20) + 64 * 1024);
    const target = new Uint8Array(ram.length).fill(0xaa);
    applyRam(decodeRam(encoded), target);
    expect(Buffer.from(target).equals(Buffer.from(ram))).toBe(true);
    // Version 1: one deflate stream after the bitmap.
    const pages = 1536;
    const head = Buffer.alloc(16);
    head.writeUInt32LE(4096, 0);
    head.writeBigUInt64LE(BigInt(ram.length), 4);
    head.writeUInt32LE(pages, 12);
    const bitmap = Buffer.alloc(256);
    bitmap.fill(0xff, 0, pages / 8);
    const v1 = Buffer.concat([head, bitmap, deflateRawSync(Buffer.from(ram.subarray(0, pages * 4096)))]);
    const fromV1 = new Uint8Array(ram.length);
    applyRam(decodeRam(v1, 1), fromV1);
    expect(Buffer.from(fromV1).equals(Buffer.from(ram))).toBe(true);
    // A chunk cut short, or of an unknown kind, is refused.
    expect(() => decodeRam(encoded.subarray(0, encoded.length - 10))).toThrow(/truncated chunk/);
    const odd = Buffer.from(encoded);
    odd[16 + 256] = 7;
    expect(() => decodeRam(odd)).toThrow('unknown chunk kind 7');
  });

  it('refuses a file that is not a snapshot, and a newer format', () => {
    const wrong = Uint8Array.from(bytes);
    wrong[0] = 0x4d;
    expect(() => decodeSnapshot(wrong, 's')).toThrow('snapshot s: not a Lantern snapshot (bad magic)');
    const newer = Uint8Array.from(bytes);
    new DataView(newer.buffer).setUint32(8, FORMAT_VERSION + 2, true);
    expect(() => decodeSnapshot(newer, 's')).toThrow(`snapshot s: was written by a newer Lantern (format ${FORMAT_VERSION + 2}; this one reads format ${FORMAT_VERSION})`);
  });

  it('refuses the file truncated at every offset, naming what is cut', () => {
    const messages = new Set<string>();
    for (let length = 0; length < bytes.length; length++) {
      let error: unknown;
      try {
        decodeSnapshot(bytes.subarray(0, length), 's');
      } catch (e) {
        error = e;
      }
      expect(error, `truncated to ${length}`).toBeInstanceOf(SnapshotError);
      const message = (error as Error).message;
      expect(message).not.toMatch(/\n/);
      messages.add(message.replace(/'[^']*'/, "'…'"));
    }
    expect(decodeSnapshot.bind(undefined, bytes.subarray(0, bytes.length - 1), 's')).toThrow("snapshot s: truncated section 'ram'");
    expect(messages).toContain("snapshot s: truncated section '…'");
  });

  it('refuses ~1,000 random mutations (flipped bytes, and bytes appended), each with one line', () => {
    const next = random(12345);
    for (let i = 0; i < 1000; i++) {
      const mutated = Uint8Array.from(bytes);
      const flips = 1 + (next() % 3);
      for (let f = 0; f < flips; f++) mutated[next() % mutated.length] ^= 1 + (next() % 255);
      const input = i % 50 === 49 ? concat([mutated, new Uint8Array([next() & 0xff])]) : mutated;
      let error: unknown;
      try {
        decodeSnapshot(input, 's');
      } catch (e) {
        error = e;
      }
      expect(error, `mutation ${i}`).toBeInstanceOf(SnapshotError);
      expect((error as Error).message).toMatch(/^snapshot s: [^\n]+$/);
    }
  });

  it('names the section whose checksum does not match', () => {
    const mutated = Uint8Array.from(bytes);
    mutated[mutated.length - 5] ^= 1; // inside the last section, ram
    expect(() => decodeSnapshot(mutated, 's')).toThrow("snapshot s: checksum mismatch in section 'ram'");
  });
});
