// The monitor: QEMU's human monitor commands (help, info registers/cpus/mem/mtree/status/network/
// usernet, x, xp, print, gva2gpa, stop, cont, system_reset, quit, hostfwd_add/remove) in QEMU
// 7.2's output formats, plus Lantern's own (info tlb, pt, trap, csr, catch, phys, step-irq).
// One command line in, its text out, over
// a narrow MonitorHost the Machine implements: no host I/O here, so the GDB stub (`monitor ...`),
// the console (Ctrl-A c) and the DAP bridge can all offer it.
import type { AddressSpace, HartInfo, MonitorCapability, MonitorResult, RegisterInfo } from './target';
import { REG_CSR0, REG_F0, REG_PC, REG_PRIV } from './target';
import { evaluate, ExpressionError } from './monitor-expression';
import { dumpMemory, FormatError, parseExamine, printCharacter, type FormatMemory } from './monitor-examine';
import { cpuList, memoryMappings, memoryTree, registerDump, tlbList } from './monitor-info';
import { csrList, pageTableWalk, trapList } from './monitor-lantern';
import { NetworkCommandError, hostForwardAdd, hostForwardRemove, networkList, setLink, usernetTable, type MonitorNetworks } from './monitor-network';
import { snapshotTable } from './monitor-snapshots';
import { walk } from './page-walk';

export type CatchKind = 'trap' | 'exception' | 'interrupt' | 'ecall' | 'pagefault';
export interface TrapRecord { count: bigint; cause: bigint; tval: bigint; epc: bigint; /** privilege the trap went to: 3 M, 1 S */ target: number; }
/** One valid software-TLB entry; vpage and ppage are page addresses (low 12 bits zero). */
export interface TlbEntry { privilege: number; vpage: bigint; ppage: bigint; read: boolean; write: boolean; execute: boolean; }
export interface MonitorHost {
  readonly xlen: 32 | 64;
  readonly registers: readonly RegisterInfo[];   // numbers: x0..31 = 0..31, pc 32, f 33..64, CSR n = 65+n, priv 4161
  harts(): readonly HartInfo[];
  readonly running: boolean;
  readRegister(hart: number, number: number): bigint | undefined;   // only while stopped: the monitor must pause first or say so (see below)
  readMemory(hart: number, addr: bigint, length: number, space: AddressSpace): Uint8Array; // readable prefix
  readPhysical(addr: bigint, length: number): Uint8Array | undefined;  // RAM or device peek; undefined if unmapped
  lastTrap(hart: number): TrapRecord;
  tlb(hart: number): readonly TlbEntry[];                  // the hart's software TLB (valid entries)
  memoryMap(): readonly { name: string; base: bigint; size: bigint }[];
  addressSpace: AddressSpace;                              // phys on|off sets it
  stepInterrupts: boolean;                                 // step-irq on|off
  catching: ReadonlySet<CatchKind>;
  setCatch(kind: CatchKind, on: boolean): void;
  pause(): Promise<void>;       // stop -> resolves when stopped
  resume(): void;              // cont
  reset(): void;               // system_reset
  quit(): void;                // quit: ends the VM, status 0
  readonly snapshots?: MonitorSnapshots;   // savevm, loadvm, delvm, info snapshots (absent: not offered)
  readonly disks?: MonitorDisks;           // commit (absent: not offered)
  history?(): HistoryReport | undefined;    // info history (undefined: time travel is off)
  readonly networks?: MonitorNetworks;     // info network/usernet, hostfwd_add/remove (absent: no user networks)
}

/** What time travel holds (history/time-travel.ts), for `info history`. */
export interface HistoryReport {
  readonly checkpoints: number;
  readonly bytes: number;
  readonly budget: number;
  /** The clock steps of the oldest state held, of the present, and where the machine stands. */
  readonly start: bigint;
  readonly present: bigint;
  readonly now: bigint;
}

/** The disks' copy-on-write overlays (server/src/snapshot/commit.ts). */
export interface MonitorDisks {
  /** Writes the overlay of `device` (a drive id, or `all`) into its base image; throws an Error with a one-line message. */
  commit(device: string): void;
}

/** Snapshots by name (server/src/snapshot/store.ts); each throws an Error with a one-line message. */
export interface MonitorSnapshots {
  save(name: string): void;
  load(name: string): void;
  delete(name: string): void;
  list(): readonly { name: string; fileSize: number; date: number; vmClockNs: bigint; steps: bigint }[];
}

const CATCH_KINDS: readonly CatchKind[] = ['trap', 'exception', 'interrupt', 'ecall', 'pagefault'];
const SATP = REG_CSR0 + 0x180;

