// Decode and execute one 32-bit instruction of RV64I, M, A, Zicsr, Zifencei, Zba/Zbb/Zbc/Zbs and the
// privileged instructions; dispatch is on opcode bits [6:2] so it compiles to a jump table.
import {
  HART_RES_ADDR, HART_RES_VALID, HART_WFI, CSR_MSTATUS,
  CAUSE_ILLEGAL_INSTRUCTION, CAUSE_BREAKPOINT, CAUSE_ECALL_U, CAUSE_MISALIGNED_STORE, STOP_WFI,
  WATCH_READ, WATCH_WRITE,
} from './layout';
import {
  getX, setX, raise, requestStop, getPriv, reservationValue, setReservationValue, isRv32, sext32,
  PRIV_M, PRIV_S, PRIV_U, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW,
} from './state';
import {
  load8, load16, load32, load64, store8, store16, store32, store64, atomicAddress, tlbFlushAll,
} from './memory';
import { csrRead, csrWrite, csrIllegal, csrModifyBase } from './csr';
import { doMret, doSret, pendingEnabled } from './trap';
import { opImmBitmanip, opImm32Bitmanip, opBitmanip, op32Bitmanip } from './bitmanip';
import { executeLoadFp, executeStoreFp, executeFma, executeOpFp } from './fp';
import { wideHi, mulWide } from './wide';

/** A BRANCH's condition on sign-extended operands (right for RV32 too): 1 taken, 0 not,
 * -1 for the reserved funct3 values 2 and 3. */
@inline export function branchTaken(insn: u32, a: u64, b: u64): i32 {
  switch ((insn >> 12) & 7) {
    case 0: return a == b ? 1 : 0;
    case 1: return a != b ? 1 : 0;
    case 4: return <i64>a < <i64>b ? 1 : 0;
    case 5: return <i64>a >= <i64>b ? 1 : 0;
    case 6: return a < b ? 1 : 0;
    case 7: return a >= b ? 1 : 0;
  }
  return -1;
}

/** Raises illegal instruction with the instruction's bits as tval (as QEMU 7.2 does). */
export function illegal(insn: u32): void {
  raise(CAUSE_ILLEGAL_INSTRUCTION, <u64>insn);
}


@inline export function immI(insn: u32): u64 {
  return <u64><i64>(<i32>insn >> 20);
}

@inline export function immS(insn: u32): u64 {
  return <u64><i64>(((<i32>insn >> 25) << 5) | <i32>((insn >> 7) & 0x1f));
}

@inline export function immB(insn: u32): u64 {
  const v = ((<i32>insn >> 31) << 12) | <i32>(((insn >> 7) & 1) << 11) | <i32>(((insn >> 25) & 0x3f) << 5)
    | <i32>(((insn >> 8) & 0xf) << 1);
  return <u64><i64>v;
}

@inline export function immJ(insn: u32): u64 {
  const v = ((<i32>insn >> 31) << 20) | <i32>(insn & 0xff000) | <i32>(((insn >> 20) & 1) << 11)
    | <i32>(((insn >> 21) & 0x3ff) << 1);
  return <u64><i64>v;
}

/** High 64 bits of the unsigned 128-bit product (wasm has no 128-bit multiply). */
function mulhu(a: u64, b: u64): u64 {
  mulWide(a, b);
  return wideHi;
}

function mulh(a: u64, b: u64): u64 {
  let hi = mulhu(a, b);
  if (<i64>a < 0) hi -= b;
  if (<i64>b < 0) hi -= a;
  return hi;
}

function mulhsu(a: u64, b: u64): u64 {
  let hi = mulhu(a, b);
  if (<i64>a < 0) hi -= b;
  return hi;
}

// Division as RISC-V defines it: no traps, fixed results for x/0 and MIN/-1 (M chapter 7.2).
function div64(a: u64, b: u64): u64 {
  if (b == 0) return U64.MAX_VALUE;
  if (a == 0x8000000000000000 && b == U64.MAX_VALUE) return a;
  return <u64>(<i64>a / <i64>b);
}

