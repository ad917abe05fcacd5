// F and D: the f registers with NaN-boxing, fcsr (fflags, frm), mstatus.FS, and the
// floating-point loads, stores and operations (unprivileged spec chapters 11-12), with the
// arithmetic itself in softfloat.ts.
import {
  HART_F, HART_FCSR, CSR_MSTATUS, CAUSE_ILLEGAL_INSTRUCTION,
} from './layout';
import { getX, setX, raise, MSTATUS_FS, MSTATUS_SD } from './state';
import { load32, load64, store32, store64 } from './memory';
import {
  fpFlags, clearFpFlags,
  f32Add, f32Sub, f32Mul, f32Div, f32Sqrt, f32MulAdd, f32Min, f32Max, f32Eq, f32Lt, f32Le, f32Classify,
  f32ToI32, f32ToU32, f32ToI64, f32ToU64, i32ToF32, u32ToF32, i64ToF32, u64ToF32, f32ToF64, f64ToF32,
  f64Add, f64Sub, f64Mul, f64Div, f64Sqrt, f64MulAdd, f64Min, f64Max, f64Eq, f64Lt, f64Le, f64Classify,
  f64ToI32, f64ToU32, f64ToI64, f64ToU64, i32ToF64, u32ToF64, i64ToF64, u64ToF64,
} from './softfloat';
import { trapPending } from './state';

const CANONICAL_NAN_32: u32 = 0x7fc00000;
const BOX: u64 = 0xffffffff00000000;
const SIGN_32: u32 = 0x80000000;
const SIGN_64: u64 = 0x8000000000000000;
const FS_DIRTY: u64 = 3 << 13;

// --- state ---

/** mstatus.FS is Off: every FP instruction and fcsr access is illegal. */
@inline export function fpDisabled(): bool {
  return (load<u64>(CSR_MSTATUS) & MSTATUS_FS) == 0;
}

/** Any change to FP state sets mstatus.FS to Dirty, and SD with it. */
function markDirty(): void {
  const mstatus = load<u64>(CSR_MSTATUS);
  if ((mstatus & MSTATUS_FS) != FS_DIRTY) store<u64>(CSR_MSTATUS, mstatus | FS_DIRTY | MSTATUS_SD);
}

/** A single in an f register; an improperly NaN-boxed value reads as the canonical NaN. */
@inline function readS(r: u32): u32 {
  const v = load<u64>(HART_F + (<usize>r << 3));
  return (v & BOX) == BOX ? <u32>v : CANONICAL_NAN_32;
}

@inline function readD(r: u32): u64 {
  return load<u64>(HART_F + (<usize>r << 3));
}

@inline function writeS(r: u32, bits: u32): void {
  store<u64>(HART_F + (<usize>r << 3), BOX | <u64>bits);
  markDirty();
}

@inline function writeD(r: u32, bits: u64): void {
  store<u64>(HART_F + (<usize>r << 3), bits);
  markDirty();
}

/** Folds the flags the last operation raised into fflags. */
function accrue(): void {
  const flags = fpFlags;
  if (flags == 0) return;
  const fcsr = load<u32>(HART_FCSR);
  if ((fcsr | flags) != fcsr) {
    store<u32>(HART_FCSR, fcsr | flags);
    markDirty();
  }
}

export function readFflags(): u64 { return <u64>(load<u32>(HART_FCSR) & 0x1f); }
export function readFrm(): u64 { return <u64>((load<u32>(HART_FCSR) >> 5) & 7); }
export function readFcsr(): u64 { return <u64>(load<u32>(HART_FCSR) & 0xff); }

export function writeFcsr(value: u64): void {
  store<u32>(HART_FCSR, <u32>value & 0xff);
  markDirty();
}

export function writeFflags(value: u64): void {
  writeFcsr((readFcsr() & ~<u64>0x1f) | (value & 0x1f));
}

export function writeFrm(value: u64): void {
  writeFcsr((readFcsr() & 0x1f) | ((value & 7) << 5));
}

function illegal(insn: u32): void {
  raise(CAUSE_ILLEGAL_INSTRUCTION, <u64>insn);
}

/** The rounding mode of an instruction: its rm field, or frm when rm is 7 (dynamic);
 * 5 and 6, and a dynamic frm of 5..7, are reserved: returns 8 then. */
