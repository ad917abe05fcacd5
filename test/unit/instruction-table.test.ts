// Tests the RISC-V instruction table: no two rows overlap, reserved encodings are rejected, and GNU as's encodings decode to the right rows and operands.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  instructionTable, decode, matches, existsAt, type InstructionEntry, type Xlen,
  rd, rs1, rs2, rs3, immediateI, immediateS, immediateB, immediateU, immediateJ, shiftAmount, csrNumber,
  cImmediate, cShiftAmount, cLuiImmediate, cAddi16spImmediate, cAddi4spnImmediate, cLwspOffset, cLdspOffset,
  cSwspOffset, cSdspOffset, cLwOffset, cLdOffset, cJumpOffset, cBranchOffset, cRd, cRs2, cRdPrime, cRs1Prime, cRs2Prime,
} from '../../server/src/debug/instruction-table';

// ---------------------------------------------------------------------------------------------
// Pattern arithmetic: a "cube" is the set of words w with (w & mask) === value.

interface Cube { readonly mask: number; readonly value: number }

/** cube \ removed, as disjoint cubes (split on each bit `removed` fixes that `cube` leaves free). */
function subtract(cube: Cube, removed: Cube): Cube[] {
  if (((cube.value ^ removed.value) & cube.mask & removed.mask) !== 0) return [cube];
  const free = removed.mask & ~cube.mask;
  const pieces: Cube[] = [];
  let mask = cube.mask;
  let value = cube.value;
  for (let bit = 0; bit < 32; bit++) {
    const b = (1 << bit) >>> 0;
    if ((free & b) === 0) continue;
    pieces.push({ mask: (mask | b) >>> 0, value: ((value | (~removed.value & b)) & (mask | b)) >>> 0 });
    mask = (mask | b) >>> 0;
    value = ((value & ~b) | (removed.value & b)) >>> 0;
  }
  return pieces;
}

/** The words both entries accept, as disjoint cubes (empty when they do not overlap). */
function intersection(a: InstructionEntry, b: InstructionEntry): Cube[] {
  if (a.length !== b.length) return [];
  if (((a.match ^ b.match) & a.mask & b.mask) !== 0) return [];
  let cubes: Cube[] = [{ mask: (a.mask | b.mask) >>> 0, value: (a.match | b.match) >>> 0 }];
  for (const excluded of [...a.excluded, ...b.excluded]) {
    cubes = cubes.flatMap((cube) => subtract(cube, { mask: excluded.mask, value: excluded.match }));
  }
  return cubes;
}

/** The words an entry accepts, as disjoint cubes. */
function acceptedWords(entry: InstructionEntry): Cube[] {
  return intersection(entry, entry);
}

/** The entry as it stands at `xlen`: with its RV32 exclusions at 32. */
function at(entry: InstructionEntry, xlen: Xlen): InstructionEntry {
  return xlen === 32 ? { ...entry, excluded: [...entry.excluded, ...entry.rv32Excluded] } : entry;
}

/** The rows that exist at `xlen`, as they stand there. */
function rowsAt(xlen: Xlen): InstructionEntry[] {
  return instructionTable.filter((entry) => existsAt(entry, xlen)).map((entry) => at(entry, xlen));
}

const XLENS: readonly Xlen[] = [64, 32];

