// Tests the disassembler against GNU objdump -M no-aliases: every compressed halfword, samples of every table row, and random words.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassemble, csrNames } from '../../server/src/debug/disassemble';
import {
  instructionTable, decode, matches, roundingMode, cShiftAmount, cImmediate, csrNumber, rd, rs1, fenceMode, type InstructionEntry,
} from '../../server/src/debug/instruction-table';
import { xorshift32 } from '../support/random';

describe('disassemble (fixed cases taken from objdump output)', () => {
  const cases: Array<[number, bigint, string]> = [
    [0x00c58533, 0n, 'add a0,a1,a2'],
    [0xffb50513, 0n, 'addi a0,a0,-5'],
    [0xff813503, 0n, 'ld a0,-8(sp)'],
    [0x00a13423, 0n, 'sd a0,8(sp)'],
    [0x000780e7, 0n, 'jalr ra,0(a5)'],
    [0x00b50063, 0n, 'beq a0,a1,0'],
    [0x80b50063, 8n, 'beq a0,a1,fffffffffffff008'],
    [0x1100006f, 8n, 'jal zero,118'],
    [0xfffff537, 0n, 'lui a0,0xfffff'],
    [0x00012517, 0n, 'auipc a0,0x12'],
    [0x00351513, 0n, 'slli a0,a0,0x3'],
    [0x0035151b, 0n, 'slliw a0,a0,0x3'],
    [0x30002573, 0n, 'csrrs a0,mstatus,zero'],
    [0x12351073, 0n, 'csrrw zero,0x123,a0'],
    [0x3002d573, 0n, 'csrrwi a0,mstatus,5'],
    [0x0ff0000f, 0n, 'fence iorw,iorw'],
    [0x0310000f, 0n, 'fence rw,w'],
    [0x0000000f, 0n, 'fence unknown,unknown'],
    [0x0100000f, 0n, 'pause'],
    [0x8330000f, 0n, 'fence.tso'],
    [0x0000100f, 0n, 'fence.i'],
    [0x1605b52f, 0n, 'lr.d.aqrl a0,(a1)'],
    [0x1ac5a52f, 0n, 'sc.w.rl a0,a2,(a1)'],
    [0x04c5b52f, 0n, 'amoadd.d.aq a0,a2,(a1)'],
    [0x02c5f553, 0n, 'fadd.d fa0,fa1,fa2'],
    [0x02c59553, 0n, 'fadd.d fa0,fa1,fa2,rtz'],
    [0x6ac5c543, 0n, 'fmadd.d fa0,fa1,fa2,fa3,rmm'],
    [0xc2050553, 0n, 'fcvt.w.d a0,fa0,rne'],
    [0xd2050553, 0n, 'fcvt.d.w fa0,a0'],
    [0xe2051553, 0n, 'fclass.d a0,fa0'],
    [0xa2b52553, 0n, 'feq.d a0,fa0,fa1'],
    [0x00813507, 0n, 'fld fa0,8(sp)'],
    [0x12b50073, 0n, 'sfence.vma a0,a1'],
    [0x30200073, 0n, 'mret'],
    [0x6035d513, 0n, 'rori a0,a1,0x3'],
    [0x0805853b, 0n, 'add.uw a0,a1,zero'],
    [0x0805c53b, 0n, 'zext.h a0,a1'],
    [0x6141, 0n, 'c.addi16sp sp,16'],
    [0x717d, 0n, 'c.addi16sp sp,-16'],
    [0x7d7d, 0n, 'c.lui s10,0xfffff'],
    [0x6505, 0n, 'c.lui a0,0x1'],
    [0xa095, 6n, 'c.j 6a'],
    [0x1fe8, 0n, 'c.addi4spn a0,sp,1020'],
    [0x357e, 0n, 'c.fldsp fa0,504(sp)'],
    [0xa42a, 0n, 'c.fsdsp fa0,8(sp)'],
    [0x2588, 0n, 'c.fld fa0,8(a1)'],
    [0x157e, 0n, 'c.slli a0,0x3f'],
    [0x9c21, 0n, 'c.addw s0,s0'],
    [0x8082, 0n, 'c.jr ra'],
    [0x802e, 0n, 'c.mv zero,a1'],
    [0x9002, 0n, 'c.ebreak'],
    [0x0001, 0n, 'c.nop'],
    [0x0000, 0n, 'c.unimp'],
    [0x6001, 0n, '.2byte 0x6001'],
    [0x0000007f, 0n, '.4byte 0x7f'],
    [0x02c5d553, 0n, '.4byte 0x2c5d553'],
  ];
  it.each(cases.map(([word, pc, text]) => [`0x${word.toString(16)} at ${pc}`, word, pc, text] as const))('%s', (_label, word, pc, text) => {
    expect(disassemble(word, pc)).toBe(text);
  });
});

