// The GDB stub's packet handlers, session and server (gdbstub/), driven as gdb drives them:
// packets in, replies decoded independently of the stub's own framing code. The target is a
// small in-memory DebugTarget (registers, one RAM window, breakpoint tables, a run state that
// stops asynchronously as the real machine does); the real machine under real gdb is tested
// in test/gdb.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GdbServer, GdbSession, PACKET_SIZE } from '../../gdbstub';
import {
  REG_CSR0, REG_F0, REG_PC, REG_PRIV,
  type AddressSpace, type BreakpointKind, type DebugTarget, type HartInfo, type MonitorCapability,
  type RegisterInfo, type ResumeAction, type StopReason, type WatchKind,
} from '../../server/src/debug/target';

// --- an in-memory target ---------------------------------------------------------------

const X_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const RAM_BASE = 0x8000_0000n;
const RAM_SIZE = 0x10000;
const CSR_MSTATUS = 0x300;
const CSR_MISA = 0x301;

function registerList(xlen: 32 | 64): RegisterInfo[] {
  const list: RegisterInfo[] = X_NAMES.map((name, i) => ({ number: i, name, bits: xlen, feature: 'cpu', type: i === 1 ? 'code_ptr' : i === 2 ? 'data_ptr' : 'int' }));
  list.push({ number: REG_PC, name: 'pc', bits: xlen, feature: 'cpu', type: 'code_ptr' });
  for (let i = 0; i < 32; i++) list.push({ number: REG_F0 + i, name: `f${i}`, bits: 64, feature: 'fpu', type: 'ieee_double' });
  list.push({ number: REG_CSR0 + 1, name: 'fflags', bits: 32, feature: 'fpu', type: 'int' });
  list.push({ number: REG_CSR0 + 2, name: 'frm', bits: 32, feature: 'fpu', type: 'int' });
  list.push({ number: REG_CSR0 + 3, name: 'fcsr', bits: 32, feature: 'fpu', type: 'int' });
  list.push({ number: REG_CSR0 + CSR_MSTATUS, name: 'mstatus', bits: xlen, feature: 'csr', type: 'int' });
  list.push({ number: REG_CSR0 + CSR_MISA, name: 'misa', bits: xlen, feature: 'csr', type: 'int' });
  list.push({ number: REG_PRIV, name: 'priv', bits: xlen, feature: 'virtual', type: 'int' });
  return list;
}

class MemoryTarget implements DebugTarget {
  readonly registers: readonly RegisterInfo[];
  readonly ram = new Uint8Array(RAM_SIZE);
  readonly values: Map<number, bigint>[] = [];
  readonly breakpoints = new Map<string, { addr: bigint; kind: BreakpointKind }>();
  readonly watchpoints: { addr: bigint; length: number; kind: WatchKind }[] = [];
  readonly resumes: ResumeAction[] = [];
  addressSpace: AddressSpace = 'virtual';
  monitor?: MonitorCapability;
  /** Whether it offers reverse execution (a reverse step moves the pc back by 4). */
  canReverse = false;
  breakpointCapacity = 4;
  /** What the next continue stops with (undefined: it runs until paused). */
  nextStop: StopReason | undefined;
  killed = false;
  cleared = 0;
  pauses = 0;
  private stop: StopReason | undefined = { kind: 'paused', hart: 0 };
  private readonly listeners: ((reason: StopReason) => void)[] = [];
  private isRunning = false;

  constructor(readonly xlen: 32 | 64 = 64, readonly hartCount = 2) {
    this.registers = registerList(xlen);
    for (let hart = 0; hart < hartCount; hart++) {
      const values = new Map<number, bigint>();
      for (const register of this.registers) values.set(register.number, 0n);
      X_NAMES.forEach((_, i) => values.set(i, i === 0 ? 0n : BigInt(i) * 0x1111n + BigInt(hart) * 0x1000000n));
      values.set(2, RAM_BASE + 0x8000n - BigInt(hart) * 0x100n);
      values.set(REG_PC, RAM_BASE + 0x100n + BigInt(hart) * 4n);
      values.set(REG_F0 + 1, 0x3ff0000000000000n); // 1.0
      values.set(REG_CSR0 + CSR_MISA, 0x800000000014112dn);
      values.set(REG_PRIV, 3n);
      this.values.push(values);
    }
    for (let i = 0; i < RAM_SIZE; i++) this.ram[i] = (i * 7 + 3) & 0xff;
  }

  get running(): boolean {
    return this.isRunning;
  }

  get lastStop(): StopReason | undefined {
    return this.isRunning ? undefined : this.stop;
  }

  harts(): readonly HartInfo[] {
    return Array.from({ length: this.hartCount }, (_, hart) => ({ hart, privilege: hart === 0 ? 3 : 1, state: hart === 0 ? 'running' : 'waiting' }));
  }

  readRegister(hart: number, number: number): bigint | undefined {
    this.checkStopped();
    return this.values[hart]?.get(number);
  }

  writeRegister(hart: number, number: number, value: bigint): boolean {
    this.checkStopped();
    const values = this.values[hart];
    if (!values?.has(number) || number === 0) return false;
    const bits = this.registers.find((r) => r.number === number)!.bits;
    values.set(number, BigInt.asUintN(bits, value));
    return true;
  }

  readMemory(hart: number, addr: bigint, length: number, space: AddressSpace): Uint8Array {
    this.checkStopped();
    expect(space).toBe(this.addressSpace);
    expect(length).toBeLessThanOrEqual(PACKET_SIZE);
    if (hart < 0 || hart >= this.hartCount || addr < RAM_BASE || addr >= RAM_BASE + BigInt(RAM_SIZE)) return new Uint8Array(0);
    const start = Number(addr - RAM_BASE);
    return this.ram.slice(start, Math.min(RAM_SIZE, start + length));
  }

