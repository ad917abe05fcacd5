// Tests the assembly reader and symbol analysis on the lexical corners of GNU as and cpp: strings, comments of three kinds, `;`, continuations, local labels, assignments, section stacks.
import { describe, expect, it } from 'vitest';
import { parseAssembly } from '../../server/src/lsp/assembly-parser';
import { analyzeSymbols, resolveLocalLabel } from '../../server/src/lsp/assembly-symbols';

const parse = (lines: string[]) => parseAssembly(lines.join('\n'));

describe('assembly parser', () => {
  it('splits statements on ; but not inside strings, and keeps # inside strings', () => {
    const parsed = parse(['  sd x1, 8(sp); sd x3, 24(sp)', '  .asciz "a;b#c" # note']);
    expect(parsed.statements.map((s) => s.op?.text)).toEqual(['sd', 'sd', '.asciz']);
    expect(parsed.statements[1]!.operands.map((o) => o.words.map((w) => w.text))).toEqual([['x3'], ['24', 'sp']]);
    expect(parsed.statements[2]!.operands[0]!.words).toEqual([]);
    expect(parsed.comments).toEqual([{ line: 1, start: 17, end: 23 }]);
  });

  it('skips block comments across lines, // comments and continued #defines', () => {
    const parsed = parse(['/* one', ' two */ li a0, 1 // set', '#define TWO \\', '  2', '  ret']);
    expect(parsed.statements.map((s) => [s.line, s.op?.text])).toEqual([[1, 'li'], [4, 'ret']]);
    expect(parsed.defines.map((d) => [d.name.text, d.name.line, d.name.start])).toEqual([['TWO', 2, 8]]);
    expect(parsed.comments.map((c) => c.line)).toEqual([0, 1, 1]);
  });

  it('reads several labels in front of a statement, and %relocations and \\macro arguments as no symbols', () => {
    const parsed = parse(['a: 1: lui t0, %hi(sym)', '  sd \\reg, 0(sp)']);
    const [first, second] = parsed.statements;
    expect(first!.labels.map((l) => l.text)).toEqual(['a', '1']);
    expect(first!.operands[1]!.words.map((w) => w.text)).toEqual(['sym']);
    expect(second!.operands[0]!.words).toEqual([]);
  });
});

describe('assembly symbols', () => {
  it('resolves 1b to a 1: earlier on the same line and 1f past it', () => {
    const parsed = parse(['1: j 1b', '   j 1f', '1: nop']);
    const symbols = analyzeSymbols(parsed);
    const back = parsed.statements[0]!.operands[0]!.words[0]!;
    const forward = parsed.statements[1]!.operands[0]!.words[0]!;
    expect(resolveLocalLabel(symbols, back)?.word.line).toBe(0);
    expect(resolveLocalLabel(symbols, forward)?.word.line).toBe(2);
  });

  it('knows assignments, globals, types and pushed sections', () => {
    const symbols = analyzeSymbols(parse([
      '  .globl f', '  .type f, %function', 'LIMIT = 4 * 2',
      '  .text', 'f: ret', '  .pushsection .rodata.x, "a"', 'k: .word 1', '  .popsection', 'g: ret',
    ]));
    expect(symbols.definitions.map((d) => [d.name, d.kind, d.global, d.type, d.section, d.detail])).toEqual([
      ['LIMIT', 'constant', false, undefined, undefined, '4 * 2'],
      ['f', 'label', true, 'function', '.text', undefined],
      ['k', 'label', false, undefined, '.rodata.x', undefined],
      ['g', 'label', false, undefined, '.text', undefined],
    ]);
    expect(symbols.sections.map((s) => [s.name, s.startLine, s.endLine])).toEqual([['.text', 3, 4], ['.rodata.x', 5, 6], ['.text', 7, 8]]);
  });
});
