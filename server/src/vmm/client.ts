// A typed client of the control API (the CLI's and the tests'): connects over the Unix socket or,
// with the token, over TCP; each request resolves to its answer or throws the server's one line.
import { Client } from 'net-ipc';
import './net-ipc-fixes';
import { defaultSocketPath, netIpcPath } from './endpoint';
import type { Answers, ErrorCode, Request } from './protocol';

export interface ServerAddress {
  /** The Unix socket or named pipe; default defaultSocketPath() (LANTERN_SERVER, else the runtime directory's). */
  readonly path?: string;
  /** TCP instead of the socket (host 127.0.0.1 unless given); needs the token. */
  readonly tcp?: { readonly port: number; readonly host?: string };
  /** The server's token (the contents of its token file), sent in `hello` first. */
  readonly token?: string;
}

/** The server refused a request: its one-line message and code. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(message: string, readonly code: ErrorCode) {
    super(message);
  }
}

/** Nothing answers at the address (message: "no server running at ..."), or the connection broke. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

type Op = Request['op'];
type RequestOf<K extends Op> = Extract<Request, { op: K }>;

export interface ServerClient {
  /** Where it is connected, as the user would name it. */
  readonly address: string;
  request<K extends Op>(request: RequestOf<K>): Promise<Answers[K]>;
  close(): Promise<void>;
}

/** Connects (and, over TCP, authenticates) to a running server. */
export async function connectToServer(address: ServerAddress = {}): Promise<ServerClient> {
  const where = address.tcp ? `${address.tcp.host ?? '127.0.0.1'}:${address.tcp.port}` : (address.path ?? defaultSocketPath());
  const ipc = address.tcp
    ? new Client({ host: address.tcp.host ?? '127.0.0.1', port: address.tcp.port, reconnect: false })
    : new Client({ path: netIpcPath(where), reconnect: false });
  const client = new IpcServerClient(ipc, where);
  await client.connect();
  if (address.tcp || address.token !== undefined) {
    try {
      await client.request({ op: 'hello', ...(address.token === undefined ? {} : { token: address.token.trim() }) });
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  return client;
}

class IpcServerClient implements ServerClient {
  private readonly pending = new Set<(error: Error) => void>();
  private closedReason?: string;

  constructor(private readonly ipc: Client, readonly address: string) {
    // Without a listener net-ipc swallows errors; the close that follows is what matters.
    ipc.on('error', () => undefined);
    ipc.on('close', (reason: unknown) => {
      this.closedReason = describeClose(reason);
      const error = new ConnectionError(`the server at ${this.address} closed the connection${this.closedReason ? ` (${this.closedReason})` : ''}`);
      for (const reject of this.pending) reject(error);
      this.pending.clear();
    });
  }

  /** net-ipc without reconnection reports a failed connect only as a `close`: race the two. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onClose = (reason: unknown) => {
        const code = (reason as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'ENOENT' || code === 'ECONNREFUSED') reject(new ConnectionError(`no server running at ${this.address}`));
        else reject(new ConnectionError(`cannot reach the server at ${this.address}: ${describeClose(reason) || 'connection closed'}`));
      };
      this.ipc.once('close', onClose);
      this.ipc.connect().then(() => {
        this.ipc.off('close', onClose);
        resolve();
      }, (error: unknown) => {
        this.ipc.off('close', onClose);
        onClose(error);
      });
    });
  }

  request<K extends Op>(request: RequestOf<K>): Promise<Answers[K]> {
    if (this.closedReason !== undefined || this.ipc.status !== 3 /* READY */) {
      return Promise.reject(new ConnectionError(`not connected to the server at ${this.address}`));
    }
    return new Promise<Answers[K]>((resolve, reject) => {
      this.pending.add(reject);
      // Timeout 0: a snapshot may take long; a broken connection rejects through `close`.
      this.ipc.request(request, 0).then((answer: unknown) => {
        this.pending.delete(reject);
        if (typeof answer !== 'object' || answer === null || typeof (answer as { ok?: unknown }).ok !== 'boolean') {
          reject(new ConnectionError(`the server at ${this.address} sent a malformed answer`));
          return;
        }
        const response = answer as { ok: boolean; value?: unknown; error?: unknown; code?: unknown };
        if (response.ok) resolve(response.value as Answers[K]);
        else reject(new ServerError(String(response.error ?? 'refused'), (response.code ?? 'refused') as ErrorCode));
      }, (error: unknown) => {
        this.pending.delete(reject);
        reject(new ConnectionError(`request to the server at ${this.address} failed: ${describeClose(error)}`));
      });
    });
  }

  async close(): Promise<void> {
    try {
      await this.ipc.close();
    } catch {
      this.ipc.destroy();
    }
  }
}

function describeClose(reason: unknown): string {
  if (reason === undefined || reason === null) return '';
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : JSON.stringify(reason);
}
