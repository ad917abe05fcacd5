/**
 * Random 32-bit and 16-bit words, made safe to run inside the harness. A random word
 * keeps its encoding wherever it cannot escape; otherwise the fields that could are
 * rewritten, or the word is replaced:
 *   - an rd field (bits 11:7) naming sp, gp, s0 or s1 gets another register (for stores
 *     and branches those bits are immediate bits: rewriting them is harmless);
 *   - loads, stores, AMOs, LR, cache-block and hypervisor memory ops get a scratch base
 *     register (their 12-bit offset, or none, stays inside the scratch buffer);
 *   - SC is preceded by an SC to the sink word, so it fails deterministically;
 *   - branches and jal keep their condition and link register but get a forward target;
 *     jalr, c.jr and c.jalr become a controlled register jump;
 *   - CSR instructions get a CSR number chosen by csrs.ts;
 *   - wfi (may wait forever: nothing is enabled to wake it), and mret/sret in the modes
 *     where they would succeed and leave the segment, are replaced;
 *   - Zba/Zbb/Zbc/Zbs instructions are replaced in programs whose profile has no B (QEMU
 *     would run them, the emulator under test need not), and ctzw always (bitmanip.ts).
 * FP loads and stores (LOAD-FP, STORE-FP, c.fld, c.fsd, c.fldsp, c.fsdsp) get a scratch
 * base like integer ones; an FP instruction writing an f register keeps it (no f register
 * is reserved), one writing an integer register gets the rd rule above.
 * In RV32 programs the RVC map differs: quadrant 1 funct3 001 is c.jal (a forward jump
 * here, as c.j), and c.flw / c.flwsp (quadrant 0 / 2, funct3 011) write an f register
 * (replaced in a quiet segment) where RV64 has c.ld / c.ldsp.
 * Everything else runs as generated, which is the point: most random words are illegal.
 */
import { decodeBitmanip, isCtzw } from './bitmanip';
import { Mode } from './csrs';
import * as E from './encode';
import { writesFloatRegister, writesIntegerRegister } from './float';
import type { Prng } from './prng';
import { RESERVED, type Item, type Profile, type ScratchBase, type Word, item, word16, word32 } from './program';

export interface SanitizeContext {
  rng: Prng;
  mode: Mode;
  /** The extensions the program may use (B words are replaced without bitmanip). */
  profile: Profile;
  /** No f register may be written (program.ts, SegmentPlan.floatQuiet). */
  floatQuiet: boolean;
  /** A register random code may write. */
  writable(): number;
  scratchBase(): ScratchBase;
  /** A scratch base for a load/store of `size` bytes at offset `imm` from it. */
  memoryBase(imm: number, size: number): ScratchBase;
  /** A scratch base usable by an AMO (see paging.ts, amoFaultDiffersInQemu). */
  amoBase(): ScratchBase;
  /** Bases whose page is readable and writable for sure in this segment. */
  alwaysReadWriteBases(): ScratchBase[];
  /** Items ahead for a forward control transfer. */
  distance(): number;
  /** A CSR number for a CSR instruction (csrs.ts, chooseCsr). */
  csr(writes: boolean, maybeZero: boolean): number;
  /** A controlled jump through a register, linking to rd. */
  registerJump(rd: number, compressed: boolean): Item;
  /** Words after which no LR reservation is valid. */
  clearReservation(): Word[];
  /** An ordinary instruction to use instead of an unusable word. */
  replacement(): Item;
}

