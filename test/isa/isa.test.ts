// isa.test.ts — runs the self-checking RV64 programs of test/isa/src under Lantern and,
// as the reference, under QEMU's `spike` machine. Each program reports through HTIF
// `tohost`: exit status 0 means every check passed, n means check n failed (see
// test/isa/common/test.h). selftest-fail.S must fail check 3 on both: it proves the
// harness can see a failure. The programs in `lanternOnly` hold checks where QEMU 7.2
// contradicts the specification; they run under Lantern only.
import { defineIsaSuite } from './runner';

/** Exit status each program must end with (all others: 0). */
const expectedStatus: Record<string, number> = { 'selftest-fail': 3 };

/**
 * Programs QEMU 7.2 (the reference) gets wrong, each with the deviation: they run under
 * Lantern only. Every check QEMU agrees with stays in the programs run on both.
 */
const lanternOnly: Record<string, string> = {
  // Privileged spec 3.1.6.6: FS covers fflags, so a flag raised by fcvt / feq / flt / fle
  // (which write an x register) must turn FS Initial or Clean into Dirty. QEMU 7.2 marks
  // FS Dirty only on writes to f registers and FP CSRs.
  'fp-dirty-flags': 'QEMU 7.2 leaves mstatus.FS Clean when an instruction changes only fflags',
  // Zbb: ctzw counts the low 32 bits only. QEMU 7.2 counts all 64 when the low half is
  // zero (fixed in QEMU 8.0, commit 5fc0fc8788e0 "target/riscv: fix ctzw behavior").
  'zbb-ctzw': 'QEMU 7.2 ctzw counts beyond bit 31 when the low half is zero',
};

/**
 * QEMU's options: its generic rv64 hart without H, i.e. RV64IMAFDC + Zicsr/Zifencei,
 * Zba/Zbb/Zbc/Zbs, Zihintpause, S and U: the harts Lantern implements (QEMU's extras,
 * such as Zicbom / Zicboz / Sstc, are left on; no program relies on their absence).
 */
const qemuArgs = [
  '-machine', 'spike', '-bios', 'none', '-nographic',
  '-cpu', 'rv64,h=false',
];
const lanternArgs = ['-machine', 'spike', '-bios', 'none', '-nographic'];

defineIsaSuite({
  dir: __dirname,
  what: 'ISA programs',
  qemu: 'qemu-system-riscv64',
  qemuArgs,
  lanternArgs,
  lanternTitle: 'Lantern',
  lanternBuild: '',
  timeoutMs: 30_000,
  expectedStatus,
  lanternOnly,
});
