// virtio-blk (virtio 1.2 section 5.2): one request queue over an injected block backend;
// read, write, flush and get-id, with the capacity, seg_max and blk_size config fields.
import { DEVICE_ID_BLOCK, type VirtioDevice, type VirtioDeviceState } from './device';
import type { DescriptorChain, Virtqueue } from './virtqueue';

/**
 * The image a virtio-blk device reads and writes (server/src/host/block-file.ts gives a raw
 * file). Calls are synchronous: the device completes each request inside the guest's
 * QueueNotify store, so the step at which the guest sees a completion never depends on how
 * long the host takes — the run stays deterministic and replayable.
 */
export interface BlockBackend {
  /** Bytes in the image; the device's capacity is this in whole 512-byte sectors. */
  readonly size: number;
  /** Writes fail with VIRTIO_BLK_S_IOERR, and VIRTIO_BLK_F_RO is offered. */
  readonly readOnly: boolean;
  /** Fills `target` from byte `position`; false on a host I/O error. */
  read(position: number, target: Uint8Array): boolean;
  /** Writes `source` at byte `position`; false on a host I/O error or a read-only image. */
  write(position: number, source: Uint8Array): boolean;
  /** Makes every completed write durable (fsync); false on a host I/O error. */
  flush(): boolean;
  /** Present when writes can be kept in a copy-on-write overlay (server/src/host/overlay.ts). */
  readonly copyOnWrite?: CopyOnWrite;
}

/** The granules written over a base image, by granule index (each OVERLAY_GRANULE bytes). */
export type OverlayContents = ReadonlyMap<number, Uint8Array>;

/**
 * A disk's copy-on-write capability: once active, writes land in an overlay and the base image
 * never changes (what snapshots, `-snapshot` and clones need); `commit` writes them back.
 */
export interface CopyOnWrite {
  /** The -drive id (the monitor's `commit` names disks by it). */
  readonly drive: string;
  /** The base image's path, as given (a snapshot records it for `lantern clone`). */
  readonly image: string;
  /** Whether writes go to the overlay (else straight to the base image). */
  readonly active: boolean;
  /** From now on writes go to the overlay. */
  activate(): void;
  /** Reads the base image, under the overlay. */
  readBase(position: number, target: Uint8Array): boolean;
  /** The overlay's granules now (copies). */
  contents(): OverlayContents;
  /** Replaces the overlay's granules (and activates it). */
  replace(contents: OverlayContents): void;
  /** The overlay's granules now without copying them (time travel's checkpoints): a write
   * never changes a granule in place once it has been handed out this way. */
  share(): OverlayContents;
  /** Puts back granules share() gave (and activates the overlay). */
  restoreShared(contents: OverlayContents): void;
  /** Writes the overlay into the base image, flushes it and empties the overlay; throws an Error with a one-line message. */
  commit(): void;
}

// Feature bits (5.2.3).
export const BLK_F_SEG_MAX = 1n << 2n;
export const BLK_F_RO = 1n << 5n;
export const BLK_F_BLK_SIZE = 1n << 6n;
export const BLK_F_FLUSH = 1n << 9n;

// Request types and status values (5.2.6).
export const BLK_T_IN = 0;
export const BLK_T_OUT = 1;
export const BLK_T_FLUSH = 4;
export const BLK_T_GET_ID = 8;
export const BLK_S_OK = 0;
export const BLK_S_IOERR = 1;
export const BLK_S_UNSUPP = 2;

export const SECTOR = 512;
/** GET_ID answers 20 bytes, NUL-padded (VIRTIO_BLK_ID_BYTES). */
export const ID_BYTES = 20;
const HEADER_BYTES = 16; // type u32, reserved u32, sector u64
/** QEMU's seg_max: its queue-size (256) minus the two header/status descriptors (seen in 7.2). */
const SEG_MAX = 254;
// Config layout (5.2.4): capacity @0, size_max @8, seg_max @12, geometry @16, blk_size @20,
// topology @24..31, writeback @32, unused @33, num_queues @34.
const CONFIG_SIZE = 36;

export interface VirtioBlockOptions {
  /** GET_ID's answer (`-device virtio-blk-device,serial=`); QEMU's default is empty. */
  serial?: string;
}

export class VirtioBlock implements VirtioDevice {
  readonly deviceId = DEVICE_ID_BLOCK;
  readonly queueCount = 1;
  readonly features: bigint;
  readonly configSize = CONFIG_SIZE;
  /** Capacity in 512-byte sectors. */
  readonly capacity: number;
  private readonly config = new Uint8Array(CONFIG_SIZE);
  private readonly id = new Uint8Array(ID_BYTES);
  /** With FLUSH negotiated the driver flushes; without it, every write is made durable at once. */
  private writeBack = false;

