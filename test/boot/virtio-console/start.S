/* Reset entry for the virtio-console guest: park extra harts, set sp, clear .bss, call main, power off. */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    csrr    t0, mhartid
    bnez    t0, park            # only hart 0 runs the program
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    main
    call    poweroff            # main's return value is in a0
park:
    wfi
    j       park
