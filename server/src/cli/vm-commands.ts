// The VM server's subcommands: `lantern server` runs it; ps, create, start, stop, pause, resume,
// rm, inspect, regs, console, snapshot, restore, clone and shutdown talk to it. A table of commands,
// each its commander parser and its action; human output by default, --json for scripts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ApiServer, oneLine } from '../vmm/api-server';
import { connectToServer, ConnectionError, ServerError, type ServerAddress, type ServerClient } from '../vmm/client';
import { defaultSocketPath, tokenFileFor } from '../vmm/endpoint';
import { VmManager } from '../vmm/manager';
import { DEFAULT_MEMORY_BUDGET, VM_NAME, type VmInfo, type VmLimits } from '../vmm/protocol';
import { absoluteVmArguments } from './vm-arguments';
import { attachConsole } from './vm-console';

/** Exit statuses: the command line was wrong; the server refused or is not there. */
const USAGE = 2;
const REFUSED = 1;

type Options = Record<string, unknown>;

interface Subcommand {
  /** Operands and options for commander (the client options are added to all but `server`). */
  readonly define: (command: Command) => Command;
  readonly summary: string;
  readonly run: (context: Context, operands: string[], options: Options) => Promise<number>;
}

interface Context {
  /** Connects to the server the options name (opened on first use). */
  client(): Promise<ServerClient>;
  readonly json: boolean;
  print(text: string): void;
}

/** A bad command line (exit status 2). */
class VmUsageError extends Error {}

