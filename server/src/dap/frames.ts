// Call frames of a stopped hart for the DAP stack trace: unwound through the RISC-V frame
// pointer chain gcc keeps with -fno-omit-frame-pointer (return address at fp-8, the caller's
// fp at fp-16), the innermost frame's caller from ra while it has not saved it yet.
import type { SymbolTable } from '../machine/elf';
import { REG_PC, type DebugTarget } from '../debug/target';

const RA = 1;
const SP = 2;
const FP = 8;
const MAX_FRAMES = 64;

export interface Frame {
  readonly pc: bigint;
  /** The frame pointer the frame runs with (undefined for the innermost when unknown). */
  readonly fp: bigint | undefined;
}

function word(target: DebugTarget, hart: number, addr: bigint): bigint | undefined {
  const bytes = target.xlen / 8;
  const data = target.readMemory(hart, addr, bytes, target.addressSpace);
  if (data.length < bytes) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, bytes);
  return bytes === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
}

/**
 * The frames of `hart`, innermost first. A function whose prologue has not yet stored ra and
 * fp (pc at its first instructions, or a leaf that never does) would make the chain skip its
 * caller: when the symbol's start is at most 8 bytes behind pc, ra names the caller.
 */
export function unwind(target: DebugTarget, hart: number, symbols: SymbolTable | undefined): Frame[] {
  const pc = target.readRegister(hart, REG_PC)!;
  const frames: Frame[] = [{ pc, fp: target.readRegister(hart, FP) }];
  const here = symbols?.at(pc);
  const inPrologue = here !== undefined && here.offset <= 8n;
  if (inPrologue) {
    const ra = target.readRegister(hart, RA)!;
    if (ra !== 0n && ra !== pc) frames.push({ pc: ra, fp: target.readRegister(hart, FP) });
  }
  let fp = target.readRegister(hart, FP);
  const sp = target.readRegister(hart, SP) ?? 0n;
  const bytes = BigInt(target.xlen / 8);
  // The chain goes up the stack: each fp above the last, never below sp.
  let floor = sp;
  while (fp !== undefined && fp > floor && frames.length < MAX_FRAMES) {
    const ret = word(target, hart, fp - bytes);
    const callerFp = word(target, hart, fp - 2n * bytes);
    if (ret === undefined || ret === 0n || (ret & 1n) !== 0n) break;
    frames.push({ pc: ret, fp: callerFp });
    floor = fp;
    fp = callerFp;
  }
  return frames;
}
