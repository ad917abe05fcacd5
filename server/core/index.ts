// The core's exports: reset, run(budget) — the fetch/execute loop with exact step counts —
// device interrupt lines, debugger access to CSRs and translation, and hart parking for SMP.
import {
  CLOCK_STEPS, STEPS_DONE, HART, HART_X, HART_PC, HART_FCSR, HART_WFI, HART_RES_VALID, HART_MIP_HW,
  HART_STATE_SIZE, HART_SLOTS, HART_SLOT_SIZE, MAX_HARTS, TLB, TLB_SIZE, BREAK_COUNT,
  DEBUG_STATUS, HART_TRAPS, STOP_BUDGET, STOP_WFI, STOP_BREAKPOINT, XLEN, DEBUG_FLAGS, DEBUG_RESUME,
} from './layout';
import {
  trapPending, trapCause, trapTval, stopRequested, stopCode, interruptCheck, timerCheck, attention,
  clearAttention,
  runSteps, clockBase, fetchAddend, windowLo, windowSpan, clearTrap, clearStop, setInterruptCheck,
  setTimerCheck, resetRun, setRunning, syncIdleClock, setRunSteps, countTrap, exceptional, requestStop, getPc, setPc, setPriv, clockNow,
  selectTlbs, PRIV_M, getPriv, setResuming, WATCH_STOP_CAUSE,
} from './state';
import { fetchSlow, isBreakpoint, updateFetchWindow, tlbFlushAll } from './memory';
import { execute } from './execute';
import { executeCompressed } from './compressed';
import { execute32 } from './execute32';
import { executeCompressed32 } from './compressed32';
import {
  csrRead as readCsr, csrWrite as writeCsr, csrIllegal, resetCsrs, settleCounters, updateTimers,
  mtimeNow, wakeStep,
} from './csr';
import { takeTrap, checkInterrupts, pendingEnabled } from './trap';
import { translate as translateAddress, translatedAddr, ACCESS_READ } from './mmu';
import { effectiveDataPriv } from './state';

/** Power-on reset of the active hart: M-mode at the boot ROM, registers and CSRs cleared. */
export function init(): void {
  memory.fill(HART_X, 0, 32 * 8 * 2);
  store<u64>(HART_PC, 0x1000);
  store<u32>(HART_WFI, 0);
  store<u32>(HART_RES_VALID, 0);
  store<u32>(HART_FCSR, 0);
  store<u64>(HART_TRAPS, 0);
  resetCsrs();
  setPriv(PRIV_M);
  tlbFlushAll();
  setInterruptCheck(true);
  setTimerCheck(true);
}

/** Absolute step count at which the next timer fires, from updateTimers(). */
let timerStep: u64 = U64.MAX_VALUE;

/** Steps this run may take before the next timer event or the end of the budget. */
function limitFor(budget: i32): i32 {
  if (timerStep == U64.MAX_VALUE) return budget;
  const now = clockNow();
  if (timerStep <= now) return runSteps + 1;
  const until = timerStep - now;
  const relative = <u64>runSteps + until;
  return relative < <u64>budget ? <i32>relative : budget;
}

/**
 * Runs the active hart for exactly `budget` steps (instructions retired or traps taken)
 * unless it stops earlier; returns a STOP_* code and leaves the count in STEPS_DONE.
 * XLEN picks the loop once per call: each is compiled for its width, so the RV64 loop pays
 * nothing for RV32.
 */
export function run(budget: i32): i32 {
  return load<u32>(XLEN) == 32 ? run32(budget) : run64(budget);
}

function run64(budget: i32): i32 {
  return runLoop(budget, false);
}

function run32(budget: i32): i32 {
  return runLoop(budget, true);
}

/**
 * The fetch/execute loop; `rv32` is a constant at each of its two call sites, so each copy
 * keeps only its own width's code. The helpers it calls from one place (fetchSlow,
 * updateFetchWindow, isBreakpoint, checkInterrupts) are @inline: with two loops Binaryen no
 * longer inlines them as single-caller functions, which cost RV64 about 1.5% (npm run bench).
 */
