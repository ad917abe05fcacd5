// Time-travel costs for `npm run bench`: how much slower the benchmark guest runs while history
// is recorded, and how long a reverse step takes after 10^8 and 10^9 steps of history on a
// 128 MiB guest (samples/minikernel -smp 2, whose second hart keeps running). Goals (the
// snapshots and time-travel issue): overhead <= 10%, reverse-stepi <= 50 ms.
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import type { ResumeAction, StopReason } from '../../server/src/debug/target';
import { Machine } from '../../server/src/machine/machine';

const RAM = 128 * 1024 * 1024;

function machineFor(kernel: string, harts: number, startHalted: boolean): Machine {
  return new Machine({
    board: 'virt', ramSize: RAM, kernel, bios: 'none', icountShift: 3, harts, rngSeed: 1n, rtcStart: 0n,
    console: { write() {} }, startHalted,
  });
}

function resumeAndWait(target: MachineDebugTarget, action: ResumeAction): Promise<StopReason> {
  return new Promise((resolve) => {
    const listener = (reason: StopReason) => {
      target.offStop(listener);
      resolve(reason);
    };
    target.onStop(listener);
    target.resume(action);
  });
}

/** Seconds for `kernel` to run to its exit with or without history, best of `runs`. */
async function runSeconds(kernel: string, history: boolean, runs: number): Promise<{ seconds: number; checkpoints: number; mib: number }> {
  let best = { seconds: Infinity, checkpoints: 0, mib: 0 };
  for (let i = 0; i < runs; i++) {
    const machine = machineFor(kernel, 1, false);
    const target = new MachineDebugTarget(machine, undefined, { history: history ? {} : false });
    const started = process.hrtime.bigint();
    const status = await machine.run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (status !== 0) throw new Error(`${kernel} exited with status ${status}`);
    const stats = target.timeTravel?.stats;
    if (seconds < best.seconds) best = { seconds, checkpoints: stats?.checkpoints ?? 0, mib: (stats?.bytes ?? 0) / (1 << 20) };
  }
  return best;
}

export interface HistoryCosts {
  plainSeconds: number;
  historySeconds: number;
  checkpoints: number;
  mib: number;
  /** Median reverse-stepi latency in ms after each history length. */
  reverse: { steps: bigint; medianMs: number; checkpoints: number; mib: number }[];
}

export async function historyCosts(benchGuest: string, minikernel: string): Promise<HistoryCosts> {
  // Alternate the two so a noisy neighbour hurts both alike.
  const plain = await runSeconds(benchGuest, false, 3);
  const recorded = await runSeconds(benchGuest, true, 3);

  const machine = machineFor(minikernel, 2, true);
  const target = new MachineDebugTarget(machine);
  void machine.run();
  const reverse: HistoryCosts['reverse'] = [];
  for (const steps of [100_000_000n, 1_000_000_000n]) {
    machine.pauseAtStep(steps);
    await resumeAndWait(target, { kind: 'continue' });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = process.hrtime.bigint();
      const stop = await resumeAndWait(target, { kind: 'step', hart: 1, others: 'run', reverse: true });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (stop.kind !== 'step') throw new Error(`reverse step stopped with ${stop.kind}`);
    }
    // Forward to the present again (replayed), ready for the next run.
    machine.pauseAtStep(steps);
    await resumeAndWait(target, { kind: 'continue' });
    times.sort((a, b) => a - b);
    const stats = target.timeTravel!.stats;
    reverse.push({ steps, medianMs: times[times.length >> 1], checkpoints: stats.checkpoints, mib: stats.bytes / (1 << 20) });
  }
  machine.stop();
  return { plainSeconds: plain.seconds, historySeconds: recorded.seconds, checkpoints: recorded.checkpoints, mib: recorded.mib, reverse };
}
