/* traps.S — synchronous traps and the xRET instructions (privileged spec 1.12):
 * ecall from U/S/M (causes 8/9/11, mtval 0), ebreak (cause 3, mtval 0 or the pc),
 * illegal instructions (mtval = the bits) including mret/sret/wfi/sfence.vma from
 * modes that may not use them, instruction access faults (mtval = the target),
 * the mstatus stack on trap entry (MPP/MPIE/MIE, SPP/SPIE/SIE) and on mret / sret
 * (xIE = xPIE, xPIE = 1, xPP = U; MPRV kept within M), TSR / TW / TVM,
 * medeleg delegation to S (never of traps taken in M), and vectored mtvec / stvec
 * sending exceptions to the base address. */
#include "test.h"

  .text
  .globl main
main:
  csrw mie, zero                 /* no interrupts in this program */

  /* ---- traps taken in M ------------------------------------------------------ */
  TRAPS 1, CAUSE_ECALL_M, ecall
  EXPECT s10, 0
  EXPECT s6, 3
  TEST 2                         /* MPP = M, the mode the trap came from */
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP
  TEST 3                         /* MIE = 1: the trap saves it in MPIE, clears MIE */
  li a0, MSTATUS_MIE
  csrs mstatus, a0
  la s7, 1f
  ecall
1:
  EXPECT_MASKED s11, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE
  csrr a0, mstatus               /* and mret restored MIE from MPIE */
  EXPECT_MASKED a0, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MIE | MSTATUS_MPIE
  TEST 4                         /* MIE = 0 is saved as MPIE = 0; mret sets MPIE = 1 */
  li a0, MSTATUS_MIE
  csrc mstatus, a0
  la s7, 1f
  ecall
1:
  EXPECT_MASKED s11, MSTATUS_MIE | MSTATUS_MPIE, 0
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE
  TEST 5                         /* mret leaves MPP = U */
  EXPECT_MASKED a0, MSTATUS_MPP, 0
  TRAPS 6, CAUSE_BREAKPOINT, ebreak
  beqz s10, 1f
  EXPECT_REG s10, s9
1:
  TRAPS 7, CAUSE_ILLEGAL, csrw mvendorid, zero
  EXPECT s10, 0xf1101073
  /* instruction access fault: mepc = mtval = the target, the jump itself linked */
  TEST 8
  li a0, 0x40
  la s7, 1f