@inline function runLoop(budget: i32, rv32: bool): i32 {
  resetRun();
  setRunning(true);
  clearStop();
  clearTrap();
  const resume = (load<u32>(DEBUG_FLAGS) & DEBUG_RESUME) != 0;
  setResuming(resume);
  timerStep = updateTimers();
  if (load<u32>(HART_WFI) != 0) {
    if (pendingEnabled() == 0) return finish(STOP_WFI);
    store<u32>(HART_WFI, 0);
  }
  setInterruptCheck(true);
  let limit = limitFor(budget);
  // Hot state lives in locals while running: the pc (HART_PC is written whenever a helper
  // may read it), the step count (runSteps is updated before each dispatch) and the fast
  // fetch page (re-read at every attention check, which any change to it raises).
  let pc = getPc();
  let steps: i32 = 0;
  let lo = windowLo;
  let span = windowSpan;
  let addend = fetchAddend;
  while (true) {
    if (steps >= limit) {
      if (steps >= budget) break;
      setRunSteps(steps);
      timerStep = updateTimers();
      limit = limitFor(budget);
      continue;
    }
    if (attention) {
      clearAttention();
      setRunSteps(steps);
      if (timerCheck) {
        setTimerCheck(false);
        timerStep = updateTimers();
        limit = limitFor(budget);
      }
      if (interruptCheck) {
        setInterruptCheck(false);
        setPc(pc);
        if (checkInterrupts()) {
          pc = getPc();
          countTrap();
          steps++;
          if (stopRequested) break;
          continue;
        }
      }
      lo = windowLo;
      span = windowSpan;
      addend = fetchAddend;
    }
    setRunSteps(steps);
    let insn: u32;
    if (pc - lo <= span) {
      insn = load<u32>(<usize>(pc + addend));
    } else {
      // Outside the window: another page, the last bytes of one, or a breakpoint's slot.
      // The first step of a run resuming from a stop executes the instruction at a breakpoint.
      if ((steps != 0 || !resume) && load<u32>(BREAK_COUNT) != 0 && isBreakpoint(pc)) {
        requestStop(STOP_BREAKPOINT);
        break;
      }
      insn = fetchSlow(pc);
      if (trapPending) {
        clearTrap();
        takeTrap(trapCause, trapTval, pc);
        pc = getPc();
        countTrap();
        steps++;
        if (stopRequested) break;
        continue;
      }
      updateFetchWindow(pc);
      lo = windowLo;
      span = windowSpan;
      addend = fetchAddend;
    }
    let next: u64;
    if (rv32) next = (insn & 3) == 3 ? execute32(insn, pc) : executeCompressed32(insn & 0xffff, pc);
    else next = (insn & 3) == 3 ? execute(insn, pc) : executeCompressed(insn & 0xffff, pc);
    steps++;
    if (exceptional) {
      if (trapPending && trapCause == WATCH_STOP_CAUSE) {
        // A debugger's watch stopped the access: the instruction did not happen.
        clearTrap();
        steps--;
        break;
      }
      if (trapPending) {
        clearTrap();
        takeTrap(trapCause, trapTval, pc);
        pc = getPc();
        countTrap();
      } else {
        pc = next;
      }
      if (stopRequested) break;
    } else {
      pc = next;
    }
  }
  setPc(pc);
  setRunSteps(steps);
  return finish(stopRequested ? stopCode : STOP_BUDGET);
}

function finish(code: i32): i32 {
  settleCounters();
  store<u64>(CLOCK_STEPS, clockNow());
  store<u64>(STEPS_DONE, <u64>runSteps);
  setRunning(false);
  resetRun(); // the counters now hold this run's steps: count none of them twice
  return code;
}

/** A device raises (on != 0) or lowers the mip bits in `mask` (MSIP, MEIP, SEIP). */
export function setPending(mask: i32, on: i32): void {
  const hw = load<u64>(HART_MIP_HW);
  store<u64>(HART_MIP_HW, on != 0 ? hw | <u64><u32>mask : hw & ~<u64><u32>mask);
  setInterruptCheck(true);
}

export function tlbFlush(): void {
  tlbFlushAll();
  selectTlbs();
  setInterruptCheck(true);
  setTimerCheck(true);
}

/** Debugger CSR read: no privilege checks; DEBUG_STATUS = 1 if the CSR does not exist. */
export function csrRead(csr: i32): i64 {
  syncIdleClock();
  const value = readCsr(<u32>csr, false);
  store<u32>(DEBUG_STATUS, csrIllegal ? 1 : 0);
  return <i64>value;
}

/** Debugger CSR write with the hart's WARL rules; returns 0, or 1 if it does not exist. */
export function csrWrite(csr: i32, value: i64): i32 {
  syncIdleClock();
  writeCsr(<u32>csr, <u64>value, false);
  store<u32>(DEBUG_STATUS, csrIllegal ? 1 : 0);
  return csrIllegal ? 1 : 0;
}

/** Debugger translation of `vaddr` (access 0 read, 1 write, 2 fetch); -1 if it faults. */
export function translate(vaddr: i64, access: i32): i64 {
  const priv = access == 2 ? getPriv() : effectiveDataPriv();
  if (!translateAddress(<u64>vaddr, 1, <u32>access, priv, false)) return -1;
  return <i64>translatedAddr;
}

/** The clock step at which an enabled timer next fires; -1 if none can wake the hart. */
export function timerWakeStep(): i64 {
  syncIdleClock();
  return <i64>wakeStep();
}

export function mtime(): i64 {
  syncIdleClock();
  return <i64>mtimeNow();
}

/** Parks the active hart in slot `slot`. */
export function saveHart(slot: i32): void {
  if (slot < 0 || slot >= MAX_HARTS) return;
  const at = HART_SLOTS + <usize>slot * HART_SLOT_SIZE;
  memory.copy(at, HART, HART_STATE_SIZE);
  memory.copy(at + HART_STATE_SIZE, TLB, TLB_SIZE);
}

/** Makes the hart parked in slot `slot` the active one. */
export function loadHart(slot: i32): void {
  if (slot < 0 || slot >= MAX_HARTS) return;
  const at = HART_SLOTS + <usize>slot * HART_SLOT_SIZE;
  memory.copy(HART, at, HART_STATE_SIZE);
  memory.copy(TLB, at + HART_STATE_SIZE, TLB_SIZE);
  selectTlbs();
  setInterruptCheck(true);
  setTimerCheck(true);
}


// --- SMP: the LR value of a parked hart ---
// SC compares memory with the value its LR read (QEMU's way). That value lives in a global,
// not in the hart's state block, so saveHart/loadHart do not carry it: the host reads it
// before parking a hart and writes it back when the hart is active again.
import { reservationValue as lrValue, setReservationValue as setLrValue } from './state';

/** The value the active hart's last LR read (its reservation's value). */
export function reservedValue(): i64 {
  return <i64>lrValue;
}

/** Sets the active hart's LR value (restoring a hart brought back by loadHart). */
export function setReservedValue(value: i64): void {
  setLrValue(<u64>value);
}
