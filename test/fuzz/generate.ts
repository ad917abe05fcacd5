/**
 * Differential fuzz program generator. From a seed it writes one assembly file (the
 * random segments plus the data the C harness in runtime/ reads), deterministically:
 * the same seed always gives the same bytes.
 *
 * A program is a list of segments, each run in one privilege mode (M, S or U; S and U
 * bare or under one of the Sv39/Sv48 maps of paging.ts) and closed by an ecall the trap
 * handler recognises by address. A segment is a list of items drawn from weighted
 * instruction classes: ALU, M-extension with edge operands, loads/stores around page
 * boundaries, AMOs (some misaligned), LR/SC pairs, every RV64C form, forward branches and
 * jumps, safe CSR accesses, system instructions, and sanitized random 32/16-bit words;
 * with the full profile also every F/D instruction (float-items.ts) and every Zba/Zbb/
 * Zbc/Zbs instruction (bitmanip.ts), f0..f31 and fcsr starting each segment from a pool
 * of interesting values and mstatus.FS Off, Initial, Clean or Dirty. With the RV32 profile
 * the same classes emit only RV32 encodings (RV32IMAFDC + Zba/Zbb/Zbc/Zbs: no W forms, no
 * ld/sd/lwu, no .d AMOs, 5-bit shift amounts, c.jal/c.flw/c.fsw/c.flwsp/c.fswsp in place of
 * c.addiw/c.ld/c.sd/c.ldsp/c.sdsp, no 64-bit FP conversions) and paged segments use Sv32.
 */
import { bitmanipItem } from './bitmanip-items';
import { Csr, Mode, chooseCsr } from './csrs';
import * as E from './encode';
import { Fs, MSTATUS_FS_SHIFT, pickFcsr, pickFloatValue } from './float';
import { floatComputeItem, floatCsrItem, floatMemoryItem } from './float-items';
import {
  GUARD_PAGE_OFFSET, PAGE_VARIANTS, amoFaultDiffersInQemu, crossingIntoGuardMayPageFault, pageAlwaysReadWrite,
  variantsFor,
} from './paging';
import { Prng } from './prng';
import {
  CONSTANT_COUNT, FULL_PROFILE, HS_CONST, HS_SINK, type Item, type Profile, REGOUT_WORDS, SCRATCH_BASES,
  SCRATCH_BYTES, type ScratchBase, type SegmentPlan, WRITABLE, type Word, item, word16, word32,
} from './program';
import { type SanitizeContext, sanitize16, sanitize32 } from './sanitize';

export interface GenerateOptions {
  seed: number;
  /** Random instructions (machine words) in the whole program. */
  instructions?: number;
  segments?: number;
  /** Extensions beyond RV64IMAC (default: all of F, D and B). */
  profile?: Profile;
}

/** What the test needs to know of a segment's FP state at entry (deviation masks). */
export interface FloatEntry {
  fs: Fs;
  fcsr: number;
}

export interface GeneratedProgram {
  seed: number;
  /** Assembly source, to be built with the files of runtime/. */
  source: string;
  /** One line per word: segment, offset, encoding, item kind (for reading a mismatch). */
  listing: string;
  /** Random machine words in all segments (the closing ecalls not counted). */
  instructionCount: number;
  segments: number;
  profile: Profile;
  /** mstatus.FS and fcsr at the entry of each segment. */
  floatEntry: readonly FloatEntry[];
  /** The word at a byte offset of a segment, as trap records name it. */
  instructionAt(segment: number, offset: number): PlacedWord | undefined;
  /** Every random word, segment by segment. */
  words: readonly (readonly PlacedWord[])[];
}

export interface PlacedWord {
  offset: number;
  size: 2 | 4;
  bits: number;
  /** The item class that produced it (e.g. `amoadd.w`, `rand32-csr`). */
  kind: string;
}

const MASK64 = (1n << 64n) - 1n;
const MASK32 = (1n << 32n) - 1n;
const s64 = (x: bigint): bigint => x & MASK64;

// RV32 subsets of the encoders' tables (generate.ts only emits these in RV32 programs).
const OP_RR_32 = E.OP_RR.filter(([, op]) => op === 0x33);
const OP_MUL_DIV_32 = E.OP_MUL_DIV.filter(([, op]) => op === 0x33);
const OP_IMM_32 = E.OP_IMM.filter(([, op]) => op === 0x13);
const OP_SHIFT_IMM_32 = E.OP_SHIFT_IMM.filter(([, op]) => op === 0x13).map(
  ([name, op, f3, f6]) => [name, op, f3, f6, 5] as const);
const LOADS_32 = E.LOADS.filter(([, f3]) => f3 !== 3 && f3 !== 6);
const STORES_32 = E.STORES.filter(([, f3]) => f3 !== 3);
/** c.jal (RV32 only): c.j's format with funct3 001, linking ra. */
const cJal = (offset: number): number => (E.cJ(offset) & ~0xe000) | (1 << 13);

/** Values that exercise the corners of shifts, compares, multiply and divide. */
const EDGE_VALUES: readonly bigint[] = [
  0n, 1n, s64(-1n), 2n, s64(-2n), 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffff80000000n,
  0x80000000n, 0x7fffffffn, 0xffffffffn, 0x100000000n, s64(-0x80000001n), 0x8000000000000001n,
  31n, 32n, 63n, 64n, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0xfffffffffffff800n, 0x7ffn,
  0xffffffff7fffffffn, 0x0000000100000001n,
  // bit-manipulation corners: byte patterns (orc.b, rev8, cpop), half-words (zext.h, sext.h)
  0x0101010101010101n, 0x8080808080808080n, 0xffffn, 0xff00ff00ff00ff00n, 0x00000000ffff8000n,
  0x123456789abcdef0n,
];

