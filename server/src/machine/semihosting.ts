// RISC-V semihosting (`-semihosting`): the guest asks the host for console and file I/O, the
// time and its exit through the Arm "Angel" calls, as the RISC-V Semihosting spec
// (riscv-semihosting-spec) defines them and QEMU 7.2 carries them out
// (semihosting/arm-compat-semi.c, semihosting/syscalls.c).
//
// A call is the sequence `slli x0,x0,0x1f; ebreak; srai x0,x0,7`, uncompressed and all three
// in one page, with a0 = the operation and a1 = its parameter block (or its value); the result
// comes back in a0 and the hart goes on after the ebreak.
//
// How Lantern catches the call without the core's help: when the machine starts, the host
// scans the executable segments of the images it loaded (findCallSites) and puts a core
// breakpoint on every such ebreak. The core stops there before the ebreak runs, so no
// breakpoint trap is taken; before the hart runs again the machine calls Semihosting.callAt,
// which checks the markers in memory and the privilege (QEMU refuses U-mode calls unless
// userspace=on), carries out the call and moves pc past the ebreak (QEMU's `env->pc += 4`).
// An ebreak that fails the check runs as a plain breakpoint. Code written at run time (a
// program a guest kernel loads, a JIT) is not scanned: its calls are taken as plain
// breakpoints, where QEMU would carry them out.
//
// Where Lantern differs from QEMU 7.2 on purpose:
// - Console output (SYS_WRITEC, SYS_WRITE0, ":tt") goes to the machine's serial console;
//   QEMU without chardev= writes it to its own stderr and stdout.
// - Console reads (SYS_READC, ":tt") take typed input; QEMU without chardev= never gets any.
//   ISTTY is 1 for the console (QEMU asks the host's stdout).
// - Files stay in one folder (host/semihosting-files.ts); QEMU opens any host path.
// - SYS_SYSTEM and unknown operations fail with ENOSYS; QEMU runs the host command, or aborts.
// - SYS_CLOCK, SYS_ELAPSED and SYS_TIME read virtual time (TIME from the RTC's start), so a
//   run repeats exactly; QEMU reads the host's clocks.

/** The sequence's instruction words (riscv-semihosting-spec, "Semihosting trap instruction sequence"). */
const MARKER_BEFORE = 0x01f01013; // slli x0, x0, 0x1f
const EBREAK = 0x00100073;
const MARKER_AFTER = 0x40705013; // srai x0, x0, 7
const PAGE = 4096n;

/** Operation numbers (a0), from the Arm semihosting spec 2.0 as QEMU names them. */
export const SYS = {
  OPEN: 0x01, CLOSE: 0x02, WRITEC: 0x03, WRITE0: 0x04, WRITE: 0x05, READ: 0x06, READC: 0x07,
  ISERROR: 0x08, ISTTY: 0x09, SEEK: 0x0a, FLEN: 0x0c, TMPNAM: 0x0d, REMOVE: 0x0e, RENAME: 0x0f,
  CLOCK: 0x10, TIME: 0x11, SYSTEM: 0x12, ERRNO: 0x13, GET_CMDLINE: 0x15, HEAPINFO: 0x16,
  EXIT: 0x18, EXIT_EXTENDED: 0x20, ELAPSED: 0x30, TICKFREQ: 0x31,
} as const;

/**
 * Error numbers the guest reads with SYS_ERRNO: Linux's, since QEMU on Linux hands the host's
 * errno through (picolibc's numbers agree for all of these but the last five).
 */
export const ERRNO = {
  EPERM: 1, ENOENT: 2, EIO: 5, E2BIG: 7, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14,
  EBUSY: 16, EEXIST: 17, EXDEV: 18, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24,
  ENOTTY: 25, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30,
  ENAMETOOLONG: 36, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, EOVERFLOW: 75,
} as const;

/** SYS_EXIT's reason for a normal exit (ADP_Stopped_ApplicationExit); any other reason exits 1. */
const APPLICATION_EXIT = 0x20026n;
/** What QEMU leaves in a0 after a call with no result (SYS_WRITEC, SYS_WRITE0). */
const NO_RESULT = 0xdeadbeefn;
/** SYS_ELAPSED counts nanoseconds, as QEMU's (SYS_TICKFREQ). */
const TICKS_PER_SECOND = 1_000_000_000n;
/** The longest string (file name, SYS_WRITE0 text) read from the guest. */
const MAX_STRING = 1 << 20;

