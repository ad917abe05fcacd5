/* rv64a.S — the A extension on RV64: lr.w/sc.w/lr.d/sc.d and every AMO in .w and .d
 * form, with the aq / rl / aqrl ordering bits. LR sign-extends (.w), SC writes 0 on
 * success and 1 on failure; SC fails without a reservation, at an address other than
 * the reserved one (128 bytes away, beyond any plausible reservation granule), and a
 * second SC fails because SC (success or not) clears the reservation. AMO .w forms
 * touch only their 32 bits and return the old value sign-extended; min/max compare
 * signed, minu/maxu unsigned, at the operation width. Misaligned LR and AMOs fault
 * (QEMU 7.2 reports a misaligned AMO as cause 4, load misaligned; the privileged spec
 * asks for 6, store/AMO misaligned: either is accepted), as do accesses to nothing
 * (QEMU 7.2: cause 5 for an AMO, where the spec asks for 7; either is accepted). */
#include "test.h"

  .data
  .balign 256
res: .dword 0, 0, 0, 0, 0, 0, 0, 0
     .dword 0, 0, 0, 0, 0, 0, 0, 0
other: .dword 0, 0
amo_buf: .dword 0, 0

  .text

/* AMO n, insn, memory, operand, old, new — check n: with the doubleword at amo_buf
 * holding memory, `insn a0, operand, (amo_buf)` returns old and leaves new there. */
.macro AMO n, insn, mem, op, old, new
  TEST \n
  la a1, amo_buf
  li a2, \mem
  sd a2, 0(a1)
  li a3, \op
  \insn a0, a3, (a1)
  EXPECT a0, \old
  EXPECT a3, \op
  ld a4, 0(a1)
  EXPECT a4, \new
.endm

  .globl main
main:
  /* lr.w sign-extends; sc.w succeeds right after it and writes 32 bits */
  TEST 1
  la a1, res
  li a2, 0x1111111180000000
  sd a2, 0(a1)
  lr.w a0, (a1)
  EXPECT a0, 0xffffffff80000000
  TEST 2
  li a3, 0x12345678
  sc.w a4, a3, (a1)
  EXPECT a4, 0
  ld a0, 0(a1)
  EXPECT a0, 0x1111111112345678
  /* sc.w again: the reservation is gone, the store is not done, rd = 1 */
  TEST 3
  li a3, 0x55
  sc.w a4, a3, (a1)
  EXPECT a4, 1
  ld a0, 0(a1)
  EXPECT a0, 0x1111111112345678
  /* lr.d / sc.d */
  TEST 4
  li a2, 0x8000000000000001
  sd a2, 8(a1)
  addi a5, a1, 8
  lr.d a0, (a5)
  EXPECT a0, 0x8000000000000001
  TEST 5
  li a3, 0x0123456789abcdef
  sc.d a4, a3, (a5)
  EXPECT a4, 0
  ld a0, 8(a1)
  EXPECT a0, 0x0123456789abcdef
  TEST 6
  sc.d a4, zero, (a5)
  EXPECT a4, 1
  ld a0, 8(a1)
  EXPECT a0, 0x0123456789abcdef
  /* sc to an address other than the reserved one fails and stores nothing... */
  TEST 7
  la a1, res
  la a2, other
  li a3, 0x77
  sd zero, 0(a2)
  lr.d a0, (a1)
  sc.d a4, a3, (a2)
  EXPECT a4, 1
  ld a0, 0(a2)
  EXPECT a0, 0
  /* ...and the failed sc cleared the reservation too */
  TEST 8
  sc.d a4, a3, (a1)
  EXPECT a4, 1
  /* the same with .w */
  TEST 9
  sw zero, 0(a2)
  lr.w a0, (a1)
  sc.w a4, a3, (a2)
  EXPECT a4, 1
  lw a0, 0(a2)
  EXPECT a0, 0
  /* a newer lr moves the reservation */
  TEST 10
  lr.d a0, (a1)
  lr.d a0, (a2)
  sc.d a4, a3, (a2)
  EXPECT a4, 0
  ld a0, 0(a2)
  EXPECT a0, 0x77
  /* ordering bits change nothing visible on one hart */
  TEST 11
  li a3, 0xabc
  lr.w.aq a0, (a1)
  sc.w.rl a4, a3, (a1)
  EXPECT a4, 0
  lw a0, 0(a1)
  EXPECT a0, 0xabc
  TEST 12
  li a3, -5
  lr.d.aqrl a0, (a1)
  sc.d.aqrl a4, a3, (a1)
  EXPECT a4, 0
  ld a0, 0(a1)
  EXPECT a0, -5
  TEST 13
  lr.w.aqrl a0, (a1)
  EXPECT a0, -5
  li a3, 3
  sc.w.aq a4, a3, (a1)
  EXPECT a4, 0
  TEST 14
  lr.d.aq a0, (a1)
  sc.d.rl a4, zero, (a1)
  EXPECT a4, 0
  ld a0, 0(a1)
  EXPECT a0, 0
  /* an LR/SC retry loop: atomic increment */
  TEST 15
  la a1, res
  li a0, 41
  sd a0, 0(a1)
