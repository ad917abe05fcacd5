// Semihosting end to end: test/boot/semihosting/guest.c, built with Debian's picolibc
// (libsemihost, crt0-semihost), runs under `lantern -semihosting -machine virt -bios none` in a
// temporary current directory: printf, argv from SYS_GET_CMDLINE, files read, written,
// renamed and removed there, the feature file, the heap, and its exit status; then the same
// under `qemu-system-riscv64 -semihosting`, line for line (and an RV32 build under
// qemu-system-riscv32). QEMU writes SYS_WRITEC to its
// stderr (no chardev=), Lantern to the serial console: the test compares QEMU's two streams
// together with Lantern's stdout. Lantern alone: names outside the folder are refused, and
// typed input reaches SYS_READC.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHostBundle, hasTool, RISCV_GCC } from '../support/guest-tools';

const root = path.resolve(__dirname, '..', '..');
const source = path.join(__dirname, 'semihosting', 'guest.c');
const elf = path.join(__dirname, 'build', 'semihosting.elf');
const elf32 = path.join(__dirname, 'build', 'semihosting32.elf');
const gcc = RISCV_GCC;
const qemu = 'qemu-system-riscv64';
const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const havePicolibc = picolibcSpecs() !== undefined;
const haveQemu = hasTool(qemu);
const haveQemu32 = hasTool('qemu-system-riscv32');
if (!havePicolibc) console.warn(`test/boot/semihosting: ${gcc} with picolibc (picolibc-riscv64-unknown-elf) not found: skipping the semihosting guest`);

/** picolibc.specs as gcc finds it (gcc prints the bare name when it has none). */
function picolibcSpecs(): string | undefined {
  if (!hasTool(gcc)) return undefined;
  const found = spawnSync(gcc, ['-print-file-name=picolibc.specs'], { encoding: 'utf8' }).stdout?.trim();
  return found && path.isAbsolute(found) && fs.existsSync(found) ? found : undefined;
}

/** A fresh current directory holding the file the guest reads. */
function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-semihosting-'));
  fs.writeFileSync(path.join(dir, 'input.txt'), 'line from the host\n');
  return dir;
}

