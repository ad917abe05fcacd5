// `npm run bench`: runs the U-mode Sv39 benchmark guest (timer interrupts on) under Lantern,
// plainly and with a breakpoint set elsewhere, and under QEMU where installed; then the FP
// guest under both, whose checksums must agree bit for bit; prints MIPS. Then the GDB stub's
// step round trip and memory-read rate beside QEMU's (gdb-bench.ts), and the DAP bridge's
// step latency (dap-bench.ts), snapshot save/load times and size (snapshot-bench.ts), and the
// time-travel costs: history overhead and reverse-stepi latency (history-bench.ts), and the VM
// server's: how many idle and busy VMs it holds, its API's latency under load and its memory
// before and after 10,000 requests (server-bench.ts). Then, when
// samples/linux/build.sh has built the Linux guest, its time to init's greeting at -smp 1
// and 2 under Lantern's CLI and under QEMU, and the user-mode network's TCP throughput both
// ways and ICMP round trip, measured by the guest's nettool under both (net-bench.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../server/src/machine/machine';
import { dapStepLatency } from './dap-bench';
import { lanternStubCosts, qemuStubCosts } from './gdb-bench';
import { historyCosts } from './history-bench';
import { PING_COUNT, TRANSFER_BYTES, TRANSFER_RUNS, megabytesPerSecond, netArgs, netCosts, type NetCosts } from './net-bench';
import { serverCosts } from './server-bench';
import { snapshotCosts } from './snapshot-bench';
import { hasTool } from '../support/guest-tools';
import { CLI, FW_JUMP, GREETING, IMAGE, INITRAMFS, QEMU, boot, haveGuest } from '../linux/guest';

/** The package root: the nearest folder above this file (or its bundle in dist/) with package.json. */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('package.json not found');
  }
}

const root = packageRoot(__dirname);
const guest = path.join(root, 'test', 'bench', 'guest', 'bench.elf');
const fpGuest = path.join(root, 'test', 'bench', 'guest-fp', 'bench-fp.elf');
const hello = path.join(root, 'samples', 'hello', 'hello.elf');
const minikernel = path.join(root, 'samples', 'minikernel', 'minikernel.elf');
const RAM = 128 * 1024 * 1024;

interface LanternRun {
  steps: bigint;
  seconds: number;
  output: string;
}

async function runLantern(kernel: string, breakpointSymbol?: string): Promise<LanternRun> {
  let output = '';
  const machine = new Machine({
    board: 'virt',
    ramSize: RAM,
    kernel,
    bios: 'none',
    icountShift: 3,
    console: { write: (byte: number) => { output += String.fromCharCode(byte); } },
  });
  if (breakpointSymbol) {
    const symbol = machine.symbols?.lookup(breakpointSymbol);
    if (!symbol) throw new Error(`${path.basename(kernel)} has no symbol ${breakpointSymbol}`);
    machine.core.setBreakpoints([symbol.value]);
  }
  const started = process.hrtime.bigint();
  const status = await machine.run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status !== 0) throw new Error(`${path.basename(kernel)} exited with status ${status}: ${output}`);
  if (checksumOf(output) === undefined) throw new Error(`${path.basename(kernel)} printed no result: ${output}`);
  // mcycle counts every step of the hart (instructions retired and traps taken).
  return { steps: machine.core.readCsr(0xb00) ?? 0n, seconds, output: output.trim() };
}

/** Wall time of a QEMU run, or undefined when qemu-system-riscv64 is not installed. */
function timeQemu(kernel: string): { seconds: number; output: string } | undefined {
  const started = process.hrtime.bigint();
  const result = spawnSync('qemu-system-riscv64', ['-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', kernel], {
    encoding: 'latin1', timeout: 60_000,
  });
  if (result.error) return undefined;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`QEMU exited with ${result.status}: ${result.stderr}`);
  return { seconds, output: result.stdout.trim() };
}

function mips(steps: bigint, seconds: number): number {
  return Number(steps) / seconds / 1e6;
}

/** The guest's result, `bench: checksum=0x…` (the ticks after it depend on the host's speed). */
function checksumOf(output: string): string | undefined {
  return /bench: checksum=(0x[0-9a-f]+)/.exec(output)?.[1];
}

/** QEMU's MIPS on a guest that retires `steps` under Lantern, less QEMU's start-up time. */
function qemuMips(steps: bigint, run: { seconds: number }, startup: { seconds: number }): { seconds: number; mips: number } {
  const seconds = Math.max(run.seconds - startup.seconds, 1e-3);
  return { seconds, mips: mips(steps, seconds) };
}

