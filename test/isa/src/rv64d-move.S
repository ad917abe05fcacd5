/* rv64d-move.S — double-precision values moved without arithmetic: fld fsd, the
 * compressed c.fld c.fsd c.fldsp c.fsdsp (their offset ranges and register fields),
 * fmv.d.x fmv.x.d. All move the 64 bits unchanged (signalling NaNs, NaN-boxed singles
 * and all) and never raise a flag (unprivileged spec 20191213, 12.3, 12.5 and 16.3).
 * Also: the 32 f registers are distinct storage. */
#include "fp.h"

  .data
  .balign 16
dwords:                                /* fld reads these */
  .dword 0x3ff0000000000000            /* +0:  1.0 */
  .dword 0x7ff0000000000001            /* +8:  a signalling NaN */
  .dword 0xfff8000000012345            /* +16: a negative quiet NaN with a payload */
  .dword 0x0000000000000001            /* +24: the min subnormal */
  .dword 0xffffffff7f800001            /* +32: a NaN-boxed single sNaN */
  .dword 0x8000000000000000            /* +40: -0 */
  .fill 24, 8, 0
  .dword 0x400921fb54442d18            /* +240: pi */
  .dword 0xc005bf0a8b145769            /* +248: -e */
  .fill 30, 8, 0
  .dword 0x7ff4000000000000            /* +496: a signalling NaN */
  .dword 0x000fffffffffffff            /* +504: the max subnormal */
buf:                                   /* the stores write here */
  .fill 66, 8, 0

  .text
  .globl main
main:
  FP_ON
  la s1, dwords
  la s2, buf

  /* fld: 64 bits in, unchanged, no flags */
.macro FLD_CHECK n, freg, off, base, bits
  TEST \n
  fmv.d.x \freg, zero
  csrwi fflags, 0
  fld \freg, \off(\base)
  FCHECK_D \freg, \bits, 0
.endm
  FLD_CHECK  1, fa0, 0, s1, 0x3ff0000000000000
  FLD_CHECK  2, fa0, 8, s1, 0x7ff0000000000001     /* sNaN: kept, no NV */
  FLD_CHECK  3, fa0, 16, s1, 0xfff8000000012345
  FLD_CHECK  4, fa0, 24, s1, 0x0000000000000001
  FLD_CHECK  5, f0, 32, s1, 0xffffffff7f800001
  FLD_CHECK  6, f31, 40, s1, 0x8000000000000000
  addi s3, s1, 256
  FLD_CHECK  7, fa0, -8, s3, 0xc005bf0a8b145769    /* negative offset */
  addi s3, s1, 2047
  addi s3, s3, 1
  FLD_CHECK  8, fa0, -2048, s3, 0x3ff0000000000000 /* the most negative offset */
  FLD_CHECK  9, fa0, 504, s1, 0x000fffffffffffff

  /* fsd: 64 bits out, unchanged, the neighbours untouched */
.macro FSD_CHECK n, bits
  TEST \n
  li t0, 0x5555555555555555
  sd t0, 0(s2)
  sd t0, 8(s2)
  sd t0, 16(s2)
  li t0, \bits
  fmv.d.x fa0, t0
  csrwi fflags, 0
  fsd fa0, 8(s2)
  frflags a1
  EXPECT a1, 0
  ld a0, 0(s2)
  EXPECT a0, 0x5555555555555555
  ld a0, 8(s2)
  EXPECT a0, \bits
  ld a0, 16(s2)
  EXPECT a0, 0x5555555555555555
.endm
  FSD_CHECK 10, 0x3ff0000000000000
  FSD_CHECK 11, 0x7ff0000000000001     /* sNaN: no NV */
  FSD_CHECK 12, 0xffffffff3f800000     /* a NaN-boxed single: all 64 bits */
  FSD_CHECK 13, 0x123456789abcdef0
  TEST 14                              /* negative offset, f31, round trip */
  li t0, 0xfff0000000000001
  fmv.d.x f31, t0
  addi s3, s2, 64
  fsd f31, -40(s3)
  ld a0, 24(s2)
  EXPECT a0, 0xfff0000000000001
  fld f1, 24(s2)
  FCHECK_D f1, 0xfff0000000000001, 0

  /* fmv.d.x / fmv.x.d: the 64 bits unchanged both ways, no flags */
.macro FMVD_CHECK n, bits
  TEST \n
  li a1, \bits
  csrwi fflags, 0
  fmv.d.x fa0, a1
  fmv.x.d a0, fa0
  XCHECK \bits, 0
