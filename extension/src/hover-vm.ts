// Which server VM the assembly hovers read registers of (lantern/selectVm): the VM of the focused
// `attach` debug session (its stopped hart), else the row last selected in the Lantern VMs view.
// The latest of the two wins; a session's choice is cleared when no such session has the focus.
import * as vscode from 'vscode';
import { DEBUG_TYPE, type LanternAttach } from './debug-type';
import type { LanternLanguageClient } from './language-client';
import type { Focus, StopTracker } from './stop-tracker';
import type { VmsView } from './vms-view';

export class HoverVmSelection implements vscode.Disposable {
  /** The selection came from a debug session (so it ends with the session's focus). */
  private fromSession = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly server: LanternLanguageClient, stops: StopTracker, view: VmsView) {
    this.subscriptions = [
      stops.onDidChange((focus) => this.focused(focus)),
      view.view.onDidChangeSelection(({ selection }) => {
        const vm = selection[0];
        if (!vm) return;
        this.fromSession = false;
        this.server.selectVm({ name: vm.name, hart: 0 });
      }),
    ];
  }

  private focused(focus: Focus | undefined): void {
    const configuration = focus?.session.type === DEBUG_TYPE ? focus.session.configuration as Partial<LanternAttach> : undefined;
    if (focus && configuration?.request === 'attach' && typeof configuration.vm === 'string') {
      this.fromSession = true;
      // The DAP thread id is the hart + 1.
      this.server.selectVm({ name: configuration.vm, hart: Math.max(0, focus.threadId - 1) });
    } else if (this.fromSession) {
      this.fromSession = false;
      this.server.selectVm({});
    }
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
