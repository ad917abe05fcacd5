// Linux 6.1 on Lantern (issue 6): the guest samples/linux/build.sh builds from Debian's
// packages — a trimmed kernel Image and a static init — booted the ways a user would:
// after OpenSBI fw_jump and fw_dynamic from an initramfs at -smp 1 and 2, with the root on
// virtio-blk in both virtio-mmio transports (and a virtio-rng), with the console on
// virtio-console, and from a virtio disk through U-Boot's `booti`. Each transcript must show
// init's greeting, the hart count, ISA string and MMU Linux derives from Lantern's device
// tree and satp probing, the forked children, the line the test typed echoed back, and the
// power-off (SBI SRST → OpenSBI → sifive_test, exit status 0); the
// floating-point results must equal QEMU's for the same Image and init.
// Run by `npm run test:linux` (build.sh first), not by `npm test`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostBundle, hasTool } from '../support/guest-tools';
import {
  BOOTFS, CLI, FW_DYNAMIC, FW_JUMP, GREETING, IMAGE, INITRAMFS, PROMPT, QEMU, ROOTFS, TYPED, UBOOT,
  boot, floatingPointLines, haveGuest, type Boot, type Step,
} from './guest';

/** Each boot's limit: they take 1–3 s on the 2-core CI machine (see the README's time budget). */
const BOOT_TIMEOUT_MS = 60_000;
/** What Linux 6.1 shows of Lantern's riscv,isa: the single letters, then the multi-letter
 *  extensions it knows (arch/riscv/kernel/cpu.c isa_ext_arr: of ours, sstc and zihintpause). */
const ISA_LINE = /^isa\t\t: rv64imafdc_sstc_zihintpause$/m;

const haveFirmware = fs.existsSync(FW_JUMP) && fs.existsSync(FW_DYNAMIC);
const haveQemu = hasTool(QEMU);
if (!haveGuest()) console.warn('test/linux: samples/linux/build/ has no guest: run `npm run test:linux` (it runs samples/linux/build.sh first)');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-linux-'));

const BOARD = ['-M', 'virt', '-m', '256M', '-nographic'];
const CONSOLE = 'console=ttyS0';

function initramfsArgs(bios: string, smp: number): string[] {
  return [...BOARD, '-smp', String(smp), '-bios', bios, '-kernel', IMAGE, '-initrd', INITRAMFS, '-append', CONSOLE];
}

/** A private copy of a disk image, so a boot never sees another's writes. */
function diskCopy(image: string, name: string): string {
  const copy = path.join(scratch, name);
  fs.copyFileSync(image, copy);
  return copy;
}

function virtioDisk(file: string, id: string): string[] {
  return ['-drive', `file=${file},if=none,format=raw,id=${id}`, '-device', `virtio-blk-device,drive=${id}`];
}

function rootDiskArgs(modern: boolean, smp: number): string[] {
  return [
    ...BOARD, '-smp', String(smp), '-bios', FW_JUMP, '-kernel', IMAGE, '-append', `${CONSOLE} root=/dev/vda rw`,
    ...virtioDisk(diskCopy(ROOTFS, `rootfs-${modern ? 'modern' : 'legacy'}.ext2`), 'root'), '-device', 'virtio-rng-device',
    ...(modern ? ['-global', 'virtio-mmio.force-legacy=false'] : []),
  ];
}

/** Linux's console on a virtconsole port (hvc0) instead of the UART; typed input goes there too. */
function virtioConsoleArgs(smp: number): string[] {
  return [
    ...BOARD, '-smp', String(smp), '-bios', FW_JUMP, '-kernel', IMAGE, '-initrd', INITRAMFS, '-append', 'console=hvc0',
    '-chardev', 'stdio,id=con', '-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=con',
  ];
}

/** U-Boot: stop the autoboot once its console is up, then load both files from the disk and booti. */
const UBOOT_STEPS: Step[] = [
  { after: 'Err:   serial@10000000\n', type: ' ' },
  {
    after: '=> ',
    type: 'setenv bootargs console=ttyS0; virtio scan; load virtio 0 ${kernel_addr_r} /Image; '
      + 'load virtio 0 ${ramdisk_addr_r} /initramfs.cpio.gz; booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}\r',
  },
  { after: PROMPT, type: `${TYPED}\n` },
];

function lantern(args: readonly string[], steps?: readonly Step[]): Promise<Boot> {
  return boot(process.execPath, [CLI, ...args], BOOT_TIMEOUT_MS, { steps });
}