/** mstatus bits random code may set or clear (privileged spec 3.1.6). */
const MSTATUS_SIE = 1n << 1n, MSTATUS_MIE = 1n << 3n, MSTATUS_SPIE = 1n << 5n, MSTATUS_MPIE = 1n << 7n;
const MSTATUS_SPP = 1n << 8n, MSTATUS_SUM = 1n << 18n, MSTATUS_MXR = 1n << 19n;
const SSTATUS_SAFE = [MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_SUM, MSTATUS_MXR];
const MSTATUS_SAFE = [...SSTATUS_SAFE, MSTATUS_MIE, MSTATUS_MPIE];

/** Relative weights of the instruction classes (the last four only in programs with F/D and B). */
const WEIGHTS = {
  aluReg: 10, aluImm: 10, mulDiv: 8, edgeValue: 5, load: 8, store: 7, amo: 5, lrsc: 2,
  compressed: 14, branch: 4, jal: 1, registerJump: 1, csr: 5, epcWrite: 1, system: 2, statusBits: 1,
  random32: 10, random16: 6, floatCompute: 16, floatMemory: 4, floatCsr: 2, bitmanip: 10, spAdjust: 0.5,
} as const;
type ItemClass = keyof typeof WEIGHTS;

function weightsFor(profile: Profile): Record<ItemClass, number> {
  return {
    ...WEIGHTS,
    floatCompute: profile.float ? WEIGHTS.floatCompute : 0,
    floatMemory: profile.float ? WEIGHTS.floatMemory : 0,
    floatCsr: profile.float ? WEIGHTS.floatCsr : 0,
    bitmanip: profile.bitmanip ? WEIGHTS.bitmanip : 0,
  };
}

/** mstatus.FS at segment entry: mostly enabled, sometimes Off (then every FP instruction traps). */
const FS_WEIGHTS = { off: 15, initial: 25, clean: 15, dirty: 45 } as const;
const FS_BY_NAME: Record<keyof typeof FS_WEIGHTS, Fs> = { off: Fs.Off, initial: Fs.Initial, clean: Fs.Clean, dirty: Fs.Dirty };

/** Generates the items of one segment; also the sanitizer's context. Exported for tests. */
export class SegmentGenerator implements SanitizeContext {
  readonly items: Item[] = [];
  private readonly weights: Record<ItemClass, number>;

  constructor(
    readonly rng: Prng,
    readonly plan: Pick<SegmentPlan, 'mode' | 'paging' | 'pmpGuard' | 'fs' | 'floatQuiet'>,
    readonly profile: Profile = FULL_PROFILE,
  ) {
    this.weights = weightsFor(profile);
  }

  get mode(): Mode {
    return this.plan.mode;
  }

  get xlen(): 32 | 64 {
    return this.profile.xlen ?? 64;
  }

  private get rv32(): boolean {
    return this.xlen === 32;
  }

  /**
   * mstatus.FS starts Initial or Clean: random code must not read mstatus/sstatus, whose FS
   * QEMU 7.2 may leave there against the spec (differential.test.ts, deviation 7).
   */
  get fsTracked(): boolean {
    return this.plan.fs === Fs.Initial || this.plan.fs === Fs.Clean;
  }

  get floatQuiet(): boolean {
    return this.plan.floatQuiet;
  }

  // ---- register and address choices ----

  writable(): number {
    return this.rng.pick(WRITABLE);
  }

  /** Destination: almost always a writable register, sometimes x0. */
  rd(): number {
    return this.rng.chance(0.04) ? 0 : this.writable();
  }

  /** Any source register, harness pointers included (their values are fixed). */
  src(): number {
    return this.rng.below(32);
  }

  scratchBase(): ScratchBase {
    return this.rng.pick(SCRATCH_BASES);
  }

  memoryBase(imm: number, size: number): ScratchBase {
    const ok = (b: ScratchBase) => !this.crossesIntoGuard(b.offset + imm, size);
    return this.rng.pick(SCRATCH_BASES.filter(ok)); // s0's range never reaches page 3
  }

  /** An access at scratch offset `at` that crosses into page 3 where that is avoided. */
  crossesIntoGuard(at: number, size: number): boolean {
    return at < GUARD_PAGE_OFFSET && at + size > GUARD_PAGE_OFFSET && crossingIntoGuardMayPageFault(this.plan);
  }

  amoBase(): ScratchBase {
    return this.rng.pick(SCRATCH_BASES.filter((b) => !amoFaultDiffersInQemu(this.plan, b.offset >> 12)));
  }

  alwaysReadWriteBases(): ScratchBase[] {
    return SCRATCH_BASES.filter((b) => pageAlwaysReadWrite(this.plan, b.offset >> 12));
  }

  distance(): number {
    return this.rng.range(1, 8);
  }

  csr(writes: boolean, maybeZero: boolean): number {
    return chooseCsr(this.rng, this.mode, writes, maybeZero, {
      float: this.profile.float, fsTracked: this.fsTracked, floatQuiet: this.floatQuiet, xlen: this.xlen,
    });
  }

  /** A 12-bit immediate with its corners over-represented. */
  imm12(): number {
    switch (this.rng.below(6)) {
      case 0: return this.rng.pick([0, 1, -1, 2047, -2048, 2046, -2047]);
      case 1: return this.rng.range(-16, 16);
      default: return this.rng.range(-2048, 2047);
    }
  }

  /** Offset from a scratch base for an access of `size` bytes. */
  memOffset(base: ScratchBase, size: number): number {
    const off = this.anyMemOffset(size);
    return this.crossesIntoGuard(base.offset + off, size) ? off & ~(size - 1) : off;
  }

