// CLINT registers: msip per hart, mtimecmp per hart in 64- and 32-bit halves, mtime from
// the clock, QEMU's access sizes, and msip state round trips.
import { describe, expect, it } from 'vitest';
import { Clint, type ClintHart } from '../../server/src/devices/clint';

function hart(): ClintHart & { msip: boolean[]; compare: bigint } {
  const port = {
    msip: [] as boolean[],
    compare: 0xffff_ffff_ffff_ffffn,
    setSoftwareInterrupt(level: boolean) { port.msip.push(level); },
    getTimerCompare: () => port.compare,
    setTimerCompare(value: bigint) { port.compare = value; },
  };
  return port;
}

function clint(harts = 2) {
  const ports = Array.from({ length: harts }, hart);
  let now = 0x1_2345_6789n;
  const device = new Clint(ports, { mtime: () => now });
  return { device, ports, setTime: (t: bigint) => { now = t; } };
}

describe('CLINT', () => {
  it('raises and lowers MSIP per hart through bit 0 of its word', () => {
    const { device, ports } = clint();
    expect(device.write(4, 4, 1n)).toBe('ok');
    expect(ports[1].msip).toEqual([true]);
    expect(ports[0].msip).toEqual([]);
    expect(device.read(4, 4)).toBe(1);
    device.write(4, 4, 0xfffe_fffen); // bit 0 clear: lowered; the other bits are not stored
    expect(ports[1].msip).toEqual([true, false]);
    expect(device.read(4, 4)).toBe(0);
  });

  it('stores mtimecmp per hart, whole or by 32-bit halves', () => {
    const { device, ports } = clint();
    device.write(0x4008, 8, 0x1122_3344_5566_7788n);
    expect(ports[1].compare).toBe(0x1122_3344_5566_7788n);
    expect(device.read(0x4008, 8)).toBe(0x1122_3344_5566_7788n);
    device.write(0x4000, 4, 0xaabb_ccddn); // low half of hart 0, high half kept
    expect(ports[0].compare).toBe(0xffff_ffff_aabb_ccddn);
    device.write(0x4004, 4, 0x10n);
    expect(ports[0].compare).toBe(0x0000_0010_aabb_ccddn);
    expect(device.read(0x4004, 4)).toBe(0x10);
    expect(device.read(0x4000, 4)).toBe(0xaabb_ccdd);
  });

  it('reads mtime from the clock and ignores writes to it', () => {
    const { device, setTime } = clint();
    expect(device.read(0xbff8, 8)).toBe(0x1_2345_6789n);
    expect(device.read(0xbffc, 4)).toBe(1);
    expect(device.read(0xbff8, 4)).toBe(0x2345_6789);
    expect(device.write(0xbff8, 8, 0n)).toBe('ok');
    setTime(42n);
    expect(device.read(0xbff8, 8)).toBe(42n);
  });

  it('takes only aligned 4- and 8-byte accesses (msip only 4), as QEMU', () => {
    const { device } = clint();
    expect(device.read(0, 1)).toBeUndefined();
    expect(device.read(0, 8)).toBeUndefined();
    expect(device.write(0x4002, 4, 0n)).toBe('fault');
    expect(device.read(0xbff8, 2)).toBeUndefined();
  });

  it('reads zero for harts that do not exist and unimplemented words', () => {
    const { device } = clint(1);
    expect(device.read(8, 4)).toBe(0);
    expect(device.write(8, 4, 1n)).toBe('ok');
    expect(device.read(0x4010, 8)).toBe(0n);
    expect(device.read(0xc000, 4)).toBe(0);
  });

  it('peeks like a read and round-trips its state', () => {
    const { device, ports } = clint();
    device.write(0, 4, 1n);
    expect(device.peek(0, 4)).toBe(1);
    const state = device.saveState();
    expect(state).toEqual({ name: 'clint', version: 1, msip: [1, 0] });
    const other = clint();
    other.device.loadState(state);
    expect(other.ports[0].msip).toEqual([true]);
    expect(other.ports[1].msip).toEqual([false]);
    expect(() => other.device.loadState({ ...state, msip: [1] })).toThrow(/2-hart/);
    device.reset();
    expect(ports[0].msip).toEqual([true, false]);
  });
});
