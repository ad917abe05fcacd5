// The `lantern` command as a user meets it: QEMU-style flags, one-line errors with exit
// status 2, --help/--version, and (with the core built) a guest run, -d logs and Ctrl-A x.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { asm, buildElf, guestElf, reg } from './guest-image';
import { buildHostBundle } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-cli-'));
const hello = path.join(root, 'samples/hello/hello.elf');

beforeAll(() => {
  // Test the current sources: rebuild the bundle (esbuild takes a few tens of ms).
  buildHostBundle();
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
    expectUsageError([...base, '-object', 'memory-backend-ram,id=m0', '-kernel', hello], /-object memory-backend-ram,id=m0: object type 'memory-backend-ram' is not supported \(only filter-dump\)/);
    expectUsageError([...base, '-netdev', 'user,id=n0,smb=/srv', '-kernel', hello], /-netdev user,id=n0,smb=\/srv: 'smb=' is not supported/);
    expectUsageError([...base, '-semihosting-config', 'target=gdb', '-kernel', hello], /target=gdb .* is not supported/);
    expectUsageError([...base, '-gdb', 'tcp::99999', '-kernel', hello], /-gdb tcp::99999: port 99999 is out of range/);
    expectUsageError([...base, '-gdb', 'serial:/dev/ttyS0', '-kernel', hello], /expected tcp::PORT, tcp:HOST:PORT or unix:PATH/);
    expectUsageError([...base, '-kernel'], /option '-kernel' needs an argument/);
    expectUsageError([...base, '-kernel', hello, 'disk.img'], /unexpected argument 'disk.img'/);
  });

  it('rejects a missing file, a non-RISC-V ELF, an ELF32 under -cpu rv64 and a kernel larger than RAM', () => {
    expectUsageError([...base, '-kernel', path.join(dir, 'missing.elf')], /could not load kernel .*missing\.elf': no such file/);
    const x86 = file('x86.elf', buildElf({ entry: 0n, machine: 62, segments: [{ paddr: 0n, data: new Uint8Array(4) }] }));
    expectUsageError([...base, '-kernel', x86], /not a RISC-V ELF \(machine 62, x86-64\)/);
    if (fs.existsSync('/bin/ls')) expectUsageError([...base, '-kernel', '/bin/ls'], /not a RISC-V ELF/);
    const elf32 = file('k32.elf', buildElf({ elfClass: 32, entry: 0x8000_0000n, segments: [{ paddr: 0x8000_0000n, data: new Uint8Array(4) }] }));
    expectUsageError([...base, '-cpu', 'rv64', '-kernel', elf32], /-cpu rv64 cannot run '.*k32\.elf': it is an ELF32 \(RV32\) program/);
    expectUsageError([...base, '-cpu', 'rv32', '-kernel', hello], /-cpu rv32 cannot run '.*hello\.elf': it is an ELF64 \(RV64\) program/);
    const big = file('big.bin', new Uint8Array(2 << 20));
    expectUsageError([...base, '-m', '1M', '-kernel', big], /does not fit in RAM/);
  });

  it('rejects bad -m, -smp, -machine, -bios, -icount and -d values', () => {
    expectUsageError([...base, '-m', '12X', '-kernel', hello], /-m 12X: invalid RAM size/);
    expectUsageError([...base, '-m', '0', '-kernel', hello], /more than zero/);
    expectUsageError([...base, '-m', '64G', '-kernel', hello], /at most 4092M/);
    expectUsageError([...base, '-smp', '9', '-kernel', hello], /-smp 9: the virt board takes 1 to 8 harts/);
    expectUsageError(['-machine', 'sifive_u', '-bios', 'none', '-kernel', hello], /unsupported machine type/);
    expectUsageError(['-machine', 'virt', '-bios', path.join(dir, 'no-opensbi.bin'), '-kernel', hello], /could not load firmware '.*no-opensbi\.bin': no such file/);
    expectUsageError(['-machine', 'spike', '-kernel', hello], /spike board has no default firmware.*-bios none/);
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
    expect(stdout).toMatch(/^-machine \[type=\]name/m);
    expect(stdout).toMatch(/^-icount \[shift=N\]/m);
    expect(lantern('-machine', 'help').stdout).toMatch(/virt/);
  });

  it('prints -help in QEMU 7.2 layout: one option a line, flag first, in its group', () => {
    const { status, stdout } = lantern('-help');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Lantern 0.1.0');
    expect(lines[1]).toBe('usage: lantern [options]');
    for (const title of ['Standard options:', 'Block device options:', 'Display options:', 'Boot Image or Kernel specific:', 'Debug/Expert options:']) {
      expect(lines).toContain(title);
    }
    // As qemu-system-riscv64 -help: short terms pad the description to column 16.
    expect(lines).toContain('-h or -help     display this help and exit');
    expect(lines).toContain('-version        display version information and exit');
    expect(lines).toContain('-nographic      no display; the serial console is on stdio');
    for (const flag of ['-kernel', '-append', '-initrd', '-dtb', '-rtc', '-drive', '-no-reboot', '-semihosting', '-semihosting-config']) {
      expect(lines.some((line) => line === flag || line.startsWith(`${flag} `))).toBe(true);
    }
    expect(stdout).toMatch(/if=virtio takes the next free virtio-mmio slot/);
    // The GDB stub's options, as Makefiles grep for them (xv6: `-help | grep -q '^-gdb'`).
    for (const flag of ['-gdb dev', '-s ', '-S ']) expect(lines.some((line) => line.startsWith(flag)), flag).toBe(true);
    expect(stdout).not.toMatch(/Not supported yet: .*-gdb/);
  });

  it.skipIf(process.platform === 'win32')("answers `lantern -help | grep '^-kernel'` as a Makefile asks", () => {
    const grep = (flag: string) => spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" -help | grep '^${flag}'`], { encoding: 'utf8' });
    const kernel = grep('-kernel');
    expect(kernel.status).toBe(0);
    expect(kernel.stdout).toMatch(/^-kernel file {4}ELF or raw binary/);
    expect(grep('-gdb').status).toBe(0); // xv6's Makefile then uses -gdb tcp::PORT
  });

  it('lantern-qemu reports a QEMU version Makefiles can parse', () => {
    const shim = path.join(root, 'bin/lantern-qemu.js');
    for (const flag of ['--version', '-version']) {
      const result = spawnSync(process.execPath, [shim, flag], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('QEMU emulator version 7.2.0 (Lantern 0.1.0)');
      // The sed of MIT's 6.1810 Makefile: the major.minor it compares with 7.2.
      expect(/^QEMU emulator version ([0-9]+\.[0-9]+)\./.exec(result.stdout)?.[1]).toBe('7.2');
    }
    const help = spawnSync(process.execPath, [shim, '-help'], { encoding: 'utf8' });
    expect(help.stdout.split('\n').slice(0, 2)).toEqual(['QEMU emulator version 7.2.0 (Lantern 0.1.0)', 'usage: lantern-qemu [options]']);
    expect(lantern('--version').stdout.split('\n')[0]).toBe('Lantern 0.1.0');
  });

  it.skipIf(process.platform === 'win32')('takes the QEMU personality from a link named like QEMU', () => {
    const link = path.join(dir, 'qemu-system-riscv64');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.join(root, 'bin/lantern.js'), link);
    const result = spawnSync(process.execPath, [link, '--version'], { encoding: 'utf8' });
    expect(result.stdout.split('\n')[0]).toBe('QEMU emulator version 7.2.0 (Lantern 0.1.0)');
  });
});

