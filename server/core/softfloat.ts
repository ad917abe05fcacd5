// IEEE 754-2008 binary32 and binary64 arithmetic for the F and D extensions (RISC-V
// unprivileged spec, "F" and "D" chapters), computed on integer significands so that result
// bits and exception flags never depend on the host's floating point; round-to-nearest-even
// fast paths use the host's IEEE arithmetic only where it provably gives the same bits and
// flags (see "fast paths" below).
//
// Values travel as raw bits (u32 for binary32, u64 for binary64). Every operation ORs its
// exceptions into fpFlags in the fflags layout. RISC-V conventions on top of IEEE 754, by
// section of the F chapter:
// - "NaN Generation and Propagation": a NaN result is always the canonical NaN;
// - "Subnormal Arithmetic": tininess is detected after rounding;
// - "Single-Precision Floating-Point Computational Instructions": fmadd raises NV for
//   inf x 0 even when the addend is a quiet NaN; fmin/fmax are IEEE 754-2019
//   minimumNumber/maximumNumber with -0 < +0;
// - "Single-Precision Floating-Point Conversion and Move Instructions": float-to-integer
//   conversions saturate and raise NV as its table of invalid inputs says.
//
// Internally a finite non-zero operand is a sign, an unbiased exponent e and a 64-bit
// significand with its leading one at bit 63, so its magnitude is sig / 2^63 * 2^e. Bits
// shifted out on the right are "jammed" (ORed) into bit 0, which keeps rounding exact: the
// round position always lies at least 11 bits above bit 0. One rounding routine serves both
// formats; `dbl` selects binary64.

import { wideHi, wideLo, mulWide, shiftRightJamWide } from './wide';

// fflags bits (F chapter, "Floating-Point Control and Status Register").
export const FLAG_NX: u32 = 1;
export const FLAG_UF: u32 = 2;
export const FLAG_OF: u32 = 4;
export const FLAG_DZ: u32 = 8;
export const FLAG_NV: u32 = 16;

// Rounding modes as encoded in frm (same section, rounding mode encoding table); the caller
// resolves the dynamic mode (7) before calling.
export const RM_RNE: u32 = 0;
export const RM_RTZ: u32 = 1;
export const RM_RDN: u32 = 2;
export const RM_RUP: u32 = 3;
export const RM_RMM: u32 = 4;

/** Accrued exception flags; every operation ORs into it, only clearFpFlags resets it. */
export let fpFlags: u32 = 0;

export function clearFpFlags(): void {
  fpFlags = 0;
}

// --- format parameters: binary32 has p = 24, binary64 p = 53 ---

@inline function fracBits(dbl: bool): i32 {
  return dbl ? 52 : 23;
}

/** The all-ones biased exponent of infinities and NaNs. */
@inline function expAllOnes(dbl: bool): i32 {
  return dbl ? 0x7ff : 0xff;
}

@inline function bias(dbl: bool): i32 {
  return dbl ? 1023 : 127;
}

@inline function signShift(dbl: bool): u64 {
  return dbl ? 63 : 31;
}

@inline function canonicalNaN(dbl: bool): u64 {
  return dbl ? 0x7ff8000000000000 : 0x7fc00000;
}

@inline function signOf(x: u64, dbl: bool): u64 {
  return (x >> signShift(dbl)) & 1;
}

@inline function expField(x: u64, dbl: bool): i32 {
  return <i32>(x >> <u64>fracBits(dbl)) & expAllOnes(dbl);
}

@inline function fracField(x: u64, dbl: bool): u64 {
  return x & ((<u64>1 << <u64>fracBits(dbl)) - 1);
}

@inline function isNaN(x: u64, dbl: bool): bool {
  return expField(x, dbl) == expAllOnes(dbl) && fracField(x, dbl) != 0;
}

/** A signalling NaN has the most significant fraction bit clear (IEEE 754-2008 6.2.1). */
@inline function isSignaling(x: u64, dbl: bool): bool {
  return isNaN(x, dbl) && ((x >> <u64>(fracBits(dbl) - 1)) & 1) == 0;
}

@inline function isInf(x: u64, dbl: bool): bool {
  return expField(x, dbl) == expAllOnes(dbl) && fracField(x, dbl) == 0;
}

@inline function isZero(x: u64, dbl: bool): bool {
  return (x & ((<u64>1 << signShift(dbl)) - 1)) == 0;
}

@inline function zeroOf(sign: u64, dbl: bool): u64 {
  return sign << signShift(dbl);
}

@inline function infOf(sign: u64, dbl: bool): u64 {
  return (sign << signShift(dbl)) | (<u64>expAllOnes(dbl) << <u64>fracBits(dbl));
}

/** Largest finite magnitude with the given sign. */
@inline function maxFiniteOf(sign: u64, dbl: bool): u64 {
  return infOf(sign, dbl) - 1;
}

