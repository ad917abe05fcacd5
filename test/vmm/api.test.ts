// The control API over its real transport: request validation (a table of malformed requests, and
// 2,000 fuzzed ones that never crash the server), the owner-only socket, TCP's token, load from
// several clients while guests run, register reads of a paused VM, and the `lantern` subcommands
// as a user runs them. The VM manager is the real one (worker threads running samples/minikernel)
// except in the pure transport tests (fuzzing, sockets, tokens), which use a record-keeping
// FakeController: faster, and what they check never reaches a VM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'net-ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer, MAX_AUTH_FAILURES } from '../../server/src/vmm/api-server';
import { connectToServer, ServerError, type ServerClient } from '../../server/src/vmm/client';
import { defaultSocketPath } from '../../server/src/vmm/endpoint';
import { machineFromOptions } from '../../server/src/cli/machine-options';
import { integerRegisterNames } from '../../server/src/debug/disassemble';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { VmManager } from '../../server/src/vmm/manager';
import type { Response, VmInfo } from '../../server/src/vmm/protocol';
import { readRegisterValues } from '../../server/src/vmm/register-values';
import { parseVmArguments } from '../../server/src/vmm/vm-options';
import { validateRequest } from '../../server/src/vmm/validate';
import { buildHostBundle, ROOT } from '../support/guest-tools';
import { FakeController } from './fake-controller';

const unix = process.platform !== 'win32';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-api-'));
const cleanups: (() => Promise<unknown> | unknown)[] = [];
const cli = path.join(ROOT, 'dist/cli.js');
const minikernel = path.join(ROOT, 'samples/minikernel/minikernel.elf');
/** A minikernel VM: hart 1 spins once booted, so the guest keeps its worker busy. */
const MINIKERNEL_ARGS = ['-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-smp', '2', '-kernel', minikernel];

