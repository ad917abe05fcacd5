/* counters.S — the base counters and their access control (privileged spec 1.12,
 * 3.1.10-3.1.12 and 4.1.5): cycle / instret shadow mcycle / minstret and advance,
 * mcycle / minstret are writable, mcountinhibit.CY / .IR freeze them, mhpmcounter3 /
 * mhpmevent3 exist, and mcounteren (for S and U) and scounteren (for U, on top of
 * mcounteren) make cycle / time / instret illegal instructions (mtval = the bits)
 * when their bit is clear. The time CSR is not implemented at all on QEMU's spike
 * board (its timer has no rdtime); where it is allowed, reading it may therefore
 * either work or be illegal, but must not trap in any other way. Exact instruction
 * counts are not checked (QEMU derives minstret from the clock). */
#include "test.h"

.macro CTR_OK n, csr
  NOTRAP \n, csrr a0, \csr
.endm
.macro CTR_ILLEGAL n, csr, bits
  TRAPS \n, CAUSE_ILLEGAL, csrr a0, \csr
  EXPECT s10, \bits
.endm
.macro TIME_MAYBE n
  TEST \n
  li s8, -1
  la s7, .Ltime_trap\@
  csrr a0, time
  li s7, 0
  j .Ltime_done\@
.Ltime_trap\@:
  EXPECT s8, CAUSE_ILLEGAL
.Ltime_done\@:
.endm
/* SPIN — a few thousand instructions */
.macro SPIN
  li t0, 2000
.Lspin\@:
  addi t0, t0, -1
  bnez t0, .Lspin\@
.endm
#define CSRR_A0_CYCLE   0xc0002573
#define CSRR_A0_TIME    0xc0102573
#define CSRR_A0_INSTRET 0xc0202573

  .text
  .globl main
main:
  csrw mcountinhibit, zero
  CTR_OK 1, cycle
  CTR_OK 2, instret
  CTR_OK 3, mcycle
  CTR_OK 4, minstret
  TIME_MAYBE 5
  TEST 6                         /* cycle reads mcycle */
  csrr a1, mcycle
  csrr a2, cycle
  csrr a3, mcycle
  bltu a2, a1, fail
  bltu a3, a2, fail
  TEST 7                         /* instret reads minstret */
  csrr a1, minstret
  csrr a2, instret
  csrr a3, minstret
  bltu a2, a1, fail
  bltu a3, a2, fail
  TEST 8                         /* both advance */
  csrr a1, cycle
  csrr a2, instret
  SPIN
  csrr a3, cycle
  csrr a4, instret
  bleu a3, a1, fail
  bleu a4, a2, fail
  TEST 9                         /* mcycle is writable */
  li a0, 1000
  csrw mcycle, a0
  csrr a1, mcycle
  bltu a1, a0, fail
  li a2, 10000000000              /* allow for the host descheduling QEMU */
  bgeu a1, a2, fail
  TEST 10                        /* minstret is writable */
  li a0, 1000
  csrw minstret, a0
  csrr a1, minstret
  bltu a1, a0, fail
  bgeu a1, a2, fail
  /* (QEMU 7.2's first read after inhibiting still shows the running count, later
   * ones the last value written: so the checks are that it does not advance, and
   * that two later reads agree) */
  TEST 11                        /* mcountinhibit.CY freezes mcycle */
  li a0, 1 << 0
  csrw mcountinhibit, a0
  SPIN
  csrr a1, mcycle
  SPIN
  csrr a2, mcycle
  SPIN
  csrr a3, mcycle
  bltu a1, a2, fail
  EXPECT_REG a2, a3
  TEST 12                        /* ...while minstret runs on */
  csrr a1, minstret
  SPIN
  csrr a2, minstret
  bleu a2, a1, fail
  TEST 13                        /* mcountinhibit.IR freezes minstret */
  li a0, 1 << 2
  csrw mcountinhibit, a0
  SPIN
  csrr a1, minstret
  SPIN
  csrr a2, minstret
  SPIN
  csrr a3, minstret
  bltu a1, a2, fail
  EXPECT_REG a2, a3
  TEST 14
  csrr a1, mcycle
  SPIN
  csrr a2, mcycle
  bleu a2, a1, fail
  TEST 15                        /* cleared: both run again */
  csrw mcountinhibit, zero
  csrr a1, mcycle
  csrr a2, minstret
  SPIN
  csrr a3, mcycle
  csrr a4, minstret
  bleu a3, a1, fail
  bleu a4, a2, fail
  TEST 16
  csrr a0, mcountinhibit
  EXPECT a0, 0
  CTR_OK 17, mhpmcounter3
  CTR_OK 18, mhpmevent3
  CTR_OK 19, mhpmcounter4
  TEST 20                        /* the counter-enable bits are writable */
  li a0, 7
  csrw mcounteren, a0
  csrw scounteren, a0
  csrr a1, mcounteren
  EXPECT_MASKED a1, 7, 7
  csrr a1, scounteren
  EXPECT_MASKED a1, 7, 7
  csrw mcounteren, zero
  csrw scounteren, zero
  EXPECT_CSR mcounteren, 0
  EXPECT_CSR scounteren, 0

  /* mcounteren = 0: nothing for S or U */
  ENTER_S s1
