/* rv64i-ctrl.S — RV64I control transfer: beq bne blt bge bltu bgeu (taken and not
 * taken, signed vs unsigned, x0 operands, backward loops, the ±4 KiB reach), jal and
 * jalr (link value, rd = rs1, jalr clearing bit 0 of the target, negative offsets,
 * x0 as link register) and a 32-bit instruction at a 2-byte aligned address.
 * (With C present IALIGN = 16, so no jump here can raise a misaligned fetch.) */
#include "test.h"

/* BT n, insn, a, b — check n: the branch is taken. BN: it falls through. */
.macro BT n, insn, a, b
  TEST \n
  li a1, \a
  li a2, \b
  \insn a1, a2, .Ltaken\@
  j fail
.Ltaken\@:
  EXPECT a1, \a
  EXPECT a2, \b
.endm
.macro BN n, insn, a, b
  TEST \n
  li a1, \a
  li a2, \b
  \insn a1, a2, .Lwrong\@
  j .Lok\@
.Lwrong\@:
  j fail
.Lok\@:
.endm

  .text
  .globl main
main:
  BT  1, beq, 0, 0
  BT  2, beq, 1, 1
  BT  3, beq, -1, -1
  BT  4, beq, 0x8000000000000000, 0x8000000000000000
  BN  5, beq, 0, 1
  BN  6, beq, 1, 0
  BN  7, beq, -1, 1
  BN  8, beq, 0x100000000, 0
  BT  9, bne, 0, 1
  BT 10, bne, 1, 0
  BT 11, bne, -1, 1
  BT 12, bne, 0x100000000, 0
  BN 13, bne, 0, 0
  BN 14, bne, -1, -1
  BT 15, blt, 0, 1
  BT 16, blt, -1, 1
  BT 17, blt, -2, -1
  BT 18, blt, 0x8000000000000000, 0x7fffffffffffffff
  BT 19, blt, 0xffffffff80000000, 0
  BN 20, blt, 1, 0
  BN 21, blt, 1, -1
  BN 22, blt, -1, -2
  BN 23, blt, 1, 1
  BN 24, blt, 0x7fffffffffffffff, 0x8000000000000000
  BT 25, bge, 0, 0
  BT 26, bge, 1, 0
  BT 27, bge, 1, -1
  BT 28, bge, -1, -2
  BT 29, bge, 0x7fffffffffffffff, 0x8000000000000000
  BN 30, bge, 0, 1
  BN 31, bge, -1, 1
  BN 32, bge, -2, -1
  BN 33, bge, 0x8000000000000000, 0x7fffffffffffffff
  BT 34, bltu, 0, 1
  BT 35, bltu, 1, -1
  BT 36, bltu, 0x7fffffffffffffff, 0x8000000000000000
  BT 37, bltu, 0xffffffff, 0x100000000
  BN 38, bltu, 1, 0
  BN 39, bltu, -1, 1
  BN 40, bltu, -1, -1
  BN 41, bltu, 0x8000000000000000, 0x7fffffffffffffff
  BT 42, bgeu, 0, 0
  BT 43, bgeu, 1, 0
  BT 44, bgeu, -1, 1
  BT 45, bgeu, -1, -1
  BT 46, bgeu, 0x8000000000000000, 0x7fffffffffffffff
  BN 47, bgeu, 0, 1
  BN 48, bgeu, 1, -1
  BN 49, bgeu, 0x100000000 - 1, 0x100000000

  /* x0 operands */
  TEST 50
  li a1, 0
  bne x0, a1, fail
  beq x0, x0, 1f
  j fail
1:
  TEST 51
  li a1, -1
  bge a1, x0, fail
  blt a1, x0, 1f
  j fail
1:
  TEST 52
  bltu x0, x0, fail
  bgeu x0, x0, 1f
  j fail
1:

  /* a backward branch loop runs 10 times */
  TEST 53
  li a0, 0
  li a1, 10
1:
  addi a0, a0, 3
  addi a1, a1, -1
  bnez a1, 1b
  EXPECT a0, 30

  /* the largest forward (+4092 with 4-byte instructions) and backward (-4096)
   * branch offsets; the filler is ebreak, which would fail the check */
  TEST 54
  beq zero, zero, 2f
  .fill 1022, 4, 0x00100073
2:
  TEST 55
  j 4f
3:
  j 5f
  .fill 1023, 4, 0x00100073
4:
  bgeu zero, zero, 3b
  j fail
5:

  /* jal: rd = pc + 4 */
  TEST 56
  li ra, 0
1:
  jal ra, 2f
  j fail
2:
  la a1, 1b + 4
  EXPECT_REG ra, a1
  TEST 57
  li a0, 7
  jal x0, 2f
  li a0, 8
2:
  EXPECT a0, 7
  TEST 58
  jal t2, 2f            /* another link register */
3:
  j fail
2:
  la a1, 3b
  EXPECT_REG t2, a1
  /* jal backwards */
  TEST 59
  j 2f
1:
  li a0, 0x59
  j 3f
2:
  jal x0, 1b
  j fail
3:
  EXPECT a0, 0x59

  /* jalr */
  TEST 60
  la a1, 2f
  li ra, 0
1:
  jalr ra, 0(a1)
  j fail
2:
  la a2, 1b + 4
  EXPECT_REG ra, a2
  TEST 61                /* offset added to rs1 */
  la a1, 2f - 12
  jalr ra, 12(a1)
  j fail
2:
  TEST 62                /* negative offset */
  la a1, 2f + 40
  jalr ra, -40(a1)
  j fail
2:
  TEST 63                /* bit 0 of the target is cleared (rs1 odd) */
  la a1, 2f
  addi a1, a1, 1
  jalr ra, 0(a1)
  j fail
2:
  TEST 64                /* bit 0 of the target is cleared (odd offset) */
  la a1, 2f
  jalr ra, 1(a1)
  j fail
2:
  TEST 65                /* rd = rs1: the target uses the old value */
  la a1, 2f
1:
  jalr a1, 0(a1)
  j fail
2:
  la a2, 1b + 4
  EXPECT_REG a1, a2
  TEST 66                /* rd = x0 */
  la a1, 2f
  jalr x0, 0(a1)
  j fail
2:
  EXPECT x0, 0
  TEST 67                /* call and return through a subroutine */
  li a0, 5
  call double
  EXPECT a0, 10
  call double
  EXPECT a0, 20

  /* a 32-bit instruction at an address that is 2 mod 4 (allowed: IALIGN = 16) */
  TEST 68
  la a1, target2
  andi a2, a1, 3
  EXPECT a2, 2
  li a0, 0
  jalr ra, 0(a1)
  EXPECT a0, 0x68
  TEST 69
  li a0, 0
  la a1, target2 + 1    /* odd: bit 0 dropped, lands on target2 */
  jalr ra, 0(a1)
  EXPECT a0, 0x68

  PASS

double:
  add a0, a0, a0
  ret

  .balign 4
  .option push
  .option rvc
  c.nop
  .option pop
target2:
  li a0, 0x68            /* 32-bit encoding (norvc), at 2 mod 4 */
  jalr x0, 0(ra)
