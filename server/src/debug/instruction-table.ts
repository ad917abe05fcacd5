// The RV64GC and RV32GC (+Zba/Zbb/Zbc/Zbs, Zicsr, Zifencei, Zihintpause, privileged) instruction sets as match/mask data, with decode() and operand extraction.
//
// Every instruction is one row: a word w is that instruction when (w & mask) === match and w
// matches none of the row's `excluded` patterns. The same rows drive decode(), the
// disassembler (server/src/debug/disassemble.ts) and the opcode-overlap test
// (test/unit/instruction-table.test.ts), in the manner of Spike's riscv/encoding.h.
// Encodings are those of the RISC-V Unprivileged ISA (20191213) chapter listings for RV32I/RV64I,
// M, A, F, D, Zicsr, Zifencei and C ("RVC Instruction Set Listings"), Zihintpause 2.0,
// Bit-Manipulation 1.0.0 (Zba, Zbb, Zbc, Zbs), and the Privileged ISA (20211203) "Privileged
// Instruction Set Listings". Rows marked xlen: 64 exist only in RV64 (the W forms, ld/sd, c.addiw,
// ...), rows marked xlen: 32 only in RV32 (c.jal, c.flw, rev8 and zext.h's RV32 encodings, ...);
// `rv32Excluded` lists what a row loses in RV32 (shift amounts with shamt[5] = 1).

/** The extension an instruction belongs to (ecall/ebreak are base I; mret, sret, wfi, sfence.vma are privileged). */
export type Extension =
  | 'I' | 'M' | 'A' | 'F' | 'D' | 'C'
  | 'Zicsr' | 'Zifencei' | 'Zihintpause' | 'Zba' | 'Zbb' | 'Zbc' | 'Zbs'
  | 'privileged';

/**
 * Operand layout of an instruction: which fields it has and how its immediate is scrambled.
 * 32-bit layouts are named after the spec's base formats; compressed ones after the RVC formats
 * (CR, CI, CSS, CIW, CL, CS, CA, CB, CJ), split where the immediate's bit order differs.
 */
export type InstructionFormat =
  // --- 32-bit ---
  | 'R'                      // rd, rs1, rs2
  | 'R-unary'                // rd, rs1 (rs2 is fixed: clz, fclass.d, fmv.x.d, ...)
  | 'R-rounding'             // rd, rs1, rs2, rm (floating-point arithmetic)
  | 'R-unary-rounding'       // rd, rs1, rm (fsqrt, fcvt)
  | 'R-unary-exact'          // rd, rs1, rm; the conversion is exact so rm has no effect (fcvt.d.w, fcvt.d.wu, fcvt.d.s)
  | 'R4'                     // rd, rs1, rs2, rs3, rm (fused multiply-add)
  | 'I'                      // rd, rs1, imm[11:0]
  | 'I-offset'               // rd, imm[11:0](rs1): loads and jalr
  | 'S'                      // rs2, imm[11:0](rs1)
  | 'B'                      // rs1, rs2, pc + imm[12:1]
  | 'U'                      // rd, imm[31:12]
  | 'J'                      // rd, pc + imm[20:1]
  | 'shift-immediate'        // rd, rs1, shamt[5:0]
  | 'shift-immediate-word'   // rd, rs1, shamt[4:0] (the *w shifts; bit 25 must be zero)
  | 'CSR'                    // rd, csr, rs1
  | 'CSR-immediate'          // rd, csr, uimm[4:0] (in the rs1 field)
  | 'AMO'                    // rd, rs2, (rs1), with aq/rl in bits 26/25
  | 'load-reserved'          // rd, (rs1), with aq/rl
  | 'fence'                  // pred, succ (fm, rs1, rd ignored)
  | 'sfence-vma'             // rs1, rs2
  | 'no-operands'
  // --- 16-bit (RVC) ---
  | 'CR'                     // rd/rs1 [11:7], rs2 [6:2]: c.mv, c.add
  | 'CR-jump'                // rs1 [11:7]: c.jr, c.jalr
  | 'CI'                     // rd/rs1, imm[5|4:0] signed: c.addi, c.addiw, c.li
  | 'CI-nop'                 // imm[5|4:0] signed (non-zero only as a HINT): c.nop
  | 'CI-shift'               // rd/rs1, shamt[5|4:0]: c.slli
  | 'CI-lui'                 // rd, nzimm[17|16:12] signed: c.lui
  | 'CI-addi16sp'            // nzimm[9|4|6|8:7|5] signed, scaled by 16: c.addi16sp
  | 'CI-load-word-sp'        // rd, uimm[5|4:2|7:6](sp): c.lwsp
  | 'CI-load-double-sp'      // rd, uimm[5|4:3|8:6](sp): c.ldsp, c.fldsp
  | 'CSS-word'               // rs2, uimm[5:2|7:6](sp): c.swsp
  | 'CSS-double'             // rs2, uimm[5:3|8:6](sp): c.sdsp, c.fsdsp
  | 'CIW'                    // rd', sp, nzuimm[5:4|9:6|2|3]: c.addi4spn
  | 'CL-word'                // rd', uimm[5:3|2|6](rs1'): c.lw
  | 'CL-double'              // rd', uimm[5:3|7:6](rs1'): c.ld, c.fld
  | 'CS-word'                // rs2', uimm[5:3|2|6](rs1'): c.sw
  | 'CS-double'              // rs2', uimm[5:3|7:6](rs1'): c.sd, c.fsd
  | 'CA'                     // rd'/rs1', rs2': c.sub ... c.addw
  | 'CB-branch'              // rs1', pc + offset[8|4:3|7:6|2:1|5]: c.beqz, c.bnez
  | 'CB-shift'               // rd'/rs1', shamt[5|4:0]: c.srli, c.srai
  | 'CB-immediate'           // rd'/rs1', imm[5|4:0] signed: c.andi
  | 'CJ';                    // pc + offset[11|4|9:8|10|6|7|3:1|5]: c.j

