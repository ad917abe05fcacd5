/* rv32fd.S — the F and D extensions on RV32 (unprivileged spec 20191213, chapters 11-12):
 * with 32-bit integer registers and 64-bit FP registers. flw / fsw and fld / fsd (a
 * 64-bit FP value from and to memory without any 64-bit integer path), NaN-boxing of
 * single values (flw / fmv.w.x write the upper 32 bits as ones, fsd shows them; an
 * unboxed value read as single is the canonical NaN, while fmv.x.w / fsw move its low
 * bits unchecked), arithmetic in both precisions, fmv.x.w / fmv.w.x (32 bits both ways),
 * the conversions to and from 32-bit integers (fcvt.w / fcvt.wu: rounding modes,
 * saturation with NV; the unsigned result is a full 32-bit value), fcvt.s.d / fcvt.d.s,
 * comparisons and fclass into x registers, fcsr / frm / fflags, mstatus.FS (Off: every
 * FP instruction illegal; a write makes it Dirty and SD = bit 31 set). The RV64-only
 * encodings fcvt.l[u].s / fcvt.s.l[u] / fcvt.l[u].d / fcvt.d.l[u] / fmv.x.d / fmv.d.x
 * are illegal instructions, mtval = the bits. */
#include "test.h"

#define FFLAGS_NX 0x01
#define FFLAGS_UF 0x02
#define FFLAGS_OF 0x04
#define FFLAGS_DZ 0x08
#define FFLAGS_NV 0x10

  .data
  .balign 16
fscr:  .word 0, 0, 0, 0
one_s: .word 0x3f800000
two_d: .word 0x00000000, 0x40000000      /* 2.0 */
third: .word 0x55555555, 0x3fd55555      /* 1/3 */

  .text
/* LD_D freg, hi, lo — freg = the double with these two words (through fscr). */
.macro LD_D freg, hi, lo
  la t0, fscr
  li t1, \lo
  sw t1, 0(t0)
  li t1, \hi
  sw t1, 4(t0)
  fld \freg, 0(t0)
.endm
/* EXPECT_D freg, hi, lo — fail unless freg holds the 64 bits hi:lo (through fscr). */
.macro EXPECT_D freg, hi, lo
  la t0, fscr
  fsd \freg, 0(t0)
  lw t1, 0(t0)
  EXPECT t1, \lo
  lw t1, 4(t0)
  EXPECT t1, \hi
.endm
/* LD_S freg, bits — freg = the single with these bits (NaN-boxed, by fmv.w.x). */
.macro LD_S freg, bits
  li t0, \bits
  fmv.w.x \freg, t0
.endm
/* EXPECT_S freg, bits — fail unless freg's single (its low 32 bits) is bits. */
.macro EXPECT_S freg, bits
  fmv.x.w t1, \freg
  EXPECT t1, \bits
.endm
/* EXPECT_FLAGS flags — fail unless fflags == flags; then clear them. */
.macro EXPECT_FLAGS flags
  csrrw t1, fflags, zero
  EXPECT t1, \flags
.endm
/* S2 n, insn, res, a, b / S1: single-precision ops. D2 / D1: double. X_S / X_D: the
 * result goes to an integer register (a0). Every one also checks fflags. */
.macro S2 n, insn, res, a, b, flags
  TEST \n
  LD_S fa1, \a
  LD_S fa2, \b
  \insn fa0, fa1, fa2
  EXPECT_S fa0, \res
  EXPECT_FLAGS \flags
.endm
.macro S1 n, insn, res, a, flags
  TEST \n
  LD_S fa1, \a
  \insn fa0, fa1
  EXPECT_S fa0, \res
  EXPECT_FLAGS \flags
.endm
.macro D2 n, insn, res_hi, res_lo, a_hi, a_lo, b_hi, b_lo, flags
  TEST \n
  LD_D fa1, \a_hi, \a_lo
  LD_D fa2, \b_hi, \b_lo
  \insn fa0, fa1, fa2
  EXPECT_D fa0, \res_hi, \res_lo
  EXPECT_FLAGS \flags
.endm
.macro D1 n, insn, res_hi, res_lo, a_hi, a_lo, flags
  TEST \n
  LD_D fa1, \a_hi, \a_lo
  \insn fa0, fa1
  EXPECT_D fa0, \res_hi, \res_lo
  EXPECT_FLAGS \flags
