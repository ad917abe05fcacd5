// Call frame information (DWARF 5 section 6.4): CIEs and FDEs of .debug_frame (and .eh_frame,
// whose pointers may be pc-relative), the DW_CFA_* program run into rows (a CFA rule and a
// rule per register for each pc), and one unwinding step from a frame to its caller, with
// RISC-V frame pointers (gcc -fno-omit-frame-pointer: ra at fp-8, the caller's fp at fp-16)
// where no FDE covers the pc.
import { CFA, registerName } from './constants';
import { evaluateValue, type ExpressionContext } from './expression';
import { ByteReader, DwarfError } from './reader';

export type CfaRule =
  | { readonly kind: 'register'; readonly register: number; readonly offset: bigint }
  | { readonly kind: 'expression'; readonly expression: Uint8Array };

/** How to find a register's value in the caller (6.4.1). */
export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same-value' }
  | { readonly kind: 'offset'; readonly offset: bigint }
  | { readonly kind: 'val-offset'; readonly offset: bigint }
  | { readonly kind: 'register'; readonly register: number }
  | { readonly kind: 'expression'; readonly expression: Uint8Array }
  | { readonly kind: 'val-expression'; readonly expression: Uint8Array };

export interface CfiRow {
  readonly address: bigint;
  readonly cfa: CfaRule;
  /** Rules for the registers the CIE or FDE mentions; any other register keeps its value. */
  readonly registers: ReadonlyMap<number, RegisterRule>;
}

export interface Cie {
  readonly offset: number;
  readonly version: number;
  readonly augmentation: string;
  readonly codeAlignment: bigint;
  readonly dataAlignment: bigint;
  readonly returnAddressRegister: number;
  readonly instructions: Uint8Array;
  /** .eh_frame: the encoding of the FDEs' pointers (DW_EH_PE_*, from augmentation 'R'). */
  readonly pointerEncoding: number;
  readonly hasAugmentationData: boolean;
}

export interface Fde {
  readonly offset: number;
  readonly cie: Cie;
  /** [start, end) of the pcs it covers. */
  readonly start: bigint;
  readonly end: bigint;
  readonly instructions: Uint8Array;
}

/** Pointer encodings of .eh_frame (LSB "DWARF Exception Header Encoding"). */
const EH_PE = { absptr: 0x00, uleb128: 0x01, udata2: 0x02, udata4: 0x03, udata8: 0x04, sleb128: 0x09, sdata2: 0x0a, sdata4: 0x0b, sdata8: 0x0c, pcrel: 0x10, omit: 0xff };

function readEncoded(reader: ByteReader, encoding: number, addressSize: number, sectionAddress: bigint): bigint {
  const at = sectionAddress + BigInt(reader.offset);
  let value: bigint;
  switch (encoding & 0x0f) {
    case EH_PE.absptr: value = reader.address(addressSize); break;
    case EH_PE.uleb128: value = reader.uleb(); break;
    case EH_PE.udata2: value = BigInt(reader.u16()); break;
    case EH_PE.udata4: value = BigInt(reader.u32()); break;
    case EH_PE.udata8: value = reader.u64(); break;
    case EH_PE.sleb128: value = reader.sleb(); break;
    case EH_PE.sdata2: value = BigInt(reader.s16()); break;
    case EH_PE.sdata4: value = BigInt(reader.s32()); break;
    case EH_PE.sdata8: value = reader.s64(); break;
    default: throw new DwarfError(`unsupported pointer encoding 0x${encoding.toString(16)}`);
  }
  if ((encoding & 0x70) === EH_PE.pcrel) value += at;
  return BigInt.asUintN(addressSize * 8, value);
}

/**
 * Reads every CIE and FDE of a .debug_frame section, or with `eh` an .eh_frame section loaded
 * at `sectionAddress` (whose CIE pointers are relative and CIE ids 0).
 */
