// Names shared by the extension's parts and package.json's contributions.
import type * as vscode from 'vscode';

export const DEBUG_TYPE = 'lantern';

/** The launch arguments the adapter takes (server/src/dap/launch.ts; package.json documents them). */
export interface LanternLaunch extends vscode.DebugConfiguration {
  kernel?: string;
  bios?: string;
  disks?: string[];
  memory?: string;
  smp?: number;
  args?: string[];
  stopOnEntry?: boolean;
  symbols?: { file: string; offset?: number | string }[];
  cwd?: string;
  uart?: 'debugConsole' | 'terminal';
  history?: boolean;
}

/** True for a session of ours whose guest console comes as `lanternUart` events. */
export function usesUartTerminal(session: vscode.DebugSession): boolean {
  return session.type === DEBUG_TYPE && (session.configuration as LanternLaunch).uart === 'terminal';
}
