// The `lantern` command line: QEMU's single-dash options (-machine, -kernel, -m, -icount, ...)
// normalised for commander, validated, and turned into a machine configuration.
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../../package.json';
import { MAX_HARTS } from '../machine/device-tree';
import type { BoardName } from '../machine/memory-map';
import type { TraceOptions } from '../machine/trace';
import { deviceHelp, parseSeed, parseVirtioOptions, type VirtioOptions } from './virtio-options';

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
  readonly kernel: string;
  readonly bios: 'none';
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
}

/** What `-machine virt,dumpdtb=FILE` needs: what the device tree depends on (-kernel optional, as in QEMU). */
export interface DumpDtbOptions {
  readonly board: BoardName;
  readonly ramSize: number;
  readonly harts: number;
  readonly kernel?: string;
  readonly append?: string;
  readonly initrd?: string;
  readonly dtb?: string;
  readonly seed?: bigint;
}

/** What the command line asks for: run a machine, or print something and exit 0. */
export type Invocation =
  | { kind: 'run'; options: RunOptions }
  | { kind: 'print'; text: string }
  | { kind: 'dump-dtb'; file: string; options: DumpDtbOptions };

export const VERSION_TEXT = `Lantern ${version}\nA RISC-V virtual machine for Node.js, with a QEMU-compatible command line.`;

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
  '-append', '-initrd', '-dtb', '-drive', '-device', '-netdev', '-global', '-gdb', '-cpu',
  '-monitor', '-display', '-accel', '-chardev', '-object', '-name', '-rtc', '-L', '-seed',
]);

