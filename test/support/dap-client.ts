// The DAP bridge's tests' harness: the adapter listening on a port for a test file, a real
// DebugClient (@vscode/debugadapter-testsupport) connected afresh for each test, and launches of
// samples/minikernel stopped at a first breakpoint.
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { listenDap } from '../../server/src/dap/server';
import { parseElf } from '../../server/src/machine/elf';

export const ROOT = path.join(__dirname, '..', '..');
export const MINIKERNEL = path.join(ROOT, 'samples', 'minikernel');
export const KERNEL = path.join(MINIKERNEL, 'minikernel.elf');

const symbols = parseElf(fs.readFileSync(KERNEL), KERNEL).symbols!;
/** A minikernel symbol's address as DAP spells memory references: `0x…`. */
export const address = (name: string): string => `0x${symbols.lookup(name)!.value.toString(16)}`;

/** The minikernel on two harts (`extra` adds to or overrides the launch's arguments). */
export const launchArgs = (extra: object = {}): object => ({ kernel: KERNEL, bios: 'none', smp: 2, ...extra });

/** A test's session with the adapter: its client, and the steps most tests begin with. */
export class DapTest {
  constructor(readonly client: DebugClient) {}

  /** Launches, sets function breakpoints, finishes configuration and waits for the first stop. */
  async launchTo(functions: string[], extra: object = {}): Promise<DebugProtocol.StoppedEvent> {
    await this.launch(extra);
    await this.client.setFunctionBreakpointsRequest({ breakpoints: functions.map((name) => ({ name })) });
    return this.configure();
  }

  /** Launches with breakpoints on `lines` of the source `file` and waits for the first stop. */
  async launchToLines(file: string, lines: number[], extra: object = {}): Promise<DebugProtocol.StoppedEvent> {
    await this.launch(extra);
    await this.client.setBreakpointsRequest({ source: { path: file }, breakpoints: lines.map((line) => ({ line })) });
    return this.configure();
  }

  /** initialize and launch, up to the initialized event (the moment for breakpoints). */
  async launch(extra: object = {}): Promise<void> {
    const initialized = this.client.waitForEvent('initialized');
    await this.client.initializeRequest();
    await this.client.launch(launchArgs(extra));
    await initialized;
  }

  /** configurationDone, and the stop that follows. */
  configure(): Promise<DebugProtocol.StoppedEvent> {
    const stopped = this.client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    return this.client.configurationDoneRequest().then(() => stopped);
  }

  /** Sends a request that resumes the machine (continue, next, stepBack, ...) and waits for its stop. */
  async stopAfter(send: (client: DebugClient) => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = this.client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await send(this.client);
    return stopped;
  }

  async topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
    const trace = await this.client.stackTraceRequest({ threadId });
    return trace.body.stackFrames[0];
  }
}

/**
 * Starts the adapter on a free port for the calling file's tests, and before each test connects
 * a new client (stopped after it): `dap.test` is the current test's.
 */
export function useDapServer(): { readonly test: DapTest } {
  let server: net.Server;
  let port: number;
  const current = { test: undefined as unknown as DapTest };
  beforeAll(async () => {
    server = await listenDap(0);
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    const client = new DebugClient('node', '', 'lantern');
    client.defaultTimeout = 20_000;
    await client.start(port);
    current.test = new DapTest(client);
  });
  afterEach(async () => {
    await current.test.client.stop();
  });
  return current;
}
