/* rv32a.S — the A extension on RV32: lr.w / sc.w and every AMO (.w only), with the
 * aq / rl / aqrl ordering bits. SC writes 0 on success and 1 on failure; it fails
 * without a reservation, at an address other than the reserved one (128 bytes away),
 * and a second SC fails because SC (success or not) clears the reservation. AMOs
 * return the old 32-bit word, leave the neighbouring words alone, and compare signed
 * (min / max: 0x80000000 is the smallest) or unsigned (minu / maxu: it is large).
 * Misaligned LR / SC / AMOs and AMOs where nothing is mapped fault, with mtval = the
 * address. Every .d form (lr.d sc.d amo*.d) is RV64-only: illegal, mtval = the bits.
 *
 * QEMU 7.2 deviations (EXPECT_SPEC, see test.h): a misaligned AMO is a store/AMO
 * address-misaligned exception (cause 6) by the privileged spec, QEMU reports cause 4
 * (load address misaligned); an AMO to an address with nothing behind it is a store/AMO
 * access fault (7), QEMU reports 5 (load access fault); a misaligned sc.w must trap
 * (address-misaligned, 6), QEMU fails it (rd = 1) without trapping when the address is
 * not the reserved one, which a misaligned address never is. */
#include "test.h"

  .data
  .balign 256
res:   .word 0, 0, 0, 0, 0, 0, 0, 0
       .fill 24, 4, 0
other: .word 0, 0
guard_lo: .word 0x11111111
amo_buf:  .word 0
guard_hi: .word 0x22222222

  .text

/* AMO n, insn, memory, operand, new — check n: with the word at amo_buf holding memory,
 * `insn a0, operand, (amo_buf)` returns memory (the old value) and leaves new there; the
 * operand register and the words on either side are unchanged. */
.macro AMO n, insn, mem, op, new
  TEST \n
  la a1, amo_buf
  li a2, \mem
  sw a2, 0(a1)
  li a3, \op
  \insn a0, a3, (a1)
  EXPECT a0, \mem
  EXPECT a3, \op
  lw a4, 0(a1)
  EXPECT a4, \new
  lw a4, -4(a1)
  EXPECT a4, 0x11111111
  lw a4, 4(a1)
  EXPECT a4, 0x22222222
.endm

  .globl main
main:
  /* lr.w reads the word; sc.w succeeds right after it */
  TEST 1
  la a1, res
  li a2, 0x80000000
  sw a2, 0(a1)
  lr.w a0, (a1)
  EXPECT a0, 0x80000000
  TEST 2
  li a3, 0x12345678
  sc.w a4, a3, (a1)
  EXPECT a4, 0
  lw a0, 0(a1)
  EXPECT a0, 0x12345678
  lw a0, 4(a1)
  EXPECT a0, 0
  /* sc.w again: the reservation is gone, nothing is stored, rd = 1 */
  TEST 3
  li a3, 0x55
  sc.w a4, a3, (a1)
  EXPECT a4, 1
  lw a0, 0(a1)
  EXPECT a0, 0x12345678
  /* sc.w with no lr at all fails */
  TEST 4
  addi a5, a1, 8
  sc.w a4, a3, (a5)
  EXPECT a4, 1
  lw a0, 8(a1)
  EXPECT a0, 0
  /* sc to an address other than the reserved one fails and stores nothing... */
  TEST 5
  la a1, res
  la a2, other
  li a3, 0x77
  sw zero, 0(a2)
  lr.w a0, (a1)
  sc.w a4, a3, (a2)
  EXPECT a4, 1
  lw a0, 0(a2)
  EXPECT a0, 0
  /* ...and the failed sc cleared the reservation too */
  TEST 6
  sc.w a4, a3, (a1)
  EXPECT a4, 1
  /* a newer lr moves the reservation */
  TEST 7
  lr.w a0, (a1)
  lr.w a0, (a2)
  sc.w a4, a3, (a2)
  EXPECT a4, 0
  lw a0, 0(a2)
  EXPECT a0, 0x77
  /* ordering bits change nothing visible on one hart */
  TEST 8
  li a3, 0xabc
  lr.w.aq a0, (a1)
  sc.w.rl a4, a3, (a1)
  EXPECT a4, 0
  lw a0, 0(a1)
  EXPECT a0, 0xabc
  TEST 9
  li a3, -5
  lr.w.aqrl a0, (a1)
  sc.w.aqrl a4, a3, (a1)
  EXPECT a4, 0
  lw a0, 0(a1)
  EXPECT a0, -5
  /* an LR/SC retry loop: atomic increment across 0x7fffffff */
  TEST 10
  la a1, res
  li a0, 0x7ffffffe
  sw a0, 0(a1)
  li a5, 3
