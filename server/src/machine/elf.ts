// Kernel loaders: ELF64 and ELF32 RISC-V executables (PT_LOAD segments at their physical
// addresses, entry point, symbol table, the class that selects RV64 or RV32) and raw binaries,
// with one-line typed errors for the CLI.
import * as fs from 'node:fs';

/** A kernel that cannot be loaded; the message is one line meant for the user. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
}

export interface ElfSegment {
  /** Guest physical load address (p_paddr, as QEMU's and Spike's loaders use). */
  readonly paddr: bigint;
  readonly vaddr: bigint;
  /** The p_filesz bytes from the file (a view, not a copy). */
  readonly data: Uint8Array;
  /** p_memsz: bytes past data.length up to memSize are zero-filled. */
  readonly memSize: bigint;
  /** p_flags: PF_X 1, PF_W 2, PF_R 4. */
  readonly flags: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  readonly type: 'func' | 'object' | 'other';
  readonly global: boolean;
}

/** An ELF's symbols by name, and by address for traces and debuggers. */
export class SymbolTable {
  private readonly byName = new Map<string, ElfSymbol>();
  private readonly sorted: ElfSymbol[];

  constructor(symbols: readonly ElfSymbol[]) {
    for (const symbol of symbols) {
      const known = this.byName.get(symbol.name);
      if (!known || (symbol.global && !known.global)) this.byName.set(symbol.name, symbol);
    }
    // By address; at one address the sized symbols last, so the search below meets them first.
    this.sorted = [...symbols].sort((a, b) =>
      a.value !== b.value ? (a.value < b.value ? -1 : 1) : Number(a.size > 0n) - Number(b.size > 0n));
  }

  get size(): number {
    return this.byName.size;
  }

  lookup(name: string): ElfSymbol | undefined {
    return this.byName.get(name);
  }

  /**
   * The symbol covering `addr`: a sized symbol that contains it, else the nearest unsized
   * label below it (assembly labels such as _start carry no size).
   */
  at(addr: bigint): { symbol: ElfSymbol; offset: bigint } | undefined {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].value <= addr) lo = mid + 1;
      else hi = mid;
    }
    // Look back over a few neighbours: symbols at one address, or a label inside a function.
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const symbol = this.sorted[i];
      const offset = addr - symbol.value;
      if (symbol.size === 0n || offset < symbol.size) return { symbol, offset };
    }
    return undefined;
  }
}

export interface ElfImage {
  readonly format: 'elf';
  /** The ELF class: ELFCLASS64 (an RV64 program) or ELFCLASS32 (RV32). */
  readonly elfClass: 32 | 64;
  readonly entry: bigint;
  readonly segments: readonly ElfSegment[];
  readonly symbols: SymbolTable;
}

export interface RawImage {
  readonly format: 'raw';
  readonly data: Uint8Array;
}

export type KernelImage = ElfImage | RawImage;

/** Where a loader puts bytes: Core fits this. */
export interface PhysicalMemory {
  writePhysical(paddr: bigint, data: Uint8Array): void;
  inRam(paddr: bigint, length: number): boolean;
}

const EM_RISCV = 243;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const PN_XNUM = 0xffff;

/**
 * Where the fields the loader reads sit in each class (System V gABI, "ELF Header", "Program
 * Header", "Sections", "Symbol Table"): sizes, and byte offsets within each structure.
 */
interface ElfLayout {
  readonly ehdrSize: number;
  readonly phdrSize: number;
  readonly shdrSize: number;
  readonly symSize: number;
  /** e_entry, e_phoff, e_shoff, e_phentsize, e_phnum, e_shentsize, e_shnum. */
  readonly header: { entry: number; phoff: number; shoff: number; phentsize: number; phnum: number; shentsize: number; shnum: number };
  readonly program: { type: number; flags: number; offset: number; vaddr: number; paddr: number; filesz: number; memsz: number };
  readonly section: { type: number; offset: number; size: number; link: number; info: number };
  readonly symbol: { name: number; info: number; value: number; size: number };
}

const ELF64_LAYOUT: ElfLayout = {
  ehdrSize: 64, phdrSize: 56, shdrSize: 64, symSize: 24,
  header: { entry: 24, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60 },
  program: { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40 },
  section: { type: 4, offset: 24, size: 32, link: 40, info: 44 },
  symbol: { name: 0, info: 4, value: 8, size: 16 },
};

const ELF32_LAYOUT: ElfLayout = {
  ehdrSize: 52, phdrSize: 32, shdrSize: 40, symSize: 16,
  header: { entry: 24, phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48 },
  program: { type: 0, offset: 4, vaddr: 8, paddr: 12, filesz: 16, memsz: 20, flags: 24 },
  section: { type: 4, offset: 16, size: 20, link: 24, info: 28 },
  symbol: { name: 0, value: 4, size: 8, info: 12 },
};

/** Reads little-endian fields of an ELF of either class: `address` is an Elf32_Addr/Off/Word
 * (4 bytes) or an Elf64_Addr/Off/Xword (8 bytes). */
interface ElfReader {
  u16(at: number): number;
  u32(at: number): number;
  address(at: number): bigint;
}