s1:
  CTR_ILLEGAL 21, cycle, CSRR_A0_CYCLE
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  CTR_ILLEGAL 22, time, CSRR_A0_TIME
  CTR_ILLEGAL 23, instret, CSRR_A0_INSTRET
  CTR_ILLEGAL 24, mcycle, 0xb0002573      /* an M-level CSR anyway */
  BACK_TO_M
  li a0, 7
  csrw scounteren, a0            /* scounteren alone does not open them for U */
  ENTER_U u1
u1:
  CTR_ILLEGAL 25, cycle, CSRR_A0_CYCLE
  CTR_ILLEGAL 26, time, CSRR_A0_TIME
  CTR_ILLEGAL 27, instret, CSRR_A0_INSTRET
  BACK_TO_M

  /* mcounteren = CY TM IR, scounteren = 0: S reads them, U does not */
  li a0, 7
  csrw mcounteren, a0
  csrw scounteren, zero
  ENTER_S s2
s2:
  CTR_OK 28, cycle
  CTR_OK 29, instret
  TIME_MAYBE 30
  CTR_ILLEGAL 31, hpmcounter3, 0xc0302573   /* its mcounteren bit is clear */
  BACK_TO_M
  ENTER_U u2
u2:
  CTR_ILLEGAL 32, cycle, CSRR_A0_CYCLE
  CTR_ILLEGAL 33, time, CSRR_A0_TIME
  CTR_ILLEGAL 34, instret, CSRR_A0_INSTRET
  BACK_TO_M

  /* both = CY TM IR: U reads them */
  li a0, 7
  csrw scounteren, a0
  ENTER_U u3
u3:
  CTR_OK 35, cycle
  CTR_OK 36, instret
  TIME_MAYBE 37
  BACK_TO_M

  /* bit by bit: mcounteren = CY only */
  li a0, 1
  csrw mcounteren, a0
  ENTER_S s3
s3:
  CTR_OK 38, cycle
  CTR_ILLEGAL 39, instret, CSRR_A0_INSTRET
  CTR_ILLEGAL 40, time, CSRR_A0_TIME
  BACK_TO_M
  ENTER_U u4
u4:
  CTR_OK 41, cycle
  CTR_ILLEGAL 42, instret, CSRR_A0_INSTRET
  BACK_TO_M
  /* mcounteren = IR only */
  li a0, 4
  csrw mcounteren, a0
  ENTER_S s4
s4:
  CTR_ILLEGAL 43, cycle, CSRR_A0_CYCLE
  CTR_OK 44, instret
  BACK_TO_M
  /* mcounteren = all, scounteren = IR only */
  li a0, 7
  csrw mcounteren, a0
  li a0, 4
  csrw scounteren, a0
  ENTER_U u5
u5:
  CTR_ILLEGAL 45, cycle, CSRR_A0_CYCLE
  CTR_OK 46, instret
  CTR_ILLEGAL 47, time, CSRR_A0_TIME
  BACK_TO_M
  /* scounteren is an S CSR: S may set it */
  csrw scounteren, zero
  ENTER_S s5
s5:
  TEST 48
  li a0, 1
  csrw scounteren, a0
  csrr a1, scounteren
  EXPECT_MASKED a1, 7, 1
  CTR_ILLEGAL 49, mcounteren, 0x30602573
  la t0, u6
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrc sstatus, t0
  sret
u6:
  CTR_OK 50, cycle
  CTR_ILLEGAL 51, instret, CSRR_A0_INSTRET
  BACK_TO_M
  csrw mcounteren, zero
  csrw scounteren, zero

  PASS
