// `lantern/vm` through `lantern lsp --stdio`: with no VM server at LANTERN_SERVER the language server starts one (detached), then creates, runs, stops and deletes a minikernel VM through it, and shuts it down so nothing is left behind.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VM_REQUEST, VM_SERVER_UNREACHABLE } from '../../server/src/lsp/protocol';
import type { Request, Response } from '../../server/src/vmm/protocol';
import { buildHostBundle, ROOT } from '../support/guest-tools';
import { CLI, startLanguageServer, vmRequest, vmValue, type LanguageServerSession } from './lsp-session';

const MINIKERNEL = path.join(ROOT, 'samples/minikernel/minikernel.elf');
const PROMPT = 'uart: type a line\n';

let scratch: string;
let socket: string;
let session: LanguageServerSession;

/** A control-API request through the language server, answered with the server's Response. */
const vm = (request: Request): Promise<Response> => vmRequest(session.connection, request);
/** A control-API request through the language server that must succeed: its value. */
const value = <K extends Request['op']>(request: Extract<Request, { op: K }>) => vmValue(session.connection, request);

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
  session = await startLanguageServer({ env: { LANTERN_SERVER: socket } });
});

afterAll(async () => {
  // Whatever happened above, leave no server behind.
  if (session && fs.existsSync(socket)) await vm({ op: 'shutdown' }).catch(() => undefined);
  await session?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  expect(session?.stderr() ?? '').toBe('');
});

describe('lantern/vm', () => {
  it('starts a server when none answers, and runs a VM through it', async () => {
    expect(fs.existsSync(socket)).toBe(false);
    expect(await value({ op: 'list' })).toEqual([]);
    expect(await serverAnswers()).toBe(true); // a real server, which the CLI reaches too

    const created = await value({
      op: 'create', name: 'mk', start: true,
      args: ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', '1', '-kernel', MINIKERNEL],
    });
    expect(created).toMatchObject({ name: 'mk', state: 'running', harts: 1, gdbPort: expect.any(Number), dapPort: expect.any(Number) });
    const listed = await value({ op: 'list' });
    expect(listed).toEqual([expect.objectContaining({ name: 'mk', state: 'running' })]);
    const console = await waitFor('the prompt', async () => {
      const read = await value({ op: 'console-read', name: 'mk', from: 0 });
      return read.text.includes(PROMPT) ? read.text : undefined;
    });
    expect(console).toMatch(/minikernel: M-mode on hart 0/);

    // A refusal is the server's Response, not an LSP error.
    expect(await vm({ op: 'start', name: 'mk' })).toMatchObject({ ok: false, code: 'wrong-state' });
    expect(await vm({ op: 'create', name: 'bad name', args: [] })).toMatchObject({ ok: false, code: 'bad-request' });

    expect(await value({ op: 'stop', name: 'mk' })).toMatchObject({ state: 'stopped' });
    expect(await value({ op: 'delete', name: 'mk' })).toBeNull();
    expect(await value({ op: 'list' })).toEqual([]);
  });

  it('shuts the server down through the bridge; the next request starts a fresh one', async () => {
    expect(await value({ op: 'shutdown' })).toBeNull();
    await waitFor('the socket to go', async () => (fs.existsSync(socket) ? undefined : true), 10_000);
    // A request now starts a fresh server again: take that one down too.
    expect(await value({ op: 'list' })).toEqual([]);
    expect(await value({ op: 'shutdown' })).toBeNull();
    await waitFor('the socket to go', async () => (fs.existsSync(socket) ? undefined : true), 10_000);
  });

  it('answers malformed requests with an LSP error and keeps serving hovers', async () => {
    await expect(session.connection.sendRequest(VM_REQUEST, { request: 'list' })).rejects.toThrow(/expected \{ request/);
    const uri = 'file:///tmp/x.S';
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'riscv-asm', version: 1, text: '  csrr a0, mhartid\n' } });
    const hover = await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } }) as { contents: { value: string } };
    expect(hover.contents.value).toMatch(/csrr/);
  });
});

describe('lantern/vm without a way to start a server', () => {
  it('reports why as an LSP error', async () => {
    // A socket path under a plain file: the started server exits at once, and the bridge says so.
    const bad = path.join(scratch, 'not-a-folder');
    fs.writeFileSync(bad, '');
    const lonely = await startLanguageServer({ args: ['lsp'], env: { LANTERN_SERVER: path.join(bad, 'server.sock') } });
    try {
      const error = await lonely.connection.sendRequest(VM_REQUEST, { request: { op: 'list' } }).then(() => undefined, (e: { code: number; message: string }) => e);
      expect(error).toMatchObject({ code: VM_SERVER_UNREACHABLE, message: expect.stringMatching(/exited with status 1 before answering.*lantern server --socket/) });
    } finally {
      await lonely.stop();
    }
  }, 10_000);
});
