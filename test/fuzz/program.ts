/**
 * The shape of a generated fuzz program, shared by the generator, the random-word
 * sanitizer and the assembly writer: segments of items, an item being one or a few
 * machine words that must run together (an idiom such as `addi t, s0, off; amoadd.w`).
 * Control transfers only go forward, to the first word of a later item of the same
 * segment (or its closing ecall), so no random path can enter the middle of an idiom or
 * run an instruction twice.
 */
import type { Mode } from './csrs';
import type { Fs } from './float';
import type { Prng } from './prng';

/**
 * What a program may use beyond RV64IMAC + Zicsr + S + U. QEMU (the reference) always has
 * F, D and Zba/Zbb/Zbc/Zbs; a profile without them keeps mstatus.FS Off (FP instructions
 * trap in both emulators), leaves the FP state out of the dump and generates no B words.
 */
export interface Profile {
  float: boolean;
  bitmanip: boolean;
  /**
   * 32: an RV32 program (RV32IMAFDC + Zba/Zbb/Zbc/Zbs in their RV32 forms), run under
   * qemu-system-riscv32; its paged segments use Sv32 (each variant built as an Sv32 map). Default 64.
   */
  xlen?: 32 | 64;
}
export const FULL_PROFILE: Profile = { float: true, bitmanip: true };
export const RV32_PROFILE: Profile = { float: true, bitmanip: true, xlen: 32 };
export const BITMANIP_PROFILE: Profile = { float: false, bitmanip: true };
export const INTEGER_PROFILE: Profile = { float: false, bitmanip: false };

/** A forward control transfer whose offset is known only after layout. */
export interface Fixup {
  /** Index (within the item) of the word whose address the offset is relative to. */
  anchor: number;
  /** How many items ahead to land (clamped to the segment end and to maxReach). */
  distance: number;
  /** Largest encodable offset in bytes. */
  maxReach: number;
  /** The word for a given byte offset from the anchor. */
  encode(offset: number): number;
}

export interface Word {
  size: 2 | 4;
  bits: number;
  fixup?: Fixup;
}

export interface Item {
  kind: string;
  words: Word[];
}

export const word32 = (bits: number, fixup?: Fixup): Word => ({ size: 4, bits: bits >>> 0, fixup });
export const word16 = (bits: number, fixup?: Fixup): Word => ({ size: 2, bits: bits & 0xffff, fixup });
export const item = (kind: string, ...words: Word[]): Item => ({ kind, words });

/** Scratch buffer: 4 pages; the three base registers sit on page boundaries. */
export const SCRATCH_BYTES = 0x4000;
export interface ScratchBase {
  reg: number;
  offset: number;
}
export const SCRATCH_BASES: readonly ScratchBase[] = [
  { reg: 8, offset: 0x1000 }, // s0
  { reg: 9, offset: 0x2000 }, // s1
  { reg: 2, offset: 0x3000 }, // sp
];

/** Registers random code never writes: sp, gp, s0, s1 (see runtime/start.S). */
export const RESERVED: ReadonlySet<number> = new Set([2, 3, 8, 9]);
export const WRITABLE: readonly number[] = Array.from({ length: 32 }, (_, r) => r).filter(
  (r) => r !== 0 && !RESERVED.has(r),
);

/** Offsets in the harness state block (runtime/harness.h). */
export const HS_SINK = 72;
export const HS_CONST = 192;
export const CONSTANT_COUNT = 32;
/** Doublewords per segment in the harness's register dump (runtime/harness.h, REGOUT_WORDS). */
export const REGOUT_WORDS = 69;

/** Sv39 leaf flags (privileged spec 4.4.1). */
export const Pte = { V: 0x01, R: 0x02, W: 0x04, X: 0x08, U: 0x10, A: 0x40, D: 0x80 } as const;

/**
 * One identity map of the image (the first 2 MiB of DRAM): Sv39 or Sv48, either one 2 MiB
 * megapage (all RWX, +U if user) or 4 KiB pages, all RWX (+U) except the four scratch
 * pages, whose leaf flags are given. For a megapage, scratchFlags states the megapage's.
 */
export interface PageVariant {
  user: boolean;
  levels: 3 | 4;
  megapage: boolean;
  scratchFlags: readonly [number, number, number, number];
}

export interface SegmentPlan {
  mode: Mode;
  /** 0 = bare; n = PAGE_VARIANTS[n - 1] (paging.ts). */
  paging: number;
  /** pmp entry 0 denies scratch page 3 to S and U. */
  pmpGuard: boolean;
  /** Extra mstatus bits at entry, mstatus.FS included. */
  mstatusSet: bigint;
  /** mstatus.FS at entry (Off in programs without F/D). */
  fs: Fs;
  /**
   * FS starts Initial or Clean and random code writes no f register and no fcsr CSR: only
   * accrued fflags can change FP state, so FS at exit shows exactly whether they did.
   */
  floatQuiet: boolean;
  /** Initial f0..f31 and fcsr (loaded only in programs with F/D). */
  fregs: bigint[];
  fcsr: number;
  /** Initial x0..x31: a number, or an assembler expression for the harness pointers. */
  regs: (bigint | string)[];
  items: Item[];
}

/** What the extension item generators (float-items.ts, bitmanip-items.ts) ask of a segment. */
export interface ItemContext {
  readonly rng: Prng;
  /** 32 for RV32 programs: only RV32 encodings (no W forms, no 64-bit conversions). */
  readonly xlen: 32 | 64;
  /** mstatus.FS starts Initial or Clean (generate.ts, SegmentGenerator.fsTracked). */
  readonly fsTracked: boolean;
  /** No f register or fcsr writes in this segment (SegmentPlan.floatQuiet). */
  readonly floatQuiet: boolean;
  /** Destination: a writable register, sometimes x0. */
  rd(): number;
  /** Any source register. */
  src(): number;
  writable(): number;
  scratchBase(): ScratchBase;
  /** Offset from a scratch base for an access of `size` bytes. */
  memOffset(base: ScratchBase, size: number): number;
  /** ld rd, k(gp) (RV32: lw): one of the edge constants. */
  loadConstant(rd: number): Word;
}
