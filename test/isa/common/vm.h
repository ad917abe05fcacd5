/* vm.h — page-table building for the MMU programs (mmu-*.S); include after test.h,
 * once per program. Tables are built at run time, in M-mode (physical addresses),
 * from a pool of zeroed pages; the same code serves Sv39, Sv48 and Sv57 (privileged
 * spec 1.12, sections 4.3-4.5): vm_levels says how many levels the walk has.
 *
 *   vm_map     a0 = va, a1 = pa, a2 = leaf level (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB,
 *              3 = 512 GiB, 4 = 256 TiB), a3 = PTE flag bits (V R W X U G A D, and
 *              any other bits to set in the leaf). Creates missing intermediate
 *              tables, writes the leaf (without checking pa's alignment, so that
 *              misaligned superpages can be built), returns a0 = the leaf's address.
 *   vm_pte     a0 = va, a2 = level: a0 = the address of the PTE at that level
 *              (the path must exist).
 *   vm_table   a0 = va, a2 = level: a0 = the physical address of the table that
 *              holds va's PTE at that level (creating the path above if missing).
 * They clobber a0-a7 and t0-t4 only.
 */

#define VM_POOL_PAGES 24

  .section .bss
  .balign 4096
vm_root:  .skip 4096
vm_pool:  .skip 4096 * VM_POOL_PAGES
  .section .data
  .balign 8
vm_pool_next: .dword vm_pool
vm_levels:    .dword 3

  .text
/* vm_table: a0 = va, a2 = level → a0 = physical address of the table at that level. */
vm_table:
  la t0, vm_levels
  ld t1, 0(t0)
  addi t1, t1, -1              /* t1 = the level being walked (top first) */
  la t2, vm_root               /* t2 = the current table */
1:
  beq t1, a2, 3f
  li t3, 9                     /* index = (va >> (12 + 9 * level)) & 511 */
  mul t3, t3, t1
  addi t3, t3, 12
  srl t4, a0, t3
  andi t4, t4, 511
  slli t4, t4, 3
  add t4, t2, t4               /* t4 = the PTE on the path */
  ld t3, 0(t4)
  andi a4, t3, PTE_V
  bnez a4, 2f
  la a4, vm_pool_next          /* missing: take a zeroed page from the pool */
  ld a5, 0(a4)
  li t3, 4096
  add t3, a5, t3
  sd t3, 0(a4)
  srli t3, a5, 12
  slli t3, t3, 10
  ori t3, t3, PTE_V
  sd t3, 0(t4)
2:
  srli t3, t3, 10              /* next table = PPN << 12 */
  slli t3, t3, 20
  srli t3, t3, 8               /* (drops bits 63:54 of the PTE) */
  mv t2, t3
  addi t1, t1, -1
  j 1b
3:
  mv a0, t2
  ret

/* vm_pte: a0 = va, a2 = level → a0 = address of the PTE. */
vm_pte:
  mv a7, ra
  mv a6, a0
  call vm_table
  li t3, 9
  mul t3, t3, a2
  addi t3, t3, 12
  srl t4, a6, t3
  andi t4, t4, 511
  slli t4, t4, 3
  add a0, a0, t4
  jr a7

/* vm_map: a0 = va, a1 = pa, a2 = level, a3 = flags → a0 = address of the leaf. */
vm_map:
  mv t0, ra
  addi sp, sp, -16
  sd t0, 0(sp)
  call vm_pte
  srli t0, a1, 12
  slli t0, t0, 10
  or t0, t0, a3
  sd t0, 0(a0)
  ld ra, 0(sp)
  addi sp, sp, 16
  ret

/* VM_MAP va, pa, level, flags — vm_map with constants; a0 = the leaf's address. */
.macro VM_MAP va, pa, level, flags
  li a0, \va
  li a1, \pa
  li a2, \level
  li a3, \flags
  call vm_map
.endm
/* VM_MAP_SYM va, symbol, level, flags — the same, to the physical page of a symbol. */
.macro VM_MAP_SYM va, sym, level, flags
  li a0, \va
  la a1, \sym
  li a2, \level
  li a3, \flags
  call vm_map
.endm
/* VM_ON mode — satp = mode (8, 9, 10) with the root table, then sfence.vma. */
.macro VM_ON mode
  la t0, vm_root
  srli t0, t0, 12
  li t1, (\mode) << 60
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
.endm
.macro VM_OFF
  csrw satp, zero
  sfence.vma
.endm
/* AS_S / AS_U — from M: data accesses from here on are translated and checked as S
 * (or U), through mstatus.MPRV and MPP. A trap into M resets MPP, so say it again
 * after each trap. AS_M switches MPRV off. (Clobber t0.) */
.macro AS_S
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, MSTATUS_MPRV | MSTATUS_MPP_S
  csrs mstatus, t0
.endm
.macro AS_U
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, MSTATUS_MPRV
  csrs mstatus, t0
.endm
.macro AS_M
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
.endm
/* VM_FAULT n, as, cause, va, insn... — check n: with data accesses translated as
 * `as` (S or U, through MPRV), `insn` with a1 = va faults with cause, mepc = the
 * instruction and mtval = va (the instruction must take its address from a1).
 * VM_FAULT2 accepts either of two causes. MPRV is off again afterwards. */
.macro VM_FAULT n, as, cause, va, insn:vararg
  VM_FAULT2 \n, \as, \cause, \cause, \va, \insn
.endm
.macro VM_FAULT2 n, as, cause1, cause2, va, insn:vararg
  TEST \n
  li a1, \va
  li s8, -1
  la s7, .Lvm_after\@
  AS_\as
.Lvm_at\@:
  \insn
  j fail
.Lvm_after\@:
  AS_M
  li t5, \cause1
  beq s8, t5, .Lvm_cause_ok\@
  EXPECT s8, \cause2
.Lvm_cause_ok\@:
  la t5, .Lvm_at\@
  EXPECT_REG s9, t5
  EXPECT s10, \va
.endm
/* VM_LOAD n, as, va, expected, insn... — check n: translated as `as`, `insn` with
 * a1 = va leaves expected in a0. VM_DO: the same without a value to check. */
.macro VM_LOAD n, as, va, expected, insn:vararg
  TEST \n
  li a1, \va
  AS_\as
  \insn
  AS_M
  EXPECT a0, \expected
.endm
.macro VM_DO n, as, va, insn:vararg
  TEST \n
  li a1, \va
  AS_\as
  \insn
  AS_M
.endm
