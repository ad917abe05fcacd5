// Test helpers that build guests without a toolchain: an ELF64/ELF32 writer (segments,
// symbols) and a tiny two-pass RV64 assembler for the handful of instructions the tests need.

export interface SegmentSpec {
  paddr: bigint;
  vaddr?: bigint;
  data: Uint8Array;
  /** Defaults to data.length; larger means a zero-filled tail (.bss). */
  memSize?: number;
  flags?: number;
}

export interface SymbolSpec {
  name: string;
  value: bigint;
  size?: bigint;
  /** STT_*: 0 notype, 1 object, 2 func. */
  type?: number;
  global?: boolean;
}

export interface ElfSpec {
  entry: bigint;
  segments: SegmentSpec[];
  symbols?: SymbolSpec[];
  machine?: number;
  type?: number;
  /** 64 (default) or 32: an ELF32 file, whose addresses must fit in 32 bits. */
  elfClass?: 32 | 64;
}

/** Lays out an ELF little-endian executable: header, program headers, segment data, symtab. */
export function buildElf(spec: ElfSpec): Uint8Array {
  return spec.elfClass === 32 ? buildElf32(spec) : buildElf64(spec);
}

const EHDR = 64;
const PHDR = 56;
const SHDR = 64;
const SYM = 24;

function buildElf64(spec: ElfSpec): Uint8Array {
  const symbols = spec.symbols ?? [];
  const strtab = [0];
  const nameOffsets = symbols.map((symbol) => {
    const at = strtab.length;
    strtab.push(...Buffer.from(symbol.name), 0);
    return at;
  });
  const shstrtab = Buffer.from('\0.symtab\0.strtab\0.shstrtab\0');

  let at = EHDR + PHDR * spec.segments.length;
  const dataOffsets = spec.segments.map((segment) => {
    const offset = at;
    at += segment.data.length;
    return offset;
  });
  at = align(at, 8);
  const symtabOffset = at;
  const symtabSize = SYM * (symbols.length + 1);
  at += symtabSize;
  const strtabOffset = at;
  at += strtab.length;
  const shstrtabOffset = at;
  at += shstrtab.length;
  at = align(at, 8);
  const shoff = at;
  const size = shoff + SHDR * 4;

  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  view.setUint16(16, spec.type ?? 2, true);
  view.setUint16(18, spec.machine ?? 243, true);
  view.setUint32(20, 1, true);
  view.setBigUint64(24, spec.entry, true);
  view.setBigUint64(32, BigInt(EHDR), true);
  view.setBigUint64(40, BigInt(shoff), true);
  view.setUint16(52, EHDR, true);
  view.setUint16(54, PHDR, true);
  view.setUint16(56, spec.segments.length, true);
  view.setUint16(58, SHDR, true);
  view.setUint16(60, 4, true);
  view.setUint16(62, 3, true);

  spec.segments.forEach((segment, i) => {
    const ph = EHDR + i * PHDR;
    view.setUint32(ph, 1, true); // PT_LOAD
    view.setUint32(ph + 4, segment.flags ?? 7, true);
    view.setBigUint64(ph + 8, BigInt(dataOffsets[i]), true);
    view.setBigUint64(ph + 16, segment.vaddr ?? segment.paddr, true);
    view.setBigUint64(ph + 24, segment.paddr, true);
    view.setBigUint64(ph + 32, BigInt(segment.data.length), true);
    view.setBigUint64(ph + 40, BigInt(segment.memSize ?? segment.data.length), true);
    view.setBigUint64(ph + 48, 0x1000n, true);
    bytes.set(segment.data, dataOffsets[i]);
  });

  symbols.forEach((symbol, i) => {
    const entry = symtabOffset + (i + 1) * SYM;
    view.setUint32(entry, nameOffsets[i], true);
    bytes[entry + 4] = ((symbol.global ?? true) ? 0x10 : 0) | (symbol.type ?? 0);
    view.setUint16(entry + 6, 1, true);
    view.setBigUint64(entry + 8, symbol.value, true);
    view.setBigUint64(entry + 16, symbol.size ?? 0n, true);
  });
  bytes.set(strtab, strtabOffset);
  bytes.set(shstrtab, shstrtabOffset);

  const section = (index: number, name: number, type: number, offset: number, length: number, link = 0, entsize = 0) => {
    const sh = shoff + index * SHDR;
    view.setUint32(sh, name, true);
    view.setUint32(sh + 4, type, true);
    view.setBigUint64(sh + 24, BigInt(offset), true);
    view.setBigUint64(sh + 32, BigInt(length), true);
    view.setUint32(sh + 40, link, true);
    view.setBigUint64(sh + 56, BigInt(entsize), true);
  };
  section(1, 1, 2, symtabOffset, symtabSize, 2, SYM); // .symtab, strings in section 2
  section(2, 9, 3, strtabOffset, strtab.length); // .strtab
  section(3, 17, 3, shstrtabOffset, shstrtab.length); // .shstrtab
  return bytes;
}

