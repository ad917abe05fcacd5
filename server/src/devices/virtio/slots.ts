// What sits in each virtio-mmio slot of the virt board, and the transport built for a slot:
// the one place that knows the device kinds (the CLI fills the table, the Machine maps it).
import type { IrqLine } from '../irq-line';
import { VirtioBlock, type BlockBackend } from './blk';
import type { VirtioDevice } from './device';
import { GuestRam, type DmaRam } from './dma';
import { VirtioMmio } from './mmio';
import { VirtioRng } from './rng';

/** virt has eight transports, slot i at 0x10001000 + 0x1000·i with PLIC source 1 + i. */
export const VIRTIO_SLOT_COUNT = 8;

/** One device and the slot it is plugged into. */
export type VirtioSlotDevice =
  | { readonly kind: 'blk'; readonly slot: number; readonly backend: BlockBackend; readonly serial?: string }
  | { readonly kind: 'rng'; readonly slot: number };

export interface VirtioBoardConfig {
  /** QEMU's `-global virtio-mmio.force-legacy` (true by default: version 1 transports). */
  readonly forceLegacy: boolean;
  readonly devices: readonly VirtioSlotDevice[];
}

export interface VirtioSlotWiring {
  readonly ram: DmaRam;
  readonly irq: IrqLine;
  /** Seed of the machine's guest-visible randomness (virtio-rng); logged with the run. */
  readonly rngSeed: bigint;
  readonly onDeviceError?: (reason: string) => void;
}

/** The transport for `slot`: its configured device, or an empty slot (DeviceID 0) as QEMU has. */
export function virtioTransport(slot: number, config: VirtioBoardConfig | undefined, wiring: VirtioSlotWiring): VirtioMmio {
  const entry = config?.devices.find((device) => device.slot === slot);
  return new VirtioMmio({
    device: entry && createDevice(entry, wiring.rngSeed),
    irq: wiring.irq,
    ram: new GuestRam(wiring.ram),
    legacy: config?.forceLegacy ?? true,
    onDeviceError: wiring.onDeviceError,
  });
}

function createDevice(entry: VirtioSlotDevice, rngSeed: bigint): VirtioDevice {
  switch (entry.kind) {
    case 'blk':
      return new VirtioBlock(entry.backend, { serial: entry.serial });
    case 'rng':
      // Each generator gets its own stream: the machine's seed moved along by the slot.
      return new VirtioRng(BigInt.asUintN(64, rngSeed + BigInt(entry.slot) * 0x9e37_79b9_7f4a_7c15n));
  }
}
