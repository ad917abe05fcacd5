// Test helpers for the machine's DebugTarget: wait for its next stop, or resume and wait.
import type { MachineDebugTarget } from '../../server/src/debug/machine-target';
import type { ResumeAction, StopReason } from '../../server/src/debug/target';

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
