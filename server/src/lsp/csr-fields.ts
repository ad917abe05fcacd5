// What each CSR is for and, for those with fields, where the fields sit (RV64 layouts): the static half of a CSR hover; the live half decodes a value with server/src/debug/riscv-names.ts.
//
// From the Privileged ISA (20211203; section numbers as there), the F extension's fcsr and the
// Sstc stimecmp. Interrupt and exception bit names come from riscv-names.ts, not repeated here.
import { exceptionNames, exceptionShortNames, interruptNames, interruptPendingBits } from '../debug/riscv-names';

export interface CsrField {
  readonly name: string;
  readonly high: number;
  readonly low: number;
  readonly meaning: string;
}

export interface CsrDescription {
  readonly summary: string;
  /** Where the spec defines it. */
  readonly spec: string;
  readonly fields?: readonly CsrField[];
}

const f = (name: string, high: number, low: number, meaning: string): CsrField => ({ name, high, low, meaning });
const bit = (name: string, n: number, meaning: string): CsrField => f(name, n, n, meaning);

const extensionState = 'Off, Initial, Clean, Dirty (0-3)';
const statusFields: readonly (CsrField & { machineOnly?: boolean })[] = [
  bit('SIE', 1, 'S-mode interrupts enabled'),
  { ...bit('MIE', 3, 'M-mode interrupts enabled'), machineOnly: true },
  bit('SPIE', 5, 'SIE before the last trap into S-mode'),
  bit('UBE', 6, 'U-mode data accesses are big-endian'),
  { ...bit('MPIE', 7, 'MIE before the last trap into M-mode'), machineOnly: true },
  bit('SPP', 8, 'privilege before the last trap into S-mode: 0 U, 1 S'),
  f('VS', 10, 9, `vector unit state: ${extensionState}`),
  { ...f('MPP', 12, 11, 'privilege before the last trap into M-mode: 0 U, 1 S, 3 M'), machineOnly: true },
  f('FS', 14, 13, `floating-point unit state: ${extensionState}`),
  f('XS', 16, 15, 'state of other extensions (read-only summary)'),
  { ...bit('MPRV', 17, 'M-mode loads and stores are translated and checked as if at MPP'), machineOnly: true },
  bit('SUM', 18, 'S-mode may access U-mode pages'),
  bit('MXR', 19, 'loads from execute-only pages succeed'),
  { ...bit('TVM', 20, 'S-mode satp accesses and sfence.vma trap'), machineOnly: true },
  { ...bit('TW', 21, 'wfi in lower modes traps (after a bounded time)'), machineOnly: true },
  { ...bit('TSR', 22, 'sret in S-mode traps'), machineOnly: true },
  f('UXL', 33, 32, 'U-mode XLEN: 1 = 32, 2 = 64'),
  { ...f('SXL', 35, 34, 'S-mode XLEN: 1 = 32, 2 = 64'), machineOnly: true },
  { ...bit('SBE', 36, 'S-mode data accesses are big-endian'), machineOnly: true },
  { ...bit('MBE', 37, 'M-mode data accesses are big-endian'), machineOnly: true },
  bit('SD', 63, 'FS, VS or XS is Dirty (read-only)'),
];

const supervisorInterrupts = new Set([1, 5, 9, 13]);

function interruptFields(enables: boolean, supervisorOnly: boolean, what: (name: string) => string): CsrField[] {
  return [...interruptPendingBits]
    .filter(([n]) => !supervisorOnly || supervisorInterrupts.has(n))
    .map(([n, name]) => bit(enables ? `${name.slice(0, -2)}IE` : name, n, what(interruptNames.get(n) ?? `interrupt ${n}`)));
}

