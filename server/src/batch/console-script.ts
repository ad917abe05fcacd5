// A job's console as the batch sees it: the guest's output gathered as text ("\r\n" read as
// "\n", capped), and the script that waits for text in it and answers with typed input.
import { StringDecoder } from 'node:string_decoder';
import type { ScriptStep, TextPattern } from './job-file';

/** Console text kept per job: beyond it a runaway guest's output is counted, not kept. */
export const MAX_OUTPUT_CHARS = 32 << 20;
/** A regex wait re-scans at most this much already-seen output per chunk (so a guest that
 * prints without end while a step waits costs linear time); longer matches are not found. */
const REGEX_RESCAN_CHARS = 64 << 10;

/** The console output so far, decoded as UTF-8 across chunk boundaries. */
export class ConsoleText {
  private readonly decoder = new StringDecoder('utf8');
  private kept = '';
  /** A "\r" at the end of the last chunk: a "\n" may follow in the next. */
  private carriageReturn = false;
  private dropped = 0;

  /** Adds a chunk of output. */
  append(chunk: Buffer): void {
    this.add(this.decoder.write(chunk));
  }

  /** The output has ended. */
  end(): void {
    this.add(this.decoder.end());
    if (this.carriageReturn) this.keep('\r');
    this.carriageReturn = false;
  }

  /** Everything kept, "\r\n" as "\n". */
  get text(): string {
    return this.kept;
  }

  /** Characters past MAX_OUTPUT_CHARS that were not kept. */
  get droppedChars(): number {
    return this.dropped;
  }

  private add(decoded: string): void {
    if (decoded === '') return;
    let text = this.carriageReturn ? `\r${decoded}` : decoded;
    this.carriageReturn = text.endsWith('\r');
    if (this.carriageReturn) text = text.slice(0, -1);
    this.keep(text.replace(/\r\n/g, '\n'));
  }

  private keep(text: string): void {
    const room = MAX_OUTPUT_CHARS - this.kept.length;
    if (text.length > room) {
      this.dropped += text.length - Math.max(room, 0);
      text = text.slice(0, Math.max(room, 0));
    }
    this.kept += text;
  }
}

/** Where the script is: the step it waits on (undefined once every step is done). */
export interface ScriptPosition {
  readonly index: number;
  readonly step: ScriptStep | undefined;
}

/** Runs a job's console script over its output: each step's text is looked for after where
 * the previous step's was found, so a prompt printed again is a new match. */
export class ConsoleScript {
  private index = 0;
  /** Where the next search starts: just after the last match. */
  private from = 0;
  /** How far the current step has looked already. */
  private scanned = 0;

  constructor(private readonly steps: readonly ScriptStep[]) {}

  get position(): ScriptPosition {
    return { index: this.index, step: this.steps[this.index] };
  }

  get done(): boolean {
    return this.index >= this.steps.length;
  }

  /** Looks at the output so far; returns what to type now, in order (possibly nothing). */
  advance(output: string): string[] {
    const typed: string[] = [];
    while (!this.done) {
      const step = this.steps[this.index];
      if (step.waitFor !== undefined) {
        const end = this.find(step.waitFor, output);
        if (end === undefined) {
          this.scanned = output.length;
          return typed;
        }
        this.from = end;
        this.scanned = end;
      }
      if (step.input !== undefined) typed.push(step.input);
      this.index++;
    }
    return typed;
  }

  /** The end of the first match at or after `from`, if any. */
  private find(pattern: TextPattern, output: string): number | undefined {
    if (pattern.kind === 'text') {
      // Only the part not yet searched, plus what could straddle the old end.
      const start = Math.max(this.from, this.scanned - pattern.text.length + 1);
      const at = output.indexOf(pattern.text, start);
      return at < 0 ? undefined : at + pattern.text.length;
    }
    // 'g' so that exec starts at lastIndex over the whole output: ^, \b and lookbehinds see
    // the text before the start as it is.
    const regex = new RegExp(pattern.source, `${pattern.flags}g`);
    regex.lastIndex = Math.max(this.from, this.scanned - REGEX_RESCAN_CHARS);
    const match = regex.exec(output);
    if (match === null) return undefined;
    // An empty match still moves on: the next step looks after it.
    return match.index + match[0].length;
  }
}
