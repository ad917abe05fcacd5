// Shared test setup (not a test file): finding host tools, rebuilding the CLI bundle, compiling bare-metal guests.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The cross compiler: $RISCV_GCC, or riscv64-unknown-elf-gcc from PATH. */
export const RISCV_GCC = process.env.RISCV_GCC ?? 'riscv64-unknown-elf-gcc';

/** Whether `name` is a file in a PATH directory (or, given as a path, exists). Needs no shell. */
export function hasTool(name: string): boolean {
  if (name.includes('/') || name.includes(path.sep)) return fs.existsSync(name);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)));
}

/** Rebuilds dist/cli.js from the current sources (`npm run --silent build:host`, esbuild: a few tens of ms). */
export function buildHostBundle(): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build:host'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  if (build.status !== 0) throw new Error(`build:host failed: ${build.stderr}`);
}

/** The flags of the M-mode guests (interrupts, smp, sbi-payload): rv64imac, freestanding, warnings as errors. */
export const BARE_METAL_FLAGS: readonly string[] = [
  '-march=rv64imac_zicsr', '-mabi=lp64', '-mcmodel=medany', '-O2', '-g', '-ffreestanding', '-nostdlib',
  '-nostartfiles', '-static', '-fno-builtin', '-Wall', '-Wextra', '-Werror',
];

/** The flags of test/boot/virtio-blk/Makefile and test/boot/virtio-console/Makefile (link with -lgcc). */
export const VIRTIO_GUEST_FLAGS: readonly string[] = [
  '-march=rv64imac_zicsr', '-mabi=lp64', '-misa-spec=2.2', '-mcmodel=medany',
  '-O2', '-ffreestanding', '-nostdlib', '-fno-builtin', '-fno-tree-loop-distribute-patterns', '-Wall', '-Wextra',
  '-nostartfiles', '-static',
];

export interface GuestBuild {
  /** The .S and .c files, in link order. */
  sources: string[];
  /** The linker script (-T). */
  linkScript: string;
  /** The ELF to write; its folder is created. */
  output: string;
  /** Compiler flags before -T (default BARE_METAL_FLAGS). */
  flags?: readonly string[];
  /** Libraries after the sources, e.g. ['-lgcc']. */
  libs?: readonly string[];
  /** The compiler (default RISCV_GCC). */
  gcc?: string;
}

/** Compiles and links a guest: gcc flags -T link.ld (no build id, no RWX warning) -o output sources libs. */
export function buildGuest({ sources, linkScript, output, flags = BARE_METAL_FLAGS, libs = [], gcc = RISCV_GCC }: GuestBuild): void {
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const args = [
    ...flags, '-T', linkScript, '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments', '-o', output, ...sources, ...libs,
  ];
  const compiled = spawnSync(gcc, args, { encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`${gcc} failed:\n${compiled.stderr}`);
}
