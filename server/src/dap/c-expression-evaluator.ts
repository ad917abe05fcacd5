// Evaluates a parsed C expression in a stopped frame to a typed Value: names are looked up as
// gdb does (the frame's locals and parameters, then globals, enumerators, functions, ELF
// symbols, then registers), operators follow C17 section 6.5 with the usual arithmetic
// conversions of 6.3.1.8, and memory is read only when a value's bytes are needed.
import {
  readLocation, resolveType, sizeOf, typeName, type DebugInfo, type ExpressionContext, type Location, type Member, type Type, type UnwindFrame,
} from '../debug/dwarf';
import { RISCV_REGISTER_NAMES, TAG } from '../debug/dwarf/constants';
import { canonicalBaseName } from '../debug/dwarf/type-names';
import type { SymbolTable } from '../machine/elf';
import { CExpressionError, type BinaryOperator, type Expression, type TypeName } from './c-expression-syntax';
import {
  bigIntToBytes, BuiltinTypes, bytesToBigInt, convertScalar, floatToBytes, isIntegerType, isScalarType, scalarOf, truthy,
  type Lvalue, type Scalar, type Value,
} from './c-expression-values';

/** What evaluation needs of the stopped machine (a narrow view of one hart). */
export interface EvaluationContext {
  readonly info: DebugInfo;
  /** The selected frame (registers by DWARF number: x0-x31 = 0-31, f0-f31 = 32-63); undefined: registers of the hart. */
  readonly frame: UnwindFrame | undefined;
  /** True when `frame` is the stopped one (its pc exact, its registers the hart's). */
  readonly innermost: boolean;
  /** Guest memory through the hart's view; undefined where unreadable. */
  readMemory(address: bigint, size: number): Uint8Array | undefined;
  /** False when any byte cannot be written (then none is). */
  writeMemory(address: bigint, bytes: Uint8Array): boolean;
  /** A register of the hart by the target's name (pc, sp, a0, mstatus, satp, priv, ...). */
  readRegister(name: string): bigint | undefined;
  writeRegister(name: string, value: bigint): boolean;
  /** The target's description of a register: width and gdb tdesc type (int, code_ptr, data_ptr, ieee_double). */
  describeRegister?(name: string): { readonly bits: number; readonly type: string } | undefined;
  /** The ELF symbols, for names without debug information (default: the DebugInfo's). */
  readonly symbols?: SymbolTable;
  /**
   * Where the program runs minus where it was linked (a user program loaded elsewhere): added
   * to the addresses of globals, functions and symbols, and to the frame's (linked) pc for $pc.
   */
  readonly loadOffset?: bigint;
}

/** DWARF register numbers of the names an expression may give x and f registers. */
const DWARF_REGISTERS = new Map<string, number>([
  ...RISCV_REGISTER_NAMES.map((name, number) => [name, number] as const),
  ...Array.from({ length: 32 }, (_, n) => [`x${n}`, n] as const),
  ...Array.from({ length: 32 }, (_, n) => [`f${n}`, 32 + n] as const),
  ['fp', 8],
]);

export class Evaluator {
  readonly builtins: BuiltinTypes;
  private readonly pc: bigint | undefined;
  private readonly offset: bigint;

  constructor(readonly context: EvaluationContext, private readonly sideEffects: boolean) {
    this.builtins = new BuiltinTypes(context.info.addressSize);
    const frame = context.frame;
    this.pc = frame ? (context.innermost ? frame.pc : frame.pc - 1n) : undefined;
    this.offset = context.loadOffset ?? 0n;
  }