  writeMemory(hart: number, addr: bigint, data: Uint8Array, space: AddressSpace): boolean {
    this.checkStopped();
    expect(space).toBe(this.addressSpace);
    if (addr < RAM_BASE || addr + BigInt(data.length) > RAM_BASE + BigInt(RAM_SIZE)) return false;
    this.ram.set(data, Number(addr - RAM_BASE));
    return true;
  }

  addBreakpoint(addr: bigint, kind: BreakpointKind): boolean {
    if (this.breakpoints.size >= this.breakpointCapacity) return false;
    this.breakpoints.set(`${kind}@${addr}`, { addr, kind });
    return true;
  }

  removeBreakpoint(addr: bigint, kind: BreakpointKind): boolean {
    return this.breakpoints.delete(`${kind}@${addr}`);
  }

  addWatchpoint(addr: bigint, length: number, kind: WatchKind): boolean {
    if (this.watchpoints.length >= 4) return false;
    this.watchpoints.push({ addr, length, kind });
    return true;
  }

  removeWatchpoint(addr: bigint, length: number, kind: WatchKind): boolean {
    const index = this.watchpoints.findIndex((w) => w.addr === addr && w.length === length && w.kind === kind);
    if (index < 0) return false;
    this.watchpoints.splice(index, 1);
    return true;
  }

  resume(action: ResumeAction): void {
    if (this.isRunning) throw new Error('resume while running');
    this.resumes.push(action);
    this.isRunning = true;
    if (action.reverse && !this.canReverse) throw new Error('reverse resume on a target without history');
    if (action.kind === 'step') {
      const hart = action.hart;
      setImmediate(() => {
        this.values[hart].set(REG_PC, this.values[hart].get(REG_PC)! + (action.reverse ? -4n : 4n));
        this.stopped({ kind: 'step', hart });
      });
    } else if (this.nextStop) {
      const reason = this.nextStop;
      this.nextStop = undefined;
      setImmediate(() => this.stopped(reason));
    }
  }

  pause(): void {
    this.pauses++;
    if (this.isRunning) setImmediate(() => this.isRunning && this.stopped({ kind: 'paused', hart: 0 }));
  }

  onStop(listener: (reason: StopReason) => void): void {
    this.listeners.push(listener);
  }

  kill(): void {
    this.killed = true;
    this.isRunning = false;
    this.stopped({ kind: 'exited', code: 0 });
  }

  clearDebugState(): void {
    this.cleared++;
    this.breakpoints.clear();
    this.watchpoints.length = 0;
  }

  /** Runs as if resumed behind the debugger's back (another front end, the monitor). */
  startRunning(): void {
    this.isRunning = true;
  }

  stopped(reason: StopReason): void {
    this.isRunning = false;
    this.stop = reason;
    for (const listener of this.listeners) listener(reason);
  }

  private checkStopped(): void {
    if (this.isRunning) throw new Error('target accessed while running');
  }
}

// --- a client that decodes what the stub sends, on its own ------------------------------

/** Splits stub output into acks and packets, checking each packet's checksum. */
class ReplyReader {
  private text = '';
  readonly items: string[] = [];

