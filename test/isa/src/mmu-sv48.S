/* mmu-sv48.S — Sv48 (privileged spec 1.12, 4.5): the four-level walk with 4 KiB,
 * 2 MiB, 1 GiB and 512 GiB ("tera") pages, canonical addresses now 48 bits wide
 * (an address that is non-canonical for Sv39 is an ordinary one here), negative
 * addresses, misaligned giga- and terapages, A / D on a superpage, an empty entry at
 * each level, S running its code through a terapage, and satp mode 9. */
#include "test.h"
#include "vm.h"

#define B           0x0000008000000000   /* level-3 index 1: small pages live here */
#define VA(k)       (B + (k) * 0x1000)
#define MEGA_VA     (B + 0x200000)
#define GIGA_VA     (B + 0x40000000)
#define BADGIGA_VA  (B + 0x80000000)
#define BADTERA_VA  0x0000010000000000   /* level-3 index 2, PA 0x80000000: misaligned */
#define NEG_VA      0xffff800000000000   /* level-3 index 256: terapage at PA 0 */
#define MEGA_PA     0x80200000
#define AD  (PTE_A | PTE_D)
#define RW  (PTE_V | PTE_R | PTE_W)

  .data
  .balign 4096
p1: .dword 0xa1a1a1a1a1a1a1a1, 0xb2b2b2b2b2b2b2b2
  .fill 510, 8, 0
gig_probe: .dword 0x5a5a0000a5a5ffff
  .section .bss
  .balign 4096