/** Significand of a finite non-zero value, leading one at bit 63 (subnormals normalized). */
function sigOf(x: u64, dbl: bool): u64 {
  const frac = fracField(x, dbl);
  const fb = <u64>fracBits(dbl);
  if (expField(x, dbl) != 0) return (frac | (<u64>1 << fb)) << (63 - fb);
  return frac << clz(frac);
}

/** Unbiased exponent of the leading one of a finite non-zero value. */
function expOf(x: u64, dbl: bool): i32 {
  const e = expField(x, dbl);
  if (e != 0) return e - bias(dbl);
  // A subnormal's leading one sits clz - (63 - fracBits) places below the implicit bit.
  return 1 - bias(dbl) - (<i32>clz(fracField(x, dbl)) - (63 - fracBits(dbl)));
}

/** Shifts right by n (any n >= 0), ORing every bit shifted out into bit 0. */
function shiftRightJam(x: u64, n: i32): u64 {
  if (n == 0) return x;
  if (n >= 64) return x != 0 ? 1 : 0;
  const lost = x << <u64>(64 - n);
  return (x >> <u64>n) | (lost != 0 ? 1 : 0);
}

/** Whether rounding away the low bits `rest` (out of a field where `half` is one half ulp)
 * moves the magnitude up one ulp; `odd` is the kept least significant bit. */
function roundsUp(rm: u32, sign: u64, rest: u64, half: u64, odd: bool): bool {
  if (rest == 0) return false;
  switch (rm) {
    case RM_RNE: return rest > half || (rest == half && odd);
    case RM_RDN: return sign != 0;
    case RM_RUP: return sign == 0;
    case RM_RMM: return rest >= half;
    default: return false; // RTZ
  }
}

/**
 * Rounds sign * sig / 2^63 * 2^e (sig's bit 63 set, lower bits jammed) to the format, raising
 * NX, UF (tiny after rounding and inexact) and OF, and returns the packed bits.
 */
function roundPack(sign: u64, e: i32, sig: u64, rm: u32, dbl: bool): u64 {
  const p = fracBits(dbl) + 1;
  const emin = 1 - bias(dbl);
  const emax = bias(dbl);
  const shift = <u64>(64 - p); // bits below the kept p-bit significand
  const restMask = (<u64>1 << shift) - 1;
  const half = <u64>1 << (shift - 1);
  let tiny = false;
  if (e < emin) {
    // Tininess after rounding: the value is tiny unless rounding it to p bits with an
    // unbounded exponent range carries it up to 2^emin, which only an all-ones significand
    // one binade below can do.
    tiny = true;
    if (e == emin - 1 && (sig >> shift) == (<u64>1 << <u64>p) - 1
      && roundsUp(rm, sign, sig & restMask, half, true)) tiny = false;
    sig = shiftRightJam(sig, emin - e);
    e = emin;
  }
  const rest = sig & restMask;
  let m = sig >> shift;
  if (rest != 0) {
    fpFlags |= tiny ? FLAG_NX | FLAG_UF : FLAG_NX;
    if (roundsUp(rm, sign, rest, half, (m & 1) != 0)) m++;
  }
  if ((m >> <u64>p) != 0) { // carried out to 2^p
    m >>= 1;
    e++;
  }
  if (e > emax) {
    fpFlags |= FLAG_OF | FLAG_NX;
    const toMax = rm == RM_RTZ || (rm == RM_RDN && sign == 0) || (rm == RM_RUP && sign != 0);
    return toMax ? maxFiniteOf(sign, dbl) : infOf(sign, dbl);
  }
  // A normal m carries the implicit bit, which adds one to the biased exponent field; a
  // subnormal m (e == emin) has none and gets exponent field 0.
  return (sign << signShift(dbl)) + (<u64>(e + bias(dbl) - 1) << <u64>(p - 1)) + m;
}

/** Returns the canonical NaN, raising NV if any of the operands is a signalling NaN. */
function propagateNaN(a: u64, b: u64, dbl: bool): u64 {
  if (isSignaling(a, dbl) || isSignaling(b, dbl)) fpFlags |= FLAG_NV;
  return canonicalNaN(dbl);
}

function invalid(dbl: bool): u64 {
  fpFlags |= FLAG_NV;
  return canonicalNaN(dbl);
}

// --- 128-bit helpers: mulWide and shiftRightJamWide (wide.ts) leave wideHi / wideLo ---

// --- arithmetic, shared by both formats ---

