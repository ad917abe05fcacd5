/* zbc.S — the Zbc carry-less multiplications (bit-manipulation spec 1.0.0, 2.3):
 * clmul (bits 63..0 of the 128-bit carry-less product), clmulh (127..64), clmulr
 * (126..63). Edge values: 0, 1, all ones, bit 63 (products reaching bits 126 and 127),
 * and products whose bits straddle the halves; rd aliasing and x0 operands. */
#include "test.h"

  .text
  .globl main
main:
  /* clmul: the low 64 bits of the carry-less product */
  RR        1, clmul, 0x0, 0x0, 0x123456789abcdef
  RR        2, clmul, 0x123456789abcdef, 0x1, 0x123456789abcdef
  RR        3, clmul, 0x123456789abcdef, 0x123456789abcdef, 0x1
  RR        4, clmul, 0x0, 0x2, 0x8000000000000000
  RR        5, clmul, 0x0, 0x8000000000000000, 0x8000000000000000
  RR        6, clmul, 0x5555555555555555, 0xffffffffffffffff, 0xffffffffffffffff
  RR        7, clmul, 0x5, 0x3, 0x3
  RR        8, clmul, 0x40a0789828c810f0, 0x123456789abcdef, 0xfedcba9876543210
  RR        9, clmul, 0x0, 0x8000000000000000, 0x2
  RR       10, clmul, 0x0, 0x100000000, 0x100000000
  RR       11, clmul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  RR       12, clmul, 0x1, 0x8000000000000001, 0x8000000000000001
  RR       13, clmul, 0x8000000000000000, 0x2, 0x4000000000000000
  RR_D1    14, clmul, 0x964a69f269b5960d, 0x123456789abcdef, 0x87
  RR_D2    15, clmul, 0x964a69f269b5960d, 0x123456789abcdef, 0x87
  RR_SAME  16, clmul, 0x1514111005040100, 0xfedcba9876543210
  RR_Z1    17, clmul, 0x0, 0x123456789abcdef
  RR_X0    18, clmul, 0x1, 0x2

  /* clmulh: its high 64 bits (127..64) */
  RR       19, clmulh, 0x0, 0x0, 0x123456789abcdef
  RR       20, clmulh, 0x0, 0x1, 0x123456789abcdef
  RR       21, clmulh, 0x0, 0x123456789abcdef, 0x1
  RR       22, clmulh, 0x1, 0x2, 0x8000000000000000
  RR       23, clmulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
  RR       24, clmulh, 0x5555555555555555, 0xffffffffffffffff, 0xffffffffffffffff
  RR       25, clmulh, 0x0, 0x3, 0x3
  RR       26, clmulh, 0xe038d8688850b0, 0x123456789abcdef, 0xfedcba9876543210
  RR       27, clmulh, 0x1, 0x8000000000000000, 0x2
  RR       28, clmulh, 0x1, 0x100000000, 0x100000000
  RR       29, clmulh, 0x0, 0xffffffffffffffff, 0x1
  RR       30, clmulh, 0x4000000000000000, 0x8000000000000001, 0x8000000000000001
  RR       31, clmulh, 0x0, 0x2, 0x4000000000000000
  RR_D1    32, clmulh, 0x0, 0x123456789abcdef, 0x87
  RR_D2    33, clmulh, 0x0, 0x123456789abcdef, 0x87
  RR_SAME  34, clmulh, 0x5554515045444140, 0xfedcba9876543210
  RR_Z1    35, clmulh, 0x0, 0x123456789abcdef
  RR_X0    36, clmulh, 0x1, 0x2

  /* clmulr: its bits 126..63 */
  RR       37, clmulr, 0x0, 0x0, 0x123456789abcdef
  RR       38, clmulr, 0x0, 0x1, 0x123456789abcdef
  RR       39, clmulr, 0x0, 0x123456789abcdef, 0x1
  RR       40, clmulr, 0x2, 0x2, 0x8000000000000000
  RR       41, clmulr, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000
  RR       42, clmulr, 0xaaaaaaaaaaaaaaaa, 0xffffffffffffffff, 0xffffffffffffffff
  RR       43, clmulr, 0x0, 0x3, 0x3
  RR       44, clmulr, 0x1c071b0d110a160, 0x123456789abcdef, 0xfedcba9876543210
  RR       45, clmulr, 0x2, 0x8000000000000000, 0x2
  RR       46, clmulr, 0x2, 0x100000000, 0x100000000
  RR       47, clmulr, 0x1, 0xffffffffffffffff, 0x1
  RR       48, clmulr, 0x8000000000000000, 0x8000000000000001, 0x8000000000000001
  RR       49, clmulr, 0x1, 0x2, 0x4000000000000000
  RR_D1    50, clmulr, 0x1, 0x123456789abcdef, 0x87
  RR_D2    51, clmulr, 0x1, 0x123456789abcdef, 0x87
  RR_SAME  52, clmulr, 0xaaa8a2a08a888280, 0xfedcba9876543210
  RR_Z1    53, clmulr, 0x0, 0x123456789abcdef
  RR_X0    54, clmulr, 0x1, 0x2

  PASS
