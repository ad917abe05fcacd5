/* rv64f-move.S — single-precision values moved without arithmetic, and NaN-boxing.
 * flw / fmv.w.x bring 32 bits in unchanged (signalling NaNs too, never a flag) and
 * NaN-box them: the upper 32 bits of the f register become all ones. fsw / fmv.x.w take
 * the low 32 bits out unchanged, whatever the upper bits hold (fmv.x.w sign-extends
 * them into rd). Every other single-precision instruction reads a register whose upper
 * 32 bits are not all ones as the canonical NaN (a quiet NaN: no NV): arithmetic,
 * fused, sign injection (fmv.s included), fmin / fmax, comparisons, fclass and
 * conversions. Unprivileged spec 20191213, 11.5, 11.7 and 12.2 "NaN Boxing of
 * Narrower Values". */
#include "fp.h"

/* UNBOXED — a register value that is no valid single: 1.0 in the low half, zeros above */
#define UNBOXED 0x000000003f800000

  .data
  .balign 16
words:                                 /* flw reads these */
  .word 0x3f800000                     /* +0:  1.0 */
  .word 0x7f800001                     /* +4:  a signalling NaN */
  .word 0xffc12345                     /* +8:  a negative quiet NaN with a payload */
  .word 0x00000001                     /* +12: the min subnormal */
  .word 0x80000000                     /* +16: -0 */
  .word 0xff800000                     /* +20: -inf */
  .word 0x7fa5a5a5                     /* +24: a signalling NaN with a payload */
  .word 0xc0490fdb                     /* +28: -pi */
buf:                                   /* fsw writes here */
  .fill 4, 8, 0

  .text
  .globl main
main:
  FP_ON
  la s1, words
  la s2, buf

  /* flw: 32 bits in, unchanged and NaN-boxed, no flags */
.macro FLW_CHECK n, freg, off, base, bits
  TEST \n
  fmv.d.x \freg, zero                  /* the upper half starts as zeros */
  csrwi fflags, 0
  flw \freg, \off(\base)
  FCHECK_S \freg, \bits, 0
.endm
  FLW_CHECK  1, fa0, 0, s1, 0x3f800000
  FLW_CHECK  2, fa0, 4, s1, 0x7f800001   /* sNaN: kept, no NV */
  FLW_CHECK  3, fa0, 8, s1, 0xffc12345   /* payload and sign kept */
  FLW_CHECK  4, fa0, 12, s1, 0x00000001
  FLW_CHECK  5, fa0, 16, s1, 0x80000000
  FLW_CHECK  6, f0, 20, s1, 0xff800000
  FLW_CHECK  7, f31, 24, s1, 0x7fa5a5a5
  addi s3, s1, 32
  FLW_CHECK  8, fa0, -4, s3, 0xc0490fdb  /* negative offset */
  FLW_CHECK  9, fa0, -32, s3, 0x3f800000

  /* fsw: the low 32 bits out, unchanged, the neighbouring bytes untouched */
.macro FSW_CHECK n, regbits, off, word0, word1
  TEST \n
  li t0, 0x5555555555555555
  sd t0, 0(s2)
  sd t0, 8(s2)
  li t0, \regbits
  fmv.d.x fa0, t0
  csrwi fflags, 0
  fsw fa0, \off(s2)
  frflags a1
  EXPECT a1, 0
  ld a0, 0(s2)
  EXPECT a0, \word0
  ld a0, 8(s2)
  EXPECT a0, \word1
.endm
  FSW_CHECK 10, 0xffffffff3f800000, 0, 0x555555553f800000, 0x5555555555555555
  FSW_CHECK 11, 0xffffffff7f800001, 4, 0x7f80000155555555, 0x5555555555555555   /* sNaN: no NV */
  FSW_CHECK 12, 0xffffffffffc12345, 8, 0x5555555555555555, 0x55555555ffc12345
  FSW_CHECK 13, 0x123456789abcdef0, 12, 0x5555555555555555, 0x9abcdef055555555  /* not NaN-boxed: the low half all the same */
  FSW_CHECK 14, UNBOXED, 0, 0x555555553f800000, 0x5555555555555555
  TEST 15                              /* negative offset, and f31 */
  li t0, 0xffffffff80000000
  fmv.d.x f31, t0
  addi s3, s2, 16
  fsw f31, -12(s3)
  lwu a0, 4(s2)
  EXPECT a0, 0x80000000
  TEST 16                              /* round trip */
  flw fa1, 24(s1)
  fsw fa1, 8(s2)
  flw fa2, 8(s2)
  FCHECK_S fa2, 0x7fa5a5a5, 0

  /* fmv.w.x: the low 32 bits of rs1, NaN-boxed; no flags */
