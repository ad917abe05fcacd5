// Threads ("Packets" H and T; "General Query Packets" qC, qfThreadInfo, qsThreadInfo,
// qThreadExtraInfo): one thread per hart, thread id = hart + 1.
import type { DebugTarget, HartInfo } from '../../server/src/debug/target';
import { Errors, reply, type PacketHandler } from '../handler';
import { textToHex } from '../hex';
import { parseThreadId, selectionExists, threadId } from '../thread-id';

const PRIVILEGE_NAMES: Record<number, string> = { 0: 'U-mode', 1: 'S-mode', 3: 'M-mode' };

/** What `info threads` shows after the thread id: "hart 0, M-mode, running". */
export function describeHart(info: HartInfo): string {
  return `hart ${info.hart}, ${PRIVILEGE_NAMES[info.privilege] ?? `privilege ${info.privilege}`}, ${info.state}`;
}

function threadList(target: DebugTarget): string {
  return target.harts().map((info) => threadId(info.hart)).join(',');
}

export const threadHandlers: readonly PacketHandler[] = [
  {
    // `Hg<tid>` / `Hc<tid>`: the thread of later register/memory or resume packets.
    name: 'H',
    handle: ({ target, state }, args) => {
      const op = args[0];
      const selection = parseThreadId(args.slice(1));
      if ((op !== 'g' && op !== 'c') || !selection || !selectionExists(target, selection)) return reply(Errors.invalid);
      if (op === 'g') state.general = selection;
      else state.resume = selection;
      return reply('OK');
    },
  },
  {
    // `T<tid>`: is the thread alive? Every existing hart is.
    name: 'T',
    handle: ({ target }, args) => {
      const selection = parseThreadId(args);
      return reply(selection?.kind === 'one' && selectionExists(target, selection) ? 'OK' : Errors.invalid);
    },
  },
  // The current thread: the hart of the last stop (QC without a process, as QEMU's).
  { name: 'qC', handle: ({ state }) => reply('QC' + threadId(state.stopHart)) },
  // All the threads fit in one reply; the continuation ends the list.
  { name: 'qfThreadInfo', handle: ({ target }) => reply('m' + threadList(target)) },
  { name: 'qsThreadInfo', handle: () => reply('l') },
  {
    name: 'qThreadExtraInfo',
    handle: ({ target }, args) => {
      const selection = parseThreadId(args);
      const info = selection?.kind === 'one' ? target.harts().find((hart) => hart.hart === selection.hart) : undefined;
      return reply(info ? textToHex(describeHart(info)) : Errors.invalid);
    },
  },
];
