// Fills what a launch leaves out, so F5 works with no launch.json at all: the kernel from the
// ELF open in the editor (or the folder's first .elf), no firmware, the UART in a terminal,
// paths relative to the workspace folder. Also offers a launch per ELF in the Run view.
// Attach configurations (a server VM by name) pass as they are.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { DEBUG_TYPE, type LanternLaunch } from './debug-type';

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export class LanternConfigurationProvider implements vscode.DebugConfigurationProvider {
  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    // An attach names a server VM, which has its kernel already (adapter.ts).
    if (config.request === 'attach') return config;
    const launch = config as LanternLaunch;
    // F5 without a launch.json comes with an empty configuration.
    const empty = !launch.type && !launch.request && !launch.name;
    if (empty) {
      launch.type = DEBUG_TYPE;
      launch.request = 'launch';
      launch.name = 'Lantern: run kernel';
      launch.bios = 'none';
    }
    if (launch.kernel === undefined && launch.bios === undefined) launch.bios = 'none';
    if (launch.kernel === undefined && launch.bios === 'none') {
      const kernel = await findKernel(folder);
      if (!kernel) {
        await vscode.window.showErrorMessage('Lantern: open a RISC-V ELF (or set "kernel" in launch.json) to debug it.');
        return undefined;
      }
      launch.kernel = kernel;
    }
    launch.uart ??= 'terminal';
    launch.cwd ??= folder?.uri.fsPath;
    return launch;
  }
}

/**
 * The Run view's "Lantern" entries when there is no launch.json (the dynamic configurations):
 * one launch per ELF of the folder.
 */
export class ElfConfigurations implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    return (await folderElves(folder)).map((kernel): LanternLaunch => ({
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Lantern: ${vscode.workspace.asRelativePath(kernel, false)}`,
      kernel,
      bios: 'none',
      uart: 'terminal',
    }));
  }
}

/** The ELF in the active editor, else the workspace folder's first *.elf. */
async function findKernel(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && isElf(active.fsPath)) return active.fsPath;
  return (await folderElves(folder))[0];
}

async function folderElves(folder: vscode.WorkspaceFolder | undefined): Promise<string[]> {
  const pattern = folder ? new vscode.RelativePattern(folder, '**/*.elf') : '**/*.elf';
  const found = await vscode.workspace.findFiles(pattern, '**/node_modules/**', 16);
  return found.map((uri) => uri.fsPath).filter(isElf).sort();
}

export function isElf(file: string): boolean {
  try {
    const handle = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      return fs.readSync(handle, head, 0, 4, 0) === 4 && head.equals(ELF_MAGIC);
    } finally {
      fs.closeSync(handle);
    }
  } catch {
    return false;
  }
}
