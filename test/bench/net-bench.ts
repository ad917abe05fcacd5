// The user-mode network's costs for `npm run bench`: the Linux test guest booted with `lantern.net`
// runs nettool (samples/linux/nettool.c) behind `-netdev user` + virtio-net, scripted through its
// console; the same command line under Lantern's CLI and under QEMU. TCP throughput both ways
// against servers in this process on 127.0.0.1 (the guest reaches them at the gateway, 10.0.2.2),
// and ICMP echo round trips to the gateway. Data hashing is off (`hash off`), so the guest's cost
// per byte is its TCP stack and nettool's pattern fill/check, not SHA-256.
//
// Throughput is timed at the host's socket, from the connection's arrival to its last byte, so
// both VMs are measured by the same clock. The guest's own `ms=` is kept beside it: under QEMU
// (no -icount) it is wall time, but Lantern's guest clock is virtual time by default (-icount
// shift=3: 8 ns a step, idle waits skipped), so its ms= and rtt_*_us= are not wall time.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as net from 'node:net';

const MIB = 1024 * 1024;
/** The bytes of each transfer, and how many times each is run (the best one is kept). */
export const TRANSFER_BYTES = 64 * MIB;
export const TRANSFER_RUNS = 2;
/** `ping 10.0.2.2 PING_COUNT`. */
export const PING_COUNT = 100;
/** QEMU's user-mode gateway, which forwards to the host's 127.0.0.1. */
const GATEWAY = '10.0.2.2';
const PROMPT = 'nettool> ';
/** Boot to the prompt, and any one command: beyond these the run has stalled. */
const BOOT_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

/** The stream nettool's recv checks and its send writes: byte i is (i * 7 + i / 4096) & 0xff. It repeats every
 * MiB (i * 7 every 256 bytes, i / 4096 every 256 * 4096), so one MiB of it serves any offset. */
const PATTERN = (() => {
  const bytes = Buffer.alloc(MIB);
  for (let i = 0; i < MIB; i++) bytes[i] = (i * 7 + Math.floor(i / 4096)) & 0xff;
  return bytes;
})();

export interface Transfer {
  bytes: number;
  /** Host wall time from the connection's arrival to its last byte. */
  hostSeconds: number;
  /** nettool's ms= (the guest's CLOCK_MONOTONIC, connect included). */
  guestMs: number;
}

export interface Ping {
  sent: number;
  received: number;
  /** nettool's rtt_*_us= (the guest's CLOCK_MONOTONIC). */
  avgUs: number;
  minUs: number;
  maxUs: number;
  /** Host wall time of the whole command less one console round trip, over the count. */
  wallUs: number;
}

export interface NetCosts {
  /** Wall seconds from the start to nettool's first prompt. */
  bootSeconds: number;
  toGuest: Transfer;
  toHost: Transfer;
  ping: Ping;
}

/** The command line both VMs get (less the program): 256 MiB, one hart, fw_jump, nettool on the user network. */
export function netArgs(firmware: string, image: string, initramfs: string): string[] {
  return ['-M', 'virt', '-m', '256M', '-smp', '1', '-nographic', '-bios', firmware, '-kernel', image, '-initrd', initramfs,
    '-append', 'console=ttyS0 lantern.net', '-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0'];
}

function elapsedSeconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** A child's console, one nettool command at a time: what it printed up to the next prompt. */
class NettoolConsole {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private searchFrom = 0;
  private waiter?: { resolve: (text: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
  private exit?: string;

  constructor(command: string, args: readonly string[], private readonly label: string) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      this.output += chunk.replace(/\r/g, '');
      this.deliver();
    });
    let stderr = '';
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    this.child.stdin.on('error', () => { /* powered off before reading everything */ });
    this.child.on('error', (error) => this.ended(`${label}: ${error.message}`));
    this.child.on('close', (status, signal) => this.ended(`${label} exited (${signal ?? status}) ${stderr.trim()}`.trim()));
  }

  /** The console's text from the last prompt to the next one. */
  untilPrompt(timeoutMs: number, doing: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${this.label}: no prompt ${timeoutMs / 1000} s after ${doing}; console ends: ${JSON.stringify(this.output.slice(-400))}`));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
      this.deliver();
    });
  }

  /** Types `line` and parses the answer: its key=value lines; an `error` line throws. */
  async run(line: string): Promise<{ values: Map<string, string>; seconds: number }> {
    const started = process.hrtime.bigint();
    this.child.stdin.write(`${line}\n`);
    const text = await this.untilPrompt(COMMAND_TIMEOUT_MS, `\`${line}\``);
    const seconds = elapsedSeconds(started);
    const error = /^error .*$/m.exec(text);
    if (error || !/^done$/m.test(text)) throw new Error(`${this.label}: \`${line}\` answered ${JSON.stringify(error?.[0] ?? text)}`);
    const values = new Map<string, string>();
    for (const match of text.matchAll(/^(\w+)=(.*)$/gm)) values.set(match[1], match[2]);
    return { values, seconds };
  }

  /** `quit`, then the child's end; killed if it does not power off within a few seconds. */
  async close(): Promise<void> {
    if (this.exit === undefined) {
      const closed = new Promise((resolve) => this.child.once('close', resolve));
      this.child.stdin.write('quit\n');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await closed;
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.exit === undefined) this.child.kill('SIGKILL');
  }

  private deliver(): void {
    if (!this.waiter) return;
    const at = this.output.indexOf(PROMPT, this.searchFrom);
    if (at < 0) {
      if (this.exit !== undefined) {
        clearTimeout(this.waiter.timer);
        this.waiter.reject(new Error(`${this.exit}; console ends: ${JSON.stringify(this.output.slice(-400))}`));
        this.waiter = undefined;
      }
      return;
    }
    const text = this.output.slice(this.searchFrom, at);
    this.searchFrom = at + PROMPT.length;
    clearTimeout(this.waiter.timer);
    const { resolve } = this.waiter;
    this.waiter = undefined;
    resolve(text);
  }

  private ended(why: string): void {
    this.exit = why;
    this.deliver();
  }
}

interface HostEnd {
  port: number;
  /** The one connection's bytes and wall time (arrival to last byte). */
  done: Promise<{ bytes: number; seconds: number; wrong: number }>;
  close(): void;
}

function listen(onConnection: (socket: net.Socket, finish: (bytes: number, wrong: number) => void) => void): Promise<HostEnd> {
  return new Promise((resolveListening, rejectListening) => {
    let finish!: (result: { bytes: number; seconds: number; wrong: number }) => void;
    let fail!: (error: Error) => void;
    const done = new Promise<{ bytes: number; seconds: number; wrong: number }>((resolve, reject) => { finish = resolve; fail = reject; });
    done.catch(() => { /* reported by whoever awaits it */ });
    const server = net.createServer((socket) => {
      server.close(); // one connection per transfer
      const started = process.hrtime.bigint();
      socket.on('error', (error) => fail(error));
      onConnection(socket, (bytes, wrong) => finish({ bytes, seconds: elapsedSeconds(started), wrong }));
    });
    server.on('error', rejectListening);
    server.listen(0, '127.0.0.1', () => resolveListening({
      port: (server.address() as net.AddressInfo).port,
      done,
      close: () => server.close(),
    }));
  });
}

/** Sends `size` pattern bytes to the one client, then closes; done once the client has closed too. */
function patternSource(size: number): Promise<HostEnd> {
  return listen((socket, finish) => {
    let left = size;
    const pump = () => {
      while (left > 0) {
        const piece = Math.min(left, MIB);
        left -= piece;
        if (!socket.write(PATTERN.subarray(0, piece))) { socket.once('drain', pump); return; }
      }
      socket.end();
    };
    socket.on('close', () => finish(size - left, 0));
    socket.resume(); // nothing comes, but an unread socket never sees its end
    pump();
  });
}

/** Counts (and checks against the pattern) what the one client sends until its half-close, then answers `got N`. */
function patternSink(): Promise<HostEnd> {
  return listen((socket, finish) => {
    let bytes = 0;
    let wrong = 0;
    socket.on('data', (data: Buffer) => {
      for (let at = 0; at < data.length; ) {
        const offset = (bytes + at) % MIB;
        const piece = Math.min(data.length - at, MIB - offset);
        if (!data.subarray(at, at + piece).equals(PATTERN.subarray(offset, offset + piece))) wrong++;
        at += piece;
      }
      bytes += data.length;
    });
    socket.on('end', () => {
      finish(bytes, wrong);
      socket.end(`got ${bytes}\n`);
    });
  });
}

