/* pmp.S — physical memory protection (privileged spec 1.12, 3.7): 16 entries on
 * RV64 (pmpcfg0 / pmpcfg2; the odd pmpcfg CSRs are illegal), TOR / NA4 / NAPOT
 * regions, R / W / X checked for S and U (also through MPRV, and for the implicit
 * accesses of a page-table walk), the lowest-numbered matching entry deciding, an
 * access only partly inside the deciding entry failing for every mode, unlocked
 * entries not restricting M, S / U accesses failing when nothing matches but some
 * entry is configured, and locked entries: binding M too and ignoring writes (also
 * to the pmpaddr below a locked TOR entry). Locks cannot be undone before reset, so
 * they come last. Access faults carry mtval = the address. */
#include "test.h"
#include "vm.h"

  .section .bss
  .balign 16384
region: .skip 16384                /* R0..R3: four 4 KiB pages, 16 KiB aligned */
lockpage: .skip 4096

  .text
/* PMP_CFG i, cfg — entry i's configuration byte = cfg (in pmpcfg0 or pmpcfg2). */
.macro PMP_CFG i, cfg
  .if (\i) < 8
  li t0, 0xff << (8 * (\i))
  csrc pmpcfg0, t0
  li t0, (\cfg) << (8 * (\i))
  csrs pmpcfg0, t0
  .else
  li t0, 0xff << (8 * ((\i) - 8))
  csrc pmpcfg2, t0
  li t0, (\cfg) << (8 * ((\i) - 8))
  csrs pmpcfg2, t0
  .endif
  sfence.vma
.endm
/* PMP_SET_NAPOT i, sym, size, perms — entry i: NAPOT region of size bytes at sym. */
.macro PMP_SET_NAPOT i, sym, size, perms
  la t0, \sym
  li t1, (\size) / 2 - 1
  add t0, t0, t1
  srli t0, t0, 2
  csrw pmpaddr\i, t0
  PMP_CFG \i, PMP_NAPOT | (\perms)
.endm
/* PMP_SET_NA4 i, sym, off, perms — entry i: the 4 bytes at sym + off. */
.macro PMP_SET_NA4 i, sym, off, perms
  la t0, \sym
  addi t0, t0, \off
  srli t0, t0, 2
  csrw pmpaddr\i, t0
  PMP_CFG \i, PMP_NA4 | (\perms)
.endm
/* PMP_SET_TOP i, sym, off, cfg — pmpaddr i = (sym + off) >> 2, cfg byte = cfg. */
.macro PMP_SET_TOP i, sym, off, cfg
  la t0, \sym
  li t1, \off
  add t0, t0, t1
  srli t0, t0, 2
  csrw pmpaddr\i, t0
  PMP_CFG \i, \cfg
.endm
/* PMP_RESET — every entry off; PMP_FALLBACK — entry 15 grants RWX everywhere. */
.macro PMP_RESET
  csrw pmpcfg0, zero
  csrw pmpcfg2, zero
  sfence.vma
.endm
.macro PMP_FALLBACK
  li t0, -1
  csrw pmpaddr15, t0
  PMP_CFG 15, PMP_NAPOT | PMP_R | PMP_W | PMP_X
.endm
/* OK n, as, off, insn — check n: as M, S or U, insn with a1 = region + off works.
 * DENIED n, as, cause, off, insn — it faults with cause, mtval = a1. */
.macro OK n, as, off, insn:vararg
  TEST \n
  la a1, region
  li t0, \off
  add a1, a1, t0
  li s7, 0
  AS_\as
  \insn
  AS_M
.endm
.macro DENIED n, as, cause, off, insn:vararg
  TEST \n
  la a1, region
  li t0, \off
  add a1, a1, t0
  li s8, -1
  la s7, .Ldenied_after\@
  AS_\as
.Ldenied_at\@:
  \insn
  j fail
.Ldenied_after\@:
  AS_M
  EXPECT s8, \cause
  la t5, .Ldenied_at\@
  EXPECT_REG s9, t5
  EXPECT_REG s10, a1
