// Stop replies ("Stop Reply Packets"): `T AA n:r;...` with the thread, the stop reason and
// the pc and sp expedited (register numbers in hex, values as in `p`), so gdb needs no `g`
// at each stop; `W AA` when the guest exited. A reverse run that reached the oldest recorded
// state says `replaylog:begin` (gdb: "No more reverse-execution history."). Signals as gdb's
// include/gdb/signals.h numbers.
import { REG_PC, type DebugTarget, type StopReason } from '../server/src/debug/target';
import { hexByte, registerToHex } from './hex';
import { threadId } from './thread-id';

const SIGINT = 2;
const SIGTRAP = 5;
const REG_SP = 2;
/** The registers sent with every stop: pc, then sp (as QEMU and gdbserver expedite). */
const EXPEDITED = [REG_PC, REG_SP];

/** Which stop-reason words gdb said it understands (qSupported `swbreak+`, `hwbreak+`). */
export interface StopReplyFeatures {
  readonly swbreak: boolean;
  readonly hwbreak: boolean;
}

/**
 * The reply for `reason`. `forQuery`: the answer to `?`, where a pause reads as a trap (as
 * QEMU's) and the start of history as a plain trap (gdb attaching is not replaying).
 */
export function formatStopReply(target: DebugTarget, reason: StopReason, features: StopReplyFeatures, forQuery = false): string {
  if (reason.kind === 'exited') return 'W' + hexByte(reason.code & 0xff);
  const signal = reason.kind === 'paused' && !forQuery ? SIGINT : SIGTRAP;
  let out = 'T' + hexByte(signal) + 'thread:' + threadId(reason.hart) + ';';
  switch (reason.kind) {
    case 'breakpoint':
      if (reason.type === 'software' && features.swbreak) out += 'swbreak:;';
      if (reason.type === 'hardware' && features.hwbreak) out += 'hwbreak:;';
      break;
    case 'watchpoint': {
      const word = reason.watch === 'write' ? 'watch' : reason.watch === 'read' ? 'rwatch' : 'awatch';
      out += `${word}:${BigInt.asUintN(64, reason.addr).toString(16)};`;
      break;
    }
    case 'history-start':
      if (!forQuery) out += 'replaylog:begin;';
      break;
    case 'step':
    case 'paused':
    case 'trap':
      break;
  }
  return out + expeditedRegisters(target, reason.hart);
}

function expeditedRegisters(target: DebugTarget, hart: number): string {
  let out = '';
  for (const number of EXPEDITED) {
    const info = target.registers.find((register) => register.number === number);
    if (!info) continue;
    const value = target.readRegister(hart, number);
    if (value === undefined) continue;
    out += `${number.toString(16).padStart(2, '0')}:${registerToHex(value, Math.ceil(info.bits / 8))};`;
  }
  return out;
}

/** The stop reply when the target never stopped yet (a machine not started): a trap on hart 0. */
export function initialStopReply(hart: number): string {
  return 'T' + hexByte(SIGTRAP) + 'thread:' + threadId(hart) + ';';
}
