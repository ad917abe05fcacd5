/* traps32.S — traps, interrupts and delegation on RV32 (privileged spec 1.12, 3.1.7,
 * 3.1.8, 3.1.15, 3.3): mcause / scause carry the interrupt flag in bit 31 (machine
 * software / timer, supervisor software / timer / external, in M and delegated to S),
 * exceptions keep it clear (ecall from U / S / M, ebreak, illegal with mtval = the bits);
 * the 64-bit CLINT timer driven through 32-bit halves (mtimecmp written high word first,
 * so that no spurious compare fires in between; mtime read high, low, high); vectored
 * mtvec / stvec sending interrupt n to base + 4 * n (the code, not the whole mcause with
 * bit 31) and every exception to base; medeleg / mideleg delegation, never of traps
 * taken in M; the mstatus stack on traps and on mret / sret; interrupt priority
 * (MSI > MTI > SSI, SEI > STI); wfi.
 *
 * QEMU 7.2 deviation (EXPECT_SPEC, see test.h): without AIA, QEMU takes the
 * lowest-numbered pending interrupt first (SSI before MSI and MTI, STI before SEI),
 * where the privileged spec orders MEI, MSI, MTI, SEI, SSI, STI. */
#include "test.h"

#define CLINT_MTIMECMP_HI (CLINT_MTIMECMP + 4)
#define CLINT_MTIME_HI    (CLINT_MTIME + 4)

/* MTIME64 lo, hi — read the 64-bit mtime through its halves (clobbers t0, t1). */
.macro MTIME64 lo, hi
  li t0, CLINT_MTIME
.Lmtime\@:
  lw \hi, 4(t0)
  lw \lo, 0(t0)
  lw t1, 4(t0)
  bne t1, \hi, .Lmtime\@
.endm
/* ARM_TIMER ticks — mtimecmp = mtime + ticks, written as RV32 must: high word all
 * ones first, then the low word, then the high word (clobbers t0-t4). */
.macro ARM_TIMER ticks
  MTIME64 t2, t3
  li t4, \ticks
  add t4, t2, t4
  sltu t2, t4, t2                /* carry into the high word */
  add t3, t3, t2
  li t0, CLINT_MTIMECMP
  li t1, -1
  sw t1, 4(t0)
  sw t4, 0(t0)
  sw t3, 4(t0)
.endm
/* DISARM_TIMER — mtimecmp = all ones: MTIP drops. */
.macro DISARM_TIMER
  li t0, CLINT_MTIMECMP
  li t1, -1
  sw t1, 4(t0)
  sw t1, 0(t0)
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
/* WAIT_FOR_IRQ — spin a little for an interrupt that is already pending and enabled
 * (it is taken at once: the handler resumes at s7); fail if it is not. */
.macro WAIT_FOR_IRQ
  li t2, 1000
.Lwait\@:
  addi t2, t2, -1
  bnez t2, .Lwait\@
  j fail
.endm
/* WAIT_FOR_TIMER — wait in wfi for the timer interrupt the check armed, giving up
 * after 100 ms of mtime. (Free-running QEMU delivers a timer interrupt a few
 * milliseconds late; wfi waits for it without counting instructions.) */
.macro WAIT_FOR_TIMER
  li t0, CLINT_MTIME
  lw t2, 0(t0)
.Lwait\@:
  wfi
  lw t3, 0(t0)
  sub t3, t3, t2
  li t1, 1000000
  bltu t3, t1, .Lwait\@
  j fail
.endm

  .text
  .globl main
main:
  csrw mie, zero
  csrw mip, zero
  DISARM_TIMER
  SET_MSIP 0

  /* ---- exceptions: bit 31 of mcause clear --------------------------------------------- */
  TRAPS 1, CAUSE_ECALL_M, ecall
  EXPECT s10, 0
  EXPECT s6, 3
  TRAPS 2, CAUSE_BREAKPOINT, ebreak
  TRAPS 3, CAUSE_ILLEGAL, .word 0xffffffff
  EXPECT s10, 0xffffffff         /* mtval = all 32 instruction bits */
  TRAPS 4, CAUSE_ILLEGAL, csrw mvendorid, zero
  EXPECT s10, 0xf1101073
  TEST 5                         /* an access fault at the top of the address space */
  li a0, 0xfffffffc
  la s7, 1f