function divu64(a: u64, b: u64): u64 {
  return b == 0 ? U64.MAX_VALUE : a / b;
}

function rem64(a: u64, b: u64): u64 {
  if (b == 0) return a;
  if (a == 0x8000000000000000 && b == U64.MAX_VALUE) return 0;
  return <u64>(<i64>a % <i64>b);
}

function remu64(a: u64, b: u64): u64 {
  return b == 0 ? a : a % b;
}

export function div32(a: u64, b: u64): u64 {
  const x = <i32>a;
  const y = <i32>b;
  if (y == 0) return U64.MAX_VALUE;
  if (x == I32.MIN_VALUE && y == -1) return sext32(<u64>x);
  return <u64><i64>(x / y);
}

export function divu32(a: u64, b: u64): u64 {
  const x = <u32>a;
  const y = <u32>b;
  if (y == 0) return U64.MAX_VALUE;
  return sext32(<u64>(x / y));
}

export function rem32(a: u64, b: u64): u64 {
  const x = <i32>a;
  const y = <i32>b;
  if (y == 0) return <u64><i64>x;
  if (x == I32.MIN_VALUE && y == -1) return 0;
  return <u64><i64>(x % y);
}

export function remu32(a: u64, b: u64): u64 {
  const x = <u32>a;
  const y = <u32>b;
  if (y == 0) return sext32(<u64>x);
  return sext32(<u64>(x % y));
}

@inline export function opImm(insn: u32, rd: u32, a: u64): void {
  const imm = immI(insn);
  switch ((insn >> 12) & 7) {
    case 0: setX(rd, a + imm); return;
    case 1:
      if ((insn >> 26) != 0) { if (opImmBitmanip(insn, rd, a)) return; break; }
      setX(rd, a << (imm & 63)); return;
    case 2: setX(rd, <i64>a < <i64>imm ? 1 : 0); return;
    case 3: setX(rd, a < imm ? 1 : 0); return;
    case 4: setX(rd, a ^ imm); return;
    case 5: {
      const f6 = insn >> 26;
      if (f6 == 0) { setX(rd, a >> (imm & 63)); return; }
      if (f6 == 0x10) { setX(rd, <u64>(<i64>a >> <i64>(imm & 63))); return; }
      if (opImmBitmanip(insn, rd, a)) return;
      break;
    }
    case 6: setX(rd, a | imm); return;
    case 7: setX(rd, a & imm); return;
  }
  illegal(insn);
}

@inline export function opImm32(insn: u32, rd: u32, a: u64): void {
  const f3 = (insn >> 12) & 7;
  const f7 = insn >> 25;
  const shamt = (insn >> 20) & 31;
  if (f3 == 0) { setX(rd, sext32(a + immI(insn))); return; }
  if (f3 == 1 && f7 == 0) { setX(rd, sext32(<u64>(<u32>a << shamt))); return; }
  if (f3 == 5 && f7 == 0) { setX(rd, sext32(<u64>(<u32>a >> shamt))); return; }
  if (f3 == 5 && f7 == 0x20) { setX(rd, <u64><i64>(<i32>a >> shamt)); return; }
  if (opImm32Bitmanip(insn, rd, a)) return;
  illegal(insn);
}

@inline export function op(insn: u32, rd: u32, a: u64, b: u64): void {
  const f3 = (insn >> 12) & 7;
  const f7 = insn >> 25;
  if (f7 == 0) {
    switch (f3) {
      case 0: setX(rd, a + b); return;
      case 1: setX(rd, a << (b & 63)); return;
      case 2: setX(rd, <i64>a < <i64>b ? 1 : 0); return;
      case 3: setX(rd, a < b ? 1 : 0); return;
      case 4: setX(rd, a ^ b); return;
      case 5: setX(rd, a >> (b & 63)); return;
      case 6: setX(rd, a | b); return;
      default: setX(rd, a & b); return;
    }
  }
  if (f7 == 0x20) {
    if (f3 == 0) { setX(rd, a - b); return; }
    if (f3 == 5) { setX(rd, <u64>(<i64>a >> <i64>(b & 63))); return; }
  } else if (f7 == 1) {
    switch (f3) {
      case 0: setX(rd, a * b); return;
      case 1: setX(rd, mulh(a, b)); return;
      case 2: setX(rd, mulhsu(a, b)); return;
      case 3: setX(rd, mulhu(a, b)); return;
      case 4: setX(rd, div64(a, b)); return;
      case 5: setX(rd, divu64(a, b)); return;
      case 6: setX(rd, rem64(a, b)); return;
      default: setX(rd, remu64(a, b)); return;
    }
  }
  if (opBitmanip(insn, rd, a, b)) return;
  illegal(insn);
}

@inline export function op32(insn: u32, rd: u32, a: u64, b: u64): void {
  const f3 = (insn >> 12) & 7;
  const f7 = insn >> 25;
  const shamt = <u32>b & 31;
  if (f7 == 0) {
    if (f3 == 0) { setX(rd, sext32(a + b)); return; }
    if (f3 == 1) { setX(rd, sext32(<u64>(<u32>a << shamt))); return; }
    if (f3 == 5) { setX(rd, sext32(<u64>(<u32>a >> shamt))); return; }
  } else if (f7 == 0x20) {
    if (f3 == 0) { setX(rd, sext32(a - b)); return; }
    if (f3 == 5) { setX(rd, <u64><i64>(<i32>a >> shamt)); return; }
  } else if (f7 == 1) {
    switch (f3) {
      case 0: setX(rd, sext32(a * b)); return;
      case 4: setX(rd, div32(a, b)); return;
      case 5: setX(rd, divu32(a, b)); return;
      case 6: setX(rd, rem32(a, b)); return;
      case 7: setX(rd, remu32(a, b)); return;
    }
  }
  if (op32Bitmanip(insn, rd, a, b)) return;
  illegal(insn);
}

@inline export function loadOp(insn: u32, rd: u32, addr: u64): void {
  let v: u64;
  switch ((insn >> 12) & 7) {
    case 0: v = <u64><i64><i8>load8(addr); break;
    case 1: v = <u64><i64><i16>load16(addr); break;
    case 2: v = sext32(load32(addr)); break;
    case 3: v = load64(addr); break;
    case 4: v = load8(addr); break;
    case 5: v = load16(addr); break;
    case 6: v = load32(addr); break;
    default: illegal(insn); return;
  }
  // A faulting load must leave rd unchanged.
  if (!trapRaised()) setX(rd, v);
}

import { trapPending } from './state';
@inline function trapRaised(): bool {
  return trapPending;
}

@inline export function storeOp(insn: u32, addr: u64, v: u64): void {
  switch ((insn >> 12) & 7) {
    case 0: store8(addr, v); return;
    case 1: store16(addr, v); return;
    case 2: store32(addr, v); return;
    case 3: store64(addr, v); return;
  }
  illegal(insn);
}

