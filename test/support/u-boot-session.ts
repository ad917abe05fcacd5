// Drives Debian's U-Boot over its console as a user would (not a test file): waits for the
// console, stops the autoboot with a key, then types one command per prompt, keeping each answer.
import { spawn } from 'node:child_process';

/** The last line U-Boot prints about its console: a key typed after it stops the autoboot. */
export const CONSOLE_UP = 'Err:   serial@10000000\n';
export const UBOOT_PROMPT = '=> ';

export interface Answer {
  readonly command: string;
  /** What U-Boot printed between the command's echo and the next prompt (\r removed). */
  readonly text: string;
  /** Wall time from typing the command to the next prompt. */
  readonly seconds: number;
}

export interface Session {
  readonly answers: readonly Answer[];
  /** All console output, \r removed. */
  readonly output: string;
  readonly status: number | null;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Boots U-Boot with `command args`, stops the autoboot and types `commands` one prompt at a
 * time. The last command leaves U-Boot (booti or poweroff); after it, `then` is typed once the
 * output shows `after`. Resolves at the process's exit; rejects on a time-out.
 */
export function uBootSession(command: string, args: readonly string[], commands: readonly string[], timeoutMs: number,
  then?: { readonly after: string; readonly type: string }): Promise<Session> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    let from = 0;
    let stage = -1; // -1: waiting for the console; then the index of the next command to type
    let typedAt = 0;
    let thenTyped = false;
    const answers: Answer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out at stage ${stage}; stderr: ${stderr}; output:\n${output.slice(-6000)}`));
    }, timeoutMs);
    const advance = () => {
      if (stage === -1) {
        const up = output.indexOf(CONSOLE_UP);
        if (up < 0) return;
        // U-Boot looks for a key already typed before it counts down (abortboot_single_key).
        child.stdin.write(' ');
        stage = 0;
        from = up + CONSOLE_UP.length;
      }
      while (stage < commands.length) {
        const prompt = output.indexOf(`\n${UBOOT_PROMPT}`, from);
        if (prompt < 0) return;
        if (stage > 0) {
          const line = commands[stage - 1];
          const echoed = output.indexOf(`${line}\n`, from);
          answers.push({ command: line, text: output.slice(echoed + line.length + 1, prompt + 1), seconds: elapsed() - typedAt });
        }
        from = prompt + 1 + UBOOT_PROMPT.length;
        child.stdin.write(`${commands[stage]}\r`);
        typedAt = elapsed();
        stage++;
      }
      if (then !== undefined && !thenTyped && output.indexOf(then.after, from) >= 0) {
        child.stdin.write(then.type);
        thenTyped = true;
      }
    };
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      output += chunk.replace(/\r/g, '');
      advance();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdin.on('error', () => { /* the machine powered off before reading everything */ });
    child.on('close', (status) => {
      clearTimeout(timer);
      if (stage < commands.length) reject(new Error(`exited (${status}) at stage ${stage}; stderr: ${stderr}; output:\n${output.slice(-6000)}`));
      else resolve({ answers, output, status, stderr, seconds: elapsed() });
    });
  });
}

