/* rv64f-convert.S — conversions between single precision and integers:
 * fcvt.w.s fcvt.wu.s fcvt.l.s fcvt.lu.s and fcvt.s.w fcvt.s.wu fcvt.s.l fcvt.s.lu.
 * Every rounding mode, static and dynamic, on ties; results out of range after
 * rounding clamp with NV and no NX (NaN gives the largest integer whatever its sign,
 * +inf the largest, -inf the smallest; a negative value that rounds to -1 or below is
 * invalid for the unsigned forms, one that rounds to -0 is not); the W forms
 * sign-extend their 32-bit result (also fcvt.wu.s), and the conversions from W
 * integers read only the low 32 bits of rs1 (unprivileged spec 20191213, 11.7,
 * table 11.4). */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fcvt.w.s: signed 32-bit integer, sign-extended from bit 31 into a0 */
  FCVT_XS     1, fcvt.w.s, rne, 0x0000000000000001, 0, 0x3f800000              /* 1 */
  FCVT_XS     2, fcvt.w.s, rne, 0xffffffffffffffff, 0, 0xbf800000              /* -1 */
  FCVT_XS     3, fcvt.w.s, rne, 0x0000000000000000, 0, 0x00000000              /* +0 */
  FCVT_XS     4, fcvt.w.s, rne, 0x0000000000000000, 0, 0x80000000              /* -0: 0, no flags */
  FCVT_XS     5, fcvt.w.s, rne, 0x0000000000000002, NX, 0x40200000             /* 2.5: rne */
  FCVT_XS     6, fcvt.w.s, rtz, 0x0000000000000002, NX, 0x40200000             /* 2.5: rtz */
  FCVT_XS     7, fcvt.w.s, rdn, 0x0000000000000002, NX, 0x40200000             /* 2.5: rdn */
  FCVT_XS     8, fcvt.w.s, rup, 0x0000000000000003, NX, 0x40200000             /* 2.5: rup */
  FCVT_XS     9, fcvt.w.s, rmm, 0x0000000000000003, NX, 0x40200000             /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XS    10, fcvt.w.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000             /* -2.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XS    11, fcvt.w.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000             /* -2.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XS    12, fcvt.w.s, dyn, 0xfffffffffffffffd, NX, 0xc0200000             /* -2.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XS    13, fcvt.w.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000             /* -2.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XS    14, fcvt.w.s, dyn, 0xfffffffffffffffd, NX, 0xc0200000             /* -2.5: frm = RMM */
  FCVT_XS    15, fcvt.w.s, rne, 0x0000000000000000, NX, 0x3f000000             /* 0.5: a tie: to even 0 */
  FCVT_XS    16, fcvt.w.s, rmm, 0x0000000000000001, NX, 0x3f000000             /* 0.5 */
  FCVT_XS    17, fcvt.w.s, rne, 0xfffffffffffffffe, NX, 0xbfc00000             /* -1.5 */
  FCVT_XS    18, fcvt.w.s, rtz, 0x0000000000000000, NX, 0xbf400000             /* -0.75 */
  FCVT_XS    19, fcvt.w.s, rdn, 0xffffffffffffffff, NX, 0x80000001             /* -min subnormal */
  FCVT_XS    20, fcvt.w.s, rup, 0x0000000000000001, NX, 0x00000001             /* min subnormal */
  FCVT_XS    21, fcvt.w.s, rne, 0x0000000000000000, NX, 0x00000001             /* min subnormal */
  FCVT_XS    22, fcvt.w.s, rne, 0x000000007fffff80, 0, 0x4effffff              /* 2147483520: the largest single below 2^31: exact */
  FCVT_XS    23, fcvt.w.s, rne, 0x000000007fffffff, NV, 0x4f000000             /* 2147483648: out of range */
  FCVT_XS    24, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0x50000000             /* 8589934592 */
  FCVT_XS    25, fcvt.w.s, rne, 0xffffffff80000000, 0, 0xcf000000              /* -2^31: exact */
  FCVT_XS    26, fcvt.w.s, rup, 0xffffffff80000000, NV, 0xcf000001             /* -0x1.000002p+31: the next single below: out of range */
  FCVT_XS    27, fcvt.w.s, rne, 0x000000007fffffff, NV, 0x7f7fffff             /* max */
  FCVT_XS    28, fcvt.w.s, rne, 0xffffffff80000000, NV, 0xff7fffff             /* -max */
  FCVT_XS    29, fcvt.w.s, rne, 0x000000007fffffff, NV, 0x7f800000             /* +inf */
  FCVT_XS    30, fcvt.w.s, rne, 0xffffffff80000000, NV, 0xff800000             /* -inf */
  FCVT_XS    31, fcvt.w.s, rne, 0x000000007fffffff, NV, 0x7fc00000             /* qNaN: the largest integer */
  FCVT_XS    32, fcvt.w.s, rne, 0x000000007fffffff, NV, 0xffc00000             /* -qNaN: of either sign, the largest integer */
  FCVT_XS    33, fcvt.w.s, rne, 0x000000007fffffff, NV, 0x7fa02345             /* sNaN(0x202345) */

  /* fcvt.wu.s: unsigned 32-bit integer, sign-extended from bit 31 into a0 */
  FCVT_XS    34, fcvt.wu.s, rne, 0x0000000000000001, 0, 0x3f800000             /* 1 */
  FCVT_XS    35, fcvt.wu.s, rne, 0x0000000000000000, NV, 0xbf800000            /* -1: negative: invalid, clamped to 0 */
  FCVT_XS    36, fcvt.wu.s, rne, 0x0000000000000000, 0, 0x00000000             /* +0 */
  FCVT_XS    37, fcvt.wu.s, rne, 0x0000000000000000, 0, 0x80000000             /* -0: 0, no flags */
  FCVT_XS    38, fcvt.wu.s, rne, 0x0000000000000002, NX, 0x40200000            /* 2.5: rne */
  FCVT_XS    39, fcvt.wu.s, rtz, 0x0000000000000002, NX, 0x40200000            /* 2.5: rtz */
  FCVT_XS    40, fcvt.wu.s, rdn, 0x0000000000000002, NX, 0x40200000            /* 2.5: rdn */
  FCVT_XS    41, fcvt.wu.s, rup, 0x0000000000000003, NX, 0x40200000            /* 2.5: rup */
  FCVT_XS    42, fcvt.wu.s, rmm, 0x0000000000000003, NX, 0x40200000            /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XS    43, fcvt.wu.s, dyn, 0x0000000000000004, NX, 0x40600000            /* 3.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XS    44, fcvt.wu.s, dyn, 0x0000000000000003, NX, 0x40600000            /* 3.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XS    45, fcvt.wu.s, dyn, 0x0000000000000003, NX, 0x40600000            /* 3.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XS    46, fcvt.wu.s, dyn, 0x0000000000000004, NX, 0x40600000            /* 3.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XS    47, fcvt.wu.s, dyn, 0x0000000000000004, NX, 0x40600000            /* 3.5: frm = RMM */
  FCVT_XS    48, fcvt.wu.s, rne, 0x0000000000000000, NX, 0x3f000000            /* 0.5: a tie: to even 0 */
  FCVT_XS    49, fcvt.wu.s, rmm, 0x0000000000000001, NX, 0x3f000000            /* 0.5 */
  FCVT_XS    50, fcvt.wu.s, rtz, 0x0000000000000000, NX, 0xbf000000            /* -0.5: rounds to -0: in range, NX only */
  FCVT_XS    51, fcvt.wu.s, rne, 0x0000000000000000, NX, 0xbf000000            /* -0.5: a tie: to -0, NX only */
  FCVT_XS    52, fcvt.wu.s, rup, 0x0000000000000000, NX, 0xbf400000            /* -0.75: rounds to -0: NX only */
  FCVT_XS    53, fcvt.wu.s, rdn, 0x0000000000000000, NV, 0xbf000000            /* -0.5: rounds to -1: invalid */
  FCVT_XS    54, fcvt.wu.s, rmm, 0x0000000000000000, NV, 0xbf000000            /* -0.5: rounds to -1: invalid */
  FCVT_XS    55, fcvt.wu.s, rne, 0x0000000000000000, NV, 0xbf400000            /* -0.75: rounds to -1: invalid */
  FCVT_XS    56, fcvt.wu.s, rdn, 0x0000000000000000, NV, 0x80000001            /* -min subnormal: rounds to -1: invalid */
  FCVT_XS    57, fcvt.wu.s, rup, 0x0000000000000000, NX, 0x80000001            /* -min subnormal */
  FCVT_XS    58, fcvt.wu.s, rne, 0x0000000000000000, NX, 0x00000001            /* min subnormal */
  FCVT_XS    59, fcvt.wu.s, rne, 0xffffffffffffff00, 0, 0x4f7fffff             /* 4294967040: the largest single below 2^32: exact */
  FCVT_XS    60, fcvt.wu.s, rne, 0xffffffffffffffff, NV, 0x4f800000            /* 4294967296: out of range */
  FCVT_XS    61, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x50800000            /* 2^34 */
  FCVT_XS    62, fcvt.wu.s, rne, 0xffffffffb2d05e00, 0, 0x4f32d05e             /* 3000000000: above 2^31: bit 31 set, sign-extended */
  FCVT_XS    63, fcvt.wu.s, rne, 0xffffffffffffffff, NV, 0x7f7fffff            /* max */
  FCVT_XS    64, fcvt.wu.s, rne, 0x0000000000000000, NV, 0xff7fffff            /* -max */
  FCVT_XS    65, fcvt.wu.s, rne, 0xffffffffffffffff, NV, 0x7f800000            /* +inf */
  FCVT_XS    66, fcvt.wu.s, rne, 0x0000000000000000, NV, 0xff800000            /* -inf */
  FCVT_XS    67, fcvt.wu.s, rne, 0xffffffffffffffff, NV, 0x7fc00000            /* qNaN: the largest integer */
  FCVT_XS    68, fcvt.wu.s, rne, 0xffffffffffffffff, NV, 0xffc00000            /* -qNaN: of either sign, the largest integer */
  FCVT_XS    69, fcvt.wu.s, rne, 0xffffffffffffffff, NV, 0x7fa02345            /* sNaN(0x202345) */

  /* fcvt.l.s: signed 64-bit integer */
  FCVT_XS    70, fcvt.l.s, rne, 0x0000000000000001, 0, 0x3f800000              /* 1 */
  FCVT_XS    71, fcvt.l.s, rne, 0xffffffffffffffff, 0, 0xbf800000              /* -1 */
  FCVT_XS    72, fcvt.l.s, rne, 0x0000000000000000, 0, 0x00000000              /* +0 */
  FCVT_XS    73, fcvt.l.s, rne, 0x0000000000000000, 0, 0x80000000              /* -0: 0, no flags */
  FCVT_XS    74, fcvt.l.s, rne, 0x0000000000000002, NX, 0x40200000             /* 2.5: rne */
  FCVT_XS    75, fcvt.l.s, rtz, 0x0000000000000002, NX, 0x40200000             /* 2.5: rtz */
  FCVT_XS    76, fcvt.l.s, rdn, 0x0000000000000002, NX, 0x40200000             /* 2.5: rdn */
  FCVT_XS    77, fcvt.l.s, rup, 0x0000000000000003, NX, 0x40200000             /* 2.5: rup */
  FCVT_XS    78, fcvt.l.s, rmm, 0x0000000000000003, NX, 0x40200000             /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XS    79, fcvt.l.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000             /* -2.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XS    80, fcvt.l.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000             /* -2.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XS    81, fcvt.l.s, dyn, 0xfffffffffffffffd, NX, 0xc0200000             /* -2.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XS    82, fcvt.l.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000             /* -2.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XS    83, fcvt.l.s, dyn, 0xfffffffffffffffd, NX, 0xc0200000             /* -2.5: frm = RMM */
  FCVT_XS    84, fcvt.l.s, rne, 0x0000000000000000, NX, 0x3f000000             /* 0.5: a tie: to even 0 */
  FCVT_XS    85, fcvt.l.s, rmm, 0x0000000000000001, NX, 0x3f000000             /* 0.5 */
  FCVT_XS    86, fcvt.l.s, rne, 0xfffffffffffffffe, NX, 0xbfc00000             /* -1.5 */
  FCVT_XS    87, fcvt.l.s, rtz, 0x0000000000000000, NX, 0xbf400000             /* -0.75 */
  FCVT_XS    88, fcvt.l.s, rdn, 0xffffffffffffffff, NX, 0x80000001             /* -min subnormal */
  FCVT_XS    89, fcvt.l.s, rup, 0x0000000000000001, NX, 0x00000001             /* min subnormal */
  FCVT_XS    90, fcvt.l.s, rne, 0x0000000000000000, NX, 0x00000001             /* min subnormal */
  FCVT_XS    91, fcvt.l.s, rne, 0x7fffff8000000000, 0, 0x5effffff              /* 0x1.fffffep+62: the largest single below 2^63: exact */
  FCVT_XS    92, fcvt.l.s, rne, 0x7fffffffffffffff, NV, 0x5f000000             /* 2^63: out of range */
  FCVT_XS    93, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x60000000             /* 2^65 */
  FCVT_XS    94, fcvt.l.s, rne, 0x8000000000000000, 0, 0xdf000000              /* -2^63: exact */
  FCVT_XS    95, fcvt.l.s, rup, 0x8000000000000000, NV, 0xdf000001             /* -0x1.000002p+63: the next single below: out of range */
  FCVT_XS    96, fcvt.l.s, rne, 0x00000002540be400, 0, 0x501502f9              /* 0x1.2a05f2p+33: 10^10: beyond 32 bits */
  FCVT_XS    97, fcvt.l.s, rne, 0x7fffffffffffffff, NV, 0x7f7fffff             /* max */
  FCVT_XS    98, fcvt.l.s, rne, 0x8000000000000000, NV, 0xff7fffff             /* -max */
  FCVT_XS    99, fcvt.l.s, rne, 0x7fffffffffffffff, NV, 0x7f800000             /* +inf */
  FCVT_XS   100, fcvt.l.s, rne, 0x8000000000000000, NV, 0xff800000             /* -inf */
  FCVT_XS   101, fcvt.l.s, rne, 0x7fffffffffffffff, NV, 0x7fc00000             /* qNaN: the largest integer */
  FCVT_XS   102, fcvt.l.s, rne, 0x7fffffffffffffff, NV, 0xffc00000             /* -qNaN: of either sign, the largest integer */
  FCVT_XS   103, fcvt.l.s, rne, 0x7fffffffffffffff, NV, 0x7fa02345             /* sNaN(0x202345) */

  /* fcvt.lu.s: unsigned 64-bit integer */
  FCVT_XS   104, fcvt.lu.s, rne, 0x0000000000000001, 0, 0x3f800000             /* 1 */
  FCVT_XS   105, fcvt.lu.s, rne, 0x0000000000000000, NV, 0xbf800000            /* -1: negative: invalid, clamped to 0 */
  FCVT_XS   106, fcvt.lu.s, rne, 0x0000000000000000, 0, 0x00000000             /* +0 */
  FCVT_XS   107, fcvt.lu.s, rne, 0x0000000000000000, 0, 0x80000000             /* -0: 0, no flags */
  FCVT_XS   108, fcvt.lu.s, rne, 0x0000000000000002, NX, 0x40200000            /* 2.5: rne */
  FCVT_XS   109, fcvt.lu.s, rtz, 0x0000000000000002, NX, 0x40200000            /* 2.5: rtz */
  FCVT_XS   110, fcvt.lu.s, rdn, 0x0000000000000002, NX, 0x40200000            /* 2.5: rdn */
  FCVT_XS   111, fcvt.lu.s, rup, 0x0000000000000003, NX, 0x40200000            /* 2.5: rup */
  FCVT_XS   112, fcvt.lu.s, rmm, 0x0000000000000003, NX, 0x40200000            /* 2.5: rmm */
  fsrmi RM_RNE
  FCVT_XS   113, fcvt.lu.s, dyn, 0x0000000000000004, NX, 0x40600000            /* 3.5: frm = RNE */
  fsrmi RM_RTZ
  FCVT_XS   114, fcvt.lu.s, dyn, 0x0000000000000003, NX, 0x40600000            /* 3.5: frm = RTZ */
  fsrmi RM_RDN
  FCVT_XS   115, fcvt.lu.s, dyn, 0x0000000000000003, NX, 0x40600000            /* 3.5: frm = RDN */
  fsrmi RM_RUP
  FCVT_XS   116, fcvt.lu.s, dyn, 0x0000000000000004, NX, 0x40600000            /* 3.5: frm = RUP */
  fsrmi RM_RMM
  FCVT_XS   117, fcvt.lu.s, dyn, 0x0000000000000004, NX, 0x40600000            /* 3.5: frm = RMM */
  FCVT_XS   118, fcvt.lu.s, rne, 0x0000000000000000, NX, 0x3f000000            /* 0.5: a tie: to even 0 */
  FCVT_XS   119, fcvt.lu.s, rmm, 0x0000000000000001, NX, 0x3f000000            /* 0.5 */
  FCVT_XS   120, fcvt.lu.s, rtz, 0x0000000000000000, NX, 0xbf000000            /* -0.5: rounds to -0: in range, NX only */
  FCVT_XS   121, fcvt.lu.s, rne, 0x0000000000000000, NX, 0xbf000000            /* -0.5: a tie: to -0, NX only */
  FCVT_XS   122, fcvt.lu.s, rup, 0x0000000000000000, NX, 0xbf400000            /* -0.75: rounds to -0: NX only */
  FCVT_XS   123, fcvt.lu.s, rdn, 0x0000000000000000, NV, 0xbf000000            /* -0.5: rounds to -1: invalid */
  FCVT_XS   124, fcvt.lu.s, rmm, 0x0000000000000000, NV, 0xbf000000            /* -0.5: rounds to -1: invalid */
  FCVT_XS   125, fcvt.lu.s, rne, 0x0000000000000000, NV, 0xbf400000            /* -0.75: rounds to -1: invalid */
  FCVT_XS   126, fcvt.lu.s, rdn, 0x0000000000000000, NV, 0x80000001            /* -min subnormal: rounds to -1: invalid */
  FCVT_XS   127, fcvt.lu.s, rup, 0x0000000000000000, NX, 0x80000001            /* -min subnormal */
  FCVT_XS   128, fcvt.lu.s, rne, 0x0000000000000000, NX, 0x00000001            /* min subnormal */
  FCVT_XS   129, fcvt.lu.s, rne, 0xffffff0000000000, 0, 0x5f7fffff             /* 0x1.fffffep+63: the largest single below 2^64: exact */
  FCVT_XS   130, fcvt.lu.s, rne, 0xffffffffffffffff, NV, 0x5f800000            /* 2^64: out of range */
  FCVT_XS   131, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x60800000            /* 2^66 */
  FCVT_XS   132, fcvt.lu.s, rne, 0x8000000000000000, 0, 0x5f000000             /* 2^63: exact */
  FCVT_XS   133, fcvt.lu.s, rne, 0x00000002540be400, 0, 0x501502f9             /* 0x1.2a05f2p+33: 10^10: beyond 32 bits */
  FCVT_XS   134, fcvt.lu.s, rne, 0xffffffffffffffff, NV, 0x7f7fffff            /* max */
  FCVT_XS   135, fcvt.lu.s, rne, 0x0000000000000000, NV, 0xff7fffff            /* -max */
  FCVT_XS   136, fcvt.lu.s, rne, 0xffffffffffffffff, NV, 0x7f800000            /* +inf */
  FCVT_XS   137, fcvt.lu.s, rne, 0x0000000000000000, NV, 0xff800000            /* -inf */
  FCVT_XS   138, fcvt.lu.s, rne, 0xffffffffffffffff, NV, 0x7fc00000            /* qNaN: the largest integer */
  FCVT_XS   139, fcvt.lu.s, rne, 0xffffffffffffffff, NV, 0xffc00000            /* -qNaN: of either sign, the largest integer */
  FCVT_XS   140, fcvt.lu.s, rne, 0xffffffffffffffff, NV, 0x7fa02345            /* sNaN(0x202345) */

  /* fcvt.s.w: from a signed 32-bit integer (the low 32 bits of a1; the upper half is
   * ignored) */
  FCVT_SX   141, fcvt.s.w, rne, 0x00000000, 0, 0x0                             /* 0 -> +0 */
  FCVT_SX   142, fcvt.s.w, rne, 0x3f800000, 0, 0x1                             /* 1 -> 1 */
  FCVT_SX   143, fcvt.s.w, rne, 0xbf800000, 0, 0xffffffffffffffff              /* -1 -> -1 */
  FCVT_SX   144, fcvt.s.w, rne, 0x4b800000, NX, 0x1000001                      /* 2^24 + 1: a tie (rne) -> 16777216 */
  FCVT_SX   145, fcvt.s.w, rtz, 0x4b800000, NX, 0x1000001                      /* 2^24 + 1: a tie (rtz) -> 16777216 */
  FCVT_SX   146, fcvt.s.w, rdn, 0x4b800000, NX, 0x1000001                      /* 2^24 + 1: a tie (rdn) -> 16777216 */
  FCVT_SX   147, fcvt.s.w, rup, 0x4b800001, NX, 0x1000001                      /* 2^24 + 1: a tie (rup) -> 16777218 */
  FCVT_SX   148, fcvt.s.w, rmm, 0x4b800001, NX, 0x1000001                      /* 2^24 + 1: a tie (rmm) -> 16777218 */
  fsrmi RM_RNE
  FCVT_SX   149, fcvt.s.w, dyn, 0xcb800000, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RNE: -> -16777216 */
  fsrmi RM_RTZ
  FCVT_SX   150, fcvt.s.w, dyn, 0xcb800000, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RTZ: -> -16777216 */
  fsrmi RM_RDN
  FCVT_SX   151, fcvt.s.w, dyn, 0xcb800001, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RDN: -> -16777218 */
  fsrmi RM_RUP
  FCVT_SX   152, fcvt.s.w, dyn, 0xcb800000, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RUP: -> -16777216 */
  fsrmi RM_RMM
  FCVT_SX   153, fcvt.s.w, dyn, 0xcb800001, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RMM: -> -16777218 */
  FCVT_SX   154, fcvt.s.w, rne, 0x4f000000, NX, 0x7fffffff                     /* the largest int32 -> 2147483648 */
  FCVT_SX   155, fcvt.s.w, rtz, 0x4effffff, NX, 0x7fffffff                     /* the largest int32 -> 2147483520 */
  FCVT_SX   156, fcvt.s.w, rup, 0x4f000000, NX, 0x7fffffff                     /* the largest int32 -> 2147483648 */
  FCVT_SX   157, fcvt.s.w, rne, 0xcf000000, 0, 0xffffffff80000000              /* the smallest: exact -> -2^31 */
  FCVT_SX   158, fcvt.s.w, rne, 0x40400000, 0, 0x1234567800000003              /* upper half ignored -> 3 */
  FCVT_SX   159, fcvt.s.w, rne, 0xc0000000, 0, 0xfffffffe                      /* bit 31 is the sign -> -2 */
  FCVT_SX   160, fcvt.s.w, rne, 0x3f800000, 0, 0xffffffff00000001              /* upper half ignored -> 1 */

  /* fcvt.s.wu: from an unsigned 32-bit integer (the low 32 bits of a1; the upper half is
   * ignored) */
  FCVT_SX   161, fcvt.s.wu, rne, 0x00000000, 0, 0x0                            /* 0 -> +0 */
  FCVT_SX   162, fcvt.s.wu, rne, 0x3f800000, 0, 0x1                            /* 1 -> 1 */
  FCVT_SX   163, fcvt.s.wu, rne, 0x4f800000, NX, 0xffffffffffffffff            /* all ones -> 4294967296 */
  FCVT_SX   164, fcvt.s.wu, rne, 0x4b800000, NX, 0x1000001                     /* 2^24 + 1: a tie (rne) -> 16777216 */
  FCVT_SX   165, fcvt.s.wu, rtz, 0x4b800000, NX, 0x1000001                     /* 2^24 + 1: a tie (rtz) -> 16777216 */
  FCVT_SX   166, fcvt.s.wu, rdn, 0x4b800000, NX, 0x1000001                     /* 2^24 + 1: a tie (rdn) -> 16777216 */
  FCVT_SX   167, fcvt.s.wu, rup, 0x4b800001, NX, 0x1000001                     /* 2^24 + 1: a tie (rup) -> 16777218 */
  FCVT_SX   168, fcvt.s.wu, rmm, 0x4b800001, NX, 0x1000001                     /* 2^24 + 1: a tie (rmm) -> 16777218 */
  fsrmi RM_RNE
  FCVT_SX   169, fcvt.s.wu, dyn, 0x4b800002, NX, 0x1000003                     /* 2^24 + 3, frm = RNE: -> 16777220 */
  fsrmi RM_RTZ
  FCVT_SX   170, fcvt.s.wu, dyn, 0x4b800001, NX, 0x1000003                     /* 2^24 + 3, frm = RTZ: -> 16777218 */
  fsrmi RM_RDN
  FCVT_SX   171, fcvt.s.wu, dyn, 0x4b800001, NX, 0x1000003                     /* 2^24 + 3, frm = RDN: -> 16777218 */
  fsrmi RM_RUP
  FCVT_SX   172, fcvt.s.wu, dyn, 0x4b800002, NX, 0x1000003                     /* 2^24 + 3, frm = RUP: -> 16777220 */
  fsrmi RM_RMM
  FCVT_SX   173, fcvt.s.wu, dyn, 0x4b800002, NX, 0x1000003                     /* 2^24 + 3, frm = RMM: -> 16777220 */
  FCVT_SX   174, fcvt.s.wu, rne, 0x4f800000, NX, 0xffffffff                    /* the largest uint32 -> 4294967296 */
  FCVT_SX   175, fcvt.s.wu, rtz, 0x4f7fffff, NX, 0xffffffff                    /* the largest uint32 -> 4294967040 */
  FCVT_SX   176, fcvt.s.wu, rup, 0x4f800000, NX, 0xffffffff                    /* the largest uint32 -> 4294967296 */
  FCVT_SX   177, fcvt.s.wu, rne, 0x4f000000, 0, 0x80000000                     /* 2^31 -> 2147483648 */
  FCVT_SX   178, fcvt.s.wu, rne, 0x40400000, 0, 0x1234567800000003             /* upper half ignored -> 3 */
  FCVT_SX   179, fcvt.s.wu, rne, 0x4f800000, NX, 0xfffffffe                    /* not sign-extended -> 4294967296 */
  FCVT_SX   180, fcvt.s.wu, rne, 0x3f800000, 0, 0xffffffff00000001             /* upper half ignored -> 1 */

  /* fcvt.s.l: from a signed 64-bit integer */
  FCVT_SX   181, fcvt.s.l, rne, 0x00000000, 0, 0x0                             /* 0 -> +0 */
  FCVT_SX   182, fcvt.s.l, rne, 0x3f800000, 0, 0x1                             /* 1 -> 1 */
  FCVT_SX   183, fcvt.s.l, rne, 0xbf800000, 0, 0xffffffffffffffff              /* -1 -> -1 */
  FCVT_SX   184, fcvt.s.l, rne, 0x4b800000, NX, 0x1000001                      /* 2^24 + 1: a tie (rne) -> 16777216 */
  FCVT_SX   185, fcvt.s.l, rtz, 0x4b800000, NX, 0x1000001                      /* 2^24 + 1: a tie (rtz) -> 16777216 */
  FCVT_SX   186, fcvt.s.l, rdn, 0x4b800000, NX, 0x1000001                      /* 2^24 + 1: a tie (rdn) -> 16777216 */
  FCVT_SX   187, fcvt.s.l, rup, 0x4b800001, NX, 0x1000001                      /* 2^24 + 1: a tie (rup) -> 16777218 */
  FCVT_SX   188, fcvt.s.l, rmm, 0x4b800001, NX, 0x1000001                      /* 2^24 + 1: a tie (rmm) -> 16777218 */
  fsrmi RM_RNE
  FCVT_SX   189, fcvt.s.l, dyn, 0xcb800000, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RNE: -> -16777216 */
  fsrmi RM_RTZ
  FCVT_SX   190, fcvt.s.l, dyn, 0xcb800000, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RTZ: -> -16777216 */
  fsrmi RM_RDN
  FCVT_SX   191, fcvt.s.l, dyn, 0xcb800001, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RDN: -> -16777218 */
  fsrmi RM_RUP
  FCVT_SX   192, fcvt.s.l, dyn, 0xcb800000, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RUP: -> -16777216 */
  fsrmi RM_RMM
  FCVT_SX   193, fcvt.s.l, dyn, 0xcb800001, NX, 0xfffffffffeffffff             /* -(2^24 + 1), frm = RMM: -> -16777218 */
  FCVT_SX   194, fcvt.s.l, rne, 0x5f000000, NX, 0x7fffffffffffffff             /* the largest int64 -> 2^63 */
  FCVT_SX   195, fcvt.s.l, rtz, 0x5effffff, NX, 0x7fffffffffffffff             /* the largest int64 -> 0x1.fffffep+62 */
  FCVT_SX   196, fcvt.s.l, rup, 0x5f000000, NX, 0x7fffffffffffffff             /* the largest int64 -> 2^63 */
  FCVT_SX   197, fcvt.s.l, rne, 0xdf000000, 0, 0x8000000000000000              /* the smallest: exact -> -2^63 */
  FCVT_SX   198, fcvt.s.l, rne, 0x4f800000, NX, 0x100000001                    /* 2^32 + 1: all 64 bits count -> 4294967296 */
  FCVT_SX   199, fcvt.s.l, rtz, 0x4f7fffff, NX, 0xffffffff                     /* 4294967295 -> 4294967040 */

  /* fcvt.s.lu: from an unsigned 64-bit integer */
  FCVT_SX   200, fcvt.s.lu, rne, 0x00000000, 0, 0x0                            /* 0 -> +0 */
  FCVT_SX   201, fcvt.s.lu, rne, 0x3f800000, 0, 0x1                            /* 1 -> 1 */
  FCVT_SX   202, fcvt.s.lu, rne, 0x5f800000, NX, 0xffffffffffffffff            /* all ones -> 2^64 */
  FCVT_SX   203, fcvt.s.lu, rne, 0x4b800000, NX, 0x1000001                     /* 2^24 + 1: a tie (rne) -> 16777216 */
  FCVT_SX   204, fcvt.s.lu, rtz, 0x4b800000, NX, 0x1000001                     /* 2^24 + 1: a tie (rtz) -> 16777216 */
  FCVT_SX   205, fcvt.s.lu, rdn, 0x4b800000, NX, 0x1000001                     /* 2^24 + 1: a tie (rdn) -> 16777216 */
  FCVT_SX   206, fcvt.s.lu, rup, 0x4b800001, NX, 0x1000001                     /* 2^24 + 1: a tie (rup) -> 16777218 */
  FCVT_SX   207, fcvt.s.lu, rmm, 0x4b800001, NX, 0x1000001                     /* 2^24 + 1: a tie (rmm) -> 16777218 */
  fsrmi RM_RNE
  FCVT_SX   208, fcvt.s.lu, dyn, 0x4b800002, NX, 0x1000003                     /* 2^24 + 3, frm = RNE: -> 16777220 */
  fsrmi RM_RTZ
  FCVT_SX   209, fcvt.s.lu, dyn, 0x4b800001, NX, 0x1000003                     /* 2^24 + 3, frm = RTZ: -> 16777218 */
  fsrmi RM_RDN
  FCVT_SX   210, fcvt.s.lu, dyn, 0x4b800001, NX, 0x1000003                     /* 2^24 + 3, frm = RDN: -> 16777218 */
  fsrmi RM_RUP
  FCVT_SX   211, fcvt.s.lu, dyn, 0x4b800002, NX, 0x1000003                     /* 2^24 + 3, frm = RUP: -> 16777220 */
  fsrmi RM_RMM
  FCVT_SX   212, fcvt.s.lu, dyn, 0x4b800002, NX, 0x1000003                     /* 2^24 + 3, frm = RMM: -> 16777220 */
  FCVT_SX   213, fcvt.s.lu, rne, 0x5f800000, NX, 0xffffffffffffffff            /* the largest uint64 -> 2^64 */
  FCVT_SX   214, fcvt.s.lu, rtz, 0x5f7fffff, NX, 0xffffffffffffffff            /* the largest uint64 -> 0x1.fffffep+63 */
  FCVT_SX   215, fcvt.s.lu, rup, 0x5f800000, NX, 0xffffffffffffffff            /* the largest uint64 -> 2^64 */
  FCVT_SX   216, fcvt.s.lu, rne, 0x5f000000, 0, 0x8000000000000000             /* 2^63 -> 2^63 */
  FCVT_SX   217, fcvt.s.lu, rne, 0x4f800000, NX, 0x100000001                   /* 2^32 + 1: all 64 bits count -> 4294967296 */
  FCVT_SX   218, fcvt.s.lu, rtz, 0x5f000000, NX, 0x8000000000000001            /* -9223372036854775807 -> 2^63 */

  PASS
