// virtio-console (virtio-serial-device + virtconsole) on a real virt Machine, driven through its
// virtio-mmio registers by the test driver in both transports: output, input, config space,
// the MULTIPORT control handshake, typed-input routing; and the CLI forms that build it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArguments, UsageError, type RunOptions } from '../../server/src/cli/options';
import { openVirtioDevices } from '../../server/src/cli/virtio-options';
import {
  CONSOLE_F_EMERG_WRITE, CONSOLE_F_MULTIPORT, CONTROL_CONSOLE_PORT, CONTROL_DEVICE_ADD, CONTROL_DEVICE_READY,
  CONTROL_PORT_NAME, CONTROL_PORT_OPEN, CONTROL_PORT_READY, VirtioConsole,
} from '../../server/src/devices/virtio/console';
import { consoleOf, type VirtioConsolePort } from '../../server/src/devices/virtio/slots';
import { Machine } from '../../server/src/machine/machine';
import { FakeDriver, REG } from './virtio-driver';
import { buildHostBundle } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const VIRTIO_BASE = 0x1000_1000;
const UART_BASE = 0x1000_0000;
const RAM_BASE = 0x8000_0000;
const SLOT = 7;
const text = (s: string) => new TextEncoder().encode(s);

/** A machine whose slot 7 holds a virtio-serial-device; `port` is its virtconsole (if any). */
function machine(forceLegacy: boolean, options: { port?: VirtioConsolePort; maxPorts?: number; emergencyWrite?: boolean } = {}) {
  return new Machine({
    board: 'virt', ramSize: 16 << 20, kernel: path.join(root, 'samples/hello/hello.elf'), bios: 'none', icountShift: 3,
    console: { write() {} }, rtcStart: 0n, rngSeed: 1n,
    virtio: {
      forceLegacy,
      devices: [{ kind: 'serial', slot: SLOT, maxPorts: options.maxPorts ?? 31, emergencyWrite: options.emergencyWrite ?? true, console: options.port }],
    },
  });
}

/** One test driver per queue, each with its own rings and buffers, all on slot 7's registers. */
function drivers(m: Machine, count: number): FakeDriver[] {
  const base = VIRTIO_BASE + 0x1000 * SLOT;
  const window = {
    read: (offset: number, size: number) => m.bus.read(base + offset, size),
    write: (offset: number, size: number, value: bigint) => m.bus.write(base + offset, size, value),
  };
  return Array.from({ length: count }, (_, queue) =>
    new FakeDriver(window, m.core, { queue, ring: RAM_BASE + 0x10_0000 + 0x2000 * queue, buffers: RAM_BASE + 0x20_0000 + 0x1_0000 * queue }));
}

/** 3.1.1 with `wanted` features: queue 0 by init, the others placed before DRIVER_OK. */
function bringUp(m: Machine, wanted: bigint): FakeDriver[] {
  const queues = drivers(m, wanted & CONSOLE_F_MULTIPORT ? 4 : 2);
  queues[0].init(wanted, { driverOk: false });
  for (const driver of queues.slice(1)) driver.setupQueue();
  queues[0].write(REG.STATUS, queues[0].read(REG.STATUS) | 4);
  return queues;
}

function sink() {
  const bytes: number[] = [];
  return { bytes, output: { write: (byte: number) => void bytes.push(byte) }, get text() { return new TextDecoder().decode(Uint8Array.from(bytes)); } };
}

function control(id: number, event: number, value: number): Uint8Array {
  const message = new Uint8Array(8);
  const view = new DataView(message.buffer);
  view.setUint32(0, id, true);
  view.setUint16(4, event, true);
  view.setUint16(6, value, true);
  return message;
}

