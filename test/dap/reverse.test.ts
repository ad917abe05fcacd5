// The DAP bridge's reverse execution, driven by the real DebugClient over a socket on
// samples/minikernel's spinlock loop (main.c 215-218): stepBack by line (over calls, out of a
// function, beside another hart in the same loop) and by instruction, reverseContinue to earlier
// breakpoint hits (conditions honoured) and watched writes, the start of history, and the refusal
// when a launch records no history.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { describe, expect, it } from 'vitest';
import { address, MINIKERNEL, useDapServer } from '../support/dap-client';

const MAIN = path.join(MINIKERNEL, 'main.c');
// s_main's loop, run LOCK_ITERATIONS times on each hart:
//   215  for (int i = 0; i < LOCK_ITERATIONS; i++) {
//   216      acquire(&counter_lock);
//   217      locked_counter++;
//   218      release(&counter_lock);
const ACQUIRE = 216;
const INCREMENT = 217;
const RELEASE = 218;
const FOR = 215;

const dap = useDapServer();

/** The current test's client and its session helpers. */
const session = () => dap.test;
const client = () => dap.test.client;

async function evaluate(threadId: number, expression: string): Promise<string> {
  const frameId = (await session().topFrame(threadId)).id;
  return (await client().evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

/** Every integer register and the pc of a thread's hart, by name. */
async function registers(threadId: number): Promise<Record<string, string>> {
  const frameId = (await session().topFrame(threadId)).id;
  const scopes = await client().scopesRequest({ frameId });
  const reference = scopes.body.scopes.find((scope) => scope.name === 'Registers')!.variablesReference;
  const variables = (await client().variablesRequest({ variablesReference: reference })).body.variables;
  return Object.fromEntries(variables.map((variable) => [variable.name, variable.value]));
}

const stepBack = (threadId: number, granularity?: DebugProtocol.SteppingGranularity) =>
  session().stopAfter((c) => c.stepBackRequest({ threadId, granularity }));
const reverseContinue = (threadId: number) => session().stopAfter((c) => c.reverseContinueRequest({ threadId }));

describe('DAP reverse execution', () => {
  it('declares step back', async () => {
    const response = await client().initializeRequest();
    expect(response.body?.supportsStepBack).toBe(true);
  });

  it('steps back by source line to the lines next passed, in reverse order, over calls', async () => {
    const stopped = await session().launchToLines(MAIN, [ACQUIRE], { smp: 1 });
    const threadId = stopped.body.threadId!;
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [] });
    const forward = [await session().topFrame(threadId)];
    for (let i = 0; i < 4; i++) {
      await session().stopAfter((c) => c.nextRequest({ threadId }));
      forward.push(await session().topFrame(threadId));
    }
    expect(forward.map((frame) => frame.line)).toEqual([ACQUIRE, INCREMENT, RELEASE, FOR, ACQUIRE]);
    expect(await evaluate(threadId, 'i')).toBe('1');
    const back: DebugProtocol.StackFrame[] = [];
    for (let i = 0; i < 4; i++) {
      const event = await stepBack(threadId);
      expect(event.body.reason).toBe('step');
      back.push(await session().topFrame(threadId));
    }
    expect(back.map((frame) => frame.line)).toEqual([FOR, RELEASE, INCREMENT, ACQUIRE]);
    // Each at the very instruction next stopped at going forwards (a line's start), in s_main.
    expect(back.map((frame) => frame.instructionPointerReference)).toEqual(forward.slice(0, 4).reverse().map((frame) => frame.instructionPointerReference));
    expect(back.every((frame) => frame.name === 's_main')).toBe(true);
    expect(await evaluate(threadId, 'i')).toBe('0');
  });

  it('steps back through a function\'s lines and out of it, to the start of the line that called it', async () => {
    const consoleC = path.join(MINIKERNEL, 'console.c');
    const stopped = await session().launchToLines(MAIN, [RELEASE], { smp: 1 });
    const threadId = stopped.body.threadId!;
    const call = await session().topFrame(threadId);
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [] });
    await session().stopAfter((c) => c.stepInRequest({ threadId }));
    const entry = await session().topFrame(threadId);
    expect(entry).toMatchObject({ name: 'release', line: 30 });
    await session().stopAfter((c) => c.nextRequest({ threadId }));
    await session().stopAfter((c) => c.nextRequest({ threadId }));
    expect(await session().topFrame(threadId)).toMatchObject({ name: 'release', line: 32 }); // lock->locked = 0;
    await stepBack(threadId);
    expect(await session().topFrame(threadId)).toMatchObject({ name: 'release', line: 31, source: { path: consoleC } });
    await stepBack(threadId);
    expect(await session().topFrame(threadId)).toMatchObject({ name: 'release', line: 30, instructionPointerReference: entry.instructionPointerReference });
    await stepBack(threadId);
    expect(await session().topFrame(threadId)).toMatchObject({ name: 's_main', line: RELEASE, instructionPointerReference: call.instructionPointerReference });
  });

  it('steps back by line on one hart while another runs the same loop', async () => {
    const stopped = await session().launchToLines(MAIN, [INCREMENT], { smp: 2 });
    const threadId = stopped.body.threadId!;
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [] });
    const forward = [await session().topFrame(threadId)];
    for (let i = 0; i < 3; i++) {
      const event = await session().stopAfter((c) => c.nextRequest({ threadId }));
      expect(event.body).toMatchObject({ reason: 'step', threadId });
      forward.push(await session().topFrame(threadId));
    }
    expect(forward.map((frame) => frame.line)).toEqual([INCREMENT, RELEASE, FOR, ACQUIRE]);
    for (let i = 2; i >= 0; i--) {
      const event = await stepBack(threadId);
      expect(event.body).toMatchObject({ reason: 'step', threadId });
      expect(await session().topFrame(threadId)).toMatchObject({ line: forward[i].line, instructionPointerReference: forward[i].instructionPointerReference });
    }
  });

  it('steps back by instruction to the exact registers and memory of each earlier instruction', async () => {
    const stopped = await session().launchToLines(MAIN, [INCREMENT], { smp: 1 });
    const threadId = stopped.body.threadId!;
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [] });
    // lw, addw, sw: locked_counter++.
    const states = [await registers(threadId)];
    for (let i = 0; i < 3; i++) {
      await session().stopAfter((c) => c.stepInRequest({ threadId, granularity: 'instruction' }));
      states.push(await registers(threadId));
    }
    expect(await evaluate(threadId, 'locked_counter')).toBe('1');
    expect(new Set(states.map((state) => state.pc)).size).toBe(4);
    for (let i = 2; i >= 0; i--) {
      const event = await stepBack(threadId, 'instruction');
      expect(event.body.reason).toBe('step');
      expect(await registers(threadId)).toEqual(states[i]);
    }
    expect(await evaluate(threadId, 'locked_counter')).toBe('0');
  });

  it('continues back to the previous hit of a breakpoint, with the values of then', async () => {
    const stopped = await session().launchToLines(MAIN, [INCREMENT], { smp: 1 });
    const threadId = stopped.body.threadId!;
    await session().stopAfter((c) => c.continueRequest({ threadId }));
    await session().stopAfter((c) => c.continueRequest({ threadId }));
    expect(await evaluate(threadId, 'i')).toBe('2');
    for (const i of ['1', '0']) {
      const event = await reverseContinue(threadId);
      expect(event.body.reason).toBe('breakpoint');
      expect(await session().topFrame(threadId)).toMatchObject({ name: 's_main', line: INCREMENT });
      expect(await evaluate(threadId, 'i')).toBe(i);
      expect(await evaluate(threadId, 'locked_counter')).toBe(i);
    }
  });

  it('continues back past the hits whose condition does not hold', async () => {
    const stopped = await session().launchToLines(MAIN, [INCREMENT], { smp: 1 });
    const threadId = stopped.body.threadId!;
    for (let i = 0; i < 3; i++) await session().stopAfter((c) => c.continueRequest({ threadId }));
    expect(await evaluate(threadId, 'i')).toBe('3');
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [{ line: INCREMENT, condition: 'i == 1' }] });
    const event = await reverseContinue(threadId);
    expect(event.body.reason).toBe('breakpoint');
    expect(await evaluate(threadId, 'i')).toBe('1');
  });

  it('continues back to the write of a data breakpoint, showing the line that wrote', async () => {
    // At the second pass's acquire: the first pass's increment is the latest write.
    const stopped = await session().launchToLines(MAIN, [ACQUIRE], { smp: 1 });
    const threadId = stopped.body.threadId!;
    await session().stopAfter((c) => c.continueRequest({ threadId }));
    expect(await evaluate(threadId, 'locked_counter')).toBe('1');
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [] });
    const info = await client().dataBreakpointInfoRequest({ name: 'locked_counter' });
    await client().setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const event = await reverseContinue(threadId);
    expect(event.body.reason).toBe('data breakpoint');
    expect(event.body.text).toBe(`write at ${address('locked_counter')}`);
    expect(await session().topFrame(threadId)).toMatchObject({ name: 's_main', line: INCREMENT });
    expect(await evaluate(threadId, 'locked_counter')).toBe('0');
  });

  it('continues back to the start of history without breakpoints, and forwards again from there', async () => {
    const stopped = await session().launchToLines(MAIN, [RELEASE], { smp: 1 });
    const threadId = stopped.body.threadId!;
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [] });
    const event = await reverseContinue(threadId);
    expect(event.body.reason).toBe('step');
    expect(event.body.description).toBe('Reached the start of history');
    // Forwards from the past: the recorded run again, to the first pass through the loop.
    await client().setBreakpointsRequest({ source: { path: MAIN }, breakpoints: [{ line: RELEASE }] });
    const again = await session().stopAfter((c) => c.continueRequest({ threadId }));
    expect(again.body.reason).toBe('breakpoint');
    expect(await session().topFrame(threadId)).toMatchObject({ name: 's_main', line: RELEASE });
    expect(await evaluate(threadId, 'i')).toBe('0');
  });

  it('refuses to run backwards when the launch turns history off', async () => {
    const capabilities = client().waitForEvent('capabilities') as Promise<DebugProtocol.CapabilitiesEvent>;
    const stopped = await session().launchTo(['s_main'], { smp: 1, history: false });
    expect((await capabilities).body.capabilities.supportsStepBack).toBe(false);
    const threadId = stopped.body.threadId!;
    await expect(client().stepBackRequest({ threadId })).rejects.toThrow(/cannot run backwards/);
    await expect(client().reverseContinueRequest({ threadId })).rejects.toThrow(/cannot run backwards/);
    // Still stopped where it was, and still answering.
    expect((await session().topFrame(threadId)).name).toBe('s_main');
  });
});
