/* rv32-csrs.S — the CSRs as RV32 sees them (privileged spec 1.12; Zicsr): 32-bit CSR
 * reads and writes (csrrw / csrrs / csrrc and the immediate forms); misa (MXL = 1 in
 * bits 31:30, extensions A C D F I M S U); mstatus without SXL / UXL and with SD in bit
 * 31; mstatush (0x310, RV32 only: MBE / SBE read 0 on a little-endian hart); the odd
 * pmpcfg1 / pmpcfg3, which exist on RV32 only (entries 4-7 and 12-15), and 32-bit
 * pmpaddr (bits 33:2 of the address); menvcfgh (0x31a, RV32 only: STCE of Sstc is bit
 * 31 there); stimecmp / stimecmph (Sstc); 32-bit mepc / mtvec / mcause / mtval /
 * mscratch; medeleg / mideleg; and the RV32-only CSRs (mstatush, menvcfgh, stimecmph,
 * pmpcfg1 / 3, cycleh ...) reserved to M or S as their numbers say.
 *
 * QEMU 7.2 deviations (EXPECT_SPEC, see test.h): mstatush bits 7:6 (MPV, GVA) are
 * writable with the H extension off, where they are read-only zero; menvcfgh.PBMTE is
 * writable without Svpbmt (read-only zero then: this hart has no Svpbmt, and Sv32 has no
 * PBMT field); mepc bit 0 is stored, where it always reads 0; medeleg[11] (ecall from M)
 * is writable, where it is read-only zero.
 * QEMU's spike board gives its timer no rdtime, so QEMU makes stimecmp / stimecmph
 * illegal there (as it makes time / timeh); Lantern has them. The Sstc checks therefore
 * accept both outcomes, but the two halves must agree; where they exist, checks 32-40
 * test them (verified against QEMU's virt board, which has rdtime, with the program's
 * exit redirected to its sifive_test device). */
#include "test.h"

#define CSR_MSTATUSH   0x310
#define CSR_MENVCFG    0x30a
#define CSR_MENVCFGH   0x31a
#define CSR_SENVCFG    0x10a
#define CSR_STIMECMP   0x14d
#define CSR_STIMECMPH  0x15d

  .text
  .globl main
