/* rv32i-ctrl.S — RV32I control transfer: beq bne blt bge bltu bgeu on 32-bit values
 * (taken and not taken; 0x80000000 is the most negative number for blt / bge and a
 * large one for bltu / bgeu; x0 operands; loops; the +4092 / -4096 reach), jal and
 * jalr (the link is the 32-bit pc + 4, rd = rs1, bit 0 of the target cleared, negative
 * offsets, x0 as link), a 32-bit instruction at a 2-byte aligned address (IALIGN = 16
 * with C present: no jump here can raise a misaligned fetch), fence and fence.i.
 * ecall / ebreak are in traps32.S. */
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

  .data
  .balign 4
jump_table: .word 0, 0, 0

  .text
  .globl main
main:
  BT  1, beq, 0, 0
  BT  2, beq, 0xffffffff, -1
  BT  3, beq, 0x80000000, 0x80000000
  BN  4, beq, 0, 1
  BN  5, beq, 0x80000000, 0
  BN  6, beq, 0xffffffff, 0x7fffffff
  BT  7, bne, 0, 1
  BT  8, bne, 0x80000000, 0
  BT  9, bne, 0x7fffffff, 0xffffffff
  BN 10, bne, 0, 0
  BN 11, bne, 0x80000000, 0x80000000
  BT 12, blt, 0, 1
  BT 13, blt, -1, 1
  BT 14, blt, 0x80000000, 0x7fffffff
  BT 15, blt, 0x80000000, 0xffffffff
  BT 16, blt, 0xffffffff, 0
  BN 17, blt, 0x7fffffff, 0x80000000
  BN 18, blt, 0, 0xffffffff
  BN 19, blt, 1, 1
  BN 20, blt, 0x80000001, 0x80000000
  BT 21, bge, 0, 0
  BT 22, bge, 0x7fffffff, 0x80000000
  BT 23, bge, 0, 0xffffffff
  BT 24, bge, 0x80000000, 0x80000000
  BN 25, bge, 0x80000000, 0x7fffffff
  BN 26, bge, 0xffffffff, 0
  BN 27, bge, -2, -1
  BT 28, bltu, 0, 1
  BT 29, bltu, 0x7fffffff, 0x80000000
  BT 30, bltu, 0, 0xffffffff
  BT 31, bltu, 0xfffffffe, 0xffffffff
  BN 32, bltu, 0x80000000, 0x7fffffff
  BN 33, bltu, 0xffffffff, 0
  BN 34, bltu, 0xffffffff, 0xffffffff
  BT 35, bgeu, 0, 0
  BT 36, bgeu, 0x80000000, 0x7fffffff
  BT 37, bgeu, 0xffffffff, 0
  BT 38, bgeu, 0xffffffff, 0xffffffff
  BN 39, bgeu, 0x7fffffff, 0x80000000
  BN 40, bgeu, 0, 0xffffffff

  /* x0 operands */
  TEST 41
  li a1, 0x80000000
  bge a1, x0, fail
  bgeu x0, a1, fail
  blt a1, x0, 1f
  j fail
1:
  TEST 42
  bltu x0, x0, fail
  bne x0, x0, fail
  bgeu x0, x0, 1f
  j fail
1:

  /* a backward branch loop */
  TEST 43
  li a0, 0
  li a1, 10
1:
  addi a0, a0, 3
  addi a1, a1, -1
  bnez a1, 1b
  EXPECT a0, 30

  /* the largest forward (+4092) and backward (-4096) branch offsets; the filler is
   * ebreak, which would fail the check */
  TEST 44
  bne zero, a0, 2f
  .fill 1022, 4, 0x00100073
2:
  TEST 45
  j 4f
3:
  j 5f
  .fill 1023, 4, 0x00100073
4:
  bltu zero, a0, 3b
  j fail
5:

  /* jal: rd = pc + 4 */
  TEST 46
  li ra, 0
1:
  jal ra, 2f
  j fail
2:
  la a1, 1b + 4
  EXPECT_REG ra, a1
  TEST 47
  li a0, 7
  jal x0, 2f
  li a0, 8
2:
  EXPECT a0, 7
  TEST 48
  jal t2, 2f
3:
  j fail
2:
  la a1, 3b
  EXPECT_REG t2, a1
  TEST 49                /* backwards */
  j 2f
1:
  li a0, 0x49
  j 3f
2:
  jal x0, 1b
  j fail
3:
  EXPECT a0, 0x49
  TEST 50                /* a long jump: 64 KiB of filler */
  jal ra, 2f
  .fill 16384, 4, 0x00100073
2:
  TEST 51
  j 4f
3:
  j 5f
  .fill 16384, 4, 0x00100073
4:
  jal zero, 3b
5:

  /* jalr */
  TEST 52
  la a1, 2f
  li ra, 0
1:
  jalr ra, 0(a1)
  j fail
2:
  la a2, 1b + 4
  EXPECT_REG ra, a2
  TEST 53                /* offset added to rs1 */
  la a1, 2f - 2047
  jalr ra, 2047(a1)
  j fail
2:
  TEST 54                /* negative offset */
  la a1, 2f + 2048
  jalr ra, -2048(a1)
  j fail
2:
  TEST 55                /* bit 0 of the target is cleared (odd rs1) */
  la a1, 2f
  addi a1, a1, 1
  jalr ra, 0(a1)
  j fail
2:
  TEST 56                /* bit 0 of the target is cleared (odd offset) */
  la a1, 2f
  jalr ra, 1(a1)
  j fail
2:
  TEST 57                /* rd = rs1: the target uses the old value */
  la a1, 2f
1:
  jalr a1, 0(a1)
  j fail
2:
  la a2, 1b + 4
  EXPECT_REG a1, a2
  TEST 58                /* rd = x0 */
  la a1, 2f
  jalr x0, 0(a1)
  j fail
2:
  EXPECT x0, 0
  TEST 59                /* call and return */
  li a0, 5
  call double
  EXPECT a0, 10
  call double
  EXPECT a0, 20
  TEST 60                /* a target loaded from memory (a jump table) */
  la a0, jump_table
  la a1, 2f
  sw a1, 4(a0)
  lw a2, 4(a0)
  jalr ra, 0(a2)
  j fail
2:

  /* a 32-bit instruction at an address that is 2 mod 4 (allowed: IALIGN = 16) */
  TEST 61
  la a1, target2
  andi a2, a1, 3
  EXPECT a2, 2
  li a0, 0
  jalr ra, 0(a1)
  EXPECT a0, 0x61
  TEST 62
  li a0, 0
  la a1, target2 + 1     /* odd: bit 0 dropped, lands on target2 */
  jalr ra, 0(a1)
  EXPECT a0, 0x61
  TEST 63                /* a branch to 2 mod 4 */
  li a0, 0
  la ra, 2f
  beq zero, zero, target2
2:
  EXPECT a0, 0x61

  /* fence / fence.i: ordering only; a store to code followed by fence.i is fetched */
  TEST 64
  li a0, 0x64
  fence
  fence rw, rw
  fence.tso
  fence.i
  EXPECT a0, 0x64
  TEST 65
  la a1, patch
  li a2, 0x06500513      /* addi a0, zero, 0x65 */
  sw a2, 0(a1)
  fence.i
  li a0, 0
  call patch
  EXPECT a0, 0x65

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
  li a0, 0x61            /* 32-bit encoding (norvc), at 2 mod 4 */
  jalr x0, 0(ra)

  .balign 4
patch:                   /* rewritten by check 65 */
  li a0, 0x99
  ret
