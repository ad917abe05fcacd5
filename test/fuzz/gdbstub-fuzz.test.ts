// Fuzzing the GDB stub against the real machine: well over 100,000 random and mutated packets
// (every packet family but the ones that end a session on purpose: k, vKill, D, R) fed to a
// GdbSession on a MachineDebugTarget booting samples/minikernel, most straight into the
// session and a part pipelined over a real TCP socket to a GdbServer. No input may throw out
// of the stub, wedge it or draw a malformed reply; afterwards `?` and `g` must still answer
// with the machine's real stop and registers.
//
// Garbage can still end a session (a `k` hidden in random bytes, or the guest, its registers
// and memory scrambled, powering off): the fuzz then starts a new session, on a new machine
// if the old one is gone, and goes on. `k` does not end the machine here (its kill() only
// counts), so the session's own ending is what is exercised.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GdbServer, GdbSession, PACKET_SIZE, PacketParser } from '../../gdbstub';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { REG_PC, type DebugTarget } from '../../server/src/debug/target';
import { Machine } from '../../server/src/machine/machine';
import { Prng } from './prng';

const ROOT = path.join(__dirname, '../..');
const KERNEL = path.join(ROOT, 'samples/minikernel/minikernel.elf');
const haveCore = fs.existsSync(path.join(ROOT, 'dist/core.wasm')) && fs.existsSync(KERNEL);
const SEED = Number(process.env.LANTERN_GDBSTUB_FUZZ_SEED ?? 1);
const DIRECT_PACKETS = 100_000;
const SOCKET_PACKETS = 20_000;
const BATCH = 400;
const HARTS = 2;
const RAM = 0x8000_0000n;
const RAM_SIZE = 128 << 20;

// --- a machine, and a target whose kill() only counts -------------------------------------

interface World {
  readonly machine: Machine;
  readonly target: DebugTarget;
  readonly run: Promise<number>;
  kills: number;
}

