// A virtio driver written for the tests: it speaks to a VirtioMmio transport only through
// its registers (legacy or modern) and lays out its rings and buffers in a real Core's RAM.
import type { Core } from '../../server/src/machine/core';
import type { VirtioMmio } from '../../server/src/devices/virtio/mmio';

export const REG = {
  MAGIC: 0x000, VERSION: 0x004, DEVICE_ID: 0x008, VENDOR_ID: 0x00c,
  DEVICE_FEATURES: 0x010, DEVICE_FEATURES_SEL: 0x014, DRIVER_FEATURES: 0x020, DRIVER_FEATURES_SEL: 0x024,
  GUEST_PAGE_SIZE: 0x028, QUEUE_SEL: 0x030, QUEUE_NUM_MAX: 0x034, QUEUE_NUM: 0x038, QUEUE_ALIGN: 0x03c,
  QUEUE_PFN: 0x040, QUEUE_READY: 0x044, QUEUE_NOTIFY: 0x050, INTERRUPT_STATUS: 0x060, INTERRUPT_ACK: 0x064,
  STATUS: 0x070, QUEUE_DESC_LOW: 0x080, QUEUE_DESC_HIGH: 0x084, QUEUE_DRIVER_LOW: 0x090, QUEUE_DRIVER_HIGH: 0x094,
  QUEUE_DEVICE_LOW: 0x0a0, QUEUE_DEVICE_HIGH: 0x0a4, CONFIG_GENERATION: 0x0fc, CONFIG: 0x100,
} as const;

export const STATUS = { ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, NEEDS_RESET: 0x40 } as const;
export const F_INDIRECT_DESC = 1n << 28n;
export const F_EVENT_IDX = 1n << 29n;
export const F_VERSION_1 = 1n << 32n;

const RAM_BASE = 0x8000_0000;
/** The ring's page (legacy layout, used by both transports): descriptors, avail, then used at +4 KiB. */
export const RING = RAM_BASE + 0x1_0000;
const BUFFERS = RAM_BASE + 0x2_0000;
const PAGE = 4096;

export interface Buffer {
  /** Device-readable contents, or the length of a device-writable buffer. */
  readonly data?: Uint8Array;
  readonly writable?: number;
  /** Put it at this guest physical address instead of the next free one. */
  readonly at?: number;
}

export class FakeDriver {
  queueSize = 16;
  accepted = 0n;
  private nextFree: number;
  /** The queue this driver works (QueueSel) and where its rings and buffers live. */
  readonly queue: number;
  readonly ring: number;
  private nextDesc = 0;
  private availIndex = 0;
  private usedSeen = 0;

  constructor(
    readonly transport: Pick<VirtioMmio, 'read' | 'write'>,
    readonly core: Core,
    placement: { queue?: number; ring?: number; buffers?: number } = {},
  ) {
    this.queue = placement.queue ?? 0;
    this.ring = placement.ring ?? RING;
    this.nextFree = placement.buffers ?? BUFFERS;
  }

  get modern(): boolean {
    return this.read(REG.VERSION) === 2;
  }

  read(offset: number): number {
    return Number(this.transport.read(offset, 4));
  }

  write(offset: number, value: number): void {
    this.transport.write(offset, 4, BigInt(value >>> 0));
  }

  offered(): bigint {
    this.write(REG.DEVICE_FEATURES_SEL, 0);
    const low = BigInt(this.read(REG.DEVICE_FEATURES));
    this.write(REG.DEVICE_FEATURES_SEL, 1);
    return (BigInt(this.read(REG.DEVICE_FEATURES)) << 32n) | low;
  }

