// The boards' physical memory maps: one table per board that feeds device registration
// (machine.ts) and the device tree (device-tree.ts). Ranges are half-open [base, base+size).

export type BoardName = 'virt' | 'spike';

/** What sits in a region; the machine registers a device per kind it implements. */
export type RegionKind =
  | 'boot-rom'
  | 'sifive-test'
  | 'goldfish-rtc'
  | 'clint'
  | 'plic'
  | 'uart16550'
  | 'virtio-mmio'
  | 'ram';

export interface MemoryRegion {
  /** Unique within a board (QEMU's names where QEMU has one: mrom, test, rtc, uart0, virtio3, dram). */
  readonly name: string;
  readonly kind: RegionKind;
  readonly base: number;
  /** Bytes; the RAM region's size is the configured RAM size. */
  readonly size: number;
  /** Interrupt source number at the board's interrupt controller (PLIC on virt), if any. */
  readonly irq?: number;
}

/** Guest physical base of DRAM on both boards (QEMU virt_memmap[VIRT_DRAM], Spike DRAM_BASE). */
export const DRAM_BASE = 0x8000_0000;
/** Reset vector: the first instruction of the boot ROM (QEMU VIRT_MROM, Spike DEFAULT_RSTVEC). */
export const RESET_VECTOR = 0x1000;

const VIRTIO_SLOTS = 8;

/** QEMU 7.2 hw/riscv/virt.c virt_memmap[] and irq numbers (UART0_IRQ 10, RTC_IRQ 11, VIRTIO_IRQ 1..8). */
const VIRT_MAP: readonly MemoryRegion[] = [
  { name: 'mrom', kind: 'boot-rom', base: RESET_VECTOR, size: 0xf000 },
  { name: 'test', kind: 'sifive-test', base: 0x10_0000, size: 0x1000 },
  { name: 'rtc', kind: 'goldfish-rtc', base: 0x10_1000, size: 0x1000, irq: 11 },
  { name: 'clint', kind: 'clint', base: 0x200_0000, size: 0x1_0000 },
  { name: 'plic', kind: 'plic', base: 0xc00_0000, size: 0x60_0000 },
  { name: 'uart0', kind: 'uart16550', base: 0x1000_0000, size: 0x100, irq: 10 },
  ...Array.from({ length: VIRTIO_SLOTS }, (_, i): MemoryRegion => ({
    name: `virtio${i}`,
    kind: 'virtio-mmio',
    base: 0x1000_1000 + 0x1000 * i,
    size: 0x1000,
    irq: 1 + i,
  })),
  { name: 'dram', kind: 'ram', base: DRAM_BASE, size: 0 },
];

/**
 * Spike (riscv-isa-sim riscv/platform.h): boot ROM at the reset vector, CLINT, DRAM; the
 * console and power-off go through HTIF's tohost/fromhost words in RAM, not MMIO.
 */
const SPIKE_MAP: readonly MemoryRegion[] = [
  { name: 'mrom', kind: 'boot-rom', base: RESET_VECTOR, size: 0xf000 },
  { name: 'clint', kind: 'clint', base: 0x200_0000, size: 0xc_0000 },
  { name: 'dram', kind: 'ram', base: DRAM_BASE, size: 0 },
];

/** The board's regions, sorted by base, with the RAM region sized to `ramSize` bytes. */
export function memoryMap(board: BoardName, ramSize: number): readonly MemoryRegion[] {
  const table = board === 'virt' ? VIRT_MAP : SPIKE_MAP;
  return table.map((region) => (region.kind === 'ram' ? { ...region, size: ramSize } : region));
}

/** The one region of a kind (the first, for kinds with several slots). */
export function regionOf(map: readonly MemoryRegion[], kind: RegionKind): MemoryRegion | undefined {
  return map.find((region) => region.kind === kind);
}
