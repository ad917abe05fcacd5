/* pmp32.S — physical memory protection on RV32 (privileged spec 1.12, 3.7): sixteen
 * entries configured through all four of pmpcfg0..pmpcfg3 (entries 4-7 and 12-15 live in
 * the odd registers, which exist on RV32 only), pmpaddr holding bits 33:2 of a 34-bit
 * physical address, TOR / NA4 / NAPOT regions, R / W / X checked for S and U (also
 * through MPRV, and for the implicit accesses of an Sv32 walk), the lowest-numbered
 * matching entry deciding, unlocked entries not restricting M, S / U accesses failing
 * when nothing matches, and locked entries binding M and ignoring writes (also to the
 * pmpaddr below a locked TOR entry). Regions beyond 4 GiB must not match the RAM below
 * it: the bounds are (pmpaddr << 2) in 34 bits. Access faults carry mtval = the address.
 *
 * QEMU 7.2 deviation (ISA_STRICT, see test.h): QEMU forms a region's bounds as
 * (pmpaddr << 2) in 32 bits on RV32, so entries beyond 4 GiB match the RAM 4 GiB (or a
 * multiple) lower; the checks that would show it accept QEMU's access fault outside the
 * strict build. */
#include "test.h"
#include "vm.h"

  .section .bss
  .balign 16384
region: .skip 16384                /* R0..R3: four 4 KiB pages, 16 KiB aligned */
lockpage: .skip 4096

  .text
/* PMP_CFG i, cfg — entry i's configuration byte = cfg (in pmpcfg0..3). */
.macro PMP_CFG i, cfg
  li t0, 0xff << (8 * ((\i) % 4))
  csrc 0x3a0 + (\i) / 4, t0       /* pmpcfg0..3 */
  li t0, (\cfg) << (8 * ((\i) % 4))
  csrs 0x3a0 + (\i) / 4, t0
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
/* PMP_RESET — every entry off; PMP_FALLBACK — entry 15 (in pmpcfg3) grants RWX
 * everywhere. */
.macro PMP_RESET
  csrw pmpcfg0, zero
  csrw pmpcfg1, zero
  csrw pmpcfg2, zero
  csrw pmpcfg3, zero
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
/* OK_BEYOND_4G n, as, off, insn — as OK, for checks where an entry lies beyond 4 GiB;
 * outside the strict build QEMU 7.2's access fault (cause 5 or 7) is accepted too. */
.macro OK_BEYOND_4G n, as, off, insn:vararg
  TEST \n
  la a1, region
  li t0, \off
  add a1, a1, t0
#ifndef ISA_STRICT
  li s8, -1
  la s7, .Lok4g_trap\@
#else
  li s7, 0
#endif
  AS_\as
  \insn
  AS_M
#ifndef ISA_STRICT
  li s7, 0
  j .Lok4g_done\@
.Lok4g_trap\@:
  AS_M
  li t5, CAUSE_LOAD_ACCESS
  beq s8, t5, .Lok4g_done\@
  EXPECT s8, CAUSE_STORE_ACCESS
.Lok4g_done\@:
#endif
.endm

  .globl main
