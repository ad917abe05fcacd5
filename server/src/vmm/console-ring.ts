// A VM's console output as the server keeps it for console-read: the last `capacity` bytes of
// everything the guest wrote, addressed by a running byte offset into the whole output (so a
// client that follows with `next` neither misses nor repeats what is still kept).
export class ConsoleRing {
  private readonly bytes: Uint8Array;
  /** Bytes written since the VM was created (the offset the next byte gets). */
  private total = 0;

  constructor(readonly capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** The offset just past the last byte written. */
  get end(): number {
    return this.total;
  }

  /** The oldest offset still kept. */
  get start(): number {
    return Math.max(0, this.total - this.capacity);
  }

  write(chunk: Uint8Array): void {
    // Only the tail of a chunk longer than the ring can be kept.
    const data = chunk.length > this.capacity ? chunk.subarray(chunk.length - this.capacity) : chunk;
    this.total += chunk.length - data.length;
    const at = this.total % this.capacity;
    const first = Math.min(data.length, this.capacity - at);
    this.bytes.set(data.subarray(0, first), at);
    this.bytes.set(data.subarray(first), 0);
    this.total += data.length;
  }

  /** The bytes from offset `from` to the end (from the oldest kept when `from` is older), and the offset after them. */
  read(from: number): { bytes: Uint8Array; next: number } {
    const begin = Math.min(Math.max(from, this.start), this.total);
    const length = this.total - begin;
    const out = new Uint8Array(length);
    const at = begin % this.capacity;
    const first = Math.min(length, this.capacity - at);
    out.set(this.bytes.subarray(at, at + first), 0);
    out.set(this.bytes.subarray(0, length - first), first);
    return { bytes: out, next: this.total };
  }
}
