/* rv64i-mem.S — RV64I loads and stores: lb lh lw ld lbu lhu lwu sb sh sw sd.
 * Sign and zero extension of every load width, positive / negative / extreme
 * offsets, rd = rs1, x0 as destination and store source, stores touching only their
 * bytes, and misaligned accesses (QEMU 7.2 performs misaligned loads and stores to
 * RAM without trapping, also across a page boundary; so must Lantern), and access
 * faults (mtval = the address) for loads and stores where nothing is mapped. */
#include "test.h"

  .data
  .balign 16
d0: .dword 0x0123456789abcdef        /* bytes: ef cd ab 89 67 45 23 01 */
d1: .dword 0xfedcba9876543210        /* bytes: 10 32 54 76 98 ba dc fe */
d2: .dword 0x800000007fffffff        /* bytes: ff ff ff 7f 00 00 00 80 */
d3: .dword 0x1122334455667788
dst: .dword 0, 0, 0, 0

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

/* STORE n, insn, value, offset, result — check n: dst cleared, insn value at
 * dst+offset, dst's first doubleword then reads result and the next stays 0. */
.macro STORE n, insn, value, off, res
  TEST \n
  la a1, dst
  sd zero, 0(a1)
  sd zero, 8(a1)
  li a2, \value
  \insn a2, \off(a1)
  ld a0, 0(a1)
  EXPECT a0, \res
  ld a0, 8(a1)
  EXPECT a0, 0
.endm

  .globl main
