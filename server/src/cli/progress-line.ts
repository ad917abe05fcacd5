// A long operation's progress on one terminal line (savevm, loadvm, -loadvm, clone): silent for
// its first second, then "lantern: savevm NAME: 45% (58 of 128 MiB)" at most every 250 ms, in
// place on a TTY (\r, then erase to the end of the line) or as plain lines elsewhere, and one
// final line when it ends. Nothing at all for an operation that ends within the second.
//
// It writes synchronously, from inside the operation it reports on: saves and loads are
// synchronous and are not made to yield to the event loop between chunks, because that would
// not be safe. The monitor pauses a running VM around savevm/loadvm (monitor.ts `invoke`), but
// while a command runs, nothing else waits for it: a gdb packet (`c`, `s`), a DAP request or a
// key typed at the console (Machine.sendInput, which virtio-console delivers into guest RAM)
// would run in the gap and change a state half saved, or resume harts over a RAM half loaded.
// Writes to process.stderr are synchronous for a TTY or a file (and a pipe, on POSIX), so each
// line shows as it is written, with no turn of the event loop needed.
import type { RamProgress } from '../snapshot/ram';

/** Where the line goes: process.stderr, or a test's recorder. */
export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal: the line is rewritten in place. */
  readonly isTTY?: boolean;
}

export interface ProgressLineOptions {
  readonly stream: ProgressStream;
  /** What runs, as the line names it: "savevm NAME". */
  readonly label: string;
  /** Milliseconds on a monotonic clock (performance.now by default; tests pass their own). */
  readonly now?: () => number;
  /** Silent until the operation has lasted longer than this (ms). */
  readonly delayMs?: number;
  /** Then at most one line this often (ms). */
  readonly intervalMs?: number;
}

const DELAY_MS = 1000;
const INTERVAL_MS = 250;
const MIB = 1 << 20;
/** ANSI "erase in line" (EL, to the end): what a shorter line leaves of a longer one goes. */
const ERASE_TO_END = '\x1b[K';

/** One operation's progress line. `update` is a RamProgress; `finish` ends it. */
export class ProgressLine {
  private readonly stream: ProgressStream;
  private readonly label: string;
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly started: number;
  /** When the last line was written; undefined while silent. */
  private shownAt: number | undefined;
  private lastText = '';
  private doneBytes = 0;
  private totalBytes = 0;

  constructor(options: ProgressLineOptions) {
    this.stream = options.stream;
    this.label = options.label;
    this.now = options.now ?? (() => performance.now());
    this.delayMs = options.delayMs ?? DELAY_MS;
    this.intervalMs = options.intervalMs ?? INTERVAL_MS;
    this.started = this.now();
  }

  /** Whether any line has been written. */
  get shown(): boolean {
    return this.shownAt !== undefined;
  }

  readonly update: RamProgress = (doneBytes, totalBytes) => {
    this.doneBytes = doneBytes;
    this.totalBytes = totalBytes;
    const now = this.now();
    if (this.shownAt === undefined ? now - this.started <= this.delayMs : now - this.shownAt < this.intervalMs) return;
    this.shownAt = now;
    const text = `lantern: ${this.label}: ${this.amount()}`;
    if (this.stream.isTTY) this.stream.write(`\r${text}${ERASE_TO_END}`);
    else if (text !== this.lastText) this.stream.write(`${text}\n`);
    this.lastText = text;
  };

  /** Ends the line, once it has been shown: how far it got and how long it took. */
  finish(outcome: 'done' | 'failed'): void {
    if (this.shownAt === undefined) return;
    const seconds = ((this.now() - this.started) / 1000).toFixed(1);
    const text = outcome === 'done'
      ? `lantern: ${this.label}: ${this.amount()} in ${seconds} s`
      : `lantern: ${this.label}: failed at ${this.amount()} after ${seconds} s`;
    // \r\n: the console's raw mode (host/stdio-console.ts) turns off the terminal's own \n -> \r\n.
    this.stream.write(this.stream.isTTY ? `\r${text}${ERASE_TO_END}\r\n` : `${text}\n`);
    this.shownAt = undefined;
  }

  /** "45% (58 of 128 MiB)". */
  private amount(): string {
    const percent = this.totalBytes > 0 ? Math.floor((this.doneBytes * 100) / this.totalBytes) : 100;
    return `${percent}% (${Math.floor(this.doneBytes / MIB)} of ${Math.round(this.totalBytes / MIB)} MiB)`;
  }
}

/** Runs `operation` with a progress line told of its progress, the line ended either way. */
export function withProgressLine<T>(options: ProgressLineOptions, operation: (progress: RamProgress) => T): T {
  const line = new ProgressLine(options);
  let result: T;
  try {
    result = operation(line.update);
  } catch (error) {
    line.finish('failed');
    throw error;
  }
  line.finish('done');
  return result;
}
