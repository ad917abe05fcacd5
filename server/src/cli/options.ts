// The `lantern` command line: QEMU's single-dash options (-machine, -kernel, -m, -icount, ...)
// normalised for commander, validated, and turned into a machine configuration.
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../../package.json';
import type { BoardName } from '../machine/memory-map';
import type { TraceOptions } from '../machine/trace';

/** A bad command line; the message is the one line printed after "lantern: ". */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type SerialBackend = 'mon:stdio' | 'stdio' | 'none';

export interface RunOptions {
  readonly board: BoardName;
  readonly ramSize: number;
  readonly kernel: string;
  readonly bios: 'none';
  readonly harts: 1;
  readonly icountShift: number;
  readonly serial: SerialBackend;
  readonly trace: TraceOptions;
  readonly traceFile: string | undefined;
}

/** What the command line asks for: run a machine, or print something and exit 0. */
export type Invocation = { kind: 'run'; options: RunOptions } | { kind: 'print'; text: string };

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
  '-monitor', '-display', '-accel', '-chardev', '-object', '-name', '-rtc', '-L',
]);

/** Real QEMU options that Lantern does not have yet: named as such instead of "unknown". */
const NOT_YET = new Set([
  '-append', '-initrd', '-dtb', '-drive', '-device', '-netdev', '-global', '-gdb', '-cpu',
  '-monitor', '-display', '-accel', '-chardev', '-object', '-no-reboot', '-snapshot', '-rtc',
]);

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
    .addOption(new Option('-M, --machine <type>', 'board: virt or spike (help lists them)').default('virt'))
    .addOption(new Option('--bios <file>', 'firmware: only "none" for now (start the kernel in M-mode)'))
    .addOption(new Option('--kernel <file>', 'ELF or raw binary to load into RAM'))
    .addOption(new Option('-m <size>', 'RAM size: 128M, 1G, or a number of MiB').default(DEFAULT_RAM))
    .addOption(new Option('--nographic', 'no display; the serial console is on stdio'))
    .addOption(new Option('--serial <dev>', 'mon:stdio (Ctrl-A escapes), stdio or none'))
    .addOption(new Option('--icount <spec>', 'virtual time: shift=N, one step is 2^N ns').default(`shift=${DEFAULT_ICOUNT_SHIFT}`))
    .addOption(new Option('--smp <n>', 'number of harts (only 1 for now)').default('1'))
    .addOption(new Option('-d <items>', 'log items: in_asm,int,exec (help lists them)'))
    .addOption(new Option('-D <file>', 'write the log to a file instead of stderr'))
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

  const kernel = text('kernel');
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
  if (properties.length > 0) throw new UsageError(`-machine ${spec}: machine properties are not supported yet`);
  return type;
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
function parseSmp(spec: string): 1 {
  for (const part of spec.split(',')) {
    const [key, value] = part.includes('=') ? part.split('=', 2) : ['cpus', part];
    if (!['cpus', 'maxcpus', 'sockets', 'cores', 'threads', 'dies', 'clusters'].includes(key) || !/^\d+$/.test(value)) {
      throw new UsageError(`-smp ${spec}: invalid setting '${part}'`);
    }
    if (Number(value) > 1) throw new UsageError(`-smp ${spec}: more than one hart is not supported yet`);
  }
  return 1;
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