  push(bytes: Uint8Array): void {
    this.text += Buffer.from(bytes).toString('latin1');
    for (;;) {
      const match = /^(?:([+-])|\$([^#$]*)#([0-9a-f]{2}))/.exec(this.text);
      if (!match) break;
      this.text = this.text.slice(match[0].length);
      if (match[1]) {
        this.items.push(match[1]);
        continue;
      }
      let sum = 0;
      for (const byte of Buffer.from(match[2], 'latin1')) sum += byte;
      expect((sum & 0xff).toString(16).padStart(2, '0')).toBe(match[3]);
      this.items.push('$' + match[2].replace(/\}(.)/gs, (_, c: string) => String.fromCharCode(c.charCodeAt(0) ^ 0x20)));
    }
    expect(this.text).not.toMatch(/^[^$+-]/);
  }

  /** Packets (without acks) received so far, taken out of the list. */
  takePackets(): string[] {
    const packets = this.items.filter((item) => item.startsWith('$')).map((item) => item.slice(1));
    this.items.length = 0;
    return packets;
  }
}

function frame(payload: string): Buffer {
  let sum = 0;
  for (const byte of Buffer.from(payload, 'latin1')) sum += byte;
  return Buffer.from(`$${payload}#${(sum & 0xff).toString(16).padStart(2, '0')}`, 'latin1');
}

/** What gdb does to binary data ("Binary Data"): } then the byte xor 0x20 for # $ } *. */
const escapeBinary = (payload: string) => payload.replace(/[#$}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
}

/** A session on a target, fed as the server feeds it. */
function harness(target: MemoryTarget, noAck = true) {
  const reader = new ReplyReader();
  const state = { ended: false, paused: false, logs: [] as string[] };
  const session = new GdbSession(target, {
    write: (bytes) => reader.push(bytes),
    end: () => { state.ended = true; },
    setPaused: (paused) => { state.paused = paused; },
  }, { log: (line) => state.logs.push(line) });
  target.onStop((reason) => session.targetStopped(reason));
  session.start();
  const feed = (raw: string | Buffer) => session.receive(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
  /** Sends packets and returns the packets received after the target settles. */
  const ask = async (...payloads: string[]): Promise<string[]> => {
    for (const payload of payloads) feed(frame(payload));
    await settle();
    return reader.takePackets();
  };
  const one = async (payload: string): Promise<string> => {
    const replies = await ask(payload);
    expect(replies).toHaveLength(1);
    return replies[0];
  };
  if (noAck) {
    feed(frame('QStartNoAckMode'));
    expect(reader.items).toEqual(['+', '$OK']);
    reader.items.length = 0;
  }
  return { session, reader, state, feed, ask, one };
}

const le = (value: bigint, bytes: number) => {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Number((value >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, '0');
  return out;
};
const hexText = (text: string) => Buffer.from(text, 'utf8').toString('hex');

// --- the tests -------------------------------------------------------------------------

describe('acknowledgments', () => {
  it('acks good packets, nacks bad ones, then stops acking after QStartNoAckMode', async () => {
    const target = new MemoryTarget();
    const { reader, feed, session } = harness(target, false);
    feed(frame('qAttached'));
    feed('$qAttached#00');
    await settle();
    expect(reader.items).toEqual(['+', '$1', '-']);
    reader.items.length = 0;
    feed(frame('QStartNoAckMode'));
    // gdb's final ack of the OK, then packets without acks.
    feed('+');
    feed(frame('qAttached'));
    expect(reader.items).toEqual(['+', '$OK', '$1']);
    expect(session.acknowledging).toBe(false);
  });

  it('resends its last packet on a nack', () => {
    const { reader, feed } = harness(new MemoryTarget(), false);
    feed(frame('qC'));
    feed('-');
    expect(reader.items).toEqual(['+', '$QC01', '$QC01']);
  });

  it('in no-ack mode handles a packet with a bad checksum (the manual lets the receiver ignore it)', async () => {
    const { ask, feed, reader, state } = harness(new MemoryTarget());
    feed('$qAttached#00');
    expect(reader.takePackets()).toEqual(['1']);
    expect(state.logs.some((line) => line.includes('bad checksum'))).toBe(true);
    expect(await ask('qAttached')).toEqual(['1']);
  });

  it('refuses a packet over PacketSize: nack in ack mode, E16 in no-ack mode', () => {
    const big = 'M80000000,2000:' + '00'.repeat(0x2000);
    const acked = harness(new MemoryTarget(), false);
    acked.feed(frame(big));
    expect(acked.reader.items).toEqual(['-']);
    const plain = harness(new MemoryTarget());
    plain.feed(frame(big));
    plain.feed(frame('qAttached'));
    expect(plain.reader.takePackets()).toEqual(['E16', '1']);
  });
});

describe('queries', () => {
  it('announces its features', async () => {
    const { one } = harness(new MemoryTarget());
    expect(await one('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vContSupported+')).toBe(
      `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;qXfer:threads:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+`,
    );
  });

  it('announces reverse execution only for a target that records history', async () => {
    const target = new MemoryTarget();
    target.canReverse = true;
    const { one } = harness(target);
    expect(await one('qSupported:multiprocess+;swbreak+;hwbreak+')).toBe(
      `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;qXfer:threads:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+;`
      + 'ReverseStep+;ReverseContinue+',
    );
  });

  it('answers the connect-time questions', async () => {
    const { ask } = harness(new MemoryTarget());
    expect(await ask('qAttached', 'qAttached:1', 'qOffsets', 'qSymbol::', 'vMustReplyEmpty', 'qTStatus', 'Hg0', 'qC')).toEqual(
      ['1', '1', 'Text=0;Data=0;Bss=0', 'OK', '', '', 'OK', 'QC01'],
    );
  });

  it('lists the harts as threads', async () => {
    const { ask } = harness(new MemoryTarget());
    expect(await ask('qfThreadInfo', 'qsThreadInfo')).toEqual(['m01,02', 'l']);
    const [first, second, bad, none] = await ask('qThreadExtraInfo,1', 'qThreadExtraInfo,2', 'qThreadExtraInfo,3', 'qThreadExtraInfo,zz');
    expect(Buffer.from(first, 'hex').toString()).toBe('hart 0, M-mode, running');
    expect(Buffer.from(second, 'hex').toString()).toBe('hart 1, S-mode, waiting');
    expect([bad, none]).toEqual(['E16', 'E16']);
    expect(await ask('T1', 'T2', 'T3', 'T0', 'T-1', 'Tx')).toEqual(['OK', 'OK', 'E16', 'E16', 'E16', 'E16']);
    expect(await ask('Hg2', 'Hc-1', 'Hg3', 'Hx1', 'Hg', 'Hcp1.2', 'Hcp2.1')).toEqual(['OK', 'OK', 'E16', 'E16', 'E16', 'OK', 'E16']);
  });

  it('serves qXfer:threads:read', async () => {
    const { one } = harness(new MemoryTarget());
    const xml = await one('qXfer:threads:read::0,fff');
    expect(xml).toBe('l<?xml version="1.0"?>\n<threads>\n<thread id="01" core="0">hart 0, M-mode, running</thread>\n'
      + '<thread id="02" core="1">hart 1, S-mode, waiting</thread>\n</threads>\n');
  });

  it('returns the empty reply for unknown packets and unknown qXfer objects', async () => {
    const { ask } = harness(new MemoryTarget());
    expect(await ask('qFoo', 'vFoo;1', 'Qbar:1', '!', 'R00', 'qXfer:memory-map:read::0,100', 'qXfer:features:write:a:0:00', 'j', '')).toEqual(
      ['', '', '', '', '', '', '', '', ''],
    );
  });
});

describe('target description', () => {
  async function readWhole(one: (payload: string) => Promise<string>, annex: string, chunk: number): Promise<string> {
    let text = '';
    for (;;) {
      const reply = await one(`qXfer:features:read:${annex}:${text.length.toString(16)},${chunk.toString(16)}`);
      expect(reply[0]).toMatch(/[ml]/);
      expect(reply.length - 1).toBeLessThanOrEqual(chunk);
      text += reply.slice(1);
      if (reply[0] === 'l') return text;
    }
  }

  it('names the architecture and includes QEMU-named feature files with contract regnums', async () => {
    const { one } = harness(new MemoryTarget());
    const target = await readWhole(one, 'target.xml', 0x7ff);
    expect(target).toContain('<architecture>riscv:rv64</architecture>');
    const includes = [...target.matchAll(/<xi:include href="([^"]+)"\/>/g)].map((m) => m[1]);
    expect(includes).toEqual(['riscv-64bit-cpu.xml', 'riscv-64bit-fpu.xml', 'riscv-64bit-virtual.xml', 'riscv-64bit-csr.xml']);
    const cpu = await readWhole(one, 'riscv-64bit-cpu.xml', 0x7ff);
    expect(cpu).toContain('<feature name="org.gnu.gdb.riscv.cpu">');
    expect(cpu).toContain('<reg name="zero" bitsize="64" regnum="0" type="int"/>');
    expect(cpu).toContain('<reg name="pc" bitsize="64" regnum="32" type="code_ptr"/>');
    const fpu = await readWhole(one, 'riscv-64bit-fpu.xml', 0x7ff);
    expect(fpu).toContain('<feature name="org.gnu.gdb.riscv.fpu">');
    expect(fpu).toContain('<reg name="f0" bitsize="64" regnum="33" type="ieee_double"/>');
    expect(fpu).toContain('<reg name="fcsr" bitsize="32" regnum="68" type="int"/>');
    const csr = await readWhole(one, 'riscv-64bit-csr.xml', 0x7ff);
    expect(csr).toContain('<reg name="mstatus" bitsize="64" regnum="833" type="int" group="csr"/>');
    // fflags, frm and fcsr are the FPU feature's only.
    expect(csr).not.toContain('fcsr');
    const virtual = await readWhole(one, 'riscv-64bit-virtual.xml', 0x7ff);
    expect(virtual).toContain('<feature name="org.gnu.gdb.riscv.virtual">');
    expect(virtual).toContain('<reg name="priv" bitsize="64" regnum="4161" type="int"/>');
  });

  it('gives the same document in small pieces as in one', async () => {
    const { one } = harness(new MemoryTarget());
    const whole = await readWhole(one, 'riscv-64bit-fpu.xml', 0x3fff);
    expect(await readWhole(one, 'riscv-64bit-fpu.xml', 7)).toBe(whole);
  });

  it('describes RV32 as riscv:rv32', async () => {
    const { one } = harness(new MemoryTarget(32));
    const target = await readWhole(one, 'target.xml', 0xfff);
    expect(target).toContain('<architecture>riscv:rv32</architecture>');
    expect(target).toContain('riscv-32bit-cpu.xml');
    expect(await readWhole(one, 'riscv-32bit-cpu.xml', 0xfff)).toContain('<reg name="sp" bitsize="32" regnum="2" type="data_ptr"/>');
  });

  it('refuses unknown annexes and malformed requests, and ends at the end', async () => {
    const { ask } = harness(new MemoryTarget());
    expect(await ask('qXfer:features:read:nope.xml:0,100', 'qXfer:features:read:target.xml:zz,100',
      'qXfer:features:read:target.xml', 'qXfer:features:read:target.xml:100000,10')).toEqual(['E00', 'E00', 'E00', 'l']);
  });
});

describe('registers', () => {
  it('g returns x0..x31 and pc of the selected hart', async () => {
    const target = new MemoryTarget();
    const { ask, one } = harness(target);
    const expected = (hart: number) => [...Array(33).keys()].map((n) => le(target.values[hart].get(n)!, 8)).join('');
    expect(await one('g')).toBe(expected(0));
    expect(await ask('Hg2', 'g')).toEqual(['OK', expected(1)]);
  });

  it('G writes every changed register (x0 left alone) and checks the length', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    const image = [...Array(33).keys()].map((n) => le(n === 0 ? 0n : 0x100n + BigInt(n), 8)).join('');
    expect(await ask('G' + image)).toEqual(['OK']);
    expect(target.values[0].get(5)).toBe(0x105n);
    expect(target.values[0].get(REG_PC)).toBe(0x120n);
    expect(await ask('G' + image.slice(2), 'G' + image + '00', 'G' + 'zz' + image.slice(2))).toEqual(['E16', 'E16', 'E16']);
    // Writing x0 non-zero is refused by the target: an error.
    expect(await ask('G' + le(1n, 8) + image.slice(16))).toEqual(['E16']);
  });

  it('p/P reach any register of the description by number', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    // pc, f1, fflags (CSR 1: 65 + 1), priv.
    expect(await ask('p20', 'p22', 'p42', 'p1041')).toEqual([le(RAM_BASE + 0x100n, 8), le(0x3ff0000000000000n, 8), '00000000', le(3n, 8)]);
    expect(await ask('p343', 'p1042', 'pzz', 'p')).toEqual(['E14', 'E14', 'E16', 'E16']);
    expect(await ask('P5=' + le(0xdeadbeefn, 8), 'p5')).toEqual(['OK', le(0xdeadbeefn, 8)]);
    expect(await ask('P43=01000000', 'p43')).toEqual(['OK', '01000000']);
    expect(await ask('P0=' + le(1n, 8), 'P5=1234', 'P5', 'P343=' + le(0n, 8), 'P5=zz' + le(0n, 8).slice(2))).toEqual(['E16', 'E16', 'E16', 'E14', 'E16']);
    expect(await ask('Hg2', 'P20=' + le(0x80001000n, 8))).toEqual(['OK', 'OK']);
    expect(target.values[1].get(REG_PC)).toBe(0x80001000n);
  });
});

describe('memory', () => {
  it('m reads hex, a readable prefix at the end of memory, E14 where nothing is', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    const bytes = (start: number, n: number) => Buffer.from(target.ram.slice(start, start + n)).toString('hex');
    expect(await ask('m80000000,4', `m${(RAM_BASE + BigInt(RAM_SIZE) - 2n).toString(16)},8`, 'm1000,4', 'm80000000,0')).toEqual(
      [bytes(0, 4), bytes(RAM_SIZE - 2, 2), 'E14', ''],
    );
    expect(await ask('m80000000', 'mxyz,4', 'm80000000,4,5', 'm10000000000000000,1', 'mffffffffffffffff,ffffffffffffffff')).toEqual(
      ['E16', 'E16', 'E16', 'E16', 'E14'],
    );
  });

  it('caps a read so the reply fits PacketSize', async () => {
    const { one } = harness(new MemoryTarget());
    const reply = await one('m80000000,ffffffffffff');
    expect(reply.length).toBe(PACKET_SIZE);
  });

  it('M and X write; X carries escaped binary', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    expect(await ask('M80000010,4:deadbeef')).toEqual(['OK']);
    expect([...target.ram.slice(0x10, 0x14)]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    // Binary: gdb escapes # $ } * (and the framing undoes it).
    expect(await ask(escapeBinary('X80000020,6:#$}*:\x00'), 'X80000000,0:')).toEqual(['OK', 'OK']);
    expect(Buffer.from(target.ram.slice(0x20, 0x26)).toString('latin1')).toBe('#$}*:\x00');
    expect(await ask('M80000010,4:dead', 'M80000010,2:zzzz', 'M1000,1:00', 'X1000,1:a', 'X80000000,2:a', 'M80000010,4')).toEqual(
      ['E16', 'E16', 'E14', 'E14', 'E16', 'E16'],
    );
  });

  it('goes through the address space the target names', async () => {
    const target = new MemoryTarget();
    target.addressSpace = 'physical';
    const { one } = harness(target);
    expect(await one('m80000000,1')).toBe(Buffer.from(target.ram.slice(0, 1)).toString('hex'));
  });
});

describe('breakpoints and watchpoints', () => {
  it('Z0..Z4 insert, z0..z4 remove', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    expect(await ask('Z0,80000100,4', 'Z1,80000102,2', 'Z0,80000104,3', 'Z0,80000106,2;X1,0')).toEqual(['OK', 'OK', 'E16', 'OK']);
    expect([...target.breakpoints.values()]).toEqual([
      { addr: 0x80000100n, kind: 'software' }, { addr: 0x80000102n, kind: 'hardware' }, { addr: 0x80000106n, kind: 'software' },
    ]);
    expect(await ask('Z2,80000200,8', 'Z3,80000300,1', 'Z4,80000400,1000', 'Z2,80000200,0')).toEqual(['OK', 'OK', 'OK', 'E16']);
    expect(target.watchpoints).toEqual([
      { addr: 0x80000200n, length: 8, kind: 'write' }, { addr: 0x80000300n, length: 1, kind: 'read' }, { addr: 0x80000400n, length: 0x1000, kind: 'access' },
    ]);
    expect(await ask('z0,80000100,4', 'z0,80000100,4', 'z3,80000300,1', 'z1,80000102,2')).toEqual(['OK', 'E16', 'OK', 'OK']);
    expect(await ask('Z5,0,4', 'Z0,,4', 'Z0,80000100', 'Zx,0,4', 'Z0,1ffffffffffffffff,4')).toEqual(['', 'E16', 'E16', 'E16', 'E16']);
  });

  it('reports a full table as E1c', async () => {
    const target = new MemoryTarget();
    target.breakpointCapacity = 1;
    const { ask } = harness(target);
    expect(await ask('Z0,80000100,4', 'Z0,80000104,4')).toEqual(['OK', 'E1c']);
  });
});

describe('run control', () => {
  it('? reports the last stop with pc and sp expedited (a pause reads as a trap)', async () => {
    const target = new MemoryTarget();
    const { one } = harness(target);
    expect(await one('?')).toBe(`T05thread:01;20:${le(RAM_BASE + 0x100n, 8)};02:${le(RAM_BASE + 0x8000n, 8)};`);
  });

  it('vCont maps gdb actions and thread ids onto ResumeAction', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    expect(await ask('vCont?')).toEqual(['vCont;c;C;s;S']);
    const step = await ask('vCont;s:2;c');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 1, others: 'run' });
    expect(step).toEqual([`T05thread:02;20:${le(RAM_BASE + 0x108n, 8)};02:${le(RAM_BASE + 0x8000n - 0x100n, 8)};`]);
    await ask('vCont;s:2');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 1, others: 'hold' });
    await ask('vCont;S05:1;C05');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 0, others: 'run' });
    await ask('vCont;sp1.1');
    expect(target.resumes).toEqual([]);
    for (const [packet, action] of [
      ['vCont;c', { kind: 'continue' }],
      ['vCont;c:2', { kind: 'continue', harts: [1] }],
      ['vCont;c:-1', { kind: 'continue' }],
      ['vCont;c:p1.-1', { kind: 'continue' }],
    ] as const) {
      target.nextStop = { kind: 'breakpoint', hart: 0, type: 'software' };
      await ask(packet);
      expect(target.resumes.pop()).toEqual(action);
    }
    expect(await ask('vCont;c:3', 'vCont;x', 'vCont;t:1', 'vCont', 'vCont;s:zz', 'vCont;C', 'vCont;cc')).toEqual(['E16', '', '', 'E16', 'E16', 'E16', 'E16']);
    expect(target.resumes).toEqual([]);
  });

  it('c and s apply to the Hc thread, s/c addr move its pc first', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    await ask('s');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 0, others: 'run' });
    await ask('Hc2', 's80000200');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 1, others: 'hold' });
    expect(target.values[1].get(REG_PC)).toBe(0x80000204n);
    target.nextStop = { kind: 'step', hart: 1 };
    await ask('c');
    expect(target.resumes.pop()).toEqual({ kind: 'continue', harts: [1] });
    target.nextStop = { kind: 'step', hart: 1 };
    await ask('Hc0', 'C05;80000300');
    expect(target.resumes.pop()).toEqual({ kind: 'continue' });
    expect(target.values[1].get(REG_PC)).toBe(0x80000300n);
    expect(await ask('S0x', 'czz', 'C')).toEqual(['E16', 'E16', 'E16']);
  });

  it('formats each stop reason', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    await ask('qSupported:swbreak+;hwbreak+');
    const sp = le(RAM_BASE + 0x8000n, 8);
    const pc = le(RAM_BASE + 0x100n, 8);
    const cases: [StopReason, string][] = [
      [{ kind: 'breakpoint', hart: 0, type: 'software' }, `T05thread:01;swbreak:;20:${pc};02:${sp};`],
      [{ kind: 'breakpoint', hart: 0, type: 'hardware' }, `T05thread:01;hwbreak:;20:${pc};02:${sp};`],
      [{ kind: 'watchpoint', hart: 0, watch: 'write', addr: 0x80001000n }, `T05thread:01;watch:80001000;20:${pc};02:${sp};`],
      [{ kind: 'watchpoint', hart: 0, watch: 'read', addr: 0x80001000n }, `T05thread:01;rwatch:80001000;20:${pc};02:${sp};`],
      [{ kind: 'watchpoint', hart: 0, watch: 'access', addr: 0x80001000n }, `T05thread:01;awatch:80001000;20:${pc};02:${sp};`],
      [{ kind: 'trap', hart: 0, cause: 8n }, `T05thread:01;20:${pc};02:${sp};`],
      [{ kind: 'paused', hart: 0 }, `T02thread:01;20:${pc};02:${sp};`],
      [{ kind: 'history-start', hart: 0 }, `T05thread:01;replaylog:begin;20:${pc};02:${sp};`],
    ];
    for (const [reason, expected] of cases) {
      target.nextStop = reason;
      expect(await ask('vCont;c')).toEqual([expected]);
    }
  });

  it('bs steps the Hc thread (else the Hg one) back, bc runs backwards: each answered with the stop reply', async () => {
    const target = new MemoryTarget();
    target.canReverse = true;
    const { ask } = harness(target);
    await ask('qSupported:swbreak+;hwbreak+');
    const sp = (hart: number) => le(RAM_BASE + 0x8000n - BigInt(hart) * 0x100n, 8);
    const pc = (hart: number) => le(target.values[hart].get(REG_PC)!, 8);
    // No Hc yet: the last stopped hart.
    expect(await ask('bs')).toEqual([`T05thread:01;20:${le(RAM_BASE + 0x100n - 4n, 8)};02:${sp(0)};`]);
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 0, others: 'run', reverse: true });
    expect(await ask('Hc2', 'bs')).toEqual(['OK', `T05thread:02;20:${le(RAM_BASE + 0x104n - 4n, 8)};02:${sp(1)};`]);
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 1, others: 'run', reverse: true });
    // gdb's Hc0 (or Hc-1) steps its current thread: the hart of the last stop (hart 1 now)...
    await ask('Hc-1', 'bs');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 1, others: 'run', reverse: true });
    // ... or the one gdb switched to since (`thread 1` reads its registers with Hg1 first).
    expect(await ask('Hc0', 'Hg1', 'bs')).toEqual(['OK', 'OK', expect.stringMatching(/^T05thread:01;/)]);
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 0, others: 'run', reverse: true });
    // bc: the whole machine, whatever Hc says; the reply waits for the stop.
    target.nextStop = { kind: 'breakpoint', hart: 0, type: 'software' };
    expect(await ask('Hc2', 'bc')).toEqual(['OK', `T05thread:01;swbreak:;20:${pc(0)};02:${sp(0)};`]);
    expect(target.resumes.pop()).toEqual({ kind: 'continue', reverse: true });
    target.nextStop = { kind: 'watchpoint', hart: 1, watch: 'write', addr: 0x80001000n };
    expect(await ask('bc')).toEqual([expect.stringMatching(/^T05thread:02;watch:80001000;20:/)]);
    // Back at the oldest recorded state: replaylog:begin, as gdb expects it.
    target.nextStop = { kind: 'history-start', hart: 0 };
    expect(await ask('bc')).toEqual([`T05thread:01;replaylog:begin;20:${pc(0)};02:${sp(0)};`]);
    expect(target.resumes.pop()).toEqual({ kind: 'continue', reverse: true });
    // `?` there reads as a plain trap; the thread it names becomes the Hg thread all the same.
    expect(await ask('?')).toEqual([`T05thread:01;20:${pc(0)};02:${sp(0)};`]);
    // A reverse run is interrupted like a forward one.
    expect(await ask('bc')).toEqual([]);
    expect(target.running).toBe(true);
    expect(await ask('qAttached')).toEqual([expect.stringMatching(/^T02thread:01;/), '1']);
  });

  it('refuses bs and bc when the target records no history; other b packets are unknown', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    expect(await ask('qSupported:swbreak+')).toEqual([expect.not.stringContaining('Reverse')]);
    expect(await ask('bs', 'bc', 'Hc2', 'bs')).toEqual(['E26', 'E26', 'OK', 'E26']);
    expect(target.resumes).toEqual([]);
    expect(target.running).toBe(false);
    target.canReverse = true;
    expect(await ask('b', 'b9600', 'bss', 'bc1', 'bx')).toEqual(['', '', '', '', '']);
    expect(target.resumes).toEqual([]);
  });

  it('makes the thread of a stop reply the Hg thread (gdb assumes so: it sends no Hg after a stop)', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    const image = (hart: number) => [...Array(33).keys()].map((n) => le(target.values[hart].get(n)!, 8)).join('');
    expect(await ask('Hg1', 'g')).toEqual(['OK', image(0)]);
    target.nextStop = { kind: 'breakpoint', hart: 1, type: 'software' };
    expect(await ask('vCont;c', 'g')).toEqual([expect.stringMatching(/^T05thread:02;/), image(1)]);
    // `?` names a thread too.
    expect(await ask('Hg1', '?', 'g')).toEqual(['OK', expect.stringMatching(/^T05thread:02;/), image(1)]);
    // The Hc thread stays as gdb set it.
    await ask('Hc1', 's');
    expect(target.resumes.pop()).toEqual({ kind: 'step', hart: 0, others: 'hold' });
  });

  it('leaves swbreak/hwbreak out for a gdb that did not ask for them', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    target.nextStop = { kind: 'breakpoint', hart: 1, type: 'software' };
    expect((await ask('vCont;c'))[0]).toMatch(/^T05thread:02;20:/);
  });

  it('Ctrl-C pauses a running target: the reply is T02', async () => {
    const target = new MemoryTarget();
    const { ask, feed, reader } = harness(target);
    expect(await ask('c')).toEqual([]);
    expect(target.running).toBe(true);
    feed('\x03');
    await settle();
    expect(reader.takePackets()).toEqual([expect.stringMatching(/^T02thread:01;/)]);
    expect(target.running).toBe(false);
    // Ctrl-C while stopped does nothing.
    feed('\x03');
    await settle();
    expect(reader.takePackets()).toEqual([]);
    expect(target.pauses).toBe(1);
  });

  it('a packet arriving while the target runs stops it, then gets its reply after the stop reply', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    const replies = await ask('vCont;c', 'qAttached');
    expect(replies).toEqual([expect.stringMatching(/^T02/), '1']);
    expect(state.paused).toBe(false);
  });

  it('attaching to a running machine pauses it and answers ? once it stopped', async () => {
    const target = new MemoryTarget();
    target.startRunning();
    const { session, reader, feed } = (() => {
      const reader = new ReplyReader();
      const session = new GdbSession(target, { write: (b) => reader.push(b), end: () => {}, setPaused: () => {} });
      target.onStop((reason) => session.targetStopped(reason));
      session.start();
      return { session, reader, feed: (b: Buffer) => session.receive(b) };
    })();
    expect(target.pauses).toBe(1);
    feed(frame('?'));
    expect(reader.items).toEqual(['+']);
    await settle();
    expect(reader.takePackets()).toEqual([expect.stringMatching(/^T05thread:01;20:/)]);
    expect(session.ended).toBe(false);
  });

  it('a target resumed behind gdb (monitor cont) is stopped when the next packet comes, without a stop reply', async () => {
    const target = new MemoryTarget();
    const { ask } = harness(target);
    target.startRunning();
    expect(await ask('m80000000,1')).toEqual([Buffer.from(target.ram.slice(0, 1)).toString('hex')]);
  });

  it('the exit is reported as W and ends the session', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    target.nextStop = { kind: 'exited', code: 3 };
    expect(await ask('vCont;c')).toEqual(['W03']);
    expect(state.ended).toBe(true);
    expect(await ask('qAttached')).toEqual([]);
  });

  it('an exit while gdb is not waiting for a stop ends the session without a packet', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    target.stopped({ kind: 'exited', code: 0 });
    expect(state.ended).toBe(true);
    expect(await ask('qAttached')).toEqual([]);
  });

  it('a target that throws gets E01, and the session goes on', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    target.readMemory = () => { throw new Error('boom'); };
    expect(await ask('m80000000,4', 'qAttached')).toEqual(['E01', '1']);
    expect(state.logs.join('\n')).toContain('boom');
  });
});

