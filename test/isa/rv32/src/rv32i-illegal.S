/* rv32i-illegal.S — the RV64I-only encodings are illegal instructions on RV32
 * (unprivileged spec 20191213, chapter 2 and 5): the OP-IMM-32 and OP-32 opcodes
 * (addiw slliw srliw sraiw addw subw sllw srlw sraw), ld / sd / lwu, and slli / srli /
 * srai with shamt[5] = 1 ("for RV32I, SLLI, SRLI, and SRAI generate an illegal
 * instruction exception if imm[5] != 0"). Each traps with cause 2, mepc = the
 * instruction and mtval = its 32 bits, and leaves rd and memory alone; a load or store
 * would find RAM at a1, so an access fault cannot stand in for the illegal instruction.
 * The M, A, F / D and bit-manipulation RV64-only encodings are in their own files. */
#include "test.h"

  .data
  .balign 16
buf: .word 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666

  .text
/* GONE n, word — check n: with a0 = a sentinel, a1 = buf + 8, a2 = 3, the word traps
 * as illegal with mtval = the word, a0 keeps its value and buf is unchanged. */
.macro GONE n, word
  li a0, 0x5a5a5a5a
  la a1, buf + 8
  li a2, 3
  ILLEGAL \n, \word
  EXPECT a0, 0x5a5a5a5a
  la a1, buf
  lw t0, 8(a1)
  EXPECT t0, 0x33333333
  lw t0, 12(a1)
  EXPECT t0, 0x44444444
  lw t0, 0(a1)
  EXPECT t0, 0x11111111
.endm

  .globl main
main:
  /* OP-IMM-32 */
  GONE  1, 0x0015851b            /* addiw a0, a1, 1 */
  GONE  2, 0xfff5851b            /* addiw a0, a1, -1 (sext.w) */
  GONE  3, 0x0035951b            /* slliw a0, a1, 3 */
  GONE  4, 0x01f5d51b            /* srliw a0, a1, 31 */
  GONE  5, 0x4075d51b            /* sraiw a0, a1, 7 */
  /* OP-32 */
  GONE  6, 0x00c5853b            /* addw a0, a1, a2 */
  GONE  7, 0x40c5853b            /* subw */
  GONE  8, 0x00c5953b            /* sllw */
  GONE  9, 0x00c5d53b            /* srlw */
  GONE 10, 0x40c5d53b            /* sraw */
  /* 64-bit loads and stores */
  GONE 11, 0x0085b503            /* ld a0, 8(a1) */
  GONE 12, 0xff85b503            /* ld a0, -8(a1) */
  GONE 13, 0x0045e503            /* lwu a0, 4(a1) */
  GONE 14, 0x0005e503            /* lwu a0, 0(a1) */
  GONE 15, 0x00c5b023            /* sd a2, 0(a1) */
  GONE 16, 0xfec5bc23            /* sd a2, -8(a1) */
  /* shifts with shamt[5] = 1 */
  GONE 17, 0x02059513            /* slli a0, a1, 32 */
  GONE 18, 0x03f59513            /* slli a0, a1, 63 */
  GONE 19, 0x0205d513            /* srli a0, a1, 32 */
  GONE 20, 0x0305d513            /* srli a0, a1, 48 */
  GONE 21, 0x4205d513            /* srai a0, a1, 32 */
  GONE 22, 0x43f5d513            /* srai a0, a1, 63 */
  GONE 23, 0x02001013            /* slli x0, x0, 32: not a HINT on RV32 */
  /* never valid at any XLEN: funct7 of slli / srli other than 0 / 0x20 */
  GONE 24, 0x40059513            /* "slai" a0, a1, 0 */
  GONE 25, 0x0805d513            /* srli with imm[11:5] = 0000100 */
  GONE 26, 0x0005f503            /* LOAD funct3 = 7 */
  GONE 27, 0x00c5c023            /* STORE funct3 = 4 */

  /* the legal neighbours still work: shamt 31, and a 32-bit load and store */
  TEST 28
  li a1, 0x80000001
  slli a0, a1, 31
  EXPECT a0, 0x80000000
  srli a0, a1, 31
  EXPECT a0, 1
  srai a0, a1, 31
  EXPECT a0, -1
  TEST 29
  la a1, buf
  lw a0, 4(a1)
  EXPECT a0, 0x22222222
  sw a0, 20(a1)
  lw a0, 20(a1)
  EXPECT a0, 0x22222222

  /* and the trap came from M with the instruction's own address, not pc + 2 */
  TEST 30
  la s7, 1f
  li s8, -1
2:
  .word 0x0085b503               /* ld a0, 8(a1) */
  j fail
1:
  EXPECT_TRAP CAUSE_ILLEGAL, 2b
  EXPECT s6, 3
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_M

  /* from U, the same: illegal, to M with MPP = U */
  ENTER_U u_mode
u_mode:
  GONE 31, 0x00c5853b            /* addw */
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  GONE 32, 0x0085b503            /* ld */
  BACK_TO_M

  PASS
