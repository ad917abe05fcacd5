// The `lantern` command line: QEMU's single-dash options (-machine, -kernel, -m, -icount, ...)
// normalised for commander, validated, and turned into a machine configuration.
import { Command, CommanderError, Option } from 'commander';
import type { BiosChoice } from '../machine/boot-layout';
import { MAX_HARTS } from '../machine/device-tree';
import type { BoardName } from '../machine/memory-map';
import type { TraceOptions } from '../machine/trace';
import { deviceHelp, parseSeed, parseVirtioOptions, type VirtioOptions } from './virtio-options';
import { formatHelp } from './help';
import { programName, versionText, type Personality } from './personality';
import { parseSemihosting, type SemihostingOptions } from './semihosting-options';

/** A bad command line; the message is the one line printed after "lantern: ". */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type SerialBackend = 'mon:stdio' | 'stdio' | 'none';

/** Where the RTC's clock starts (`-rtc base=`): the host's clock at boot in UTC or local
 * time, or a fixed date (ns since the epoch, read as UTC as QEMU does). */
export type RtcBase = { kind: 'utc' } | { kind: 'localtime' } | { kind: 'date'; ns: bigint };

export interface RunOptions {
  readonly board: BoardName;
  readonly ramSize: number;
  /** `-kernel FILE`; optional with firmware (OpenSBI alone). */
  readonly kernel?: string;
  readonly bios: BiosChoice;
  readonly harts: number;
  readonly icountShift: number;
  readonly serial: SerialBackend;
  readonly trace: TraceOptions;
  readonly traceFile: string | undefined;
  /** -drive, -device and -global for virtio-mmio; absent when none is given. */
  readonly virtio?: VirtioOptions;
  /** `-seed N`: the virtio-rng generator's seed; absent means a random one. */
  readonly seed?: bigint;
  readonly rtcBase: RtcBase;
  /** `-append`: the kernel command line (device tree /chosen/bootargs). */
  readonly append?: string;
  /** `-initrd FILE`: an initial RAM disk. */
  readonly initrd?: string;
  /** `-dtb FILE`: a device tree blob that replaces the generated one. */
  readonly dtb?: string;
  /** `-no-reboot`: a guest reset request ends the run (status 0) instead, as QEMU's. */
  readonly noReboot?: boolean;
  /** `-semihosting`, `-semihosting-config`: absent when off. */
  readonly semihosting?: SemihostingOptions;
  /** `-cpu rv32` / `-cpu rv64`: the harts' XLEN; absent: the kernel's ELF class decides. */
  readonly xlen?: 32 | 64;
  /** `-gdb DEV` or `-s`: where the GDB stub listens; absent: no stub. */
  readonly gdb?: GdbAddress;
  /** `-S`: hold the harts at reset until a debugger continues them. */
  readonly startHalted?: boolean;
  /** `-icount sleep=on`: idle waits last in wall time as in virtual time. */
  readonly paced?: boolean;
  /** `-icount rr=record|replay,rrfile=FILE`: log the guest's input, or replay it from the log. */
  readonly recordReplay?: { readonly mode: 'record' | 'replay'; readonly file: string };
  /** `-loadvm NAME|FILE`: the snapshot the machine starts from (built from the other options, which must match it). */
  readonly loadvm?: string;
  /** `-snapshot`: every disk's writes go to an overlay dropped at exit; the images are never written. */
  readonly snapshot?: boolean;
  /** `-history`: time travel under the GDB stub; absent: on where it can undo everything (see MachineDebugTarget). */
  readonly history?: HistorySetting;
}

/** `-history off`, or on with a checkpoint budget in bytes and an interval in steps (defaults when absent). */
export type HistorySetting = false | { readonly budget?: number; readonly interval?: number };

