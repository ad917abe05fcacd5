/* rv64d-convert-int.S — conversions from integers to double precision:
 * fcvt.d.w fcvt.d.wu (always exact; the low 32 bits of rs1 only) and fcvt.d.l fcvt.d.lu
 * (rounded under every static and dynamic mode beyond 2^53). Unprivileged spec
 * 20191213, 12.5. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fcvt.d.w: from a signed 32-bit integer (the low 32 bits of a1; the upper half is
   * ignored) */
  FCVT_DX_EXACT   1, fcvt.d.w, 0x0000000000000000, 0x0                         /* 0 -> +0 */
  FCVT_DX_EXACT   2, fcvt.d.w, 0x3ff0000000000000, 0x1                         /* 1 -> 1 */
  FCVT_DX_EXACT   3, fcvt.d.w, 0xbff0000000000000, 0xffffffffffffffff          /* -1 -> -1 */
  FCVT_DX_EXACT   4, fcvt.d.w, 0x41dfffffffc00000, 0x7fffffff                  /* the largest int32 -> 2147483647 */
  FCVT_DX_EXACT   5, fcvt.d.w, 0xc1e0000000000000, 0xffffffff80000000          /* the smallest: exact -> -2^31 */
  FCVT_DX_EXACT   6, fcvt.d.w, 0x4008000000000000, 0x1234567800000003          /* upper half ignored -> 3 */
  FCVT_DX_EXACT   7, fcvt.d.w, 0xc000000000000000, 0xfffffffe                  /* bit 31 is the sign -> -2 */
  FCVT_DX_EXACT   8, fcvt.d.w, 0x3ff0000000000000, 0xffffffff00000001          /* upper half ignored -> 1 */

  /* fcvt.d.wu: from an unsigned 32-bit integer (the low 32 bits of a1; the upper half is
   * ignored) */
  FCVT_DX_EXACT   9, fcvt.d.wu, 0x0000000000000000, 0x0                        /* 0 -> +0 */
  FCVT_DX_EXACT  10, fcvt.d.wu, 0x3ff0000000000000, 0x1                        /* 1 -> 1 */
  FCVT_DX_EXACT  11, fcvt.d.wu, 0x41efffffffe00000, 0xffffffffffffffff         /* all ones -> 4294967295 */
  FCVT_DX_EXACT  12, fcvt.d.wu, 0x41efffffffe00000, 0xffffffff                 /* the largest uint32 -> 4294967295 */
  FCVT_DX_EXACT  13, fcvt.d.wu, 0x41e0000000000000, 0x80000000                 /* 2^31 -> 2147483648 */
  FCVT_DX_EXACT  14, fcvt.d.wu, 0x4008000000000000, 0x1234567800000003         /* upper half ignored -> 3 */
  FCVT_DX_EXACT  15, fcvt.d.wu, 0x41efffffffc00000, 0xfffffffe                 /* not sign-extended -> 4294967294 */
  FCVT_DX_EXACT  16, fcvt.d.wu, 0x3ff0000000000000, 0xffffffff00000001         /* upper half ignored -> 1 */

  /* fcvt.d.l: from a signed 64-bit integer */
  FCVT_DX    17, fcvt.d.l, rne, 0x0000000000000000, 0, 0x0                     /* 0 -> +0 */
  FCVT_DX    18, fcvt.d.l, rne, 0x3ff0000000000000, 0, 0x1                     /* 1 -> 1 */
  FCVT_DX    19, fcvt.d.l, rne, 0xbff0000000000000, 0, 0xffffffffffffffff      /* -1 -> -1 */
  FCVT_DX    20, fcvt.d.l, rne, 0x4340000000000000, NX, 0x20000000000001       /* 2^53 + 1: a tie (rne) -> 2^53 */
  FCVT_DX    21, fcvt.d.l, rtz, 0x4340000000000000, NX, 0x20000000000001       /* 2^53 + 1: a tie (rtz) -> 2^53 */
  FCVT_DX    22, fcvt.d.l, rdn, 0x4340000000000000, NX, 0x20000000000001       /* 2^53 + 1: a tie (rdn) -> 2^53 */
  FCVT_DX    23, fcvt.d.l, rup, 0x4340000000000001, NX, 0x20000000000001       /* 2^53 + 1: a tie (rup) -> 0x1.0000000000001p+53 */
  FCVT_DX    24, fcvt.d.l, rmm, 0x4340000000000001, NX, 0x20000000000001       /* 2^53 + 1: a tie (rmm) -> 0x1.0000000000001p+53 */
  fsrmi RM_RNE
  FCVT_DX    25, fcvt.d.l, dyn, 0xc340000000000000, NX, 0xffdfffffffffffff     /* -(2^53 + 1), frm = RNE: -> -2^53 */
  fsrmi RM_RTZ
  FCVT_DX    26, fcvt.d.l, dyn, 0xc340000000000000, NX, 0xffdfffffffffffff     /* -(2^53 + 1), frm = RTZ: -> -2^53 */
  fsrmi RM_RDN
  FCVT_DX    27, fcvt.d.l, dyn, 0xc340000000000001, NX, 0xffdfffffffffffff     /* -(2^53 + 1), frm = RDN: -> -0x1.0000000000001p+53 */
  fsrmi RM_RUP
  FCVT_DX    28, fcvt.d.l, dyn, 0xc340000000000000, NX, 0xffdfffffffffffff     /* -(2^53 + 1), frm = RUP: -> -2^53 */
  fsrmi RM_RMM
  FCVT_DX    29, fcvt.d.l, dyn, 0xc340000000000001, NX, 0xffdfffffffffffff     /* -(2^53 + 1), frm = RMM: -> -0x1.0000000000001p+53 */
  FCVT_DX    30, fcvt.d.l, rne, 0x43e0000000000000, NX, 0x7fffffffffffffff     /* the largest int64 -> 2^63 */
  FCVT_DX    31, fcvt.d.l, rtz, 0x43dfffffffffffff, NX, 0x7fffffffffffffff     /* the largest int64 -> 0x1.fffffffffffffp+62 */
  FCVT_DX    32, fcvt.d.l, rup, 0x43e0000000000000, NX, 0x7fffffffffffffff     /* the largest int64 -> 2^63 */
  FCVT_DX    33, fcvt.d.l, rne, 0xc3e0000000000000, 0, 0x8000000000000000      /* the smallest: exact -> -2^63 */
  FCVT_DX    34, fcvt.d.l, rne, 0x41f0000000100000, 0, 0x100000001             /* 2^32 + 1: all 64 bits count -> 4294967297 */
  FCVT_DX    35, fcvt.d.l, rtz, 0x41efffffffe00000, 0, 0xffffffff              /* 4294967295 -> 4294967295 */

  /* fcvt.d.lu: from an unsigned 64-bit integer */
  FCVT_DX    36, fcvt.d.lu, rne, 0x0000000000000000, 0, 0x0                    /* 0 -> +0 */
  FCVT_DX    37, fcvt.d.lu, rne, 0x3ff0000000000000, 0, 0x1                    /* 1 -> 1 */
  FCVT_DX    38, fcvt.d.lu, rne, 0x43f0000000000000, NX, 0xffffffffffffffff    /* all ones -> 2^64 */
  FCVT_DX    39, fcvt.d.lu, rne, 0x4340000000000000, NX, 0x20000000000001      /* 2^53 + 1: a tie (rne) -> 2^53 */
  FCVT_DX    40, fcvt.d.lu, rtz, 0x4340000000000000, NX, 0x20000000000001      /* 2^53 + 1: a tie (rtz) -> 2^53 */
  FCVT_DX    41, fcvt.d.lu, rdn, 0x4340000000000000, NX, 0x20000000000001      /* 2^53 + 1: a tie (rdn) -> 2^53 */
  FCVT_DX    42, fcvt.d.lu, rup, 0x4340000000000001, NX, 0x20000000000001      /* 2^53 + 1: a tie (rup) -> 0x1.0000000000001p+53 */
  FCVT_DX    43, fcvt.d.lu, rmm, 0x4340000000000001, NX, 0x20000000000001      /* 2^53 + 1: a tie (rmm) -> 0x1.0000000000001p+53 */
  fsrmi RM_RNE
  FCVT_DX    44, fcvt.d.lu, dyn, 0x4340000000000002, NX, 0x20000000000003      /* 2^53 + 3, frm = RNE: -> 0x1.0000000000002p+53 */
  fsrmi RM_RTZ
  FCVT_DX    45, fcvt.d.lu, dyn, 0x4340000000000001, NX, 0x20000000000003      /* 2^53 + 3, frm = RTZ: -> 0x1.0000000000001p+53 */
  fsrmi RM_RDN
  FCVT_DX    46, fcvt.d.lu, dyn, 0x4340000000000001, NX, 0x20000000000003      /* 2^53 + 3, frm = RDN: -> 0x1.0000000000001p+53 */
  fsrmi RM_RUP
  FCVT_DX    47, fcvt.d.lu, dyn, 0x4340000000000002, NX, 0x20000000000003      /* 2^53 + 3, frm = RUP: -> 0x1.0000000000002p+53 */
  fsrmi RM_RMM
  FCVT_DX    48, fcvt.d.lu, dyn, 0x4340000000000002, NX, 0x20000000000003      /* 2^53 + 3, frm = RMM: -> 0x1.0000000000002p+53 */
  FCVT_DX    49, fcvt.d.lu, rne, 0x43f0000000000000, NX, 0xffffffffffffffff    /* the largest uint64 -> 2^64 */
  FCVT_DX    50, fcvt.d.lu, rtz, 0x43efffffffffffff, NX, 0xffffffffffffffff    /* the largest uint64 -> 0x1.fffffffffffffp+63 */
  FCVT_DX    51, fcvt.d.lu, rup, 0x43f0000000000000, NX, 0xffffffffffffffff    /* the largest uint64 -> 2^64 */
  FCVT_DX    52, fcvt.d.lu, rne, 0x43e0000000000000, 0, 0x8000000000000000     /* 2^63 -> 2^63 */
  FCVT_DX    53, fcvt.d.lu, rne, 0x41f0000000100000, 0, 0x100000001            /* 2^32 + 1: all 64 bits count -> 4294967297 */
  FCVT_DX    54, fcvt.d.lu, rtz, 0x43e0000000000000, NX, 0x8000000000000001    /* -9223372036854775807 -> 2^63 */

  PASS
