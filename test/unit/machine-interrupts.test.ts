// The virt board's interrupt wiring on the real core, without a compiler: a hand-assembled
// guest enables UART receive interrupts at the PLIC's M-mode context and waits in wfi (MIE
// off: the pending MEIP wakes it without a trap), claims, echoes and completes; and reads
// the goldfish RTC, which must show the configured start plus virtual time.
// (test/boot/interrupts.test.ts does the same with trap handlers and the S-mode context.)
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
const RTC = 0x10_1000;
const CLINT_MTIME = 0x200_bff8;
const START = BigInt(Date.UTC(2001, 8, 9, 1, 46, 40)) * 1_000_000n;

/** lw rd, imm(rs1): the helper assembler has no 32-bit load. */
const lw = (rd: number, rs1: number, imm: number): Item =>
  ({ encode: () => [(((imm & 0xfff) << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x03) >>> 0], words: 1 });

const guest = (): Item[] => [
  // The RTC (TIME_LOW first: it latches TIME_HIGH) between two mtime reads, kept in `seen`.
  asm.la(reg.s0, 'seen'),
  asm.lui(reg.t0, (CLINT_MTIME + 8) >>> 12),
  asm.ld(reg.a0, reg.t0, -8),
  asm.lui(reg.t1, RTC >>> 12),
  lw(reg.a1, reg.t1, 0),
  lw(reg.a2, reg.t1, 4),
  asm.ld(reg.a3, reg.t0, -8),
  asm.sd(reg.a0, reg.s0, 0),
  asm.sw(reg.a1, reg.s0, 8),
  asm.sw(reg.a2, reg.s0, 12),
  asm.sd(reg.a3, reg.s0, 16),
  // PLIC: source 10 at priority 1, enabled for context 0 (hart 0 M), threshold 0.
  asm.lui(reg.t0, PLIC >>> 12),
  asm.li(reg.t1, 1),
  asm.sw(reg.t1, reg.t0, 4 * 10),
  asm.lui(reg.t2, (PLIC + 0x2000) >>> 12),
  asm.li(reg.t1, 1 << 10),
  asm.sw(reg.t1, reg.t2, 0),
  asm.lui(reg.t3, (PLIC + 0x20_0000) >>> 12),
  asm.sw(reg.zero, reg.t3, 0),
  // UART receive interrupts; mie.MEIE with mstatus.MIE off.
  asm.lui(reg.t5, UART >>> 12),
  asm.li(reg.t1, 1),
  asm.sb(reg.t1, reg.t5, 1),
  asm.li(reg.t1, 0x800),
  asm.csrrs(reg.zero, 0x304, reg.t1),
  asm.li(reg.a1, 0x52), // 'R': ready
  asm.sb(reg.a1, reg.t5, 0),
  asm.li(reg.t6, 0x71), // 'q' ends the run
  asm.label('sleep'),
  asm.wfi(),
  lw(reg.a0, reg.t3, 4), // claim
  asm.beq(reg.a0, reg.zero, 'sleep'),
  asm.label('drain'),
  asm.lbu(reg.a1, reg.t5, 5),
  asm.andi(reg.a1, reg.a1, 1),
  asm.beq(reg.a1, reg.zero, 'complete'),
  asm.lbu(reg.a2, reg.t5, 0),
  asm.sb(reg.a2, reg.t5, 0),
  asm.beq(reg.a2, reg.t6, 'quit'),
  asm.j('drain'),
  asm.label('complete'),
  asm.sw(reg.a0, reg.t3, 4),
  asm.j('sleep'),
  asm.label('quit'),
  asm.lui(reg.t0, 0x100),
  asm.li(reg.t1, 0x5555),
  asm.sw(reg.t1, reg.t0, 0),
  asm.label('hang'),
  asm.j('hang'),
  asm.align(8),
  asm.label('seen'),
  asm.dword(0n), asm.dword(0n), asm.dword(0n),
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!haveCore)('virt interrupt wiring', () => {
  it('wakes a hart idling in wfi for typed bytes through the UART, PLIC and MEIP', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-irq-'));
    const kernel = path.join(dir, 'irq.elf');
    fs.writeFileSync(kernel, guestElf(BASE, guest()));
    const output: number[] = [];
    const text = () => Buffer.from(output).toString('latin1');
    const m = new Machine({
      board: 'virt', ramSize: 16 << 20, kernel, bios: 'none', icountShift: 3, rtcStart: START,
      console: { write: (byte) => output.push(byte) },
    });
    const result = m.run();
    const waitFor = async (ready: () => boolean) => {
      for (let i = 0; i < 400 && !ready(); i++) await sleep(5);
      expect(ready()).toBe(true);
    };
    try {
      await waitFor(() => text() === 'R' && m.core.waitingForInterrupt);
      const clock = m.core.clockSteps;
      await sleep(30);
      expect(m.core.clockSteps).toBe(clock); // idle: nothing armed, the clock stands still
      m.sendInput(Buffer.from('ab'));
      await waitFor(() => text() === 'Rab' && m.core.waitingForInterrupt);
      m.sendInput(Buffer.from('q'));
      expect(await result).toBe(0);
    } finally {
      m.stop(1);
    }
    expect(text()).toBe('Rabq');

    const seen = new DataView(m.core.readPhysical(m.symbols!.lookup('seen')!.value, 24).buffer);
    const before = seen.getBigUint64(0, true);
    const time = BigInt(seen.getUint32(8, true)) | (BigInt(seen.getUint32(12, true)) << 32n);
    const after = seen.getBigUint64(16, true);
    expect(m.rtcStart).toBe(START);
    expect(time).toBeGreaterThanOrEqual(START + before * 100n);
    expect(time).toBeLessThanOrEqual(START + after * 100n);
  });
});
