// Names shared by the extension's parts and package.json's contributions.
import type * as vscode from 'vscode';
import type { LaunchArguments } from '../../server/src/dap/launch';

export const DEBUG_TYPE = 'lantern';
/** The language id of RISC-V assembly (.s, .S) that the language server serves. */
export const ASSEMBLY_LANGUAGE = 'riscv-asm';

/** The launch arguments the adapter takes (server/src/dap/launch.ts; package.json documents them). */
export interface LanternLaunch extends vscode.DebugConfiguration, LaunchArguments {}

/** An attach to a VM of `lantern server` by name: its DAP endpoint debugs it (adapter.ts). */
export interface LanternAttach extends vscode.DebugConfiguration {
  request: 'attach';
  vm: string;
}

/** True for a session of ours whose guest console comes as `lanternUart` events. */
export function usesUartTerminal(session: vscode.DebugSession): boolean {
  return session.type === DEBUG_TYPE && (session.configuration as LanternLaunch).uart === 'terminal';
}
