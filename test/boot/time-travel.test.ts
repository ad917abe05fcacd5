// Time travel on the machine (history/): reverse steps and continues over samples/minikernel on
// several harts land on exactly the states a forward run passed through, and a run back to
// the present carries on as if it had never gone back.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineFromOptions } from '../../server/src/cli/machine-options';
import { parseArguments } from '../../server/src/cli/options';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { Machine } from '../../server/src/machine/machine';
import { createMonitor } from '../../server/src/debug/monitor';
import type { ResumeAction, StopReason } from '../../server/src/debug/target';
import { haltedMinikernel, MINIKERNEL, nextStop, resumeAndWait } from '../support/debug-target';

/** Every hart's x registers and pc, the clock, and a hash of RAM: the state to compare. */
function state(target: MachineDebugTarget): string {
  const harts = target.harts().map(({ hart }) => Array.from({ length: 33 }, (_, n) => target.readRegister(hart, n)!.toString(16)).join(','));
  const ram = createHash('sha256').update(target.machine.core.ram).digest('hex');
  return `${target.machine.core.clockSteps} ${ram} ${harts.join(' ')}`;
}

/** Runs until clock step `step` (a live run). */
function runTo(target: MachineDebugTarget, step: bigint): Promise<StopReason> {
  target.machine.pauseAtStep(step);
  return resumeAndWait(target, { kind: 'continue' });
}

const step = (hart: number, reverse = false): ResumeAction => ({ kind: 'step', hart, others: 'run', reverse });

