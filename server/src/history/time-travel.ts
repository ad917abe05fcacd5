// Time travel: records a machine's history while a debugger drives it (checkpoints, the turn
// log, the guest's input, the debugger's resumes) and moves it to any earlier point by
// restoring the nearest checkpoint and replaying from there — reverse steps and continues —
// and forward again through the recorded past to the present, where it runs on live.
import type { CopyOnWrite } from '../devices/virtio/blk';
import type { DebugHalt, DebugRun, InputEntry, Machine } from '../machine/machine';
import { Checkpoints, type Checkpoint } from './checkpoints';
import { TurnLog } from './turns';

export interface HistoryOptions {
  /** Bytes the checkpoints may hold (256 MiB when absent). */
  readonly budget?: number;
  /** Clock steps between periodic checkpoints (2,000,000 when absent: a replay from the
   * nearest then takes about 10 ms at 200 MIPS). */
  readonly interval?: number;
}

export const DEFAULT_HISTORY_BUDGET = 256 * 1024 * 1024;
export const DEFAULT_CHECKPOINT_INTERVAL = 2_000_000;
/** At most this many checkpoints, whatever their size (the spacing grows with age). */
const MAX_CHECKPOINTS = 2048;

/** Where a move through history ended: a stop as the machine reports them, or the oldest state held. */
export type TravelStop = DebugHalt | { readonly kind: 'history-start'; readonly hart: number };

/** Turns the debugger's breakpoints and watchpoints off while seeking, and back on. */
export interface DebugTables {
  suspend(): void;
  restore(): void;
}

/** A debugger's resume, at the clock step it resumed at. */
interface Resume {
  readonly step: bigint;
  readonly plan: DebugRun;
  /** The debugger had changed the state here: the checkpoint holding the changed state. */
  readonly barrier?: Checkpoint;
}

interface Hit {
  readonly step: bigint;
  readonly halt: DebugHalt & { hart: number };
}

type ReplayMode = 'seek' | 'scan' | 'forward';

const RUN_ALL: DebugRun = { kind: 'continue' };

export class TimeTravel {
  private checkpoints: Checkpoints;
  private turns = new TurnLog();
  private inputs: InputEntry[] = [];
  private resumes: Resume[] = [];
  private readonly interval: bigint;
  private readonly budget: number;
  /** In the past: the clock step of the latest state recorded (the present). */
  private frontier: bigint | undefined;
  private nextCheckpointAt = 0n;
  /** The debugger changed registers, memory or the board since the last resume. */
  private edited = false;
  /** Replaying: the next recorded resume to apply, the plan the harts run by, the hart whose first step may execute where it stands. */
  private nextResume = 0;
  private replayPlan: DebugRun | undefined;
  private replayResumeHart: number | undefined;
  /** The checkpoint just restored (a barrier resume then needs no second restore). */
  private restored: Checkpoint | undefined;
  /** The hart the last stop in the past named (a forward run executes where it stands). */
  private stopHart: number | undefined;
  private waiting: ((halt: DebugHalt) => void) | undefined;
  private pauseWanted = false;
  /** A move through history is under way. */
  busy = false;

  constructor(private readonly machine: Machine, private readonly tables: DebugTables, options: HistoryOptions = {}) {
    this.interval = BigInt(Math.max(1, Math.floor(options.interval ?? DEFAULT_CHECKPOINT_INTERVAL)));
    this.budget = options.budget ?? DEFAULT_HISTORY_BUDGET;
    this.checkpoints = new Checkpoints({ bytes: this.budget, count: MAX_CHECKPOINTS });
    // Disk writes must be undoable: they go to the overlays from now on.
    for (const disk of this.disks()) if (disk && !disk.active) disk.activate();
    machine.history = {
      ran: (start, hart, steps) => { if (this.frontier === undefined) this.turns.add(start, hart, steps); },
      between: () => { if (this.frontier === undefined && this.machine.core.clockSteps >= this.nextCheckpointAt) this.periodic(); },
      input: (entry) => { this.inputs.push(entry); },
    };
    this.restart();
  }

  /** True while the machine stands in the past (a forward run replays up to the present). */
  get inPast(): boolean {
    return this.frontier !== undefined;
  }

  /** The clock step of the oldest state the history holds. */
  get start(): bigint {
    return this.checkpoints.oldest!.step;
  }

