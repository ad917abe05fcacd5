/**
 * F and D (RV64) for the fuzz generator: every instruction as match/mask data with the
 * operands it takes (unprivileged spec, chapters "F" and "D" and the RV64G opcode map of
 * "RV32/64G Instruction Set Listings"), the fcsr CSRs, and the pool of interesting register
 * values f registers start a segment with.
 *
 * One table drives generation (pick a row, fill its operand fields), the sanitizer's
 * safety test (does this word write an integer register?) and the test's QEMU deviation
 * masks (is this word an F/D instruction with a rounding-mode field?).
 */
import type { Prng } from './prng';

/** Operand fields: f/x register fields at rd (d), rs1 (s1), rs2 (s2), rs3 (s3); rm at 14:12. */
export type FloatOperand = 'fd' | 'xd' | 'fs1' | 'xs1' | 'fs2' | 'fs3' | 'rm';

export interface FloatOp {
  name: string;
  match: number;
  mask: number;
  operands: readonly FloatOperand[];
}

/** Rounding modes (F chapter, table "Rounding mode encoding"): 5 and 6 are reserved, 7 is dynamic. */
export const Rm = { RNE: 0, RTZ: 1, RDN: 2, RUP: 3, RMM: 4, DYN: 7 } as const;

/** mstatus.FS (privileged spec 3.1.6.6, "Extension Context Status"). */
export const Fs = { Off: 0, Initial: 1, Clean: 2, Dirty: 3 } as const;
export type Fs = (typeof Fs)[keyof typeof Fs];
export const MSTATUS_FS_SHIFT = 13n;

const OP_FP = 0x53;
const MASK_F7 = 0xfe00007f;
const RS2 = 0x01f00000;
const F3 = 0x7000;

function opFp(name: string, f7: number, fixed: { rs2?: number; f3?: number }, operands: readonly FloatOperand[]): FloatOp {
  let match = (f7 << 25) | OP_FP, mask = MASK_F7;
  if (fixed.rs2 !== undefined) { match |= fixed.rs2 << 20; mask |= RS2; }
  if (fixed.f3 !== undefined) { match |= fixed.f3 << 12; mask |= F3; }
  return { name, match: match >>> 0, mask: mask >>> 0, operands };
}

const R3: readonly FloatOperand[] = ['fd', 'fs1', 'fs2', 'rm'];
const R2: readonly FloatOperand[] = ['fd', 'fs1', 'fs2'];
const COMPARE: readonly FloatOperand[] = ['xd', 'fs1', 'fs2'];
const CONVERT_TO_INT: readonly FloatOperand[] = ['xd', 'fs1', 'rm'];
const CONVERT_FROM_INT: readonly FloatOperand[] = ['fd', 'xs1', 'rm'];
const INTEGER_NAMES = ['w', 'wu', 'l', 'lu'] as const;

function precisionOps(p: 's' | 'd'): FloatOp[] {
  const fmt = p === 's' ? 0 : 1;
  const word = p === 's' ? 'w' : 'd';
  const fma = (name: string, opcode: number): FloatOp =>
    ({ name: `${name}.${p}`, match: ((fmt << 25) | opcode) >>> 0, mask: 0x0600007f, operands: ['fd', 'fs1', 'fs2', 'fs3', 'rm'] });
  return [
    fma('fmadd', 0x43), fma('fmsub', 0x47), fma('fnmsub', 0x4b), fma('fnmadd', 0x4f),
    opFp(`fadd.${p}`, 0x00 | fmt, {}, R3), opFp(`fsub.${p}`, 0x04 | fmt, {}, R3),
    opFp(`fmul.${p}`, 0x08 | fmt, {}, R3), opFp(`fdiv.${p}`, 0x0c | fmt, {}, R3),
    opFp(`fsqrt.${p}`, 0x2c | fmt, { rs2: 0 }, ['fd', 'fs1', 'rm']),
    opFp(`fsgnj.${p}`, 0x10 | fmt, { f3: 0 }, R2), opFp(`fsgnjn.${p}`, 0x10 | fmt, { f3: 1 }, R2),
    opFp(`fsgnjx.${p}`, 0x10 | fmt, { f3: 2 }, R2),
    opFp(`fmin.${p}`, 0x14 | fmt, { f3: 0 }, R2), opFp(`fmax.${p}`, 0x14 | fmt, { f3: 1 }, R2),
    opFp(`feq.${p}`, 0x50 | fmt, { f3: 2 }, COMPARE), opFp(`flt.${p}`, 0x50 | fmt, { f3: 1 }, COMPARE),
    opFp(`fle.${p}`, 0x50 | fmt, { f3: 0 }, COMPARE),
    opFp(`fclass.${p}`, 0x70 | fmt, { rs2: 0, f3: 1 }, ['xd', 'fs1']),
    opFp(`fmv.x.${word}`, 0x70 | fmt, { rs2: 0, f3: 0 }, ['xd', 'fs1']),
    opFp(`fmv.${word}.x`, 0x78 | fmt, { rs2: 0, f3: 0 }, ['fd', 'xs1']),
    ...INTEGER_NAMES.map((t, i) => opFp(`fcvt.${t}.${p}`, 0x60 | fmt, { rs2: i }, CONVERT_TO_INT)),
    ...INTEGER_NAMES.map((t, i) => opFp(`fcvt.${p}.${t}`, 0x68 | fmt, { rs2: i }, CONVERT_FROM_INT)),
  ];
}