const trapVectorFields = [
  f('BASE', 63, 2, 'the trap handler address (a multiple of 4)'),
  f('MODE', 1, 0, '0 Direct: every trap goes to BASE; 1 Vectored: interrupts go to BASE + 4 × cause'),
];
const causeFields = [
  bit('Interrupt', 63, '1 for an interrupt, 0 for an exception'),
  f('Exception Code', 62, 0, 'which interrupt or exception'),
];
const counterEnableFields = (what: string) => [
  bit('CY', 0, `${what} cycle`), bit('TM', 1, `${what} time`), bit('IR', 2, `${what} instret`), f('HPM', 31, 3, `${what} hpmcounter3-31, one bit each`),
];
const envcfgFields = [
  bit('FIOM', 0, 'fence on I/O also orders memory accesses of lower modes'),
  f('CBIE', 5, 4, 'cbo.inval in lower modes: 0 illegal, 1 flush, 3 invalidate'),
  bit('CBCFE', 6, 'cbo.clean and cbo.flush allowed in lower modes'),
  bit('CBZE', 7, 'cbo.zero allowed in lower modes'),
];
const flagFields = [
  bit('NV', 4, 'invalid operation'), bit('DZ', 3, 'divide by zero'), bit('OF', 2, 'overflow'), bit('UF', 1, 'underflow'), bit('NX', 0, 'inexact'),
];
const roundingModes = '0 RNE (nearest, ties to even), 1 RTZ (toward zero), 2 RDN (down), 3 RUP (up), 4 RMM (nearest, ties away), 7 DYN (in instructions only)';

