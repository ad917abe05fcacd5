// A split virtqueue (virtio 1.2 section 2.7) over the DMA view of guest RAM: descriptor
// chains (indirect tables included), the used ring, and notification suppression by event index.
import { GuestRam } from './dma';

// Descriptor flags (2.7.5).
export const DESC_F_NEXT = 1;
export const DESC_F_WRITE = 2;
export const DESC_F_INDIRECT = 4;
// Ring flags (2.7.6, 2.7.8): the driver asks for no used-buffer notifications / the device for no kicks.
const AVAIL_F_NO_INTERRUPT = 1;

const DESC_SIZE = 16;
const USED_ELEM_SIZE = 8;
/** Split virtqueues hold at most 32768 entries (2.7: "Queue Size ... maximum 32768"). */
export const MAX_QUEUE_SIZE = 32768;

/** A buffer of a chain: a range of guest RAM given as RAM offsets (checked when popped). */
export interface Segment {
  readonly offset: number;
  readonly length: number;
}

/** A popped descriptor chain: device-readable buffers, then device-writable ones. */
export class DescriptorChain {
  readonly readableLength: number;
  readonly writableLength: number;

  constructor(
    /** The head descriptor index: what goes back in the used ring. */
    readonly head: number,
    readonly readable: readonly Segment[],
    readonly writable: readonly Segment[],
    private readonly ram: GuestRam,
  ) {
    this.readableLength = readable.reduce((sum, s) => sum + s.length, 0);
    this.writableLength = writable.reduce((sum, s) => sum + s.length, 0);
  }

  /** Copies `length` bytes of the readable part from byte `from` (clipped to what there is). */
  read(from: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.readableLength - from)));
    let at = 0;
    for (const view of this.views(this.readable, from, out.length)) {
      out.set(view, at);
      at += view.length;
    }
    return out;
  }

  /** Copies `data` into the writable part at byte `from`; returns the bytes written. */
  write(from: number, data: Uint8Array): number {
    let at = 0;
    for (const view of this.writableViews(from, data.length)) {
      view.set(data.subarray(at, at + view.length));
      at += view.length;
    }
    return at;
  }

  /** RAM views of the readable part [from, from+length), in order. */
  readableViews(from: number, length: number): Uint8Array[] {
    return this.views(this.readable, from, length);
  }

  /** RAM views of the writable part [from, from+length), in order, marked dirty (the caller fills them). */
  writableViews(from: number, length: number): Uint8Array[] {
    const views = this.views(this.writable, from, length);
    for (const view of views) this.ram.markDirty(view.byteOffset - this.ram.bytes.byteOffset, view.length);
    return views;
  }

  private views(segments: readonly Segment[], from: number, length: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let skip = from;
    let left = length;
    for (const segment of segments) {
      if (left <= 0) break;
      if (skip >= segment.length) {
        skip -= segment.length;
        continue;
      }
      const take = Math.min(segment.length - skip, left);
      out.push(this.ram.view(segment.offset + skip, take));
      left -= take;
      skip = 0;
    }
    return out;
  }
}

export type PopResult =
  | { kind: 'chain'; chain: DescriptorChain }
  | { kind: 'empty' }
  | { kind: 'error'; reason: string };

export interface VirtqueueState {
  name: 'virtqueue';
  version: 1;
  size: number;
  ready: boolean;
  descAddress: number;
  driverAddress: number;
  deviceAddress: number;
  lastAvailIndex: number;
  usedIndex: number;
  signalledUsedIndex: number;
  eventIndex: boolean;
  indirect: boolean;
  fault: string | null;
}

/** RAM offsets of the three areas, once checked. */
interface Layout {
  desc: number;
  avail: number;
  used: number;
}

export class Virtqueue {
  /** Queue size (QueueNum); a power of two from 1 to maxSize to be usable. */
  size = 0;
  /** QueueReady (modern) or a non-zero QueuePFN (legacy). */
  ready = false;
  /** VIRTIO_F_EVENT_IDX negotiated: used_event / avail_event replace the ring flags. */
  eventIndex = false;
  /** VIRTIO_F_INDIRECT_DESC negotiated. */
  indirect = false;
  private descAddress = 0;
  private driverAddress = 0;
  private deviceAddress = 0;
  private lastAvailIndex = 0;
  private usedIndex = 0;
  /** The used index when notification was last decided (the "old" of 2.7.10's comparison). */
  private signalledUsedIndex = 0;
  private checked: Layout | undefined;
  private faultReason: string | undefined;

