// The DWARF expression evaluator (DWARF 5 section 2.5 "DWARF Expressions", 2.6 "Location
// Descriptions"): runs an expression over a stopped frame's registers and memory and yields
// where a variable lives, or its value, or that it is optimized out; and a disassembler that
// prints an expression as binutils' readelf does (for dumps and for checking against it).
import { OP, registerName } from './constants';
import { ByteReader, DwarfError } from './reader';

/** What an expression may ask of the stopped frame it is evaluated in. */
export interface ExpressionContext {
  /** Target address size in bytes: the generic type's size and DW_OP_addr's operand. */
  readonly addressSize: 4 | 8;
  /** A register by DWARF number (RISC-V: x0-x31 = 0-31, f0-f31 = 32-63); undefined if unknown. */
  readRegister(register: number): bigint | undefined;
  /** `size` bytes of memory, or undefined if they cannot be read. */
  readMemory(address: bigint, size: number): Uint8Array | undefined;
  /** The function's DW_AT_frame_base, evaluated (for DW_OP_fbreg). */
  frameBase?(): bigint | undefined;
  /** The canonical frame address from the call frame information (DW_OP_call_frame_cfa). */
  cfa?(): bigint | undefined;
  /** The value `expression` (a DW_OP_entry_value operand) had on entry to the function. */
  entryValue?(expression: Uint8Array): bigint | undefined;
}

/** A simple location: one place or value (2.6.1.1). */
export type SimpleLocation =
  | { readonly kind: 'memory'; readonly address: bigint }
  | { readonly kind: 'register'; readonly register: number }
  /** DW_OP_stack_value: the value itself, of the generic (address-sized) type. */
  | { readonly kind: 'value'; readonly value: bigint }
  /** DW_OP_implicit_value: the value's bytes. */
  | { readonly kind: 'implicit'; readonly bytes: Uint8Array }
  /** No location: the value is optimized out (an empty expression or piece, or an entry value nobody knows). */
  | { readonly kind: 'optimized-out' };

export interface Piece {
  readonly location: SimpleLocation;
  readonly sizeBits: number;
  /** DW_OP_bit_piece's offset within the location's value. */
  readonly offsetBits: number;
}

export type Location =
  | SimpleLocation
  /** DW_OP_piece / DW_OP_bit_piece: the object's parts, lowest first (2.6.1.2). */
  | { readonly kind: 'composite'; readonly pieces: readonly Piece[] }
  /** The expression could not be evaluated here: a register or memory it needs is unknown. */
  | { readonly kind: 'unavailable'; readonly reason: string };

/** An operation that cannot be evaluated (it needs something not to hand). */
class Unavailable extends Error {}

class OptimizedOut extends Error {}

/**
 * Evaluates a location expression (or, with `asValue`, a DWARF expression whose result is the
 * top of the stack, such as DW_AT_frame_base's or a CFA rule's, returned as a memory location).
 * `initialStack` seeds the stack (DW_CFA_expression pushes the CFA).
 */