function addBits(a: u64, b: u64, rm: u32, dbl: bool): u64 {
  if (isNaN(a, dbl) || isNaN(b, dbl)) return propagateNaN(a, b, dbl);
  const signA = signOf(a, dbl);
  const signB = signOf(b, dbl);
  if (isInf(a, dbl)) {
    if (isInf(b, dbl) && signA != signB) return invalid(dbl); // inf - inf
    return a;
  }
  if (isInf(b, dbl)) return b;
  if (isZero(a, dbl)) {
    if (!isZero(b, dbl)) return b;
    // Exact zero sum: opposite signs give +0, or -0 when rounding down (IEEE 754 6.3).
    return signA == signB ? a : zeroOf(rm == RM_RDN ? 1 : 0, dbl);
  }
  if (isZero(b, dbl)) return a;
  // Leading ones at bit 62 leave room for the carry.
  let eBig = expOf(a, dbl);
  let eSmall = expOf(b, dbl);
  let big = sigOf(a, dbl) >> 1;
  let small = sigOf(b, dbl) >> 1;
  let sign = signA;
  if (eBig < eSmall || (eBig == eSmall && big < small)) {
    const e = eBig; eBig = eSmall; eSmall = e;
    const s = big; big = small; small = s;
    sign = signB;
  }
  // Jamming loses bits only when the exponents differ by 2 or more, and then at most one
  // bit cancels, so the jammed bit stays far below the round position.
  small = shiftRightJam(small, eBig - eSmall);
  const m = signA == signB ? big + small : big - small;
  if (m == 0) return zeroOf(rm == RM_RDN ? 1 : 0, dbl);
  const lz = <i32>clz(m);
  return roundPack(sign, eBig + 1 - lz, m << <u64>lz, rm, dbl);
}

function mulBits(a: u64, b: u64, rm: u32, dbl: bool): u64 {
  if (isNaN(a, dbl) || isNaN(b, dbl)) return propagateNaN(a, b, dbl);
  const sign = signOf(a, dbl) ^ signOf(b, dbl);
  if (isInf(a, dbl) || isInf(b, dbl)) {
    if (isZero(a, dbl) || isZero(b, dbl)) return invalid(dbl); // inf * 0
    return infOf(sign, dbl);
  }
  if (isZero(a, dbl) || isZero(b, dbl)) return zeroOf(sign, dbl);
  let e = expOf(a, dbl) + expOf(b, dbl);
  // The product of two significands in [2^63, 2^64) lies in [2^126, 2^128).
  mulWide(sigOf(a, dbl), sigOf(b, dbl));
  let hi = wideHi;
  let lo = wideLo;
  if ((hi >> 63) == 0) {
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
  } else {
    e++;
  }
  return roundPack(sign, e, hi | (lo != 0 ? 1 : 0), rm, dbl);
}

function divBits(a: u64, b: u64, rm: u32, dbl: bool): u64 {
  if (isNaN(a, dbl) || isNaN(b, dbl)) return propagateNaN(a, b, dbl);
  const sign = signOf(a, dbl) ^ signOf(b, dbl);
  if (isInf(a, dbl)) {
    if (isInf(b, dbl)) return invalid(dbl); // inf / inf
    return infOf(sign, dbl);
  }
  if (isInf(b, dbl)) return zeroOf(sign, dbl);
  if (isZero(b, dbl)) {
    if (isZero(a, dbl)) return invalid(dbl); // 0 / 0
    fpFlags |= FLAG_DZ;
    return infOf(sign, dbl);
  }
  if (isZero(a, dbl)) return zeroOf(sign, dbl);
  const p = fracBits(dbl) + 1;
  const toInt = <u64>(64 - p);
  let e = expOf(a, dbl) - expOf(b, dbl);
  // p-bit integer significands; make the quotient lie in [1, 2).
  let num = sigOf(a, dbl) >> toInt;
  const den = sigOf(b, dbl) >> toInt;
  if (num < den) {
    num <<= 1;
    e--;
  }
  // Long division, as many quotient bits per u64 division as the remainder leaves room for:
  // p + 1 bits after the leading one give a guard bit; the remainder is the sticky bit.
  let q: u64 = 1;
  let r = num - den;
  let todo = p + 1;
  const step = 64 - p;
  while (todo > 0) {
    const s = <u64>(todo < step ? todo : step);
    r <<= s;
    q = (q << s) | (r / den);
    r = r % den;
    todo -= <i32>s;
  }
  // q has p + 2 bits; put its leading one at bit 63.
  return roundPack(sign, e, (q << <u64>(62 - p)) | (r != 0 ? 1 : 0), rm, dbl);
}

/** Whether r * r > (hi, lo). */
function squareAbove(r: u64, hi: u64, lo: u64): bool {
  mulWide(r, r);
  return wideHi > hi || (wideHi == hi && wideLo > lo);
}

