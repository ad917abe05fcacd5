// RV64C executed directly (unprivileged spec chapter 16, tables 16.5-16.7): one jump table on
// quadrant and funct3, without expanding to 32-bit form first. Reserved encodings are illegal.
import { CAUSE_BREAKPOINT } from './layout';
import { getX, setX, raise, sext32 } from './state';
import { load32, load64, store32, store64 } from './memory';
import { trapPending } from './state';
import { fpLoad, fpStore } from './fp';
import { illegal } from './execute';

/** Bits hi..lo of a compressed instruction. */
@inline export function bits(c: u32, hi: u32, lo: u32): u32 {
  return (c >> lo) & ((1 << (hi - lo + 1)) - 1);
}

/** Sign-extends the low `width` bits of `value` to 64 bits. */
@inline export function signExtend(value: u32, width: u32): u64 {
  const shift = 32 - width;
  return <u64><i64>((<i32>(value << shift)) >> shift);
}

/** CL/CS offsets: c.lw/c.sw/c.flw/c.fsw scale by 4, c.ld/c.sd/c.fld/c.fsd by 8. */
@inline export function offsetW(c: u32): u64 {
  return <u64>((bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6));
}

@inline export function offsetD(c: u32): u64 {
  return <u64>((bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6));
}

/** c.lwsp / c.flwsp offset: uimm[5] = 12, uimm[4:2] = 6:4, uimm[7:6] = 3:2. */
@inline export function offsetLwsp(c: u32): u64 {
  return <u64>((bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6));
}

/** c.swsp / c.fswsp offset: uimm[5:2] = 12:9, uimm[7:6] = 8:7. */
@inline export function offsetSwsp(c: u32): u64 {
  return <u64>((bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6));
}

/** c.j / c.jal offset[11|4|9:8|10|6|7|3:1|5], sign-extended. */
@inline export function offsetJ(c: u32): u64 {
  const imm = (bits(c, 12, 12) << 11) | (bits(c, 11, 11) << 4) | (bits(c, 10, 9) << 8)
    | (bits(c, 8, 8) << 10) | (bits(c, 7, 7) << 6) | (bits(c, 6, 6) << 7) | (bits(c, 5, 3) << 1)
    | (bits(c, 2, 2) << 5);
  return signExtend(imm, 12);
}

