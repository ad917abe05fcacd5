/* interrupts.S — interrupts on the spike machine's CLINT and through mip:
 * machine timer (mtimecmp at 0x2004000 vs mtime at 0x200BFF8; MTIP follows the
 * comparison), machine software interrupt (msip at 0x2000000; only bit 0 exists),
 * supervisor software / timer / external interrupts raised by writing mip, their
 * delegation to S through mideleg, global enables (MIE/SIE only gate interrupts
 * for the mode they belong to), the priority order MEI > MSI > MTI > SEI > SSI > STI,
 * wfi waking on mip & mie != 0 even with mstatus.MIE = 0, mepc / mtval / mcause of
 * an interrupt, and vectored mtvec / stvec (base + 4 * cause). */
#include "test.h"

/* ARM_TIMER ticks — mtimecmp = mtime + ticks (clobbers t0, t1, t2). */
.macro ARM_TIMER ticks
  li t0, CLINT_MTIME
  ld t1, 0(t0)
  li t2, \ticks
  add t1, t1, t2
  li t0, CLINT_MTIMECMP
  sd t1, 0(t0)
.endm
/* DISARM_TIMER — mtimecmp = all ones: MTIP drops. */
.macro DISARM_TIMER
  li t0, CLINT_MTIMECMP
  li t1, -1
  sd t1, 0(t0)
.endm
.macro SET_MSIP value
  li t0, CLINT_MSIP
  li t1, \value
  sw t1, 0(t0)
.endm
.macro MSTATUS_SET bits
  li t0, \bits
  csrs mstatus, t0
.endm
.macro MSTATUS_CLEAR bits
  li t0, \bits
  csrc mstatus, t0
.endm

  .text
  .globl main
main:
  csrw mie, zero
  csrw mip, zero
  DISARM_TIMER
  SET_MSIP 0

  /* ---- the CLINT registers ------------------------------------------------------ */
  TEST 1                         /* mtime advances */
  li a0, CLINT_MTIME
  ld a1, 0(a0)
  li a2, 20000
1:
  addi a2, a2, -1
  bnez a2, 1b
  ld a3, 0(a0)
  bleu a3, a1, fail
  TEST 2                         /* the time CSR reads mtime, or does not exist: QEMU's
                                    spike board gives its timer no rdtime, so there
                                    time is an illegal instruction even in M */
  ld a1, 0(a0)
  li s8, -1
  la s7, 2f
  csrr a2, time
  li s7, 0
  ld a3, 0(a0)
  bltu a2, a1, fail
  bltu a3, a2, fail
  j 3f
2:
  EXPECT s8, CAUSE_ILLEGAL
3:
  TEST 3                         /* mtimecmp reads back, in 64 bits or 32-bit halves */
  li a0, CLINT_MTIMECMP
  li a1, 0x123456789abcdef0
  sd a1, 0(a0)
  ld a2, 0(a0)
  EXPECT a2, 0x123456789abcdef0
  TEST 4
  li a1, 0x55555555
  sw a1, 4(a0)
  li a1, 0x66666666
  sw a1, 0(a0)
  ld a2, 0(a0)
  EXPECT a2, 0x5555555566666666
  lwu a2, 4(a0)
  EXPECT a2, 0x55555555
  TEST 5                         /* MTIP: set while mtime >= mtimecmp */
  sd zero, 0(a0)
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MTI, 1 << IRQ_MTI
  TEST 6
  DISARM_TIMER
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MTI, 0
  TEST 7                         /* mip.MTIP cannot be written */
  li a1, 1 << IRQ_MTI
  csrs mip, a1
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MTI, 0
  TEST 8                         /* msip: bit 0 only; it drives mip.MSIP */
  li a0, CLINT_MSIP
  li a1, -1
  sw a1, 0(a0)
  lw a2, 0(a0)
  EXPECT a2, 1
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MSI, 1 << IRQ_MSI
  TEST 9
  li a1, 1 << IRQ_MSI
  csrc mip, a1                   /* not writable through mip */
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MSI, 1 << IRQ_MSI
  sw zero, 0(a0)
  lw a2, 0(a0)
  EXPECT a2, 0
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MSI, 0

  /* ---- machine timer interrupt --------------------------------------------------- */
  TEST 10                        /* pending + enabled, but MIE = 0: not taken in M */
  li s7, 0
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 0
  li a2, 1000
