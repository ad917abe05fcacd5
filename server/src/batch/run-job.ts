// Runs one job: its files copied into its own folder, Lantern started as a child process with
// the job's flags and its console on pipes, the script typed as its text appears, the child
// killed at the time limit, and the verdict worked out when it has ended.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConsoleScript, ConsoleText } from './console-script';
import type { Job } from './job-file';
import { failedChecks, type JobFailure, type JobOutcome, type JobResult } from './verdict';

/** How to start Lantern, and where. */
export interface JobRunner {
  /** The node binary (process.execPath). */
  readonly node: string;
  /** The CLI script: the running one (dist/cli.js, or bin/lantern.js that loads it). */
  readonly cli: string;
  /** The jobs' working directory: the job file's folder. */
  readonly cwd: string;
  /** A folder for the jobs' own folders ({work}); each job makes its own inside. */
  readonly workRoot: string;
}

/** After SIGTERM at the time limit, how long Lantern has to stop cleanly before SIGKILL. Its
 * console takes SIGTERM as a request to quit (host/stdio-console.ts) and flushes its output. */
const KILL_GRACE_MS = 2000;
/** Lantern's own messages kept per job. */
const MAX_MESSAGE_CHARS = 1 << 20;

/** A running job, so that a batch that is interrupted can kill it. */
export interface RunningJob {
  readonly result: Promise<JobResult>;
  kill(): void;
}

/** Starts `job`; the promise settles (never rejects) once it has ended. */
export function startJob(job: Job, runner: JobRunner): RunningJob {
  let killNow = () => {};
  const result = new Promise<JobResult>((resolve) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const work = path.join(runner.workRoot, job.name);
    const settle = (outcome: JobOutcome, output = '', messages = '', status: number | null = null, signal: NodeJS.Signals | null = null) => {
      // The job's copies go as soon as it ends: a thousand disk images need not pile up.
      fs.rmSync(work, { recursive: true, force: true });
      resolve({ job, outcome, seconds: seconds(), output, messages, status, signal });
    };

    try {
      fs.mkdirSync(work, { recursive: true });
      for (const file of job.files) fs.copyFileSync(file.source, path.join(work, file.name));
    } catch (error) {
      settle({ kind: 'error', message: `files: ${describeError(error)}` });
      return;
    }

    const args = job.args.map((arg) => arg.split('{work}').join(work));
    const child = spawn(runner.node, [runner.cli, ...args], { cwd: runner.cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const consoleText = new ConsoleText();
    const script = new ConsoleScript(job.steps);
    let messages = '';
    let spawnError: Error | undefined;
    let timedOut: JobFailure | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const type = () => {
      for (const input of script.advance(consoleText.text)) child.stdin.write(input);
    };
    // A guest that ends while a line is on its way: the pipe closes, which is no error of ours.
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      consoleText.append(chunk);
      type();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (messages.length < MAX_MESSAGE_CHARS) messages += text.slice(0, MAX_MESSAGE_CHARS - messages.length);
    });
    child.on('error', (error) => {
      spawnError = error;
      // Not started at all: no 'close' may follow.
      if (child.pid === undefined) {
        clearTimeout(limit);
        settle({ kind: 'error', message: `could not start Lantern: ${error.message}` }, '', messages);
      }
    });
    type(); // steps with nothing to wait for

    const limit = setTimeout(() => {
      const { index, step } = script.position;
      timedOut = {
        kind: 'timed-out',
        seconds: job.timeoutSeconds,
        waitingFor: step?.waitFor === undefined ? undefined : { step: index, pattern: step.waitFor },
      };
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    }, job.timeoutSeconds * 1000);
    killNow = () => child.kill('SIGKILL');

    child.on('close', (status, signal) => {
      clearTimeout(limit);
      clearTimeout(killTimer);
      consoleText.end();
      const output = consoleText.text;
      if (spawnError !== undefined) {
        settle({ kind: 'error', message: `could not start Lantern: ${spawnError.message}` }, output, messages, status, signal);
        return;
      }
      const failures: JobFailure[] = [];
      if (timedOut !== undefined) failures.push(timedOut);
      else {
        // The status first: when Lantern refused the kernel or flags, its message says why the rest failed.
        if (job.exitStatus !== null && (status !== job.exitStatus || signal !== null)) {
          const said = messages.trimEnd().split('\n').pop();
          failures.push({ kind: 'exit-status', expected: job.exitStatus, status, signal, said: said === '' ? undefined : said });
        }
        const { index, step } = script.position;
        if (step?.waitFor !== undefined) failures.push({ kind: 'script-unfinished', step: index, pattern: step.waitFor });
      }
      failures.push(...failedChecks(job, output));
      const dropped = consoleText.droppedChars;
      const kept = dropped > 0 ? `${output}\n[lantern batch: ${dropped} more characters of output not kept]\n` : output;
      settle(failures.length === 0 ? { kind: 'passed' } : { kind: 'failed', failures }, kept, messages, status, signal);
    });
  });
  return { result, kill: () => killNow() };
}

function describeError(error: unknown): string {
  const failure = error as NodeJS.ErrnoException;
  if (failure.code === 'ENOENT' && failure.path !== undefined) return `no such file: ${failure.path}`;
  return failure.message ?? String(error);
}