/** Real QEMU options that Lantern does not have yet: named as such instead of "unknown". */
const NOT_YET = new Set([
  '-netdev', '-gdb', '-cpu',
  '-monitor', '-display', '-accel', '-chardev', '-object', '-no-reboot', '-snapshot',
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

/** Option flags in QEMU's single-dash spelling for the help text (--help and --version stay). */
function qemuSpelling(flags: string): string {
  return flags.replace(/--(?!help\b|version\b)(?=[a-z])/g, '-');
}

function program(output: { text: string }): Command {
  const command = new Command('lantern')
    .description('Run a RISC-V guest on a QEMU-compatible virtual board.')
    .usage('-machine virt -bios none -nographic -kernel FILE [options]')
    .addOption(new Option('-M, --machine <type>', 'board: virt or spike (help lists them); virt,dumpdtb=FILE writes its device tree and exits').default('virt'))
    .addOption(new Option('--bios <file>', 'firmware: only "none" for now (start the kernel in M-mode)'))
    .addOption(new Option('--kernel <file>', 'ELF or raw binary to load into RAM'))
    .addOption(new Option('-m <size>', 'RAM size: 128M, 1G, or a number of MiB').default(DEFAULT_RAM))
    .addOption(new Option('--nographic', 'no display; the serial console is on stdio'))
    .addOption(new Option('--serial <dev>', 'mon:stdio (Ctrl-A escapes), stdio or none'))
    .addOption(new Option('--icount <spec>', 'virtual time: shift=N, one step is 2^N ns').default(`shift=${DEFAULT_ICOUNT_SHIFT}`))
    .addOption(new Option('--smp <n>', `number of harts, 1 to ${MAX_HARTS} (more than 1 only with dumpdtb for now)`).default('1'))
    .addOption(new Option('-d <items>', 'log items: in_asm,int,exec (help lists them)'))
    .addOption(new Option('-D <file>', 'write the log to a file instead of stderr'))
    .addOption(new Option('--drive <spec>', 'disk image: file=F,if=none,format=raw,id=X[,readonly=on]; if=virtio takes the next free virtio-mmio slot (QEMU would use PCI)').argParser(collect))
    .addOption(new Option('--device <spec>', 'virtio-blk-device,drive=X[,bus=virtio-mmio-bus.N] or virtio-rng-device (help lists them)').argParser(collect))
    .addOption(new Option('--global <spec>', 'virtio-mmio.force-legacy=false for version 2 (modern) virtio-mmio').argParser(collect))
    .addOption(new Option('--seed <n>', 'seed of the guest-visible randomness (virtio-rng); random when absent'))
    .addOption(new Option('--rtc <spec>', 'RTC start: base=utc, base=localtime or base=2006-06-17T16:01:21'))
    .addOption(new Option('--append <cmdline>', 'kernel command line (device tree /chosen/bootargs)'))
    .addOption(new Option('--initrd <file>', 'initial RAM disk, loaded where QEMU puts it'))
    .addOption(new Option('--dtb <file>', 'device tree blob to use instead of the generated one'))
    .addOption(new Option('-s', 'GDB stub on tcp::1234 (not supported yet)'))
    .addOption(new Option('-S', 'wait for the debugger before starting (not supported yet)'))
    .version(VERSION_TEXT, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .configureHelp({ optionTerm: (option) => qemuSpelling(option.flags) })
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => { output.text += text; },
      writeErr: () => {}, // errors are reported through the thrown CommanderError
    });
  return command;
}

/** Parses `argv` (without node and the script). Throws UsageError for a bad command line. */
export function parseArguments(argv: readonly string[]): Invocation {
  const output = { text: '' };
  const command = program(output);
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

  if (raw.s || raw.S) throw new UsageError(`${raw.s ? '-s' : '-S'}: the GDB stub is not supported yet`);
  const machine = text('machine') ?? 'virt';
  if (machine === 'help' || machine === '?') {
    return { kind: 'print', text: 'Machines:\nspike  the Spike reference board (HTIF console and exit)\nvirt   the QEMU virt board (default)\n' };
  }
  const logItems = text('d');
  if (logItems === 'help' || logItems === '?') {
    return {
      kind: 'print',
      text: 'Log items for -d (comma separated):\nin_asm  disassembly of guest code the first time it runs\nint     one line per trap taken (exceptions and interrupts)\nexec    one line per instruction executed (very verbose)\n',
    };
  }

  const list = (key: string) => (raw[key] as unknown as string[] | undefined) ?? [];
  const devicesHelp = deviceHelp(list('device'));
  if (devicesHelp !== undefined) return { kind: 'print', text: devicesHelp };

  const kernel = text('kernel');
  const dumpDtb = dumpDtbFile(machine);
  if (dumpDtb !== undefined) {
    return {
      kind: 'dump-dtb',
      file: dumpDtb,
      options: {
        board: parseMachine(machine), ramSize: parseMemorySize(text('m') ?? DEFAULT_RAM), harts: parseSmp(text('smp') ?? '1', false),
        kernel, append: text('append'), initrd: text('initrd'), dtb: text('dtb'), seed: parseSeed(text('seed')),
      },
    };
  }
  if (kernel === undefined) throw new UsageError('no kernel given: use -kernel FILE');
  return {
    kind: 'run',
    options: {
      board: parseMachine(machine),
      ramSize: parseMemorySize(text('m') ?? DEFAULT_RAM),
      kernel,
      bios: parseBios(text('bios')),
      harts: parseSmp(text('smp') ?? '1'),
      icountShift: parseIcount(text('icount') ?? ''),
      serial: parseSerial(text('serial')),
      trace: parseLogItems(logItems),
      traceFile: text('D'),
      append: text('append'),
      initrd: text('initrd'),
      dtb: text('dtb'),
      rtcBase: parseRtc(text('rtc')),
      virtio: parseVirtioOptions(parseMachine(machine), list('drive'), list('device'), list('global')),
      seed: parseSeed(text('seed')),
    },
  };
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

function parseBios(bios: string | undefined): 'none' {
  if (bios === 'none') return 'none';
  if (bios === undefined) throw new UsageError('no firmware is bundled yet: give -bios none to start the kernel in M-mode');
  throw new UsageError(`-bios ${bios}: only -bios none is supported yet`);
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
      // Accepted for compatibility: time is virtual and idle waits skip ahead either way.
    } else {
      throw new UsageError(`-icount ${spec}: unsupported setting '${part}'`);
    }
  }
  return shift;
}

/** QEMU's -smp: `N` or `cpus=N[,sockets=,cores=,threads=,maxcpus=]`; only one hart for now. */
function parseSmp(spec: string, running = true): number {
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
  if (running && harts > 1) throw new UsageError(`-smp ${spec}: more than one hart is not supported yet`);
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
    if (item !== 'in_asm' && item !== 'int' && item !== 'exec') {
      throw new UsageError(`-d ${spec}: log item '${item}' is not supported (in_asm, int, exec)`);
    }
  }
  return { inAsm: items.has('in_asm'), int: items.has('int'), exec: items.has('exec') };
}
