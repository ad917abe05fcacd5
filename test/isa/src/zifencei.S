/* zifencei.S — fence.i makes stores to instruction memory visible to fetch (code
 * patched in place, code copied into a data buffer and run), and the FENCE family:
 * fence with its pred/succ sets, fence.tso, pause, and the fields base
 * implementations must ignore (rd / rs1 / imm of fence.i, rd / rs1 of fence). */
#include "test.h"

  .data
  .balign 64
code_buf: .fill 16, 4, 0

  .text
  .globl main
main:
  /* patch an instruction in place */
  TEST 1
  call patch_me
  EXPECT a0, 0
  TEST 2
  la a1, patch_me
  li a2, 0x00100513              /* addi a0, zero, 1 */
  sw a2, 0(a1)
  fence.i
  call patch_me
  EXPECT a0, 1
  TEST 3
  li a2, 0x7ff00513              /* addi a0, zero, 2047 */
  sw a2, 0(a1)
  fence.i
  call patch_me
  EXPECT a0, 2047
  TEST 4                         /* patch twice in a row, run once */
  li a2, 0x00300513
  sw a2, 0(a1)
  li a2, 0x00400513
  sw a2, 0(a1)
  fence.i
  call patch_me
  EXPECT a0, 4

  /* copy a routine into a data buffer and run it */
  TEST 5
  la a1, code_buf
  la a2, routine
  lw a3, 0(a2)
  sw a3, 0(a1)
  lw a3, 4(a2)
  sw a3, 4(a1)
  lw a3, 8(a2)
  sw a3, 8(a1)
  fence.i
  li a0, 10
  jalr ra, 0(a1)
  EXPECT a0, 30
  TEST 6                         /* rewrite the copy's first instruction */
  li a3, 0x40b585b3              /* sub a1, a1, a1: the routine now returns a0 */
  la a1, code_buf
  sw a3, 0(a1)
  fence.i
  li a0, 10
  jalr ra, 0(a1)
  EXPECT a0, 10
  /* a loop whose body is patched between runs */
  TEST 7
  la a1, loop_body
  li s1, 0
  li s2, 3
1:
  call loop_fn
  add s1, s1, a0
  li a2, 0x00500513              /* addi a0, zero, 5 */
  sw a2, 0(a1)
  fence.i
  addi s2, s2, -1
  bnez s2, 1b
  EXPECT s1, 0x11 + 5 + 5

  /* the FENCE family executes as no-ops here */
  NOTRAP  8, fence
  NOTRAP  9, fence rw, rw
  NOTRAP 10, fence r, w
  NOTRAP 11, fence iorw, iorw
  NOTRAP 12, fence o, i
  NOTRAP 13, fence.tso
  NOTRAP 14, .word 0x0100000f    /* pause (fence w, 0) */
  NOTRAP 15, .word 0x0ff2828f    /* fence iorw, iorw with rd = t0, rs1 = t0 */
  NOTRAP 16, .word 0x12331f8f    /* fence.i with rd = t6, rs1 = t1, imm = 0x123 */
  NOTRAP 17, fence.i
  TEST 18
  EXPECT x0, 0

  PASS

patch_me:
  addi a0, zero, 0
  ret

routine:                         /* a0 = a0 * 3, copied and run from code_buf */
  add a1, a0, a0
  add a0, a0, a1
  ret

loop_fn:
loop_body:
  addi a0, zero, 0x11
  ret
