/* rv64i-alu.S — RV64I register-register and register-immediate arithmetic:
 * add sub sll srl sra slt sltu xor or and, addi slti sltiu xori ori andi slli srli
 * srai, lui, auipc. Edge values: carries across bit 31/63, 64-bit shift amounts
 * (only rs2[5:0] counts), sign-extended 12-bit immediates, x0 as source and
 * destination, rd aliasing a source. (The W forms are in rv64i-alu-w.S.) */
#include "test.h"

  .text
  .globl main
main:
  /* add */
  RR      1, add, 0, 0, 0
  RR      2, add, 2, 1, 1
  RR      3, add, 10, 3, 7
  RR      4, add, 0x8000000000000000, 0x7fffffffffffffff, 1
  RR      5, add, 0, -1, 1
  RR      6, add, 0x7fffffffffffffff, 0x8000000000000000, -1
  RR      7, add, 0x100000000, 0xffffffff, 1
  RR      8, add, -2, -1, -1
  RR      9, add, 0x2222222222222211, 0x123456789abcdef0, 0x0fedcba987654321
  RR_D1  10, add, 24, 13, 11
  RR_D2  11, add, 25, 14, 11
  RR_SAME 12, add, 26, 13
  RR_X0  13, add, 1, 2
  RR_Z1  14, add, 5, 5
  RR_Z2  15, add, -5, -5

  /* sub */
  RR     16, sub, 0, 0, 0
  RR     17, sub, 0, 1, 1
  RR     18, sub, -4, 3, 7
  RR     19, sub, 0x7fffffffffffffff, 0x8000000000000000, 1
  RR     20, sub, 0x8000000000000000, 0x7fffffffffffffff, -1
  RR     21, sub, 0xffffffff00000001, 0, 0xffffffff
  RR     22, sub, -2, -1, 1
  RR_D1  23, sub, 2, 13, 11
  RR_D2  24, sub, 3, 14, 11
  RR_SAME 25, sub, 0, 13
  RR_X0  26, sub, 5, 2
  RR_Z1  27, sub, -5, 5
  RR_Z2  28, sub, 7, 7

  /* sll: only rs2[5:0] is the shift amount */
  RR     29, sll, 1, 1, 0
  RR     30, sll, 2, 1, 1
  RR     31, sll, 0x80, 1, 7
  RR     32, sll, 0x80000000, 1, 31
  RR     33, sll, 0x8000000000000000, 1, 63
  RR     34, sll, 0x100000000, 1, 32
  RR     35, sll, 0xfffffffffffffffe, -1, 1
  RR     36, sll, 0x123456789abcdef0, 0x0123456789abcdef, 4
  RR     37, sll, 1, 1, 64
  RR     38, sll, 0x8000000000000000, 1, -1
  RR     39, sll, 2, 1, 0xffffffffffffffc1
  RR_D1  40, sll, 0x1000, 1, 12
  RR_D2  41, sll, 0x3000, 3, 12
  RR_SAME 42, sll, 0x18, 3
  RR_X0  43, sll, 1, 1
  RR_Z1  44, sll, 0, 5
  RR_Z2  45, sll, 0x55, 0x55

  /* srl */
  RR     46, srl, 0x8000000000000000, 0x8000000000000000, 0
  RR     47, srl, 0x4000000000000000, 0x8000000000000000, 1
  RR     48, srl, 1, 0x8000000000000000, 63
  RR     49, srl, 0x80000000, 0x8000000000000000, 32
  RR     50, srl, 0x00000001ffffffff, -1, 31
  RR     51, srl, 1, -1, 63
  RR     52, srl, 0x0123456789abcdef, 0x123456789abcdef0, 4
  RR     53, srl, 0x7fffffffffffffff, -1, 0xffffffffffffffc1
  RR     54, srl, -1, -1, 64
  RR_D1  55, srl, 0x10, 0x100, 4
  RR_D2  56, srl, 0x20, 0x200, 4
  RR_SAME 57, srl, 0x0800000000000000, 0x4000000000000003
  RR_X0  58, srl, 8, 1
  RR_Z1  59, srl, 0, 3
  RR_Z2  60, srl, -1, -1

  /* sra */
  RR     61, sra, 0x8000000000000000, 0x8000000000000000, 0
  RR     62, sra, 0xc000000000000000, 0x8000000000000000, 1
  RR     63, sra, -1, 0x8000000000000000, 63
  RR     64, sra, 0xffffffff80000000, 0x8000000000000000, 32
  RR     65, sra, 0x3fffffffffffffff, 0x7fffffffffffffff, 1
  RR     66, sra, 0, 0x7fffffffffffffff, 63
  RR     67, sra, 0xf823456789abcdef, 0x823456789abcdef0, 4
  RR     68, sra, -1, -1, 10
  RR     69, sra, 0xe000000000000000, 0xc000000000000000, 0xffffffffffffffc1
  RR_D1  70, sra, -8, -128, 4
  RR_D2  71, sra, -16, -256, 4
  RR_SAME 72, sra, 0xf800000000000000, 0xc000000000000003
  RR_X0  73, sra, -1, 1
  RR_Z1  74, sra, 0, 3
  RR_Z2  75, sra, -9, -9

  /* slt */
  RR     76, slt, 0, 0, 0
  RR     77, slt, 0, 1, 1
  RR     78, slt, 1, 3, 7
  RR     79, slt, 0, 7, 3
  RR     80, slt, 1, -1, 0
  RR     81, slt, 0, 0, -1
  RR     82, slt, 1, 0x8000000000000000, 0x7fffffffffffffff
  RR     83, slt, 0, 0x7fffffffffffffff, 0x8000000000000000
  RR     84, slt, 1, 0x8000000000000000, 0
  RR     85, slt, 1, -2, -1
  RR_D1  86, slt, 1, -5, 5
  RR_D2  87, slt, 0, 5, -5
  RR_SAME 88, slt, 0, -3
  RR_X0  89, slt, -1, 1
  RR_Z1  90, slt, 1, 5
  RR_Z2  91, slt, 1, -5

  /* sltu */
  RR     92, sltu, 0, 0, 0
  RR     93, sltu, 0, 1, 1
  RR     94, sltu, 1, 3, 7
  RR     95, sltu, 0, 7, 3
  RR     96, sltu, 0, -1, 0
  RR     97, sltu, 1, 0, -1
  RR     98, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff
  RR     99, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000
  RR    100, sltu, 1, 0xffffffff, 0x100000000
  RR    101, sltu, 1, -2, -1
  RR_D1 102, sltu, 0, -5, 5
  RR_D2 103, sltu, 1, 5, -5
  RR_SAME 104, sltu, 0, 3
  RR_X0 105, sltu, 1, 2
  RR_Z1 106, sltu, 1, 5
  RR_Z2 107, sltu, 0, 5

  /* xor, or, and */
  RR    108, xor, 0xf00ff00ff00ff00f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f
  RR    109, xor, 0, -1, -1
  RR    110, xor, -1, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
  RR_D1 111, xor, 6, 3, 5
  RR_D2 112, xor, 6, 5, 3
  RR_SAME 113, xor, 0, 0x1234
  RR_X0 114, xor, 1, 2
  RR_Z1 115, xor, 0x77, 0x77
  RR_Z2 116, xor, -3, -3
  RR    117, or, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f
  RR    118, or, 0, 0, 0
  RR    119, or, -1, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
  RR_D1 120, or, 7, 3, 5
  RR_D2 121, or, 7, 5, 3
  RR_SAME 122, or, 0x1234, 0x1234
  RR_X0 123, or, 1, 2
  RR_Z1 124, or, 0x77, 0x77
  RR_Z2 125, or, -3, -3
  RR    126, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f
  RR    127, and, 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
  RR    128, and, 0x8000000000000000, -1, 0x8000000000000000
  RR_D1 129, and, 1, 3, 5
  RR_D2 130, and, 1, 5, 3
  RR_SAME 131, and, 0x1234, 0x1234
  RR_X0 132, and, 3, 3
  RR_Z1 133, and, 0, 0x77
  RR_Z2 134, and, 0, -3

  /* addi: the 12-bit immediate is sign-extended */
  RI    135, addi, 0, 0, 0
  RI    136, addi, 2, 1, 1
  RI    137, addi, 0x802, 3, 0x7ff
  RI    138, addi, -2048, 0, -2048
  RI    139, addi, 0x8000000000000000, 0x7fffffffffffffff, 1
  RI    140, addi, 0x7fffffffffffffff, 0x8000000000000000, -1
  RI    141, addi, 0x100000000, 0xffffffff, 1
  RI    142, addi, -1, 0, -1
  RI    143, addi, 0x800007fe, 0x7fffffff, 0x7ff
  RI_D1 144, addi, 24, 13, 11
  RI_X0 145, addi, 1, 1
  RI_Z1 146, addi, 0x7ff, 0x7ff
  RI_Z1 147, addi, -2048, -2048

  /* slti, sltiu (the immediate is sign-extended, then compared unsigned) */
  RI    148, slti, 0, 0, 0
  RI    149, slti, 1, -1, 0
  RI    150, slti, 0, 0, -1
  RI    151, slti, 1, 0x8000000000000000, -2048
  RI    152, slti, 0, 0x7fffffffffffffff, 0x7ff
  RI    153, slti, 1, 0x7fe, 0x7ff
  RI    154, slti, 0, 0x7ff, 0x7ff
  RI_D1 155, slti, 1, -2049, -2048
  RI_X0 156, slti, -1, 1
  RI_Z1 157, slti, 1, 1
  RI    158, sltiu, 0, 0, 0
  RI    159, sltiu, 1, 0, 1
  RI    160, sltiu, 0, 5, 1
  RI    161, sltiu, 1, 0xfffffffffffffffe, -1
  RI    162, sltiu, 0, -1, -1
  RI    163, sltiu, 1, 0x7fffffffffffffff, -2048
  RI    164, sltiu, 0, 0xfffffffffffff800, -2048
  RI_D1 165, sltiu, 1, 0x7fe, 0x7ff
  RI_X0 166, sltiu, 0, 1
  RI_Z1 167, sltiu, 1, 0x7ff

  /* xori, ori, andi */
  RI    168, xori, 0xff00ff00ff00fff0, 0xff00ff00ff00ff00, 0x0f0
  RI    169, xori, 0x00ff00ff00ff00ff, 0xff00ff00ff00ff00, -1
  RI    170, xori, 0xfffffffffffff8ff, 0xff, -2048
  RI_D1 171, xori, 6, 3, 5
  RI_X0 172, xori, 1, 2
  RI_Z1 173, xori, -1, -1
  RI    174, ori, 0xff00ff00ff00fff0, 0xff00ff00ff00ff00, 0x0f0
  RI    175, ori, -1, 0, -1
  RI    176, ori, 0xfffffffffffff801, 1, -2048
  RI_D1 177, ori, 7, 3, 5
  RI_X0 178, ori, 1, 2
  RI_Z1 179, ori, 0x555, 0x555
  RI    180, andi, 0x700, 0xff00ff00ff00ff00, 0x70f
  RI    181, andi, 0xff00ff00ff00f800, 0xff00ff00ff00ff00, -2048
  RI    182, andi, 0, -1, 0
  RI_D1 183, andi, 1, 3, 5
  RI_X0 184, andi, -1, -1
  RI_Z1 185, andi, 0, -1

  /* slli, srli, srai: 6-bit shift amounts */
  RI    186, slli, 1, 1, 0
  RI    187, slli, 0x8000000000000000, 1, 63
  RI    188, slli, 0x80000000, 1, 31
  RI    189, slli, 0x100000000, 1, 32
  RI    190, slli, 0x123456789abcdef0, 0x0123456789abcdef, 4
  RI    191, slli, 0xfffffffe00000000, 0xffffffff, 33
  RI_D1 192, slli, 0x1000, 1, 12
  RI_X0 193, slli, 1, 1
  RI    194, srli, 1, 0x8000000000000000, 63
  RI    195, srli, 0x00000001ffffffff, -1, 31
  RI    196, srli, 0x80000000, 0x8000000000000000, 32
  RI    197, srli, -1, -1, 0
  RI_D1 198, srli, 0x10, 0x100, 4
  RI_X0 199, srli, 8, 1
  RI    200, srai, -1, 0x8000000000000000, 63
  RI    201, srai, 0xffffffff80000000, 0x8000000000000000, 32
  RI    202, srai, 0, 0x7fffffffffffffff, 63
  RI    203, srai, 0xf823456789abcdef, 0x823456789abcdef0, 4
  RI    204, srai, 0xffffffff, 0x1fffffffe, 1
  RI_D1 205, srai, -8, -128, 4
  RI_X0 206, srai, -1, 1

  /* lui: the 32-bit result is sign-extended */
  TEST 207
  lui a0, 0
  EXPECT a0, 0
  TEST 208
  lui a0, 0x12345
  EXPECT a0, 0x12345000
  TEST 209
  lui a0, 0x80000
  EXPECT a0, 0xffffffff80000000
  TEST 210
  lui a0, 0xfffff
  EXPECT a0, 0xfffffffffffff000
  TEST 211
  lui a0, 0x7ffff
  EXPECT a0, 0x7ffff000
  TEST 212
  lui x0, 0x12345
  EXPECT x0, 0

  /* auipc: pc + sign-extended (imm << 12) */
  TEST 213
1:
  auipc a0, 0
  la a1, 1b
  EXPECT_REG a0, a1
  TEST 214
1:
  auipc a0, 1
  la a1, 1b
  li t0, 0x1000
  add a1, a1, t0
  EXPECT_REG a0, a1
  TEST 215
1:
  auipc a0, 0xfffff
  la a1, 1b
  li t0, -0x1000
  add a1, a1, t0
  EXPECT_REG a0, a1
  TEST 216
1:
  auipc a0, 0x80000
  la a1, 1b
  li t0, 0xffffffff80000000
  add a1, a1, t0
  EXPECT_REG a0, a1
  TEST 217
  auipc x0, 0x12345
  EXPECT x0, 0

  /* nop and a HINT (rd = x0) change nothing */
  TEST 218
  li a0, 0x55
  nop
  addi x0, a0, 5
  slli x0, a0, 3
  EXPECT a0, 0x55

  PASS