main:
  addi sp, sp, -16
  sw ra, 0(sp)

  /* ---- the CSRs ---------------------------------------------------------------------- */
  TEST 1                         /* each pmpcfg register holds four bytes, in place */
  PMP_RESET
  li a0, 0x0d0b0900              /* entries 0..3 (entry 0 off, so nothing is denied) */
  csrw pmpcfg0, a0
  li a0, 0x19100f0c              /* entries 4..7 */
  csrw pmpcfg1, a0
  li a0, 0x0900000b              /* entries 8..11 */
  csrw pmpcfg2, a0
  li a0, 0x1f1b1819              /* entries 12..15 */
  csrw pmpcfg3, a0
  EXPECT_CSR pmpcfg0, 0x0d0b0900
  EXPECT_CSR pmpcfg1, 0x19100f0c
  EXPECT_CSR pmpcfg2, 0x0900000b
  EXPECT_CSR pmpcfg3, 0x1f1b1819
  PMP_RESET
  TEST 2                         /* every pmpaddr holds 32 bits (address bits 33:2) */
  li a0, 0xfedcba98
  csrw pmpaddr0, a0
  csrw pmpaddr4, a0
  csrw pmpaddr12, a0
  csrw pmpaddr15, a0
  EXPECT_CSR pmpaddr0, 0xfedcba98
  EXPECT_CSR pmpaddr4, 0xfedcba98
  EXPECT_CSR pmpaddr12, 0xfedcba98
  EXPECT_CSR pmpaddr15, 0xfedcba98
  TEST 3                         /* pmpcfg is 8 bits an entry: 0x18 at bit 24 is entry 3 */
  li a0, PMP_NAPOT << 24
  csrw pmpcfg0, a0
  EXPECT_CSR pmpcfg0, PMP_NAPOT << 24
  csrw pmpcfg0, zero

  /* ---- NAPOT, permissions, M unaffected ------------------------------------------------ */
  PMP_RESET
  PMP_FALLBACK
  OK 5, S, 0x10, lw a0, 0(a1)
  OK 6, U, 0x3ffc, sw a0, 0(a1)
  PMP_SET_NAPOT 5, region, 16384, PMP_R                       /* R0..R3 read-only */
  OK 7, S, 0x1008, lw a0, 0(a1)
  OK 8, U, 0x3ffc, lbu a0, 0(a1)
  DENIED 9, S, CAUSE_STORE_ACCESS, 0x1008, sw a0, 0(a1)
  DENIED 10, U, CAUSE_STORE_ACCESS, 0x0, sb a0, 0(a1)
  OK 11, M, 0x1008, sw a1, 0(a1)                          /* unlocked: M may write */
  TEST 12
  lw a0, 0(a1)
  EXPECT_REG a0, a1
  PMP_SET_NAPOT 5, region, 16384, PMP_X                       /* X only: no data */
  DENIED 13, S, CAUSE_LOAD_ACCESS, 0x2000, lw a0, 0(a1)
  DENIED 14, U, CAUSE_LOAD_ACCESS, 0x0, lw a0, 0(a1)
  OK 15, M, 0x2000, lw a0, 0(a1)
  PMP_SET_NAPOT 5, region, 8, 0                               /* 8 bytes, no access */
  DENIED 16, S, CAUSE_LOAD_ACCESS, 0x4, lw a0, 0(a1)
  OK 17, S, 0x8, lw a0, 0(a1)
  PMP_SET_NAPOT 5, region + 0x2000, 8192, 0                   /* 8 KiB: R2, R3 */
  OK 18, S, 0x1ffc, lw a0, 0(a1)
  DENIED 19, U, CAUSE_LOAD_ACCESS, 0x2000, lw a0, 0(a1)
  DENIED 20, S, CAUSE_STORE_ACCESS, 0x3fff, sb a0, 0(a1)
  PMP_CFG 5, 0

  /* ---- NA4, in an odd register ----------------------------------------------------------- */
  PMP_SET_NA4 13, region, 0x10, PMP_R
  OK 21, S, 0x10, lw a0, 0(a1)
  DENIED 22, S, CAUSE_STORE_ACCESS, 0x10, sw a0, 0(a1)
  DENIED 23, S, CAUSE_STORE_ACCESS, 0x13, sb a0, 0(a1)
  OK 24, S, 0x14, sw a0, 0(a1)
  OK 25, S, 0x0c, sw a0, 0(a1)
  /* only part of an access inside the deciding entry: fails, for M too */
  PMP_SET_NA4 4, region, 0x30, PMP_R | PMP_W | PMP_X
  DENIED 26, S, CAUSE_LOAD_ACCESS, 0x32, lw a0, 0(a1)
  DENIED 27, M, CAUSE_STORE_ACCESS, 0x2e, sw a0, 0(a1)
  OK 28, M, 0x34, sw a0, 0(a1)
  PMP_CFG 4, 0
  PMP_CFG 13, 0

  /* ---- the lowest-numbered matching entry decides --------------------------------------- */
  PMP_SET_NA4 6, region, 0x20, 0
  PMP_SET_NAPOT 7, region, 4096, PMP_R | PMP_W
  DENIED 29, S, CAUSE_LOAD_ACCESS, 0x20, lw a0, 0(a1)
  OK 30, S, 0x24, lw a0, 0(a1)
  PMP_SET_NAPOT 6, region, 4096, PMP_R | PMP_W
  PMP_SET_NA4 7, region, 0x20, 0
  OK 31, S, 0x20, lw a0, 0(a1)
  PMP_CFG 6, 0
  PMP_CFG 7, 0

  /* ---- TOR, and nothing matching ------------------------------------------------------- */
  PMP_RESET
  PMP_SET_TOP 8, region, 0, PMP_OFF                           /* bottom of entry 9 */
  PMP_SET_TOP 9, region, 0x2000, PMP_TOR | PMP_R | PMP_W      /* R0, R1 */
  OK 32, S, 0x0, lw a0, 0(a1)
  OK 33, U, 0x1ffc, sw a0, 0(a1)
  DENIED 34, S, CAUSE_LOAD_ACCESS, 0x2000, lw a0, 0(a1)   /* no entry matches */
  DENIED 35, U, CAUSE_STORE_ACCESS, 0x3000, sw a0, 0(a1)
  OK 36, M, 0x2000, lw a0, 0(a1)                          /* M: no match, no check */
  PMP_SET_TOP 8, region, 0x2000, PMP_OFF                      /* bottom above top: empty */
  DENIED 37, S, CAUSE_LOAD_ACCESS, 0x1000, lw a0, 0(a1)
  PMP_SET_TOP 0, region, 0x800, PMP_TOR | PMP_R               /* entry 0 TOR: [0, top) */
  OK 38, S, 0x7fc, lw a0, 0(a1)
  DENIED 39, S, CAUSE_STORE_ACCESS, 0x7fc, sw a0, 0(a1)
  DENIED 40, S, CAUSE_LOAD_ACCESS, 0x800, lw a0, 0(a1)
  OK 41, U, 0x0, lw a0, 0(a1)                             /* entry 0 binds U too */

  /* ---- entries beyond 4 GiB do not match RAM below it ------------------------------------ */
  PMP_RESET
  PMP_FALLBACK
  /* NAPOT at region + 4 GiB, no permissions: region itself is untouched */
  la t0, region
  li t1, 16384 / 2 - 1
  add t0, t0, t1
  srli t0, t0, 2
  li t1, 0x40000000              /* + 4 GiB, in pmpaddr units (address >> 2) */
  or t0, t0, t1
  csrw pmpaddr3, t0
  PMP_CFG 3, PMP_NAPOT
  OK_BEYOND_4G 42, S, 0x100, lw a0, 0(a1)
  OK_BEYOND_4G 43, U, 0x3ffc, sw a0, 0(a1)
  PMP_CFG 3, 0
  /* TOR [4 GiB, 4 GiB + region + 8 MiB), no permissions: modulo 4 GiB it would cover
   * all RAM the program uses */
  li t0, 0x40000000
  csrw pmpaddr1, t0
  la t0, region
  li t1, 0x800000
  add t0, t0, t1
  srli t0, t0, 2
  li t1, 0x40000000
  or t0, t0, t1
  csrw pmpaddr2, t0
  PMP_CFG 2, PMP_TOR
  OK_BEYOND_4G 44, S, 0x200, lw a0, 0(a1)
  PMP_CFG 2, 0
  TEST 45                        /* a NAPOT entry of all ones covers all 16 GiB */
  PMP_RESET
  li t0, -1
  csrw pmpaddr0, t0
  PMP_CFG 0, PMP_NAPOT | PMP_R
  la a1, region
  AS_S
  lw a0, 0(a1)
  AS_M
  DENIED 46, S, CAUSE_STORE_ACCESS, 0x8, sw a0, 0(a1)
  PMP_RESET

  /* ---- X: fetches from S and U ----------------------------------------------------------- */
  PMP_SET_NAPOT 10, xpage, 4096, PMP_R                        /* xpage: readable, no X */
  PMP_FALLBACK
  ENTER_S s_mode