function elfReader(view: DataView, wide: boolean): ElfReader {
  return {
    u16: (at) => view.getUint16(at, true),
    u32: (at) => view.getUint32(at, true),
    address: wide ? (at) => view.getBigUint64(at, true) : (at) => BigInt(view.getUint32(at, true)),
  };
}

/** Machines a wrong kernel is likely built for, to name in the error. */
const MACHINE_NAMES: Record<number, string> = {
  3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM', 62: 'x86-64',
  183: 'AArch64', 258: 'LoongArch',
};

/**
 * Reads a kernel (or, with `what` = 'firmware', a -bios file) and recognises it: ELF by its
 * magic, anything else a raw binary.
 */
export function readKernel(file: string, what: 'kernel' | 'firmware' = 'kernel'): KernelImage {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new LoadError(`could not load ${what} '${file}': ${describeFileError(error)}`);
  }
  if (isElf(bytes)) return parseElf(bytes, file);
  if (bytes.length === 0) throw new LoadError(`could not load ${what} '${file}': the file is empty`);
  return { format: 'raw', data: bytes };
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** The class of an ELF file's header bytes: 32 or 64, undefined if not a RISC-V ELF of either. */
export function elfClassOf(bytes: Uint8Array): 32 | 64 | undefined {
  if (!isElf(bytes) || bytes.length < 20 || bytes[5] !== ELFDATA2LSB || (bytes[18] | (bytes[19] << 8)) !== EM_RISCV) return undefined;
  return bytes[4] === ELFCLASS32 ? 32 : bytes[4] === ELFCLASS64 ? 64 : undefined;
}

/** The class of the RISC-V ELF in `file` from its first bytes; undefined for anything else
 * (a raw binary, an unreadable file: loading it reports that). */
export function readElfClass(file: string): 32 | 64 | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const header = new Uint8Array(20);
    return elfClassOf(header.subarray(0, fs.readSync(fd, header, 0, header.length, 0)));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Parses an ELF64 or ELF32 little-endian RISC-V executable; `name` labels errors. */
export function parseElf(bytes: Uint8Array, name: string): ElfImage {
  const fail = (why: string): never => {
    throw new LoadError(`'${name}' is not a valid ELF file: ${why}`);
  };
  if (!isElf(bytes)) fail('bad magic');
  if (bytes.length < 20) fail('truncated header');
  const elfClass = bytes[4];
  if (elfClass !== ELFCLASS32 && elfClass !== ELFCLASS64) fail(`unknown ELF class ${elfClass}`);
  if (bytes[5] !== ELFDATA2LSB) {
    const beMachine = (bytes[18] << 8) | bytes[19];
    if (beMachine !== EM_RISCV) throw new LoadError(`'${name}' is not a RISC-V ELF (${machineName(beMachine)})`);
    fail('big-endian data');
  }
  const wide = elfClass === ELFCLASS64;
  const layout = wide ? ELF64_LAYOUT : ELF32_LAYOUT;
  if (bytes.length < layout.ehdrSize) fail('truncated ELF header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = elfReader(view, wide);
  const { u16, u32, address } = read;
  /** A file offset or size that must lie in the file. */
  const offsetIn = (value: bigint, what: string): number => {
    if (value > BigInt(bytes.length)) fail(`${what} lies past the end of the file`);
    return Number(value);
  };

  const machine = u16(18);
  if (machine !== EM_RISCV) throw new LoadError(`'${name}' is not a RISC-V ELF (${machineName(machine)})`);
  const type = u16(16);
  if (type === ET_REL) throw new LoadError(`'${name}' is a relocatable object, not an executable: link it first`);
  if (type !== ET_EXEC && type !== ET_DYN) fail(`unsupported ELF type ${type}`);

  const { header, program } = layout;
  const entry = address(header.entry);
  const phoff = offsetIn(address(header.phoff), 'the program header table');
  const shoff = offsetIn(address(header.shoff), 'the section header table');
  const phentsize = u16(header.phentsize);
  const shentsize = u16(header.shentsize);
  const shnum = u16(header.shnum);
  let phnum = u16(header.phnum);
  if (shoff !== 0 && shnum > 0) {
    if (shentsize !== layout.shdrSize) fail(`section header size ${shentsize}`);
    if (shoff + shnum * layout.shdrSize > bytes.length) fail('the section header table lies past the end of the file');
  }
  if (phnum === PN_XNUM && shoff !== 0 && shnum > 0) phnum = u32(shoff + layout.section.info); // sh_info of section 0
  if (phnum === 0) fail('no program headers');
  if (phentsize !== layout.phdrSize) fail(`program header size ${phentsize}`);
  if (phoff + phnum * layout.phdrSize > bytes.length) fail('the program header table lies past the end of the file');

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * layout.phdrSize;
    if (u32(ph + program.type) !== PT_LOAD) continue;
    const offset = address(ph + program.offset);
    const fileSize = address(ph + program.filesz);
    const memSize = address(ph + program.memsz);
    if (fileSize > memSize) fail(`segment ${i} has a file size larger than its memory size`);
    if (offset + fileSize > BigInt(bytes.length)) fail(`segment ${i} lies past the end of the file`);
    if (memSize === 0n) continue;
    const start = Number(offset);
    segments.push({
      paddr: address(ph + program.paddr),
      vaddr: address(ph + program.vaddr),
      data: bytes.subarray(start, start + Number(fileSize)),
      memSize,
      flags: u32(ph + program.flags),
    });
  }
  if (segments.length === 0) fail('no loadable segments');

  const symbols = shoff !== 0 && shnum > 0 ? readSymbols(bytes, read, layout, shoff, shnum, fail) : [];
  return { format: 'elf', elfClass: wide ? 64 : 32, entry, segments, symbols: new SymbolTable(symbols) };
}

