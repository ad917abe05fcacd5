/* rv32i-alu.S — RV32I register-register and register-immediate arithmetic:
 * add sub sll srl sra slt sltu xor or and, addi slti sltiu xori ori andi slli srli
 * srai, lui, auipc, at XLEN = 32. Edge values: carries out of bit 31 that must vanish,
 * signed overflow at 0x7fffffff / 0x80000000, shift amounts 0 and 31 (only rs2[4:0]
 * counts: 32 shifts by 0, 33 by 1), sign-extended 12-bit immediates, lui / auipc
 * wrapping modulo 2^32, x0 as source and destination, rd aliasing a source.
 * (Encodings that exist only on RV64 are in rv32i-illegal.S.) */
#include "test.h"

  .text
  .globl main
main:
  /* add: 32-bit wrap-around */
  RR      1, add, 0, 0, 0
  RR      2, add, 10, 3, 7
  RR      3, add, 0x80000000, 0x7fffffff, 1
  RR      4, add, 0, 0xffffffff, 1
  RR      5, add, 0x7fffffff, 0x80000000, -1
  RR      6, add, 0, 0x80000000, 0x80000000
  RR      7, add, 0xfffffffe, -1, -1
  RR      8, add, 0xacf13568, 0x12345678, 0x9abcdef0
  RR_D1   9, add, 24, 13, 11
  RR_D2  10, add, 25, 14, 11
  RR_SAME 11, add, 0x80000000, 0xc0000000
  RR_X0  12, add, 1, 2
  RR_Z1  13, add, 5, 5
  RR_Z2  14, add, -5, -5

  /* sub */
  RR     15, sub, 0, 0, 0
  RR     16, sub, -4, 3, 7
  RR     17, sub, 0x7fffffff, 0x80000000, 1
  RR     18, sub, 0x80000000, 0x7fffffff, -1
  RR     19, sub, 1, 0, 0xffffffff
  RR     20, sub, 0x80000000, 0, 0x80000000
  RR_D1  21, sub, 2, 13, 11
  RR_D2  22, sub, 3, 14, 11
  RR_SAME 23, sub, 0, 0x80000001
  RR_X0  24, sub, 5, 2
  RR_Z1  25, sub, 0x80000001, 0x7fffffff
  RR_Z2  26, sub, 7, 7

  /* sll: the shift amount is rs2[4:0] */
  RR     27, sll, 0x12345678, 0x12345678, 0
  RR     28, sll, 2, 1, 1
  RR     29, sll, 0x80000000, 1, 31
  RR     30, sll, 0x80000000, 0xffffffff, 31
  RR     31, sll, 0x23456780, 0x12345678, 4
  RR     32, sll, 1, 1, 32                 /* 32 is a shift by 0 */
  RR     33, sll, 2, 1, 33
  RR     34, sll, 0x80000000, 1, -1        /* 31 */
  RR     35, sll, 0x10, 1, 0xffffffe4      /* 4 */
  RR_D1  36, sll, 0x1000, 1, 12
  RR_D2  37, sll, 0x3000, 3, 12
  RR_SAME 38, sll, 0x18, 3
  RR_X0  39, sll, 1, 1
  RR_Z1  40, sll, 0, 5
  RR_Z2  41, sll, 0x55, 0x55

  /* srl */
  RR     42, srl, 0x80000000, 0x80000000, 0
  RR     43, srl, 0x40000000, 0x80000000, 1
  RR     44, srl, 1, 0x80000000, 31
  RR     45, srl, 1, 0xffffffff, 31
  RR     46, srl, 0x01234567, 0x12345678, 4
  RR     47, srl, 0xffffffff, 0xffffffff, 32
  RR     48, srl, 0x7fffffff, 0xffffffff, 33
  RR     49, srl, 1, 0x80000000, 0xffffffff
  RR_D1  50, srl, 0x10, 0x100, 4
  RR_D2  51, srl, 0x20, 0x200, 4
  RR_SAME 52, srl, 0x08000000, 0x40000003
  RR_X0  53, srl, 8, 1
  RR_Z1  54, srl, 0, 3
  RR_Z2  55, srl, -1, -1

  /* sra */
  RR     56, sra, 0x80000000, 0x80000000, 0
  RR     57, sra, 0xc0000000, 0x80000000, 1
  RR     58, sra, 0xffffffff, 0x80000000, 31
  RR     59, sra, 0, 0x7fffffff, 31
  RR     60, sra, 0x3fffffff, 0x7fffffff, 1
  RR     61, sra, 0xf9abcdef, 0x9abcdef0, 4
  RR     62, sra, 0x80000000, 0x80000000, 32
  RR     63, sra, 0xc0000000, 0x80000000, 33
  RR     64, sra, 0xffffffff, 0x80000000, -1
  RR_D1  65, sra, -8, -128, 4
  RR_D2  66, sra, -16, -256, 4
  RR_SAME 67, sra, 0xf8000000, 0xc0000003
  RR_X0  68, sra, -1, 1
  RR_Z1  69, sra, 0, 3
  RR_Z2  70, sra, -9, -9

  /* slt / sltu: signed and unsigned order of 32-bit values */
  RR     71, slt, 0, 0, 0
  RR     72, slt, 1, 3, 7
  RR     73, slt, 0, 7, 3
  RR     74, slt, 1, -1, 0
  RR     75, slt, 1, 0x80000000, 0x7fffffff
  RR     76, slt, 0, 0x7fffffff, 0x80000000
  RR     77, slt, 1, 0x80000000, 0xffffffff
  RR_D1  78, slt, 1, -5, 5
  RR_SAME 79, slt, 0, -3
  RR_X0  80, slt, -1, 1
  RR_Z1  81, slt, 1, 5
  RR_Z2  82, slt, 1, -5
  RR     83, sltu, 0, 0, 0
  RR     84, sltu, 1, 3, 7
  RR     85, sltu, 0, 0xffffffff, 0
  RR     86, sltu, 1, 0, 0xffffffff
  RR     87, sltu, 0, 0x80000000, 0x7fffffff
  RR     88, sltu, 1, 0x7fffffff, 0x80000000
  RR     89, sltu, 1, 0xfffffffe, 0xffffffff
  RR_D2  90, sltu, 1, 5, -5
  RR_SAME 91, sltu, 0, 3
  RR_X0  92, sltu, 1, 2
  RR_Z1  93, sltu, 1, 0x80000000          /* snez */
  RR_Z2  94, sltu, 0, 5

  /* xor, or, and */
  RR     95, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f
  RR     96, xor, -1, 0x55555555, 0xaaaaaaaa
  RR_SAME 97, xor, 0, 0x80001234
  RR_X0  98, xor, 1, 2
  RR     99, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f
  RR    100, or, 0x80000001, 0x80000000, 1
  RR_D2 101, or, 7, 5, 3
  RR_Z1 102, or, 0x80000077, 0x80000077
  RR    103, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f
  RR    104, and, 0x80000000, -1, 0x80000000
  RR_D1 105, and, 1, 3, 5
  RR_Z2 106, and, 0, -3

  /* addi: the 12-bit immediate is sign-extended to 32 bits */
  RI    107, addi, 0x802, 3, 0x7ff
  RI    108, addi, 0xfffff800, 0, -2048
  RI    109, addi, 0x80000000, 0x7fffffff, 1
  RI    110, addi, 0x7fffffff, 0x80000000, -1
  RI    111, addi, 0, 0xffffffff, 1
  RI    112, addi, 0x800007fe, 0x7fffffff, 0x7ff
  RI    113, addi, 0x7ffff800, 0x80000000, -2048
  RI_D1 114, addi, 24, 13, 11
  RI_X0 115, addi, 1, 1
  RI_Z1 116, addi, -2048, -2048

  /* slti / sltiu (sltiu compares with the sign-extended immediate, unsigned) */
  RI    117, slti, 1, -1, 0
  RI    118, slti, 0, 0, -1
  RI    119, slti, 1, 0x80000000, -2048
  RI    120, slti, 0, 0x7fffffff, 0x7ff
  RI    121, slti, 1, 0xfffff7ff, -2048
  RI_X0 122, slti, -1, 1
  RI    123, sltiu, 1, 0, 1
  RI    124, sltiu, 0, -1, -1
  RI    125, sltiu, 1, 0xfffffffe, -1
  RI    126, sltiu, 1, 0x7fffffff, -2048       /* 0xfffff800 unsigned */
  RI    127, sltiu, 0, 0xfffff800, -2048
  RI    128, sltiu, 1, 0x80000000, -1
  RI_Z1 129, sltiu, 1, 0x7ff

  /* xori, ori, andi */
  RI    130, xori, 0xff00fff0, 0xff00ff00, 0x0f0
  RI    131, xori, 0x00ff00ff, 0xff00ff00, -1      /* not */
  RI    132, xori, 0xfffff8ff, 0xff, -2048
  RI    133, ori, 0xfffff801, 1, -2048
  RI    134, ori, 0x800007ff, 0x80000000, 0x7ff
  RI    135, andi, 0x700, 0xff00ff00, 0x70f
  RI    136, andi, 0xff00f800, 0xff00ff00, -2048
  RI    137, andi, 0, 0xffffffff, 0
  RI_X0 138, andi, -1, -1

  /* slli, srli, srai: 5-bit shift amounts (0 and 31 included) */
  RI    139, slli, 0x12345678, 0x12345678, 0
  RI    140, slli, 0x80000000, 1, 31
  RI    141, slli, 0x80000000, 0xffffffff, 31
  RI    142, slli, 0xfffffffe, 0xffffffff, 1
  RI    143, slli, 0x45678000, 0x12345678, 12
  RI_D1 144, slli, 0x1000, 1, 12
  RI_X0 145, slli, 1, 1
  RI    146, srli, 0x80000000, 0x80000000, 0
  RI    147, srli, 1, 0x80000000, 31
  RI    148, srli, 1, 0xffffffff, 31
  RI    149, srli, 0x7fffffff, 0xffffffff, 1
  RI    150, srli, 0x00012345, 0x12345678, 12
  RI_D1 151, srli, 0x10, 0x100, 4
  RI    152, srai, 0x80000000, 0x80000000, 0
  RI    153, srai, 0xffffffff, 0x80000000, 31
  RI    154, srai, 0, 0x7fffffff, 31
  RI    155, srai, 0xc0000000, 0x80000000, 1
  RI    156, srai, 0xfff9abcd, 0x9abcdef0, 12
  RI    157, srai, 0x12345, 0x12345678, 12
  RI_D1 158, srai, -8, -128, 4
  RI_X0 159, srai, -1, 1

  /* lui: imm << 12, all 32 bits */
  TEST 160
  lui a0, 0
  EXPECT a0, 0
  TEST 161
  lui a0, 0x12345
  EXPECT a0, 0x12345000
  TEST 162
  lui a0, 0x80000
  EXPECT a0, 0x80000000
  srli a1, a0, 31              /* no bits beyond 31 to shift in */
  EXPECT a1, 1
  TEST 163
  lui a0, 0xfffff
  EXPECT a0, 0xfffff000
  TEST 164
  lui x0, 0x12345
  EXPECT x0, 0

  /* auipc: pc + (imm << 12), modulo 2^32 */
  TEST 165
1:
  auipc a0, 0
  la a1, 1b
  EXPECT_REG a0, a1
  TEST 166
1:
  auipc a0, 0xfffff            /* pc - 4096 */
  la a1, 1b
  li t0, -0x1000
  add a1, a1, t0
  EXPECT_REG a0, a1
  TEST 167
1:
  auipc a0, 0x80000            /* the code is at 0x800xxxxx: wraps to 0x000xxxxx */
  la a1, 1b
  li t0, 0x80000000
  sub a1, a1, t0
  EXPECT_REG a0, a1
  srli a2, a0, 28
  EXPECT a2, 0
  TEST 168
1:
  auipc a0, 0x7ffff            /* 0x800xxxxx + 0x7ffff000: 0xfffxxxxx */
  la a1, 1b
  li t0, 0x7ffff000
  add a1, a1, t0
  EXPECT_REG a0, a1
  TEST 169
  auipc x0, 0x12345
  EXPECT x0, 0

  /* nop and HINTs (rd = x0) change nothing */
  TEST 170
  li a0, 0x55
  nop
  addi x0, a0, 5
  slli x0, a0, 3
  lui x0, 1
  EXPECT a0, 0x55

  PASS
