// The MMIO bus and the board memory maps: offsets not bases, half-open ranges, faults.
import { describe, expect, it } from 'vitest';
import { Bus, type MmioDevice } from '../../server/src/machine/bus';
import { memoryMap, regionOf } from '../../server/src/machine/memory-map';

/** A device that records the offsets it is given. */
function probe(value: number) {
  const calls: string[] = [];
  const device: MmioDevice = {
    read: (offset, size) => { calls.push(`r${offset}/${size}`); return value; },
    write: (offset, size, v) => { calls.push(`w${offset}/${size}=${v}`); return v === 0xdeadn ? 'stop' : 'ok'; },
    peek: () => value,
  };
  return { device, calls };
}

describe('Bus', () => {
  it('hands devices the offset into their own range', () => {
    const bus = new Bus();
    const a = probe(1);
    const b = probe(2);
    bus.map('a', 0x1000, 0x100, a.device);
    bus.map('b', 0x1100, 0x100, b.device);
    expect(bus.read(0x1004, 4)).toBe(1);
    expect(bus.read(0x1100, 1)).toBe(2);
    expect(bus.write(0x11fe, 2, 7n)).toBe('ok');
    expect(bus.write(0x1000, 4, 0xdeadn)).toBe('stop');
    expect(a.calls).toEqual(['r4/4', 'w0/4=57005']);
    expect(b.calls).toEqual(['r0/1', 'w254/2=7']);
    expect(bus.nameAt(0x10ff)).toBe('a');
  });

  it('faults on unmapped addresses and accesses that straddle the end of a range', () => {
    const bus = new Bus();
    bus.map('a', 0x1000, 0x100, probe(1).device);
    expect(bus.read(0xfff, 1)).toBeUndefined();
    expect(bus.read(0x1100, 1)).toBeUndefined();
    expect(bus.read(0x10fe, 4)).toBeUndefined();
    expect(bus.write(0x2000, 4, 0n)).toBe('fault');
    expect(bus.peek(0x1000, 4)).toBe(1);
    expect(bus.peek(0x3000, 4)).toBeUndefined();
  });

  it('refuses overlapping mappings', () => {
    const bus = new Bus();
    bus.map('a', 0x1000, 0x100, probe(1).device);
    expect(() => bus.map('b', 0x10ff, 0x10, probe(2).device)).toThrow(/overlaps a/);
    expect(() => bus.map('c', 0x1100, 0x10, probe(2).device)).not.toThrow();
  });
});

describe('memory maps', () => {
  it('puts virt devices at QEMU addresses with their interrupts', () => {
    const map = memoryMap('virt', 128 << 20);
    const at = (name: string) => map.find((region) => region.name === name);
    expect(at('mrom')).toMatchObject({ base: 0x1000, size: 0xf000 });
    expect(at('test')).toMatchObject({ base: 0x100000, kind: 'sifive-test' });
    expect(at('rtc')).toMatchObject({ base: 0x101000, irq: 11 });
    expect(at('clint')).toMatchObject({ base: 0x2000000, size: 0x10000 });
    expect(at('plic')).toMatchObject({ base: 0xc000000 });
    expect(at('uart0')).toMatchObject({ base: 0x10000000, size: 0x100, irq: 10 });
    expect(at('virtio7')).toMatchObject({ base: 0x10008000, irq: 8 });
    expect(regionOf(map, 'ram')).toMatchObject({ base: 0x80000000, size: 128 << 20 });
  });

  it('has no overlapping regions on either board', () => {
    for (const board of ['virt', 'spike'] as const) {
      const map = memoryMap(board, 1 << 30);
      const bus = new Bus();
      for (const region of map) bus.map(region.name, region.base, region.size, probe(0).device);
    }
    expect(memoryMap('spike', 1 << 20).map((region) => region.kind)).toEqual(['boot-rom', 'clint', 'ram']);
  });
});
