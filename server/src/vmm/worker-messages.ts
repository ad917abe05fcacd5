// The messages between the VM manager (main thread) and a VM's worker thread (vm-worker.ts):
// what the worker is started with, the commands it answers, and what it reports unasked.
// Types only, beside the guard that recognises a VM worker's start.
import type { Response, VmLimits } from './protocol';

/** The worker's workerData: the VM to build and run. */
export interface VmWorkerData {
  /** Marks a VM worker: the CLI bundle's entry (cli/main.ts) runs vm-worker.ts when it sees it. */
  readonly lanternVm: true;
  readonly name: string;
  readonly args: readonly string[];
  readonly limits?: VmLimits;
}

export function isVmWorkerData(data: unknown): data is VmWorkerData {
  return typeof data === 'object' && data !== null && (data as { lanternVm?: unknown }).lanternVm === true;
}

/** The machine as the worker sees it: running, or held (paused by a user, or stopped by a debugger). */
export interface WorkerStatus {
  readonly state: 'running' | 'paused';
  /** Clock steps so far (decimal). */
  readonly steps: string;
}

/** What the manager asks; each is answered with a `reply` of the same id. */
export type WorkerCommand =
  | { readonly op: 'pause' }
  | { readonly op: 'resume' }
  /** Ends the run (status 0, as QEMU's quit); the worker then reports `exited` and ends. */
  | { readonly op: 'stop' }
  | { readonly op: 'input'; readonly bytes: Uint8Array }
  | { readonly op: 'snapshot'; readonly file: string }
  | { readonly op: 'restore'; readonly file: string }
  /** Register values of a hart while the machine is stopped (names absent: x, pc and priv); answers the API's `registers` value. */
  | { readonly op: 'registers'; readonly hart: number; readonly names?: readonly string[] }
  /** Test hook: an exception thrown outside any handler, as a bug in the worker would. */
  | { readonly op: 'crash' };

export interface WorkerRequest {
  readonly id: number;
  readonly command: WorkerCommand;
}

/** What the worker tells the manager. `exited` or `failed` is its last word. */
export type WorkerMessage =
  /** The machine is built and runs; its GDB stub and DAP endpoint listen on these ports of 127.0.0.1. */
  | { readonly kind: 'ready'; readonly gdbPort: number; readonly dapPort: number; readonly status: WorkerStatus }
  /** Sent every STATUS_INTERVAL_MS and at each stop. */
  | { readonly kind: 'status'; readonly status: WorkerStatus }
  | { readonly kind: 'console'; readonly bytes: Uint8Array }
  | { readonly kind: 'reply'; readonly id: number; readonly response: Response }
  /** The run ended: the guest's exit status, or `error` naming the limit it reached. */
  | { readonly kind: 'exited'; readonly status?: number; readonly error?: string; readonly steps: string }
  /** The machine could not be built (`refused`: its configuration, one line) or its run failed. */
  | { readonly kind: 'failed'; readonly error: string; readonly refused: boolean; readonly steps?: string };

/** How often a worker reports its state and steps unasked. */
export const STATUS_INTERVAL_MS = 100;