  /** What the history holds: checkpoints and their bytes, the recorded span. */
  get stats(): { checkpoints: number; bytes: number; budget: number; start: bigint; present: bigint; now: bigint } {
    const now = this.machine.core.clockSteps;
    return { checkpoints: this.checkpoints.length, bytes: this.checkpoints.bytes, budget: this.budget, start: this.start, present: this.frontier ?? now, now };
  }

  /** Forgets the history: it begins anew here (after loadvm, or at attach). */
  restart(): void {
    this.checkpoints = new Checkpoints({ bytes: this.budget, count: MAX_CHECKPOINTS });
    this.turns = new TurnLog();
    this.inputs = [];
    this.resumes = [];
    this.frontier = undefined;
    this.edited = false;
    this.machine.replayHistoryInput(undefined);
    this.checkpoint(false);
  }

  /** A debugger stop handed to time travel first: true when a move through history consumed it. */
  intercept(halt: DebugHalt): boolean {
    const waiting = this.waiting;
    if (!waiting) return false;
    this.waiting = undefined;
    waiting(halt);
    return true;
  }

  /** A debugger is about to resume the machine in the present with `plan`: recorded, with a checkpoint here. */
  resumed(plan: DebugRun): void {
    const clock = this.machine.core.clockSteps;
    const latest = this.checkpoints.latest!;
    let here = latest.step === clock && latest.resumes === this.resumes.length ? latest : undefined;
    if (!here || this.edited) here = this.checkpoint(this.edited || here?.barrier === true);
    this.edited = false;
    this.resumes.push({ step: clock, plan, barrier: here.barrier ? here : undefined });
    this.nextCheckpointAt = clock + this.interval;
  }

  /** The debugger is about to change registers, memory or the board: in the past that discards the future. */
  edit(): void {
    if (this.frontier !== undefined) this.discardFuture();
    this.edited = true;
  }

  /** Asks a move under way to stop where it is. */
  pause(): void {
    if (!this.busy) return;
    this.pauseWanted = true;
    this.machine.debugPause();
  }

  /** Goes back to just before hart `hart`'s latest step. */
  reverseStep(hart: number): Promise<TravelStop | 'live'> {
    return this.move(async () => {
      this.enterPast();
      const step = this.turns.lastStepBefore(hart, this.machine.core.clockSteps);
      if (step === undefined || step < this.start) return this.toStart(hart);
      const paused = await this.seek(step);
      return paused ?? { kind: 'step', hart };
    });
  }

  /**
   * Goes back to the latest earlier breakpoint or watched access (see target.ts), else to the
   * start; only `harts`' hits count when given. An access made by the instruction just before
   * here counts (the stop is then here: a debugger steps back over it).
   */
  reverseContinue(hart: number, harts?: readonly number[]): Promise<TravelStop | 'live'> {
    return this.move(async () => {
      this.enterPast();
      const now = this.machine.core.clockSteps;
      let end = now;
      for (let index = this.checkpoints.indexAtOrBefore(end, true); index >= 0; index = this.checkpoints.indexAtOrBefore(end, true)) {
        const from = this.restoreTo(index);
        const hits: Hit[] = [];
        const stopped = await this.replay(end, 'scan', hits);
        if (stopped) return stopped;
        // A watched access shows right after the accessing instruction (the hart executes it from the hit).
        const shown = (hit: Hit) => (hit.halt.kind === 'watch' ? hit.step + 1n : hit.step);
        const last = hits.filter((hit) => hit.step < now && (!harts || harts.includes(hit.halt.hart))).pop();
        if (last) {
          const paused = await this.seek(shown(last));
          return paused ?? last.halt;
        }
        end = from.step;
      }
      return this.toStart(hart);
    });
  }

