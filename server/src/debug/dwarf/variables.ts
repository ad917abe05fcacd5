// Functions, their parameters and locals, and globals as .debug_info describes them (DWARF 5
// sections 3.3 "Subroutine and Entry Point Entries", 3.5 "Lexical Block Entries", 4.1 "Data
// Object Entries"), and which of them are in scope at a pc.
import { AT, TAG } from './constants';
import type { Die } from './info';
import { expressionAt, readLocationList, type LocationListEntry } from './location-lists';
import type { AddressRange } from './ranges';
import { sizeOf, type Type, type TypeReader } from './types';

export interface DebugFunction {
  readonly name: string;
  readonly die: Die;
  /** The pcs of its code (several ranges when gcc splits out cold parts). */
  readonly ranges: readonly AddressRange[];
  /** Its entry point: DW_AT_entry_pc, else the lowest pc of its first range. */
  readonly entry: bigint;
  /** DW_AT_frame_base's expression (gcc: DW_OP_call_frame_cfa). */
  readonly frameBase?: Uint8Array;
  readonly declLine?: number;
}

/** Where a variable lives, over its whole lifetime. */
export type VariableLocation =
  | { readonly kind: 'expression'; readonly expression: Uint8Array }
  | { readonly kind: 'list'; readonly entries: readonly LocationListEntry[] }
  /** DW_AT_const_value: the value's bytes (the variable lives nowhere). */
  | { readonly kind: 'constant'; readonly bytes: Uint8Array }
  /** No location at all: optimized out everywhere. */
  | { readonly kind: 'none' };

export interface DebugVariable {
  readonly name: string;
  readonly kind: 'parameter' | 'local' | 'global';
  readonly type: Type;
  readonly die: Die;
  readonly location: VariableLocation;
  /** For locals: the nesting depth of its block within the function (0 = the function's own). */
  readonly depth: number;
  /** The inlined function it belongs to, for parameters and locals of an inlined call. */
  readonly inlinedIn?: string;
}

/** The location of a variable entry: its DW_AT_location (exprloc or list), or DW_AT_const_value. */
export function variableLocation(die: Die, type: Type): VariableLocation {
  const location = die.attribute(AT.location);
  if (location) {
    if (location.value instanceof Uint8Array) return { kind: 'expression', expression: location.value };
    const unit = die.unit;
    const offset = unit.locationListOffset(location);
    const section = unit.version >= 5 ? unit.info.sections.loclists : unit.info.sections.loc;
    return { kind: 'list', entries: readLocationList(section, offset, unit) };
  }
  const constant = die.attribute(AT.const_value);
  if (constant) {
    if (constant.value instanceof Uint8Array) return { kind: 'constant', bytes: constant.value };
    if (typeof constant.value === 'string') return { kind: 'constant', bytes: new TextEncoder().encode(`${constant.value}\0`) };
    const size = sizeOf(type) || 8;
    let value = BigInt.asUintN(size * 8, constant.value as bigint);
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++, value >>= 8n) bytes[i] = Number(value & 0xffn);
    return { kind: 'constant', bytes };
  }
  return { kind: 'none' };
}

/** The expression locating `location` at `pc`: undefined where the variable is optimized out. */
export function locationAtPc(location: VariableLocation, pc: bigint): Uint8Array | undefined {
  if (location.kind === 'expression') return location.expression;
  if (location.kind === 'list') return expressionAt(location.entries, pc);
  return undefined;
}

export function contains(ranges: readonly AddressRange[], pc: bigint): boolean {
  return ranges.some((range) => range.low <= pc && pc < range.high);
}

/** A subprogram entry with code as a DebugFunction (undefined for declarations and abstract instances). */
export function functionOf(die: Die): DebugFunction | undefined {
  if (die.tag !== TAG.subprogram) return undefined;
  const ranges = die.ranges();
  if (ranges.length === 0) return undefined;
  const name = die.name ?? die.inherited(AT.linkage_name)?.string(AT.linkage_name) ?? `<function at 0x${ranges[0].low.toString(16)}>`;
  const entry = die.address(AT.entry_pc) ?? ranges[0].low;
  return { name, die, ranges, entry, frameBase: die.block(AT.frame_base), declLine: die.inherited(AT.decl_line)?.number(AT.decl_line) };
}

