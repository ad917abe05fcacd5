// Non-contiguous address ranges (DWARF 5 section 2.17.3, DW_AT_ranges): DWARF 5's
// .debug_rnglists (DW_RLE_* entries, 7.25) and DWARF 4's .debug_ranges (address pairs).
import { RLE } from './constants';
import { ByteReader, DwarfError } from './reader';
import type { UnitContext } from './unit-context';

/** A half-open pc range [low, high). */
export interface AddressRange {
  readonly low: bigint;
  readonly high: bigint;
}

/** Reads the range list at `offset` of .debug_rnglists (unit version 5) or .debug_ranges (earlier). */
export function readRangeList(section: Uint8Array | undefined, offset: number, unit: UnitContext): AddressRange[] {
  if (!section) throw new DwarfError(`no ${unit.version >= 5 ? '.debug_rnglists' : '.debug_ranges'} section for a range list`);
  const reader = new ByteReader(section, offset);
  const ranges: AddressRange[] = [];
  let base = unit.baseAddress;
  const add = (low: bigint, high: bigint) => {
    if (high > low) ranges.push({ low, high });
  };
  if (unit.version < 5) {
    const all = unit.addressSize === 8 ? (1n << 64n) - 1n : 0xffff_ffffn;
    for (;;) {
      const begin = reader.address(unit.addressSize);
      const end = reader.address(unit.addressSize);
      if (begin === 0n && end === 0n) return ranges;
      if (begin === all) base = end;
      else add(base + begin, base + end);
    }
  }
  for (;;) {
    const at = reader.offset;
    const kind = reader.u8();
    switch (kind) {
      case RLE.end_of_list: return ranges;
      case RLE.base_addressx: base = unit.addressAt(reader.ulebNumber()); break;
      case RLE.startx_endx: add(unit.addressAt(reader.ulebNumber()), unit.addressAt(reader.ulebNumber())); break;
      case RLE.startx_length: {
        const low = unit.addressAt(reader.ulebNumber());
        add(low, low + reader.uleb());
        break;
      }
      case RLE.offset_pair: {
        const low = base + reader.uleb();
        add(low, base + reader.uleb());
        break;
      }
      case RLE.base_address: base = reader.address(unit.addressSize); break;
      case RLE.start_end: {
        const low = reader.address(unit.addressSize);
        add(low, reader.address(unit.addressSize));
        break;
      }
      case RLE.start_length: {
        const low = reader.address(unit.addressSize);
        add(low, low + reader.uleb());
        break;
      }
      default: throw new DwarfError(`unknown range list entry ${kind} at 0x${at.toString(16)}`);
    }
  }
}
