/**
 * Checks the fuzz generator's safety rules on many sanitized random words, without any
 * emulator: whatever comes out must not be able to break the harness (write a reserved
 * register, address memory outside the scratch buffer, jump anywhere but forward inside
 * the segment, leave the mode, wait forever, or touch a harness-critical CSR).
 */
import { describe, expect, it } from 'vitest';
import { decodeBitmanip } from './bitmanip';
import { Csr, Mode } from './csrs';
import { Fs, writesFloatRegister, writesIntegerRegister } from './float';
import { SegmentGenerator } from './generate';
import { PAGE_VARIANTS, variantsFor } from './paging';
import { Prng } from './prng';
import { BITMANIP_PROFILE, FULL_PROFILE, INTEGER_PROFILE, type Item, type Profile, RESERVED, RV32_PROFILE } from './program';

const SCRATCH_POINTERS = new Set([2, 8, 9]);
const field = (w: number, hi: number, lo: number): number => (w >>> lo) & ((1 << (hi - lo + 1)) - 1);

/** CSRs random code must never change where it has the privilege to. */
const CRITICAL = new Set<number>([
  Csr.mstatus, Csr.misa, Csr.medeleg, Csr.mideleg, Csr.mie, Csr.mtvec, Csr.mcounteren, Csr.mip,
  Csr.pmpcfg0, Csr.pmpaddr0, Csr.mepc, Csr.sepc, Csr.sstatus, Csr.sie, Csr.stvec, Csr.satp, Csr.sip,
  Csr.scounteren, Csr.mcause, Csr.mtval, Csr.scause, Csr.stval,
]);
/** mstatus bits random code may flip: SIE, MIE, SPIE, MPIE, SPP, SUM, MXR. */
const SAFE_STATUS_BITS = (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7) | (1 << 8) | (1 << 18) | (1 << 19);
/** CSRs whose value depends on time or on the implementation: never read where legal. */
const UNREPEATABLE = new Set<number>([
  Csr.cycle, Csr.time, Csr.instret, Csr.hpmcounter3, 0xb00 /* mcycle */, 0xb02 /* minstret */, Csr.mip,
  Csr.misa, Csr.marchid, Csr.mimpid, Csr.mvendorid,
]);

/** RV32 only: mstatush and pmpcfg1 exist (harness-critical), and the high counter halves. */
const CRITICAL_32 = new Set<number>([...CRITICAL, Csr.mstatush, Csr.pmpcfg1]);
const UNREPEATABLE_32 = new Set<number>([...UNREPEATABLE, 0xc80, 0xc81, 0xc82, 0xc83, 0xb80, 0xb82]);

/** The c.addi16sp immediate (RVC quadrant 1, funct3 3, rd = sp). */
function addi16spImm(h: number): number {
  const imm = (field(h, 12, 12) << 9) | (field(h, 4, 3) << 7) | (field(h, 5, 5) << 6) | (field(h, 2, 2) << 5) |
    (field(h, 6, 6) << 4);
  return imm >= 512 ? imm - 1024 : imm;
}

function ok(condition: boolean, what: string): void {
  if (!condition) throw new Error(`unsafe: ${what}`);
}

const FLOAT_CSRS = new Set<number>([Csr.fflags, Csr.frm, Csr.fcsr]);

interface Segment {
  mode: Mode;
  profile: Profile;
  fs: Fs;
  floatQuiet: boolean;
}

