// Who the program says it is. `lantern` speaks as itself; `lantern-qemu` (any name with "qemu"
// in it, such as a qemu-system-riscv64 link to it) is the same program whose `--version`
// reads as QEMU 7.2's, for Makefiles that refuse an emulator whose version they cannot parse.
import * as path from 'node:path';
import { version } from '../../../package.json';

export type Personality = 'lantern' | 'qemu';

/** The QEMU release whose command line and behaviour Lantern follows. */
export const QEMU_VERSION = '7.2.0';

const ABOUT = 'A RISC-V virtual machine for Node.js, with a QEMU-compatible command line.';

/** The personality for the name the program was started by (process.argv[1]). */
export function personalityOf(invokedAs: string | undefined): Personality {
  return /qemu/i.test(path.basename(invokedAs ?? '')) ? 'qemu' : 'lantern';
}

/** `--version`: the first line is what Makefiles parse ("QEMU emulator version X.Y.Z" as QEMU's). */
export function versionText(personality: Personality): string {
  const first = personality === 'qemu' ? `QEMU emulator version ${QEMU_VERSION} (Lantern ${version})` : `Lantern ${version}`;
  return `${first}\n${ABOUT}`;
}

export function programName(personality: Personality): string {
  return personality === 'qemu' ? 'lantern-qemu' : 'lantern';
}