describe('disassemble at XLEN 32 (fixed cases taken from objdump output of an RV32 object)', () => {
  const cases: Array<[number, bigint, string]> = [
    [0x2011, 0n, 'c.jal 4'],
    [0x3001, 2n, 'c.jal fffff802'],
    [0x7de8, 4n, 'c.flw fa0,124(a1)'],
    [0xe46e, 6n, 'c.fswsp fs11,8(sp)'],
    [0x6985d513, 8n, 'rev8 a0,a1'],
    [0x0806c633, 12n, 'zext.h a2,a3'],
    [0xc8002573, 16n, 'csrrs a0,cycleh,zero'],
    [0x3a159073, 20n, 'csrrw zero,pmpcfg1,a1'],
    [0xfeb508e3, 28n, 'beq a0,a1,c'],
    [0x0085b503, 0n, '.4byte 0x85b503'], // ld: RV64 only
    [0x1502, 0n, '.2byte 0x1502'], // c.slli a0,32: shamt[5] = 1
  ];
  it.each(cases.map(([word, pc, text]) => [`0x${word.toString(16)} at ${pc}`, word, pc, text] as const))('%s', (_label, word, pc, text) => {
    expect(disassemble(word, pc, 32)).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------
// Against GNU objdump.

const ASSEMBLER = 'riscv64-unknown-elf-as';
const OBJDUMP = 'riscv64-unknown-elf-objdump';
const MARCH = 'rv64gc_zba_zbb_zbc_zbs_zihintpause';
const toolchainFound = spawnSync(ASSEMBLER, ['--version']).status === 0 && spawnSync(OBJDUMP, ['--version']).status === 0;
const skipReason = toolchainFound ? '' : ` (skipped: ${ASSEMBLER}/${OBJDUMP} not on PATH; Debian package binutils-riscv64-unknown-elf)`;

interface DumpedInstruction { readonly address: bigint; readonly word: number; readonly text: string }

/**
 * Emits each word with `.insn`, assembles, and returns objdump's view of each, with whitespace
 * normalized and the `<symbol>` after targets and `# comment` after operands removed.
 */
function objdump(words: readonly number[]): DumpedInstruction[] {
  const directory = mkdtempSync(join(tmpdir(), 'lantern-disassemble-'));
  try {
    writeFileSync(join(directory, 'words.S'), `.option rvc\n${words.map((word) => `.insn 0x${word.toString(16)}\n`).join('')}`);
    // -mpriv-spec=1.12 makes objdump name the 1.12 CSRs (mconfigptr, menvcfg, ...).
    const as = spawnSync(ASSEMBLER, [`-march=${MARCH}`, '-mpriv-spec=1.12', '-o', 'words.o', 'words.S'], { cwd: directory, encoding: 'utf8' });
    if (as.status !== 0) throw new Error(`${ASSEMBLER} failed:\n${as.stderr}`);
    const dump = spawnSync(OBJDUMP, ['-d', '-M', 'no-aliases', 'words.o'], { cwd: directory, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (dump.status !== 0) throw new Error(`${OBJDUMP} failed:\n${dump.stderr}`);
    const dumped: DumpedInstruction[] = [];
    for (const line of dump.stdout.split('\n')) {
      const parts = /^\s*([0-9a-f]+):\s+([0-9a-f]{4}|[0-9a-f]{8})\s+(.*)$/.exec(line);
      if (parts === null) continue;
      const text = parts[3]!.replace(/\s+#.*$/, '').replace(/\s*<[^>]*>$/, '').replace(/\s+/g, ' ').trim();
      dumped.push({ address: BigInt(`0x${parts[1]}`), word: parseInt(parts[2]!, 16), text });
    }
    expect(dumped.map((instruction) => instruction.word)).toEqual(words.map((word) => word >>> 0));
    return dumped;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Where this disassembler and objdump 2.40 knowingly disagree. Each applies to a narrow set of
 * words and says exactly what objdump prints there.
 */
interface KnownDifference {
  readonly why: string;
  readonly applies: (word: number, entry: InstructionEntry | undefined) => boolean;
  /** objdump's text for the word, given ours. */
  readonly objdumpPrints: (word: number, ours: string) => string | RegExp;
}

const ROUNDING_FORMATS_DEFAULT_DYNAMIC = new Set(['R-rounding', 'R-unary-rounding', 'R4']);
const ROUNDING_FORMATS = new Set([...ROUNDING_FORMATS_DEFAULT_DYNAMIC, 'R-unary-exact']);
const EXACT_CONVERSIONS = new Set(['fcvt.d.w', 'fcvt.d.wu', 'fcvt.d.s']);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    why: 'binutils has no c.nop of its own: it prints the c.nop encodings (HINTs included) as c.addi zero,imm',
    applies: (_word, entry) => entry?.name === 'c.nop',
    objdumpPrints: (word) => `c.addi zero,${cImmediate(word)}`,
  },
  {
    why: 'c.slli/c.srli/c.srai with shamt=0 are HINTs on RV64; binutils names them after the RV128 shift-by-64 (c.slli64 ...)',
    applies: (word, entry) => ['c.slli', 'c.srli', 'c.srai'].includes(entry?.name ?? '') && cShiftAmount(word) === 0,
    objdumpPrints: (_word, ours) => ours.replace(/^(c\.s[lr][la]i) (\w+),0x0$/, '$164 $2'),
  },
  {
    why: 'c.addi16sp with nzimm=0 is reserved (RVC spec); objdump decodes it as c.addi16sp sp,0',
    applies: (word) => (word & 0xffff) === 0x6101,
    objdumpPrints: () => 'c.addi16sp sp,0',
  },
  {
    why: 'rm=101 and rm=110 are reserved; objdump decodes the instruction and prints the rounding mode as "unknown"',
    applies: (word, entry) => {
      const withDynamic = decode((word | 0x7000) >>> 0);
      return entry === undefined && (roundingMode(word) === 5 || roundingMode(word) === 6) &&
        withDynamic !== undefined && ROUNDING_FORMATS_DEFAULT_DYNAMIC.has(withDynamic.format);
    },
    objdumpPrints: (word) => `${disassemble((word | 0x7000) >>> 0, 0n)},unknown`,
  },
  {
    why: 'FENCE ignores fm (other than fence.tso), rs1 and rd (Unprivileged ISA, "Memory Ordering Instructions"); objdump requires them zero',
    applies: (word, entry) => entry?.name === 'fence' && (fenceMode(word) !== 0 || rs1(word) !== 0 || rd(word) !== 0),
    objdumpPrints: (word) => `.4byte 0x${(word >>> 0).toString(16)}`,
  },
  {
    why: 'FENCE.I ignores imm, rs1 and rd (Zifencei: reserved for future use); objdump requires them zero',
    applies: (word, entry) => entry?.name === 'fence.i' && (word >>> 0) !== 0x0000100f,
    objdumpPrints: (word) => `.4byte 0x${(word >>> 0).toString(16)}`,
  },
  {
    why: 'fence.tso ignores rs1 and rd like FENCE; objdump requires them zero',
    applies: (word, entry) => entry?.name === 'fence.tso' && (rs1(word) !== 0 || rd(word) !== 0),
    objdumpPrints: (word) => `.4byte 0x${(word >>> 0).toString(16)}`,
  },
  {
    why: 'fcvt.d.w, fcvt.d.wu and fcvt.d.s are exact, so their rm has no effect; objdump 2.40 accepts only rm=000',
    applies: (word, entry) => EXACT_CONVERSIONS.has(entry?.name ?? '') && roundingMode(word) !== 0,
    objdumpPrints: (word) => `.4byte 0x${(word >>> 0).toString(16)}`,
  },
  {
    why: 'CSRs outside Lantern\'s RV64 set (hypervisor, vector, AIA, state-enable, RV32 high halves): we print the number, objdump a name',
    applies: (word, entry) => entry !== undefined && (entry.format === 'CSR' || entry.format === 'CSR-immediate') && !csrNames.has(csrNumber(word)),
    objdumpPrints: (word, ours) => new RegExp(`^${escape(ours).replace(`0x${csrNumber(word).toString(16)}`, '(0x[0-9a-f]+|[a-z][a-z0-9]*)')}$`),
  },
];

/** Compares our text with objdump's for each word; returns the disagreements not explained by KNOWN_DIFFERENCES. */
function compare(words: readonly number[], used: Set<string>): string[] {
  const unexplained: string[] = [];
  for (const { address, word, text } of objdump(words)) {
    const ours = disassemble(word, address);
    const difference = KNOWN_DIFFERENCES.find((known) => known.applies(word, decode(word)));
    if (difference === undefined) {
      if (ours !== text) unexplained.push(`0x${word.toString(16)}: ours "${ours}", objdump "${text}"`);
      continue;
    }
    const expected = difference.objdumpPrints(word, ours);
    const agrees = typeof expected === 'string' ? text === expected : expected.test(text);
    if (!agrees) unexplained.push(`0x${word.toString(16)}: ours "${ours}", objdump "${text}", expected "${String(expected)}" (${difference.why})`);
    used.add(difference.why);
  }
  return unexplained;
}

/** A small deterministic generator so that a failure reproduces. */
const randomWords = xorshift32;

/** Up to `count` distinct words that `entry` accepts, with its free bits filled at random, plus its all-zero and all-one fillings. */
function samples(entry: InstructionEntry, count: number, random: () => number): number[] {
  const width = entry.length === 2 ? 0xffff : 0xffffffff;
  const free = ~entry.mask & width;
  const found = new Set<number>();
  for (const candidate of [entry.match, (entry.match | free) >>> 0]) if (matches(entry, candidate)) found.add(candidate);
  for (let attempt = 0; attempt < count * 8 && found.size < count; attempt++) {
    const candidate = ((entry.match | (random() & free)) & width) >>> 0;
    if (matches(entry, candidate)) found.add(candidate);
  }
  return [...found];
}

describe(`disassemble against GNU objdump -M no-aliases${skipReason}`, () => {
  const used = new Set<string>();

  it.skipIf(!toolchainFound)('agrees on all 49152 compressed halfwords', () => {
    const halfwords: number[] = [];
    for (let halfword = 0; halfword < 0x10000; halfword++) if ((halfword & 3) !== 3) halfwords.push(halfword);
    expect(compare(halfwords, used)).toEqual([]);
  });

  it.skipIf(!toolchainFound)('agrees on samples of every 32-bit row, every rounding mode and every aq/rl', () => {
    const random = randomWords(0x1a2b3c4d);
    const words: number[] = [];
    for (const entry of instructionTable.filter((candidate) => candidate.length === 4)) {
      words.push(...samples(entry, 32, random));
      if (ROUNDING_FORMATS.has(entry.format)) {
        // rm in bits 14:12: all eight values, reserved ones included.
        for (let mode = 0; mode < 8; mode++) words.push((entry.match | (random() & ~entry.mask & ~0x7000) | (mode << 12)) >>> 0);
      }
      if (entry.format === 'AMO' || entry.format === 'load-reserved') {
        for (let ordering = 0; ordering < 4; ordering++) words.push((entry.match | (ordering << 25) | (random() & 0x01ff8f80 & ~entry.mask)) >>> 0);
      }
    }
    expect(words.length).toBeGreaterThan(6000);
    expect(compare(words, used)).toEqual([]);
  });

  it.skipIf(!toolchainFound)('agrees on every named CSR, fence sets and corner encodings', () => {
    const words: number[] = [];
    for (const csr of [...csrNames.keys(), 0x123, 0x7ff, 0xfff]) {
      words.push((0x00002573 | (csr << 20)) >>> 0); // csrrs a0,csr,zero
      words.push((0x0002d573 | (csr << 20)) >>> 0); // csrrwi a0,csr,5
    }
    for (let sets = 0; sets < 256; sets++) words.push((0x0000000f | (sets << 20)) >>> 0); // fence pred,succ
    words.push(0x0100000f, 0x8330000f, 0x8335850f, 0x0000100f, 0x00000073, 0x00100073, 0x10200073, 0x30200073, 0x10500073, 0x12000073);
    expect(compare(words, used)).toEqual([]);
  });

  it.skipIf(!toolchainFound)('agrees on 100000 random 32-bit words', () => {
    const random = randomWords(0x5eed);
    const words: number[] = [];
    while (words.length < 100000) {
      const word = random();
      if ((word & 3) === 3 && (word & 0x1c) !== 0x1c) words.push(word); // 32-bit, not a 48/64-bit prefix
    }
    expect(compare(words, used)).toEqual([]);
  });

  it.skipIf(!toolchainFound)('exercises every documented difference (none is dead)', () => {
    expect(KNOWN_DIFFERENCES.filter((known) => !used.has(known.why)).map((known) => known.why)).toEqual([]);
  });
});