main:
  /* ---- Zicsr at 32 bits ---------------------------------------------------------------- */
  TEST 1
  li a0, 0x89abcdef
  csrw mscratch, a0
  li a1, -1
  csrrw a2, mscratch, a1
  EXPECT a2, 0x89abcdef
  EXPECT_CSR mscratch, 0xffffffff
  TEST 2
  li a0, 0x0000f0f0
  csrw mscratch, a0
  li a1, 0x80000f0f
  csrrs a2, mscratch, a1
  EXPECT a2, 0x0000f0f0
  EXPECT_CSR mscratch, 0x8000ffff
  TEST 3
  li a1, 0x8000f00f
  csrrc a2, mscratch, a1
  EXPECT a2, 0x8000ffff
  EXPECT_CSR mscratch, 0x00000ff0
  TEST 4                         /* immediates: 5 bits, zero-extended */
  csrrwi a2, mscratch, 31
  EXPECT a2, 0x00000ff0
  EXPECT_CSR mscratch, 31
  csrrci a2, mscratch, 0x15
  EXPECT_CSR mscratch, 0x0a
  csrrsi a2, mscratch, 0x10
  EXPECT_CSR mscratch, 0x1a
  TEST 5                         /* rs1 = x0 / uimm = 0: no write */
  csrrs a2, mscratch, x0
  csrrc a2, mscratch, x0
  csrrsi a2, mscratch, 0
  EXPECT a2, 0x1a
  EXPECT_CSR mscratch, 0x1a
  TEST 6                         /* rd = rs1: a swap */
  li a0, 0x80000000
  csrrw a0, mscratch, a0
  EXPECT a0, 0x1a
  EXPECT_CSR mscratch, 0x80000000

  /* ---- misa -------------------------------------------------------------------------------- */
  TEST 7
  csrr a0, misa
  srli a1, a0, 30
  EXPECT a1, 1                   /* MXL = 1: XLEN 32 */
  TEST 8
  li a2, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
  and a1, a0, a2
  EXPECT_REG a1, a2              /* A C D F I M S U */
  TEST 9
  li a2, (1 << 4) | (1 << 7) | (1 << 16) | (1 << 21) | (1 << 13)
  and a1, a0, a2
  EXPECT a1, 0                   /* no E H Q V N */
  TEST 10                        /* bits 29:26 are zero */
  EXPECT_MASKED a0, 0x3c000000, 0
  TEST 11                        /* writing misa cannot change MXL */
  li a1, 0x80000000
  csrs misa, a1                  /* (misa may be read-only: either way MXL stays 1) */
  csrr a1, misa
  srli a1, a1, 30
  EXPECT a1, 1

  /* ---- mstatus / sstatus on RV32 ------------------------------------------------------------ */
  TEST 12                        /* all the controls live in the one 32-bit register */
  li a2, MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
  csrs mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT_REG a1, a2
  csrc mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT a1, 0
  TEST 13                        /* FS = Dirty makes SD (bit 31) read 1 */
  li a2, MSTATUS_FS
  csrs mstatus, a2
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_DIRTY | MSTATUS_SD
  bgez a0, fail                  /* SD is the sign bit */
  TEST 14                        /* sstatus shows SD in bit 31 too */
  csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_DIRTY | MSTATUS_SD
  TEST 15                        /* SD is read-only: FS = Off clears it */
  li a2, MSTATUS_FS
  csrc mstatus, a2
  li a2, MSTATUS_SD
  csrs mstatus, a2
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD | MSTATUS_XS, 0
  TEST 16                        /* FS = Initial / Clean: SD stays 0 */
  li a2, MSTATUS_FS_CLEAN
  csrs mstatus, a2
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_CLEAN
  li a2, MSTATUS_FS
  csrc mstatus, a2
  TEST 17                        /* UBE: little-endian */
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_UBE, 0
  TEST 18                        /* MPP holds M, S and U */
  li a2, MSTATUS_MPP
  csrs mstatus, a2
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_MPP, MSTATUS_MPP
  csrc mstatus, a2
  li a3, MSTATUS_MPP_S
  csrs mstatus, a3
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_MPP, MSTATUS_MPP_S
  csrc mstatus, a2

  /* ---- mstatush ---------------------------------------------------------------------------- */
  NOTRAP 19, csrr a0, CSR_MSTATUSH
  EXPECT a0, 0                   /* MBE = SBE = 0: little-endian M and S */
  TEST 20                        /* writes leave MBE / SBE alone */
  li a1, -1
  csrw CSR_MSTATUSH, a1
  csrr a0, CSR_MSTATUSH
  EXPECT_MASKED a0, MSTATUSH_MBE | MSTATUSH_SBE, 0
  TEST 21                        /* and, without H, every other bit (MPV, GVA: 7:6) */
  EXPECT_SPEC a0, 0, 0xc0        /* QEMU 7.2: MPV and GVA stick */
  csrw CSR_MSTATUSH, zero
  TEST 22                        /* mstatus is unchanged by writing mstatush */
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_FS, 0

  /* ---- envcfg ------------------------------------------------------------------------------ */
  NOTRAP 24, csrr a0, CSR_MENVCFG
  NOTRAP 25, csrr a0, CSR_MENVCFGH
  NOTRAP 26, csrr a0, CSR_SENVCFG
  TEST 27                        /* menvcfgh: STCE (bit 31, Sstc) is writable */
  li a1, -1
  csrw CSR_MENVCFGH, a1
  csrr a0, CSR_MENVCFGH
  EXPECT_MASKED a0, 0x80000000, 0x80000000
  TEST 28                        /* and nothing else: no Svpbmt (PBMTE, bit 30), no ADUE */
  EXPECT_SPEC a0, 0x80000000, 0xc0000000   /* QEMU 7.2: PBMTE sticks */
  TEST 29                        /* menvcfgh and menvcfg are separate halves */
  csrr a0, CSR_MENVCFG
  EXPECT_MASKED a0, 0x80000000 | 0x40000000, 0
  csrw CSR_MENVCFGH, zero
  EXPECT_CSR CSR_MENVCFGH, 0

  /* ---- Sstc: stimecmp / stimecmph ------------------------------------------------------------ */
  TEST 30
  li s1, 0                       /* s1 = 1: stimecmp exists */
  li s8, -1
  la s7, 1f
  csrr a0, CSR_STIMECMP
  li s7, 0
  li s1, 1
  j 2f
1:
  EXPECT s8, CAUSE_ILLEGAL
