// The language server's way to the VM server (`lantern/vm`): forwards control-API requests over
// one connection to `lantern server`, starting the server (detached, outliving this process)
// when none answers at its socket, and reconnecting after it went away.
import { spawn } from 'node:child_process';
import { connectToServer, ConnectionError, ServerError, type ServerClient } from '../vmm/client';
import type { Request, Response } from '../vmm/protocol';

/** How long a server just started has to answer at its socket (ms): a cold Node start and the bundle's load take ~0.3 s. */
const START_DEADLINE_MS = 10_000;
/** Between attempts to reach a server that is starting (ms). */
const RETRY_MS = 100;

export interface VmBridgeOptions {
  /** The server's Unix socket (or named pipe). */
  readonly socket: string;
  /** Starts a server that will listen at `socket`, resolving with its exit status should it end
   * (a server that ends before answering failed to start); undefined: only a running server is used. */
  readonly startServer?: (socket: string) => Promise<number | null>;
  /** Connects to the server (default: vmm/client's connectToServer on `socket`). */
  readonly connect?: (socket: string) => Promise<ServerClient>;
}

/** Why a request could not be forwarded (no server and none could be started, or the connection broke). */
export class VmServerUnreachable extends Error {
  override readonly name = 'VmServerUnreachable';
}

export class VmBridge {
  private client: Promise<ServerClient> | undefined;

  constructor(private readonly options: VmBridgeOptions) {}

  /** The server's answer to `request` (a refusal is a Response with ok false); throws VmServerUnreachable. */
  async request(request: Request): Promise<Response> {
    const client = await this.connection();
    try {
      // The client's request() is typed per op; a forwarded request is any op (the server validates it).
      const forward = client.request.bind(client) as (request: Request) => Promise<unknown>;
      const value = await forward(request);
      if (request.op === 'shutdown') await this.drop(client);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof ServerError) return { ok: false, error: error.message, code: error.code };
      // The server went away mid-request (shut down, killed): the next request finds or starts another.
      await this.drop(client);
      throw new VmServerUnreachable(error instanceof Error ? error.message : String(error));
    }
  }

  /** Lets go of the connection (the server runs on). */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.then((open) => open.close(), () => undefined);
  }

  private connection(): Promise<ServerClient> {
    if (!this.client) {
      const opening = this.open();
      this.client = opening;
      // A failed attempt is not kept: the next request tries again (the user may start a server meanwhile).
      opening.catch(() => {
        if (this.client === opening) this.client = undefined;
      });
    }
    return this.client;
  }

  private async drop(client: ServerClient): Promise<void> {
    if (this.client) {
      const current = await this.client.catch(() => undefined);
      if (current === client) this.client = undefined;
    }
    await client.close();
  }

  private async open(): Promise<ServerClient> {
    const { socket, startServer } = this.options;
    const connect = this.options.connect ?? ((path: string) => connectToServer({ path }));
    try {
      return await connect(socket);
    } catch (error) {
      if (!(error instanceof ConnectionError) || !startServer) throw unreachable(error);
    }
    let exitStatus: number | null | undefined;
    try {
      void startServer(socket).then((status) => (exitStatus = status), () => (exitStatus = null));
    } catch (error) {
      throw unreachable(error, `could not start a Lantern server at ${socket}`);
    }
    const deadline = Date.now() + START_DEADLINE_MS;
    for (;;) {
      try {
        return await connect(socket);
      } catch (error) {
        if (exitStatus !== undefined) {
          throw new VmServerUnreachable(`a Lantern server started for ${socket} exited with status ${exitStatus} before answering (run \`lantern server --socket ${socket}\` to see why)`);
        }
        if (Date.now() >= deadline) throw unreachable(error, `a Lantern server started for ${socket} did not answer within ${START_DEADLINE_MS / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

function unreachable(error: unknown, context?: string): VmServerUnreachable {
  const reason = error instanceof Error ? error.message : String(error);
  return new VmServerUnreachable(context ? `${context}: ${reason}` : reason);
}

/** Starts `node <cli> server --socket <socket>` detached from this process, its output discarded:
 * it serves every client (the CLI, other windows) until `lantern shutdown`. Resolves with its
 * exit status if it ends while this process lives. */
export function spawnDetachedServer(cli: string, socket: string): Promise<number | null> {
  const child = spawn(process.execPath, [cli, 'server', '--socket', socket], {
    detached: true,
    stdio: 'ignore',
    // Electron's Node in desktop VS Code must run as Node for the server too.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code));
  });
  child.unref();
  return exited;
}