  anyMemOffset(size: number): number {
    switch (this.rng.below(9)) {
      case 0:
      case 1: // straddle the page boundary the base sits on (pages may differ in permissions)
        return size === 1 ? -1 : this.rng.range(-size + 1, -1);
      case 2: // misaligned anywhere
        return this.rng.range(-2048, 2047 - size);
      case 3:
        return this.imm12() & ~(size - 1);
      default: // aligned
        return this.rng.range(-2048 / size, 2048 / size - 1) * size;
    }
  }

  // ---- SanitizeContext hooks ----

  registerJump(rd: number, compressed: boolean): Item {
    const t = this.rng.pick(WRITABLE);
    const lowBit = this.rng.below(2); // jalr clears bit 0 of the target
    const fixup = (encode: (off: number) => number) => ({
      anchor: 0, distance: this.distance(), maxReach: 2046, encode,
    });
    if (!compressed) {
      return item('jalr', word32(E.auipc(t, 0)), word32(0, fixup((off) => E.jalr(rd, t, off | lowBit))));
    }
    // c.jr t (rd = 0) or c.jalr t (links ra)
    return item(rd ? 'c.jalr' : 'c.jr', word32(E.auipc(t, 0)), word32(0, fixup((off) => E.addi(t, t, off | lowBit))),
      word16(E.cr(rd ? 9 : 8, t, 0)));
  }

  clearReservation(): Word[] {
    const t = this.writable();
    return [word32(E.addi(t, 3, HS_SINK)), word32(E.amo(E.FUNCT5_SC, this.rv32 ? 2 : 3, false, false, 0, t, 0))];
  }

  replacement(): Item {
    return this.aluReg();
  }

  // ---- instruction classes ----

  aluReg(): Item {
    const [name, op, f3, f7] = this.rng.pick(this.rv32 ? OP_RR_32 : E.OP_RR);
    return item(name, word32(E.rType(op, f3, f7, this.rd(), this.src(), this.src())));
  }

  aluImm(): Item {
    const r = this.rng.below(10);
    if (r < 6) {
      const [name, op, f3] = this.rng.pick(this.rv32 ? OP_IMM_32 : E.OP_IMM);
      return item(name, word32(E.iType(op, f3, this.rd(), this.src(), this.imm12())));
    }
    if (r < 9) {
      const [name, op, f3, f6, width] = this.rng.pick(this.rv32 ? OP_SHIFT_IMM_32 : E.OP_SHIFT_IMM);
      const shamt = this.rng.chance(0.3) ? this.rng.pick([0, 1, (1 << width) - 1]) : this.rng.below(1 << width);
      return item(name, word32(E.shiftImm(op, f3, f6, this.rd(), this.src(), shamt)));
    }
    return this.rng.chance(0.5)
      ? item('lui', word32(E.lui(this.rd(), this.rng.u32())))
      : item('auipc', word32(E.auipc(this.rd(), this.rng.u32())));
  }

  /** ld rd, k(gp): one of the edge constants the harness keeps next to its state. */
  loadConstant(rd: number): Word {
    return word32(E.load(this.rv32 ? 2 : 3, rd, 3, HS_CONST + 8 * this.rng.below(CONSTANT_COUNT)));
  }

  mulDiv(): Item {
    const [name, op, f3, f7] = this.rng.pick(this.rv32 ? OP_MUL_DIV_32 : E.OP_MUL_DIV);
    const words: Word[] = [];
    let rs1 = this.src(), rs2 = this.src();
    if (this.rng.chance(0.5)) {
      rs1 = this.writable();
      words.push(this.loadConstant(rs1));
    }
    if (this.rng.chance(0.5)) {
      rs2 = this.writable();
      words.push(this.loadConstant(rs2));
    }
    words.push(word32(E.rType(op, f3, f7, this.rd(), rs1, rs2)));
    return item(name, ...words);
  }

  edgeValue(): Item {
    const rd = this.writable();
    switch (this.rng.below(6)) {
      case 0: return item('edge-lui', word32(E.lui(rd, 0x80000))); // INT32_MIN
      case 1: return item('edge-minus1', word32(E.addi(rd, 0, -1)));
      case 2: // INT64_MIN (RV32: INT32_MIN)
        return item(this.rv32 ? 'edge-int32-min' : 'edge-int64-min', word32(E.addi(rd, 0, 1)),
          word32(E.shiftImm(0x13, 1, 0, rd, rd, this.xlen - 1)));
      case 3: return item('edge-c.li', word16(E.cImm6(1, 2, rd, this.rng.range(-32, 31))));
      default: return item('edge-const', this.loadConstant(rd));
    }
  }

  load(): Item {
    const [name, f3, size] = this.rng.pick(this.rv32 ? LOADS_32 : E.LOADS);
    const base = this.scratchBase();
    return item(name, word32(E.load(f3, this.rd(), base.reg, this.memOffset(base, size))));
  }

  store(): Item {
    const [name, f3, size] = this.rng.pick(this.rv32 ? STORES_32 : E.STORES);
    const base = this.scratchBase();
    return item(name, word32(E.store(f3, base.reg, this.src(), this.memOffset(base, size))));
  }

