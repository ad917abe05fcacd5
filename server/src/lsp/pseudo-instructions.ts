// The assembler's pseudo-instructions (Unprivileged ISA 20191213, "RISC-V Assembly Programmer's Handbook" tables; GNU as): what each expands to and means, and an example GNU as accepts.
//
// Descriptions are this project's own. `expansion` names the base instructions in the order the
// assembler emits them (its first word is the first instruction's mnemonic, which test/lsp checks
// against GNU as on `example`); `single` marks a pseudo-instruction that is exactly one base
// instruction, whose encoding the hover then shows.

import type { Extension } from '../debug/instruction-table';

export interface PseudoInstruction {
  readonly name: string;
  /** Operand syntax as written. */
  readonly syntax: string;
  readonly expansion: string;
  readonly meaning: string;
  readonly extension: Extension;
  /** Expands to one instruction: the first word of `expansion`. */
  readonly single: boolean;
  /** A line GNU as assembles (operands concrete; `sym` is a label the test defines). */
  readonly example: string;
  /** The only XLEN it exists at (rdcycleh, ...); undefined: both. */
  readonly xlen?: 32 | 64;
}

function pseudo(name: string, syntax: string, expansion: string, meaning: string, extension: Extension, example: string,
  options: { single?: boolean; xlen?: 32 | 64 } = {}): PseudoInstruction {
  return { name, syntax, expansion, meaning, extension, single: options.single ?? true, example, ...(options.xlen ? { xlen: options.xlen } : {}) };
}

const counters = (name: string, csr: string, what: string): PseudoInstruction[] => [
  pseudo(name, 'rd', `csrrs rd, ${csr}, x0`, `rd = ${what}`, 'Zicsr', `${name} a0`),
  pseudo(`${name}h`, 'rd', `csrrs rd, ${csr}h, x0`, `rd = the upper 32 bits of ${what} (RV32)`, 'Zicsr', `${name}h a0`, { xlen: 32 }),
];

const floatMoves = (p: 's' | 'd', extension: Extension): PseudoInstruction[] => [
  pseudo(`fmv.${p}`, 'rd, rs', `fsgnj.${p} rd, rs, rs`, 'f[rd] = f[rs]', extension, `fmv.${p} fa0, fa1`),
  pseudo(`fabs.${p}`, 'rd, rs', `fsgnjx.${p} rd, rs, rs`, 'f[rd] = |f[rs]|', extension, `fabs.${p} fa0, fa1`),
  pseudo(`fneg.${p}`, 'rd, rs', `fsgnjn.${p} rd, rs, rs`, 'f[rd] = -f[rs]', extension, `fneg.${p} fa0, fa1`),
];

const branchesAgainstZero: PseudoInstruction[] = [
  ['beqz', 'beq rs, x0, offset', 'rs == 0'], ['bnez', 'bne rs, x0, offset', 'rs != 0'],
  ['blez', 'bge x0, rs, offset', 'rs <=s 0'], ['bgez', 'bge rs, x0, offset', 'rs >=s 0'],
  ['bltz', 'blt rs, x0, offset', 'rs <s 0'], ['bgtz', 'blt x0, rs, offset', 'rs >s 0'],
].map(([name, expansion, test]) => pseudo(name!, 'rs, offset', expansion!, `if (${test}) pc = pc + offset`, 'I', `${name} a0, sym`));

const swappedBranches: PseudoInstruction[] = [
  ['bgt', 'blt rt, rs, offset', 'rs >s rt'], ['ble', 'bge rt, rs, offset', 'rs <=s rt'],
  ['bgtu', 'bltu rt, rs, offset', 'rs >u rt'], ['bleu', 'bgeu rt, rs, offset', 'rs <=u rt'],
].map(([name, expansion, test]) => pseudo(name!, 'rs, rt, offset', expansion!, `if (${test}) pc = pc + offset`, 'I', `${name} a0, a1, sym`));