export function amo(insn: u32, rd: u32, addr: u64, src: u64): void {
  const f3 = (insn >> 12) & 7;
  if (f3 != 2 && f3 != 3) { illegal(insn); return; }
  const word = f3 == 2;
  const size: u32 = word ? 4 : 8;
  const f5 = insn >> 27;
  if (f5 == 0x02) {
    // lr: rs2 must be zero.
    if (((insn >> 20) & 31) != 0) { illegal(insn); return; }
    const host = atomicAddress(addr, size, true, WATCH_READ);
    if (trapRaised()) return;
    const v = word ? sext32(<u64>load<u32>(host)) : load<u64>(host);
    store<u64>(HART_RES_ADDR, addr);
    store<u32>(HART_RES_VALID, 1);
    setReservationValue(v);
    setX(rd, v);
    return;
  }
  if (f5 == 0x03) {
    // sc: a misaligned address traps first (A chapter 8.2: address-misaligned, whatever the
    // reservation; QEMU 7.2 fails such an SC instead). Then it fails without touching memory
    // unless the reservation covers this address, and succeeds if memory still holds the
    // value LR read (as QEMU implements it).
    if ((addr & (<u64>size - 1)) != 0) {
      raise(CAUSE_MISALIGNED_STORE, addr);
      return;
    }
    if (load<u32>(HART_RES_VALID) == 0 || load<u64>(HART_RES_ADDR) != addr) {
      store<u32>(HART_RES_VALID, 0);
      setX(rd, 1);
      return;
    }
    const host = atomicAddress(addr, size, false, WATCH_WRITE);
    if (trapRaised()) return;
    store<u32>(HART_RES_VALID, 0);
    const current = word ? sext32(<u64>load<u32>(host)) : load<u64>(host);
    if (current != reservationValue) { setX(rd, 1); return; }
    if (word) store<u32>(host, <u32>src); else store<u64>(host, src);
    setX(rd, 0);
    return;
  }
  switch (f5) {
    case 0x00: case 0x01: case 0x04: case 0x08: case 0x0c: case 0x10: case 0x14: case 0x18: case 0x1c: break;
    default: illegal(insn); return;
  }
  const host = atomicAddress(addr, size, false, WATCH_READ | WATCH_WRITE);
  if (trapRaised()) return;
  const old = word ? sext32(<u64>load<u32>(host)) : load<u64>(host);
  const b = word ? sext32(src) : src;
  let result: u64;
  switch (f5) {
    case 0x00: result = old + b; break;
    case 0x01: result = b; break;
    case 0x04: result = old ^ b; break;
    case 0x08: result = old | b; break;
    case 0x0c: result = old & b; break;
    case 0x10: result = <i64>old < <i64>b ? old : b; break;
    case 0x14: result = <i64>old > <i64>b ? old : b; break;
    case 0x18: result = (word ? <u32>old < <u32>b : old < b) ? old : b; break;
    default: result = (word ? <u32>old > <u32>b : old > b) ? old : b; break;
  }
  if (word) store<u32>(host, <u32>result); else store<u64>(host, result);
  setX(rd, old);
}

/** SYSTEM: ecall, ebreak, the privileged instructions and Zicsr. @inline (with csrInstruction):
 * execute and execute32 each keep a copy, as execute did when it was the only caller. */
@inline export function system(insn: u32, rd: u32, rs1: u32, next: u64): u64 {
  const f3 = (insn >> 12) & 7;
  if (f3 == 0 || f3 == 4) return systemPrivileged(insn, next);
  csrInstruction(insn, rd, rs1, f3);
  return next;
}

@inline function csrInstruction(insn: u32, rd: u32, rs1: u32, f3: u32): void {
  const csr = insn >> 20;
  const isWrite = (f3 & 3) == 1 || rs1 != 0; // csrrw(i) always writes; csrrs/c(i) only with rs1 != 0
  const operand: u64 = f3 >= 5 ? <u64>rs1 : getX(rs1);
  // csrrw(i) with rd = x0 does not read the CSR.
  let old: u64 = 0;
  if ((f3 & 3) != 1 || rd != 0) {
    old = csrRead(csr, true);
    if (csrIllegal) { illegal(insn); return; }
  }
  if (isWrite) {
    let value = operand;
    if ((f3 & 3) == 2) value = csrModifyBase(csr, old) | operand;
    else if ((f3 & 3) == 3) value = csrModifyBase(csr, old) & ~operand;
    csrWrite(csr, value, true);
    if (csrIllegal) { illegal(insn); return; }
  }
  // RV32 CSRs read as 32-bit values; the register holds them sign-extended.
  setX(rd, isRv32() ? sext32(old) : old);
}

