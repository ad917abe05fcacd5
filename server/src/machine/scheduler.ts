// Round-robin scheduling of the harts on the one core (ARCHITECTURE.md, "Execution model"):
// the runnable harts take turns in hart order from hart 0, as in QEMU's round-robin TCG, but
// of a fixed number of steps (QEMU's end at timer deadlines or its kick timer, which with
// -icount is 100 ms of virtual time). A hart waiting in wfi gives up its turn and is passed over
// until a device raises one of its interrupt lines or moves its timer, or its timer is due.
// Turns are counted in steps only, never in wall time, and survive the Machine's slices, so
// the interleaving is the same on every run with the same inputs at the same steps.
import type { MmioDevice } from './bus';
import type { Core, CoreStop } from './core';
import type { Harts } from './harts';

/**
 * Steps per turn. 10,000 steps are 80 µs of virtual time at the default 8 ns a step: far
 * below a kernel's tick (Linux at HZ=250: 4 ms), so an interrupt for a parked hart waits at
 * most (harts - 1) turns, 0.56 ms with 8 harts, and a hart spinning on a lock whose holder
 * is parked wastes at most one turn a round. And far above the cost of a switch: saveHart
 * and loadHart copy 28 KiB of state and TLB each, about 3 µs with the LR value (measured),
 * against the 35..100 µs a turn runs at 100..300 MIPS: 3..8% when every hart computes
 * (1,000 steps would cost 30..90%; 100,000 would make the 8-hart latency 5.6 ms, over a tick).
 */
export const QUANTUM = 10_000;

/** Why a hart is passed over: it waits in wfi, until `wake` (a clock step) if a timer is armed. */
interface Wait {
  readonly wake: bigint | undefined;
}

export interface SchedulerState {
  name: 'round-robin';
  version: 1;
  /** Steps left in the active hart's turn; null: no turns (one hart). */
  left: number | null;
  kicked: boolean;
  /** Per hart: null when it may run, else its wfi wait and the step its timer wakes it at. */
  waits: ({ wake: string | null } | null)[];
}

export class RoundRobin {
  /** Steps left in the active hart's turn (one hart alone has no turns: Infinity). */
  private left: number;
  /** Per hart: the wait it is in, or undefined when it may run. */
  private readonly waits: (Wait | undefined)[];
  /** An IPI went to a parked hart during the active hart's run: its turn ends there. */
  private kicked = false;
  private readonly quantum: number;
  /** The harts a debugger lets run (undefined: all of them). */
  private allowed: ReadonlySet<number> | undefined;

  constructor(private readonly core: Core, private readonly harts: Harts, quantum = QUANTUM) {
    this.quantum = harts.count === 1 ? Infinity : quantum;
    this.left = this.quantum;
    this.waits = new Array<Wait | undefined>(harts.count).fill(undefined);
    harts.onWake = (hart) => { this.waits[hart] = undefined; };
  }

  /** Power-on: every hart may run, hart 0's turn begins (call with hart 0 active). */
  reset(): void {
    this.waits.fill(undefined);
    this.left = this.quantum;
    this.kicked = false;
  }

  /**
   * Makes the hart whose turn it is active, the active one while its turn lasts, else the
   * next runnable one in hart order. False when every hart waits at clock step `now`.
   */
  schedule(now: bigint): boolean {
    const active = this.harts.active;
    if (this.left > 0 && this.runnable(active, now)) return true;
    for (let i = 1; i <= this.harts.count; i++) {
      const hart = (active + i) % this.harts.count;
      if (!this.runnable(hart, now)) continue;
      this.harts.select(hart);
      this.left = this.quantum;
      return true;
    }
    return false;
  }

  /** Steps the active hart may run now: at most `max`, and no further than its turn. */
  budget(max: number): number {
    return Math.max(1, Math.min(max, this.left));
  }

  /** Accounts the active hart's run (after core.run): its steps, and a wait in wfi. */
  ran(stop: CoreStop): void {
    this.left -= this.core.stepsDone;
    if (stop.kind === 'wfi') {
      // The core compared the timers at this clock: a timer already due would have woken the
      // hart, so one that did not is never woken by it (only by a device).
      const wake = this.core.timerWakeStep();
      this.waits[this.harts.active] = { wake: wake !== undefined && wake > this.core.clockSteps ? wake : undefined };
      this.left = 0;
    }
    if (this.kicked) {
      this.kicked = false;
      this.left = 0;
    }
  }

  /** The earliest clock step at which a timer wakes a waiting hart; undefined if none is armed. */
  wakeStep(): bigint | undefined {
    let earliest: bigint | undefined;
    this.waits.forEach((wait, hart) => {
      if (this.allowed && !this.allowed.has(hart)) return;
      if (wait?.wake !== undefined && (earliest === undefined || wait.wake < earliest)) earliest = wait.wake;
    });
    return earliest;
  }

  /** Only `harts` may run from now on (a debugger's scheduler locking); all when undefined. */
  restrictTo(harts: readonly number[] | undefined): void {
    this.allowed = harts && new Set(harts);
  }

  /** Ends the active hart's turn (after a debugger's step of it). */
  endTurn(): void {
    this.left = 0;
  }

  /**
   * An inter-processor interrupt (the CLINT's msip) was raised for `hart`. One for a parked
   * hart ends the sender's turn right after the store, as QEMU's round-robin kicks the
   * running vCPU on cpu_interrupt, so a sender that then spins waiting for the answer gives
   * way at once.
   */
  interprocessorInterrupt(hart: number): void {
    if (hart !== this.harts.active) this.kicked = true;
  }

  /** Wraps the CLINT so that a write raising an IPI for a parked hart returns 'stop': the
   * core then returns to the host right after the store, and the turn ends (see ran). */
  kickOnInterrupt(device: MmioDevice): MmioDevice {
    return {
      read: (offset, size) => device.read(offset, size),
      peek: (offset, size) => device.peek(offset, size),
      write: (offset, size, value) => {
        const result = device.write(offset, size, value);
        return result === 'ok' && this.kicked ? 'stop' : result;
      },
    };
  }

  /** The turn bookkeeping, for snapshots (clock steps as decimal strings). */
  saveState(): SchedulerState {
    return {
      name: 'round-robin', version: 1, left: Number.isFinite(this.left) ? this.left : null, kicked: this.kicked,
      waits: this.waits.map((wait) => (wait === undefined ? null : { wake: wait.wake === undefined ? null : wait.wake.toString() })),
    };
  }

  loadState(state: SchedulerState): void {
    if (state.name !== 'round-robin' || state.version !== 1 || state.waits.length !== this.waits.length) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into a ${this.waits.length}-hart round-robin v1`);
    }
    this.left = state.left ?? Infinity;
    this.kicked = state.kicked;
    state.waits.forEach((wait, hart) => {
      this.waits[hart] = wait === null ? undefined : { wake: wait.wake === null ? undefined : BigInt(wait.wake) };
    });
  }

  /** True when `hart` may run at clock step `now` (its wait is over, or it has none). */
  private runnable(hart: number, now: bigint): boolean {
    if (this.allowed && !this.allowed.has(hart)) return false;
    const wait = this.waits[hart];
    if (wait === undefined) return true;
    if (wait.wake === undefined || wait.wake > now) return false;
    this.waits[hart] = undefined;
    return true;
  }
}
