// The `lantern` CLI entry: parses QEMU-style options, wires the terminal to a Machine, runs
// it, and turns every user-facing failure into one "lantern: ..." line and exit status 2.
import { GdbServer } from '../../../gdbstub';
import { runBatch } from '../batch/batch-command';
import { MachineDebugTarget } from '../debug/machine-target';
import { createMonitor } from '../debug/monitor';
import { listenDap, runDapOnStdio } from '../dap/server';
import { runLanguageServer } from '../lsp/stdio';
import { StdioConsole } from '../host/stdio-console';
import { describeFileError, LoadError } from '../machine/elf';
import type { Machine } from '../machine/machine';
import { parseCloneArguments } from './clone';
import { machineFromOptions } from './machine-options';
import { parseArguments, UsageError, type GdbAddress, type RunOptions } from './options';
import { usesStdioConsole } from './virtio-options';
import { dumpDeviceTree } from './dump-dtb';
import { personalityOf } from './personality';
import { withProgressLine, type ProgressLineOptions } from './progress-line';
import { SnapshotError } from '../snapshot/format';
import { loadSnapshot } from '../snapshot/machine-snapshot';
import { loadvmFile } from '../snapshot/store';
import { isMainThread, workerData } from 'node:worker_threads';
import { runVmWorker } from '../vmm/vm-worker';
import { isVmWorkerData } from '../vmm/worker-messages';
import { isVmCommand, runVmCommand } from './vm-commands';

/** Exit status for a bad command line, a missing or unloadable kernel (like QEMU's exit(1), but distinct from a guest's status 1). */
const USAGE_FAILURE = 2;
const INTERNAL_FAILURE = 1;

async function main(argv: readonly string[]): Promise<number> {
  // A VM of `lantern server`, in its worker thread (vmm/manager.ts starts this bundle as one).
  if (!isMainThread && isVmWorkerData(workerData)) return runVmWorker(workerData);
  if (argv[0] === 'dap') return runDap(argv.slice(1));
  if (argv[0] === 'lsp') return runLanguageServer(argv.slice(1));
  if (argv[0] === 'batch') return runBatch(argv.slice(1));
  if (isVmCommand(argv)) return runVmCommand(argv); // server, ps, create, start, ..., clone NAME|FILE NEWNAME
  // `lantern clone FILE [options]`: a new VM from a snapshot, its disks behind overlays.
  if (argv[0] === 'clone') return runMachine(parseCloneArguments(argv.slice(1), personalityOf(process.argv[1])), `clone ${argv[1]}`);
  // `lantern-qemu` (bin/lantern-qemu.js, or a link named like QEMU) answers -version as QEMU.
  const invocation = parseArguments(argv, personalityOf(process.argv[1]));
  if (invocation.kind === 'print') {
    process.stdout.write(invocation.text.endsWith('\n') ? invocation.text : `${invocation.text}\n`);
    return 0;
  }
  if (invocation.kind === 'dump-dtb') {
    process.stderr.write(`lantern: ${dumpDeviceTree(invocation.file, invocation.options)}\n`);
    return 0;
  }
  return runMachine(invocation.options);
}

/** Runs the machine `options` describe; `loadLabel` names its -loadvm in the progress line. */
async function runMachine(options: RunOptions, loadLabel = `loadvm ${options.loadvm}`): Promise<number> {
  let machine: Machine | undefined;
  let target: MachineDebugTarget | undefined;
  // Whoever reads the console went away (`lantern … | head`): end quietly, as QEMU does.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  const terminal = new StdioConsole({
    input: process.stdin,
    output: process.stdout,
    mux: options.serial === 'mon:stdio',
    onInput: (bytes) => machine?.sendInput(bytes),
    onQuit: (reason) => {
      if (reason.kind === 'signal') process.stderr.write(`lantern: terminating on signal ${reason.signal}\n`);
      machine?.stop(0);
    },
    // Ctrl-A c: the monitor, about the hart that last stopped (hart 0 at first).
    onMonitor: async (line) => {
      const stop = target?.lastStop;
      const hart = stop && stop.kind !== 'exited' ? stop.hart : 0;
      const result = await target!.monitor!.command(line, hart);
      return result.output;
    },
  });
  const sink = options.serial === 'none' ? { write() {} } : terminal;
  const opened = machineFromOptions(options, { console: sink, terminal, cwd: process.cwd() });
  const running = opened.machine;
  machine = running;
  if (options.loadvm !== undefined) {
    const loadvm = options.loadvm;
    try {
      withProgressLine(onStderr(loadLabel), (progress) => loadSnapshot(running, loadvmFile(loadvm), loadvm, { progress }));
    } catch (error) {
      for (const file of opened.files) file.close();
      throw error;
    }
  }
  // History is for a debugger: recorded only with the GDB stub.
  target = new MachineDebugTarget(running, undefined, {
    history: options.gdb ? options.history : false,
    snapshotProgress: (label, run) => withProgressLine(onStderr(label), run),
  });
  if (options.gdb && options.history === undefined && !target.timeTravel && !running.usesSemihosting) {
    process.stderr.write('lantern: time travel is off: a disk is written in place (-history on keeps its writes in an overlay, -snapshot drops them)\n');
  }
  target.monitor = createMonitor(target.monitorHost());
  let gdb: GdbServer | undefined;
  try {
    try {
      await running.networksReady();
    } catch (error) {
      running.stop(1);
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    gdb = options.gdb && await listenForGdb(target, options.gdb, options.kernel);
    if (options.serial !== 'none' || usesStdioConsole(options.virtio)) terminal.start();
    return await running.run();
  } finally {
    // The debugger hears of the end (W) before the connection closes.
    await gdb?.close();
    terminal.close();
    for (const file of opened.files) file.close();
  }
}