function sqrtBits(a: u64, rm: u32, dbl: bool): u64 {
  if (isNaN(a, dbl)) return propagateNaN(a, a, dbl);
  if (isZero(a, dbl)) return a; // sqrt(-0) = -0
  if (signOf(a, dbl) != 0) return invalid(dbl);
  if (isInf(a, dbl)) return a;
  const fb = fracBits(dbl);
  // a = m * 2^scale with m a (p or p+1)-bit integer and scale even.
  let m = sigOf(a, dbl) >> <u64>(63 - fb);
  let scale = expOf(a, dbl) - fb;
  if ((scale & 1) != 0) {
    m <<= 1;
    scale--;
  }
  // Radicand X = m * 2^pad, wide enough that its root has p + 2 or more bits:
  // binary64 X < 2^112 (root in [2^55, 2^56)); binary32 X < 2^63 (root >= 2^30).
  const pad = dbl ? 58 : 38;
  const hi = dbl ? m >> 6 : 0;
  const lo = m << <u64>pad;
  // floor(sqrt(X)): the host's correctly rounded square root gives an estimate within a few
  // units (it only ever sees a positive integer, so no NaN can arise), and exact 128-bit
  // squaring then corrects it; the result depends on integer arithmetic alone.
  let root = dbl
    ? <u64>(sqrt<f64>(<f64>m) * 536870912.0) // sqrt(m) * 2^29
    : <u64>sqrt<f64>(<f64>lo);
  while (squareAbove(root, hi, lo)) root--;
  while (!squareAbove(root + 1, hi, lo)) root++;
  mulWide(root, root);
  const inexact = wideHi != hi || wideLo != lo;
  const lz = <i32>clz(root);
  const e = 63 - lz + ((scale - pad) >> 1);
  return roundPack(0, e, (root << <u64>lz) | (inexact ? 1 : 0), rm, dbl);
}

/** a * b + c with a single rounding. */
function mulAddBits(a: u64, b: u64, c: u64, rm: u32, dbl: bool): u64 {
  const infTimesZero = (isInf(a, dbl) && isZero(b, dbl)) || (isZero(a, dbl) && isInf(b, dbl));
  if (isNaN(a, dbl) || isNaN(b, dbl) || isNaN(c, dbl)) {
    // RISC-V (F chapter, fused multiply-add): inf x 0 raises NV even when the addend is a
    // quiet NaN, where IEEE 754 leaves it to the implementation.
    if (infTimesZero || isSignaling(c, dbl)) fpFlags |= FLAG_NV;
    return propagateNaN(a, b, dbl);
  }
  if (infTimesZero) return invalid(dbl);
  const signP = signOf(a, dbl) ^ signOf(b, dbl);
  const signC = signOf(c, dbl);
  if (isInf(a, dbl) || isInf(b, dbl)) {
    if (isInf(c, dbl) && signC != signP) return invalid(dbl); // inf - inf
    return infOf(signP, dbl);
  }
  if (isInf(c, dbl)) return c;
  if (isZero(a, dbl) || isZero(b, dbl)) {
    if (!isZero(c, dbl)) return c;
    return signP == signC ? c : zeroOf(rm == RM_RDN ? 1 : 0, dbl);
  }
  // Exact product in [2^126, 2^128) as (pHi, pLo); normalize to leading one at bit 127.
  let eP = expOf(a, dbl) + expOf(b, dbl);
  mulWide(sigOf(a, dbl), sigOf(b, dbl));
  let pHi = wideHi;
  let pLo = wideLo;
  if ((pHi >> 63) == 0) {
    pHi = (pHi << 1) | (pLo >> 63);
    pLo <<= 1;
  } else {
    eP++;
  }
  if (isZero(c, dbl)) return roundPack(signP, eP, pHi | (pLo != 0 ? 1 : 0), rm, dbl);
  // Both operands with leading one at bit 126 (room for a carry). The product has at most
  // 106 significant bits, so its shift right by one loses nothing.
  pLo = (pLo >> 1) | (pHi << 63);
  pHi >>= 1;
  const sigC = sigOf(c, dbl);
  let cHi = sigC >> 1;
  let cLo = sigC << 63;
  let eC = expOf(c, dbl);
  // Order by magnitude: (bigHi, bigLo) at exponent eBig with sign `sign`.
  let bigHi = pHi;
  let bigLo = pLo;
  let eBig = eP;
  let sign = signP;
  if (eC > eP || (eC == eP && (cHi > pHi || (cHi == pHi && cLo > pLo)))) {
    bigHi = cHi; bigLo = cLo; eBig = eC; sign = signC;
    cHi = pHi; cLo = pLo; eC = eP;
  }
  shiftRightJamWide(cHi, cLo, eBig - eC);
  let hi: u64;
  let lo: u64;
  if (signP == signC) {
    lo = bigLo + wideLo;
    hi = bigHi + wideHi + (lo < bigLo ? 1 : 0);
  } else {
    lo = bigLo - wideLo;
    hi = bigHi - wideHi - (bigLo < wideLo ? 1 : 0);
  }
  if ((hi | lo) == 0) return zeroOf(rm == RM_RDN ? 1 : 0, dbl);
  // Normalize to leading one at bit 127 (exponent of bit 126 is eBig).
  const lz = hi != 0 ? <i32>clz(hi) : 64 + <i32>clz(lo);
  const e = eBig + 1 - lz;
  if (lz >= 64) {
    hi = lo << <u64>(lz - 64);
    lo = 0;
  } else if (lz > 0) {
    hi = (hi << <u64>lz) | (lo >> <u64>(64 - lz));
    lo <<= <u64>lz;
  }
  return roundPack(sign, e, hi | (lo != 0 ? 1 : 0), rm, dbl);
}

