/* rv64f-compare.S — the single-precision instructions that do not round:
 * fsgnj.s fsgnjn.s fsgnjx.s (sign injection: bits of NaNs kept, never a flag), fmin.s
 * fmax.s (-0 < +0; one NaN operand is ignored, two give the canonical NaN; a signalling
 * NaN raises NV even when the result is a number: unprivileged spec 20191213, 11.6),
 * feq.s (quiet: NV only for a signalling NaN) flt.s fle.s (signalling: NV for every
 * NaN; each NaN comparison gives 0), and fclass.s on each of its ten classes (11.9).
 * fmv.s / fneg.s / fabs.s are fsgnj* with rs1 = rs2. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fsgnj / fsgnjn / fsgnjx: the magnitude of rs1 with a sign from rs2; no flags, NaNs
   * (even signalling ones) are not canonicalised */
  FSEL_S      1, fsgnj.s, 0x3f800000, 0, 0x3f800000, 0x40000000                /* fsgnj(1, 2) = 1 */
  FSEL_S      2, fsgnjn.s, 0xbf800000, 0, 0x3f800000, 0x40000000               /* fsgnjn(1, 2) = -1 */
  FSEL_S      3, fsgnjx.s, 0x3f800000, 0, 0x3f800000, 0x40000000               /* fsgnjx(1, 2) = 1 */
  FSEL_S      4, fsgnj.s, 0xbf800000, 0, 0x3f800000, 0xc0000000                /* fsgnj(1, -2) = -1 */
  FSEL_S      5, fsgnjn.s, 0x3f800000, 0, 0x3f800000, 0xc0000000               /* fsgnjn(1, -2) = 1 */
  FSEL_S      6, fsgnjx.s, 0xbf800000, 0, 0x3f800000, 0xc0000000               /* fsgnjx(1, -2) = -1 */
  FSEL_S      7, fsgnj.s, 0x3f800000, 0, 0xbf800000, 0x40000000                /* fsgnj(-1, 2) = 1 */
  FSEL_S      8, fsgnjn.s, 0xbf800000, 0, 0xbf800000, 0x40000000               /* fsgnjn(-1, 2) = -1 */
  FSEL_S      9, fsgnjx.s, 0xbf800000, 0, 0xbf800000, 0x40000000               /* fsgnjx(-1, 2) = -1 */
  FSEL_S     10, fsgnj.s, 0xbf800000, 0, 0xbf800000, 0xc0000000                /* fsgnj(-1, -2) = -1 */
  FSEL_S     11, fsgnjn.s, 0x3f800000, 0, 0xbf800000, 0xc0000000               /* fsgnjn(-1, -2) = 1 */
  FSEL_S     12, fsgnjx.s, 0x3f800000, 0, 0xbf800000, 0xc0000000               /* fsgnjx(-1, -2) = 1 */
  FSEL_S     13, fsgnj.s, 0x80000000, 0, 0x00000000, 0x80000001                /* fsgnj(+0, -min subnormal) = -0 */
  FSEL_S     14, fsgnjn.s, 0x00000000, 0, 0x80000000, 0x80000000               /* fsgnjn(-0, -0) = +0 */
  FSEL_S     15, fsgnjx.s, 0x7f800000, 0, 0xff800000, 0xff800000               /* fsgnjx(-inf, -inf) = +inf */
  FSEL_S     16, fsgnj.s, 0xff800001, 0, 0x7f800001, 0xbf800000                /* fsgnj(sNaN, -1) = -sNaN: no NV, bits kept */
  FSEL_S     17, fsgnjn.s, 0xffc12345, 0, 0x7fc12345, 0x3f800000               /* fsgnjn(qNaN(0x12345), 1) = -qNaN(0x12345) */
  FSEL_S     18, fsgnjx.s, 0xffa02345, 0, 0x7fa02345, 0xffc00000               /* fsgnjx(sNaN(0x202345), -qNaN) = -sNaN(0x202345) */
  FSEL_S     19, fsgnj.s, 0xbf800000, 0, 0x3f800000, 0xffc00000                /* the sign of a NaN in rs2 is used */
  FSEL_S     20, fsgnjn.s, 0x807fffff, 0, 0x007fffff, 0x7f800001               /* fsgnjn(max subnormal, sNaN) = -max subnormal */

  /* fmin / fmax (IEEE 754-2019 minimumNumber / maximumNumber): -0 < +0; a NaN operand is
   * ignored, two give the canonical NaN; NV only for a signalling NaN */
  FSEL_S     21, fmin.s, 0x3f800000, 0, 0x3f800000, 0x40000000                 /* fmin(1, 2) = 1 */
  FSEL_S     22, fmax.s, 0x40000000, 0, 0x3f800000, 0x40000000                 /* fmax(1, 2) = 2 */
  FSEL_S     23, fmin.s, 0x3f800000, 0, 0x40000000, 0x3f800000                 /* fmin(2, 1) = 1 */
  FSEL_S     24, fmax.s, 0x40000000, 0, 0x40000000, 0x3f800000                 /* fmax(2, 1) = 2 */
  FSEL_S     25, fmin.s, 0xbf800000, 0, 0xbf800000, 0x40000000                 /* fmin(-1, 2) = -1 */
  FSEL_S     26, fmax.s, 0x40000000, 0, 0xbf800000, 0x40000000                 /* fmax(-1, 2) = 2 */
  FSEL_S     27, fmin.s, 0xc0000000, 0, 0xbf800000, 0xc0000000                 /* fmin(-1, -2) = -2 */
  FSEL_S     28, fmax.s, 0xbf800000, 0, 0xbf800000, 0xc0000000                 /* fmax(-1, -2) = -1 */
  FSEL_S     29, fmin.s, 0x80000000, 0, 0x80000000, 0x00000000                 /* fmin(-0, +0) = -0 */
  FSEL_S     30, fmax.s, 0x00000000, 0, 0x80000000, 0x00000000                 /* fmax(-0, +0) = +0 */
  FSEL_S     31, fmin.s, 0x80000000, 0, 0x00000000, 0x80000000                 /* fmin(+0, -0) = -0 */
  FSEL_S     32, fmax.s, 0x00000000, 0, 0x00000000, 0x80000000                 /* fmax(+0, -0) = +0 */
  FSEL_S     33, fmin.s, 0x80000000, 0, 0x80000000, 0x80000000                 /* fmin(-0, -0) = -0 */
  FSEL_S     34, fmax.s, 0x80000000, 0, 0x80000000, 0x80000000                 /* fmax(-0, -0) = -0 */
  FSEL_S     35, fmin.s, 0x80000000, 0, 0x00000001, 0x80000000                 /* fmin(min subnormal, -0) = -0 */
  FSEL_S     36, fmax.s, 0x00000001, 0, 0x00000001, 0x80000000                 /* fmax(min subnormal, -0) = min subnormal */
  FSEL_S     37, fmin.s, 0x7f7fffff, 0, 0x7f800000, 0x7f7fffff                 /* fmin(+inf, max) = max */
  FSEL_S     38, fmax.s, 0x7f800000, 0, 0x7f800000, 0x7f7fffff                 /* fmax(+inf, max) = +inf */
  FSEL_S     39, fmin.s, 0xff800000, 0, 0xff800000, 0xff7fffff                 /* fmin(-inf, -max) = -inf */
  FSEL_S     40, fmax.s, 0xff7fffff, 0, 0xff800000, 0xff7fffff                 /* fmax(-inf, -max) = -max */
  FSEL_S     41, fmin.s, 0x80000001, 0, 0x80000001, 0x00000001                 /* fmin(-min subnormal, min subnormal) = -min subnormal */
  FSEL_S     42, fmax.s, 0x00000001, 0, 0x80000001, 0x00000001                 /* fmax(-min subnormal, min subnormal) = min subnormal */
  FSEL_S     43, fmin.s, 0x3f800000, 0, 0x7fc00000, 0x3f800000                 /* fmin(qNaN, 1) = 1 */
  FSEL_S     44, fmax.s, 0x3f800000, 0, 0x7fc00000, 0x3f800000                 /* fmax(qNaN, 1) = 1 */
  FSEL_S     45, fmin.s, 0xbf800000, 0, 0xbf800000, 0x7fc12345                 /* fmin(-1, qNaN(0x12345)) = -1 */
  FSEL_S     46, fmax.s, 0xbf800000, 0, 0xbf800000, 0x7fc12345                 /* fmax(-1, qNaN(0x12345)) = -1 */
  FSEL_S     47, fmin.s, 0x3f800000, NV, 0x7f800001, 0x3f800000                /* fmin(sNaN, 1) = 1 */
  FSEL_S     48, fmax.s, 0x3f800000, NV, 0x7f800001, 0x3f800000                /* fmax(sNaN, 1) = 1 */
  FSEL_S     49, fmin.s, 0x3f800000, NV, 0x3f800000, 0x7fa02345                /* fmin(1, sNaN(0x202345)) = 1 */
  FSEL_S     50, fmax.s, 0x3f800000, NV, 0x3f800000, 0x7fa02345                /* fmax(1, sNaN(0x202345)) = 1 */
  FSEL_S     51, fmin.s, 0x7fc00000, 0, 0x7fc00000, 0x7fc00000                 /* fmin(qNaN, qNaN) = qNaN */
  FSEL_S     52, fmax.s, 0x7fc00000, 0, 0x7fc00000, 0x7fc00000                 /* fmax(qNaN, qNaN) = qNaN */
  FSEL_S     53, fmin.s, 0x7fc00000, NV, 0x7f800001, 0x7fc00000                /* fmin(sNaN, qNaN) = qNaN */
  FSEL_S     54, fmax.s, 0x7fc00000, NV, 0x7f800001, 0x7fc00000                /* fmax(sNaN, qNaN) = qNaN */
  FSEL_S     55, fmin.s, 0xff800000, 0, 0xffc00000, 0xff800000                 /* fmin(-qNaN, -inf) = -inf */
  FSEL_S     56, fmax.s, 0xff800000, 0, 0xffc00000, 0xff800000                 /* fmax(-qNaN, -inf) = -inf */
  FSEL_S     57, fmin.s, 0x7f800000, NV, 0x7f800000, 0x7f800001                /* fmin(+inf, sNaN) = +inf */
  FSEL_S     58, fmax.s, 0x7f800000, NV, 0x7f800000, 0x7f800001                /* fmax(+inf, sNaN) = +inf */
  FSEL_S     59, fmin.s, 0x7fc00000, NV, 0x7f800001, 0x7fa02345                /* fmin(sNaN, sNaN(0x202345)) = qNaN */
  FSEL_S     60, fmax.s, 0x7fc00000, NV, 0x7f800001, 0x7fa02345                /* fmax(sNaN, sNaN(0x202345)) = qNaN */

  /* feq (quiet: NV only for a signalling NaN) / flt, fle (signalling: NV for any NaN) */
  FCMP_S     61, feq.s, 1, 0, 0x3f800000, 0x3f800000                           /* 1 == 1 */
  FCMP_S     62, flt.s, 0, 0, 0x3f800000, 0x3f800000                           /* 1 < 1 */
  FCMP_S     63, fle.s, 1, 0, 0x3f800000, 0x3f800000                           /* 1 <= 1 */
  FCMP_S     64, feq.s, 0, 0, 0x3f800000, 0x40000000                           /* 1 == 2 */
  FCMP_S     65, flt.s, 1, 0, 0x3f800000, 0x40000000                           /* 1 < 2 */
  FCMP_S     66, fle.s, 1, 0, 0x3f800000, 0x40000000                           /* 1 <= 2 */
  FCMP_S     67, feq.s, 0, 0, 0x40000000, 0x3f800000                           /* 2 == 1 */
  FCMP_S     68, flt.s, 0, 0, 0x40000000, 0x3f800000                           /* 2 < 1 */
  FCMP_S     69, fle.s, 0, 0, 0x40000000, 0x3f800000                           /* 2 <= 1 */
  FCMP_S     70, feq.s, 1, 0, 0x00000000, 0x80000000                           /* +0 == -0 */
  FCMP_S     71, flt.s, 0, 0, 0x00000000, 0x80000000                           /* +0 < -0 */
  FCMP_S     72, fle.s, 1, 0, 0x00000000, 0x80000000                           /* +0 <= -0 */
  FCMP_S     73, feq.s, 1, 0, 0x80000000, 0x00000000                           /* -0 == +0 */
  FCMP_S     74, flt.s, 0, 0, 0x80000000, 0x00000000                           /* -0 < +0 */
  FCMP_S     75, fle.s, 1, 0, 0x80000000, 0x00000000                           /* -0 <= +0 */
  FCMP_S     76, feq.s, 0, 0, 0xff800000, 0x7f800000                           /* -inf == +inf */
  FCMP_S     77, flt.s, 1, 0, 0xff800000, 0x7f800000                           /* -inf < +inf */
  FCMP_S     78, fle.s, 1, 0, 0xff800000, 0x7f800000                           /* -inf <= +inf */
  FCMP_S     79, feq.s, 1, 0, 0x7f800000, 0x7f800000                           /* +inf == +inf */
  FCMP_S     80, flt.s, 0, 0, 0x7f800000, 0x7f800000                           /* +inf < +inf */
  FCMP_S     81, fle.s, 1, 0, 0x7f800000, 0x7f800000                           /* +inf <= +inf */
  FCMP_S     82, feq.s, 0, 0, 0x00000001, 0x00000000                           /* min subnormal == +0 */
  FCMP_S     83, flt.s, 0, 0, 0x00000001, 0x00000000                           /* min subnormal < +0 */
  FCMP_S     84, fle.s, 0, 0, 0x00000001, 0x00000000                           /* min subnormal <= +0 */
  FCMP_S     85, feq.s, 0, 0, 0x80000001, 0x80000000                           /* -min subnormal == -0 */
  FCMP_S     86, flt.s, 1, 0, 0x80000001, 0x80000000                           /* -min subnormal < -0 */
  FCMP_S     87, fle.s, 1, 0, 0x80000001, 0x80000000                           /* -min subnormal <= -0 */
  FCMP_S     88, feq.s, 0, 0, 0x7f7fffff, 0x7f800000                           /* max == +inf */
  FCMP_S     89, flt.s, 1, 0, 0x7f7fffff, 0x7f800000                           /* max < +inf */
  FCMP_S     90, fle.s, 1, 0, 0x7f7fffff, 0x7f800000                           /* max <= +inf */
  FCMP_S     91, feq.s, 0, 0, 0xc0000000, 0xbf800000                           /* -2 == -1 */
  FCMP_S     92, flt.s, 1, 0, 0xc0000000, 0xbf800000                           /* -2 < -1 */
  FCMP_S     93, fle.s, 1, 0, 0xc0000000, 0xbf800000                           /* -2 <= -1 */
  FCMP_S     94, feq.s, 0, 0, 0x3f800001, 0x3f800000                           /* 0x1.000002p+0 == 1 */
  FCMP_S     95, flt.s, 0, 0, 0x3f800001, 0x3f800000                           /* 0x1.000002p+0 < 1 */
  FCMP_S     96, fle.s, 0, 0, 0x3f800001, 0x3f800000                           /* 0x1.000002p+0 <= 1 */
  FCMP_S     97, feq.s, 0, 0, 0x7fc00000, 0x3f800000                           /* qNaN == 1 */
  FCMP_S     98, flt.s, 0, NV, 0x7fc00000, 0x3f800000                          /* qNaN < 1 */
  FCMP_S     99, fle.s, 0, NV, 0x7fc00000, 0x3f800000                          /* qNaN <= 1 */
  FCMP_S    100, feq.s, 0, 0, 0x3f800000, 0x7fc12345                           /* 1 == qNaN(0x12345) */
  FCMP_S    101, flt.s, 0, NV, 0x3f800000, 0x7fc12345                          /* 1 < qNaN(0x12345) */
  FCMP_S    102, fle.s, 0, NV, 0x3f800000, 0x7fc12345                          /* 1 <= qNaN(0x12345) */
  FCMP_S    103, feq.s, 0, NV, 0x7f800001, 0x3f800000                          /* sNaN == 1 */
  FCMP_S    104, flt.s, 0, NV, 0x7f800001, 0x3f800000                          /* sNaN < 1 */
  FCMP_S    105, fle.s, 0, NV, 0x7f800001, 0x3f800000                          /* sNaN <= 1 */
  FCMP_S    106, feq.s, 0, NV, 0x3f800000, 0x7fa02345                          /* 1 == sNaN(0x202345) */
  FCMP_S    107, flt.s, 0, NV, 0x3f800000, 0x7fa02345                          /* 1 < sNaN(0x202345) */
  FCMP_S    108, fle.s, 0, NV, 0x3f800000, 0x7fa02345                          /* 1 <= sNaN(0x202345) */
  FCMP_S    109, feq.s, 0, 0, 0x7fc00000, 0x7fc00000                           /* qNaN == qNaN */
  FCMP_S    110, flt.s, 0, NV, 0x7fc00000, 0x7fc00000                          /* qNaN < qNaN */
  FCMP_S    111, fle.s, 0, NV, 0x7fc00000, 0x7fc00000                          /* qNaN <= qNaN */
  FCMP_S    112, feq.s, 0, 0, 0xffc00000, 0xff800000                           /* -qNaN == -inf */
  FCMP_S    113, flt.s, 0, NV, 0xffc00000, 0xff800000                          /* -qNaN < -inf */
  FCMP_S    114, fle.s, 0, NV, 0xffc00000, 0xff800000                          /* -qNaN <= -inf */

  /* fclass: each of the ten classes, and no flags */
  FCLASS_S  115, CLASS_NEG_INF, 0xff800000                                     /* -inf */
  FCLASS_S  116, CLASS_NEG_NORMAL, 0xbf800000                                  /* -1 */
  FCLASS_S  117, CLASS_NEG_NORMAL, 0x80800000                                  /* -min normal */
  FCLASS_S  118, CLASS_NEG_NORMAL, 0xff7fffff                                  /* -max */
  FCLASS_S  119, CLASS_NEG_SUBNORMAL, 0x807fffff                               /* -max subnormal */
  FCLASS_S  120, CLASS_NEG_SUBNORMAL, 0x80000001                               /* -min subnormal */
  FCLASS_S  121, CLASS_NEG_ZERO, 0x80000000                                    /* -0 */
  FCLASS_S  122, CLASS_POS_ZERO, 0x00000000                                    /* +0 */
  FCLASS_S  123, CLASS_POS_SUBNORMAL, 0x00000001                               /* min subnormal */
  FCLASS_S  124, CLASS_POS_SUBNORMAL, 0x007fffff                               /* max subnormal */
  FCLASS_S  125, CLASS_POS_NORMAL, 0x00800000                                  /* min normal */
  FCLASS_S  126, CLASS_POS_NORMAL, 0x3f800000                                  /* 1 */
  FCLASS_S  127, CLASS_POS_NORMAL, 0x7f7fffff                                  /* max */
  FCLASS_S  128, CLASS_POS_INF, 0x7f800000                                     /* +inf */
  FCLASS_S  129, CLASS_SNAN, 0x7f800001                                        /* sNaN */
  FCLASS_S  130, CLASS_SNAN, 0x7fa02345                                        /* sNaN(0x202345) */
  FCLASS_S  131, CLASS_SNAN, 0xff800001                                        /* -sNaN */
  FCLASS_S  132, CLASS_QNAN, 0x7fc00000                                        /* qNaN */
  FCLASS_S  133, CLASS_QNAN, 0x7fc12345                                        /* qNaN(0x12345) */
  FCLASS_S  134, CLASS_QNAN, 0xffc00000                                        /* -qNaN */
  FCLASS_S  135, CLASS_QNAN, 0xffffffff                                        /* -qNaN(0x3fffff) */

  /* rs1 = rs2: fmv / fneg / fabs (the pseudo-instructions) */
  TEST 136                                 /* fmv.s(-1.5) = -1.5 */
  FLOAD_S fa1, 0xbfc00000
  csrwi fflags, 0
  fmv.s fa0, fa1
  FCHECK_S fa0, 0xbfc00000, 0
  TEST 137                                 /* fmv.s(sNaN(0x202345)) = sNaN(0x202345) */
  FLOAD_S fa1, 0x7fa02345
  csrwi fflags, 0
  fmv.s fa0, fa1
  FCHECK_S fa0, 0x7fa02345, 0
  TEST 138                                 /* fneg.s(-1.5) = 1.5 */
  FLOAD_S fa1, 0xbfc00000
  csrwi fflags, 0
  fneg.s fa0, fa1
  FCHECK_S fa0, 0x3fc00000, 0
  TEST 139                                 /* fneg.s(sNaN(0x202345)) = -sNaN(0x202345) */
  FLOAD_S fa1, 0x7fa02345
  csrwi fflags, 0
  fneg.s fa0, fa1
  FCHECK_S fa0, 0xffa02345, 0
  TEST 140                                 /* fabs.s(-1.5) = 1.5 */
  FLOAD_S fa1, 0xbfc00000
  csrwi fflags, 0
  fabs.s fa0, fa1
  FCHECK_S fa0, 0x3fc00000, 0
  TEST 141                                 /* fabs.s(sNaN(0x202345)) = sNaN(0x202345) */
  FLOAD_S fa1, 0x7fa02345
  csrwi fflags, 0
  fabs.s fa0, fa1
  FCHECK_S fa0, 0x7fa02345, 0

  PASS
