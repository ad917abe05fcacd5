// The C type model a debugger shows (base, pointer, struct/union with members and bitfields,
// multi-dimensional array, enum, typedef, const/volatile, function), read from DWARF type
// entries (DWARF 5 section 5), and the formatter of a value's bytes for a Variables view.
import { AT, ATE, FORM, TAG } from './constants';
import type { Die } from './info';

export interface Member {
  readonly name: string | undefined;
  readonly type: Type;
  /** Byte offset of the member (of its storage unit, for a bitfield). */
  readonly offset: number;
  /** For a bitfield: its width, and its first bit counted from the least significant bit of the struct's byte `offset`. */
  readonly bitSize?: number;
  readonly bitOffset?: number;
}

export type Type =
  | { readonly kind: 'void' }
  | { readonly kind: 'base'; readonly name: string; readonly size: number; readonly encoding: number }
  | { readonly kind: 'pointer'; readonly size: number; readonly target: Type }
  | { readonly kind: 'struct' | 'union'; readonly name?: string; readonly size: number; readonly members: Member[]; readonly declaration: boolean }
  /** `counts` per dimension, outermost first; undefined for a flexible or unknown bound. */
  | { readonly kind: 'array'; readonly element: Type; readonly counts: readonly (number | undefined)[] }
  | { readonly kind: 'enum'; readonly name?: string; readonly size: number; readonly signed: boolean; readonly enumerators: readonly { readonly name: string; readonly value: bigint }[] }
  | { readonly kind: 'typedef'; readonly name: string; readonly target: Type }
  | { readonly kind: 'const' | 'volatile' | 'restrict' | 'atomic'; readonly target: Type }
  | { readonly kind: 'function'; readonly returns: Type; readonly parameters: readonly Type[] }
  | { readonly kind: 'unknown'; readonly tag: number };

const VOID: Type = { kind: 'void' };

/** Builds (and caches, so recursive structures stay finite) the Type of type entries. */
export class TypeReader {
  private readonly cache = new Map<Die, Type>();

  constructor(private readonly pointerSize: number) {}

  /** The type a DW_AT_type attribute of `die` names (void when it has none). */
  typeOf(die: Die): Type {
    const target = die.reference(AT.type);
    return target ? this.read(target) : VOID;
  }

  read(die: Die): Type {
    const known = this.cache.get(die);
    if (known) return known;
    switch (die.tag) {
      case TAG.base_type: return this.remember(die, {
        kind: 'base', name: die.name ?? '?', size: die.number(AT.byte_size) ?? 0, encoding: die.number(AT.encoding) ?? 0,
      });
      case TAG.unspecified_type: return this.remember(die, VOID);
      case TAG.pointer_type: case TAG.reference_type: case TAG.rvalue_reference_type: {
        const type = { kind: 'pointer' as const, size: die.number(AT.byte_size) ?? this.pointerSize, target: VOID };
        this.cache.set(die, type);
        type.target = this.typeOf(die);
        return type;
      }
      case TAG.structure_type: case TAG.class_type: case TAG.union_type: {
        const type = {
          kind: die.tag === TAG.union_type ? 'union' as const : 'struct' as const,
          name: die.name, size: die.number(AT.byte_size) ?? 0, members: [] as Member[], declaration: die.flag(AT.declaration),
        };
        this.cache.set(die, type);
        for (const child of die.children) {
          if (child.tag === TAG.member) type.members.push(this.member(child, type.kind === 'union'));
          else if (child.tag === TAG.inheritance) type.members.push({ name: undefined, type: this.typeOf(child), offset: child.number(AT.data_member_location) ?? 0 });
        }
        return type;
      }
      case TAG.array_type: {
        const counts: (number | undefined)[] = [];
        for (const child of die.children) {
          if (child.tag !== TAG.subrange_type) continue;
          const count = child.number(AT.count);
          const upper = child.number(AT.upper_bound);
          const lower = child.number(AT.lower_bound) ?? 0;
          counts.push(count ?? (upper !== undefined ? upper - lower + 1 : undefined));
        }
        return this.remember(die, { kind: 'array', element: this.typeOf(die), counts: counts.length > 0 ? counts : [undefined] });
      }
      case TAG.enumeration_type: {
        const base = die.reference(AT.type);
        const encoding = base?.number(AT.encoding) ?? die.number(AT.encoding);
        const signed = encoding === ATE.signed || encoding === ATE.signed_char;
        const size = die.number(AT.byte_size) ?? 4;
        const enumerators = die.children.filter((child) => child.tag === TAG.enumerator).map((child) => {
          const raw = child.constant(AT.const_value) ?? 0n;
          // data1/2/4/8 constants carry no sign: the enum's underlying type decides.
          const form = child.attribute(AT.const_value)!.form;
          const unsignedForm = form === FORM.data1 || form === FORM.data2 || form === FORM.data4 || form === FORM.data8 || form === FORM.udata;
          const value = signed && unsignedForm ? BigInt.asIntN(size * 8, raw) : raw;
          return { name: child.name ?? '?', value };
        });
        return this.remember(die, { kind: 'enum', name: die.name, size, signed, enumerators });
      }
      case TAG.typedef: {
        const type = { kind: 'typedef' as const, name: die.name ?? '?', target: VOID };
        this.cache.set(die, type);
        type.target = this.typeOf(die);
        return type;
      }
      case TAG.const_type: case TAG.volatile_type: case TAG.restrict_type: case TAG.atomic_type: {
        const kind = die.tag === TAG.const_type ? 'const' : die.tag === TAG.volatile_type ? 'volatile' : die.tag === TAG.restrict_type ? 'restrict' : 'atomic';
        const type = { kind, target: VOID } as { kind: typeof kind; target: Type };
        this.cache.set(die, type);
        type.target = this.typeOf(die);
        return type;
      }
      case TAG.subroutine_type: {
        const parameters = die.children.filter((child) => child.tag === TAG.formal_parameter).map((child) => this.typeOf(child));
        return this.remember(die, { kind: 'function', returns: this.typeOf(die), parameters });
      }
      default: return this.remember(die, { kind: 'unknown', tag: die.tag });
    }
  }