// --- min/max, comparisons and classification (F chapter, compare and classify sections) ---

/** a < b for non-NaN values, with -0 < +0 (the ordering fmin/fmax use). */
function orderedBelow(a: u64, b: u64, dbl: bool): bool {
  const signA = signOf(a, dbl);
  const signB = signOf(b, dbl);
  if (signA != signB) return signA != 0;
  return signA != 0 ? a > b : a < b;
}

function minMaxBits(a: u64, b: u64, wantMax: bool, dbl: bool): u64 {
  if (isSignaling(a, dbl) || isSignaling(b, dbl)) fpFlags |= FLAG_NV;
  const nanA = isNaN(a, dbl);
  const nanB = isNaN(b, dbl);
  if (nanA && nanB) return canonicalNaN(dbl);
  if (nanA) return b;
  if (nanB) return a;
  return orderedBelow(a, b, dbl) != wantMax ? a : b;
}

function eqBits(a: u64, b: u64, dbl: bool): bool {
  if (isNaN(a, dbl) || isNaN(b, dbl)) {
    if (isSignaling(a, dbl) || isSignaling(b, dbl)) fpFlags |= FLAG_NV;
    return false;
  }
  return a == b || (isZero(a, dbl) && isZero(b, dbl));
}

function ltBits(a: u64, b: u64, dbl: bool): bool {
  if (isNaN(a, dbl) || isNaN(b, dbl)) {
    fpFlags |= FLAG_NV;
    return false;
  }
  if (isZero(a, dbl) && isZero(b, dbl)) return false;
  return orderedBelow(a, b, dbl);
}

function leBits(a: u64, b: u64, dbl: bool): bool {
  if (isNaN(a, dbl) || isNaN(b, dbl)) {
    fpFlags |= FLAG_NV;
    return false;
  }
  if (a == b || (isZero(a, dbl) && isZero(b, dbl))) return true;
  return orderedBelow(a, b, dbl);
}

/** The fclass mask (F chapter, table of FCLASS results): bit 0 -inf ... bit 9 quiet NaN. */
function classifyBits(a: u64, dbl: bool): u32 {
  const negative = signOf(a, dbl) != 0;
  if (isNaN(a, dbl)) return isSignaling(a, dbl) ? 1 << 8 : 1 << 9;
  if (isInf(a, dbl)) return negative ? 1 << 0 : 1 << 7;
  if (isZero(a, dbl)) return negative ? 1 << 3 : 1 << 4;
  if (expField(a, dbl) == 0) return negative ? 1 << 2 : 1 << 5;
  return negative ? 1 << 1 : 1 << 6;
}

// --- conversions (F chapter, conversion and move instructions) ---

/**
 * Float to integer: rounds to an integer and saturates as the spec's table of invalid inputs
 * says (NaN and too-large positives give the maximum, too-large negatives the minimum, with
 * NV alone); NX when inexact. A negative that rounds to 0 is a valid unsigned result.
 * Returns the result bits in the low 32 or 64 bits.
 */
