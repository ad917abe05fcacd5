/**
 * Which CSR a random CSR instruction may name, by privilege mode and by whether the
 * instruction writes (csrrw/csrrwi always; csrrs/csrrc/csrrsi/csrrci when rs1/uimm ≠ 0).
 *
 * The rule: never let random code change state the harness depends on (mtvec, mstatus,
 * satp, delegation, interrupt enables, pmp, ...), never read a timing-dependent CSR where
 * the read would succeed, and never read a CSR whose value is implementation-specific
 * (misa, marchid, mimpid, ...). Accesses that must trap are always fine: a CSR above the
 * current privilege, a write to a read-only number (bits 11:10 = 11), and CSRs that do
 * not exist on this configuration.
 */
import type { Prng } from './prng';

/** CSR numbers (privileged spec, tables 2.2–2.5). */
export const Csr = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003, vstart: 0x008, seed: 0x015,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, satp: 0x180,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, mstatush: 0x310,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  pmpcfg0: 0x3a0, pmpcfg1: 0x3a1, pmpaddr0: 0x3b0,
  cycle: 0xc00, time: 0xc01, instret: 0xc02, hpmcounter3: 0xc03, vl: 0xc20, cycleh: 0xc80,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14,
} as const;

/** Not implemented (V, Zkr and RV32-only CSRs, custom ranges: nothing there). */
const ABSENT: readonly number[] = [
  Csr.vstart, Csr.vl, Csr.seed, Csr.mstatush, Csr.cycleh, Csr.pmpcfg1,
  0x7c0, 0x5c0, 0x8c0,
];
/**
 * On RV32 mstatush, cycleh and pmpcfg1 exist: they leave the absent list (a write to
 * mstatush could set MBE/SBE, one to pmpcfg1 would change pmp, cycleh is timing) and join
 * the lists whose accesses must trap from S and U.
 */
const RV32_EXISTING: readonly number[] = [Csr.mstatush, Csr.cycleh, Csr.pmpcfg1];
const ABSENT_32: readonly number[] = ABSENT.filter((c) => !RV32_EXISTING.includes(c));
/** fcsr and its two views: absent without F, illegal while mstatus.FS = Off, else read-write. */
const FLOAT_CSRS: readonly number[] = [Csr.fflags, Csr.frm, Csr.fcsr];

/**
 * Readable in M-mode with a value fixed by the spec and the harness set-up. Not mcause:
 * after an AMO trap it would carry QEMU 7.2's wrong cause into a register (see
 * differential.test.ts, deviation 1), where the test cannot tell it apart.
 */
const M_READABLE: readonly number[] = [
  Csr.mstatus, Csr.sstatus, Csr.mscratch, Csr.sscratch, Csr.mepc, Csr.sepc, Csr.scause,
  Csr.mtval, Csr.stval, Csr.mtvec, Csr.stvec, Csr.medeleg, Csr.mideleg, Csr.mie, Csr.sie, Csr.sip,
  Csr.satp, Csr.mhartid, Csr.mcounteren, Csr.scounteren,
];
const S_READABLE: readonly number[] = [
  Csr.sstatus, Csr.sscratch, Csr.sepc, Csr.scause, Csr.stval, Csr.stvec, Csr.sie, Csr.sip, Csr.satp,
  Csr.scounteren,
];
/**
 * Writable with any value without disturbing the harness. Not mepc/sepc: QEMU 7.2 keeps
 * a written bit 0 there (the spec has it read-only zero), so the generator writes them
 * only with even values, through its own idiom (generate.ts, epcWrite).
 */
const M_WRITABLE: readonly number[] = [Csr.mscratch, Csr.sscratch];
const S_WRITABLE: readonly number[] = [Csr.sscratch];
/** Counters: closed to S and U (mcounteren = 0) so they trap there; never read in M. */
const COUNTERS: readonly number[] = [Csr.cycle, Csr.time, Csr.instret, Csr.hpmcounter3];
/** Harness-critical M CSRs: writes from S/U must trap on privilege. */
const M_CRITICAL: readonly number[] = [
  Csr.mstatus, Csr.misa, Csr.medeleg, Csr.mideleg, Csr.mie, Csr.mtvec, Csr.mcounteren, Csr.mscratch,
  Csr.mepc, Csr.mcause, Csr.mtval, Csr.mip, Csr.pmpcfg0, Csr.pmpaddr0, Csr.mhartid,
];
const S_CRITICAL: readonly number[] = [Csr.sstatus, Csr.sie, Csr.stvec, Csr.satp, Csr.sip, Csr.scounteren];

