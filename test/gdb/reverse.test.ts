// Reverse execution under a real gdb-multiarch (the stub's bs and bc, gdbstub/packets/reverse.ts,
// over the machine's recorded history): scripts/reverse-session.py against Lantern at -smp 3
// on samples/minikernel. reverse-stepi undoes stepi exactly; reverse-continue comes back to
// earlier breakpoint hits with the same registers and to a watched write at the store itself
// (gdb's Old/New reversed); reverse-next undoes next and reverse-finish goes back to the call;
// with nothing to stop it, reverse-continue reaches the start of history; and monitor
// savevm/loadvm restore every hart's registers. What gdb prints at a stop is read from its
// stdout, between the `@@section` lines the script writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { buildHostBundle } from '../support/guest-tools';
import {
  expectBreakpointStop, expectCompleteRun, expectStop, GDB, gdbWithPython, haveCore, killAll, runGdb, show, startMachine, tempDir, type GdbRun, type Machine,
} from './gdb-session';

const haveGdb = gdbWithPython();
if (!haveGdb) console.warn(`test/gdb: ${GDB} (with Python) not found on PATH: skipping the reverse-execution session`);
const SMP = 3;
const STEPS = 20;
const dir = haveGdb && haveCore ? tempDir() : '';
let failed = false;


/** gdb's own output in each `@@section NAME` of the script, by name. */
function sections(stdout: string): Map<string, string> {
  const found = new Map<string, string>();
  const parts = stdout.split(/@@section (\S+)\n/);
  for (let i = 1; i + 1 < parts.length; i += 2) found.set(parts[i], parts[i + 1]);
  return found;
}



/** The same thread, pc, integer registers and `info registers` text. */
function expectSameState(actual: any, expected: any, what: string): void {
  expect(actual, `${what}: no state`).toBeDefined();
  expect(actual.thread, `${what}: thread`).toBe(expected.thread);
  expect(actual.pc, `${what}: pc`).toBe(expected.pc);
  expect(actual.regs, `${what}: registers`).toEqual(expected.regs);
  expect(actual.info, `${what}: info registers`).toBe(expected.info);
}

