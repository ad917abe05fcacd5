// Follows the lantern sessions' run state through the DAP messages themselves (a debug
// adapter tracker): which session and hart the views should show, and whether its machine
// is stopped (monitor commands read state only then). The hart is the one that stopped,
// until another is selected in the Call Stack view.
import * as vscode from 'vscode';

export interface Focus {
  session: vscode.DebugSession;
  /** The DAP thread id: hart + 1. */
  threadId: number;
  stopped: boolean;
}

const RESUMING_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto']);

export class StopTracker implements vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Focus | undefined>();
  /** Fires when the focus changes: a stop, a resume, another hart selected, a session gone. */
  readonly onDidChange = this.changed.event;
  private readonly states = new Map<string, { stopped: boolean; threadId: number }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.changed,
      vscode.debug.onDidChangeActiveStackItem((item) => this.selected(item)),
      vscode.debug.onDidChangeActiveDebugSession(() => this.refresh()),
    ];
  }

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const state = { stopped: false, threadId: 1 };
    this.states.set(session.id, state);
    const update = () => this.refresh();
    return {
      onWillReceiveMessage: (message: { type?: string; command?: string }) => {
        if (message.type === 'request' && message.command && RESUMING_REQUESTS.has(message.command)) {
          state.stopped = false;
          update();
        }
      },
      onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
        if (message.type !== 'event') return;
        if (message.event === 'stopped') {
          state.stopped = true;
          state.threadId = message.body?.threadId ?? state.threadId;
          update();
        } else if (message.event === 'continued') {
          state.stopped = false;
          update();
        }
      },
      onExit: () => {
        state.stopped = false;
        update();
      },
      onWillStopSession: () => {
        this.states.delete(session.id);
        update();
      },
    };
  }

  /** What the views should show now. */
  focus(): Focus | undefined {
    const session = vscode.debug.activeDebugSession;
    const state = session && this.states.get(session.id);
    if (!session || !state) return undefined;
    return { session, threadId: state.threadId, stopped: state.stopped };
  }

  /**
   * A thread or frame picked in the Call Stack view (or focused by VS Code after a stop).
   * Only changes count: when a stop arrives the active item is still the previous stop's.
   */
  private selected(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): void {
    const state = item && this.states.get(item.session.id);
    if (state && state.stopped) state.threadId = item.threadId;
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(this.focus());
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
