// QEMU-style option parsing: sizes, icount, spellings, and the run options it produces.
import { describe, expect, it } from 'vitest';
import { parseArguments, parseGdbDevice, parseIcount, parseMemorySize, UsageError } from '../../server/src/cli/options';
import { personalityOf } from '../../server/src/cli/personality';

const MIB = 1 << 20;

describe('option values', () => {
  it('reads -m as QEMU does: bare numbers are MiB, suffixes are powers of 1024', () => {
    expect(parseMemorySize('128')).toBe(128 * MIB);
    expect(parseMemorySize('128M')).toBe(128 * MIB);
    expect(parseMemorySize('1G')).toBe(1024 * MIB);
    expect(parseMemorySize('1.5g')).toBe(1536 * MIB);
    expect(parseMemorySize('size=64m')).toBe(64 * MIB);
    expect(parseMemorySize('4097K')).toBe(4100 * 1024); // rounded up to whole 4 KiB pages
    for (const bad of ['', 'M', '12X', '-1', '1e3', '0']) expect(() => parseMemorySize(bad)).toThrow(UsageError);
  });

  it('reads -icount as shift=N or N, 3 by default', () => {
    expect(parseIcount('')).toBe(3);
    expect(parseIcount('5')).toBe(5);
    expect(parseIcount('shift=0,sleep=off,align=off')).toBe(0);
    for (const bad of ['shift=11', 'shift=auto', 'shift=x', 'rr=bogus', 'rrfile=']) expect(() => parseIcount(bad)).toThrow(UsageError);
  });
});

describe('parseArguments', () => {
  it('turns the QEMU command line into run options', () => {
    const invocation = parseArguments([
      '-machine', 'spike', '-bios', 'none', '-nographic', '-m', '256M', '-smp', 'cpus=1',
      '-icount', 'shift=4', '-serial', 'stdio', '-d', 'int,exec', '-D', 'log.txt', '-kernel', 'k.elf',
    ]);
    expect(invocation).toEqual({
      kind: 'run',
      options: {
        board: 'spike', ramSize: 256 * MIB, kernel: 'k.elf', bios: 'none', harts: 1, icountShift: 4,
        serial: 'stdio', trace: { inAsm: false, int: true, exec: true, net: false }, traceFile: 'log.txt',
        rtcBase: { kind: 'utc' },
      },
    });
  });

  it('defaults to virt, 128M, shift 3 and the mux console', () => {
    const invocation = parseArguments(['-bios', 'none', '-kernel', 'k.elf']);
    expect(invocation).toMatchObject({ kind: 'run', options: { board: 'virt', ramSize: 128 * MIB, icountShift: 3, serial: 'mon:stdio' } });
  });

  it('takes -smp 1 to 8 for a run, as N, cpus=N or a topology', () => {
    const harts = (spec: string) => parseArguments(['-bios', 'none', '-smp', spec, '-kernel', 'k.elf']);
    expect(harts('4')).toMatchObject({ kind: 'run', options: { harts: 4 } });
    expect(harts('cpus=8,maxcpus=8')).toMatchObject({ kind: 'run', options: { harts: 8 } });
    expect(harts('sockets=1,cores=3,threads=1')).toMatchObject({ kind: 'run', options: { harts: 3 } });
    for (const bad of ['0', '9', 'cpus=16', 'two']) expect(() => harts(bad)).toThrow(UsageError);
  });

  it('accepts -M and the double-dash spelling, and never takes a value for an option', () => {
    expect(parseArguments(['-M', 'virt', '--bios', 'none', '--kernel', '-odd-name.elf'])).toMatchObject({
      kind: 'run', options: { board: 'virt', kernel: '-odd-name.elf' },
    });
  });
});

describe('-no-reboot and semihosting', () => {
  const base = ['-bios', 'none', '-kernel', 'k.elf'];

  it('reads -no-reboot', () => {
    expect(parseArguments([...base, '-no-reboot'])).toMatchObject({ kind: 'run', options: { noReboot: true } });
    expect(parseArguments(base)).toMatchObject({ kind: 'run', options: { noReboot: undefined } });
  });

  it('turns semihosting on with -semihosting or -semihosting-config; the command line falls back to the kernel and -append', () => {
    expect(parseArguments(base)).toMatchObject({ options: { semihosting: undefined } });
    expect(parseArguments([...base, '-semihosting', '-append', 'one  two'])).toMatchObject({
      options: { semihosting: { userspace: false, commandLine: 'k.elf one two' } },
    });
    expect(parseArguments([...base, '-semihosting-config', 'enable=on,target=native'])).toMatchObject({
      options: { semihosting: { userspace: false, commandLine: 'k.elf' } },
    });
    // QEMU's implied option name: a bare first value is enable's.
    expect(parseArguments([...base, '-semihosting-config', 'on,userspace=on'])).toMatchObject({ options: { semihosting: { userspace: true } } });
    expect(parseArguments([...base, '-semihosting', '-semihosting-config', 'enable=off'])).toMatchObject({ options: { semihosting: undefined } });
  });

  it('takes arg= words as the command line, a doubled comma standing for one', () => {
    expect(parseArguments([...base, '-semihosting-config', 'enable=on,arg=prog,arg=a,,b', '-append', 'ignored'])).toMatchObject({
      options: { semihosting: { commandLine: 'prog a,b' } },
    });
  });

  it('refuses what needs a GDB stub or a chardev, and unknown settings', () => {
    for (const [spec, message] of [
      ['target=gdb', /target=gdb .* is not supported/],
      ['enable=on,chardev=ch0', /chardev= is not supported/],
      ['target=remote', /unsupported target 'remote'/],
      ['enable=maybe', /enable takes on or off/],
      ['colour=on', /unknown setting 'colour'/],
    ] as const) {
      expect(() => parseArguments([...base, '-semihosting-config', spec])).toThrow(message);
    }
  });
});

