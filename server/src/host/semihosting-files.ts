// The host files a semihosting guest may use: those under one folder (the current directory
// when Lantern starts), by relative name only. An absolute name, a `..` that climbs out, or a
// symbolic link that leads out is refused with EACCES; QEMU instead opens any host path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERRNO, SemihostingFileError, type OpenMode, type SemihostingFile, type SemihostingFiles } from '../machine/semihosting';

/** Node's error codes as the guest's errno numbers (Linux's; semihosting.ts ERRNO). */
const ERRNO_BY_CODE: Record<string, number> = ERRNO;

/** A Node fs error as the guest's errno: its code's number, EIO when unknown. */
function fileError(error: unknown): SemihostingFileError {
  if (error instanceof SemihostingFileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new SemihostingFileError((code && ERRNO_BY_CODE[code]) || ERRNO.EIO, error instanceof Error ? error.message : String(error));
}

function attempt<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw fileError(error);
  }
}

/** Files under `root`, for Semihosting. */
export function confinedFiles(root: string): SemihostingFiles {
  const base = path.resolve(root);
  const realBase = fs.realpathSync(base);
  const inside = (from: string, to: string) => {
    const relative = path.relative(from, to);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  const refuse = (name: string, why: string): never => {
    throw new SemihostingFileError(ERRNO.EACCES, `semihosting: '${name}' ${why}`);
  };

  /** The host path for a guest's name, after checking it stays under the folder. */
  const resolve = (name: string): string => {
    if (name === '') throw new SemihostingFileError(ERRNO.ENOENT);
    if (path.posix.isAbsolute(name) || path.win32.isAbsolute(name)) refuse(name, 'is an absolute path');
    const full = path.resolve(base, name);
    if (!inside(base, full)) refuse(name, 'is outside the current directory');
    if (!inside(realBase, realPath(full))) refuse(name, 'leads outside the current directory');
    return full;
  };

  /** Where `full` really is: its links followed; for a name not there yet, its real folder. */
  const realPath = (full: string): string => {
    try {
      return fs.realpathSync(full);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(error);
    }
    // A dangling link would be created through: refuse what cannot be followed.
    let link = false;
    try {
      link = fs.lstatSync(full).isSymbolicLink();
    } catch {
      // not there at all
    }
    if (link) refuse(path.relative(base, full), 'is a link that leads nowhere');
    return path.join(attempt(() => fs.realpathSync(path.dirname(full))), path.basename(full));
  };

  return {
    open: (name, mode) => openFile(resolve(name), mode),
    remove: (name) => {
      const full = resolve(name);
      // C's remove(): a file, or an empty folder.
      attempt(() => (fs.lstatSync(full).isDirectory() ? fs.rmdirSync(full) : fs.unlinkSync(full)));
    },
    rename: (from, to) => {
      const source = resolve(from);
      const target = resolve(to);
      attempt(() => fs.renameSync(source, target));
    },
    temporaryName: (id) => `lantern-${process.pid.toString(16)}${id.toString(16).padStart(2, '0')}.tmp`,
  };
}

function openFile(full: string, mode: OpenMode): SemihostingFile {
  const fd = attempt(() => fs.openSync(full, mode, 0o644));
  const append = mode.startsWith('a');
  let position = 0;
  let open = true;
  const check = () => {
    if (!open) throw new SemihostingFileError(ERRNO.EBADF);
  };
  return {
    read: (length) => {
      check();
      const buffer = Buffer.alloc(length);
      const count = attempt(() => fs.readSync(fd, buffer, 0, length, position));
      position += count;
      return buffer.subarray(0, count);
    },
    write: (data) => {
      check();
      // Append mode writes at the end whatever the position (O_APPEND).
      const count = attempt(() => fs.writeSync(fd, data, 0, data.length, append ? null : position));
      position = append ? fs.fstatSync(fd).size : position + count;
      return count;
    },
    seek: (to) => {
      check();
      if (to < 0n || to > BigInt(Number.MAX_SAFE_INTEGER)) throw new SemihostingFileError(ERRNO.EINVAL);
      position = Number(to);
    },
    size: () => {
      check();
      return BigInt(attempt(() => fs.fstatSync(fd).size));
    },
    close: () => {
      check();
      open = false;
      attempt(() => fs.closeSync(fd));
    },
  };
}
