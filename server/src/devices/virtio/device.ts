// The contract between a virtio transport (mmio.ts) and a device type (blk, rng, console, net):
// device ID, feature bits, config space and queue handling; the transport knows none of them.
import type { Virtqueue } from './virtqueue';

// Device IDs (virtio 1.2 section 5). 0 marks an empty virtio-mmio slot.
export const DEVICE_ID_NONE = 0;
export const DEVICE_ID_NET = 1;
export const DEVICE_ID_BLOCK = 2;
export const DEVICE_ID_CONSOLE = 3;
export const DEVICE_ID_ENTROPY = 4;

// Reserved feature bits (section 6), offered by the transport for every device.
export const F_INDIRECT_DESC = 1n << 28n;
export const F_EVENT_IDX = 1n << 29n;
export const F_VERSION_1 = 1n << 32n;

/** Named, versioned state of a device type, for snapshots. */
export interface VirtioDeviceState {
  name: string;
  version: number;
}

/** What a device type offers its transport. */
export interface VirtioDevice {
  readonly deviceId: number;
  /** How many virtqueues the device has (numbered from 0). */
  readonly queueCount: number;
  /** Device-type feature bits (0..23 and any others it implements). */
  readonly features: bigint;
  /** Bytes of device configuration space (at transport offset 0x100 on mmio). */
  readonly configSize: number;
  /** Reads `size` (1, 2, 4) bytes of config space, little-endian; offset + size <= configSize. */
  readConfig(offset: number, size: number): number;
  writeConfig(offset: number, size: number, value: number): void;
  /** The driver set DRIVER_OK with these features (offered ∩ accepted). */
  activate(features: bigint): void;
  /**
   * The driver notified `queue` (number `index`): take chains with pop(), return them with
   * push(). Runs synchronously inside the guest's store, so completions land at that step.
   * Stop at a pop() error: the transport sees queue.fault and asks for a device reset.
   */
  process(index: number, queue: Virtqueue): void;
  /** True (once) when the host should act right after the guest's store that notified the
   * device: the transport then ends the hart's run after that instruction. */
  takeHostRequest?(): boolean;
  /** Device reset (status 0): forget negotiation and anything queued. */
  reset(): void;
  saveState(): VirtioDeviceState;
  loadState(state: VirtioDeviceState): void;
}
