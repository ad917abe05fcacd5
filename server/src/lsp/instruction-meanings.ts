// One-line meanings of the instruction table's rows (server/src/debug/instruction-table.ts) for hovers, and what each compressed instruction expands to.
//
// Written for this project from the RISC-V Unprivileged ISA (20191213: RV32I/RV64I, M, A, F, D,
// Zicsr, Zifencei, "C" Standard Extension's expansions), Zihintpause 2.0, Bit-Manipulation 1.0.0
// and the Privileged ISA (20211203). Notation: rd, rs1, rs2 are x registers' values; f[rd] an f
// register; M32[a] the 32-bit little-endian word at address a; sext/zext sign/zero extension to
// XLEN; <s, >>u and friends signed/unsigned comparisons and shifts; imm and offset the
// instruction's immediate, sign-extended unless called uimm. test/lsp checks every row has one.

const loads: Record<string, string> = {
  lb: 'rd = sext(M8[rs1 + sext(imm)])',
  lh: 'rd = sext(M16[rs1 + sext(imm)])',
  lw: 'rd = sext(M32[rs1 + sext(imm)])',
  ld: 'rd = M64[rs1 + sext(imm)]',
  lbu: 'rd = zext(M8[rs1 + sext(imm)])',
  lhu: 'rd = zext(M16[rs1 + sext(imm)])',
  lwu: 'rd = zext(M32[rs1 + sext(imm)])',
  sb: 'M8[rs1 + sext(imm)] = rs2[7:0]',
  sh: 'M16[rs1 + sext(imm)] = rs2[15:0]',
  sw: 'M32[rs1 + sext(imm)] = rs2[31:0]',
  sd: 'M64[rs1 + sext(imm)] = rs2',
};

