// The CLINT (SiFive core-local interruptor, as QEMU's aclint at 0x2000000): per-hart msip
// words, per-hart mtimecmp and the shared mtime. The timer compare itself runs in the core.
import type { MmioDevice, MmioValue, MmioWriteResult } from '../machine/bus';

/** What the CLINT drives on one hart. */
export interface ClintHart {
  /** Raises or lowers mip.MSIP. */
  setSoftwareInterrupt(level: boolean): void;
  /** The hart's mtimecmp (the core compares it with mtime and raises mip.MTIP). */
  getTimerCompare(): bigint;
  setTimerCompare(value: bigint): void;
}

/** The machine's 10 MHz time base. */
export interface ClintClock {
  mtime(): bigint;
}

// SiFive CLINT layout (QEMU hw/intc/riscv_aclint.c: RISCV_ACLINT_SWI_SIZE, mtimer offsets).
const MSIP_BASE = 0x0000; // u32 per hart; bit 0 is MSIP
const MTIMECMP_BASE = 0x4000; // u64 per hart
const MTIME = 0xbff8; // u64

const MASK32 = 0xffff_ffffn;

export interface ClintState {
  name: 'clint';
  version: 1;
  msip: number[];
}

export class Clint implements MmioDevice {
  private msip: number[];

  constructor(
    private readonly harts: readonly ClintHart[],
    private readonly clock: ClintClock,
  ) {
    this.msip = harts.map(() => 0);
  }

  reset(): void {
    this.loadState({ name: 'clint', version: 1, msip: this.harts.map(() => 0) });
  }

  read(offset: number, size: number): MmioValue | undefined {
    return this.peek(offset, size);
  }

  /** Reads have no side effects on the CLINT. */
  peek(offset: number, size: number): MmioValue | undefined {
    const word = this.locate(offset, size);
    if (word === undefined) return undefined;
    const value = this.wordValue(word);
    if (size === 8) return value;
    // A 4-byte access to the upper half of a 64-bit register reads its high word.
    const high = word.kind !== 'msip' && (offset & 4) !== 0;
    return Number((high ? value >> 32n : value) & MASK32);
  }

  write(offset: number, size: number, value: bigint): MmioWriteResult {
    const word = this.locate(offset, size);
    if (word === undefined) return 'fault';
    switch (word.kind) {
      case 'msip': {
        const bit = Number(value & 1n);
        if (word.hart < this.harts.length && bit !== this.msip[word.hart]) {
          this.msip[word.hart] = bit;
          this.harts[word.hart].setSoftwareInterrupt(bit === 1);
        }
        break;
      }
      case 'mtimecmp': {
        const hart = this.harts[word.hart];
        if (!hart) break;
        let next = value;
        if (size === 4) {
          const old = hart.getTimerCompare();
          const half = value & MASK32;
          next = offset & 4 ? (half << 32n) | (old & MASK32) : (old & ~MASK32) | half;
        }
        hart.setTimerCompare(BigInt.asUintN(64, next));
        break;
      }
      case 'mtime':
        // Time is derived from the step count so runs replay exactly; a guest write to mtime
        // is ignored (QEMU would offset its clock; no guest we target writes it).
        break;
      case 'reserved':
        break;
    }
    return 'ok';
  }

  saveState(): ClintState {
    return { name: 'clint', version: 1, msip: [...this.msip] };
  }

  /** Restores msip (mtimecmp lives with each hart's state) and re-drives mip.MSIP. */
  loadState(state: ClintState): void {
    if (state.name !== 'clint' || state.version !== 1 || state.msip.length !== this.harts.length) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into a ${this.harts.length}-hart clint v1`);
    }
    this.msip = [...state.msip];
    this.harts.forEach((hart, i) => hart.setSoftwareInterrupt(this.msip[i] === 1));
  }

  /**
   * Which register an access hits. QEMU's aclint takes aligned 4- and 8-byte accesses (msip
   * only 4); other sizes or misalignment are access faults. Unimplemented words read 0.
   */
  private locate(offset: number, size: number): Register | undefined {
    if ((size !== 4 && size !== 8) || offset % size !== 0) return undefined;
    if (offset < MTIMECMP_BASE) {
      return size === 4 ? { kind: 'msip', hart: (offset - MSIP_BASE) >> 2 } : undefined;
    }
    if (offset < MTIME) return { kind: 'mtimecmp', hart: (offset - MTIMECMP_BASE) >> 3 };
    if (offset < MTIME + 8) return { kind: 'mtime' };
    return { kind: 'reserved' };
  }

  private wordValue(word: Register): bigint {
    switch (word.kind) {
      case 'msip': return BigInt(this.msip[word.hart] ?? 0);
      case 'mtimecmp': return this.harts[word.hart]?.getTimerCompare() ?? 0n;
      case 'mtime': return BigInt.asUintN(64, this.clock.mtime());
      case 'reserved': return 0n;
    }
  }
}

type Register =
  | { kind: 'msip'; hart: number }
  | { kind: 'mtimecmp'; hart: number }
  | { kind: 'mtime' }
  | { kind: 'reserved' };
