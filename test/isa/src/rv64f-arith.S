/* rv64f-arith.S — single-precision arithmetic with rounding: fadd.s fsub.s fmul.s
 * fdiv.s fsqrt.s, each under the five static rounding modes (rne rtz rdn rup rmm) and
 * under frm (dyn) set to each of them, on ties and other inexact results of both
 * signs. Exact fflags for every result: NX, OF (with the mode's inf-or-max result), UF
 * detected after rounding (a result tiny only before rounding, that rounds to the min
 * normal, raises no UF; an exact tiny result raises nothing), DZ, NV (inf - inf,
 * 0 * inf, 0 / 0, inf / inf, sqrt of a negative, any signalling NaN operand), signed
 * zeros of exact cancellation (+0, but -0 under rdn), subnormal operands and results,
 * and the canonical NaN 0x7fc00000 as the only NaN result. Results are checked NaN-boxed.
 * Expected values: exact rational arithmetic rounded once (IEEE 754-2008 sections 4, 7;
 * unprivileged spec 20191213 chapter 11). */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fadd: exact, ties under every static and dynamic rounding mode */
  FOP2_S      1, fadd.s, rne, 0x40400000, 0, 0x3f800000, 0x40000000            /* 1 + 2 = 3 */
  FOP2_S      2, fadd.s, rne, 0xbfa00000, 0, 0xbfc00000, 0x3e800000            /* -1.5 + 0.25 = -1.25 */
  FOP2_S      3, fadd.s, rne, 0x3f800000, NX, 0x3f800000, 0x33800000           /* 1 + 2^-24: a tie between 1 (even) and 1 + 2^-23 (rne) */
  FOP2_S      4, fadd.s, rtz, 0x3f800000, NX, 0x3f800000, 0x33800000           /* 1 + 2^-24: a tie between 1 (even) and 1 + 2^-23 (rtz) */
  FOP2_S      5, fadd.s, rdn, 0x3f800000, NX, 0x3f800000, 0x33800000           /* 1 + 2^-24: a tie between 1 (even) and 1 + 2^-23 (rdn) */
  FOP2_S      6, fadd.s, rup, 0x3f800001, NX, 0x3f800000, 0x33800000           /* 1 + 2^-24: a tie between 1 (even) and 1 + 2^-23 (rup) */
  FOP2_S      7, fadd.s, rmm, 0x3f800001, NX, 0x3f800000, 0x33800000           /* 1 + 2^-24: a tie between 1 (even) and 1 + 2^-23 (rmm) */
  fsrmi RM_RNE
  FOP2_S      8, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3800000           /* -1 - 2^-24: a tie, frm = RNE */
  fsrmi RM_RTZ
  FOP2_S      9, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3800000           /* -1 - 2^-24: a tie, frm = RTZ */
  fsrmi RM_RDN
  FOP2_S     10, fadd.s, dyn, 0xbf800001, NX, 0xbf800000, 0xb3800000           /* -1 - 2^-24: a tie, frm = RDN */
  fsrmi RM_RUP
  FOP2_S     11, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3800000           /* -1 - 2^-24: a tie, frm = RUP */
  fsrmi RM_RMM
  FOP2_S     12, fadd.s, dyn, 0xbf800001, NX, 0xbf800000, 0xb3800000           /* -1 - 2^-24: a tie, frm = RMM */
  FOP2_S     13, fadd.s, rne, 0x3f800001, NX, 0x3f800000, 0x33c00000           /* 1 + 3/4 ulp: nearest is 1 + ulp */
  FOP2_S     14, fadd.s, rtz, 0x3f800000, NX, 0x3f800000, 0x33c00000           /* 1 + 3/4 ulp toward zero: 1 */
  FOP2_S     15, fadd.s, rne, 0x3f800000, NX, 0x3f800000, 0x00000001           /* 1 + min subnormal: 1, inexact */
  FOP2_S     16, fadd.s, rup, 0x3f800001, NX, 0x3f800000, 0x00000001           /* 1 + min subnormal, up: 1 + ulp */

  /* fadd: signed zeros (x + -x is +0, but -0 when rounding down) */
  FOP2_S     17, fadd.s, rne, 0x00000000, 0, 0x00000000, 0x00000000            /* +0 + +0 = +0 */
  FOP2_S     18, fadd.s, rne, 0x80000000, 0, 0x80000000, 0x80000000            /* -0 + -0 = -0 */
  FOP2_S     19, fadd.s, rne, 0x00000000, 0, 0x00000000, 0x80000000            /* +0 + -0 = +0 */
  FOP2_S     20, fadd.s, rdn, 0x80000000, 0, 0x00000000, 0x80000000            /* +0 + -0 = -0 */
  FOP2_S     21, fadd.s, rne, 0x00000000, 0, 0x3f800000, 0xbf800000            /* 1 + -1 = +0 */
  FOP2_S     22, fadd.s, rdn, 0x80000000, 0, 0x3f800000, 0xbf800000            /* 1 + -1 = -0 */
  fsrmi RM_RDN
  FOP2_S     23, fadd.s, dyn, 0x80000000, 0, 0xc0000000, 0x40000000            /* -2 + 2, frm = RDN: -0 */
  FOP2_S     24, fadd.s, rtz, 0x00000000, 0, 0xc0000000, 0x40000000            /* -2 + 2 = +0 */
  FOP2_S     25, fadd.s, rne, 0x00000001, 0, 0x00000001, 0x80000000            /* min subnormal + -0 = min subnormal */

  /* fadd: subnormal operands and results (exact: no UF without NX) */
  FOP2_S     26, fadd.s, rne, 0x00000002, 0, 0x00000001, 0x00000001            /* min subnormal + min subnormal = 2^-148 */
  FOP2_S     27, fadd.s, rne, 0x00800000, 0, 0x007fffff, 0x00000001            /* max subnormal + min subnormal = min normal */
  FOP2_S     28, fadd.s, rne, 0x007fffff, 0, 0x00800000, 0x80000001            /* min normal + -min subnormal = max subnormal */
  FOP2_S     29, fadd.s, rne, 0x80fffffe, 0, 0x807fffff, 0x807fffff            /* -max subnormal + -max subnormal = -0x1.fffffcp-126 */

  /* fadd: overflow (the result each mode gives: inf or max) */
  FOP2_S     30, fadd.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x7f7fffff        /* max + max = +inf */
  FOP2_S     31, fadd.s, rtz, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x7f7fffff        /* max + max = max */
  FOP2_S     32, fadd.s, rdn, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x7f7fffff        /* max + max = max */
  FOP2_S     33, fadd.s, rup, 0x7f800000, OF|NX, 0x7f7fffff, 0x7f7fffff        /* max + max = +inf */
  FOP2_S     34, fadd.s, rmm, 0x7f800000, OF|NX, 0x7f7fffff, 0x7f7fffff        /* max + max = +inf */
  fsrmi RM_RDN
  FOP2_S     35, fadd.s, dyn, 0xff800000, OF|NX, 0xff7fffff, 0xff7fffff        /* -max + -max = -inf, frm = RDN */
  fsrmi RM_RUP
  FOP2_S     36, fadd.s, dyn, 0xff7fffff, OF|NX, 0xff7fffff, 0xff7fffff        /* -max + -max = -max, frm = RUP */
  fsrmi RM_RTZ
  FOP2_S     37, fadd.s, dyn, 0xff7fffff, OF|NX, 0xff7fffff, 0xff7fffff        /* -max + -max = -max, frm = RTZ */
  FOP2_S     38, fadd.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000        /* max + ulp(max)/2: a tie that rounds (to even) out of range */
  FOP2_S     39, fadd.s, rtz, 0x7f7fffff, NX, 0x7f7fffff, 0x73000000           /* max + ulp(max)/2 toward zero: max, no overflow */

  /* fadd: infinities and NaNs (a NaN result is always the canonical NaN) */
  FOP2_S     40, fadd.s, rne, 0x7f800000, 0, 0x7f800000, 0x3f800000            /* +inf + 1 = +inf */
  FOP2_S     41, fadd.s, rne, 0xff800000, 0, 0xff800000, 0x7f7fffff            /* -inf + max = -inf */
  FOP2_S     42, fadd.s, rne, 0x7f800000, 0, 0x7f800000, 0x7f800000            /* +inf + +inf = +inf */
  FOP2_S     43, fadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0xff800000           /* +inf + -inf = qNaN */
  FOP2_S     44, fadd.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x3f800000            /* qNaN + 1 = qNaN */
  FOP2_S     45, fadd.s, rne, 0x7fc00000, 0, 0x3f800000, 0x7fc12345            /* 1 + qNaN(0x12345) = qNaN */
  FOP2_S     46, fadd.s, rne, 0x7fc00000, 0, 0xffc00000, 0x3f800000            /* -qNaN + 1 = qNaN */
  FOP2_S     47, fadd.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000           /* sNaN + 1 = qNaN */
  FOP2_S     48, fadd.s, rne, 0x7fc00000, NV, 0x3f800000, 0x7fa02345           /* 1 + sNaN(0x202345) = qNaN */
  FOP2_S     49, fadd.s, rne, 0x7fc00000, NV, 0x7f800001, 0x7fc00000           /* sNaN + qNaN = qNaN */
  FOP2_S     50, fadd.s, rne, 0x7fc00000, 0, 0x7fc00000, 0xff800000            /* qNaN + -inf = qNaN */

  /* fsub */
  FOP2_S     51, fsub.s, rne, 0x40000000, 0, 0x40400000, 0x3f800000            /* 3 - 1 = 2 */
  FOP2_S     52, fsub.s, rne, 0xc0000000, 0, 0x3f800000, 0x40400000            /* 1 - 3 = -2 */
  FOP2_S     53, fsub.s, rne, 0x3f800000, NX, 0x3f800001, 0x33800000           /* (1 + 2^-23) - 2^-24: a tie (rne) */
  FOP2_S     54, fsub.s, rtz, 0x3f800000, NX, 0x3f800001, 0x33800000           /* (1 + 2^-23) - 2^-24: a tie (rtz) */
  FOP2_S     55, fsub.s, rdn, 0x3f800000, NX, 0x3f800001, 0x33800000           /* (1 + 2^-23) - 2^-24: a tie (rdn) */
  FOP2_S     56, fsub.s, rup, 0x3f800001, NX, 0x3f800001, 0x33800000           /* (1 + 2^-23) - 2^-24: a tie (rup) */
  FOP2_S     57, fsub.s, rmm, 0x3f800001, NX, 0x3f800001, 0x33800000           /* (1 + 2^-23) - 2^-24: a tie (rmm) */
  fsrmi RM_RNE
  FOP2_S     58, fsub.s, dyn, 0xbf800000, NX, 0xbf800001, 0xb3800000           /* -(1 + 2^-23) + 2^-24: a tie, frm = RNE */
  fsrmi RM_RTZ
  FOP2_S     59, fsub.s, dyn, 0xbf800000, NX, 0xbf800001, 0xb3800000           /* -(1 + 2^-23) + 2^-24: a tie, frm = RTZ */
  fsrmi RM_RDN
  FOP2_S     60, fsub.s, dyn, 0xbf800001, NX, 0xbf800001, 0xb3800000           /* -(1 + 2^-23) + 2^-24: a tie, frm = RDN */
  fsrmi RM_RUP
  FOP2_S     61, fsub.s, dyn, 0xbf800000, NX, 0xbf800001, 0xb3800000           /* -(1 + 2^-23) + 2^-24: a tie, frm = RUP */
  fsrmi RM_RMM
  FOP2_S     62, fsub.s, dyn, 0xbf800001, NX, 0xbf800001, 0xb3800000           /* -(1 + 2^-23) + 2^-24: a tie, frm = RMM */
  FOP2_S     63, fsub.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000            /* 1 - 1 = +0 */
  FOP2_S     64, fsub.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000            /* 1 - 1 = -0 */
  FOP2_S     65, fsub.s, rne, 0x80000000, 0, 0x80000000, 0x00000000            /* -0 - +0 = -0 */
  FOP2_S     66, fsub.s, rne, 0x00000000, 0, 0x00000000, 0x00000000            /* +0 - +0 = +0 */
  FOP2_S     67, fsub.s, rdn, 0x80000000, 0, 0x00000000, 0x00000000            /* +0 - +0 = -0 */
  FOP2_S     68, fsub.s, rdn, 0x00000000, 0, 0x00000000, 0x80000000            /* +0 - -0 = +0 */
  FOP2_S     69, fsub.s, rne, 0x007fffff, 0, 0x00800000, 0x00000001            /* min normal - min subnormal = max subnormal */
  FOP2_S     70, fsub.s, rne, 0x7fc00000, NV, 0x7f800000, 0x7f800000           /* +inf - +inf = qNaN */
  FOP2_S     71, fsub.s, rne, 0x7f800000, 0, 0x7f800000, 0xff800000            /* +inf - -inf = +inf */
  FOP2_S     72, fsub.s, rne, 0xff800000, 0, 0xff800000, 0x7f800000            /* -inf - +inf = -inf */
  FOP2_S     73, fsub.s, rne, 0xff800000, OF|NX, 0xff7fffff, 0x7f7fffff        /* -max - max = -inf */
  FOP2_S     74, fsub.s, rtz, 0xff7fffff, OF|NX, 0xff7fffff, 0x7f7fffff        /* -max - max = -max */
  FOP2_S     75, fsub.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000           /* sNaN - 1 = qNaN */
  FOP2_S     76, fsub.s, rne, 0x7fc00000, 0, 0x3f800000, 0x7fc00000            /* 1 - qNaN = qNaN */

  /* fmul */
  FOP2_S     77, fmul.s, rne, 0x40400000, 0, 0x3fc00000, 0x40000000            /* 1.5 * 2 = 3 */
  FOP2_S     78, fmul.s, rne, 0x3f900000, 0, 0xbfc00000, 0xbf400000            /* -1.5 * -0.75 = 1.125 */
  FOP2_S     79, fmul.s, rne, 0x3f801000, NX, 0x3f800800, 0x3f800800           /* (1 + 2^-12)(1 + 2^-12): a tie (rne) */
  FOP2_S     80, fmul.s, rtz, 0x3f801000, NX, 0x3f800800, 0x3f800800           /* (1 + 2^-12)(1 + 2^-12): a tie (rtz) */
  FOP2_S     81, fmul.s, rdn, 0x3f801000, NX, 0x3f800800, 0x3f800800           /* (1 + 2^-12)(1 + 2^-12): a tie (rdn) */
  FOP2_S     82, fmul.s, rup, 0x3f801001, NX, 0x3f800800, 0x3f800800           /* (1 + 2^-12)(1 + 2^-12): a tie (rup) */
  FOP2_S     83, fmul.s, rmm, 0x3f801001, NX, 0x3f800800, 0x3f800800           /* (1 + 2^-12)(1 + 2^-12): a tie (rmm) */
  fsrmi RM_RNE
  FOP2_S     84, fmul.s, dyn, 0xbf801000, NX, 0xbf800800, 0x3f800800           /* -(1 + 2^-12)(1 + 2^-12): a tie, frm = RNE */
  fsrmi RM_RTZ
  FOP2_S     85, fmul.s, dyn, 0xbf801000, NX, 0xbf800800, 0x3f800800           /* -(1 + 2^-12)(1 + 2^-12): a tie, frm = RTZ */
  fsrmi RM_RDN
  FOP2_S     86, fmul.s, dyn, 0xbf801001, NX, 0xbf800800, 0x3f800800           /* -(1 + 2^-12)(1 + 2^-12): a tie, frm = RDN */
  fsrmi RM_RUP
  FOP2_S     87, fmul.s, dyn, 0xbf801000, NX, 0xbf800800, 0x3f800800           /* -(1 + 2^-12)(1 + 2^-12): a tie, frm = RUP */
  fsrmi RM_RMM
  FOP2_S     88, fmul.s, dyn, 0xbf801001, NX, 0xbf800800, 0x3f800800           /* -(1 + 2^-12)(1 + 2^-12): a tie, frm = RMM */
  FOP2_S     89, fmul.s, rne, 0x3f800000, NX, 0x3eaaaaab, 0x40400000           /* (1/3 rounded) * 3 */
  FOP2_S     90, fmul.s, rne, 0x80000000, 0, 0x80000000, 0x3f800000            /* -0 * 1 = -0 */
  FOP2_S     91, fmul.s, rne, 0x00000000, 0, 0x80000000, 0x80000000            /* -0 * -0 = +0 */
  FOP2_S     92, fmul.s, rne, 0x80000000, 0, 0x00000000, 0xc0000000            /* +0 * -2 = -0 */
  FOP2_S     93, fmul.s, rne, 0x7fc00000, NV, 0x00000000, 0x7f800000           /* +0 * +inf = qNaN */
  FOP2_S     94, fmul.s, rne, 0x7fc00000, NV, 0xff800000, 0x80000000           /* -inf * -0 = qNaN */
  FOP2_S     95, fmul.s, rne, 0xff800000, 0, 0x7f800000, 0x80000001            /* +inf * -min subnormal = -inf */
  FOP2_S     96, fmul.s, rne, 0x7f800000, 0, 0xff800000, 0xff800000            /* -inf * -inf = +inf */
  FOP2_S     97, fmul.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000        /* max * 2 = +inf */
  FOP2_S     98, fmul.s, rtz, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000        /* max * 2 = max */
  FOP2_S     99, fmul.s, rdn, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000        /* max * 2 = max */
  FOP2_S    100, fmul.s, rup, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000        /* max * 2 = +inf */
  FOP2_S    101, fmul.s, rmm, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000        /* max * 2 = +inf */
  fsrmi RM_RDN
  FOP2_S    102, fmul.s, dyn, 0xff800000, OF|NX, 0xff7fffff, 0x40000000        /* -max * 2 = -inf */
  fsrmi RM_RUP
  FOP2_S    103, fmul.s, dyn, 0xff7fffff, OF|NX, 0xff7fffff, 0x40000000        /* -max * 2 = -max */
  FOP2_S    104, fmul.s, rne, 0x00800000, NX, 0x3b612000, 0x04918e00           /* exact product min normal * (1 - 2^-25): tiny only before rounding -> min normal */
  FOP2_S    105, fmul.s, rtz, 0x007fffff, UF|NX, 0x3b612000, 0x04918e00        /* exact product min normal * (1 - 2^-25): tiny only before rounding -> max subnormal */
  FOP2_S    106, fmul.s, rdn, 0x007fffff, UF|NX, 0x3b612000, 0x04918e00        /* exact product min normal * (1 - 2^-25): tiny only before rounding -> max subnormal */
  FOP2_S    107, fmul.s, rup, 0x00800000, NX, 0x3b612000, 0x04918e00           /* exact product min normal * (1 - 2^-25): tiny only before rounding -> min normal */
  FOP2_S    108, fmul.s, rmm, 0x00800000, NX, 0x3b612000, 0x04918e00           /* exact product min normal * (1 - 2^-25): tiny only before rounding -> min normal */
  fsrmi RM_RDN
  FOP2_S    109, fmul.s, dyn, 0x80800000, NX, 0xbb612000, 0x04918e00           /* the same, negative, frm = RDN -> -min normal */
  fsrmi RM_RUP
  FOP2_S    110, fmul.s, dyn, 0x807fffff, UF|NX, 0xbb612000, 0x04918e00        /* the same, negative, frm = RUP -> -max subnormal */
  FOP2_S    111, fmul.s, rne, 0x00600000, 0, 0x00800000, 0x3f400000            /* min normal * 3/4: tiny but exact, no UF */
  FOP2_S    112, fmul.s, rne, 0x00400000, 0, 0x00800000, 0x3f000000            /* min normal * 0.5 = 2^-127 */
  FOP2_S    113, fmul.s, rne, 0x00000000, UF|NX, 0x00000001, 0x3f000000        /* min subnormal / 2: a tie between 0 and min subnormal (rne) */
  FOP2_S    114, fmul.s, rtz, 0x00000000, UF|NX, 0x00000001, 0x3f000000        /* min subnormal / 2: a tie between 0 and min subnormal (rtz) */
  FOP2_S    115, fmul.s, rdn, 0x00000000, UF|NX, 0x00000001, 0x3f000000        /* min subnormal / 2: a tie between 0 and min subnormal (rdn) */
  FOP2_S    116, fmul.s, rup, 0x00000001, UF|NX, 0x00000001, 0x3f000000        /* min subnormal / 2: a tie between 0 and min subnormal (rup) */
  FOP2_S    117, fmul.s, rmm, 0x00000001, UF|NX, 0x00000001, 0x3f000000        /* min subnormal / 2: a tie between 0 and min subnormal (rmm) */
  FOP2_S    118, fmul.s, rne, 0x80000001, UF|NX, 0x80000001, 0x3f400000        /* -min subnormal * 0.75 = -min subnormal */
  FOP2_S    119, fmul.s, rtz, 0x80000000, UF|NX, 0x80000001, 0x3f400000        /* -min subnormal * 0.75 = -0 */
  FOP2_S    120, fmul.s, rne, 0x00800000, 0, 0x00000001, 0x4b000000            /* min subnormal * 2^23 = min normal, exact */
  FOP2_S    121, fmul.s, rne, 0x00fffffe, 0, 0x007fffff, 0x40000000            /* max subnormal * 2 = 0x1.fffffcp-126 */
  FOP2_S    122, fmul.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x00000000            /* qNaN * +0 = qNaN */
  FOP2_S    123, fmul.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000           /* sNaN * 1 = qNaN */
  FOP2_S    124, fmul.s, rne, 0x7fc00000, NV, 0x7fc12345, 0x7f800001           /* qNaN(0x12345) * sNaN = qNaN */

  /* fdiv */
  FOP2_S    125, fdiv.s, rne, 0x40000000, 0, 0x40c00000, 0x40400000            /* 6 / 3 = 2 */
  FOP2_S    126, fdiv.s, rne, 0x3eaaaaab, NX, 0x3f800000, 0x40400000           /* 1 / 3 = 0x1.555556p-2 */
  FOP2_S    127, fdiv.s, rtz, 0x3eaaaaaa, NX, 0x3f800000, 0x40400000           /* 1 / 3 = 0x1.555554p-2 */
  FOP2_S    128, fdiv.s, rdn, 0x3eaaaaaa, NX, 0x3f800000, 0x40400000           /* 1 / 3 = 0x1.555554p-2 */
  FOP2_S    129, fdiv.s, rup, 0x3eaaaaab, NX, 0x3f800000, 0x40400000           /* 1 / 3 = 0x1.555556p-2 */
  FOP2_S    130, fdiv.s, rmm, 0x3eaaaaab, NX, 0x3f800000, 0x40400000           /* 1 / 3 = 0x1.555556p-2 */
  fsrmi RM_RNE
  FOP2_S    131, fdiv.s, dyn, 0xbeaaaaab, NX, 0xbf800000, 0x40400000           /* -1 / 3 = -0x1.555556p-2, frm = RNE */
  fsrmi RM_RTZ
  FOP2_S    132, fdiv.s, dyn, 0xbeaaaaaa, NX, 0xbf800000, 0x40400000           /* -1 / 3 = -0x1.555554p-2, frm = RTZ */
  fsrmi RM_RDN
  FOP2_S    133, fdiv.s, dyn, 0xbeaaaaab, NX, 0xbf800000, 0x40400000           /* -1 / 3 = -0x1.555556p-2, frm = RDN */
  fsrmi RM_RUP
  FOP2_S    134, fdiv.s, dyn, 0xbeaaaaaa, NX, 0xbf800000, 0x40400000           /* -1 / 3 = -0x1.555554p-2, frm = RUP */
  fsrmi RM_RMM
  FOP2_S    135, fdiv.s, dyn, 0xbeaaaaab, NX, 0xbf800000, 0x40400000           /* -1 / 3 = -0x1.555556p-2, frm = RMM */
  FOP2_S    136, fdiv.s, rne, 0x3e924925, NX, 0x40000000, 0x40e00000           /* 2 / 7 = 0x1.24924ap-2 */
  FOP2_S    137, fdiv.s, rne, 0x7f800000, DZ, 0x3f800000, 0x00000000           /* 1 / +0 = +inf: divide by zero */
  FOP2_S    138, fdiv.s, rne, 0xff800000, DZ, 0xbf800000, 0x00000000           /* -1 / +0 = -inf */
  FOP2_S    139, fdiv.s, rne, 0xff800000, DZ, 0x3f800000, 0x80000000           /* 1 / -0 = -inf */
  FOP2_S    140, fdiv.s, rne, 0xff800000, DZ, 0x00000001, 0x80000000           /* min subnormal / -0 = -inf */
  FOP2_S    141, fdiv.s, rne, 0x7fc00000, NV, 0x00000000, 0x00000000           /* 0 / 0: invalid */
  FOP2_S    142, fdiv.s, rne, 0x7fc00000, NV, 0x80000000, 0x00000000           /* -0 / +0 = qNaN */
  FOP2_S    143, fdiv.s, rne, 0x7fc00000, NV, 0x7f800000, 0x7f800000           /* +inf / +inf = qNaN */
  FOP2_S    144, fdiv.s, rne, 0xff800000, 0, 0x7f800000, 0x80000000            /* inf / -0 = -inf, no DZ (the dividend is not finite) */
  FOP2_S    145, fdiv.s, rne, 0x00000000, 0, 0x00000000, 0x7f800000            /* +0 / +inf = +0 */
  FOP2_S    146, fdiv.s, rne, 0x80000000, 0, 0xc0000000, 0x7f800000            /* -2 / +inf = -0 */
  FOP2_S    147, fdiv.s, rne, 0x80000000, 0, 0x00000000, 0xc0400000            /* +0 / -3 = -0 */
  FOP2_S    148, fdiv.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x00000000            /* qNaN / 0: no DZ */
  FOP2_S    149, fdiv.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000           /* sNaN / 1 = qNaN */
  FOP2_S    150, fdiv.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x3f000000        /* max / 0.5 = +inf */
  FOP2_S    151, fdiv.s, rtz, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x3f000000        /* max / 0.5 = max */
  fsrmi RM_RDN
  FOP2_S    152, fdiv.s, dyn, 0xff800000, OF|NX, 0x7f7fffff, 0xbf000000        /* max / -0.5 = -inf */
  FOP2_S    153, fdiv.s, rne, 0x002aaaab, UF|NX, 0x00800000, 0x40400000        /* min normal / 3: tiny and inexact */
  FOP2_S    154, fdiv.s, rne, 0x00400000, 0, 0x00800000, 0x40000000            /* min normal / 2: tiny and exact */
  FOP2_S    155, fdiv.s, rne, 0x00000000, UF|NX, 0x00000001, 0x40000000        /* min subnormal / 2 = +0 */
  FOP2_S    156, fdiv.s, rup, 0x00000001, UF|NX, 0x00000001, 0x40000000        /* min subnormal / 2 = min subnormal */
  FOP2_S    157, fdiv.s, rne, 0x00800000, 0, 0x00000001, 0x34000000            /* min subnormal / 2^-23 = min normal */

  /* fsqrt */
  FOP1_S    158, fsqrt.s, rne, 0x40000000, 0, 0x40800000                       /* sqrt(4) = 2 */
  FOP1_S    159, fsqrt.s, rne, 0x3f000000, 0, 0x3e800000                       /* sqrt(0.25) = 0.5 */
  FOP1_S    160, fsqrt.s, rne, 0x3fb504f3, NX, 0x40000000                      /* sqrt(2) = 0x1.6a09e6p+0 */
  FOP1_S    161, fsqrt.s, rtz, 0x3fb504f3, NX, 0x40000000                      /* sqrt(2) = 0x1.6a09e6p+0 */
  FOP1_S    162, fsqrt.s, rdn, 0x3fb504f3, NX, 0x40000000                      /* sqrt(2) = 0x1.6a09e6p+0 */
  FOP1_S    163, fsqrt.s, rup, 0x3fb504f4, NX, 0x40000000                      /* sqrt(2) = 0x1.6a09e8p+0 */
  FOP1_S    164, fsqrt.s, rmm, 0x3fb504f3, NX, 0x40000000                      /* sqrt(2) = 0x1.6a09e6p+0 */
  fsrmi RM_RNE
  FOP1_S    165, fsqrt.s, dyn, 0x3fddb3d7, NX, 0x40400000                      /* sqrt(3) = 0x1.bb67aep+0, frm = RNE */
  fsrmi RM_RTZ
  FOP1_S    166, fsqrt.s, dyn, 0x3fddb3d7, NX, 0x40400000                      /* sqrt(3) = 0x1.bb67aep+0, frm = RTZ */
  fsrmi RM_RDN
  FOP1_S    167, fsqrt.s, dyn, 0x3fddb3d7, NX, 0x40400000                      /* sqrt(3) = 0x1.bb67aep+0, frm = RDN */
  fsrmi RM_RUP
  FOP1_S    168, fsqrt.s, dyn, 0x3fddb3d8, NX, 0x40400000                      /* sqrt(3) = 0x1.bb67bp+0, frm = RUP */
  fsrmi RM_RMM
  FOP1_S    169, fsqrt.s, dyn, 0x3fddb3d7, NX, 0x40400000                      /* sqrt(3) = 0x1.bb67aep+0, frm = RMM */
  FOP1_S    170, fsqrt.s, rne, 0x00000000, 0, 0x00000000                       /* sqrt(+0) = +0 */
  FOP1_S    171, fsqrt.s, rne, 0x80000000, 0, 0x80000000                       /* sqrt(-0) = -0, valid */
  FOP1_S    172, fsqrt.s, rne, 0x7fc00000, NV, 0xbf800000                      /* sqrt(-1) = qNaN */
  FOP1_S    173, fsqrt.s, rne, 0x7fc00000, NV, 0x80000001                      /* sqrt(-min subnormal) = qNaN */
  FOP1_S    174, fsqrt.s, rne, 0x7f800000, 0, 0x7f800000                       /* sqrt(+inf) = +inf */
  FOP1_S    175, fsqrt.s, rne, 0x7fc00000, NV, 0xff800000                      /* sqrt(-inf) = qNaN */
  FOP1_S    176, fsqrt.s, rne, 0x7fc00000, 0, 0x7fc12345                       /* sqrt(qNaN(0x12345)) = qNaN */
  FOP1_S    177, fsqrt.s, rne, 0x7fc00000, NV, 0x7f800001                      /* sqrt(sNaN) = qNaN */
  FOP1_S    178, fsqrt.s, rne, 0x7fc00000, 0, 0xffc00000                       /* sqrt(-qNaN) = qNaN */
  FOP1_S    179, fsqrt.s, rne, 0x1a800000, 0, 0x00000002                       /* sqrt of a subnormal power of 4: exact */
  FOP1_S    180, fsqrt.s, rne, 0x1fffffff, NX, 0x007fffff                      /* sqrt(max subnormal) = 0x1.fffffep-64 */
  FOP1_S    181, fsqrt.s, rne, 0x5f7fffff, NX, 0x7f7fffff                      /* sqrt(max) = 0x1.fffffep+63 */
  FOP1_S    182, fsqrt.s, rup, 0x5f800000, NX, 0x7f7fffff                      /* sqrt(max) = 2^64 */

  /* the destination may be a source, and any of f0..f31 */
  TEST 183                                 /* rd = rs1 */
  FLOAD_S fa1, 1065353216
  FLOAD_S fa2, 1073741824
  csrwi fflags, 0
  fadd.s fa1, fa1, fa2, rne
  FCHECK_S fa1, 1077936128, 0
  TEST 184                                 /* rd = rs2 */
  FLOAD_S fa1, 1073741824
  FLOAD_S fa2, 1073741824
  fmul.s fa2, fa1, fa2, rne
  FCHECK_S fa2, 1082130432, 0
  TEST 185                                 /* rd = rs1 = rs2, f0 and f31 */
  FLOAD_S f31, 1073741824
  fadd.s f0, f31, f31, rne
  FCHECK_S f0, 1082130432, 0
  fsqrt.s f31, f0, rne
  FCHECK_S f31, 1073741824, 0
  fdiv.s f0, f0, f0, rne
  FCHECK_S f0, 1065353216, 0

  PASS
