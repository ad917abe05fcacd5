// virtio-blk behind the virtio-mmio registers, legacy and modern, driven by a test driver
// whose rings live in a real Core's RAM over a real raw image file: read, write, flush,
// get-id, read-only images, errors, indirect chains, event index, device errors, snapshots.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLK_F_RO, VirtioBlock, type BlockBackend } from '../../server/src/devices/virtio/blk';
import { GuestRam } from '../../server/src/devices/virtio/dma';
import { VirtioMmio } from '../../server/src/devices/virtio/mmio';
import { BlockFileError, detectImageFormat, openBlockFile } from '../../server/src/host/block-file';
import { Core } from '../../server/src/machine/core';
import { F_EVENT_IDX, F_INDIRECT_DESC, F_VERSION_1, FakeDriver, REG, STATUS } from './virtio-driver';

const haveCore = fs.existsSync(path.join(__dirname, '../../dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-virtio-blk-'));
const SECTOR = 512;
const T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8;
const S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;

/** 64 sectors; byte i of sector s is (s * 31 + i) & 0xff. */
function image(name: string, sectors = 64): string {
  const file = path.join(dir, name);
  const bytes = new Uint8Array(sectors * SECTOR);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.floor(i / SECTOR) * 31 + (i % SECTOR)) & 0xff;
  fs.writeFileSync(file, bytes);
  return file;
}

const sectorBytes = (sector: number, count = 1) =>
  Array.from({ length: count * SECTOR }, (_, i) => ((sector + Math.floor(i / SECTOR)) * 31 + (i % SECTOR)) & 0xff);

/** Counts flushes and notes how many requests had completed when each one ran. */
function spy(backend: BlockBackend, usedIndex: () => number) {
  const flushes: number[] = [];
  const wrapped: BlockBackend = {
    get size() { return backend.size; },
    get readOnly() { return backend.readOnly; },
    read: (position, target) => backend.read(position, target),
    write: (position, source) => backend.write(position, source),
    flush: () => {
      flushes.push(usedIndex());
      return backend.flush();
    },
  };
  return { wrapped, flushes };
}

function setup(legacy: boolean, options: { file?: string; readOnly?: boolean; serial?: string; backend?: BlockBackend } = {}) {
  const file = options.file ?? image(`disk-${Math.random().toString(36).slice(2)}.img`);
  const core = new Core(1 << 20, { read: () => undefined, write: () => 'fault' });
  const levels: boolean[] = [];
  const errors: string[] = [];
  let driver: FakeDriver | undefined;
  const opened = openBlockFile(file, { readOnly: options.readOnly });
  const { wrapped, flushes } = spy(options.backend ?? opened, () => driver!.u16(driver!.usedAddress + 2));
  const device = new VirtioBlock(wrapped, { serial: options.serial });
  const transport = new VirtioMmio({
    device,
    irq: { set: (level) => levels.push(level) },
    ram: new GuestRam({ get bytes() { return core.ram; }, base: 0x8000_0000, markDirty: (at, length) => core.markDirty(at, length) }),
    legacy,
    onDeviceError: (reason) => errors.push(reason),
  });
  driver = new FakeDriver(transport, core);
  const irq = () => levels[levels.length - 1] ?? false;

  /** One request: header, optional data, status; returns the status byte and used length. */
  const request = (type: number, sector: number, data: { out?: Uint8Array; in?: number } = {}, submit: { indirect?: boolean } = {}) => {
    const header = new Uint8Array(16);
    new DataView(header.buffer).setUint32(0, type, true);
    new DataView(header.buffer).setBigUint64(8, BigInt(sector), true);
    const buffers = [{ data: header }, ...(data.out ? [{ data: data.out }] : []), ...(data.in !== undefined ? [{ writable: data.in }] : []), { writable: 1 }];
    const addresses = driver!.submit(buffers, submit);
    driver!.notify();
    const used = driver!.takeUsed();
    const statusAt = addresses[addresses.length - 1];
    const dataIn = data.in !== undefined ? driver!.bytes(addresses[addresses.length - 2], data.in) : undefined;
    return { used, status: driver!.bytes(statusAt, 1)[0], data: dataIn };
  };
  return { file, core, driver, transport, device, levels, irq, errors, flushes, request, opened };
}

