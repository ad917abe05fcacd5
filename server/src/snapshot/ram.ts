// Guest RAM in a snapshot: all-zero 4 KiB pages left out (a bitmap says which are present),
// the rest in 1 MiB chunks, each deflated (zlib's raw deflate at level 1: of the codecs in
// node:zlib the one that meets the save and load time goals on a 128 MiB guest) unless a
// sample of it does not compress, then stored as it is (deflating random data costs ~20 ns a
// byte and gains nothing).
//
//   u32 page size (4096), u64 RAM bytes, u32 pages present, bitmap (1 bit a page, page n in
//   bit n % 8 of byte n / 8), then the present pages in page order:
//   version 1: one raw deflate stream of them all;
//   version 2: chunks of up to CHUNK_PAGES pages, each u8 kind (0 stored, 1 deflated),
//   u32 byte length, the bytes.
// Both ways report progress chunk by chunk as bytes of guest RAM covered (RamProgress).
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const RAM_SECTION_VERSION = 2;
/** The versions decodeRam reads. */
export const RAM_SECTION_VERSIONS = [1, 2];
const PAGE = 4096;
const ZERO_PAGE = Buffer.alloc(PAGE);
const CHUNK_PAGES = 256;
/** Bytes of a chunk deflated to see whether it compresses (at least to 90%). */
const SAMPLE = 64 * 1024;
const STORED = 0;
const DEFLATED = 1;

/**
 * Told after each chunk is encoded or decoded: `doneBytes` of guest RAM (zero pages included)
 * are covered, of `totalBytes` (the RAM size). Never decreases; ends at totalBytes exactly.
 */
export type RamProgress = (doneBytes: number, totalBytes: number) => void;

/** One chunk of present pages: deflated when a sample of it shrinks, else as it is. */
function encodeChunk(data: Buffer): Buffer[] {
  const sample = data.subarray(0, SAMPLE);
  const compresses = deflateRawSync(sample, { level: 1 }).length < sample.length * 0.9;
  const body = compresses ? deflateRawSync(data, { level: 1 }) : data;
  const head = Buffer.alloc(5);
  head.writeUInt8(compresses ? DEFLATED : STORED, 0);
  head.writeUInt32LE(body.length, 1);
  return [head, body];
}

/** Version 2's chunks back into the present pages, checked; `covered` is told each chunk's RAM end. */
function decodeChunks(data: Buffer, expected: number, covered?: (presentBytes: number) => void): Buffer {
  const out = Buffer.alloc(expected);
  let at = 0;
  let filled = 0;
  while (at < data.length) {
    if (at + 5 > data.length) throw new Error('truncated chunk header');
    const kind = data.readUInt8(at);
    const length = data.readUInt32LE(at + 1);
    at += 5;
    if (at + length > data.length) throw new Error('truncated chunk');
    const body = data.subarray(at, at + length);
    at += length;
    let pages: Buffer;
    if (kind === STORED) {
      pages = body;
    } else if (kind === DEFLATED) {
      try {
        pages = inflateRawSync(body);
      } catch {
        throw new Error('page data does not inflate');
      }
    } else {
      throw new Error(`unknown chunk kind ${kind}`);
    }
    if (pages.length > CHUNK_PAGES * PAGE || filled + pages.length > expected) throw new Error('page data is longer than the bitmap says');
    pages.copy(out, filled);
    filled += pages.length;
    covered?.(filled);
  }
  if (filled !== expected) throw new Error(`page data holds ${filled} bytes, not ${expected}`);
  return out;
}

