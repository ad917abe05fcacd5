// Kernel loaders: ELF64 RISC-V executables (PT_LOAD segments at their physical addresses,
// entry point, symbol table) and raw binaries, with one-line typed errors for the CLI.
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
const EHDR64_SIZE = 64;
const PHDR64_SIZE = 56;
const SHDR64_SIZE = 64;
const SYM64_SIZE = 24;

/** Machines a wrong kernel is likely built for, to name in the error. */
const MACHINE_NAMES: Record<number, string> = {
  3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM', 62: 'x86-64',
  183: 'AArch64', 258: 'LoongArch',
};

/** Reads a kernel file and recognises it: ELF by its magic, anything else a raw binary. */
export function readKernel(file: string): KernelImage {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new LoadError(`could not load kernel '${file}': ${describeFileError(error)}`);
  }
  if (isElf(bytes)) return parseElf(bytes, file);
  if (bytes.length === 0) throw new LoadError(`could not load kernel '${file}': the file is empty`);
  return { format: 'raw', data: bytes };
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses an ELF64 little-endian RISC-V executable; `name` labels errors. */
export function parseElf(bytes: Uint8Array, name: string): ElfImage {
  const fail = (why: string): never => {
    throw new LoadError(`'${name}' is not a valid ELF file: ${why}`);
  };
  if (!isElf(bytes)) fail('bad magic');
  if (bytes.length < 20) fail('truncated header');
  const elfClass = bytes[4];
  if (elfClass === ELFCLASS32) {
    const machine = bytes[5] === ELFDATA2LSB ? bytes[18] | (bytes[19] << 8) : -1;
    if (machine !== EM_RISCV) throw new LoadError(`'${name}' is not a RISC-V ELF (${machineName(machine)})`);
    throw new LoadError(`'${name}' is a 32-bit (ELF32) RISC-V kernel: only RV64 is supported for now`);
  }
  if (elfClass !== ELFCLASS64) fail(`unknown ELF class ${elfClass}`);
  if (bytes[5] !== ELFDATA2LSB) {
    const beMachine = (bytes[18] << 8) | bytes[19];
    if (beMachine !== EM_RISCV) throw new LoadError(`'${name}' is not a RISC-V ELF (${machineName(beMachine)})`);
    fail('big-endian data');
  }
  if (bytes.length < EHDR64_SIZE) fail('truncated ELF header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => view.getBigUint64(at, true);
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

  const entry = u64(24);
  const phoff = offsetIn(u64(32), 'the program header table');
  const shoff = offsetIn(u64(40), 'the section header table');
  const phentsize = u16(54);
  const shentsize = u16(58);
  const shnum = u16(60);
  let phnum = u16(56);
  if (shoff !== 0 && shnum > 0) {
    if (shentsize !== SHDR64_SIZE) fail(`section header size ${shentsize}`);
    if (shoff + shnum * SHDR64_SIZE > bytes.length) fail('the section header table lies past the end of the file');
  }
  if (phnum === PN_XNUM && shoff !== 0 && shnum > 0) phnum = u32(shoff + 44); // sh_info of section 0
  if (phnum === 0) fail('no program headers');
  if (phentsize !== PHDR64_SIZE) fail(`program header size ${phentsize}`);
  if (phoff + phnum * PHDR64_SIZE > bytes.length) fail('the program header table lies past the end of the file');

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * PHDR64_SIZE;
    if (u32(ph) !== PT_LOAD) continue;
    const offset = u64(ph + 8);
    const fileSize = u64(ph + 32);
    const memSize = u64(ph + 40);
    if (fileSize > memSize) fail(`segment ${i} has a file size larger than its memory size`);
    if (offset + fileSize > BigInt(bytes.length)) fail(`segment ${i} lies past the end of the file`);
    if (memSize === 0n) continue;
    const start = Number(offset);
    segments.push({
      paddr: u64(ph + 24),
      vaddr: u64(ph + 16),
      data: bytes.subarray(start, start + Number(fileSize)),
      memSize,
      flags: u32(ph + 4),
    });
  }
  if (segments.length === 0) fail('no loadable segments');

  const symbols = shoff !== 0 && shnum > 0 ? readSymbols(bytes, view, shoff, shnum, fail) : [];
  return { format: 'elf', entry, segments, symbols: new SymbolTable(symbols) };
}

function readSymbols(
  bytes: Uint8Array,
  view: DataView,
  shoff: number,
  shnum: number,
  fail: (why: string) => never,
): ElfSymbol[] {
  const symbols: ElfSymbol[] = [];
  const decoder = new TextDecoder();
  const section = (index: number) => {
    const at = shoff + index * SHDR64_SIZE;
    return {
      type: view.getUint32(at + 4, true),
      offset: view.getBigUint64(at + 24, true),
      size: view.getBigUint64(at + 32, true),
      link: view.getUint32(at + 40, true),
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
    const count = Number(symtab.size) / SYM64_SIZE;
    for (let n = 1; n < Math.floor(count); n++) {
      const at = Number(symtab.offset) + n * SYM64_SIZE;
      const nameAt = strStart + view.getUint32(at, true);
      if (nameAt >= strEnd) continue;
      let nameEnd = nameAt;
      while (nameEnd < strEnd && bytes[nameEnd] !== 0) nameEnd++;
      const name = decoder.decode(bytes.subarray(nameAt, nameEnd));
      const info = bytes[at + 4];
      const kind = info & 0xf; // STT_*: 1 object, 2 func, 3 section, 4 file
      const binding = info >> 4; // STB_*: 0 local, 1 global, 2 weak
      if (name === '' || kind === 3 || kind === 4 || name.startsWith('$')) continue; // $x/$d: mapping symbols
      symbols.push({
        name,
        value: view.getBigUint64(at + 8, true),
        size: view.getBigUint64(at + 16, true),
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
