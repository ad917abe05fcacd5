/* machine-csrs.S — what the machine-level CSRs say about this hart and which of their
 * fields hold what: misa (RV64 I M A F D C S U, no Q/E/V/H), mstatus (SXL = UXL = 2,
 * little-endian, FS off as crt.S leaves it and writable, XS = 0, SD = (FS == Dirty)),
 * mhartid = 0, mconfigptr = 0, menvcfg / senvcfg / mcountinhibit exist, mtvec modes,
 * delegable exception and interrupt bits, the writable bits of mie / mip, the M / S
 * trap-value registers, and, while FS = Off, every F / D instruction and the fcsr /
 * frm / fflags CSRs trapping as illegal (fp-state.S covers FS in full). */
#include "test.h"

  .text
  .globl main
main:
  /* misa */
  TEST 1
  csrr a0, misa
  srli a1, a0, 62
  EXPECT a1, 2                         /* MXL = 2: XLEN 64 */
  TEST 2
  li a2, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
  and a1, a0, a2
  EXPECT_REG a1, a2                    /* A C D F I M S U */
  TEST 3
  li a2, (1 << 16) | (1 << 4) | (1 << 7) | (1 << 21)
  and a1, a0, a2
  EXPECT a1, 0                         /* no Q E H V */
  TEST 4
  EXPECT a0, 0x800000000014112d        /* exactly RV64ACDFIMSU */

  /* mstatus: SXL / UXL = 2, endianness, FS / XS / SD */
  TEST 5
  csrr a0, mstatus
  srli a1, a0, 34
  andi a1, a1, 3
  EXPECT a1, 2
  TEST 6
  srli a1, a0, 32
  andi a1, a1, 3
  EXPECT a1, 2
  TEST 7
  li a2, (1 << 36) | (1 << 37) | MSTATUS_UBE   /* SBE MBE UBE */
  and a1, a0, a2
  EXPECT a1, 0
  TEST 8                               /* FS = Off (crt.S), no XS, so SD = 0 */
  li a2, MSTATUS_FS | MSTATUS_XS | MSTATUS_SD
  and a1, a0, a2
  EXPECT a1, 0
  TEST 9                               /* FS is writable; Dirty sets SD; XS stays 0 */
  li a2, MSTATUS_FS
  csrs mstatus, a2
  csrr a0, mstatus
  li a2, MSTATUS_FS | MSTATUS_XS | MSTATUS_SD
  and a1, a0, a2
  EXPECT a1, MSTATUS_FS | MSTATUS_SD
  li a2, MSTATUS_FS
  csrc mstatus, a2
  csrr a0, mstatus
  li a2, MSTATUS_FS | MSTATUS_XS | MSTATUS_SD
  and a1, a0, a2
  EXPECT a1, 0
  TEST 10                              /* the same through sstatus */
  li a2, MSTATUS_FS
  csrs sstatus, a2
  csrr a0, sstatus
  li a2, MSTATUS_FS | MSTATUS_XS | MSTATUS_SD
  and a1, a0, a2
  EXPECT a1, MSTATUS_FS | MSTATUS_SD
  li a2, MSTATUS_FS
  csrc sstatus, a2
  csrr a0, mstatus
  li a2, MSTATUS_FS | MSTATUS_XS | MSTATUS_SD
  and a1, a0, a2
  EXPECT a1, 0
  TEST 11                              /* the other mstatus controls are writable */
  li a2, MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
  csrs mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT_REG a1, a2
  csrc mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT a1, 0
  TEST 12                              /* MPP holds M, S and U */
  li a2, MSTATUS_MPP
  csrs mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT a1, MSTATUS_MPP
  csrc mstatus, a2
  li a3, MSTATUS_MPP_S
  csrs mstatus, a3
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT a1, MSTATUS_MPP_S
  csrc mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT a1, 0
  TEST 13                              /* SPP / SPIE / MPIE */
  li a2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_MPIE
  csrs mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT_REG a1, a2
  csrc mstatus, a2
  csrr a0, mstatus
  and a1, a0, a2
  EXPECT a1, 0

  /* identification */
  TEST 14
  csrr a0, mhartid
  EXPECT a0, 0
  NOTRAP 15, csrr a0, mvendorid
  NOTRAP 16, csrr a0, marchid
  NOTRAP 17, csrr a0, mimpid
  NOTRAP 18, csrr a0, 0xf15            /* mconfigptr (privileged spec 1.12) */
  EXPECT a0, 0

  /* menvcfg, senvcfg, mcountinhibit exist (read and write without trapping) */
  NOTRAP 19, csrr a0, 0x30a            /* menvcfg */
  NOTRAP 20, csrw 0x30a, a0
  NOTRAP 21, csrr a0, 0x10a            /* senvcfg */
  NOTRAP 22, csrw 0x10a, a0
  NOTRAP 23, csrr a0, mcountinhibit
  NOTRAP 24, csrw mcountinhibit, zero
  TEST 25                              /* senvcfg is S-level: usable from S */
  ENTER_S 1f
