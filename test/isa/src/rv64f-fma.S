/* rv64f-fma.S — the fused multiply-adds fmadd.s fmsub.s fnmsub.s fnmadd.s:
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
  FOP3_S      1, fmadd.s, rne, 0x40e00000, 0, 0x40000000, 0x40400000, 0x3f800000
  /* fmsub(2, 3, 1) = 5 */
  FOP3_S      2, fmsub.s, rne, 0x40a00000, 0, 0x40000000, 0x40400000, 0x3f800000
  /* fnmsub(2, 3, 1) = -5 */
  FOP3_S      3, fnmsub.s, rne, 0xc0a00000, 0, 0x40000000, 0x40400000, 0x3f800000
  /* fnmadd(2, 3, 1) = -7 */
  FOP3_S      4, fnmadd.s, rne, 0xc0e00000, 0, 0x40000000, 0x40400000, 0x3f800000
  /* fmadd(-2, 3, 0.5) = -5.5 */
  FOP3_S      5, fmadd.s, rne, 0xc0b00000, 0, 0xc0000000, 0x40400000, 0x3f000000
  /* fmsub(-2, 3, 0.5) = -6.5 */
  FOP3_S      6, fmsub.s, rne, 0xc0d00000, 0, 0xc0000000, 0x40400000, 0x3f000000
  /* fnmsub(-2, 3, 0.5) = 6.5 */
  FOP3_S      7, fnmsub.s, rne, 0x40d00000, 0, 0xc0000000, 0x40400000, 0x3f000000
  /* fnmadd(-2, 3, 0.5) = 5.5 */
  FOP3_S      8, fnmadd.s, rne, 0x40b00000, 0, 0xc0000000, 0x40400000, 0x3f000000

  /* fused: one rounding only */
  /* (1 + 2^-12)(1 + 2^-12) - 1: exact (rounding the product first would lose 2^-24) */
  FOP3_S      9, fmadd.s, rne, 0x3a000400, 0, 0x3f800800, 0x3f800800, 0xbf800000
  /* fmsub(0x1.001p+0, 0x1.001p+0, 1) = 0x1.0008p-11 */
  FOP3_S     10, fmsub.s, rne, 0x3a000400, 0, 0x3f800800, 0x3f800800, 0x3f800000
  /* fnmadd(0x1.001p+0, 0x1.001p+0, -1) = -0x1.0008p-11 */
  FOP3_S     11, fnmadd.s, rne, 0xba000400, 0, 0x3f800800, 0x3f800800, 0xbf800000
  /* max * 2 - max = max: the product does not overflow */
  FOP3_S     12, fmadd.s, rne, 0x7f7fffff, 0, 0x7f7fffff, 0x40000000, 0xff7fffff
  /* fnmsub(max, 2, max) = -max */
  FOP3_S     13, fnmsub.s, rne, 0xff7fffff, 0, 0x7f7fffff, 0x40000000, 0x7f7fffff
  /* (1/3 rounded) * 3 - 1: the rounding error of 1/3, exactly */
  FOP3_S     14, fmadd.s, rne, 0x33000000, 0, 0x3eaaaaab, 0x40400000, 0xbf800000

  /* fused: ties under each rounding mode */
  /* 1 * 1 + 2^-24: a tie (rne) */
  FOP3_S     15, fmadd.s, rne, 0x3f800000, NX, 0x3f800000, 0x3f800000, 0x33800000
  /* 1 * 1 + 2^-24: a tie (rtz) */
  FOP3_S     16, fmadd.s, rtz, 0x3f800000, NX, 0x3f800000, 0x3f800000, 0x33800000
  /* 1 * 1 + 2^-24: a tie (rdn) */
  FOP3_S     17, fmadd.s, rdn, 0x3f800000, NX, 0x3f800000, 0x3f800000, 0x33800000
  /* 1 * 1 + 2^-24: a tie (rup) */
  FOP3_S     18, fmadd.s, rup, 0x3f800001, NX, 0x3f800000, 0x3f800000, 0x33800000
  /* 1 * 1 + 2^-24: a tie (rmm) */
  FOP3_S     19, fmadd.s, rmm, 0x3f800001, NX, 0x3f800000, 0x3f800000, 0x33800000
  fsrmi RM_RNE
  /* -(1 * 1) - 2^-24: a tie, frm = RNE */
  FOP3_S     20, fnmadd.s, dyn, 0xbf800000, NX, 0x3f800000, 0x3f800000, 0x33800000
  fsrmi RM_RTZ
  /* -(1 * 1) - 2^-24: a tie, frm = RTZ */
  FOP3_S     21, fnmadd.s, dyn, 0xbf800000, NX, 0x3f800000, 0x3f800000, 0x33800000
  fsrmi RM_RDN
  /* -(1 * 1) - 2^-24: a tie, frm = RDN */
  FOP3_S     22, fnmadd.s, dyn, 0xbf800001, NX, 0x3f800000, 0x3f800000, 0x33800000
  fsrmi RM_RUP
  /* -(1 * 1) - 2^-24: a tie, frm = RUP */
  FOP3_S     23, fnmadd.s, dyn, 0xbf800000, NX, 0x3f800000, 0x3f800000, 0x33800000
  fsrmi RM_RMM
  /* -(1 * 1) - 2^-24: a tie, frm = RMM */
  FOP3_S     24, fnmadd.s, dyn, 0xbf800001, NX, 0x3f800000, 0x3f800000, 0x33800000
  /* (1 + 2^-12)(1 + 2^-12) - 2^-23: a tie (rne) */
  FOP3_S     25, fmsub.s, rne, 0x3f801000, NX, 0x3f800800, 0x3f800800, 0x34000000
  /* fnmsub(0x1.001p+0, 0x1.001p+0, 2^-23) = -0x1.002p+0 */
  FOP3_S     26, fnmsub.s, rne, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x34000000
  /* (1 + 2^-12)(1 + 2^-12) - 2^-23: a tie (rmm) */
  FOP3_S     27, fmsub.s, rmm, 0x3f801000, NX, 0x3f800800, 0x3f800800, 0x34000000
  /* fnmsub(0x1.001p+0, 0x1.001p+0, 2^-23) = -0x1.002p+0 */
  FOP3_S     28, fnmsub.s, rmm, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x34000000

  /* fused: signed zeros */
  /* fmadd(+0, 1, +0) = +0 */
  FOP3_S     29, fmadd.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x00000000
  /* fmadd(+0, 1, -0) = +0 */
  FOP3_S     30, fmadd.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x80000000
  /* fmadd(+0, 1, -0) = -0 */
  FOP3_S     31, fmadd.s, rdn, 0x80000000, 0, 0x00000000, 0x3f800000, 0x80000000
  /* fmadd(-0, 1, -0) = -0 */
  FOP3_S     32, fmadd.s, rne, 0x80000000, 0, 0x80000000, 0x3f800000, 0x80000000
  /* fmsub(+0, 1, +0) = +0 */
  FOP3_S     33, fmsub.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x00000000
  /* fmsub(+0, 1, +0) = -0 */
  FOP3_S     34, fmsub.s, rdn, 0x80000000, 0, 0x00000000, 0x3f800000, 0x00000000
  /* fmsub(-0, 1, +0) = -0 */
  FOP3_S     35, fmsub.s, rne, 0x80000000, 0, 0x80000000, 0x3f800000, 0x00000000
  /* fnmsub(+0, 1, +0) = +0 */
  FOP3_S     36, fnmsub.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x00000000
  /* fnmsub(+0, 1, +0) = -0 */
  FOP3_S     37, fnmsub.s, rdn, 0x80000000, 0, 0x00000000, 0x3f800000, 0x00000000
  /* fnmsub(+0, 1, -0) = -0 */
  FOP3_S     38, fnmsub.s, rne, 0x80000000, 0, 0x00000000, 0x3f800000, 0x80000000
  /* fnmadd(+0, 1, +0) = -0 */
  FOP3_S     39, fnmadd.s, rne, 0x80000000, 0, 0x00000000, 0x3f800000, 0x00000000
  /* fnmadd(-0, 1, +0) = +0 */
  FOP3_S     40, fnmadd.s, rne, 0x00000000, 0, 0x80000000, 0x3f800000, 0x00000000
  /* fmadd(1, 1, -1) = +0 */
  FOP3_S     41, fmadd.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000, 0xbf800000
  /* fmadd(1, 1, -1) = -0 */
  FOP3_S     42, fmadd.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000, 0xbf800000
  /* min subnormal squared + -0: underflows to +0 */
  FOP3_S     43, fmadd.s, rne, 0x00000000, UF|NX, 0x00000001, 0x00000001, 0x80000000
  /* fmadd(-min subnormal, min subnormal, +0) = -0 */
  FOP3_S     44, fmadd.s, rne, 0x80000000, UF|NX, 0x80000001, 0x00000001, 0x00000000

  /* fused: invalid operations and NaNs (0 * inf is invalid even with a quiet NaN addend) */
  /* fmadd(+0, +inf, 1) = qNaN */
  FOP3_S     45, fmadd.s, rne, 0x7fc00000, NV, 0x00000000, 0x7f800000, 0x3f800000
  /* fmadd(+inf, +0, qNaN) = qNaN */
  FOP3_S     46, fmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x00000000, 0x7fc00000
  /* fnmadd(-0, -inf, qNaN(0x12345)) = qNaN */
  FOP3_S     47, fnmadd.s, rne, 0x7fc00000, NV, 0x80000000, 0xff800000, 0x7fc12345
  /* fmadd(+inf, 1, -inf) = qNaN */
  FOP3_S     48, fmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0xff800000
  /* fmsub(+inf, 1, +inf) = qNaN */
  FOP3_S     49, fmsub.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0x7f800000
  /* fnmsub(+inf, 1, +inf) = qNaN */
  FOP3_S     50, fnmsub.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0x7f800000
  /* fnmadd(+inf, 1, -inf) = qNaN */
  FOP3_S     51, fnmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0xff800000
  /* fmadd(+inf, 1, +inf) = +inf */
  FOP3_S     52, fmadd.s, rne, 0x7f800000, 0, 0x7f800000, 0x3f800000, 0x7f800000
  /* fnmadd(+inf, 1, +inf) = -inf */
  FOP3_S     53, fnmadd.s, rne, 0xff800000, 0, 0x7f800000, 0x3f800000, 0x7f800000
  /* fmadd(1, max, -inf) = -inf */
  FOP3_S     54, fmadd.s, rne, 0xff800000, 0, 0x3f800000, 0x7f7fffff, 0xff800000
  /* fmadd(qNaN, 1, 1) = qNaN */
  FOP3_S     55, fmadd.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x3f800000, 0x3f800000
  /* fmadd(1, 1, sNaN) = qNaN */
  FOP3_S     56, fmadd.s, rne, 0x7fc00000, NV, 0x3f800000, 0x3f800000, 0x7f800001
  /* fmsub(1, sNaN(0x202345), +inf) = qNaN */
  FOP3_S     57, fmsub.s, rne, 0x7fc00000, NV, 0x3f800000, 0x7fa02345, 0x7f800000
  /* fnmsub(1, qNaN, +inf) = qNaN */
  FOP3_S     58, fnmsub.s, rne, 0x7fc00000, 0, 0x3f800000, 0x7fc00000, 0x7f800000

  /* fused: overflow and underflow */
  /* fmadd(max, max, 1) = +inf */
  FOP3_S     59, fmadd.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x7f7fffff, 0x3f800000
  /* fmadd(max, max, 1) = max */
  FOP3_S     60, fmadd.s, rtz, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x7f7fffff, 0x3f800000
  /* fmadd(max, max, 1) = +inf */
  FOP3_S     61, fmadd.s, rup, 0x7f800000, OF|NX, 0x7f7fffff, 0x7f7fffff, 0x3f800000
  /* fmadd(max, max, 1) = max */
  FOP3_S     62, fmadd.s, rdn, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x7f7fffff, 0x3f800000
  /* fnmadd(max, max, 1) = -max */
  FOP3_S     63, fnmadd.s, rtz, 0xff7fffff, OF|NX, 0x7f7fffff, 0x7f7fffff, 0x3f800000
  /* product min normal * (1 - 2^-25) + 0: rounds to min normal, not tiny after rounding */
  FOP3_S     64, fmadd.s, rne, 0x00800000, NX, 0x3b612000, 0x04918e00, 0x00000000
  /* min normal - min subnormal / 4: rounds to min normal, not tiny after rounding */
  FOP3_S     65, fmadd.s, rne, 0x00800000, NX, 0x00000001, 0xbe800000, 0x00800000
  /* fmadd(min subnormal, -0.25, min normal) = max subnormal */
  FOP3_S     66, fmadd.s, rtz, 0x007fffff, UF|NX, 0x00000001, 0xbe800000, 0x00800000
  /* fmadd(min subnormal, -0.25, min normal) = min normal */
  FOP3_S     67, fmadd.s, rup, 0x00800000, NX, 0x00000001, 0xbe800000, 0x00800000
  /* min subnormal * 3/4 - min normal: tiny after rounding in the unbounded exponent */
  FOP3_S     68, fmsub.s, rne, 0x807fffff, UF|NX, 0x00000001, 0x3f400000, 0x00800000
  /* -min normal * (1 - 2^-24): tiny after rounding, yet the subnormal rounding gives -min normal */
  FOP3_S     69, fmadd.s, rne, 0x80800000, UF|NX, 0x00800000, 0xbf7fffff, 0x00000000
  /* fmadd(min normal, 0.5, min subnormal) = 0x1.000004p-127 */
  FOP3_S     70, fmadd.s, rne, 0x00400001, 0, 0x00800000, 0x3f000000, 0x00000001
  /* fmadd(min subnormal, 0.5, +0) = +0 */
  FOP3_S     71, fmadd.s, rne, 0x00000000, UF|NX, 0x00000001, 0x3f000000, 0x00000000

  PASS
