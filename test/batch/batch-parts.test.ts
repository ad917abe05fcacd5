// The parts of `lantern batch` that need no guest: the job file's defaults and paths, the
// console script over output arriving in pieces, XML escaping, and the progress bar on a TTY.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleScript, ConsoleText } from '../../server/src/batch/console-script';
import { parseJobFile, type Job, type ScriptStep } from '../../server/src/batch/job-file';
import { junitReport, text } from '../../server/src/batch/junit';
import { BatchProgress } from '../../server/src/batch/progress';
import type { JobResult } from '../../server/src/batch/verdict';

describe('job file', () => {
  it('applies the defaults, resolves files against its folder and labels each check', () => {
    const file = parseJobFile(JSON.stringify({
      defaults: { args: ['-M', 'virt'], expect: [{ notContains: 'panic' }], timeout: 5, files: { 'a.img': 'disks/a.img', 'b.img': 'b.img' }, steps: [{ type: 'x' }] },
      jobs: [
        { name: 'one', args: ['-kernel', 'k.elf'], expect: [{ regex: 'ok', flags: 'i' }], files: { 'b.img': '/abs/b.img' }, exitStatus: null },
        { name: 'two', steps: [{ waitFor: 'login:', send: '\u0001x' }], timeout: 1.5, exitStatus: 3 },
      ],
    }), '/course/grade.json');
    expect(file.folder).toBe(path.resolve('/course'));
    const [one, two] = file.jobs;
    expect(one.args).toEqual(['-M', 'virt', '-kernel', 'k.elf']);
    expect(one.expect.map((check) => check.where)).toEqual(['defaults.expect[0]', 'expect[0]']);
    expect(one.files).toEqual([{ name: 'a.img', source: path.resolve('/course/disks/a.img') }, { name: 'b.img', source: path.resolve('/abs/b.img') }]);
    expect(one).toMatchObject({ exitStatus: null, timeoutSeconds: 5, steps: [{ input: 'x\n' }] });
    expect(two).toMatchObject({ exitStatus: 3, timeoutSeconds: 1.5, steps: [{ waitFor: { kind: 'text', text: 'login:' }, input: '\u0001x' }] });
  });

  it('names the job and the field of what it refuses', () => {
    const refuse = (json: unknown) => () => parseJobFile(JSON.stringify(json), 'g.json');
    expect(refuse({ jobs: [{ name: 'a', steps: [{ type: 'two\nlines' }] }] })).toThrow('job "a": steps[0].type: a typed line holds no line break');
    expect(refuse({ jobs: [{ name: 'a', expect: [{ contains: 'x', flags: 'i' }] }] })).toThrow('job "a": expect[0].flags: flags go with regex or notRegex');
    expect(refuse({ jobs: [{ name: 'a', exitStatus: 256 }] })).toThrow('job "a": exitStatus: expected an integer from 0 to 255');
    expect(refuse({ defaults: { name: 'x' }, jobs: [{ name: 'a' }] })).toThrow('defaults: unknown field "name"');
    expect(refuse({ jobs: [{ name: '.hidden' }] })).toThrow('jobs[0]: name: ".hidden" is not a name');
    expect(refuse({ jobs: [{ name: 'a', steps: [{}] }] })).toThrow('job "a": steps[0]: expected "waitFor", "type" or "send"');
  });
});

describe('console script', () => {
  const steps = (...list: ScriptStep[]) => new ConsoleScript(list);

  it('finds text split across chunks, and a prompt printed again as the next step', () => {
    const script = steps(
      { waitFor: { kind: 'text', text: '$ ' }, input: 'ls\n' },
      { waitFor: { kind: 'text', text: '$ ' }, input: 'exit\n' },
    );
    let output = 'boot\n$';
    expect(script.advance(output)).toEqual([]);
    output += ' ';
    expect(script.advance(output)).toEqual(['ls\n']);
    expect(script.position.index).toBe(1);
    output += 'ls\nfile\n$ ';
    expect(script.advance(output)).toEqual(['exit\n']);
    expect(script.done).toBe(true);
  });

  it('anchors a multiline regex at line starts of the whole output, and types an unconditional step at once', () => {
    const script = steps({ input: 'early\n' }, { waitFor: { kind: 'regex', source: '^login: $', flags: 'm' }, input: 'root\n' });
    expect(script.advance('')).toEqual(['early\n']);
    expect(script.advance('xlogin: ')).toEqual([]);
    expect(script.advance('xlogin: \nlogin: ')).toEqual(['root\n']);
  });

  it('reads "\\r\\n" as "\\n" and UTF-8 split between chunks', () => {
    const screen = new ConsoleText();
    const bytes = Buffer.from('a\r\nb\u00e9\r\n\r');
    screen.append(bytes.subarray(0, 2)); // "a\r"
    screen.append(bytes.subarray(2, 5)); // "\nb" and half of é
    screen.append(bytes.subarray(5));
    screen.end();
    expect(screen.text).toBe('a\nb\u00e9\n\r');
  });
});

describe('JUnit report', () => {
  it('escapes markup and drops what XML 1.0 cannot hold', () => {
    expect(text('a < b && c > d\u001b[31m\u0000\ud800ok\u{1f600}\ttab')).toBe('a &lt; b &amp;&amp; c &gt; d[31mok\u{1f600}\ttab');
    const job: Job = { name: 'j', args: [], steps: [], expect: [], exitStatus: 0, timeoutSeconds: 1, files: [] };
    const result: JobResult = {
      job, seconds: 0.25, output: 'x\u0007y\n', messages: '', status: 0, signal: null,
      outcome: { kind: 'error', message: 'files: no such file: "q" <x>' },
    };
    const xml = junitReport({ name: 's"1', results: [result], seconds: 1, startedAt: new Date(0), hostname: 'h' });
    expect(xml).toContain('<testsuite name="s&quot;1" tests="1" failures="0" errors="1" skipped="0" time="1.000" timestamp="1970-01-01T00:00:00" hostname="h">');
    expect(xml).toContain('<error message="files: no such file: &quot;q&quot; &lt;x&gt;" type="not-run"/>');
    expect(xml).toContain('<system-out>xy\n</system-out>');
  });
});

describe('progress', () => {
  it('redraws one bar on a terminal, each failure printed above it', () => {
    const written: string[] = [];
    const progress = new BatchProgress({ isTTY: true, write: (chunk: string) => written.push(chunk) }, 2);
    const job = (name: string): Job => ({ name, args: [], steps: [], expect: [], exitStatus: 0, timeoutSeconds: 1, files: [] });
    const base = { seconds: 0.5, output: '', messages: '', status: 0, signal: null };
    progress.start();
    progress.finished({ ...base, job: job('a'), outcome: { kind: 'passed' } });
    progress.finished({ ...base, job: job('b'), outcome: { kind: 'failed', failures: [{ kind: 'timed-out', seconds: 1 }] } });
    progress.end();
    expect(written).toEqual([
      '\r[....................] 0/2 passed 0 failed 0\x1b[K',
      '\r[##########..........] 1/2 passed 1 failed 0\x1b[K',
      '\r[2/2] failed b: timed out after 1 s (0.50 s)\x1b[K\n',
      '\r[####################] 2/2 passed 1 failed 1\x1b[K',
      '\n',
    ]);
  });
});
