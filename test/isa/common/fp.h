/* fp.h — checks shared by the F / D programs (rv64f-*.S, rv64d-*.S, fp-*.S).
 *
 * Every check loads its operands with fmv.w.x / fmv.d.x (a single is NaN-boxed on
 * the way in), clears fflags, runs one instruction with fa0 (or a0) as destination
 * and fa1, fa2, fa3 (or a1) as sources, then compares the whole 64-bit destination
 * and fflags exactly: a single-precision result must come back NaN-boxed (upper 32
 * bits all ones: unprivileged spec 20191213, 12.2 "NaN Boxing of Narrower Values"),
 * a W-sized integer result sign-extended, and fflags must hold exactly the
 * flags the operation raises, no more and no fewer.
 *
 * Scratch: t0 (operand loading), a0 / a1 (result and flags), plus those of test.h.
 * crt.S leaves mstatus.FS = Off; FP programs start with FP_ON.
 */

#ifndef LANTERN_ISA_FP_H
#define LANTERN_ISA_FP_H

#include "test.h"

/* fflags bits (unprivileged spec 20191213, 11.2 "Floating-Point Control and Status Register") */
#define NX 0x01                        /* inexact */
#define UF 0x02                        /* underflow */
#define OF 0x04                        /* overflow */
#define DZ 0x08                        /* divide by zero */
#define NV 0x10                        /* invalid operation */

/* rounding modes: the rm field and frm (table 11.1); 5 and 6 are reserved, 7 (DYN)
 * in rm selects frm, and frm = 5..7 makes every DYN instruction illegal */
#define RM_RNE 0                       /* to nearest, ties to even */
#define RM_RTZ 1                       /* toward zero */
#define RM_RDN 2                       /* down, toward -inf */
#define RM_RUP 3                       /* up, toward +inf */
#define RM_RMM 4                       /* to nearest, ties away from zero */
#define RM_DYN 7

/* fclass results (table 11.5): exactly one bit is set */
#define CLASS_NEG_INF       0x001
#define CLASS_NEG_NORMAL    0x002
#define CLASS_NEG_SUBNORMAL 0x004
#define CLASS_NEG_ZERO      0x008
#define CLASS_POS_ZERO      0x010
#define CLASS_POS_SUBNORMAL 0x020
#define CLASS_POS_NORMAL    0x040
#define CLASS_POS_INF       0x080
#define CLASS_SNAN          0x100
#define CLASS_QNAN          0x200

/* the upper half of an f register that holds a single (NaN-boxing) */
#define BOX 0xffffffff00000000

/* canonical NaNs (unprivileged spec 11.3: the result of every arithmetic operation
 * that produces a NaN) */
#define S_CANONICAL_NAN 0x7fc00000
#define D_CANONICAL_NAN 0x7ff8000000000000

/* mstatus.FS values (privileged spec 3.1.6.6) */
#define FS_OFF     (0 << 13)
#define FS_INITIAL (1 << 13)
#define FS_CLEAN   (2 << 13)
#define FS_DIRTY   (3 << 13)

/* FP_ON — mstatus.FS = Initial: FP instructions and the FP CSRs become usable. */
.macro FP_ON
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, FS_INITIAL
  csrs mstatus, t0
.endm

/* FLOAD_S / FLOAD_D freg, bits — freg = the single (NaN-boxed) / double with these bits. */
.macro FLOAD_S freg, bits
  li t0, \bits
  fmv.w.x \freg, t0
.endm
.macro FLOAD_D freg, bits
  li t0, \bits
  fmv.d.x \freg, t0
.endm

/* FCHECK_S / FCHECK_D freg, bits, flags — fail unless freg holds bits (a single:
 * NaN-boxed) and fflags == flags. Leaves the register in a0 and fflags in a1. */
.macro FCHECK_S freg, bits, flags
  frflags a1
  fmv.x.d a0, \freg
  EXPECT a0, (BOX | (\bits))
  EXPECT a1, \flags
.endm
.macro FCHECK_D freg, bits, flags
  frflags a1
  fmv.x.d a0, \freg
  EXPECT a0, \bits
  EXPECT a1, \flags
.endm

/* XCHECK value, flags — fail unless a0 == value (all 64 bits) and fflags == flags. */
.macro XCHECK value, flags
  frflags a1
  EXPECT a0, \value
  EXPECT a1, \flags
.endm

/* The checks. op is the mnemonic; rm is a rounding mode (rne rtz rdn rup rmm, or
 * dyn: frm, which the program sets with fsrmi beforehand); res and flags are the
 * expected result bits and fflags; a, b, c the operand bits. */

/* FOP1_S / FOP1_D n, op, rm, res, flags, a — `op fa0, fa1, rm` (fsqrt) */
.macro FOP1_S n, op, rm, res, flags, a
  TEST \n
  FLOAD_S fa1, \a
  csrwi fflags, 0
  \op fa0, fa1, \rm
  FCHECK_S fa0, \res, \flags
.endm
.macro FOP1_D n, op, rm, res, flags, a
  TEST \n
  FLOAD_D fa1, \a
  csrwi fflags, 0
  \op fa0, fa1, \rm
  FCHECK_D fa0, \res, \flags
.endm

/* FOP2_S / FOP2_D n, op, rm, res, flags, a, b — `op fa0, fa1, fa2, rm` (fadd fsub fmul fdiv) */
.macro FOP2_S n, op, rm, res, flags, a, b
  TEST \n
  FLOAD_S fa1, \a
  FLOAD_S fa2, \b
  csrwi fflags, 0
  \op fa0, fa1, fa2, \rm
  FCHECK_S fa0, \res, \flags