/** The control messages the device put in the control receiveq's used buffers (read back from RAM). */
function received(driver: FakeDriver, posted: number[]): { id: number; event: number; value: number; extra: string }[] {
  return driver.takeUsed().map(({ id, len }) => {
    const bytes = driver.bytes(posted[id], len);
    const view = new DataView(bytes.buffer);
    return { id: view.getUint32(0, true), event: view.getUint16(4, true), value: view.getUint16(6, true), extra: new TextDecoder().decode(bytes.subarray(8)) };
  });
}

function deliverInput(m: Machine): number {
  // The slice boundary's input hand-off (Machine.slice calls it before running the harts).
  return (m as unknown as { deliverInput(): number }).deliverInput();
}

describe.skipIf(!haveCore).each([
  { transport: 'legacy (version 1)', forceLegacy: true },
  { transport: 'modern (version 2)', forceLegacy: false },
])('virtio-console over $transport virtio-mmio', ({ forceLegacy }) => {
  it('has QEMU virtio-serial identity, features and config space', () => {
    const m = machine(forceLegacy);
    const [driver] = drivers(m, 1);
    expect(driver.read(REG.DEVICE_ID)).toBe(3);
    expect(driver.offered() & 0xffn).toBe(CONSOLE_F_MULTIPORT | CONSOLE_F_EMERG_WRITE);
    expect(m.bus.read(VIRTIO_BASE + 0x1000 * SLOT + REG.CONFIG, 2)).toBe(0); // cols: no F_SIZE
    expect(m.bus.read(VIRTIO_BASE + 0x1000 * SLOT + REG.CONFIG + 2, 2)).toBe(0); // rows
    expect(driver.read(REG.CONFIG + 4)).toBe(31); // max_nr_ports
    expect(driver.read(REG.CONFIG + 8)).toBe(0); // emerg_wr reads as 0
    expect(driver.read(REG.CONFIG + 12)).toBe(0xffff_ffff); // past the 12 bytes
    const small = machine(forceLegacy, { maxPorts: 4, emergencyWrite: false });
    const [other] = drivers(small, 1);
    expect(other.offered() & 0xffn).toBe(CONSOLE_F_MULTIPORT);
    expect(other.read(REG.CONFIG + 4)).toBe(4);
    expect(other.read(REG.CONFIG + 8)).toBe(0xffff_ffff); // no emerg_wr without the feature
    expect(other.read(REG.QUEUE_NUM_MAX)).toBe(1024);
    other.write(REG.QUEUE_SEL, 9); // 2 · (4 + 1) queues: 0..9
    expect(other.read(REG.QUEUE_NUM_MAX)).toBe(1024);
    other.write(REG.QUEUE_SEL, 10);
    expect(other.read(REG.QUEUE_NUM_MAX)).toBe(0);
  });

  it('without MULTIPORT: transmitq 0 output reaches the sink in order, receiveq 0 takes input', () => {
    const out = sink();
    const m = machine(forceLegacy, { port: { nr: 0, output: out.output } });
    const [rx, tx] = bringUp(m, 0n);
    const device = consoleOf((m as unknown as { virtio: Parameters<typeof consoleOf>[0][] }).virtio[SLOT])!;
    expect(device.acceptsInput).toBe(true);
    tx.submit([{ data: text('hel') }]);
    tx.submit([{ data: text('lo, ') }, { data: text('world') }]);
    tx.notify();
    expect(out.text).toBe('hello, world');
    expect(tx.takeUsed().map((used) => used.len)).toEqual([0, 0]);
    expect(tx.read(REG.INTERRUPT_STATUS) & 1).toBe(1);
    tx.write(REG.INTERRUPT_ACK, 1);

    // No receive buffer yet: nothing is taken.
    expect(device.receive(text('abc'))).toBe(0);
    const [first] = rx.submit([{ writable: 4 }]);
    const [second] = rx.submit([{ writable: 4 }]);
    rx.notify(); // buffers wait for input
    expect(rx.takeUsed()).toEqual([]);
    expect(device.receive(text('abcdefghij'))).toBe(8);
    expect(rx.takeUsed().map((used) => used.len)).toEqual([4, 4]);
    expect(new TextDecoder().decode(rx.bytes(first, 4)) + new TextDecoder().decode(rx.bytes(second, 4))).toBe('abcdefgh');
    expect(rx.read(REG.INTERRUPT_STATUS) & 1).toBe(1);
    const [third] = rx.submit([{ writable: 16 }]);
    rx.notify();
    expect(device.receive(text('ij'))).toBe(2);
    expect(rx.takeUsed()).toEqual([{ id: expect.any(Number), len: 2 }]);
    expect(new TextDecoder().decode(rx.bytes(third, 2))).toBe('ij');

    // emerg_wr puts one byte out at once (a zero write is none, as in QEMU).
    m.bus.write(VIRTIO_BASE + 0x1000 * SLOT + REG.CONFIG + 8, 4, 0n);
    m.bus.write(VIRTIO_BASE + 0x1000 * SLOT + REG.CONFIG + 8, 4, 0x21n);
    expect(out.text).toBe('hello, world!');
    // A device reset forgets the driver: no input until it is set up again.
    rx.write(REG.STATUS, 0);
    expect(device.acceptsInput).toBe(false);
  });

  it('with MULTIPORT: announces the console port, opens it, and routes typed input to it', () => {
    const out = sink();
    const m = machine(forceLegacy, { port: { nr: 0, name: 'org.lantern.console', output: out.output } });
    const [rx, tx, controlRx, controlTx] = bringUp(m, CONSOLE_F_MULTIPORT);
    const device = consoleOf((m as unknown as { virtio: Parameters<typeof consoleOf>[0][] }).virtio[SLOT])!;
    expect(device.acceptsInput).toBe(false);
    const posted = Array.from({ length: 8 }, () => controlRx.submit([{ writable: 64 }])[0]);
    controlRx.notify();
    expect(controlRx.takeUsed()).toEqual([]);

    controlTx.submit([{ data: control(0, CONTROL_DEVICE_READY, 1) }]);
    controlTx.notify();
    expect(controlTx.takeUsed()).toEqual([{ id: expect.any(Number), len: 0 }]);
    expect(received(controlRx, posted)).toEqual([{ id: 0, event: CONTROL_DEVICE_ADD, value: 1, extra: '' }]);
    expect(controlRx.read(REG.INTERRUPT_STATUS) & 1).toBe(1);

    controlTx.submit([{ data: control(0, CONTROL_PORT_READY, 1) }]);
    controlTx.notify();
    expect(received(controlRx, posted)).toEqual([
      { id: 0, event: CONTROL_CONSOLE_PORT, value: 1, extra: '' },
      { id: 0, event: CONTROL_PORT_NAME, value: 1, extra: 'org.lantern.console' },
      { id: 0, event: CONTROL_PORT_OPEN, value: 1, extra: '' },
    ]);

    // Typed input waits for the guest to open the port; the UART never gets it.
    const [line] = rx.submit([{ writable: 64 }]);
    rx.notify();
    m.sendInput(text('ls'));
    expect(deliverInput(m)).toBe(0);
    controlTx.submit([{ data: control(0, CONTROL_PORT_OPEN, 1) }]);
    controlTx.notify();
    expect(device.acceptsInput).toBe(true);
    m.sendInput(text('\r'));
    expect(deliverInput(m)).toBe(3);
    expect(rx.takeUsed()).toEqual([{ id: expect.any(Number), len: 3 }]);
    expect(new TextDecoder().decode(rx.bytes(line, 3))).toBe('ls\r');
    expect(Number(m.bus.read(UART_BASE + 5, 1)) & 1).toBe(0); // the UART got none of it

    tx.submit([{ data: text('$ ') }]);
    tx.notify();
    expect(out.text).toBe('$ ');

    // The state round-trips by name and version.
    const saved = device.saveState();
    expect(saved).toMatchObject({ name: 'virtio-console', version: 1, active: true, multiport: true, guestConnected: true });
    const copy = new VirtioConsole({ maxPorts: 31, emergencyWrite: true, port: { nr: 0, output: out.output, connected: true } });
    copy.loadState(saved);
    expect(copy.acceptsInput).toBe(true);
    expect(() => copy.loadState({ name: 'virtio-rng', version: 1 })).toThrow(/into virtio-console v1/);
  });

  it('a port without a chardev drops output and never takes input; a port elsewhere uses its own queues', () => {
    const m = machine(forceLegacy, { port: { nr: 1 } });
    const queues = drivers(m, 6);
    queues[0].init(CONSOLE_F_MULTIPORT, { driverOk: false });
    for (const driver of queues.slice(1)) driver.setupQueue();
    queues[0].write(REG.STATUS, queues[0].read(REG.STATUS) | 4);
    const [, , controlRx, controlTx, , tx1] = queues;
    const posted = Array.from({ length: 4 }, () => controlRx.submit([{ writable: 64 }])[0]);
    controlRx.notify();
    controlTx.submit([{ data: control(0, CONTROL_DEVICE_READY, 1) }]);
    controlTx.submit([{ data: control(1, CONTROL_PORT_READY, 1) }]);
    controlTx.submit([{ data: control(1, CONTROL_PORT_OPEN, 1) }]);
    controlTx.notify();
    // No host side: no PORT_OPEN from the device.
    expect(received(controlRx, posted)).toEqual([
      { id: 1, event: CONTROL_DEVICE_ADD, value: 1, extra: '' },
      { id: 1, event: CONTROL_CONSOLE_PORT, value: 1, extra: '' },
    ]);
    const device = consoleOf((m as unknown as { virtio: Parameters<typeof consoleOf>[0][] }).virtio[SLOT])!;
    expect(device.acceptsInput).toBe(false);
    // Without a host side the UART keeps typed input.
    m.sendInput(text('u'));
    expect(deliverInput(m)).toBe(1);
    expect(m.bus.read(UART_BASE, 1)).toBe(0x75);
    tx1.submit([{ data: text('dropped') }]);
    tx1.notify(5);
    expect(tx1.takeUsed()).toEqual([{ id: expect.any(Number), len: 0 }]);
  });

  it('stops with DEVICE_NEEDS_RESET on a short control message', () => {
    const m = machine(forceLegacy, { port: { nr: 0 } });
    const [, , , controlTx] = bringUp(m, CONSOLE_F_MULTIPORT);
    controlTx.submit([{ data: Uint8Array.of(0, 0, 0) }]);
    controlTx.notify();
    expect(controlTx.read(REG.STATUS) & 0x40).toBe(0x40);
  });
});