const EHDR32 = 52;
const PHDR32 = 32;
const SHDR32 = 40;
const SYM32 = 16;

/** The ELF32 layout of the same file (System V gABI: Elf32_Ehdr, Elf32_Phdr, Elf32_Shdr, Elf32_Sym). */
function buildElf32(spec: ElfSpec): Uint8Array {
  const symbols = spec.symbols ?? [];
  const strtab = [0];
  const nameOffsets = symbols.map((symbol) => {
    const at = strtab.length;
    strtab.push(...Buffer.from(symbol.name), 0);
    return at;
  });
  const shstrtab = Buffer.from('\0.symtab\0.strtab\0.shstrtab\0');
  let at = EHDR32 + PHDR32 * spec.segments.length;
  const dataOffsets = spec.segments.map((segment) => {
    const offset = at;
    at += segment.data.length;
    return offset;
  });
  at = align(at, 4);
  const symtabOffset = at;
  const symtabSize = SYM32 * (symbols.length + 1);
  at += symtabSize;
  const strtabOffset = at;
  at += strtab.length;
  const shstrtabOffset = at;
  at += shstrtab.length;
  at = align(at, 4);
  const shoff = at;
  const bytes = new Uint8Array(shoff + SHDR32 * 4);
  const view = new DataView(bytes.buffer);
  const word = (offset: number, value: bigint | number) => view.setUint32(offset, Number(BigInt.asUintN(32, BigInt(value))), true);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  view.setUint16(16, spec.type ?? 2, true);
  view.setUint16(18, spec.machine ?? 243, true);
  word(20, 1);
  word(24, spec.entry);
  word(28, EHDR32);
  word(32, shoff);
  view.setUint16(40, EHDR32, true);
  view.setUint16(42, PHDR32, true);
  view.setUint16(44, spec.segments.length, true);
  view.setUint16(46, SHDR32, true);
  view.setUint16(48, 4, true);
  view.setUint16(50, 3, true);
  spec.segments.forEach((segment, i) => {
    const ph = EHDR32 + i * PHDR32;
    word(ph, 1); // PT_LOAD
    word(ph + 4, dataOffsets[i]);
    word(ph + 8, segment.vaddr ?? segment.paddr);
    word(ph + 12, segment.paddr);
    word(ph + 16, segment.data.length);
    word(ph + 20, segment.memSize ?? segment.data.length);
    word(ph + 24, segment.flags ?? 7);
    word(ph + 28, 0x1000);
    bytes.set(segment.data, dataOffsets[i]);
  });
  symbols.forEach((symbol, i) => {
    const entry = symtabOffset + (i + 1) * SYM32;
    word(entry, nameOffsets[i]);
    word(entry + 4, symbol.value);
    word(entry + 8, symbol.size ?? 0n);
    bytes[entry + 12] = ((symbol.global ?? true) ? 0x10 : 0) | (symbol.type ?? 0);
    view.setUint16(entry + 14, 1, true);
  });
  bytes.set(strtab, strtabOffset);
  bytes.set(shstrtab, shstrtabOffset);
  const section = (index: number, name: number, type: number, offset: number, length: number, link = 0, entsize = 0) => {
    const sh = shoff + index * SHDR32;
    word(sh, name);
    word(sh + 4, type);
    word(sh + 16, offset);
    word(sh + 20, length);
    word(sh + 24, link);
    word(sh + 36, entsize);
  };
  section(1, 1, 2, symtabOffset, symtabSize, 2, SYM32);
  section(2, 9, 3, strtabOffset, strtab.length);
  section(3, 17, 3, shstrtabOffset, shstrtab.length);
  return bytes;
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

// ---- A minimal RV64 assembler -------------------------------------------------------------

/** A register by ABI name. */
export const reg = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9,
  a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, t3: 28, t4: 29, t5: 30, t6: 31,
} as const;

type Encoder = (pc: bigint, labels: ReadonlyMap<string, bigint>) => number[];
export type Item = { label: string } | { bytes: number[] } | { align: number } | { encode: Encoder; words: number };