export function readFrameSection(section: Uint8Array, addressSize: 4 | 8, eh?: { sectionAddress: bigint }): Fde[] {
  const cies = new Map<number, Cie>();
  const fdes: Fde[] = [];
  const reader = new ByteReader(section);
  const readCie = (offset: number): Cie => {
    const known = cies.get(offset);
    if (known) return known;
    const r = new ByteReader(section, offset);
    const { length, offsetSize } = r.initialLength();
    const end = r.offset + length;
    r.skip(eh ? 4 : offsetSize); // the CIE id
    const version = r.u8();
    const augmentation = r.cstring();
    if (version >= 4) {
      r.u8(); // address_size
      r.u8(); // segment_selector_size
    }
    const codeAlignment = r.uleb();
    const dataAlignment = r.sleb();
    const returnAddressRegister = version === 1 ? r.u8() : r.ulebNumber();
    let pointerEncoding = EH_PE.absptr;
    const hasAugmentationData = augmentation.startsWith('z');
    if (hasAugmentationData) {
      const dataLength = r.ulebNumber();
      const dataEnd = r.offset + dataLength;
      for (const letter of augmentation.slice(1)) {
        if (letter === 'R') pointerEncoding = r.u8();
        else if (letter === 'L') r.u8();
        else if (letter === 'P') readEncoded(r, r.u8() & 0x7f, addressSize, eh?.sectionAddress ?? 0n);
        else if (letter !== 'S') break;
      }
      r.offset = dataEnd;
    } else if (augmentation !== '') {
      throw new DwarfError(`CIE at 0x${offset.toString(16)} has an unknown augmentation "${augmentation}"`);
    }
    const cie: Cie = { offset, version, augmentation, codeAlignment, dataAlignment, returnAddressRegister, instructions: section.subarray(r.offset, end), pointerEncoding, hasAugmentationData };
    cies.set(offset, cie);
    return cie;
  };
  while (reader.offset < section.length) {
    const offset = reader.offset;
    const { length, offsetSize } = reader.initialLength();
    if (length === 0) continue; // a terminator (.eh_frame) or padding
    const end = reader.offset + length;
    const idAt = reader.offset;
    // The CIE id: all ones in .debug_frame (0xffffffff, or 64 bits of ones in 64-bit DWARF), 0 in .eh_frame.
    const id = eh ? BigInt(reader.u32()) : reader.unsigned(offsetSize);
    const isCie = eh ? id === 0n : id === (1n << BigInt(offsetSize * 8)) - 1n;
    if (isCie) {
      readCie(offset);
    } else {
      const cie = readCie(eh ? idAt - Number(id) : Number(id));
      const encoding = eh ? cie.pointerEncoding : EH_PE.absptr;
      const start = readEncoded(reader, encoding, addressSize, eh?.sectionAddress ?? 0n);
      const range = readEncoded(reader, encoding & 0x0f, addressSize, 0n);
      if (cie.hasAugmentationData) reader.skip(reader.ulebNumber());
      fdes.push({ offset, cie, start, end: start + range, instructions: section.subarray(reader.offset, end) });
    }
    reader.offset = end;
  }
  return fdes;
}

interface RowState {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
}

/** Runs the CIE's initial instructions, then the FDE's, into the rows of the FDE's table. */
export function frameRows(fde: Fde, addressSize: 4 | 8): CfiRow[] {
  const { cie } = fde;
  const initial: RowState = { cfa: { kind: 'register', register: 2, offset: 0n }, registers: new Map() };
  execute(cie.instructions, cie, initial, undefined, fde.start, addressSize, () => undefined);
  const rows: CfiRow[] = [];
  const state: RowState = { cfa: initial.cfa, registers: new Map(initial.registers) };
  let location = fde.start;
  execute(fde.instructions, cie, state, initial, fde.start, addressSize, (next) => {
    if (next > location) rows.push({ address: location, cfa: state.cfa, registers: new Map(state.registers) });
    location = next;
  });
  rows.push({ address: location, cfa: state.cfa, registers: new Map(state.registers) });
  return rows.filter((row, i) => i === rows.length - 1 || row.address < rows[i + 1].address);
}

