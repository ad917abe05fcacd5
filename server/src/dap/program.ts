// A guest program as the DAP bridge sees it: an ELF's DWARF (lines, functions, frames,
// variables) and symbols, loaded at its link address plus an offset, with source paths made
// absolute against the ELF's folder. The kernel is one; user programs (`symbols` in launch)
// are others, told apart at a stop by the code bytes at the pc.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugInfo, type ReadMemory, type UnwindFrame } from '../debug/dwarf';
import type { DebugFunction, LineLocation } from '../debug/dwarf';
import { REG_F0, REG_PC, REG_PRIV, type DebugTarget } from '../debug/target';
import { parseElf, type ElfSegment, type SymbolTable } from '../machine/elf';

/** DWARF numbers f0..f31 as 32..63; gdb's (the target's) as 33..64. */
const DWARF_F0 = 32;
const PF_X = 1;
/** Bytes of code compared to decide which user program runs. */
const MATCH_BYTES = 16;

/** `name+0xoffset` of `addr` by the symbol covering `lookup`. */
export function symbolName(symbols: SymbolTable | undefined, addr: bigint, lookup = addr): string | undefined {
  const where = symbols?.at(lookup);
  if (!where) return undefined;
  const offset = addr - where.symbol.value;
  return `${where.symbol.name}${offset === 0n ? '' : `+0x${offset.toString(16)}`}`;
}

export interface SourceLine {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** The rows of one unit's line program. */
type LineRows = DebugInfo['lines']['programs'][number]['rows'];

export class Program {
  /** Each function's line starts (lineStarts), computed once. */
  private readonly starts = new Map<DebugFunction, bigint[]>();
  /** Each unit's line rows with the link addresses they span, so a function's rows are found without reading every unit's. */
  private units: { rows: LineRows; low: bigint; high: bigint }[] | undefined;

  private constructor(
    readonly file: string,
    readonly info: DebugInfo,
    readonly symbols: SymbolTable | undefined,
    private readonly code: readonly ElfSegment[],
    /** Added to every link address: where the program runs. */
    readonly offset: bigint,
  ) {}

  /** An ELF file's program, or undefined when it has no DWARF (or is not an ELF). */
  static read(file: string, offset = 0n): Program | undefined {
    try {
      const bytes = fs.readFileSync(file);
      const info = DebugInfo.fromElf(bytes);
      if (info.entries.units.length === 0) return undefined;
      let code: ElfSegment[] = [];
      try {
        code = parseElf(bytes, file).segments.filter((segment) => segment.flags & PF_X);
      } catch {
        code = [];
      }
      return new Program(path.resolve(file), info, info.symbols, code, offset);
    } catch {
      return undefined;
    }
  }

  get name(): string {
    return path.basename(this.file);
  }

  private get folder(): string {
    return path.dirname(this.file);
  }

  /** An absolute source path for a line-table file (relative ones are the ELF folder's). */
  sourcePath(location: LineLocation): string {
    return path.resolve(this.folder, location.file.path);
  }

  lineAt(pc: bigint): SourceLine | undefined {
    const location = this.info.lineFor(pc - this.offset);
    if (!location) return undefined;
    return { path: this.sourcePath(location), line: location.line, column: location.column };
  }

  /** The line-table row at `pc`: whether a line starts exactly there. */
  rowAt(pc: bigint): { line: SourceLine; starts: boolean } | undefined {
    const location = this.info.lineFor(pc - this.offset);
    if (!location) return undefined;
    return {
      line: { path: this.sourcePath(location), line: location.line, column: location.column },
      starts: location.address === pc - this.offset && location.isStmt,
    };
  }

  functionAt(pc: bigint): DebugFunction | undefined {
    return this.info.functionAt(pc - this.offset);
  }

