/* zbs.S — the Zbs single-bit instructions (bit-manipulation spec 1.0.0, 2.4): bclr
 * bext binv bset (bit index rs2 mod 64: 64 and all ones select bits 0 and 63) and
 * bclri bexti binvi bseti (index 0..63), at bits 0, 31, 32 and 63 of all zeros, all
 * ones and a mixed pattern; rd aliasing and x0 operands. */
#include "test.h"

  .text
  .globl main
main:
  /* bclr: bit rs2 mod 64 */
  RR        1, bclr, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0
  RR        2, bclr, 0xffffffff7fffffff, 0xffffffffffffffff, 0x1f
  RR        3, bclr, 0xfffffffeffffffff, 0xffffffffffffffff, 0x20
  RR        4, bclr, 0x7fffffffffffffff, 0xffffffffffffffff, 0x3f
  RR        5, bclr, 0x0, 0x0, 0x0
  RR        6, bclr, 0x0, 0x0, 0x1f
  RR        7, bclr, 0x0, 0x0, 0x20
  RR        8, bclr, 0x0, 0x0, 0x3f
  RR        9, bclr, 0x123456789abcdee, 0x123456789abcdef, 0x40
  RR       10, bclr, 0x123456789abcdef, 0x123456789abcdef, 0xffffffffffffffff
  RR       11, bclr, 0x123454789abcdef, 0x123456789abcdef, 0x123456789abcdee5
  RR       12, bclr, 0x123456789abcded, 0x123456789abcdef, 0x1
  RR_D1    13, bclr, 0x123456789abcdef, 0x123456789abcdef, 0x9
  RR_D2    14, bclr, 0x123456789abcdef, 0x123456789abcdef, 0x9
  RR_SAME  15, bclr, 0x21, 0x21
  RR_Z1    16, bclr, 0x0, 0x3f
  RR_X0    17, bclr, 0x1, 0x0

  /* bclri: bit shamt (0..63) */
  RI       18, bclri, 0xfffffffffffffffe, 0xffffffffffffffff, 0
  RI       19, bclri, 0xffffffff7fffffff, 0xffffffffffffffff, 31
  RI       20, bclri, 0x0, 0x0, 32
  RI       21, bclri, 0x0, 0x0, 63
  RI       22, bclri, 0x123456789abcdef, 0x123456789abcdef, 63
  RI       23, bclri, 0x123456789abcded, 0x123456789abcdef, 1
  RI       24, bclri, 0x123456789abcdcf, 0x123456789abcdef, 5
  RI       25, bclri, 0x123456689abcdef, 0x123456789abcdef, 32
  RI_D1    26, bclri, 0x0, 0x8000000000000000, 63
  RI_Z1    27, bclri, 0x0, 40

  /* bext: bit rs2 mod 64 */
  RR       28, bext, 0x1, 0xffffffffffffffff, 0x0
  RR       29, bext, 0x1, 0xffffffffffffffff, 0x1f
  RR       30, bext, 0x1, 0xffffffffffffffff, 0x20
  RR       31, bext, 0x1, 0xffffffffffffffff, 0x3f
  RR       32, bext, 0x0, 0x0, 0x0
  RR       33, bext, 0x0, 0x0, 0x1f
  RR       34, bext, 0x0, 0x0, 0x20
  RR       35, bext, 0x0, 0x0, 0x3f
  RR       36, bext, 0x1, 0x123456789abcdef, 0x40
  RR       37, bext, 0x0, 0x123456789abcdef, 0xffffffffffffffff
  RR       38, bext, 0x1, 0x123456789abcdef, 0x123456789abcdee5
  RR       39, bext, 0x1, 0x123456789abcdef, 0x1
  RR_D1    40, bext, 0x0, 0x123456789abcdef, 0x9
  RR_D2    41, bext, 0x0, 0x123456789abcdef, 0x9
  RR_SAME  42, bext, 0x0, 0x21
  RR_Z1    43, bext, 0x0, 0x3f
  RR_X0    44, bext, 0x1, 0x0

  /* bexti: bit shamt (0..63) */
  RI       45, bexti, 0x1, 0xffffffffffffffff, 0
  RI       46, bexti, 0x1, 0xffffffffffffffff, 31
  RI       47, bexti, 0x0, 0x0, 32
  RI       48, bexti, 0x0, 0x0, 63
  RI       49, bexti, 0x0, 0x123456789abcdef, 63
  RI       50, bexti, 0x1, 0x123456789abcdef, 1
  RI       51, bexti, 0x1, 0x123456789abcdef, 5
  RI       52, bexti, 0x1, 0x123456789abcdef, 32
  RI_D1    53, bexti, 0x1, 0x8000000000000000, 63
  RI_Z1    54, bexti, 0x0, 40

  /* binv: bit rs2 mod 64 */
  RR       55, binv, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0
  RR       56, binv, 0xffffffff7fffffff, 0xffffffffffffffff, 0x1f
  RR       57, binv, 0xfffffffeffffffff, 0xffffffffffffffff, 0x20
  RR       58, binv, 0x7fffffffffffffff, 0xffffffffffffffff, 0x3f
  RR       59, binv, 0x1, 0x0, 0x0
  RR       60, binv, 0x80000000, 0x0, 0x1f
  RR       61, binv, 0x100000000, 0x0, 0x20
  RR       62, binv, 0x8000000000000000, 0x0, 0x3f
  RR       63, binv, 0x123456789abcdee, 0x123456789abcdef, 0x40
  RR       64, binv, 0x8123456789abcdef, 0x123456789abcdef, 0xffffffffffffffff
  RR       65, binv, 0x123454789abcdef, 0x123456789abcdef, 0x123456789abcdee5
  RR       66, binv, 0x123456789abcded, 0x123456789abcdef, 0x1
  RR_D1    67, binv, 0x123456789abcfef, 0x123456789abcdef, 0x9
  RR_D2    68, binv, 0x123456789abcfef, 0x123456789abcdef, 0x9
  RR_SAME  69, binv, 0x200000021, 0x21
  RR_Z1    70, binv, 0x8000000000000000, 0x3f
  RR_X0    71, binv, 0x1, 0x0

  /* binvi: bit shamt (0..63) */
  RI       72, binvi, 0xfffffffffffffffe, 0xffffffffffffffff, 0
  RI       73, binvi, 0xffffffff7fffffff, 0xffffffffffffffff, 31
  RI       74, binvi, 0x100000000, 0x0, 32
  RI       75, binvi, 0x8000000000000000, 0x0, 63
  RI       76, binvi, 0x8123456789abcdef, 0x123456789abcdef, 63
  RI       77, binvi, 0x123456789abcded, 0x123456789abcdef, 1
  RI       78, binvi, 0x123456789abcdcf, 0x123456789abcdef, 5
  RI       79, binvi, 0x123456689abcdef, 0x123456789abcdef, 32
  RI_D1    80, binvi, 0x0, 0x8000000000000000, 63
  RI_Z1    81, binvi, 0x10000000000, 40

  /* bset: bit rs2 mod 64 */
  RR       82, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
  RR       83, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x1f
  RR       84, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x20
  RR       85, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x3f
  RR       86, bset, 0x1, 0x0, 0x0
  RR       87, bset, 0x80000000, 0x0, 0x1f
  RR       88, bset, 0x100000000, 0x0, 0x20
  RR       89, bset, 0x8000000000000000, 0x0, 0x3f
  RR       90, bset, 0x123456789abcdef, 0x123456789abcdef, 0x40
  RR       91, bset, 0x8123456789abcdef, 0x123456789abcdef, 0xffffffffffffffff
  RR       92, bset, 0x123456789abcdef, 0x123456789abcdef, 0x123456789abcdee5
  RR       93, bset, 0x123456789abcdef, 0x123456789abcdef, 0x1
  RR_D1    94, bset, 0x123456789abcfef, 0x123456789abcdef, 0x9
  RR_D2    95, bset, 0x123456789abcfef, 0x123456789abcdef, 0x9
  RR_SAME  96, bset, 0x200000021, 0x21
  RR_Z1    97, bset, 0x8000000000000000, 0x3f
  RR_X0    98, bset, 0x1, 0x0

  /* bseti: bit shamt (0..63) */
  RI       99, bseti, 0xffffffffffffffff, 0xffffffffffffffff, 0
  RI      100, bseti, 0xffffffffffffffff, 0xffffffffffffffff, 31
  RI      101, bseti, 0x100000000, 0x0, 32
  RI      102, bseti, 0x8000000000000000, 0x0, 63
  RI      103, bseti, 0x8123456789abcdef, 0x123456789abcdef, 63
  RI      104, bseti, 0x123456789abcdef, 0x123456789abcdef, 1
  RI      105, bseti, 0x123456789abcdef, 0x123456789abcdef, 5
  RI      106, bseti, 0x123456789abcdef, 0x123456789abcdef, 32
  RI_D1   107, bseti, 0x8000000000000000, 0x8000000000000000, 63
  RI_Z1   108, bseti, 0x10000000000, 40

  PASS
