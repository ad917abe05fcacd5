/*
 * Fuzz harness, assembly half: reset entry, the M-mode trap handler that records every
 * trap of the random code and skips the trapping instruction, and the enter/exit path of
 * a random segment. Register roles while random code runs (never written by it):
 *   gp = harness_state, sp / s0 / s1 = pointers into the scratch buffer.
 */
#include "harness.h"

/* RV64 and RV32 builds share this file: the state block, trap records and regout keep
   8-byte slots either way; RV32 reads and writes the low word of each (the high word
   stays 0). */
#if __riscv_xlen == 32
#define LREG lw
#define SREG sw
#else
#define LREG ld
#define SREG sd
#endif

    .option norelax
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la      sp, harness_stack_top
    la      gp, harness_state
    la      t0, trap_entry
    csrw    mtvec, t0
    call    harness_main
1:  j       1b

/*
 * Every trap comes here, whatever the mode it was taken from (nothing is delegated).
 * The ecall at HS_EXIT closes the segment; any other trap is recorded as
 * (mcause, mtval, mepc - segment start), then the instruction at mepc is skipped: 4 bytes
 * if the low two bits of its first halfword are 11, else 2 (mepc may be 2-aligned only).
 * mret returns to the mode the trap came from (mstatus.MPP, as set by the trap).
 */
    .align  2
    .globl  trap_entry
trap_entry:
    SREG      t0, HS_T0(gp)
    SREG      t1, HS_T1(gp)
    SREG      t2, HS_T2(gp)
    csrr    t1, mepc
    LREG      t2, HS_EXIT(gp)
    beq     t1, t2, segment_exit
    LREG      t0, HS_REC(gp)
    LREG      t2, HS_REC_END(gp)
    bgeu    t0, t2, trap_overflow
    csrr    t2, mcause
    SREG      t2, 0(t0)
    csrr    t2, mtval
    SREG      t2, 8(t0)
    LREG      t2, HS_BASE(gp)
    sub     t2, t1, t2
    SREG      t2, 16(t0)
    addi    t0, t0, TRAP_RECORD_BYTES
    SREG      t0, HS_REC(gp)
    LREG      t0, HS_COUNT(gp)
    addi    t0, t0, 1
    SREG      t0, HS_COUNT(gp)
    lhu     t2, 0(t1)
    andi    t2, t2, 3
    addi    t1, t1, 2
    addi    t2, t2, -3
    bnez    t2, 1f
    addi    t1, t1, 2
1:  csrw    mepc, t1
    LREG      t0, HS_T0(gp)
    LREG      t1, HS_T1(gp)
    LREG      t2, HS_T2(gp)
    mret

/* More traps than the buffer holds: the emulator must be looping. Report and stop. */
trap_overflow:
    la      sp, harness_stack_top
    csrr    a0, mcause
    mv      a1, t1
    call    harness_overflow
1:  j       1b

/*
 * The segment's closing ecall: store x1..x31 and a few CSRs the random code may have
 * written into regout (mstatus first, before the harness changes its FS), in programs
 * with F/D also f0..f31 and fcsr, then return from enter_segment into the C driver.
 */
segment_exit:
    LREG      t2, HS_REGOUT(gp)
    SREG      x0, 0*8(t2)
    SREG      x1, 1*8(t2)
    SREG      x2, 2*8(t2)
    SREG      x3, 3*8(t2)
    SREG      x4, 4*8(t2)
    LREG      t0, HS_T0(gp)
    SREG      t0, 5*8(t2)
    LREG      t0, HS_T1(gp)
    SREG      t0, 6*8(t2)
    LREG      t0, HS_T2(gp)
    SREG      t0, 7*8(t2)
    SREG      x8, 8*8(t2)
    SREG      x9, 9*8(t2)
    SREG      x10, 10*8(t2)
    SREG      x11, 11*8(t2)
    SREG      x12, 12*8(t2)
    SREG      x13, 13*8(t2)
    SREG      x14, 14*8(t2)
    SREG      x15, 15*8(t2)
    SREG      x16, 16*8(t2)
    SREG      x17, 17*8(t2)
    SREG      x18, 18*8(t2)
    SREG      x19, 19*8(t2)
    SREG      x20, 20*8(t2)
    SREG      x21, 21*8(t2)
    SREG      x22, 22*8(t2)
    SREG      x23, 23*8(t2)
    SREG      x24, 24*8(t2)
    SREG      x25, 25*8(t2)
    SREG      x26, 26*8(t2)
    SREG      x27, 27*8(t2)
    SREG      x28, 28*8(t2)
    SREG      x29, 29*8(t2)
    SREG      x30, 30*8(t2)
    SREG      x31, 31*8(t2)
    csrr    t0, mstatus
    SREG      t0, (REGOUT_CSRS+0)*8(t2)
    csrr    t0, mscratch
    SREG      t0, (REGOUT_CSRS+1)*8(t2)
    csrr    t0, sscratch
    SREG      t0, (REGOUT_CSRS+2)*8(t2)
    csrr    t0, sepc
    SREG      t0, (REGOUT_CSRS+3)*8(t2)
    la      t0, fuzz_float_state
    LREG      t0, 0(t0)
    beqz    t0, 1f
    li      t0, MSTATUS_FS_DIRTY
    csrs    mstatus, t0
    .option push
    .option arch, +d
    .irp    r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd     f\r, (REGOUT_FREGS+\r)*8(t2)
    .endr
    frcsr   t0
    .option pop
    SREG      t0, REGOUT_FCSR*8(t2)