beforeAll(() => {
  // VM workers run the CLI bundle, and the CLI tests run it: build it from the current sources.
  buildHostBundle();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startServer(options: { socket?: string; tcp?: { port: number } } = {}) {
  const controller = new FakeController();
  const server = await ApiServer.listen({ controller, socket: options.socket ?? path.join(dir, `s${cleanups.length}.sock`), tcp: options.tcp });
  cleanups.push(() => server.close());
  return { controller, server };
}

/** A net-ipc client that sends whatever it is given, as a hostile or buggy peer would. */
async function rawClient(options: { path?: string; port?: number }): Promise<Client> {
  const client = new Client(options.port === undefined ? { path: options.path, reconnect: false } : { host: '127.0.0.1', port: options.port, reconnect: false });
  client.on('error', () => undefined);
  await client.connect();
  cleanups.push(() => client.destroy());
  return client;
}

/** The malformed requests: each must be refused as bad-request and change nothing. */
const MALFORMED: [string, unknown][] = [
  ['not an object', 'list'],
  ['null', null],
  ['an array', [{ op: 'list' }]],
  ['no op', { name: 'a' }],
  ['unknown op', { op: 'reboot', name: 'a' }],
  ['op of the wrong type', { op: 7 }],
  ['an inherited key as op', { op: 'toString' }],
  ['unknown field', { op: 'list', verbose: true }],
  ['__proto__ field', JSON.parse('{"op":"list","__proto__":{"x":1}}')],
  ['missing name', { op: 'start' }],
  ['name of the wrong type', { op: 'start', name: 42 }],
  ['empty name', { op: 'stop', name: '' }],
  ['name with a slash', { op: 'inspect', name: '../etc' }],
  ['name starting with a dot', { op: 'delete', name: '.hidden' }],
  ['name too long', { op: 'pause', name: 'a'.repeat(65) }],
  ['create without args', { op: 'create', name: 'a' }],
  ['args not an array', { op: 'create', name: 'a', args: '-kernel x' }],
  ['args with a number', { op: 'create', name: 'a', args: ['-m', 128] }],
  ['too many args', { op: 'create', name: 'a', args: Array(257).fill('-s') }],
  ['an arg too long', { op: 'create', name: 'a', args: ['x'.repeat(4097)] }],
  ['start not a boolean', { op: 'create', name: 'a', args: [], start: 'yes' }],
  ['limits not an object', { op: 'create', name: 'a', args: [], limits: 5 }],
  ['steps as a number', { op: 'create', name: 'a', args: [], limits: { steps: 1000 } }],
  ['steps not decimal', { op: 'create', name: 'a', args: [], limits: { steps: '0x10' } }],
  ['steps of 2^64', { op: 'create', name: 'a', args: [], limits: { steps: '18446744073709551616' } }],
  ['wallMs zero', { op: 'create', name: 'a', args: [], limits: { wallMs: 0 } }],
  ['wallMs fractional', { op: 'create', name: 'a', args: [], limits: { wallMs: 1.5 } }],
  ['unknown limit', { op: 'create', name: 'a', args: [], limits: { cycles: '5' } }],
  ['from negative', { op: 'console-read', name: 'a', from: -1 }],
  ['from fractional', { op: 'console-read', name: 'a', from: 0.5 }],
  ['from a string', { op: 'console-read', name: 'a', from: '0' }],
  ['from unsafe', { op: 'console-read', name: 'a', from: 2 ** 53 }],
  ['text too long', { op: 'console-write', name: 'a', text: 'x'.repeat(64 * 1024 + 1) }],
  ['text not latin1', { op: 'console-write', name: 'a', text: 'h\u00e9llo \u2603' }],
  ['text missing', { op: 'console-write', name: 'a' }],
  ['relative snapshot file', { op: 'snapshot', name: 'a', file: 'a.lsnap' }],
  ['empty restore file', { op: 'restore', name: 'a', file: '' }],
  ['file with NUL', { op: 'restore', name: 'a', file: '/tmp/a\0b' }],
  ['clone source with both', { op: 'clone', source: { vm: 'a', file: '/tmp/x' }, newName: 'b' }],
  ['clone source empty', { op: 'clone', source: {}, newName: 'b' }],
  ['clone from a relative file', { op: 'clone', source: { file: 'x.lsnap' }, newName: 'b' }],
  ['clone without newName', { op: 'clone', source: { vm: 'a' } }],
  ['hello token not a string', { op: 'hello', token: 123 }],
  ['shutdown with a field', { op: 'shutdown', now: true }],
  ['registers without a name', { op: 'registers', names: ['pc'] }],
  ['hart negative', { op: 'registers', name: 'a', hart: -1 }],
  ['hart fractional', { op: 'registers', name: 'a', hart: 0.5 }],
  ['hart a string', { op: 'registers', name: 'a', hart: '0' }],
  ['names not an array', { op: 'registers', name: 'a', names: 'pc' }],
  ['too many names', { op: 'registers', name: 'a', names: Array(65).fill('pc') }],
  ['a name not a register name', { op: 'registers', name: 'a', names: ['pc', 'x-1'] }],
  ['a name of the wrong type', { op: 'registers', name: 'a', names: [32] }],
  ['registers with an unknown field', { op: 'registers', name: 'a', xlen: 64 }],
];

describe('validateRequest', () => {
  it('accepts every well-formed request and returns only its fields', () => {
    const good = [
      { op: 'hello' }, { op: 'hello', token: 'ab' }, { op: 'list' }, { op: 'shutdown' },
      { op: 'create', name: 'vm-1', args: ['-kernel', '/k.elf'], limits: { steps: '1000', wallMs: 5000 }, start: true },
      { op: 'console-read', name: 'A.b_c', from: 0 }, { op: 'console-write', name: 'a', text: '\x03\xff' },
      { op: 'snapshot', name: 'a', file: path.resolve('/x.lsnap') }, { op: 'clone', source: { file: path.resolve('/x.lsnap') }, newName: 'b', start: false },
      { op: 'registers', name: 'a' }, { op: 'registers', name: 'a', hart: 1, names: ['pc', 'sp', 'x5', 'mstatus', 'mhpmcounter31h'] },
    ];
    for (const request of good) expect(validateRequest(request)).toEqual({ ok: true, request });
  });

  it.each(MALFORMED)('refuses %s with one line', (_, raw) => {
    const result = validateRequest(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^[^\n]{1,300}$/);
  });
});

describe('the API server over its socket (FakeController)', () => {
  it('survives 2,000 fuzzed requests and raw garbage, then still answers list correctly', async () => {
    const { controller, server } = await startServer();
    const raw = await rawClient({ path: server.socketPath });
    await raw.request({ op: 'create', name: 'keep', args: ['-kernel', '/k'] }, 5000);
    const random = seeded(0x5eed);
    const answers = await Promise.all(Array.from({ length: 2000 }, () => raw.request(mutate(random), 10_000) as Promise<Response>));
    for (const answer of answers) {
      expect(typeof answer.ok).toBe('boolean');
      if (!answer.ok) expect(answer.error).toMatch(/^[^\n]+$/);
    }
    expect(answers.filter((a) => !a.ok && a.code === 'bad-request').length).toBeGreaterThan(1500);
    // Bytes that are not net-ipc at all, a frame of bad JSON, a frame claiming to be huge.
    for (const bytes of [Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from('IPC\x85{{{{{'), Buffer.from([0x49, 0x50, 0x43, 0x7f, 0x7f, 0x7f, 0x7f, 0x01])]) {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ path: server.socketPath }, () => socket.end(bytes));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.resume();
        // The frame that never completes waits for net-ipc's 10 s handshake timeout: don't.
        setTimeout(() => socket.destroy(), 200);
      });
    }
    // A frame announcing 1 GiB is cut off at once, not buffered.
    const announced = Date.now();
    await new Promise<void>((resolve) => {
      const socket = net.connect({ path: server.socketPath }, () => socket.write(Buffer.from([0x49, 0x50, 0x43, 0x04, 0x00, 0x00, 0x00, 0x80, 0x7b])));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
      socket.resume();
    });
    expect(Date.now() - announced).toBeLessThan(2000);
    // The manager's exceptions and unsendable answers are one-line refusals.
    expect(await raw.request({ op: 'inspect', name: 'throws' }, 5000)).toEqual({ ok: false, code: 'refused', error: 'kaboom' });
    expect(await raw.request({ op: 'inspect', name: 'bigint' }, 5000)).toMatchObject({ ok: false, code: 'refused', error: expect.stringMatching(/^internal error: the answer cannot be sent/) });
    const list = (await raw.request({ op: 'list' }, 5000)) as Response;
    expect(list).toEqual({ ok: true, value: [...controller.vms.values()] });
  });

  it.runIf(unix)('is its owner\'s only: socket 0600 in a 0700 runtime directory; a second server is refused', async () => {
    const runtime = path.join(dir, 'xdg');
    const socket = defaultSocketPath({ XDG_RUNTIME_DIR: runtime });
    expect(socket).toBe(path.join(runtime, 'lantern', 'server.sock'));
    // Left too open by someone: narrowed to 0700.
    fs.mkdirSync(path.dirname(socket), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(socket), 0o755);
    const { server } = await startServer({ socket });
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
    await expect(ApiServer.listen({ controller: new FakeController(), socket })).rejects.toThrow(/another server is already running at/);
    // The refused one left the live socket alone.
    const client = await connectToServer({ path: socket });
    expect(await client.request({ op: 'list' })).toEqual([]);
    await client.close();
    await server.close();
    expect(fs.existsSync(socket)).toBe(false);
  });

  it.runIf(unix)('replaces a stale socket, never a file that is not one', async () => {
    const stale = path.join(dir, 'stale.sock');
    // A server killed outright leaves its socket file behind.
    const killed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.lstatSync(stale).isSocket()).toBe(true);
    const { server } = await startServer({ socket: stale });
    expect((await (await connectToServer({ path: stale })).request({ op: 'list' }))).toEqual([]);
    await server.close();

    const precious = path.join(dir, 'precious.txt');
    fs.writeFileSync(precious, 'keep me');
    await expect(ApiServer.listen({ controller: new FakeController(), socket: precious })).rejects.toThrow(/exists and is not a socket/);
    expect(fs.readFileSync(precious, 'utf8')).toBe('keep me');
  });
});

