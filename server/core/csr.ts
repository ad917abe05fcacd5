// The CSR file: reads and writes with the privileged spec 1.12's WARL rules, privilege and
// counter-enable checks, counters derived from steps, and the timers (mtimecmp, Sstc).
import {
  CSR_MSTATUS, CSR_MISA, CSR_MEDELEG, CSR_MIDELEG, CSR_MIE, CSR_MTVEC, CSR_MCOUNTEREN,
  CSR_MSCRATCH, CSR_MEPC, CSR_MCAUSE, CSR_MTVAL, CSR_MIP, CSR_STVEC, CSR_SCOUNTEREN,
  CSR_SSCRATCH, CSR_SEPC, CSR_SCAUSE, CSR_STVAL, CSR_SATP, CSR_MENVCFG, CSR_SENVCFG,
  CSR_MCOUNTINHIBIT, CSR_STIMECMP, CSR_MTIMECMP, CSR_MSECCFG, CSR_PMPCFG, CSR_PMPADDR, HART_ID,
  HART_INSTRET, HART_CYCLE, HART_MIP_HW, TIME_SHIFT,
  MIP_SSIP, MIP_MSIP, MIP_STIP, MIP_MTIP, MIP_SEIP, MIP_MEIP,
} from './layout';
import {
  PRIV_M, PRIV_S, PRIV_U, MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP,
  MSTATUS_MPP, MSTATUS_MPRV, MSTATUS_SUM, MSTATUS_MXR, MSTATUS_TVM, MSTATUS_TW, MSTATUS_TSR,
  MSTATUS_UXL, MSTATUS_SXL, MSTATUS_FS, MSTATUS_SD, MSTATUS_MPP_SHIFT,
  getPriv, runSteps, runTraps, clockNow, selectTlbs, setInterruptCheck, setTimerCheck, isRv32,
} from './state';
import { tlbFlushAll } from './memory';
import { PMP_COUNT } from './mmu';
import { fpDisabled, readFflags, readFrm, readFcsr, writeFflags, writeFrm, writeFcsr } from './fp';

// misa: MXL = 2 (64-bit); extensions A, C, D, F, I, M, S, U.
export const MISA_VALUE: u64 = (<u64>2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12)
  | (1 << 18) | (1 << 20);
// misa at XLEN = 32: MXL = 1 in bits 31:30, the same extensions.
export const MISA_VALUE_32: u64 = (<u64>1 << 30) | (MISA_VALUE & 0x3ffffff);

// mstatus.UXL = SXL = 2: U and S run with XLEN 64 (3.1.6.2).
const XLEN_64_FIELDS: u64 = (<u64>2 << 32) | (<u64>2 << 34);
const MSTATUS_WRITABLE: u64 = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP
  | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
// sstatus is a view of mstatus (4.1.1).
const SSTATUS_VISIBLE: u64 = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM
  | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD | (3 << 9) | (3 << 15) | (1 << 6);
const SSTATUS_WRITABLE: u64 = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;

// Exceptions that can be delegated to S-mode (ecall from M cannot: medeleg[11] is zero).
const DELEGABLE_EXCEPTIONS: u64 = 0xb3ff;
const S_INTERRUPTS: u64 = MIP_SSIP | MIP_STIP | MIP_SEIP;
const ALL_INTERRUPTS: u64 = S_INTERRUPTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
// menvcfg: FIOM (bit 0) and STCE (bit 63, Sstc).
const MENVCFG_STCE: u64 = <u64>1 << 63;
const MENVCFG_WRITABLE: u64 = MENVCFG_STCE | 1;

/** Set by csrRead/csrWrite when the access is illegal. */
export let csrIllegal: bool = false;

// --- counters: stored values plus what this run added, unless inhibited ---
let cycleMark: i32 = 0;
let instretMark: i32 = 0;

function inhibited(bit: u64): bool {
  return (load<u64>(CSR_MCOUNTINHIBIT) & bit) != 0;
}

export function readCycle(): u64 {
  return load<u64>(HART_CYCLE) + (inhibited(1) ? 0 : <u64>(runSteps - cycleMark));
}

export function readInstret(): u64 {
  return load<u64>(HART_INSTRET) + (inhibited(4) ? 0 : <u64>(runSteps - runTraps - instretMark));
}

