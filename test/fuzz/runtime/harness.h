/*
 * Layout of the harness state block shared by start.S (trap handler, segment entry and
 * exit) and harness.c (the M-mode driver). While random code runs, gp always points at
 * this block: gp is reserved, so no random instruction ever writes it.
 */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#define HS_T0        0    /* trap handler spill slots for t0..t2 */
#define HS_T1        8
#define HS_T2        16
#define HS_EXIT      24   /* address of the segment's closing ecall */
#define HS_BASE      32   /* segment start; trap pcs are recorded relative to it */
#define HS_REC       40   /* next free trap record */
#define HS_REC_END   48   /* end of the trap record buffer */
#define HS_COUNT     56   /* traps taken in the current segment */
#define HS_REGOUT    64   /* where segment exit stores x0..x31 and the CSR snapshot */
#define HS_SINK      72   /* always 0: target of the reservation-clearing sc.d */
#define HS_CTX       80   /* C context across a segment: ra, sp, s0..s11 (14 dwords) */
#define HS_CONST     192  /* 32 edge-value constants, read by random code as ld rd, k(gp) */
#define HS_SIZE      448

#define REGOUT_CSRS  32   /* regout[32..35] = mstatus, mscratch, sscratch, sepc */
#define REGOUT_FREGS 36   /* regout[36..67] = f0..f31, regout[68] = fcsr (programs with F/D) */
#define REGOUT_FCSR  68
#define REGOUT_WORDS 69   /* generate.ts sizes fuzz_regout with program.ts REGOUT_WORDS */

/* mstatus.FS (privileged spec 3.1.6.6): 3 = Dirty, which lets the harness touch FP state. */
#define MSTATUS_FS_DIRTY 0x6000

#define TRAP_RECORD_BYTES 24 /* mcause, mtval, pc - segment start */

#endif
