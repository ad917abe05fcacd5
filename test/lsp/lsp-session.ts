// The LSP tests' harness (not a test file): `lantern lsp --stdio` spawned from the bundled CLI and driven over vscode-jsonrpc as an editor does — initialized, its stderr kept, shut down and reaped at the end — and `lantern/vm` requests through it.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { VM_REQUEST } from '../../server/src/lsp/protocol';
import type { Answers, Request, Response } from '../../server/src/vmm/protocol';
import { ROOT } from '../support/guest-tools';

/** The bundled CLI (`npm run build:host`, or buildHostBundle() first). */
export const CLI = path.join(ROOT, 'dist/cli.js');

/** How long stop() lets the server exit on its own after `exit` before killing it. */
const EXIT_GRACE_MS = 2000;

export interface LanguageServerOptions {
  /** Variables added to this process's environment (LANTERN_SERVER, say). */
  readonly env?: NodeJS.ProcessEnv;
  /** The CLI's arguments; `lsp --stdio` unless given. */
  readonly args?: readonly string[];
  /** The workspace folders `initialize` announces; none unless given. */
  readonly workspaceFolders?: readonly { uri: string; name: string }[];
}

export interface LanguageServerSession {
  readonly connection: MessageConnection;
  /** The server's capabilities as `initialize` answered them. */
  readonly capabilities: Record<string, unknown>;
  /** All the server has written to stderr so far. */
  stderr(): string;
  /** `shutdown` and `exit`, then waits for the process to end (killing it after EXIT_GRACE_MS). */
  stop(): Promise<void>;
}

/** Spawns the language server and completes `initialize`/`initialized` with it. */
export async function startLanguageServer({ env = {}, args = ['lsp', '--stdio'], workspaceFolders }: LanguageServerOptions = {}): Promise<LanguageServerSession> {
  const server = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.listen();

  const stop = async (): Promise<void> => {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    if (server.exitCode !== null || server.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { server.kill(); resolve(); }, EXIT_GRACE_MS);
      server.once('exit', () => { clearTimeout(timer); resolve(); });
    });
  };

  try {
    const initialized = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      workspaceFolders: workspaceFolders ?? null,
    }) as { capabilities: Record<string, unknown> };
    await connection.sendNotification('initialized', {});
    return { connection, capabilities: initialized.capabilities, stderr: () => stderr, stop };
  } catch (error) {
    connection.dispose();
    server.kill();
    throw error;
  }
}

/** A control-API request through the language server's `lantern/vm`, answered with the server's Response. */
export function vmRequest<T>(connection: MessageConnection, request: Request): Promise<Response<T>> {
  return connection.sendRequest(VM_REQUEST, { request }) as Promise<Response<T>>;
}

/** A control-API request through `lantern/vm` that must succeed: its value, or an error naming the op. */
export async function vmValue<K extends Request['op']>(connection: MessageConnection, request: Extract<Request, { op: K }>): Promise<Answers[K]> {
  const response = await vmRequest<Answers[K]>(connection, request);
  if (!response.ok) throw new Error(`${request.op}: ${response.error}`);
  return response.value;
}