/** Runs an emulator in `cwd`; the transcript is stdout then stderr. */
function run(command: string, args: string[], cwd: string, input = '') {
  const result = spawnSync(command, args, { cwd, input, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, transcript: result.stdout + result.stderr };
}

const machineArgs = (append: string[], kernel = elf) => [
  '-semihosting', '-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', kernel, ...(append.length ? ['-append', append.join(' ')] : []),
];
const lantern = (cwd: string, append: string[] = [], input = '', kernel = elf) =>
  run(process.execPath, [path.join(root, 'dist', 'cli.js'), ...machineArgs(append, kernel)], cwd, input);

/** The files a run leaves in its folder, by name. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

describe.skipIf(!haveCore || !havePicolibc)('semihosting with picolibc', () => {
  beforeAll(() => {
    fs.mkdirSync(path.dirname(elf), { recursive: true });
    // GCC 12's multilib table predates _zicsr: -march=rv64imac selects picolibc's rv64imac/lp64.
    // picolibc.ld places flash and RAM where --defsym says: virt's DRAM, where -bios none jumps.
    const flags = [
      '--specs=picolibc.specs', '--oslib=semihost', '--crt0=semihost', '-mcmodel=medany', '-O2', '-Wall', '-Wextra', '-Werror',
      '-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x100000,--defsym=__ram=0x80100000,--defsym=__ram_size=0x100000',
    ];
    for (const [output, arch] of [[elf, ['-march=rv64imac', '-mabi=lp64']], [elf32, ['-march=rv32imac', '-mabi=ilp32']]] as const) {
      const compiled = spawnSync(gcc, [...flags, ...arch, '-o', output, source], { encoding: 'utf8' });
      if (compiled.status !== 0) throw new Error(`${gcc} failed:\n${compiled.stderr}`);
    }
    buildHostBundle();
  });

  it('prints, takes its arguments, uses files in the current directory and exits with its status', () => {
    const dir = folder();
    const result = lantern(dir, ['one', 'two']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'hello from picolibc, argc=4', 'argv[0]=program-name', `argv[1]=${elf}`, 'argv[2]=one', 'argv[3]=two',
      'read 19 bytes: line from the host',
    ]);
    for (const line of [
      'lseek: 4', 'read after seek: 4 4567', 'flen: 10', 'rename: 0', 'renamed reads back: 10 0123456789', 'remove: 0',
      'missing: not found errno=2', 'features: exit_extended=1 stdout_stderr=1', 'write0 reaches the console',
      'iserror(-1)=1 iserror(0)=0', 'heapinfo: 0', 'tickfreq: 1000000000', 'elapsed advances', 'time is now',
    ]) {
      expect(lines).toContain(line);
    }
    expect(contents(dir)).toEqual({ 'input.txt': 'line from the host\n', 'log.txt': 'appended by the guest\n', 'renamed.txt': '0123456789' });
  });

  it.skipIf(!haveQemu)('matches qemu-system-riscv64 -semihosting line for line, status and files', () => {
    const [mine, theirs] = [folder(), folder()];
    const lanternRun = lantern(mine, ['one', 'two']);
    const qemuRun = run(qemu, machineArgs(['one', 'two']), theirs);
    expect(qemuRun.stdout).toBe(''); // QEMU 7.2 writes SYS_WRITEC and SYS_WRITE0 to stderr
    expect(lanternRun.transcript).toBe(qemuRun.transcript);
    expect(lanternRun.status).toBe(qemuRun.status);
    expect(contents(mine)).toEqual(contents(theirs));
  });

  it('runs the RV32 build as qemu-system-riscv32 does (32-bit parameter blocks, SYS_EXIT_EXTENDED)', () => {
    const mine = folder();
    const lanternRun = lantern(mine, ['one', 'two'], '', elf32);
    expect(lanternRun.status).toBe(3);
    expect(lanternRun.stdout).toContain('renamed reads back: 10 0123456789\n');
    if (!haveQemu32) return;
    const theirs = folder();
    const qemuRun = run('qemu-system-riscv32', machineArgs(['one', 'two'], elf32), theirs);
    expect(lanternRun.stdout).toBe(qemuRun.transcript);
    expect(lanternRun.status).toBe(qemuRun.status);
    expect(contents(mine)).toEqual(contents(theirs));
  });

  it('keeps file access inside the current directory (QEMU opens any host path)', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-confine-'));
    const dir = path.join(top, 'work');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(top, 'secret'));
    fs.writeFileSync(path.join(top, 'secret', 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(top, 'input.txt'), 'not yours');
    fs.writeFileSync(path.join(dir, 'input.txt'), 'yours');
    if (process.platform !== 'win32') {
      fs.symlinkSync(path.join(top, 'secret'), path.join(dir, 'outside'));
      fs.symlinkSync(path.join(top, 'secret', 'new.txt'), path.join(dir, 'dangling'));
    }
    const result = lantern(dir, ['confine']);
    expect(result.status).toBe(5);
    const lines = result.stdout.split('\n');
    for (const line of [
      'open /etc/hostname: refused errno=13', 'open ../escape.txt: refused errno=13', 'open sub/../input.txt: ok errno=0',
      'remove ../input.txt: -1 errno=13', 'rename to /tmp: -1 errno=13', 'system: -1 errno=38',
    ]) {
      expect(lines).toContain(line);
    }
    if (process.platform !== 'win32') {
      expect(lines).toContain('open outside/secret.txt: refused errno=13');
      expect(lines).toContain('open dangling: refused errno=13');
    }
    expect(lines.find((line) => line.startsWith('tmpnam: '))).toMatch(/^tmpnam: lantern-[0-9a-f]+07\.tmp$/);
    expect(fs.existsSync(path.join(top, 'escape.txt'))).toBe(false);
    expect(fs.existsSync(path.join(top, 'secret', 'new.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(top, 'input.txt'), 'utf8')).toBe('not yours');
    expect(fs.existsSync(path.join(dir, 'input.txt'))).toBe(true);
  });

  it('hands typed input to SYS_READC, even bytes typed before the guest asks', () => {
    const result = lantern(folder(), ['echo'], 'typed words\n');
    expect(result.stdout).toBe('typed: typed words\n');
    expect(result.status).toBe(6);
  });
});
