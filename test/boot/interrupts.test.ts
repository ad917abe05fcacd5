// External interrupts end to end on the real core: test/boot/interrupts/guest.c sleeps in
// wfi until a goldfish RTC alarm arrives through the PLIC, then echoes typed bytes taken by
// UART receive interrupts through the PLIC's M-mode context (MEIP) and its S-mode context
// (SEIP, delegated). Input reaches the idle machine through Machine.sendInput, the CLI's
// stdin with -rtc base=..., and, as the reference, QEMU's virt with the same guest.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../server/src/machine/machine';
import { buildGuest, buildHostBundle, hasTool, RISCV_GCC } from '../support/guest-tools';

const root = path.resolve(__dirname, '..', '..');
const source = path.join(__dirname, 'interrupts');
const build = path.join(__dirname, 'build');
const elf = path.join(build, 'interrupts.elf');
const gcc = RISCV_GCC;
const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const haveGcc = hasTool(gcc);
const haveQemu = hasTool('qemu-system-riscv64');
if (!haveGcc) console.warn(`test/boot/interrupts: ${gcc} not found on PATH: skipping the interrupts guest`);

/** -rtc base=2024-01-02T03:04:05 in ns since the epoch. */
const BASE_DATE = '2024-01-02T03:04:05';
const BASE = BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1_000_000n;
/** Longer than the UART's 16-byte FIFO: the rest must reach the guest while it waits. */
const M_LINE = 'the quick brown fox jumps over the lazy dog\r';
const S_LINE = 'hello from s-mode q';
const EXPECTED_ECHO = `M ready\n${M_LINE}\nM done\nS ready\n${S_LINE}\nS done\n`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ready()` or fails after `ms`. */
async function until(ready: () => boolean, what: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(5);
  }
}

/** The numbers the guest printed: the RTC read with mtime around it, and the alarm. */
function readings(transcript: string) {
  const rtc = /^rtc (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)$/m.exec(transcript);
  const alarm = /^alarm (0x[0-9a-f]+) fired (0x[0-9a-f]+)$/m.exec(transcript);
  if (!rtc || !alarm) throw new Error(`no rtc/alarm lines in:\n${transcript}`);
  return {
    time: BigInt(rtc[1]), mtimeBefore: BigInt(rtc[2]), mtimeAfter: BigInt(rtc[3]),
    alarmAt: BigInt(alarm[1]), firedAt: BigInt(alarm[2]),
    echo: transcript.slice(transcript.indexOf('M ready')),
  };
}

/** The RTC reads the base plus virtual time; the alarm fires at its time, not long after. */
function checkClock(transcript: string, slackNs: bigint): void {
  const r = readings(transcript);
  expect(r.time).toBeGreaterThanOrEqual(BASE + r.mtimeBefore * 100n);
  expect(r.time).toBeLessThanOrEqual(BASE + r.mtimeAfter * 100n + slackNs);
  expect(r.alarmAt).toBe(r.time + 250_000_000n);
  expect(r.firedAt).toBeGreaterThanOrEqual(r.alarmAt);
  expect(r.firedAt - r.alarmAt).toBeLessThan(100_000n); // the handler runs within 100 µs
  expect(r.echo).toBe(EXPECTED_ECHO);
}

/** Runs the guest in a Machine, typing each line once the hart idles in wfi. */
async function runInProcess() {
  const output: number[] = [];
  const text = () => Buffer.from(output).toString('latin1');
  const machine = new Machine({
    board: 'virt', ramSize: 16 << 20, kernel: elf, bios: 'none', icountShift: 3, rtcStart: BASE,
    console: { write: (byte) => output.push(byte) },
  });
  let settled = false;
  const result = machine.run().finally(() => { settled = true; });
  const waits: boolean[] = [];
  const type = async (marker: string, line: string) => {
    await until(() => text().includes(marker) || settled, () => `'${marker}' in ${JSON.stringify(text())}`);
    // The guest prints the marker, then sleeps in wfi: nothing armed, so the machine idles.
    await until(() => machine.core.waitingForInterrupt || settled, () => 'the hart to wait in wfi');
    const clock = machine.core.clockSteps;
    await sleep(30);
    waits.push(machine.core.waitingForInterrupt && machine.core.clockSteps === clock);
    machine.sendInput(Buffer.from(line, 'latin1'));
  };
  try {
    await type('M ready\n', M_LINE);
    await type('S ready\n', S_LINE);
  } catch (error) {
    machine.stop(1); // a stuck guest: release the idle machine, report what was missing
    throw error;
  }
  const status = await result;
  return { status, transcript: text(), waits, steps: machine.core.clockSteps, rtcStart: machine.rtcStart };
}

/** Runs a command with the guest's console on stdin/stdout, typing each line after its marker. */
function runProcess(command: string, args: string[]): Promise<{ status: number | null; transcript: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let transcript = '';
    let stderr = '';
    const pending = [['M ready\n', M_LINE], ['S ready\n', S_LINE]];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      transcript += chunk;
      while (pending.length > 0 && transcript.includes(pending[0][0])) {
        const [, line] = pending.shift()!;
        setTimeout(() => child.stdin.write(Buffer.from(line, 'latin1')), 50);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, transcript, stderr });
    });
  });
}

describe.skipIf(!haveGcc || !haveCore)('interrupts guest (PLIC, UART receive interrupts, goldfish RTC)', () => {
  beforeAll(() => {
    buildGuest({ sources: [path.join(source, 'start.S'), path.join(source, 'guest.c')], linkScript: path.join(source, 'link.ld'), output: elf, gcc });
    // The CLI run below uses the bundle: build it from the current sources.
    buildHostBundle();
  });

  it('wakes the idle hart for typed bytes, through MEIP and through delegated SEIP', async () => {
    const run = await runInProcess();
    expect(run.status).toBe(0);
    expect(run.waits).toEqual([true, true]); // the machine idled, clock stopped, until input came
    expect(run.rtcStart).toBe(BASE);
    checkClock(run.transcript, 0n);
  });

  it('runs to the same step with the same transcript every time (the alarm fires at a fixed step)', async () => {
    const [a, b] = [await runInProcess(), await runInProcess()];
    expect(b.transcript).toBe(a.transcript);
    expect(b.steps).toBe(a.steps);
    // 250 ms of virtual time passed in the alarm wait alone: 31,250,000 steps of 8 ns.
    expect(a.steps).toBeGreaterThan(31_250_000n);
  });

  it('takes -rtc base=DATE on the command line and typed input on stdin', async () => {
    const run = await runProcess(process.execPath, [
      path.join(root, 'dist', 'cli.js'), '-machine', 'virt', '-bios', 'none', '-nographic', '-serial', 'stdio',
      '-rtc', `base=${BASE_DATE}`, '-kernel', elf,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    checkClock(run.transcript, 0n);
  });

  it.skipIf(!haveQemu)('matches QEMU virt running the same guest (-rtc clock=vm, -icount shift=3)', async () => {
    const run = await runProcess('qemu-system-riscv64', [
      '-machine', 'virt', '-bios', 'none', '-nographic', '-icount', 'shift=3,sleep=off',
      '-rtc', `base=${BASE_DATE},clock=vm`, '-kernel', elf,
    ]);
    expect(run.status).toBe(0);
    // QEMU sets the RTC from whole seconds at device creation: allow it a second.
    checkClock(run.transcript, 1_000_000_000n);
  });
});