describe('block image files', () => {
  it('refuses qcow2 and other non-raw images with a one-line message', () => {
    const qcow2 = path.join(dir, 'disk.qcow2');
    const header = new Uint8Array(1024);
    header.set([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]);
    fs.writeFileSync(qcow2, header);
    expect(() => openBlockFile(qcow2)).toThrow(BlockFileError);
    expect(() => openBlockFile(qcow2)).toThrow(/^disk image '.*disk\.qcow2' is in qcow2 format; Lantern reads raw images only \(convert it: qemu-img convert -O raw .*disk\.qcow2 .*disk\.img\)$/);
    expect(() => openBlockFile(qcow2, { format: 'raw' })).toThrow(/qcow2 format/);
    expect(detectImageFormat(Uint8Array.of(0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 1))).toBe('qcow');
    expect(detectImageFormat(Buffer.from('KDMV\x01\x00\x00\x00'))).toBe('vmdk');
    expect(detectImageFormat(Buffer.from('vhdxfile'))).toBe('vhdx');
    expect(detectImageFormat(new Uint8Array(512))).toBeUndefined();
  });

  it('refuses format=qcow2, a missing file and a directory', () => {
    const raw = image('plain.img', 1);
    expect(() => openBlockFile(raw, { format: 'qcow2' })).toThrow(/format=qcow2 is not supported/);
    expect(() => openBlockFile(path.join(dir, 'missing.img'))).toThrow(/could not open disk image '.*missing\.img': no such file/);
    expect(() => openBlockFile(dir)).toThrow(BlockFileError);
  });

  it('opens a file it may not write as read-only', () => {
    const file = image('locked.img', 1);
    fs.chmodSync(file, 0o444);
    let writable = true;
    try {
      fs.closeSync(fs.openSync(file, 'r+'));
    } catch {
      writable = false;
    }
    const backend = openBlockFile(file);
    // Root may write anything: then the file is simply writable.
    expect(backend.readOnly).toBe(!writable);
    expect(backend.write(0, new Uint8Array(1))).toBe(writable);
    backend.close();
  });

  it('reads past a shrunken end as zeros and reports host errors as false', () => {
    const file = image('short.img', 2);
    const backend = openBlockFile(file);
    fs.truncateSync(file, SECTOR);
    const target = new Uint8Array(SECTOR).fill(0xee);
    expect(backend.read(SECTOR, target)).toBe(true);
    expect(target.every((byte) => byte === 0)).toBe(true);
    backend.close();
    expect(backend.read(0, target)).toBe(false);
    expect(backend.flush()).toBe(false);
  });
});

