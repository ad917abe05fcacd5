// Typed values of the debugger's C expressions: where a value lives (guest memory, a register,
// a bitfield of memory, or nowhere), C's built-in types as gdb names them for RISC-V (char is
// unsigned; long is XLEN wide), and the conversions of C17 section 6.3 between scalars.
import { ATE } from '../debug/dwarf/constants';
import { resolveType, sizeOf, typeName, type Type } from '../debug/dwarf';
import { CExpressionError } from './c-expression-syntax';

/** Where a value lives, so it can be assigned (and, in memory, have its address taken). */
export type Lvalue =
  | { readonly kind: 'memory'; readonly address: bigint }
  /** A machine register by the target's name (a variable DWARF keeps in one, or `$name`). */
  | { readonly kind: 'register'; readonly name: string; readonly floating: boolean }
  /** A bitfield: `bitSize` bits from bit `bitOffset` (LSB first) of the bytes at `address`. */
  | { readonly kind: 'bitfield'; readonly address: bigint; readonly bitOffset: number; readonly bitSize: number };

export interface Value {
  readonly type: Type;
  readonly lvalue?: Lvalue;
  /** Its bytes (little-endian), when known; a memory lvalue without them is read on demand. */
  readonly bytes?: Uint8Array;
  /** Why it cannot be read: "<optimized out>", "<unavailable: …>". */
  readonly absent?: string;
  /** Why it cannot be assigned though it has a value (computed by the compiler, in pieces). */
  readonly readOnly?: string;
  /** The ELF symbol it is (a value without debug information), for display. */
  readonly symbol?: { readonly name: string; readonly kind: 'func' | 'object' | 'other' };
}

/** Signed or unsigned integer encodings, as DW_ATE_* says. */
function isSignedEncoding(encoding: number): boolean {
  return encoding === ATE.signed || encoding === ATE.signed_char;
}

/** C's built-in types for a target of `addressSize` bytes, with gdb's names. */
export class BuiltinTypes {
  readonly char: Type = { kind: 'base', name: 'char', size: 1, encoding: ATE.unsigned_char };
  readonly signedChar: Type = { kind: 'base', name: 'signed char', size: 1, encoding: ATE.signed_char };
  readonly unsignedChar: Type = { kind: 'base', name: 'unsigned char', size: 1, encoding: ATE.unsigned_char };
  readonly short: Type = { kind: 'base', name: 'short', size: 2, encoding: ATE.signed };
  readonly unsignedShort: Type = { kind: 'base', name: 'unsigned short', size: 2, encoding: ATE.unsigned };
  readonly int: Type = { kind: 'base', name: 'int', size: 4, encoding: ATE.signed };
  readonly unsignedInt: Type = { kind: 'base', name: 'unsigned int', size: 4, encoding: ATE.unsigned };
  readonly long: Type;
  readonly unsignedLong: Type;
  readonly longLong: Type = { kind: 'base', name: 'long long', size: 8, encoding: ATE.signed };
  readonly unsignedLongLong: Type = { kind: 'base', name: 'unsigned long long', size: 8, encoding: ATE.unsigned };
  readonly bool: Type = { kind: 'base', name: '_Bool', size: 1, encoding: ATE.boolean };
  readonly float: Type = { kind: 'base', name: 'float', size: 4, encoding: ATE.float };
  readonly double: Type = { kind: 'base', name: 'double', size: 8, encoding: ATE.float };
  /** RISC-V's long double is IEEE quad: it can be named, not computed with. */
  readonly longDouble: Type = { kind: 'base', name: 'long double', size: 16, encoding: ATE.float };
  readonly void: Type = { kind: 'void' };
  readonly voidPointer: Type;
  /** gdb's code_ptr register type: `void (*)()`. */
  readonly codePointer: Type;
  /** An f register as gdb shows one with D: `union { float float; double double; }`. */
  readonly floatRegister: Type;

  constructor(readonly addressSize: 4 | 8) {
    this.long = { kind: 'base', name: 'long', size: addressSize, encoding: ATE.signed };
    this.unsignedLong = { kind: 'base', name: 'unsigned long', size: addressSize, encoding: ATE.unsigned };
    this.voidPointer = this.pointerTo(this.void);
    this.codePointer = this.pointerTo({ kind: 'function', returns: this.void, parameters: [] });
    this.floatRegister = {
      kind: 'union', name: 'builtin_type_fpreg_d', size: 8, declaration: false,
      members: [{ name: 'float', type: this.float, offset: 0 }, { name: 'double', type: this.double, offset: 0 }],
    };
  }

  pointerTo(target: Type): Type {
    return { kind: 'pointer', size: this.addressSize, target };
  }