/** The section of `ram`; `progress` hears of each chunk as it is deflated. */
export function encodeRam(ram: Uint8Array, progress?: RamProgress): Uint8Array {
  const pages = ram.length / PAGE;
  const bitmap = Buffer.alloc(Math.ceil(pages / 8));
  const bytes = Buffer.from(ram.buffer, ram.byteOffset, ram.byteLength);
  const present: Buffer[] = [];
  /** The page number of each present page. */
  const where: number[] = [];
  for (let page = 0; page < pages; page++) {
    const data = bytes.subarray(page * PAGE, (page + 1) * PAGE);
    if (data.equals(ZERO_PAGE)) continue;
    bitmap[page >> 3] |= 1 << (page & 7);
    present.push(data);
    where.push(page);
  }
  const head = Buffer.alloc(16);
  head.writeUInt32LE(PAGE, 0);
  head.writeBigUInt64LE(BigInt(ram.length), 4);
  head.writeUInt32LE(present.length, 12);
  const chunks: Buffer[] = [];
  for (let first = 0; first < present.length; first += CHUNK_PAGES) {
    const last = Math.min(first + CHUNK_PAGES, present.length);
    chunks.push(...encodeChunk(Buffer.concat(present.slice(first, last))));
    // The zero pages after the chunk's last page, up to the next present one, are covered too.
    progress?.(last < present.length ? where[last] * PAGE : ram.length, ram.length);
  }
  if (present.length === 0) progress?.(ram.length, ram.length);
  return Buffer.concat([head, bitmap, ...chunks]);
}

/** RAM as the section holds it, checked, ready to be written over guest RAM (applyRam). */
export interface DecodedRam {
  readonly size: number;
  readonly bitmap: Uint8Array;
  readonly pages: Uint8Array;
}

/**
 * Checks and inflates the section (of `version`); throws a one-line Error naming what is wrong.
 * `progress` hears of each chunk as it is inflated (version 1, one stream, only at the end).
 */
export function decodeRam(section: Uint8Array, version = RAM_SECTION_VERSION, progress?: RamProgress): DecodedRam {
  const data = Buffer.from(section.buffer, section.byteOffset, section.byteLength);
  if (data.length < 16) throw new Error('truncated RAM header');
  if (data.readUInt32LE(0) !== PAGE) throw new Error(`page size ${data.readUInt32LE(0)} is not ${PAGE}`);
  const size = Number(data.readBigUInt64LE(4));
  if (size % PAGE !== 0 || size <= 0) throw new Error(`bad RAM size ${size}`);
  const count = data.readUInt32LE(12);
  const bitmapBytes = Math.ceil(size / PAGE / 8);
  if (data.length < 16 + bitmapBytes) throw new Error('truncated page bitmap');
  const bitmap = data.subarray(16, 16 + bitmapBytes);
  let set = 0;
  for (const byte of bitmap) for (let v = byte; v; v &= v - 1) set++;
  if (set !== count) throw new Error('page bitmap does not match the page count');
  if (version !== 1) {
    const pages = decodeChunks(data.subarray(16 + bitmapBytes), count * PAGE, progress && ramCovered(bitmap, size, progress));
    if (count === 0) progress?.(size, size);
    return { size, bitmap, pages };
  }
  let pages: Buffer;
  try {
    pages = inflateRawSync(data.subarray(16 + bitmapBytes));
  } catch {
    throw new Error('page data does not inflate');
  }
  if (pages.length !== count * PAGE) throw new Error(`page data holds ${pages.length} bytes, not ${count * PAGE}`);
  progress?.(size, size);
  return { size, bitmap, pages };
}

/**
 * Turns bytes of present pages decoded into bytes of RAM covered: up to the next present page
 * still to come (RAM's end after the last), walking the bitmap once over the whole decode.
 */
function ramCovered(bitmap: Uint8Array, size: number, progress: RamProgress): (presentBytes: number) => void {
  const pages = size / PAGE;
  let page = 0;
  let seen = 0;
  return (presentBytes) => {
    for (const wanted = presentBytes / PAGE; page < pages && (seen < wanted || !(bitmap[page >> 3] & (1 << (page & 7)))); page++) {
      if (bitmap[page >> 3] & (1 << (page & 7))) seen++;
    }
    progress(page * PAGE, size);
  };
}

/** Writes decoded RAM over `ram` (the same size): absent pages become zeros. */
export function applyRam(decoded: DecodedRam, ram: Uint8Array): void {
  if (decoded.size !== ram.length) throw new Error(`RAM is ${ram.length} bytes, the snapshot's ${decoded.size}`);
  let next = 0;
  const pages = ram.length / PAGE;
  for (let page = 0; page < pages; page++) {
    const at = page * PAGE;
    if (decoded.bitmap[page >> 3] & (1 << (page & 7))) {
      ram.set(decoded.pages.subarray(next * PAGE, (next + 1) * PAGE), at);
      next++;
    } else {
      ram.fill(0, at, at + PAGE);
    }
  }
}