/** Where the GDB stub listens: a TCP port (127.0.0.1 unless a host is given) or a Unix socket. */
export type GdbAddress = { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** What `-machine virt,dumpdtb=FILE` needs: what the device tree depends on (-kernel optional, as in QEMU). */
export interface DumpDtbOptions {
  readonly board: BoardName;
  readonly ramSize: number;
  readonly harts: number;
  readonly kernel?: string;
  /** `-bios`: where the firmware ends decides where the kernel and the initrd go. */
  readonly bios?: BiosChoice;
  readonly append?: string;
  readonly initrd?: string;
  readonly dtb?: string;
  readonly seed?: bigint;
  /** `-cpu rv32` / `-cpu rv64` (the harts' riscv,isa and mmu-type). */
  readonly xlen?: 32 | 64;
}

/** What the command line asks for: run a machine, or print something and exit 0. */
export type Invocation =
  | { kind: 'run'; options: RunOptions }
  | { kind: 'print'; text: string }
  | { kind: 'dump-dtb'; file: string; options: DumpDtbOptions };

export const VERSION_TEXT = versionText('lantern');

const MIB = 1024 * 1024;
const DEFAULT_RAM = '128M'; // QEMU virt's default -m
const PAGE = 4096;
// The core keeps guest RAM in one 4 GiB wasm memory after 4 MiB of hart state (layout.ts RAM_HOST).
const MAX_RAM = 4096 * MIB - 4 * MIB;
const MAX_ICOUNT_SHIFT = 10; // QEMU's limit
const DEFAULT_ICOUNT_SHIFT = 3; // 8 ns a step: the architecture's virtual time base

/** QEMU options that take a value, so their values are never taken for options. */
const VALUE_OPTIONS = new Set([
  '-machine', '-M', '-bios', '-kernel', '-m', '-serial', '-icount', '-smp', '-d', '-D',
  '-append', '-initrd', '-dtb', '-drive', '-device', '-netdev', '-nic', '-global', '-gdb', '-cpu',
  '-monitor', '-display', '-accel', '-chardev', '-object', '-name', '-rtc', '-L', '-seed',
  '-semihosting-config', '-loadvm', '-history',
]);

/** Real QEMU options that Lantern does not have yet: named as such instead of "unknown". */
const NOT_YET = new Set([
  '-monitor', '-display', '-accel',
]);

/** Commander's way to take an option every time it is repeated (-drive, -device, -global). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** QEMU spells long options with one dash; commander wants two. Short ones stay as they are. */
function normalize(argv: readonly string[]): string[] {
  const out: string[] = [];
  let takesValue = false;
  for (const arg of argv) {
    if (takesValue) {
      out.push(arg); // an option's value, even if it starts with a dash
      takesValue = false;
    } else if (/^--[^-]/.test(arg)) {
      out.push(arg);
      takesValue = !arg.includes('=') && VALUE_OPTIONS.has(arg.slice(1));
    } else if (/^-[^-]./.test(arg)) {
      if (NOT_YET.has(arg)) throw new UsageError(`${arg} is not supported yet`);
      out.push(`-${arg}`);
      takesValue = VALUE_OPTIONS.has(arg);
    } else {
      out.push(arg);
      takesValue = VALUE_OPTIONS.has(arg);
    }
  }
  return out;
}

function program(output: { text: string }, personality: Personality): Command {
  const command = new Command(programName(personality))
    .description('Run a RISC-V guest on a QEMU-compatible virtual board.')
    .usage('-machine virt -bios none -nographic -kernel FILE [options]')
    .addOption(new Option('-M, --machine <type>', 'board: virt or spike (help lists them); virt,dumpdtb=FILE writes its device tree and exits').default('virt'))
    .addOption(new Option('--bios <file>', 'firmware at 0x80000000 (ELF or raw): FILE, default (Debian\'s OpenSBI fw_dynamic) or none (start the kernel in M-mode)'))
    .addOption(new Option('--kernel <file>', 'ELF or raw binary: at 0x80200000 after OpenSBI, at 0x80000000 with -bios none'))
    .addOption(new Option('-m <size>', 'RAM size: 128M, 1G, or a number of MiB').default(DEFAULT_RAM))
    .addOption(new Option('--cpu <model>', 'rv64 (RV64GC) or rv32 (RV32GC), with QEMU property checks such as rv32,h=false (help lists them); default: the kernel ELF\'s class'))
    .addOption(new Option('--nographic', 'no display; the serial console is on stdio'))
    .addOption(new Option('--serial <dev>', 'mon:stdio (Ctrl-A escapes), stdio or none'))
    .addOption(new Option('--icount <spec>', 'virtual time: shift=N, one step is 2^N ns; sleep=on waits out idle time in wall time; rr=record|replay,rrfile=F logs the guest\'s input or replays it').default(`shift=${DEFAULT_ICOUNT_SHIFT}`))
    .addOption(new Option('--smp <n>', `number of harts, 1 to ${MAX_HARTS} (run round-robin in fixed quanta of steps)`).default('1'))
    .addOption(new Option('-d <items>', 'log items: in_asm,int,exec,net (help lists them)'))
    .addOption(new Option('-D <file>', 'write the log to a file instead of stderr'))
    .addOption(new Option('--drive <spec>', 'disk image: file=F,if=none,format=raw,id=X[,readonly=on]; if=virtio takes the next free virtio-mmio slot (QEMU would use PCI)').argParser(collect))
    .addOption(new Option('--device <spec>', 'virtio-blk-device,drive=X[,bus=virtio-mmio-bus.N], virtio-rng-device, virtio-serial-device, virtconsole,chardev=ID (help lists them)').argParser(collect))
    .addOption(new Option('--chardev <spec>', 'stdio,id=ID (the terminal) or null,id=ID: a backend for -device virtconsole,chardev=ID').argParser(collect))
    .addOption(new Option('--netdev <spec>', 'user,id=ID[,hostfwd=tcp|udp:[HOST]:PORT-[GUEST]:PORT][,tftp=DIR][,bootfile=F][,restrict=on]: QEMU\'s user network (guest 10.0.2.15 by DHCP, host 10.0.2.2, DNS 10.0.2.3) for -device virtio-net-device,netdev=ID').argParser(collect))
    .addOption(new Option('--nic <spec>', 'user[,model=virtio-net-device][,mac=M][,hostfwd=...][,tftp=DIR][,bootfile=F][,restrict=on]: a user network and its virtio-net-device in one').argParser(collect))
    .addOption(new Option('--object <spec>', 'filter-dump,id=ID,netdev=NETDEV,file=F[,maxlen=N]: the NIC\'s frames both ways into a pcap file, stamped with virtual time').argParser(collect))
    .addOption(new Option('--global <spec>', 'virtio-mmio.force-legacy=false for version 2 (modern) virtio-mmio').argParser(collect))
    .addOption(new Option('--seed <n>', 'seed of the guest-visible randomness (virtio-rng); random when absent'))
    .addOption(new Option('--rtc <spec>', 'RTC start: base=utc, base=localtime or base=2006-06-17T16:01:21'))
    .addOption(new Option('--append <cmdline>', 'kernel command line (device tree /chosen/bootargs)'))
    .addOption(new Option('--initrd <file>', 'initial RAM disk, loaded where QEMU puts it'))
    .addOption(new Option('--dtb <file>', 'device tree blob to use instead of the generated one'))
    .addOption(new Option('--no-reboot', 'exit instead of rebooting: a guest reset request ends the run with status 0'))
    .addOption(new Option('--semihosting', 'semihosting: console, exit, time and files in the current directory (relative names only)'))
    .addOption(new Option('--semihosting-config <spec>', 'semihosting configuration: enable=on turns it on; userspace=on lets U-mode call; arg= gives the command line (default: the kernel and -append)').argParser(collect))
    .addOption(new Option('-s', 'shorthand for -gdb tcp::1234'))
    .addOption(new Option('-S', 'freeze the harts at startup (continue from the debugger)'))
    .addOption(new Option('--loadvm <snapshot>', 'start from a snapshot: a name (NAME.lsnap in $LANTERN_SNAPSHOT_DIR or ./lantern-snapshots) or a path (with a / or the .lsnap suffix)'))
    .addOption(new Option('--snapshot', 'write to temporary overlays instead of the disk images (dropped at exit; the monitor\'s commit writes them back)'))
    .addOption(new Option('--history <spec>', 'time travel under the GDB stub: on|off[,budget=SIZE][,interval=STEPS] (default on, 256M, 2000000; with a disk written in place only when on is given: its writes then stay in its overlay)'))
    .addOption(new Option('--gdb <dev>', 'GDB stub on tcp::PORT, tcp:HOST:PORT or unix:PATH (127.0.0.1 unless a host is given; port 0 picks a free one)'))
    .version(versionText(personality), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .configureHelp({ formatHelp: (cmd) => formatHelp(cmd, { versionLine: versionText(personality).split('\n')[0], program: programName(personality) }, NOT_YET) })
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => { output.text += text; },
      writeErr: () => {}, // errors are reported through the thrown CommanderError
    });
  return command;
}