describe('monitor', () => {
  it('runs the command and returns its output as O packets, then OK', async () => {
    const target = new MemoryTarget();
    const seen: [string, number][] = [];
    target.monitor = {
      command: async (line, hart) => {
        seen.push([line, hart]);
        return { output: 'x'.repeat(PACKET_SIZE) + '\n' };
      },
    };
    const { ask } = harness(target);
    const replies = await ask('Hg2', 'qRcmd,' + hexText('info mem'), 'qAttached');
    expect(seen).toEqual([['info mem', 1]]);
    expect(replies[0]).toBe('OK');
    const output = replies.slice(1, -2);
    expect(output.length).toBeGreaterThan(1);
    for (const packet of output) {
      expect(packet[0]).toBe('O');
      expect(packet.length).toBeLessThanOrEqual(PACKET_SIZE);
    }
    expect(Buffer.from(output.map((p) => p.slice(1)).join(''), 'hex').toString()).toBe('x'.repeat(PACKET_SIZE) + '\n');
    expect(replies.slice(-2)).toEqual(['OK', '1']);
  });

  it('`monitor quit`: the reply, then the end (no W: gdb is not waiting for a stop)', async () => {
    const target = new MemoryTarget();
    target.monitor = {
      command: async () => {
        target.kill();
        return { output: 'bye\n', effect: 'quit' };
      },
    };
    const { ask, state } = harness(target);
    const replies = await ask('qRcmd,' + hexText('quit'));
    expect(replies).toEqual(['O' + hexText('bye\n'), 'OK']);
    expect(state.ended).toBe(true);
  });

  it('says so when there is no monitor, and rejects bad hex', async () => {
    const { ask } = harness(new MemoryTarget());
    const [text, ok, bad] = await ask('qRcmd,' + hexText('help'), 'qRcmd,zz');
    expect(Buffer.from(text.slice(1), 'hex').toString()).toMatch(/no monitor/);
    expect([ok, bad]).toEqual(['OK', 'E16']);
  });
});

