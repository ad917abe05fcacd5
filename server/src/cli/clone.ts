// `lantern clone FILE [options]`: a new VM from a snapshot file. The machine is built from the
// configuration the snapshot records (board, RAM, harts, XLEN, icount, kernel, firmware,
// -append, -initrd, -dtb, seed, RTC start, the virtio slots and their disk images), as QEMU
// options that the options after FILE follow and so override; then the snapshot is loaded and
// the run goes on with every disk behind its own overlay (-snapshot): writes are dropped at
// exit, so any number of clones share one set of base images. -drive, -device, -global or
// -chardev after FILE replace the recorded virtio devices as a whole.
import * as path from 'node:path';
import { readSnapshotRecord } from '../snapshot/machine-snapshot';
import { parseArguments, UsageError, type RunOptions } from './options';
import type { Personality } from './personality';

const VIRTIO_OPTIONS = new Set(['-drive', '-device', '-global', '-chardev', '--drive', '--device', '--global', '--chardev']);

/** The run options of `lantern clone FILE ...` (`argv` after "clone"). */
export function parseCloneArguments(argv: readonly string[], personality: Personality = 'lantern'): RunOptions {
  const invocation = parseArguments(cloneCommandLine(argv), personality);
  if (invocation.kind !== 'run') throw new UsageError('clone: -help, -version and dumpdtb= do not apply to a clone');
  return invocation.options;
}

/** The whole command line of `lantern clone FILE ...` (`argv` after "clone"): the recorded
 * options, those after FILE, then -snapshot and -loadvm FILE (the VM server's clones keep it). */
export function cloneCommandLine(argv: readonly string[]): string[] {
  const [file, ...rest] = argv;
  if (file === undefined || file.startsWith('-')) throw new UsageError('clone: usage: lantern clone FILE [options]');
  const snapshot = path.resolve(file);
  return [...recordedArguments(snapshot, file, rest), ...rest, '-snapshot', '-loadvm', snapshot];
}

/** The QEMU options that rebuild the machine a snapshot was saved from. */
function recordedArguments(file: string, label: string, rest: readonly string[]): string[] {
  // RAM stays compressed here: the -loadvm that follows decodes it once, showing progress.
  const { state, disks } = readSnapshotRecord(file, label);
  const config = state.config;
  const fixed = config.fixed;
  const args = [
    '-machine', fixed.board, '-m', `${fixed.ramSize / 1024}K`, '-smp', String(fixed.harts), '-cpu', `rv${fixed.xlen}`,
    '-icount', `shift=${fixed.icountShift}`, '-bios', config.bios, '-seed', config.rngSeed,
  ];
  if (config.kernel !== null) args.push('-kernel', config.kernel);
  if (config.append !== null) args.push('-append', config.append);
  if (config.initrd !== null) args.push('-initrd', config.initrd);
  if (config.dtb !== null) args.push('-dtb', config.dtb);
  if (fixed.semihosting) args.push('-semihosting');
  // Whole seconds: the RTC's exact start comes back with the devices' state.
  const rtc = new Date(Number(BigInt(config.rtcStart) / 1_000_000n)).toISOString().slice(0, 19);
  args.push('-rtc', `base=${rtc}`);
  if (rest.some((arg) => VIRTIO_OPTIONS.has(arg))) return args;
  if (!fixed.virtio.forceLegacy) args.push('-global', 'virtio-mmio.force-legacy=false');
  for (const { slot, kind } of fixed.virtio.slots) {
    const bus = `bus=virtio-mmio-bus.${slot}`;
    switch (kind) {
      case 'blk': {
        const disk = disks.find((d) => d.name === `virtio${slot}`);
        if (!disk?.image || !disk.drive) throw new UsageError(`clone: snapshot ${label} does not record the image of disk virtio${slot}: give its -drive and -device`);
        const image = disk.image.replace(/,/g, ',,');
        args.push('-drive', `file=${image},if=none,format=raw,id=${disk.drive},readonly=${disk.readOnly ? 'on' : 'off'}`);
        args.push('-device', `virtio-blk-device,drive=${disk.drive},${bus}`);
        break;
      }
      case 'rng':
        args.push('-device', `virtio-rng-device,${bus}`);
        break;
      case 'serial':
        // QEMU's defaults, the console on the terminal (the usual setup; -device options override).
        args.push('-device', `virtio-serial-device,${bus}`, '-chardev', 'stdio,id=clone-console', '-device', 'virtconsole,chardev=clone-console');
        break;
      default:
        throw new UsageError(`clone: snapshot ${label} has a virtio device '${kind}' this Lantern does not know`);
    }
  }
  return args;
}