  /** addi t, base, off; amo*.w/d rd, rs2, (t) — misaligned only on an always-accessible page. */
  amo(): Item {
    const f3 = this.rv32 ? 2 : this.rng.pick([2, 3]);
    const size = f3 === 2 ? 4 : 8;
    const t = this.writable();
    let base = this.scratchBase();
    let off = this.rng.range(-2048 / size, 2040 / size) * size;
    if (amoFaultDiffersInQemu(this.plan, (base.offset + off) >> 12)) {
      base = SCRATCH_BASES[0];
      off = this.rng.range(-2048 / size, 2040 / size) * size;
    }
    if (this.rng.chance(0.1)) {
      const page = (base.offset + off) >> 12;
      const misaligned = off + this.rng.range(1, size - 1);
      const sameP = (base.offset + misaligned + size - 1) >> 12 === page;
      if (sameP && pageAlwaysReadWrite(this.plan, page)) off = misaligned;
    }
    const lr = this.rng.chance(0.15);
    const [name, f5] = lr ? ['lr', E.FUNCT5_LR] as const : this.rng.pick(E.AMOS);
    const amoWord = E.amo(f5, f3, this.rng.chance(0.5), this.rng.chance(0.5), this.rd(), t, lr ? 0 : this.src());
    return item(`${name}.${size === 4 ? 'w' : 'd'}`, word32(E.addi(t, base.reg, off)), word32(amoWord));
  }

  /**
   * An LR/SC pair on an always-accessible aligned address with up to three ALU ops
   * between (the constrained loop of the A spec: the SC must succeed), or an SC right
   * after a reservation-clearing SC (it must fail).
   */
  lrsc(): Item {
    const bases = this.alwaysReadWriteBases();
    if (bases.length === 0) return this.aluReg();
    const base = this.rng.pick(bases);
    const f3 = this.rv32 ? 2 : this.rng.pick([2, 3]);
    const size = f3 === 2 ? 4 : 8;
    const t = this.writable();
    let off = this.rng.range(-2048 / size, 2048 / size - 1) * size;
    if (!pageAlwaysReadWrite(this.plan, (base.offset + off) >> 12)) off = this.rng.range(0, 2048 / size - 1) * size;
    const words: Word[] = [];
    const sc = word32(E.amo(E.FUNCT5_SC, f3, this.rng.chance(0.5), this.rng.chance(0.5), this.rd(), t, this.src()));
    if (this.rng.chance(0.2)) {
      words.push(...this.clearReservation(), word32(E.addi(t, base.reg, off)), sc);
      return item('sc-without-lr', ...words);
    }
    words.push(word32(E.addi(t, base.reg, off)));
    words.push(word32(E.amo(E.FUNCT5_LR, f3, this.rng.chance(0.5), false, this.rdExcept(t), t, 0)));
    for (let n = this.rng.below(4); n > 0; n--) {
      const [, op, of3, f7] = this.rng.pick(this.rv32 ? OP_RR_32 : E.OP_RR);
      words.push(word32(E.rType(op, of3, f7, this.rdExcept(t), this.src(), this.src())));
    }
    words.push(sc);
    return item('lr-sc', ...words);
  }

  rdExcept(t: number): number {
    for (;;) {
      const r = this.rd();
      if (r !== t) return r;
    }
  }

  /** Every RV64C form with valid operands (the random16 class covers the rest). */
  compressed(): Item {
    if (this.rv32) return this.compressed32();
    const rng = this.rng;
    const rdp = () => rng.range(2, 7); // x10..x15 as a 3-bit field
    const anyp = () => rng.range(0, 7);
    const sbase = () => rng.range(0, 1); // s0 / s1
    const nz6 = () => { for (;;) { const v = rng.range(-32, 31); if (v) return v; } };
    const forms: (() => Item)[] = [
      () => item('c.addi4spn', word16(E.cAddi4spn(rdp(), rng.range(1, 255) * 4))),
      () => item('c.lw', word16(E.cLwSw(2, rdp(), sbase(), rng.below(32) * 4))),
      () => item('c.ld', word16(E.cLdSd(3, rdp(), sbase(), rng.below(32) * 8))),
      () => item('c.sw', word16(E.cLwSw(6, anyp(), sbase(), rng.below(32) * 4))),
      () => item('c.sd', word16(E.cLdSd(7, anyp(), sbase(), rng.below(32) * 8))),
      () => item('c.nop', word16(E.C_NOP)),
      () => item('c.addi', word16(E.cImm6(1, 0, this.writable(), nz6()))),
      () => item('c.addiw', word16(E.cImm6(1, 1, this.writable(), rng.range(-32, 31)))),
      () => item('c.li', word16(E.cImm6(1, 2, this.writable(), rng.range(-32, 31)))),
      () => item('c.lui', word16(E.cLui(this.writable(), nz6()))),
      () => item('c.srli', word16(E.cShiftAndi(0, rdp(), rng.range(1, 63)))),
      () => item('c.srai', word16(E.cShiftAndi(1, rdp(), rng.range(1, 63)))),
      () => item('c.andi', word16(E.cShiftAndi(2, rdp(), rng.range(-32, 31)))),
      () => item('c.sub/xor/or/and', word16(E.cArith(0, rng.below(4), rdp(), anyp()))),
      () => item('c.subw/addw', word16(E.cArith(1, rng.below(2), rdp(), anyp()))),
      () => item('c.slli', word16(E.cImm6(2, 0, this.writable(), rng.range(1, 63)))),
      () => item('c.lwsp', word16(E.cLwsp(this.writable(), rng.below(64) * 4))),
      () => item('c.ldsp', word16(E.cLdsp(3, this.writable(), rng.below(64) * 8))),
      () => item('c.swsp', word16(E.cSwsp(this.src(), rng.below(64) * 4))),
      () => item('c.sdsp', word16(E.cSdsp(7, this.src(), rng.below(64) * 8))),
      () => item('c.mv', word16(E.cr(8, this.writable(), rng.range(1, 31)))),
      () => item('c.add', word16(E.cr(9, this.writable(), rng.range(1, 31)))),
      () => item('c.ebreak', word16(E.C_EBREAK)),
      () => item('c.j', word16(0, { anchor: 0, distance: this.distance(), maxReach: 2046, encode: (o) => E.cJ(o) })),
      () => {
        const f3 = rng.pick([6, 7]), rs1p = anyp();
        return item(f3 === 6 ? 'c.beqz' : 'c.bnez', word16(0, {
          anchor: 0, distance: this.distance(), maxReach: 254, encode: (o) => E.cBranch(f3, rs1p, o),
        }));
      },
      () => this.registerJump(rng.below(2), true),
      () => this.compressedFloat(),
    ];
    return rng.pick(forms)();
  }

