/**
 * Zba/Zbb/Zbc/Zbs items for the fuzz generator: one B instruction whose register sources
 * often first get an edge constant (byte and half-word patterns, sign boundaries), and
 * whose shift amounts favour 0, 1, 31, 32 and 63.
 */
import { BITMANIP_OPS, BITMANIP_OPS_32, encodeBitmanip } from './bitmanip';
import * as E from './encode';
import { type Item, type ItemContext, type Word, item, word32 } from './program';

/** sext.w (addiw t, r, 0) and zext.w (add.uw t, r, x0). */
const sextW = (t: number, r: number): number => E.iType(0x1b, 0, t, r, 0);
const zextW = (t: number, r: number): number => E.rType(0x3b, 0, 0x04, t, r, 0);

export function bitmanipItem(ctx: ItemContext): Item {
  const { rng } = ctx;
  const op = rng.pick(ctx.xlen === 32 ? BITMANIP_OPS_32 : BITMANIP_OPS);
  const words: Word[] = [];
  const source = (): number => {
    if (!rng.chance(0.5)) return ctx.src();
    const r = ctx.writable();
    words.push(ctx.loadConstant(r));
    return r;
  };
  let rs1 = source();
  if (op.name === 'ctzw') {
    // sext.w or zext.w first: QEMU 7.2 miscounts a word whose upper half is not its extension
    const t = ctx.writable();
    words.push(word32(rng.chance(0.5) ? sextW(t, rs1) : zextW(t, rs1)));
    rs1 = t;
  }
  let second = 0;
  if (op.form === 'rr') second = source();
  if (op.form === 'shamt6') second = rng.chance(0.4) ? rng.pick([0, 1, 31, 32, 63]) : rng.below(64);
  if (op.form === 'shamt5') second = rng.chance(0.4) ? rng.pick([0, 1, 16, 31]) : rng.below(32);
  words.push(word32(encodeBitmanip(op, ctx.rd(), rs1, second)));
  return item(op.name, ...words);
}
