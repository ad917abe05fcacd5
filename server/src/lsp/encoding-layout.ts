// The bit layout of an instruction table row, for hovers: its fields by format (Unprivileged ISA "Base Instruction Formats", "Immediate Encoding Variants", RVC "Compressed Instruction Formats"), fixed bits from its match/mask.
import type { InstructionEntry, InstructionFormat } from '../debug/instruction-table';

/** One field of an encoding, bits high..low inclusive; `free` is what to call it when the row does not fix it. */
export interface EncodingField {
  readonly name: string;
  readonly high: number;
  readonly low: number;
  readonly free?: string;
}

const field = (name: string, high: number, low = high, free?: string): EncodingField => ({ name, high, low, ...(free ? { free } : {}) });

// 32-bit fields shared by most formats.
const OPCODE = field('opcode', 6, 0);
const RD = field('rd', 11, 7);
const FUNCT3 = field('funct3', 14, 12);
const RM = field('rm', 14, 12);
const RS1 = field('rs1', 19, 15);
const RS2 = field('rs2', 24, 20);
const FUNCT7 = field('funct7', 31, 25);
const R = [FUNCT7, RS2, RS1, FUNCT3, RD, OPCODE];
const R_ROUNDING = [FUNCT7, RS2, RS1, RM, RD, OPCODE];
const I = [field('imm[11:0]', 31, 20), RS1, FUNCT3, RD, OPCODE];

// 16-bit fields.
const OP = field('op', 1, 0);
const C_FUNCT3 = field('funct3', 15, 13);
const CR = [field('funct4', 15, 12), field('rd/rs1', 11, 7), field('rs2', 6, 2), OP];
const ciLayout = (high: string, low: string, register = 'rd/rs1') => [C_FUNCT3, field(high, 12), field(register, 11, 7), field(low, 6, 2), OP];
const clLayout = (low: string, register: string) => [C_FUNCT3, field('uimm[5:3]', 12, 10), field('rs1′', 9, 7), field(low, 6, 5), field(register, 4, 2), OP];
const cbLayout = (high: string, low: string) => [C_FUNCT3, field(high, 12), field('funct2', 11, 10), field('rd′/rs1′', 9, 7), field(low, 6, 2), OP];

