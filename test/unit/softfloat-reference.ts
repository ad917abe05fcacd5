// An independent model of the F and D arithmetic for testing server/core/softfloat.ts: every
// operand is decoded to an exact rational (BigInt numerator and denominator), the exact
// result is computed, then rounded to the format by searching for the quantum directly.
// It shares no code or structure with the library: no jamming, no fixed-width significands.
// Sources: IEEE 754-2008 (4.3 rounding, 6.3 zero signs, 7 exceptions) and the RISC-V
// unprivileged spec, F and D chapters (canonical NaN, tininess after rounding, fmadd inf x 0,
// fmin/fmax, conversion table 11.4, fclass).

export interface Format {
  name: 'f32' | 'f64';
  width: 32 | 64;
  /** Precision in bits, including the implicit one. */
  p: number;
  bias: number;
  emin: number;
  emax: number;
  /** All-ones biased exponent. */
  expMax: number;
}

export const F32: Format = { name: 'f32', width: 32, p: 24, bias: 127, emin: -126, emax: 127, expMax: 255 };
export const F64: Format = { name: 'f64', width: 64, p: 53, bias: 1023, emin: -1022, emax: 1023, expMax: 2047 };

export const NX = 1;
export const UF = 2;
export const OF = 4;
export const DZ = 8;
export const NV = 16;

export const RNE = 0;
export const RTZ = 1;
export const RDN = 2;
export const RUP = 3;
export const RMM = 4;
export const MODES = [RNE, RTZ, RDN, RUP, RMM];

export interface Result {
  bits: bigint;
  flags: number;
}

type Decoded =
  | { kind: 'nan'; sign: number; signaling: boolean }
  | { kind: 'inf'; sign: number }
  | { kind: 'zero'; sign: number }
  /** |x| = m * 2^e exactly, m > 0. */
  | { kind: 'finite'; sign: number; m: bigint; e: number; subnormal: boolean };

const fracWidth = (f: Format) => BigInt(f.p - 1);

export function fields(f: Format, sign: number, biasedExp: number, frac: bigint): bigint {
  return (BigInt(sign) << BigInt(f.width - 1)) | (BigInt(biasedExp) << fracWidth(f)) | frac;
}

export function decode(f: Format, bits: bigint): Decoded {
  const sign = Number(bits >> BigInt(f.width - 1)) & 1;
  const biased = Number((bits >> fracWidth(f)) & BigInt(f.expMax));
  const frac = bits & ((1n << fracWidth(f)) - 1n);
  if (biased === f.expMax) {
    if (frac === 0n) return { kind: 'inf', sign };
    return { kind: 'nan', sign, signaling: (frac >> (fracWidth(f) - 1n)) === 0n };
  }
  if (biased === 0) {
    if (frac === 0n) return { kind: 'zero', sign };
    return { kind: 'finite', sign, m: frac, e: f.emin - (f.p - 1), subnormal: true };
  }
  return { kind: 'finite', sign, m: frac | (1n << fracWidth(f)), e: biased - f.bias - (f.p - 1), subnormal: false };
}

export const canonicalNaN = (f: Format) => (f.width === 32 ? 0x7fc00000n : 0x7ff8000000000000n);
const infBits = (f: Format, sign: number) => fields(f, sign, f.expMax, 0n);
const zeroBits = (f: Format, sign: number) => fields(f, sign, 0, 0n);
const maxBits = (f: Format, sign: number) => fields(f, sign, f.expMax - 1, (1n << fracWidth(f)) - 1n);

/** A signed dyadic rational n * 2^e. */
interface Dyadic {
  n: bigint;
  e: number;
}

function dyadicOf(d: Decoded): Dyadic {
  if (d.kind === 'zero') return { n: 0n, e: 0 };
  if (d.kind !== 'finite') throw new Error('not finite');
  return { n: d.sign ? -d.m : d.m, e: d.e };
}

function addDyadic(x: Dyadic, y: Dyadic): Dyadic {
  const e = Math.min(x.e, y.e);
  return { n: (x.n << BigInt(x.e - e)) + (y.n << BigInt(y.e - e)), e };
}