const cli = path.join(root, 'dist/cli.js');
const base = ['-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', path.join(root, 'samples/hello/hello.elf')];

function run(...args: string[]): RunOptions {
  const invocation = parseArguments([...base, ...args]);
  if (invocation.kind !== 'run') throw new Error('expected a run');
  return invocation.options;
}

function usage(args: string[], pattern: RegExp): void {
  expect(() => run(...args)).toThrow(UsageError);
  expect(() => run(...args)).toThrow(pattern);
}

describe('virtio-serial-device and virtconsole options', () => {
  it('builds the QEMU form: -chardev stdio,id=c0 -device virtio-serial-device -device virtconsole,chardev=c0', () => {
    const options = run('-chardev', 'stdio,id=c0', '-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=c0');
    expect(options.virtio?.devices).toEqual([
      { kind: 'serial', slot: 7, maxPorts: 31, emergencyWrite: true, console: { nr: 0, name: undefined, chardev: { id: 'c0', backend: 'stdio' } } },
    ]);
    const terminal = { write() {} };
    expect(openVirtioDevices(options.virtio!, terminal).config.devices).toEqual([
      { kind: 'serial', slot: 7, maxPorts: 31, emergencyWrite: true, console: { nr: 0, name: undefined, output: terminal } },
    ]);
    const other = run('-chardev', 'null,id=n', '-device', 'virtio-serial-device,bus=virtio-mmio-bus.2,max_ports=2,emergency-write=off',
      '-device', 'virtconsole,chardev=n,nr=1,name=org.x', '-device', 'virtio-rng-device');
    expect(other.virtio?.devices).toEqual([
      { kind: 'serial', slot: 2, maxPorts: 2, emergencyWrite: false, console: { nr: 1, name: 'org.x', chardev: { id: 'n', backend: 'null' } } },
      { kind: 'rng', slot: 7 },
    ]);
    expect(openVirtioDevices(other.virtio!, terminal).config.devices[0]).toMatchObject({ console: { nr: 1, output: undefined } });
    // A serial device alone has no ports; a virtconsole without chardev= has no host side.
    expect(run('-device', 'virtio-serial-device').virtio?.devices).toEqual([{ kind: 'serial', slot: 7, maxPorts: 31, emergencyWrite: true }]);
    expect(run('-device', 'virtio-serial-device', '-device', 'virtconsole').virtio?.devices[0]).toMatchObject({ console: { nr: 0, chardev: undefined } });
    expect(run('-chardev', 'stdio,id=c,mux=on,signal=off').virtio).toBeUndefined();
  });

  it('rejects what QEMU rejects, in one line', () => {
    usage(['-device', 'virtconsole'], /^-device virtconsole: no 'virtio-serial-bus' bus found/);
    usage(['-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=c9'], /chardev 'c9' not found/);
    usage(['-device', 'virtio-serial-device,max_ports=600'], /max_ports must be from 1 to 511/);
    usage(['-device', 'virtio-serial-device,max_ports=4', '-device', 'virtconsole,nr=4'], /port nr must be from 0 to 3/);
    usage(['-device', 'virtio-serial-device', '-device', 'virtconsole', '-device', 'virtconsole'], /only one virtconsole is supported/);
    usage(['-device', 'virtio-serial-device,emergency-write=maybe'], /parameter 'emergency-write' expects 'on' or 'off'/);
    usage(['-device', 'virtio-serial-device,packed=on'], /has no property 'packed'/);
    usage(['-device', 'virtio-serial'], /PCI devices are not supported; use virtio-serial-device/);
    usage(['-chardev', 'stdio'], /^-chardev stdio: chardev: no id specified$/);
    usage(['-chardev', 'socket,id=s,path=/tmp/x'], /backend 'socket' is not supported \(stdio or null\)/);
    usage(['-chardev', 'stdio,id=a', '-chardev', 'null,id=a'], /duplicate chardev id 'a'/);
    usage(['-chardev', 'stdio,id=a,logfile=x'], /unsupported setting 'logfile'/);
  });

  it('lists virtio-serial-device and virtconsole for -device help', () => {
    const invocation = parseArguments(['-device', 'help']);
    expect(invocation.kind === 'print' && invocation.text).toMatch(/virtio-serial-device[\s\S]*virtconsole/);
  });
});

describe('lantern CLI with a virtconsole', () => {
  beforeAll(() => {
    buildHostBundle();
  });

  it('fails with one line and status 2 for a bad -chardev or a console without a bus', () => {
    for (const [args, pattern] of [
      [['-chardev', 'pty,id=p'], /backend 'pty' is not supported/],
      [['-chardev', 'stdio,id=c0', '-device', 'virtconsole,chardev=c0'], /no 'virtio-serial-bus' bus found/],
    ] as const) {
      const result = spawnSync(process.execPath, [cli, ...base, ...args], { encoding: 'utf8', input: '', timeout: 30_000 });
      expect(result.stderr).toMatch(/^lantern: [^\n]+\n$/);
      expect(result.stderr).toMatch(pattern);
      expect(result.status).toBe(2);
    }
  });

  it('documents -chardev and the virtconsole form in --help', () => {
    const result = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/-chardev stdio\|null,id=id\S* .*-device virtconsole,chardev=ID/);
  });
});
