// samples/minikernel/ end to end through the CLI: the committed minikernel.elf on 1 and 3
// harts, with the disk on a legacy and on a modern virtio-mmio transport and a line piped to
// the console. The transcript must be exactly the expected one, repeat exactly from run to
// run, leave the written sector in the image, and (with QEMU installed) match QEMU virt's,
// the "hart N:" lines (printed by each hart in whatever order the harts run) sorted first.
// With the cross-compiler installed, the sources must still build into a kernel that does
// the same.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHostBundle, hasTool } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const sample = path.join(root, 'samples/minikernel');
const prebuilt = path.join(sample, 'minikernel.elf');
const cli = path.join(root, 'dist/cli.js');
const CROSS = 'riscv64-unknown-elf-';
const QEMU = 'qemu-system-riscv64';

const haveGcc = hasTool(`${CROSS}gcc`) && hasTool('make');
const haveQemu = hasTool(QEMU);
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
if (!haveGcc) console.warn(`test/boot/minikernel: ${CROSS}gcc (or make) not found on PATH: skipping the rebuild of the sources`);
if (!haveQemu) console.warn(`test/boot/minikernel: ${QEMU} not found on PATH: skipping the comparison with QEMU`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-minikernel-'));
const TYPED = 'hello lantern';
const LABEL = 'Lantern minikernel disk, sector 0.';

/** Sector 0: a label, then a byte pattern; the rest of the 1 MiB image is zero. */
function sector0(): Uint8Array {
  const bytes = new Uint8Array(512);
  bytes.set(Buffer.from(LABEL, 'latin1'));
  for (let i = LABEL.length; i < 512; i++) bytes[i] = (i * 13 + 7) & 0xff;
  return bytes;
}

function disk(name: string): string {
  const file = path.join(dir, name);
  const bytes = new Uint8Array(1 << 20);
  bytes.set(sector0());
  fs.writeFileSync(file, bytes);
  return file;
}

/** FNV-1a, 32 bits, as samples/minikernel/virtio-blk.c checksums sectors. */
function fnv1a(bytes: Uint8Array): string {
  let hash = 2166136261;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash.toString(16);
}

/** What the kernel writes to sector 1. */
const sector1 = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + 3) & 0xff);

/** The transcript on `harts` harts, its "hart N:" lines in hart order. */
function expected(harts: number, legacy: boolean): string {
  const lines = [
    `minikernel: M-mode on hart 0, ${harts} hart${harts === 1 ? '' : 's'}`,
    'pmp: pmpaddr0 3fffffffffffff pmpcfg0 f',
    'menvcfg.STCE 1',
  ];
  for (let hart = 0; hart < harts; hart++) lines.push(`hart ${hart}: S-mode, satp mode 8`);
  lines.push(`spinlock: counter ${1000 * harts} (expected ${1000 * harts})`);
  for (let hart = 0; hart < harts; hart++) {
    lines.push(`timer: hart ${hart}: clint 3 machine interrupts -> 3 ticks by SSIP, sstc 3 STI`);
  }
  lines.push(
    `disk: virtio-blk at 10001000, transport version ${legacy ? 1 : 2}, 2048 sectors`,
    `disk: read sector 0: status 0, checksum ${fnv1a(sector0())}, "${LABEL.slice(0, 16)}"`,
    `disk: write sector 1: status 0, checksum ${fnv1a(sector1)}`,
    `disk: read sector 1 back: status 0, checksum ${fnv1a(sector1)}, same`,
    'user: hello from U-mode',
    'user: getpid() = 1',
    'user: sum 1..100 = 5050',
    'user: write() returned 0',
    'user: exit(7)',
    'kernel: user program exited with status 7',
    'uart: type a line',
    TYPED, // the receive interrupt's echo
    `uart: got "${TYPED}"`,
    'minikernel: power off',
  );
  return `${lines.join('\n')}\n`;
}

/** Sorts the lines each hart prints on its own, wherever the harts' order put them. */
function normalise(transcript: string): string {
  const lines = transcript.split('\n');
  const harts = lines.filter((line) => /^hart \d+:/.test(line)).sort();
  let next = 0;
  return lines.map((line) => (/^hart \d+:/.test(line) ? harts[next++] : line)).join('\n');
}