  /**
   * A debugger resumes with `plan` while the machine stands in the past: replays the recorded
   * history (stopping at breakpoints and watchpoints, and after a step at the hart's next)
   * up to the present; 'live' when it got there, the caller then resumes the machine itself.
   */
  forward(plan: DebugRun): Promise<TravelStop | 'live'> {
    return this.move(async () => {
      const frontier = this.frontier!;
      const clock = this.machine.core.clockSteps;
      let stepEnd: bigint | undefined;
      if (plan.kind === 'step') {
        const next = this.turns.nextStepFrom(plan.hart, clock);
        if (next !== undefined && next < frontier) stepEnd = next + 1n;
      }
      const target = stepEnd ?? frontier;
      this.replayResumeHart = this.stopHart;
      const halt = await this.replay(target, 'forward');
      if (halt) return halt;
      if (target === frontier) {
        const moved = this.machine.core.clockSteps !== clock;
        this.goLive();
        if (stepEnd === undefined) {
          this.resumed(plan);
          this.machine.debugResume(plan, { resumeHart: moved ? undefined : this.stopHart });
          // A pause asked for on the way stops the live run at once (reported as the machine's own).
          if (this.pauseWanted) this.machine.debugPause();
          return 'live';
        }
      }
      return { kind: 'step', hart: (plan as { hart: number }).hart };
    });
  }

  // --- moving ---

  /** Runs a move with the machine halted: it reports where it ended (a stop, or 'live'). */
  private async move(body: () => Promise<TravelStop | 'live'>): Promise<TravelStop | 'live'> {
    this.busy = true;
    this.pauseWanted = false;
    try {
      const result = await body();
      if (result !== 'live' && result.kind !== 'exited') {
        this.stopHart = result.hart;
        this.machine.markStopped(result.hart);
      }
      return result;
    } finally {
      this.busy = false;
      this.pauseWanted = false;
    }
  }

  /** The present becomes the frontier the past is replayed up to (a checkpoint holds it). */
  private enterPast(): void {
    if (this.frontier !== undefined) return;
    const clock = this.machine.core.clockSteps;
    const latest = this.checkpoints.latest!;
    if (!(latest.step === clock && latest.resumes === this.resumes.length) || this.edited) this.checkpoint(this.edited);
    this.edited = false;
    this.frontier = clock;
    const run = this.machine.runPlan;
    this.nextResume = this.resumes.length;
    this.replayPlan = run.plan;
    this.replayResumeHart = run.resumeHart;
    this.machine.replayHistoryInput(this.inputs, this.inputs.length);
  }

  /** Back at the frontier: the latest checkpoint (taken there) puts back every bookkeeping detail, and the machine is live. */
  private goLive(): void {
    this.restoreTo(this.checkpoints.length - 1, true);
    this.frontier = undefined;
    this.machine.replayHistoryInput(undefined);
    this.nextCheckpointAt = this.machine.core.clockSteps + this.interval;
  }

  private async toStart(hart: number): Promise<TravelStop> {
    const paused = await this.seek(this.start);
    return paused ?? { kind: 'history-start', hart };
  }

  /** Moves to clock step `target` (in the past) with the debugger's tables off; a stop only if the user paused. */
  private async seek(target: bigint): Promise<TravelStop | undefined> {
    const index = this.checkpoints.indexAtOrBefore(target);
    const clock = this.machine.core.clockSteps;
    const from = this.checkpoints.at(index);
    if (!(clock <= target && (clock > from.step || (clock === from.step && this.nextResume >= from.resumes)))) this.restoreTo(index);
    this.tables.suspend();
    try {
      return await this.replay(target, 'seek');
    } finally {
      this.tables.restore();
    }
  }

  /**
   * Replays from here to clock step `target` through the recorded resumes. 'seek' and 'scan'
   * pass breakpoints and watchpoints ('scan' notes each in `hits`); 'forward' stops at them.
   * Undefined when it got there; else the stop that ended it (a pause, or forward's breakpoint).
   */
  private async replay(target: bigint, mode: ReplayMode, hits?: Hit[]): Promise<TravelStop | undefined> {
    const core = this.machine.core;
    for (;;) {
      // Every resume recorded here takes effect (a barrier's changed state with it).
      while (this.nextResume < this.resumes.length && this.resumes[this.nextResume].step <= core.clockSteps) {
        const resume = this.resumes[this.nextResume];
        if (resume.barrier && this.restored !== resume.barrier) {
          this.restoreTo(this.checkpointIndex(resume.barrier));
          continue;
        }
        this.replayPlan = resume.plan;
        this.replayResumeHart = undefined;
        this.restored = undefined;
        this.nextResume++;
      }
      if (core.clockSteps >= target) return undefined;
      const next = this.resumes[this.nextResume]?.step;
      const stopAt = next !== undefined && next < target ? next : target;
      const halt = await this.runUntil(this.replayPlan ?? RUN_ALL, stopAt, this.replayResumeHart);
      this.replayResumeHart = undefined;
      this.restored = undefined;
      if (halt.kind === 'exited') return halt;
      if (this.pauseWanted) return { kind: 'paused', hart: this.machine.harts.active };
      switch (halt.kind) {
        case 'paused':
          break;
        case 'step':
          // A recorded step ends where the debugger resumed next (or at the present).
          if (core.clockSteps !== stopAt) throw new Error(`time travel: the replay left the recording at step ${core.clockSteps}`);
          break;
        default:
          if (mode === 'forward') return halt;
          if (mode === 'scan' && halt.kind !== 'trap') hits!.push({ step: core.clockSteps, halt });
          this.replayResumeHart = halt.hart;
      }
    }
  }

