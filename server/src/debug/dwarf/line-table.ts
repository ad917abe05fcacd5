// The line number information of .debug_line (DWARF 4 and 5, section 6.2): each unit's
// program run into rows, and the two queries a debugger needs, address → source line (the
// stop location, line stepping) and source line → addresses (source breakpoints).
import * as path from 'node:path';
import { FORM, LNCT, LNE, LNS } from './constants';
import { ByteReader, DwarfError, stringAt } from './reader';

/** One row of the line table matrix (6.2.2). */
export interface LineRow {
  readonly address: bigint;
  /** The file register: an index into the program's `files`. */
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly prologueEnd: boolean;
  /** The first address past a sequence: this row ends it and names no code. */
  readonly endSequence: boolean;
}

export interface LineFile {
  /** The file name as the entry spells it ("main.c", "./kernel.h"). */
  readonly name: string;
  /** The directory it is relative to, resolved against the compilation directory. */
  readonly directory: string;
  /** directory/name, normalised ("./" and "x/../" folded). */
  readonly path: string;
}

export interface LineProgram {
  /** The offset of the program's header in .debug_line (DW_AT_stmt_list). */
  readonly offset: number;
  readonly version: number;
  /** Indexed by the file register: from 1 in DWARF 4 (index 0 unused), from 0 in DWARF 5. */
  readonly files: readonly (LineFile | undefined)[];
  /** Rows in program order; each sequence ends with an endSequence row. */
  readonly rows: readonly LineRow[];
}

export interface LineLocation {
  readonly file: LineFile;
  readonly line: number;
  readonly column: number;
  /** The row's address (at or below the address asked about). */
  readonly address: bigint;
  readonly isStmt: boolean;
}

interface LineStrings {
  readonly str?: Uint8Array;
  readonly lineStr?: Uint8Array;
}

function joinPath(directory: string, name: string): string {
  if (name.startsWith('/') || directory === '') return path.posix.normalize(name);
  return path.posix.normalize(`${directory}/${name}`);
}

/** Reads one value of a DWARF 5 directory/file entry format (6.2.4.1): strings, numbers, MD5. */
function readEntryValue(reader: ByteReader, form: number, offsetSize: 4 | 8, strings: LineStrings): string | bigint | undefined {
  switch (form) {
    case FORM.string: return reader.cstring();
    case FORM.line_strp: return stringAt(strings.lineStr, reader.sectionOffset(offsetSize), '.debug_line_str');
    case FORM.strp: return stringAt(strings.str, reader.sectionOffset(offsetSize), '.debug_str');
    case FORM.udata: return reader.uleb();
    case FORM.data1: return BigInt(reader.u8());
    case FORM.data2: return BigInt(reader.u16());
    case FORM.data4: return BigInt(reader.u32());
    case FORM.data8: return reader.u64();
    case FORM.data16: reader.skip(16); return undefined;
    case FORM.block: reader.skip(reader.ulebNumber()); return undefined;
    default: throw new DwarfError(`unsupported form ${FORM.nameOf(form)} in a line table header`);
  }
}

/** Reads a DWARF 5 directory or file name table: its entry format, then the entries. */
function readEntries(reader: ByteReader, offsetSize: 4 | 8, strings: LineStrings): Map<number, string | bigint | undefined>[] {
  const formatCount = reader.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) format.push([reader.ulebNumber(), reader.ulebNumber()]);
  const count = reader.ulebNumber();
  const entries: Map<number, string | bigint | undefined>[] = [];
  for (let i = 0; i < count; i++) {
    const entry = new Map<number, string | bigint | undefined>();
    for (const [contentType, form] of format) entry.set(contentType, readEntryValue(reader, form, offsetSize, strings));
    entries.push(entry);
  }
  return entries;
}

/**
 * Runs the line program at `offset` of .debug_line. `compDir` is the unit's DW_AT_comp_dir,
 * which DWARF 4 tables leave implicit as directory 0.
 */
