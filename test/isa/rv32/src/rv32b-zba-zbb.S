/* rv32b-zba-zbb.S — Zba and Zbb at XLEN = 32 (bit-manipulation spec 1.0.0): sh1add
 * sh2add sh3add, andn orn xnor, clz ctz cpop (counted over 32 bits: clz 0 = ctz 0 = 32),
 * max maxu min minu, sext.b sext.h, zext.h (on RV32 the pack encoding 0x08004033 in
 * OP, funct7 0000100, rs2 = 0), rol ror rori (5-bit amounts: rs2[4:0]), orc.b, rev8 (the
 * RV32 encoding, imm 0x698: 0x69805013). What is RV64-only is illegal, mtval = the bits:
 * add.uw sh1add.uw sh2add.uw sh3add.uw slli.uw (zext.w), clzw ctzw cpopw rolw rorw
 * roriw, the RV64 encodings of zext.h (in OP-32) and rev8 (imm 0x6b8), and rori with
 * shamt[5] = 1. Expected values were computed over 32 bits. */
#include "test.h"

  .text
  .globl main
main:

  /* Zba: sh1add / sh2add / sh3add (rs1 << n) + rs2, modulo 2^32 */
  RR    1, sh1add, 0x3579be01, 0x12345678, 0x11111111
  RR    2, sh1add, 0x00000005, 0x80000000, 0x00000005
  RR    3, sh1add, 0xffffffff, 0xffffffff, 0x00000001
  RR    4, sh2add, 0x00000014, 0x40000001, 0x00000010
  RR    5, sh2add, 0x7ffffffb, 0x7fffffff, 0x7fffffff
  RR    6, sh2add, 0x00000000, 0xffffffff, 0x00000004
  RR    7, sh3add, 0x12345678, 0x20000000, 0x12345678
  RR    8, sh3add, 0x00000000, 0x1fffffff, 0x00000008
  RR    9, sh3add, 0xf56df778, 0xdeadbeef, 0x00000000

  /* Zbb: andn / orn / xnor */
  RR   10, andn, 0xf000f000, 0xff00ff00, 0x0ff00ff0
  RR   11, andn, 0x7ffffffe, 0xffffffff, 0x80000001
  RR   12, orn, 0xff0fff0f, 0xff00ff00, 0x0ff00ff0
  RR   13, orn, 0xffffffff, 0x00000000, 0x00000000
  RR   14, xnor, 0x0f0f0f0f, 0xff00ff00, 0x0ff00ff0
  RR   15, xnor, 0xffffffff, 0x80000000, 0x80000000

  /* Zbb: clz / ctz / cpop count over 32 bits */
  R1   16, clz, 0x00000020, 0x00000000
  R1   17, clz, 0x0000001f, 0x00000001
  R1   18, clz, 0x00000000, 0x80000000
  R1   19, clz, 0x0000000f, 0x00010000
  R1   20, clz, 0x00000001, 0x7fffffff
  R1   21, ctz, 0x00000020, 0x00000000
  R1   22, ctz, 0x00000000, 0x00000001
  R1   23, ctz, 0x0000001f, 0x80000000
  R1   24, ctz, 0x00000010, 0x00010000
  R1   25, ctz, 0x00000004, 0xfffffff0
  R1   26, cpop, 0x00000000, 0x00000000
  R1   27, cpop, 0x00000020, 0xffffffff
  R1   28, cpop, 0x00000002, 0x80000001
  R1   29, cpop, 0x0000000d, 0x12345678

  /* Zbb: max / maxu / min / minu */
  RR   30, max, 0x7fffffff, 0x80000000, 0x7fffffff
  RR   31, max, 0x00000000, 0xffffffff, 0x00000000
  RR   32, max, 0x00000007, 0x00000005, 0x00000007
  RR   33, maxu, 0x80000000, 0x80000000, 0x7fffffff
  RR   34, maxu, 0xffffffff, 0xffffffff, 0x00000000
  RR   35, min, 0x80000000, 0x80000000, 0x7fffffff
  RR   36, min, 0xffffffff, 0xffffffff, 0x00000000
  RR   37, min, 0xfffffff9, 0xfffffffb, 0xfffffff9
  RR   38, minu, 0x7fffffff, 0x80000000, 0x7fffffff
  RR   39, minu, 0x00000000, 0xffffffff, 0x00000000

  /* Zbb: sext.b / sext.h / zext.h (the RV32 pack form) */
  R1   40, sext.b, 0xffffff80, 0x12345680
  R1   41, sext.b, 0x0000007f, 0xffffff7f
  R1   42, sext.h, 0xffff8000, 0x12348000
  R1   43, sext.h, 0x00007fff, 0xffff7fff
  R1   44, zext.h, 0x00008001, 0xffff8001
  R1   45, zext.h, 0x0000ffff, 0x7fffffff

  /* Zbb: rol / ror / rori (5-bit amounts) */
  RR   46, rol, 0x00000003, 0x80000001, 0x00000001
  RR   47, rol, 0x12345678, 0x12345678, 0x00000000
  RR   48, rol, 0x12345678, 0x12345678, 0x00000020
  RR   49, rol, 0x23456781, 0x12345678, 0x00000024
  RR   50, rol, 0x40000000, 0x80000000, 0x0000001f
  RR   51, ror, 0xc0000000, 0x80000001, 0x00000001
  RR   52, ror, 0x78123456, 0x12345678, 0x00000008
  RR   53, ror, 0x12345678, 0x12345678, 0xffffffe0
  RR   54, ror, 0x00000002, 0x00000001, 0x0000001f
  RI   55, rori, 0xc0000000, 0x80000001, 1
  RI   56, rori, 0x2468acf0, 0x12345678, 31
  RI   57, rori, 0x12345678, 0x12345678, 0
  RI   58, rori, 0xffff0000, 0x0000ffff, 16

  /* Zbb: orc.b / rev8 */
  R1   59, orc.b, 0x00ff00ff, 0x00010080
  R1   60, orc.b, 0x00000000, 0x00000000
  R1   61, orc.b, 0xff000000, 0x80000000
  R1   62, rev8, 0x78563412, 0x12345678
  R1   63, rev8, 0xff000000, 0x000000ff
  R1   64, rev8, 0x01000080, 0x80000001

  /* rd aliasing a source, x0 */
  RR_D1  65, sh2add, 0x00000013, 4, 3
  RR_D2  66, andn, 0x0000f000, 0x0000ff00, 0x00000f00
  RR_SAME 67, xnor, 0xffffffff, 0x5a5a5a5a
  RR_SAME 68, max, 0x80000000, 0x80000000
  RR_X0  69, min, 1, 2
  RR_Z1  70, orn, 0xfffffff0, 0x0000000f     /* not rs2 */
  RR_Z2  71, rol, 0x87654321, 0x87654321
  TEST 72                        /* clz, ctz with rd = rs1 */
  li a0, 0x00400000
  clz a0, a0
  EXPECT a0, 9
  li a0, 0x00400000
  ctz a0, a0
  EXPECT a0, 22

  /* the encodings themselves */
  TEST 73                        /* rev8 a0, a0 = 0x69855513 (0x69805013 with rd = rs1 = a0) */
  li a0, 0xa1b2c3d4
  .word 0x69855513
  EXPECT a0, 0xd4c3b2a1
  TEST 74                        /* zext.h a0, a1 = 0x0805c533: OP, funct7 0000100, rs2 = 0 */
  li a1, 0xcafef00d
  li a0, 0
  .word 0x0805c533
  EXPECT a0, 0x0000f00d
  TEST 75                        /* orc.b a0, a1 = 0x2875d513 */
  li a1, 0x01000100
  .word 0x2875d513
  EXPECT a0, 0xff00ff00

  /* RV64-only encodings: illegal, rd unchanged */