describe('the API server over TCP (FakeController)', () => {
  it('answers unauthorized until hello with the token, closes after repeated failures, then serves with it', async () => {
    const socket = path.join(dir, 'tcp.sock');
    const { server } = await startServer({ socket, tcp: { port: 0 } });
    const tcp = server.tcp!;
    expect(tcp.host).toBe('127.0.0.1');
    expect(tcp.tokenFile).toBe(path.join(dir, 'tcp.token'));
    const token = fs.readFileSync(tcp.tokenFile, 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    if (unix) expect(fs.statSync(tcp.tokenFile).mode & 0o777).toBe(0o600);

    // A second server cannot have the port: refused, and its socket and token removed.
    const other = path.join(dir, 'tcp-2.sock');
    await expect(ApiServer.listen({ controller: new FakeController(), socket: other, tcp: { port: tcp.port } })).rejects.toThrow(/cannot listen on tcp port \d+: the address is in use/);
    expect(fs.existsSync(other)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'tcp-2.token'))).toBe(false);

    const stranger = await rawClient({ port: tcp.port });
    const closed = new Promise((resolve) => stranger.once('close', resolve));
    expect(await stranger.request({ op: 'list' }, 5000)).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(await stranger.request({ op: 'hello', token: '0'.repeat(64) }, 5000)).toMatchObject({ ok: false, code: 'unauthorized', error: 'wrong token' });
    for (let i = 2; i < MAX_AUTH_FAILURES; i++) await stranger.request({ op: 'shutdown' }, 5000);
    await closed;

    await expect(connectToServer({ tcp: { port: tcp.port }, token: 'nope' })).rejects.toThrow(ServerError);
    const client = await connectToServer({ tcp: { port: tcp.port }, token });
    expect(await client.request({ op: 'create', name: 'over-tcp', args: ['-kernel', '/k'] })).toMatchObject({ name: 'over-tcp' });
    expect((await client.request({ op: 'list' })).map((vm) => vm.name)).toEqual(['over-tcp']);
    await client.close();
    // The socket needs no token.
    const local = await connectToServer({ path: socket });
    expect((await local.request({ op: 'list' })).length).toBe(1);
    await local.close();
    await server.close();
    expect(fs.existsSync(tcp.tokenFile)).toBe(false);
  });
});

