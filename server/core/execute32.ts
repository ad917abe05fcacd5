// Decode and execute one 32-bit instruction at XLEN = 32: RV32I, M, A, F, D, Zicsr, Zifencei,
// Zba/Zbb/Zbc/Zbs and the privileged instructions (unprivileged spec 20191213 chapter 2 and the
// RV32 columns of its listings). Registers keep 64-bit storage holding 32-bit values
// sign-extended, so comparisons, branches, and/or/xor, sra and the narrow loads work as on
// RV64; results that can carry past bit 31 are sign-extended again (sext32), and effective
// addresses and the pc are cut to 32 bits (they wrap at 2^32). The RV64-only encodings (OP-32,
// OP-IMM-32, ld/sd/lwu, shifts with shamt[5] = 1, the .d AMOs) are illegal. Dispatch is on
// opcode bits [6:2], as in execute.ts.
import {
  getX, setX, trapPending, sext32,
} from './state';
import { load8, load16, load32, store8, store16, store32 } from './memory';
import {
  illegal, immI, immS, immB, immJ, div32, divu32, rem32, remu32, amo, system, branchTaken,
} from './execute';
import { opImmBitmanip32, opBitmanip32 } from './bitmanip';
import { fpLoad, fpStore, executeFma, executeOpFp32 } from './fp';

/** A 32-bit address or pc from a 64-bit sum: wraps at 2^32. */
@inline export function addr32(v: u64): u64 {
  return v & 0xffffffff;
}

@inline function opImm(insn: u32, rd: u32, a: u64): void {
  const imm = immI(insn);
  const shamt = (insn >> 20) & 31;
  switch ((insn >> 12) & 7) {
    case 0: setX(rd, sext32(a + imm)); return; // addi
    case 1: // slli; funct7 other than 0 (shamt[5] = 1 included) is bit-manipulation or illegal
      if ((insn >> 25) == 0) { setX(rd, sext32(a << <u64>shamt)); return; }
      if (opImmBitmanip32(insn, rd, a)) return;
      break;
    case 2: setX(rd, <i64>a < <i64>imm ? 1 : 0); return; // slti
    case 3: setX(rd, a < imm ? 1 : 0); return; // sltiu: sign extension keeps the unsigned order
    case 4: setX(rd, a ^ imm); return;
    case 5: {
      const f7 = insn >> 25;
      if (f7 == 0) { setX(rd, sext32(<u64>(<u32>a >> shamt))); return; } // srli
      if (f7 == 0x20) { setX(rd, <u64>(<i64>a >> <i64>shamt)); return; } // srai
      if (opImmBitmanip32(insn, rd, a)) return;
      break;
    }
    case 6: setX(rd, a | imm); return;
    case 7: setX(rd, a & imm); return;
  }
  illegal(insn);
}

@inline function op(insn: u32, rd: u32, a: u64, b: u64): void {
  const f3 = (insn >> 12) & 7;
  const f7 = insn >> 25;
  const shamt = b & 31;
  if (f7 == 0) {
    switch (f3) {
      case 0: setX(rd, sext32(a + b)); return;
      case 1: setX(rd, sext32(a << shamt)); return;
      case 2: setX(rd, <i64>a < <i64>b ? 1 : 0); return;
      case 3: setX(rd, a < b ? 1 : 0); return;
      case 4: setX(rd, a ^ b); return;
      case 5: setX(rd, sext32(<u64>(<u32>a >> <u32>shamt))); return;
      case 6: setX(rd, a | b); return;
      default: setX(rd, a & b); return;
    }
  }
  if (f7 == 0x20) {
    if (f3 == 0) { setX(rd, sext32(a - b)); return; }
    if (f3 == 5) { setX(rd, <u64>(<i64>a >> <i64>shamt)); return; }
  } else if (f7 == 1) {
    // The 64-bit product of two 32-bit values is exact in 64 bits: mulh* take its high word.
    switch (f3) {
      case 0: setX(rd, sext32(a * b)); return; // mul
      case 1: setX(rd, sext32(<u64>((<i64>a * <i64>b) >> 32))); return; // mulh
      case 2: setX(rd, sext32(<u64>((<i64>a * <i64>(b & 0xffffffff)) >> 32))); return; // mulhsu
      case 3: setX(rd, sext32(((a & 0xffffffff) * (b & 0xffffffff)) >> 32)); return; // mulhu
      case 4: setX(rd, div32(a, b)); return;
      case 5: setX(rd, divu32(a, b)); return;
      case 6: setX(rd, rem32(a, b)); return;
      default: setX(rd, remu32(a, b)); return;
    }
  }
  if (opBitmanip32(insn, rd, a, b)) return;
  illegal(insn);
}

