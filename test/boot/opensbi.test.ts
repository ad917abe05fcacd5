// Debian's OpenSBI 1.1 (package opensbi) on the virt board, as QEMU boots it: fw_jump and
// fw_dynamic (raw and ELF) through -bios, alone and with an S-mode payload
// (test/boot/sbi-payload/) as -kernel at the next stage, and as the default firmware. OpenSBI
// probes the device tree, the ACLINT, the UART, PMP, Sstc and mcountinhibit; the payload then
// uses SBI's timer, IPI, fence and reset calls, reboots once and powers off. With QEMU
// installed the transcripts must match its (`-cpu rv64,h=false`, Lantern has no H extension).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIRMWARE } from '../../server/src/machine/boot-layout';
import { Machine } from '../../server/src/machine/machine';
import { buildGuest, buildHostBundle, hasTool, RISCV_GCC } from '../support/guest-tools';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const firmwareDir = path.dirname(DEFAULT_FIRMWARE);
const firmware = (name: string) => path.join(firmwareDir, name);
const source = path.join(__dirname, 'sbi-payload');
const build = path.join(__dirname, 'build');
const payloadElf = path.join(build, 'sbi-payload.elf');
const payloadBin = path.join(build, 'sbi-payload.bin');
const gcc = RISCV_GCC;
const objcopy = gcc.replace(/gcc$/, 'objcopy');
const QEMU = 'qemu-system-riscv64';

const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const haveOpensbi = ['fw_jump.bin', 'fw_jump.elf', 'fw_dynamic.bin', 'fw_dynamic.elf'].every((name) => fs.existsSync(firmware(name)));
const haveGcc = hasTool(gcc) && hasTool(objcopy);
const haveQemu = hasTool(QEMU);
if (!haveOpensbi) console.warn(`test/boot/opensbi: Debian's OpenSBI is not in ${firmwareDir} (apt-get install opensbi): skipping`);
if (!haveGcc) console.warn(`test/boot/opensbi: ${gcc} not found on PATH: skipping the S-mode payload`);

/** The last line of OpenSBI's banner. */
const BANNER_END = /Boot HART MEDELEG\s*: 0x[0-9a-f]+\r?\n/;
/** QEMU 7.2's rv64 has 16 programmable counters (pmu-num); Lantern's mhpmcounter3..31 are read-only zero, as the spec allows. */
const MHPM_LINE = /^Boot HART MHPM Count {6}: \d+$/gm;
/** QEMU as the reference: its default rv64 CPU without H, which Lantern does not implement. */
const QEMU_CPU = ['-cpu', 'rv64,h=false'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs OpenSBI alone in a Machine until its banner is out (it then jumps to an empty next stage). */
async function bannerInProcess(bios: string, harts = 1): Promise<string> {
  const output: number[] = [];
  const text = () => Buffer.from(output).toString('latin1');
  const machine = new Machine({
    board: 'virt', ramSize: 128 << 20, bios: { file: bios }, icountShift: 3, rtcStart: 0n, rngSeed: 1n, harts,
    console: { write: (byte) => output.push(byte) },
  });
  let settled = false;
  const result = machine.run().finally(() => { settled = true; });
  const MAX_STEPS = 100_000_000n; // OpenSBI's banner takes a few million
  try {
    while (!BANNER_END.test(text())) {
      if (settled) throw new Error(`the machine stopped before the banner ended:\n${text()}`);
      if (machine.core.clockSteps > MAX_STEPS) throw new Error(`no banner after ${MAX_STEPS} steps:\n${text()}`);
      await sleep(5);
    }
  } finally {
    machine.stop(0);
    await result;
  }
  return upToBannerEnd(text().replace(/\r\n/g, '\n'));
}

/** The output up to the banner's last line (the machine may have run on a little). */
function upToBannerEnd(output: string): string {
  const end = BANNER_END.exec(output);
  if (!end) throw new Error(`no complete OpenSBI banner in:\n${output}`);
  return output.slice(0, end.index + end[0].length);
}

/** Runs a command until `done` holds on its output (or it exits); kills it then; 20 s at most. */
function runUntil(command: string, args: string[], done: (stdout: string) => boolean) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      stdout += chunk;
      if (done(stdout)) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: stdout.replace(/\r\n/g, '\n'), stderr });
    });
  });
}

