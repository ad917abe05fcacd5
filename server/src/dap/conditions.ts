// Conditions, hit counts and log messages of source and function breakpoints: whether a hit
// stops, and what a logpoint prints (its {expression}s evaluated at the hit).

export interface BreakpointRule {
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  hits: number;
}

/** The outcome of one hit: stop, log a line and go on, or just go on. */
export type HitOutcome = { kind: 'stop' } | { kind: 'log'; text: string } | { kind: 'continue' } | { kind: 'error'; message: string };

/**
 * A hit count condition as people type it: `N` or `>= N` (from the Nth hit on), `> N`,
 * `== N` (the Nth only), `% N` (every Nth). Undefined when the text is none of those.
 */
export function parseHitCondition(text: string): ((hits: number) => boolean) | undefined {
  const match = /^\s*(>=|>|==|=|%)?\s*(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const n = Number(match[2]);
  switch (match[1]) {
    case '>': return (hits) => hits > n;
    case '==': case '=': return (hits) => hits === n;
    case '%': return (hits) => n > 0 && hits % n === 0;
    default: return (hits) => hits >= n;
  }
}

/** Counts the hit and decides it; `evaluate` gives an expression's value, for a condition
 * (nonzero holds) or for a log message's text (throws on errors). */
export function decideHit(rule: BreakpointRule, evaluate: (expression: string, purpose: 'condition' | 'log') => string | bigint): HitOutcome {
  try {
    if (rule.condition && rule.condition.trim() !== '') {
      const value = evaluate(rule.condition, 'condition');
      if (value === 0n || value === '0' || value === 'false') return { kind: 'continue' };
    }
    rule.hits++;
    if (rule.hitCondition && rule.hitCondition.trim() !== '') {
      const test = parseHitCondition(rule.hitCondition);
      if (!test) return { kind: 'error', message: `bad hit count '${rule.hitCondition}' (use N, >= N, > N, == N or % N)` };
      if (!test(rule.hits)) return { kind: 'continue' };
    }
    if (rule.logMessage !== undefined) {
      const text = rule.logMessage.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
        try {
          return String(evaluate(expression, 'log'));
        } catch (error) {
          return `<${error instanceof Error ? error.message : String(error)}>`;
        }
      });
      return { kind: 'log', text };
    }
    return { kind: 'stop' };
  } catch (error) {
    return { kind: 'error', message: `condition '${rule.condition}': ${error instanceof Error ? error.message : String(error)}` };
  }
}