@inline function loadOp(insn: u32, rd: u32, addr: u64): void {
  let v: u64;
  switch ((insn >> 12) & 7) {
    case 0: v = <u64><i64><i8>load8(addr); break;
    case 1: v = <u64><i64><i16>load16(addr); break;
    case 2: v = sext32(load32(addr)); break;
    case 4: v = load8(addr); break;
    case 5: v = load16(addr); break;
    default: illegal(insn); return; // ld, lwu and the reserved funct3 7
  }
  // A faulting load must leave rd unchanged.
  if (!trapPending) setX(rd, v);
}

@inline function storeOp(insn: u32, addr: u64, v: u64): void {
  switch ((insn >> 12) & 7) {
    case 0: store8(addr, v); return;
    case 1: store16(addr, v); return;
    case 2: store32(addr, v); return;
  }
  illegal(insn); // sd and the reserved funct3 4..7
}

/** Executes one 32-bit instruction at `pc` (a 32-bit address) and returns the next pc. */
export function execute32(insn: u32, pc: u64): u64 {
  const next = addr32(pc + 4);
  const rd = (insn >> 7) & 31;
  const rs1 = (insn >> 15) & 31;
  const rs2 = (insn >> 20) & 31;
  switch ((insn >> 2) & 31) {
    case 0x00: loadOp(insn, rd, addr32(getX(rs1) + immI(insn))); return next; // LOAD
    case 0x03: // MISC-MEM: fence, fence.i
      if (((insn >> 12) & 7) > 1) illegal(insn);
      return next;
    case 0x04: opImm(insn, rd, getX(rs1)); return next; // OP-IMM
    case 0x05: setX(rd, sext32(pc + <u64>(insn & 0xfffff000))); return next; // AUIPC
    case 0x08: storeOp(insn, addr32(getX(rs1) + immS(insn)), getX(rs2)); return next; // STORE
    case 0x0b: // AMO: the .w forms only
      if (((insn >> 12) & 7) != 2) { illegal(insn); return next; }
      amo(insn, rd, addr32(getX(rs1)), getX(rs2));
      return next;
    case 0x0c: op(insn, rd, getX(rs1), getX(rs2)); return next; // OP
    case 0x0d: setX(rd, <u64><i64><i32>(insn & 0xfffff000)); return next; // LUI
    case 0x18: { // BRANCH
      const taken = branchTaken(insn, getX(rs1), getX(rs2));
      if (taken < 0) { illegal(insn); return next; }
      return taken != 0 ? addr32(pc + immB(insn)) : next;
    }
    case 0x19: { // JALR
      if (((insn >> 12) & 7) != 0) { illegal(insn); return next; }
      const target = addr32(getX(rs1) + immI(insn)) & ~<u64>1;
      setX(rd, sext32(next));
      return target;
    }
    case 0x1b: // JAL
      setX(rd, sext32(next));
      return addr32(pc + immJ(insn));
    case 0x1c: return system(insn, rd, rs1, next); // SYSTEM
    case 0x01: { // LOAD-FP: flw, fld
      const f3 = (insn >> 12) & 7;
      if (f3 != 2 && f3 != 3) { illegal(insn); return next; }
      fpLoad(insn, rd, addr32(getX(rs1) + immI(insn)), f3 == 2 ? 4 : 8);
      return next;
    }
    case 0x09: { // STORE-FP: fsw, fsd
      const f3 = (insn >> 12) & 7;
      if (f3 != 2 && f3 != 3) { illegal(insn); return next; }
      fpStore(insn, rs2, addr32(getX(rs1) + immS(insn)), f3 == 2 ? 4 : 8);
      return next;
    }
    case 0x10: case 0x11: case 0x12: case 0x13: // FMADD, FMSUB, FNMSUB, FNMADD
      executeFma(insn, (insn >> 2) & 3, rd, rs1, rs2);
      return next;
    case 0x14: executeOpFp32(insn, rd, rs1, rs2); return next; // OP-FP
  }
  // OP-IMM-32, OP-32, reserved and custom opcodes.
  illegal(insn);
  return next;
}
