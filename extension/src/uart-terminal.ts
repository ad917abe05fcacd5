// The guest's serial console in a VS Code terminal, one per lantern session with
// `uart: 'terminal'`: the adapter's `lanternUart` events ({data: base64}) are written to it,
// and what is typed goes back with the `lanternInput` request. The terminal stays open after
// the session ends, so the last output can still be read.
import * as vscode from 'vscode';
import { usesUartTerminal } from './debug-type';

export class UartTerminals implements vscode.Disposable {
  /** By session id, while the session lives. */
  private readonly terminals = new Map<string, UartTerminal>();
  /** Terminals of ended sessions, by name: a new session of the same name replaces its own. */
  private readonly ended = new Map<string, UartTerminal>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((session) => {
        if (usesUartTerminal(session)) this.terminalFor(session);
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.event !== 'lanternUart') return;
        const data = (event.body as { data?: unknown } | undefined)?.data;
        if (typeof data === 'string') this.terminalFor(event.session).output(Buffer.from(data, 'base64'));
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        const terminal = this.terminals.get(session.id);
        if (!terminal) return;
        terminal.ended();
        this.terminals.delete(session.id);
        this.ended.set(session.name, terminal);
      }),
    ];
  }

  private terminalFor(session: vscode.DebugSession): UartTerminal {
    let terminal = this.terminals.get(session.id);
    if (!terminal) {
      this.ended.get(session.name)?.dispose();
      this.ended.delete(session.name);
      terminal = new UartTerminal(session);
      this.terminals.set(session.id, terminal);
    }
    return terminal;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const terminal of [...this.terminals.values(), ...this.ended.values()]) terminal.dispose();
  }
}

class UartTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.written.event;
  private readonly terminal: vscode.Terminal;
  private readonly decoder = new TextDecoder('utf-8');
  /** Output that came before VS Code opened the terminal. */
  private pending: string[] | undefined = [];
  private live = true;
  /** The last character written ended in CR: a following LF is already a new line. */
  private afterReturn = false;

  constructor(private readonly session: vscode.DebugSession) {
    this.terminal = vscode.window.createTerminal({ name: `UART: ${session.name}`, pty: this, iconPath: new vscode.ThemeIcon('plug') });
    this.terminal.show(true);
  }

  open(): void {
    for (const text of this.pending ?? []) this.written.fire(text);
    this.pending = undefined;
  }

  close(): void {
    this.live = false;
  }

  /** Keystrokes (and pastes) go to the guest's UART as they are; Enter arrives as CR, as on a serial line. */
  handleInput(data: string): void {
    if (!this.live) return;
    this.session.customRequest('lanternInput', { text: data }).then(undefined, () => undefined);
  }

  output(bytes: Uint8Array): void {
    this.write(this.toTerminal(this.decoder.decode(bytes, { stream: true })));
  }

  ended(): void {
    this.write('\r\n\x1b[2m[lantern: the session ended]\x1b[0m\r\n');
    this.live = false;
  }

  dispose(): void {
    this.terminal.dispose();
    this.written.dispose();
  }

  private write(text: string): void {
    if (this.pending) this.pending.push(text);
    else this.written.fire(text);
  }

  /** Guests print bare LF; the terminal needs CR LF to go back to the line's start. */
  private toTerminal(text: string): string {
    let out = '';
    for (const c of text) {
      if (c === '\n' && !this.afterReturn) out += '\r';
      out += c;
      this.afterReturn = c === '\r';
    }
    return out;
  }
}
