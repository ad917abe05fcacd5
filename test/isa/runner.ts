// runner.ts — the ISA suites' shared runner: build once, run each program under Lantern and QEMU.
//
// isa.test.ts (RV64, test/isa) and rv32/isa32.test.ts (RV32, test/isa/rv32) each call
// defineIsaSuite with what differs between them: the directory, the QEMU binary and
// options, Lantern's options, which ELF Lantern runs, the timeout, and the programs
// that fail on purpose or run under Lantern only.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { hasTool, RISCV_GCC } from '../support/guest-tools';

const repoRoot = path.resolve(__dirname, '..', '..');
const lanternCli = path.join(repoRoot, 'dist', 'cli.js');

export interface IsaSuite {
  /** Directory holding src/*.S, build.sh and (after building) build/. */
  dir: string;
  /** What the suite runs, in its title and messages: 'ISA programs', 'RV32 ISA programs'. */
  what: string;
  /** QEMU's binary and options (without -kernel). */
  qemu: string;
  qemuArgs: string[];
  /** Lantern's options (without -kernel), and its name in the test titles. */
  lanternArgs: string[];
  lanternTitle: string;
  /** Where the ELF Lantern runs is, relative to build/ ('' = the one QEMU runs). */
  lanternBuild: string;
  /** Why Lantern cannot run the programs yet; unset: it runs them. */
  lanternSkip?: string;
  timeoutMs: number;
  /** Exit status each program must end with (all others: 0). */
  expectedStatus: Record<string, number>;
  /** Programs QEMU gets wrong, each with the deviation: they run under Lantern only. */
  lanternOnly?: Record<string, string>;
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (or kills it after timeoutMs); never rejects. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, timedOut, stdout, stderr: `${stderr}${String(error)}\n` });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, timedOut, stdout, stderr });
    });
  });
}

/** Declares the suite: one describe block, built once, two tests per program. */
export function defineIsaSuite(suite: IsaSuite): void {
  const rel = path.relative(repoRoot, suite.dir).split(path.sep).join('/');
  const buildDir = path.join(suite.dir, 'build');
  const lanternDir = path.join(buildDir, suite.lanternBuild);
  const lanternOnly = suite.lanternOnly ?? {};
  const { timeoutMs, expectedStatus } = suite;

  const programs = readdirSync(path.join(suite.dir, 'src'))
    .filter((file) => file.endsWith('.S'))
    .map((file) => file.slice(0, -2))
    .sort();
  const haveGcc = hasTool(RISCV_GCC);
  const haveQemu = hasTool(suite.qemu);
  if (!haveGcc) {
    console.warn(`${rel}: riscv64-unknown-elf-gcc not found on PATH: skipping the ${suite.what}`);
  }

  function describeRun(name: string, runner: string, result: RunResult): string {
    const how = result.timedOut
      ? `timed out after ${timeoutMs} ms`
      : result.signal !== null
        ? `killed by ${result.signal}`
        : `exited with status ${result.status}`;
    const hint = result.status !== null && result.status > 0 && !result.timedOut
      ? ` (check ${result.status} of ${rel}/src/${name}.S failed, or trapped unexpectedly;`
        + ` \`ISA_DEBUG=1 ${rel}/build.sh ${name}\` makes it print its last trap on the HTIF console)`
      : '';
    return `${name} under ${runner} ${how}${hint}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  }

  function verdict(name: string): string {
    const want = expectedStatus[name] ?? 0;
    return want === 0 ? 'passes' : `fails check ${want}`;
  }

  function expectStatus(name: string, runner: string, result: RunResult): void {
    const want = expectedStatus[name] ?? 0;
    if (result.status !== want || result.timedOut) {
      expect.fail(`expected status ${want}; ${describeRun(name, runner, result)}`);
    }
  }

  describe.skipIf(!haveGcc)(`${suite.what} (${rel}/src)${haveGcc ? '' : ' — skipped: riscv64-unknown-elf-gcc not found'}`, () => {
    beforeAll(() => {
      const build = spawnSync('sh', [path.join(suite.dir, 'build.sh')], { encoding: 'utf8', timeout: 120_000 });
      if (build.status !== 0) {
        throw new Error(`${rel}/build.sh failed (status ${build.status}):\n${build.stdout}\n${build.stderr}`);
      }
    }, 130_000);

    it('has programs to run', () => {
      expect(programs.length).toBeGreaterThan(1);
      expect(programs).toContain('selftest-fail');
    });

    for (const name of programs) {
      const elf = path.join(buildDir, `${name}.elf`);
      const lanternElf = path.join(lanternDir, `${name}.elf`);

      const lanternTitle = `${name} ${verdict(name)} under ${suite.lanternTitle}`
        + (suite.lanternSkip === undefined ? '' : ` (skipped: ${suite.lanternSkip})`);
      it.skipIf(suite.lanternSkip !== undefined)(lanternTitle, { timeout: timeoutMs + 5_000 }, async () => {
        if (!existsSync(lanternCli)) {
          expect.fail(`${lanternCli} does not exist: build Lantern first (npm run build)`);
        }
        const result = await run(process.execPath, [lanternCli, ...suite.lanternArgs, '-kernel', lanternElf], repoRoot, timeoutMs);
        expectStatus(name, 'Lantern', result);
      });

      // The reference, run twice: free-running, and with QEMU's instruction-counted
      // clock (-icount shift=3: 8 ns a step), the timing Lantern's virtual clock follows.
      const qemuSkip = name in lanternOnly
        ? ` (skipped: Lantern only, ${lanternOnly[name]})`
        : haveQemu ? '' : ` (skipped: ${suite.qemu} not found)`;
      it.skipIf(!haveQemu || name in lanternOnly)(`${name} ${verdict(name)} under QEMU${qemuSkip}`, { timeout: 2 * timeoutMs + 5_000 }, async () => {
        const result = await run(suite.qemu, [...suite.qemuArgs, '-kernel', elf], repoRoot, timeoutMs);
        expectStatus(name, 'QEMU', result);
        const counted = await run(suite.qemu, [...suite.qemuArgs, '-icount', 'shift=3', '-kernel', elf], repoRoot, timeoutMs);
        expectStatus(name, 'QEMU -icount shift=3', counted);
      });
    }
  });
}