describe.skipIf(!haveGdb || !haveCore)(`gdb reverse execution against Lantern, -smp ${SMP}`, () => {
  let machine: Machine;
  let run: GdbRun;
  let sym: { [name: string]: string };
  let printed: Map<string, string>;
  const get = (key: string) => run.get(key);
  const snapshotDir = process.env.LANTERN_SNAPSHOT_DIR;

  beforeAll(async () => {
    buildHostBundle();
    // monitor savevm writes its file here (the machine inherits the environment).
    process.env.LANTERN_SNAPSHOT_DIR = path.join(dir, 'snapshots');
    // With a disk written in place, time travel is on only when asked for (its writes then stay in an overlay).
    machine = await startMachine({ kind: 'lantern', smp: SMP, dir, extraArgs: ['-history', 'on'] });
    run = await runGdb({ machine, script: 'reverse-session.py', timeoutMs: 60_000 });
    machine.kill();
    for (const [name, text] of [['gdb.stdout', run.stdout], ['gdb.stderr', run.stderr], ['records.json', JSON.stringify(run.records, null, 1)],
      ['machine.stdout', machine.stdout()], ['machine.stderr', machine.stderr()]]) {
      fs.writeFileSync(path.join(dir, `reverse.${name}`), text);
    }
    sym = get('symbols') ?? {};
    printed = sections(run.stdout);
  }, 90_000);

  afterAll(() => {
    machine?.kill();
    killAll();
    if (snapshotDir === undefined) delete process.env.LANTERN_SNAPSHOT_DIR;
    else process.env.LANTERN_SNAPSHOT_DIR = snapshotDir;
    if (dir && !failed) fs.rmSync(dir, { recursive: true, force: true });
  });

  const noteFailure = () => onTestFailed(() => {
    if (!failed) console.warn(`test/gdb: reverse session logs kept in ${dir}`);
    failed = true;
  });

  it('runs the whole script: every step, no error', () => {
    noteFailure();
    expectCompleteRun(run);
    expect(get('connect')?.ok, show(get('connect'))).toBe(true);
  });

  it('reverse-continue to a watched write stops at the store, the value before it, Old/New reversed', () => {
    noteFailure();
    const forward = get('watch.forward');
    expectBreakpointStop(forward, 'watch hart_count; continue', 'watch');
    expect(forward.values, 'm_boot counts the harts of the device tree').toEqual({ before: '1', after: String(SMP) });
    expect(forward.store?.asm, `the forward stop comes after the store: ${show(forward)}`).toMatch(/^sw\b/);
    expect(forward.state.thread, 'hart 0 alone writes hart_count').toBe(1);
    expect(printed.get('watch-forward')).toContain(`Old value = 1\nNew value = ${SMP}\n`);
    const later = get('watch.later');
    expectBreakpointStop(later, 'break s_main; continue', 'breakpoint');
    expect(later.state.pc).toBe(sym.s_main);
    expect(later.value).toBe(String(SMP));

    const back = get('watch.reverse');
    expectBreakpointStop(back, 'reverse-continue with the watchpoint', 'watch');
    expect(back.state.pc, `gdb's reverse step over the access lands on the store: ${show(back)}`).toBe(forward.store.address);
    expect(back.state.pc).not.toBe(forward.state.pc);
    expect(back.state.thread).toBe(forward.state.thread);
    expect(back.value, 'before the store').toBe('1');
    const text = printed.get('watch-reverse') ?? '';
    expect(text, 'gdb shows the write undone').toContain(`Old value = ${SMP}\nNew value = 1\n`);
    expect(text).not.toContain('No more reverse-execution history');
  });

  it(`reverse-stepi ${STEPS} after stepi ${STEPS} gives back every integer register and the pc`, () => {
    noteFailure();
    const { start, forward, back } = get('stepi') ?? {};
    expectBreakpointStop(start, 'break s_main; continue (along the history)', 'breakpoint');
    expectSameState(start.state, get('watch.later')?.state, 'forward along the history: s_main as when it was live');
    expectStop(forward, `stepi ${STEPS}`);
    expect(forward.state.thread).toBe(start.state.thread);
    expect(forward.state.pc, 'the steps moved the pc').not.toBe(start.state.pc);
    expect(forward.state.regs, 'the steps changed registers').not.toEqual(start.state.regs);
    expectStop(back, `reverse-stepi ${STEPS}`);
    expectSameState(back.state, start.state, `reverse-stepi ${STEPS}`);
    expect(printed.get('stepi')).not.toContain('No more reverse-execution history');
  });

  it('reverse-stepi on another thread (gdb says only Hc0, bs) steps that thread back', () => {
    noteFailure();
    const other = get('stepi.thread-2');
    expectStop(other, 'thread 2; reverse-stepi');
    expect(other.stop?.event, `a stop of the thread gdb stepped, not a trap of another: ${show(other)}`).toBe('StopEvent');
    expect(other.state.thread).toBe(2);
    expect(other.state.regs, 'its registers are those before its latest step').not.toEqual(other.before.regs);
    expect(printed.get('stepi')).not.toContain('received signal');
  });

  it('reverse-continue comes back to the earlier breakpoint hits, latest first, with their registers', () => {
    noteFailure();
    const { line, hits } = get('breakpoints.forward') ?? {};
    expect(hits?.length, show(hits)).toBe(3);
    hits.forEach((hit: any, i: number) => {
      expectBreakpointStop(hit, `break main.c:${line}; continue #${i + 1}`, 'breakpoint');
      expect([hit.state.file, hit.state.line], show(hit.state)).toEqual(['main.c', line]);
    });
    // Each hit follows an increment: the hits differ, so coming back to the wrong one shows.
    expect(Number(hits[1].counter), show(hits.map((h: any) => h.counter))).toBeGreaterThan(Number(hits[0].counter));
    expect(Number(hits[2].counter)).toBeGreaterThan(Number(hits[1].counter));
    const backs = get('breakpoints.reverse');
    expect(backs?.length, show(backs)).toBe(2);
    for (const [back, hit, n] of [[backs[0], hits[1], 2], [backs[1], hits[0], 1]]) {
      expectBreakpointStop(back, `reverse-continue to hit ${n}`, 'breakpoint');
      expectSameState(back.state, hit.state, `reverse-continue to hit ${n}`);
      expect(back.counter, `locked_counter at hit ${n}`).toBe(hit.counter);
    }
    expect(printed.get('breakpoints')).not.toContain('No more reverse-execution history');
  });

  it('reverse-next undoes next, reverse-finish goes back to the call', () => {
    noteFailure();
    const { line, start, next, reverseNext, step, reverseFinish } = get('lines') ?? {};
    expectBreakpointStop(start, `break main.c:${line}; continue (along the history)`, 'breakpoint');
    expectSameState(start.state, get('breakpoints.forward')?.hits?.[1]?.state, 'the second hit, as it was live');
    expectStop(next, 'next');
    expect(next.state.line, `next went past the line: ${show(next.state)}`).not.toBe(line);
    expect(next.state.thread).toBe(start.state.thread);
    expectStop(reverseNext, 'reverse-next');
    expectSameState(reverseNext.state, start.state, 'reverse-next');
    expectStop(step, 'step');
    expect(step.state.function, 'step entered the call').toBe('release');
    expectStop(reverseFinish, 'reverse-finish');
    expect([reverseFinish.state.function, reverseFinish.state.file, reverseFinish.state.line, reverseFinish.state.thread])
      .toEqual(['s_main', 'main.c', line, start.state.thread]);
    expect(reverseFinish.asm, `reverse-finish stops at the call: ${show(reverseFinish)}`).toMatch(/^(jalr?|c\.jalr?)\b/);
    expect(printed.get('lines')).not.toContain('No more reverse-execution history');
  });

  it('reverse-continue with nothing to stop it reaches the start of history', () => {
    noteFailure();
    const back = get('history-start');
    expectStop(back, 'reverse-continue without breakpoints');
    expect(printed.get('history-start')).toContain('No more reverse-execution history.');
    // The history starts where the machine did: every hart at the boot ROM.
    expect(back.threads?.map((t: any) => t.pc), show(back.threads)).toEqual(Array(SMP).fill('0x1000'));
  });

  it('monitor savevm / loadvm restore every hart\'s registers exactly', () => {
    noteFailure();
    const record = get('savevm');
    expectBreakpointStop(record?.reached, 'break timer_report; continue (past the present)', 'breakpoint');
    expect(record.reached.state.pc).toBe(sym.timer_report);
    expect(record.save?.ok, show(record.save)).toBe(true);
    expect(record.save.output, show(record.save)).not.toMatch(/error|unknown|cannot|refus/i);
    expectBreakpointStop(record.moved, 'break transfer; continue', 'breakpoint');
    expect(record.moved.state.pc, 'the machine moved on').not.toBe(record.saved['1'].pc);
    expect(record.load?.ok, show(record.load)).toBe(true);
    expect(record.load.output, show(record.load)).not.toMatch(/error|unknown|cannot|refus/i);
    for (let n = 1; n <= SMP; n++) expectSameState(record.restored[String(n)], record.saved[String(n)], `thread ${n} after loadvm`);
  });
});
