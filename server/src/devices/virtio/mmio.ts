// The virtio-mmio transport (virtio 1.2 section 4.2) of one virt slot: legacy version 1 as
// QEMU's default, or modern version 2; registers, feature negotiation, queues, the interrupt.
import type { MmioDevice, MmioValue, MmioWriteResult } from '../../machine/bus';
import type { IrqLine } from '../irq-line';
import { F_EVENT_IDX, F_INDIRECT_DESC, F_VERSION_1, type VirtioDevice, type VirtioDeviceState } from './device';
import { GuestRam } from './dma';
import { Virtqueue, type VirtqueueState } from './virtqueue';

// Register offsets (4.2.2; legacy-only ones from 4.2.4). All are 32-bit registers.
const MAGIC_VALUE = 0x000;
const VERSION = 0x004;
const DEVICE_ID = 0x008;
const VENDOR_ID = 0x00c;
const DEVICE_FEATURES = 0x010;
const DEVICE_FEATURES_SEL = 0x014;
const DRIVER_FEATURES = 0x020;
const DRIVER_FEATURES_SEL = 0x024;
const GUEST_PAGE_SIZE = 0x028; // legacy
const QUEUE_SEL = 0x030;
const QUEUE_NUM_MAX = 0x034;
const QUEUE_NUM = 0x038;
const QUEUE_ALIGN = 0x03c; // legacy
const QUEUE_PFN = 0x040; // legacy
const QUEUE_READY = 0x044;
const QUEUE_NOTIFY = 0x050;
const INTERRUPT_STATUS = 0x060;
const INTERRUPT_ACK = 0x064;
const STATUS = 0x070;
const QUEUE_DESC_LOW = 0x080;
const QUEUE_DESC_HIGH = 0x084;
const QUEUE_DRIVER_LOW = 0x090;
const QUEUE_DRIVER_HIGH = 0x094;
const QUEUE_DEVICE_LOW = 0x0a0;
const QUEUE_DEVICE_HIGH = 0x0a4;
const SHM_LEN_LOW = 0x0b0;
const SHM_LEN_HIGH = 0x0b4;
const SHM_BASE_LOW = 0x0b8;
const SHM_BASE_HIGH = 0x0bc;
const CONFIG_GENERATION = 0x0fc;
const CONFIG = 0x100;
/** QEMU maps 0x200 bytes per transport (hw/virtio/virtio-mmio.c, checked with `info qtree`):
 * the rest of the 0x1000 slot is unassigned and an access there faults. */
export const VIRTIO_MMIO_WINDOW = 0x200;

const MAGIC = 0x7472_6976; // "virt"
/** QEMU's VendorID, "QEMU" as a little-endian word (checked against QEMU 7.2). */
const VENDOR_QEMU = 0x554d_4551;
/** QEMU's virtio-mmio reports VIRTQUEUE_MAX_SIZE (1024) as QueueNumMax of every queue (checked with 7.2). */
export const QUEUE_NUM_MAX_VALUE = 1024;
/** Legacy QueueAlign before the driver writes it (the legacy PCI ring alignment, 4096). */
const DEFAULT_QUEUE_ALIGN = 4096;
/** Legacy GuestPageSize before the driver writes it. Linux writes it once at probe, before the
 * first reset, so a reset must keep it. */
const DEFAULT_GUEST_PAGE_SIZE = 4096;

// Device status bits (2.1).
export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 0x40;
export const STATUS_FAILED = 0x80;

// InterruptStatus bits (4.2.2).
export const INTERRUPT_USED_BUFFER = 1;
export const INTERRUPT_CONFIG_CHANGE = 2;

export interface VirtioMmioOptions {
  /** The device in this slot; none gives an empty slot (DeviceID 0), as QEMU's unused transports. */
  device?: VirtioDevice;
  /** The slot's interrupt line (PLIC source 1 + slot on virt). */
  irq: IrqLine;
  ram: GuestRam;
  /** Version 1 (QEMU's default, force-legacy=true) or version 2. */
  legacy: boolean;
  /** Told why a device stopped with DEVICE_NEEDS_RESET (a driver error; for logs). */
  onDeviceError?: (reason: string) => void;
}