  evaluate(node: Expression): Value {
    switch (node.kind) {
      case 'integer': return this.integerConstant(node);
      case 'floating': {
        const type = node.single ? this.builtins.float : this.builtins.double;
        return { type, bytes: floatToBytes(node.value, sizeOf(type)) };
      }
      case 'character': return { type: this.builtins.char, bytes: Uint8Array.of(node.value) };
      case 'identifier': return this.identifier(node.name);
      case 'register': return this.register(node.name);
      case 'unary': return this.unary(node.operator, this.evaluate(node.operand));
      case 'binary': return this.binary(node.operator, node.left, node.right);
      case 'conditional': return truthy(this.scalar(this.evaluate(node.test))) ? this.evaluate(node.consequent) : this.evaluate(node.alternate);
      case 'cast': return this.cast(this.evaluate(node.operand), this.typeOf(node.type));
      case 'sizeof-type': return this.sizeValue(this.typeOf(node.type));
      case 'sizeof-value': return this.sizeValue(this.evaluate(node.operand).type);
      case 'member': return this.member(this.evaluate(node.object), node.member, node.arrow);
      case 'index': return this.index(this.evaluate(node.object), this.evaluate(node.index));
      case 'assign': {
        if (!this.sideEffects) throw new CExpressionError('assignment is not allowed here (it would change the program)');
        return this.assign(this.evaluate(node.target), this.evaluate(node.value));
      }
    }
  }

  // --- values ---

  /** The bytes of `value`, read from memory if not yet known. */
  contents(value: Value): Uint8Array {
    if (value.absent) throw new CExpressionError(value.absent === '<optimized out>' ? 'value has been optimized out' : `value is ${value.absent.replace(/^<|>$/g, '')}`);
    if (value.bytes) return value.bytes;
    const size = sizeOf(this.complete(value.type));
    if (value.lvalue?.kind === 'memory') {
      if (size === 0) return new Uint8Array(0);
      const bytes = this.context.readMemory(value.lvalue.address, size);
      if (!bytes || bytes.length < size) throw new CExpressionError(`cannot access memory at address 0x${value.lvalue.address.toString(16)}`);
      return bytes.subarray(0, size);
    }
    throw new CExpressionError(`value of type '${typeName(value.type)}' has no contents`);
  }

  /** The scalar a value holds; arrays and functions in memory decay to pointers (6.3.2.1). */
  scalar(value: Value): Scalar {
    const t = this.complete(value.type);
    if (t.kind === 'array' || t.kind === 'function' || (t.kind === 'void' && value.symbol)) {
      if (value.lvalue?.kind !== 'memory') throw new CExpressionError(`cannot use ${t.kind === 'array' ? 'an array' : 'a function'} that is not in memory as a pointer`);
      const target = t.kind === 'array' ? elementOf(t) : t;
      return { kind: 'pointer', value: value.lvalue.address, type: this.builtins.pointerTo(target) as Extract<Type, { kind: 'pointer' }> };
    }
    const scalar = isScalarType(t) ? scalarOf(t, this.contents(value)) : undefined;
    if (!scalar) throw new CExpressionError(`a value of type '${typeName(value.type)}' is not a number or pointer`);
    return scalar;
  }

  integerValue(value: bigint, type: Type): Value {
    return { type, bytes: bigIntToBytes(value, sizeOf(type)) };
  }

  private scalarValue(scalar: Scalar): Value {
    if (scalar.kind === 'pointer') return this.integerValue(scalar.value, scalar.type);
    if (scalar.kind === 'floating') {
      const type = scalar.size === 4 ? this.builtins.float : this.builtins.double;
      return { type, bytes: floatToBytes(scalar.value, scalar.size) };
    }
    return this.integerValue(scalar.value, this.builtins.integer(scalar.size, scalar.signed));
  }

  /** A struct, union or enum declared but not defined here: its definition from another unit. */
  complete(type: Type): Type {
    const t = resolveType(type);
    if ((t.kind === 'struct' || t.kind === 'union') && t.declaration && t.name) {
      const found = this.context.info.typeByName(`${t.kind} ${t.name}`);
      if (found) return resolveType(found);
    }
    return t;
  }

  // --- names ---

  private integerConstant(node: Extract<Expression, { kind: 'integer' }>): Value {
    // 6.4.4.1: the first type of the list that can represent the value.
    const b = this.builtins;
    const candidates: Type[] = [];
    if (!node.unsigned && node.longs === 0) candidates.push(b.int);
    if ((node.unsigned || !node.decimal) && node.longs === 0) candidates.push(b.unsignedInt);
    if (!node.unsigned && node.longs <= 1) candidates.push(b.long);
    if ((node.unsigned || !node.decimal) && node.longs <= 1) candidates.push(b.unsignedLong);
    if (!node.unsigned) candidates.push(b.longLong);
    if (node.unsigned || !node.decimal) candidates.push(b.unsignedLongLong);
    const type = candidates.find((candidate) => {
      const bits = BigInt(sizeOf(candidate) * 8);
      const signed = candidate === b.int || candidate === b.long || candidate === b.longLong;
      return node.value < (1n << (signed ? bits - 1n : bits));
    }) ?? b.unsignedLongLong;
    return this.integerValue(node.value, type);
  }