function toIntBits(a: u64, rm: u32, dbl: bool, signed: bool, wide: bool): u64 {
  const maxPos: u64 = signed ? (wide ? 0x7fffffffffffffff : 0x7fffffff) : (wide ? U64.MAX_VALUE : 0xffffffff);
  const minNeg: u64 = signed ? (wide ? 0x8000000000000000 : 0x80000000) : 0;
  if (isNaN(a, dbl)) {
    fpFlags |= FLAG_NV;
    return maxPos;
  }
  const sign = signOf(a, dbl);
  if (isInf(a, dbl)) {
    fpFlags |= FLAG_NV;
    return sign != 0 ? minNeg : maxPos;
  }
  if (isZero(a, dbl)) return 0;
  const e = expOf(a, dbl);
  if (e > 63) { // magnitude at least 2^64
    fpFlags |= FLAG_NV;
    return sign != 0 ? minNeg : maxPos;
  }
  const sig = sigOf(a, dbl);
  // Integer part `mag` and fraction `frac` as a 64-bit binary fraction (2^63 is one half).
  let mag: u64;
  let frac: u64;
  if (e == 63) {
    mag = sig;
    frac = 0;
  } else if (e >= 0) {
    mag = sig >> <u64>(63 - e);
    frac = sig << <u64>(e + 1);
  } else {
    mag = 0;
    frac = shiftRightJam(sig, -1 - e);
  }
  if (roundsUp(rm, sign, frac, <u64>1 << 63, (mag & 1) != 0)) mag++;
  let fits: bool;
  if (sign == 0) fits = mag <= maxPos;
  else fits = signed ? mag <= minNeg : mag == 0;
  if (!fits) {
    fpFlags |= FLAG_NV;
    return sign != 0 ? minNeg : maxPos;
  }
  if (frac != 0) fpFlags |= FLAG_NX;
  const bits = sign != 0 ? ~mag + 1 : mag;
  return wide ? bits : bits & 0xffffffff;
}

/** Integer magnitude with a sign to float. */
function fromIntBits(mag: u64, sign: u64, rm: u32, dbl: bool): u64 {
  if (mag == 0) return 0;
  const lz = <i32>clz(mag);
  return roundPack(sign, 63 - lz, mag << <u64>lz, rm, dbl);
}

/** Between formats; binary32 to binary64 is exact (any rm). */
function convertBits(a: u64, rm: u32, from64: bool): u64 {
  const to64 = !from64;
  if (isNaN(a, from64)) {
    if (isSignaling(a, from64)) fpFlags |= FLAG_NV;
    return canonicalNaN(to64);
  }
  const sign = signOf(a, from64);
  if (isInf(a, from64)) return infOf(sign, to64);
  if (isZero(a, from64)) return zeroOf(sign, to64);
  return roundPack(sign, expOf(a, from64), sigOf(a, from64), rm, to64);
}

// --- round-to-nearest-even fast paths on the host's IEEE arithmetic ---
// wasm f32/f64 arithmetic is IEEE 754 binary32/binary64 with round-to-nearest-even, and its
// result bits are exact whenever the result is not a NaN. The fast paths take only finite
// non-zero operands, and keep only results that are finite with biased exponent >= 2, so no
// NaN is ever produced, neither overflow nor underflow (tiny after rounding) can have
// happened, and no zero-sign rule applies; they detect inexactness exactly (error-free
// transformations, or integer checks on significands). Anything else takes the integer path.
// binary32 is computed in binary64 and rounded once more: double rounding is harmless for
// + - * / sqrt when the wider precision is at least 2p + 2 (53 >= 50).

/** Returned by a fast path that does not apply (a NaN pattern no fast path produces). */
const NO_FAST: u64 = U64.MAX_VALUE;

/** Finite, non-zero binary32 (subnormals too: binary64 holds them exactly). */
@inline function fastOperand32(x: u32): bool {
  return (x & 0x7fffffff) - 1 < 0x7f7fffff;
}

/** Finite binary32 result with biased exponent 2..254. */
@inline function fastResult32(r: u32): bool {
  return ((r >> 23) & 0xff) - 2 < 0xfd;
}

/** Normal binary64 below 2^1022: a sum and its error terms cannot overflow. */
@inline function fastOperand64(x: u64): bool {
  return ((x >> 52) & 0x7ff) - 1 < 0x7fc;
}

/** Finite binary64 result with biased exponent 2..2046. */
@inline function fastResult64(r: u64): bool {
  return ((r >> 52) & 0x7ff) - 2 < 0x7fd;
}

/** Knuth's TwoSum: s = fl(x + y) is exact iff its error term is zero. */
@inline function sumExact(x: f64, y: f64, s: f64): bool {
  const t = s - x;
  return (x - (s - t)) + (y - t) == 0;
}

/** Odd part of a binary64 normal's significand. */
@inline function oddSignificand(x: u64): u64 {
  const m = (x & 0xfffffffffffff) | 0x10000000000000;
  return m >> ctz(m);
}

@inline function bitWidth(x: u64): i32 {
  return 64 - <i32>clz(x);
}

/** Whether the odd significands satisfy p * q == r exactly (r < 2^53). */
@inline function oddProductIs(p: u64, q: u64, r: u64): bool {
  return bitWidth(p) + bitWidth(q) <= 54 && p * q == r;
}

function fastAdd32(a: u32, b: u32): u64 {
  if (!fastOperand32(a) || !fastOperand32(b)) return NO_FAST;
  const x = <f64>reinterpret<f32>(a);
  const y = <f64>reinterpret<f32>(b);
  const d = x + y;
  const r = <f32>d;
  const bits = reinterpret<u32>(r);
  if (!fastResult32(bits)) return NO_FAST;
  if (!sumExact(x, y, d) || <f64>r != d) fpFlags |= FLAG_NX;
  return bits;
}

