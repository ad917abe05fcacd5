// `lantern batch JOBFILE [--jobs N] [--out DIR] [--junit FILE] [--shard K/N]`: runs a job
// file's kernels (job-file.ts) as Lantern child processes, N at a time, with progress on
// stderr, a log per job, a summary on stdout and a JUnit report. Exit status 0 when every job
// passed, 1 when any failed, 2 for a bad command line or job file (one "lantern: batch:" line).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobFileError, parseJobFile, type Job } from './job-file';
import { junitReport } from './junit';
import { BatchProgress, type ProgressStream } from './progress';
import { startJob, type JobRunner, type RunningJob } from './run-job';
import { describeFailure, firstReason, type JobResult } from './verdict';

const ALL_PASSED = 0;
const SOME_FAILED = 1;
const BAD_INPUT = 2;
/** Exit status after SIGINT or SIGTERM, as a shell reports a process ended by SIGINT. */
const INTERRUPTED = 130;

/** The text of `lantern batch --help`. */
export function batchUsage(): string {
  return `usage: lantern batch JOBFILE [options]
Runs the kernels a job file lists, each with its console script and output checks.
  --jobs N, -j N   jobs at a time (default: the number of cores, ${os.availableParallelism()} here)
  --out DIR        write each job's output to DIR/NAME.log
  --junit FILE     write a JUnit XML report to FILE
  --shard K/N      run only every Nth job, from the Kth (0-based): job i when i % N == K
  --help           this text
Exit status: 0 when every job passed, 1 when any failed, 2 for a bad command line or job file.
The job file's format is described in server/src/batch/job-file.ts and samples/batch/README.md.`;
}

