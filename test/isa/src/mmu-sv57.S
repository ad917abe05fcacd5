/* mmu-sv57.S — Sv57 (privileged spec 1.12, 4.6): the five-level walk with 4 KiB,
 * 2 MiB, 1 GiB, 512 GiB and 256 TiB ("peta") pages, 57-bit canonical addresses (a
 * non-canonical Sv48 address is an ordinary one here), negative addresses,
 * misaligned tera- and petapages, an empty entry at each level, S running its code
 * through a petapage, and satp mode 10 (QEMU 7.2's rv64 accepts it). */
#include "test.h"
#include "vm.h"

#define B           0x0001000000000000   /* level-4 index 1: smaller pages live here */
#define VA(k)       (B + (k) * 0x1000)
#define MEGA_VA     (B + 0x200000)
#define GIGA_VA     (B + 0x40000000)
#define TERA_VA     (B + 0x8000000000)     /* terapage at PA 0 */
#define BADTERA_VA  (B + 0x10000000000)    /* terapage at PA 0x80000000: misaligned */
#define BADPETA_VA  0x0002000000000000     /* level-4 index 2, PA 0x80000000 */
#define NEG_VA      0xff00000000000000     /* level-4 index 256: petapage at PA 0 */
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
  li t1, 5
  sd t1, 0(t0)
  VM_MAP 0x0, 0x0, 4, PTE_V | PTE_R | PTE_W | PTE_X | AD         /* identity petapage */
  VM_MAP NEG_VA, 0x0, 4, RW | PTE_A                              /* D = 0 */
  mv s1, a0
  VM_MAP_SYM VA(0), p0, 0, RW | AD
  VM_MAP_SYM VA(1), p1, 0, PTE_V | PTE_R | AD
  VM_MAP MEGA_VA, MEGA_PA, 1, RW | AD
  VM_MAP GIGA_VA, 0x80000000, 2, RW | AD
  VM_MAP TERA_VA, 0x0, 3, RW                                     /* A = D = 0 */
  mv s2, a0
  VM_MAP BADTERA_VA, 0x80000000, 3, RW | AD
  VM_MAP BADPETA_VA, 0x80000000, 4, RW | AD
  la t0, p0
  li t1, 0x0123456789abcdef
  sd t1, 8(t0)
  li t0, MEGA_PA + 0x4560
  li t1, 0x4d454741
  sd t1, 0(t0)

  TEST 1
  VM_ON SATP_MODE_SV57
  csrr s5, satp
  srli a0, s5, 60
  EXPECT a0, SATP_MODE_SV57
  TEST 2
  slli a0, s5, 4
  srli a0, a0, 4
  li a1, 2 << 60
  or a0, a0, a1
  csrw satp, a0
  csrr a1, satp
  EXPECT_REG a1, s5

  VM_LOAD  3, S, VA(0) + 8, 0x0123456789abcdef, ld a0, 0(a1)
  VM_LOAD  4, S, VA(1), 0xa1a1a1a1a1a1a1a1, ld a0, 0(a1)
  VM_LOAD  5, S, MEGA_VA + 0x4560, 0x4d454741, lwu a0, 0(a1)
.macro PROBE_AT n, base
  TEST \n
  la a1, gig_probe
  li t0, \base
  add a1, a1, t0
  AS_S
  ld a0, 0(a1)
  AS_M
  EXPECT a0, 0x5a5a0000a5a5ffff
.endm
  PROBE_AT 6, GIGA_VA - 0x80000000   /* gigapage at PA 0x80000000 */
  TEST 7
  ld a0, 0(s2)
  EXPECT_MASKED a0, AD, 0
  PROBE_AT 8, TERA_VA                 /* terapage at PA 0 */
  TEST 9
  ld a0, 0(s2)
  EXPECT_MASKED a0, AD, PTE_A
  PROBE_AT 10, NEG_VA                 /* petapage at a negative address */
  PROBE_AT 11, 0                      /* the identity petapage */
  TEST 12                             /* D set by a store through the petapage */
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, PTE_A
  la a1, p0
  li t0, NEG_VA
  add a1, a1, t0
  AS_S
  sd a1, 24(a1)
  AS_M
  ld a0, 0(s1)
  EXPECT_MASKED a0, AD, AD

  VM_FAULT 13, S, CAUSE_LOAD_PAGE,  BADTERA_VA + 8, ld a0, 0(a1)
  VM_FAULT 14, S, CAUSE_LOAD_PAGE,  BADPETA_VA + 0x10, ld a0, 0(a1)
  VM_FAULT 15, S, CAUSE_STORE_PAGE, BADPETA_VA + 0x80000000, sd a0, 0(a1)
  VM_FAULT 16, S, CAUSE_LOAD_PAGE,  0x0100000000000000, ld a0, 0(a1)  /* non-canonical */
  VM_FAULT 17, S, CAUSE_LOAD_PAGE,  0xfe00000000000000, ld a0, 0(a1)
  VM_FAULT 18, S, CAUSE_STORE_PAGE, 0xfeffffffffffff00, sd a0, 0(a1)
  VM_FAULT 19, S, CAUSE_LOAD_PAGE,  0xff10000000000000, ld a0, 0(a1)  /* level 4 empty */
  VM_FAULT 20, S, CAUSE_LOAD_PAGE,  B + 0x20000000000, ld a0, 0(a1)   /* level 3 empty */
  VM_FAULT 21, S, CAUSE_LOAD_PAGE,  B + 0xc0000000, ld a0, 0(a1)      /* level 2 empty */
  VM_FAULT 22, S, CAUSE_LOAD_PAGE,  B + 0x400000, ld a0, 0(a1)        /* level 1 empty */
  VM_FAULT 23, S, CAUSE_LOAD_PAGE,  VA(7), ld a0, 0(a1)               /* level 0 empty */
  VM_FAULT 24, S, CAUSE_STORE_PAGE, VA(1), sd a0, 0(a1)
  /* canonical for Sv57 though not for Sv48: through the identity petapage to
   * physical 0x800000000000, where nothing is: an access fault */
  VM_FAULT 25, S, CAUSE_LOAD_ACCESS, 0x0000800000000000, ld a0, 0(a1)
  VM_FAULT 26, U, CAUSE_LOAD_PAGE, VA(0), ld a0, 0(a1)

  ENTER_S s_mode
s_mode:
  TEST 27
  EXPECT_MODE 1
  TEST 28
  li a1, VA(0) + 8
  ld a0, 0(a1)
  EXPECT a0, 0x0123456789abcdef
  TEST 29
  li t0, VA(1)
  la s7, 1f
  jalr ra, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s10, VA(1)
  TEST 30
  li t0, 0x0100000000000000
  la s7, 1f
  jalr ra, 0(t0)
  j fail
1:
  EXPECT s8, CAUSE_FETCH_PAGE
  EXPECT s10, 0x0100000000000000
  BACK_TO_M

  TEST 31                        /* Sv48 instead: B is non-canonical there */
  slli a0, s5, 4
  srli a0, a0, 4
  li a1, SATP_MODE_SV48 << 60
  or a0, a0, a1
  csrw satp, a0
  sfence.vma
  csrr a1, satp
  EXPECT_REG a1, a0
  VM_FAULT 32, S, CAUSE_LOAD_PAGE, VA(0) + 8, ld a0, 0(a1)

  VM_OFF
  ld ra, 0(sp)
  addi sp, sp, 16
  ret
