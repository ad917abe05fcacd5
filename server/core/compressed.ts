// RV64C: expands each 16-bit instruction into the 32-bit instruction it stands for
// (unprivileged spec, chapter 16, table 16.5-16.7); 0 marks a reserved or illegal encoding.

@inline function bits(c: u32, hi: u32, lo: u32): u32 {
  return (c >> lo) & ((1 << (hi - lo + 1)) - 1);
}

@inline function encodeI(imm: i32, rs1: u32, f3: u32, rd: u32, opcode: u32): u32 {
  return ((<u32>imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
}

@inline function encodeS(imm: i32, rs2: u32, rs1: u32, f3: u32, opcode: u32): u32 {
  const u = <u32>imm;
  return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) | opcode;
}

@inline function encodeR(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, opcode: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
}

function encodeB(imm: i32, rs2: u32, rs1: u32, f3: u32): u32 {
  const u = <u32>imm;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
    | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}

function encodeJ(imm: i32, rd: u32): u32 {
  const u = <u32>imm;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20)
    | (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

/** Sign-extends the low `width` bits of `value`. */
@inline function signExtend(value: u32, width: u32): i32 {
  const shift = 32 - width;
  return (<i32>(value << shift)) >> shift;
}

const OP_LOAD: u32 = 0x03;
const OP_LOAD_FP: u32 = 0x07;
const OP_IMM: u32 = 0x13;
const OP_IMM_32: u32 = 0x1b;
const OP_STORE: u32 = 0x23;
const OP_STORE_FP: u32 = 0x27;
const OP: u32 = 0x33;
const OP_LUI: u32 = 0x37;
const OP_32: u32 = 0x3b;
const OP_JALR: u32 = 0x67;
const EBREAK: u32 = 0x00100073;

export function expandCompressed(c: u32): u32 {
  const f3 = c >> 13;
  const quadrant = c & 3;
  const rdP = bits(c, 4, 2) + 8; // rd' / rs2'
  const rs1P = bits(c, 9, 7) + 8; // rs1' / rd'
  const rd = bits(c, 11, 7);
  const rs2 = bits(c, 6, 2);
  if (quadrant == 0) {
    // CL/CS offsets: c.lw/c.sw scale by 4, c.ld/c.sd/c.fld/c.fsd by 8.
    const offsetW = (bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6);
    const offsetD = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
    switch (f3) {
      case 0: {
        const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 3);
        if (imm == 0) return 0; // c.addi4spn with 0 is reserved (and 0x0000 is illegal)
        return encodeI(<i32>imm, 2, 0, rdP, OP_IMM);
      }
      case 1: return encodeI(<i32>offsetD, rs1P, 3, rdP, OP_LOAD_FP); // c.fld
      case 2: return encodeI(<i32>offsetW, rs1P, 2, rdP, OP_LOAD); // c.lw
      case 3: return encodeI(<i32>offsetD, rs1P, 3, rdP, OP_LOAD); // c.ld
      case 5: return encodeS(<i32>offsetD, rdP, rs1P, 3, OP_STORE_FP); // c.fsd
      case 6: return encodeS(<i32>offsetW, rdP, rs1P, 2, OP_STORE); // c.sw
      case 7: return encodeS(<i32>offsetD, rdP, rs1P, 3, OP_STORE); // c.sd
    }
    return 0;
  }
  if (quadrant == 1) {
    const imm6 = signExtend((bits(c, 12, 12) << 5) | bits(c, 6, 2), 6);
    switch (f3) {
      case 0: return encodeI(imm6, rd, 0, rd, OP_IMM); // c.addi, c.nop
      case 1:
        if (rd == 0) return 0; // c.addiw with rd = 0 is reserved
        return encodeI(imm6, rd, 0, rd, OP_IMM_32);
      case 2: return encodeI(imm6, 0, 0, rd, OP_IMM); // c.li
      case 3: {
        if (rd == 2) {
          const imm = signExtend((bits(c, 12, 12) << 9) | (bits(c, 6, 6) << 4) | (bits(c, 5, 5) << 6)
            | (bits(c, 4, 3) << 7) | (bits(c, 2, 2) << 5), 10);
          if (imm == 0) return 0;
          return encodeI(imm, 2, 0, 2, OP_IMM); // c.addi16sp
        }
        if (imm6 == 0) return 0; // c.lui with 0 is reserved
        return ((<u32>imm6 & 0xfffff) << 12) | (rd << 7) | OP_LUI;
      }
      case 4: {
        const shamt = (bits(c, 12, 12) << 5) | bits(c, 6, 2);
        switch (bits(c, 11, 10)) {
          case 0: return encodeI(<i32>shamt, rs1P, 5, rs1P, OP_IMM); // c.srli
          case 1: return encodeI(<i32>(shamt | 0x400), rs1P, 5, rs1P, OP_IMM); // c.srai
          case 2: return encodeI(imm6, rs1P, 7, rs1P, OP_IMM); // c.andi
        }
        const f2 = bits(c, 6, 5);
        if (bits(c, 12, 12) == 0) {
          if (f2 == 0) return encodeR(0x20, rdP, rs1P, 0, rs1P, OP); // c.sub
          if (f2 == 1) return encodeR(0, rdP, rs1P, 4, rs1P, OP); // c.xor
          if (f2 == 2) return encodeR(0, rdP, rs1P, 6, rs1P, OP); // c.or
          return encodeR(0, rdP, rs1P, 7, rs1P, OP); // c.and
        }
        if (f2 == 0) return encodeR(0x20, rdP, rs1P, 0, rs1P, OP_32); // c.subw
        if (f2 == 1) return encodeR(0, rdP, rs1P, 0, rs1P, OP_32); // c.addw
        return 0;
      }
      case 5: {
        const imm = signExtend((bits(c, 12, 12) << 11) | (bits(c, 11, 11) << 4) | (bits(c, 10, 9) << 8)
          | (bits(c, 8, 8) << 10) | (bits(c, 7, 7) << 6) | (bits(c, 6, 6) << 7) | (bits(c, 5, 3) << 1)
          | (bits(c, 2, 2) << 5), 12);
        return encodeJ(imm, 0); // c.j
      }
      default: {
        const imm = signExtend((bits(c, 12, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6)
          | (bits(c, 4, 3) << 1) | (bits(c, 2, 2) << 5), 9);
        return encodeB(imm, 0, rs1P, f3 == 6 ? 0 : 1); // c.beqz, c.bnez
      }
    }
  }
  if (quadrant == 2) {
    switch (f3) {
      case 0: return encodeI(<i32>((bits(c, 12, 12) << 5) | rs2), rd, 1, rd, OP_IMM); // c.slli
      case 1: // c.fldsp
        return encodeI(<i32>((bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6)), 2, 3, rd, OP_LOAD_FP);
      case 2: // c.lwsp
        if (rd == 0) return 0;
        return encodeI(<i32>((bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6)), 2, 2, rd, OP_LOAD);
      case 3: // c.ldsp
        if (rd == 0) return 0;
        return encodeI(<i32>((bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6)), 2, 3, rd, OP_LOAD);
      case 4:
        if (bits(c, 12, 12) == 0) {
          if (rs2 == 0) {
            if (rd == 0) return 0; // c.jr with rs1 = 0 is reserved
            return encodeI(0, rd, 0, 0, OP_JALR); // c.jr
          }
          return encodeR(0, rs2, 0, 0, rd, OP); // c.mv
        }
        if (rs2 == 0) {
          if (rd == 0) return EBREAK; // c.ebreak
          return encodeI(0, rd, 0, 1, OP_JALR); // c.jalr
        }
        return encodeR(0, rs2, rd, 0, rd, OP); // c.add
      case 5: // c.fsdsp
        return encodeS(<i32>((bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6)), rs2, 2, 3, OP_STORE_FP);
      case 6: // c.swsp
        return encodeS(<i32>((bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6)), rs2, 2, 2, OP_STORE);
      case 7: // c.sdsp
        return encodeS(<i32>((bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6)), rs2, 2, 3, OP_STORE);
    }
  }
  return 0;
}
