// virtio-net behind the virtio-mmio registers, legacy and modern, driven by the test driver
// with its rings in a real Core's RAM: features, config space, transmit to a recording backend,
// receive into posted buffers, drops and their counters, malformed frames, snapshots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuestRam } from '../../server/src/devices/virtio/dma';
import { VirtioMmio } from '../../server/src/devices/virtio/mmio';
import {
  DEFAULT_MAC, NET_F_CSUM, NET_F_GUEST_CSUM, NET_F_GUEST_TSO4, NET_F_HOST_TSO4, NET_F_MAC, NET_F_STATUS, NET_HDR_BYTES, NET_HDR_F_DATA_VALID, NET_HDR_F_NEEDS_CSUM,
  NET_HDR_LEGACY_BYTES, NET_S_LINK_UP, VirtioNet, parseMac, type NetBackend,
} from '../../server/src/devices/virtio/net';
import { Core } from '../../server/src/machine/core';
import { ETHERTYPE_IPV4, PROTOCOL_UDP, buildEthernet, buildIpv4, buildUdp, ipv4 } from '../../server/src/net/frames';
import { F_EVENT_IDX, F_VERSION_1, FakeDriver, REG, STATUS } from './virtio-driver';

const haveCore = fs.existsSync(path.join(__dirname, '../../dist/core.wasm'));
const RAM_BASE = 0x8000_0000;
const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0xab, 0xcd, 0xef);
/** Linux's small-buffer receive size: header plus a 1518-byte frame (GOOD_PACKET_LEN). */
const RX_BUFFER = NET_HDR_BYTES + 1518;

/** An Ethernet-shaped frame of `length` bytes whose contents depend on `seed`. */
function frame(seed: number, length = 60): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 37 + i * 11) & 0xff);
}

function setup(legacy: boolean, options: { mac?: Uint8Array } = {}, backend: Omit<NetBackend, 'send'> = {}) {
  const core = new Core(1 << 20, { read: () => undefined, write: () => 'fault' });
  const levels: boolean[] = [];
  const errors: string[] = [];
  const sent: Uint8Array[] = [];
  const device = new VirtioNet({ ...backend, send: (bytes) => void sent.push(bytes) }, { mac: options.mac });
  const transport = new VirtioMmio({
    device,
    irq: { set: (level) => levels.push(level) },
    ram: new GuestRam({ get bytes() { return core.ram; }, base: RAM_BASE, markDirty: (at, length) => core.markDirty(at, length) }),
    legacy,
    onDeviceError: (reason) => errors.push(reason),
  });
  // As slots.ts does for the console: deliver() is served through QueueNotify.
  device.attach((index) => transport.write(REG.QUEUE_NOTIFY, 4, BigInt(index)), () => transport.configChanged());
  const rx = new FakeDriver(transport, core, { queue: 0, ring: RAM_BASE + 0x1_0000, buffers: RAM_BASE + 0x2_0000 });
  const tx = new FakeDriver(transport, core, { queue: 1, ring: RAM_BASE + 0x4_0000, buffers: RAM_BASE + 0x5_0000 });
  const irq = () => levels[levels.length - 1] ?? false;
  const ack = () => rx.write(REG.INTERRUPT_ACK, rx.read(REG.INTERRUPT_STATUS));
  /** 3.1.1: both queues placed before DRIVER_OK. */
  const bringUp = (wanted = NET_F_MAC | NET_F_STATUS) => {
    rx.init(wanted, { driverOk: false });
    tx.setupQueue();
    rx.write(REG.STATUS, rx.read(REG.STATUS) | STATUS.DRIVER_OK);
  };
  return { core, device, transport, rx, tx, sent, errors, irq, ack, bringUp };
}

/** Header (10 or 12 bytes, zero) then the frame, as the Linux driver sends it. */
function transmitChain(headerBytes: number, bytes: Uint8Array, split: boolean) {
  const header = new Uint8Array(headerBytes);
  if (!split) {
    const whole = new Uint8Array(headerBytes + bytes.length);
    whole.set(bytes, headerBytes);
    return [{ data: whole }];
  }
  return [{ data: header }, { data: bytes }];
}

