// DebugInfo: what a debugger asks of a guest program's ELF symbols and DWARF (4 and 5, as gcc
// 12 emits them) — source lines of addresses and addresses of lines, functions, globals, the
// parameters and locals in scope at a pc and their values, and unwinding to the caller.
import { parseElf, type SymbolTable } from '../../machine/elf';
import { AT, OP } from './constants';
import { evaluateLocation, evaluateValue, readLocation, type ExpressionContext, type Location } from './expression';
import { CallFrameInfo, readFrameSection, type Fde, type UnwindFrame, type UnwindStep } from './frame';
import { DebugInfoEntries, type Die } from './info';
import { LineTable, readLineProgram, type LineLocation, type LineProgram } from './line-table';
import { findDwarfSections, type DwarfSections } from './sections';
import { TypeNames } from './type-names';
import { formatValue, sizeOf, typeName, TypeReader, type DisplayValue, type Type } from './types';
import {
  callSiteValue, callSitesOf, contains, functionOf, globalsOf, locationAtPc, variablesAt,
  type DebugFunction, type DebugVariable,
} from './variables';

export type { DebugFunction, DebugVariable, VariableLocation } from './variables';
export type { DisplayValue, DisplayChild, Type, Member } from './types';
export type { Location, ExpressionContext } from './expression';
export type { UnwindFrame, UnwindStep, CfiRow, CfaRule, RegisterRule } from './frame';
export type { LineLocation } from './line-table';
export { formatValue, typeName, sizeOf, resolveType } from './types';
export { evaluateLocation, readLocation, disassembleExpression } from './expression';
export { DwarfError } from './reader';

/** Reads guest memory (virtual, through the stopped hart's translation); undefined where unreadable. */
export type ReadMemory = (address: bigint, size: number) => Uint8Array | undefined;

/** A variable's value at a stopped frame, for a Variables view. */
export interface VariableValue {
  readonly variable: DebugVariable;
  /** Where it lives now ('optimized-out' where gcc left no location). */
  readonly location: Location;
  /** Its value; value.value is "<optimized out>" or "<unavailable: …>" when it cannot be read. */
  readonly value: DisplayValue;
}

export class DebugInfo {
  readonly addressSize: 4 | 8;
  readonly entries: DebugInfoEntries;
  readonly lines: LineTable;
  readonly frames: CallFrameInfo;
  readonly types: TypeReader;
  private functionList: DebugFunction[] | undefined;
  private typeNames: TypeNames | undefined;
  private globalsByName: Map<string, DebugVariable[]> | undefined;

  constructor(readonly sections: DwarfSections, readonly symbols?: SymbolTable) {
    this.addressSize = sections.addressSize;
    this.entries = new DebugInfoEntries(sections);
    this.types = new TypeReader(this.addressSize);
    const programs: LineProgram[] = [];
    if (sections.line) {
      for (const unit of this.entries.units) {
        const stmtList = unit.root.attribute(AT.stmt_list);
        if (stmtList === undefined) continue;
        programs.push(readLineProgram(sections.line, Number(stmtList.value), unit.addressSize, unit.compDir, sections));
      }
    }
    this.lines = new LineTable(programs);
    const fdes: Fde[] = [];
    if (sections.frame) fdes.push(...readFrameSection(sections.frame, this.addressSize));
    if (sections.ehFrame) fdes.push(...readFrameSection(sections.ehFrame.data, this.addressSize, { sectionAddress: sections.ehFrame.address }));
    this.frames = new CallFrameInfo(fdes, this.addressSize);
  }

  /** Reads a linked RISC-V ELF32 or ELF64 executable's symbols and DWARF sections. */
  static fromElf(bytes: Uint8Array): DebugInfo {
    let symbols: SymbolTable | undefined;
    try {
      symbols = parseElf(bytes, 'program').symbols;
    } catch {
      symbols = undefined; // an ELF without loadable segments still has DWARF to read
    }
    return new DebugInfo(findDwarfSections(bytes), symbols);
  }

  /** The source location of `address`. */
  lineFor(address: bigint): LineLocation | undefined {
    return this.lines.locationAt(address);
  }

