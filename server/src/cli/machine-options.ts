// Builds a Machine from parsed QEMU-style options: the wiring the CLI and the DAP bridge share
// (disk images opened first, semihosting files confined to the working directory).
import type { ByteSink } from '../devices/uart16550';
import type { BlockFile } from '../host/block-file';
import { confinedFiles } from '../host/semihosting-files';
import { describeFileError } from '../machine/elf';
import { Machine } from '../machine/machine';
import { traceSink, tracing, type TraceSink } from '../machine/trace';
import { rtcStartTime, UsageError, type RunOptions } from './options';
import { openVirtioDevices } from './virtio-options';

export interface MachineIo {
  /** Where the guest's console (UART or HTIF) writes. */
  readonly console: ByteSink;
  /** Where a virtconsole on a stdio chardev writes (the terminal); the console when absent. */
  readonly terminal?: ByteSink;
  /** The folder semihosting files are confined to. */
  readonly cwd: string;
}

/** A machine and the disk files it holds open (close them when it has finished). */
export interface OpenMachine {
  readonly machine: Machine;
  readonly files: readonly BlockFile[];
}

export function machineFromOptions(options: RunOptions, io: MachineIo): OpenMachine {
  // Disk images open (or fail with one line) before the machine reserves guest memory.
  const virtio = options.virtio && openVirtioDevices(options.virtio, io.terminal ?? io.console, options.snapshot === true);
  try {
    const machine = new Machine({
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
      semihosting: options.semihosting && { ...options.semihosting, files: confinedFiles(io.cwd) },
      trace: options.trace,
      traceSink: tracing(options.trace) ? openTrace(options.traceFile) : undefined,
      console: io.console,
      startHalted: options.startHalted,
      paced: options.paced,
    });
    return { machine, files: virtio?.files ?? [] };
  } catch (error) {
    for (const file of virtio?.files ?? []) file.close();
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
