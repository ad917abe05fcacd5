// ELF and raw kernel loading: segments, zero fill, symbols, and one-line errors for bad files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { elfClassOf, loadImage, LoadError, parseElf, readElfClass, readKernel, type PhysicalMemory } from '../../server/src/machine/elf';
import { buildElf } from './guest-image';

const RAM_BASE = 0x8000_0000n;

/** A RAM of `size` bytes at 0x80000000 that records what the loader writes. */
function fakeRam(size: number): PhysicalMemory & { bytes: Uint8Array } {
  const bytes = new Uint8Array(size).fill(0xaa); // not zero, so zero fill is visible
  return {
    bytes,
    inRam: (paddr, length) => paddr >= RAM_BASE && paddr + BigInt(length) <= RAM_BASE + BigInt(size),
    writePhysical(paddr, data) {
      bytes.set(data, Number(paddr - RAM_BASE));
    },
  };
}

function sample(): Uint8Array {
  return buildElf({
    entry: 0x8000_0010n,
    segments: [
      { paddr: 0x8000_0000n, data: Uint8Array.from([1, 2, 3, 4]), memSize: 16 },
      { paddr: 0x8000_1000n, vaddr: 0xffff_ffff_8000_1000n, data: Uint8Array.from([9, 8]) },
    ],
    symbols: [
      { name: 'tohost', value: 0x8000_1000n, size: 8n, type: 1 },
      { name: 'main', value: 0x8000_0010n, size: 0x20n, type: 2 },
      { name: 'helper', value: 0x8000_0030n, size: 0x10n, type: 2, global: false },
    ],
  });
}

function expectLoadError(action: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LoadError);
  const message = (caught as Error).message;
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
}

function patched(bytes: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  patch(new DataView(copy.buffer));
  return copy;
}

describe('ELF64 parsing', () => {
  it('reads the entry, the PT_LOAD segments and the symbols', () => {
    const image = parseElf(sample(), 'sample.elf');
    expect(image.entry).toBe(0x8000_0010n);
    expect(image.segments).toHaveLength(2);
    expect(image.segments[0]).toMatchObject({ paddr: 0x8000_0000n, memSize: 16n });
    expect([...image.segments[0].data]).toEqual([1, 2, 3, 4]);
    expect(image.segments[1].vaddr).toBe(0xffff_ffff_8000_1000n);
    expect(image.symbols.lookup('tohost')).toMatchObject({ value: 0x8000_1000n, size: 8n, type: 'object' });
    expect(image.symbols.lookup('main')).toMatchObject({ type: 'func', global: true });
    expect(image.symbols.lookup('helper')?.global).toBe(false);
    expect(image.symbols.lookup('missing')).toBeUndefined();
  });

  it('finds the symbol holding an address', () => {
    const { symbols } = parseElf(sample(), 'sample.elf');
    expect(symbols.at(0x8000_0018n)).toMatchObject({ symbol: { name: 'main' }, offset: 8n });
    expect(symbols.at(0x8000_0030n)).toMatchObject({ symbol: { name: 'helper' }, offset: 0n });
    expect(symbols.at(0x8000_0040n)).toBeUndefined(); // past helper's end, no label to fall back on
  });

  it('reads the symbols of a toolchain-built ELF as readelf shows them', () => {
    const file = path.join(__dirname, '../../samples/hello/hello.elf');
    const image = readKernel(file);
    if (image.format !== 'elf') throw new Error('hello.elf is not an ELF');
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.symbols.lookup('_start')?.value).toBe(0x8000_0000n);
    const main = image.symbols.lookup('main');
    expect(main?.type).toBe('func');
    expect(image.symbols.at(main!.value + 4n)?.symbol.name).toBe('main');
    // puts_ shares its address with a $x mapping symbol, which the table drops.
    expect(image.symbols.at(0x8000_0042n)).toMatchObject({ symbol: { name: 'puts_', size: 62n }, offset: 0n });
  });

  it('reports the class: 64 here', () => {
    expect(parseElf(sample(), 'sample.elf').elfClass).toBe(64);
    expect(elfClassOf(sample())).toBe(64);
  });

  it('refuses an ELF for another machine', () => {
    const x86 = patched(sample(), (view) => view.setUint16(18, 62, true));
    expectLoadError(() => parseElf(x86, 'x86.elf'), /not a RISC-V ELF \(machine 62, x86-64\)/);
  });

  it('refuses big-endian, relocatable and truncated files', () => {
    expectLoadError(() => parseElf(patched(sample(), (v) => v.setUint8(5, 2)), 'be.elf'), /not a RISC-V ELF|big-endian/);
    expectLoadError(() => parseElf(patched(sample(), (v) => v.setUint16(16, 1, true)), 'x.o'), /relocatable object/);
    expectLoadError(() => parseElf(sample().subarray(0, 40), 'short.elf'), /not a valid ELF file: truncated/);
  });

  it('refuses malformed program headers and segments', () => {
    const cases: [string, (view: DataView) => void, RegExp][] = [
      ['phoff past the end', (v) => v.setBigUint64(32, 1n << 40n, true), /program header table lies past/],
      ['bad phentsize', (v) => v.setUint16(54, 32, true), /program header size 32/],
      ['no program headers', (v) => v.setUint16(56, 0, true), /no program headers/],
      ['segment past the end', (v) => v.setBigUint64(64 + 8, 1n << 20n, true), /segment 0 lies past the end/],
      ['filesz > memsz', (v) => v.setBigUint64(64 + 40, 1n, true), /file size larger than its memory size/],
      ['no PT_LOAD', (v) => { v.setUint32(64, 6, true); v.setUint32(64 + 56, 6, true); }, /no loadable segments/],
      ['section table past the end', (v) => v.setBigUint64(40, 1n << 30n, true), /section header table lies past/],
    ];
    for (const [, patch, pattern] of cases) expectLoadError(() => parseElf(patched(sample(), patch), 'bad.elf'), pattern);
  });
});

