/* mmu-sv39.S — Sv39 address translation (privileged spec 1.12, 4.3-4.4): 4 KiB
 * pages, 2 MiB megapages and 1 GiB gigapages, negative (sign-extended) addresses,
 * non-canonical addresses, invalid / reserved (W without R) / non-leaf-at-level-0
 * PTEs, reserved PTE bits 63:54 (N, PBMT: neither Svnapot nor Svpbmt here), misaligned
 * superpages, R / W / X / U permissions with SUM and MXR, MPRV (with MPP = M no
 * translation), hardware A / D updates (QEMU 7.2 sets A on any access and D on a
 * store, in the PTE in memory; a faulting access sets neither), sfence.vma, satp
 * WARL (unsupported modes leave satp unchanged), page faults with mtval = the
 * faulting virtual address (for a misaligned access, the part that faulted; for a
 * fetch straddling pages, the second page), delegated page faults, and fetches from
 * S and U. Data accesses are mostly made from M through MPRV. */
#include "test.h"
#include "vm.h"

#define VA(k) (0x40000000 + (k) * 0x1000)
#define MEGA_VA     0x40200000           /* 2 MiB page -> MEGA_PA */
#define MEGA_PA     0x80200000           /* free RAM above the program */
#define BADMEGA_VA  0x40400000           /* megapage with PA 0x80201000: misaligned */
#define BADGIGA_VA  0xc0000000           /* gigapage with PA 0x80200000: misaligned */
#define NOWHERE_VA  0x100000000          /* level-2 pointer to a table at PA 0 */
#define AD  (PTE_A | PTE_D)
#define RW  (PTE_V | PTE_R | PTE_W)

  .data
  .balign 4096
p1:
  .dword 0xa1a1a1a1a1a1a1a1, 0xb2b2b2b2b2b2b2b2, 0x00000000c3c3c3c3, 0xffffffff80000001
  .fill 508, 8, 0
p1_end:
  .balign 8
gig_probe: .dword 0x5a5a0000a5a5ffff

  .section .bss
  .balign 4096
p0: .skip 4096

  .text
/* xpage: a page of code mapped at several VAs: a0 = 0x77, return through ra */
  .balign 4096
