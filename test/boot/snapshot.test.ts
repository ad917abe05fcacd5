// Snapshots of a running machine (server/src/snapshot/): samples/minikernel on 3 harts with a
// read-only disk and a virtio-rng, saved at step N in one process and run on to M; the file
// loaded in a FRESH process and run to M must give the same state exactly: every register and
// CSR of every hart, each hart's state block, device registers, RAM and the console output.
// A save killed (SIGKILL) midway leaves the previous file intact; the CLI's -loadvm refuses a
// corrupt file or a changed disk with one line; the monitor's savevm/loadvm/info snapshots/delvm.
// A writable disk goes behind a copy-on-write overlay at the save: the guest's later write to
// sector 1 lands in the overlay, the snapshot reloads and clones (`lantern clone`) to the same
// blocks, and the image file never changes; `-snapshot` and the monitor's `commit`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMonitor } from '../../server/src/debug/monitor';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { machineFromOptions } from '../../server/src/cli/machine-options';
import { parseArguments } from '../../server/src/cli/options';
import { Machine } from '../../server/src/machine/machine';
import { SnapshotStore } from '../../server/src/snapshot/store';

const root = path.join(__dirname, '../..');
const kernel = path.join(root, 'samples/minikernel/minikernel.elf');
const cli = path.join(root, 'dist/cli.js');
const haveCore = fs.existsSync(path.join(root, 'dist/core.wasm'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-snapshot-'));
const child = path.join(dir, 'snapshot-child.js');
const image = path.join(dir, 'disk.img');

const SAVE_AT = 3_000_000n;
const UNTIL = 5_000_000n;

function args(): string[] {
  return [
    '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '64M', '-smp', '3', '-kernel', kernel, '-seed', '7',
    '-rtc', 'base=2024-01-01T00:00:00',
    '-drive', `file=${image},if=none,format=raw,id=x0,readonly=on`, '-device', 'virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0',
    '-device', 'virtio-rng-device',
  ];
}

function runChild(request: object, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [child, JSON.stringify(request)], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

beforeAll(() => {
  const disk = new Uint8Array(1 << 20);
  disk.set(Buffer.from('Lantern minikernel disk, sector 0.', 'latin1'));
  fs.writeFileSync(image, disk);
  buildSync({
    entryPoints: [path.join(root, 'test/support/snapshot-child.ts')], bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', outfile: child, logLevel: 'warning',
  });
  // The bundle finds dist/core.wasm beside itself or at ../../../dist from its folder: copy it in.
  fs.copyFileSync(path.join(root, 'dist/core.wasm'), path.join(dir, 'core.wasm'));
  // The CLI bundle must hold -loadvm (the boot tests run against dist/cli.js).
  const build = spawnSync('npm', ['run', '--silent', 'build:host'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build:host: ${build.stderr}`);
}, 120_000);

describe.skipIf(!haveCore)('snapshots of a 3-hart minikernel', () => {
  const file = path.join(dir, 'n.lsnap');

  it('saved at N and loaded in a fresh process, runs to M exactly as the machine that saved it', () => {
    const saved = runChild({ mode: 'save-run', args: args(), file, saveAt: SAVE_AT.toString(), until: UNTIL.toString() });
    expect(saved.stderr).toBe('');
    expect(saved.status).toBe(0);
    const loaded = runChild({ mode: 'load-run', args: args(), file, until: UNTIL.toString() });
    expect(loaded.stderr).toBe('');
    expect(loaded.status).toBe(0);
    const a = JSON.parse(saved.stdout);
    const b = JSON.parse(loaded.stdout);
    expect(a.clock).toBe(UNTIL.toString());
    expect(a.registers).toHaveLength(3);
    expect(Object.keys(a.devices).length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    // The run from N to M did something the load had to get right.
    expect(a.output.length + Object.values(a.registers[0]).length).toBeGreaterThan(0);
  }, 240_000);

  it('a save killed midway leaves the previous file whole and loadable', () => {
    const before = fs.readFileSync(file);
    const killed = runChild({ mode: 'save', args: args(), file, saveAt: (SAVE_AT / 2n).toString() }, { LANTERN_SNAPSHOT_TEST_KILL_AFTER: String(before.length >> 1) });
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const loaded = runChild({ mode: 'load-run', args: args(), file, until: UNTIL.toString() });
    expect(loaded.status).toBe(0);
  }, 240_000);

  it('the CLI starts from -loadvm, and refuses a corrupt file or a changed disk with one line', () => {
    const ok = spawnSync(process.execPath, [cli, ...args(), '-loadvm', file, '-S', '-gdb', 'tcp:127.0.0.1:0'], { encoding: 'utf8', timeout: 3_000 });
    // Held at -S with the snapshot loaded: it runs until the timeout ends it.
    expect(ok.stderr).toMatch(/gdb listening/);
    expect(ok.stderr).not.toMatch(/snapshot/);

    const corrupt = path.join(dir, 'corrupt.lsnap');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 100] ^= 0x40;
    fs.writeFileSync(corrupt, bytes);
    const refused = spawnSync(process.execPath, [cli, ...args(), '-loadvm', corrupt], { encoding: 'utf8', timeout: 30_000 });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`lantern: snapshot ${corrupt}: checksum mismatch in section 'ram'\n`);

    const other = spawnSync(process.execPath, [cli, ...args().map((a) => (a === '3' ? '2' : a)), '-loadvm', file], { encoding: 'utf8', timeout: 30_000 });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/^lantern: snapshot .*: saved from a differently configured machine \(harts 3, not 2\)\n$/);

    const disk = fs.readFileSync(image);
    disk[600] ^= 1;
    fs.writeFileSync(image, disk);
    try {
      const changed = spawnSync(process.execPath, [cli, ...args(), '-loadvm', file], { encoding: 'utf8', timeout: 30_000 });
      expect(changed.status).toBe(2);
      expect(changed.stderr).toBe(`lantern: snapshot ${file}: disk image virtio0 changed since the snapshot\n`);
    } finally {
      disk[600] ^= 1;
      fs.writeFileSync(image, disk);
    }
  }, 120_000);
});

describe.skipIf(!haveCore)('the monitor\'s snapshot commands', () => {
  it('savevm, info snapshots, loadvm, delvm; names are never paths', async () => {
    const machine = new Machine({ board: 'virt', ramSize: 16 << 20, kernel, bios: 'none', icountShift: 3, harts: 2, console: { write() {} }, startHalted: true });
    const target = new MachineDebugTarget(machine);
    const store = new SnapshotStore(machine, path.join(dir, 'named'));
    const monitor = createMonitor({ ...target.monitorHost(), snapshots: store });
    const run = async (line: string) => (await monitor.command(line, 0)).output;
    const pc = () => target.readRegister(0, 32);
    const running = machine.run();

    expect(await run('info snapshots')).toBe('There is no snapshot available.\n');
    const start = pc();
    expect(await run('savevm boot')).toBe('');
    expect(await run('savevm ../escape')).toMatch(/not a plain name/);
    expect(await run('savevm a/b')).toMatch(/not a plain name/);
    expect(await run('savevm a\\b')).toMatch(/not a plain name/);
    expect(fs.readdirSync(path.join(dir, 'named'))).toEqual(['boot.lsnap']);
    const table = await run('info snapshots');
    expect(table.split('\n')[1]).toMatch(/^ID\s+TAG\s+VM SIZE\s+DATE\s+VM CLOCK\s+ICOUNT$/);
    expect(table.split('\n')[2]).toMatch(/^1\s+boot\s+[\d.]+ KiB\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+00:00:00\.000\s+0$/);

    await new Promise<void>((resolve) => {
      machine.onDebugHalt = () => resolve();
      machine.pauseAtStep(200_000n);
      machine.debugResume({ kind: 'continue' });
    });
    expect(pc()).not.toBe(start);
    expect(await run('loadvm boot')).toBe('');
    expect(pc()).toBe(start);
    expect(machine.core.clockSteps).toBe(0n);
    expect(await run('loadvm nothing')).toBe('snapshot nothing: no such snapshot\n');
    expect(await run('delvm boot')).toBe('');
    expect(await run('info snapshots')).toBe('There is no snapshot available.\n');
    expect(await run('delvm boot')).toBe('snapshot boot: no such snapshot\n');
    machine.stop(0);
    await running;
  });
});

describe.skipIf(!haveCore)('writable disks behind copy-on-write overlays', () => {
  /** Before the minikernel writes sector 1 (it does between steps 1M and 2M). */
  const DISK_SAVE_AT = 1_000_000n;
  const file = path.join(dir, 'w.lsnap');
  const sha = (name: string) => createHash('sha256').update(fs.readFileSync(name)).digest('hex');
  const fresh = (name: string) => {
    const disk = new Uint8Array(1 << 20);
    disk.set(Buffer.from('Lantern minikernel disk, sector 0.', 'latin1'));
    const at = path.join(dir, name);
    fs.writeFileSync(at, disk);
    return at;
  };
  const writable = fresh('writable.img');
  const pristine = sha(writable);
  const writableArgs = (disk = writable) => args().map((a) => (a.startsWith('file=') ? `file=${disk},if=none,format=raw,id=x0` : a));
  let saved: { disks: { sha256: string }[] } | undefined;

  it('saved, then written by the guest, then loaded in a fresh process: the same disk blocks; the image file unchanged', () => {
    const run = runChild({ mode: 'save-run', args: writableArgs(), file, saveAt: DISK_SAVE_AT.toString(), until: UNTIL.toString() });
    expect(run.stderr).toBe('');
    saved = JSON.parse(run.stdout);
    expect(run.stdout).toMatch(/disk: write sector 1: status 0/);
    expect(saved!.disks[0].sha256).not.toBe(pristine); // the guest's write, in the overlay
    expect(sha(writable)).toBe(pristine);
    const loaded = runChild({ mode: 'load-run', args: writableArgs(), file, until: UNTIL.toString() });
    expect(loaded.stderr).toBe('');
    expect(JSON.parse(loaded.stdout)).toEqual(saved);
    expect(sha(writable)).toBe(pristine);
    // readonly=on cannot take the saved overlay back.
    const readOnly = runChild({ mode: 'load-run', args: writableArgs().map((a) => (a.startsWith('file=') ? `${a},readonly=on` : a)), file, until: UNTIL.toString() });
    expect(readOnly.stderr).toBe(`snapshot ${file}: disk virtio0 was written since its base image; attach it writable (not readonly=on)\n`);
  }, 240_000);

  it('lantern clone: two clones run to the same state as the machine that saved; the image file unchanged', () => {
    expect(saved).toBeDefined();
    const clones = [0, 1].map(() => runChild({ mode: 'clone-run', args: [], file, until: UNTIL.toString() }));
    for (const clone of clones) {
      expect(clone.stderr).toBe('');
      expect(JSON.parse(clone.stdout)).toEqual(saved);
    }
    const cloned = spawnSync(process.execPath, [cli, 'clone', file], { encoding: 'utf8', input: 'hi\n', timeout: 60_000, cwd: os.tmpdir() });
    expect(cloned.stderr).toBe('');
    expect(cloned.status).toBe(0);
    expect(cloned.stdout).toMatch(/disk: write sector 1: status 0/);
    expect(cloned.stdout).toMatch(/hi/);
    expect(sha(writable)).toBe(pristine);
    const bad = spawnSync(process.execPath, [cli, 'clone', path.join(dir, 'none.lsnap')], { encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^lantern: snapshot .*none\.lsnap: no such snapshot\n$/);
  }, 240_000);

  it('-snapshot: the guest writes its disk, the image file does not change', () => {
    const disk = fresh('snapshot-flag.img');
    const run = spawnSync(process.execPath, [cli, ...writableArgs(disk), '-snapshot'], { encoding: 'utf8', input: 'hi\n', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/disk: write sector 1: status 0, checksum (\w+)\r?\ndisk: read sector 1 back: status 0, checksum \1, same/);
    expect(sha(disk)).toBe(pristine);
  }, 120_000);

  it('the monitor\'s commit writes an overlay back into its image, or says why not', async () => {
    const disk = fresh('commit.img');
    const build = (extra: string[]) => {
      const invocation = parseArguments([...writableArgs(disk), ...extra]);
      if (invocation.kind !== 'run') throw new Error('not a run');
      const opened = machineFromOptions({ ...invocation.options, startHalted: true }, { console: { write() {} }, cwd: dir });
      const target = new MachineDebugTarget(opened.machine);
      const monitor = createMonitor(target.monitorHost());
      return { ...opened, run: async (line: string) => (await monitor.command(line, 0)).output };
    };
    const plain = build([]);
    expect(await plain.run('commit x0')).toMatch(/^Device 'x0' has no overlay: its writes go to the image already/);
    for (const f of plain.files) f.close();

    const { machine, files, run } = build(['-snapshot']);
    const running = machine.run();
    await new Promise<void>((resolve) => {
      machine.onDebugHalt = () => resolve();
      machine.pauseAtStep(UNTIL);
      machine.debugResume({ kind: 'continue' });
    });
    const seen = new Uint8Array(1 << 20);
    expect(machine.attachedDisks()[0].read(0, seen)).toBe(true);
    expect(sha(disk)).toBe(pristine);
    expect(await run('commit nothing')).toBe("Device 'nothing' not found\n");
    expect(await run('commit')).toBe('commit: usage: commit DEVICE|all\n');
    expect(await run('commit x0')).toBe('');
    expect(new Uint8Array(fs.readFileSync(disk))).toEqual(seen);
    expect(sha(disk)).not.toBe(pristine);
    expect(await run('commit all')).toBe('');
    machine.stop(0);
    await running;
    for (const f of files) f.close();
  }, 120_000);
});