for (const legacy of [true, false]) {
  const headerBytes = legacy ? NET_HDR_LEGACY_BYTES : NET_HDR_BYTES;
  describe.skipIf(!haveCore)(`virtio-net over ${legacy ? 'legacy (version 1)' : 'modern (version 2)'} virtio-mmio`, () => {
    it('offers CSUM, GUEST_CSUM, the TSO4 pair, MAC and STATUS (VERSION_1 when modern), no other offloads, and shows MAC and link in config space', () => {
      const { rx, transport } = setup(legacy, { mac: MAC });
      expect(rx.read(REG.DEVICE_ID)).toBe(1);
      const offered = rx.offered();
      expect(offered & 0xff_ffffn).toBe(NET_F_CSUM | NET_F_GUEST_CSUM | NET_F_GUEST_TSO4 | NET_F_HOST_TSO4 | NET_F_MAC | NET_F_STATUS); // no UFO, TSO6, MRG_RXBUF, CTRL_VQ
      expect(offered & F_VERSION_1).toBe(legacy ? 0n : F_VERSION_1);
      const config = (offset: number, size: number) => Number(transport.read(REG.CONFIG + offset, size));
      expect(Array.from({ length: 6 }, (_, i) => config(i, 1))).toEqual([...MAC]);
      expect(config(6, 2)).toBe(NET_S_LINK_UP);
      expect(config(0, 4)).toBe(0xab005452); // little-endian words of the config bytes
      expect(config(4, 4)).toBe(0x0001efcd);
      expect(config(8, 2)).toBe(0xffff); // past the 8 bytes: no max_virtqueue_pairs without MQ
      transport.write(REG.CONFIG, 1, 0x11n); // mac is read-only here
      expect(config(0, 1)).toBe(0x52);
      // Two queues: receiveq1 and transmitq1, no controlq.
      rx.write(REG.QUEUE_SEL, 1);
      expect(rx.read(REG.QUEUE_NUM_MAX)).toBe(1024);
      rx.write(REG.QUEUE_SEL, 2);
      expect(rx.read(REG.QUEUE_NUM_MAX)).toBe(0);
      // The default MAC is QEMU's.
      const plain = setup(legacy);
      expect(Array.from({ length: 6 }, (_, i) => Number(plain.transport.read(REG.CONFIG + i, 1)))).toEqual([...DEFAULT_MAC]);
      expect([...plain.device.mac]).toEqual([...DEFAULT_MAC]);
      if (!legacy) {
        plain.rx.init(NET_F_MAC | NET_F_STATUS);
        expect(plain.rx.accepted).toBe(NET_F_MAC | NET_F_STATUS | F_VERSION_1);
        expect(plain.rx.read(REG.STATUS) & STATUS.FEATURES_OK).toBe(STATUS.FEATURES_OK);
      }
    });

    it(`transmits frames to the backend byte-exact, the ${headerBytes}-byte header stripped`, () => {
      const { tx, sent, irq, bringUp, device, errors } = setup(legacy);
      bringUp();
      const first = frame(1, 60);
      const second = frame(2, 1514);
      tx.submit(transmitChain(headerBytes, first, true));
      tx.submit(transmitChain(headerBytes, second, false));
      expect(sent).toEqual([]); // nothing before the kick
      tx.notify();
      expect(sent.map((bytes) => [...bytes])).toEqual([[...first], [...second]]);
      expect(tx.takeUsed()).toEqual([{ id: 0, len: 0 }, { id: 2, len: 0 }]);
      expect(irq()).toBe(true);
      expect(device.stats).toEqual({ txFrames: 2, txDropped: 0, rxFrames: 0, rxDropped: 0 });
      expect(errors).toEqual([]);
    });

    it('completes the checksum a NEEDS_CSUM frame leaves, and marks received frames DATA_VALID, once both are negotiated', () => {
      const { tx, rx, sent, bringUp, device, errors } = setup(legacy);
      bringUp(NET_F_CSUM | NET_F_GUEST_CSUM | NET_F_MAC | NET_F_STATUS);
      const source = ipv4('10.0.2.15');
      const destination = ipv4('10.0.2.2');
      const payload = Uint8Array.from({ length: 301 }, (_, i) => (i * 13) & 0xff); // odd length: a padded tail
      const udp = buildUdp({ sourcePort: 4000, destinationPort: 5000, payload }, source, destination);
      const whole = buildEthernet({ destination: MAC, source: MAC, etherType: ETHERTYPE_IPV4,
        payload: buildIpv4({ identification: 9, timeToLive: 64, protocol: PROTOCOL_UDP, source, destination, payload: udp }) });
      // As Linux leaves it (CHECKSUM_PARTIAL): the field holds the pseudo-header's folded sum.
      const partial = whole.slice();
      const checksumAt = 14 + 20 + 6;
      let pseudo = (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + PROTOCOL_UDP + udp.length;
      while (pseudo > 0xffff) pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
      partial[checksumAt] = pseudo >> 8;
      partial[checksumAt + 1] = pseudo & 0xff;
      const header = new Uint8Array(headerBytes);
      const view = new DataView(header.buffer);
      header[0] = NET_HDR_F_NEEDS_CSUM;
      view.setUint16(6, 14 + 20, true); // csum_start: the UDP header
      view.setUint16(8, 6, true); // csum_offset: its checksum field
      tx.submit([{ data: header }, { data: partial }]);
      // A checksum position past the frame is malformed: dropped and counted.
      const outside = header.slice();
      new DataView(outside.buffer).setUint16(6, whole.length, true);
      tx.submit([{ data: outside }, { data: partial }]);
      tx.notify();
      expect(sent.map((bytes) => [...bytes])).toEqual([[...whole]]);
      expect(device.stats).toMatchObject({ txFrames: 1, txDropped: 1 });
      const [buffer] = rx.submit([{ writable: RX_BUFFER }]);
      expect(device.deliver(whole)).toBe(true);
      expect(rx.bytes(buffer, 1)[0]).toBe(NET_HDR_F_DATA_VALID);
      expect(errors).toEqual([]);
      // Not negotiated: a set NEEDS_CSUM is left alone (the frame goes as it is) and flags stay 0.
      const plain = setup(legacy);
      plain.bringUp();
      plain.tx.submit([{ data: header }, { data: partial }]);
      plain.tx.notify();
      expect(plain.sent.map((bytes) => [...bytes])).toEqual([[...partial]]);
      const [plainBuffer] = plain.rx.submit([{ writable: RX_BUFFER }]);
      plain.device.deliver(whole);
      expect(plain.rx.bytes(plainBuffer, 1)[0]).toBe(0);
    });

    it('takes and gives TCP segments longer than the MTU only with the TSO4 features, telling the backend what was negotiated', () => {
      const negotiated: { guestTso: boolean; hostTso: boolean }[] = [];
      const source = ipv4('10.0.2.2');
      const destination = ipv4('10.0.2.15');
      // A 20,000-byte TCP segment (header laid out by hand: ports, seq, ack, offset 5, ACK).
      const tcp = new Uint8Array(20 + 20_000);
      const tcpView = new DataView(tcp.buffer);
      tcpView.setUint16(0, 80);
      tcpView.setUint16(2, 40000);
      tcp[12] = 5 << 4;
      tcp[13] = 0x10;
      tcp.fill(0x5a, 20);
      const big = buildEthernet({ destination: MAC, source: MAC, etherType: ETHERTYPE_IPV4,
        payload: buildIpv4({ identification: 1, timeToLive: 64, protocol: 6, source, destination, payload: tcp }) });
      for (const tso of [true, false]) {
        const { tx, rx, sent, device } = setup(legacy, {}, { offloads: (value) => negotiated.push(value) });
        const features = NET_F_CSUM | NET_F_GUEST_CSUM | NET_F_MAC | NET_F_STATUS | (tso ? NET_F_GUEST_TSO4 | NET_F_HOST_TSO4 : 0n);
        rx.init(features, { driverOk: false });
        tx.setupQueue();
        rx.write(REG.STATUS, rx.read(REG.STATUS) | STATUS.DRIVER_OK);
        expect(negotiated.at(-1)).toEqual({ guestTso: tso, hostTso: tso });
        // Receive: into a 64 KiB buffer as GSO TCPV4 (hdr_len 54, gso_size 1460), or dropped.
        const [buffer] = rx.submit([{ writable: 70_000 }]);
        expect(device.offer(big)).toBe(tso ? 'delivered' : 'dropped');
        if (tso) {
          const header = new DataView(rx.bytes(buffer, headerBytes).buffer);
          expect([header.getUint8(0), header.getUint8(1), header.getUint16(2, true), header.getUint16(4, true)]).toEqual([NET_HDR_F_DATA_VALID, 1, 54, 1460]);
          expect([...rx.bytes(buffer + headerBytes, big.length)]).toEqual([...big]);
        }
        // Transmit: a segment the guest left for segmentation goes to the backend whole.
        const header = new Uint8Array(headerBytes);
        header[1] = 1; // GSO_TCPV4
        tx.submit([{ data: header }, { data: big }]);
        tx.notify();
        expect(sent).toHaveLength(tso ? 1 : 0);
        expect(device.stats.txDropped).toBe(tso ? 0 : 1);
        rx.write(REG.STATUS, 0); // reset: nothing negotiated
        expect(negotiated.at(-1)).toEqual({ guestTso: false, hostTso: false });
      }
      // A frame that never fits the buffer at the head of the queue is dropped, not left to block it.
      const small = setup(legacy);
      small.bringUp();
      small.rx.submit([{ writable: 100 }]);
      expect(small.device.offer(frame(9, 1514))).toBe('dropped');
      expect(small.device.stats.rxDropped).toBe(1);
    });

    it('set_link: with the link down the status reads 0, the driver gets a config change, and no frame passes either way', () => {
      const { tx, rx, sent, bringUp, device, ack, transport } = setup(legacy);
      bringUp();
      const generation = rx.read(REG.CONFIG_GENERATION);
      device.setLink(false);
      expect(Number(transport.read(REG.CONFIG + 6, 2))).toBe(0);
      if (!legacy) expect(rx.read(REG.CONFIG_GENERATION)).not.toBe(generation); // no such register in version 1
      expect(rx.read(REG.INTERRUPT_STATUS) & 2).toBe(2); // the configuration change interrupt
      ack();
      rx.submit([{ writable: RX_BUFFER }]);
      expect(device.offer(frame(10))).toBe('dropped');
      tx.submit(transmitChain(headerBytes, frame(11), true));
      tx.notify();
      expect(sent).toEqual([]);
      expect(device.stats).toMatchObject({ txDropped: 1, rxDropped: 1 });
      device.setLink(true);
      expect(Number(transport.read(REG.CONFIG + 6, 2))).toBe(NET_S_LINK_UP);
      expect(device.offer(frame(12))).toBe('delivered');
      // The state keeps the link (a snapshot of a machine whose link is down restores it down).
      device.setLink(false);
      const saved = device.saveState();
      const other = setup(legacy);
      other.device.loadState(saved);
      expect(other.device.link).toBe(false);
      expect(Number(other.transport.read(REG.CONFIG + 6, 2))).toBe(0);
    });

    it('drops and counts a transmit chain shorter than the header, and keeps the queue working', () => {
      const { tx, sent, bringUp, device, errors } = setup(legacy);
      bringUp();
      tx.submit([{ data: new Uint8Array(headerBytes - 1) }]);
      tx.submit(transmitChain(headerBytes, frame(3), true));
      tx.notify();
      expect(sent.map((bytes) => [...bytes])).toEqual([[...frame(3)]]);
      expect(tx.takeUsed().map((used) => used.len)).toEqual([0, 0]);
      expect(device.stats).toMatchObject({ txFrames: 1, txDropped: 1 });
      expect(tx.read(REG.STATUS) & STATUS.NEEDS_RESET).toBe(0);
      expect(errors).toEqual([]);
    });

    it('receives frames into posted buffers with a zero header and the right used lengths', () => {
      const { rx, irq, ack, bringUp, device } = setup(legacy);
      bringUp();
      const [a] = rx.submit([{ writable: RX_BUFFER }]);
      const [b1, b2] = rx.submit([{ writable: headerBytes }, { writable: 1600 }]); // header apart from data
      rx.notify(); // posting buffers delivers nothing
      expect(rx.takeUsed()).toEqual([]);
      expect(irq()).toBe(false);
      const first = frame(4, 42);
      const second = frame(5, 1514);
      expect(device.deliver(first)).toBe(true);
      expect(irq()).toBe(true);
      ack();
      expect(device.deliver(second)).toBe(true);
      expect(irq()).toBe(true);
      expect(rx.takeUsed()).toEqual([{ id: 0, len: headerBytes + 42 }, { id: 1, len: headerBytes + 1514 }]);
      // flags 0, GSO_NONE, no checksum fields; num_buffers 1 with the 12-byte header (5.1.6.4).
      const expectedHeader = legacy ? new Array(10).fill(0) : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
      expect([...rx.bytes(a, headerBytes)]).toEqual(expectedHeader);
      expect([...rx.bytes(a + headerBytes, 42)]).toEqual([...first]);
      expect([...rx.bytes(b1, headerBytes)]).toEqual(expectedHeader);
      expect([...rx.bytes(b2, 1514)]).toEqual([...second]);
      expect(device.stats).toEqual({ txFrames: 0, txDropped: 0, rxFrames: 2, rxDropped: 0 });
    });

    it('drops and counts frames with no buffer posted, before DRIVER_OK, or too big for the next buffer', () => {
      const { rx, irq, bringUp, device, errors } = setup(legacy);
      expect(device.deliver(frame(6))).toBe(false); // no driver yet
      bringUp();
      expect(device.deliver(frame(7))).toBe(false); // no receive buffer posted
      expect(device.stats.rxDropped).toBe(2);
      expect(irq()).toBe(false);
      rx.submit([{ writable: headerBytes + 100 }]);
      rx.notify();
      expect(device.deliver(frame(8, 101))).toBe(false); // one byte too many: the buffer stays posted
      expect(rx.takeUsed()).toEqual([]);
      expect(irq()).toBe(false);
      expect(device.deliver(frame(9, 100))).toBe(true); // the same buffer takes the next frame that fits
      expect(rx.takeUsed()).toEqual([{ id: 0, len: headerBytes + 100 }]);
      expect(device.stats).toEqual({ txFrames: 0, txDropped: 0, rxFrames: 1, rxDropped: 3 });
      expect(errors).toEqual([]);
    });

    it('with event index, a buffer put back leaves avail_event at it', () => {
      const { rx, bringUp, device } = setup(legacy);
      bringUp(NET_F_MAC | NET_F_STATUS | F_EVENT_IDX);
      rx.submit([{ writable: headerBytes + 10 }]);
      rx.notify();
      expect(device.deliver(frame(17, 11))).toBe(false);
      expect(rx.availEvent).toBe(0); // the driver still has to kick for entry 0
      expect(device.deliver(frame(18, 10))).toBe(true);
      expect(rx.availEvent).toBe(1);
      expect(rx.takeUsed()).toEqual([{ id: 0, len: headerBytes + 10 }]);
    });

    it('round-trips a snapshot: negotiated header, queues and counters carry on', () => {
      const first = setup(legacy, { mac: MAC });
      first.bringUp();
      first.rx.submit([{ writable: RX_BUFFER }]);
      first.rx.submit([{ writable: RX_BUFFER }]);
      first.rx.notify();
      expect(first.device.deliver(frame(10))).toBe(true);
      expect(first.device.deliver(frame(11, 1600))).toBe(false); // too big for any buffer
      first.tx.submit(transmitChain(headerBytes, frame(12), true));
      first.tx.notify();
      first.rx.takeUsed();
      first.tx.takeUsed();
      const saved = JSON.parse(JSON.stringify(first.transport.saveState()));
      expect(saved).toMatchObject({
        name: 'virtio-mmio', version: 1,
        device: { name: 'virtio-net', version: 1, active: true, headerBytes, counters: { txFrames: 1, rxFrames: 1, rxDropped: 1 } },
      });

      const second = setup(legacy, { mac: MAC });
      second.core.ram.set(first.core.ram);
      second.transport.loadState(saved);
      second.rx.continueFrom(first.rx);
      second.tx.continueFrom(first.tx);
      expect(second.device.stats).toEqual(first.device.stats);
      // The second posted buffer is still there and gets the same header length.
      expect(second.device.deliver(frame(13, 50))).toBe(true);
      expect(second.rx.takeUsed()).toEqual([{ id: 1, len: headerBytes + 50 }]);
      second.tx.submit(transmitChain(headerBytes, frame(14), false));
      second.tx.notify();
      expect(second.sent.map((bytes) => [...bytes])).toEqual([[...frame(14)]]);
      expect(second.device.stats).toEqual({ txFrames: 2, txDropped: 0, rxFrames: 2, rxDropped: 1 });
      expect(() => second.device.loadState({ name: 'virtio-blk', version: 1 })).toThrow(/virtio-net v1/);
      expect(() => second.device.loadState({ ...saved.device, version: 2 })).toThrow(/virtio-net v1/);
    });

    it('forgets negotiation on reset: frames are dropped until the driver is back', () => {
      const { rx, bringUp, device } = setup(legacy);
      bringUp();
      rx.submit([{ writable: RX_BUFFER }]);
      rx.write(REG.STATUS, 0);
      expect(device.deliver(frame(15))).toBe(false);
      bringUp();
      rx.submit([{ writable: RX_BUFFER }]);
      rx.notify();
      expect(device.deliver(frame(16))).toBe(true);
      expect(rx.takeUsed()).toEqual([{ id: 0, len: headerBytes + 60 }]);
    });
  });
}

describe('parseMac', () => {
  it('reads six hex pairs and refuses anything else', () => {
    expect([...parseMac('52:54:00:AB:cd:ef')!]).toEqual([...MAC]);
    expect(parseMac('52:54:00:ab:cd')).toBeUndefined();
    expect(parseMac('52:54:00:ab:cd:eg')).toBeUndefined();
    expect(parseMac('52-54-00-ab-cd-ef')).toBeUndefined();
    expect(() => new VirtioNet({ send() {} }, { mac: new Uint8Array(5) })).toThrow(/6 bytes/);
  });
});
