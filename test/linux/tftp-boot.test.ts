// Network boot over the user-mode network's TFTP server: Debian's U-Boot (qemu-riscv64_smode,
// after the default OpenSBI) on `-netdev user,tftp=DIR -device virtio-net-device` takes
// 10.0.2.15 by DHCP, fetches samples/linux's Image and initramfs from 10.0.2.2 with `tftpboot`
// in 1468-byte blocks and boots them with `booti`; Linux's init then runs as in linux.test.ts
// and powers off. A short second boot checks DHCP's boot file name and the server's refusals
// (a missing file: TFTP error 1; a parent directory: error 2). With QEMU installed, its slirp
// must transfer the same byte counts and refuse alike.
// Run by `npm run test:linux` (build.sh first), not by `npm test`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIRMWARE } from '../../server/src/machine/boot-layout';
import { buildHostBundle, hasTool } from '../support/guest-tools';
import { CLI, GREETING, IMAGE, INITRAMFS, PROMPT, QEMU, TYPED, UBOOT } from './guest';

/** The last line U-Boot prints about its console: a key typed after it stops the autoboot. */
const CONSOLE_UP = 'Err:   serial@10000000\n';
const UBOOT_PROMPT = '=> ';
/** U-Boot's default (CONFIG_TFTP_BLOCKSIZE), set anyway: one block per 1500-byte frame, not 512. */
const BLOCK_SIZE = 1468;
/** The network boot takes about 2.5 s on the 2-core CI machine (tftpboot of the 15 MB Image 0.6 s,
 *  of the initramfs 0.1 s; in 512-byte blocks the Image takes 1.1 s): a limit like linux.test.ts's. */
const NETBOOT_TIMEOUT_MS = 60_000;
/** The refusals' boot takes about 1.5 s. */
const SHORT_TIMEOUT_MS = 30_000;

const haveGuestFiles = fs.existsSync(IMAGE) && fs.existsSync(INITRAMFS);
const haveUboot = fs.existsSync(UBOOT) && fs.existsSync(DEFAULT_FIRMWARE);
const haveQemu = hasTool(QEMU);
if (!haveGuestFiles) console.warn('test/linux/tftp-boot: samples/linux/build/ has no Image or initramfs: run samples/linux/build.sh');
if (!haveUboot) console.warn(`test/linux/tftp-boot: ${UBOOT} or Debian's OpenSBI not found (apt-get install u-boot-qemu opensbi): skipping`);

interface Answer {
  readonly command: string;
  /** What U-Boot printed between the command's echo and the next prompt (\r removed). */
  readonly text: string;
  /** Wall time from typing the command to the next prompt. */
  readonly seconds: number;
}

