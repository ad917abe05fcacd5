/**
 * F/D items for the fuzz generator: one computational instruction with its operands (an
 * integer source may first get an edge constant), an FP load or store through a scratch
 * base register, or an access to fcsr, frm or fflags (fsrm, fsflags, frcsr, ...).
 * Floating-point registers are all fair game: the harness reserves none of them.
 */
import { Csr } from './csrs';
import * as E from './encode';
import {
  FLOAT_MEMORY_OPS, FLOAT_OPS, FLOAT_OPS_32, QUIET_FLOAT_OPS, QUIET_FLOAT_OPS_32, encodeFloatOp, pickRoundingMode,
} from './float';
import { type Item, type ItemContext, type Word, item, word32 } from './program';

export function floatComputeItem(ctx: ItemContext): Item {
  const { rng } = ctx;
  const op = ctx.xlen === 32
    ? rng.pick(ctx.floatQuiet ? QUIET_FLOAT_OPS_32 : FLOAT_OPS_32)
    : rng.pick(ctx.floatQuiet ? QUIET_FLOAT_OPS : FLOAT_OPS);
  const words: Word[] = [];
  const fields: { rd?: number; rs1?: number; rs2?: number; rs3?: number; rm?: number } = {};
  for (const operand of op.operands) {
    switch (operand) {
      case 'fd': fields.rd = rng.below(32); break;
      case 'xd': fields.rd = ctx.rd(); break;
      case 'fs1': fields.rs1 = rng.below(32); break;
      case 'xs1':
        if (rng.chance(0.4)) {
          fields.rs1 = ctx.writable();
          words.push(ctx.loadConstant(fields.rs1));
        } else {
          fields.rs1 = ctx.src();
        }
        break;
      // the same register twice: fsgnj.x f, g, g is fmv/fneg/fabs; x - x, x * x, min(x, x)
      case 'fs2': fields.rs2 = rng.chance(0.1) && fields.rs1 !== undefined ? fields.rs1 : rng.below(32); break;
      case 'fs3': fields.rs3 = rng.below(32); break;
      case 'rm': fields.rm = pickRoundingMode(rng); break;
    }
  }
  words.push(word32(encodeFloatOp(op, fields)));
  return item(op.name, ...words);
}

export function floatMemoryItem(ctx: ItemContext): Item {
  const ops = ctx.floatQuiet ? FLOAT_MEMORY_OPS.filter(([, opcode]) => opcode === 0x27) : FLOAT_MEMORY_OPS;
  const [name, opcode, f3, size] = ctx.rng.pick(ops);
  const base = ctx.scratchBase();
  const offset = ctx.memOffset(base, size);
  const freg = ctx.rng.below(32);
  return item(name, word32(opcode === 0x07
    ? E.iType(opcode, f3, freg, base.reg, offset)
    : E.sType(opcode, f3, base.reg, freg, offset)));
}

/**
 * fcsr, frm or fflags through any CSR instruction. In a segment whose mstatus.FS starts
 * Initial or Clean, csrrs/csrrc use x0 (a pure read): with a register that holds 0 the
 * spec calls them a write that changes nothing, and whether that dirties FS is
 * implementation-defined (QEMU: it does not). A quiet segment only reads.
 */
export function floatCsrItem(ctx: ItemContext): Item {
  const { rng } = ctx;
  const csr = rng.pick([Csr.fflags, Csr.frm, Csr.fcsr]);
  const csrName = csr === Csr.fflags ? 'fflags' : csr === Csr.frm ? 'frm' : 'fcsr';
  if (ctx.floatQuiet) return item(`read-${csrName}`, word32(E.csrOp(rng.pick([2, 3, 6, 7]), ctx.rd(), csr, 0)));
  const [name, f3] = rng.pick(E.CSR_OPS);
  let source: number;
  if (f3 >= 5) source = csr === Csr.frm && rng.chance(0.7) ? rng.range(0, 7) : rng.below(32); // uimm
  else if ((f3 === 2 || f3 === 3) && (ctx.fsTracked || rng.chance(0.4))) source = 0;
  else source = ctx.src();
  return item(`${name}-${csrName}`, word32(E.csrOp(f3, ctx.rd(), csr, source)));
}