interface LegacyQueue {
  align: number;
  pfn: number;
}

export interface VirtioMmioState {
  name: 'virtio-mmio';
  version: 1;
  legacy: boolean;
  status: number;
  deviceFeaturesSelect: number;
  driverFeaturesSelect: number;
  driverFeaturesLow: number;
  driverFeaturesHigh: number;
  queueSelect: number;
  interruptStatus: number;
  configGeneration: number;
  guestPageSize: number;
  queues: { queue: VirtqueueState; legacyAlign: number; legacyPfn: number }[];
  device: VirtioDeviceState | null;
}

export class VirtioMmio implements MmioDevice {
  readonly device: VirtioDevice | undefined;
  readonly legacy: boolean;
  private readonly irq: IrqLine;
  private readonly queues: Virtqueue[];
  private readonly legacyQueues: LegacyQueue[];
  private readonly onDeviceError: (reason: string) => void;
  private status = 0;
  private deviceFeaturesSelect = 0;
  private driverFeaturesSelect = 0;
  private driverFeatures = 0n;
  private queueSelect = 0;
  private interruptStatus = 0;
  private configGeneration = 0;
  private guestPageSize = DEFAULT_GUEST_PAGE_SIZE;
  private irqLevel = false;

  constructor(options: VirtioMmioOptions) {
    this.device = options.device;
    this.legacy = options.legacy;
    this.irq = options.irq;
    this.onDeviceError = options.onDeviceError ?? (() => {});
    const count = this.device?.queueCount ?? 0;
    this.queues = Array.from({ length: count }, () => new Virtqueue(QUEUE_NUM_MAX_VALUE, options.ram));
    this.legacyQueues = Array.from({ length: count }, () => ({ align: DEFAULT_QUEUE_ALIGN, pfn: 0 }));
  }

  /** Feature bits offered: the device's, the ring features, and VERSION_1 when modern. */
  get offeredFeatures(): bigint {
    if (!this.device) return 0n;
    return this.device.features | F_INDIRECT_DESC | F_EVENT_IDX | (this.legacy ? 0n : F_VERSION_1);
  }

  /** What both sides agreed on. */
  get negotiatedFeatures(): bigint {
    return this.driverFeatures & this.offeredFeatures;
  }

  /** Device reset (Status 0, or the board's reset). GuestPageSize survives (see its default). */
  reset(): void {
    this.status = 0;
    this.deviceFeaturesSelect = 0;
    this.driverFeaturesSelect = 0;
    this.driverFeatures = 0n;
    this.queueSelect = 0;
    this.interruptStatus = 0;
    for (const queue of this.queues) queue.reset();
    for (const legacy of this.legacyQueues) Object.assign(legacy, { align: DEFAULT_QUEUE_ALIGN, pfn: 0 });
    this.device?.reset();
    this.updateIrq();
  }

  read(offset: number, size: number): MmioValue | undefined {
    return this.peek(offset, size);
  }

  /** Reads have no side effects on virtio-mmio: read and peek are the same. */
  peek(offset: number, size: number): MmioValue | undefined {
    if (!validAccess(offset, size)) return undefined;
    if (size === 8) {
      // QEMU's memory core splits a 64-bit access into two 32-bit ones, low word first.
      const low = this.read32(offset);
      const high = this.read32(offset + 4);
      return (BigInt(high) << 32n) | BigInt(low);
    }
    if (offset >= CONFIG) return this.readConfig(offset - CONFIG, size);
    // QEMU answers a narrower access to a register with 0 ("wrong size access to register").
    return size === 4 ? this.readRegister(offset) : 0;
  }

  write(offset: number, size: number, value: bigint): MmioWriteResult {
    if (!validAccess(offset, size)) return 'fault';
    if (size === 8) {
      this.write32(offset, Number(value & 0xffff_ffffn));
      this.write32(offset + 4, Number((value >> 32n) & 0xffff_ffffn));
      return 'ok';
    }
    const word = Number(value & 0xffff_ffffn);
    if (offset >= CONFIG) this.writeConfig(offset - CONFIG, size, word);
    else if (size === 4) this.writeRegister(offset, word);
    return this.device?.takeHostRequest?.() ? 'stop' : 'ok';
  }

