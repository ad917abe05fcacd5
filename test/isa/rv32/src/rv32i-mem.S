/* rv32i-mem.S — RV32I loads and stores: lb lh lw lbu lhu sb sh sw. Sign and zero
 * extension to 32 bits, positive / negative / extreme offsets, rd = rs1, x0 as
 * destination and store source, stores touching only their bytes (sw of a register
 * writes exactly 4 bytes), misaligned accesses (QEMU 7.2 performs misaligned loads and
 * stores to RAM without trapping, also across a page boundary; so must Lantern), and
 * access faults with mtval = the 32-bit address, including an address that wraps
 * around 2^32 (base 16, offset -32: 0xfffffff0). ld / sd / lwu are in rv32i-illegal.S. */
#include "test.h"

  .data
  .balign 16
w0: .word 0x89abcdef, 0x01234567     /* bytes: ef cd ab 89 67 45 23 01 */
w1: .word 0x76543210, 0xfedcba98     /* bytes: 10 32 54 76 98 ba dc fe */
w2: .word 0x7fffffff, 0x80000000     /* bytes: ff ff ff 7f 00 00 00 80 */
w3: .word 0x55667788, 0x11223344
dst: .word 0, 0, 0, 0

  .section .bss
  .balign 4096
pages: .skip 8192                    /* two pages, for accesses across the boundary */

  .text

/* LOAD n, insn, result, base, offset — check n: insn a0, offset(base) gives result. */
.macro LOAD n, insn, res, base, off
  TEST \n
  la a1, \base
  \insn a0, \off(a1)
  EXPECT a0, \res
.endm

/* STORE n, insn, value, offset, res0, res1 — check n: dst cleared, insn value at
 * dst+offset, then dst's first two words read res0 and res1, the third stays 0. */
.macro STORE n, insn, value, off, res0, res1
  TEST \n
  la a1, dst
  sw zero, 0(a1)
  sw zero, 4(a1)
  sw zero, 8(a1)
  li a2, \value
  \insn a2, \off(a1)
  lw a0, 0(a1)
  EXPECT a0, \res0
  lw a0, 4(a1)
  EXPECT a0, \res1
  lw a0, 8(a1)
  EXPECT a0, 0
.endm

  .globl main
