// The virt board's device tree, built from the board's memory map (memory-map.ts) and the
// machine configuration with QEMU 7.2's node names, compatibles, properties and order.
import { createHash } from 'node:crypto';
import { DeviceTree, encode, type FdtNode } from './fdt';
import type { MemoryRegion, RegionKind } from './memory-map';
import { PLIC_NDEV } from '../devices/plic';

/**
 * The ISA string of every hart: QEMU 7.2's format (single letters, then "_"-separated
 * multi-letter extensions in its order), naming exactly what the core implements. QEMU's
 * default rv64 also has "h"; see test/boot/device-tree.test.ts for the accepted differences.
 */
export const RISCV_ISA = 'rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc';
/**
 * What QEMU 7.2 writes for its rv64 harts (measured; not sv57). True of the core, whose MMU
 * has Sv39, Sv48 and Sv57: a kernel that trusts it uses Sv48 at most.
 */
export const MMU_TYPE = 'riscv,sv48';
/** The same for RV32 harts (`-cpu rv32`): "rv32" in the ISA string, and Sv32, their one MMU mode. */
export const RISCV_ISA_32 = RISCV_ISA.replace(/^rv64/, 'rv32');
export const MMU_TYPE_32 = 'riscv,sv32';
/** Harts the virt board takes (the PLIC has contexts for 8). */
export const MAX_HARTS = 8;
/** mtime ticks per second: 10 MHz, the CLINT's clock (QEMU RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ). */
const TIMEBASE_FREQUENCY = 10_000_000;
/** The ns16550a's input clock: QEMU virt's 3686400 Hz (a classic 1.8432 MHz × 2 crystal). */
const UART_CLOCK_FREQUENCY = 3_686_400;
// Local interrupt numbers at each hart's riscv,cpu-intc (privileged spec, mcause codes).
const IRQ_M_SOFTWARE = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXTERNAL = 9;
const IRQ_M_EXTERNAL = 11;
// sifive_test commands the syscon power-off and reboot nodes write at offset 0.
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;
/** rng-seed bytes QEMU 7.2 passes in /chosen. */
export const RNG_SEED_BYTES = 32;

/**
 * /chosen/rng-seed bytes from the machine's 64-bit seed of guest-visible randomness (`-seed`,
 * logged for replay): SHA-256 of a label and the seed, so the same seed gives the same tree
 * and a stream independent of virtio-rng's generator.
 */
export function rngSeedBytes(seed: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, seed), true);
  return Uint8Array.from(createHash('sha256').update('lantern device-tree rng-seed\0').update(bytes).digest());
}

/** Where an initial RAM disk lies in guest memory: [start, end). */
export interface InitrdRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** What the guest is told in /chosen besides stdout-path. */
export interface ChosenConfig {
  /** The kernel command line (`-append`); omitted when absent or empty, as QEMU does. */
  readonly bootargs?: string;
  readonly initrd?: InitrdRange;
  /** RNG_SEED_BYTES random bytes for rng-seed (see rngSeedBytes). */
  readonly rngSeed: Uint8Array;
}

export interface VirtTreeConfig extends ChosenConfig {
  /** The board's memory map with RAM sized (memoryMap('virt', ramSize)). */
  readonly memoryMap: readonly MemoryRegion[];
  /** Harts, 1..MAX_HARTS (`-smp N`). */
  readonly harts: number;
  /** The harts' XLEN (riscv,isa and mmu-type); 64 when absent. */
  readonly xlen?: 32 | 64;
}

/**
 * /soc's children in QEMU 7.2's order (guests see it: Linux probes devices in tree order,
 * so the virtio-mmio slots are probed from the highest address down, as under QEMU).
 * Kinds without a node (boot ROM, RAM) are absent.
 */
const SOC_ORDER: readonly RegionKind[] = ['goldfish-rtc', 'uart16550', 'sifive-test', 'virtio-mmio', 'plic', 'clint'];