/** A run to its end: the payload powers the machine off. */
function runToEnd(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'latin1', input: '', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr };
}

const lanternArgs = (args: string[]) => [cli, '-machine', 'virt', '-nographic', ...args];
const qemuArgs = (args: string[]) => ['-machine', 'virt', ...QEMU_CPU, '-nographic', ...args];

/** The banner's "Name : value" lines as a map. */
function bannerFields(banner: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of banner.matchAll(/^([A-Za-z0-9 ]+?)\s*: (.*)$/gm)) fields.set(match[1], match[2]);
  return fields;
}

/** What every OpenSBI banner on this board must say (QEMU 7.2 virt, one hart, no H). */
function expectVirtBanner(banner: string, nextAddress: string): void {
  expect(banner).toContain('OpenSBI v1.1\n');
  const fields = bannerFields(banner);
  expect(Object.fromEntries(fields)).toMatchObject({
    'Platform Name': 'riscv-virtio,qemu',
    'Platform HART Count': '1',
    'Platform IPI Device': 'aclint-mswi',
    'Platform Timer Device': 'aclint-mtimer @ 10000000Hz',
    'Platform Console Device': 'uart8250',
    'Platform Reboot Device': 'sifive_test',
    'Platform Shutdown Device': 'sifive_test',
    'Firmware Base': '0x80000000',
    'Domain0 Next Address': nextAddress,
    'Domain0 Next Mode': 'S-mode',
    'Boot HART ID': '0',
    // OpenSBI takes a hart for priv 1.12 only when mcountinhibit exists.
    'Boot HART Priv Version': 'v1.12',
    'Boot HART Base ISA': 'rv64imafdc',
    'Boot HART ISA Extensions': 'time,sstc',
    'Boot HART PMP Count': '16',
    'Boot HART PMP Granularity': '4',
    'Boot HART PMP Address Bits': '54',
    'Boot HART MIDELEG': '0x0000000000000222',
    'Boot HART MEDELEG': '0x000000000000b109',
  });
}

/** The payload's report on one boot (the lines are the same under QEMU). */
function expectPayload(stdout: string, deviceTree: string): void {
  expect(stdout).toContain([
    `payload: hart 0 in S-mode, device tree at ${deviceTree} magic 0xd00dfeed`,
    '  SBI spec 1.0, implementation 1 version 0x10001',
    '  probe TIME: 1', '  probe IPI: 1', '  probe RFENCE: 1', '  probe HSM: 1', '  probe SRST: 1', '  probe PMU: 1', '  probe DBCN: 0',
    '  hart status: error 0 state 0',
    '  timer: fired after 1 ms',
    '  ipi: error 0, software interrupts taken 1',
    '  remote fence.i: error 0',
    '  misaligned load: 0x55443322',
    'payload: rebooting',
    '',
  ].join('\n'));
  expect(stdout).not.toContain('FAIL');
  // The reboot starts OpenSBI afresh (firmware and payload reloaded), then the payload powers off.
  expect(stdout.match(/OpenSBI v1\.1/g)).toHaveLength(2);
  expect(stdout.endsWith('payload: hart 0 back after the reboot, shutting down\n')).toBe(true);
}

