// The register scopes of the Variables view: integer registers by ABI name with pc, the
// floating-point registers, and every CSR with its fields decoded (riscv-names.ts).
import type { DebugProtocol } from '@vscode/debugprotocol';
import { decodeCsr } from '../debug/riscv-names';
import type { DebugTarget, RegisterInfo } from '../debug/target';

export type RegisterGroup = 'integer' | 'float' | 'csr';

export const GROUP_TITLES: Record<RegisterGroup, string> = { integer: 'Registers', float: 'FP Registers', csr: 'CSRs' };

function groupOf(register: RegisterInfo): RegisterGroup {
  if (register.feature === 'fpu') return register.number >= 65 ? 'csr' : 'float';
  return register.feature === 'cpu' ? 'integer' : 'csr';
}

export function registersOf(target: DebugTarget, group: RegisterGroup): RegisterInfo[] {
  return target.registers.filter((register) => groupOf(register) === group);
}

function hex(value: bigint, bits: number): string {
  return `0x${value.toString(16).padStart(Math.ceil(bits / 4), '0')}`;
}

/** An FP register's bits as a double (NaN-boxed singles as the single they hold). */
function floatText(bits: bigint): string {
  const view = new DataView(new ArrayBuffer(8));
  if (bits >> 32n === 0xffffffffn) {
    view.setUint32(0, Number(bits & 0xffffffffn));
    return `${view.getFloat32(0)} (single)`;
  }
  view.setBigUint64(0, bits);
  return String(view.getFloat64(0));
}

export function registerVariables(target: DebugTarget, hart: number, group: RegisterGroup): DebugProtocol.Variable[] {
  return registersOf(target, group).map((register) => {
    const value = target.readRegister(hart, register.number);
    if (value === undefined) return { name: register.name, value: 'unavailable', variablesReference: 0 };
    const raw = hex(value, register.bits);
    let text = raw;
    if (group === 'float') text = `${floatText(value)} (${raw})`;
    if (group === 'csr') {
      const decoded = decodeCsr(register.name, value, target.xlen);
      if (decoded !== '') text = `${raw} ${decoded}`;
    }
    if (register.name === 'priv') text = `${value} (${['U', 'S', '?', 'M'][Number(value)] ?? '?'}-mode)`;
    return {
      name: register.name, value: text, variablesReference: 0,
      ...(group === 'integer' ? { memoryReference: raw } : {}),
      evaluateName: `$${register.name}`,
    };
  });
}

/** Parses a value typed into the Variables view or an expression: decimal, 0x hex, 0b binary, negative. */
export function parseValue(text: string, bits: number): bigint | undefined {
  const trimmed = text.trim().replace(/_/g, '');
  const match = /^(-)?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.exec(trimmed);
  if (!match) return undefined;
  const magnitude = BigInt(match[2]);
  return BigInt.asUintN(bits, match[1] ? -magnitude : magnitude);
}
