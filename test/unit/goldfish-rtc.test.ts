// Goldfish RTC registers as QEMU's virt has them: time = start + virtual time, TIME_LOW
// latching TIME_HIGH, setting the time, the alarm and its interrupt, peek, and state.
import { describe, expect, it } from 'vitest';
import { GoldfishRtc } from '../../server/src/devices/goldfish-rtc';

const TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c, IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;

/** 2024-01-02T03:04:05Z in ns. */
const START = BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1_000_000n;

function rtc(start = START) {
  let mtime = 0n;
  const levels: boolean[] = [];
  const device = new GoldfishRtc(start, { mtime: () => mtime }, { set: (level) => levels.push(level) });
  const read = (offset: number) => device.read(offset, 4) as number;
  const write = (offset: number, value: bigint) => device.write(offset, 4, value & 0xffff_ffffn);
  const time = () => BigInt(read(TIME_LOW) >>> 0) | (BigInt(read(TIME_HIGH) >>> 0) << 32n);
  const setAlarm = (ns: bigint) => {
    write(ALARM_HIGH, ns >> 32n);
    write(ALARM_LOW, ns);
  };
  return {
    device, read, write, time, setAlarm,
    irq: () => levels[levels.length - 1] ?? false,
    advance: (ticks: bigint) => { mtime += ticks; },
  };
}

describe('goldfish RTC', () => {
  it('reads the start time plus virtual time (100 ns a tick)', () => {
    const r = rtc();
    expect(r.time()).toBe(START);
    r.advance(10_000_000n); // 1 s at 10 MHz
    expect(r.time()).toBe(START + 1_000_000_000n);
    r.advance(3n);
    expect(r.device.now()).toBe(START + 1_000_000_300n);
  });

  it('latches the high word on a TIME_LOW read', () => {
    // Start just below a 2^32 ns boundary: the low word wraps between two reads.
    const r = rtc(0x5_ffff_ff00n);
    expect(r.read(TIME_LOW) >>> 0).toBe(0xffff_ff00);
    r.advance(10n); // +1000 ns: the time is now 0x6_0000_02e8
    expect(r.read(TIME_HIGH)).toBe(5); // still the high word of the first read
    expect(r.read(TIME_LOW)).toBe(0x2e8);
    expect(r.read(TIME_HIGH)).toBe(6);
  });

  it('lets the guest set the time, high word first as Linux does', () => {
    const r = rtc();
    const target = BigInt(Date.UTC(2030, 5, 1)) * 1_000_000n;
    r.write(TIME_HIGH, target >> 32n);
    r.write(TIME_LOW, target);
    expect(r.time()).toBe(target);
    r.advance(5n);
    expect(r.time()).toBe(target + 500n); // and runs on from there
  });

  it('fires the alarm when virtual time reaches it, raising the line if enabled', () => {
    const r = rtc();
    r.write(IRQ_ENABLED, 1n);
    r.setAlarm(START + 1_000_000n); // 1 ms ahead: 10,000 ticks
    expect(r.read(ALARM_STATUS)).toBe(1);
    expect(r.device.alarmTick()).toBe(10_000n);
    r.advance(9_999n);
    r.device.update();
    expect(r.irq()).toBe(false);
    r.advance(1n);
    r.device.update();
    expect(r.irq()).toBe(true);
    expect(r.read(ALARM_STATUS)).toBe(0);
    expect(r.device.alarmTick()).toBeUndefined();
    r.write(CLEAR_INTERRUPT, 1n);
    expect(r.irq()).toBe(false);
  });

  it('rounds the alarm tick up to the first tick at or past the alarm', () => {
    const r = rtc();
    r.setAlarm(START + 150n);
    expect(r.device.alarmTick()).toBe(2n);
  });

  it('fires at once for an alarm already past, when ALARM_LOW is written', () => {
    const r = rtc();
    r.write(IRQ_ENABLED, 1n);
    r.write(ALARM_HIGH, START >> 32n); // the high word alone does not arm
    expect(r.read(ALARM_STATUS)).toBe(0);
    r.write(ALARM_LOW, (START - 1n) & 0xffff_ffffn);
    expect(r.irq()).toBe(true);
    expect(r.read(ALARM_STATUS)).toBe(0);
    expect(BigInt(r.read(ALARM_LOW) >>> 0) | (BigInt(r.read(ALARM_HIGH)) << 32n)).toBe(START - 1n);
  });

  it('keeps a fired interrupt pending while IRQ_ENABLED is off, and gates the line with it', () => {
    const r = rtc();
    r.setAlarm(START);
    expect(r.irq()).toBe(false);
    r.write(IRQ_ENABLED, 1n);
    expect(r.read(IRQ_ENABLED)).toBe(1);
    expect(r.irq()).toBe(true);
    r.write(IRQ_ENABLED, 0n);
    expect(r.irq()).toBe(false);
  });

  it('disarms with CLEAR_ALARM', () => {
    const r = rtc();
    r.write(IRQ_ENABLED, 1n);
    r.setAlarm(START + 100n);
    r.write(CLEAR_ALARM, 1n);
    expect(r.read(ALARM_STATUS)).toBe(0);
    r.advance(100n);
    r.device.update();
    expect(r.irq()).toBe(false);
  });

  it('takes aligned 32-bit accesses; other offsets in the page read 0', () => {
    const r = rtc();
    expect(r.device.read(TIME_LOW, 8)).toBeUndefined();
    expect(r.device.write(IRQ_ENABLED + 1, 4, 1n)).toBe('fault');
    expect(r.device.read(0x20, 4)).toBe(0);
    expect(r.device.write(0x20, 4, 1n)).toBe('ok');
    expect(r.read(CLEAR_INTERRUPT)).toBe(0);
  });

  it('peeks without latching TIME_HIGH', () => {
    const r = rtc(0x7_0000_0000n);
    expect(r.device.peek(TIME_LOW, 4)).toBe(0);
    expect(r.device.peek(TIME_HIGH, 4)).toBe(0); // nothing latched yet
    r.read(TIME_LOW);
    expect(r.device.peek(TIME_HIGH, 4)).toBe(7);
  });

  it('resets the alarm and interrupt, but the time (and any the guest set) runs on', () => {
    const r = rtc();
    r.write(TIME_HIGH, (START >> 32n) + 1n); // the guest moves the clock ~4 s on
    r.write(IRQ_ENABLED, 1n);
    r.setAlarm(START); // already past: fires at once
    expect(r.irq()).toBe(true);
    const before = r.time();
    r.device.reset();
    expect(r.irq()).toBe(false);
    expect(r.read(IRQ_ENABLED)).toBe(0);
    expect(r.time()).toBe(before);
  });

  it('saves and restores its whole state', () => {
    const a = rtc();
    a.write(TIME_LOW, 0n);
    a.write(IRQ_ENABLED, 1n);
    a.setAlarm(a.device.now() + 1_000n);
    a.read(TIME_LOW);
    const state = a.device.saveState();
    expect(state).toMatchObject({ name: 'goldfish-rtc', version: 1, alarmArmed: true, irqEnabled: true });
    const b = rtc();
    b.device.loadState(JSON.parse(JSON.stringify(state)));
    expect(b.time()).toBe(a.time());
    expect(b.device.alarmTick()).toBe(a.device.alarmTick());
    b.advance(10n);
    b.device.update();
    expect(b.irq()).toBe(true);
    expect(() => b.device.loadState({ ...state, version: 2 } as never)).toThrow(/v2/);
  });
});