/** A progress line on stderr (progress-line.ts: why it writes synchronously). */
function onStderr(label: string): ProgressLineOptions {
  return { stream: process.stderr, label };
}

/** `lantern dap [--port N [--host H]]`: the Debug Adapter Protocol on stdio, or on a TCP port. */
async function runDap(argv: readonly string[]): Promise<number> {
  let port: number | undefined;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--port' && value !== undefined && /^\d+$/.test(value) && Number(value) <= 65535) port = Number(value);
    else if (argv[i] === '--host' && value !== undefined) host = value;
    else throw new UsageError(`dap: unexpected argument '${argv[i]}' (usage: lantern dap [--port N [--host H]])`);
    i++;
  }
  if (port === undefined) return runDapOnStdio();
  let server;
  try {
    server = await listenDap(port, host);
  } catch (error) {
    throw new UsageError(`dap --port ${port}: cannot listen: ${describeListenError(error)}`);
  }
  const address = server.address() as { address: string; port: number };
  process.stderr.write(`lantern: debug adapter listening on ${address.address}:${address.port}\n`);
  return new Promise<number>(() => {}); // serves until killed
}

/** Opens the GDB stub's listener and tells the user how to attach. */
async function listenForGdb(target: MachineDebugTarget, address: GdbAddress, kernel: string | undefined): Promise<GdbServer> {
  const server = new GdbServer(target, { log: (line) => process.stderr.write(`lantern: ${line}\n`) });
  const where = address.kind === 'tcp' ? `tcp:${address.host}:${address.port}` : `unix:${address.path}`;
  let bound: { host?: string; port?: number; path?: string };
  try {
    bound = await server.listen(address.kind === 'tcp' ? { host: address.host, port: address.port } : { path: address.path });
  } catch (error) {
    throw new UsageError(`-gdb ${where}: cannot listen: ${describeListenError(error)}`);
  }
  if (address.kind === 'tcp' && !isLoopback(address.host)) {
    process.stderr.write(`lantern: warning: the gdb stub listens on ${address.host}: whoever reaches it controls the guest\n`);
  }
  const remote = bound.path ?? `${bound.host}:${bound.port}`;
  const symbols = kernel ? `${quoteForShell(kernel)} ` : '';
  process.stderr.write(`lantern: gdb listening on ${remote}; attach with: gdb-multiarch ${symbols}-ex 'target remote ${remote}'\n`);
  return server;
}

function describeListenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EADDRINUSE': return 'the address is in use';
    case 'EADDRNOTAVAIL': return 'no such local address';
    case 'ENOTFOUND': return 'unknown host';
    default: return describeFileError(error);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** A path as one shell word (quoted when it holds anything but safe characters). */
function quoteForShell(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Exits once stdout has taken everything written so far (pipes may be asynchronous). */
function exit(status: number): void {
  process.stdout.write('', () => process.exit(status & 0xff));
}

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  if (error instanceof UsageError || error instanceof LoadError || error instanceof SnapshotError) {
    process.stderr.write(`lantern: ${error.message}\n`);
    exit(USAGE_FAILURE);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`lantern: internal error: ${message}\n`);
  if (process.env.LANTERN_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  exit(INTERNAL_FAILURE);
});
