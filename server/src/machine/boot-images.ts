// The images the board puts in guest RAM besides the kernel, at QEMU 7.2's addresses: the
// device tree blob (ours, or `-dtb FILE` with /chosen updated) and the initial RAM disk.
import * as fs from 'node:fs';
import { applyChosen, rngSeedBytes, virtDeviceTree, type InitrdRange } from './device-tree';
import { describeFileError, LoadError, type KernelImage } from './elf';
import { FdtError, parseFdt, serializeFdt, type DeviceTree } from './fdt';
import { DRAM_BASE, memoryMap, type BoardName } from './memory-map';

const MIB = 1n << 20n;
/** QEMU 7.2 riscv_load_fdt: the DTB goes at the end of DRAM, 2 MiB aligned, below 3 GiB. */
const FDT_ALIGN = 2n * MIB;
const FDT_LIMIT = 3072n * MIB;
/** QEMU 7.2 riscv_load_initrd: the initrd goes min(RAM / 2, 128 MiB) above the kernel's lowest byte. */
const INITRD_MAX_OFFSET = 128n * MIB;

export interface BootImagesConfig {
  readonly board: BoardName;
  readonly ramSize: number;
  readonly harts: number;
  /** `-append`: the kernel command line for /chosen/bootargs. */
  readonly append?: string;
  /** `-initrd FILE`. */
  readonly initrd?: string;
  /** `-dtb FILE`: a device tree blob that replaces the generated one. */
  readonly dtb?: string;
  /** The machine's seed of guest-visible randomness (`-seed`): /chosen/rng-seed derives from it. */
  readonly rngSeed: bigint;
}

export interface BootImages {
  /** The blob as the guest finds it at fdtAddress (a1 at reset). */
  readonly dtb: Uint8Array;
  readonly fdtAddress: bigint;
  readonly initrd?: { readonly address: bigint; readonly data: Uint8Array };
}

interface Range {
  readonly start: bigint;
  readonly end: bigint;
  readonly what: string;
}

/**
 * Builds the boot images for a board and the loaded kernel (undefined when only dumping the
 * tree without -kernel), and checks they fit in RAM without overlapping each other or the
 * kernel (QEMU refuses overlapping images too). Undefined for a board without a device tree.
 */
export function prepareBootImages(config: BootImagesConfig, kernel?: { image: KernelImage; name: string }): BootImages | undefined {
  if (config.board !== 'virt') {
    const flag = config.dtb !== undefined ? '-dtb' : config.initrd !== undefined ? '-initrd' : config.append ? '-append' : undefined;
    if (flag) throw new LoadError(`${flag} needs a device tree: the ${config.board} board has none`);
    return undefined;
  }
  const ramEnd = BigInt(DRAM_BASE) + BigInt(config.ramSize);
  const kernelRanges = kernel ? imageRanges(kernel.image, kernel.name) : [];

  let initrd: BootImages['initrd'];
  let initrdRange: InitrdRange | undefined;
  if (config.initrd !== undefined) {
    if (!kernel) throw new LoadError('-initrd only allowed with -kernel option');
    const data = readFile(config.initrd, 'ramdisk');
    const address = initrdAddress(kernelRanges, config.ramSize);
    initrdRange = { start: address, end: address + BigInt(data.length) };
    if (initrdRange.end > ramEnd) {
      throw new LoadError(
        `could not load ramdisk '${config.initrd}': ${data.length} bytes at 0x${hex(address)} pass the end of RAM at 0x${hex(ramEnd)}`,
      );
    }
    initrd = { address, data };
  }

  if (config.append && !kernel) throw new LoadError('-append only allowed with -kernel option');
  const chosen = { bootargs: config.append, initrd: initrdRange, rngSeed: rngSeedBytes(config.rngSeed) };
  let tree: DeviceTree;
  if (config.dtb !== undefined) {
    tree = readDeviceTree(config.dtb);
    applyChosen(tree, chosen);
  } else {
    tree = virtDeviceTree({ memoryMap: memoryMap('virt', config.ramSize), harts: config.harts, ...chosen });
  }
  const dtb = serializeFdt(tree);
  const fdtAddress = fdtLoadAddress(config.ramSize, dtb.length);
  if (fdtAddress < BigInt(DRAM_BASE)) {
    throw new LoadError(`${config.ramSize} bytes of RAM leave no room for the ${dtb.length}-byte device tree`);
  }

  const ranges: Range[] = [
    ...kernelRanges,
    { start: fdtAddress, end: fdtAddress + BigInt(dtb.length), what: 'the device tree' },
    ...(initrdRange ? [{ ...initrdRange, what: `ramdisk '${config.initrd}'` }] : []),
  ];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i], ranges[j]];
      if (a.start < b.end && b.start < a.end && a.end > a.start && b.end > b.start) {
        throw new LoadError(
          `${a.what} (0x${hex(a.start)}..0x${hex(a.end)}) overlaps ${b.what} (0x${hex(b.start)}..0x${hex(b.end)}): give more RAM with -m`,
        );
      }
    }
  }
  return { dtb, fdtAddress, initrd };
}

/** QEMU 7.2's DTB address: the end of DRAM (or 3 GiB if lower), minus the blob, aligned down to 2 MiB. */
export function fdtLoadAddress(ramSize: number, dtbSize: number): bigint {
  const base = BigInt(DRAM_BASE);
  const end = base + BigInt(ramSize);
  const top = base < FDT_LIMIT && end > FDT_LIMIT ? FDT_LIMIT : end;
  return ((top - BigInt(dtbSize)) / FDT_ALIGN) * FDT_ALIGN;
}

/**
 * QEMU 7.2's initrd address: the kernel's lowest load address (the lowest ELF segment, or the
 * base of a raw image) plus half the RAM, at most 128 MiB.
 */
function initrdAddress(kernelRanges: readonly Range[], ramSize: number): bigint {
  const low = kernelRanges.reduce((lowest, range) => (range.start < lowest ? range.start : lowest), kernelRanges[0].start);
  const half = BigInt(ramSize) / 2n;
  return low + (half < INITRD_MAX_OFFSET ? half : INITRD_MAX_OFFSET);
}

/** The bytes a kernel occupies: its ELF segments, or a raw image at DRAM's base. */
function imageRanges(image: KernelImage, name: string): Range[] {
  const what = `kernel '${name}'`;
  if (image.format === 'raw') {
    return [{ start: BigInt(DRAM_BASE), end: BigInt(DRAM_BASE) + BigInt(image.data.length), what }];
  }
  return image.segments.map((segment) => ({ start: segment.paddr, end: segment.paddr + segment.memSize, what }));
}

/** A `-dtb FILE`, checked: it must parse as a DTB (magic, header sizes, structure block). */
function readDeviceTree(file: string): DeviceTree {
  const bytes = readFile(file, 'device tree');
  try {
    return parseFdt(bytes);
  } catch (error) {
    if (error instanceof FdtError) throw new LoadError(`'${file}' is not a device tree blob: ${error.message}`);
    throw error;
  }
}

function readFile(file: string, what: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new LoadError(`could not load ${what} '${file}': ${describeFileError(error)}`);
  }
}

function hex(value: bigint): string {
  return value.toString(16);
}
