// The core's decoder against the instruction table: every encoding the table calls RV64IMAC
// (+Zifencei, Zihintpause, Zba, Zbb, Zbc, Zbs, privileged) must execute, and every other word must raise
// illegal instruction with the word as mtval; and the same at XLEN 32 (-cpu rv32) against the
// table's RV32 rows.
import { describe, it, expect } from 'vitest';
import { Core } from '../../server/src/machine/core';
import { decode, existsAt, instructionTable, type InstructionEntry } from '../../server/src/debug/instruction-table';
import { xorshift32 } from '../support/random';

const RAM_BASE = 0x80000000n;
const HANDLER = RAM_BASE + 0x1000n;
const DATA = RAM_BASE + 0x2000n;
const CAUSE_ILLEGAL = 2n;
const IMPLEMENTED = new Set(['I', 'M', 'A', 'C', 'Zifencei', 'Zihintpause', 'Zba', 'Zbb', 'Zbc', 'Zbs', 'privileged']);

const noDevices = { read: () => undefined, write: () => 'fault' as const };

/** Runs `word` as the first instruction in M-mode; returns mcause if it trapped, else undefined. */
function runOne(core: Core, word: number, length: 2 | 4): { trapped: boolean; cause: bigint; tval: bigint } {
  core.reset();
  core.writeCsr(0x305, HANDLER);
  for (let r = 1; r < 32; r++) core.setX(r, DATA);
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, length === 2 ? word & 0xffff : word >>> 0, true);
  core.writePhysical(RAM_BASE, bytes);
  core.pc = RAM_BASE;
  core.writeCsr(0x342, 0xdeadn);
  core.run(1);
  const cause = core.readCsr(0x342)!;
  const trapped = cause !== 0xdeadn;
  return { trapped, cause, tval: core.readCsr(0x343)! };
}

/** Whether the core must execute `word` (M-mode, no F/D yet). CSR rows are left to the CSR tests. */
function expectedLegal(entry: InstructionEntry | undefined): boolean {
  if (!entry) return false;
  if (entry.floatOperands.length > 0) return false;
  return IMPLEMENTED.has(entry.extension);
}

/** A deterministic xorshift generator so failures reproduce. */
function* randomWords(seed: number, count: number): Generator<number> {
  const next = xorshift32(seed);
  for (let i = 0; i < count; i++) yield next();
}