describe.skipIf(!haveCore || !haveOpensbi)('OpenSBI (Debian opensbi 1.1) on the virt board', () => {
  beforeAll(() => {
    // The CLI runs below use the bundle: build it from the current sources.
    buildHostBundle();
  });

  it('fw_jump.bin alone on -smp 4 counts four harts, each booted', async () => {
    const banner = await bannerInProcess(firmware('fw_jump.bin'), 4);
    const fields = bannerFields(banner);
    expect(fields.get('Platform Name')).toBe('riscv-virtio,qemu');
    expect(fields.get('Platform HART Count')).toBe('4');
    expect(fields.get('Domain0 HARTs')).toBe('0*,1*,2*,3*');
  });

  it('fw_jump.bin alone prints its banner: the board as the device tree, ACLINT, UART and the hart describe it', async () => {
    const banner = await bannerInProcess(firmware('fw_jump.bin'));
    // fw_jump jumps to 0x80200000 and relocates the device tree to 0x82200000 for it.
    expectVirtBanner(banner, '0x0000000080200000');
    expect(bannerFields(banner).get('Domain0 Next Arg1')).toBe('0x0000000082200000');
    expect(bannerFields(banner).get('Domain0 Region01')).toBe('0x0000000080000000-0x000000008007ffff ()');
  });

  it('fw_dynamic.bin alone reads fw_dynamic_info from the boot ROM: next stage 0, mode S', async () => {
    const banner = await bannerInProcess(firmware('fw_dynamic.bin'));
    expectVirtBanner(banner, '0x0000000000000000');
    // fw_dynamic passes on the device tree where the board put it: the end of 128 MiB of RAM.
    expect(bannerFields(banner).get('Domain0 Next Arg1')).toBe('0x0000000087e00000');
  });

  it.skipIf(!haveQemu)('prints the same banners as QEMU, but for the MHPM counters', async () => {
    for (const name of ['fw_jump.bin', 'fw_dynamic.bin']) {
      const ours = await bannerInProcess(firmware(name));
      const theirs = await runUntil(QEMU, qemuArgs(['-bios', firmware(name)]), (stdout) => BANNER_END.test(stdout));
      expect(ours.replace(MHPM_LINE, '')).toBe(upToBannerEnd(theirs.stdout).replace(MHPM_LINE, ''));
    }
  });

  describe.skipIf(!haveGcc)('with an S-mode payload as -kernel', () => {
    beforeAll(() => {
      buildGuest({ sources: [path.join(source, 'start.S'), path.join(source, 'payload.c')], linkScript: path.join(source, 'link.ld'), output: payloadElf, gcc });
      const copied = spawnSync(objcopy, ['-O', 'binary', payloadElf, payloadBin], { encoding: 'utf8' });
      if (copied.status !== 0) throw new Error(`${objcopy} failed:\n${copied.stderr}`);
    });

    // fw_jump hands the payload the device tree it relocated; fw_dynamic the board's own.
    const cases = [
      { bios: 'fw_jump.bin', kernel: 'elf', deviceTree: '0x82200000' },
      { bios: 'fw_jump.elf', kernel: 'bin', deviceTree: '0x82200000' },
      { bios: 'fw_dynamic.bin', kernel: 'bin', deviceTree: '0x87e00000' },
      { bios: 'fw_dynamic.elf', kernel: 'elf', deviceTree: '0x87e00000' },
    ];
    for (const { bios, kernel, deviceTree } of cases) {
      it(`-bios ${bios} runs the payload (${kernel === 'elf' ? 'ELF' : 'raw binary'}) at 0x80200000 in S-mode`, () => {
        const args = ['-bios', firmware(bios), '-kernel', kernel === 'elf' ? payloadElf : payloadBin];
        const ours = runToEnd(process.execPath, lanternArgs(args));
        expect(ours.stderr).toBe('');
        expect(ours.status).toBe(0);
        expectVirtBanner(ours.stdout, '0x0000000080200000');
        expectPayload(ours.stdout, deviceTree);
        if (!haveQemu) return;
        const theirs = runToEnd(QEMU, qemuArgs(args));
        expect(theirs.status).toBe(0);
        expect(ours.stdout.replace(MHPM_LINE, '')).toBe(theirs.stdout.replace(MHPM_LINE, ''));
      });
    }

    it('boots Debian\'s fw_dynamic.bin without -bios, as QEMU\'s default firmware, and with -bios default', () => {
      for (const bios of [[], ['-bios', 'default']]) {
        const ours = runToEnd(process.execPath, lanternArgs([...bios, '-kernel', payloadElf]));
        expect(ours.stderr).toBe('');
        expect(ours.status).toBe(0);
        expectVirtBanner(ours.stdout, '0x0000000080200000');
        expectPayload(ours.stdout, '0x87e00000');
        // The same firmware named as a file gives the same transcript.
        expect(ours.stdout).toBe(runToEnd(process.execPath, lanternArgs(['-bios', DEFAULT_FIRMWARE, '-kernel', payloadElf])).stdout);
      }
    });
  });
});
