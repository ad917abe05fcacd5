// What an assembly file defines and where: labels (and which are global, functions or objects), numeric local labels, .set/.equ constants, macros, #defines and sections; lookups of a reference and the outline.
import type { ParsedAssembly, Word } from './assembly-parser';

/** The kinds of name a file can define. */
export type DefinitionKind =
  | 'label'
  /** A numeric label (`1:`), referred to as 1f / 1b (GNU as, "Local Symbol Names"). */
  | 'local-label'
  /** `.set`, `.equ`, `.equiv`, `.eqv` or `name = value`. */
  | 'constant'
  | 'macro'
  /** A C preprocessor `#define` (.S files). */
  | 'define';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** The name where it is defined. */
  readonly word: Word;
  /** Named by .globl/.global/.weak in this file. */
  readonly global: boolean;
  /** From `.type name, @function` / `@object`. */
  readonly type?: 'function' | 'object';
  /** The section a label or constant is in (undefined before any section directive). */
  readonly section?: string;
  /** A constant's or #define's value text; a macro's parameters. */
  readonly detail?: string;
  /** The last line of a macro (its .endm), for the outline. */
  readonly endLine?: number;
}

/** One stretch of a section: from its directive to the line before the next section directive. */
export interface SectionRange {
  readonly name: string;
  /** The directive word (.section, .text, ...). */
  readonly word: Word;
  readonly startLine: number;
  /** Inclusive. */
  readonly endLine: number;
}

export interface AssemblySymbols {
  readonly definitions: readonly Definition[];
  readonly sections: readonly SectionRange[];
}

/** Directives that switch to a section of their own name. */
const SECTION_SHORTHANDS = new Set(['.text', '.data', '.bss', '.rodata', '.sdata', '.sbss']);
const CONSTANT_DIRECTIVES = new Set(['.set', '.equ', '.equiv', '.eqv']);
const GLOBAL_DIRECTIVES = new Set(['.globl', '.global', '.weak']);

export function analyzeSymbols(parsed: ParsedAssembly): AssemblySymbols {
  const globals = new Set<string>();
  const types = new Map<string, 'function' | 'object'>();
  for (const statement of parsed.statements) {
    const op = statement.op?.text.toLowerCase();
    if (op !== undefined && GLOBAL_DIRECTIVES.has(op)) {
      for (const operand of statement.operands) if (operand.words[0]) globals.add(operand.words[0].text);
    } else if (op === '.type' && statement.operands.length >= 2) {
      const name = statement.operands[0]!.words[0]?.text;
      const kind = /^[@%]?(function|object)$/i.exec(statement.operands[1]!.text)?.[1]?.toLowerCase()
        ?? (/^STT_FUNC$/i.test(statement.operands[1]!.text) ? 'function' : /^STT_OBJECT$/i.test(statement.operands[1]!.text) ? 'object' : undefined);
      if (name !== undefined && kind !== undefined) types.set(name, kind as 'function' | 'object');
    }
  }

  const definitions: Definition[] = [];
  const sections: Array<{ name: string; word: Word; startLine: number }> = [];
  const sectionStack: string[] = [];
  let section: string | undefined;
  let previous: string | undefined;
  let openMacro: { definition: Definition; index: number } | undefined;
  const enter = (name: string, word: Word): void => {
    previous = section;
    section = name;
    sections.push({ name, word, startLine: word.line });
  };
  const define = (word: Word, kind: DefinitionKind, extra: Partial<Definition> = {}): void => {
    definitions.push({
      name: word.text, kind, word, global: globals.has(word.text),
      ...(types.has(word.text) ? { type: types.get(word.text) } : {}),
      ...(section === undefined || kind === 'macro' ? {} : { section }),
      ...extra,
    });
  };

  for (const statement of parsed.statements) {
    for (const label of statement.labels) define(label, /^\d+$/.test(label.text) ? 'local-label' : 'label');
    const op = statement.op;
    if (op === undefined) continue;
    const directive = op.text.toLowerCase();
    const firstWord = statement.operands[0]?.words[0];
    if (SECTION_SHORTHANDS.has(directive)) {
      enter(directive, op);
    } else if (directive === '.section' || directive === '.pushsection') {
      if (directive === '.pushsection' && section !== undefined) sectionStack.push(section);
      const name = statement.operands[0]?.text.replace(/^"|"$/g, '');
      if (name) enter(name, op);
    } else if (directive === '.popsection' || directive === '.previous') {
      const name = directive === '.popsection' ? sectionStack.pop() : previous;
      if (name !== undefined) enter(name, op);
    } else if (CONSTANT_DIRECTIVES.has(directive) && firstWord !== undefined) {
      define(firstWord, 'constant', { detail: statement.operands.slice(1).map((o) => o.text).join(', ') });
    } else if (directive === '.macro' && firstWord !== undefined) {
      const [head, ...rest] = statement.operands.map((o) => o.text);
      const parameters = [head!.slice(firstWord.text.length).trim(), ...rest].filter((p) => p !== '').join(', ');
      define(firstWord, 'macro', { detail: parameters });
      openMacro = { definition: definitions[definitions.length - 1]!, index: definitions.length - 1 };
    } else if ((directive === '.endm' || directive === '.endmacro') && openMacro !== undefined) {
      definitions[openMacro.index] = { ...openMacro.definition, endLine: statement.line };
      openMacro = undefined;
    } else if (!directive.startsWith('.') && statement.operands[0]?.text.startsWith('=') && !statement.operands[0].text.startsWith('==')) {
      // `name = expression`: the "op" is the symbol being set.
      define(op, 'constant', { detail: statement.operands.map((o) => o.text).join(', ').replace(/^=\s*/, '') });
    }
  }
  for (const { name, value } of parsed.defines) define(name, 'define', { detail: value });

  const lastLine = parsed.lines.length - 1;
  const ranges = sections.map((s, i): SectionRange => ({
    ...s,
    endLine: i + 1 < sections.length ? Math.max(s.startLine, sections[i + 1]!.startLine - 1) : lastLine,
  }));
  return { definitions, sections: ranges };
}

/** True for a local-label reference: digits then f (forward) or b (backward). */
export function isLocalLabelReference(text: string): boolean {
  return /^\d+[fb]$/.test(text);
}

/**
 * The numeric label a `1f`/`1b` reference at `reference` means: the first `1:` after it, or
 * the last one at or before it (a `1:` earlier on the same line counts as before).
 */
export function resolveLocalLabel(symbols: AssemblySymbols, reference: Word): Definition | undefined {
  const name = reference.text.slice(0, -1);
  const forward = reference.text.endsWith('f');
  const labels = symbols.definitions.filter((d) => d.kind === 'local-label' && d.name === name);
  const before = (d: Definition) => d.word.line < reference.line || (d.word.line === reference.line && d.word.start < reference.start);
  if (forward) return labels.find((d) => !before(d));
  return [...labels].reverse().find(before);
}

/** Definitions of `name` in one file (labels, constants, macros, #defines; never numeric labels). */
export function definitionsNamed(symbols: AssemblySymbols, name: string): Definition[] {
  return symbols.definitions.filter((d) => d.kind !== 'local-label' && d.name === name);
}
