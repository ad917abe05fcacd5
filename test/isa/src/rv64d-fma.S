/* rv64d-fma.S — the fused multiply-adds fmadd.d fmsub.d fnmsub.d fnmadd.d:
 * which terms each negates (fnmadd = -(a*b) - c), a single rounding of the exact
 * a*b + c (no intermediate rounding or overflow), ties under every static and dynamic
 * rounding mode, the signs of zero results, 0 * inf invalid even with a quiet NaN
 * addend (unprivileged spec 20191213, 11.6), inf - inf, NaN operands giving the
 * canonical NaN, overflow and underflow with tininess detected after rounding. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON

  /* fmadd fmsub fnmsub fnmadd: which signs each negates */
  /* fmadd(2, 3, 1) = 7 */
  FOP3_D      1, fmadd.d, rne, 0x401c000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000
  /* fmsub(2, 3, 1) = 5 */
  FOP3_D      2, fmsub.d, rne, 0x4014000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000
  /* fnmsub(2, 3, 1) = -5 */
  FOP3_D      3, fnmsub.d, rne, 0xc014000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000
  /* fnmadd(2, 3, 1) = -7 */
  FOP3_D      4, fnmadd.d, rne, 0xc01c000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000
  /* fmadd(-2, 3, 0.5) = -5.5 */
  FOP3_D      5, fmadd.d, rne, 0xc016000000000000, 0, 0xc000000000000000, 0x4008000000000000, 0x3fe0000000000000
  /* fmsub(-2, 3, 0.5) = -6.5 */
  FOP3_D      6, fmsub.d, rne, 0xc01a000000000000, 0, 0xc000000000000000, 0x4008000000000000, 0x3fe0000000000000
  /* fnmsub(-2, 3, 0.5) = 6.5 */
  FOP3_D      7, fnmsub.d, rne, 0x401a000000000000, 0, 0xc000000000000000, 0x4008000000000000, 0x3fe0000000000000
  /* fnmadd(-2, 3, 0.5) = 5.5 */
  FOP3_D      8, fnmadd.d, rne, 0x4016000000000000, 0, 0xc000000000000000, 0x4008000000000000, 0x3fe0000000000000

  /* fused: one rounding only */
  /* (1 + 2^-26)(1 + 2^-27) - 1: exact (rounding the product first would lose 2^-53) */
  FOP3_D      9, fmadd.d, rne, 0x3e58000002000000, 0, 0x3ff0000004000000, 0x3ff0000002000000, 0xbff0000000000000
  /* fmsub(0x1.0000004p+0, 0x1.0000002p+0, 1) = 0x1.8000002p-26 */
  FOP3_D     10, fmsub.d, rne, 0x3e58000002000000, 0, 0x3ff0000004000000, 0x3ff0000002000000, 0x3ff0000000000000
  /* fnmadd(0x1.0000004p+0, 0x1.0000002p+0, -1) = -0x1.8000002p-26 */
  FOP3_D     11, fnmadd.d, rne, 0xbe58000002000000, 0, 0x3ff0000004000000, 0x3ff0000002000000, 0xbff0000000000000
  /* max * 2 - max = max: the product does not overflow */
  FOP3_D     12, fmadd.d, rne, 0x7fefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff
  /* fnmsub(max, 2, max) = -max */
  FOP3_D     13, fnmsub.d, rne, 0xffefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff
  /* (1/3 rounded) * 3 - 1: the rounding error of 1/3, exactly */
  FOP3_D     14, fmadd.d, rne, 0xbc90000000000000, 0, 0x3fd5555555555555, 0x4008000000000000, 0xbff0000000000000

  /* fused: ties under each rounding mode */
  /* 1 * 1 + 2^-53: a tie (rne) */
  FOP3_D     15, fmadd.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 * 1 + 2^-53: a tie (rtz) */
  FOP3_D     16, fmadd.d, rtz, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 * 1 + 2^-53: a tie (rdn) */
  FOP3_D     17, fmadd.d, rdn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 * 1 + 2^-53: a tie (rup) */
  FOP3_D     18, fmadd.d, rup, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  /* 1 * 1 + 2^-53: a tie (rmm) */
  FOP3_D     19, fmadd.d, rmm, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  fsrmi RM_RNE
  /* -(1 * 1) - 2^-53: a tie, frm = RNE */
  FOP3_D     20, fnmadd.d, dyn, 0xbff0000000000000, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  fsrmi RM_RTZ
  /* -(1 * 1) - 2^-53: a tie, frm = RTZ */
  FOP3_D     21, fnmadd.d, dyn, 0xbff0000000000000, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  fsrmi RM_RDN
  /* -(1 * 1) - 2^-53: a tie, frm = RDN */
  FOP3_D     22, fnmadd.d, dyn, 0xbff0000000000001, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  fsrmi RM_RUP
  /* -(1 * 1) - 2^-53: a tie, frm = RUP */
  FOP3_D     23, fnmadd.d, dyn, 0xbff0000000000000, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  fsrmi RM_RMM
  /* -(1 * 1) - 2^-53: a tie, frm = RMM */
  FOP3_D     24, fnmadd.d, dyn, 0xbff0000000000001, NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000
  /* (1 + 2^-26)(1 + 2^-27) - 2^-52: a tie (rne) */
  FOP3_D     25, fmsub.d, rne, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cb0000000000000
  /* fnmsub(0x1.0000004p+0, 0x1.0000002p+0, 2^-52) = -0x1.0000006p+0 */
  FOP3_D     26, fnmsub.d, rne, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cb0000000000000
  /* (1 + 2^-26)(1 + 2^-27) - 2^-52: a tie (rmm) */
  FOP3_D     27, fmsub.d, rmm, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cb0000000000000
  /* fnmsub(0x1.0000004p+0, 0x1.0000002p+0, 2^-52) = -0x1.0000006p+0 */
  FOP3_D     28, fnmsub.d, rmm, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cb0000000000000

  /* fused: signed zeros */
  /* fmadd(+0, 1, +0) = +0 */
  FOP3_D     29, fmadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fmadd(+0, 1, -0) = +0 */
  FOP3_D     30, fmadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000
  /* fmadd(+0, 1, -0) = -0 */
  FOP3_D     31, fmadd.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000
  /* fmadd(-0, 1, -0) = -0 */
  FOP3_D     32, fmadd.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000
  /* fmsub(+0, 1, +0) = +0 */
  FOP3_D     33, fmsub.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fmsub(+0, 1, +0) = -0 */
  FOP3_D     34, fmsub.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fmsub(-0, 1, +0) = -0 */
  FOP3_D     35, fmsub.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fnmsub(+0, 1, +0) = +0 */
  FOP3_D     36, fnmsub.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fnmsub(+0, 1, +0) = -0 */
  FOP3_D     37, fnmsub.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fnmsub(+0, 1, -0) = -0 */
  FOP3_D     38, fnmsub.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000
  /* fnmadd(+0, 1, +0) = -0 */
  FOP3_D     39, fnmadd.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fnmadd(-0, 1, +0) = +0 */
  FOP3_D     40, fnmadd.d, rne, 0x0000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000
  /* fmadd(1, 1, -1) = +0 */
  FOP3_D     41, fmadd.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000
  /* fmadd(1, 1, -1) = -0 */
  FOP3_D     42, fmadd.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000
  /* min subnormal squared + -0: underflows to +0 */
  FOP3_D     43, fmadd.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x0000000000000001, 0x8000000000000000
  /* fmadd(-min subnormal, min subnormal, +0) = -0 */
  FOP3_D     44, fmadd.d, rne, 0x8000000000000000, UF|NX, 0x8000000000000001, 0x0000000000000001, 0x0000000000000000

  /* fused: invalid operations and NaNs (0 * inf is invalid even with a quiet NaN addend) */
  /* fmadd(+0, +inf, 1) = qNaN */
  FOP3_D     45, fmadd.d, rne, 0x7ff8000000000000, NV, 0x0000000000000000, 0x7ff0000000000000, 0x3ff0000000000000
  /* fmadd(+inf, +0, qNaN) = qNaN */
  FOP3_D     46, fmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000
  /* fnmadd(-0, -inf, qNaN(0x12345)) = qNaN */
  FOP3_D     47, fnmadd.d, rne, 0x7ff8000000000000, NV, 0x8000000000000000, 0xfff0000000000000, 0x7ff8000000012345
  /* fmadd(+inf, 1, -inf) = qNaN */
  FOP3_D     48, fmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000
  /* fmsub(+inf, 1, +inf) = qNaN */
  FOP3_D     49, fmsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000
  /* fnmsub(+inf, 1, +inf) = qNaN */
  FOP3_D     50, fnmsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000
  /* fnmadd(+inf, 1, -inf) = qNaN */
  FOP3_D     51, fnmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000
  /* fmadd(+inf, 1, +inf) = +inf */
  FOP3_D     52, fmadd.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000
  /* fnmadd(+inf, 1, +inf) = -inf */
  FOP3_D     53, fnmadd.d, rne, 0xfff0000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000
  /* fmadd(1, max, -inf) = -inf */
  FOP3_D     54, fmadd.d, rne, 0xfff0000000000000, 0, 0x3ff0000000000000, 0x7fefffffffffffff, 0xfff0000000000000
  /* fmadd(qNaN, 1, 1) = qNaN */
  FOP3_D     55, fmadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000
  /* fmadd(1, 1, sNaN) = qNaN */
  FOP3_D     56, fmadd.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001
  /* fmsub(1, sNaN(0x4000000002345), +inf) = qNaN */
  FOP3_D     57, fmsub.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0x7ff4000000002345, 0x7ff0000000000000
  /* fnmsub(1, qNaN, +inf) = qNaN */
  FOP3_D     58, fnmsub.d, rne, 0x7ff8000000000000, 0, 0x3ff0000000000000, 0x7ff8000000000000, 0x7ff0000000000000

  /* fused: overflow and underflow */
  /* fmadd(max, max, 1) = +inf */
  FOP3_D     59, fmadd.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000
  /* fmadd(max, max, 1) = max */
  FOP3_D     60, fmadd.d, rtz, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000
  /* fmadd(max, max, 1) = +inf */
  FOP3_D     61, fmadd.d, rup, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000
  /* fmadd(max, max, 1) = max */
  FOP3_D     62, fmadd.d, rdn, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000
  /* fnmadd(max, max, 1) = -max */
  FOP3_D     63, fnmadd.d, rtz, 0xffefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000
  /* product min normal * (1 - 2^-54) + 0: rounds to min normal, not tiny after rounding */
  FOP3_D     64, fmadd.d, rne, 0x0010000000000000, NX, 0x3f6ffffffc000000, 0x0090000002000000, 0x0000000000000000
  /* min normal - min subnormal / 4: rounds to min normal, not tiny after rounding */
  FOP3_D     65, fmadd.d, rne, 0x0010000000000000, NX, 0x0000000000000001, 0xbfd0000000000000, 0x0010000000000000
  /* fmadd(min subnormal, -0.25, min normal) = max subnormal */
  FOP3_D     66, fmadd.d, rtz, 0x000fffffffffffff, UF|NX, 0x0000000000000001, 0xbfd0000000000000, 0x0010000000000000
  /* fmadd(min subnormal, -0.25, min normal) = min normal */
  FOP3_D     67, fmadd.d, rup, 0x0010000000000000, NX, 0x0000000000000001, 0xbfd0000000000000, 0x0010000000000000
  /* min subnormal * 3/4 - min normal: tiny after rounding in the unbounded exponent */
  FOP3_D     68, fmsub.d, rne, 0x800fffffffffffff, UF|NX, 0x0000000000000001, 0x3fe8000000000000, 0x0010000000000000
  /* -min normal * (1 - 2^-53): tiny after rounding, yet the subnormal rounding gives -min normal */
  FOP3_D     69, fmadd.d, rne, 0x8010000000000000, UF|NX, 0x0010000000000000, 0xbfefffffffffffff, 0x0000000000000000
  /* fmadd(min normal, 0.5, min subnormal) = 0x0.8000000000001p-1022 */
  FOP3_D     70, fmadd.d, rne, 0x0008000000000001, 0, 0x0010000000000000, 0x3fe0000000000000, 0x0000000000000001
  /* fmadd(min subnormal, 0.5, +0) = +0 */
  FOP3_D     71, fmadd.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000

  PASS