xpage:
  li a0, 0x77
  jalr x0, 0(ra)
  .org xpage + 4094
  .half 0x0513                   /* the first half of a 32-bit addi */
  .balign 4096

  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)
  /* ---- page tables ----------------------------------------------------------------- */
  VM_MAP 0x80000000, 0x80000000, 2, PTE_V | PTE_R | PTE_W | PTE_X | AD   /* identity */
  VM_MAP 0x0, 0x80000000, 2, PTE_V | PTE_R | PTE_W | PTE_X | AD         /* alias at 0 */
  VM_MAP 0xffffffffc0000000, 0x80000000, 2, RW | AD                    /* top 1 GiB */
  VM_MAP_SYM VA(0), p0, 0, RW | AD
  VM_MAP_SYM VA(1), p1, 0, PTE_R | PTE_W | PTE_X | AD       /* V = 0 */
  VM_MAP_SYM VA(2), p1, 0, PTE_V | PTE_R | AD
  VM_MAP_SYM VA(3), xpage, 0, PTE_V | PTE_X | AD            /* execute-only */
  VM_MAP_SYM VA(4), p1, 0, PTE_V | PTE_W | AD               /* reserved: W without R */
  VM_MAP_SYM VA(5), p1, 0, PTE_V | PTE_W | PTE_X | AD       /* reserved */
  VM_MAP_SYM VA(6), p0, 0, RW | PTE_U | AD
  VM_MAP_SYM VA(7), xpage, 0, PTE_V | PTE_R | PTE_X | PTE_U | AD
  VM_MAP_SYM VA(8), p1, 0, PTE_V | PTE_R | PTE_U | AD
  VM_MAP_SYM VA(9), p1, 0, PTE_V | PTE_R                    /* A = D = 0 */
  mv s1, a0
  VM_MAP_SYM VA(10), p0, 0, RW                              /* A = D = 0 */
  mv s2, a0
  VM_MAP_SYM VA(11), p0, 0, RW | PTE_A                      /* D = 0 */
  mv s3, a0
  VM_MAP_SYM VA(12), xpage, 0, PTE_V | PTE_X                /* A = 0 */
  mv s4, a0
  li a3, PTE_V | PTE_R | AD
  li t0, 1
  slli t0, t0, 54
  or a3, a3, t0
  li a0, VA(13)
  la a1, p1
  li a2, 0
  call vm_map                                               /* reserved bit 54 */
  li a3, PTE_V | PTE_R | AD
  li t0, 1
  slli t0, t0, 61
  or a3, a3, t0
  li a0, VA(14)
  la a1, p1
  li a2, 0
  call vm_map                                               /* PBMT = 1 */
  li a3, PTE_V | PTE_R | AD
  li t0, 1
  slli t0, t0, 63
  or a3, a3, t0
  li a0, VA(15)
  la a1, p1
  li a2, 0
  call vm_map                                               /* N = 1 */
  VM_MAP VA(16), 0x0, 0, RW | AD                            /* nothing at PA 0 */
  VM_MAP_SYM VA(17), p1, 0, PTE_V                           /* non-leaf at level 0 */
  VM_MAP_SYM VA(18), xpage, 0, PTE_V | PTE_R | PTE_X | AD   /* code, no W */
  VM_MAP MEGA_VA, MEGA_PA, 1, RW | AD
  VM_MAP BADMEGA_VA, MEGA_PA + 0x1000, 1, RW | AD
  VM_MAP BADGIGA_VA, MEGA_PA, 2, RW | AD
  la t0, vm_root                                            /* NOWHERE_VA: level-2 entry */
  li t1, PTE_V                                              /* pointing at PA 0 */
  sd t1, (NOWHERE_VA >> 30) * 8(t0)
  /* data the checks look for */
  la t0, p0
  li t1, 0x0123456789abcdef
  sd t1, 8(t0)
  li t0, MEGA_PA + 0x12340
  li t1, 0x4d454741
  sd t1, 0(t0)

  /* ---- satp --------------------------------------------------------------------------- */
  VM_ON SATP_MODE_SV39
  TEST 1
  csrr s5, satp
  srli a0, s5, 60
  EXPECT a0, SATP_MODE_SV39
  la a1, vm_root
  srli a1, a1, 12
  slli a0, s5, 20
  srli a0, a0, 20
  EXPECT_REG a0, a1
.macro SATP_UNCHANGED n, mode
  TEST \n
  slli a0, s5, 4
  srli a0, a0, 4
  li a1, (\mode) << 60
  or a0, a0, a1
  csrw satp, a0
  csrr a1, satp
  EXPECT_REG a1, s5
