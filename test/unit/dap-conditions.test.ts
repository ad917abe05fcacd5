// Breakpoint rules of the DAP bridge: hit-count syntax, conditions, log-message interpolation.
import { describe, expect, it } from 'vitest';
import { decideHit, parseHitCondition } from '../../server/src/dap/conditions';

describe('breakpoint rules', () => {
  it('reads hit counts as people type them', () => {
    const at = (text: string) => [1, 2, 3, 4, 5, 6].filter(parseHitCondition(text)!);
    expect(at('3')).toEqual([3, 4, 5, 6]);
    expect(at('>= 3')).toEqual([3, 4, 5, 6]);
    expect(at('>3')).toEqual([4, 5, 6]);
    expect(at('== 3')).toEqual([3]);
    expect(at('%2')).toEqual([2, 4, 6]);
    expect(parseHitCondition('x')).toBeUndefined();
  });

  it('counts only hits whose condition holds, and interpolates log messages', () => {
    const values: Record<string, bigint> = { ok: 1n, no: 0n, n: 42n };
    const evaluate = (expression: string) => {
      if (!(expression in values)) throw new Error(`no symbol '${expression}'`);
      return values[expression];
    };
    const rule = { condition: 'no', hits: 0 };
    expect(decideHit(rule, evaluate)).toEqual({ kind: 'continue' });
    expect(rule.hits).toBe(0);
    const counted = { condition: 'ok', hitCondition: '2', hits: 0 };
    expect(decideHit(counted, evaluate).kind).toBe('continue');
    expect(decideHit(counted, evaluate).kind).toBe('stop');
    expect(decideHit({ logMessage: 'n is {n}, {bad}', hits: 0 }, evaluate)).toEqual({ kind: 'log', text: "n is 42, <no symbol 'bad'>" });
    expect(decideHit({ condition: 'bad', hits: 0 }, evaluate)).toEqual({ kind: 'error', message: "condition 'bad': no symbol 'bad'" });
    expect(decideHit({ hitCondition: 'often', hits: 0 }, evaluate).kind).toBe('error');
  });
});
