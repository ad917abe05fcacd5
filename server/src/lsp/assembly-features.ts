// The language features over indexed files, free of any connection: hover (instructions, CSRs, registers with live values, symbols), go-to-definition (labels, 1f/1b, constants, macros, globals of other files) and the outline.
import { DocumentSymbol, MarkupKind, SymbolKind, type Hover, type Location, type Position, type Range } from 'vscode-languageserver';
import { wordAt, type Statement, type Word } from './assembly-parser';
import { definitionsNamed, isLocalLabelReference, resolveLocalLabel, type Definition } from './assembly-symbols';
import { instructionHover } from './instruction-hover';
import type { LiveRegisters } from './live-registers';
import { csrHover, registerHover, type LiveState } from './register-hover';
import { csrNameOf, registerNamed } from './registers';
import type { IndexedFile, LocatedDefinition, SymbolIndex } from './symbol-index';

/** What the cursor is on. */
type Target =
  | { readonly kind: 'op'; readonly statement: Statement; readonly word: Word }
  | { readonly kind: 'label'; readonly statement: Statement; readonly word: Word }
  | { readonly kind: 'operand'; readonly statement: Statement; readonly operand: number; readonly word: Word }
  | { readonly kind: 'comment'; readonly word: Word };

const inside = (word: { start: number; end: number }, character: number): boolean => character >= word.start && character <= word.end;

function targetAt(file: IndexedFile, position: Position): Target | undefined {
  const { parsed } = file;
  for (const statement of parsed.statements) {
    if (statement.line !== position.line) continue;
    for (const label of statement.labels) if (inside(label, position.character)) return { kind: 'label', statement, word: label };
    if (statement.op && inside(statement.op, position.character)) return { kind: 'op', statement, word: statement.op };
    let index = 0;
    for (const operand of statement.operands) {
      const word = operand.words.find((w) => inside(w, position.character));
      if (word) return { kind: 'operand', statement, operand: index, word };
      index++;
    }
  }
  const comment = parsed.comments.find((c) => c.line === position.line && position.character >= c.start && position.character < c.end);
  if (comment) {
    const word = wordAt(parsed.lines[position.line] ?? '', position.line, position.character);
    if (word) return { kind: 'comment', word };
  }
  return undefined;
}

const range = (word: Word): Range => ({ start: { line: word.line, character: word.start }, end: { line: word.line, character: word.end } });

/** Zicsr instructions and pseudo-instructions, and which operand is the CSR (Unprivileged ISA, "Zicsr"). */
const csrOperandIndex: ReadonlyMap<string, number> = new Map([
  ...['csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci', 'csrr'].map((name): [string, number] => [name, 1]),
  ...['csrw', 'csrs', 'csrc', 'csrwi', 'csrsi', 'csrci'].map((name): [string, number] => [name, 0]),
]);

function isCsrOperand(target: Target): boolean {
  return target.kind === 'operand' && csrOperandIndex.get(target.statement.op?.text.toLowerCase() ?? '') === target.operand;
}

/** A CSR number written as a number (0x300, 768, 0b...), or undefined. */
function csrNumberLiteral(text: string): number | undefined {
  if (!/^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)$/.test(text)) return undefined;
  const value = Number(text.replace(/^0[bB]/, '0b'));
  return Number.isInteger(value) && value >= 0 && value < 4096 ? value : undefined;
}

async function liveValue(live: LiveRegisters | undefined, name: string): Promise<LiveState | undefined> {
  if (!live) return undefined;
  const value = await live.read(name).catch(() => undefined);
  return value === undefined || value === 'running' ? value : { value, xlen: live.xlen ?? 64 };
}

/** Hover at a position: Markdown, or null when there is nothing to say. */
export async function hoverAt(index: SymbolIndex, file: IndexedFile, position: Position, live?: LiveRegisters): Promise<Hover | null> {
  const target = targetAt(file, position);
  if (!target) return null;
  const markdown = await hoverText(index, file, target, live);
  return markdown === undefined ? null : { contents: { kind: MarkupKind.Markdown, value: markdown }, range: range(target.word) };
}

async function hoverText(index: SymbolIndex, file: IndexedFile, target: Target, live: LiveRegisters | undefined): Promise<string | undefined> {
  const text = target.word.text;
  if (target.kind === 'op') {
    if (text.startsWith('.')) return undefined;
    return instructionHover(text) ?? symbolHover(index, file, target);
  }
  const register = registerNamed(text);
  if (register) {
    const ownSymbol = definitionsNamed(file.symbols, text).length > 0;
    // A CSR name is one where an instruction takes a CSR, or anywhere no symbol of that name exists.
    if (register.kind === 'csr') {
      if (isCsrOperand(target) || (!ownSymbol && target.kind !== 'label')) return csrHover(register.number, await liveValue(live, register.name));
    } else if (target.kind !== 'label') {
      return registerHover(register, await liveValue(live, text));
    }
  }
  if (target.kind === 'comment') return undefined;
  if (isCsrOperand(target)) {
    const number = csrNumberLiteral(text);
    if (number !== undefined) {
      const name = csrNameOf(number);
      return csrHover(number, name === undefined ? undefined : await liveValue(live, name));
    }
  }
  return symbolHover(index, file, target);
}

/** A symbol reference or definition: what it is and where it is defined. */
function symbolHover(index: SymbolIndex, file: IndexedFile, target: Target): string | undefined {
  const located = definitionsFor(index, file, target);
  if (located.length === 0) return undefined;
  return located.map(({ uri, definition }) => describeDefinition(definition, uri === file.uri ? undefined : uri)).join('\n\n');
}