.endm
  SATP_UNCHANGED 2, 1
  SATP_UNCHANGED 3, 4
  SATP_UNCHANGED 4, 7
  SATP_UNCHANGED 5, 11
  SATP_UNCHANGED 6, 15
  TEST 7
  csrw satp, zero
  csrr a0, satp
  EXPECT a0, 0
  csrw satp, s5
  sfence.vma

  /* ---- translation ---------------------------------------------------------------------- */
  VM_LOAD  8, S, VA(0) + 8, 0x0123456789abcdef, ld a0, 0(a1)
  TEST 9
  li a1, VA(0) + 16
  li a2, 0x1122334455667788
  AS_S
  sd a2, 0(a1)
  AS_M
  la t0, p0
  ld a0, 16(t0)
  EXPECT a0, 0x1122334455667788
  VM_LOAD 10, S, VA(2), 0xa1a1a1a1a1a1a1a1, ld a0, 0(a1)
  VM_LOAD 11, S, VA(2) + 16, 0xffffffffc3c3c3c3, lw a0, 0(a1)
  VM_LOAD 12, S, VA(2) + 24, 0x80000001, lwu a0, 0(a1)
  VM_LOAD 13, S, VA(2) + 31, 0xffffffffffffffff, lb a0, 0(a1)
  VM_LOAD 14, S, VA(2) + 4095, 0, lbu a0, 0(a1)
  /* megapage */
  VM_LOAD 15, S, MEGA_VA + 0x12340, 0x4d454741, ld a0, 0(a1)
  TEST 16
  li a1, MEGA_VA + 0x1ffff8
  li a2, -2
  AS_S
  sd a2, 0(a1)
  AS_M
  li t0, MEGA_PA + 0x1ffff8
  ld a0, 0(t0)
  EXPECT a0, -2
  /* gigapage alias at VA 0, and the top gigabyte of the address space */
  TEST 17
  la a1, gig_probe
  li t0, 0x80000000
  sub a1, a1, t0
  AS_S
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0x5a5a0000a5a5ffff
  TEST 18
  la a1, gig_probe
  li t0, 0x80000000 - 0xffffffffc0000000
  sub a1, a1, t0
  AS_S
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0x5a5a0000a5a5ffff
  /* two virtual pages, one physical page */
  TEST 19
  li a1, VA(0) + 24
  li a2, VA(11) + 24
  li a3, 0x1919
  AS_S
  sd a3, 0(a1)
  ld a0, 0(a2)
  AS_M
  EXPECT a0, 0x1919

  /* ---- page faults (to M; mtval = the virtual address) ---------------------------------- */
  VM_FAULT 20, S, CAUSE_LOAD_PAGE,  VA(1) + 8, ld a0, 0(a1)          /* V = 0 */
  VM_FAULT 21, S, CAUSE_STORE_PAGE, VA(1) + 8, sd a0, 0(a1)
  VM_FAULT 22, S, CAUSE_LOAD_PAGE,  VA(4), ld a0, 0(a1)              /* W without R */
  VM_FAULT 23, S, CAUSE_STORE_PAGE, VA(4) + 4, sw a0, 0(a1)
  VM_FAULT 24, S, CAUSE_LOAD_PAGE,  VA(5), lbu a0, 0(a1)
  VM_FAULT 25, S, CAUSE_STORE_PAGE, VA(2) + 8, sd a0, 0(a1)          /* read-only */
  VM_FAULT 26, S, CAUSE_STORE_PAGE, VA(2), amoadd.d a0, a0, (a1)
  TEST 27                                                             /* lr, then sc */
  li a1, VA(2) + 4
  li s8, -1
  la s7, 1f
  AS_S
  lr.w a0, (a1)
  sc.w a0, a0, (a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_STORE_PAGE
  EXPECT s10, VA(2) + 4
  VM_FAULT 28, S, CAUSE_STORE_PAGE, VA(18), sh a0, 0(a1)             /* R X, no W */
  VM_FAULT 29, S, CAUSE_LOAD_PAGE,  VA(3), lw a0, 0(a1)              /* X only */
  VM_FAULT 30, S, CAUSE_LOAD_PAGE,  VA(13), ld a0, 0(a1)             /* bit 54 */
  VM_FAULT 31, S, CAUSE_LOAD_PAGE,  VA(14), ld a0, 0(a1)             /* PBMT */
  VM_FAULT 32, S, CAUSE_LOAD_PAGE,  VA(15), ld a0, 0(a1)             /* N */
  VM_FAULT 33, S, CAUSE_LOAD_PAGE,  VA(17) + 16, ld a0, 0(a1)        /* non-leaf, level 0 */
  VM_FAULT 34, S, CAUSE_STORE_PAGE, VA(17), sb a0, 0(a1)
  VM_FAULT 35, S, CAUSE_LOAD_ACCESS, VA(16) + 8, ld a0, 0(a1)        /* PA 0: access fault */
  VM_FAULT 36, S, CAUSE_STORE_ACCESS, VA(16), sd a0, 0(a1)
  VM_FAULT 37, S, CAUSE_LOAD_PAGE,  BADMEGA_VA + 8, ld a0, 0(a1)     /* misaligned superpages */
  VM_FAULT 38, S, CAUSE_STORE_PAGE, BADMEGA_VA + 0x1000, sd a0, 0(a1)
  VM_FAULT 39, S, CAUSE_LOAD_PAGE,  BADGIGA_VA + 0x10, ld a0, 0(a1)
  VM_FAULT 40, S, CAUSE_LOAD_PAGE,  0x0000004000000000, ld a0, 0(a1) /* non-canonical */
  VM_FAULT 41, S, CAUSE_STORE_PAGE, 0x8000000000000000, sd a0, 0(a1)
  VM_FAULT 42, S, CAUSE_LOAD_PAGE,  0xffffffbfffffff00, ld a0, 0(a1)
  VM_FAULT 43, S, CAUSE_LOAD_PAGE,  0xffffffc000000000, ld a0, 0(a1) /* canonical, unmapped */
  VM_FAULT 44, S, CAUSE_LOAD_PAGE,  0x7ffff000, lw a0, 0(a1)         /* level-2 entry empty */
  VM_FAULT 45, S, CAUSE_LOAD_PAGE,  VA(20), ld a0, 0(a1)             /* level-0 entry empty */
  VM_FAULT 46, S, CAUSE_LOAD_PAGE,  VA(1), lr.d a0, (a1)
  /* (an AMO fault is a store/AMO page fault, 15; QEMU 7.2 reports 13 for an AMO on an
   * invalid page: either is accepted) */
  VM_FAULT2 47, S, CAUSE_STORE_PAGE, CAUSE_LOAD_PAGE, VA(1) + 8, amoswap.d a0, a0, (a1)
  /* a misaligned access faulting in its second page: mtval = that page */
  TEST 48
  li a1, VA(0) + 0xffc
  li s8, -1
  la s7, 1f
  AS_S
  ld a0, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_LOAD_PAGE
  EXPECT s10, VA(1)
  /* a walk reaching a table where nothing is: access fault by the spec (PMA check of
   * the PTE access); QEMU 7.2 reports a page fault. Either is accepted. */
  VM_FAULT2 49, S, CAUSE_LOAD_ACCESS, CAUSE_LOAD_PAGE, NOWHERE_VA + 8, ld a0, 0(a1)
  VM_FAULT2 50, S, CAUSE_STORE_ACCESS, CAUSE_STORE_PAGE, NOWHERE_VA, sd a0, 0(a1)

  /* ---- U pages, SUM, MXR ----------------------------------------------------------------- */
  VM_FAULT 51, S, CAUSE_LOAD_PAGE,  VA(6) + 8, ld a0, 0(a1)          /* S on a U page */
  VM_FAULT 52, S, CAUSE_STORE_PAGE, VA(6) + 8, sd a0, 0(a1)
  li t0, MSTATUS_SUM
  csrs mstatus, t0
  VM_LOAD 53, S, VA(6) + 8, 0x0123456789abcdef, ld a0, 0(a1)         /* SUM = 1 */
  VM_DO   54, S, VA(6) + 32, sd a1, 0(a1)
  la t0, p0
  ld a0, 32(t0)
  EXPECT a0, VA(6) + 32
  VM_LOAD 55, U, VA(6) + 8, 0x0123456789abcdef, ld a0, 0(a1)         /* U on a U page */
  VM_DO   56, U, VA(6) + 40, sd a1, 0(a1)
  VM_FAULT 57, U, CAUSE_LOAD_PAGE,  VA(0) + 8, ld a0, 0(a1)          /* U on an S page */
  VM_FAULT 58, U, CAUSE_STORE_PAGE, VA(0) + 8, sd a0, 0(a1)          /* (SUM is for S) */
  VM_LOAD 59, U, VA(8), 0xa1a1a1a1a1a1a1a1, ld a0, 0(a1)
  VM_FAULT 60, U, CAUSE_STORE_PAGE, VA(8), sd a0, 0(a1)
  li t0, MSTATUS_SUM
  csrc mstatus, t0
  li t0, MSTATUS_MXR
  csrs mstatus, t0
  VM_LOAD 61, S, VA(3), 0x07700513, lw a0, 0(a1)                     /* MXR: X-only read */
  VM_FAULT 62, S, CAUSE_STORE_PAGE, VA(3), sw a0, 0(a1)
  VM_LOAD 63, U, VA(7), 0x07700513, lw a0, 0(a1)
  VM_FAULT 64, S, CAUSE_LOAD_PAGE, VA(4), ld a0, 0(a1)               /* still no W-only */
  li t0, MSTATUS_MXR
  csrc mstatus, t0
  VM_FAULT 65, S, CAUSE_LOAD_PAGE, VA(3), lw a0, 0(a1)

  /* ---- MPRV with MPP = M: no translation ---------------------------------------------- */
  TEST 66
  li a1, VA(0) + 8
  li s8, -1
  la s7, 1f
  li t0, MSTATUS_MPRV | MSTATUS_MPP
  csrs mstatus, t0
  ld a0, 0(a1)                   /* physical 0x40000008: nothing there */
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_LOAD_ACCESS
  EXPECT s10, VA(0) + 8
  TEST 67
  la a1, p1
  li t0, MSTATUS_MPRV | MSTATUS_MPP
  csrs mstatus, t0
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0xa1a1a1a1a1a1a1a1

  /* ---- A and D --------------------------------------------------------------------------- */
  TEST 68                        /* a load sets A only */
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, 0
  VM_LOAD 69, S, VA(9), 0xa1a1a1a1a1a1a1a1, ld a0, 0(a1)
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD | 0xff, PTE_V | PTE_R | PTE_A
  VM_DO 70, S, VA(10) + 48, sd a1, 0(a1)                             /* a store: A and D */
  ld a0, 0(s2)
  EXPECT_MASKED a0, AD | 0xff, RW | AD
  VM_DO 71, S, VA(11) + 8, ld a0, 0(a1)                              /* A set, D not */
  ld a0, 0(s3)
  EXPECT_MASKED a0, AD, PTE_A
  VM_DO 72, S, VA(11) + 8, amoor.d a0, zero, (a1)                    /* an AMO writes: D */
  ld a0, 0(s3)
  EXPECT_MASKED a0, AD, AD
  TEST 73                        /* a faulting store sets neither A nor D */
  ld a0, 0(s1)
  andi a0, a0, ~PTE_A
  sd a0, 0(s1)
  sfence.vma
  li a1, VA(9)
  la s7, 1f
  AS_S
  sd a1, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_STORE_PAGE
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, 0
  TEST 74                        /* neither does a load from a page S may not read */
  ld a0, 0(s4)
  li a1, VA(12)
  la s7, 1f
  AS_S
  ld a1, 0(a1)
  j fail
1:
  AS_M
  EXPECT s8, CAUSE_LOAD_PAGE
  ld a0, 0(s4)
  EXPECT_MASKED a0, AD, 0

  /* ---- sfence.vma ------------------------------------------------------------------------ */
  TEST 75
  li a0, VA(0)
  li a2, 0
  call vm_pte
  mv s0, a0                      /* s0 = the PTE of VA(0) */
  la a1, p1
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V | PTE_R | AD
  sd a1, 0(s0)                   /* VA(0) now maps p1 */
  li a1, VA(0)
  sfence.vma a1, zero
  VM_LOAD 76, S, VA(0), 0xa1a1a1a1a1a1a1a1, ld a0, 0(a1)
  TEST 77
  la a1, p0
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, RW | AD
  sd a1, 0(s0)                   /* back to p0 */
  sfence.vma zero, zero
  VM_LOAD 78, S, VA(0) + 8, 0x0123456789abcdef, ld a0, 0(a1)
  TEST 79
  sd zero, 0(s0)                 /* unmapped */
  li a2, 0
  sfence.vma zero, a2            /* ASID 0 */
  VM_FAULT 80, S, CAUSE_LOAD_PAGE, VA(0) + 8, ld a0, 0(a1)
  la a1, p0
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, RW | AD
  sd a1, 0(s0)
  sfence.vma

  /* ---- running in S ------------------------------------------------------------------------ */
  ENTER_S s_mode
s_mode:
  TEST 81
  EXPECT_MODE 1
  TEST 82                        /* S runs the X-only page */
  li a0, 0
  li t0, VA(3)
  jalr ra, 0(t0)
  EXPECT a0, 0x77
  TEST 83                        /* A set by a fetch */
  li a0, 0
  li t0, VA(12)
  jalr ra, 0(t0)
  EXPECT a0, 0x77
.macro FETCH_FAULT n, target
  TEST \n
  li t0, \target
  li s8, -1
  la s7, .Lff_after\@
  jalr ra, 0(t0)
  j fail
.Lff_after\@:
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s9, \target
  EXPECT s10, \target
.endm
  FETCH_FAULT 84, VA(7)          /* S may not run a U page... */
  EXPECT s6, 3
  EXPECT_MASKED s11, MSTATUS_MPP, MSTATUS_MPP_S
  li t0, MSTATUS_SUM
  csrs sstatus, t0
  FETCH_FAULT 85, VA(7) + 4      /* ...even with SUM */
  li t0, MSTATUS_SUM
  csrc sstatus, t0
  FETCH_FAULT 86, VA(0)          /* no X */
  FETCH_FAULT 87, VA(1)          /* V = 0 */
  FETCH_FAULT 88, VA(2) + 8      /* R only */
  FETCH_FAULT 89, 0x0000004000000000
  FETCH_FAULT 90, BADMEGA_VA
  TEST 91                        /* code run through the gigapage alias at VA 0 */
  la t0, alias_code
  li t1, 0x80000000
  sub t0, t0, t1
  li a0, 0
  jalr ra, 0(t0)
  EXPECT a0, 0x91
  la t1, alias_code
  bgeu a1, t1, fail              /* it saw its pc below 0x80000000 */
  TEST 92                        /* S reads and writes satp (TVM = 0) */
  csrr a0, satp
  csrw satp, a0
  sfence.vma
  csrr a1, satp
  EXPECT_REG a0, a1
  TEST 93                        /* S loads and stores through its own translation */
  li a1, VA(0) + 56
  li a0, 0x93
  sd a0, 0(a1)
  ld a2, 0(a1)
  EXPECT a2, 0x93
  TEST 94                        /* a 32-bit instruction straddling into an invalid
                                    page: epc = its start, tval = the second page */
  li t0, VA(12) + 4094
  li s8, -1
  la s7, 1f
  jalr ra, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s9, VA(12) + 4094
  EXPECT s10, VA(13)
  BACK_TO_M

  /* ---- page faults delegated to S -------------------------------------------------------- */
  li a0, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE)
  csrw medeleg, a0
  ENTER_S s_deleg
