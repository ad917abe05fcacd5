/* rv32c.S — the C extension in its RV32 form (unprivileged spec 20191213, chapter 16),
 * written with explicit c.* mnemonics: c.addi4spn c.lw c.sw c.flw c.fsw c.fld c.fsd,
 * c.nop c.addi c.jal c.li c.addi16sp c.lui c.srli c.srai c.andi c.sub c.xor c.or c.and
 * c.j c.beqz c.bnez, c.slli c.lwsp c.flwsp c.fldsp c.jr c.mv c.ebreak c.jalr c.add
 * c.swsp c.fswsp c.fsdsp. What differs from RV64C: c.jal exists (where RV64 has
 * c.addiw) and links pc + 2; c.flw / c.fsw / c.flwsp / c.fswsp take the encodings of
 * RV64's c.ld / c.sd / c.ldsp / c.sdsp; c.subw / c.addw do not exist; c.slli / c.srli /
 * c.srai with shamt[5] = 1 are not RV32 instructions (the spec reserves those code
 * points for custom extensions; with none here they are illegal, as QEMU 7.2 makes
 * them): illegal instruction, mtval = the 16 bits. The FP loads and stores trap as
 * illegal while mstatus.FS = 0. */
#include "test.h"

  .data
  .balign 16
buf:                                   /* 256 bytes to read */
  .word 0x80000002, 0x80000001         /* +0, +4 */
  .word 0x3f800000, 0x40490fdb         /* +8: 1.0f, +12: 3.14159274f */
  .word 0x00000000, 0x3ff00000         /* +16: the double 1.0 */
  .fill 24, 4, 0
  .word 0x12345678                     /* +120 */
  .word 0xc0000000                     /* +124: -2.0f */
  .fill 31, 4, 0
  .word 0xfedcba98                     /* +252 */
  .balign 16