describe('ending', () => {
  it('k kills without a reply and ends', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    expect(await ask('k')).toEqual([]);
    expect(target.killed).toBe(true);
    expect(state.ended).toBe(true);
  });

  it('vKill answers OK, then kills', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    expect(await ask('vKill;1')).toEqual(['OK']);
    expect(target.killed).toBe(true);
    expect(state.ended).toBe(true);
  });

  it('D clears the breakpoints, answers OK and lets the machine run', async () => {
    const target = new MemoryTarget();
    const { ask, state } = harness(target);
    expect(await ask('Z0,80000100,4', 'D')).toEqual(['OK', 'OK']);
    expect(target.breakpoints.size).toBe(0);
    expect(target.resumes).toEqual([{ kind: 'continue' }]);
    expect(state.ended).toBe(true);
  });

  it('a dropped connection detaches the same way', async () => {
    const target = new MemoryTarget();
    const { ask, session } = harness(target);
    await ask('Z2,80000100,4');
    session.disconnected();
    expect(target.watchpoints).toEqual([]);
    expect(target.resumes).toEqual([{ kind: 'continue' }]);
  });
});

// --- over sockets ------------------------------------------------------------------------

/** A raw RSP client on a socket. */
class Client {
  readonly reader = new ReplyReader();
  closed: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.reader.push(chunk);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake();
      resolve();
    }));
  }

  static connect(options: net.NetConnectOpts): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(options, () => resolve(new Client(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a packet and waits for `count` reply packets. */
  async request(payload: string, count = 1): Promise<string[]> {
    this.socket.write(frame(payload));
    const packets: string[] = [];
    while (packets.length < count && !this.socket.destroyed) {
      packets.push(...this.reader.takePackets());
      if (packets.length >= count) break;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    packets.push(...this.reader.takePackets());
    return packets;
  }
}

describe('GdbServer', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(target: MemoryTarget, where: { host: string; port: number } | { path: string } = { host: '127.0.0.1', port: 0 }) {
    const logs: string[] = [];
    const server = new GdbServer(target, { log: (line) => logs.push(line) });
    const address = await server.listen(where);
    cleanups.push(() => server.close());
    return { server, address, logs };
  }

  it('listens on the port the OS picks and talks RSP over TCP', async () => {
    const target = new MemoryTarget();
    const { address } = await start(target);
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    const client = await Client.connect({ host: address.host, port: address.port! });
    cleanups.push(() => void client.socket.destroy());
    expect(await client.request('qSupported:swbreak+')).toEqual([expect.stringMatching(/^PacketSize=4000;/)]);
    expect(client.reader.items).toEqual([]);
    expect(await client.request('?')).toEqual([expect.stringMatching(/^T05thread:01;/)]);
  });

  it('refuses a second debugger, and takes a new one after the first detached', async () => {
    const target = new MemoryTarget();
    const { address, logs, server } = await start(target);
    const first = await Client.connect({ host: '127.0.0.1', port: address.port! });
    expect(await first.request('qAttached')).toEqual(['1']);
    const second = await Client.connect({ host: '127.0.0.1', port: address.port! });
    await second.closed;
    expect(logs).toEqual([expect.stringMatching(/^a debugger is already attached; refusing 127\.0\.0\.1:\d+$/)]);
    expect(server.debuggerAttached).toBe(true);
    expect(await first.request('D')).toEqual(['OK']);
    await first.closed;
    expect(target.resumes).toEqual([{ kind: 'continue' }]);
    target.stopped({ kind: 'paused', hart: 0 });
    const third = await Client.connect({ host: '127.0.0.1', port: address.port! });
    cleanups.push(() => void third.socket.destroy());
    expect(await third.request('qAttached')).toEqual(['1']);
  });

  it('a debugger that drops the connection is detached for: breakpoints cleared, target resumed', async () => {
    const target = new MemoryTarget();
    const { address, server } = await start(target);
    const client = await Client.connect({ host: '127.0.0.1', port: address.port! });
    expect(await client.request('Z0,80000100,2')).toEqual(['OK']);
    client.socket.destroy();
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(target.cleared).toBe(1);
    expect(target.resumes).toEqual([{ kind: 'continue' }]);
    expect(server.debuggerAttached).toBe(false);
  });

  it('sends W when the guest exits, then closes the connection', async () => {
    const target = new MemoryTarget();
    const { address } = await start(target);
    const client = await Client.connect({ host: '127.0.0.1', port: address.port! });
    target.nextStop = { kind: 'exited', code: 0 };
    expect(await client.request('vCont;c')).toEqual(['W00']);
    await client.closed;
  });

  it('close() ends the connection after flushing and stops listening', async () => {
    const target = new MemoryTarget();
    const logs: string[] = [];
    const server = new GdbServer(target, { log: (line) => logs.push(line) });
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    const client = await Client.connect({ host: '127.0.0.1', port: address.port! });
    expect(await client.request('qAttached')).toEqual(['1']);
    await server.close();
    await client.closed;
    await expect(Client.connect({ host: '127.0.0.1', port: address.port! })).rejects.toThrow();
    // close() leaves the target as it was (no detach-resume).
    expect(target.resumes).toEqual([]);
  });

  it('close() from inside `monitor quit` lets its reply out before the connection ends', async () => {
    const target = new MemoryTarget();
    const server = new GdbServer(target, { log: () => {} });
    // As the CLI does: when the machine ends, the server closes.
    target.onStop((reason) => { if (reason.kind === 'exited') void server.close(); });
    target.monitor = {
      command: async () => {
        await tick();
        target.kill();
        await tick();
        return { output: 'bye\n', effect: 'quit' };
      },
    };
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    const client = await Client.connect({ host: '127.0.0.1', port: address.port! });
    expect(await client.request('qRcmd,' + hexText('quit'), 2)).toEqual(['O' + hexText('bye\n'), 'OK']);
    await client.closed;
  });

  it.skipIf(process.platform === 'win32')('listens on a Unix-domain socket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-gdb-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const socketPath = path.join(dir, 'gdb.sock');
    const target = new MemoryTarget();
    const { address } = await start(target, { path: socketPath });
    expect(address).toEqual({ path: socketPath });
    const client = await Client.connect({ path: socketPath });
    cleanups.push(() => void client.socket.destroy());
    expect(await client.request('qC')).toEqual(['QC01']);
  });

  it('reports a port in use as a listen error', async () => {
    const target = new MemoryTarget();
    const { address } = await start(target);
    const other = new GdbServer(new MemoryTarget(), { log: () => {} });
    await expect(other.listen({ host: '127.0.0.1', port: address.port! })).rejects.toThrow(/EADDRINUSE/);
  });
});
