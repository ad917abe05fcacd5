// Drives `lantern lsp --stdio` as an editor does, over vscode-jsonrpc: hover, definition and outline on samples/minikernel and a fixture, and live register values read from a real VM's GDB stub.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { buildHostBundle, ROOT } from '../support/guest-tools';
import { RspClient } from '../support/rsp-client';
import { CLI, startLanguageServer, type LanguageServerSession } from './lsp-session';

const FIXTURES = path.join(__dirname, 'fixtures');
const KERNEL = path.join(ROOT, 'samples/minikernel/minikernel.elf');

interface OpenFile {
  readonly uri: string;
  readonly text: string;
}

function file(relative: string): OpenFile {
  const full = path.join(ROOT, relative);
  return { uri: pathToFileURL(full).href, text: fs.readFileSync(full, 'utf8') };
}

const start = file('samples/minikernel/start.S');
const trap = file('samples/minikernel/trap.S');
const fixture = file('test/lsp/fixtures/pseudo.S');
const helpersUri = pathToFileURL(path.join(FIXTURES, 'helpers.s')).href;

/** The position of the `occurrence`-th `needle` in the file, `offset` characters into it. */
function at(target: OpenFile, needle: string, occurrence = 0, offset = 0): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = target.text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`no ${needle} #${i} in ${target.uri}`);
  }
  const before = target.text.slice(0, index + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The 0-based line of the `occurrence`-th line starting with `prefix` (after indentation). */
function lineOf(target: OpenFile, prefix: string, occurrence = 0): number {
  const lines = target.text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trimStart().startsWith(prefix) && seen++ === occurrence) return i;
  }
  throw new Error(`no line starting ${prefix}`);
}

let session: LanguageServerSession;
let connection: MessageConnection;

async function hover(target: OpenFile, position: { line: number; character: number }): Promise<string> {
  const result = await connection.sendRequest('textDocument/hover', { textDocument: { uri: target.uri }, position }) as
    { contents: { kind: string; value: string } } | null;
  return result?.contents.value ?? '';
}

/** Checks that the hover at `position` contains each of `parts`, in turn. */
async function expectHover(target: OpenFile, position: { line: number; character: number }, parts: readonly string[]): Promise<void> {
  const text = await hover(target, position);
  for (const part of parts) expect(text).toContain(part);
}

interface Location { uri: string; range: { start: { line: number; character: number } } }

async function definition(target: OpenFile, position: { line: number; character: number }): Promise<Location[]> {
  return await connection.sendRequest('textDocument/definition', { textDocument: { uri: target.uri }, position }) as Location[];
}

beforeAll(async () => {
  buildHostBundle();
  session = await startLanguageServer({ workspaceFolders: [{ uri: pathToFileURL(FIXTURES).href, name: 'fixtures' }] });
  connection = session.connection;
  expect(session.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentSymbolProvider: true });
  for (const open of [start, trap, fixture]) {
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: open.uri, languageId: 'riscv', version: 1, text: open.text } });
  }
});

afterAll(async () => {
  if (!session) return;
  await session.stop();
  expect(session.stderr()).toBe('');
});

