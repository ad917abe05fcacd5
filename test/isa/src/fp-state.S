/* fp-state.S — the F / D state as the privileged architecture sees it (privileged
 * spec 20211203, 3.1.1 and 3.1.6.6): misa has F and D; with mstatus.FS = Off every
 * F / D instruction (c.fld c.fsd c.fldsp c.fsdsp included) and every access to fcsr /
 * frm / fflags is an illegal instruction in M, S and U (mtval = the instruction, rd
 * unchanged); FS holds Off, Initial, Clean and Dirty, sstatus.FS is the same field, and
 * SD (bit 63) reads 1 exactly when FS is Dirty; a write to an f register or to
 * fcsr / frm / fflags (from any mode) turns Initial or Clean into Dirty; changing FS
 * leaves the registers and fcsr as they were. (fp-dirty-flags.S: an instruction that
 * changes only fflags makes FS Dirty too.) */
#include "fp.h"

  .data
  .balign 16
mem:
  .dword 0x3ff0000000000000, 0x3ff0000000000000

  .text
  .globl main
main:
  la s1, mem

  /* misa: F (bit 5) and D (bit 3) */
  TEST 1
  csrr a0, misa
  EXPECT_MASKED a0, (1 << 5) | (1 << 3), (1 << 5) | (1 << 3)
  /* crt.S left FS = Off, so SD = 0 */
  TEST 2
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, 0
  csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, 0

  /* FS = Off: illegal instruction, mtval = the instruction bits, rd unchanged */
/* OFF n, insn — the 32-bit instruction traps as illegal (a0 is kept) */
.macro OFF n, insn:vararg
  li a0, 0x5555555555555555
  TRAPS \n, CAUSE_ILLEGAL, \insn
  lwu t5, 0(s9)
  EXPECT_REG s10, t5
  EXPECT a0, 0x5555555555555555
.endm
/* OFF16 n, insn — the same for a 16-bit instruction */
.macro OFF16 n, insn:vararg
  .option push
  .option rvc
  TRAPS \n, CAUSE_ILLEGAL, \insn
  .option pop
  lhu t5, 0(s9)
  EXPECT_REG s10, t5
