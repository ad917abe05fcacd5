// `lantern lsp [--stdio]`: the assembly language server on stdin/stdout, reading workspace files from the host's file system and reaching the VM server (starting it if need be).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { UsageError } from '../cli/options';
import { defaultSocketPath } from '../vmm/endpoint';
import { AssemblyLanguageServer } from './language-server';
import type { WorkspaceFiles } from './symbol-index';
import { spawnDetachedServer, VmBridge } from './vm-bridge';

/** Bounds of the workspace scan: a folder with generated sources must not stall the server. */
const MAX_FILES = 2000;
const MAX_DEPTH = 12;
const MAX_FILE_BYTES = 1 << 20;
/** Folders never worth reading for assembly sources. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** WorkspaceFiles over node:fs, for file: URIs. */
export const nodeWorkspaceFiles: WorkspaceFiles = {
  async list(folderUri) {
    if (!folderUri.startsWith('file:')) return [];
    const found: string[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
      let entries;
      try {
        entries = await fs.readdir(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (found.length >= MAX_FILES) return;
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) await walk(full, depth + 1);
        } else if (entry.isFile() && /\.[sS]$/.test(entry.name)) {
          found.push(pathToFileURL(full).href);
        }
      }
    };
    await walk(fileURLToPath(folderUri), 0);
    return found;
  },
  async read(uri) {
    if (!uri.startsWith('file:')) return undefined;
    try {
      const file = fileURLToPath(uri);
      if ((await fs.stat(file)).size > MAX_FILE_BYTES) return undefined;
      return await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Runs until the client says exit or closes stdin (vscode-languageserver then ends the process). */
export function runLanguageServer(argv: readonly string[]): Promise<number> {
  for (const arg of argv) {
    if (arg !== '--stdio') throw new UsageError(`lsp: unexpected argument '${arg}' (usage: lantern lsp [--stdio])`);
  }
  const connection = createConnection(process.stdin, process.stdout);
  // `lantern/vm` goes to the server at LANTERN_SERVER (else the runtime directory's socket),
  // started from this same CLI (the bundle or bin/lantern.js) when none answers.
  const cli = process.argv[1];
  const vms = new VmBridge({
    socket: defaultSocketPath(),
    ...(cli ? { startServer: (socket: string) => spawnDetachedServer(cli, socket) } : {}),
  });
  new AssemblyLanguageServer(connection, { files: nodeWorkspaceFiles, version: '0.1.0', vms }).listen();
  return new Promise<number>(() => {});
}
