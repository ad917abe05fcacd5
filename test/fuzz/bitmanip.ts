/**
 * Zba, Zbb, Zbc and Zbs (RV64) for the fuzz generator, as match/mask data with the operands
 * each instruction takes (unprivileged spec, chapter "B" — "Bit Manipulation"; encodings
 * from its instruction pages). The same table generates B instructions and tells the
 * sanitizer which random words are B instructions (replaced in programs whose profile has
 * no B: QEMU, the reference, always decodes them).
 */

/** rd, rs1 and then: rs2, a 6-bit shamt (RV64 shifts), a 5-bit shamt (W shifts), or nothing. */
export type BitmanipForm = 'rr' | 'shamt6' | 'shamt5' | 'unary';

export interface BitmanipOp {
  name: string;
  match: number;
  mask: number;
  form: BitmanipForm;
}

const rr = (name: string, opcode: number, f7: number, f3: number): BitmanipOp =>
  ({ name, match: ((f7 << 25) | (f3 << 12) | opcode) >>> 0, mask: 0xfe00707f, form: 'rr' });
/** funct6 at 31:26 and a 6-bit shamt (slli.uw, rori and the single-bit immediates). */
const shift6 = (name: string, opcode: number, f6: number, f3: number): BitmanipOp =>
  ({ name, match: ((f6 << 26) | (f3 << 12) | opcode) >>> 0, mask: 0xfc00707f, form: 'shamt6' });
/** A fixed funct12 in 31:20 (the unary Zbb operations). */
const unary = (name: string, opcode: number, f12: number, f3: number): BitmanipOp =>
  ({ name, match: ((f12 << 20) | (f3 << 12) | opcode) >>> 0, mask: 0xfff0707f, form: 'unary' });

const OP = 0x33, OP_32 = 0x3b, OP_IMM = 0x13, OP_IMM_32 = 0x1b;

export const BITMANIP_OPS: readonly BitmanipOp[] = [
  // Zba
  rr('sh1add', OP, 0x10, 2), rr('sh2add', OP, 0x10, 4), rr('sh3add', OP, 0x10, 6),
  rr('add.uw', OP_32, 0x04, 0), rr('sh1add.uw', OP_32, 0x10, 2), rr('sh2add.uw', OP_32, 0x10, 4),
  rr('sh3add.uw', OP_32, 0x10, 6), shift6('slli.uw', OP_IMM_32, 0x02, 1),
  // Zbb
  rr('andn', OP, 0x20, 7), rr('orn', OP, 0x20, 6), rr('xnor', OP, 0x20, 4),
  rr('min', OP, 0x05, 4), rr('minu', OP, 0x05, 5), rr('max', OP, 0x05, 6), rr('maxu', OP, 0x05, 7),
  rr('rol', OP, 0x30, 1), rr('ror', OP, 0x30, 5), rr('rolw', OP_32, 0x30, 1), rr('rorw', OP_32, 0x30, 5),
  shift6('rori', OP_IMM, 0x18, 5),
  { name: 'roriw', match: ((0x30 << 25) | (5 << 12) | OP_IMM_32) >>> 0, mask: 0xfe00707f, form: 'shamt5' },
  unary('clz', OP_IMM, 0x600, 1), unary('ctz', OP_IMM, 0x601, 1), unary('cpop', OP_IMM, 0x602, 1),
  unary('clzw', OP_IMM_32, 0x600, 1), unary('ctzw', OP_IMM_32, 0x601, 1), unary('cpopw', OP_IMM_32, 0x602, 1),
  unary('sext.b', OP_IMM, 0x604, 1), unary('sext.h', OP_IMM, 0x605, 1), unary('zext.h', OP_32, 0x080, 4),
  unary('orc.b', OP_IMM, 0x287, 5), unary('rev8', OP_IMM, 0x6b8, 5),
  // Zbc
  rr('clmul', OP, 0x05, 1), rr('clmulr', OP, 0x05, 2), rr('clmulh', OP, 0x05, 3),
  // Zbs
  rr('bclr', OP, 0x24, 1), rr('bext', OP, 0x24, 5), rr('binv', OP, 0x34, 1), rr('bset', OP, 0x14, 1),
  shift6('bclri', OP_IMM, 0x12, 1), shift6('bexti', OP_IMM, 0x12, 5), shift6('binvi', OP_IMM, 0x1a, 1),
  shift6('bseti', OP_IMM, 0x0a, 1),
];

/**
 * The RV32 forms: no .uw and no W instructions; shift amounts of 5 bits (shamt[5] = 1 is
 * reserved); rev8 with funct12 0x698 and zext.h in the OP opcode (B spec, rev8 and zext.h
 * "RV32" encodings).
 */
export const BITMANIP_OPS_32: readonly BitmanipOp[] = BITMANIP_OPS.flatMap((op): BitmanipOp[] => {
  if (op.name.endsWith('.uw') || op.name.endsWith('w')) return [];
  if (op.name === 'rev8') return [unary('rev8', OP_IMM, 0x698, 5)];
  if (op.name === 'zext.h') return [unary('zext.h', OP, 0x080, 4)];
  if (op.form === 'shamt6') return [{ ...op, mask: 0xfe00707f, form: 'shamt5' }];
  return [op];
});

export function decodeBitmanip32(bits: number): BitmanipOp | undefined {
  return BITMANIP_OPS_32.find((op) => ((bits & op.mask) >>> 0) === op.match);
}

export function decodeBitmanip(bits: number): BitmanipOp | undefined {
  return BITMANIP_OPS.find((op) => ((bits & op.mask) >>> 0) === op.match);
}

/**
 * ctzw on a register whose upper 32 bits are not an extension of the lower: QEMU 7.2 counts
 * trailing zeros over all 64 bits (differential.test.ts, deviation 9). The generator gives
 * ctzw only sign- or zero-extended words; random words that are ctzw get replaced.
 */
export const isCtzw = (bits: number): boolean => decodeBitmanip(bits)?.name === 'ctzw';

export function encodeBitmanip(op: BitmanipOp, rd: number, rs1: number, rs2OrShamt = 0): number {
  return (op.match | (rd << 7) | (rs1 << 15) | (op.form === 'unary' ? 0 : rs2OrShamt << 20)) >>> 0;
}
