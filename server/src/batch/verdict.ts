// What a finished job comes to: the ways it can fail (a closed set), the checks on its output,
// and each failure said in one line for the progress, the summary and the JUnit report.
import { describePattern, type Job, type OutputCheck, type TextPattern } from './job-file';

/** One reason a job failed. */
export type JobFailure =
  | { readonly kind: 'timed-out'; readonly seconds: number; readonly waitingFor?: { readonly step: number; readonly pattern: TextPattern } }
  | { readonly kind: 'script-unfinished'; readonly step: number; readonly pattern: TextPattern }
  | {
    readonly kind: 'exit-status'; readonly expected: number; readonly status: number | null; readonly signal: NodeJS.Signals | null;
    /** Lantern's last message, which says why when it refused the flags or the kernel. */
    readonly said?: string;
  }
  | { readonly kind: 'check'; readonly where: string; readonly check: OutputCheck };

/** A job's verdict. `error`: it could not be run at all (its files, the process itself). */
export type JobOutcome =
  | { readonly kind: 'passed' }
  | { readonly kind: 'failed'; readonly failures: readonly JobFailure[] }
  | { readonly kind: 'error'; readonly message: string };

/** A job once it has ended. */
export interface JobResult {
  readonly job: Job;
  readonly outcome: JobOutcome;
  /** Wall-clock seconds from start to end. */
  readonly seconds: number;
  /** The console output ("\r\n" as "\n"). */
  readonly output: string;
  /** Lantern's own messages (stderr). */
  readonly messages: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The checks of `job` that `output` breaks. */
export function failedChecks(job: Job, output: string): JobFailure[] {
  const failures: JobFailure[] = [];
  for (const { where, check } of job.expect) {
    if (!holds(check, output)) failures.push({ kind: 'check', where, check });
  }
  return failures;
}

function holds(check: OutputCheck, output: string): boolean {
  switch (check.kind) {
    case 'contains': return output.includes(check.text);
    case 'not-contains': return !output.includes(check.text);
    case 'regex': return new RegExp(check.source, check.flags).test(output);
    case 'not-regex': return !new RegExp(check.source, check.flags).test(output);
  }
}

/** One line: `expect[1]: no "uart: got" in the output`. */
export function describeFailure(failure: JobFailure): string {
  switch (failure.kind) {
    case 'timed-out': {
      const waiting = failure.waitingFor === undefined
        ? ''
        : ` waiting for steps[${failure.waitingFor.step}] ${describePattern(failure.waitingFor.pattern)}`;
      return `timed out after ${failure.seconds} s${waiting}`;
    }
    case 'script-unfinished':
      return `steps[${failure.step}]: ${describePattern(failure.pattern)} never appeared before the guest ended`;
    case 'exit-status': {
      const ended = failure.signal !== null ? `was killed by ${failure.signal}` : `exited with status ${failure.status}`;
      const said = failure.said === undefined ? '' : ` (${failure.said})`;
      return `exit status: expected ${failure.expected}, but Lantern ${ended}${said}`;
    }
    case 'check': {
      const pattern = describePattern(failure.check);
      const what = failure.check.kind === 'contains' || failure.check.kind === 'regex'
        ? `no ${pattern} in the output`
        : `the output has ${pattern}`;
      return `${failure.where}: ${what}`;
    }
  }
}

/** The first reason a job did not pass, or undefined when it passed. */
export function firstReason(outcome: JobOutcome): string | undefined {
  switch (outcome.kind) {
    case 'passed': return undefined;
    case 'failed': return describeFailure(outcome.failures[0]);
    case 'error': return outcome.message;
  }
}

/** The last `count` lines of `output` (without a final empty line). */
export function lastLines(output: string, count: number): string {
  const lines = output.replace(/\n$/, '').split('\n');
  return lines.slice(-count).join('\n');
}
