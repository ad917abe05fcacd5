// PLIC registers as the spec and QEMU's virt define them: priorities, thresholds, enables,
// claim/complete, level-triggered re-pending, routing to MEIP (context 2·hart) or SEIP
// (2·hart+1), peek without claiming, access sizes, and state round trips.
import { describe, expect, it } from 'vitest';
import { Plic, PLIC_NDEV, PLIC_SOURCES } from '../../server/src/devices/plic';

const PRIORITY = (n: number) => 4 * n;
const PENDING = 0x1000;
const ENABLE = (context: number) => 0x2000 + 0x80 * context;
const THRESHOLD = (context: number) => 0x20_0000 + 0x1000 * context;
const CLAIM = (context: number) => 0x20_0004 + 0x1000 * context;

function plic(harts = 2) {
  // Each hart's two lines record their current level: meip[h], seip[h].
  const meip = Array.from({ length: harts }, () => false);
  const seip = Array.from({ length: harts }, () => false);
  const device = new Plic(Array.from({ length: harts }, (_, h) => ({
    machine: { set: (level: boolean) => { meip[h] = level; } },
    supervisor: { set: (level: boolean) => { seip[h] = level; } },
  })));
  const read = (offset: number) => device.read(offset, 4) as number;
  const write = (offset: number, value: number) => device.write(offset, 4, BigInt(value >>> 0));
  /** Source n at priority p, enabled for `context`. */
  const route = (n: number, p: number, context: number) => {
    write(PRIORITY(n), p);
    write(ENABLE(context) + 4 * (n >> 5), read(ENABLE(context) + 4 * (n >> 5)) | (1 << (n & 31)));
  };
  return { device, meip, seip, read, write, route };
}

