// The debugger's C expressions, as the DAP bridge uses them: evaluate (hover, watch, the REPL),
// a breakpoint's condition, setVariable and setExpression. Parsing is in c-expression-syntax.ts,
// evaluation in c-expression-evaluator.ts; the machine is reached only through an
// EvaluationContext (c-expression-context.ts builds one from a DebugTarget).
import { formatValue, resolveType, sizeOf, typeName, type DebugInfo, type DisplayValue } from '../debug/dwarf';
import { Evaluator, type EvaluationContext } from './c-expression-evaluator';
import { CExpressionError, parseExpression, type Expression } from './c-expression-syntax';
import type { Value } from './c-expression-values';

export { CExpressionError, type Expression } from './c-expression-syntax';
export type { EvaluationContext } from './c-expression-evaluator';
export type { Lvalue, Value } from './c-expression-values';

/** Words that are C type keywords: never typedef names. */
const KEYWORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', 'struct', 'union', 'enum', 'const', 'volatile', 'sizeof']);

/**
 * Parses `text` once (a breakpoint condition when it is set, say); `info` tells typedef names
 * (`(u64)x` is a cast). Throws CExpressionError.
 */
export function compile(text: string, info: DebugInfo | undefined): Expression {
  const isTypedef = (name: string) => !KEYWORDS.has(name) && info?.typeByName(name) !== undefined;
  return parseExpression(text, { isTypedef });
}

export interface EvaluateOptions {
  /** Allow `x = v` inside the expression (the REPL); hover, watch and conditions must not change the program. */
  readonly allowAssignment?: boolean;
}

/** Evaluates an expression (text or compiled) to a typed value. Throws CExpressionError. */
export function evaluate(expression: string | Expression, context: EvaluationContext, options: EvaluateOptions = {}): Value {
  const tree = typeof expression === 'string' ? compile(expression, context.info) : expression;
  return new Evaluator(context, options.allowAssignment ?? false).evaluate(tree);
}

/**
 * A value for the Variables, Watch and hover views, formatted as the Locals are (formatValue:
 * children for structs, arrays and pointers). Throws CExpressionError when its memory cannot
 * be read.
 */
export function display(value: Value, context: EvaluationContext): DisplayValue {
  const evaluator = new Evaluator(context, false);
  if (value.absent) return { value: value.absent, type: typeName(value.type) };
  const type = evaluator.complete(value.type);
  const address = value.lvalue?.kind === 'memory' ? value.lvalue.address : undefined;
  if (value.symbol && address !== undefined) {
    // As gdb prints an ELF symbol without debug information.
    const where = `0x${address.toString(16)} <${value.symbol.name}>`;
    if (value.symbol.kind === 'func') return { value: `{<text variable, no debug info>} ${where}`, type: '<text variable, no debug info>', address };
    return { value: where, type: value.symbol.kind === 'object' ? '<data variable, no debug info>' : '<no debug info>', address };
  }
  if (type.kind === 'void') return { value: 'void', type: 'void' };
  const bytes = evaluator.contents(value);
  // Show the type as written (a typedef, a declared struct) but format with its definition.
  const shown = formatValue(type === resolveType(value.type) ? value.type : type, bytes, { memory: (at, size) => context.readMemory(at, size), address });
  return { ...shown, type: typeName(value.type) };
}

/** evaluate then display: what an evaluate request answers. */
export function evaluateForDisplay(expression: string | Expression, context: EvaluationContext, options: EvaluateOptions = {}): DisplayValue {
  return display(evaluate(expression, context, options), context);
}

/**
 * `target = value` for setVariable and setExpression: `valueText` (an expression, or an
 * enumerator of the target's enum) converted to the target's type and written to its memory or
 * register. Refuses optimized-out and computed values and aggregates. Returns the new value.
 */
export function assign(target: string | Expression, valueText: string, context: EvaluationContext): DisplayValue {
  const evaluator = new Evaluator(context, true);
  const lvalue = evaluator.evaluate(typeof target === 'string' ? compile(target, context.info) : target);
  const resolved = resolveType(lvalue.type);
  const name = valueText.trim();
  const enumerator = resolved.kind === 'enum' ? resolved.enumerators.find((e) => e.name === name) : undefined;
  const source = enumerator
    ? evaluator.integerValue(enumerator.value, lvalue.type)
    : evaluator.evaluate(compile(valueText, context.info));
  return display(evaluator.assign(lvalue, source), context);
}

/**
 * A breakpoint condition: true when the expression's value is non-zero. Throws
 * CExpressionError when it cannot be evaluated (gdb then stops and says why).
 */
export function conditionHolds(condition: string | Expression, context: EvaluationContext): boolean {
  const evaluator = new Evaluator(context, false);
  const value = evaluator.evaluate(typeof condition === 'string' ? compile(condition, context.info) : condition);
  const scalar = evaluator.scalar(value);
  return scalar.kind === 'floating' ? scalar.value !== 0 : scalar.value !== 0n;
}

/**
 * The expression naming a child of an expanded value (a DisplayChild's name under `parent`):
 * `p.x`, `(*p).x`, `a[3]`, `*p`; undefined for anonymous members. For evaluateName, and to
 * setVariable on a child by assigning to it.
 */
export function childExpression(parent: string, child: string): string | undefined {
  if (child.startsWith('<')) return undefined;
  const simple = /^[A-Za-z_$][\w$]*(?:\s*(?:\.|->)\s*[A-Za-z_]\w*|\[[^\]]*\])*$/.test(parent.trim());
  const base = simple ? parent.trim() : `(${parent.trim()})`;
  if (child === '*') return `*${base}`;
  if (/^\[\d+\]$/.test(child)) return `${base}${child}`;
  return `${base}.${child}`;
}

/** The size of an expression's type, as `sizeof expr` gives it (for a data breakpoint on it). */
export function sizeOfValue(value: Value): number {
  return sizeOf(resolveType(value.type));
}

/** Messages of CExpressionError are for the user; anything else is a bug to report as such. */
export function isExpressionError(error: unknown): error is CExpressionError {
  return error instanceof CExpressionError;
}
