// Snapshot costs for `npm run bench`: save and load times and the file size for a 128 MiB
// guest, samples/minikernel after boot (a few MiB of RAM touched), and the same machine with
// every RAM page filled with incompressible bytes (the worst case for the zero-page elision
// and deflate). Goals (the snapshots issue): save <= 0.5 s, load <= 0.3 s.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../server/src/machine/machine';
import { loadSnapshot, saveSnapshot } from '../../server/src/snapshot/machine-snapshot';

export interface SnapshotCost {
  saveSeconds: number;
  loadSeconds: number;
  bytes: number;
}

const RAM = 128 * 1024 * 1024;

function minikernelMachine(kernel: string): Machine {
  return new Machine({
    board: 'virt', ramSize: RAM, kernel, bios: 'none', icountShift: 3, harts: 2, rngSeed: 1n, rtcStart: 0n,
    console: { write() {} }, startHalted: true,
  });
}

/** Runs the machine to `step` (it must be held, as with startHalted). */
async function runTo(machine: Machine, step: bigint): Promise<void> {
  const running = machine.run();
  await new Promise<void>((resolve) => {
    machine.onDebugHalt = () => resolve();
    machine.pauseAtStep(step);
    machine.debugResume({ kind: 'continue' });
  });
  void running;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function measure(kernel: string, fill: boolean): Promise<SnapshotCost> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-snapbench-')), 'bench.lsnap');
  const machine = minikernelMachine(kernel);
  await runTo(machine, 20_000_000n);
  if (fill) {
    // xorshift bytes over the upper half of RAM: incompressible, no zero page (the kernel's
    // own image and data in the lower half stay as they are).
    const ram = new Uint32Array(machine.core.ram.buffer, machine.core.ram.byteOffset + RAM / 2, RAM / 8);
    let x = 2463534242;
    for (let i = 0; i < ram.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      ram[i] = x >>> 0;
    }
  }
  let start = process.hrtime.bigint();
  const bytes = saveSnapshot(machine, file, 'bench');
  const saveSeconds = seconds(start);
  machine.stop(0);
  const fresh = minikernelMachine(kernel);
  start = process.hrtime.bigint();
  loadSnapshot(fresh, file);
  const loadSeconds = seconds(start);
  fresh.stop(0);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { saveSeconds, loadSeconds, bytes };
}

/** The minikernel after 20 M steps, then with half its RAM made incompressible. */
export async function snapshotCosts(kernel: string): Promise<{ booted: SnapshotCost; filled: SnapshotCost }> {
  return { booted: await measure(kernel, false), filled: await measure(kernel, true) };
}