describe('hover', () => {
  it('shows an instruction\'s format, extension, meaning and encoding', async () => {
    await expectHover(start, at(start, 'addi    t0, a0, 1'), [
      '**addi** `rd, rs1, imm`', 'Extension I (base integer)', 'I-type · OP-IMM', '`rd = rs1 + sext(imm)`', 'funct3 `000`', 'opcode `0010011`',
    ]);
  });

  it('shows an R-type\'s funct7 and an RV64-only row', async () => {
    await expectHover(start, at(start, 'sd      zero'), ['S-type · STORE', 'M64[rs1 + sext(imm)] = rs2', 'RV64 only']);
    await expectHover(start, at(start, 'add     sp'), ['funct7 `0000000`']);
  });

  it('shows a pseudo-instruction\'s expansion and the encoding of the one instruction it becomes', async () => {
    await expectHover(fixture, at(fixture, 'li      t0'), ['pseudo-instruction', '`rd = imm`']);
    await expectHover(start, at(start, 'csrr    a0'), ['Expands to `csrrs rd, csr, x0`', 'Extension Zicsr', 'Encoded as **csrrs**', 'funct3 `010`']);
    await expectHover(fixture, at(fixture, '    ret\n', 0, 4), ['jalr x0, 0(ra)']);
  });

  it('shows a compressed instruction\'s expansion and an AMO\'s ordering suffix', async () => {
    await expectHover(fixture, at(fixture, 'c.addi'), ['Extension C', 'CI-type · quadrant C1', 'Expands to `addi rd, rd, nzimm`']);
    await expectHover(fixture, at(fixture, 'amoadd.w.aqrl'), ['**amoadd.w.aqrl** `rd, rs2, (rs1)`', 'Extension A', 'sequentially consistent']);
  });

  it('shows a CSR\'s number, privilege and fields, by name or by number', async () => {
    const mhartid = await hover(start, at(start, 'mhartid'));
    expect(mhartid).toContain('**mhartid** · CSR `0xf14` · M-mode · read-only');
    const mstatus = await hover(fixture, at(fixture, 'mstatus'));
    expect(mstatus).toContain('CSR `0x300` · M-mode · read/write');
    expect(mstatus).toMatch(/\| 12:11 \| MPP \|/);
    const numeric = await hover(fixture, at(fixture, '0x300', 0, 2));
    expect(numeric).toContain('**mstatus**');
    const sip = await hover(trap, at(trap, 'csrw    sip', 0, 8));
    expect(sip).toContain('S-mode');
    expect(sip).toMatch(/\| 1 \| SSIP \| Supervisor software interrupt pending \|/);
  });

  it('shows a register\'s number and ABI role, in code and in comments', async () => {
    const sp = await hover(start, at(start, 'la      sp', 0, 8));
    expect(sp).toContain('**sp** · x2 · stack pointer · callee-saved');
    const x5 = await hover(trap, at(trap, 'x5, 40(sp)'));
    expect(x5).toContain('**t0** · x5 · temporary, alternate link register');
    const fp = await hover(start, at(start, 'mv      fp', 0, 8));
    expect(fp).toContain('x8');
    const inComment = await hover(fixture, at(fixture, 'pc and sp'));
    expect(inComment).toContain('**pc** · program counter');
    expect(inComment).not.toContain('Now:');
  });

  it('says what a symbol is and where it is defined', async () => {
    const text = await hover(fixture, at(fixture, 'UART_BASE', 1));
    expect(text).toContain('**UART_BASE** · constant = `0x10000000`');
  });
});

describe('definition', () => {
  it('finds a label in the same file', async () => {
    const found = await definition(start, at(start, 'park', 0, 1));
    expect(found).toEqual([expect.objectContaining({ uri: start.uri, range: expect.objectContaining({ start: { line: lineOf(start, 'park:'), character: 0 } }) })]);
  });

  it('resolves 1f/1b to the next/previous numeric label', async () => {
    const back = await definition(start, at(start, 'j       1b', 0, 8));
    expect(back[0]!.range.start.line).toBe(lineOf(start, '1:  bgeu'));
    const forward = await definition(start, at(start, '2f'));
    expect(forward[0]!.range.start.line).toBe(lineOf(start, '2:  call'));
    // A `1:` earlier on the same line is behind a 1f: the next one is meant.
    const sameLine = await definition(fixture, at(fixture, '1:  bnez    a0, 1f', 0, 16));
    expect(sameLine[0]!.range.start.line).toBe(lineOf(fixture, '1:  push'));
    const loop = await definition(fixture, at(fixture, 'j       1b', 0, 8));
    expect(loop[0]!.range.start.line).toBe(lineOf(fixture, '1:  beqz'));
  });

  it('finds .set constants, macros and #defines', async () => {
    expect((await definition(fixture, at(fixture, 'UART_BASE', 1)))[0]!.range.start.line).toBe(lineOf(fixture, '.set'));
    expect((await definition(fixture, at(fixture, 'push    ra')))[0]!.range.start.line).toBe(lineOf(fixture, '.macro'));
    expect((await definition(start, at(start, 'MAX_HARTS', 1)))[0]!.range.start.line).toBe(lineOf(start, '#define MAX_HARTS'));
  });

  it('finds a .globl symbol in another open document and in an unopened workspace file', async () => {
    const vector = await definition(fixture, at(fixture, 'm_trap_vector'));
    expect(vector).toEqual([{ uri: trap.uri, range: expect.objectContaining({ start: { line: lineOf(trap, 'm_trap_vector:'), character: 0 } }) }]);
    const helper = await definition(fixture, at(fixture, 'helper_in_workspace'));
    expect(helper).toEqual([{ uri: helpersUri, range: expect.objectContaining({ start: { line: 3, character: 0 } }) }]);
  });
});

interface OutlineSymbol { name: string; kind: number; detail?: string; children?: OutlineSymbol[] }
const SymbolKind = { Namespace: 3, Method: 6, Field: 8, Function: 12, Variable: 13, Constant: 14 };