1:
  lr.w a0, (a1)
  addi a0, a0, 1
  sc.w a4, a0, (a1)
  bnez a4, 1b
  addi a5, a5, -1
  bnez a5, 1b
  lw a0, 0(a1)
  EXPECT a0, 0x80000001
  /* sc with rd = the data register: rd gets the status, memory the old register */
  TEST 11
  li a3, 0x99
  lr.w a0, (a1)
  sc.w a3, a3, (a1)
  EXPECT a3, 0
  lw a0, 0(a1)
  EXPECT a0, 0x99
  /* lr into x0 still reserves */
  TEST 12
  lr.w x0, (a1)
  li a3, 0x17
  sc.w a4, a3, (a1)
  EXPECT a4, 0
  EXPECT x0, 0
  lw a0, 0(a1)
  EXPECT a0, 0x17
  /* an ordinary store elsewhere between lr and sc: the sc still succeeds */
  TEST 13
  lr.w a0, (a1)
  sw zero, 0(a2)
  sc.w a4, a3, (a1)
  EXPECT a4, 0
  /* sc.w to the reserved word after an lr of the same word through another register */
  TEST 14
  mv a5, a1
  lr.w a0, (a1)
  li a3, 0x14
  sc.w a4, a3, (a5)
  EXPECT a4, 0
  lw a0, 0(a1)
  EXPECT a0, 0x14

  /* every AMO: old value returned, new value stored, neighbours untouched */
  AMO  20, amoswap.w, 0x12345678, 0x9abcdef0, 0x9abcdef0
  AMO  21, amoswap.w.aq, 0xffffffff, 0x00000000, 0x00000000
  AMO  22, amoadd.w.rl, 0x7fffffff, 0x00000001, 0x80000000
  AMO  23, amoadd.w.aqrl, 0xffffffff, 0x00000001, 0x00000000
  AMO  24, amoadd.w, 0x80000000, 0x80000000, 0x00000000
  AMO  25, amoadd.w.aq, 0x00000005, 0xfffffffd, 0x00000002
  AMO  26, amoxor.w.rl, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0
  AMO  27, amoxor.w.aqrl, 0xffffffff, 0x80000000, 0x7fffffff
  AMO  28, amoand.w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00
  AMO  29, amoand.w.aq, 0x80000001, 0xffffffff, 0x80000001
  AMO  30, amoor.w.rl, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0
  AMO  31, amoor.w.aqrl, 0x00000000, 0x80000000, 0x80000000
  AMO  32, amomin.w, 0x00000005, 0x00000007, 0x00000005
  AMO  33, amomin.w.aq, 0x00000007, 0x00000005, 0x00000005
  AMO  34, amomin.w.rl, 0x80000000, 0x7fffffff, 0x80000000
  AMO  35, amomin.w.aqrl, 0xffffffff, 0x00000001, 0xffffffff
  AMO  36, amomin.w, 0x00000001, 0xffffffff, 0xffffffff
  AMO  37, amomax.w.aq, 0x00000005, 0x00000007, 0x00000007
  AMO  38, amomax.w.rl, 0x80000000, 0x7fffffff, 0x7fffffff
  AMO  39, amomax.w.aqrl, 0xffffffff, 0x00000001, 0x00000001
  AMO  40, amomax.w, 0x80000000, 0x80000001, 0x80000001
  AMO  41, amominu.w.aq, 0x00000005, 0x00000007, 0x00000005
  AMO  42, amominu.w.rl, 0x80000000, 0x7fffffff, 0x7fffffff
  AMO  43, amominu.w.aqrl, 0xffffffff, 0x00000001, 0x00000001
  AMO  44, amominu.w, 0x00000000, 0xffffffff, 0x00000000
  AMO  45, amomaxu.w.aq, 0x00000005, 0x00000007, 0x00000007
  AMO  46, amomaxu.w.rl, 0x80000000, 0x7fffffff, 0x80000000
  AMO  47, amomaxu.w.aqrl, 0xffffffff, 0x00000001, 0xffffffff
  AMO  48, amomaxu.w, 0x7fffffff, 0xffffffff, 0xffffffff

  /* rd = x0: the memory update still happens */
  TEST 60
  la a1, amo_buf
  li a0, 10
  sw a0, 0(a1)
  li a3, 5
  amoadd.w x0, a3, (a1)
  lw a0, 0(a1)
  EXPECT a0, 15
  EXPECT x0, 0
  TEST 61
  amoswap.w x0, zero, (a1)
  lw a0, 0(a1)
  EXPECT a0, 0
  /* rd = rs2: rd gets the old value, memory the operand */
  TEST 62
  li a0, 100
  sw a0, 0(a1)
  li a3, 7
  amoswap.w a3, a3, (a1)
  EXPECT a3, 100
  lw a0, 0(a1)
  EXPECT a0, 7
  TEST 63
  li a3, 3
  amoadd.w a3, a3, (a1)
  EXPECT a3, 7
  lw a0, 0(a1)
  EXPECT a0, 10
  /* an AMO between lr and sc to another word leaves the reservation alone or breaks
   * it (either is allowed); the sc then reports honestly what it did */
  TEST 64
  la a2, res
  sw zero, 0(a2)
  lr.w a0, (a2)
  amoadd.w a0, a3, (a1)
  li a3, 0x64
  sc.w a4, a3, (a2)
  lw a0, 0(a2)
  beqz a4, 1f
  EXPECT a0, 0                   /* failed: nothing stored */
  j 2f
