/* zihintpause.S — pause (Zihintpause 2.0: the FENCE encoding with pred = W, succ = 0,
 * fm = 0, rd = rs1 = x0) is a hint: it executes as a no-op in M, S and U, also with
 * mstatus.TW = 1 (it is not wfi), changes no register or memory, and does not trap. */
#include "test.h"

  .data
  .balign 8
word:
  .dword 0x0123456789abcdef

  .text
  .globl main
main:
  /* registers and memory are left alone */
  TEST 1
  li a0, 0x1111111111111111
  li a1, 0x2222222222222222
  li a2, 0x3333333333333333
  mv s1, sp
  la s2, word
  li s7, 0                             /* any trap fails the check */
  pause
  EXPECT a0, 0x1111111111111111
  EXPECT a1, 0x2222222222222222
  EXPECT a2, 0x3333333333333333
  EXPECT_REG s1, sp
  ld a3, 0(s2)
  EXPECT a3, 0x0123456789abcdef
  TEST 2                               /* it is the FENCE encoding named */
  la a0, 1f
  lwu a1, 0(a0)
  EXPECT a1, 0x0100000f
  NOTRAP 3, 1: pause
  TEST 4                               /* many in a row finish */
  li a0, 1000
2:
  pause
  addi a0, a0, -1
  bnez a0, 2b
  EXPECT a0, 0
  TEST 5                               /* loads and stores around it still happen in order */
  li a1, 42
  sd a1, 0(s2)
  pause
  ld a2, 0(s2)
  EXPECT a2, 42

  /* in S and U, with TW = 1 (wfi would trap) */
  li t0, MSTATUS_TW
  csrs mstatus, t0
  TEST 6
  ENTER_S 3f
3:
  NOTRAP 7, pause
  EXPECT_MODE 1
  BACK_TO_M
  TEST 8
  ENTER_U 4f
4:
  NOTRAP 9, pause
  EXPECT_MODE 0
  BACK_TO_M
  li t0, MSTATUS_TW
  csrc mstatus, t0

  PASS