const field = (w: number, hi: number, lo: number): number => (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
const setField = (w: number, hi: number, lo: number, v: number): number => {
  const mask = ((1 << (hi - lo + 1)) - 1) << lo;
  return ((w & ~mask) | ((v << lo) & mask)) >>> 0;
};

function fixRd(w: number, ctx: SanitizeContext): number {
  return RESERVED.has(field(w, 11, 7)) ? setField(w, 11, 7, ctx.writable()) : w;
}

/** rd' of the 3-bit register fields: x8 (s0) and x9 (s1) are reserved. */
function fixRdPrime(h: number, hi: number, lo: number, ctx: SanitizeContext): number {
  return field(h, hi, lo) < 2 ? setField(h, hi, lo, ctx.rng.range(2, 7)) : h;
}

export function sanitize32(raw: number, ctx: SanitizeContext): Item {
  let w = writesIntegerRegister(raw >>> 0) ? fixRd(raw >>> 0, ctx) : raw >>> 0;
  if (!ctx.profile.bitmanip && decodeBitmanip(w)) return ctx.replacement();
  if (isCtzw(w)) return ctx.replacement(); // QEMU 7.2 deviation 9: see bitmanip.ts
  if (ctx.floatQuiet && writesFloatRegister(w)) return ctx.replacement();
  const opcode = w & 0x7f;
  const f3 = field(w, 14, 12);
  const withBase = (x: number): number => setField(x, 19, 15, ctx.scratchBase().reg);
  switch (opcode) {
    case 0x03: // LOAD
    case 0x07: { // LOAD-FP (and vector loads): illegal with FS = VS = Off, but keep them bounded
      const base = ctx.memoryBase((w | 0) >> 20, 1 << (f3 & 3));
      return item('rand32-mem', word32(setField(w, 19, 15, base.reg)));
    }
    case 0x23: // STORE
    case 0x27: { // STORE-FP
      const base = ctx.memoryBase((((w | 0) >> 25) << 5) | field(w, 11, 7), 1 << (f3 & 3));
      return item('rand32-mem', word32(setField(w, 19, 15, base.reg)));
    }
    case 0x0f: // MISC-MEM: fence and fence.i ignore their reserved fields; others may address memory
      return item('rand32-fence', word32(f3 <= 1 ? w : withBase(w)));
    case 0x2f: { // AMO
      const f5 = field(w, 31, 27);
      if (f5 === E.FUNCT5_SC && (f3 === 2 || f3 === 3)) {
        const bases = ctx.alwaysReadWriteBases();
        if (bases.length === 0) return ctx.replacement();
        return item('rand32-sc', ...ctx.clearReservation(), word32(setField(w, 19, 15, ctx.rng.pick(bases).reg)));
      }
      return item('rand32-amo', word32(setField(w, 19, 15, ctx.amoBase().reg)));
    }
    case 0x63: { // BRANCH
      if (f3 === 2 || f3 === 3) return item('rand32-illegal-branch', word32(w));
      const rs1 = field(w, 19, 15), rs2 = field(w, 24, 20);
      return item('rand32-branch', word32(w, {
        anchor: 0, distance: ctx.distance(), maxReach: 4094, encode: (off) => E.bType(f3, rs1, rs2, off),
      }));
    }
    case 0x67: // JALR
      return f3 === 0 ? ctx.registerJump(field(w, 11, 7), false) : item('rand32-illegal-jalr', word32(w));
    case 0x6f: { // JAL
      const rd = field(w, 11, 7);
      return item('rand32-jal', word32(w, {
        anchor: 0, distance: ctx.distance(), maxReach: (1 << 20) - 2, encode: (off) => E.jal(rd, off),
      }));
    }
    case 0x73: { // SYSTEM
      if (f3 === 0) {
        if (w === E.WFI) return ctx.replacement();
        if (w === E.MRET && ctx.mode === Mode.M) return ctx.replacement();
        if (w === E.SRET && ctx.mode !== Mode.U) return ctx.replacement();
        return item('rand32-system', word32(w));
      }
      if (f3 === 4) return item('rand32-hypervisor-mem', word32(withBase(w))); // hlv/hsv: H is off
      const src = field(w, 19, 15);
      const writes = f3 === 1 || f3 === 5 || src !== 0;
      w = setField(w, 31, 20, ctx.csr(writes, (f3 === 2 || f3 === 3) && src !== 0));
      return item('rand32-csr', word32(w));
    }
    default:
      return item('rand32', word32(w));
  }
}

export function sanitize16(raw: number, ctx: SanitizeContext): Item {
  let h = raw & 0xffff;
  const quadrant = h & 3;
  const f3 = field(h, 15, 13);
  if (ctx.profile.xlen === 32) {
    if (quadrant === 1 && f3 === 1) { // c.jal
      return item('rand16-jump', word16(h, {
        anchor: 0, distance: ctx.distance(), maxReach: 2046, encode: (off) => (E.cJ(off) & ~0xe000) | (1 << 13),
      }));
    }
    if (quadrant === 0 && f3 === 3) { // c.flw
      if (ctx.floatQuiet) return ctx.replacement();
      return item('rand16-mem', word16(setField(h, 9, 7, ctx.rng.range(0, 1))));
    }
    if (quadrant === 2 && f3 === 3) { // c.flwsp
      if (ctx.floatQuiet) return ctx.replacement();
      return item('rand16', word16(h));
    }
  }
  const base = (): number => ctx.rng.range(0, 1); // rs1' = s0 or s1
  if (quadrant === 0) {
    switch (f3) {
      case 0: // c.addi4spn
        return item('rand16', word16(fixRdPrime(h, 4, 2, ctx)));
      case 2: // c.lw
      case 3: // c.ld
        h = fixRdPrime(h, 4, 2, ctx);
        return item('rand16-mem', word16(setField(h, 9, 7, base())));
      case 1: // c.fld
        if (ctx.floatQuiet) return ctx.replacement();
        return item('rand16-mem', word16(setField(h, 9, 7, base())));
      case 5: // c.fsd
      case 6: // c.sw
      case 7: // c.sd
        return item('rand16-mem', word16(setField(h, 9, 7, base())));
      default: // reserved
        return item('rand16', word16(h));
    }
  }
  if (quadrant === 1) {
    switch (f3) {
      case 0: // c.addi / c.nop
      case 1: // c.addiw
      case 2: // c.li
        return item('rand16', word16(fixRd(h, ctx)));
      case 3: { // c.addi16sp (rd = 2) or c.lui
        const rd = field(h, 11, 7);
        const immZero = field(h, 12, 12) === 0 && field(h, 6, 2) === 0;
        if (rd === 2 && immZero) return item('rand16', word16(h)); // reserved encoding
        return item('rand16', word16(rd === 2 ? setField(h, 11, 7, ctx.writable()) : fixRd(h, ctx)));
      }
      case 4:
        return item('rand16', word16(fixRdPrime(h, 9, 7, ctx)));
      case 5:
        return item('rand16-jump', word16(h, {
          anchor: 0, distance: ctx.distance(), maxReach: 2046, encode: (off) => E.cJ(off),
        }));
      default: { // c.beqz / c.bnez
        const rs1p = field(h, 9, 7);
        return item('rand16-branch', word16(h, {
          anchor: 0, distance: ctx.distance(), maxReach: 254, encode: (off) => E.cBranch(f3, rs1p, off),
        }));
      }
    }
  }
  // quadrant 2
  if (f3 === 4) {
    const bit12 = field(h, 12, 12), rs1 = field(h, 11, 7), rs2 = field(h, 6, 2);
    if (rs2 === 0 && rs1 !== 0) return ctx.registerJump(bit12 ? 1 : 0, true); // c.jr / c.jalr
    return item('rand16', word16(rs2 === 0 ? h : fixRd(h, ctx))); // c.ebreak, reserved, c.mv, c.add
  }
  if (f3 === 1 && ctx.floatQuiet) return ctx.replacement(); // c.fldsp
  if (f3 <= 3) return item('rand16', word16(f3 === 1 ? h : fixRd(h, ctx))); // c.slli, c.fldsp (f rd), c.lwsp, c.ldsp
  return item('rand16-mem', word16(h)); // c.fsdsp, c.swsp, c.sdsp: sp-relative, bounded offsets
}
