// An EvaluationContext over a stopped hart of a DebugTarget: memory through the hart's view (the
// target's address space), registers by gdb's names (`fp` as s0), and the selected frame.
import type { DebugInfo, UnwindFrame } from '../debug/dwarf';
import type { DebugTarget } from '../debug/target';
import type { SymbolTable } from '../machine/elf';
import type { EvaluationContext } from './c-expression-evaluator';

export interface TargetContextOptions {
  readonly target: DebugTarget;
  readonly hart: number;
  readonly info: DebugInfo;
  /** The selected frame (Program.backtrace's); undefined: the hart's registers, no locals. */
  readonly frame?: UnwindFrame;
  /** True for frame 0 (the default). */
  readonly innermost?: boolean;
  readonly symbols?: SymbolTable;
  /** Program.offset: where the program runs minus its link address. */
  readonly loadOffset?: bigint;
}

export function targetContext(options: TargetContextOptions): EvaluationContext {
  const { target, hart, info, frame, symbols } = options;
  const byName = new Map(target.registers.map((register) => [register.name, register]));
  const named = (name: string) => byName.get(name === 'fp' ? 's0' : name);
  return {
    info,
    frame,
    innermost: options.innermost ?? true,
    symbols,
    loadOffset: options.loadOffset,
    readMemory: (address, size) => {
      const bytes = target.readMemory(hart, address, size, target.addressSpace);
      return bytes.length === size ? bytes : undefined;
    },
    writeMemory: (address, bytes) => target.writeMemory(hart, address, bytes, target.addressSpace),
    readRegister: (name) => {
      const register = named(name);
      return register ? target.readRegister(hart, register.number) : undefined;
    },
    writeRegister: (name, value) => {
      const register = named(name);
      return register ? target.writeRegister(hart, register.number, value) : false;
    },
    describeRegister: (name) => named(name),
  };
}
