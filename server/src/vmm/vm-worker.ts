// A VM's worker thread: builds the machine from the VM's command line as the CLI does, runs it
// with its GDB stub and DAP endpoint on free ports of 127.0.0.1, and serves the manager's
// commands (worker-messages.ts) until the run ends. One thread per VM, so a busy guest cannot
// starve the others or the API, and a crash here ends this VM only. The CLI bundle is its
// entry: cli/main.ts hands over to runVmWorker when started with a VM's workerData.
import type * as net from 'node:net';
import { parentPort } from 'node:worker_threads';
import { GdbServer } from '../../../gdbstub';
import { machineFromOptions, type OpenMachine } from '../cli/machine-options';
import { UsageError } from '../cli/options';
import { listenDap } from '../dap/server';
import { MachineDebugTarget } from '../debug/machine-target';
import { createMonitor } from '../debug/monitor';
import type { ByteSink } from '../devices/uart16550';
import { describeFileError, LoadError } from '../machine/elf';
import type { Machine } from '../machine/machine';
import { SnapshotError } from '../snapshot/format';
import { loadSnapshot, saveSnapshot } from '../snapshot/machine-snapshot';
import { loadvmFile } from '../snapshot/store';
import type { ErrorCode, Response } from './protocol';
import { readRegisterValues, UnknownRegister } from './register-values';
import { parseVmArguments } from './vm-options';
import { STATUS_INTERVAL_MS, type VmWorkerData, type WorkerCommand, type WorkerMessage, type WorkerRequest, type WorkerStatus } from './worker-messages';

const LOOPBACK = '127.0.0.1';
/** Console bytes are sent at each turn of the event loop, or sooner when this many wait. */
const CONSOLE_CHUNK = 64 * 1024;

/** Runs the VM `data` describes until its run ends; resolves with the thread's exit status. */
export async function runVmWorker(data: VmWorkerData): Promise<number> {
  const port = parentPort;
  if (!port) throw new Error('runVmWorker runs in a worker thread');
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const guestConsole = new WorkerConsole((bytes) => post({ kind: 'console', bytes }, [bytes.buffer as ArrayBuffer]));
  let vm: WorkerVm;
  try {
    vm = await WorkerVm.open(data, guestConsole);
  } catch (error) {
    guestConsole.flush();
    post({ kind: 'failed', error: describe(error), refused: isRefusal(error) });
    return 0;
  }
  port.on('message', (request: WorkerRequest) => {
    vm.command(request.command).then((response) => post({ kind: 'reply', id: request.id, response }));
  });
  post({ kind: 'ready', gdbPort: vm.gdbPort, dapPort: vm.dapPort, status: vm.status() });
  const ended = await vm.run((status) => post({ kind: 'status', status }));
  guestConsole.flush();
  post(ended);
  return 0;
}

