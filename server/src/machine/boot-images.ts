// The images the board puts in guest RAM besides the kernel, at QEMU 7.2's addresses: the
// device tree blob (ours, or `-dtb FILE` with /chosen updated) and the initial RAM disk.
import * as fs from 'node:fs';
import { applyChosen, rngSeedBytes, virtDeviceTree, type InitrdRange } from './device-tree';
import { stageRanges, type BootStage } from './boot-layout';
import { describeFileError, LoadError } from './elf';
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
  /** The harts' XLEN, for the device tree's riscv,isa and mmu-type; 64 when absent. */
  readonly xlen?: 32 | 64;
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
  /** Placed from the RAM size (device tree, initrd), so more RAM moves it. */
  readonly movable?: boolean;
}

/** The images already placed in RAM (boot-layout.ts): the initrd goes after the kernel. */
export interface PlacedStages {
  readonly firmware?: BootStage;
  readonly kernel?: BootStage;
}

/**
 * Builds the boot images for a board and the placed firmware and kernel (none when only
 * dumping the tree without -kernel), and checks they fit in RAM without overlapping each
 * other or those stages (QEMU refuses overlapping images too). Undefined for a board
 * without a device tree.
 */
export function prepareBootImages(config: BootImagesConfig, stages: PlacedStages = {}): BootImages | undefined {
  const kernel = stages.kernel;
  if (config.board !== 'virt') {
    const flag = config.dtb !== undefined ? '-dtb' : config.initrd !== undefined ? '-initrd' : config.append ? '-append' : undefined;
    if (flag) throw new LoadError(`${flag} needs a device tree: the ${config.board} board has none`);
    return undefined;
  }
  const ramEnd = BigInt(DRAM_BASE) + BigInt(config.ramSize);
  const kernelRanges = kernel ? imageRanges(kernel) : [];
  const firmwareRanges = stages.firmware ? imageRanges(stages.firmware) : [];

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
  /** The size QEMU places the blob by: its own tree's, or for -dtb the room it opens for one. */
  let placedSize: number | undefined;
  if (config.dtb !== undefined) {
    const file = readFile(config.dtb, 'device tree');
    tree = parseDeviceTree(file, config.dtb);
    applyChosen(tree, chosen);
    placedSize = dtbFileRoom(file.length);
  } else {
    tree = virtDeviceTree({ memoryMap: memoryMap('virt', config.ramSize), harts: config.harts, xlen: config.xlen, ...chosen });
  }
  const dtb = serializeFdt(tree);
  const fdtAddress = fdtLoadAddress(config.ramSize, placedSize ?? dtb.length);
  if (fdtAddress < BigInt(DRAM_BASE)) {
    throw new LoadError(`${config.ramSize} bytes of RAM leave no room for the ${dtb.length}-byte device tree`);
  }

  const ranges: Range[] = [
    ...firmwareRanges,
    ...kernelRanges,
    { start: fdtAddress, end: fdtAddress + BigInt(dtb.length), what: 'the device tree', movable: true },
    ...(initrdRange ? [{ ...initrdRange, what: `ramdisk '${config.initrd}'`, movable: true }] : []),
  ];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i], ranges[j]];
      if (a.start < b.end && b.start < a.end && a.end > a.start && b.end > b.start) {
        // The device tree and the initrd move with the RAM size; the firmware and kernel do not.
        const hint = a.movable || b.movable ? ': give more RAM with -m' : ': they are built for overlapping addresses';
        throw new LoadError(`${a.what} (0x${hex(a.start)}..0x${hex(a.end)}) overlaps ${b.what} (0x${hex(b.start)}..0x${hex(b.end)})${hint}`);
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

/** The bytes a stage occupies: its ELF segments, or a raw image at its base. */
function imageRanges(stage: BootStage): Range[] {
  const what = `${stage.role} '${stage.name}'`;
  return stageRanges(stage).map((range) => ({ ...range, what }));
}

/**
 * QEMU 7.2 load_device_tree opens a -dtb file into (file size + 10000) × 2 bytes, and
 * riscv_load_fdt places the blob by that size: a 1 MiB file (what QEMU's own dumpdtb writes
 * for virt) goes 2 MiB lower than the tree QEMU builds itself.
 */
export function dtbFileRoom(fileSize: number): number {
  return (fileSize + 10_000) * 2;
}

/** A `-dtb FILE`'s bytes, checked: they must parse as a DTB (magic, header sizes, structure block). */
function parseDeviceTree(bytes: Uint8Array, file: string): DeviceTree {
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
