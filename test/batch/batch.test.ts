// `lantern batch` end to end through the built CLI: 20 minikernel jobs, two at a time, one
// failing on a wrong expected text and one timing out; the exit status, the progress lines,
// the summary, each job's log and verdict, the JUnit report; the example in samples/batch
// passing; a malformed job file refused with one line and status 2.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostBundle } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const kernel = path.join(root, 'samples/minikernel/minikernel.elf');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-batch-test-'));
const HANG_SECONDS = 3;

function batch(script: string, ...args: string[]) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [script, 'batch', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, seconds: (performance.now() - started) / 1000 };
}

interface TestJob {
  name: string;
  harts: number;
  typed: string;
}

/** 18 jobs that pass, on 1 and 2 harts, each typing its own line. */
const passing: TestJob[] = Array.from({ length: 18 }, (_, i) => ({ name: `student-${String(i).padStart(2, '0')}`, harts: 1 + (i % 2), typed: `answer ${i * 7}` }));

/** The job file: in its own folder, the kernel named relative to it. */
function writeJobFile(): string {
  const folder = path.join(dir, 'course');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'disk.img'), Buffer.concat([Buffer.from('Batch test disk.'), Buffer.alloc(4096 - 16)]));
  const jobs: unknown[] = passing.map((job, i) => ({
    name: job.name,
    args: ['-smp', String(job.harts)],
    // Alternately literal text and a regex to wait for.
    steps: [{ waitFor: i % 3 === 0 ? { regex: '^uart: type a LINE$', flags: 'mi' } : 'uart: type a line', type: job.typed }],
    expect: [
      { contains: `uart: got "${job.typed}"` },
      { contains: `spinlock: counter ${1000 * job.harts} (expected ${1000 * job.harts})` },
      { regex: `^${job.typed}$`, flags: 'm' }, // the receive interrupt's echo
      { notContains: `uart: got "answer ${i * 7 + 1}"` },
    ],
  }));
  // One with a disk: its own copy of disk.img, named through {work}.
  (jobs[5] as { args: string[]; files: Record<string, string>; expect: unknown[] }).args.push(
    '-drive', 'file={work}/disk.img,if=none,format=raw,id=d0', '-device', 'virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0',
  );
  Object.assign(jobs[5] as object, { files: { 'disk.img': 'disk.img' } });
  (jobs[5] as { expect: unknown[] }).expect.push({ contains: '"Batch test disk."' }, { regex: 'read sector 1 back: status 0, checksum [0-9a-f]+, same' });
  jobs.splice(7, 0, {
    name: 'wrong-text',
    steps: [{ waitFor: 'uart: type a line', type: 'hello' }],
    expect: [{ contains: 'uart: got "goodbye"' }],
  });
  jobs.splice(12, 0, {
    name: 'hangs',
    steps: [{ waitFor: 'this line never appears', type: 'hello' }],
    timeout: HANG_SECONDS,
  });
  const file = {
    defaults: {
      args: ['-M', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-kernel', path.relative(folder, kernel)],
      expect: [{ contains: 'kernel: user program exited with status 7' }, { notRegex: 'M-mode trap|hart \\d+: trap:' }],
      timeout: 30,
    },
    jobs,
  };
  const at = path.join(folder, 'grade.json');
  fs.writeFileSync(at, JSON.stringify(file, null, 2));
  return at;
}