@inline function roundingMode(insn: u32): u32 {
  let rm = (insn >> 12) & 7;
  if (rm == 7) rm = <u32>readFrm();
  return rm <= 4 ? rm : 8;
}

// --- loads and stores (also used by the compressed forms) ---

/** flw (width 4) / fld (width 8) into f[rd]. */
export function fpLoad(insn: u32, rd: u32, addr: u64, width: u32): void {
  if (fpDisabled()) { illegal(insn); return; }
  if (width == 4) {
    const v = load32(addr);
    if (!trapPending) writeS(rd, <u32>v);
  } else {
    const v = load64(addr);
    if (!trapPending) writeD(rd, v);
  }
}

/** fsw / fsd of f[rs2]: the bits move unchanged (fsw stores the low 32 whatever the box). */
export function fpStore(insn: u32, rs2: u32, addr: u64, width: u32): void {
  if (fpDisabled()) { illegal(insn); return; }
  const v = load<u64>(HART_F + (<usize>rs2 << 3));
  if (width == 4) store32(addr, v); else store64(addr, v);
}

/** LOAD-FP (opcode 0x07). */
export function executeLoadFp(insn: u32, rd: u32, rs1: u32): void {
  const f3 = (insn >> 12) & 7;
  if (f3 != 2 && f3 != 3) { illegal(insn); return; }
  fpLoad(insn, rd, getX(rs1) + <u64><i64>(<i32>insn >> 20), f3 == 2 ? 4 : 8);
}

/** STORE-FP (opcode 0x27). */
export function executeStoreFp(insn: u32, rs1: u32, rs2: u32): void {
  const f3 = (insn >> 12) & 7;
  if (f3 != 2 && f3 != 3) { illegal(insn); return; }
  const offset = <u64><i64>(((<i32>insn >> 25) << 5) | <i32>((insn >> 7) & 0x1f));
  fpStore(insn, rs2, getX(rs1) + offset, f3 == 2 ? 4 : 8);
}

// --- fused multiply-add (opcodes 0x43, 0x47, 0x4b, 0x4f) ---

/** `kind` is opcode bits [3:2]: 0 fmadd, 1 fmsub, 2 fnmsub, 3 fnmadd. Negating an operand
 * by its sign bit is exact, so each form is one fused a*b+c. */
export function executeFma(insn: u32, kind: u32, rd: u32, rs1: u32, rs2: u32): void {
  const fmt = (insn >> 25) & 3;
  const rm = roundingMode(insn);
  if (fpDisabled() || fmt > 1 || rm > 4) { illegal(insn); return; }
  const rs3 = insn >> 27;
  const negateProduct = kind >= 2;
  const negateAddend = kind == 1 || kind == 3;
  clearFpFlags();
  if (fmt == 0) {
    let a = readS(rs1);
    let c = readS(rs3);
    if (negateProduct) a ^= SIGN_32;
    if (negateAddend) c ^= SIGN_32;
    writeS(rd, f32MulAdd(a, readS(rs2), c, rm));
  } else {
    let a = readD(rs1);
    let c = readD(rs3);
    if (negateProduct) a ^= SIGN_64;
    if (negateAddend) c ^= SIGN_64;
    writeD(rd, f64MulAdd(a, readD(rs2), c, rm));
  }
  accrue();
}

// --- OP-FP (opcode 0x53) ---

