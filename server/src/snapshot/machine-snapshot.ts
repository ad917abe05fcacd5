// A Machine's whole state to a snapshot file and back (format.ts is the container, ram.ts the
// RAM codec). Sections, each named and versioned:
//   info     JSON: tag, date, virtual clock (what `info snapshots` lists)
//   config   JSON: the machine's configuration (Machine.configRecord, its paths made absolute)
//            and each disk's drive id, image path, size and the sha256 of its base image
//   machine  JSON: the virtual clock, the active hart, LR values, the scheduler, board bookkeeping
//   harts    binary: each hart's state block as server/core/layout.ts lays it out (TLBs left out)
//   devices  JSON: each device's own named, versioned state, by memory-map region
//   ram      binary: guest RAM, zero pages left out, the rest deflated (ram.ts)
//   disk:NAME  binary: the copy-on-write overlay of writable disk NAME (host/overlay.ts); a
//            writable disk's overlay is activated at the save, so its base never changes after
// Saves are atomic: a temporary file beside the target, fsync, rename, fsync of the folder.
// A load checks the whole file, the configuration and the disks before it changes anything.
// Both report progress through RAM, which takes nearly all of their time (SnapshotOptions).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version as LANTERN_VERSION } from '../../../package.json';
import type { OverlayContents } from '../devices/virtio/blk';
import { decodeOverlay, encodeOverlay } from '../host/overlay';
import type { SchedulerState } from '../machine/scheduler';
import type { AttachedDisk, BoardState, Machine, MachineConfigRecord, MachineState } from '../machine/machine';
import { decodeSnapshot, encodeSnapshot, jsonSection, parseJsonSection, sectionOf, SnapshotError, type Section, type SnapshotFile } from './format';
import { applyRam, decodeRam, encodeRam, RAM_SECTION_VERSION, RAM_SECTION_VERSIONS, type DecodedRam, type RamProgress } from './ram';

/** Test hook: the save is killed (SIGKILL) after writing this many bytes of the temporary file. */
export const KILL_AFTER_ENV = 'LANTERN_SNAPSHOT_TEST_KILL_AFTER';

/** What `info snapshots` shows of a file. */
export interface SnapshotInfo {
  readonly tag: string;
  /** When it was saved, ms since the epoch. */
  readonly date: number;
  /** Virtual time of the guest at the save, ns. */
  readonly vmClockNs: bigint;
  /** The virtual clock in steps (QEMU's ICOUNT column). */
  readonly steps: bigint;
  readonly fileSize: number;
}

/** How a save or load reports on itself. */
export interface SnapshotOptions {
  /** Told after each 1 MiB chunk of RAM is encoded or decoded (ram.ts), synchronously: bytes of RAM done, of the RAM size. */
  readonly progress?: RamProgress;
}

interface InfoSection { tag: string; date: number; vmClockNs: string; steps: string }
/** A disk as a snapshot records it; `drive`, `image` and `readOnly` are for `lantern clone`. */
export interface DiskRecord { name: string; size: number; sha256: string; drive?: string; image?: string; readOnly?: boolean }
interface ConfigSection { machine: MachineConfigRecord; disks: DiskRecord[] }

/** The section holding disk `name`'s overlay. */
const overlaySection = (name: string) => `disk:${name}`;
interface MachineSection { clockSteps: string; activeHart: number; reserved: string[]; scheduler: SchedulerState; board: BoardState }

/** Saves the machine's state now to `file` as snapshot `tag`; returns the file's size. */
export function saveSnapshot(machine: Machine, file: string, tag: string, options: SnapshotOptions = {}): number {
  const attached = machine.attachedDisks();
  const unprotected = attached.find((disk) => !disk.readOnly && !disk.copyOnWrite);
  if (unprotected) throw new SnapshotError(`snapshot ${tag}: disk ${unprotected.name} is writable and has no copy-on-write overlay`);
  // From now on the guest's writes go to the overlays: the base images stay as hashed here.
  for (const disk of attached) if (!disk.readOnly) disk.copyOnWrite!.activate();
  const state = machine.captureState();
  const disks = attached.map((disk): DiskRecord => ({
    name: disk.name, size: disk.size, sha256: diskHash(disk),
    ...(disk.copyOnWrite ? { drive: disk.copyOnWrite.drive, image: path.resolve(disk.copyOnWrite.image) } : {}),
    readOnly: disk.readOnly,
  }));
  const shift = BigInt(state.config.fixed.icountShift);
  const sections: Section[] = [
    jsonSection('info', 1, { tag, date: Date.now(), vmClockNs: (state.clockSteps << shift).toString(), steps: state.clockSteps.toString() } satisfies InfoSection),
    jsonSection('config', 1, { machine: absolutePaths(state.config), disks } satisfies ConfigSection),
    jsonSection('machine', 1, {
      clockSteps: state.clockSteps.toString(), activeHart: state.harts.active, reserved: state.harts.reserved.map(String),
      scheduler: state.scheduler, board: state.board,
    } satisfies MachineSection),
    { name: 'harts', version: 1, data: state.harts.blocks },
    jsonSection('devices', 1, state.devices),
    { name: 'ram', version: RAM_SECTION_VERSION, data: encodeRam(state.ram, options.progress) },
    ...attached.filter((disk) => !disk.readOnly).map((disk): Section => ({
      name: overlaySection(disk.name), version: 1, data: encodeOverlay(disk.copyOnWrite!.contents(), disk.size),
    })),
  ];
  return writeAtomically(file, encodeSnapshot({ lanternVersion: LANTERN_VERSION, sections }));
}

