// The VM manager behind `lantern server` (protocol.ts's VmController): VMs by name, each
// running in its own worker thread (vm-worker.ts, through worker-link.ts), their states and
// transitions, the server's memory budget, per-VM limits, console output kept for console-read,
// snapshots, restores, clones and register reads. Requests on one VM are served one at a time, in order.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cloneCommandLine } from '../cli/clone';
import { UsageError } from '../cli/options';
import { LoadError } from '../machine/elf';
import { SnapshotError } from '../snapshot/format';
import { ConsoleRing } from './console-ring';
import {
  CONSOLE_KEEP, DEFAULT_MEMORY_BUDGET, VM_NAME,
  type ErrorCode, type Request, type Response, type VmController, type VmInfo, type VmLimits, type VmState,
} from './protocol';
import { parseVmArguments } from './vm-options';
import { WorkerLink, type WorkerEnd } from './worker-link';
import type { WorkerStatus } from './worker-messages';

export interface VmManagerOptions {
  /** Guest RAM of all running and paused VMs together, in bytes (DEFAULT_MEMORY_BUDGET when absent). */
  readonly memoryBudget?: number;
  /** The CLI bundle a VM's worker runs (cli/main.ts hands a VM's workerData to vm-worker.ts): dist/cli.js by default. */
  readonly workerScript?: string;
  /** Where the VMs' notices go (their workers' stderr, a line each): stderr when absent. */
  readonly log?: (line: string) => void;
}

/** How long a stop waits for a VM's worker to end its run before ending the thread. */
const STOP_WAIT_MS = 10_000;
const MIB = 1024 * 1024;

/** A refusal: the request's answer (ok false) with its code. */
class Refusal extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

interface Vm {
  readonly name: string;
  readonly args: readonly string[];
  readonly memory: number;
  readonly harts: number;
  readonly limits?: VmLimits;
  readonly console: ConsoleRing;
  /** A snapshot the server made for this VM (a clone's source), deleted with it. */
  readonly ownFile?: string;
  state: VmState;
  /** Its worker while it runs or is paused (and while it starts). */
  link?: WorkerLink;
  /** Starting: its worker is being built (its RAM counts against the budget already). */
  starting: boolean;
  gdbPort?: number;
  dapPort?: number;
  exitStatus?: number;
  error?: string;
  steps?: string;
  /** The requests on this VM, one after another. */
  queue: Promise<unknown>;
}