function variableOf(die: Die, kind: DebugVariable['kind'], types: TypeReader, depth: number, inlinedIn?: string): DebugVariable {
  const typed = die.inherited(AT.type);
  const type = typed ? types.typeOf(typed) : { kind: 'void' as const };
  return { name: die.name ?? '<anonymous>', kind, type, die, location: variableLocation(die, type), depth, inlinedIn };
}

/**
 * The parameters and locals visible at `pc` in `fn`: the function's own, then those of each
 * lexical block and inlined call containing pc, outermost first (an inner one may shadow an
 * outer one of the same name). Variables declared without a location are still listed.
 */
export function variablesAt(fn: DebugFunction, pc: bigint, types: TypeReader): DebugVariable[] {
  const variables: DebugVariable[] = [];
  const visit = (scope: Die, depth: number, inlinedIn?: string) => {
    for (const child of scope.children) {
      switch (child.tag) {
        case TAG.formal_parameter: variables.push(variableOf(child, 'parameter', types, depth, inlinedIn)); break;
        case TAG.variable:
          if (!child.flag(AT.declaration) || child.has(AT.location)) variables.push(variableOf(child, 'local', types, depth, inlinedIn));
          break;
        case TAG.lexical_block: {
          const ranges = child.ranges();
          if (ranges.length === 0 || contains(ranges, pc)) visit(child, depth + 1, inlinedIn);
          break;
        }
        case TAG.inlined_subroutine:
          if (contains(child.ranges(), pc)) visit(child, depth + 1, child.name);
          break;
        default: break;
      }
    }
  };
  visit(fn.die, 0);
  return variables;
}

/** The program's global (and file-static) variables: unit-level variable entries with a location or constant. */
export function globalsOf(root: Die, types: TypeReader): DebugVariable[] {
  const globals: DebugVariable[] = [];
  for (const child of root.children) {
    if (child.tag !== TAG.variable) continue;
    if (!child.has(AT.location) && !child.has(AT.const_value)) continue;
    globals.push(variableOf(child, 'global', types, 0));
  }
  return globals;
}

/** The call sites of `fn` (DW_TAG_call_site, or gcc's DWARF 4 DW_TAG_GNU_call_site), with the pc each returns to. */
export function callSitesOf(fn: DebugFunction): { returnPc: bigint; die: Die }[] {
  const sites: { returnPc: bigint; die: Die }[] = [];
  const visit = (scope: Die) => {
    for (const child of scope.children) {
      if (child.tag === TAG.call_site || child.tag === TAG.GNU_call_site) {
        // DWARF 5: DW_AT_call_return_pc; the GNU extension: DW_AT_low_pc, also the return address.
        const returnPc = child.address(AT.call_return_pc) ?? child.address(AT.low_pc);
        if (returnPc !== undefined) sites.push({ returnPc, die: child });
      } else if (child.tag === TAG.lexical_block || child.tag === TAG.inlined_subroutine) {
        visit(child);
      }
    }
  };
  visit(fn.die);
  return sites;
}

/** The DW_AT_call_value (or DW_AT_GNU_call_site_value) of the parameter a call site passes in `location`. */
export function callSiteValue(site: Die, location: Uint8Array): Uint8Array | undefined {
  for (const parameter of site.children) {
    if (parameter.tag !== TAG.call_site_parameter && parameter.tag !== TAG.GNU_call_site_parameter) continue;
    const at = parameter.block(AT.location);
    if (!at || at.length !== location.length || !at.every((byte, i) => byte === location[i])) continue;
    return parameter.block(AT.call_value) ?? parameter.block(AT.GNU_call_site_value);
  }
  return undefined;
}

