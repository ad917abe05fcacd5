// Our virt device tree against QEMU 7.2's: both dumped with `-machine virt,dumpdtb=` for
// several configurations, decompiled by Debian's dtc, and compared node by node; every
// difference must be one listed below. Then a guest checks a1 and the blob it points to,
// under Lantern and under QEMU, across a board reset.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RISCV_ISA } from '../../server/src/machine/device-tree';
import { FDT_MAGIC } from '../../server/src/machine/fdt';
import { Machine } from '../../server/src/machine/machine';
import { asm, guestElf, reg, type Item } from '../unit/guest-image';
import { buildHostBundle, hasTool } from '../support/guest-tools';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const haveDtc = hasTool('dtc');
const haveQemu = hasTool('qemu-system-riscv64');
if (!haveDtc) console.warn('test/boot/device-tree: dtc not found (Debian package device-tree-compiler): skipping the comparison with QEMU');
if (!haveQemu) console.warn('test/boot/device-tree: qemu-system-riscv64 not found: skipping the comparison with QEMU');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-device-tree-'));
const MIB = 1 << 20;

// ---- The accepted differences: anything else fails -----------------------------------------

/** Nodes QEMU 7.2's virt has for what Lantern does not implement. */
const QEMU_ONLY_NODES = new Map([
  ['/pmu', 'SBI PMU event map: Lantern\'s mhpmcounter3..31 are hard-wired zero, nothing to map events to'],
  ['/fw-cfg@10100000', 'no fw_cfg device'],
  ['/flash@20000000', 'no CFI flash banks'],
  ['/platform-bus@4000000', 'no dynamic sysbus devices'],
  ['/soc/pci@30000000', 'no PCIe host bridge (virtio is on virtio-mmio only)'],
]);

/** Properties whose values differ by design, in nodes both trees have. */
const ACCEPTED_VALUES: { node: RegExp; property: string; qemu: string; ours: string; why: string }[] = [
  {
    node: /^\/cpus\/cpu@\d+$/,
    property: 'riscv,isa',
    qemu: '"rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"',
    ours: `"${RISCV_ISA}"`,
    why: 'the core has no H (hypervisor) extension; everything else is the same list in QEMU\'s order',
  },
];

/** Random in both (QEMU draws a new seed per run): compared by length only. */
const RANDOM_VALUES = new Set(['/chosen/rng-seed']);

// ---- Helpers ---------------------------------------------------------------------------------

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', input: '', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dumps = 0;
/** Writes the tree a `-machine virt,dumpdtb=` run gives with `args`; returns the blob's path. */
function dump(who: 'qemu' | 'lantern', args: string[]): string {
  const file = path.join(dir, `${who}-${dumps++}.dtb`);
  const machine = ['-machine', `virt,dumpdtb=${file}`];
  const result = who === 'qemu'
    ? run('qemu-system-riscv64', [...machine, '-nographic', ...args])
    : run(process.execPath, [cli, ...machine, ...args]);
  if (result.status !== 0 || !fs.existsSync(file)) throw new Error(`${who} dumpdtb ${args.join(' ')}: status ${result.status}: ${result.stderr}`);
  expect(result.stderr).toMatch(/info: dtb dumped to .*\. Exiting\.\n$/);
  return file;
}

interface DtsNode {
  readonly path: string;
  readonly properties: Map<string, string>;
  readonly children: string[];
}

/** dtc's `-O dts` output as nodes by path: property values as dtc prints them, children in order. */
function parseDts(source: string): Map<string, DtsNode> {
  const nodes = new Map<string, DtsNode>();
  const stack: DtsNode[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line === '' || line === '/dts-v1/;' || line.startsWith('/memreserve/')) continue;
    const open = /^(\S+) \{$/.exec(line);
    if (open) {
      const parent = stack[stack.length - 1];
      const nodePath = parent ? `${parent.path === '/' ? '' : parent.path}/${open[1]}` : '/';
      const node = { path: nodePath, properties: new Map<string, string>(), children: [] };
      parent?.children.push(nodePath);
      nodes.set(nodePath, node);
      stack.push(node);
      continue;
    }
    if (line === '};') {
      stack.pop();
      continue;
    }
    const property = /^([^\s=]+)(?: = (.*))?;$/.exec(line);
    if (!property || stack.length === 0) throw new Error(`unexpected dts line: ${raw}`);
    stack[stack.length - 1].properties.set(property[1], property[2] ?? '');
  }
  return nodes;
}

