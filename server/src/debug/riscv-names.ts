// Names and field decodings of the RISC-V privileged architecture for people reading a hart's
// state: trap causes in words, CSR fields by name (the monitor's `trap` and `csr`; the VS Code
// views reuse them). Pure functions of values; nothing here reads a machine.

export type Xlen = 32 | 64;

/** Exception codes (Privileged ISA 20211203, table 3.6 "Machine cause register (mcause) values after trap"; H adds 10, 20-23). */
export const exceptionNames: ReadonlyMap<number, string> = new Map([
  [0, 'Instruction address misaligned'],
  [1, 'Instruction access fault'],
  [2, 'Illegal instruction'],
  [3, 'Breakpoint'],
  [4, 'Load address misaligned'],
  [5, 'Load access fault'],
  [6, 'Store/AMO address misaligned'],
  [7, 'Store/AMO access fault'],
  [8, 'Environment call from U-mode'],
  [9, 'Environment call from S-mode'],
  [10, 'Environment call from VS-mode'],
  [11, 'Environment call from M-mode'],
  [12, 'Instruction page fault'],
  [13, 'Load page fault'],
  [15, 'Store/AMO page fault'],
  [18, 'Software check'],
  [19, 'Hardware error'],
  [20, 'Instruction guest-page fault'],
  [21, 'Load guest-page fault'],
  [22, 'Virtual instruction'],
  [23, 'Store/AMO guest-page fault'],
]);

/** Short forms of the exception names, for lists such as medeleg's. */
export const exceptionShortNames: ReadonlyMap<number, string> = new Map([
  [0, 'inst-misaligned'], [1, 'inst-access'], [2, 'illegal-inst'], [3, 'breakpoint'],
  [4, 'load-misaligned'], [5, 'load-access'], [6, 'store-misaligned'], [7, 'store-access'],
  [8, 'ecall-U'], [9, 'ecall-S'], [10, 'ecall-VS'], [11, 'ecall-M'],
  [12, 'inst-page'], [13, 'load-page'], [15, 'store-page'], [18, 'software-check'], [19, 'hardware-error'],
  [20, 'inst-guest-page'], [21, 'load-guest-page'], [22, 'virtual-inst'], [23, 'store-guest-page'],
]);

/** Interrupt codes (same table; 2, 6, 10 and 12 from the H extension, 13 from Sscofpmf). */
export const interruptNames: ReadonlyMap<number, string> = new Map([
  [1, 'Supervisor software interrupt'],
  [2, 'Virtual supervisor software interrupt'],
  [3, 'Machine software interrupt'],
  [5, 'Supervisor timer interrupt'],
  [6, 'Virtual supervisor timer interrupt'],
  [7, 'Machine timer interrupt'],
  [9, 'Supervisor external interrupt'],
  [10, 'Virtual supervisor external interrupt'],
  [11, 'Machine external interrupt'],
  [12, 'Supervisor guest external interrupt'],
  [13, 'Counter-overflow interrupt'],
]);

/** mip/sip bit names (3.1.9, "Machine Interrupt Registers"); mie/sie name the same bits ...IE. */
export const interruptPendingBits: ReadonlyMap<number, string> = new Map([
  [1, 'SSIP'], [2, 'VSSIP'], [3, 'MSIP'], [5, 'STIP'], [6, 'VSTIP'], [7, 'MTIP'],
  [9, 'SEIP'], [10, 'VSEIP'], [11, 'MEIP'], [12, 'SGEIP'], [13, 'LCOFIP'],
]);

/** A privilege level's letter: 0 U, 1 S, 2 (reserved, H in drafts), 3 M. */
export function privilegeName(privilege: number): string {
  return ['U', 'S', 'H', 'M'][privilege & 3];
}

/** An mcause/scause value split: the interrupt bit is XLEN-1. */
export function splitCause(cause: bigint, xlen: Xlen): { interrupt: boolean; code: number } {
  const value = BigInt.asUintN(xlen, cause);
  const interruptBit = 1n << BigInt(xlen - 1);
  return { interrupt: (value & interruptBit) !== 0n, code: Number(value & (interruptBit - 1n)) };
}