  /** Every RV32C (+ F/D) form with valid operands. */
  compressed32(): Item {
    const rng = this.rng;
    const rdp = () => rng.range(2, 7); // x10..x15 as a 3-bit field
    const anyp = () => rng.range(0, 7);
    const sbase = () => rng.range(0, 1); // s0 / s1
    const nz6 = () => { for (;;) { const v = rng.range(-32, 31); if (v) return v; } };
    const forms: (() => Item)[] = [
      () => item('c.addi4spn', word16(E.cAddi4spn(rdp(), rng.range(1, 255) * 4))),
      () => item('c.lw', word16(E.cLwSw(2, rdp(), sbase(), rng.below(32) * 4))),
      () => item('c.sw', word16(E.cLwSw(6, anyp(), sbase(), rng.below(32) * 4))),
      () => item('c.nop', word16(E.C_NOP)),
      () => item('c.addi', word16(E.cImm6(1, 0, this.writable(), nz6()))),
      () => item('c.jal', word16(0, { anchor: 0, distance: this.distance(), maxReach: 2046, encode: cJal })),
      () => item('c.li', word16(E.cImm6(1, 2, this.writable(), rng.range(-32, 31)))),
      () => item('c.lui', word16(E.cLui(this.writable(), nz6()))),
      () => item('c.srli', word16(E.cShiftAndi(0, rdp(), rng.range(1, 31)))),
      () => item('c.srai', word16(E.cShiftAndi(1, rdp(), rng.range(1, 31)))),
      () => item('c.andi', word16(E.cShiftAndi(2, rdp(), rng.range(-32, 31)))),
      () => item('c.sub/xor/or/and', word16(E.cArith(0, rng.below(4), rdp(), anyp()))),
      () => item('c.slli', word16(E.cImm6(2, 0, this.writable(), rng.range(1, 31)))),
      () => item('c.lwsp', word16(E.cLwsp(this.writable(), rng.below(64) * 4))),
      () => item('c.swsp', word16(E.cSwsp(this.src(), rng.below(64) * 4))),
      () => item('c.mv', word16(E.cr(8, this.writable(), rng.range(1, 31)))),
      () => item('c.add', word16(E.cr(9, this.writable(), rng.range(1, 31)))),
      () => item('c.ebreak', word16(E.C_EBREAK)),
      () => item('c.j', word16(0, { anchor: 0, distance: this.distance(), maxReach: 2046, encode: (o) => E.cJ(o) })),
      () => {
        const f3 = rng.pick([6, 7]), rs1p = anyp();
        return item(f3 === 6 ? 'c.beqz' : 'c.bnez', word16(0, {
          anchor: 0, distance: this.distance(), maxReach: 254, encode: (o) => E.cBranch(f3, rs1p, o),
        }));
      },
      () => this.registerJump(rng.below(2), true),
      () => this.compressedFloat(),
      () => this.compressedFloat(),
    ];
    return rng.pick(forms)();
  }

  /**
   * c.fld, c.fsd, c.fldsp, c.fsdsp (RV32 also c.flw, c.fsw, c.flwsp, c.fswsp): illegal while
   * mstatus.FS = Off; a quiet segment only stores.
   */
  compressedFloat(): Item {
    const rng = this.rng;
    const rs1p = rng.range(0, 1); // s0 / s1
    const forms: (() => Item)[] = [
      () => item('c.fsd', word16(E.cLdSd(5, rng.range(0, 7), rs1p, rng.below(32) * 8))),
      () => item('c.fsdsp', word16(E.cSdsp(5, rng.below(32), rng.below(64) * 8))),
    ];
    if (this.rv32) {
      forms.push(() => item('c.fsw', word16(E.cLwSw(7, rng.range(0, 7), rs1p, rng.below(32) * 4))),
        () => item('c.fswsp', word16((E.cSwsp(rng.below(32), rng.below(64) * 4) & ~0xe000) | (7 << 13))));
    }
    if (!this.floatQuiet) {
      forms.push(() => item('c.fld', word16(E.cLdSd(1, rng.range(0, 7), rs1p, rng.below(32) * 8))),
        () => item('c.fldsp', word16(E.cLdsp(1, rng.below(32), rng.below(64) * 8))));
      if (this.rv32) {
        forms.push(() => item('c.flw', word16(E.cLwSw(3, rng.range(0, 7), rs1p, rng.below(32) * 4))),
          () => item('c.flwsp', word16((E.cLwsp(rng.below(32), rng.below(64) * 4) & ~0xe000) | (3 << 13))));
      }
    }
    return rng.pick(forms)();
  }

  branch(): Item {
    const [name, f3] = this.rng.pick(E.BRANCHES);
    const rs1 = this.src(), rs2 = this.src();
    return item(name, word32(0, {
      anchor: 0, distance: this.distance(), maxReach: 4094, encode: (off) => E.bType(f3, rs1, rs2, off),
    }));
  }

  jal(): Item {
    const rd = this.rd();
    return item('jal', word32(0, {
      anchor: 0, distance: this.distance(), maxReach: (1 << 20) - 2, encode: (off) => E.jal(rd, off),
    }));
  }