  private identifier(name: string): Value {
    const info = this.context.info;
    const frame = this.context.frame;
    if (frame && this.pc !== undefined) {
      const local = info.scopesAt(this.pc).filter((variable) => variable.name === name).pop();
      if (local) {
        const context = info.frameContext(frame, this.read, this.context.innermost);
        return this.fromLocation(local.type, info.locate(local, context, this.pc), context, name);
      }
    }
    const near = this.pc !== undefined ? info.functionAt(this.pc)?.die : undefined;
    const [global] = info.globalsNamed(name, near);
    if (global) {
      const context: ExpressionContext = { addressSize: info.addressSize, readRegister: () => undefined, readMemory: this.read };
      const location = info.locate(global, context, 0n);
      const placed = location.kind === 'memory' && this.offset !== 0n ? { kind: 'memory' as const, address: location.address + this.offset } : location;
      return this.fromLocation(global.type, placed, context, name);
    }
    const enumerator = info.enumeratorByName(name);
    if (enumerator) return this.integerValue(enumerator.value, enumerator.type);
    const fn = info.functionByName(name);
    if (fn) {
      const parameters = fn.die.children.filter((child) => child.tag === TAG.formal_parameter).map((child) => info.typeOf(child));
      return { type: { kind: 'function', returns: info.typeOf(fn.die), parameters }, lvalue: { kind: 'memory', address: fn.entry + this.offset } };
    }
    const symbol = (this.context.symbols ?? info.symbols)?.lookup(name);
    if (symbol) {
      // No debug information: a function's code, or data of unknown type at an address.
      const type: Type = symbol.type === 'func' ? { kind: 'function', returns: this.builtins.int, parameters: [] } : this.builtins.void;
      return { type, lvalue: { kind: 'memory', address: symbol.value + this.offset }, symbol: { name, kind: symbol.type } };
    }
    if (DWARF_REGISTERS.has(name) || name === 'pc' || this.context.readRegister(name) !== undefined) return this.register(name);
    throw new CExpressionError(`no symbol '${name}' in current context`);
  }

  private readonly read = (address: bigint, size: number): Uint8Array | undefined => this.context.readMemory(address, size);

  /** A variable's value where DWARF puts it. */
  private fromLocation(type: Type, location: Location, context: ExpressionContext, name: string): Value {
    const size = sizeOf(this.complete(type));
    switch (location.kind) {
      case 'memory': return { type, lvalue: { kind: 'memory', address: location.address } };
      case 'optimized-out': return { type, absent: '<optimized out>' };
      case 'unavailable': return { type, absent: `<unavailable: ${location.reason}>` };
      default: break;
    }
    const bytes = readLocation(location, size, context);
    if (!bytes) return { type, absent: location.kind === 'composite' ? '<optimized out>' : '<unavailable>' };
    if (location.kind === 'register') {
      const register = RISCV_REGISTER_NAMES[location.register];
      if (register && this.context.innermost) return { type, bytes, lvalue: { kind: 'register', name: register, floating: location.register >= 32 } };
      return { type, bytes, readOnly: `'${name}' is in a register saved by a callee; select the innermost frame to change it` };
    }
    const why = location.kind === 'composite' ? 'is split across registers and memory' : 'has no location (the compiler computes its value)';
    return { type, bytes, readOnly: `'${name}' ${why}` };
  }