const descriptions: ReadonlyMap<string, CsrDescription> = new Map<string, CsrDescription>([
  ['fflags', { summary: 'Floating-point accrued exception flags', spec: 'Unprivileged ISA, F, "Floating-Point Control and Status Register"', fields: flagFields }],
  ['frm', { summary: 'Floating-point dynamic rounding mode', spec: 'Unprivileged ISA, F', fields: [f('frm', 2, 0, roundingModes)] }],
  ['fcsr', { summary: 'Floating-point control and status: rounding mode and exception flags', spec: 'Unprivileged ISA, F', fields: [f('frm', 7, 5, roundingModes), ...flagFields] }],
  ['cycle', { summary: 'Cycle counter (read-only shadow of mcycle)', spec: 'Unprivileged ISA, "Counters"' }],
  ['time', { summary: 'Real-time clock (read-only shadow of the platform\'s mtime)', spec: 'Unprivileged ISA, "Counters"' }],
  ['instret', { summary: 'Instructions-retired counter (read-only shadow of minstret)', spec: 'Unprivileged ISA, "Counters"' }],
  ['sstatus', { summary: 'Supervisor status: the S-mode view of mstatus', spec: 'Privileged ISA 4.1.1', fields: statusFields.filter((s) => !s.machineOnly) }],
  ['sie', { summary: 'Supervisor interrupt enables', spec: 'Privileged ISA 4.1.3', fields: interruptFields(true, true, (n) => `${n} enabled`) }],
  ['sip', { summary: 'Supervisor interrupts pending', spec: 'Privileged ISA 4.1.3', fields: interruptFields(false, true, (n) => `${n} pending`) }],
  ['stvec', { summary: 'Supervisor trap vector: where traps into S-mode go', spec: 'Privileged ISA 4.1.2', fields: trapVectorFields }],
  ['scounteren', { summary: 'Which counters U-mode may read', spec: 'Privileged ISA, Supervisor CSRs', fields: counterEnableFields('U-mode may read') }],
  ['senvcfg', { summary: 'Supervisor environment configuration (for U-mode)', spec: 'Privileged ISA, Supervisor CSRs', fields: envcfgFields }],
  ['sscratch', { summary: 'Supervisor scratch register (kernels keep a pointer to per-hart state here)', spec: 'Privileged ISA, Supervisor CSRs' }],
  ['sepc', { summary: 'Supervisor exception pc: the pc of the instruction trapped into S-mode; sret returns there', spec: 'Privileged ISA, Supervisor CSRs' }],
  ['scause', { summary: 'Supervisor trap cause', spec: 'Privileged ISA 4.1.8', fields: causeFields }],
  ['stval', { summary: 'Supervisor trap value: the faulting address or instruction of the last trap into S-mode', spec: 'Privileged ISA, Supervisor CSRs' }],
  ['stimecmp', { summary: 'Supervisor timer compare: the S-mode timer interrupt is pending while time >= stimecmp', spec: 'Sstc extension' }],
  ['satp', {
    summary: 'Supervisor address translation and protection: the page-table root and scheme', spec: 'Privileged ISA 4.1.11',
    fields: [f('MODE', 63, 60, '0 Bare (no translation), 8 Sv39, 9 Sv48, 10 Sv57'), f('ASID', 59, 44, 'address-space identifier'), f('PPN', 43, 0, 'physical page number of the root page table')],
  }],
  ['mvendorid', { summary: 'Vendor ID (JEDEC; 0: not given)', spec: 'Privileged ISA 3.1.2' }],
  ['marchid', { summary: 'Microarchitecture ID', spec: 'Privileged ISA 3.1.3' }],
  ['mimpid', { summary: 'Implementation version', spec: 'Privileged ISA 3.1.4' }],
  ['mhartid', { summary: 'The ID of the hart running the code', spec: 'Privileged ISA 3.1.5' }],
  ['mconfigptr', { summary: 'Address of the configuration data structure (0: none)', spec: 'Privileged ISA 3.1.17' }],
  ['mstatus', { summary: 'Machine status: interrupt enables, the privilege before a trap, extension states', spec: 'Privileged ISA 3.1.6', fields: statusFields }],
  ['misa', {
    summary: 'ISA and extensions', spec: 'Privileged ISA 3.1.1',
    fields: [f('MXL', 63, 62, 'native XLEN: 1 = 32, 2 = 64'), f('Extensions', 25, 0, 'one bit per letter: bit 0 A, 2 C, 3 D, 5 F, 8 I, 12 M, 18 S, 20 U, ...')],
  }],
  ['medeleg', {
    summary: 'Machine exception delegation: exceptions handled in S-mode', spec: 'Privileged ISA 3.1.8',
    fields: [...exceptionShortNames].map(([n, name]) => bit(name, n, `${exceptionNames.get(n) ?? `exception ${n}`} goes to S-mode`)),
  }],
  ['mideleg', { summary: 'Machine interrupt delegation: interrupts handled in S-mode', spec: 'Privileged ISA 3.1.8', fields: interruptFields(false, false, (n) => `${n} goes to S-mode`) }],
  ['mie', { summary: 'Machine interrupt enables', spec: 'Privileged ISA 3.1.9', fields: interruptFields(true, false, (n) => `${n} enabled`) }],
  ['mip', { summary: 'Machine interrupts pending', spec: 'Privileged ISA 3.1.9', fields: interruptFields(false, false, (n) => `${n} pending`) }],
  ['mtvec', { summary: 'Machine trap vector: where traps into M-mode go', spec: 'Privileged ISA 3.1.7', fields: trapVectorFields }],
  ['mcounteren', { summary: 'Which counters S-mode (and U-mode) may read', spec: 'Privileged ISA 3.1.11', fields: counterEnableFields('lower modes may read') }],
  ['mcountinhibit', {
    summary: 'Counters that do not count', spec: 'Privileged ISA 3.1.12',
    fields: [bit('CY', 0, 'mcycle stopped'), bit('IR', 2, 'minstret stopped'), f('HPM', 31, 3, 'mhpmcounter3-31 stopped, one bit each')],
  }],
  ['menvcfg', {
    summary: 'Machine environment configuration (for S- and U-mode)', spec: 'Privileged ISA 3.1.18',
    fields: [...envcfgFields, bit('PBMTE', 62, 'Svpbmt page-based memory types enabled'), bit('STCE', 63, 'Sstc stimecmp enabled')],
  }],
  ['mscratch', { summary: 'Machine scratch register (M-mode trap handlers keep a pointer to per-hart state here)', spec: 'Privileged ISA 3.1.13' }],
  ['mepc', { summary: 'Machine exception pc: the pc of the instruction trapped into M-mode; mret returns there', spec: 'Privileged ISA 3.1.14' }],
  ['mcause', { summary: 'Machine trap cause', spec: 'Privileged ISA 3.1.15', fields: causeFields }],
  ['mtval', { summary: 'Machine trap value: the faulting address or instruction of the last trap into M-mode', spec: 'Privileged ISA 3.1.16' }],
  ['mtinst', { summary: 'Machine trap instruction (transformed), with the H extension', spec: 'Privileged ISA, H extension' }],
  ['mtval2', { summary: 'Machine second trap value (guest physical address), with the H extension', spec: 'Privileged ISA, H extension' }],
  ['mseccfg', {
    summary: 'Machine security configuration (Smepmp)', spec: 'Privileged ISA 3.1.19',
    fields: [bit('MML', 0, 'machine mode lockdown'), bit('MMWP', 1, 'machine mode whitelist policy: deny by default'), bit('RLB', 2, 'rule-locking bypass')],
  }],
  ['mstatush', { summary: 'Upper half of mstatus (RV32)', spec: 'Privileged ISA 3.1.6', fields: [bit('SBE', 4, 'S-mode data accesses are big-endian'), bit('MBE', 5, 'M-mode data accesses are big-endian')] }],
  ['mcycle', { summary: 'Machine cycle counter', spec: 'Privileged ISA 3.1.10' }],
  ['minstret', { summary: 'Machine instructions-retired counter', spec: 'Privileged ISA 3.1.10' }],
  ['tselect', { summary: 'Debug trigger select: which trigger tdata1-3 show', spec: 'Debug Specification 0.13, "Trigger Module"' }],
  ['tdata1', { summary: 'Trigger data 1: the selected trigger\'s type and match settings', spec: 'Debug Specification 0.13' }],
  ['tdata2', { summary: 'Trigger data 2: the selected trigger\'s compare value (an address)', spec: 'Debug Specification 0.13' }],
  ['tdata3', { summary: 'Trigger data 3', spec: 'Debug Specification 0.13' }],
  ['dcsr', { summary: 'Debug control and status (debug mode only)', spec: 'Debug Specification 0.13' }],
  ['dpc', { summary: 'Debug pc: where the hart resumes from debug mode', spec: 'Debug Specification 0.13' }],
  ['dscratch0', { summary: 'Debug scratch register 0', spec: 'Debug Specification 0.13' }],
  ['dscratch1', { summary: 'Debug scratch register 1', spec: 'Debug Specification 0.13' }],
]);