/** Every computational F/D instruction (loads and stores are FLOAT_MEMORY_OPS). */
export const FLOAT_OPS: readonly FloatOp[] = [
  ...precisionOps('s'),
  ...precisionOps('d'),
  opFp('fcvt.s.d', 0x20, { rs2: 1 }, ['fd', 'fs1', 'rm']),
  opFp('fcvt.d.s', 0x21, { rs2: 0 }, ['fd', 'fs1', 'rm']),
];

/** RV32 (FLEN 64): no 64-bit integer conversions, no fmv.x.d / fmv.d.x. */
const RV64_ONLY_FLOAT = /^fcvt\.(l|lu)\.|^fcvt\.[sd]\.(l|lu)$|^fmv\.(x\.d|d\.x)$/;
export const FLOAT_OPS_32: readonly FloatOp[] = FLOAT_OPS.filter((op) => !RV64_ONLY_FLOAT.test(op.name));

/** flw/fld/fsw/fsd: [name, opcode, funct3, size in bytes]. */
export const FLOAT_MEMORY_OPS: readonly (readonly [string, number, number, number])[] = [
  ['flw', 0x07, 2, 4], ['fld', 0x07, 3, 8], ['fsw', 0x27, 2, 4], ['fsd', 0x27, 3, 8],
];

export function encodeFloatOp(op: FloatOp, fields: Partial<Record<'rd' | 'rs1' | 'rs2' | 'rs3' | 'rm', number>>): number {
  let w = op.match;
  if (fields.rd !== undefined) w |= fields.rd << 7;
  if (fields.rs1 !== undefined) w |= fields.rs1 << 15;
  if (fields.rs2 !== undefined) w |= fields.rs2 << 20;
  if (fields.rs3 !== undefined) w |= fields.rs3 << 27;
  if (fields.rm !== undefined) w |= fields.rm << 12;
  return w >>> 0;
}

/** The computational instructions that write no f register (integer results, fflags at most). */
export const QUIET_FLOAT_OPS: readonly FloatOp[] = FLOAT_OPS.filter((op) => !op.operands.includes('fd'));
export const QUIET_FLOAT_OPS_32: readonly FloatOp[] = FLOAT_OPS_32.filter((op) => !op.operands.includes('fd'));

export function decodeFloatOp(bits: number): FloatOp | undefined {
  return FLOAT_OPS.find((op) => ((bits & op.mask) >>> 0) === op.match);
}

/** True for an F/D instruction whose bits 14:12 are a rounding mode (RISC-V "rm" field). */
export function hasRoundingMode(bits: number, size: number): boolean {
  return size === 4 && (decodeFloatOp(bits)?.operands.includes('rm') ?? false);
}

/**
 * Whether a 32-bit word's rd field (11:7) names an integer register when it executes: false
 * for FP loads, the fused multiply-adds and OP-FP instructions with an f destination.
 * Unknown OP-FP words count as integer (they are illegal; the answer is the safe one).
 */
export function writesIntegerRegister(bits: number): boolean {
  const opcode = bits & 0x7f;
  if (opcode === 0x07 || opcode === 0x43 || opcode === 0x47 || opcode === 0x4b || opcode === 0x4f) return false;
  if (opcode !== OP_FP) return true;
  return !(decodeFloatOp(bits)?.operands.includes('fd') ?? false);
}

/**
 * Whether a 32-bit word may write an f register when it executes: FP loads, fused
 * multiply-adds and OP-FP instructions with an f destination. Unknown LOAD-FP and
 * fused multiply-add encodings count (the safe answer); unknown OP-FP words are illegal.
 */
export function writesFloatRegister(bits: number): boolean {
  const opcode = bits & 0x7f;
  if (opcode === 0x07 || opcode === 0x43 || opcode === 0x47 || opcode === 0x4b || opcode === 0x4f) return true;
  return opcode === OP_FP && (decodeFloatOp(bits)?.operands.includes('fd') ?? false);
}

// ---- values ----

const BOX = 0xffffffff00000000n;
const boxed = (single: number): bigint => BOX | BigInt(single >>> 0);

