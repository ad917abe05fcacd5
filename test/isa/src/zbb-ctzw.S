/* zbb-ctzw.S — ctzw counts the trailing zeros of the low 32 bits of rs1 only, so a
 * value whose low half is zero gives 32 whatever its upper half holds
 * (bit-manipulation spec 1.0.0, 2.2.2).
 *
 * Lantern only: QEMU 7.2 counts over all 64 bits when the low half is zero (ctzw of
 * 1 << 33 gives 33), a bug fixed in QEMU 8.0 by commit 5fc0fc8788e0 "target/riscv: fix
 * ctzw behavior"; test/isa/isa.test.ts does not run this program there. The other
 * ctzw checks are in zbb.S. */
#include "test.h"

  .text
  .globl main
main:
  R1  1, ctzw, 32, 0x0000000100000000
  R1  2, ctzw, 32, 0x0000000200000000
  R1  3, ctzw, 32, 0x8000000000000000
  R1  4, ctzw, 32, 0xffffffff00000000
  R1  5, ctzw, 32, 0x0000800000000000
  TEST 6                               /* rd = rs1 */
  li s1, 0x0000004000000000
  ctzw s1, s1
  EXPECT s1, 32

  PASS