.endm
  FMVD_CHECK 15, 0x3ff0000000000000
  FMVD_CHECK 16, 0x7ff0000000000001
  FMVD_CHECK 17, 0xfff8000000012345
  FMVD_CHECK 18, 0x8000000000000000
  FMVD_CHECK 19, 0xffffffff7f800001
  FMVD_CHECK 20, 0x00000000ffffffff
  TEST 21                              /* x0 as source and destination */
  li t0, -1
  fmv.d.x fa0, t0
  fmv.d.x fa0, zero
  fmv.x.d a0, fa0
  EXPECT a0, 0
  fmv.x.d zero, fa0
  EXPECT zero, 0

  /* the 32 f registers are separate: write f0..f31 with distinct values, read back */
  TEST 22
.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  li t0, 0x0101010101010101 * (\r + 1)
  fmv.d.x f\r, t0
.endr
.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  fmv.x.d a0, f\r
  EXPECT a0, 0x0101010101010101 * (\r + 1)
.endr

  /* compressed forms (RVC, unprivileged spec 16.3): c.fld / c.fsd use
   * f8..f15 and base x8..x15 with an offset of 0..248 (a multiple of 8); c.fldsp /
   * c.fsdsp use any f register and sp with an offset of 0..504 */
  .option push
  .option rvc
.macro CFLD_CHECK n, freg, off, bits
  TEST \n
  fmv.d.x \freg, zero
  csrwi fflags, 0
  c.fld \freg, \off(s1)
  FCHECK_D \freg, \bits, 0
.endm
  CFLD_CHECK 23, fs0, 0, 0x3ff0000000000000
  CFLD_CHECK 24, fs1, 8, 0x7ff0000000000001        /* sNaN: no NV */
  CFLD_CHECK 25, fa0, 16, 0xfff8000000012345
  CFLD_CHECK 26, fa5, 248, 0xc005bf0a8b145769      /* the largest offset */
  CFLD_CHECK 27, fa3, 240, 0x400921fb54442d18
  TEST 28                              /* other base registers: a5 (x15), s0 (x8) */
  mv a5, s1
  c.fld fa1, 32(a5)
  FCHECK_D fa1, 0xffffffff7f800001, 0
  mv s0, s1
  c.fld fa2, 24(s0)
  FCHECK_D fa2, 0x0000000000000001, 0

.macro CFSD_CHECK n, freg, off, bits
  TEST \n
  li t0, 0x5555555555555555
  sd t0, \off - 8(a3)
  sd t0, \off + 8(a3)
  li t0, \bits
  fmv.d.x \freg, t0
  csrwi fflags, 0
  c.fsd \freg, \off(a3)
  frflags a1
  EXPECT a1, 0
  ld a0, \off(a3)
  EXPECT a0, \bits
  ld a0, \off - 8(a3)
  EXPECT a0, 0x5555555555555555
  ld a0, \off + 8(a3)
  EXPECT a0, 0x5555555555555555
.endm
  addi a3, s2, 8                       /* base a3 (x13); room for a word before offset 0 */
  CFSD_CHECK 29, fs0, 0, 0x3ff0000000000000
  CFSD_CHECK 30, fa4, 8, 0x7ff0000000000001
  CFSD_CHECK 31, fs1, 248, 0xffffffff3f800000
  CFSD_CHECK 32, fa5, 128, 0x8000000000000000

  mv s5, sp                            /* sp is borrowed below; restored after */
  mv sp, s1
.macro CFLDSP_CHECK n, freg, off, bits
  TEST \n
  fmv.d.x \freg, zero
  csrwi fflags, 0
  c.fldsp \freg, \off(sp)
  FCHECK_D \freg, \bits, 0
.endm
  CFLDSP_CHECK 33, f0, 0, 0x3ff0000000000000
  CFLDSP_CHECK 34, f31, 8, 0x7ff0000000000001
  CFLDSP_CHECK 35, ft5, 496, 0x7ff4000000000000
  CFLDSP_CHECK 36, fs11, 504, 0x000fffffffffffff   /* the largest offset */
  CFLDSP_CHECK 37, fa0, 248, 0xc005bf0a8b145769

  addi sp, s2, 8
.macro CFSDSP_CHECK n, freg, off, bits
  TEST \n
  li t0, 0x5555555555555555
  sd t0, \off - 8(sp)
  sd t0, \off + 8(sp)
  li t0, \bits
  fmv.d.x \freg, t0
  csrwi fflags, 0
  c.fsdsp \freg, \off(sp)
  frflags a1
  EXPECT a1, 0
  ld a0, \off(sp)
  EXPECT a0, \bits
  ld a0, \off - 8(sp)
  EXPECT a0, 0x5555555555555555
  ld a0, \off + 8(sp)
  EXPECT a0, 0x5555555555555555
.endm
  CFSDSP_CHECK 38, f0, 0, 0x3ff0000000000000
  CFSDSP_CHECK 39, f31, 504, 0x7ff0000000000001
  CFSDSP_CHECK 40, fs2, 256, 0xffffffff7f800001
  CFSDSP_CHECK 41, ft0, 8, 0x123456789abcdef0
  mv sp, s5
  .option pop

  PASS