export function readLineProgram(section: Uint8Array, offset: number, addressSize: number, compDir: string, strings: LineStrings): LineProgram {
  const reader = new ByteReader(section, offset);
  const { length, offsetSize } = reader.initialLength();
  const end = reader.offset + length;
  const version = reader.u16();
  if (version < 2 || version > 5) throw new DwarfError(`line table version ${version} at 0x${offset.toString(16)}`);
  if (version >= 5) {
    addressSize = reader.u8();
    reader.u8(); // segment_selector_size
  }
  const headerLength = reader.sectionOffset(offsetSize);
  const programStart = reader.offset + headerLength;
  const minimumInstructionLength = reader.u8();
  if (version >= 4) reader.u8(); // maximum_operations_per_instruction: 1 on RISC-V (no VLIW)
  const defaultIsStmt = reader.u8() !== 0;
  const lineBase = reader.s8();
  const lineRange = reader.u8();
  const opcodeBase = reader.u8();
  const standardOpcodeLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardOpcodeLengths.push(reader.u8());

  const files: (LineFile | undefined)[] = [];
  if (version >= 5) {
    const directories = readEntries(reader, offsetSize, strings).map((entry) => String(entry.get(LNCT.path) ?? ''));
    const base = directories[0] ?? compDir;
    const resolved = directories.map((directory, i) => (i === 0 ? directory : joinPath(base, directory)));
    for (const entry of readEntries(reader, offsetSize, strings)) {
      const name = String(entry.get(LNCT.path) ?? '');
      const directory = resolved[Number(entry.get(LNCT.directory_index) ?? 0n)] ?? base;
      files.push({ name, directory, path: joinPath(directory, name) });
    }
  } else {
    const directories = [compDir];
    for (let name = reader.cstring(); name !== ''; name = reader.cstring()) directories.push(joinPath(compDir, name));
    files.push(undefined);
    for (let name = reader.cstring(); name !== ''; name = reader.cstring()) {
      const directory = directories[reader.ulebNumber()] ?? compDir;
      reader.uleb(); // modification time
      reader.uleb(); // length
      files.push({ name, directory, path: joinPath(directory, name) });
    }
  }

  // The state machine (6.2.2, table 6.3) and its opcodes (6.2.5).
  reader.offset = programStart;
  const rows: LineRow[] = [];
  let address = 0n;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  let prologueEnd = false;
  const reset = () => {
    address = 0n;
    file = 1;
    line = 1;
    column = 0;
    isStmt = defaultIsStmt;
    prologueEnd = false;
  };
  const emit = (endSequence: boolean) => {
    rows.push({ address, file, line, column, isStmt, prologueEnd, endSequence });
    prologueEnd = false;
  };
  const addressMask = addressSize === 8 ? (1n << 64n) - 1n : 0xffff_ffffn;
  const advance = (operations: bigint) => {
    address = (address + operations * BigInt(minimumInstructionLength)) & addressMask;
  };
  while (reader.offset < end) {
    const opcode = reader.u8();
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      advance(BigInt(Math.floor(adjusted / lineRange)));
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (opcode) {
      case 0: {
        const size = reader.ulebNumber();
        const next = reader.offset + size;
        const extended = reader.u8();
        if (extended === LNE.end_sequence) {
          emit(true);
          reset();
        } else if (extended === LNE.set_address) {
          address = reader.address(size - 1);
        } else if (extended === LNE.define_file) {
          const name = reader.cstring();
          const directory = files[0]?.directory ?? compDir;
          files.push({ name, directory, path: joinPath(directory, name) });
        }
        // DW_LNE_set_discriminator and vendor opcodes: nothing a debugger needs.
        reader.offset = next;
        break;
      }
      case LNS.copy: emit(false); break;
      case LNS.advance_pc: advance(reader.uleb()); break;
      case LNS.advance_line: line += reader.slebNumber(); break;
      case LNS.set_file: file = reader.ulebNumber(); break;
      case LNS.set_column: column = reader.ulebNumber(); break;
      case LNS.negate_stmt: isStmt = !isStmt; break;
      case LNS.set_basic_block: break;
      case LNS.const_add_pc: advance(BigInt(Math.floor((255 - opcodeBase) / lineRange))); break;
      case LNS.fixed_advance_pc: address = (address + BigInt(reader.u16())) & addressMask; break;
      case LNS.set_prologue_end: prologueEnd = true; break;
      case LNS.set_epilogue_begin: break;
      case LNS.set_isa: reader.uleb(); break;
      default:
        for (let i = 0; i < standardOpcodeLengths[opcode - 1]; i++) reader.uleb();
    }
  }
  return { offset, version, files, rows };
}

/** A run of rows at increasing addresses ending with an endSequence row. */
interface Sequence {
  readonly program: LineProgram;
  readonly rows: readonly LineRow[];
  readonly start: bigint;
  readonly end: bigint;
}

/** Whether `wanted` (a path as the user's editor names it) and `known` (from DWARF) are the
 * same file: equal, or one ends with the other at a '/' boundary (DWARF paths are often
 * relative to a compilation directory the host does not share). */