  /** The type of a C base-type spelling already made canonical ("long unsigned int"). */
  byCanonicalName(name: string): Type | undefined {
    const table: Record<string, Type> = {
      char: this.char, 'signed char': this.signedChar, 'unsigned char': this.unsignedChar,
      'short int': this.short, 'short unsigned int': this.unsignedShort, int: this.int, 'unsigned int': this.unsignedInt,
      'long int': this.long, 'long unsigned int': this.unsignedLong, 'long long int': this.longLong,
      'long long unsigned int': this.unsignedLongLong, _Bool: this.bool, float: this.float, double: this.double,
      'long double': this.longDouble, void: this.void,
    };
    return table[name];
  }

  /** The integer type of `size` bytes and that signedness, as usual arithmetic conversion yields it. */
  integer(size: number, signed: boolean): Type {
    if (size <= 4) return signed ? this.int : this.unsignedInt;
    if (size === this.addressSize) return signed ? this.long : this.unsignedLong;
    return signed ? this.longLong : this.unsignedLongLong;
  }
}

/** A value reduced to what arithmetic works on. */
export type Scalar =
  | { readonly kind: 'integer'; readonly value: bigint; readonly size: number; readonly signed: boolean }
  | { readonly kind: 'floating'; readonly value: number; readonly size: number }
  | { readonly kind: 'pointer'; readonly value: bigint; readonly type: Extract<Type, { kind: 'pointer' }> };

export function bytesToBigInt(bytes: Uint8Array, offset = 0, size = bytes.length): bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return value;
}

export function bigIntToBytes(value: bigint, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++, v >>= 8n) bytes[i] = Number(v & 0xffn);
  return bytes;
}

export function floatToBytes(value: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  if (size === 4) view.setFloat32(0, value, true);
  else if (size === 8) view.setFloat64(0, value, true);
  else throw new CExpressionError(`cannot compute with ${size}-byte floating-point values`);
  return bytes;
}

function bytesToFloat(bytes: Uint8Array, size: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  if (size === 4) return view.getFloat32(0, true);
  if (size === 8) return view.getFloat64(0, true);
  throw new CExpressionError(`cannot compute with ${size}-byte floating-point values`);
}

/** The scalar a value of `type` holds in `bytes`; undefined for aggregates, void and functions. */
export function scalarOf(type: Type, bytes: Uint8Array): Scalar | undefined {
  const t = resolveType(type);
  switch (t.kind) {
    case 'base': {
      if (t.encoding === ATE.float) return { kind: 'floating', value: bytesToFloat(bytes, t.size), size: t.size };
      const raw = bytesToBigInt(bytes, 0, t.size);
      const signed = isSignedEncoding(t.encoding);
      return { kind: 'integer', value: signed ? BigInt.asIntN(t.size * 8, raw) : raw, size: t.size, signed };
    }
    case 'enum': {
      const raw = bytesToBigInt(bytes, 0, t.size);
      return { kind: 'integer', value: t.signed ? BigInt.asIntN(t.size * 8, raw) : raw, size: t.size, signed: t.signed };
    }
    case 'pointer': return { kind: 'pointer', value: bytesToBigInt(bytes, 0, t.size), type: t };
    default: return undefined;
  }
}

/** True for the scalar types C's arithmetic takes (6.2.5: arithmetic and pointer types). */
export function isScalarType(type: Type): boolean {
  const t = resolveType(type);
  return t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer';
}

export function isIntegerType(type: Type): boolean {
  const t = resolveType(type);
  return (t.kind === 'base' && t.encoding !== ATE.float) || t.kind === 'enum';
}

export function truthy(scalar: Scalar): boolean {
  return scalar.kind === 'floating' ? scalar.value !== 0 : scalar.value !== 0n;
}

/**
 * The bytes of `scalar` converted to `type` (6.3.1: integers wrap to the type's width, floats
 * truncate toward zero, _Bool is 0 or 1, pointers and integers convert by value).
 */
export function convertScalar(scalar: Scalar, type: Type): Uint8Array {
  const t = resolveType(type);
  const size = sizeOf(t);
  if (t.kind === 'base' && t.encoding === ATE.boolean) return bigIntToBytes(truthy(scalar) ? 1n : 0n, size);
  if (t.kind === 'base' && t.encoding === ATE.float) {
    if (scalar.kind === 'pointer') throw new CExpressionError(`cannot convert a pointer to '${typeName(type)}'`);
    return floatToBytes(scalar.kind === 'floating' ? scalar.value : Number(scalar.value), size);
  }
  if (t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer') {
    if (scalar.kind === 'floating') {
      if (t.kind === 'pointer') throw new CExpressionError(`cannot convert a floating-point value to '${typeName(type)}'`);
      if (!Number.isFinite(scalar.value)) throw new CExpressionError(`cannot convert ${scalar.value} to '${typeName(type)}'`);
      return bigIntToBytes(BigInt(Math.trunc(scalar.value)), size);
    }
    return bigIntToBytes(scalar.value, size);
  }
  throw new CExpressionError(`invalid cast to '${typeName(type)}'`);
}
