// The guest program as the DAP bridge sees it: the kernel's DWARF (lines, functions, frames,
// variables) read once, with source paths made absolute against the ELF's folder, and the
// stopped harts' frames unwound through the call-frame information.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugInfo, type ReadMemory, type UnwindFrame } from '../debug/dwarf';
import type { LineLocation } from '../debug/dwarf';
import { REG_F0, REG_PC, type DebugTarget } from '../debug/target';

/** DWARF numbers f0..f31 as 32..63; gdb's (the target's) as 33..64. */
const DWARF_F0 = 32;

export interface SourceLine {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

export class Program {
  private constructor(readonly info: DebugInfo, private readonly folder: string) {}

  /** The DWARF of an ELF file, or undefined when it has none (or is not an ELF). */
  static read(file: string): Program | undefined {
    try {
      const info = DebugInfo.fromElf(fs.readFileSync(file));
      if (info.entries.units.length === 0) return undefined;
      return new Program(info, path.dirname(path.resolve(file)));
    } catch {
      return undefined;
    }
  }

  /** An absolute source path for a line-table file (relative ones are the ELF folder's). */
  sourcePath(location: LineLocation): string {
    return path.resolve(this.folder, location.file.path);
  }

  lineAt(pc: bigint): SourceLine | undefined {
    const location = this.info.lineFor(pc);
    if (!location) return undefined;
    return { path: this.sourcePath(location), line: location.line, column: location.column };
  }

  /** Source files with code, absolute. */
  sources(): string[] {
    return [...new Set(this.info.sourceFiles().map((file) => path.resolve(this.folder, file)))];
  }

  /** Where a source breakpoint at `file`:`line` goes (the line may move to the next with code). */
  breakpointAddresses(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    return this.info.addressesFor(path.resolve(file), line) ?? this.info.addressesFor(path.relative(this.folder, file), line);
  }

  /** The innermost frame of a stopped hart, with its registers by DWARF number. */
  static frameOf(target: DebugTarget, hart: number): UnwindFrame {
    const registers = new Map<number, bigint>();
    for (let n = 0; n < 32; n++) registers.set(n, target.readRegister(hart, n) ?? 0n);
    for (let n = 0; n < 32; n++) {
      const value = target.readRegister(hart, REG_F0 + n);
      if (value !== undefined) registers.set(DWARF_F0 + n, value);
    }
    return { pc: target.readRegister(hart, REG_PC)!, registers };
  }

  static memoryOf(target: DebugTarget, hart: number): ReadMemory {
    return (address, size) => {
      const bytes = target.readMemory(hart, address, size, target.addressSpace);
      return bytes.length === size ? bytes : undefined;
    };
  }

  /** The frames of a stopped hart, innermost first (CFI, with frame pointers where it has none). */
  backtrace(target: DebugTarget, hart: number): UnwindFrame[] {
    return this.info.backtrace(Program.frameOf(target, hart), Program.memoryOf(target, hart));
  }
}