export class VmManager implements VmController {
  private readonly vms = new Map<string, Vm>();
  /** Names a create or clone has claimed before its VM exists. */
  private readonly claimed = new Set<string>();
  private readonly budget: number;
  private readonly workerScript: string;
  private readonly log: (line: string) => void;
  /** Where clones' snapshots go (made on the first clone of a VM). */
  private stateDir: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: VmManagerOptions = {}) {
    this.budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    this.workerScript = options.workerScript ?? defaultWorkerScript();
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  async handle(request: Exclude<Request, { op: 'hello' }>): Promise<Response> {
    if (this.closing && request.op !== 'shutdown') return refused('wrong-state', 'the server is shutting down');
    try {
      return { ok: true, value: await this.serve(request) };
    } catch (error) {
      if (error instanceof Refusal) return refused(error.code, error.message);
      if (isConfigurationError(error)) return refused('refused', (error as Error).message);
      const message = error instanceof Error ? error.message : String(error);
      this.log(`lantern: server: ${request.op}: internal error: ${message}`);
      return refused('refused', `internal error: ${message}`);
    }
  }

  /** Stops every VM, ends its worker and removes the clones' snapshots. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.vms.values()].map((vm) => this.exclusive(vm, () => this.stopVm(vm))));
      if (this.stateDir) fs.rmSync(this.stateDir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  /** Test hook (no request reaches it): kills a VM's worker as a crash would — its thread
   * ended at once ('terminate'), or an exception thrown inside it ('throw'). */
  async crashWorker(name: string, how: 'terminate' | 'throw'): Promise<void> {
    const link = this.vms.get(name)?.link;
    if (!link) throw new Error(`VM ${name} has no worker`);
    if (how === 'terminate') await link.terminate();
    else await link.request({ op: 'crash' });
    await link.gone;
  }

  private async serve(request: Exclude<Request, { op: 'hello' }>): Promise<unknown> {
    switch (request.op) {
      case 'list':
        return [...this.vms.values()].map((vm) => this.info(vm));
      case 'inspect':
        return this.info(this.find(request.name));
      case 'create':
        return this.create(request.name, request.args, request.limits, request.start ?? false);
      case 'start':
        return this.on(request.name, (vm) => this.start(vm));
      case 'pause':
      case 'resume':
        return this.on(request.name, (vm) => this.pauseOrResume(vm, request.op));
      case 'stop':
        return this.on(request.name, async (vm) => {
          this.live(vm, 'stop');
          await this.stopVm(vm);
          return this.info(vm);
        });
      case 'delete':
        return this.on(request.name, async (vm) => {
          await this.stopVm(vm);
          this.vms.delete(vm.name);
          if (vm.ownFile) fs.rmSync(vm.ownFile, { force: true });
          return null;
        });
      case 'console-read':
        return this.consoleRead(this.find(request.name), request.from);
      case 'console-write':
        return this.on(request.name, async (vm) => {
          const link = this.live(vm, 'type at its console');
          const bytes = Uint8Array.from(Buffer.from(request.text, 'latin1'));
          answer(await link.request({ op: 'input', bytes }, [bytes.buffer]));
          return null;
        });
      case 'snapshot':
        return this.on(request.name, (vm) => this.snapshot(vm, absolute(request.file)));
      case 'restore':
        return this.on(request.name, async (vm) => {
          const status = answer(await this.live(vm, 'restore').request({ op: 'restore', file: absolute(request.file) })) as WorkerStatus;
          this.apply(vm, status);
          return this.info(vm);
        });
      case 'registers':
        return this.on(request.name, async (vm) => {
          if (vm.state !== 'running' && vm.state !== 'paused') throw new Refusal('wrong-state', `VM ${vm.name} is ${vm.state}: its registers are read while it is paused`);
          // The worker decides running or paused: a debugger's stop reaches it before this VM's state here.
          const link = this.live(vm, 'read the registers of');
          return answer(await link.request({ op: 'registers', hart: request.hart ?? 0, ...(request.names ? { names: request.names } : {}) }));
        });
      case 'clone':
        return this.clone(request.source, request.newName, request.start ?? false);
      case 'shutdown':
        await this.close();
        return null;
    }
  }

  // --- the requests ---

  private async create(name: string, args: readonly string[], limits: VmLimits | undefined, start: boolean, ownFile?: string): Promise<VmInfo> {
    this.claim(name);
    try {
      checkLimits(limits);
      const options = parseVmArguments(args);
      if (start) this.checkBudget(name, options.ramSize);
      const vm: Vm = {
        name, args: [...args], memory: options.ramSize, harts: options.harts, ...(limits ? { limits } : {}), ...(ownFile ? { ownFile } : {}),
        console: new ConsoleRing(CONSOLE_KEEP), state: 'created', starting: false, queue: Promise.resolve(),
      };
      this.vms.set(name, vm);
      return start ? await this.exclusive(vm, () => this.start(vm)) : this.info(vm);
    } finally {
      this.claimed.delete(name);
    }
  }

  /** Starts a created, stopped or failed VM: a new worker builds its machine from its args. */
  private async start(vm: Vm): Promise<VmInfo> {
    if (vm.state !== 'created' && vm.state !== 'stopped' && vm.state !== 'failed') {
      throw new Refusal('wrong-state', `VM ${vm.name} is ${vm.state}: only a created, stopped or failed VM starts`);
    }
    this.checkBudget(vm.name, vm.memory);
    vm.starting = true;
    vm.exitStatus = undefined;
    vm.error = undefined;
    vm.steps = undefined;
    const link: WorkerLink = new WorkerLink(this.workerScript, { lanternVm: true, name: vm.name, args: vm.args, ...(vm.limits ? { limits: vm.limits } : {}) }, {
      console: (bytes) => vm.console.write(bytes),
      status: (status) => { if (vm.link === link && !vm.starting) this.apply(vm, status); },
      ended: (end) => { if (vm.link === link) this.ended(vm, end); },
    }, (line) => this.log(line));
    vm.link = link;
    const started = await link.started;
    vm.starting = false;
    if (started.kind === 'ended') {
      throw new Refusal('refused', `VM ${vm.name} did not start: ${started.end.error ?? 'its run ended at once'}`);
    }
    vm.gdbPort = started.gdbPort;
    vm.dapPort = started.dapPort;
    if (!link.ended) this.apply(vm, started.status);
    return this.info(vm);
  }

  private async pauseOrResume(vm: Vm, op: 'pause' | 'resume'): Promise<VmInfo> {
    const link = this.live(vm, op);
    const status = answer(await link.request({ op })) as WorkerStatus;
    this.apply(vm, status);
    return this.info(vm);
  }

  /** Ends a running or paused VM's run (status 0, as QEMU's quit) and its worker; nothing for any other. */
  private async stopVm(vm: Vm): Promise<void> {
    const link = vm.link;
    if (!link) return;
    await link.request({ op: 'stop' });
    const timeout = delay(STOP_WAIT_MS);
    const stopped = await Promise.race([link.finished.then(() => true), timeout.promise.then(() => false)]);
    if (!stopped) {
      await link.terminate();
      vm.error = `did not stop within ${STOP_WAIT_MS / 1000} s: its worker was ended`;
    }
    // Its RAM is free once the thread is gone.
    await Promise.race([link.gone, timeout.promise]);
    timeout.cancel();
    if (!link.ended) await link.terminate();
  }

  private consoleRead(vm: Vm, from: number): { text: string; next: number } {
    if (vm.state === 'created') throw new Refusal('wrong-state', `VM ${vm.name} has not run yet: it has no console output`);
    if (!Number.isSafeInteger(from) || from < 0) throw new Refusal('bad-request', `'from' must be a byte offset, not ${from}`);
    const { bytes, next } = vm.console.read(from);
    return { text: Buffer.from(bytes).toString('latin1'), next };
  }

  private async snapshot(vm: Vm, file: string): Promise<{ file: string; bytes: number }> {
    const link = this.live(vm, 'snapshot');
    return answer(await link.request({ op: 'snapshot', file })) as { file: string; bytes: number };
  }

  /** A new VM from a running or paused VM (snapshotted now, into the server's own folder) or from a snapshot file. */
  private async clone(source: { readonly vm: string } | { readonly file: string }, newName: string, start: boolean): Promise<VmInfo> {
    this.claim(newName);
    let file: string;
    let ownFile: string | undefined;
    try {
      if ('vm' in source) {
        ownFile = path.join(this.snapshotDir(), `${newName}-${Date.now().toString(36)}.lsnap`);
        file = (await this.on(source.vm, (vm) => this.snapshot(vm, ownFile!))).file;
      } else {
        file = absolute(source.file);
      }
      const args = cloneCommandLine([file]);
      this.claimed.delete(newName);
      return await this.create(newName, args, undefined, start, ownFile);
    } catch (error) {
      if (ownFile && !this.vms.has(newName)) fs.rmSync(ownFile, { force: true });
      throw error;
    } finally {
      this.claimed.delete(newName);
    }
  }

  // --- bookkeeping ---

  private info(vm: Vm): VmInfo {
    const live = vm.link !== undefined && !vm.starting;
    return {
      name: vm.name,
      state: vm.state,
      args: vm.args,
      memory: vm.memory,
      harts: vm.harts,
      ...(live && vm.gdbPort !== undefined ? { gdbPort: vm.gdbPort, dapPort: vm.dapPort } : {}),
      ...(vm.exitStatus === undefined ? {} : { exitStatus: vm.exitStatus }),
      ...(vm.error === undefined ? {} : { error: vm.error }),
      ...(vm.steps === undefined ? {} : { steps: vm.steps }),
      ...(vm.limits ? { limits: vm.limits } : {}),
    };
  }

  private apply(vm: Vm, status: WorkerStatus): void {
    vm.state = status.state;
    vm.steps = status.steps;
  }

  /** The worker said its last word or died: the VM is stopped (its exit status, or the limit it reached) or failed. */
  private ended(vm: Vm, end: WorkerEnd): void {
    vm.link = undefined;
    vm.gdbPort = undefined;
    vm.dapPort = undefined;
    if (end.steps !== undefined) vm.steps = end.steps;
    if (end.kind === 'exited') {
      vm.state = 'stopped';
      if (end.status !== undefined) vm.exitStatus = end.status;
      if (end.error !== undefined) vm.error = end.error;
    } else {
      vm.state = 'failed';
      vm.error = end.error;
    }
  }

  private find(name: string): Vm {
    const vm = this.vms.get(name);
    if (!vm) throw new Refusal('no-such-vm', `no VM named ${name}`);
    return vm;
  }

  /** Runs `act` on VM `name` after the requests on it before this one; refused if it was deleted meanwhile. */
  private on<T>(name: string, act: (vm: Vm) => Promise<T>): Promise<T> {
    const vm = this.find(name);
    return this.exclusive(vm, () => {
      if (this.vms.get(name) !== vm) throw new Refusal('no-such-vm', `no VM named ${name}`);
      return act(vm);
    });
  }

  private exclusive<T>(vm: Vm, act: () => Promise<T>): Promise<T> {
    const result = vm.queue.then(act);
    vm.queue = result.catch(() => undefined);
    return result;
  }

  /** The worker of a running or paused VM, for `what`; refused for any other state. */
  private live(vm: Vm, what: string): WorkerLink {
    if (!vm.link || vm.starting || (vm.state !== 'running' && vm.state !== 'paused')) {
      throw new Refusal('wrong-state', `VM ${vm.name} is ${vm.state}: cannot ${what} it (it must be running or paused)`);
    }
    return vm.link;
  }

  private claim(name: string): void {
    if (!VM_NAME.test(name)) throw new Refusal('bad-request', `bad VM name '${name}' (a letter or digit, then letters, digits, '.', '_' or '-'; at most 64)`);
    if (this.vms.has(name) || this.claimed.has(name)) throw new Refusal('exists', `a VM named ${name} exists already`);
    this.claimed.add(name);
  }

  /** Refuses a start that would take the guest RAM of running and paused VMs over the budget. */
  private checkBudget(name: string, memory: number): void {
    let used = 0;
    for (const vm of this.vms.values()) if (vm.starting || vm.state === 'running' || vm.state === 'paused') used += vm.memory;
    if (used + memory > this.budget) {
      throw new Refusal('over-budget', `starting VM ${name} (${mib(memory)} of RAM) would exceed the server's memory budget: ${mib(used)} of ${mib(this.budget)} in use`);
    }
  }

  private snapshotDir(): string {
    this.stateDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-vmm-'));
    return this.stateDir;
  }
}