wbuf: .fill 64, 4, 0                   /* 256 bytes to write */
  .fill 64, 4, 0                       /* (room for sp-relative offsets up to 504) */

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

  /* c.lw / c.sw */
  la a1, buf
  TEST 3
  c.lw a0, 0(a1)
  EXPECT a0, 0x80000002
  TEST 4
  c.lw s0, 124(a1)
  EXPECT s0, 0xc0000000
  TEST 5
  la s1, buf
  c.lw s1, 4(s1)                       /* rd' = rs1' */
  EXPECT s1, 0x80000001
  la a4, wbuf
  TEST 6
  li a2, 0x11223344
  c.sw a2, 4(a4)
  lw a0, 4(a4)
  EXPECT a0, 0x11223344
  lw a0, 0(a4)
  EXPECT a0, 0
  TEST 7
  li a5, -3
  c.sw a5, 124(a4)
  lw a0, 124(a4)
  EXPECT a0, -3

  /* c.lwsp / c.swsp (sp-relative, any rd; offsets up to 252) */
  la sp, buf
  TEST 8
  c.lwsp t3, 4(sp)
  EXPECT t3, 0x80000001
  TEST 9
  c.lwsp ra, 252(sp)
  EXPECT ra, 0xfedcba98
  la sp, wbuf
  TEST 10
  li t3, 0x01020304
  c.swsp t3, 252(sp)
  la a4, wbuf
  lw a0, 252(a4)
  EXPECT a0, 0x01020304
  TEST 11
  c.swsp zero, 252(sp)
  lw a0, 252(a4)
  EXPECT a0, 0
  mv sp, s5

  /* FP loads and stores with mstatus.FS = 0: illegal, mtval = the 16 bits */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  la a0, buf
  la sp, buf
  ILLEGAL16 12, 0x6104                 /* c.flw fs1, 0(a0) */
  ILLEGAL16 13, 0x2104                 /* c.fld fs1, 0(a0) */
  ILLEGAL16 14, 0xe104                 /* c.fsw fs1, 0(a0) */
  ILLEGAL16 15, 0x6402                 /* c.flwsp fs0, 0(sp) */
  ILLEGAL16 16, 0xe022                 /* c.fswsp fs0, 0(sp) */
  mv sp, s5

  /* c.flw / c.fsw / c.flwsp / c.fswsp: the encodings RV64 gives c.ld / c.sd / c.ldsp /
   * c.sdsp. c.fld / c.fsd / c.fldsp / c.fsdsp as on RV64. (FS on from here.) */
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  la a1, buf
  TEST 17
  c.flw fs0, 8(a1)
  fmv.x.w a0, fs0
  EXPECT a0, 0x3f800000
  TEST 18
  c.flw fa5, 124(a1)
  fmv.x.w a0, fa5
  EXPECT a0, 0xc0000000
  TEST 19
  c.fld fa0, 16(a1)
  fcvt.w.d a0, fa0
  EXPECT a0, 1
  la a4, wbuf
  TEST 20
  fadd.s fs1, fs0, fa5                 /* 1 + -2 = -1 */
  c.fsw fs1, 8(a4)
  lw a0, 8(a4)
  EXPECT a0, 0xbf800000
  TEST 21
  c.fsd fa0, 16(a4)
  lw a0, 16(a4)
  EXPECT a0, 0
  lw a0, 20(a4)
  EXPECT a0, 0x3ff00000
  la sp, buf
  TEST 22
  c.flwsp ft0, 12(sp)
  fmv.x.w a0, ft0
  EXPECT a0, 0x40490fdb
  TEST 23
  c.flwsp ft11, 124(sp)
  fmv.x.w a0, ft11
  EXPECT a0, 0xc0000000
  TEST 24
  c.fldsp ft1, 16(sp)
  fcvt.w.d a0, ft1
  EXPECT a0, 1
  la sp, wbuf
  TEST 25
  c.fswsp ft0, 252(sp)
  lw a0, 252(a4)
  EXPECT a0, 0x40490fdb
  TEST 26
  c.fsdsp ft1, 496(sp)
  lw a0, 500(a4)
  EXPECT a0, 0x3ff00000
  TEST 27                              /* c.flw NaN-boxes into the 64-bit register */
  c.fsdsp ft0, 32(sp)
  lw a0, 32(a4)
  EXPECT a0, 0x40490fdb
  lw a0, 36(a4)
  EXPECT a0, 0xffffffff
  mv sp, s5

  /* c.nop, c.addi (6-bit signed immediate, 32-bit add) */
  TEST 28
  li a0, 28
  c.nop
  EXPECT a0, 28
  TEST 29
  li a0, 100
  c.addi a0, -32
  EXPECT a0, 68
  TEST 30
  li t4, 0x7fffffff
  c.addi t4, 1
  EXPECT t4, 0x80000000
  TEST 31
  li a0, 0xffffffff
  c.addi a0, 31
  EXPECT a0, 30

  /* c.jal: jal ra with an 11-bit offset; ra = pc + 2. (On RV64 this is c.addiw.) */
  TEST 32
  li ra, 0
1:
  c.jal 2f
  j fail
2:
  la a1, 1b + 2
  EXPECT_REG ra, a1
  TEST 33                              /* backwards, and the link still pc + 2 */
  c.j 3f
2:
  c.jr ra                              /* return to the instruction after c.jal */
3:
  li a0, 0
1:
  c.jal 2b
  li a0, 33
  EXPECT a0, 33
  la a1, 1b + 2
  EXPECT_REG ra, a1
  TEST 34                              /* the RV64 c.addiw encoding 0x2001 | ... is c.jal */
  li a0, 0x34
