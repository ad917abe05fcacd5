// Run control ("Packets" ?, c, C, s, S, vCont?, vCont): all-stop mode, so every resume ends
// with one stop of the whole machine, reported by the session with a stop reply. Signals
// given with C, S and vCont's C/S actions are ignored, as QEMU's system mode ignores them.
import { REG_PC, type DebugTarget, type ResumeAction } from '../../server/src/debug/target';
import { Errors, reply, type HandlerContext, type Outcome, type PacketHandler, type ThreadSelection } from '../handler';
import { parseHexBig, parseHexSmall } from '../hex';
import { formatStopReply, initialStopReply } from '../stop-reply';
import { hartExists, parseThreadId } from '../thread-id';

/** What vCont? offers: continue and step, with or without a signal (not `t` nor `r`). */
const VCONT_ACTIONS = 'vCont;c;C;s;S';

function allHarts(target: DebugTarget): number[] {
  return target.harts().map((info) => info.hart);
}

/** `c`: every hart, or only the Hc thread when gdb named one. */
function continueAction(target: DebugTarget, selection: ThreadSelection): ResumeAction {
  if (selection.kind !== 'one' || allHarts(target).length === 1) return { kind: 'continue' };
  return { kind: 'continue', harts: [selection.hart] };
}

/** `s`: the Hc thread steps alone; without one, the last stopped hart steps while the others run. */
function stepAction({ state }: HandlerContext): ResumeAction {
  return state.resume.kind === 'one'
    ? { kind: 'step', hart: state.resume.hart, others: 'hold' }
    : { kind: 'step', hart: state.stopHart, others: 'run' };
}

/** Resumes after moving the pc of the resumed hart to `addrText`, when given. */
function resumeAt(context: HandlerContext, addrText: string | undefined, action: ResumeAction): Outcome {
  if (addrText !== undefined && addrText !== '') {
    const addr = parseHexBig(addrText);
    if (addr === undefined) return reply(Errors.invalid);
    const hart = action.kind === 'step' ? action.hart : context.state.resume.kind === 'one' ? context.state.resume.hart : context.state.stopHart;
    if (!context.target.writeRegister(hart, REG_PC, addr)) return reply(Errors.invalid);
  }
  return { kind: 'resume', action };
}

/** `C sig[;addr]` / `S sig[;addr]`: the signal must be well formed, then it is dropped. */
function withSignal(args: string): { ok: boolean; addr?: string } {
  const [signal, addr, extra] = args.split(';');
  return { ok: parseHexSmall(signal) !== undefined && extra === undefined, addr };
}

/**
 * `vCont;action[:thread];...`: each hart takes the first action that names it (no thread =
 * every hart). One stepping hart at most steps; the others run when some action continues
 * them, else they hold still.
 */
function vCont(context: HandlerContext, args: string): Outcome {
  const { target, state } = context;
  const harts = allHarts(target);
  const chosen = new Map<number, 'c' | 's'>();
  const steppers: number[] = [];
  if (args === '') return reply(Errors.invalid);
  for (const item of args.split(';')) {
    const colon = item.indexOf(':');
    const actionText = colon < 0 ? item : item.slice(0, colon);
    const letter = actionText[0];
    if (letter === 'C' || letter === 'S') {
      if (parseHexSmall(actionText.slice(1)) === undefined) return reply(Errors.invalid);
    } else if (letter !== 'c' && letter !== 's') {
      // An action not offered by vCont? (t, r) or garbage: unsupported.
      return reply(letter === undefined ? Errors.invalid : '');
    } else if (actionText.length !== 1) {
      return reply(Errors.invalid);
    }
    const action = letter.toLowerCase() as 'c' | 's';
    let named: number[];
    if (colon < 0) {
      named = harts;
    } else {
      const selection = parseThreadId(item.slice(colon + 1));
      if (!selection) return reply(Errors.invalid);
      if (selection.kind === 'one' && !hartExists(target, selection.hart)) return reply(Errors.invalid);
      named = selection.kind === 'all' ? harts : selection.kind === 'any' ? [state.stopHart] : [selection.hart];
    }
    for (const hart of named) {
      if (chosen.has(hart)) continue;
      chosen.set(hart, action);
      if (action === 's') steppers.push(hart);
    }
  }
  const continuing = harts.filter((hart) => chosen.get(hart) === 'c');
  if (steppers.length > 0) {
    return { kind: 'resume', action: { kind: 'step', hart: steppers[0], others: continuing.length > 0 ? 'run' : 'hold' } };
  }
  if (continuing.length === harts.length) return { kind: 'resume', action: { kind: 'continue' } };
  return { kind: 'resume', action: { kind: 'continue', harts: continuing } };
}

export const resumeHandlers: readonly PacketHandler[] = [
  {
    // Why the target is stopped: the last stop (a pause reads as a trap, as QEMU answers `?`).
    name: '?',
    handle: ({ target, state }) => {
      const stop = target.lastStop;
      const features = { swbreak: state.gdbFeatures.has('swbreak'), hwbreak: state.gdbFeatures.has('hwbreak') };
      // The thread named becomes the Hg thread, as after any stop reply (session.ts).
      if (stop?.kind !== 'exited') state.general = { kind: 'one', hart: stop ? stop.hart : state.stopHart };
      if (!stop) return reply(initialStopReply(state.stopHart));
      return { kind: 'reply', payload: formatStopReply(target, stop, features, true), close: stop.kind === 'exited' };
    },
  },
  { name: 'c', handle: (context, args) => resumeAt(context, args, continueAction(context.target, context.state.resume)) },
  { name: 's', handle: (context, args) => resumeAt(context, args, stepAction(context)) },
  {
    name: 'C',
    handle: (context, args) => {
      const { ok, addr } = withSignal(args);
      return ok ? resumeAt(context, addr, continueAction(context.target, context.state.resume)) : reply(Errors.invalid);
    },
  },
  {
    name: 'S',
    handle: (context, args) => {
      const { ok, addr } = withSignal(args);
      return ok ? resumeAt(context, addr, stepAction(context)) : reply(Errors.invalid);
    },
  },
  { name: 'vCont?', handle: () => reply(VCONT_ACTIONS) },
  { name: 'vCont', handle: vCont },
];