1:
  lr.d a0, (a1)
  addi a0, a0, 1
  sc.d a4, a0, (a1)
  bnez a4, 1b
  ld a0, 0(a1)
  EXPECT a0, 42
  /* sc with rd = the data register: rd gets the status, memory the old value */
  TEST 16
  li a3, 0x99
  lr.d a0, (a1)
  sc.d a3, a3, (a1)
  EXPECT a3, 0
  ld a0, 0(a1)
  EXPECT a0, 0x99
  /* lr into x0 still reserves */
  TEST 17
  lr.w x0, (a1)
  li a3, 0x17
  sc.w a4, a3, (a1)
  EXPECT a4, 0
  EXPECT x0, 0
  TEST 18
  lw a0, 0(a1)
  EXPECT a0, 0x17
  /* an ordinary store between lr and sc to another granule keeps nothing from
   * working: the sc to the reserved address still succeeds */
  TEST 19
  lr.d a0, (a1)
  sd zero, 0(a2)
  sc.d a4, a3, (a1)
  EXPECT a4, 0

  /* every AMO: old value returned, new value stored (.w keeps the upper word) */
  AMO  20, amoswap.w, 0x5a5a5a5a80000000, 0x12345678, 0xffffffff80000000, 0x5a5a5a5a12345678
  AMO  21, amoswap.w.aq, 0x5a5a5a5a00000001, 0xfedcba98cafef00d, 0x1, 0x5a5a5a5acafef00d
  AMO  22, amoadd.w.rl, 0x5a5a5a5a7fffffff, 0x1, 0x7fffffff, 0x5a5a5a5a80000000
  AMO  23, amoadd.w.aqrl, 0x5a5a5a5affffffff, 0x1, 0xffffffffffffffff, 0x5a5a5a5a00000000
  AMO  24, amoadd.w, 0x5a5a5a5a12345678, 0x11111111, 0x12345678, 0x5a5a5a5a23456789
  AMO  25, amoxor.w.aq, 0x5a5a5a5aff00ff00, 0xff00ff0, 0xffffffffff00ff00, 0x5a5a5a5af0f0f0f0
  AMO  26, amoxor.w.rl, 0x5a5a5a5a80000001, 0xffffffff, 0xffffffff80000001, 0x5a5a5a5a7ffffffe
  AMO  27, amoand.w.aqrl, 0x5a5a5a5aff00ff00, 0xff00ff0, 0xffffffffff00ff00, 0x5a5a5a5a0f000f00
  AMO  28, amoand.w, 0x5a5a5a5affffffff, 0x80000001, 0xffffffffffffffff, 0x5a5a5a5a80000001
  AMO  29, amoor.w.aq, 0x5a5a5a5aff00ff00, 0xff00ff0, 0xffffffffff00ff00, 0x5a5a5a5afff0fff0
  AMO  30, amoor.w.rl, 0x5a5a5a5a00000000, 0x80000000, 0x0, 0x5a5a5a5a80000000
  AMO  31, amomin.w.aqrl, 0x5a5a5a5a80000000, 0x1, 0xffffffff80000000, 0x5a5a5a5a80000000
  AMO  32, amomin.w, 0x5a5a5a5a00000005, 0xffffffff, 0x5, 0x5a5a5a5affffffff
  AMO  33, amomin.w.aq, 0x5a5a5a5a00000005, 0x1fffffff0, 0x5, 0x5a5a5a5afffffff0
  AMO  34, amomin.w.rl, 0x5a5a5a5a00000007, 0xabcdef0000000003, 0x7, 0x5a5a5a5a00000003
  AMO  35, amomax.w.aqrl, 0x5a5a5a5a80000000, 0x1, 0xffffffff80000000, 0x5a5a5a5a00000001
  AMO  36, amomax.w, 0x5a5a5a5a00000005, 0xffffffff, 0x5, 0x5a5a5a5a00000005
  AMO  37, amomax.w.aq, 0x5a5a5a5a7fffffff, 0x80000000, 0x7fffffff, 0x5a5a5a5a7fffffff
  AMO  38, amominu.w.rl, 0x5a5a5a5a80000000, 0x1, 0xffffffff80000000, 0x5a5a5a5a00000001
  AMO  39, amominu.w.aqrl, 0x5a5a5a5a00000005, 0xffffffff, 0x5, 0x5a5a5a5a00000005
  AMO  40, amominu.w, 0x5a5a5a5affffffff, 0xfffffffe, 0xffffffffffffffff, 0x5a5a5a5afffffffe
  AMO  41, amomaxu.w.aq, 0x5a5a5a5a80000000, 0x1, 0xffffffff80000000, 0x5a5a5a5a80000000
  AMO  42, amomaxu.w.rl, 0x5a5a5a5a00000005, 0xffffffff, 0x5, 0x5a5a5a5affffffff
  AMO  43, amomaxu.w.aqrl, 0x5a5a5a5a7fffffff, 0x80000000, 0x7fffffff, 0x5a5a5a5a80000000
  AMO  44, amoswap.d, 0x8000000000000000, 0x123456789abcdef0, 0x8000000000000000, 0x123456789abcdef0
  AMO  45, amoadd.d.aq, 0x7fffffffffffffff, 0x1, 0x7fffffffffffffff, 0x8000000000000000
  AMO  46, amoadd.d.rl, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x0
  AMO  47, amoadd.d.aqrl, 0xffffffff, 0x1, 0xffffffff, 0x100000000
  AMO  48, amoxor.d, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0
  AMO  49, amoand.d.aq, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf000f000f000f00
  AMO  50, amoor.d.rl, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0
  AMO  51, amomin.d.aqrl, 0x8000000000000000, 0x1, 0x8000000000000000, 0x8000000000000000
  AMO  52, amomin.d, 0x5, 0xffffffffffffffff, 0x5, 0xffffffffffffffff
  AMO  53, amomin.d.aq, 0x80000000, 0x1, 0x80000000, 0x1
  AMO  54, amomax.d.rl, 0x8000000000000000, 0x1, 0x8000000000000000, 0x1
  AMO  55, amomax.d.aqrl, 0x5, 0xffffffffffffffff, 0x5, 0x5
  AMO  56, amomax.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff
  AMO  57, amominu.d.aq, 0x8000000000000000, 0x1, 0x8000000000000000, 0x1
  AMO  58, amominu.d.rl, 0x5, 0xffffffffffffffff, 0x5, 0x5
  AMO  59, amominu.d.aqrl, 0x80000000, 0x7fffffff, 0x80000000, 0x7fffffff
  AMO  60, amomaxu.d, 0x8000000000000000, 0x1, 0x8000000000000000, 0x8000000000000000
  AMO  61, amomaxu.d.aq, 0x5, 0xffffffffffffffff, 0x5, 0xffffffffffffffff
  AMO  62, amomaxu.d.rl, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000

  /* rd = x0: the memory update still happens */
  TEST 63
  la a1, amo_buf
  li a0, 10
  sd a0, 0(a1)
  li a3, 5
  amoadd.d x0, a3, (a1)
  ld a0, 0(a1)
  EXPECT a0, 15
  EXPECT x0, 0
  TEST 64
  amoswap.w x0, zero, (a1)
  ld a0, 0(a1)
  EXPECT a0, 0
  /* rd = rs2: rd gets the old value, memory the operand */
  TEST 65
  li a0, 100
  sd a0, 0(a1)
  li a3, 7
  amoswap.d a3, a3, (a1)
  EXPECT a3, 100
  ld a0, 0(a1)
  EXPECT a0, 7
  TEST 66
  li a3, 3
  amoadd.w a3, a3, (a1)
  EXPECT a3, 7
  ld a0, 0(a1)
  EXPECT a0, 10
  /* AMO on the upper word of a doubleword */
  TEST 67
  li a0, 0x0000000500000009
  sd a0, 0(a1)
  addi a5, a1, 4
  li a3, -1
  amoadd.w a4, a3, (a5)
  EXPECT a4, 5
  ld a0, 0(a1)
  EXPECT a0, 0x0000000400000009

  /* misaligned LR: load address misaligned, mtval = the address */
  TEST 68
  la a1, amo_buf
  addi a5, a1, 2
  la s7, 1f
  lr.w a0, (a5)
  j fail