interface BatchOptions {
  readonly jobFile: string;
  readonly parallel: number;
  readonly out?: string;
  readonly junit?: string;
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Where the batch writes, and how it starts Lantern (the running CLI by default). */
export interface BatchHost {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  readonly node: string;
  readonly cli: string;
}

class BatchUsageError extends Error {}

/** Runs `lantern batch` with `argv` (the arguments after "batch"); resolves to the exit status. */
export async function runBatch(argv: readonly string[], host: BatchHost = processHost()): Promise<number> {
  let options: BatchOptions | 'help';
  let jobs: readonly Job[];
  let folder: string;
  try {
    options = parseBatchArguments(argv);
    if (options === 'help') {
      host.stdout.write(`${batchUsage()}\n`);
      return ALL_PASSED;
    }
    ({ jobs, folder } = readJobs(options));
    prepareOutputs(options);
  } catch (error) {
    if (!(error instanceof BatchUsageError || error instanceof JobFileError)) throw error;
    host.stderr.write(`lantern: batch: ${error.message}\n`);
    return BAD_INPUT;
  }
  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-batch-'));
  const runner: JobRunner = { node: host.node, cli: host.cli, cwd: folder, workRoot };
  const running = new Set<RunningJob>();
  const interrupt = (signal: NodeJS.Signals) => {
    for (const job of running) job.kill();
    fs.rmSync(workRoot, { recursive: true, force: true });
    host.stderr.write(`\nlantern: batch: interrupted by ${signal}\n`);
    process.exit(INTERRUPTED);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const startedAt = new Date();
  const started = performance.now();
  try {
    const progress = new BatchProgress(host.stderr, jobs.length);
    progress.start();
    const results = await runAll(jobs, options.parallel, async (job) => {
      const handle = startJob(job, runner);
      running.add(handle);
      const result = await handle.result;
      running.delete(handle);
      if (options.out !== undefined) fs.writeFileSync(path.join(options.out, `${job.name}.log`), logText(result));
      progress.finished(result);
      return result;
    });
    progress.end();
    const seconds = (performance.now() - started) / 1000;
    if (options.junit !== undefined) {
      const name = path.basename(options.jobFile).replace(/\.json$/i, '');
      fs.writeFileSync(options.junit, junitReport({ name, results, seconds, startedAt, hostname: os.hostname() }));
    }
    host.stdout.write(summary(results, seconds, options));
    return results.every((result) => result.outcome.kind === 'passed') ? ALL_PASSED : SOME_FAILED;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

function processHost(): BatchHost {
  // The running script (dist/cli.js, or bin/lantern.js that loads it) starts each job, so a
  // batch runs the same Lantern as itself wherever it is installed.
  return { stdout: process.stdout, stderr: process.stderr, node: process.execPath, cli: process.argv[1] ?? __filename };
}

function parseBatchArguments(argv: readonly string[]): BatchOptions | 'help' {
  let jobFile: string | undefined;
  let parallel = os.availableParallelism();
  let out: string | undefined;
  let junit: string | undefined;
  let shard: BatchOptions['shard'];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new BatchUsageError(`${flag} needs a value (lantern batch --help)`);
      return next;
    };
    switch (flag) {
      case '-h': case '--help': case '-help': return 'help';
      case '-j': case '--jobs': {
        const text = value();
        if (!/^[1-9]\d{0,3}$/.test(text)) throw new BatchUsageError(`${flag} ${text}: expected a number of jobs from 1 to 9999`);
        parallel = Number(text);
        break;
      }
      case '--out': out = value(); break;
      case '--junit': junit = value(); break;
      case '--shard': {
        const text = value();
        const match = /^(\d+)\/(\d+)$/.exec(text);
        if (!match || Number(match[2]) < 1 || Number(match[1]) >= Number(match[2])) {
          throw new BatchUsageError(`--shard ${text}: expected K/N with 0 <= K < N`);
        }
        shard = { index: Number(match[1]), count: Number(match[2]) };
        break;
      }
      default:
        if (flag.startsWith('-')) throw new BatchUsageError(`unknown option '${flag}' (lantern batch --help)`);
        if (jobFile !== undefined) throw new BatchUsageError(`unexpected argument '${flag}': one job file at a time`);
        jobFile = flag;
    }
  }
  if (jobFile === undefined) throw new BatchUsageError('no job file (usage: lantern batch JOBFILE [--jobs N] [--out DIR] [--junit FILE])');
  return { jobFile, parallel, out, junit, shard };
}

function readJobs(options: BatchOptions): { jobs: readonly Job[]; folder: string } {
  let text: string;
  try {
    text = fs.readFileSync(options.jobFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BatchUsageError(`${options.jobFile}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (error as Error).message}`);
  }
  let parsed;
  try {
    parsed = parseJobFile(text, options.jobFile);
  } catch (error) {
    if (error instanceof JobFileError) throw new JobFileError(`${options.jobFile}: ${error.message}`);
    throw error;
  }
  const shard = options.shard;
  const jobs = shard === undefined ? parsed.jobs : parsed.jobs.filter((_, index) => index % shard.count === shard.index);
  return { jobs, folder: parsed.folder };
}

/** Makes the log folder and the report's folder before any job runs, so a bad path costs nothing. */
function prepareOutputs(options: BatchOptions): void {
  const make = (folder: string, what: string) => {
    try {
      fs.mkdirSync(folder, { recursive: true });
      fs.accessSync(folder, fs.constants.W_OK);
    } catch (error) {
      throw new BatchUsageError(`${what} ${folder}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  if (options.out !== undefined) make(options.out, '--out');
  if (options.junit !== undefined) make(path.dirname(path.resolve(options.junit)), '--junit');
}

/** Runs `each` over `jobs`, at most `parallel` at a time; the results in the jobs' order. */
async function runAll(jobs: readonly Job[], parallel: number, each: (job: Job) => Promise<JobResult>): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await each(jobs[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results;
}

/** NAME.log: the console output, Lantern's messages, then the verdict. */
function logText(result: JobResult): string {
  const parts = [result.output];
  if (result.output !== '' && !result.output.endsWith('\n')) parts.push('\n');
  if (result.messages !== '') parts.push(`--- lantern's messages (stderr) ---\n${result.messages}${result.messages.endsWith('\n') ? '' : '\n'}`);
  const ended = result.signal !== null ? `killed by ${result.signal}` : result.status === null ? 'not started' : `exit status ${result.status}`;
  const verdict = result.outcome.kind === 'passed' ? 'passed' : result.outcome.kind === 'error' ? 'could not run' : 'failed';
  parts.push(`--- lantern batch: ${result.job.name} ${verdict} in ${result.seconds.toFixed(2)} s (${ended}) ---\n`);
  if (result.outcome.kind === 'failed') parts.push(...result.outcome.failures.map((failure) => `${describeFailure(failure)}\n`));
  if (result.outcome.kind === 'error') parts.push(`${result.outcome.message}\n`);
  return parts.join('');
}

/** The end of the run on stdout: each job that did not pass, then the counts. */
function summary(results: readonly JobResult[], seconds: number, options: BatchOptions): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.outcome.kind === 'passed') continue;
    lines.push(`${result.outcome.kind === 'error' ? 'error' : 'failed'}: ${result.job.name}: ${firstReason(result.outcome)}`);
  }
  const passed = results.filter((result) => result.outcome.kind === 'passed').length;
  const errors = results.filter((result) => result.outcome.kind === 'error').length;
  const notRun = errors > 0 ? ` (${errors} could not run)` : '';
  lines.push(`${results.length} job${results.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s: ${passed} passed, ${results.length - passed} failed${notRun}`);
  if (options.out !== undefined) lines.push(`logs: ${path.join(options.out, 'NAME.log')}`);
  if (options.junit !== undefined) lines.push(`JUnit report: ${options.junit}`);
  return `${lines.join('\n')}\n`;
}