2:
  jalr ra, 0(a0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  EXPECT s9, 0xfffffffc
  EXPECT s10, 0xfffffffc
  la t0, 2b + 4
  EXPECT_REG ra, t0
  ENTER_U u1
u1:
  TRAPS 6, CAUSE_ECALL_U, ecall
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  BACK_TO_M
  ENTER_S s1
s1:
  TRAPS 7, CAUSE_ECALL_S, ecall
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  BACK_TO_M

  /* ---- the 64-bit timer through 32-bit halves -------------------------------------------- */
  TEST 8                         /* mtime advances; its high word is a separate word */
  MTIME64 a0, a1
  li a2, 5000
1:
  addi a2, a2, -1
  bnez a2, 1b
  MTIME64 a2, a3
  bltu a3, a1, fail
  bne a3, a1, 2f
  bleu a2, a0, fail
2:
  TEST 9                         /* mtimecmp's halves read back separately */
  li a0, CLINT_MTIMECMP
  li a1, 0x89abcdef
  sw a1, 4(a0)
  li a1, 0x01234567
  sw a1, 0(a0)
  lw a2, 0(a0)
  EXPECT a2, 0x01234567
  lw a2, 4(a0)
  EXPECT a2, 0x89abcdef
  TEST 10                        /* high word 0, low word 0: MTIP */
  sw zero, 0(a0)
  sw zero, 4(a0)
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MTI, 1 << IRQ_MTI
  TEST 11                        /* high word above mtime's: no MTIP whatever the low */
  li a1, 1
  sw a1, 4(a0)
  csrr a1, mip
  EXPECT_MASKED a1, 1 << IRQ_MTI, 0
  DISARM_TIMER

  /* ---- interrupts in M: mcause = 0x80000000 | code -------------------------------------- */
  TEST 12                        /* machine timer */
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 200
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  WAIT_FOR_TIMER
1:
  EXPECT s8, 0x80000007
  EXPECT s10, 0
  EXPECT s6, 3
  bgez s8, fail                  /* the flag is the sign bit */
  EXPECT_MASKED s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP
  MSTATUS_CLEAR MSTATUS_MIE
  DISARM_TIMER
  TEST 13                        /* machine software */
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  la s7, 1f
  SET_MSIP 1
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, 0x80000003
  MSTATUS_CLEAR MSTATUS_MIE
  SET_MSIP 0
  TEST 14                        /* supervisor software, not delegated: to M */
  li a0, 1 << IRQ_SSI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, 0x80000001
  EXPECT s6, 3
  MSTATUS_CLEAR MSTATUS_MIE
  csrw mip, zero
  TEST 15                        /* supervisor timer (mip.STIP written by M) */
  li a0, 1 << IRQ_STI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, 0x80000005
  MSTATUS_CLEAR MSTATUS_MIE
  csrw mip, zero
  TEST 16                        /* supervisor external (mip.SEIP written by M) */
  li a0, 1 << IRQ_SEI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, 0x80000009
  MSTATUS_CLEAR MSTATUS_MIE
  csrw mip, zero
  TEST 17                        /* from U, an M interrupt is taken whatever MIE says */
  li a0, 1 << IRQ_MSI
  csrw mie, a0
  MSTATUS_CLEAR MSTATUS_MPIE     /* U runs with MIE = 0 */
  ENTER_U u2
u2:
  la s7, 1f
  ori s7, s7, 1                  /* resume in M */
  SET_MSIP 1
  WAIT_FOR_IRQ
1:
  EXPECT s8, 0x80000003
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  SET_MSIP 0
  TEST 18                        /* priority: MSI before MTI (both orders agree) */
  li a0, (1 << IRQ_MSI) | (1 << IRQ_MTI)
  csrw mie, a0
  SET_MSIP 1
  ARM_TIMER 0
  li t2, 100                     /* let MTIP rise */
2:
  addi t2, t2, -1
  bnez t2, 2b
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, 0x80000003
  SET_MSIP 0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT s8, 0x80000007
  DISARM_TIMER
  /* MSI, MTI, SSI pending together: taken in the order MSI, MTI, SSI (privileged spec
   * 3.1.9: MEI, MSI, MTI, SEI, SSI, STI). QEMU 7.2 without AIA takes the lowest-numbered
   * pending interrupt first: SSI, MSI, MTI. */
  TEST 19
  li a0, (1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_SSI)
  csrw mie, a0
  li a0, 1 << IRQ_SSI
  csrs mip, a0
  SET_MSIP 1
  ARM_TIMER 0
  li t2, 100
2:
  addi t2, t2, -1
  bnez t2, 2b
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT_SPEC s8, 0x80000003, 0x80000001       /* QEMU 7.2: SSI first */
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT_SPEC s8, 0x80000007, 0x80000003
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT_SPEC s8, 0x80000001, 0x80000007
  SET_MSIP 0
  DISARM_TIMER
  csrw mip, zero
  TEST 20                        /* SEI before STI (QEMU 7.2: STI first) */
  li a0, (1 << IRQ_SEI) | (1 << IRQ_STI)
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT_SPEC s8, 0x80000009, 0x80000005
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT_SPEC s8, 0x80000005, 0x80000009
  csrw mip, zero
  csrw mie, zero
  TEST 21                        /* wfi wakes on a pending enabled interrupt, MIE = 0 */
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 1000
1:
  wfi
  csrr a1, mip
  andi a1, a1, 1 << IRQ_MTI
  beqz a1, 1b
  DISARM_TIMER
  csrw mie, zero

  /* ---- vectored mtvec: interrupt n at base + 4n, exceptions at base ---------------------- */
  la a0, mvec
  ori a0, a0, 1
  csrw mtvec, a0
  TEST 22
  li t4, -1
  li a0, 1 << IRQ_SSI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT t4, IRQ_SSI             /* the stub at base + 4 * 1 ran */
  EXPECT s8, 0x80000001
  csrw mip, zero
  TEST 23
  li t4, -1
  li a0, 1 << IRQ_MTI
  csrw mie, a0
  ARM_TIMER 100
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  WAIT_FOR_TIMER
1:
  EXPECT t4, IRQ_MTI
  EXPECT s8, 0x80000007
  DISARM_TIMER
  TEST 24
  li t4, -1
  li a0, 1 << IRQ_SEI
  csrw mie, a0
  csrs mip, a0
  la s7, 1f
  MSTATUS_SET MSTATUS_MIE
  j fail
1:
  EXPECT t4, IRQ_SEI
  EXPECT s8, 0x80000009
  csrw mip, zero
  csrw mie, zero
  TEST 25                        /* an exception goes to the base */
  li t4, -1
  la s7, 1f
  ecall
1:
  EXPECT t4, 0
  EXPECT s8, CAUSE_ECALL_M
  TEST 26
  li t4, -1
  la s7, 1f
  .word 0
1:
  EXPECT t4, 0
  EXPECT s8, CAUSE_ILLEGAL
  la a0, trap_m
  csrw mtvec, a0

  /* ---- delegation to S: scause bit 31 --------------------------------------------------- */
  /* (the handlers clear the enable of each interrupt they take: checks set it again) */
  li a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
  csrw mideleg, a0
  li a0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT)
  csrw medeleg, a0
  ENTER_S s2
