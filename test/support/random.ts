// xorshift32 (Marsaglia 2003): the tests' one seeded generator, so a failing run reproduces.

/** A generator of uint32 values from `seed` (0 is taken as 1: xorshift never leaves 0). */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}