1:
  .half 0x2009                         /* c.jal +2: the next parcel */
  la a1, 1b + 2
  EXPECT_REG ra, a1
  EXPECT a0, 0x34                      /* (RV64 reads these bits as c.addiw x0: reserved) */
  TEST 35
  li a0, 0
  call cjal_far
  EXPECT a0, 35

  /* c.li, c.addi16sp, c.lui */
  TEST 36
  c.li a0, -32
  EXPECT a0, 0xffffffe0
  TEST 37
  c.li t4, 31
  EXPECT t4, 31
  TEST 38
  mv s1, sp
  c.addi16sp sp, -512
  sub a0, s1, sp
  EXPECT a0, 512
  c.addi16sp sp, 496
  c.addi16sp sp, 16
  EXPECT_REG sp, s1
  TEST 39
  c.lui a0, 1
  EXPECT a0, 0x1000
  TEST 40
  c.lui t3, 0xfffff
  EXPECT t3, 0xfffff000
  TEST 41
  c.lui a0, 0xfffe0
  EXPECT a0, 0xfffe0000

  /* c.srli / c.srai / c.andi (rd' only; shamt 1..31) */
  TEST 42
  li a0, 0x80000000
  c.srli a0, 1
  EXPECT a0, 0x40000000
  TEST 43
  li a0, 0x80000000
  c.srli a0, 31
  EXPECT a0, 1
  TEST 44
  li a0, 0x80000000
  c.srai a0, 1
  EXPECT a0, 0xc0000000
  TEST 45
  li a0, 0x80000000
  c.srai a0, 31
  EXPECT a0, -1
  TEST 46
  li a5, 0x7fff0000
  c.srai a5, 16
  EXPECT a5, 0x7fff
  TEST 47
  li a0, 0x12345678
  c.andi a0, -1
  EXPECT a0, 0x12345678
  TEST 48
  li a0, -1
  c.andi a0, -32
  EXPECT a0, 0xffffffe0
  TEST 49
  li a0, 0x3f
  c.andi a0, 31
  EXPECT a0, 0x1f

  /* c.sub c.xor c.or c.and (rd', rs2') */
  TEST 50
  li a0, 0x80000000
  li a1, 1
  c.sub a0, a1
  EXPECT a0, 0x7fffffff
  EXPECT a1, 1
  TEST 51
  li s0, 0xff00ff00
  li s1, 0x0f0f0f0f
  c.xor s0, s1
  EXPECT s0, 0xf00ff00f
  TEST 52
  li s0, 0xff00ff00
  c.or s0, s1
  EXPECT s0, 0xff0fff0f
  TEST 53
  li s0, 0xff00ff00
  c.and s0, s1
  EXPECT s0, 0x0f000f00

  /* c.j, c.beqz, c.bnez */
  TEST 54
  c.j 2f
  j fail
1:
  c.j 3f
2:
  c.j 1b
  j fail
3:
  TEST 55
  li a0, 0
  c.beqz a0, 1f
  j fail
1:
  TEST 56
  li a0, 0x80000000
  c.beqz a0, fail_near
  c.bnez a0, 1f
  j fail
1:
  TEST 57
  li a0, 3
1:
  c.addi a0, -1
  c.bnez a0, 1b
  EXPECT a0, 0
  c.j 1f
fail_near:
  j fail
1:

  /* c.slli (any rd, shamt 1..31) */
  TEST 58
  li t3, 1
  c.slli t3, 31
  EXPECT t3, 0x80000000
  TEST 59
  li ra, 0xffffffff
  c.slli ra, 16
  EXPECT ra, 0xffff0000

  /* c.jr / c.jalr (link = pc + 2) / c.mv / c.add */
  TEST 60
  la a1, 2f
  c.jr a1
  j fail
2:
  TEST 61
  la a1, 2f
1:
  c.jalr a1
  j fail
2:
  la a2, 1b + 2
  EXPECT_REG ra, a2
  TEST 62
  la ra, 2f
1:
  c.jalr ra                            /* jumps to the old ra, links pc + 2 */
  j fail