  /**
   * Where a breakpoint on `file`:`line` goes: the line itself or the nearest following line with
   * code, and its lowest address in each function containing it (gcc may copy a line into
   * several places: inlined calls, unrolled loops).
   */
  addressesFor(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    const found = this.lines.addressesFor(file, line);
    if (!found) return undefined;
    const seen = new Set<DebugFunction | undefined>();
    const addresses = found.addresses.filter((address) => {
      const fn = this.functionAt(address);
      if (fn && seen.has(fn)) return false;
      seen.add(fn);
      return true;
    });
    return { line: found.line, addresses };
  }

  /** Every function with code, by entry address. */
  functions(): readonly DebugFunction[] {
    if (!this.functionList) {
      const list: DebugFunction[] = [];
      for (const die of this.entries.walk()) {
        const fn = functionOf(die);
        if (fn) list.push(fn);
      }
      list.sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0));
      this.functionList = list;
    }
    return this.functionList;
  }

  /** The function whose code contains `address`. */
  functionAt(address: bigint): DebugFunction | undefined {
    return this.functions().find((fn) => contains(fn.ranges, address));
  }

  functionByName(name: string): DebugFunction | undefined {
    return this.functions().find((fn) => fn.name === name);
  }

  /** Global and file-static variables of every unit. */
  globals(): DebugVariable[] {
    return this.entries.units.flatMap((unit) => globalsOf(unit.root, this.types));
  }

  /**
   * The globals (and file-statics) called `name`; with `near`, those of the unit holding that
   * entry first (a file-static shadows another unit's variable of the same name).
   */
  globalsNamed(name: string, near?: Die): DebugVariable[] {
    if (!this.globalsByName) {
      this.globalsByName = new Map();
      for (const global of this.globals()) {
        const list = this.globalsByName.get(global.name) ?? [];
        list.push(global);
        this.globalsByName.set(global.name, list);
      }
    }
    const found = this.globalsByName.get(name) ?? [];
    if (!near || found.length < 2) return found;
    return [...found.filter((g) => g.die.unit === near.unit), ...found.filter((g) => g.die.unit !== near.unit)];
  }

  /** The type C spells `name`: a base type ("unsigned long"), a typedef, or "struct X" / "union X" / "enum X". */
  typeByName(name: string): Type | undefined {
    return this.names().type(name);
  }

  /** An enumerator of any enum by name: its enum type and value. */
  enumeratorByName(name: string): { type: Type; value: bigint } | undefined {
    return this.names().enumerator(name);
  }

  private names(): TypeNames {
    this.typeNames ??= new TypeNames(this.entries.walk(), this.types);
    return this.typeNames;
  }

  /** The parameters and locals in scope at `pc` (see variablesAt); empty outside any function. */
  scopesAt(pc: bigint): DebugVariable[] {
    const fn = this.functionAt(pc);
    return fn ? variablesAt(fn, pc, this.types) : [];
  }

  /** Source files with code, for a loadedSources request. */
  sourceFiles(): string[] {
    return this.lines.sourceFiles();
  }

  /** The type a DW_AT_type of `die` names. */
  typeOf(die: Die): Type {
    return this.types.typeOf(die);
  }

  /** One step of unwinding (see CallFrameInfo.unwind). */
  unwind(frame: UnwindFrame, readMemory: ReadMemory, innermost: boolean): UnwindStep | undefined {
    return this.frames.unwind(frame, readMemory, innermost);
  }

  /** The frames from `frame` outwards, at most `limit`, stopping where the stack ends or repeats. */
  backtrace(frame: UnwindFrame, readMemory: ReadMemory, limit = 64): UnwindFrame[] {
    const frames = [frame];
    let previousCfa: bigint | undefined;
    while (frames.length < limit) {
      const step = this.unwind(frames[frames.length - 1], readMemory, frames.length === 1);
      if (!step || (previousCfa !== undefined && step.cfa <= previousCfa && step.method === 'cfi' && step.caller.pc === frames[frames.length - 1].pc)) break;
      previousCfa = step.cfa;
      frames.push(step.caller);
    }
    return frames;
  }

  /**
   * The context to evaluate expressions in `frame` (innermost: the stopped frame, whose pc is
   * exact): its registers, memory, the CFA from the CFI, the function's frame base, and entry
   * values from the caller's call site parameters (DW_AT_call_value), as gdb finds them.
   */
  frameContext(frame: UnwindFrame, readMemory: ReadMemory, innermost = true): ExpressionContext {
    const lookup = innermost ? frame.pc : frame.pc - 1n;
    const fn = this.functionAt(lookup);
    let cfa: bigint | undefined | null = null;
    const context: ExpressionContext = {
      addressSize: this.addressSize,
      readRegister: (n) => frame.registers.get(n),
      readMemory,
      cfa: () => {
        if (cfa === null) cfa = this.frames.cfaAt(lookup, frame.registers, readMemory) ?? this.unwind(frame, readMemory, innermost)?.cfa;
        return cfa;
      },
      frameBase: () => (fn?.frameBase ? evaluateValue(fn.frameBase, context) : undefined),
      entryValue: (expression) => this.entryValue(fn, frame, expression, readMemory, innermost),
    };
    return context;
  }

  private entryValue(fn: DebugFunction | undefined, frame: UnwindFrame, expression: Uint8Array, readMemory: ReadMemory, innermost: boolean): bigint | undefined {
    // At the function's first instruction the registers still hold their entry values.
    const register = expression.length === 1 && expression[0] >= OP.reg0 && expression[0] <= OP.reg31 ? expression[0] - OP.reg0 : undefined;
    if (fn && frame.pc === fn.entry && register !== undefined) return frame.registers.get(register);
    const step = this.unwind(frame, readMemory, innermost);
    if (!step) return undefined;
    const caller = this.functionAt(step.caller.pc - 1n);
    if (!caller) return undefined;
    const site = callSitesOf(caller).find((s) => s.returnPc === step.caller.pc);
    const value = site && callSiteValue(site.die, expression);
    if (!value) return undefined;
    // DW_AT_call_value is evaluated in the caller's frame, as it was at the call.
    return evaluateValue(value, this.frameContext(step.caller, readMemory, false));
  }

  /** Where `variable` is at the frame's pc. */
  locate(variable: DebugVariable, context: ExpressionContext, pc: bigint): Location {
    if (variable.location.kind === 'constant') return { kind: 'implicit', bytes: variable.location.bytes };
    const expression = locationAtPc(variable.location, pc);
    if (!expression) return { kind: 'optimized-out' };
    return evaluateLocation(expression, context);
  }

  /** The value of `variable` in `frame`, formatted for a Variables view (children expand structs, arrays, pointers). */
  readVariable(variable: DebugVariable, frame: UnwindFrame, readMemory: ReadMemory, innermost = true): VariableValue {
    const context = this.frameContext(frame, readMemory, innermost);
    const pc = innermost ? frame.pc : frame.pc - 1n;
    return this.valueAt(variable, this.locate(variable, context, pc), context, readMemory);
  }

  /** The value of a global (no frame needed beyond memory). */
  readGlobal(variable: DebugVariable, readMemory: ReadMemory): VariableValue {
    const context: ExpressionContext = { addressSize: this.addressSize, readRegister: () => undefined, readMemory };
    return this.valueAt(variable, this.locate(variable, context, 0n), context, readMemory);
  }

  private valueAt(variable: DebugVariable, location: Location, context: ExpressionContext, readMemory: ReadMemory): VariableValue {
    const type = typeName(variable.type);
    if (location.kind === 'optimized-out') return { variable, location, value: { value: '<optimized out>', type } };
    if (location.kind === 'unavailable') return { variable, location, value: { value: `<unavailable: ${location.reason}>`, type } };
    const size = sizeOf(variable.type);
    const bytes = readLocation(location, size, context);
    if (!bytes) return { variable, location, value: { value: location.kind === 'composite' ? '<optimized out>' : '<unavailable>', type } };
    const address = location.kind === 'memory' ? location.address : undefined;
    return { variable, location, value: formatValue(variable.type, bytes, { memory: readMemory, address }) };
  }
}