function opSingle(insn: u32, f5: u32, rd: u32, rs1: u32, rs2: u32): bool {
  const f3 = (insn >> 12) & 7;
  const rm = roundingMode(insn);
  switch (f5) {
    case 0x00: if (rm > 4) return false; writeS(rd, f32Add(readS(rs1), readS(rs2), rm)); return true;
    case 0x01: if (rm > 4) return false; writeS(rd, f32Sub(readS(rs1), readS(rs2), rm)); return true;
    case 0x02: if (rm > 4) return false; writeS(rd, f32Mul(readS(rs1), readS(rs2), rm)); return true;
    case 0x03: if (rm > 4) return false; writeS(rd, f32Div(readS(rs1), readS(rs2), rm)); return true;
    case 0x0b:
      if (rm > 4 || rs2 != 0) return false;
      writeS(rd, f32Sqrt(readS(rs1), rm));
      return true;
    case 0x04: { // fsgnj.s, fsgnjn.s, fsgnjx.s
      const a = readS(rs1);
      const b = readS(rs2);
      let sign: u32;
      if (f3 == 0) sign = b & SIGN_32;
      else if (f3 == 1) sign = ~b & SIGN_32;
      else if (f3 == 2) sign = (a ^ b) & SIGN_32;
      else return false;
      writeS(rd, (a & ~SIGN_32) | sign);
      return true;
    }
    case 0x05: // fmin.s, fmax.s
      if (f3 == 0) writeS(rd, f32Min(readS(rs1), readS(rs2)));
      else if (f3 == 1) writeS(rd, f32Max(readS(rs1), readS(rs2)));
      else return false;
      return true;
    case 0x08: // fcvt.s.d
      if (rm > 4 || rs2 != 1) return false;
      writeS(rd, f64ToF32(readD(rs1), rm));
      return true;
    case 0x14: { // fle.s, flt.s, feq.s
      let r: bool;
      if (f3 == 0) r = f32Le(readS(rs1), readS(rs2));
      else if (f3 == 1) r = f32Lt(readS(rs1), readS(rs2));
      else if (f3 == 2) r = f32Eq(readS(rs1), readS(rs2));
      else return false;
      setX(rd, r ? 1 : 0);
      return true;
    }
    case 0x18: { // fcvt.w.s, fcvt.wu.s, fcvt.l.s, fcvt.lu.s
      if (rm > 4) return false;
      const a = readS(rs1);
      if (rs2 == 0) setX(rd, <u64><i64><i32>f32ToI32(a, rm));
      else if (rs2 == 1) setX(rd, <u64><i64><i32>f32ToU32(a, rm));
      else if (rs2 == 2) setX(rd, f32ToI64(a, rm));
      else if (rs2 == 3) setX(rd, f32ToU64(a, rm));
      else return false;
      return true;
    }
    case 0x1a: { // fcvt.s.w, fcvt.s.wu, fcvt.s.l, fcvt.s.lu
      if (rm > 4) return false;
      const x = getX(rs1);
      if (rs2 == 0) writeS(rd, i32ToF32(<u32>x, rm));
      else if (rs2 == 1) writeS(rd, u32ToF32(<u32>x, rm));
      else if (rs2 == 2) writeS(rd, i64ToF32(x, rm));
      else if (rs2 == 3) writeS(rd, u64ToF32(x, rm));
      else return false;
      return true;
    }
    case 0x1c: // fmv.x.w, fclass.s
      if (rs2 != 0) return false;
      if (f3 == 0) setX(rd, <u64><i64><i32>load<u32>(HART_F + (<usize>rs1 << 3)));
      else if (f3 == 1) setX(rd, <u64>f32Classify(readS(rs1)));
      else return false;
      return true;
    case 0x1e: // fmv.w.x
      if (rs2 != 0 || f3 != 0) return false;
      writeS(rd, <u32>getX(rs1));
      return true;
  }
  return false;
}

