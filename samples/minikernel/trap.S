/*
 * Trap entry and exit for both privilege levels the kernel runs in.
 *
 * m_trap_vector (M-mode): only the CLINT machine timer reaches M-mode (everything else is
 *   delegated by medeleg/mideleg). It re-arms or stops this hart's mtimecmp and forwards the
 *   tick to S-mode by raising SSIP with `csrw sip, 2` (privileged spec 3.1.9), as a course
 *   kernel's timervec does. The ticks are counted too, because two may be raised before
 *   S-mode takes one SSIP (QEMU's round-robin TCG can leave a hart unscheduled for longer
 *   than the interval). mscratch points at this hart's struct m_scratch (kernel.h).
 * s_trap_vector (S-mode): sscratch is 0 while the kernel runs and holds this hart's
 *   trapframe while a user program runs, so one csrrw tells the two apart.
 * user_enter / user_exit: run a user program to its exit system call, like setjmp/longjmp.
 */
    .section .text
    .balign 4
    .globl m_trap_vector
m_trap_vector:
    csrrw   t0, mscratch, t0
    sd      t1, 0(t0)
    sd      t2, 8(t0)
    sd      t3, 48(t0)
    csrr    t1, mcause
    bgez    t1, m_exception
    ld      t1, 56(t0)              /* machine timer interrupts taken */
    addi    t1, t1, 1
    sd      t1, 56(t0)
    ld      t1, 64(t0)              /* ticks not yet collected by S-mode */
    addi    t1, t1, 1
    sd      t1, 64(t0)
    ld      t1, 32(t0)              /* ticks left */
    addi    t1, t1, -1
    sd      t1, 32(t0)
    ld      t2, 16(t0)              /* &mtimecmp[hart] */
    li      t3, -1                  /* the last tick: stop the timer */
    beqz    t1, 1f
    ld      t3, 0(t2)               /* otherwise the next tick one interval later */
    ld      t1, 40(t0)
    add     t3, t3, t1
1:  sd      t3, 0(t2)
    li      t1, 2                   /* SSIP */
    csrw    sip, t1
    ld      t1, 0(t0)
    ld      t2, 8(t0)
    ld      t3, 48(t0)
    csrrw   t0, mscratch, t0
    mret
m_exception:
    ld      sp, 24(t0)              /* this hart's M-mode stack */
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    m_fatal

#define SAVE(r, i) sd x##r, (i*8)(sp)
#define LOAD(r, i) ld x##r, (i*8)(sp)

    .balign 4
    .globl s_trap_vector
s_trap_vector:
    csrrw   sp, sscratch, sp
    bnez    sp, from_user
    csrrw   sp, sscratch, sp        /* from the kernel: back to its own stack */
    addi    sp, sp, -256
    sd x1, 8(sp);   sd x3, 24(sp);  sd x4, 32(sp);  sd x5, 40(sp);  sd x6, 48(sp)
    sd x7, 56(sp);  sd x8, 64(sp);  sd x9, 72(sp);  sd x10, 80(sp); sd x11, 88(sp)
    sd x12, 96(sp); sd x13, 104(sp); sd x14, 112(sp); sd x15, 120(sp); sd x16, 128(sp)
    sd x17, 136(sp); sd x18, 144(sp); sd x19, 152(sp); sd x20, 160(sp); sd x21, 168(sp)
    sd x22, 176(sp); sd x23, 184(sp); sd x24, 192(sp); sd x25, 200(sp); sd x26, 208(sp)
    sd x27, 216(sp); sd x28, 224(sp); sd x29, 232(sp); sd x30, 240(sp); sd x31, 248(sp)
    mv      a0, sp
    csrr    a1, scause
    call    kernel_trap
    ld x1, 8(sp);   ld x3, 24(sp);  ld x4, 32(sp);  ld x5, 40(sp);  ld x6, 48(sp)
    ld x7, 56(sp);  ld x8, 64(sp);  ld x9, 72(sp);  ld x10, 80(sp); ld x11, 88(sp)
    ld x12, 96(sp); ld x13, 104(sp); ld x14, 112(sp); ld x15, 120(sp); ld x16, 128(sp)
    ld x17, 136(sp); ld x18, 144(sp); ld x19, 152(sp); ld x20, 160(sp); ld x21, 168(sp)
    ld x22, 176(sp); ld x23, 184(sp); ld x24, 192(sp); ld x25, 200(sp); ld x26, 208(sp)
    ld x27, 216(sp); ld x28, 224(sp); ld x29, 232(sp); ld x30, 240(sp); ld x31, 248(sp)
    addi    sp, sp, 256
    sret

