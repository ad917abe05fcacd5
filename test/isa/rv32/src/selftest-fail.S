/* selftest-fail.S — an RV32 program that must FAIL with status 3: checks 1 and 2 pass,
 * check 3 compares 1 with 2. It proves that the harness notices failures, and that the
 * two 32-bit halves of tohost reach the host as one 8-byte command. */
#include "test.h"

  .text
  .globl main
main:
  TEST 1
  li a0, 5
  EXPECT a0, 5
  TEST 2
  addi a0, a0, 1
  EXPECT a0, 6
  TEST 3
  li a0, 1
  EXPECT a0, 2
  PASS