/** Register operand fields; `floatOperands` names those that index the f registers. */
export type RegisterOperand = 'rd' | 'rs1' | 'rs2' | 'rs3';

/** A pattern inside an entry's mask/match whose words are not that entry: reserved, or another row's instruction. */
export type ExcludedEncoding =
  | { readonly kind: 'reserved'; readonly mask: number; readonly match: number; readonly why: string }
  | { readonly kind: 'other-instruction'; readonly mask: number; readonly match: number; readonly why: string; readonly instructions: readonly string[] };

function reserved(mask: number, match: number, why: string): ExcludedEncoding {
  return { kind: 'reserved', mask: mask >>> 0, match: match >>> 0, why };
}

function otherInstruction(mask: number, match: number, instructions: readonly string[], why: string): ExcludedEncoding {
  return { kind: 'other-instruction', mask: mask >>> 0, match: match >>> 0, why, instructions };
}

export interface InstructionEntry {
  readonly name: string;
  /** Unsigned; for 16-bit entries only the low 16 bits are used. */
  readonly match: number;
  readonly mask: number;
  readonly length: 2 | 4;
  readonly format: InstructionFormat;
  readonly extension: Extension;
  readonly excluded: readonly ExcludedEncoding[];
  /** Operands held in the floating-point register file; the others are x registers. */
  readonly floatOperands: readonly RegisterOperand[];
  /** The one XLEN the instruction exists at; undefined: both. */
  readonly xlen?: 32 | 64;
  /** Encodings of this row that are not instructions at XLEN = 32 (on top of `excluded`). */
  readonly rv32Excluded: readonly ExcludedEncoding[];
}

/** The base width an instruction is decoded for: RV64 (the default) or RV32. */
export type Xlen = 32 | 64;

/** True when the entry is an instruction at `xlen` (its own XLEN, or both). */
export function existsAt(entry: InstructionEntry, xlen: Xlen): boolean {
  return entry.xlen === undefined || entry.xlen === xlen;
}

/** True when `word` (a 32-bit word, or a halfword for 16-bit entries) is this entry at `xlen`. */
export function matches(entry: InstructionEntry, word: number, xlen: Xlen = 64): boolean {
  if (!existsAt(entry, xlen)) return false;
  const w = entry.length === 2 ? word & 0xffff : word >>> 0;
  if (((w & entry.mask) >>> 0) !== entry.match) return false;
  for (const excluded of xlen === 32 ? [...entry.excluded, ...entry.rv32Excluded] : entry.excluded) {
    if (((w & excluded.mask) >>> 0) === excluded.match) return false;
  }
  return true;
}

/** Formats whose bits 14:12 are a rounding mode. */
const ROUNDING_FORMATS: ReadonlySet<InstructionFormat> = new Set<InstructionFormat>(['R-rounding', 'R-unary-rounding', 'R-unary-exact', 'R4']);

/** rm = 101 and 110 are reserved (F extension, "Floating-Point Control and Status Register"): such words are illegal. */
const RESERVED_ROUNDING_MODES: readonly ExcludedEncoding[] = [
  reserved(0x00007000, 0x00005000, 'rm=101'),
  reserved(0x00007000, 0x00006000, 'rm=110'),
];

interface RowOptions {
  readonly float?: readonly RegisterOperand[];
  readonly excluded?: readonly ExcludedEncoding[];
  readonly xlen?: Xlen;
  readonly rv32Excluded?: readonly ExcludedEncoding[];
}

function row(name: string, match: number, mask: number, format: InstructionFormat, extension: Extension, options: RowOptions = {}): InstructionEntry {
  const length = (match & 3) === 3 ? 4 : 2;
  const excluded = [...(options.excluded ?? []), ...(ROUNDING_FORMATS.has(format) ? RESERVED_ROUNDING_MODES : [])];
  return {
    name, match: match >>> 0, mask: mask >>> 0, length, format, extension, excluded, floatOperands: options.float ?? [],
    ...(options.xlen === undefined ? {} : { xlen: options.xlen }), rv32Excluded: options.rv32Excluded ?? [],
  };
}

/** RV64-only rows. */
const RV64: RowOptions = { xlen: 64 };
/** RV32-only rows. */
const RV32: RowOptions = { xlen: 32 };
/** Shift amounts are 5 bits at XLEN = 32: shamt[5] = 1 (bit 25) is no RV32 instruction ("RV32I ... SLLI, SRLI, and SRAI
 * generate an illegal instruction exception if imm[5] != 0"; the same for the Zbb/Zbs immediates). */
const SHAMT5: RowOptions = { rv32Excluded: [reserved(0x02000000, 0x02000000, 'shamt[5]=1 at XLEN=32')] };
/** c.slli/c.srli/c.srai with shamt[5] = 1 (bit 12) are custom code points in RV32C (none is implemented). */
const C_SHAMT5: RowOptions = { rv32Excluded: [reserved(0x1000, 0x1000, 'shamt[5]=1 at XLEN=32 (custom)')] };

// Compressed fields that exclusions test (RVC "Compressed Instruction Formats"): rd/rs1 in bits 11:7, rs2 in bits 6:2.
const C_RD_MASK = 0x0f80;
const C_RS2_MASK = 0x007c;
/** The CI immediate bits 12 and 6:2 (c.lui, c.addi16sp). */
const C_CI_IMMEDIATE_MASK = 0x107c;
/** The CIW immediate bits 12:5 (c.addi4spn). */
const C_CIW_IMMEDIATE_MASK = 0x1fe0;

const rdZeroReserved = reserved(C_RD_MASK, 0, 'rd=0');
const rs1ZeroReserved = reserved(C_RD_MASK, 0, 'rs1=0');