.endm
  /* F */
  OFF  3, flw fa0, 0(s1)
  OFF  4, fsw fa0, 0(s1)
  OFF  5, fmadd.s fa0, fa1, fa2, fa3
  OFF  6, fmsub.s fa0, fa1, fa2, fa3, rne
  OFF  7, fnmsub.s fa0, fa1, fa2, fa3, rtz
  OFF  8, fnmadd.s fa0, fa1, fa2, fa3
  OFF  9, fadd.s fa0, fa1, fa2
  OFF 10, fsub.s fa0, fa1, fa2
  OFF 11, fmul.s fa0, fa1, fa2, rup
  OFF 12, fdiv.s fa0, fa1, fa2
  OFF 13, fsqrt.s fa0, fa1
  OFF 14, fsgnj.s fa0, fa1, fa2
  OFF 15, fsgnjn.s fa0, fa1, fa2
  OFF 16, fsgnjx.s fa0, fa1, fa2
  OFF 17, fmin.s fa0, fa1, fa2
  OFF 18, fmax.s fa0, fa1, fa2
  OFF 19, fcvt.w.s a0, fa1
  OFF 20, fcvt.wu.s a0, fa1, rtz
  OFF 21, fcvt.l.s a0, fa1
  OFF 22, fcvt.lu.s a0, fa1
  OFF 23, fmv.x.w a0, fa1
  OFF 24, feq.s a0, fa1, fa2
  OFF 25, flt.s a0, fa1, fa2
  OFF 26, fle.s a0, fa1, fa2
  OFF 27, fclass.s a0, fa1
  OFF 28, fcvt.s.w fa0, a1
  OFF 29, fcvt.s.wu fa0, a1
  OFF 30, fcvt.s.l fa0, a1
  OFF 31, fcvt.s.lu fa0, a1
  OFF 32, fmv.w.x fa0, a1
  /* D */
  OFF 33, fld fa0, 0(s1)
  OFF 34, fsd fa0, 0(s1)
  OFF 35, fmadd.d fa0, fa1, fa2, fa3
  OFF 36, fmsub.d fa0, fa1, fa2, fa3
  OFF 37, fnmsub.d fa0, fa1, fa2, fa3
  OFF 38, fnmadd.d fa0, fa1, fa2, fa3, rmm
  OFF 39, fadd.d fa0, fa1, fa2
  OFF 40, fsub.d fa0, fa1, fa2
  OFF 41, fmul.d fa0, fa1, fa2
  OFF 42, fdiv.d fa0, fa1, fa2, rdn
  OFF 43, fsqrt.d fa0, fa1
  OFF 44, fsgnj.d fa0, fa1, fa2
  OFF 45, fsgnjn.d fa0, fa1, fa2
  OFF 46, fsgnjx.d fa0, fa1, fa2
  OFF 47, fmin.d fa0, fa1, fa2
  OFF 48, fmax.d fa0, fa1, fa2
  OFF 49, fcvt.s.d fa0, fa1
  OFF 50, fcvt.d.s fa0, fa1
  OFF 51, feq.d a0, fa1, fa2
  OFF 52, flt.d a0, fa1, fa2
  OFF 53, fle.d a0, fa1, fa2
  OFF 54, fclass.d a0, fa1
  OFF 55, fcvt.w.d a0, fa1
  OFF 56, fcvt.wu.d a0, fa1
  OFF 57, fcvt.l.d a0, fa1
  OFF 58, fcvt.lu.d a0, fa1
  OFF 59, fmv.x.d a0, fa1
  OFF 60, fcvt.d.w fa0, a1
  OFF 61, fcvt.d.wu fa0, a1
  OFF 62, fcvt.d.l fa0, a1
  OFF 63, fcvt.d.lu fa0, a1
  OFF 64, fmv.d.x fa0, a1
  /* compressed */
  OFF16 65, c.fld fa0, 0(s1)
  OFF16 66, c.fsd fa0, 8(s1)
  OFF16 67, c.fldsp fa0, 0(sp)
  OFF16 68, c.fsdsp fa0, 8(sp)
  /* the FP CSRs, read or written, by any CSR instruction */
  OFF 69, csrr a0, fcsr
  OFF 70, csrr a0, frm
  OFF 71, csrr a0, fflags
  OFF 72, csrw fcsr, a1
  OFF 73, csrw fflags, zero
  OFF 74, csrrs a0, frm, zero
  OFF 75, csrrc a0, fflags, a1
  OFF 76, csrrwi a0, fcsr, 0
  OFF 77, csrrsi a0, frm, 1
  OFF 78, csrrci a0, fflags, 31
  OFF 79, fsrmi RM_RTZ
  /* none of that changed FS */
  TEST 80
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, 0

  /* FS = Off applies to S- and U-mode too (traps taken in M) */
  TEST 81
  ENTER_S 1f
1:
  OFF 82, fadd.d fa0, fa1, fa2
  OFF 83, csrr a0, fflags
  OFF16 84, c.fldsp fa0, 0(sp)
  BACK_TO_M
  TEST 85
  ENTER_U 1f
1:
  OFF 86, fmv.x.w a0, fa1
  OFF 87, fsrm a0, a1
  BACK_TO_M

  /* FS holds each value; SD = (FS == Dirty); sstatus shows the same field */
.macro FS_SET value
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, \value
  csrs mstatus, t0
.endm
.macro FS_IS n, value, sd
  TEST \n
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, \value | \sd
  csrr a0, sstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, \value | \sd
.endm
  FS_SET FS_INITIAL
  FS_IS 88, FS_INITIAL, 0
  FS_SET FS_CLEAN
  FS_IS 89, FS_CLEAN, 0
  FS_SET FS_DIRTY
  FS_IS 90, FS_DIRTY, MSTATUS_SD
  FS_SET FS_OFF
  FS_IS 91, FS_OFF, 0
  TEST 92                              /* written through sstatus */
  li t0, FS_CLEAN
  csrs sstatus, t0
  FS_IS 93, FS_CLEAN, 0
  li t0, MSTATUS_FS
  csrs sstatus, t0
  FS_IS 94, FS_DIRTY, MSTATUS_SD
  csrc sstatus, t0
  FS_IS 95, FS_OFF, 0
  TEST 96                              /* SD is read-only */
  li t0, MSTATUS_SD
  csrs mstatus, t0
  FS_IS 97, FS_OFF, 0

  /* with FS Initial, Clean or Dirty the FP instructions run */
  FS_SET FS_INITIAL
  NOTRAP 98, fsgnj.d fa0, fa1, fa1
  FS_SET FS_CLEAN
  NOTRAP 99, csrr a0, fcsr
  FS_SET FS_DIRTY
  NOTRAP 100, fadd.s fa0, fa1, fa2

  /* any write to the FP state makes FS Dirty and SD 1, from Initial or from Clean */
