// The syntax of the debugger's C expressions (C17 section 6.4 "Lexical elements" and 6.5
// "Expressions", the subset hover, watch, the REPL and breakpoint conditions use): literals,
// identifiers, `$registers`, unary and binary operators with C's precedence, casts to C type
// names, sizeof, ?:, member access, indexing and (for the REPL) assignment.

/** An error in an expression: its message is one line meant for the user. */
export class CExpressionError extends Error {
  override readonly name = 'CExpressionError';
}

/** A type name as written in a cast or sizeof: specifier words, then `*`s. */
export interface TypeName {
  /** "unsigned long", "u64", "struct trapframe", "void". */
  readonly base: string;
  /** const/volatile on the base type. */
  readonly qualifiers: readonly ('const' | 'volatile')[];
  /** One entry per `*`, outermost last, with the qualifiers written after it. */
  readonly pointers: readonly (readonly ('const' | 'volatile')[])[];
}

export type BinaryOperator =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '>' | '<=' | '>=' | '==' | '!=' | '&' | '^' | '|' | '&&' | '||';

export type UnaryOperator = '-' | '+' | '!' | '~' | '*' | '&';

export type Expression =
  /** An integer constant: its value and the C type its spelling gives it (6.4.4.1). */
  | { readonly kind: 'integer'; readonly value: bigint; readonly unsigned: boolean; readonly longs: 0 | 1 | 2; readonly decimal: boolean }
  | { readonly kind: 'floating'; readonly value: number; readonly single: boolean }
  /** 'a': of type char, as gdb gives it. */
  | { readonly kind: 'character'; readonly value: number }
  | { readonly kind: 'identifier'; readonly name: string }
  /** $name: a register of the target (or of the selected frame). */
  | { readonly kind: 'register'; readonly name: string }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly operand: Expression }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'conditional'; readonly test: Expression; readonly consequent: Expression; readonly alternate: Expression }
  | { readonly kind: 'cast'; readonly type: TypeName; readonly operand: Expression }
  | { readonly kind: 'sizeof-type'; readonly type: TypeName }
  | { readonly kind: 'sizeof-value'; readonly operand: Expression }
  | { readonly kind: 'member'; readonly object: Expression; readonly member: string; readonly arrow: boolean }
  | { readonly kind: 'index'; readonly object: Expression; readonly index: Expression }
  | { readonly kind: 'assign'; readonly target: Expression; readonly value: Expression };

type Token =
  | { readonly kind: 'number'; readonly text: string; readonly at: number }
  | { readonly kind: 'character'; readonly value: number; readonly at: number }
  | { readonly kind: 'identifier'; readonly text: string; readonly at: number }
  | { readonly kind: 'register'; readonly text: string; readonly at: number }
  | { readonly kind: 'punctuator'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

/** Longest first, so `<<` is not read as two `<`. */
const PUNCTUATORS = [
  '->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--',
  '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '?', ':', '(', ')', '[', ']', '.', '<', '>', '=', ',',
];

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)[0-9A-Za-z_]*/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at });
      at += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'identifier', text: word[0], at });
      at += word[0].length;
      continue;
    }
    const register = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (register) {
      tokens.push({ kind: 'register', text: register[1], at });
      at += register[0].length;
      continue;
    }
    if (rest[0] === "'") {
      const { value, length } = characterConstant(rest);
      tokens.push({ kind: 'character', value, at });
      at += length;
      continue;
    }
    if (rest[0] === '"') throw new CExpressionError('string literals are not supported');
    const punctuator = PUNCTUATORS.find((p) => rest.startsWith(p));
    if (!punctuator) throw new CExpressionError(`invalid character '${rest[0]}' in expression`);
    tokens.push({ kind: 'punctuator', text: punctuator, at });
    at += punctuator.length;
  }
  tokens.push({ kind: 'end', at });
  return tokens;
}

/** 'a', '\n', '\0', '\x41', '\101': the value and the length of the constant's spelling. */
function characterConstant(text: string): { value: number; length: number } {
  const match = /^'(\\(?:x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)|[^'\\])'/.exec(text);
  if (!match) throw new CExpressionError('unterminated or invalid character constant');
  const body = match[1];
  let value: number;
  if (body[0] !== '\\') value = body.charCodeAt(0);
  else if (body[1] === 'x') value = parseInt(body.slice(2), 16);
  else if (/[0-7]/.test(body[1])) value = parseInt(body.slice(1), 8);
  else if (SIMPLE_ESCAPES[body[1]] !== undefined) value = SIMPLE_ESCAPES[body[1]];
  else throw new CExpressionError(`unknown escape sequence '${body}'`);
  if (value > 0xff) throw new CExpressionError(`character constant '${body}' does not fit in a char`);
  return { value, length: match[0].length };
}