s_deleg:
  TEST 95
  li a1, VA(1) + 16
  la s7, 1f
2:
  ld a0, 0(a1)
  j fail
1:
  EXPECT s6, 1
  EXPECT_TRAP CAUSE_LOAD_PAGE, 2b
  EXPECT s10, VA(1) + 16
  TEST 96
  li a1, VA(2) + 8
  la s7, 1f
2:
  sd a0, 0(a1)
  j fail
1:
  EXPECT s6, 1
  EXPECT_TRAP CAUSE_STORE_PAGE, 2b
  EXPECT s10, VA(2) + 8
  FETCH_FAULT 97, VA(7)
  EXPECT s6, 1
  EXPECT_MASKED s11, MSTATUS_SPP, MSTATUS_SPP
  BACK_TO_M
  csrw medeleg, zero

  /* ---- running in U ------------------------------------------------------------------------- */
  TEST 98                        /* U runs its page, then returns to an invalid page */
  li ra, VA(1) + 0x40
  li a0, 0
  la s7, 1f
  ori s7, s7, 1
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, VA(7)
  csrw mepc, t0
  mret
1:
  EXPECT a0, 0x77
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s10, VA(1) + 0x40
  EXPECT_MASKED s11, MSTATUS_MPP, 0
  TEST 99                        /* U may not run an S page */
  la ra, 2f
  li a0, 0
  la s7, 1f
  ori s7, s7, 1
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, VA(7)
  csrw mepc, t0
  mret
2:
  j fail
1:
  EXPECT a0, 0x77
  EXPECT s8, CAUSE_FETCH_PAGE
  la t0, 2b
  EXPECT_REG s10, t0

  VM_OFF
  ld ra, 0(sp)
  addi sp, sp, 16
  ret

alias_code:                      /* a0 = 0x91, a1 = its own pc */
  auipc a1, 0
  li a0, 0x91
  ret
