// Progress of snapshot saves and loads: the CLI's progress line (server/src/cli/progress-line.ts)
// stays silent for an operation that ends within a second and reports a slower one at most
// every 250 ms (on a clock the test drives, no real waiting), in place on a TTY or as plain
// lines; and saveSnapshot/loadSnapshot on a 64 MiB machine tell their progress callback of
// every RAM chunk, never going back, ending at the RAM size exactly.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProgressLine, withProgressLine, type ProgressStream } from '../../server/src/cli/progress-line';
import { Machine } from '../../server/src/machine/machine';
import { loadSnapshot, saveSnapshot } from '../../server/src/snapshot/machine-snapshot';
import { MINIKERNEL } from '../support/debug-target';

const MIB = 1 << 20;
const haveCore = fs.existsSync(path.join(__dirname, '../../dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-progress-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stream that keeps what is written; a clock the test sets. */
function recorder(isTTY: boolean): ProgressStream & { text: string } {
  return { isTTY, text: '', write(data: string) { this.text += data; } };
}
function clock(): { now: () => number; at: number } {
  const state = { at: 0, now: () => state.at };
  return state;
}

describe('the progress line', () => {
  it('says nothing for an operation that ends within a second', () => {
    const stream = recorder(true);
    const time = clock();
    const line = new ProgressLine({ stream, label: 'savevm quick', now: time.now });
    for (let done = 1; done <= 128; done++) {
      time.at = done * 7; // 896 ms in all
      line.update(done * MIB, 128 * MIB);
    }
    time.at = 1000; // exactly a second is not over one
    line.update(128 * MIB, 128 * MIB);
    line.finish('done');
    expect(line.shown).toBe(false);
    expect(stream.text).toBe('');
  });

  it('shows a slow one after a second, at most every 250 ms, in place on a TTY, and ends the line', () => {
    const stream = recorder(true);
    const time = clock();
    const line = new ProgressLine({ stream, label: 'savevm big', now: time.now });
    // One 1 MiB chunk every 20 ms: 128 MiB in 2.56 s.
    for (let done = 1; done <= 128; done++) {
      time.at = done * 20;
      line.update(done * MIB, 128 * MIB);
    }
    line.finish('done');
    const writes = stream.text.split('\r').filter((part) => part !== '');
    // At 1020 ms (chunk 51), then the first chunk 250 ms or more on: 1280, 1540, 1800, 2060, 2320.
    expect(writes.slice(0, 6)).toEqual([51, 64, 77, 90, 103, 116].map((mib) =>
      `lantern: savevm big: ${Math.floor((mib * 100) / 128)}% (${mib} of 128 MiB)\x1b[K`));
    expect(writes.slice(6)).toEqual(['lantern: savevm big: 100% (128 of 128 MiB) in 2.6 s\x1b[K', '\n']);
    expect(stream.text).not.toMatch(/\n[^]*\n/); // one line, rewritten
  });

  it('writes plain lines when not a TTY, skipping repeats', () => {
    const stream = recorder(false);
    const time = clock();
    const line = new ProgressLine({ stream, label: 'loadvm big', now: time.now });
    time.at = 1500;
    line.update(58 * MIB, 128 * MIB);
    time.at = 1800;
    line.update(58 * MIB, 128 * MIB); // the same text again: not repeated
    time.at = 2100;
    line.update(128 * MIB, 128 * MIB);
    line.finish('done');
    expect(stream.text).toBe([
      'lantern: loadvm big: 45% (58 of 128 MiB)',
      'lantern: loadvm big: 100% (128 of 128 MiB)',
      'lantern: loadvm big: 100% (128 of 128 MiB) in 2.1 s',
      '',
    ].join('\n'));
  });

  it('ends with how far a failed operation got, and passes its error on', () => {
    const stream = recorder(false);
    const time = clock();
    expect(() => withProgressLine({ stream, label: 'loadvm bad', now: time.now }, (progress) => {
      time.at = 1200;
      progress(32 * MIB, 64 * MIB);
      time.at = 1300;
      throw new Error('page data does not inflate');
    })).toThrow('page data does not inflate');
    expect(stream.text).toBe('lantern: loadvm bad: 50% (32 of 64 MiB)\nlantern: loadvm bad: failed at 50% (32 of 64 MiB) after 1.3 s\n');
  });
});

describe.skipIf(!haveCore)('progress of a save and a load of a 64 MiB machine', () => {
  const config = {
    board: 'virt', ramSize: 64 * MIB, kernel: MINIKERNEL, bios: 'none', icountShift: 3, harts: 1, startHalted: true,
    rngSeed: 1n, rtcStart: 0n, console: { write() {} },
  } as const;
  const file = path.join(dir, 'big.lsnap');

  /** Every report is of the RAM size, none goes back, and the last is the whole RAM. */
  function expectMonotonicToTotal(reports: [number, number][]): void {
    expect(reports.length).toBeGreaterThanOrEqual(24);
    for (const [, total] of reports) expect(total).toBe(64 * MIB);
    for (let i = 1; i < reports.length; i++) expect(reports[i][0]).toBeGreaterThanOrEqual(reports[i - 1][0]);
    expect(reports.at(-1)).toEqual([64 * MIB, 64 * MIB]);
    expect(reports.filter(([done]) => done === 64 * MIB)).toHaveLength(1);
  }

  /** The minikernel's machine with 24 MiB more in use from 32 MiB up: half noise (stored as it is), half text (deflated). */
  function busyMachine(): Machine {
    const machine = new Machine(config);
    const ram = machine.core.ram;
    let x = 0x2545f491;
    for (let at = 32 * MIB; at < 44 * MIB; at++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      ram[at] = x & 0xff;
    }
    const text = Buffer.from('Lantern snapshot progress, one chunk at a time. ');
    for (let at = 44 * MIB; at < 56 * MIB; at++) ram[at] = text[at % text.length];
    return machine;
  }

  it('reports each RAM chunk, monotonically, up to the RAM size', () => {
    const machine = busyMachine();
    const ram = machine.core.ram;

    const saved: [number, number][] = [];
    saveSnapshot(machine, file, 'big', { progress: (done, total) => saved.push([done, total]) });
    expectMonotonicToTotal(saved);

    const fresh = new Machine(config);
    const loaded: [number, number][] = [];
    loadSnapshot(fresh, file, 'big', { progress: (done, total) => loaded.push([done, total]) });
    expectMonotonicToTotal(loaded);
    expect(Buffer.compare(fresh.core.ram, ram)).toBe(0);
  });

  it('drives the progress line when the save is slow', () => {
    const machine = busyMachine();
    const stream = recorder(false);
    // A clock 100 ms on at each look: the save "lasts" well over a second.
    let at = 0;
    withProgressLine({ stream, label: 'savevm big', now: () => (at += 100) }, (progress) => saveSnapshot(machine, file, 'big', { progress }));
    const lines = stream.text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.at(-1)).toMatch(/^lantern: savevm big: 100% \(64 of 64 MiB\) in \d+\.\d s$/);
  });
});