/**
 * `:semihosting-features` (Arm semihosting 2.0, "The semihosting feature-detection pseudo-file"):
 * the magic "SHFB" and feature byte 0, SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR, as QEMU's.
 * picolibc's exit() reads it to choose SYS_EXIT_EXTENDED.
 */
const FEATURES = Uint8Array.of(0x53, 0x48, 0x46, 0x42, 0x03);

/** fopen modes for SYS_OPEN's mode 0..11 halved (each comes in text and binary, "r" and "rb"). */
const OPEN_MODES = ['r', 'r+', 'w', 'w+', 'a', 'a+'] as const;
export type OpenMode = (typeof OPEN_MODES)[number];

/** A host file operation refused or failed; `errno` is what SYS_ERRNO then reports. */
export class SemihostingFileError extends Error {
  override readonly name = 'SemihostingFileError';
  constructor(readonly errno: number, message = `errno ${errno}`) {
    super(message);
  }
}

/** An open host file. Methods throw SemihostingFileError. */
export interface SemihostingFile {
  /** Up to `length` bytes from the file position (fewer at the end), advancing it. */
  read(length: number): Uint8Array;
  /** Writes at the file position (at the end in append mode); returns the bytes written. */
  write(data: Uint8Array): number;
  /** Moves the file position to `position` bytes from the start. */
  seek(position: bigint): void;
  size(): bigint;
  close(): void;
}

/** The host's files as the guest may see them (host/semihosting-files.ts confines them to a folder). */
export interface SemihostingFiles {
  open(name: string, mode: OpenMode): SemihostingFile;
  remove(name: string): void;
  rename(from: string, to: string): void;
  /** SYS_TMPNAM: a file name for temporary file `id` (0..255). */
  temporaryName(id: number): string;
}

export interface SemihostingConfig {
  readonly files: SemihostingFiles;
  /** SYS_GET_CMDLINE's answer: `-semihosting-config arg=`s, else the kernel and -append (QEMU's fallback). */
  readonly commandLine: string;
  /** `userspace=on`: U-mode may make calls too. */
  readonly userspace?: boolean;
}

/** What a call needs of the hart (Core fits it). */
export interface SemihostingHart {
  pc: bigint;
  readonly privilege: number;
  getX(index: number): bigint;
  setX(index: number, value: bigint): void;
  readCsr(csr: number): bigint | undefined;
  translate(vaddr: bigint, access: 'read' | 'write' | 'fetch'): bigint | undefined;
  inRam(paddr: bigint, length: number): boolean;
  readPhysical(paddr: bigint, length: number): Uint8Array;
  writePhysical(paddr: bigint, data: Uint8Array): void;
}

/** What the calls need of the machine. */
export interface SemihostingMachine {
  /** The machine's console: the guest's output, and bytes typed for it. */
  readonly console: {
    write(bytes: Uint8Array): void;
    /** Up to `max` typed bytes not yet taken; none yet is an empty array. */
    read(max: number): Uint8Array;
  };
  /** Virtual time since power-on, in ns. */
  elapsedNs(): bigint;
  /** The guest's wall clock (the RTC's), in ns since the epoch. */
  epochNs(): bigint;
  /** SYS_HEAPINFO: the largest stretch of RAM no loaded image occupies. */
  readonly heap: { readonly base: bigint; readonly limit: bigint };
}

/** How a call ended: done (the hart goes on after the ebreak), waiting for typed input, or the guest exits. */
export type SemihostingOutcome =
  | { kind: 'done' }
  | { kind: 'blocked' }
  | { kind: 'exit'; status: number };

/** A guest handle (SYS_OPEN's result, from 1). */
type Handle =
  | { kind: 'console' } // ":tt", whatever the mode: QEMU's stdin, stdout and stderr are all this console
  | { kind: 'static'; data: Uint8Array; position: number } // ":semihosting-features"
  | { kind: 'file'; file: SemihostingFile };

/** A call's result: a0's new value, or a wait for input, or the guest's exit. */
type CallResult = { kind: 'return'; value: bigint } | { kind: 'blocked' } | { kind: 'exit'; status: number };

/** A guest address that does not translate to RAM (QEMU's do_fault: -1 with EFAULT). */
class GuestFault extends Error {}

/**
 * Where the images loaded into RAM hold a call: the address of each ebreak between the two
 * markers, at 2-byte steps through each executable segment (its virtual address, as the
 * core's breakpoints match pc) or a raw image, keeping the three words in one page as QEMU.
 */
