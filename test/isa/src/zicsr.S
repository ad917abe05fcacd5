/* zicsr.S — the Zicsr instructions csrrw csrrs csrrc csrrwi csrrsi csrrci:
 * old value returned, set / clear / write semantics, 5-bit zero-extended immediates,
 * rd = x0 (no read side) and rs1 = x0 / uimm = 0 (no write: allowed on read-only
 * CSRs), any write attempt to a read-only CSR or access to a missing CSR traps as
 * illegal with mtval = the instruction bits, CSR privilege (bits 9:8 of the number)
 * enforced from S and U, and the sstatus / sie / sip views of their M registers. */
#include "test.h"

  .text
  .globl main
main:
  /* csrrw: returns the old value, writes the new */
  TEST 1
  li a0, 0x0123456789abcdef
  csrw mscratch, a0
  li a1, -1
  csrrw a2, mscratch, a1
  EXPECT a2, 0x0123456789abcdef
  csrr a3, mscratch
  EXPECT a3, -1
  TEST 2                         /* rd = rs1: a swap */
  li a0, 0x55
  csrrw a0, mscratch, a0
  EXPECT a0, -1
  EXPECT_CSR mscratch, 0x55
  TEST 3                         /* rd = x0 still writes */
  li a0, 0x66
  csrrw x0, mscratch, a0
  EXPECT_CSR mscratch, 0x66
  EXPECT x0, 0
  /* csrrs / csrrc */
  TEST 4
  li a0, 0xf0f0
  csrw mscratch, a0
  li a1, 0x0ff0000000000f0f
  csrrs a2, mscratch, a1
  EXPECT a2, 0xf0f0
  EXPECT_CSR mscratch, 0x0ff000000000ffff
  TEST 5
  li a1, 0x0f0000000000f00f
  csrrc a2, mscratch, a1
  EXPECT a2, 0x0ff000000000ffff
  EXPECT_CSR mscratch, 0x00f0000000000ff0
  TEST 6                         /* rs1 = x0: read only */
  csrrs a2, mscratch, x0
  EXPECT a2, 0x00f0000000000ff0
  csrrc a2, mscratch, x0
  EXPECT a2, 0x00f0000000000ff0
  EXPECT_CSR mscratch, 0x00f0000000000ff0
  TEST 7                         /* rd = x0 with set / clear */
  li a1, 1
  csrrs x0, mscratch, a1
  EXPECT_CSR mscratch, 0x00f0000000000ff1
  li a1, 0x00f0000000000000
  csrrc x0, mscratch, a1
  EXPECT_CSR mscratch, 0xff1
  /* immediate forms: 5-bit uimm, zero-extended */
  TEST 8
  csrrwi a2, mscratch, 31
  EXPECT a2, 0xff1
  EXPECT_CSR mscratch, 31
  TEST 9
  csrrci a2, mscratch, 0x15
  EXPECT a2, 31
  EXPECT_CSR mscratch, 0x0a
  TEST 10
  csrrsi a2, mscratch, 0x10
  EXPECT a2, 0x0a
  EXPECT_CSR mscratch, 0x1a
  TEST 11
  csrrsi a2, mscratch, 0         /* uimm = 0: no write */
  csrrci a2, mscratch, 0
  EXPECT a2, 0x1a
  EXPECT_CSR mscratch, 0x1a
  TEST 12
  csrrwi a2, mscratch, 0
  EXPECT a2, 0x1a
  EXPECT_CSR mscratch, 0
  TEST 13
  li a0, -1
  csrw mscratch, a0
  csrrci x0, mscratch, 31
  EXPECT_CSR mscratch, 0xffffffffffffffe0
  /* sscratch is a separate 64-bit register */
  TEST 14
  li a0, 0x8000000000000001
  csrw sscratch, a0
  csrw mscratch, zero
  EXPECT_CSR sscratch, 0x8000000000000001
  EXPECT_CSR mscratch, 0

  /* reading a read-only CSR is fine; any write attempt is illegal */
  NOTRAP 15, csrr a0, mvendorid
  NOTRAP 16, csrrs a0, mhartid, x0
  EXPECT a0, 0
  NOTRAP 17, csrrsi a0, marchid, 0
  NOTRAP 18, csrrci a0, mimpid, 0
  NOTRAP 19, csrr a0, cycle
  NOTRAP 20, csrr a0, instret
  TRAPS 21, CAUSE_ILLEGAL, csrw mvendorid, zero
  EXPECT s10, 0xf1101073
  TRAPS 22, CAUSE_ILLEGAL, csrrw a0, mhartid, a0
  /* (the spec also makes csrrs/csrrc with rs1 != x0 holding 0 a write attempt;
   * QEMU 7.2 lets that through, so it is not checked) */
  TEST 23
  li a1, 4
  la s7, 1f
2:
  csrrs a0, mhartid, a1
  j fail
