// Builds a Machine from parsed QEMU-style options: the wiring the CLI and the DAP bridge share
// (disk images opened first, semihosting files confined to the working directory).
import type { ByteSink } from '../devices/uart16550';
import { confinedFiles } from '../host/semihosting-files';
import { describeFileError } from '../machine/elf';
import { Machine } from '../machine/machine';
import { traceSink, tracing, type TraceSink } from '../machine/trace';
import { rtcStartTime, UsageError, type RunOptions } from './options';
import { openVirtioDevices } from './virtio-options';
import { InputLogWriter, readInputLog } from '../host/input-log';

export interface MachineIo {
  /** Where the guest's console (UART or HTIF) writes. */
  readonly console: ByteSink;
  /** Where a virtconsole on a stdio chardev writes (the terminal); the console when absent. */
  readonly terminal?: ByteSink;
  /** The folder semihosting files are confined to. */
  readonly cwd: string;
}

/** A machine and the files it holds open (close them when it has finished). */
export interface OpenMachine {
  readonly machine: Machine;
  readonly files: readonly { close(): void }[];
}

export function machineFromOptions(options: RunOptions, io: MachineIo): OpenMachine {
  // Disk images open (or fail with one line) before the machine reserves guest memory.
  const virtio = options.virtio && openVirtioDevices(options.virtio, io.terminal ?? io.console, options.snapshot === true);
  const rr = options.recordReplay;
  let replay: ReturnType<typeof readInputLog> | undefined;
  if (rr?.mode === 'replay') {
    try {
      replay = readInputLog(rr.file);
    } catch (error) {
      for (const file of [...(virtio?.files ?? []), ...(virtio?.captures ?? [])]) file.close();
      const reason = (error as NodeJS.ErrnoException).code ? describeFileError(error) : (error as Error).message;
      throw new UsageError(`-icount rrfile=${rr.file}: ${reason}`);
    }
  }
  // The record log's header holds the RTC start and the seed, which the machine settles.
  let writer: InputLogWriter | undefined;
  // One sink for -d's items (a -D file opened once).
  const log = tracing(options.trace) || options.trace.net ? openTrace(options.traceFile) : undefined;
  try {
    const machine = new Machine({
      board: options.board,
      ramSize: options.ramSize,
      kernel: options.kernel,
      bios: options.bios,
      icountShift: options.icountShift,
      rtcStart: replay?.header.rtcStart ?? rtcStartTime(options.rtcBase),
      virtio: virtio?.config,
      rngSeed: replay?.header.rngSeed ?? options.seed,
      harts: options.harts,
      xlen: options.xlen,
      append: options.append,
      initrd: options.initrd,
      dtb: options.dtb,
      noReboot: options.noReboot,
      semihosting: options.semihosting && { ...options.semihosting, files: confinedFiles(io.cwd) },
      trace: options.trace,
      traceSink: log,
      onNetworkReport: log && options.trace.net ? (line) => { log.write(`net: ${line}\n`); log.flush(); } : undefined,
      console: io.console,
      startHalted: options.startHalted,
      paced: options.paced,
      inputLog: replay ? { mode: 'replay', entries: replay.entries }
        : rr ? { mode: 'record', record: (entry) => writer?.record(entry) } : undefined,
    });
    if (rr?.mode === 'record') {
      try {
        writer = new InputLogWriter(rr.file, { rtcStart: machine.rtcStart, rngSeed: machine.rngSeed });
      } catch (error) {
        throw new UsageError(`-icount rrfile=${rr.file}: cannot write it: ${describeFileError(error)}`);
      }
    }
    // The machine closes the sink it traces into; a -d net-only sink is closed with the files.
    const netLog = log && !tracing(options.trace) ? [log] : [];
    return { machine, files: [...(virtio?.files ?? []), ...(virtio?.captures ?? []), ...(writer ? [writer] : []), ...netLog] };
  } catch (error) {
    for (const file of [...(virtio?.files ?? []), ...(virtio?.captures ?? [])]) file.close();
    throw error;
  }
}

function openTrace(file: string | undefined): TraceSink {
  try {
    return traceSink(file);
  } catch (error) {
    throw new UsageError(`-D ${file}: cannot open the log file: ${describeFileError(error)}`);
  }
}