function run(program: 'lantern' | 'qemu', elf: string, harts: number, legacy: boolean, image: string) {
  const command = program === 'lantern' ? process.execPath : QEMU;
  const prefix = program === 'lantern' ? [cli] : [];
  const result = spawnSync(command, [
    ...prefix, '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-smp', String(harts), '-kernel', elf,
    '-global', `virtio-mmio.force-legacy=${legacy}`,
    '-drive', `file=${image},if=none,format=raw,id=x0`, '-device', 'virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0',
  ], { encoding: 'latin1', input: `${TYPED}\n`, timeout: 20_000 });
  return { status: result.status, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr };
}

function expectDisk(image: string): void {
  const bytes = fs.readFileSync(image);
  expect([...bytes.subarray(0, 512)]).toEqual([...sector0()]);
  expect([...bytes.subarray(512, 1024)]).toEqual([...sector1]);
  expect(bytes.subarray(1024).every((byte) => byte === 0)).toBe(true);
}

describe.skipIf(!haveCore)('minikernel sample (the prebuilt ELF)', () => {
  beforeAll(() => {
    buildHostBundle();
  });

  it('is committed, not ignored', () => {
    expect(fs.existsSync(prebuilt)).toBe(true);
    expect(spawnSync('git', ['check-ignore', '-q', prebuilt], { cwd: root }).status).toBe(1);
  });

  for (const harts of [1, 3]) {
    for (const legacy of [true, false]) {
      const transport = legacy ? 'legacy' : 'modern';

      it(`prints the transcript on ${harts} hart(s), ${transport} transport, the same twice`, () => {
        const first = disk(`lantern-${harts}-${transport}-1.img`);
        const second = disk(`lantern-${harts}-${transport}-2.img`);
        const a = run('lantern', prebuilt, harts, legacy, first);
        const b = run('lantern', prebuilt, harts, legacy, second);
        expect(a.stderr).toBe('');
        expect(a.status).toBe(0);
        expect(normalise(a.stdout)).toBe(expected(harts, legacy));
        expect(b.stdout).toBe(a.stdout);
        expect(b.status).toBe(0);
        expectDisk(first);
        expectDisk(second);
      });

      it.skipIf(!haveQemu)(`matches QEMU on ${harts} hart(s), ${transport} transport${haveQemu ? '' : ` — skipped: ${QEMU} not found`}`, () => {
        const ours = disk(`match-lantern-${harts}-${transport}.img`);
        const theirs = disk(`match-qemu-${harts}-${transport}.img`);
        const lantern = run('lantern', prebuilt, harts, legacy, ours);
        const qemu = run('qemu', prebuilt, harts, legacy, theirs);
        expect(qemu.status).toBe(0);
        expect(normalise(lantern.stdout)).toBe(normalise(qemu.stdout));
        expect(fs.readFileSync(ours).equals(fs.readFileSync(theirs))).toBe(true);
      });
    }
  }
});

describe.skipIf(!haveCore || !haveGcc)(`minikernel sample (built from source)${haveGcc ? '' : ` — skipped: ${CROSS}gcc not found`}`, () => {
  const build = path.join(dir, 'build');
  const elf = path.join(build, 'minikernel.elf');

  beforeAll(() => {
    // A copy, so the build leaves the committed tree alone.
    fs.mkdirSync(build);
    for (const file of fs.readdirSync(sample)) {
      if (/\.(c|h|S|ld)$|^Makefile$/.test(file)) fs.copyFileSync(path.join(sample, file), path.join(build, file));
    }
    const made = spawnSync('make', ['-C', build, `CROSS=${CROSS}`, 'minikernel.elf'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`make failed:\n${made.stdout}${made.stderr}`);
  });

  it('builds with -g -O1 -fno-omit-frame-pointer into a kernel with the same transcript', () => {
    const image = disk('source-3-modern.img');
    const { status, stdout } = run('lantern', elf, 3, false, image);
    expect(status).toBe(0);
    expect(normalise(stdout)).toBe(expected(3, false));
    expectDisk(image);
  });
});
