// The Machine end to end on the real core: boot through the ROM, UART and sifive_test on
// virt, HTIF on spike, wfi skipping to the timer, idling without spinning, reset, replay.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, type DebugHalt, type MachineConfig } from '../../server/src/machine/machine';
import { asm, guestElf, reg, type Item } from './guest-image';

const haveCore = fs.existsSync(path.join(__dirname, '../../dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-machine-'));
const BASE = 0x8000_0000n;
const UART = 0x1000_0000;
const FINISHER = 0x10_0000;

function kernel(name: string, items: Item[]): string {
  const file = path.join(dir, `${name}.elf`);
  fs.writeFileSync(file, guestElf(BASE, items));
  return file;
}

function machine(kernelPath: string, overrides: Partial<MachineConfig> = {}) {
  const output: number[] = [];
  const m = new Machine({
    board: 'virt', ramSize: 16 << 20, kernel: kernelPath, bios: 'none', icountShift: 3,
    console: { write: (byte) => output.push(byte) },
    ...overrides,
  });
  return { machine: m, text: () => Buffer.from(output).toString('latin1') };
}

/** Writes `status` to sifive_test: 0 powers off, anything else fails with it. */
const finish = (status: number): Item[] => [
  asm.lui(reg.t0, FINISHER >>> 12),
  asm.li(reg.t1, status === 0 ? 0x5555 : (status << 16) | 0x3333),
  asm.sw(reg.t1, reg.t0, 0),
  asm.label(`hang${status}`),
  asm.j(`hang${status}`),
];

/** Sends the byte in a1 to the UART (the THR is always empty). */
const putc = (byte: number): Item[] => [asm.lui(reg.t5, UART >>> 12), asm.li(reg.a1, byte), asm.sb(reg.a1, reg.t5, 0)];

