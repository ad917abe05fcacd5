/* zba.S — the Zba address-generation instructions (bit-manipulation spec 1.0.0,
 * 2.1): add.uw, sh1add sh2add sh3add, sh1add.uw sh2add.uw sh3add.uw, slli.uw. The .uw
 * forms take only the low 32 bits of rs1, zero-extended (add.uw rd, rs, x0 is zext.w);
 * shifted-out bits are lost; rd aliasing and x0 operands. */
#include "test.h"

  .text
  .globl main
main:
  /* add.uw: rs2 + the zero-extended low 32 bits of rs1 */
  RR        1, add.uw, 0x0, 0x0, 0x0
  RR        2, add.uw, 0x100000000, 0xffffffff, 0x1                            /* no carry into bit 32 is lost */
  RR        3, add.uw, 0xffffffff, 0xffffffffffffffff, 0x0                     /* rs1 is not sign-extended */
  RR        4, add.uw, 0x80000000, 0xffffffff80000000, 0x0
  RR        5, add.uw, 0x9abceef0, 0x123456789abcdef0, 0x1000                  /* the upper half of rs1 is ignored */
  RR        6, add.uw, 0xfffffffe, 0xffffffffffffffff, 0xffffffffffffffff
  RR        7, add.uw, 0xfedcba98ffffffff, 0x123456789abcdef, 0xfedcba9876543210
  RR        8, add.uw, 0x8000000000000007, 0x7, 0x8000000000000000
  RR_D1     9, add.uw, 0x8, 0xdeadbeef00000005, 0x3
  RR_D2    10, add.uw, 0x8, 0xdeadbeef00000005, 0x3
  RR_SAME  11, add.uw, 0x100000002, 0x80000001
  RR_Z1    12, add.uw, 0x1234, 0x1234
  RR_Z2    13, add.uw, 0x76543210, 0xfedcba9876543210                          /* zext.w */
  RR_X0    14, add.uw, 0x1, 0x2

  /* sh1add: rs2 + (rs1 << 1) */
  RR       15, sh1add, 0x2, 0x1, 0x0
  RR       16, sh1add, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0
  RR       17, sh1add, 0x1, 0x8000000000000000, 0x1                            /* bit 63 shifted out */
  RR       18, sh1add, 0x8000000000000000, 0x4000000000000000, 0x0             /* into bit 63 */
  RR       19, sh1add, 0x123456789abcdee, 0x123456789abcdef, 0xfedcba9876543210
  RR       20, sh1add, 0xfffffffe, 0xffffffff, 0xffffffff00000000
  RR_D1    21, sh1add, 0xd, 0x5, 0x3
  RR_D2    22, sh1add, 0xd, 0x5, 0x3
  RR_SAME  23, sh1add, 0x3333333333333333, 0x1111111111111111
  RR_Z1    24, sh1add, 0x77, 0x77
  RR_Z2    25, sh1add, 0xfffffffffffffffe, 0xffffffffffffffff
  RR_X0    26, sh1add, 0x1, 0x2

  /* sh1add.uw: rs2 + (zero-extended low 32 bits of rs1 << 1) */
  RR       27, sh1add.uw, 0x2, 0x1, 0x0
  RR       28, sh1add.uw, 0x1fffffffe, 0xffffffff, 0x0
  RR       29, sh1add.uw, 0x1fffffffe, 0xffffffffffffffff, 0x0                 /* upper half ignored, no sign extension */
  RR       30, sh1add.uw, 0x100000010, 0xffffffff80000000, 0x10
  RR       31, sh1add.uw, 0x13579bde1, 0x123456789abcdef0, 0x1
  RR       32, sh1add.uw, 0xfedcba9989abcdee, 0x123456789abcdef, 0xfedcba9876543210
  RR       33, sh1add.uw, 0x1fffffffd, 0xffffffff, 0xffffffffffffffff
  RR_D1    34, sh1add.uw, 0xf, 0xaaaaaaaa00000003, 0x9
  RR_D2    35, sh1add.uw, 0xf, 0xaaaaaaaa00000003, 0x9
  RR_Z2    36, sh1add.uw, 0x1fffffffe, 0xffffffffffffffff

  /* sh2add: rs2 + (rs1 << 2) */
  RR       37, sh2add, 0x4, 0x1, 0x0
  RR       38, sh2add, 0xfffffffffffffffc, 0xffffffffffffffff, 0x0
  RR       39, sh2add, 0x1, 0x8000000000000000, 0x1                            /* bit 63 shifted out */
  RR       40, sh2add, 0x8000000000000000, 0x2000000000000000, 0x0             /* into bit 63 */
  RR       41, sh2add, 0x369d0369d0369cc, 0x123456789abcdef, 0xfedcba9876543210
  RR       42, sh2add, 0x2fffffffc, 0xffffffff, 0xffffffff00000000
  RR_D1    43, sh2add, 0x17, 0x5, 0x3
  RR_D2    44, sh2add, 0x17, 0x5, 0x3
  RR_SAME  45, sh2add, 0x5555555555555555, 0x1111111111111111
  RR_Z1    46, sh2add, 0x77, 0x77
  RR_Z2    47, sh2add, 0xfffffffffffffffc, 0xffffffffffffffff
  RR_X0    48, sh2add, 0x1, 0x2

  /* sh2add.uw: rs2 + (zero-extended low 32 bits of rs1 << 2) */
  RR       49, sh2add.uw, 0x4, 0x1, 0x0
  RR       50, sh2add.uw, 0x3fffffffc, 0xffffffff, 0x0
  RR       51, sh2add.uw, 0x3fffffffc, 0xffffffffffffffff, 0x0                 /* upper half ignored, no sign extension */
  RR       52, sh2add.uw, 0x200000010, 0xffffffff80000000, 0x10
  RR       53, sh2add.uw, 0x26af37bc1, 0x123456789abcdef0, 0x1
  RR       54, sh2add.uw, 0xfedcba9a9d0369cc, 0x123456789abcdef, 0xfedcba9876543210
  RR       55, sh2add.uw, 0x3fffffffb, 0xffffffff, 0xffffffffffffffff
  RR_D1    56, sh2add.uw, 0x15, 0xaaaaaaaa00000003, 0x9
  RR_D2    57, sh2add.uw, 0x15, 0xaaaaaaaa00000003, 0x9
  RR_Z2    58, sh2add.uw, 0x3fffffffc, 0xffffffffffffffff

  /* sh3add: rs2 + (rs1 << 3) */
  RR       59, sh3add, 0x8, 0x1, 0x0
  RR       60, sh3add, 0xfffffffffffffff8, 0xffffffffffffffff, 0x0
  RR       61, sh3add, 0x1, 0x8000000000000000, 0x1                            /* bit 63 shifted out */
  RR       62, sh3add, 0x8000000000000000, 0x1000000000000000, 0x0             /* into bit 63 */
  RR       63, sh3add, 0x7f6e5d4c3b2a188, 0x123456789abcdef, 0xfedcba9876543210
  RR       64, sh3add, 0x6fffffff8, 0xffffffff, 0xffffffff00000000
  RR_D1    65, sh3add, 0x2b, 0x5, 0x3
  RR_D2    66, sh3add, 0x2b, 0x5, 0x3
  RR_SAME  67, sh3add, 0x9999999999999999, 0x1111111111111111
  RR_Z1    68, sh3add, 0x77, 0x77
  RR_Z2    69, sh3add, 0xfffffffffffffff8, 0xffffffffffffffff
  RR_X0    70, sh3add, 0x1, 0x2

  /* sh3add.uw: rs2 + (zero-extended low 32 bits of rs1 << 3) */
  RR       71, sh3add.uw, 0x8, 0x1, 0x0
  RR       72, sh3add.uw, 0x7fffffff8, 0xffffffff, 0x0
  RR       73, sh3add.uw, 0x7fffffff8, 0xffffffffffffffff, 0x0                 /* upper half ignored, no sign extension */
  RR       74, sh3add.uw, 0x400000010, 0xffffffff80000000, 0x10
  RR       75, sh3add.uw, 0x4d5e6f781, 0x123456789abcdef0, 0x1
  RR       76, sh3add.uw, 0xfedcba9cc3b2a188, 0x123456789abcdef, 0xfedcba9876543210
  RR       77, sh3add.uw, 0x7fffffff7, 0xffffffff, 0xffffffffffffffff
  RR_D1    78, sh3add.uw, 0x21, 0xaaaaaaaa00000003, 0x9
  RR_D2    79, sh3add.uw, 0x21, 0xaaaaaaaa00000003, 0x9
  RR_Z2    80, sh3add.uw, 0x7fffffff8, 0xffffffffffffffff

  /* slli.uw: the zero-extended low 32 bits of rs1, shifted left by 0..63 */
  RI       81, slli.uw, 0xffffffff, 0xffffffff, 0
  RI       82, slli.uw, 0xffffffff, 0xffffffffffffffff, 0                      /* zext.w */
  RI       83, slli.uw, 0x1fffffffe, 0xffffffff, 1
  RI       84, slli.uw, 0x7fffffff80000000, 0xffffffff, 31
  RI       85, slli.uw, 0xffffffff00000000, 0xffffffff, 32
  RI       86, slli.uw, 0x8000000000000000, 0xffffffff, 63
  RI       87, slli.uw, 0x9abcdef00, 0x123456789abcdef0, 4
  RI       88, slli.uw, 0x100000000, 0x80000000, 1
  RI       89, slli.uw, 0x8000000000000000, 0x80000000, 32                     /* bit 31 to bit 63 */
  RI       90, slli.uw, 0x0, 0x100000000, 5                                    /* bit 32 is not part of the source */
  RI_D1    91, slli.uw, 0x113579bde0000, 0x123456789abcdef, 17

  PASS
