/**
 * Differential random-instruction test: Lantern against QEMU.
 *
 * For each seed of a fixed list, generate.ts writes a program of random RV64IMAC + Zicsr
 * instruction streams (valid and invalid encodings, run in M, S and U mode, bare and
 * under Sv39/Sv48, with pmp) around the harness of runtime/. The same ELF runs under
 * qemu-system-riscv64 (spike machine, the reference) and under Lantern; each prints
 * through the HTIF console every trap (mcause, mtval, pc), the registers and some CSRs at
 * the end of every segment, and the scratch memory. The outputs must be identical.
 *
 * QEMU behaviour that contradicts the RISC-V specification, and how it is kept out of
 * the comparison (narrowly: nothing else is masked):
 *
 *  1. AMO exceptions reported as load exceptions. Under -icount QEMU 7.2 runs TCG
 *     single-threaded and emulates each AMO as load + op + store, so a misaligned AMO
 *     raises load-address-misaligned (4) instead of store/AMO-address-misaligned (6),
 *     and an AMO to a page it may not read raises load page fault (13) / load access
 *     fault (5) instead of store/AMO page fault (15) / access fault (7). The privileged
 *     spec (table 3.6, and the A chapter: AMOs raise store/AMO exceptions) wants 6, 15
 *     and 7. Masked: in QEMU's output only, for trap records whose instruction is an AMO
 *     (opcode 0x2f, funct3 .w/.d, a read-modify-write funct5 — not LR, not SC), cause
 *     4 → 6, 5 → 7, 13 → 15. Lantern must report the spec's cause. Random code never
 *     reads mcause, which would carry the cause into a register. One case the rewrite
 *     cannot repair is avoided in generation: an AMO to a pmp-denied page whose PTE lets
 *     a load through but not a store (QEMU: load access fault; spec: store/AMO page fault,
 *     the PTE being checked before pmp) — paging.ts, amoFaultDiffersInQemu.
 *  2. SC to a misaligned address without a reservation: QEMU fails it (rd = 1) without
 *     looking at the address; the A spec requires an address-misaligned (or access-fault)
 *     exception. Avoided in generation: every SC the generator emits is naturally aligned.
 *  3. mepc[0] and sepc[0] are writable in QEMU 7.2 (a written 1 reads back); the spec
 *     makes them read-only zero. Avoided in generation: random code writes mepc/sepc only
 *     with even values (generate.ts, epcWrite; csrs.ts keeps them out of random writes).
 *  4. CSRRS/CSRRC with rs1 ≠ x0 holding 0, on a read-only CSR: QEMU 7.2 treats it as a
 *     read (no exception); the Zicsr spec counts any rs1 ≠ x0 as a write, so it must
 *     raise illegal instruction. Avoided in generation: in M-mode such instructions never
 *     name an existing read-only CSR (csrs.ts, chooseCsr's maybeZero). In S and U every
 *     read-only CSR they may name traps anyway (privilege, mcounteren = 0, absent).
 *  5. A misaligned access from page 2 into page 3 of the scratch buffer, where pmp denies
 *     page 3 and page 3's PTE faults too: QEMU checks pmp over the whole access at the
 *     first page's physical address and raises an access fault (5/7) at the access's
 *     address; the spec's priority (table 3.7) and translation order give the page fault
 *     (13/15) on page 3. Avoided in generation (paging.ts, crossingIntoGuardMayPageFault).
 *  6. A misaligned load/store that runs from an allowed page into a pmp-denied one: QEMU
 *     checks pmp over the whole access and reports the access's own address in mtval;
 *     the privileged spec (3.1.16) says mtval holds "the virtual address of the portion
 *     of the access that caused the fault", the first byte of the denied page, which is
 *     what Lantern reports (as both do for a page fault in the second page). Masked: in
 *     QEMU's output only, for access-fault (5/7) records of plain loads and stores whose
 *     bytes cross into the guarded page, mtval → that page's first byte.
 *
 * Implementation-defined behaviour both emulators are expected to share with QEMU (not
 * masked): misaligned loads/stores are performed, not trapped; a misaligned access that
 * faults in its second page reports that page's first byte in mtval; ebreak/c.ebreak
 * leave mtval = 0; illegal instructions report their encoding in mtval (16 bits for a
 * compressed one). The generator never depends on LR reservations surviving a trap, a store or an mret, nor on
 * A/D-bit updating, nor on the reservation-set size.
 *
 * A failing seed leaves test/fuzz/build/fuzz-<seed>.{S,lst,elf,expected.out,lantern.out};
 * rerun one by hand with the commands of toolchain.ts (QEMU_ARGS, LANTERN_ARGS), e.g.
 *   node dist/cli.js -machine spike -bios none -nographic -icount shift=3 \
 *     -kernel test/fuzz/build/fuzz-<seed>.elf
 */