/** Folds this run's counts into the stored counters (at the end of run()). */
export function settleCounters(): void {
  store<u64>(HART_CYCLE, readCycle());
  store<u64>(HART_INSTRET, readInstret());
  cycleMark = 0;
  instretMark = 0;
}

function settleNow(): void {
  store<u64>(HART_CYCLE, readCycle());
  store<u64>(HART_INSTRET, readInstret());
  cycleMark = runSteps;
  instretMark = runSteps - runTraps;
}

/** mtime in 10 MHz ticks: a step lasts 2^shift ns, a tick 100 ns. */
export function mtimeNow(): u64 {
  return ticksAt(clockNow());
}

export function ticksAt(steps: u64): u64 {
  const shift = <u64>load<u32>(TIME_SHIFT);
  // steps * 2^shift / 100 without overflow for realistic step counts.
  const q = steps / 100;
  const r = steps % 100;
  return (q << shift) + ((r << shift) / 100);
}

/** The first step count at which mtime reaches `ticks` (U64.MAX_VALUE if never). */
export function stepsForTicks(ticks: u64): u64 {
  const shift = <u64>load<u32>(TIME_SHIFT);
  if (ticks > (U64.MAX_VALUE >> shift) / 100) return U64.MAX_VALUE;
  // Smallest s with floor(s * 2^shift / 100) >= ticks, i.e. s = ceil(ticks * 100 / 2^shift).
  const product = ticks * 100;
  const unit = <u64>1 << shift;
  return (product + unit - 1) >> shift;
}

/** Updates MTIP and (with Sstc enabled) STIP from the timers; returns the next step count at
 * which either changes (U64.MAX_VALUE if none). */
export function updateTimers(): u64 {
  const now = mtimeNow();
  let hw = load<u64>(HART_MIP_HW);
  let next = U64.MAX_VALUE;
  const mtimecmp = load<u64>(CSR_MTIMECMP);
  if (now >= mtimecmp) hw |= MIP_MTIP;
  else {
    hw &= ~(<u64>MIP_MTIP);
    next = stepsForTicks(mtimecmp);
  }
  if ((load<u64>(CSR_MENVCFG) & MENVCFG_STCE) != 0) {
    const stimecmp = load<u64>(CSR_STIMECMP);
    if (now >= stimecmp) hw |= MIP_STIP;
    else {
      hw &= ~(<u64>MIP_STIP);
      const at = stepsForTicks(stimecmp);
      if (at < next) next = at;
    }
  }
  if (hw != load<u64>(HART_MIP_HW)) {
    store<u64>(HART_MIP_HW, hw);
    setInterruptCheck(true);
  }
  return next;
}

/** The clock step at which a timer enabled in mie next fires (U64.MAX_VALUE if none):
 * where the host may skip the clock while the hart waits in wfi. */
export function wakeStep(): u64 {
  const mie = load<u64>(CSR_MIE);
  let step = U64.MAX_VALUE;
  if ((mie & MIP_MTIP) != 0) step = stepsForTicks(load<u64>(CSR_MTIMECMP));
  if ((mie & MIP_STIP) != 0 && (load<u64>(CSR_MENVCFG) & MENVCFG_STCE) != 0) {
    const at = stepsForTicks(load<u64>(CSR_STIMECMP));
    if (at < step) step = at;
  }
  return step;
}

/** mip as software sees it: software-writable bits plus the lines driven by devices. */
export function readMip(): u64 {
  const sstc = (load<u64>(CSR_MENVCFG) & MENVCFG_STCE) != 0;
  let sw = load<u64>(CSR_MIP);
  if (sstc) sw &= ~(<u64>MIP_STIP);
  return sw | load<u64>(HART_MIP_HW);
}

/**
 * What csrrs/csrrc combine their operand with: the CSR's value, but for mip only its
 * software-writable bits. Priv spec 3.1.9: "Only the software-writable SEIP bit participates
 * in the read-modify-write sequence of a CSRRS or CSRRC instruction" — else setting SSIP
 * while the PLIC drives SEIP (OpenSBI forwarding an IPI) would latch SEIP on for good.
 */
