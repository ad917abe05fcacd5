/* fp-csr.S — the floating-point CSRs and rounding-mode selection (unprivileged spec
 * 20191213, 11.2): fcsr = frm (bits 7:5) | fflags (bits 4:0), its bits 31:8 read zero
 * and ignore writes; fflags and frm are views of their fields (writes touch only
 * them); csrrw / csrrs / csrrc and the immediate forms return the old value; the
 * flags accrue (an instruction only ever sets them) and never trap; an instruction's
 * static rm overrides frm, rm = 7 (dyn) follows frm. Reserved rounding modes: a
 * static rm of 5 or 6 is an illegal instruction, and so is any dyn instruction while
 * frm holds 5, 6 or 7 (instructions without a rounding mode still run); the trap
 * changes neither rd nor fflags, and mtval holds the instruction. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fcsr, frm, fflags */
  TEST 1
  csrw fcsr, zero
  EXPECT_CSR fcsr, 0
  EXPECT_CSR frm, 0
  EXPECT_CSR fflags, 0
  TEST 2
  li a0, 0xff
  csrw fcsr, a0
  EXPECT_CSR fcsr, 0xff
  EXPECT_CSR frm, 7
  EXPECT_CSR fflags, 0x1f
  TEST 3                               /* bits 31:8 (and 63:32) read zero */
  li a0, -1
  csrw fcsr, a0
  EXPECT_CSR fcsr, 0xff
  li a0, 0xffffff00
  csrw fcsr, a0
  EXPECT_CSR fcsr, 0
  TEST 4
  li a0, 0xa5                          /* frm = 5 (reserved, yet held), flags = OF NX */
  csrw fcsr, a0
  EXPECT_CSR fcsr, 0xa5
  EXPECT_CSR frm, 5
  EXPECT_CSR fflags, OF|NX
  TEST 5                               /* fflags: 5 bits, frm untouched */
  li a0, 0x60
  csrw fcsr, a0
  li a0, -1
  csrw fflags, a0
  EXPECT_CSR fflags, 0x1f
  EXPECT_CSR frm, 3
  EXPECT_CSR fcsr, 0x7f
  li a0, 0x22
  csrw fflags, a0
  EXPECT_CSR fcsr, 0x62
  TEST 6                               /* frm: 3 bits, fflags untouched */
  li a0, -1
  csrw frm, a0
  EXPECT_CSR frm, 7
  EXPECT_CSR fcsr, 0xe2
  li a0, 0x1a
  csrw frm, a0
  EXPECT_CSR frm, 2
  EXPECT_CSR fflags, 0x02
  EXPECT_CSR fcsr, 0x42
  TEST 7                               /* fscsr / fsflags / fsrm: csrrw returning the old value */
  li a0, 0x8f
  fscsr a1, a0
  EXPECT a1, 0x42
  li a0, 0x13
  fsflags a1, a0
  EXPECT a1, 0x0f
  EXPECT_CSR fcsr, 0x93
  li a0, 1
  fsrm a1, a0
  EXPECT a1, 4
  EXPECT_CSR fcsr, 0x33
  TEST 8                               /* frcsr / frrm / frflags */
  frcsr a0
  EXPECT a0, 0x33
  frrm a0
  EXPECT a0, 1
  frflags a0
  EXPECT a0, 0x13
  TEST 9                               /* csrrs / csrrc */
  li a0, DZ|UF
  csrrs a1, fflags, a0
  EXPECT a1, 0x13
  EXPECT_CSR fflags, NV|DZ|UF|NX
  li a0, NV|NX
  csrrc a1, fflags, a0
  EXPECT a1, NV|DZ|UF|NX
  EXPECT_CSR fflags, DZ|UF
  li a0, 0x1e0                         /* frm bits 7:5 set; bit 8 does not exist */
  csrrs a1, fcsr, a0
  EXPECT a1, 0x2a
  EXPECT_CSR fcsr, 0xea
  li a0, 0xffffff00
  csrrs a1, fcsr, a0
  EXPECT_CSR fcsr, 0xea
  li a0, 0x60
  csrrc a1, fcsr, a0
  EXPECT a1, 0xea
  EXPECT_CSR fcsr, 0x8a
  TEST 10                              /* immediate forms */
  csrrwi a1, fflags, 31
  EXPECT a1, 0x0a
  csrrci a1, fflags, NV|OF
  EXPECT a1, 0x1f
  EXPECT_CSR fflags, DZ|UF|NX
  csrrsi a1, frm, 3
  EXPECT a1, 4
  EXPECT_CSR frm, 7
  csrrwi a1, frm, 2
  EXPECT a1, 7
  csrrci a1, frm, 1
  EXPECT_CSR frm, 2
  csrrwi a1, fcsr, 0x1f
  EXPECT a1, 0x4b
  EXPECT_CSR fcsr, 0x1f
  TEST 11                              /* fsrmi / fsflagsi */
  fsrmi a1, RM_RMM
  EXPECT a1, 0
  fsflagsi a1, NX
  EXPECT a1, 0x1f
  EXPECT_CSR fcsr, 0x81
  fsrmi RM_RNE
  fsflagsi 0
  EXPECT_CSR fcsr, 0

  /* the flags accrue: each instruction only adds its own */
  TEST 12
  csrwi fflags, 0
  FLOAD_S fa1, 0x3f800000              /* 1 */
  FLOAD_S fa2, 0x00000000              /* +0 */
  FLOAD_S fa3, 0x40400000              /* 3 */
  FLOAD_S fa4, 0x7f7fffff              /* max */
  FLOAD_S fa5, 0x7f800001              /* sNaN */
  fdiv.s fa0, fa1, fa2                 /* DZ */
  EXPECT_CSR fflags, DZ
  fdiv.s fa0, fa1, fa3                 /* NX */
  EXPECT_CSR fflags, DZ|NX
  fadd.s fa0, fa1, fa1                 /* nothing */
  EXPECT_CSR fflags, DZ|NX
  fmul.s fa0, fa4, fa4                 /* OF NX */
  EXPECT_CSR fflags, DZ|OF|NX
  feq.s a0, fa5, fa1                   /* NV, from an instruction writing an x register */
  EXPECT_CSR fflags, NV|DZ|OF|NX
  FLOAD_S fa4, 0x00800000              /* min normal */
  fmul.s fa0, fa4, fa3                 /* no UF: 3 * min normal is normal */
  EXPECT_CSR fflags, NV|DZ|OF|NX
  fdiv.s fa0, fa4, fa3                 /* UF NX */
  EXPECT_CSR fflags, 0x1f
  fdiv.s fa0, fa1, fa2
  EXPECT_CSR fflags, 0x1f
  TEST 13                              /* and fcsr shows them beside frm */
  fsrmi RM_RUP
  EXPECT_CSR fcsr, (RM_RUP << 5) | 0x1f
  TEST 14                              /* from an integer-writing conversion */
  csrwi fflags, 0
  FLOAD_D fa1, 0x4004000000000000      /* 2.5 */
  fcvt.l.d a0, fa1, rtz
  EXPECT a0, 2
  EXPECT_CSR fflags, NX
  fclass.d a0, fa1                     /* fclass never adds a flag */
  EXPECT_CSR fflags, NX

  /* static rm overrides frm; dyn (rm = 7) follows it */
