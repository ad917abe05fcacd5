// The Debug Adapter Protocol session: translates DAP requests into DebugTarget calls on a
// Machine it launches (or, with `attach`, one it is given: a VM of the server), and the target's
// stops into DAP events. Knows the machine only through the CLI's wiring (machineFromOptions)
// and the DebugTarget contract.
import {
  Breakpoint, CapabilitiesEvent, Event, ExitedEvent, Handles, InitializedEvent, LoggingDebugSession, OutputEvent, Scope,
  StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { machineFromOptions, type OpenMachine } from '../cli/machine-options';
import { UsageError } from '../cli/options';
import { MachineDebugTarget } from '../debug/machine-target';
import { createMonitor } from '../debug/monitor';
import { snapshotDir } from '../snapshot/store';
import { ExpressionError, evaluate as evaluateExpression } from '../debug/monitor-expression';
import { describeCause, privilegeName } from '../debug/riscv-names';
import { REG_PC, type ResumeAction, type StopReason } from '../debug/target';
import { LoadError, type SymbolTable } from '../machine/elf';
import type { DisplayChild, DisplayValue, UnwindFrame } from '../debug/dwarf';
import { unwind } from './frames';
import { launchOptions, type AttachArguments, type LaunchArguments } from './launch';
import { Program, ProgramSet, symbolName } from './program';
import { callReturnAddress, disassembleAt } from './instructions';
import { Breakpoints, sourceOf } from './breakpoints';
import { decideHit } from './conditions';
import { stepBackLine, type ReverseStepHost } from './reverse-step';
import { assign, childExpression, conditionHolds, evaluateForDisplay, isExpressionError, type EvaluationContext } from './c-expression';
import { targetContext } from './c-expression-context';
import * as path from 'node:path';
import { GROUP_TITLES, parseValue, registersOf, registerVariables, type RegisterGroup } from './registers';

/** Exception filters (setExceptionBreakpoints) and the traps each catches. */
const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'trap', label: 'Any trap', description: 'Stop when a hart takes any exception or interrupt' },
  { filter: 'exception', label: 'Exceptions', description: 'Stop when a hart takes an exception' },
  { filter: 'interrupt', label: 'Interrupts', description: 'Stop when a hart takes an interrupt' },
  { filter: 'ecall-u', label: 'ecall from U-mode', description: 'Stop at each system call from user mode' },
  { filter: 'pagefault', label: 'Page faults', description: 'Stop when a hart takes a page fault' },
];
const CAUSE_ECALL_U = 8n;

/** Frame ids carry the hart and the frame's depth. */
const FRAMES_PER_HART = 1 << 12;

type VariableScope =
  | { kind: 'registers'; hart: number; group: RegisterGroup }
  | { kind: 'locals'; hart: number; frame: number; which: 'parameter' | 'local' }
  | { kind: 'globals'; hart: number }
  | { kind: 'children'; children: () => DisplayChild[]; hart: number; frame: number; parent?: string };

/** A frame of a stopped hart: where it runs, and its DWARF frame in the program that owns it. */
interface HartFrame {
  readonly pc: bigint;
  readonly frame?: UnwindFrame;
  readonly program?: Program;
}

/** At most this many instructions make one source-line step (then it stops where it is). */
const LINE_STEP_LIMIT = 100_000;

/** What a stop at the oldest recorded state says (the reverse run could go no further back). */
const HISTORY_START = 'Reached the start of history';

/** Why the machine was resumed (forwards, or backwards through history): a stop is reported in these terms. */
type Intent = { kind: 'run'; reverse?: boolean } | { kind: 'step'; reverse?: boolean } | { kind: 'return'; temporary: bigint };

/** A machine a session attaches to (DAP `attach`) instead of launching its own: a VM of the
 * server (vmm/vm-worker.ts), which outlives the session. */
export interface AttachableMachine {
  readonly target: MachineDebugTarget;
  /** The kernel ELF whose DWARF gives lines, frames and variables (its -kernel), if any. */
  readonly kernel?: string;
  /** Subscribes to the guest console's output; returns the unsubscribe. */
  readonly console?: (listener: (bytes: Uint8Array) => void) => () => void;
}

/** An attached session's hold on its machine, let go when the client goes. */
interface Attachment {
  readonly listener: (reason: StopReason) => void;
  readonly unsubscribe?: () => void;
}

export class LanternDebugSession extends LoggingDebugSession {
  private opened: OpenMachine | undefined;
  private target: MachineDebugTarget | undefined;
  private symbols: SymbolTable | undefined;
  /** The kernel's and the user programs' DWARF (`symbols`), told apart by the code at the pc. */
  private programSet = new ProgramSet(undefined, []);
  /** Each hart's frames at the current stop (unwound on demand). */
  private frameCache = new Map<number, HartFrame[]>();
  /** A line step in progress takes the stops of its single steps. */
  private internalStop: ((reason: StopReason) => void) | undefined;
  private scopes = new Handles<VariableScope>();
  /** Each stop numbers its variable references afresh, above every earlier stop's. */
  private nextHandleBase = 1000;
  private stopOnEntry = false;
  private configured = false;
  private intent: Intent = { kind: 'run' };
  /** Breakpoints by kind of request (set at launch). */
  private breakpoints: Breakpoints | undefined;
  private exceptionFilters = new Set<string>();
  private outputBuffer: number[] = [];
  private outputScheduled = false;
  private uart: 'debugConsole' | 'terminal' = 'debugConsole';
  /** The launch's `history`: false turns recording, and so stepping back, off. */
  private history = true;
  private attachment: Attachment | undefined;

