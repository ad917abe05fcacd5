// Time travel's bookkeeping on its own: checkpoints restore RAM exactly however they were
// thinned, and the turn log finds a hart's previous and next steps.
import { describe, expect, it } from 'vitest';
import { Checkpoints, PAGE, type Checkpoint } from '../../server/src/history/checkpoints';
import { TurnLog } from '../../server/src/history/turns';
import { xorshift32 } from '../support/random';

/** A deterministic pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 2 ** 32;
}

function fields(step: bigint): Omit<Checkpoint, 'pages'> {
  // Only what Checkpoints reads of the state without RAM: the hart blocks' size.
  const light = { harts: { blocks: new Uint8Array(64) } } as unknown as Checkpoint['light'];
  return { step, light, run: { plan: undefined, resumeHart: undefined }, disks: [], inputs: 0, resumes: 0, barrier: false };
}

describe('checkpoints', () => {
  it('restore any kept checkpoint exactly, from anywhere, while thinning holds the budget', () => {
    const pages = 64;
    const ram = new Uint8Array(pages * PAGE);
    const next = random(7);
    const budget = { bytes: 40 * PAGE, count: 12 };
    const checkpoints = new Checkpoints(budget);
    const truth = new Map<bigint, Uint8Array>();
    let dirty = new Set<number>();
    for (let step = 0n; step < 100n; step += 10n) {
      checkpoints.add(fields(step), ram, [...dirty]);
      truth.set(step, ram.slice());
      dirty = new Set();
      // Between checkpoints the guest writes a few pages (some back to zeros).
      for (let i = 0; i < 5; i++) {
        const page = Math.floor(next() * pages);
        if (next() < 0.2) ram.fill(0, page * PAGE, (page + 1) * PAGE);
        else ram[page * PAGE + Math.floor(next() * PAGE)] = 1 + Math.floor(next() * 255);
        dirty.add(page);
      }
      expect(checkpoints.length).toBeLessThanOrEqual(budget.count);
    }
    expect(checkpoints.length).toBeLessThan(10);
    expect(checkpoints.latest!.step).toBe(90n);
    // Visit the kept checkpoints in a scrambled order, writing between visits.
    const order = Array.from({ length: checkpoints.length }, (_, i) => i).sort(() => next() - 0.5);
    for (const index of order) {
      const page = Math.floor(next() * pages);
      ram[page * PAGE] ^= 0xff;
      checkpoints.restore(index, ram, [...dirty, page]);
      dirty = new Set();
      expect(Buffer.compare(ram, truth.get(checkpoints.at(index).step)!)).toBe(0);
    }
  });

  it('find the latest checkpoint at or before a step', () => {
    const checkpoints = new Checkpoints({ bytes: Infinity, count: 100 });
    const ram = new Uint8Array(PAGE);
    for (const step of [0n, 10n, 10n, 20n]) checkpoints.add(fields(step), ram, []);
    expect(checkpoints.indexAtOrBefore(10n)).toBe(2);
    expect(checkpoints.indexAtOrBefore(10n, true)).toBe(0);
    expect(checkpoints.indexAtOrBefore(15n)).toBe(2);
    expect(checkpoints.indexAtOrBefore(0n, true)).toBe(-1);
  });
});

describe('turn log', () => {
  it("finds a hart's latest step before a point and its next from a point, across turns and idle gaps", () => {
    const turns = new TurnLog();
    turns.add(0n, 0, 100); // hart 0: steps 0..99
    turns.add(100n, 1, 50); // hart 1: 100..149
    turns.add(150n, 0, 10); // hart 0: 150..159
    turns.add(160n, 0, 5); // merged: 160..164
    turns.add(1000n, 1, 3); // after an idle skip: 1000..1002
    expect(turns.length).toBe(4);
    expect(turns.lastStepBefore(0, 165n)).toBe(164n);
    expect(turns.lastStepBefore(0, 155n)).toBe(154n);
    expect(turns.lastStepBefore(0, 150n)).toBe(99n);
    expect(turns.lastStepBefore(1, 1000n)).toBe(149n);
    expect(turns.lastStepBefore(1, 2000n)).toBe(1002n);
    expect(turns.lastStepBefore(1, 100n)).toBeUndefined();
    expect(turns.nextStepFrom(1, 0n)).toBe(100n);
    expect(turns.nextStepFrom(0, 120n)).toBe(150n);
    expect(turns.nextStepFrom(0, 152n)).toBe(152n);
    expect(turns.nextStepFrom(1, 150n)).toBe(1000n);
    expect(turns.nextStepFrom(0, 165n)).toBeUndefined();
    turns.truncate(155n);
    expect(turns.lastStepBefore(0, 2000n)).toBe(154n);
    expect(turns.nextStepFrom(1, 150n)).toBeUndefined();
  });
});
