// The snapshot container: one portable file (little-endian everywhere, no host word size or
// byte order in it) of named, versioned sections, each with its own sha256, behind a header
// that carries its own sha256. A reader checks everything before anyone acts on the contents:
// a truncated, corrupt or newer-format file is refused with one line.
//
//   header   "LANTSNAP" (8 bytes), format version u32, header length u32 (bytes that follow,
//            up to and including the header's sha256), Lantern version (u16 length + UTF-8),
//            section count u32, then per section: name (u8 length + ASCII), version u32,
//            payload length u64, sha256 of the payload (32 bytes); then sha256 of every header
//            byte before it (32 bytes).
//   payloads the sections' bytes, back to back in table order; nothing after the last.
//
// New kinds of state (disk overlays, the input log) are new sections: a reader skips none it
// needs and refuses a file that lacks one.
import { createHash } from 'node:crypto';

export const MAGIC = 'LANTSNAP';
/** Bumped when a reader of the previous format could not read the new one. */
export const FORMAT_VERSION = 1;
const HASH_BYTES = 32;

export interface Section {
  readonly name: string;
  readonly version: number;
  readonly data: Uint8Array;
}

export interface SnapshotFile {
  readonly lanternVersion: string;
  readonly sections: readonly Section[];
}

/** A file that is not a snapshot this Lantern can read: the message is one line. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** The file's bytes, as a list of chunks to write in order (payloads are not copied). */
export function encodeSnapshot(file: SnapshotFile): Uint8Array[] {
  const version = Buffer.from(file.lanternVersion, 'utf8');
  const entries = file.sections.map((section) => {
    const name = Buffer.from(section.name, 'ascii');
    if (name.length === 0 || name.length > 255) throw new Error(`bad section name '${section.name}'`);
    const entry = Buffer.alloc(1 + name.length + 4 + 8 + HASH_BYTES);
    entry[0] = name.length;
    name.copy(entry, 1);
    entry.writeUInt32LE(section.version, 1 + name.length);
    entry.writeBigUInt64LE(BigInt(section.data.length), 5 + name.length);
    sha256(section.data).copy(entry, 13 + name.length);
    return entry;
  });
  const fixed = Buffer.alloc(16);
  fixed.write(MAGIC, 0, 'ascii');
  fixed.writeUInt32LE(FORMAT_VERSION, 8);
  const body = Buffer.concat([u16(version.length), version, u32(file.sections.length), ...entries]);
  fixed.writeUInt32LE(body.length + HASH_BYTES, 12);
  const header = Buffer.concat([fixed, body]);
  return [header, sha256(header), ...file.sections.map((section) => section.data)];
}

/** Parses and checks a whole file: magic, format version, header and section checksums, lengths. */
export function decodeSnapshot(bytes: Uint8Array, label: string): SnapshotFile {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (message: string): never => { throw new SnapshotError(`snapshot ${label}: ${message}`); };
  if (buffer.length < 8 || buffer.toString('latin1', 0, 8) !== MAGIC) fail('not a Lantern snapshot (bad magic)');
  if (buffer.length < 16) fail('truncated header');
  const format = buffer.readUInt32LE(8);
  if (format > FORMAT_VERSION) fail(`was written by a newer Lantern (format ${format}; this one reads format ${FORMAT_VERSION})`);
  if (format !== FORMAT_VERSION) fail(`unknown format ${format}`);
  const headerEnd = 16 + buffer.readUInt32LE(12);
  if (headerEnd > buffer.length) fail('truncated header');
  if (headerEnd < 16 + HASH_BYTES + 6) fail('header checksum mismatch');
  const expected = buffer.subarray(headerEnd - HASH_BYTES, headerEnd);
  if (!sha256(buffer.subarray(0, headerEnd - HASH_BYTES)).equals(expected)) fail('header checksum mismatch');
  // The header's checksum held: its fields are as written, so they are read without further doubt.
  let at = 16;
  const versionLength = buffer.readUInt16LE(at);
  const lanternVersion = buffer.toString('utf8', at + 2, at + 2 + versionLength);
  at += 2 + versionLength;
  const count = buffer.readUInt32LE(at);
  at += 4;
  const table: { name: string; version: number; length: number; hash: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buffer[at];
    const name = buffer.toString('ascii', at + 1, at + 1 + nameLength);
    at += 1 + nameLength;
    const version = buffer.readUInt32LE(at);
    const length = buffer.readBigUInt64LE(at + 4);
    const hash = buffer.subarray(at + 12, at + 12 + HASH_BYTES);
    at += 12 + HASH_BYTES;
    if (length > BigInt(Number.MAX_SAFE_INTEGER)) fail(`truncated section '${name}'`);
    table.push({ name, version, length: Number(length), hash });
  }
  if (at !== headerEnd - HASH_BYTES) fail('header checksum mismatch');
  let offset = headerEnd;
  const sections = table.map((entry): Section => {
    if (offset + entry.length > buffer.length) fail(`truncated section '${entry.name}'`);
    const data = buffer.subarray(offset, offset + entry.length);
    offset += entry.length;
    if (!sha256(data).equals(entry.hash)) fail(`checksum mismatch in section '${entry.name}'`);
    return { name: entry.name, version: entry.version, data };
  });
  if (offset !== buffer.length) fail(`${buffer.length - offset} unexpected bytes after the last section`);
  return { lanternVersion, sections };
}

/** The one section called `name` at a version this reader knows, else a one-line refusal. */
export function sectionOf(file: SnapshotFile, name: string, versions: readonly number[], label: string): Section {
  const section = file.sections.find((s) => s.name === name);
  if (!section) throw new SnapshotError(`snapshot ${label}: no section '${name}'`);
  if (!versions.includes(section.version)) {
    throw new SnapshotError(`snapshot ${label}: section '${name}' is version ${section.version}, this Lantern reads ${versions.join(', ')}`);
  }
  return section;
}

/** A JSON section's bytes (bigints must already be strings). */
export function jsonSection(name: string, version: number, value: unknown): Section {
  return { name, version, data: Buffer.from(JSON.stringify(value), 'utf8') };
}

export function parseJsonSection<T>(section: Section, label: string): T {
  try {
    return JSON.parse(Buffer.from(section.data.buffer, section.data.byteOffset, section.data.byteLength).toString('utf8')) as T;
  } catch {
    throw new SnapshotError(`snapshot ${label}: section '${section.name}' is not valid JSON`);
  }
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}