/** A numeric token as an integer or floating constant (6.4.4.1, 6.4.4.2). */
function numberConstant(text: string): Expression {
  const isHex = /^0[xX]/.test(text);
  const isBinary = /^0[bB]/.test(text);
  if (!isHex && !isBinary && /[.eE]/.test(text)) {
    const match = /^((?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)([fFlL]?)$/.exec(text);
    if (!match) throw new CExpressionError(`invalid number '${text}'`);
    return { kind: 'floating', value: Number(match[1]), single: match[2] === 'f' || match[2] === 'F' };
  }
  const match = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)([uU]?(?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU])$/.exec(text);
  if (!match) throw new CExpressionError(`invalid number '${text}'`);
  const suffix = match[2].toLowerCase();
  const longs = suffix.replace('u', '').length as 0 | 1 | 2;
  const digits = match[1];
  const octal = /^0[0-7]+$/.test(digits);
  if (/^0\d/.test(digits) && !octal) throw new CExpressionError(`invalid octal number '${text}'`);
  const value = octal ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (value >= 1n << 64n) throw new CExpressionError(`number too large: ${text}`);
  return { kind: 'integer', value, unsigned: suffix.includes('u'), longs, decimal: !isHex && !isBinary && !octal };
}

/** The type keywords that start a type name (6.7.2): a cast when after `(`. */
const TYPE_KEYWORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', 'struct', 'union', 'enum', 'const', 'volatile']);
const KEYWORDS = new Set([...TYPE_KEYWORDS, 'sizeof']);

/** Binary operators by precedence, loosest first (6.5.5 to 6.5.14). */
const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];

export interface ParseOptions {
  /** True when `name` is a typedef name (so `(name)` begins a cast). */
  readonly isTypedef?: (name: string) => boolean;
}