describe('the API server with the real VM manager, three minikernels running', () => {
  let server: ApiServer;
  const names = ['mk-a', 'mk-b', 'mk-c'];
  const notices: string[] = [];

  beforeAll(async () => {
    server = await ApiServer.listen({ controller: new VmManager({ log: (line) => notices.push(line) }), socket: path.join(dir, 'real.sock') });
    cleanups.push(() => server.close());
    const client = await connectToServer({ path: server.socketPath });
    for (const name of names) expect(await client.request({ op: 'create', name, args: MINIKERNEL_ARGS, start: true })).toMatchObject({ name, state: 'running' });
    await client.close();
  });

  it('refuses each malformed request as bad-request and changes nothing', async () => {
    const raw = await rawClient({ path: server.socketPath });
    const summary = (answer: unknown) => ((answer as { value: VmInfo[] }).value).map((vm) => `${vm.name}:${vm.state}:${vm.gdbPort}`);
    const before = summary(await raw.request({ op: 'list' }, 5000));
    for (const [what, request] of MALFORMED) {
      const answer = (await raw.request(request, 5000)) as Response;
      expect(answer, what).toMatchObject({ ok: false, code: 'bad-request' });
      if (!answer.ok) expect(answer.error, what).toMatch(/^[^\n]+$/);
    }
    expect(summary(await raw.request({ op: 'list' }, 5000))).toEqual(before);
    expect(before).toHaveLength(3);
  });

  it('answers 500 requests from 5 concurrent clients while the guests run, each with its own answer', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => connectToServer({ path: server.socketPath })));
    let answered = 0;
    /** Client i's 100 requests, 10 in flight at a time; each answer checked against its request. */
    const drive = async (client: ServerClient, i: number) => {
      const own = names[i % names.length]!;
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(Array.from({ length: 10 }, async (_, j) => {
          const n = batch * 10 + j;
          switch (n % 5) {
            case 0: {
              const vms = await client.request({ op: 'list' });
              expect(vms.map((vm) => vm.name).sort()).toEqual(names);
              break;
            }
            case 1: {
              const name = names[n % names.length]!;
              expect(await client.request({ op: 'inspect', name })).toMatchObject({ name, harts: 2, memory: 128 << 20 });
              break;
            }
            case 2: {
              const from = (n * 7) % 64;
              const chunk = await client.request({ op: 'console-read', name: own, from });
              // From `from` to the end so far (the end itself when `from` is past it).
              expect(chunk.text.length).toBe(chunk.next - Math.min(from, chunk.next));
              break;
            }
            case 3:
              // Only the clients that own a VM pause and resume it, so states stay predictable.
              if (i < names.length && j === 3) {
                expect(await client.request({ op: 'pause', name: own })).toMatchObject({ name: own, state: 'paused' });
                expect(await client.request({ op: 'resume', name: own })).toMatchObject({ name: own, state: 'running' });
                answered++;
              } else {
                await expect(client.request({ op: 'inspect', name: `no-such-${i}-${n}` })).rejects.toMatchObject({ code: 'no-such-vm' });
              }
              break;
            default:
              await expect(client.request({ op: 'inspect', name: `bad name ${n}` })).rejects.toMatchObject({ code: 'bad-request' });
          }
          answered++;
        }));
      }
    };
    const stepsBefore = (await clients[0]!.request({ op: 'list' })).map((vm) => BigInt(vm.steps ?? '0'));
    const started = Date.now();
    await Promise.all(clients.map(drive));
    const elapsed = Date.now() - started;
    // 500 requests, plus the resume after each of the owners' 10 pauses.
    expect(answered).toBe(500 + names.length * 10);
    const vms = await clients[0]!.request({ op: 'list' });
    for (const client of clients) await client.close();
    expect(vms.map((vm) => vm.state)).toEqual(['running', 'running', 'running']);
    // The guests ran meanwhile.
    vms.forEach((vm, i) => expect(BigInt(vm.steps!)).toBeGreaterThan(stepsBefore[i]!));
    const console = await (await connectToServer({ path: server.socketPath })).request({ op: 'console-read', name: 'mk-a', from: 0 });
    expect(console.text).toContain('minikernel: M-mode on hart 0, 2 harts');
    process.stdout.write(`load: ${answered} answers in ${elapsed} ms\n`);
  });

  it('reads a paused VM\'s registers as the machine\'s own DebugTarget does, and refuses a running one', async () => {
    const client = await connectToServer({ path: server.socketPath });
    cleanups.push(() => client.close());
    const held = [...MINIKERNEL_ARGS, '-S'];
    expect(await client.request({ op: 'create', name: 'held', args: held, start: true })).toMatchObject({ state: 'paused' });
    const names = ['pc', 'sp', 'mstatus', 'a0', 'x5', 'fp', 'priv', 'mhartid'];
    const read = await client.request({ op: 'registers', name: 'held', names });
    expect(read.values.pc).toBe('0x0000000000001000');
    expect(read.hart).toBe(0);
    expect(read.xlen).toBe(64);
    // The same machine built here, held at reset too, read without any debugger.
    const opened = machineFromOptions(parseVmArguments(held), { console: { write() {} }, cwd: ROOT });
    try {
      const target = new MachineDebugTarget(opened.machine);
      expect(read).toEqual(readRegisterValues(target, 0, names));
      expect((await client.request({ op: 'registers', name: 'held', hart: 1, names: ['mhartid'] })).values).toEqual({ mhartid: '0x0000000000000001' });
      const all = await client.request({ op: 'registers', name: 'held' });
      expect(all).toEqual(readRegisterValues(target, 0));
      expect(Object.keys(all.values)).toEqual([...integerRegisterNames, 'pc', 'priv']);
    } finally {
      for (const file of opened.files) file.close();
    }
    // A hart or register the VM lacks: bad-request, one line.
    await expect(client.request({ op: 'registers', name: 'held', hart: 2 })).rejects.toMatchObject({ code: 'bad-request', message: 'there is no hart 2 (the VM has 2)' });
    await expect(client.request({ op: 'registers', name: 'held', names: ['cycleh'] })).rejects.toMatchObject({ code: 'bad-request', message: "hart 0 has no register 'cycleh'" });
    // Running: refused, until paused again.
    await client.request({ op: 'resume', name: 'held' });
    await expect(client.request({ op: 'registers', name: 'held', names: ['pc'] })).rejects.toMatchObject({ code: 'wrong-state', message: /is running: its registers are read while it is paused/ });
    await expect(client.request({ op: 'registers', name: 'mk-a' })).rejects.toMatchObject({ code: 'wrong-state' });
    await client.request({ op: 'pause', name: 'held' });
    expect((await client.request({ op: 'registers', name: 'held', names: ['pc'] })).values.pc).not.toBe('0x0000000000001000');
    await client.request({ op: 'stop', name: 'held' });
    await expect(client.request({ op: 'registers', name: 'held' })).rejects.toMatchObject({ code: 'wrong-state', message: /is stopped/ });
    await expect(client.request({ op: 'registers', name: 'nobody' })).rejects.toMatchObject({ code: 'no-such-vm' });
    await client.request({ op: 'delete', name: 'held' });
  });
});