/** Doubles at the corners of the format, of rounding and of the integer conversions. */
const DOUBLES: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n, // ±0
  0x7ff0000000000000n, 0xfff0000000000000n, // ±inf
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000000000123n, 0x7fffffffffffffffn, // qNaN: canonical, payloads
  0x7ff0000000000001n, 0x7ff4000000000000n, 0xfff0000000000001n, // sNaN
  0x0000000000000001n, 0x000fffffffffffffn, 0x8000000000000001n, 0x0008000000000000n, // subnormals
  0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn, // min/max normal
  0x3ff0000000000000n, 0xbff0000000000000n, 0x4000000000000000n, 0x3fe0000000000000n, // 1, -1, 2, 0.5
  0x3ff0000000000001n, 0x3fefffffffffffffn, 0x3ff8000000000000n, 0x4004000000000000n, // 1+ulp, 1-ulp, 1.5, 2.5
  0xc004000000000000n, 0xbfe0000000000000n, 0x3fe0000000000001n, 0x4340000000000000n, // -2.5, -0.5, 0.5+ulp, 2^53
  0x4340000000000001n, 0x433fffffffffffffn, // 2^53+2, 2^53-1
  0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0xc1e0000000200000n, // 2^31-1, ±2^31, -2^31-1
  0x41efffffffe00000n, 0x41f0000000000000n, 0x41effffffff00000n, // 2^32-1, 2^32, 2^32-0.5
  0x43dfffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n, 0x43f0000000000000n, 0x43efffffffffffffn, // 2^63, 2^64
  0x3ff0000010000000n, 0x3ff0000018000000n, 0x3ff0000010000001n, // single ties: 1+2^-24, 1+3*2^-24, above a tie
  0x47efffffe0000000n, 0x47effffff0000000n, 0x47efffffefffffffn, 0x47f0000000000000n, // FLT_MAX, + half ulp, under it, 2^128
  0x36a0000000000000n, 0x3690000000000000n, 0x380fffffe0000000n, 0x380fffffc0000000n, // single subnormal edges
  0x3810000000000000n, 0xb6a0000000000000n, 0x3e70000000000000n,
];

/** Singles (NaN-boxed when placed in a register) at the same kinds of corners. */
const SINGLES: readonly number[] = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, // ±0, ±inf
  0x7fc00000, 0xffc00000, 0x7fc00001, 0x7fffffff, // qNaN: canonical, payloads
  0x7f800001, 0x7fa00000, 0xff800001, // sNaN
  0x00000001, 0x007fffff, 0x80000001, 0x00400000, // subnormals
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, // min/max normal
  0x3f800000, 0xbf800000, 0x40000000, 0x3f000000, 0x3f800001, 0x3f7fffff, 0x3fc00000, 0x40200000, 0xc0200000,
  0xbf000000, 0x4b800000, 0x4b800001, 0x4b7fffff, // 2^24 and neighbours
  0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, // around ±2^31, 2^32
  0x5effffff, 0x5f000000, 0xdf000000, 0x5f800000, // around 2^63, 2^64
  0x0c000000, 0x33800000, 0x34000000, // small: product underflows, 2^-24, 2^-23
];

/** A finite double of moderate exponent with random significand bits. */
function randomDouble(rng: Prng): bigint {
  const sign = BigInt(rng.below(2)) << 63n;
  const exponent = BigInt(1023 + rng.range(-70, 70)) << 52n;
  return sign | exponent | (rng.u64() & 0xfffffffffffffn);
}

function randomSingle(rng: Prng): number {
  return ((rng.below(2) << 31) | ((127 + rng.range(-40, 40)) << 23) | (rng.u32() & 0x7fffff)) >>> 0;
}

/** A 64-bit f register value: doubles, NaN-boxed singles, improperly boxed singles, random bits. */
export function pickFloatValue(rng: Prng): bigint {
  switch (rng.below(10)) {
    case 0: case 1: return rng.pick(DOUBLES);
    case 2: case 3: return boxed(rng.pick(SINGLES));
    case 4: return randomDouble(rng);
    case 5: return boxed(randomSingle(rng));
    case 6: { // not NaN-boxed: reads as the canonical NaN to single-precision instructions
      const upper = rng.pick([0n, 0xfffffffen, 0x7fffffffn, 0x3ff00000n, BigInt(rng.u32())]);
      return (upper << 32n) | BigInt(rng.chance(0.5) ? rng.pick(SINGLES) : randomSingle(rng));
    }
    case 7: return rng.u64();
    default: return rng.chance(0.5) ? rng.pick(DOUBLES) : boxed(rng.pick(SINGLES));
  }
}

/** fcsr at segment start: frm mostly valid, sometimes 5..7 (dynamic-rm instructions then trap). */
export function pickFcsr(rng: Prng): number {
  const frm = rng.chance(0.12) ? rng.range(5, 7) : rng.range(0, 4);
  const fflags = rng.chance(0.5) ? 0 : rng.below(32);
  return (frm << 5) | fflags;
}

/** The rm field of a generated instruction: static modes, dynamic, and now and then reserved. */
export function pickRoundingMode(rng: Prng): number {
  const r = rng.below(100);
  if (r < 6) return rng.pick([5, 6]);
  if (r < 35) return Rm.DYN;
  return rng.range(0, 4);
}