1:
  addi a2, a2, -1
  bnez a2, 1b
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MTI, 1 << IRQ_MTI
  TEST 11                        /* MIE = 1: taken at once */
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MTI
  EXPECT s10, 0
  EXPECT s6, 3
  EXPECT_MASKED s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP
  TEST 12                        /* mepc: the instruction after the csrs that enabled it */
  la t5, 1b - 4
  EXPECT_REG s9, t5
  MSTATUS_CLEAR MSTATUS_MIE
  DISARM_TIMER
  TEST 13                        /* a timer in the future, waited for with wfi */
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 2000
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
2:
  wfi
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MTI
  TEST 14                        /* the wait really lasted until mtimecmp */
  li t0, CLINT_MTIME
  ld a1, 0(t0)
  li t0, CLINT_MTIMECMP
  ld a2, 0(t0)
  bltu a1, a2, fail
  TEST 15                        /* mepc = the instruction after wfi (or the wfi) */
  la t5, 2b + 4
  beq s9, t5, 3f
  la t5, 2b
  EXPECT_REG s9, t5
3:
  MSTATUS_CLEAR MSTATUS_MIE
  DISARM_TIMER

  /* ---- wfi wakes on mip & mie even when mstatus.MIE = 0 ---------------------------- */
  TEST 16
  li s7, 0
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 2000
1:
  wfi                            /* returns without a trap */
  csrr a1, mip
  andi a1, a1, 1 << IRQ_MTI
  beqz a1, 1b
  li t0, CLINT_MTIME
  ld a1, 0(t0)
  li t0, CLINT_MTIMECMP
  ld a2, 0(t0)
  bltu a1, a2, fail
  TEST 17                        /* an already pending enabled interrupt: no wait */
  wfi
  wfi
  DISARM_TIMER
  TEST 18                        /* the same for a software interrupt */
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  SET_MSIP 1
  wfi
  SET_MSIP 0
  TEST 19                        /* and for SSIP (set through mip), not delegated */
  li a0, 1 << IRQ_SSI
  csrw mie, a0
  csrs mip, a0
  wfi
  csrc mip, a0
  csrw mie, zero

  /* ---- machine software interrupt ------------------------------------------------ */
  TEST 20
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  SET_MSIP 1
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  EXPECT s10, 0
  MSTATUS_CLEAR MSTATUS_MIE
  SET_MSIP 0
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MSI, 0

  /* ---- priorities ------------------------------------------------------------------ */
  TEST 21                        /* MSI before MTI */
  SET_MSIP 1
  li t0, CLINT_MTIMECMP
  sd zero, 0(t0)
  li a0, (1 << IRQ_MSI) | (1 << IRQ_MTI)
  csrw mie, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  TEST 22                        /* MTI next (the handler masked MSIE) */
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MTI
  MSTATUS_CLEAR MSTATUS_MIE
  SET_MSIP 0
  DISARM_TIMER
  /* (QEMU 7.2 without AIA takes the lowest-numbered pending interrupt first rather
   * than the privileged spec's MEI > MSI > MTI > SEI > SSI > STI; only pairs on whose
   * order both agree are checked: MSI before MTI above, MTI before SEI, SSI before STI) */
  TEST 23                        /* MTI before SEI */
  li t0, CLINT_MTIMECMP
  sd zero, 0(t0)
  li a0, 1 << IRQ_SEI
  csrs mip, a0
  li a0, (1 << IRQ_SEI) | (1 << IRQ_MTI)
  csrw mie, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MTI
  DISARM_TIMER
  TEST 24
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SEI
  TEST 25                        /* SSI before STI */
  li a0, (1 << IRQ_SSI) | (1 << IRQ_STI)
  csrs mip, a0
  csrw mie, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SSI
  TEST 26
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_STI
  EXPECT s6, 3
  MSTATUS_CLEAR MSTATUS_MIE
  TEST 27                        /* the S-level bits stay pending: M wrote them */
  csrr a1, mip
  EXPECT_MASKED a1, 0x222, 0x222
  li a0, 0x222
  csrc mip, a0
  csrr a1, mip
  EXPECT_MASKED a1, 0x222, 0

  /* ---- M-level interrupts in S and U: taken whatever MIE says --------------------- */
  TEST 28
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  MSTATUS_CLEAR MSTATUS_MIE | MSTATUS_MPIE
  SET_MSIP 1
  la s7, 1f
  ori s7, s7, 1                  /* resume in M */
  ENTER_S 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  la t5, 2b
  EXPECT_REG s9, t5
  TEST 29
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  la s7, 1f
  ori s7, s7, 1
  ENTER_U 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  SET_MSIP 0
  TEST 30                        /* a non-delegated S-level interrupt in S goes to M */
  li a0, 1 << IRQ_SSI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  ori s7, s7, 1
  ENTER_S 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SSI
  EXPECT s6, 3
  li a0, 1 << IRQ_SSI
  csrc mip, a0

  /* ---- delegated to S ---------------------------------------------------------------- */
  li a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
  csrw mideleg, a0
  TEST 31                        /* sip shows delegated pending bits; sie the enables */
  li a0, 1 << IRQ_SSI
  csrs mip, a0
  csrr a1, sip
  EXPECT a1, 1 << IRQ_SSI
  csrw sie, a0
  csrr a1, mie
  EXPECT a1, 1 << IRQ_SSI
  TEST 32                        /* delegated: never taken in M, even with MIE and SIE */
  li s7, 0
  MSTATUS_SET MSTATUS_MIE | MSTATUS_SIE
  nop
  nop
  MSTATUS_CLEAR MSTATUS_MIE | MSTATUS_SIE
  TEST 33                        /* in S with SIE = 0: not taken */
  MSTATUS_CLEAR MSTATUS_MPIE
  ENTER_S 2f