1:
  csrr a0, 0x10a
  TRAPS 26, CAUSE_ILLEGAL, csrr a0, 0x30a   /* menvcfg is not */
  TRAPS 27, CAUSE_ILLEGAL, csrr a0, mcountinhibit
  BACK_TO_M

  /* mtvec: direct (0) and vectored (1) modes keep their base */
  TEST 28
  csrr s1, mtvec
  la a0, vector_base
  csrw mtvec, a0
  csrr a1, mtvec
  EXPECT_REG a1, a0
  TEST 29
  ori a2, a0, 1
  csrw mtvec, a2
  csrr a1, mtvec
  EXPECT_REG a1, a2
  csrw mtvec, s1
  TEST 30
  la a0, vector_base
  ori a2, a0, 1
  csrw stvec, a2
  csrr a1, stvec
  EXPECT_REG a1, a2
  csrw stvec, a0
  csrr a1, stvec
  EXPECT_REG a1, a0
  la a0, trap_s
  csrw stvec, a0

  /* medeleg: the delegable exceptions (0-9, 12, 13, 15) */
  TEST 31
  li a0, -1
  csrw medeleg, a0
  csrr a1, medeleg
  li a2, 0xb3ff
  and a1, a1, a2
  csrw medeleg, zero
  EXPECT_REG a1, a2
  EXPECT_CSR medeleg, 0
  /* mideleg: SSI, STI, SEI are delegable; machine-level interrupts are not */
  TEST 32
  li a0, -1
  csrw mideleg, a0
  csrr a1, mideleg
  csrw mideleg, zero
  EXPECT_MASKED a1, 0x222, 0x222
  EXPECT_MASKED a1, 0x888, 0
  EXPECT_CSR mideleg, 0
  /* mie: all six standard enables are writable */
  TEST 33
  li a0, -1
  csrw mie, a0
  csrr a1, mie
  csrw mie, zero
  EXPECT_MASKED a1, 0xaaa, 0xaaa
  EXPECT_CSR mie, 0
  /* mip: SSIP / STIP / SEIP writable from M; MSIP / MTIP / MEIP are not */
  TEST 34
  li a0, CLINT_MTIMECMP
  li a1, -1
  sd a1, 0(a0)                         /* no timer interrupt pending */
  li a0, -1
  csrw mip, a0
  csrr a1, mip
  csrw mip, zero
  EXPECT_MASKED a1, 0x222, 0x222
  EXPECT_MASKED a1, 0x888, 0
  csrr a1, mip
  andi a2, a1, 0x222
  EXPECT a2, 0

  /* trap registers hold what is written (aligned epc values) */
.macro RW_CSR n, csr, value
  TEST \n
  li a0, \value
  csrw \csr, a0
  EXPECT_CSR \csr, \value
.endm
  RW_CSR 35, mepc, 0xfffffffffffffffc
  RW_CSR 36, mepc, 0x80000002          /* bit 1 is kept: IALIGN = 16 */
  RW_CSR 37, sepc, 0x123456789abcdef0
  RW_CSR 38, sepc, 0x80000006
  RW_CSR 39, mtval, 0xfedcba9876543210
  RW_CSR 40, stval, 0x0123456789abcdef
  RW_CSR 41, mcause, 0x8000000000000007
  RW_CSR 42, mcause, 13
  RW_CSR 43, scause, 0x8000000000000001
  RW_CSR 44, scause, 15
  RW_CSR 45, mscratch, 0xa5a5a5a5a5a5a5a5
  RW_CSR 46, sscratch, 0x5a5a5a5a5a5a5a5a

  /* FS = Off: every FP instruction and FP CSR is illegal, mtval = the bits */
