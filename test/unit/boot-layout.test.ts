// Where -bios and -kernel go, as QEMU 7.2 hw/riscv/boot.c places them: the firmware at DRAM's
// base, the kernel at the firmware's end rounded up to 2 MiB, fw_dynamic_info.next_addr at
// the kernel's lowest byte; -bios none and -bios default; refusals with one line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArguments } from '../../server/src/cli/options';
import { prepareBootImages } from '../../server/src/machine/boot-images';
import { bootSymbols, DEFAULT_FIRMWARE, loadBootStages, planBoot, type BootLayoutConfig } from '../../server/src/machine/boot-layout';
import { LoadError } from '../../server/src/machine/elf';
import { buildElf } from './guest-image';

const MIB = 1 << 20;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-boot-layout-'));

function file(name: string, bytes: Uint8Array): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, bytes);
  return at;
}

const rawFirmware = file('fw.bin', new Uint8Array(115_328).fill(0x13)); // fw_dynamic.bin's size
const rawKernel = file('kernel.bin', new Uint8Array(4096).fill(0x6f));
/** An ELF firmware whose .bss runs past its file bytes, to 0x80245000. */
const elfFirmware = file('fw.elf', buildElf({
  entry: 0x8000_0000n,
  segments: [{ paddr: 0x8000_0000n, data: new Uint8Array(0x1000), memSize: 0x24_5000 }],
  symbols: [{ name: 'fw_platform_init', value: 0x8000_0100n, type: 2 }],
}));
/** An ELF kernel whose entry is not its lowest address (FreeBSD keeps separate SBI and ELF entries). */
const elfKernel = file('kernel.elf', buildElf({
  entry: 0x8020_0040n,
  segments: [{ paddr: 0x8020_0000n, data: new Uint8Array(0x100) }, { paddr: 0x8030_0000n, data: new Uint8Array(8), memSize: 0x2000 }],
  symbols: [{ name: 'kernel_main', value: 0x8020_0040n, type: 2 }],
}));

function plan(overrides: Partial<BootLayoutConfig>) {
  return planBoot({ board: 'virt', bios: 'none', ramSize: 128 * MIB, ...overrides });
}

