// Which XLEN a machine's harts run: `-cpu rv32` / `-cpu rv64`, else the class of the guest's
// ELF (as qemu-system-riscv32 and -riscv64 are told apart by the binary users pick to run it).
import type { BiosChoice } from './boot-layout';
import type { Xlen } from './core';
import { LoadError, readElfClass } from './elf';
import type { BoardName } from './memory-map';

export interface XlenChoice {
  readonly board: BoardName;
  /** `-cpu rv32` / `-cpu rv64`; absent: decided by the images. */
  readonly xlen?: Xlen;
  readonly kernel?: string;
  readonly bios?: BiosChoice;
}

/**
 * The XLEN to run: `-cpu`, else the class of the kernel's ELF (of the firmware's without a
 * kernel, or when the kernel is a raw image), else RV64. Throws a one-line LoadError when a
 * -cpu or one ELF contradicts another, or for RV32 with the default firmware (Debian ships
 * OpenSBI for RV64 only).
 */
export function selectXlen(choice: XlenChoice): Xlen {
  const bios = choice.bios ?? 'default';
  const files = [choice.kernel, typeof bios === 'object' ? bios.file : undefined];
  const elves = files.flatMap((file) => {
    const elfClass = file === undefined ? undefined : readElfClass(file);
    return file === undefined || elfClass === undefined ? [] : [{ file, elfClass }];
  });
  const xlen = choice.xlen ?? elves[0]?.elfClass ?? 64;
  const clash = elves.find((elf) => elf.elfClass !== xlen);
  if (clash) {
    const kind = `an ELF${clash.elfClass} (RV${clash.elfClass}) program`;
    throw new LoadError(choice.xlen !== undefined
      ? `-cpu rv${xlen} cannot run '${clash.file}': it is ${kind}`
      : `'${clash.file}' is ${kind}, but '${elves[0].file}' is RV${xlen}`);
  }
  if (xlen === 32 && bios === 'default' && choice.board === 'virt') {
    throw new LoadError('no default firmware for RV32 (the installed OpenSBI is RV64): give -bios none or -bios FILE');
  }
  return xlen;
}