const i = (opcode: number, f3: number, rd: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
const s = (opcode: number, f3: number, rs1: number, rs2: number, imm: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opcode) >>> 0;
const b = (f3: number, rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const u = (opcode: number, rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | opcode) >>> 0;

const fixed = (...words: number[]): Item => ({ encode: () => words, words: words.length });
const relative = (label: string, make: (offset: number) => number[], words = 1): Item => ({
  encode: (pc, labels) => {
    const target = labels.get(label);
    if (target === undefined) throw new Error(`undefined label ${label}`);
    return make(Number(target - pc));
  },
  words,
});

export const asm = {
  label: (label: string): Item => ({ label }),
  addi: (rd: number, rs1: number, imm: number) => fixed(i(0x13, 0, rd, rs1, imm)),
  andi: (rd: number, rs1: number, imm: number) => fixed(i(0x13, 7, rd, rs1, imm)),
  slli: (rd: number, rs1: number, shamt: number) => fixed(i(0x13, 1, rd, rs1, shamt)),
  or: (rd: number, rs1: number, rs2: number) => fixed(((rs2 << 20) | (rs1 << 15) | (6 << 12) | (rd << 7) | 0x33) >>> 0),
  add: (rd: number, rs1: number, rs2: number) => fixed(((rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33) >>> 0),
  lui: (rd: number, imm20: number) => fixed(u(0x37, rd, imm20)),
  ld: (rd: number, rs1: number, imm: number) => fixed(i(0x03, 3, rd, rs1, imm)),
  lbu: (rd: number, rs1: number, imm: number) => fixed(i(0x03, 4, rd, rs1, imm)),
  sd: (rs2: number, rs1: number, imm: number) => fixed(s(0x23, 3, rs1, rs2, imm)),
  sw: (rs2: number, rs1: number, imm: number) => fixed(s(0x23, 2, rs1, rs2, imm)),
  sb: (rs2: number, rs1: number, imm: number) => fixed(s(0x23, 0, rs1, rs2, imm)),
  csrrs: (rd: number, csr: number, rs1: number) => fixed(i(0x73, 2, rd, rs1, csr)),
  csrrw: (rd: number, csr: number, rs1: number) => fixed(i(0x73, 1, rd, rs1, csr)),
  wfi: () => fixed(0x10500073),
  /** li for values that fit in 32 signed bits. */
  li: (rd: number, value: number) => {
    const lo = (value << 20) >> 20;
    const hi = ((value - lo) >>> 12) & 0xfffff;
    return hi === 0 ? fixed(i(0x13, 0, rd, 0, lo)) : fixed(u(0x37, rd, hi), i(0x1b, 0, rd, rd, lo)); // lui + addiw
  },
  la: (rd: number, label: string) =>
    relative(label, (offset) => {
      const lo = (offset << 20) >> 20;
      const hi = ((offset - lo) >> 12) & 0xfffff;
      return [u(0x17, rd, hi), i(0x13, 0, rd, rd, lo)];
    }, 2),
  beq: (rs1: number, rs2: number, label: string) => relative(label, (off) => [b(0, rs1, rs2, off)]),
  bne: (rs1: number, rs2: number, label: string) => relative(label, (off) => [b(1, rs1, rs2, off)]),
  bltu: (rs1: number, rs2: number, label: string) => relative(label, (off) => [b(6, rs1, rs2, off)]),
  j: (label: string) =>
    relative(label, (off) => [
      ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) |
        (((off >> 12) & 0xff) << 12) | 0x6f) >>> 0,
    ]),
  bytes: (...values: number[]): Item => ({ bytes: values }),
  dword: (value: bigint): Item => {
    const out: number[] = [];
    for (let k = 0n; k < 8n; k++) out.push(Number((value >> (8n * k)) & 0xffn));
    return { bytes: out };
  },
  align: (to: number): Item => ({ align: to }),
};

/** Assembles `items` at `base`; returns the bytes and the label addresses. */
export function assemble(base: bigint, items: Item[]): { bytes: Uint8Array; labels: Map<string, bigint> } {
  const labels = new Map<string, bigint>();
  const place = (visit: (item: Item, pc: bigint) => void) => {
    let pc = base;
    for (const item of items) {
      if ('align' in item) {
        const rem = (pc - base) % BigInt(item.align);
        const pad = rem === 0n ? 0n : BigInt(item.align) - rem;
        visit({ bytes: new Array(Number(pad)).fill(0) }, pc);
        pc += pad;
        continue;
      }
      visit(item, pc);
      if ('bytes' in item) pc += BigInt(item.bytes.length);
      else if ('encode' in item) pc += BigInt(item.words * 4);
    }
  };
  place((item, pc) => {
    if ('label' in item) labels.set(item.label, pc);
  });
  const out: number[] = [];
  place((item, pc) => {
    if ('bytes' in item) out.push(...item.bytes);
    else if ('encode' in item) {
      for (const word of item.encode(pc, labels)) out.push(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
    }
  });
  return { bytes: Uint8Array.from(out), labels };
}

/** A one-segment ELF at `base` from assembly, with its labels as symbols (tohost, fromhost...). */
export function guestElf(base: bigint, items: Item[]): Uint8Array {
  const { bytes, labels } = assemble(base, items);
  const symbols = [...labels].map(([name, value]) => ({ name, value }));
  return buildElf({ entry: base, segments: [{ paddr: base, data: bytes }], symbols });
}