/** The init's output checks every boot shares. */
function expectLinuxRan(run: Boot, harts: number, rng: boolean, uartConsole: boolean): void {
  const context = `status ${run.status}${run.timedOut ? ' (timed out)' : ''}, stderr ${JSON.stringify(run.stderr)}; transcript:\n${run.transcript.slice(-6000)}`;
  expect(run.transcript, context).toContain(`${GREETING}\n`);
  expect(run.transcript, context).toMatch(ISA_LINE);
  // Linux probes satp from Sv57 down: the core's MMU has Sv57 (as QEMU 7.2's has).
  expect(run.transcript, context).toMatch(/^mmu\t\t: sv57$/m);
  expect(run.transcript.match(/^processor\t: \d+$/gm)?.length, context).toBe(harts);
  expect(run.transcript, context).toMatch(/^--- uname: Linux 6\.1\.\d+ .* riscv64$/m);
  expect(run.transcript, context).toContain(rng ? 'hwrng: virtio_rng.0, read 16 bytes\n' : 'hwrng: none, read -1 bytes\n');
  expect(run.transcript, context).toContain('parent: children exited with 42 43 44, parent fp ');
  expect(run.transcript, context).toContain(`echo: [${TYPED}]\n`);
  expect(run.transcript, context).toContain('powering off\n');
  // The kernel's last word; on hvc0 it comes after device_shutdown() took virtio-console away (QEMU alike).
  if (uartConsole) expect(run.transcript, context).toContain('reboot: Power down\n');
  expect(run.stderr, context).toBe('');
  expect(run.status, context).toBe(0);
}

/** With $LANTERN_LINUX_TRANSCRIPTS set to a folder, each boot's console output is written there. */
function keepTranscript(name: string, run: Boot): void {
  const folder = process.env.LANTERN_LINUX_TRANSCRIPTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, `${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.txt`), run.transcript);
}

let qemuFloatingPoint: string[] | undefined;

describe.skipIf(!haveGuest() || !haveFirmware)('Linux 6.1 (samples/linux) on Lantern', () => {
  beforeAll(async () => {
    // The boots use the CLI bundle: build it from the current sources.
    buildHostBundle();
    if (!haveQemu) return;
    const reference = await boot(QEMU, initramfsArgs(FW_JUMP, 1), BOOT_TIMEOUT_MS);
    expect(reference.status, reference.transcript).toBe(0);
    keepTranscript('qemu fw_jump initramfs smp 1', reference);
    qemuFloatingPoint = floatingPointLines(reference.transcript);
    expect(qemuFloatingPoint.length).toBe(19);
    console.log(`qemu fw_jump, initramfs, -smp 1: ${reference.seconds.toFixed(1)} s (greeting at ${reference.greetingSeconds?.toFixed(1) ?? '-'} s)`);
  }, BOOT_TIMEOUT_MS);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const cases: { name: string; harts: number; rng?: boolean; hvc?: boolean; args: () => string[]; steps?: Step[] }[] = [
    { name: 'fw_jump, initramfs, -smp 1', harts: 1, args: () => initramfsArgs(FW_JUMP, 1) },
    { name: 'fw_jump, initramfs, -smp 2', harts: 2, args: () => initramfsArgs(FW_JUMP, 2) },
    { name: 'fw_dynamic, initramfs, -smp 1', harts: 1, args: () => initramfsArgs(FW_DYNAMIC, 1) },
    { name: 'fw_dynamic, initramfs, -smp 2', harts: 2, args: () => initramfsArgs(FW_DYNAMIC, 2) },
    { name: 'root=/dev/vda on legacy virtio-mmio, virtio-rng, -smp 1', harts: 1, rng: true, args: () => rootDiskArgs(false, 1) },
    { name: 'root=/dev/vda on modern virtio-mmio, virtio-rng, -smp 2', harts: 2, rng: true, args: () => rootDiskArgs(true, 2) },
    // At -smp 2 this found csrrs on mip latching the PLIC's SEIP (test/unit/mip-read-modify-write.test.ts).
    { name: 'console on virtio-console (hvc0), -smp 2', harts: 2, hvc: true, args: () => virtioConsoleArgs(2) },
    {
      name: 'U-Boot (S-mode, after fw_jump) loads Image and initramfs from virtio and runs booti',
      harts: 1,
      args: () => [...BOARD, '-smp', '1', '-bios', FW_JUMP, '-kernel', UBOOT, ...virtioDisk(diskCopy(BOOTFS, 'boot.ext2'), 'boot')],
      steps: UBOOT_STEPS,
    },
  ];

  for (const { name, harts, rng = false, hvc = false, args, steps } of cases) {
    it(name, async () => {
      const run = await lantern(args(), steps);
      keepTranscript(name, run);
      console.log(`lantern ${name}: ${run.seconds.toFixed(1)} s (greeting at ${run.greetingSeconds?.toFixed(1) ?? '-'} s)`);
      expectLinuxRan(run, harts, rng, !hvc);
      if (steps === UBOOT_STEPS) expect(run.transcript).toMatch(/\n\d+ bytes read in [^\n]*\n\d+ bytes read in [\s\S]*\nStarting kernel \.\.\.\n/);
      if (qemuFloatingPoint) expect(floatingPointLines(run.transcript)).toEqual(qemuFloatingPoint);
    }, BOOT_TIMEOUT_MS + 10_000);
  }
});