describe('core decoder agrees with the instruction table', () => {
  const core = new Core(1 << 20, noDevices);

  it('executes a sample of every implemented table row', () => {
    let checked = 0;
    for (const entry of instructionTable) {
      if (entry.extension === 'Zicsr' || !expectedLegal(entry) || !existsAt(entry, 64)) continue;
      // The row's match with random don't-care bits, skipping its excluded encodings.
      let samples = 0;
      for (const r of randomWords(entry.match ^ 0x9e3779b9, 400)) {
        const word = ((r & ~entry.mask) | entry.match) >>> 0;
        if (decode(word) !== entry) continue;
        const result = runOne(core, word, entry.length);
        expect(result.trapped && result.cause === CAUSE_ILLEGAL, `${entry.name} 0x${word.toString(16)} raised illegal`).toBe(false);
        if (++samples === 16) break;
      }
      expect(samples, `no usable sample for ${entry.name}`).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(120);
  });

  it('raises illegal instruction, tval = the bits, for every halfword the table does not implement', () => {
    let illegal = 0;
    for (let half = 0; half < 0x10000; half++) {
      if ((half & 3) === 3) continue;
      const entry = decode(half);
      const result = runOne(core, half, 2);
      const isIllegal = result.trapped && result.cause === CAUSE_ILLEGAL;
      if (expectedLegal(entry) === isIllegal) {
        throw new Error(`halfword 0x${half.toString(16)} (${entry?.name ?? 'no row'}): core ${isIllegal ? 'raised' : 'did not raise'} illegal instruction`);
      }
      if (isIllegal) {
        expect(result.tval).toBe(BigInt(half));
        illegal++;
      }
    }
    expect(illegal).toBeGreaterThan(4000);
  });

  it('agrees on every funct3 and bits 31:20 of OP-IMM, OP-IMM-32, OP and OP-32 (where B lives)', () => {
    let compared = 0;
    for (const opcode of [0x13, 0x1b, 0x33, 0x3b]) {
      for (let f3 = 0; f3 < 8; f3++) {
        for (let high = 0; high < 0x1000; high++) {
          // rd = a0, rs1 = a1; bits 31:20 cover funct7 and rs2 (or funct12, shamt, imm).
          const word = ((high << 20) | (11 << 15) | (f3 << 12) | (10 << 7) | opcode) >>> 0;
          const entry = decode(word);
          const result = runOne(core, word, 4);
          const isIllegal = result.trapped && result.cause === CAUSE_ILLEGAL;
          if (expectedLegal(entry) === isIllegal) {
            throw new Error(`word 0x${word.toString(16)} (${entry?.name ?? 'no row'}): core ${isIllegal ? 'raised' : 'did not raise'} illegal instruction`);
          }
          if (isIllegal) expect(result.tval).toBe(BigInt(word));
          compared++;
        }
      }
    }
    expect(compared).toBe(4 * 8 * 0x1000);
  });

  it('agrees on 200,000 random 32-bit words (CSR instructions aside)', () => {
    let compared = 0;
    for (const r of randomWords(12345, 200_000)) {
      const word = (r | 3) >>> 0;
      const entry = decode(word);
      if (entry?.extension === 'Zicsr') continue;
      const result = runOne(core, word, 4);
      const isIllegal = result.trapped && result.cause === CAUSE_ILLEGAL;
      if (expectedLegal(entry) === isIllegal) {
        throw new Error(`word 0x${word.toString(16)} (${entry?.name ?? 'no row'}): core ${isIllegal ? 'raised' : 'did not raise'} illegal instruction`);
      }
      if (isIllegal) expect(result.tval).toBe(BigInt(word));
      compared++;
    }
    expect(compared).toBeGreaterThan(190_000);
  });
});

describe('core decoder at XLEN 32 agrees with the instruction table\'s RV32 rows', () => {
  const core = new Core(1 << 20, noDevices, { xlen: 32 });

  /** Compares the core with decode(word, 32) for each word; throws at the first disagreement. */
  function agree(word: number, length: 2 | 4): boolean {
    const entry = decode(word, 32);
    const result = runOne(core, word, length);
    const isIllegal = result.trapped && result.cause === CAUSE_ILLEGAL;
    if (expectedLegal(entry) === isIllegal) {
      throw new Error(`RV32 word 0x${(word >>> 0).toString(16)} (${entry?.name ?? 'no row'}): core ${isIllegal ? 'raised' : 'did not raise'} illegal instruction`);
    }
    if (isIllegal) expect(result.tval).toBe(BigInt(length === 2 ? word & 0xffff : word >>> 0));
    return isIllegal;
  }

  it('reads misa.MXL = 1', () => {
    expect(core.readCsr(0x301)! >> 30n).toBe(1n);
  });

  it('executes a sample of every implemented RV32 row', () => {
    let checked = 0;
    for (const entry of instructionTable) {
      if (entry.extension === 'Zicsr' || !expectedLegal(entry) || !existsAt(entry, 32)) continue;
      let samples = 0;
      for (const r of randomWords(entry.match ^ 0x7f4a7c15, 400)) {
        const word = ((r & ~entry.mask) | entry.match) >>> 0;
        if (decode(word, 32) !== entry) continue;
        agree(word, entry.length);
        if (++samples === 16) break;
      }
      expect(samples, `no usable sample for ${entry.name}`).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(90);
  });

  it('raises illegal instruction, tval = the bits, for every halfword RV32C does not have', () => {
    let illegal = 0;
    for (let half = 0; half < 0x10000; half++) {
      if ((half & 3) === 3) continue;
      if (agree(half, 2)) illegal++;
    }
    // More than RV64C: the shifts with shamt[5] = 1, c.subw/c.addw, and c.flw/c.fsw/c.flwsp/c.fswsp
    // (FS is Off here) where RV64 has c.ld/c.sd/c.ldsp/c.sdsp.
    expect(illegal).toBeGreaterThan(10000);
  });

  it('agrees on every funct3 and bits 31:20 of OP-IMM, OP-IMM-32, OP and OP-32', () => {
    let compared = 0;
    for (const opcode of [0x13, 0x1b, 0x33, 0x3b]) {
      for (let f3 = 0; f3 < 8; f3++) {
        for (let high = 0; high < 0x1000; high++) {
          agree(((high << 20) | (11 << 15) | (f3 << 12) | (10 << 7) | opcode) >>> 0, 4);
          compared++;
        }
      }
    }
    expect(compared).toBe(4 * 8 * 0x1000);
  });

  it('agrees on 100,000 random 32-bit words (CSR instructions aside)', () => {
    let compared = 0;
    for (const r of randomWords(54321, 100_000)) {
      const word = (r | 3) >>> 0;
      if (decode(word, 32)?.extension === 'Zicsr') continue;
      agree(word, 4);
      compared++;
    }
    expect(compared).toBeGreaterThan(95_000);
  });
});