async function main(): Promise<void> {
  // `npm run bench -- net` (or linux): that section alone.
  const only = process.argv[2];
  if (only === 'net') return linuxNetwork();
  if (only === 'linux') return linuxToGreeting();
  if (only !== undefined) throw new Error(`bench: unknown section '${only}' (net or linux, or none for all)`);
  console.log(`guest: ${path.relative(root, guest)} (U-mode under Sv39, 1 ms timer interrupts)`);
  const plain = await runLantern(guest);
  const plainMips = mips(plain.steps, plain.seconds);
  console.log(`lantern            ${plain.steps} steps  ${plain.seconds.toFixed(3)} s  ${plainMips.toFixed(1)} MIPS   (${plain.output})`);
  const withBreakpoint = await runLantern(guest, 'bench_breakpoint_target');
  const breakpointMips = mips(withBreakpoint.steps, withBreakpoint.seconds);
  const cost = (withBreakpoint.seconds / plain.seconds - 1) * 100;
  console.log(`lantern+breakpoint ${withBreakpoint.steps} steps  ${withBreakpoint.seconds.toFixed(3)} s  ${breakpointMips.toFixed(1)} MIPS   (breakpoint cost ${cost.toFixed(1)}%)`);
  const startup = timeQemu(hello);
  const qemu = timeQemu(guest);
  if (startup && qemu) {
    // The same guest retires the same instructions under QEMU (its output matches, and its
    // -icount runs count the same ticks); QEMU's start-up time (hello) is subtracted.
    const q = qemuMips(plain.steps, qemu, startup);
    console.log(`qemu (TCG)         ${plain.steps} steps  ${q.seconds.toFixed(3)} s  ${q.mips.toFixed(1)} MIPS   (${qemu.output})`);
    console.log(`ratio lantern/qemu: ${(plainMips / q.mips).toFixed(3)} (QEMU is ${(q.mips / plainMips).toFixed(1)}x faster)`);
  } else {
    console.log('qemu-system-riscv64 not installed: no comparison');
  }

  console.log(`guest: ${path.relative(root, fpGuest)} (the same, with an F/D workload: n-body, LU, matmul, saxpy, Mandelbrot, ...)`);
  const fp = await runLantern(fpGuest);
  const fpMips = mips(fp.steps, fp.seconds);
  console.log(`lantern            ${fp.steps} steps  ${fp.seconds.toFixed(3)} s  ${fpMips.toFixed(1)} MIPS   (${fp.output})`);
  const fpQemu = startup ? timeQemu(fpGuest) : undefined;
  let fpRatio = 'n/a (qemu-system-riscv64 not installed)';
  if (startup && fpQemu) {
    const q = qemuMips(fp.steps, fpQemu, startup);
    console.log(`qemu (TCG)         ${fp.steps} steps  ${q.seconds.toFixed(3)} s  ${q.mips.toFixed(1)} MIPS   (${fpQemu.output})`);
    // The checksum covers the raw bits of every FP result and the fflags each kernel raised.
    if (checksumOf(fp.output) !== checksumOf(fpQemu.output)) {
      throw new Error(`FP guest checksums differ: lantern ${checksumOf(fp.output)}, qemu ${checksumOf(fpQemu.output)}`);
    }
    fpRatio = `${(fpMips / q.mips).toFixed(3)} (QEMU is ${(q.mips / fpMips).toFixed(1)}x faster)`;
  }
  console.log(`FP MIPS: ${fpMips.toFixed(1)}`);
  console.log(`FP ratio lantern/qemu: ${fpRatio}`);
  console.log(`MIPS: ${plainMips.toFixed(1)}`);

  console.log(`gdb stub: ${path.relative(root, minikernel)} held at reset; stepi = vCont;s to the stop reply, reads = m packets from 0x80000000`);
  const stub = await lanternStubCosts(minikernel);
  console.log(`lantern            stepi median ${stub.stepMs.toFixed(3)} ms   1 MiB read ${stub.mibSeconds.toFixed(3)} s   (goals: < 5 ms, < 0.5 s)`);
  const qemuStub = await qemuStubCosts(minikernel);
  if (qemuStub) console.log(`qemu               stepi median ${qemuStub.stepMs.toFixed(3)} ms   1 MiB read ${qemuStub.mibSeconds.toFixed(3)} s`);
  else console.log('qemu-system-riscv64 not installed: no comparison');
  const dapStep = await dapStepLatency(minikernel);
  console.log(`dap bridge         step median ${dapStep.toFixed(3)} ms (stepIn request to the stopped event over a socket; goal: < 50 ms)`);

  console.log(`snapshots: ${path.relative(root, minikernel)} -smp 2 -m 128M after 20 M steps; save = capture + encode + atomic write, load = read + check + restore into a fresh machine`);
  const snap = await snapshotCosts(minikernel);
  const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(2);
  for (const [label, cost] of [['booted', snap.booted], ['64 MiB random', snap.filled]] as const) {
    console.log(`${label.padEnd(18)} save ${cost.saveSeconds.toFixed(3)} s   load ${cost.loadSeconds.toFixed(3)} s   file ${mib(cost.bytes)} MiB   (goals: save <= 0.5 s, load <= 0.3 s)`);
  }

  console.log(`time travel: ${path.relative(root, guest)} with history recorded (overhead); ${path.relative(root, minikernel)} -smp 2 -m 128M, hart 1 reverse-stepi after N steps`);
  const history = await historyCosts(guest, minikernel);
  const overhead = (history.historySeconds / history.plainSeconds - 1) * 100;
  console.log(`history overhead   ${history.plainSeconds.toFixed(3)} s plain, ${history.historySeconds.toFixed(3)} s recording (${overhead.toFixed(1)}%, ${history.checkpoints} checkpoints, ${history.mib.toFixed(1)} MiB; goal: <= 10%)`);
  for (const run of history.reverse) {
    console.log(`reverse-stepi      after ${run.steps} steps: median ${run.medianMs.toFixed(1)} ms   (${run.checkpoints} checkpoints, ${run.mib.toFixed(1)} MiB; goal: <= 50 ms)`);
  }

  console.log(`vm server: ${path.relative(root, minikernel)} -m 32M VMs in worker threads (${path.relative(root, CLI)}), driven over the API's Unix socket`);
  const server = await serverCosts(minikernel, CLI);
  const { idle, busy, load, memory } = server;
  console.log(`idle VMs           ${idle.vms} started in ${idle.seconds.toFixed(1)} s (-smp 1, each waiting at its prompt; stopped by ${idle.limit}), RSS ${idle.rssMib.toFixed(0)} MiB (+${idle.perVmMib.toFixed(1)} MiB each), CPU ${idle.cpuPercent.toFixed(0)}% of a core with all waiting`);
  const ms = (value: number) => value.toFixed(value < 10 ? 2 : 0);
  console.log(`busy VMs           ${busy.map((run) => `${run.vms}: ${run.mips.toFixed(0)} MIPS`).join('   ')}   (-smp 2, hart 1 spinning; ${os.availableParallelism()} cores; inspect p50 ${busy.map((run) => ms(run.apiP50Ms)).join('/')} ms, max ${busy.map((run) => ms(run.apiMaxMs)).join('/')} ms meanwhile)`);
  console.log(`api under load     ${load.requests} requests (list, inspect, console-read) from ${load.clients} clients beside ${load.vms}: p50 ${ms(load.p50Ms)} ms, p99 ${ms(load.p99Ms)} ms, ${load.perSecond.toFixed(0)} req/s`);
  const use = (at: typeof memory.before) => `${at.rssMib.toFixed(0)} MiB RSS / ${at.heapMib.toFixed(1)} MiB heap`;
  console.log(`server memory      before ${use(memory.before)}, after ${memory.requests.toLocaleString('en-US')} requests ${use(memory.after)}   (${memory.collected ? 'after a full GC' : 'no GC: run node with --expose-gc'}; this process's, VMs included)`);

  await linuxToGreeting();
  await linuxNetwork();
}

