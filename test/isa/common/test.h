/* test.h — scaffolding shared by the Lantern ISA programs of both widths (RV64 and RV32).
 *
 * One file serves test/isa/src/*.S and test/isa/rv32/src/*.S: what differs is chosen by
 * `#if __riscv_xlen == 32` (gcc defines __riscv_xlen from -march), so that a program
 * reads the same at either XLEN. Every program is linked with common/crt.S, which
 * starts at 0x80000000 in M-mode, installs the trap handlers below, opens PMP for S/U
 * and calls `main`. `main` runs
 * numbered checks and ends with PASS; the first failing check jumps to `fail`, which
 * reports its number through HTIF: tohost = (n << 1) | 1, so the host (QEMU's spike
 * machine or Lantern) exits with status n; status 0 means every check passed.
 *
 * HTIF on RV32: tohost is an 8-byte word written as two 32-bit stores, the low word
 * first and then the high word. QEMU 7.2 (hw/char/riscv_htif.c) latches the low word
 * while tohost is 0 and acts on the write of the high word; the other order hangs.
 *
 * Register conventions (the checks must leave these alone):
 *   gp      number of the current check (set by TEST; on RV64 255 before the first,
 *           so that a trap there fails too)
 *   t5, t6  scratch of the macros and trap handlers; never live across a check
 *   s6      level of the handler that took the last trap (3 = M, 1 = S)
 *   s7      where the next trap resumes (0 = no trap expected: any trap fails the
 *           current check). Bit 0 set: resume in the handler's own mode (M for
 *           trap_m, S for trap_s, with MIE / SIE = 0) instead of the interrupted
 *           mode. Cleared by a trap.
 *   s8..s11 cause, epc, tval and status (mstatus / sstatus) recorded by the last trap
 * On an interrupt the handler also clears the cause's bit in mie (or sie) and MPIE
 * (or SPIE), so that returning takes neither the same interrupt again nor, when it
 * returns to its own mode, any other.
 *
 * Check numbers must increase within a file and stay below 256 (a process exit
 * status keeps only 8 bits: check 256 would read as a pass).
 *
 * Where QEMU 7.2 contradicts the RISC-V specifications, an RV32 check asks for what the
 * specification says and names QEMU's behaviour apart, through EXPECT_SPEC (below):
 * test/isa/rv32/build.sh makes every program twice, build/<name>.elf accepting QEMU
 * 7.2's deviations too (the one QEMU runs) and build/strict/<name>.elf (ISA_STRICT
 * defined) accepting only the specification (the one Lantern runs).
 *
 * Built with ISA_DEBUG defined (ISA_DEBUG=1 test/isa/build.sh, or
 * test/isa/rv32/build.sh), a failing program
 * also prints the check number, s6, s8..s11 and a0..a2 on the HTIF console.
 */

#ifndef LANTERN_ISA_TEST_H
#define LANTERN_ISA_TEST_H

/* mstatus / sstatus fields (privileged spec 1.12, section 3.1.6); on RV32 SD is bit 31,
 * and MBE / SBE live in mstatush (bits 5 and 4 there); there are no SXL / UXL. */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_VS    (3 << 9)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)
#define MSTATUS_XS    (3 << 15)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#if __riscv_xlen == 32
#define MSTATUS_SD    (1 << 31)
#define MSTATUSH_SBE  (1 << 4)
#define MSTATUSH_MBE  (1 << 5)
#else
#define MSTATUS_UXL   (3 << 32)
#define MSTATUS_SXL   (3 << 34)
#define MSTATUS_SD    (1 << 63)
#endif

/* exception codes (mcause with bit XLEN-1 clear, section 3.1.15) */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15

/* interrupt numbers (mip / mie bits, and mcause codes with bit XLEN-1 set) */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#if __riscv_xlen == 32
#define INTERRUPT_BIT (1 << 31)
#else
#define INTERRUPT_BIT (1 << 63)
#endif

/* the QEMU spike machine's CLINT (hart 0); mtime and mtimecmp are 64-bit registers,
 * reached from RV32 as two 32-bit words (low word at the lower address) */
#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200BFF8

/* page-table entry bits (section 4.3.1) and satp modes (section 4.1.11: on RV32 satp
 * is MODE (bit 31), ASID (bits 30:22), PPN (bits 21:0)) */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define SATP_MODE_BARE 0
