// Register names of assembly source for the language server: x and f registers by number or ABI name, pc, CSRs, with their calling-convention roles and gdb register numbers.
import { csrNames, floatRegisterNames, integerRegisterNames, rv32CsrNames } from '../debug/disassemble';
import { REG_CSR0, REG_F0, REG_PC, REG_PRIV } from '../debug/target';

/** Who preserves a register across a call (RISC-V psABI, "Integer/Floating-point Register Convention"). */
export type Saver = 'caller' | 'callee' | 'none';

/** One register a name in the source can denote. */
export type RegisterName =
  | { readonly kind: 'integer'; readonly index: number; readonly abi: string; readonly role: string; readonly saver: Saver }
  | { readonly kind: 'float'; readonly index: number; readonly abi: string; readonly role: string; readonly saver: Saver }
  | { readonly kind: 'pc' }
  | { readonly kind: 'csr'; readonly number: number; readonly name: string };

/** Roles of x0-x31 in the psABI's words, shortened; one entry a register. */
const integerRoles: readonly (readonly [string, Saver])[] = [
  ['hard-wired zero', 'none'], ['return address', 'caller'], ['stack pointer', 'callee'], ['global pointer', 'none'],
  ['thread pointer', 'none'], ['temporary, alternate link register', 'caller'], ['temporary', 'caller'], ['temporary', 'caller'],
  ['saved register, frame pointer (fp)', 'callee'], ['saved register', 'callee'],
  ['argument 0, return value 0', 'caller'], ['argument 1, return value 1', 'caller'],
  ...[2, 3, 4, 5, 6, 7].map((n): readonly [string, Saver] => [`argument ${n}`, 'caller']),
  ...Array.from({ length: 10 }, (): readonly [string, Saver] => ['saved register', 'callee']),
  ...Array.from({ length: 4 }, (): readonly [string, Saver] => ['temporary', 'caller']),
];

function floatRole(index: number): readonly [string, Saver] {
  if (index < 8 || index >= 28) return ['floating-point temporary', 'caller'];
  if (index < 10 || index >= 18) return ['floating-point saved register', 'callee'];
  if (index < 12) return [`floating-point argument ${index - 10}, return value ${index - 10}`, 'caller'];
  return [`floating-point argument ${index - 10}`, 'caller'];
}

const csrNumbers: ReadonlyMap<string, number> = new Map(
  [...csrNames, ...rv32CsrNames].map(([number, name]): [string, number] => [name, number]),
);

/** The register `text` names (x5, t0, fp, f10, fa0, pc, mstatus; any case), or undefined. */
export function registerNamed(text: string): RegisterName | undefined {
  const name = text.toLowerCase();
  if (name === 'pc') return { kind: 'pc' };
  const numbered = /^([xf])(\d{1,2})$/.exec(name);
  let index: number | undefined;
  let float = false;
  if (numbered && Number(numbered[2]) < 32) {
    index = Number(numbered[2]);
    float = numbered[1] === 'f';
  } else if (name === 'fp') {
    index = 8;
  } else if (integerRegisterNames.includes(name)) {
    index = integerRegisterNames.indexOf(name);
  } else if (floatRegisterNames.includes(name)) {
    index = floatRegisterNames.indexOf(name);
    float = true;
  }
  if (index !== undefined) {
    const [role, saver] = float ? floatRole(index) : integerRoles[index]!;
    const abi = (float ? floatRegisterNames : integerRegisterNames)[index]!;
    return { kind: float ? 'float' : 'integer', index, abi, role, saver };
  }
  const csr = csrNumbers.get(name);
  return csr === undefined ? undefined : { kind: 'csr', number: csr, name };
}

/** The CSR number a name gives (mstatus: 0x300), RV32-only names included. */
export function csrNumberOf(name: string): number | undefined {
  return csrNumbers.get(name.toLowerCase());
}

/** The canonical name of CSR `number` (the RV64 name first), or undefined when Lantern knows none. */
export function csrNameOf(number: number): string | undefined {
  return csrNames.get(number) ?? rv32CsrNames.get(number);
}

/**
 * gdb's register number for a name (server/src/debug/target.ts, REG_*): x0-x31 0-31, pc 32,
 * f0-f31 33-64, CSR n 65 + n, and the virtual `priv`. Undefined for a name that is no register.
 */
export function gdbRegisterNumber(text: string): number | undefined {
  if (text.toLowerCase() === 'priv') return REG_PRIV;
  const register = registerNamed(text);
  if (register === undefined) return undefined;
  switch (register.kind) {
    case 'integer': return register.index;
    case 'float': return REG_F0 + register.index;
    case 'pc': return REG_PC;
    case 'csr': return REG_CSR0 + register.number;
  }
}