1:
  EXPECT s8, CAUSE_MISALIGNED_LOAD
  EXPECT_REG s10, a5
  TEST 69
  addi a5, a1, 4
  la s7, 1f
  lr.d a0, (a5)
  j fail
1:
  EXPECT s8, CAUSE_MISALIGNED_LOAD
  EXPECT_REG s10, a5
  /* misaligned AMOs trap (cause 6, or 4 as QEMU 7.2 reports it), mtval = address,
   * memory and rd unchanged */
.macro AMO_MISALIGNED n, insn, off
  TEST \n
  la a1, amo_buf
  li a0, 0x1122334455667788
  sd a0, 0(a1)
  sd a0, 8(a1)
  addi a5, a1, \off
  li a4, 0x1234
  li s8, -1
  la s7, .Lafter\@
  \insn a4, a0, (a5)
  j fail
.Lafter\@:
  li t5, CAUSE_MISALIGNED_LOAD
  beq s8, t5, .Lcause_ok\@
  EXPECT s8, CAUSE_MISALIGNED_STORE
.Lcause_ok\@:
  EXPECT_REG s10, a5
  EXPECT a4, 0x1234
  ld a0, 0(a1)
  EXPECT a0, 0x1122334455667788
  ld a0, 8(a1)
  EXPECT a0, 0x1122334455667788
