// Shared setup of test/gdb/ (not a test file): starts a machine — Lantern (dist/cli.js) or
// qemu-system-riscv64 — frozen at reset with its GDB stub listening, runs one of the Python
// scripts of test/gdb/scripts/ in a real `gdb-multiarch -batch -nx` against it, and collects
// the records the script prints (`@@gdb-test {"key", "value"}` lines, see scripts/harness.py).
// Both machines get the same flags: samples/minikernel at -icount shift=3 with a virtio-blk
// disk on the modern transport, as test/boot/minikernel.test.ts boots it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { hasTool, ROOT } from '../support/guest-tools';
import { freePort } from '../support/free-port';

export const GDB = 'gdb-multiarch';
export const QEMU = 'qemu-system-riscv64';
export const SOURCES = path.join(ROOT, 'samples/minikernel');
export const ELF = path.join(SOURCES, 'minikernel.elf');
export const CLI = path.join(ROOT, 'dist/cli.js');
const SCRIPTS = path.join(__dirname, 'scripts');
const MARKER = '@@gdb-test ';
/** The line Lantern prints on stderr once its stub listens (the port is parsed from it). */
const LISTENING = /lantern: gdb listening on 127\.0\.0\.1:(\d+)/;
/** What a test types at the console when a script asks (the minikernel then powers off). */
export const TYPED_LINE = 'hello gdb';

/** gdb-multiarch is installed and built with Python (the scripts use gdb's Python API). */
export function gdbWithPython(): boolean {
  if (!hasTool(GDB)) return false;
  const configuration = spawnSync(GDB, ['--configuration'], { encoding: 'utf8' });
  return /--with-python/.test(configuration.stdout ?? '');
}

export const haveCore = fs.existsSync(path.join(ROOT, 'dist/core.wasm'));

export type MachineKind = 'lantern' | 'qemu';

export interface MachineOptions {
  kind: MachineKind;
  smp: number;
  /** A folder for the disk image (and nothing else). */
  dir: string;
  /** Lantern only: more flags before the gdb ones (-history on, say). */
  extraArgs?: readonly string[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A machine started with -S and a GDB stub, its console on pipes. */
export interface Machine {
  readonly kind: MachineKind;
  readonly smp: number;
  readonly port: number;
  /** Everything printed on the console so far. */
  stdout(): string;
  stderr(): string;
  /** Writes a line to the console (the UART). */
  typeLine(text: string): void;
  /** Settles when the process ends. */
  readonly exited: Promise<Exit>;
  /** The exit, if the process ended within `ms`; otherwise it is killed and undefined returned. */
  waitExit(ms: number): Promise<Exit | undefined>;
  kill(): void;
}

const children = new Set<ChildProcess>();

/** Kills every process this module started that is still running (afterAll). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

function track(child: ChildProcess): Promise<Exit> {
  children.add(child);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
}


/** The flags both machines get (the board, the kernel, the disk), before the gdb ones. */
function machineArgs(smp: number, disk: string): string[] {
  return [
    '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-smp', String(smp), '-icount', 'shift=3',
    '-kernel', ELF, '-global', 'virtio-mmio.force-legacy=false',
    '-drive', `file=${disk},if=none,format=raw,id=x0`, '-device', 'virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0',
  ];
}

export async function startMachine({ kind, smp, dir, extraArgs = [] }: MachineOptions): Promise<Machine> {
  const disk = path.join(dir, `${kind}-${smp}-${Date.now()}.img`);
  fs.writeFileSync(disk, new Uint8Array(1 << 20));
  let port = 0;
  let child: ChildProcess;
  if (kind === 'qemu') {
    port = await freePort();
    child = spawn(QEMU, [...machineArgs(smp, disk), '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'pipe' });
  } else {
    child = spawn(process.execPath, [CLI, ...machineArgs(smp, disk), ...extraArgs, '-S', '-gdb', 'tcp:127.0.0.1:0'], { stdio: 'pipe' });
  }
  const exited = track(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('latin1').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('latin1').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.on('error', () => {}); // a machine that already quit

  if (kind === 'lantern') {
    // Lantern says where it listens once it does (-gdb tcp:127.0.0.1:0 picks a free port).
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`lantern did not report its gdb port within 15 s; stderr:\n${stderr}`)), 15_000);
      const look = () => {
        const match = LISTENING.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stderr!.on('data', look);
      look();
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`lantern exited (${code ?? signal}) before listening for gdb; stderr:\n${stderr}`));
      });
    });
  }

  return {
    kind, smp, port, exited,
    stdout: () => stdout.replace(/\r\n/g, '\n'),
    stderr: () => stderr,
    typeLine: (text) => {
      if (child.stdin!.writable) child.stdin!.write(`${text}\n`);
    },
    waitExit: async (ms) => {
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([exited, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); })]);
      clearTimeout(timer);
      if (result === undefined) child.kill('SIGKILL');
      return result;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export interface GdbRecord {
  key: string;
  value: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the script
}