  /** $name: a register of the selected frame (x and f registers, pc) or of the hart (CSRs, priv). */
  register(given: string): Value {
    const number = DWARF_REGISTERS.get(given);
    const name = number !== undefined ? RISCV_REGISTER_NAMES[number] : given;
    const type = this.registerType(name, number);
    const frame = this.context.frame;
    const writable = this.context.innermost || !frame;
    let value: bigint | undefined;
    if (frame && name === 'pc') value = frame.pc + this.offset;
    else if (frame && number !== undefined) value = frame.registers.get(number);
    else value = this.context.readRegister(name);
    if (value === undefined) {
      if (frame && number !== undefined && !this.context.innermost) return { type, absent: '<not saved>' };
      throw new CExpressionError(`no register '$${given}' on this target`);
    }
    const bytes = bigIntToBytes(value, sizeOf(type));
    const lvalue: Lvalue = { kind: 'register', name, floating: number !== undefined && number >= 32 };
    return writable ? { type, bytes, lvalue } : { type, bytes, readOnly: `$${given} of a caller's frame cannot be changed` };
  }

  private registerType(name: string, number: number | undefined): Type {
    const described = this.context.describeRegister?.(name);
    const b = this.builtins;
    // gdb shows an f register of a D hart as a union of its float and double views.
    if (number !== undefined && number >= 32) return (described?.bits ?? 64) === 64 ? this.builtins.floatRegister : this.builtins.float;
    const kind = described?.type ?? (name === 'pc' || name === 'ra' ? 'code_ptr' : name === 'sp' || name === 's0' ? 'data_ptr' : 'int');
    switch (kind) {
      case 'code_ptr': return b.codePointer;
      case 'data_ptr': return b.voidPointer;
      default: return b.integer((described?.bits ?? b.addressSize * 8) / 8, true);
    }
  }

  // --- types ---

  /** The Type a cast or sizeof names. */
  typeOf(name: TypeName): Type {
    const words = name.base.split(' ');
    let type: Type | undefined;
    if (words[0] === 'struct' || words[0] === 'union' || words[0] === 'enum') {
      type = this.context.info.typeByName(name.base);
      if (!type) throw new CExpressionError(`no ${words[0]} type named '${words[1]}'`);
    } else {
      const canonical = canonicalBaseName(words);
      type = canonical !== undefined ? this.builtins.byCanonicalName(canonical) : name.base === 'void' ? this.builtins.void : this.context.info.typeByName(name.base);
      if (!type) throw new CExpressionError(canonical === undefined && words.length === 1 ? `no type named '${name.base}'` : `invalid type name '${name.base}'`);
    }
    for (const qualifier of name.qualifiers) type = { kind: qualifier, target: type };
    for (const qualifiers of name.pointers) {
      type = this.builtins.pointerTo(type);
      for (const qualifier of qualifiers) type = { kind: qualifier, target: type };
    }
    return type;
  }

  private sizeValue(type: Type): Value {
    const t = this.complete(type);
    // gdb's sizeof(void) and sizeof of a function are 1 (GNU C's pointer arithmetic on them).
    const size = t.kind === 'void' || t.kind === 'function' ? 1 : sizeOf(t);
    if (size === 0 && !(t.kind === 'struct' || t.kind === 'union')) throw new CExpressionError(`the size of '${typeName(type)}' is not known`);
    return this.integerValue(BigInt(size), this.builtins.unsignedLong);
  }

  /** (type)value: scalar conversions; an aggregate only to its own type (6.5.4). */
  cast(value: Value, type: Type): Value {
    const t = this.complete(type);
    if (t.kind === 'void') return { type };
    if (isScalarType(t)) {
      if (resolveType(t).kind === 'base' && sizeOf(t) > 8) throw new CExpressionError(`cannot compute with '${typeName(type)}'`);
      return { type, bytes: convertScalar(this.scalar(value), t) };
    }
    if (t === this.complete(value.type)) return { ...value, type };
    throw new CExpressionError(`invalid cast from '${typeName(value.type)}' to '${typeName(type)}'`);
  }

  // --- operators ---

  private unary(operator: string, operand: Value): Value {
    switch (operator) {
      case '*': return this.dereference(operand);
      case '&': return this.addressOf(operand);
      case '!': return this.integerValue(truthy(this.scalar(operand)) ? 0n : 1n, this.builtins.int);
      default: break;
    }
    const scalar = this.scalar(operand);
    if (scalar.kind === 'pointer') throw new CExpressionError(`wrong type argument to unary '${operator}': '${typeName(operand.type)}'`);
    if (scalar.kind === 'floating') {
      if (operator === '~') throw new CExpressionError(`wrong type argument to bit-complement: '${typeName(operand.type)}'`);
      return this.scalarValue({ ...scalar, value: operator === '-' ? -scalar.value : scalar.value });
    }
    const promoted = this.promote(scalar);
    const value = operator === '-' ? -promoted.value : operator === '~' ? ~promoted.value : promoted.value;
    return this.integerValue(value, this.builtins.integer(promoted.size, promoted.signed));
  }