#if __riscv_xlen == 32
#define SATP_MODE_SV32 1
#define SATP32_MODE    (1 << 31)
#define SATP32_ASID    (0x1ff << 22)
#define SATP32_PPN     0x3fffff
#else
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_MODE_SV57 10
#endif

/* pmpcfg fields (section 3.7.1) */
#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

.option norvc            /* predictable 4-byte encodings; rvc.S / rv32c.S opt back in */
#if __riscv_xlen == 32
.option norelax          /* and no linker relaxation: on RV32 it would turn `call`
                            into a 2-byte c.jal even in norvc code */
#endif

.set __last_test, 0

/* TEST n — start check number n (1..255, increasing within the file). */
.macro TEST n
  .if (\n) <= __last_test
    .error "TEST numbers must increase"
  .endif
  .if (\n) > 255
    .error "TEST numbers must stay below 256 (8-bit exit status)"
  .endif
  .set __last_test, (\n)
  li gp, \n
.endm

/* EXPECT reg, value — fail the current check unless reg == value (XLEN-bit values). */
.macro EXPECT reg, value
  li t6, \value
  beq \reg, t6, .Lexpect_ok\@
  j fail
.Lexpect_ok\@:
.endm

/* EXPECT_SPEC reg, spec, qemu72 — fail unless reg == spec, the value the RISC-V
 * specifications call for; QEMU 7.2 gives qemu72 instead, which is accepted too except
 * in the strict build (ISA_STRICT). Every use says in a comment where the two part. */
.macro EXPECT_SPEC reg, spec, qemu72
#ifndef ISA_STRICT
  li t6, \qemu72
  beq \reg, t6, .Lexpect_qemu72\@
#endif
  EXPECT \reg, \spec
.Lexpect_qemu72\@:
.endm

/* EXPECT_REG a, b — fail unless register a == register b. */
.macro EXPECT_REG a, b
  beq \a, \b, .Lexpect_ok\@
  j fail
.Lexpect_ok\@:
.endm

/* EXPECT_MASKED reg, mask, value — fail unless (reg & mask) == value (clobbers t5). */
.macro EXPECT_MASKED reg, mask, value
  li t5, \mask
  and t5, \reg, t5
  EXPECT t5, \value
.endm

/* EXPECT_CSR csr, value — fail unless the CSR reads value (clobbers t5). */
.macro EXPECT_CSR csr, value
  csrr t5, \csr
  EXPECT t5, \value
.endm

/* EXPECT_TRAP cause, epc_label — the last trap had this cause and epc. */
.macro EXPECT_TRAP cause, epc_label
  EXPECT s8, \cause
  la t5, \epc_label
  EXPECT_REG s9, t5
.endm

/* TRAPS n, cause, insn... — check n: the instruction traps with this cause
 * (epc = the instruction) and execution continues after it in the same mode.
 * The trap handler's level (s6) and tval (s10) are left for further EXPECTs. */
.macro TRAPS n, cause, insn:vararg
  TEST \n
  li s8, -1
  la s7, .Ltraps_after\@
.Ltraps_at\@:
  \insn
  j fail
.Ltraps_after\@:
  EXPECT s8, \cause
  la t5, .Ltraps_at\@
  EXPECT_REG s9, t5
.endm

/* ILLEGAL n, word — check n: the 32-bit instruction word traps as an illegal
 * instruction with mtval = the word. ILLEGAL16: the same for a 16-bit parcel. */
.macro ILLEGAL n, word
  TRAPS \n, CAUSE_ILLEGAL, .word \word
  EXPECT s10, \word
.endm
.macro ILLEGAL16 n, half
  TRAPS \n, CAUSE_ILLEGAL, .half \half
  EXPECT s10, \half
.endm

/* NOTRAP n, insn... — check n: the instruction executes without trapping. */
.macro NOTRAP n, insn:vararg
  TEST \n
  li s7, 0
  \insn
.endm

/* ENTER mode, label — from M-mode, mret into mode (0 = U, 1 = S, 3 = M) at label
 * (MIE becomes MPIE, as mret does). ENTER_U / ENTER_S: the same for U / S. */
.macro ENTER mode, label
  li t6, MSTATUS_MPP
  csrc mstatus, t6
  li t6, ((\mode) << 11)
  csrs mstatus, t6
  la t6, \label
  csrw mepc, t6
  mret
.endm
.macro ENTER_U label
  ENTER 0, \label