describe('PLIC', () => {
  it('has QEMU virt\'s sources 1..96 (riscv,ndev 96) and 3-bit priorities', () => {
    const { read, write } = plic();
    expect(PLIC_SOURCES).toBe(97);
    expect(PLIC_NDEV).toBe(96);
    write(PRIORITY(5), 0xffff_ffff);
    expect(read(PRIORITY(5))).toBe(7); // WARL: all-ones reads back the implemented bits
    write(PRIORITY(0), 3);
    expect(read(PRIORITY(0))).toBe(0); // source 0 does not exist
    write(PRIORITY(96), 2);
    expect(read(PRIORITY(96))).toBe(2);
    write(PRIORITY(97), 2);
    expect(read(PRIORITY(97))).toBe(0); // past the last source
    write(ENABLE(0) + 12, 0xffff_ffff);
    expect(read(ENABLE(0) + 12)).toBe(1); // of word 3 only source 96 exists
    write(ENABLE(0), 0xffff_ffff);
    expect(read(ENABLE(0)) >>> 0).toBe(0xffff_fffe); // source 0's enable bit is hardwired to 0
    write(THRESHOLD(1), 0xff);
    expect(read(THRESHOLD(1))).toBe(7);
  });

  it('delivers a level-triggered source to M-mode: pending, claim, complete', () => {
    const { device, meip, seip, read, write, route } = plic();
    route(10, 1, 0);
    expect(meip[0]).toBe(false);
    device.setLevel(10, true);
    expect(read(PENDING) & (1 << 10)).not.toBe(0);
    expect(meip[0]).toBe(true);
    expect(seip[0]).toBe(false);
    expect(read(CLAIM(0))).toBe(10);
    expect(read(PENDING) & (1 << 10)).toBe(0); // a claim clears the pending bit
    expect(meip[0]).toBe(false);
    expect(read(CLAIM(0))).toBe(0); // nothing else to claim
    device.setLevel(10, false); // the handler serviced the device
    write(CLAIM(0), 10);
    expect(meip[0]).toBe(false);
    expect(read(PENDING)).toBe(0);
  });

  it('makes a line still high pending again at completion, not before', () => {
    const { device, meip, read, write, route } = plic();
    route(10, 1, 0);
    device.setLevel(10, true);
    expect(read(CLAIM(0))).toBe(10);
    device.setLevel(10, false);
    device.setLevel(10, true); // raised again while claimed: the gateway holds it back
    expect(meip[0]).toBe(false);
    expect(read(PENDING) & (1 << 10)).toBe(0);
    write(CLAIM(0), 10);
    expect(meip[0]).toBe(true);
    expect(read(PENDING) & (1 << 10)).not.toBe(0);
    expect(read(CLAIM(0))).toBe(10);
  });

  it('forgets a request whose line drops before it is claimed (as QEMU)', () => {
    const { device, meip, read, route } = plic();
    route(3, 1, 0);
    device.setLevel(3, true);
    expect(meip[0]).toBe(true);
    device.setLevel(3, false);
    expect(meip[0]).toBe(false);
    expect(read(CLAIM(0))).toBe(0);
  });

  it('claims the highest priority first, the lowest id among equals', () => {
    const { device, read, write, route } = plic();
    route(4, 2, 0);
    route(9, 5, 0);
    route(33, 5, 0);
    route(70, 1, 0);
    for (const n of [4, 9, 33, 70]) device.setLevel(n, true);
    expect(read(PENDING + 4)).toBe(1 << 1); // source 33 in the second word
    expect(read(PENDING + 8)).toBe(1 << 6); // source 70 in the third
    const order = [read(CLAIM(0)), read(CLAIM(0)), read(CLAIM(0)), read(CLAIM(0)), read(CLAIM(0))];
    expect(order).toEqual([9, 33, 4, 70, 0]);
    for (const n of [9, 33, 4, 70]) write(CLAIM(0), n);
  });

  it('masks sources at or below the context threshold, and priority 0 never interrupts', () => {
    const { device, meip, read, write, route } = plic();
    route(5, 3, 0);
    route(6, 0, 0);
    device.setLevel(6, true);
    expect(meip[0]).toBe(false); // priority 0: never
    device.setLevel(5, true);
    expect(meip[0]).toBe(true);
    write(THRESHOLD(0), 3);
    expect(meip[0]).toBe(false); // priority must exceed the threshold
    expect(read(CLAIM(0))).toBe(0); // and claims respect it too (as QEMU)
    write(THRESHOLD(0), 2);
    expect(meip[0]).toBe(true);
    expect(read(CLAIM(0))).toBe(5);
  });

  it('needs the enable bit: disabled sources stay pending but do not interrupt', () => {
    const { device, meip, read, write } = plic();
    write(PRIORITY(12), 1);
    device.setLevel(12, true);
    expect(read(PENDING) & (1 << 12)).not.toBe(0);
    expect(meip[0]).toBe(false);
    expect(read(CLAIM(0))).toBe(0);
    write(ENABLE(0), 1 << 12);
    expect(meip[0]).toBe(true);
  });

  it('routes contexts 2·hart to MEIP and 2·hart+1 to SEIP', () => {
    const { device, meip, seip, read, write, route } = plic(2);
    route(1, 1, 1); // hart 0, S
    route(2, 1, 2); // hart 1, M
    route(3, 1, 3); // hart 1, S
    device.setLevel(1, true);
    expect([meip, seip]).toEqual([[false, false], [true, false]]);
    device.setLevel(2, true);
    device.setLevel(3, true);
    expect([meip, seip]).toEqual([[false, true], [true, true]]);
    expect(read(CLAIM(0))).toBe(0); // hart 0's M context has nothing enabled
    expect(read(CLAIM(3))).toBe(3);
    expect(seip[1]).toBe(false);
    expect(read(CLAIM(2))).toBe(2);
    expect(meip[1]).toBe(false);
    write(CLAIM(3), 3);
    expect(seip[1]).toBe(true); // line 3 is still high
  });

  it('lets one context claim a source enabled for two; the other then sees it gone', () => {
    const { device, meip, seip, read, route } = plic(1);
    route(8, 1, 0);
    route(8, 1, 1);
    device.setLevel(8, true);
    expect([meip[0], seip[0]]).toEqual([true, true]);
    expect(read(CLAIM(1))).toBe(8);
    expect([meip[0], seip[0]]).toEqual([false, false]);
    expect(read(CLAIM(0))).toBe(0);
  });

  it('ignores a completion for a source not enabled for the completing context', () => {
    const { device, meip, read, write, route } = plic(1);
    route(7, 1, 0);
    device.setLevel(7, true);
    expect(read(CLAIM(0))).toBe(7);
    write(CLAIM(1), 7); // the S context never had source 7 enabled: ignored (spec 1.0.0)
    expect(meip[0]).toBe(false);
    write(CLAIM(0), 0); // ids 0 and out of range: ignored
    write(CLAIM(0), 500);
    write(CLAIM(0), 7);
    expect(meip[0]).toBe(true);
  });

  it('peeks at claim/complete without claiming', () => {
    const { device, device: d, meip, read, route } = plic(1);
    route(10, 1, 0);
    device.setLevel(10, true);
    expect([d.peek(CLAIM(0), 4), d.peek(CLAIM(0), 4)]).toEqual([10, 10]);
    expect(meip[0]).toBe(true);
    expect((d.peek(PENDING, 4) as number) & (1 << 10)).not.toBe(0);
    expect(read(CLAIM(0))).toBe(10);
    expect(d.peek(CLAIM(0), 4)).toBe(0);
    expect(d.peek(PRIORITY(10), 4)).toBe(1);
  });

  it('takes aligned 32-bit accesses only; holes read 0 and ignore writes', () => {
    const { device, read, write } = plic(1);
    expect(device.read(CLAIM(0), 8)).toBeUndefined();
    expect(device.read(PRIORITY(1), 1)).toBeUndefined();
    expect(device.write(PRIORITY(1) + 2, 4, 1n)).toBe('fault');
    expect(device.read(0x1800, 4)).toBe(0); // between pending and enables
    expect(read(ENABLE(2))).toBe(0); // context 2 does not exist with one hart
    expect(write(THRESHOLD(5), 3)).toBe('ok');
    expect(read(THRESHOLD(5))).toBe(0);
    expect(read(THRESHOLD(0) + 8)).toBe(0);
    expect(write(PENDING, 0xffff_ffff)).toBe('ok'); // pending bits are read-only
    expect(read(PENDING)).toBe(0);
  });

  it('serves one to eight harts', () => {
    expect(() => plic(0)).toThrow(/1 to 8 harts/);
    expect(() => plic(9)).toThrow(/1 to 8 harts/);
    const { device, meip, route } = plic(8);
    route(40, 1, 14); // hart 7, M
    device.setLevel(40, true);
    expect(meip[7]).toBe(true);
    expect(() => device.source(0)).toThrow(RangeError);
    expect(() => device.source(97)).toThrow(RangeError);
    device.source(95).set(true);
  });

  it('resets registers but keeps the lines as their devices drive them', () => {
    const { device, meip, read, write, route } = plic(1);
    route(10, 1, 0);
    device.setLevel(10, true);
    expect(read(CLAIM(0))).toBe(10);
    device.reset();
    expect(meip[0]).toBe(false);
    expect(read(PRIORITY(10))).toBe(0);
    expect(read(PENDING) & (1 << 10)).not.toBe(0); // unclaimed again, line still high
    route(10, 1, 0);
    write(THRESHOLD(0), 0);
    expect(meip[0]).toBe(true);
  });

  it('saves and restores its whole state, and re-drives the harts', () => {
    const a = plic(1);
    a.route(10, 2, 1);
    a.route(11, 3, 1);
    a.write(THRESHOLD(1), 1);
    a.device.setLevel(10, true);
    a.device.setLevel(11, true);
    expect(a.read(CLAIM(1))).toBe(11);
    const state = a.device.saveState();
    expect(state).toMatchObject({ name: 'plic', version: 1, threshold: [0, 1] });
    const b = plic(1);
    b.device.loadState(JSON.parse(JSON.stringify(state)));
    expect(b.seip[0]).toBe(true); // source 10 is claimable
    expect(b.read(CLAIM(1))).toBe(10);
    b.write(CLAIM(1), 11); // 11 was claimed before the save; completing it re-pends it
    expect(b.read(CLAIM(1))).toBe(11);
    expect(() => b.device.loadState({ ...state, version: 2 } as never)).toThrow(/v2/);
    expect(() => plic(2).device.loadState(state)).toThrow(/2-hart plic/);
  });
});