  dereference(operand: Value): Value {
    const scalar = this.scalar(operand);
    // gdb reads an int at an integer's address (`*0x80001000`); cast for any other type.
    if (scalar.kind === 'integer') return { type: this.builtins.int, lvalue: { kind: 'memory', address: BigInt.asUintN(this.builtins.addressSize * 8, scalar.value) } };
    if (scalar.kind !== 'pointer') throw new CExpressionError(`cannot dereference a value of type '${typeName(operand.type)}' (not a pointer)`);
    const target = scalar.type.target;
    const resolved = this.complete(target);
    if (resolved.kind === 'void') throw new CExpressionError(`cannot dereference a '${typeName(operand.type)}' (cast it to a typed pointer first)`);
    return { type: resolved !== resolveType(target) ? resolved : target, lvalue: { kind: 'memory', address: scalar.value } };
  }

  private addressOf(operand: Value): Value {
    const lvalue = operand.lvalue;
    if (lvalue?.kind === 'memory') {
      const target = operand.symbol && resolveType(operand.type).kind === 'void' ? this.builtins.void : operand.type;
      return this.integerValue(lvalue.address, this.builtins.pointerTo(target));
    }
    if (lvalue?.kind === 'register') throw new CExpressionError(`cannot take the address of a value in register ${lvalue.name}`);
    if (lvalue?.kind === 'bitfield') throw new CExpressionError('cannot take the address of a bitfield');
    throw new CExpressionError(operand.absent ? 'cannot take the address of an optimized-out value' : 'cannot take the address of a value not in memory');
  }

  private member(object: Value, name: string, arrow: boolean): Value {
    let base = object;
    if (arrow) {
      const t = this.complete(object.type);
      // gdb takes `s->x` of a struct as `s.x`; anything else must be a pointer.
      if (t.kind !== 'struct' && t.kind !== 'union') {
        if (t.kind !== 'pointer' && t.kind !== 'array') throw new CExpressionError(`cannot use '->' on a value of type '${typeName(object.type)}' (not a pointer)`);
        base = this.dereference(object);
      }
    }
    const t = this.complete(base.type);
    if (t.kind !== 'struct' && t.kind !== 'union') {
      throw new CExpressionError(`cannot take member '${name}' of a value of type '${typeName(base.type)}'${t.kind === 'pointer' ? " (use '->')" : ''}`);
    }
    const path = findMember(t.members, name, 0);
    if (!path) throw new CExpressionError(`there is no member named '${name}' in ${typeName(base.type)}`);
    return this.memberValue(base, path.member, path.offset);
  }

  /** A member at byte `offset` of `object` (a bitfield as its own value, read-modify-write in memory). */
  private memberValue(object: Value, member: Member, offset: number): Value {
    const lvalue = object.lvalue;
    if (member.bitSize === undefined) {
      if (lvalue?.kind === 'memory') return { type: member.type, lvalue: { kind: 'memory', address: lvalue.address + BigInt(offset) } };
      const bytes = this.contents(object);
      return { type: member.type, bytes: bytes.slice(offset, offset + sizeOf(this.complete(member.type))), readOnly: object.readOnly ?? notAssignable(object) };
    }
    const span = Math.ceil((member.bitOffset! + member.bitSize) / 8);
    const container = lvalue?.kind === 'memory' ? this.contents({ type: { kind: 'array', element: this.builtins.unsignedChar, counts: [span] }, lvalue: { kind: 'memory', address: lvalue.address + BigInt(offset) } }) : this.contents(object).subarray(offset, offset + span);
    const raw = (bytesToBigInt(container, 0, span) >> BigInt(member.bitOffset!)) & ((1n << BigInt(member.bitSize)) - 1n);
    const scalar = scalarOf(member.type, bigIntToBytes(raw, sizeOf(member.type)));
    const signed = scalar?.kind === 'integer' && scalar.signed;
    const value = signed ? BigInt.asIntN(member.bitSize, raw) : raw;
    const bytes = bigIntToBytes(value, sizeOf(member.type));
    if (lvalue?.kind === 'memory') {
      return { type: member.type, bytes, lvalue: { kind: 'bitfield', address: lvalue.address + BigInt(offset), bitOffset: member.bitOffset!, bitSize: member.bitSize } };
    }
    return { type: member.type, bytes, readOnly: object.readOnly ?? notAssignable(object) };
  }

