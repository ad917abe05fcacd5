// Trap causes in words and CSR fields by name (server/src/debug/riscv-names.ts), on values whose
// meaning the privileged spec fixes: what the monitor's `trap` and `csr` print.
import { describe, expect, it } from 'vitest';
import {
  causeName, decodeCsr, decodeMisa, decodePmpcfg, decodeSatp, decodeStatus, describeCause, splitCause,
} from '../../server/src/debug/riscv-names';

describe('trap causes', () => {
  it('names exceptions and interrupts from the mcause table, on RV64 and RV32', () => {
    expect(causeName(8n, 64)).toBe('Environment call from U-mode');
    expect(causeName(13n, 64)).toBe('Load page fault');
    expect(causeName(15n, 64)).toBe('Store/AMO page fault');
    expect(causeName((1n << 63n) | 5n, 64)).toBe('Supervisor timer interrupt');
    expect(causeName((1n << 31n) | 11n, 32)).toBe('Machine external interrupt');
    expect(causeName(14n, 64)).toBe('reserved exception 14');
    expect(causeName(24n, 64)).toBe('custom exception 24');
    expect(describeCause((1n << 63n) | 7n, 64)).toBe('interrupt 7 (Machine timer interrupt)');
    expect(describeCause(2n, 32)).toBe('exception 2 (Illegal instruction)');
    expect(splitCause(0x8000_0009n, 32)).toEqual({ interrupt: true, code: 9 });
    // On RV64 bit 31 is part of the code, not the interrupt bit.
    expect(splitCause(0x8000_0009n, 64)).toEqual({ interrupt: false, code: 0x8000_0009 });
  });
});

describe('CSR decoding', () => {
  it('decodes mstatus and sstatus fields', () => {
    // MIE, MPIE, MPP=S, FS=Initial, SUM, UXL=SXL=64 (QEMU's RV64 reset value has the XLs).
    const mstatus = (1n << 3n) | (1n << 7n) | (1n << 11n) | (1n << 13n) | (1n << 18n) | (2n << 32n) | (2n << 34n);
    expect(decodeStatus(mstatus, 64)).toBe('MIE MPIE SPP=U MPP=S FS=Initial SUM UXL=64 SXL=64');
    expect(decodeStatus(mstatus, 64, true)).toBe('SPP=U FS=Initial SUM UXL=64');
    const dirty = (1n << 63n) | (3n << 13n) | (1n << 8n) | (1n << 5n) | (1n << 1n) | (1n << 17n) | (1n << 19n) | (7n << 20n);
    expect(decodeStatus(dirty, 64)).toBe('SIE SPIE SPP=S MPP=U FS=Dirty MPRV MXR TVM TW TSR SD');
    expect(decodeStatus((1n << 31n) | (3n << 9n), 32)).toBe('SPP=U MPP=U VS=Dirty SD');
  });

  it('decodes interrupt, delegation and cause registers', () => {
    expect(decodeCsr('mip', 0xa0n, 64)).toBe('STIP MTIP');
    expect(decodeCsr('mie', 0xaaan, 64)).toBe('SSIE MSIE STIE MTIE SEIE MEIE');
    expect(decodeCsr('mideleg', 0x222n, 64)).toBe('SSIP STIP SEIP');
    expect(decodeCsr('medeleg', 0xb109n, 64)).toBe('inst-misaligned breakpoint ecall-U inst-page load-page store-page');
    expect(decodeCsr('scause', 13n, 64)).toBe('exception 13 (Load page fault)');
    expect(decodeCsr('mcause', (1n << 63n) | 5n, 64)).toBe('interrupt 5 (Supervisor timer interrupt)');
  });

  it('decodes satp, trap vectors, misa and the FP CSRs', () => {
    expect(decodeSatp((8n << 60n) | (5n << 44n) | 0x80042n, 64)).toBe('MODE=Sv39 ASID=5 PPN=0x80042 (root table 0x80042000)');
    expect(decodeSatp((1n << 31n) | (3n << 22n) | 0x80042n, 32)).toBe('MODE=Sv32 ASID=3 PPN=0x80042 (root table 0x80042000)');
    expect(decodeSatp(0n, 64)).toBe('MODE=Bare ASID=0 PPN=0x0 (root table 0x0)');
    expect(decodeCsr('mtvec', 0x8000_0101n, 64)).toBe('BASE=0x80000100 MODE=Vectored');
    expect(decodeCsr('stvec', 0x8020_0000n, 64)).toBe('BASE=0x80200000 MODE=Direct');
    // The misa hello.elf prints: 0x800000000014112d = RV64ACDFIMSU.
    expect(decodeMisa(0x8000_0000_0014_112dn, 64)).toBe('RV64ACDFIMSU');
    expect(decodeMisa(0x4014_112dn, 32)).toBe('RV32ACDFIMSU');
    expect(decodeCsr('fflags', 0x11n, 64)).toBe('NV NX');
    expect(decodeCsr('frm', 1n, 64)).toBe('RTZ');
    expect(decodeCsr('fcsr', (4n << 5n) | 0x3n, 64)).toBe('frm=RMM fflags=UF,NX');
  });

  it('decodes PMP configuration bytes', () => {
    // The minikernel's pmpcfg0 = 0xf: entry 0 TOR, RWX.
    expect(decodePmpcfg(0xfn, 0, 64)).toBe('pmp0: TOR rwx');
    expect(decodePmpcfg((0x9fn << 8n) | (0x11n << 56n), 0, 64)).toBe('pmp1: NAPOT rwx L, pmp7: NA4 r--');
    expect(decodePmpcfg(0x1800n, 2, 64)).toBe('pmp9: NAPOT ---');
    expect(decodePmpcfg(0x0f00_0000n, 1, 32)).toBe('pmp7: TOR rwx');
    expect(decodePmpcfg(0n, 0, 64)).toBe('all OFF');
  });

  it('prints counters in decimal and has nothing to add for plain values', () => {
    expect(decodeCsr('mcycle', 1234n, 64)).toBe('1234');
    expect(decodeCsr('instret', 99n, 64)).toBe('99');
    expect(decodeCsr('cycleh', 2n, 32)).toBe('2');
    expect(decodeCsr('stimecmp', (1n << 64n) - 1n, 64)).toBe('never (all ones)');
    expect(decodeCsr('mcounteren', 7n, 64)).toBe('CY TM IR');
    expect(decodeCsr('menvcfg', 1n << 63n, 64)).toBe('STCE');
    expect(decodeCsr('mepc', 0x8000_0000n, 64)).toBe('');
    expect(decodeCsr('mscratch', 5n, 64)).toBe('');
  });
});
