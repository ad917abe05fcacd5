// A bare-metal virtio-blk driver (test/boot/virtio-blk/) on the real core through the CLI:
// it probes the slots, reads sector 0, writes and flushes, waiting on the PLIC interrupt each
// time, in both transports; with QEMU installed the transcripts and the disks must match it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuest, buildHostBundle, hasTool, VIRTIO_GUEST_FLAGS } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const guestDir = path.join(__dirname, 'virtio-blk');
const cli = path.join(root, 'dist/cli.js');
const GCC = 'riscv64-unknown-elf-gcc';
const QEMU = 'qemu-system-riscv64';

const haveGcc = hasTool(GCC);
const haveQemu = hasTool(QEMU);
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
if (!haveGcc) console.warn(`test/boot/virtio-blk: ${GCC} not found on PATH: skipping the virtio-blk guest`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-virtio-boot-'));
const elf = path.join(dir, 'virtio-blk.elf');
const SECTOR0 = 'Lantern virtio-blk test disk, sector 0.';

/** The same flags as test/boot/virtio-blk/Makefile. */
const buildVirtioGuest = () => buildGuest({
  sources: [path.join(guestDir, 'start.S'), path.join(guestDir, 'main.c')], linkScript: path.join(guestDir, 'link.ld'), output: elf,
  flags: VIRTIO_GUEST_FLAGS, libs: ['-lgcc'], gcc: GCC,
});

function disk(name: string): string {
  const file = path.join(dir, name);
  const bytes = new Uint8Array(64 * 1024);
  bytes.set(Buffer.from(SECTOR0, 'latin1'));
  fs.writeFileSync(file, bytes);
  return file;
}

function run(program: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const command = program === 'lantern' ? process.execPath : QEMU;
  const prefix = program === 'lantern' ? [cli] : [];
  const result = spawnSync(command, [...prefix, '-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', elf, ...args], {
    encoding: 'latin1', input: '', timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr };
}

const devices = (image: string, extra = '') => [
  '-drive', `file=${image},if=none,format=raw,id=d0${extra}`,
  '-device', 'virtio-blk-device,drive=d0,serial=lantern-disk',
  '-device', 'virtio-rng-device',
];

describe.skipIf(!haveGcc || !haveCore)(`virtio-blk guest${haveGcc ? '' : ` — skipped: ${GCC} not found`}`, () => {
  beforeAll(() => {
    buildVirtioGuest();
    buildHostBundle();
  });

  for (const legacy of [true, false]) {
    const transport = legacy ? 'legacy' : 'modern';
    const global = ['-global', `virtio-mmio.force-legacy=${legacy}`];

    it(`reads, writes and flushes through a ${transport} transport, woken by the PLIC`, () => {
      const image = disk(`lantern-${transport}.img`);
      const { status, stdout, stderr } = run('lantern', [...global, ...devices(image)]);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      // QEMU's slot order: the first -device at virtio-mmio-bus.7 (0x10008000), the next below.
      expect(stdout).toContain(`slot 7: magic 0x74726976 version ${legacy ? 1 : 2} device 2 vendor 0x554d4551\n`);
      expect(stdout).toContain(`slot 6: magic 0x74726976 version ${legacy ? 1 : 2} device 4 vendor 0x554d4551\n`);
      expect(stdout).toContain(`slot 0: magic 0x74726976 version ${legacy ? 1 : 2} device 0 vendor 0x554d4551\n`);
      expect(stdout).toContain(`version 1 offered: ${legacy ? 'no' : 'yes'}\n`);
      expect(stdout).toContain('capacity 128 sectors\n');
      expect(stdout).toContain('read sector 0:\n  plic source 8 (the slot\'s)\n  used id 0 len 513 interrupt status 1 after ack 0\n  status 0\n');
      expect(stdout).toContain(' Lantern virtio-b\n');
      expect(stdout).toContain("status 0 serial 'lantern-disk'\n");
      expect(stdout).toContain('status 0 data matches\n');
      expect(stdout).toContain('read past the end:\n  plic source 8 (the slot\'s)\n  used id 0 len 513 interrupt status 1 after ack 0\n  status 1\n');
      expect(stdout).toMatch(/reset: status 0\ndone\n$/);
      const sector1 = fs.readFileSync(image).subarray(512, 1024);
      expect([...sector1]).toEqual(Array.from({ length: 512 }, (_, i) => (i * 7 + 1) & 0xff));
    });

    it(`answers writes to a readonly=on image with IOERR (${transport})`, () => {
      const image = disk(`lantern-ro-${transport}.img`);
      const before = fs.readFileSync(image);
      const { status, stdout } = run('lantern', [...global, ...devices(image, ',readonly=on')]);
      expect(status).toBe(0);
      expect(stdout).toContain('write sector 1:\n  plic source 8 (the slot\'s)\n  used id 0 len 1 interrupt status 1 after ack 0\n  status 1\n');
      expect(stdout).toContain('flush:\n  plic source 8 (the slot\'s)\n  used id 0 len 1 interrupt status 1 after ack 0\n  status 0\n');
      expect(fs.readFileSync(image).equals(before)).toBe(true);
    });

    it.skipIf(!haveQemu)(`matches QEMU's transcript and disk (${transport})${haveQemu ? '' : ` — skipped: ${QEMU} not found`}`, () => {
      const ours = disk(`match-lantern-${transport}.img`);
      const theirs = disk(`match-qemu-${transport}.img`);
      const lantern = run('lantern', [...global, ...devices(ours)]);
      const qemu = run('qemu', [...global, ...devices(theirs)]);
      expect(qemu.status).toBe(0);
      // "info:" lines show each emulator's feature offer, which differ by design (QEMU offers
      // geometry, topology, discard, write-zeroes and config-wce, which Lantern does not).
      const comparable = (text: string) => text.split('\n').filter((line) => !line.startsWith('info:')).join('\n');
      expect(comparable(lantern.stdout)).toBe(comparable(qemu.stdout));
      expect(fs.readFileSync(ours).equals(fs.readFileSync(theirs))).toBe(true);
    });
  }
});