describe.skipIf(!haveCore)('Machine', () => {
  it('boots hello.elf through the boot ROM and powers off with status 0', async () => {
    const { machine: m, text } = machine(path.join(__dirname, '../../samples/hello/hello.elf'));
    expect(await m.run()).toBe(0);
    expect(text()).toContain('Hello from Lantern!\r\n');
    expect(text()).toContain('fib(50) = 12586269025');
  });

  it('gives the boot ROM a0 = hartid, a2 = fw_dynamic_info, and enters at DRAM base', async () => {
    // Store a0 and a2 where the test can read them, then fail with status 3 if a2 is wrong.
    const file = kernel('regs', [
      asm.label('_start'),
      asm.la(reg.t0, 'seen'),
      asm.sd(reg.a0, reg.t0, 0),
      asm.sd(reg.a2, reg.t0, 8),
      ...finish(0),
      asm.align(8),
      asm.label('seen'),
      asm.dword(0xffffn),
      asm.dword(0n),
    ]);
    const { machine: m } = machine(file);
    expect(await m.run()).toBe(0);
    const seen = m.symbols!.lookup('seen')!.value;
    const words = new DataView(m.core.readPhysical(seen, 16).buffer);
    expect(words.getBigUint64(0, true)).toBe(0n);
    expect(words.getBigUint64(8, true)).toBe(0x1000n + 40n);
  });

  it('reports a sifive_test failure status', async () => {
    const file = kernel('fail', [...putc(0x21), ...finish(7)]);
    const { machine: m, text } = machine(file);
    expect(await m.run()).toBe(7);
    expect(text()).toBe('!');
  });

  it('skips idle time in wfi to the armed timer', async () => {
    // mtimecmp = mtime + 10,000,000 ticks (1 s at 10 MHz); enable MTIE; wfi (MIE off: no trap).
    const file = kernel('timer', [
      asm.lui(reg.t0, 0x200c), // mtime at 0x200c000 - 8
      asm.ld(reg.t1, reg.t0, -8), // mtime
      asm.li(reg.t2, 10_000_000),
      asm.add(reg.t1, reg.t1, reg.t2),
      asm.lui(reg.t3, 0x2004),
      asm.sd(reg.t1, reg.t3, 0), // mtimecmp
      asm.li(reg.t4, 0x80),
      asm.csrrs(reg.zero, 0x304, reg.t4), // mie.MTIE
      asm.wfi(),
      asm.ld(reg.t2, reg.t0, -8),
      asm.bltu(reg.t2, reg.t1, 'early'), // woke before mtime reached mtimecmp
      ...putc(0x54),
      ...finish(0),
      asm.label('early'),
      ...finish(4),
    ]);
    const { machine: m, text } = machine(file);
    const started = Date.now();
    expect(await m.run()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(text()).toBe('T');
    // 1 s of virtual time at 8 ns a step is 125,000,000 steps; the guest ran a few dozen.
    expect(m.core.clockSteps).toBeGreaterThanOrEqual(125_000_000n);
    expect(m.core.mtime()).toBeGreaterThanOrEqual(10_000_000n);
  });

  it('with -icount sleep=on waits out idle time in wall time, with the same instruction stream', async () => {
    // mtimecmp = mtime + 2,000,000 ticks (0.2 s at 10 MHz); wfi until it fires.
    const file = kernel('paced', [
      asm.lui(reg.t0, 0x200c),
      asm.ld(reg.t1, reg.t0, -8),
      asm.li(reg.t2, 2_000_000),
      asm.add(reg.t1, reg.t1, reg.t2),
      asm.lui(reg.t3, 0x2004),
      asm.sd(reg.t1, reg.t3, 0),
      asm.li(reg.t4, 0x80),
      asm.csrrs(reg.zero, 0x304, reg.t4),
      asm.wfi(),
      ...putc(0x50),
      ...finish(0),
    ]);
    const runs = [];
    for (const paced of [false, true]) {
      const { machine: m, text } = machine(file, { paced });
      const started = performance.now();
      expect(await m.run()).toBe(0);
      runs.push({ ms: performance.now() - started, steps: m.core.clockSteps, text: text() });
    }
    expect(runs[1].steps).toBe(runs[0].steps);
    expect(runs[1].text).toBe('P');
    expect(runs[1].ms).toBeGreaterThanOrEqual(190); // 0.2 s of virtual time, waited (not skipped)
  });

  it('idles without spinning when nothing can wake the hart, until stopped', async () => {
    const file = kernel('idle', [asm.label('sleep'), asm.wfi(), asm.j('sleep')]);
    const { machine: m } = machine(file);
    const result = m.run();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let it reach the idle wait
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(100); // ms of CPU in 300 ms of waiting
    m.stop(0);
    expect(await result).toBe(0);
  });

  it('delivers input bytes to the UART at slice boundaries', async () => {
    // Echo received bytes until 'q', then fail with status 9.
    const file = kernel('echo', [
      asm.lui(reg.t5, UART >>> 12),
      asm.li(reg.t6, 0x71),
      asm.label('poll'),
      asm.lbu(reg.a0, reg.t5, 5), // LSR
      asm.andi(reg.a0, reg.a0, 1), // DR
      asm.beq(reg.a0, reg.zero, 'poll'),
      asm.lbu(reg.a1, reg.t5, 0), // RBR
      asm.beq(reg.a1, reg.t6, 'quit'),
      asm.sb(reg.a1, reg.t5, 0),
      asm.j('poll'),
      asm.label('quit'),
      ...finish(9),
    ]);
    const { machine: m, text } = machine(file);
    m.sendInput(Buffer.from('abc'));
    const result = m.run();
    setTimeout(() => m.sendInput(Buffer.from('dq')), 20);
    expect(await result).toBe(9);
    expect(text()).toBe('abcd');
  });

  it('resets the board on 0x7777 with RAM outside the image kept', async () => {
    // A counter past the image survives resets: reset twice, then fail with the count.
    const file = kernel('reset', [
      asm.la(reg.t0, 'end'),
      asm.lui(reg.t2, 0x100),
      asm.add(reg.t0, reg.t0, reg.t2), // 1 MiB past the image: not reloaded on reset
      asm.ld(reg.a0, reg.t0, 0),
      asm.addi(reg.a0, reg.a0, 1),
      asm.sd(reg.a0, reg.t0, 0),
      asm.li(reg.t3, 3),
      asm.beq(reg.a0, reg.t3, 'done'),
      asm.lui(reg.t4, FINISHER >>> 12),
      asm.li(reg.t1, 0x7777),
      asm.sw(reg.t1, reg.t4, 0),
      asm.label('spin'),
      asm.j('spin'),
      asm.label('done'),
      ...finish(3),
      asm.label('end'),
    ]);
    const { machine: m } = machine(file);
    expect(await m.run()).toBe(3);
  });

  it('runs a Spike guest whose console and exit go through HTIF tohost', async () => {
    // putchar each byte of msg through tohost, waiting for the host to clear it, then exit(5).
    const file = kernel('htif', [
      asm.la(reg.a0, 'msg'),
      asm.la(reg.t1, 'tohost'),
      asm.li(reg.t2, 0x101),
      asm.slli(reg.t2, reg.t2, 48),
      asm.label('next'),
      asm.lbu(reg.a1, reg.a0, 0),
      asm.beq(reg.a1, reg.zero, 'done'),
      asm.or(reg.t3, reg.t2, reg.a1),
      asm.sd(reg.t3, reg.t1, 0),
      asm.label('wait'),
      asm.ld(reg.t4, reg.t1, 0),
      asm.bne(reg.t4, reg.zero, 'wait'),
      asm.addi(reg.a0, reg.a0, 1),
      asm.j('next'),
      asm.label('done'),
      asm.li(reg.t3, (5 << 1) | 1),
      asm.sd(reg.t3, reg.t1, 0),
      asm.label('hang'),
      asm.j('hang'),
      asm.align(8),
      asm.label('tohost'),
      asm.dword(0n),
      asm.label('fromhost'),
      asm.dword(0n),
      asm.label('msg'),
      asm.bytes(...Buffer.from('spike ok\n'), 0),
    ]);
    const { machine: m, text } = machine(file, { board: 'spike' });
    expect(await m.run()).toBe(5);
    expect(text()).toBe('spike ok\n');
  });

  it('halts at a breakpoint for the debugger and runs on when resumed', async () => {
    const { machine: m } = machine(path.join(__dirname, '../../samples/hello/hello.elf'));
    const halts: DebugHalt[] = [];
    m.onDebugHalt = (halt) => {
      halts.push(halt);
      if (halt.kind === 'breakpoint') setImmediate(() => m.debugResume({ kind: 'continue' }));
    };
    m.setDebugBreakpoints([0x8000_0000n]);
    expect(await m.run()).toBe(0);
    expect(halts).toEqual([{ kind: 'breakpoint', hart: 0, pc: 0x8000_0000n }, { kind: 'exited', status: 0 }]);
  });

  it('runs the same guest to the same step count every time', async () => {
    const hello = path.join(__dirname, '../../samples/hello/hello.elf');
    const counts: bigint[] = [];
    for (let i = 0; i < 2; i++) {
      const { machine: m } = machine(hello);
      await m.run();
      counts.push(m.core.clockSteps);
    }
    expect(counts[0]).toBeGreaterThan(1000n);
    expect(counts[1]).toBe(counts[0]);
  });
});
