// virtio-rng (virtio 1.2 section 5.4): fills each buffer of its one queue with bytes from a
// seeded deterministic generator, so a run with the same seed replays the same entropy.
import { DEVICE_ID_ENTROPY, type VirtioDevice, type VirtioDeviceState } from './device';
import type { Virtqueue } from './virtqueue';

/**
 * xoshiro128** (Blackman and Vigna), seeded through SplitMix64 from a 64-bit seed. Not a
 * cryptographic generator: the point is that the guest's entropy is an input with a seed,
 * logged like every other input, and not the host's.
 */
export class SeededGenerator {
  private s = new Uint32Array(4);

  constructor(seed: bigint) {
    let x = BigInt.asUintN(64, seed);
    for (let i = 0; i < 2; i++) {
      // SplitMix64: one 64-bit output fills two words.
      x = BigInt.asUintN(64, x + 0x9e37_79b9_7f4a_7c15n);
      let z = x;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn);
      z ^= z >> 31n;
      this.s[2 * i] = Number(z & 0xffff_ffffn);
      this.s[2 * i + 1] = Number(z >> 32n);
    }
    if (this.s.every((word) => word === 0)) this.s[0] = 1; // the all-zero state is a fixed point
  }

  nextWord(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  fill(target: Uint8Array): void {
    for (let i = 0; i < target.length; i += 4) {
      let word = this.nextWord();
      for (let j = i; j < Math.min(i + 4, target.length); j++, word >>>= 8) target[j] = word & 0xff;
    }
  }

  get state(): [number, number, number, number] {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  set state(words: [number, number, number, number]) {
    this.s.set(words);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export interface VirtioRngState extends VirtioDeviceState {
  name: 'virtio-rng';
  version: 1;
  generator: { s0: number; s1: number; s2: number; s3: number };
}

export class VirtioRng implements VirtioDevice {
  readonly deviceId = DEVICE_ID_ENTROPY;
  readonly queueCount = 1;
  readonly features = 0n;
  readonly configSize = 0;
  private readonly generator: SeededGenerator;

  constructor(seed: bigint) {
    this.generator = new SeededGenerator(seed);
  }

  readConfig(): number {
    return 0;
  }

  writeConfig(): void {}

  activate(): void {}

  /** Every writable byte of every chain gets random bytes (5.4.6). */
  process(_index: number, queue: Virtqueue): void {
    for (;;) {
      const next = queue.pop();
      if (next.kind !== 'chain') return;
      const chain = next.chain;
      for (const view of chain.writableViews(0, chain.writableLength)) this.generator.fill(view);
      queue.push(chain.head, chain.writableLength);
    }
  }

  /** The generator runs on across device resets: the stream depends only on the seed and the reads. */
  reset(): void {}

  saveState(): VirtioRngState {
    const [s0, s1, s2, s3] = this.generator.state;
    return { name: 'virtio-rng', version: 1, generator: { s0, s1, s2, s3 } };
  }

  loadState(state: VirtioDeviceState): void {
    const saved = state as Partial<VirtioRngState>;
    if (saved.name !== 'virtio-rng' || saved.version !== 1 || !saved.generator) {
      throw new Error(`cannot load ${String(saved.name)} v${String(saved.version)} state into virtio-rng v1`);
    }
    const { s0, s1, s2, s3 } = saved.generator;
    this.generator.state = [s0, s1, s2, s3];
  }
}
