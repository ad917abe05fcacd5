// The "Lantern VMs" view (Run and Debug): the VMs of `lantern server`, as the language server's
// `lantern/vm` list reports them, refreshed every 2 s while the view shows and after each action;
// when no server can be reached, the view's message says why.
import * as vscode from 'vscode';
import type { VmInfo, VmState } from '../../server/src/vmm/protocol';
import type { LanternLanguageClient } from './language-client';

/** How often the list is asked for while the view is visible (ms). */
const POLL_MS = 2000;

const STATE_ICONS: Record<VmState, vscode.ThemeIcon> = {
  created: new vscode.ThemeIcon('circle-large-outline'),
  running: new vscode.ThemeIcon('debug-start', new vscode.ThemeColor('debugIcon.startForeground')),
  paused: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('debugIcon.pauseForeground')),
  stopped: new vscode.ThemeIcon('debug-stop'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

export class VmsView implements vscode.TreeDataProvider<VmInfo>, vscode.Disposable {
  readonly view: vscode.TreeView<VmInfo>;
  private vms: VmInfo[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly server: LanternLanguageClient) {
    this.view = vscode.window.createTreeView('lantern.vms', { treeDataProvider: this });
    this.subscriptions.push(this.view, this.changed, this.view.onDidChangeVisibility(({ visible }) => this.poll(visible)));
    this.poll(this.view.visible);
  }

  /** The VMs as last listed. */
  get current(): readonly VmInfo[] {
    return this.vms;
  }

  /** Asks the server for the list now (one request at a time; callers share it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  getChildren(element?: VmInfo): VmInfo[] {
    return element ? [] : this.vms;
  }

  getTreeItem(vm: VmInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(vm.name, vscode.TreeItemCollapsibleState.None);
    item.id = vm.name;
    item.description = describe(vm);
    item.iconPath = STATE_ICONS[vm.state];
    item.contextValue = `lanternVm-${vm.state}`;
    const tooltip = new vscode.MarkdownString(`**${vm.name}**: ${vm.state}\n\n`);
    tooltip.appendCodeblock(`lantern ${vm.args.join(' ')}`, 'shell');
    if (vm.gdbPort !== undefined) tooltip.appendMarkdown(`\n\ngdb: \`target remote 127.0.0.1:${vm.gdbPort}\``);
    if (vm.error) tooltip.appendMarkdown(`\n\n${vm.error}`);
    item.tooltip = tooltip;
    return item;
  }

  dispose(): void {
    this.poll(false);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }

  private poll(visible: boolean): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!visible) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  private async load(): Promise<void> {
    try {
      this.vms = await this.server.vm({ op: 'list' });
      this.view.message = this.vms.length === 0 ? 'No VMs yet: create one with the + above.' : undefined;
    } catch (error) {
      this.vms = [];
      this.view.message = `Cannot reach the Lantern server: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.changed.fire();
  }
}

/** "running · 128 MiB · 2 harts · gdb 40111 · DAP 40112" (the ports while it runs or is paused). */
function describe(vm: VmInfo): string {
  const parts: string[] = [vm.state, formatBytes(vm.memory), `${vm.harts} hart${vm.harts === 1 ? '' : 's'}`];
  if (vm.gdbPort !== undefined) parts.push(`gdb ${vm.gdbPort}`);
  if (vm.dapPort !== undefined) parts.push(`DAP ${vm.dapPort}`);
  if (vm.state === 'stopped' && vm.exitStatus !== undefined) parts.push(`exit ${vm.exitStatus}`);
  return parts.join(' · ');
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % (size / 1024) === 0) return `${+(bytes / size).toFixed(2)} ${unit}`;
  }
  return `${bytes} B`;
}