  private index(object: Value, index: Value): Value {
    const objectType = this.complete(object.type);
    if (isIntegerType(objectType) && ['array', 'pointer'].includes(this.complete(index.type).kind)) return this.index(index, object);
    const position = this.scalar(index);
    if (position.kind !== 'integer') throw new CExpressionError(`array subscript is not an integer (it is '${typeName(index.type)}')`);
    if (objectType.kind === 'array') {
      const element = elementOf(objectType);
      const size = sizeOf(this.complete(element));
      if (object.lvalue?.kind === 'memory') return { type: element, lvalue: { kind: 'memory', address: object.lvalue.address + position.value * BigInt(size) } };
      const count = objectType.counts[0];
      if (position.value < 0n || (count !== undefined && position.value >= BigInt(count))) throw new CExpressionError(`index ${position.value} is outside the array (0..${(count ?? 0) - 1})`);
      const at = Number(position.value) * size;
      return { type: element, bytes: this.contents(object).slice(at, at + size), readOnly: object.readOnly ?? notAssignable(object) };
    }
    if (objectType.kind === 'pointer') return this.dereference(this.binaryValues('+', object, index));
    throw new CExpressionError(`cannot subscript a value of type '${typeName(object.type)}'`);
  }

  private binary(operator: BinaryOperator, leftNode: Expression, rightNode: Expression): Value {
    if (operator === '&&' || operator === '||') {
      const left = truthy(this.scalar(this.evaluate(leftNode)));
      if (operator === '&&' ? !left : left) return this.integerValue(left ? 1n : 0n, this.builtins.int);
      return this.integerValue(truthy(this.scalar(this.evaluate(rightNode))) ? 1n : 0n, this.builtins.int);
    }
    return this.binaryValues(operator, this.evaluate(leftNode), this.evaluate(rightNode));
  }