  /** `attachable`: the machine `attach` debugs (a launch is then refused); none: launches only. */
  constructor(private readonly attachable?: AttachableMachine) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsInstructionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsSetVariable: true,
      supportsSetExpression: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: true,
      supportsExceptionInfoRequest: true,
      supportsLoadedSourcesRequest: true,
      supportsConditionalBreakpoints: true,
      supportsRestartRequest: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      // The launch may turn history off (or the machine may record none): a capabilities event then withdraws it.
      supportsStepBack: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, launch: LaunchArguments | undefined): void {
    const args = launch ?? {};
    if (this.attachable) {
      this.sendErrorResponse(response, { id: 13, format: 'this endpoint debugs a running VM: use attach', showUser: true });
      return;
    }
    let kernel: string | undefined;
    try {
      const options = launchOptions(args);
      kernel = options.kernel;
      this.opened = machineFromOptions(options, {
        console: { write: (byte) => this.guestOutput(byte) },
        cwd: args.cwd ?? process.cwd(),
      });
    } catch (error) {
      if (error instanceof UsageError || error instanceof LoadError) {
        this.sendErrorResponse(response, { id: 1, format: `lantern: ${error.message}`, showUser: true });
        return;
      }
      throw error;
    }
    const machine = this.opened.machine;
    // Named snapshots live in the launch's folder (as they live in the CLI's working directory).
    // History: absent leaves the target's default; true insists (disks keep writes in an overlay).
    const history = args.history === undefined ? {} : { history: args.history ? {} : false as const };
    const target = new MachineDebugTarget(machine, snapshotDir(process.env, args.cwd ?? process.cwd()), history);
    target.monitor = createMonitor(target.monitorHost());
    this.useTarget(target, kernel, args, (reason) => this.stopped(reason));
    // A hostfwd= that cannot be bound is told on the console; the machine runs without it.
    machine.networksReady().catch((error: unknown) => this.sendEvent(new OutputEvent(`lantern: ${error instanceof Error ? error.message : String(error)}\n`, 'stderr')));
    machine.run().then(
      () => undefined,
      (error: unknown) => this.sendEvent(new OutputEvent(`lantern: ${error instanceof Error ? error.message : String(error)}\n`, 'stderr')),
    );
    this.sendResponse(response);
    if (!this.reversible) this.sendEvent(new CapabilitiesEvent({ supportsStepBack: false }));
    this.sendEvent(new InitializedEvent());
  }

  /** Debugs the machine given at construction as it is (running or stopped); it runs on when the client goes. */
  protected override attachRequest(response: DebugProtocol.AttachResponse, attach: AttachArguments | undefined): void {
    const attachable = this.attachable;
    const refusal = !attachable ? 'nothing to attach to: this adapter launches machines (use launch)'
      : this.target ? 'already attached' : attachable.target.lastStop?.kind === 'exited' ? 'the machine has ended' : undefined;
    if (!attachable || refusal !== undefined) {
      this.sendErrorResponse(response, { id: 13, format: refusal!, showUser: true });
      return;
    }
    const listener = (reason: StopReason) => this.stopped(reason);
    const unsubscribe = attachable.console?.((bytes) => { for (const byte of bytes) this.guestOutput(byte); });
    this.attachment = { listener, ...(unsubscribe ? { unsubscribe } : {}) };
    this.useTarget(attachable.target, attachable.kernel, attach ?? {}, listener);
    this.sendResponse(response);
    if (!this.reversible) this.sendEvent(new CapabilitiesEvent({ supportsStepBack: false }));
    this.sendEvent(new InitializedEvent());
  }

  /** Takes `target` as the session's machine: its symbols and programs, console mode, stops and breakpoints. */
  private useTarget(target: MachineDebugTarget, kernel: string | undefined, args: AttachArguments, listener: (reason: StopReason) => void): void {
    this.target = target;
    this.history = args.history ?? true;
    this.symbols = target.machine.symbols;
    const cwd = args.cwd ?? process.cwd();
    const users: Program[] = [];
    for (const entry of args.symbols ?? []) {
      const offset = entry.offset === undefined ? 0n : BigInt(entry.offset);
      const program = Program.read(path.resolve(cwd, entry.file), offset);
      if (program) users.push(program);
      else this.sendEvent(new OutputEvent(`lantern: symbols ${entry.file}: no debug information read\n`, 'stderr'));
    }
    this.programSet = new ProgramSet(kernel === undefined ? undefined : Program.read(kernel), users);
    this.stopOnEntry = args.stopOnEntry ?? false;
    this.uart = args.uart === 'terminal' ? 'terminal' : 'debugConsole';
    target.onStop(listener);
    this.breakpoints = new Breakpoints(target);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured = true;
    this.sendResponse(response);
    const target = this.target;
    if (this.attachment && target) {
      // Attached: the machine goes on as it was; a stopped one is shown stopped.
      if (!target.running) this.sendStopped(new StoppedEvent('pause', this.lastHart() + 1));
      else if (this.stopOnEntry) target.pause();
      return;
    }
    if (this.stopOnEntry) this.sendEvent(new StoppedEvent('entry', 1));
    else this.resume({ kind: 'continue' }, { kind: 'run' });
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const harts = this.target?.running === false ? this.target.harts() : [];
    const count = this.target?.machine.harts.count ?? 0;
    response.body = {
      threads: Array.from({ length: count }, (_, hart) => {
        const info = harts[hart];
        const mode = info ? `, ${privilegeName(info.privilege)}${info.state === 'waiting' ? ', wfi' : ''}` : '';
        return new Thread(hart + 1, `hart ${hart}${mode}`);
      }),
    };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const hart = args.threadId - 1;
    const frames = this.framesOf(hart);
    const start = args.startFrame ?? 0;
    const count = args.levels && args.levels > 0 ? args.levels : frames.length;
    response.body = {
      stackFrames: frames.slice(start, start + count).map((frame, i) => {
        // A caller's pc is a return address: its line is the call's, one byte before.
        const lookup = start + i === 0 ? frame.pc : frame.pc - 1n;
        const program = frame.program;
        const fn = program?.functionAt(lookup);
        const where = program ? program.symbolAt(frame.pc, lookup) : symbolName(this.symbols, frame.pc, lookup);
        const name = fn?.name ?? where ?? `0x${frame.pc.toString(16)}`;
        const line = program?.lineAt(lookup);
        const stackFrame: DebugProtocol.StackFrame = line
          ? new StackFrame(hart * FRAMES_PER_HART + start + i, name, sourceOf(line.path), line.line, line.column || 1)
          : new StackFrame(hart * FRAMES_PER_HART + start + i, name);
        stackFrame.instructionPointerReference = `0x${frame.pc.toString(16)}`;
        stackFrame.presentationHint = 'normal';
        return stackFrame;
      }),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const hart = Math.floor(args.frameId / FRAMES_PER_HART);
    const frame = args.frameId % FRAMES_PER_HART;
    const groups: RegisterGroup[] = ['integer', 'float', 'csr'];
    // Locals and Arguments only where DWARF knows the function (not in assembly).
    const here = this.framesOf(hart)[frame];
    const lookup = here && (frame === 0 ? here.pc : here.pc - 1n);
    const variables = here?.program && lookup !== undefined && here.program.functionAt(lookup)
      ? [
        new Scope('Locals', this.scopes.create({ kind: 'locals', hart, frame, which: 'local' }), false),
        new Scope('Arguments', this.scopes.create({ kind: 'locals', hart, frame, which: 'parameter' }), false),
        new Scope('Globals', this.scopes.create({ kind: 'globals', hart }), true),
      ]
      : [];
    response.body = {
      scopes: [
        ...variables,
        ...groups
          .filter((group) => this.target && registersOf(this.target, group).length > 0)
          .map((group) => new Scope(GROUP_TITLES[group], this.scopes.create({ kind: 'registers', hart, group }), group !== 'integer')),
      ],
    };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const scope = this.scopes.get(args.variablesReference);
    response.body = { variables: scope ? this.variablesOf(target, scope) : [] };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const found = this.scopes.get(args.variablesReference);
    if (found && found.kind !== 'registers') {
      this.setSourceVariable(response, found, args);
      return;
    }
    const scope = found?.kind === 'registers' ? found : undefined;
    const register = scope && registersOf(target, scope.group).find((r) => r.name === args.name);
    const value = register && parseValue(args.value, register.bits);
    if (!scope || !register || value === undefined || !target.writeRegister(scope.hart, register.number, value)) {
      this.sendErrorResponse(response, { id: 2, format: `cannot set ${args.name} to '${args.value}'`, showUser: true });
      return;
    }
    const [variable] = registerVariables(target, scope.hart, scope.group).filter((v) => v.name === args.name);
    response.body = { value: variable.value };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const hart = args.frameId === undefined ? this.lastHart() : Math.floor(args.frameId / FRAMES_PER_HART);
    if (/^(-exec )?monitor /.test(args.expression)) {
      const line = args.expression.replace(/^(-exec )?monitor /, '');
      void target.monitor?.command(line, hart).then((result) => {
        response.body = { result: result.output.trimEnd(), variablesReference: 0 };
        this.sendResponse(response);
      });
      return;
    }
    const frame = args.frameId === undefined ? 0 : args.frameId % FRAMES_PER_HART;
    const context = this.contextFor(hart, frame);
    try {
      if (!context) {
        const value = this.evaluate(args.expression, hart);
        response.body = { result: `0x${value.toString(16)} (${value})`, variablesReference: 0, memoryReference: `0x${value.toString(16)}` };
      } else {
        const value = evaluateForDisplay(args.expression, context, { allowAssignment: args.context === 'repl' });
        if (args.context === 'repl') this.frameCache.clear();
        response.body = {
          result: value.value,
          type: value.type,
          variablesReference: value.children ? this.scopes.create({ kind: 'children', children: value.children, hart, frame, parent: args.expression }) : 0,
          ...(value.address !== undefined ? { memoryReference: `0x${value.address.toString(16)}` } : {}),
        };
      }
      this.sendResponse(response);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.sendErrorResponse(response, { id: 3, format: isExpressionError(error) ? `cannot evaluate '${args.expression}': ${message}` : message, showUser: false });
    }
  }

  protected override setExpressionRequest(response: DebugProtocol.SetExpressionResponse, args: DebugProtocol.SetExpressionArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const hart = args.frameId === undefined ? this.lastHart() : Math.floor(args.frameId / FRAMES_PER_HART);
    const context = this.contextFor(hart, args.frameId === undefined ? 0 : args.frameId % FRAMES_PER_HART);
    try {
      if (!context) throw new Error('no debug information here');
      const value = assign(args.expression, args.value, context);
      this.frameCache.clear();
      response.body = { value: value.value, type: value.type };
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: 10, format: `cannot set ${args.expression}: ${error instanceof Error ? error.message : String(error)}`, showUser: true });
    }
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints?.setFunctions(args.breakpoints, this.symbols) ?? [] };
    this.sendResponse(response);
  }


  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints?.setInstructions(args.breakpoints) ?? [] };
    this.sendResponse(response);
  }


  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const requests = args.breakpoints ?? [];
    response.body = {
      breakpoints: this.breakpoints?.setSource(args.source.path ?? '', requests, this.programSet)
        ?? requests.map(() => new Breakpoint(false)),
    };
    this.sendResponse(response);
  }


  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    const files = [...new Set(this.programSet.all().flatMap((program) => program.sources()))];
    response.body = { sources: files.map(sourceOf) };
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    // A global by name (its ELF symbol and size), or an address expression.
    const symbol = args.variablesReference === undefined ? this.symbols?.lookup(args.name) : undefined;
    const accessTypes: DebugProtocol.DataBreakpointAccessType[] = ['write', 'read', 'readWrite'];
    if (symbol && symbol.size > 0n) {
      response.body = { dataId: `0x${symbol.value.toString(16)}/${symbol.size}`, description: `${args.name} (${symbol.size} bytes)`, accessTypes };
    } else {
      const addr = parseValue(args.name, 64);
      response.body = addr === undefined
        ? { dataId: null, description: `${args.name}: not a global or an address` }
        : { dataId: `0x${addr.toString(16)}/${this.target ? this.target.xlen / 8 : 8}`, description: `${args.name}`, accessTypes };
    }
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints?.setData(args.breakpoints) ?? [] };
    this.sendResponse(response);
  }


  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.exceptionFilters = new Set(args.filters);
    const target = this.target;
    if (target) {
      const kinds = { trap: 'trap', exception: 'exception', interrupt: 'interrupt', 'ecall-u': 'ecall', pagefault: 'pagefault' } as const;
      const wanted = new Set([...this.exceptionFilters].map((filter) => kinds[filter as keyof typeof kinds]).filter(Boolean));
      for (const kind of Object.values(kinds)) target.setCatch(kind, wanted.has(kind));
    }
    response.body = { breakpoints: args.filters.map(() => new Breakpoint(true)) };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.target?.lastStop;
    const cause = stop?.kind === 'trap' ? stop.cause : undefined;
    response.body = {
      exceptionId: cause === undefined ? 'none' : `cause ${cause & 0xffn}`,
      description: cause === undefined ? 'no trap' : describeCause(cause, this.target!.xlen),
      breakMode: 'always',
    };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.resume({ kind: 'continue' }, { kind: 'run' });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.sendResponse(response);
    const hart = args.threadId - 1;
    if (args.granularity !== 'instruction' && this.lineAtHart(hart)) void this.stepLine(hart, 'in', args.singleThread ?? false);
    else this.resume({ kind: 'step', hart, others: args.singleThread ? 'hold' : 'run' }, { kind: 'step' });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.sendResponse(response);
    const target = this.target;
    const hart = args.threadId - 1;
    if (args.granularity !== 'instruction' && this.lineAtHart(hart)) {
      void this.stepLine(hart, 'over', args.singleThread ?? false);
      return;
    }
    const call = target && !target.running ? callReturnAddress(this.target!, hart) : undefined;
    // Over a call: run to the instruction after it; anything else is one step.
    if (call !== undefined) this.runTo(hart, call);
    else this.resume({ kind: 'step', hart, others: args.singleThread ? 'hold' : 'run' }, { kind: 'step' });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.sendResponse(response);
    const target = this.target;
    const hart = args.threadId - 1;
    const frames = target && !target.running ? this.framesOf(hart) : [];
    if (frames.length > 1) this.runTo(hart, frames[1].pc);
    else this.resume({ kind: 'step', hart, others: 'run' }, { kind: 'step' });
  }

  /** Back one instruction of the thread's hart, or to the start of the previous source line (the mirror of next). */
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    if (!this.reversibleTarget(response)) return;
    this.sendResponse(response);
    const hart = args.threadId - 1;
    if (args.granularity !== 'instruction' && this.lineAtHart(hart)) void this.stepBackLine(hart);
    else this.resume({ kind: 'step', hart, others: 'hold', reverse: true }, { kind: 'step', reverse: true });
  }

  /** Back to the latest earlier breakpoint hit or watched access, or to the start of history. */
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (!this.reversibleTarget(response)) return;
    this.sendResponse(response);
    this.resume({ kind: 'continue', reverse: true }, { kind: 'run', reverse: true });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    this.target?.pause();
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const base = parseValue(args.memoryReference, 64);
    const count = Math.max(0, Math.min(args.count, 1 << 20));
    if (base === undefined) {
      this.sendErrorResponse(response, { id: 4, format: `bad memory reference ${args.memoryReference}`, showUser: false });
      return;
    }
    const addr = BigInt.asUintN(target.xlen, base + BigInt(args.offset ?? 0));
    const data = target.readMemory(this.lastHart(), addr, count, target.addressSpace);
    response.body = {
      address: `0x${addr.toString(16)}`,
      data: Buffer.from(data).toString('base64'),
      unreadableBytes: count - data.length,
    };
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const base = parseValue(args.memoryReference, 64);
    const data = Buffer.from(args.data, 'base64');
    const addr = base === undefined ? undefined : BigInt.asUintN(target.xlen, base + BigInt(args.offset ?? 0));
    if (addr === undefined || !target.writeMemory(this.lastHart(), addr, data, target.addressSpace)) {
      this.sendErrorResponse(response, { id: 5, format: `cannot write ${data.length} bytes at ${args.memoryReference}`, showUser: true });
      return;
    }
    response.body = { bytesWritten: data.length };
    this.sendResponse(response);
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const target = this.stoppedTarget(response);
    if (!target) return;
    const base = parseValue(args.memoryReference, 64) ?? 0n;
    const instructions = disassembleAt(target, this.lastHart(), this.symbols, args, base);
    response.body = { instructions };
    this.sendResponse(response);
  }

  /** Restart: the board's reset (harts, devices, firmware and kernel as at power-on); breakpoints stay. */
  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    const target = this.target;
    if (!target || target.lastStop?.kind === 'exited') {
      this.sendErrorResponse(response, { id: 9, format: 'nothing to restart: the machine has ended', showUser: true });
      return;
    }
    const reset = () => {
      target.machine.systemReset();
      this.frameCache.clear();
      this.sendResponse(response);
      if (this.stopOnEntry) this.sendEvent(new StoppedEvent('entry', 1));
      else this.resume({ kind: 'continue' }, { kind: 'run' });
    };
    if (target.running) {
      this.internalStop = () => reset();
      target.pause();
    } else {
      reset();
    }
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.target?.kill();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments | undefined): void {
    if (this.attachment && args?.terminateDebuggee) this.target?.kill();
    this.end();
    this.sendResponse(response);
  }

  /** Ends the machine (if it still runs) and closes its disks: the client went away. An attached
   * machine is let go instead, as gdb's detach does: no breakpoints, watchpoints or catches left, running. */
  end(): void {
    const attachment = this.attachment;
    const target = this.target;
    if (attachment && target) {
      this.attachment = undefined;
      this.target = undefined;
      attachment.unsubscribe?.();
      target.offStop(attachment.listener);
      target.clearDebugState();
      for (const kind of [...target.catching]) target.setCatch(kind, false);
      if (!target.running && target.lastStop?.kind !== 'exited') target.resume({ kind: 'continue' });
      return;
    }
    if (this.attachable) return;
    this.target?.kill();
    for (const file of this.opened?.files ?? []) file.close();
    this.opened = undefined;
  }

  /**
   * Lantern's own requests: `lanternInput` {text} types into the guest's console;
   * `lanternMonitor` {command, threadId?} runs a monitor command (`info mem`, `pt ADDR`,
   * `trap`, `csr`, ...) for a hart and answers {output}.
   */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const body = (args ?? {}) as { text?: unknown; command?: unknown; threadId?: unknown };
    const target = this.target;
    if (command === 'lanternInput' && typeof body.text === 'string' && target) {
      target.machine.sendInput(Buffer.from(body.text, 'utf8'));
      this.sendResponse(response);
      return;
    }
    if (command === 'lanternSymbols') {
      const pin = (args as { pin?: unknown } | undefined)?.pin;
      if (typeof pin === 'string' && !this.programSet.pin(pin)) {
        this.sendErrorResponse(response, { id: 11, format: `no user program ${pin} among the symbols`, showUser: true });
        return;
      }
      response.body = {
        programs: this.programSet.all().map((program) => ({ name: program.name, file: program.file, offset: `0x${program.offset.toString(16)}`, kernel: program === this.programSet.kernel })),
        pinned: this.programSet.pinned?.name,
      };
      this.sendResponse(response);
      return;
    }
    if (command === 'lanternMonitor' && typeof body.command === 'string' && target?.monitor) {
      const hart = typeof body.threadId === 'number' && Number.isInteger(body.threadId) ? body.threadId - 1 : this.lastHart();
      const command = body.command;
      target.monitor.command(command, hart).then((result) => {
        response.body = { output: result.output };
        this.sendResponse(response);
        // A restore or reset changed a stopped machine under the client: show it afresh.
        if (/^\s*(loadvm|system_reset)\b/.test(command) && !target.running && target.lastStop?.kind !== 'exited') {
          this.frameCache.clear();
          this.freshHandles();
          // The hart that was stopped when the snapshot was taken is the active one again.
          const event = new StoppedEvent(/loadvm/.test(command) ? 'restore' : 'reset', target.machine.harts.active + 1) as DebugProtocol.StoppedEvent;
          event.body.allThreadsStopped = true;
          this.sendEvent(event);
        }
      }, (error: unknown) => this.sendErrorResponse(response, { id: 7, format: String(error), showUser: false }));
      return;
    }
    this.sendErrorResponse(response, { id: 8, format: `unknown request ${command} or bad arguments`, showUser: false });
  }

  // --- internals ---

  private stoppedTarget(response: DebugProtocol.Response): MachineDebugTarget | undefined {
    const target = this.target;
    if (!target || target.running || target.lastStop?.kind === 'exited') {
      this.sendErrorResponse(response, { id: 6, format: target ? 'the machine is running' : 'nothing launched', showUser: false });
      return undefined;
    }
    return target;
  }

  /** True when the machine records history (the launch left it on), so it can run backwards. */
  private get reversible(): boolean {
    return this.history && (this.target?.canReverse ?? false);
  }

  /** The stopped target, if it can run backwards; else an error answers the request. */
  private reversibleTarget(response: DebugProtocol.Response): MachineDebugTarget | undefined {
    const target = this.stoppedTarget(response);
    if (target && !this.reversible) {
      const why = this.history ? 'this machine records no history' : 'the launch turned history off ("history": false)';
      this.sendErrorResponse(response, { id: 12, format: `cannot run backwards: ${why}`, showUser: true });
      return undefined;
    }
    return target;
  }

  private lastHart(): number {
    const stop = this.target?.lastStop;
    return stop && stop.kind !== 'exited' ? stop.hart : 0;
  }

  private resume(action: ResumeAction, intent: Intent): void {
    const target = this.target;
    if (!target || target.running || target.lastStop?.kind === 'exited') return;
    this.intent = intent;
    this.frameCache.clear();
    this.freshHandles();
    target.resume(action);
  }

  /** Runs every hart until `hart` reaches `addr` (a temporary breakpoint) or something else stops them. */
  private runTo(hart: number, addr: bigint): void {
    if (!this.addTemporary(addr)) {
      this.resume({ kind: 'step', hart, others: 'run' }, { kind: 'step' });
      return;
    }
    this.resume({ kind: 'continue' }, { kind: 'return', temporary: addr });
  }

  /** Runs on after a stop that is not to be shown, in the direction the machine was going. */
  private goOn(intent: Intent): void {
    if (intent.kind !== 'return' && intent.reverse) this.resume({ kind: 'continue', reverse: true }, { kind: 'run', reverse: true });
    else this.resume({ kind: 'continue' }, { kind: 'run' });
  }

  /** A breakpoint hit with a rule: false when the machine went on (the rule said so). */
  private ruleSaysStop(pc: bigint, hart: number, intent: Intent): boolean {
    const rule = this.breakpoints?.ruleAt(pc);
    if (!rule) return true;
    const context = this.contextFor(hart, 0);
    const outcome = decideHit(rule, (expression, purpose) => {
      if (!context) return this.evaluate(expression, hart);
      return purpose === 'condition' ? (conditionHolds(expression, context) ? 1n : 0n) : evaluateForDisplay(expression, context).value;
    });
    switch (outcome.kind) {
      case 'stop':
        return true;
      case 'error':
        this.sendEvent(new OutputEvent(`lantern: ${outcome.message}\n`, 'stderr'));
        return true;
      case 'log':
        this.flushOutput();
        this.sendEvent(new OutputEvent(`${outcome.text}\n`, 'console'));
        break;
      case 'continue':
        break;
    }
    this.goOn(intent);
    return false;
  }

  /** A breakpoint the session sets for itself (the end of a step over a call); one a request
   * already holds there is shared, never removed with it. */
  private addTemporary(addr: bigint): boolean {
    return this.breakpoints?.holds(addr) || (this.target?.addBreakpoint(addr, 'software') ?? false);
  }

  private removeTemporary(addr: bigint): void {
    if (!this.breakpoints?.holds(addr)) this.target?.removeBreakpoint(addr, 'software');
  }

  /** New variable references for a new stop: a client never meets a stale one again. */
  private freshHandles(): void {
    // DAP references stay below 2^31: wrap long before (a thousand stops apart is fresh enough).
    this.nextHandleBase = this.nextHandleBase + 1_000_000 >= 2 ** 30 ? 1000 : this.nextHandleBase + 1_000_000;
    this.scopes = new Handles<VariableScope>(this.nextHandleBase);
  }

  /** The expression context of a hart's frame, or undefined where no program has DWARF. */
  private contextFor(hart: number, frame: number): EvaluationContext | undefined {
    const frames = this.framesOf(hart);
    const program = frames[frame]?.program ?? (frame === 0 ? this.programSet.runningOn(this.target!, hart) : undefined);
    if (!program) return undefined;
    return targetContext({
      target: this.target!, hart, info: program.info, frame: frames[frame]?.frame, innermost: frame === 0,
      symbols: program.symbols, loadOffset: program.offset,
    });
  }

  /** setVariable on a local, argument, global or one of their members: C assignment. */
  private setSourceVariable(response: DebugProtocol.SetVariableResponse, scope: Exclude<VariableScope, { kind: 'registers' }>, args: DebugProtocol.SetVariableArguments): void {
    const hart = scope.hart;
    const frame = scope.kind === 'globals' ? 0 : scope.frame;
    const expression = scope.kind === 'children' ? (scope.parent === undefined ? undefined : childExpression(scope.parent, args.name)) : args.name;
    const context = this.contextFor(hart, frame);
    try {
      if (!context || expression === undefined) throw new Error('this value has no expression to assign to');
      const value = assign(expression, args.value, context);
      this.frameCache.clear();
      response.body = { value: value.value, type: value.type };
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: 2, format: `cannot set ${args.name}: ${error instanceof Error ? error.message : String(error)}`, showUser: true });
    }
  }

  /** The frames of a stopped hart (CFI with the DWARF, else the frame-pointer chain). */
  private framesOf(hart: number): HartFrame[] {
    const target = this.target!;
    let frames = this.frameCache.get(hart);
    if (!frames) {
      const program = this.programSet.runningOn(this.target!, hart);
      frames = program
        ? program.backtrace(target, hart).map((frame) => ({ pc: frame.pc + program.offset, frame, program }))
        : unwind(target, hart, this.symbols);
      this.frameCache.set(hart, frames);
    }
    return frames;
  }

  private variablesOf(target: MachineDebugTarget, scope: VariableScope): DebugProtocol.Variable[] {
    switch (scope.kind) {
      case 'registers':
        return registerVariables(target, scope.hart, scope.group);
      case 'children':
        return scope.children().map((child) => this.variableOf(child.name, child.value, scope.hart, scope.frame,
          scope.parent === undefined ? undefined : childExpression(scope.parent, child.name)));
      case 'globals': {
        const program = this.framesOf(scope.hart)[0]?.program ?? this.programSet.kernel;
        if (!program) return [];
        const memory = Program.memoryOf(target, scope.hart);
        return program.info.globals()
          .filter((global, i, all) => all.findIndex((other) => other.name === global.name) === i)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((global) => this.variableOf(global.name, program.info.readGlobal(global, memory).value, scope.hart, 0, global.name));
      }
      case 'locals': {
        const frames = this.framesOf(scope.hart);
        const frame = frames[scope.frame]?.frame;
        const program = frames[scope.frame]?.program;
        if (!frame || !program) return [];
        const innermost = scope.frame === 0;
        const pc = innermost ? frame.pc : frame.pc - 1n;
        const memory = Program.memoryOf(target, scope.hart);
        return program.info.scopesAt(pc)
          .filter((variable) => variable.kind === scope.which)
          .map((variable) => this.variableOf(variable.name, program.info.readVariable(variable, frame, memory, innermost).value, scope.hart, scope.frame, variable.name));
      }
    }
  }

  private variableOf(name: string, value: DisplayValue, hart: number, frame: number, expression: string | undefined): DebugProtocol.Variable {
    const children = value.children;
    return {
      name,
      value: value.value,
      type: value.type,
      ...(expression !== undefined ? { evaluateName: expression } : {}),
      variablesReference: children ? this.scopes.create({ kind: 'children', children, hart, frame, parent: expression }) : 0,
      ...(value.address !== undefined ? { memoryReference: `0x${value.address.toString(16)}` } : {}),
    };
  }

  private lineAtHart(hart: number): boolean {
    const target = this.target;
    if (!target || target.running) return false;
    return this.programSet.runningOn(this.target!, hart)?.lineAt(target.readRegister(hart, REG_PC)!) !== undefined;
  }

  /** Resumes as `action` says and waits for the stop, without reporting it. */
  private stepInternally(action: ResumeAction): Promise<StopReason> {
    return new Promise((resolve, reject) => {
      this.internalStop = resolve;
      this.frameCache.clear();
      this.freshHandles();
      try {
        this.target!.resume(action);
      } catch (error) {
        this.internalStop = undefined;
        reject(error);
      }
    });
  }

  /**
   * Steps `hart` by source line: 'in' stops at the first instruction of another line (in this
   * function or one it calls); 'over' runs calls to their return. A stop of any other kind
   * (a breakpoint, a watch, a trap, the end) ends the step and is reported as itself.
   */
  private async stepLine(hart: number, mode: 'in' | 'over', singleThread: boolean): Promise<void> {
    const target = this.target!;
    const program = this.programSet.runningOn(this.target!, hart)!;
    const others = singleThread ? 'hold' : 'run';
    const startPc = target.readRegister(hart, REG_PC)!;
    const start = program.lineAt(startPc)!;
    const startFunction = program.functionAt(startPc);
    const startSp = target.readRegister(hart, 2)!;
    let reason: StopReason = { kind: 'step', hart };
    for (let steps = 0; steps < LINE_STEP_LIMIT; steps++) {
      const call = mode === 'over' ? callReturnAddress(this.target!, hart) : undefined;
      if (call !== undefined && this.addTemporary(call)) {
        // Run the call to its return (on this hart, at this stack depth or above; another hart
        // passing there stops only for a breakpoint of the client's).
        do {
          reason = await this.stepInternally({ kind: 'continue' });
        } while (reason.kind === 'breakpoint' && target.readRegister(reason.hart, REG_PC) === call
          && (reason.hart === hart ? target.readRegister(hart, 2)! < startSp : !this.breakpoints?.userAt(call)));
        this.removeTemporary(call);
        if (!(reason.kind === 'breakpoint' && reason.hart === hart && target.readRegister(hart, REG_PC) === call)) break;
        reason = { kind: 'step', hart };
      } else {
        reason = await this.stepInternally({ kind: 'step', hart, others });
        if (reason.kind !== 'step' || reason.hart !== hart) break;
      }
      const pc = target.readRegister(hart, REG_PC)!;
      // Into another program (a trap to the kernel, a return to user mode): its lines count.
      const now = this.programSet.runningOn(this.target!, hart) ?? program;
      const row = now.rowAt(pc);
      if (!row) continue; // no line information here: keep going until there is
      const atRowStart = row.starts;
      const fn = now.functionAt(pc);
      const sameLine = row.line.path === start.path && row.line.line === start.line && fn === startFunction;
      if (atRowStart && !sameLine) break;
      // Back in a caller (the function returned): stop at the next line start there.
      if (fn !== startFunction && mode === 'over' && target.readRegister(hart, 2)! > startSp && atRowStart) break;
    }
    this.reportStop(reason);
  }

  /** Steps `hart` back by source line (reverse-step.ts) and reports where it ended. */
  private async stepBackLine(hart: number): Promise<void> {
    const host: ReverseStepHost = {
      target: this.target!,
      programOn: (which) => this.programSet.runningOn(this.target!, which),
      run: (action) => this.stepInternally(action),
      addTemporary: (addr) => this.addTemporary(addr),
      removeTemporary: (addr) => this.removeTemporary(addr),
      userBreakpointAt: (addr) => this.breakpoints?.userAt(addr) ?? false,
    };
    let reason: StopReason;
    try {
      reason = await stepBackLine(host, hart);
    } catch (error) {
      // The target refused a move: the machine stands where the step left it.
      this.sendEvent(new OutputEvent(`lantern: step back: ${error instanceof Error ? error.message : String(error)}\n`, 'stderr'));
      reason = { kind: 'step', hart };
    }
    this.reportStop(reason, true);
  }

  /** Reports a stop the session caused itself (after a line step, forwards or back). */
  private reportStop(reason: StopReason, reverse = false): void {
    this.intent = { kind: 'step', reverse };
    this.stopped(reason);
  }

  /**
   * A watched access found running backwards stops right after the accessing instruction: one
   * step back shows the instruction, and the line, that made it.
   */
  private async stopBeforeAccess(reason: Extract<StopReason, { kind: 'watchpoint' }>): Promise<void> {
    const back = await this.stepInternally({ kind: 'step', hart: reason.hart, others: 'hold', reverse: true }).catch((): StopReason => reason);
    if (back.kind === 'exited') {
      this.stopped(back);
      return;
    }
    this.sendStopped(new StoppedEvent('data breakpoint', reason.hart + 1, `${reason.watch} at 0x${reason.addr.toString(16)}`));
  }

  private evaluate(expression: string, hart: number): bigint {
    const target = this.target!;
    const byName = new Map(target.registers.map((register) => [register.name, register.number]));
    byName.set('fp', 8);
    const symbol = this.symbols?.lookup(expression.trim());
    if (symbol) return symbol.value;
    try {
      return evaluateExpression(expression, (name) => {
        const number = byName.get(name);
        return number === undefined ? undefined : target.readRegister(hart, number);
      });
    } catch (error) {
      if (error instanceof ExpressionError) throw new Error(`cannot evaluate '${expression}': ${error.message}`);
      throw error;
    }
  }

  private stopped(reason: StopReason): void {
    const internal = this.internalStop;
    if (internal) {
      this.internalStop = undefined;
      internal(reason);
      return;
    }
    const intent = this.intent;
    this.intent = { kind: 'run' };
    if (intent.kind === 'return') this.removeTemporary(intent.temporary);
    if (reason.kind === 'exited') {
      this.flushOutput();
      this.sendEvent(new ExitedEvent(reason.code));
      this.sendEvent(new TerminatedEvent());
      return;
    }
    const threadId = reason.hart + 1;
    let event: StoppedEvent;
    switch (reason.kind) {
      case 'breakpoint': {
        const pc = this.target!.readRegister(reason.hart, REG_PC)!;
        // A user program's source breakpoint fires only while that program runs.
        const owner = this.breakpoints?.ownerAt(pc);
        if (owner && intent.kind !== 'return' && this.programSet.runningOn(this.target!, reason.hart) !== owner) {
          this.goOn(intent);
          return;
        }
        if (intent.kind === 'return' && pc === intent.temporary) event = new StoppedEvent('step', threadId);
        else if (!this.ruleSaysStop(pc, reason.hart, intent)) return;
        else event = new StoppedEvent(this.breakpoints?.reasonAt(pc) ?? 'breakpoint', threadId);
        break;
      }
      case 'watchpoint':
        if (intent.kind !== 'return' && intent.reverse) {
          void this.stopBeforeAccess(reason);
          return;
        }
        event = new StoppedEvent('data breakpoint', threadId, `${reason.watch} at 0x${reason.addr.toString(16)}`);
        break;
      case 'step':
        event = new StoppedEvent('step', threadId);
        break;
      case 'paused':
        event = new StoppedEvent('pause', threadId);
        break;
      case 'trap':
        // "ecall from U-mode" catches every ecall; the others go on at once.
        if (this.exceptionFilters.size === 1 && this.exceptionFilters.has('ecall-u') && reason.cause !== CAUSE_ECALL_U) {
          this.goOn(intent);
          return;
        }
        event = new StoppedEvent('exception', threadId, describeCause(reason.cause, this.target!.xlen));
        (event as DebugProtocol.StoppedEvent).body.description = describeCause(reason.cause, this.target!.xlen);
        break;
      case 'history-start':
        event = new StoppedEvent('step', threadId, HISTORY_START);
        (event as DebugProtocol.StoppedEvent).body.description = HISTORY_START;
        break;
    }
    this.sendStopped(event);
  }

  /** Sends a stop (all harts stop together), after the guest output that came before it. */
  private sendStopped(event: StoppedEvent): void {
    (event as DebugProtocol.StoppedEvent).body.allThreadsStopped = true;
    this.flushOutput();
    this.sendEvent(event);
  }

  private guestOutput(byte: number): void {
    this.outputBuffer.push(byte);
    if (this.outputScheduled) return;
    this.outputScheduled = true;
    setImmediate(() => this.flushOutput());
  }

  private flushOutput(): void {
    this.outputScheduled = false;
    if (this.outputBuffer.length === 0) return;
    const bytes = Buffer.from(this.outputBuffer);
    this.outputBuffer = [];
    if (this.uart === 'terminal') this.sendEvent(new Event('lanternUart', { data: bytes.toString('base64') }));
    else this.sendEvent(new OutputEvent(bytes.toString('utf8'), 'stdout'));
  }

  /** True once configurationDone came (the launch's breakpoints are in). */
  get ready(): boolean {
    return this.configured;
  }
}