function decompile(file: string): Map<string, DtsNode> {
  const result = run('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file]);
  if (result.status !== 0) throw new Error(`dtc ${file}: ${result.stderr}`);
  return parseDts(result.stdout);
}

/** Every difference between the trees that is not an accepted one, as lines. */
function differences(qemu: Map<string, DtsNode>, ours: Map<string, DtsNode>): string[] {
  const problems: string[] = [];
  for (const nodePath of qemu.keys()) {
    if (!ours.has(nodePath) && ![...QEMU_ONLY_NODES.keys()].some((only) => nodePath === only || nodePath.startsWith(`${only}/`))) {
      problems.push(`${nodePath}: missing`);
    }
  }
  for (const [nodePath, node] of ours) {
    const theirs = qemu.get(nodePath);
    if (!theirs) {
      problems.push(`${nodePath}: not in QEMU's tree`);
      continue;
    }
    const names = new Set([...theirs.properties.keys(), ...node.properties.keys()]);
    for (const name of names) {
      const [q, o] = [theirs.properties.get(name), node.properties.get(name)];
      if (q === o) continue;
      if (q !== undefined && o !== undefined && RANDOM_VALUES.has(`${nodePath}/${name}`) && cells(q) === cells(o)) continue;
      const accepted = ACCEPTED_VALUES.some((a) => a.node.test(nodePath) && a.property === name && a.qemu === q && a.ours === o);
      if (!accepted) problems.push(`${nodePath} ${name}: QEMU ${q ?? '(absent)'}, ours ${o ?? '(absent)'}`);
    }
    // Children in QEMU's order (guests probe in tree order), QEMU-only nodes left out.
    const order = theirs.children.filter((child) => ours.has(child));
    if (order.join() !== node.children.join()) problems.push(`${nodePath}: children ${node.children.join()} instead of ${order.join()}`);
  }
  return problems;
}

const cells = (value: string) => value.trim().split(/\s+/).length;

// ---- Guests ----------------------------------------------------------------------------------

/** A raw kernel: one `j .` at DRAM's base. */
const loopKernel = () => path.join(dir, 'loop.bin');
const UART = 0x1000_0000;
const FINISHER = 0x10_0000;
/** RAM 1 MiB past the image, which a board reset leaves alone (QEMU does not clear RAM either). */
const SCRATCH_OFFSET = 0x10_0000;

const rType = (funct3: number, rd: number, rs1: number, rs2: number): Item =>
  ({ encode: () => [((rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x33) >>> 0], words: 1 });
const srl = (rd: number, rs1: number, rs2: number) => rType(5, rd, rs1, rs2);
const lwu = (rd: number, rs1: number, imm: number): Item =>
  ({ encode: () => [(((imm & 0xfff) << 20) | (rs1 << 15) | (6 << 12) | (rd << 7) | 0x03) >>> 0], words: 1 });

/** Prints register a3 as 16 hex digits on the UART (t5 = UART base), then `end`. */
function printHex(id: string, end: number): Item[] {
  return [
    asm.li(reg.t2, 60),
    asm.label(`hex${id}`),
    srl(reg.a0, reg.a3, reg.t2),
    asm.andi(reg.a0, reg.a0, 15),
    asm.li(reg.t3, 10),
    asm.bltu(reg.a0, reg.t3, `digit${id}`),
    asm.addi(reg.a0, reg.a0, 39), // 'a' - '0' - 10
    asm.label(`digit${id}`),
    asm.addi(reg.a0, reg.a0, 48),
    asm.sb(reg.a0, reg.t5, 0),
    asm.addi(reg.t2, reg.t2, -4),
    asm.li(reg.t3, -4),
    asm.bne(reg.t2, reg.t3, `hex${id}`),
    asm.li(reg.a0, end),
    asm.sb(reg.a0, reg.t5, 0),
  ];
}

/**
 * Prints "a1 word-at-a1 a2" per boot. The first boot clobbers the DTB's magic and resets the
 * board (sifive_test 0x7777); the second must find the blob restored, then powers off.
 */
function a1Guest(): string {
  const file = path.join(dir, 'a1.elf');
  fs.writeFileSync(file, guestElf(0x8000_0000n, [
    asm.addi(reg.s0, reg.a1, 0),
    asm.addi(reg.s1, reg.a2, 0),
    asm.lui(reg.t5, UART >>> 12),
    asm.addi(reg.a3, reg.s0, 0),
    ...printHex('a1', 0x20),
    lwu(reg.a3, reg.s0, 0),
    ...printHex('magic', 0x20),
    asm.addi(reg.a3, reg.s1, 0),
    ...printHex('a2', 0x0a),
    asm.la(reg.t0, 'end'),
    asm.lui(reg.t1, SCRATCH_OFFSET >>> 12),
    asm.add(reg.t0, reg.t0, reg.t1),
    asm.ld(reg.t1, reg.t0, 0),
    asm.bne(reg.t1, reg.zero, 'done'),
    asm.li(reg.t1, 1),
    asm.sd(reg.t1, reg.t0, 0),
    asm.sw(reg.zero, reg.s0, 0), // clobber the magic
    asm.lui(reg.t0, FINISHER >>> 12),
    asm.li(reg.t1, 0x7777),
    asm.sw(reg.t1, reg.t0, 0),
    asm.label('spin'),
    asm.j('spin'),
    asm.label('done'),
    asm.lui(reg.t0, FINISHER >>> 12),
    asm.li(reg.t1, 0x5555),
    asm.sw(reg.t1, reg.t0, 0),
    asm.label('hang'),
    asm.j('hang'),
    asm.label('end'),
  ]));
  return file;
}

beforeAll(() => {
  // Test the current sources: rebuild the CLI bundle (esbuild takes a few tens of ms).
  buildHostBundle();
  fs.writeFileSync(loopKernel(), Uint8Array.of(0x6f, 0, 0, 0));
  fs.writeFileSync(path.join(dir, 'initrd.img'), new Uint8Array(1000).fill(0xa5));
});

// ---- Tests -----------------------------------------------------------------------------------

describe.skipIf(!haveDtc || !haveQemu)('the virt device tree against QEMU 7.2', () => {
  const initrd = () => path.join(dir, 'initrd.img');
  const highElf = () => {
    const file = path.join(dir, 'high.elf');
    fs.writeFileSync(file, guestElf(0x8020_0000n, [asm.label('x'), asm.j('x')]));
    return file;
  };
  const configs: [string, () => string[]][] = [
    ['the defaults (1 hart, 128 MiB)', () => []],
    ['2 harts, 256 MiB, -append', () => ['-smp', '2', '-m', '256M', '-bios', 'none', '-kernel', loopKernel(), '-append', 'console=ttyS0 root=/dev/vda rw']],
    ['8 harts, 1 GiB', () => ['-smp', '8', '-m', '1G']],
    ['4 harts as sockets × cores, 3 GiB, -initrd', () => ['-smp', 'sockets=1,cores=4', '-m', '3G', '-bios', 'none', '-kernel', loopKernel(), '-initrd', initrd()]],
    ['an ELF kernel at 0x80200000, 512 MiB, -initrd and -append', () => ['-m', '512M', '-bios', 'none', '-kernel', highElf(), '-initrd', initrd(), '-append', 'quiet']],
  ];

  for (const [what, args] of configs) {
    it(`matches for ${what}`, () => {
      const qemu = decompile(dump('qemu', args()));
      const ours = decompile(dump('lantern', args()));
      expect(differences(qemu, ours)).toEqual([]);
      expect([...ours.get('/chosen')!.properties.keys()]).toEqual([...qemu.get('/chosen')!.properties.keys()]);
      // Sanity: the comparison saw the nodes that matter.
      for (const node of ['/chosen', '/cpus/cpu@0/interrupt-controller', '/soc/plic@c000000', '/soc/virtio_mmio@10008000', '/memory@80000000']) {
        expect(ours.has(node)).toBe(true);
      }
    });
  }

  it('reports every difference that is not accepted', () => {
    const qemu = decompile(dump('qemu', []));
    const ours = decompile(dump('lantern', ['-m', '256M']));
    expect(differences(qemu, ours)).toEqual(['/memory@80000000 reg: QEMU <0x00 0x80000000 0x00 0x8000000>, ours <0x00 0x80000000 0x00 0x10000000>']);
  });

  it('updates a -dtb FILE as QEMU does (bootargs and initrd in /chosen, the rest kept)', () => {
    const user = dump('qemu', ['-smp', '2']);
    const args = ['-bios', 'none', '-kernel', loopKernel(), '-dtb', user, '-append', 'init=/bin/sh', '-initrd', initrd()];
    const qemu = decompile(dump('qemu', args));
    const ours = decompile(dump('lantern', args));
    // QEMU's own tree comes back: the same nodes, values (rng-seed is drawn afresh by both),
    // and /chosen's properties in the same places.
    expect([...ours.keys()]).toEqual([...qemu.keys()]);
    expect(differences(qemu, ours)).toEqual([]);
    expect([...ours.get('/chosen')!.properties.keys()]).toEqual([...qemu.get('/chosen')!.properties.keys()]);
    expect([...ours.get('/chosen')!.properties.keys()]).toEqual(['linux,initrd-end', 'linux,initrd-start', 'bootargs', 'rng-seed', 'stdout-path']);
    expect(ours.get('/chosen')?.properties.get('bootargs')).toBe('"init=/bin/sh"');
    expect(ours.get('/chosen')?.properties.get('rng-seed')).not.toBe(decompile(user).get('/chosen')?.properties.get('rng-seed'));
  });
});

describe('-machine virt,dumpdtb= and -dtb on the command line', () => {
  it('writes a valid blob and exits 0; the same -seed gives the same bytes', () => {
    const a = dump('lantern', ['-seed', '9']);
    const b = dump('lantern', ['-seed', '9']);
    const blob = fs.readFileSync(a);
    expect(blob.readUInt32BE(0)).toBe(FDT_MAGIC);
    expect(blob.readUInt32BE(4)).toBe(blob.length);
    expect(fs.readFileSync(b)).toEqual(blob);
    expect(fs.readFileSync(dump('lantern', ['-seed', '10']))).not.toEqual(blob);
  });

  it('refuses a -dtb that is not a DTB, and a dump it cannot write, with one line', () => {
    const bad = path.join(dir, 'bad.dtb');
    fs.writeFileSync(bad, 'hello, this text is long enough for a header\n');
    const refused = run(process.execPath, [cli, '-machine', 'virt', '-bios', 'none', '-kernel', loopKernel(), '-dtb', bad]);
    expect(refused.stderr).toMatch(/^lantern: '.*bad\.dtb' is not a device tree blob: bad magic 0x68656c6c\n$/);
    expect(refused.status).toBe(2);
    const unwritable = run(process.execPath, [cli, '-machine', `virt,dumpdtb=${path.join(dir, 'no', 'such', 'dir.dtb')}`]);
    expect(unwritable.stderr).toMatch(/^lantern: dumpdtb: could not write '.*dir\.dtb': no such file\n$/);
    expect(unwritable.status).toBe(2);
    const initrdWithoutKernel = run(process.execPath, [cli, '-machine', `virt,dumpdtb=${path.join(dir, 'x.dtb')}`, '-initrd', loopKernel()]);
    expect(initrdWithoutKernel.stderr).toBe('lantern: -initrd only allowed with -kernel option\n');
  });
});

describe.skipIf(!haveCore)('what the guest finds at boot', () => {
  for (const ramSize of [128 * MIB, 256 * MIB]) {
    it(`a1 = the DTB address, the blob there, across a reset (${ramSize / MIB} MiB)`, async () => {
      const kernel = a1Guest();
      const output: number[] = [];
      const machine = new Machine({
        board: 'virt', ramSize, kernel, bios: 'none', icountShift: 3, rngSeed: 5n,
        console: { write: (byte) => output.push(byte) },
      });
      const images = machine.bootImages!;
      expect(images.fdtAddress).toBe(ramSize === 128 * MIB ? 0x87e0_0000n : 0x8fe0_0000n);
      expect(await machine.run()).toBe(0);
      const line = `${images.fdtAddress.toString(16).padStart(16, '0')} 00000000edfe0dd0 0000000000001028\n`;
      expect(Buffer.from(output).toString('latin1')).toBe(line + line);
      expect(machine.core.readPhysical(images.fdtAddress, images.dtb.length)).toEqual(images.dtb);
      // The CLI's dump with the same seed and kernel is the very blob the guest got.
      const dumped = dump('lantern', ['-m', `${ramSize / MIB}M`, '-seed', '5', '-bios', 'none', '-kernel', kernel]);
      expect(Uint8Array.from(fs.readFileSync(dumped))).toEqual(images.dtb);

      if (haveQemu) {
        const qemu = run('qemu-system-riscv64', ['-M', 'virt', '-bios', 'none', '-nographic', '-m', `${ramSize / MIB}M`, '-kernel', kernel]);
        expect(qemu.stdout).toBe(line + line);
      }
    });
  }
});
