// The turn log of time travel: which hart ran the steps from which clock step on, so a
// reverse step knows where a hart's latest step began and a forward one where its next ends.

/** Runs of one hart's steps, in clock order, merged while the same hart runs on. */
export class TurnLog {
  private readonly starts: bigint[] = [];
  private readonly harts: number[] = [];
  private readonly counts: number[] = [];

  get length(): number {
    return this.starts.length;
  }

  /** `hart` ran `steps` steps from clock step `start` (after every run recorded so far). */
  add(start: bigint, hart: number, steps: number): void {
    const last = this.starts.length - 1;
    if (last >= 0 && this.harts[last] === hart && this.starts[last] + BigInt(this.counts[last]) === start) {
      this.counts[last] += steps;
      return;
    }
    this.starts.push(start);
    this.harts.push(hart);
    this.counts.push(steps);
  }

  /** The clock step at which `hart` took its latest step before step `before`; undefined if none is logged. */
  lastStepBefore(hart: number, before: bigint): bigint | undefined {
    for (let i = this.firstAtOrAfter(before) - 1; i >= 0; i--) {
      if (this.harts[i] !== hart) continue;
      const end = this.starts[i] + BigInt(this.counts[i]);
      return (end < before ? end : before) - 1n;
    }
    return undefined;
  }

  /** The clock step at which `hart` takes its next step at or after step `from`; undefined if none is logged. */
  nextStepFrom(hart: number, from: bigint): bigint | undefined {
    for (let i = Math.max(0, this.firstAtOrAfter(from) - 1); i < this.starts.length; i++) {
      if (this.harts[i] !== hart) continue;
      const end = this.starts[i] + BigInt(this.counts[i]);
      if (end <= from) continue;
      return this.starts[i] > from ? this.starts[i] : from;
    }
    return undefined;
  }

  /** Forgets the steps from clock step `step` on (a discarded future). */
  truncate(step: bigint): void {
    let keep = this.firstAtOrAfter(step);
    if (keep > 0 && this.starts[keep - 1] + BigInt(this.counts[keep - 1]) > step) this.counts[keep - 1] = Number(step - this.starts[keep - 1]);
    if (keep > 0 && this.counts[keep - 1] === 0) keep--;
    this.starts.length = keep;
    this.harts.length = keep;
    this.counts.length = keep;
  }

  /** The index of the first run starting at or after `step`. */
  private firstAtOrAfter(step: bigint): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.starts[middle] < step) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
