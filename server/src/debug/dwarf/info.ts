// .debug_info (DWARF 4 and 5, sections 7.5 and 7.5.1): unit headers, abbreviation tables,
// attribute forms (strx, addrx, line_strp, implicit_const, data16, exprloc, sec_offset, ref*)
// and the tree of debugging information entries, each unit's tree parsed on first use.
import { AT, FORM } from './constants';
import { ByteReader, DwarfError, stringAt } from './reader';
import { readRangeList, type AddressRange } from './ranges';
import type { DwarfSections } from './sections';
import type { UnitContext } from './unit-context';

/**
 * An attribute's value as its form gives it: addresses and constants as bigint; references
 * (resolved to .debug_info offsets), section offsets and strx/addrx/loclistx/rnglistx indexes
 * as number; strings resolved; blocks and exprlocs as bytes; flags as boolean.
 */
export type AttributeValue = bigint | number | string | boolean | Uint8Array;

export interface Attribute {
  readonly name: number;
  readonly form: number;
  readonly value: AttributeValue;
}

interface AbbreviationSpec {
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attributes: readonly { name: number; form: number; implicitConst?: bigint }[];
}

/** Reads the abbreviation table at `offset` of .debug_abbrev (7.5.3). */
function readAbbreviations(section: Uint8Array, offset: number): Map<number, AbbreviationSpec> {
  const reader = new ByteReader(section, offset);
  const table = new Map<number, AbbreviationSpec>();
  for (let code = reader.ulebNumber(); code !== 0; code = reader.ulebNumber()) {
    const tag = reader.ulebNumber();
    const hasChildren = reader.u8() !== 0;
    const attributes: { name: number; form: number; implicitConst?: bigint }[] = [];
    for (;;) {
      const name = reader.ulebNumber();
      const form = reader.ulebNumber();
      if (name === 0 && form === 0) break;
      attributes.push(form === FORM.implicit_const ? { name, form, implicitConst: reader.sleb() } : { name, form });
    }
    table.set(code, { tag, hasChildren, attributes });
  }
  return table;
}

const REFERENCE_FORMS = new Set<number>([FORM.ref1, FORM.ref2, FORM.ref4, FORM.ref8, FORM.ref_udata, FORM.ref_addr]);
const BLOCK_FORMS = new Set<number>([FORM.block, FORM.block1, FORM.block2, FORM.block4, FORM.exprloc]);
const CONSTANT_FORMS = new Set<number>([FORM.data1, FORM.data2, FORM.data4, FORM.data8, FORM.udata, FORM.sdata, FORM.implicit_const]);
const STRX_FORMS = new Set<number>([FORM.strx, FORM.strx1, FORM.strx2, FORM.strx3, FORM.strx4, FORM.GNU_str_index]);
const ADDRX_FORMS = new Set<number>([FORM.addrx, FORM.addrx1, FORM.addrx2, FORM.addrx3, FORM.addrx4, FORM.GNU_addr_index]);

/** One debugging information entry. */
export class Die {
  readonly children: Die[] = [];

  constructor(
    readonly unit: CompilationUnit,
    readonly offset: number,
    readonly tag: number,
    readonly attributes: readonly Attribute[],
    readonly parent: Die | undefined,
  ) {}

  attribute(name: number): Attribute | undefined {
    return this.attributes.find((attribute) => attribute.name === name);
  }

  has(name: number): boolean {
    return this.attribute(name) !== undefined;
  }

  /** A string attribute (string, strp, line_strp, strx). */
  string(name: number): string | undefined {
    const attribute = this.attribute(name);
    if (!attribute) return undefined;
    if (typeof attribute.value === 'string') return attribute.value;
    if (STRX_FORMS.has(attribute.form)) return this.unit.stringAtIndex(attribute.value as number);
    return undefined;
  }

  /** A constant attribute, unsigned unless its form is sdata or implicit_const. */
  constant(name: number): bigint | undefined {
    const attribute = this.attribute(name);
    if (!attribute || !CONSTANT_FORMS.has(attribute.form)) return undefined;
    return attribute.value as bigint;
  }

  /** A constant attribute as a number (sizes, lines, bounds). */
  number(name: number): number | undefined {
    const value = this.constant(name);
    return value === undefined ? undefined : Number(value);
  }

  flag(name: number): boolean {
    return this.attribute(name)?.value === true;
  }