function compareDyadic(x: Dyadic, y: Dyadic): number {
  const d = addDyadic(x, { n: -y.n, e: y.e }).n;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Rounds num / den / 2^q (num >= 0, den > 0) to an integer in mode rm for a value of the given sign. */
function roundInteger(num: bigint, den: bigint, q: number, sign: number, rm: number): { i: bigint; inexact: boolean } {
  let n = num;
  let d = den;
  if (q >= 0) d <<= BigInt(q);
  else n <<= BigInt(-q);
  const i = n / d;
  const r = n - i * d;
  if (r === 0n) return { i, inexact: false };
  const vsHalf = 2n * r < d ? -1 : 2n * r > d ? 1 : 0;
  let up: boolean;
  switch (rm) {
    case RNE: up = vsHalf > 0 || (vsHalf === 0 && (i & 1n) === 1n); break;
    case RTZ: up = false; break;
    case RDN: up = sign === 1; break;
    case RUP: up = sign === 0; break;
    case RMM: up = vsHalf >= 0; break;
    default: throw new Error(`bad rounding mode ${rm}`);
  }
  return { i: up ? i + 1n : i, inexact: true };
}

/** Whether i * 2^q < 2^k. */
function belowPowerOfTwo(i: bigint, q: number, k: number): boolean {
  return q >= k ? i === 0n : i < 1n << BigInt(k - q);
}

/**
 * Rounds the exact non-zero value (-1)^sign * num / den to the format: NX when inexact, OF
 * (with NX) past the largest finite, UF when tiny after rounding (the value rounded to p
 * bits with unbounded exponent range is below 2^emin) and inexact.
 */
export function roundRational(f: Format, sign: number, num: bigint, den: bigint, rm: number): Result {
  if (num <= 0n || den <= 0n) throw new Error('roundRational wants a positive magnitude');
  // E = floor(log2(num / den)).
  let e = bitLength(num) - bitLength(den);
  const atLeast = e >= 0 ? num >= den << BigInt(e) : num << BigInt(-e) >= den;
  if (!atLeast) e--;
  const unbounded = roundInteger(num, den, e - (f.p - 1), sign, rm);
  const tiny = belowPowerOfTwo(unbounded.i, e - (f.p - 1), f.emin);
  let q = Math.max(e, f.emin) - (f.p - 1);
  let { i, inexact } = roundInteger(num, den, q, sign, rm);
  if (i === 1n << BigInt(f.p)) {
    i >>= 1n;
    q++;
  }
  if (!belowPowerOfTwo(i, q, f.emax + 1)) {
    const toMax = rm === RTZ || (rm === RDN && sign === 0) || (rm === RUP && sign === 1);
    return { bits: toMax ? maxBits(f, sign) : infBits(f, sign), flags: OF | NX };
  }
  const flags = (inexact ? NX : 0) | (inexact && tiny ? UF : 0);
  const hidden = 1n << fracWidth(f);
  if (i >= hidden) return { bits: fields(f, sign, q + (f.p - 1) + f.bias, i - hidden), flags };
  if (q !== f.emin - (f.p - 1)) throw new Error('subnormal at the wrong quantum');
  return { bits: fields(f, sign, 0, i), flags };
}

function roundDyadic(f: Format, x: Dyadic, rm: number): Result {
  const sign = x.n < 0n ? 1 : 0;
  const mag = sign ? -x.n : x.n;
  return x.e >= 0 ? roundRational(f, sign, mag << BigInt(x.e), 1n, rm) : roundRational(f, sign, mag, 1n << BigInt(-x.e), rm);
}

const nanResult = (f: Format, invalid: boolean): Result => ({ bits: canonicalNaN(f), flags: invalid ? NV : 0 });
const isSignaling = (d: Decoded) => d.kind === 'nan' && d.signaling;
const exactZeroSign = (rm: number) => (rm === RDN ? 1 : 0);

export function add(f: Format, a: bigint, b: bigint, rm: number): Result {
  const x = decode(f, a);
  const y = decode(f, b);
  if (x.kind === 'nan' || y.kind === 'nan') return nanResult(f, isSignaling(x) || isSignaling(y));
  if (x.kind === 'inf' && y.kind === 'inf') return x.sign === y.sign ? { bits: a, flags: 0 } : nanResult(f, true);
  if (x.kind === 'inf') return { bits: a, flags: 0 };
  if (y.kind === 'inf') return { bits: b, flags: 0 };
  const sum = addDyadic(dyadicOf(x), dyadicOf(y));
  if (sum.n === 0n) {
    const sign = x.kind === 'zero' && y.kind === 'zero' && x.sign === y.sign ? x.sign : exactZeroSign(rm);
    return { bits: zeroBits(f, sign), flags: 0 };
  }
  return roundDyadic(f, sum, rm);
}

export function sub(f: Format, a: bigint, b: bigint, rm: number): Result {
  return add(f, a, b ^ (1n << BigInt(f.width - 1)), rm);
}

export function mul(f: Format, a: bigint, b: bigint, rm: number): Result {
  const x = decode(f, a);
  const y = decode(f, b);
  if (x.kind === 'nan' || y.kind === 'nan') return nanResult(f, isSignaling(x) || isSignaling(y));
  const sign = x.sign ^ y.sign;
  if (x.kind === 'inf' || y.kind === 'inf') {
    if (x.kind === 'zero' || y.kind === 'zero') return nanResult(f, true);
    return { bits: infBits(f, sign), flags: 0 };
  }
  if (x.kind === 'zero' || y.kind === 'zero') return { bits: zeroBits(f, sign), flags: 0 };
  const p = dyadicOf(x);
  const q = dyadicOf(y);
  return roundDyadic(f, { n: p.n * q.n, e: p.e + q.e }, rm);
}

export function div(f: Format, a: bigint, b: bigint, rm: number): Result {
  const x = decode(f, a);
  const y = decode(f, b);
  if (x.kind === 'nan' || y.kind === 'nan') return nanResult(f, isSignaling(x) || isSignaling(y));
  const sign = x.sign ^ y.sign;
  if (x.kind === 'inf') return y.kind === 'inf' ? nanResult(f, true) : { bits: infBits(f, sign), flags: 0 };
  if (y.kind === 'inf') return { bits: zeroBits(f, sign), flags: 0 };
  if (y.kind === 'zero') return x.kind === 'zero' ? nanResult(f, true) : { bits: infBits(f, sign), flags: DZ };
  if (x.kind === 'zero') return { bits: zeroBits(f, sign), flags: 0 };
  // (mx 2^ex) / (my 2^ey)
  let num = x.m;
  let den = y.m;
  const e = x.e - y.e;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  return roundRational(f, sign, num, den, rm);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sqrt(f: Format, a: bigint, rm: number): Result {
  const x = decode(f, a);
  if (x.kind === 'nan') return nanResult(f, x.signaling);
  if (x.kind === 'zero') return { bits: a, flags: 0 };
  if (x.sign === 1) return nanResult(f, true);
  if (x.kind === 'inf') return { bits: a, flags: 0 };
  let m = x.m;
  let e = x.e;
  if (e % 2 !== 0) {
    m <<= 1n;
    e--;
  }
  // sqrt(m 2^e) = sqrt(m 4^k) 2^(e/2 - k); with k = 3p the root has far more than p + 2
  // bits, so an inexact root can stand in as s + 1/2 (no rounding boundary lies strictly
  // between s and s + 1 at that scale).
  const k = 3 * f.p;
  const n = m << BigInt(2 * k);
  const s = isqrt(n);
  if (s * s === n) return roundDyadic(f, { n: s, e: e / 2 - k }, rm);
  return roundDyadic(f, { n: 2n * s + 1n, e: e / 2 - k - 1 }, rm);
}

export function mulAdd(f: Format, a: bigint, b: bigint, c: bigint, rm: number): Result {
  const x = decode(f, a);
  const y = decode(f, b);
  const z = decode(f, c);
  const infTimesZero = (x.kind === 'inf' && y.kind === 'zero') || (x.kind === 'zero' && y.kind === 'inf');
  if (x.kind === 'nan' || y.kind === 'nan' || z.kind === 'nan') {
    // RISC-V F: NV for inf x 0 "even when the addend is a quiet NaN".
    return nanResult(f, infTimesZero || isSignaling(x) || isSignaling(y) || isSignaling(z));
  }
  if (infTimesZero) return nanResult(f, true);
  const signP = x.sign ^ y.sign;
  if (x.kind === 'inf' || y.kind === 'inf') {
    if (z.kind === 'inf' && z.sign !== signP) return nanResult(f, true);
    return { bits: infBits(f, signP), flags: 0 };
  }
  if (z.kind === 'inf') return { bits: c, flags: 0 };
  const px = dyadicOf(x);
  const py = dyadicOf(y);
  const sum = addDyadic({ n: px.n * py.n, e: px.e + py.e }, dyadicOf(z));
  if (sum.n === 0n) {
    const productZero = x.kind === 'zero' || y.kind === 'zero';
    const sign = productZero && z.kind === 'zero' && signP === z.sign ? signP : exactZeroSign(rm);
    return { bits: zeroBits(f, sign), flags: 0 };
  }
  return roundDyadic(f, sum, rm);
}

/** fmin/fmax: minimumNumber/maximumNumber of IEEE 754-2019 with -0 < +0. */
export function minMax(f: Format, a: bigint, b: bigint, wantMax: boolean): Result {
  const x = decode(f, a);
  const y = decode(f, b);
  const flags = isSignaling(x) || isSignaling(y) ? NV : 0;
  if (x.kind === 'nan' && y.kind === 'nan') return { bits: canonicalNaN(f), flags };
  if (x.kind === 'nan') return { bits: b, flags };
  if (y.kind === 'nan') return { bits: a, flags };
  const c = compareValues(x, y) || (x.sign === y.sign ? 0 : x.sign === 1 ? -1 : 1);
  const pickA = wantMax ? c >= 0 : c <= 0;
  return { bits: pickA ? a : b, flags };
}

/** Numeric comparison of non-NaN values (-0 == +0). */
function compareValues(x: Decoded, y: Decoded): number {
  const rank = (d: Decoded) => (d.kind === 'inf' ? (d.sign ? -1 : 1) : 0);
  if (rank(x) !== rank(y)) return rank(x) < rank(y) ? -1 : 1;
  if (x.kind === 'inf') return 0;
  return compareDyadic(dyadicOf(x), dyadicOf(y));
}

export function compare(f: Format, a: bigint, b: bigint, op: 'eq' | 'lt' | 'le'): Result {
  const x = decode(f, a);
  const y = decode(f, b);
  if (x.kind === 'nan' || y.kind === 'nan') {
    const invalid = op === 'eq' ? isSignaling(x) || isSignaling(y) : true;
    return { bits: 0n, flags: invalid ? NV : 0 };
  }
  const c = compareValues(x, y);
  const truth = op === 'eq' ? c === 0 : op === 'lt' ? c < 0 : c <= 0;
  return { bits: truth ? 1n : 0n, flags: 0 };
}

export function classify(f: Format, a: bigint): Result {
  const x = decode(f, a);
  let bit: number;
  switch (x.kind) {
    case 'nan': bit = x.signaling ? 8 : 9; break;
    case 'inf': bit = x.sign ? 0 : 7; break;
    case 'zero': bit = x.sign ? 3 : 4; break;
    default: bit = x.subnormal ? (x.sign ? 2 : 5) : (x.sign ? 1 : 6);
  }
  return { bits: 1n << BigInt(bit), flags: 0 };
}

export interface IntFormat {
  name: 'i32' | 'u32' | 'i64' | 'u64';
  width: 32 | 64;
  min: bigint;
  max: bigint;
}

export const INT_FORMATS: IntFormat[] = [
  { name: 'i32', width: 32, min: -(1n << 31n), max: (1n << 31n) - 1n },
  { name: 'u32', width: 32, min: 0n, max: (1n << 32n) - 1n },
  { name: 'i64', width: 64, min: -(1n << 63n), max: (1n << 63n) - 1n },
  { name: 'u64', width: 64, min: 0n, max: (1n << 64n) - 1n },
];

/** fcvt to integer (table 11.4): result bits of the integer width. */
export function toInt(f: Format, t: IntFormat, a: bigint, rm: number): Result {
  const x = decode(f, a);
  const wrap = (v: bigint) => BigInt.asUintN(t.width, v);
  if (x.kind === 'nan') return { bits: wrap(t.max), flags: NV };
  if (x.kind === 'inf') return { bits: wrap(x.sign ? t.min : t.max), flags: NV };
  if (x.kind === 'zero') return { bits: 0n, flags: 0 };
  const r = x.e >= 0 ? { i: x.m << BigInt(x.e), inexact: false } : roundInteger(x.m, 1n << BigInt(-x.e), 0, x.sign, rm);
  const v = x.sign ? -r.i : r.i;
  if (v > t.max) return { bits: wrap(t.max), flags: NV };
  if (v < t.min) return { bits: wrap(t.min), flags: NV };
  return { bits: wrap(v), flags: r.inexact ? NX : 0 };
}

/** fcvt from integer: `v` is the register value, interpreted per t. */
export function fromInt(f: Format, t: IntFormat, v: bigint, rm: number): Result {
  const value = t.min < 0n ? BigInt.asIntN(t.width, v) : BigInt.asUintN(t.width, v);
  if (value === 0n) return { bits: 0n, flags: 0 };
  return value < 0n ? roundRational(f, 1, -value, 1n, rm) : roundRational(f, 0, value, 1n, rm);
}

/** fcvt.s.d / fcvt.d.s. */
export function convert(from: Format, to: Format, a: bigint, rm: number): Result {
  const x = decode(from, a);
  if (x.kind === 'nan') return nanResult(to, x.signaling);
  if (x.kind === 'inf') return { bits: infBits(to, x.sign), flags: 0 };
  if (x.kind === 'zero') return { bits: zeroBits(to, x.sign), flags: 0 };
  return roundDyadic(to, dyadicOf(x), rm);
}