/** The bundle a worker runs: the CLI bundle beside this one when bundled (dist/cli.js itself,
 * or next to dist/bench.js), else the one the sources build into (as core.wasm is found). */
function defaultWorkerScript(): string {
  return path.extname(__filename) === '.js' ? path.join(__dirname, 'cli.js') : path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
}

function refused(code: ErrorCode, error: string): Response {
  return { ok: false, code, error };
}

/** A worker's answer's value; its refusal thrown on. */
function answer(response: Response): unknown {
  if (!response.ok) throw new Refusal(response.code, response.error);
  return response.value;
}

function absolute(file: string): string {
  if (!path.isAbsolute(file)) throw new Refusal('bad-request', `'${file}' is not an absolute path`);
  return file;
}

function checkLimits(limits: VmLimits | undefined): void {
  if (limits?.steps !== undefined && !/^\d{1,20}$/.test(limits.steps)) throw new Refusal('bad-request', `the steps limit must be a decimal count, not '${limits.steps}'`);
  if (limits?.wallMs !== undefined && !(Number.isFinite(limits.wallMs) && limits.wallMs > 0)) throw new Refusal('bad-request', 'the wall-time limit must be a positive number of ms');
}

function isConfigurationError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof LoadError || error instanceof SnapshotError;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MiB`;
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  return { promise, cancel: () => clearTimeout(timer) };
}
