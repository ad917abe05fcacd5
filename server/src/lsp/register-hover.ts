// Hover text (Markdown) for a register name or CSR: what it is (number, ABI role, CSR privilege, access and fields) and, when a VM is selected, its value now (or that it runs).
import { decodeCsr, type Xlen } from '../debug/riscv-names';
import { csrDescription } from './csr-fields';
import { csrNameOf, type RegisterName } from './registers';

/** A register's value read from a stopped hart. */
export interface LiveValue {
  readonly value: bigint;
  readonly xlen: Xlen;
}

/** What a hover shows of the VM: a value, or that it runs (no value until it is paused). */
export type LiveState = LiveValue | 'running';

const hexDigits = (value: bigint, bits: number): string => BigInt.asUintN(bits, value).toString(16).padStart(bits / 4, '0');

/** CSR privilege from its number's bits 9:8 and access from bits 11:10 (Privileged ISA 2.1, "CSR Address Mapping Conventions"). */
export function csrAccess(number: number): { privilege: string; access: string } {
  const privilege = ['U-mode', 'S-mode', 'hypervisor (HS/VS)', 'M-mode'][(number >> 8) & 3]!;
  const debugOnly = number >= 0x7b0 && number <= 0x7bf;
  const access = (number >> 10) === 3 ? 'read-only' : debugOnly ? 'read/write, debug mode only' : 'read/write';
  return { privilege, access };
}

function liveLine(text: string): string {
  return `**Now:** ${text}`;
}

const RUNNING_LINE = liveLine('running (values are read while the VM is paused)');

/** Markdown for CSR `number` (its name when Lantern knows one), with its live value when given. */
export function csrHover(number: number, live?: LiveState): string {
  const name = csrNameOf(number);
  const { privilege, access } = csrAccess(number);
  const lines = [`**${name ?? `CSR 0x${number.toString(16)}`}** · CSR \`0x${number.toString(16).padStart(3, '0')}\` · ${privilege} · ${access}`];
  const description = name === undefined ? undefined : csrDescription(name);
  if (description) {
    lines.push('', `${description.summary} (${description.spec}).`);
    if (description.fields && description.fields.length > 0) {
      lines.push('', '| bits | field | meaning |', '|--:|---|---|');
      for (const field of description.fields) {
        lines.push(`| ${field.high === field.low ? field.high : `${field.high}:${field.low}`} | ${field.name} | ${field.meaning} |`);
      }
      lines.push('', 'Bit positions as on RV64.');
    }
  } else if (name === undefined) {
    lines.push('', 'No CSR Lantern knows by this number (custom or unimplemented: accessing it may trap).');
  }
  if (live === 'running') {
    lines.push('', RUNNING_LINE);
  } else if (live) {
    const decoded = name === undefined ? '' : decodeCsr(name, live.value, live.xlen);
    lines.push('', liveLine(`\`0x${hexDigits(live.value, live.xlen)}\`${decoded === '' ? '' : ` — ${decoded}`}`));
  }
  return lines.join('\n');
}

/** Markdown for an x or f register or pc, with its live value when given. */
export function registerHover(register: Exclude<RegisterName, { kind: 'csr' }>, live?: LiveState): string {
  const lines: string[] = [];
  if (register.kind === 'pc') {
    lines.push('**pc** · program counter: the address of the instruction being executed');
  } else {
    const prefix = register.kind === 'integer' ? 'x' : 'f';
    const saver = register.saver === 'none' ? '' : ` · ${register.saver}-saved`;
    lines.push(`**${register.abi}** · ${prefix}${register.index} · ${register.role}${saver}`);
  }
  if (live === 'running') {
    lines.push('', RUNNING_LINE);
  } else if (live) {
    if (register.kind === 'float') {
      const bits = BigInt.asUintN(64, live.value);
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, bits);
      // A single is NaN-boxed in the low 32 bits (F extension, "NaN Boxing of Narrower Values").
      const boxed = bits >> 32n === 0xffffffffn;
      const number = boxed ? view.getFloat32(4) : view.getFloat64(0);
      lines.push('', liveLine(`\`0x${hexDigits(bits, 64)}\` (${boxed ? 'single' : 'double'} ${number})`));
    } else {
      const signed = BigInt.asIntN(live.xlen, live.value);
      lines.push('', liveLine(`\`0x${hexDigits(live.value, live.xlen)}\` (${signed})`));
    }
  }
  return lines.join('\n');
}
