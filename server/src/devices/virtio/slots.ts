// What sits in each virtio-mmio slot of the virt board, and the transport built for a slot:
// the one place that knows the device kinds (the CLI fills the table, the Machine maps it).
import type { IrqLine } from '../irq-line';
import type { ByteSink } from '../uart16550';
import { VirtioBlock, type BlockBackend } from './blk';
import { VirtioConsole } from './console';
import type { VirtioDevice } from './device';
import { GuestRam, type DmaRam } from './dma';
import { VirtioMmio } from './mmio';
import { VirtioNet, type NetBackend } from './net';
import { VirtioRng } from './rng';
import type { FrameCapture } from '../../net/pcap';
import type { UserNetworkOptions } from '../../net/user-network';

/** virt has eight transports, slot i at 0x10001000 + 0x1000·i with PLIC source 1 + i. */
export const VIRTIO_SLOT_COUNT = 8;

/** One device and the slot it is plugged into. */
export type VirtioSlotDevice =
  | { readonly kind: 'blk'; readonly slot: number; readonly backend: BlockBackend; readonly serial?: string }
  | { readonly kind: 'rng'; readonly slot: number }
  /** A NIC; the machine gives its backend (the user-mode network) through VirtioSlotWiring.netBackend. */
  | { readonly kind: 'net'; readonly slot: number; readonly mac: Uint8Array; readonly user?: UserNetworkOptions; readonly capture?: FrameCapture }
  | { readonly kind: 'serial'; readonly slot: number; readonly maxPorts: number; readonly emergencyWrite: boolean; readonly console?: VirtioConsolePort };

/** A virtconsole on a virtio-serial-device: its port number, name and its host side. */
export interface VirtioConsolePort {
  readonly nr: number;
  readonly name?: string;
  /** Where the port writes (a stdio chardev: the terminal); with none, output is dropped and
   * the port takes no input (no chardev, or a null one). */
  readonly output?: ByteSink;
}

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
  /** Where the NIC in `slot` sends the guest's frames; without it they are dropped. */
  readonly netBackend?: (slot: number, options: UserNetworkOptions, capture?: FrameCapture) => NetBackend;
}

/** The transport for `slot`: its configured device, or an empty slot (DeviceID 0) as QEMU has. */
export function virtioTransport(slot: number, config: VirtioBoardConfig | undefined, wiring: VirtioSlotWiring): VirtioMmio {
  const entry = config?.devices.find((device) => device.slot === slot);
  const device = entry && createDevice(entry, wiring);
  const transport = new VirtioMmio({
    device,
    irq: wiring.irq,
    ram: new GuestRam(wiring.ram),
    legacy: config?.forceLegacy ?? true,
    onDeviceError: wiring.onDeviceError,
  });
  // The console serves its own queues (input, control replies) through QueueNotify.
  // So does the NIC (frames delivered from the host into its receive queue).
  if (device instanceof VirtioConsole) device.attach((index) => transport.write(QUEUE_NOTIFY, 4, BigInt(index)));
  if (device instanceof VirtioNet) device.attach((index) => transport.write(QUEUE_NOTIFY, 4, BigInt(index)), () => transport.configChanged());
  return transport;
}

/** virtio-mmio's QueueNotify register (4.2.2). */
const QUEUE_NOTIFY = 0x050;

/** The virtconsole behind a transport, if it holds one: where the machine sends typed input. */
export function consoleOf(transport: VirtioMmio): VirtioConsole | undefined {
  return transport.device instanceof VirtioConsole ? transport.device : undefined;
}

/** The NIC behind a transport, if it holds one: where the machine delivers the network's frames. */
export function netOf(transport: VirtioMmio): VirtioNet | undefined {
  return transport.device instanceof VirtioNet ? transport.device : undefined;
}

function createDevice(entry: VirtioSlotDevice, { rngSeed, netBackend }: VirtioSlotWiring): VirtioDevice {
  switch (entry.kind) {
    case 'blk':
      return new VirtioBlock(entry.backend, { serial: entry.serial });
    case 'rng':
      // Each generator gets its own stream: the machine's seed moved along by the slot.
      return new VirtioRng(BigInt.asUintN(64, rngSeed + BigInt(entry.slot) * 0x9e37_79b9_7f4a_7c15n));
    case 'net':
      return new VirtioNet(netBackend?.(entry.slot, { ...entry.user, guestMac: entry.mac }, entry.capture) ?? { send() {} }, { mac: entry.mac });
    case 'serial': {
      const port = entry.console;
      return new VirtioConsole({
        maxPorts: entry.maxPorts,
        emergencyWrite: entry.emergencyWrite,
        port: port && { nr: port.nr, name: port.name, output: port.output ?? { write() {} }, connected: port.output !== undefined },
      });
    }
  }
}