1:
  EXPECT_TRAP CAUSE_ILLEGAL, 2b
  TRAPS 24, CAUSE_ILLEGAL, csrrci a0, marchid, 1
  TRAPS 25, CAUSE_ILLEGAL, csrrwi x0, mimpid, 0
  TRAPS 26, CAUSE_ILLEGAL, csrw cycle, zero
  TRAPS 27, CAUSE_ILLEGAL, csrrsi a0, instret, 4
  li a1, 2
  TRAPS 28, CAUSE_ILLEGAL, csrrc a0, time, a1
  /* a trapping CSR instruction leaves rd unchanged */
  TEST 29
  li a0, 0x29
  la s7, 1f
  csrrw a0, mvendorid, a0
  j fail
1:
  EXPECT a0, 0x29

  /* CSRs that do not exist */
  TRAPS 30, CAUSE_ILLEGAL, csrr a0, 0x7c0
  EXPECT s10, 0x7c002573
  TRAPS 31, CAUSE_ILLEGAL, csrw 0x8ff, a0
  TRAPS 32, CAUSE_ILLEGAL, csrr a0, 0xfff
  TRAPS 33, CAUSE_ILLEGAL, csrr a0, 0x5ff
  TRAPS 34, CAUSE_ILLEGAL, csrr a0, 0x7b0    /* dcsr: debug mode only */

  /* sstatus is a restricted view of mstatus */
  TEST 35
  li a0, MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE
  csrc mstatus, a0
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  csrr a1, mstatus
  andi a1, a1, MSTATUS_SIE | MSTATUS_MIE
  EXPECT a1, MSTATUS_SIE
  TEST 36
  li a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_SPIE
  csrs sstatus, a0               /* MIE / MPIE are not in sstatus */
  csrr a1, mstatus
  andi a1, a1, MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE
  EXPECT a1, MSTATUS_SIE | MSTATUS_SPIE
  TEST 37
  li a0, MSTATUS_MIE | MSTATUS_MPIE
  csrs mstatus, a0
  csrr a1, sstatus
  li a2, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
  and a1, a1, a2
  EXPECT a1, 0
  li a0, MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE
  csrc mstatus, a0
  TEST 38                        /* SPP, SUM, MXR are shared */
  li a0, MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
  csrs mstatus, a0
  csrr a1, sstatus
  and a1, a1, a0
  EXPECT_REG a1, a0
  csrc sstatus, a0
  csrr a1, mstatus
  and a1, a1, a0
  EXPECT a1, 0
  /* sie / sip show only what mideleg delegates */
  TEST 39
  csrw mideleg, zero
  li a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
  csrw mie, a0
  EXPECT_CSR sie, 0
  csrw mideleg, a0
  EXPECT_CSR sie, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
  TEST 40
  csrw sie, zero
  EXPECT_CSR mie, 0
  li a1, 1 << IRQ_MSI | 1 << IRQ_SSI
  csrw sie, a1                   /* MSIE is not reachable through sie */
  EXPECT_CSR mie, 1 << IRQ_SSI
  csrw mie, zero
  TEST 41
  li a1, 1 << IRQ_SSI
  csrs sip, a1
  csrr a2, mip
  andi a2, a2, 1 << IRQ_SSI
  EXPECT a2, 1 << IRQ_SSI
  csrc sip, a1
  csrr a2, mip
  andi a2, a2, 1 << IRQ_SSI
  EXPECT a2, 0
  csrw mideleg, zero

  /* CSR privilege: from S, M-level CSRs are illegal, S-level ones fine */
  ENTER_S s_mode
s_mode:
  NOTRAP 42, csrw sscratch, a0
  NOTRAP 43, csrr a0, sstatus
  TRAPS 44, CAUSE_ILLEGAL, csrr a0, mscratch
  EXPECT s10, 0x34002573
  EXPECT s6, 3
  TRAPS 45, CAUSE_ILLEGAL, csrr a0, mstatus
  TRAPS 46, CAUSE_ILLEGAL, csrw mtvec, a0
  TRAPS 47, CAUSE_ILLEGAL, csrr a0, mhartid
  TRAPS 48, CAUSE_ILLEGAL, csrr a0, misa
  la t0, u_mode                  /* sret into U */
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrc sstatus, t0
  sret
u_mode:
  /* from U, S- and M-level CSRs are illegal */
  TRAPS 49, CAUSE_ILLEGAL, csrr a0, sscratch
  EXPECT s10, 0x14002573
  TRAPS 50, CAUSE_ILLEGAL, csrr a0, sstatus
  TRAPS 51, CAUSE_ILLEGAL, csrw stvec, a0
  TRAPS 52, CAUSE_ILLEGAL, csrr a0, mscratch
  TRAPS 53, CAUSE_ILLEGAL, csrr a0, satp
  BACK_TO_M
  TEST 54
  EXPECT s8, CAUSE_ECALL_U
  csrr a0, mstatus
  srli a0, a0, 11
  andi a0, a0, 3
  EXPECT a0, 0                   /* back in M through mret, which left MPP = U */

  PASS
