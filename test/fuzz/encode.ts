/**
 * RV64IMAC(+Zicsr) instruction encoders for the fuzz generator. Operations are data:
 * each table row gives the fixed fields of one instruction (RISC-V unprivileged spec,
 * chapter 34 "RV32/64G Instruction Set Listings" and chapter 16 "C" quadrant maps);
 * the format encoders place register and immediate fields.
 */

export const Reg = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, s0: 8, s1: 9,
} as const;

// ---- 32-bit base formats ----

const u32 = (x: number): number => x >>> 0;
const bits = (x: number, hi: number, lo: number): number => (x >>> lo) & ((1 << (hi - lo + 1)) - 1);

export function rType(op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number {
  return u32((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
}

export function iType(op: number, f3: number, rd: number, rs1: number, imm: number): number {
  return u32(((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
}

export function sType(op: number, f3: number, rs1: number, rs2: number, imm: number): number {
  return u32((bits(imm, 11, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(imm, 4, 0) << 7) | op);
}

export function bType(f3: number, rs1: number, rs2: number, offset: number): number {
  return u32(
    (bits(offset, 12, 12) << 31) | (bits(offset, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) |
      (f3 << 12) | (bits(offset, 4, 1) << 8) | (bits(offset, 11, 11) << 7) | 0x63,
  );
}

export function uType(op: number, rd: number, imm20: number): number {
  return u32(((imm20 & 0xfffff) << 12) | (rd << 7) | op);
}

export function jal(rd: number, offset: number): number {
  return u32(
    (bits(offset, 20, 20) << 31) | (bits(offset, 10, 1) << 21) | (bits(offset, 11, 11) << 20) |
      (bits(offset, 19, 12) << 12) | (rd << 7) | 0x6f,
  );
}

export const jalr = (rd: number, rs1: number, imm: number): number => iType(0x67, 0, rd, rs1, imm);
export const auipc = (rd: number, imm20: number): number => uType(0x17, rd, imm20);
export const lui = (rd: number, imm20: number): number => uType(0x37, rd, imm20);
export const addi = (rd: number, rs1: number, imm: number): number => iType(0x13, 0, rd, rs1, imm);

// ---- operation tables ----

/** Register-register ALU and M-extension operations: [name, opcode, funct3, funct7]. */
export const OP_RR: readonly (readonly [string, number, number, number])[] = [
  ['add', 0x33, 0, 0x00], ['sub', 0x33, 0, 0x20], ['sll', 0x33, 1, 0x00], ['slt', 0x33, 2, 0x00],
  ['sltu', 0x33, 3, 0x00], ['xor', 0x33, 4, 0x00], ['srl', 0x33, 5, 0x00], ['sra', 0x33, 5, 0x20],
  ['or', 0x33, 6, 0x00], ['and', 0x33, 7, 0x00],
  ['addw', 0x3b, 0, 0x00], ['subw', 0x3b, 0, 0x20], ['sllw', 0x3b, 1, 0x00], ['srlw', 0x3b, 5, 0x00],
  ['sraw', 0x3b, 5, 0x20],
];

export const OP_MUL_DIV: readonly (readonly [string, number, number, number])[] = [
  ['mul', 0x33, 0, 0x01], ['mulh', 0x33, 1, 0x01], ['mulhsu', 0x33, 2, 0x01], ['mulhu', 0x33, 3, 0x01],
  ['div', 0x33, 4, 0x01], ['divu', 0x33, 5, 0x01], ['rem', 0x33, 6, 0x01], ['remu', 0x33, 7, 0x01],
  ['mulw', 0x3b, 0, 0x01], ['divw', 0x3b, 4, 0x01], ['divuw', 0x3b, 5, 0x01], ['remw', 0x3b, 6, 0x01],
  ['remuw', 0x3b, 7, 0x01],
];

/** Immediate ALU operations: [name, opcode, funct3]. */
export const OP_IMM: readonly (readonly [string, number, number])[] = [
  ['addi', 0x13, 0], ['slti', 0x13, 2], ['sltiu', 0x13, 3], ['xori', 0x13, 4], ['ori', 0x13, 6],
  ['andi', 0x13, 7], ['addiw', 0x1b, 0],
];

/** Shifts by immediate: [name, opcode, funct3, funct6 (upper bits), shamt bits]. */
export const OP_SHIFT_IMM: readonly (readonly [string, number, number, number, number])[] = [
  ['slli', 0x13, 1, 0x00, 6], ['srli', 0x13, 5, 0x00, 6], ['srai', 0x13, 5, 0x10, 6],
  ['slliw', 0x1b, 1, 0x00, 5], ['srliw', 0x1b, 5, 0x00, 5], ['sraiw', 0x1b, 5, 0x10, 5],
];

export function shiftImm(op: number, f3: number, f6: number, rd: number, rs1: number, shamt: number): number {
  return iType(op, f3, rd, rs1, (f6 << 6) | shamt);
}

/** Loads: [name, funct3, access size in bytes]. */
export const LOADS: readonly (readonly [string, number, number])[] = [
  ['lb', 0, 1], ['lh', 1, 2], ['lw', 2, 4], ['ld', 3, 8], ['lbu', 4, 1], ['lhu', 5, 2], ['lwu', 6, 4],
];
export const STORES: readonly (readonly [string, number, number])[] = [
  ['sb', 0, 1], ['sh', 1, 2], ['sw', 2, 4], ['sd', 3, 8],
];
export const load = (f3: number, rd: number, rs1: number, imm: number): number => iType(0x03, f3, rd, rs1, imm);
export const store = (f3: number, rs1: number, rs2: number, imm: number): number => sType(0x23, f3, rs1, rs2, imm);

/** Conditional branches: [name, funct3]. */
export const BRANCHES: readonly (readonly [string, number])[] = [
  ['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7],
];

/** A extension read-modify-write operations: [name, funct5]. */
export const AMOS: readonly (readonly [string, number])[] = [
  ['amoswap', 0x01], ['amoadd', 0x00], ['amoxor', 0x04], ['amoand', 0x0c], ['amoor', 0x08],
  ['amomin', 0x10], ['amomax', 0x14], ['amominu', 0x18], ['amomaxu', 0x1c],
];
export const FUNCT5_LR = 0x02;
export const FUNCT5_SC = 0x03;

/** AMO-format word: funct3 2 = .w, 3 = .d. */
export function amo(f5: number, f3: number, aq: boolean, rl: boolean, rd: number, rs1: number, rs2: number): number {
  return rType(0x2f, f3, (f5 << 2) | (aq ? 2 : 0) | (rl ? 1 : 0), rd, rs1, rs2);
}

// ---- SYSTEM and MISC-MEM ----

export const ECALL = 0x00000073;
export const EBREAK = 0x00100073;
export const MRET = 0x30200073;
export const SRET = 0x10200073;
export const WFI = 0x10500073;
export const FENCE_I = 0x0000100f;
export const FENCE_TSO = 0x8330000f;

export const fence = (pred: number, succ: number): number => u32((pred << 24) | (succ << 20) | 0x0f);
export const sfenceVma = (rs1: number, rs2: number): number => rType(0x73, 0, 0x09, 0, rs1, rs2);

/** CSR instructions: funct3 1..3 = csrrw/csrrs/csrrc (rs1), 5..7 = the immediate forms (uimm). */
export const CSR_OPS: readonly (readonly [string, number])[] = [
  ['csrrw', 1], ['csrrs', 2], ['csrrc', 3], ['csrrwi', 5], ['csrrsi', 6], ['csrrci', 7],
];
export const csrOp = (f3: number, rd: number, csr: number, rs1OrUimm: number): number =>
  iType(0x73, f3, rd, rs1OrUimm, csr);

// ---- compressed (RVC, RV64 variant) ----

/** x8..x15 as the 3-bit register field of the CIW/CL/CS/CA/CB formats. */
export const creg = (r: number): number => r - 8;

export function cAddi4spn(rdp: number, nzuimm: number): number {
  return (bits(nzuimm, 5, 4) << 11) | (bits(nzuimm, 9, 6) << 7) | (bits(nzuimm, 2, 2) << 6) |
    (bits(nzuimm, 3, 3) << 5) | (rdp << 2) | 0b00;
}

/** c.lw / c.sw (f3 2 / 6): word offsets 0..124. */
export function cLwSw(f3: number, rdp: number, rs1p: number, uimm: number): number {
  return (f3 << 13) | (bits(uimm, 5, 3) << 10) | (rs1p << 7) | (bits(uimm, 2, 2) << 6) |
    (bits(uimm, 6, 6) << 5) | (rdp << 2) | 0b00;
}

/** c.ld / c.sd / c.fld / c.fsd (f3 3 / 7 / 1 / 5): doubleword offsets 0..248. */
export function cLdSd(f3: number, rdp: number, rs1p: number, uimm: number): number {
  return (f3 << 13) | (bits(uimm, 5, 3) << 10) | (rs1p << 7) | (bits(uimm, 7, 6) << 5) | (rdp << 2) | 0b00;
}

/** CI format with a plain 6-bit immediate: c.addi (0), c.addiw (1), c.li (2) in quadrant 1; c.slli (0) in 2. */
export function cImm6(quadrant: number, f3: number, rd: number, imm: number): number {
  return (f3 << 13) | (bits(imm, 5, 5) << 12) | (rd << 7) | (bits(imm, 4, 0) << 2) | quadrant;
}

export function cAddi16sp(nzimm: number): number {
  return (0b011 << 13) | (bits(nzimm, 9, 9) << 12) | (2 << 7) | (bits(nzimm, 4, 4) << 6) |
    (bits(nzimm, 6, 6) << 5) | (bits(nzimm, 8, 7) << 3) | (bits(nzimm, 5, 5) << 2) | 0b01;
}

/** c.lui: imm is the 6-bit nzimm[17:12] field. */
export const cLui = (rd: number, imm6: number): number => cImm6(1, 0b011, rd, imm6);

/** c.srli (0), c.srai (1), c.andi (2) on rd'. */
export function cShiftAndi(sub: number, rdp: number, imm: number): number {
  return (0b100 << 13) | (bits(imm, 5, 5) << 12) | (sub << 10) | (rdp << 7) | (bits(imm, 4, 0) << 2) | 0b01;
}

/** CA format: c.sub/xor/or/and (w = 0, op 0..3), c.subw/c.addw (w = 1, op 0..1). */
export function cArith(w: number, op: number, rdp: number, rs2p: number): number {
  return (0b100011 << 10) | (w << 12) | (rdp << 7) | (op << 5) | (rs2p << 2) | 0b01;
}

export function cJ(offset: number): number {
  return (0b101 << 13) | (bits(offset, 11, 11) << 12) | (bits(offset, 4, 4) << 11) | (bits(offset, 9, 8) << 9) |
    (bits(offset, 10, 10) << 8) | (bits(offset, 6, 6) << 7) | (bits(offset, 7, 7) << 6) |
    (bits(offset, 3, 1) << 3) | (bits(offset, 5, 5) << 2) | 0b01;
}

/** c.beqz (f3 6) / c.bnez (f3 7). */
export function cBranch(f3: number, rs1p: number, offset: number): number {
  return (f3 << 13) | (bits(offset, 8, 8) << 12) | (bits(offset, 4, 3) << 10) | (rs1p << 7) |
    (bits(offset, 7, 6) << 5) | (bits(offset, 2, 1) << 3) | (bits(offset, 5, 5) << 2) | 0b01;
}

/** c.lwsp (f3 2): offsets 0..252. */
export function cLwsp(rd: number, uimm: number): number {
  return (0b010 << 13) | (bits(uimm, 5, 5) << 12) | (rd << 7) | (bits(uimm, 4, 2) << 4) | (bits(uimm, 7, 6) << 2) | 0b10;
}

/** c.ldsp (f3 3) / c.fldsp (f3 1): offsets 0..504. */
export function cLdsp(f3: number, rd: number, uimm: number): number {
  return (f3 << 13) | (bits(uimm, 5, 5) << 12) | (rd << 7) | (bits(uimm, 4, 3) << 5) | (bits(uimm, 8, 6) << 2) | 0b10;
}

export function cSwsp(rs2: number, uimm: number): number {
  return (0b110 << 13) | (bits(uimm, 5, 2) << 9) | (bits(uimm, 7, 6) << 7) | (rs2 << 2) | 0b10;
}

/** c.sdsp (f3 7) / c.fsdsp (f3 5). */
export function cSdsp(f3: number, rs2: number, uimm: number): number {
  return (f3 << 13) | (bits(uimm, 5, 3) << 10) | (bits(uimm, 8, 6) << 7) | (rs2 << 2) | 0b10;
}

/** CR format: c.jr (4, rs2 0), c.mv (4), c.ebreak / c.jalr / c.add (5). */
export const cr = (funct4: number, rd: number, rs2: number): number => (funct4 << 12) | (rd << 7) | (rs2 << 2) | 0b10;
export const C_EBREAK = 0x9002;
export const C_NOP = 0x0001;

export { bits };
