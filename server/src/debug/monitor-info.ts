// Text of the monitor's QEMU `info` commands, laid out as QEMU 7.2 lays them out: registers
// (target/riscv/cpu.c riscv_cpu_dump_state), mem (target/riscv/monitor.c), cpus (hmp_info_cpus),
// mtree; and Lantern's `info tlb`. Pure functions of the values they are given.
import type { HartInfo } from './target';
import { REG_CSR0, REG_F0, REG_PC } from './target';
import { floatRegisterNames, integerRegisterNames } from './disassemble';
import { mappings, type ReadPhysical } from './page-walk';
import { privilegeName } from './riscv-names';

export type Xlen = 32 | 64;

/** Reads register `number` of the hart being shown (gdb's numbering); undefined: not implemented. */
export type ReadRegister = (number: number) => bigint | undefined;

const hexDigits = (value: bigint, digits: number): string => BigInt.asUintN(digits * 4, value).toString(16).padStart(digits, '0');

/**
 * The CSRs riscv_cpu_dump_state prints after pc, in its order (QEMU 7.2's dump_csrs, which the
 * hart's predicates filter: without H and J only these remain; mstatush only on RV32). Ones the
 * hart does not implement (readRegister gives undefined) are left out, as QEMU leaves them out.
 */
const DUMP_CSRS: ReadonlyArray<[number, string]> = [
  [0xf14, 'mhartid'], [0x300, 'mstatus'], [0x310, 'mstatush'], [0x344, 'mip'], [0x304, 'mie'],
  [0x303, 'mideleg'], [0x302, 'medeleg'], [0x305, 'mtvec'], [0x105, 'stvec'], [0x341, 'mepc'],
  [0x141, 'sepc'], [0x342, 'mcause'], [0x142, 'scause'], [0x343, 'mtval'], [0x143, 'stval'],
  [0x340, 'mscratch'], [0x140, 'sscratch'], [0x180, 'satp'],
];

/**
 * `info registers` for one hart (without QEMU's "\nCPU#n\n" heading): pc, the CSRs above, the
 * x registers four to a line as "x10/a0", then (QEMU's monitor asks for CPU_DUMP_FPU) the f
 * registers as 64-bit patterns, when the hart has them. XLEN-wide values: 16 or 8 hex digits.
 */
export function registerDump(xlen: Xlen, read: ReadRegister): string {
  const digits = xlen / 4;
  let out = ` ${'pc'.padEnd(8)} ${hexDigits(read(REG_PC) ?? 0n, digits)}\n`;
  for (const [csr, name] of DUMP_CSRS) {
    if (name === 'mstatush' && xlen !== 32) continue;
    const value = read(REG_CSR0 + csr);
    if (value !== undefined) out += ` ${name.padEnd(8)} ${hexDigits(value, digits)}\n`;
  }
  for (let i = 0; i < 32; i++) {
    out += ` ${`x${i}/${integerRegisterNames[i]}`.padEnd(8)} ${hexDigits(read(i) ?? 0n, digits)}`;
    if ((i & 3) === 3) out += '\n';
  }
  if (read(REG_F0) !== undefined) {
    for (let i = 0; i < 32; i++) {
      out += ` ${`f${i}/${floatRegisterNames[i]}`.padEnd(8)} ${hexDigits(read(REG_F0 + i) ?? 0n, 16)}`;
      if ((i & 3) === 3) out += '\n';
    }
  }
  return out;
}

/**
 * `info cpus`: one line a hart, `*` on the selected one. QEMU 7.2 prints only a host thread id
 * here ("* CPU #0: thread_id=1234"); Lantern's harts share one thread, so it prints what QEMU
 * printed before query-cpus-fast (up to 5.2): the pc, and " (halted)" for a hart in wfi.
 */
export function cpuList(harts: readonly HartInfo[], selected: number, pc: (hart: number) => bigint | undefined): string {
  return harts
    .map((h) => `${h.hart === selected ? '*' : ' '} CPU #${h.hart}: pc=0x${hexDigits(pc(h.hart) ?? 0n, 16)}${h.state === 'waiting' ? ' (halted)' : ''}\n`)
    .join('');
}

/** `info mem`: QEMU's header and one line a merged range: vaddr paddr size attr (rwxugad). */
export function memoryMappings(satp: bigint, xlen: Xlen, readPhysical: ReadPhysical): string {
  const bare = xlen === 32 ? (satp >> 31n) & 1n : (satp >> 60n) & 0xfn;
  if (bare === 0n) return 'No translation or protection\n';
  const ranges = mappings(satp, xlen, readPhysical);
  let out = xlen === 64
    ? 'vaddr            paddr            size             attr\n---------------- ---------------- ---------------- -------\n'
    : 'vaddr    paddr            size     attr\n-------- ---------------- -------- -------\n';
  const digits = xlen / 4;
  for (const range of ranges) {
    const a = range.attributes;
    const attributes = [[2, 'r'], [4, 'w'], [8, 'x'], [16, 'u'], [32, 'g'], [64, 'a'], [128, 'd']]
      .map(([mask, letter]) => (a & (mask as number) ? letter : '-')).join('');
    out += `${hexDigits(range.vaddr, digits)} ${hexDigits(range.paddr, 16)} ${hexDigits(range.size, digits)} ${attributes}\n`;
  }
  return out;
}

export interface TlbLine {
  readonly privilege: number;
  readonly vpage: bigint;
  readonly ppage: bigint;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
}

/** `info tlb` (Lantern's: QEMU's RISC-V target has none): the software TLB's valid entries, page addresses, by privilege then address. */
export function tlbList(entries: readonly TlbLine[], xlen: Xlen): string {
  if (entries.length === 0) return 'TLB empty\n';
  const digits = xlen / 4;
  const sorted = [...entries].sort((a, b) => a.privilege - b.privilege || (a.vpage < b.vpage ? -1 : a.vpage > b.vpage ? 1 : 0));
  let out = `priv ${'vpage'.padEnd(digits)} ${'ppage'.padEnd(16)} access\n`;
  for (const e of sorted) {
    const access = `${e.read ? 'r' : '-'}${e.write ? 'w' : '-'}${e.execute ? 'x' : '-'}`;
    out += `${privilegeName(e.privilege).padEnd(4)} ${hexDigits(e.vpage, digits)} ${hexDigits(e.ppage, 16)} ${access}\n`;
  }
  return out;
}

/** `info mtree`: QEMU's layout of the system address space, from the board's memory map. */
export function memoryTree(regions: readonly { name: string; base: bigint; size: bigint }[]): string {
  let out = 'address-space: memory\n  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n';
  for (const r of [...regions].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0))) {
    const kind = /ram|dram|memory/i.test(r.name) ? 'ram' : /rom/i.test(r.name) ? 'rom' : 'i/o';
    out += `    ${hexDigits(r.base, 16)}-${hexDigits(r.base + r.size - 1n, 16)} (prio 0, ${kind}): ${r.name}\n`;
  }
  return out;
}
