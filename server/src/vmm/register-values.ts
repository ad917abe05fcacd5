// The control API's `registers` answer read from a stopped machine through its DebugTarget: names
// resolved to gdb's register numbers (debug/target.ts) against the registers the target has,
// each value as 0x and hex digits as wide as the register.
import { REG_F0, REG_PC, REG_PRIV, type DebugTarget, type RegisterInfo } from '../debug/target';

/** A register the hart lacks, or a hart the machine lacks: the request's one-line refusal. */
export class UnknownRegister extends Error {}

/** What an absent `names` reads: the x registers (ABI names), pc and priv, as gdb's `info registers` begins. */
function defaultRegisters(target: DebugTarget): RegisterInfo[] {
  return target.registers.filter((register) => register.number <= REG_PC || register.number === REG_PRIV);
}

/** The register `name` denotes on this target: its own names (zero, ra, pc, ft0, mstatus, priv), x0-x31, f0-f31 and fp. */
function resolve(target: DebugTarget, name: string): RegisterInfo | undefined {
  const lower = name.toLowerCase();
  const named = target.registers.find((register) => register.name === lower);
  if (named) return named;
  const numbered = /^([xf])([0-9]|[12][0-9]|3[01])$/.exec(lower);
  const number = lower === 'fp' ? 8 : numbered ? (numbered[1] === 'x' ? 0 : REG_F0) + Number(numbered[2]) : undefined;
  return number === undefined ? undefined : target.registers.find((register) => register.number === number);
}

/** Reads `names` (or the default set) of `hart`; the target must be stopped. Throws UnknownRegister. */
export function readRegisterValues(target: DebugTarget, hart: number, names?: readonly string[]): { hart: number; xlen: 32 | 64; values: Record<string, string> } {
  const harts = target.harts().length;
  if (hart >= harts) throw new UnknownRegister(`there is no hart ${hart} (the VM has ${harts})`);
  const wanted: [string, RegisterInfo][] = names === undefined
    ? defaultRegisters(target).map((register) => [register.name, register])
    : names.map((name) => {
      const register = resolve(target, name);
      if (!register) throw new UnknownRegister(`hart ${hart} has no register '${name}'`);
      return [name, register];
    });
  const values: Record<string, string> = {};
  for (const [name, register] of wanted) {
    const value = target.readRegister(hart, register.number);
    if (value === undefined) throw new UnknownRegister(`hart ${hart}'s register '${name}' cannot be read`);
    values[name] = `0x${BigInt.asUintN(register.bits, value).toString(16).padStart(register.bits / 4, '0')}`;
  }
  return { hart, xlen: target.xlen, values };
}
