// The harts of a machine, all run by the one core: the active hart's state sits in the
// core's active block (layout HART and TLB), every other hart is parked in its slot of
// HART_SLOTS (state block and TLB, swapped by the core's saveHart/loadHart). Devices reach
// any hart through here, parked or active; the scheduler chooses which one is active.
import * as L from '../../core/layout';
import type { Core } from './core';

/** The harts' state for a snapshot (Harts.saveState). */
export interface HartsState {
  readonly active: number;
  /** Each hart's LR value (outside its state block). */
  readonly reserved: readonly bigint[];
  /** The state blocks, HART_STATE_SIZE bytes a hart in hart order, as layout.ts lays them out. */
  readonly blocks: Uint8Array;
}

export class Harts {
  /** The hart whose state is in the core's active block. */
  private current = 0;
  /** The LR value of each parked hart: the core keeps only the active hart's, outside its
   * state block (see reservedValue in server/core/index.ts). */
  private readonly reserved: bigint[];
  /**
   * Called after a device raised one of `hart`'s interrupt lines or moved its timer: what
   * it waits for in wfi may have come. Set by the scheduler.
   */
  onWake: (hart: number) => void = () => {};

  constructor(private readonly core: Core, readonly count: number) {
    if (!Number.isInteger(count) || count < 1 || count > L.MAX_HARTS) {
      throw new RangeError(`a machine has 1 to ${L.MAX_HARTS} harts, not ${count}`);
    }
    this.reserved = new Array<bigint>(count).fill(0n);
  }

  /** The hart whose state the core's registers, CSRs and run() are about now. */
  get active(): number {
    return this.current;
  }

  /**
   * Makes `hart` the active one: parks the active hart (registers, CSRs, TLB, LR value) in
   * its slot and brings `hart`'s back. Its LR reservation survives the switch, as in QEMU,
   * where each vCPU keeps load_res and load_val across round-robin switches. Its SC then
   * succeeds only if memory still holds what its LR read (QEMU's cmpxchg): another hart's
   * store of a different value breaks the reservation, one of the same value does not (ABA,
   * as QEMU). Each hart's TLB is its own: sfence.vma flushes only the executing hart's, and
   * remote shootdowns are the guest's IPIs followed by the target's own sfence.vma.
   */
  select(hart: number): void {
    this.check(hart);
    if (hart === this.current) return;
    this.reserved[this.current] = this.core.reservedValue;
    this.core.saveHart(this.current);
    this.core.loadHart(hart);
    this.core.reservedValue = this.reserved[hart];
    this.current = hart;
  }

  /**
   * Power-on reset of every hart: the core's reset with mhartid = hart, then `init` with the
   * hart active (pc, privilege, watches). Device-driven mip lines stay as the devices drive
   * them. Ends with hart 0 active.
   */
  resetAll(init: (hart: number) => void): void {
    this.core.saveHart(this.current);
    for (let hart = 0; hart < this.count; hart++) {
      this.core.loadHart(hart);
      this.core.reset();
      this.core.hartId = BigInt(hart);
      init(hart);
      this.core.saveHart(hart);
    }
    this.core.loadHart(0);
    this.core.reservedValue = 0n;
    this.reserved.fill(0n);
    this.current = 0;
  }

  /** Raises (on) or lowers device-driven mip bits of `hart` (MSIP from the CLINT, MEIP and
   * SEIP from the PLIC), in its parked state when it is not active. */
  setPending(hart: number, mask: number, on: boolean): void {
    this.check(hart);
    if (hart === this.current) {
      this.core.setInterruptPending(mask, on);
    } else {
      const lines = this.core.parkedU64(hart, L.HART_MIP_HW);
      const bits = BigInt(mask);
      this.core.setParkedU64(hart, L.HART_MIP_HW, on ? lines | bits : lines & ~bits);
    }
    if (on) this.onWake(hart);
  }

  /** The CLINT's mtimecmp of `hart`. */
  timerCompare(hart: number): bigint {
    this.check(hart);
    return hart === this.current ? this.core.mtimecmp : this.core.parkedU64(hart, L.CSR_MTIMECMP);
  }

  /** Sets `hart`'s mtimecmp. A parked hart's MTIP follows when it is next active: the core
   * compares the timers at the start of every run and after loadHart. */
  setTimerCompare(hart: number, value: bigint): void {
    this.check(hart);
    if (hart === this.current) this.core.mtimecmp = value;
    else this.core.setParkedU64(hart, L.CSR_MTIMECMP, value);
    this.onWake(hart);
  }

  /** True while `hart` waits in wfi. */
  waiting(hart: number): boolean {
    this.check(hart);
    return hart === this.current ? this.core.waitingForInterrupt : this.core.parkedU32(hart, L.HART_WFI) !== 0;
  }

  /**
   * Every hart's state block (HART_STATE_SIZE bytes each, in hart order; TLBs left out) and
   * LR value, and which hart is active: what a snapshot holds of the harts.
   */
  saveState(): HartsState {
    this.core.saveHart(this.current);
    this.reserved[this.current] = this.core.reservedValue;
    const blocks = new Uint8Array(this.count * L.HART_STATE_SIZE);
    for (let hart = 0; hart < this.count; hart++) {
      const at = L.HART_SLOTS + hart * L.HART_SLOT_SIZE;
      blocks.set(new Uint8Array(this.core.memory.buffer, at, L.HART_STATE_SIZE), hart * L.HART_STATE_SIZE);
    }
    return { active: this.current, reserved: [...this.reserved], blocks };
  }

  /** Puts saved harts back: every TLB empty, the saved active hart active again. */
  loadState(state: HartsState): void {
    if (state.blocks.length !== this.count * L.HART_STATE_SIZE || state.reserved.length !== this.count) {
      throw new Error(`hart state is for ${state.reserved.length} harts, this machine has ${this.count}`);
    }
    this.check(state.active);
    for (let hart = 0; hart < this.count; hart++) {
      const at = L.HART_SLOTS + hart * L.HART_SLOT_SIZE;
      new Uint8Array(this.core.memory.buffer, at, L.HART_STATE_SIZE).set(state.blocks.subarray(hart * L.HART_STATE_SIZE, (hart + 1) * L.HART_STATE_SIZE));
      new Uint8Array(this.core.memory.buffer, at + L.HART_STATE_SIZE, L.TLB_SIZE).fill(0xff);
    }
    this.reserved.splice(0, this.count, ...state.reserved);
    this.core.loadHart(state.active);
    this.core.reservedValue = this.reserved[state.active];
    this.current = state.active;
    this.core.flushTlb();
  }

  private check(hart: number): void {
    if (!Number.isInteger(hart) || hart < 0 || hart >= this.count) throw new RangeError(`no hart ${hart} (of ${this.count})`);
  }
}
