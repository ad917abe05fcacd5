/*
 * Fuzz harness, assembly half: reset entry, the M-mode trap handler that records every
 * trap of the random code and skips the trapping instruction, and the enter/exit path of
 * a random segment. Register roles while random code runs (never written by it):
 *   gp = harness_state, sp / s0 / s1 = pointers into the scratch buffer.
 */
#include "harness.h"

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
    sd      t0, HS_T0(gp)
    sd      t1, HS_T1(gp)
    sd      t2, HS_T2(gp)
    csrr    t1, mepc
    ld      t2, HS_EXIT(gp)
    beq     t1, t2, segment_exit
    ld      t0, HS_REC(gp)
    ld      t2, HS_REC_END(gp)
    bgeu    t0, t2, trap_overflow
    csrr    t2, mcause
    sd      t2, 0(t0)
    csrr    t2, mtval
    sd      t2, 8(t0)
    ld      t2, HS_BASE(gp)
    sub     t2, t1, t2
    sd      t2, 16(t0)
    addi    t0, t0, TRAP_RECORD_BYTES
    sd      t0, HS_REC(gp)
    ld      t0, HS_COUNT(gp)
    addi    t0, t0, 1
    sd      t0, HS_COUNT(gp)
    lhu     t2, 0(t1)
    andi    t2, t2, 3
    addi    t1, t1, 2
    addi    t2, t2, -3
    bnez    t2, 1f
    addi    t1, t1, 2
1:  csrw    mepc, t1
    ld      t0, HS_T0(gp)
    ld      t1, HS_T1(gp)
    ld      t2, HS_T2(gp)
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
    ld      t2, HS_REGOUT(gp)
    sd      x0, 0*8(t2)
    sd      x1, 1*8(t2)
    sd      x2, 2*8(t2)
    sd      x3, 3*8(t2)
    sd      x4, 4*8(t2)
    ld      t0, HS_T0(gp)
    sd      t0, 5*8(t2)
    ld      t0, HS_T1(gp)
    sd      t0, 6*8(t2)
    ld      t0, HS_T2(gp)
    sd      t0, 7*8(t2)
    sd      x8, 8*8(t2)
    sd      x9, 9*8(t2)
    sd      x10, 10*8(t2)
    sd      x11, 11*8(t2)
    sd      x12, 12*8(t2)
    sd      x13, 13*8(t2)
    sd      x14, 14*8(t2)
    sd      x15, 15*8(t2)
    sd      x16, 16*8(t2)
    sd      x17, 17*8(t2)
    sd      x18, 18*8(t2)
    sd      x19, 19*8(t2)
    sd      x20, 20*8(t2)
    sd      x21, 21*8(t2)
    sd      x22, 22*8(t2)
    sd      x23, 23*8(t2)
    sd      x24, 24*8(t2)
    sd      x25, 25*8(t2)
    sd      x26, 26*8(t2)
    sd      x27, 27*8(t2)
    sd      x28, 28*8(t2)
    sd      x29, 29*8(t2)
    sd      x30, 30*8(t2)
    sd      x31, 31*8(t2)
    csrr    t0, mstatus
    sd      t0, (REGOUT_CSRS+0)*8(t2)
    csrr    t0, mscratch
    sd      t0, (REGOUT_CSRS+1)*8(t2)
    csrr    t0, sscratch
    sd      t0, (REGOUT_CSRS+2)*8(t2)
    csrr    t0, sepc
    sd      t0, (REGOUT_CSRS+3)*8(t2)
    la      t0, fuzz_float_state
    ld      t0, 0(t0)
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
    sd      t0, REGOUT_FCSR*8(t2)
1:
    ld      ra, HS_CTX+0*8(gp)
    ld      sp, HS_CTX+1*8(gp)
    ld      s0, HS_CTX+2*8(gp)
    ld      s1, HS_CTX+3*8(gp)
    ld      s2, HS_CTX+4*8(gp)
    ld      s3, HS_CTX+5*8(gp)
    ld      s4, HS_CTX+6*8(gp)
    ld      s5, HS_CTX+7*8(gp)
    ld      s6, HS_CTX+8*8(gp)
    ld      s7, HS_CTX+9*8(gp)
    ld      s8, HS_CTX+10*8(gp)
    ld      s9, HS_CTX+11*8(gp)
    ld      s10, HS_CTX+12*8(gp)
    ld      s11, HS_CTX+13*8(gp)
    ret

/*
 * void enter_segment(const uint64_t regs[32]): the driver has set mepc, mstatus.MPP,
 * satp and pmp; save the C context, load x1..x31 and mret into the segment.
 */
    .globl  enter_segment
enter_segment:
    sd      ra, HS_CTX+0*8(gp)
    sd      sp, HS_CTX+1*8(gp)
    sd      s0, HS_CTX+2*8(gp)
    sd      s1, HS_CTX+3*8(gp)
    sd      s2, HS_CTX+4*8(gp)
    sd      s3, HS_CTX+5*8(gp)
    sd      s4, HS_CTX+6*8(gp)
    sd      s5, HS_CTX+7*8(gp)
    sd      s6, HS_CTX+8*8(gp)
    sd      s7, HS_CTX+9*8(gp)
    sd      s8, HS_CTX+10*8(gp)
    sd      s9, HS_CTX+11*8(gp)
    sd      s10, HS_CTX+12*8(gp)
    sd      s11, HS_CTX+13*8(gp)
    mv      t6, a0
    ld      x1, 1*8(t6)
    ld      x2, 2*8(t6)
    ld      x3, 3*8(t6)
    ld      x4, 4*8(t6)
    ld      x5, 5*8(t6)
    ld      x6, 6*8(t6)
    ld      x7, 7*8(t6)
    ld      x8, 8*8(t6)
    ld      x9, 9*8(t6)
    ld      x10, 10*8(t6)
    ld      x11, 11*8(t6)
    ld      x12, 12*8(t6)
    ld      x13, 13*8(t6)
    ld      x14, 14*8(t6)
    ld      x15, 15*8(t6)
    ld      x16, 16*8(t6)
    ld      x17, 17*8(t6)
    ld      x18, 18*8(t6)
    ld      x19, 19*8(t6)
    ld      x20, 20*8(t6)
    ld      x21, 21*8(t6)
    ld      x22, 22*8(t6)
    ld      x23, 23*8(t6)
    ld      x24, 24*8(t6)
    ld      x25, 25*8(t6)
    ld      x26, 26*8(t6)
    ld      x27, 27*8(t6)
    ld      x28, 28*8(t6)
    ld      x29, 29*8(t6)
    ld      x30, 30*8(t6)
    ld      x31, 31*8(t6)
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