2:
  la a2, 1b + 2
  EXPECT_REG ra, a2
  TEST 63
  li a1, 0x80000001
  c.mv a0, a1
  EXPECT a0, 0x80000001
  TEST 64
  li a0, 0x7fffffff
  li a1, 0x80000001
  c.add a0, a1
  EXPECT a0, 0
  TEST 65
  call leaf                            /* c.jr ra as the return */
  EXPECT a0, 65

  /* c.ebreak: breakpoint, epc = its address */
  TEST 66
  la s7, 2f
1:
  c.ebreak
  j fail
2:
  EXPECT s8, CAUSE_BREAKPOINT
  la t0, 1b
  EXPECT_REG s9, t0

  /* not RV32C: shifts with shamt[5] = 1 (custom code points), c.subw / c.addw
   * (reserved on RV32): illegal, mtval = the 16 bits, rd unchanged */
.macro GONE16 n, half
  li a0, 0x5a5a5a5a
  ILLEGAL16 \n, \half
  EXPECT a0, 0x5a5a5a5a
.endm
  GONE16 67, 0x1502                    /* c.slli a0, 32 */
  GONE16 68, 0x157e                    /* c.slli a0, 63 */
  GONE16 69, 0x9101                    /* c.srli a0, 32 */
  GONE16 70, 0x917d                    /* c.srli a0, 63 */
  GONE16 71, 0x9501                    /* c.srai a0, 32 */
  GONE16 72, 0x9541                    /* c.srai a0, 48 */
  GONE16 73, 0x9d0d                    /* c.subw a0, a1 */
  GONE16 74, 0x9d2d                    /* c.addw a0, a1 */
  GONE16 75, 0x9d4d                    /* 100111 funct2 = 10: reserved at any XLEN */
  /* reserved encodings shared with RV64C */
  GONE16 76, 0x0000                    /* all zeros */
  GONE16 77, 0x0004                    /* c.addi4spn with nzuimm = 0 */
  GONE16 78, 0x6101                    /* c.addi16sp with nzimm = 0 */
  GONE16 79, 0x6501                    /* c.lui a0 with nzimm = 0 */
  GONE16 80, 0x8002                    /* c.jr with rs1 = x0 */
  GONE16 81, 0x4002                    /* c.lwsp with rd = x0 */

  /* HINTs execute as no-ops */
  TEST 82
  li a0, 0x82
  .half 0x0005                         /* c.nop with nzimm = 1 */
  .half 0x0501                         /* c.addi a0, 0 */
  .half 0x4005                         /* c.li x0, 1 */
  .half 0x6005                         /* c.lui x0, 1 */
  .half 0x802a                         /* c.mv x0, a0 */
  .half 0x902a                         /* c.add x0, a0 */
  .half 0x0006                         /* c.slli x0, 1 */
  EXPECT a0, 0x82
  EXPECT x0, 0

  /* faults of compressed loads, stores and jumps */
  li a1, 0
  TRAPS 83, CAUSE_LOAD_ACCESS, c.lw a0, 8(a1)
  EXPECT s10, 8
  TRAPS 84, CAUSE_STORE_ACCESS, c.sw a0, 4(a1)
  EXPECT s10, 4
  TRAPS 85, CAUSE_LOAD_ACCESS, c.flw fa0, 12(a1)
  EXPECT s10, 12
  TEST 86
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
  TEST 87                              /* misaligned compressed accesses (allowed) */
  la a1, buf
  addi a1, a1, 2
  c.lw a0, 0(a1)
  EXPECT a0, 0x00018000

  mv sp, s5
  PASS

leaf:
  c.li a0, 31
  addi a0, a0, 34
  c.jr ra

/* cjal_far: c.jal and c.j near their longest reach (+2046 bytes), a0 = 35 */
cjal_far:
  mv s2, ra
  c.jal 2f
1:
  mv ra, s2
  ret
  .fill 1019, 2, 0x9002                /* c.ebreak */
2:
  la t0, 1b
  bne ra, t0, fail_far
  li a0, 35
  c.j 3f
  .fill 1016, 2, 0x9002
3:
  c.jal 4f
4:
  c.jr t0
fail_far:
  j fail
