// The DAP `launch` arguments and the Lantern command line they stand for: kernel, firmware,
// disks, memory and harts as QEMU-style flags, parsed by the CLI's own parser; and `attach`'s.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseArguments, UsageError, type RunOptions } from '../cli/options';

/** What a launch configuration may say (package.json's debugger contribution documents it). */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The kernel ELF (or raw image): `-kernel`. */
  kernel?: string;
  /** `-bios`: none, default (Debian's OpenSBI) or a firmware file; QEMU's default when absent. */
  bios?: string;
  /** Raw disk images, each on the next virtio-mmio slot. */
  disks?: string[];
  /** `-m`: 128M, 1G, ... */
  memory?: string;
  /** `-smp`: harts. */
  smp?: number;
  /** More QEMU-style flags, as on the command line. */
  args?: string[];
  /** Stop at the reset vector before anything runs. */
  stopOnEntry?: boolean;
  /** ELF files whose symbols the debugger also uses (user programs), each at a load offset. */
  symbols?: { file: string; offset?: number | string }[];
  /** The folder relative paths start from; the workspace's when absent. */
  cwd?: string;
  /** Where the guest's console goes: DAP output events ('debugConsole', the default) or
   * `lanternUart` events for a terminal the client shows ('terminal'; input comes back with
   * the `lanternInput` request). */
  uart?: 'debugConsole' | 'terminal';
  /** Record the machine's history, so the debugger can step back and run backwards. Absent: on
   * unless the guest uses semihosting or a writable disk writes straight to its image; true: on,
   * such disks keeping their writes in an overlay; false: off. */
  history?: boolean;
}

/** What an `attach` may say (to a VM the server runs): a launch's settings that do not build the machine. */
export type AttachArguments = DebugProtocol.AttachRequestArguments & Pick<LaunchArguments, 'stopOnEntry' | 'symbols' | 'cwd' | 'uart' | 'history'>;

/** The command line for a launch (the harts held at reset: the adapter starts them). */
export function launchCommandLine(args: LaunchArguments): string[] {
  const cwd = args.cwd ?? process.cwd();
  const file = (name: string) => path.resolve(cwd, name);
  const argv = ['-machine', 'virt', '-serial', 'stdio', '-S'];
  if (args.kernel === undefined && args.bios === undefined) throw new UsageError('launch: give a kernel (or bios)');
  if (args.bios !== undefined) argv.push('-bios', args.bios === 'none' || args.bios === 'default' ? args.bios : file(args.bios));
  if (args.kernel !== undefined) argv.push('-kernel', file(args.kernel));
  if (args.memory !== undefined) argv.push('-m', String(args.memory));
  if (args.smp !== undefined) argv.push('-smp', String(args.smp));
  (args.disks ?? []).forEach((disk, i) => {
    argv.push('-drive', `file=${file(disk)},if=none,format=raw,id=disk${i}`, '-device', `virtio-blk-device,drive=disk${i}`);
  });
  argv.push(...(args.args ?? []));
  return argv;
}

/** The run options of a launch; a UsageError names what is wrong. */
export function launchOptions(args: LaunchArguments): RunOptions {
  const invocation = parseArguments(launchCommandLine(args));
  if (invocation.kind !== 'run') throw new UsageError('launch: the arguments ask for no machine (-help, -version or dumpdtb)');
  return invocation.options;
}
