// The debug adapter of each session: a launch runs the DAP bridge bundled in the extension
// (dist/cli.js, with dist/core.wasm beside it) as `node cli.js dap` on stdio, so the .vsix carries
// the whole VM; an attach with `vm` connects to the DAP endpoint `lantern server` serves for that VM.
import * as vscode from 'vscode';
import type { LanternAttach } from './debug-type';
import type { LanternLanguageClient } from './language-client';

export class BundledAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri, private readonly server: LanternLanguageClient) {}

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    if (session.configuration.request === 'attach') return this.serverVm(session.configuration as LanternAttach);
    const cli = vscode.Uri.joinPath(this.extensionUri, 'dist', 'cli.js').fsPath;
    // The extension host's own runtime: Node under code-server, Electron in desktop VS Code,
    // where ELECTRON_RUN_AS_NODE makes it behave as Node (and Node ignores it).
    return new vscode.DebugAdapterExecutable(process.execPath, [cli, 'dap'], {
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  }

  /** The VM's DAP endpoint (127.0.0.1, while it runs or is paused), found through the language server. */
  private async serverVm(config: LanternAttach): Promise<vscode.DebugAdapterDescriptor> {
    if (typeof config.vm !== 'string' || config.vm === '') {
      throw new Error('Lantern: an attach configuration names the server VM to debug in "vm"');
    }
    const info = await this.server.vm({ op: 'inspect', name: config.vm });
    if (info.dapPort === undefined) throw new Error(`Lantern: VM ${config.vm} is ${info.state}: start it to debug it`);
    return new vscode.DebugAdapterServer(info.dapPort, '127.0.0.1');
  }
}
