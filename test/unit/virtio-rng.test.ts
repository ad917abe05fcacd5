// virtio-rng and the virt board's virtio slots on a real Machine: eight transports with QEMU's
// identity, the device where the table puts it, and entropy that depends only on the seed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededGenerator } from '../../server/src/devices/virtio/rng';
import type { VirtioBoardConfig } from '../../server/src/devices/virtio/slots';
import { Machine } from '../../server/src/machine/machine';
import { FakeDriver, REG } from './virtio-driver';

const root = path.join(__dirname, '../..');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const VIRTIO_BASE = 0x1000_1000;

function machine(virtio: VirtioBoardConfig, rngSeed: bigint) {
  return new Machine({
    board: 'virt', ramSize: 16 << 20, kernel: path.join(root, 'samples/hello/hello.elf'), bios: 'none', icountShift: 3,
    console: { write() {} }, rtcStart: 0n, virtio, rngSeed,
  });
}

/** A test driver on slot `slot` of the machine's bus. */
function driverAt(m: Machine, slot: number): FakeDriver {
  const base = VIRTIO_BASE + 0x1000 * slot;
  const window = {
    read: (offset: number, size: number) => m.bus.read(base + offset, size),
    write: (offset: number, size: number, value: bigint) => m.bus.write(base + offset, size, value),
  };
  return new FakeDriver(window, m.core);
}

/** Reads `lengths` bytes of entropy, one buffer per request (two requests in one chain when asked). */
function entropy(m: Machine, slot: number, lengths: number[]): number[][] {
  const driver = driverAt(m, slot);
  driver.init();
  return lengths.map((length) => {
    const [at] = driver.submit([{ writable: length }]);
    driver.notify();
    expect(driver.takeUsed()).toEqual([{ id: expect.any(Number), len: length }]);
    return [...driver.bytes(at, length)];
  });
}

describe('SeededGenerator', () => {
  it('gives the same stream for the same seed and different streams otherwise', () => {
    const take = (seed: bigint) => {
      const bytes = new Uint8Array(64);
      new SeededGenerator(seed).fill(bytes);
      return [...bytes];
    };
    expect(take(1n)).toEqual(take(1n));
    expect(take(1n)).not.toEqual(take(2n));
    expect(take(0n).some((byte) => byte !== 0)).toBe(true);
    // Odd lengths take whole words in order: 3 + 5 bytes are the first 8 bytes of the stream.
    const g = new SeededGenerator(7n);
    const a = new Uint8Array(4);
    const b = new Uint8Array(4);
    g.fill(a);
    g.fill(b);
    const whole = new Uint8Array(8);
    new SeededGenerator(7n).fill(whole);
    expect([...a, ...b]).toEqual([...whole]);
  });
});

describe.skipIf(!haveCore)('virtio slots on the virt Machine', () => {
  it('exposes all eight transports with QEMU identity, a device only where configured', () => {
    const m = machine({ forceLegacy: true, devices: [{ kind: 'rng', slot: 7 }] }, 1n);
    for (let slot = 0; slot < 8; slot++) {
      const base = VIRTIO_BASE + 0x1000 * slot;
      expect(m.bus.read(base + REG.MAGIC, 4)).toBe(0x74726976);
      expect(m.bus.read(base + REG.VERSION, 4)).toBe(1);
      expect(m.bus.read(base + REG.DEVICE_ID, 4)).toBe(slot === 7 ? 4 : 0);
      expect(m.bus.read(base + REG.VENDOR_ID, 4)).toBe(0x554d4551);
      expect(m.bus.read(base + 0x200, 4)).toBeUndefined(); // QEMU maps 0x200 bytes per slot
    }
    expect(m.rngSeed).toBe(1n);
  });

  it('without a virtio table still has eight empty slots', () => {
    const m = new Machine({
      board: 'virt', ramSize: 16 << 20, kernel: path.join(root, 'samples/hello/hello.elf'), bios: 'none', icountShift: 3,
      console: { write() {} }, rtcStart: 0n,
    });
    expect(m.bus.read(VIRTIO_BASE + 0x7000 + REG.DEVICE_ID, 4)).toBe(0);
    expect(typeof m.rngSeed).toBe('bigint');
  });

  for (const forceLegacy of [true, false]) {
    it(`gives entropy that depends only on the seed (${forceLegacy ? 'legacy' : 'modern'})`, () => {
      const config: VirtioBoardConfig = { forceLegacy, devices: [{ kind: 'rng', slot: 3 }] };
      const first = entropy(machine(config, 0x1234n), 3, [16, 5, 64]);
      const again = entropy(machine(config, 0x1234n), 3, [16, 5, 64]);
      const other = entropy(machine(config, 0x1235n), 3, [16, 5, 64]);
      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
      expect(new Set(first[2]).size).toBeGreaterThan(16);
      // Two rng devices on one machine draw different streams.
      const both = machine({ forceLegacy, devices: [{ kind: 'rng', slot: 3 }, { kind: 'rng', slot: 4 }] }, 0x1234n);
      expect(entropy(both, 3, [16])[0]).toEqual(first[0]);
      expect(entropy(both, 4, [16])[0]).not.toEqual(first[0]);
    });
  }

  it('resets its transports with the board (sifive_test reset path)', () => {
    const m = machine({ forceLegacy: false, devices: [{ kind: 'rng', slot: 0 }] }, 5n);
    const driver = driverAt(m, 0);
    driver.init();
    expect(driver.read(REG.STATUS)).toBe(0xf);
    (m as unknown as { reset(): void }).reset();
    expect(driver.read(REG.STATUS)).toBe(0);
    expect(driver.read(REG.QUEUE_READY)).toBe(0);
  });
});
