// Copy-on-write disks: an overlay of 4 KiB granules over a base image (a raw BlockFile). While
// the overlay is active, reads take each granule from the overlay if it was written, else from
// the base, and writes go to the overlay only, so the base never changes under a snapshot, a
// `-snapshot` run or a clone. Inactive, it passes everything to the base (a plain writable
// disk until the first savevm). `commit` writes the overlay back (QEMU's monitor `commit`).
// The overlay lives in memory: it is dropped at exit unless committed or saved in a snapshot.
//
// Serialized overlay (a snapshot section's payload; little-endian, portable):
//   granule size u32 (4096), image size u64, granule count u32,
//   then per granule, by ascending index: index u64, the granule's bytes.
import type { BlockBackend, CopyOnWrite, OverlayContents } from '../devices/virtio/blk';

/** Bytes per overlay granule: the page size Linux writes in, 8 virtio-blk sectors. */
export const OVERLAY_GRANULE = 4096;

/** The image an overlay sits on: a BlockFile (or anything read and written alike). */
export interface OverlayBase extends BlockBackend {
  readonly file: string;
}

export interface OverlayDiskOptions {
  /** The -drive id. */
  readonly drive: string;
  /** Start with the overlay active (`-snapshot`, clones). */
  readonly active?: boolean;
}

/** A virtio-blk backend over a base image, with a copy-on-write overlay (see above). */
export class OverlayDisk implements BlockBackend, CopyOnWrite {
  readonly size: number;
  readonly readOnly: boolean;
  readonly drive: string;
  private granules = new Map<number, Uint8Array>();
  /** Granules share() handed out: copied before a write changes them. */
  private shared = new WeakSet<Uint8Array>();
  private isActive: boolean;

  constructor(readonly base: OverlayBase, options: OverlayDiskOptions) {
    this.size = base.size;
    this.readOnly = base.readOnly;
    this.drive = options.drive;
    this.isActive = options.active === true && !base.readOnly;
  }

  /** Itself (a read-only disk's overlay is never active: its writes fail). */
  get copyOnWrite(): CopyOnWrite {
    return this;
  }

  get image(): string {
    return this.base.file;
  }

  get active(): boolean {
    return this.isActive;
  }

  activate(): void {
    if (!this.readOnly) this.isActive = true;
  }

  read(position: number, target: Uint8Array): boolean {
    if (!this.isActive || this.granules.size === 0) return this.base.read(position, target);
    // Runs of granules the overlay lacks are read from the base in one call each.
    let done = 0;
    while (done < target.length) {
      const at = position + done;
      const index = Math.floor(at / OVERLAY_GRANULE);
      const within = at - index * OVERLAY_GRANULE;
      const granule = this.granules.get(index);
      if (granule) {
        const length = Math.min(OVERLAY_GRANULE - within, target.length - done);
        target.set(granule.subarray(within, within + length), done);
        done += length;
        continue;
      }
      let end = (index + 1) * OVERLAY_GRANULE;
      while (end < position + target.length && !this.granules.has(end / OVERLAY_GRANULE)) end += OVERLAY_GRANULE;
      const length = Math.min(end, position + target.length) - at;
      if (!this.base.read(at, target.subarray(done, done + length))) return false;
      done += length;
    }
    return true;
  }

  write(position: number, source: Uint8Array): boolean {
    if (this.readOnly) return false;
    if (!this.isActive) return this.base.write(position, source);
    let done = 0;
    while (done < source.length) {
      const at = position + done;
      const index = Math.floor(at / OVERLAY_GRANULE);
      const within = at - index * OVERLAY_GRANULE;
      const length = Math.min(OVERLAY_GRANULE - within, source.length - done);
      let granule = this.granules.get(index);
      if (!granule) {
        granule = new Uint8Array(OVERLAY_GRANULE);
        // A partly written granule starts as the base's bytes (past the image's end: zeros).
        if (length < OVERLAY_GRANULE && !this.base.read(index * OVERLAY_GRANULE, granule)) return false;
        this.granules.set(index, granule);
      } else if (this.shared.has(granule)) {
        granule = granule.slice(); // a checkpoint holds the old bytes
        this.granules.set(index, granule);
      }
      granule.set(source.subarray(done, done + length), within);
      done += length;
    }
    return true;
  }

