// Hover text (Markdown) for a mnemonic: an instruction of the table with its format, extension, meaning and encoding; a compressed one with its expansion; a pseudo-instruction with what it becomes.
import { instructionTable, type Extension, type InstructionEntry } from '../debug/instruction-table';
import { encodingTable, formatName, opcodeName, operandSyntax } from './encoding-layout';
import { compressedExpansions, instructionMeanings } from './instruction-meanings';
import { pseudoInstructions, type PseudoInstruction } from './pseudo-instructions';

const extensionNames: Record<Extension, string> = {
  I: 'I (base integer)',
  M: 'M (integer multiply and divide)',
  A: 'A (atomic memory operations)',
  F: 'F (single-precision floating point)',
  D: 'D (double-precision floating point)',
  C: 'C (compressed 16-bit instructions)',
  Zicsr: 'Zicsr (control and status register access)',
  Zifencei: 'Zifencei (instruction-fetch fence)',
  Zihintpause: 'Zihintpause (pause hint)',
  Zba: 'Zba (bit manipulation: address generation)',
  Zbb: 'Zbb (bit manipulation: basic)',
  Zbc: 'Zbc (bit manipulation: carry-less multiply)',
  Zbs: 'Zbs (bit manipulation: single bits)',
  privileged: 'privileged architecture',
};

const rowsByName = new Map<string, InstructionEntry[]>();
for (const entry of instructionTable) {
  const rows = rowsByName.get(entry.name);
  if (rows) rows.push(entry);
  else rowsByName.set(entry.name, [entry]);
}

/** The table rows of a mnemonic (two for rev8 and zext.h, whose RV32 and RV64 encodings differ). */
export function instructionRows(name: string): readonly InstructionEntry[] {
  return rowsByName.get(name) ?? [];
}

/** The meaning of a table instruction; a compressed one's comes from what it expands to. */
export function meaningOf(name: string): string | undefined {
  const expansion = compressedExpansions.get(name);
  if (expansion !== undefined) return instructionMeanings.get(expansion.split(' ')[0]!);
  return instructionMeanings.get(name);
}

/** AMO and LR/SC ordering suffixes (A extension, "Specifying Ordering of Atomic Instructions"). */
const ORDERING = /^((?:lr|sc|amo[a-z]+)\.[wd])\.(aq|rl|aqrl)$/;
const orderingNames: Record<string, string> = {
  aq: 'aq: no later memory access of this hart appears before it',
  rl: 'rl: it appears after every earlier memory access of this hart',
  aqrl: 'aq and rl: sequentially consistent',
};

/** Markdown for `mnemonic`, or undefined when it is no instruction or pseudo-instruction known here. */
export function instructionHover(mnemonic: string): string | undefined {
  let name = mnemonic.toLowerCase();
  let ordering: string | undefined;
  const suffixed = ORDERING.exec(name);
  if (suffixed && rowsByName.has(suffixed[1]!)) {
    name = suffixed[1]!;
    ordering = suffixed[2]!;
  }
  const rows = rowsByName.get(name);
  if (rows) return describeInstruction(name, rows, ordering);
  const pseudo = pseudoInstructions.get(name);
  return pseudo && describePseudo(pseudo);
}

function xlenNote(xlen: 32 | 64 | undefined): string {
  return xlen === undefined ? 'RV32 and RV64' : `RV${xlen} only`;
}

function describeInstruction(name: string, rows: readonly InstructionEntry[], ordering: string | undefined): string {
  const first = rows[0]!;
  const syntax = operandSyntax(first);
  const lines: string[] = [];
  lines.push(`**${name}${ordering ? `.${ordering}` : ''}**${syntax ? ` \`${syntax}\`` : ''}`);
  lines.push('');
  lines.push(`Extension ${extensionNames[first.extension]} · ${formatName(first)}-type · ${opcodeName(first)}`);
  lines.push('');
  const expansion = compressedExpansions.get(name);
  const meaning = meaningOf(name);
  if (expansion !== undefined) {
    lines.push(`Expands to \`${expansion}\`${meaning ? `: \`${meaning}\`` : ''}`);
  } else if (meaning !== undefined) {
    lines.push(`\`${meaning}\``);
  }
  if (ordering) lines.push('', `Ordering ${orderingNames[ordering]}.`);
  for (const row of rows) {
    lines.push('');
    if (rows.length > 1 || row.xlen !== undefined) lines.push(`Encoding (${xlenNote(row.xlen)}):`, '');
    lines.push(encodingTable(row));
    lines.push('', `match \`0x${hexWord(row)}\` · mask \`0x${row.mask.toString(16).padStart(row.length * 2, '0')}\``);
  }
  const shortForm = pseudoInstructions.get(name);
  if (shortForm) lines.push('', `Also written \`${name}${shortForm.syntax ? ` ${shortForm.syntax}` : ''}\`, short for \`${shortForm.expansion}\`.`);
  return lines.join('\n');
}

function hexWord(row: InstructionEntry): string {
  return row.match.toString(16).padStart(row.length * 2, '0');
}

function describePseudo(pseudo: PseudoInstruction): string {
  const lines: string[] = [];
  lines.push(`**${pseudo.name}**${pseudo.syntax ? ` \`${pseudo.syntax}\`` : ''} — pseudo-instruction`);
  lines.push('');
  lines.push(`\`${pseudo.meaning}\``);
  lines.push('');
  lines.push(`Expands to \`${pseudo.expansion}\``);
  lines.push('');
  lines.push(`Extension ${extensionNames[pseudo.extension]}${pseudo.xlen ? ` · ${xlenNote(pseudo.xlen)}` : ''}`);
  if (pseudo.single) {
    const baseName = pseudo.expansion.split(' ')[0]!;
    const base = rowsByName.get(baseName)?.[0];
    if (base) {
      lines.push('', `Encoded as **${baseName}** (${formatName(base)}-type · ${opcodeName(base)}):`, '', encodingTable(base));
    }
  }
  return lines.join('\n');
}