/** Executes the 16-bit instruction `c` at `pc`; returns the next pc. */
@inline export function executeCompressed(c: u32, pc: u64): u64 {
  const next = pc + 2;
  const rdP = bits(c, 4, 2) + 8; // rd' / rs2'
  const rs1P = bits(c, 9, 7) + 8; // rs1' / rd'
  const rd = bits(c, 11, 7);
  const rs2 = bits(c, 6, 2);
  switch (((c & 3) << 3) | (c >> 13)) {
    case 0x00: { // c.addi4spn (nzuimm = 0 is reserved, which makes 0x0000 illegal)
      const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 3);
      if (imm == 0) break;
      setX(rdP, getX(2) + <u64>imm);
      return next;
    }
    case 0x02: { // c.lw
      const v = load32(getX(rs1P) + offsetW(c));
      if (!trapPending) setX(rdP, sext32(v));
      return next;
    }
    case 0x03: { // c.ld
      const v = load64(getX(rs1P) + offsetD(c));
      if (!trapPending) setX(rdP, v);
      return next;
    }
    case 0x01: fpLoad(c, rdP, getX(rs1P) + offsetD(c), 8); return next; // c.fld
    case 0x05: fpStore(c, rdP, getX(rs1P) + offsetD(c), 8); return next; // c.fsd
    case 0x06: store32(getX(rs1P) + offsetW(c), getX(rdP)); return next; // c.sw
    case 0x07: store64(getX(rs1P) + offsetD(c), getX(rdP)); return next; // c.sd
    case 0x08: // c.addi, c.nop (HINTs with rd = 0 or imm = 0 execute as such)
      setX(rd, getX(rd) + signExtend((bits(c, 12, 12) << 5) | rs2, 6));
      return next;
    case 0x09: // c.addiw (rd = 0 is reserved)
      if (rd == 0) break;
      setX(rd, sext32(getX(rd) + signExtend((bits(c, 12, 12) << 5) | rs2, 6)));
      return next;
    case 0x0a: // c.li
      setX(rd, signExtend((bits(c, 12, 12) << 5) | rs2, 6));
      return next;
    case 0x0b: {
      if (rd == 2) { // c.addi16sp (0 is reserved)
        const imm = (bits(c, 12, 12) << 9) | (bits(c, 6, 6) << 4) | (bits(c, 5, 5) << 6)
          | (bits(c, 4, 3) << 7) | (bits(c, 2, 2) << 5);
        if (imm == 0) break;
        setX(2, getX(2) + signExtend(imm, 10));
        return next;
      }
      // c.lui (0 is reserved)
      const imm = (bits(c, 12, 12) << 5) | rs2;
      if (imm == 0) break;
      setX(rd, signExtend(imm, 6) << 12);
      return next;
    }
    case 0x0c: { // c.srli, c.srai, c.andi, c.sub, c.xor, c.or, c.and, c.subw, c.addw
      const a = getX(rs1P);
      const shamt = <u64>((bits(c, 12, 12) << 5) | rs2);
      switch (bits(c, 11, 10)) {
        case 0: setX(rs1P, a >> shamt); return next;
        case 1: setX(rs1P, <u64>(<i64>a >> <i64>shamt)); return next;
        case 2: setX(rs1P, a & signExtend((bits(c, 12, 12) << 5) | rs2, 6)); return next;
      }
      const b = getX(rdP);
      const f2 = bits(c, 6, 5);
      if (bits(c, 12, 12) == 0) {
        if (f2 == 0) setX(rs1P, a - b);
        else if (f2 == 1) setX(rs1P, a ^ b);
        else if (f2 == 2) setX(rs1P, a | b);
        else setX(rs1P, a & b);
        return next;
      }
      if (f2 == 0) { setX(rs1P, sext32(a - b)); return next; }
      if (f2 == 1) { setX(rs1P, sext32(a + b)); return next; }
      break;
    }
    case 0x0d: return pc + offsetJ(c); // c.j
    case 0x0e: case 0x0f: { // c.beqz, c.bnez
      const imm = (bits(c, 12, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6)
        | (bits(c, 4, 3) << 1) | (bits(c, 2, 2) << 5);
      const zero = getX(rs1P) == 0;
      return zero == ((c >> 13) == 6) ? pc + signExtend(imm, 9) : next;
    }
    case 0x10: // c.slli
      setX(rd, getX(rd) << <u64>((bits(c, 12, 12) << 5) | rs2));
      return next;
    case 0x11: // c.fldsp
      fpLoad(c, rd, getX(2) + <u64>((bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6)), 8);
      return next;
    case 0x15: // c.fsdsp
      fpStore(c, rs2, getX(2) + <u64>((bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6)), 8);
      return next;
    case 0x12: { // c.lwsp (rd = 0 is reserved)
      if (rd == 0) break;
      const v = load32(getX(2) + offsetLwsp(c));
      if (!trapPending) setX(rd, sext32(v));
      return next;
    }
    case 0x13: { // c.ldsp (rd = 0 is reserved)
      if (rd == 0) break;
      const v = load64(getX(2) + <u64>((bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6)));
      if (!trapPending) setX(rd, v);
      return next;
    }
    case 0x14:
      if (bits(c, 12, 12) == 0) {
        if (rs2 == 0) { // c.jr (rs1 = 0 is reserved)
          if (rd == 0) break;
          return getX(rd) & ~<u64>1;
        }
        setX(rd, getX(rs2)); // c.mv
        return next;
      }
      if (rs2 == 0) {
        if (rd == 0) { // c.ebreak
          raise(CAUSE_BREAKPOINT, 0);
          return next;
        }
        const target = getX(rd) & ~<u64>1; // c.jalr
        setX(1, next);
        return target;
      }
      setX(rd, getX(rd) + getX(rs2)); // c.add
      return next;
    case 0x16: // c.swsp
      store32(getX(2) + offsetSwsp(c), getX(rs2));
      return next;
    case 0x17: // c.sdsp
      store64(getX(2) + <u64>((bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6)), getX(rs2));
      return next;
  }
  // Reserved encodings.
  illegal(c);
  return next;
}