.macro ROUNDS n, frm, rm, res
  TEST \n
  fsrmi \frm
  FLOAD_S fa1, 0x3f800000              /* 1 */
  FLOAD_S fa2, 0x40400000              /* 3 */
  csrwi fflags, 0
  fdiv.s fa0, fa1, fa2, \rm            /* 1/3: 0x3eaaaaab to nearest or up */
  FCHECK_S fa0, \res, NX
  EXPECT_CSR frm, \frm                 /* frm unchanged */
.endm
  ROUNDS 15, RM_RUP, rtz, 0x3eaaaaaa
  ROUNDS 16, RM_RTZ, rup, 0x3eaaaaab
  ROUNDS 17, RM_RDN, rne, 0x3eaaaaab
  ROUNDS 18, RM_RNE, rdn, 0x3eaaaaaa
  ROUNDS 19, RM_RNE, dyn, 0x3eaaaaab
  ROUNDS 20, RM_RTZ, dyn, 0x3eaaaaaa
  ROUNDS 21, RM_RDN, dyn, 0x3eaaaaaa
  ROUNDS 22, RM_RUP, dyn, 0x3eaaaaab
  ROUNDS 23, RM_RMM, dyn, 0x3eaaaaab
  TEST 24                              /* frm changes take effect on the next instruction */
  fsrmi RM_RTZ
  fdiv.s fa0, fa1, fa2
  fsrmi RM_RUP
  fdiv.s fa3, fa1, fa2
  FCHECK_S fa0, 0x3eaaaaaa, NX
  FCHECK_S fa3, 0x3eaaaaab, NX
  fsrmi RM_RNE

  /* reserved rounding modes: illegal instruction, rd and fflags unchanged,
   * mtval = the instruction */
/* RM_ILLEGAL n, insn — the instruction traps as illegal; a0, fa0 and fflags keep their values */
.macro RM_ILLEGAL n, insn:vararg
  TEST \n
  li a0, 0x5555555555555555
  fmv.d.x fa0, a0
  FLOAD_S fa1, 0x3f800000
  FLOAD_S fa2, 0x40400000
  FLOAD_D fa3, 0x3ff8000000000000
  li a1, 3
  csrwi fflags, NX
  li s8, -1
  la s7, .Lrm_after\@
.Lrm_at\@:
  \insn
  j fail
.Lrm_after\@:
  EXPECT s8, CAUSE_ILLEGAL
  la t5, .Lrm_at\@
  EXPECT_REG s9, t5
  lwu t5, 0(t5)
  EXPECT_REG s10, t5
  EXPECT a0, 0x5555555555555555
  fmv.x.d a2, fa0
  EXPECT a2, 0x5555555555555555
  EXPECT_CSR fflags, NX