const layouts: Record<InstructionFormat, readonly EncodingField[]> = {
  'R': R,
  'R-unary': R,
  'R-rounding': R_ROUNDING,
  'R-unary-rounding': R_ROUNDING,
  'R-unary-exact': R_ROUNDING,
  'R4': [field('rs3', 31, 27), field('fmt', 26, 25), RS2, RS1, RM, RD, OPCODE],
  'I': I,
  'I-offset': I,
  'S': [field('imm[11:5]', 31, 25), RS2, RS1, FUNCT3, field('imm[4:0]', 11, 7), OPCODE],
  'B': [field('imm[12|10:5]', 31, 25), RS2, RS1, FUNCT3, field('imm[4:1|11]', 11, 7), OPCODE],
  'U': [field('imm[31:12]', 31, 12), RD, OPCODE],
  'J': [field('imm[20|10:1|11|19:12]', 31, 12), RD, OPCODE],
  'shift-immediate': [field('funct6', 31, 26), field('shamt', 25, 20), RS1, FUNCT3, RD, OPCODE],
  'shift-immediate-word': [FUNCT7, field('shamt', 24, 20), RS1, FUNCT3, RD, OPCODE],
  'CSR': [field('csr', 31, 20), RS1, FUNCT3, RD, OPCODE],
  'CSR-immediate': [field('csr', 31, 20), field('uimm', 19, 15), FUNCT3, RD, OPCODE],
  'AMO': [field('funct5', 31, 27), field('aq', 26), field('rl', 25), RS2, RS1, FUNCT3, RD, OPCODE],
  'load-reserved': [field('funct5', 31, 27), field('aq', 26), field('rl', 25), RS2, RS1, FUNCT3, RD, OPCODE],
  'fence': [field('fm', 31, 28), field('pred', 27, 24), field('succ', 23, 20), RS1, FUNCT3, RD, OPCODE],
  'sfence-vma': R,
  'no-operands': [field('funct12', 31, 20, 'imm[11:0]'), RS1, FUNCT3, RD, OPCODE],
  'CR': CR,
  'CR-jump': [field('funct4', 15, 12), field('rs1', 11, 7), field('rs2', 6, 2), OP],
  'CI': ciLayout('imm[5]', 'imm[4:0]'),
  'CI-nop': ciLayout('imm[5]', 'imm[4:0]', 'rd'),
  'CI-shift': ciLayout('shamt[5]', 'shamt[4:0]'),
  'CI-lui': ciLayout('nzimm[17]', 'nzimm[16:12]', 'rd'),
  'CI-addi16sp': ciLayout('nzimm[9]', 'nzimm[4|6|8:7|5]', 'rd'),
  'CI-load-word-sp': ciLayout('uimm[5]', 'uimm[4:2|7:6]', 'rd'),
  'CI-load-double-sp': ciLayout('uimm[5]', 'uimm[4:3|8:6]', 'rd'),
  'CSS-word': [C_FUNCT3, field('uimm[5:2|7:6]', 12, 7), field('rs2', 6, 2), OP],
  'CSS-double': [C_FUNCT3, field('uimm[5:3|8:6]', 12, 7), field('rs2', 6, 2), OP],
  'CIW': [C_FUNCT3, field('nzuimm[5:4|9:6|2|3]', 12, 5), field('rd′', 4, 2), OP],
  'CL-word': clLayout('uimm[2|6]', 'rd′'),
  'CL-double': clLayout('uimm[7:6]', 'rd′'),
  'CS-word': clLayout('uimm[2|6]', 'rs2′'),
  'CS-double': clLayout('uimm[7:6]', 'rs2′'),
  'CA': [field('funct6', 15, 10), field('rd′/rs1′', 9, 7), field('funct2', 6, 5), field('rs2′', 4, 2), OP],
  'CB-branch': [C_FUNCT3, field('offset[8|4:3]', 12, 10), field('rs1′', 9, 7), field('offset[7:6|2:1|5]', 6, 2), OP],
  'CB-shift': cbLayout('shamt[5]', 'shamt[4:0]'),
  'CB-immediate': cbLayout('imm[5]', 'imm[4:0]'),
  'CJ': [C_FUNCT3, field('offset[11|4|9:8|10|6|7|3:1|5]', 12, 2), OP],
};

/** The fields of a row, most significant first. */
export function encodingFields(entry: InstructionEntry): readonly EncodingField[] {
  // c.ebreak is the one 16-bit row without operands: a CR encoding with both registers zero.
  if (entry.length === 2 && entry.format === 'no-operands') return CR;
  return layouts[entry.format];
}

/** The spec's name of a row's format: R, I, S, B, U, J, R4 for 32-bit rows; CR, CI, ... for RVC. */
export function formatName(entry: InstructionEntry): string {
  if (entry.length === 2) return entry.format === 'no-operands' ? 'CR' : entry.format.split('-')[0]!;
  switch (entry.format) {
    case 'S': case 'B': case 'U': case 'J': case 'R4': return entry.format;
    case 'I': case 'I-offset': case 'shift-immediate': case 'shift-immediate-word': case 'CSR': case 'CSR-immediate':
    case 'fence': case 'no-operands':
      return 'I';
    default: return 'R';
  }
}

