// Breakpoints and watchpoints ("Packets" Z/z type,addr,kind): 0 software and 1 hardware
// breakpoints (kind = the instruction size: 2 compressed, 4), 2 write, 3 read and 4 access
// watchpoints (kind = the length watched, any length). Conditions and commands after `;` are
// not offered in qSupported and are ignored.
import type { BreakpointKind, WatchKind } from '../../server/src/debug/target';
import { Errors, reply, type HandlerContext, type Outcome, type PacketHandler } from '../handler';
import { parseHexBig, parseHexSmall } from '../hex';

const BREAKPOINT_TYPES: readonly BreakpointKind[] = ['software', 'hardware'];
const WATCH_TYPES: readonly WatchKind[] = ['write', 'read', 'access'];
/** Longest watched range accepted from gdb (the target refuses what it cannot watch). */
const MAX_WATCH_LENGTH = 0xffffffff;

function stoppoint({ target }: HandlerContext, args: string, insert: boolean): Outcome {
  const [typeText, addrText, kindText, extra] = args.split(';')[0].split(',');
  const type = parseHexSmall(typeText ?? '');
  if (type === undefined) return reply(Errors.invalid);
  // An unknown type is an unsupported packet: the empty reply.
  if (type > 4) return reply('');
  const addr = parseHexBig(addrText ?? '');
  const kind = parseHexSmall(kindText ?? '');
  if (addr === undefined || kind === undefined || extra !== undefined) return reply(Errors.invalid);
  if (type < 2) {
    if (kind !== 2 && kind !== 4) return reply(Errors.invalid);
    const which = BREAKPOINT_TYPES[type];
    if (insert) return reply(target.addBreakpoint(addr, which) ? 'OK' : Errors.noSpace);
    return reply(target.removeBreakpoint(addr, which) ? 'OK' : Errors.invalid);
  }
  if (kind === 0 || kind > MAX_WATCH_LENGTH) return reply(Errors.invalid);
  const which = WATCH_TYPES[type - 2];
  if (insert) return reply(target.addWatchpoint(addr, kind, which) ? 'OK' : Errors.noSpace);
  return reply(target.removeWatchpoint(addr, kind, which) ? 'OK' : Errors.invalid);
}

export const breakpointHandlers: readonly PacketHandler[] = [
  { name: 'Z', handle: (context, args) => stoppoint(context, args, true) },
  { name: 'z', handle: (context, args) => stoppoint(context, args, false) },
];