  /** Resumes the machine with `plan` until `stopAt` or an earlier stop. */
  private runUntil(plan: DebugRun, stopAt: bigint, resumeHart: number | undefined): Promise<DebugHalt> {
    const outer = this.machine.pauseStep; // a live pause a host asked for (tests, benchmarks) stays
    return new Promise<DebugHalt>((resolve) => {
      this.waiting = resolve;
      this.machine.pauseAtStep(stopAt);
      this.machine.debugResume(plan, { resumeHart });
    }).finally(() => this.machine.pauseAtStep(outer));
  }

  // --- recording ---

  private periodic(): void {
    this.checkpoint(false);
    this.nextCheckpointAt = this.machine.core.clockSteps + this.interval;
  }

  private checkpoint(barrier: boolean): Checkpoint {
    const machine = this.machine;
    // The first checkpoint needs only the pages ever written when the dirty map still names them all.
    const complete = this.checkpoints.length === 0 && machine.core.dirtyMapComplete;
    const dirty = machine.core.takeDirtyPages();
    return this.checkpoints.add({
      step: machine.core.clockSteps,
      light: machine.captureLight(),
      run: machine.runPlan,
      disks: this.disks().map((disk) => disk?.share()),
      inputs: this.inputs.length,
      resumes: this.resumes.length,
      barrier,
    }, machine.core.ram, dirty, complete);
  }

  /** Puts the machine at checkpoint `index`: replaying from there, or (`live`) as the present. */
  private restoreTo(index: number, live = false): Checkpoint {
    const machine = this.machine;
    const checkpoint = this.checkpoints.at(index);
    const dirty = machine.core.takeDirtyPages();
    // Replaying, the guest's input comes from the log: none waits typed-ahead.
    const light = live ? checkpoint.light : { ...checkpoint.light, board: { ...checkpoint.light.board, input: [] } };
    machine.restoreLight(light, (ram) => this.checkpoints.restore(index, ram, dirty));
    this.disks().forEach((disk, i) => { const granules = checkpoint.disks[i]; if (disk && granules) disk.restoreShared(granules); });
    if (!live) machine.replayHistoryInput(this.inputs, checkpoint.inputs);
    this.nextResume = checkpoint.resumes;
    this.replayPlan = checkpoint.run.plan;
    this.replayResumeHart = checkpoint.run.resumeHart;
    this.restored = checkpoint;
    return checkpoint;
  }

  private checkpointIndex(checkpoint: Checkpoint): number {
    for (let i = this.checkpoints.length - 1; i >= 0; i--) if (this.checkpoints.at(i) === checkpoint) return i;
    throw new Error('time travel: a barrier checkpoint is missing');
  }

  /** Forgets everything after the present point in the past, which becomes the present. */
  private discardFuture(): void {
    const clock = this.machine.core.clockSteps;
    let keep = this.checkpoints.indexAtOrBefore(clock);
    while (keep > 0 && this.checkpoints.at(keep).resumes > this.nextResume) keep--;
    this.checkpoints.truncateAfter(keep);
    this.resumes.length = this.nextResume;
    this.inputs.length = this.machine.historyInputTaken;
    this.turns.truncate(clock);
    this.frontier = undefined;
    this.machine.replayHistoryInput(undefined);
    this.nextCheckpointAt = clock + this.interval;
  }

  private disks(): (CopyOnWrite | undefined)[] {
    return this.machine.attachedDisks().map((disk) => (disk.readOnly ? undefined : disk.copyOnWrite));
  }
}