/** A cause in words: "Load page fault", "Supervisor timer interrupt", or "reserved exception 14". */
export function causeName(cause: bigint, xlen: Xlen): string {
  const { interrupt, code } = splitCause(cause, xlen);
  const name = (interrupt ? interruptNames : exceptionNames).get(code);
  if (name !== undefined) return name;
  if (code >= (interrupt ? 16 : 24) && code < 32) return `custom ${interrupt ? 'interrupt' : 'exception'} ${code}`;
  return `reserved ${interrupt ? 'interrupt' : 'exception'} ${code}`;
}

/** A cause with its kind and number: "exception 13 (Load page fault)", "interrupt 5 (Supervisor timer interrupt)". */
export function describeCause(cause: bigint, xlen: Xlen): string {
  const { interrupt, code } = splitCause(cause, xlen);
  return `${interrupt ? 'interrupt' : 'exception'} ${code} (${causeName(cause, xlen)})`;
}

const bit = (value: bigint, n: number): boolean => ((value >> BigInt(n)) & 1n) === 1n;
const field = (value: bigint, high: number, low: number): number =>
  Number((value >> BigInt(low)) & ((1n << BigInt(high - low + 1)) - 1n));
const hex = (value: bigint | number): string => `0x${value.toString(16)}`;

/** Names of the set bits of `value`, from a table of bit number → name (unnamed bits as "bitN"). */
function setBits(value: bigint, names: ReadonlyMap<number, string>, width: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < width; n++) if (bit(value, n)) out.push(names.get(n) ?? `bit${n}`);
  return out;
}

const extensionStates = ['Off', 'Initial', 'Clean', 'Dirty'];
const xlenNames = ['-', '32', '64', '128'];

/**
 * mstatus (3.1.6) or, with `supervisor`, sstatus (4.1.1) fields: the set one-bit fields by
 * name, MPP/SPP always (their zero is U, a meaningful value), FS/VS/XS and UXL/SXL when non-zero.
 */
export function decodeStatus(value: bigint, xlen: Xlen, supervisor = false): string {
  const out: string[] = [];
  const flag = (n: number, name: string, machineOnly = false): void => {
    if ((!machineOnly || !supervisor) && bit(value, n)) out.push(name);
  };
  flag(1, 'SIE'); flag(3, 'MIE', true); flag(5, 'SPIE'); flag(6, 'UBE'); flag(7, 'MPIE', true);
  out.push(`SPP=${bit(value, 8) ? 'S' : 'U'}`);
  if (!supervisor) out.push(`MPP=${privilegeName(field(value, 12, 11))}`);
  const state = (high: number, low: number, name: string): void => {
    const v = field(value, high, low);
    if (v !== 0) out.push(`${name}=${extensionStates[v]}`);
  };
  state(10, 9, 'VS'); state(14, 13, 'FS'); state(16, 15, 'XS');
  flag(17, 'MPRV', true); flag(18, 'SUM'); flag(19, 'MXR'); flag(20, 'TVM', true); flag(21, 'TW', true); flag(22, 'TSR', true);
  if (xlen === 64) {
    const uxl = field(value, 33, 32);
    if (uxl !== 0) out.push(`UXL=${xlenNames[uxl]}`);
    const sxl = field(value, 35, 34);
    if (sxl !== 0 && !supervisor) out.push(`SXL=${xlenNames[sxl]}`);
    flag(36, 'SBE', true); flag(37, 'MBE', true);
  }
  flag(xlen - 1, 'SD');
  return out.join(' ');
}

/** mstatush (RV32 only, 3.1.6): SBE and MBE. */
export function decodeStatusHigh(value: bigint): string {
  return [bit(value, 4) ? 'SBE' : '', bit(value, 5) ? 'MBE' : ''].filter((s) => s !== '').join(' ');
}

/** mip/sip/mideleg as pending-bit names (SSIP MSIP STIP ...); mie/sie with `enables` as ...IE. */
export function decodeInterruptBits(value: bigint, enables = false): string {
  const names = setBits(value, interruptPendingBits, 64);
  return names.map((name) => (enables && name.endsWith('IP') ? `${name.slice(0, -2)}IE` : name)).join(' ');
}