function newWorld(): World {
  const machine = new Machine({
    board: 'virt', ramSize: RAM_SIZE, kernel: KERNEL, bios: 'none', icountShift: 3, harts: HARTS,
    console: { write() {} }, startHalted: true,
  });
  const real = new MachineDebugTarget(machine);
  const world = { machine, run: machine.run(), kills: 0 } as World;
  // Everything goes to the real target but kill(), so a stray `k` ends only the session.
  (world as { target: DebugTarget }).target = new Proxy(real, {
    get(object, property) {
      if (property === 'kill') return () => { world.kills++; };
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
  return world;
}

function alive(world: World): boolean {
  return world.target.lastStop?.kind !== 'exited';
}

// --- packets ------------------------------------------------------------------------------

const hex = (value: bigint) => value.toString(16);
const ANNEXES = ['target.xml', 'riscv-64bit-cpu.xml', 'riscv-64bit-fpu.xml', 'riscv-64bit-csr.xml', 'riscv-64bit-virtual.xml', 'nope.xml', ''];
const QUERY_NAMES = ['qSupported', 'qAttached', 'qOffsets', 'qSymbol', 'qC', 'qfThreadInfo', 'qsThreadInfo', 'qThreadExtraInfo',
  'qRcmd', 'qXfer', 'QStartNoAckMode', 'vMustReplyEmpty', 'vCont?', 'qTStatus', 'qL', 'qCRC', 'QNonStop', 'vFile', 'qGetTLSAddr'];

class Generator {
  constructor(private readonly rng: Prng) {}

  /** An address: mostly RAM (code and data), sometimes devices, anywhere, or the very top. */
  address(): bigint {
    const rng = this.rng;
    switch (rng.below(6)) {
      case 0: return RAM + BigInt(rng.below(0x3000));
      case 1: return RAM + BigInt(rng.below(RAM_SIZE));
      case 2: return RAM + BigInt(RAM_SIZE) - BigInt(rng.below(64));
      case 3: return BigInt(rng.pick([0, 0x1000, 0x100000, 0x101000, 0x2000000, 0xc000000, 0x10000000, 0x10001000])) + BigInt(rng.below(0x100));
      case 4: return rng.u64();
      default: return (1n << 64n) - 1n - BigInt(rng.below(16));
    }
  }

  length(): number {
    const rng = this.rng;
    return rng.pick([0, 1, 2, 4, 8, rng.below(64), rng.below(0x1000), rng.below(0x10000), 0xffffffff]);
  }

  value(): bigint {
    const rng = this.rng;
    return rng.pick([0n, 1n, rng.u64(), RAM + BigInt(rng.below(RAM_SIZE)), BigInt(rng.u32())]);
  }

  threadId(): string {
    const rng = this.rng;
    return rng.pick(['0', '-1', '1', '2', '3', hex(BigInt(rng.u32())), 'p1.1', 'p1.2', 'p1.-1', 'p-1.-1', `p${rng.below(4)}.${rng.below(4)}`, 'ffffffffffffffffffff', '-2', '']);
  }

  hexBytes(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += this.rng.below(256).toString(16).padStart(2, '0');
    return out;
  }

  binary(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String.fromCharCode(this.rng.below(256));
    return out;
  }

  /** A well-formed packet of some family (never k, vKill, D or R). */
  packet(): string {
    const rng = this.rng;
    const register = () => rng.pick([rng.below(33), 33 + rng.below(32), 65 + rng.below(4096), 4161, rng.below(5000), rng.u32()]);
    switch (rng.below(30)) {
      case 0: return '?';
      case 1: return 'g';
      case 2: return 'G' + this.hexBytes(33 * 8);
      case 3: return `p${register().toString(16)}`;
      case 4: return `P${register().toString(16)}=${this.hexBytes(rng.pick([4, 8, rng.below(10)]))}`;
      case 5: case 6: return `m${hex(this.address())},${this.length().toString(16)}`;
      case 7: {
        const count = rng.below(64);
        return `M${hex(this.address())},${count.toString(16)}:${this.hexBytes(count)}`;
      }
      case 8: {
        const count = rng.below(64);
        return `X${hex(this.address())},${count.toString(16)}:${this.binary(count)}`;
      }
      case 9: case 10: return `${rng.pick(['Z', 'z'])}${rng.below(6)},${hex(this.address())},${rng.pick([1, 2, 4, 8, 3, rng.below(0x100)]).toString(16)}`;
      case 11: return rng.pick(['c', 's', `s${hex(this.address())}`, `c${hex(this.address())}`]);
      case 12: return `${rng.pick(['C', 'S'])}${rng.below(256).toString(16).padStart(2, '0')}${rng.chance(0.3) ? ';' + hex(this.address()) : ''}`;
      case 13: return 'vCont?';
      case 14: {
        const actions = Array.from({ length: 1 + rng.below(3) }, () => {
          const action = rng.pick(['c', 's', 'C05', 'S02', 't', 'r0,10']);
          return rng.chance(0.6) ? `${action}:${this.threadId()}` : action;
        });
        return 'vCont;' + actions.join(';');
      }
      case 15: return `H${rng.pick(['g', 'c', 'x'])}${this.threadId()}`;
      case 16: return `T${this.threadId()}`;
      case 17: return 'qSupported:' + rng.pick(['multiprocess+;swbreak+;hwbreak+;vContSupported+', 'swbreak-', '', 'xmlRegisters=i386']);
      case 18: return rng.pick(['qAttached', 'qAttached:1', 'qOffsets', 'qSymbol::', 'qC', 'qfThreadInfo', 'qsThreadInfo', 'vMustReplyEmpty', 'QStartNoAckMode']);
      case 19: return `qThreadExtraInfo,${this.threadId()}`;
      case 20: return 'qRcmd,' + Buffer.from(rng.pick(['help', 'info registers', 'x/4x 0x80000000', 'stop', 'cont', 'system_reset', ''])).toString('hex');
      case 21: case 22: return `qXfer:features:read:${rng.pick(ANNEXES)}:${rng.below(0x1000).toString(16)},${this.length().toString(16)}`;
      case 23: return `qXfer:threads:read::${rng.below(0x200).toString(16)},${this.length().toString(16)}`;
      case 24: return `qXfer:${rng.pick(['features', 'threads', 'memory-map', 'auxv'])}:${rng.pick(['read', 'write'])}:${rng.pick(ANNEXES)}:0,100`;
      case 25: return rng.pick(QUERY_NAMES) + rng.pick([':', ',', ';', '']) + this.binary(rng.below(12));
      case 26: return rng.pick(['!', 'b', 'bc', 'bs', 'e', 'F', 'i', 'I', 'd', 'r', 'vAttach;1', 'vRun;', 'vStopped', 'QAllow:', 'jThreadsInfo']);
      case 27: return `m${this.binary(rng.below(20))}`;
      case 28: return String.fromCharCode(rng.below(128)) + this.binary(rng.below(20));
      default: return '';
    }
  }

  /** A packet mutated the ways broken or hostile input is: flipped bytes, cut, wrong numbers. */
  mutated(packet: string): string {
    const rng = this.rng;
    let text = packet;
    for (let round = rng.below(3); round >= 0; round--) {
      switch (rng.below(7)) {
        case 0: { // flip bytes
          const chars = [...text];
          for (let i = 0; i <= rng.below(3) && chars.length > 0; i++) chars[rng.below(chars.length)] = String.fromCharCode(rng.below(256));
          text = chars.join('');
          break;
        }
        case 1: text = text.slice(0, rng.below(text.length + 1)); break;
        case 2: text = text.replace(/[0-9a-f]+/, () => rng.pick(['f'.repeat(1 + rng.below(40)), '-1', '-5', '0', '', 'zz', '1'.repeat(rng.below(30))])); break;
        case 3: text = text.replace(/[,:;=]/, rng.pick([',', ':', ';', '=', '', ',,', '::'])); break;
        case 4: text += this.binary(rng.below(8)); break;
        case 5: text = text.replace(/(thread|:|H[gc]|T)([0-9a-fp.-]*)/, (_, head: string) => head + this.threadId()); break;
        default: text = text.slice(0, rng.below(text.length + 1)) + this.binary(rng.below(4)) + text.slice(rng.below(text.length + 1)); break;
      }
    }
    return text;
  }

  /** One unit of input: a framed packet (maybe broken in its framing), junk, acks or Ctrl-C. */
  item(): Buffer {
    const rng = this.rng;
    const roll = rng.below(100);
    if (roll < 3) return Buffer.from(this.binary(1 + rng.below(16)).replace(/\$/g, '%'), 'latin1');
    if (roll < 5) return Buffer.from(rng.pick(['+', '-', '\x03', '++', '#00', '$', '}']), 'latin1');
    if (roll < 6 && rng.chance(0.2)) return frame('M80000000,2000:' + '00'.repeat(PACKET_SIZE)); // oversize
    const payload = roll < 45 ? this.packet() : this.mutated(this.packet());
    const framed = frame(payload);
    switch (rng.below(12)) {
      case 0: framed[framed.length - 1] ^= 1 + rng.below(15); return framed; // bad checksum
      case 1: return framed.subarray(0, rng.below(framed.length)); // cut short
      case 2: framed[framed.length - 2] = 0x7a; return framed; // checksum not hex
      default: return framed;
    }
  }
}

/** A packet as gdb frames it: # $ } * escaped, the checksum over the bytes sent. */
function frame(payload: string): Buffer {
  const escaped = payload.replace(/[#$}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
  let sum = 0;
  for (let i = 0; i < escaped.length; i++) sum += escaped.charCodeAt(i) & 0xff;
  return Buffer.from(`$${escaped}#${(sum & 0xff).toString(16).padStart(2, '0')}`, 'latin1');
}

/** What ends every batch: completes a cut packet and leaves the parser between packets, then
 * Ctrl-C (stops a target left running). */
const TERMINATOR = Buffer.from('#00\x03', 'latin1');

/** True when the input holds a packet that ends the session on purpose (not fuzzed). */
function endsSession(input: Buffer): boolean {
  let ends = false;
  new PacketParser(PACKET_SIZE).feed(input, (event) => {
    if (event.kind === 'packet' && /^(k|D|R|vKill)/.test(event.payload)) ends = true;
  });
  return ends;
}

/** `count` input units and the terminator; each batch starts and ends between packets. */
function batch(generator: Generator, count: number): Buffer {
  for (;;) {
    const items: Buffer[] = [];
    while (items.length < count) {
      const item = generator.item();
      if (!endsSession(Buffer.concat([item, TERMINATOR]))) items.push(item);
    }
    const bytes = Buffer.concat([...items, TERMINATOR]);
    if (!endsSession(bytes)) return bytes;
  }
}

// --- checking what comes back ---------------------------------------------------------------

/** Checks every write of the stub: an ack, or one packet whose checksum is right. */
class ReplyChecker {
  packets = 0;
  readonly last: string[] = [];

  write(bytes: Uint8Array): void {
    const text = Buffer.from(bytes).toString('latin1');
    if (text === '+' || text === '-') return;
    const match = /^\$([^$#]*)#([0-9a-f]{2})$/s.exec(text);
    expect(match, `malformed output ${JSON.stringify(text.slice(0, 80))}`).not.toBeNull();
    let sum = 0;
    for (let i = 0; i < match![1].length; i++) sum += match![1].charCodeAt(i);
    expect((sum & 0xff).toString(16).padStart(2, '0')).toBe(match![2]);
    expect(match![1].length).toBeLessThanOrEqual(PACKET_SIZE);
    this.packets++;
    this.last.push(match![1]);
    if (this.last.length > 4) this.last.shift();
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const le = (value: bigint, bytes: number) => {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Number((value >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, '0');
  return out;
};

/** What `?` and `g` (thread 1 = hart 0) must say about a stopped machine. */
function expectAnswers(target: DebugTarget, stopReply: string, registers: string): void {
  const stop = target.lastStop!;
  expect(stop).toBeDefined();
  expect(stop.kind).not.toBe('exited');
  const hart = stop.kind === 'exited' ? 0 : stop.hart;
  expect(stopReply).toMatch(new RegExp(`^T0[25]thread:0${hart + 1};`));
  expect(stopReply).toContain(`;20:${le(target.readRegister(hart, REG_PC)!, 8)};`);
  expect(stopReply).toContain(`;02:${le(target.readRegister(hart, 2)!, 8)};`);
  const image = Array.from({ length: 33 }, (_, n) => le(target.readRegister(0, n)!, 8)).join('');
  expect(registers).toBe(image);
}

describe.skipIf(!haveCore)('GDB stub fuzz (minikernel on the real machine)', () => {
  it(`survives ${DIRECT_PACKETS + SOCKET_PACKETS} random and mutated packets`, async () => {
    const started = performance.now();
    const rng = new Prng(SEED);
    const generator = new Generator(rng);
    const worlds: World[] = [newWorld()];
    let world = worlds[0];
    const checker = new ReplyChecker();
    let sessions = 0;
    const open = () => {
      sessions++;
      const session = new GdbSession(world.target, { write: (bytes) => checker.write(bytes), end: () => {}, setPaused: () => {} });
      world.target.onStop((reason) => session.targetStopped(reason));
      session.start();
      return session;
    };
    let session = open();

    // Part 1: straight into sessions, in chunks of random sizes.
    for (let sent = 0; sent < DIRECT_PACKETS; sent += BATCH) {
      const bytes = batch(generator, BATCH);
      for (let at = 0; at < bytes.length;) {
        const size = 1 + rng.below(rng.chance(0.5) ? 64 : 8192);
        session.receive(bytes.subarray(at, at + size));
        at += size;
      }
      // Stopped, every packet answered: the session comes back to idle.
      for (let spins = 0; !session.idle && !session.ended; spins++) {
        if (world.target.running && spins % 16 === 15) session.receive(Uint8Array.of(3));
        await tick();
        expect(spins).toBeLessThan(100_000);
      }
      if (session.ended) {
        if (!alive(world)) {
          world = newWorld();
          worlds.push(world);
        }
        session = open();
      }
    }
    // The session still answers ? and g truly.
    const answers = async (...payloads: string[]) => {
      for (const payload of payloads) session.receive(frame(payload));
      while (!session.idle) await tick();
      return checker.last.slice(-payloads.length);
    };
    await answers('QStartNoAckMode');
    const [stopReply, , registers] = await answers('?', 'Hg1', 'g');
    expectAnswers(world.target, stopReply, registers);
    session.shutdown();
    const directMs = performance.now() - started;

    // Part 2: pipelined over TCP to a GdbServer, in no-ack mode (no session-ending packets in
    // the stream: it must survive all of it on one connection).
    if (!alive(world)) {
      world = newWorld();
      worlds.push(world);
    }
    // The debugger attaches to a running machine: the stub stops it first.
    world.target.resume({ kind: 'continue' });
    const logs: string[] = [];
    const server = new GdbServer(world.target, { log: (line) => logs.push(line) });
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    const socket = net.connect(address.port!, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const received: Buffer[] = [];
    let lastData = performance.now();
    socket.on('data', (chunk) => {
      received.push(chunk);
      lastData = performance.now();
    });
    const quiet = async () => {
      do await new Promise((resolve) => setTimeout(resolve, 100));
      while (performance.now() - lastData < 100 || world.target.running);
    };
    socket.write(frame('QStartNoAckMode'));
    for (let sent = 0; sent < SOCKET_PACKETS; sent += BATCH) {
      if (!socket.write(batch(generator, BATCH))) await new Promise((resolve) => socket.once('drain', resolve));
      if (socket.destroyed) break;
    }
    let spins = 0;
    for (; world.target.running && spins < 200; spins++) {
      socket.write(Uint8Array.of(3));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await quiet();
    expect(socket.destroyed).toBe(false);
    // Every reply on the wire is well formed.
    const stream = Buffer.concat(received).toString('latin1');
    const wire = new ReplyChecker();
    for (const packet of stream.match(/\+|\$[^$#]*#[0-9a-f]{2}/g) ?? []) wire.write(Buffer.from(packet, 'latin1'));
    expect(stream.replace(/\+|\$[^$#]*#[0-9a-f]{2}/g, '')).toBe('');
    received.length = 0;
    socket.write(Buffer.concat([frame('?'), frame('Hg1'), frame('g')]));
    await quiet();
    const finals = Buffer.concat(received).toString('latin1').match(/\$([^$#]*)#/g)!.map((p) => p.slice(1, -1));
    expect(finals).toHaveLength(3);
    expectAnswers(world.target, finals[0], finals[2]);
    socket.destroy();
    await server.close();

    for (const each of worlds) each.machine.stop(0);
    await Promise.all(worlds.map((each) => each.run));
    const seconds = (performance.now() - started) / 1000;
    console.log(`gdbstub fuzz: ${DIRECT_PACKETS} packets direct (${(directMs / 1000).toFixed(1)} s), ${SOCKET_PACKETS} over TCP; `
      + `${checker.packets + wire.packets} replies, ${sessions} sessions, ${worlds.length} machines, ${worlds.reduce((n, w) => n + w.kills, 0)} kills; ${seconds.toFixed(1)} s`);
    expect(checker.packets).toBeGreaterThan(DIRECT_PACKETS / 2);
    expect(wire.packets).toBeGreaterThan(SOCKET_PACKETS / 2);
  }, 120_000);
});