export function evaluateLocation(expression: Uint8Array, context: ExpressionContext, initialStack: readonly bigint[] = []): Location {
  try {
    return run(expression, context, [...initialStack]);
  } catch (error) {
    if (error instanceof OptimizedOut) return { kind: 'optimized-out' };
    if (error instanceof Unavailable || error instanceof DwarfError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
}

/** Evaluates an expression for its value (DW_AT_frame_base, DW_CFA_def_cfa_expression, an entry value). */
export function evaluateValue(expression: Uint8Array, context: ExpressionContext, initialStack: readonly bigint[] = []): bigint | undefined {
  const location = evaluateLocation(expression, context, initialStack);
  switch (location.kind) {
    case 'memory': return location.address;
    case 'value': return location.value;
    case 'register': return context.readRegister(location.register);
    default: return undefined;
  }
}

function toSigned(value: bigint, bits: bigint): bigint {
  return BigInt.asIntN(Number(bits), value);
}

function fromBytes(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

function run(expression: Uint8Array, context: ExpressionContext, stack: bigint[]): Location {
  const bits = BigInt(context.addressSize * 8);
  const mask = (1n << bits) - 1n;
  const wrap = (value: bigint) => value & mask;
  const signed = (value: bigint) => toSigned(value, bits);
  const reader = new ByteReader(expression);
  const pieces: Piece[] = [];
  /** The location the last operation described, for a following piece or the end. */
  let pending: SimpleLocation | undefined;

  const push = (value: bigint) => stack.push(wrap(value));
  const pop = (): bigint => {
    const value = stack.pop();
    if (value === undefined) throw new DwarfError('expression stack underflow');
    return value;
  };
  const peek = (depth: number): bigint => {
    const value = stack[stack.length - 1 - depth];
    if (value === undefined) throw new DwarfError('expression stack underflow');
    return value;
  };
  const register = (n: number): bigint => {
    const value = context.readRegister(n);
    if (value === undefined) throw new Unavailable(`register ${registerName(n)} is not available`);
    return value;
  };
  const memory = (address: bigint, size: number): bigint => {
    const bytes = context.readMemory(address, size);
    if (!bytes || bytes.length < size) throw new Unavailable(`cannot read memory at 0x${address.toString(16)}`);
    return fromBytes(bytes.subarray(0, size));
  };
  const binary = (op: (a: bigint, b: bigint) => bigint) => {
    const b = pop();
    const a = pop();
    push(op(a, b));
  };
  const compare = (op: (a: bigint, b: bigint) => boolean) => binary((a, b) => (op(signed(a), signed(b)) ? 1n : 0n));
  const endPiece = (sizeBits: number, offsetBits: number) => {
    let location: SimpleLocation;
    if (pending) location = pending;
    else if (stack.length > 0) location = { kind: 'memory', address: pop() };
    else location = { kind: 'optimized-out' };
    pieces.push({ location, sizeBits, offsetBits });
    pending = undefined;
  };
  /** A location operation (reg, stack_value, implicit_value) must end the expression or precede a piece. */
  const describe = (location: SimpleLocation) => {
    pending = location;
    if (!reader.atEnd) {
      const next = expression[reader.offset];
      if (next !== OP.piece && next !== OP.bit_piece) throw new DwarfError(`${OP.nameOf(expression[reader.offset - 1])} is not last`);
    }
  };

  while (!reader.atEnd) {
    const op = reader.u8();
    if (op >= OP.lit0 && op <= OP.lit31) {
      push(BigInt(op - OP.lit0));
      continue;
    }
    if (op >= OP.reg0 && op <= OP.reg31) {
      describe({ kind: 'register', register: op - OP.reg0 });
      continue;
    }
    if (op >= OP.breg0 && op <= OP.breg31) {
      push(register(op - OP.breg0) + reader.sleb());
      continue;
    }
    switch (op) {
      case OP.addr: push(reader.address(context.addressSize)); break;
      case OP.const1u: push(BigInt(reader.u8())); break;
      case OP.const1s: push(BigInt(reader.s8())); break;
      case OP.const2u: push(BigInt(reader.u16())); break;
      case OP.const2s: push(BigInt(reader.s16())); break;
      case OP.const4u: push(BigInt(reader.u32())); break;
      case OP.const4s: push(BigInt(reader.s32())); break;
      case OP.const8u: push(reader.u64()); break;
      case OP.const8s: push(reader.s64()); break;
      case OP.constu: push(reader.uleb()); break;
      case OP.consts: push(reader.sleb()); break;
      case OP.dup: push(peek(0)); break;
      case OP.drop: pop(); break;
      case OP.over: push(peek(1)); break;
      case OP.pick: push(peek(reader.u8())); break;
      case OP.swap: {
        const a = pop();
        const b = pop();
        stack.push(a, b);
        break;
      }
      case OP.rot: {
        // The top moves to third place; the second and third move up (2.5.1.3).
        const a = pop();
        const b = pop();
        const c = pop();
        stack.push(a, c, b);
        break;
      }
      case OP.deref: push(memory(pop(), context.addressSize)); break;
      case OP.deref_size: {
        const size = reader.u8();
        push(memory(pop(), size));
        break;
      }
      case OP.abs: {
        const a = signed(pop());
        push(a < 0n ? -a : a);
        break;
      }
      case OP.and: binary((a, b) => a & b); break;
      case OP.div: binary((a, b) => {
        if (b === 0n) throw new Unavailable('division by zero');
        return signed(a) / signed(b);
      }); break;
      case OP.minus: binary((a, b) => a - b); break;
      case OP.mod: binary((a, b) => {
        if (b === 0n) throw new Unavailable('division by zero');
        return a % b;
      }); break;
      case OP.mul: binary((a, b) => a * b); break;
      case OP.neg: push(-signed(pop())); break;
      case OP.not: push(~pop()); break;
      case OP.or: binary((a, b) => a | b); break;
      case OP.plus: binary((a, b) => a + b); break;
      case OP.plus_uconst: push(pop() + reader.uleb()); break;
      case OP.shl: binary((a, b) => (b >= bits ? 0n : a << b)); break;
      case OP.shr: binary((a, b) => (b >= bits ? 0n : a >> b)); break;
      case OP.shra: binary((a, b) => signed(a) >> (b >= bits ? bits - 1n : b)); break;
      case OP.xor: binary((a, b) => a ^ b); break;
      case OP.eq: compare((a, b) => a === b); break;
      case OP.ge: compare((a, b) => a >= b); break;
      case OP.gt: compare((a, b) => a > b); break;
      case OP.le: compare((a, b) => a <= b); break;
      case OP.lt: compare((a, b) => a < b); break;
      case OP.ne: compare((a, b) => a !== b); break;
      case OP.skip: {
        const distance = reader.s16();
        reader.offset += distance;
        break;
      }
      case OP.bra: {
        const distance = reader.s16();
        if (pop() !== 0n) reader.offset += distance;
        break;
      }
      case OP.regx: describe({ kind: 'register', register: reader.ulebNumber() }); break;
      case OP.bregx: {
        const n = reader.ulebNumber();
        push(register(n) + reader.sleb());
        break;
      }
      case OP.fbreg: {
        const offset = reader.sleb();
        const base = context.frameBase?.();
        if (base === undefined) throw new Unavailable('the frame base is not known');
        push(base + offset);
        break;
      }
      case OP.call_frame_cfa: {
        const cfa = context.cfa?.();
        if (cfa === undefined) throw new Unavailable('the canonical frame address is not known');
        push(cfa);
        break;
      }
      case OP.piece: endPiece(reader.ulebNumber() * 8, 0); break;
      case OP.bit_piece: {
        const size = reader.ulebNumber();
        endPiece(size, reader.ulebNumber());
        break;
      }
      case OP.stack_value: describe({ kind: 'value', value: pop() }); break;
      case OP.implicit_value: {
        const size = reader.ulebNumber();
        describe({ kind: 'implicit', bytes: reader.bytesOf(size) });
        break;
      }
      case OP.entry_value:
      case OP.GNU_entry_value: {
        const inner = reader.bytesOf(reader.ulebNumber());
        const value = context.entryValue?.(inner);
        if (value === undefined) throw new OptimizedOut();
        push(value);
        break;
      }
      case OP.GNU_parameter_ref: throw new OptimizedOut();
      case OP.convert:
      case OP.GNU_convert:
      case OP.reinterpret:
      case OP.GNU_reinterpret:
        // The operand names a base type DIE; values stay generic here (simplistic, as the issue allows).
        reader.uleb();
        break;
      case OP.nop: break;
      case OP.GNU_uninit: break;
      case OP.implicit_pointer:
      case OP.GNU_implicit_pointer:
        throw new OptimizedOut();
      default:
        throw new DwarfError(`unsupported operation ${OP.nameOf(op)}`);
    }
  }
  if (pieces.length > 0) {
    if (pending || stack.length > 0) throw new DwarfError('an expression with pieces must end with a piece');
    return { kind: 'composite', pieces };
  }
  if (pending) return pending;
  if (stack.length === 0) return { kind: 'optimized-out' }; // an empty expression (2.6.1.1.1)
  return { kind: 'memory', address: pop() };
}

/** Little-endian bytes of `value`, `size` long. */
export function valueBytes(value: bigint, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let v = BigInt.asUintN(Math.max(size, 1) * 8, value);
  for (let i = 0; i < size; i++) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

/**
 * The `size` bytes of the object at `location`, or undefined if any part of it is optimized
 * out or unreadable. A register location gives the register's low bytes (RISC-V is little-endian).
 */
export function readLocation(location: Location, size: number, context: ExpressionContext): Uint8Array | undefined {
  switch (location.kind) {
    case 'memory': {
      const bytes = context.readMemory(location.address, size);
      return bytes && bytes.length >= size ? bytes.subarray(0, size) : undefined;
    }
    case 'register': {
      const value = context.readRegister(location.register);
      return value === undefined ? undefined : valueBytes(value, size);
    }
    case 'value': return valueBytes(location.value, size);
    case 'implicit': {
      const bytes = new Uint8Array(size);
      bytes.set(location.bytes.subarray(0, size));
      return bytes;
    }
    case 'composite': {
      // Assemble bit by bit: pieces are at most a few registers' worth.
      const out = new Uint8Array(size);
      let at = 0;
      for (const piece of location.pieces) {
        const pieceBytes = Math.ceil((piece.sizeBits + piece.offsetBits) / 8);
        const part = readLocation(piece.location, pieceBytes, context);
        if (!part) return undefined;
        for (let bit = 0; bit < piece.sizeBits && at < size * 8; bit++, at++) {
          const from = bit + piece.offsetBits;
          if ((part[from >> 3] >> (from & 7)) & 1) out[at >> 3] |= 1 << (at & 7);
        }
      }
      return out;
    }
    default: return undefined;
  }
}

/**
 * An expression as binutils' readelf prints it (dwarf.c decode_location_expression):
 * "DW_OP_breg2 (sp): 16; DW_OP_deref". `offsetSize` is the unit's (4 or 8).
 */
export function disassembleExpression(expression: Uint8Array, addressSize: number, offsetSize: 4 | 8 = 4): string {
  const reader = new ByteReader(expression);
  const parts: string[] = [];
  const hex = (value: bigint | number) => value.toString(16);
  while (!reader.atEnd) {
    const op = reader.u8();
    const name = OP.nameOf(op);
    if (op >= OP.lit0 && op <= OP.lit31) parts.push(`DW_OP_lit${op - OP.lit0}`);
    else if (op >= OP.reg0 && op <= OP.reg31) parts.push(`DW_OP_reg${op - OP.reg0} (${registerName(op - OP.reg0)})`);
    else if (op >= OP.breg0 && op <= OP.breg31) parts.push(`DW_OP_breg${op - OP.breg0} (${registerName(op - OP.breg0)}): ${reader.sleb()}`);
    else {
      switch (op) {
        case OP.addr: parts.push(`${name}: ${hex(reader.address(addressSize))}`); break;
        case OP.const1u: parts.push(`${name}: ${reader.u8()}`); break;
        case OP.const1s: parts.push(`${name}: ${reader.s8()}`); break;
        case OP.const2u: parts.push(`${name}: ${reader.u16()}`); break;
        case OP.const2s: parts.push(`${name}: ${reader.s16()}`); break;
        case OP.const4u: parts.push(`${name}: ${reader.u32()}`); break;
        case OP.const4s: parts.push(`${name}: ${reader.s32()}`); break;
        case OP.const8u: parts.push(`${name}: ${reader.u64()}`); break;
        case OP.const8s: parts.push(`${name}: ${reader.s64()}`); break;
        case OP.constu: parts.push(`${name}: ${reader.uleb()}`); break;
        case OP.consts: parts.push(`${name}: ${reader.sleb()}`); break;
        case OP.pick: parts.push(`${name}: ${reader.u8()}`); break;
        case OP.plus_uconst: parts.push(`${name}: ${reader.uleb()}`); break;
        case OP.skip: case OP.bra: parts.push(`${name}: ${reader.s16()}`); break;
        case OP.regx: {
          const n = reader.ulebNumber();
          parts.push(`${name}: ${n} (${registerName(n)})`);
          break;
        }
        case OP.bregx: {
          const n = reader.ulebNumber();
          parts.push(`${name}: ${n} (${registerName(n)}) ${reader.sleb()}`);
          break;
        }
        case OP.fbreg: parts.push(`${name}: ${reader.sleb()}`); break;
        case OP.piece: parts.push(`${name}: ${reader.uleb()}`); break;
        case OP.bit_piece: {
          const size = reader.uleb();
          parts.push(`${name}: size: ${size} offset: ${reader.uleb()} `);
          break;
        }
        case OP.deref_size: case OP.xderef_size: parts.push(`${name}: ${reader.u8()}`); break;
        case OP.implicit_value: {
          const bytes = reader.bytesOf(reader.ulebNumber());
          parts.push(`${name} ${bytes.length} byte block: ${[...bytes].map((b) => hex(b)).join(' ')} `);
          break;
        }
        case OP.entry_value: case OP.GNU_entry_value: {
          const inner = reader.bytesOf(reader.ulebNumber());
          parts.push(`${name}: (${disassembleExpression(inner, addressSize, offsetSize)})`);
          break;
        }
        case OP.GNU_parameter_ref: parts.push(`${name}: <0x${hex(reader.u32())}>`); break;
        case OP.convert: case OP.GNU_convert: case OP.reinterpret: case OP.GNU_reinterpret:
          parts.push(`${name} <0x${hex(reader.uleb())}>`);
          break;
        case OP.implicit_pointer: case OP.GNU_implicit_pointer: {
          const die = reader.sectionOffset(offsetSize);
          parts.push(`${name}: <0x${hex(die)}> ${reader.sleb()}`);
          break;
        }
        case OP.call2: parts.push(`${name}: <0x${hex(reader.u16())}>`); break;
        case OP.call4: parts.push(`${name}: <0x${hex(reader.u32())}>`); break;
        case OP.addrx: case OP.constx: parts.push(`${name} <0x${hex(reader.uleb())}>`); break;
        default:
          if (name.startsWith('DW_OP_0x')) throw new DwarfError(`unknown operation 0x${op.toString(16)}`);
          if (op === OP.const_type || op === OP.regval_type || op === OP.deref_type || op >= OP.GNU_push_tls_address && op !== OP.GNU_uninit) {
            throw new DwarfError(`cannot disassemble ${name}`);
          }
          parts.push(name);
      }
    }
  }
  return parts.join('; ');
}