/** Wall time from start to init's greeting of samples/linux's Image + initramfs after fw_jump. */
async function linuxToGreeting(): Promise<void> {
  if (!haveGuest()) {
    console.log('linux: no guest in samples/linux/build/ (bash samples/linux/build.sh): skipped');
    return;
  }
  console.log(`linux: ${path.relative(root, IMAGE)} + initramfs after OpenSBI fw_jump, -m 256M; seconds to "${GREETING}"`);
  for (const smp of [1, 2]) {
    const args = ['-M', 'virt', '-m', '256M', '-smp', String(smp), '-nographic', '-bios', FW_JUMP, '-kernel', IMAGE, '-initrd', INITRAMFS, '-append', 'console=ttyS0'];
    const ours = await boot(process.execPath, [CLI, ...args], 600_000, { untilGreeting: true });
    const theirs = hasTool(QEMU) ? await boot(QEMU, args, 120_000, { untilGreeting: true }) : undefined;
    const show = (seconds: number | undefined) => (seconds === undefined ? 'no greeting' : `${seconds.toFixed(2)} s`);
    const ratio = ours.greetingSeconds && theirs?.greetingSeconds ? `   (QEMU is ${(ours.greetingSeconds / theirs.greetingSeconds).toFixed(1)}x faster)` : '';
    console.log(`linux -smp ${smp}       lantern ${show(ours.greetingSeconds)}   qemu ${theirs ? show(theirs.greetingSeconds) : 'n/a (not installed)'}${ratio}`);
  }
  // Time travel's cost on a boot that writes much of its RAM: with the GDB stub open (no
  // debugger attached), history recorded or not; best of 3 each, alternating.
  const args = ['-M', 'virt', '-m', '256M', '-nographic', '-bios', FW_JUMP, '-kernel', IMAGE, '-initrd', INITRAMFS, '-append', 'console=ttyS0', '-gdb', 'tcp:127.0.0.1:0'];
  const best = { on: Infinity, off: Infinity };
  for (let i = 0; i < 3; i++) {
    for (const history of ['on', 'off'] as const) {
      const run = await boot(process.execPath, [CLI, ...args, '-history', history], 600_000, { untilGreeting: true });
      best[history] = Math.min(best[history], run.greetingSeconds ?? Infinity);
    }
  }
  console.log(`linux -gdb          history off ${best.off.toFixed(2)} s   on ${best.on.toFixed(2)} s   (overhead ${((best.on / best.off - 1) * 100).toFixed(1)}%; goal: <= 10%)`);
}