describe('time travel', () => {
  it('reverse steps retrace the states of forward steps on 3 harts, and the way back to the present changes nothing', async () => {
    const a = haltedMinikernel(3);
    const b = haltedMinikernel(3);
    expect(a.target.canReverse).toBe(true);
    await runTo(a.target, 400_000n);
    await runTo(b.target, 400_000n);
    // From the turn after hart 2's, each step of the next hart in turn is one step of the clock.
    await resumeAndWait(a.target, step(2));
    await resumeAndWait(b.target, step(2));
    const states = [state(a.target)];
    for (let i = 0; i < 6; i++) {
      expect(await resumeAndWait(a.target, step(i % 3))).toEqual({ kind: 'step', hart: i % 3 });
      await resumeAndWait(b.target, step(i % 3));
      states.push(state(a.target));
    }
    expect(new Set(states).size).toBe(states.length);
    for (let i = 5; i >= 0; i--) {
      expect(await resumeAndWait(a.target, step(i % 3, true))).toEqual({ kind: 'step', hart: i % 3 });
      expect(state(a.target)).toBe(states[i]);
    }
    expect(a.target.timeTravel!.inPast).toBe(true);
    for (let i = 0; i < 6; i++) {
      await resumeAndWait(a.target, step(i % 3));
      expect(state(a.target)).toBe(states[i + 1]);
    }
    // Forward again, live: the same as the machine that never went back (output included).
    await runTo(a.target, 2_000_000n);
    await runTo(b.target, 2_000_000n);
    expect(a.target.timeTravel!.inPast).toBe(false);
    expect(state(a.target)).toBe(state(b.target));
    expect(Buffer.from(a.output).toString()).toBe(Buffer.from(b.output).toString());
    a.machine.stop();
    b.machine.stop();
  });

  it('reverse-continue comes back to earlier breakpoint hits, then to the start of history', async () => {
    const { machine, target } = haltedMinikernel(2);
    const handler = machine.symbols!.lookup('timer_interrupt')!.value;
    target.addBreakpoint(handler, 'software');
    const hits: string[] = [];
    for (let i = 0; i < 3; i++) {
      expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('breakpoint');
      hits.push(state(target));
    }
    for (let i = 1; i >= 0; i--) {
      const stop = await resumeAndWait(target, { kind: 'continue', reverse: true });
      expect(stop.kind).toBe('breakpoint');
      expect(state(target)).toBe(hits[i]);
    }
    expect(await resumeAndWait(target, { kind: 'continue', reverse: true })).toMatchObject({ kind: 'history-start' });
    expect(machine.core.clockSteps).toBe(0n);
    // A pause asked for in the same tick as a forward resume from the past is not lost.
    const paused = nextStop(target);
    target.resume({ kind: 'continue' });
    target.pause();
    expect((await paused).kind).toBe('paused');
    await resumeAndWait(target, { kind: 'continue', reverse: true });
    // Forward through the past stops at the same hits again.
    for (let i = 0; i < 3; i++) {
      expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('breakpoint');
      expect(state(target)).toBe(hits[i]);
    }
    machine.stop();
  });

  it('at reset there is no past: a reverse continue stays at the start, and a pause right after a resume stops the run', async () => {
    const { machine, target } = haltedMinikernel(1);
    expect(await resumeAndWait(target, { kind: 'continue', reverse: true })).toEqual({ kind: 'history-start', hart: 0 });
    expect(machine.core.clockSteps).toBe(0n);
    const paused = nextStop(target);
    target.resume({ kind: 'continue' });
    target.pause();
    expect((await paused).kind).toBe('paused');
    machine.stop();
  });

  it('reverse-continue to a watchpoint stops right after the write', async () => {
    const { machine, target } = haltedMinikernel(2);
    const counter = machine.symbols!.lookup('locked_counter')!.value;
    const read = () => [...target.readMemory(0, counter, 4, 'virtual')];
    target.addWatchpoint(counter, 4, 'write');
    // The first write stores 0 over 0: take the second.
    expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('watchpoint');
    await resumeAndWait(target, { kind: 'step', hart: target.lastStop!.kind === 'watchpoint' ? target.lastStop!.hart : 0, others: 'hold' });
    const hit = await resumeAndWait(target, { kind: 'continue' });
    expect(hit.kind).toBe('watchpoint');
    const writer = (hit as { hart: number }).hart;
    const before = state(target);
    const old = read();
    await resumeAndWait(target, step(writer));
    const after = state(target);
    expect(read()).not.toEqual(old);
    expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('watchpoint');
    const back = await resumeAndWait(target, { kind: 'continue', reverse: true });
    expect(back).toMatchObject({ kind: 'watchpoint', hart: writer, watch: 'write' });
    expect(state(target)).toBe(after);
    await resumeAndWait(target, step(writer, true));
    expect(state(target)).toBe(before);
    expect(read()).toEqual(old);
    // Back to the first write, over it (as gdb steps back after a watchpoint), then to the start of history.
    const first = await resumeAndWait(target, { kind: 'continue', reverse: true });
    expect(first.kind).toBe('watchpoint');
    const stayed = state(target);
    expect(await resumeAndWait(target, { kind: 'continue', reverse: true })).toEqual(first); // the same access, not moving
    expect(state(target)).toBe(stayed);
    await resumeAndWait(target, step((first as { hart: number }).hart, true));
    expect((await resumeAndWait(target, { kind: 'continue', reverse: true })).kind).toBe('history-start');
    machine.stop();
  });

  it('memory written in the past discards the future, and replaying over the write writes it again', async () => {
    const { machine, target } = haltedMinikernel(1);
    await runTo(target, 1_000_000n);
    for (let i = 0; i < 3; i++) await resumeAndWait(target, step(0));
    await resumeAndWait(target, step(0, true));
    expect(target.timeTravel!.inPast).toBe(true);
    const clock = machine.core.clockSteps;
    const info = (await createMonitor(target.monitorHost()).command('info history', 0)).output;
    expect(info).toMatch(new RegExp(`^history: steps 0\\.\\.${clock + 1n}, \\d+ checkpoints in [\\d.]+ of 256\\.0 MiB\nnow at step ${clock} \\(1 step in the past\\)\n$`));
    const spare = 0x8700_0000n; // RAM the minikernel never touches
    const read = () => [...target.readMemory(0, spare, 4, 'physical')];
    expect(target.writeMemory(0, spare, Uint8Array.of(1, 2, 3, 4), 'physical')).toBe(true);
    expect(target.timeTravel!.inPast).toBe(false);
    await resumeAndWait(target, step(0));
    expect(machine.core.clockSteps).toBe(clock + 1n);
    await resumeAndWait(target, step(0, true));
    await resumeAndWait(target, step(0, true));
    expect(machine.core.clockSteps).toBe(clock - 1n);
    expect(read()).toEqual([0, 0, 0, 0]);
    await resumeAndWait(target, step(0));
    expect(read()).toEqual([1, 2, 3, 4]);
    await runTo(target, 1_123_900n);
    expect(target.timeTravel!.inPast).toBe(false);
    expect(read()).toEqual([1, 2, 3, 4]);
    await resumeAndWait(target, step(0, true));
    expect(machine.core.clockSteps).toBe(1_123_900n - 1n);
    machine.stop();
  });

  it('going back undoes the guest\'s disk writes, going forward writes them again; the image file never changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-travel-'));
    const image = path.join(dir, 'disk.img');
    fs.writeFileSync(image, new Uint8Array(1 << 20));
    const invocation = parseArguments([
      '-machine', 'virt', '-bios', 'none', '-m', '64M', '-kernel', MINIKERNEL, '-seed', '7', '-rtc', 'base=2024-01-01T00:00:00',
      '-drive', `file=${image},if=none,format=raw,id=x0`, '-device', 'virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0', '-S',
    ]);
    if (invocation.kind !== 'run') throw new Error('not a run');
    let output = '';
    const opened = machineFromOptions(invocation.options, { console: { write: (byte) => { output += String.fromCharCode(byte); } }, cwd: dir });
    const { machine } = opened;
    // A disk written in place: no history unless asked for, which keeps writes in the overlay.
    expect(new MachineDebugTarget(machine).canReverse).toBe(false);
    const target = new MachineDebugTarget(machine, undefined, { history: {} });
    void machine.run();
    const sector = () => {
      const bytes = new Uint8Array(512);
      machine.attachedDisks()[0].read(512, bytes);
      return createHash('sha256').update(bytes).digest('hex');
    };
    const blank = sector();
    // To where the minikernel has written its disk and enters its user program.
    const echo = machine.symbols!.lookup('user_enter')!.value;
    target.addBreakpoint(echo, 'software');
    expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('breakpoint');
    target.removeBreakpoint(echo, 'software');
    expect(output).toMatch(/disk: write sector 1: status 0/);
    const written = sector();
    expect(written).not.toBe(blank);
    const present = state(target);
    expect(await resumeAndWait(target, { kind: 'continue', reverse: true })).toMatchObject({ kind: 'history-start' });
    expect(sector()).toBe(blank);
    expect(target.timeTravel!.inPast).toBe(true);
    target.addBreakpoint(echo, 'software');
    expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('breakpoint');
    expect(sector()).toBe(written);
    expect(state(target)).toBe(present);
    expect(output.match(/disk: write sector 1/g)).toHaveLength(1); // the replay printed nothing again
    machine.stop();
    for (const file of opened.files) file.close();
    expect([...fs.readFileSync(image)].every((byte) => byte === 0)).toBe(true);
  });

  it('replaying, the consoles say nothing: the UART and a virtconsole write again only in the present', () => {
    const out: number[] = [];
    const machine = new Machine({
      board: 'virt', ramSize: 16 << 20, kernel: MINIKERNEL, bios: 'none', icountShift: 3, rngSeed: 1n, rtcStart: 0n, startHalted: true,
      console: { write: (byte) => out.push(byte) },
      virtio: { forceLegacy: true, devices: [{ kind: 'serial', slot: 0, maxPorts: 1, emergencyWrite: true, console: { nr: 0, output: { write: (byte) => out.push(byte) } } }] },
    });
    // virtio-mmio slot 0's device configuration (0x10001000 + 0x100), emerg_wr at offset 8; the UART's THR at 0x10000000.
    const say = (text: string) => {
      for (const byte of Buffer.from(text)) {
        machine.bus.write(0x1000_1108, 4, BigInt(byte));
        machine.bus.write(0x1000_0000, 1, BigInt(byte));
      }
    };
    say('ab');
    machine.replayHistoryInput([]);
    say('cd');
    machine.replayHistoryInput(undefined);
    say('ef');
    expect(Buffer.from(out).toString()).toBe('aabbeeff');
  });
});