s2:
  TEST 27                        /* delegated SSI with SIE = 1, in S */
  li a0, 1 << IRQ_SSI
  csrs sie, a0
  csrs sip, a0                   /* S may set SSIP */
  la s7, 1f
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  j fail
1:
  EXPECT s6, 1
  EXPECT s8, 0x80000001
  EXPECT s10, 0
  EXPECT_MASKED s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
  li a0, MSTATUS_SIE
  csrc sstatus, a0
  li a0, 1 << IRQ_SSI
  csrc sip, a0
  TEST 28                        /* delegated interrupts wait while SIE = 0 in S */
  li a0, 1 << IRQ_SSI
  csrs sie, a0
  csrs sip, a0
  li a1, 100
2:
  addi a1, a1, -1
  bnez a1, 2b
  csrr a2, sip
  EXPECT_MASKED a2, 1 << IRQ_SSI, 1 << IRQ_SSI
  la s7, 1f
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  j fail
1:
  EXPECT s8, 0x80000001
  li a0, MSTATUS_SIE
  csrc sstatus, a0
  TEST 29                        /* delegated exceptions: scause bit 31 clear */
  la s7, 1f
2:
  .word 0x0000100b               /* custom-0: illegal */
  j fail
1:
  EXPECT s6, 1
  EXPECT_TRAP CAUSE_ILLEGAL, 2b
  EXPECT s10, 0x0000100b
  TEST 30                        /* ecall from S is not delegated here: to M */
  la s7, 1f
  ori s7, s7, 1
  ecall