for (const legacy of [true, false]) {
  const transport = legacy ? 'legacy (version 1)' : 'modern (version 2)';
  describe.skipIf(!haveCore)(`virtio-blk over ${transport} virtio-mmio`, () => {
    it('identifies itself as QEMU does and offers its features', () => {
      const { driver, transport: t } = setup(legacy);
      expect(driver.read(REG.MAGIC)).toBe(0x74726976);
      expect(driver.read(REG.VERSION)).toBe(legacy ? 1 : 2);
      expect(driver.read(REG.DEVICE_ID)).toBe(2);
      expect(driver.read(REG.VENDOR_ID)).toBe(0x554d4551);
      const offered = driver.offered();
      expect(offered & F_VERSION_1).toBe(legacy ? 0n : F_VERSION_1);
      expect(offered & (F_INDIRECT_DESC | F_EVENT_IDX)).toBe(F_INDIRECT_DESC | F_EVENT_IDX);
      expect(offered & 0xffn).toBe(0x44n); // SEG_MAX, BLK_SIZE
      expect(offered & (1n << 9n)).toBe(1n << 9n); // FLUSH
      driver.write(REG.QUEUE_SEL, 0);
      expect(driver.read(REG.QUEUE_NUM_MAX)).toBe(1024);
      driver.write(REG.QUEUE_SEL, 1);
      expect(driver.read(REG.QUEUE_NUM_MAX)).toBe(0);
      // Config: capacity 64 sectors, seg_max 254, blk_size 512; all ones past its end.
      expect(driver.read(REG.CONFIG)).toBe(64);
      expect(driver.read(REG.CONFIG + 4)).toBe(0);
      expect(t.read(REG.CONFIG, 1)).toBe(64);
      expect(t.read(REG.CONFIG, 8)).toBe(64n);
      expect(driver.read(REG.CONFIG + 12)).toBe(254);
      expect(driver.read(REG.CONFIG + 20)).toBe(512);
      expect(driver.read(REG.CONFIG + 0xfc)).toBe(0xffff_ffff);
      // QEMU: a narrow register read gives 0; 64 bits are two 32-bit reads; 0x200 up is unassigned.
      expect(t.read(REG.MAGIC, 1)).toBe(0);
      expect(t.read(REG.MAGIC, 8)).toBe((BigInt(legacy ? 1 : 2) << 32n) | 0x74726976n);
      expect(t.read(0x200, 4)).toBeUndefined();
      expect(t.write(0x1ffc + 4, 4, 0n)).toBe('fault');
      expect(t.read(REG.MAGIC + 2, 4)).toBeUndefined();
      expect(t.peek(REG.STATUS, 4)).toBe(0);
    });

    it('reads sectors into guest RAM and raises the used-buffer interrupt until acknowledged', () => {
      const { driver, core, request, irq } = setup(legacy);
      driver.init();
      core.takeDirtyPages();
      const { used, status, data } = request(T_IN, 3, { in: 2 * SECTOR });
      expect(status).toBe(S_OK);
      expect([...data!]).toEqual(sectorBytes(3, 2));
      expect(used).toEqual([{ id: 0, len: 2 * SECTOR + 1 }]);
      expect(driver.read(REG.INTERRUPT_STATUS)).toBe(1);
      expect(irq()).toBe(true);
      driver.write(REG.INTERRUPT_ACK, 1);
      expect(driver.read(REG.INTERRUPT_STATUS)).toBe(0);
      expect(irq()).toBe(false);
      // The data, the status byte and the used ring were written by DMA: their pages are dirty.
      const dirty = core.takeDirtyPages();
      expect(dirty).toContain(0x20); // buffers at 0x80020000
      expect(dirty).toContain(0x11); // used ring at 0x80011000
    });

    it('writes sectors to the file, flushing each write when FLUSH is not negotiated', () => {
      const { driver, file, request, flushes } = setup(legacy);
      driver.init();
      const data = Uint8Array.from({ length: SECTOR }, (_, i) => 255 - (i & 0xff));
      const { status, used } = request(T_OUT, 5, { out: data });
      expect(status).toBe(S_OK);
      expect(used).toEqual([{ id: 0, len: 1 }]);
      expect([...fs.readFileSync(file).subarray(5 * SECTOR, 6 * SECTOR)]).toEqual([...data]);
      expect(flushes).toEqual([0]); // write-through: made durable before the request completed
    });

    it('flushes to the file before completing VIRTIO_BLK_T_FLUSH when FLUSH is negotiated', () => {
      const { driver, request, flushes } = setup(legacy);
      driver.init(1n << 9n);
      expect(request(T_OUT, 0, { out: new Uint8Array(SECTOR) }).status).toBe(S_OK);
      expect(flushes).toEqual([]); // write-back: the driver flushes
      const { status, used } = request(T_FLUSH, 0);
      expect(status).toBe(S_OK);
      expect(used).toEqual([{ id: 3, len: 1 }]); // descriptors 0..2 held the write
      expect(flushes).toEqual([1]); // ran while only the write had completed
    });

    it('answers GET_ID with the serial, NUL-padded to 20 bytes', () => {
      const { driver, request } = setup(legacy, { serial: 'lantern-0042' });
      driver.init();
      const { status, data, used } = request(T_GET_ID, 0, { in: 20 });
      expect(status).toBe(S_OK);
      expect(Buffer.from(data!).toString('latin1')).toBe('lantern-0042\0\0\0\0\0\0\0\0');
      expect(used[0].len).toBe(21);
    });

    it('fails writes to a read-only image with IOERR, leaving the file alone, and offers VIRTIO_BLK_F_RO', () => {
      const { driver, file, request } = setup(legacy, { readOnly: true });
      const before = fs.readFileSync(file);
      expect(driver.offered() & BLK_F_RO).toBe(BLK_F_RO);
      driver.init();
      expect(request(T_OUT, 0, { out: new Uint8Array(SECTOR).fill(7) }).status).toBe(S_IOERR);
      expect(request(T_FLUSH, 0).status).toBe(S_OK);
      expect(request(T_IN, 0, { in: SECTOR }).status).toBe(S_OK);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    });

    it('answers out-of-range, partial-sector and unknown requests with an error status', () => {
      const { driver, request } = setup(legacy);
      driver.init();
      const past = request(T_IN, 64, { in: SECTOR });
      expect(past.status).toBe(S_IOERR);
      expect(past.data!.every((byte) => byte === 0)).toBe(true); // the reported length was written
      expect(request(T_IN, 63, { in: 2 * SECTOR }).status).toBe(S_IOERR);
      expect(request(T_IN, 2 ** 53, { in: SECTOR }).status).toBe(S_IOERR);
      expect(request(T_IN, 0, { in: 100 }).status).toBe(S_IOERR);
      expect(request(T_OUT, 64, { out: new Uint8Array(SECTOR) }).status).toBe(S_IOERR);
      expect(request(11, 0, { out: new Uint8Array(16) }).status).toBe(S_UNSUPP); // DISCARD: not offered
      expect(driver.read(REG.STATUS) & STATUS.NEEDS_RESET).toBe(0);
    });

    it('takes requests through indirect descriptor tables', () => {
      const { driver, request } = setup(legacy);
      driver.init(F_INDIRECT_DESC);
      const { status, data } = request(T_IN, 7, { in: SECTOR }, { indirect: true });
      expect(status).toBe(S_OK);
      expect([...data!]).toEqual(sectorBytes(7));
    });

    it('holds the interrupt back until used_event is reached when EVENT_IDX is negotiated', () => {
      const { driver, request, irq } = setup(legacy);
      driver.init(F_EVENT_IDX);
      driver.usedEvent = 1; // interrupt when the second request completes
      request(T_IN, 0, { in: SECTOR });
      expect(driver.read(REG.INTERRUPT_STATUS)).toBe(0);
      expect(irq()).toBe(false);
      expect(driver.availEvent).toBe(1);
      request(T_IN, 1, { in: SECTOR });
      expect(driver.read(REG.INTERRUPT_STATUS)).toBe(1);
      expect(driver.availEvent).toBe(2);
    });

    it('waits for DRIVER_OK before taking buffers', () => {
      const { driver } = setup(legacy);
      driver.init(0n, { driverOk: false });
      const header = new Uint8Array(16);
      driver.submit([{ data: header }, { writable: SECTOR }, { writable: 1 }]);
      driver.notify();
      expect(driver.takeUsed()).toEqual([]);
      driver.write(REG.STATUS, driver.read(REG.STATUS) | STATUS.DRIVER_OK);
      expect(driver.takeUsed()).toEqual([{ id: 0, len: SECTOR + 1 }]);
    });

    it('sets DEVICE_NEEDS_RESET for a buffer outside RAM, without throwing, until a reset', () => {
      const { driver, irq, errors, request } = setup(legacy);
      driver.init();
      const header = new Uint8Array(16);
      driver.submit([{ data: header }, { writable: SECTOR, at: 0x1000_0000 }, { writable: 1 }]);
      expect(() => driver.notify()).not.toThrow();
      expect(driver.read(REG.STATUS) & STATUS.NEEDS_RESET).toBe(STATUS.NEEDS_RESET);
      expect(driver.read(REG.INTERRUPT_STATUS)).toBe(2); // configuration change
      expect(irq()).toBe(true);
      expect(errors).toEqual([expect.stringMatching(/queue 0: buffer at 0x10000000\+512 is outside RAM/)]);
      expect(driver.takeUsed()).toEqual([]);
      // Further notifies are ignored; a reset (status 0) brings the device back.
      driver.notify();
      driver.write(REG.STATUS, 0);
      expect(driver.read(REG.STATUS)).toBe(0);
      expect(irq()).toBe(false);
      driver.init();
      expect(request(T_IN, 0, { in: SECTOR }).status).toBe(S_OK);
    });

    it('faults on a queue placed outside RAM', () => {
      const { driver, errors } = setup(legacy);
      driver.init();
      if (legacy) {
        driver.write(REG.QUEUE_PFN, 0x1000); // 0x1000000: below RAM
      } else {
        driver.write(REG.QUEUE_READY, 0);
        driver.write(REG.QUEUE_DESC_HIGH, 0xffff_ffff);
        driver.write(REG.QUEUE_READY, 1);
      }
      expect(() => driver.notify()).not.toThrow();
      expect(driver.read(REG.STATUS) & STATUS.NEEDS_RESET).toBe(STATUS.NEEDS_RESET);
      expect(errors[0]).toMatch(/descriptor table at .* is outside RAM/);
    });

    it('restores its state into a fresh transport and carries on', () => {
      const first = setup(legacy);
      first.driver.init(F_EVENT_IDX);
      first.request(T_IN, 0, { in: SECTOR });
      const saved = JSON.parse(JSON.stringify(first.transport.saveState()));
      const second = setup(legacy, { backend: first.opened });
      // Same RAM contents: copy the first core's RAM into the second's.
      second.core.ram.set(first.core.ram);
      second.transport.loadState(saved);
      expect(second.driver.read(REG.STATUS)).toBe(first.driver.read(REG.STATUS));
      // The first driver's view of the rings continues against the second device.
      const driver = second.driver;
      driver.continueFrom(first.driver);
      driver.submit([{ data: new Uint8Array(16) }, { writable: SECTOR }, { writable: 1 }]);
      driver.notify();
      expect(driver.takeUsed()).toEqual([{ id: 3, len: SECTOR + 1 }]);
      expect(saved).toMatchObject({ name: 'virtio-mmio', version: 1, device: { name: 'virtio-blk', version: 1 } });
      expect(() => second.transport.loadState({ ...saved, legacy: !legacy })).toThrow(/differently configured/);
    });
  });
}

