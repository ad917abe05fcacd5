// `-machine virt,dumpdtb=FILE`: writes the device tree blob a run would get (with -kernel,
// -append, -initrd and -dtb applied, as QEMU 7.2 does) and exits 0 without running.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { prepareBootImages } from '../machine/boot-images';
import { planBoot } from '../machine/boot-layout';
import { selectXlen } from '../machine/xlen';
import { describeFileError } from '../machine/elf';
import { UsageError, type DumpDtbOptions } from './options';

/** Writes the blob to `file`; returns the line to print on stderr (QEMU's wording). */
export function dumpDeviceTree(file: string, options: DumpDtbOptions): string {
  // The kernel goes after the firmware (-bios), and the initrd after the kernel; without a
  // kernel the firmware changes nothing in the tree.
  const xlen = selectXlen(options);
  const stages = options.kernel === undefined
    ? {}
    : planBoot({ board: options.board, bios: options.bios ?? 'default', kernel: options.kernel, ramSize: options.ramSize, xlen });
  // The same seed a run would take: -seed, or a random one (the tree then differs per dump, as QEMU's rng-seed).
  const seed = options.seed ?? BigInt(`0x${randomBytes(8).toString('hex')}`);
  const images = prepareBootImages({ ...options, xlen, rngSeed: seed }, stages);
  if (!images) throw new UsageError(`-machine ${options.board},dumpdtb=${file}: the ${options.board} board has no device tree`);
  try {
    fs.writeFileSync(file, images.dtb);
  } catch (error) {
    throw new UsageError(`dumpdtb: could not write '${file}': ${describeFileError(error)}`);
  }
  return `info: dtb dumped to ${file}. Exiting.`;
}