2:
  nop
  nop
  TEST 34                        /* SIE = 1: taken in S */
  la s7, 1f
  li t0, MSTATUS_SIE
  csrs sstatus, t0
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SSI
  EXPECT s6, 1
  EXPECT s10, 0
  EXPECT_MASKED s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
  TEST 35                        /* the handler masked it through sie */
  csrr a1, sie
  EXPECT a1, 0
  li t0, MSTATUS_SIE
  csrc sstatus, t0
  TEST 36                        /* S clears its own SSIP through sip */
  li a0, 1 << IRQ_SSI
  csrc sip, a0
  csrr a1, sip
  EXPECT a1, 0
  BACK_TO_M
  TEST 37                        /* delegated STI (M sets STIP) taken in U whatever SIE */
  csrw sie, zero
  li a0, 1 << IRQ_STI
  csrs mip, a0
  csrw mie, a0
  MSTATUS_CLEAR MSTATUS_SIE
  la s7, 1f
  ENTER_U 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_STI
  EXPECT s6, 1
  EXPECT_MASKED s11, MSTATUS_SPP, 0
  la t5, 2b
  EXPECT_REG s9, t5
  BACK_TO_M
  li a0, 1 << IRQ_STI
  csrc mip, a0
  TEST 38                        /* delegated SEI */
  li a0, 1 << IRQ_SEI
  csrs mip, a0
  csrw mie, a0
  la s7, 1f
  ENTER_U 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SEI
  EXPECT s6, 1
  BACK_TO_M
  li a0, 1 << IRQ_SEI
  csrc mip, a0
  TEST 39                        /* delegated and non-delegated both pending in S:
                                    the M-level one (MSI) goes first, to M */
  li a0, (1 << IRQ_SSI)
  csrs mip, a0
  li a0, (1 << IRQ_SSI) | (1 << IRQ_MSI)
  csrw mie, a0
  SET_MSIP 1
  MSTATUS_SET MSTATUS_SIE
  la s7, 1f
  ori s7, s7, 1
  ENTER_S 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  EXPECT s6, 3
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  TEST 40                        /* then, back in S, the SSI */
  SET_MSIP 0
  la s7, 1f
  ENTER_S 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SSI
  EXPECT s6, 1
  BACK_TO_M
  li a0, 1 << IRQ_SSI
  csrc mip, a0
  MSTATUS_CLEAR MSTATUS_SIE
  csrw mideleg, zero

  /* ---- vectored mtvec / stvec --------------------------------------------------------- */
  TEST 41                        /* MTI goes to base + 4 * 7 */
  la a0, m_vectors
  ori a0, a0, 1
  csrw mtvec, a0
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  li t0, CLINT_MTIMECMP
  sd zero, 0(t0)
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MTI
  EXPECT s10, IRQ_MTI            /* the vector entry's mark */
  MSTATUS_CLEAR MSTATUS_MIE
  DISARM_TIMER
  TEST 42                        /* MSI goes to base + 4 * 3 */
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  SET_MSIP 1
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  EXPECT s10, IRQ_MSI
  MSTATUS_CLEAR MSTATUS_MIE
  SET_MSIP 0
  TEST 43                        /* a non-delegated SSI goes to base + 4 * 1 */
  li a0, 1 << IRQ_SSI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SSI
  EXPECT s10, IRQ_SSI
  MSTATUS_CLEAR MSTATUS_MIE
  li a0, 1 << IRQ_SSI
  csrc mip, a0
  la a0, trap_m
  csrw mtvec, a0
  TEST 44                        /* delegated STI through a vectored stvec: base + 4 * 5 */
  la a0, s_vectors
  ori a0, a0, 1
  csrw stvec, a0
  li a0, 1 << IRQ_STI
  csrw mideleg, a0
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  ENTER_U 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_STI
  EXPECT s10, IRQ_STI
  EXPECT s6, 1
  BACK_TO_M
  li a0, 1 << IRQ_STI
  csrc mip, a0
  csrw mideleg, zero
  la a0, trap_s
  csrw stvec, a0

  /* ---- S raising its own software interrupt; wfi in S; a timer arriving in U -------- */
  li a0, 1 << IRQ_SSI
  csrw mideleg, a0
  csrw mie, a0
  ENTER_S 2f
