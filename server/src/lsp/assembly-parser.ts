// Reads GNU as RISC-V assembly (.s, and .S before the C preprocessor) into statements: labels, the mnemonic or directive, operands and the words in them, with positions; comments and preprocessor lines apart.
//
// Lexical rules of GNU as ("Using as", "Syntax"; RISC-V: `#` starts a comment, `;` separates
// statements) plus what cpp accepts in a .S file: /* */ and // comments, `#define NAME`, and
// line continuations with a trailing backslash. Strings ("...") are opaque. Nothing here knows
// instructions: this is the shape of the text only.

/** A word of the source: a name, number or local-label reference, where it stands (0-based line, UTF-16 columns, end exclusive). */
export interface Word {
  readonly text: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** One operand: its text (trimmed) and the words in it, strings and %relocation function names left out. */
export interface Operand {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly words: readonly Word[];
}

/** One statement (a line holds several when `;` separates them). */
export interface Statement {
  readonly line: number;
  /** Labels defined in front (`foo:`, `1:`), names without the colon. */
  readonly labels: readonly Word[];
  /** The mnemonic, directive (with its dot) or macro name; absent on a label-only line. */
  readonly op?: Word;
  readonly operands: readonly Operand[];
}

/** A `#define NAME` of the C preprocessor (.S files). */
export interface PreprocessorDefine {
  readonly name: Word;
  /** The replacement text, trimmed (continuation lines not included). */
  readonly value: string;
}

/** A stretch of one line that is comment. */
export interface CommentSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface ParsedAssembly {
  readonly lines: readonly string[];
  readonly statements: readonly Statement[];
  readonly defines: readonly PreprocessorDefine[];
  readonly comments: readonly CommentSpan[];
}

const PREPROCESSOR = /^\s*#\s*(define|undef|include|if|ifdef|ifndef|elif|else|endif|error|warning|pragma|line)\b/;
const DEFINE = /^\s*#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?\s*(.*)$/;
const LABEL = /^\s*([A-Za-z_.$][\w.$]*|\d+)\s*:/;
const OP = /^\s*([A-Za-z_.$][\w.$]*)/;
/** A name, a local-label reference (1f, 2b), or a number (decimal, 0x, 0b). */
const WORD = /%[A-Za-z_]\w*|[A-Za-z_.$][\w.$]*|\d+[fb](?![\w.$])|0[xX][0-9a-fA-F]+|0[bB][01]+|\d+/g;

/** Splits text into lines on \n, \r\n or \r (as LSP positions count them). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function parseAssembly(text: string): ParsedAssembly {
  const lines = splitLines(text);
  const statements: Statement[] = [];
  const defines: PreprocessorDefine[] = [];
  const comments: CommentSpan[] = [];
  let inBlockComment = false;
  let continuation = false;
  for (let line = 0; line < lines.length; line++) {
    const source = lines[line]!;
    // A preprocessor line (and its backslash continuations) is not assembly.
    if (continuation || (!inBlockComment && PREPROCESSOR.test(source))) {
      if (!continuation) {
        const define = DEFINE.exec(source);
        if (define) {
          const start = source.indexOf(define[1]!, source.indexOf('define') + 6);
          defines.push({ name: { text: define[1]!, line, start, end: start + define[1]!.length }, value: define[3]!.replace(/\\$/, '').trim() });
        }
      }
      continuation = /\\\s*$/.test(source);
      continue;
    }
    const { code, spans, blockOpen } = blankComments(source, line, inBlockComment);
    inBlockComment = blockOpen;
    comments.push(...spans);
    for (const [start, end] of statementRanges(code)) statements.push(parseStatement(code, line, start, end));
  }
  return { lines, statements, defines, comments };
}

/** The line with its comments and string contents blanked (columns kept), the comment spans, and whether a block comment is still open at its end. */
function blankComments(source: string, line: number, inBlock: boolean): { code: string; spans: CommentSpan[]; blockOpen: boolean } {
  const chars = source.split('');
  const spans: CommentSpan[] = [];
  let i = 0;
  let commentStart = inBlock ? 0 : -1;
  while (i < chars.length) {
    if (commentStart >= 0) {
      // Inside a block comment: look for its end.
      if (source.startsWith('*/', i)) {
        for (let j = commentStart; j < i + 2; j++) chars[j] = ' ';
        spans.push({ line, start: commentStart, end: i + 2 });
        commentStart = -1;
        i += 2;
      } else {
        i++;
      }
      continue;
    }
    const c = source[i];
    if (c === '"') {
      // Strings are kept as quotes around blanks: their contents are no words and no separators.
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      for (let k = i + 1; k < Math.min(j, source.length); k++) chars[k] = ' ';
      i = j + 1;
    } else if (source.startsWith('/*', i)) {
      commentStart = i;
      i += 2;
    } else if (c === '#' || source.startsWith('//', i)) {
      for (let j = i; j < chars.length; j++) chars[j] = ' ';
      spans.push({ line, start: i, end: source.length });
      break;
    } else {
      i++;
    }
  }
  if (commentStart >= 0) {
    for (let j = commentStart; j < chars.length; j++) chars[j] = ' ';
    spans.push({ line, start: commentStart, end: source.length });
  }
  return { code: chars.join(''), spans, blockOpen: commentStart >= 0 };
}

/** [start, end) of each `;`-separated statement of a comment-free line. */
function statementRanges(code: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= code.length; i++) {
    if (i === code.length || code[i] === ';') {
      if (code.slice(start, i).trim() !== '') ranges.push([start, i]);
      start = i + 1;
    }
  }
  return ranges;
}