  constructor(
    readonly maxSize: number,
    private readonly ram: GuestRam,
  ) {}

  /** Guest physical addresses of the descriptor table, driver (avail) and device (used) areas. */
  get addresses(): { desc: number; driver: number; device: number } {
    return { desc: this.descAddress, driver: this.driverAddress, device: this.deviceAddress };
  }

  setAddresses(addresses: { desc?: number; driver?: number; device?: number }): void {
    this.descAddress = addresses.desc ?? this.descAddress;
    this.driverAddress = addresses.driver ?? this.driverAddress;
    this.deviceAddress = addresses.device ?? this.deviceAddress;
    this.checked = undefined;
  }

  setSize(size: number): void {
    this.size = size;
    this.checked = undefined;
  }

  /** Why the queue stopped (the device then needs a reset), or undefined while it works. */
  get fault(): string | undefined {
    return this.faultReason;
  }

  /** The next available descriptor chain; an error leaves the queue faulted for good (until reset). */
  pop(): PopResult {
    const layout = this.layout();
    if (typeof layout === 'string') return this.fail(layout);
    const availIndex = this.ram.u16(layout.avail + 2);
    const pending = (availIndex - this.lastAvailIndex) & 0xffff;
    if (pending === 0) return { kind: 'empty' };
    if (pending > this.size) return this.fail(`available index ${availIndex} is more than ${this.size} ahead of ${this.lastAvailIndex}`);
    const head = this.ram.u16(layout.avail + 4 + 2 * (this.lastAvailIndex % this.size));
    this.lastAvailIndex = (this.lastAvailIndex + 1) & 0xffff;
    // avail_event: the driver need not notify again until it makes this entry available (2.7.10).
    if (this.eventIndex) this.ram.setU16(layout.used + 4 + USED_ELEM_SIZE * this.size, this.lastAvailIndex);
    const chain = this.walk(layout.desc, head);
    return typeof chain === 'string' ? this.fail(chain) : { kind: 'chain', chain };
  }

  /**
   * Gives back the chain pop() last returned, unused: it is the next available one again (QEMU's
   * virtqueue_unpop; virtio-net puts back a receive buffer too small for its frame).
   */
  unpop(): void {
    const layout = this.layout();
    if (typeof layout === 'string') return;
    this.lastAvailIndex = (this.lastAvailIndex - 1) & 0xffff;
    if (this.eventIndex) this.ram.setU16(layout.used + 4 + USED_ELEM_SIZE * this.size, this.lastAvailIndex);
  }

  /** Returns a chain to the driver: `written` bytes were written to its writable part. */
  push(head: number, written: number): void {
    const layout = this.layout();
    if (typeof layout === 'string') {
      this.fail(layout);
      return;
    }
    const element = layout.used + 4 + USED_ELEM_SIZE * (this.usedIndex % this.size);
    this.ram.setU32(element, head);
    this.ram.setU32(element + 4, written);
    this.usedIndex = (this.usedIndex + 1) & 0xffff;
    this.ram.setU16(layout.used + 2, this.usedIndex);
  }

  /**
   * After pushes: whether the driver wants a used-buffer notification (2.7.7, 2.7.10). With
   * event index, only if used_event lies in the entries added since the last decision.
   */
  takeNotification(): boolean {
    const old = this.signalledUsedIndex;
    const now = this.usedIndex;
    if (old === now) return false;
    this.signalledUsedIndex = now;
    const layout = this.layout();
    if (typeof layout === 'string') return false;
    if (!this.eventIndex) return (this.ram.u16(layout.avail) & AVAIL_F_NO_INTERRUPT) === 0;
    const usedEvent = this.ram.u16(layout.avail + 4 + 2 * this.size);
    return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
  }

  reset(): void {
    this.loadState({
      name: 'virtqueue', version: 1, size: 0, ready: false, descAddress: 0, driverAddress: 0, deviceAddress: 0,
      lastAvailIndex: 0, usedIndex: 0, signalledUsedIndex: 0, eventIndex: false, indirect: false, fault: null,
    });
  }

  saveState(): VirtqueueState {
    return {
      name: 'virtqueue', version: 1, size: this.size, ready: this.ready,
      descAddress: this.descAddress, driverAddress: this.driverAddress, deviceAddress: this.deviceAddress,
      lastAvailIndex: this.lastAvailIndex, usedIndex: this.usedIndex, signalledUsedIndex: this.signalledUsedIndex,
      eventIndex: this.eventIndex, indirect: this.indirect, fault: this.faultReason ?? null,
    };
  }