.macro FMVWX_CHECK n, x, bits
  TEST \n
  li a1, \x
  fmv.d.x fa0, zero
  csrwi fflags, 0
  fmv.w.x fa0, a1
  FCHECK_S fa0, \bits, 0
.endm
  FMVWX_CHECK 17, 0x3f800000, 0x3f800000
  FMVWX_CHECK 18, 0x12345678ff800001, 0xff800001    /* upper half of rs1 ignored; sNaN kept */
  FMVWX_CHECK 19, 0xffffffff7fc00001, 0x7fc00001
  FMVWX_CHECK 20, 0, 0
  FMVWX_CHECK 21, 0xffffffff80000000, 0x80000000
  TEST 22                              /* from x0 */
  fmv.w.x fa0, zero
  FCHECK_S fa0, 0, 0

  /* fmv.x.w: the low 32 bits, sign-extended into rd; no flags */
.macro FMVXW_CHECK n, regbits, x
  TEST \n
  li t0, \regbits
  fmv.d.x fa1, t0
  li a0, 0x5555555555555555
  csrwi fflags, 0
  fmv.x.w a0, fa1
  XCHECK \x, 0
.endm
  FMVXW_CHECK 23, 0xffffffff3f800000, 0x000000003f800000
  FMVXW_CHECK 24, 0xffffffffbf800000, 0xffffffffbf800000
  FMVXW_CHECK 25, 0xffffffff7f800001, 0x000000007f800001      /* sNaN: no NV */
  FMVXW_CHECK 26, 0xffffffffffc00000, 0xffffffffffc00000
  FMVXW_CHECK 27, UNBOXED, 0x000000003f800000                 /* a transfer: upper half ignored */
  FMVXW_CHECK 28, 0x123456789abcdef0, 0xffffffff9abcdef0
  TEST 29                              /* to x0: no write */
  fmv.x.w zero, fa1
  EXPECT zero, 0

  /* NaN-boxing: every other single-precision instruction reads UNBOXED (and other
   * values whose upper half is not all ones) as the canonical NaN */
.macro UNBOXED_S n, regbits, res, flags, insn:vararg
  TEST \n
  li t0, \regbits
  fmv.d.x fa1, t0
  FLOAD_S fa2, 0xc0000000              /* -2 */
  csrwi fflags, 0
  \insn
  FCHECK_S fa0, \res, \flags
.endm
  UNBOXED_S 30, UNBOXED, 0x7fc00000, 0, fadd.s fa0, fa1, fa2
  UNBOXED_S 31, UNBOXED, 0x7fc00000, 0, fadd.s fa0, fa2, fa1
  UNBOXED_S 32, 0xfffffffe3f800000, 0x7fc00000, 0, fadd.s fa0, fa1, fa2   /* one bit short */
  UNBOXED_S 33, 0x7fffffff3f800000, 0x7fc00000, 0, fadd.s fa0, fa1, fa2
  UNBOXED_S 34, 0x3ff0000000000000, 0x7fc00000, 0, fadd.s fa0, fa1, fa2   /* the double 1.0 */
  UNBOXED_S 35, UNBOXED, 0x7fc00000, 0, fsub.s fa0, fa1, fa2
  UNBOXED_S 36, UNBOXED, 0x7fc00000, 0, fmul.s fa0, fa1, fa2
  UNBOXED_S 37, UNBOXED, 0x7fc00000, 0, fdiv.s fa0, fa2, fa1
  UNBOXED_S 38, UNBOXED, 0x7fc00000, 0, fsqrt.s fa0, fa1
  UNBOXED_S 39, UNBOXED, 0x7fc00000, 0, fmadd.s fa0, fa2, fa2, fa1
  UNBOXED_S 40, UNBOXED, 0x7fc00000, 0, fnmsub.s fa0, fa1, fa2, fa2
  UNBOXED_S 41, UNBOXED, 0xffc00000, 0, fsgnj.s fa0, fa1, fa2    /* the canonical NaN, sign of -2 */
  UNBOXED_S 42, UNBOXED, 0x7fc00000, 0, fsgnjn.s fa0, fa1, fa2
  UNBOXED_S 43, UNBOXED, 0xffc00000, 0, fsgnjx.s fa0, fa1, fa2
  UNBOXED_S 44, UNBOXED, 0x40000000, 0, fsgnj.s fa0, fa2, fa1    /* rs2 reads as +NaN: +2 */
  UNBOXED_S 45, UNBOXED, 0xc0000000, 0, fsgnjn.s fa0, fa2, fa1
  UNBOXED_S 46, UNBOXED, 0x7fc00000, 0, fmv.s fa0, fa1
  UNBOXED_S 47, UNBOXED, 0xffc00000, 0, fneg.s fa0, fa1
  UNBOXED_S 48, UNBOXED, 0xc0000000, 0, fmin.s fa0, fa1, fa2     /* a quiet NaN: the other */
  UNBOXED_S 49, UNBOXED, 0xc0000000, 0, fmax.s fa0, fa2, fa1
  UNBOXED_S 50, UNBOXED, 0x7fc00000, 0, fmax.s fa0, fa1, fa1
  UNBOXED_S 51, UNBOXED, 0x7fc00000, 0, fmsub.s fa0, fa2, fa1, fa2
  UNBOXED_S 52, UNBOXED, 0xc0000000, 0, fmv.s fa0, fa2          /* a boxed one is fine */

