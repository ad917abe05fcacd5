/* crt.S — start-up, trap handlers and the HTIF exit of every ISA test program, RV64 and RV32.
 * See test.h for the register conventions the handlers follow and for how tohost is
 * written on RV32; `#if __riscv_xlen == 32` picks the RV32 side where the two differ. */
#include "test.h"

  .section .text.init, "ax"
  .globl _start
_start:
  /* A known state: nothing delegated, interrupts off, no trap expected, and on RV64
   * the FP unit off (mstatus.FS = Off): the FP programs turn it on themselves (fp.h
   * FP_ON). RV32 leaves mstatus.FS as reset left it. */
  li gp, 0
  li s7, 0
  la t0, trap_m
  csrw mtvec, t0
  la t0, trap_s
  csrw stvec, t0
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  csrw mscratch, zero
  csrw satp, zero
#if __riscv_xlen == 32
  li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV
#else
  li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_FS
#endif
  csrc mstatus, t0
  /* Zero .bss (page-table pools rely on it), whatever the loader did. */
  la t0, __bss_start
  la t1, __bss_end
2:
  bgeu t0, t1, 3f
#if __riscv_xlen == 32
  sw zero, 0(t0)
  addi t0, t0, 4
#else
  sd zero, 0(t0)
  addi t0, t0, 8
#endif
  j 2b
3:
  /* One PMP entry covering everything with RWX (on RV32 pmpaddr holds bits 33:2 of
   * the address: all ones is the NAPOT region of the whole 34-bit space), so S- and
   * U-mode may touch memory whether or not unmatched accesses fail (privileged spec
   * 3.7.1). Machines without PMP trap here; the handler then skips to the next step. */
  la s7, 1f
  li t0, -1
  csrw pmpaddr0, t0
  li t0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
  csrw pmpcfg0, t0
1:
  li s7, 0
  la sp, stack_top
#if __riscv_xlen != 32
  /* gp = 255 until main's first TEST: a trap before any check then reports a failure
   * (with gp = 0 it would read as a pass). (RV64 only, as before the merge.) */
  li gp, 255
#endif
  call main
  j pass

  .text
/* trap_m — machine-mode trap handler (direct mode; mtvec points here). On RV32 the
 * interrupt flag is bit 31 of mcause, so `bgez` still tells exceptions apart, and
 * `sll` takes the cause modulo 32. */
  .balign 64
  .globl trap_m
trap_m:
  csrr s8, mcause
  csrr s9, mepc
  csrr s10, mtval
  csrr s11, mstatus
  li s6, 3
  bgez s8, 1f
  li t6, 1                      /* interrupt: mask it, and return with MIE = 0 */
  sll t6, t6, s8
  csrc mie, t6
  li t6, MSTATUS_MPIE
  csrc mstatus, t6
1:
  beqz s7, fail                 /* no trap was expected */
  andi t6, s7, 1
  beqz t6, 2f
  li t6, MSTATUS_MPP            /* resume in M-mode, with MIE = 0 */
  csrs mstatus, t6
  li t6, MSTATUS_MPIE
  csrc mstatus, t6
  andi s7, s7, -2
2:
  csrw mepc, s7
  li s7, 0
  mret

/* trap_s — supervisor-mode trap handler (stvec points here). */
  .balign 64
  .globl trap_s
trap_s:
  csrr s8, scause
  csrr s9, sepc
  csrr s10, stval
  csrr s11, sstatus
  li s6, 1
  bgez s8, 1f
  li t6, 1
  sll t6, t6, s8
  csrc sie, t6
  li t6, MSTATUS_SPIE
  csrc sstatus, t6
1:
  bnez s7, 3f
  ecall                         /* unexpected: let trap_m fail the check */
3:
  andi t6, s7, 1
  beqz t6, 2f
  li t6, MSTATUS_SPP            /* resume in S-mode, with SIE = 0 */
  csrs sstatus, t6
  li t6, MSTATUS_SPIE
  csrc sstatus, t6
  andi s7, s7, -2
2:
  csrw sepc, s7
  li s7, 0
  sret

/* pass / fail — report through HTIF and stop. Reading mstatus first makes a
 * jump here from S- or U-mode trap into M-mode, which then reports the failure. */
  .globl pass
pass:
  li gp, 0
  .globl fail
fail:
  li s7, 0
  csrr t6, mstatus
  li t6, MSTATUS_MPRV
  csrc mstatus, t6
  csrw satp, zero
#ifdef ISA_DEBUG
  beqz gp, 4f
  call debug_dump
4:
#endif
  slli t6, gp, 1
  ori t6, t6, 1
  la t5, tohost
#if __riscv_xlen == 32
  sw t6, 0(t5)                  /* low word first... */
  sw zero, 4(t5)                /* ...then the high word, which QEMU acts on */
#else
  sd t6, 0(t5)
#endif
3:
  j 3b

#ifdef ISA_DEBUG
/* debug_dump — (ISA_DEBUG builds only) print the check number and the last-trap
 * record (s6, s8..s11) and a0..a2 in hex on the HTIF console (device 1, command 1),
 * which QEMU's spike machine forwards to stdout. */
debug_dump:
  mv s5, ra
  mv a4, gp
  call put_hex
  mv a4, s6
  call put_hex
  mv a4, s8
  call put_hex
  mv a4, s9
  call put_hex
  mv a4, s10
  call put_hex
  mv a4, s11
  call put_hex
  mv a4, a0
  call put_hex
  mv a4, a1
  call put_hex
  mv a4, a2
  call put_hex
  jr s5
put_hex:                       /* a4 = value; clobbers a3, a5, t0, t1, t2 */
  mv t2, ra
  li a3, __riscv_xlen - 4
1:
  srl a5, a4, a3
  andi a5, a5, 15
  li t0, 10
  blt a5, t0, 2f
  addi a5, a5, 'a' - 10 - '0'
2:
  addi a5, a5, '0'
  call put_char
  addi a3, a3, -4
  bgez a3, 1b
  li a5, '\n'
  call put_char
  jr t2
put_char:                      /* a5 = character: tohost = 0x01010000_000000cc */
#if __riscv_xlen == 32
  la t1, tohost
  sw a5, 0(t1)
  li t0, 0x01010000
  sw t0, 4(t1)
1:
  la t1, fromhost
  lw t0, 0(t1)
  lw t1, 4(t1)
  or t0, t0, t1
  beqz t0, 1b
  la t1, fromhost
  sw zero, 0(t1)
  sw zero, 4(t1)
#else
  li t0, 0x0101000000000000
  or t0, t0, a5
  la t1, tohost
  sd t0, 0(t1)
1:
  la t1, fromhost
  ld t0, 0(t1)
  beqz t0, 1b
  sd zero, 0(t1)
#endif
  ret
#endif

  .section .tohost, "aw", @progbits
  .balign 8
  .globl tohost
  .type tohost, @object
tohost:
  .dword 0
  .size tohost, 8
  .balign 8
  .globl fromhost
  .type fromhost, @object
fromhost:
  .dword 0
  .size fromhost, 8

  .bss
  .balign 16
stack:
  .skip 4096
stack_top:
