// Runs the DAP bridge bundled in the extension (dist/cli.js, with dist/core.wasm beside it)
// as `node cli.js dap` on stdio: the .vsix carries the whole VM, nothing else is installed.
import * as vscode from 'vscode';

export class BundledAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const cli = vscode.Uri.joinPath(this.extensionUri, 'dist', 'cli.js').fsPath;
    // The extension host's own runtime: Node under code-server, Electron in desktop VS Code,
    // where ELECTRON_RUN_AS_NODE makes it behave as Node (and Node ignores it).
    return new vscode.DebugAdapterExecutable(process.execPath, [cli, 'dap'], {
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  }
}