function parseStatement(code: string, line: number, start: number, end: number): Statement {
  const labels: Word[] = [];
  let at = start;
  for (;;) {
    const label = LABEL.exec(code.slice(at, end));
    if (!label) break;
    const nameStart = at + label[0].indexOf(label[1]!);
    labels.push({ text: label[1]!, line, start: nameStart, end: nameStart + label[1]!.length });
    at += label[0].length;
  }
  const op = OP.exec(code.slice(at, end));
  if (!op) return { line, labels, operands: [] };
  const opStart = at + op[0].indexOf(op[1]!);
  const opWord: Word = { text: op[1]!, line, start: opStart, end: opStart + op[1]!.length };
  return { line, labels, op: opWord, operands: splitOperands(code, line, opWord.end, end) };
}

/** Comma-separated operands (commas inside parentheses do not split), each with its words. */
function splitOperands(code: string, line: number, start: number, end: number): Operand[] {
  const operands: Operand[] = [];
  if (code.slice(start, end).trim() === '') return operands;
  let depth = 0;
  let from = start;
  for (let i = start; i <= end; i++) {
    const c = i < end ? code[i] : ',';
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && (depth === 0 || i === end)) {
      operands.push(operand(code, line, from, i));
      from = i + 1;
    }
  }
  return operands;
}

function operand(code: string, line: number, start: number, end: number): Operand {
  const raw = code.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  const words: Word[] = [];
  for (const match of raw.matchAll(WORD)) {
    if (match[0].startsWith('%')) continue; // %hi, %pcrel_lo, ...: relocation functions, not symbols
    const wordStart = start + match.index!;
    // A backslash before a name makes it a macro argument (\reg), not a symbol.
    if (wordStart > 0 && code[wordStart - 1] === '\\') continue;
    words.push({ text: match[0], line, start: wordStart, end: wordStart + match[0].length });
  }
  return { text, start: start + lead, end: start + lead + text.length, words };
}

/** The name-like word of `lineText` that covers column `character` (for positions outside any operand, such as comments). */
export function wordAt(lineText: string, line: number, character: number): Word | undefined {
  for (const match of lineText.matchAll(/[A-Za-z_.$][\w.$]*|0[xX][0-9a-fA-F]+|\d+[fb]?/g)) {
    const start = match.index!;
    const end = start + match[0].length;
    if (character >= start && character <= end) return { text: match[0], line, start, end };
    if (start > character) break;
  }
  return undefined;
}