  /** An address attribute (addr, addrx). */
  address(name: number): bigint | undefined {
    const attribute = this.attribute(name);
    if (!attribute) return undefined;
    if (attribute.form === FORM.addr) return attribute.value as bigint;
    if (ADDRX_FORMS.has(attribute.form)) return this.unit.addressAt(attribute.value as number);
    return undefined;
  }

  /** An exprloc or block attribute's bytes. */
  block(name: number): Uint8Array | undefined {
    const attribute = this.attribute(name);
    return attribute && BLOCK_FORMS.has(attribute.form) ? (attribute.value as Uint8Array) : undefined;
  }

  /** The entry a reference attribute names. */
  reference(name: number): Die | undefined {
    const attribute = this.attribute(name);
    if (!attribute || !REFERENCE_FORMS.has(attribute.form)) return undefined;
    return this.unit.info.dieAt(attribute.value as number);
  }

  /** The entry this one completes or instantiates (DW_AT_abstract_origin, DW_AT_specification). */
  origin(): Die | undefined {
    return this.reference(AT.abstract_origin) ?? this.reference(AT.specification);
  }

  /** An attribute of this entry, or of the entry it instantiates (a concrete inlined copy, an out-of-line definition). */
  inherited(name: number): Die | undefined {
    for (let die: Die | undefined = this, depth = 0; die && depth < 8; die = die.origin(), depth++) {
      if (die.has(name)) return die;
    }
    return undefined;
  }

  /** The name, through abstract_origin/specification. */
  get name(): string | undefined {
    return this.inherited(AT.name)?.string(AT.name);
  }

  /** The pc ranges the entry covers (low_pc/high_pc, or DW_AT_ranges); empty if none. */
  ranges(): AddressRange[] {
    const low = this.address(AT.low_pc);
    const high = this.attribute(AT.high_pc);
    if (low !== undefined && high) {
      // DWARF 4+: high_pc of a constant class is an offset from low_pc (2.17.2).
      const end = high.form === FORM.addr || ADDRX_FORMS.has(high.form) ? this.address(AT.high_pc)! : low + (high.value as bigint);
      return end > low ? [{ low, high: end }] : [];
    }
    const ranges = this.attribute(AT.ranges);
    if (!ranges) return low !== undefined ? [{ low, high: low + 1n }] : [];
    return this.unit.rangeList(ranges);
  }
}

/** A unit of .debug_info (its header, 7.5.1), with its entries parsed on first use. */
export class CompilationUnit implements UnitContext {
  readonly version: number;
  readonly unitType: number;
  readonly addressSize: 4 | 8;
  readonly offsetSize: 4 | 8;
  /** The offset of the first byte past the unit. */
  readonly end: number;
  private readonly abbrevOffset: number;
  private readonly firstDie: number;
  private tree: Die | undefined;
  private readonly byOffset = new Map<number, Die>();

  constructor(readonly info: DebugInfoEntries, readonly offset: number) {
    const reader = new ByteReader(info.sections.info!, offset);
    const { length, offsetSize } = reader.initialLength();
    this.offsetSize = offsetSize;
    this.end = reader.offset + length;
    this.version = reader.u16();
    if (this.version < 2 || this.version > 5) throw new DwarfError(`unit at 0x${offset.toString(16)} has DWARF version ${this.version}`);
    let addressSize: number;
    if (this.version >= 5) {
      this.unitType = reader.u8();
      addressSize = reader.u8();
      this.abbrevOffset = reader.sectionOffset(offsetSize);
      if (this.unitType === 0x04 || this.unitType === 0x05) reader.skip(8); // skeleton, split_compile: dwo_id
      else if (this.unitType === 0x02 || this.unitType === 0x06) {
        reader.skip(8); // type_signature
        reader.sectionOffset(offsetSize); // type_offset
      }
    } else {
      this.unitType = 0x01;
      this.abbrevOffset = reader.sectionOffset(offsetSize);
      addressSize = reader.u8();
    }
    if (addressSize !== 4 && addressSize !== 8) throw new DwarfError(`unit at 0x${offset.toString(16)} has address size ${addressSize}`);
    this.addressSize = addressSize;
    this.firstDie = reader.offset;
  }

  /** The unit's root entry (DW_TAG_compile_unit), its whole tree parsed. */
  get root(): Die {
    if (!this.tree) this.tree = this.parse();
    return this.tree;
  }

  /** The entry at `offset` of .debug_info, if in this unit. */
  dieAt(offset: number): Die | undefined {
    this.root;
    return this.byOffset.get(offset);
  }