const SUBCOMMANDS: Record<string, Subcommand> = {
  server: {
    summary: 'run the VM server in the foreground (until Ctrl-C, SIGTERM or `lantern shutdown`)',
    define: (c) => c
      .option('--socket <path>', 'the Unix socket to listen on (default: $XDG_RUNTIME_DIR/lantern/server.sock)')
      .option('--tcp <port>', 'also listen on TCP (clients then need the token the server writes beside the socket)')
      .option('--host <host>', 'the TCP address (default 127.0.0.1)')
      .option('--memory <size>', 'guest RAM for all running VMs together (default 4G; suffixes K, M, G, T; a bare number is MiB)'),
    run: runServer,
  },
  ps: {
    summary: 'list the VMs',
    define: (c) => c,
    run: async (context) => {
      const vms = await (await context.client()).request({ op: 'list' });
      context.print(context.json ? json(vms) : table(vms));
      return 0;
    },
  },
  create: {
    summary: 'create a VM from lantern (QEMU-style) options, given after --',
    define: (c) => c
      .argument('<name>')
      .option('--start', 'start it at once')
      .option('--max-steps <n>', 'stop it after this many clock steps')
      .option('--max-seconds <s>', 'stop it after this many seconds of running'),
    run: async (context, [name], options) => {
      const args = options.vmArgs as string[];
      if (args.length === 0) throw new VmUsageError('create: give the VM\'s options after --, e.g. lantern create NAME -- -kernel FILE');
      const limits = parseLimits(options);
      const info = await (await context.client()).request({
        op: 'create', name: vmName(name!), args: absoluteVmArguments(args, process.cwd()),
        ...(limits ? { limits } : {}), ...(options.start ? { start: true } : {}),
      });
      context.print(context.json ? json(info) : describeState(info));
      return 0;
    },
  },
  start: transition('start', 'start a created or stopped VM'),
  stop: transition('stop', 'stop a VM (power it off)'),
  pause: transition('pause', 'pause a running VM'),
  resume: transition('resume', 'resume a paused VM'),
  rm: {
    summary: 'delete a VM (stopping it first if it runs)',
    define: (c) => c.argument('<name>'),
    run: async (context, [name]) => {
      await (await context.client()).request({ op: 'delete', name: vmName(name!) });
      context.print(context.json ? json(null) : `${name}: deleted`);
      return 0;
    },
  },
  inspect: {
    summary: 'show one VM in full',
    define: (c) => c.argument('<name>'),
    run: async (context, [name]) => {
      const info = await (await context.client()).request({ op: 'inspect', name: vmName(name!) });
      context.print(context.json ? json(info) : details(info));
      return 0;
    },
  },
  regs: {
    summary: 'show a paused VM\'s registers (the x registers, pc and priv, or those named)',
    define: (c) => c.argument('<name>').argument('[registers...]').option('--hart <n>', 'the hart (default 0)'),
    run: async (context, [name, ...names], options) => {
      const hart = options.hart === undefined ? 0 : Number(options.hart);
      if (!/^\d{1,4}$/.test(String(options.hart ?? 0))) throw new VmUsageError(`regs: --hart ${String(options.hart)}: a hart number`);
      const read = await (await context.client()).request({ op: 'registers', name: vmName(name!), hart, ...(names.length > 0 ? { names } : {}) });
      const width = Math.max(...Object.keys(read.values).map((key) => key.length));
      context.print(context.json ? json(read) : Object.entries(read.values).map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n'));
      return 0;
    },
  },
  console: {
    summary: 'attach the terminal to a VM\'s console (Ctrl-] detaches)',
    define: (c) => c.argument('<name>'),
    run: async (context, [name]) => attachConsole(await context.client(), vmName(name!), {
      input: process.stdin, output: process.stdout, messages: process.stderr,
    }),
  },
  snapshot: {
    summary: 'save a VM\'s state to FILE (default ./NAME.lsnap)',
    define: (c) => c.argument('<name>').argument('[file]'),
    run: async (context, [name, file]) => {
      const target = path.resolve(file ?? `${vmName(name!)}.lsnap`);
      const saved = await (await context.client()).request({ op: 'snapshot', name: vmName(name!), file: target });
      context.print(context.json ? json(saved) : `${name}: saved to ${saved.file} (${formatBytes(saved.bytes)})`);
      return 0;
    },
  },
  restore: {
    summary: 'load a snapshot FILE into a VM',
    define: (c) => c.argument('<name>').argument('<file>'),
    run: async (context, [name, file]) => {
      const info = await (await context.client()).request({ op: 'restore', name: vmName(name!), file: path.resolve(file!) });
      context.print(context.json ? json(info) : describeState(info, `restored from ${path.resolve(file!)}`));
      return 0;
    },
  },
  clone: {
    summary: 'a new VM from a running or paused VM, or from a snapshot FILE (a path with a / or ending in .lsnap)',
    define: (c) => c.argument('<source>').argument('<newname>').option('--start', 'start the clone at once'),
    run: async (context, [source, newName], options) => {
      const from = isSnapshotFile(source!) ? { file: path.resolve(source!) } : { vm: vmName(source!) };
      const info = await (await context.client()).request({ op: 'clone', source: from, newName: vmName(newName!), ...(options.start ? { start: true } : {}) });
      context.print(context.json ? json(info) : describeState(info, `cloned from ${'vm' in from ? from.vm : from.file}`));
      return 0;
    },
  },
  shutdown: {
    summary: 'stop every VM and the server',
    define: (c) => c,
    run: async (context) => {
      const client = await context.client();
      await client.request({ op: 'shutdown' });
      context.print(context.json ? json(null) : `the server at ${client.address} shut down`);
      return 0;
    },
  },
};

/** Whether `argv` is one of these subcommands. `lantern clone FILE [options]` (a local run from a
 * snapshot, cli/clone.ts) stays as it was: the server's clone has two operands. */
export function isVmCommand(argv: readonly string[]): boolean {
  const name = argv[0];
  if (name === undefined || !Object.prototype.hasOwnProperty.call(SUBCOMMANDS, name)) return false;
  if (name !== 'clone') return true;
  return argv.length >= 3 && !argv[1]!.startsWith('-') && !argv[2]!.startsWith('-');
}

/** Runs a subcommand; every failure is one "lantern: ..." line on stderr and exit status 2 or 1. */
export async function runVmCommand(argv: readonly string[]): Promise<number> {
  const name = argv[0]!;
  const spec = SUBCOMMANDS[name]!;
  let client: ServerClient | undefined;
  try {
    // `create NAME ... -- ARGS`: everything after the first -- is the VM's.
    const split = argv.indexOf('--');
    const own = split < 0 ? argv.slice(1) : argv.slice(1, split);
    const command = parser(name, spec);
    try {
      command.parse([...own], { from: 'user' });
    } catch (error) {
      if (error instanceof CommanderError) {
        if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') return 0;
        throw new VmUsageError(`${name}: ${error.message.replace(/^error: /, '')} (lantern ${name} --help)`);
      }
      throw error;
    }
    const options: Options = { ...command.opts(), vmArgs: split < 0 ? [] : argv.slice(split + 1) };
    if (split >= 0 && name !== 'create') throw new VmUsageError(`${name}: unexpected '--'`);
    const address = name === 'server' ? undefined : serverAddress(options);
    const context: Context = {
      json: Boolean(options.json),
      print: (text) => process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`),
      client: async () => (client ??= await connectToServer(address)),
    };
    // A variadic operand (regs' registers) comes as an array: its items follow the others.
    return await spec.run(context, (command.processedArgs as (string | string[])[]).flat(), options);
  } catch (error) {
    if (error instanceof VmUsageError) {
      process.stderr.write(`lantern: ${error.message}\n`);
      return USAGE;
    }
    if (error instanceof ServerError || error instanceof ConnectionError) {
      process.stderr.write(`lantern: ${error.message}\n`);
      return REFUSED;
    }
    process.stderr.write(`lantern: ${oneLine(error)}\n`);
    return REFUSED;
  } finally {
    await client?.close();
  }
}

/** The commander parser of one subcommand: errors thrown (not printed), help on stdout. */
function parser(name: string, spec: Subcommand): Command {
  const command = new Command(`lantern ${name}`)
    .description(spec.summary)
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({ writeOut: (text) => process.stdout.write(text), writeErr: () => undefined });
  spec.define(command);
  if (name === 'create') command.usage('NAME [--start] [--max-steps N] [--max-seconds S] -- <lantern options...>');
  if (name !== 'server') {
    command
      .option('--json', 'print JSON instead of text')
      .option('--socket <path>', 'the server\'s Unix socket (default: $LANTERN_SERVER, else $XDG_RUNTIME_DIR/lantern/server.sock)')
      .option('--tcp <port>', 'reach the server over TCP instead (needs its token)')
      .option('--host <host>', 'the TCP server\'s address (default 127.0.0.1)')
      .option('--token-file <file>', 'the TCP token (default: server.token beside the default socket)');
  }
  return command;
}

/** Where the client options point: the socket, or TCP with the token read from its file. */
function serverAddress(options: Options): ServerAddress {
  if (options.tcp === undefined) {
    if (options.host !== undefined || options.tokenFile !== undefined) throw new VmUsageError('--host and --token-file go with --tcp');
    return { path: options.socket === undefined ? defaultSocketPath() : path.resolve(String(options.socket)) };
  }
  if (options.socket !== undefined) throw new VmUsageError('give --socket or --tcp, not both');
  const port = parsePort(String(options.tcp));
  const tokenFile = options.tokenFile === undefined ? tokenFileFor(defaultSocketPath()) : String(options.tokenFile);
  let token: string;
  try {
    token = fs.readFileSync(tokenFile, 'utf8').trim();
  } catch (error) {
    throw new VmUsageError(`cannot read the token file ${tokenFile}: ${oneLine(error)} (--token-file FILE)`);
  }
  return { tcp: { port, ...(options.host === undefined ? {} : { host: String(options.host) }) }, token };
}

/** `lantern server`: listens until a signal or a `shutdown` request, then stops every VM. */
async function runServer(_context: Context, _operands: string[], options: Options): Promise<number> {
  const memoryBudget = options.memory === undefined ? DEFAULT_MEMORY_BUDGET : parseBudget(String(options.memory));
  const tcp = options.tcp === undefined ? undefined : { port: parsePort(String(options.tcp)), host: String(options.host ?? '127.0.0.1') };
  if (options.host !== undefined && tcp === undefined) throw new VmUsageError('server: --host goes with --tcp');
  const socket = options.socket === undefined ? defaultSocketPath() : path.resolve(String(options.socket));
  const manager = new VmManager({ memoryBudget });
  let server: ApiServer;
  try {
    server = await ApiServer.listen({ controller: manager, socket, tcp, log: (line) => process.stderr.write(`lantern: ${line}\n`) });
  } catch (error) {
    await manager.close();
    throw new ConnectionError(`server: ${oneLine(error)}`);
  }
  process.stderr.write(`lantern: server listening on ${server.socketPath}\n`);
  if (server.tcp) {
    process.stderr.write(`lantern: server listening on tcp:${server.tcp.host}:${server.tcp.port}; clients need the token in ${server.tcp.tokenFile}\n`);
  }
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`lantern: ${signal}: stopping every VM and the server\n`);
    void server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.closed;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}

/** The ops that take one VM name and answer its new state. */
function transition(op: 'start' | 'stop' | 'pause' | 'resume', summary: string): Subcommand {
  return {
    summary,
    define: (c) => c.argument('<name>'),
    run: async (context, [name]) => {
      const info = await (await context.client()).request({ op, name: vmName(name!) });
      context.print(context.json ? json(info) : describeState(info));
      return 0;
    },
  };
}

function vmName(name: string): string {
  if (!VM_NAME.test(name)) throw new VmUsageError(`'${name}' is not a VM name (a letter or digit, then letters, digits, '.', '_' or '-'; at most 64)`);
  return name;
}

function isSnapshotFile(source: string): boolean {
  return source.includes('/') || source.includes(path.sep) || source.endsWith('.lsnap') || !VM_NAME.test(source);
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new VmUsageError(`--tcp ${text}: not a port number`);
  return Number(text);
}

function parseLimits(options: Options): VmLimits | undefined {
  const limits: { steps?: string; wallMs?: number } = {};
  if (options.maxSteps !== undefined) {
    const steps = String(options.maxSteps);
    if (!/^[1-9]\d{0,19}$/.test(steps) || BigInt(steps) >= 1n << 64n) throw new VmUsageError(`create: --max-steps ${steps}: a positive whole number`);
    limits.steps = steps;
  }
  if (options.maxSeconds !== undefined) {
    const seconds = Number(options.maxSeconds);
    if (!/^\d+(\.\d+)?$/.test(String(options.maxSeconds)) || !(seconds > 0) || seconds * 1000 > Number.MAX_SAFE_INTEGER) {
      throw new VmUsageError(`create: --max-seconds ${String(options.maxSeconds)}: a positive number of seconds`);
    }
    limits.wallMs = Math.max(1, Math.round(seconds * 1000));
  }
  return limits.steps === undefined && limits.wallMs === undefined ? undefined : limits;
}

/** The server's budget: -m's syntax (a bare number is MiB), without -m's per-VM cap. */
function parseBudget(spec: string): number {
  const match = /^(\d+(?:\.\d+)?)([bkmgtBKMGT]?)$/.exec(spec);
  const units: Record<string, number> = { '': 2 ** 20, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
  const bytes = match ? Math.floor(Number(match[1]) * units[match[2]!.toLowerCase()]!) : NaN;
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) throw new VmUsageError(`server: --memory ${spec}: a size such as 4G or 512M`);
  return bytes;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** `ps`: one aligned row per VM. */
function table(vms: readonly VmInfo[]): string {
  const rows = [['NAME', 'STATE', 'MEMORY', 'HARTS', 'GDB', 'DAP', 'STEPS']];
  for (const vm of vms) {
    rows.push([vm.name, vm.state, formatBytes(vm.memory), String(vm.harts), vm.gdbPort?.toString() ?? '-', vm.dapPort?.toString() ?? '-', vm.steps ?? '-']);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

/** One line after a state change: the state, and where to debug it while it runs. */
function describeState(info: VmInfo, what?: string): string {
  const parts = [`${info.name}: ${what ? `${what}, ` : ''}${info.state}`];
  if (info.state === 'stopped' && info.exitStatus !== undefined) parts.push(`exit status ${info.exitStatus}`);
  if (info.error) parts.push(info.error);
  if (info.gdbPort !== undefined) parts.push(`gdb on 127.0.0.1:${info.gdbPort}`);
  if (info.dapPort !== undefined) parts.push(`DAP on 127.0.0.1:${info.dapPort}`);
  return parts.join(', ');
}

/** `inspect`: every field, one a line. */
function details(info: VmInfo): string {
  const lines: [string, string][] = [
    ['name', info.name],
    ['state', info.state],
    ['args', info.args.map(quoteForShell).join(' ')],
    ['memory', formatBytes(info.memory)],
    ['harts', String(info.harts)],
  ];
  if (info.gdbPort !== undefined) lines.push(['gdb', `127.0.0.1:${info.gdbPort} (gdb-multiarch -ex 'target remote 127.0.0.1:${info.gdbPort}')`]);
  if (info.dapPort !== undefined) lines.push(['dap', `127.0.0.1:${info.dapPort}`]);
  if (info.steps !== undefined) lines.push(['steps', info.steps]);
  if (info.limits) {
    const limits = [info.limits.steps && `${info.limits.steps} steps`, info.limits.wallMs && `${info.limits.wallMs / 1000} s`].filter(Boolean);
    lines.push(['limits', limits.join(', ')]);
  }
  if (info.exitStatus !== undefined) lines.push(['exit status', String(info.exitStatus)]);
  if (info.error !== undefined) lines.push(['error', info.error]);
  const width = Math.max(...lines.map(([key]) => key.length)) + 1;
  return lines.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}`).join('\n');
}

/** Bytes as -m writes them: the largest unit that divides them (128M, 2G), else with one decimal. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]];
  for (const [suffix, size] of units) if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  for (const [suffix, size] of units) if (bytes >= size) return `${(bytes / size).toFixed(1)}${suffix}`;
  return `${bytes}B`;
}

function quoteForShell(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