export const Mode = { U: 0, S: 1, M: 3 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** Any number in the read-only space (bits 11:10 = 11): a write there is always illegal. */
const readOnlyNumber = (rng: Prng): number => 0xc00 | rng.below(0x400);
/** Any number whose privilege field (bits 9:8) is above S: illegal from S and U. */
const aboveS = (rng: Prng): number => (rng.below(4) << 10) | ((2 | rng.below(2)) << 8) | rng.below(256);

/** What the segment's configuration changes in the choice. */
export interface CsrContext {
  /** The program has F and D: fflags, frm and fcsr exist (trapping while mstatus.FS = Off). */
  float: boolean;
  /**
   * mstatus.FS starts Initial or Clean. QEMU 7.2 leaves FS there when an instruction only
   * accrues new fflags (differential.test.ts, deviation 7), so random code must not read
   * mstatus/sstatus in such a segment; and a csrrs/csrrc whose register may hold 0 must not
   * name an FP CSR (whether that no-change write dirties FS is implementation-defined).
   */
  fsTracked: boolean;
  /** No fcsr writes at all (program.ts, SegmentPlan.floatQuiet). */
  floatQuiet: boolean;
  /** 32 for RV32 programs (default 64). */
  xlen?: 32 | 64;
}

const isStatus = (csr: number): boolean => csr === Csr.mstatus || csr === Csr.sstatus;

/**
 * `writes`: the instruction writes (csrrw/csrrwi, or rs1/uimm field ≠ 0).
 * `maybeZero`: it is csrrs/csrrc with a register that may hold 0 at run time. The spec
 * makes that a write all the same (illegal on a read-only CSR), but QEMU 7.2 decides by
 * the value and reads the CSR; so in M-mode such instructions never name an existing
 * read-only CSR (where the read would also be timing- or implementation-dependent).
 */
export function chooseCsr(rng: Prng, mode: Mode, writes: boolean, maybeZero: boolean, ctx: CsrContext): number {
  const floatUsable = ctx.float && !(maybeZero && ctx.fsTracked) && !(writes && ctx.floatQuiet);
  const rv32 = ctx.xlen === 32;
  const absentBase = rv32 ? ABSENT_32 : ABSENT;
  const absent = ctx.float ? absentBase : [...absentBase, ...FLOAT_CSRS];
  const mCritical = rv32 ? [...M_CRITICAL, Csr.mstatush, Csr.pmpcfg1] : M_CRITICAL;
  const counters = rv32 ? [...COUNTERS, Csr.cycleh] : COUNTERS;
  const withFloat = (list: readonly number[]): readonly number[] => (floatUsable ? [...list, ...FLOAT_CSRS] : list);
  const readable = (list: readonly number[]): readonly number[] =>
    withFloat(ctx.fsTracked ? list.filter((c) => !isStatus(c)) : list);
  const r = rng.below(100);
  switch (mode) {
    case Mode.M:
      if (writes && maybeZero) return r < 80 ? rng.pick(withFloat(M_WRITABLE)) : rng.pick(absent);
      if (writes) return r < 75 ? rng.pick(withFloat(M_WRITABLE)) : r < 90 ? readOnlyNumber(rng) : rng.pick(absent);
      return r < 85 ? rng.pick(readable(M_READABLE)) : rng.pick(absent);
    case Mode.S:
      if (r < 45) return rng.pick(writes ? withFloat(S_WRITABLE) : readable(S_READABLE));
      if (r < 65) return rng.pick(mCritical);
      if (r < 80) return aboveS(rng);
      if (r < 88) return writes ? readOnlyNumber(rng) : rng.pick(counters);
      return rng.pick(absent);
    case Mode.U: {
      // Every CSR but the FP ones traps from U here: S/M ones on privilege, counters on
      // mcounteren = 0, V and seed because those extensions are off.
      if (r < 30) return rng.pick(S_CRITICAL);
      if (r < 50) return rng.pick(mCritical);
      if (r < 60) return rng.pick(counters);
      if (r < 70) return rng.pick(absent);
      if (r < 78 && floatUsable) return rng.pick(FLOAT_CSRS);
      const any = rng.below(0x1000);
      return FLOAT_CSRS.includes(any) && !floatUsable && ctx.float ? Csr.cycle : any;
    }
  }
}