describe('documentSymbol', () => {
  it('outlines sections with their labels', async () => {
    const symbols = await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: start.uri } }) as OutlineSymbol[];
    expect(symbols.map((s) => [s.name, s.kind])).toEqual([
      ['MAX_HARTS', SymbolKind.Constant], ['STACK_SHIFT', SymbolKind.Constant], ['.text.start', SymbolKind.Namespace], ['.data', SymbolKind.Namespace],
    ]);
    const [text, data] = symbols.slice(2);
    expect(text!.children!.map((s) => s.name)).toEqual(['_start', 'secondary', 'park']);
    expect(text!.children![0]).toMatchObject({ kind: SymbolKind.Field, detail: 'global' });
    expect(data!.children!.map((s) => s.name)).toEqual(['boot_ready']);
  });

  it('marks functions, objects, macros and constants', async () => {
    const symbols = await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: fixture.uri } }) as OutlineSymbol[];
    const flat = symbols.flatMap((s) => [s, ...(s.children ?? [])]).map((s) => [s.name, s.kind]);
    expect(flat).toEqual([
      ['STACK_WORDS', SymbolKind.Constant], ['UART_BASE', SymbolKind.Constant], ['LINE_LENGTH', SymbolKind.Constant],
      ['push', SymbolKind.Method], ['.text', SymbolKind.Namespace], ['count_down', SymbolKind.Function],
      ['.data', SymbolKind.Namespace], ['table', SymbolKind.Variable],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Live values: one VM attached to the language server, an identical one (also held at reset)
// read by the test's own RSP client — a stub takes one debugger at a time.

interface Vm { process: ChildProcess; port: number }

function startVm(): Promise<Vm> {
  const vm = spawn(process.execPath, [CLI, '-M', 'virt', '-bios', 'none', '-nographic', '-kernel', KERNEL, '-S', '-gdb', 'tcp:127.0.0.1:0'],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    vm.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const listening = /gdb listening on 127\.0\.0\.1:(\d+)/.exec(text);
      if (listening) resolve({ process: vm, port: Number(listening[1]) });
    });
    vm.once('exit', (code) => reject(new Error(`the VM exited (${code}): ${text}`)));
  });
}

/** A register's value from hover text's "Now:" line. */
function nowValue(text: string): bigint {
  const value = /\*\*Now:\*\* `(0x[0-9a-f]+)`/.exec(text);
  if (!value) throw new Error(`no live value in:\n${text}`);
  return BigInt(value[1]!);
}

/** A register as the stub reports it (`p` reply, little-endian hex). */
async function stubValue(client: RspClient, number: number): Promise<bigint> {
  const reply = await client.request(`p${number.toString(16)}`);
  return BigInt(`0x${reply.match(/../g)!.reverse().join('')}`);
}

describe('live register values', () => {
  const vms: Vm[] = [];
  afterAll(() => {
    for (const vm of vms) vm.process.kill();
  });

  it('reads pc, sp and mstatus of a VM stopped at reset through its GDB stub', async () => {
    vms.push(...await Promise.all([startVm(), startVm()]));
    const [attached, reference] = vms as [Vm, Vm];
    const result = await connection.sendRequest('lantern/attachVm', { port: attached.port }) as { xlen: number };
    expect(result.xlen).toBe(64);

    const pc = await hover(fixture, at(fixture, 'pc and sp'));
    const sp = await hover(fixture, at(fixture, 'pc and sp', 0, 7));
    const mstatus = await hover(fixture, at(fixture, 'mstatus'));
    expect(nowValue(pc)).toBe(0x1000n);

    const client = await RspClient.connect(reference.port);
    try {
      expect(nowValue(pc)).toBe(await stubValue(client, 32));
      expect(nowValue(sp)).toBe(await stubValue(client, 2));
      expect(nowValue(mstatus)).toBe(await stubValue(client, 65 + 0x300));
    } finally {
      client.close();
    }
    // The decoded fields come with the value.
    expect(mstatus).toMatch(/\*\*Now:\*\* `0x[0-9a-f]{16}` — .*MPP=/);

    // Attaching again to the same VM (its stub takes one debugger) lets go of the first
    // connection, which lets the VM run on (the stub's detach), then stops it anew.
    expect(await connection.sendRequest('lantern/attachVm', { port: attached.port })).toEqual({ xlen: 64 });
    expect(nowValue(await hover(fixture, at(fixture, 'pc and sp')))).toBeTypeOf('bigint');

    await connection.sendRequest('lantern/detachVm');
    expect(await hover(fixture, at(fixture, 'pc and sp'))).not.toContain('Now:');
  });

  it('refuses a port nothing listens on with a clear error', async () => {
    await expect(connection.sendRequest('lantern/attachVm', { port: 1 })).rejects.toThrow(/cannot attach to the gdb stub on 127\.0\.0\.1:1/);
    await expect(connection.sendRequest('lantern/attachVm', { port: 'x' })).rejects.toThrow(/expected \{ port/);
  });
});
