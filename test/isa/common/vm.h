/* vm.h — page-table building for the MMU programs of both widths; include after test.h, once per program.
 *
 * Tables are built at run time, in M-mode (physical addresses), from a pool of zeroed
 * pages. The walk is genuinely different at each width, so `#if __riscv_xlen == 32`
 * picks one of two implementations; the macros that drive them (VM_MAP, AS_S, VM_FAULT,
 * ...) are shared.
 *
 * RV64: the same code serves Sv39, Sv48 and Sv57 (privileged spec 1.12, sections
 * 4.3-4.5): vm_levels says how many levels the walk has.
 *   vm_map     a0 = va, a1 = pa, a2 = leaf level (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB,
 *              3 = 512 GiB, 4 = 256 TiB), a3 = PTE flag bits (V R W X U G A D, and
 *              any other bits to set in the leaf). Creates missing intermediate
 *              tables, writes the leaf (without checking pa's alignment, so that
 *              misaligned superpages can be built), returns a0 = the leaf's address.
 *   vm_pte     a0 = va, a2 = level: a0 = the address of the PTE at that level
 *              (the path must exist).
 *   vm_table   a0 = va, a2 = level: a0 = the physical address of the table that
 *              holds va's PTE at that level (creating the path above if missing).
 *
 * RV32: Sv32 (privileged spec 1.12, section 4.3): two levels of 1024 four-byte PTEs;
 * VPN[1] = va[31:22], VPN[0] = va[21:12]; a PTE's PPN (bits 31:10) is 22 bits wide, so
 * a PTE names a 34-bit physical address (PPN << 12).
 *   vm_map      a0 = va, a1 = pa (32-bit), a2 = leaf level (0 = 4 KiB, 1 = 4 MiB),
 *               a3 = PTE flag bits (V R W X U G A D and RSW). Creates the level-0 table
 *               if needed, writes the leaf (without checking pa's alignment, so that
 *               misaligned megapages can be built), returns a0 = the leaf's address.
 *   vm_map_ppn  the same with a1 = the PPN itself (22 bits: physical addresses beyond
 *               4 GiB).
 *   vm_pte      a0 = va, a2 = level: a0 = the address of the PTE at that level (for
 *               level 0 the level-1 entry must point to a table).
 *
 * They clobber a0-a7 and t0-t4 only.
 */

#if __riscv_xlen == 32

/* ---- Sv32 ---- */
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

#else

/* ---- Sv39 / Sv48 / Sv57 ---- */
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

/* VM_ON mode — satp = mode (8, 9, 10) with the root table, then sfence.vma. */
.macro VM_ON mode
  la t0, vm_root
  srli t0, t0, 12
  li t1, (\mode) << 60
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
.endm

#endif

/* ---- both widths ---- */
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
 * VM_FAULT2 accepts either of two causes; VM_FAULT_SPEC the spec's cause, or QEMU
 * 7.2's (EXPECT_SPEC). MPRV is off again afterwards. VM_FAULT is VM_FAULT2 on RV64 and
 * VM_FAULT_SPEC on RV32, as each width's programs were written against. */
.macro VM_FAULT n, as, cause, va, insn:vararg
#if __riscv_xlen == 32
  VM_FAULT_SPEC \n, \as, \cause, \cause, \va, \insn
#else
  VM_FAULT2 \n, \as, \cause, \cause, \va, \insn
#endif
.endm
.macro VM_FAULT2 n, as, cause1, cause2, va, insn:vararg
  VM_FAULT_CHECK VM_CAUSE_EITHER, \n, \as, \cause1, \cause2, \va, \insn
.endm
.macro VM_FAULT_SPEC n, as, cause, qemu72, va, insn:vararg
  VM_FAULT_CHECK EXPECT_SPEC, \n, \as, \cause, \qemu72, \va, \insn
.endm
/* VM_FAULT_CHECK check, n, as, c1, c2, va, insn... — the body of both: `check s8, c1,
 * c2` judges the cause. VM_CAUSE_EITHER reg, c1, c2: fail unless reg is c1 or c2. */
.macro VM_FAULT_CHECK check, n, as, c1, c2, va, insn:vararg
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
  \check s8, \c1, \c2
  la t5, .Lvm_at\@
  EXPECT_REG s9, t5
  EXPECT s10, \va
.endm
.macro VM_CAUSE_EITHER reg, c1, c2
  li t5, \c1
  beq \reg, t5, .Lvm_cause_ok\@
  EXPECT \reg, \c2
.Lvm_cause_ok\@:
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