function execute(
  instructions: Uint8Array, cie: Cie, state: RowState, initial: RowState | undefined,
  start: bigint, addressSize: number, advanceTo: (address: bigint) => void,
): void {
  const reader = new ByteReader(instructions);
  const stack: RowState[] = [];
  let location = start;
  const factored = (value: bigint) => value * cie.dataAlignment;
  const setCfa = (register: number, offset: bigint) => {
    state.cfa = { kind: 'register', register, offset };
  };
  const advance = (delta: bigint) => {
    location += delta * cie.codeAlignment;
    advanceTo(location);
  };
  const restore = (register: number) => {
    const rule = initial?.registers.get(register);
    if (rule) state.registers.set(register, rule);
    else state.registers.delete(register);
  };
  while (!reader.atEnd) {
    const byte = reader.u8();
    const high = byte & 0xc0;
    const low = byte & 0x3f;
    if (high === CFA.advance_loc) { advance(BigInt(low)); continue; }
    if (high === CFA.offset) { state.registers.set(low, { kind: 'offset', offset: factored(reader.uleb()) }); continue; }
    if (high === CFA.restore) { restore(low); continue; }
    switch (byte) {
      case CFA.nop: break;
      case CFA.set_loc: location = reader.address(addressSize); advanceTo(location); break;
      case CFA.advance_loc1: advance(BigInt(reader.u8())); break;
      case CFA.advance_loc2: advance(BigInt(reader.u16())); break;
      case CFA.advance_loc4: advance(BigInt(reader.u32())); break;
      case CFA.offset_extended: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'offset', offset: factored(reader.uleb()) });
        break;
      }
      case CFA.offset_extended_sf: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'offset', offset: factored(reader.sleb()) });
        break;
      }
      case CFA.GNU_negative_offset_extended: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'offset', offset: -factored(reader.uleb()) });
        break;
      }
      case CFA.restore_extended: restore(reader.ulebNumber()); break;
      case CFA.undefined: state.registers.set(reader.ulebNumber(), { kind: 'undefined' }); break;
      case CFA.same_value: state.registers.set(reader.ulebNumber(), { kind: 'same-value' }); break;
      case CFA.register: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'register', register: reader.ulebNumber() });
        break;
      }
      case CFA.remember_state: stack.push({ cfa: state.cfa, registers: new Map(state.registers) }); break;
      case CFA.restore_state: {
        const saved = stack.pop();
        if (!saved) throw new DwarfError('DW_CFA_restore_state without a remembered state');
        // The CFA rule is part of the remembered state too (6.4.2.4).
        state.cfa = saved.cfa;
        state.registers = saved.registers;
        break;
      }
      case CFA.def_cfa: {
        const register = reader.ulebNumber();
        setCfa(register, reader.uleb());
        break;
      }
      case CFA.def_cfa_sf: {
        const register = reader.ulebNumber();
        setCfa(register, factored(reader.sleb()));
        break;
      }
      case CFA.def_cfa_register: {
        const offset = state.cfa.kind === 'register' ? state.cfa.offset : 0n;
        setCfa(reader.ulebNumber(), offset);
        break;
      }
      case CFA.def_cfa_offset: {
        const register = state.cfa.kind === 'register' ? state.cfa.register : 2;
        setCfa(register, reader.uleb());
        break;
      }
      case CFA.def_cfa_offset_sf: {
        const register = state.cfa.kind === 'register' ? state.cfa.register : 2;
        setCfa(register, factored(reader.sleb()));
        break;
      }
      case CFA.def_cfa_expression: state.cfa = { kind: 'expression', expression: reader.bytesOf(reader.ulebNumber()) }; break;
      case CFA.expression: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'expression', expression: reader.bytesOf(reader.ulebNumber()) });
        break;
      }
      case CFA.val_expression: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'val-expression', expression: reader.bytesOf(reader.ulebNumber()) });
        break;
      }
      case CFA.val_offset: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'val-offset', offset: factored(reader.uleb()) });
        break;
      }
      case CFA.val_offset_sf: {
        const register = reader.ulebNumber();
        state.registers.set(register, { kind: 'val-offset', offset: factored(reader.sleb()) });
        break;
      }
      case CFA.GNU_args_size: reader.uleb(); break;
      default: throw new DwarfError(`unknown call frame instruction ${CFA.nameOf(byte)}`);
    }
  }
}

/** A frame's registers by DWARF number (x0-x31 = 0-31, f0-f31 = 32-63) and its pc. */
export interface UnwindFrame {
  readonly pc: bigint;
  readonly registers: ReadonlyMap<number, bigint>;
}

export interface UnwindStep {
  /** The caller's frame: pc is the return address. */
  readonly caller: UnwindFrame;
  /** This frame's canonical frame address (the caller's sp). */
  readonly cfa: bigint;
  readonly method: 'cfi' | 'frame-pointer';
}

const RA = 1;
const SP = 2;
const FP = 8;

/** The call frame information of a program, by pc. */
export class CallFrameInfo {
  private readonly rowCache = new Map<Fde, CfiRow[]>();
  private readonly sorted: Fde[];