export function findCallSites(images: readonly { vaddr: bigint; data: Uint8Array }[]): bigint[] {
  const sites: bigint[] = [];
  for (const { vaddr, data } of images) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let at = 4; at + 8 <= data.length; at += 2) {
      if (view.getUint32(at, true) !== EBREAK) continue;
      if (view.getUint32(at - 4, true) !== MARKER_BEFORE || view.getUint32(at + 4, true) !== MARKER_AFTER) continue;
      const pc = vaddr + BigInt(at);
      if ((pc - 4n) / PAGE === (pc + 4n) / PAGE) sites.push(pc);
    }
  }
  return sites;
}

/**
 * The largest stretch of [start, end) that none of `used` covers (QEMU's
 * rom_find_largest_gap_between over the loaded images): SYS_HEAPINFO's heap.
 */
export function largestGap(start: bigint, end: bigint, used: readonly { start: bigint; end: bigint }[]): { base: bigint; limit: bigint } {
  const ranges = used.filter((range) => range.end > start && range.start < end && range.end > range.start)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let best = { base: 0n, limit: 0n };
  let gapStart = start;
  for (const range of [...ranges, { start: end, end }]) {
    if (range.start > gapStart && range.start - gapStart > best.limit - best.base) best = { base: gapStart, limit: range.start };
    if (range.end > gapStart) gapStart = range.end;
  }
  return best;
}

/** XLEN from misa.MXL (bits 63:62 on RV64, 31:30 on RV32); 64 when it cannot tell. */
function xlenOf(misa: bigint | undefined): 32 | 64 {
  if (misa === undefined || misa >> 62n === 2n) return 64;
  return ((misa >> 30n) & 3n) === 1n ? 32 : 64;
}

/** The semihosting host: the guest's handles, the last error, and the calls. */
export class Semihosting {
  /** The ebreaks to put core breakpoints on. */
  readonly sites: ReadonlySet<bigint>;
  private readonly handles = new Map<number, Handle>();
  /** SYS_ERRNO: the last failed call's error (never cleared, as QEMU's). */
  private errno = 0;

  constructor(
    private readonly config: SemihostingConfig,
    private readonly machine: SemihostingMachine,
    sites: readonly bigint[],
  ) {
    this.sites = new Set(sites);
  }

  /**
   * If the hart stands on a call (a site whose markers are still in memory, from a privilege
   * allowed to call), carries it out; undefined otherwise, and the ebreak runs as usual.
   */
  callAt(hart: SemihostingHart): SemihostingOutcome | undefined {
    const pc = hart.pc;
    if (!this.sites.has(pc) || !this.isCall(hart, pc)) return undefined;
    const call = new Call(hart, this, this.config, this.machine);
    const operation = Number(call.register(10) & 0xffffffffn);
    let result: CallResult;
    try {
      result = (CALLS.get(operation) ?? unsupported)(call);
    } catch (error) {
      if (!(error instanceof GuestFault)) throw error;
      result = this.fail(ERRNO.EFAULT);
    }
    if (result.kind !== 'return') return result;
    call.setRegister(10, result.value);
    hart.pc = pc + 4n;
    return { kind: 'done' };
  }

  /** QEMU's trans_ebreak check: the three words as fetched, and a privilege above U (or userspace=on). */
  private isCall(hart: SemihostingHart, pc: bigint): boolean {
    if (hart.privilege === 0 && !this.config.userspace) return false;
    const word = (vaddr: bigint) => {
      const paddr = hart.translate(vaddr, 'fetch');
      if (paddr === undefined || !hart.inRam(paddr, 4)) return undefined;
      return new DataView(hart.readPhysical(paddr, 4).buffer).getUint32(0, true);
    };
    return word(pc - 4n) === MARKER_BEFORE && word(pc) === EBREAK && word(pc + 4n) === MARKER_AFTER;
  }

  /** A new handle: the lowest free number from 1 (QEMU's alloc_guestfd). */
  open(handle: Handle): number {
    let number = 1;
    while (this.handles.has(number)) number++;
    this.handles.set(number, handle);
    return number;
  }

  handle(number: bigint): Handle | undefined {
    return number > 0n && number <= 0x7fffffffn ? this.handles.get(Number(number)) : undefined;
  }

  close(number: bigint): void {
    this.handles.delete(Number(number));
  }

  get lastError(): number {
    return this.errno;
  }

  /** -1 in a0, and `errno` for SYS_ERRNO. */
  fail(errno: number): CallResult {
    this.errno = errno;
    return { kind: 'return', value: -1n };
  }
}