/** ecall, ebreak, mret, sret, wfi, sfence.vma; returns the next pc. */
function systemPrivileged(insn: u32, next: u64): u64 {
  const priv = getPriv();
  const mstatus = load<u64>(CSR_MSTATUS);
  if (insn == 0x00000073) { // ecall
    raise(CAUSE_ECALL_U + <u64>priv, 0);
    return next;
  }
  if (insn == 0x00100073) { // ebreak
    raise(CAUSE_BREAKPOINT, 0);
    return next;
  }
  if (insn == 0x30200073) { // mret
    if (priv != PRIV_M) { illegal(insn); return next; }
    return doMret();
  }
  if (insn == 0x10200073) { // sret
    if (priv == PRIV_U || (priv == PRIV_S && (mstatus & MSTATUS_TSR) != 0)) { illegal(insn); return next; }
    return doSret();
  }
  if (insn == 0x10500073) { // wfi
    if (priv == PRIV_U || (priv == PRIV_S && (mstatus & MSTATUS_TW) != 0)) { illegal(insn); return next; }
    // Retires at once; the hart then waits unless an enabled interrupt is already pending.
    if (pendingEnabled() == 0) {
      store<u32>(HART_WFI, 1);
      requestStop(STOP_WFI);
    }
    return next;
  }
  if ((insn & 0xfe007fff) == 0x12000073) { // sfence.vma
    if (priv == PRIV_U || (priv == PRIV_S && (mstatus & MSTATUS_TVM) != 0)) { illegal(insn); return next; }
    tlbFlushAll();
    return next;
  }
  illegal(insn);
  return next;
}

/** Executes one 32-bit instruction at `pc` and returns the next pc. */
export function execute(insn: u32, pc: u64): u64 {
  const next = pc + 4;
  const rd = (insn >> 7) & 31;
  const rs1 = (insn >> 15) & 31;
  const rs2 = (insn >> 20) & 31;
  switch ((insn >> 2) & 31) {
    case 0x00: loadOp(insn, rd, getX(rs1) + immI(insn)); return next; // LOAD
    case 0x03: // MISC-MEM: fence, fence.i
      if (((insn >> 12) & 7) > 1) illegal(insn);
      return next;
    case 0x04: opImm(insn, rd, getX(rs1)); return next; // OP-IMM
    case 0x05: setX(rd, pc + <u64><i64><i32>(insn & 0xfffff000)); return next; // AUIPC
    case 0x06: opImm32(insn, rd, getX(rs1)); return next; // OP-IMM-32
    case 0x08: storeOp(insn, getX(rs1) + immS(insn), getX(rs2)); return next; // STORE
    case 0x0b: amo(insn, rd, getX(rs1), getX(rs2)); return next; // AMO
    case 0x0c: op(insn, rd, getX(rs1), getX(rs2)); return next; // OP
    case 0x0d: setX(rd, <u64><i64><i32>(insn & 0xfffff000)); return next; // LUI
    case 0x0e: op32(insn, rd, getX(rs1), getX(rs2)); return next; // OP-32
    case 0x18: { // BRANCH
      const taken = branchTaken(insn, getX(rs1), getX(rs2));
      if (taken < 0) { illegal(insn); return next; }
      return taken != 0 ? pc + immB(insn) : next;
    }
    case 0x19: { // JALR
      if (((insn >> 12) & 7) != 0) { illegal(insn); return next; }
      const target = (getX(rs1) + immI(insn)) & ~<u64>1;
      setX(rd, next);
      return target;
    }
    case 0x1b: // JAL
      setX(rd, next);
      return pc + immJ(insn);
    case 0x1c: return system(insn, rd, rs1, next); // SYSTEM
    case 0x01: executeLoadFp(insn, rd, rs1); return next; // LOAD-FP
    case 0x09: executeStoreFp(insn, rs1, rs2); return next; // STORE-FP
    case 0x10: case 0x11: case 0x12: case 0x13: // FMADD, FMSUB, FNMSUB, FNMADD
      executeFma(insn, (insn >> 2) & 3, rd, rs1, rs2);
      return next;
    case 0x14: executeOpFp(insn, rd, rs1, rs2); return next; // OP-FP
  }
  // Reserved and custom opcodes.
  illegal(insn);
  return next;
}
