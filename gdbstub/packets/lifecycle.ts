// Ending a session ("Packets" k, D, vKill, vMustReplyEmpty): `k` kills without a reply,
// `vKill;pid` answers OK and kills, `D` (or `D;pid`) answers OK, forgets the breakpoints and
// watchpoints and lets the machine run on, as QEMU does on detach.
import { Errors, reply, type PacketHandler } from '../handler';

export const lifecycleHandlers: readonly PacketHandler[] = [
  { name: 'k', handle: () => ({ kind: 'end', how: 'kill' }) },
  { name: 'vKill', handle: () => ({ kind: 'end', how: 'kill', reply: 'OK' }) },
  {
    name: 'D',
    handle: (_context, args) => (args === '' || /^;[0-9a-fA-F]+$/.test(args) ? { kind: 'end', how: 'detach', reply: 'OK' } : reply(Errors.invalid)),
  },
  // gdb checks that unknown v packets get the empty reply.
  { name: 'vMustReplyEmpty', handle: () => reply('') },
];