2:
  TEST 45                        /* with SIE = 0, S sets SSIP: pending, not taken */
  li t0, MSTATUS_SIE
  csrc sstatus, t0
  li a0, 1 << IRQ_SSI
  csrs sip, a0
  csrr a1, sip
  EXPECT a1, 1 << IRQ_SSI
  TEST 46                        /* wfi (TW = 0) returns at once: SSIP & SSIE != 0 */
  wfi
  TEST 47                        /* SIE = 1: taken in S */
  la s7, 1f
  li t0, MSTATUS_SIE
  csrs sstatus, t0
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_SSI
  EXPECT s6, 1
  li a0, 1 << IRQ_SSI
  csrc sip, a0
  BACK_TO_M
  csrw mideleg, zero
  TEST 48                        /* the machine timer fires while U spins */
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 3000
  la s7, 1f
  ori s7, s7, 1
  ENTER_U 2f
2:
  j 2b
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MTI
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  la t5, 2b
  EXPECT_REG s9, t5
  DISARM_TIMER
  TEST 49                        /* an interrupt held off in M (MIE = 0) is taken as
                                    soon as mret reaches S: mepc = the S target */
  SET_MSIP 1
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  la s7, 1f
  ori s7, s7, 1
  ENTER_S 2f
2:
  j fail
1:
  EXPECT s8, INTERRUPT_BIT | IRQ_MSI
  la t5, 2b
  EXPECT_REG s9, t5
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  SET_MSIP 0
  csrw mie, zero

  PASS

/* Vector tables: entry n marks its number in mtval / stval (so the check can tell
 * which entry ran) and continues in the usual handler; the handler then reads the
 * mark back as s10. Entry 0 (exceptions) must not be used here. */
  .balign 256
m_vectors:
  j fail
  .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  j m_vector_\n
  .endr
  .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
m_vector_\n:
  csrwi mtval, \n
  j trap_m
  .endr
  .balign 256
s_vectors:
  j fail
  .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  j s_vector_\n
  .endr
  .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
s_vector_\n:
  csrwi stval, \n
  j trap_s
  .endr
