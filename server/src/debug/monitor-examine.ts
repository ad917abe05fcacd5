// The monitor's memory dumps, `x/FMT ADDR` and `xp/FMT ADDR`, laid out as QEMU 7.2's
// memory_dump (monitor/misc.c) lays them out: the /FMT syntax (count, format letter, size
// letter, both letters remembered from one dump to the next), lines of 16 bytes (8 for bytes),
// each value padded to its format's width, and " Cannot access memory" where reading stops.
// The `i` format disassembles with Lantern's disassembler.
import { disassemble } from './disassemble';
import { instructionLength } from './instruction-table';

export type DumpFormat = 'x' | 'd' | 'u' | 'o' | 'c' | 'i';
export type DumpSize = 1 | 2 | 4 | 8;

export interface ExamineFormat {
  readonly count: number;
  readonly format: DumpFormat;
  readonly size: DumpSize;
}

/** What a /FMT without a letter falls back to: the last dump's (QEMU starts with x and w). */
export interface FormatMemory {
  format: DumpFormat;
  size: DumpSize;
}

export class FormatError extends Error {}

const SIZE_LETTERS: Readonly<Record<string, DumpSize>> = { b: 1, h: 2, w: 4, g: 8, L: 8 };

/**
 * Splits the argument text of x/xp into its format and the address expression: "/10xw 0x80000000"
 * or " 0x80000000" (no format: one unit of the remembered format). Updates `memory` as QEMU does
 * (the size is not remembered from an `i` dump, which has none).
 */
export function parseExamine(text: string, memory: FormatMemory): { format: ExamineFormat; address: string } {
  let rest = text.trimStart();
  if (!rest.startsWith('/')) return { format: { count: 1, format: memory.format, size: memory.size }, address: rest };
  let at = 1;
  let count = 1;
  const digits = /^[0-9]+/.exec(rest.slice(at));
  if (digits) {
    count = Number(digits[0]);
    at += digits[0].length;
  }
  let format: DumpFormat | undefined;
  let size: DumpSize | undefined;
  for (; at < rest.length; at++) {
    const c = rest[at];
    if ('oduxic'.includes(c)) format = c as DumpFormat;
    else if (c in SIZE_LETTERS) size = SIZE_LETTERS[c];
    else break;
  }
  if (at < rest.length && !/\s/.test(rest[at])) throw new FormatError(`invalid char in format: '${rest[at]}'`);
  rest = rest.slice(at);
  format ??= memory.format;
  if (format !== 'i') {
    size ??= memory.size;
    memory.size = size;
  }
  memory.format = format;
  return { format: { count, format, size: size ?? memory.size }, address: rest.trim() };
}

/** A character as QEMU's monitor_printc prints it: quoted, with \n \r \' \\ and \xNN escapes. */
export function printCharacter(c: number): string {
  let body: string;
  if (c === 0x27) body = "\\'";
  else if (c === 0x5c) body = '\\\\';
  else if (c === 0x0a) body = '\\n';
  else if (c === 0x0d) body = '\\r';
  else if (c >= 32 && c <= 126) body = String.fromCharCode(c);
  else body = `\\x${c.toString(16).padStart(2, '0')}`;
  return `'${body}'`;
}

/** Reads `length` bytes at `addr`: the readable prefix (fewer bytes where reading stops). */
export type ReadBytes = (addr: bigint, length: number) => Uint8Array;

export interface DumpOptions {
  readonly address: bigint;
  readonly format: ExamineFormat;
  /** xp: the address is physical (printed with 16 digits whatever XLEN). */
  readonly physical: boolean;
  readonly xlen: 32 | 64;
  readonly read: ReadBytes;
}

function littleEndian(bytes: Uint8Array, at: number, size: number): bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i]);
  return value;
}

/** The dump as text, one line per 16 bytes (8 for byte units), each line ending in a newline. */
export function dumpMemory(options: DumpOptions): string {
  const { format: { count, format }, physical, xlen, read } = options;
  if (format === 'i') return disassembleMemory(options);
  let size: number = options.format.size;
  let length = size * count;
  const lineSize = size === 1 ? 8 : 16;
  let digits = 0;
  switch (format) {
    case 'o': digits = Math.ceil((size * 8) / 3); break;
    case 'x': digits = (size * 8) / 4; break;
    case 'u': case 'd': digits = Math.ceil((size * 8 * 10) / 33); break;
    // As in QEMU, the length was counted in the given size before `c` makes the unit a byte.
    case 'c': size = 1; break;
  }
  const addressMask = physical ? (1n << 64n) - 1n : (1n << BigInt(xlen)) - 1n;
  const addressDigits = physical ? 16 : xlen / 4;
  let addr = options.address & ((1n << 64n) - 1n);
  let out = '';
  while (length > 0) {
    out += `${(addr & addressMask).toString(16).padStart(addressDigits, '0')}:`;
    const l = Math.min(length, lineSize);
    const bytes = read(addr, l);
    if (bytes.length < l) {
      out += ' Cannot access memory\n';
      break;
    }
    for (let i = 0; i < l; i += size) {
      const value = littleEndian(bytes, i, Math.min(size, l - i));
      out += ' ';
      switch (format) {
        case 'o': out += (value === 0n ? '0' : `0${value.toString(8)}`).padStart(digits); break;
        case 'x': out += `0x${value.toString(16).padStart(digits, '0')}`; break;
        case 'u': out += value.toString().padStart(digits); break;
        // QEMU prints the zero-extended unit as int64: only 8-byte units show negative.
        case 'd': out += BigInt.asIntN(64, value).toString().padStart(digits); break;
        case 'c': out += printCharacter(Number(value)); break;
      }
    }
    out += '\n';
    addr = (addr + BigInt(l)) & ((1n << 64n) - 1n);
    length -= l;
  }
  return out;
}

/**
 * `x/Ni`: N instructions from the address, as QEMU's monitor_disas lays them out (the address,
 * the instruction bits padded to one column, then the text); a line saying so where memory
 * cannot be read.
 */
export function disassembleMemory(options: DumpOptions): string {
  const { format: { count }, xlen, read } = options;
  let pc = options.address & ((1n << BigInt(options.physical ? 64 : xlen)) - 1n);
  let out = '';
  for (let n = 0; n < count; n++) {
    const label = `0x${pc.toString(16).padStart(8, '0')}:  `;
    const bytes = read(pc, 4);
    if (bytes.length < 2 || (bytes.length < 4 && instructionLength(bytes[0]) === 4)) {
      out += `${label}Cannot access memory\n`;
      break;
    }
    const length = instructionLength(bytes[0]);
    const word = Number(littleEndian(bytes, 0, length));
    const bits = length === 2 ? word.toString(16).padStart(4, '0').padEnd(18) : word.toString(16).padStart(8, '0').padEnd(18);
    out += `${label}${bits}${disassemble(word, pc, xlen)}\n`;
    pc = (pc + BigInt(length)) & ((1n << BigInt(options.physical ? 64 : xlen)) - 1n);
  }
  return out;
}
