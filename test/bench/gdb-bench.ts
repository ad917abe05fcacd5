// The GDB stub's costs for `npm run bench`: the median `stepi` round trip (vCont;s, as gdb
// sends it, to the stop reply) and the time to read 1 MiB of guest memory through `m` packets,
// against Lantern's stub and, where installed, QEMU's, on samples/minikernel held at reset.
import { spawn, type ChildProcess } from 'node:child_process';
import { GdbServer } from '../../gdbstub';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { Machine } from '../../server/src/machine/machine';
import { RspClient } from '../support/rsp-client';
import { freePort } from '../support/free-port';

const STEPS = 2000;
const MIB = 1 << 20;

export interface StubCosts {
  /** Median wall time of one step, request to stop reply, in ms. */
  readonly stepMs: number;
  /** Seconds to read 1 MiB of RAM with `m` packets as large as the stub's PacketSize allows. */
  readonly mibSeconds: number;
}

/** Steps and reads through an RSP connection to a stub holding minikernel at reset. */
async function measure(client: RspClient): Promise<StubCosts> {
  const supported = await client.request('qSupported:swbreak+;hwbreak+;vContSupported+');
  const packetSize = parseInt(/PacketSize=([0-9a-fA-F]+)/.exec(supported)?.[1] ?? '400', 16);
  await client.noAck();
  await client.request('?');
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const started = process.hrtime.bigint();
    const reply = await client.request('vCont;s:1');
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!reply.startsWith('T')) throw new Error(`step ${i}: unexpected reply ${reply}`);
  }
  times.sort((a, b) => a - b);
  // A reply carries two hex digits a byte plus the framing: read as much as fits.
  const chunk = Math.floor((packetSize - 8) / 2);
  const started = process.hrtime.bigint();
  let read = 0;
  while (read < MIB) {
    const length = Math.min(chunk, MIB - read);
    const reply = await client.request(`m${(0x8000_0000 + read).toString(16)},${length.toString(16)}`);
    if (reply.length !== length * 2) throw new Error(`m at +${read}: ${reply.slice(0, 20)}`);
    read += length;
  }
  const mibSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { stepMs: times[times.length >> 1], mibSeconds };
}

export async function lanternStubCosts(kernel: string): Promise<StubCosts> {
  const machine = new Machine({
    board: 'virt', ramSize: 128 << 20, kernel, bios: 'none', icountShift: 3, startHalted: true, console: { write() {} },
  });
  const target = new MachineDebugTarget(machine);
  const server = new GdbServer(target);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const done = machine.run();
  const client = await RspClient.connect(port!);
  try {
    return await measure(client);
  } finally {
    client.close();
    target.kill();
    await done;
    await server.close();
  }
}


async function connectWhenUp(port: number, qemu: ChildProcess): Promise<RspClient> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (qemu.exitCode !== null) throw new Error('qemu exited');
    try {
      return await RspClient.connect(port);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('qemu\'s gdb stub did not come up');
}

/** The same against QEMU's stub (-S -gdb, -icount shift=3); undefined when QEMU is not installed. */
export async function qemuStubCosts(kernel: string): Promise<StubCosts | undefined> {
  const port = await freePort();
  const qemu = spawn('qemu-system-riscv64', [
    '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-icount', 'shift=3',
    '-S', '-gdb', `tcp:127.0.0.1:${port}`, '-kernel', kernel,
  ], { stdio: 'ignore' });
  const started = await new Promise<boolean>((resolve) => {
    qemu.once('error', () => resolve(false));
    qemu.once('spawn', () => resolve(true));
  });
  if (!started) return undefined;
  try {
    const client = await connectWhenUp(port, qemu);
    try {
      return await measure(client);
    } finally {
      client.close();
    }
  } finally {
    qemu.kill('SIGKILL');
  }
}