.endm
.macro X_S n, res, a, flags, insn:vararg
  TEST \n
  LD_S fa1, \a
  li a0, 0x5a5a5a5a
  \insn
  EXPECT a0, \res
  EXPECT_FLAGS \flags
.endm
.macro X_D n, res, a_hi, a_lo, flags, insn:vararg
  TEST \n
  LD_D fa1, \a_hi, \a_lo
  li a0, 0x5a5a5a5a
  \insn
  EXPECT a0, \res
  EXPECT_FLAGS \flags
.endm

  .globl main
main:
  /* ---- mstatus.FS -------------------------------------------------------------------------- */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  la a1, one_s
  ILLEGAL 1, 0x0005a507          /* flw fa0, 0(a1) */
  ILLEGAL 2, 0xe0050553          /* fmv.x.w a0, fa0 */
  ILLEGAL 3, 0x00302573          /* frcsr a0 */
  TEST 4                         /* FS = Initial: usable; a write makes it Dirty */
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_INITIAL
  flw fa0, 0(a1)
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_DIRTY | MSTATUS_SD
  csrw fcsr, zero

  /* ---- moves and NaN-boxing ---------------------------------------------------------------- */
  TEST 5                         /* fmv.w.x / fmv.x.w: 32 bits both ways, unchanged */
  li a1, 0x80000000
  fmv.w.x ft0, a1
  fmv.x.w a0, ft0
  EXPECT a0, 0x80000000
  li a1, 0x7f812345              /* a signalling NaN's payload survives a move */
  fmv.w.x ft1, a1
  fmv.x.w a0, ft1
  EXPECT a0, 0x7f812345
  EXPECT_FLAGS 0
  TEST 6                         /* flw / fmv.w.x box the single in ones */
  EXPECT_D ft0, 0xffffffff, 0x80000000
  la a1, one_s
  flw ft2, 0(a1)
  EXPECT_D ft2, 0xffffffff, 0x3f800000
  TEST 7                         /* fsw stores the 32 bits only */
  la a1, fscr
  li t0, -1
  sw t0, 4(a1)
  fsw ft2, 0(a1)
  lw a0, 0(a1)
  EXPECT a0, 0x3f800000
  lw a0, 4(a1)
  EXPECT a0, -1
  TEST 8                         /* fld / fsd: 64 bits through memory */
  la a1, third
  fld ft3, 0(a1)
  la a2, fscr
  fsd ft3, 8(a2)
  lw a0, 8(a2)
  EXPECT a0, 0x55555555
  lw a0, 12(a2)
  EXPECT a0, 0x3fd55555
  TEST 9                         /* an unboxed value used as single: the canonical NaN */
  LD_D ft4, 0x00000000, 0x3f800000
  fadd.s fa0, ft4, ft2
  EXPECT_S fa0, 0x7fc00000
  EXPECT_FLAGS 0
  TEST 10                        /* ...but moved and stored as its low 32 bits */
  fmv.x.w a0, ft4
  EXPECT a0, 0x3f800000
  la a1, fscr
  fsw ft4, 0(a1)
  lw a0, 0(a1)
  EXPECT a0, 0x3f800000
  TEST 11                        /* a single result is boxed */
  fadd.s fa0, ft2, ft2
  EXPECT_D fa0, 0xffffffff, 0x40000000
  EXPECT_FLAGS 0

  /* ---- single-precision arithmetic --------------------------------------------------------- */
  S2 12, fadd.s, 0x40600000, 0x3f800000, 0x40200000, 0           /* 1 + 2.5 = 3.5 */
  S2 13, fsub.s, 0xbfc00000, 0x3f800000, 0x40200000, 0           /* 1 - 2.5 */
  S2 14, fmul.s, 0x40700000, 0x3fc00000, 0x40200000, 0           /* 1.5 * 2.5 */
  S2 15, fdiv.s, 0x3eaaaaab, 0x3f800000, 0x40400000, FFLAGS_NX   /* 1 / 3 */
  S2 16, fdiv.s, 0x7f800000, 0x3f800000, 0x00000000, FFLAGS_DZ   /* 1 / 0 */
  S1 17, fsqrt.s, 0x3fb504f3, 0x40000000, FFLAGS_NX              /* sqrt 2 */
  S1 18, fsqrt.s, 0x7fc00000, 0xbf800000, FFLAGS_NV              /* sqrt -1 */
  S2 19, fmin.s, 0xbfc00000, 0x3f800000, 0xbfc00000, 0
  S2 20, fmax.s, 0x3f800000, 0x7fc00000, 0x3f800000, 0           /* a quiet NaN loses */
  S2 21, fsgnjn.s, 0xbf800000, 0x3f800000, 0x3f800000, 0
  S2 22, fsgnjx.s, 0xbf800000, 0x3f800000, 0xc0000000, 0
  TEST 23                        /* fmadd.s: 2.5 * 1.5 + 1 = 4.75 */
  LD_S fa1, 0x40200000
  LD_S fa2, 0x3fc00000
  LD_S fa3, 0x3f800000
  fmadd.s fa0, fa1, fa2, fa3
  EXPECT_S fa0, 0x40980000
  fnmsub.s fa0, fa1, fa2, fa3    /* -(2.5 * 1.5) + 1 = -2.75 */
  EXPECT_S fa0, 0xc0300000
  EXPECT_FLAGS 0

  /* ---- single <-> 32-bit integers --------------------------------------------------------- */
  X_S 24, 0xfffffffe, 0xc0200000, FFLAGS_NX, fcvt.w.s a0, fa1, rtz      /* -2.5 -> -2 */
  X_S 25, 0xfffffffd, 0xc0200000, FFLAGS_NX, fcvt.w.s a0, fa1, rdn      /* -2.5 -> -3 */
  X_S 26, 0xfffffffe, 0xc0200000, FFLAGS_NX, fcvt.w.s a0, fa1, rne      /* -2.5 -> -2 */
  X_S 27, 0xfffffffd, 0xc0200000, FFLAGS_NX, fcvt.w.s a0, fa1, rmm      /* -2.5 -> -3 */
  X_S 28, 3, 0x40200000, FFLAGS_NX, fcvt.w.s a0, fa1, rup               /* 2.5 -> 3 */
  X_S 29, 0x7fffffff, 0x4f32d05e, FFLAGS_NV, fcvt.w.s a0, fa1, rtz      /* 3e9: saturates */
  X_S 30, 0x80000000, 0xcf32d05e, FFLAGS_NV, fcvt.w.s a0, fa1, rtz      /* -3e9 */
  X_S 31, 0x80000000, 0xcf000000, 0, fcvt.w.s a0, fa1, rtz              /* -2^31: exact */
  X_S 32, 0x7fffffff, 0x7fc00000, FFLAGS_NV, fcvt.w.s a0, fa1, rtz      /* NaN */
  X_S 33, 0xee6b2800, 0x4f6e6b28, 0, fcvt.wu.s a0, fa1, rtz             /* 4e9: all 32 bits */
  X_S 34, 0xffffffff, 0x4fa7d8c1, FFLAGS_NV, fcvt.wu.s a0, fa1, rtz     /* 5.6e9 */
  X_S 35, 0, 0xbf800000, FFLAGS_NV, fcvt.wu.s a0, fa1, rtz              /* -1 */
  X_S 36, 0xffffffff, 0x7fc00000, FFLAGS_NV, fcvt.wu.s a0, fa1, rtz     /* NaN */
  TEST 37                        /* fcvt.s.w / fcvt.s.wu */
  li a1, 0x80000000
  fcvt.s.w fa0, a1
  EXPECT_S fa0, 0xcf000000
  fcvt.s.wu fa0, a1
  EXPECT_S fa0, 0x4f000000
  EXPECT_FLAGS 0
  li a1, -1
  fcvt.s.wu fa0, a1              /* 4294967295 rounds to 2^32 */
  EXPECT_S fa0, 0x4f800000
  EXPECT_FLAGS FFLAGS_NX
  fcvt.s.w fa0, a1
  EXPECT_S fa0, 0xbf800000
  EXPECT_FLAGS 0

  /* ---- double-precision arithmetic --------------------------------------------------------- */
  D2 38, fadd.d, 0x3fd33333, 0x33333334, 0x3fb99999, 0x9999999a, 0x3fc99999, 0x9999999a, FFLAGS_NX
  D2 39, fsub.d, 0xbff80000, 0x00000000, 0x3ff00000, 0x00000000, 0x40040000, 0x00000000, 0
  D2 40, fmul.d, 0x400e0000, 0x00000000, 0x3ff80000, 0x00000000, 0x40040000, 0x00000000, 0
  D2 41, fdiv.d, 0x3fd55555, 0x55555555, 0x3ff00000, 0x00000000, 0x40080000, 0x00000000, FFLAGS_NX
  D2 42, fdiv.d, 0xfff00000, 0x00000000, 0xbff00000, 0x00000000, 0x00000000, 0x00000000, FFLAGS_DZ
  D1 43, fsqrt.d, 0x3ff6a09e, 0x667f3bcd, 0x40000000, 0x00000000, FFLAGS_NX
  D2 44, fmin.d, 0xc1e00000, 0x00000000, 0x41e00000, 0x00000000, 0xc1e00000, 0x00000000, 0
  D2 45, fmax.d, 0x41e00000, 0x00000000, 0x41e00000, 0x00000000, 0xc1e00000, 0x00000000, 0
  D2 46, fsgnj.d, 0xbff00000, 0x00000000, 0x3ff00000, 0x00000000, 0x80000000, 0x00000000, 0
  D2 47, fadd.d, 0x7ff80000, 0x00000000, 0x7ff00000, 0x00000000, 0xfff00000, 0x00000000, FFLAGS_NV
  TEST 48                        /* fmadd.d: 1/3 * 3 + 1 rounds once */
  la a1, third
  fld fa1, 0(a1)
  LD_D fa2, 0x40080000, 0x00000000
  LD_D fa3, 0x3ff00000, 0x00000000
  fmadd.d fa0, fa1, fa2, fa3
  EXPECT_D fa0, 0x40000000, 0x00000000
  EXPECT_FLAGS FFLAGS_NX
  TEST 49                        /* fcvt.d.s / fcvt.s.d */
  LD_S fa1, 0x3dcccccd           /* 0.1f */
  fcvt.d.s fa0, fa1
  EXPECT_D fa0, 0x3fb99999, 0xa0000000
  EXPECT_FLAGS 0
  LD_D fa1, 0x3fb99999, 0x9999999a
  fcvt.s.d fa0, fa1
  EXPECT_D fa0, 0xffffffff, 0x3dcccccd
  EXPECT_FLAGS FFLAGS_NX

  /* ---- double <-> 32-bit integers --------------------------------------------------------- */
  X_D 50, 0x7fffffff, 0x41dfffff, 0xffc00000, 0, fcvt.w.d a0, fa1, rtz  /* 2^31-1 */
  X_D 51, 0x7fffffff, 0x41e00000, 0x00000000, FFLAGS_NV, fcvt.w.d a0, fa1, rtz/* 2^31 */
  X_D 52, 0x80000000, 0xc1e00000, 0x00000000, 0, fcvt.w.d a0, fa1, rtz  /* -2^31 */
  X_D 53, 0x80000000, 0xc1e00000, 0x00100000, FFLAGS_NX, fcvt.w.d a0, fa1, rtz/* -2^31-0.5 */
  X_D 54, 0xfffffffe, 0xc0040000, 0x00000000, FFLAGS_NX, fcvt.w.d a0, fa1, rne/* -2.5 */
  X_D 55, 0xffffffff, 0x41efffff, 0xffe00000, 0, fcvt.wu.d a0, fa1, rtz /* 2^32-1 */
  X_D 56, 0xffffffff, 0x41f00000, 0x00000000, FFLAGS_NV, fcvt.wu.d a0, fa1, rtz/* 2^32 */
  X_D 57, 0x80000000, 0x41e00000, 0x00000000, 0, fcvt.wu.d a0, fa1, rtz /* 2^31 */
  X_D 58, 0, 0xbfe00000, 0x00000000, FFLAGS_NX, fcvt.wu.d a0, fa1, rtz  /* -0.5 */
  X_D 59, 0, 0xbff00000, 0x00000000, FFLAGS_NV, fcvt.wu.d a0, fa1, rtz  /* -1 */
  TEST 60                        /* fcvt.d.w / fcvt.d.wu: exact */
  li a1, 0x80000000
  fcvt.d.w fa0, a1
  EXPECT_D fa0, 0xc1e00000, 0x00000000
  fcvt.d.wu fa0, a1
  EXPECT_D fa0, 0x41e00000, 0x00000000
  li a1, -1
  fcvt.d.wu fa0, a1
  EXPECT_D fa0, 0x41efffff, 0xffe00000
  EXPECT_FLAGS 0

  /* ---- comparisons and fclass: results in x registers ------------------------------------------ */
  X_D 61, 1, 0x3ff00000, 0x00000000, 0, feq.d a0, fa1, fa1
  X_D 62, 0, 0x3ff00000, 0x00000000, 0, flt.d a0, fa1, fa1
  X_D 63, 0, 0x7ff80000, 0x00000000, FFLAGS_NV, fle.d a0, fa1, fa1      /* qNaN */
  X_D 64, 0, 0x7ff00000, 0x00000001, FFLAGS_NV, feq.d a0, fa1, fa1      /* sNaN */
  X_D 65, 0x001, 0xfff00000, 0x00000000, 0, fclass.d a0, fa1            /* -inf */
  X_D 66, 0x200, 0x7ff80000, 0x00000000, 0, fclass.d a0, fa1            /* qNaN */
  X_D 67, 0x020, 0x00000000, 0x00000001, 0, fclass.d a0, fa1            /* +subnormal */
  X_S 68, 0x100, 0x7f800001, 0, fclass.s a0, fa1                        /* sNaN */
  X_S 69, 0, 0x3f800000, 0, flt.s a0, fa1, fa1
  TEST 70                        /* flt.s between two registers */
  LD_S fa1, 0xbf800000
  LD_S fa2, 0x3f800000
  flt.s a0, fa1, fa2
  EXPECT a0, 1
  flt.s a0, fa2, fa1
  EXPECT a0, 0

  /* ---- fcsr, frm, fflags ------------------------------------------------------------------------ */
  TEST 71
  li a0, 0xff
  csrw fcsr, a0
  EXPECT_CSR fcsr, 0xff          /* frm = 7 (invalid, but held), fflags = 0x1f */
  EXPECT_CSR frm, 7
  EXPECT_CSR fflags, 0x1f
  TEST 72                        /* bits above 7 read zero */
  li a0, -1
  csrw fcsr, a0
  EXPECT_CSR fcsr, 0xff
  TEST 73                        /* with frm = 7, a dynamic-rounding op is illegal */
  li s8, -1
  la s7, 1f
  fadd.s fa0, fa1, fa2
  j fail
