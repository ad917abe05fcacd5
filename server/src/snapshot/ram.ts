// Guest RAM in a snapshot: all-zero 4 KiB pages left out (a bitmap says which are present),
// the rest deflated together (zlib's raw deflate at level 1: of the codecs in node:zlib the
// one that meets the save and load time goals on a 128 MiB guest; see README, snapshots).
//
//   u32 page size (4096), u64 RAM bytes, u32 pages present, bitmap (1 bit a page, page n in
//   bit n % 8 of byte n / 8), then raw deflate of the present pages in page order.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const RAM_SECTION_VERSION = 1;
const PAGE = 4096;
const ZERO_PAGE = Buffer.alloc(PAGE);

export function encodeRam(ram: Uint8Array): Uint8Array {
  const pages = ram.length / PAGE;
  const bitmap = Buffer.alloc(Math.ceil(pages / 8));
  const bytes = Buffer.from(ram.buffer, ram.byteOffset, ram.byteLength);
  const present: Buffer[] = [];
  for (let page = 0; page < pages; page++) {
    const data = bytes.subarray(page * PAGE, (page + 1) * PAGE);
    if (data.equals(ZERO_PAGE)) continue;
    bitmap[page >> 3] |= 1 << (page & 7);
    present.push(data);
  }
  const head = Buffer.alloc(16);
  head.writeUInt32LE(PAGE, 0);
  head.writeBigUInt64LE(BigInt(ram.length), 4);
  head.writeUInt32LE(present.length, 12);
  return Buffer.concat([head, bitmap, deflateRawSync(Buffer.concat(present), { level: 1 })]);
}

/** RAM as the section holds it, checked, ready to be written over guest RAM (applyRam). */
export interface DecodedRam {
  readonly size: number;
  readonly bitmap: Uint8Array;
  readonly pages: Uint8Array;
}

/** Checks and inflates the section; throws a one-line Error naming what is wrong. */
export function decodeRam(section: Uint8Array): DecodedRam {
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
  let pages: Buffer;
  try {
    pages = inflateRawSync(data.subarray(16 + bitmapBytes));
  } catch {
    throw new Error('page data does not inflate');
  }
  if (pages.length !== count * PAGE) throw new Error(`page data holds ${pages.length} bytes, not ${count * PAGE}`);
  return { size, bitmap, pages };
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
