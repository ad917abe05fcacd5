/* vm32.h — Sv32 page-table building for the RV32 MMU programs; include after test32.h,
 * once per program. Tables are built at run time, in M-mode (physical addresses), from
 * a pool of zeroed pages. Sv32 (privileged spec 1.12, section 4.3): two levels of 1024
 * four-byte PTEs; VPN[1] = va[31:22], VPN[0] = va[21:12]; a PTE's PPN (bits 31:10) is 22
 * bits wide, so a PTE names a 34-bit physical address (PPN << 12).
 *
 *   vm_map      a0 = va, a1 = pa (32-bit), a2 = leaf level (0 = 4 KiB, 1 = 4 MiB),
 *               a3 = PTE flag bits (V R W X U G A D and RSW). Creates the level-0 table
 *               if needed, writes the leaf (without checking pa's alignment, so that
 *               misaligned megapages can be built), returns a0 = the leaf's address.
 *   vm_map_ppn  the same with a1 = the PPN itself (22 bits: physical addresses beyond
 *               4 GiB).
 *   vm_pte      a0 = va, a2 = level: a0 = the address of the PTE at that level (for
 *               level 0 the level-1 entry must point to a table).
 * They clobber a0-a7 and t0-t4 only.
 */

#define VM_POOL_PAGES 16

  .section .bss
  .balign 4096
vm_root:  .skip 4096
vm_pool:  .skip 4096 * VM_POOL_PAGES
  .section .data
  .balign 4
vm_pool_next: .word vm_pool

  .text
/* vm_pte: a0 = va, a2 = level -> a0 = address of the PTE (level 0: creates the table). */
vm_pte:
  srli t0, a0, 22                /* VPN[1] */
  slli t0, t0, 2
  la t1, vm_root
  add t0, t1, t0                 /* t0 = the level-1 PTE */
  bnez a2, 2f
  lw t2, 0(t0)
  andi t3, t2, PTE_V
  bnez t3, 1f
  la t3, vm_pool_next            /* no table yet: take a zeroed page from the pool */
  lw t4, 0(t3)
  li t2, 4096
  add t2, t4, t2
  sw t2, 0(t3)
  srli t2, t4, 12
  slli t2, t2, 10
  ori t2, t2, PTE_V
  sw t2, 0(t0)
1:
  srli t2, t2, 10                /* the table: PPN << 12 (below 4 GiB here) */
  slli t2, t2, 12
  srli t0, a0, 12                /* VPN[0] */
  andi t0, t0, 1023
  slli t0, t0, 2
  add t0, t2, t0
2:
  mv a0, t0
  ret

/* vm_map_ppn: a0 = va, a1 = ppn, a2 = level, a3 = flags -> a0 = address of the leaf. */
vm_map_ppn:
  mv a7, ra
  call vm_pte
  slli t0, a1, 10
  or t0, t0, a3
  sw t0, 0(a0)
  jr a7

/* vm_map: a0 = va, a1 = pa, a2 = level, a3 = flags -> a0 = address of the leaf. */
vm_map:
  srli a1, a1, 12
  j vm_map_ppn

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
/* VM_MAP_PPN va, ppn, level, flags — the same with a PPN (34-bit physical addresses). */
.macro VM_MAP_PPN va, ppn, level, flags
  li a0, \va
  li a1, \ppn
  li a2, \level
  li a3, \flags
  call vm_map_ppn
.endm
/* VM_ON — satp = Sv32 (MODE, bit 31) with the root table and ASID 0, then sfence.vma. */
.macro VM_ON
  la t0, vm_root
  srli t0, t0, 12
  li t1, SATP32_MODE
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
 * VM_FAULT_SPEC: the spec's cause, or QEMU 7.2's (EXPECT_SPEC). MPRV is off afterwards. */
.macro VM_FAULT n, as, cause, va, insn:vararg
  VM_FAULT_SPEC \n, \as, \cause, \cause, \va, \insn
.endm
.macro VM_FAULT_SPEC n, as, cause, qemu72, va, insn:vararg
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
  EXPECT_SPEC s8, \cause, \qemu72
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
