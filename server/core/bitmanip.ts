// Zba, Zbb, Zbc and Zbs (Bit-Manipulation 1.0.0, chapter 2) for execute.ts's OP, OP-32, OP-IMM
// and OP-IMM-32 paths (RV64) and execute32.ts's OP and OP-IMM paths (RV32, at the end); false
// means "not mine", and the caller raises illegal instruction.
import { setX } from './state';

@inline function sext32(v: u64): u64 {
  return <u64><i64><i32>v;
}

@inline function zext32(v: u64): u64 {
  return v & 0xffffffff;
}

/** Low 64 bits of the carry-less product (clmul, section 2.11). */
function clmul(a: u64, b: u64): u64 {
  let r: u64 = 0;
  while (b != 0) {
    r ^= a << ctz<u64>(b);
    b &= b - 1;
  }
  return r;
}

/** Bits 127:64 of the carry-less product (clmulh, section 2.12); bit 0 of b adds nothing there. */
function clmulh(a: u64, b: u64): u64 {
  let r: u64 = 0;
  b &= ~<u64>1;
  while (b != 0) {
    r ^= a >> (64 - ctz<u64>(b));
    b &= b - 1;
  }
  return r;
}

/** Bits 126:63 of the carry-less product (clmulr, section 2.13). */
function clmulr(a: u64, b: u64): u64 {
  let r: u64 = 0;
  while (b != 0) {
    r ^= a >> (63 - ctz<u64>(b));
    b &= b - 1;
  }
  return r;
}

/** orc.b: each byte becomes 0xff if it is non-zero, else 0x00 (section 2.16). */
@inline function orcB(a: u64): u64 {
  const low7: u64 = 0x7f7f7f7f7f7f7f7f;
  // Bit 7 of each byte: set when the byte's low seven bits carry into it or it was set already.
  const high = (((a & low7) + low7) | a) & 0x8080808080808080;
  return (high >> 7) * 0xff;
}

/** OP-IMM (opcode 0x13) with funct3 1 or 5 and a funct6 other than slli/srli/srai. */
export function opImmBitmanip(insn: u32, rd: u32, a: u64): bool {
  const f6 = insn >> 26;
  const shamt = <u64>((insn >> 20) & 63);
  if (((insn >> 12) & 7) == 1) {
    switch (f6) {
      case 0x12: setX(rd, a & ~(<u64>1 << shamt)); return true; // bclri
      case 0x0a: setX(rd, a | (<u64>1 << shamt)); return true; // bseti
      case 0x1a: setX(rd, a ^ (<u64>1 << shamt)); return true; // binvi
      case 0x18: // Zbb unary operations: funct12 0x600-0x605
        switch (shamt) {
          case 0: setX(rd, clz<u64>(a)); return true; // clz
          case 1: setX(rd, ctz<u64>(a)); return true; // ctz
          case 2: setX(rd, popcnt<u64>(a)); return true; // cpop
          case 4: setX(rd, <u64><i64><i8>a); return true; // sext.b
          case 5: setX(rd, <u64><i64><i16>a); return true; // sext.h
        }
        return false;
    }
    return false;
  }
  // funct3 = 5
  switch (f6) {
    case 0x18: setX(rd, rotr<u64>(a, shamt)); return true; // rori
    case 0x12: setX(rd, (a >> shamt) & 1); return true; // bexti
    case 0x0a: // orc.b is funct12 0x287
      if (shamt != 0x07) return false;
      setX(rd, orcB(a));
      return true;
    case 0x1a: // rev8 (RV64) is funct12 0x6b8
      if (shamt != 0x38) return false;
      setX(rd, bswap<u64>(a));
      return true;
  }
  return false;
}

/** OP-IMM-32 (opcode 0x1b) with funct3 1 or 5 and a funct7 other than slliw/srliw/sraiw. */
export function opImm32Bitmanip(insn: u32, rd: u32, a: u64): bool {
  const f3 = (insn >> 12) & 7;
  const f12 = insn >> 20;
  if (f3 == 1) {
    if ((insn >> 26) == 0x02) { // slli.uw: 6-bit shamt
      setX(rd, zext32(a) << <u64>((insn >> 20) & 63));
      return true;
    }
    switch (f12) {
      case 0x600: setX(rd, <u64>clz<u32>(<u32>a)); return true; // clzw
      case 0x601: setX(rd, <u64>ctz<u32>(<u32>a)); return true; // ctzw
      case 0x602: setX(rd, <u64>popcnt<u32>(<u32>a)); return true; // cpopw
    }
    return false;
  }
  if (f3 == 5 && (insn >> 25) == 0x30) { // roriw
    setX(rd, sext32(<u64>rotr<u32>(<u32>a, (insn >> 20) & 31)));
    return true;
  }
  return false;
}