export interface GdbRun {
  /** The records in the order printed; `get` finds the last one of a key. */
  records: GdbRecord[];
  get(key: string): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** gdb's output with the records left out, and its stderr. */
  stdout: string;
  stderr: string;
  exit: Exit;
  timedOut: boolean;
  seconds: number;
}

export interface GdbOptions {
  machine: Machine;
  /** A script of test/gdb/scripts/, e.g. 'main-session.py'. */
  script: string;
  /** Kills gdb after this long (the scripts bound each resume themselves). */
  timeoutMs?: number;
  /** Extra gdb commands before the script (e.g. 'set debug remote 1'). */
  before?: string[];
}

/** Runs a script in gdb-multiarch -batch -nx against the machine's stub and collects its records. */
export async function runGdb({ machine, script, timeoutMs = 45_000, before = [] }: GdbOptions): Promise<GdbRun> {
  const started = Date.now();
  const args = [
    '-batch', '-nx',
    '-ex', 'set architecture riscv:rv64',
    '-ex', 'set riscv use-compressed-breakpoints yes',
    '-ex', 'set confirm off',
    '-ex', 'set tcp connect-timeout 10',
    '-ex', `file ${ELF}`,
    '-ex', `directory ${SOURCES}`,
    '-ex', `python import sys; sys.path.insert(0, ${JSON.stringify(SCRIPTS)})`,
    ...before.flatMap((command) => ['-ex', command]),
    '-x', path.join(SCRIPTS, script),
  ];
  const child = spawn(GDB, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GDB_TEST_PORT: String(machine.port),
      GDB_TEST_TARGET: machine.kind,
      GDB_TEST_SMP: String(machine.smp),
      GDB_TEST_SOURCES: SOURCES,
      PYTHONDONTWRITEBYTECODE: '1',
    },
  });
  const exited = track(child);
  const records: GdbRecord[] = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const at = line.indexOf(MARKER);
      if (at < 0) {
        stdout += `${line}\n`;
        continue;
      }
      stdout += line.slice(0, at);
      const record = JSON.parse(line.slice(at + MARKER.length)) as GdbRecord;
      records.push(record);
      if (record.key === '@action' && record.value === 'type-line') machine.typeLine(TYPED_LINE);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  stdout += pending;
  const get = (key: string) => {
    for (let i = records.length - 1; i >= 0; i--) if (records[i].key === key) return records[i].value;
    return undefined;
  };
  return { records, get, stdout, stderr, exit, timedOut, seconds: (Date.now() - started) / 1000 };
}

/** A temporary folder for disks, removed by the caller. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-gdb-'));
}

/** The 1-based number of the first line of a minikernel source containing `text`. */
export function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(path.join(SOURCES, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${file} has no line with ${JSON.stringify(text)}`);
  return index + 1;
}

/** `length` bytes of the ELF's loadable image at `address` (PT_LOAD segments), in hex. */
export function elfBytes(address: bigint, length: number): string {
  const elf = fs.readFileSync(ELF);
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const header = phoff + i * phentsize;
    if (elf.readUInt32LE(header) !== 1) continue; // PT_LOAD
    const offset = elf.readBigUInt64LE(header + 8);
    const paddr = elf.readBigUInt64LE(header + 24);
    const filesz = elf.readBigUInt64LE(header + 32);
    if (address >= paddr && address + BigInt(length) <= paddr + filesz) {
      const start = Number(offset + address - paddr);
      return elf.subarray(start, start + length).toString('hex');
    }
  }
  throw new Error(`no PT_LOAD segment holds ${length} bytes at 0x${address.toString(16)}`);
}

/** A record as JSON for an assertion's message (cut short). */
export const show = (value: unknown): string => JSON.stringify(value, null, 1)?.slice(0, 4000) ?? 'undefined';

/** A resume the script recorded must have stopped by itself (not by its watchdog's Ctrl-C). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the script
export function expectStop(record: any, what: string): void {
  expect(record, `${what}: no record`).toBeDefined();
  expect(record.ok, `${what}: the command failed: ${show(record)}`).toBe(true);
  expect(record.timedOut, `${what}: no stop within the script's timeout (forced with Ctrl-C): ${show(record)}`).toBe(false);
}

/** A stop the script recorded was gdb's BreakpointEvent of `type` (breakpoint, hw watchpoint, ...). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the script
export function expectBreakpointStop(record: any, what: string, type: string): void {
  expectStop(record, what);
  expect(record.stop?.event, `${what}: ${show(record)}`).toBe('BreakpointEvent');
  expect(record.stop?.breakpoints?.[0]?.type, `${what}: ${show(record)}`).toBe(type);
}

/** The script ran to its end within its timeout, with no error recorded. */
export function expectCompleteRun(run: GdbRun): void {
  expect(run.timedOut, `gdb killed after its timeout; stdout:\n${run.stdout.slice(-3000)}`).toBe(false);
  const errors = run.records.filter((r) => r.key.startsWith('error.'));
  expect(errors, show(errors)).toEqual([]);
  expect(run.get('done'), `the script did not finish; last records: ${show(run.records.slice(-3))}`).toBeDefined();
}