s_mode:
  TEST 47
  la t0, xpage
  la s7, 1f
  jalr ra, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_ACCESS
  la t0, xpage
  EXPECT_REG s9, t0
  EXPECT_REG s10, t0
  TEST 48
  la t0, xpage
  lw a0, 0(t0)
  EXPECT a0, 0x05300513
  BACK_TO_M
  PMP_SET_NAPOT 10, xpage, 4096, PMP_X                        /* X only */
  ENTER_U u_mode
u_mode:
  TEST 49
  li a0, 0
  la t0, xpage
  jalr ra, 0(t0)
  EXPECT a0, 0x53
  TEST 50
  la t0, xpage
  la s7, 1f
  lw a0, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_LOAD_ACCESS
  la t0, xpage
  EXPECT_REG s10, t0
  BACK_TO_M
  TEST 51                        /* M runs it whatever the entry says */
  PMP_SET_NAPOT 10, xpage, 4096, 0
  li a0, 0
  call xpage
  EXPECT a0, 0x53
  PMP_CFG 10, 0

  /* ---- Sv32 walks are checked as S accesses ---------------------------------------------- */
  VM_MAP 0x80000000, 0x80000000, 1, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  VM_MAP_SYM 0x40000000, region, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  VM_ON
  TEST 52
  li a1, 0x40000008
  AS_S
  lw a0, 0(a1)
  AS_M
  PMP_SET_NAPOT 11, vm_root, 4096, 0                          /* the root table: no access */
  TEST 53
  li a1, 0x40000008
  la s7, 1f
  AS_S
  lw a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_LOAD_ACCESS
  EXPECT s10, 0x40000008
  TEST 54
  li a1, 0x40000010
  la s7, 1f
  AS_S
  sw a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_STORE_ACCESS
  EXPECT s10, 0x40000010
  PMP_SET_NAPOT 11, vm_root, 4096, PMP_R                      /* readable is enough */
  TEST 55
  li a1, 0x40000010
  AS_S
  sw a0, 0(a1)
  AS_M
  PMP_CFG 11, 0
  VM_OFF

  /* ---- locked entries (last: they stay until reset) ------------------------------------------ */
  PMP_RESET
  PMP_FALLBACK
  PMP_SET_NAPOT 4, lockpage, 4096, PMP_R | PMP_L              /* read-only, for M too */
  TEST 56
  la a1, lockpage
  lw a0, 0(a1)
  TEST 57
  la a1, lockpage
  la s7, 1f
