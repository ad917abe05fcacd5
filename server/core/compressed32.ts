// RV32C executed directly (unprivileged spec chapter 16, tables 16.5-16.7, the RV32 column):
// as compressed.ts, but c.jal where RV64 has c.addiw, c.flw / c.fsw / c.flwsp / c.fswsp where
// RV64 has c.ld / c.sd / c.ldsp / c.sdsp, no c.subw / c.addw, and c.slli / c.srli / c.srai with
// shamt[5] = 1 illegal (custom code points on RV32; none is implemented, and QEMU 7.2 makes them
// illegal too). Results that can carry past bit 31 are sign-extended, addresses and the pc cut
// to 32 bits (see execute32.ts).
import { CAUSE_BREAKPOINT } from './layout';
import { getX, setX, raise, trapPending, sext32 } from './state';
import { load32, store32 } from './memory';
import { fpLoad, fpStore } from './fp';
import { addr32 } from './execute32';
import { illegal } from './execute';
import { bits, signExtend, offsetW, offsetD, offsetLwsp, offsetSwsp, offsetJ } from './compressed';

/** Executes the 16-bit instruction `c` at `pc` (a 32-bit address); returns the next pc. */
@inline export function executeCompressed32(c: u32, pc: u64): u64 {
  const next = addr32(pc + 2);
  const rdP = bits(c, 4, 2) + 8; // rd' / rs2'
  const rs1P = bits(c, 9, 7) + 8; // rs1' / rd'
  const rd = bits(c, 11, 7);
  const rs2 = bits(c, 6, 2);
  switch (((c & 3) << 3) | (c >> 13)) {
    case 0x00: { // c.addi4spn (nzuimm = 0 is reserved, which makes 0x0000 illegal)
      const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 3);
      if (imm == 0) break;
      setX(rdP, sext32(getX(2) + <u64>imm));
      return next;
    }
    case 0x01: fpLoad(c, rdP, addr32(getX(rs1P) + offsetD(c)), 8); return next; // c.fld
    case 0x02: { // c.lw
      const v = load32(addr32(getX(rs1P) + offsetW(c)));
      if (!trapPending) setX(rdP, sext32(v));
      return next;
    }
    case 0x03: fpLoad(c, rdP, addr32(getX(rs1P) + offsetW(c)), 4); return next; // c.flw
    case 0x05: fpStore(c, rdP, addr32(getX(rs1P) + offsetD(c)), 8); return next; // c.fsd
    case 0x06: store32(addr32(getX(rs1P) + offsetW(c)), getX(rdP)); return next; // c.sw
    case 0x07: fpStore(c, rdP, addr32(getX(rs1P) + offsetW(c)), 4); return next; // c.fsw
    case 0x08: // c.addi, c.nop (HINTs with rd = 0 or imm = 0 execute as such)
      setX(rd, sext32(getX(rd) + signExtend((bits(c, 12, 12) << 5) | rs2, 6)));
      return next;
    case 0x09: // c.jal: links pc + 2
      setX(1, sext32(next));
      return addr32(pc + offsetJ(c));
    case 0x0a: // c.li
      setX(rd, signExtend((bits(c, 12, 12) << 5) | rs2, 6));
      return next;
    case 0x0b: {
      if (rd == 2) { // c.addi16sp (0 is reserved)
        const imm = (bits(c, 12, 12) << 9) | (bits(c, 6, 6) << 4) | (bits(c, 5, 5) << 6)
          | (bits(c, 4, 3) << 7) | (bits(c, 2, 2) << 5);
        if (imm == 0) break;
        setX(2, sext32(getX(2) + signExtend(imm, 10)));
        return next;
      }
      // c.lui (0 is reserved)
      const imm = (bits(c, 12, 12) << 5) | rs2;
      if (imm == 0) break;
      setX(rd, signExtend(imm, 6) << 12);
      return next;
    }
    case 0x0c: { // c.srli, c.srai, c.andi, c.sub, c.xor, c.or, c.and
      const a = getX(rs1P);
      const f2 = bits(c, 11, 10);
      if (f2 < 2 && bits(c, 12, 12) != 0) break; // c.srli / c.srai with shamt[5] = 1
      switch (f2) {
        case 0: setX(rs1P, sext32(<u64>(<u32>a >> rs2))); return next;
        case 1: setX(rs1P, <u64>(<i64>a >> <i64>rs2)); return next;
        case 2: setX(rs1P, a & signExtend((bits(c, 12, 12) << 5) | rs2, 6)); return next;
      }
      if (bits(c, 12, 12) != 0) break; // c.subw, c.addw and the reserved pair: not RV32
      const b = getX(rdP);
      const op = bits(c, 6, 5);
      if (op == 0) setX(rs1P, sext32(a - b));
      else if (op == 1) setX(rs1P, a ^ b);
      else if (op == 2) setX(rs1P, a | b);
      else setX(rs1P, a & b);
      return next;
    }
    case 0x0d: return addr32(pc + offsetJ(c)); // c.j
    case 0x0e: case 0x0f: { // c.beqz, c.bnez
      const imm = (bits(c, 12, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6)
        | (bits(c, 4, 3) << 1) | (bits(c, 2, 2) << 5);
      const zero = getX(rs1P) == 0;
      return zero == ((c >> 13) == 6) ? addr32(pc + signExtend(imm, 9)) : next;
    }
    case 0x10: // c.slli (shamt[5] = 1 is not RV32)
      if (bits(c, 12, 12) != 0) break;
      setX(rd, sext32(getX(rd) << <u64>rs2));
      return next;
    case 0x11: // c.fldsp
      fpLoad(c, rd, addr32(getX(2) + <u64>((bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6))), 8);
      return next;
    case 0x12: { // c.lwsp (rd = 0 is reserved)
      if (rd == 0) break;
      const v = load32(addr32(getX(2) + offsetLwsp(c)));
      if (!trapPending) setX(rd, sext32(v));
      return next;
    }
    case 0x13: fpLoad(c, rd, addr32(getX(2) + offsetLwsp(c)), 4); return next; // c.flwsp
    case 0x14:
      if (bits(c, 12, 12) == 0) {
        if (rs2 == 0) { // c.jr (rs1 = 0 is reserved)
          if (rd == 0) break;
          return addr32(getX(rd)) & ~<u64>1;
        }
        setX(rd, getX(rs2)); // c.mv
        return next;
      }
      if (rs2 == 0) {
        if (rd == 0) { // c.ebreak
          raise(CAUSE_BREAKPOINT, 0);
          return next;
        }
        const target = addr32(getX(rd)) & ~<u64>1; // c.jalr
        setX(1, sext32(next));
        return target;
      }
      setX(rd, sext32(getX(rd) + getX(rs2))); // c.add
      return next;
    case 0x15: // c.fsdsp
      fpStore(c, rs2, addr32(getX(2) + <u64>((bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6))), 8);
      return next;
    case 0x16: store32(addr32(getX(2) + offsetSwsp(c)), getX(rs2)); return next; // c.swsp
    case 0x17: fpStore(c, rs2, addr32(getX(2) + offsetSwsp(c)), 4); return next; // c.fswsp
  }
  // Reserved encodings, and the RV64/RV128-only ones.
  illegal(c);
  return next;
}