describe.skipIf(!haveCore)('lantern CLI runs', () => {
  it('runs hello.elf on virt and exits 0', () => {
    const { status, stdout, stderr } = lantern('-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', hello);
    expect(stderr).toBe('');
    expect(stdout).toContain('Hello from Lantern!');
    expect(status).toBe(0);
  });

  it('ends quietly, status 0, when whoever reads its output goes away (lantern ... | head)', async () => {
    // The minikernel echoes typed input: close the reading end, then type, so the guest writes
    // into a closed pipe.
    const kernel = path.join(root, 'samples/minikernel/minikernel.elf');
    const child = spawn(process.execPath, [cli, '-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', kernel]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.once('data', () => {
      child.stdout.destroy();
      child.stdin.write('typed after the reader left\n');
    });
    const status = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { child.kill(); resolve(null); }, 20_000);
      child.on('exit', (code) => { clearTimeout(timer); resolve(code); });
    });
    expect(stderr).toBe('');
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

  it('ends the run at a reset request with -no-reboot (status 0), and reboots without it', () => {
    // Counts boots in a RAM word the reload does not touch; the second boot exits with status 5.
    const reset = file('reset.elf', guestElf(0x8000_0000n, [
      asm.li(reg.t0, 0x801), asm.slli(reg.t0, reg.t0, 20), // 0x80100000
      asm.ld(reg.t1, reg.t0, 0), asm.addi(reg.t1, reg.t1, 1), asm.sd(reg.t1, reg.t0, 0),
      asm.li(reg.t2, 0x10_0000), asm.li(reg.a0, 2), asm.beq(reg.t1, reg.a0, 'exit'),
      asm.li(reg.a0, 0x7777), asm.sw(reg.a0, reg.t2, 0), asm.label('hang'), asm.j('hang'),
      asm.label('exit'), asm.li(reg.a0, (5 << 16) | 0x3333), asm.sw(reg.a0, reg.t2, 0), asm.j('hang'),
    ]));
    const args = (...extra: string[]) => ['-machine', 'virt', '-bios', 'none', '-nographic', ...extra, '-kernel', reset];
    expect(lantern(...args('-no-reboot')).status).toBe(0);
    expect(lantern(...args()).status).toBe(5);
    // QEMU 7.2 agrees, where it is installed.
    const qemu = (extra: string[]) => spawnSync('qemu-system-riscv64', args(...extra), { input: '', timeout: 30_000 });
    if (!qemu(['-version']).error) {
      expect(qemu(['-no-reboot']).status).toBe(0);
      expect(qemu([]).status).toBe(5);
    }
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
