// Live register values through `lantern server` over `lantern lsp --stdio`: a VM created held at
// reset (-S) through `lantern/vm`, selected with `lantern/selectVm`; hovers on pc, sp and mstatus
// show its values (as the control API's `registers` reads them), then "running" once resumed, then
// nothing once deselected. The server the language server started is shut down at the end.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELECT_VM, type SelectVmParams } from '../../server/src/lsp/protocol';
import type { Request } from '../../server/src/vmm/protocol';
import { buildHostBundle, ROOT } from '../support/guest-tools';
import { startLanguageServer, vmValue, type LanguageServerSession } from './lsp-session';

const MINIKERNEL = path.join(ROOT, 'samples/minikernel/minikernel.elf');
const FIXTURE = path.join(ROOT, 'test/lsp/fixtures/pseudo.S');
const uri = pathToFileURL(FIXTURE).href;
const text = fs.readFileSync(FIXTURE, 'utf8');

let scratch: string;
let socket: string;
let session: LanguageServerSession;

const vm = <K extends Request['op']>(request: Extract<Request, { op: K }>) => vmValue(session.connection, request);

/** The hover at the first `needle` of the fixture, `offset` characters into it. */
async function hover(needle: string, offset = 0): Promise<string> {
  const before = text.slice(0, text.indexOf(needle) + offset).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1]!.length };
  const result = await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }) as { contents: { value: string } } | null;
  return result?.contents.value ?? '';
}

function nowValue(markdown: string): string {
  const value = /\*\*Now:\*\* `(0x[0-9a-f]+)`/.exec(markdown);
  if (!value) throw new Error(`no live value in:\n${markdown}`);
  return value[1]!;
}

const select = (params: SelectVmParams) => session.connection.sendNotification(SELECT_VM, params);

beforeAll(async () => {
  buildHostBundle();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-live-server-'));
  socket = path.join(scratch, 'server.sock');
  session = await startLanguageServer({ env: { LANTERN_SERVER: socket } });
  await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'riscv-asm', version: 1, text } });
});

afterAll(async () => {
  if (session && fs.existsSync(socket)) await vm({ op: 'shutdown' }).catch(() => undefined);
  await session?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  expect(session?.stderr() ?? '').toBe('');
});

describe('lantern/selectVm', () => {
  it('shows a paused server VM\'s values, says when it runs, and nothing once deselected', async () => {
    expect(await vm({ op: 'create', name: 'held', start: true, args: ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', '2', '-kernel', MINIKERNEL, '-S'] }))
      .toMatchObject({ state: 'paused' });
    // Nothing selected yet: no live line.
    expect(await hover('pc and sp')).not.toContain('Now:');

    await select({ name: 'held' });
    const pc = await hover('pc and sp');
    expect(nowValue(pc)).toBe('0x0000000000001000');
    const read = await vm({ op: 'registers', name: 'held', names: ['sp', 'mstatus'] });
    expect(nowValue(await hover('pc and sp', 7))).toBe(read.values.sp);
    const mstatus = await hover('csrw    mstatus', 8);
    expect(nowValue(mstatus)).toBe(read.values.mstatus);
    expect(mstatus).toMatch(/\*\*Now:\*\* `0x[0-9a-f]{16}` — .*MPP=/);

    await vm({ op: 'resume', name: 'held' });
    expect(await hover('pc and sp')).toContain('**Now:** running');
    expect(await hover('csrw    mstatus', 8)).toContain('**Now:** running');

    await vm({ op: 'pause', name: 'held' });
    const [hart0, hart1] = [(await vm({ op: 'registers', name: 'held', hart: 0, names: ['pc'] })).values.pc, (await vm({ op: 'registers', name: 'held', hart: 1, names: ['pc'] })).values.pc];
    expect(hart0).not.toBe('0x0000000000001000');
    expect(nowValue(await hover('pc and sp'))).toBe(hart0);
    // Hart 1 (-smp 2), as a debug session's stopped thread selects it.
    await select({ name: 'held', hart: 1 });
    expect(nowValue(await hover('pc and sp'))).toBe(hart1);

    await select({});
    expect(await hover('pc and sp')).not.toContain('Now:');
    // A VM that does not exist reads as nothing, not an error.
    await select({ name: 'nobody' });
    expect(await hover('pc and sp')).not.toContain('Now:');
    await select({});
  });
});
