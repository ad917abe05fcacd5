/* rvc.S — every RV64C instruction, written with explicit c.* mnemonics:
 * c.addi4spn c.lw c.ld c.sw c.sd, c.nop c.addi c.addiw c.li c.addi16sp c.lui c.srli
 * c.srai c.andi c.sub c.xor c.or c.and c.subw c.addw c.j c.beqz c.bnez, c.slli c.lwsp
 * c.ldsp c.swsp c.sdsp c.jr c.mv c.ebreak c.jalr c.add. Also: c.fld / c.fsd / c.fldsp
 * / c.fsdsp are illegal while mstatus.FS = Off, as crt.S leaves it (rv64d-move.S runs
 * them with FS on), reserved encodings trap as illegal with mtval = the 16 instruction
 * bits, and HINT encodings execute as no-ops. */
#include "test.h"

  .data
  .balign 16
buf:                                   /* 512 bytes to read */
  .dword 0x8000000180000002            /* +0 */
  .dword 0x0123456789abcdef            /* +8 */
  .fill 13, 8, 0
  .dword 0x1234567876543210            /* +120: the word at +124 is 0x12345678 */
  .fill 15, 8, 0
  .dword 0xfedcba9876543210            /* +248: the word at +252 is 0xfedcba98 */
  .fill 31, 8, 0
  .dword 0x5555aaaa5555aaaa            /* +504 */
wbuf: .fill 64, 8, 0                   /* 512 bytes to write */

  .text
  .option rvc
  .globl main
