// SMP end to end on the real core: test/boot/smp/guest.c on 3, 4 and 8 harts (turns under an
// amoswap spinlock with IPIs into wfi, lr/sc and amoadd counters, per-hart Sv39 translations
// with a remote remap + sfence.vma, a timer per hart), with and without a hart that spins
// instead of waiting in wfi. Runs must repeat exactly (transcript and final step count), and
// the transcript, the same for every interleaving, must be QEMU virt -smp N's.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../server/src/machine/machine';
import { buildGuest, buildHostBundle, hasTool, RISCV_GCC } from '../support/guest-tools';

const root = path.resolve(__dirname, '..', '..');
const source = path.join(__dirname, 'smp');
const build = path.join(__dirname, 'build');
const elf = path.join(build, 'smp.elf');
const gcc = RISCV_GCC;
const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const haveGcc = hasTool(gcc);
const haveQemu = hasTool('qemu-system-riscv64');
if (!haveGcc) console.warn(`test/boot/smp: ${gcc} not found on PATH: skipping the SMP guest`);

const RAM = 64 << 20;
const ITERATIONS = 10_000; // guest.c ITERATIONS
const ROUNDS = 3; // guest.c ROUNDS

/** What guest.c prints on `harts` harts: the same for every interleaving. */
function expectedTranscript(harts: number, spin: boolean): string {
  const lines = [`smp: ${harts} harts${spin ? `, hart ${harts - 1} spins` : ''}`];
  for (let round = 0; round < ROUNDS; round++) {
    for (let hart = 0; hart < harts; hart++) lines.push(`round ${round}: hart ${hart}`);
  }
  lines.push(
    `lr/sc counter ${harts * ITERATIONS} ok`,
    `amoadd counter ${harts * ITERATIONS} ok`,
    `locked counter ${harts * (ITERATIONS / 16)} ok`,
    'paging errors 0 ok',
  );
  for (let hart = 0; hart < harts; hart++) lines.push(`timer hart ${hart} ok`);
  lines.push('done');
  return `${lines.join('\n')}\n`;
}

/** Runs the guest in a Machine; the SC failures per hart are read back from guest RAM. */
async function runInProcess(harts: number, spin: boolean) {
  const output: number[] = [];
  const machine = new Machine({
    board: 'virt', ramSize: RAM, kernel: elf, bios: 'none', icountShift: 3, harts,
    append: spin ? 'spin' : undefined, console: { write: (byte) => output.push(byte) },
  });
  const status = await machine.run();
  const failures = machine.symbols!.lookup('sc_failures')!.value;
  const words = new DataView(machine.core.readPhysical(failures, 4 * harts).buffer);
  const scFailures = Array.from({ length: harts }, (_, hart) => words.getUint32(4 * hart, true));
  return { status, transcript: Buffer.from(output).toString('latin1'), steps: machine.core.clockSteps, scFailures };
}

function runCommand(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'latin1', timeout: 60_000 });
  return { status: result.status, transcript: result.stdout, stderr: result.stderr };
}

describe.skipIf(!haveGcc || !haveCore)('SMP guest (spinlock, IPIs, LR/SC, per-hart TLBs and timers)', () => {
  beforeAll(() => {
    buildGuest({ sources: [path.join(source, 'start.S'), path.join(source, 'guest.c')], linkScript: path.join(source, 'link.ld'), output: elf, gcc });
    // The CLI run below uses the bundle: build it from the current sources.
    buildHostBundle();
  });

  it('runs on 3 harts: turns in order, exact counters, per-hart translations and timers', async () => {
    const run = await runInProcess(3, false);
    expect(run.transcript).toBe(expectedTranscript(3, false));
    expect(run.status).toBe(0);
    // Turns ended between some lr.w and its sc.w, and another hart's store broke the pair.
    expect(run.scFailures.reduce((a, b) => a + b)).toBeGreaterThan(0);
  });

  it('runs on 4 harts twice with the same transcript and the same final step count', async () => {
    const [a, b] = [await runInProcess(4, false), await runInProcess(4, false)];
    expect(a.transcript).toBe(expectedTranscript(4, false));
    expect(a.status).toBe(0);
    expect(b.transcript).toBe(a.transcript);
    expect(b.steps).toBe(a.steps);
    expect(b.scFailures).toEqual(a.scFailures);
    // Hart 3's timer alone is 4 ms of virtual time (500,000 steps of 8 ns).
    expect(a.steps).toBeGreaterThan(500_000n);
  });

  it('runs with one hart polling (never in wfi) while the others wait in wfi, deterministically', async () => {
    const [a, b] = [await runInProcess(4, true), await runInProcess(4, true)];
    expect(a.transcript).toBe(expectedTranscript(4, true));
    expect(a.status).toBe(0);
    expect(b.transcript).toBe(a.transcript);
    expect(b.steps).toBe(a.steps);
  });

  it('takes -smp 8 on the command line', () => {
    const run = runCommand(process.execPath, [
      path.join(root, 'dist', 'cli.js'), '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '64M', '-smp', '8', '-kernel', elf,
    ]);
    expect(run.stderr).toBe('');
    expect(run.transcript).toBe(expectedTranscript(8, false));
    expect(run.status).toBe(0);
  });

  it.skipIf(!haveQemu).each([
    { harts: 3, spin: false },
    { harts: 4, spin: false },
    { harts: 4, spin: true },
  ])('prints what QEMU virt -smp $harts prints (spin: $spin)', async ({ harts, spin }) => {
    const qemu = runCommand('qemu-system-riscv64', [
      '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '64M', '-smp', String(harts),
      ...(spin ? ['-append', 'spin'] : []), '-kernel', elf,
    ]);
    expect(qemu.status).toBe(0);
    expect(qemu.transcript).toBe(expectedTranscript(harts, spin));
    expect((await runInProcess(harts, spin)).transcript).toBe(qemu.transcript);
  });
});