.endm

  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* ---- the CSRs ---------------------------------------------------------------------- */
  TRAPS 1, CAUSE_ILLEGAL, csrr a0, pmpcfg1
  TRAPS 2, CAUSE_ILLEGAL, csrw pmpcfg3, zero
  TEST 3
  li a0, 0x123456
  csrw pmpaddr15, a0
  csrr a1, pmpaddr15
  EXPECT a1, 0x123456
  csrw pmpaddr8, a0
  csrr a1, pmpaddr8
  EXPECT a1, 0x123456
  TEST 4                         /* configuration bytes read back, in place */
  PMP_RESET
  li a0, 0x0d0b1f1c19100900
  csrw pmpcfg0, a0
  csrr a1, pmpcfg0
  EXPECT a1, 0x0d0b1f1c19100900
  li a0, 0x0f00000000001b00
  csrw pmpcfg2, a0
  csrr a1, pmpcfg2
  EXPECT a1, 0x0f00000000001b00
  PMP_RESET

  /* ---- NAPOT, permissions, M unaffected ------------------------------------------------ */
  PMP_FALLBACK
  OK 5, S, 0x10, ld a0, 0(a1)
  OK 6, U, 0x3ff8, sd a0, 0(a1)
  PMP_SET_NAPOT 0, region, 16384, PMP_R                       /* R0..R3 read-only */
  OK 7, S, 0x1008, ld a0, 0(a1)
  OK 8, U, 0x3ff8, lbu a0, 0(a1)
  DENIED 9, S, CAUSE_STORE_ACCESS, 0x1008, sd a0, 0(a1)
  DENIED 10, U, CAUSE_STORE_ACCESS, 0x0, sb a0, 0(a1)
  DENIED 11, S, CAUSE_STORE_ACCESS, 0x3ffc, sw a0, 0(a1)
  OK 12, M, 0x1008, sd a1, 0(a1)                          /* unlocked: M may write */
  TEST 13
  ld a0, 0(a1)
  EXPECT_REG a0, a1
  /* (an AMO needs write permission: cause 7; QEMU 7.2 reports 5, as for AMO faults) */
  TEST 14
  la a1, region
  li s8, -1
  la s7, 1f
  AS_S
  amoadd.d a0, a0, (a1)
  j fail
1:
  AS_M
  li t5, CAUSE_LOAD_ACCESS
  beq s8, t5, 2f
  EXPECT s8, CAUSE_STORE_ACCESS