1:
  EXPECT a0, 0x64                /* succeeded: stored */
2:

  /* misaligned LR / SC / AMO: address-misaligned, mtval = the address */
  TEST 65
  la a1, amo_buf
  addi a5, a1, 2
  la s7, 1f
  lr.w a0, (a5)
  j fail
1:
  EXPECT s8, CAUSE_MISALIGNED_LOAD
  EXPECT_REG s10, a5
  TEST 66
  addi a5, a1, 1
  li a0, 0x5a
  li s8, -1
  la s7, 1f
  sc.w a0, a0, (a5)
#ifndef ISA_STRICT
  /* QEMU 7.2 compares the address with the reservation first and fails the sc
   * (rd = 1) without a trap; the A extension says a misaligned LR / SC raises an
   * address-misaligned or access-fault exception */
  li s7, 0
  EXPECT a0, 1
  j 2f
#endif
  j fail
1:
  EXPECT s8, CAUSE_MISALIGNED_STORE
  EXPECT_REG s10, a5
2:
  TEST 67
  addi a5, a1, 2
  la s7, 1f
  amoadd.w a0, a0, (a5)
  j fail
1:
  EXPECT_SPEC s8, CAUSE_MISALIGNED_STORE, CAUSE_MISALIGNED_LOAD   /* QEMU 7.2: 4 */
  EXPECT_REG s10, a5
  TEST 68
  addi a5, a1, 3
  la s7, 1f
  amoswap.w.aqrl a0, a0, (a5)
  j fail
1:
  EXPECT_SPEC s8, CAUSE_MISALIGNED_STORE, CAUSE_MISALIGNED_LOAD   /* QEMU 7.2: 4 */
  EXPECT_REG s10, a5
  TEST 69                        /* memory unchanged by the faulting AMOs (17 since
                                    check 64) */
  lw a0, 0(a1)
  EXPECT a0, 17
  /* nothing at physical address 0x10: access faults */
  TEST 70
  li a5, 0x10
  la s7, 1f
  lr.w a0, (a5)
  j fail
1:
  EXPECT s8, CAUSE_LOAD_ACCESS
  EXPECT s10, 0x10
  TEST 71
  la s7, 1f
  amoor.w a0, a0, (a5)
  j fail
1:
  EXPECT_SPEC s8, CAUSE_STORE_ACCESS, CAUSE_LOAD_ACCESS           /* QEMU 7.2: 5 */
  EXPECT s10, 0x10

  /* the .d forms are RV64-only: illegal, rd and memory unchanged */
.macro GONE n, word
  li a0, 0x5a5a5a5a
  la a1, amo_buf
  li a2, 0x600d
  sw a2, 0(a1)
  ILLEGAL \n, \word
  EXPECT a0, 0x5a5a5a5a
  lw a2, 0(a1)
  EXPECT a2, 0x600d
.endm
  GONE 72, 0x1005b52f            /* lr.d a0, (a1) */
  GONE 73, 0x18c5b52f            /* sc.d a0, a2, (a1) */
  GONE 74, 0x08c5b52f            /* amoswap.d */
  GONE 75, 0x00c5b52f            /* amoadd.d */
  GONE 76, 0x20c5b52f            /* amoxor.d */
  GONE 77, 0x60c5b52f            /* amoand.d */
  GONE 78, 0x40c5b52f            /* amoor.d */
  GONE 79, 0x80c5b52f            /* amomin.d */
  GONE 80, 0xa0c5b52f            /* amomax.d */
  GONE 81, 0xc0c5b52f            /* amominu.d */
  GONE 82, 0xe6c5b52f            /* amomaxu.d.aqrl */
  /* and encodings no width has: lr.w with rs2 != 0, an unused funct5, funct3 = 1 */
  GONE 83, 0x1025a52f            /* lr.w with rs2 = 2 */
  GONE 84, 0x28c5a52f            /* funct5 = 00101 */
  GONE 85, 0x00c5952f            /* amoadd with funct3 = 1 */

  PASS
