// A process of its own for the snapshot tests (bundled with esbuild, run with node): builds a
// Machine from QEMU-style arguments as the CLI does, then
//   save-run: runs to step `saveAt`, saves `file`, runs on to `until` and prints the state;
//   load-run: loads `file` into the freshly built machine, runs to `until` and prints the state;
//   save:     runs to `saveAt` and saves `file` (with LANTERN_SNAPSHOT_TEST_KILL_AFTER: killed mid-save);
//   clone-run: builds the machine as `lantern clone file ARGS` does (from the snapshot's record),
//             loads `file`, runs to `until` and prints the state.
// The state printed (one JSON line) is every register and CSR of every hart (through the
// DebugTarget), each hart's whole state block, device registers (side-effect-free peeks over the
// memory map), a hash of RAM, each disk's blocks as the guest sees them (through its overlay),
// the clock, and the console output after the save point.
import { createHash } from 'node:crypto';
import { parseCloneArguments } from '../../server/src/cli/clone';
import { machineFromOptions } from '../../server/src/cli/machine-options';
import { parseArguments } from '../../server/src/cli/options';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import type { Machine } from '../../server/src/machine/machine';
import { loadSnapshot, saveSnapshot } from '../../server/src/snapshot/machine-snapshot';

interface Request {
  mode: 'save-run' | 'load-run' | 'save' | 'clone-run';
  args: string[];
  file: string;
  saveAt?: string;
  until?: string;
}

const request = JSON.parse(process.argv[2]) as Request;
let output: number[] = [];
const invocation = request.mode === 'clone-run'
  ? { kind: 'run' as const, options: parseCloneArguments([request.file, ...request.args]) }
  : parseArguments(request.args);
if (invocation.kind !== 'run') throw new Error('not a run');
const { machine } = machineFromOptions({ ...invocation.options, startHalted: true }, {
  console: { write: (byte) => output.push(byte) }, cwd: process.cwd(),
});

/** Runs until the clock reaches `step`. */
function runTo(step: bigint): Promise<void> {
  return new Promise((resolve, reject) => {
    machine.onDebugHalt = (halt) => (halt.kind === 'paused' && machine.core.clockSteps === step ? resolve() : reject(new Error(`stopped: ${JSON.stringify(halt, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`)));
    machine.pauseAtStep(step);
    machine.debugResume({ kind: 'continue' });
  });
}

function peekRegions(m: Machine, harts: number): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const peek = (name: string, addr: number, size: number) => {
    let value: bigint | number | undefined;
    try {
      value = m.bus.peek(addr, size);
    } catch {
      value = undefined;
    }
    out[`${name}+0x${addr.toString(16)}`] = value === undefined ? null : BigInt(value).toString(16);
  };
  for (const region of m.memoryMap) {
    const base = Number(region.base);
    switch (region.kind) {
      case 'uart16550': for (let i = 0; i < 8; i++) peek(region.name, base + i, 1); break;
      case 'goldfish-rtc': for (let i = 0; i < 0x24; i += 4) peek(region.name, base + i, 4); break;
      case 'virtio-mmio': for (let i = 0; i < 0x100; i += 4) peek(region.name, base + i, 4); break;
      case 'clint':
        for (let h = 0; h < harts; h++) {
          peek(region.name, base + 4 * h, 4);
          peek(region.name, base + 0x4000 + 8 * h, 8);
        }
        peek(region.name, base + 0xbff8, 8);
        break;
      case 'plic':
        for (let i = 0; i < 0x180; i += 4) peek(region.name, base + i, 4);
        for (let i = 0; i < 0x10; i += 4) peek(region.name, base + 0x1000 + i, 4);
        for (let c = 0; c < 2 * harts; c++) {
          for (let i = 0; i < 0x10; i += 4) peek(region.name, base + 0x2000 + 0x80 * c + i, 4);
          peek(region.name, base + 0x20_0000 + 0x1000 * c, 4);
          peek(region.name, base + 0x20_0000 + 0x1000 * c + 4, 4);
        }
        break;
      default: break;
    }
  }
  return out;
}

function dump(): string {
  const target = new MachineDebugTarget(machine);
  const harts = machine.harts.count;
  const registers: Record<string, string | null>[] = [];
  for (let hart = 0; hart < harts; hart++) {
    const values: Record<string, string | null> = {};
    for (const r of target.registers) values[r.name] = target.readRegister(hart, r.number)?.toString(16) ?? null;
    registers.push(values);
  }
  const blocks = machine.harts.saveState().blocks;
  return JSON.stringify({
    clock: machine.core.clockSteps.toString(),
    activeHart: machine.harts.active,
    registers,
    hartBlocks: createHash('sha256').update(blocks).digest('hex'),
    devices: peekRegions(machine, harts),
    ram: createHash('sha256').update(machine.core.ram).digest('hex'),
    disks: machine.attachedDisks().map((disk) => {
      const blocks = new Uint8Array(disk.size);
      if (!disk.read(0, blocks)) throw new Error(`cannot read ${disk.name}`);
      return { name: disk.name, sha256: createHash('sha256').update(blocks).digest('hex') };
    }),
    output: Buffer.from(output).toString('latin1'),
  });
}

async function main(): Promise<void> {
  const running = machine.run();
  if (request.mode === 'load-run' || request.mode === 'clone-run') {
    loadSnapshot(machine, request.file);
  } else {
    await runTo(BigInt(request.saveAt!));
    saveSnapshot(machine, request.file, 'test');
    if (request.mode === 'save') {
      machine.stop(0);
      await running;
      return;
    }
  }
  output = [];
  await runTo(BigInt(request.until!));
  process.stdout.write(`${dump()}\n`);
  machine.stop(0);
  await running;
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(3);
});