export function csrModifyBase(csr: u32, old: u64): u64 {
  return csr == 0x344 ? load<u64>(CSR_MIP) : old;
}

/** Counter CSRs (cycle, time, instret, hpmcounterN) from S or U need mcounteren/scounteren. */
function counterAllowed(index: u32): bool {
  const priv = getPriv();
  if (priv == PRIV_M) return true;
  if (((load<u64>(CSR_MCOUNTEREN) >> index) & 1) == 0) return false;
  if (priv == PRIV_U && ((load<u64>(CSR_SCOUNTEREN) >> index) & 1) == 0) return false;
  return true;
}

function stimecmpAllowed(): bool {
  const priv = getPriv();
  if (priv == PRIV_M) return true;
  if (priv == PRIV_U) return false;
  // Sstc: S-mode needs menvcfg.STCE and mcounteren.TM.
  return (load<u64>(CSR_MENVCFG) & MENVCFG_STCE) != 0 && (load<u64>(CSR_MCOUNTEREN) & 2) != 0;
}

/** Reads CSR `csr` for an instruction (checks privilege); sets csrIllegal instead on failure.
 * At XLEN = 32 the value is the CSR's 32-bit view, zero-extended. */
export function csrRead(csr: u32, checkPrivilege: bool): u64 {
  return isRv32() ? csrRead32(csr, checkPrivilege) : csrReadAny(csr, checkPrivilege);
}

/** The CSRs as both XLENs have them (RV64's width). */
function csrReadAny(csr: u32, checkPrivilege: bool): u64 {
  csrIllegal = false;
  if (checkPrivilege && ((csr >> 8) & 3) > getPriv()) {
    csrIllegal = true;
    return 0;
  }
  if (checkPrivilege && csr == 0x180 && getPriv() == PRIV_S && (load<u64>(CSR_MSTATUS) & MSTATUS_TVM) != 0) {
    csrIllegal = true;
    return 0;
  }
  if (csr >= 0xc00 && csr <= 0xc1f) {
    if (checkPrivilege && !counterAllowed(csr - 0xc00)) {
      csrIllegal = true;
      return 0;
    }
    if (csr == 0xc00) return readCycle();
    if (csr == 0xc01) return mtimeNow();
    if (csr == 0xc02) return readInstret();
    return 0;
  }
  if (csr >= 0xb03 && csr <= 0xb1f) return 0; // mhpmcounter3..31
  if (csr >= 0x323 && csr <= 0x33f) return 0; // mhpmevent3..31
  if (csr >= 0x3a0 && csr <= 0x3af) {
    if (csr & 1) { csrIllegal = true; return 0; } // odd pmpcfg do not exist on RV64
    const first = (csr - 0x3a0) * 4;
    if (first >= PMP_COUNT) return 0;
    return load<u64>(CSR_PMPCFG + <usize>first);
  }
  if (csr >= 0x3b0 && csr <= 0x3ef) {
    const index = csr - 0x3b0;
    return index < PMP_COUNT ? load<u64>(CSR_PMPADDR + (<usize>index << 3)) : 0;
  }
  if (csr >= 0x001 && csr <= 0x003) {
    // fflags, frm, fcsr: only while mstatus.FS is not Off.
    if (checkPrivilege && fpDisabled()) { csrIllegal = true; return 0; }
    return csr == 1 ? readFflags() : csr == 2 ? readFrm() : readFcsr();
  }
  switch (csr) {
    case 0x100: return load<u64>(CSR_MSTATUS) & SSTATUS_VISIBLE;
    case 0x104: return load<u64>(CSR_MIE) & load<u64>(CSR_MIDELEG);
    case 0x105: return load<u64>(CSR_STVEC);
    case 0x106: return load<u64>(CSR_SCOUNTEREN);
    case 0x10a: return load<u64>(CSR_SENVCFG);
    case 0x140: return load<u64>(CSR_SSCRATCH);
    case 0x141: return load<u64>(CSR_SEPC);
    case 0x142: return load<u64>(CSR_SCAUSE);
    case 0x143: return load<u64>(CSR_STVAL);
    case 0x144: return readMip() & load<u64>(CSR_MIDELEG);
    case 0x14d:
      if (checkPrivilege && !stimecmpAllowed()) { csrIllegal = true; return 0; }
      return load<u64>(CSR_STIMECMP);
    case 0x180: return load<u64>(CSR_SATP);
    case 0x300: return load<u64>(CSR_MSTATUS);
    case 0x301: return load<u64>(CSR_MISA);
    case 0x302: return load<u64>(CSR_MEDELEG);
    case 0x303: return load<u64>(CSR_MIDELEG);
    case 0x304: return load<u64>(CSR_MIE);
    case 0x305: return load<u64>(CSR_MTVEC);
    case 0x306: return load<u64>(CSR_MCOUNTEREN);
    case 0x30a: return load<u64>(CSR_MENVCFG);
    case 0x320: return load<u64>(CSR_MCOUNTINHIBIT);
    case 0x340: return load<u64>(CSR_MSCRATCH);
    case 0x341: return load<u64>(CSR_MEPC);
    case 0x342: return load<u64>(CSR_MCAUSE);
    case 0x343: return load<u64>(CSR_MTVAL);
    case 0x344: return readMip();
    case 0xb00: return readCycle();
    case 0xb02: return readInstret();
    case 0xf11: return 0; // mvendorid: non-commercial
    case 0xf12: return 0; // marchid
    case 0xf13: return 0; // mimpid
    case 0xf14: return load<u64>(HART_ID);
    case 0xf15: return 0; // mconfigptr: no configuration structure
  }
  csrIllegal = true;
  return 0;
}

