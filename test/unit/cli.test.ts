// The `lantern` command as a user meets it: QEMU-style flags, one-line errors with exit
// status 2, --help/--version, and (with the core built) a guest run, -d logs and Ctrl-A x.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { asm, buildElf, guestElf } from './guest-image';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-cli-'));
const hello = path.join(root, 'samples/hello/hello.elf');

beforeAll(() => {
  // Test the current sources: rebuild the bundle (esbuild takes a few tens of ms).
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build:host'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (build.status !== 0) throw new Error(`build:host failed: ${build.stderr}`);
});

function lantern(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit status 2 and exactly one "lantern: ..." line on stderr, matching `pattern`. */
function expectUsageError(args: string[], pattern: RegExp): void {
  const { status, stderr, stdout } = lantern(...args);
  expect(stderr).toMatch(/^lantern: [^\n]+\n$/);
  expect(stderr).toMatch(pattern);
  expect(status).toBe(2);
  expect(stdout).toBe('');
}

function file(name: string, bytes: Uint8Array): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, bytes);
  return at;
}

describe('lantern CLI errors', () => {
  const base = ['-machine', 'virt', '-bios', 'none', '-nographic'];

  it('rejects unknown and not-yet-supported options', () => {
    expectUsageError([...base, '-frobnicate'], /unknown option '-frobnicate'/);
    expectUsageError([...base, '--frobnicate'], /unknown option '--frobnicate'/);
    expectUsageError([...base, '-no-reboot'], /-no-reboot is not supported yet/);
    expectUsageError([...base, '-s', '-kernel', hello], /GDB stub is not supported yet/);
    expectUsageError([...base, '-kernel'], /option '-kernel' needs an argument/);
    expectUsageError([...base, '-kernel', hello, 'disk.img'], /unexpected argument 'disk.img'/);
  });

  it('rejects a missing file, a non-RISC-V ELF, an ELF32 and a kernel larger than RAM', () => {
    expectUsageError([...base, '-kernel', path.join(dir, 'missing.elf')], /could not load kernel .*missing\.elf': no such file/);
    const x86 = file('x86.elf', buildElf({ entry: 0n, machine: 62, segments: [{ paddr: 0n, data: new Uint8Array(4) }] }));
    expectUsageError([...base, '-kernel', x86], /not a RISC-V ELF \(machine 62, x86-64\)/);
    if (fs.existsSync('/bin/ls')) expectUsageError([...base, '-kernel', '/bin/ls'], /not a RISC-V ELF/);
    const elf32 = Uint8Array.from(fs.readFileSync(hello));
    elf32[4] = 1;
    expectUsageError([...base, '-kernel', file('k32.elf', elf32)], /ELF32/);
    const big = file('big.bin', new Uint8Array(2 << 20));
    expectUsageError([...base, '-m', '1M', '-kernel', big], /does not fit in RAM/);
  });

  it('rejects bad -m, -smp, -machine, -bios, -icount and -d values', () => {
    expectUsageError([...base, '-m', '12X', '-kernel', hello], /-m 12X: invalid RAM size/);
    expectUsageError([...base, '-m', '0', '-kernel', hello], /more than zero/);
    expectUsageError([...base, '-m', '64G', '-kernel', hello], /at most 4092M/);
    expectUsageError([...base, '-smp', '2', '-kernel', hello], /more than one hart is not supported yet/);
    expectUsageError(['-machine', 'sifive_u', '-bios', 'none', '-kernel', hello], /unsupported machine type/);
    expectUsageError(['-machine', 'virt', '-kernel', hello], /-bios none/);
    expectUsageError(['-machine', 'virt', '-bios', 'opensbi.bin', '-kernel', hello], /only -bios none/);
    expectUsageError([...base, '-icount', 'shift=auto', '-kernel', hello], /shift=auto is not supported/);
    expectUsageError([...base, '-d', 'cpu', '-kernel', hello], /log item 'cpu' is not supported/);
    expectUsageError([...base], /no kernel given/);
  });
});

describe('lantern CLI information', () => {
  it('prints the version, first line "Lantern 0.1.0"', () => {
    for (const flag of ['--version', '-version']) {
      const { status, stdout } = lantern(flag);
      expect(status).toBe(0);
      expect(stdout.split('\n')[0]).toBe('Lantern 0.1.0');
    }
  });

  it('prints help in QEMU spelling', () => {
    const { status, stdout } = lantern('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/-machine <type>/);
    expect(stdout).toMatch(/-icount <spec>/);
    expect(lantern('-machine', 'help').stdout).toMatch(/virt/);
  });
});

describe.skipIf(!haveCore)('lantern CLI runs', () => {
  it('runs hello.elf on virt and exits 0', () => {
    const { status, stdout, stderr } = lantern('-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', hello);
    expect(stderr).toBe('');
    expect(stdout).toContain('Hello from Lantern!');
    expect(status).toBe(0);
  });

  it('writes -d exec,in_asm,int logs to -D', () => {
    const log = path.join(dir, 'trace.log');
    const { status } = lantern('-M', 'virt', '-bios', 'none', '-nographic', '-m', '64', '-icount', 'shift=4',
      '-d', 'exec,in_asm,int', '-D', log, '-kernel', hello);
    expect(status).toBe(0);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    expect(lines).toContain('Trace 0: 0x0000000000001000');
    expect(lines).toContain('Trace 0: 0x0000000080000000 _start');
    expect(lines.some((line) => /^0x0000000000001000: {2}00000297 +auipc/.test(line))).toBe(true);
    expect(lines).toContain('IN: main');
  });

  it('quits on Ctrl-A x with status 0 while the guest idles', async () => {
    const idle = file('idle.elf', guestElf(0x8000_0000n, [asm.label('sleep'), asm.wfi(), asm.j('sleep')]));
    const child = spawn(process.execPath, [cli, '-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', idle]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    setTimeout(() => child.stdin.write('\x01h'), 300);
    setTimeout(() => child.stdin.write('\x01x'), 600);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).toMatch(/C-a x\s+exit/);
    expect(stdout).toContain('terminating');
    expect(status).toBe(0);
  });
});
