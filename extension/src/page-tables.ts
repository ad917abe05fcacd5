// The "Page Tables" view: the selected hart's satp and its virtual memory map (`info mem`,
// one row a merged range), each range opening onto the walk that translates it (`pt VADDR`:
// every level's PTE with its flags).
import * as vscode from 'vscode';
import { errorItem, monitor, notStoppedItem, outputLines, textItem } from './monitor';
import type { Focus, StopTracker } from './stop-tracker';

/** A row of `info mem`: vaddr paddr size attr (rwxugad), hex without 0x. */
const MAPPING = /^([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([-rwxugad]{7})$/;

type Node = { kind: 'text'; item: vscode.TreeItem } | { kind: 'range'; focus: Focus; vaddr: bigint; paddr: bigint; size: bigint; attributes: string };

export class PageTablesView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly stops: StopTracker) {
    stops.onDidChange(() => this.changed.fire());
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'text') return node.item;
    const end = node.vaddr + node.size - 1n;
    const item = new vscode.TreeItem(`${hex(node.vaddr)} ${byteSize(node.size)}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `→ ${hex(node.paddr)} ${node.attributes}`;
    item.tooltip = `virtual ${hex(node.vaddr)}–${hex(end)} maps to physical ${hex(node.paddr)}, ${byteSize(node.size)}, ` +
      `flags ${node.attributes} (r w x u g a d)`;
    item.iconPath = new vscode.ThemeIcon(node.attributes[3] === 'u' ? 'account' : 'server');
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'text') return [];
    if (node) return this.walk(node);
    const focus = this.stops.focus();
    if (!focus) return [];
    if (!focus.stopped) return [text(notStoppedItem(focus.threadId))];
    try {
      const [satp, map] = await Promise.all([
        monitor(focus.session, 'csr satp', focus.threadId),
        monitor(focus.session, 'info mem', focus.threadId),
      ]);
      const nodes: Node[] = outputLines(satp).map((line) => text(satpItem(line)));
      for (const line of outputLines(map)) {
        const match = MAPPING.exec(line);
        if (match) {
          const [vaddr, paddr, size] = match.slice(1, 4).map((digits) => BigInt(`0x${digits}`));
          nodes.push({ kind: 'range', focus, vaddr, paddr, size, attributes: match[4] });
        } else if (!/^(vaddr|-)/.test(line)) {
          nodes.push(text(textItem(line)));
        }
      }
      return nodes;
    } catch (error) {
      return [text(errorItem(error))];
    }
  }

  private async walk(range: Extract<Node, { kind: 'range' }>): Promise<Node[]> {
    try {
      const output = await monitor(range.focus.session, `pt 0x${range.vaddr.toString(16)}`, range.focus.threadId);
      return outputLines(output).map((line) => text(textItem(line.trim(), undefined, /level \d/.test(line) ? 'arrow-small-right' : undefined)));
    } catch (error) {
      return [text(errorItem(error))];
    }
  }
}

/** "satp 0x8000000000080003  MODE=Sv39 ASID=0 PPN=0x80003 (root table 0x80003000)" → "satp Sv39", "root 0x80003000, ASID 0". */
function satpItem(line: string): vscode.TreeItem {
  const mode = /MODE=(\w+)/.exec(line)?.[1];
  const root = /root table (0x[0-9a-f]+)/.exec(line)?.[1];
  const asid = /ASID=(\w+)/.exec(line)?.[1];
  const item = mode
    ? textItem(`satp ${mode}`, [root && `root ${root}`, asid && `ASID ${asid}`].filter(Boolean).join(', '), 'symbol-key')
    : textItem(line.replace(/\s+/g, ' '), undefined, 'symbol-key');
  item.tooltip = line.replace(/\s+/g, ' ');
  return item;
}

function text(item: vscode.TreeItem): Node {
  return { kind: 'text', item };
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

function byteSize(size: bigint): string {
  const units: [bigint, string][] = [[1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [unit, name] of units) if (size >= unit && size % unit === 0n) return `${size / unit} ${name}`;
  return `${size} bytes`;
}