/**
 * Parses `argv` (without node and the script). Throws UsageError for a bad command line.
 * `personality` is who -help and -version say the program is.
 */
export function parseArguments(argv: readonly string[], personality: Personality = 'lantern'): Invocation {
  const output = { text: '' };
  const command = program(output, personality);
  try {
    command.parse(normalize(argv), { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return { kind: 'print', text: output.text };
    }
    throw new UsageError(commanderMessage(error, argv, command.args));
  }
  const raw = command.opts<Record<string, string | boolean | undefined>>();
  const text = (key: string) => raw[key] as string | undefined;

  const machine = text('machine') ?? 'virt';
  if (machine === 'help' || machine === '?') {
    return { kind: 'print', text: 'Machines:\nspike  the Spike reference board (HTIF console and exit)\nvirt   the QEMU virt board (default)\n' };
  }
  const logItems = text('d');
  if (logItems === 'help' || logItems === '?') {
    return {
      kind: 'print',
      text: 'Log items for -d (comma separated):\nin_asm  disassembly of guest code the first time it runs\nint     one line per trap taken (exceptions and interrupts)\nexec    one line per instruction executed (very verbose)\nnet     the user network\'s events: TFTP transfers, refused, reset or given-up connections\n',
    };
  }

  const list = (key: string) => (raw[key] as unknown as string[] | undefined) ?? [];
  const devicesHelp = deviceHelp(list('device'));
  if (devicesHelp !== undefined) return { kind: 'print', text: devicesHelp };
  const cpu = text('cpu');
  if (cpu === 'help' || cpu === '?') return { kind: 'print', text: CPU_HELP };
  const xlen = cpu === undefined ? undefined : parseCpu(cpu);

  const kernel = text('kernel');
  const dumpDtb = dumpDtbFile(machine);
  if (dumpDtb !== undefined) {
    return {
      kind: 'dump-dtb',
      file: dumpDtb,
      options: {
        board: parseMachine(machine), ramSize: parseMemorySize(text('m') ?? DEFAULT_RAM), harts: parseSmp(text('smp') ?? '1'),
        kernel, append: text('append'), initrd: text('initrd'), dtb: text('dtb'), seed: parseSeed(text('seed')),
        ...(text('bios') === undefined ? {} : { bios: parseBios(text('bios')) }),
        ...(xlen === undefined ? {} : { xlen }),
      },
    };
  }
  const bios = parseBios(text('bios'));
  if (kernel === undefined && bios === 'none') throw new UsageError('no kernel given: use -kernel FILE (or firmware with -bios)');
  return {
    kind: 'run',
    options: {
      board: parseMachine(machine),
      ramSize: parseMemorySize(text('m') ?? DEFAULT_RAM),
      kernel,
      bios,
      harts: parseSmp(text('smp') ?? '1'),
      icountShift: parseIcount(text('icount') ?? ''),
      ...(icountSleeps(text('icount') ?? '') ? { paced: true } : {}),
      ...(icountRecordReplay(text('icount') ?? '') ? { recordReplay: icountRecordReplay(text('icount') ?? '') } : {}),
      serial: parseSerial(text('serial')),
      trace: parseLogItems(logItems),
      traceFile: text('D'),
      append: text('append'),
      initrd: text('initrd'),
      dtb: text('dtb'),
      rtcBase: parseRtc(text('rtc')),
      virtio: parseVirtioOptions(parseMachine(machine), list('drive'), list('device'), list('global'), list('chardev'), list('netdev'), list('nic'), list('object')),
      seed: parseSeed(text('seed')),
      noReboot: raw.reboot === false || undefined,
      semihosting: parseSemihosting(raw.semihosting === true, list('semihostingConfig'), { kernel, append: text('append') }),
      ...(xlen === undefined ? {} : { xlen }),
      ...gdbOptions(text('gdb'), raw.s === true, raw.S === true),
      ...(text('loadvm') === undefined ? {} : { loadvm: text('loadvm') }),
      ...(raw.snapshot === true ? { snapshot: true } : {}),
      ...(text('history') === undefined ? {} : { history: parseHistory(text('history')!) }),
    },
  };
}

/** `-gdb DEV`, `-s` and `-S`. */
function gdbOptions(device: string | undefined, shorthand: boolean, startHalted: boolean): { gdb?: GdbAddress; startHalted?: boolean } {
  const spec = device ?? (shorthand ? 'tcp::1234' : undefined);
  const gdb = spec === undefined || spec === 'none' ? undefined : parseGdbDevice(spec);
  return { ...(gdb ? { gdb } : {}), ...(startHalted ? { startHalted } : {}) };
}

/** QEMU's -gdb devices: tcp::PORT, tcp:HOST:PORT, a bare port, unix:PATH (chardev options such as
 * server=on,wait=off are accepted and implied). */
export function parseGdbDevice(spec: string): GdbAddress {
  const [device, ...properties] = spec.split(',');
  for (const property of properties) {
    if (!/^(server|wait|nowait|nodelay)(=(on|off))?$/.test(property)) throw new UsageError(`-gdb ${spec}: unsupported option '${property}'`);
  }
  if (device.startsWith('unix:')) {
    const path = device.slice('unix:'.length);
    if (path === '') throw new UsageError(`-gdb ${spec}: the unix socket needs a path`);
    return { kind: 'unix', path };
  }
  const tcp = /^(?:tcp:)?(?:(\[[^\]]*\]|[^:]*):)?(\d+)$/.exec(device);
  if (!tcp || (!device.startsWith('tcp:') && tcp[1] !== undefined)) {
    throw new UsageError(`-gdb ${spec}: expected tcp::PORT, tcp:HOST:PORT or unix:PATH`);
  }
  const port = Number(tcp[2]);
  if (port > 65535) throw new UsageError(`-gdb ${spec}: port ${port} is out of range`);
  const host = (tcp[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { kind: 'tcp', host: host === '' ? '127.0.0.1' : host, port };
}

/** Commander's error as one line in QEMU's spelling of the option the user typed. */
function commanderMessage(error: CommanderError, argv: readonly string[], operands: readonly string[]): string {
  switch (error.code) {
    case 'commander.unknownOption': {
      const name = /'([^']*)'/.exec(error.message)?.[1] ?? '';
      return `unknown option '${argv.find((arg) => arg === name || `-${arg}` === name) ?? name}'`;
    }
    case 'commander.optionMissingArgument':
      // A required option-argument takes the next word whatever it is: only the last can lack one.
      return `option '${argv[argv.length - 1]}' needs an argument`;
    case 'commander.excessArguments':
      return `unexpected argument '${operands[0] ?? ''}' (disk images are not supported yet)`;
    default:
      return error.message.replace(/^error: /, '');
  }
}