const base: Record<string, string> = {
  lui: 'rd = sext(imm[31:12] << 12)',
  auipc: 'rd = pc + sext(imm[31:12] << 12)',
  jal: 'rd = pc + 4; pc = pc + sext(offset)',
  jalr: 'rd = pc + 4; pc = (rs1 + sext(imm)) & ~1',
  beq: 'if (rs1 == rs2) pc = pc + sext(offset)',
  bne: 'if (rs1 != rs2) pc = pc + sext(offset)',
  blt: 'if (rs1 <s rs2) pc = pc + sext(offset)',
  bge: 'if (rs1 >=s rs2) pc = pc + sext(offset)',
  bltu: 'if (rs1 <u rs2) pc = pc + sext(offset)',
  bgeu: 'if (rs1 >=u rs2) pc = pc + sext(offset)',
  ...loads,
  addi: 'rd = rs1 + sext(imm)',
  slti: 'rd = (rs1 <s sext(imm)) ? 1 : 0',
  sltiu: 'rd = (rs1 <u sext(imm)) ? 1 : 0',
  xori: 'rd = rs1 ^ sext(imm)',
  ori: 'rd = rs1 | sext(imm)',
  andi: 'rd = rs1 & sext(imm)',
  slli: 'rd = rs1 << shamt',
  srli: 'rd = rs1 >>u shamt',
  srai: 'rd = rs1 >>s shamt',
  add: 'rd = rs1 + rs2',
  sub: 'rd = rs1 - rs2',
  sll: 'rd = rs1 << (rs2 mod XLEN)',
  slt: 'rd = (rs1 <s rs2) ? 1 : 0',
  sltu: 'rd = (rs1 <u rs2) ? 1 : 0',
  xor: 'rd = rs1 ^ rs2',
  srl: 'rd = rs1 >>u (rs2 mod XLEN)',
  sra: 'rd = rs1 >>s (rs2 mod XLEN)',
  or: 'rd = rs1 | rs2',
  and: 'rd = rs1 & rs2',
  fence: 'memory and I/O accesses of the pred set (i, o, r, w) before it are ordered before those of the succ set after it',
  'fence.tso': 'loads before it are ordered before later loads and stores, stores before later stores (total store order)',
  ecall: 'raises an environment-call exception: a request to the execution environment (a system call)',
  ebreak: 'raises a breakpoint exception (for debuggers)',
  addiw: 'rd = sext((rs1 + sext(imm))[31:0])',
  slliw: 'rd = sext((rs1 << shamt)[31:0])',
  srliw: 'rd = sext(rs1[31:0] >>u shamt)',
  sraiw: 'rd = sext(rs1[31:0] >>s shamt)',
  addw: 'rd = sext((rs1 + rs2)[31:0])',
  subw: 'rd = sext((rs1 - rs2)[31:0])',
  sllw: 'rd = sext((rs1 << rs2[4:0])[31:0])',
  srlw: 'rd = sext(rs1[31:0] >>u rs2[4:0])',
  sraw: 'rd = sext(rs1[31:0] >>s rs2[4:0])',
  pause: 'hints that the hart is in a spin-wait loop and may slow down for a while; orders nothing',
  'fence.i': 'later instruction fetches of this hart see its earlier stores to instruction memory',
  csrrw: 't = CSR; CSR = rs1; rd = t (no read when rd is x0)',
  csrrs: 't = CSR; CSR = t | rs1; rd = t (no write when rs1 is x0)',
  csrrc: 't = CSR; CSR = t & ~rs1; rd = t (no write when rs1 is x0)',
  csrrwi: 't = CSR; CSR = zext(uimm); rd = t (no read when rd is x0)',
  csrrsi: 't = CSR; CSR = t | zext(uimm); rd = t (no write when uimm is 0)',
  csrrci: 't = CSR; CSR = t & ~zext(uimm); rd = t (no write when uimm is 0)',
  mul: 'rd = (rs1 × rs2)[XLEN-1:0]',
  mulh: 'rd = upper XLEN bits of rs1 × rs2, both signed',
  mulhsu: 'rd = upper XLEN bits of rs1 × rs2, rs1 signed, rs2 unsigned',
  mulhu: 'rd = upper XLEN bits of rs1 × rs2, both unsigned',
  div: 'rd = rs1 ÷ rs2, signed, rounded toward zero (÷ 0 gives -1)',
  divu: 'rd = rs1 ÷ rs2, unsigned (÷ 0 gives all ones)',
  rem: 'rd = remainder of signed rs1 ÷ rs2, with the sign of rs1 (÷ 0 gives rs1)',
  remu: 'rd = remainder of unsigned rs1 ÷ rs2 (÷ 0 gives rs1)',
  mulw: 'rd = sext((rs1 × rs2)[31:0])',
  divw: 'rd = sext(rs1[31:0] ÷ rs2[31:0]), signed',
  divuw: 'rd = sext(rs1[31:0] ÷ rs2[31:0]), unsigned',
  remw: 'rd = sext(remainder of rs1[31:0] ÷ rs2[31:0]), signed',
  remuw: 'rd = sext(remainder of rs1[31:0] ÷ rs2[31:0]), unsigned',
};

/** The A extension: LR/SC and the AMOs, at word (.w) and doubleword (.d) width. */
function atomics(): Record<string, string> {
  const out: Record<string, string> = {};
  const operations: Record<string, string> = {
    swap: 'rs2', add: 'old + rs2', xor: 'old ^ rs2', and: 'old & rs2', or: 'old | rs2',
    min: 'min(old, rs2) signed', max: 'max(old, rs2) signed', minu: 'min(old, rs2) unsigned', maxu: 'max(old, rs2) unsigned',
  };
  for (const [suffix, width, load] of [['w', 'M32', 'sext(M32[rs1])'], ['d', 'M64', 'M64[rs1]']] as const) {
    out[`lr.${suffix}`] = `rd = ${load}; reserves the address for a later sc.${suffix}`;
    out[`sc.${suffix}`] = `if the reservation still holds: ${width}[rs1] = rs2, rd = 0; otherwise rd = nonzero, no store`;
    for (const [operation, result] of Object.entries(operations)) {
      out[`amo${operation}.${suffix}`] = `atomically: old = ${load}; ${width}[rs1] = ${result}; rd = old`;
    }
  }
  return out;
}