.endm
.macro ENTER_S label
  ENTER 1, \label
.endm

/* BACK_TO_M — from S or U: ecall into trap_m and continue here in M-mode.
 * (ecall from the current mode must not be delegated to S.) */
.macro BACK_TO_M
  la s7, .Lback_to_m\@
  ori s7, s7, 1
  ecall
.Lback_to_m\@:
.endm

/* BACK_TO_S — from U: ecall into trap_s and continue here in S-mode
 * (medeleg must delegate ecall from U). */
.macro BACK_TO_S
  la s7, .Lback_to_s\@
  ori s7, s7, 1
  ecall
.Lback_to_s\@:
.endm

/* EXPECT_MODE mode — fail unless the hart runs in mode (3 = M, 1 = S, 0 = U):
 * probes mstatus (M only) and sstatus (M or S); the probe's trap, if any, resumes
 * here in the same mode. Overwrites s6, s8..s11 (the last-trap record). */
.macro EXPECT_MODE mode
  la s7, .Lnot_m\@
  csrr t5, mstatus
  li s7, 0
  li t5, 3
  j .Lgot_mode\@
.Lnot_m\@:
  la s7, .Lnot_s\@
  csrr t5, sstatus
  li s7, 0
  li t5, 1
  j .Lgot_mode\@
.Lnot_s\@:
  li t5, 0
.Lgot_mode\@:
  EXPECT t5, \mode
.endm

/* PASS — every check of this program passed. */
.macro PASS
  j pass
.endm

/* ---- register/immediate checks shared by the arithmetic programs ---------------- */

/* RR n, insn, result, a, b — check n: `insn rd, rs1, rs2` with rs1 = a, rs2 = b
 * gives result; the source registers keep their values. */
.macro RR n, insn, res, a, b
  TEST \n
  li a1, \a
  li a2, \b
  \insn a0, a1, a2
  EXPECT a0, \res
  EXPECT a1, \a
  EXPECT a2, \b
.endm
/* RR_D1 / RR_D2 / RR_SAME: rd is also rs1 / rd is also rs2 / rs1 and rs2 are one register. */
.macro RR_D1 n, insn, res, a, b
  TEST \n
  li s1, \a
  li s2, \b
  \insn s1, s1, s2
  EXPECT s1, \res
.endm
.macro RR_D2 n, insn, res, a, b
  TEST \n
  li s1, \a
  li s2, \b
  \insn s2, s1, s2
  EXPECT s2, \res
.endm
.macro RR_SAME n, insn, res, a
  TEST \n
  li t3, \a
  \insn t4, t3, t3
  EXPECT t4, \res
.endm
/* RR_X0 n, insn, a, b: a write to x0 is dropped. RR_Z1 / RR_Z2: x0 as rs1 / rs2. */
.macro RR_X0 n, insn, a, b
  TEST \n
  li a1, \a
  li a2, \b
  \insn x0, a1, a2
  EXPECT x0, 0
.endm
.macro RR_Z1 n, insn, res, b
  TEST \n
  li a2, \b
  \insn a0, x0, a2
  EXPECT a0, \res
.endm
.macro RR_Z2 n, insn, res, a
  TEST \n
  li a1, \a
  \insn a0, a1, x0
  EXPECT a0, \res
.endm

/* R1 n, insn, result, a — check n: the one-source `insn rd, rs1` with rs1 = a gives
 * result, rs1 kept. */
.macro R1 n, insn, res, a
  TEST \n
  li a1, \a
  \insn a0, a1
  EXPECT a0, \res
  EXPECT a1, \a
.endm

/* RI n, insn, result, a, imm — check n: `insn rd, rs1, imm` with rs1 = a. */
.macro RI n, insn, res, a, imm
  TEST \n
  li a1, \a
  \insn a0, a1, \imm
  EXPECT a0, \res
  EXPECT a1, \a
.endm
.macro RI_D1 n, insn, res, a, imm
  TEST \n
  li s3, \a
  \insn s3, s3, \imm
  EXPECT s3, \res
.endm
.macro RI_X0 n, insn, a, imm
  TEST \n
  li a1, \a
  \insn x0, a1, \imm
  EXPECT x0, 0
.endm
.macro RI_Z1 n, insn, res, imm
  TEST \n
  \insn a0, x0, \imm
  EXPECT a0, \res
.endm

#endif
