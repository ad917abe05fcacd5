// The VM server's capacity and API costs for `npm run bench`: a VmManager and its ApiServer in
// this process (each VM a worker thread running dist/cli.js), driven by real clients over the
// Unix socket. How many idle VMs (samples/minikernel -smp 1, waiting at its prompt in wfi) start
// within a budget and the RSS each adds; the aggregate MIPS of 1, 2 and 4 busy VMs (-smp 2, whose
// hart 1 spins) with the API's latency meanwhile; 10,000 requests from 5 clients with a few VMs
// running, their latency, and the server's memory before and after them (the server issue).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiServer } from '../../server/src/vmm/api-server';
import { connectToServer, type ServerClient } from '../../server/src/vmm/client';
import { VmManager } from '../../server/src/vmm/manager';

const MIB = 1024 * 1024;
/** Idle VMs: at most this many, started this many at a time, ... */
const IDLE_MAX = 128;
const IDLE_BATCH = 4;
/** ... while their starts take no longer than this and the process's RSS grows by at most half the free memory. */
const IDLE_WALL_MS = 20_000;
/** Busy VMs measured side by side, and how long each count runs for its MIPS. */
const BUSY_COUNTS = [1, 2, 4];
const BUSY_WINDOW_MS = 3000;
/** The load: clients, each sending its requests one after another. */
const CLIENTS = 5;
const REQUESTS_PER_CLIENT = 2000;
/** What the minikernel prints once it waits for a typed line (then hart 0 sleeps in wfi; with
 * -smp 2, hart 1 spins from there on). */
const PROMPT = 'uart: type a line';

export interface MemoryUse {
  rssMib: number;
  heapMib: number;
}

export interface ServerCosts {
  /** `limit` says what ended the starts; `cpuPercent` is the process's CPU time (of one core) with all of them waiting. */
  idle: { vms: number; seconds: number; rssMib: number; perVmMib: number; limit: string; cpuPercent: number };
  /** Aggregate MIPS of `vms` busy VMs, and the API's inspect round trips meanwhile. */
  busy: { vms: number; mips: number; apiP50Ms: number; apiMaxMs: number }[];
  load: { vms: string; requests: number; clients: number; p50Ms: number; p99Ms: number; perSecond: number };
  /** `collected`: measured after a full GC (node --expose-gc, as the bench script runs). */
  memory: { before: MemoryUse; after: MemoryUse; requests: number; collected: boolean };
}

const vmArgs = (kernel: string, smp: number) => ['-M', 'virt', '-m', '32M', '-bios', 'none', '-nographic', '-smp', String(smp), '-kernel', kernel];

function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function memoryUse(): MemoryUse {
  // --expose-gc (the bench script's): collect twice so what is left is what the server holds.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const use = process.memoryUsage();
  return { rssMib: use.rss / MIB, heapMib: use.heapUsed / MIB };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every VM in `names` has printed the prompt (its console polled through the API). */
async function waitForPrompts(client: ServerClient, names: readonly string[], ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  const waiting = new Set(names);
  while (waiting.size > 0) {
    for (const name of [...waiting]) {
      const { text } = await client.request({ op: 'console-read', name, from: 0 });
      if (text.includes(PROMPT)) waiting.delete(name);
    }
    if (waiting.size === 0) return;
    if (Date.now() > deadline) throw new Error(`server bench: no prompt from ${[...waiting].join(', ')} within ${ms / 1000} s`);
    await sleep(20);
  }
}

async function startVms(client: ServerClient, names: readonly string[], args: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => client.request({ op: 'create', name, args, start: true })));
  await waitForPrompts(client, names);
}

async function deleteVms(client: ServerClient, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => client.request({ op: 'delete', name })));
}

/** Idle VMs started in batches until IDLE_MAX, the wall budget or the RSS ceiling; all but `keep` deleted after. */
async function idleVms(client: ServerClient, kernel: string, keep: number): Promise<{ costs: ServerCosts['idle']; kept: string[] }> {
  const before = memoryUse().rssMib;
  const ceiling = before + os.freemem() / MIB / 2;
  const names: string[] = [];
  let limit = `the bench's cap of ${IDLE_MAX}`;
  let rssMib = before;
  const started = process.hrtime.bigint();
  while (names.length < IDLE_MAX) {
    if (elapsedMs(started) > IDLE_WALL_MS) { limit = `the ${IDLE_WALL_MS / 1000} s budget`; break; }
    if (rssMib > ceiling) { limit = 'half the free memory'; break; }
    const batch = Array.from({ length: Math.min(IDLE_BATCH, IDLE_MAX - names.length) }, (_, i) => `idle-${names.length + i}`);
    await startVms(client, batch, vmArgs(kernel, 1));
    names.push(...batch);
    rssMib = process.memoryUsage().rss / MIB;
  }
  const seconds = elapsedMs(started) / 1000;
  rssMib = memoryUse().rssMib;
  const cpu = process.cpuUsage();
  const idleSince = process.hrtime.bigint();
  await sleep(1000);
  const used = process.cpuUsage(cpu);
  const cpuPercent = ((used.user + used.system) / 1000 / elapsedMs(idleSince)) * 100;
  await deleteVms(client, names.slice(keep));
  return { costs: { vms: names.length, seconds, rssMib, perVmMib: (rssMib - before) / names.length, limit, cpuPercent }, kept: names.slice(0, keep) };
}

