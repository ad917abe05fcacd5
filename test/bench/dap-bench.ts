// The DAP bridge's step latency for `npm run bench`: a DebugClient over a socket steps
// samples/minikernel by instruction; the median time from the stepIn request to its stopped
// event (the goal is under 50 ms).
import type * as net from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { listenDap } from '../../server/src/dap/server';

const STEPS = 500;

export async function dapStepLatency(kernel: string): Promise<number> {
  const server = await listenDap(0);
  const client = new DebugClient('node', '', 'lantern');
  try {
    await client.start((server.address() as net.AddressInfo).port);
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    await client.launch({ kernel, bios: 'none', stopOnEntry: true });
    await initialized;
    const entry = client.waitForEvent('stopped');
    await client.configurationDoneRequest();
    await entry;
    const times: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const started = process.hrtime.bigint();
      const stopped = client.waitForEvent('stopped');
      await client.stepInRequest({ threadId: 1, granularity: 'instruction' });
      await stopped;
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  } finally {
    await client.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
