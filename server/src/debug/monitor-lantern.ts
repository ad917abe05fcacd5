// Text of Lantern's own monitor commands, which QEMU has no counterpart for: `pt` (one page-table
// walk, level by level), `trap` (each hart's last trap in words) and `csr` (every CSR decoded).
// Pure functions of the values they are given.
import type { RegisterInfo } from './target';
import { REG_CSR0 } from './target';
import { pageSizeName, pteFlagNames, walk, type ReadPhysical } from './page-walk';
import { decodeCsr, describeCause, privilegeName, satpModeName } from './riscv-names';

export type Xlen = 32 | 64;

const hexDigits = (value: bigint, digits: number): string => BigInt.asUintN(digits * 4, value).toString(16).padStart(digits, '0');
const hex = (value: bigint): string => `0x${value.toString(16)}`;

/**
 * `pt VADDR`: satp's mode and root, the VPN fields, each level's PTE (address, raw value, flag
 * names, what it is), and the physical address, or where and why the walk fails. `privilege` is
 * the hart's, for the note that M-mode's own accesses are not translated.
 */
export function pageTableWalk(satp: bigint, vaddr: bigint, xlen: Xlen, readPhysical: ReadPhysical, privilege?: number): string {
  const w = walk(satp, vaddr, xlen, readPhysical);
  const wide = xlen / 4;
  const pteDigits = w.mode?.pteSize === 4 ? 8 : 16;
  const asid = xlen === 32 ? (satp >> 22n) & 0x1ffn : (satp >> 44n) & 0xffffn;
  let out = `satp 0x${hexDigits(satp, wide)}: ${satpModeName(satp, xlen)}`;
  if (w.result.kind === 'bare') {
    out += ', no translation\n';
    return `${out}0x${hexDigits(w.vaddr, wide)} -> physical 0x${hexDigits(w.result.paddr, 16)}\n`;
  }
  if (w.mode === undefined) return `${out}\nfault: ${w.result.kind === 'fault' ? w.result.reason : ''}\n`;
  out += `, ASID ${asid}, root table 0x${hexDigits(w.root, 16)}\n`;
  if (privilege === 3) out += 'note: the hart is in M-mode, where its own accesses are not translated (unless MPRV)\n';
  const mode = w.mode;
  const vpns: string[] = [];
  for (let level = mode.levels - 1; level >= 0; level--) {
    vpns.push(`VPN[${level}]=${hex((w.vaddr >> BigInt(12 + mode.indexBits * level)) & ((1n << BigInt(mode.indexBits)) - 1n))}`);
  }
  out += `vaddr 0x${hexDigits(w.vaddr, wide)}: ${vpns.join(' ')} offset ${hex(w.vaddr & 0xfffn)}\n`;
  for (const step of w.steps) {
    const value = step.pte === undefined ? 'unreadable' : `0x${hexDigits(step.pte, pteDigits)}`;
    const flags = step.pte === undefined ? '' : `  ${pteFlagNames(step.pte).join(' ') || '(no flags)'}`;
    const what = step.kind === 'next'
      ? ` -> next table 0x${hexDigits(((step.pte! >> 10n) & (mode.pteSize === 4 ? 0x3fffffn : 0xfffffffffffn)) << 12n, 16)}`
      : step.kind === 'leaf' ? ` -> leaf, ${pageSizeName(1n << BigInt(12 + mode.indexBits * step.level))} page` : ' -> fault';
    out += `  level ${step.level}: PTE[${step.index}] at 0x${hexDigits(step.pteAddress, 16)} = ${value}${flags}${what}\n`;
  }
  const r = w.result;
  if (r.kind === 'mapped') {
    const base = r.paddr & ~(r.pageSize - 1n);
    out += `0x${hexDigits(w.vaddr, wide)} -> physical 0x${hexDigits(r.paddr, 16)} (${pageSizeName(r.pageSize)} page at 0x${hexDigits(base, 16)})\n`;
  } else if (r.kind === 'fault') {
    out += `${r.fault} fault: ${r.reason}\n`;
  }
  return out;
}

export interface TrapLine {
  readonly hart: number;
  readonly count: bigint;
  readonly cause: bigint;
  readonly tval: bigint;
  readonly epc: bigint;
  readonly target: number;
}

/** `trap`: each hart's trap count and last trap (cause in words, the mode it went to, epc, tval). */
export function trapList(traps: readonly TrapLine[], xlen: Xlen): string {
  const wide = xlen / 4;
  return traps.map((t) => {
    if (t.count === 0n) return `hart ${t.hart}: no trap taken\n`;
    return `hart ${t.hart}: ${t.count} trap${t.count === 1n ? '' : 's'}; last: ${describeCause(t.cause, xlen)} to ${privilegeName(t.target)}-mode,`
      + ` epc 0x${hexDigits(t.epc, wide)}, tval 0x${hexDigits(t.tval, wide)}\n`;
  }).join('');
}

/** Counter, event and PMP CSRs hidden by `csr` while zero (there are ~160 of them). */
const quietWhenZero = /^(m?hpmcounter\d+h?|mhpmevent\d+h?|pmpcfg\d+|pmpaddr\d+)$/;

/**
 * `csr [NAME...]`: one line per CSR (name, XLEN-wide value, decoding), the hart's privilege first.
 * Without names, every CSR of the register list, zero hpm counters/events and PMP CSRs left out
 * (and counted); with names, those (an unknown name is an error line).
 */
export function csrList(registers: readonly RegisterInfo[], xlen: Xlen, read: (number: number) => bigint | undefined,
  privilege: number | undefined, names: readonly string[] = []): string {
  const wide = xlen / 4;
  const csrs = registers.filter((r) => r.feature === 'csr' || (r.number >= REG_CSR0 && r.number < REG_CSR0 + 4096));
  const line = (r: RegisterInfo, value: bigint): string => {
    const decoded = decodeCsr(r.name, value, xlen);
    return `${r.name.padEnd(13)} 0x${hexDigits(value, wide)}${decoded === '' ? '' : `  ${decoded}`}\n`;
  };
  let out = '';
  if (names.length > 0) {
    for (const name of names) {
      const r = csrs.find((c) => c.name.toLowerCase() === name.toLowerCase());
      const value = r === undefined ? undefined : read(r.number);
      out += r === undefined ? `csr: unknown CSR '${name}'\n` : value === undefined ? `${r.name.padEnd(13)} unreadable\n` : line(r, value);
    }
    return out;
  }
  if (privilege !== undefined) out += `${'privilege'.padEnd(13)} ${privilegeName(privilege)}\n`;
  let hidden = 0;
  for (const r of csrs) {
    const value = read(r.number);
    if (value === undefined) continue;
    if (value === 0n && quietWhenZero.test(r.name)) {
      hidden++;
      continue;
    }
    out += line(r, value);
  }
  if (hidden > 0) out += `(${hidden} zero hpm counter, hpm event, pmpcfg and pmpaddr CSRs not shown: name one to see it)\n`;
  return out;
}