  binaryValues(operator: BinaryOperator, leftValue: Value, rightValue: Value): Value {
    const left = this.scalar(leftValue);
    const right = this.scalar(rightValue);
    const b = this.builtins;
    const boolean = (value: boolean) => this.integerValue(value ? 1n : 0n, b.int);
    // Pointer arithmetic (6.5.6): scaled by the pointee's size (1 for void and functions, as GNU C).
    if (left.kind === 'pointer' || right.kind === 'pointer') {
      const comparisons: Partial<Record<BinaryOperator, (a: bigint, c: bigint) => boolean>> = {
        '==': (a, c) => a === c, '!=': (a, c) => a !== c, '<': (a, c) => a < c, '>': (a, c) => a > c, '<=': (a, c) => a <= c, '>=': (a, c) => a >= c,
      };
      const compare = comparisons[operator];
      const bits = b.addressSize * 8;
      if (compare && left.kind !== 'floating' && right.kind !== 'floating') return boolean(compare(BigInt.asUintN(bits, left.value), BigInt.asUintN(bits, right.value)));
      if (left.kind === 'pointer' && right.kind === 'pointer' && operator === '-') {
        const size = BigInt(this.elementSize(left.type));
        return this.integerValue((BigInt.asIntN(bits, left.value) - BigInt.asIntN(bits, right.value)) / size, b.long);
      }
      const [pointer, offset] = left.kind === 'pointer' ? [left, right] : [right as Extract<Scalar, { kind: 'pointer' }>, left];
      if (offset.kind !== 'integer' || (operator !== '+' && !(operator === '-' && left.kind === 'pointer'))) {
        throw new CExpressionError(`invalid operands to '${operator}': '${typeName(leftValue.type)}' and '${typeName(rightValue.type)}'`);
      }
      const delta = offset.value * BigInt(this.elementSize(pointer.type));
      return this.integerValue(operator === '+' ? pointer.value + delta : pointer.value - delta, pointer.type);
    }
    // The usual arithmetic conversions (6.3.1.8).
    if (left.kind === 'floating' || right.kind === 'floating') {
      const size = Math.max(left.kind === 'floating' ? left.size : 0, right.kind === 'floating' ? right.size : 0);
      const a = Number(left.value);
      const c = Number(right.value);
      const number = (value: number) => this.scalarValue({ kind: 'floating', value, size });
      switch (operator) {
        case '+': return number(a + c);
        case '-': return number(a - c);
        case '*': return number(a * c);
        case '/': return number(a / c);
        case '==': return boolean(a === c);
        case '!=': return boolean(a !== c);
        case '<': return boolean(a < c);
        case '>': return boolean(a > c);
        case '<=': return boolean(a <= c);
        case '>=': return boolean(a >= c);
        default: throw new CExpressionError(`invalid operands to '${operator}': '${typeName(leftValue.type)}' and '${typeName(rightValue.type)}'`);
      }
    }
    if (operator === '<<' || operator === '>>') {
      const promoted = this.promote(left);
      const count = right.value;
      if (count < 0n) throw new CExpressionError('negative shift count');
      const type = b.integer(promoted.size, promoted.signed);
      return this.integerValue(operator === '<<' ? promoted.value << count : promoted.value >> count, type);
    }
    const common = this.common(left, right);
    const wrap = (value: bigint) => (common.signed ? BigInt.asIntN(common.size * 8, value) : BigInt.asUintN(common.size * 8, value));
    const a = wrap(left.value);
    const c = wrap(right.value);
    const result = (value: bigint) => this.integerValue(value, b.integer(common.size, common.signed));
    switch (operator) {
      case '+': return result(a + c);
      case '-': return result(a - c);
      case '*': return result(a * c);
      case '/': case '%':
        if (c === 0n) throw new CExpressionError('division by zero');
        return result(operator === '/' ? a / c : a % c);
      case '&': return result(a & c);
      case '|': return result(a | c);
      case '^': return result(a ^ c);
      case '==': return boolean(a === c);
      case '!=': return boolean(a !== c);
      case '<': return boolean(a < c);
      case '>': return boolean(a > c);
      case '<=': return boolean(a <= c);
      case '>=': return boolean(a >= c);
      default: throw new CExpressionError(`operator '${operator}' is not supported here`);
    }
  }

  private elementSize(pointer: Extract<Type, { kind: 'pointer' }>): number {
    const target = this.complete(pointer.target);
    if (target.kind === 'void' || target.kind === 'function') return 1;
    const size = sizeOf(target);
    if (size === 0) throw new CExpressionError(`arithmetic on a pointer to an incomplete type '${typeName(pointer.target)}'`);
    return size;
  }

  /** Integer promotion (6.3.1.1): anything narrower than int becomes int. */
  private promote(scalar: Extract<Scalar, { kind: 'integer' }>): { value: bigint; size: number; signed: boolean } {
    if (scalar.size < 4) return { value: scalar.value, size: 4, signed: true };
    return scalar;
  }

  /** The common integer type of two operands after promotion (6.3.1.8). */
  private common(left: Extract<Scalar, { kind: 'integer' }>, right: Extract<Scalar, { kind: 'integer' }>): { size: number; signed: boolean } {
    const a = this.promote(left);
    const c = this.promote(right);
    if (a.signed === c.signed) return { size: Math.max(a.size, c.size), signed: a.signed };
    const [signed, unsigned] = a.signed ? [a, c] : [c, a];
    if (unsigned.size >= signed.size) return { size: unsigned.size, signed: false };
    return { size: signed.size, signed: true };
  }

  // --- assignment ---