function checkItem(it: Item, seg: Segment): void {
  const { mode } = seg;
  const rv32 = seg.profile.xlen === 32;
  const critical = rv32 ? CRITICAL_32 : CRITICAL;
  const unrepeatable = rv32 ? UNREPEATABLE_32 : UNREPEATABLE;
  const fsTracked = seg.fs === Fs.Initial || seg.fs === Fs.Clean;
  // Forward jumps are encoded at layout; any small even offset shows the encoding.
  const words = it.words.map((w) => (w.fixup ? { ...w, bits: w.fixup.encode(12) } : w));
  if (it.kind === 'c.addi16sp-pair') {
    // The one item allowed to move sp, and only there and back around one sp access.
    const [up, , down] = words;
    expect(words.length).toBe(3);
    for (const w of [up, down]) expect(w.bits & 0xef83).toBe(0x6101);
    expect(addi16spImm(up.bits) + addi16spImm(down.bits)).toBe(0);
    return;
  }
  if (it.kind === 'status-set' || it.kind === 'status-clear') {
    // lui t, hi; addi t, t, lo (or addi t, x0, lo); csrrs/csrrc rd, mstatus|sstatus, t
    const iImm = (w: number): number => (w | 0) >> 20;
    const mask = words.length === 3 ? ((words[0].bits >>> 12) << 12) + iImm(words[1].bits) : iImm(words[0].bits);
    expect(mask & ~SAFE_STATUS_BITS).toBe(0);
    if (fsTracked) expect(field(words[words.length - 1].bits, 11, 7)).toBe(0); // FS unread
    return;
  }
  if (it.kind === 'epc-write') {
    // mepc/sepc only ever get even values: csrr*i with an even uimm, or andi t, src, -2 first
    const last = words[words.length - 1].bits;
    if (field(last, 14, 12) >= 5) expect(field(last, 19, 15) & 1).toBe(0);
    else expect((words[0].bits & 0xfff0707f) >>> 0).toBe(0xffe07013);
    return;
  }
  words.forEach((w, i) => {
    const bits = w.bits;
    const where = `${it.kind} word ${i} ${bits.toString(16)} in mode ${mode}`;
    // An earlier word of the item that sets register r from a harness pointer.
    const derivedPointer = (r: number): boolean =>
      words.slice(0, i).some((p) => p.size === 4 && (p.bits & 0x707f) === 0x13 && field(p.bits, 11, 7) === r &&
        (SCRATCH_POINTERS.has(field(p.bits, 19, 15)) || field(p.bits, 19, 15) === 3));
    if (w.size === 2) {
      const q = bits & 3, f3 = field(bits, 15, 13);
      if (rv32 && q === 1 && f3 === 1) { // c.jal: a forward jump like c.j
        ok(w.fixup !== undefined, where);
        return;
      }
      // RV32 c.flw / c.flwsp write an f register
      if (rv32 && seg.floatQuiet) ok(!(f3 === 3 && (q === 0 || q === 2)), where);
      if (q === 0 && [1, 2, 3, 5, 6, 7].includes(f3)) ok(field(bits, 9, 7) < 2, where); // rs1' = s0/s1
      if (q === 0 && [0, 2, 3].includes(f3) && !(rv32 && f3 === 3)) ok(field(bits, 4, 2) >= 2, where); // rd' (RV32 c.flw: f)
      if (seg.floatQuiet) ok(!(f3 === 1 && (q === 0 || q === 2)), where); // c.fld, c.fldsp
      if (q === 1 && f3 <= 3) ok(!(RESERVED.has(field(bits, 11, 7)) && !(f3 === 3 && (bits & 0x107c) === 0)), where);
      if (q === 1 && f3 === 4) ok(field(bits, 9, 7) >= 2, where);
      if (q === 1 && f3 >= 5) ok(w.fixup !== undefined, where);
      if (q === 2 && f3 !== 1 && f3 <= 3 && !(rv32 && f3 === 3)) {
        ok(!RESERVED.has(field(bits, 11, 7)), where); // not c.fldsp's (RV32: c.flwsp's) f register
      }
      if (q === 2 && f3 === 4 && field(bits, 6, 2) === 0 && field(bits, 11, 7) !== 0) {
        // c.jr / c.jalr: only through a register the item itself computed with auipc
        const rs1 = field(bits, 11, 7);
        ok(words.slice(0, i).some((p) => (p.bits & 0x7f) === 0x17 && field(p.bits, 11, 7) === rs1), where);
      } else if (q === 2 && f3 === 4) {
        ok(!RESERVED.has(field(bits, 11, 7)), where);
      }
      return;
    }
    const opcode = bits & 0x7f, f3 = field(bits, 14, 12), rd = field(bits, 11, 7), rs1 = field(bits, 19, 15);
    // rd names an f register for FP loads, fused multiply-adds and most OP-FP: no f register is reserved
    if (![0x23, 0x27, 0x63].includes(opcode) && writesIntegerRegister(bits)) ok(!RESERVED.has(rd), where);
    if (!seg.profile.bitmanip) ok(decodeBitmanip(bits) === undefined, where);
    if (decodeBitmanip(bits)?.name === 'ctzw') {
      // only on a word the item itself sign- or zero-extended (addiw t, r, 0 / add.uw t, r, x0)
      const extends_ = (p: { bits: number }): boolean => field(p.bits, 11, 7) === rs1 &&
        (((p.bits & 0xfff0707f) >>> 0) === 0x1b || ((p.bits & 0xfff0707f) >>> 0) === 0x0800003b);
      ok(words.slice(0, i).some(extends_), where);
    }
    if (seg.floatQuiet) ok(!writesFloatRegister(bits), where);
    if ([0x03, 0x07, 0x23, 0x27, 0x2f].includes(opcode) || (opcode === 0x0f && f3 >= 2) || (opcode === 0x73 && f3 === 4)) {
      const constantLoad = opcode === 0x03 && rs1 === 3 && !it.kind.startsWith('rand'); // ld rd, k(gp)
      ok(SCRATCH_POINTERS.has(rs1) || derivedPointer(rs1) || constantLoad, where);
    }
    if (opcode === 0x63 && f3 !== 2 && f3 !== 3) ok(w.fixup !== undefined, where);
    if (opcode === 0x6f) ok(w.fixup !== undefined, where);
    if (opcode === 0x67 && f3 === 0) {
      ok(w.fixup !== undefined, where);
      ok(words.slice(0, i).some((p) => (p.bits & 0x7f) === 0x17 && field(p.bits, 11, 7) === rs1), where);
    }
    if (opcode === 0x73 && f3 === 0) {
      ok(bits !== 0x10500073, where); // wfi
      if (mode === Mode.M) ok(bits !== 0x30200073, where); // mret
      if (mode !== Mode.U) ok(bits !== 0x10200073, where); // sret
    }
    if (opcode === 0x73 && f3 !== 0 && f3 !== 4) {
      const csr = bits >>> 20;
      const accessible = field(csr, 9, 8) <= mode;
      const writes = f3 === 1 || f3 === 5 || rs1 !== 0;
      if (accessible && writes && field(csr, 11, 10) !== 3) ok(!critical.has(csr), where);
      const trapsAsWrite = writes && field(csr, 11, 10) === 3;
      // user counters (RV32: and their high halves) trap in S and U: mcounteren = 0
      const counter = (csr >= 0xc00 && csr <= 0xc1f) || (rv32 && csr >= 0xc80 && csr <= 0xc9f);
      if (accessible && !trapsAsWrite && (mode === Mode.M || !counter)) ok(!unrepeatable.has(csr), where);
      if (fsTracked) {
        // mstatus.FS must stay unread; fcsr writes that may change nothing must not happen
        if (csr === Csr.mstatus || csr === Csr.sstatus) ok(rd === 0 || !accessible, where);
        if (FLOAT_CSRS.has(csr) && (f3 === 2 || f3 === 3)) ok(rs1 === 0, where);
      }
      if (seg.floatQuiet && FLOAT_CSRS.has(csr)) ok(!writes, where);
    }
  });
}

