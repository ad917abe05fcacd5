// The hart's run-time globals and register accessors shared by every part of the core.
import {
  HART_X, HART_PC, HART_PRIV, CLOCK_STEPS, TLB, TLB_SET_SIZE, CSR_MSTATUS, XLEN, STOP_ARG,
} from './layout';

export const PRIV_U: u32 = 0;
export const PRIV_S: u32 = 1;
export const PRIV_M: u32 = 3;

// mstatus fields (privileged spec 1.12, section 3.1.6).
export const MSTATUS_SIE: u64 = 1 << 1;
export const MSTATUS_MIE: u64 = 1 << 3;
export const MSTATUS_SPIE: u64 = 1 << 5;
export const MSTATUS_MPIE: u64 = 1 << 7;
export const MSTATUS_SPP: u64 = 1 << 8;
export const MSTATUS_MPP_SHIFT: u64 = 11;
export const MSTATUS_MPP: u64 = 3 << 11;
export const MSTATUS_FS: u64 = 3 << 13;
export const MSTATUS_MPRV: u64 = 1 << 17;
export const MSTATUS_SUM: u64 = 1 << 18;
export const MSTATUS_MXR: u64 = 1 << 19;
export const MSTATUS_TVM: u64 = 1 << 20;
export const MSTATUS_TW: u64 = 1 << 21;
export const MSTATUS_TSR: u64 = 1 << 22;
export const MSTATUS_UXL: u64 = <u64>3 << 32;
export const MSTATUS_SXL: u64 = <u64>3 << 34;
export const MSTATUS_SD: u64 = <u64>1 << 63;

// --- state of the current instruction and run ---
/** Set when the current instruction raised an exception; the run loop takes the trap. */
export let trapPending: bool = false;
export let trapCause: u64 = 0;
export let trapTval: u64 = 0;
/** Set by raise() and requestStop(): the run loop checks this one flag after each step. */
export let exceptional: bool = false;
/** Set when run() must return after the current step; stopCode says why. */
export let stopRequested: bool = false;
export let stopCode: i32 = 0;
/** Set whenever interruptCheck or timerCheck is: the run loop looks at one flag. */
export let attention: bool = true;
/** Set whenever pending or enabled interrupts may have changed. */
export let interruptCheck: bool = true;
/** Set when an MMIO write may have changed a timer compare value. */
export let timerCheck: bool = true;
/** Steps executed so far in this run() and traps taken among them. */
export let runSteps: i32 = 0;
export let runTraps: i32 = 0;
/** CLOCK_STEPS at the start of this run(). */
export let clockBase: u64 = 0;
/** True while run() executes; between runs CLOCK_STEPS alone is the clock (the host may set it). */
export let running: bool = false;
/** Base addresses of the TLB sets for data accesses (effective privilege) and fetches. */
export let dataTlb: usize = TLB;
export let fetchTlb: usize = TLB;
/** The page the last fetch came from and its host addend (fast fetch path). */
export let fetchPage: u64 = U64.MAX_VALUE;
export let fetchAddend: u64 = 0;
/** True when the fast fetch page holds breakpoints. */
export let fetchBreak: bool = false;
/** The fast fetch window: pcs with pc - windowLo <= windowSpan are fetched straight from
 * RAM. It lies inside the fetch page and holds no breakpoint; lo = 1, span = 0 is empty
 * (pcs are even). */
export let windowLo: u64 = 1;
export let windowSpan: u64 = 0;
/** This run resumes from a debugger's stop (DEBUG_RESUME): its first step ignores breakpoints and watches. */
export let resuming: bool = false;
/** trapCause of an access stopped by a debugger's watch before it happened (no trap is taken). */
export const WATCH_STOP_CAUSE: u64 = U64.MAX_VALUE;
/** Value loaded by the last LR, compared by SC (as QEMU does). */
export let reservationValue: u64 = 0;

export function raise(cause: u64, tval: u64): void {
  exceptional = true;
  if (!trapPending) {
    trapPending = true;
    trapCause = cause;
    trapTval = tval;
  }
}

/** A debugger's watch stops the current instruction before its access: it does not retire. */
export function raiseWatchStop(code: i32, addr: u64): void {
  raise(WATCH_STOP_CAUSE, addr);
  store<u64>(STOP_ARG, addr);
  requestStop(code);
}