  get name(): string | undefined {
    return this.root.string(AT.name);
  }

  get compDir(): string {
    return this.root.string(AT.comp_dir) ?? '';
  }

  get baseAddress(): bigint {
    return this.root.address(AT.low_pc) ?? 0n;
  }

  /** The address at `index` of the unit's .debug_addr table (after DW_AT_addr_base). */
  addressAt(index: number): bigint {
    const section = this.info.sections.addr;
    if (!section) throw new DwarfError('an indexed address without a .debug_addr section');
    const base = Number(this.root.attribute(AT.addr_base)?.value ?? 8);
    return new ByteReader(section, base + index * this.addressSize).address(this.addressSize);
  }

  /** The string at `index` of the unit's .debug_str_offsets table (after DW_AT_str_offsets_base). */
  stringAtIndex(index: number): string {
    const offsets = this.info.sections.strOffsets;
    if (!offsets) throw new DwarfError('an indexed string without a .debug_str_offsets section');
    // The base attribute may itself follow a strx attribute in the root: read it raw.
    const base = Number(this.rootAttributeValue(AT.str_offsets_base) ?? 8);
    const offset = new ByteReader(offsets, base + index * this.offsetSize).sectionOffset(this.offsetSize);
    return stringAt(this.info.sections.str, offset, '.debug_str');
  }

  /** The offset in .debug_loclists or .debug_loc of a DW_AT_location-like attribute's list. */
  locationListOffset(attribute: Attribute): number {
    if (attribute.form !== FORM.loclistx) return attribute.value as number;
    const base = Number(this.root.attribute(AT.loclists_base)?.value ?? 12);
    const offsetsAt = base + (attribute.value as number) * this.offsetSize;
    return base + new ByteReader(this.info.sections.loclists!, offsetsAt).sectionOffset(this.offsetSize);
  }

  /** The ranges of a DW_AT_ranges attribute. */
  rangeList(attribute: Attribute): AddressRange[] {
    const section = this.version >= 5 ? this.info.sections.rnglists : this.info.sections.ranges;
    let offset = attribute.value as number;
    if (attribute.form === FORM.rnglistx) {
      const base = Number(this.root.attribute(AT.rnglists_base)?.value ?? 12);
      offset = base + new ByteReader(section!, base + offset * this.offsetSize).sectionOffset(this.offsetSize);
    }
    return readRangeList(section, offset, this);
  }

  private rootAttributeValue(name: number): AttributeValue | undefined {
    return this.tree ? this.tree.attribute(name)?.value : this.parseRootAttributes().find((a) => a.name === name)?.value;
  }

  private parseRootAttributes(): Attribute[] {
    const reader = new ByteReader(this.info.sections.info!, this.firstDie);
    const spec = this.info.abbreviations(this.abbrevOffset).get(reader.ulebNumber());
    if (!spec) return [];
    return spec.attributes.map(({ name, form, implicitConst }) => ({ name, form, value: this.readForm(reader, form, implicitConst) }));
  }

  private parse(): Die {
    const reader = new ByteReader(this.info.sections.info!, this.firstDie);
    const abbreviations = this.info.abbreviations(this.abbrevOffset);
    let root: Die | undefined;
    const parents: Die[] = [];
    while (reader.offset < this.end) {
      const offset = reader.offset;
      const code = reader.ulebNumber();
      if (code === 0) {
        parents.pop();
        if (parents.length === 0) break;
        continue;
      }
      const spec = abbreviations.get(code);
      if (!spec) throw new DwarfError(`unknown abbreviation ${code} at 0x${offset.toString(16)}`);
      const attributes = spec.attributes.map(({ name, form, implicitConst }) => ({ name, form, value: this.readForm(reader, form, implicitConst) }));
      const parent = parents[parents.length - 1];
      const die = new Die(this, offset, spec.tag, attributes, parent);
      this.byOffset.set(offset, die);
      if (parent) parent.children.push(die);
      else if (!root) root = die;
      if (spec.hasChildren) parents.push(die);
      else if (!parent) break;
    }
    if (!root) throw new DwarfError(`unit at 0x${this.offset.toString(16)} has no entries`);
    return root;
  }