from_user:                          /* sp = trapframe, sscratch = the user's sp */
    sd x1, 8(sp);   sd x3, 24(sp);  sd x4, 32(sp);  sd x5, 40(sp);  sd x6, 48(sp)
    sd x7, 56(sp);  sd x8, 64(sp);  sd x9, 72(sp);  sd x10, 80(sp); sd x11, 88(sp)
    sd x12, 96(sp); sd x13, 104(sp); sd x14, 112(sp); sd x15, 120(sp); sd x16, 128(sp)
    sd x17, 136(sp); sd x18, 144(sp); sd x19, 152(sp); sd x20, 160(sp); sd x21, 168(sp)
    sd x22, 176(sp); sd x23, 184(sp); sd x24, 192(sp); sd x25, 200(sp); sd x26, 208(sp)
    sd x27, 216(sp); sd x28, 224(sp); sd x29, 232(sp); sd x30, 240(sp); sd x31, 248(sp)
    csrr    t0, sscratch
    sd      t0, 16(sp)
    csrw    sscratch, zero          /* in the kernel now */
    mv      a0, sp
    mv      s1, sp                  /* the user's s1 is saved; s1 survives the call */
    ld      sp, 256(a0)             /* kernel_sp */
    ld      gp, 352(a0)
    ld      tp, 360(a0)
    mv      fp, zero
    csrr    a1, scause
    call    kernel_trap
    csrw    sscratch, s1            /* back to the user */
    mv      sp, s1
    ld x1, 8(sp);   ld x3, 24(sp);  ld x4, 32(sp);  ld x5, 40(sp);  ld x6, 48(sp)
    ld x7, 56(sp);  ld x8, 64(sp);  ld x9, 72(sp);  ld x10, 80(sp); ld x11, 88(sp)
    ld x12, 96(sp); ld x13, 104(sp); ld x14, 112(sp); ld x15, 120(sp); ld x16, 128(sp)
    ld x17, 136(sp); ld x18, 144(sp); ld x19, 152(sp); ld x20, 160(sp); ld x21, 168(sp)
    ld x22, 176(sp); ld x23, 184(sp); ld x24, 192(sp); ld x25, 200(sp); ld x26, 208(sp)
    ld x27, 216(sp); ld x28, 224(sp); ld x29, 232(sp); ld x30, 240(sp); ld x31, 248(sp)
    ld      sp, 16(sp)
    sret

/* u64 user_enter(struct trapframe *frame, u64 entry, u64 user_sp): returns the exit status. */
    .balign 4
    .globl user_enter
user_enter:
    sd      sp, 256(a0)
    sd      ra, 264(a0)
    sd s0, 272(a0); sd s1, 280(a0); sd s2, 288(a0);  sd s3, 296(a0)
    sd s4, 304(a0); sd s5, 312(a0); sd s6, 320(a0);  sd s7, 328(a0)
    sd s8, 336(a0); sd s9, 344(a0)
    sd gp, 352(a0); sd tp, 360(a0)
    sd s10, 368(a0); sd s11, 376(a0)
    csrw    sepc, a1
    li      t0, 0x100               /* SPP = U; SPIE = 0: no interrupts while the user runs */
    csrc    sstatus, t0
    li      t0, 0x20
    csrc    sstatus, t0
    csrw    sscratch, a0
    mv      sp, a2
    mv      ra, zero
    mv      fp, zero
    mv      a0, zero
    mv      a1, zero
    mv      a2, zero
    sret

/* void user_exit(struct trapframe *frame, u64 status): resumes user_enter's caller. */
    .balign 4
    .globl user_exit
user_exit:
    ld      sp, 256(a0)
    ld      ra, 264(a0)
    ld s0, 272(a0); ld s1, 280(a0); ld s2, 288(a0);  ld s3, 296(a0)
    ld s4, 304(a0); ld s5, 312(a0); ld s6, 320(a0);  ld s7, 328(a0)
    ld s8, 336(a0); ld s9, 344(a0)
    ld gp, 352(a0); ld tp, 360(a0)
    ld s10, 368(a0); ld s11, 376(a0)
    mv      a0, a1
    ret
