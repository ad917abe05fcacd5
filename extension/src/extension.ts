// The Lantern extension's entry: registers the `lantern` debug type (the adapter it runs and
// the defaults it fills), the guest UART terminals, the Page Tables, Last Trap and Snapshots
// views and the snapshot commands, the assembly language client (with the VM its hovers read)
// and the Lantern VMs view.
// It never imports the emulator: everything goes through the DAP bridge (dist/cli.js dap), the
// language server (dist/cli.js lsp) or, through that, `lantern server`.
import * as vscode from 'vscode';
import { BundledAdapterFactory } from './adapter';
import { ElfConfigurations, LanternConfigurationProvider } from './configuration';
import { DEBUG_TYPE } from './debug-type';
import { HoverVmSelection } from './hover-vm';
import { LanternLanguageClient } from './language-client';
import { LastTrapView } from './last-trap';
import { PageTablesView } from './page-tables';
import { SnapshotsView, snapshotCommands } from './snapshots';
import { StopTracker } from './stop-tracker';
import { UartTerminals } from './uart-terminal';
import { vmCommands } from './vm-actions';
import { VmsView } from './vms-view';

export function activate(context: vscode.ExtensionContext): void {
  const languageClient = new LanternLanguageClient(context.extensionUri);
  const vms = new VmsView(languageClient);
  const stops = new StopTracker();
  const pageTables = new PageTablesView(stops);
  const lastTrap = new LastTrapView(stops);
  const pageTablesView = vscode.window.createTreeView('lantern.pageTables', { treeDataProvider: pageTables, showCollapseAll: true });
  const lastTrapView = vscode.window.createTreeView('lantern.lastTrap', { treeDataProvider: lastTrap });
  const snapshots = new SnapshotsView(stops);
  const snapshotsView = vscode.window.createTreeView('lantern.snapshots', { treeDataProvider: snapshots });
  // Each view's title names the hart it shows.
  const titleHart = stops.onDidChange((focus) => {
    const hart = focus ? `hart ${focus.threadId - 1}` : undefined;
    pageTablesView.description = hart;
    lastTrapView.description = hart;
  });
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new BundledAdapterFactory(context.extensionUri, languageClient)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new LanternConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ElfConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, stops),
    stops,
    new UartTerminals(),
    pageTablesView,
    lastTrapView,
    snapshotsView,
    ...snapshotCommands(snapshots),
    titleHart,
    vscode.commands.registerCommand('lantern.refreshViews', () => stops.refresh()),
    languageClient,
    vms,
    new HoverVmSelection(languageClient, stops, vms),
    ...vmCommands(languageClient, vms),
  );
}

export function deactivate(): void {
  // Sessions end with VS Code's own shutdown of the adapters; the language client stops as a
  // subscription (and the VM server it reached runs on for the CLI and other windows).
}
