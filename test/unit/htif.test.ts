// HTIF protocol over a tohost/fromhost pair: exit, console putchar/getchar, the pk-style
// syscall proxy, and the tohost clear that guests spinning on tohost == 0 wait for.
import { describe, expect, it } from 'vitest';
import { Htif, type HtifMailbox, type HtifMemory } from '../../server/src/devices/htif';

const BASE = 0x8000_0000n;

function htif(withFromhost = true) {
  const box = { tohost: 0n, fromhost: 0n };
  const mailbox: HtifMailbox = {
    readTohost: () => box.tohost,
    writeTohost: (value) => { box.tohost = value; },
  };
  if (withFromhost) {
    mailbox.readFromhost = () => box.fromhost;
    mailbox.writeFromhost = (value) => { box.fromhost = value; };
  }
  const ram = new Uint8Array(0x1000);
  const memory: HtifMemory = {
    read: (paddr, length) => (paddr >= BASE && paddr + BigInt(length) <= BASE + 0x1000n
      ? ram.slice(Number(paddr - BASE), Number(paddr - BASE) + length) : undefined),
    write: (paddr, data) => {
      ram.set(data, Number(paddr - BASE));
      return true;
    },
  };
  const out: number[] = [];
  const device = new Htif(mailbox, { write: (byte) => out.push(byte) }, memory);
  const command = (device: bigint, cmd: bigint, payload: bigint) => (device << 56n) | (cmd << 48n) | payload;
  return { device, box, ram, out, command };
}

describe('HTIF', () => {
  it('exits with payload >> 1 when the low bit is set', () => {
    const { device, box } = htif();
    box.tohost = (21n << 1n) | 1n;
    expect(device.handleTohost()).toEqual({ kind: 'exit', status: 21 });
    box.tohost = 1n;
    expect(device.handleTohost()).toEqual({ kind: 'exit', status: 0 });
  });

  it('prints a console character, clears tohost and answers in fromhost', () => {
    const { device, box, out, command } = htif();
    box.tohost = command(1n, 1n, 0x41n);
    expect(device.handleTohost()).toEqual({ kind: 'none' });
    expect(out).toEqual([0x41]);
    expect(box.tohost).toBe(0n);
    expect(box.fromhost).toBe(command(1n, 1n, 0x141n));
  });

  it('works without a fromhost symbol', () => {
    const { device, box, out, command } = htif(false);
    box.tohost = command(1n, 1n, 0x0an);
    device.handleTohost();
    expect(out).toEqual([0x0a]);
    expect(box.tohost).toBe(0n);
  });

  it('answers a console read when a byte arrives, once fromhost is free', () => {
    const { device, box, command } = htif();
    expect(device.canReceive()).toBe(false);
    box.tohost = command(1n, 0n, 0n);
    device.handleTohost();
    expect(box.tohost).toBe(0n);
    box.fromhost = 5n; // the guest has not taken the previous answer yet
    expect(device.receive(0x61)).toBe(false);
    box.fromhost = 0n;
    expect(device.receive(0x61)).toBe(true);
    expect(box.fromhost).toBe(command(1n, 0n, 0x161n));
    expect(device.receive(0x62)).toBe(false); // one answer per request
  });

  it('acknowledges unknown commands and ignores a zero tohost', () => {
    const { device, box, out, command } = htif();
    box.tohost = command(7n, 3n, 0x99n);
    expect(device.handleTohost()).toEqual({ kind: 'none' });
    expect(box.tohost).toBe(0n);
    expect(box.fromhost).toBe(command(7n, 3n, 0n));
    box.fromhost = 0n;
    expect(device.handleTohost()).toEqual({ kind: 'none' });
    expect(box.fromhost).toBe(0n);
    expect(out).toEqual([]);
  });

  it('proxies write(1, buf, len) and exit from a syscall block', () => {
    const { device, box, ram, out } = htif();
    const view = new DataView(ram.buffer);
    ram.set(Buffer.from('ok\n'), 0x100);
    view.setBigUint64(0x40, 64n, true); // SYS_write
    view.setBigUint64(0x48, 1n, true);
    view.setBigUint64(0x50, BASE + 0x100n, true);
    view.setBigUint64(0x58, 3n, true);
    box.tohost = BASE + 0x40n;
    expect(device.handleTohost()).toEqual({ kind: 'none' });
    expect(Buffer.from(out).toString()).toBe('ok\n');
    expect(view.getBigInt64(0x40, true)).toBe(3n); // the result replaces the number
    expect(box.fromhost).toBe(1n);
    expect(box.tohost).toBe(0n);

    view.setBigUint64(0x40, 1234n, true); // unknown: -ENOSYS
    box.tohost = BASE + 0x40n;
    device.handleTohost();
    expect(view.getBigInt64(0x40, true)).toBe(-38n);

    view.setBigUint64(0x40, 93n, true); // SYS_exit
    view.setBigUint64(0x48, 4n, true);
    box.tohost = BASE + 0x40n;
    expect(device.handleTohost()).toEqual({ kind: 'exit', status: 4 });
  });

  it('round-trips a pending console read', () => {
    const { device, box, command } = htif();
    box.tohost = command(1n, 0n, 0n);
    device.handleTohost();
    const state = device.saveState();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    const other = htif();
    other.device.loadState(state);
    expect(other.device.receive(0x7a)).toBe(true);
    expect(other.box.fromhost).toBe(command(1n, 0n, 0x17an));
  });
});