  constructor(
    private readonly backend: BlockBackend,
    options: VirtioBlockOptions = {},
  ) {
    this.capacity = Math.floor(backend.size / SECTOR);
    this.features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH | (backend.readOnly ? BLK_F_RO : 0n);
    const view = new DataView(this.config.buffer);
    view.setBigUint64(0, BigInt(this.capacity), true);
    view.setUint32(12, SEG_MAX, true);
    view.setUint32(20, SECTOR, true);
    this.id.set(new TextEncoder().encode(options.serial ?? '').subarray(0, ID_BYTES));
  }

  readConfig(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.config[offset + i];
    return value;
  }

  /** Nothing here is writable without VIRTIO_BLK_F_CONFIG_WCE, which is not offered. */
  writeConfig(): void {}

  activate(features: bigint): void {
    this.writeBack = (features & BLK_F_FLUSH) !== 0n;
  }

  process(_index: number, queue: Virtqueue): void {
    for (;;) {
      const next = queue.pop();
      if (next.kind !== 'chain') return;
      const chain = next.chain;
      // 5.2.6: the header is the first 16 readable bytes, the status the last writable byte.
      if (chain.readableLength < HEADER_BYTES || chain.writableLength < 1) {
        queue.fail(`virtio-blk request ${chain.head} lacks its header or status byte`);
        return;
      }
      const status = this.execute(chain);
      chain.write(chain.writableLength - 1, Uint8Array.of(status));
      // The whole writable part was written (data, zero fill or id, then the status): QEMU
      // reports the same length.
      queue.push(chain.head, chain.writableLength);
    }
  }

  reset(): void {
    this.writeBack = false;
  }

  saveState(): VirtioDeviceState & { name: 'virtio-blk'; version: 1; writeBack: boolean } {
    return { name: 'virtio-blk', version: 1, writeBack: this.writeBack };
  }

  loadState(state: VirtioDeviceState): void {
    const saved = state as Partial<ReturnType<VirtioBlock['saveState']>>;
    if (saved.name !== 'virtio-blk' || saved.version !== 1) {
      throw new Error(`cannot load ${String(saved.name)} v${String(saved.version)} state into virtio-blk v1`);
    }
    this.writeBack = saved.writeBack === true;
  }

  /** Carries out one request; returns its status byte. */
  private execute(chain: DescriptorChain): number {
    const header = new DataView(chain.read(0, HEADER_BYTES).buffer);
    const type = header.getUint32(0, true);
    const sector = header.getUint32(8, true) + header.getUint32(12, true) * 0x1_0000_0000;
    const dataIn = chain.writableLength - 1; // writable bytes before the status byte
    switch (type) {
      case BLK_T_IN: {
        const ok = this.inRange(sector, dataIn) && this.transfer(chain.writableViews(0, dataIn), sector, 'read');
        if (!ok) this.zero(chain, dataIn);
        return ok ? BLK_S_OK : BLK_S_IOERR;
      }
      case BLK_T_OUT: {
        this.zero(chain, dataIn);
        const length = chain.readableLength - HEADER_BYTES;
        if (this.backend.readOnly || !this.inRange(sector, length)) return BLK_S_IOERR;
        if (!this.transfer(chain.readableViews(HEADER_BYTES, length), sector, 'write')) return BLK_S_IOERR;
        // A driver without FLUSH takes the device for write-through (Linux's cache mode follows
        // the feature), so each write is made durable before it completes.
        return this.writeBack || this.backend.flush() ? BLK_S_OK : BLK_S_IOERR;
      }
      case BLK_T_FLUSH:
        this.zero(chain, dataIn);
        // The data reaches the file before the guest sees the request complete.
        return this.backend.readOnly || this.backend.flush() ? BLK_S_OK : BLK_S_IOERR;
      case BLK_T_GET_ID: {
        this.zero(chain, dataIn);
        chain.write(0, this.id.subarray(0, Math.min(ID_BYTES, dataIn)));
        return BLK_S_OK;
      }
      default:
        this.zero(chain, dataIn);
        return BLK_S_UNSUPP;
    }
  }

  /** Whole sectors, all inside the image. */
  private inRange(sector: number, length: number): boolean {
    return length % SECTOR === 0 && sector + length / SECTOR <= this.capacity;
  }

  private transfer(views: Uint8Array[], sector: number, direction: 'read' | 'write'): boolean {
    let position = sector * SECTOR;
    for (const view of views) {
      const ok = direction === 'read' ? this.backend.read(position, view) : this.backend.write(position, view);
      if (!ok) return false;
      position += view.length;
    }
    return true;
  }

  private zero(chain: DescriptorChain, length: number): void {
    for (const view of chain.writableViews(0, length)) view.fill(0);
  }
}