/** A command's run: its argument text in, its output (or a full result) out. */
type Run = (args: string, hart: number) => string | MonitorResult | Promise<string | MonitorResult>;

interface Command {
  /** Its name and aliases ("cont|c"). */
  readonly names: readonly string[];
  readonly params: string;
  readonly help: string;
  /** Lantern's own (QEMU has no such command). */
  readonly lantern?: boolean;
  /** Reads hart state: a running VM is paused around it and resumed after. */
  readonly readsState?: boolean;
  /** Takes no arguments: anything after the name is an error. */
  readonly noArguments?: boolean;
  readonly run: Run;
}

class UsageError extends Error {}

const onOff = (value: string, command: string): boolean => {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`${command}: expected 'on' or 'off', not '${value}'`);
};

/** The monitor over `host`. The x/xp/print format letters are remembered between commands, as in QEMU. */
export function createMonitor(host: MonitorHost): MonitorCapability {
  const formats: FormatMemory = { format: 'x', size: 4 };
  const networks: MonitorNetworks = host.networks ?? { list: () => [], parseRule: () => { throw new Error('no user network'); } };
  const xlen = host.xlen;

  const knownHart = (hart: number): HartInfo | undefined => host.harts().find((h) => h.hart === hart);
  const requireHart = (hart: number): HartInfo => {
    const info = knownHart(hart);
    if (info === undefined) throw new UsageError('No CPU available');
    return info;
  };

  /** Register names for $name in expressions: the target's names, x0-x31, f0-f31, fp; any case. */
  const registerNumbers = new Map<string, number>();
  for (const r of host.registers) registerNumbers.set(r.name.toLowerCase(), r.number);
  for (let i = 0; i < 32; i++) {
    registerNumbers.set(`x${i}`, i);
    registerNumbers.set(`f${i}`, REG_F0 + i);
  }
  registerNumbers.set('fp', 8);
  registerNumbers.set('pc', REG_PC);
  const lookup = (hart: number) => (name: string): bigint | undefined => {
    const number = registerNumbers.get(name.toLowerCase());
    return number === undefined ? undefined : host.readRegister(hart, number);
  };
  const expression = (text: string, hart: number): bigint => {
    if (text.trim() === '') throw new UsageError('address expected');
    return evaluate(text, lookup(hart));
  };

  const examine = (physical: boolean) => (args: string, hart: number): string => {
    requireHart(hart);
    const { format, address } = parseExamine(args, formats);
    const mask = physical ? (1n << 64n) - 1n : (1n << BigInt(xlen)) - 1n;
    const addr = expression(address, hart) & mask;
    return dumpMemory({
      address: addr, format, physical, xlen,
      read: (at, length) => host.readMemory(hart, at & mask, length, physical ? 'physical' : 'virtual'),
    });
  };

  const print = (args: string, hart: number): string => {
    const { format, address } = parseExamine(args, formats);
    const value = expression(address, hart);
    switch (format.format) {
      case 'o': return `${value === 0n ? '0' : `0${value.toString(8)}`}\n`;
      case 'x': return `${value === 0n ? '0' : `0x${value.toString(16)}`}\n`;
      case 'u': return `${value}\n`;
      case 'c': return `${printCharacter(Number(value & 0xffn))}\n`;
      default: return `${BigInt.asIntN(64, value)}\n`;
    }
  };

  const satpOf = (hart: number): bigint => {
    const satp = host.readRegister(hart, SATP);
    if (satp === undefined) throw new UsageError('S-mode MMU unavailable');
    return satp;
  };

  const settings = (name: string, describe: (on: boolean) => string, get: () => boolean, set: (on: boolean) => void): Run =>
    (args) => {
      const words = args.trim().split(/\s+/).filter((w) => w !== '');
      if (words.length === 0) return `${describe(get())}\n`;
      if (words.length > 1) throw new UsageError(`${name}: usage: ${name} [on|off]`);
      set(onOff(words[0], name));
      return '';
    };

  const infoCommands: readonly Command[] = [
    {
      names: ['cpus'], params: '', help: 'show infos for each CPU', readsState: true, noArguments: true,
      run: (_, hart) => cpuList(host.harts(), hart, (h) => host.readRegister(h, REG_PC)),
    },
    {
      names: ['mem'], params: '', help: 'show the active virtual memory mappings', readsState: true, noArguments: true,
      run: (_, hart) => {
        requireHart(hart);
        return memoryMappings(satpOf(hart), xlen, (addr, length) => host.readPhysical(addr, length));
      },
    },
    {
      names: ['mtree'], params: '', help: 'show memory tree', noArguments: true,
      run: () => memoryTree(host.memoryMap()),
    },
    {
      names: ['network'], params: '', help: 'show the network state', noArguments: true,
      run: () => networkList(networks.list()),
    },
    {
      names: ['usernet'], params: '', help: 'show user network stack connection states', noArguments: true,
      run: () => usernetTable(networks.list()),
    },
    {
      names: ['registers'], params: '[-a|vcpu]',
      help: "show the cpu registers (-a: show register info for all cpus; vcpu: specific vCPU to query; show the current CPU's registers if no argument is specified)",
      readsState: true,
      run: (args, hart) => {
        const arg = args.trim();
        const dump = (h: number): string => `\nCPU#${h}\n${registerDump(xlen, (n) => host.readRegister(h, n))}`;
        if (arg === '-a') return host.harts().map((h) => dump(h.hart)).join('');
        if (arg === '') return dump(requireHart(hart).hart);
        if (!/^\d+$/.test(arg)) throw new UsageError(`info registers: invalid argument '${arg}' (expected -a or a CPU number)`);
        if (knownHart(Number(arg)) === undefined) return `CPU#${arg} not available\n`;
        return dump(Number(arg));
      },
    },
    {
      names: ['history'], params: '', help: 'show what time travel holds: its span in steps, checkpoints and memory', lantern: true, noArguments: true,
      run: () => {
        const report = host.history?.();
        if (!report) return 'time travel is off (see -history)\n';
        const mib = (bytes: number) => (bytes / (1 << 20)).toFixed(1);
        const back = report.present - report.now;
        const where = back === 0n ? 'the present' : `${back} step${back === 1n ? '' : 's'} in the past`;
        return `history: steps ${report.start}..${report.present}, ${report.checkpoints} checkpoints in ${mib(report.bytes)} of ${mib(report.budget)} MiB\n`
          + `now at step ${report.now} (${where})\n`;
      },
    },
    {
      names: ['snapshots'], params: '', help: 'show the currently saved VM snapshots', noArguments: true,
      run: () => snapshotTable(requireSnapshots().list()),
    },
    {
      names: ['status'], params: '', help: 'show the current VM status (running|paused)', noArguments: true,
      run: () => `VM status: ${host.running ? 'running' : 'paused'}\n`,
    },
    {
      names: ['tlb'], params: '', help: "show the hart's software TLB (QEMU's RISC-V target has no info tlb)", lantern: true,
      readsState: true, noArguments: true,
      run: (_, hart) => tlbList(host.tlb(requireHart(hart).hart), xlen),
    },
  ];

  const requireSnapshots = (): MonitorSnapshots => {
    if (!host.snapshots) throw new UsageError('snapshots are not available here');
    return host.snapshots;
  };
  /** savevm/loadvm/delvm NAME: one name argument; the store's refusals come back as one line. */
  const snapshotCommand = (command: string, act: (snapshots: MonitorSnapshots, name: string) => void): Run => (args) => {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length !== 1) throw new UsageError(`${command}: usage: ${command} NAME`);
    const snapshots = requireSnapshots();
    try {
      act(snapshots, words[0]);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    return '';
  };

  const commands: Command[] = [
    { names: ['help', '?'], params: '[cmd]', help: 'show the help', run: (args) => help(args.trim()) },
    {
      names: ['info'], params: '[subcommand]', help: 'show various information about the system state',
      run: (args, hart) => info(args, hart),
    },
    { names: ['x'], params: '/fmt addr', help: "virtual memory dump starting at 'addr'", readsState: true, run: examine(false) },
    { names: ['xp'], params: '/fmt addr', help: "physical memory dump starting at 'addr'", readsState: true, run: examine(true) },
    {
      names: ['print', 'p'], params: '/fmt expr', help: 'print expression value (use $reg for CPU register access)',
      readsState: true, run: print,
    },
    {
      names: ['gva2gpa'], params: 'addr', help: 'print the guest physical address corresponding to a guest virtual address',
      readsState: true,
      run: (args, hart) => {
        const h = requireHart(hart);
        const vaddr = expression(args, hart) & ((1n << BigInt(xlen)) - 1n);
        if (h.privilege === 3) return `gpa: 0x${vaddr.toString(16)}\n`;
        const result = walk(satpOf(hart), vaddr, xlen, (addr, length) => host.readPhysical(addr, length)).result;
        return result.kind === 'fault' ? 'Unmapped\n' : `gpa: 0x${result.paddr.toString(16)}\n`;
      },
    },
    {
      names: ['stop'], params: '', help: 'stop emulation', noArguments: true,
      run: async () => {
        if (!host.running) return '';
        await host.pause();
        return { output: '', effect: 'pause' };
      },
    },
    {
      names: ['cont', 'c'], params: '', help: 'resume emulation', noArguments: true,
      run: () => {
        if (host.running) return '';
        host.resume();
        return { output: '', effect: 'resume' };
      },
    },
    {
      names: ['system_reset'], params: '', help: 'reset the system', noArguments: true,
      run: () => {
        host.reset();
        return { output: '', effect: 'reset' };
      },
    },
    {
      names: ['quit', 'q'], params: '', help: 'quit the emulator', noArguments: true,
      run: () => {
        host.quit();
        return { output: '', effect: 'quit' };
      },
    },
    {
      names: ['savevm'], params: 'tag', help: 'save a VM snapshot (a file tag.lsnap in $LANTERN_SNAPSHOT_DIR or ./lantern-snapshots)',
      readsState: true, run: snapshotCommand('savevm', (snapshots, name) => snapshots.save(name)),
    },
    {
      names: ['loadvm'], params: 'tag', help: 'restore a VM snapshot from its tag',
      readsState: true, run: snapshotCommand('loadvm', (snapshots, name) => snapshots.load(name)),
    },
    {
      names: ['commit'], params: 'device|all', help: 'commit changes to the disk images (if -snapshot is used) or backing files',
      run: (args) => {
        const words = args.trim().split(/\s+/).filter((w) => w !== '');
        if (words.length !== 1) throw new UsageError('commit: usage: commit DEVICE|all');
        if (!host.disks) throw new UsageError('disks are not available here');
        try {
          host.disks.commit(words[0]);
        } catch (error) {
          throw new UsageError(error instanceof Error ? error.message : String(error));
        }
        return '';
      },
    },
    {
      names: ['delvm'], params: 'tag', help: 'delete a VM snapshot from its tag',
      run: snapshotCommand('delvm', (snapshots, name) => snapshots.delete(name)),
    },
    {
      names: ['hostfwd_add'], params: '[netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport',
      help: 'redirect TCP or UDP connections from host to guest (requires -netdev user; hostaddr defaults to 127.0.0.1)',
      run: (args) => hostForwardAdd(networks, args),
    },
    {
      names: ['set_link'], params: 'name on|off',
      help: 'change the link status of a network adapter (virtio-net-device.N, or its netdev id)',
      run: (args) => setLink(networks, args),
    },
    {
      names: ['hostfwd_remove'], params: '[netdev_id] [tcp|udp]:[hostaddr]:hostport',
      help: 'remove host-to-guest TCP or UDP redirection',
      run: (args) => hostForwardRemove(networks, args),
    },
    {
      names: ['pt'], params: 'vaddr', lantern: true, readsState: true,
      help: "walk the selected hart's page table for vaddr: every level's PTE and its flags, the physical address or why the walk fails",
      run: (args, hart) => {
        const h = requireHart(hart);
        if (args.trim() === '') throw new UsageError('pt: usage: pt VADDR');
        const vaddr = expression(args, hart);
        return pageTableWalk(satpOf(hart), vaddr, xlen, (addr, length) => host.readPhysical(addr, length), h.privilege);
      },
    },
    {
      names: ['trap'], params: '', lantern: true, readsState: true, noArguments: true,
      help: "show each hart's trap count and last trap: cause in words, the mode it went to, epc, tval",
      run: () => trapList(host.harts().map((h) => ({ hart: h.hart, ...host.lastTrap(h.hart) })), xlen),
    },
    {
      names: ['csr'], params: '[name...]', lantern: true, readsState: true,
      help: "show the selected hart's CSRs (or the named ones) with their fields decoded",
      run: (args, hart) => {
        requireHart(hart);
        const names = args.trim().split(/\s+/).filter((w) => w !== '');
        return csrList(host.registers, xlen, (n) => host.readRegister(hart, n), host.readRegister(hart, REG_PRIV) === undefined
          ? undefined : Number(host.readRegister(hart, REG_PRIV)), names);
      },
    },
    {
      names: ['catch'], params: '[trap|exception|interrupt|ecall|pagefault on|off]', lantern: true,
      help: 'stop the VM when a hart takes such a trap (at the handler\'s first instruction); alone: show which are caught',
      run: (args) => {
        const words = args.trim().split(/\s+/).filter((w) => w !== '');
        if (words.length === 0) return `catch: ${CATCH_KINDS.map((k) => `${k} ${host.catching.has(k) ? 'on' : 'off'}`).join(', ')}\n`;
        const kind = words[0] as CatchKind;
        if (!CATCH_KINDS.includes(kind)) throw new UsageError(`catch: unknown kind '${words[0]}' (${CATCH_KINDS.join(', ')})`);
        if (words.length !== 2) throw new UsageError(`catch: usage: catch ${kind} on|off`);
        host.setCatch(kind, onOff(words[1], 'catch'));
        return '';
      },
    },
    {
      names: ['phys'], params: '[on|off]', lantern: true,
      help: "make the debugger's memory accesses physical (on) or virtual through the hart's satp (off)",
      run: settings('phys', (on) => `phys ${on ? 'on: debugger memory accesses are physical' : 'off: debugger memory accesses are virtual'}`,
        () => host.addressSpace === 'physical', (on) => { host.addressSpace = on ? 'physical' : 'virtual'; }),
    },
    {
      names: ['step-irq'], params: '[on|off]', lantern: true,
      help: 'let single steps take pending interrupts (on) or hold them back (off)',
      run: settings('step-irq', (on) => `step-irq ${on ? 'on: single steps may take interrupts' : 'off: single steps hold interrupts back'}`,
        () => host.stepInterrupts, (on) => { host.stepInterrupts = on; }),
    },
  ];

  const helpLine = (prefix: string, c: Command): string =>
    `${prefix}${c.names.join('|')} ${c.params} -- ${c.lantern ? "(Lantern's) " : ''}${c.help}\n`;

  function help(name: string): string {
    if (name === '') return commands.map((c) => helpLine('', c)).join('');
    if (name === 'info') return infoCommands.map((c) => helpLine('info ', c)).join('');
    const sub = /^info\s+(\S+)$/.exec(name);
    if (sub) {
      const c = infoCommands.find((i) => i.names.includes(sub[1]));
      if (c !== undefined) return helpLine('info ', c);
    }
    const c = commands.find((command) => command.names.includes(name));
    if (c === undefined) throw new UsageError(`unknown command: '${name}'`);
    return c.names[0] === 'info' ? helpLine('', c) + infoCommands.map((i) => helpLine('info ', i)).join('') : helpLine('', c);
  }

  async function info(args: string, hart: number): Promise<string | MonitorResult> {
    const match = /^\s*(\S*)\s*([\s\S]*)$/.exec(args)!;
    if (match[1] === '') return help('info');
    const c = infoCommands.find((i) => i.names.includes(match[1]));
    if (c === undefined) throw new UsageError(`unknown command: 'info ${match[1]}'`);
    return invoke(c, match[2], hart, `info ${match[1]}`);
  }

  /** Runs a command, pausing a running VM around it when it reads hart state. */
  async function invoke(c: Command, args: string, hart: number, name: string): Promise<string | MonitorResult> {
    if (c.noArguments && args.trim() !== '') throw new UsageError(`${name}: extraneous characters at the end of line`);
    if (!c.readsState || !host.running) return c.run(args, hart);
    await host.pause();
    try {
      return await c.run(args, hart);
    } finally {
      host.resume();
    }
  }

  /** One command at a time: a second one waits, so it never reads while the first has the VM paused or resumes it under the first. */
  let queue: Promise<unknown> = Promise.resolve();

  return {
    command(line: string, hart: number): Promise<MonitorResult> {
      const result = queue.then(() => execute(line, hart));
      queue = result;
      return result;
    },
  };

  async function execute(line: string, hart: number): Promise<MonitorResult> {
    try {
      const match = /^\s*([A-Za-z0-9_?-]*)([\s\S]*)$/.exec(line)!;
      const name = match[1];
      if (name === '') {
        if (match[2].trim() === '') return { output: '' };
        throw new UsageError(`unknown command: '${match[2].trim()}'\nTry 'help' for the list of commands.`);
      }
      const c = commands.find((command) => command.names.includes(name));
      if (c === undefined) throw new UsageError(`unknown command: '${name}'\nTry 'help' for the list of commands.`);
      // "x/4x" and "x /4x" alike; other commands need a space before their arguments.
      const args = match[2];
      if (args !== '' && !/^\s/.test(args) && !(args.startsWith('/') && c.params.startsWith('/'))) {
        throw new UsageError(`unknown command: '${name}${args.split(/\s/)[0]}'\nTry 'help' for the list of commands.`);
      }
      const result = await invoke(c, args, hart, name);
      return typeof result === 'string' ? { output: result } : result;
    } catch (error) {
      if (error instanceof UsageError || error instanceof ExpressionError || error instanceof FormatError || error instanceof NetworkCommandError) {
        return { output: `${error.message}\n` };
      }
      return { output: `error: ${error instanceof Error ? error.message : String(error)}\n` };
    }
  }
}
