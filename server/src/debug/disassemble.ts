// Disassembles one RV64GC or RV32GC instruction word into GNU objdump `-M no-aliases` style text, driven by the instruction table.
import {
  decode, instructionLength, branchTarget, type InstructionEntry, type RegisterOperand, type Xlen,
  rd, rs1, rs2, rs3, roundingMode, immediateI, immediateS, immediateB, immediateJ, shiftAmount, shiftAmountWord,
  csrNumber, csrImmediate, fencePredecessor, fenceSuccessor, acquire, release,
  cRd, cRs2, cRdPrime, cRs1Prime, cRs2Prime, cImmediate, cShiftAmount, cLuiImmediate, cAddi16spImmediate,
  cAddi4spnImmediate, cLwspOffset, cLdspOffset, cSwspOffset, cSdspOffset, cLwOffset, cLdOffset, cJumpOffset, cBranchOffset,
} from './instruction-table';

/** ABI names of x0-x31 (RISC-V psABI, "Integer Register Convention"); objdump prints s0, not fp. */
export const integerRegisterNames: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

/** ABI names of f0-f31 (RISC-V psABI, "Floating-point Register Convention"). */
export const floatRegisterNames: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

/** Rounding-mode names (Unprivileged ISA, F extension, table "Rounding mode encoding"); 5 and 6 are reserved. */
const roundingModeNames: readonly (string | undefined)[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm', undefined, undefined, 'dyn'];
const DYNAMIC_ROUNDING = 7;
/** What assemblers write into the rm field of the exact conversions fcvt.d.w, fcvt.d.wu and fcvt.d.s. */
const EXACT_CONVERSION_ROUNDING = 0;

function range(prefix: string, first: number, count: number, firstNumber: number): Array<[number, string]> {
  return Array.from({ length: count }, (_, i): [number, string] => [firstNumber + i, `${prefix}${first + i}`]);
}

/**
 * CSR names an RV64 Lantern hart may meet (Privileged ISA 20211203, "CSR Listing", plus the
 * Sstc stimecmp and the debug-mode CSRs). RV32-only high halves (cycleh, ...) are left out.
 */
export const csrNames: ReadonlyMap<number, string> = new Map<number, string>([
  // Unprivileged floating-point and counters.
  [0x001, 'fflags'], [0x002, 'frm'], [0x003, 'fcsr'],
  [0xc00, 'cycle'], [0xc01, 'time'], [0xc02, 'instret'], ...range('hpmcounter', 3, 29, 0xc03),
  // Supervisor.
  [0x100, 'sstatus'], [0x104, 'sie'], [0x105, 'stvec'], [0x106, 'scounteren'], [0x10a, 'senvcfg'],
  [0x140, 'sscratch'], [0x141, 'sepc'], [0x142, 'scause'], [0x143, 'stval'], [0x144, 'sip'], [0x14d, 'stimecmp'],
  [0x180, 'satp'],
  // Machine information, trap setup and handling.
  [0xf11, 'mvendorid'], [0xf12, 'marchid'], [0xf13, 'mimpid'], [0xf14, 'mhartid'], [0xf15, 'mconfigptr'],
  [0x300, 'mstatus'], [0x301, 'misa'], [0x302, 'medeleg'], [0x303, 'mideleg'], [0x304, 'mie'], [0x305, 'mtvec'],
  [0x306, 'mcounteren'], [0x30a, 'menvcfg'], [0x320, 'mcountinhibit'], ...range('mhpmevent', 3, 29, 0x323),
  [0x340, 'mscratch'], [0x341, 'mepc'], [0x342, 'mcause'], [0x343, 'mtval'], [0x344, 'mip'], [0x34a, 'mtinst'], [0x34b, 'mtval2'],
  [0x747, 'mseccfg'],
  // Physical memory protection: on RV64 only the even pmpcfg registers exist.
  ...Array.from({ length: 8 }, (_, i): [number, string] => [0x3a0 + 2 * i, `pmpcfg${2 * i}`]),
  ...range('pmpaddr', 0, 64, 0x3b0),
  // Machine counters.
  [0xb00, 'mcycle'], [0xb02, 'minstret'], ...range('mhpmcounter', 3, 29, 0xb03),
  // Debug and trigger (Debug Specification 0.13).
  [0x7a0, 'tselect'], [0x7a1, 'tdata1'], [0x7a2, 'tdata2'], [0x7a3, 'tdata3'],
  [0x7b0, 'dcsr'], [0x7b1, 'dpc'], [0x7b2, 'dscratch0'], [0x7b3, 'dscratch1'],
]);

/** The CSRs only RV32 has (Privileged ISA 20211203, "CSR Listing"; Sstc): the high halves of
 * 64-bit CSRs and counters, and the odd pmpcfg registers. */
export const rv32CsrNames: ReadonlyMap<number, string> = new Map<number, string>([
  [0xc80, 'cycleh'], [0xc81, 'timeh'], [0xc82, 'instreth'], ...range('hpmcounter', 3, 29, 0xc83).map(([n, name]): [number, string] => [n, `${name}h`]),
  [0x15d, 'stimecmph'], [0x310, 'mstatush'], [0x31a, 'menvcfgh'], [0x757, 'mseccfgh'],
  ...Array.from({ length: 8 }, (_, i): [number, string] => [0x3a1 + 2 * i, `pmpcfg${2 * i + 1}`]),
  [0xb80, 'mcycleh'], [0xb82, 'minstreth'], ...range('mhpmcounter', 3, 29, 0xb83).map(([n, name]): [number, string] => [n, `${name}h`]),
]);

const hex = (value: number | bigint): string => `0x${value.toString(16)}`;

function csrName(csr: number, xlen: Xlen): string {
  return (xlen === 32 ? rv32CsrNames.get(csr) : undefined) ?? csrNames.get(csr) ?? hex(csr);
}

/** A fence predecessor or successor set as objdump prints it: letters of i, o, r, w, or "unknown" for the empty set. */
function fenceSet(set: number): string {
  const letters = ['i', 'o', 'r', 'w'].filter((_, i) => (set & (8 >> i)) !== 0).join('');
  return letters === '' ? 'unknown' : letters;
}

function registerName(entry: InstructionEntry, operand: RegisterOperand, index: number): string {
  return (entry.floatOperands.includes(operand) ? floatRegisterNames : integerRegisterNames)[index]!;
}

/** The rounding-mode operand, omitted when it is the one an assembler writes by default. */
function roundingSuffix(insn: number, defaultMode: number): string {
  const mode = roundingMode(insn);
  return mode === defaultMode ? '' : `,${roundingModeNames[mode] ?? mode}`;
}

/** The .aq/.rl/.aqrl suffix of an AMO or LR/SC mnemonic. */
function orderingSuffix(insn: number): string {
  return `${acquire(insn) ? '.aq' : ''}${release(insn) ? '.rl' : ''}`.replace('.aq.rl', '.aqrl');
}

/** Operand text of a decoded instruction, comma-separated without spaces as objdump prints it. */
function operands(entry: InstructionEntry, insn: number, pc: bigint, xlen: Xlen): string {
  const x = (operand: RegisterOperand, index: number) => registerName(entry, operand, index);
  const target = (offset: number) => branchTarget(pc, offset, xlen).toString(16);
  const sp = integerRegisterNames[2]!;
  switch (entry.format) {
    case 'R': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))},${x('rs2', rs2(insn))}`;
    case 'R-unary': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))}`;
    case 'R-rounding': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))},${x('rs2', rs2(insn))}${roundingSuffix(insn, DYNAMIC_ROUNDING)}`;
    case 'R-unary-rounding': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))}${roundingSuffix(insn, DYNAMIC_ROUNDING)}`;
    case 'R-unary-exact': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))}${roundingSuffix(insn, EXACT_CONVERSION_ROUNDING)}`;
    case 'R4':
      return `${x('rd', rd(insn))},${x('rs1', rs1(insn))},${x('rs2', rs2(insn))},${x('rs3', rs3(insn))}${roundingSuffix(insn, DYNAMIC_ROUNDING)}`;
    case 'I': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))},${immediateI(insn)}`;
    case 'I-offset': return `${x('rd', rd(insn))},${immediateI(insn)}(${x('rs1', rs1(insn))})`;
    case 'S': return `${x('rs2', rs2(insn))},${immediateS(insn)}(${x('rs1', rs1(insn))})`;
    case 'B': return `${x('rs1', rs1(insn))},${x('rs2', rs2(insn))},${target(immediateB(insn))}`;
    case 'U': return `${x('rd', rd(insn))},${hex(insn >>> 12)}`;
    case 'J': return `${x('rd', rd(insn))},${target(immediateJ(insn))}`;
    case 'shift-immediate': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))},${hex(shiftAmount(insn))}`;
    case 'shift-immediate-word': return `${x('rd', rd(insn))},${x('rs1', rs1(insn))},${hex(shiftAmountWord(insn))}`;
    case 'CSR': return `${x('rd', rd(insn))},${csrName(csrNumber(insn), xlen)},${x('rs1', rs1(insn))}`;
    case 'CSR-immediate': return `${x('rd', rd(insn))},${csrName(csrNumber(insn), xlen)},${csrImmediate(insn)}`;
    case 'AMO': return `${x('rd', rd(insn))},${x('rs2', rs2(insn))},(${x('rs1', rs1(insn))})`;
    case 'load-reserved': return `${x('rd', rd(insn))},(${x('rs1', rs1(insn))})`;
    case 'fence': return `${fenceSet(fencePredecessor(insn))},${fenceSet(fenceSuccessor(insn))}`;
    case 'sfence-vma': return `${x('rs1', rs1(insn))},${x('rs2', rs2(insn))}`;
    case 'no-operands': return '';
    case 'CR': return `${x('rd', cRd(insn))},${x('rs2', cRs2(insn))}`;
    case 'CR-jump': return x('rs1', cRd(insn));
    case 'CI': return `${x('rd', cRd(insn))},${cImmediate(insn)}`;
    case 'CI-nop': return cImmediate(insn) === 0 ? '' : `${cImmediate(insn)}`;
    case 'CI-shift': return `${x('rd', cRd(insn))},${hex(cShiftAmount(insn))}`;
    case 'CI-lui': return `${x('rd', cRd(insn))},${hex((cLuiImmediate(insn) >>> 12) & 0xfffff)}`;
    case 'CI-addi16sp': return `${sp},${cAddi16spImmediate(insn)}`;
    case 'CI-load-word-sp': return `${x('rd', cRd(insn))},${cLwspOffset(insn)}(${sp})`;
    case 'CI-load-double-sp': return `${x('rd', cRd(insn))},${cLdspOffset(insn)}(${sp})`;
    case 'CSS-word': return `${x('rs2', cRs2(insn))},${cSwspOffset(insn)}(${sp})`;
    case 'CSS-double': return `${x('rs2', cRs2(insn))},${cSdspOffset(insn)}(${sp})`;
    case 'CIW': return `${x('rd', cRdPrime(insn))},${sp},${cAddi4spnImmediate(insn)}`;
    case 'CL-word': return `${x('rd', cRdPrime(insn))},${cLwOffset(insn)}(${x('rs1', cRs1Prime(insn))})`;
    case 'CL-double': return `${x('rd', cRdPrime(insn))},${cLdOffset(insn)}(${x('rs1', cRs1Prime(insn))})`;
    case 'CS-word': return `${x('rs2', cRs2Prime(insn))},${cLwOffset(insn)}(${x('rs1', cRs1Prime(insn))})`;
    case 'CS-double': return `${x('rs2', cRs2Prime(insn))},${cLdOffset(insn)}(${x('rs1', cRs1Prime(insn))})`;
    case 'CA': return `${x('rd', cRs1Prime(insn))},${x('rs2', cRs2Prime(insn))}`;
    case 'CB-branch': return `${x('rs1', cRs1Prime(insn))},${target(cBranchOffset(insn))}`;
    case 'CB-shift': return `${x('rd', cRs1Prime(insn))},${hex(cShiftAmount(insn))}`;
    case 'CB-immediate': return `${x('rd', cRs1Prime(insn))},${cImmediate(insn)}`;
    case 'CJ': return target(cJumpOffset(insn));
    default: {
      const unhandled: never = entry.format;
      throw new Error(`disassemble: no operand layout for ${String(unhandled)}`);
    }
  }
}

/**
 * One instruction as text: `addi a0,a0,1`, `ld a0,8(sp)`, `beq a0,a1,80000010` (targets absolute,
 * in bare hex, as objdump prints them before their `<symbol>`), `csrrs a0,mstatus,zero`; at
 * `xlen` (RV64 by default: RV32 decodes c.jal, c.flw, ... and names cycleh, pmpcfg1, ...).
 * Mnemonics are the canonical ones (`objdump -M no-aliases`); a word that is no instruction prints
 * as objdump prints it: `.2byte 0x...` or `.4byte 0x...`, and the all-zero halfword as `c.unimp`.
 */
export function disassemble(insn: number, pc: bigint, xlen: Xlen = 64): string {
  const entry = decode(insn, xlen);
  if (entry === undefined) {
    if (instructionLength(insn) === 2) {
      const halfword = insn & 0xffff;
      return halfword === 0 ? 'c.unimp' : `.2byte ${hex(halfword)}`;
    }
    return `.4byte ${hex(insn >>> 0)}`;
  }
  const suffix = entry.format === 'AMO' || entry.format === 'load-reserved' ? orderingSuffix(insn) : '';
  const text = operands(entry, insn, pc, xlen);
  return text === '' ? `${entry.name}${suffix}` : `${entry.name}${suffix} ${text}`;
}