  private member(die: Die, inUnion: boolean): Member {
    const type = this.typeOf(die);
    const name = die.name;
    const location = die.number(AT.data_member_location) ?? 0;
    const bitSize = die.number(AT.bit_size);
    if (bitSize === undefined) return { name, type, offset: inUnion ? 0 : location };
    const dataBitOffset = die.number(AT.data_bit_offset);
    if (dataBitOffset !== undefined) {
      // DWARF 4+: bits from the start of the containing structure (little-endian: from the LSB).
      return { name, type, offset: Math.floor(dataBitOffset / 8), bitSize, bitOffset: dataBitOffset % 8 };
    }
    // DWARF 2/3 (gcc -gdwarf-4 still emits it): DW_AT_bit_offset counts from the most significant
    // bit of a DW_AT_byte_size storage unit at data_member_location.
    const storage = die.number(AT.byte_size) ?? sizeOf(type);
    const fromLsb = storage * 8 - (die.number(AT.bit_offset) ?? 0) - bitSize;
    const absolute = location * 8 + fromLsb;
    return { name, type, offset: Math.floor(absolute / 8), bitSize, bitOffset: absolute % 8 };
  }

  private remember(die: Die, type: Type): Type {
    this.cache.set(die, type);
    return type;
  }
}

/** Strips typedefs and qualifiers. */
export function resolveType(type: Type): Type {
  let t = type;
  for (let i = 0; i < 32 && (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic'); i++) t = t.target;
  return t;
}

/** The size in bytes of a value of `type` (0 if unknown). */
export function sizeOf(type: Type): number {
  const t = resolveType(type);
  switch (t.kind) {
    case 'base': case 'pointer': case 'struct': case 'union': case 'enum': return t.size;
    case 'array': return sizeOf(t.element) * t.counts.reduce<number>((product, count) => product * (count ?? 0), 1);
    default: return 0;
  }
}

/** The type as C spells it: "const char *", "struct point", "int [2][3]", "color_t". */
export function typeName(type: Type): string {
  return declarator(type, '').trim();
}

function declarator(type: Type, inner: string): string {
  switch (type.kind) {
    case 'void': return `void${inner ? ` ${inner}` : ''}`;
    case 'base': case 'typedef': return `${type.name}${inner ? ` ${inner}` : ''}`;
    case 'struct': case 'union': case 'enum': return `${type.kind} ${type.name ?? '{...}'}${inner ? ` ${inner}` : ''}`;
    case 'pointer': {
      const target = type.target;
      const wrapped = target.kind === 'array' || target.kind === 'function' ? `(*${inner})` : `*${inner}`;
      return declarator(target, wrapped);
    }
    case 'array': return declarator(type.element, `${inner}${type.counts.map((count) => `[${count ?? ''}]`).join('')}`);
    case 'function': return declarator(type.returns, `${inner}(${type.parameters.map(typeName).join(', ')})`);
    case 'const': case 'volatile': case 'restrict': case 'atomic': {
      const target = type.target;
      // Qualifiers of a pointer follow its star; of anything else, they come first.
      if (target.kind === 'pointer') return declarator(target, inner ? `${type.kind} ${inner}` : type.kind);
      return `${type.kind} ${declarator(target, inner)}`;
    }
    case 'unknown': return `<unknown type 0x${type.tag.toString(16)}>${inner ? ` ${inner}` : ''}`;
  }
}

/** Reads memory for following pointers (e.g. a char * string); undefined where unreadable. */
export type MemoryReader = (address: bigint, size: number) => Uint8Array | undefined;

/** A value for a Variables view: its display string, its type's name, and its children if it has any. */
export interface DisplayValue {
  readonly value: string;
  readonly type: string;
  /** Members, elements or the pointed-to object; computed on demand. */
  readonly children?: () => DisplayChild[];
  /** For a pointer or an object in memory: the address, so a front end can offer memory views. */
  readonly address?: bigint;
}

export interface DisplayChild {
  readonly name: string;
  readonly value: DisplayValue;
}

function unsignedOf(bytes: Uint8Array, offset: number, size: number): bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return value;
}

function charLiteral(code: number): string {
  const escapes: Record<number, string> = { 0: '\\000', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' };
  if (escapes[code]) return `'${escapes[code]}'`;
  if (code >= 0x20 && code < 0x7f) return `'${String.fromCharCode(code)}'`;
  return `'\\${code.toString(8).padStart(3, '0')}'`;
}

function stringLiteral(bytes: Uint8Array): string {
  let text = '';
  for (const code of bytes) {
    if (code === 34) text += '\\"';
    else if (code === 92) text += '\\\\';
    else if (code === 10) text += '\\n';
    else if (code >= 0x20 && code < 0x7f) text += String.fromCharCode(code);
    else text += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return `"${text}"`;
}

function isCharType(type: Type): boolean {
  const t = resolveType(type);
  return t.kind === 'base' && t.size === 1 && (t.encoding === ATE.signed_char || t.encoding === ATE.unsigned_char);
}

/** Reads a NUL-terminated string of at most `limit` bytes at `address`. */
function readCString(memory: MemoryReader, address: bigint, limit = 200): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let at = address; bytes.length < limit; at += 16n) {
    const chunk = memory(at, 16) ?? memory(at, 1);
    if (!chunk || chunk.length === 0) return bytes.length > 0 ? Uint8Array.from(bytes) : undefined;
    for (const byte of chunk) {
      if (byte === 0) return Uint8Array.from(bytes);
      bytes.push(byte);
    }
  }
  return Uint8Array.from(bytes);
}

/** A scalar of a base type as gdb prints it. */
function formatBase(type: Extract<Type, { kind: 'base' }>, bytes: Uint8Array, offset: number): string {
  const raw = unsignedOf(bytes, offset, type.size);
  switch (type.encoding) {
    case ATE.boolean: return raw === 0n ? 'false' : raw === 1n ? 'true' : raw.toString();
    case ATE.float: {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, type.size);
      if (type.size === 4) return String(view.getFloat32(0, true));
      if (type.size === 8) return String(view.getFloat64(0, true));
      return `0x${raw.toString(16)}`;
    }
    case ATE.signed_char: {
      const value = BigInt.asIntN(8, raw);
      return `${value} ${charLiteral(Number(raw))}`;
    }
    case ATE.unsigned_char: case ATE.UTF: case ATE.ASCII: return `${raw} ${charLiteral(Number(raw))}`;
    case ATE.signed: return BigInt.asIntN(type.size * 8, raw).toString();
    case ATE.address: return `0x${raw.toString(16)}`;
    default: return raw.toString();
  }
}