2:
  jalr ra, 0(a0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s9, 0x40
  EXPECT s10, 0x40
  la t0, 2b + 4
  EXPECT_REG ra, t0
  TEST 9
  li a0, 0x0
  la s7, 1f
  jalr ra, 0(a0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s9, 0
  EXPECT s10, 0
  /* mret to an epc that is 2 mod 4 (IALIGN = 16), staying in M */
  TEST 10
  la a0, at_2_mod_4
  csrw mepc, a0
  li a1, MSTATUS_MPP
  csrs mstatus, a1
  li a5, 0
  la ra, 1f
  mret
1:
  EXPECT a5, 10
  EXPECT_MODE 3
  /* mret keeps MPRV when it stays in M. (Privileged 1.12 also has mret / sret clear
   * MPRV when they leave M; QEMU 7.2 does not, so that is left unchecked here.) */
  TEST 11
  li a0, MSTATUS_MPP
  csrs mstatus, a0
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  la a0, 1f
  csrw mepc, a0
  mret
1:
  csrr a0, mstatus
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  EXPECT_MASKED a0, MSTATUS_MPRV, MSTATUS_MPRV
  TEST 12
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  li a0, MSTATUS_MPP_S | MSTATUS_MPRV
  csrs mstatus, a0
  la a0, 1f
  csrw mepc, a0
  mret
1:
  BACK_TO_M
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  /* sret executed in M goes to SPP (U) */
  TEST 13
  li a0, MSTATUS_MPP
  csrs mstatus, a0
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  li a0, MSTATUS_SPP
  csrc mstatus, a0
  la a0, 1f
  csrw sepc, a0
  sret
1:
  BACK_TO_M
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  EXPECT s8, CAUSE_ECALL_U
  li t0, MSTATUS_MPRV
  csrc mstatus, t0

  /* ---- U-mode ------------------------------------------------------------------ */
  TEST 14                        /* mret sets MIE = MPIE: MPIE = 1 → MIE = 1 in U */
  li a0, MSTATUS_MPIE
  csrs mstatus, a0
  ENTER_U u1
u1:
  la s7, 1f
  ori s7, s7, 1
2:
  ecall
1:
  EXPECT s8, CAUSE_ECALL_U
  EXPECT s6, 3
  EXPECT s10, 0
  la t0, 2b
  EXPECT_REG s9, t0
  TEST 15                        /* trap from U: MPP = U, MPIE = the MIE of U (1) */
  EXPECT_MASKED s11, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE
  TEST 16                        /* the same with MPIE = 0 before entering U */
  li a0, MSTATUS_MPIE
  csrc mstatus, a0
  ENTER_U u2
u2:
  BACK_TO_M
  EXPECT_MASKED s11, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, 0
  ENTER_U u3
u3:
  TEST 17
  EXPECT_MODE 0
  TRAPS 18, CAUSE_BREAKPOINT, ebreak
  EXPECT s6, 3
  TRAPS 19, CAUSE_ILLEGAL, mret
  EXPECT s10, 0x30200073
  TRAPS 20, CAUSE_ILLEGAL, sret
  EXPECT s10, 0x10200073
  TRAPS 21, CAUSE_ILLEGAL, wfi
  EXPECT s10, 0x10500073
  TRAPS 22, CAUSE_ILLEGAL, sfence.vma
  EXPECT s10, 0x12000073
  TRAPS 23, CAUSE_ILLEGAL, csrr a0, mstatus
  EXPECT s10, 0x30002573
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  TEST 24                        /* a fetch fault from U goes to M with MPP = U */
  li a0, 0x40
  la s7, 1f
  jalr ra, 0(a0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s10, 0x40
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  TEST 25
  EXPECT_MODE 0
  BACK_TO_M

  /* ---- S-mode ------------------------------------------------------------------ */
  ENTER_S s1
s1:
  TEST 26
  EXPECT_MODE 1
  TEST 27
  la s7, 1f
  ori s7, s7, 1
2:
  ecall
1:
  EXPECT s8, CAUSE_ECALL_S
  EXPECT s6, 3
  EXPECT s10, 0
  la t0, 2b
  EXPECT_REG s9, t0
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  ENTER_S s2
s2:
  TRAPS 28, CAUSE_BREAKPOINT, ebreak
  EXPECT s6, 3
  TRAPS 29, CAUSE_ILLEGAL, mret
  EXPECT s10, 0x30200073
  TRAPS 30, CAUSE_ILLEGAL, csrw mepc, a0
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  /* sret in S with SPP = 1: back to S; SIE = SPIE, SPIE = 1, SPP = U */
  TEST 31
  li a0, MSTATUS_SPIE | MSTATUS_SPP
  csrs sstatus, a0
  li a0, MSTATUS_SIE
  csrc sstatus, a0
  la a0, 1f
  csrw sepc, a0
  sret
1:
  csrr a0, sstatus
  li t0, MSTATUS_SIE
  csrc sstatus, t0
  EXPECT_MASKED a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE
  TEST 32
  EXPECT_MODE 1
  TEST 33                        /* SPIE = 0 gives SIE = 0 */
  li a0, MSTATUS_SPIE
  csrc sstatus, a0
  li a0, MSTATUS_SPP
  csrs sstatus, a0
  la a0, 1f
  csrw sepc, a0
  sret
1:
  csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE
  /* sret in S with SPP = 0: to U */
  TEST 34
  li a0, MSTATUS_SPP
  csrc sstatus, a0
  la a0, 1f
  csrw sepc, a0
  sret
1:
  EXPECT_MODE 0
  BACK_TO_M

  /* ---- TSR, TW, TVM ----------------------------------------------------------- */
  li a0, MSTATUS_TSR
  csrs mstatus, a0
  ENTER_S s3
s3:
  TRAPS 35, CAUSE_ILLEGAL, sret
  EXPECT s10, 0x10200073
  EXPECT s6, 3
  BACK_TO_M
  TEST 36                        /* TSR does not apply to M */
  li a0, MSTATUS_SPP
  csrs mstatus, a0
  la a0, 1f
  csrw sepc, a0
  sret
1:
  EXPECT_MODE 1
  BACK_TO_M
  li a0, MSTATUS_TSR
  csrc mstatus, a0
  li a0, MSTATUS_TW
  csrs mstatus, a0
  ENTER_S s4
s4:
  TRAPS 37, CAUSE_ILLEGAL, wfi
  EXPECT s10, 0x10500073
  BACK_TO_M
  ENTER_U u4
u4:
  TRAPS 38, CAUSE_ILLEGAL, wfi
  BACK_TO_M
  li a0, MSTATUS_TW
  csrc mstatus, a0
  li a0, MSTATUS_TVM
  csrs mstatus, a0
  ENTER_S s5
s5:
  TRAPS 39, CAUSE_ILLEGAL, csrr a0, satp
  EXPECT s10, 0x18002573
  TRAPS 40, CAUSE_ILLEGAL, csrw satp, zero
  TRAPS 41, CAUSE_ILLEGAL, sfence.vma
  EXPECT s10, 0x12000073
  TRAPS 42, CAUSE_ILLEGAL, sfence.vma a0, a1
  EXPECT s10, 0x12b50073
  BACK_TO_M
  TEST 43                        /* TVM does not apply to M */
  csrr a0, satp
  sfence.vma
  li a0, MSTATUS_TVM
  csrc mstatus, a0
  ENTER_S s_tvm_clear
s_tvm_clear:
  NOTRAP 44, csrr a0, satp
  NOTRAP 45, sfence.vma
  NOTRAP 46, sfence.vma a0, zero
  BACK_TO_M

  /* ---- delegation ---------------------------------------------------------------- */
  li a0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_FETCH_ACCESS)
  csrw medeleg, a0
  li a0, MSTATUS_SIE
  csrs mstatus, a0               /* SIE = 1 (nothing can interrupt: mie = 0) */
  ENTER_U u5
u5:
  TRAPS 47, CAUSE_ECALL_U, ecall
  EXPECT s6, 1
  EXPECT s10, 0
  TEST 48                        /* sstatus at the S handler: SPP = U, SPIE = 1, SIE = 0 */
  EXPECT_MASKED s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE
  TRAPS 49, CAUSE_ILLEGAL, csrr a0, sstatus
  EXPECT s6, 1
  EXPECT s10, 0x10002573
  TRAPS 50, CAUSE_BREAKPOINT, ebreak
  EXPECT s6, 1
  TEST 51
  li a0, 0x40
  la s7, 1f
  jalr ra, 0(a0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s6, 1
  EXPECT s9, 0x40
  EXPECT s10, 0x40
  TEST 52                        /* into S through the delegated ecall */
  BACK_TO_S
  EXPECT s6, 1
  EXPECT_MODE 1
  TRAPS 53, CAUSE_ILLEGAL, csrr a0, mstatus
  EXPECT s6, 1
  EXPECT s10, 0x30002573
  EXPECT_MASKED s11, MSTATUS_SPP, MSTATUS_SPP
  TRAPS 54, CAUSE_BREAKPOINT, ebreak
  EXPECT s6, 1
  TRAPS 55, CAUSE_ECALL_S, ecall /* ecall from S is not delegated */
  EXPECT s6, 3
  BACK_TO_M
  /* exceptions taken in M are never delegated */
  TRAPS 56, CAUSE_ILLEGAL, csrw mvendorid, zero
  EXPECT s6, 3
  TRAPS 57, CAUSE_BREAKPOINT, ebreak
  EXPECT s6, 3
  TEST 58
  li a0, -1
  csrw medeleg, a0
  la s7, 1f
  ecall
1:
  EXPECT s8, CAUSE_ECALL_M
  EXPECT s6, 3
  TEST 59
  la s7, 1f
  jalr ra, 0(zero)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s9, 0
  EXPECT s6, 3
  /* ecall from S delegated to S */
  li a0, (1 << CAUSE_ECALL_S) | (1 << CAUSE_ECALL_U)
  csrw medeleg, a0
  li a0, MSTATUS_SIE
  csrs mstatus, a0
  ENTER_S s_ecall_deleg
s_ecall_deleg:
  TRAPS 60, CAUSE_ECALL_S, ecall
  EXPECT s6, 1
  EXPECT_MASKED s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
  TEST 61                        /* sret restored SIE */
  csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_SIE, MSTATUS_SIE
  li a0, MSTATUS_SIE
  csrc sstatus, a0
  TRAPS 62, CAUSE_ILLEGAL, csrr a0, mstatus   /* not delegated: to M */
  EXPECT s6, 3
  la s7, 1f                      /* leave S through a non-delegated trap */
  ori s7, s7, 1
  csrr a0, mscratch
1:
  TEST 63
  EXPECT s6, 3
  EXPECT_MODE 3
  csrw medeleg, zero

  /* ---- vectored mtvec / stvec: exceptions go to the base --------------------------- */
  TEST 64
  la a0, m_vectors
  ori a0, a0, 1
  csrw mtvec, a0
  la s7, 1f
  ecall
  j fail
1:
  EXPECT s8, CAUSE_ECALL_M
  TRAPS 65, CAUSE_ILLEGAL, csrw mvendorid, zero
  TRAPS 66, CAUSE_LOAD_ACCESS, ld a0, 0(zero)
  la a0, trap_m
  csrw mtvec, a0
  TEST 67
  la a0, s_vectors
  ori a0, a0, 1
  csrw stvec, a0
  li a0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL)
  csrw medeleg, a0
  ENTER_U u6
u6:
  TRAPS 68, CAUSE_ECALL_U, ecall
  EXPECT s6, 1
  TRAPS 69, CAUSE_ILLEGAL, csrr a0, sstatus
  EXPECT s6, 1
  la s7, 1f                      /* ebreak is not delegated: back to M */
  ori s7, s7, 1
  ebreak
1:
  TEST 70
  EXPECT s6, 3
  EXPECT s8, CAUSE_BREAKPOINT
  EXPECT_MODE 3
  la a0, trap_s
  csrw stvec, a0
  csrw medeleg, zero

  PASS

/* vector tables: entry 0 (exceptions) goes to the usual handler, the rest fail */
  .balign 256
m_vectors:
  j trap_m
  .rept 15
  j fail
  .endr
  .balign 256
s_vectors:
  j trap_s
  .rept 15
  j fail
  .endr

  .balign 4
  .option push
  .option rvc
  c.nop
  .option pop
at_2_mod_4:
  li a5, 10
  jalr x0, 0(ra)