  csrAccess(): Item {
    const [name, f3] = this.rng.pick(E.CSR_OPS);
    const immediate = f3 >= 5;
    // Half the csrrs/csrrc forms are pure reads (rs1 = x0 / uimm = 0).
    const src = (f3 === 2 || f3 === 3 || f3 === 6 || f3 === 7) && this.rng.chance(0.5) ? 0
      : immediate ? this.rng.below(32) : this.src();
    const writes = f3 === 1 || f3 === 5 || src !== 0;
    return item(name, word32(E.csrOp(f3, this.rd(), this.csr(writes, (f3 === 2 || f3 === 3) && src !== 0), src)));
  }

  /**
   * Write mepc or sepc with an even value only: andi t, src, -2 then csrrw/csrrs/csrrc, or
   * an immediate form with an even uimm. (QEMU 7.2 would keep bit 0, against the spec.)
   */
  epcWrite(): Item {
    const csr = this.mode === Mode.M && this.rng.chance(0.5) ? Csr.mepc : Csr.sepc;
    const f3 = this.rng.pick([1, 2, 3, 5, 6, 7]);
    if (f3 >= 5) return item('epc-write', word32(E.csrOp(f3, this.rd(), csr, this.rng.below(16) * 2)));
    const t = this.writable();
    return item('epc-write', word32(E.iType(0x13, 7, t, this.src(), -2)), word32(E.csrOp(f3, this.rd(), csr, t)));
  }

  system(): Item {
    const choices: [string, Word][] = [
      ['ecall', word32(E.ECALL)], ['ebreak', word32(E.EBREAK)], ['c.ebreak', word16(E.C_EBREAK)],
      ['fence', word32(E.fence(this.rng.below(16), this.rng.below(16)))], ['fence.i', word32(E.FENCE_I)],
      ['fence.tso', word32(E.FENCE_TSO)], ['sfence.vma', word32(E.sfenceVma(this.src(), this.src()))],
    ];
    if (this.mode !== Mode.M) choices.push(['mret', word32(E.MRET)]);
    if (this.mode === Mode.U) choices.push(['sret', word32(E.SRET)]);
    const [name, w] = this.rng.pick(choices);
    return item(name, w);
  }

  /** Set or clear a few harmless mstatus/sstatus bits (SIE, MIE, SPIE, MPIE, SPP, SUM, MXR). */
  statusBits(): Item {
    const useMstatus = this.mode === Mode.M ? this.rng.chance(0.5) : this.mode === Mode.U && this.rng.chance(0.5);
    const pool = useMstatus ? MSTATUS_SAFE : SSTATUS_SAFE;
    let mask = 0n;
    for (const bit of pool) if (this.rng.chance(0.3)) mask |= bit;
    if (mask === 0n) mask = this.rng.pick(pool);
    const t = this.writable();
    const m = Number(mask);
    const hi = (m + 0x800) >>> 12, lo = m - (hi << 12);
    const words = hi ? [word32(E.lui(t, hi)), word32(E.addi(t, t, lo))] : [word32(E.addi(t, 0, lo))];
    const f3 = this.rng.pick([2, 3]); // csrrs / csrrc
    const rd = this.fsTracked ? 0 : this.rd(); // the old value would show mstatus.FS
    words.push(word32(E.csrOp(f3, rd, useMstatus ? Csr.mstatus : Csr.sstatus, t)));
    return item(f3 === 2 ? 'status-set' : 'status-clear', ...words);
  }

  random32(): Item {
    const w = ((this.rng.u32() & ~3) | 3) >>> 0;
    return sanitize32(w, this);
  }

  random16(): Item {
    let h = this.rng.u32() & 0xffff;
    if ((h & 3) === 3) h &= ~this.rng.range(1, 3); // a 16-bit encoding: low bits not 11
    return sanitize16(h, this);
  }

  /** c.addi16sp sp, +n; an sp-relative access; c.addi16sp sp, -n (sp stays a scratch pointer). */
  spAdjust(): Item {
    let n = 0;
    while (n === 0) n = this.rng.range(-31, 31) * 16; // and -n must fit too: no -512
    const access = this.rv32 ? this.rng.pick([
      () => word16(E.cLwsp(this.writable(), this.rng.below(64) * 4)),
      () => word16(E.cSwsp(this.src(), this.rng.below(64) * 4)),
    ])() : this.rng.pick([
      () => word16(E.cLwsp(this.writable(), this.rng.below(64) * 4)),
      () => word16(E.cLdsp(3, this.writable(), this.rng.below(64) * 8)),
      () => word16(E.cSwsp(this.src(), this.rng.below(64) * 4)),
      () => word16(E.cSdsp(7, this.src(), this.rng.below(64) * 8)),
    ])();
    return item('c.addi16sp-pair', word16(E.cAddi16sp(n)), access, word16(E.cAddi16sp(-n)));
  }

  next(): Item {
    const cls: ItemClass = this.rng.weighted(this.weights);
    switch (cls) {
      case 'aluReg': return this.aluReg();
      case 'aluImm': return this.aluImm();
      case 'mulDiv': return this.mulDiv();
      case 'edgeValue': return this.edgeValue();
      case 'load': return this.load();
      case 'store': return this.store();
      case 'amo': return this.amo();
      case 'lrsc': return this.lrsc();
      case 'compressed': return this.compressed();
      case 'branch': return this.branch();
      case 'jal': return this.jal();
      case 'registerJump': return this.registerJump(this.rd(), false);
      case 'csr': return this.csrAccess();
      case 'epcWrite': return this.epcWrite();
      case 'system': return this.system();
      case 'statusBits': return this.statusBits();
      case 'random32': return this.random32();
      case 'random16': return this.random16();
      case 'floatCompute': return floatComputeItem(this);
      case 'floatMemory': return floatMemoryItem(this);
      case 'floatCsr': return floatCsrItem(this);
      case 'bitmanip': return bitmanipItem(this);
      case 'spAdjust': return this.spAdjust();
    }
  }
}

