/* rv64d-compare.S — the double-precision instructions that do not round:
 * fsgnj.d fsgnjn.d fsgnjx.d (sign injection: bits of NaNs kept, never a flag), fmin.d
 * fmax.d (-0 < +0; one NaN operand is ignored, two give the canonical NaN; a signalling
 * NaN raises NV even when the result is a number: unprivileged spec 20191213, 11.6),
 * feq.d (quiet: NV only for a signalling NaN) flt.d fle.d (signalling: NV for every
 * NaN; each NaN comparison gives 0), and fclass.d on each of its ten classes (11.9).
 * fmv.d / fneg.d / fabs.d are fsgnj* with rs1 = rs2. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fsgnj / fsgnjn / fsgnjx: the magnitude of rs1 with a sign from rs2; no flags, NaNs
   * (even signalling ones) are not canonicalised */
  /* fsgnj(1, 2) = 1 */
  FSEL_D      1, fsgnj.d, 0x3ff0000000000000, 0, 0x3ff0000000000000, 0x4000000000000000
  /* fsgnjn(1, 2) = -1 */
  FSEL_D      2, fsgnjn.d, 0xbff0000000000000, 0, 0x3ff0000000000000, 0x4000000000000000
  /* fsgnjx(1, 2) = 1 */
  FSEL_D      3, fsgnjx.d, 0x3ff0000000000000, 0, 0x3ff0000000000000, 0x4000000000000000
  /* fsgnj(1, -2) = -1 */
  FSEL_D      4, fsgnj.d, 0xbff0000000000000, 0, 0x3ff0000000000000, 0xc000000000000000
  /* fsgnjn(1, -2) = 1 */
  FSEL_D      5, fsgnjn.d, 0x3ff0000000000000, 0, 0x3ff0000000000000, 0xc000000000000000
  /* fsgnjx(1, -2) = -1 */
  FSEL_D      6, fsgnjx.d, 0xbff0000000000000, 0, 0x3ff0000000000000, 0xc000000000000000
  /* fsgnj(-1, 2) = 1 */
  FSEL_D      7, fsgnj.d, 0x3ff0000000000000, 0, 0xbff0000000000000, 0x4000000000000000
  /* fsgnjn(-1, 2) = -1 */
  FSEL_D      8, fsgnjn.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0x4000000000000000
  /* fsgnjx(-1, 2) = -1 */
  FSEL_D      9, fsgnjx.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0x4000000000000000
  /* fsgnj(-1, -2) = -1 */
  FSEL_D     10, fsgnj.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0xc000000000000000
  /* fsgnjn(-1, -2) = 1 */
  FSEL_D     11, fsgnjn.d, 0x3ff0000000000000, 0, 0xbff0000000000000, 0xc000000000000000
  /* fsgnjx(-1, -2) = 1 */
  FSEL_D     12, fsgnjx.d, 0x3ff0000000000000, 0, 0xbff0000000000000, 0xc000000000000000
  /* fsgnj(+0, -min subnormal) = -0 */
  FSEL_D     13, fsgnj.d, 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000001
  /* fsgnjn(-0, -0) = +0 */
  FSEL_D     14, fsgnjn.d, 0x0000000000000000, 0, 0x8000000000000000, 0x8000000000000000
  /* fsgnjx(-inf, -inf) = +inf */
  FSEL_D     15, fsgnjx.d, 0x7ff0000000000000, 0, 0xfff0000000000000, 0xfff0000000000000
  /* fsgnj(sNaN, -1) = -sNaN: no NV, bits kept */
  FSEL_D     16, fsgnj.d, 0xfff0000000000001, 0, 0x7ff0000000000001, 0xbff0000000000000
  /* fsgnjn(qNaN(0x12345), 1) = -qNaN(0x12345) */
  FSEL_D     17, fsgnjn.d, 0xfff8000000012345, 0, 0x7ff8000000012345, 0x3ff0000000000000
  /* fsgnjx(sNaN(0x4000000002345), -qNaN) = -sNaN(0x4000000002345) */
  FSEL_D     18, fsgnjx.d, 0xfff4000000002345, 0, 0x7ff4000000002345, 0xfff8000000000000
  /* the sign of a NaN in rs2 is used */
  FSEL_D     19, fsgnj.d, 0xbff0000000000000, 0, 0x3ff0000000000000, 0xfff8000000000000
  /* fsgnjn(max subnormal, sNaN) = -max subnormal */
  FSEL_D     20, fsgnjn.d, 0x800fffffffffffff, 0, 0x000fffffffffffff, 0x7ff0000000000001

  /* fmin / fmax (IEEE 754-2019 minimumNumber / maximumNumber): -0 < +0; a NaN operand is
   * ignored, two give the canonical NaN; NV only for a signalling NaN */
  /* fmin(1, 2) = 1 */
  FSEL_D     21, fmin.d, 0x3ff0000000000000, 0, 0x3ff0000000000000, 0x4000000000000000
  /* fmax(1, 2) = 2 */
  FSEL_D     22, fmax.d, 0x4000000000000000, 0, 0x3ff0000000000000, 0x4000000000000000
  /* fmin(2, 1) = 1 */
  FSEL_D     23, fmin.d, 0x3ff0000000000000, 0, 0x4000000000000000, 0x3ff0000000000000
  /* fmax(2, 1) = 2 */
  FSEL_D     24, fmax.d, 0x4000000000000000, 0, 0x4000000000000000, 0x3ff0000000000000
  /* fmin(-1, 2) = -1 */
  FSEL_D     25, fmin.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0x4000000000000000
  /* fmax(-1, 2) = 2 */
  FSEL_D     26, fmax.d, 0x4000000000000000, 0, 0xbff0000000000000, 0x4000000000000000
  /* fmin(-1, -2) = -2 */
  FSEL_D     27, fmin.d, 0xc000000000000000, 0, 0xbff0000000000000, 0xc000000000000000
  /* fmax(-1, -2) = -1 */
  FSEL_D     28, fmax.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0xc000000000000000
  /* fmin(-0, +0) = -0 */
  FSEL_D     29, fmin.d, 0x8000000000000000, 0, 0x8000000000000000, 0x0000000000000000
  /* fmax(-0, +0) = +0 */
  FSEL_D     30, fmax.d, 0x0000000000000000, 0, 0x8000000000000000, 0x0000000000000000
  /* fmin(+0, -0) = -0 */
  FSEL_D     31, fmin.d, 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000000
  /* fmax(+0, -0) = +0 */
  FSEL_D     32, fmax.d, 0x0000000000000000, 0, 0x0000000000000000, 0x8000000000000000
  /* fmin(-0, -0) = -0 */
  FSEL_D     33, fmin.d, 0x8000000000000000, 0, 0x8000000000000000, 0x8000000000000000
  /* fmax(-0, -0) = -0 */
  FSEL_D     34, fmax.d, 0x8000000000000000, 0, 0x8000000000000000, 0x8000000000000000
  /* fmin(min subnormal, -0) = -0 */
  FSEL_D     35, fmin.d, 0x8000000000000000, 0, 0x0000000000000001, 0x8000000000000000
  /* fmax(min subnormal, -0) = min subnormal */
  FSEL_D     36, fmax.d, 0x0000000000000001, 0, 0x0000000000000001, 0x8000000000000000
  /* fmin(+inf, max) = max */
  FSEL_D     37, fmin.d, 0x7fefffffffffffff, 0, 0x7ff0000000000000, 0x7fefffffffffffff
  /* fmax(+inf, max) = +inf */
  FSEL_D     38, fmax.d, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x7fefffffffffffff
  /* fmin(-inf, -max) = -inf */
  FSEL_D     39, fmin.d, 0xfff0000000000000, 0, 0xfff0000000000000, 0xffefffffffffffff
  /* fmax(-inf, -max) = -max */
  FSEL_D     40, fmax.d, 0xffefffffffffffff, 0, 0xfff0000000000000, 0xffefffffffffffff
  /* fmin(-min subnormal, min subnormal) = -min subnormal */
  FSEL_D     41, fmin.d, 0x8000000000000001, 0, 0x8000000000000001, 0x0000000000000001
  /* fmax(-min subnormal, min subnormal) = min subnormal */
  FSEL_D     42, fmax.d, 0x0000000000000001, 0, 0x8000000000000001, 0x0000000000000001
  /* fmin(qNaN, 1) = 1 */
  FSEL_D     43, fmin.d, 0x3ff0000000000000, 0, 0x7ff8000000000000, 0x3ff0000000000000
  /* fmax(qNaN, 1) = 1 */
  FSEL_D     44, fmax.d, 0x3ff0000000000000, 0, 0x7ff8000000000000, 0x3ff0000000000000
  /* fmin(-1, qNaN(0x12345)) = -1 */
  FSEL_D     45, fmin.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0x7ff8000000012345
  /* fmax(-1, qNaN(0x12345)) = -1 */
  FSEL_D     46, fmax.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0x7ff8000000012345
  /* fmin(sNaN, 1) = 1 */
  FSEL_D     47, fmin.d, 0x3ff0000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000
  /* fmax(sNaN, 1) = 1 */
  FSEL_D     48, fmax.d, 0x3ff0000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000
  /* fmin(1, sNaN(0x4000000002345)) = 1 */
  FSEL_D     49, fmin.d, 0x3ff0000000000000, NV, 0x3ff0000000000000, 0x7ff4000000002345
  /* fmax(1, sNaN(0x4000000002345)) = 1 */
  FSEL_D     50, fmax.d, 0x3ff0000000000000, NV, 0x3ff0000000000000, 0x7ff4000000002345
  /* fmin(qNaN, qNaN) = qNaN */
  FSEL_D     51, fmin.d, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x7ff8000000000000
  /* fmax(qNaN, qNaN) = qNaN */
  FSEL_D     52, fmax.d, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x7ff8000000000000
  /* fmin(sNaN, qNaN) = qNaN */
  FSEL_D     53, fmin.d, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff8000000000000
  /* fmax(sNaN, qNaN) = qNaN */
  FSEL_D     54, fmax.d, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff8000000000000
  /* fmin(-qNaN, -inf) = -inf */
  FSEL_D     55, fmin.d, 0xfff0000000000000, 0, 0xfff8000000000000, 0xfff0000000000000
  /* fmax(-qNaN, -inf) = -inf */
  FSEL_D     56, fmax.d, 0xfff0000000000000, 0, 0xfff8000000000000, 0xfff0000000000000
  /* fmin(+inf, sNaN) = +inf */
  FSEL_D     57, fmin.d, 0x7ff0000000000000, NV, 0x7ff0000000000000, 0x7ff0000000000001
  /* fmax(+inf, sNaN) = +inf */
  FSEL_D     58, fmax.d, 0x7ff0000000000000, NV, 0x7ff0000000000000, 0x7ff0000000000001
  /* fmin(sNaN, sNaN(0x4000000002345)) = qNaN */
  FSEL_D     59, fmin.d, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff4000000002345
  /* fmax(sNaN, sNaN(0x4000000002345)) = qNaN */
  FSEL_D     60, fmax.d, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff4000000002345

  /* feq (quiet: NV only for a signalling NaN) / flt, fle (signalling: NV for any NaN) */
  FCMP_D     61, feq.d, 1, 0, 0x3ff0000000000000, 0x3ff0000000000000           /* 1 == 1 */
  FCMP_D     62, flt.d, 0, 0, 0x3ff0000000000000, 0x3ff0000000000000           /* 1 < 1 */
  FCMP_D     63, fle.d, 1, 0, 0x3ff0000000000000, 0x3ff0000000000000           /* 1 <= 1 */
  FCMP_D     64, feq.d, 0, 0, 0x3ff0000000000000, 0x4000000000000000           /* 1 == 2 */
  FCMP_D     65, flt.d, 1, 0, 0x3ff0000000000000, 0x4000000000000000           /* 1 < 2 */
  FCMP_D     66, fle.d, 1, 0, 0x3ff0000000000000, 0x4000000000000000           /* 1 <= 2 */
  FCMP_D     67, feq.d, 0, 0, 0x4000000000000000, 0x3ff0000000000000           /* 2 == 1 */
  FCMP_D     68, flt.d, 0, 0, 0x4000000000000000, 0x3ff0000000000000           /* 2 < 1 */
  FCMP_D     69, fle.d, 0, 0, 0x4000000000000000, 0x3ff0000000000000           /* 2 <= 1 */
  FCMP_D     70, feq.d, 1, 0, 0x0000000000000000, 0x8000000000000000           /* +0 == -0 */
  FCMP_D     71, flt.d, 0, 0, 0x0000000000000000, 0x8000000000000000           /* +0 < -0 */
  FCMP_D     72, fle.d, 1, 0, 0x0000000000000000, 0x8000000000000000           /* +0 <= -0 */
  FCMP_D     73, feq.d, 1, 0, 0x8000000000000000, 0x0000000000000000           /* -0 == +0 */
  FCMP_D     74, flt.d, 0, 0, 0x8000000000000000, 0x0000000000000000           /* -0 < +0 */
  FCMP_D     75, fle.d, 1, 0, 0x8000000000000000, 0x0000000000000000           /* -0 <= +0 */
  FCMP_D     76, feq.d, 0, 0, 0xfff0000000000000, 0x7ff0000000000000           /* -inf == +inf */
  FCMP_D     77, flt.d, 1, 0, 0xfff0000000000000, 0x7ff0000000000000           /* -inf < +inf */
  FCMP_D     78, fle.d, 1, 0, 0xfff0000000000000, 0x7ff0000000000000           /* -inf <= +inf */
  FCMP_D     79, feq.d, 1, 0, 0x7ff0000000000000, 0x7ff0000000000000           /* +inf == +inf */
  FCMP_D     80, flt.d, 0, 0, 0x7ff0000000000000, 0x7ff0000000000000           /* +inf < +inf */
  FCMP_D     81, fle.d, 1, 0, 0x7ff0000000000000, 0x7ff0000000000000           /* +inf <= +inf */
  FCMP_D     82, feq.d, 0, 0, 0x0000000000000001, 0x0000000000000000           /* min subnormal == +0 */
  FCMP_D     83, flt.d, 0, 0, 0x0000000000000001, 0x0000000000000000           /* min subnormal < +0 */
  FCMP_D     84, fle.d, 0, 0, 0x0000000000000001, 0x0000000000000000           /* min subnormal <= +0 */
  FCMP_D     85, feq.d, 0, 0, 0x8000000000000001, 0x8000000000000000           /* -min subnormal == -0 */
  FCMP_D     86, flt.d, 1, 0, 0x8000000000000001, 0x8000000000000000           /* -min subnormal < -0 */
  FCMP_D     87, fle.d, 1, 0, 0x8000000000000001, 0x8000000000000000           /* -min subnormal <= -0 */
  FCMP_D     88, feq.d, 0, 0, 0x7fefffffffffffff, 0x7ff0000000000000           /* max == +inf */
  FCMP_D     89, flt.d, 1, 0, 0x7fefffffffffffff, 0x7ff0000000000000           /* max < +inf */
  FCMP_D     90, fle.d, 1, 0, 0x7fefffffffffffff, 0x7ff0000000000000           /* max <= +inf */
  FCMP_D     91, feq.d, 0, 0, 0xc000000000000000, 0xbff0000000000000           /* -2 == -1 */
  FCMP_D     92, flt.d, 1, 0, 0xc000000000000000, 0xbff0000000000000           /* -2 < -1 */
  FCMP_D     93, fle.d, 1, 0, 0xc000000000000000, 0xbff0000000000000           /* -2 <= -1 */
  FCMP_D     94, feq.d, 0, 0, 0x3ff0000000000001, 0x3ff0000000000000           /* 0x1.0000000000001p+0 == 1 */
  FCMP_D     95, flt.d, 0, 0, 0x3ff0000000000001, 0x3ff0000000000000           /* 0x1.0000000000001p+0 < 1 */
  FCMP_D     96, fle.d, 0, 0, 0x3ff0000000000001, 0x3ff0000000000000           /* 0x1.0000000000001p+0 <= 1 */
  FCMP_D     97, feq.d, 0, 0, 0x7ff8000000000000, 0x3ff0000000000000           /* qNaN == 1 */
  FCMP_D     98, flt.d, 0, NV, 0x7ff8000000000000, 0x3ff0000000000000          /* qNaN < 1 */
  FCMP_D     99, fle.d, 0, NV, 0x7ff8000000000000, 0x3ff0000000000000          /* qNaN <= 1 */
  FCMP_D    100, feq.d, 0, 0, 0x3ff0000000000000, 0x7ff8000000012345           /* 1 == qNaN(0x12345) */
  FCMP_D    101, flt.d, 0, NV, 0x3ff0000000000000, 0x7ff8000000012345          /* 1 < qNaN(0x12345) */
  FCMP_D    102, fle.d, 0, NV, 0x3ff0000000000000, 0x7ff8000000012345          /* 1 <= qNaN(0x12345) */
  FCMP_D    103, feq.d, 0, NV, 0x7ff0000000000001, 0x3ff0000000000000          /* sNaN == 1 */
  FCMP_D    104, flt.d, 0, NV, 0x7ff0000000000001, 0x3ff0000000000000          /* sNaN < 1 */
  FCMP_D    105, fle.d, 0, NV, 0x7ff0000000000001, 0x3ff0000000000000          /* sNaN <= 1 */
  FCMP_D    106, feq.d, 0, NV, 0x3ff0000000000000, 0x7ff4000000002345          /* 1 == sNaN(0x4000000002345) */
  FCMP_D    107, flt.d, 0, NV, 0x3ff0000000000000, 0x7ff4000000002345          /* 1 < sNaN(0x4000000002345) */
  FCMP_D    108, fle.d, 0, NV, 0x3ff0000000000000, 0x7ff4000000002345          /* 1 <= sNaN(0x4000000002345) */
  FCMP_D    109, feq.d, 0, 0, 0x7ff8000000000000, 0x7ff8000000000000           /* qNaN == qNaN */
  FCMP_D    110, flt.d, 0, NV, 0x7ff8000000000000, 0x7ff8000000000000          /* qNaN < qNaN */
  FCMP_D    111, fle.d, 0, NV, 0x7ff8000000000000, 0x7ff8000000000000          /* qNaN <= qNaN */
  FCMP_D    112, feq.d, 0, 0, 0xfff8000000000000, 0xfff0000000000000           /* -qNaN == -inf */
  FCMP_D    113, flt.d, 0, NV, 0xfff8000000000000, 0xfff0000000000000          /* -qNaN < -inf */
  FCMP_D    114, fle.d, 0, NV, 0xfff8000000000000, 0xfff0000000000000          /* -qNaN <= -inf */

  /* fclass: each of the ten classes, and no flags */
  FCLASS_D  115, CLASS_NEG_INF, 0xfff0000000000000                             /* -inf */
  FCLASS_D  116, CLASS_NEG_NORMAL, 0xbff0000000000000                          /* -1 */
  FCLASS_D  117, CLASS_NEG_NORMAL, 0x8010000000000000                          /* -min normal */
  FCLASS_D  118, CLASS_NEG_NORMAL, 0xffefffffffffffff                          /* -max */
  FCLASS_D  119, CLASS_NEG_SUBNORMAL, 0x800fffffffffffff                       /* -max subnormal */
  FCLASS_D  120, CLASS_NEG_SUBNORMAL, 0x8000000000000001                       /* -min subnormal */
  FCLASS_D  121, CLASS_NEG_ZERO, 0x8000000000000000                            /* -0 */
  FCLASS_D  122, CLASS_POS_ZERO, 0x0000000000000000                            /* +0 */
  FCLASS_D  123, CLASS_POS_SUBNORMAL, 0x0000000000000001                       /* min subnormal */
  FCLASS_D  124, CLASS_POS_SUBNORMAL, 0x000fffffffffffff                       /* max subnormal */
  FCLASS_D  125, CLASS_POS_NORMAL, 0x0010000000000000                          /* min normal */
  FCLASS_D  126, CLASS_POS_NORMAL, 0x3ff0000000000000                          /* 1 */
  FCLASS_D  127, CLASS_POS_NORMAL, 0x7fefffffffffffff                          /* max */
  FCLASS_D  128, CLASS_POS_INF, 0x7ff0000000000000                             /* +inf */
  FCLASS_D  129, CLASS_SNAN, 0x7ff0000000000001                                /* sNaN */
  FCLASS_D  130, CLASS_SNAN, 0x7ff4000000002345                                /* sNaN(0x4000000002345) */
  FCLASS_D  131, CLASS_SNAN, 0xfff0000000000001                                /* -sNaN */
  FCLASS_D  132, CLASS_QNAN, 0x7ff8000000000000                                /* qNaN */
  FCLASS_D  133, CLASS_QNAN, 0x7ff8000000012345                                /* qNaN(0x12345) */
  FCLASS_D  134, CLASS_QNAN, 0xfff8000000000000                                /* -qNaN */
  FCLASS_D  135, CLASS_QNAN, 0xffffffffffffffff                                /* -qNaN(0x7ffffffffffff) */

  /* rs1 = rs2: fmv / fneg / fabs (the pseudo-instructions) */
  TEST 136                                 /* fmv.d(-1.5) = -1.5 */
  FLOAD_D fa1, 0xbff8000000000000
  csrwi fflags, 0
  fmv.d fa0, fa1
  FCHECK_D fa0, 0xbff8000000000000, 0
  TEST 137                                 /* fmv.d(sNaN(0x4000000002345)) = sNaN(0x4000000002345) */
  FLOAD_D fa1, 0x7ff4000000002345
  csrwi fflags, 0
  fmv.d fa0, fa1
  FCHECK_D fa0, 0x7ff4000000002345, 0
  TEST 138                                 /* fneg.d(-1.5) = 1.5 */
  FLOAD_D fa1, 0xbff8000000000000
  csrwi fflags, 0
  fneg.d fa0, fa1
  FCHECK_D fa0, 0x3ff8000000000000, 0
  TEST 139                                 /* fneg.d(sNaN(0x4000000002345)) = -sNaN(0x4000000002345) */
  FLOAD_D fa1, 0x7ff4000000002345
  csrwi fflags, 0
  fneg.d fa0, fa1
  FCHECK_D fa0, 0xfff4000000002345, 0
  TEST 140                                 /* fabs.d(-1.5) = 1.5 */
  FLOAD_D fa1, 0xbff8000000000000
  csrwi fflags, 0
  fabs.d fa0, fa1
  FCHECK_D fa0, 0x3ff8000000000000, 0
  TEST 141                                 /* fabs.d(sNaN(0x4000000002345)) = sNaN(0x4000000002345) */
  FLOAD_D fa1, 0x7ff4000000002345
  csrwi fflags, 0
  fabs.d fa0, fa1
  FCHECK_D fa0, 0x7ff4000000002345, 0

  PASS
