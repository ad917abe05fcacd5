// `lantern/vm` through `lantern lsp --stdio`: with no VM server at LANTERN_SERVER the language server starts one (detached), then creates, runs, stops and deletes a minikernel VM through it, and shuts it down so nothing is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { VM_REQUEST, VM_SERVER_UNREACHABLE } from '../../server/src/lsp/protocol';
import type { Request, Response, VmInfo } from '../../server/src/vmm/protocol';
import { buildHostBundle, ROOT } from '../support/guest-tools';

const CLI = path.join(ROOT, 'dist/cli.js');
const MINIKERNEL = path.join(ROOT, 'samples/minikernel/minikernel.elf');
const PROMPT = 'uart: type a line\n';

let scratch: string;
let socket: string;
let server: ChildProcess;
let connection: MessageConnection;
let stderr = '';

/** A control-API request through the language server. */
function vm<T>(request: Request): Promise<Response<T>> {
  return connection.sendRequest(VM_REQUEST, { request }) as Promise<Response<T>>;
}

async function value<T>(request: Request): Promise<T> {
  const response = await vm<T>(request);
  if (!response.ok) throw new Error(`${request.op}: ${response.error}`);
  return response.value;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether something answers at the socket (the CLI's `ps`, straight to the server). */
function serverAnswers(): Promise<boolean> {
  const ps = spawn(process.execPath, [CLI, 'ps', '--socket', socket], { stdio: 'ignore' });
  return new Promise<boolean>((resolve) => ps.once('exit', (code) => resolve(code === 0)));
}

beforeAll(async () => {
  buildHostBundle();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-vm-bridge-'));
  socket = path.join(scratch, 'server.sock');
  server = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LANTERN_SERVER: socket } });
  server.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  await connection.sendNotification('initialized', {});
});

afterAll(async () => {
  // Whatever happened above, leave no server behind.
  if (connection && fs.existsSync(socket)) await vm({ op: 'shutdown' }).catch(() => undefined);
  if (connection) {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
  }
  if (server && server.exitCode === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(() => { server.kill(); resolve(undefined); }, 2000);
      server.once('exit', () => { clearTimeout(timer); resolve(undefined); });
    });
  }
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  expect(stderr).toBe('');
});

describe('lantern/vm', () => {
  it('starts a server when none answers, and runs a VM through it', async () => {
    expect(fs.existsSync(socket)).toBe(false);
    expect(await value<VmInfo[]>({ op: 'list' })).toEqual([]);
    expect(await serverAnswers()).toBe(true); // a real server, which the CLI reaches too

    const created = await value<VmInfo>({
      op: 'create', name: 'mk', start: true,
      args: ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', '1', '-kernel', MINIKERNEL],
    });
    expect(created).toMatchObject({ name: 'mk', state: 'running', harts: 1, gdbPort: expect.any(Number), dapPort: expect.any(Number) });
    const listed = await value<VmInfo[]>({ op: 'list' });
    expect(listed).toEqual([expect.objectContaining({ name: 'mk', state: 'running' })]);
    const console = await waitFor('the prompt', async () => {
      const read = await value<{ text: string }>({ op: 'console-read', name: 'mk', from: 0 });
      return read.text.includes(PROMPT) ? read.text : undefined;
    });
    expect(console).toMatch(/minikernel: M-mode on hart 0/);

    // A refusal is the server's Response, not an LSP error.
    expect(await vm({ op: 'start', name: 'mk' })).toMatchObject({ ok: false, code: 'wrong-state' });
    expect(await vm({ op: 'create', name: 'bad name', args: [] })).toMatchObject({ ok: false, code: 'bad-request' });

    expect(await value<VmInfo>({ op: 'stop', name: 'mk' })).toMatchObject({ state: 'stopped' });
    expect(await value<null>({ op: 'delete', name: 'mk' })).toBeNull();
    expect(await value<VmInfo[]>({ op: 'list' })).toEqual([]);
  });

  it('shuts the server down through the bridge; the next request starts a fresh one', async () => {
    expect(await value<null>({ op: 'shutdown' })).toBeNull();
    await waitFor('the socket to go', async () => (fs.existsSync(socket) ? undefined : true), 10_000);
    // A request now starts a fresh server again: take that one down too.
    expect(await value<VmInfo[]>({ op: 'list' })).toEqual([]);
    expect(await value<null>({ op: 'shutdown' })).toBeNull();
    await waitFor('the socket to go', async () => (fs.existsSync(socket) ? undefined : true), 10_000);
  });

  it('answers malformed requests with an LSP error and keeps serving hovers', async () => {
    await expect(connection.sendRequest(VM_REQUEST, { request: 'list' })).rejects.toThrow(/expected \{ request/);
    const uri = 'file:///tmp/x.S';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'riscv-asm', version: 1, text: '  csrr a0, mhartid\n' } });
    const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } }) as { contents: { value: string } };
    expect(hover.contents.value).toMatch(/csrr/);
  });
});

describe('lantern/vm without a way to start a server', () => {
  it('reports why as an LSP error', async () => {
    // A socket path under a plain file: the started server exits at once, and the bridge says so.
    const bad = path.join(scratch, 'not-a-folder');
    fs.writeFileSync(bad, '');
    const lonely = spawn(process.execPath, [CLI, 'lsp'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LANTERN_SERVER: path.join(bad, 'server.sock') } });
    const other = createMessageConnection(new StreamMessageReader(lonely.stdout!), new StreamMessageWriter(lonely.stdin!));
    other.listen();
    try {
      await other.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      const error = await other.sendRequest(VM_REQUEST, { request: { op: 'list' } }).then(() => undefined, (e: { code: number; message: string }) => e);
      expect(error).toMatchObject({ code: VM_SERVER_UNREACHABLE, message: expect.stringMatching(/exited with status 1 before answering.*lantern server --socket/) });
    } finally {
      other.dispose();
      lonely.kill();
    }
  }, 10_000);
});
