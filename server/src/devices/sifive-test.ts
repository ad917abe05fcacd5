// The sifive_test "finisher" at 0x100000 on virt (QEMU hw/misc/sifive_test.c): one word
// that powers the board off (0x5555), fails with a status (0x3333 | status << 16) or resets (0x7777).
import type { MmioDevice, MmioValue, MmioWriteResult } from '../machine/bus';

/** What the guest asked for; `status` is the process exit status QEMU would give. */
export type FinisherRequest =
  | { kind: 'power-off'; status: 0 }
  | { kind: 'fail'; status: number }
  | { kind: 'reset' };

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

export class SifiveTest implements MmioDevice {
  constructor(private readonly request: (request: FinisherRequest) => void) {}

  /** The register reads as zero (QEMU sifive_test_read). */
  read(offset: number, size: number): MmioValue | undefined {
    return this.peek(offset, size);
  }

  peek(offset: number, size: number): MmioValue | undefined {
    return validAccess(offset, size) ? 0 : undefined;
  }

  /** A recognised command at offset 0 stops the core at once: the host acts on it. */
  write(offset: number, size: number, value: bigint): MmioWriteResult {
    if (!validAccess(offset, size)) return 'fault';
    if (offset !== 0) return 'ok';
    const word = Number(value & 0xffff_ffffn);
    const code = word & 0xffff;
    const status = word >>> 16;
    switch (code) {
      case FINISHER_PASS: this.request({ kind: 'power-off', status: 0 }); return 'stop';
      case FINISHER_FAIL: this.request({ kind: 'fail', status }); return 'stop';
      case FINISHER_RESET: this.request({ kind: 'reset' }); return 'stop';
      default: return 'ok'; // other values are ignored
    }
  }
}

/** QEMU takes aligned 2- and 4-byte accesses here. */
function validAccess(offset: number, size: number): boolean {
  return (size === 2 || size === 4) && offset % size === 0;
}