describe('fuzz generator safety', () => {
  for (const [name, mode] of [['M', Mode.M], ['S', Mode.S], ['U', Mode.U]] as const) {
    it(`random items and sanitized random words cannot escape the harness in ${name}-mode`, () => {
      const paging = mode === Mode.M ? [0] : [0, ...variantsFor(mode)];
      expect(paging.every((p) => p <= PAGE_VARIANTS.length)).toBe(true);
      // Every paging and pmp set-up, each with one FS setting and profile in turn.
      const floatSetups: [Profile, Fs, boolean][] = [[INTEGER_PROFILE, Fs.Off, false], [FULL_PROFILE, Fs.Initial, true],
        [FULL_PROFILE, Fs.Dirty, false], [FULL_PROFILE, Fs.Clean, false], [FULL_PROFILE, Fs.Off, false],
        [FULL_PROFILE, Fs.Clean, true], [FULL_PROFILE, Fs.Initial, false], [BITMANIP_PROFILE, Fs.Off, false]];
      let setup = 0;
      for (const p of paging) {
        for (const pmpGuard of [false, true]) {
          const [profile, fs, floatQuiet] = floatSetups[setup++ % floatSetups.length];
          const seed = 1000 * mode + 10 * p + (pmpGuard ? 1 : 0);
          const gen = new SegmentGenerator(new Prng(seed), { mode, paging: p, pmpGuard, fs, floatQuiet }, profile);
          const seg = { mode, profile, fs, floatQuiet };
          for (let n = 0; n < 10000; n++) {
            checkItem(gen.random32(), seg);
            checkItem(gen.random16(), seg);
            checkItem(gen.next(), seg);
          }
        }
      }
    });
  }

  it('random items and sanitized random words cannot escape the harness in RV32 programs (any paging, any pmp)', () => {
    const floatSetups: [Fs, boolean][] = [[Fs.Dirty, false], [Fs.Initial, true], [Fs.Clean, false], [Fs.Off, false],
      [Fs.Clean, true], [Fs.Initial, false]];
    let setup = 0;
    for (const mode of [Mode.M, Mode.S, Mode.U]) {
      for (const paging of mode === Mode.M ? [0] : [0, ...variantsFor(mode)]) {
        for (const pmpGuard of [false, true]) {
          const [fs, floatQuiet] = floatSetups[setup++ % floatSetups.length];
          const gen = new SegmentGenerator(new Prng(3200 + setup), { mode, paging, pmpGuard, fs, floatQuiet }, RV32_PROFILE);
          const seg = { mode, profile: RV32_PROFILE, fs, floatQuiet };
          for (let n = 0; n < 3000; n++) {
            checkItem(gen.random32(), seg);
            checkItem(gen.random16(), seg);
            checkItem(gen.next(), seg);
          }
        }
      }
    }
  });

  it('replaces random Zba/Zbb/Zbc/Zbs words in programs without B, keeps them with B', () => {
    const counts = [INTEGER_PROFILE, FULL_PROFILE].map((profile) => {
      const plan = { mode: Mode.M, paging: 0, pmpGuard: false, fs: Fs.Off, floatQuiet: false };
      const gen = new SegmentGenerator(new Prng(77), plan, profile);
      let found = 0;
      for (let n = 0; n < 60000; n++) {
        for (const w of gen.random32().words) if (w.size === 4 && decodeBitmanip(w.bits)) found++;
      }
      return found;
    });
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThan(0);
  });
});