  saveState(): VirtioMmioState {
    return {
      name: 'virtio-mmio', version: 1, legacy: this.legacy, status: this.status,
      deviceFeaturesSelect: this.deviceFeaturesSelect, driverFeaturesSelect: this.driverFeaturesSelect,
      driverFeaturesLow: Number(this.driverFeatures & 0xffff_ffffn), driverFeaturesHigh: Number(this.driverFeatures >> 32n),
      queueSelect: this.queueSelect, interruptStatus: this.interruptStatus, configGeneration: this.configGeneration,
      guestPageSize: this.guestPageSize,
      queues: this.queues.map((queue, i) => ({
        queue: queue.saveState(), legacyAlign: this.legacyQueues[i].align, legacyPfn: this.legacyQueues[i].pfn,
      })),
      device: this.device?.saveState() ?? null,
    };
  }

  loadState(state: VirtioMmioState): void {
    if (state.name !== 'virtio-mmio' || state.version !== 1) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into virtio-mmio v1`);
    }
    if (state.legacy !== this.legacy || state.queues.length !== this.queues.length || (state.device === null) !== !this.device) {
      throw new Error('virtio-mmio state is for a differently configured slot');
    }
    this.status = state.status;
    this.deviceFeaturesSelect = state.deviceFeaturesSelect;
    this.driverFeaturesSelect = state.driverFeaturesSelect;
    this.driverFeatures = (BigInt(state.driverFeaturesHigh >>> 0) << 32n) | BigInt(state.driverFeaturesLow >>> 0);
    this.queueSelect = state.queueSelect;
    this.interruptStatus = state.interruptStatus;
    this.configGeneration = state.configGeneration;
    this.guestPageSize = state.guestPageSize;
    state.queues.forEach((saved, i) => {
      this.queues[i].loadState(saved.queue);
      this.legacyQueues[i] = { align: saved.legacyAlign, pfn: saved.legacyPfn };
    });
    if (state.device && this.device) this.device.loadState(state.device);
    this.irqLevel = this.interruptStatus !== 0;
    this.irq.set(this.irqLevel);
  }

  private read32(offset: number): number {
    if (offset >= CONFIG) return this.readConfig(offset - CONFIG, 4);
    return this.readRegister(offset);
  }

  private write32(offset: number, value: number): void {
    if (offset >= CONFIG) this.writeConfig(offset - CONFIG, 4, value);
    else this.writeRegister(offset, value);
  }

  private readRegister(offset: number): number {
    switch (offset) {
      case MAGIC_VALUE: return MAGIC;
      case VERSION: return this.legacy ? 1 : 2;
      case VENDOR_ID: return VENDOR_QEMU;
    }
    // An empty slot answers only the identification registers (DeviceID 0 included).
    if (!this.device) return 0;
    const queue = this.queues[this.queueSelect] as Virtqueue | undefined;
    switch (offset) {
      case DEVICE_ID: return this.device.deviceId;
      case DEVICE_FEATURES: {
        // Legacy exposes only the first 32 feature bits.
        if (this.legacy && this.deviceFeaturesSelect !== 0) return 0;
        if (this.deviceFeaturesSelect > 1) return 0;
        return Number((this.offeredFeatures >> BigInt(32 * this.deviceFeaturesSelect)) & 0xffff_ffffn);
      }
      case QUEUE_NUM_MAX: return queue ? queue.maxSize : 0;
      case INTERRUPT_STATUS: return this.interruptStatus;
      case STATUS: return this.status;
    }
    if (this.legacy) {
      return offset === QUEUE_PFN ? (this.legacyQueues[this.queueSelect]?.pfn ?? 0) : 0;
    }
    const address = queue?.addresses;
    switch (offset) {
      case QUEUE_READY: return queue?.ready ? 1 : 0;
      case QUEUE_DESC_LOW: return low(address?.desc);
      case QUEUE_DESC_HIGH: return high(address?.desc);
      case QUEUE_DRIVER_LOW: return low(address?.driver);
      case QUEUE_DRIVER_HIGH: return high(address?.driver);
      case QUEUE_DEVICE_LOW: return low(address?.device);
      case QUEUE_DEVICE_HIGH: return high(address?.device);
      // No shared memory regions: every SHMSel names a missing one, whose length reads as -1.
      case SHM_LEN_LOW:
      case SHM_LEN_HIGH:
      case SHM_BASE_LOW:
      case SHM_BASE_HIGH:
        return 0xffff_ffff;
      case CONFIG_GENERATION: return this.configGeneration;
      default: return 0; // write-only and reserved registers read as 0
    }
  }

  private writeRegister(offset: number, value: number): void {
    if (!this.device) return;
    const queue = this.queues[this.queueSelect] as Virtqueue | undefined;
    switch (offset) {
      case DEVICE_FEATURES_SEL: this.deviceFeaturesSelect = value; return;
      case DRIVER_FEATURES_SEL: this.driverFeaturesSelect = value; return;
      case DRIVER_FEATURES: this.setDriverFeatures(value); return;
      case QUEUE_SEL: this.queueSelect = value; return;
      case QUEUE_NUM:
        queue?.setSize(value);
        this.placeLegacyQueue(this.queueSelect);
        return;
      case QUEUE_NOTIFY: this.notify(value & 0xffff); return;
      case INTERRUPT_ACK:
        this.interruptStatus &= ~value;
        this.updateIrq();
        return;
      case STATUS: this.setStatus(value & 0xff); return;
    }
    if (this.legacy) {
      const legacy = this.legacyQueues[this.queueSelect] as LegacyQueue | undefined;
      switch (offset) {
        case GUEST_PAGE_SIZE:
          this.guestPageSize = value;
          this.queues.forEach((_, i) => this.placeLegacyQueue(i));
          return;
        case QUEUE_ALIGN:
          if (legacy) legacy.align = value;
          this.placeLegacyQueue(this.queueSelect);
          return;
        case QUEUE_PFN:
          // 4.2.4: a PFN places the queue; 0 means the driver stopped using it.
          if (legacy) legacy.pfn = value;
          this.placeLegacyQueue(this.queueSelect);
          return;
      }
      return; // modern-only registers are ignored in legacy mode, as QEMU does
    }
    if (!queue) return;
    const address = queue.addresses;
    switch (offset) {
      case QUEUE_READY:
        queue.ready = (value & 1) !== 0;
        queue.setAddresses({}); // re-check the areas when next used
        return;
      case QUEUE_DESC_LOW: queue.setAddresses({ desc: withLow(address.desc, value) }); return;
      case QUEUE_DESC_HIGH: queue.setAddresses({ desc: withHigh(address.desc, value) }); return;
      case QUEUE_DRIVER_LOW: queue.setAddresses({ driver: withLow(address.driver, value) }); return;
      case QUEUE_DRIVER_HIGH: queue.setAddresses({ driver: withHigh(address.driver, value) }); return;
      case QUEUE_DEVICE_LOW: queue.setAddresses({ device: withLow(address.device, value) }); return;
      case QUEUE_DEVICE_HIGH: queue.setAddresses({ device: withHigh(address.device, value) }); return;
    }
  }

  private setDriverFeatures(value: number): void {
    const select = this.driverFeaturesSelect;
    if (select > 1 || (this.legacy && select !== 0)) return;
    // 3.1.1: features are fixed once FEATURES_OK is set.
    if (this.status & STATUS_FEATURES_OK) return;
    const shift = BigInt(32 * select);
    this.driverFeatures = (this.driverFeatures & ~(0xffff_ffffn << shift)) | (BigInt(value >>> 0) << shift);
  }

  private setStatus(value: number): void {
    if (value === 0) {
      this.reset();
      return;
    }
    const before = this.status;
    let status = value | (before & STATUS_DEVICE_NEEDS_RESET);
    // 3.1.1 step 5: a device that cannot take the accepted features leaves FEATURES_OK clear.
    if (!this.legacy && status & STATUS_FEATURES_OK && !(before & STATUS_FEATURES_OK)) {
      if (this.driverFeatures & ~this.offeredFeatures) status &= ~STATUS_FEATURES_OK;
    }
    this.status = status;
    if (status & STATUS_DRIVER_OK && !(before & STATUS_DRIVER_OK)) {
      this.device!.activate(this.negotiatedFeatures);
      // Buffers made available before DRIVER_OK are taken now (2.1.2: not before it).
      this.queues.forEach((queue, i) => {
        if (queue.ready) this.notify(i);
      });
    }
  }

  /** Legacy ring layout (2.7.2 legacy interfaces): descriptors at PFN × GuestPageSize, the
   * available ring right after them, the used ring at the next QueueAlign boundary. */
  private placeLegacyQueue(index: number): void {
    const queue = this.queues[index] as Virtqueue | undefined;
    const legacy = this.legacyQueues[index];
    if (!this.legacy || !queue) return;
    const desc = legacy.pfn * this.guestPageSize;
    const driver = desc + 16 * queue.size;
    const usedStart = driver + 6 + 2 * queue.size;
    const device = legacy.align > 0 ? Math.ceil(usedStart / legacy.align) * legacy.align : usedStart;
    queue.ready = legacy.pfn !== 0;
    queue.setAddresses({ desc, driver, device });
  }

  /** QueueNotify: the device takes what the driver made available on queue `index`. */
  private notify(index: number): void {
    const queue = this.queues[index] as Virtqueue | undefined;
    if (!queue || !queue.ready) return;
    if (!(this.status & STATUS_DRIVER_OK) || this.status & STATUS_DEVICE_NEEDS_RESET) return;
    const features = this.negotiatedFeatures;
    queue.eventIndex = (features & F_EVENT_IDX) !== 0n;
    queue.indirect = (features & F_INDIRECT_DESC) !== 0n;
    this.device!.process(index, queue);
    if (queue.takeNotification()) this.raise(INTERRUPT_USED_BUFFER);
    if (queue.fault !== undefined) this.deviceError(`queue ${index}: ${queue.fault}`);
  }

  /** The device changed its configuration space (4.2.2: ConfigGeneration moves; a driver that is
   * running hears of it by the configuration change interrupt). */
  configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if (this.status & STATUS_DRIVER_OK) this.raise(INTERRUPT_CONFIG_CHANGE);
  }

  /** 2.1.2: a device in error sets DEVICE_NEEDS_RESET and, once DRIVER_OK, tells the driver. */
  private deviceError(reason: string): void {
    if (this.status & STATUS_DEVICE_NEEDS_RESET) return;
    this.status |= STATUS_DEVICE_NEEDS_RESET;
    this.onDeviceError(reason);
    if (this.status & STATUS_DRIVER_OK) this.raise(INTERRUPT_CONFIG_CHANGE);
  }

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.interruptStatus !== 0;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq.set(level);
  }

  /** Config space: the device's bytes; past its end, all ones (as QEMU's config reads). */
  private readConfig(offset: number, size: number): number {
    if (!this.device) return 0;
    if (offset + size > this.device.configSize) return size === 4 ? 0xffff_ffff : (1 << (8 * size)) - 1;
    return this.device.readConfig(offset, size);
  }

  private writeConfig(offset: number, size: number, value: number): void {
    if (!this.device || offset + size > this.device.configSize) return;
    this.device.writeConfig(offset, size, size === 4 ? value : value & ((1 << (8 * size)) - 1));
  }
}

/** Naturally aligned accesses of 1, 2, 4 or 8 bytes inside the 0x200-byte window. */
function validAccess(offset: number, size: number): boolean {
  return offset + size <= VIRTIO_MMIO_WINDOW && (size === 1 || size === 2 || size === 4 || size === 8) && offset % size === 0;
}

function low(address: number | undefined): number {
  return address === undefined ? 0 : address % 0x1_0000_0000;
}

function high(address: number | undefined): number {
  return address === undefined ? 0 : Math.floor(address / 0x1_0000_0000);
}

function withLow(address: number, value: number): number {
  return GuestRam.address(value, high(address));
}

function withHigh(address: number, value: number): number {
  return GuestRam.address(low(address), value);
}