function fastMul32(a: u32, b: u32): u64 {
  if (!fastOperand32(a) || !fastOperand32(b)) return NO_FAST;
  const d = <f64>reinterpret<f32>(a) * <f64>reinterpret<f32>(b); // exact: 48 bits
  const r = <f32>d;
  const bits = reinterpret<u32>(r);
  if (!fastResult32(bits)) return NO_FAST;
  if (<f64>r != d) fpFlags |= FLAG_NX;
  return bits;
}

function fastDiv32(a: u32, b: u32): u64 {
  if (!fastOperand32(a) || !fastOperand32(b)) return NO_FAST;
  const x = <f64>reinterpret<f32>(a);
  const y = <f64>reinterpret<f32>(b);
  const r = <f32>(x / y);
  const bits = reinterpret<u32>(r);
  if (!fastResult32(bits)) return NO_FAST;
  if (<f64>r * y != x) fpFlags |= FLAG_NX; // r * y is exact (48 bits)
  return bits;
}

function fastSqrt32(a: u32): u64 {
  if (a - 1 >= 0x7f7fffff) return NO_FAST; // zero, negative, infinite or NaN
  const x = <f64>reinterpret<f32>(a);
  const r = <f32>sqrt<f64>(x);
  const bits = reinterpret<u32>(r);
  if (<f64>r * <f64>r != x) fpFlags |= FLAG_NX; // r * r is exact (48 bits)
  return bits;
}

function fastAdd64(a: u64, b: u64): u64 {
  if (!fastOperand64(a) || !fastOperand64(b)) return NO_FAST;
  const x = reinterpret<f64>(a);
  const y = reinterpret<f64>(b);
  const s = x + y;
  const bits = reinterpret<u64>(s);
  if (!fastResult64(bits)) return NO_FAST;
  if (!sumExact(x, y, s)) fpFlags |= FLAG_NX;
  return bits;
}

function fastMul64(a: u64, b: u64): u64 {
  if (!fastOperand64(a) || !fastOperand64(b)) return NO_FAST;
  const bits = reinterpret<u64>(reinterpret<f64>(a) * reinterpret<f64>(b));
  if (!fastResult64(bits)) return NO_FAST;
  // A normal product is exact iff the odd parts' product fits in 53 bits.
  const p = oddSignificand(a);
  const q = oddSignificand(b);
  if (bitWidth(p) + bitWidth(q) > 54 || (p * q) >> 53 != 0) fpFlags |= FLAG_NX;
  return bits;
}

function fastDiv64(a: u64, b: u64): u64 {
  if (!fastOperand64(a) || !fastOperand64(b)) return NO_FAST;
  const bits = reinterpret<u64>(reinterpret<f64>(a) / reinterpret<f64>(b));
  if (!fastResult64(bits)) return NO_FAST;
  // q is exact iff q * b == a, i.e. the odd significands multiply up (the exponents then
  // agree, q being within an ulp of a / b).
  if (!oddProductIs(oddSignificand(bits), oddSignificand(b), oddSignificand(a))) fpFlags |= FLAG_NX;
  return bits;
}

function fastSqrt64(a: u64): u64 {
  if (!fastOperand64(a) || (a >> 63) != 0) return NO_FAST;
  const bits = reinterpret<u64>(sqrt<f64>(reinterpret<f64>(a)));
  const r = oddSignificand(bits);
  if (!oddProductIs(r, r, oddSignificand(a))) fpFlags |= FLAG_NX;
  return bits;
}

// --- binary32 API ---

export function f32Add(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) {
    const r = fastAdd32(a, b);
    if (r != NO_FAST) return <u32>r;
  }
  return <u32>addBits(a, b, rm, false);
}

export function f32Sub(a: u32, b: u32, rm: u32): u32 {
  return f32Add(a, b ^ 0x80000000, rm);
}

export function f32Mul(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) {
    const r = fastMul32(a, b);
    if (r != NO_FAST) return <u32>r;
  }
  return <u32>mulBits(a, b, rm, false);
}

export function f32Div(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) {
    const r = fastDiv32(a, b);
    if (r != NO_FAST) return <u32>r;
  }
  return <u32>divBits(a, b, rm, false);
}

export function f32Sqrt(a: u32, rm: u32): u32 {
  if (rm == RM_RNE) {
    const r = fastSqrt32(a);
    if (r != NO_FAST) return <u32>r;
  }
  return <u32>sqrtBits(a, rm, false);
}

export function f32MulAdd(a: u32, b: u32, c: u32, rm: u32): u32 {
  return <u32>mulAddBits(a, b, c, rm, false);
}

