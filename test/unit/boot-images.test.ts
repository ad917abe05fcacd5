// The virt board's device tree and boot images: QEMU 7.2's DTB and initrd addresses, /chosen,
// -dtb checks, overlap refusals, and the command-line flags that feed them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArguments, UsageError } from '../../server/src/cli/options';
import { fdtLoadAddress, prepareBootImages, type BootImagesConfig, type PlacedStages } from '../../server/src/machine/boot-images';
import { MAX_HARTS, RISCV_ISA, rngSeedBytes, virtDeviceTree } from '../../server/src/machine/device-tree';
import { LoadError, parseElf } from '../../server/src/machine/elf';
import { DeviceTree, parseFdt, serializeFdt } from '../../server/src/machine/fdt';
import { memoryMap } from '../../server/src/machine/memory-map';
import { buildElf } from './guest-image';

const MIB = 1 << 20;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-boot-images-'));

function file(name: string, bytes: Uint8Array): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, bytes);
  return at;
}

const raw = (length: number): PlacedStages => ({
  kernel: { role: 'kernel', image: { format: 'raw', data: new Uint8Array(length) }, name: 'k.bin', base: 0x8000_0000n },
});

function config(overrides: Partial<BootImagesConfig> = {}): BootImagesConfig {
  return { board: 'virt', ramSize: 128 * MIB, harts: 1, rngSeed: 42n, ...overrides };
}