function writeMstatus(value: u64): void {
  const old = load<u64>(CSR_MSTATUS);
  let next = (old & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
  // MPP is WARL: the reserved value 2 (no H-mode) keeps the previous MPP.
  if (((next >> MSTATUS_MPP_SHIFT) & 3) == 2) next = (next & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
  // UXL and SXL are read-only: 2 on RV64; RV32's mstatus has no such fields.
  next = (next & ~(MSTATUS_UXL | MSTATUS_SXL)) | (isRv32() ? 0 : XLEN_64_FIELDS);
  storeMstatus(next);
}

/** Stores mstatus and reacts to what changed (TLB sets, interrupt enables). */
export function storeMstatus(value: u64): void {
  // SD summarises FS (no V, no XS): set exactly when FS is Dirty.
  const next = (value & MSTATUS_FS) == MSTATUS_FS ? value | MSTATUS_SD : value & ~MSTATUS_SD;
  const old = load<u64>(CSR_MSTATUS);
  store<u64>(CSR_MSTATUS, next);
  const changed = old ^ next;
  if ((changed & (MSTATUS_SUM | MSTATUS_MXR)) != 0) tlbFlushAll();
  if ((changed & (MSTATUS_MPRV | MSTATUS_MPP)) != 0) selectTlbs();
  setInterruptCheck(true);
}

function writePmpCfg(csr: u32, value: u64): void {
  const first = (csr - 0x3a0) * 4;
  if (first >= PMP_COUNT) return;
  const entries: u32 = isRv32() ? 4 : 8; // bytes of pmpNcfg in one pmpcfg register
  for (let i: u32 = 0; i < entries; i++) {
    const at = CSR_PMPCFG + <usize>(first + i);
    if ((load<u8>(at) & 0x80) != 0) continue; // locked
    store<u8>(at, <u8>(value >> (<u64>i * 8)) & 0x9f);
  }
  tlbFlushAll();
}

function writePmpAddr(index: u32, value: u64): void {
  if (index >= PMP_COUNT) return;
  const cfg = load<u8>(CSR_PMPCFG + <usize>index);
  if ((cfg & 0x80) != 0) return;
  // A locked TOR entry above also locks this address (3.7.1).
  if (index + 1 < PMP_COUNT) {
    const above = load<u8>(CSR_PMPCFG + <usize>(index + 1));
    if ((above & 0x80) != 0 && ((above >> 3) & 3) == 1) return;
  }
  store<u64>(CSR_PMPADDR + (<usize>index << 3), value & 0x3fffffffffffff);
  tlbFlushAll();
}

/** Writes CSR `csr` for an instruction; sets csrIllegal when the CSR is read-only or absent.
 * At XLEN = 32 only the low 32 bits of `value` count. */
export function csrWrite(csr: u32, value: u64, checkPrivilege: bool): void {
  if (isRv32()) csrWrite32(csr, value & 0xffffffff, checkPrivilege);
  else csrWriteAny(csr, value, checkPrivilege);
}

function csrWriteAny(csr: u32, value: u64, checkPrivilege: bool): void {
  csrIllegal = false;
  if (checkPrivilege && (((csr >> 8) & 3) > getPriv() || (csr >> 10) == 3)) {
    csrIllegal = true;
    return;
  }
  if (csr >= 0xb03 && csr <= 0xb1f) return; // mhpmcounters: hard-wired zero
  if (csr >= 0x323 && csr <= 0x33f) return; // mhpmevents: hard-wired zero
  if (csr >= 0x3a0 && csr <= 0x3af) {
    if (csr & 1) { csrIllegal = true; return; }
    writePmpCfg(csr, value);
    return;
  }
  if (csr >= 0x3b0 && csr <= 0x3ef) {
    writePmpAddr(csr - 0x3b0, value);
    return;
  }
  if (csr >= 0x001 && csr <= 0x003) {
    if (checkPrivilege && fpDisabled()) { csrIllegal = true; return; }
    if (csr == 1) writeFflags(value); else if (csr == 2) writeFrm(value); else writeFcsr(value);
    return;
  }
  switch (csr) {
    case 0x100: {
      const m = load<u64>(CSR_MSTATUS);
      storeMstatus((m & ~SSTATUS_WRITABLE) | (value & SSTATUS_WRITABLE));
      return;
    }
    case 0x104: {
      const mask = load<u64>(CSR_MIDELEG);
      store<u64>(CSR_MIE, (load<u64>(CSR_MIE) & ~mask) | (value & mask));
      setInterruptCheck(true);
      return;
    }
    case 0x105:
      if ((value & 3) < 2) store<u64>(CSR_STVEC, value);
      return;
    case 0x106: store<u64>(CSR_SCOUNTEREN, value & 0xffffffff); return;
    case 0x10a: store<u64>(CSR_SENVCFG, value & 1); return;
    case 0x140: store<u64>(CSR_SSCRATCH, value); return;
    case 0x141: store<u64>(CSR_SEPC, value & ~<u64>1); return;
    case 0x142: store<u64>(CSR_SCAUSE, value); return;
    case 0x143: store<u64>(CSR_STVAL, value); return;
    case 0x144: {
      // Only SSIP is writable through sip, and only when delegated.
      const mask = load<u64>(CSR_MIDELEG) & MIP_SSIP;
      store<u64>(CSR_MIP, (load<u64>(CSR_MIP) & ~mask) | (value & mask));
      setInterruptCheck(true);
      return;
    }
    case 0x14d:
      if (checkPrivilege && !stimecmpAllowed()) { csrIllegal = true; return; }
      store<u64>(CSR_STIMECMP, value);
      setTimerCheck(true);
      return;
    case 0x180: {
      if (checkPrivilege && getPriv() == PRIV_S && (load<u64>(CSR_MSTATUS) & MSTATUS_TVM) != 0) {
        csrIllegal = true;
        return;
      }
      // WARL: only Bare, Sv39, Sv48 and Sv57; another mode leaves satp unchanged.
      const mode = value >> 60;
      if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return;
      store<u64>(CSR_SATP, mode == 0 ? 0 : value);
      tlbFlushAll();
      return;
    }
    case 0x300: writeMstatus(value); return;
    case 0x301: return; // misa is not writable here
    case 0x302: store<u64>(CSR_MEDELEG, value & DELEGABLE_EXCEPTIONS); return;
    case 0x303:
      store<u64>(CSR_MIDELEG, value & S_INTERRUPTS);
      setInterruptCheck(true);
      return;
    case 0x304:
      store<u64>(CSR_MIE, value & ALL_INTERRUPTS);
      setInterruptCheck(true);
      return;
    case 0x305:
      if ((value & 3) < 2) store<u64>(CSR_MTVEC, value);
      return;
    case 0x306: store<u64>(CSR_MCOUNTEREN, value & 0xffffffff); return;
    case 0x30a:
      store<u64>(CSR_MENVCFG, value & MENVCFG_WRITABLE);
      setTimerCheck(true);
      setInterruptCheck(true);
      return;
    case 0x320:
      settleNow();
      store<u64>(CSR_MCOUNTINHIBIT, value & 5);
      return;
    case 0x340: store<u64>(CSR_MSCRATCH, value); return;
    case 0x341: store<u64>(CSR_MEPC, value & ~<u64>1); return;
    case 0x342: store<u64>(CSR_MCAUSE, value); return;
    case 0x343: store<u64>(CSR_MTVAL, value); return;
    case 0x344: {
      // SSIP, SEIP and (without Sstc) STIP are writable by M-mode.
      let mask = S_INTERRUPTS;
      if ((load<u64>(CSR_MENVCFG) & MENVCFG_STCE) != 0) mask &= ~(<u64>MIP_STIP);
      store<u64>(CSR_MIP, (load<u64>(CSR_MIP) & ~mask) | (value & mask));
      setInterruptCheck(true);
      return;
    }
    case 0xb00:
      // The write takes effect after this instruction: its own cycle is not added.
      settleNow();
      store<u64>(HART_CYCLE, value - (inhibited(1) ? 0 : 1));
      return;
    case 0xb02:
      // Writing minstret suppresses the writing instruction's own increment.
      settleNow();
      store<u64>(HART_INSTRET, value - (inhibited(4) ? 0 : 1));
      return;
    case 0xf11: case 0xf12: case 0xf13: case 0xf14: case 0xf15:
      csrIllegal = true; // read-only (caught above for instructions; here for debuggers)
      return;
  }
  csrIllegal = true;
}

// --- XLEN = 32 (privileged spec 1.12): 32-bit views of the same storage ------------------------
// The stored CSRs keep their RV64 layout: mstatus.SD stays in bit 63 (the view moves it to bit
// 31), STCE in menvcfg bit 63, the 64-bit counters and stimecmp whole. The RV32-only CSRs are
// the high halves (mstatush, menvcfgh, stimecmph, cycleh/timeh/instreth, hpmcounterNh, mcycleh,
// minstreth, mhpmcounterNh) and the odd pmpcfg registers.

/** mstatus / sstatus as RV32 sees them: no UXL / SXL, SD in bit 31 (3.1.6). */
@inline function status32(value: u64): u64 {
  return (value & 0x7fffffff) | ((value >> 63) << 31);
}

function csrRead32(csr: u32, checkPrivilege: bool): u64 {
  csrIllegal = false;
  if (checkPrivilege && ((csr >> 8) & 3) > getPriv()) {
    csrIllegal = true;
    return 0;
  }
  if (csr >= 0xc80 && csr <= 0xc9f) { // cycleh, timeh, instreth, hpmcounter3h..31h
    if (checkPrivilege && !counterAllowed(csr - 0xc80)) {
      csrIllegal = true;
      return 0;
    }
    if (csr == 0xc80) return readCycle() >> 32;
    if (csr == 0xc81) return mtimeNow() >> 32;
    if (csr == 0xc82) return readInstret() >> 32;
    return 0;
  }
  if (csr == 0xb80) return readCycle() >> 32; // mcycleh
  if (csr == 0xb82) return readInstret() >> 32; // minstreth
  if (csr >= 0xb83 && csr <= 0xb9f) return 0; // mhpmcounter3h..31h
  if (csr >= 0x3a0 && csr <= 0x3af) { // pmpcfg0..15: four entries each, odd ones included
    const first = (csr - 0x3a0) * 4;
    return first >= PMP_COUNT ? 0 : <u64>load<u32>(CSR_PMPCFG + <usize>first);
  }
  switch (csr) {
    case 0x100: case 0x300: return status32(csrReadAny(csr, checkPrivilege)); // sstatus, mstatus
    case 0x310: return 0; // mstatush: MBE = SBE = 0 (little-endian); MPV, GVA absent without H
    case 0x31a: return load<u64>(CSR_MENVCFG) >> 32; // menvcfgh
    case 0x15d: // stimecmph
      if (checkPrivilege && !stimecmpAllowed()) { csrIllegal = true; return 0; }
      return load<u64>(CSR_STIMECMP) >> 32;
  }
  return csrReadAny(csr, checkPrivilege) & 0xffffffff;
}

/**
 * Writes one half of a 64-bit counter from RV32. Like every CSR write it takes effect after
 * the writing instruction, whose own increment therefore lands in the half not written.
 */
function writeCounterHalf(at: usize, inhibitBit: u64, value: u64, high: bool): void {
  settleNow();
  const step: u64 = inhibited(inhibitBit) ? 0 : 1;
  const after = load<u64>(at) + step;
  const next = high ? (value << 32) | (after & 0xffffffff) : (after & 0xffffffff00000000) | value;
  store<u64>(at, next - step);
}

/** A write of 32-bit `value` to the low (high = false) or high half of the u64 at `at`. */
function storeHalf(at: usize, value: u64, high: bool): void {
  const old = load<u64>(at);
  store<u64>(at, high ? (value << 32) | (old & 0xffffffff) : (old & 0xffffffff00000000) | value);
}

function csrWrite32(csr: u32, value: u64, checkPrivilege: bool): void {
  csrIllegal = false;
  if (checkPrivilege && (((csr >> 8) & 3) > getPriv() || (csr >> 10) == 3)) {
    csrIllegal = true;
    return;
  }
  if (csr == 0xb00 || csr == 0xb80) { writeCounterHalf(HART_CYCLE, 1, value, csr == 0xb80); return; }
  if (csr == 0xb02 || csr == 0xb82) { writeCounterHalf(HART_INSTRET, 4, value, csr == 0xb82); return; }
  if (csr >= 0xb83 && csr <= 0xb9f) return; // mhpmcounterNh: hard-wired zero
  if (csr >= 0x3a0 && csr <= 0x3af) {
    writePmpCfg(csr, value);
    return;
  }
  switch (csr) {
    case 0x310: return; // mstatush: every field read-only zero here
    case 0x30a: case 0x31a: // menvcfg (FIOM), menvcfgh (STCE in its bit 31)
      storeHalf(CSR_MENVCFG, value, csr == 0x31a);
      store<u64>(CSR_MENVCFG, load<u64>(CSR_MENVCFG) & MENVCFG_WRITABLE);
      setTimerCheck(true);
      setInterruptCheck(true);
      return;
    case 0x14d: case 0x15d: // stimecmp, stimecmph
      if (checkPrivilege && !stimecmpAllowed()) { csrIllegal = true; return; }
      storeHalf(CSR_STIMECMP, value, csr == 0x15d);
      setTimerCheck(true);
      return;
    case 0x180: {
      if (checkPrivilege && getPriv() == PRIV_S && (load<u64>(CSR_MSTATUS) & MSTATUS_TVM) != 0) {
        csrIllegal = true;
        return;
      }
      // MODE (bit 31) is Bare or Sv32, so every value is legal: ASID (30:22), PPN (21:0).
      store<u64>(CSR_SATP, (value >> 31) == 0 ? 0 : value);
      tlbFlushAll();
      return;
    }
  }
  csrWriteAny(csr, value, checkPrivilege);
}

/** Power-on values of the CSRs (privileged spec 1.12, 3.4 "Reset"). */
export function resetCsrs(): void {
  // Every stored CSR from mstatus up to mseccfg starts at zero, then the exceptions.
  memory.fill(CSR_MSTATUS, 0, CSR_MSECCFG + 8 - CSR_MSTATUS);
  const rv32 = isRv32();
  store<u64>(CSR_MSTATUS, rv32 ? 0 : XLEN_64_FIELDS);
  store<u64>(CSR_MISA, rv32 ? MISA_VALUE_32 : MISA_VALUE);
  store<u64>(CSR_STIMECMP, U64.MAX_VALUE);
  store<u64>(CSR_MTIMECMP, U64.MAX_VALUE);
  for (let i: u32 = 0; i < PMP_COUNT; i++) {
    store<u8>(CSR_PMPCFG + <usize>i, 0);
    store<u64>(CSR_PMPADDR + (<usize>i << 3), 0);
  }
  store<u64>(HART_INSTRET, 0);
  store<u64>(HART_CYCLE, 0);
  store<u64>(HART_MIP_HW, 0);
  cycleMark = 0;
  instretMark = 0;
}

export { PRIV_S, MSTATUS_FS, MIP_MEIP, MIP_SEIP, MIP_MSIP };
