// Finds the DWARF sections of a linked ELF32 or ELF64 little-endian executable by name
// (System V gABI "Sections"). Object files (ET_REL) are refused: their DWARF needs relocations
// applied first (riscv64-unknown-elf-gcc -c output carries R_RISCV_32/64 and ADD/SUB pairs).
import { DwarfError } from './reader';

export interface ElfSection {
  readonly name: string;
  /** sh_addr: where the section is loaded (0 for the non-allocated .debug_* sections). */
  readonly address: bigint;
  /** The section's bytes in the file (a view); empty for SHT_NOBITS. */
  readonly data: Uint8Array;
}

/** The sections a DWARF consumer reads; absent ones are undefined. */
export interface DwarfSections {
  readonly elfClass: 32 | 64;
  /** The target address size in bytes (4 for ELF32, 8 for ELF64). */
  readonly addressSize: 4 | 8;
  readonly info?: Uint8Array;
  readonly abbrev?: Uint8Array;
  readonly line?: Uint8Array;
  readonly lineStr?: Uint8Array;
  readonly str?: Uint8Array;
  readonly strOffsets?: Uint8Array;
  readonly addr?: Uint8Array;
  readonly loclists?: Uint8Array;
  readonly loc?: Uint8Array;
  readonly rnglists?: Uint8Array;
  readonly ranges?: Uint8Array;
  readonly frame?: Uint8Array;
  /** .eh_frame and its load address (its pointers may be pc-relative). */
  readonly ehFrame?: { readonly data: Uint8Array; readonly address: bigint };
  readonly aranges?: Uint8Array;
}

const SHT_NOBITS = 8;
const ET_REL = 1;

/** Every named section of an ELF file. */
export function readElfSections(bytes: Uint8Array): ElfSection[] {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new DwarfError('not an ELF file');
  }
  if (bytes[5] !== 1) throw new DwarfError('not a little-endian ELF file');
  const wide = bytes[4] === 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const word = wide ? (at: number) => view.getBigUint64(at, true) : (at: number) => BigInt(view.getUint32(at, true));
  const fileOffset = (value: bigint, what: string): number => {
    if (value > BigInt(bytes.length)) throw new DwarfError(`${what} lies past the end of the file`);
    return Number(value);
  };
  // e_shoff, e_shentsize, e_shnum, e_shstrndx; then per section sh_name, sh_type, sh_addr, sh_offset, sh_size.
  const shoff = fileOffset(word(wide ? 40 : 32), 'the section header table');
  const shentsize = u16(wide ? 58 : 46);
  let shnum = u16(wide ? 60 : 48);
  let shstrndx = u16(wide ? 62 : 50);
  if (shoff === 0) return [];
  const field = wide ? { type: 4, addr: 16, offset: 24, size: 32 } : { type: 4, addr: 12, offset: 16, size: 20 };
  if (shnum === 0) shnum = Number(word(shoff + (wide ? 32 : 20))); // SHN_UNDEF's sh_size holds a large count
  if (shstrndx === 0xffff) shstrndx = u32(shoff + (wide ? 40 : 24)); // SHN_XINDEX: in sh_link of section 0
  if (shoff + shnum * shentsize > bytes.length) throw new DwarfError('the section header table lies past the end of the file');
  const header = (index: number) => {
    const at = shoff + index * shentsize;
    const type = u32(at + field.type);
    const offset = fileOffset(word(at + field.offset), `section ${index}`);
    const size = type === SHT_NOBITS ? 0 : fileOffset(word(at + field.size), `section ${index}`);
    if (offset + size > bytes.length) throw new DwarfError(`section ${index} lies past the end of the file`);
    return { nameOffset: u32(at), address: word(at + field.addr), data: bytes.subarray(offset, offset + size) };
  };
  const names = shstrndx < shnum ? header(shstrndx).data : new Uint8Array(0);
  const decoder = new TextDecoder();
  const sections: ElfSection[] = [];
  for (let i = 1; i < shnum; i++) {
    const { nameOffset, address, data } = header(i);
    let end = nameOffset;
    while (end < names.length && names[end] !== 0) end++;
    sections.push({ name: decoder.decode(names.subarray(nameOffset, end)), address, data });
  }
  return sections;
}

/** The DWARF sections of a linked executable. */
export function findDwarfSections(bytes: Uint8Array): DwarfSections {
  const sections = readElfSections(bytes);
  if (bytes[16] === ET_REL) throw new DwarfError('a relocatable object: link it first (its DWARF needs relocations)');
  const elfClass = bytes[4] === 2 ? 64 : 32;
  const byName = new Map(sections.map((section) => [section.name, section]));
  const data = (name: string) => byName.get(name)?.data;
  const eh = byName.get('.eh_frame');
  return {
    elfClass,
    addressSize: elfClass === 64 ? 8 : 4,
    info: data('.debug_info'),
    abbrev: data('.debug_abbrev'),
    line: data('.debug_line'),
    lineStr: data('.debug_line_str'),
    str: data('.debug_str'),
    strOffsets: data('.debug_str_offsets'),
    addr: data('.debug_addr'),
    loclists: data('.debug_loclists'),
    loc: data('.debug_loc'),
    rnglists: data('.debug_rnglists'),
    ranges: data('.debug_ranges'),
    frame: data('.debug_frame'),
    ehFrame: eh && eh.data.length > 0 ? { data: eh.data, address: eh.address } : undefined,
    aranges: data('.debug_aranges'),
  };
}
