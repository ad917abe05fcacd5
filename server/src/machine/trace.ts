// QEMU-style `-d` logging (exec, in_asm, int) for a machine that runs one step at a time
// while tracing: the lines are written to `-D FILE` or stderr, buffered per slice.
import * as fs from 'node:fs';
import * as L from '../../core/layout';
import { disassemble } from '../debug/disassemble';
import type { Core } from './core';
import type { SymbolTable } from './elf';

export interface TraceOptions {
  /** `-d exec`: one "Trace 0: pc" line per instruction executed. */
  readonly exec: boolean;
  /** `-d in_asm`: the disassembly of guest code the first time it runs (as QEMU translates it once). */
  readonly inAsm: boolean;
  /** `-d int`: one line per trap taken (exceptions and interrupts). */
  readonly int: boolean;
  /** `-d net`: the user network's notable events (TFTP transfers, refused or reset connections);
   * not a per-step trace, so the machine keeps its full speed. */
  readonly net?: boolean;
}

export const NO_TRACE: TraceOptions = { exec: false, inAsm: false, int: false };

export function tracing(options: TraceOptions): boolean {
  return options.exec || options.inAsm || options.int;
}

/** Where log text goes. */
export interface TraceSink {
  write(text: string): void;
  /** Pushes buffered text out (called at the end of every slice). */
  flush(): void;
  /** Flushes and releases the file. */
  close(): void;
}

/** A sink writing to a file (`-D`), or to stderr when `file` is undefined. */
export function traceSink(file: string | undefined): TraceSink {
  const fd = file === undefined ? undefined : fs.openSync(file, 'w');
  let chunks: string[] = [];
  let length = 0;
  let closed = false;
  const flush = () => {
    if (chunks.length === 0) return;
    const text = chunks.join('');
    chunks = [];
    length = 0;
    if (fd === undefined) process.stderr.write(text);
    else fs.writeSync(fd, text);
  };
  return {
    write(text) {
      chunks.push(text);
      length += text.length;
      if (length >= 1 << 16) flush();
    },
    flush,
    close() {
      flush();
      if (fd !== undefined && !closed) fs.closeSync(fd);
      closed = true;
    },
  };
}

/** Reads the guest's instruction bytes at a physical address (RAM or ROM). */
export type FetchPhysical = (paddr: bigint, size: 2 | 4) => number | undefined;

// Trap names as QEMU prints them (target/riscv/cpu.c riscv_excp_names / riscv_intr_names).
const EXCEPTION_NAMES: Record<number, string> = {
  [L.CAUSE_MISALIGNED_FETCH]: 'misaligned_fetch',
  [L.CAUSE_FETCH_ACCESS]: 'fault_fetch',
  [L.CAUSE_ILLEGAL_INSTRUCTION]: 'illegal_instruction',
  [L.CAUSE_BREAKPOINT]: 'breakpoint',
  [L.CAUSE_MISALIGNED_LOAD]: 'misaligned_load',
  [L.CAUSE_LOAD_ACCESS]: 'fault_load',
  [L.CAUSE_MISALIGNED_STORE]: 'misaligned_store',
  [L.CAUSE_STORE_ACCESS]: 'fault_store',
  [L.CAUSE_ECALL_U]: 'user_ecall',
  [L.CAUSE_ECALL_S]: 'supervisor_ecall',
  [L.CAUSE_ECALL_M]: 'machine_ecall',
  [L.CAUSE_FETCH_PAGE_FAULT]: 'exec_page_fault',
  [L.CAUSE_LOAD_PAGE_FAULT]: 'load_page_fault',
  [L.CAUSE_STORE_PAGE_FAULT]: 'store_page_fault',
};
const INTERRUPT_NAMES: Record<number, string> = {
  1: 's_software', 3: 'm_software', 5: 's_timer', 7: 'm_timer', 9: 's_external', 11: 'm_external',
};
const PRIVILEGE_NAMES: Record<number, string> = { 0: 'U', 1: 'S', 3: 'M' };