  /**
   * Where a line step may stop in `fn`: the first instruction of each run of a source line
   * (an is_stmt row whose previous instruction belongs to another line), as running pcs.
   */
  lineStarts(fn: DebugFunction): readonly bigint[] {
    let starts = this.starts.get(fn);
    if (!starts) {
      const found = new Set<bigint>();
      const within = (address: bigint) => fn.ranges.some((range) => range.low <= address && address < range.high);
      for (const unit of this.lineUnits()) {
        if (!fn.ranges.some((range) => range.low <= unit.high && unit.low < range.high)) continue;
        for (const row of unit.rows) {
          if (row.endSequence || !row.isStmt || !within(row.address)) continue;
          const pc = row.address + this.offset;
          if (pc === fn.entry + this.offset || this.startsLineRun(pc)) found.add(pc);
        }
      }
      starts = [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.starts.set(fn, starts);
    }
    return starts;
  }

  private lineUnits(): { rows: LineRows; low: bigint; high: bigint }[] {
    this.units ??= this.info.lines.programs.map(({ rows }) => {
      let low = -1n;
      let high = -1n;
      for (const row of rows) {
        if (low < 0n || row.address < low) low = row.address;
        if (row.address > high) high = row.address;
      }
      return { rows, low, high };
    });
    return this.units;
  }

  /** True if a run of a source line starts at `pc`: a line starts there, and not the one before. */
  startsLineRun(pc: bigint): boolean {
    const row = this.rowAt(pc);
    if (!row?.starts) return false;
    const before = this.lineAt(pc - 1n);
    return !before || before.line !== row.line.line || before.path !== row.line.path || this.functionAt(pc - 1n) !== this.functionAt(pc);
  }

  /** The canonical frame address of `hart`'s innermost frame (its caller's sp): one per call, however the function moves sp. */
  cfaOf(target: DebugTarget, hart: number): bigint | undefined {
    return this.info.frameContext(this.frameOf(target, hart), Program.memoryOf(target, hart), true).cfa?.();
  }

  /** The symbol name and offset of `pc` (for code without DWARF functions: assembly), found
   * at `lookup` (a caller's return address looks one byte back, into its call). */
  symbolAt(pc: bigint, lookup = pc): string | undefined {
    return symbolName(this.symbols, pc - this.offset, lookup - this.offset);
  }

  /** Source files with code, absolute. */
  sources(): string[] {
    return [...new Set(this.info.sourceFiles().map((file) => path.resolve(this.folder, file)))];
  }

  /** Where a source breakpoint at `file`:`line` goes (the line may move to the next with code). */
  breakpointAddresses(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    const found = this.info.addressesFor(path.resolve(file), line) ?? this.info.addressesFor(path.relative(this.folder, file), line);
    return found && { line: found.line, addresses: found.addresses.map((addr) => addr + this.offset) };
  }

  /** True if the code at `hart`'s pc (through its translation) is this program's code there. */
  runsOn(target: DebugTarget, hart: number): boolean {
    const pc = target.readRegister(hart, REG_PC)!;
    const link = pc - this.offset;
    const segment = this.code.find((s) => link >= s.vaddr && link + BigInt(MATCH_BYTES) <= s.vaddr + BigInt(s.data.length));
    if (!segment) return false;
    const at = Number(link - segment.vaddr);
    const expected = segment.data.subarray(at, at + MATCH_BYTES);
    const actual = target.readMemory(hart, pc, MATCH_BYTES, target.addressSpace);
    return actual.length === MATCH_BYTES && actual.every((byte, i) => byte === expected[i]);
  }

  /** The innermost frame of a stopped hart, with its registers by DWARF number (pc as linked). */
  frameOf(target: DebugTarget, hart: number): UnwindFrame {
    const registers = new Map<number, bigint>();
    for (let n = 0; n < 32; n++) registers.set(n, target.readRegister(hart, n) ?? 0n);
    for (let n = 0; n < 32; n++) {
      const value = target.readRegister(hart, REG_F0 + n);
      if (value !== undefined) registers.set(DWARF_F0 + n, value);
    }
    return { pc: target.readRegister(hart, REG_PC)! - this.offset, registers };
  }

  static memoryOf(target: DebugTarget, hart: number): ReadMemory {
    return (address, size) => {
      const bytes = target.readMemory(hart, address, size, target.addressSpace);
      return bytes.length === size ? bytes : undefined;
    };
  }

  /**
   * The frames of a stopped hart, innermost first, unwound through the CFI (frame pointers
   * where it has none). Their pcs are link addresses: add `offset` for where they run.
   */
  backtrace(target: DebugTarget, hart: number, limit = 64): UnwindFrame[] {
    const memory = Program.memoryOf(target, hart);
    const frames = [this.frameOf(target, hart)];
    while (frames.length < limit) {
      const step = this.info.unwind(frames[frames.length - 1], memory, frames.length === 1);
      if (!step) break;
      const caller = { pc: step.caller.pc - this.offset, registers: step.caller.registers };
      // The stack ends where the return address leaves the program or stops changing.
      if (caller.pc === frames[frames.length - 1].pc || this.info.lineFor(caller.pc - 1n) === undefined) break;
      frames.push(caller);
    }
    return frames;
  }
}

/** The programs of a session: the kernel and the user programs, and which one a hart runs. */
export class ProgramSet {
  /** The user program chosen when several match the code at a pc (lanternSymbols {pin}). */
  pinned: Program | undefined;

  constructor(readonly kernel: Program | undefined, readonly users: readonly Program[]) {}

  /** Every program with debug information: the kernel first, then the user programs. */
  all(): Program[] {
    return [...(this.kernel ? [this.kernel] : []), ...this.users];
  }

  /**
   * The program `hart` runs: in U-mode the user program whose code is at the pc (the pinned
   * one when several match), else the kernel.
   */
  runningOn(target: DebugTarget, hart: number): Program | undefined {
    if (this.users.length > 0 && target.readRegister(hart, REG_PRIV) === 0n) {
      const running = this.users.filter((program) => program.runsOn(target, hart));
      if (this.pinned && running.includes(this.pinned)) return this.pinned;
      return running[0];
    }
    return this.kernel;
  }

  /** Pins the user program named `name` (its file name or path); false if there is none. */
  pin(name: string): boolean {
    const program = this.users.find((each) => each.name === name || each.file === path.resolve(name));
    if (!program) return false;
    this.pinned = program;
    return true;
  }
}