main:
  mv s5, sp                            /* sp is borrowed below; restored at the end */

  /* c.addi4spn rd', sp, nzuimm (multiple of 4, 4..1020) */
  TEST 1
  c.addi4spn a0, sp, 16
  addi t0, sp, 16
  EXPECT_REG a0, t0
  TEST 2
  c.addi4spn s1, sp, 1020
  addi t0, sp, 1020
  EXPECT_REG s1, t0
  TEST 3
  c.addi4spn a5, sp, 4
  addi t0, sp, 4
  EXPECT_REG a5, t0

  /* c.lw / c.ld: sign extension, largest offsets */
  la a1, buf
  TEST 4
  c.lw a0, 0(a1)
  EXPECT a0, 0xffffffff80000002
  TEST 5
  c.lw s0, 4(a1)
  EXPECT s0, 0xffffffff80000001
  TEST 6
  c.lw a2, 124(a1)
  EXPECT a2, 0x12345678
  TEST 7
  c.ld a0, 8(a1)
  EXPECT a0, 0x0123456789abcdef
  TEST 8
  c.ld a3, 248(a1)
  EXPECT a3, 0xfedcba9876543210
  TEST 9
  la s1, buf
  c.ld s1, 0(s1)                       /* rd' = rs1' */
  EXPECT s1, 0x8000000180000002

  /* c.sw / c.sd */
  la a4, wbuf
  TEST 10
  li a2, 0x1122334455667788
  c.sw a2, 4(a4)
  ld a0, 0(a4)
  EXPECT a0, 0x5566778800000000
  TEST 11
  c.sd a2, 248(a4)
  ld a0, 248(a4)
  EXPECT a0, 0x1122334455667788
  TEST 12
  li a5, -3
  c.sw a5, 124(a4)
  lw a0, 124(a4)
  EXPECT a0, -3
  ld a0, 120(a4)
  EXPECT a0, 0xfffffffd00000000

  /* c.lwsp / c.ldsp / c.swsp / c.sdsp (sp-relative, any rd) */
  la sp, buf
  TEST 13
  c.lwsp t3, 4(sp)
  EXPECT t3, 0xffffffff80000001
  TEST 14
  c.lwsp ra, 252(sp)
  EXPECT ra, 0xfffffffffedcba98
  TEST 15
  c.ldsp t4, 8(sp)
  EXPECT t4, 0x0123456789abcdef
  TEST 16
  c.ldsp s11, 504(sp)
  EXPECT s11, 0x5555aaaa5555aaaa
  li s11, 0
  la sp, wbuf
  TEST 17
  li t3, 0x0102030405060708
  c.sdsp t3, 504(sp)
  la a4, wbuf
  ld a0, 504(a4)
  EXPECT a0, 0x0102030405060708
  TEST 18
  c.swsp t3, 252(sp)
  ld a0, 248(a4)
  EXPECT a0, 0x0506070855667788       /* low word from check 11 */
  TEST 19
  c.swsp t3, 0(sp)
  c.sdsp zero, 8(sp)
  ld a0, 0(a4)
  EXPECT a0, 0x5566778805060708       /* high word from check 10 */
  ld a0, 8(a4)
  EXPECT a0, 0
  mv sp, s5

  /* c.nop */
  TEST 20
  li a0, 20
  c.nop
  EXPECT a0, 20

  /* c.addi (6-bit signed immediate, 64-bit add) */
  TEST 21
  li a0, 100
  c.addi a0, -32
  EXPECT a0, 68
  TEST 22
  c.addi a0, 31
  EXPECT a0, 99
  TEST 23
  li t4, 0x7fffffffffffffff
  c.addi t4, 1
  EXPECT t4, 0x8000000000000000
  TEST 24
  li a0, 0xffffffff
  c.addi a0, 1
  EXPECT a0, 0x100000000

  /* c.addiw: 32-bit add, sign-extended */
  TEST 25
  li a0, 0x7fffffff
  c.addiw a0, 1
  EXPECT a0, 0xffffffff80000000
  TEST 26
  li a0, 0xffffffff
  c.addiw a0, 0                        /* sext.w */
  EXPECT a0, -1
  TEST 27
  li t3, 0x1234567800000010
  c.addiw t3, -32
  EXPECT t3, -16

  /* c.li */
  TEST 28
  c.li a0, -32
  EXPECT a0, -32
  TEST 29
  c.li t4, 31
  EXPECT t4, 31
  TEST 30
  c.li s1, 0
  EXPECT s1, 0

  /* c.addi16sp (multiple of 16, -512..496) */
  TEST 31
  mv s1, sp
  c.addi16sp sp, -512
  sub a0, s1, sp
  EXPECT a0, 512
  TEST 32
  c.addi16sp sp, 496
  sub a0, s1, sp
  EXPECT a0, 16
  TEST 33
  c.addi16sp sp, 16
  EXPECT_REG sp, s1

  /* c.lui (nonzero 6-bit immediate, bits 17:12, sign-extended) */
  TEST 34
  c.lui a0, 1
  EXPECT a0, 0x1000
  TEST 35
  c.lui a0, 31
  EXPECT a0, 0x1f000
  TEST 36
  c.lui t3, 0xfffff
  EXPECT t3, 0xfffffffffffff000
  TEST 37
  c.lui a0, 0xfffe0
  EXPECT a0, 0xfffffffffffe0000

  /* c.srli / c.srai / c.andi (rd' only) */
  TEST 38
  li a0, 0x8000000000000000
  c.srli a0, 1
  EXPECT a0, 0x4000000000000000
  TEST 39
  li a0, 0x8000000000000000
  c.srli a0, 63
  EXPECT a0, 1
  TEST 40
  li s0, -1
  c.srli s0, 32
  EXPECT s0, 0xffffffff
  TEST 41
  li a0, 0x8000000000000000
  c.srai a0, 1
  EXPECT a0, 0xc000000000000000
  TEST 42
  li a0, 0x8000000000000000
  c.srai a0, 63
  EXPECT a0, -1
  TEST 43
  li a5, 0x7fffffff00000000
  c.srai a5, 32
  EXPECT a5, 0x7fffffff
  TEST 44
  li a0, 0x123456789abcdef0
  c.andi a0, -1
  EXPECT a0, 0x123456789abcdef0
  TEST 45
  li a0, -1
  c.andi a0, -32
  EXPECT a0, 0xffffffffffffffe0
  TEST 46
  li a0, 0x3f
  c.andi a0, 31
  EXPECT a0, 0x1f
  TEST 47
  li a0, -1
  c.andi a0, 0
  EXPECT a0, 0

  /* c.sub c.xor c.or c.and c.subw c.addw (rd', rs2') */
  TEST 48
  li a0, 5
  li a1, 7
  c.sub a0, a1
  EXPECT a0, -2
  EXPECT a1, 7
  TEST 49
  li a0, 0x8000000000000000
  li a1, 1
  c.sub a0, a1
  EXPECT a0, 0x7fffffffffffffff
  TEST 50
  li s0, 0xff00ff00ff00ff00
  li s1, 0x0f0f0f0f0f0f0f0f
  c.xor s0, s1
  EXPECT s0, 0xf00ff00ff00ff00f
  TEST 51
  li s0, 0xff00ff00ff00ff00
  c.or s0, s1
  EXPECT s0, 0xff0fff0fff0fff0f
  TEST 52
  li s0, 0xff00ff00ff00ff00
  c.and s0, s1
  EXPECT s0, 0x0f000f000f000f00
  TEST 53
  li a2, 0x80000000
  li a3, 1
  c.subw a2, a3
  EXPECT a2, 0x7fffffff
  TEST 54
  li a2, 0
  li a3, 0x80000000
  c.subw a2, a3
  EXPECT a2, 0xffffffff80000000
  TEST 55
  li a4, 0x7fffffff
  li a5, 1
  c.addw a4, a5
  EXPECT a4, 0xffffffff80000000
  TEST 56
  li a4, 0x1234567800000005
  li a5, 0xabcdef0000000006
  c.addw a4, a5
  EXPECT a4, 11

  /* c.j forwards and backwards */
  TEST 57
  c.j 2f
  j fail
