// Checks the language server's instruction data against the instruction table and GNU as: every row has a meaning and a layout covering its bits, every pseudo-instruction expands as the assembler expands it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, instructionTable } from '../../server/src/debug/instruction-table';
import { encodingFields, encodingTable } from '../../server/src/lsp/encoding-layout';
import { instructionHover, instructionRows, meaningOf } from '../../server/src/lsp/instruction-hover';
import { compressedExpansions, instructionMeanings } from '../../server/src/lsp/instruction-meanings';
import { pseudoInstructions } from '../../server/src/lsp/pseudo-instructions';
import { hasTool } from '../support/guest-tools';

const AS = 'riscv64-unknown-elf-as';
const OBJDUMP = 'riscv64-unknown-elf-objdump';

describe('instruction data', () => {
  it('gives every row of the table a meaning, compressed rows through their expansion', () => {
    const missing = instructionTable.filter((row) => meaningOf(row.name) === undefined).map((row) => row.name);
    expect(missing).toEqual([]);
    for (const [name, expansion] of compressedExpansions) {
      expect(instructionRows(name).length, name).toBeGreaterThan(0);
      expect(instructionRows(expansion.split(' ')[0]!).length, expansion).toBeGreaterThan(0);
    }
    expect(instructionTable.filter((row) => row.length === 2 && !compressedExpansions.has(row.name))).toEqual([]);
  });

  it('has no meaning for a mnemonic the table lacks', () => {
    expect([...instructionMeanings.keys()].filter((name) => instructionRows(name).length === 0)).toEqual([]);
  });

  it('lays out every row as fields that cover each bit of the instruction once', () => {
    for (const row of instructionTable) {
      const fields = encodingFields(row);
      let next = row.length * 8 - 1;
      for (const field of fields) {
        expect(field.high, `${row.name} ${field.name}`).toBe(next);
        next = field.low - 1;
      }
      expect(next, row.name).toBe(-1);
    }
  });

  it('escapes | in table cells (B-type immediates)', () => {
    expect(encodingTable(instructionRows('beq')[0]!)).toContain('imm[12\\|10:5]');
    expect(instructionHover('beq')).toContain('| imm[4:1\\|11] |');
  });

  it('names a single pseudo-instruction\'s base instruction as a table row', () => {
    for (const pseudo of pseudoInstructions.values()) {
      if (pseudo.single) expect(instructionRows(pseudo.expansion.split(' ')[0]!).length, pseudo.name).toBeGreaterThan(0);
    }
  });

  it('describes AMO ordering suffixes and rejects unknown mnemonics', () => {
    expect(instructionHover('lr.d.aq')).toContain('**lr.d.aq**');
    expect(instructionHover('LW')).toContain('**lw**');
    expect(instructionHover('frobnicate')).toBeUndefined();
    expect(instructionHover('rev8')).toContain('Encoding (RV64 only)');
    expect(instructionHover('rev8')).toContain('Encoding (RV32 only)');
  });
});

describe.skipIf(!hasTool(AS) || !hasTool(OBJDUMP))('pseudo-instructions against GNU as', () => {
  /** The first instruction GNU as emits for each example, decoded by the instruction table, by pseudo-instruction name. */
  function firstMnemonics(xlen: 32 | 64): Map<string, string> {
    const examples = [...pseudoInstructions.values()].filter((p) => p.xlen === undefined || p.xlen === xlen);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-pseudo-'));
    try {
      const source = path.join(dir, 'examples.s');
      const object = path.join(dir, 'examples.o');
      fs.writeFileSync(source, `${examples.map((p, i) => `e${i}:\n  ${p.example}\n`).join('')}sym:\n  nop\n`);
      const assembled = spawnSync(AS, [`-march=rv${xlen}g_zba`, '-o', object, source], { encoding: 'utf8' });
      expect(assembled.stderr).toBe('');
      const dump = spawnSync(OBJDUMP, ['-d', object], { encoding: 'utf8' }).stdout;
      const out = new Map<string, string>();
      // "0000000000000000 <e0>:" then "   0:	00000013          	nop": the word is what counts.
      for (const block of dump.split(/\n(?=[0-9a-f]+ <)/)) {
        const label = /^[0-9a-f]+ <e(\d+)>:/.exec(block);
        const word = /^\s+[0-9a-f]+:\s+([0-9a-f]+)\s/m.exec(block);
        if (label && word) out.set(examples[Number(label[1])]!.name, decode(parseInt(word[1]!, 16), xlen)?.name ?? `illegal ${word[1]}`);
      }
      expect(out.size).toBe(examples.length);
      return out;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([64, 32] as const)('expands each RV%i example to the base instruction the table names first', (xlen) => {
    const emitted = firstMnemonics(xlen);
    for (const [name, mnemonic] of emitted) {
      expect(`${name} -> ${mnemonic}`).toBe(`${name} -> ${pseudoInstructions.get(name)!.expansion.split(' ')[0]}`);
    }
  });
});