import * as fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readKernel } from '../../server/src/machine/elf';
import { type GeneratedProgram, generateProgram } from './generate';
import { GUARD_PAGE_OFFSET } from './paging';
import { GCC, LANTERN_CLI, QEMU, type RunResult, buildProgram, hasTool, runLantern, runQemu } from './toolchain';

/**
 * Fixed seeds: the run is deterministic. Add a seed here to keep a failing program.
 * LANTERN_FUZZ_SEEDS=100-199 (or a comma list) runs other seeds instead, for a longer hunt.
 */
const DEFAULT_SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003, 0x5eed0004, 0x5eed0005, 0x5eed0006];
const SEEDS = parseSeeds(process.env.LANTERN_FUZZ_SEEDS) ?? DEFAULT_SEEDS;
const INSTRUCTIONS_PER_PROGRAM = 22000;
const SEGMENTS_PER_PROGRAM = 24;

interface Case {
  program: GeneratedProgram;
  elf: string;
  reference: string;
}

function parseSeeds(spec: string | undefined): number[] | undefined {
  if (!spec) return undefined;
  return spec.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map((n) => Number(n));
    return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

const missing = [GCC, QEMU].filter((tool) => !hasTool(tool));
const title = missing.length
  ? `differential fuzz vs QEMU (SKIPPED: ${missing.join(' and ')} not installed)`
  : 'differential fuzz vs QEMU';
if (missing.length) console.warn(`test/fuzz: ${title}`);

const AMO_CAUSE_AS_SPEC: Record<number, number> = { 4: 6, 5: 7, 13: 15 };
const TRAP_LINE = /^trap (\d+) pc \+([0-9a-f]+) cause ([0-9a-f]{16}) tval ([0-9a-f]{16})$/;

function isReadModifyWriteAmo(bits: number, size: number): boolean {
  if (size !== 4 || (bits & 0x7f) !== 0x2f) return false;
  const f3 = (bits >>> 12) & 7;
  const f5 = bits >>> 27;
  return (f3 === 2 || f3 === 3) && [0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c].includes(f5);
}

/** Bytes a plain (non-atomic) load or store accesses, or undefined for anything else. */
function plainAccessSize(bits: number, size: number): number | undefined {
  if (size === 4) {
    const f3 = (bits >>> 12) & 7;
    if ((bits & 0x7f) === 0x03 && f3 !== 7) return 1 << (f3 & 3); // lb..ld, lbu..lwu
    if ((bits & 0x7f) === 0x23 && f3 < 4) return 1 << f3; // sb..sd
    return undefined;
  }
  // RVC: quadrant 0 c.lw/c.ld/c.sw/c.sd, quadrant 2 c.lwsp/c.ldsp/c.swsp/c.sdsp.
  const key = ((bits & 3) << 3) | ((bits >>> 13) & 7);
  const sizes: Record<number, number> = { 0x02: 4, 0x03: 8, 0x06: 4, 0x07: 8, 0x12: 4, 0x13: 8, 0x16: 4, 0x17: 8 };
  return sizes[key];
}

/** Where the pmp-guarded scratch page (page 3) lies in the built program. */
function guardPageAddress(elf: string): bigint {
  const image = readKernel(elf);
  const scratch = image.format === 'elf' ? image.symbols.lookup('fuzz_scratch') : undefined;
  if (!scratch) throw new Error(`${elf} has no fuzz_scratch symbol`);
  return scratch.value + BigInt(GUARD_PAGE_OFFSET);
}

/** Deviations 1 and 6 of the header, rewritten in QEMU's trap records to the spec's answer. */
function maskQemuDeviations(output: string, program: GeneratedProgram, guardPage: bigint): string {
  return output
    .split('\n')
    .map((line) => {
      const m = TRAP_LINE.exec(line);
      if (!m) return line;
      const word = program.instructionAt(Number(m[1]), parseInt(m[2], 16));
      const cause = parseInt(m[3], 16);
      if (!word) return line;
      if (isReadModifyWriteAmo(word.bits, word.size) && cause in AMO_CAUSE_AS_SPEC) {
        return `trap ${m[1]} pc +${m[2]} cause ${AMO_CAUSE_AS_SPEC[cause].toString(16).padStart(16, '0')} tval ${m[4]}`;
      }
      const accessSize = plainAccessSize(word.bits, word.size);
      if ((cause === 5 || cause === 7) && accessSize !== undefined) {
        const tval = BigInt(`0x${m[4]}`);
        const boundary = (tval + BigInt(accessSize) - 1n) & ~0xfffn;
        if (boundary > tval && boundary === guardPage) return `trap ${m[1]} pc +${m[2]} cause ${m[3]} tval ${boundary.toString(16).padStart(16, '0')}`;
      }
      return line;
    })
    .join('\n');
}

/** Names the instruction a differing trap line points at, and the segment. */
function describeLine(line: string, program: GeneratedProgram): string {
  const m = TRAP_LINE.exec(line);
  if (!m) return '';
  const word = program.instructionAt(Number(m[1]), parseInt(m[2], 16));
  if (!word) return ` (no generated instruction at segment ${m[1]} +${m[2]})`;
  const hex = word.bits.toString(16).padStart(word.size * 2, '0');
  return ` (segment ${m[1]} +${m[2]}: ${hex} ${word.kind})`;
}

function firstDifference(c: Case, expected: string, actual: RunResult): string | undefined {
  const want = expected.split('\n');
  const got = actual.stdout.split('\n');
  let segment = '(before the first segment)';
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i]?.startsWith('seg ')) segment = want[i];
    if (want[i] === got[i]) continue;
    const stem = c.elf.replace(/\.elf$/, '');
    return [
      `seed ${c.program.seed} (0x${c.program.seed.toString(16)}): first difference at output line ${i + 1}, in "${segment}"`,
      `  QEMU:    ${want[i] ?? '<end of output>'}${describeLine(want[i] ?? '', c.program)}`,
      `  Lantern: ${got[i] ?? '<end of output>'}${describeLine(got[i] ?? '', c.program)}`,
      `  Lantern exit status ${actual.status}${actual.status === null ? ' (killed: timeout)' : ''}` +
        (actual.stderr ? `, stderr: ${actual.stderr.trim().split('\n').slice(-5).join(' | ')}` : ''),
      `  files: ${stem}.S, ${stem}.lst (offsets and item kinds), ${stem}.expected.out (QEMU's, masked), ` +
        `${stem}.lantern.out`,
    ].join('\n');
  }
  return undefined;
}

