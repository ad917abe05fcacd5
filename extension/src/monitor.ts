// Runs a Lantern monitor command (`info mem`, `pt ADDR`, `trap`, `csr ...`) in a debug session
// through the adapter's `lanternMonitor` custom request, for one hart; and the tree items the
// views build from its output.
import * as vscode from 'vscode';

export async function monitor(session: vscode.DebugSession, command: string, threadId: number): Promise<string> {
  const body = (await session.customRequest('lanternMonitor', { command, threadId })) as { output?: unknown } | undefined;
  return typeof body?.output === 'string' ? body.output : '';
}

/** The non-empty lines of a command's output. */
export function outputLines(output: string): string[] {
  return output.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '');
}

/** A leaf showing one line of text: a message, or a line of a command's output. */
export function textItem(label: string, description?: string, icon?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.description = description;
  item.tooltip = description ? `${label}  ${description}` : label;
  if (icon) item.iconPath = new vscode.ThemeIcon(icon);
  return item;
}

/** What a view shows when there is no stopped hart to ask. */
export function notStoppedItem(threadId: number): vscode.TreeItem {
  return textItem(`hart ${threadId - 1} is running`, 'pause or stop at a breakpoint to read it', 'debug-pause');
}

/** What a view shows when its command failed. */
export function errorItem(error: unknown): vscode.TreeItem {
  return textItem('cannot read', error instanceof Error ? error.message : String(error), 'error');
}