main:
  /* lb: sign-extends to 32 bits */
  LOAD   1, lb, 0xffffffef, w0, 0
  LOAD   2, lb, 0xffffffcd, w0, 1
  LOAD   3, lb, 0x01, w0, 7
  LOAD   4, lb, 0x7f, w2, 3
  LOAD   5, lb, 0xffffff80, w2, 7
  LOAD   6, lb, 0x01, w1, -1
  /* lbu: zero-extends */
  LOAD   7, lbu, 0xef, w0, 0
  LOAD   8, lbu, 0x80, w2, 7
  LOAD   9, lbu, 0xfe, w2, -1
  /* lh / lhu */
  LOAD  10, lh, 0xffffcdef, w0, 0
  LOAD  11, lh, 0x0123, w0, 6
  LOAD  12, lh, 0x7fff, w2, 2
  LOAD  13, lh, 0xffff8000, w2, 6
  LOAD  14, lh, 0xfffffedc, w2, -2
  LOAD  15, lhu, 0xcdef, w0, 0
  LOAD  16, lhu, 0x8000, w2, 6
  LOAD  17, lhu, 0xfedc, w2, -2
  /* lw: all 32 bits, no extension to speak of */
  LOAD  18, lw, 0x89abcdef, w0, 0
  LOAD  19, lw, 0x01234567, w0, 4
  LOAD  20, lw, 0x7fffffff, w2, 0
  LOAD  21, lw, 0x80000000, w2, 4
  LOAD  22, lw, 0xfedcba98, w2, -4
  TEST 23                        /* lw of 0x80000000 is negative: bit 31 is the sign */
  la a1, w2
  lw a0, 4(a1)
  bgez a0, fail
  srai a0, a0, 31
  EXPECT a0, -1

  /* the 12-bit offset reaches -2048 and +2047 */
  TEST 24
  la a1, w1
  addi a1, a1, 2047
  addi a1, a1, 1
  lw a0, -2048(a1)
  EXPECT a0, 0x76543210
  TEST 25
  la a1, w1
  addi a1, a1, -2047
  lw a0, 2047(a1)
  EXPECT a0, 0x76543210
  /* rd = rs1 */
  TEST 26
  la a0, w3
  lw a0, 0(a0)
  EXPECT a0, 0x55667788
  /* a load into x0 is performed but the value dropped */
  TEST 27
  la a1, w0
  lw x0, 0(a1)
  lb x0, 1(a1)
  lhu x0, 2(a1)
  EXPECT x0, 0

  /* stores write only their own bytes (the value's low bits) */
  STORE 28, sb, 0xabcdef, 0, 0xef, 0
  STORE 29, sb, 0x1ef, 1, 0xef00, 0
  STORE 30, sb, -1, 7, 0, 0xff000000
  STORE 31, sh, 0x1234beef, 2, 0xbeef0000, 0
  STORE 32, sh, -1, 0, 0xffff, 0
  STORE 33, sh, 0x8001, 6, 0, 0x80010000
  STORE 34, sw, 0x12345678, 4, 0, 0x12345678
  STORE 35, sw, -1, 0, 0xffffffff, 0
  STORE 36, sw, 0x80000000, 0, 0x80000000, 0

  /* negative and extreme offsets of stores */
  TEST 37
  la a1, dst
  sw zero, 0(a1)
  addi a2, a1, 8
  li a0, 0x5a
  sb a0, -8(a2)
  lw a3, 0(a1)
  EXPECT a3, 0x5a
  TEST 38
  la a1, dst
  addi a2, a1, -2047
  li a0, 0x55667788
  sw a0, 2047(a2)
  lw a3, 0(a1)
  EXPECT a3, 0x55667788
  TEST 39
  la a1, dst
  addi a2, a1, 2047
  addi a2, a2, 1
  li a0, 0x7766
  sh a0, -2048(a2)
  lhu a3, 0(a1)
  EXPECT a3, 0x7766
  /* storing x0 stores zeros */
  TEST 40
  la a1, dst
  li a0, -1
  sw a0, 0(a1)
  sw a0, 4(a1)
  sb x0, 0(a1)
  sh x0, 2(a1)
  sw x0, 4(a1)
  lw a3, 0(a1)
  EXPECT a3, 0x0000ff00
  lw a3, 4(a1)
  EXPECT a3, 0
  /* store then load back each width, with sign extension on the way in */
  TEST 41
  la a1, dst
  li a0, 0x80
  sb a0, 3(a1)
  lb a3, 3(a1)
  EXPECT a3, 0xffffff80
  lbu a3, 3(a1)
  EXPECT a3, 0x80
  TEST 42
  li a0, 0xfffe
  sh a0, 4(a1)
  lh a3, 4(a1)
  EXPECT a3, -2
  lhu a3, 4(a1)
  EXPECT a3, 0xfffe

  /* misaligned loads (performed by QEMU 7.2, no trap) */
  LOAD  43, lh, 0xffffabcd, w0, 1
  LOAD  44, lhu, 0x1001, w0, 7         /* spans w0 and w1 */
  LOAD  45, lw, 0x6789abcd, w0, 1
  LOAD  46, lw, 0x10012345, w0, 5
  LOAD  47, lw, 0x456789ab, w0, 2
  LOAD  48, lw, 0x007fffff, w2, 1
  LOAD  49, lw, 0x0000007f, w2, 3
  LOAD  50, lh, 0xffffffff, w2, 1
  /* misaligned stores */
  TEST 51
  la a1, dst
  sw zero, 0(a1)
  sw zero, 4(a1)
  li a0, 0xaabbccdd
  sw a0, 3(a1)
  lw a3, 0(a1)
  EXPECT a3, 0xdd000000
  lw a3, 4(a1)
  EXPECT a3, 0x00aabbcc
  TEST 52
  li a0, 0xeeff
  sh a0, 5(a1)
  lw a3, 4(a1)
  EXPECT a3, 0x00eeffcc
  TEST 53
  li a0, 0x11223344
  sw a0, 1(a1)
  lw a3, 0(a1)
  EXPECT a3, 0x22334400
  lw a3, 4(a1)
  EXPECT a3, 0x00eeff11
  /* misaligned accesses across a page boundary */
  TEST 54
  la a1, pages
  li t0, 4096
  add a1, a1, t0
  li a0, 0x04030201
  sw a0, -3(a1)
  lw a3, -3(a1)
  EXPECT a3, 0x04030201
  lh a3, -2(a1)
  EXPECT a3, 0x0302
  lbu a3, -1(a1)
  EXPECT a3, 0x03
  lbu a3, 0(a1)
  EXPECT a3, 0x04
  lhu a3, -1(a1)
  EXPECT a3, 0x0403

  /* access faults: nothing is mapped at physical address 0 (mtval = the address) */
  TRAPS 55, CAUSE_LOAD_ACCESS, lw a0, 0(zero)
  EXPECT s10, 0
  TRAPS 56, CAUSE_LOAD_ACCESS, lbu a0, 16(zero)
  EXPECT s10, 16
  TRAPS 57, CAUSE_STORE_ACCESS, sw a0, 8(zero)
  EXPECT s10, 8
  TRAPS 58, CAUSE_STORE_ACCESS, sb a0, 1(zero)
  EXPECT s10, 1
  /* the effective address wraps around 2^32 */
  TEST 59
  li a1, 16
  li s8, -1
  la s7, 1f
2:
  lw a0, -32(a1)
  j fail
1:
  EXPECT_TRAP CAUSE_LOAD_ACCESS, 2b
  EXPECT s10, 0xfffffff0
  TEST 60
  li a1, 0xfffffff0
  la s7, 1f
2:
  sh a0, 0x20(a1)
  j fail
1:
  EXPECT_TRAP CAUSE_STORE_ACCESS, 2b
  EXPECT s10, 0x10
  /* a faulting load leaves its destination unchanged */
  TEST 61
  li a0, 0x1234
  la s7, 1f
  lw a0, 0(zero)
  j fail
1:
  EXPECT a0, 0x1234
  /* the top of the 32-bit space: nothing there */
  TRAPS 62, CAUSE_LOAD_ACCESS, lw a0, -4(zero)
  EXPECT s10, 0xfffffffc

  PASS
