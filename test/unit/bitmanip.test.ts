// Zba, Zbb, Zbc and Zbs on the real core against a BigInt model of each instruction written
// from the Bit-Manipulation 1.0.0 definitions (chapter 2): edge operands, every shift amount,
// and thousands of seeded random operands per instruction; plus pause (Zihintpause) as a no-op.
import { describe, expect, it } from 'vitest';
import { Core } from '../../server/src/machine/core';
import { decode, existsAt, instructionTable } from '../../server/src/debug/instruction-table';
import { reg } from './guest-image';

const BASE = 0x8000_0000n;
const MASK64 = (1n << 64n) - 1n;
const noDevices = { read: () => undefined, write: () => 'fault' as const };

// ---- encoders (field layouts of the spec's R and I formats) ---------------------------------

const OP = 0x33;
const OP_32 = 0x3b;
const OP_IMM = 0x13;
const OP_IMM_32 = 0x1b;

/** R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode. */
const rType = (opcode: number, f3: number, f7: number) => (rd: number, rs1: number, rs2: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
/** Unary: a fixed funct12 in bits 31:20 (clz, rev8, ...). */
const unary = (opcode: number, f3: number, f12: number) => (rd: number, rs1: number) =>
  ((f12 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
/** Shift-immediate: funct6 | shamt[5:0] (or funct7 | shamt[4:0] for the word forms). */
const shiftImm = (opcode: number, f3: number, f6: number, shamtBits: 5 | 6) => (rd: number, rs1: number, shamt: number) =>
  ((f6 << 26) | ((shamt & ((1 << shamtBits) - 1)) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;

// ---- the BigInt model -----------------------------------------------------------------------

const u64 = (v: bigint) => v & MASK64;
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const zext32 = (v: bigint) => v & 0xffff_ffffn;
const sext32 = (v: bigint) => BigInt.asUintN(64, BigInt.asIntN(32, v));
const bit = (v: bigint, i: number | bigint) => (v >> BigInt(i)) & 1n;

function countLeadingZeros(v: bigint, width: number): bigint {
  let n = 0n;
  for (let i = width - 1; i >= 0 && bit(v, i) === 0n; i--) n++;
  return n;
}
function countTrailingZeros(v: bigint, width: number): bigint {
  let n = 0n;
  for (let i = 0; i < width && bit(v, i) === 0n; i++) n++;
  return n;
}
function populationCount(v: bigint, width: number): bigint {
  let n = 0n;
  for (let i = 0; i < width; i++) n += bit(v, i);
  return n;
}
function rotateLeft(v: bigint, amount: bigint, width: bigint): bigint {
  const m = (1n << width) - 1n;
  const s = amount % width;
  v &= m;
  return ((v << s) | (v >> ((width - s) % width))) & m;
}
const rotateRight = (v: bigint, amount: bigint, width: bigint) => rotateLeft(v, (width - (amount % width)) % width, width);
/** The full 128-bit carry-less product, straight from the definition (XOR of shifted copies). */
function carrylessProduct(a: bigint, b: bigint): bigint {
  let p = 0n;
  for (let i = 0n; i < 64n; i++) if (bit(b, i)) p ^= a << i;
  return p;
}
function bytesOf(v: bigint): bigint[] {
  return Array.from({ length: 8 }, (_, k) => (v >> BigInt(8 * k)) & 0xffn);
}
function fromBytes(bytes: bigint[]): bigint {
  return bytes.reduce((acc, byte, k) => acc | (byte << BigInt(8 * k)), 0n);
}

type Binary = { kind: 'binary'; encode: (rd: number, rs1: number, rs2: number) => number; model: (a: bigint, b: bigint) => bigint };
type Unary = { kind: 'unary'; encode: (rd: number, rs1: number) => number; model: (a: bigint) => bigint };
type Immediate = {
  kind: 'immediate'; shamtBits: 5 | 6;
  encode: (rd: number, rs1: number, shamt: number) => number; model: (a: bigint, shamt: bigint) => bigint;
};
type Spec = Binary | Unary | Immediate;

const binary = (encode: Binary['encode'], model: Binary['model']): Binary => ({ kind: 'binary', encode, model });
const unaryOp = (encode: Unary['encode'], model: Unary['model']): Unary => ({ kind: 'unary', encode, model });
const immediate = (encode: Immediate['encode'], shamtBits: 5 | 6, model: Immediate['model']): Immediate =>
  ({ kind: 'immediate', shamtBits, encode, model });

const SPECS: Record<string, Spec> = {
  // Zba (section 2.1)
  'add.uw': binary(rType(OP_32, 0, 0x04), (a, b) => u64(b + zext32(a))),
  'sh1add': binary(rType(OP, 2, 0x10), (a, b) => u64(b + (a << 1n))),
  'sh2add': binary(rType(OP, 4, 0x10), (a, b) => u64(b + (a << 2n))),
  'sh3add': binary(rType(OP, 6, 0x10), (a, b) => u64(b + (a << 3n))),
  'sh1add.uw': binary(rType(OP_32, 2, 0x10), (a, b) => u64(b + (zext32(a) << 1n))),
  'sh2add.uw': binary(rType(OP_32, 4, 0x10), (a, b) => u64(b + (zext32(a) << 2n))),
  'sh3add.uw': binary(rType(OP_32, 6, 0x10), (a, b) => u64(b + (zext32(a) << 3n))),
  'slli.uw': immediate(shiftImm(OP_IMM_32, 1, 0x02, 6), 6, (a, s) => u64(zext32(a) << s)),
  // Zbb (section 2.2)
  'andn': binary(rType(OP, 7, 0x20), (a, b) => a & u64(~b)),
  'orn': binary(rType(OP, 6, 0x20), (a, b) => a | u64(~b)),
  'xnor': binary(rType(OP, 4, 0x20), (a, b) => u64(~(a ^ b))),
  'clz': unaryOp(unary(OP_IMM, 1, 0x600), (a) => countLeadingZeros(a, 64)),
  'clzw': unaryOp(unary(OP_IMM_32, 1, 0x600), (a) => countLeadingZeros(zext32(a), 32)),
  'ctz': unaryOp(unary(OP_IMM, 1, 0x601), (a) => countTrailingZeros(a, 64)),
  'ctzw': unaryOp(unary(OP_IMM_32, 1, 0x601), (a) => countTrailingZeros(a, 32)),
  'cpop': unaryOp(unary(OP_IMM, 1, 0x602), (a) => populationCount(a, 64)),
  'cpopw': unaryOp(unary(OP_IMM_32, 1, 0x602), (a) => populationCount(a, 32)),
  'max': binary(rType(OP, 6, 0x05), (a, b) => (s64(a) > s64(b) ? a : b)),
  'maxu': binary(rType(OP, 7, 0x05), (a, b) => (a > b ? a : b)),
  'min': binary(rType(OP, 4, 0x05), (a, b) => (s64(a) < s64(b) ? a : b)),
  'minu': binary(rType(OP, 5, 0x05), (a, b) => (a < b ? a : b)),
  'sext.b': unaryOp(unary(OP_IMM, 1, 0x604), (a) => BigInt.asUintN(64, BigInt.asIntN(8, a))),
  'sext.h': unaryOp(unary(OP_IMM, 1, 0x605), (a) => BigInt.asUintN(64, BigInt.asIntN(16, a))),
  'zext.h': unaryOp(unary(OP_32, 4, 0x080), (a) => a & 0xffffn),
  'rol': binary(rType(OP, 1, 0x30), (a, b) => rotateLeft(a, b & 63n, 64n)),
  'rolw': binary(rType(OP_32, 1, 0x30), (a, b) => sext32(rotateLeft(a, b & 31n, 32n))),
  'ror': binary(rType(OP, 5, 0x30), (a, b) => rotateRight(a, b & 63n, 64n)),
  'rori': immediate(shiftImm(OP_IMM, 5, 0x18, 6), 6, (a, s) => rotateRight(a, s, 64n)),
  'roriw': immediate(shiftImm(OP_IMM_32, 5, 0x30 >> 1, 5), 5, (a, s) => sext32(rotateRight(a, s, 32n))),
  'rorw': binary(rType(OP_32, 5, 0x30), (a, b) => sext32(rotateRight(a, b & 31n, 32n))),
  'orc.b': unaryOp(unary(OP_IMM, 5, 0x287), (a) => fromBytes(bytesOf(a).map((byte) => (byte ? 0xffn : 0n)))),
  'rev8': unaryOp(unary(OP_IMM, 5, 0x6b8), (a) => fromBytes(bytesOf(a).reverse())),
  // Zbc (section 2.3): bits 63:0, 127:64 and 126:63 of the product
  'clmul': binary(rType(OP, 1, 0x05), (a, b) => u64(carrylessProduct(a, b))),
  'clmulh': binary(rType(OP, 3, 0x05), (a, b) => u64(carrylessProduct(a, b) >> 64n)),
  'clmulr': binary(rType(OP, 2, 0x05), (a, b) => u64(carrylessProduct(a, b) >> 63n)),
  // Zbs (section 2.4): the index is rs2 mod 64
  'bclr': binary(rType(OP, 1, 0x24), (a, b) => a & u64(~(1n << (b & 63n)))),
  'bclri': immediate(shiftImm(OP_IMM, 1, 0x12, 6), 6, (a, s) => a & u64(~(1n << s))),
  'bext': binary(rType(OP, 5, 0x24), (a, b) => bit(a, b & 63n)),
  'bexti': immediate(shiftImm(OP_IMM, 5, 0x12, 6), 6, (a, s) => bit(a, s)),
  'binv': binary(rType(OP, 1, 0x34), (a, b) => a ^ (1n << (b & 63n))),
  'binvi': immediate(shiftImm(OP_IMM, 1, 0x1a, 6), 6, (a, s) => a ^ (1n << s)),
  'bset': binary(rType(OP, 1, 0x14), (a, b) => a | (1n << (b & 63n))),
  'bseti': immediate(shiftImm(OP_IMM, 1, 0x0a, 6), 6, (a, s) => a | (1n << s)),
};

// ---- operands ---------------------------------------------------------------------------------

/** splitmix64, so every failure reproduces from its seed. */
function makeRandom(seed: bigint): () => bigint {
  let state = u64(seed);
  return () => {
    state = u64(state + 0x9e3779b97f4a7c15n);
    let z = state;
    z = u64((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = u64((z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

const EDGES: bigint[] = [
  0n, 1n, 2n, MASK64, MASK64 - 1n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n,
  0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffff_8000_0000n, 0xffff_ffff_0000_0000n,
  1n << 31n, 1n << 32n, 1n << 63n, 0x80n, 0xffn, 0x8000n, 0xffffn, 0x0101_0101_0101_0101n,
  0x8080_8080_8080_8080n, 0x00ff_00ff_00ff_00ffn, 0x0123_4567_89ab_cdefn, 31n, 32n, 63n, 64n,
];

/** Mixed random operands: uniform, sparse (few bits), dense (few zeros), and narrow. */
function operand(random: () => bigint): bigint {
  const r = random();
  switch (Number(r & 7n)) {
    case 0: return random() & random() & random(); // sparse
    case 1: return random() | random() | random(); // dense
    case 2: return random() & 0xffff_ffffn; // 32-bit
    case 3: return sext32(random()); // sign-extended word
    case 4: return EDGES[Number(random() % BigInt(EDGES.length))] ^ (1n << (random() & 63n)); // edge with a bit flipped
    default: return random();
  }
}

// ---- running on the core --------------------------------------------------------------------

const core = new Core(1 << 20, noDevices);

/** Places `word` at BASE, and returns a runner that executes it once on the given registers. */
function loaded(word: number): (regs: Map<number, bigint>, rd: number) => bigint {
  core.reset();
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, word, true);
  core.writePhysical(BASE, bytes);
  core.writeCsr(0x305, BASE + 0x100n); // mtvec: somewhere else, so a trap shows in pc
  return (regs, rd) => {
    for (const [r, v] of regs) core.setX(r, v);
    core.pc = BASE;
    core.run(1);
    if (core.pc !== BASE + 4n) {
      throw new Error(`0x${word.toString(16)} trapped: mcause ${core.readCsr(0x342)}, mtval 0x${core.readCsr(0x343)!.toString(16)}`);
    }
    return core.getX(rd);
  };
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const RANDOM_CASES = 4000;

describe('bit-manipulation instructions against the BigInt model', () => {
  it('encoders agree with the instruction table', () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      const word = spec.kind === 'binary' ? spec.encode(10, 11, 12)
        : spec.kind === 'unary' ? spec.encode(10, 11) : spec.encode(10, 11, (1 << spec.shamtBits) - 1);
      expect(decode(word)?.name, name).toBe(name);
    }
    // ... and cover every Zba/Zbb/Zbc/Zbs row of it (the RV64 ones: the RV32 forms are test/isa/rv32's).
    const rows = instructionTable.filter((entry) => /^Zb[abcs]$/.test(entry.extension) && existsAt(entry, 64)).map((entry) => entry.name);
    expect(Object.keys(SPECS).sort()).toEqual(rows.sort());
  });

  for (const [name, spec] of Object.entries(SPECS)) {
    it(name, () => {
      const random = makeRandom(BigInt([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)));
      const { a1, a2, a0 } = reg;
      let checked = 0;
      const check = (actual: bigint, expected: bigint, what: string) => {
        if (actual !== expected) throw new Error(`${name} ${what}: core ${hex(actual)}, model ${hex(expected)}`);
        checked++;
      };

      if (spec.kind === 'binary') {
        const exec = loaded(spec.encode(a0, a1, a2));
        const pairs: [bigint, bigint][] = [];
        for (const a of EDGES) for (const b of EDGES) pairs.push([a, b]);
        for (let k = 0; k < RANDOM_CASES; k++) pairs.push([operand(random), operand(random)]);
        for (const [a, b] of pairs) {
          check(exec(new Map([[a1, a], [a2, b]]), a0), spec.model(a, b), `(${hex(a)}, ${hex(b)})`);
        }
        // rd = rs1 = rs2: the operands are read before rd is written.
        const same = loaded(spec.encode(a0, a0, a0));
        for (const a of EDGES) check(same(new Map([[a0, a]]), a0), spec.model(a, a), `(${hex(a)}, same register)`);
        // rd = x0 stays zero.
        const discard = loaded(spec.encode(0, a1, a2));
        check(discard(new Map([[a1, MASK64], [a2, 5n]]), 0), 0n, 'rd = x0');
      } else if (spec.kind === 'unary') {
        const exec = loaded(spec.encode(a0, a1));
        const values = [...EDGES];
        for (let k = 0; k < RANDOM_CASES; k++) values.push(operand(random));
        for (let i = 0; i < 64; i++) values.push(1n << BigInt(i), u64(~(1n << BigInt(i))), u64(MASK64 << BigInt(i)), MASK64 >> BigInt(i));
        for (const a of values) check(exec(new Map([[a1, a]]), a0), spec.model(a), `(${hex(a)})`);
        const discard = loaded(spec.encode(0, a1));
        check(discard(new Map([[a1, 0x1234n]]), 0), 0n, 'rd = x0');
      } else {
        // Every shift amount the encoding allows, on the edges and a share of random values.
        const perAmount = Math.ceil(RANDOM_CASES / (1 << spec.shamtBits));
        for (let shamt = 0; shamt < 1 << spec.shamtBits; shamt++) {
          const exec = loaded(spec.encode(a0, a1, shamt));
          const values = [...EDGES];
          for (let k = 0; k < perAmount; k++) values.push(operand(random));
          for (const a of values) {
            check(exec(new Map([[a1, a]]), a0), spec.model(a, BigInt(shamt)), `(${hex(a)}, shamt ${shamt})`);
          }
        }
      }
      expect(checked).toBeGreaterThan(RANDOM_CASES);
    });
  }

  it('pause (Zihintpause) retires as a no-op', () => {
    const pause = 0x0100000f;
    expect(decode(pause)?.name).toBe('pause');
    const exec = loaded(pause);
    const before = Array.from({ length: 32 }, (_, r) => core.getX(r));
    exec(new Map(), 0);
    expect(Array.from({ length: 32 }, (_, r) => core.getX(r))).toEqual(before);
  });
});
