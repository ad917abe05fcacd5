/* rv64d-convert.S — conversions from double precision to integers: fcvt.w.d
 * fcvt.wu.d fcvt.l.d fcvt.lu.d. Every rounding mode, static and dynamic; results out
 * of range after rounding clamp with NV and no NX, including values just past the
 * 32-bit limits that are in range in one mode and not in another (2^31 - 0.5, -2^31 -
 * 0.5, 2^32 - 0.5); NaN gives the largest integer whatever its sign, +inf the largest,
 * -inf the smallest; a negative value that rounds to -1 or below is invalid for the
 * unsigned forms, one that rounds to -0 is not; the W forms sign-extend their 32-bit
 * result (also fcvt.wu.d). Unprivileged spec 20191213, 11.7 (table 11.4) and 12.5. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fcvt.w.d: signed 32-bit integer, sign-extended from bit 31 into a0 */
  FCVT_XD     1, fcvt.w.d, rne, 0x0000000000000001, 0, 0x3ff0000000000000      /* 1 */
  FCVT_XD     2, fcvt.w.d, rne, 0xffffffffffffffff, 0, 0xbff0000000000000      /* -1 */
  FCVT_XD     3, fcvt.w.d, rne, 0x0000000000000000, 0, 0x0000000000000000      /* +0 */
  FCVT_XD     4, fcvt.w.d, rne, 0x0000000000000000, 0, 0x8000000000000000      /* -0: 0, no flags */
  FCVT_XD     5, fcvt.w.d, rne, 0x0000000000000002, NX, 0x4004000000000000     /* 2.5: rne */
  FCVT_XD     6, fcvt.w.d, rtz, 0x0000000000000002, NX, 0x4004000000000000     /* 2.5: rtz */
  FCVT_XD     7, fcvt.w.d, rdn, 0x0000000000000002, NX, 0x4004000000000000     /* 2.5: rdn */
  FCVT_XD     8, fcvt.w.d, rup, 0x0000000000000003, NX, 0x4004000000000000     /* 2.5: rup */
  FCVT_XD     9, fcvt.w.d, rmm, 0x0000000000000003, NX, 0x4004000000000000     /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XD    10, fcvt.w.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000     /* -2.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XD    11, fcvt.w.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000     /* -2.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XD    12, fcvt.w.d, dyn, 0xfffffffffffffffd, NX, 0xc004000000000000     /* -2.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XD    13, fcvt.w.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000     /* -2.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XD    14, fcvt.w.d, dyn, 0xfffffffffffffffd, NX, 0xc004000000000000     /* -2.5: frm = RMM */
  FCVT_XD    15, fcvt.w.d, rne, 0x0000000000000000, NX, 0x3fe0000000000000     /* 0.5: a tie: to even 0 */
  FCVT_XD    16, fcvt.w.d, rmm, 0x0000000000000001, NX, 0x3fe0000000000000     /* 0.5 */
  FCVT_XD    17, fcvt.w.d, rne, 0xfffffffffffffffe, NX, 0xbff8000000000000     /* -1.5 */
  FCVT_XD    18, fcvt.w.d, rtz, 0x0000000000000000, NX, 0xbfe8000000000000     /* -0.75 */
  FCVT_XD    19, fcvt.w.d, rdn, 0xffffffffffffffff, NX, 0x8000000000000001     /* -min subnormal */
  FCVT_XD    20, fcvt.w.d, rup, 0x0000000000000001, NX, 0x0000000000000001     /* min subnormal */
  FCVT_XD    21, fcvt.w.d, rne, 0x0000000000000000, NX, 0x0000000000000001     /* min subnormal */
  FCVT_XD    22, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x41e0000000000000     /* 2147483648: out of range */
  FCVT_XD    23, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0x4200000000000000     /* 8589934592 */
  FCVT_XD    24, fcvt.w.d, rne, 0xffffffff80000000, 0, 0xc1e0000000000000      /* -2^31: exact */
  FCVT_XD    25, fcvt.w.d, rne, 0x000000007fffffff, 0, 0x41dfffffffc00000      /* 2147483647: the largest in range */
  FCVT_XD    26, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x41dfffffffe00000     /* 2147483647.5: max + 0.5 (rne): in range only when rounded down */
  FCVT_XD    27, fcvt.w.d, rtz, 0x000000007fffffff, NX, 0x41dfffffffe00000     /* 2147483647.5: max + 0.5 (rtz): in range only when rounded down */
  FCVT_XD    28, fcvt.w.d, rdn, 0x000000007fffffff, NX, 0x41dfffffffe00000     /* 2147483647.5: max + 0.5 (rdn): in range only when rounded down */
  FCVT_XD    29, fcvt.w.d, rup, 0x000000007fffffff, NV, 0x41dfffffffe00000     /* 2147483647.5: max + 0.5 (rup): in range only when rounded down */
  FCVT_XD    30, fcvt.w.d, rmm, 0x000000007fffffff, NV, 0x41dfffffffe00000     /* 2147483647.5: max + 0.5 (rmm): in range only when rounded down */
  fsrmi RM_RNE
  FCVT_XD    31, fcvt.w.d, dyn, 0xffffffff80000000, NX, 0xc1e0000000100000     /* -0x1.00000001p+31: min - 0.5, frm = RNE: in range only when rounded up */
  fsrmi RM_RTZ
  FCVT_XD    32, fcvt.w.d, dyn, 0xffffffff80000000, NX, 0xc1e0000000100000     /* -0x1.00000001p+31: min - 0.5, frm = RTZ: in range only when rounded up */
  fsrmi RM_RDN
  FCVT_XD    33, fcvt.w.d, dyn, 0xffffffff80000000, NV, 0xc1e0000000100000     /* -0x1.00000001p+31: min - 0.5, frm = RDN: in range only when rounded up */
  fsrmi RM_RUP
  FCVT_XD    34, fcvt.w.d, dyn, 0xffffffff80000000, NX, 0xc1e0000000100000     /* -0x1.00000001p+31: min - 0.5, frm = RUP: in range only when rounded up */
  fsrmi RM_RMM
  FCVT_XD    35, fcvt.w.d, dyn, 0xffffffff80000000, NV, 0xc1e0000000100000     /* -0x1.00000001p+31: min - 0.5, frm = RMM: in range only when rounded up */
  FCVT_XD    36, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x7fefffffffffffff     /* max */
  FCVT_XD    37, fcvt.w.d, rne, 0xffffffff80000000, NV, 0xffefffffffffffff     /* -max */
  FCVT_XD    38, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x7ff0000000000000     /* +inf */
  FCVT_XD    39, fcvt.w.d, rne, 0xffffffff80000000, NV, 0xfff0000000000000     /* -inf */
  FCVT_XD    40, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x7ff8000000000000     /* qNaN: the largest integer */
  FCVT_XD    41, fcvt.w.d, rne, 0x000000007fffffff, NV, 0xfff8000000000000     /* -qNaN: of either sign, the largest integer */
  FCVT_XD    42, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x7ff4000000002345     /* sNaN(0x4000000002345) */

  /* fcvt.wu.d: unsigned 32-bit integer, sign-extended from bit 31 into a0 */
  FCVT_XD    43, fcvt.wu.d, rne, 0x0000000000000001, 0, 0x3ff0000000000000     /* 1 */
  FCVT_XD    44, fcvt.wu.d, rne, 0x0000000000000000, NV, 0xbff0000000000000    /* -1: negative: invalid, clamped to 0 */
  FCVT_XD    45, fcvt.wu.d, rne, 0x0000000000000000, 0, 0x0000000000000000     /* +0 */
  FCVT_XD    46, fcvt.wu.d, rne, 0x0000000000000000, 0, 0x8000000000000000     /* -0: 0, no flags */
  FCVT_XD    47, fcvt.wu.d, rne, 0x0000000000000002, NX, 0x4004000000000000    /* 2.5: rne */
  FCVT_XD    48, fcvt.wu.d, rtz, 0x0000000000000002, NX, 0x4004000000000000    /* 2.5: rtz */
  FCVT_XD    49, fcvt.wu.d, rdn, 0x0000000000000002, NX, 0x4004000000000000    /* 2.5: rdn */
  FCVT_XD    50, fcvt.wu.d, rup, 0x0000000000000003, NX, 0x4004000000000000    /* 2.5: rup */
  FCVT_XD    51, fcvt.wu.d, rmm, 0x0000000000000003, NX, 0x4004000000000000    /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XD    52, fcvt.wu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000    /* 3.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XD    53, fcvt.wu.d, dyn, 0x0000000000000003, NX, 0x400c000000000000    /* 3.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XD    54, fcvt.wu.d, dyn, 0x0000000000000003, NX, 0x400c000000000000    /* 3.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XD    55, fcvt.wu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000    /* 3.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XD    56, fcvt.wu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000    /* 3.5: frm = RMM */
  FCVT_XD    57, fcvt.wu.d, rne, 0x0000000000000000, NX, 0x3fe0000000000000    /* 0.5: a tie: to even 0 */
  FCVT_XD    58, fcvt.wu.d, rmm, 0x0000000000000001, NX, 0x3fe0000000000000    /* 0.5 */
  FCVT_XD    59, fcvt.wu.d, rtz, 0x0000000000000000, NX, 0xbfe0000000000000    /* -0.5: rounds to -0: in range, NX only */
  FCVT_XD    60, fcvt.wu.d, rne, 0x0000000000000000, NX, 0xbfe0000000000000    /* -0.5: a tie: to -0, NX only */
  FCVT_XD    61, fcvt.wu.d, rup, 0x0000000000000000, NX, 0xbfe8000000000000    /* -0.75: rounds to -0: NX only */
  FCVT_XD    62, fcvt.wu.d, rdn, 0x0000000000000000, NV, 0xbfe0000000000000    /* -0.5: rounds to -1: invalid */
  FCVT_XD    63, fcvt.wu.d, rmm, 0x0000000000000000, NV, 0xbfe0000000000000    /* -0.5: rounds to -1: invalid */
  FCVT_XD    64, fcvt.wu.d, rne, 0x0000000000000000, NV, 0xbfe8000000000000    /* -0.75: rounds to -1: invalid */
  FCVT_XD    65, fcvt.wu.d, rdn, 0x0000000000000000, NV, 0x8000000000000001    /* -min subnormal: rounds to -1: invalid */
  FCVT_XD    66, fcvt.wu.d, rup, 0x0000000000000000, NX, 0x8000000000000001    /* -min subnormal */
  FCVT_XD    67, fcvt.wu.d, rne, 0x0000000000000000, NX, 0x0000000000000001    /* min subnormal */
  FCVT_XD    68, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x41f0000000000000    /* 4294967296: out of range */
  FCVT_XD    69, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x4210000000000000    /* 2^34 */
  FCVT_XD    70, fcvt.wu.d, rne, 0xffffffffb2d05e00, 0, 0x41e65a0bc0000000     /* 3000000000: above 2^31: bit 31 set, sign-extended */
  FCVT_XD    71, fcvt.wu.d, rne, 0xffffffffffffffff, 0, 0x41efffffffe00000     /* 4294967295: the largest in range */
  FCVT_XD    72, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x41effffffff00000    /* 4294967295.5: max + 0.5 (rne): in range only when rounded down */
  FCVT_XD    73, fcvt.wu.d, rtz, 0xffffffffffffffff, NX, 0x41effffffff00000    /* 4294967295.5: max + 0.5 (rtz): in range only when rounded down */
  FCVT_XD    74, fcvt.wu.d, rdn, 0xffffffffffffffff, NX, 0x41effffffff00000    /* 4294967295.5: max + 0.5 (rdn): in range only when rounded down */
  FCVT_XD    75, fcvt.wu.d, rup, 0xffffffffffffffff, NV, 0x41effffffff00000    /* 4294967295.5: max + 0.5 (rup): in range only when rounded down */
  FCVT_XD    76, fcvt.wu.d, rmm, 0xffffffffffffffff, NV, 0x41effffffff00000    /* 4294967295.5: max + 0.5 (rmm): in range only when rounded down */
  FCVT_XD    77, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x7fefffffffffffff    /* max */
  FCVT_XD    78, fcvt.wu.d, rne, 0x0000000000000000, NV, 0xffefffffffffffff    /* -max */
  FCVT_XD    79, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x7ff0000000000000    /* +inf */
  FCVT_XD    80, fcvt.wu.d, rne, 0x0000000000000000, NV, 0xfff0000000000000    /* -inf */
  FCVT_XD    81, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x7ff8000000000000    /* qNaN: the largest integer */
  FCVT_XD    82, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0xfff8000000000000    /* -qNaN: of either sign, the largest integer */
  FCVT_XD    83, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x7ff4000000002345    /* sNaN(0x4000000002345) */

  /* fcvt.l.d: signed 64-bit integer */
  FCVT_XD    84, fcvt.l.d, rne, 0x0000000000000001, 0, 0x3ff0000000000000      /* 1 */
  FCVT_XD    85, fcvt.l.d, rne, 0xffffffffffffffff, 0, 0xbff0000000000000      /* -1 */
  FCVT_XD    86, fcvt.l.d, rne, 0x0000000000000000, 0, 0x0000000000000000      /* +0 */
  FCVT_XD    87, fcvt.l.d, rne, 0x0000000000000000, 0, 0x8000000000000000      /* -0: 0, no flags */
  FCVT_XD    88, fcvt.l.d, rne, 0x0000000000000002, NX, 0x4004000000000000     /* 2.5: rne */
  FCVT_XD    89, fcvt.l.d, rtz, 0x0000000000000002, NX, 0x4004000000000000     /* 2.5: rtz */
  FCVT_XD    90, fcvt.l.d, rdn, 0x0000000000000002, NX, 0x4004000000000000     /* 2.5: rdn */
  FCVT_XD    91, fcvt.l.d, rup, 0x0000000000000003, NX, 0x4004000000000000     /* 2.5: rup */
  FCVT_XD    92, fcvt.l.d, rmm, 0x0000000000000003, NX, 0x4004000000000000     /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XD    93, fcvt.l.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000     /* -2.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XD    94, fcvt.l.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000     /* -2.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XD    95, fcvt.l.d, dyn, 0xfffffffffffffffd, NX, 0xc004000000000000     /* -2.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XD    96, fcvt.l.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000     /* -2.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XD    97, fcvt.l.d, dyn, 0xfffffffffffffffd, NX, 0xc004000000000000     /* -2.5: frm = RMM */
  FCVT_XD    98, fcvt.l.d, rne, 0x0000000000000000, NX, 0x3fe0000000000000     /* 0.5: a tie: to even 0 */
  FCVT_XD    99, fcvt.l.d, rmm, 0x0000000000000001, NX, 0x3fe0000000000000     /* 0.5 */
  FCVT_XD   100, fcvt.l.d, rne, 0xfffffffffffffffe, NX, 0xbff8000000000000     /* -1.5 */
  FCVT_XD   101, fcvt.l.d, rtz, 0x0000000000000000, NX, 0xbfe8000000000000     /* -0.75 */
  FCVT_XD   102, fcvt.l.d, rdn, 0xffffffffffffffff, NX, 0x8000000000000001     /* -min subnormal */
  FCVT_XD   103, fcvt.l.d, rup, 0x0000000000000001, NX, 0x0000000000000001     /* min subnormal */
  FCVT_XD   104, fcvt.l.d, rne, 0x0000000000000000, NX, 0x0000000000000001     /* min subnormal */
  FCVT_XD   105, fcvt.l.d, rne, 0x7ffffffffffffc00, 0, 0x43dfffffffffffff      /* 0x1.fffffffffffffp+62: the largest double below 2^63: exact */
  FCVT_XD   106, fcvt.l.d, rne, 0x7fffffffffffffff, NV, 0x43e0000000000000     /* 2^63: out of range */
  FCVT_XD   107, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x4400000000000000     /* 2^65 */
  FCVT_XD   108, fcvt.l.d, rne, 0x8000000000000000, 0, 0xc3e0000000000000      /* -2^63: exact */
  FCVT_XD   109, fcvt.l.d, rup, 0x8000000000000000, NV, 0xc3e0000000000001     /* -0x1.0000000000001p+63: the next double below: out of range */
  FCVT_XD   110, fcvt.l.d, rne, 0x0020000000000002, 0, 0x4340000000000001      /* 0x1.0000000000001p+53: 2^53 + 2: the upper half of a0 matters */
  FCVT_XD   111, fcvt.l.d, rne, 0x7fffffffffffffff, NV, 0x7fefffffffffffff     /* max */
  FCVT_XD   112, fcvt.l.d, rne, 0x8000000000000000, NV, 0xffefffffffffffff     /* -max */
  FCVT_XD   113, fcvt.l.d, rne, 0x7fffffffffffffff, NV, 0x7ff0000000000000     /* +inf */
  FCVT_XD   114, fcvt.l.d, rne, 0x8000000000000000, NV, 0xfff0000000000000     /* -inf */
  FCVT_XD   115, fcvt.l.d, rne, 0x7fffffffffffffff, NV, 0x7ff8000000000000     /* qNaN: the largest integer */
  FCVT_XD   116, fcvt.l.d, rne, 0x7fffffffffffffff, NV, 0xfff8000000000000     /* -qNaN: of either sign, the largest integer */
  FCVT_XD   117, fcvt.l.d, rne, 0x7fffffffffffffff, NV, 0x7ff4000000002345     /* sNaN(0x4000000002345) */

  /* fcvt.lu.d: unsigned 64-bit integer */
  FCVT_XD   118, fcvt.lu.d, rne, 0x0000000000000001, 0, 0x3ff0000000000000     /* 1 */
  FCVT_XD   119, fcvt.lu.d, rne, 0x0000000000000000, NV, 0xbff0000000000000    /* -1: negative: invalid, clamped to 0 */
  FCVT_XD   120, fcvt.lu.d, rne, 0x0000000000000000, 0, 0x0000000000000000     /* +0 */
  FCVT_XD   121, fcvt.lu.d, rne, 0x0000000000000000, 0, 0x8000000000000000     /* -0: 0, no flags */
  FCVT_XD   122, fcvt.lu.d, rne, 0x0000000000000002, NX, 0x4004000000000000    /* 2.5: rne */
  FCVT_XD   123, fcvt.lu.d, rtz, 0x0000000000000002, NX, 0x4004000000000000    /* 2.5: rtz */
  FCVT_XD   124, fcvt.lu.d, rdn, 0x0000000000000002, NX, 0x4004000000000000    /* 2.5: rdn */
  FCVT_XD   125, fcvt.lu.d, rup, 0x0000000000000003, NX, 0x4004000000000000    /* 2.5: rup */
  FCVT_XD   126, fcvt.lu.d, rmm, 0x0000000000000003, NX, 0x4004000000000000    /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XD   127, fcvt.lu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000    /* 3.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XD   128, fcvt.lu.d, dyn, 0x0000000000000003, NX, 0x400c000000000000    /* 3.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XD   129, fcvt.lu.d, dyn, 0x0000000000000003, NX, 0x400c000000000000    /* 3.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XD   130, fcvt.lu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000    /* 3.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XD   131, fcvt.lu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000    /* 3.5: frm = RMM */
  FCVT_XD   132, fcvt.lu.d, rne, 0x0000000000000000, NX, 0x3fe0000000000000    /* 0.5: a tie: to even 0 */
  FCVT_XD   133, fcvt.lu.d, rmm, 0x0000000000000001, NX, 0x3fe0000000000000    /* 0.5 */
  FCVT_XD   134, fcvt.lu.d, rtz, 0x0000000000000000, NX, 0xbfe0000000000000    /* -0.5: rounds to -0: in range, NX only */
  FCVT_XD   135, fcvt.lu.d, rne, 0x0000000000000000, NX, 0xbfe0000000000000    /* -0.5: a tie: to -0, NX only */
  FCVT_XD   136, fcvt.lu.d, rup, 0x0000000000000000, NX, 0xbfe8000000000000    /* -0.75: rounds to -0: NX only */
  FCVT_XD   137, fcvt.lu.d, rdn, 0x0000000000000000, NV, 0xbfe0000000000000    /* -0.5: rounds to -1: invalid */
  FCVT_XD   138, fcvt.lu.d, rmm, 0x0000000000000000, NV, 0xbfe0000000000000    /* -0.5: rounds to -1: invalid */
  FCVT_XD   139, fcvt.lu.d, rne, 0x0000000000000000, NV, 0xbfe8000000000000    /* -0.75: rounds to -1: invalid */
  FCVT_XD   140, fcvt.lu.d, rdn, 0x0000000000000000, NV, 0x8000000000000001    /* -min subnormal: rounds to -1: invalid */
  FCVT_XD   141, fcvt.lu.d, rup, 0x0000000000000000, NX, 0x8000000000000001    /* -min subnormal */
  FCVT_XD   142, fcvt.lu.d, rne, 0x0000000000000000, NX, 0x0000000000000001    /* min subnormal */
  FCVT_XD   143, fcvt.lu.d, rne, 0xfffffffffffff800, 0, 0x43efffffffffffff     /* 0x1.fffffffffffffp+63: the largest double below 2^64: exact */
  FCVT_XD   144, fcvt.lu.d, rne, 0xffffffffffffffff, NV, 0x43f0000000000000    /* 2^64: out of range */
  FCVT_XD   145, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x4410000000000000    /* 2^66 */
  FCVT_XD   146, fcvt.lu.d, rne, 0x8000000000000000, 0, 0x43e0000000000000     /* 2^63: exact */
  FCVT_XD   147, fcvt.lu.d, rne, 0xffffffffffffffff, NV, 0x7fefffffffffffff    /* max */
  FCVT_XD   148, fcvt.lu.d, rne, 0x0000000000000000, NV, 0xffefffffffffffff    /* -max */
  FCVT_XD   149, fcvt.lu.d, rne, 0xffffffffffffffff, NV, 0x7ff0000000000000    /* +inf */
  FCVT_XD   150, fcvt.lu.d, rne, 0x0000000000000000, NV, 0xfff0000000000000    /* -inf */
  FCVT_XD   151, fcvt.lu.d, rne, 0xffffffffffffffff, NV, 0x7ff8000000000000    /* qNaN: the largest integer */
  FCVT_XD   152, fcvt.lu.d, rne, 0xffffffffffffffff, NV, 0xfff8000000000000    /* -qNaN: of either sign, the largest integer */
  FCVT_XD   153, fcvt.lu.d, rne, 0xffffffffffffffff, NV, 0x7ff4000000002345    /* sNaN(0x4000000002345) */

  PASS
