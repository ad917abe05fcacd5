// Shared setup of the Linux suite (not a test file): where build.sh put the guest, the
// firmware, and one boot of it — a child process (Lantern's CLI or QEMU) whose console is
// the test's, with the line the guest's init reads typed once it asks for it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package root: the nearest folder above this file (or its bundle in dist/, for the bench) with package.json. */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('package.json not found');
  }
}

export const ROOT = packageRoot(__dirname);
export const CLI = path.join(ROOT, 'dist', 'cli.js');
/** build.sh's cache ($LANTERN_LINUX_BUILD, as the script reads it). */
export const BUILD = process.env.LANTERN_LINUX_BUILD ?? path.join(ROOT, 'samples', 'linux', 'build');
export const IMAGE = path.join(BUILD, 'Image');
export const INITRAMFS = path.join(BUILD, 'initramfs.cpio.gz');
export const ROOTFS = path.join(BUILD, 'rootfs.ext2');
export const BOOTFS = path.join(BUILD, 'boot.ext2');
export const OPENSBI = '/usr/lib/riscv64-linux-gnu/opensbi/generic';
export const FW_JUMP = path.join(OPENSBI, 'fw_jump.bin');
export const FW_DYNAMIC = path.join(OPENSBI, 'fw_dynamic.bin');
export const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';
export const QEMU = 'qemu-system-riscv64';

/** What init prints first (samples/linux/init.c). */
export const GREETING = 'Hello from Linux init on Lantern';
/** What init asks before it reads a line, and the line the test types. */
export const PROMPT = 'type a line: ';
export const TYPED = 'the quick brown fox 12345';

export interface Step {
  /** Once the output holds this (after the previous step's), type `type`. */
  readonly after: string;
  readonly type: string;
}

export interface Boot {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The console output, \r\n as \n. */
  readonly transcript: string;
  readonly stderr: string;
  readonly seconds: number;
  /** Seconds from the start to the greeting (undefined if it never came). */
  readonly greetingSeconds?: number;
  readonly timedOut: boolean;
}

export interface BootOptions {
  /** What to type and when; by default one step, the test's line after init's prompt. */
  readonly steps?: readonly Step[];
  /** Kill the run once the greeting shows (the bench's time to the greeting). */
  readonly untilGreeting?: boolean;
}

/** Runs `command args` to its end (or `timeoutMs`), typing each step's text once its cue shows. */
export function boot(command: string, args: readonly string[], timeoutMs: number,
  { steps = [{ after: PROMPT, type: `${TYPED}\n` }], untilGreeting = false }: BootOptions = {}): Promise<Boot> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let transcript = '';
    let stderr = '';
    let next = 0;
    let searchFrom = 0;
    let greetingSeconds: number | undefined;
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      transcript += chunk;
      transcript = transcript.replace(/\r\n/g, '\n');
      if (greetingSeconds === undefined && transcript.includes(GREETING)) {
        greetingSeconds = elapsed();
        if (untilGreeting) child.kill('SIGKILL');
      }
      while (next < steps.length) {
        const at = transcript.indexOf(steps[next].after, searchFrom);
        if (at < 0) break;
        searchFrom = at + steps[next].after.length;
        child.stdin.write(steps[next].type);
        next++;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdin.on('error', () => { /* the guest powered off before reading everything */ });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, transcript, stderr: stderr + String(error), seconds: elapsed(), greetingSeconds, timedOut });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, transcript, stderr, seconds: elapsed(), greetingSeconds, timedOut });
    });
  });
}

/** The results init prints that must equal QEMU's: FP arithmetic, and the forked pair's FP recurrences. */
export function floatingPointLines(transcript: string): string[] {
  return transcript.split('\n')
    .filter((line) => /^(fp64|fp32) /.test(line) || /^(child \d|parent): /.test(line))
    .sort(); // the children finish in any order
}

export function haveGuest(): boolean {
  return fs.existsSync(IMAGE) && fs.existsSync(INITRAMFS) && fs.existsSync(ROOTFS) && fs.existsSync(BOOTFS);
}