2:
  TEST 31                        /* stimecmph exists exactly when stimecmp does */
  li s2, 0
  li s8, -1
  la s7, 1f
  csrr a0, CSR_STIMECMPH
  li s7, 0
  li s2, 1
  j 2f
1:
  EXPECT s8, CAUSE_ILLEGAL
2:
  EXPECT_REG s1, s2
  beqz s1, no_sstc
  TEST 32                        /* the two halves of the 64-bit compare value */
  li a0, -1
  csrw CSR_STIMECMP, a0          /* (low half first: all ones, no interrupt meanwhile) */
  li a1, 0x12345678
  csrw CSR_STIMECMPH, a1
  li a2, 0x9abcdef0
  csrw CSR_STIMECMP, a2
  EXPECT_CSR CSR_STIMECMPH, 0x12345678
  EXPECT_CSR CSR_STIMECMP, 0x9abcdef0
  li a0, -1
  csrw CSR_STIMECMP, a0
  csrw CSR_STIMECMPH, a0
  EXPECT_CSR CSR_STIMECMPH, 0xffffffff
  TEST 33                        /* with STCE, STIP follows time >= stimecmp, in 64 bits */
  li a0, 0x80000000
  csrw CSR_MENVCFGH, a0          /* STCE */
  li a0, -1
  csrw CSR_STIMECMPH, a0
  csrw CSR_STIMECMP, zero
  csrw CSR_STIMECMPH, zero       /* stimecmp = 0: due */
  csrr a0, mip
  EXPECT_MASKED a0, 1 << IRQ_STI, 1 << IRQ_STI
  TEST 34                        /* one more in the high half: not due, whatever the low */
  csrr a1, timeh
  addi a1, a1, 1
  csrw CSR_STIMECMPH, a1
  csrr a0, mip
  EXPECT_MASKED a0, 1 << IRQ_STI, 0
  TEST 35                        /* and M cannot set STIP by writing mip meanwhile */
  li a0, 1 << IRQ_STI
  csrs mip, a0
  csrr a0, mip
  EXPECT_MASKED a0, 1 << IRQ_STI, 0
  TEST 36                        /* from S: allowed with STCE and mcounteren.TM */
  li a0, 2
  csrw mcounteren, a0
  ENTER_S sstc_s1
sstc_s1:
  li a0, 0x01234567
  csrw CSR_STIMECMPH, a0
  csrr a1, CSR_STIMECMPH
  EXPECT a1, 0x01234567
  li a0, 0x89abcdef
  csrw CSR_STIMECMP, a0
  csrr a1, CSR_STIMECMP
  EXPECT a1, 0x89abcdef
  BACK_TO_M
  csrw mcounteren, zero          /* TM = 0: illegal from S, mtval = the bits */
  ENTER_S sstc_s2
sstc_s2:
  TRAPS 37, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMPH
  EXPECT s10, 0x15d02573
  TRAPS 38, CAUSE_ILLEGAL, csrw CSR_STIMECMP, a0
  BACK_TO_M
  li a0, 2                       /* STCE = 0: illegal from S even with TM */
  csrw mcounteren, a0
  csrw CSR_MENVCFGH, zero
  ENTER_S sstc_s3
sstc_s3:
  TRAPS 39, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMPH
  EXPECT s10, 0x15d02573
  TRAPS 40, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP
  BACK_TO_M
  csrw mcounteren, zero
  li a0, -1
  csrw CSR_STIMECMP, a0
  csrw CSR_STIMECMPH, a0
  csrw mip, zero