/** The attributes of the first `<tag ...>` in `xml`. */
function attributesOf(xml: string, tag: string): Record<string, string> {
  const open = new RegExp(`<${tag}\\b([^>]*)>`).exec(xml);
  if (open === null) throw new Error(`no <${tag}> in the report`);
  return Object.fromEntries([...open[1].matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
}

/** Each <testcase>...</testcase> by its name. */
function testcases(xml: string): Map<string, string> {
  const cases = new Map<string, string>();
  for (const match of xml.matchAll(/<testcase name="([^"]+)"[^>]*>[\s\S]*?<\/testcase>/g)) cases.set(match[1], match[0]);
  return cases;
}

function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe.skipIf(!haveCore)('lantern batch', () => {
  beforeAll(() => {
    buildHostBundle();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs 20 jobs two at a time: 18 pass, a wrong expected text and a time-out fail', () => {
    const jobFile = writeJobFile();
    const out = path.join(dir, 'logs');
    const junit = path.join(dir, 'reports', 'junit.xml');
    const run = batch(cli, jobFile, '--jobs', '2', '--out', out, '--junit', junit);
    console.log(`lantern batch: 20 jobs on 2 at a time took ${run.seconds.toFixed(1)} s`);
    expect(run.status).toBe(1);
    const names = [...passing.map((job) => job.name), 'wrong-text', 'hangs'];

    // Progress (stderr is a pipe): one line per job as it ends, counted 1..20.
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(20);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^\\[\\s*${i + 1}/20\\] (passed|failed) `)));
    for (const name of names) expect(lines.filter((line) => line.includes(` ${name}`)).length).toBe(1);
    for (const job of passing) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[\\s*\\d+/20\\] passed ${job.name} \\(\\d+\\.\\d\\d s\\)$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\s*\d+\/20\] failed wrong-text: expect\[0\]: no "uart: got \\"goodbye\\"" in the output \(/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\s*\d+\/20\] failed hangs: timed out after 3 s waiting for steps\[0\] "this line never appears" \(3\.\d\d s\)$/));

    // The summary.
    const summary = run.stdout.split('\n');
    expect(summary[0]).toBe('failed: wrong-text: expect[0]: no "uart: got \\"goodbye\\"" in the output');
    expect(summary[1]).toBe(`failed: hangs: timed out after ${HANG_SECONDS} s waiting for steps[0] "this line never appears"`);
    expect(summary[2]).toMatch(/^20 jobs in \d+\.\d s: 18 passed, 2 failed$/);
    expect(summary[3]).toBe(`logs: ${path.join(out, 'NAME.log')}`);
    expect(summary[4]).toBe(`JUnit report: ${junit}`);

    // A log per job, with its verdict.
    expect(fs.readdirSync(out).sort()).toEqual(names.map((name) => `${name}.log`).sort());
    for (const job of passing) {
      const log = fs.readFileSync(path.join(out, `${job.name}.log`), 'utf8');
      expect(log).toContain(`minikernel: M-mode on hart 0, ${job.harts} hart${job.harts === 1 ? '' : 's'}\n`);
      expect(log).toContain(`\n${job.typed}\nuart: got "${job.typed}"\nminikernel: power off\n`);
      expect(log).toMatch(new RegExp(`--- lantern batch: ${job.name} passed in \\d+\\.\\d\\d s \\(exit status 0\\) ---\\n$`));
    }
    expect(fs.readFileSync(path.join(out, 'student-05.log'), 'utf8')).toContain('disk: read sector 0: status 0, checksum ');
    // The job wrote sector 1 of its own copy, not of the job file's disk.img.
    expect(fs.readFileSync(path.join(path.dirname(jobFile), 'disk.img')).subarray(16).every((byte) => byte === 0)).toBe(true);
    const hung = fs.readFileSync(path.join(out, 'hangs.log'), 'utf8');
    expect(hung).toContain('uart: type a line\n');
    expect(hung).toContain('lantern: terminating on signal SIGTERM');
    expect(hung).toMatch(/--- lantern batch: hangs failed in 3\.\d\d s \(exit status 0\) ---\ntimed out after 3 s/);

    // The JUnit report.
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const suite = attributesOf(xml, 'testsuite');
    expect(suite).toMatchObject({ name: 'grade', tests: '20', failures: '2', errors: '0', skipped: '0' });
    expect(Number(suite.time)).toBeGreaterThan(HANG_SECONDS);
    const cases = testcases(xml);
    expect([...cases.keys()]).toEqual(jobOrder(names));
    for (const [name, body] of cases) {
      expect(Number(attributesOf(body, 'testcase').time)).toBeGreaterThan(0);
      expect(body.includes('<failure')).toBe(name === 'wrong-text' || name === 'hangs');
      expect(body).toContain('<system-out>minikernel: M-mode on hart 0');
    }
    const wrong = cases.get('wrong-text')!;
    const failure = attributesOf(wrong, 'failure');
    expect(unescape(failure.message)).toBe('expect[0]: no "uart: got \\"goodbye\\"" in the output');
    expect(failure.type).toBe('check');
    const failureBody = unescape(/<failure[^>]*>([\s\S]*?)<\/failure>/.exec(wrong)![1]);
    expect(failureBody).toContain('The last lines of the output:\n');
    expect(failureBody).toContain('uart: got "hello"\nminikernel: power off\n');
    expect(unescape(wrong)).toContain('timer: hart 0: clint 3 machine interrupts -> 3 ticks');
    const timeout = attributesOf(cases.get('hangs')!, 'failure');
    expect(timeout.type).toBe('timed-out');
    expect(Number(attributesOf(cases.get('hangs')!, 'testcase').time)).toBeGreaterThanOrEqual(HANG_SECONDS);
    expect(run.seconds).toBeLessThan(60);
  });

  it('passes the example in samples/batch, started through bin/lantern.js', () => {
    const junit = path.join(dir, 'sample.xml');
    const run = batch(path.join(root, 'bin/lantern.js'), 'samples/batch/jobs.json', '--junit', junit);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(4);
    expect(run.stdout).toMatch(/^4 jobs in \d+\.\d s: 4 passed, 0 failed\nJUnit report: /);
    expect(run.status).toBe(0);
    expect(attributesOf(fs.readFileSync(junit, 'utf8'), 'testsuite')).toMatchObject({ name: 'jobs', tests: '4', failures: '0', errors: '0' });
  });

  it('refuses a malformed job file with one line and status 2, running nothing', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ jobs: [{ name: 'ok', args: [] }, { name: 'typo', args: [], expect: [{ contians: 'x' }] }] }));
    const out = path.join(dir, 'bad-logs');
    const run = batch(cli, file, '--out', out);
    expect(run.stderr).toBe(`lantern: batch: ${file}: job "typo": expect[0]: unknown field "contians" (expected contains, notContains, regex, notRegex, flags)\n`);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    fs.writeFileSync(file, '{"jobs": [{"name": "a",}]}');
    expect(batch(cli, file)).toMatchObject({ status: 2, stdout: '', stderr: `lantern: batch: ${file}: not valid JSON: Expected double-quoted property name in JSON at line 1 column 24\n` });
    expect(batch(cli, file, '--jobs', 'two')).toMatchObject({ status: 2, stderr: 'lantern: batch: --jobs two: expected a number of jobs from 1 to 9999\n' });
    expect(batch(cli)).toMatchObject({ status: 2, stderr: expect.stringMatching(/^lantern: batch: no job file \(usage: [^\n]*\)\n$/) });
  });
});

/** The job file's order (the report keeps it, whatever order the jobs ended in). */
function jobOrder(names: readonly string[]): string[] {
  const order = names.slice(0, 18);
  order.splice(7, 0, 'wrong-text');
  order.splice(12, 0, 'hangs');
  return order;
}