/** `-cpu help`: the models, and what their properties may say. */
const CPU_HELP = [
  'Available CPUs:',
  'rv64  RV64GC (IMAFDC, Zicsr, Zifencei, Zihintpause, Zba, Zbb, Zbc, Zbs, Sstc; Sv39/Sv48/Sv57, PMP)',
  'rv32  RV32GC (the same extensions; Sv32, PMP)',
  'The default is the class of the kernel\'s ELF (rv64 for a raw image).',
  'QEMU properties are accepted where they describe this hart (rv32,h=false,zba=on); ones that',
  'would change it are refused.',
  '',
].join('\n');

/**
 * QEMU 7.2's -cpu extension properties (target/riscv/cpu.c riscv_cpu_extensions, named in
 * lower case) with the value Lantern's hart has. A property naming that value is accepted;
 * one asking for the other is an error, as is any property not listed here.
 */
const CPU_PROPERTIES: Readonly<Record<string, boolean>> = {
  i: true, e: false, g: true, m: true, a: true, f: true, d: true, c: true, s: true, u: true, v: false, h: false,
  zicsr: true, zifencei: true, zihintpause: true, zba: true, zbb: true, zbc: true, zbs: true, sstc: true,
  mmu: true, pmp: true, zawrs: false, zfh: false, zfhmin: false, zve32f: false, zve64f: false, zmmul: false,
  svinval: false, svnapot: false, svpbmt: false, sscofpmf: false, zicbom: false, zicboz: false, debug: false,
  zbkb: false, zbkc: false, zbkx: false, zk: false, zkn: false, zknd: false, zkne: false, zknh: false, zkr: false,
  zks: false, zksed: false, zksh: false, zkt: false, zdinx: false, zfinx: false, zhinx: false, zhinxmin: false,
};

