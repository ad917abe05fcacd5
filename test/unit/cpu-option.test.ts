// -cpu: rv32 / rv64 and QEMU 7.2's extension properties, checked against what the hart has;
// and how the machine picks its XLEN from -cpu and the images' ELF classes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArguments, parseCpu, UsageError } from '../../server/src/cli/options';
import { LoadError } from '../../server/src/machine/elf';
import { selectXlen } from '../../server/src/machine/xlen';
import { buildElf } from './guest-image';

function usageError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('no UsageError');
}

describe('-cpu', () => {
  it('takes rv32 and rv64', () => {
    expect(parseCpu('rv32')).toBe(32);
    expect(parseCpu('rv64')).toBe(64);
  });

  it('accepts QEMU properties that describe this hart, in either case and spelling of booleans', () => {
    expect(parseCpu('rv32,h=false')).toBe(32);
    expect(parseCpu('rv32,h=off,v=no,zba=on,Zicsr=true,Zifencei=yes,sstc=on,mmu=on,pmp=on')).toBe(32);
    expect(parseCpu('rv64,c=true,zbs=on,svpbmt=off')).toBe(64);
  });

  it('refuses other models, unknown properties and properties that would change the hart, in one line', () => {
    expect(usageError(() => parseCpu('sifive-u54'))).toMatch(/-cpu sifive-u54: unsupported CPU model 'sifive-u54' \(use rv32 or rv64/);
    expect(usageError(() => parseCpu('rv32,foo=on'))).toMatch(/-cpu rv32,foo=on: unknown or unsupported CPU property 'foo'/);
    expect(usageError(() => parseCpu('rv32,h=true'))).toMatch(/h=true is not possible: this hart has no h/);
    expect(usageError(() => parseCpu('rv64,c=off'))).toMatch(/c=off is not possible: this hart always has c/);
    expect(usageError(() => parseCpu('rv32,zba'))).toMatch(/expected key=value, found 'zba'/);
    expect(usageError(() => parseCpu('rv32,zba=maybe'))).toMatch(/property 'zba' takes on or off, not 'maybe'/);
  });

  it('puts the XLEN in the run options (absent without -cpu), and -cpu help lists the models', () => {
    const base = ['-machine', 'spike', '-bios', 'none', '-kernel', 'k.elf'];
    expect(parseArguments([...base, '-cpu', 'rv32,h=false'])).toMatchObject({ kind: 'run', options: { xlen: 32 } });
    expect(parseArguments([...base, '-cpu', 'rv64'])).toMatchObject({ kind: 'run', options: { xlen: 64 } });
    const plain = parseArguments(base);
    expect(plain.kind === 'run' && 'xlen' in plain.options).toBe(false);
    const help = parseArguments(['-cpu', 'help']);
    expect(help.kind).toBe('print');
    expect(help.kind === 'print' && help.text).toMatch(/rv64 .*\nrv32 /);
  });
});

describe('the machine XLEN', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-xlen-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const elf = (name: string, elfClass: 32 | 64) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, buildElf({ elfClass, entry: 0x8000_0000n, segments: [{ paddr: 0x8000_0000n, data: new Uint8Array(4) }] }));
    return file;
  };
  const k32 = elf('k32.elf', 32);
  const k64 = elf('k64.elf', 64);
  const raw = path.join(dir, 'k.bin');
  fs.writeFileSync(raw, new Uint8Array(16));

  it('follows -cpu, else the kernel ELF class, else the firmware ELF class, else RV64', () => {
    expect(selectXlen({ board: 'spike', bios: 'none', kernel: k32 })).toBe(32);
    expect(selectXlen({ board: 'spike', bios: 'none', kernel: k64 })).toBe(64);
    expect(selectXlen({ board: 'spike', bios: 'none', kernel: raw })).toBe(64);
    expect(selectXlen({ board: 'spike', bios: 'none', kernel: raw, xlen: 32 })).toBe(32);
    expect(selectXlen({ board: 'virt', bios: { file: k32 }, kernel: raw })).toBe(32);
    expect(selectXlen({ board: 'spike', bios: 'none', kernel: k32, xlen: 32 })).toBe(32);
  });

  it('refuses a -cpu or an image that contradicts an ELF, and RV32 with the default firmware', () => {
    expect(() => selectXlen({ board: 'spike', bios: 'none', kernel: k32, xlen: 64 })).toThrow(LoadError);
    expect(() => selectXlen({ board: 'spike', bios: 'none', kernel: k32, xlen: 64 })).toThrow(/-cpu rv64 cannot run '.*k32\.elf': it is an ELF32 \(RV32\) program/);
    expect(() => selectXlen({ board: 'virt', bios: { file: k64 }, kernel: k32 })).toThrow(/k64\.elf' is an ELF64 \(RV64\) program, but '.*k32\.elf' is RV32/);
    expect(() => selectXlen({ board: 'virt', kernel: k32 })).toThrow(/no default firmware for RV32/);
  });
});