describe('instruction table', () => {
  it('has unique names at each XLEN and well-formed rows', () => {
    for (const xlen of XLENS) {
      const names = rowsAt(xlen).map((entry) => entry.name);
      expect(new Set(names).size, `RV${xlen}`).toBe(names.length);
    }
    for (const entry of instructionTable) {
      for (const excluded of entry.rv32Excluded) {
        expect(((excluded.match ^ entry.match) & excluded.mask & entry.mask) >>> 0, `${entry.name}: ${excluded.why}`).toBe(0);
      }
      expect((entry.match & ~entry.mask) >>> 0, entry.name).toBe(0);
      expect(entry.length === 2 ? entry.mask <= 0xffff && (entry.match & 3) !== 3 : (entry.match & 3) === 3, entry.name).toBe(true);
      for (const excluded of entry.excluded) {
        expect((excluded.match & ~excluded.mask) >>> 0, `${entry.name}: ${excluded.why}`).toBe(0);
        // An exclusion must cut something out of the entry, or it documents nothing.
        expect(((excluded.match ^ entry.match) & excluded.mask & entry.mask) >>> 0, `${entry.name}: ${excluded.why}`).toBe(0);
      }
      expect(acceptedWords(entry).length, `${entry.name} accepts no word`).toBeGreaterThan(0);
    }
  });

  it('covers RV32GC and RV64GC, Zba, Zbb, Zbc, Zbs, Zicsr, Zifencei, Zihintpause and the privileged instructions', () => {
    const countAt = (xlen: Xlen) => (extension: string) => rowsAt(xlen).filter((entry) => entry.extension === extension).length;
    const count = countAt(64);
    const count32 = countAt(32);
    expect({
      I: count32('I'), M: count32('M'), A: count32('A'), F: count32('F'), D: count32('D'), C: count32('C'),
      Zba: count32('Zba'), Zbb: count32('Zbb'), Zbc: count32('Zbc'), Zbs: count32('Zbs'),
    }).toEqual({
      // RV32: I without the 12 RV64I additions; M, A without the W and .d forms; F, D without the 64-bit
      // conversions and moves; C with c.jal, c.flw, c.fsw, c.flwsp, c.fswsp for RV64's c.addiw, c.ld,
      // c.sd, c.ldsp, c.sdsp and without c.subw, c.addw; Zba without the .uw forms; Zbb without the
      // W forms, with its own rev8 and zext.h.
      I: 41, M: 8, A: 11, F: 26, D: 26, C: 35, Zba: 3, Zbb: 18, Zbc: 3, Zbs: 8,
    });
    expect({
      I: count('I'), M: count('M'), A: count('A'), F: count('F'), D: count('D'), C: count('C'),
      Zicsr: count('Zicsr'), Zifencei: count('Zifencei'), Zihintpause: count('Zihintpause'),
      Zba: count('Zba'), Zbb: count('Zbb'), Zbc: count('Zbc'), Zbs: count('Zbs'), privileged: count('privileged'),
    }).toEqual({
      // I: the 40 RV32I instructions (with ecall, ebreak), fence.tso, and the 12 RV64I additions.
      // C: 7 in quadrant 0, 18 in quadrant 1 (c.nop apart from c.addi), 12 in quadrant 2, RV64 forms only.
      I: 53, M: 13, A: 22, F: 30, D: 32, C: 37,
      Zicsr: 6, Zifencei: 1, Zihintpause: 1, Zba: 8, Zbb: 24, Zbc: 3, Zbs: 8, privileged: 4,
    });
  });

  it('has no two rows that accept the same word at either XLEN (no exceptions)', () => {
    const overlaps: string[] = [];
    for (const xlen of XLENS) {
      const rows = rowsAt(xlen);
      for (let i = 0; i < rows.length; i++) {
        for (let j = i + 1; j < rows.length; j++) {
          const a = rows[i]!;
          const b = rows[j]!;
          const common = intersection(a, b);
          if (common.length > 0) {
            overlaps.push(`RV${xlen}: ${a.name} and ${b.name} both accept 0x${common[0]!.value.toString(16)}`);
          }
        }
      }
    }
    expect(overlaps).toEqual([]);
  });

  it('needs each other-instruction exclusion to keep its row apart from exactly that instruction', () => {
    const byName = new Map(instructionTable.map((entry) => [entry.name, entry]));
    let checked = 0;
    for (const entry of instructionTable) {
      for (const excluded of entry.excluded) {
        if (excluded.kind !== 'other-instruction') continue;
        const without: InstructionEntry = { ...entry, excluded: entry.excluded.filter((e) => e !== excluded) };
        for (const name of excluded.instructions) {
          const otherEntry = byName.get(name);
          expect(otherEntry, `${entry.name}: ${excluded.why}`).toBeDefined();
          expect(intersection(without, otherEntry!).length, `${entry.name} without "${excluded.why}"`).toBeGreaterThan(0);
          expect(intersection(entry, otherEntry!)).toEqual([]);
          checked++;
        }
      }
    }
    // c.addi/c.nop, c.lui/c.addi16sp, c.mv/c.jr, c.jalr/c.ebreak, c.add/c.jalr, c.add/c.ebreak, fence/pause, fence/fence.tso
    expect(checked).toBe(8);
  });

  it('accepts each of the 49152 compressed halfwords with at most one row at each XLEN (exhaustive)', () => {
    const compressed = instructionTable.filter((entry) => entry.length === 2);
    for (const xlen of XLENS) {
      let legal = 0;
      for (let halfword = 0; halfword < 0x10000; halfword++) {
        if ((halfword & 3) === 3) continue;
        const accepting = compressed.filter((entry) => matches(entry, halfword, xlen));
        expect(accepting.length, `RV${xlen} 0x${halfword.toString(16)}: ${accepting.map((e) => e.name).join(', ')}`).toBeLessThanOrEqual(1);
        expect(decode(halfword, xlen)).toBe(accepting[0]);
        if (accepting.length === 1) legal++;
      }
      // Sanity: the reserved corners are a small part of the space (RV32 loses the shifts with
      // shamt[5] = 1 and c.subw/c.addw).
      expect(legal, `RV${xlen}`).toBeGreaterThan(xlen === 64 ? 45000 : 42000);
    }
  });

  it('decodes the RV32 forms at XLEN 32 and the RV64 ones at 64', () => {
    const pairs: Array<[number, string | undefined, string | undefined]> = [
      // word, RV64 decoding, RV32 decoding
      [0x2001 | (1 << 7), 'c.addiw', 'c.jal'], [0x2001, undefined, 'c.jal'], [0x6188, 'c.ld', 'c.flw'], [0xe188, 'c.sd', 'c.fsw'],
      [0x6082, 'c.ldsp', 'c.flwsp'], [0x6002, undefined, 'c.flwsp'], [0xe006, 'c.sdsp', 'c.fswsp'],
      [0x9d0d, 'c.subw', undefined], [0x9d2d, 'c.addw', undefined],
      [0x1502, 'c.slli', undefined], [0x0506, 'c.slli', 'c.slli'], [0x9101, 'c.srli', undefined], [0x9501, 'c.srai', undefined],
      [0x02059513, 'slli', undefined], [0x01f59513, 'slli', 'slli'], [0x4205d513, 'srai', undefined], [0x6205d513, 'rori', undefined],
      [0x69805013, undefined, 'rev8'], [0x6b805013, 'rev8', undefined], [0x08004033, undefined, 'zext.h'], [0x0800403b, 'zext.h', undefined],
      [0x0085b503, 'ld', undefined], [0x0015851b, 'addiw', undefined], [0x0200003b, 'mulw', undefined], [0x1005b52f, 'lr.d', undefined],
      [0xc0200053, 'fcvt.l.s', undefined], [0xe2000553, 'fmv.x.d', undefined], [0x0800003b, 'add.uw', undefined],
      [0x0085a503, 'lw', 'lw'], [0x1005a52f, 'lr.w', 'lr.w'],
    ];
    for (const [word, rv64, rv32] of pairs) {
      expect(decode(word, 64)?.name, `RV64 0x${word.toString(16)}`).toBe(rv64);
      expect(decode(word, 32)?.name, `RV32 0x${word.toString(16)}`).toBe(rv32);
    }
  });

  it('rejects reserved encodings', () => {
    const reserved: Array<[number, string]> = [
      [0x0000, 'c.addi4spn with nzuimm=0: the defined illegal instruction'],
      [0x0004, 'c.addi4spn s1,sp,0'],
      [0x6001, 'c.lui zero,0'],
      [0x6501, 'c.lui a0,0'],
      [0x6101, 'c.addi16sp sp,0'],
      [0x2001, 'c.addiw zero,0'],
      [0x4002, 'c.lwsp zero,0(sp)'],
      [0x6002, 'c.ldsp zero,0(sp)'],
      [0x8002, 'c.jr zero'],
      [0x8000, 'quadrant 0, funct3=100 (Zcb, not supported)'],
      [0x9c41, 'CA funct2=10 with bit 12 set'],
      [0x9c61, 'CA funct2=11 with bit 12 set'],
      [0x0000007f, 'opcode 1111111 (a longer encoding)'],
      [0xffffffff, 'all ones'],
      [0x02c5d553, 'fadd.d with rm=101'],
      [0x02c5e553, 'fadd.d with rm=110'],
      [0x6ac5d543, 'fmadd.d with rm=101'],
      [0x06000033, 'OP with funct7=0000011 (unassigned)'],
      [0x0205151b, 'slliw with bit 25 set'],
      [0x6035951b, 'OP-IMM-32 funct3=001, funct7=0110000, rs2=3 (after clzw, ctzw, cpopw)'],
    ];
    for (const [word, what] of reserved) {
      expect(decode(word)?.name, what).toBeUndefined();
    }
  });

  it('decodes HINT encodings as their instruction', () => {
    const hints: Array<[number, string]> = [
      [0x0001, 'c.nop'], [0x0005, 'c.nop'], [0x1001, 'c.nop'],
      [0x0501, 'c.addi'], [0x4005, 'c.li'], [0x6005, 'c.lui'], [0x0002, 'c.slli'], [0x0502, 'c.slli'],
      [0x8001, 'c.srli'], [0x8401, 'c.srai'], [0x802e, 'c.mv'], [0x902e, 'c.add'],
      [0x0ff5050f, 'fence'], [0x00000013, 'addi'], [0x00300013, 'addi'],
    ];
    for (const [word, name] of hints) expect(decode(word)?.name, `0x${word.toString(16)}`).toBe(name);
  });

  it('decodes the special cases carved out of wider rows', () => {
    expect(decode(0x0100000f)?.name).toBe('pause');
    expect(decode(0x0110000f)?.name).toBe('fence');
    expect(decode(0x8330000f)?.name).toBe('fence.tso');
    expect(decode(0x8335850f)?.name).toBe('fence.tso');
    expect(decode(0x8320000f)?.name).toBe('fence');
    expect(decode(0x9002)?.name).toBe('c.ebreak');
    expect(decode(0x9082)?.name).toBe('c.jalr');
    expect(decode(0x9086)?.name).toBe('c.add');
    expect(decode(0x8082)?.name).toBe('c.jr');
    expect(decode(0x8086)?.name).toBe('c.mv');
    expect(decode(0x6141)?.name).toBe('c.addi16sp');
    expect(decode(0x6505)?.name).toBe('c.lui');
    // Only the low halfword of a compressed word counts.
    expect(decode(0xdead0001)?.name).toBe('c.nop');
  });
});

