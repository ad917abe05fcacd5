// Traps: taking exceptions and interrupts with delegation (privileged spec 1.12, 3.1.6-3.1.9,
// 3.3.1), the interrupt priority order, and the return instructions mret and sret.
import {
  CSR_MSTATUS, CSR_MEDELEG, CSR_MIDELEG, CSR_MIE, CSR_MTVEC, CSR_MEPC, CSR_MCAUSE, CSR_MTVAL,
  CSR_STVEC, CSR_SEPC, CSR_SCAUSE, CSR_STVAL, HART_WFI, HART_TRAPS, HART_LAST_CAUSE,
  HART_LAST_TVAL, HART_LAST_EPC, HART_LAST_TARGET, CATCH_EXCEPTIONS, CATCH_INTERRUPTS,
  DEBUG_FLAGS, DEBUG_NO_INTERRUPTS, STOP_ARG, STOP_TRAP,
} from './layout';
import {
  PRIV_M, PRIV_S, PRIV_U, MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP,
  MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_MPRV, getPriv, setPriv, setPc, getPc, isRv32, requestStop,
} from './state';
import { readMip, storeMstatus } from './csr';

const INTERRUPT_BIT: u64 = <u64>1 << 63;

/** Takes a trap: `cause` has bit 63 set for interrupts (mcause/scause get bit 31 at XLEN = 32). */
export function takeTrap(cause: u64, tval: u64, epc: u64): void {
  const priv = getPriv();
  const interrupt = (cause & INTERRUPT_BIT) != 0;
  const code = cause & 63;
  const xcause = interrupt && isRv32() ? (<u64>1 << 31) | code : cause;
  const delegation = interrupt ? load<u64>(CSR_MIDELEG) : load<u64>(CSR_MEDELEG);
  const toS = priv <= PRIV_S && ((delegation >> code) & 1) != 0;
  let mstatus = load<u64>(CSR_MSTATUS);
  let vector: u64;
  if (toS) {
    store<u64>(CSR_SEPC, epc);
    store<u64>(CSR_SCAUSE, xcause);
    store<u64>(CSR_STVAL, tval);
    // SPIE <- SIE, SIE <- 0, SPP <- previous privilege.
    mstatus = (mstatus & ~(MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP))
      | ((mstatus & MSTATUS_SIE) != 0 ? MSTATUS_SPIE : 0)
      | (priv == PRIV_S ? MSTATUS_SPP : 0);
    vector = load<u64>(CSR_STVEC);
    setPriv(PRIV_S);
  } else {
    store<u64>(CSR_MEPC, epc);
    store<u64>(CSR_MCAUSE, xcause);
    store<u64>(CSR_MTVAL, tval);
    mstatus = (mstatus & ~(MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP))
      | ((mstatus & MSTATUS_MIE) != 0 ? MSTATUS_MPIE : 0)
      | (<u64>priv << MSTATUS_MPP_SHIFT);
    vector = load<u64>(CSR_MTVEC);
    setPriv(PRIV_M);
  }
  storeMstatus(mstatus);
  // Vectored mode sends interrupts to BASE + 4 * cause.
  let target = vector & ~<u64>3;
  if (interrupt && (vector & 3) == 1) target += code << 2;
  setPc(target);
  store<u32>(HART_WFI, 0);
  store<u64>(HART_TRAPS, load<u64>(HART_TRAPS) + 1);
  store<u64>(HART_LAST_CAUSE, cause);
  store<u64>(HART_LAST_TVAL, tval);
  store<u64>(HART_LAST_EPC, epc);
  store<u32>(HART_LAST_TARGET, toS ? PRIV_S : PRIV_M);
  // A debugger's `catch`: stop with the handler's first instruction not yet run.
  const caught = interrupt ? load<u64>(CATCH_INTERRUPTS) : load<u64>(CATCH_EXCEPTIONS);
  if (((caught >> code) & 1) != 0) {
    store<u64>(STOP_ARG, cause);
    requestStop(STOP_TRAP);
  }
}

/** Pending and enabled interrupts, whether or not they can be taken now (for wfi). */
export function pendingEnabled(): u64 {
  return readMip() & load<u64>(CSR_MIE);
}

// Priority (3.1.9): MEI, MSI, MTI, SEI, SSI, STI.
function highest(bits: u64): u64 {
  if (bits & (1 << 11)) return 11;
  if (bits & (1 << 3)) return 3;
  if (bits & (1 << 7)) return 7;
  if (bits & (1 << 9)) return 9;
  if (bits & (1 << 1)) return 1;
  if (bits & (1 << 5)) return 5;
  return 64;
}

/** Takes the highest-priority interrupt that is enabled in the current mode; true if taken. */
@inline export function checkInterrupts(): bool {
  if ((load<u32>(DEBUG_FLAGS) & DEBUG_NO_INTERRUPTS) != 0) return false;
  const pending = pendingEnabled();
  if (pending == 0) return false;
  const priv = getPriv();
  const mstatus = load<u64>(CSR_MSTATUS);
  const delegated = load<u64>(CSR_MIDELEG);
  // M-level interrupts: enabled below M, or in M with mstatus.MIE.
  const mEnabled = priv < PRIV_M || (mstatus & MSTATUS_MIE) != 0;
  let take = mEnabled ? pending & ~delegated : 0;
  if (take == 0) {
    // S-level (delegated) interrupts: enabled in U, or in S with mstatus.SIE; never in M.
    const sEnabled = priv == PRIV_U || (priv == PRIV_S && (mstatus & MSTATUS_SIE) != 0);
    take = sEnabled ? pending & delegated : 0;
  }
  if (take == 0) return false;
  takeTrap(INTERRUPT_BIT | highest(take), 0, getPc());
  return true;
}

/** mret: returns to MPP with MIE <- MPIE; leaving M clears MPRV (1.12). Returns the new pc. */
export function doMret(): u64 {
  let mstatus = load<u64>(CSR_MSTATUS);
  const previous = <u32>((mstatus >> MSTATUS_MPP_SHIFT) & 3);
  mstatus = (mstatus & ~(MSTATUS_MIE | MSTATUS_MPP)) | ((mstatus & MSTATUS_MPIE) != 0 ? MSTATUS_MIE : 0) | MSTATUS_MPIE;
  if (previous != PRIV_M) mstatus &= ~MSTATUS_MPRV;
  setPriv(previous);
  storeMstatus(mstatus);
  return load<u64>(CSR_MEPC);
}

/** sret: returns to SPP with SIE <- SPIE; clears MPRV (the new mode is never M). Returns the new pc. */
export function doSret(): u64 {
  let mstatus = load<u64>(CSR_MSTATUS);
  const previous = (mstatus & MSTATUS_SPP) != 0 ? PRIV_S : PRIV_U;
  mstatus = (mstatus & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | ((mstatus & MSTATUS_SPIE) != 0 ? MSTATUS_SIE : 0) | MSTATUS_SPIE;
  setPriv(previous);
  storeMstatus(mstatus);
  return load<u64>(CSR_SEPC);
}

export { MSTATUS_MPP };