  loadState(state: VirtqueueState): void {
    if (state.name !== 'virtqueue' || state.version !== 1) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into virtqueue v1`);
    }
    this.size = state.size;
    this.ready = state.ready;
    this.descAddress = state.descAddress;
    this.driverAddress = state.driverAddress;
    this.deviceAddress = state.deviceAddress;
    this.lastAvailIndex = state.lastAvailIndex;
    this.usedIndex = state.usedIndex;
    this.signalledUsedIndex = state.signalledUsedIndex;
    this.eventIndex = state.eventIndex;
    this.indirect = state.indirect;
    this.faultReason = state.fault ?? undefined;
    this.checked = undefined;
  }

  /** Stops the queue for a driver error (a malformed ring here, or a request a device cannot parse). */
  fail(reason: string): { kind: 'error'; reason: string } {
    this.faultReason ??= reason;
    return { kind: 'error', reason: this.faultReason };
  }

  /** The ring areas as RAM offsets, or why they are unusable (size, or outside RAM). */
  private layout(): Layout | string {
    if (this.faultReason !== undefined) return this.faultReason;
    if (this.checked) return this.checked;
    const size = this.size;
    if (!this.ready) return 'the queue is not enabled';
    if (size < 1 || size > this.maxSize || (size & (size - 1)) !== 0) {
      return `queue size ${size} is not a power of two from 1 to ${this.maxSize}`;
    }
    const desc = this.ram.offset(this.descAddress, DESC_SIZE * size);
    const avail = this.ram.offset(this.driverAddress, 6 + 2 * size);
    const used = this.ram.offset(this.deviceAddress, 6 + USED_ELEM_SIZE * size);
    if (desc === undefined) return `descriptor table at 0x${this.descAddress.toString(16)} is outside RAM`;
    if (avail === undefined) return `driver area at 0x${this.driverAddress.toString(16)} is outside RAM`;
    if (used === undefined) return `device area at 0x${this.deviceAddress.toString(16)} is outside RAM`;
    this.checked = { desc, avail, used };
    return this.checked;
  }

  /** Follows a chain from `head` through the table (and at most one indirect table). */
  private walk(tableOffset: number, head: number): DescriptorChain | string {
    const readable: Segment[] = [];
    const writable: Segment[] = [];
    let table = tableOffset;
    let tableSize = this.size;
    let index = head;
    let seen = 0;
    let indirect = false;
    if (head >= tableSize) return `head descriptor ${head} is beyond the queue size ${tableSize}`;
    for (;;) {
      // A chain longer than its table must revisit a descriptor: a loop (2.7.5.1 bounds it by the size).
      if (++seen > tableSize) return `descriptor chain from ${head} is longer than its table (a loop)`;
      const at = table + DESC_SIZE * index;
      const address = GuestRam.address(this.ram.u32(at), this.ram.u32(at + 4));
      const length = this.ram.u32(at + 8);
      const flags = this.ram.u16(at + 12);
      const next = this.ram.u16(at + 14);
      if (flags & DESC_F_INDIRECT) {
        // 2.7.5.3: only with the feature, never nested, never with NEXT, a whole number of descriptors.
        if (!this.indirect) return `descriptor ${index} is indirect but VIRTIO_F_INDIRECT_DESC was not negotiated`;
        if (indirect) return `indirect descriptor ${index} inside an indirect table`;
        if (flags & DESC_F_NEXT) return `indirect descriptor ${index} also has NEXT set`;
        if (length === 0 || length % DESC_SIZE !== 0 || length / DESC_SIZE > MAX_QUEUE_SIZE) {
          return `indirect table of ${length} bytes is not a whole number of descriptors`;
        }
        const offset = this.ram.offset(address, length);
        if (offset === undefined) return `indirect table at 0x${address.toString(16)} is outside RAM`;
        table = offset;
        tableSize = length / DESC_SIZE;
        index = 0;
        seen = 0;
        indirect = true;
        continue;
      }
      if (length > 0) {
        const offset = this.ram.offset(address, length);
        if (offset === undefined) return `buffer at 0x${address.toString(16)}+${length} is outside RAM`;
        if (flags & DESC_F_WRITE) writable.push({ offset, length });
        else if (writable.length > 0) return `device-readable descriptor ${index} after a device-writable one`;
        else readable.push({ offset, length });
      }
      if (!(flags & DESC_F_NEXT)) break;
      if (next >= tableSize) return `descriptor ${index} links to ${next}, beyond its table of ${tableSize}`;
      index = next;
    }
    return new DescriptorChain(head, readable, writable, this.ram);
  }
}