/** medeleg: the delegated exceptions by short name. */
export function decodeExceptionBits(value: bigint): string {
  return setBits(value, exceptionShortNames, 64).join(' ');
}

/** satp MODE values (4.1.11, table 4.4); RV32 has only the one-bit MODE, 1 = Sv32. */
export function satpModeName(satp: bigint, xlen: Xlen): string {
  if (xlen === 32) return bit(satp, 31) ? 'Sv32' : 'Bare';
  const mode = field(satp, 63, 60);
  return ({ 0: 'Bare', 8: 'Sv39', 9: 'Sv48', 10: 'Sv57', 11: 'Sv64' } as Record<number, string>)[mode] ?? `reserved(${mode})`;
}

/** satp fields: MODE, ASID, PPN, and the root table's physical address. */
export function decodeSatp(satp: bigint, xlen: Xlen): string {
  const asid = xlen === 32 ? field(satp, 30, 22) : field(satp, 59, 44);
  const ppn = xlen === 32 ? BigInt(field(satp, 21, 0)) : satp & ((1n << 44n) - 1n);
  return `MODE=${satpModeName(satp, xlen)} ASID=${asid} PPN=${hex(ppn)} (root table ${hex(ppn << 12n)})`;
}

/** mtvec/stvec (3.1.7): BASE and MODE. */
export function decodeTrapVector(value: bigint): string {
  const mode = Number(value & 3n);
  return `BASE=${hex(value & ~3n)} MODE=${['Direct', 'Vectored', 'reserved(2)', 'reserved(3)'][mode]}`;
}

/** misa (3.1.1) as "RV64ACDFIMSU": MXL and the extension letters. */
export function decodeMisa(value: bigint, xlen: Xlen): string {
  const mxl = field(value, xlen - 1, xlen - 2);
  let letters = '';
  for (let n = 0; n < 26; n++) if (bit(value, n)) letters += String.fromCharCode(65 + n);
  return `RV${xlenNames[mxl] === '-' ? '?' : xlenNames[mxl]}${letters}`;
}

/** fflags (Unprivileged ISA, F, "Accrued exception flag encoding"): NV DZ OF UF NX. */
export function decodeFflags(value: bigint): string {
  const names = ['NX', 'UF', 'OF', 'DZ', 'NV'];
  return names.filter((_, n) => bit(value, n)).reverse().join(' ');
}

/** frm ("Rounding mode encoding"): RNE RTZ RDN RUP RMM; 5 and 6 reserved; 7 DYN (invalid in frm). */
export function roundingModeName(frm: number): string {
  return ['RNE', 'RTZ', 'RDN', 'RUP', 'RMM', 'reserved(5)', 'reserved(6)', 'DYN(invalid)'][frm & 7];
}

export function decodeFcsr(value: bigint): string {
  const flags = decodeFflags(value & 0x1fn);
  return `frm=${roundingModeName(field(value, 7, 5))}${flags === '' ? '' : ` fflags=${flags.replace(/ /g, ',')}`}`;
}

const pmpModes = ['OFF', 'TOR', 'NA4', 'NAPOT'];

/** One pmpNcfg byte (3.7.1): A mode, R W X, L. */
export function decodePmpEntry(cfg: number): string {
  const permissions = `${cfg & 1 ? 'r' : '-'}${cfg & 2 ? 'w' : '-'}${cfg & 4 ? 'x' : '-'}`;
  return `${pmpModes[(cfg >> 3) & 3]} ${permissions}${cfg & 0x80 ? ' L' : ''}`;
}

/**
 * pmpcfgN: its entries (four on RV32, eight on RV64, the first being entry N·4) that are not
 * all zero, as "pmp0 TOR rwx"; "all OFF" when every byte is zero.
 */