/** F and D: the same operations on single (s, 32-bit) and double (d, 64-bit) values. */
function floatingPoint(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, width, kind] of [['s', '32', 'single'], ['d', '64', 'double']] as const) {
    const load = p === 's' ? 'flw' : 'fld';
    const store = p === 's' ? 'fsw' : 'fsd';
    out[load] = `f[rd] = M${width}[rs1 + sext(imm)]${p === 's' ? ' (NaN-boxed)' : ''}`;
    out[store] = `M${width}[rs1 + sext(imm)] = f[rs2]${p === 's' ? '[31:0]' : ''}`;
    out[`fmadd.${p}`] = 'f[rd] = f[rs1] × f[rs2] + f[rs3], rounded once';
    out[`fmsub.${p}`] = 'f[rd] = f[rs1] × f[rs2] - f[rs3], rounded once';
    out[`fnmsub.${p}`] = 'f[rd] = -(f[rs1] × f[rs2]) + f[rs3], rounded once';
    out[`fnmadd.${p}`] = 'f[rd] = -(f[rs1] × f[rs2]) - f[rs3], rounded once';
    out[`fadd.${p}`] = 'f[rd] = f[rs1] + f[rs2]';
    out[`fsub.${p}`] = 'f[rd] = f[rs1] - f[rs2]';
    out[`fmul.${p}`] = 'f[rd] = f[rs1] × f[rs2]';
    out[`fdiv.${p}`] = 'f[rd] = f[rs1] ÷ f[rs2]';
    out[`fsqrt.${p}`] = 'f[rd] = √f[rs1]';
    out[`fsgnj.${p}`] = 'f[rd] = f[rs1] with the sign of f[rs2]';
    out[`fsgnjn.${p}`] = 'f[rd] = f[rs1] with the opposite of the sign of f[rs2]';
    out[`fsgnjx.${p}`] = 'f[rd] = f[rs1] with sign(f[rs1]) xor sign(f[rs2])';
    out[`fmin.${p}`] = 'f[rd] = min(f[rs1], f[rs2]) (a NaN operand gives the other; -0 < +0)';
    out[`fmax.${p}`] = 'f[rd] = max(f[rs1], f[rs2]) (a NaN operand gives the other; -0 < +0)';
    out[`feq.${p}`] = 'rd = (f[rs1] == f[rs2]) ? 1 : 0 (quiet: only a signaling NaN raises invalid)';
    out[`flt.${p}`] = 'rd = (f[rs1] < f[rs2]) ? 1 : 0 (any NaN raises invalid)';
    out[`fle.${p}`] = 'rd = (f[rs1] <= f[rs2]) ? 1 : 0 (any NaN raises invalid)';
    out[`fcvt.w.${p}`] = `rd = sext(int32(f[rs1])), the ${kind} rounded to a signed word`;
    out[`fcvt.wu.${p}`] = `rd = sext(uint32(f[rs1])), the ${kind} rounded to an unsigned word`;
    out[`fcvt.l.${p}`] = `rd = int64(f[rs1]), the ${kind} rounded to a signed doubleword`;
    out[`fcvt.lu.${p}`] = `rd = uint64(f[rs1]), the ${kind} rounded to an unsigned doubleword`;
    out[`fcvt.${p}.w`] = `f[rd] = the signed word rs1[31:0] as a ${kind}`;
    out[`fcvt.${p}.wu`] = `f[rd] = the unsigned word rs1[31:0] as a ${kind}`;
    out[`fcvt.${p}.l`] = `f[rd] = the signed doubleword rs1 as a ${kind}`;
    out[`fcvt.${p}.lu`] = `f[rd] = the unsigned doubleword rs1 as a ${kind}`;
    out[`fclass.${p}`] = 'rd = one bit set for the class of f[rs1]: -∞, -normal, -subnormal, -0, +0, +subnormal, +normal, +∞, signaling NaN, quiet NaN (bits 0-9)';
  }
  out['fmv.x.w'] = 'rd = sext(f[rs1][31:0]), the bits unchanged';
  out['fmv.w.x'] = 'f[rd] = rs1[31:0], the bits unchanged (NaN-boxed)';
  out['fmv.x.d'] = 'rd = f[rs1], the bits unchanged';
  out['fmv.d.x'] = 'f[rd] = rs1, the bits unchanged';
  out['fcvt.s.d'] = 'f[rd] = the double f[rs1] rounded to single';
  out['fcvt.d.s'] = 'f[rd] = the single f[rs1] as a double (exact)';
  return out;
}