  constructor(readonly fdes: readonly Fde[], readonly addressSize: 4 | 8) {
    this.sorted = [...fdes].filter((fde) => fde.end > fde.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  fdeFor(pc: bigint): Fde | undefined {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].start <= pc) lo = mid + 1;
      else hi = mid;
    }
    const fde = this.sorted[lo - 1];
    return fde && pc < fde.end ? fde : undefined;
  }

  rows(fde: Fde): CfiRow[] {
    let rows = this.rowCache.get(fde);
    if (!rows) {
      rows = frameRows(fde, this.addressSize);
      this.rowCache.set(fde, rows);
    }
    return rows;
  }

  /** The row in force at `pc`, or undefined if no FDE covers it. */
  rowAt(pc: bigint): CfiRow | undefined {
    const fde = this.fdeFor(pc);
    if (!fde) return undefined;
    let found: CfiRow | undefined;
    for (const row of this.rows(fde)) {
      if (row.address > pc) break;
      found = row;
    }
    return found;
  }

  /** The CFA of the frame at `pc` with `registers`, or undefined without CFI or values. */
  cfaAt(pc: bigint, registers: ReadonlyMap<number, bigint>, readMemory: ExpressionContext['readMemory']): bigint | undefined {
    const row = this.rowAt(pc);
    return row ? this.computeCfa(row, registers, readMemory) : undefined;
  }

  private computeCfa(row: CfiRow, registers: ReadonlyMap<number, bigint>, readMemory: ExpressionContext['readMemory']): bigint | undefined {
    if (row.cfa.kind === 'register') {
      const base = registers.get(row.cfa.register);
      return base === undefined ? undefined : BigInt.asUintN(this.addressSize * 8, base + row.cfa.offset);
    }
    return evaluateValue(row.cfa.expression, this.context(registers, readMemory));
  }

  private context(registers: ReadonlyMap<number, bigint>, readMemory: ExpressionContext['readMemory']): ExpressionContext {
    return { addressSize: this.addressSize, readRegister: (n) => registers.get(n), readMemory };
  }

  /**
   * One step of unwinding: the caller of `frame`. `innermost` is true for the frame that was
   * stopped (its pc is exact); for callers the lookup uses pc - 1, since a call may be a
   * function's last instruction. Falls back to frame pointers where no FDE covers the pc.
   * Undefined at the end of the stack (return address undefined or 0) or when values are missing.
   */
  unwind(frame: UnwindFrame, readMemory: ExpressionContext['readMemory'], innermost: boolean): UnwindStep | undefined {
    const lookup = innermost ? frame.pc : frame.pc - 1n;
    const row = this.rowAt(lookup);
    if (!row) return this.unwindWithFramePointer(frame, readMemory);
    const cfa = this.computeCfa(row, frame.registers, readMemory);
    if (cfa === undefined) return undefined;
    const word = (address: bigint) => this.word(address, readMemory);
    const caller = new Map(frame.registers);
    caller.set(SP, cfa);
    const context = this.context(frame.registers, readMemory);
    for (const [register, rule] of row.registers) {
      let value: bigint | undefined;
      switch (rule.kind) {
        case 'undefined': caller.delete(register); continue;
        case 'same-value': continue;
        case 'offset': value = word(cfa + rule.offset); break;
        case 'val-offset': value = cfa + rule.offset; break;
        case 'register': value = frame.registers.get(rule.register); break;
        case 'expression': {
          const address = evaluateValue(rule.expression, context, [cfa]);
          value = address === undefined ? undefined : word(address);
          break;
        }
        case 'val-expression': value = evaluateValue(rule.expression, context, [cfa]); break;
      }
      if (value === undefined) caller.delete(register);
      else caller.set(register, BigInt.asUintN(this.addressSize * 8, value));
    }
    const ra = this.fdeFor(lookup)!.cie.returnAddressRegister;
    const pc = caller.get(ra);
    if (pc === undefined || pc === 0n) return undefined;
    return { caller: { pc, registers: caller }, cfa, method: 'cfi' };
  }

  /** An address-sized little-endian word of memory, undefined where unreadable. */
  private word(address: bigint, readMemory: ExpressionContext['readMemory']): bigint | undefined {
    const bytes = readMemory(address, this.addressSize);
    if (!bytes || bytes.length < this.addressSize) return undefined;
    let value = 0n;
    for (let i = this.addressSize - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
    return value;
  }

  /** gcc's RISC-V frame with -fno-omit-frame-pointer: s0 = the CFA; ra at s0-8, the caller's s0 at s0-16. */
  private unwindWithFramePointer(frame: UnwindFrame, readMemory: ExpressionContext['readMemory']): UnwindStep | undefined {
    const fp = frame.registers.get(FP);
    if (fp === undefined || fp === 0n) return undefined;
    const size = BigInt(this.addressSize);
    const ra = this.word(fp - size, readMemory);
    const callerFp = this.word(fp - 2n * size, readMemory);
    if (ra === undefined || callerFp === undefined || ra === 0n) return undefined;
    const caller = new Map(frame.registers);
    caller.set(SP, fp);
    caller.set(RA, ra);
    caller.set(FP, callerFp);
    return { caller: { pc: ra, registers: caller }, cfa: fp, method: 'frame-pointer' };
  }
}

/** A CFA rule as binutils' `objdump --dwarf=frames-interp` prints it ("sp+16", "exp"). */
export function describeCfa(rule: CfaRule): string {
  if (rule.kind === 'expression') return 'exp';
  return `${registerName(rule.register)}${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
}

/** A register rule as frames-interp prints it ("u", "s", "c-8", "v+0", a register name, "exp", "vexp"). */
export function describeRule(rule: RegisterRule | undefined): string {
  if (!rule) return 'u';
  switch (rule.kind) {
    case 'undefined': return 'u';
    case 'same-value': return 's';
    case 'offset': return `c${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
    case 'val-offset': return `v${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
    case 'register': return registerName(rule.register);
    case 'expression': return 'exp';
    case 'val-expression': return 'vexp';
  }
}
