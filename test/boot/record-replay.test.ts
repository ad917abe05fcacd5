// -icount rr=record|replay: a minikernel run and a U-Boot session with typed input, recorded,
// replay to the identical transcript with no input at all; the log is what drives it (a
// changed byte shows); a bad log is refused with one line.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const kernel = path.join(root, 'samples', 'minikernel', 'minikernel.elf');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-rr-'));
const base = ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', '2', '-kernel', kernel];

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';
const uboot = ['-M', 'virt', '-m', '256M', '-nographic', '-kernel', UBOOT];

/** Runs with typed input: each answer sent once the output shows its prompt. The transcript. */
function record(log: string, args = base, answers: [RegExp, string][] = [[/type a line/, 'rec'], [/^/, 'orded\r']]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '-icount', `shift=3,rr=record,rrfile=${log}`]);
    let output = '';
    let next = 0;
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('latin1');
      // Each answer waits for its prompt after the previous answer's (a later match in the output).
      while (next < answers.length) {
        const match = answers[next][0].exec(output.slice(seen));
        if (!match) break;
        seen += match.index + match[0].length;
        const text = answers[next++][1];
        setTimeout(() => child.stdin.write(text), 50 * next);
      }
    });
    child.on('exit', (status) => resolve({ status, output }));
  });
}

function replay(log: string, args = base) {
  return spawnSync(process.execPath, [cli, ...args, '-icount', `shift=3,rr=replay,rrfile=${log}`], { input: '', encoding: 'latin1', timeout: 30_000 });
}

describe('-icount rr=record|replay', () => {
  it('replays a recorded run with typed input to the identical transcript, typing nothing', async () => {
    const log = path.join(dir, 'run.rr');
    const recorded = await record(log);
    expect(recorded.status).toBe(0);
    expect(recorded.output).toContain('uart: got "recorded"');
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ lanternInputLog: 1 });
    expect(lines.length).toBeGreaterThan(1);
    const replayed = replay(log);
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toBe(recorded.output);

    // The log, not the terminal, is the input: change one byte and the echo changes with it.
    const changed = lines.map((line, i) => (i === 1 ? JSON.stringify({ ...JSON.parse(line), bytes: Buffer.from('R').toString('base64') }) : line));
    const altered = path.join(dir, 'altered.rr');
    fs.writeFileSync(altered, `${changed.join('\n')}\n`);
    expect(replay(altered).stdout).toContain('uart: got "Recorded"');
  });

  it.skipIf(!fs.existsSync(UBOOT))('replays a U-Boot session (after OpenSBI) with typed commands', async () => {
    const log = path.join(dir, 'uboot.rr');
    const recorded = await record(log, uboot, [[/=> $/, 'version\r'], [/=> $/, 'poweroff\r']]);
    expect(recorded.status).toBe(0);
    expect(recorded.output).toMatch(/=> version\r?\nU-Boot 20/);
    const replayed = replay(log, uboot);
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toBe(recorded.output);
  });

  it('refuses a missing or malformed log, and rr without rrfile, with one line', () => {
    const missing = replay(path.join(dir, 'none.rr'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`lantern: -icount rrfile=${path.join(dir, 'none.rr')}: no such file\n`);
    const bad = path.join(dir, 'bad.rr');
    fs.writeFileSync(bad, '{"lanternInputLog":1,"rtcStart":"0","rngSeed":"1"}\n{"step":"9","bytes":"YQ=="}\n{"step":"3","bytes":"YQ=="}\n');
    expect(replay(bad).stderr).toBe(`lantern: -icount rrfile=${bad}: line 3: steps go backwards\n`);
    const noFile = spawnSync(process.execPath, [cli, ...base, '-icount', 'shift=3,rr=replay'], { encoding: 'latin1' });
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toBe('lantern: -icount shift=3,rr=replay: rr=replay needs rrfile=FILE\n');
  });
});