interface Session {
  readonly answers: readonly Answer[];
  /** All console output, \r removed. */
  readonly output: string;
  readonly status: number | null;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Boots U-Boot with `command args`, stops the autoboot and types `commands` one prompt at a
 * time. The last command leaves U-Boot (booti or poweroff); after it, `then` is typed once the
 * output shows `after`. Resolves at the process's exit; rejects on a time-out.
 */
function uBootSession(command: string, args: readonly string[], commands: readonly string[], timeoutMs: number,
  then?: { readonly after: string; readonly type: string }): Promise<Session> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    let from = 0;
    let stage = -1; // -1: waiting for the console; then the index of the next command to type
    let typedAt = 0;
    let thenTyped = false;
    const answers: Answer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out at stage ${stage}; stderr: ${stderr}; output:\n${output.slice(-6000)}`));
    }, timeoutMs);
    const advance = () => {
      if (stage === -1) {
        const up = output.indexOf(CONSOLE_UP);
        if (up < 0) return;
        // U-Boot looks for a key already typed before it counts down (abortboot_single_key).
        child.stdin.write(' ');
        stage = 0;
        from = up + CONSOLE_UP.length;
      }
      while (stage < commands.length) {
        const prompt = output.indexOf(`\n${UBOOT_PROMPT}`, from);
        if (prompt < 0) return;
        if (stage > 0) {
          const line = commands[stage - 1];
          const echoed = output.indexOf(`${line}\n`, from);
          answers.push({ command: line, text: output.slice(echoed + line.length + 1, prompt + 1), seconds: elapsed() - typedAt });
        }
        from = prompt + 1 + UBOOT_PROMPT.length;
        child.stdin.write(`${commands[stage]}\r`);
        typedAt = elapsed();
        stage++;
      }
      if (then !== undefined && !thenTyped && output.indexOf(then.after, from) >= 0) {
        child.stdin.write(then.type);
        thenTyped = true;
      }
    };
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      output += chunk.replace(/\r/g, '');
      advance();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdin.on('error', () => { /* the machine powered off before reading everything */ });
    child.on('close', (status) => {
      clearTimeout(timer);
      if (stage < commands.length) reject(new Error(`exited (${status}) at stage ${stage}; stderr: ${stderr}; output:\n${output.slice(-6000)}`));
      else resolve({ answers, output, status, stderr, seconds: elapsed() });
    });
  });
}

function answer(session: Session, command: string): Answer {
  const found = session.answers.find((each) => each.command === command);
  if (found === undefined) throw new Error(`no answer to ${command}; output:\n${session.output.slice(-6000)}`);
  return found;
}

/**
 * The blocks a transfer took, to a tenth: U-Boot without CONFIG_TFTP_TSIZE (Debian's) prints a
 * '#' after `Loading:` at blocks 1, 11, 21, … (net/tftp.c show_block_marker).
 */
function hashMarks(text: string): number {
  return (text.slice(text.indexOf('Loading:')).match(/#/g) ?? []).length;
}

/** The marks a transfer of `size` bytes in `blockSize`-byte blocks shows. */
const expectedMarks = (size: number, blockSize: number) => Math.ceil(Math.ceil(size / blockSize) / 10);

const BOARD = ['-M', 'virt', '-m', '256M', '-smp', '1', '-nographic', '-kernel', UBOOT];
const network = (settings: string) => ['-netdev', `user,id=n0,${settings}`, '-device', 'virtio-net-device,netdev=n0'];

const LOAD_IMAGE = 'tftpboot ${kernel_addr_r} Image';
const LOAD_INITRAMFS = 'tftpboot ${ramdisk_addr_r} initramfs.cpio.gz';
/** The initramfs's size, kept before anything else changes `filesize`. */
const KEEP_SIZE = 'setenv rdsize ${filesize}';
const NETBOOT = [
  'setenv autoload no',
  `setenv tftpblocksize ${BLOCK_SIZE}`,
  'dhcp',
  LOAD_IMAGE,
  LOAD_INITRAMFS,
  KEEP_SIZE,
  // As linux.test.ts boots it: the UART console, init's own program from the initramfs.
  'setenv bootargs console=ttyS0',
  'booti ${kernel_addr_r} ${ramdisk_addr_r}:${rdsize} ${fdtcontroladdr}',
];

const LOAD_MISSING = 'tftpboot ${kernel_addr_r} nonexistent';
const LOAD_PARENT = 'tftpboot ${kernel_addr_r} ../etc/passwd';
const REFUSALS = ['setenv autoload no', 'dhcp', 'printenv bootfile', LOAD_MISSING, LOAD_PARENT, 'poweroff'];

describe.skipIf(!haveGuestFiles || !haveUboot)('U-Boot boots Linux over TFTP on the user-mode network', () => {
  /** The folder served (tftp=): copies, as symbolic links out of it are refused by design. */
  let served = '';
  let imageSize = 0;
  let initramfsSize = 0;

  beforeAll(() => {
    buildHostBundle();
    served = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-tftp-'));
    fs.copyFileSync(IMAGE, path.join(served, 'Image'));
    fs.copyFileSync(INITRAMFS, path.join(served, 'initramfs.cpio.gz'));
    imageSize = fs.statSync(IMAGE).size;
    initramfsSize = fs.statSync(INITRAMFS).size;
  });
  afterAll(() => { if (served !== '') fs.rmSync(served, { recursive: true, force: true }); });

  it('DHCP, tftpboot of Image and initramfs, booti: init greets and powers off', async () => {
    const args = [...BOARD, ...network(`tftp=${served}`)];
    const run = await uBootSession(process.execPath, [CLI, ...args], NETBOOT, NETBOOT_TIMEOUT_MS, { after: PROMPT, type: `${TYPED}\n` });
    const context = `status ${run.status}, stderr ${JSON.stringify(run.stderr)}; output:\n${run.output.slice(-6000)}`;
    const image = answer(run, LOAD_IMAGE);
    const initramfs = answer(run, LOAD_INITRAMFS);
    console.log(`lantern tftp boot: Image ${image.seconds.toFixed(1)} s, initramfs ${initramfs.seconds.toFixed(1)} s, whole run ${run.seconds.toFixed(1)} s`);

    expect(answer(run, 'dhcp').text, context).toContain('DHCP client bound to address 10.0.2.15');
    expect(image.text, context).toContain(`Bytes transferred = ${imageSize} (${imageSize.toString(16)} hex)`);
    expect(initramfs.text, context).toContain(`Bytes transferred = ${initramfsSize} (${initramfsSize.toString(16)} hex)`);
    // Lantern grants the 1468 asked for (libslirp caps it at 1428: QEMU's marks differ).
    expect(hashMarks(image.text), context).toBe(expectedMarks(imageSize, BLOCK_SIZE));
    expect(hashMarks(initramfs.text), context).toBe(expectedMarks(initramfsSize, BLOCK_SIZE));
    expect(run.output, context).toContain('Starting kernel ...\n');
    expect(run.output, context).toContain(`${GREETING}\n`);
    expect(run.output, context).toContain(`echo: [${TYPED}]\n`);
    expect(run.output, context).toContain('reboot: Power down\n');
    expect(run.stderr, context).toBe('');
    expect(run.status, context).toBe(0);

    if (!haveQemu) return;
    // QEMU's slirp: the same files, the same byte counts (up to the boot itself, which linux.test.ts compares).
    const theirs = await uBootSession(QEMU, ['-cpu', 'rv64,h=false', ...args], [...NETBOOT.slice(0, 5), 'poweroff'], NETBOOT_TIMEOUT_MS);
    console.log(`qemu tftp: Image ${answer(theirs, LOAD_IMAGE).seconds.toFixed(1)} s, initramfs ${answer(theirs, LOAD_INITRAMFS).seconds.toFixed(1)} s`);
    const transferred = (text: string) => text.match(/Bytes transferred = .*/)?.[0];
    expect(transferred(answer(theirs, LOAD_IMAGE).text)).toBe(transferred(image.text));
    expect(transferred(answer(theirs, LOAD_INITRAMFS).text)).toBe(transferred(initramfs.text));
  }, 2 * NETBOOT_TIMEOUT_MS + 10_000);

  it('offers bootfile= by DHCP and refuses a missing file and a parent directory', async () => {
    const args = [...BOARD, ...network(`tftp=${served},bootfile=Image`)];
    const run = await uBootSession(process.execPath, [CLI, ...args], REFUSALS, SHORT_TIMEOUT_MS);
    const context = `status ${run.status}, stderr ${JSON.stringify(run.stderr)}; output:\n${run.output.slice(-6000)}`;
    expect(answer(run, 'dhcp').text, context).toContain('DHCP client bound to address 10.0.2.15');
    expect(answer(run, 'printenv bootfile').text, context).toBe('bootfile=Image\n');
    expect(answer(run, LOAD_MISSING).text, context).toContain("\nTFTP error: 'File not found' (1)\nNot retrying...\n");
    expect(answer(run, LOAD_PARENT).text, context).toContain("\nTFTP error: 'Access violation' (2)\nNot retrying...\n");
    expect(run.stderr, context).toBe('');
    expect(run.status, context).toBe(0);

    if (!haveQemu) return;
    const theirs = await uBootSession(QEMU, ['-cpu', 'rv64,h=false', ...args], REFUSALS, SHORT_TIMEOUT_MS);
    for (const command of ['printenv bootfile', LOAD_MISSING, LOAD_PARENT]) {
      expect(answer(run, command).text, command).toBe(answer(theirs, command).text);
    }
  }, 2 * SHORT_TIMEOUT_MS + 10_000);
});
