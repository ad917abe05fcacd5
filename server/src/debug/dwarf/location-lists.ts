// Location lists (DWARF 5 section 2.6.2): DWARF 5's .debug_loclists (DW_LLE_* entries, 7.7.3)
// and DWARF 4's .debug_loc (address pairs), each entry a pc range and its location expression.
import { LLE } from './constants';
import { ByteReader, DwarfError } from './reader';
import type { UnitContext } from './unit-context';

export interface LocationListEntry {
  /** The entry's offset in its section (as readelf's dump lists it). */
  readonly offset: number;
  /** [begin, end) of pcs where `expression` holds; undefined for a default location entry. */
  readonly begin?: bigint;
  readonly end?: bigint;
  readonly expression: Uint8Array;
}

/** Reads the location list at `offset` of .debug_loclists (unit version 5) or .debug_loc (earlier). */
export function readLocationList(section: Uint8Array | undefined, offset: number, unit: UnitContext): LocationListEntry[] {
  if (!section) throw new DwarfError(`no ${unit.version >= 5 ? '.debug_loclists' : '.debug_loc'} section for a location list`);
  return unit.version >= 5 ? readLocationListV5(section, offset, unit) : readLocationListV4(section, offset, unit);
}

function readLocationListV5(section: Uint8Array, offset: number, unit: UnitContext): LocationListEntry[] {
  const reader = new ByteReader(section, offset);
  const entries: LocationListEntry[] = [];
  let base = unit.baseAddress;
  const counted = () => reader.bytesOf(reader.ulebNumber());
  for (;;) {
    const at = reader.offset;
    const kind = reader.u8();
    switch (kind) {
      case LLE.end_of_list: return entries;
      case LLE.base_addressx: base = unit.addressAt(reader.ulebNumber()); break;
      case LLE.startx_endx: {
        const begin = unit.addressAt(reader.ulebNumber());
        const end = unit.addressAt(reader.ulebNumber());
        entries.push({ offset: at, begin, end, expression: counted() });
        break;
      }
      case LLE.startx_length: {
        const begin = unit.addressAt(reader.ulebNumber());
        const end = begin + reader.uleb();
        entries.push({ offset: at, begin, end, expression: counted() });
        break;
      }
      case LLE.offset_pair: {
        const begin = base + reader.uleb();
        const end = base + reader.uleb();
        entries.push({ offset: at, begin, end, expression: counted() });
        break;
      }
      case LLE.default_location: entries.push({ offset: at, expression: counted() }); break;
      case LLE.base_address: base = reader.address(unit.addressSize); break;
      case LLE.start_end: {
        const begin = reader.address(unit.addressSize);
        const end = reader.address(unit.addressSize);
        entries.push({ offset: at, begin, end, expression: counted() });
        break;
      }
      case LLE.start_length: {
        const begin = reader.address(unit.addressSize);
        const end = begin + reader.uleb();
        entries.push({ offset: at, begin, end, expression: counted() });
        break;
      }
      default: throw new DwarfError(`unknown location list entry ${kind} at 0x${at.toString(16)}`);
    }
  }
}

function readLocationListV4(section: Uint8Array, offset: number, unit: UnitContext): LocationListEntry[] {
  const reader = new ByteReader(section, offset);
  const entries: LocationListEntry[] = [];
  const all = unit.addressSize === 8 ? (1n << 64n) - 1n : 0xffff_ffffn;
  let base = unit.baseAddress;
  for (;;) {
    const at = reader.offset;
    const begin = reader.address(unit.addressSize);
    const end = reader.address(unit.addressSize);
    if (begin === 0n && end === 0n) return entries;
    if (begin === all) {
      base = end; // a base address selection entry (DWARF 4, 2.6.2)
      continue;
    }
    const expression = reader.bytesOf(reader.u16());
    entries.push({ offset: at, begin: base + begin, end: base + end, expression });
  }
}

/** The expression of `list` that holds at `pc`, or undefined where the list has none (optimized out). */
export function expressionAt(list: readonly LocationListEntry[], pc: bigint): Uint8Array | undefined {
  let fallback: Uint8Array | undefined;
  for (const entry of list) {
    if (entry.begin === undefined) fallback = entry.expression;
    else if (entry.begin <= pc && pc < entry.end!) return entry.expression;
  }
  return fallback;
}