/** nettool's TCP throughput both ways and ping round trip over -netdev user + virtio-net, under Lantern and QEMU. */
async function linuxNetwork(): Promise<void> {
  if (!fs.existsSync(IMAGE) || !fs.existsSync(INITRAMFS)) {
    console.log('net: no guest in samples/linux/build/ (bash samples/linux/build.sh): skipped');
    return;
  }
  const started = process.hrtime.bigint();
  const mib = TRANSFER_BYTES / (1024 * 1024);
  console.log(`net: ${path.relative(root, IMAGE)} + initramfs with lantern.net: nettool over -netdev user + virtio-net, -smp 1, hash off`);
  console.log(`net: ${mib} MiB each way to/from a server on the host's 127.0.0.1 (guest: 10.0.2.2), best of ${TRANSFER_RUNS}; MB/s = 10^6 bytes a second by the host's wall clock (connection to last byte), the guest clock's in parentheses (Lantern's is virtual: -icount shift=3); ping ${PING_COUNT} echoes to 10.0.2.2, one at a time`);
  const args = netArgs(FW_JUMP, IMAGE, INITRAMFS);
  const ours = await netCosts(process.execPath, [CLI, ...args], 'lantern');
  const theirs = hasTool(QEMU) ? await netCosts(QEMU, args, 'qemu') : undefined;
  const rate = (costs: NetCosts, way: 'toGuest' | 'toHost') =>
    `${megabytesPerSecond(costs[way], 'host').toFixed(1)} MB/s (${megabytesPerSecond(costs[way], 'guest').toFixed(1)})`;
  const show = (label: string, costs: NetCosts) => {
    const { ping } = costs;
    console.log(`${label.padEnd(18)} host→guest ${rate(costs, 'toGuest')}   guest→host ${rate(costs, 'toHost')}   ping avg ${ping.avgUs} µs min ${ping.minUs} µs max ${ping.maxUs} µs (guest clock), ${ping.wallUs.toFixed(0)} µs each by the host's wall clock   (boot to prompt ${costs.bootSeconds.toFixed(2)} s)`);
  };
  show('net lantern', ours);
  if (theirs) {
    show('net qemu', theirs);
    const ratio = (lantern: number, qemu: number) => `${(lantern / qemu).toFixed(2)} (QEMU ${(qemu / lantern).toFixed(1)}x)`;
    const speed = (way: 'toGuest' | 'toHost') => ratio(megabytesPerSecond(ours[way], 'host'), megabytesPerSecond(theirs[way], 'host'));
    // Round trips: lower is better, so the ratio is QEMU's time over Lantern's (below 1: Lantern slower).
    const rtt = (lantern: number, qemu: number) => `${(qemu / lantern).toFixed(2)} (${lantern <= qemu ? `Lantern ${(qemu / lantern).toFixed(1)}x faster` : `QEMU ${(lantern / qemu).toFixed(1)}x faster`})`;
    console.log(`net ratio lantern/qemu  host→guest ${speed('toGuest')}   guest→host ${speed('toHost')}   ping (speed, host wall) ${rtt(ours.ping.wallUs, theirs.ping.wallUs)}, by guest clocks avg ${rtt(ours.ping.avgUs, theirs.ping.avgUs)} min ${rtt(ours.ping.minUs, theirs.ping.minUs)}`);
  } else {
    console.log('qemu-system-riscv64 not installed: no comparison');
  }
  console.log(`net bench          ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