1:
  c.j 3f
2:
  c.j 1b
  j fail
3:

  /* c.beqz / c.bnez: compare rs1' with zero, full 64 bits */
  TEST 58
  li a0, 0
  c.beqz a0, 1f
  j fail
1:
  TEST 59
  li a0, 0x100000000
  c.beqz a0, fail_near
  TEST 60
  c.bnez a0, 1f
  j fail
1:
  TEST 61
  li a0, 0
  c.bnez a0, fail_near
  TEST 62
  li a0, 3
1:
  c.addi a0, -1
  c.bnez a0, 1b
  EXPECT a0, 0
  TEST 63
  li s1, -1
  c.bnez s1, 1f
  j fail
1:
  c.j 1f
fail_near:
  j fail
1:

  /* c.slli (any rd, 6-bit shift) */
  TEST 64
  li t3, 1
  c.slli t3, 63
  EXPECT t3, 0x8000000000000000
  TEST 65
  li a0, 0x40000001
  c.slli a0, 1
  EXPECT a0, 0x80000002
  TEST 66
  li ra, 0xffffffff
  c.slli ra, 32
  EXPECT ra, 0xffffffff00000000

  /* c.jr / c.jalr (link = pc + 2) / c.mv / c.add */
  TEST 67
  la a1, 2f
  c.jr a1
  j fail
2:
  TEST 68
  la a1, 2f
1:
  c.jalr a1
  j fail
2:
  la a2, 1b
  addi a2, a2, 2
  EXPECT_REG ra, a2
  TEST 69
  la ra, 2f
1:
  c.jalr ra                            /* jumps to the old ra, links pc + 2 */
  j fail
2:
  la a2, 1b
  addi a2, a2, 2
  EXPECT_REG ra, a2
  TEST 70
  li a1, 0x123456789
  c.mv a0, a1
  EXPECT a0, 0x123456789
  TEST 71
  li t4, -7
  c.mv s11, t4
  EXPECT s11, -7
  li s11, 0
  TEST 72
  li a0, 0x7fffffffffffffff
  li a1, 1
  c.add a0, a1
  EXPECT a0, 0x8000000000000000
  TEST 73
  li t3, 21
  c.add t3, t3
  EXPECT t3, 42
  TEST 74
  call leaf                            /* c.jr ra as the return */
  EXPECT a0, 74

  /* c.ebreak: breakpoint, epc = its address (mtval 0 or that address) */
  TEST 75
  la s7, 2f