/** OP (opcode 0x33) with a funct7 other than 0x00 and 0x01, or 0x20 beyond sub/sra. */
export function opBitmanip(insn: u32, rd: u32, a: u64, b: u64): bool {
  const f3 = (insn >> 12) & 7;
  switch (insn >> 25) {
    case 0x20: // Zbb logical with negate
      if (f3 == 7) { setX(rd, a & ~b); return true; } // andn
      if (f3 == 6) { setX(rd, a | ~b); return true; } // orn
      if (f3 == 4) { setX(rd, ~(a ^ b)); return true; } // xnor
      return false;
    case 0x05: // Zbc carry-less multiply, Zbb min/max
      switch (f3) {
        case 1: setX(rd, clmul(a, b)); return true;
        case 2: setX(rd, clmulr(a, b)); return true;
        case 3: setX(rd, clmulh(a, b)); return true;
        case 4: setX(rd, <i64>a < <i64>b ? a : b); return true; // min
        case 5: setX(rd, a < b ? a : b); return true; // minu
        case 6: setX(rd, <i64>a > <i64>b ? a : b); return true; // max
        case 7: setX(rd, a > b ? a : b); return true; // maxu
      }
      return false;
    case 0x10: // Zba shift-and-add
      if (f3 == 2) { setX(rd, (a << 1) + b); return true; } // sh1add
      if (f3 == 4) { setX(rd, (a << 2) + b); return true; } // sh2add
      if (f3 == 6) { setX(rd, (a << 3) + b); return true; } // sh3add
      return false;
    case 0x30: // Zbb rotates; the amount is taken mod 64 as the shifts do
      if (f3 == 1) { setX(rd, rotl<u64>(a, b & 63)); return true; } // rol
      if (f3 == 5) { setX(rd, rotr<u64>(a, b & 63)); return true; } // ror
      return false;
    case 0x24: // Zbs
      if (f3 == 1) { setX(rd, a & ~(<u64>1 << (b & 63))); return true; } // bclr
      if (f3 == 5) { setX(rd, (a >> (b & 63)) & 1); return true; } // bext
      return false;
    case 0x14: // Zbs
      if (f3 == 1) { setX(rd, a | (<u64>1 << (b & 63))); return true; } // bset
      return false;
    case 0x34: // Zbs
      if (f3 == 1) { setX(rd, a ^ (<u64>1 << (b & 63))); return true; } // binv
      return false;
  }
  return false;
}

/** OP-32 (opcode 0x3b) with a funct7 other than addw/subw/shifts and the M word forms. */
export function op32Bitmanip(insn: u32, rd: u32, a: u64, b: u64): bool {
  const f3 = (insn >> 12) & 7;
  switch (insn >> 25) {
    case 0x04:
      if (f3 == 0) { setX(rd, zext32(a) + b); return true; } // add.uw
      // zext.h (RV64) is the packw encoding with rs2 = x0; packw itself is Zbkb, not implemented.
      if (f3 == 4 && ((insn >> 20) & 31) == 0) { setX(rd, a & 0xffff); return true; }
      return false;
    case 0x10: // Zba shift-and-add of the zero-extended word
      if (f3 == 2) { setX(rd, (zext32(a) << 1) + b); return true; } // sh1add.uw
      if (f3 == 4) { setX(rd, (zext32(a) << 2) + b); return true; } // sh2add.uw
      if (f3 == 6) { setX(rd, (zext32(a) << 3) + b); return true; } // sh3add.uw
      return false;
    case 0x30: // Zbb word rotates, sign-extended
      if (f3 == 1) { setX(rd, sext32(<u64>rotl<u32>(<u32>a, <u32>b & 31))); return true; } // rolw
      if (f3 == 5) { setX(rd, sext32(<u64>rotr<u32>(<u32>a, <u32>b & 31))); return true; } // rorw
      return false;
  }
  return false;
}

// --- XLEN = 32 (Bit-Manipulation 1.0.0, the RV32 forms) -------------------------------------
// Registers hold 32-bit values sign-extended to 64 bits, so andn/orn/xnor, min/max/minu/maxu
// and sext.b/sext.h need nothing new; counts, rotates and bit indexes work on the low word with
// 5-bit amounts, rev8 is imm 0x698 and zext.h is the pack encoding in OP. There are no .uw or
// word forms (OP-32 and OP-IMM-32 do not exist).

/** OP-IMM with funct3 1 or 5 and a funct7 other than slli/srli/srai, at XLEN = 32; shamt[5] = 1
 * (bit 25) is never an RV32 encoding. */
