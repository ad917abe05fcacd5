/* rv32-counters.S — the 64-bit counters as RV32 reads them (privileged spec 1.12,
 * 3.1.10-3.1.12; Zicntr / Zihpm): the high halves cycleh / instreth / hpmcounter3h and
 * mcycleh / minstreth / mhpmcounter3h exist, read the upper 32 bits, and are writable
 * (M) separately from the low halves; a consistent 64-bit read (high, low, high again);
 * mcountinhibit freezing both halves; the low half carrying into the high half when it
 * wraps; mcounteren / scounteren gating the high halves exactly as the low ones, with
 * mtval = the instruction bits; and timeh, which exists exactly when time does (QEMU's
 * spike board has neither: its timer gives no rdtime) and then reads the CLINT's mtime.
 *
 * QEMU 7.2 deviations (EXPECT_SPEC and ISA_STRICT, see test.h): when mcycle /
 * minstret wrap, QEMU leaves mcycleh / minstreth as they were (it derives each half from
 * the host clock separately), where the two halves are one 64-bit counter; csrrs on a
 * read-only counter with rs1 != x0 holding 0 does not trap in QEMU (it looks at the
 * value), where Zicsr counts it as a write, which is illegal. (Also, QEMU reads an
 * inhibited counter as the value last written, losing what it counted since: the
 * checks read running counters, or counters written while inhibited.) */
#include "test.h"

.macro CTR_OK n, csr
  NOTRAP \n, csrr a0, \csr
.endm
.macro CTR_ILLEGAL n, csr, bits
  TRAPS \n, CAUSE_ILLEGAL, csrr a0, \csr
  EXPECT s10, \bits
.endm
/* SPIN — a few hundred instructions */
.macro SPIN
  li t0, 300
.Lspin\@:
  addi t0, t0, -1
  bnez t0, .Lspin\@
.endm
/* (csrr a0, X) encodings */
#define CSRR_A0_CYCLEH       0xc8002573
#define CSRR_A0_TIMEH        0xc8102573
#define CSRR_A0_INSTRETH     0xc8202573
#define CSRR_A0_HPMCOUNTER3H 0xc8302573
#define CSRR_A0_CYCLE        0xc0002573

  .text
  .globl main
main:
  csrw mcountinhibit, zero
  CTR_OK 1, cycleh
  CTR_OK 2, instreth
  CTR_OK 3, mcycleh
  CTR_OK 4, minstreth
  CTR_OK 5, mhpmcounter3h
  CTR_OK 6, hpmcounter3h
  TEST 7                         /* timeh exists exactly when time does */
  li s1, 0
  li s8, -1
  la s7, 1f
  csrr a0, time
  li s7, 0
  li s1, 1
  j 2f
1:
  EXPECT s8, CAUSE_ILLEGAL
2:
  li s2, 0
  li s8, -1
  la s7, 1f
  csrr a0, timeh
  li s7, 0
  li s2, 1
  j 2f
1:
  EXPECT s8, CAUSE_ILLEGAL
2:
  EXPECT_REG s1, s2
  mv s3, s1                      /* s3 = 1: time / timeh exist */
  TEST 8                         /* if so, timeh is the high word of mtime (read as
                                    high, low, high until the high word holds still) */
  beqz s3, 2f
  li t1, CLINT_MTIME
1:
  csrr a0, timeh
  lw a1, 4(t1)
  csrr a2, timeh
  bne a0, a2, 1b
  EXPECT_REG a0, a1
2:

  /* ---- frozen: each half holds exactly what was written ------------------------------------ */
  li t0, 5                       /* CY and IR */
  csrw mcountinhibit, t0
  TEST 9
  li a0, 0x12345678
  csrw mcycle, a0
  li a0, 0x9abcdef0
  csrw mcycleh, a0
  EXPECT_CSR mcycleh, 0x9abcdef0
  EXPECT_CSR mcycle, 0x12345678  /* writing the high half left the low half alone */
  TEST 10                        /* the user-level shadows read the same */
  EXPECT_CSR cycleh, 0x9abcdef0
  EXPECT_CSR cycle, 0x12345678
  TEST 11
  li a0, 0x0badcafe
  csrw minstret, a0
  li a0, 0x00c0ffee
  csrw minstreth, a0
  li a0, 0xfeedface
  csrw minstret, a0              /* writing the low half leaves the high half alone */
  EXPECT_CSR minstreth, 0x00c0ffee
  EXPECT_CSR minstret, 0xfeedface
  EXPECT_CSR instreth, 0x00c0ffee
  EXPECT_CSR instret, 0xfeedface
  TEST 12                        /* still frozen after a while */
  SPIN
  EXPECT_CSR mcycleh, 0x9abcdef0
  EXPECT_CSR mcycle, 0x12345678
  EXPECT_CSR minstreth, 0x00c0ffee
  TEST 13                        /* mhpmcounter3h holds what is written */
  li a0, 0x77
  csrw mhpmcounter3h, a0
  csrr a1, mhpmcounter3h
  csrr a2, hpmcounter3h
  EXPECT_REG a1, a2
  csrw mhpmcounter3h, zero

  /* ---- running: the low half carries into the high half ------------------------------------- */
  TEST 14
  li a0, 0xfffff000
  csrw mcycle, a0
  li a0, 9
  csrw mcycleh, a0
  li a0, 0xfffff000
  csrw minstret, a0
  li a0, 9
  csrw minstreth, a0
  csrw mcountinhibit, zero       /* 4096 cycles / instructions to the carry */
  li t0, 3000                    /* 6000 instructions */