const csrAccess: PseudoInstruction[] = [
  pseudo('csrr', 'rd, csr', 'csrrs rd, csr, x0', 'rd = CSR', 'Zicsr', 'csrr a0, mstatus'),
  pseudo('csrw', 'csr, rs', 'csrrw x0, csr, rs', 'CSR = rs', 'Zicsr', 'csrw mstatus, a0'),
  pseudo('csrs', 'csr, rs', 'csrrs x0, csr, rs', 'CSR = CSR | rs (sets the bits of rs)', 'Zicsr', 'csrs mstatus, a0'),
  pseudo('csrc', 'csr, rs', 'csrrc x0, csr, rs', 'CSR = CSR & ~rs (clears the bits of rs)', 'Zicsr', 'csrc mstatus, a0'),
  pseudo('csrwi', 'csr, uimm', 'csrrwi x0, csr, uimm', 'CSR = zext(uimm)', 'Zicsr', 'csrwi mstatus, 8'),
  pseudo('csrsi', 'csr, uimm', 'csrrsi x0, csr, uimm', 'CSR = CSR | zext(uimm)', 'Zicsr', 'csrsi mstatus, 8'),
  pseudo('csrci', 'csr, uimm', 'csrrci x0, csr, uimm', 'CSR = CSR & ~zext(uimm)', 'Zicsr', 'csrci mstatus, 8'),
  pseudo('frcsr', 'rd', 'csrrs rd, fcsr, x0', 'rd = fcsr (rounding mode and exception flags)', 'F', 'frcsr a0'),
  pseudo('fscsr', '[rd,] rs', 'csrrw rd, fcsr, rs', 'fcsr = rs (rd = the old value)', 'F', 'fscsr a0, a1'),
  pseudo('frrm', 'rd', 'csrrs rd, frm, x0', 'rd = frm (the dynamic rounding mode)', 'F', 'frrm a0'),
  pseudo('fsrm', '[rd,] rs', 'csrrw rd, frm, rs', 'frm = rs (rd = the old value)', 'F', 'fsrm a0, a1'),
  pseudo('fsrmi', '[rd,] uimm', 'csrrwi rd, frm, uimm', 'frm = uimm (rd = the old value)', 'F', 'fsrmi a0, 1'),
  pseudo('frflags', 'rd', 'csrrs rd, fflags, x0', 'rd = fflags (the accrued exception flags)', 'F', 'frflags a0'),
  pseudo('fsflags', '[rd,] rs', 'csrrw rd, fflags, rs', 'fflags = rs (rd = the old value)', 'F', 'fsflags a0, a1'),
  pseudo('fsflagsi', '[rd,] uimm', 'csrrwi rd, fflags, uimm', 'fflags = uimm (rd = the old value)', 'F', 'fsflagsi a0, 1'),
];

