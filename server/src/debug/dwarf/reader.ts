// A little-endian byte cursor over one DWARF section: fixed-size integers, LEB128 (DWARF 5
// section 7.6), the 4- or 8-byte offsets of 32- and 64-bit DWARF (7.4), addresses, C strings.

/** A DWARF section or structure that is not what the reader expects. */
export class DwarfError extends Error {
  override readonly name = 'DwarfError';
}

const decoder = new TextDecoder();

export class ByteReader {
  private readonly view: DataView;

  /** `offset` is where reading starts, relative to `bytes`. */
  constructor(readonly bytes: Uint8Array, public offset = 0) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  get atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  private take(size: number): number {
    const at = this.offset;
    if (at + size > this.bytes.length) throw new DwarfError(`read of ${size} bytes at 0x${at.toString(16)} runs past the end (0x${this.bytes.length.toString(16)})`);
    this.offset = at + size;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  s8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  s16(): number {
    return this.view.getInt16(this.take(2), true);
  }
  /** Three bytes (DW_FORM_strx3, addrx3). */
  u24(): number {
    const at = this.take(3);
    return this.bytes[at] | (this.bytes[at + 1] << 8) | (this.bytes[at + 2] << 16);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  s32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }
  s64(): bigint {
    return this.view.getBigInt64(this.take(8), true);
  }

  /** An unsigned integer of 1, 2, 4 or 8 bytes. */
  unsigned(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.u8());
      case 2: return BigInt(this.u16());
      case 4: return BigInt(this.u32());
      case 8: return this.u64();
      default: throw new DwarfError(`unsupported integer size ${size}`);
    }
  }

  /** A signed integer of 1, 2, 4 or 8 bytes. */
  signed(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.s8());
      case 2: return BigInt(this.s16());
      case 4: return BigInt(this.s32());
      case 8: return this.s64();
      default: throw new DwarfError(`unsupported integer size ${size}`);
    }
  }

  /** A target address of `size` (4 or 8) bytes. */
  address(size: number): bigint {
    return this.unsigned(size);
  }

  /** A section offset: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF (7.4). */
  sectionOffset(offsetSize: 4 | 8): number {
    return offsetSize === 4 ? this.u32() : this.safeNumber(this.u64());
  }

  /** Unsigned LEB128 (7.6). */
  uleb(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Signed LEB128 (7.6). */
  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    let byte: number;
    do {
      byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (byte & 0x40) result -= 1n << shift;
    return result;
  }

  /** Unsigned LEB128 that must fit a JavaScript number (counts, indexes, offsets). */
  ulebNumber(): number {
    return this.safeNumber(this.uleb());
  }

  /** Signed LEB128 as a number (alignment factors, line advances). */
  slebNumber(): number {
    return this.safeNumber(this.sleb());
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const start = this.offset;
    let end = start;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    if (end >= this.bytes.length) throw new DwarfError(`unterminated string at 0x${start.toString(16)}`);
    this.offset = end + 1;
    return decoder.decode(this.bytes.subarray(start, end));
  }

  /** The next `size` bytes (a view). */
  bytesOf(size: number): Uint8Array {
    const at = this.take(size);
    return this.bytes.subarray(at, at + size);
  }

  skip(size: number): void {
    this.take(size);
  }

  /**
   * A unit's initial length (7.4): 4 bytes, or 0xffffffff then 8 bytes for 64-bit DWARF.
   * Returns the length and the offset size it selects.
   */
  initialLength(): { length: number; offsetSize: 4 | 8 } {
    const short = this.u32();
    if (short === 0xffffffff) return { length: this.safeNumber(this.u64()), offsetSize: 8 };
    if (short >= 0xfffffff0) throw new DwarfError(`reserved initial length 0x${short.toString(16)}`);
    return { length: short, offsetSize: 4 };
  }

  private safeNumber(value: bigint): number {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new DwarfError(`value 0x${value.toString(16)} too large`);
    return Number(value);
  }
}

/** A NUL-terminated string at `offset` of a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, offset: number, what: string): string {
  if (!section || offset >= section.length) throw new DwarfError(`${what} offset 0x${offset.toString(16)} lies outside the section`);
  return new ByteReader(section, offset).cstring();
}
