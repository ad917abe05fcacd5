/* rv32b-zbc-zbs.S — Zbc and Zbs at XLEN = 32 (bit-manipulation spec 1.0.0): clmul
 * clmulh clmulr (the low, high and reversed halves of the 63-bit carry-less product
 * of two 32-bit values), and bclr bset binv bext with the bit index rs2[4:0] (so 32
 * means bit 0, 63 bit 31) and bclri bseti binvi bexti with 5-bit immediates; with
 * shamt[5] = 1 the immediate forms are RV64-only: illegal, mtval = the bits. Expected
 * values were computed over 32 bits. */
#include "test.h"

  .text
  .globl main
main:

  /* Zbc: clmul / clmulh / clmulr (carry-less products of 32-bit values) */
  RR    1, clmul, 0x00000005, 0x00000003, 0x00000003
  RR    2, clmul, 0x00000001, 0x80000001, 0x80000001
  RR    3, clmul, 0x5cd25a80, 0x12345678, 0x9abcdef0
  RR    4, clmul, 0x55555555, 0xffffffff, 0xffffffff
  RR    5, clmul, 0x00000000, 0x80000000, 0x00000002
  RR    6, clmulh, 0x00000000, 0x00000003, 0x00000003
  RR    7, clmulh, 0x40000000, 0x80000001, 0x80000001
  RR    8, clmulh, 0x08860e94, 0x12345678, 0x9abcdef0
  RR    9, clmulh, 0x55555555, 0xffffffff, 0xffffffff
  RR   10, clmulh, 0x00000001, 0x80000000, 0x00000002
  RR   11, clmulr, 0x00000000, 0x00000003, 0x00000003
  RR   12, clmulr, 0x80000000, 0x80000001, 0x80000001
  RR   13, clmulr, 0x110c1d28, 0x12345678, 0x9abcdef0
  RR   14, clmulr, 0xaaaaaaaa, 0xffffffff, 0xffffffff
  RR   15, clmulr, 0x00000002, 0x80000000, 0x00000002

  /* Zbs: bclr / bset / binv / bext: the bit index is rs2[4:0] */
  RR   16, bclr, 0x7fffffff, 0xffffffff, 0x0000001f
  RR   17, bclr, 0xfffffffe, 0xffffffff, 0x00000000
  RR   18, bclr, 0xfffffffe, 0xffffffff, 0x00000020
  RR   19, bclr, 0x7fffffff, 0xffffffff, 0x0000003f
  RR   20, bclr, 0x00000000, 0x80000000, 0xffffffff
  RR   21, bset, 0x80000000, 0x00000000, 0x0000001f
  RR   22, bset, 0x00000001, 0x00000000, 0x00000000
  RR   23, bset, 0x00000002, 0x00000000, 0x00000021
  RR   24, bset, 0x92345678, 0x12345678, 0x0000003f
  RR   25, binv, 0x00000000, 0x80000000, 0x0000001f
  RR   26, binv, 0x00010000, 0x00000000, 0x00000010
  RR   27, binv, 0x12345670, 0x12345678, 0x00000023
  RR   28, bext, 0x00000001, 0x80000000, 0x0000001f
  RR   29, bext, 0x00000001, 0x80000000, 0x0000003f
  RR   30, bext, 0x00000001, 0x12345678, 0x00000003
  RR   31, bext, 0x00000001, 0x12345678, 0x00000024
  RR   32, bext, 0x00000001, 0x00000001, 0x00000020

  /* Zbs immediates: shamt 0..31 */
  RI   33, bclri, 0x7fffffff, 0xffffffff, 31
  RI   34, bclri, 0xfffffffe, 0xffffffff, 0
  RI   35, bclri, 0x12345668, 0x12345678, 4
  RI   36, bseti, 0x80000000, 0x00000000, 31
  RI   37, bseti, 0x12345679, 0x12345678, 0
  RI   38, binvi, 0x00000000, 0x80000000, 31
  RI   39, binvi, 0x12245678, 0x12345678, 20
  RI   40, bexti, 0x00000001, 0x80000000, 31
  RI   41, bexti, 0x00000000, 0x12345678, 30
  RI   42, bexti, 0x00000001, 0x12345678, 28

  /* rd aliasing a source, x0 */
  RR_D1  43, clmul, 0x00000005, 3, 3
  RR_D2  44, clmulh, 0x40000000, 0x80000000, 0x80000000
  RR_SAME 45, bext, 1, 0x8000001f            /* index 31 (rs2[4:0]) of itself */
  RR_X0  46, bset, 1, 2
  RR_Z1  47, bset, 0x00000100, 8             /* bset rd, x0, rs2: a single bit */
  RR_Z2  48, binv, 0xfffffffe, 0xffffffff    /* bit 0 */
  RR_Z1  49, clmulr, 0, 0xffffffff

  /* RV64-only: shamt[5] = 1 on the immediate forms */
.macro GONE n, word
  li a0, 0x5a5a5a5a
  li a1, 0x12345678
  ILLEGAL \n, \word
  EXPECT a0, 0x5a5a5a5a
.endm
  GONE 50, 0x4a059513            /* bclri a0, a1, 32 */
  GONE 51, 0x2a059513            /* bseti a0, a1, 32 */
  GONE 52, 0x6bf59513            /* binvi a0, a1, 63 */
  GONE 53, 0x4a05d513            /* bexti a0, a1, 32 */
  GONE 54, 0x4bf5d513            /* bexti a0, a1, 63 */

  PASS
