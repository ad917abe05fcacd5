/* fp-dirty-flags.S — an instruction that changes only fflags (it writes an x
 * register, or no register at all) still changes the F state, so mstatus.FS must go
 * from Initial or Clean to Dirty and SD to 1 (privileged spec 20211203, 3.1.6.6: FS
 * covers f0-f31 and fcsr / frm / fflags, and Clean means "matches the last value
 * stored on a context swap"; were FS left Clean, a context switch would lose the
 * flags).
 *
 * Lantern only: QEMU 7.2 marks FS Dirty when an f register or an FP CSR is written,
 * but leaves it Clean (or Initial) when fcvt to an integer, feq, flt or fle raise a
 * flag into fflags: every check below but the first fails there, so
 * test/isa/isa.test.ts does not run this program under QEMU. fp-state.S holds
 * everything QEMU agrees with. */
#include "fp.h"

  .text
  .globl main
main:
  FP_ON
  TEST 1                               /* the operands */
  FLOAD_S fs1, 0x3fc00000              /* 1.5 */
  FLOAD_S fs2, 0x7f800001              /* a signalling NaN */
  FLOAD_D fs3, 0x7ff8000000000000      /* a quiet NaN */
  FLOAD_D fs4, 0x43f0000000000000      /* 2^64 */

.macro FS_SET value
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, \value
  csrs mstatus, t0
.endm
/* FLAGS_DIRTY n, from, flags, insn — FS = from and fflags = 0, then insn raises
 * exactly flags into fflags and FS must be Dirty, SD 1 */
.macro FLAGS_DIRTY n, from, flags, insn:vararg
  TEST \n
  csrwi fflags, 0
  FS_SET \from
  \insn
  csrr a0, mstatus
  frflags a1
  EXPECT a1, \flags
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, FS_DIRTY | MSTATUS_SD
.endm
  FLAGS_DIRTY 2, FS_CLEAN, NX, fcvt.w.s a0, fs1, rtz
  FLAGS_DIRTY 3, FS_INITIAL, NX, fcvt.l.s a0, fs1
  FLAGS_DIRTY 4, FS_CLEAN, NV, fcvt.lu.d a0, fs4, rtz
  FLAGS_DIRTY 5, FS_CLEAN, NV, feq.s a0, fs2, fs1
  FLAGS_DIRTY 6, FS_CLEAN, NV, flt.d a0, fs3, fs3
  FLAGS_DIRTY 7, FS_INITIAL, NV, fle.s a0, fs1, fs2

  PASS
