// mip's SEIP is two bits in one (privileged spec 3.1.9): a software-writable bit, ORed on
// reads with the external interrupt line from the PLIC. "Only the software-writable SEIP bit
// participates in the read-modify-write sequence of a CSRRS or CSRRC instruction": setting
// SSIP with csrrs while the PLIC holds the line high (OpenSBI does exactly that to forward an
// IPI to S-mode) must not latch SEIP on. Found by Linux at -smp 2 with its console on
// virtio-console: a latched SEIP became an endless S-mode external interrupt with nothing to
// claim, and boot stopped. A hand-assembled M-mode guest on the real core and board.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../server/src/machine/machine';
import { asm, guestElf, reg, type Item } from './guest-image';

const haveCore = fs.existsSync(path.join(__dirname, '../../dist/core.wasm'));
const BASE = 0x8000_0000n;
const UART = 0x1000_0000;
const PLIC = 0x0c00_0000;
const UART_IRQ = 10;
const MIP = 0x344;
const SSIP = 1 << 1;
const SEIP = 1 << 9;

const csrrc = (rd: number, csr: number, rs1: number): Item =>
  ({ encode: () => [((csr << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x73) >>> 0], words: 1 });

/** mip into the next `seen` slot (s0 walks the slots). */
const recordMip = (): Item[] => [asm.csrrs(reg.a0, MIP, reg.zero), asm.sd(reg.a0, reg.s0, 0), asm.addi(reg.s0, reg.s0, 8)];
/** The UART's source enabled (or not) at context 1, hart 0's S-mode: the PLIC's SEIP line follows. */
const plicEnable = (on: boolean): Item[] => [asm.li(reg.t1, on ? 1 << UART_IRQ : 0), asm.sw(reg.t1, reg.t2, 0)];

const guest = (): Item[] => [
  asm.la(reg.s0, 'seen'),
  // PLIC: source 10 at priority 1, threshold 0 at context 1; the UART asks for THR-empty
  // interrupts, so its line is high from now on.
  asm.lui(reg.t0, PLIC >>> 12),
  asm.li(reg.t1, 1),
  asm.sw(reg.t1, reg.t0, 4 * UART_IRQ),
  asm.lui(reg.t2, (PLIC + 0x2080) >>> 12), asm.addi(reg.t2, reg.t2, 0x80),
  asm.lui(reg.t3, (PLIC + 0x20_1000) >>> 12),
  asm.sw(reg.zero, reg.t3, 0),
  asm.lui(reg.t5, UART >>> 12),
  asm.li(reg.t1, 2),
  asm.sb(reg.t1, reg.t5, 1),
  ...plicEnable(true),
  ...recordMip(), // [0] SEIP from the line
  asm.li(reg.t4, SSIP),
  asm.csrrs(reg.zero, MIP, reg.t4), // set SSIP while the line is high
  ...plicEnable(false),
  ...recordMip(), // [1] SSIP only
  ...plicEnable(true),
  csrrc(reg.zero, MIP, reg.t4), // clear SSIP while the line is high
  ...plicEnable(false),
  ...recordMip(), // [2] nothing
  // The software bit itself stays writable by M-mode.
  asm.li(reg.t4, SEIP),
  asm.csrrs(reg.zero, MIP, reg.t4),
  ...recordMip(), // [3] SEIP (software)
  ...plicEnable(true),
  csrrc(reg.zero, MIP, reg.t4), // clears the software bit; the line still shows
  ...recordMip(), // [4] SEIP (line)
  ...plicEnable(false),
  ...recordMip(), // [5] nothing
  asm.lui(reg.t0, 0x100),
  asm.li(reg.t1, 0x5555),
  asm.sw(reg.t1, reg.t0, 0),
  asm.label('hang'),
  asm.j('hang'),
  asm.align(8),
  asm.label('seen'),
  ...Array.from({ length: 6 }, () => asm.dword(0n)),
];

describe.skipIf(!haveCore)('mip read-modify-write (csrrs/csrrc) and the PLIC-driven SEIP', () => {
  it('leaves the software SEIP bit alone when csrrs/csrrc change SSIP while the line is high', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-mip-'));
    const kernel = path.join(dir, 'mip.elf');
    fs.writeFileSync(kernel, guestElf(BASE, guest()));
    const m = new Machine({ board: 'virt', ramSize: 16 << 20, kernel, bios: 'none', icountShift: 3, console: { write: () => {} } });
    expect(await m.run()).toBe(0);
    const seen = new DataView(m.core.readPhysical(m.symbols!.lookup('seen')!.value, 48).buffer);
    const mip = (i: number) => Number(seen.getBigUint64(8 * i, true));
    expect(mip(0) & SEIP).toBe(SEIP);
    expect([mip(1), mip(2), mip(3), mip(4), mip(5)].map((v) => v & (SSIP | SEIP))).toEqual([SSIP, 0, SEIP, SEIP, 0]);
  });
});