1:
  addi t0, t0, -1
  bnez t0, 1b
  csrr a0, minstreth             /* (read running: QEMU 7.2 loses the count on inhibit) */
  csrr a1, minstret
  csrr a2, mcycleh
  csrr a3, mcycle
  EXPECT_SPEC a0, 10, 9          /* QEMU 7.2: no carry */
  TEST 15                        /* the low half wrapped: small now */
  bltz a1, fail
  TEST 16
  EXPECT_SPEC a2, 10, 9          /* QEMU 7.2: no carry */
  bltz a3, fail
  TEST 17                        /* a 64-bit read: high, low, high again */
  csrw mcountinhibit, zero
1:
  csrr a1, cycleh
  csrr a0, cycle
  csrr a2, cycleh
  bne a1, a2, 1b
  li t0, 9
  bltu a1, t0, fail              /* at least 9 (10 by the spec) */
  TEST 18                        /* and it keeps counting */
  csrr a3, cycle
  SPIN
  csrr a4, cycle
  csrr a5, cycleh
  bltu a5, a2, fail              /* the high half never goes back */
  bne a5, a2, 1f
  bleu a4, a3, fail              /* same high half: the low one went up */
1:
  TEST 19                        /* cleared: the counters restart low */
  csrw mcycleh, zero
  csrw minstreth, zero
  EXPECT_CSR mcycleh, 0
  csrr a0, minstreth
  li t0, 2
  bgeu a0, t0, fail              /* (at most one carry since) */

  /* ---- counter enables for the high halves ------------------------------------------------- */
  csrw mcounteren, zero
  csrw scounteren, zero
  ENTER_S s1
s1:
  CTR_ILLEGAL 20, cycleh, CSRR_A0_CYCLEH
  CTR_ILLEGAL 21, instreth, CSRR_A0_INSTRETH
  CTR_ILLEGAL 22, timeh, CSRR_A0_TIMEH
  CTR_ILLEGAL 23, hpmcounter3h, CSRR_A0_HPMCOUNTER3H
  CTR_ILLEGAL 24, mcycleh, 0xb8002573            /* an M-level CSR anyway */
  CTR_ILLEGAL 25, minstreth, 0xb8202573
  BACK_TO_M
  li a0, 1 | 4 | 8               /* CY, IR, HPM3 for S */
  csrw mcounteren, a0
  ENTER_S s2
s2:
  CTR_OK 26, cycleh
  CTR_OK 27, instreth
  CTR_OK 28, hpmcounter3h
  CTR_ILLEGAL 29, mcycleh, 0xb8002573
  BACK_TO_M
  ENTER_U u1                     /* scounteren = 0: not for U */
u1:
  CTR_ILLEGAL 30, cycleh, CSRR_A0_CYCLEH
  CTR_ILLEGAL 31, instreth, CSRR_A0_INSTRETH
  CTR_ILLEGAL 32, hpmcounter3h, CSRR_A0_HPMCOUNTER3H
  BACK_TO_M
  li a0, 1                       /* U: cycle and cycleh only */
  csrw scounteren, a0
  ENTER_U u2
u2:
  CTR_OK 33, cycleh
  CTR_OK 34, cycle
  CTR_ILLEGAL 35, instreth, CSRR_A0_INSTRETH
  BACK_TO_M
  li a0, 4                       /* mcounteren = IR only: cycleh goes for S too */
  csrw mcounteren, a0
  li a0, 7
  csrw scounteren, a0
  ENTER_S s3
s3:
  CTR_ILLEGAL 36, cycleh, CSRR_A0_CYCLEH
  CTR_ILLEGAL 37, cycle, CSRR_A0_CYCLE
  CTR_OK 38, instreth
  BACK_TO_M
  ENTER_U u3
u3:
  CTR_ILLEGAL 39, cycleh, CSRR_A0_CYCLEH
  CTR_OK 40, instreth
  BACK_TO_M
  csrw mcounteren, zero
  csrw scounteren, zero

  /* ---- the high halves are read-only at user level ------------------------------------------ */
  TRAPS 41, CAUSE_ILLEGAL, csrw cycleh, zero
  EXPECT s10, 0xc8001073
  li a0, 1
  TRAPS 42, CAUSE_ILLEGAL, csrs instreth, a0
  EXPECT s10, 0xc8252073
  TEST 43                        /* csrrs with rs1 != x0 writes even when rs1 holds 0
                                    (Zicsr): illegal on a read-only CSR */
  li a0, 0
  li s8, -1
  la s7, 1f
2:
  csrs instreth, a0
#ifndef ISA_STRICT
  /* QEMU 7.2 decides by the value (0: no write) and does not trap */
  li s7, 0
  j 3f
#endif
  j fail
1:
  EXPECT_TRAP CAUSE_ILLEGAL, 2b
  EXPECT s10, 0xc8252073
3:

  PASS