function numberOf(values: Map<string, string>, key: string, line: string): number {
  const value = Number(values.get(key));
  if (!values.has(key) || !Number.isFinite(value)) throw new Error(`\`${line}\` gave no ${key}=`);
  return value;
}

async function toGuest(vm: NettoolConsole): Promise<Transfer> {
  const source = await patternSource(TRANSFER_BYTES);
  const line = `recv ${GATEWAY} ${source.port}`;
  try {
    const { values } = await vm.run(line);
    const host = await source.done;
    const bytes = numberOf(values, 'bytes', line);
    const errors = numberOf(values, 'pattern_errors', line);
    if (bytes !== TRANSFER_BYTES || errors !== 0) {
      throw new Error(`\`${line}\`: the guest read ${bytes} bytes with ${errors} pattern errors of the ${TRANSFER_BYTES} sent`);
    }
    return { bytes, hostSeconds: host.seconds, guestMs: numberOf(values, 'ms', line) };
  } finally {
    source.close();
  }
}

async function toHost(vm: NettoolConsole): Promise<Transfer> {
  const sink = await patternSink();
  const line = `send ${GATEWAY} ${sink.port} ${TRANSFER_BYTES}`;
  try {
    const { values } = await vm.run(line);
    const host = await sink.done;
    if (host.bytes !== TRANSFER_BYTES || host.wrong !== 0 || values.get('reply') !== `got ${TRANSFER_BYTES}`) {
      throw new Error(`\`${line}\`: the host got ${host.bytes} bytes (${host.wrong} pieces off the pattern), the guest heard ${JSON.stringify(values.get('reply'))}`);
    }
    return { bytes: host.bytes, hostSeconds: host.seconds, guestMs: numberOf(values, 'ms', line) };
  } finally {
    sink.close();
  }
}

function best(runs: readonly Transfer[]): Transfer {
  return runs.reduce((a, b) => (b.hostSeconds < a.hostSeconds ? b : a));
}

/** Boots `command args` (Lantern's CLI or QEMU, netArgs' command line) and measures it. */
export async function netCosts(command: string, args: readonly string[], label: string): Promise<NetCosts> {
  const started = process.hrtime.bigint();
  const vm = new NettoolConsole(command, args, label);
  try {
    const boot = await vm.untilPrompt(BOOT_TIMEOUT_MS, 'the start');
    if (!boot.includes('nettool: eth0 up')) throw new Error(`${label}: nettool did not bring eth0 up: ${JSON.stringify(boot.slice(-400))}`);
    const bootSeconds = elapsedSeconds(started);
    // `hash off` doubles as the console's round trip, taken out of the ping's wall time.
    const { seconds: consoleSeconds } = await vm.run('hash off');
    const receives: Transfer[] = [];
    const sends: Transfer[] = [];
    for (let i = 0; i < TRANSFER_RUNS; i++) {
      receives.push(await toGuest(vm));
      sends.push(await toHost(vm));
    }
    const line = `ping ${GATEWAY} ${PING_COUNT}`;
    const { values, seconds } = await vm.run(line);
    const ping: Ping = {
      sent: numberOf(values, 'sent', line),
      received: numberOf(values, 'received', line),
      avgUs: numberOf(values, 'rtt_avg_us', line),
      minUs: numberOf(values, 'rtt_min_us', line),
      maxUs: numberOf(values, 'rtt_max_us', line),
      wallUs: Math.max(seconds - consoleSeconds, 0) / PING_COUNT * 1e6,
    };
    if (ping.received !== ping.sent) throw new Error(`${label}: \`${line}\`: ${ping.received} of ${ping.sent} echoes answered`);
    await vm.close();
    return { bootSeconds, toGuest: best(receives), toHost: best(sends), ping };
  } finally {
    vm.kill();
  }
}

/** MB/s (10^6 bytes a second) of a transfer by the host's clock, or by the guest's. */
export function megabytesPerSecond(transfer: Transfer, clock: 'host' | 'guest'): number {
  const seconds = clock === 'host' ? transfer.hostSeconds : transfer.guestMs / 1000;
  return transfer.bytes / Math.max(seconds, 1e-6) / 1e6;
}