/** The guest's console: to the manager in chunks, and to every attached DAP session. */
class WorkerConsole implements ByteSink {
  private chunk = new Uint8Array(CONSOLE_CHUNK);
  private used = 0;
  private scheduled = false;
  private readonly listeners = new Set<(bytes: Uint8Array) => void>();

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  write(byte: number): void {
    this.chunk[this.used++] = byte;
    if (this.used === CONSOLE_CHUNK) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.used === 0) return;
    const bytes = this.chunk.slice(0, this.used);
    this.used = 0;
    for (const listener of this.listeners) listener(bytes);
    this.send(bytes); // transfers the buffer: the listeners have had it
  }

  subscribe(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The machine of one VM with its debuggers' endpoints and limits. */
class WorkerVm {
  /** Why the run was ended by a limit (then it has no exit status). */
  private limitReached: string | undefined;

  private constructor(
    private readonly data: VmWorkerData,
    private readonly opened: OpenMachine,
    private readonly target: MachineDebugTarget,
    private readonly gdb: GdbServer,
    private readonly dap: net.Server,
    readonly gdbPort: number,
    readonly dapPort: number,
  ) {}

  /** Builds the machine (and loads its -loadvm snapshot), opens the GDB stub and the DAP endpoint. */
  static async open(data: VmWorkerData, guestConsole: WorkerConsole): Promise<WorkerVm> {
    const options = parseVmArguments(data.args);
    // -serial none: the UART's output goes nowhere (a virtconsole on a stdio chardev still reaches the console).
    const serial = options.serial === 'none' ? { write() {} } : guestConsole;
    const opened = machineFromOptions(options, { console: serial, terminal: guestConsole, cwd: process.cwd() });
    const machine = opened.machine;
    let gdb: GdbServer | undefined;
    let dap: net.Server | undefined;
    try {
      await machine.networksReady();
      if (options.loadvm !== undefined) loadSnapshot(machine, loadvmFile(options.loadvm), options.loadvm);
      // History costs memory the budget does not see: recorded only when the VM's args ask (-history on).
      const target = new MachineDebugTarget(machine, undefined, { history: options.history ?? false });
      target.monitor = createMonitor(target.monitorHost());
      gdb = new GdbServer(target, { log: (line) => process.stderr.write(`lantern: vm ${data.name}: ${line}\n`) });
      const gdbPort = (await gdb.listen({ host: LOOPBACK, port: 0 })).port!;
      dap = await listenDap(0, LOOPBACK, { target, kernel: options.kernel, console: (listener) => guestConsole.subscribe(listener) });
      const dapPort = (dap.address() as net.AddressInfo).port;
      return new WorkerVm(data, opened, target, gdb, dap, gdbPort, dapPort);
    } catch (error) {
      await gdb?.close();
      dap?.close();
      machine.stop(1); // closes the user networks' listeners
      for (const file of opened.files) file.close();
      throw error;
    }
  }

  private get machine(): Machine {
    return this.opened.machine;
  }

  status(): WorkerStatus {
    return { state: this.target.running ? 'running' : 'paused', steps: this.machine.core.clockSteps.toString() };
  }

  /** Runs the machine to its end, reporting its status meanwhile; what the worker's last word is. */
  async run(report: (status: WorkerStatus) => void): Promise<WorkerMessage> {
    const stopListener = () => setImmediate(() => { if (!this.ended) report(this.status()); });
    this.target.onStop(stopListener);
    const timer = this.watchLimits(report);
    let status: number | undefined;
    let failure: string | undefined;
    try {
      status = await this.machine.run();
    } catch (error) {
      failure = describe(error);
    } finally {
      clearInterval(timer);
      this.target.offStop(stopListener);
      // The debugger hears of the end (W) before its connection closes.
      await this.gdb.close();
      this.dap.close();
      for (const file of this.opened.files) file.close();
    }
    const steps = this.machine.core.clockSteps.toString();
    if (failure !== undefined) return { kind: 'failed', error: failure, refused: false, steps };
    if (this.limitReached !== undefined) return { kind: 'exited', error: this.limitReached, steps };
    return { kind: 'exited', status, steps };
  }

  private get ended(): boolean {
    return this.target.lastStop?.kind === 'exited';
  }

  /**
   * The VM's limits: its clock stops at the step limit (the machine's pauseAtStep, exact), and
   * wall time is counted while it runs; either ends the run. The status goes out on each tick
   * where it changed.
   */
  private watchLimits(report: (status: WorkerStatus) => void): ReturnType<typeof setInterval> {
    const limits = this.data.limits;
    const stepLimit = limits?.steps === undefined ? undefined : BigInt(limits.steps);
    if (stepLimit !== undefined) {
      const reached = () => this.machine.core.clockSteps >= stepLimit;
      this.machine.pauseAtStep(stepLimit);
      // After the stop's other listeners (the debuggers) have heard of it.
      this.target.onStop((reason) => { if (reason.kind === 'paused' && reached()) setImmediate(() => this.endByLimit(`step limit ${stepLimit} reached`)); });
      if (reached()) setImmediate(() => this.endByLimit(`step limit ${stepLimit} reached`));
    }
    let ranMs = 0;
    let last = performance.now();
    // Only a changed status goes out: a VM waiting for input (its clock still) costs the manager nothing.
    let reported = '';
    return setInterval(() => {
      const now = performance.now();
      if (this.target.running) ranMs += now - last;
      last = now;
      if (limits?.wallMs !== undefined && ranMs >= limits.wallMs) {
        this.endByLimit(`wall-time limit ${limits.wallMs} ms reached`);
        return;
      }
      const status = this.status();
      const key = `${status.state} ${status.steps}`;
      if (this.ended || key === reported) return;
      reported = key;
      report(status);
    }, STATUS_INTERVAL_MS);
  }

  private endByLimit(reason: string): void {
    if (this.limitReached !== undefined || this.ended) return;
    this.limitReached = reason;
    this.machine.stop(0);
  }

  /** One command of the manager, answered (a refusal is an answer, never a throw). */
  async command(command: WorkerCommand): Promise<Response> {
    if (this.ended) return refusal('wrong-state', `VM ${this.data.name} has ended`);
    try {
      switch (command.op) {
        case 'pause':
          if (!this.target.running) return refusal('wrong-state', `VM ${this.data.name} is already paused`);
          await this.target.pauseAndWait();
          return ok(this.status());
        case 'resume':
          if (this.target.running) return refusal('wrong-state', `VM ${this.data.name} is not paused`);
          this.target.resume({ kind: 'continue' });
          return ok(this.status());
        case 'stop':
          this.machine.stop(0);
          return ok(null);
        case 'input':
          this.machine.sendInput(command.bytes);
          return ok(null);
        case 'snapshot':
          return ok({ file: command.file, bytes: await this.paused(() => saveSnapshot(this.machine, command.file, this.data.name)) });
        case 'restore':
          await this.paused(() => {
            this.target.timeTravel?.edit();
            loadSnapshot(this.machine, command.file);
            this.target.timeTravel?.restart(); // the loaded state begins a new history
          });
          return ok(this.status());
        case 'registers':
          // Between a debugger's stops only: a running hart's registers change under the read.
          if (this.target.running) return refusal('wrong-state', `VM ${this.data.name} is running: its registers are read while it is paused`);
          return ok(readRegisterValues(this.target, command.hart, command.names));
        case 'crash':
          setImmediate(() => { throw new Error(`VM ${this.data.name}: crash requested (a test's)`); });
          return ok(null);
      }
    } catch (error) {
      return refusal(error instanceof UnknownRegister ? 'bad-request' : 'refused', describe(error));
    }
  }

  /** Runs `act` with the machine paused (as the monitor's savevm does), then lets it run again if it ran. */
  private async paused<T>(act: () => T): Promise<T> {
    const wasRunning = this.target.running;
    await this.target.pauseAndWait();
    if (this.ended) throw new UsageError(`VM ${this.data.name} has ended`);
    try {
      return act();
    } finally {
      if (wasRunning && !this.target.running && !this.ended) this.target.resume({ kind: 'continue' });
    }
  }
}

function ok(value: unknown): Response {
  return { ok: true, value };
}

function refusal(code: ErrorCode, error: string): Response {
  return { ok: false, code, error };
}

/** A configuration the user can fix (one line), as opposed to a failure of the host. */
function isRefusal(error: unknown): boolean {
  return error instanceof UsageError || error instanceof LoadError || error instanceof SnapshotError || (error as NodeJS.ErrnoException)?.syscall !== undefined;
}

/** One line for an error: a file's name and what is wrong with it, or the error's message. */
function describe(error: unknown): string {
  const file = error as NodeJS.ErrnoException | undefined;
  if (file?.code !== undefined && file.syscall !== undefined) return `${file.path ?? file.syscall}: ${describeFileError(error)}`;
  return error instanceof Error ? error.message : String(error);
}
