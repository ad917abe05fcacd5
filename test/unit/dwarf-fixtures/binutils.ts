// Test support for the DWARF reader (not a test file): builds test/unit/dwarf-fixtures/program.c
// with riscv64-unknown-elf-gcc in several configurations and parses binutils' dumps of the
// result (objdump --dwarf=decodedline / frames-interp, readelf --debug-dump=info / loc).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasTool, RISCV_GCC } from '../../support/guest-tools';

export const OBJDUMP = 'riscv64-unknown-elf-objdump';
export const READELF = 'riscv64-unknown-elf-readelf';
export const haveTools = hasTool(RISCV_GCC) && hasTool(OBJDUMP) && hasTool(READELF);
export const PROGRAM = path.join(__dirname, 'program.c');

export interface Variant {
  readonly name: string;
  readonly flags: readonly string[];
}

const RV64 = ['-march=rv64imac_zicsr', '-mabi=lp64', '-mcmodel=medany'];
const RV32 = ['-march=rv32imac', '-mabi=ilp32'];
export const VARIANTS: readonly Variant[] = [
  { name: 'rv64 -O0 DWARF 5', flags: [...RV64, '-O0'] },
  { name: 'rv64 -O1 DWARF 5', flags: [...RV64, '-O1'] },
  { name: 'rv64 -O0 DWARF 4', flags: [...RV64, '-O0', '-gdwarf-4'] },
  { name: 'rv64 -O1 DWARF 4', flags: [...RV64, '-O1', '-gdwarf-4'] },
  { name: 'rv32 -O1 DWARF 5', flags: [...RV32, '-O1'] },
  { name: 'rv32 -O0 DWARF 4', flags: [...RV32, '-O0', '-gdwarf-4'] },
];

/** Compiles program.c for `variant` into a temporary folder; returns the ELF's path. */
export function build(variant: Variant): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dwarf-'));
  const output = path.join(dir, 'program.elf');
  const result = spawnSync(RISCV_GCC, ['-g', ...variant.flags, '-nostdlib', '-ffreestanding', '-Wl,--build-id=none', '-o', output, PROGRAM], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${RISCV_GCC} failed:\n${result.stderr}`);
  return output;
}

export function dump(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** objdump --dwarf=decodedline rows: "file line address stmt" (line "-" ends a sequence). */
export function decodedLines(elf: string): string[] {
  const rows: string[] = [];
  for (const line of dump(OBJDUMP, ['--dwarf=decodedline', elf]).split('\n')) {
    const match = /^(\S+)\s+(\d+|-)\s+0x([0-9a-f]+)\s*(\d*)\s*(x?)\s*$/.exec(line);
    if (match) rows.push(`${match[1]} ${match[2]} ${match[3]}${match[5] ? ' x' : ''}`);
  }
  return rows;
}

export interface FdeDump {
  readonly start: bigint;
  readonly end: bigint;
  readonly columns: string[];
  /** "LOC CFA rule…" per row, as printed. */
  readonly rows: string[];
}

/** objdump --dwarf=frames-interp: each FDE's range and table. */
export function framesInterp(elf: string): FdeDump[] {
  const fdes: { start: bigint; end: bigint; columns: string[]; rows: string[] }[] = [];
  let current: (typeof fdes)[number] | undefined;
  for (const line of dump(OBJDUMP, ['--dwarf=frames-interp', elf]).split('\n')) {
    const fde = /FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (fde) {
      current = { start: BigInt(`0x${fde[1]}`), end: BigInt(`0x${fde[2]}`), columns: [], rows: [] };
      fdes.push(current);
      continue;
    }
    if (/ CIE /.test(line)) current = undefined;
    if (!current) continue;
    if (/^\s+LOC\s+CFA/.test(line)) current.columns = line.trim().split(/\s+/).slice(2);
    else if (/^[0-9a-f]+ /.test(line)) {
      const [loc, ...rules] = line.trim().split(/\s+/);
      current.rows.push([BigInt(`0x${loc}`).toString(16), ...rules].join(' '));
    }
  }
  return fdes;
}

export interface DieDump {
  readonly offset: number;
  readonly tag: string;
  readonly attributes: Map<string, string>;
}

/** readelf --debug-dump=info: every entry with its attributes' printed values. */
export function infoDump(elf: string): DieDump[] {
  const dies: DieDump[] = [];
  let current: DieDump | undefined;
  for (const line of dump(READELF, ['--debug-dump=info', elf]).split('\n')) {
    const die = /^\s*<\d+><([0-9a-f]+)>: Abbrev Number: \d+ \((DW_TAG_\w+)\)/.exec(line);
    if (die) {
      current = { offset: parseInt(die[1], 16), tag: die[2], attributes: new Map() };
      dies.push(current);
      continue;
    }
    const attribute = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*: (.*)$/.exec(line);
    if (attribute && current) current.attributes.set(attribute[1], attribute[2].trim());
  }
  return dies;
}

/** readelf --debug-dump=loc: lists by their first entry's offset, each entry "begin end (expression)". */
export function locationLists(elf: string): Map<number, string[]> {
  const lists = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of dump(READELF, ['--debug-dump=loc', elf]).split('\n')) {
    const end = /^\s+([0-9a-f]{8}) <End of list>/.exec(line);
    if (end) {
      current = undefined;
      continue;
    }
    const entry = /^\s+([0-9a-f]{8}) ([0-9a-f]+) ([0-9a-f]+) \((.*)\)$/.exec(line);
    if (!entry) continue;
    if (!current) {
      current = [];
      lists.set(parseInt(entry[1], 16), current);
    }
    current.push(`${BigInt(`0x${entry[2]}`).toString(16)} ${BigInt(`0x${entry[3]}`).toString(16)} ${entry[4]}`);
  }
  return lists;
}

/** The text in the last parentheses of a readelf block attribute: "2 byte block: 91 58 \t(DW_OP_fbreg: -40)". */
export function blockExpression(printed: string): string | undefined {
  const match = /byte block: [0-9a-f ]*\t?\((.*)\)$/.exec(printed);
  return match?.[1];
}