/* FP_ILLEGAL n, word — check n: the instruction word traps as illegal, mtval = word */
.macro FP_ILLEGAL n, word
  TRAPS \n, CAUSE_ILLEGAL, .word \word
  EXPECT s10, \word
.endm
  FP_ILLEGAL 47, 0x00852087            /* flw f1, 8(a0) */
  FP_ILLEGAL 48, 0x01053107            /* fld f2, 16(a0) */
  FP_ILLEGAL 49, 0x00152427            /* fsw f1, 8(a0) */
  FP_ILLEGAL 50, 0x00253827            /* fsd f2, 16(a0) */
  FP_ILLEGAL 51, 0x0020f1d3            /* fadd.s */
  FP_ILLEGAL 52, 0x0220f1d3            /* fadd.d */
  FP_ILLEGAL 53, 0x1262f253            /* fmul.d */
  FP_ILLEGAL 54, 0x1862f253            /* fdiv.s */
  FP_ILLEGAL 55, 0x5a0473d3            /* fsqrt.d */
  FP_ILLEGAL 56, 0x203170c3            /* fmadd.s */
  FP_ILLEGAL 57, 0x223170cb            /* fnmsub.d */
  FP_ILLEGAL 58, 0xe0008553            /* fmv.x.w */
  FP_ILLEGAL 59, 0xf20500d3            /* fmv.d.x */
  FP_ILLEGAL 60, 0xc000f553            /* fcvt.w.s */
  FP_ILLEGAL 61, 0xd22570d3            /* fcvt.d.l */
  FP_ILLEGAL 62, 0xe2009553            /* fclass.d */
  FP_ILLEGAL 63, 0xa020a553            /* feq.s */
  FP_ILLEGAL 64, 0x223100d3            /* fsgnj.d */
  FP_ILLEGAL 65, 0x283100d3            /* fmin.s */
  FP_ILLEGAL 66, 0x00302573            /* frcsr a0 (csrr a0, fcsr) */
  FP_ILLEGAL 67, 0x00351073            /* fscsr a0 */
  FP_ILLEGAL 68, 0x00202573            /* frrm a0 */
  FP_ILLEGAL 69, 0x00151073            /* fsflags a0 */
  FP_ILLEGAL 70, 0x00102573            /* csrr a0, fflags */
  TEST 71                              /* and FS is still off */
  csrr a0, mstatus
  li a2, MSTATUS_FS | MSTATUS_SD
  and a1, a0, a2
  EXPECT a1, 0
  li a2, 1 << 13                       /* FS = Initial: then they run */
  csrs mstatus, a2
  frcsr a0
  fmv.x.w a0, ft1
  li a2, MSTATUS_FS
  csrc mstatus, a2

  /* other illegal encodings, mtval = the instruction bits */
  FP_ILLEGAL 72, 0xffffffff
  /* longer instructions are not supported: mtval = their first ILEN (32) bits */
  FP_ILLEGAL 73, 0x0000007f            /* 80-bit-or-longer length prefix */
  FP_ILLEGAL 74, 0x0000003f            /* 64-bit length prefix */
  FP_ILLEGAL 75, 0x02000033 | (1 << 27) /* mul's opcode with an unused funct7 */
  FP_ILLEGAL 76, 0x0000200b            /* custom-0 */
  FP_ILLEGAL 77, 0x00007003            /* load with funct3 = 7 */
  FP_ILLEGAL 78, 0x00007023            /* store with funct3 = 7 */
  FP_ILLEGAL 79, 0x00002063            /* branch with funct3 = 2 */
  FP_ILLEGAL 80, 0x00001067            /* jalr with funct3 = 1 */
  FP_ILLEGAL 81, 0x10200073 | (1 << 7) /* sret with rd != 0 */

  PASS

  .balign 64
vector_base:
  j fail