main:
  /* lb: sign-extends */
  LOAD   1, lb, 0xffffffffffffffef, d0, 0
  LOAD   2, lb, 0xffffffffffffffcd, d0, 1
  LOAD   3, lb, 0x01, d0, 7
  LOAD   4, lb, 0x10, d1, 0
  LOAD   5, lb, 0x7f, d2, 3
  LOAD   6, lb, 0xffffffffffffff80, d2, 7
  LOAD   7, lb, 0x01, d1, -1
  /* lbu: zero-extends */
  LOAD   8, lbu, 0xef, d0, 0
  LOAD   9, lbu, 0x80, d2, 7
  LOAD  10, lbu, 0xfe, d2, -1
  LOAD  11, lbu, 0x7f, d2, 3
  /* lh / lhu */
  LOAD  12, lh, 0xffffffffffffcdef, d0, 0
  LOAD  13, lh, 0x0123, d0, 6
  LOAD  14, lh, 0x7fff, d2, 2
  LOAD  15, lh, 0xffffffffffff8000, d2, 6
  LOAD  16, lh, 0xfffffffffffffedc, d2, -2
  LOAD  17, lhu, 0xcdef, d0, 0
  LOAD  18, lhu, 0x8000, d2, 6
  LOAD  19, lhu, 0x3210, d1, 0
  LOAD  20, lhu, 0xfedc, d2, -2
  /* lw / lwu */
  LOAD  21, lw, 0xffffffff89abcdef, d0, 0
  LOAD  22, lw, 0x01234567, d0, 4
  LOAD  23, lw, 0x7fffffff, d2, 0
  LOAD  24, lw, 0xffffffff80000000, d2, 4
  LOAD  25, lw, 0xfffffffffedcba98, d2, -4
  LOAD  26, lwu, 0x89abcdef, d0, 0
  LOAD  27, lwu, 0x80000000, d2, 4
  LOAD  28, lwu, 0x76543210, d1, 0
  LOAD  29, lwu, 0xfedcba98, d2, -4
  /* ld */
  LOAD  30, ld, 0x0123456789abcdef, d0, 0
  LOAD  31, ld, 0xfedcba9876543210, d1, 0
  LOAD  32, ld, 0x0123456789abcdef, d1, -8
  LOAD  33, ld, 0x1122334455667788, d1, 16

  /* the 12-bit offset reaches -2048 and +2047 */
  TEST 34
  la a1, d1
  addi a1, a1, 2047
  addi a1, a1, 1
  ld a0, -2048(a1)
  EXPECT a0, 0xfedcba9876543210
  TEST 35
  la a1, d1
  addi a1, a1, -2047
  ld a0, 2047(a1)
  EXPECT a0, 0xfedcba9876543210
  /* rd = rs1 */
  TEST 36
  la a0, d3
  ld a0, 0(a0)
  EXPECT a0, 0x1122334455667788
  TEST 37
  la a0, d2
  lw a0, 4(a0)
  EXPECT a0, 0xffffffff80000000
  /* a load into x0 is performed but the value dropped */
  TEST 38
  la a1, d0
  ld x0, 0(a1)
  lb x0, 1(a1)
  lhu x0, 2(a1)
  lwu x0, 4(a1)
  EXPECT x0, 0

  /* stores write only their own bytes (the value's low bits) */
  STORE 39, sb, 0xabcdef, 0, 0xef
  STORE 40, sb, 0x1ef, 1, 0xef00
  STORE 41, sb, -1, 7, 0xff00000000000000
  STORE 42, sh, 0x1234beef, 2, 0xbeef0000
  STORE 43, sh, -1, 0, 0xffff
  STORE 44, sh, 0x8001, 6, 0x8001000000000000
  STORE 45, sw, 0x9abcdef012345678, 4, 0x1234567800000000
  STORE 46, sw, -1, 0, 0xffffffff
  STORE 47, sw, 0x80000000, 0, 0x80000000
  STORE 48, sd, 0x0123456789abcdef, 0, 0x0123456789abcdef
  STORE 49, sd, -1, 0, -1

  /* negative and extreme offsets of stores */
  TEST 50
  la a1, dst
  sd zero, 0(a1)
  addi a2, a1, 8
  li a0, 0x5a
  sb a0, -8(a2)
  ld a3, 0(a1)
  EXPECT a3, 0x5a
  TEST 51
  la a1, dst
  addi a2, a1, -2047
  li a0, 0x55667788
  sw a0, 2047(a2)
  lwu a3, 0(a1)
  EXPECT a3, 0x55667788
  TEST 52
  la a1, dst
  addi a2, a1, 2047
  addi a2, a2, 1
  li a0, 0x7766
  sh a0, -2048(a2)
  lhu a3, 0(a1)
  EXPECT a3, 0x7766
  /* storing x0 stores zeros */
  TEST 53
  la a1, dst
  li a0, -1
  sd a0, 0(a1)
  sb x0, 0(a1)
  sh x0, 2(a1)
  sw x0, 4(a1)
  ld a3, 0(a1)
  EXPECT a3, 0x0000000000ff00
  TEST 54
  sd x0, 0(a1)
  ld a3, 0(a1)
  EXPECT a3, 0
  /* store then load back each width, with sign extension on the way in */
  TEST 55
  la a1, dst
  li a0, 0x80
  sb a0, 3(a1)
  lb a3, 3(a1)
  EXPECT a3, 0xffffffffffffff80
  lbu a3, 3(a1)
  EXPECT a3, 0x80
  TEST 56
  li a0, 0xfffe
  sh a0, 4(a1)
  lh a3, 4(a1)
  EXPECT a3, -2
  lhu a3, 4(a1)
  EXPECT a3, 0xfffe
  TEST 57
  li a0, 0xfffffffd
  sw a0, 8(a1)
  lw a3, 8(a1)
  EXPECT a3, -3
  lwu a3, 8(a1)
  EXPECT a3, 0xfffffffd

  /* misaligned loads (performed by QEMU 7.2, no trap) */
  LOAD  58, lh, 0xffffffffffffabcd, d0, 1
  LOAD  59, lhu, 0x1001, d0, 7          /* spans d0 and d1 */
  LOAD  60, lw, 0x6789abcd, d0, 1
  LOAD  61, lw, 0x10012345, d0, 5
  LOAD  62, lwu, 0x456789ab, d0, 2
  LOAD  63, ld, 0x100123456789abcd, d0, 1
  LOAD  64, ld, 0x5432100123456789, d0, 3
  LOAD  65, lw, 0x00007fff, d2, 2
  LOAD  66, lhu, 0xffff, d2, 1
  LOAD  67, lw, 0x7f, d2, 3
  /* misaligned stores */
  TEST 68
  la a1, dst
  sd zero, 0(a1)
  sd zero, 8(a1)
  li a0, 0x1122334455667788
  sd a0, 3(a1)
  ld a3, 0(a1)
  EXPECT a3, 0x4455667788000000
  ld a3, 8(a1)
  EXPECT a3, 0x112233
  TEST 69
  li a0, 0xaabbccdd
  sw a0, 6(a1)
  ld a3, 0(a1)
  EXPECT a3, 0xccdd667788000000
  ld a3, 8(a1)
  EXPECT a3, 0x11aabb
  TEST 70
  li a0, 0xeeff
  sh a0, 7(a1)
  ld a3, 0(a1)
  EXPECT a3, 0xffdd667788000000
  ld a3, 8(a1)
  EXPECT a3, 0x11aaee
  /* misaligned accesses across a page boundary */
  TEST 71
  la a1, pages
  li t0, 4096
  add a1, a1, t0
  li a0, 0x0807060504030201
  sd a0, -3(a1)
  ld a3, -3(a1)
  EXPECT a3, 0x0807060504030201
  lw a3, -2(a1)
  EXPECT a3, 0x05040302
  lbu a3, -1(a1)
  EXPECT a3, 0x03
  lbu a3, 0(a1)
  EXPECT a3, 0x04
  lh a3, -1(a1)
  EXPECT a3, 0x0403

  /* access faults: nothing is mapped at physical address 0 (mtval = the address) */
  TRAPS 72, CAUSE_LOAD_ACCESS, lw a0, 0(zero)
  EXPECT s10, 0
  TRAPS 73, CAUSE_LOAD_ACCESS, ld a0, 16(zero)
  EXPECT s10, 16
  TRAPS 74, CAUSE_STORE_ACCESS, sw a0, 8(zero)
  EXPECT s10, 8
  TRAPS 75, CAUSE_STORE_ACCESS, sb a0, 1(zero)
  EXPECT s10, 1
  /* a faulting load leaves its destination unchanged */
  TEST 76
  li a0, 0x1234
  la s7, 1f
  ld a0, 0(zero)
  j fail
1:
  EXPECT a0, 0x1234

  PASS