/** One row per instruction, grouped by extension. */
export const instructionTable: readonly InstructionEntry[] = [
  // RV64I (fence.tso is the FENCE.TSO encoding of FENCE; ecall/ebreak are base instructions)
  row('lui', 0x00000037, 0x0000007f, 'U', 'I'),
  row('auipc', 0x00000017, 0x0000007f, 'U', 'I'),
  row('jal', 0x0000006f, 0x0000007f, 'J', 'I'),
  row('jalr', 0x00000067, 0x0000707f, 'I-offset', 'I'),
  row('beq', 0x00000063, 0x0000707f, 'B', 'I'),
  row('bne', 0x00001063, 0x0000707f, 'B', 'I'),
  row('blt', 0x00004063, 0x0000707f, 'B', 'I'),
  row('bge', 0x00005063, 0x0000707f, 'B', 'I'),
  row('bltu', 0x00006063, 0x0000707f, 'B', 'I'),
  row('bgeu', 0x00007063, 0x0000707f, 'B', 'I'),
  row('lb', 0x00000003, 0x0000707f, 'I-offset', 'I'),
  row('lh', 0x00001003, 0x0000707f, 'I-offset', 'I'),
  row('lw', 0x00002003, 0x0000707f, 'I-offset', 'I'),
  row('ld', 0x00003003, 0x0000707f, 'I-offset', 'I', RV64),
  row('lbu', 0x00004003, 0x0000707f, 'I-offset', 'I'),
  row('lhu', 0x00005003, 0x0000707f, 'I-offset', 'I'),
  row('lwu', 0x00006003, 0x0000707f, 'I-offset', 'I', RV64),
  row('sb', 0x00000023, 0x0000707f, 'S', 'I'),
  row('sh', 0x00001023, 0x0000707f, 'S', 'I'),
  row('sw', 0x00002023, 0x0000707f, 'S', 'I'),
  row('sd', 0x00003023, 0x0000707f, 'S', 'I', RV64),
  row('addi', 0x00000013, 0x0000707f, 'I', 'I'),
  row('slti', 0x00002013, 0x0000707f, 'I', 'I'),
  row('sltiu', 0x00003013, 0x0000707f, 'I', 'I'),
  row('xori', 0x00004013, 0x0000707f, 'I', 'I'),
  row('ori', 0x00006013, 0x0000707f, 'I', 'I'),
  row('andi', 0x00007013, 0x0000707f, 'I', 'I'),
  row('slli', 0x00001013, 0xfc00707f, 'shift-immediate', 'I', SHAMT5),
  row('srli', 0x00005013, 0xfc00707f, 'shift-immediate', 'I', SHAMT5),
  row('srai', 0x40005013, 0xfc00707f, 'shift-immediate', 'I', SHAMT5),
  row('add', 0x00000033, 0xfe00707f, 'R', 'I'),
  row('sub', 0x40000033, 0xfe00707f, 'R', 'I'),
  row('sll', 0x00001033, 0xfe00707f, 'R', 'I'),
  row('slt', 0x00002033, 0xfe00707f, 'R', 'I'),
  row('sltu', 0x00003033, 0xfe00707f, 'R', 'I'),
  row('xor', 0x00004033, 0xfe00707f, 'R', 'I'),
  row('srl', 0x00005033, 0xfe00707f, 'R', 'I'),
  row('sra', 0x40005033, 0xfe00707f, 'R', 'I'),
  row('or', 0x00006033, 0xfe00707f, 'R', 'I'),
  row('and', 0x00007033, 0xfe00707f, 'R', 'I'),
  row('fence', 0x0000000f, 0x0000707f, 'fence', 'I', {
    excluded: [
      otherInstruction(0xffffffff, 0x0100000f, ['pause'], 'fence w,0 with fm=0, rs1=rd=0'),
      otherInstruction(0xfff0707f, 0x8330000f, ['fence.tso'], 'fm=1000 with pred=succ=rw'),
    ],
  }),
  row('fence.tso', 0x8330000f, 0xfff0707f, 'no-operands', 'I'),
  row('ecall', 0x00000073, 0xffffffff, 'no-operands', 'I'),
  row('ebreak', 0x00100073, 0xffffffff, 'no-operands', 'I'),
  row('addiw', 0x0000001b, 0x0000707f, 'I', 'I', RV64),
  row('slliw', 0x0000101b, 0xfe00707f, 'shift-immediate-word', 'I', RV64),
  row('srliw', 0x0000501b, 0xfe00707f, 'shift-immediate-word', 'I', RV64),
  row('sraiw', 0x4000501b, 0xfe00707f, 'shift-immediate-word', 'I', RV64),
  row('addw', 0x0000003b, 0xfe00707f, 'R', 'I', RV64),
  row('subw', 0x4000003b, 0xfe00707f, 'R', 'I', RV64),
  row('sllw', 0x0000103b, 0xfe00707f, 'R', 'I', RV64),
  row('srlw', 0x0000503b, 0xfe00707f, 'R', 'I', RV64),
  row('sraw', 0x4000503b, 0xfe00707f, 'R', 'I', RV64),
  // Zihintpause: PAUSE is the FENCE hint with pred=w, succ=0
  row('pause', 0x0100000f, 0xffffffff, 'no-operands', 'Zihintpause'),
  // Zifencei
  row('fence.i', 0x0000100f, 0x0000707f, 'no-operands', 'Zifencei'),
  // Zicsr
  row('csrrw', 0x00001073, 0x0000707f, 'CSR', 'Zicsr'),
  row('csrrs', 0x00002073, 0x0000707f, 'CSR', 'Zicsr'),
  row('csrrc', 0x00003073, 0x0000707f, 'CSR', 'Zicsr'),
  row('csrrwi', 0x00005073, 0x0000707f, 'CSR-immediate', 'Zicsr'),
  row('csrrsi', 0x00006073, 0x0000707f, 'CSR-immediate', 'Zicsr'),
  row('csrrci', 0x00007073, 0x0000707f, 'CSR-immediate', 'Zicsr'),
  // M
  row('mul', 0x02000033, 0xfe00707f, 'R', 'M'),
  row('mulh', 0x02001033, 0xfe00707f, 'R', 'M'),
  row('mulhsu', 0x02002033, 0xfe00707f, 'R', 'M'),
  row('mulhu', 0x02003033, 0xfe00707f, 'R', 'M'),
  row('div', 0x02004033, 0xfe00707f, 'R', 'M'),
  row('divu', 0x02005033, 0xfe00707f, 'R', 'M'),
  row('rem', 0x02006033, 0xfe00707f, 'R', 'M'),
  row('remu', 0x02007033, 0xfe00707f, 'R', 'M'),
  row('mulw', 0x0200003b, 0xfe00707f, 'R', 'M', RV64),
  row('divw', 0x0200403b, 0xfe00707f, 'R', 'M', RV64),
  row('divuw', 0x0200503b, 0xfe00707f, 'R', 'M', RV64),
  row('remw', 0x0200603b, 0xfe00707f, 'R', 'M', RV64),
  row('remuw', 0x0200703b, 0xfe00707f, 'R', 'M', RV64),
  // A
  row('lr.w', 0x1000202f, 0xf9f0707f, 'load-reserved', 'A'),
  row('sc.w', 0x1800202f, 0xf800707f, 'AMO', 'A'),
  row('amoswap.w', 0x0800202f, 0xf800707f, 'AMO', 'A'),
  row('amoadd.w', 0x0000202f, 0xf800707f, 'AMO', 'A'),
  row('amoxor.w', 0x2000202f, 0xf800707f, 'AMO', 'A'),
  row('amoand.w', 0x6000202f, 0xf800707f, 'AMO', 'A'),
  row('amoor.w', 0x4000202f, 0xf800707f, 'AMO', 'A'),
  row('amomin.w', 0x8000202f, 0xf800707f, 'AMO', 'A'),
  row('amomax.w', 0xa000202f, 0xf800707f, 'AMO', 'A'),
  row('amominu.w', 0xc000202f, 0xf800707f, 'AMO', 'A'),
  row('amomaxu.w', 0xe000202f, 0xf800707f, 'AMO', 'A'),
  row('lr.d', 0x1000302f, 0xf9f0707f, 'load-reserved', 'A', RV64),
  row('sc.d', 0x1800302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amoswap.d', 0x0800302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amoadd.d', 0x0000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amoxor.d', 0x2000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amoand.d', 0x6000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amoor.d', 0x4000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amomin.d', 0x8000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amomax.d', 0xa000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amominu.d', 0xc000302f, 0xf800707f, 'AMO', 'A', RV64),
  row('amomaxu.d', 0xe000302f, 0xf800707f, 'AMO', 'A', RV64),
  // F
  row('flw', 0x00002007, 0x0000707f, 'I-offset', 'F', { float: ['rd'] }),
  row('fsw', 0x00002027, 0x0000707f, 'S', 'F', { float: ['rs2'] }),
  row('fmadd.s', 0x00000043, 0x0600007f, 'R4', 'F', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fmsub.s', 0x00000047, 0x0600007f, 'R4', 'F', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fnmsub.s', 0x0000004b, 0x0600007f, 'R4', 'F', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fnmadd.s', 0x0000004f, 0x0600007f, 'R4', 'F', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fadd.s', 0x00000053, 0xfe00007f, 'R-rounding', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsub.s', 0x08000053, 0xfe00007f, 'R-rounding', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fmul.s', 0x10000053, 0xfe00007f, 'R-rounding', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fdiv.s', 0x18000053, 0xfe00007f, 'R-rounding', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsqrt.s', 0x58000053, 0xfff0007f, 'R-unary-rounding', 'F', { float: ['rd', 'rs1'] }),
  row('fsgnj.s', 0x20000053, 0xfe00707f, 'R', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsgnjn.s', 0x20001053, 0xfe00707f, 'R', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsgnjx.s', 0x20002053, 0xfe00707f, 'R', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fmin.s', 0x28000053, 0xfe00707f, 'R', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('fmax.s', 0x28001053, 0xfe00707f, 'R', 'F', { float: ['rd', 'rs1', 'rs2'] }),
  row('feq.s', 0xa0002053, 0xfe00707f, 'R', 'F', { float: ['rs1', 'rs2'] }),
  row('flt.s', 0xa0001053, 0xfe00707f, 'R', 'F', { float: ['rs1', 'rs2'] }),
  row('fle.s', 0xa0000053, 0xfe00707f, 'R', 'F', { float: ['rs1', 'rs2'] }),
  row('fcvt.w.s', 0xc0000053, 0xfff0007f, 'R-unary-rounding', 'F', { float: ['rs1'] }),
  row('fcvt.wu.s', 0xc0100053, 0xfff0007f, 'R-unary-rounding', 'F', { float: ['rs1'] }),
  row('fcvt.l.s', 0xc0200053, 0xfff0007f, 'R-unary-rounding', 'F', { ...RV64, float: ['rs1'] }),
  row('fcvt.lu.s', 0xc0300053, 0xfff0007f, 'R-unary-rounding', 'F', { ...RV64, float: ['rs1'] }),
  row('fcvt.s.w', 0xd0000053, 0xfff0007f, 'R-unary-rounding', 'F', { float: ['rd'] }),
  row('fcvt.s.wu', 0xd0100053, 0xfff0007f, 'R-unary-rounding', 'F', { float: ['rd'] }),
  row('fcvt.s.l', 0xd0200053, 0xfff0007f, 'R-unary-rounding', 'F', { ...RV64, float: ['rd'] }),
  row('fcvt.s.lu', 0xd0300053, 0xfff0007f, 'R-unary-rounding', 'F', { ...RV64, float: ['rd'] }),
  row('fmv.x.w', 0xe0000053, 0xfff0707f, 'R-unary', 'F', { float: ['rs1'] }),
  row('fclass.s', 0xe0001053, 0xfff0707f, 'R-unary', 'F', { float: ['rs1'] }),
  row('fmv.w.x', 0xf0000053, 0xfff0707f, 'R-unary', 'F', { float: ['rd'] }),
  // D
  row('fld', 0x00003007, 0x0000707f, 'I-offset', 'D', { float: ['rd'] }),
  row('fsd', 0x00003027, 0x0000707f, 'S', 'D', { float: ['rs2'] }),
  row('fmadd.d', 0x02000043, 0x0600007f, 'R4', 'D', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fmsub.d', 0x02000047, 0x0600007f, 'R4', 'D', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fnmsub.d', 0x0200004b, 0x0600007f, 'R4', 'D', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fnmadd.d', 0x0200004f, 0x0600007f, 'R4', 'D', { float: ['rd', 'rs1', 'rs2', 'rs3'] }),
  row('fadd.d', 0x02000053, 0xfe00007f, 'R-rounding', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsub.d', 0x0a000053, 0xfe00007f, 'R-rounding', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fmul.d', 0x12000053, 0xfe00007f, 'R-rounding', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fdiv.d', 0x1a000053, 0xfe00007f, 'R-rounding', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsqrt.d', 0x5a000053, 0xfff0007f, 'R-unary-rounding', 'D', { float: ['rd', 'rs1'] }),
  row('fsgnj.d', 0x22000053, 0xfe00707f, 'R', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsgnjn.d', 0x22001053, 0xfe00707f, 'R', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fsgnjx.d', 0x22002053, 0xfe00707f, 'R', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fmin.d', 0x2a000053, 0xfe00707f, 'R', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('fmax.d', 0x2a001053, 0xfe00707f, 'R', 'D', { float: ['rd', 'rs1', 'rs2'] }),
  row('feq.d', 0xa2002053, 0xfe00707f, 'R', 'D', { float: ['rs1', 'rs2'] }),
  row('flt.d', 0xa2001053, 0xfe00707f, 'R', 'D', { float: ['rs1', 'rs2'] }),
  row('fle.d', 0xa2000053, 0xfe00707f, 'R', 'D', { float: ['rs1', 'rs2'] }),
  row('fcvt.w.d', 0xc2000053, 0xfff0007f, 'R-unary-rounding', 'D', { float: ['rs1'] }),
  row('fcvt.wu.d', 0xc2100053, 0xfff0007f, 'R-unary-rounding', 'D', { float: ['rs1'] }),
  row('fcvt.l.d', 0xc2200053, 0xfff0007f, 'R-unary-rounding', 'D', { ...RV64, float: ['rs1'] }),
  row('fcvt.lu.d', 0xc2300053, 0xfff0007f, 'R-unary-rounding', 'D', { ...RV64, float: ['rs1'] }),
  row('fcvt.d.w', 0xd2000053, 0xfff0007f, 'R-unary-exact', 'D', { float: ['rd'] }),
  row('fcvt.d.wu', 0xd2100053, 0xfff0007f, 'R-unary-exact', 'D', { float: ['rd'] }),
  row('fcvt.d.l', 0xd2200053, 0xfff0007f, 'R-unary-rounding', 'D', { ...RV64, float: ['rd'] }),
  row('fcvt.d.lu', 0xd2300053, 0xfff0007f, 'R-unary-rounding', 'D', { ...RV64, float: ['rd'] }),
  row('fmv.x.d', 0xe2000053, 0xfff0707f, 'R-unary', 'D', { ...RV64, float: ['rs1'] }),
  row('fclass.d', 0xe2001053, 0xfff0707f, 'R-unary', 'D', { float: ['rs1'] }),
  row('fmv.d.x', 0xf2000053, 0xfff0707f, 'R-unary', 'D', { ...RV64, float: ['rd'] }),
  row('fcvt.s.d', 0x40100053, 0xfff0007f, 'R-unary-rounding', 'D', { float: ['rd', 'rs1'] }),
  row('fcvt.d.s', 0x42000053, 0xfff0007f, 'R-unary-exact', 'D', { float: ['rd', 'rs1'] }),
  // Zba
  row('add.uw', 0x0800003b, 0xfe00707f, 'R', 'Zba', RV64),
  row('sh1add', 0x20002033, 0xfe00707f, 'R', 'Zba'),
  row('sh2add', 0x20004033, 0xfe00707f, 'R', 'Zba'),
  row('sh3add', 0x20006033, 0xfe00707f, 'R', 'Zba'),
  row('sh1add.uw', 0x2000203b, 0xfe00707f, 'R', 'Zba', RV64),
  row('sh2add.uw', 0x2000403b, 0xfe00707f, 'R', 'Zba', RV64),
  row('sh3add.uw', 0x2000603b, 0xfe00707f, 'R', 'Zba', RV64),
  row('slli.uw', 0x0800101b, 0xfc00707f, 'shift-immediate', 'Zba', RV64),
  // Zbb
  row('andn', 0x40007033, 0xfe00707f, 'R', 'Zbb'),
  row('orn', 0x40006033, 0xfe00707f, 'R', 'Zbb'),
  row('xnor', 0x40004033, 0xfe00707f, 'R', 'Zbb'),
  row('clz', 0x60001013, 0xfff0707f, 'R-unary', 'Zbb'),
  row('ctz', 0x60101013, 0xfff0707f, 'R-unary', 'Zbb'),
  row('cpop', 0x60201013, 0xfff0707f, 'R-unary', 'Zbb'),
  row('sext.b', 0x60401013, 0xfff0707f, 'R-unary', 'Zbb'),
  row('sext.h', 0x60501013, 0xfff0707f, 'R-unary', 'Zbb'),
  row('clzw', 0x6000101b, 0xfff0707f, 'R-unary', 'Zbb', RV64),
  row('ctzw', 0x6010101b, 0xfff0707f, 'R-unary', 'Zbb', RV64),
  row('cpopw', 0x6020101b, 0xfff0707f, 'R-unary', 'Zbb', RV64),
  row('min', 0x0a004033, 0xfe00707f, 'R', 'Zbb'),
  row('minu', 0x0a005033, 0xfe00707f, 'R', 'Zbb'),
  row('max', 0x0a006033, 0xfe00707f, 'R', 'Zbb'),
  row('maxu', 0x0a007033, 0xfe00707f, 'R', 'Zbb'),
  row('orc.b', 0x28705013, 0xfff0707f, 'R-unary', 'Zbb'),
  row('rev8', 0x6b805013, 0xfff0707f, 'R-unary', 'Zbb', RV64),
  row('rol', 0x60001033, 0xfe00707f, 'R', 'Zbb'),
  row('ror', 0x60005033, 0xfe00707f, 'R', 'Zbb'),
  row('rori', 0x60005013, 0xfc00707f, 'shift-immediate', 'Zbb', SHAMT5),
  row('rolw', 0x6000103b, 0xfe00707f, 'R', 'Zbb', RV64),
  row('rorw', 0x6000503b, 0xfe00707f, 'R', 'Zbb', RV64),
  row('roriw', 0x6000501b, 0xfe00707f, 'shift-immediate-word', 'Zbb', RV64),
  row('zext.h', 0x0800403b, 0xfff0707f, 'R-unary', 'Zbb', RV64),
  // Zbb, RV32 encodings: rev8 with imm 0x698, zext.h as pack in OP (rs2 = x0)
  row('rev8', 0x69805013, 0xfff0707f, 'R-unary', 'Zbb', RV32),
  row('zext.h', 0x08004033, 0xfff0707f, 'R-unary', 'Zbb', RV32),
  // Zbc
  row('clmul', 0x0a001033, 0xfe00707f, 'R', 'Zbc'),
  row('clmulr', 0x0a002033, 0xfe00707f, 'R', 'Zbc'),
  row('clmulh', 0x0a003033, 0xfe00707f, 'R', 'Zbc'),
  // Zbs
  row('bclr', 0x48001033, 0xfe00707f, 'R', 'Zbs'),
  row('bext', 0x48005033, 0xfe00707f, 'R', 'Zbs'),
  row('binv', 0x68001033, 0xfe00707f, 'R', 'Zbs'),
  row('bset', 0x28001033, 0xfe00707f, 'R', 'Zbs'),
  row('bclri', 0x48001013, 0xfc00707f, 'shift-immediate', 'Zbs', SHAMT5),
  row('bexti', 0x48005013, 0xfc00707f, 'shift-immediate', 'Zbs', SHAMT5),
  row('binvi', 0x68001013, 0xfc00707f, 'shift-immediate', 'Zbs', SHAMT5),
  row('bseti', 0x28001013, 0xfc00707f, 'shift-immediate', 'Zbs', SHAMT5),
  // Privileged
  row('sret', 0x10200073, 0xffffffff, 'no-operands', 'privileged'),
  row('mret', 0x30200073, 0xffffffff, 'no-operands', 'privileged'),
  row('wfi', 0x10500073, 0xffffffff, 'no-operands', 'privileged'),
  row('sfence.vma', 0x12000073, 0xfe007fff, 'sfence-vma', 'privileged'),
  // C (RV64 forms), quadrant 0; reserved encodings and HINTs per the RVC opcode map
  row('c.addi4spn', 0x0000, 0xe003, 'CIW', 'C', { excluded: [reserved(C_CIW_IMMEDIATE_MASK, 0, 'nzuimm=0 (so 0x0000 is illegal)')] }),
  row('c.fld', 0x2000, 0xe003, 'CL-double', 'C', { float: ['rd'] }),
  row('c.lw', 0x4000, 0xe003, 'CL-word', 'C'),
  row('c.ld', 0x6000, 0xe003, 'CL-double', 'C', RV64),
  row('c.fsd', 0xa000, 0xe003, 'CS-double', 'C', { float: ['rs2'] }),
  row('c.sw', 0xc000, 0xe003, 'CS-word', 'C'),
  row('c.sd', 0xe000, 0xe003, 'CS-double', 'C', RV64),
  // C, RV32 forms of quadrant 0: c.flw and c.fsw where RV64 has c.ld and c.sd
  row('c.flw', 0x6000, 0xe003, 'CL-word', 'C', { ...RV32, float: ['rd'] }),
  row('c.fsw', 0xe000, 0xe003, 'CS-word', 'C', { ...RV32, float: ['rs2'] }),
  // C, quadrant 1
  row('c.nop', 0x0001, 0xef83, 'CI-nop', 'C'),
  row('c.addi', 0x0001, 0xe003, 'CI', 'C', { excluded: [otherInstruction(C_RD_MASK, 0, ['c.nop'], 'rd=0')] }),
  row('c.addiw', 0x2001, 0xe003, 'CI', 'C', { ...RV64, excluded: [rdZeroReserved] }),
  row('c.jal', 0x2001, 0xe003, 'CJ', 'C', RV32), // RV32: where RV64 has c.addiw
  row('c.li', 0x4001, 0xe003, 'CI', 'C'),
  row('c.addi16sp', 0x6101, 0xef83, 'CI-addi16sp', 'C', { excluded: [reserved(C_CI_IMMEDIATE_MASK, 0, 'nzimm=0')] }),
  row('c.lui', 0x6001, 0xe003, 'CI-lui', 'C', {
    excluded: [
      otherInstruction(C_RD_MASK, 0x0100, ['c.addi16sp'], 'rd=2'),
      reserved(C_CI_IMMEDIATE_MASK, 0, 'nzimm=0'),
    ],
  }),
  row('c.srli', 0x8001, 0xec03, 'CB-shift', 'C', C_SHAMT5),
  row('c.srai', 0x8401, 0xec03, 'CB-shift', 'C', C_SHAMT5),
  row('c.andi', 0x8801, 0xec03, 'CB-immediate', 'C'),
  row('c.sub', 0x8c01, 0xfc63, 'CA', 'C'),
  row('c.xor', 0x8c21, 0xfc63, 'CA', 'C'),
  row('c.or', 0x8c41, 0xfc63, 'CA', 'C'),
  row('c.and', 0x8c61, 0xfc63, 'CA', 'C'),
  row('c.subw', 0x9c01, 0xfc63, 'CA', 'C', RV64),
  row('c.addw', 0x9c21, 0xfc63, 'CA', 'C', RV64),
  row('c.j', 0xa001, 0xe003, 'CJ', 'C'),
  row('c.beqz', 0xc001, 0xe003, 'CB-branch', 'C'),
  row('c.bnez', 0xe001, 0xe003, 'CB-branch', 'C'),
  // C, quadrant 2
  row('c.slli', 0x0002, 0xe003, 'CI-shift', 'C', C_SHAMT5),
  row('c.fldsp', 0x2002, 0xe003, 'CI-load-double-sp', 'C', { float: ['rd'] }),
  row('c.lwsp', 0x4002, 0xe003, 'CI-load-word-sp', 'C', { excluded: [rdZeroReserved] }),
  row('c.ldsp', 0x6002, 0xe003, 'CI-load-double-sp', 'C', { ...RV64, excluded: [rdZeroReserved] }),
  row('c.jr', 0x8002, 0xf07f, 'CR-jump', 'C', { excluded: [rs1ZeroReserved] }),
  row('c.mv', 0x8002, 0xf003, 'CR', 'C', { excluded: [otherInstruction(C_RS2_MASK, 0, ['c.jr'], 'rs2=0')] }),
  row('c.ebreak', 0x9002, 0xffff, 'no-operands', 'C'),
  row('c.jalr', 0x9002, 0xf07f, 'CR-jump', 'C', { excluded: [otherInstruction(C_RD_MASK, 0, ['c.ebreak'], 'rs1=0')] }),
  row('c.add', 0x9002, 0xf003, 'CR', 'C', { excluded: [otherInstruction(C_RS2_MASK, 0, ['c.jalr', 'c.ebreak'], 'rs2=0')] }),
  row('c.fsdsp', 0xa002, 0xe003, 'CSS-double', 'C', { float: ['rs2'] }),
  row('c.swsp', 0xc002, 0xe003, 'CSS-word', 'C'),
  row('c.sdsp', 0xe002, 0xe003, 'CSS-double', 'C', RV64),
  // C, RV32 forms of quadrant 2: c.flwsp and c.fswsp where RV64 has c.ldsp and c.sdsp
  row('c.flwsp', 0x6002, 0xe003, 'CI-load-word-sp', 'C', { ...RV32, float: ['rd'] }),
  row('c.fswsp', 0xe002, 0xe003, 'CSS-word', 'C', { ...RV32, float: ['rs2'] }),
];

// ---------------------------------------------------------------------------------------------
// decode

/**
 * Entries bucketed by the bits every row of a length fixes: the major opcode (bits 6:0) of
 * 32-bit rows, funct3 and quadrant (bits 15:13, 1:0) of 16-bit rows.
 */
const buckets = new Map<number, InstructionEntry[]>();

function bucketKey(word: number): number {
  return (word & 3) === 3 ? word & 0x7f : 0x10000 | (word & 0xe003);
}

for (const entry of instructionTable) {
  const keyMask = entry.length === 4 ? 0x7f : 0xe003;
  if ((entry.mask & keyMask) !== keyMask) throw new Error(`instruction table: ${entry.name} does not fix its opcode bits`);
  if ((entry.match & ~entry.mask) !== 0) throw new Error(`instruction table: ${entry.name} has match bits outside its mask`);
  const key = bucketKey(entry.match);
  const bucket = buckets.get(key);
  if (bucket === undefined) buckets.set(key, [entry]);
  else bucket.push(entry);
}

/** Length in bytes of the instruction whose first halfword is `insn` (2 or 4; longer encodings are not supported). */
export function instructionLength(insn: number): 2 | 4 {
  return (insn & 3) === 3 ? 4 : 2;
}

/**
 * The table entry for an instruction word at `xlen` (RV64 by default), or undefined for an
 * illegal or reserved encoding. When the low two bits are not 11 only the low halfword is looked
 * at (a compressed instruction).
 */
export function decode(insn: number, xlen: Xlen = 64): InstructionEntry | undefined {
  const word = instructionLength(insn) === 4 ? insn >>> 0 : insn & 0xffff;
  const bucket = buckets.get(bucketKey(word));
  if (bucket === undefined) return undefined;
  for (const entry of bucket) {
    if (matches(entry, word, xlen)) return entry;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Operand fields of 32-bit instructions (Unprivileged ISA "Immediate Encoding Variants"). Immediates are
// returned sign-extended as numbers: none is wider than 32 bits.

export const rd = (insn: number): number => (insn >>> 7) & 31;
export const rs1 = (insn: number): number => (insn >>> 15) & 31;
export const rs2 = (insn: number): number => (insn >>> 20) & 31;
export const rs3 = (insn: number): number => (insn >>> 27) & 31;
/** The funct3 field, which holds the rounding mode of floating-point instructions. */
export const roundingMode = (insn: number): number => (insn >>> 12) & 7;

export const immediateI = (insn: number): number => insn >> 20;
export const immediateS = (insn: number): number => ((insn >> 25) << 5) | ((insn >>> 7) & 0x1f);
export const immediateB = (insn: number): number =>
  ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
/** The value a U-type instruction adds or loads: imm[31:12] << 12, sign-extended from bit 31. */
export const immediateU = (insn: number): number => insn & ~0xfff;
export const immediateJ = (insn: number): number =>
  ((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);

/** shamt[5:0] of an RV64 shift-immediate (bits 25:20). */
export const shiftAmount = (insn: number): number => (insn >>> 20) & 0x3f;
/** shamt[4:0] of a *w shift-immediate (bits 24:20). */
export const shiftAmountWord = (insn: number): number => (insn >>> 20) & 0x1f;

export const csrNumber = (insn: number): number => insn >>> 20;
/** The zero-extended 5-bit immediate of csrrwi/csrrsi/csrrci, held in the rs1 field. */
export const csrImmediate = (insn: number): number => (insn >>> 15) & 31;

/** FENCE fields ("Memory Ordering Instructions"): fm[31:28], pred[27:24] and succ[23:20], each set as i,o,r,w from bit 3 down. */
export const fenceMode = (insn: number): number => insn >>> 28;
export const fencePredecessor = (insn: number): number => (insn >>> 24) & 0xf;
export const fenceSuccessor = (insn: number): number => (insn >>> 20) & 0xf;

/** The aq (bit 26) and rl (bit 25) ordering bits of an AMO or LR/SC. */
export const acquire = (insn: number): boolean => ((insn >>> 26) & 1) === 1;
export const release = (insn: number): boolean => ((insn >>> 25) & 1) === 1;

/** The target of a branch or jump: pc + offset, wrapped to XLEN bits. */
export const branchTarget = (pc: bigint, offset: number, xlen: Xlen = 64): bigint => BigInt.asUintN(xlen, pc + BigInt(offset));

// ---------------------------------------------------------------------------------------------
// Operand fields of 16-bit instructions (RVC "Compressed Instruction Formats" and the instruction pages).

/** rd/rs1 of CR and CI formats (bits 11:7). */
export const cRd = (insn: number): number => (insn >>> 7) & 31;
/** rs2 of CR and CSS formats (bits 6:2). */
export const cRs2 = (insn: number): number => (insn >>> 2) & 31;
/** rd' of CIW and CL formats (bits 4:2), as an x8-x15 (or f8-f15) register number. */
export const cRdPrime = (insn: number): number => ((insn >>> 2) & 7) + 8;
/** rs1' (and rd' of CA/CB) in bits 9:7, as a register number. */
export const cRs1Prime = (insn: number): number => ((insn >>> 7) & 7) + 8;
/** rs2' of CS and CA formats (bits 4:2), as a register number. */
export const cRs2Prime = (insn: number): number => ((insn >>> 2) & 7) + 8;

const bit = (insn: number, index: number): number => (insn >>> index) & 1;
const bits = (insn: number, high: number, low: number): number => (insn >>> low) & ((1 << (high - low + 1)) - 1);
/** Sign-extends the low `width` bits of value. */
const signExtend = (value: number, width: number): number => (value << (32 - width)) >> (32 - width);

/** imm[5] = bit 12, imm[4:0] = bits 6:2, sign-extended: c.addi, c.addiw, c.li, c.andi, c.nop. */
export const cImmediate = (insn: number): number => signExtend((bit(insn, 12) << 5) | bits(insn, 6, 2), 6);
/** shamt[5] = bit 12, shamt[4:0] = bits 6:2: c.slli, c.srli, c.srai. */
export const cShiftAmount = (insn: number): number => (bit(insn, 12) << 5) | bits(insn, 6, 2);
/** nzimm[17] = bit 12, nzimm[16:12] = bits 6:2, sign-extended: the value c.lui loads. */
export const cLuiImmediate = (insn: number): number => signExtend((bit(insn, 12) << 17) | (bits(insn, 6, 2) << 12), 18);
/** nzimm[9] = 12, nzimm[4] = 6, nzimm[6] = 5, nzimm[8:7] = 4:3, nzimm[5] = 2, sign-extended: c.addi16sp. */
export const cAddi16spImmediate = (insn: number): number =>
  signExtend((bit(insn, 12) << 9) | (bit(insn, 6) << 4) | (bit(insn, 5) << 6) | (bits(insn, 4, 3) << 7) | (bit(insn, 2) << 5), 10);
/** nzuimm[5:4] = 12:11, nzuimm[9:6] = 10:7, nzuimm[2] = 6, nzuimm[3] = 5: c.addi4spn. */
export const cAddi4spnImmediate = (insn: number): number =>
  (bits(insn, 12, 11) << 4) | (bits(insn, 10, 7) << 6) | (bit(insn, 6) << 2) | (bit(insn, 5) << 3);
/** uimm[5] = 12, uimm[4:2] = 6:4, uimm[7:6] = 3:2: c.lwsp. */
export const cLwspOffset = (insn: number): number => (bit(insn, 12) << 5) | (bits(insn, 6, 4) << 2) | (bits(insn, 3, 2) << 6);
/** uimm[5] = 12, uimm[4:3] = 6:5, uimm[8:6] = 4:2: c.ldsp, c.fldsp. */
export const cLdspOffset = (insn: number): number => (bit(insn, 12) << 5) | (bits(insn, 6, 5) << 3) | (bits(insn, 4, 2) << 6);
/** uimm[5:2] = 12:9, uimm[7:6] = 8:7: c.swsp. */
export const cSwspOffset = (insn: number): number => (bits(insn, 12, 9) << 2) | (bits(insn, 8, 7) << 6);
/** uimm[5:3] = 12:10, uimm[8:6] = 9:7: c.sdsp, c.fsdsp. */
export const cSdspOffset = (insn: number): number => (bits(insn, 12, 10) << 3) | (bits(insn, 9, 7) << 6);
/** uimm[5:3] = 12:10, uimm[2] = 6, uimm[6] = 5: c.lw, c.sw. */
export const cLwOffset = (insn: number): number => (bits(insn, 12, 10) << 3) | (bit(insn, 6) << 2) | (bit(insn, 5) << 6);
/** uimm[5:3] = 12:10, uimm[7:6] = 6:5: c.ld, c.sd, c.fld, c.fsd. */
export const cLdOffset = (insn: number): number => (bits(insn, 12, 10) << 3) | (bits(insn, 6, 5) << 6);
/** offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2, sign-extended: c.j. */
export const cJumpOffset = (insn: number): number =>
  signExtend(
    (bit(insn, 12) << 11) | (bit(insn, 11) << 4) | (bits(insn, 10, 9) << 8) | (bit(insn, 8) << 10) |
      (bit(insn, 7) << 6) | (bit(insn, 6) << 7) | (bits(insn, 5, 3) << 1) | (bit(insn, 2) << 5),
    12,
  );
/** offset[8|4:3] in bits 12:10, offset[7:6|2:1|5] in bits 6:2, sign-extended: c.beqz, c.bnez. */
export const cBranchOffset = (insn: number): number =>
  signExtend((bit(insn, 12) << 8) | (bits(insn, 11, 10) << 3) | (bits(insn, 6, 5) << 6) | (bits(insn, 4, 3) << 1) | (bit(insn, 2) << 5), 9);