p0: .skip 4096

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)
  la t0, vm_levels
  li t1, 4
  sd t1, 0(t0)
  VM_MAP 0x0, 0x0, 3, PTE_V | PTE_R | PTE_W | PTE_X | AD         /* identity terapage */
  VM_MAP NEG_VA, 0x0, 3, RW                                      /* A = D = 0 */
  mv s1, a0
  VM_MAP_SYM VA(0), p0, 0, RW | AD
  VM_MAP_SYM VA(1), p1, 0, PTE_V | PTE_R | AD
  VM_MAP_SYM VA(2), p1, 0, PTE_V | PTE_R                         /* A = 0 */
  mv s2, a0
  VM_MAP MEGA_VA, MEGA_PA, 1, RW | AD
  VM_MAP GIGA_VA, 0x80000000, 2, RW | AD
  VM_MAP BADGIGA_VA, MEGA_PA, 2, RW | AD
  VM_MAP BADTERA_VA, 0x80000000, 3, RW | AD
  la t0, p0
  li t1, 0x0123456789abcdef
  sd t1, 8(t0)
  li t0, MEGA_PA + 0x1230
  li t1, 0x4d454741
  sd t1, 0(t0)

  TEST 1
  VM_ON SATP_MODE_SV48
  csrr s5, satp
  srli a0, s5, 60
  EXPECT a0, SATP_MODE_SV48
  TEST 2                         /* an unsupported mode leaves satp as it was */
  slli a0, s5, 4
  srli a0, a0, 4
  li a1, 3 << 60
  or a0, a0, a1
  csrw satp, a0
  csrr a1, satp
  EXPECT_REG a1, s5

  VM_LOAD  3, S, VA(0) + 8, 0x0123456789abcdef, ld a0, 0(a1)
  VM_LOAD  4, S, VA(1) + 8, 0xb2b2b2b2b2b2b2b2, ld a0, 0(a1)
  VM_LOAD  5, S, MEGA_VA + 0x1230, 0x4d454741, lwu a0, 0(a1)
  TEST 6                         /* gigapage */
  la a1, gig_probe
  li t0, 0x80000000
  sub a1, a1, t0
  li t0, GIGA_VA
  add a1, a1, t0
  AS_S
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0x5a5a0000a5a5ffff
  TEST 7                         /* terapage at a negative address; A gets set */
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, 0
  la a1, gig_probe
  li t0, NEG_VA
  add a1, a1, t0
  AS_S
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0x5a5a0000a5a5ffff
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, PTE_A
  TEST 8                         /* a store through it sets D */
  la a1, p0
  li t0, NEG_VA
  add a1, a1, t0
  li a2, 0x88
  AS_S
  sd a2, 16(a1)
  AS_M
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, AD
  la t0, p0
  ld a0, 16(t0)
  EXPECT a0, 0x88
  TEST 9                         /* the identity terapage, read as S */
  la a1, gig_probe
  AS_S
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0x5a5a0000a5a5ffff
  VM_LOAD 10, S, VA(2), 0xa1a1a1a1a1a1a1a1, ld a0, 0(a1)              /* A on a 4K leaf */
  ld a0, 0(s2)
  EXPECT_MASKED a0, AD, PTE_A

  VM_FAULT 11, S, CAUSE_LOAD_PAGE,  BADGIGA_VA + 8, ld a0, 0(a1)
  VM_FAULT 12, S, CAUSE_STORE_PAGE, BADTERA_VA + 0x10, sd a0, 0(a1)
  VM_FAULT 13, S, CAUSE_LOAD_PAGE,  BADTERA_VA + 0x80000000, ld a0, 0(a1)
  VM_FAULT 14, S, CAUSE_STORE_PAGE, VA(1), sd a0, 0(a1)               /* read-only */
  VM_FAULT 15, S, CAUSE_LOAD_PAGE,  0x0000800000000000, ld a0, 0(a1)  /* non-canonical */
  VM_FAULT 16, S, CAUSE_LOAD_PAGE,  0xfff0000000000000, ld a0, 0(a1)
  VM_FAULT 17, S, CAUSE_STORE_PAGE, 0xffff7ffffffffff8, sd a0, 0(a1)
  VM_FAULT 18, S, CAUSE_LOAD_PAGE,  0xffff900000000000, ld a0, 0(a1)  /* level 3 empty */
  VM_FAULT 19, S, CAUSE_LOAD_PAGE,  B + 0xc0000000, ld a0, 0(a1)      /* level 2 empty */
  VM_FAULT 20, S, CAUSE_LOAD_PAGE,  B + 0x400000, ld a0, 0(a1)        /* level 1 empty */
  VM_FAULT 21, S, CAUSE_LOAD_PAGE,  VA(9), ld a0, 0(a1)               /* level 0 empty */
  /* canonical for Sv48 though not for Sv39: translated, through the identity
   * terapage, to physical 0x4000000000 where nothing is: an access fault */
  VM_FAULT 22, S, CAUSE_LOAD_ACCESS, 0x0000004000000000, ld a0, 0(a1)
  VM_FAULT 23, U, CAUSE_LOAD_PAGE, VA(0), ld a0, 0(a1)                /* no U bit */

  /* S runs its code through the identity terapage */
  ENTER_S s_mode
s_mode:
  TEST 24
  EXPECT_MODE 1
  TEST 25
  li a1, VA(0) + 8
  ld a0, 0(a1)
  EXPECT a0, 0x0123456789abcdef
  TEST 26
  li t0, VA(0)
  la s7, 1f
  jalr ra, 0(t0)                 /* no X */
  j fail
1:
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s10, VA(0)
  TEST 27
  li t0, 0x0000800000000000      /* non-canonical fetch */
  la s7, 1f
  jalr ra, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s10, 0x0000800000000000
  BACK_TO_M

  TEST 28                        /* Sv39 may be selected instead: VA(0) is now
                                    non-canonical */
  slli a0, s5, 4
  srli a0, a0, 4
  li a1, SATP_MODE_SV39 << 60
  or a0, a0, a1
  csrw satp, a0
  sfence.vma
  csrr a1, satp
  EXPECT_REG a1, a0
  VM_FAULT 29, S, CAUSE_LOAD_PAGE, VA(0) + 8, ld a0, 0(a1)

  VM_OFF
  ld ra, 0(sp)
  addi sp, sp, 16
  ret
