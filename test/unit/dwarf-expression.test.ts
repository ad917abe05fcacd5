// The DWARF expression evaluator, one operation at a time (DWARF 5 section 2.5/2.6), over a
// small frame: registers x0-x31 = 0x1000 + n (x2 = sp, a0 = x10), memory a byte pattern.
import { describe, expect, it } from 'vitest';
import { OP } from '../../server/src/debug/dwarf/constants';
import { disassembleExpression, evaluateLocation, evaluateValue, readLocation, type ExpressionContext } from '../../server/src/debug/dwarf/expression';

const uleb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
};
const sleb = (value: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};

/** Memory: the byte at address a is (a & 0xff); nothing above 0x10000. */
function context(addressSize: 4 | 8 = 8, extra: Partial<ExpressionContext> = {}): ExpressionContext {
  return {
    addressSize,
    readRegister: (n) => (n < 64 ? 0x1000n + BigInt(n) : undefined),
    readMemory: (address, size) => (address + BigInt(size) > 0x10000n ? undefined : Uint8Array.from({ length: size }, (_, i) => Number((address + BigInt(i)) & 0xffn))),
    ...extra,
  };
}

/** The value an expression leaves (with stack_value appended). */
function value(ops: number[], ctx = context()): bigint | undefined {
  const location = evaluateLocation(Uint8Array.from([...ops, OP.stack_value]), ctx);
  return location.kind === 'value' ? location.value : undefined;
}

const M64 = (1n << 64n) - 1n;