1:
  EXPECT s8, CAUSE_ILLEGAL
  TEST 74                        /* frm and fflags are views of fcsr */
  csrwi frm, 2
  csrwi fflags, 1
  EXPECT_CSR fcsr, (2 << 5) | 1
  csrw fcsr, zero
  TEST 75                        /* dynamic rounding follows frm: 1/3 rounded up, down */
  csrwi frm, 3                   /* RUP */
  LD_S fa1, 0x3f800000
  LD_S fa2, 0x40400000
  fdiv.s fa0, fa1, fa2
  EXPECT_S fa0, 0x3eaaaaab
  csrwi frm, 2                   /* RDN */
  fdiv.s fa0, fa1, fa2
  EXPECT_S fa0, 0x3eaaaaaa
  csrw fcsr, zero

  /* ---- RV64-only F / D encodings: illegal, mtval = the bits, rd unchanged ------------------- */
.macro GONE n, word
  li a0, 0x5a5a5a5a
  ILLEGAL \n, \word
  EXPECT a0, 0x5a5a5a5a
.endm
  GONE 76, 0xc0257553            /* fcvt.l.s a0, fa0 */
  GONE 77, 0xc0357553            /* fcvt.lu.s */
  GONE 78, 0xd0257553            /* fcvt.s.l fa0, a0 */
  GONE 79, 0xd0357553            /* fcvt.s.lu */
  GONE 80, 0xc2257553            /* fcvt.l.d */
  GONE 81, 0xc2357553            /* fcvt.lu.d */
  GONE 82, 0xd2257553            /* fcvt.d.l */
  GONE 83, 0xd2357553            /* fcvt.d.lu */
  GONE 84, 0xe2050553            /* fmv.x.d a0, fa0 */
  TEST 85                        /* fmv.d.x: fa0 unchanged */
  LD_D fa0, 0x12345678, 0x9abcdef0
  li a0, 0
  ILLEGAL 86, 0xf2050553         /* fmv.d.x fa0, a0 */
  TEST 87
  EXPECT_D fa0, 0x12345678, 0x9abcdef0

  PASS