export class Tracer {
  private traps: bigint;
  /** Instruction words already shown by in_asm, by pc (QEMU shows a block when it translates it). */
  private readonly shown = new Map<bigint, number>();
  private nextInBlock: bigint | undefined;

  constructor(
    private readonly core: Core,
    private readonly fetch: FetchPhysical,
    private readonly symbols: SymbolTable | undefined,
    private readonly options: TraceOptions,
    private readonly sink: TraceSink,
  ) {
    this.traps = core.lastTrap.count;
  }

  /** Logs the instruction about to run. */
  beforeStep(): void {
    const pc = this.core.pc;
    if (this.options.inAsm) this.showInstruction(pc);
    if (this.options.exec) this.sink.write(`Trace 0: 0x${this.hex(pc)}${this.symbolSuffix(pc)}\n`);
  }

  /** Logs a trap if the step just run took one. */
  afterStep(): void {
    const { count, cause, tval, epc, target } = this.core.lastTrap;
    if (count === this.traps) return;
    this.traps = count;
    if (!this.options.int) return;
    const async = cause >> 63n;
    const code = Number(cause & 0xffffn);
    const desc = (async ? INTERRUPT_NAMES[code] : EXCEPTION_NAMES[code]) ?? 'reserved';
    this.sink.write(
      `riscv_cpu_do_interrupt: hart:${this.core.hartId}, async:${async}, cause:${this.hex(cause & ~(1n << 63n))}, ` +
        `epc:0x${this.hex(epc)}, tval:0x${this.hex(tval)}, desc=${desc}, to ${PRIVILEGE_NAMES[target] ?? target}\n`,
    );
  }

  flush(): void {
    this.sink.flush();
  }

  close(): void {
    this.sink.close();
  }

  private showInstruction(pc: bigint): void {
    const insn = this.instructionAt(pc);
    if (insn === undefined || this.shown.get(pc) === insn) {
      this.nextInBlock = undefined;
      return;
    }
    this.shown.set(pc, insn);
    if (pc !== this.nextInBlock) this.sink.write(`----------------\nIN:${this.symbolSuffix(pc)}\n`);
    const compressed = (insn & 3) !== 3;
    const word = compressed ? insn.toString(16).padStart(4, '0').padEnd(8, ' ') : insn.toString(16).padStart(8, '0');
    this.sink.write(`0x${this.hex(pc)}:  ${word}          ${disassemble(insn, pc, this.core.xlen)}\n`);
    this.nextInBlock = pc + (compressed ? 2n : 4n);
  }

  /** The instruction at a virtual pc, or undefined if it cannot be fetched. */
  private instructionAt(pc: bigint): number | undefined {
    const paddr = this.core.translate(pc, 'fetch');
    if (paddr === undefined) return undefined;
    const low = this.fetch(paddr, 2);
    if (low === undefined || (low & 3) !== 3) return low;
    // A 32-bit instruction may straddle a page: translate its upper half separately.
    const upperAddr = (pc & 0xfffn) === 0xffen ? this.core.translate(pc + 2n, 'fetch') : paddr + 2n;
    const high = upperAddr === undefined ? undefined : this.fetch(upperAddr, 2);
    return high === undefined ? undefined : (low | (high << 16)) >>> 0;
  }

  /** A pc, cause or tval in XLEN/4 hex digits, as QEMU prints a target_ulong (TARGET_FMT_lx). */
  private hex(value: bigint): string {
    return value.toString(16).padStart(this.core.xlen / 4, '0');
  }

  /** " name" or " name+0x1c" for the symbol holding pc; "" when none does. */
  private symbolSuffix(pc: bigint): string {
    const hit = this.symbols?.at(pc);
    if (!hit) return '';
    return hit.offset === 0n ? ` ${hit.symbol.name}` : ` ${hit.symbol.name}+0x${hit.offset.toString(16)}`;
  }
}