.endm
  /* static rm = 5 and 6 (.insn: the assembler refuses them by name) */
  RM_ILLEGAL 25, .insn r OP_FP, 5, 0x00, fa0, fa1, fa2      /* fadd.s, rm = 5 */
  RM_ILLEGAL 26, .insn r OP_FP, 6, 0x00, fa0, fa1, fa2      /* fadd.s, rm = 6 */
  RM_ILLEGAL 27, .insn r OP_FP, 5, 0x09, fa0, fa3, fa3      /* fmul.d */
  RM_ILLEGAL 28, .insn r OP_FP, 6, 0x0c, fa0, fa1, fa2      /* fdiv.s */
  RM_ILLEGAL 29, .insn r OP_FP, 5, 0x2d, fa0, fa3, f0       /* fsqrt.d */
  RM_ILLEGAL 30, .insn r4 MADD, 6, 0, fa0, fa1, fa2, fa1    /* fmadd.s */
  RM_ILLEGAL 31, .insn r4 NMADD, 5, 1, fa0, fa3, fa3, fa3   /* fnmadd.d */
  RM_ILLEGAL 32, .insn r OP_FP, 5, 0x60, a0, fa1, x0        /* fcvt.w.s */
  RM_ILLEGAL 33, .insn r OP_FP, 6, 0x61, a0, fa3, x3        /* fcvt.lu.d */
  RM_ILLEGAL 34, .insn r OP_FP, 5, 0x68, fa0, a1, x0        /* fcvt.s.w */
  RM_ILLEGAL 35, .insn r OP_FP, 6, 0x69, fa0, a1, x2        /* fcvt.d.l */
  RM_ILLEGAL 36, .insn r OP_FP, 5, 0x20, fa0, fa3, f1       /* fcvt.s.d */

  /* frm = 5, 6, 7: every dyn instruction is illegal */
  csrwi frm, 5
  RM_ILLEGAL 37, fadd.s fa0, fa1, fa2, dyn
  RM_ILLEGAL 38, fsub.d fa0, fa3, fa3, dyn
  RM_ILLEGAL 39, fsqrt.s fa0, fa1, dyn
  RM_ILLEGAL 40, fmsub.d fa0, fa3, fa3, fa3, dyn
  RM_ILLEGAL 41, fcvt.w.d a0, fa3, dyn
  RM_ILLEGAL 42, fcvt.s.lu fa0, a1, dyn
  RM_ILLEGAL 43, fcvt.s.d fa0, fa3, dyn
  csrwi frm, 6
  RM_ILLEGAL 44, fmul.s fa0, fa1, fa2, dyn
  RM_ILLEGAL 45, fdiv.d fa0, fa3, fa3, dyn
  RM_ILLEGAL 46, fnmsub.s fa0, fa1, fa1, fa1, dyn
  RM_ILLEGAL 47, fcvt.lu.s a0, fa1, dyn
  csrwi frm, 7
  RM_ILLEGAL 48, fadd.d fa0, fa3, fa3, dyn
  RM_ILLEGAL 49, fmadd.s fa0, fa1, fa2, fa1, dyn
  RM_ILLEGAL 50, fcvt.d.lu fa0, a1, dyn
  RM_ILLEGAL 51, fsqrt.d fa0, fa3, dyn
  TEST 52                              /* frm still holds 7 */
  EXPECT_CSR frm, 7

  /* ... while a static rounding mode, and the instructions without one, still run */
  csrwi frm, 6
  TEST 53
  FLOAD_S fa1, 0x3f800000
  FLOAD_S fa2, 0x40400000
  csrwi fflags, 0
  fdiv.s fa0, fa1, fa2, rtz
  FCHECK_S fa0, 0x3eaaaaaa, NX
  TEST 54
  fcvt.w.s a0, fa2, rne
  XCHECK 3, NX
  TEST 55
  fsgnjn.s fa0, fa1, fa1
  fmin.s fa0, fa0, fa2
  fclass.s a0, fa0
  EXPECT a0, CLASS_NEG_NORMAL
  feq.s a0, fa0, fa0
  EXPECT a0, 1
  fmv.x.w a0, fa0
  EXPECT a0, 0xffffffffbf800000
  TEST 56                              /* fcvt.d.s / fcvt.d.w, assembled with rm = 0 */
  csrwi fflags, 0
  fcvt.d.s fa0, fa2
  FCHECK_D fa0, 0x4008000000000000, 0
  li a1, -4
  fcvt.d.w fa0, a1
  FCHECK_D fa0, 0xc010000000000000, 0
  EXPECT_CSR frm, 6

  /* back to a valid frm: dyn runs again */
  TEST 57
  fsrmi RM_RUP
  csrwi fflags, 0
  fdiv.s fa0, fa1, fa2, dyn
  FCHECK_S fa0, 0x3eaaaaab, NX

  PASS