export function decodePmpcfg(value: bigint, index: number, xlen: Xlen): string {
  const count = xlen / 8;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const cfg = field(value, 8 * i + 7, 8 * i);
    if (cfg !== 0) out.push(`pmp${index * 4 + i}: ${decodePmpEntry(cfg)}`);
  }
  return out.length === 0 ? 'all OFF' : out.join(', ');
}

/** mcounteren/scounteren/mcountinhibit (3.1.11-13): CY TM IR HPM3..31 (TM absent from mcountinhibit). */
export function decodeCounterBits(value: bigint): string {
  const names = new Map<number, string>([[0, 'CY'], [1, 'TM'], [2, 'IR']]);
  for (let n = 3; n < 32; n++) names.set(n, `HPM${n}`);
  return setBits(value, names, 32).join(' ');
}

/** menvcfg/senvcfg (3.1.18, 4.1.4): FIOM CBIE CBCFE CBZE, and for menvcfg PBMTE STCE (bits 62, 63; RV32: menvcfgh 30, 31). */
export function decodeEnvcfg(value: bigint, high = false): string {
  const out: string[] = [];
  if (!high) {
    if (bit(value, 0)) out.push('FIOM');
    const cbie = field(value, 5, 4);
    if (cbie !== 0) out.push(`CBIE=${cbie}`);
    if (bit(value, 6)) out.push('CBCFE');
    if (bit(value, 7)) out.push('CBZE');
  }
  const offset = high ? 32 : 0;
  if (bit(value, 62 - offset)) out.push('PBMTE');
  if (bit(value, 63 - offset)) out.push('STCE');
  return out.join(' ');
}

/** mseccfg (Smepmp): MML MMWP RLB. */
export function decodeMseccfg(value: bigint): string {
  return [[0, 'MML'], [1, 'MMWP'], [2, 'RLB']].filter(([n]) => bit(value, n as number)).map(([, name]) => name).join(' ');
}

const counterPattern = /^(m?cycle|time|m?instret|m?hpmcounter\d+)h?$/;

/**
 * One CSR's value decoded in words, by its name (as the debug target names CSRs), or '' when
 * there is nothing to say beyond the number: status fields, interrupt and exception bits,
 * causes, satp, trap vectors, misa letters, fcsr/frm/fflags, PMP entries, counters in decimal.
 */
export function decodeCsr(name: string, value: bigint, xlen: Xlen): string {
  switch (name) {
    case 'mstatus': return decodeStatus(value, xlen);
    case 'sstatus': return decodeStatus(value, xlen, true);
    case 'mstatush': return decodeStatusHigh(value);
    case 'mip': case 'sip': case 'mideleg': return decodeInterruptBits(value);
    case 'mie': case 'sie': return decodeInterruptBits(value, true);
    case 'medeleg': return decodeExceptionBits(value);
    case 'mcause': case 'scause': return describeCause(value, xlen);
    case 'satp': return decodeSatp(value, xlen);
    case 'mtvec': case 'stvec': return decodeTrapVector(value);
    case 'misa': return decodeMisa(value, xlen);
    case 'fflags': return decodeFflags(value);
    case 'frm': return roundingModeName(Number(value & 7n));
    case 'fcsr': return decodeFcsr(value);
    case 'mcounteren': case 'scounteren': case 'mcountinhibit': return decodeCounterBits(value);
    case 'menvcfg': return decodeEnvcfg(value, false);
    case 'menvcfgh': return decodeEnvcfg(value, true);
    case 'senvcfg': return decodeEnvcfg(value & 0xffn, false);
    case 'mseccfg': return decodeMseccfg(value);
    case 'mhartid': return `hart ${value}`;
    case 'stimecmp': case 'stimecmph': return BigInt.asUintN(xlen, value) === BigInt.asUintN(xlen, -1n) ? 'never (all ones)' : `${value}`;
  }
  const pmpcfg = /^pmpcfg(\d+)$/.exec(name);
  if (pmpcfg) return decodePmpcfg(value, Number(pmpcfg[1]), xlen);
  if (/^pmpaddr\d+$/.test(name)) return value === 0n ? '' : `address bits ${hex(value << 2n)}`;
  if (counterPattern.test(name)) return `${value}`;
  return '';
}