  private readForm(reader: ByteReader, form: number, implicitConst?: bigint): AttributeValue {
    const { sections } = this.info;
    switch (form) {
      case FORM.addr: return reader.address(this.addressSize);
      case FORM.block1: return reader.bytesOf(reader.u8());
      case FORM.block2: return reader.bytesOf(reader.u16());
      case FORM.block4: return reader.bytesOf(reader.u32());
      case FORM.block: case FORM.exprloc: return reader.bytesOf(reader.ulebNumber());
      case FORM.data1: return BigInt(reader.u8());
      case FORM.data2: return BigInt(reader.u16());
      case FORM.data4: return BigInt(reader.u32());
      case FORM.data8: return reader.u64();
      case FORM.data16: return reader.bytesOf(16);
      case FORM.sdata: return reader.sleb();
      case FORM.udata: return reader.uleb();
      case FORM.implicit_const: return implicitConst ?? 0n;
      case FORM.string: return reader.cstring();
      case FORM.strp: return stringAt(sections.str, reader.sectionOffset(this.offsetSize), '.debug_str');
      case FORM.line_strp: return stringAt(sections.lineStr, reader.sectionOffset(this.offsetSize), '.debug_line_str');
      case FORM.strx: case FORM.GNU_str_index: return reader.ulebNumber();
      case FORM.strx1: return reader.u8();
      case FORM.strx2: return reader.u16();
      case FORM.strx3: return reader.u24();
      case FORM.strx4: return reader.u32();
      case FORM.addrx: case FORM.GNU_addr_index: return reader.ulebNumber();
      case FORM.addrx1: return reader.u8();
      case FORM.addrx2: return reader.u16();
      case FORM.addrx3: return reader.u24();
      case FORM.addrx4: return reader.u32();
      case FORM.flag: return reader.u8() !== 0;
      case FORM.flag_present: return true;
      case FORM.ref1: return this.offset + reader.u8();
      case FORM.ref2: return this.offset + reader.u16();
      case FORM.ref4: return this.offset + reader.u32();
      case FORM.ref8: return this.offset + Number(reader.u64());
      case FORM.ref_udata: return this.offset + reader.ulebNumber();
      case FORM.ref_addr: return this.version <= 2 ? Number(reader.address(this.addressSize)) : reader.sectionOffset(this.offsetSize);
      case FORM.ref_sig8: return reader.u64();
      case FORM.ref_sup4: return reader.u32();
      case FORM.ref_sup8: return Number(reader.u64());
      case FORM.strp_sup: case FORM.GNU_strp_alt: case FORM.GNU_ref_alt: return reader.sectionOffset(this.offsetSize);
      case FORM.sec_offset: return reader.sectionOffset(this.offsetSize);
      case FORM.loclistx: case FORM.rnglistx: return reader.ulebNumber();
      case FORM.indirect: return this.readForm(reader, reader.ulebNumber());
      default: throw new DwarfError(`unsupported attribute form ${FORM.nameOf(form)}`);
    }
  }
}

/** All the units of .debug_info. */
export class DebugInfoEntries {
  readonly units: readonly CompilationUnit[];
  private readonly abbreviationTables = new Map<number, Map<number, AbbreviationSpec>>();

  constructor(readonly sections: DwarfSections) {
    const units: CompilationUnit[] = [];
    const info = sections.info;
    if (info) {
      for (let offset = 0; offset < info.length;) {
        const unit = new CompilationUnit(this, offset);
        units.push(unit);
        offset = unit.end;
      }
    }
    this.units = units;
  }

  abbreviations(offset: number): Map<number, AbbreviationSpec> {
    let table = this.abbreviationTables.get(offset);
    if (!table) {
      if (!this.sections.abbrev) throw new DwarfError('no .debug_abbrev section');
      table = readAbbreviations(this.sections.abbrev, offset);
      this.abbreviationTables.set(offset, table);
    }
    return table;
  }

  /** The entry at `offset` of .debug_info. */
  dieAt(offset: number): Die | undefined {
    for (const unit of this.units) if (offset >= unit.offset && offset < unit.end) return unit.dieAt(offset);
    return undefined;
  }

  /** Calls `visit` on every entry of every unit, depth first. */
  *walk(): Generator<Die> {
    for (const unit of this.units) {
      if (unit.unitType !== 0x01 && unit.unitType !== 0x03) continue;
      const stack: Die[] = [unit.root];
      while (stack.length > 0) {
        const die = stack.pop()!;
        yield die;
        for (let i = die.children.length - 1; i >= 0; i--) stack.push(die.children[i]);
      }
    }
  }
}