/** Parses all of `text` as one expression; throws CExpressionError with a one-line message. */
export function parseExpression(text: string, options: ParseOptions = {}): Expression {
  const tokens = tokenize(text);
  const isTypedef = options.isTypedef ?? (() => false);
  let position = 0;

  const peek = (offset = 0): Token => tokens[Math.min(position + offset, tokens.length - 1)];
  const isPunctuator = (token: Token, text: string) => token.kind === 'punctuator' && token.text === text;
  const describe = (token: Token): string => {
    switch (token.kind) {
      case 'end': return 'end of expression';
      case 'character': return 'character constant';
      case 'register': return `'$${token.text}'`;
      default: return `'${token.text}'`;
    }
  };
  const expect = (text: string): void => {
    const token = peek();
    if (!isPunctuator(token, text)) throw new CExpressionError(`expected '${text}' before ${describe(token)}`);
    position++;
  };
  const startsTypeName = (token: Token): boolean =>
    token.kind === 'identifier' && (TYPE_KEYWORDS.has(token.text) || isTypedef(token.text));

  const typeName = (): TypeName => {
    const qualifiers: ('const' | 'volatile')[] = [];
    const words: string[] = [];
    for (;;) {
      const token = peek();
      if (token.kind !== 'identifier') break;
      if (token.text === 'const' || token.text === 'volatile') {
        qualifiers.push(token.text);
        position++;
      } else if (token.text === 'struct' || token.text === 'union' || token.text === 'enum') {
        if (words.length > 0) throw new CExpressionError(`unexpected '${token.text}' in a type name`);
        position++;
        const tag = peek();
        if (tag.kind !== 'identifier' || KEYWORDS.has(tag.text)) throw new CExpressionError(`expected a name after '${token.text}'`);
        position++;
        words.push(token.text, tag.text);
      } else if (TYPE_KEYWORDS.has(token.text)) {
        if (words[0] === 'struct' || words[0] === 'union' || words[0] === 'enum' || (words.length > 0 && !TYPE_KEYWORDS.has(words[0]))) break;
        words.push(token.text);
        position++;
      } else if (words.length === 0 && isTypedef(token.text)) {
        words.push(token.text);
        position++;
      } else {
        break;
      }
    }
    if (words.length === 0) throw new CExpressionError(`expected a type name before ${describe(peek())}`);
    const pointers: ('const' | 'volatile')[][] = [];
    while (isPunctuator(peek(), '*')) {
      position++;
      const after: ('const' | 'volatile')[] = [];
      for (let token = peek(); token.kind === 'identifier' && (token.text === 'const' || token.text === 'volatile'); token = peek()) {
        after.push(token.text);
        position++;
      }
      pointers.push(after);
    }
    if (isPunctuator(peek(), '[')) throw new CExpressionError('array types are not supported in casts');
    if (isPunctuator(peek(), '(')) throw new CExpressionError('function types are not supported in casts');
    return { base: words.join(' '), qualifiers, pointers };
  };

  const primary = (): Expression => {
    const token = peek();
    position++;
    switch (token.kind) {
      case 'number': return numberConstant(token.text);
      case 'character': return { kind: 'character', value: token.value };
      case 'register': return { kind: 'register', name: token.text };
      case 'identifier':
        if (KEYWORDS.has(token.text)) throw new CExpressionError(`unexpected '${token.text}'`);
        return { kind: 'identifier', name: token.text };
      case 'punctuator':
        if (token.text === '(') {
          const inner = expression();
          expect(')');
          return inner;
        }
        throw new CExpressionError(`unexpected ${describe(token)}`);
      case 'end': throw new CExpressionError('expression expected');
    }
  };

  const postfix = (): Expression => {
    let node = primary();
    for (;;) {
      const token = peek();
      if (isPunctuator(token, '[')) {
        position++;
        const index = expression();
        expect(']');
        node = { kind: 'index', object: node, index };
      } else if (isPunctuator(token, '.') || isPunctuator(token, '->')) {
        position++;
        const name = peek();
        // Keywords may name members here (gdb's `$fa0.double`).
        if (name.kind !== 'identifier') throw new CExpressionError(`expected a member name after '${(token as { text: string }).text}'`);
        position++;
        node = { kind: 'member', object: node, member: name.text, arrow: (token as { text: string }).text === '->' };
      } else if (isPunctuator(token, '++') || isPunctuator(token, '--')) {
        throw new CExpressionError(`'${(token as { text: string }).text}' is not supported`);
      } else if (isPunctuator(token, '(')) {
        throw new CExpressionError('function calls are not supported');
      } else {
        return node;
      }
    }
  };

  const unary = (): Expression => {
    const token = peek();
    if (token.kind === 'punctuator') {
      switch (token.text) {
        case '-': case '+': case '!': case '~': case '*': case '&':
          position++;
          return { kind: 'unary', operator: token.text, operand: unary() };
        case '++': case '--':
          throw new CExpressionError(`'${token.text}' is not supported`);
        case '(':
          if (startsTypeName(peek(1))) {
            position++;
            const type = typeName();
            expect(')');
            return { kind: 'cast', type, operand: unary() };
          }
          break;
        default: break;
      }
    }
    if (token.kind === 'identifier' && token.text === 'sizeof') {
      position++;
      if (isPunctuator(peek(), '(') && startsTypeName(peek(1))) {
        position++;
        const type = typeName();
        expect(')');
        return { kind: 'sizeof-type', type };
      }
      return { kind: 'sizeof-value', operand: unary() };
    }
    return postfix();
  };

  const binary = (level: number): Expression => {
    if (level === BINARY_LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      const operator = token.kind === 'punctuator' ? BINARY_LEVELS[level].find((op) => op === token.text) : undefined;
      if (!operator) return left;
      position++;
      left = { kind: 'binary', operator, left, right: binary(level + 1) };
    }
  };

  const conditional = (): Expression => {
    const test = binary(0);
    if (!isPunctuator(peek(), '?')) return test;
    position++;
    const consequent = expression();
    expect(':');
    return { kind: 'conditional', test, consequent, alternate: conditional() };
  };

  function expression(): Expression {
    const left = conditional();
    if (!isPunctuator(peek(), '=')) return left;
    position++;
    return { kind: 'assign', target: left, value: expression() };
  }

  const result = expression();
  const rest = peek();
  if (rest.kind !== 'end') throw new CExpressionError(`unexpected ${describe(rest)} at column ${rest.at + 1}`);
  return result;
}