// ---- layout: resolve forward targets once every item's size is known ----

function layoutSegment(items: Item[]): { words: PlacedWord[]; exitOffset: number } {
  const itemStart: number[] = [];
  let pc = 0;
  for (const it of items) {
    itemStart.push(pc);
    for (const w of it.words) pc += w.size;
  }
  itemStart.push(pc); // the closing ecall
  const words: PlacedWord[] = [];
  items.forEach((it, i) => {
    const wordOffsets: number[] = [];
    let at = itemStart[i];
    for (const w of it.words) {
      wordOffsets.push(at);
      at += w.size;
    }
    it.words.forEach((w, k) => {
      let bits = w.bits;
      if (w.fixup) {
        const from = wordOffsets[w.fixup.anchor];
        let target = Math.min(i + w.fixup.distance, items.length);
        while (target > i + 1 && itemStart[target] - from > w.fixup.maxReach) target--;
        bits = w.fixup.encode(itemStart[target] - from);
      }
      words.push({ offset: wordOffsets[k], size: w.size, bits: w.size === 4 ? bits >>> 0 : bits & 0xffff, kind: it.kind });
    });
  });
  return { words, exitOffset: pc };
}

// ---- whole program ----

function pickInitialValue(rng: Prng, xlen: 32 | 64): bigint {
  const mask = xlen === 32 ? MASK32 : MASK64;
  switch (rng.below(4)) {
    case 0: return rng.u64() & mask;
    case 1: return BigInt(rng.range(-64, 64)) & mask;
    default: return rng.pick(EDGE_VALUES) & mask;
  }
}

function planSegment(rng: Prng, target: number, profile: Profile): SegmentPlan {
  const mode = rng.pick([Mode.M, Mode.S, Mode.U]);
  const xlen = profile.xlen ?? 64;
  // RV32: the harness builds every variant as an Sv32 map (paging.ts).
  const paging = mode !== Mode.M && rng.chance(0.6) ? rng.pick(variantsFor(mode)) : 0;
  const pmpGuard = mode !== Mode.M && rng.chance(0.35);
  let mstatusSet = 0n;
  for (const bit of [MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP, MSTATUS_SUM, MSTATUS_MXR]) {
    if (rng.chance(0.5)) mstatusSet |= bit;
  }
  const regs: (bigint | string)[] = Array.from({ length: 32 }, () => pickInitialValue(rng, xlen));
  regs[0] = 0n;
  regs[3] = 'harness_state';
  for (const b of SCRATCH_BASES) regs[b.reg] = `fuzz_scratch + 0x${b.offset.toString(16)}`;
  const fs = profile.float ? FS_BY_NAME[rng.weighted(FS_WEIGHTS)] : Fs.Off;
  const floatQuiet = (fs === Fs.Initial || fs === Fs.Clean) && rng.chance(0.5);
  mstatusSet |= BigInt(fs) << MSTATUS_FS_SHIFT;
  const fregs = Array.from({ length: 32 }, () => (profile.float ? pickFloatValue(rng) : 0n));
  let fcsr = profile.float ? pickFcsr(rng) : 0;
  // A quiet segment that starts with every flag set can leave fcsr unchanged: FS must stay.
  if (floatQuiet && rng.chance(0.5)) fcsr |= 0x1f;
  const gen = new SegmentGenerator(rng, { mode, paging, pmpGuard, fs, floatQuiet }, profile);
  let words = 0;
  while (words < target) {
    const it = gen.next();
    gen.items.push(it);
    words += it.words.length;
  }
  return { mode, paging, pmpGuard, mstatusSet, fs, floatQuiet, fregs, fcsr, regs, items: gen.items };
}