export function opImmBitmanip32(insn: u32, rd: u32, a: u64): bool {
  const shamt = (insn >> 20) & 31;
  const x = <u32>a;
  if (((insn >> 12) & 7) == 1) {
    switch (insn >> 25) {
      case 0x24: setX(rd, sext32(<u64>(x & ~(<u32>1 << shamt)))); return true; // bclri
      case 0x14: setX(rd, sext32(<u64>(x | (<u32>1 << shamt)))); return true; // bseti
      case 0x34: setX(rd, sext32(<u64>(x ^ (<u32>1 << shamt)))); return true; // binvi
      case 0x30: // Zbb unary operations: funct12 0x600-0x605
        switch (shamt) {
          case 0: setX(rd, <u64>clz<u32>(x)); return true; // clz
          case 1: setX(rd, <u64>ctz<u32>(x)); return true; // ctz
          case 2: setX(rd, <u64>popcnt<u32>(x)); return true; // cpop
          case 4: setX(rd, <u64><i64><i8>a); return true; // sext.b
          case 5: setX(rd, <u64><i64><i16>a); return true; // sext.h
        }
        return false;
    }
    return false;
  }
  // funct3 = 5
  switch (insn >> 25) {
    case 0x30: setX(rd, sext32(<u64>rotr<u32>(x, shamt))); return true; // rori
    case 0x24: setX(rd, <u64>((x >> shamt) & 1)); return true; // bexti
    case 0x14: // orc.b is funct12 0x287
      if (shamt != 0x07) return false;
      setX(rd, sext32(orcB(<u64>x)));
      return true;
    case 0x34: // rev8 (RV32) is funct12 0x698
      if (shamt != 0x18) return false;
      setX(rd, sext32(<u64>bswap<u32>(x)));
      return true;
  }
  return false;
}

/** OP with a funct7 other than 0x00 and 0x01, or 0x20 beyond sub/sra, at XLEN = 32. */
export function opBitmanip32(insn: u32, rd: u32, a: u64, b: u64): bool {
  const f3 = (insn >> 12) & 7;
  const x = <u32>a;
  const index = <u32>b & 31;
  switch (insn >> 25) {
    case 0x20: // Zbb logical with negate (sign-extended inputs give sign-extended results)
      if (f3 == 7) { setX(rd, a & ~b); return true; } // andn
      if (f3 == 6) { setX(rd, a | ~b); return true; } // orn
      if (f3 == 4) { setX(rd, ~(a ^ b)); return true; } // xnor
      return false;
    case 0x05: { // Zbc on the 63-bit carry-less product of the low words; Zbb min/max
      if (f3 >= 4) {
        switch (f3) {
          case 4: setX(rd, <i64>a < <i64>b ? a : b); return true; // min
          case 5: setX(rd, a < b ? a : b); return true; // minu (order kept by sign extension)
          case 6: setX(rd, <i64>a > <i64>b ? a : b); return true; // max
          default: setX(rd, a > b ? a : b); return true; // maxu
        }
      }
      if (f3 == 0) return false;
      const product = clmul(zext32(a), zext32(b));
      if (f3 == 1) setX(rd, sext32(product)); // clmul: bits 31:0
      else if (f3 == 2) setX(rd, sext32(product >> 31)); // clmulr: bits 62:31
      else setX(rd, sext32(product >> 32)); // clmulh: bits 63:32
      return true;
    }
    case 0x10: // Zba shift-and-add
      if (f3 == 2) { setX(rd, sext32((a << 1) + b)); return true; } // sh1add
      if (f3 == 4) { setX(rd, sext32((a << 2) + b)); return true; } // sh2add
      if (f3 == 6) { setX(rd, sext32((a << 3) + b)); return true; } // sh3add
      return false;
    case 0x30: // Zbb rotates by rs2[4:0]
      if (f3 == 1) { setX(rd, sext32(<u64>rotl<u32>(x, index))); return true; } // rol
      if (f3 == 5) { setX(rd, sext32(<u64>rotr<u32>(x, index))); return true; } // ror
      return false;
    case 0x24: // Zbs
      if (f3 == 1) { setX(rd, sext32(<u64>(x & ~(<u32>1 << index)))); return true; } // bclr
      if (f3 == 5) { setX(rd, <u64>((x >> index) & 1)); return true; } // bext
      return false;
    case 0x14: // Zbs
      if (f3 == 1) { setX(rd, sext32(<u64>(x | (<u32>1 << index)))); return true; } // bset
      return false;
    case 0x34: // Zbs
      if (f3 == 1) { setX(rd, sext32(<u64>(x ^ (<u32>1 << index)))); return true; } // binv
      return false;
    case 0x04: // zext.h (RV32) is the pack encoding with rs2 = x0; pack itself is Zbkb, not implemented
      if (f3 == 4 && ((insn >> 20) & 31) == 0) { setX(rd, a & 0xffff); return true; }
      return false;
  }
  return false;
}