.macro GONE n, word
  li a0, 0x5a5a5a5a
  li a1, 0x12345678
  li a2, 3
  ILLEGAL \n, \word
  EXPECT a0, 0x5a5a5a5a
.endm
  GONE  76, 0x08c5853b           /* add.uw a0, a1, a2 */
  GONE  77, 0x0805853b           /* zext.w a0, a1 (add.uw with rs2 = x0) */
  GONE  78, 0x20c5a53b           /* sh1add.uw */
  GONE  79, 0x20c5c53b           /* sh2add.uw */
  GONE  80, 0x20c5e53b           /* sh3add.uw */
  GONE  81, 0x0835951b           /* slli.uw a0, a1, 3 */
  GONE  82, 0x6005951b           /* clzw */
  GONE  83, 0x6015951b           /* ctzw */
  GONE  84, 0x6025951b           /* cpopw */
  GONE  85, 0x60c5953b           /* rolw */
  GONE  86, 0x60c5d53b           /* rorw */
  GONE  87, 0x6055d51b           /* roriw a0, a1, 5 */
  GONE  88, 0x0805c53b           /* zext.h, RV64 encoding (OP-32) */
  GONE  89, 0x6b85d513           /* rev8, RV64 encoding (imm 0x6b8) */
  GONE  90, 0x6205d513           /* rori a0, a1, 32 */
  GONE  91, 0x63f5d513           /* rori a0, a1, 63 */

  PASS