// ---------------------------------------------------------------------------------------------
// Against the GNU assembler.

const ASSEMBLER = 'riscv64-unknown-elf-as';
const OBJCOPY = 'riscv64-unknown-elf-objcopy';
const MARCH = 'rv64gc_zba_zbb_zbc_zbs_zihintpause';
const toolchainFound = spawnSync(ASSEMBLER, ['--version']).status === 0 && spawnSync(OBJCOPY, ['--version']).status === 0;
const skipReason = toolchainFound ? '' : ` (skipped: ${ASSEMBLER}/${OBJCOPY} not on PATH; Debian package binutils-riscv64-unknown-elf)`;

/** Assembles one instruction per line (c.* lines with RVC on, the rest with it off) and returns the instruction words in order. */
function assemble(lines: readonly string[], march = MARCH): number[] {
  const directory = mkdtempSync(join(tmpdir(), 'lantern-isa-'));
  try {
    const source = lines.map((line) => `${line.startsWith('c.') ? '.option rvc' : '.option norvc'}\n${line}\n`).join('');
    writeFileSync(join(directory, 'fixture.S'), source);
    const as = spawnSync(ASSEMBLER, [`-march=${march}`, ...(march.startsWith('rv32') ? ['-mabi=ilp32'] : []), '-mno-relax', '-o', 'fixture.o', 'fixture.S'], { cwd: directory, encoding: 'utf8' });
    if (as.status !== 0) throw new Error(`${ASSEMBLER} failed:\n${as.stderr}`);
    const objcopy = spawnSync(OBJCOPY, ['-O', 'binary', '-j', '.text', 'fixture.o', 'fixture.bin'], { cwd: directory, encoding: 'utf8' });
    if (objcopy.status !== 0) throw new Error(`${OBJCOPY} failed:\n${objcopy.stderr}`);
    const bytes = readFileSync(join(directory, 'fixture.bin'));
    const words: number[] = [];
    for (let offset = 0; offset < bytes.length;) {
      const low = bytes.readUInt16LE(offset);
      if ((low & 3) === 3) { words.push(bytes.readUInt32LE(offset)); offset += 4; } else { words.push(low); offset += 2; }
    }
    expect(words.length).toBe(lines.length);
    return words;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** One line per table row, with operands chosen to set many bits. */
const EVERY_INSTRUCTION: readonly string[] = [
  // RV64I
  'lui a0,0xfffff', 'auipc t6,0x12345', 'jal ra,.-2048', 'jalr t0,-1(a5)',
  'beq a0,a1,.+2046', 'bne s0,s1,.-4096', 'blt t1,t2,.+8', 'bge a2,a3,.-8', 'bltu a4,a5,.+4094', 'bgeu a6,a7,.-2',
  'lb a0,-2048(sp)', 'lh s2,2047(s3)', 'lw s4,0(s5)', 'ld s6,8(s7)', 'lbu s8,-1(s9)', 'lhu s10,100(s11)', 'lwu t3,-100(t4)',
  'sb a0,-2048(sp)', 'sh t5,2047(t6)', 'sw gp,4(tp)', 'sd ra,-8(sp)',
  'addi a0,a0,-2048', 'slti a1,a2,2047', 'sltiu a3,a4,-1', 'xori a5,a6,0x555', 'ori a7,s0,-0x556', 'andi s1,s2,1',
  'slli a0,a1,63', 'srli a2,a3,32', 'srai a4,a5,1',
  'add a0,a1,a2', 'sub t0,t1,t2', 'sll s0,s1,s2', 'slt a3,a4,a5', 'sltu a6,a7,s3', 'xor s4,s5,s6', 'srl s7,s8,s9',
  'sra s10,s11,t3', 'or t4,t5,t6', 'and ra,sp,gp',
  'fence rw,io', 'fence.tso', 'ecall', 'ebreak',
  'addiw a0,a1,-1', 'slliw a2,a3,31', 'srliw a4,a5,1', 'sraiw a6,a7,17',
  'addw a0,a1,a2', 'subw a3,a4,a5', 'sllw a6,a7,s0', 'srlw s1,s2,s3', 'sraw s4,s5,s6',
  'pause', 'fence.i',
  // Zicsr
  'csrrw a0,mstatus,a1', 'csrrs a2,satp,a3', 'csrrc zero,0x7ff,a4', 'csrrwi a5,mtvec,31', 'csrrsi a6,sie,1', 'csrrci a7,mip,16',
  // M
  'mul a0,a1,a2', 'mulh a3,a4,a5', 'mulhsu a6,a7,s0', 'mulhu s1,s2,s3', 'div s4,s5,s6', 'divu s7,s8,s9', 'rem s10,s11,t3',
  'remu t4,t5,t6', 'mulw a0,a1,a2', 'divw a3,a4,a5', 'divuw a6,a7,s0', 'remw s1,s2,s3', 'remuw s4,s5,s6',
  // A
  'lr.w a0,(a1)', 'sc.w.aq a2,a3,(a4)', 'amoswap.w.rl a5,a6,(a7)', 'amoadd.w.aqrl s0,s1,(s2)', 'amoxor.w s3,s4,(s5)',
  'amoand.w s6,s7,(s8)', 'amoor.w s9,s10,(s11)', 'amomin.w t3,t4,(t5)', 'amomax.w t6,ra,(sp)', 'amominu.w gp,tp,(t0)',
  'amomaxu.w t1,t2,(a0)',
  'lr.d.aqrl a0,(a1)', 'sc.d a2,a3,(a4)', 'amoswap.d.aq a5,a6,(a7)', 'amoadd.d s0,s1,(s2)', 'amoxor.d.rl s3,s4,(s5)',
  'amoand.d s6,s7,(s8)', 'amoor.d s9,s10,(s11)', 'amomin.d t3,t4,(t5)', 'amomax.d t6,ra,(sp)', 'amominu.d gp,tp,(t0)',
  'amomaxu.d t1,t2,(a0)',
  // F
  'flw fa0,-4(sp)', 'fsw ft11,2044(a0)',
  'fmadd.s fa0,fa1,fa2,fa3', 'fmsub.s ft0,ft1,ft2,ft3,rne', 'fnmsub.s fs0,fs1,fs2,fs3,rtz', 'fnmadd.s fs4,fs5,fs6,fs7,rdn',
  'fadd.s fa0,fa1,fa2,rup', 'fsub.s ft8,ft9,ft10,rmm', 'fmul.s fs8,fs9,fs10', 'fdiv.s fs11,fa4,fa5',
  'fsqrt.s fa6,fa7', 'fsgnj.s ft4,ft5,ft6', 'fsgnjn.s ft7,fa0,fa1', 'fsgnjx.s fa2,fa3,fa4', 'fmin.s fa5,fa6,fa7', 'fmax.s fs0,fs1,fs2',
  'feq.s a0,fa0,fa1', 'flt.s a1,fa2,fa3', 'fle.s a2,fa4,fa5',
  'fcvt.w.s a0,fa0,rtz', 'fcvt.wu.s a1,fa1', 'fcvt.l.s a2,fa2', 'fcvt.lu.s a3,fa3',
  'fcvt.s.w fa0,a0', 'fcvt.s.wu fa1,a1', 'fcvt.s.l fa2,a2', 'fcvt.s.lu fa3,a3',
  'fmv.x.w a0,fa0', 'fclass.s a1,fa1', 'fmv.w.x fa2,a2',
  // D
  'fld fa0,-8(sp)', 'fsd ft11,2040(a0)',
  'fmadd.d fa0,fa1,fa2,fa3', 'fmsub.d ft0,ft1,ft2,ft3,rne', 'fnmsub.d fs0,fs1,fs2,fs3,rtz', 'fnmadd.d fs4,fs5,fs6,fs7,rdn',
  'fadd.d fa0,fa1,fa2,rup', 'fsub.d ft8,ft9,ft10,rmm', 'fmul.d fs8,fs9,fs10', 'fdiv.d fs11,fa4,fa5',
  'fsqrt.d fa6,fa7', 'fsgnj.d ft4,ft5,ft6', 'fsgnjn.d ft7,fa0,fa1', 'fsgnjx.d fa2,fa3,fa4', 'fmin.d fa5,fa6,fa7', 'fmax.d fs0,fs1,fs2',
  'feq.d a0,fa0,fa1', 'flt.d a1,fa2,fa3', 'fle.d a2,fa4,fa5',
  'fcvt.w.d a0,fa0,rtz', 'fcvt.wu.d a1,fa1', 'fcvt.l.d a2,fa2', 'fcvt.lu.d a3,fa3',
  'fcvt.d.w fa0,a0', 'fcvt.d.wu fa1,a1', 'fcvt.d.l fa2,a2', 'fcvt.d.lu fa3,a3',
  'fmv.x.d a0,fa0', 'fclass.d a1,fa1', 'fmv.d.x fa2,a2', 'fcvt.s.d fa3,fa4', 'fcvt.d.s fa5,fa6',
  // Zba
  'add.uw a0,a1,a2', 'sh1add a3,a4,a5', 'sh2add a6,a7,s0', 'sh3add s1,s2,s3', 'sh1add.uw s4,s5,s6', 'sh2add.uw s7,s8,s9',
  'sh3add.uw s10,s11,t3', 'slli.uw t4,t5,63',
  // Zbb
  'andn a0,a1,a2', 'orn a3,a4,a5', 'xnor a6,a7,s0', 'clz s1,s2', 'ctz s3,s4', 'cpop s5,s6', 'sext.b s7,s8', 'sext.h s9,s10',
  'clzw s11,t3', 'ctzw t4,t5', 'cpopw t6,ra', 'min a0,a1,a2', 'minu a3,a4,a5', 'max a6,a7,s0', 'maxu s1,s2,s3',
  'orc.b s4,s5', 'rev8 s6,s7', 'rol s8,s9,s10', 'ror s11,t3,t4', 'rori t5,t6,63', 'rolw a0,a1,a2', 'rorw a3,a4,a5',
  'roriw a6,a7,31', 'zext.h s0,s1',
  // Zbc
  'clmul a0,a1,a2', 'clmulr a3,a4,a5', 'clmulh a6,a7,s0',
  // Zbs
  'bclr a0,a1,a2', 'bext a3,a4,a5', 'binv a6,a7,s0', 'bset s1,s2,s3', 'bclri s4,s5,63', 'bexti s6,s7,32', 'binvi s8,s9,1',
  'bseti s10,s11,0',
  // privileged
  'sret', 'mret', 'wfi', 'sfence.vma a0,a1',
  // C
  'c.addi4spn a0,sp,1020', 'c.fld fa0,248(a1)', 'c.lw a2,124(a3)', 'c.ld a4,8(a5)', 'c.fsd fs1,0(s0)', 'c.sw s1,4(s0)',
  'c.sd a5,240(a4)',
  'c.nop', 'c.addi a0,-32', 'c.addiw t0,31', 'c.li s11,-1', 'c.addi16sp sp,-512', 'c.lui ra,0xfffe0',
  'c.srli a0,63', 'c.srai s1,32', 'c.andi a5,-32', 'c.sub s0,s1', 'c.xor a0,a1', 'c.or a2,a3', 'c.and a4,a5',
  'c.subw s0,a5', 'c.addw a1,a2', 'c.j .-2048', 'c.beqz a0,.+254', 'c.bnez s1,.-256',
  'c.slli t6,1', 'c.fldsp ft0,504(sp)', 'c.lwsp a0,252(sp)', 'c.ldsp ra,0(sp)', 'c.jr ra', 'c.mv a0,t6', 'c.ebreak',
  'c.jalr a5', 'c.add s2,s3', 'c.fsdsp fs11,8(sp)', 'c.swsp a1,128(sp)', 'c.sdsp s0,504(sp)',
];

/** The mnemonic of an assembly line without its .aq/.rl ordering suffix. */
function mnemonic(line: string): string {
  return line.split(' ')[0]!.replace(/\.(aqrl|aq|rl)$/, '');
}

describe(`instruction table against GNU as${skipReason}`, () => {
  it.skipIf(!toolchainFound)('decodes one assembled line per row to that row', () => {
    const words = assemble(EVERY_INSTRUCTION);
    const mismatches: string[] = [];
    words.forEach((word, index) => {
      const line = EVERY_INSTRUCTION[index]!;
      const entry = decode(word);
      if (entry?.name !== mnemonic(line)) mismatches.push(`${line} = 0x${word.toString(16)} decoded as ${entry?.name}`);
      else if (entry.length !== (line.startsWith('c.') ? 2 : 4)) mismatches.push(`${line}: length ${entry.length}`);
    });
    expect(mismatches).toEqual([]);
    const covered = new Set(EVERY_INSTRUCTION.map(mnemonic));
    expect(rowsAt(64).filter((entry) => !covered.has(entry.name)).map((entry) => entry.name)).toEqual([]);
  });

  it.skipIf(!toolchainFound)('decodes RV32 code at XLEN 32: the RV32-only forms and the 5-bit shift amounts', () => {
    const lines = [
      'c.jal .+2046', 'c.jal .-2048', 'c.flw fa0,124(a1)', 'c.fsw fs1,4(s0)', 'c.flwsp ft0,252(sp)', 'c.fswsp fs11,8(sp)',
      'c.slli a0,31', 'c.srli s0,31', 'c.srai a5,1', 'c.fld fa0,248(a1)', 'c.lw a2,124(a3)', 'c.jr ra',
      'rev8 a0,a1', 'zext.h a2,a3', 'slli a0,a1,31', 'srli a2,a3,1', 'srai a4,a5,31', 'rori t5,t6,31',
      'bclri s4,s5,31', 'bexti s6,s7,16', 'binvi s8,s9,1', 'bseti s10,s11,0', 'clz a0,a1', 'orc.b a0,a1', 'sh3add a0,a1,a2',
      'lw a0,-4(sp)', 'sw a0,8(sp)', 'lr.w a0,(a1)', 'amoswap.w.aqrl a0,a1,(a2)', 'fcvt.w.d a0,fa0,rtz', 'fmv.x.w a0,fa0', 'fcvt.d.wu fa0,a0',
    ];
    const words = assemble(lines, 'rv32gc_zba_zbb_zbc_zbs');
    const mismatches = words
      .map((word, index) => ({ line: lines[index]!, word, name: decode(word, 32)?.name }))
      .filter(({ line, name }) => name !== mnemonic(line))
      .map(({ line, word, name }) => `${line} = 0x${word.toString(16)} decoded as ${name}`);
    expect(mismatches).toEqual([]);
    const rv32Only = instructionTable.filter((entry) => entry.xlen === 32).map((entry) => entry.name);
    expect(rv32Only.filter((name) => !lines.some((line) => mnemonic(line) === name))).toEqual([]);
  });

  it.skipIf(!toolchainFound)('extracts 32-bit registers and immediates as encoded', () => {
    const cases: Array<[string, (word: number) => unknown, unknown]> = [];
    const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
    for (const value of range(-2048, 2047, 73).concat([-2048, -1, 0, 2047])) {
      cases.push([`addi a0,a1,${value}`, immediateI, value]);
      cases.push([`sd a2,${value}(a3)`, immediateS, value]);
    }
    for (const value of range(-4096, 4094, 126).concat([-4096, -2, 2, 4094])) cases.push([`beq a0,a1,.${value < 0 ? '' : '+'}${value}`, immediateB, value]);
    for (const value of range(-1048576, 1048574, 32766).concat([-1048576, -2, 2, 1048574])) cases.push([`jal ra,.${value < 0 ? '' : '+'}${value}`, immediateJ, value]);
    for (const upper of [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345]) cases.push([`lui a0,0x${upper.toString(16)}`, immediateU, (upper << 12) | 0]);
    for (const shamt of [0, 1, 31, 32, 63]) cases.push([`srai a0,a1,${shamt}`, shiftAmount, shamt]);
    for (const csr of [0, 0x300, 0xfff, 0x7c0]) cases.push([`csrrw a0,0x${csr.toString(16)},a1`, csrNumber, csr]);
    for (let register = 0; register < 32; register++) {
      const x = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
        's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'][register]!;
      cases.push([`add ${x},zero,zero`, rd, register], [`add zero,${x},zero`, rs1, register], [`add zero,zero,${x}`, rs2, register]);
      cases.push([`fmadd.d f0,f0,f0,f${register}`, rs3, register]);
    }
    const words = assemble(cases.map(([line]) => line));
    const wrong = cases
      .map(([line, extract, expected], index) => ({ line, got: extract(words[index]!), expected }))
      .filter(({ got, expected }) => got !== expected);
    expect(wrong).toEqual([]);
  });

  it.skipIf(!toolchainFound)('unscrambles every compressed immediate over its whole range', () => {
    const cases: Array<[string, (word: number) => number, number]> = [];
    const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
    for (const value of range(4, 1020, 4)) cases.push([`c.addi4spn a0,sp,${value}`, cAddi4spnImmediate, value]);
    for (const value of range(-512, 496, 16).filter((v) => v !== 0)) cases.push([`c.addi16sp sp,${value}`, cAddi16spImmediate, value]);
    for (const upper of [...range(1, 31, 1), ...range(0xfffe0, 0xfffff, 1)]) cases.push([`c.lui a0,0x${upper.toString(16)}`, cLuiImmediate, (upper >= 0x80000 ? upper - 0x100000 : upper) * 4096]);
    for (const value of range(-32, 31, 1)) {
      cases.push([`c.li a0,${value}`, cImmediate, value], [`c.andi a0,${value}`, cImmediate, value], [`c.addiw a0,${value}`, cImmediate, value]);
      if (value !== 0) cases.push([`c.addi a0,${value}`, cImmediate, value]);
    }
    for (const shamt of range(1, 63, 1)) {
      cases.push([`c.slli a0,${shamt}`, cShiftAmount, shamt], [`c.srli a0,${shamt}`, cShiftAmount, shamt], [`c.srai a0,${shamt}`, cShiftAmount, shamt]);
    }
    for (const offset of range(0, 252, 4)) cases.push([`c.lwsp a0,${offset}(sp)`, cLwspOffset, offset], [`c.swsp a0,${offset}(sp)`, cSwspOffset, offset]);
    for (const offset of range(0, 504, 8)) {
      cases.push([`c.ldsp a0,${offset}(sp)`, cLdspOffset, offset], [`c.fldsp fa0,${offset}(sp)`, cLdspOffset, offset]);
      cases.push([`c.sdsp a0,${offset}(sp)`, cSdspOffset, offset], [`c.fsdsp fa0,${offset}(sp)`, cSdspOffset, offset]);
    }
    for (const offset of range(0, 124, 4)) cases.push([`c.lw a0,${offset}(a1)`, cLwOffset, offset], [`c.sw a0,${offset}(a1)`, cLwOffset, offset]);
    for (const offset of range(0, 248, 8)) {
      cases.push([`c.ld a0,${offset}(a1)`, cLdOffset, offset], [`c.sd a0,${offset}(a1)`, cLdOffset, offset]);
      cases.push([`c.fld fa0,${offset}(a1)`, cLdOffset, offset], [`c.fsd fa0,${offset}(a1)`, cLdOffset, offset]);
    }
    for (const offset of range(-2048, 2046, 2)) cases.push([`c.j .${offset < 0 ? '' : '+'}${offset}`, cJumpOffset, offset]);
    for (const offset of range(-256, 254, 2)) {
      cases.push([`c.beqz a0,.${offset < 0 ? '' : '+'}${offset}`, cBranchOffset, offset], [`c.bnez s1,.${offset < 0 ? '' : '+'}${offset}`, cBranchOffset, offset]);
    }
    const words = assemble(cases.map(([line]) => line));
    const wrong = cases
      .map(([line, extract, expected], index) => ({ line, got: extract(words[index]!), expected }))
      .filter(({ got, expected }) => got !== expected);
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(3000);
  });

  it.skipIf(!toolchainFound)('extracts compressed register fields', () => {
    const prime = ['s0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
    const cases: Array<[string, (word: number) => number, number]> = [];
    prime.forEach((name, index) => {
      cases.push([`c.lw ${name},0(a0)`, cRdPrime, index + 8], [`c.lw a0,0(${name})`, cRs1Prime, index + 8]);
      cases.push([`c.sub ${name},a0`, cRs1Prime, index + 8], [`c.sub a0,${name}`, cRs2Prime, index + 8]);
    });
    for (let register = 1; register < 32; register++) cases.push([`c.mv x${register},x${32 - register}`, cRd, register], [`c.add x5,x${register}`, cRs2, register]);
    const words = assemble(cases.map(([line]) => line));
    const wrong = cases
      .map(([line, extract, expected], index) => ({ line, got: extract(words[index]!), expected }))
      .filter(({ got, expected }) => got !== expected);
    expect(wrong).toEqual([]);
  });
});
