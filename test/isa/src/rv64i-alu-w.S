/* rv64i-alu-w.S — the RV64I 32-bit ("W") arithmetic: addw subw sllw srlw sraw,
 * addiw slliw srliw sraiw. Each works on the low 32 bits of its sources, ignores the
 * upper halves, takes shift amounts from 5 bits only, and sign-extends the 32-bit
 * result into the 64-bit register. A W shift immediate with bit 5 set is reserved. */
#include "test.h"

  .text
  .globl main
main:
  /* addw */
  RR      1, addw, 0, 0, 0
  RR      2, addw, 2, 1, 1
  RR      3, addw, 0xffffffff80000000, 0x7fffffff, 1
  RR      4, addw, 0, 0xffffffff, 1
  RR      5, addw, -1, 0xffffffff, 0
  RR      6, addw, 0x7fffffff, 0xffffffff80000000, -1
  RR      7, addw, 5, 0x1234567800000002, 0xabcdef0000000003
  RR      8, addw, 0xffffffff87654321, 0x87654321, 0
  RR_D1   9, addw, 24, 13, 11
  RR_D2  10, addw, 25, 14, 11
  RR_SAME 11, addw, 0xfffffffffffffffe, 0x7fffffffffffffff
  RR_X0  12, addw, 1, 2
  RR_Z1  13, addw, 0xffffffff80000000, 0x80000000
  RR_Z2  14, addw, 0x7fffffff, 0xffffffff7fffffff

  /* subw */
  RR     15, subw, 0, 0, 0
  RR     16, subw, 0x7fffffff, 0xffffffff80000000, 1
  RR     17, subw, 0xffffffff80000000, 0x7fffffff, -1
  RR     18, subw, -1, 0, 1
  RR     19, subw, 1, 0x100000000, 0xffffffff
  RR     20, subw, -4, 3, 7
  RR_D1  21, subw, 2, 13, 11
  RR_D2  22, subw, 3, 14, 11
  RR_SAME 23, subw, 0, 0x123456789
  RR_X0  24, subw, 5, 2
  RR_Z1  25, subw, 0xffffffff80000000, 0x80000000
  RR_Z2  26, subw, 0x12345678, 0xabcdef0012345678

  /* sllw: shift amount rs2[4:0] */
  RR     27, sllw, 1, 1, 0
  RR     28, sllw, 2, 1, 1
  RR     29, sllw, 0xffffffff80000000, 1, 31
  RR     30, sllw, 1, 1, 32
  RR     31, sllw, 0xffffffff80000000, 1, -1
  RR     32, sllw, 0, 0x100000000, 0
  RR     33, sllw, 0x23456780, 0x12345678, 4
  RR     34, sllw, 0xfffffffffffffffe, 0xffffffff, 1
  RR_D1  35, sllw, 0x1000, 1, 12
  RR_D2  36, sllw, 0x3000, 3, 12
  RR_SAME 37, sllw, 0x18, 3
  RR_X0  38, sllw, 1, 1
  RR_Z1  39, sllw, 0, 5
  RR_Z2  40, sllw, 0x55, 0xabcdef0000000055

  /* srlw */
  RR     41, srlw, 0xffffffff80000000, 0x80000000, 0
  RR     42, srlw, 0x40000000, 0x80000000, 1
  RR     43, srlw, 1, 0x80000000, 31
  RR     44, srlw, -1, -1, 0
  RR     45, srlw, 0x7fffffff, -1, 1
  RR     46, srlw, 1, -1, 31
  RR     47, srlw, 0xffffffff80000000, 0x80000000, 32
  RR     48, srlw, 0x01234567, 0xfedcba9812345678, 4
  RR     49, srlw, 0x7fffffff, 0xffffffff, 0x21
  RR_D1  50, srlw, 0x10, 0x100, 4
  RR_D2  51, srlw, 0x20, 0x200, 4
  RR_SAME 52, srlw, 0x08000000, 0x40000003
  RR_X0  53, srlw, 8, 1
  RR_Z1  54, srlw, 0, 3
  RR_Z2  55, srlw, 0xffffffff87654321, 0x87654321

  /* sraw */
  RR     56, sraw, 0xffffffff80000000, 0x80000000, 0
  RR     57, sraw, 0xffffffffc0000000, 0x80000000, 1
  RR     58, sraw, -1, 0x80000000, 31
  RR     59, sraw, 0x3fffffff, 0x7fffffff, 1
  RR     60, sraw, 0, 0x7fffffff, 31
  RR     61, sraw, 0xfffffffff8123456, 0x81234567, 4
  RR     62, sraw, 0x08000000, 0xffffffff40000000, 3
  RR     63, sraw, -1, -1, 37
  RR_D1  64, sraw, -8, -128, 4
  RR_D2  65, sraw, -16, -256, 4
  RR_SAME 66, sraw, 0xfffffffff8000000, 0xc0000003
  RR_X0  67, sraw, -1, 1
  RR_Z1  68, sraw, 0, 3
  RR_Z2  69, sraw, 0x7fffffff, 0x123456787fffffff

  /* addiw (addiw rd, rs, 0 is sext.w) */
  RI     70, addiw, 0, 0, 0
  RI     71, addiw, 0xffffffff80000000, 0x7fffffff, 1
  RI     72, addiw, 0x7fffffff, 0xffffffff80000000, -1
  RI     73, addiw, -1, 0xffffffff, 0
  RI     74, addiw, 0x7fe, 0x1234567800000000, 0x7fe
  RI     75, addiw, 0xfffffffffffff800, 0, -2048
  RI     76, addiw, 0xffffffff800007fe, 0x7fffffff, 0x7ff
  RI_D1  77, addiw, 24, 13, 11
  RI_X0  78, addiw, 1, 1
  RI_Z1  79, addiw, -2048, -2048

  /* slliw, srliw, sraiw */
  RI     80, slliw, 1, 1, 0
  RI     81, slliw, 0xffffffff80000000, 1, 31
  RI     82, slliw, 0x23456780, 0x12345678, 4
  RI     83, slliw, 0, 0xffffffff00000000, 1
  RI     84, slliw, 0xfffffffffffffffe, 0xffffffff, 1
  RI_D1  85, slliw, 0x1000, 1, 12
  RI_X0  86, slliw, 1, 1
  RI     87, srliw, 0xffffffff80000000, 0x80000000, 0
  RI     88, srliw, 1, 0x80000000, 31
  RI     89, srliw, 0x7fffffff, -1, 1
  RI     90, srliw, 0x01234567, 0xfedcba9812345678, 4
  RI_D1  91, srliw, 0x10, 0x100, 4
  RI_X0  92, srliw, 8, 1
  RI     93, sraiw, 0xffffffff80000000, 0x80000000, 0
  RI     94, sraiw, -1, 0x80000000, 31
  RI     95, sraiw, 0, 0x7fffffff, 31
  RI     96, sraiw, 0xfffffffff8123456, 0x81234567, 4
  RI     97, sraiw, 0x08000000, 0xffffffff40000000, 3
  RI_D1  98, sraiw, -8, -128, 4
  RI_X0  99, sraiw, -1, 1

  /* slliw / srliw / sraiw with imm[5] = 1 are reserved: illegal instruction,
   * mtval = the instruction bits */
  TRAPS 100, CAUSE_ILLEGAL, .word 0x0205951b      /* slliw a0, a1, 32 */
  EXPECT s10, 0x0205951b
  TRAPS 101, CAUSE_ILLEGAL, .word 0x0205d51b      /* srliw a0, a1, 32 */
  EXPECT s10, 0x0205d51b
  TRAPS 102, CAUSE_ILLEGAL, .word 0x4205d51b      /* sraiw a0, a1, 32 */
  EXPECT s10, 0x4205d51b

  PASS