function opDouble(insn: u32, f5: u32, rd: u32, rs1: u32, rs2: u32): bool {
  const f3 = (insn >> 12) & 7;
  const rm = roundingMode(insn);
  switch (f5) {
    case 0x00: if (rm > 4) return false; writeD(rd, f64Add(readD(rs1), readD(rs2), rm)); return true;
    case 0x01: if (rm > 4) return false; writeD(rd, f64Sub(readD(rs1), readD(rs2), rm)); return true;
    case 0x02: if (rm > 4) return false; writeD(rd, f64Mul(readD(rs1), readD(rs2), rm)); return true;
    case 0x03: if (rm > 4) return false; writeD(rd, f64Div(readD(rs1), readD(rs2), rm)); return true;
    case 0x0b:
      if (rm > 4 || rs2 != 0) return false;
      writeD(rd, f64Sqrt(readD(rs1), rm));
      return true;
    case 0x04: { // fsgnj.d, fsgnjn.d, fsgnjx.d
      const a = readD(rs1);
      const b = readD(rs2);
      let sign: u64;
      if (f3 == 0) sign = b & SIGN_64;
      else if (f3 == 1) sign = ~b & SIGN_64;
      else if (f3 == 2) sign = (a ^ b) & SIGN_64;
      else return false;
      writeD(rd, (a & ~SIGN_64) | sign);
      return true;
    }
    case 0x05: // fmin.d, fmax.d
      if (f3 == 0) writeD(rd, f64Min(readD(rs1), readD(rs2)));
      else if (f3 == 1) writeD(rd, f64Max(readD(rs1), readD(rs2)));
      else return false;
      return true;
    case 0x08: // fcvt.d.s (exact, but rm must still be valid)
      if (rm > 4 || rs2 != 0) return false;
      writeD(rd, f32ToF64(readS(rs1)));
      return true;
    case 0x14: { // fle.d, flt.d, feq.d
      let r: bool;
      if (f3 == 0) r = f64Le(readD(rs1), readD(rs2));
      else if (f3 == 1) r = f64Lt(readD(rs1), readD(rs2));
      else if (f3 == 2) r = f64Eq(readD(rs1), readD(rs2));
      else return false;
      setX(rd, r ? 1 : 0);
      return true;
    }
    case 0x18: { // fcvt.w.d, fcvt.wu.d, fcvt.l.d, fcvt.lu.d
      if (rm > 4) return false;
      const a = readD(rs1);
      if (rs2 == 0) setX(rd, <u64><i64><i32>f64ToI32(a, rm));
      else if (rs2 == 1) setX(rd, <u64><i64><i32>f64ToU32(a, rm));
      else if (rs2 == 2) setX(rd, f64ToI64(a, rm));
      else if (rs2 == 3) setX(rd, f64ToU64(a, rm));
      else return false;
      return true;
    }
    case 0x1a: { // fcvt.d.w, fcvt.d.wu (exact), fcvt.d.l, fcvt.d.lu
      if (rm > 4) return false;
      const x = getX(rs1);
      if (rs2 == 0) writeD(rd, i32ToF64(<u32>x, rm));
      else if (rs2 == 1) writeD(rd, u32ToF64(<u32>x, rm));
      else if (rs2 == 2) writeD(rd, i64ToF64(x, rm));
      else if (rs2 == 3) writeD(rd, u64ToF64(x, rm));
      else return false;
      return true;
    }
    case 0x1c: // fmv.x.d, fclass.d
      if (rs2 != 0) return false;
      if (f3 == 0) setX(rd, readD(rs1));
      else if (f3 == 1) setX(rd, <u64>f64Classify(readD(rs1)));
      else return false;
      return true;
    case 0x1e: // fmv.d.x
      if (rs2 != 0 || f3 != 0) return false;
      writeD(rd, getX(rs1));
      return true;
  }
  return false;
}

/** OP-FP: funct7 is funct5 (the operation) and fmt (0 single, 1 double). */
@inline export function executeOpFp(insn: u32, rd: u32, rs1: u32, rs2: u32): void {
  if (fpDisabled()) { illegal(insn); return; }
  const fmt = (insn >> 25) & 3;
  const f5 = insn >> 27;
  clearFpFlags();
  // An illegal encoding must change nothing: every check comes before a write.
  const ok = fmt == 0 ? opSingle(insn, f5, rd, rs1, rs2) : fmt == 1 ? opDouble(insn, f5, rd, rs1, rs2) : false;
  if (!ok) { illegal(insn); return; }
  accrue();
}

/** OP-FP at XLEN = 32: the conversions between FP and 64-bit integers (fcvt.l[u].s/d,
 * fcvt.s/d.l[u]) and fmv.x.d / fmv.d.x are RV64-only (unprivileged spec 11.7, 12.5). */
export function executeOpFp32(insn: u32, rd: u32, rs1: u32, rs2: u32): void {
  const f5 = insn >> 27;
  const double = ((insn >> 25) & 3) == 1;
  const long = (f5 == 0x18 || f5 == 0x1a) && (rs2 & ~1) == 2;
  const move64 = double && ((f5 == 0x1c && ((insn >> 12) & 7) == 0) || f5 == 0x1e);
  if (long || move64) { illegal(insn); return; }
  executeOpFp(insn, rd, rs1, rs2);
}