describe('help and version by personality', () => {
  it('speaks as QEMU 7.2 for lantern-qemu, as itself for lantern', () => {
    expect(parseArguments(['-version'], 'qemu')).toEqual({
      kind: 'print', text: expect.stringMatching(/^QEMU emulator version 7\.2\.0 \(Lantern \d+\.\d+\.\d+\)\n/),
    });
    expect(parseArguments(['--version'])).toEqual({ kind: 'print', text: expect.stringMatching(/^Lantern \d+\.\d+\.\d+\n/) });
    expect(personalityOf('/usr/lib/node_modules/lantern/bin/lantern-qemu.js')).toBe('qemu');
    expect(personalityOf('/home/me/bin/qemu-system-riscv64')).toBe('qemu');
    expect(personalityOf('/usr/bin/lantern')).toBe('lantern');
    expect(personalityOf(undefined)).toBe('lantern');
  });

  it('lists every option it has at the start of a line, hidden and missing ones only on the closing line', () => {
    const help = parseArguments(['-help']);
    if (help.kind !== 'print') throw new Error('no help');
    const lines = help.text.split('\n');
    const starts = (flag: string) => lines.some((line) => line === flag || line.startsWith(`${flag} `));
    for (const flag of ['-machine', '-smp', '-global', '-m', '-device', '-drive', '-nographic', '-bios', '-kernel', '-append',
      '-initrd', '-dtb', '-serial', '-d', '-D', '-seed', '-no-reboot', '-rtc', '-icount', '-semihosting', '-semihosting-config',
      '-netdev', '-nic', '-object']) {
      expect(starts(flag), flag).toBe(true);
    }
    for (const flag of ['-gdb', '-s', '-S']) expect(starts(flag), flag).toBe(true);
    expect(starts('-monitor')).toBe(false);
    expect(lines).toContain('Not supported yet: -monitor -display -accel');
    expect(lines.indexOf('Network options:')).toBeGreaterThan(lines.indexOf('Display options:'));
    // Descriptions start at column 16 (QEMU's) when the term leaves room, else on the next line.
    expect(lines).toContain('-m [size=]megs  RAM size: 128M, 1G, or a number of MiB (default: 128M)');
    expect(lines[lines.indexOf('-icount [shift=N][,align=on|off][,sleep=on|off][,rr=record|replay,rrfile=filename]') + 1]).toMatch(/^ {16}virtual time/);
    expect(lines.filter((line) => line.startsWith('-')).every((line) => !line.startsWith('--'))).toBe(true);
  });
});

describe('-icount sleep=on', () => {
  it('paces idle waits only when asked', () => {
    const run = (icount?: string) => {
      const invocation = parseArguments(['-bios', 'none', '-kernel', 'k.elf', ...(icount ? ['-icount', icount] : [])]);
      if (invocation.kind !== 'run') throw new Error('not a run');
      return invocation.options;
    };
    expect(run('shift=3,sleep=on').paced).toBe(true);
    expect(run('shift=3,sleep=off').paced).toBeUndefined();
    expect(run().paced).toBeUndefined();
  });
});

describe('-gdb, -s and -S', () => {
  const run = (args: string[]) => {
    const invocation = parseArguments(['-bios', 'none', '-kernel', 'k.elf', ...args]);
    if (invocation.kind !== 'run') throw new Error('not a run');
    return invocation.options;
  };

  it('reads QEMU\'s device spellings, on 127.0.0.1 unless a host is given', () => {
    expect(parseGdbDevice('tcp::1234')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 1234 });
    expect(parseGdbDevice('tcp:0.0.0.0:25000')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 25000 });
    expect(parseGdbDevice('tcp:[::1]:7')).toEqual({ kind: 'tcp', host: '::1', port: 7 });
    expect(parseGdbDevice('tcp::1234,server=on,wait=off')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 1234 });
    expect(parseGdbDevice('1234')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 1234 });
    expect(parseGdbDevice('unix:/tmp/gdb.sock')).toEqual({ kind: 'unix', path: '/tmp/gdb.sock' });
  });

  it('refuses what it cannot listen on, with one line', () => {
    for (const bad of ['tcp::70000', 'tcp:', 'udp::1234', 'unix:', 'tcp::1234,telnet', 'localhost:1234']) {
      expect(() => parseGdbDevice(bad), bad).toThrow(UsageError);
    }
  });

  it('-s is -gdb tcp::1234; -S holds the harts; -gdb none is no stub', () => {
    expect(run(['-s']).gdb).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 1234 });
    expect(run(['-s', '-gdb', 'tcp::4321']).gdb).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4321 });
    expect(run(['-S']).startHalted).toBe(true);
    expect(run([]).startHalted).toBeUndefined();
    expect(run(['-gdb', 'none']).gdb).toBeUndefined();
  });
});
