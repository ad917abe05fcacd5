// The "Last Trap" view: each hart's last trap as the monitor's `trap` command explains it —
// the cause by name, the mode it went to, epc and tval — with the selected hart first.
import * as vscode from 'vscode';
import { errorItem, monitor, notStoppedItem, outputLines, textItem } from './monitor';
import type { StopTracker } from './stop-tracker';

/** A line of `trap`: "hart N: ..." */
const HART_LINE = /^hart (\d+): (.*)$/;

interface HartTrap {
  hart: number;
  summary: string;
  details: string[];
  selected: boolean;
}

type Node = { kind: 'text'; item: vscode.TreeItem } | { kind: 'hart'; trap: HartTrap };

export class LastTrapView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly stops: StopTracker) {
    stops.onDidChange(() => this.changed.fire());
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'text') return node.item;
    const { trap } = node;
    const state = trap.details.length > 0
      ? (trap.selected ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(`hart ${trap.hart}`, state);
    // A new trap is a new item: VS Code would otherwise keep the old row's folding.
    item.id = [trap.hart, trap.selected, trap.summary, ...trap.details].join('|');
    item.description = trap.summary;
    item.tooltip = [`hart ${trap.hart}${trap.selected ? ' (selected)' : ''}: ${trap.summary}`, ...trap.details].join('\n');
    // The selected hart (listed first) wears the Call Stack's own mark.
    item.iconPath = new vscode.ThemeIcon(trap.selected ? 'debug-stackframe' : trap.details.length > 0 ? 'zap' : 'circle-outline');
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'text') return [];
    if (node) return node.trap.details.map((detail) => text(textItem(detail)));
    const focus = this.stops.focus();
    if (!focus) return [];
    if (!focus.stopped) return [text(notStoppedItem(focus.threadId))];
    try {
      const output = await monitor(focus.session, 'trap', focus.threadId);
      const traps = outputLines(output).map((line) => parseTrap(line, focus.threadId - 1));
      const nodes = traps.filter((trap): trap is HartTrap => trap !== undefined)
        .sort((a, b) => Number(b.selected) - Number(a.selected) || a.hart - b.hart)
        .map((trap): Node => ({ kind: 'hart', trap }));
      return nodes.length > 0 ? nodes : outputLines(output).map((line) => text(textItem(line)));
    } catch (error) {
      return [text(errorItem(error))];
    }
  }
}

/**
 * "hart 1: 2 traps; last: interrupt 1 (Supervisor software interrupt) to S-mode, epc 0x…, tval 0x…"
 * → summary "interrupt 1 (Supervisor software interrupt) to S-mode" and details ["2 traps", "epc 0x…", "tval 0x…"].
 */
export function parseTrap(line: string, selectedHart: number): HartTrap | undefined {
  const match = HART_LINE.exec(line.trim());
  if (!match) return undefined;
  const hart = Number(match[1]);
  const [count, last] = match[2].includes('; last: ') ? match[2].split('; last: ') : [undefined, match[2]];
  const [summary, ...rest] = last.split(', ');
  const details = [...(count ? [count] : []), ...rest];
  return { hart, summary, details, selected: hart === selectedHart };
}

function text(item: vscode.TreeItem): Node {
  return { kind: 'text', item };
}
