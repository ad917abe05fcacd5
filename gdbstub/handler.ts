// What a packet handler is given and what it returns. Handlers (packets/*.ts) read and change
// the target and the session's selections; the session (session.ts) does everything that
// touches the connection or the run state: replies, resuming, ending.
import type { DebugTarget, ResumeAction } from '../server/src/debug/target';

/** The error replies used ("Standard Replies": `E NN`; gdb shows NN, it attaches no meaning). */
export const Errors = {
  /** EINVAL (22) in hex: malformed packet, unknown thread, bad value. */
  invalid: 'E16',
  /** Bad address: nothing readable or writable there, no such register (QEMU's E14). */
  badAddress: 'E14',
  /** ENOSPC (28) in hex: the breakpoint or watchpoint table is full. */
  noSpace: 'E1c',
  /** A handler failed unexpectedly (the target threw). */
  failed: 'E01',
  /** qXfer: annex unknown or request malformed ("qXfer read" replies). */
  xferAnnex: 'E00',
  /** ENOSYS (38) in hex: bs/bc on a target that records no history. */
  noHistory: 'E26',
} as const;

/** A thread selection of `H`: one hart, any hart (0), or all (-1). */
export type ThreadSelection =
  | { readonly kind: 'one'; readonly hart: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'all' };

/** The session state handlers may read and change. */
export interface SessionState {
  /** `Hg`: the thread of g/G/p/P/m/M/X. */
  general: ThreadSelection;
  /** `Hc`: the thread of c/s/C/S. */
  resume: ThreadSelection;
  /** The hart of the last stop: what "any thread" means. */
  stopHart: number;
  /** The features gdb announced in qSupported (`swbreak`, `hwbreak`, ...). */
  readonly gdbFeatures: Set<string>;
  /** qXfer documents being read in pieces, by object and annex. */
  readonly xferCache: Map<string, string>;
}

export interface HandlerContext {
  readonly target: DebugTarget;
  readonly state: SessionState;
  /** The PacketSize announced: no packet sent or received exceeds it. */
  readonly packetSize: number;
}

/** What the session does after a handler ran. */
export type Outcome =
  /** Send `payload` (after `console` as O packets); then end the session when `close`. */
  | { readonly kind: 'reply'; readonly payload: string; readonly console?: readonly string[]; readonly close?: boolean }
  /** Resume the target; the stop reply follows the stop. */
  | { readonly kind: 'resume'; readonly action: ResumeAction }
  /** QStartNoAckMode: reply OK, then stop acknowledging. */
  | { readonly kind: 'no-ack-mode' }
  /** k, vKill, D: send `reply` if any, then kill or detach and end the session. */
  | { readonly kind: 'end'; readonly how: 'kill' | 'detach'; readonly reply?: string };

export type Handler = (context: HandlerContext, args: string) => Outcome | Promise<Outcome>;

/**
 * A packet family entry. `name` is the packet's letter (`g`, `m`, `Z`, ...) or, for the named
 * packets (`q`, `Q`, `v`), the name up to the first `:`, `,` or `;` (`qSupported`, `vCont`,
 * `vCont?`); `args` is what follows the letter, or the name and its separator.
 */
export interface PacketHandler {
  readonly name: string;
  readonly handle: Handler;
}

export const reply = (payload: string): Outcome => ({ kind: 'reply', payload });

/** The hart a selection stands for now: the selected one, else the last stopped one. */
export function selectedHart(state: SessionState, selection: ThreadSelection): number {
  return selection.kind === 'one' ? selection.hart : state.stopHart;
}
