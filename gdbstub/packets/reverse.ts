// Reverse execution ("Packets" bs, bc; "Reverse Execution"): `bs` steps a thread (the Hc
// thread, else gdb's current one) back to just before its latest step, `bc` runs the machine
// backwards to the latest earlier breakpoint or watched access. Both end, as `s` and `c` do,
// with one stop reply, or with `replaylog:begin` at the oldest recorded state. Offered
// (qSupported ReverseStep+ and ReverseContinue+) only by a target that records history;
// otherwise refused with an error, which gdb reports ("Remote failure reply") as a stop
// rather than waiting for one.
import type { ResumeAction } from '../../server/src/debug/target';
import { Errors, reply, selectedHart, type HandlerContext, type Outcome, type PacketHandler } from '../handler';

/** The direction of the packet's letter after `b` (`b` alone is the deprecated baud packet). */
function reverseAction({ state }: HandlerContext, args: string): ResumeAction | undefined {
  // The thread gdb named with Hc. gdb sends `Hc0` (any thread) before bs whatever thread it
  // steps, and means its current thread: the Hg thread, as gdbserver takes it for `s` (its
  // current_ptid), which each stop makes the stopped hart and `thread N` makes hart N - 1.
  const hart = state.resume.kind === 'one' ? state.resume.hart : selectedHart(state, state.general);
  if (args === 's') return { kind: 'step', hart, others: 'run', reverse: true };
  if (args === 'c') return { kind: 'continue', reverse: true };
  return undefined;
}

export const reverseHandlers: readonly PacketHandler[] = [
  {
    name: 'b',
    handle: (context, args): Outcome => {
      const action = reverseAction(context, args);
      // Not bs nor bc (bBAUD, or garbage): not a packet this stub knows.
      if (!action) return reply('');
      if (!context.target.canReverse) return reply(Errors.noHistory);
      return { kind: 'resume', action };
    },
  },
];