2:
  sw a0, 8(a1)
  j fail
1:
  EXPECT_TRAP CAUSE_STORE_ACCESS, 2b
  addi a1, a1, 8
  EXPECT_REG s10, a1
  TEST 58                        /* the entry ignores writes, in pmpcfg1 and pmpaddr4 */
  csrr a0, pmpaddr4
  li t0, 0x12345678
  csrw pmpaddr4, t0
  csrr a1, pmpaddr4
  EXPECT_REG a0, a1
  csrr a0, pmpcfg1
  li t0, 0xff
  csrc pmpcfg1, t0
  csrr a1, pmpcfg1
  EXPECT_REG a0, a1
  EXPECT_MASKED a1, 0xff, PMP_L | PMP_NAPOT | PMP_R
  TEST 59                        /* the other bytes of pmpcfg1 stay writable */
  li t0, 0x0b00
  csrs pmpcfg1, t0
  csrr a1, pmpcfg1
  EXPECT_MASKED a1, 0xffff, 0x0b00 | PMP_L | PMP_NAPOT | PMP_R
  li t0, 0xff00
  csrc pmpcfg1, t0
  TEST 60                        /* and still binds S */
  la a1, lockpage
  la s7, 1f
  AS_S
  sw a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_STORE_ACCESS
  /* a locked TOR entry in pmpcfg3 also freezes the pmpaddr below it */
  PMP_SET_TOP 13, lockpage, 0, PMP_OFF
  PMP_SET_TOP 14, lockpage, 4096, PMP_TOR | PMP_R | PMP_W | PMP_L
  TEST 61
  csrr a0, pmpaddr13
  li t0, 0x4242
  csrw pmpaddr13, t0
  csrr a1, pmpaddr13
  EXPECT_REG a0, a1
  TEST 62                        /* (entry 4 still decides inside lockpage) */
  la a1, lockpage
  la s7, 1f
  sw a0, 16(a1)
  j fail
1:
  EXPECT s8, CAUSE_STORE_ACCESS
  TEST 63
  la a1, lockpage
  lw a0, 16(a1)

  lw ra, 0(sp)
  addi sp, sp, 16
  ret

  .balign 4096
xpage:                           /* a0 = 0x53 */
  li a0, 0x53
  ret
  .balign 4096