export function setResuming(on: bool): void { resuming = on; }

export function requestStop(code: i32): void {
  exceptional = true;
  if (!stopRequested) {
    stopRequested = true;
    stopCode = code;
  }
}

export function clearTrap(): void { trapPending = false; exceptional = stopRequested; }
export function clearStop(): void { stopRequested = false; stopCode = 0; exceptional = trapPending; }
export function setInterruptCheck(on: bool): void { interruptCheck = on; if (on) attention = true; }
export function setTimerCheck(on: bool): void { timerCheck = on; if (on) attention = true; }
export function clearAttention(): void { attention = false; }
export function resetRun(): void { runSteps = 0; runTraps = 0; clockBase = load<u64>(CLOCK_STEPS); }
export function setRunning(on: bool): void { running = on; }
/** Before a host call between runs reads the clock or counters: adopt CLOCK_STEPS. */
export function syncIdleClock(): void { if (!running) resetRun(); }
export function setRunSteps(steps: i32): void { runSteps = steps; }
export function countTrap(): void { runTraps++; }
export function setReservationValue(v: u64): void { reservationValue = v; }
/** Changes the fast fetch page (from the fetch path, which then sets the window). */
export function setFetchPage(page: u64, addend: u64, hasBreakpoints: bool): void {
  fetchPage = page;
  fetchAddend = addend;
  fetchBreak = hasBreakpoints;
  windowLo = 1;
  windowSpan = 0;
}

/** Drops the fast fetch page (TLB flush, privilege change); the run loop notices at its
 * next attention check. */
export function invalidateFetchPage(): void {
  setFetchPage(U64.MAX_VALUE, 0, false);
  attention = true;
}

export function setFetchWindow(lo: u64, span: u64): void {
  windowLo = lo;
  windowSpan = span;
}

/** The virtual clock now, in steps. */
@inline export function clockNow(): u64 {
  return clockBase + <u64>runSteps;
}

/** True when the hart runs at XLEN = 32 (layout XLEN). Registers then hold 32-bit values
 * sign-extended to 64 bits, and the pc, addresses and CSRs are 32 bits wide. For the slow
 * paths: the run loop chooses its RV32 or RV64 body once, at run() entry. */
@inline export function isRv32(): bool {
  return load<u32>(XLEN) == 32;
}

/** A 32-bit result as an RV32 register holds it: sign-extended to 64 bits. */
@inline export function sext32(v: u64): u64 {
  return <u64><i64><i32>v;
}

@inline export function getX(r: u32): u64 {
  return load<u64>(HART_X + (<usize>r << 3));
}

@inline export function setX(r: u32, v: u64): void {
  if (r != 0) store<u64>(HART_X + (<usize>r << 3), v);
}

@inline export function getPc(): u64 {
  return load<u64>(HART_PC);
}

@inline export function setPc(pc: u64): void {
  store<u64>(HART_PC, pc);
}

@inline export function getPriv(): u32 {
  return load<u32>(HART_PRIV);
}

/** Privilege used by loads and stores: MPP when mstatus.MPRV is set in M-mode. */
export function effectiveDataPriv(): u32 {
  const priv = getPriv();
  if (priv == PRIV_M) {
    const mstatus = load<u64>(CSR_MSTATUS);
    if (mstatus & MSTATUS_MPRV) return <u32>((mstatus >> MSTATUS_MPP_SHIFT) & 3);
  }
  return priv;
}

/** Index of the TLB set for a privilege: U = 0, S = 1, M = 2. */
@inline function tlbSet(priv: u32): usize {
  return priv == PRIV_M ? 2 : <usize>priv;
}

/** Re-selects the TLB sets after a change of privilege or of mstatus.MPRV/MPP. */
export function selectTlbs(): void {
  dataTlb = TLB + tlbSet(effectiveDataPriv()) * TLB_SET_SIZE;
  fetchTlb = TLB + tlbSet(getPriv()) * TLB_SET_SIZE;
  invalidateFetchPage();
}

export function setPriv(priv: u32): void {
  store<u32>(HART_PRIV, priv);
  selectTlbs();
}