export function f32Min(a: u32, b: u32): u32 {
  return <u32>minMaxBits(a, b, false, false);
}

export function f32Max(a: u32, b: u32): u32 {
  return <u32>minMaxBits(a, b, true, false);
}

export function f32Eq(a: u32, b: u32): bool {
  return eqBits(a, b, false);
}

export function f32Lt(a: u32, b: u32): bool {
  return ltBits(a, b, false);
}

export function f32Le(a: u32, b: u32): bool {
  return leBits(a, b, false);
}

export function f32Classify(a: u32): u32 {
  return classifyBits(a, false);
}

export function f32ToI32(a: u32, rm: u32): u32 {
  return <u32>toIntBits(a, rm, false, true, false);
}

export function f32ToU32(a: u32, rm: u32): u32 {
  return <u32>toIntBits(a, rm, false, false, false);
}

export function f32ToI64(a: u32, rm: u32): u64 {
  return toIntBits(a, rm, false, true, true);
}

export function f32ToU64(a: u32, rm: u32): u64 {
  return toIntBits(a, rm, false, false, true);
}

export function i32ToF32(v: u32, rm: u32): u32 {
  const negative = <i32>v < 0;
  return <u32>fromIntBits(negative ? <u64>(~v + 1) : <u64>v, negative ? 1 : 0, rm, false);
}

export function u32ToF32(v: u32, rm: u32): u32 {
  return <u32>fromIntBits(<u64>v, 0, rm, false);
}

export function i64ToF32(v: u64, rm: u32): u32 {
  const sign = v >> 63;
  return <u32>fromIntBits(sign != 0 ? ~v + 1 : v, sign, rm, false);
}

export function u64ToF32(v: u64, rm: u32): u32 {
  return <u32>fromIntBits(v, 0, rm, false);
}

export function f32ToF64(a: u32): u64 {
  return convertBits(a, RM_RNE, false);
}

export function f64ToF32(a: u64, rm: u32): u32 {
  return <u32>convertBits(a, rm, true);
}

// --- binary64 API ---

export function f64Add(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) {
    const r = fastAdd64(a, b);
    if (r != NO_FAST) return r;
  }
  return addBits(a, b, rm, true);
}

export function f64Sub(a: u64, b: u64, rm: u32): u64 {
  return f64Add(a, b ^ 0x8000000000000000, rm);
}

export function f64Mul(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) {
    const r = fastMul64(a, b);
    if (r != NO_FAST) return r;
  }
  return mulBits(a, b, rm, true);
}

export function f64Div(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) {
    const r = fastDiv64(a, b);
    if (r != NO_FAST) return r;
  }
  return divBits(a, b, rm, true);
}

export function f64Sqrt(a: u64, rm: u32): u64 {
  if (rm == RM_RNE) {
    const r = fastSqrt64(a);
    if (r != NO_FAST) return r;
  }
  return sqrtBits(a, rm, true);
}

export function f64MulAdd(a: u64, b: u64, c: u64, rm: u32): u64 {
  return mulAddBits(a, b, c, rm, true);
}

export function f64Min(a: u64, b: u64): u64 {
  return minMaxBits(a, b, false, true);
}

export function f64Max(a: u64, b: u64): u64 {
  return minMaxBits(a, b, true, true);
}

export function f64Eq(a: u64, b: u64): bool {
  return eqBits(a, b, true);
}

export function f64Lt(a: u64, b: u64): bool {
  return ltBits(a, b, true);
}

export function f64Le(a: u64, b: u64): bool {
  return leBits(a, b, true);
}

export function f64Classify(a: u64): u32 {
  return classifyBits(a, true);
}

export function f64ToI32(a: u64, rm: u32): u32 {
  return <u32>toIntBits(a, rm, true, true, false);
}

export function f64ToU32(a: u64, rm: u32): u32 {
  return <u32>toIntBits(a, rm, true, false, false);
}

export function f64ToI64(a: u64, rm: u32): u64 {
  return toIntBits(a, rm, true, true, true);
}

export function f64ToU64(a: u64, rm: u32): u64 {
  return toIntBits(a, rm, true, false, true);
}

export function i32ToF64(v: u32, rm: u32): u64 {
  const negative = <i32>v < 0;
  return fromIntBits(negative ? <u64>(~v + 1) : <u64>v, negative ? 1 : 0, rm, true);
}

export function u32ToF64(v: u32, rm: u32): u64 {
  return fromIntBits(<u64>v, 0, rm, true);
}

export function i64ToF64(v: u64, rm: u32): u64 {
  const sign = v >> 63;
  return fromIntBits(sign != 0 ? ~v + 1 : v, sign, rm, true);
}

export function u64ToF64(v: u64, rm: u32): u64 {
  return fromIntBits(v, 0, rm, true);
}
