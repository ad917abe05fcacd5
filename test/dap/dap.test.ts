// The DAP bridge driven by the real DebugClient (@vscode/debugadapter-testsupport) over a
// socket, debugging samples/minikernel: launch, breakpoints of every kind, threads, stack,
// register scopes, stepping, memory, disassembly, exception filters and the exit.
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { address, KERNEL, launchArgs, ROOT, useDapServer } from '../support/dap-client';

const dap = useDapServer();
let client: DebugClient;
beforeEach(() => {
  client = dap.test.client;
});

const launchTo = (functions: string[], extra: object = {}): Promise<DebugProtocol.StoppedEvent> => dap.test.launchTo(functions, extra);
const topFrame = (threadId: number): Promise<DebugProtocol.StackFrame> => dap.test.topFrame(threadId);

describe('DAP bridge', () => {
  it('declares its capabilities truthfully', async () => {
    const response = await client.initializeRequest();
    const body = response.body!;
    expect(body.supportsConfigurationDoneRequest).toBe(true);
    expect(body.supportsFunctionBreakpoints).toBe(true);
    expect(body.supportsInstructionBreakpoints).toBe(true);
    expect(body.supportsDataBreakpoints).toBe(true);
    expect(body.supportsDisassembleRequest).toBe(true);
    expect(body.supportsReadMemoryRequest).toBe(true);
    expect(body.exceptionBreakpointFilters?.map((f) => f.filter)).toEqual(['trap', 'exception', 'interrupt', 'ecall-u', 'pagefault']);
  });

  it('stops on entry at the reset vector with a thread per hart', async () => {
    const stopped = await launchTo([], { stopOnEntry: true });
    expect(stopped.body.reason).toBe('entry');
    const threads = await client.threadsRequest();
    expect(threads.body.threads.map((t) => t.name)).toEqual(['hart 0, M', 'hart 1, M']);
    expect((await topFrame(1)).instructionPointerReference).toBe('0x1000');
  });

  it('stops at a function breakpoint and shows the stack, registers and CSRs', async () => {
    const stopped = await launchTo(['s_main']);
    expect(stopped.body.reason).toBe('function breakpoint');
    const threadId = stopped.body.threadId!;
    const trace = await client.stackTraceRequest({ threadId });
    const names = trace.body.stackFrames.map((frame) => frame.name);
    expect(names[0]).toBe('s_main');
    expect(names[1]).toMatch(/^(m_boot|secondary)/);
    expect(trace.body.stackFrames[0].instructionPointerReference).toBe(address('s_main'));
    const scopes = await client.scopesRequest({ frameId: trace.body.stackFrames[0].id });
    expect(scopes.body.scopes.map((scope) => scope.name)).toEqual(['Locals', 'Arguments', 'Globals', 'Registers', 'FP Registers', 'CSRs']);
    const registers = await client.variablesRequest({ variablesReference: scopes.body.scopes[3].variablesReference });
    const pc = registers.body.variables.find((v) => v.name === 'pc');
    expect(BigInt(pc!.value)).toBe(BigInt(address('s_main')));
    const csrs = await client.variablesRequest({ variablesReference: scopes.body.scopes[5].variablesReference });
    const mstatus = csrs.body.variables.find((v) => v.name === 'mstatus')!;
    expect(mstatus.value).toMatch(/MPP=/);
    const priv = csrs.body.variables.find((v) => v.name === 'priv')!;
    expect(priv.value).toBe('1 (S-mode)');
  });

  it('sets a register, reads and writes memory, disassembles with symbols', async () => {
    const stopped = await launchTo(['s_main']);
    const threadId = stopped.body.threadId!;
    const frame = await topFrame(threadId);
    const scopes = await client.scopesRequest({ frameId: frame.id });
    const reference = scopes.body.scopes.find((scope) => scope.name === 'Registers')!.variablesReference;
    const set = await client.setVariableRequest({ variablesReference: reference, name: 't0', value: '0x1234' });
    expect(set.body.value).toBe('0x0000000000001234');
    const rom = await client.customRequest('readMemory', { memoryReference: '0x1000', count: 8 }) as DebugProtocol.ReadMemoryResponse;
    expect(Buffer.from(rom.body!.data!, 'base64').toString('hex')).toBe('9702000013868202');
    const counter = address('locked_counter');
    await client.customRequest('writeMemory', { memoryReference: counter, data: Buffer.from([7, 0, 0, 0]).toString('base64') });
    const back = await client.customRequest('readMemory', { memoryReference: counter, count: 4 }) as DebugProtocol.ReadMemoryResponse;
    expect(Buffer.from(back.body!.data!, 'base64')).toEqual(Buffer.from([7, 0, 0, 0]));
    const code = await client.disassembleRequest({ memoryReference: address('s_main'), instructionCount: 4 });
    const first = code.body!.instructions[0];
    expect(first.address).toBe(address('s_main'));
    expect(first.symbol).toBe('s_main');
    expect(first.instruction).toMatch(/^c\.addi16sp sp,-\d+$/);
  });

  it('steps by instruction, and out of a function to its caller', async () => {
    const stopped = await launchTo(['release']);
    const threadId = stopped.body.threadId!;
    await client.setFunctionBreakpointsRequest({ breakpoints: [] });
    const start = BigInt((await topFrame(threadId)).instructionPointerReference!);
    await Promise.all([client.stepInRequest({ threadId, granularity: 'instruction' }), client.waitForEvent('stopped')]);
    const next = BigInt((await topFrame(threadId)).instructionPointerReference!);
    expect(next === start + 2n || next === start + 4n).toBe(true);
    const [, out] = await Promise.all([client.stepOutRequest({ threadId }), client.waitForEvent('stopped')]);
    expect(out.body.reason).toBe('step');
    expect((await topFrame(threadId)).name).toBe('s_main');
  });

  it('stops at a source line, with frames named and placed, arguments, locals and globals', async () => {
    const main = path.join(ROOT, 'samples', 'minikernel', 'main.c');
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs());
    await initialized;
    // Line 216 is `acquire(&counter_lock);` inside s_main's loop.
    const set = await client.setBreakpointsRequest({ source: { path: main }, breakpoints: [{ line: 216 }] });
    expect(set.body.breakpoints[0]).toMatchObject({ verified: true, line: 216 });
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.configurationDoneRequest();
    const event = await stopped;
    expect(event.body.reason).toBe('breakpoint');
    const trace = await client.stackTraceRequest({ threadId: event.body.threadId! });
    const [top, caller] = trace.body.stackFrames;
    expect(top).toMatchObject({ name: 's_main', line: 216, source: { path: main } });
    expect(caller.name).toMatch(/^(m_boot|secondary\+0x[0-9a-f]+)$/);
    const scopes = await client.scopesRequest({ frameId: top.id });
    const scope = (name: string) => scopes.body.scopes.find((s) => s.name === name)!.variablesReference;
    const args = (await client.variablesRequest({ variablesReference: scope('Arguments') })).body.variables;
    expect(args.map((v) => [v.name, v.value])).toEqual([['hart', String(event.body.threadId! - 1)]]);
    const locals = (await client.variablesRequest({ variablesReference: scope('Locals') })).body.variables;
    expect(locals.find((v) => v.name === 'i')).toMatchObject({ value: '0', type: 'int' });
    const globals = (await client.variablesRequest({ variablesReference: scope('Globals') })).body.variables;
    expect(globals.find((v) => v.name === 'locked_counter')).toMatchObject({ type: 'u32' });
    const lock = globals.find((v) => v.name === 'counter_lock')!;
    expect(lock.variablesReference).toBeGreaterThan(0);
    const members = (await client.variablesRequest({ variablesReference: lock.variablesReference })).body.variables;
    expect(members.map((v) => v.name)).toEqual(['locked']);
    const sources = await client.customRequest('loadedSources', {}) as DebugProtocol.LoadedSourcesResponse;
    expect(sources.body.sources.map((source) => source.name)).toEqual(expect.arrayContaining(['main.c', 'console.c', 'trap.S']));
  });

  it('steps over and into source lines', async () => {
    const main = path.join(ROOT, 'samples', 'minikernel', 'main.c');
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs({ smp: 1 }));
    await initialized;
    await client.setBreakpointsRequest({ source: { path: main }, breakpoints: [{ line: 216 }] });
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.configurationDoneRequest();
    const threadId = (await stopped).body.threadId!;
    expect((await topFrame(threadId)).line).toBe(216); // acquire(&counter_lock);
    await client.setBreakpointsRequest({ source: { path: main }, breakpoints: [] });
    await Promise.all([client.nextRequest({ threadId }), client.waitForEvent('stopped')]);
    expect(await topFrame(threadId)).toMatchObject({ name: 's_main', line: 217 }); // locked_counter++;
    await Promise.all([client.nextRequest({ threadId }), client.waitForEvent('stopped')]);
    expect(await topFrame(threadId)).toMatchObject({ name: 's_main', line: 218 }); // release(&counter_lock);
    await Promise.all([client.stepInRequest({ threadId }), client.waitForEvent('stopped')]);
    const inside = await topFrame(threadId);
    expect(inside.name).toBe('release');
    expect(inside.source?.name).toBe('console.c');
  });

  it('resolves U-mode code against a user program given in symbols (matched by its code bytes)', async () => {
    // The minikernel runs its user program from a second mapping of RAM: link address + 0x80000000.
    const user = path.join(ROOT, 'samples', 'minikernel', 'user.c');
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs({ smp: 1, symbols: [{ file: KERNEL, offset: '0x80000000' }] }));
    await initialized;
    const set = await client.setBreakpointsRequest({ source: { path: user }, breakpoints: [{ line: 16 }] }); // the ecall
    expect(set.body.breakpoints[0]).toMatchObject({ verified: true, line: 16 });
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.configurationDoneRequest();
    const event = await stopped;
    expect(event.body.reason).toBe('breakpoint');
    const top = await topFrame(event.body.threadId!);
    expect(top).toMatchObject({ line: 16, source: { path: user } });
    expect(BigInt(top.instructionPointerReference!) >= 0x1_0000_0000n).toBe(true);
    const scopes = await client.scopesRequest({ frameId: top.id });
    const registers = scopes.body.scopes.find((scope) => scope.name === 'CSRs')!;
    const priv = (await client.variablesRequest({ variablesReference: registers.variablesReference })).body.variables.find((v) => v.name === 'priv');
    expect(priv?.value).toBe('0 (U-mode)');
    const listed = await client.customRequest('lanternSymbols', { pin: 'minikernel.elf' });
    expect(listed.body).toMatchObject({ pinned: 'minikernel.elf', programs: [{ kernel: true }, { kernel: false, offset: '0x80000000' }] });
    await expect(client.customRequest('lanternSymbols', { pin: 'nosuch' })).rejects.toThrow(/no user program nosuch/);
  });

  it('honours hit counts and log points', async () => {
    const main = path.join(ROOT, 'samples', 'minikernel', 'main.c');
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs({ smp: 1 }));
    await initialized;
    // Line 217 (locked_counter++) runs 1000 times: a log point on 216, a stop on the 5th hit of 217.
    const set = await client.setBreakpointsRequest({
      source: { path: main },
      breakpoints: [{ line: 216, logMessage: 'acquire with s3={$s3}' }, { line: 217, hitCondition: '5' }],
    });
    expect(set.body.breakpoints.map((b) => b.verified)).toEqual([true, true]);
    const logs: string[] = [];
    client.on('output', (event: DebugProtocol.OutputEvent) => {
      if (event.body.category === 'console') logs.push(event.body.output);
    });
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.configurationDoneRequest();
    const event = await stopped;
    expect(event.body.reason).toBe('breakpoint');
    expect(await topFrame(event.body.threadId!)).toMatchObject({ line: 217 });
    const counter = await client.customRequest('readMemory', { memoryReference: address('locked_counter'), count: 4 }) as DebugProtocol.ReadMemoryResponse;
    expect(Buffer.from(counter.body!.data!, 'base64').readUInt32LE(0)).toBe(4); // four increments before the 5th hit
    expect(logs).toHaveLength(5);
    expect(logs[0]).toBe(`acquire with s3=${BigInt(address('counter_lock'))}\n`);
  });

  it('evaluates C expressions for hover, watch and the REPL, and assigns', async () => {
    const main = path.join(ROOT, 'samples', 'minikernel', 'main.c');
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs({ smp: 1 }));
    await initialized;
    await client.setBreakpointsRequest({ source: { path: main }, breakpoints: [{ line: 218, condition: 'i == 2' }] });
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.configurationDoneRequest();
    const threadId = (await stopped).body.threadId!;
    const frameId = (await topFrame(threadId)).id;
    const evaluate = async (expression: string, context = 'watch') => (await client.evaluateRequest({ expression, frameId, context })).body;
    expect((await evaluate('i')).result).toBe('2'); // the condition held on the third pass
    expect(await evaluate('locked_counter')).toMatchObject({ result: '3', type: 'u32' });
    expect((await evaluate('hart + 1')).result).toBe('1');
    expect((await evaluate('sizeof(struct trapframe)')).result).toBe('384');
    const lock = await evaluate('counter_lock', 'hover');
    expect(lock.variablesReference).toBeGreaterThan(0);
    const members = (await client.variablesRequest({ variablesReference: lock.variablesReference })).body.variables;
    expect(members).toMatchObject([{ name: 'locked', value: '1', evaluateName: 'counter_lock.locked' }]);
    await expect(client.evaluateRequest({ expression: 'no_such_name', frameId, context: 'watch' })).rejects.toThrow(/no symbol 'no_such_name'/);
    const set = await client.customRequest('setExpression', { expression: 'locked_counter', value: '40', frameId }) as DebugProtocol.SetExpressionResponse;
    expect(set.body.value).toBe('40');
    expect((await evaluate('locked_counter')).result).toBe('40');
    expect((await evaluate('locked_counter = 41', 'repl')).result).toBe('41');
  });

  it('keeps a source breakpoint when a function breakpoint at the same address goes', async () => {
    const consoleC = path.join(ROOT, 'samples', 'minikernel', 'console.c');
    const stopped = await launchTo(['release'], { smp: 1 });
    const threadId = stopped.body.threadId!;
    const line = (await topFrame(threadId)).line;
    await client.setBreakpointsRequest({ source: { path: consoleC }, breakpoints: [{ line }] });
    await client.setFunctionBreakpointsRequest({ breakpoints: [] });
    const [, again] = await Promise.all([client.continueRequest({ threadId }), client.waitForEvent('stopped')]);
    expect(again.body.reason).toBe('breakpoint');
    expect(await topFrame(threadId)).toMatchObject({ name: 'release', line });
  });

  it('stops before a write to a global (data breakpoint) and at a U-mode ecall (exception filter)', async () => {
    const stopped = await launchTo(['s_main']);
    const info = await client.dataBreakpointInfoRequest({ name: 'locked_counter' });
    expect(info.body.dataId).toBe(`${address('locked_counter')}/4`);
    await client.setFunctionBreakpointsRequest({ breakpoints: [] });
    await client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const [, watch] = await Promise.all([client.continueRequest({ threadId: stopped.body.threadId! }), client.waitForEvent('stopped')]);
    expect(watch.body.reason).toBe('data breakpoint');
    await client.setDataBreakpointsRequest({ breakpoints: [] });
    await client.setExceptionBreakpointsRequest({ filters: ['ecall-u'] });
    const [, trap] = await Promise.all([client.continueRequest({ threadId: 1 }), client.waitForEvent('stopped')]);
    expect(trap.body.reason).toBe('exception');
    expect(trap.body.description).toMatch(/Environment call from U-mode/);
    const exception = await client.exceptionInfoRequest({ threadId: trap.body.threadId! });
    expect(exception.body.description).toMatch(/U-mode/);
  });

  it('reports the guest\'s output and its exit', async () => {
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs());
    await initialized;
    const output = client.waitForEvent('output');
    await client.configurationDoneRequest();
    expect((await output).body.output).toMatch(/minikernel/);
    // The kernel waits for a typed line before it powers off: end it from the debugger.
    const terminated = client.waitForEvent('terminated');
    await client.terminateRequest({});
    await terminated;
  });

  it('sends the UART to a terminal as lanternUart events, takes typed input, runs monitor commands', async () => {
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs({ uart: 'terminal' }));
    await initialized;
    let console = '';
    const prompt = new Promise<void>((resolve) => {
      client.on('lanternUart', (event: DebugProtocol.Event) => {
        console += Buffer.from(event.body.data, 'base64').toString('latin1');
        if (console.includes('type a line')) resolve();
      });
    });
    await client.configurationDoneRequest();
    await prompt;
    const exited = client.waitForEvent('exited');
    await client.customRequest('lanternInput', { text: 'hi\r' });
    expect((await exited).body.exitCode).toBe(0);
    expect(console).toContain('uart: got "hi"');
  });

  it('answers lanternMonitor with the monitor\'s output', async () => {
    await launchTo(['s_main']);
    const response = await client.customRequest('lanternMonitor', { command: 'info cpus' });
    expect(response.body.output).toMatch(/^\* CPU #0: pc=0x/m);
    await expect(client.customRequest('lanternNoSuchThing', {})).rejects.toThrow(/unknown request/);
  });

  it('pauses a running machine, continues it, restarts it', async () => {
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch(launchArgs());
    await initialized;
    await client.configurationDoneRequest();
    const [, paused] = await Promise.all([client.pauseRequest({ threadId: 1 }), client.waitForEvent('stopped')]);
    expect(paused.body.reason).toBe('pause');
    expect(paused.body.allThreadsStopped).toBe(true);
    await client.continueRequest({ threadId: 1 });
    await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'm_boot' }] });
    // m_boot runs once per boot: a restart is the only way to reach it again.
    const [, again] = await Promise.all([client.customRequest('restart', {}), client.waitForEvent('stopped')]);
    expect(again.body.reason).toBe('function breakpoint');
    expect((await topFrame(again.body.threadId!)).name).toBe('m_boot');
  });

  it('stops at a page fault with the "Page faults" filter', async () => {
    const stopped = await launchTo(['barrier']);
    const threadId = stopped.body.threadId!;
    await client.setFunctionBreakpointsRequest({ breakpoints: [] });
    await client.setExceptionBreakpointsRequest({ filters: ['pagefault'] });
    // Send the hart to an address no gigapage maps (main.c maps 0, 2 and 4 only).
    const frame = await topFrame(threadId);
    const scopes = await client.scopesRequest({ frameId: frame.id });
    const registers = scopes.body.scopes.find((scope) => scope.name === 'Registers')!.variablesReference;
    await client.setVariableRequest({ variablesReference: registers, name: 'pc', value: '0x40000000' });
    const [, fault] = await Promise.all([client.continueRequest({ threadId }), client.waitForEvent('stopped')]);
    expect(fault.body.reason).toBe('exception');
    expect(fault.body.description).toMatch(/Instruction page fault/);
  });

  it('answers malformed and out-of-order requests with errors, and goes on', async () => {
    await expect(client.stackTraceRequest({ threadId: 1 })).rejects.toThrow(/nothing launched/);
    await expect(client.customRequest('readMemory', { memoryReference: '0x1000', count: 4 })).rejects.toThrow(/nothing launched/);
    const stopped = await launchTo([], { stopOnEntry: true });
    await expect(client.customRequest('readMemory', { memoryReference: 'zzz', count: 4 })).rejects.toThrow(/bad memory reference/);
    await expect(client.evaluateRequest({ expression: 'no_such_thing + 1' })).rejects.toThrow(/cannot evaluate/);
    const empty = await client.variablesRequest({ variablesReference: 987654 });
    expect(empty.body.variables).toEqual([]);
    await expect(client.setVariableRequest({ variablesReference: 987654, name: 'x', value: '1' })).rejects.toThrow(/cannot set/);
    const unverified = await client.setBreakpointsRequest({ source: { path: '/no/such/file.c' }, breakpoints: [{ line: 3 }] });
    expect(unverified.body.breakpoints[0].verified).toBe(false);
    // Still answering: the thread list and a stack trace.
    expect((await client.threadsRequest()).body.threads).toHaveLength(2);
    expect((await topFrame(stopped.body.threadId!)).instructionPointerReference).toBe('0x1000');
  });

  it('saves and restores a snapshot through the monitor, and shows the restored stop', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dap-snap-'));
    process.env.LANTERN_SNAPSHOT_DIR = dir;
    try {
      const stopped = await launchTo(['s_main'], { smp: 1 });
      const threadId = stopped.body.threadId!;
      const saved = await client.customRequest('lanternMonitor', { command: 'savevm before' });
      expect(saved.body.output).not.toMatch(/refused|cannot|error/i);
      await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'release' }] });
      await Promise.all([client.continueRequest({ threadId }), client.waitForEvent('stopped')]);
      expect((await topFrame(threadId)).name).toBe('release');
      const [, restored] = await Promise.all([client.customRequest('lanternMonitor', { command: 'loadvm before' }), client.waitForEvent('stopped')]);
      expect(restored.body.reason).toBe('restore');
      expect((await topFrame(threadId)).name).toBe('s_main');
      const list = await client.customRequest('lanternMonitor', { command: 'info snapshots' });
      expect(list.body.output).toMatch(/^1\s+before\s/m);
    } finally {
      delete process.env.LANTERN_SNAPSHOT_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a launch without a kernel, and a missing one, with one line', async () => {
    await client.initializeRequest();
    await expect(client.launch({})).rejects.toThrow(/give a kernel/);
    await expect(client.launch({ kernel: '/nonexistent/k.elf', bios: 'none' })).rejects.toThrow(/lantern: could not load kernel/);
  });
});

describe('lantern dap on stdio', () => {
  it('answers initialize over stdin/stdout and exits when stdin closes', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'dap'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const body = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'lantern', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let received = '';
    const response = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        // One whole message: the header's length of body after the blank line.
        const header = /^Content-Length: (\d+)\r\n\r\n/.exec(received);
        if (header && Buffer.byteLength(received) >= header[0].length + Number(header[1])) resolve(received);
      });
    });
    expect(response).toMatch(/"success":true/);
    expect(response).toMatch(/"supportsDisassembleRequest":true/);
    child.stdin.end();
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(status).toBe(0);
  });

  it('refuses a bad argument with one line and status 2', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'dap', '--port', 'x'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("lantern: dap: unexpected argument '--port' (usage: lantern dap [--port N [--host H]])\n");
  });
});