describe('boot image placement (QEMU 7.2 riscv_load_fdt / riscv_load_initrd, measured)', () => {
  it('puts the DTB at the end of DRAM, 2 MiB aligned, below 3 GiB', () => {
    expect(fdtLoadAddress(128 * MIB, 4222)).toBe(0x87e0_0000n);
    expect(fdtLoadAddress(256 * MIB, 4222)).toBe(0x8fe0_0000n);
    expect(fdtLoadAddress(1024 * MIB, 4222)).toBe(0xbfe0_0000n);
    expect(fdtLoadAddress(2048 * MIB, 4222)).toBe(0xbfe0_0000n);
    expect(fdtLoadAddress(4092 * MIB, 4222)).toBe(0xbfe0_0000n);
    expect(fdtLoadAddress(128 * MIB, 2 * MIB + 1)).toBe(0x87c0_0000n);
    const images = prepareBootImages(config(), raw(16))!;
    expect(images.fdtAddress).toBe(0x87e0_0000n);
    expect(parseFdt(images.dtb).node('/memory@80000000')?.getU64s('reg')).toEqual([0x8000_0000n, BigInt(128 * MIB)]);
  });

  it('loads the initrd min(RAM/2, 128 MiB) above the kernel\'s lowest address and names it in /chosen', () => {
    const initrd = file('initrd.img', new Uint8Array(1000).fill(0x5a));
    for (const [ramSize, start] of [[128 * MIB, 0x8400_0000n], [256 * MIB, 0x8800_0000n], [1024 * MIB, 0x8800_0000n]] as const) {
      const images = prepareBootImages(config({ ramSize, initrd }), raw(16))!;
      expect(images.initrd?.address).toBe(start);
      expect(images.initrd?.data).toHaveLength(1000);
      const chosen = parseFdt(images.dtb).node('/chosen')!;
      expect(chosen.getU32('linux,initrd-start')).toBe(Number(start));
      expect(chosen.getU32('linux,initrd-end')).toBe(Number(start) + 1000);
    }
    // An ELF's lowest segment counts, not its entry (QEMU uses the lowest load address).
    const elf = buildElf({ entry: 0x8020_0100n, segments: [{ paddr: 0x8020_0000n, data: new Uint8Array(0x200) }] });
    expect(prepareBootImages(config({ initrd }), { kernel: { role: 'kernel', image: parseElf(elf, 'k.elf'), name: 'k.elf', base: 0x8000_0000n } })!.initrd?.address).toBe(0x8420_0000n);
  });

  it('refuses an initrd past RAM or over the DTB, and a DTB over the kernel, as QEMU does', () => {
    const big = file('big.img', new Uint8Array(63 * MIB));
    expect(() => prepareBootImages(config({ initrd: big }), raw(16))).toThrow(/ramdisk .* overlaps the device tree|the device tree .* overlaps ramdisk/);
    const huge = file('huge.img', new Uint8Array(65 * MIB));
    expect(() => prepareBootImages(config({ initrd: huge }), raw(16))).toThrow(/could not load ramdisk .*pass the end of RAM/);
    expect(() => prepareBootImages(config({ ramSize: 2 * MIB }), raw(16))).toThrow(/overlaps the device tree.*give more RAM/);
    expect(() => prepareBootImages(config({ initrd: path.join(dir, 'missing') }), raw(16))).toThrow(/could not load ramdisk .*no such file/);
    expect(() => prepareBootImages(config({ initrd: big }))).toThrow('-initrd only allowed with -kernel option');
    expect(() => prepareBootImages(config({ append: 'x' }))).toThrow('-append only allowed with -kernel option');
    expect(prepareBootImages(config({ ramSize: 3 * MIB }), raw(16))?.fdtAddress).toBe(0x8020_0000n);
  });

  it('puts -append in /chosen/bootargs, leaving it out when empty', () => {
    const chosen = (append: string | undefined) => parseFdt(prepareBootImages(config({ append }), raw(16))!.dtb).node('/chosen')!;
    expect(chosen('console=ttyS0 root=/dev/vda').getString('bootargs')).toBe('console=ttyS0 root=/dev/vda');
    expect(chosen('').has('bootargs')).toBe(false);
    expect(chosen(undefined).has('bootargs')).toBe(false);
    expect(chosen(undefined).getString('stdout-path')).toBe('/soc/serial@10000000');
  });

  it('derives rng-seed from the machine seed: the same seed, the same tree', () => {
    const seedOf = (seed: bigint) => Array.from(parseFdt(prepareBootImages(config({ rngSeed: seed }))!.dtb).node('/chosen')!.get('rng-seed')!);
    expect(seedOf(1n)).toHaveLength(32);
    expect(seedOf(1n)).toEqual(seedOf(1n));
    expect(seedOf(1n)).not.toEqual(seedOf(2n));
    expect(seedOf(1n)).toEqual(Array.from(rngSeedBytes(1n)));
  });

  it('takes -dtb FILE after checking it, and updates its /chosen as QEMU does', () => {
    const tree = new DeviceTree();
    tree.root.setString('model', 'mine');
    tree.root.addChild('chosen').setString('bootargs', 'old').setString('stdout-path', '/x');
    const dtb = file('mine.dtb', serializeFdt(tree));
    const initrd = file('small.img', new Uint8Array(8));
    const images = prepareBootImages(config({ dtb, append: 'new args', initrd }), raw(16))!;
    const back = parseFdt(images.dtb);
    expect(back.root.getString('model')).toBe('mine');
    expect(back.node('/chosen')?.getString('bootargs')).toBe('new args');
    expect(back.node('/chosen')?.getString('stdout-path')).toBe('/x');
    expect(back.node('/chosen')?.getU32('linux,initrd-start')).toBe(0x8400_0000);
    expect(back.node('/cpus')).toBeUndefined();
    expect(back.node('/chosen')?.properties.map((property) => property.name))
      .toEqual(['linux,initrd-end', 'linux,initrd-start', 'rng-seed', 'bootargs', 'stdout-path']); // bootargs replaced in place
    // Without -append or -initrd only rng-seed is added (QEMU draws one for a user's tree too).
    const plain = parseFdt(prepareBootImages(config({ dtb }), raw(16))!.dtb);
    expect(plain.node('/chosen')?.properties.map((property) => property.name)).toEqual(['rng-seed', 'bootargs', 'stdout-path']);
    expect(plain.node('/chosen')?.getString('bootargs')).toBe('old');
    // A tree without /chosen gets one (QEMU 7.2 stops with "Couldn't find node /chosen").
    const bare = file('bare.dtb', serializeFdt(new DeviceTree()));
    expect(parseFdt(prepareBootImages(config({ dtb: bare }))!.dtb).node('/chosen')?.has('rng-seed')).toBe(true);

    const bad = file('bad.dtb', Buffer.from('hi\n'));
    expect(() => prepareBootImages(config({ dtb: bad }))).toThrow(LoadError);
    expect(() => prepareBootImages(config({ dtb: bad }))).toThrow(/'.*bad\.dtb' is not a device tree blob: 3 bytes is too short/);
    const wrongMagic = file('magic.dtb', new Uint8Array(64));
    expect(() => prepareBootImages(config({ dtb: wrongMagic }))).toThrow(/not a device tree blob: bad magic 0x00000000/);
    const truncated = file('truncated.dtb', serializeFdt(tree).subarray(0, 60));
    expect(() => prepareBootImages(config({ dtb: truncated }))).toThrow(/not a device tree blob: totalsize/);
    expect(() => prepareBootImages(config({ dtb: path.join(dir, 'none.dtb') }))).toThrow(/could not load device tree .*no such file/);
  });

  it('has no device tree on spike, and says so for the flags that need one', () => {
    expect(prepareBootImages(config({ board: 'spike' }), raw(16))).toBeUndefined();
    expect(() => prepareBootImages(config({ board: 'spike', append: 'x' }), raw(16))).toThrow(/-append needs a device tree: the spike board has none/);
  });
});