1:
    LREG      ra, HS_CTX+0*8(gp)
    LREG      sp, HS_CTX+1*8(gp)
    LREG      s0, HS_CTX+2*8(gp)
    LREG      s1, HS_CTX+3*8(gp)
    LREG      s2, HS_CTX+4*8(gp)
    LREG      s3, HS_CTX+5*8(gp)
    LREG      s4, HS_CTX+6*8(gp)
    LREG      s5, HS_CTX+7*8(gp)
    LREG      s6, HS_CTX+8*8(gp)
    LREG      s7, HS_CTX+9*8(gp)
    LREG      s8, HS_CTX+10*8(gp)
    LREG      s9, HS_CTX+11*8(gp)
    LREG      s10, HS_CTX+12*8(gp)
    LREG      s11, HS_CTX+13*8(gp)
    ret

/*
 * void enter_segment(const uint64_t regs[32]): the driver has set mepc, mstatus.MPP,
 * satp and pmp; save the C context, load x1..x31 and mret into the segment.
 */
    .globl  enter_segment
enter_segment:
    SREG      ra, HS_CTX+0*8(gp)
    SREG      sp, HS_CTX+1*8(gp)
    SREG      s0, HS_CTX+2*8(gp)
    SREG      s1, HS_CTX+3*8(gp)
    SREG      s2, HS_CTX+4*8(gp)
    SREG      s3, HS_CTX+5*8(gp)
    SREG      s4, HS_CTX+6*8(gp)
    SREG      s5, HS_CTX+7*8(gp)
    SREG      s6, HS_CTX+8*8(gp)
    SREG      s7, HS_CTX+9*8(gp)
    SREG      s8, HS_CTX+10*8(gp)
    SREG      s9, HS_CTX+11*8(gp)
    SREG      s10, HS_CTX+12*8(gp)
    SREG      s11, HS_CTX+13*8(gp)
    mv      t6, a0
    LREG      x1, 1*8(t6)
    LREG      x2, 2*8(t6)
    LREG      x3, 3*8(t6)
    LREG      x4, 4*8(t6)
    LREG      x5, 5*8(t6)
    LREG      x6, 6*8(t6)
    LREG      x7, 7*8(t6)
    LREG      x8, 8*8(t6)
    LREG      x9, 9*8(t6)
    LREG      x10, 10*8(t6)
    LREG      x11, 11*8(t6)
    LREG      x12, 12*8(t6)
    LREG      x13, 13*8(t6)
    LREG      x14, 14*8(t6)
    LREG      x15, 15*8(t6)
    LREG      x16, 16*8(t6)
    LREG      x17, 17*8(t6)
    LREG      x18, 18*8(t6)
    LREG      x19, 19*8(t6)
    LREG      x20, 20*8(t6)
    LREG      x21, 21*8(t6)
    LREG      x22, 22*8(t6)
    LREG      x23, 23*8(t6)
    LREG      x24, 24*8(t6)
    LREG      x25, 25*8(t6)
    LREG      x26, 26*8(t6)
    LREG      x27, 27*8(t6)
    LREG      x28, 28*8(t6)
    LREG      x29, 29*8(t6)
    LREG      x30, 30*8(t6)
    LREG      x31, 31*8(t6)
    mret

/*
 * void load_float_state(const uint64_t fregs[32], uint64_t fcsr): called by the driver with
 * mstatus.FS non-Off. The only FP code of the harness besides the dump at segment exit.
 */
    .globl  load_float_state
load_float_state:
    .option push
    .option arch, +d
    .irp    r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld     f\r, \r*8(a0)
    .endr
    fscsr   a1
    .option pop
    ret

/* HTIF mailbox: QEMU's spike machine finds these two symbols in the ELF. */
    .section .tohost, "aw", @progbits
    .align  6
    .globl  tohost
tohost:
    .dword  0
    .size   tohost, 8
    .globl  fromhost
fromhost:
    .dword  0
    .size   fromhost, 8

    .bss
    .align  12
harness_stack:
    .space  8192
    .globl  harness_stack_top
harness_stack_top:
