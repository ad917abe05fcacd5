/* zbb.S — the Zbb basic bit-manipulation instructions (bit-manipulation spec 1.0.0,
 * 2.2): andn orn xnor, clz clzw ctz ctzw (64 / 32 for zero) cpop cpopw, max maxu min
 * minu, sext.b sext.h zext.h, rol ror rori (amount mod 64), rolw rorw roriw (low 32
 * bits, amount mod 32, result sign-extended from bit 31), orc.b, rev8. Edge values: 0,
 * all ones, single bits 0 / 31 / 32 / 63, signed against unsigned order; rd aliasing
 * and x0 operands. */
#include "test.h"

/* R1_D n, insn, result, a — check n: as R1 (test.h), with rd also rs1. */
.macro R1_D n, insn, res, a
  TEST \n
  li s1, \a
  \insn s1, s1
  EXPECT s1, \res
.endm

  .text
  .globl main
main:
  /* andn */
  RR        1, andn, 0x123456789abcdef, 0x123456789abcdef, 0xfedcba9876543210
  RR        2, andn, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
  RR        3, andn, 0x0, 0x0, 0xffffffffffffffff
  RR        4, andn, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
  RR        5, andn, 0x0, 0x0, 0x0
  RR        6, andn, 0xf000f000f000f000, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0
  RR_D1     7, andn, 0x123456789ab0d0f, 0x123456789abcdef, 0xf0f0
  RR_D2     8, andn, 0x123456789ab0d0f, 0x123456789abcdef, 0xf0f0
  RR_SAME   9, andn, 0x0, 0x123456789abcdef
  RR_Z1    10, andn, 0x0, 0x1234
  RR_Z2    11, andn, 0x1234, 0x1234
  RR_X0    12, andn, 0x1, 0x2

  /* orn */
  RR       13, orn, 0x123456789abcdef, 0x123456789abcdef, 0xfedcba9876543210
  RR       14, orn, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
  RR       15, orn, 0x0, 0x0, 0xffffffffffffffff
  RR       16, orn, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff
  RR       17, orn, 0xffffffffffffffff, 0x0, 0x0
  RR       18, orn, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0
  RR_D1    19, orn, 0xffffffffffffcfef, 0x123456789abcdef, 0xf0f0
  RR_D2    20, orn, 0xffffffffffffcfef, 0x123456789abcdef, 0xf0f0
  RR_SAME  21, orn, 0xffffffffffffffff, 0x123456789abcdef
  RR_Z1    22, orn, 0xffffffffffffedcb, 0x1234
  RR_Z2    23, orn, 0xffffffffffffffff, 0x1234
  RR_X0    24, orn, 0x1, 0x2

  /* xnor */
  RR       25, xnor, 0x0, 0x123456789abcdef, 0xfedcba9876543210
  RR       26, xnor, 0x0, 0xffffffffffffffff, 0x0
  RR       27, xnor, 0x0, 0x0, 0xffffffffffffffff
  RR       28, xnor, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff
  RR       29, xnor, 0xffffffffffffffff, 0x0, 0x0
  RR       30, xnor, 0xf0f0f0f0f0f0f0f, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0
  RR_D1    31, xnor, 0xfedcba987654c2e0, 0x123456789abcdef, 0xf0f0
  RR_D2    32, xnor, 0xfedcba987654c2e0, 0x123456789abcdef, 0xf0f0
  RR_SAME  33, xnor, 0xffffffffffffffff, 0x123456789abcdef
  RR_Z1    34, xnor, 0xffffffffffffedcb, 0x1234
  RR_Z2    35, xnor, 0xffffffffffffedcb, 0x1234
  RR_X0    36, xnor, 0x1, 0x2

  /* clz / clzw (the low 32 bits only; all zeros: 64 / 32) */
  R1       37, clz, 0x40, 0x0
  R1       38, clz, 0x3f, 0x1
  R1       39, clz, 0x20, 0x80000000
  R1       40, clz, 0x1f, 0x100000000
  R1       41, clz, 0x0, 0x8000000000000000
  R1       42, clz, 0x0, 0xffffffffffffffff
  R1       43, clz, 0x20, 0xffffffff
  R1       44, clz, 0x7, 0x123456789abcdef
  R1       45, clz, 0x1, 0x7fffffffffffffff
  R1       46, clzw, 0x20, 0x0
  R1       47, clzw, 0x1f, 0x1
  R1       48, clzw, 0x0, 0x80000000
  R1       49, clzw, 0x20, 0x100000000
  R1       50, clzw, 0x0, 0xffffffffffffffff
  R1       51, clzw, 0x1f, 0xffffffff00000001
  R1       52, clzw, 0x10, 0xffff
  R1       53, clzw, 0x0, 0x10080000000

  /* ctz / ctzw */
  R1       54, ctz, 0x40, 0x0
  R1       55, ctz, 0x0, 0x1
  R1       56, ctz, 0x1f, 0x80000000
  R1       57, ctz, 0x20, 0x100000000
  R1       58, ctz, 0x3f, 0x8000000000000000
  R1       59, ctz, 0x0, 0xffffffffffffffff
  R1       60, ctz, 0x20, 0xffffffff00000000
  R1       61, ctz, 0x4, 0x10
  R1       62, ctz, 0x0, 0x123456789abcdef
  R1       63, ctzw, 0x20, 0x0
  R1       64, ctzw, 0x0, 0x1
  R1       65, ctzw, 0x1f, 0x80000000
  R1       66, ctzw, 0x0, 0xffffffffffffffff
  R1       67, ctzw, 0x4, 0x10
  R1       68, ctzw, 0xf, 0xfff0000000008000
  R1       69, ctzw, 0x0, 0x8000000000000001

  /* cpop / cpopw */
  R1       70, cpop, 0x0, 0x0
  R1       71, cpop, 0x40, 0xffffffffffffffff
  R1       72, cpop, 0x20, 0x123456789abcdef
  R1       73, cpop, 0x1, 0x8000000000000000
  R1       74, cpop, 0x20, 0xffffffff
  R1       75, cpop, 0x2, 0x8000000000000001
  R1       76, cpopw, 0x0, 0x0
  R1       77, cpopw, 0x20, 0xffffffffffffffff
  R1       78, cpopw, 0x0, 0xffffffff00000000
  R1       79, cpopw, 0x2, 0x80000001
  R1       80, cpopw, 0x14, 0x123456789abcdef
  R1       81, cpopw, 0x1f, 0x7fffffff
  R1_D     82, cpop, 0x8, 0xf0f0

  /* max / min (signed), maxu / minu (unsigned) */
  RR       83, max, 0x2, 0x1, 0x2
  RR       84, min, 0x1, 0x1, 0x2
  RR       85, maxu, 0x2, 0x1, 0x2
  RR       86, minu, 0x1, 0x1, 0x2
  RR       87, max, 0x2, 0x2, 0x1
  RR       88, min, 0x1, 0x2, 0x1
  RR       89, maxu, 0x2, 0x2, 0x1
  RR       90, minu, 0x1, 0x2, 0x1
  RR       91, max, 0x1, 0xffffffffffffffff, 0x1
  RR       92, min, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  RR       93, maxu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  RR       94, minu, 0x1, 0xffffffffffffffff, 0x1
  RR       95, max, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
  RR       96, min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff
  RR       97, maxu, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff
  RR       98, minu, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
  RR       99, max, 0x0, 0xffffffffffffffff, 0x0
  RR      100, min, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
  RR      101, maxu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
  RR      102, minu, 0x0, 0xffffffffffffffff, 0x0
  RR      103, max, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
  RR      104, min, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
  RR      105, maxu, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
  RR      106, minu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
  RR      107, max, 0x80000000, 0x80000000, 0xffffffff80000000
  RR      108, min, 0xffffffff80000000, 0x80000000, 0xffffffff80000000
  RR      109, maxu, 0xffffffff80000000, 0x80000000, 0xffffffff80000000
  RR      110, minu, 0x80000000, 0x80000000, 0xffffffff80000000
  RR      111, max, 0x5, 0x5, 0x5
  RR      112, min, 0x5, 0x5, 0x5
  RR      113, maxu, 0x5, 0x5, 0x5
  RR      114, minu, 0x5, 0x5, 0x5
  RR_D1   115, max, 0x3, 0xffffffffffffffff, 0x3
  RR_D2   116, max, 0x3, 0xffffffffffffffff, 0x3
  RR_Z1   117, max, 0x0, 0xffffffffffffffff
  RR_D1   118, min, 0xffffffffffffffff, 0xffffffffffffffff, 0x3
  RR_D2   119, min, 0xffffffffffffffff, 0xffffffffffffffff, 0x3
  RR_Z1   120, min, 0xffffffffffffffff, 0xffffffffffffffff
  RR_D1   121, maxu, 0xffffffffffffffff, 0xffffffffffffffff, 0x3
  RR_D2   122, maxu, 0xffffffffffffffff, 0xffffffffffffffff, 0x3
  RR_Z1   123, maxu, 0xffffffffffffffff, 0xffffffffffffffff
  RR_D1   124, minu, 0x3, 0xffffffffffffffff, 0x3
  RR_D2   125, minu, 0x3, 0xffffffffffffffff, 0x3
  RR_Z1   126, minu, 0x0, 0xffffffffffffffff
  RR_SAME 127, max, 0x8000000000000000, 0x8000000000000000
  RR_X0   128, minu, 0x1, 0x2

  /* sext.b / sext.h / zext.h */
  R1      129, sext.b, 0x7f, 0x7f
  R1      130, sext.b, 0xffffffffffffff80, 0x80
  R1      131, sext.b, 0xffffffffffffffff, 0xff
  R1      132, sext.b, 0x0, 0xffffffffffffff00
  R1      133, sext.b, 0xffffffffffffffef, 0x123456789abcdef
  R1      134, sext.b, 0x7f, 0x1234567890abcd7f
  R1      135, sext.h, 0x7fff, 0x7fff
  R1      136, sext.h, 0xffffffffffff8000, 0x8000
  R1      137, sext.h, 0xffffffffffffcdef, 0x123456789abcdef
  R1      138, sext.h, 0xffffffffffffffff, 0xffffffffffffffff
  R1      139, sext.h, 0x0, 0xffffffffffff0000
  R1      140, sext.h, 0x5678, 0x12345678
  R1      141, zext.h, 0xffff, 0xffffffffffffffff
  R1      142, zext.h, 0xcdef, 0x123456789abcdef
  R1      143, zext.h, 0x8000, 0x8000
  R1      144, zext.h, 0x0, 0xffff0000
  R1      145, zext.h, 0x7fff, 0x7fff
  R1      146, zext.h, 0x0, 0x0
  R1_D    147, sext.b, 0xfffffffffffffff0, 0x1f0
  R1_D    148, zext.h, 0x1234, 0xabcd1234

  /* rol / ror (amount: rs2 mod 64), rori (0..63) */
  RR      149, rol, 0x123456789abcdef, 0x123456789abcdef, 0x0
  RR      150, rol, 0x2468acf13579bde, 0x123456789abcdef, 0x1
  RR      151, rol, 0x123456789abcdef0, 0x123456789abcdef, 0x4
  RR      152, rol, 0x89abcdef01234567, 0x123456789abcdef, 0x20
  RR      153, rol, 0x8091a2b3c4d5e6f7, 0x123456789abcdef, 0x3f
  RR      154, rol, 0x123456789abcdef, 0x123456789abcdef, 0x40
  RR      155, rol, 0xf0123456789abcde, 0x123456789abcdef, 0xfffffffffffffffc
  RR      156, rol, 0x1, 0x8000000000000000, 0x1
  RR      157, rol, 0xffffffffffffffff, 0xffffffffffffffff, 0x11
  RR      158, ror, 0x123456789abcdef, 0x123456789abcdef, 0x0
  RR      159, ror, 0x8091a2b3c4d5e6f7, 0x123456789abcdef, 0x1
  RR      160, ror, 0xf0123456789abcde, 0x123456789abcdef, 0x4
  RR      161, ror, 0x89abcdef01234567, 0x123456789abcdef, 0x20
  RR      162, ror, 0x2468acf13579bde, 0x123456789abcdef, 0x3f
  RR      163, ror, 0x123456789abcdef, 0x123456789abcdef, 0x40
  RR      164, ror, 0x123456789abcdef0, 0x123456789abcdef, 0xfffffffffffffffc
  RR      165, ror, 0x8000000000000000, 0x1, 0x1
  RR_D1   166, rol, 0x23456789abcdef01, 0x123456789abcdef, 0x8
  RR_D2   167, ror, 0xef0123456789abcd, 0x123456789abcdef, 0x8
  RR_SAME 168, ror, 0x8000000000000020, 0x41
  RR_X0   169, rol, 0x7, 0x1
  RI      170, rori, 0x123456789abcdef, 0x123456789abcdef, 0
  RI      171, rori, 0x8091a2b3c4d5e6f7, 0x123456789abcdef, 1
  RI      172, rori, 0xf0123456789abcde, 0x123456789abcdef, 4
  RI      173, rori, 0x13579bde02468acf, 0x123456789abcdef, 31
  RI      174, rori, 0x89abcdef01234567, 0x123456789abcdef, 32
  RI      175, rori, 0x2468acf13579bde, 0x123456789abcdef, 63
  RI      176, rori, 0x8000000000000000, 0x1, 1

  /* rolw / rorw (low 32 bits, amount: rs2 mod 32), roriw (0..31): the 32-bit result sign-extended */
  RR      177, rolw, 0x1, 0x80000000, 0x1
  RR      178, rolw, 0xffffffff9abcdef8, 0x123456789abcdef, 0x4
  RR      179, rolw, 0xffffffff80000000, 0x40000000, 0x1
  RR      180, rolw, 0xffffffff89abcdef, 0x89abcdef, 0x20
  RR      181, rolw, 0xffffffff80000000, 0xffffffff00000001, 0x1f
  RR      182, rolw, 0x12345678, 0x12345678, 0x0
  RR      183, rolw, 0x23456781, 0x12345678, 0xffffffffffffffe4
  RR      184, rorw, 0xffffffff80000000, 0x1, 0x1
  RR      185, rorw, 0xfffffffff89abcde, 0x123456789abcdef, 0x24
  RR      186, rorw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0x0
  RR      187, rorw, 0x1, 0x80000000, 0x1f
  RR      188, rorw, 0x1, 0xffffffff00000002, 0x1
  RI      189, roriw, 0xffffffff80000000, 0x1, 1
  RI      190, roriw, 0xffffffff89abcdef, 0x123456789abcdef, 0
  RI      191, roriw, 0x13579bdf, 0x123456789abcdef, 31
  RI      192, roriw, 0xffffffffffff7fff, 0x7fffffff, 16
  RI      193, roriw, 0xffffffff80000000, 0xffffffff00000080, 8

  /* orc.b: each byte becomes 0xff if any of its bits is set, else 0 */
  R1      194, orc.b, 0x0, 0x0
  R1      195, orc.b, 0xff, 0x1
  R1      196, orc.b, 0xffffffffffffffff, 0x123456789abcdef
  R1      197, orc.b, 0xff000000000000ff, 0x100000000000080
  R1      198, orc.b, 0xff00ff00000000, 0xff00ff00000000
  R1      199, orc.b, 0xff00000000000000, 0x8000000000000000
  R1      200, orc.b, 0xff0000ff00, 0x1000000200

  /* rev8: the bytes in reverse order */
  R1      201, rev8, 0xefcdab8967452301, 0x123456789abcdef
  R1      202, rev8, 0x100000000000000, 0x1
  R1      203, rev8, 0xffffffffffffffff, 0xffffffffffffffff
  R1      204, rev8, 0x807060504030201, 0x102030405060708
  R1      205, rev8, 0x0, 0x0
  R1      206, rev8, 0xff, 0xff00000000000000
  R1_D    207, rev8, 0x8877665544332211, 0x1122334455667788

  PASS
