/**
 * Building and running fuzz programs: riscv64-unknown-elf-gcc for the ELF, then the
 * reference (qemu-system-riscv64, spike machine) or Lantern, capturing the HTIF console.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GeneratedProgram } from './generate';

export const FUZZ_DIR = __dirname;
export const BUILD_DIR = path.join(FUZZ_DIR, 'build');
export const RUNTIME_DIR = path.join(FUZZ_DIR, 'runtime');
export const REPO_ROOT = path.resolve(FUZZ_DIR, '..', '..');
export const LANTERN_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export const GCC = 'riscv64-unknown-elf-gcc';
export const OBJDUMP = 'riscv64-unknown-elf-objdump';
export const QEMU = 'qemu-system-riscv64';
export const QEMU32 = 'qemu-system-riscv32';

const COMMON_FLAGS = [
  '-mcmodel=medany', '-nostdlib', '-nostartfiles', '-static',
  '-ffreestanding', '-fno-builtin', '-fno-tree-loop-distribute-patterns', '-fno-pic', '-O2', '-Wall',
];
const GCC_FLAGS = ['-march=rv64imac_zicsr_zifencei', '-mabi=lp64', ...COMMON_FLAGS];
/** RV32: the harness as rv32imac (no FP), the random code assembled for RV32IMAFDC + B. */
const GCC_FLAGS_32 = ['-march=rv32imac_zicsr_zifencei', '-mabi=ilp32', ...COMMON_FLAGS];
const GCC_FLAGS_32_PROGRAM = ['-march=rv32imafdc_zicsr_zifencei_zba_zbb_zbc_zbs', '-mabi=ilp32', ...COMMON_FLAGS];

export type Xlen = 32 | 64;

/**
 * The reference: QEMU's spike machine as an RV64IMAFDC + Zba/Zbb/Zbc/Zbs + S + U hart (no H).
 * The harness itself is compiled for rv64imac (GCC_FLAGS): its C code never touches FP
 * state; the random code is emitted as .insn/.word, whatever its extension.
 */
export const QEMU_ARGS = [
  '-machine', 'spike', '-bios', 'none',
  '-cpu', 'rv64,h=false',
  '-icount', 'shift=3', '-nographic',
];
/** RV32 programs: qemu-system-riscv32 as an RV32IMAFDC + Zba/Zbb/Zbc/Zbs + S + U hart. */
export const QEMU32_ARGS = [
  '-machine', 'spike', '-bios', 'none',
  '-cpu', 'rv32,h=false',
  '-icount', 'shift=3', '-nographic',
];
export const LANTERN_ARGS = ['-machine', 'spike', '-bios', 'none', '-nographic', '-icount', 'shift=3'];

export { hasTool } from '../support/guest-tools';

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
}

/** Compiles the harness objects once per process and XLEN (they do not depend on the seed). */
const runtimeObjects = new Map<Xlen, string[]>();
export function buildRuntime(xlen: Xlen = 64): string[] {
  const cached = runtimeObjects.get(xlen);
  if (cached) return cached;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const objects = ['start.S', 'harness.c'].map((src) => {
    const obj = path.join(BUILD_DIR, `${path.parse(src).name}${xlen === 32 ? '32' : ''}.o`);
    run(GCC, [...(xlen === 32 ? GCC_FLAGS_32 : GCC_FLAGS), `-I${RUNTIME_DIR}`, '-c', path.join(RUNTIME_DIR, src), '-o', obj]);
    return obj;
  });
  runtimeObjects.set(xlen, objects);
  return objects;
}

/** Mnemonics of the FP instructions in an object file (objdump -d). */
export function floatMnemonics(object: string): string[] {
  const r = spawnSync(OBJDUMP, ['-d', object], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${OBJDUMP} -d ${object} failed:\n${r.stderr}`);
  return [...r.stdout.matchAll(/^\s+[0-9a-f]+:\s+[0-9a-f]+\s+(f(?!ence)\S*)/gm)].map((m) => m[1]);
}

/** Writes fuzz-<seed>.S / .lst into build/ and links fuzz-<seed>.elf; returns the ELF path. */
export function buildProgram(program: GeneratedProgram): string {
  const xlen = program.profile.xlen ?? 64;
  const objects = buildRuntime(xlen);
  const stem = path.join(BUILD_DIR, `fuzz-${program.seed}`);
  fs.writeFileSync(`${stem}.S`, program.source);
  fs.writeFileSync(`${stem}.lst`, program.listing);
  const flags = xlen === 32 ? GCC_FLAGS_32_PROGRAM : GCC_FLAGS;
  run(GCC, [...flags, '-T', path.join(RUNTIME_DIR, 'link.ld'), ...objects, `${stem}.S`, '-o', `${stem}.elf`]);
  return `${stem}.elf`;
}

export interface RunResult {
  stdout: string;
  /** Exit status of the emulator process, or null if it was killed (timeout). */
  status: number | null;
  stderr: string;
  millis: number;
}

/**
 * Runs an emulator with stdout going to a file, not a pipe: QEMU's HTIF console writes
 * with qemu_chr_fe_write, which drops characters when a pipe would block.
 */
function runEmulator(cmd: string, args: string[], timeoutMs: number, outFile: string): RunResult {
  const start = Date.now();
  const fd = fs.openSync(outFile, 'w');
  let r;
  try {
    r = spawnSync(cmd, args, { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: timeoutMs, cwd: REPO_ROOT });
  } finally {
    fs.closeSync(fd);
  }
  return { stdout: fs.readFileSync(outFile, 'utf8'), stderr: r.stderr ?? '', status: r.status, millis: Date.now() - start };
}

/** Runs the reference; `tag` names the output file next to the ELF (elf.<tag>.out). */
export const runQemu = (elf: string, tag = 'qemu', timeoutMs = 30000, xlen: Xlen = 64): RunResult =>
  runEmulator(xlen === 32 ? QEMU32 : QEMU, [...(xlen === 32 ? QEMU32_ARGS : QEMU_ARGS), '-kernel', elf], timeoutMs,
    elf.replace(/\.elf$/, `.${tag}.out`));

export const runLantern = (elf: string, timeoutMs = 120000): RunResult =>
  runEmulator(process.execPath, [LANTERN_CLI, ...LANTERN_ARGS, '-kernel', elf], timeoutMs,
    elf.replace(/\.elf$/, '.lantern.out'));
