// Snapshots from VS Code: "Save Snapshot" and "Restore Snapshot" commands and a "Snapshots"
// view listing the saved ones, all through the monitor's savevm / loadvm / delvm / info
// snapshots (the `lanternMonitor` request). A save or restore that lasts over a second shows a
// progress notification until it ends.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './debug-type';
import { errorItem, monitor, outputLines, textItem } from './monitor';
import type { StopTracker } from './stop-tracker';

export interface SnapshotEntry {
  readonly tag: string;
  readonly size: string;
  readonly date: string;
  readonly clock: string;
}

/** The rows of `info snapshots` (QEMU's table: ID TAG VM-SIZE DATE VM-CLOCK ICOUNT). */
export function parseSnapshotTable(output: string): SnapshotEntry[] {
  const rows: SnapshotEntry[] = [];
  for (const line of outputLines(output)) {
    const match = /^(\d+)\s+(\S+)\s+(\S+ \S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s+(\S+)\s+\d+$/.exec(line);
    if (match) rows.push({ tag: match[2], size: match[3], date: match[4], clock: match[5] });
  }
  return rows;
}

function activeSession(): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  return session?.type === DEBUG_TYPE ? session : undefined;
}

/** A save or restore shows its notification once it has run this long (ms): a quick one shows none. */
const PROGRESS_AFTER_MS = 1000;

/**
 * Runs a snapshot command, with a progress notification once it has lasted over a second. It
 * spins without a percentage: the adapter answers `lanternMonitor` only when the command ends.
 * Not cancellable: a save or load runs to its end in one go in the VM.
 */
async function run(session: vscode.DebugSession, title: string, command: string): Promise<string> {
  const request = monitor(session, command, 1);
  const timer = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: false },
      () => request.then(() => undefined, () => undefined),
    );
  }, PROGRESS_AFTER_MS);
  try {
    return await request;
  } finally {
    clearTimeout(timer);
  }
}

export class SnapshotsView implements vscode.TreeDataProvider<SnapshotEntry | vscode.TreeItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(stops: StopTracker) {
    stops.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: SnapshotEntry | vscode.TreeItem): vscode.TreeItem {
    if (node instanceof vscode.TreeItem) return node;
    const item = textItem(node.tag, `${node.clock} · ${node.size} · ${node.date}`, 'history');
    item.contextValue = 'lanternSnapshot';
    return item;
  }

  async getChildren(node?: SnapshotEntry | vscode.TreeItem): Promise<(SnapshotEntry | vscode.TreeItem)[]> {
    if (node) return [];
    const session = activeSession();
    if (!session) return [];
    try {
      const rows = parseSnapshotTable(await monitor(session, 'info snapshots', 1));
      return rows.length > 0 ? rows : [textItem('no snapshots yet', 'Lantern: Save Snapshot', 'info')];
    } catch (error) {
      return [errorItem(error)];
    }
  }
}

/** The commands: save (asks a name), restore (picks one, or the one clicked), delete. */
export function snapshotCommands(view: SnapshotsView): vscode.Disposable[] {
  const report = async (action: () => Promise<string>, done: string) => {
    try {
      const output = (await action()).trim();
      view.refresh();
      void vscode.window.showInformationMessage(output === '' ? done : output);
    } catch (error) {
      void vscode.window.showErrorMessage(`Lantern: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const pick = async (session: vscode.DebugSession): Promise<string | undefined> => {
    const rows = parseSnapshotTable(await monitor(session, 'info snapshots', 1));
    if (rows.length === 0) {
      void vscode.window.showInformationMessage('Lantern: there is no snapshot to restore');
      return undefined;
    }
    const chosen = await vscode.window.showQuickPick(rows.map((row) => ({ label: row.tag, description: `${row.clock} · ${row.size} · ${row.date}` })), { placeHolder: 'Snapshot to restore' });
    return chosen?.label;
  };
  return [
    vscode.commands.registerCommand('lantern.saveSnapshot', async () => {
      const session = activeSession();
      if (!session) return void vscode.window.showErrorMessage('Lantern: no Lantern debug session');
      const name = await vscode.window.showInputBox({ prompt: 'Snapshot name', value: `snap-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}` });
      if (!name) return;
      await report(() => run(session, `Saving snapshot ${name}`, `savevm ${name}`), `Lantern: saved snapshot ${name}`);
    }),
    vscode.commands.registerCommand('lantern.restoreSnapshot', async (node?: SnapshotEntry) => {
      const session = activeSession();
      if (!session) return void vscode.window.showErrorMessage('Lantern: no Lantern debug session');
      const name = node?.tag ?? await pick(session);
      if (!name) return;
      await report(() => run(session, `Restoring snapshot ${name}`, `loadvm ${name}`), `Lantern: restored snapshot ${name}`);
    }),
    vscode.commands.registerCommand('lantern.deleteSnapshot', async (node?: SnapshotEntry) => {
      const session = activeSession();
      if (!session || !node) return;
      await report(() => monitor(session, `delvm ${node.tag}`, 1), `Lantern: deleted snapshot ${node.tag}`);
    }),
    vscode.commands.registerCommand('lantern.refreshSnapshots', () => view.refresh()),
  ];
}