/** One call in progress: its registers, parameter block and guest memory. */
class Call {
  readonly xlen: 32 | 64;
  private readonly block: bigint;

  constructor(
    private readonly hart: SemihostingHart,
    readonly session: Semihosting,
    readonly config: SemihostingConfig,
    readonly machine: SemihostingMachine,
  ) {
    this.xlen = xlenOf(hart.readCsr(0x301));
    this.block = this.register(11);
  }

  register(index: number): bigint {
    return BigInt.asUintN(this.xlen, this.hart.getX(index));
  }

  /** Writes a register as the hart holds it (RV32 values sign-extended). */
  setRegister(index: number, value: bigint): void {
    this.hart.setX(index, BigInt.asIntN(this.xlen, value));
  }

  /** a1 itself, for the calls that take a value instead of a block. */
  get value(): bigint {
    return this.block;
  }

  /** Field `n` of the parameter block at a1 (XLEN bits each). */
  arg(n: number): bigint {
    const bytes = this.xlen / 8;
    const data = this.read(this.block + BigInt(n * bytes), bytes);
    const view = new DataView(data.buffer);
    return this.xlen === 64 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
  }

  setArg(n: number, value: bigint, at = this.block): void {
    const bytes = this.xlen / 8;
    const data = new Uint8Array(bytes);
    const view = new DataView(data.buffer);
    if (this.xlen === 64) view.setBigUint64(0, BigInt.asUintN(64, value), true);
    else view.setUint32(0, Number(BigInt.asUintN(32, value)), true);
    this.write(at + BigInt(n * bytes), data);
  }

  /** Guest bytes at a virtual address, a page at a time through the MMU; GuestFault outside RAM. */
  read(vaddr: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.pages(vaddr, length, 'read', (paddr, offset, size) => out.set(this.hart.readPhysical(paddr, size), offset));
    return out;
  }

  write(vaddr: bigint, data: Uint8Array): void {
    this.pages(vaddr, data.length, 'write', (paddr, offset, size) => this.hart.writePhysical(paddr, data.subarray(offset, offset + size)));
  }

  /** A NUL-terminated string (without the NUL), as UTF-8. */
  string(vaddr: bigint): string {
    return Buffer.from(this.cString(vaddr)).toString('utf8');
  }

  cString(vaddr: bigint): Uint8Array {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let at = vaddr; total < MAX_STRING;) {
      const chunk = this.read(at, Number(PAGE - (at % PAGE)));
      const end = chunk.indexOf(0);
      chunks.push(end < 0 ? chunk : chunk.subarray(0, end));
      total += chunk.length;
      if (end >= 0) return Buffer.concat(chunks);
      at += BigInt(chunk.length);
    }
    throw new GuestFault();
  }

  private pages(vaddr: bigint, length: number, access: 'read' | 'write', visit: (paddr: bigint, offset: number, size: number) => void): void {
    let offset = 0;
    while (offset < length) {
      const at = BigInt.asUintN(this.xlen, vaddr + BigInt(offset));
      const size = Math.min(length - offset, Number(PAGE - (at % PAGE)));
      const paddr = this.hart.translate(at, access);
      if (paddr === undefined || !this.hart.inRam(paddr, size)) throw new GuestFault();
      visit(paddr, offset, size);
      offset += size;
    }
  }

  ok(value: bigint | number): CallResult {
    return { kind: 'return', value: BigInt(value) };
  }

  fail(errno: number): CallResult {
    return this.session.fail(errno);
  }

  /** Runs a host file operation: its value, or -1 with the error it raised. */
  host(operation: () => bigint | number): CallResult {
    try {
      return this.ok(operation());
    } catch (error) {
      if (error instanceof SemihostingFileError) return this.fail(error.errno);
      throw error;
    }
  }

  /**
   * A name and its length from the block (QEMU's validate_strlen: the byte at name + length
   * must be the NUL); undefined after failing the call.
   */
  name(pointerField: number, lengthField: number): string | undefined {
    const pointer = this.arg(pointerField);
    const length = this.arg(lengthField);
    if (length > BigInt(MAX_STRING)) return undefined;
    if (this.read(pointer + length, 1)[0] !== 0) return undefined;
    return this.string(pointer);
  }
}

/** QEMU aborts on an unknown call; Lantern fails it with ENOSYS and the guest goes on. */
function unsupported(call: Call): CallResult {
  return call.fail(ERRNO.ENOSYS);
}