/**
 * Formats the value of `type` held in `bytes` (from `offset`) for a Variables view: scalars as
 * gdb prints them, enums by name, pointers in hex (a char pointer with its string), structs
 * and arrays as a summary with children. `memory` lets pointers be followed; `address` is
 * where the value lives, if in memory.
 */
export function formatValue(type: Type, bytes: Uint8Array, options: { offset?: number; memory?: MemoryReader; address?: bigint } = {}): DisplayValue {
  const { offset = 0, memory, address } = options;
  const name = typeName(type);
  const t = resolveType(type);
  const size = sizeOf(t);
  if (size > 0 && offset + size > bytes.length) return { value: '<unavailable>', type: name };
  switch (t.kind) {
    case 'base': return { value: formatBase(t, bytes, offset), type: name, address };
    case 'enum': {
      const raw = unsignedOf(bytes, offset, t.size);
      const value = t.signed ? BigInt.asIntN(t.size * 8, raw) : raw;
      const match = t.enumerators.find((e) => e.value === value);
      return { value: match ? match.name : value.toString(), type: name, address };
    }
    case 'pointer': {
      const target = unsignedOf(bytes, offset, t.size);
      let value = `0x${target.toString(16)}`;
      if (isCharType(t.target) && memory && target !== 0n) {
        const text = readCString(memory, target);
        if (text) value += ` ${stringLiteral(text)}`;
      }
      const pointee = resolveType(t.target);
      const pointeeSize = sizeOf(pointee);
      const canFollow = memory && target !== 0n && pointeeSize > 0 && pointee.kind !== 'function' && !isCharType(t.target);
      return {
        value, type: name, address,
        children: canFollow ? () => {
          const read = memory(target, pointeeSize);
          const child = read && read.length >= pointeeSize
            ? formatValue(t.target, read, { memory, address: target })
            : { value: `<cannot read memory at 0x${target.toString(16)}>`, type: typeName(t.target) };
          return [{ name: `*`, value: child }];
        } : undefined,
      };
    }
    case 'struct': case 'union': {
      const children = () => t.members.map((member, index) => ({
        name: member.name ?? `<anonymous ${index}>`,
        value: formatMember(member, bytes, offset, memory, address),
      }));
      return { value: `{...}`, type: name, address, children };
    }
    case 'array': {
      const [count, ...inner] = t.counts;
      const elementType: Type = inner.length > 0 ? { kind: 'array', element: t.element, counts: inner } : t.element;
      const elementSize = sizeOf(elementType);
      const known = count ?? 0;
      if (inner.length === 0 && isCharType(t.element)) {
        const slice = bytes.subarray(offset, offset + known);
        const end = slice.indexOf(0);
        const text = stringLiteral(end >= 0 ? slice.subarray(0, end) : slice);
        return { value: text, type: name, address, children: () => arrayChildren(elementType, elementSize, known, bytes, offset, memory, address) };
      }
      return { value: `[${known}]`, type: name, address, children: () => arrayChildren(elementType, elementSize, known, bytes, offset, memory, address) };
    }
    case 'function': return { value: address !== undefined ? `{${name}} 0x${address.toString(16)}` : `{${name}}`, type: name, address };
    case 'void': return { value: 'void', type: name };
    default: return { value: `<unknown type>`, type: name };
  }
}