const bitManipulation: Record<string, string> = {
  'add.uw': 'rd = rs2 + zext(rs1[31:0])',
  sh1add: 'rd = rs2 + (rs1 << 1)',
  sh2add: 'rd = rs2 + (rs1 << 2)',
  sh3add: 'rd = rs2 + (rs1 << 3)',
  'sh1add.uw': 'rd = rs2 + (zext(rs1[31:0]) << 1)',
  'sh2add.uw': 'rd = rs2 + (zext(rs1[31:0]) << 2)',
  'sh3add.uw': 'rd = rs2 + (zext(rs1[31:0]) << 3)',
  'slli.uw': 'rd = zext(rs1[31:0]) << shamt',
  andn: 'rd = rs1 & ~rs2',
  orn: 'rd = rs1 | ~rs2',
  xnor: 'rd = ~(rs1 ^ rs2)',
  clz: 'rd = the number of zero bits above the highest set bit of rs1 (XLEN when rs1 is 0)',
  ctz: 'rd = the number of zero bits below the lowest set bit of rs1 (XLEN when rs1 is 0)',
  cpop: 'rd = the number of set bits of rs1',
  'sext.b': 'rd = sext(rs1[7:0])',
  'sext.h': 'rd = sext(rs1[15:0])',
  clzw: 'rd = the number of leading zero bits of rs1[31:0] (32 when it is 0)',
  ctzw: 'rd = the number of trailing zero bits of rs1[31:0] (32 when it is 0)',
  cpopw: 'rd = the number of set bits of rs1[31:0]',
  min: 'rd = the smaller of rs1 and rs2, signed',
  minu: 'rd = the smaller of rs1 and rs2, unsigned',
  max: 'rd = the larger of rs1 and rs2, signed',
  maxu: 'rd = the larger of rs1 and rs2, unsigned',
  'orc.b': 'each byte of rd = 0xff when that byte of rs1 is nonzero, else 0x00',
  rev8: 'rd = rs1 with its bytes in reverse order (endianness swap)',
  rol: 'rd = rs1 rotated left by rs2 mod XLEN',
  ror: 'rd = rs1 rotated right by rs2 mod XLEN',
  rori: 'rd = rs1 rotated right by shamt',
  rolw: 'rd = sext(rs1[31:0] rotated left by rs2[4:0])',
  rorw: 'rd = sext(rs1[31:0] rotated right by rs2[4:0])',
  roriw: 'rd = sext(rs1[31:0] rotated right by shamt)',
  'zext.h': 'rd = zext(rs1[15:0])',
  clmul: 'rd = the low XLEN bits of the carry-less product of rs1 and rs2',
  clmulh: 'rd = the high XLEN bits of the carry-less product of rs1 and rs2',
  clmulr: 'rd = bits 2·XLEN-2 down to XLEN-1 of the carry-less product of rs1 and rs2',
  bclr: 'rd = rs1 with bit (rs2 mod XLEN) cleared',
  bext: 'rd = bit (rs2 mod XLEN) of rs1 (0 or 1)',
  binv: 'rd = rs1 with bit (rs2 mod XLEN) inverted',
  bset: 'rd = rs1 with bit (rs2 mod XLEN) set',
  bclri: 'rd = rs1 with bit shamt cleared',
  bexti: 'rd = bit shamt of rs1 (0 or 1)',
  binvi: 'rd = rs1 with bit shamt inverted',
  bseti: 'rd = rs1 with bit shamt set',
};

