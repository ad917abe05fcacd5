// The DAP bridge's breakpoints by kind (source lines, functions, instructions, data), each
// request replacing only its own kind, with their rules (conditions, hit counts, log
// messages) and the user program a source breakpoint belongs to.
import { Breakpoint, Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget, WatchKind } from '../debug/target';
import type { SymbolTable } from '../machine/elf';
import type { BreakpointRule } from './conditions';
import type { Program, ProgramSet } from './program';
import { parseValue } from './registers';

type RuleRequest = { condition?: string; hitCondition?: string; logMessage?: string };

const WATCH_KINDS: Record<DebugProtocol.DataBreakpointAccessType, WatchKind> = { write: 'write', read: 'read', readWrite: 'access' };

function unverified(message: string, line?: number): DebugProtocol.Breakpoint {
  const breakpoint: DebugProtocol.Breakpoint = new Breakpoint(false, line);
  breakpoint.message = message;
  return breakpoint;
}

export function sourceOf(file: string): Source {
  return new Source(file.split(/[\\/]/).pop()!, file);
}

export class Breakpoints {
  private functions: bigint[] = [];
  private instructions: bigint[] = [];
  private readonly sources = new Map<string, bigint[]>();
  private data: { addr: bigint; length: number; kind: WatchKind }[] = [];
  /** Conditions, hit counts and log messages by address. */
  private readonly rules = new Map<bigint, BreakpointRule>();
  /** The user program each source breakpoint address belongs to: it fires only while that one runs. */
  private readonly owners = new Map<bigint, Program>();

  constructor(private readonly target: DebugTarget) {}

  setFunctions(requests: DebugProtocol.FunctionBreakpoint[], symbols: SymbolTable | undefined): DebugProtocol.Breakpoint[] {
    const old = this.functions;
    this.functions = [];
    for (const addr of old) this.release(addr);
    return requests.map((request) => {
      const symbol = symbols?.lookup(request.name);
      if (!symbol) return unverified(`no function ${request.name}`);
      if (!this.target.addBreakpoint(symbol.value, 'software')) return unverified('too many breakpoints');
      this.functions.push(symbol.value);
      this.setRule(symbol.value, request);
      const breakpoint: DebugProtocol.Breakpoint = new Breakpoint(true);
      breakpoint.instructionReference = `0x${symbol.value.toString(16)}`;
      return breakpoint;
    });
  }

  setInstructions(requests: DebugProtocol.InstructionBreakpoint[]): DebugProtocol.Breakpoint[] {
    for (const addr of this.instructions) this.target.removeBreakpoint(addr, 'hardware');
    this.instructions = [];
    return requests.map((request) => {
      const base = parseValue(request.instructionReference, 64);
      if (base === undefined) return unverified(`bad address ${request.instructionReference}`);
      const addr = BigInt.asUintN(64, base + BigInt(request.offset ?? 0));
      if (!this.target.addBreakpoint(addr, 'hardware')) return unverified('too many breakpoints');
      this.instructions.push(addr);
      const breakpoint: DebugProtocol.Breakpoint = new Breakpoint(true);
      breakpoint.instructionReference = `0x${addr.toString(16)}`;
      return breakpoint;
    });
  }

  /** A file's source breakpoints, placed in every program that has the line (kernel and users). */
  setSource(file: string, requests: DebugProtocol.SourceBreakpoint[], programs: ProgramSet): DebugProtocol.Breakpoint[] {
    const old = this.sources.get(file) ?? [];
    this.sources.delete(file);
    for (const addr of old) this.release(addr);
    const set: bigint[] = [];
    const result = requests.map((request) => {
      const placed = programs.all()
        .map((program) => ({ program, found: program.breakpointAddresses(file, request.line) }))
        .filter((entry) => entry.found && entry.found.addresses.length > 0);
      if (placed.length === 0) {
        return unverified(programs.all().length > 0 ? 'no code at or after this line' : 'the kernel has no line information (build it with -g)', request.line);
      }
      const added: bigint[] = [];
      for (const { program, found } of placed) {
        for (const addr of found!.addresses) {
          if (!this.target.addBreakpoint(addr, 'software')) continue;
          added.push(addr);
          this.setRule(addr, request);
          if (program !== programs.kernel) this.owners.set(addr, program);
        }
      }
      set.push(...added);
      const breakpoint: DebugProtocol.Breakpoint = new Breakpoint(added.length > 0, placed[0].found!.line, undefined, sourceOf(file));
      if (added.length > 0) breakpoint.instructionReference = `0x${added[0].toString(16)}`;
      else breakpoint.message = 'too many breakpoints';
      return breakpoint;
    });
    this.sources.set(file, set);
    return result;
  }

  /** Watchpoints from dataIds (`0xADDR/LENGTH`, as dataBreakpointInfo hands them out). */
  setData(requests: DebugProtocol.DataBreakpoint[]): DebugProtocol.Breakpoint[] {
    for (const watch of this.data) this.target.removeWatchpoint(watch.addr, watch.length, watch.kind);
    this.data = [];
    return requests.map((request) => {
      const [addrText, lengthText] = request.dataId.split('/');
      const addr = parseValue(addrText ?? '', 64);
      const length = Number(lengthText);
      const kind = WATCH_KINDS[request.accessType ?? 'write'];
      const ok = addr !== undefined && Number.isInteger(length) && this.target.addWatchpoint(addr, length, kind);
      if (ok) this.data.push({ addr, length, kind });
      return new Breakpoint(ok);
    });
  }

  /** What kind of breakpoint the one at `pc` is, for the stopped event's reason. */
  reasonAt(pc: bigint): 'function breakpoint' | 'instruction breakpoint' | 'breakpoint' {
    if (this.functions.includes(pc)) return 'function breakpoint';
    if (this.instructions.includes(pc)) return 'instruction breakpoint';
    return 'breakpoint';
  }

  /** The user program a breakpoint at `pc` belongs to, when only a source breakpoint is there. */
  ownerAt(pc: bigint): Program | undefined {
    return this.functions.includes(pc) || this.instructions.includes(pc) ? undefined : this.owners.get(pc);
  }

  ruleAt(pc: bigint): BreakpointRule | undefined {
    return this.rules.get(pc);
  }

  private setRule(addr: bigint, request: RuleRequest): void {
    if (request.condition || request.hitCondition || request.logMessage !== undefined) {
      this.rules.set(addr, { condition: request.condition, hitCondition: request.hitCondition, logMessage: request.logMessage, hits: 0 });
    }
  }

  /** True while a function or source breakpoint is at `addr` (the core's software breakpoint). */
  holds(addr: bigint): boolean {
    return this.functions.includes(addr) || [...this.sources.values()].some((addrs) => addrs.includes(addr));
  }

  /** True while any breakpoint the client asked for (source, function or instruction) is at `addr`. */
  userAt(addr: bigint): boolean {
    return this.holds(addr) || this.instructions.includes(addr);
  }

  /** Drops a software breakpoint no longer asked for, unless another request still holds it. */
  private release(addr: bigint): void {
    if (this.holds(addr)) return;
    this.target.removeBreakpoint(addr, 'software');
    this.rules.delete(addr);
    this.owners.delete(addr);
  }
}