function readSymbols(
  bytes: Uint8Array,
  read: ElfReader,
  layout: ElfLayout,
  shoff: number,
  shnum: number,
  fail: (why: string) => never,
): ElfSymbol[] {
  const symbols: ElfSymbol[] = [];
  const decoder = new TextDecoder();
  const section = (index: number) => {
    const at = shoff + index * layout.shdrSize;
    return {
      type: read.u32(at + layout.section.type),
      offset: read.address(at + layout.section.offset),
      size: read.address(at + layout.section.size),
      link: read.u32(at + layout.section.link),
    };
  };
  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== SHT_SYMTAB) continue;
    if (symtab.link >= shnum) fail('the symbol table names a missing string table');
    const strtab = section(symtab.link);
    const inFile = (s: { offset: bigint; size: bigint }) => s.offset + s.size <= BigInt(bytes.length);
    if (!inFile(symtab) || !inFile(strtab)) fail('the symbol table lies past the end of the file');
    const strStart = Number(strtab.offset);
    const strEnd = strStart + Number(strtab.size);
    const count = Number(symtab.size) / layout.symSize;
    for (let n = 1; n < Math.floor(count); n++) {
      const at = Number(symtab.offset) + n * layout.symSize;
      const nameAt = strStart + read.u32(at + layout.symbol.name);
      if (nameAt >= strEnd) continue;
      let nameEnd = nameAt;
      while (nameEnd < strEnd && bytes[nameEnd] !== 0) nameEnd++;
      const name = decoder.decode(bytes.subarray(nameAt, nameEnd));
      const info = bytes[at + layout.symbol.info];
      const kind = info & 0xf; // STT_*: 1 object, 2 func, 3 section, 4 file
      const binding = info >> 4; // STB_*: 0 local, 1 global, 2 weak
      if (name === '' || kind === 3 || kind === 4 || name.startsWith('$')) continue; // $x/$d: mapping symbols
      symbols.push({
        name,
        value: read.address(at + layout.symbol.value),
        size: read.address(at + layout.symbol.size),
        type: kind === 2 ? 'func' : kind === 1 ? 'object' : 'other',
        global: binding === 1 || binding === 2,
      });
    }
  }
  return symbols;
}

/** Throws "does not fit in RAM" unless every byte the image needs lies where `inRam` says. */
export function checkImageFits(
  image: KernelImage,
  name: string,
  rawBase: bigint,
  inRam: (paddr: bigint, length: number) => boolean,
): void {
  const ranges = image.format === 'raw'
    ? [{ start: rawBase, length: BigInt(image.data.length) }]
    : image.segments.map((segment) => ({ start: segment.paddr, length: segment.memSize }));
  for (const { start, length } of ranges) {
    if (length > BigInt(Number.MAX_SAFE_INTEGER) || !inRam(start, Number(length))) {
      throw new LoadError(
        `kernel '${name}' does not fit in RAM: it needs 0x${start.toString(16)}..0x${(start + length).toString(16)}`,
      );
    }
  }
}

/**
 * Copies an image into guest RAM: ELF segments at their physical addresses (the bytes past
 * p_filesz zeroed), a raw binary at `rawBase`. Returns the entry point.
 */
export function loadImage(image: KernelImage, memory: PhysicalMemory, name: string, rawBase: bigint): bigint {
  checkImageFits(image, name, rawBase, (paddr, length) => memory.inRam(paddr, length));
  if (image.format === 'raw') {
    memory.writePhysical(rawBase, image.data);
    return rawBase;
  }
  const ZERO_CHUNK = 1 << 20;
  for (const segment of image.segments) {
    memory.writePhysical(segment.paddr, segment.data);
    let at = segment.paddr + BigInt(segment.data.length);
    let left = Number(segment.memSize) - segment.data.length;
    const zeros = new Uint8Array(Math.min(left, ZERO_CHUNK));
    while (left > 0) {
      const chunk = Math.min(left, ZERO_CHUNK);
      memory.writePhysical(at, chunk === zeros.length ? zeros : zeros.subarray(0, chunk));
      at += BigInt(chunk);
      left -= chunk;
    }
  }
  return image.entry;
}

function machineName(machine: number): string {
  if (machine < 0) return 'unknown machine';
  const known = MACHINE_NAMES[machine];
  return known ? `machine ${machine}, ${known}` : `machine ${machine}`;
}

/** A file-system error as a few words ("no such file"). */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return code ?? String(error);
  }
}