/** QEMU's boolean property values (qapi's bool parser). */
const PROPERTY_BOOLEANS: Readonly<Record<string, boolean>> = { on: true, yes: true, true: true, off: false, no: false, false: false };

/** `-cpu rv32[,prop=value...]` or `-cpu rv64[,...]`: the XLEN. */
export function parseCpu(spec: string): 32 | 64 {
  const [model, ...properties] = spec.split(',');
  if (model !== 'rv32' && model !== 'rv64') throw new UsageError(`-cpu ${spec}: unsupported CPU model '${model}' (use rv32 or rv64; -cpu help lists them)`);
  for (const property of properties) {
    const equals = property.indexOf('=');
    if (equals < 0) throw new UsageError(`-cpu ${spec}: expected key=value, found '${property}'`);
    const key = property.slice(0, equals);
    const value = PROPERTY_BOOLEANS[property.slice(equals + 1).toLowerCase()];
    const has = CPU_PROPERTIES[key.toLowerCase()];
    if (has === undefined) throw new UsageError(`-cpu ${spec}: unknown or unsupported CPU property '${key}'`);
    if (value === undefined) throw new UsageError(`-cpu ${spec}: property '${key}' takes on or off, not '${property.slice(equals + 1)}'`);
    if (value !== has) {
      throw new UsageError(`-cpu ${spec}: ${key}=${property.slice(equals + 1)} is not possible: this hart ${has ? 'always has' : 'has no'} ${key}`);
    }
  }
  return model === 'rv32' ? 32 : 64;
}

