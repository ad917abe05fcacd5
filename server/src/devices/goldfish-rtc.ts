// Google's goldfish RTC as QEMU's virt has it at 0x101000 (GOLDFISH-VIRTUAL-HARDWARE.TXT,
// QEMU hw/rtc/goldfish_rtc.c): nanoseconds since the epoch, one alarm, one interrupt line.
// Wall time is a start time plus virtual time, so a run is deterministic given the start.
import type { MmioDevice, MmioValue, MmioWriteResult } from '../machine/bus';
import type { IrqLine } from './irq-line';

/** The machine's virtual time base: mtime, 10 MHz ticks (100 ns each). */
export interface RtcClock {
  mtime(): bigint;
}

// Registers, 32 bits each.
const TIME_LOW = 0x00; // R: the time's low word; latches the high word for TIME_HIGH. W: sets it
const TIME_HIGH = 0x04; // R: the high word latched by the last TIME_LOW read. W: sets it
const ALARM_LOW = 0x08; // W: the alarm's low word, and arms the alarm
const ALARM_HIGH = 0x0c; // W: the alarm's high word
const IRQ_ENABLED = 0x10; // bit 0: the alarm interrupt reaches the line
const CLEAR_ALARM = 0x14; // W: disarms the alarm
const ALARM_STATUS = 0x18; // R: 1 while the alarm is armed
const CLEAR_INTERRUPT = 0x1c; // W: lowers the pending interrupt

const NS_PER_TICK = 100n;
const MASK32 = 0xffff_ffffn;
const U64 = (1n << 64n) - 1n;

/** The RTC's whole state, for snapshots (the start time is machine configuration). */
export interface GoldfishRtcState {
  name: 'goldfish-rtc';
  version: 1;
  /** What the guest added to the time by writing TIME_LOW/TIME_HIGH (ns, wraps at 2^64). */
  offset: string;
  /** High word latched by the last TIME_LOW read. */
  timeHigh: number;
  /** The alarm time (ns since the epoch). */
  alarm: string;
  alarmArmed: boolean;
  irqEnabled: boolean;
  irqPending: boolean;
}

export class GoldfishRtc implements MmioDevice {
  private offset = 0n;
  private timeHigh = 0;
  private alarm = 0n;
  private alarmArmed = false;
  private irqEnabled = false;
  private irqPending = false;

  /**
   * @param start wall time at virtual time 0, in ns since the Unix epoch (machine config:
   *   the host's clock at boot or `-rtc base=`)
   */
  constructor(
    private readonly start: bigint,
    private readonly clock: RtcClock,
    private readonly irq: IrqLine,
  ) {
    this.irq.set(false);
  }

  /** Board reset (QEMU goldfish_rtc_reset): the alarm and interrupt are cleared; the time,
   * including any the guest set, runs on. */
  reset(): void {
    this.alarm = 0n;
    this.alarmArmed = false;
    this.irqEnabled = false;
    this.irqPending = false;
    this.timeHigh = 0;
    this.drive();
  }

  /** The time the guest reads now, in ns since the epoch. */
  now(): bigint {
    return (this.start + this.offset + this.clock.mtime() * NS_PER_TICK) & U64;
  }

  /**
   * The mtime tick at which the armed alarm fires (undefined when none is armed): the
   * machine stops the core there, or skips an idle wait to it, then calls update().
   */
  alarmTick(): bigint | undefined {
    if (!this.alarmArmed) return undefined;
    const base = (this.start + this.offset) & U64;
    if (this.alarm <= base) return 0n;
    return (this.alarm - base + NS_PER_TICK - 1n) / NS_PER_TICK;
  }

  /** Fires the alarm if virtual time has reached it. */
  update(): void {
    if (this.alarmArmed && this.now() >= this.alarm) this.fire();
  }

  read(offset: number, size: number): MmioValue | undefined {
    if (!validAccess(offset, size)) return undefined;
    if (offset === TIME_LOW) {
      const now = this.now();
      this.timeHigh = Number(now >> 32n);
      return Number(now & MASK32);
    }
    return this.peek(offset, size);
  }

  /** Reading TIME_LOW by peek shows the time without latching the high word. */
  peek(offset: number, size: number): MmioValue | undefined {
    if (!validAccess(offset, size)) return undefined;
    switch (offset) {
      case TIME_LOW: return Number(this.now() & MASK32);
      case TIME_HIGH: return this.timeHigh;
      case ALARM_LOW: return Number(this.alarm & MASK32);
      case ALARM_HIGH: return Number(this.alarm >> 32n);
      case IRQ_ENABLED: return this.irqEnabled ? 1 : 0;
      case ALARM_STATUS: return this.alarmArmed ? 1 : 0;
      default: return 0; // write-only and unassigned registers read 0
    }
  }

  write(offset: number, size: number, value: bigint): MmioWriteResult {
    if (!validAccess(offset, size)) return 'fault';
    const word = value & MASK32;
    switch (offset) {
      case TIME_LOW:
      case TIME_HIGH: {
        // Setting the time replaces one word of it; the clock runs on from there.
        const now = this.now();
        const next = offset === TIME_LOW ? (now & ~MASK32) | word : (word << 32n) | (now & MASK32);
        this.offset = (this.offset + next - now) & U64;
        break;
      }
      case ALARM_LOW:
        this.alarm = (this.alarm & ~MASK32) | word;
        this.arm();
        break;
      case ALARM_HIGH:
        this.alarm = (word << 32n) | (this.alarm & MASK32);
        break;
      case IRQ_ENABLED:
        this.irqEnabled = (word & 1n) !== 0n;
        this.drive();
        break;
      case CLEAR_ALARM:
        this.alarmArmed = false;
        break;
      case CLEAR_INTERRUPT:
        this.irqPending = false;
        this.drive();
        break;
      default:
        break; // ALARM_STATUS and unassigned offsets ignore writes
    }
    return 'ok';
  }

  saveState(): GoldfishRtcState {
    return {
      name: 'goldfish-rtc', version: 1, offset: this.offset.toString(), timeHigh: this.timeHigh,
      alarm: this.alarm.toString(), alarmArmed: this.alarmArmed, irqEnabled: this.irqEnabled,
      irqPending: this.irqPending,
    };
  }

  loadState(state: GoldfishRtcState): void {
    if (state.name !== 'goldfish-rtc' || state.version !== 1) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into goldfish-rtc v1`);
    }
    this.offset = BigInt(state.offset) & U64;
    this.timeHigh = state.timeHigh >>> 0;
    this.alarm = BigInt(state.alarm) & U64;
    this.alarmArmed = state.alarmArmed;
    this.irqEnabled = state.irqEnabled;
    this.irqPending = state.irqPending;
    this.drive();
  }

  /** An alarm already due fires at once; a later one waits for update(). */
  private arm(): void {
    this.alarmArmed = true;
    this.update();
  }

  private fire(): void {
    this.alarmArmed = false;
    this.irqPending = true;
    this.drive();
  }

  private drive(): void {
    this.irq.set(this.irqPending && this.irqEnabled);
  }
}

/** QEMU takes aligned 4-byte accesses; others are access faults. The 0x1000 window beyond
 * the eight registers reads 0. */
function validAccess(offset: number, size: number): boolean {
  return size === 4 && offset % 4 === 0;
}