const privileged: Record<string, string> = {
  sret: 'returns from an S-mode trap: pc = sepc; privilege = sstatus.SPP; SIE = SPIE',
  mret: 'returns from an M-mode trap: pc = mepc; privilege = mstatus.MPP; MIE = MPIE',
  wfi: 'waits, possibly stalling the hart, until an interrupt might need servicing',
  'sfence.vma': 'orders earlier page-table writes before later translations; flushes cached translations (of address rs1 and ASID rs2; x0 means all)',
};

/** Meaning of each instruction of the table, by mnemonic (compressed ones come from their expansions). */
export const instructionMeanings: ReadonlyMap<string, string> = new Map(Object.entries({
  ...base, ...atomics(), ...floatingPoint(), ...bitManipulation, ...privileged,
}));

/**
 * What each RVC instruction expands to ("C" Standard Extension, each instruction's description):
 * rd′, rs1′ and rs2′ are x8-x15 (f8-f15), nz immediates must not be zero.
 */
export const compressedExpansions: ReadonlyMap<string, string> = new Map(Object.entries({
  'c.addi4spn': 'addi rd′, sp, nzuimm',
  'c.fld': 'fld rd′, uimm(rs1′)',
  'c.lw': 'lw rd′, uimm(rs1′)',
  'c.ld': 'ld rd′, uimm(rs1′)',
  'c.fsd': 'fsd rs2′, uimm(rs1′)',
  'c.sw': 'sw rs2′, uimm(rs1′)',
  'c.sd': 'sd rs2′, uimm(rs1′)',
  'c.flw': 'flw rd′, uimm(rs1′)',
  'c.fsw': 'fsw rs2′, uimm(rs1′)',
  'c.nop': 'addi x0, x0, 0',
  'c.addi': 'addi rd, rd, nzimm',
  'c.addiw': 'addiw rd, rd, imm',
  'c.jal': 'jal ra, offset',
  'c.li': 'addi rd, x0, imm',
  'c.addi16sp': 'addi sp, sp, nzimm',
  'c.lui': 'lui rd, nzimm',
  'c.srli': 'srli rd′, rd′, shamt',
  'c.srai': 'srai rd′, rd′, shamt',
  'c.andi': 'andi rd′, rd′, imm',
  'c.sub': 'sub rd′, rd′, rs2′',
  'c.xor': 'xor rd′, rd′, rs2′',
  'c.or': 'or rd′, rd′, rs2′',
  'c.and': 'and rd′, rd′, rs2′',
  'c.subw': 'subw rd′, rd′, rs2′',
  'c.addw': 'addw rd′, rd′, rs2′',
  'c.j': 'jal x0, offset',
  'c.beqz': 'beq rs1′, x0, offset',
  'c.bnez': 'bne rs1′, x0, offset',
  'c.slli': 'slli rd, rd, shamt',
  'c.fldsp': 'fld rd, uimm(sp)',
  'c.lwsp': 'lw rd, uimm(sp)',
  'c.ldsp': 'ld rd, uimm(sp)',
  'c.jr': 'jalr x0, 0(rs1)',
  'c.mv': 'add rd, x0, rs2',
  'c.ebreak': 'ebreak',
  'c.jalr': 'jalr ra, 0(rs1)',
  'c.add': 'add rd, rd, rs2',
  'c.fsdsp': 'fsd rs2, uimm(sp)',
  'c.swsp': 'sw rs2, uimm(sp)',
  'c.sdsp': 'sd rs2, uimm(sp)',
  'c.flwsp': 'flw rd, uimm(sp)',
  'c.fswsp': 'fsw rs2, uimm(sp)',
}));
