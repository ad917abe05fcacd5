// The batch's progress on stderr: on a terminal one line redrawn as jobs end
// ("[#########...........] 9/20 passed 8 failed 1", each failure printed above it); elsewhere
// (a CI log, a pipe) one line per job as it ends.
import { firstReason, type JobResult } from './verdict';

/** Where progress goes: process.stderr, or a test's recorder. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const BAR_WIDTH = 20;
/** ANSI "erase in line" (EL, to the end): what a shorter line leaves of a longer one goes. */
const ERASE_TO_END = '\x1b[K';

export class BatchProgress {
  private done = 0;
  private passed = 0;
  private failed = 0;
  private readonly width: number;

  constructor(private readonly stream: ProgressStream, private readonly total: number) {
    this.width = String(total).length;
  }

  /** Before the first job: the empty bar (on a terminal). */
  start(): void {
    if (this.stream.isTTY) this.drawBar();
  }

  /** A job has ended. */
  finished(result: JobResult): void {
    this.done++;
    if (result.outcome.kind === 'passed') this.passed++;
    else this.failed++;
    const line = this.describe(result);
    if (!this.stream.isTTY) {
      this.stream.write(`${line}\n`);
      return;
    }
    if (result.outcome.kind !== 'passed') this.stream.write(`\r${line}${ERASE_TO_END}\n`);
    this.drawBar();
  }

  /** After the last job: the bar's line is ended. */
  end(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }

  /** "[ 3/20] passed smp1-hello (0.41 s)" or "[ 4/20] failed wrong-text: expect[0]: ... (0.39 s)". */
  private describe(result: JobResult): string {
    const count = `[${String(this.done).padStart(this.width)}/${this.total}]`;
    const time = `(${result.seconds.toFixed(2)} s)`;
    const reason = firstReason(result.outcome);
    const verdict = result.outcome.kind === 'passed' ? 'passed' : result.outcome.kind === 'error' ? 'error' : 'failed';
    return reason === undefined ? `${count} ${verdict} ${result.job.name} ${time}` : `${count} ${verdict} ${result.job.name}: ${reason} ${time}`;
  }

  private drawBar(): void {
    const filled = this.total === 0 ? BAR_WIDTH : Math.floor((this.done * BAR_WIDTH) / this.total);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    this.stream.write(`\r${bar} ${this.done}/${this.total} passed ${this.passed} failed ${this.failed}${ERASE_TO_END}`);
  }
}