function parseMachine(spec: string): BoardName {
  const [first, ...properties] = spec.split(',');
  const type = first.startsWith('type=') ? first.slice(5) : first;
  if (type !== 'virt' && type !== 'spike') throw new UsageError(`-machine ${spec}: unsupported machine type (use virt or spike)`);
  const unsupported = properties.find((property) => !property.startsWith('dumpdtb='));
  if (unsupported !== undefined) {
    throw new UsageError(`-machine ${spec}: machine property '${unsupported.split('=')[0]}' is not supported (only dumpdtb=FILE)`);
  }
  return type;
}

/** QEMU's `-machine TYPE,dumpdtb=FILE`: where to write the device tree instead of running. */
function dumpDtbFile(spec: string): string | undefined {
  const property = spec.split(',').slice(1).reverse().find((part) => part.startsWith('dumpdtb='));
  const file = property?.slice('dumpdtb='.length);
  if (file === '') throw new UsageError(`-machine ${spec}: dumpdtb needs a file name`);
  return file;
}

/** QEMU's -bios: none, default (also when absent) or a firmware file. */
function parseBios(bios: string | undefined): BiosChoice {
  if (bios === undefined || bios === 'default') return 'default';
  if (bios === 'none') return 'none';
  if (bios === '') throw new UsageError('-bios needs a file name, default or none');
  return { file: bios };
}

/**
 * QEMU's -m: `[size=]N[suffix]` where a bare number counts MiB and the suffixes B, K, M, G,
 * T take powers of 1024 (qemu_strtosz); fractions such as 1.5G are allowed. Rounded up to 4 KiB.
 */
