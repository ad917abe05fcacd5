// QEMU-style option parsing: sizes, icount, spellings, and the run options it produces.
import { describe, expect, it } from 'vitest';
import { parseArguments, parseIcount, parseMemorySize, UsageError } from '../../server/src/cli/options';

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
    for (const bad of ['shift=11', 'shift=auto', 'shift=x', 'rr=record']) expect(() => parseIcount(bad)).toThrow(UsageError);
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
        serial: 'stdio', trace: { inAsm: false, int: true, exec: true }, traceFile: 'log.txt',
        rtcBase: { kind: 'utc' },
      },
    });
  });

  it('defaults to virt, 128M, shift 3 and the mux console', () => {
    const invocation = parseArguments(['-bios', 'none', '-kernel', 'k.elf']);
    expect(invocation).toMatchObject({ kind: 'run', options: { board: 'virt', ramSize: 128 * MIB, icountShift: 3, serial: 'mon:stdio' } });
  });

  it('accepts -M and the double-dash spelling, and never takes a value for an option', () => {
    expect(parseArguments(['-M', 'virt', '--bios', 'none', '--kernel', '-odd-name.elf'])).toMatchObject({
      kind: 'run', options: { board: 'virt', kernel: '-odd-name.elf' },
    });
  });
});