  /** 3.1.1: reset, acknowledge, negotiate `wanted` (and VERSION_1 when modern), set up queue 0, DRIVER_OK. */
  init(wanted = 0n, options: { queueSize?: number; driverOk?: boolean; pageSize?: number; writePageSize?: boolean } = {}): void {
    const pageSize = options.pageSize ?? PAGE;
    this.queueSize = options.queueSize ?? 16;
    this.write(REG.STATUS, 0);
    this.write(REG.STATUS, STATUS.ACKNOWLEDGE);
    this.write(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    const modern = this.modern;
    this.accepted = this.offered() & (wanted | (modern ? F_VERSION_1 : 0n));
    this.setDriverFeatures(this.accepted);
    if (modern) {
      this.write(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
      if (!(this.read(REG.STATUS) & STATUS.FEATURES_OK)) throw new Error('device refused the features');
    } else {
      if (options.writePageSize ?? true) this.write(REG.GUEST_PAGE_SIZE, pageSize);
    }
    this.setupQueue(pageSize);
    if (options.driverOk ?? true) this.write(REG.STATUS, this.read(REG.STATUS) | STATUS.DRIVER_OK);
  }

  /** Places this driver's queue (after negotiation, before DRIVER_OK); init does it for its queue. */
  setupQueue(pageSize = PAGE, queueSize = this.queueSize): void {
    const modern = this.modern;
    this.queueSize = queueSize;
    this.core.ram.fill(0, this.ring - RAM_BASE, this.ring - RAM_BASE + 2 * PAGE);
    this.write(REG.QUEUE_SEL, this.queue);
    this.write(REG.QUEUE_NUM, this.queueSize);
    if (modern) {
      this.write(REG.QUEUE_DESC_LOW, this.ring);
      this.write(REG.QUEUE_DESC_HIGH, 0);
      this.write(REG.QUEUE_DRIVER_LOW, this.availAddress);
      this.write(REG.QUEUE_DRIVER_HIGH, 0);
      this.write(REG.QUEUE_DEVICE_LOW, this.usedAddress);
      this.write(REG.QUEUE_DEVICE_HIGH, 0);
      this.write(REG.QUEUE_READY, 1);
    } else {
      this.write(REG.QUEUE_ALIGN, PAGE);
      this.write(REG.QUEUE_PFN, this.ring / pageSize);
    }
    this.nextDesc = 0;
    this.availIndex = 0;
    this.usedSeen = 0;
  }

  setDriverFeatures(features: bigint): void {
    this.write(REG.DRIVER_FEATURES_SEL, 0);
    this.write(REG.DRIVER_FEATURES, Number(features & 0xffff_ffffn));
    this.write(REG.DRIVER_FEATURES_SEL, 1);
    this.write(REG.DRIVER_FEATURES, Number(features >> 32n));
  }

  get availAddress(): number {
    return this.ring + 16 * this.queueSize;
  }

  get usedAddress(): number {
    return this.ring + PAGE;
  }

  /** Guest memory for a buffer (8-byte aligned). */
  alloc(length: number): number {
    const at = this.nextFree;
    this.nextFree += Math.ceil(Math.max(length, 1) / 8) * 8;
    return at;
  }

  /**
   * Lays out a chain (optionally through one indirect table) and makes it available; returns
   * the buffers' addresses. Nothing reaches the device before notify().
   */
  submit(buffers: readonly Buffer[], options: { indirect?: boolean } = {}): number[] {
    const addresses = buffers.map((buffer) => {
      const length = buffer.data?.length ?? buffer.writable ?? 0;
      const at = buffer.at ?? this.alloc(length);
      if (buffer.data && buffer.at === undefined) this.core.writePhysical(BigInt(at), buffer.data);
      return at;
    });
    const describe = (table: number, index: number, i: number, next: number) => {
      const buffer = buffers[i];
      const flags = (buffer.writable !== undefined ? 2 : 0) | (i + 1 < buffers.length ? 1 : 0);
      this.descriptor(table, index, addresses[i], buffer.data?.length ?? buffer.writable ?? 0, flags, next);
    };
    let head: number;
    if (options.indirect) {
      const table = this.alloc(16 * buffers.length);
      buffers.forEach((_, i) => describe(table, i, i, i + 1));
      head = this.takeDescriptor();
      this.descriptor(this.ring, head, table, 16 * buffers.length, 4, 0);
    } else {
      const indices = buffers.map(() => this.takeDescriptor());
      buffers.forEach((_, i) => describe(this.ring, indices[i], i, indices[i + 1] ?? 0));
      head = indices[0];
    }
    this.setU16(this.availAddress + 4 + 2 * (this.availIndex % this.queueSize), head);
    this.availIndex = (this.availIndex + 1) & 0xffff;
    this.setU16(this.availAddress + 2, this.availIndex);
    return addresses;
  }

  /** Carries on where `other` (a driver of an identical device, e.g. before a snapshot) left off. */
  continueFrom(other: FakeDriver): void {
    this.queueSize = other.queueSize;
    this.accepted = other.accepted;
    this.nextFree = other.nextFree;
    this.nextDesc = other.nextDesc;
    this.availIndex = other.availIndex;
    this.usedSeen = other.usedSeen;
  }

  notify(queue = this.queue): void {
    this.write(REG.QUEUE_NOTIFY, queue);
  }

  /** Used entries added since the last call. */
  takeUsed(): { id: number; len: number }[] {
    const out: { id: number; len: number }[] = [];
    const index = this.u16(this.usedAddress + 2);
    while (this.usedSeen !== index) {
      const at = this.usedAddress + 4 + 8 * (this.usedSeen % this.queueSize);
      out.push({ id: this.u32(at), len: this.u32(at + 4) });
      this.usedSeen = (this.usedSeen + 1) & 0xffff;
    }
    return out;
  }

  /** used_event (in the driver area, after the ring) and avail_event (after the used ring). */
  set usedEvent(value: number) {
    this.setU16(this.availAddress + 4 + 2 * this.queueSize, value);
  }

  get availEvent(): number {
    return this.u16(this.usedAddress + 4 + 8 * this.queueSize);
  }

  bytes(address: number, length: number): Uint8Array {
    return this.core.readPhysical(BigInt(address), length);
  }

  u16(address: number): number {
    const b = this.bytes(address, 2);
    return b[0] | (b[1] << 8);
  }

  u32(address: number): number {
    return new DataView(this.bytes(address, 4).buffer).getUint32(0, true);
  }

  setU16(address: number, value: number): void {
    this.core.writePhysical(BigInt(address), Uint8Array.of(value & 0xff, value >> 8));
  }

  /** Writes descriptor `index` of the table at `table`. */
  descriptor(table: number, index: number, address: number | bigint, length: number, flags: number, next: number): void {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(address), true);
    view.setUint32(8, length, true);
    view.setUint16(12, flags, true);
    view.setUint16(14, next, true);
    this.core.writePhysical(BigInt(table + 16 * index), bytes);
  }

  private takeDescriptor(): number {
    const index = this.nextDesc;
    this.nextDesc = (this.nextDesc + 1) % this.queueSize;
    return index;
  }
}