.macro DIRTIES n, from, insn:vararg
  TEST \n
  FS_SET \from
  li a1, 0x3ff0000000000000
  \insn
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, FS_DIRTY | MSTATUS_SD
.endm
  DIRTIES 101, FS_CLEAN, fmv.w.x fa0, a1
  DIRTIES 102, FS_INITIAL, fmv.w.x fa0, a1
  DIRTIES 103, FS_CLEAN, fmv.d.x fa0, a1
  DIRTIES 104, FS_CLEAN, flw fa0, 0(s1)
  DIRTIES 105, FS_INITIAL, fld fa0, 0(s1)
  .option push
  .option rvc
  DIRTIES 106, FS_CLEAN, c.fld fa0, 0(s1)
  DIRTIES 107, FS_CLEAN, c.fldsp fa0, 0(sp)
  .option pop
  DIRTIES 108, FS_CLEAN, fadd.s fa0, fa1, fa2
  DIRTIES 109, FS_CLEAN, fmadd.d fa0, fa0, fa0, fa0
  DIRTIES 110, FS_CLEAN, fsqrt.d fa0, fa0
  DIRTIES 111, FS_CLEAN, fsgnj.s fa0, fa1, fa2
  DIRTIES 112, FS_CLEAN, fmin.d fa0, fa0, fa0
  DIRTIES 113, FS_CLEAN, fcvt.s.w fa0, a1
  DIRTIES 114, FS_CLEAN, fcvt.d.lu fa0, a1
  DIRTIES 115, FS_CLEAN, fcvt.s.d fa0, fa0
  DIRTIES 116, FS_CLEAN, fcvt.d.s fa0, fa0
  DIRTIES 117, FS_CLEAN, csrw fcsr, zero
  DIRTIES 118, FS_INITIAL, csrw fflags, zero
  DIRTIES 119, FS_CLEAN, csrw frm, zero
  DIRTIES 120, FS_CLEAN, csrsi fflags, NX
  DIRTIES 121, FS_CLEAN, csrrwi a0, fcsr, 0
  DIRTIES 122, FS_CLEAN, fsrmi RM_RNE
  DIRTIES 123, FS_CLEAN, fsflags a1
  /* ... also from S- and U-mode */
  TEST 124
  FS_SET FS_CLEAN
  ENTER_S 1f
1:
  fmv.d.x fa0, a1
  csrr a0, sstatus
  BACK_TO_M
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, FS_DIRTY | MSTATUS_SD
  TEST 125
  FS_SET FS_INITIAL
  ENTER_U 1f
1:
  fdiv.d fa0, fa0, fa0
  BACK_TO_M
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, FS_DIRTY | MSTATUS_SD
  TEST 126
  FS_SET FS_CLEAN
  ENTER_U 1f
1:
  csrwi frm, RM_RUP
  BACK_TO_M
  csrr a0, mstatus
  EXPECT_MASKED a0, MSTATUS_FS | MSTATUS_SD, FS_DIRTY | MSTATUS_SD

  /* changing FS does not change the state (3.1.6.6): Off keeps it, Initial does not
   * clear it */
  TEST 127
  FS_SET FS_DIRTY
  li a1, 0x0123456789abcdef
  fmv.d.x fs3, a1
  li a1, 0xe3
  csrw fcsr, a1
  FS_SET FS_OFF
  FS_SET FS_INITIAL
  fmv.x.d a0, fs3
  EXPECT a0, 0x0123456789abcdef
  EXPECT_CSR fcsr, 0xe3
  FS_SET FS_OFF
  FS_SET FS_CLEAN
  fmv.x.d a0, fs3
  EXPECT a0, 0x0123456789abcdef
  EXPECT_CSR fcsr, 0xe3

  PASS
