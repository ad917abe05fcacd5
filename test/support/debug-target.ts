// Test helpers for the machine's DebugTarget: samples/minikernel held at reset and running,
// waiting for the target's next stop, resuming and waiting.
import * as path from 'node:path';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import type { ResumeAction, StopReason } from '../../server/src/debug/target';
import { Machine } from '../../server/src/machine/machine';

export const MINIKERNEL = path.join(__dirname, '..', '..', 'samples', 'minikernel', 'minikernel.elf');

/** samples/minikernel on `harts` harts, held at reset (-S) and running (a fixed seed and RTC
 * start, so every run is the same): the machine, its target, its console output and its exit. */
export function haltedMinikernel(harts = 1): { machine: Machine; target: MachineDebugTarget; output: number[]; exit: Promise<number> } {
  const output: number[] = [];
  const machine = new Machine({
    board: 'virt', ramSize: 128 << 20, kernel: MINIKERNEL, bios: 'none', icountShift: 3, harts, startHalted: true,
    rngSeed: 1n, rtcStart: 0n, console: { write: (byte) => output.push(byte) },
  });
  const target = new MachineDebugTarget(machine);
  const exit = machine.run();
  return { machine, target, output, exit };
}

/** The next stop the target reports. */
export function nextStop(target: MachineDebugTarget): Promise<StopReason> {
  return new Promise((resolve) => {
    const listener = (reason: StopReason) => {
      target.offStop(listener);
      resolve(reason);
    };
    target.onStop(listener);
  });
}

/** Resumes as `action` says and waits for the stop. */
export function resumeAndWait(target: MachineDebugTarget, action: ResumeAction): Promise<StopReason> {
  const stop = nextStop(target);
  target.resume(action);
  return stop;
}