export function parseMemorySize(spec: string): number {
  const value = spec.startsWith('size=') ? spec.slice(5) : spec;
  const match = /^(\d+(?:\.\d+)?)([bkmgtBKMGT]?)$/.exec(value);
  if (!match) throw new UsageError(`-m ${spec}: invalid RAM size (examples: 128M, 1G, 512)`);
  const units: Record<string, number> = { '': MIB, b: 1, k: 1024, m: MIB, g: 1024 * MIB, t: 1024 * 1024 * MIB };
  const bytes = Math.ceil((Number(match[1]) * units[match[2].toLowerCase()]) / PAGE) * PAGE;
  if (bytes <= 0) throw new UsageError(`-m ${spec}: RAM size must be more than zero`);
  if (bytes > MAX_RAM) throw new UsageError(`-m ${spec}: at most ${MAX_RAM / MIB}M of RAM is supported`);
  return bytes;
}

/** `-history on|off[,budget=SIZE][,interval=STEPS]` (SIZE as -m's, in MiB without a suffix). */
export function parseHistory(spec: string): HistorySetting {
  const [switch_, ...properties] = spec.split(',');
  if (switch_ !== 'on' && switch_ !== 'off') throw new UsageError(`-history ${spec}: expected on or off first`);
  if (switch_ === 'off') {
    if (properties.length > 0) throw new UsageError(`-history ${spec}: off takes no options`);
    return false;
  }
  let budget: number | undefined;
  let interval: number | undefined;
  for (const property of properties) {
    const [name, value] = property.split('=');
    if (name === 'budget' && value !== undefined && /^\d+(\.\d+)?[kmgtKMGT]?$/.test(value)) {
      budget = parseMemorySize(value);
    } else if (name === 'interval' && value !== undefined && /^\d+$/.test(value) && Number(value) >= 1000 && Number(value) <= 1e12) {
      interval = Number(value);
    } else {
      throw new UsageError(`-history ${spec}: unsupported option '${property}' (budget=SIZE, interval=STEPS from 1000)`);
    }
  }
  return { ...(budget === undefined ? {} : { budget }), ...(interval === undefined ? {} : { interval }) };
}

/** QEMU's -icount: `N` or `shift=N[,align=on|off][,sleep=on|off]`; 3 when absent. */
export function parseIcount(spec: string): number {
  let shift = DEFAULT_ICOUNT_SHIFT;
  for (const part of spec.split(',')) {
    if (part === '') continue;
    const [key, value] = part.includes('=') ? part.split('=', 2) : ['shift', part];
    if (key === 'shift') {
      if (value === 'auto') throw new UsageError(`-icount ${spec}: shift=auto is not supported (time is always virtual)`);
      if (!/^\d+$/.test(value) || Number(value) > MAX_ICOUNT_SHIFT) {
        throw new UsageError(`-icount ${spec}: shift must be a number from 0 to ${MAX_ICOUNT_SHIFT}`);
      }
      shift = Number(value);
    } else if ((key === 'align' || key === 'sleep') && (value === 'on' || value === 'off')) {
      // align is accepted for compatibility (time is virtual); sleep is read by icountSleeps.
    } else if ((key === 'rr' && (value === 'record' || value === 'replay' || value === 'off')) || (key === 'rrfile' && value !== '')) {
      // Read by icountRecordReplay.
    } else {
      throw new UsageError(`-icount ${spec}: unsupported setting '${part}'`);
    }
  }
  return shift;
}

/** `-icount …,sleep=on`: idle waits take their virtual time in wall time too (off by default:
 * idle time is skipped at once). */
export function icountSleeps(spec: string): boolean {
  return spec.split(',').includes('sleep=on');
}

/** `-icount …,rr=record|replay,rrfile=FILE` (QEMU's record/replay): the input log's mode and file. */
export function icountRecordReplay(spec: string): { mode: 'record' | 'replay'; file: string } | undefined {
  const settings = new Map(spec.split(',').filter((part) => part.includes('=')).map((part) => part.split('=', 2) as [string, string]));
  const mode = settings.get('rr');
  if (mode === undefined || mode === 'off') return undefined;
  const file = settings.get('rrfile');
  if (!file) throw new UsageError(`-icount ${spec}: rr=${mode} needs rrfile=FILE`);
  return { mode: mode as 'record' | 'replay', file };
}

