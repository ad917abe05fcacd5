// Semihosting on the real core, with guests assembled here: the call sites found in the image,
// calls carried out at them (M-mode, U-mode with userspace=on, under -d exec), a plain
// breakpoint trap where they are not calls, console reads that wait for input, and the heap.
// test/boot/semihosting.test.ts runs a picolibc program against QEMU.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, type MachineConfig } from '../../server/src/machine/machine';
import { findCallSites, largestGap, SemihostingFileError, SYS, type SemihostingFiles } from '../../server/src/machine/semihosting';
import { asm, guestElf, reg, type Item } from './guest-image';

const root = path.join(__dirname, '../..');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-semihosting-'));

const word = (value: number) => asm.bytes(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
const SLLI_MARKER = 0x01f01013;
const EBREAK = 0x00100073;
const SRAI_MARKER = 0x40705013;
const MRET = 0x30200073;
const FENCE_I = 0x0000100f;
const CSR = { mstatus: 0x300, mtvec: 0x305, mepc: 0x341, pmpcfg0: 0x3a0, pmpaddr0: 0x3b0 };
const FINISHER = 0x10_0000; // virt's sifive_test: (status << 16) | 0x3333 exits with status

/** The RISC-V semihosting sequence, its ebreak labelled (these guests fit in one page). */
const call = (label: string): Item[] => [word(SLLI_MARKER), asm.label(label), word(EBREAK), word(SRAI_MARKER)];

/** Exits through the finisher with `status` (what a breakpoint trap leads to here: 9). */
const finish = (status: number): Item[] => [asm.li(reg.t2, FINISHER), asm.li(reg.t1, (status << 16) | 0x3333), asm.sw(reg.t1, reg.t2, 0)];

/** Points mtvec at a handler that exits 9: a breakpoint trap ends the run there. */
const trapExits: Item[] = [asm.la(reg.t0, 'trap'), asm.csrrw(reg.zero, CSR.mtvec, reg.t0)];

/** WRITE0 of "hi\n", then EXIT through the (reason, subcode) block with status 7. */
const helloAndExit: Item[] = [
  asm.li(reg.a0, SYS.WRITE0), asm.la(reg.a1, 'message'), ...call('write0'),
  asm.li(reg.a0, SYS.EXIT), asm.la(reg.a1, 'exit_block'), ...call('exit'),
  asm.label('hang'), asm.j('hang'),
];

/** Data and the trap handler every guest ends with. */
const tail: Item[] = [
  asm.align(4), asm.label('trap'), ...finish(9), asm.j('trap'),
  asm.align(8), asm.label('exit_block'), asm.dword(0x20026n), asm.dword(7n),
  asm.label('message'), asm.bytes(...Buffer.from('hi\n\0')),
  asm.align(8), asm.label('scratch'), asm.dword(0n),
];

/** Files that are never asked for in these tests. */
const noFiles: SemihostingFiles = {
  open: () => { throw new SemihostingFileError(2); },
  remove: () => { throw new SemihostingFileError(2); },
  rename: () => { throw new SemihostingFileError(2); },
  temporaryName: (id) => `tmp${id}`,
};

function guest(name: string, items: Item[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, guestElf(0x8000_0000n, [...items, ...tail]));
  return file;
}

function machine(kernel: string, extra: Partial<MachineConfig> = {}) {
  const output: number[] = [];
  const instance = new Machine({
    board: 'virt', ramSize: 8 << 20, kernel, bios: 'none', icountShift: 3,
    console: { write: (byte) => output.push(byte) },
    semihosting: { files: noFiles, commandLine: 'guest' },
    ...extra,
  });
  return { machine: instance, output: () => Buffer.from(output).toString('latin1') };
}

describe('finding call sites', () => {
  const image = (items: Item[]) => {
    const elf = guestElf(0x8000_0000n, items);
    return { vaddr: 0x8000_0000n, data: elf.subarray(0x78) }; // one segment right after the headers
  };

  it('finds the ebreak between the two markers, at any 2-byte step, and nothing else', () => {
    const { vaddr, data } = image([
      asm.bytes(0x01, 0x00), word(SLLI_MARKER), word(EBREAK), word(SRAI_MARKER), // after a c.nop: 2-byte aligned
      word(EBREAK), word(SRAI_MARKER), // no marker before
      word(SLLI_MARKER), word(EBREAK), word(0x00000013), // no marker after
      word(SLLI_MARKER), word(EBREAK), word(SRAI_MARKER),
    ]);
    expect(findCallSites([{ vaddr, data }])).toEqual([vaddr + 6n, vaddr + 38n]);
  });

  it('skips a sequence that crosses a page, as QEMU does', () => {
    const data = new Uint8Array(8192);
    const view = new DataView(data.buffer);
    [SLLI_MARKER, EBREAK, SRAI_MARKER].forEach((value, i) => view.setUint32(4090 + 4 * i, value, true)); // ebreak at 4094
    [SLLI_MARKER, EBREAK, SRAI_MARKER].forEach((value, i) => view.setUint32(100 + 4 * i, value, true));
    expect(findCallSites([{ vaddr: 0x8000_0000n, data }])).toEqual([0x8000_0068n]);
  });
});

describe('SYS_HEAPINFO layout', () => {
  it('is the largest stretch of RAM no image covers (QEMU rom_find_largest_gap_between)', () => {
    const ram = [0x8000_0000n, 0x8800_0000n] as const;
    expect(largestGap(...ram, [])).toEqual({ base: 0x8000_0000n, limit: 0x8800_0000n });
    expect(largestGap(...ram, [
      { start: 0x8000_0000n, end: 0x8000_3000n }, { start: 0x8010_0000n, end: 0x8010_1000n },
      { start: 0x87e0_0000n, end: 0x87e0_2000n },
    ])).toEqual({ base: 0x8010_1000n, limit: 0x87e0_0000n });
    // Overlapping and out-of-range ranges, and a tie (the first gap wins).
    expect(largestGap(0n, 100n, [{ start: 10n, end: 40n }, { start: 20n, end: 30n }, { start: 70n, end: 200n }, { start: 300n, end: 400n }]))
      .toEqual({ base: 40n, limit: 70n });
    expect(largestGap(0n, 100n, [{ start: 10n, end: 20n }, { start: 30n, end: 90n }, { start: 95n, end: 100n }])).toEqual({ base: 0n, limit: 10n });
  });
});

describe.skipIf(!haveCore)('semihosting calls on the core', () => {
  it('carries out the calls at the marked ebreaks: console output and the exit status', async () => {
    const run = machine(guest('hello.elf', [...trapExits, ...helloAndExit]));
    expect(await run.machine.run()).toBe(7);
    expect(run.output()).toBe('hi\n');
  });

  it('leaves the ebreak a breakpoint trap without -semihosting', async () => {
    const run = machine(guest('plain.elf', [...trapExits, ...helloAndExit]), { semihosting: undefined });
    expect(await run.machine.run()).toBe(9);
    expect(run.output()).toBe('');
  });

  it('carries them out under -d exec, one step per run', async () => {
    const lines: string[] = [];
    const sink = { write: (text: string) => lines.push(text), flush() {}, close() {} };
    const run = machine(guest('traced.elf', [...trapExits, ...helloAndExit]), { trace: { exec: true, inAsm: false, int: false }, traceSink: sink });
    expect(await run.machine.run()).toBe(7);
    expect(run.output()).toBe('hi\n');
    expect(lines.join('')).toMatch(/Trace 0: 0x0000000080000000/);
  });

  it('takes a call from U-mode only with userspace=on (QEMU refuses it otherwise)', async () => {
    const toUserMode: Item[] = [
      ...trapExits,
      // PMP: all of memory for U-mode; mstatus.MPP = U; mret to `user`.
      asm.li(reg.t0, -1), asm.csrrw(reg.zero, CSR.pmpaddr0, reg.t0), asm.li(reg.t0, 0x1f), asm.csrrw(reg.zero, CSR.pmpcfg0, reg.t0),
      asm.csrrw(reg.zero, CSR.mstatus, reg.zero), asm.la(reg.t0, 'user'), asm.csrrw(reg.zero, CSR.mepc, reg.t0), word(MRET),
      asm.label('user'), ...helloAndExit,
    ];
    const kernel = guest('user.elf', toUserMode);
    expect(await machine(kernel).machine.run()).toBe(9);
    const allowed = machine(kernel, { semihosting: { files: noFiles, commandLine: '', userspace: true } });
    expect(await allowed.machine.run()).toBe(7);
    expect(allowed.output()).toBe('hi\n');
  });

  it('runs the ebreak as a breakpoint once its markers are gone', async () => {
    const rewrite: Item[] = [
      ...trapExits,
      // Overwrite the marker before the first call's ebreak with a nop.
      asm.la(reg.t0, 'write0'), asm.li(reg.t1, 0x13), asm.sw(reg.t1, reg.t0, -4), word(FENCE_I),
      ...helloAndExit,
    ];
    expect(await machine(guest('rewritten.elf', rewrite)).machine.run()).toBe(9);
  });

  it('waits in SYS_READC for typed input, including input typed before the guest asked', async () => {
    const echo: Item[] = [
      ...trapExits,
      asm.li(reg.a0, SYS.READC), ...call('readc'),
      asm.la(reg.a1, 'scratch'), asm.sb(reg.a0, reg.a1, 0), asm.li(reg.a0, SYS.WRITEC), ...call('writec'),
      asm.li(reg.a0, SYS.READC), ...call('readc2'),
      asm.la(reg.a1, 'scratch'), asm.sb(reg.a0, reg.a1, 0), asm.li(reg.a0, SYS.WRITEC), ...call('writec2'),
      asm.li(reg.a0, SYS.EXIT), asm.la(reg.a1, 'exit_block'), ...call('exit'),
    ];
    const run = machine(guest('echo.elf', echo));
    run.machine.sendInput(Buffer.from('a')); // before the run: the UART, never set up, must not take it
    const status = run.machine.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.output()).toBe('a'); // and now it waits for the second byte
    run.machine.sendInput(Buffer.from('b'));
    expect(await status).toBe(7);
    expect(run.output()).toBe('ab');
  });

  it('answers SYS_HEAPINFO with the RAM the image leaves free below the device tree', async () => {
    const heap: Item[] = [
      asm.li(reg.a0, SYS.HEAPINFO), asm.la(reg.a1, 'pointer'), ...call('heapinfo'),
      asm.li(reg.a0, SYS.EXIT), asm.la(reg.a1, 'exit_block'), ...call('exit'),
      asm.align(8), asm.label('pointer'), { encode: (_pc, labels) => [Number(labels.get('block')! & 0xffffffffn), 0], words: 2 },
      asm.label('block'), asm.dword(0n), asm.dword(0n), asm.dword(0n), asm.dword(0n),
    ];
    const run = machine(guest('heap.elf', heap));
    expect(await run.machine.run()).toBe(7);
    const symbols = run.machine.symbols!;
    const block = symbols.lookup('block')!.value;
    const fields = new BigUint64Array(run.machine.core.readPhysical(block, 32).buffer);
    const imageEnd = symbols.lookup('scratch')!.value + 8n;
    const fdt = run.machine.bootImages!.fdtAddress;
    expect([...fields]).toEqual([imageEnd, fdt, fdt, imageEnd]);
  });
});