function arrayChildren(type: Type, size: number, count: number, bytes: Uint8Array, offset: number, memory?: MemoryReader, address?: bigint): DisplayChild[] {
  const children: DisplayChild[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + i * size;
    children.push({ name: `[${i}]`, value: formatValue(type, bytes, { offset: at, memory, address: address !== undefined ? address + BigInt(i * size) : undefined }) });
  }
  return children;
}

function formatMember(member: Member, bytes: Uint8Array, offset: number, memory?: MemoryReader, address?: bigint): DisplayValue {
  const at = offset + member.offset;
  const memberAddress = address !== undefined ? address + BigInt(member.offset) : undefined;
  if (member.bitSize === undefined) return formatValue(member.type, bytes, { offset: at, memory, address: memberAddress });
  // A bitfield: take bitSize bits from bitOffset of the little-endian bytes at `at`, then
  // sign-extend if its type is signed, and format it as a value of its type.
  const span = Math.ceil((member.bitOffset! + member.bitSize) / 8);
  const raw = (unsignedOf(bytes, at, span) >> BigInt(member.bitOffset!)) & ((1n << BigInt(member.bitSize)) - 1n);
  const t = resolveType(member.type);
  const size = sizeOf(t) || span;
  const isSigned = (t.kind === 'base' && (t.encoding === ATE.signed || t.encoding === ATE.signed_char)) || (t.kind === 'enum' && t.signed);
  const value = isSigned ? BigInt.asIntN(member.bitSize, raw) : raw;
  const scratch = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++, v >>= 8n) scratch[i] = Number(v & 0xffn);
  return formatValue(member.type, scratch, { memory });
}
