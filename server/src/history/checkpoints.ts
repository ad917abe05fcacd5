// Checkpoints of a machine's past for time travel: each keeps the state without RAM, and RAM as
// the pages that changed since the checkpoint before (the oldest keeps every page not all
// zeros); thinned to a memory budget, dense near the present and sparse far back.
import type { OverlayContents } from '../devices/virtio/blk';
import type { DebugRun, LightState } from '../machine/machine';

export const PAGE = 4096;

export interface Checkpoint {
  /** The clock step it was taken at. */
  readonly step: bigint;
  readonly light: LightState;
  /** How the harts ran from here on: the debugger's plan and the hart that may execute where it stopped. */
  readonly run: { readonly plan: DebugRun | undefined; readonly resumeHart: number | undefined };
  /** RAM pages changed since the checkpoint before (page number → its bytes here). */
  pages: Map<number, Uint8Array>;
  /** Each attached disk's overlay granules (shared, never changed in place). */
  readonly disks: readonly (OverlayContents | undefined)[];
  /** How many inputs and debugger resumes the history had recorded when it was taken. */
  readonly inputs: number;
  readonly resumes: number;
  /** A debugger changed the state here: replaying through this point restores it. */
  readonly barrier: boolean;
}

/** The bytes a checkpoint holds (its pages, and about what its state without RAM takes). */
function sizeOf(checkpoint: Checkpoint): number {
  return checkpoint.pages.size * PAGE + checkpoint.light.harts.blocks.length + 4096;
}

export interface Budget {
  /** Bytes the checkpoints may hold. */
  readonly bytes: number;
  /** At most this many checkpoints. */
  readonly count: number;
}

/**
 * The checkpoints in clock order, and which one guest RAM matches: RAM equals the `synced`
 * checkpoint's RAM except in pages the core's dirty map names.
 */
export class Checkpoints {
  private readonly list: Checkpoint[] = [];
  private synced: Checkpoint | undefined;
  private held = 0;

  constructor(private readonly budget: Budget) {}

  get length(): number {
    return this.list.length;
  }

  get bytes(): number {
    return this.held;
  }

  at(index: number): Checkpoint {
    return this.list[index];
  }

  get oldest(): Checkpoint | undefined {
    return this.list[0];
  }

  get latest(): Checkpoint | undefined {
    return this.list[this.list.length - 1];
  }

  /** The index of the latest checkpoint with a step ≤ `step` (< when `strict`); -1 if none. */
  indexAtOrBefore(step: bigint, strict = false): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const at = this.list[middle].step;
      if (at < step || (!strict && at === step)) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  /**
   * Adds a checkpoint taken now (`step` ≥ every other's): its pages are those of `ram` that may
   * differ from the latest checkpoint's (`dirty`, plus what changed since the synced one), or
   * all pages not zero for the first (`dirtyIsComplete`: only `dirty` pages can be). RAM is
   * then synced with it. Thins to the budget.
   */
  add(fields: Omit<Checkpoint, 'pages'>, ram: Uint8Array, dirty: readonly number[], dirtyIsComplete = false): Checkpoint {
    const pages = new Map<number, Uint8Array>();
    if (this.list.length === 0) {
      const candidates = dirtyIsComplete ? dirty : Array.from({ length: ram.length / PAGE }, (_, page) => page);
      for (const page of candidates) {
        const bytes = ram.subarray(page * PAGE, (page + 1) * PAGE);
        if (!allZero(bytes)) pages.set(page, bytes.slice());
      }
    } else {
      for (const page of this.differing(this.list.length - 1, dirty)) pages.set(page, ram.slice(page * PAGE, (page + 1) * PAGE));
    }
    const checkpoint: Checkpoint = { ...fields, pages };
    this.list.push(checkpoint);
    this.held += sizeOf(checkpoint);
    this.synced = checkpoint;
    this.thin(fields.step);
    return checkpoint;
  }

  /** Writes into `ram` the pages that differ from checkpoint `index`'s (`dirty`: the core's dirty map); RAM is then synced with it. */
  restore(index: number, ram: Uint8Array, dirty: readonly number[]): Checkpoint {
    const checkpoint = this.list[index];
    for (const page of this.differing(index, dirty)) {
      const bytes = this.pageAt(index, page);
      if (bytes) ram.set(bytes, page * PAGE);
      else ram.fill(0, page * PAGE, (page + 1) * PAGE);
    }
    this.synced = checkpoint;
    return checkpoint;
  }

  /** Forgets every checkpoint after index `keep` (the future a debugger's write discarded). */
  truncateAfter(keep: number): void {
    for (const checkpoint of this.list.splice(keep + 1)) this.held -= sizeOf(checkpoint);
  }

  /**
   * The pages in which RAM (synced checkpoint + `dirty`) may differ from checkpoint `index`'s:
   * the dirty ones and every page a checkpoint between the two changed.
   */
  private differing(index: number, dirty: readonly number[]): Set<number> {
    const pages = new Set(dirty);
    const synced = this.synced ? this.list.indexOf(this.synced) : -1;
    if (synced < 0) {
      // Not synced with any (never happens once one is added): every page any checkpoint holds.
      for (const checkpoint of this.list) for (const page of checkpoint.pages.keys()) pages.add(page);
      return pages;
    }
    const [from, to] = synced < index ? [synced, index] : [index, synced];
    for (let i = from + 1; i <= to; i++) for (const page of this.list[i].pages.keys()) pages.add(page);
    return pages;
  }

  /** A page's bytes at checkpoint `index` (undefined: all zeros). */
  private pageAt(index: number, page: number): Uint8Array | undefined {
    for (let i = index; i >= 0; i--) {
      const bytes = this.list[i].pages.get(page);
      if (bytes) return bytes;
    }
    return undefined;
  }

  /**
   * Drops checkpoints while over budget: the one whose neighbours are closest together for
   * its age (so the spacing grows with the distance from the present), never the latest or a
   * barrier; the oldest only when nothing else can go (the history then begins later).
   */
  private thin(now: bigint): void {
    while (this.list.length > 2 && (this.held > this.budget.bytes || this.list.length > this.budget.count)) {
      let drop = -1;
      let best = Infinity;
      for (let i = 1; i < this.list.length - 1; i++) {
        if (this.list[i].barrier) continue;
        const gap = Number(this.list[i + 1].step - this.list[i - 1].step);
        const score = gap / (Number(now - this.list[i].step) + 1);
        if (score < best) {
          best = score;
          drop = i;
        }
      }
      this.drop(drop < 0 ? 0 : drop);
    }
  }

  /** Removes checkpoint `index`, handing its pages the next one lacks to the next one. */
  private drop(index: number): void {
    const [gone] = this.list.splice(index, 1);
    const next = this.list[index];
    this.held -= sizeOf(gone) + sizeOf(next);
    for (const [page, bytes] of gone.pages) if (!next.pages.has(page)) next.pages.set(page, bytes);
    this.held += sizeOf(next);
  }
}

const ZERO_PAGE = new Uint8Array(PAGE);

/** A page of zeros? (Buffer.compare is a memcmp: a 256 MiB scan takes milliseconds.) */
function allZero(bytes: Uint8Array): boolean {
  return Buffer.compare(bytes, ZERO_PAGE) === 0;
}