describe('the virt tree', () => {
  it('lists every hart with QEMU 7.2 phandle numbering and wires CLINT and PLIC to each', () => {
    const tree = virtDeviceTree({ memoryMap: memoryMap('virt', 128 * MIB), harts: 3, rngSeed: new Uint8Array(32) });
    const cpu = (hart: number) => tree.node(`/cpus/cpu@${hart}`)!;
    expect([0, 1, 2].map((hart) => cpu(hart).getU32('phandle'))).toEqual([5, 3, 1]);
    expect([0, 1, 2].map((hart) => cpu(hart).child('interrupt-controller')!.getU32('phandle'))).toEqual([6, 4, 2]);
    expect(cpu(2).getString('riscv,isa')).toBe(RISCV_ISA);
    expect(tree.node('/soc/plic@c000000')?.getU32s('interrupts-extended')).toEqual([6, 11, 6, 9, 4, 11, 4, 9, 2, 11, 2, 9]);
    expect(tree.node('/soc/clint@2000000')?.getU32s('interrupts-extended')).toEqual([6, 3, 6, 7, 4, 3, 4, 7, 2, 3, 2, 7]);
    expect(tree.node('/soc/plic@c000000')?.getU32('phandle')).toBe(7);
    expect(tree.node('/soc/test@100000')?.getU32('phandle')).toBe(8);
    expect(tree.node('/poweroff')?.getU32('regmap')).toBe(8);
    expect(tree.node('/cpus/cpu-map/cluster0/core1')?.getU32('cpu')).toBe(3);
    expect(tree.node('/soc/serial@10000000')?.getU32('interrupt-parent')).toBe(7);
    // One node per memory-map region that has one, named after its base.
    const soc = tree.node('/soc')!.children.map((node) => node.name);
    for (const region of memoryMap('virt', 128 * MIB)) {
      if (region.kind === 'virtio-mmio') expect(soc).toContain(`virtio_mmio@${region.base.toString(16)}`);
    }
    expect(() => virtDeviceTree({ memoryMap: memoryMap('virt', MIB), harts: MAX_HARTS + 1, rngSeed: new Uint8Array(32) })).toThrow(RangeError);
  });
});

describe('command-line flags', () => {
  const base = ['-machine', 'virt', '-bios', 'none', '-kernel', 'k.elf'];

  it('takes -append, -initrd and -dtb into the run options', () => {
    expect(parseArguments([...base, '-append', 'console=ttyS0 quiet', '-initrd', 'i.img', '-dtb', 'd.dtb'])).toMatchObject({
      kind: 'run', options: { append: 'console=ttyS0 quiet', initrd: 'i.img', dtb: 'd.dtb' },
    });
    // A value that looks like an option is still the value.
    expect(parseArguments([...base, '-append', '-v'])).toMatchObject({ options: { append: '-v' } });
  });

  it('reads -machine virt,dumpdtb=FILE, with or without a kernel, and -smp up to 8 for it', () => {
    expect(parseArguments(['-machine', 'virt,dumpdtb=out.dtb', '-smp', '4', '-m', '256M'])).toEqual({
      kind: 'dump-dtb', file: 'out.dtb', options: { board: 'virt', ramSize: 256 * MIB, harts: 4 },
    });
    expect(parseArguments(['-M', 'virt,dumpdtb=o.dtb', '-kernel', 'k', '-append', 'a', '-smp', 'cpus=8', '-seed', '5'])).toMatchObject({
      kind: 'dump-dtb', options: { kernel: 'k', append: 'a', harts: 8, seed: 5n },
    });
    expect(parseArguments(['-M', 'virt,dumpdtb=o.dtb', '-smp', 'sockets=1,cores=2,threads=2'])).toMatchObject({ options: { harts: 4 } });
  });

  it('refuses bad values with one line', () => {
    const refuse = (args: string[], message: RegExp) => {
      expect(() => parseArguments(args)).toThrow(UsageError);
      expect(() => parseArguments(args)).toThrow(message);
    };
    refuse(['-M', 'virt,dumpdtb='], /dumpdtb needs a file name/);
    refuse(['-M', 'virt,aclint=on', ...base.slice(2)], /machine property 'aclint' is not supported \(only dumpdtb=FILE\)/);
    refuse(['-M', 'virt,dumpdtb=o.dtb', '-smp', '9'], /-smp 9: the virt board takes 1 to 8 harts/);
    refuse(['-M', 'virt,dumpdtb=o.dtb', '-smp', '0'], /takes 1 to 8 harts/);
    refuse([...base, '-smp', '9'], /-smp 9: the virt board takes 1 to 8 harts/);
    refuse([...base, '-append'], /option '-append' needs an argument/);
  });
});