1:
  EXPECT s6, 3
  EXPECT s8, CAUSE_ECALL_S
  /* (now in M) */
  TEST 31                        /* delegated interrupts are not taken in M */
  li a0, 1 << IRQ_SSI
  csrs mie, a0
  csrs mip, a0
  MSTATUS_SET MSTATUS_MIE | MSTATUS_SIE
  li a1, 100
2:
  addi a1, a1, -1
  bnez a1, 2b
  MSTATUS_CLEAR MSTATUS_MIE | MSTATUS_SIE
  TEST 32                        /* ...but at once on the way down to U, in S */
  la s7, 1f
  ori s7, s7, 1                  /* resume in S */
  ENTER_U u3
u3:
  WAIT_FOR_IRQ
1:
  EXPECT s6, 1
  EXPECT s8, 0x80000001
  la t0, u3
  EXPECT_REG s9, t0
  EXPECT_MASKED s11, MSTATUS_SPP, 0
  li a0, 1 << IRQ_SSI
  csrc sip, a0
  BACK_TO_M
  TEST 33                        /* delegated STI in S */
  li a0, 1 << IRQ_STI
  csrs mie, a0
  csrs mip, a0
  MSTATUS_CLEAR MSTATUS_SIE
  ENTER_S s3
s3:
  la s7, 1f
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  j fail
1:
  EXPECT s6, 1
  EXPECT s8, 0x80000005
  BACK_TO_M
  csrw mip, zero
  TEST 34                        /* delegated SEI in S */
  li a0, 1 << IRQ_SEI
  csrs mie, a0
  csrs mip, a0
  ENTER_S s4
s4:
  la s7, 1f
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  j fail
1:
  EXPECT s6, 1
  EXPECT s8, 0x80000009
  BACK_TO_M
  csrw mip, zero

  /* ---- vectored stvec ------------------------------------------------------------------ */
  la a0, svec
  ori a0, a0, 1
  csrw stvec, a0
  li a0, (1 << IRQ_SSI) | (1 << IRQ_STI)
  csrs mie, a0
  ENTER_S s5
s5:
  TEST 35
  li t4, -1
  li a0, 1 << IRQ_SSI
  csrs sip, a0
  la s7, 1f
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  j fail
1:
  EXPECT t4, IRQ_SSI
  EXPECT s8, 0x80000001
  li a0, 1 << IRQ_SSI
  csrc sip, a0
  TEST 36                        /* exceptions at the base */
  li t4, -1
  la s7, 1f
  ebreak
1:
  EXPECT t4, 0
  EXPECT s8, CAUSE_BREAKPOINT
  BACK_TO_M
  TEST 37
  li a0, 1 << IRQ_STI
  csrs mip, a0
  li t4, -1
  ENTER_S s6_
s6_:
  la s7, 1f
  li a0, MSTATUS_SIE
  csrs sstatus, a0
  j fail
1:
  EXPECT t4, IRQ_STI
  EXPECT s8, 0x80000005
  BACK_TO_M
  csrw mip, zero
  la a0, trap_s
  csrw stvec, a0
  csrw mideleg, zero
  csrw medeleg, zero
  csrw mie, zero

  /* ---- the status stack on mret / sret ----------------------------------------------------- */
  TEST 38                        /* mret: MIE = MPIE, MPIE = 1, MPP = U */
  MSTATUS_SET MSTATUS_MPIE | MSTATUS_MPP
  MSTATUS_CLEAR MSTATUS_MIE
  la a0, 1f
  csrw mepc, a0
  mret
1:
  csrr a0, mstatus
  MSTATUS_CLEAR MSTATUS_MIE
  EXPECT_MASKED a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE
  TEST 39                        /* sret from M: SIE = SPIE, SPIE = 1, SPP = U, to S */
  MSTATUS_SET MSTATUS_SPP
  MSTATUS_CLEAR MSTATUS_SPIE | MSTATUS_SIE
  la a0, 1f
  csrw sepc, a0
  sret
1:
  csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE
  EXPECT_MODE 1
  BACK_TO_M

  PASS

/* mvec / svec — vector tables: entry n sets t4 = n and goes to the usual handler. */
  .balign 256
mvec:
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  j mvec_\n
  .endr
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
mvec_\n:
  li t4, \n
  j trap_m
  .endr
  .balign 256
svec:
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  j svec_\n
  .endr
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
svec_\n:
  li t4, \n
  j trap_s
  .endr
