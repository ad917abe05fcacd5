// The control API of `lantern server` (the VM manager): every request a client may send over
// the net-ipc channel, and what each answers. Types only, beside the limits they share; the
// server validates each request against these shapes (vmm/validate.ts) before acting.

/** A VM's life: created (configured, never started), running, paused (by a user or at a
 * debugger's stop), stopped (powered off, ended or killed: its exit status kept), failed
 * (its worker died or its configuration could not start). */
export type VmState = 'created' | 'running' | 'paused' | 'stopped' | 'failed';

/** A VM as `list` and `inspect` show it. */
export interface VmInfo {
  readonly name: string;
  readonly state: VmState;
  /** The command-line flags it was created with (QEMU's, as `lantern` takes them). */
  readonly args: readonly string[];
  /** Guest RAM in bytes (counted against the server's memory budget while it runs or is paused). */
  readonly memory: number;
  readonly harts: number;
  /** Where its GDB stub and DAP endpoint listen while it runs or is paused (127.0.0.1). */
  readonly gdbPort?: number;
  readonly dapPort?: number;
  /** The exit status once stopped; the reason once failed. */
  readonly exitStatus?: number;
  readonly error?: string;
  /** Clock steps run so far (as a decimal string: JSON has no 64-bit integers). */
  readonly steps?: string;
  /** Per-VM limits, when set: it is stopped (state 'stopped', error says which) on reaching either. */
  readonly limits?: VmLimits;
}

export interface VmLimits {
  /** Clock steps (decimal string). */
  readonly steps?: string;
  /** Wall-clock milliseconds of running. */
  readonly wallMs?: number;
}

/** A VM name: a letter or digit, then letters, digits, '.', '_' or '-'; at most 64 characters. */
export const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Every request: `op` names it; the rest as below. */
export type Request =
  | { readonly op: 'hello'; readonly token?: string }
  | { readonly op: 'list' }
  | { readonly op: 'inspect'; readonly name: string }
  | { readonly op: 'create'; readonly name: string; readonly args: readonly string[]; readonly limits?: VmLimits; readonly start?: boolean }
  | { readonly op: 'start'; readonly name: string }
  | { readonly op: 'pause'; readonly name: string }
  | { readonly op: 'resume'; readonly name: string }
  | { readonly op: 'stop'; readonly name: string }
  | { readonly op: 'delete'; readonly name: string }
  /** Console output since `from` (a byte offset into the VM's output so far; 0: from its start, as far as kept). */
  | { readonly op: 'console-read'; readonly name: string; readonly from: number }
  /** Bytes typed at the VM's console (latin1 text). */
  | { readonly op: 'console-write'; readonly name: string; readonly text: string }
  /** Saves the VM's state to `file` (absolute path; the VM is paused for the save and resumes if it ran). */
  | { readonly op: 'snapshot'; readonly name: string; readonly file: string }
  | { readonly op: 'restore'; readonly name: string; readonly file: string }
  /** A new VM `newName` from a running/paused VM `source` (snapshotted on the fly) or from a snapshot file. */
  | { readonly op: 'clone'; readonly source: { readonly vm: string } | { readonly file: string }; readonly newName: string; readonly start?: boolean }
  /** Register values of a paused VM's hart (0 by default): `names` as gdb names them (x by ABI
   * name or x5, pc, ft0 or f0, CSRs by their spec name, priv), at most MAX_REGISTER_NAMES; absent:
   * the x registers, pc and priv. Refused (wrong-state) while it runs: a debugger may be between stops. */
  | { readonly op: 'registers'; readonly name: string; readonly hart?: number; readonly names?: readonly string[] }
  | { readonly op: 'shutdown' };

/** Every answer: ok with a value, or an error with one line of text and a code. */
export type Response<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string; readonly code: ErrorCode };

export type ErrorCode =
  /** The request is malformed: unknown op, a missing or mistyped field, a bad name. */
  | 'bad-request'
  /** A TCP connection without the right token (every request until `hello` with it). */
  | 'unauthorized'
  | 'no-such-vm'
  | 'exists'
  /** The request does not fit the VM's state (start a running VM, console of a created one, ...). */
  | 'wrong-state'
  /** Starting it would exceed the server's memory budget. */
  | 'over-budget'
  /** The VM's configuration was refused (its one-line message), or a file could not be used. */
  | 'refused';

/** What each request answers with. */
export interface Answers {
  hello: { server: string; version: string };
  list: VmInfo[];
  inspect: VmInfo;
  create: VmInfo;
  start: VmInfo;
  pause: VmInfo;
  resume: VmInfo;
  stop: VmInfo;
  delete: null;
  'console-read': { text: string; next: number };
  'console-write': null;
  snapshot: { file: string; bytes: number };
  restore: VmInfo;
  clone: VmInfo;
  /** Each register asked for (by the name asked) as 0x and its hex digits, as wide as the register; the hart's XLEN. */
  registers: { hart: number; xlen: 32 | 64; values: Record<string, string> };
  shutdown: null;
}

/** Register names one `registers` request may ask for (every x register, pc and a few dozen CSRs). */
export const MAX_REGISTER_NAMES = 64;
/** A register name as `registers` takes it: a letter, then letters and digits (mhpmcounter31h is the longest). */
export const REGISTER_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/** Console output each VM keeps for console-read (older output is dropped). */
export const CONSOLE_KEEP = 1 << 20;
/** The server's default memory budget for guest RAM, all running and paused VMs together. */
export const DEFAULT_MEMORY_BUDGET = 4 * 1024 * 1024 * 1024;

/** The VM manager as the API server drives it (vmm/manager.ts): one validated request in, its
 * answer out (never a thrown error for a refusal: a Response with ok false). */
export interface VmController {
  handle(request: Exclude<Request, { op: 'hello' }>): Promise<Response>;
  /** Stops every VM and ends its worker (the server's shutdown). */
  close(): Promise<void>;
}