/* UNBOXED_X n, regbits, res, flags, insn — the same for instructions writing a0 */
.macro UNBOXED_X n, regbits, res, flags, insn:vararg
  TEST \n
  li t0, \regbits
  fmv.d.x fa1, t0
  FLOAD_S fa2, 0x3f800000              /* 1 */
  li a0, 0x5555555555555555
  csrwi fflags, 0
  \insn
  XCHECK \res, \flags
.endm
  UNBOXED_X 53, UNBOXED, 0, 0, feq.s a0, fa1, fa2       /* quiet: no NV */
  UNBOXED_X 54, UNBOXED, 0, 0, feq.s a0, fa1, fa1
  UNBOXED_X 55, UNBOXED, 0, NV, flt.s a0, fa1, fa2      /* signalling comparison */
  UNBOXED_X 56, UNBOXED, 0, NV, fle.s a0, fa2, fa1
  UNBOXED_X 57, UNBOXED, CLASS_QNAN, 0, fclass.s a0, fa1
  UNBOXED_X 58, 0x00000000ff800000, CLASS_QNAN, 0, fclass.s a0, fa1   /* not -inf */
  UNBOXED_X 59, UNBOXED, 0x7fffffff, NV, fcvt.w.s a0, fa1, rtz
  UNBOXED_X 60, UNBOXED, 0xffffffffffffffff, NV, fcvt.lu.s a0, fa1, rtz
  UNBOXED_X 61, 0xffffffff3f800000, 1, 0, fcvt.w.s a0, fa1, rtz      /* boxed: 1.0 */
  TEST 62                              /* fcvt.d.s of an unboxed value: the canonical double NaN */
  li t0, UNBOXED
  fmv.d.x fa1, t0
  csrwi fflags, 0
  fcvt.d.s fa0, fa1
  FCHECK_D fa0, D_CANONICAL_NAN, 0

  /* double-precision instructions see all 64 bits: a NaN-boxed single is a NaN */
  TEST 63
  FLOAD_S fa1, 0x3f800000
  fmv.x.d a0, fa1
  EXPECT a0, 0xffffffff3f800000
  FLOAD_D fa2, 0x3ff0000000000000
  csrwi fflags, 0
  fadd.d fa0, fa1, fa2
  FCHECK_D fa0, D_CANONICAL_NAN, 0
  TEST 64
  FLOAD_S fa1, 0x3f800000
  csrwi fflags, 0
  fclass.d a0, fa1
  XCHECK CLASS_QNAN, 0

  /* single-precision results are NaN-boxed whatever the register held before */
  TEST 65
  li t0, 0x0123456789abcdef
  fmv.d.x fa0, t0
  FLOAD_S fa1, 0x3f800000
  fadd.s fa0, fa1, fa1
  FCHECK_S fa0, 0x40000000, 0
  TEST 66
  fmv.d.x fa0, t0
  li a1, 7
  fcvt.s.w fa0, a1
  FCHECK_S fa0, 0x40e00000, 0
  TEST 67
  fmv.d.x fa0, t0
  fsgnjx.s fa0, fa1, fa1
  FCHECK_S fa0, 0x3f800000, 0

  PASS