describe.skipIf(!haveCore)('virtio-mmio transport details', () => {
  it('refuses FEATURES_OK when the driver accepts a feature not offered (modern)', () => {
    const { driver } = setup(false);
    driver.write(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    driver.setDriverFeatures(F_VERSION_1 | (1n << 13n)); // DISCARD: not offered
    driver.write(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    expect(driver.read(REG.STATUS) & STATUS.FEATURES_OK).toBe(0);
  });

  it('keeps legacy GuestPageSize across a reset, as Linux writes it only at probe', () => {
    const { driver, request } = setup(true);
    driver.write(REG.GUEST_PAGE_SIZE, 8192);
    // init() resets the device and places the queue by PFN without writing the page size again.
    driver.init(0n, { pageSize: 8192, writePageSize: false });
    const { status, data } = request(T_IN, 1, { in: SECTOR });
    expect(status).toBe(S_OK);
    expect([...data!]).toEqual(sectorBytes(1));
  });

  it('gives an empty slot DeviceID 0 and ignores writes to it', () => {
    const core = new Core(1 << 20, { read: () => undefined, write: () => 'fault' });
    const empty = new VirtioMmio({ irq: { set() {} }, ram: new GuestRam({ bytes: core.ram, base: 0x8000_0000, markDirty() {} }), legacy: true });
    const driver = new FakeDriver(empty, core);
    expect(driver.read(REG.MAGIC)).toBe(0x74726976);
    expect(driver.read(REG.VERSION)).toBe(1);
    expect(driver.read(REG.DEVICE_ID)).toBe(0);
    expect(driver.read(REG.VENDOR_ID)).toBe(0x554d4551);
    driver.write(REG.STATUS, 1);
    expect(driver.read(REG.STATUS)).toBe(0);
    expect(driver.read(REG.DEVICE_FEATURES)).toBe(0);
    expect(driver.read(REG.QUEUE_NUM_MAX)).toBe(0);
  });
});