.endm
.macro FOP2_D n, op, rm, res, flags, a, b
  TEST \n
  FLOAD_D fa1, \a
  FLOAD_D fa2, \b
  csrwi fflags, 0
  \op fa0, fa1, fa2, \rm
  FCHECK_D fa0, \res, \flags
.endm

/* FOP3_S / FOP3_D n, op, rm, res, flags, a, b, c — `op fa0, fa1, fa2, fa3, rm`
 * (fmadd fmsub fnmsub fnmadd: a × b ± c with one rounding) */
.macro FOP3_S n, op, rm, res, flags, a, b, c
  TEST \n
  FLOAD_S fa1, \a
  FLOAD_S fa2, \b
  FLOAD_S fa3, \c
  csrwi fflags, 0
  \op fa0, fa1, fa2, fa3, \rm
  FCHECK_S fa0, \res, \flags
.endm
.macro FOP3_D n, op, rm, res, flags, a, b, c
  TEST \n
  FLOAD_D fa1, \a
  FLOAD_D fa2, \b
  FLOAD_D fa3, \c
  csrwi fflags, 0
  \op fa0, fa1, fa2, fa3, \rm
  FCHECK_D fa0, \res, \flags
.endm

/* FSEL_S / FSEL_D n, op, res, flags, a, b — `op fa0, fa1, fa2`, no rounding
 * (fsgnj fsgnjn fsgnjx fmin fmax) */
.macro FSEL_S n, op, res, flags, a, b
  TEST \n
  FLOAD_S fa1, \a
  FLOAD_S fa2, \b
  csrwi fflags, 0
  \op fa0, fa1, fa2
  FCHECK_S fa0, \res, \flags
.endm
.macro FSEL_D n, op, res, flags, a, b
  TEST \n
  FLOAD_D fa1, \a
  FLOAD_D fa2, \b
  csrwi fflags, 0
  \op fa0, fa1, fa2
  FCHECK_D fa0, \res, \flags
.endm

/* FCMP_S / FCMP_D n, op, res, flags, a, b — `op a0, fa1, fa2` (feq flt fle): a0 = 0 or 1 */
.macro FCMP_S n, op, res, flags, a, b
  TEST \n
  FLOAD_S fa1, \a
  FLOAD_S fa2, \b
  li a0, -1
  csrwi fflags, 0
  \op a0, fa1, fa2
  XCHECK \res, \flags
.endm
.macro FCMP_D n, op, res, flags, a, b
  TEST \n
  FLOAD_D fa1, \a
  FLOAD_D fa2, \b
  li a0, -1
  csrwi fflags, 0
  \op a0, fa1, fa2
  XCHECK \res, \flags
.endm

/* FCLASS_S / FCLASS_D n, res, a — `fclass a0, fa1` = res, and no flags */
.macro FCLASS_S n, res, a
  TEST \n
  FLOAD_S fa1, \a
  li a0, -1
  csrwi fflags, 0
  fclass.s a0, fa1
  XCHECK \res, 0
.endm
.macro FCLASS_D n, res, a
  TEST \n
  FLOAD_D fa1, \a
  li a0, -1
  csrwi fflags, 0
  fclass.d a0, fa1
  XCHECK \res, 0
.endm

/* FCVT_XS / FCVT_XD n, op, rm, res, flags, a — `op a0, fa1, rm`: float to integer,
 * res = all 64 bits of a0 (the W forms sign-extend their 32-bit result) */
.macro FCVT_XS n, op, rm, res, flags, a
  TEST \n
  FLOAD_S fa1, \a
  li a0, 0x5555555555555555
  csrwi fflags, 0
  \op a0, fa1, \rm
  XCHECK \res, \flags
.endm
.macro FCVT_XD n, op, rm, res, flags, a
  TEST \n
  FLOAD_D fa1, \a
  li a0, 0x5555555555555555
  csrwi fflags, 0
  \op a0, fa1, \rm
  XCHECK \res, \flags
.endm

/* FCVT_SX / FCVT_DX n, op, rm, res, flags, x — `op fa0, a1, rm`: integer x to float */
.macro FCVT_SX n, op, rm, res, flags, x
  TEST \n
  li a1, \x
  csrwi fflags, 0
  \op fa0, a1, \rm
  FCHECK_S fa0, \res, \flags
.endm
.macro FCVT_DX n, op, rm, res, flags, x
  TEST \n
  li a1, \x
  csrwi fflags, 0
  \op fa0, a1, \rm
  FCHECK_D fa0, \res, \flags
.endm

/* FCVT_DX_EXACT n, op, res, x — `op fa0, a1` (fcvt.d.w fcvt.d.wu: always exact, no
 * rounding mode to give): integer x to double res, and no flags */
.macro FCVT_DX_EXACT n, op, res, x
  TEST \n
  li a1, \x
  csrwi fflags, 0
  \op fa0, a1
  FCHECK_D fa0, \res, 0
.endm

/* FCVT_SD n, rm, res, flags, a — `fcvt.s.d fa0, fa1, rm`: double a to single res */
.macro FCVT_SD n, rm, res, flags, a
  TEST \n
  FLOAD_D fa1, \a
  csrwi fflags, 0
  fcvt.s.d fa0, fa1, \rm
  FCHECK_S fa0, \res, \flags
.endm

/* FCVT_DS n, res, flags, a — `fcvt.d.s fa0, fa1`: single a to double res (exact) */
.macro FCVT_DS n, res, flags, a
  TEST \n
  FLOAD_S fa1, \a
  csrwi fflags, 0
  fcvt.d.s fa0, fa1
  FCHECK_D fa0, \res, \flags
.endm

#endif