2:
  EXPECT_REG s10, a1
  PMP_SET_NAPOT 0, region, 16384, PMP_W | PMP_R               /* now R W */
  OK 15, S, 0x2000, sd a1, 0(a1)
  PMP_SET_NAPOT 0, region, 16384, PMP_X                       /* X only: no data */
  DENIED 16, S, CAUSE_LOAD_ACCESS, 0x2000, ld a0, 0(a1)
  DENIED 17, U, CAUSE_LOAD_ACCESS, 0x0, lw a0, 0(a1)
  OK 18, M, 0x2000, ld a0, 0(a1)
  PMP_SET_NAPOT 0, region, 8, 0                               /* 8 bytes, no access */
  DENIED 19, S, CAUSE_LOAD_ACCESS, 0x0, lw a0, 0(a1)
  DENIED 20, S, CAUSE_LOAD_ACCESS, 0x4, lw a0, 0(a1)
  OK 21, S, 0x8, lw a0, 0(a1)
  PMP_SET_NAPOT 0, region, 32, 0                              /* 32 bytes */
  DENIED 22, S, CAUSE_STORE_ACCESS, 0x18, sd a0, 0(a1)
  OK 23, S, 0x20, sd a0, 0(a1)
  PMP_SET_NAPOT 0, region + 0x2000, 8192, 0                   /* 8 KiB: R2, R3 */
  OK 24, S, 0x1ff8, ld a0, 0(a1)
  DENIED 25, U, CAUSE_LOAD_ACCESS, 0x2000, ld a0, 0(a1)
  DENIED 26, S, CAUSE_LOAD_ACCESS, 0x3fff, lbu a0, 0(a1)

  /* ---- NA4 ----------------------------------------------------------------------------- */
  PMP_SET_NA4 0, region, 0x10, PMP_R
  OK 27, S, 0x10, lw a0, 0(a1)
  DENIED 28, S, CAUSE_STORE_ACCESS, 0x10, sw a0, 0(a1)
  DENIED 29, S, CAUSE_STORE_ACCESS, 0x13, sb a0, 0(a1)
  OK 30, S, 0x14, sw a0, 0(a1)
  OK 31, S, 0x0c, sw a0, 0(a1)

  /* ---- the lowest-numbered matching entry decides --------------------------------------- */
  PMP_SET_NA4 0, region, 0x20, 0
  PMP_SET_NAPOT 1, region, 4096, PMP_R | PMP_W
  DENIED 32, S, CAUSE_LOAD_ACCESS, 0x20, lw a0, 0(a1)
  OK 33, S, 0x24, lw a0, 0(a1)
  PMP_SET_NAPOT 0, region, 4096, PMP_R | PMP_W
  PMP_SET_NA4 1, region, 0x20, 0
  OK 34, S, 0x20, lw a0, 0(a1)
  PMP_CFG 1, 0
  /* ---- only part of an access inside the deciding entry: fails, for M too --------------- */
  PMP_SET_NA4 0, region, 0x30, PMP_R | PMP_W | PMP_X
  OK 35, S, 0x30, lw a0, 0(a1)
  DENIED 36, S, CAUSE_LOAD_ACCESS, 0x30, ld a0, 0(a1)
  DENIED 37, M, CAUSE_LOAD_ACCESS, 0x30, ld a0, 0(a1)
  DENIED 38, M, CAUSE_STORE_ACCESS, 0x2c, sd a0, 0(a1)
  OK 39, M, 0x38, sd a0, 0(a1)

  /* ---- TOR, and nothing matching ------------------------------------------------------- */
  PMP_RESET
  PMP_SET_TOP 1, region, 0, PMP_OFF                           /* bottom of entry 2 */
  PMP_SET_TOP 2, region, 0x2000, PMP_TOR | PMP_R | PMP_W      /* R0, R1 */
  OK 40, S, 0x0, ld a0, 0(a1)
  OK 41, U, 0x1ff8, sd a0, 0(a1)
  DENIED 42, S, CAUSE_LOAD_ACCESS, 0x2000, ld a0, 0(a1)   /* no entry matches */
  DENIED 43, U, CAUSE_STORE_ACCESS, 0x3000, sd a0, 0(a1)
  OK 44, M, 0x2000, ld a0, 0(a1)                          /* M: no match, no check */
  TEST 45                                                 /* nothing matches below R0 */
  la a1, region
  addi a1, a1, -8
  la s7, 1f
  AS_S
  ld a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_LOAD_ACCESS
  EXPECT_REG s10, a1
  PMP_SET_TOP 1, region, 0x2000, PMP_OFF                      /* bottom above top: empty */
  DENIED 46, S, CAUSE_LOAD_ACCESS, 0x1000, ld a0, 0(a1)
  PMP_SET_TOP 1, region, 0x1000, PMP_OFF                      /* [R1, R2) */
  DENIED 47, S, CAUSE_LOAD_ACCESS, 0x0ff8, ld a0, 0(a1)
  OK 48, S, 0x1000, ld a0, 0(a1)
  PMP_SET_TOP 0, region, 0x800, PMP_TOR | PMP_R               /* entry 0 TOR: [0, top) */
  OK 49, S, 0x7f8, ld a0, 0(a1)
  DENIED 50, S, CAUSE_STORE_ACCESS, 0x7f8, sd a0, 0(a1)
  DENIED 51, S, CAUSE_LOAD_ACCESS, 0x800, ld a0, 0(a1)

  /* ---- X: fetches from S and U ----------------------------------------------------------- */
  PMP_RESET
  PMP_SET_NAPOT 0, xpage, 4096, PMP_R                         /* xpage: readable, no X */
  PMP_FALLBACK
  ENTER_S s_mode
s_mode:
  TEST 52
  la t0, xpage
  la s7, 1f
  jalr ra, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  la t0, xpage
  EXPECT_REG s9, t0
  EXPECT_REG s10, t0
  TEST 53
  la t0, xpage
  lw a0, 0(t0)
  EXPECT a0, 0x05300513
  BACK_TO_M
  PMP_SET_NAPOT 0, xpage, 4096, PMP_X                         /* X only */
  ENTER_U u_mode