describe('the lantern subcommands', () => {
  const socket = path.join(dir, 'cli.sock');
  let server: ChildProcess | undefined;
  let serverErr = '';

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
  });

  /** `lantern ARGS --socket S` from the repository's root (so relative paths are the user's). */
  function lantern(args: string[], input = '') {
    // Before any `--`: what follows it is the VM's.
    const result = spawnSync(process.execPath, [cli, args[0]!, '--socket', socket, ...args.slice(1)], { cwd: ROOT, encoding: 'utf8', input, timeout: 30_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('reports that no server runs: one line, exit status 1', () => {
    const { status, stdout, stderr } = lantern(['ps']);
    expect(stderr).toBe(`lantern: no server running at ${socket}\n`);
    expect(stdout).toBe('');
    expect(status).toBe(1);
  });

  it('runs a server and drives a VM through create, ps, start, console, stop and rm', async () => {
    server = spawn(process.execPath, [cli, 'server', '--socket', socket, '--memory', '256M'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.setEncoding('utf8').on('data', (text: string) => (serverErr += text));
    await until(() => serverErr.includes('listening'), 10_000);
    expect(serverErr).toBe(`lantern: server listening on ${socket}\n`);
    if (unix) expect(fs.statSync(socket).mode & 0o777).toBe(0o600);

    // The kernel's path is relative to the client's folder: the server gets it absolute.
    const relativeKernel = path.relative(ROOT, minikernel);
    const vmArgs = MINIKERNEL_ARGS.map((arg) => (arg === minikernel ? relativeKernel : arg));
    let run = lantern(['create', 'web', '--', ...vmArgs]);
    expect(run).toEqual({ status: 0, stdout: 'web: created\n', stderr: '' });
    run = lantern(['create', 'web', '--', ...vmArgs]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^lantern: a VM named web exists already\n$/);

    run = lantern(['ps']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('NAME  STATE    MEMORY  HARTS  GDB  DAP  STEPS\nweb   created  128M    2      -    -    -\n');
    const listed = JSON.parse(lantern(['ps', '--json']).stdout) as VmInfo[];
    expect(listed).toEqual([{ name: 'web', state: 'created', args: MINIKERNEL_ARGS, memory: 128 << 20, harts: 2 }]);

    run = lantern(['start', 'web']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^web: running, gdb on 127\.0\.0\.1:\d+, DAP on 127\.0\.0\.1:\d+\n$/);
    const [info] = JSON.parse(lantern(['ps', '--json']).stdout) as VmInfo[];
    expect(info).toMatchObject({ state: 'running', gdbPort: expect.any(Number), dapPort: expect.any(Number) });
    const row = lantern(['ps']).stdout.split('\n')[1]!;
    run = lantern(['regs', 'web']);
    expect(run).toMatchObject({ status: 1, stderr: 'lantern: VM web is running: its registers are read while it is paused\n' });
    expect(lantern(['pause', 'web']).status).toBe(0);
    run = lantern(['regs', 'web', 'pc', 'mhartid', '--hart', '1']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^pc       0x[0-9a-f]{16}\nmhartid  0x0000000000000001\n$/);
    expect(JSON.parse(lantern(['regs', 'web', '--json']).stdout)).toMatchObject({ hart: 0, xlen: 64, values: { zero: '0x0000000000000000', priv: expect.any(String) } });
    expect(lantern(['resume', 'web']).status).toBe(0);
    expect(row).toMatch(new RegExp(`^web   running  128M    2      ${info!.gdbPort}  ${info!.dapPort}  \\d+$`));

    // Over the 256M budget: refused, and no VM made.
    run = lantern(['create', 'big', '--start', '--', ...vmArgs.map((arg) => (arg === '128M' ? '192M' : arg))]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^lantern: starting VM big \(192 MiB of RAM\) would exceed the server's memory budget[^\n]*\n$/);

    // The console: the boot so far, then Ctrl-] detaches.
    const attached = spawn(process.execPath, [cli, 'console', 'web', '--socket', socket], { cwd: ROOT });
    let seen = '';
    let said = '';
    attached.stdout.setEncoding('latin1').on('data', (text: string) => (seen += text));
    attached.stderr.setEncoding('utf8').on('data', (text: string) => (said += text));
    await until(() => seen.includes('uart: type a line'), 20_000);
    expect(seen).toContain('minikernel: M-mode on hart 0, 2 harts');
    attached.stdin.write('\x1d');
    const detachedStatus = await new Promise((resolve) => attached.on('exit', resolve));
    expect(detachedStatus).toBe(0);
    expect(said).toMatch(/attached to web's console; Ctrl-\] detaches\n[\s\S]*detached from web\n$/);

    run = lantern(['stop', 'web']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('web: stopped, exit status 0\n');
    run = lantern(['inspect', 'web']);
    expect(run.stdout).toMatch(/^name: +web\nstate: +stopped\n/);
    run = lantern(['rm', 'web']);
    expect(run).toEqual({ status: 0, stdout: 'web: deleted\n', stderr: '' });
    expect(lantern(['ps', '--json']).stdout).toBe('[]\n');
    run = lantern(['rm', 'web']);
    expect(run).toEqual({ status: 1, stdout: '', stderr: 'lantern: no VM named web\n' });

    // Usage errors: exit status 2.
    run = lantern(['start']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^lantern: start: missing required argument 'name'[^\n]*\n$/);
    run = lantern(['create', 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^lantern: create: give the VM's options after --/);

    run = lantern(['shutdown']);
    expect(run).toEqual({ status: 0, stdout: `the server at ${socket} shut down\n`, stderr: '' });
    const status = await new Promise((resolve) => (server!.exitCode === null ? server!.on('exit', resolve) : resolve(server!.exitCode)));
    expect(status).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);
  });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A small deterministic generator (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS: Record<string, unknown>[] = [
  { op: 'list' }, { op: 'inspect', name: 'keep' }, { op: 'start', name: 'keep' }, { op: 'delete', name: 'gone' },
  { op: 'create', name: 'fz', args: ['-kernel', '/k'], limits: { steps: '10', wallMs: 10 }, start: false },
  { op: 'console-read', name: 'keep', from: 0 }, { op: 'console-write', name: 'keep', text: 'hi' },
  { op: 'snapshot', name: 'keep', file: '/tmp/k.lsnap' }, { op: 'clone', source: { vm: 'keep' }, newName: 'k2' },
  { op: 'hello', token: 'x' },
];
const ODD_VALUES: unknown[] = [
  null, true, 0, -1, 1.5, 2 ** 53, NaN, '', 'x'.repeat(70_000), '../../etc/passwd', '\u0000', '\u2603', [], [1, 'a'], {},
  { nested: { deeper: [{}] } }, Array(300).fill('a'), '-kernel', 'keep', { vm: 'keep' }, { file: 'rel' },
];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'op', 'name', 'args', 'from', 'text', 'limits', 'source', 'extra', ''];

/** A valid request bent out of shape by 1 to 3 mutations: drop, retype, add, rename the op, replace wholesale. */
function mutate(random: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => structuredClone(items[Math.floor(random() * items.length)]!);
  let request: unknown = pick(SEEDS);
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) break;
    const fields = request as Record<string, unknown>;
    const keys = Object.keys(fields);
    switch (Math.floor(random() * 6)) {
      case 0: delete fields[pick(keys)]; break;
      case 1: fields[pick(keys)] = pick(ODD_VALUES); break;
      case 2: Object.defineProperty(fields, pick(ODD_KEYS), { value: pick(ODD_VALUES), enumerable: true, configurable: true, writable: true }); break;
      case 3: fields.op = pick(['List', 'list ', 'crate', 'console_read', '', 'hello', 'shutdown-now', 'constructor']); break;
      case 4: request = pick(ODD_VALUES); break;
      default: if (fields.limits !== undefined) fields.limits = { steps: pick(['-1', '1e3', '', '007', 5]), wallMs: pick([0, -5, '10', 1e20]) }; else fields[pick(keys)] = String(pick(ODD_VALUES)); break;
    }
  }
  return request;
}