const pmpEntryBits = 'R (bit 0), W (1), X (2), A (4:3: 0 OFF, 1 TOR, 2 NA4, 3 NAPOT), L (7, locked)';

/** The static description of CSR `name` (an RV64 layout), or undefined when there is nothing beyond its number. */
export function csrDescription(name: string): CsrDescription | undefined {
  const known = descriptions.get(name);
  if (known) return known;
  let m = /^pmpcfg(\d+)$/.exec(name);
  if (m) {
    const first = Number(m[1]) * 4;
    return {
      summary: `PMP configuration of entries pmp${first}-pmp${first + 7} (RV64; RV32: ${first}-${first + 3}), one byte each: ${pmpEntryBits}`,
      spec: 'Privileged ISA 3.7.1',
      fields: Array.from({ length: 8 }, (_, i) => f(`pmp${first + i}cfg`, 8 * i + 7, 8 * i, `entry ${first + i}`)),
    };
  }
  if (/^pmpaddr\d+$/.test(name)) {
    return { summary: 'PMP address register: bits 55:2 of a physical address (NAPOT: the range in its low ones)', spec: 'Privileged ISA 3.7.1', fields: [f('address[55:2]', 53, 0, 'physical address bits 55:2')] };
  }
  m = /^(m?)hpmcounter(\d+)$/.exec(name);
  if (m) return { summary: `Hardware performance counter ${m[2]}${m[1] ? '' : ' (read-only shadow of mhpmcounter)'}`, spec: 'Privileged ISA 3.1.10' };
  m = /^mhpmevent(\d+)$/.exec(name);
  if (m) return { summary: `Event counted by mhpmcounter${m[1]}`, spec: 'Privileged ISA 3.1.10' };
  if (/h$/.test(name) && descriptions.has(name.slice(0, -1)) || /^(m?hpmcounter\d+)h$/.test(name)) {
    return { summary: `Upper 32 bits of ${name.slice(0, -1)} (RV32)`, spec: 'Privileged ISA' };
  }
  return undefined;
}
