// The DMA view of guest RAM that virtio devices are given: guest physical addresses checked
// against RAM and turned into byte offsets, little-endian ring accessors, dirty-page marking.

/** What the machine hands a DMA-capable device: guest RAM and its dirty map (Core.ram, Core.markDirty). */
export interface DmaRam {
  /** Guest RAM; index 0 is guest physical `base`. Read it at each use: views change on memory.grow. */
  readonly bytes: Uint8Array;
  /** Guest physical address of bytes[0] (0x80000000 on virt). */
  readonly base: number;
  /** Marks RAM pages written by a device, for snapshots and the core's write tracking. */
  markDirty(offset: number, length: number): void;
}

/**
 * Guest physical addresses are 64-bit; they are carried as numbers (exact below 2^53; any
 * larger value is still far above RAM, so the range check stays right). Nothing here throws
 * for a bad address: `offset` answers undefined and the caller reports a device error.
 */
export class GuestRam {
  constructor(private readonly ram: DmaRam) {}

  get bytes(): Uint8Array {
    return this.ram.bytes;
  }

  /** The RAM offset of [paddr, paddr+length), or undefined if any of it lies outside RAM. */
  offset(paddr: number, length: number): number | undefined {
    const at = paddr - this.ram.base;
    if (!(at >= 0) || length < 0 || at + length > this.ram.bytes.length) return undefined;
    return at;
  }

  /** A 64-bit guest physical address from its two 32-bit halves (registers, descriptors). */
  static address(low: number, high: number): number {
    return (high >>> 0) * 0x1_0000_0000 + (low >>> 0);
  }

  u16(offset: number): number {
    const b = this.ram.bytes;
    return b[offset] | (b[offset + 1] << 8);
  }

  u32(offset: number): number {
    const b = this.ram.bytes;
    return (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) >>> 0;
  }

  setU16(offset: number, value: number): void {
    const b = this.ram.bytes;
    b[offset] = value & 0xff;
    b[offset + 1] = (value >>> 8) & 0xff;
    this.ram.markDirty(offset, 2);
  }

  setU32(offset: number, value: number): void {
    const b = this.ram.bytes;
    b[offset] = value & 0xff;
    b[offset + 1] = (value >>> 8) & 0xff;
    b[offset + 2] = (value >>> 16) & 0xff;
    b[offset + 3] = (value >>> 24) & 0xff;
    this.ram.markDirty(offset, 4);
  }

  /** A view of RAM bytes [offset, offset+length) (already checked by `offset`). */
  view(offset: number, length: number): Uint8Array {
    return this.ram.bytes.subarray(offset, offset + length);
  }

  markDirty(offset: number, length: number): void {
    this.ram.markDirty(offset, length);
  }
}
