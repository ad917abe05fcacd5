// The VM manager driven in-process (its requests as the API server hands them over), each VM in
// a real worker thread running the rebuilt dist/cli.js: three guests from different samples at
// once with their consoles; a real gdb-multiarch on one VM's stub while the others run; every
// state transition and refusal; the memory budget; step and wall-time limits; snapshot,
// restore and clone; a DebugClient attached to a VM's DAP endpoint; a killed worker.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenDap } from '../../server/src/dap/server';
import { DEFAULT_FIRMWARE } from '../../server/src/machine/boot-layout';
import { VmManager } from '../../server/src/vmm/manager';
import type { Request, Response, VmInfo, VmLimits } from '../../server/src/vmm/protocol';
import { ConsoleRing } from '../../server/src/vmm/console-ring';
import { buildHostBundle, hasTool, ROOT } from '../support/guest-tools';

const MINIKERNEL = path.join(ROOT, 'samples/minikernel/minikernel.elf');
const HELLO = path.join(ROOT, 'samples/hello/hello.elf');
const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';
const GDB = 'gdb-multiarch';
const MIB = 1024 * 1024;

const haveCore = fs.existsSync(path.join(ROOT, 'dist/core.wasm'));
const haveUboot = fs.existsSync(UBOOT) && fs.existsSync(DEFAULT_FIRMWARE);
const haveGdb = hasTool(GDB);
if (!haveUboot) console.warn('test/vmm/manager: Debian\'s U-Boot or OpenSBI not found (apt-get install u-boot-qemu opensbi): the third VM is another samples/minikernel');
if (!haveGdb) console.warn(`test/vmm/manager: ${GDB} not found: skipping the gdb attach`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-vmm-test-'));
/** What the minikernel prints once it waits for a typed line (its hart 1 then spins: its clock runs on). */
const PROMPT = 'uart: type a line\n';

const minikernel = (smp = 2): string[] => ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', String(smp), '-kernel', MINIKERNEL];
/** The third VM: Debian's U-Boot after its OpenSBI (it polls the UART: its clock runs on), else another minikernel. */
const third = haveUboot
  ? { args: ['-M', 'virt', '-m', '256M', '-nographic', '-kernel', UBOOT], expect: 'U-Boot 2023.01' }
  : { args: ['-m', '64M', ...minikernel(2)], expect: 'minikernel: M-mode on hart 0, 2 harts' };

let manager: VmManager;
const notices: string[] = [];

async function call<T = VmInfo>(request: Exclude<Request, { op: 'hello' }>): Promise<T> {
  const response = await manager.handle(request);
  if (!response.ok) throw new Error(`${request.op}: ${response.code}: ${response.error}`);
  return response.value as T;
}

/** A request that must be refused with `code`; the refusal. */
async function refused(request: Exclude<Request, { op: 'hello' }>, code: string): Promise<Extract<Response, { ok: false }>> {
  const response = await manager.handle(request);
  expect(response.ok, `${request.op} should be refused with ${code}`).toBe(false);
  expect(response).toMatchObject({ code });
  return response as Extract<Response, { ok: false }>;
}

const inspect = (name: string) => call({ op: 'inspect', name });
const create = (name: string, args: string[], extra: { limits?: VmLimits; start?: boolean } = { start: true }) => call({ op: 'create', name, args, ...extra });
const consoleText = async (name: string) => (await call<{ text: string }>({ op: 'console-read', name, from: 0 })).text.replace(/\r/g, '');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const waitConsole = (name: string, text: string, ms?: number) => waitFor(`'${text.trim()}' on ${name}'s console`, async () => (await consoleText(name)).includes(text), ms);
const waitState = (name: string, state: VmInfo['state'], ms?: number) => waitFor(`${name} ${state}`, async () => { const info = await inspect(name); return info.state === state && info; }, ms);
const steps = async (name: string) => BigInt((await inspect(name)).steps ?? '0');

describe('ConsoleRing', () => {
  it('keeps the last bytes and addresses them by offset into the whole output', () => {
    const ring = new ConsoleRing(8);
    ring.write(Buffer.from('hello'));
    expect(Buffer.from(ring.read(0).bytes).toString()).toBe('hello');
    ring.write(Buffer.from(' world'));
    expect(ring.read(0)).toEqual({ bytes: Uint8Array.from(Buffer.from('lo world')), next: 11 });
    expect(Buffer.from(ring.read(9).bytes).toString()).toBe('ld');
    expect(ring.read(11).bytes.length).toBe(0);
    ring.write(Buffer.from('0123456789abc')); // longer than the ring: its tail is kept
    expect(ring.read(0)).toEqual({ bytes: Uint8Array.from(Buffer.from('56789abc')), next: 24 });
    expect(ring.start).toBe(16);
  });
});

describe.skipIf(!haveCore)('VM manager', () => {
  beforeAll(() => {
    buildHostBundle();
    manager = new VmManager({ memoryBudget: 1024 * MIB, log: (line) => notices.push(line) });
  });

  afterAll(async () => {
    await manager?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs three VMs from different samples at once, each with its own console and ports', async () => {
    const started = await Promise.all([create('mk', minikernel(2)), create('hello', ['-bios', 'none', '-nographic', '-kernel', HELLO]), create('third', third.args)]);
    for (const info of started) expect(['running', 'stopped']).toContain(info.state);
    const ports = started.filter((info) => info.gdbPort !== undefined).flatMap((info) => [info.gdbPort, info.dapPort]);
    expect(new Set(ports).size).toBe(ports.length);
    await waitConsole('mk', 'minikernel: M-mode on hart 0, 2 harts\n');
    await waitConsole('mk', PROMPT);
    await waitConsole('hello', 'Hello from Lantern!\n');
    // hello powers off at once: stopped, with its exit status.
    expect(await waitState('hello', 'stopped')).toMatchObject({ exitStatus: 0 });
    await waitConsole('third', third.expect, 30_000);
    const list = await call<VmInfo[]>({ op: 'list' });
    expect(list.map((vm) => [vm.name, vm.state])).toEqual([['mk', 'running'], ['hello', 'stopped'], ['third', 'running']]);
    expect(list[0]).toMatchObject({ memory: 128 * MIB, harts: 2 });
    // The console is read from an offset on: what came after it.
    const all = await call<{ text: string; next: number }>({ op: 'console-read', name: 'mk', from: 0 });
    const tail = await call<{ text: string; next: number }>({ op: 'console-read', name: 'mk', from: all.next - PROMPT.length });
    expect(tail.text).toBe(PROMPT);
  });

  it.skipIf(!haveGdb)('lets a real gdb attach to one VM while the others run on', async () => {
    const mk = await inspect('mk');
    const before = await steps('third');
    const gdb = spawn(GDB, ['-batch', '-nx', MINIKERNEL, '-ex', `target remote 127.0.0.1:${mk.gdbPort}`,
      '-ex', 'info registers pc', '-ex', 'p $priv', '-ex', 'info threads', '-ex', 'shell sleep 1', '-ex', 'detach'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    gdb.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    gdb.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => gdb.on('close', resolve));
    // While gdb holds it, the VM is paused (a debugger's stop) and the others' clocks run.
    await waitState('mk', 'paused', 10_000);
    const held = await steps('mk');
    const during = await steps('third');
    expect(await exited).toBe(0);
    expect(output).toMatch(/^pc\s+0x[0-9a-f]+/m);
    expect(output).toMatch(/^\$1 = 1$/m); // S-mode
    expect(output).toMatch(/Thread 2 \(hart 1/);
    expect(during).toBeGreaterThan(before);
    expect(await steps('mk')).toBeGreaterThanOrEqual(held);
    // Detached: it runs again, and so do the others.
    await waitState('mk', 'running', 10_000);
    await waitFor('mk to run on', async () => (await steps('mk')) > held);
    await waitFor('third to run on', async () => (await steps('third')) > during);
  });

  it('goes through every state transition and refuses what does not fit', async () => {
    await refused({ op: 'inspect', name: 'nobody' }, 'no-such-vm');
    await refused({ op: 'create', name: 'bad', args: ['-gdb', 'tcp::1234', '-kernel', MINIKERNEL] }, 'refused');
    await refused({ op: 'create', name: 'bad', args: ['-s', '-kernel', MINIKERNEL] }, 'refused');
    await refused({ op: 'create', name: 'bad', args: ['-no-such-flag'] }, 'refused');
    await refused({ op: 'create', name: 'bad', args: ['-version'] }, 'refused');
    await refused({ op: 'create', name: '-bad', args: minikernel() }, 'bad-request');
    expect(await create('life', minikernel(1), {})).toMatchObject({ state: 'created' });
    await refused({ op: 'create', name: 'life', args: minikernel() }, 'exists');
    for (const op of ['pause', 'resume', 'stop'] as const) await refused({ op, name: 'life' }, 'wrong-state');
    await refused({ op: 'console-read', name: 'life', from: 0 }, 'wrong-state');
    await refused({ op: 'console-write', name: 'life', text: 'x' }, 'wrong-state');
    await refused({ op: 'snapshot', name: 'life', file: path.join(dir, 'life.lsnap') }, 'wrong-state');
    await refused({ op: 'restore', name: 'life', file: path.join(dir, 'life.lsnap') }, 'wrong-state');
    await refused({ op: 'clone', source: { vm: 'life' }, newName: 'life-clone' }, 'wrong-state');

    const running = await call({ op: 'start', name: 'life' });
    expect(running).toMatchObject({ state: 'running' });
    expect(running.gdbPort).toBeGreaterThan(0);
    expect(running.dapPort).toBeGreaterThan(0);
    await refused({ op: 'start', name: 'life' }, 'wrong-state');
    await refused({ op: 'resume', name: 'life' }, 'wrong-state');
    await waitConsole('life', PROMPT);
    expect(await call({ op: 'pause', name: 'life' })).toMatchObject({ state: 'paused' });
    await refused({ op: 'pause', name: 'life' }, 'wrong-state');
    await refused({ op: 'start', name: 'life' }, 'wrong-state');
    const pausedAt = await steps('life');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await steps('life')).toBe(pausedAt);
    expect(await call({ op: 'resume', name: 'life' })).toMatchObject({ state: 'running' });
    const stopped = await call({ op: 'stop', name: 'life' });
    expect(stopped).toMatchObject({ state: 'stopped', exitStatus: 0 });
    expect(stopped.gdbPort).toBeUndefined();
    for (const op of ['pause', 'resume', 'stop'] as const) await refused({ op, name: 'life' }, 'wrong-state');
    await refused({ op: 'console-write', name: 'life', text: 'x' }, 'wrong-state');
    // Its output stays readable once stopped; a start runs it again from its args.
    expect(await consoleText('life')).toContain(PROMPT);
    expect(await call({ op: 'start', name: 'life' })).toMatchObject({ state: 'running' });
    await waitFor('the second run\'s prompt', async () => (await consoleText('life')).split(PROMPT).length === 3);
    // Delete stops a running VM first.
    expect(await call<null>({ op: 'delete', name: 'life' })).toBeNull();
    await refused({ op: 'inspect', name: 'life' }, 'no-such-vm');

    // -S: it starts held at the reset vector, paused until resumed.
    expect(await create('held', [...minikernel(1), '-S'])).toMatchObject({ state: 'paused', steps: '0' });
    expect(await call({ op: 'resume', name: 'held' })).toMatchObject({ state: 'running' });
    await waitConsole('held', PROMPT);
    await call<null>({ op: 'delete', name: 'held' });

    // A configuration that cannot start: the start is refused and the VM is failed; it can be deleted.
    await create('broken', ['-bios', 'none', '-kernel', path.join(dir, 'no-such.elf')], {});
    const failure = await refused({ op: 'start', name: 'broken' }, 'refused');
    expect(failure.error).toMatch(/no-such\.elf/);
    expect(await inspect('broken')).toMatchObject({ state: 'failed' });
    await refused({ op: 'start', name: 'broken' }, 'refused');
    await call<null>({ op: 'delete', name: 'broken' });
  });

  it('refuses a start that would exceed the memory budget', async () => {
    const over = await refused({ op: 'create', name: 'big', args: ['-m', '1G', ...minikernel(1)], start: true }, 'over-budget');
    expect(over.error).toMatch(/memory budget/);
    await refused({ op: 'inspect', name: 'big' }, 'no-such-vm'); // nothing was created
    await create('big', ['-m', '1G', ...minikernel(1)], {});
    await refused({ op: 'start', name: 'big' }, 'over-budget');
    expect(await inspect('big')).toMatchObject({ state: 'created', memory: 1024 * MIB });
    await call<null>({ op: 'delete', name: 'big' });
  });

  it('stops a VM at its step limit, exactly, and at its wall-time limit', async () => {
    await create('counted', minikernel(2), { limits: { steps: '3000000' }, start: true });
    const counted = await waitState('counted', 'stopped');
    expect(counted).toMatchObject({ steps: '3000000', error: 'step limit 3000000 reached', limits: { steps: '3000000' } });
    expect(counted.exitStatus).toBeUndefined();
    const started = Date.now();
    await create('timed', minikernel(2), { limits: { wallMs: 400 }, start: true });
    expect(await waitState('timed', 'stopped')).toMatchObject({ error: 'wall-time limit 400 ms reached' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await call<null>({ op: 'delete', name: 'counted' });
    await call<null>({ op: 'delete', name: 'timed' });
  });

  it('snapshots, restores and clones a VM', async () => {
    await create('snap', minikernel(2));
    await waitConsole('snap', PROMPT);
    const file = path.join(dir, 'snap.lsnap');
    const saved = await call<{ file: string; bytes: number }>({ op: 'snapshot', name: 'snap', file });
    expect(saved.file).toBe(file);
    expect(saved.bytes).toBe(fs.statSync(file).size);
    expect(await inspect('snap')).toMatchObject({ state: 'running' }); // it ran, so it runs on
    await refused({ op: 'snapshot', name: 'snap', file: 'relative.lsnap' }, 'bad-request');
    await refused({ op: 'snapshot', name: 'snap', file: path.join(dir, 'no-such-dir', 'x.lsnap') }, 'refused');

    // A clone of the running VM: it goes on from the same point, on its own.
    const clone = await call({ op: 'clone', source: { vm: 'snap' }, newName: 'snap-clone', start: true });
    expect(clone).toMatchObject({ state: 'running', memory: 128 * MIB, harts: 2 });
    await refused({ op: 'clone', source: { vm: 'snap' }, newName: 'snap-clone' }, 'exists');
    await call<null>({ op: 'console-write', name: 'snap-clone', text: 'from the clone\n' });
    await waitConsole('snap-clone', 'uart: got "from the clone"\nminikernel: power off\n');
    expect(await waitState('snap-clone', 'stopped')).toMatchObject({ exitStatus: 0 });
    expect(await consoleText('snap-clone')).not.toContain('M-mode'); // it never booted: it began at the prompt

    // Restore: typed input after the snapshot is undone.
    await call<null>({ op: 'console-write', name: 'snap', text: 'abc' });
    await waitConsole('snap', `${PROMPT}abc`);
    expect(await call({ op: 'restore', name: 'snap', file })).toMatchObject({ state: 'running' });
    await call<null>({ op: 'console-write', name: 'snap', text: 'xyz\n' });
    await waitConsole('snap', 'uart: got "xyz"\n');
    expect(await waitState('snap', 'stopped')).toMatchObject({ exitStatus: 0 });

    // A clone from the file, and a refused one (not a snapshot).
    await call({ op: 'clone', source: { file }, newName: 'file-clone', start: true });
    await call<null>({ op: 'console-write', name: 'file-clone', text: 'again\n' });
    await waitConsole('file-clone', 'uart: got "again"\n');
    fs.writeFileSync(path.join(dir, 'junk.lsnap'), 'not a snapshot');
    await refused({ op: 'clone', source: { file: path.join(dir, 'junk.lsnap') }, newName: 'junk' }, 'refused');
    await refused({ op: 'inspect', name: 'junk' }, 'no-such-vm');
    // A snapshot of another machine is refused by a restore, which then changes nothing.
    await create('other', minikernel(1));
    await waitConsole('other', PROMPT);
    const refusal = await refused({ op: 'restore', name: 'other', file }, 'refused');
    expect(refusal.error).toMatch(/differently configured/);
    expect(await inspect('other')).toMatchObject({ state: 'running' });
    for (const name of ['snap', 'snap-clone', 'file-clone', 'other']) await call<null>({ op: 'delete', name });
  });

  it('serves a DAP client attached to a VM: a breakpoint stops it, and detaching lets it run', async () => {
    const info = await create('dbg', minikernel(2));
    await waitConsole('dbg', PROMPT);
    const client = new DebugClient('node', '', 'lantern');
    client.defaultTimeout = 20_000;
    await client.start(info.dapPort!);
    try {
      await client.initializeRequest();
      // This endpoint debugs its VM: a launch is refused.
      await expect(client.launch({ kernel: MINIKERNEL })).rejects.toThrow(/use attach/);
      const initialized = client.waitForEvent('initialized');
      await client.attachRequest({} as DebugProtocol.AttachRequestArguments);
      await initialized;
      const set = await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'uart_interrupt' }] });
      expect(set.body.breakpoints[0].verified).toBe(true);
      await client.configurationDoneRequest();
      expect(await inspect('dbg')).toMatchObject({ state: 'running' }); // attaching does not stop it
      const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await call<null>({ op: 'console-write', name: 'dbg', text: 'd' });
      expect((await stopped).body.reason).toBe('function breakpoint');
      const trace = await client.stackTraceRequest({ threadId: (await stopped).body.threadId! });
      expect(trace.body.stackFrames[0].name).toBe('uart_interrupt');
      expect(trace.body.stackFrames[0].source?.path).toMatch(/console\.c$/);
      expect(await waitState('dbg', 'paused')).toMatchObject({ gdbPort: info.gdbPort });
      await client.continueRequest({ threadId: 1 });
      await waitState('dbg', 'running');
      await client.disconnectRequest({});
    } finally {
      await client.stop();
    }
    // Detached: no breakpoint left, the VM runs and takes the rest of the line.
    await call<null>({ op: 'console-write', name: 'dbg', text: 'ap\n' });
    await waitConsole('dbg', 'uart: got "dap"\n');
    expect(await waitState('dbg', 'stopped')).toMatchObject({ exitStatus: 0 });
    await call<null>({ op: 'delete', name: 'dbg' });
  });

  it('refuses an attach on an adapter that launches machines', async () => {
    const server = await listenDap(0);
    const client = new DebugClient('node', '', 'lantern');
    await client.start((server.address() as net.AddressInfo).port);
    try {
      await client.initializeRequest();
      await expect(client.attachRequest({} as DebugProtocol.AttachRequestArguments)).rejects.toThrow(/nothing to attach to/);
    } finally {
      await client.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('marks a VM whose worker dies failed, and the others and the server run on', async () => {
    await create('victim', minikernel(1));
    await create('victim2', minikernel(1));
    await waitConsole('victim', PROMPT);
    const before = { mk: await steps('mk'), third: await steps('third') };
    await manager.crashWorker('victim', 'terminate');
    expect(await inspect('victim')).toMatchObject({ state: 'failed', error: expect.stringMatching(/worker died/) });
    await manager.crashWorker('victim2', 'throw');
    expect(await inspect('victim2')).toMatchObject({ state: 'failed', error: expect.stringMatching(/crash requested/) });
    expect((await inspect('victim')).gdbPort).toBeUndefined();
    await refused({ op: 'pause', name: 'victim' }, 'wrong-state');
    await waitFor('the other VMs to run on', async () => (await steps('mk')) > before.mk && (await steps('third')) > before.third);
    const list = await call<VmInfo[]>({ op: 'list' });
    expect(list.filter((vm) => vm.state === 'running').map((vm) => vm.name)).toEqual(['mk', 'third']);
    // A failed VM starts again from its args.
    expect(await call({ op: 'start', name: 'victim' })).toMatchObject({ state: 'running' });
    await waitConsole('victim', `${PROMPT}minikernel: M-mode`);
    for (const name of ['victim', 'victim2']) await call<null>({ op: 'delete', name });
  });

  it('stops every VM on shutdown and refuses requests after it', async () => {
    await call<null>({ op: 'shutdown' });
    const list = await manager.handle({ op: 'list' });
    expect(list).toMatchObject({ ok: false, code: 'wrong-state' });
    expect(notices.filter((line) => /internal error/.test(line))).toEqual([]);
  });
});
