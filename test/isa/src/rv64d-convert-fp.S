/* rv64d-convert-fp.S — conversions between the two precisions: fcvt.s.d (rounded:
 * every static and dynamic mode on ties, overflow to inf or the single max by mode,
 * underflow with tininess detected after rounding, so a double just below 2^-126 that
 * rounds to the single min normal raises no UF) and fcvt.d.s (exact); a NaN operand
 * gives the canonical NaN of the destination (payloads are not kept), NV for a
 * signalling one. fcvt.s.d results are checked NaN-boxed. Unprivileged spec 20191213,
 * 12.5. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fcvt.s.d: rounding to single precision */
  FCVT_SD     1, rne, 0x3f800000, 0, 0x3ff0000000000000                        /* 1 -> 1 */
  FCVT_SD     2, rne, 0xc0200000, 0, 0xc004000000000000                        /* -2.5 -> -2.5 */
  FCVT_SD     3, rne, 0x3f800000, NX, 0x3ff0000010000000                       /* 1 + 2^-24: a tie (rne): 0x1.000001p+0 -> 1 */
  FCVT_SD     4, rtz, 0x3f800000, NX, 0x3ff0000010000000                       /* 1 + 2^-24: a tie (rtz): 0x1.000001p+0 -> 1 */
  FCVT_SD     5, rdn, 0x3f800000, NX, 0x3ff0000010000000                       /* 1 + 2^-24: a tie (rdn): 0x1.000001p+0 -> 1 */
  FCVT_SD     6, rup, 0x3f800001, NX, 0x3ff0000010000000                       /* 1 + 2^-24: a tie (rup): 0x1.000001p+0 -> 0x1.000002p+0 */
  FCVT_SD     7, rmm, 0x3f800001, NX, 0x3ff0000010000000                       /* 1 + 2^-24: a tie (rmm): 0x1.000001p+0 -> 0x1.000002p+0 */
  fsrmi RM_RNE
  FCVT_SD     8, dyn, 0xbf800000, NX, 0xbff0000010000000                       /* -(1 + 2^-24), frm = RNE: -0x1.000001p+0 -> -1 */
  fsrmi RM_RTZ
  FCVT_SD     9, dyn, 0xbf800000, NX, 0xbff0000010000000                       /* -(1 + 2^-24), frm = RTZ: -0x1.000001p+0 -> -1 */
  fsrmi RM_RDN
  FCVT_SD    10, dyn, 0xbf800001, NX, 0xbff0000010000000                       /* -(1 + 2^-24), frm = RDN: -0x1.000001p+0 -> -0x1.000002p+0 */
  fsrmi RM_RUP
  FCVT_SD    11, dyn, 0xbf800000, NX, 0xbff0000010000000                       /* -(1 + 2^-24), frm = RUP: -0x1.000001p+0 -> -1 */
  fsrmi RM_RMM
  FCVT_SD    12, dyn, 0xbf800001, NX, 0xbff0000010000000                       /* -(1 + 2^-24), frm = RMM: -0x1.000001p+0 -> -0x1.000002p+0 */
  FCVT_SD    13, rne, 0x3f800001, NX, 0x3ff0000010001000                       /* just above the tie: 0x1.0000010001p+0 -> 0x1.000002p+0 */
  FCVT_SD    14, rne, 0x3eaaaaab, NX, 0x3fd5555555555555                       /* 1/3: 0x1.5555555555555p-2 -> 0x1.555556p-2 */
  FCVT_SD    15, rtz, 0x3eaaaaaa, NX, 0x3fd5555555555555                       /* 1/3: 0x1.5555555555555p-2 -> 0x1.555554p-2 */

  /* fcvt.s.d: overflow */
  FCVT_SD    16, rne, 0x7f800000, OF|NX, 0x7fefffffffffffff                    /* max -> +inf */
  FCVT_SD    17, rtz, 0x7f7fffff, OF|NX, 0x7fefffffffffffff                    /* max -> max */
  FCVT_SD    18, rdn, 0x7f7fffff, OF|NX, 0x7fefffffffffffff                    /* max -> max */
  FCVT_SD    19, rup, 0x7f800000, OF|NX, 0x7fefffffffffffff                    /* max -> +inf */
  FCVT_SD    20, rmm, 0x7f800000, OF|NX, 0x7fefffffffffffff                    /* max -> +inf */
  fsrmi RM_RDN
  FCVT_SD    21, dyn, 0xff800000, OF|NX, 0xffefffffffffffff                    /* -max -> -inf */
  fsrmi RM_RUP
  FCVT_SD    22, dyn, 0xff7fffff, OF|NX, 0xffefffffffffffff                    /* -max -> -max */
  FCVT_SD    23, rne, 0x7f7fffff, 0, 0x47efffffe0000000                        /* single max: exact: 0x1.fffffep+127 -> max */
  FCVT_SD    24, rne, 0x7f7fffff, NX, 0x47efffffe8000000                       /* single max + half its ulp: a tie, to even = 2^128: 0x1.fffffe8p+127 -> max */
  FCVT_SD    25, rtz, 0x7f7fffff, NX, 0x47efffffe8000000                       /* 0x1.fffffe8p+127 -> max */
  FCVT_SD    26, rne, 0x7f7fffff, NX, 0x47efffffe4000000                       /* single max + a quarter ulp: max, NX only: 0x1.fffffe4p+127 -> max */

  /* fcvt.s.d: underflow (tininess is detected after rounding) */
  FCVT_SD    27, rne, 0x00000001, 0, 0x36a0000000000000                        /* the single min subnormal: exact: 2^-149 -> min subnormal */
  FCVT_SD    28, rne, 0x00400000, 0, 0x3800000000000000                        /* exact subnormal: no UF: 2^-127 -> 2^-127 */
  FCVT_SD    29, rne, 0x00000000, UF|NX, 0x3690000000000000                    /* half the min subnormal: a tie, to even = 0: 2^-150 -> +0 */
  FCVT_SD    30, rup, 0x00000001, UF|NX, 0x3690000000000000                    /* 2^-150 -> min subnormal */
  FCVT_SD    31, rmm, 0x00000001, UF|NX, 0x3690000000000000                    /* 2^-150 -> min subnormal */
  FCVT_SD    32, rne, 0x00000002, UF|NX, 0x36a8000000000000                    /* 1.5 min subnormals: a tie, to even = 2: 0x1.8p-149 -> 2^-148 */
  FCVT_SD    33, rne, 0x00800000, NX, 0x380ffffff0000000                       /* 2^-126 (1 - 2^-25), tiny only before rounding (rne): 0x1.ffffffp-127 -> min normal */
  FCVT_SD    34, rtz, 0x007fffff, UF|NX, 0x380ffffff0000000                    /* 2^-126 (1 - 2^-25), tiny only before rounding (rtz): 0x1.ffffffp-127 -> max subnormal */
  FCVT_SD    35, rdn, 0x007fffff, UF|NX, 0x380ffffff0000000                    /* 2^-126 (1 - 2^-25), tiny only before rounding (rdn): 0x1.ffffffp-127 -> max subnormal */
  FCVT_SD    36, rup, 0x00800000, NX, 0x380ffffff0000000                       /* 2^-126 (1 - 2^-25), tiny only before rounding (rup): 0x1.ffffffp-127 -> min normal */
  FCVT_SD    37, rmm, 0x00800000, NX, 0x380ffffff0000000                       /* 2^-126 (1 - 2^-25), tiny only before rounding (rmm): 0x1.ffffffp-127 -> min normal */
  FCVT_SD    38, rne, 0x00800000, UF|NX, 0x380fffffe0000000                    /* 2^-126 (1 - 2^-24): tiny after rounding in the unbounded exponent, rounds to min normal: 0x1.fffffep-127 -> min normal */
  fsrmi RM_RUP
  FCVT_SD    39, dyn, 0x807fffff, UF|NX, 0xb80ffffff0000000                    /* -2^-126 (1 - 2^-25), frm = RUP: -0x1.ffffffp-127 -> -max subnormal */
  FCVT_SD    40, rne, 0x00000000, UF|NX, 0x0000000000000001                    /* min subnormal -> +0 */
  FCVT_SD    41, rup, 0x00000001, UF|NX, 0x0000000000000001                    /* min subnormal -> min subnormal */
  FCVT_SD    42, rdn, 0x80000001, UF|NX, 0x8000000000000001                    /* -min subnormal -> -min subnormal */

  /* fcvt.s.d: special values (a NaN result is the canonical single NaN) */
  FCVT_SD    43, rne, 0x00000000, 0, 0x0000000000000000                        /* +0 -> +0 */
  FCVT_SD    44, rne, 0x80000000, 0, 0x8000000000000000                        /* -0 -> -0 */
  FCVT_SD    45, rne, 0x7f800000, 0, 0x7ff0000000000000                        /* +inf -> +inf */
  FCVT_SD    46, rne, 0xff800000, 0, 0xfff0000000000000                        /* -inf -> -inf */
  FCVT_SD    47, rne, 0x7fc00000, 0, 0x7ff8000000000000                        /* qNaN -> qNaN */
  FCVT_SD    48, rne, 0x7fc00000, 0, 0x7ff8000000012345                        /* the payload is not kept: qNaN(0x12345) -> qNaN */
  FCVT_SD    49, rne, 0x7fc00000, 0, 0xfff8000000000000                        /* -qNaN -> qNaN */
  FCVT_SD    50, rne, 0x7fc00000, NV, 0x7ff0000000000001                       /* sNaN -> qNaN */
  FCVT_SD    51, rne, 0x7fc00000, NV, 0x7ff0010000000000                       /* an sNaN whose payload is all above bit 29: sNaN(0x10000000000) -> qNaN */

  /* fcvt.d.s: exact (no rounding, no flags except NV for a signalling NaN) */
  FCVT_DS    52, 0x3ff0000000000000, 0, 0x3f800000                             /* 1 -> 1 */
  FCVT_DS    53, 0xc004000000000000, 0, 0xc0200000                             /* -2.5 -> -2.5 */
  FCVT_DS    54, 0x3ff0000020000000, 0, 0x3f800001                             /* 0x1.000002p+0 -> 0x1.000002p+0 */
  FCVT_DS    55, 0x0000000000000000, 0, 0x00000000                             /* +0 -> +0 */
  FCVT_DS    56, 0x8000000000000000, 0, 0x80000000                             /* -0 -> -0 */
  FCVT_DS    57, 0x7ff0000000000000, 0, 0x7f800000                             /* +inf -> +inf */
  FCVT_DS    58, 0xfff0000000000000, 0, 0xff800000                             /* -inf -> -inf */
  FCVT_DS    59, 0x36a0000000000000, 0, 0x00000001                             /* min subnormal -> 2^-149 */
  FCVT_DS    60, 0xb80fffffc0000000, 0, 0x807fffff                             /* -max subnormal -> -0x1.fffffcp-127 */
  FCVT_DS    61, 0x3810000000000000, 0, 0x00800000                             /* min normal -> 2^-126 */
  FCVT_DS    62, 0x47efffffe0000000, 0, 0x7f7fffff                             /* max -> 0x1.fffffep+127 */
  FCVT_DS    63, 0x7ff8000000000000, 0, 0x7fc00000                             /* qNaN -> qNaN */
  FCVT_DS    64, 0x7ff8000000000000, 0, 0x7fc12345                             /* qNaN(0x12345) -> qNaN */
  FCVT_DS    65, 0x7ff8000000000000, 0, 0xffc00000                             /* -qNaN -> qNaN */
  FCVT_DS    66, 0x7ff8000000000000, NV, 0x7f800001                            /* sNaN -> qNaN */
  FCVT_DS    67, 0x7ff8000000000000, NV, 0x7fa02345                            /* sNaN(0x202345) -> qNaN */

  PASS
