// A bare-metal virtio-console driver (test/boot/virtio-console/) on the real core through the
// CLI with QEMU's form (-chardev stdio -device virtio-serial-device -device virtconsole): the
// MULTIPORT handshake, output on the port, an emergency write and a typed line read back, in
// both transports; with QEMU installed the transcripts must match it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuest, buildHostBundle, hasTool, VIRTIO_GUEST_FLAGS } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const guestDir = path.join(__dirname, 'virtio-console');
const cli = path.join(root, 'dist/cli.js');
const GCC = 'riscv64-unknown-elf-gcc';
const QEMU = 'qemu-system-riscv64';

const haveGcc = hasTool(GCC);
const haveQemu = hasTool(QEMU);
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
if (!haveGcc) console.warn(`test/boot/virtio-console: ${GCC} not found on PATH: skipping the virtio-console guest`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-virtio-console-'));
const elf = path.join(dir, 'virtio-console.elf');

/** The same flags as test/boot/virtio-console/Makefile. */
const buildVirtioGuest = () => buildGuest({
  sources: [path.join(guestDir, 'start.S'), path.join(guestDir, 'main.c')], linkScript: path.join(guestDir, 'link.ld'), output: elf,
  flags: VIRTIO_GUEST_FLAGS, libs: ['-lgcc'], gcc: GCC,
});

const console_ = ['-chardev', 'stdio,id=c0', '-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=c0,name=org.lantern.console'];

function run(program: 'lantern' | 'qemu', args: string[]): { status: number | null; stdout: string; stderr: string } {
  // QEMU gives stdio to one chardev only, so its UART and monitor step aside (Lantern has no monitor).
  const [command, prefix] = program === 'lantern' ? [process.execPath, [cli]] : [QEMU, ['-monitor', 'none']];
  const result = spawnSync(command, [
    ...prefix, '-machine', 'virt', '-bios', 'none', '-nographic', '-serial', 'none', '-kernel', elf, ...args, ...console_,
  ], { encoding: 'latin1', input: 'ping\n', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr };
}

describe.skipIf(!haveGcc || !haveCore)(`virtio-console guest${haveGcc ? '' : ` — skipped: ${GCC} not found`}`, () => {
  beforeAll(() => {
    buildVirtioGuest();
    buildHostBundle();
  });

  for (const legacy of [true, false]) {
    const transport = legacy ? 'legacy' : 'modern';
    const global = ['-global', `virtio-mmio.force-legacy=${legacy}`];

    it(`opens the console port and talks through it over a ${transport} transport`, () => {
      const { status, stdout, stderr } = run('lantern', global);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toBe([
        `virtio-console at slot 7, version ${legacy ? 1 : 2}`,
        'info: features offered 0x30000006',
        'accepted 0x00000006',
        'config cols 0 rows 0 max_nr_ports 31',
        'control: DEVICE_ADD id 0 value 1',
        'control: CONSOLE_PORT id 0 value 1',
        'control: PORT_NAME id 0 value 1 name org.lantern.console',
        'control: PORT_OPEN id 0 value 1',
        'emergency write: !',
        'type a line: ',
        "got 'ping'",
        '',
      ].join('\n'));
    });

    it.skipIf(!haveQemu)(`matches QEMU's transcript (${transport})${haveQemu ? '' : ` — skipped: ${QEMU} not found`}`, () => {
      const lantern = run('lantern', global);
      const qemu = run('qemu', global);
      expect(qemu.status).toBe(0);
      // "info:" lines show each emulator's feature offer: legacy QEMU also offers
      // NOTIFY_ON_EMPTY and ANY_LAYOUT (bits 24 and 27), which Lantern's transport does not.
      const comparable = (text: string) => text.split('\n').filter((line) => !line.startsWith('info:')).join('\n');
      expect(comparable(lantern.stdout)).toBe(comparable(qemu.stdout));
    });
  }
});
