// Raw disk image files as virtio-blk backends: opened through fs, read and written with
// synchronous calls at the guest's request, flushed with fsync; non-raw formats refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BlockBackend } from '../devices/virtio/blk';
import { describeFileError } from '../machine/elf';

/** A disk image that cannot be used; the message is one line for "lantern: ...". */
export class BlockFileError extends Error {
  override readonly name = 'BlockFileError';
}

export interface BlockFileOptions {
  /** `readonly=on`: open for reading only; writes then fail (VIRTIO_BLK_S_IOERR). */
  readonly readOnly?: boolean;
  /** `format=`: only raw (the default) is supported. */
  readonly format?: string;
}

/** Image formats recognised by their first bytes (each format's header documentation). */
const SIGNATURES: readonly { name: string; offset: number; bytes: Uint8Array }[] = [
  { name: 'qcow2', offset: 0, bytes: Uint8Array.of(0x51, 0x46, 0x49, 0xfb) }, // "QFI\xfb"
  { name: 'qed', offset: 0, bytes: ascii('QED\0') },
  { name: 'vmdk', offset: 0, bytes: ascii('KDMV') },
  { name: 'vmdk', offset: 0, bytes: ascii('# Disk DescriptorFile') },
  { name: 'vhdx', offset: 0, bytes: ascii('vhdxfile') },
  { name: 'vpc', offset: 0, bytes: ascii('conectix') },
  { name: 'vdi', offset: 0x40, bytes: Uint8Array.of(0x7f, 0x10, 0xda, 0xbe) }, // 0xbeda107f little-endian
  { name: 'luks', offset: 0, bytes: Uint8Array.of(0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe) },
  { name: 'parallels', offset: 0, bytes: ascii('WithoutFreeSpace') },
  { name: 'parallels', offset: 0, bytes: ascii('WithouFreSpacExt') },
];

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The non-raw format whose signature `head` starts with, if any ("qcow" for qcow version 1). */
export function detectImageFormat(head: Uint8Array): string | undefined {
  for (const signature of SIGNATURES) {
    const { offset, bytes } = signature;
    if (head.length < offset + bytes.length) continue;
    if (bytes.every((byte, i) => head[offset + i] === byte)) {
      // qcow version 1 shares the magic; the big-endian version word follows it.
      if (signature.name === 'qcow2' && head.length >= 8 && head[7] === 1 && head[4] === 0 && head[5] === 0 && head[6] === 0) return 'qcow';
      return signature.name;
    }
  }
  return undefined;
}

/** Opens a raw image. A file that cannot be opened for writing is used read-only. */
export function openBlockFile(file: string, options: BlockFileOptions = {}): BlockFile {
  const format = options.format ?? 'raw';
  if (format !== 'raw') throw new BlockFileError(`format=${format} is not supported: Lantern uses raw images only`);
  let fd: number;
  let readOnly = options.readOnly === true;
  try {
    fd = fs.openSync(file, readOnly ? 'r' : 'r+');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (readOnly || (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS')) {
      throw new BlockFileError(`could not open disk image '${file}': ${describeFileError(error)}`);
    }
    readOnly = true; // QEMU's auto-read-only: a file we may only read is a read-only disk
    try {
      fd = fs.openSync(file, 'r');
    } catch (again) {
      throw new BlockFileError(`could not open disk image '${file}': ${describeFileError(again)}`);
    }
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new BlockFileError(`disk image '${file}' is not a regular file`);
    const head = new Uint8Array(512);
    const got = fs.readSync(fd, head, 0, head.length, 0);
    const detected = detectImageFormat(head.subarray(0, got));
    if (detected !== undefined) {
      const raw = path.join(path.dirname(file), `${path.parse(file).name}.img`);
      throw new BlockFileError(
        `disk image '${file}' is in ${detected} format; Lantern reads raw images only (convert it: qemu-img convert -O raw ${file} ${raw})`,
      );
    }
    return new BlockFile(file, fd, stat.size, readOnly);
  } catch (error) {
    fs.closeSync(fd);
    if (error instanceof BlockFileError) throw error;
    throw new BlockFileError(`could not read disk image '${file}': ${describeFileError(error)}`);
  }
}

/**
 * A raw image behind a file descriptor. Every call is synchronous (readSync, writeSync,
 * fsyncSync): the device completes a request within the guest's notify, at a step that does
 * not depend on host I/O timing. Host errors come back as false, never as exceptions.
 */
export class BlockFile implements BlockBackend {
  private open = true;

  constructor(
    readonly file: string,
    private readonly fd: number,
    readonly size: number,
    readonly readOnly: boolean,
  ) {}

  read(position: number, target: Uint8Array): boolean {
    try {
      let done = 0;
      while (done < target.length) {
        const got = fs.readSync(this.fd, target, done, target.length - done, position + done);
        if (got === 0) {
          target.fill(0, done); // the file shrank under us: past its end reads as zeros
          break;
        }
        done += got;
      }
      return true;
    } catch {
      return false;
    }
  }

  write(position: number, source: Uint8Array): boolean {
    if (this.readOnly) return false;
    try {
      let done = 0;
      while (done < source.length) done += fs.writeSync(this.fd, source, done, source.length - done, position + done);
      return true;
    } catch {
      return false;
    }
  }

  flush(): boolean {
    try {
      fs.fsyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    fs.closeSync(this.fd);
  }
}
