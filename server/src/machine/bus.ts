// The MMIO bus: routes the core's physical accesses outside RAM to devices by half-open
// address ranges, handing each device only the offset into its own range (Spike devices.cc).
import type { MmioBus } from './core';

/** A value read from a device: a number for accesses up to 4 bytes, a bigint (or number) for 8. */
export type MmioValue = number | bigint;

/** 'ok', 'fault' (the access is not valid here: the hart takes an access fault), or 'stop'
 *  (done, and the host must look now: power-off, reset). */
export type MmioWriteResult = 'ok' | 'fault' | 'stop';

/** What a memory-mapped device offers the bus; offsets are relative to the device's base. */
export interface MmioDevice {
  /** A guest read of `size` (1, 2, 4, 8) bytes; may have side effects (RBR pops the FIFO). */
  read(offset: number, size: number): MmioValue | undefined;
  /** A guest write; `value` holds `size` bytes in its low bits. */
  write(offset: number, size: number, value: bigint): MmioWriteResult;
  /** The value a read would return, without side effects (debuggers). */
  peek(offset: number, size: number): MmioValue | undefined;
}

interface Mapping {
  readonly name: string;
  readonly base: number;
  readonly end: number;
  readonly device: MmioDevice;
}

export class Bus implements MmioBus {
  private mappings: Mapping[] = [];
  private last: Mapping | undefined;

  /** Maps `device` at [base, base+size); overlapping another mapping is a wiring bug. */
  map(name: string, base: number, size: number, device: MmioDevice): void {
    const end = base + size;
    if (size <= 0 || !Number.isSafeInteger(end)) throw new RangeError(`bad range for ${name}`);
    const clash = this.mappings.find((m) => base < m.end && m.base < end);
    if (clash) throw new RangeError(`${name} at 0x${base.toString(16)} overlaps ${clash.name}`);
    this.mappings.push({ name, base, end, device });
    this.mappings.sort((a, b) => a.base - b.base);
  }

  read(addr: number, size: number): MmioValue | undefined {
    const m = this.find(addr, size);
    return m?.device.read(addr - m.base, size);
  }

  write(addr: number, size: number, value: bigint): MmioWriteResult {
    const m = this.find(addr, size);
    return m ? m.device.write(addr - m.base, size, value) : 'fault';
  }

  /** A side-effect-free read for debuggers; undefined where no device answers. */
  peek(addr: number, size: number): MmioValue | undefined {
    const m = this.find(addr, size);
    return m?.device.peek(addr - m.base, size);
  }

  /** The name of the device mapped at `addr`, if any. */
  nameAt(addr: number): string | undefined {
    return this.find(addr, 1)?.name;
  }

  /** The mapping holding the whole access [addr, addr+size), or undefined. */
  private find(addr: number, size: number): Mapping | undefined {
    const last = this.last;
    if (last && addr >= last.base && addr + size <= last.end) return last;
    for (const m of this.mappings) {
      if (addr < m.base) return undefined;
      if (addr + size <= m.end) {
        this.last = m;
        return m;
      }
    }
    return undefined;
  }
}