/** Operand syntax of a row as assembly writes it. */
export function operandSyntax(entry: InstructionEntry): string {
  const syntax: Record<InstructionFormat, string> = {
    'R': 'rd, rs1, rs2', 'R-unary': 'rd, rs1', 'R-rounding': 'rd, rs1, rs2[, rm]', 'R-unary-rounding': 'rd, rs1[, rm]',
    'R-unary-exact': 'rd, rs1', 'R4': 'rd, rs1, rs2, rs3[, rm]', 'I': 'rd, rs1, imm', 'I-offset': 'rd, imm(rs1)',
    'S': 'rs2, imm(rs1)', 'B': 'rs1, rs2, offset', 'U': 'rd, imm', 'J': 'rd, offset', 'shift-immediate': 'rd, rs1, shamt',
    'shift-immediate-word': 'rd, rs1, shamt', 'CSR': 'rd, csr, rs1', 'CSR-immediate': 'rd, csr, uimm',
    'AMO': 'rd, rs2, (rs1)', 'load-reserved': 'rd, (rs1)', 'fence': 'pred, succ', 'sfence-vma': 'rs1, rs2', 'no-operands': '',
    'CR': 'rd, rs2', 'CR-jump': 'rs1', 'CI': 'rd, imm', 'CI-nop': '', 'CI-shift': 'rd, shamt', 'CI-lui': 'rd, nzimm',
    'CI-addi16sp': 'sp, nzimm', 'CI-load-word-sp': 'rd, uimm(sp)', 'CI-load-double-sp': 'rd, uimm(sp)',
    'CSS-word': 'rs2, uimm(sp)', 'CSS-double': 'rs2, uimm(sp)', 'CIW': 'rd′, sp, nzuimm', 'CL-word': 'rd′, uimm(rs1′)',
    'CL-double': 'rd′, uimm(rs1′)', 'CS-word': 'rs2′, uimm(rs1′)', 'CS-double': 'rs2′, uimm(rs1′)', 'CA': 'rd′, rs2′',
    'CB-branch': 'rs1′, offset', 'CB-shift': 'rd′, shamt', 'CB-immediate': 'rd′, imm', 'CJ': 'offset',
  };
  return syntax[entry.format];
}

/** Major opcodes (bits 6:0) by the names of the spec's "RISC-V base opcode map". */
const majorOpcodes: ReadonlyMap<number, string> = new Map([
  [0x03, 'LOAD'], [0x07, 'LOAD-FP'], [0x0f, 'MISC-MEM'], [0x13, 'OP-IMM'], [0x17, 'AUIPC'], [0x1b, 'OP-IMM-32'],
  [0x23, 'STORE'], [0x27, 'STORE-FP'], [0x2f, 'AMO'], [0x33, 'OP'], [0x37, 'LUI'], [0x3b, 'OP-32'],
  [0x43, 'MADD'], [0x47, 'MSUB'], [0x4b, 'NMSUB'], [0x4f, 'NMADD'], [0x53, 'OP-FP'],
  [0x63, 'BRANCH'], [0x67, 'JALR'], [0x6f, 'JAL'], [0x73, 'SYSTEM'],
]);

/** The major opcode's name (OP-IMM, ...) or, for RVC, its quadrant (C0, C1, C2). */
export function opcodeName(entry: InstructionEntry): string {
  if (entry.length === 2) return `quadrant C${entry.match & 3}`;
  return majorOpcodes.get(entry.match & 0x7f) ?? 'custom';
}

/** A field's fixed bits as binary, `-` where the row leaves a bit free; undefined when it fixes none. */
export function fixedBits(entry: InstructionEntry, f: EncodingField): string | undefined {
  let out = '';
  let any = false;
  for (let b = f.high; b >= f.low; b--) {
    if ((entry.mask >>> b) & 1) {
      any = true;
      out += String((entry.match >>> b) & 1);
    } else {
      out += '-';
    }
  }
  return any ? out : undefined;
}

/** The layout as a Markdown table: bit ranges over field names, fixed values in code. */
export function encodingTable(entry: InstructionEntry): string {
  const fields = encodingFields(entry);
  const header = fields.map((f) => (f.high === f.low ? `${f.high}` : `${f.high}:${f.low}`));
  // A | inside a cell (imm[12|10:5]) would end it: Markdown tables take it escaped.
  const cells = fields.map((f) => {
    const bits = fixedBits(entry, f);
    return (bits === undefined ? (f.free ?? f.name) : `${f.name} \`${bits}\``).replace(/\|/g, '\\|');
  });
  return `| ${header.join(' | ')} |\n|${header.map(() => ':-:').join('|')}|\n| ${cells.join(' | ')} |`;
}
