// The `lantern` CLI entry: parses QEMU-style options, wires the terminal to a Machine, runs
// it, and turns every user-facing failure into one "lantern: ..." line and exit status 2.
import { confinedFiles } from '../host/semihosting-files';
import { StdioConsole } from '../host/stdio-console';
import { describeFileError, LoadError } from '../machine/elf';
import { Machine } from '../machine/machine';
import { traceSink, tracing, type TraceSink } from '../machine/trace';
import { parseArguments, rtcStartTime, UsageError, type RunOptions } from './options';
import { openVirtioDevices, usesStdioConsole } from './virtio-options';
import { dumpDeviceTree } from './dump-dtb';
import { personalityOf } from './personality';

/** Exit status for a bad command line, a missing or unloadable kernel (like QEMU's exit(1), but distinct from a guest's status 1). */
const USAGE_FAILURE = 2;
const INTERNAL_FAILURE = 1;

async function main(argv: readonly string[]): Promise<number> {
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

async function runMachine(options: RunOptions): Promise<number> {
  let machine: Machine | undefined;
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
  });
  const sink = options.serial === 'none' ? { write() {} } : terminal;
  // Disk images open (or fail with one line) before the machine reserves guest memory.
  const virtio = options.virtio && openVirtioDevices(options.virtio, terminal);
  machine = new Machine({
    board: options.board,
    ramSize: options.ramSize,
    kernel: options.kernel,
    bios: options.bios,
    icountShift: options.icountShift,
    rtcStart: rtcStartTime(options.rtcBase),
    virtio: virtio?.config,
    rngSeed: options.seed,
    harts: options.harts,
    xlen: options.xlen,
    append: options.append,
    initrd: options.initrd,
    dtb: options.dtb,
    noReboot: options.noReboot,
    // Semihosting files: the current directory's, by relative name.
    semihosting: options.semihosting && { ...options.semihosting, files: confinedFiles(process.cwd()) },
    trace: options.trace,
    traceSink: tracing(options.trace) ? openTrace(options.traceFile) : undefined,
    console: sink,
  });
  if (options.serial !== 'none' || usesStdioConsole(options.virtio)) terminal.start();
  try {
    return await machine.run();
  } finally {
    terminal.close();
    for (const file of virtio?.files ?? []) file.close();
  }
}

function openTrace(file: string | undefined): TraceSink {
  try {
    return traceSink(file);
  } catch (error) {
    throw new UsageError(`-D ${file}: cannot open the log file: ${describeFileError(error)}`);
  }
}

/** Exits once stdout has taken everything written so far (pipes may be asynchronous). */
function exit(status: number): void {
  process.stdout.write('', () => process.exit(status & 0xff));
}

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  if (error instanceof UsageError || error instanceof LoadError) {
    process.stderr.write(`lantern: ${error.message}\n`);
    exit(USAGE_FAILURE);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`lantern: internal error: ${message}\n`);
  if (process.env.LANTERN_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  exit(INTERNAL_FAILURE);
});
