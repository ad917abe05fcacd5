// Debian's U-Boot 2023.01 for S-mode (package u-boot-qemu, qemu-riscv64_smode) as -kernel
// after Debian's OpenSBI, with a raw disk on virtio-mmio slot 0, driven through the CLI's
// stdin: a key typed once U-Boot's console is up stops the autoboot, then the `=>` prompt
// answers version, bdinfo, virtio scan/info/read and md, and poweroff ends the run through
// SBI. With QEMU installed the answers must match its, but for what Lantern's board leaves
// out (the CFI flash banks, and so a smaller device tree).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIRMWARE } from '../../server/src/machine/boot-layout';
import { buildHostBundle, hasTool } from '../support/guest-tools';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';
const FW_JUMP = path.join(path.dirname(DEFAULT_FIRMWARE), 'fw_jump.bin');
const QEMU = 'qemu-system-riscv64';

const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const haveUboot = fs.existsSync(UBOOT);
const haveOpensbi = fs.existsSync(FW_JUMP) && fs.existsSync(DEFAULT_FIRMWARE);
const haveQemu = hasTool(QEMU);
if (!haveUboot) console.warn(`test/boot/u-boot: ${UBOOT} not found (apt-get install u-boot-qemu): skipping`);
if (!haveOpensbi) console.warn(`test/boot/u-boot: Debian's OpenSBI not found (apt-get install opensbi): skipping`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-u-boot-'));
const DISK_LABEL = 'Lantern U-Boot disk';
/** The last line U-Boot prints about its console: after it, nothing resets the UART's FIFO. */
const CONSOLE_UP = 'Err:   serial@10000000\n';
const PROMPT = '=> ';
/** Each wait on the guest's output; a boot to the prompt takes about 2 s. */
const WAIT_MS = 20_000;

/** A U-Boot session over a child's stdin/stdout: type a line, read the answer up to the next prompt. */
class Session {
  private output = '';
  private readonly exited: Promise<number | null>;
  private readonly watchers: (() => void)[] = [];
  stderr = '';

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      this.output += chunk.replace(/\r/g, ''); // U-Boot ends lines with \r\n; a chunk may split them
      for (const watcher of [...this.watchers]) watcher();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => child.on('close', (status) => {
      for (const watcher of [...this.watchers]) watcher();
      resolve(status);
    }));
  }

  get transcript(): string {
    return this.output;
  }

  /** Waits until the output from `from` on contains `text`; the index just past it. */
  waitFor(text: string, from = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${JSON.stringify(text)}; output:\n${this.output}`)), WAIT_MS);
      const check = () => {
        const at = this.output.indexOf(text, from);
        if (at >= 0) finish(undefined, at + text.length);
        else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          finish(new Error(`exited waiting for ${JSON.stringify(text)}; stderr: ${this.stderr}; output:\n${this.output}`));
        }
      };
      const finish = (error: Error | undefined, index = 0) => {
        clearTimeout(timer);
        this.watchers.splice(this.watchers.indexOf(check), 1);
        if (error) reject(error);
        else resolve(index);
      };
      this.watchers.push(check);
      check();
    });
  }

  type(text: string): void {
    this.child.stdin.write(text);
  }

  /** Runs a command at the prompt; its answer (the lines between the echo and the next prompt). */
  async command(line: string): Promise<string> {
    const start = this.output.length;
    this.type(`${line}\r`);
    const echoed = await this.waitFor(`${line}\n`, start);
    const prompt = await this.waitFor(`\n${PROMPT}`, echoed - 1);
    return this.output.slice(echoed, prompt - PROMPT.length);
  }

  /** Types `poweroff` and waits for the process to end; its exit status. */
  async powerOff(): Promise<number | null> {
    this.type('poweroff\r');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), WAIT_MS);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** Boots to U-Boot's prompt: waits for the console, types a key to stop the autoboot. */
async function bootToPrompt(command: string, args: string[]): Promise<Session> {
  const session = new Session(spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  try {
    await session.waitFor(CONSOLE_UP);
    // U-Boot checks for a key already typed before counting down (abortboot_single_key).
    session.type(' ');
    await session.waitFor(`\n${PROMPT}`);
  } catch (error) {
    session.kill();
    throw error;
  }
  return session;
}

const COMMANDS = ['version', 'bdinfo', 'virtio scan', 'virtio info', 'md.l 0x80200000 4', 'virtio read 0x84000000 0 1', 'md.b 0x84000000 10'];

/** Boots, runs COMMANDS, powers off: the answers by command, the transcript and exit status. */
async function session(command: string, args: string[]) {
  const shell = await bootToPrompt(command, args);
  try {
    const answers = new Map<string, string>();
    for (const line of COMMANDS) answers.set(line, await shell.command(line));
    const status = await shell.powerOff();
    return { answers, status, transcript: shell.transcript, stderr: shell.stderr };
  } finally {
    shell.kill();
  }
}

function disk(): string {
  const file = path.join(dir, 'disk.img');
  const bytes = new Uint8Array(1 << 20);
  bytes.set(Buffer.from(DISK_LABEL, 'latin1'));
  fs.writeFileSync(file, bytes);
  return file;
}

/** What `md.l ADDR 4` prints for 16 bytes: four little-endian words, then the bytes as ASCII. */
function mdLong(address: number, bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const words = [0, 4, 8, 12].map((at) => view.getUint32(at, true).toString(16).padStart(8, '0'));
  const ascii = Array.from(bytes.subarray(0, 16), (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
  return `${address.toString(16)}: ${words.join(' ')}  ${ascii}\n`;
}

/** bdinfo lines that follow from the parts of QEMU's virt Lantern does not have (CFI flash, PCIe, fw_cfg). */
const BOARD_DIFFERENCES = /^(flashstart|flashsize|fdt_blob|new_fdt|fdt_size) .*\n| reserved\[2\].*\n/gm;

describe.skipIf(!haveCore || !haveUboot || !haveOpensbi)('U-Boot (Debian u-boot-qemu, S-mode) after OpenSBI', () => {
  beforeAll(() => {
    // The runs below use the CLI bundle: build it from the current sources.
    buildHostBundle();
  });

  it('reaches the prompt after fw_jump, answers version, bdinfo, virtio and md, and powers off', async () => {
    const image = disk();
    const args = [
      '-machine', 'virt', '-nographic', '-bios', FW_JUMP, '-kernel', UBOOT,
      '-drive', `file=${image},if=none,format=raw,id=d0`, '-device', 'virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0',
    ];
    const ours = await session(process.execPath, [cli, ...args]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    // OpenSBI ran U-Boot at 0x80200000; the key stopped the countdown before any boot attempt.
    expect(ours.transcript).toContain('Platform Name             : riscv-virtio,qemu\n');
    expect(ours.transcript).toMatch(/\nU-Boot 2023\.01[^\n]*\n\nCPU: {3}rv64imafdc[^\n]*_sstc\nModel: riscv-virtio,qemu\nDRAM:  128 MiB\n/);
    const autoboot = ours.transcript.slice(ours.transcript.indexOf('Hit any key to stop autoboot'));
    expect(autoboot.slice(0, autoboot.indexOf(PROMPT))).not.toMatch(/Device 0|scanning|partition|ethernet/);

    const answer = (line: string) => ours.answers.get(line)!;
    expect(answer('version')).toMatch(/^U-Boot 2023\.01[^\n]*\n\nriscv64-linux-gnu-gcc [^\n]*\nGNU ld [^\n]*\n$/);
    const bdinfo = answer('bdinfo');
    expect(bdinfo).toContain('-> start    = 0x0000000080000000\n-> size     = 0x0000000008000000\n');
    expect(bdinfo).toContain('relocaddr   = 0x0000000087f57000\n');
    expect(bdinfo).toContain('Build       = 64-bit\n');
    expect(bdinfo).toContain(' memory[0]\t[0x80000000-0x87ffffff], 0x08000000 bytes flags: 0\n');
    // The region OpenSBI protects with PMP, from the reserved-memory node it adds to the tree.
    expect(bdinfo).toContain(' reserved[0]\t[0x80000000-0x8007ffff], 0x00080000 bytes flags: 0\n');
    expect(answer('virtio scan')).toBe('');
    expect(answer('virtio info')).toBe('Device 0: QEMU VirtIO Block Device\n            Type: Hard Disk\n            Capacity: 1.0 MB = 0.0 GB (2048 x 512)\n');
    // The first words of u-boot.bin, where the firmware loaded it.
    expect(answer('md.l 0x80200000 4')).toBe(mdLong(0x8020_0000, fs.readFileSync(UBOOT)));
    expect(answer('virtio read 0x84000000 0 1')).toBe('\nvirtio read: device 0 block # 0, count 1 ... 1 blocks read: OK\n');
    expect(answer('md.b 0x84000000 10')).toBe(`84000000: ${Array.from(Buffer.from(DISK_LABEL.slice(0, 16)), (byte) => byte.toString(16)).join(' ')}  ${DISK_LABEL.slice(0, 16)}\n`);

    if (!haveQemu) return;
    const theirs = await session(QEMU, ['-cpu', 'rv64,h=false', ...args]);
    expect(theirs.status).toBe(0);
    for (const line of COMMANDS) {
      expect(ours.answers.get(line)!.replace(BOARD_DIFFERENCES, ''), line).toBe(theirs.answers.get(line)!.replace(BOARD_DIFFERENCES, ''));
    }
  });

  it('boots after the default firmware (fw_dynamic, no -bios): next_addr 0x80200000 from the boot ROM', async () => {
    const ours = await session(process.execPath, [cli, '-machine', 'virt', '-nographic', '-kernel', UBOOT]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    expect(ours.transcript).toContain('Domain0 Next Address      : 0x0000000080200000\n');
    // fw_dynamic passes on the device tree at the end of RAM; fw_jump's copy was at 0x82200000.
    expect(ours.transcript).toContain('Domain0 Next Arg1         : 0x0000000087e00000\n');
    expect(ours.answers.get('version')).toMatch(/^U-Boot 2023\.01/);
    expect(ours.answers.get('md.l 0x80200000 4')).toBe(mdLong(0x8020_0000, fs.readFileSync(UBOOT)));
    // No disk: nothing to list.
    expect(ours.answers.get('virtio info')).toBe('');

    if (!haveQemu) return;
    // QEMU's own default is its bundled build of OpenSBI: name Debian's, as Lantern's default.
    const theirs = await session(QEMU, ['-cpu', 'rv64,h=false', '-machine', 'virt', '-nographic', '-bios', DEFAULT_FIRMWARE, '-kernel', UBOOT]);
    expect(theirs.status).toBe(0);
    for (const line of COMMANDS) {
      expect(ours.answers.get(line)!.replace(BOARD_DIFFERENCES, ''), line).toBe(theirs.answers.get(line)!.replace(BOARD_DIFFERENCES, ''));
    }
  });
});