describe('DWARF expression evaluator', () => {
  it('pushes literals and constants of every width and sign', () => {
    expect(value([OP.lit0])).toBe(0n);
    expect(value([OP.lit31])).toBe(31n);
    expect(value([OP.const1u, 0xff])).toBe(255n);
    expect(value([OP.const1s, 0xff])).toBe(M64); // -1
    expect(value([OP.const2u, 0x34, 0x12])).toBe(0x1234n);
    expect(value([OP.const2s, 0xfe, 0xff])).toBe(M64 - 1n);
    expect(value([OP.const4u, 0x78, 0x56, 0x34, 0x12])).toBe(0x12345678n);
    expect(value([OP.const4s, 0xff, 0xff, 0xff, 0xff])).toBe(M64);
    expect(value([OP.const8u, 1, 2, 3, 4, 5, 6, 7, 8])).toBe(0x0807060504030201n);
    expect(value([OP.const8s, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(M64);
    expect(value([OP.constu, ...uleb(624485)])).toBe(624485n);
    expect(value([OP.consts, ...sleb(-123456)])).toBe(M64 + 1n - 123456n);
    expect(value([OP.addr, 0x00, 0x10, 0, 0x80, 0, 0, 0, 0])).toBe(0x80001000n);
    expect(value([OP.addr, 0x00, 0x10, 0, 0x80], context(4))).toBe(0x80001000n);
    expect(value([OP.const1s, 0xff], context(4))).toBe(0xffffffffn); // the generic type is 32 bits on RV32
  });

  it('manipulates the stack: dup, drop, over, pick, swap, rot', () => {
    expect(value([(OP.lit0 + 1), OP.dup, OP.plus])).toBe(2n);
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), OP.drop])).toBe(1n);
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), OP.over, OP.minus, OP.plus])).toBe(2n); // 1, (2 - 1)
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), (OP.lit0 + 3), OP.pick, 2])).toBe(1n);
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), (OP.lit0 + 3), OP.pick, 0])).toBe(3n);
    expect(value([(OP.lit0 + 5), (OP.lit0 + 2), OP.swap, OP.minus])).toBe(M64 - 2n); // 2 - 5
    // rot: [1 2 3] → [3 1 2]: the top becomes third.
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), (OP.lit0 + 3), OP.rot])).toBe(2n);
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), (OP.lit0 + 3), OP.rot, OP.drop])).toBe(1n);
    expect(value([(OP.lit0 + 1), (OP.lit0 + 2), (OP.lit0 + 3), OP.rot, OP.drop, OP.drop])).toBe(3n);
    expect(evaluateLocation(Uint8Array.of(OP.drop), context())).toMatchObject({ kind: 'unavailable' });
  });

  it('does arithmetic and logic on the address-sized generic type', () => {
    const two = (a: number, b: number, op: number) => value([OP.constu, ...uleb(a), OP.constu, ...uleb(b), op]);
    expect(two(7, 5, OP.plus)).toBe(12n);
    expect(two(5, 7, OP.minus)).toBe(M64 - 1n);
    expect(two(6, 7, OP.mul)).toBe(42n);
    expect(value([(OP.lit0 + 7), (OP.lit0 + 2), OP.div])).toBe(3n);
    expect(value([OP.const1s, 0xf9, (OP.lit0 + 2), OP.div])).toBe(M64 - 2n); // -7 / 2 = -3: signed
    expect(two(7, 4, OP.mod)).toBe(3n);
    expect(two(0b1100, 0b1010, OP.and)).toBe(0b1000n);
    expect(two(0b1100, 0b1010, OP.or)).toBe(0b1110n);
    expect(two(0b1100, 0b1010, OP.xor)).toBe(0b0110n);
    expect(value([OP.lit0, OP.not])).toBe(M64);
    expect(value([(OP.lit0 + 5), OP.neg])).toBe(M64 - 4n);
    expect(value([OP.const1s, 0xfb, OP.abs])).toBe(5n);
    expect(value([(OP.lit0 + 1), OP.plus_uconst, ...uleb(300)])).toBe(301n);
    expect(two(3, 4, OP.shl)).toBe(48n);
    expect(value([OP.const1s, 0xf0, (OP.lit0 + 4), OP.shr])).toBe(M64 >> 4n);
    expect(value([OP.const1s, 0xf0, (OP.lit0 + 4), OP.shra])).toBe(M64); // -16 >> 4 = -1
    expect(evaluateLocation(Uint8Array.of((OP.lit0 + 1), OP.lit0, OP.div, OP.stack_value), context())).toMatchObject({ kind: 'unavailable' });
  });

  it('compares signed values and branches', () => {
    const cmp = (a: number, b: number, op: number) => value([OP.consts, ...sleb(a), OP.consts, ...sleb(b), op]);
    expect([cmp(1, 2, OP.lt), cmp(2, 1, OP.lt), cmp(-1, 1, OP.lt)]).toEqual([1n, 0n, 1n]);
    expect([cmp(2, 2, OP.le), cmp(3, 2, OP.le)]).toEqual([1n, 0n]);
    expect([cmp(3, 2, OP.gt), cmp(-3, 2, OP.gt)]).toEqual([1n, 0n]);
    expect([cmp(2, 2, OP.ge), cmp(1, 2, OP.ge)]).toEqual([1n, 0n]);
    expect([cmp(2, 2, OP.eq), cmp(1, 2, OP.eq)]).toEqual([1n, 0n]);
    expect([cmp(2, 2, OP.ne), cmp(1, 2, OP.ne)]).toEqual([0n, 1n]);
    // skip over a lit1; bra taken on non-zero, not on zero.
    expect(value([(OP.lit0 + 2), OP.skip, 1, 0, (OP.lit0 + 1)])).toBe(2n);
    expect(value([(OP.lit0 + 1), OP.bra, 4, 0, (OP.lit0 + 3), OP.skip, 1, 0, (OP.lit0 + 4)])).toBe(4n);
    expect(value([OP.lit0, OP.bra, 4, 0, (OP.lit0 + 3), OP.skip, 1, 0, (OP.lit0 + 4)])).toBe(3n);
    // A loop: count 5 down to 0 (skip backwards).
    expect(value([(OP.lit0 + 5), OP.dup, OP.bra, 3, 0, OP.skip, 5, 0, (OP.lit0 + 1), OP.minus, OP.skip, 0xf4, 0xff])).toBe(0n);
  });

  it('reads registers and memory: breg, bregx, deref, deref_size, fbreg, call_frame_cfa', () => {
    expect(value([OP.breg0 + 2, ...sleb(-16)])).toBe(0x1002n - 16n);
    expect(value([OP.bregx, ...uleb(40), ...sleb(8)])).toBe(0x1000n + 40n + 8n);
    expect(value([(OP.lit0 + 8), OP.deref])).toBe(0x0f0e0d0c0b0a0908n);
    expect(value([(OP.lit0 + 8), OP.deref], context(4))).toBe(0x0b0a0908n);
    expect(value([(OP.lit0 + 8), OP.deref_size, 2])).toBe(0x0908n);
    const frame = context(8, { frameBase: () => 0x2000n, cfa: () => 0x3000n });
    expect(evaluateLocation(Uint8Array.of(OP.fbreg, ...sleb(-40)), frame)).toEqual({ kind: 'memory', address: 0x2000n - 40n });
    expect(evaluateLocation(Uint8Array.of(OP.call_frame_cfa), frame)).toEqual({ kind: 'memory', address: 0x3000n });
    expect(evaluateLocation(Uint8Array.of(OP.fbreg, 0), context())).toMatchObject({ kind: 'unavailable' });
    expect(evaluateLocation(Uint8Array.of(OP.call_frame_cfa), context())).toMatchObject({ kind: 'unavailable' });
    expect(evaluateLocation(Uint8Array.of(OP.constu, ...uleb(0x20000), OP.deref), context())).toMatchObject({ kind: 'unavailable' });
    expect(evaluateLocation(Uint8Array.of(OP.bregx, ...uleb(99), 0), context())).toMatchObject({ kind: 'unavailable' });
  });

  it('describes register, memory, stack and implicit values, and reads their bytes', () => {
    const ctx = context();
    expect(evaluateLocation(Uint8Array.of(OP.reg0 + 10), ctx)).toEqual({ kind: 'register', register: 10 });
    expect(evaluateLocation(Uint8Array.of(OP.regx, ...uleb(42)), ctx)).toEqual({ kind: 'register', register: 42 });
    expect(evaluateLocation(Uint8Array.of(OP.addr, 0x10, 0, 0, 0, 0, 0, 0, 0), ctx)).toEqual({ kind: 'memory', address: 0x10n });
    expect(evaluateLocation(Uint8Array.of(OP.implicit_value, 2, 0xaa, 0xbb), ctx)).toEqual({ kind: 'implicit', bytes: Uint8Array.of(0xaa, 0xbb) });
    expect(readLocation({ kind: 'register', register: 10 }, 4, ctx)).toEqual(Uint8Array.of(0x0a, 0x10, 0, 0));
    expect(readLocation({ kind: 'memory', address: 0x10n }, 2, ctx)).toEqual(Uint8Array.of(0x10, 0x11));
    expect(readLocation({ kind: 'value', value: 0x1234n }, 2, ctx)).toEqual(Uint8Array.of(0x34, 0x12));
    expect(readLocation({ kind: 'optimized-out' }, 2, ctx)).toBeUndefined();
    // An empty expression: the object exists but has no location (optimized out).
    expect(evaluateLocation(new Uint8Array(0), ctx)).toEqual({ kind: 'optimized-out' });
    // A register location must end the expression or come before a piece.
    expect(evaluateLocation(Uint8Array.of(OP.reg0 + 10, (OP.lit0 + 1)), ctx)).toMatchObject({ kind: 'unavailable' });
    expect(evaluateValue(Uint8Array.of(OP.reg0 + 10), ctx)).toBe(0x100an);
  });

  it('assembles pieces and bit pieces, with missing parts optimized out', () => {
    const ctx = context();
    // A 16-byte struct: 8 bytes in a0, then 4 in a1, then 4 optimized out.
    const location = evaluateLocation(Uint8Array.of(OP.reg0 + 10, OP.piece, 8, OP.reg0 + 11, OP.piece, 4, OP.piece, 4), ctx);
    expect(location).toEqual({
      kind: 'composite', pieces: [
        { location: { kind: 'register', register: 10 }, sizeBits: 64, offsetBits: 0 },
        { location: { kind: 'register', register: 11 }, sizeBits: 32, offsetBits: 0 },
        { location: { kind: 'optimized-out' }, sizeBits: 32, offsetBits: 0 },
      ],
    });
    expect(readLocation(location, 16, ctx)).toBeUndefined();
    const whole = evaluateLocation(Uint8Array.of((OP.lit0 + 5), OP.stack_value, OP.piece, 4, (OP.lit0 + 8), OP.piece, 2), ctx);
    expect(readLocation(whole, 6, ctx)).toEqual(Uint8Array.of(5, 0, 0, 0, 8, 9));
    // bit_piece: 4 bits from bit 4 of a0 (0x100a → 0x0), then 4 bits of the value 0xf.
    const bits = evaluateLocation(Uint8Array.of(OP.reg0 + 10, OP.bit_piece, 4, 4, (OP.lit0 + 15), OP.stack_value, OP.bit_piece, 4, 0), ctx);
    expect(readLocation(bits, 1, ctx)).toEqual(Uint8Array.of(0xf0));
  });

  it('evaluates entry values through the callback, else reports them optimized out', () => {
    const expression = Uint8Array.of(OP.entry_value, 1, OP.reg0 + 10, (OP.lit0 + 1), OP.plus, OP.stack_value);
    expect(evaluateLocation(expression, context())).toEqual({ kind: 'optimized-out' });
    const seen: number[][] = [];
    const ctx = context(8, { entryValue: (inner) => (seen.push([...inner]), 41n) });
    expect(evaluateLocation(expression, ctx)).toEqual({ kind: 'value', value: 42n });
    expect(seen).toEqual([[OP.reg0 + 10]]);
    expect(evaluateLocation(Uint8Array.of(OP.GNU_entry_value, 1, OP.reg0 + 11, OP.stack_value), ctx)).toEqual({ kind: 'value', value: 41n });
    expect(evaluateLocation(Uint8Array.of(OP.GNU_parameter_ref, 0x10, 0, 0, 0, OP.stack_value), ctx)).toEqual({ kind: 'optimized-out' });
    // convert keeps the generic value (simplistic: the base type is not applied).
    expect(value([(OP.lit0 + 3), OP.convert, 0x2a])).toBe(3n);
    expect(value([(OP.lit0 + 3), OP.GNU_convert, 0x2a, OP.nop])).toBe(3n);
  });

  it('prints expressions as readelf does', () => {
    expect(disassembleExpression(Uint8Array.of(OP.breg0 + 14, 0, OP.entry_value, 1, OP.reg0 + 10, OP.minus, (OP.lit0 + 3), OP.shr, OP.plus_uconst, 1, OP.stack_value), 8))
      .toBe('DW_OP_breg14 (a4): 0; DW_OP_entry_value: (DW_OP_reg10 (a0)); DW_OP_minus; DW_OP_lit3; DW_OP_shr; DW_OP_plus_uconst: 1; DW_OP_stack_value');
    expect(disassembleExpression(Uint8Array.of(OP.fbreg, ...sleb(-40), OP.regx, 42, OP.piece, 4), 8)).toBe('DW_OP_fbreg: -40; DW_OP_regx: 42 (fa0); DW_OP_piece: 4');
  });
});