/**
 * Loads snapshot `file` into the machine. Refused with a SnapshotError (one line), the machine
 * unchanged, when the file is unreadable, truncated, corrupt or of a newer format, was saved
 * from a differently configured machine, or a disk image changed since.
 */
export function loadSnapshot(machine: Machine, file: string, label = file, options: SnapshotOptions = {}): void {
  const { state, ram, disks, overlays } = readSnapshot(file, label, options);
  const mine = machine.configRecord().fixed;
  const differences = describeDifferences(state.config.fixed, mine);
  if (differences.length > 0) throw new SnapshotError(`snapshot ${label}: saved from a differently configured machine (${differences.join('; ')})`);
  const attached = machine.attachedDisks();
  for (const saved of disks) {
    const disk = attached.find((d) => d.name === saved.name);
    if (!disk) throw new SnapshotError(`snapshot ${label}: disk ${saved.name} is not attached`);
    if (disk.size !== saved.size || diskHash(disk) !== saved.sha256) throw new SnapshotError(`snapshot ${label}: disk image ${saved.name} changed since the snapshot`);
  }
  const contents = new Map<AttachedDisk, OverlayContents>();
  for (const [name, data] of overlays) {
    const disk = attached.find((d) => d.name === name);
    if (!disk?.copyOnWrite || disk.readOnly) throw new SnapshotError(`snapshot ${label}: disk ${name} was written since its base image; attach it writable (not readonly=on)`);
    try {
      contents.set(disk, decodeOverlay(data, disk.size));
    } catch (error) {
      throw new SnapshotError(`snapshot ${label}: section '${overlaySection(name)}': ${(error as Error).message}`);
    }
  }
  try {
    machine.restoreState(state, (target) => applyRam(ram, target));
  } catch (error) {
    throw new SnapshotError(`snapshot ${label}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Every writable disk now sees the snapshot's blocks (its base plus the saved overlay) and
  // keeps writing to an overlay, so the base stays as the snapshot needs it.
  for (const disk of attached) if (!disk.readOnly) disk.copyOnWrite?.replace(contents.get(disk) ?? new Map());
}

/** What a snapshot file records, checked, RAM aside. */
export interface SnapshotRecord {
  readonly state: MachineState;
  readonly disks: DiskRecord[];
  readonly overlays: Map<string, Uint8Array>;
  readonly info: SnapshotInfo;
}

/** Reads and checks a whole snapshot file; the state with RAM still to apply. */
export function readSnapshot(file: string, label = file, options: SnapshotOptions = {}): SnapshotRecord & { ram: DecodedRam } {
  const { record, snapshot } = readRecord(file, label);
  let ram: DecodedRam;
  try {
    const section = sectionOf(snapshot, 'ram', RAM_SECTION_VERSIONS, label);
    ram = decodeRam(section.data, section.version, options.progress);
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(`snapshot ${label}: section 'ram': ${(error as Error).message}`);
  }
  return { ...record, ram };
}

/**
 * Reads and checks a snapshot file, its RAM left compressed (every section's sha256 is still
 * checked): what `lantern clone` needs to rebuild the machine before it loads the snapshot.
 */
export function readSnapshotRecord(file: string, label = file): SnapshotRecord {
  return readRecord(file, label).record;
}

function readRecord(file: string, label: string): { record: SnapshotRecord; snapshot: SnapshotFile } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(`snapshot ${label}: ${code === 'ENOENT' ? 'no such snapshot' : `cannot read ${file} (${code ?? String(error)})`}`);
  }
  const snapshot = decodeSnapshot(bytes, label);
  const json = <T>(name: string): T => parseJsonSection<T>(sectionOf(snapshot, name, [1], label), label);
  const info = json<InfoSection>('info');
  const config = json<ConfigSection>('config');
  const machine = json<MachineSection>('machine');
  const devices = json<MachineState['devices']>('devices');
  const harts = sectionOf(snapshot, 'harts', [1], label).data;
  let state: MachineState;
  try {
    state = {
      config: config.machine,
      clockSteps: BigInt(machine.clockSteps),
      harts: { active: machine.activeHart, reserved: machine.reserved.map((v) => BigInt(v)), blocks: Uint8Array.from(harts) },
      scheduler: machine.scheduler,
      devices,
      board: machine.board,
      ram: new Uint8Array(0),
    };
    if (!config.machine?.fixed || !Array.isArray(config.disks)) throw new Error('incomplete configuration');
  } catch (error) {
    throw new SnapshotError(`snapshot ${label}: malformed state (${(error as Error).message})`);
  }
  const overlays = new Map<string, Uint8Array>();
  for (const saved of config.disks) {
    if (snapshot.sections.some((section) => section.name === overlaySection(saved.name))) {
      overlays.set(saved.name, sectionOf(snapshot, overlaySection(saved.name), [1], label).data);
    }
  }
  const record: SnapshotRecord = {
    state, disks: config.disks, overlays,
    info: { tag: info.tag, date: info.date, vmClockNs: BigInt(info.vmClockNs), steps: BigInt(info.steps), fileSize: bytes.length },
  };
  return { record, snapshot };
}

/** The listing of one file, or undefined when it is not a readable snapshot. */
export function snapshotInfo(file: string): SnapshotInfo | undefined {
  try {
    const bytes = fs.readFileSync(file);
    const snapshot: SnapshotFile = decodeSnapshot(bytes, file);
    const info = parseJsonSection<InfoSection>(sectionOf(snapshot, 'info', [1], file), file);
    return { tag: info.tag, date: info.date, vmClockNs: BigInt(info.vmClockNs), steps: BigInt(info.steps), fileSize: bytes.length };
  } catch {
    return undefined;
  }
}

/** Writes `chunks` to `file` so that a crash leaves either the old file or the new one whole. */
function writeAtomically(file: string, chunks: readonly Uint8Array[]): number {
  const dir = path.dirname(path.resolve(file));
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const killAfter = process.env[KILL_AFTER_ENV] === undefined ? undefined : Number(process.env[KILL_AFTER_ENV]);
  const fd = fs.openSync(temporary, 'w', 0o644);
  let written = 0;
  try {
    for (const chunk of chunks) {
      if (killAfter !== undefined && written + chunk.length > killAfter) {
        fs.writeSync(fd, chunk, 0, killAfter - written);
        fs.fsyncSync(fd);
        process.kill(process.pid, 'SIGKILL');
      }
      for (let done = 0; done < chunk.length;) done += fs.writeSync(fd, chunk, done, chunk.length - done);
      written += chunk.length;
    }
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temporary, file);
  try {
    const dirFd = fs.openSync(dir, 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
  } catch {
    // Some systems (Windows) cannot open a folder to fsync it; the rename is still atomic.
  }
  return written;
}

/** The configuration with its file paths absolute, so that a clone finds them from any folder. */
function absolutePaths(config: MachineConfigRecord): MachineConfigRecord {
  const resolve = (file: string | null) => (file === null ? null : path.resolve(file));
  return {
    ...config, kernel: resolve(config.kernel), initrd: resolve(config.initrd), dtb: resolve(config.dtb),
    bios: config.bios === 'none' || config.bios === 'default' ? config.bios : path.resolve(config.bios),
  };
}

/** sha256 of a disk's whole base image (under its overlay), read in 1 MiB pieces. */
function diskHash(disk: AttachedDisk): string {
  const hash = createHash('sha256');
  const piece = new Uint8Array(1 << 20);
  const read = disk.copyOnWrite ? disk.copyOnWrite.readBase.bind(disk.copyOnWrite) : disk.read;
  for (let at = 0; at < disk.size; at += piece.length) {
    const part = piece.subarray(0, Math.min(piece.length, disk.size - at));
    if (!read(at, part)) throw new SnapshotError(`disk ${disk.name}: cannot read its image`);
    hash.update(part);
  }
  return hash.digest('hex');
}

/** The fields of the fixed configuration that differ, as "harts 3, not 1". */
function describeDifferences(saved: MachineConfigRecord['fixed'], mine: MachineConfigRecord['fixed']): string[] {
  const out: string[] = [];
  for (const key of Object.keys(mine) as (keyof MachineConfigRecord['fixed'])[]) {
    const a = JSON.stringify(saved?.[key]);
    const b = JSON.stringify(mine[key]);
    if (a !== b) out.push(`${key} ${a}, not ${b}`);
  }
  return out;
}
