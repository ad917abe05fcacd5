// The monitor's address expressions, as QEMU's HMP evaluates them (monitor/hmp.c, expr_sum and
// below): numbers in C's base-0 syntax (0x.. hex, 0.. octal, else decimal), `$name` registers,
// 'c' characters, unary + - ~, * / %, & | ^, + -, and parentheses; 64-bit wrapping arithmetic.

/** Looks a register up by name (without the `$`); undefined: no such register. */
export type RegisterLookup = (name: string) => bigint | undefined;

export class ExpressionError extends Error {}

const MASK = (1n << 64n) - 1n;

/**
 * Parses and evaluates `text` (all of it: trailing words are an error), giving an unsigned
 * 64-bit value. Throws ExpressionError with QEMU-like messages ("unknown register", "invalid
 * char in expression", "division by zero", ...).
 */
export function evaluate(text: string, register: RegisterLookup): bigint {
  let at = 0;
  const skip = (): void => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const peek = (): string => {
    skip();
    return text[at] ?? '';
  };

  const unary = (): bigint => {
    const c = peek();
    if (c === '+') { at++; return unary(); }
    if (c === '-') { at++; return (-unary()) & MASK; }
    if (c === '~') { at++; return ~unary() & MASK; }
    if (c === '(') {
      at++;
      const value = sum();
      if (peek() !== ')') throw new ExpressionError("')' expected");
      at++;
      return value;
    }
    if (c === "'") {
      const ch = text[at + 1];
      if (ch === undefined || text[at + 2] !== "'") throw new ExpressionError('character constant expected');
      at += 3;
      return BigInt(ch.charCodeAt(0));
    }
    if (c === '$') {
      at++;
      const match = /^[A-Za-z_.][A-Za-z0-9_.]*/.exec(text.slice(at));
      if (!match) throw new ExpressionError('register name expected');
      at += match[0].length;
      const value = register(match[0]);
      if (value === undefined) throw new ExpressionError(`unknown register '${match[0]}'`);
      return value & MASK;
    }
    if (c === '') throw new ExpressionError('address expected');
    const match = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text.slice(at));
    if (!match) throw new ExpressionError(`invalid char '${c}' in expression`);
    const digits = match[0];
    at += digits.length;
    if (/^[0-9A-Za-z_]/.test(text[at] ?? '')) throw new ExpressionError(`invalid number '${digits}${text[at]}'`);
    const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    if (value > MASK) throw new ExpressionError(`number too large: ${digits}`);
    return value;
  };

  const logic = (): bigint => {
    let value = unary();
    for (;;) {
      const c = peek();
      if (c !== '&' && c !== '|' && c !== '^') return value;
      at++;
      const right = unary();
      value = c === '&' ? value & right : c === '|' ? value | right : value ^ right;
    }
  };

  const product = (): bigint => {
    let value = logic();
    for (;;) {
      const c = peek();
      if (c !== '*' && c !== '/' && c !== '%') return value;
      at++;
      const right = logic();
      if (c === '*') value = (value * right) & MASK;
      else if (right === 0n) throw new ExpressionError('division by zero');
      else if (c === '/') value = BigInt.asUintN(64, BigInt.asIntN(64, value) / BigInt.asIntN(64, right));
      else value = BigInt.asUintN(64, BigInt.asIntN(64, value) % BigInt.asIntN(64, right));
    }
  };

  const sum = (): bigint => {
    let value = product();
    for (;;) {
      const c = peek();
      if (c !== '+' && c !== '-') return value;
      at++;
      const right = product();
      value = (c === '+' ? value + right : value - right) & MASK;
    }
  };

  const value = sum();
  if (peek() !== '') throw new ExpressionError(`invalid char '${peek()}' in expression`);
  return value;
}