/** Phandles as QEMU 7.2 numbers them: harts from the last down (cpu, then its intc), then PLIC, then sifive_test. */
interface Phandles {
  readonly cpu: readonly number[];
  readonly intc: readonly number[];
  readonly plic: number;
  readonly test: number;
}

/** The virt board's device tree for a configuration. */
export function virtDeviceTree(config: VirtTreeConfig): DeviceTree {
  const { harts, memoryMap } = config;
  if (!Number.isInteger(harts) || harts < 1 || harts > MAX_HARTS) throw new RangeError(`virt takes 1 to ${MAX_HARTS} harts, not ${harts}`);
  const phandles: Phandles = {
    cpu: Array.from({ length: harts }, (_, hart) => 2 * (harts - 1 - hart) + 1),
    intc: Array.from({ length: harts }, (_, hart) => 2 * (harts - 1 - hart) + 2),
    plic: 2 * harts + 1,
    test: 2 * harts + 2,
  };

  const tree = new DeviceTree();
  const root = tree.root
    .setU32('#address-cells', 2)
    .setU32('#size-cells', 2)
    .setString('compatible', 'riscv-virtio')
    .setString('model', 'riscv-virtio,qemu');

  const chosen = root.addChild('chosen');
  const serial = memoryMap.find((region) => region.kind === 'uart16550');
  if (serial) chosen.setString('stdout-path', `/soc/${nodeName('serial', serial)}`);
  applyChosen(tree, config);

  const test = memoryMap.find((region) => region.kind === 'sifive-test');
  if (test) {
    for (const [name, compatible, value] of [
      ['poweroff', 'syscon-poweroff', FINISHER_PASS],
      ['reboot', 'syscon-reboot', FINISHER_RESET],
    ] as const) {
      root.addChild(name).setU32('value', value).setU32('offset', 0).setU32('regmap', phandles.test).setString('compatible', compatible);
    }
  }

  for (const ram of memoryMap.filter((region) => region.kind === 'ram')) {
    root.addChild(`memory@${hex(ram.base)}`).setString('device_type', 'memory').setU64('reg', BigInt(ram.base), BigInt(ram.size));
  }

  addCpus(root, harts, phandles, config.xlen ?? 64);

  const soc = root.addChild('soc').setU32('#address-cells', 2).setU32('#size-cells', 2).setString('compatible', 'simple-bus').setEmpty('ranges');
  for (const kind of SOC_ORDER) {
    const regions = memoryMap.filter((region) => region.kind === kind).sort((a, b) => b.base - a.base);
    for (const region of regions) addSocNode(soc, region, harts, phandles);
  }
  return tree;
}

/**
 * Sets /chosen's bootargs, rng-seed and initrd range, in QEMU 7.2's order and places: a new
 * property goes first, an existing one is replaced where it is. Used on the generated tree
 * and on a `-dtb FILE` tree, where QEMU does the same; QEMU stops with an error if such a
 * tree has no /chosen, Lantern adds one.
 */
export function applyChosen(tree: DeviceTree, chosen: ChosenConfig): void {
  if (chosen.rngSeed.length !== RNG_SEED_BYTES) throw new RangeError(`rng-seed must be ${RNG_SEED_BYTES} bytes`);
  const node = tree.ensureNode('/chosen');
  if (chosen.bootargs) node.set('bootargs', encode.string(chosen.bootargs), 'first');
  node.set('rng-seed', Uint8Array.from(chosen.rngSeed), 'first');
  if (chosen.initrd) {
    // One cell each as QEMU 7.2 writes them; two if an address needs 64 bits.
    const cells = (value: bigint) => (value < 1n << 32n ? encode.u32(Number(value)) : encode.u64(value));
    node.set('linux,initrd-start', cells(chosen.initrd.start), 'first');
    node.set('linux,initrd-end', cells(chosen.initrd.end), 'first');
  }
}

