// Stepping back by source line through a target's recorded history (DAP stepBack): the mirror of
// a forward `next`. A few reverse steps of the hart find a previous line that made no call; past
// a call (or a long line) a reverse continue to temporary breakpoints at the function's line
// starts finds it, rather than many reverse steps (each of those replays from a checkpoint).
import type { DebugFunction } from '../debug/dwarf';
import { REG_PC, type DebugTarget, type ResumeAction, type StopReason } from '../debug/target';
import type { Program, SourceLine } from './program';

/** Reverse instruction steps a line step may take where no DWARF function is known (assembly, whose lines are an instruction or two). */
const INSTRUCTION_STEP_LIMIT = 256;
/**
 * Reverse steps of the hart itself tried before a reverse continue: most lines are a few
 * instructions, and a hart's own steps never stop for another hart running the same code
 * (a reverse continue stops at each of its passes over the function's lines, a replay each).
 */
const OWN_STEPS = 12;

/** What a step back needs of the session: the target, its programs and its temporary breakpoints. */
export interface ReverseStepHost {
  readonly target: DebugTarget;
  /** The program `hart` runs now (the kernel's, a user program's), if any has DWARF. */
  programOn(hart: number): Program | undefined;
  /** Resumes as `action` says and resolves with the stop, without reporting it. */
  run(action: ResumeAction): Promise<StopReason>;
  /** A breakpoint of the step's own (false: the table is full); one the client holds is shared. */
  addTemporary(addr: bigint): boolean;
  removeTemporary(addr: bigint): void;
  /** True where a breakpoint of the client's is: a stop there is the client's, not the step's. */
  userBreakpointAt(addr: bigint): boolean;
}

function sameLine(a: SourceLine | undefined, b: SourceLine): boolean {
  return a !== undefined && a.line === b.line && a.path === b.path;
}

/** Two frame addresses of one call (either unknown: assumed so). */
function sameCall(a: bigint | undefined, b: bigint | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

const stepBack = (hart: number): ResumeAction => ({ kind: 'step', hart, others: 'hold', reverse: true });

/**
 * Takes `hart` back to the start of the previous source line of its function, over calls (their
 * code runs backwards unseen); from the function's first line, back into the caller to the start
 * of the line that called it. Resolves with the stop to report: 'step' where the step ended, or
 * what ended it sooner (a client's breakpoint or watchpoint, the start of history).
 */
export async function stepBackLine(host: ReverseStepHost, hart: number): Promise<StopReason> {
  const { target } = host;
  const program = host.programOn(hart);
  const pc = target.readRegister(hart, REG_PC)!;
  const line = program?.lineAt(pc);
  if (!program || !line) return host.run(stepBack(hart));
  const fn = program.functionAt(pc);
  if (!fn) return backToRowStart(host, hart, line);
  // At the entry there is nothing of this call behind: the caller is. Elsewhere the entry is
  // the call's start, reached first going back, before any earlier call's lines.
  if (pc !== fn.entry + program.offset) {
    const found = await backToLineStart(host, hart, program, fn, line);
    if (found !== 'entry') return found;
  }
  const reason = await host.run(stepBack(hart));
  if (reason.kind !== 'step' || reason.hart !== hart) return reason;
  // In the caller, at the call (or where a trap came from): back to the start of its line.
  const caller = host.programOn(hart);
  const callPc = target.readRegister(hart, REG_PC)!;
  const callRow = caller?.rowAt(callPc);
  if (!caller || !callRow || caller.startsLineRun(callPc)) return reason;
  const callFn = caller.functionAt(callPc);
  if (!callFn) return callRow.starts ? reason : backToRowStart(host, hart, undefined);
  const found = await backToLineStart(host, hart, caller, callFn, undefined);
  return found === 'entry' ? { kind: 'step', hart } : found;
}

/**
 * Runs back to the latest start of a line of `fn` in this call of it (the same frame address:
 * not a recursive call's, not another hart's), skipping the starts of line `exclude`. 'entry':
 * the call's entry came first, and it belongs to `exclude` (no earlier line in this call).
 */
async function backToLineStart(host: ReverseStepHost, hart: number, program: Program, fn: DebugFunction, exclude: SourceLine | undefined): Promise<StopReason | 'entry'> {
  const { target } = host;
  const entry = fn.entry + program.offset;
  const entryExcluded = exclude !== undefined && sameLine(program.lineAt(entry), exclude);
  // The entry first: should the table fill, the call's boundary is still seen.
  const places = [entry, ...program.lineStarts(fn).filter((addr) => addr !== entry && !(exclude && sameLine(program.lineAt(addr), exclude)))];
  const frame = program.cfaOf(target, hart);
  const arrived = (pc: bigint): StopReason | 'entry' => (pc === entry && entryExcluded ? 'entry' : { kind: 'step', hart });
  for (let steps = 0; steps < OWN_STEPS; steps++) {
    const reason = await host.run(stepBack(hart));
    if (reason.kind !== 'step' || reason.hart !== hart) return reason;
    const pc = target.readRegister(hart, REG_PC)!;
    // Back out of a call's return (or a trap handler's): the reverse continue runs over it.
    if (program.functionAt(pc) !== fn || !sameCall(program.cfaOf(target, hart), frame)) break;
    if (places.includes(pc)) return arrived(pc);
  }
  const set = places.filter((addr) => host.addTemporary(addr));
  try {
    for (;;) {
      const reason = await host.run({ kind: 'continue', reverse: true });
      if (reason.kind !== 'breakpoint') return reason;
      const pc = target.readRegister(reason.hart, REG_PC)!;
      if (!set.includes(pc)) return reason;
      if (reason.hart === hart && sameCall(program.cfaOf(target, hart), frame)) return arrived(pc);
      // Another hart's or another call's pass over these lines: the client's breakpoint there stops.
      if (host.userBreakpointAt(pc)) return reason;
    }
  } finally {
    for (const addr of set) host.removeTemporary(addr);
  }
}

/** Steps back an instruction at a time until a line starts (not `exclude`): code without DWARF functions. */
async function backToRowStart(host: ReverseStepHost, hart: number, exclude: SourceLine | undefined): Promise<StopReason> {
  let reason: StopReason = { kind: 'step', hart };
  for (let steps = 0; steps < INSTRUCTION_STEP_LIMIT; steps++) {
    reason = await host.run(stepBack(hart));
    if (reason.kind !== 'step' || reason.hart !== hart) return reason;
    const row = host.programOn(hart)?.rowAt(host.target.readRegister(hart, REG_PC)!);
    if (row?.starts && !(exclude && sameLine(row.line, exclude))) break;
  }
  return reason;
}
