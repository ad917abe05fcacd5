// Thread ids ("Packets" > thread-id): hex numbers, 0 = any thread, -1 = all threads, with an
// optional `p<pid>.` prefix in multiprocess form (`p<pid>` alone: all its threads). Lantern's
// threads are its harts: thread id = hart + 1 (ids must be positive), all in process 1.
import type { DebugTarget } from '../server/src/debug/target';
import type { ThreadSelection } from './handler';

const PROCESS_ID = 1;

/** A thread id as sent in replies (two digits at least, as QEMU writes them). */
export function threadId(hart: number): string {
  return (hart + 1).toString(16).padStart(2, '0');
}

/**
 * A thread id from a packet; undefined when malformed. A well-formed id of no existing hart
 * still parses (as `one` with hart -1 or beyond): callers check with hartExists.
 */
export function parseThreadId(text: string): ThreadSelection | undefined {
  let tid = text;
  if (tid.startsWith('p')) {
    const dot = tid.indexOf('.');
    const pid = dot < 0 ? tid.slice(1) : tid.slice(1, dot);
    const pidValue = parseNumber(pid);
    if (pidValue === undefined) return undefined;
    // `p<pid>` alone stands for `p<pid>.-1`: every thread of the process.
    if (dot < 0) return pidValue === -1 || pidValue === 0 || pidValue === PROCESS_ID ? { kind: 'all' } : { kind: 'one', hart: -1 };
    tid = tid.slice(dot + 1);
    if (pidValue !== -1 && pidValue !== 0 && pidValue !== PROCESS_ID) return parseNumber(tid) === undefined ? undefined : { kind: 'one', hart: -1 };
  }
  const value = parseNumber(tid);
  if (value === undefined) return undefined;
  if (value === -1) return { kind: 'all' };
  if (value === 0) return { kind: 'any' };
  return { kind: 'one', hart: value - 1 };
}

/** -1, or a hex number (saturated far beyond any hart). */
function parseNumber(text: string): number | undefined {
  if (text === '-1') return -1;
  if (!/^[0-9a-fA-F]+$/.test(text)) return undefined;
  const digits = text.replace(/^0+(?=.)/, '');
  return digits.length > 8 ? Number.MAX_SAFE_INTEGER : parseInt(digits, 16);
}

export function hartExists(target: DebugTarget, hart: number): boolean {
  return target.harts().some((info) => info.hart === hart);
}

/** True when the selection names harts that exist (any and all always do). */
export function selectionExists(target: DebugTarget, selection: ThreadSelection): boolean {
  return selection.kind !== 'one' || hartExists(target, selection.hart);
}