const hex = (v: bigint | number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;
const MODE_NAMES: Record<Mode, string> = { [Mode.U]: 'U', [Mode.S]: 'S', [Mode.M]: 'M' };

/** .insn refuses 32-bit values whose low bits announce a longer instruction (bits 4:2 = 111). */
function emitWord(w: PlacedWord): string {
  if (w.size === 2) return `.insn 2, ${hex(w.bits, 4)}`;
  return (w.bits & 0x1c) === 0x1c ? `.word ${hex(w.bits, 8)}` : `.insn 4, ${hex(w.bits, 8)}`;
}

export function generateProgram(options: GenerateOptions): GeneratedProgram {
  const seed = options.seed >>> 0;
  const total = options.instructions ?? 20000;
  const segmentCount = options.segments ?? 16;
  const profile = options.profile ?? FULL_PROFILE;
  const rng = new Prng(seed);
  const plans = Array.from({ length: segmentCount }, () => planSegment(rng, Math.ceil(total / segmentCount), profile));
  const xlen = profile.xlen ?? 64;
  const constants = Array.from({ length: CONSTANT_COUNT }, (_, i) =>
    (i < EDGE_VALUES.length ? EDGE_VALUES[i] : rng.u64()) & (xlen === 32 ? MASK32 : MASK64));
  /**
   * 64-bit table fields. An RV32 assembler has no 64-bit data relocation: there a field is
   * two .word values, a symbol's high word 0.
   */
  const dwords = (values: readonly (bigint | number | string)[]): string => {
    if (xlen === 64) return `    .dword ${values.map((v) => (typeof v === 'string' ? v : hex(v, 16))).join(', ')}`;
    const halves = values.flatMap((v) => (typeof v === 'string' ? [v, '0']
      : [hex(BigInt(v) & MASK32, 8), hex(BigInt(v) >> 32n, 8)]));
    return `    .word ${halves.join(', ')}`;
  };

  const text: string[] = [];
  const listing: string[] = [];
  let instructionCount = 0;
  const placed: Map<number, PlacedWord>[] = [];
  const segmentWords: PlacedWord[][] = [];
  plans.forEach((plan, s) => {
    const { words, exitOffset } = layoutSegment(plan.items);
    placed.push(new Map(words.map((w) => [w.offset, w])));
    segmentWords.push(words);
    instructionCount += words.length;
    text.push(`seg${s}_start:`);
    listing.push(`segment ${s} mode ${MODE_NAMES[plan.mode]} paging ${plan.paging} pmp-guard ${plan.pmpGuard ? 1 : 0}` +
      ` mstatus+ ${hex(plan.mstatusSet, 5)} fcsr ${hex(plan.fcsr, 2)}${plan.floatQuiet ? ' float-quiet' : ''}`);
    for (const w of words) {
      text.push(`    ${emitWord(w)}`);
      listing.push(`  +${hex(w.offset, 5).slice(2)} ${w.size === 4 ? hex(w.bits, 8).slice(2) : `    ${hex(w.bits, 4).slice(2)}`}  ${w.kind}`);
    }
    text.push(`seg${s}_exit:`, '    ecall', '    .balign 4');
    listing.push(`  +${hex(exitOffset, 5).slice(2)} 00000073  exit ecall`);
  });

  const segmentTable = plans.map((plan, s) => {
    if (xlen === 32) {
      const fields = [`seg${s}_start`, `seg${s}_exit`, plan.mode, plan.paging, plan.pmpGuard ? 1 : 0, plan.mstatusSet];
      return [
        dwords(fields),
        ...chunk(plan.regs, 4).map(dwords),
        ...chunk(plan.fregs, 4).map(dwords),
        dwords([plan.fcsr]),
      ].join('\n');
    }
    const fields = [`seg${s}_start`, `seg${s}_exit`, plan.mode, plan.paging, plan.pmpGuard ? 1 : 0, hex(plan.mstatusSet, 5)];
    const regs = plan.regs.map((r) => (typeof r === 'string' ? r : hex(r, 16)));
    const fregs = plan.fregs.map((f) => hex(f, 16));
    return [
      `    .dword ${fields.join(', ')}`,
      ...chunk(regs, 4).map((c) => `    .dword ${c.join(', ')}`),
      ...chunk(fregs, 4).map((c) => `    .dword ${c.join(', ')}`),
      `    .dword ${hex(plan.fcsr, 2)}`,
    ].join('\n');
  });
  const variants = PAGE_VARIANTS.map((v) =>
    `    .dword ${v.user ? 1 : 0}, ${v.levels}, ${v.megapage ? 1 : 0}, ${v.scratchFlags.map((f) => hex(f, 2)).join(', ')}`);
  // With F/D, half the scratch doublewords are interesting FP values for flw/fld to find.
  const scratch = Array.from({ length: SCRATCH_BYTES / 8 }, () =>
    hex(profile.float && rng.chance(0.5) ? pickFloatValue(rng) : rng.u64(), 16));
  const recordCapacity = instructionCount + 16;

  const source = [
    `/* Generated by test/fuzz/generate.ts, seed ${seed}: ${instructionCount} random instructions. */`,
    '    .option norelax',
    '    .section .fuzz, "ax", @progbits',
    ...text,
    '',
    '    .section .rodata, "a", @progbits',
    '    .balign 8',
    ...['fuzz_seed', 'fuzz_float_state', 'fuzz_segment_count', 'fuzz_segments', 'fuzz_page_variant_count', 'fuzz_page_variants',
      'fuzz_constants', 'fuzz_scratch_bytes', 'fuzz_scratch', 'fuzz_records', 'fuzz_records_end', 'fuzz_regout',
      'fuzz_trap_counts'].map((n) => `    .globl ${n}`),
    `fuzz_seed: .dword ${seed}`,
    `fuzz_float_state: .dword ${profile.float ? 1 : 0}`,
    `fuzz_segment_count: .dword ${segmentCount}`,
    `fuzz_page_variant_count: .dword ${PAGE_VARIANTS.length}`,
    `fuzz_scratch_bytes: .dword ${SCRATCH_BYTES}`,
    'fuzz_segments:',
    ...segmentTable,
    'fuzz_page_variants:',
    ...variants,
    'fuzz_constants:',
    ...chunk(constants.map((c) => hex(c, 16)), 4).map((c) => `    .dword ${c.join(', ')}`),
    '',
    '    .section .scratch, "aw", @progbits',
    '    .balign 4096',
    'fuzz_scratch:',
    ...chunk(scratch, 4).map((c) => `    .dword ${c.join(', ')}`),
    '',
    '    .bss',
    '    .balign 8',
    `fuzz_records: .space ${recordCapacity * 24}`,
    'fuzz_records_end:',
    `fuzz_regout: .space ${segmentCount * REGOUT_WORDS * 8}`,
    `fuzz_trap_counts: .space ${segmentCount * 8}`,
    '',
  ].join('\n');

  return {
    seed, source, listing: listing.join('\n') + '\n', instructionCount, segments: segmentCount, profile,
    floatEntry: plans.map((p) => ({ fs: p.fs, fcsr: p.fcsr })),
    instructionAt: (segment, offset) => placed[segment]?.get(offset),
    words: segmentWords,
  };
}

function chunk<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
