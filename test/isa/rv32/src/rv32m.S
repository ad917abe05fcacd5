/* rv32m.S — RV32M: mul mulh mulhu mulhsu div divu rem remu at XLEN = 32. The high
 * halves of the 64-bit product for the signed x signed, unsigned x unsigned and signed
 * x unsigned cases on the edge values 0x80000000 / 0x7fffffff / 0xffffffff; division by
 * zero (quotient all ones, remainder the dividend; no trap) and the signed overflow
 * INT_MIN / -1 (quotient INT_MIN, remainder 0); rounding toward zero with negative
 * operands; rd aliasing a source; the mulh-then-mul pair a fused implementation may
 * see; and the RV64-only mulw divw divuw remw remuw trapping as illegal instructions
 * (mtval = the bits). Expected values were computed as 64-bit products / quotients and
 * cut to 32 bits. */
#include "test.h"

  .text
  .globl main
main:
  /* mul */
  RR    1, mul, 0x00000000, 0x00000000, 0x00000000
  RR    2, mul, 0x0000002a, 0x00000007, 0x00000006
  RR    3, mul, 0x00000001, 0xffffffff, 0xffffffff
  RR    4, mul, 0x80000000, 0x80000000, 0xffffffff
  RR    5, mul, 0x00000001, 0x7fffffff, 0x7fffffff
  RR    6, mul, 0x00000000, 0x00010000, 0x00010000
  RR    7, mul, 0x242d2080, 0x12345678, 0x9abcdef0
  RR    8, mul, 0x00000000, 0x80000000, 0x00000002
  RR    9, mul, 0xffffffeb, 0xfffffff9, 0x00000003
  /* mulh */
  RR   10, mulh, 0x00000000, 0x00000000, 0x00000000
  RR   11, mulh, 0x00000000, 0xffffffff, 0xffffffff
  RR   12, mulh, 0xffffffff, 0xffffffff, 0x00000001
  RR   13, mulh, 0x40000000, 0x80000000, 0x80000000
  RR   14, mulh, 0xc0000000, 0x80000000, 0x7fffffff
  RR   15, mulh, 0x3fffffff, 0x7fffffff, 0x7fffffff
  RR   16, mulh, 0x00000000, 0x80000000, 0xffffffff
  RR   17, mulh, 0xf8cc93d6, 0x12345678, 0x9abcdef0
  RR   18, mulh, 0x00000001, 0x00010000, 0x00010000
  RR   19, mulh, 0xffffffff, 0xfffffffe, 0x40000000
  /* mulhu */
  RR   20, mulhu, 0x00000000, 0x00000000, 0x00000000
  RR   21, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff
  RR   22, mulhu, 0x00000000, 0xffffffff, 0x00000001
  RR   23, mulhu, 0x40000000, 0x80000000, 0x80000000
  RR   24, mulhu, 0x00000001, 0xffffffff, 0x00000002
  RR   25, mulhu, 0x0b00ea4e, 0x12345678, 0x9abcdef0
  RR   26, mulhu, 0x00000001, 0x00010000, 0x00010000
  RR   27, mulhu, 0x3fffffff, 0x80000000, 0x7fffffff
  /* mulhsu */
  RR   28, mulhsu, 0x00000000, 0x00000000, 0x00000000
  RR   29, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff
  RR   30, mulhsu, 0xffffffff, 0xffffffff, 0x00000001
  RR   31, mulhsu, 0x80000000, 0x80000000, 0xffffffff
  RR   32, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff
  RR   33, mulhsu, 0xc0000000, 0x80000000, 0x80000000
  RR   34, mulhsu, 0x0b00ea4e, 0x12345678, 0x9abcdef0
  RR   35, mulhsu, 0xffffffff, 0xfffffffe, 0x00000002
  RR   36, mulhsu, 0x00000000, 0x00000001, 0xffffffff
  /* div */
  RR   37, div, 0x00000003, 0x00000014, 0x00000006
  RR   38, div, 0xfffffffd, 0xffffffec, 0x00000006
  RR   39, div, 0xfffffffd, 0x00000014, 0xfffffffa
  RR   40, div, 0x00000003, 0xffffffec, 0xfffffffa
  RR   41, div, 0x80000000, 0x80000000, 0xffffffff
  RR   42, div, 0x80000000, 0x80000000, 0x00000001
  RR   43, div, 0xc0000000, 0x80000000, 0x00000002
  RR   44, div, 0xffffffff, 0x00000005, 0x00000000
  RR   45, div, 0xffffffff, 0xfffffffb, 0x00000000
  RR   46, div, 0xffffffff, 0x00000000, 0x00000000
  RR   47, div, 0x80000001, 0x7fffffff, 0xffffffff
  RR   48, div, 0x00000000, 0x00000001, 0x00000002
  RR   49, div, 0x00000000, 0xffffffff, 0x00000002
  /* divu */
  RR   50, divu, 0x00000003, 0x00000014, 0x00000006
  RR   51, divu, 0x2aaaaaa7, 0xffffffec, 0x00000006
  RR   52, divu, 0x00000000, 0x80000000, 0xffffffff
  RR   53, divu, 0xffffffff, 0xffffffff, 0x00000001
  RR   54, divu, 0x00000001, 0xffffffff, 0xffffffff
  RR   55, divu, 0xffffffff, 0x00000005, 0x00000000
  RR   56, divu, 0xffffffff, 0x00000000, 0x00000000
  RR   57, divu, 0x7fffffff, 0xffffffff, 0x00000002
  RR   58, divu, 0x00000001, 0x80000000, 0x80000000
  /* rem */
  RR   59, rem, 0x00000002, 0x00000014, 0x00000006
  RR   60, rem, 0xfffffffe, 0xffffffec, 0x00000006
  RR   61, rem, 0x00000002, 0x00000014, 0xfffffffa
  RR   62, rem, 0xfffffffe, 0xffffffec, 0xfffffffa
  RR   63, rem, 0x00000000, 0x80000000, 0xffffffff
  RR   64, rem, 0xfffffffe, 0x80000000, 0x00000003
  RR   65, rem, 0x00000005, 0x00000005, 0x00000000
  RR   66, rem, 0xfffffffb, 0xfffffffb, 0x00000000
  RR   67, rem, 0x00000000, 0x7fffffff, 0xffffffff
  RR   68, rem, 0xffffffff, 0xffffffff, 0x00000002
  RR   69, rem, 0x00000000, 0x80000000, 0x80000000
  /* remu */
  RR   70, remu, 0x00000002, 0x00000014, 0x00000006
  RR   71, remu, 0x00000002, 0xffffffec, 0x00000006
  RR   72, remu, 0x80000000, 0x80000000, 0xffffffff
  RR   73, remu, 0x00000000, 0xffffffff, 0x00000001
  RR   74, remu, 0x00000005, 0x00000005, 0x00000000
  RR   75, remu, 0xffffffff, 0xffffffff, 0x00000000
  RR   76, remu, 0x0000000f, 0xffffffff, 0x00000010
  RR   77, remu, 0x00000002, 0x80000000, 0x00000003

  /* rd aliasing a source, x0 as destination */
  RR_D1  86, mul, 0xfffffff4, 3, -4
  RR_D2  87, mulhu, 0x00000002, 0xffffffff, 3
  RR_SAME 88, mulh, 0x40000000, 0x80000000
  RR_SAME 89, mulhsu, 0xc0000000, 0x80000000
  RR_D1  90, div, 0xfffffffd, -7, 2
  RR_D2  91, remu, 0x00000001, 7, 2
  RR_SAME 92, divu, 1, 0xfffffff0
  RR_X0  93, mul, 3, 4
  RR_X0  94, div, 1, 0
  RR_Z1  95, divu, 0, 5
  RR_Z2  96, divu, 0xffffffff, 5            /* by x0: all ones */
  RR_Z2  97, rem, 0x80000000, 0x80000000    /* by x0: the dividend */

  /* mulh / mulhu / mulhsu then mul on the same operands: the full 64-bit product */
  TEST 98
  li a1, 0xfffffffe
  li a2, 0x80000001
  mulhsu a3, a1, a2              /* -2 * 0x80000001 = -0x100000002 */
  mul a4, a1, a2
  EXPECT a3, 0xfffffffe
  EXPECT a4, 0xfffffffe
  TEST 99
  mulhu a3, a1, a2               /* 0xfffffffe * 0x80000001 = 0x7fffffff_fffffffe */
  mul a4, a1, a2
  EXPECT a3, 0x7fffffff
  EXPECT a4, 0xfffffffe
  TEST 100
  mulh a3, a1, a2                /* -2 * -0x7fffffff = 0xfffffffe */
  mul a4, a1, a2
  EXPECT a3, 0
  EXPECT a4, 0xfffffffe
  TEST 101                       /* div then rem on the same operands */
  li a1, -17
  li a2, 5
  div a3, a1, a2
  rem a4, a1, a2
  EXPECT a3, -3
  EXPECT a4, -2
  mul a5, a3, a2
  add a5, a5, a4
  EXPECT a5, -17

  /* division by zero and overflow never trap */
  TEST 102
  li a1, 0x80000000
  li a2, -1
  div a3, a1, a2
  rem a4, a1, a2
  divu a5, a1, x0
  remu a6, a1, x0
  EXPECT a3, 0x80000000
  EXPECT a4, 0
  EXPECT a5, 0xffffffff
  EXPECT a6, 0x80000000

  /* RV64M only: illegal on RV32, mtval = the bits, rd unchanged */
.macro GONE n, word
  li a0, 0x5a5a5a5a
  li a1, 6
  li a2, 3
  ILLEGAL \n, \word
  EXPECT a0, 0x5a5a5a5a
.endm
  GONE 103, 0x02c5853b           /* mulw a0, a1, a2 */
  GONE 104, 0x02c5c53b           /* divw */
  GONE 105, 0x02c5d53b           /* divuw */
  GONE 106, 0x02c5e53b           /* remw */
  GONE 107, 0x02c5f53b           /* remuw */
  GONE 108, 0x02c5953b           /* OP-32 funct3 = 1 with funct7 = 1: nothing */

  PASS
