/*
 * Reset entry for the SMP guest: every hart arrives with a0 = mhartid and a1 = the device
 * tree (QEMU virt's boot ROM). Each takes its own 8 KiB stack. Hart 0 clears .bss and enters
 * main; the others sleep in wfi, woken by an msip IPI, until hart 0 sets boot_ready, then
 * enter main too.
 */
#define MIE_MSIE 8

    .section .text.start, "ax"
    .globl _start
_start:
    li      t0, 8
    bgeu    a0, t0, park            /* more harts than stacks: stay out of the way */
    addi    t0, a0, 1
    slli    t0, t0, 13
    la      sp, __stack_base
    add     sp, sp, t0
    bnez    a0, secondary
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    smp_main
    j       park

secondary:
    li      t0, MIE_MSIE            /* wfi wakes on a pending MSIP; mstatus.MIE stays 0 */
    csrw    mie, t0
    la      t1, boot_ready
3:  lw      t0, 0(t1)
    bnez    t0, 4f
    wfi
    j       3b
4:  fence   r, rw
    call    smp_main
park:
    wfi
    j       park

    .section .data
    .globl boot_ready
    .balign 4
boot_ready:
    .word   0