function describeDefinition(definition: Definition, otherUri: string | undefined): string {
  const where = `${otherUri ? `${otherUri.slice(otherUri.lastIndexOf('/') + 1)}, ` : ''}line ${definition.word.line + 1}`;
  const what = ((): string => {
    switch (definition.kind) {
      case 'label': return `${definition.global ? 'global ' : ''}${definition.type ?? 'label'}${definition.section ? ` in ${definition.section}` : ''}`;
      case 'local-label': return 'local label';
      case 'constant': return `constant = \`${definition.detail ?? ''}\``;
      case 'macro': return `macro${definition.detail ? ` \`${definition.detail}\`` : ''}`;
      case 'define': return `#define \`${definition.detail ?? ''}\``;
    }
  })();
  return `**${definition.name}** · ${what} (${where})`;
}

/** Definitions a target refers to: a 1f/1b's numeric label, this file's own definitions, else another file's globals. */
function definitionsFor(index: SymbolIndex, file: IndexedFile, target: Target): LocatedDefinition[] {
  if (target.kind === 'comment') return [];
  const text = target.word.text;
  if (isLocalLabelReference(text)) {
    const local = resolveLocalLabel(file.symbols, target.word);
    return local ? [{ uri: file.uri, definition: local }] : [];
  }
  if (target.kind === 'label' && /^\d+$/.test(text)) {
    const own = file.symbols.definitions.find((d) => d.word.line === target.word.line && d.word.start === target.word.start);
    return own ? [{ uri: file.uri, definition: own }] : [];
  }
  if (/^[0-9]/.test(text)) return [];
  const own = definitionsNamed(file.symbols, text);
  if (own.length > 0) return own.map((definition) => ({ uri: file.uri, definition }));
  return index.definedElsewhere(text, file.uri);
}

/** Go to definition: where the symbol under the cursor is defined (possibly several places). */
export async function definitionAt(index: SymbolIndex, file: IndexedFile, position: Position): Promise<Location[]> {
  const target = targetAt(file, position);
  if (!target || target.kind === 'comment') return [];
  let located = definitionsFor(index, file, target);
  if (located.length === 0 && !isLocalLabelReference(target.word.text)) {
    // The workspace may still be being read.
    await index.ready;
    located = definitionsFor(index, file, target);
  }
  return located.map(({ uri, definition }) => ({ uri, range: range(definition.word) }));
}

// ---------------------------------------------------------------------------------------------
// Outline

function lineRange(file: IndexedFile, startLine: number, endLine: number): Range {
  const end = Math.max(startLine, endLine);
  return { start: { line: startLine, character: 0 }, end: { line: end, character: (file.parsed.lines[end] ?? '').length } };
}

function labelKind(definition: Definition): SymbolKind {
  if (definition.type === 'function') return SymbolKind.Function;
  if (definition.type === 'object') return SymbolKind.Variable;
  return SymbolKind.Field;
}

/**
 * The outline: sections (each stretch from its directive on) holding their labels (functions
 * where .type says so) and constants; macros and #defines at the top. Numeric labels are left out.
 */
export function outline(file: IndexedFile): DocumentSymbol[] {
  const { definitions, sections } = file.symbols;
  const top: DocumentSymbol[] = [];
  const sectionSymbols = sections.map((section) => DocumentSymbol.create(
    section.name, section.word.text === section.name ? undefined : section.word.text, SymbolKind.Namespace,
    lineRange(file, section.startLine, section.endLine), range(section.word), [],
  ));
  const sectionAt = (line: number): { symbol: DocumentSymbol; endLine: number } | undefined => {
    for (let i = sections.length - 1; i >= 0; i--) {
      if (sections[i]!.startLine <= line && line <= sections[i]!.endLine) return { symbol: sectionSymbols[i]!, endLine: sections[i]!.endLine };
    }
    return undefined;
  };
  // A label's range runs to the line before the next label or section (or the end of its section).
  const boundaries = [...definitions.filter((d) => d.kind === 'label').map((d) => d.word.line), ...sections.map((s) => s.startLine)].sort((a, b) => a - b);
  const lastLine = file.parsed.lines.length - 1;
  for (const definition of definitions) {
    if (definition.kind === 'local-label') continue;
    const line = definition.word.line;
    const container = definition.kind === 'macro' || definition.kind === 'define' ? undefined : sectionAt(line);
    let endLine = line;
    if (definition.kind === 'label') {
      const next = boundaries.find((b) => b > line);
      endLine = Math.min(next === undefined ? lastLine : next - 1, container?.endLine ?? lastLine);
    } else if (definition.kind === 'macro') {
      endLine = definition.endLine ?? line;
    }
    const kind = definition.kind === 'label' ? labelKind(definition)
      : definition.kind === 'macro' ? SymbolKind.Method : SymbolKind.Constant;
    const detail = definition.kind === 'label' ? [definition.global ? 'global' : '', definition.type ?? ''].filter((s) => s).join(' ')
      : definition.kind === 'macro' ? `.macro ${definition.detail ?? ''}`.trim() : definition.detail ?? '';
    const symbol = DocumentSymbol.create(definition.name, detail || undefined, kind, lineRange(file, line, endLine), range(definition.word), []);
    (container ? container.symbol.children! : top).push(symbol);
  }
  const result = [...sectionSymbols, ...top];
  return result.sort((a, b) => a.range.start.line - b.range.start.line);
}