  /** Active, the overlay is memory: nothing to make durable (it is kept only by a snapshot or commit). */
  flush(): boolean {
    return this.isActive ? true : this.base.flush();
  }

  readBase(position: number, target: Uint8Array): boolean {
    return this.base.read(position, target);
  }

  share(): OverlayContents {
    for (const granule of this.granules.values()) this.shared.add(granule);
    return new Map(this.granules);
  }

  restoreShared(contents: OverlayContents): void {
    this.activate();
    for (const granule of contents.values()) this.shared.add(granule);
    this.granules = new Map(contents);
  }

  contents(): OverlayContents {
    return new Map([...this.granules].map(([index, granule]) => [index, granule.slice()]));
  }

  replace(contents: OverlayContents): void {
    this.activate();
    this.granules = new Map([...contents].map(([index, granule]) => [index, granule.slice()]));
  }

  commit(): void {
    if (this.readOnly) throw new Error(`'${this.drive}' is read-only: nothing to commit`);
    for (const index of [...this.granules.keys()].sort((a, b) => a - b)) {
      const start = index * OVERLAY_GRANULE;
      const granule = this.granules.get(index)!;
      // The image's last granule may be partial: what lies past its end is not written.
      if (!this.base.write(start, granule.subarray(0, Math.min(OVERLAY_GRANULE, this.size - start)))) {
        throw new Error(`'${this.drive}': cannot write to ${this.base.file}`);
      }
    }
    if (!this.base.flush()) throw new Error(`'${this.drive}': cannot flush ${this.base.file}`);
    this.granules.clear();
  }
}

/** An overlay's granules as a section payload (see the top of this file). */
export function encodeOverlay(contents: OverlayContents, imageSize: number): Uint8Array {
  const indices = [...contents.keys()].sort((a, b) => a - b);
  const out = Buffer.alloc(16 + indices.length * (8 + OVERLAY_GRANULE));
  out.writeUInt32LE(OVERLAY_GRANULE, 0);
  out.writeBigUInt64LE(BigInt(imageSize), 4);
  out.writeUInt32LE(indices.length, 12);
  let at = 16;
  for (const index of indices) {
    out.writeBigUInt64LE(BigInt(index), at);
    out.set(contents.get(index)!, at + 8);
    at += 8 + OVERLAY_GRANULE;
  }
  return out;
}

/** Parses a payload of encodeOverlay for an image of `imageSize` bytes; throws an Error naming what is wrong. */
export function decodeOverlay(bytes: Uint8Array, imageSize: number): OverlayContents {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 16) throw new Error('truncated overlay');
  const granule = buffer.readUInt32LE(0);
  if (granule !== OVERLAY_GRANULE) throw new Error(`overlay granule of ${granule} bytes, not ${OVERLAY_GRANULE}`);
  const size = buffer.readBigUInt64LE(4);
  if (size !== BigInt(imageSize)) throw new Error(`overlay of a ${size}-byte image, not ${imageSize}`);
  const count = buffer.readUInt32LE(12);
  if (buffer.length !== 16 + count * (8 + OVERLAY_GRANULE)) throw new Error('overlay length does not match its granule count');
  const contents = new Map<number, Uint8Array>();
  let previous = -1n;
  for (let i = 0, at = 16; i < count; i++, at += 8 + OVERLAY_GRANULE) {
    const index = buffer.readBigUInt64LE(at);
    if (index <= previous || index * BigInt(OVERLAY_GRANULE) >= BigInt(imageSize)) throw new Error(`overlay granule ${index} out of order or past the image`);
    previous = index;
    contents.set(Number(index), Uint8Array.from(buffer.subarray(at + 8, at + 8 + OVERLAY_GRANULE)));
  }
  return contents;
}