/** /cpus: a node per hart with its local interrupt controller, and the cpu-map topology. */
function addCpus(root: FdtNode, harts: number, phandles: Phandles, xlen: 32 | 64): void {
  const cpus = root.addChild('cpus').setU32('#address-cells', 1).setU32('#size-cells', 0).setU32('timebase-frequency', TIMEBASE_FREQUENCY);
  for (let hart = 0; hart < harts; hart++) {
    cpus.addChild(`cpu@${hart}`)
      .setPhandle(phandles.cpu[hart])
      .setString('device_type', 'cpu')
      .setU32('reg', hart)
      .setString('status', 'okay')
      .setString('compatible', 'riscv')
      .setString('riscv,isa', xlen === 32 ? RISCV_ISA_32 : RISCV_ISA)
      .setString('mmu-type', xlen === 32 ? MMU_TYPE_32 : MMU_TYPE)
      .addChild('interrupt-controller')
      .setU32('#interrupt-cells', 1)
      .setEmpty('interrupt-controller')
      .setString('compatible', 'riscv,cpu-intc')
      .setPhandle(phandles.intc[hart]);
  }
  // One socket, one cluster, a core per hart (the device-tree cpu-map binding).
  const cluster = cpus.addChild('cpu-map').addChild('cluster0');
  for (let hart = 0; hart < harts; hart++) cluster.addChild(`core${hart}`).setU32('cpu', phandles.cpu[hart]);
}

/** One /soc child for a region of the memory map, with QEMU 7.2's name, compatible and properties. */
function addSocNode(soc: FdtNode, region: MemoryRegion, harts: number, phandles: Phandles): void {
  const reg = encode.u64(BigInt(region.base), BigInt(region.size));
  /** Each hart's intc with the given local interrupts, in hart order. */
  const perHart = (...irqs: number[]) =>
    encode.u32(...Array.from({ length: harts }, (_, hart) => irqs.flatMap((irq) => [phandles.intc[hart], irq])).flat());
  /** A device wired to a PLIC source. */
  const plicDevice = (name: string, compatible: string, extra?: (node: FdtNode) => void) => {
    if (region.irq === undefined) throw new Error(`region ${region.name} has no interrupt source`);
    const node = soc.addChild(nodeName(name, region)).setU32('interrupts', region.irq).setU32('interrupt-parent', phandles.plic);
    extra?.(node);
    node.set('reg', reg).setString('compatible', compatible);
  };
  switch (region.kind) {
    case 'goldfish-rtc':
      return plicDevice('rtc', 'google,goldfish-rtc');
    case 'uart16550':
      return plicDevice('serial', 'ns16550a', (node) => node.setU32('clock-frequency', UART_CLOCK_FREQUENCY));
    case 'virtio-mmio':
      return plicDevice('virtio_mmio', 'virtio,mmio');
    case 'sifive-test':
      soc.addChild(nodeName('test', region)).setPhandle(phandles.test).set('reg', reg)
        .setStrings('compatible', 'sifive,test1', 'sifive,test0', 'syscon');
      return;
    case 'plic':
      soc.addChild(nodeName('plic', region))
        .setPhandle(phandles.plic)
        .setU32('riscv,ndev', PLIC_NDEV)
        .set('reg', reg)
        .set('interrupts-extended', perHart(IRQ_M_EXTERNAL, IRQ_S_EXTERNAL))
        .setEmpty('interrupt-controller')
        .setStrings('compatible', 'sifive,plic-1.0.0', 'riscv,plic0')
        .setU32('#address-cells', 0)
        .setU32('#interrupt-cells', 1);
      return;
    case 'clint':
      soc.addChild(nodeName('clint', region))
        .set('interrupts-extended', perHart(IRQ_M_SOFTWARE, IRQ_M_TIMER))
        .set('reg', reg)
        .setStrings('compatible', 'sifive,clint0', 'riscv,clint0');
      return;
    case 'boot-rom':
    case 'ram':
      return; // the boot ROM has no node; RAM is /memory
  }
}

function nodeName(name: string, region: MemoryRegion): string {
  return `${name}@${hex(region.base)}`;
}

function hex(value: number): string {
  return value.toString(16);
}