.endm
  AMO_MISALIGNED 70, amoadd.w, 2
  AMO_MISALIGNED 71, amoswap.w, 1
  AMO_MISALIGNED 72, amoor.d, 4
  AMO_MISALIGNED 73, amomaxu.d.aqrl, 6
  AMO_MISALIGNED 74, amoxor.w.aq, 3
  AMO_MISALIGNED 75, amominu.d, 1

  /* LR / AMO where nothing is mapped: access faults with mtval = the address */
  TRAPS 76, CAUSE_LOAD_ACCESS, lr.d a0, (zero)
  EXPECT s10, 0
  /* (an AMO fault is a store/AMO fault, cause 7; QEMU 7.2 reports cause 5, load
   * access fault: either is accepted) */
.macro AMO_ACCESS n, insn, addr
  TEST \n
  li a5, \addr
  li s8, -1
  la s7, .Lafter\@
  \insn a0, a0, (a5)
  j fail
.Lafter\@:
  li t5, CAUSE_LOAD_ACCESS
  beq s8, t5, .Lcause_ok\@
  EXPECT s8, CAUSE_STORE_ACCESS
.Lcause_ok\@:
  EXPECT s10, \addr
.endm
  AMO_ACCESS 77, amoadd.d, 8
  AMO_ACCESS 78, amoswap.w, 16
  AMO_ACCESS 79, amoand.d.aqrl, 24

  PASS