/**
 * A call whose failures (a bad address, a host error) return `failed` and leave errno alone:
 * SYS_READ and SYS_WRITE return the bytes NOT transferred, all of them on failure (QEMU's
 * common_semi_rw_cb), SYS_WRITEC and SYS_WRITE0 nothing.
 */
function quietly(call: Call, failed: bigint, operation: () => bigint | void): CallResult {
  try {
    return call.ok(operation() ?? failed);
  } catch (error) {
    if (error instanceof GuestFault || error instanceof SemihostingFileError) return call.ok(failed);
    throw error;
  }
}

/** The calls by operation number (a0). */
const CALLS = new Map<number, (call: Call) => CallResult>([
  [SYS.OPEN, (call) => {
    const [pointer, mode, length] = [call.arg(0), call.arg(1), call.arg(2)];
    const name = call.string(pointer);
    if (mode >= 12n) return call.fail(ERRNO.EINVAL);
    // QEMU's SH_EXT_STDOUT_STDERR names: ":tt" read is stdin, write stdout, append stderr.
    if (name === ':tt') return call.ok(call.session.open({ kind: 'console' }));
    if (name === ':semihosting-features') {
      if (mode > 1n) return call.fail(ERRNO.EACCES); // only "r" and "rb"
      return call.ok(call.session.open({ kind: 'static', data: FEATURES, position: 0 }));
    }
    if (length > BigInt(MAX_STRING) || call.read(pointer + length, 1)[0] !== 0) return call.fail(ERRNO.EINVAL);
    return call.host(() => call.session.open({ kind: 'file', file: call.config.files.open(name, OPEN_MODES[Number(mode) >> 1]) }));
  }],
  [SYS.CLOSE, (call) => {
    const number = call.arg(0);
    const handle = call.session.handle(number);
    if (!handle) return call.fail(ERRNO.EBADF);
    call.session.close(number);
    return call.host(() => {
      if (handle.kind === 'file') handle.file.close();
      return 0;
    });
  }],
  // No result either way: a bad address writes nothing (QEMU's common_semi_dead_cb).
  [SYS.WRITEC, (call) => quietly(call, NO_RESULT, () => call.machine.console.write(call.read(call.value, 1)))],
  [SYS.WRITE0, (call) => quietly(call, NO_RESULT, () => call.machine.console.write(call.cString(call.value)))],
  [SYS.WRITE, (call) => {
    const [number, buffer, length] = [call.arg(0), call.arg(1), call.arg(2)];
    const handle = call.session.handle(number);
    if (!handle || handle.kind === 'static' || length > BigInt(MAX_STRING)) return call.ok(length);
    return quietly(call, length, () => {
      const data = call.read(buffer, Number(length));
      if (handle.kind === 'console') call.machine.console.write(data);
      return length - BigInt(handle.kind === 'console' ? data.length : handle.file.write(data));
    });
  }],
  [SYS.READ, (call) => {
    const [number, buffer, length] = [call.arg(0), call.arg(1), call.arg(2)];
    const handle = call.session.handle(number);
    if (!handle || length > BigInt(MAX_STRING)) return call.ok(length);
    if (handle.kind === 'console' && length > 0n) {
      // Waits until a byte is typed, then takes what there is (QEMU's console read).
      call.read(buffer, Number(length)); // a bad buffer fails before any input is taken
      const typed = call.machine.console.read(Number(length));
      if (typed.length === 0) return { kind: 'blocked' };
      return quietly(call, length, () => {
        call.write(buffer, typed);
        return length - BigInt(typed.length);
      });
    }
    return quietly(call, length, () => {
      let data: Uint8Array = new Uint8Array(0);
      if (handle.kind === 'static') {
        data = handle.data.subarray(handle.position, handle.position + Number(length));
        handle.position += data.length;
      } else if (handle.kind === 'file') {
        data = handle.file.read(Number(length));
      }
      call.write(buffer, data);
      return length - BigInt(data.length);
    });
  }],
  [SYS.READC, (call) => {
    const data = call.machine.console.read(1);
    return data.length === 0 ? { kind: 'blocked' } : call.ok(data[0]);
  }],
  [SYS.ISERROR, (call) => call.ok(BigInt.asIntN(call.xlen, call.arg(0)) < 0n ? 1 : 0)],
  [SYS.ISTTY, (call) => {
    const handle = call.session.handle(call.arg(0));
    if (!handle) return call.fail(ERRNO.EBADF);
    if (handle.kind === 'console') return call.ok(1);
    call.fail(ERRNO.ENOTTY); // 0, with errno ENOTTY (QEMU's common_semi_istty_cb)
    return call.ok(0);
  }],
  [SYS.SEEK, (call) => {
    const [number, position] = [call.arg(0), BigInt.asIntN(call.xlen, call.arg(1))];
    const handle = call.session.handle(number);
    if (!handle) return call.fail(ERRNO.EBADF);
    if (handle.kind === 'console') return call.fail(ERRNO.ESPIPE);
    if (position < 0n) return call.fail(ERRNO.EINVAL);
    if (handle.kind === 'static') {
      if (position > BigInt(handle.data.length)) return call.fail(ERRNO.EINVAL);
      handle.position = Number(position);
      return call.ok(0);
    }
    return call.host(() => {
      handle.file.seek(position);
      return 0; // SYS_SEEK returns 0, not the offset
    });
  }],
  [SYS.FLEN, (call) => {
    const handle = call.session.handle(call.arg(0));
    if (!handle) return call.fail(ERRNO.EBADF);
    if (handle.kind === 'console') return call.ok(0); // QEMU's fstat of a terminal or pipe
    if (handle.kind === 'static') return call.ok(handle.data.length);
    return call.host(() => handle.file.size());
  }],
  [SYS.TMPNAM, (call) => {
    const [buffer, id, length] = [call.arg(0), call.arg(1), call.arg(2)];
    const name = Buffer.from(`${call.config.files.temporaryName(Number(id & 0xffn))}\0`);
    if (BigInt(name.length) > length) return call.ok(-1);
    call.write(buffer, name);
    return call.ok(0);
  }],
  [SYS.REMOVE, (call) => {
    const name = call.name(0, 1);
    if (name === undefined) return call.fail(ERRNO.EINVAL);
    return call.host(() => {
      call.config.files.remove(name);
      return 0;
    });
  }],
  [SYS.RENAME, (call) => {
    const from = call.name(0, 1);
    const to = call.name(2, 3);
    if (from === undefined || to === undefined) return call.fail(ERRNO.EINVAL);
    return call.host(() => {
      call.config.files.rename(from, to);
      return 0;
    });
  }],
  // Centiseconds of (virtual) execution time.
  [SYS.CLOCK, (call) => call.ok(call.machine.elapsedNs() / 10_000_000n)],
  [SYS.TIME, (call) => call.ok(call.machine.epochNs() / 1_000_000_000n)],
  // QEMU runs the host command; a sandboxed guest may not.
  [SYS.SYSTEM, (call) => call.fail(ERRNO.ENOSYS)],
  [SYS.ERRNO, (call) => call.ok(call.session.lastError)],
  [SYS.GET_CMDLINE, (call) => {
    const [buffer, size] = [call.arg(0), call.arg(1)];
    const text = Buffer.from(`${call.config.commandLine}\0`);
    if (BigInt(text.length) > size) return call.fail(ERRNO.E2BIG);
    call.setArg(1, BigInt(text.length - 1));
    call.write(buffer, text);
    return call.ok(0);
  }],
  [SYS.HEAPINFO, (call) => {
    // a1 points at a pointer to four fields: heap base and limit, stack base and limit
    // (QEMU: the stack grows down from the heap's limit towards its base).
    const block = call.arg(0);
    const { base, limit } = call.machine.heap;
    [base, limit, limit, base].forEach((value, n) => call.setArg(n, value, block));
    return call.ok(0);
  }],
  [SYS.EXIT, (call) => {
    // RV64 passes a block (reason, subcode), as A64; RV32 the reason alone, as qemu-system-riscv32.
    if (call.xlen === 32) return { kind: 'exit', status: call.value === APPLICATION_EXIT ? 0 : 1 };
    return exitWith(call.arg(0), call.arg(1));
  }],
  [SYS.EXIT_EXTENDED, (call) => exitWith(call.arg(0), call.arg(1))],
  [SYS.ELAPSED, (call) => {
    const elapsed = call.machine.elapsedNs();
    if (call.xlen === 64) call.setArg(0, elapsed);
    else {
      call.setArg(0, elapsed & 0xffffffffn);
      call.setArg(1, elapsed >> 32n);
    }
    return call.ok(0);
  }],
  [SYS.TICKFREQ, (call) => call.ok(TICKS_PER_SECOND)],
]);

/** SYS_EXIT's status: the subcode for an application exit, else 1 (QEMU's). */
function exitWith(reason: bigint, subcode: bigint): CallResult {
  return { kind: 'exit', status: reason === APPLICATION_EXIT ? Number(subcode & 0xffffffffn) : 1 };
}