1:
  c.ebreak
  j fail
2:
  EXPECT s8, CAUSE_BREAKPOINT
  la t0, 1b
  EXPECT_REG s9, t0
  beqz s10, 3f
  EXPECT_REG s10, t0
3:

  /* compressed loads / stores of D registers: illegal while FS = Off */
  TRAPS 76, CAUSE_ILLEGAL, .half 0x2104  /* c.fld fs1, 0(a0) */
  EXPECT s10, 0x2104
  TRAPS 77, CAUSE_ILLEGAL, .half 0xa104  /* c.fsd fs1, 0(a0) */
  EXPECT s10, 0xa104
  TRAPS 78, CAUSE_ILLEGAL, .half 0x2402  /* c.fldsp fs0, 0(sp) */
  EXPECT s10, 0x2402
  TRAPS 79, CAUSE_ILLEGAL, .half 0xa022  /* c.fsdsp fs0, 0(sp) */
  EXPECT s10, 0xa022

  /* reserved encodings: illegal instruction, mtval = the 16 bits */
  TRAPS 80, CAUSE_ILLEGAL, .half 0x0000  /* all zeros */
  EXPECT s10, 0
  TRAPS 81, CAUSE_ILLEGAL, .half 0x0004  /* c.addi4spn with nzuimm = 0 */
  EXPECT s10, 0x0004
  TRAPS 82, CAUSE_ILLEGAL, .half 0x6101  /* c.addi16sp with nzimm = 0 */
  EXPECT s10, 0x6101
  TRAPS 83, CAUSE_ILLEGAL, .half 0x6501  /* c.lui a0 with nzimm = 0 */
  EXPECT s10, 0x6501
  TRAPS 84, CAUSE_ILLEGAL, .half 0x8002  /* c.jr with rs1 = x0 */
  EXPECT s10, 0x8002
  TRAPS 85, CAUSE_ILLEGAL, .half 0x4002  /* c.lwsp with rd = x0 */
  EXPECT s10, 0x4002
  TRAPS 86, CAUSE_ILLEGAL, .half 0x6002  /* c.ldsp with rd = x0 */
  EXPECT s10, 0x6002
  TRAPS 87, CAUSE_ILLEGAL, .half 0x2001  /* c.addiw with rd = x0 */
  EXPECT s10, 0x2001

  /* HINTs execute as no-ops */
  TEST 88
  li a0, 0x88
  .half 0x0005                         /* c.nop with nzimm = 1 */
  .half 0x0501                         /* c.addi a0, 0 */
  .half 0x4005                         /* c.li x0, 1 */
  .half 0x6005                         /* c.lui x0, 1 */
  .half 0x802a                         /* c.mv x0, a0 */
  .half 0x902a                         /* c.add x0, a0 */
  .half 0x0006                         /* c.slli x0, 1 */
  .half 0x0502                         /* c.slli a0, 0 */
  .half 0x8101                         /* c.srli a0, 0 */
  .half 0x8501                         /* c.srai a0, 0 */
  EXPECT a0, 0x88
  EXPECT x0, 0

  /* faults of compressed loads, stores and jumps */
  li a1, 0
  TRAPS 89, CAUSE_LOAD_ACCESS, c.ld a0, 8(a1)
  EXPECT s10, 8
  TRAPS 90, CAUSE_STORE_ACCESS, c.sw a0, 4(a1)
  EXPECT s10, 4
  TEST 91
  li a1, 0x40
  la s7, 1f
2:
  c.jalr a1
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s9, 0x40
  EXPECT s10, 0x40
  la t0, 2b + 2
  EXPECT_REG ra, t0
  TEST 92                              /* misaligned compressed accesses (allowed) */
  la a1, buf
  addi a1, a1, 2
  c.lw a0, 0(a1)
  EXPECT a0, 0x18000
  c.ld a0, 0(a1)
  EXPECT a0, 0xcdef800000018000

  mv sp, s5
  PASS

leaf:
  c.li a0, 31
  addi a0, a0, 43
  c.jr ra