describe('boot layout', () => {
  it('puts the kernel alone at DRAM base with -bios none, and the ROM jumps there on virt', () => {
    const raw = plan({ kernel: rawKernel });
    expect(raw.firmware).toBeUndefined();
    expect(raw.kernel?.base).toBe(0x8000_0000n);
    expect(raw).toMatchObject({ start: 0x8000_0000n, nextAddr: 0x8000_0000n });
    // An ELF goes at its own addresses; virt's ROM still jumps to DRAM's base, whatever the entry.
    expect(plan({ kernel: elfKernel })).toMatchObject({ start: 0x8000_0000n, nextAddr: 0x8020_0000n });
    // Spike's ROM, with no firmware, jumps to the ELF's entry.
    expect(plan({ board: 'spike', kernel: elfKernel })).toMatchObject({ start: 0x8020_0040n });
  });

  it('puts a raw firmware at DRAM base and the kernel at its end rounded up to 2 MiB', () => {
    const layout = plan({ bios: { file: rawFirmware }, kernel: rawKernel });
    expect(layout.firmware?.base).toBe(0x8000_0000n);
    expect(layout.kernel?.base).toBe(0x8020_0000n);
    expect(layout).toMatchObject({ start: 0x8000_0000n, nextAddr: 0x8020_0000n });
    // RV32 aligns to 4 MiB (QEMU riscv_calc_kernel_start_addr).
    expect(plan({ bios: { file: rawFirmware }, kernel: rawKernel, xlen: 32 }).kernel?.base).toBe(0x8040_0000n);
  });

  it('ends an ELF firmware at its highest byte, .bss included, and hands on the kernel ELF\'s lowest address', () => {
    const layout = plan({ bios: { file: elfFirmware }, kernel: rawKernel });
    expect(layout.kernel?.base).toBe(0x8040_0000n); // 0x80245000 rounded up
    expect(layout.nextAddr).toBe(0x8040_0000n);
    // QEMU riscv_load_kernel returns an ELF's low address, not its entry.
    expect(plan({ bios: { file: rawFirmware }, kernel: elfKernel }).nextAddr).toBe(0x8020_0000n);
  });

  it('runs firmware alone: next_addr 0, symbols from the firmware ELF unless the kernel has some', () => {
    const alone = plan({ bios: { file: elfFirmware } });
    expect(alone.kernel).toBeUndefined();
    expect(alone).toMatchObject({ start: 0x8000_0000n, nextAddr: 0n });
    expect(bootSymbols(alone)?.lookup('fw_platform_init')?.value).toBe(0x8000_0100n);
    expect(bootSymbols(plan({ bios: { file: rawFirmware }, kernel: elfKernel }))?.lookup('kernel_main')).toBeDefined();
    expect(bootSymbols(plan({ bios: { file: rawFirmware }, kernel: rawKernel }))).toBeUndefined();
  });

  it('loads both stages into memory', () => {
    const writes: [bigint, number][] = [];
    const memory = { writePhysical: (paddr: bigint, data: Uint8Array) => { writes.push([paddr, data.length]); }, inRam: () => true };
    loadBootStages(plan({ bios: { file: rawFirmware }, kernel: rawKernel }), memory);
    expect(writes).toEqual([[0x8000_0000n, 115_328], [0x8020_0000n, 4096]]);
  });

  it('finds the default firmware, or says how to install it', () => {
    const present = plan({ bios: 'default', defaultFirmware: rawFirmware, kernel: rawKernel });
    expect(present.firmware?.name).toBe(rawFirmware);
    const missing = path.join(dir, 'absent', 'fw_dynamic.bin');
    expect(() => plan({ bios: 'default', defaultFirmware: missing })).toThrow(LoadError);
    expect(() => plan({ bios: 'default', defaultFirmware: missing })).toThrow(/^no default firmware: .*fw_dynamic\.bin is missing \(apt-get install opensbi\)/);
    expect(DEFAULT_FIRMWARE).toBe('/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin');
    expect(() => plan({ board: 'spike', bios: 'default', kernel: rawKernel })).toThrow(/spike board has no default firmware/);
  });

  it('refuses what cannot load, with one line', () => {
    expect(() => plan({})).toThrow(/no kernel given/);
    expect(() => plan({ bios: { file: path.join(dir, 'nope.bin') } })).toThrow(/^could not load firmware '.*nope\.bin': no such file$/);
    expect(() => plan({ bios: { file: file('empty.bin', new Uint8Array(0)) } })).toThrow(/could not load firmware .*the file is empty/);
    expect(() => plan({ bios: { file: rawFirmware }, kernel: rawKernel, ramSize: 2 * MIB }))
      .toThrow(/^kernel '.*kernel\.bin' does not fit in RAM: it needs 0x80200000\.\.0x80201000$/);
    expect(() => plan({ bios: { file: elfFirmware }, ramSize: 2 * MIB })).toThrow(/^firmware '.*fw\.elf' does not fit in RAM/);
  });

  it('refuses a kernel linked over the firmware, and places the initrd after the kernel', () => {
    const lowKernel = file('low.elf', buildElf({ entry: 0x8000_0000n, segments: [{ paddr: 0x8000_0000n, data: new Uint8Array(16) }] }));
    const overlapping = plan({ bios: { file: rawFirmware }, kernel: lowKernel });
    const config = { board: 'virt' as const, ramSize: 128 * MIB, harts: 1, rngSeed: 1n };
    expect(() => prepareBootImages(config, overlapping))
      .toThrow(/^firmware '.*fw\.bin' \(0x80000000\.\.0x8001c280\) overlaps kernel '.*low\.elf' \(0x80000000\.\.0x80000010\): they are built for overlapping addresses$/);
    const initrd = file('initrd.img', new Uint8Array(100));
    // QEMU: the kernel's lowest address plus min(RAM / 2, 128 MiB).
    expect(prepareBootImages({ ...config, initrd }, plan({ bios: { file: rawFirmware }, kernel: rawKernel }))?.initrd?.address).toBe(0x8420_0000n);
  });

  it('places a -dtb FILE by the room QEMU opens for it, (file size + 10000) × 2 bytes', () => {
    const config = { board: 'virt' as const, ramSize: 128 * MIB, harts: 1, rngSeed: 1n };
    const tree = prepareBootImages(config)!.dtb;
    // QEMU's dumpdtb writes 1 MiB files: such a blob goes 2 MiB lower than a generated tree.
    const padded = new Uint8Array(1 << 20);
    padded.set(tree);
    expect(prepareBootImages({ ...config, dtb: file('padded.dtb', padded) })?.fdtAddress).toBe(0x87c0_0000n);
    expect(prepareBootImages({ ...config, dtb: file('tight.dtb', tree) })?.fdtAddress).toBe(0x87e0_0000n);
    expect(prepareBootImages(config)?.fdtAddress).toBe(0x87e0_0000n);
  });
});

describe('-bios on the command line', () => {
  const bios = (...args: string[]) => {
    const invocation = parseArguments([...args, '-kernel', 'k']);
    return invocation.kind === 'run' ? invocation.options.bios : undefined;
  };

  it('reads none, default (also when absent) and a file', () => {
    expect(bios()).toBe('default');
    expect(bios('-bios', 'default')).toBe('default');
    expect(bios('-bios', 'none')).toBe('none');
    expect(bios('-bios', 'fw_jump.elf')).toEqual({ file: 'fw_jump.elf' });
    expect(bios('--bios', '-odd.bin')).toEqual({ file: '-odd.bin' });
  });

  it('needs -kernel only without firmware', () => {
    expect(parseArguments(['-bios', 'fw.bin'])).toMatchObject({ kind: 'run', options: { bios: { file: 'fw.bin' }, kernel: undefined } });
    expect(parseArguments([])).toMatchObject({ kind: 'run', options: { bios: 'default' } });
    expect(() => parseArguments(['-bios', 'none'])).toThrow(/no kernel given/);
  });

  it('passes -bios to dumpdtb, which places the kernel and initrd after the firmware', () => {
    expect(parseArguments(['-M', 'virt,dumpdtb=o.dtb', '-bios', 'fw.bin', '-kernel', 'k'])).toMatchObject({
      kind: 'dump-dtb', options: { bios: { file: 'fw.bin' }, kernel: 'k' },
    });
  });
});
