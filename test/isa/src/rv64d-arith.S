/* rv64d-arith.S — double-precision arithmetic with rounding: fadd.d fsub.d fmul.d
 * fdiv.d fsqrt.d, each under the five static rounding modes (rne rtz rdn rup rmm) and
 * under frm (dyn) set to each of them, on ties and other inexact results of both
 * signs. Exact fflags for every result: NX, OF (with the mode's inf-or-max result), UF
 * detected after rounding (a result tiny only before rounding, that rounds to the min
 * normal, raises no UF; an exact tiny result raises nothing), DZ, NV (inf - inf,
 * 0 * inf, 0 / 0, inf / inf, sqrt of a negative, any signalling NaN operand), signed
 * zeros of exact cancellation (+0, but -0 under rdn), subnormal operands and results,
 * and the canonical NaN 0x7ff8000000000000 as the only NaN result.
 * Expected values: exact rational arithmetic rounded once (IEEE 754-2008 sections 4, 7;
 * unprivileged spec 20191213 chapters 11, 12). */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fadd: exact, ties under every static and dynamic rounding mode */
  /* 1 + 2 = 3 */
  FOP2_D      1, fadd.d, rne, 0x4008000000000000, 0, 0x3ff0000000000000, 0x4000000000000000
  /* -1.5 + 0.25 = -1.25 */
  FOP2_D      2, fadd.d, rne, 0xbff4000000000000, 0, 0xbff8000000000000, 0x3fd0000000000000
  /* 1 + 2^-53: a tie between 1 (even) and 1 + 2^-52 (rne) */
  FOP2_D      3, fadd.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 + 2^-53: a tie between 1 (even) and 1 + 2^-52 (rtz) */
  FOP2_D      4, fadd.d, rtz, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 + 2^-53: a tie between 1 (even) and 1 + 2^-52 (rdn) */
  FOP2_D      5, fadd.d, rdn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 + 2^-53: a tie between 1 (even) and 1 + 2^-52 (rup) */
  FOP2_D      6, fadd.d, rup, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 + 2^-53: a tie between 1 (even) and 1 + 2^-52 (rmm) */
  FOP2_D      7, fadd.d, rmm, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca0000000000000
  fsrmi RM_RNE
  /* -1 - 2^-53: a tie, frm = RNE */
  FOP2_D      8, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbca0000000000000
  fsrmi RM_RTZ
  /* -1 - 2^-53: a tie, frm = RTZ */
  FOP2_D      9, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbca0000000000000
  fsrmi RM_RDN
  /* -1 - 2^-53: a tie, frm = RDN */
  FOP2_D     10, fadd.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000000, 0xbca0000000000000
  fsrmi RM_RUP
  /* -1 - 2^-53: a tie, frm = RUP */
  FOP2_D     11, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbca0000000000000
  fsrmi RM_RMM
  /* -1 - 2^-53: a tie, frm = RMM */
  FOP2_D     12, fadd.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000000, 0xbca0000000000000
  /* 1 + 3/4 ulp: nearest is 1 + ulp */
  FOP2_D     13, fadd.d, rne, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000
  /* 1 + 3/4 ulp toward zero: 1 */
  FOP2_D     14, fadd.d, rtz, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca8000000000000
  /* 1 + min subnormal: 1, inexact */
  FOP2_D     15, fadd.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x0000000000000001
  /* 1 + min subnormal, up: 1 + ulp */
  FOP2_D     16, fadd.d, rup, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x0000000000000001

  /* fadd: signed zeros (x + -x is +0, but -0 when rounding down) */
  /* +0 + +0 = +0 */
  FOP2_D     17, fadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x0000000000000000
  /* -0 + -0 = -0 */
  FOP2_D     18, fadd.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x8000000000000000
  /* +0 + -0 = +0 */
  FOP2_D     19, fadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x8000000000000000
  /* +0 + -0 = -0 */
  FOP2_D     20, fadd.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000000
  /* 1 + -1 = +0 */
  FOP2_D     21, fadd.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0xbff0000000000000
  /* 1 + -1 = -0 */
  FOP2_D     22, fadd.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0xbff0000000000000
  fsrmi RM_RDN
  /* -2 + 2, frm = RDN: -0 */
  FOP2_D     23, fadd.d, dyn, 0x8000000000000000, 0, 0xc000000000000000, 0x4000000000000000
  /* -2 + 2 = +0 */
  FOP2_D     24, fadd.d, rtz, 0x0000000000000000, 0, 0xc000000000000000, 0x4000000000000000
  /* min subnormal + -0 = min subnormal */
  FOP2_D     25, fadd.d, rne, 0x0000000000000001, 0, 0x0000000000000001, 0x8000000000000000

  /* fadd: subnormal operands and results (exact: no UF without NX) */
  /* min subnormal + min subnormal = 1e-323 */
  FOP2_D     26, fadd.d, rne, 0x0000000000000002, 0, 0x0000000000000001, 0x0000000000000001
  /* max subnormal + min subnormal = min normal */
  FOP2_D     27, fadd.d, rne, 0x0010000000000000, 0, 0x000fffffffffffff, 0x0000000000000001
  /* min normal + -min subnormal = max subnormal */
  FOP2_D     28, fadd.d, rne, 0x000fffffffffffff, 0, 0x0010000000000000, 0x8000000000000001
  /* -max subnormal + -max subnormal = -0x1.ffffffffffffep-1022 */
  FOP2_D     29, fadd.d, rne, 0x801ffffffffffffe, 0, 0x800fffffffffffff, 0x800fffffffffffff

  /* fadd: overflow (the result each mode gives: inf or max) */
  /* max + max = +inf */
  FOP2_D     30, fadd.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff
  /* max + max = max */
  FOP2_D     31, fadd.d, rtz, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff
  /* max + max = max */
  FOP2_D     32, fadd.d, rdn, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff
  /* max + max = +inf */
  FOP2_D     33, fadd.d, rup, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff
  /* max + max = +inf */
  FOP2_D     34, fadd.d, rmm, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff
  fsrmi RM_RDN
  /* -max + -max = -inf, frm = RDN */
  FOP2_D     35, fadd.d, dyn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0xffefffffffffffff
  fsrmi RM_RUP
  /* -max + -max = -max, frm = RUP */
  FOP2_D     36, fadd.d, dyn, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0xffefffffffffffff
  fsrmi RM_RTZ
  /* -max + -max = -max, frm = RTZ */
  FOP2_D     37, fadd.d, dyn, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0xffefffffffffffff
  /* max + ulp(max)/2: a tie that rounds (to even) out of range */
  FOP2_D     38, fadd.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000
  /* max + ulp(max)/2 toward zero: max, no overflow */
  FOP2_D     39, fadd.d, rtz, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c90000000000000

  /* fadd: infinities and NaNs (a NaN result is always the canonical NaN) */
  /* +inf + 1 = +inf */
  FOP2_D     40, fadd.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000
  /* -inf + max = -inf */
  FOP2_D     41, fadd.d, rne, 0xfff0000000000000, 0, 0xfff0000000000000, 0x7fefffffffffffff
  /* +inf + +inf = +inf */
  FOP2_D     42, fadd.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x7ff0000000000000
  /* +inf + -inf = qNaN */
  FOP2_D     43, fadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0xfff0000000000000
  /* qNaN + 1 = qNaN */
  FOP2_D     44, fadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x3ff0000000000000
  /* 1 + qNaN(0x12345) = qNaN */
  FOP2_D     45, fadd.d, rne, 0x7ff8000000000000, 0, 0x3ff0000000000000, 0x7ff8000000012345
  /* -qNaN + 1 = qNaN */
  FOP2_D     46, fadd.d, rne, 0x7ff8000000000000, 0, 0xfff8000000000000, 0x3ff0000000000000
  /* sNaN + 1 = qNaN */
  FOP2_D     47, fadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000
  /* 1 + sNaN(0x4000000002345) = qNaN */
  FOP2_D     48, fadd.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0x7ff4000000002345
  /* sNaN + qNaN = qNaN */
  FOP2_D     49, fadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff8000000000000
  /* qNaN + -inf = qNaN */
  FOP2_D     50, fadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0xfff0000000000000

  /* fsub */
  /* 3 - 1 = 2 */
  FOP2_D     51, fsub.d, rne, 0x4000000000000000, 0, 0x4008000000000000, 0x3ff0000000000000
  /* 1 - 3 = -2 */
  FOP2_D     52, fsub.d, rne, 0xc000000000000000, 0, 0x3ff0000000000000, 0x4008000000000000
  /* (1 + 2^-52) - 2^-53: a tie (rne) */
  FOP2_D     53, fsub.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000001, 0x3ca0000000000000
  /* (1 + 2^-52) - 2^-53: a tie (rtz) */
  FOP2_D     54, fsub.d, rtz, 0x3ff0000000000000, NX, 0x3ff0000000000001, 0x3ca0000000000000
  /* (1 + 2^-52) - 2^-53: a tie (rdn) */
  FOP2_D     55, fsub.d, rdn, 0x3ff0000000000000, NX, 0x3ff0000000000001, 0x3ca0000000000000
  /* (1 + 2^-52) - 2^-53: a tie (rup) */
  FOP2_D     56, fsub.d, rup, 0x3ff0000000000001, NX, 0x3ff0000000000001, 0x3ca0000000000000
  /* (1 + 2^-52) - 2^-53: a tie (rmm) */
  FOP2_D     57, fsub.d, rmm, 0x3ff0000000000001, NX, 0x3ff0000000000001, 0x3ca0000000000000
  fsrmi RM_RNE
  /* -(1 + 2^-52) + 2^-53: a tie, frm = RNE */
  FOP2_D     58, fsub.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000001, 0xbca0000000000000
  fsrmi RM_RTZ
  /* -(1 + 2^-52) + 2^-53: a tie, frm = RTZ */
  FOP2_D     59, fsub.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000001, 0xbca0000000000000
  fsrmi RM_RDN
  /* -(1 + 2^-52) + 2^-53: a tie, frm = RDN */
  FOP2_D     60, fsub.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000001, 0xbca0000000000000
  fsrmi RM_RUP
  /* -(1 + 2^-52) + 2^-53: a tie, frm = RUP */
  FOP2_D     61, fsub.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000001, 0xbca0000000000000
  fsrmi RM_RMM
  /* -(1 + 2^-52) + 2^-53: a tie, frm = RMM */
  FOP2_D     62, fsub.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000001, 0xbca0000000000000
  /* 1 - 1 = +0 */
  FOP2_D     63, fsub.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000
  /* 1 - 1 = -0 */
  FOP2_D     64, fsub.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000
  /* -0 - +0 = -0 */
  FOP2_D     65, fsub.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x0000000000000000
  /* +0 - +0 = +0 */
  FOP2_D     66, fsub.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x0000000000000000
  /* +0 - +0 = -0 */
  FOP2_D     67, fsub.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x0000000000000000
  /* +0 - -0 = +0 */
  FOP2_D     68, fsub.d, rdn, 0x0000000000000000, 0, 0x0000000000000000, 0x8000000000000000
  /* min normal - min subnormal = max subnormal */
  FOP2_D     69, fsub.d, rne, 0x000fffffffffffff, 0, 0x0010000000000000, 0x0000000000000001
  /* +inf - +inf = qNaN */
  FOP2_D     70, fsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x7ff0000000000000
  /* +inf - -inf = +inf */
  FOP2_D     71, fsub.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0xfff0000000000000
  /* -inf - +inf = -inf */
  FOP2_D     72, fsub.d, rne, 0xfff0000000000000, 0, 0xfff0000000000000, 0x7ff0000000000000
  /* -max - max = -inf */
  FOP2_D     73, fsub.d, rne, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x7fefffffffffffff
  /* -max - max = -max */
  FOP2_D     74, fsub.d, rtz, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x7fefffffffffffff
  /* sNaN - 1 = qNaN */
  FOP2_D     75, fsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000
  /* 1 - qNaN = qNaN */
  FOP2_D     76, fsub.d, rne, 0x7ff8000000000000, 0, 0x3ff0000000000000, 0x7ff8000000000000

  /* fmul */
  /* 1.5 * 2 = 3 */
  FOP2_D     77, fmul.d, rne, 0x4008000000000000, 0, 0x3ff8000000000000, 0x4000000000000000
  /* -1.5 * -0.75 = 1.125 */
  FOP2_D     78, fmul.d, rne, 0x3ff2000000000000, 0, 0xbff8000000000000, 0xbfe8000000000000
  /* (1 + 2^-26)(1 + 2^-27): a tie (rne) */
  FOP2_D     79, fmul.d, rne, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000
  /* (1 + 2^-26)(1 + 2^-27): a tie (rtz) */
  FOP2_D     80, fmul.d, rtz, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000
  /* (1 + 2^-26)(1 + 2^-27): a tie (rdn) */
  FOP2_D     81, fmul.d, rdn, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000
  /* (1 + 2^-26)(1 + 2^-27): a tie (rup) */
  FOP2_D     82, fmul.d, rup, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000
  /* (1 + 2^-26)(1 + 2^-27): a tie (rmm) */
  FOP2_D     83, fmul.d, rmm, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000
  fsrmi RM_RNE
  /* -(1 + 2^-26)(1 + 2^-27): a tie, frm = RNE */
  FOP2_D     84, fmul.d, dyn, 0xbff0000006000000, NX, 0xbff0000004000000, 0x3ff0000002000000
  fsrmi RM_RTZ
  /* -(1 + 2^-26)(1 + 2^-27): a tie, frm = RTZ */
  FOP2_D     85, fmul.d, dyn, 0xbff0000006000000, NX, 0xbff0000004000000, 0x3ff0000002000000
  fsrmi RM_RDN
  /* -(1 + 2^-26)(1 + 2^-27): a tie, frm = RDN */
  FOP2_D     86, fmul.d, dyn, 0xbff0000006000001, NX, 0xbff0000004000000, 0x3ff0000002000000
  fsrmi RM_RUP
  /* -(1 + 2^-26)(1 + 2^-27): a tie, frm = RUP */
  FOP2_D     87, fmul.d, dyn, 0xbff0000006000000, NX, 0xbff0000004000000, 0x3ff0000002000000
  fsrmi RM_RMM
  /* -(1 + 2^-26)(1 + 2^-27): a tie, frm = RMM */
  FOP2_D     88, fmul.d, dyn, 0xbff0000006000001, NX, 0xbff0000004000000, 0x3ff0000002000000
  /* (1/3 rounded) * 3 */
  FOP2_D     89, fmul.d, rne, 0x3ff0000000000000, NX, 0x3fd5555555555555, 0x4008000000000000
  /* -0 * 1 = -0 */
  FOP2_D     90, fmul.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000
  /* -0 * -0 = +0 */
  FOP2_D     91, fmul.d, rne, 0x0000000000000000, 0, 0x8000000000000000, 0x8000000000000000
  /* +0 * -2 = -0 */
  FOP2_D     92, fmul.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0xc000000000000000
  /* +0 * +inf = qNaN */
  FOP2_D     93, fmul.d, rne, 0x7ff8000000000000, NV, 0x0000000000000000, 0x7ff0000000000000
  /* -inf * -0 = qNaN */
  FOP2_D     94, fmul.d, rne, 0x7ff8000000000000, NV, 0xfff0000000000000, 0x8000000000000000
  /* +inf * -min subnormal = -inf */
  FOP2_D     95, fmul.d, rne, 0xfff0000000000000, 0, 0x7ff0000000000000, 0x8000000000000001
  /* -inf * -inf = +inf */
  FOP2_D     96, fmul.d, rne, 0x7ff0000000000000, 0, 0xfff0000000000000, 0xfff0000000000000
  /* max * 2 = +inf */
  FOP2_D     97, fmul.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000
  /* max * 2 = max */
  FOP2_D     98, fmul.d, rtz, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000
  /* max * 2 = max */
  FOP2_D     99, fmul.d, rdn, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000
  /* max * 2 = +inf */
  FOP2_D    100, fmul.d, rup, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000
  /* max * 2 = +inf */
  FOP2_D    101, fmul.d, rmm, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000
  fsrmi RM_RDN
  /* -max * 2 = -inf */
  FOP2_D    102, fmul.d, dyn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000
  fsrmi RM_RUP
  /* -max * 2 = -max */
  FOP2_D    103, fmul.d, dyn, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x4000000000000000
  /* exact product min normal * (1 - 2^-54): tiny only before rounding -> min normal */
  FOP2_D    104, fmul.d, rne, 0x0010000000000000, NX, 0x3f6ffffffc000000, 0x0090000002000000
  /* exact product min normal * (1 - 2^-54): tiny only before rounding -> max subnormal */
  FOP2_D    105, fmul.d, rtz, 0x000fffffffffffff, UF|NX, 0x3f6ffffffc000000, 0x0090000002000000
  /* exact product min normal * (1 - 2^-54): tiny only before rounding -> max subnormal */
  FOP2_D    106, fmul.d, rdn, 0x000fffffffffffff, UF|NX, 0x3f6ffffffc000000, 0x0090000002000000
  /* exact product min normal * (1 - 2^-54): tiny only before rounding -> min normal */
  FOP2_D    107, fmul.d, rup, 0x0010000000000000, NX, 0x3f6ffffffc000000, 0x0090000002000000
  /* exact product min normal * (1 - 2^-54): tiny only before rounding -> min normal */
  FOP2_D    108, fmul.d, rmm, 0x0010000000000000, NX, 0x3f6ffffffc000000, 0x0090000002000000
  fsrmi RM_RDN
  /* the same, negative, frm = RDN -> -min normal */
  FOP2_D    109, fmul.d, dyn, 0x8010000000000000, NX, 0xbf6ffffffc000000, 0x0090000002000000
  fsrmi RM_RUP
  /* the same, negative, frm = RUP -> -max subnormal */
  FOP2_D    110, fmul.d, dyn, 0x800fffffffffffff, UF|NX, 0xbf6ffffffc000000, 0x0090000002000000
  /* min normal * 3/4: tiny but exact, no UF */
  FOP2_D    111, fmul.d, rne, 0x000c000000000000, 0, 0x0010000000000000, 0x3fe8000000000000
  /* min normal * 0.5 = 2^-1023 */
  FOP2_D    112, fmul.d, rne, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000
  /* min subnormal / 2: a tie between 0 and min subnormal (rne) */
  FOP2_D    113, fmul.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000
  /* min subnormal / 2: a tie between 0 and min subnormal (rtz) */
  FOP2_D    114, fmul.d, rtz, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000
  /* min subnormal / 2: a tie between 0 and min subnormal (rdn) */
  FOP2_D    115, fmul.d, rdn, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000
  /* min subnormal / 2: a tie between 0 and min subnormal (rup) */
  FOP2_D    116, fmul.d, rup, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000
  /* min subnormal / 2: a tie between 0 and min subnormal (rmm) */
  FOP2_D    117, fmul.d, rmm, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000
  /* -min subnormal * 0.75 = -min subnormal */
  FOP2_D    118, fmul.d, rne, 0x8000000000000001, UF|NX, 0x8000000000000001, 0x3fe8000000000000
  /* -min subnormal * 0.75 = -0 */
  FOP2_D    119, fmul.d, rtz, 0x8000000000000000, UF|NX, 0x8000000000000001, 0x3fe8000000000000
  /* min subnormal * 2^52 = min normal, exact */
  FOP2_D    120, fmul.d, rne, 0x0010000000000000, 0, 0x0000000000000001, 0x4330000000000000
  /* max subnormal * 2 = 0x1.ffffffffffffep-1022 */
  FOP2_D    121, fmul.d, rne, 0x001ffffffffffffe, 0, 0x000fffffffffffff, 0x4000000000000000
  /* qNaN * +0 = qNaN */
  FOP2_D    122, fmul.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x0000000000000000
  /* sNaN * 1 = qNaN */
  FOP2_D    123, fmul.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000
  /* qNaN(0x12345) * sNaN = qNaN */
  FOP2_D    124, fmul.d, rne, 0x7ff8000000000000, NV, 0x7ff8000000012345, 0x7ff0000000000001

  /* fdiv */
  /* 6 / 3 = 2 */
  FOP2_D    125, fdiv.d, rne, 0x4000000000000000, 0, 0x4018000000000000, 0x4008000000000000
  /* 1 / 3 = 0x1.5555555555555p-2 */
  FOP2_D    126, fdiv.d, rne, 0x3fd5555555555555, NX, 0x3ff0000000000000, 0x4008000000000000
  /* 1 / 3 = 0x1.5555555555555p-2 */
  FOP2_D    127, fdiv.d, rtz, 0x3fd5555555555555, NX, 0x3ff0000000000000, 0x4008000000000000
  /* 1 / 3 = 0x1.5555555555555p-2 */
  FOP2_D    128, fdiv.d, rdn, 0x3fd5555555555555, NX, 0x3ff0000000000000, 0x4008000000000000
  /* 1 / 3 = 0x1.5555555555556p-2 */
  FOP2_D    129, fdiv.d, rup, 0x3fd5555555555556, NX, 0x3ff0000000000000, 0x4008000000000000
  /* 1 / 3 = 0x1.5555555555555p-2 */
  FOP2_D    130, fdiv.d, rmm, 0x3fd5555555555555, NX, 0x3ff0000000000000, 0x4008000000000000
  fsrmi RM_RNE
  /* -1 / 3 = -0x1.5555555555555p-2, frm = RNE */
  FOP2_D    131, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000
  fsrmi RM_RTZ
  /* -1 / 3 = -0x1.5555555555555p-2, frm = RTZ */
  FOP2_D    132, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000
  fsrmi RM_RDN
  /* -1 / 3 = -0x1.5555555555556p-2, frm = RDN */
  FOP2_D    133, fdiv.d, dyn, 0xbfd5555555555556, NX, 0xbff0000000000000, 0x4008000000000000
  fsrmi RM_RUP
  /* -1 / 3 = -0x1.5555555555555p-2, frm = RUP */
  FOP2_D    134, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000
  fsrmi RM_RMM
  /* -1 / 3 = -0x1.5555555555555p-2, frm = RMM */
  FOP2_D    135, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000
  /* 2 / 7 = 0x1.2492492492492p-2 */
  FOP2_D    136, fdiv.d, rne, 0x3fd2492492492492, NX, 0x4000000000000000, 0x401c000000000000
  /* 1 / +0 = +inf: divide by zero */
  FOP2_D    137, fdiv.d, rne, 0x7ff0000000000000, DZ, 0x3ff0000000000000, 0x0000000000000000
  /* -1 / +0 = -inf */
  FOP2_D    138, fdiv.d, rne, 0xfff0000000000000, DZ, 0xbff0000000000000, 0x0000000000000000
  /* 1 / -0 = -inf */
  FOP2_D    139, fdiv.d, rne, 0xfff0000000000000, DZ, 0x3ff0000000000000, 0x8000000000000000
  /* min subnormal / -0 = -inf */
  FOP2_D    140, fdiv.d, rne, 0xfff0000000000000, DZ, 0x0000000000000001, 0x8000000000000000
  /* 0 / 0: invalid */
  FOP2_D    141, fdiv.d, rne, 0x7ff8000000000000, NV, 0x0000000000000000, 0x0000000000000000
  /* -0 / +0 = qNaN */
  FOP2_D    142, fdiv.d, rne, 0x7ff8000000000000, NV, 0x8000000000000000, 0x0000000000000000
  /* +inf / +inf = qNaN */
  FOP2_D    143, fdiv.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x7ff0000000000000
  /* inf / -0 = -inf, no DZ (the dividend is not finite) */
  FOP2_D    144, fdiv.d, rne, 0xfff0000000000000, 0, 0x7ff0000000000000, 0x8000000000000000
  /* +0 / +inf = +0 */
  FOP2_D    145, fdiv.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x7ff0000000000000
  /* -2 / +inf = -0 */
  FOP2_D    146, fdiv.d, rne, 0x8000000000000000, 0, 0xc000000000000000, 0x7ff0000000000000
  /* +0 / -3 = -0 */
  FOP2_D    147, fdiv.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0xc008000000000000
  /* qNaN / 0: no DZ */
  FOP2_D    148, fdiv.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x0000000000000000
  /* sNaN / 1 = qNaN */
  FOP2_D    149, fdiv.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000
  /* max / 0.5 = +inf */
  FOP2_D    150, fdiv.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x3fe0000000000000
  /* max / 0.5 = max */
  FOP2_D    151, fdiv.d, rtz, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x3fe0000000000000
  fsrmi RM_RDN
  /* max / -0.5 = -inf */
  FOP2_D    152, fdiv.d, dyn, 0xfff0000000000000, OF|NX, 0x7fefffffffffffff, 0xbfe0000000000000
  /* min normal / 3: tiny and inexact */
  FOP2_D    153, fdiv.d, rne, 0x0005555555555555, UF|NX, 0x0010000000000000, 0x4008000000000000
  /* min normal / 2: tiny and exact */
  FOP2_D    154, fdiv.d, rne, 0x0008000000000000, 0, 0x0010000000000000, 0x4000000000000000
  /* min subnormal / 2 = +0 */
  FOP2_D    155, fdiv.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x4000000000000000
  /* min subnormal / 2 = min subnormal */
  FOP2_D    156, fdiv.d, rup, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x4000000000000000
  /* min subnormal / 2^-52 = min normal */
  FOP2_D    157, fdiv.d, rne, 0x0010000000000000, 0, 0x0000000000000001, 0x3cb0000000000000

  /* fsqrt */
  FOP1_D    158, fsqrt.d, rne, 0x4000000000000000, 0, 0x4010000000000000       /* sqrt(4) = 2 */
  FOP1_D    159, fsqrt.d, rne, 0x3fe0000000000000, 0, 0x3fd0000000000000       /* sqrt(0.25) = 0.5 */
  FOP1_D    160, fsqrt.d, rne, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000      /* sqrt(2) = 0x1.6a09e667f3bcdp+0 */
  FOP1_D    161, fsqrt.d, rtz, 0x3ff6a09e667f3bcc, NX, 0x4000000000000000      /* sqrt(2) = 0x1.6a09e667f3bccp+0 */
  FOP1_D    162, fsqrt.d, rdn, 0x3ff6a09e667f3bcc, NX, 0x4000000000000000      /* sqrt(2) = 0x1.6a09e667f3bccp+0 */
  FOP1_D    163, fsqrt.d, rup, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000      /* sqrt(2) = 0x1.6a09e667f3bcdp+0 */
  FOP1_D    164, fsqrt.d, rmm, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000      /* sqrt(2) = 0x1.6a09e667f3bcdp+0 */
  fsrmi RM_RNE
  FOP1_D    165, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000      /* sqrt(3) = 0x1.bb67ae8584caap+0, frm = RNE */
  fsrmi RM_RTZ
  FOP1_D    166, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000      /* sqrt(3) = 0x1.bb67ae8584caap+0, frm = RTZ */
  fsrmi RM_RDN
  FOP1_D    167, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000      /* sqrt(3) = 0x1.bb67ae8584caap+0, frm = RDN */
  fsrmi RM_RUP
  FOP1_D    168, fsqrt.d, dyn, 0x3ffbb67ae8584cab, NX, 0x4008000000000000      /* sqrt(3) = 0x1.bb67ae8584cabp+0, frm = RUP */
  fsrmi RM_RMM
  FOP1_D    169, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000      /* sqrt(3) = 0x1.bb67ae8584caap+0, frm = RMM */
  FOP1_D    170, fsqrt.d, rne, 0x0000000000000000, 0, 0x0000000000000000       /* sqrt(+0) = +0 */
  FOP1_D    171, fsqrt.d, rne, 0x8000000000000000, 0, 0x8000000000000000       /* sqrt(-0) = -0, valid */
  FOP1_D    172, fsqrt.d, rne, 0x7ff8000000000000, NV, 0xbff0000000000000      /* sqrt(-1) = qNaN */
  FOP1_D    173, fsqrt.d, rne, 0x7ff8000000000000, NV, 0x8000000000000001      /* sqrt(-min subnormal) = qNaN */
  FOP1_D    174, fsqrt.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000       /* sqrt(+inf) = +inf */
  FOP1_D    175, fsqrt.d, rne, 0x7ff8000000000000, NV, 0xfff0000000000000      /* sqrt(-inf) = qNaN */
  FOP1_D    176, fsqrt.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000012345       /* sqrt(qNaN(0x12345)) = qNaN */
  FOP1_D    177, fsqrt.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001      /* sqrt(sNaN) = qNaN */
  FOP1_D    178, fsqrt.d, rne, 0x7ff8000000000000, 0, 0xfff8000000000000       /* sqrt(-qNaN) = qNaN */
  FOP1_D    179, fsqrt.d, rne, 0x1e60000000000000, 0, 0x0000000000000001       /* sqrt of a subnormal power of 4: exact */
  FOP1_D    180, fsqrt.d, rne, 0x1fffffffffffffff, NX, 0x000fffffffffffff      /* sqrt(max subnormal) = 0x1.fffffffffffffp-512 */
  FOP1_D    181, fsqrt.d, rne, 0x5fefffffffffffff, NX, 0x7fefffffffffffff      /* sqrt(max) = 0x1.fffffffffffffp+511 */
  FOP1_D    182, fsqrt.d, rup, 0x5ff0000000000000, NX, 0x7fefffffffffffff      /* sqrt(max) = 2^512 */

  /* the destination may be a source, and any of f0..f31 */
  TEST 183                                 /* rd = rs1 */
  FLOAD_D fa1, 4607182418800017408
  FLOAD_D fa2, 4611686018427387904
  csrwi fflags, 0
  fadd.d fa1, fa1, fa2, rne
  FCHECK_D fa1, 4613937818241073152, 0
  TEST 184                                 /* rd = rs2 */
  FLOAD_D fa1, 4611686018427387904
  FLOAD_D fa2, 4611686018427387904
  fmul.d fa2, fa1, fa2, rne
  FCHECK_D fa2, 4616189618054758400, 0
  TEST 185                                 /* rd = rs1 = rs2, f0 and f31 */
  FLOAD_D f31, 4611686018427387904
  fadd.d f0, f31, f31, rne
  FCHECK_D f0, 4616189618054758400, 0
  fsqrt.d f31, f0, rne
  FCHECK_D f31, 4611686018427387904, 0
  fdiv.d f0, f0, f0, rne
  FCHECK_D f0, 4607182418800017408, 0

  PASS