no_sstc:

  /* ---- PMP CSRs at 32 bits -------------------------------------------------------------------- */
  TEST 41                        /* pmpcfg1: entries 4..7 (pmpcfg0 keeps entry 0: crt.S) */
  li a0, 0x0d0b0901              /* TOR|X|R, TOR|W|R, TOR|R, R: all locks off */
  csrw pmpcfg1, a0
  EXPECT_CSR pmpcfg1, 0x0d0b0901
  TEST 42                        /* pmpcfg3: entries 12..15 */
  li a0, 0x1f1b1900
  csrw pmpcfg3, a0
  EXPECT_CSR pmpcfg3, 0x1f1b1900
  TEST 43                        /* pmpcfg2: entries 8..11, a separate register */
  li a0, 0x00000b00
  csrw pmpcfg2, a0
  EXPECT_CSR pmpcfg2, 0x00000b00
  EXPECT_CSR pmpcfg3, 0x1f1b1900
  EXPECT_CSR pmpcfg1, 0x0d0b0901
  csrw pmpcfg1, zero
  csrw pmpcfg2, zero
  csrw pmpcfg3, zero
  TEST 44                        /* pmpcfg0 still holds entry 0 of crt.S */
  EXPECT_CSR pmpcfg0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
  TEST 45                        /* pmpaddr: 32 bits, address bits 33:2 */
  li a0, 0xffffffff
  csrw pmpaddr7, a0
  EXPECT_CSR pmpaddr7, 0xffffffff
  li a0, 0x80000000
  csrw pmpaddr15, a0
  EXPECT_CSR pmpaddr15, 0x80000000
  csrw pmpaddr7, zero
  csrw pmpaddr15, zero

  /* ---- trap CSRs at 32 bits ------------------------------------------------------------------ */
.macro RW_CSR n, csr, value
  TEST \n
  li a0, \value
  csrw \csr, a0
  EXPECT_CSR \csr, \value
.endm
  RW_CSR 46, mepc, 0xfffffffc
  RW_CSR 47, mepc, 0x80000002    /* bit 1 is kept: IALIGN = 16 */
  TEST 48                        /* bit 0 always reads 0 */
  li a0, 0x80000001
  csrw mepc, a0
  csrr a0, mepc
  EXPECT_SPEC a0, 0x80000000, 0x80000001   /* QEMU 7.2: bit 0 stored */
  RW_CSR 49, sepc, 0x7ffffffe
  RW_CSR 50, mtval, 0xfedcba98
  RW_CSR 51, stval, 0x80000000
  RW_CSR 52, mcause, 0x80000007  /* the interrupt flag is bit 31 */
  RW_CSR 53, mcause, 13
  RW_CSR 54, scause, 0x80000009
  RW_CSR 55, mscratch, 0xa5a5a5a5
  RW_CSR 56, sscratch, 0x5a5a5a5a
  TEST 57                        /* mtvec: vectored mode keeps the base */
  csrr s1, mtvec
  la a0, vector_base
  ori a0, a0, 1
  csrw mtvec, a0
  csrr a1, mtvec
  csrw mtvec, s1
  EXPECT_REG a1, a0
  TEST 58                        /* medeleg: exceptions 0-9, 12, 13, 15 delegable */
  li a0, -1
  csrw medeleg, a0
  csrr a1, medeleg
  csrw medeleg, zero
  EXPECT_MASKED a1, 0xb3ff, 0xb3ff
  TEST 59                        /* medeleg[11] (ecall from M) is read-only zero */
  srli a2, a1, 11
  andi a2, a2, 1
  EXPECT_SPEC a2, 0, 1           /* QEMU 7.2: writable */
  TEST 60                        /* mideleg: SSI / STI / SEI only */
  li a0, -1
  csrw mideleg, a0
  csrr a1, mideleg
  csrw mideleg, zero
  EXPECT_MASKED a1, 0x222, 0x222
  EXPECT_MASKED a1, 0x888, 0
  TEST 61                        /* mie: the six standard enables */
  li a0, -1
  csrw mie, a0
  csrr a1, mie
  csrw mie, zero
  EXPECT_MASKED a1, 0xaaa, 0xaaa

  /* ---- from S: M-level RV32 CSRs are illegal (mtval = the bits), S-level ones are not -------- */
  ENTER_S s_mode
s_mode:
  TRAPS 62, CAUSE_ILLEGAL, csrr a0, CSR_MSTATUSH
  EXPECT s10, 0x31002573
  TRAPS 63, CAUSE_ILLEGAL, csrr a0, CSR_MENVCFGH
  EXPECT s10, 0x31a02573
  TRAPS 64, CAUSE_ILLEGAL, csrr a0, pmpcfg1
  EXPECT s10, 0x3a102573
  TRAPS 65, CAUSE_ILLEGAL, csrr a0, pmpcfg3
  EXPECT s10, 0x3a302573
  TRAPS 66, CAUSE_ILLEGAL, csrr a0, mcycleh
  EXPECT s10, 0xb8002573
  NOTRAP 67, csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_SD, 0
  NOTRAP 68, csrr a0, CSR_SENVCFG
  BACK_TO_M

  PASS

  .balign 64
vector_base:
  j fail