describe('fuzz program generator', () => {
  it('generates the same program from the same seed', () => {
    const a = generateProgram({ seed: DEFAULT_SEEDS[0], instructions: 2000, segments: 4 });
    const b = generateProgram({ seed: DEFAULT_SEEDS[0], instructions: 2000, segments: 4 });
    expect(a.source).toBe(b.source);
    expect(generateProgram({ seed: DEFAULT_SEEDS[1], instructions: 2000, segments: 4 }).source).not.toBe(a.source);
  });
});

describe.skipIf(missing.length > 0)(title, () => {
  const cases: Case[] = [];

  beforeAll(() => {
    for (const seed of SEEDS) {
      const program = generateProgram({ seed, instructions: INSTRUCTIONS_PER_PROGRAM, segments: SEGMENTS_PER_PROGRAM });
      const elf = buildProgram(program);
      const first = runQemu(elf, 'qemu');
      const second = runQemu(elf, 'qemu-again');
      for (const run of [first, second]) {
        if (run.status !== 0 || !run.stdout.endsWith('end\n')) {
          throw new Error(`QEMU failed on seed ${seed} (status ${run.status}): ${run.stderr}\n${run.stdout.slice(-400)}`);
        }
      }
      if (first.stdout !== second.stdout) throw new Error(`QEMU output is not deterministic for seed ${seed} (${elf})`);
      const reference = maskQemuDeviations(first.stdout, program, guardPageAddress(elf));
      fs.writeFileSync(elf.replace(/\.elf$/, '.expected.out'), reference);
      cases.push({ program, elf, reference });
    }
  }, 180_000);

  it('has a deterministic QEMU reference covering every mode and many trap causes', () => {
    expect(cases.length).toBe(SEEDS.length); // each ran twice under QEMU with identical output
    if (SEEDS !== DEFAULT_SEEDS) return; // the coverage below is promised for the default set
    const total = cases.reduce((n, c) => n + c.program.instructionCount, 0);
    expect(total).toBeGreaterThanOrEqual(100_000);
    const all = cases.map((c) => c.reference).join('\n');
    for (const mode of ['M', 'S', 'U']) expect(all).toContain(` mode ${mode} `);
    const causes = new Set([...all.matchAll(/ cause ([0-9a-f]{16})/g)].map((m) => parseInt(m[1], 16)));
    for (const cause of [2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15]) expect(causes).toContain(cause);
  });

  it('Lantern prints the same trap records, registers and memory as QEMU', () => {
    if (!fs.existsSync(LANTERN_CLI)) {
      throw new Error(`Lantern is not built: ${LANTERN_CLI} is missing (run \`npm run build\` first)`);
    }
    let compared = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const result = runLantern(c.elf);
      const difference = firstDifference(c, c.reference, result);
      if (difference) failures.push(difference);
      else if (result.status !== 0) failures.push(`seed ${c.program.seed}: output matches but Lantern exited ${result.status}`);
      compared += c.program.instructionCount;
    }
    console.log(`differential fuzz: ${compared} random instructions in ${cases.length} programs compared with QEMU`);
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 600_000);
});
