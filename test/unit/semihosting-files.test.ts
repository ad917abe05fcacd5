// The folder a semihosting guest may use: relative names under it work like files; absolute
// names, `..` that climbs out and links that lead out are refused with EACCES.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { confinedFiles } from '../../server/src/host/semihosting-files';
import { ERRNO, SemihostingFileError } from '../../server/src/machine/semihosting';

let top: string;
let work: string;

beforeEach(() => {
  top = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-confined-'));
  work = path.join(top, 'work');
  fs.mkdirSync(path.join(work, 'sub'), { recursive: true });
  fs.mkdirSync(path.join(top, 'secret'));
  fs.writeFileSync(path.join(top, 'secret', 'key.txt'), 'secret');
  fs.writeFileSync(path.join(work, 'input.txt'), 'line from the host\n');
});

/** The errno an operation fails with, or undefined if it succeeds. */
function errnoOf(operation: () => unknown): number | undefined {
  try {
    operation();
    return undefined;
  } catch (error) {
    if (error instanceof SemihostingFileError) return error.errno;
    throw error;
  }
}

describe('confinedFiles', () => {
  it('reads, writes, seeks, sizes and appends files by relative name', () => {
    const files = confinedFiles(work);
    const input = files.open('sub/../input.txt', 'r');
    expect(Buffer.from(input.read(4)).toString()).toBe('line');
    input.seek(10n);
    expect(Buffer.from(input.read(100)).toString()).toBe('the host\n');
    expect(input.read(10).length).toBe(0); // at the end
    expect(input.size()).toBe(19n);
    input.close();
    expect(errnoOf(() => input.read(1))).toBe(ERRNO.EBADF);

    const output = files.open('out.txt', 'w+');
    expect(output.write(Buffer.from('0123456789'))).toBe(10);
    output.seek(2n);
    output.write(Buffer.from('ab'));
    output.close();
    const log = files.open('out.txt', 'a');
    log.seek(0n);
    log.write(Buffer.from('!')); // append mode writes at the end whatever the position
    log.close();
    expect(fs.readFileSync(path.join(work, 'out.txt'), 'utf8')).toBe('01ab456789!');
  });

  it('renames and removes, and reports missing files with ENOENT', () => {
    const files = confinedFiles(work);
    files.rename('input.txt', 'sub/moved.txt');
    expect(fs.existsSync(path.join(work, 'sub', 'moved.txt'))).toBe(true);
    files.remove('sub/moved.txt');
    expect(fs.existsSync(path.join(work, 'sub', 'moved.txt'))).toBe(false);
    expect(errnoOf(() => files.open('missing.txt', 'r'))).toBe(ERRNO.ENOENT);
    expect(errnoOf(() => files.remove('missing.txt'))).toBe(ERRNO.ENOENT);
    expect(errnoOf(() => files.open('', 'r'))).toBe(ERRNO.ENOENT);
    files.remove('sub'); // C's remove() takes an empty folder too
    expect(fs.existsSync(path.join(work, 'sub'))).toBe(false);
    expect(files.temporaryName(7)).toMatch(/^lantern-[0-9a-f]+07\.tmp$/);
  });

  it('refuses absolute names and names that climb out, with EACCES', () => {
    const files = confinedFiles(work);
    for (const name of ['/etc/hostname', path.join(work, 'input.txt'), '../secret/key.txt', 'sub/../../secret/key.txt', '..', 'C:\\Windows\\win.ini']) {
      expect(errnoOf(() => files.open(name, 'r')), name).toBe(ERRNO.EACCES);
    }
    expect(errnoOf(() => files.open('../escape.txt', 'w'))).toBe(ERRNO.EACCES);
    expect(fs.existsSync(path.join(top, 'escape.txt'))).toBe(false);
    expect(errnoOf(() => files.rename('input.txt', '../stolen.txt'))).toBe(ERRNO.EACCES);
    expect(errnoOf(() => files.remove('../secret/key.txt'))).toBe(ERRNO.EACCES);
    expect(fs.existsSync(path.join(top, 'secret', 'key.txt'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('refuses links that lead out, dangling ones included', () => {
    fs.symlinkSync(path.join(top, 'secret'), path.join(work, 'outside'));
    fs.symlinkSync(path.join(top, 'secret', 'new.txt'), path.join(work, 'dangling'));
    fs.symlinkSync('input.txt', path.join(work, 'inside'));
    const files = confinedFiles(work);
    expect(errnoOf(() => files.open('outside/key.txt', 'r'))).toBe(ERRNO.EACCES);
    expect(errnoOf(() => files.open('outside/new.txt', 'w'))).toBe(ERRNO.EACCES);
    expect(errnoOf(() => files.open('dangling', 'w'))).toBe(ERRNO.EACCES);
    expect(fs.existsSync(path.join(top, 'secret', 'new.txt'))).toBe(false);
    expect(Buffer.from(files.open('inside', 'r').read(4)).toString()).toBe('line'); // a link within is fine
  });

  it('works from a folder reached through a link', () => {
    if (process.platform === 'win32') return;
    const alias = path.join(top, 'alias');
    fs.symlinkSync(work, alias);
    expect(Buffer.from(confinedFiles(alias).open('input.txt', 'r').read(4)).toString()).toBe('line');
  });
});
