// Snapshots by name (the monitor's savevm/loadvm/delvm/info snapshots, -loadvm NAME): files
// NAME.lsnap in $LANTERN_SNAPSHOT_DIR, else ./lantern-snapshots. A name is a name, never a
// path: one with a path separator or "..", or empty, is refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Machine } from '../machine/machine';
import { SnapshotError } from './format';
import { loadSnapshot, saveSnapshot, snapshotInfo, type SnapshotInfo, type SnapshotOptions } from './machine-snapshot';

export const SNAPSHOT_SUFFIX = '.lsnap';

export function snapshotDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.LANTERN_SNAPSHOT_DIR || 'lantern-snapshots');
}

/** The file of snapshot `name`, or a SnapshotError when the name is not a plain name. */
export function snapshotFile(name: string, dir = snapshotDir()): string {
  if (name === '' || /[/\\\0]/.test(name) || name.includes('..') || name.length > 200) {
    throw new SnapshotError(`snapshot name '${name}' is not a plain name (no path separators or '..')`);
  }
  return path.join(dir, `${name}${SNAPSHOT_SUFFIX}`);
}

/** `-loadvm ARG`: a path when it holds a path separator or ends in .lsnap, else a name. */
export function loadvmFile(argument: string, dir = snapshotDir()): string {
  return /[/\\]/.test(argument) || argument.endsWith(SNAPSHOT_SUFFIX) ? argument : snapshotFile(argument, dir);
}

/** The snapshots by name that a machine's monitor reaches. */
export class SnapshotStore {
  constructor(private readonly machine: Machine, readonly dir = snapshotDir()) {}

  save(name: string, options: SnapshotOptions = {}): void {
    const file = snapshotFile(name, this.dir);
    fs.mkdirSync(this.dir, { recursive: true });
    saveSnapshot(this.machine, file, name, options);
  }

  load(name: string, options: SnapshotOptions = {}): void {
    loadSnapshot(this.machine, snapshotFile(name, this.dir), name, options);
  }

  delete(name: string): void {
    const file = snapshotFile(name, this.dir);
    try {
      fs.unlinkSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SnapshotError(`snapshot ${name}: ${code === 'ENOENT' ? 'no such snapshot' : `cannot delete ${file} (${code})`}`);
    }
  }

  /** Every readable snapshot in the folder, by name. */
  list(): (SnapshotInfo & { name: string })[] {
    let files: string[];
    try {
      files = fs.readdirSync(this.dir).filter((f) => f.endsWith(SNAPSHOT_SUFFIX)).sort();
    } catch {
      return [];
    }
    return files.flatMap((f) => {
      const info = snapshotInfo(path.join(this.dir, f));
      return info ? [{ ...info, name: f.slice(0, -SNAPSHOT_SUFFIX.length) }] : [];
    });
  }
}
