// The DebugTarget contract (ARCHITECTURE.md, "Debugging contract"): what a debugger front end
// (the GDB stub, the DAP bridge) may ask of a machine. Types only: gdbstub/ imports this file
// and nothing else of the emulator.

/** Register numbers, gdb's for RISC-V: x0..x31 = 0..31, pc = 32, f0..f31 = 33..64, CSR n = 65 + n, priv = 4161. */
export const REG_PC = 32;
export const REG_F0 = 33;
export const REG_CSR0 = 65;
export const REG_PRIV = 4161;

/** The feature a register belongs to in a target description (QEMU's names). */
export type RegisterFeature = 'cpu' | 'fpu' | 'csr' | 'virtual';

/** One register the target implements. */
export interface RegisterInfo {
  /** Its number (see REG_*). */
  readonly number: number;
  /** gdb's name: x registers by ABI name (zero, ra, sp, …), pc, ft0…, CSRs by their spec name, priv. */
  readonly name: string;
  /** Width in bits: XLEN for x, pc and CSRs; 64 for f with D; 32 for priv's… as the description says. */
  readonly bits: number;
  readonly feature: RegisterFeature;
  /** The tdesc type: 'int', 'code_ptr', 'data_ptr', 'ieee_double', 'riscv_double' and so on. */
  readonly type: string;
}

/** A hart as a debugger thread (gdb thread id = hart + 1). */
export interface HartInfo {
  readonly hart: number;
  /** 0 = U, 1 = S, 3 = M. */
  readonly privilege: number;
  /** What it was doing when the machine stopped: waiting in wfi, or executing. */
  readonly state: 'running' | 'waiting';
}

export type BreakpointKind = 'software' | 'hardware';
export type WatchKind = 'write' | 'read' | 'access';

/** Why the machine stopped (all harts stop together: all-stop mode). */
export type StopReason =
  | { readonly kind: 'breakpoint'; readonly hart: number; readonly type: BreakpointKind }
  | { readonly kind: 'watchpoint'; readonly hart: number; readonly watch: WatchKind; readonly addr: bigint }
  | { readonly kind: 'step'; readonly hart: number }
  | { readonly kind: 'paused'; readonly hart: number }
  /** A trap a `catch` asked to stop at was taken: pc is the handler's first instruction. */
  | { readonly kind: 'trap'; readonly hart: number; readonly cause: bigint }
  /** A reverse run reached the oldest state the history holds (gdb's replaylog:begin). */
  | { readonly kind: 'history-start'; readonly hart: number }
  /** The guest powered off (or the VM was ended): the status it gave. */
  | { readonly kind: 'exited'; readonly code: number };

/**
 * How to resume. 'continue': every hart in `harts` runs (all of them when absent) until
 * something stops the machine. 'step': hart `hart` executes one step (an instruction, or
 * the trap it raises, stopping at the handler's first instruction); with `others: 'run'`
 * the other harts run their turns meanwhile, with 'hold' they stay still.
 *
 * `reverse: true` (only when the target's canReverse) runs backwards through the recorded
 * history, every hart as it was then (`others` does not apply; `harts` names the harts whose
 * breakpoint and watchpoint hits count):
 * - a step goes back to just before hart `hart`'s latest step, stopping with 'step'
 *   (breakpoints are not checked);
 * - a continue goes back to the latest earlier point where a hart stood at a breakpoint
 *   ('breakpoint', before it executes there) or had made a watched access ('watchpoint',
 *   right after the accessing instruction, so a debugger's own reverse step over it lands
 *   before the access; an access by the instruction just before the current point counts, the
 *   stop then staying where it is);
 * - either stops with 'history-start' at the oldest state the history holds.
 * A forward resume from a point in the past follows the recorded history (the same
 * instruction stream) up to the present, then runs on live. A write to registers or memory in
 * the past discards the future: that point becomes the present.
 */
export type ResumeAction =
  | { readonly kind: 'continue'; readonly harts?: readonly number[]; readonly reverse?: boolean }
  | { readonly kind: 'step'; readonly hart: number; readonly others: 'run' | 'hold'; readonly reverse?: boolean };

/** Virtual addresses go through the hart's current translation (satp, MPRV not applied); physical do not. */
export type AddressSpace = 'virtual' | 'physical';

/** The monitor (QEMU's `monitor …` / Ctrl-A c commands): one command line in, its output text out. */
export interface MonitorCapability {
  /** Runs one command for the debugger's selected hart; the text ends with a newline when not empty. */
  command(line: string, hart: number): Promise<MonitorResult>;
}

export interface MonitorResult {
  readonly output: string;
  /** The command ended the VM (quit) or resumed or paused it (cont, stop): the front end follows. */
  readonly effect?: 'quit' | 'resume' | 'pause' | 'reset';
}

export interface DebugTarget {
  readonly xlen: 32 | 64;
  /** The registers it implements, in number order. */
  readonly registers: readonly RegisterInfo[];
  /** The harts (one debugger thread each). */
  harts(): readonly HartInfo[];
  /** True while the machine runs (between resume() and the stop it reports). */
  readonly running: boolean;
  /** Where the debugger's memory reads and writes go by default: 'virtual' unless `monitor phys on`. */
  readonly addressSpace: AddressSpace;

  /** Reads a register of a hart (undefined: no such register). Only while stopped. */
  readRegister(hart: number, number: number): bigint | undefined;
  /** Writes a register as the hart would (CSR WARL rules apply); false: no such register or not writable. */
  writeRegister(hart: number, number: number, value: bigint): boolean;

  /**
   * Reads guest memory through the hart's view. Returns the bytes readable from `addr` on,
   * possibly fewer than `length` (stopping at the first unmapped or unreadable byte; device
   * registers are read with the device's side-effect-free peek).
   */
  readMemory(hart: number, addr: bigint, length: number, space: AddressSpace): Uint8Array;
  /** Writes guest memory (RAM only); false if any byte is not writable (then nothing is written). */
  writeMemory(hart: number, addr: bigint, data: Uint8Array, space: AddressSpace): boolean;

  /** Breakpoints at virtual pcs (kept in the core's table, nothing patched into memory). False: table full. */
  addBreakpoint(addr: bigint, kind: BreakpointKind): boolean;
  removeBreakpoint(addr: bigint, kind: BreakpointKind): boolean;
  /** Watchpoints on [addr, addr + length) of virtual addresses. False: table full or bad length. */
  addWatchpoint(addr: bigint, length: number, kind: WatchKind): boolean;
  removeWatchpoint(addr: bigint, length: number, kind: WatchKind): boolean;

  /** Starts the harts as `action` says; the stop comes through onStop. Only while stopped. */
  resume(action: ResumeAction): void;
  /** Asks a running machine to stop (reported as 'paused'); nothing while stopped. */
  pause(): void;
  /** Called once for each stop after resume() (and at exit, even while stopped). */
  onStop(listener: (reason: StopReason) => void): void;
  /** The last stop (the reason the machine is stopped now), undefined while running. */
  readonly lastStop: StopReason | undefined;

  /** True when the target records history, so resume() may run backwards (reverse: true). */
  readonly canReverse: boolean;

  /** Ends the VM (gdb's k / vKill): the machine exits with status 0, as QEMU does. */
  kill(): void;
  /** Forgets every breakpoint and watchpoint (a debugger detached). */
  clearDebugState(): void;

  /** QEMU's monitor, when the target has one. */
  readonly monitor?: MonitorCapability;
}