export function sameSourceFile(wanted: string, known: string): boolean {
  const a = path.posix.normalize(wanted.replace(/\\/g, '/'));
  const b = path.posix.normalize(known.replace(/\\/g, '/'));
  if (a === b) return true;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  const tail = shorter.replace(/^(\.\/)+/, '');
  return longer.endsWith(`/${tail}`) || longer === tail;
}

/** All the line programs of a file, indexed for both directions of lookup. */
export class LineTable {
  private readonly sequences: Sequence[] = [];

  constructor(readonly programs: readonly LineProgram[]) {
    for (const program of programs) {
      let first = 0;
      program.rows.forEach((row, i) => {
        if (!row.endSequence) return;
        const rows = program.rows.slice(first, i + 1);
        first = i + 1;
        // A sequence starting at 0 comes from code the linker discarded (--gc-sections).
        if (rows.length > 1 && !(rows[0].address === 0n && row.address < 0x100n)) {
          this.sequences.push({ program, rows, start: rows[0].address, end: row.address });
        }
      });
    }
    this.sequences.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /**
   * The source location of `address`: the last row at the highest address at or below it in
   * the sequence covering it, preferring an is_stmt row at that address (as gdb does).
   */
  locationAt(address: bigint): LineLocation | undefined {
    const sequence = this.sequenceAt(address);
    if (!sequence) return undefined;
    const { rows } = sequence;
    let lo = 0;
    let hi = rows.length - 1; // the endSequence row never matches
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid].address <= address) lo = mid + 1;
      else hi = mid;
    }
    const at = rows[lo - 1].address;
    let best = lo - 1;
    for (let i = lo - 1; i >= 0 && rows[i].address === at; i--) {
      if (rows[i].isStmt) {
        best = i;
        break;
      }
    }
    const row = rows[best];
    const file = sequence.program.files[row.file];
    if (!file) return undefined;
    return { file, line: row.line, column: row.column, address: row.address, isStmt: row.isStmt };
  }

  /** The [start, end) of the sequence covering `address`, with the address range of its line. */
  lineRangeAt(address: bigint): { start: bigint; end: bigint } | undefined {
    const sequence = this.sequenceAt(address);
    const here = this.locationAt(address);
    if (!sequence || !here) return undefined;
    const { rows } = sequence;
    let start = here.address;
    let end = sequence.end;
    for (const row of rows) {
      if (row.address > here.address && (row.line !== here.line || sequence.program.files[row.file] !== here.file)) {
        end = row.address;
        break;
      }
    }
    for (let i = rows.length - 2; i >= 0; i--) {
      const row = rows[i];
      if (row.address >= here.address) continue;
      if (row.line !== here.line || sequence.program.files[row.file] !== here.file) break;
      start = row.address;
    }
    return { start, end };
  }

  /**
   * Where a breakpoint on `file`:`line` goes: the is_stmt rows of that line, or if it has no
   * code, of the nearest following line that has; one address per run of rows, in order.
   */
  addressesFor(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    let target = Infinity;
    const matching: { sequence: Sequence; index: number }[] = [];
    for (const sequence of this.sequences) {
      sequence.rows.forEach((row, index) => {
        if (row.endSequence || !row.isStmt || row.line < line) return;
        const rowFile = sequence.program.files[row.file];
        if (!rowFile || !sameSourceFile(file, rowFile.path)) return;
        if (row.line < target) {
          target = row.line;
          matching.length = 0;
        }
        if (row.line === target) matching.push({ sequence, index });
      });
    }
    if (matching.length === 0) return undefined;
    const addresses: bigint[] = [];
    for (const { sequence, index } of matching) {
      const row = sequence.rows[index];
      const previous = index > 0 ? sequence.rows[index - 1] : undefined;
      // A row continuing a run of the same line adds no new place to stop.
      if (previous && previous.line === row.line && previous.file === row.file && !previous.endSequence) continue;
      if (!addresses.includes(row.address)) addresses.push(row.address);
    }
    addresses.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { line: target, addresses };
  }

  /** Every source file some row of code names, by path. */
  sourceFiles(): string[] {
    const paths = new Set<string>();
    for (const sequence of this.sequences) {
      for (const row of sequence.rows) {
        const file = sequence.program.files[row.file];
        if (file && !row.endSequence) paths.add(file.path);
      }
    }
    return [...paths].sort();
  }

  private sequenceAt(address: bigint): Sequence | undefined {
    let lo = 0;
    let hi = this.sequences.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sequences[mid].start <= address) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const sequence = this.sequences[i];
      if (address < sequence.end) return sequence;
      if (i < lo - 4) break; // sequences do not overlap in a linked program; look back a little for safety
    }
    return undefined;
  }
}
