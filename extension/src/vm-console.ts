// A server VM's console in a terminal: a pseudoterminal that polls `console-read` and sends what
// is typed with `console-write`, both through the language server's `lantern/vm`.
import * as vscode from 'vscode';
import type { LanternLanguageClient } from './language-client';

/** How often new console output is asked for (ms). */
const POLL_MS = 200;

export function openVmConsole(server: LanternLanguageClient, name: string): vscode.Terminal {
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<void>();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let reading = false;
  const stop = (why?: string) => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (why) written.fire(`\r\n\x1b[2m[${why}]\x1b[0m\r\n`);
  };
  const read = async () => {
    if (reading) return;
    reading = true;
    try {
      const output = await server.vm({ op: 'console-read', name, from: next });
      next = output.next;
      // The guest writes \n; the terminal needs \r\n.
      if (output.text) written.fire(output.text.replace(/\r?\n/g, '\r\n'));
    } catch (error) {
      stop(error instanceof Error ? error.message : String(error));
    } finally {
      reading = false;
    }
  };
  const terminal: vscode.Pseudoterminal = {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: () => {
      void read();
      timer = setInterval(() => void read(), POLL_MS);
    },
    close: () => {
      stop();
      written.dispose();
      closed.dispose();
    },
    handleInput: (text) => {
      server.vm({ op: 'console-write', name, text }).catch((error: unknown) => stop(error instanceof Error ? error.message : String(error)));
    },
  };
  const opened = vscode.window.createTerminal({ name: `VM ${name}`, pty: terminal });
  opened.show();
  return opened;
}
