/*
 * Reset entry: with -bios none every hart starts here in M-mode (a0 = hartid, a1 = the
 * device tree, from QEMU virt's boot ROM). Each hart takes its own 16 KiB stack. Hart 0
 * clears .bss and enters m_boot; the others spin until hart 0 sets boot_ready (they must
 * not touch .bss before it is cleared), then enter m_boot too.
 */
#define MAX_HARTS 8
#define STACK_SHIFT 14

    .section .text.start, "ax"
    .globl _start
_start:
    csrr    a0, mhartid
    li      t0, MAX_HARTS
    bgeu    a0, t0, park            /* more harts than stacks: stay out of the way */
    addi    t0, a0, 1
    slli    t0, t0, STACK_SHIFT
    la      sp, kernel_stacks
    add     sp, sp, t0
    mv      fp, zero                /* ends the frame chain for debuggers */
    bnez    a0, secondary
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    m_boot
    j       park

secondary:
    la      t1, boot_ready
3:  lw      t0, 0(t1)
    bnez    t0, 4f
    .4byte  0x0100000f              /* pause (Zihintpause), a nop where unsupported */
    j       3b
4:  fence   r, rw                   /* see hart 0's page table and data after the flag */
    call    m_boot
park:
    wfi
    j       park

    .section .data
    .globl boot_ready
    .balign 4
boot_ready:
    .word   0