  /** target = value (6.5.16.1): converts to the target's type and writes memory or the register. */
  assign(target: Value, source: Value): Value {
    if (target.absent) throw new CExpressionError(`cannot assign to a value that is ${target.absent.replace(/^<|>$/g, '')}`);
    const lvalue = target.lvalue;
    if (!lvalue) throw new CExpressionError(target.readOnly ? `cannot assign: ${target.readOnly}` : 'cannot assign to a value that is not an lvalue');
    const t = this.complete(target.type);
    if (!isScalarType(t)) throw new CExpressionError(`cannot assign to a value of type '${typeName(target.type)}' (only numbers, enums and pointers)`);
    if (resolveType(t).kind === 'base' && sizeOf(t) > 8) throw new CExpressionError(`cannot assign to '${typeName(target.type)}'`);
    const bytes = convertScalar(this.scalar(source), t);
    const context = this.context;
    switch (lvalue.kind) {
      case 'memory':
        if (!context.writeMemory(lvalue.address, bytes)) throw new CExpressionError(`cannot write memory at address 0x${lvalue.address.toString(16)}`);
        return { type: target.type, lvalue };
      case 'bitfield': {
        const span = Math.ceil((lvalue.bitOffset + lvalue.bitSize) / 8);
        const old = context.readMemory(lvalue.address, span);
        if (!old || old.length < span) throw new CExpressionError(`cannot access memory at address 0x${lvalue.address.toString(16)}`);
        const mask = ((1n << BigInt(lvalue.bitSize)) - 1n) << BigInt(lvalue.bitOffset);
        const field = (bytesToBigInt(bytes) << BigInt(lvalue.bitOffset)) & mask;
        const merged = (bytesToBigInt(old, 0, span) & ~mask) | field;
        if (!context.writeMemory(lvalue.address, bigIntToBytes(merged, span))) throw new CExpressionError(`cannot write memory at address 0x${lvalue.address.toString(16)}`);
        return this.evaluateBitfield(target.type, lvalue, field >> BigInt(lvalue.bitOffset));
      }
      case 'register': {
        const raw = bytesToBigInt(bytes);
        const value = registerImage(raw, bytes.length, t, lvalue.floating, this.builtins.addressSize);
        if (!context.writeRegister(lvalue.name, value)) throw new CExpressionError(`cannot write register ${lvalue.name}`);
        return { type: target.type, lvalue, bytes };
      }
    }
  }

  private evaluateBitfield(type: Type, lvalue: Extract<Lvalue, { kind: 'bitfield' }>, raw: bigint): Value {
    const scalar = scalarOf(type, bigIntToBytes(raw, sizeOf(type)));
    const value = scalar?.kind === 'integer' && scalar.signed ? BigInt.asIntN(lvalue.bitSize, raw) : raw;
    return { type, lvalue, bytes: bigIntToBytes(value, sizeOf(type)) };
  }
}

/**
 * The register image of a value narrower than the register: the psABI keeps 32-bit integers
 * sign-extended in RV64 registers (even unsigned ones), narrower ones extended by their type,
 * and a float in an f register NaN-boxed (unprivileged spec 13.2).
 */
function registerImage(raw: bigint, size: number, type: Type, floating: boolean, xlenBytes: number): bigint {
  if (floating) return size === 4 ? raw | 0xffffffff_00000000n : raw;
  if (size >= xlenBytes) return raw;
  const bits = size * 8;
  const scalar = scalarOf(type, bigIntToBytes(raw, size));
  const signed = size === 4 || (scalar?.kind === 'integer' && scalar.signed);
  return BigInt.asUintN(xlenBytes * 8, signed ? BigInt.asIntN(bits, raw) : raw);
}

function notAssignable(object: Value): string | undefined {
  return object.absent ? undefined : 'the value is not in memory';
}

/** An array's element type: the next dimension for a multi-dimensional one. */
function elementOf(type: Extract<Type, { kind: 'array' }>): Type {
  return type.counts.length > 1 ? { kind: 'array', element: type.element, counts: type.counts.slice(1) } : type.element;
}

/** A member by name, also inside anonymous struct and union members (C11 6.7.2.1p13). */
function findMember(members: readonly Member[], name: string, base: number): { member: Member; offset: number } | undefined {
  for (const member of members) {
    if (member.name === name) return { member, offset: base + member.offset };
  }
  for (const member of members) {
    if (member.name !== undefined) continue;
    const inner = resolveType(member.type);
    if (inner.kind !== 'struct' && inner.kind !== 'union') continue;
    const found = findMember(inner.members, name, base + member.offset);
    if (found) return found;
  }
  return undefined;
}
