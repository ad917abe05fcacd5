// The manager's side of one VM's worker thread (vm-worker.ts): starts it from the CLI bundle,
// sends it commands and matches their replies, passes on what it reports, and tells once how
// it ended — its last word (exited, failed), or the thread's death (an uncaught error, an exit,
// a terminate()) when it had none.
import { Worker } from 'node:worker_threads';
import type { Response } from './protocol';
import type { VmWorkerData, WorkerCommand, WorkerMessage, WorkerStatus } from './worker-messages';

/** How a VM's worker ended. */
export type WorkerEnd =
  | { readonly kind: 'exited'; readonly status?: number; readonly error?: string; readonly steps?: string }
  | { readonly kind: 'failed'; readonly error: string; readonly refused: boolean; readonly steps?: string };

/** How a start went: the worker is ready (its ports), or it ended first. */
export type WorkerStart =
  | { readonly kind: 'ready'; readonly gdbPort: number; readonly dapPort: number; readonly status: WorkerStatus }
  | { readonly kind: 'ended'; readonly end: WorkerEnd };

export interface WorkerEvents {
  console(bytes: Uint8Array): void;
  status(status: WorkerStatus): void;
  /** Called once, when the worker has said its last word or died. */
  ended(end: WorkerEnd): void;
}

/** The most of a worker's stderr kept to explain its death. */
const STDERR_TAIL = 2048;

export class WorkerLink {
  /** Resolves when the worker is ready or has ended. */
  readonly started: Promise<WorkerStart>;
  /** Resolves with how it ended. */
  readonly finished: Promise<WorkerEnd>;
  /** Resolves when the thread is gone (its memory, guest RAM included, released). */
  readonly gone: Promise<void>;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (response: Response) => void>();
  private end: WorkerEnd | undefined;
  private uncaught: string | undefined;
  private stderrTail = '';
  private resolveStart!: (start: WorkerStart) => void;
  private resolveFinish!: (end: WorkerEnd) => void;

  constructor(script: string, data: VmWorkerData, private readonly events: WorkerEvents, log: (line: string) => void) {
    this.started = new Promise((resolve) => { this.resolveStart = resolve; });
    this.finished = new Promise((resolve) => { this.resolveFinish = resolve; });
    // The worker's own output is the server's notices, not a terminal's: read it, never inherit it.
    this.worker = new Worker(script, { workerData: data, stdout: true, stderr: true, execArgv: [] });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) if (line !== '') log(line);
      });
    }
    this.worker.on('message', (message: WorkerMessage) => this.received(message));
    this.worker.on('error', (error: Error) => { this.uncaught ??= error.message; });
    this.gone = new Promise((resolve) => this.worker.once('exit', (code: number) => {
      const said = lastLine(this.stderrTail);
      const why = this.uncaught ?? `its thread ended with exit code ${code}${said === undefined ? '' : ` (its last notice: ${said})`}`;
      this.settle({ kind: 'failed', error: `the VM's worker died: ${why}`, refused: false });
      resolve();
    }));
  }

  /** Sends a command; its reply (a refusal once the worker has ended). */
  request(command: WorkerCommand, transfer: ArrayBuffer[] = []): Promise<Response> {
    if (this.end) return Promise.resolve({ ok: false, code: 'wrong-state', error: 'the VM has ended' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, command }, transfer);
    });
  }

  /** Ends the thread at once (a stop that did not come, a crash a test asks for). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
    await this.gone;
  }

  get ended(): boolean {
    return this.end !== undefined;
  }

  private received(message: WorkerMessage): void {
    switch (message.kind) {
      case 'ready':
        this.resolveStart({ kind: 'ready', gdbPort: message.gdbPort, dapPort: message.dapPort, status: message.status });
        break;
      case 'status':
        if (!this.end) this.events.status(message.status);
        break;
      case 'console':
        this.events.console(message.bytes);
        break;
      case 'reply':
        this.pending.get(message.id)?.(message.response);
        this.pending.delete(message.id);
        break;
      case 'exited':
        this.settle({ kind: 'exited', steps: message.steps, ...(message.status === undefined ? {} : { status: message.status }), ...(message.error === undefined ? {} : { error: message.error }) });
        break;
      case 'failed':
        this.settle({ kind: 'failed', error: message.error, refused: message.refused, ...(message.steps === undefined ? {} : { steps: message.steps }) });
        break;
    }
  }

  private settle(end: WorkerEnd): void {
    if (this.end) return;
    this.end = end;
    for (const answer of this.pending.values()) answer({ ok: false, code: 'wrong-state', error: 'the VM has ended' });
    this.pending.clear();
    this.resolveStart({ kind: 'ended', end });
    this.resolveFinish(end);
    this.events.ended(end);
  }
}

function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines[lines.length - 1];
}