u_mode:
  TEST 54
  li a0, 0
  la t0, xpage
  jalr ra, 0(t0)
  EXPECT a0, 0x53
  TEST 55
  la t0, xpage
  la s7, 1f
  lw a0, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_LOAD_ACCESS
  la t0, xpage
  EXPECT_REG s10, t0
  BACK_TO_M
  TEST 56                        /* M runs it whatever the entry says */
  PMP_SET_NAPOT 0, xpage, 4096, 0
  li a0, 0
  call xpage
  EXPECT a0, 0x53

  /* ---- page-table walks are checked as S accesses ---------------------------------------- */
  VM_MAP 0x80000000, 0x80000000, 2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  VM_MAP_SYM 0x40000000, region, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  VM_ON SATP_MODE_SV39
  PMP_RESET
  PMP_FALLBACK
  TEST 57
  li a1, 0x40000008
  AS_S
  ld a0, 0(a1)
  AS_M
  PMP_SET_NAPOT 0, vm_root, 4096, 0                           /* the root table: no access */
  TEST 58
  li a1, 0x40000008
  la s7, 1f
  AS_S
  ld a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_LOAD_ACCESS
  EXPECT s10, 0x40000008
  TEST 59
  li a1, 0x40000010
  la s7, 1f
  AS_S
  sd a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_STORE_ACCESS
  EXPECT s10, 0x40000010
  PMP_SET_NAPOT 0, vm_root, 4096, PMP_R                       /* readable is enough */
  TEST 60
  li a1, 0x40000010
  AS_S
  sd a0, 0(a1)
  AS_M
  VM_OFF

  /* ---- locked entries (last: they stay until reset) ------------------------------------------ */
  PMP_RESET
  PMP_FALLBACK
  PMP_SET_NAPOT 0, lockpage, 4096, PMP_R | PMP_L              /* read-only, for M too */
  TEST 61
  la a1, lockpage
  ld a0, 0(a1)
  TEST 62
  la a1, lockpage
  la s7, 1f
2:
  sd a0, 8(a1)
  j fail
1:
  EXPECT_TRAP CAUSE_STORE_ACCESS, 2b
  addi a1, a1, 8
  EXPECT_REG s10, a1
  TEST 63                        /* the entry ignores writes */
  csrr a0, pmpaddr0
  li t0, 0x12345678
  csrw pmpaddr0, t0
  csrr a1, pmpaddr0
  EXPECT_REG a0, a1
  csrr a0, pmpcfg0
  li t0, 0xff
  csrc pmpcfg0, t0
  csrr a1, pmpcfg0
  EXPECT_REG a0, a1
  EXPECT_MASKED a1, 0xff, PMP_L | PMP_NAPOT | PMP_R
  TEST 64                        /* and still binds S */
  la a1, lockpage
  la s7, 1f
  AS_S
  sw a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_STORE_ACCESS
  TEST 65                        /* other entries stay writable */
  li t0, 0x777
  csrw pmpaddr1, t0
  csrr a0, pmpaddr1
  EXPECT a0, 0x777
  TEST 66                        /* M elsewhere: fine */
  la a1, region
  sd a1, 0(a1)
  /* a locked TOR entry also freezes the pmpaddr below it */
  PMP_SET_TOP 2, lockpage, 0, PMP_OFF
  PMP_SET_TOP 3, lockpage, 4096, PMP_TOR | PMP_R | PMP_W | PMP_L
  TEST 67
  csrr a0, pmpaddr2
  li t0, 0x4242
  csrw pmpaddr2, t0
  csrr a1, pmpaddr2
  EXPECT_REG a0, a1
  TEST 68                        /* (entry 0 still decides inside lockpage) */
  la a1, lockpage
  la s7, 1f
  sd a0, 16(a1)
  j fail
1:
  EXPECT s8, CAUSE_STORE_ACCESS
  TEST 69
  la a1, lockpage
  ld a0, 16(a1)

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .balign 4096
xpage:                           /* a0 = 0x53 */
  li a0, 0x53
  ret
  .balign 4096