/** QEMU's -smp: `N` or `cpus=N[,sockets=,cores=,threads=,maxcpus=]`. */
function parseSmp(spec: string): number {
  let cpus: number | undefined;
  let topology = 1; // sockets × dies × clusters × cores × threads, when cpus= is absent
  for (const part of spec.split(',')) {
    const [key, value] = part.includes('=') ? part.split('=', 2) : ['cpus', part];
    if (!['cpus', 'maxcpus', 'sockets', 'cores', 'threads', 'dies', 'clusters'].includes(key) || !/^\d+$/.test(value)) {
      throw new UsageError(`-smp ${spec}: invalid setting '${part}'`);
    }
    if (key === 'cpus') cpus = Number(value);
    else if (key !== 'maxcpus') topology *= Number(value);
  }
  const harts = cpus ?? topology;
  if (harts < 1 || harts > MAX_HARTS) throw new UsageError(`-smp ${spec}: the virt board takes 1 to ${MAX_HARTS} harts`);
  return harts;
}

/**
 * QEMU's -rtc: `[base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none|slew]`, DATE as
 * 2006-06-17T16:01:21 or 2006-06-17. The clock and driftfix settings are accepted for
 * compatibility: the RTC always runs on virtual time from its start.
 */
export function parseRtc(spec: string | undefined): RtcBase {
  let base: RtcBase = { kind: 'utc' };
  for (const part of (spec ?? '').split(',')) {
    if (part === '') continue;
    const [key, value] = part.includes('=') ? part.split('=', 2) : ['', part];
    if (key === 'base') {
      base = value === 'utc' || value === 'localtime' ? { kind: value } : { kind: 'date', ns: parseRtcDate(spec!, value) };
    } else if ((key === 'clock' && ['host', 'rt', 'vm'].includes(value)) || (key === 'driftfix' && ['none', 'slew'].includes(value))) {
      // Accepted: see above.
    } else {
      throw new UsageError(`-rtc ${spec}: unsupported setting '${part}' (use base=utc, base=localtime or base=2006-06-17T16:01:21)`);
    }
  }
  return base;
}

/** A -rtc base date as ns since the epoch; 1970 to 9999, a real calendar date. */
function parseRtcDate(spec: string, date: string): bigint {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2}):(\d{1,2}):(\d{1,2}))?$/.exec(date);
  const [year, month, day, hour, minute, second] = (match?.slice(1) ?? []).map((field) => Number(field ?? 0));
  const ms = match ? Date.UTC(year, month - 1, day, hour, minute, second) : NaN;
  const back = new Date(ms);
  if (!match || year < 1970 || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new UsageError(`-rtc ${spec}: invalid date '${date}' (valid: 2006-06-17T16:01:21 or 2006-06-17, from 1970)`);
  }
  return BigInt(ms) * 1_000_000n;
}

/** The RTC's start (ns since the epoch) for a -rtc base, read from the host's clock `now`. */
export function rtcStartTime(base: RtcBase, now: Date = new Date()): bigint {
  switch (base.kind) {
    case 'date': return base.ns;
    case 'utc': return BigInt(now.getTime()) * 1_000_000n;
    // Local wall time written as if it were UTC, as QEMU's base=localtime shows the guest.
    case 'localtime': return BigInt(now.getTime() - now.getTimezoneOffset() * 60_000) * 1_000_000n;
  }
}

function parseSerial(spec: string | undefined): SerialBackend {
  if (spec === undefined) return 'mon:stdio'; // QEMU's -nographic default; there is no display to prefer
  if (spec === 'mon:stdio' || spec === 'stdio' || spec === 'none') return spec;
  throw new UsageError(`-serial ${spec}: only mon:stdio, stdio and none are supported yet`);
}

function parseLogItems(spec: string | undefined): TraceOptions {
  const items = new Set((spec ?? '').split(',').filter((item) => item !== ''));
  for (const item of items) {
    if (item !== 'in_asm' && item !== 'int' && item !== 'exec' && item !== 'net') {
      throw new UsageError(`-d ${spec}: log item '${item}' is not supported (in_asm, int, exec, net)`);
    }
  }
  return { inAsm: items.has('in_asm'), int: items.has('int'), exec: items.has('exec'), net: items.has('net') };
}