describe('loading into RAM', () => {
  it('copies file bytes and zero-fills up to the memory size', () => {
    const ram = fakeRam(0x2000);
    const entry = loadImage(parseElf(sample(), 'sample.elf'), ram, 'sample.elf', RAM_BASE);
    expect(entry).toBe(0x8000_0010n);
    expect([...ram.bytes.subarray(0, 18)]).toEqual([1, 2, 3, 4, ...new Array(12).fill(0), 0xaa, 0xaa]);
    expect([...ram.bytes.subarray(0x1000, 0x1003)]).toEqual([9, 8, 0xaa]);
  });

  it('puts a raw binary at the given base and enters there', () => {
    const ram = fakeRam(0x1000);
    const entry = loadImage({ format: 'raw', data: Uint8Array.from([0x13, 0, 0, 0]) }, ram, 'k.bin', RAM_BASE);
    expect(entry).toBe(RAM_BASE);
    expect([...ram.bytes.subarray(0, 5)]).toEqual([0x13, 0, 0, 0, 0xaa]);
  });

  it('says the kernel does not fit when a segment leaves RAM', () => {
    const ram = fakeRam(0x1000); // the second segment at +0x1000 is outside
    expectLoadError(() => loadImage(parseElf(sample(), 's.elf'), ram, 's.elf', RAM_BASE), /does not fit in RAM.*0x80001000/);
    expect(ram.bytes[0]).toBe(0xaa); // nothing written before the check failed
    const big = { format: 'raw' as const, data: new Uint8Array(0x1001) };
    expectLoadError(() => loadImage(big, ram, 'big.bin', RAM_BASE), /does not fit in RAM/);
  });
});

describe('reading kernel files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-elf-'));

  it('tells a missing file in one line', () => {
    expectLoadError(() => readKernel(path.join(dir, 'nope.elf')), /could not load kernel '.*nope\.elf': no such file/);
  });

  it('treats a file without the ELF magic as a raw binary and refuses an empty one', () => {
    const raw = path.join(dir, 'k.bin');
    fs.writeFileSync(raw, Uint8Array.from([0x6f, 0, 0, 0]));
    expect(readKernel(raw)).toMatchObject({ format: 'raw' });
    const empty = path.join(dir, 'empty.bin');
    fs.writeFileSync(empty, '');
    expectLoadError(() => readKernel(empty), /is empty/);
  });
});

describe('ELF32 parsing (RV32 kernels)', () => {
  function sample32(): Uint8Array {
    return buildElf({
      elfClass: 32,
      entry: 0x8000_0010n,
      segments: [
        { paddr: 0x8000_0000n, data: Uint8Array.from([1, 2, 3, 4]), memSize: 16 },
        { paddr: 0x8000_1000n, vaddr: 0xc000_1000n, data: Uint8Array.from([9, 8]) },
      ],
      symbols: [
        { name: 'tohost', value: 0x8000_1000n, size: 8n, type: 1 },
        { name: 'main', value: 0x8000_0010n, size: 0x20n, type: 2 },
      ],
    });
  }

  it('reads the class, the entry, the PT_LOAD segments and the symbols', () => {
    const image = parseElf(sample32(), 'k32.elf');
    expect(image.elfClass).toBe(32);
    expect(image.entry).toBe(0x8000_0010n);
    expect(image.segments).toHaveLength(2);
    expect(image.segments[0]).toMatchObject({ paddr: 0x8000_0000n, memSize: 16n });
    expect([...image.segments[0].data]).toEqual([1, 2, 3, 4]);
    expect(image.segments[1]).toMatchObject({ paddr: 0x8000_1000n, vaddr: 0xc000_1000n });
    expect(image.symbols.lookup('tohost')).toMatchObject({ value: 0x8000_1000n, size: 8n, type: 'object' });
    expect(image.symbols.lookup('main')).toMatchObject({ type: 'func', global: true });
  });

  it('tells the class from the first bytes of a file, and nothing for other files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-elf32-'));
    try {
      const k32 = path.join(dir, 'k32.elf');
      fs.writeFileSync(k32, sample32());
      expect(readElfClass(k32)).toBe(32);
      expect(elfClassOf(sample32())).toBe(32);
      const raw = path.join(dir, 'k.bin');
      fs.writeFileSync(raw, new Uint8Array(64));
      expect(readElfClass(raw)).toBeUndefined();
      expect(readElfClass(path.join(dir, 'missing.elf'))).toBeUndefined();
      expect(elfClassOf(patched(sample32(), (view) => view.setUint16(18, 62, true)))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses malformed ELF32 headers with ELF32 sizes in the message', () => {
    expectLoadError(() => parseElf(sample32().subarray(0, 40), 'short.elf'), /truncated ELF header/);
    expectLoadError(() => parseElf(patched(sample32(), (v) => v.setUint16(42, 56, true)), 'bad.elf'), /program header size 56/);
    expectLoadError(() => parseElf(patched(sample32(), (v) => v.setUint16(18, 40, true)), 'arm.elf'), /not a RISC-V ELF \(machine 40, ARM\)/);
  });

  it('loads an ELF32 image at its physical addresses', () => {
    const ram = fakeRam(0x2000);
    const entry = loadImage(parseElf(sample32(), 'k32.elf'), ram, 'k32.elf', RAM_BASE);
    expect(entry).toBe(0x8000_0010n);
    expect([...ram.bytes.subarray(0, 6)]).toEqual([1, 2, 3, 4, 0, 0]);
    expect([...ram.bytes.subarray(0x1000, 0x1002)]).toEqual([9, 8]);
  });
});
