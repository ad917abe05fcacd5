// Where the boot stages go, as QEMU 7.2 hw/riscv/boot.c places them: the firmware (`-bios`)
// at DRAM's base, the kernel (`-kernel`) at the next stage — the firmware's end rounded up
// to 2 MiB, so 0x80200000 after OpenSBI — and fw_dynamic_info.next_addr at the kernel. With
// `-bios none` the kernel alone goes at DRAM's base and runs first, in M-mode.
import * as fs from 'node:fs';
import { LoadError, loadImage, readKernel, type KernelImage, type PhysicalMemory, type SymbolTable } from './elf';
import { DRAM_BASE, type BoardName } from './memory-map';

/** `-bios`: no firmware, QEMU's default firmware (Debian's OpenSBI), or a file (ELF or raw). */
export type BiosChoice = 'none' | 'default' | { readonly file: string };

/**
 * QEMU 7.2's default firmware for virt, opensbi-riscv64-generic-fw_dynamic.bin, as Debian's
 * opensbi package installs it (Debian's QEMU bundles its own copy under /usr/share/qemu).
 */
export const DEFAULT_FIRMWARE = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin';

/** One image in guest RAM. */
export interface BootStage {
  readonly role: 'firmware' | 'kernel';
  /** The file, for messages. */
  readonly name: string;
  readonly image: KernelImage;
  /** Where a raw image goes; an ELF's segments go at their physical addresses. */
  readonly base: bigint;
}

/** What the boot ROM hands over to. */
export interface BootLayout {
  readonly firmware?: BootStage;
  readonly kernel?: BootStage;
  /** Where the boot ROM jumps. */
  readonly start: bigint;
  /** fw_dynamic_info.next_addr: where the kernel was loaded (its lowest address), 0 without one. */
  readonly nextAddr: bigint;
}

export interface BootLayoutConfig {
  readonly board: BoardName;
  readonly bios: BiosChoice;
  /** `-kernel FILE`, if any. */
  readonly kernel?: string;
  /** Bytes of RAM at DRAM_BASE: every image must lie in it. */
  readonly ramSize: number;
  /** 32 or 64: QEMU aligns the kernel to 4 MiB on RV32, 2 MiB on RV64. */
  readonly xlen?: 32 | 64;
  /** Where `-bios default` looks: DEFAULT_FIRMWARE when absent. */
  readonly defaultFirmware?: string;
}

const MIB = 1n << 20n;

/** Reads the firmware and the kernel and places them; throws LoadError with one line when it cannot. */
export function planBoot(config: BootLayoutConfig): BootLayout {
  const dram = BigInt(DRAM_BASE);
  const firmwareFile = firmwarePath(config.board, config.bios, config.defaultFirmware ?? DEFAULT_FIRMWARE);
  if (firmwareFile === undefined && config.kernel === undefined) {
    throw new LoadError('no kernel given: use -kernel FILE (with -bios none the kernel runs first, in M-mode)');
  }
  const firmware = firmwareFile === undefined
    ? undefined
    : checkFits({ role: 'firmware', name: firmwareFile, image: readKernel(firmwareFile, 'firmware'), base: dram }, config.ramSize);
  // QEMU riscv_calc_kernel_start_addr: the firmware's end (DRAM's base without one), aligned up.
  const align = config.xlen === 32 ? 4n * MIB : 2n * MIB;
  const kernelBase = firmware ? alignUp(stageEnd(firmware), align) : dram;
  const kernel = config.kernel === undefined
    ? undefined
    : checkFits({ role: 'kernel', name: config.kernel, image: readKernel(config.kernel), base: kernelBase }, config.ramSize);
  // QEMU riscv_load_kernel hands on an ELF's lowest address, not its entry, so fw_dynamic
  // jumps where fw_jump and a raw image would (kernels may keep separate SBI and ELF entries).
  const nextAddr = kernel ? stageStart(kernel) : 0n;
  // virt's ROM always jumps to DRAM's base; Spike's, with no firmware, to the kernel's ELF entry.
  const start = config.board === 'spike' && !firmware && kernel?.image.format === 'elf' ? kernel.image.entry : dram;
  return { firmware, kernel, start, nextAddr };
}

/** The stages in load order (firmware first). */
export function bootStages(layout: BootLayout): BootStage[] {
  return [layout.firmware, layout.kernel].filter((stage): stage is BootStage => stage !== undefined);
}

/** Copies the stages into guest RAM (at power-on and at every reset, as QEMU's ROM blobs). */
export function loadBootStages(layout: BootLayout, memory: PhysicalMemory): void {
  for (const stage of bootStages(layout)) loadImage(stage.image, memory, stage.name, stage.base);
}

/** The bytes a stage occupies: its ELF segments, or the raw image at its base. */
export function stageRanges(stage: BootStage): { start: bigint; end: bigint }[] {
  if (stage.image.format === 'raw') return [{ start: stage.base, end: stage.base + BigInt(stage.image.data.length) }];
  return stage.image.segments.map((segment) => ({ start: segment.paddr, end: segment.paddr + segment.memSize }));
}

/** Symbols for traces and HTIF: the kernel's, else the firmware's (undefined for raw images). */
export function bootSymbols(layout: BootLayout): SymbolTable | undefined {
  for (const stage of [layout.kernel, layout.firmware]) {
    if (stage?.image.format === 'elf') return stage.image.symbols;
  }
  return undefined;
}

/** The firmware file `-bios` names on a board, undefined for none. */
function firmwarePath(board: BoardName, bios: BiosChoice, defaultFirmware: string): string | undefined {
  if (bios === 'none') return undefined;
  if (bios !== 'default') return bios.file;
  if (board !== 'virt') {
    // QEMU's spike loads fw_dynamic.elf, but OpenSBI needs a device tree this board lacks.
    throw new LoadError(`the ${board} board has no default firmware (it has no device tree for OpenSBI): give -bios none`);
  }
  if (!fs.existsSync(defaultFirmware)) {
    throw new LoadError(`no default firmware: ${defaultFirmware} is missing (apt-get install opensbi), or give -bios none or -bios FILE`);
  }
  return defaultFirmware;
}

function stageStart(stage: BootStage): bigint {
  return stageRanges(stage).reduce((low, range) => (range.start < low ? range.start : low), stageRanges(stage)[0].start);
}

/** QEMU's firmware_end_addr: the ELF's highest byte + 1, or the raw image's end. */
function stageEnd(stage: BootStage): bigint {
  return stageRanges(stage).reduce((high, range) => (range.end > high ? range.end : high), 0n);
}

function checkFits(stage: BootStage, ramSize: number): BootStage {
  const dram = BigInt(DRAM_BASE);
  const ramEnd = dram + BigInt(ramSize);
  for (const { start, end } of stageRanges(stage)) {
    if (start < dram || end > ramEnd) {
      throw new LoadError(`${stage.role} '${stage.name}' does not fit in RAM: it needs 0x${start.toString(16)}..0x${end.toString(16)}`);
    }
  }
  return stage;
}

function alignUp(value: bigint, align: bigint): bigint {
  return ((value + align - 1n) / align) * align;
}