async function stepsOf(client: ServerClient, names: readonly string[]): Promise<bigint> {
  const infos = await client.request({ op: 'list' });
  let sum = 0n;
  for (const info of infos) if (names.includes(info.name)) sum += BigInt(info.steps ?? '0');
  return sum;
}

/** Busy VMs added up to each count (beside the idle ones kept); their step counts' growth over
 * BUSY_WINDOW_MS, and meanwhile an inspect request every 5 ms, timed. */
async function busyVms(client: ServerClient, kernel: string): Promise<{ costs: ServerCosts['busy']; names: string[] }> {
  const names: string[] = [];
  const costs: ServerCosts['busy'] = [];
  for (const count of BUSY_COUNTS) {
    const added = Array.from({ length: count - names.length }, (_, i) => `busy-${names.length + i}`);
    await startVms(client, added, vmArgs(kernel, 2));
    names.push(...added);
    // The step counts come from each worker's status, sent every STATUS_INTERVAL_MS (100 ms):
    // over a 3 s window their staleness at either end costs about 1%.
    const firstSteps = await stepsOf(client, names);
    const first = process.hrtime.bigint();
    const latencies: number[] = [];
    while (elapsedMs(first) < BUSY_WINDOW_MS) {
      const sent = process.hrtime.bigint();
      await client.request({ op: 'inspect', name: names[latencies.length % names.length] });
      latencies.push(elapsedMs(sent));
      await sleep(5);
    }
    const steps = (await stepsOf(client, names)) - firstSteps;
    if (steps <= 0n) throw new Error(`server bench: ${count} busy VM(s) ran no steps`);
    latencies.sort((a, b) => a - b);
    costs.push({ vms: count, mips: Number(steps) / (elapsedMs(first) / 1000) / 1e6, apiP50Ms: percentile(latencies, 0.5), apiMaxMs: latencies[latencies.length - 1] });
  }
  return { costs, names };
}

/** CLIENTS clients over their own connections, REQUESTS_PER_CLIENT each: list, inspect and console-read in turn. */
async function load(socket: string, names: readonly string[]): Promise<Omit<ServerCosts['load'], 'vms'>> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connectToServer({ path: socket })));
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(clients.map(async (client, c) => {
    for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
      const name = names[(c + i) % names.length];
      const sent = process.hrtime.bigint();
      switch (i % 3) {
        case 0: await client.request({ op: 'list' }); break;
        case 1: await client.request({ op: 'inspect', name }); break;
        default: await client.request({ op: 'console-read', name, from: 0 }); break;
      }
      latencies.push(elapsedMs(sent));
    }
  }));
  const seconds = elapsedMs(started) / 1000;
  await Promise.all(clients.map((client) => client.close()));
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, clients: CLIENTS, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), perSecond: latencies.length / seconds };
}

/** The whole server bench on `minikernel`, the VMs' workers running `cli` (dist/cli.js); every
 * VM and the server are shut down before it returns. */
export async function serverCosts(minikernel: string, cli: string): Promise<ServerCosts> {
  if (!fs.existsSync(cli)) throw new Error(`server bench: ${cli} (the VMs' worker) is missing: npm run build`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-server-bench-'));
  const notices: string[] = [];
  const manager = new VmManager({ workerScript: cli, log: (line) => notices.push(line) });
  const server = await ApiServer.listen({ controller: manager, socket: path.join(dir, 'server.sock'), log: (line) => notices.push(line) });
  let client: ServerClient | undefined;
  try {
    client = await connectToServer({ path: server.socketPath });
    const idle = await idleVms(client, minikernel, 3);
    const busy = await busyVms(client, minikernel);
    // The load runs beside three idle VMs and one busy one (the others stopped).
    await deleteVms(client, busy.names.slice(1));
    const running = [...idle.kept, busy.names[0]];
    const before = memoryUse();
    const costs = await load(server.socketPath, running);
    const after = memoryUse();
    return {
      idle: idle.costs,
      busy: busy.costs,
      load: { vms: `${idle.kept.length} idle VMs and 1 busy`, ...costs },
      memory: { before, after, requests: costs.requests, collected: typeof (globalThis as { gc?: unknown }).gc === 'function' },
    };
  } catch (error) {
    if (notices.length > 0) process.stderr.write(`${notices.join('\n')}\n`);
    throw error;
  } finally {
    await client?.close();
    // Stops every VM (their workers end) and the listener.
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