/** By name; a few (jal, jalr, fence, sfence.vma) are short forms of instructions of the same name. */
export const pseudoInstructions: ReadonlyMap<string, PseudoInstruction> = new Map([
  pseudo('nop', '', 'addi x0, x0, 0', 'does nothing', 'I', 'nop'),
  pseudo('li', 'rd, imm', 'addi rd, x0, imm (small values); lui, addi(w) and slli as needed for larger ones',
    'rd = imm', 'I', 'li a0, 5', { single: false }),
  pseudo('la', 'rd, symbol', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo (a GOT load instead of addi when position-independent)',
    'rd = the address of symbol', 'I', 'la a0, sym', { single: false }),
  pseudo('lla', 'rd, symbol', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo', 'rd = the address of symbol, pc-relative', 'I', 'lla a0, sym', { single: false }),
  pseudo('mv', 'rd, rs', 'addi rd, rs, 0', 'rd = rs', 'I', 'mv a0, a1'),
  pseudo('not', 'rd, rs', 'xori rd, rs, -1', 'rd = ~rs', 'I', 'not a0, a1'),
  pseudo('neg', 'rd, rs', 'sub rd, x0, rs', 'rd = -rs', 'I', 'neg a0, a1'),
  pseudo('negw', 'rd, rs', 'subw rd, x0, rs', 'rd = sext((-rs)[31:0])', 'I', 'negw a0, a1', { xlen: 64 }),
  pseudo('sext.w', 'rd, rs', 'addiw rd, rs, 0', 'rd = sext(rs[31:0])', 'I', 'sext.w a0, a1', { xlen: 64 }),
  pseudo('zext.b', 'rd, rs', 'andi rd, rs, 255', 'rd = zext(rs[7:0])', 'I', 'zext.b a0, a1'),
  pseudo('zext.w', 'rd, rs', 'add.uw rd, rs, x0', 'rd = zext(rs[31:0])', 'Zba', 'zext.w a0, a1', { xlen: 64 }),
  pseudo('seqz', 'rd, rs', 'sltiu rd, rs, 1', 'rd = (rs == 0) ? 1 : 0', 'I', 'seqz a0, a1'),
  pseudo('snez', 'rd, rs', 'sltu rd, x0, rs', 'rd = (rs != 0) ? 1 : 0', 'I', 'snez a0, a1'),
  pseudo('sltz', 'rd, rs', 'slt rd, rs, x0', 'rd = (rs <s 0) ? 1 : 0', 'I', 'sltz a0, a1'),
  pseudo('sgtz', 'rd, rs', 'slt rd, x0, rs', 'rd = (rs >s 0) ? 1 : 0', 'I', 'sgtz a0, a1'),
  ...floatMoves('s', 'F'),
  ...floatMoves('d', 'D'),
  ...branchesAgainstZero,
  ...swappedBranches,
  pseudo('j', 'offset', 'jal x0, offset', 'pc = pc + offset (no link)', 'I', 'j sym'),
  pseudo('jal', 'offset', 'jal ra, offset', 'ra = pc + 4; pc = pc + offset', 'I', 'jal sym'),
  pseudo('jr', 'rs', 'jalr x0, 0(rs)', 'pc = rs (no link)', 'I', 'jr a0'),
  pseudo('jalr', 'rs', 'jalr ra, 0(rs)', 'ra = pc + 4; pc = rs', 'I', 'jalr a0'),
  pseudo('ret', '', 'jalr x0, 0(ra)', 'pc = ra: returns from a call', 'I', 'ret'),
  pseudo('call', 'symbol', 'auipc ra, %pcrel_hi(symbol); jalr ra, %pcrel_lo(ra) (a jal when the linker relaxes it)',
    'ra = the return address; pc = symbol', 'I', 'call sym', { single: false }),
  pseudo('tail', 'symbol', 'auipc t1, %pcrel_hi(symbol); jalr x0, %pcrel_lo(t1) (a jal when the linker relaxes it)',
    'pc = symbol without a link: a tail call', 'I', 'tail sym', { single: false }),
  pseudo('fence', '', 'fence iorw, iorw', 'orders every earlier memory and I/O access before every later one', 'I', 'fence'),
  pseudo('sfence.vma', '', 'sfence.vma x0, x0', 'orders page-table writes before later translations and flushes every cached translation', 'privileged', 'sfence.vma'),
  ...counters('rdinstret', 'instret', 'the count of instructions retired'),
  ...counters('rdcycle', 'cycle', 'the cycle counter'),
  ...counters('rdtime', 'time', 'the real-time clock (mtime)'),
  ...csrAccess,
  pseudo('unimp', '', 'csrrw x0, cycle, x0 (c.unimp, the all-zero halfword, when C is on)',
    'an instruction that is always illegal (it writes the read-only cycle CSR): traps', 'I', 'unimp'),
].map((p): [string, PseudoInstruction] => [p.name, p]));
