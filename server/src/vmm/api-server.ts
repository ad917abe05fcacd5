// The control API's listeners (net-ipc request/response): an owner-only Unix socket (a named pipe
// on Windows) and, on request, TCP where every connection must first prove it holds the server's
// token. Every request is validated before the VM manager sees it; every answer is one Response.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Server, type Connection } from 'net-ipc';
import './net-ipc-fixes';
import { version } from '../../../package.json';
import { defaultSocketPath, ensurePrivateDirectory, isNamedPipe, netIpcPath, tokenFileFor } from './endpoint';
import type { Request, Response, VmController } from './protocol';
import { validateRequest } from './validate';

export interface ApiServerOptions {
  readonly controller: VmController;
  /** The Unix socket (or `\\.\pipe\NAME` on Windows); default defaultSocketPath(). */
  readonly socket?: string;
  /** Listen on TCP as well (host 127.0.0.1 unless given; port 0 picks a free one): a token is then required. */
  readonly tcp?: { readonly port: number; readonly host?: string };
  /** Connection-level trouble (not per-request chatter). */
  readonly log?: (line: string) => void;
}

/** Unauthorized requests a TCP connection may make before it is closed. */
export const MAX_AUTH_FAILURES = 3;
/** How long a TCP connection may stay without a good `hello` (ms). */
const AUTH_DEADLINE_MS = 10_000;
/** The largest message a client may send: far above the largest valid request (256 arguments
 * of 4096 characters, JSON-escaped), far below what would hurt the server. */
const MAX_MESSAGE = 16 * 1024 * 1024;
/** How long closing waits for clients to take their last answers (ms). */
const CLOSE_GRACE_MS = 2000;
/** How long to wait for whoever holds the socket to answer before calling it alive (ms). */
const PROBE_TIMEOUT_MS = 1000;

interface Peer {
  authorized: boolean;
  failures: number;
  deadline?: NodeJS.Timeout;
}

export class ApiServer {
  /** Where the socket listens. */
  readonly socketPath: string;
  /** The TCP listener's address and the token file, when TCP is on. */
  tcp?: { readonly host: string; readonly port: number; readonly tokenFile: string };
  /** Resolves once the server has shut down (a `shutdown` request or close()). */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly servers: Server[] = [];
  private readonly peers = new Map<Connection, Peer>();
  private token?: Buffer;
  private closing?: Promise<void>;
  private finished?: Promise<void>;
  /** Whether the socket at socketPath is ours to remove. */
  private boundSocket = false;

  private constructor(private readonly options: ApiServerOptions, socketPath: string) {
    this.socketPath = socketPath;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Starts listening; refuses (an Error with one line) when another server answers at the socket. */
  static async listen(options: ApiServerOptions): Promise<ApiServer> {
    const socketPath = options.socket ?? defaultSocketPath();
    const server = new ApiServer(options, socketPath);
    try {
      await server.listenOnSocket();
      if (options.tcp) await server.listenOnTcp(options.tcp.port, options.tcp.host ?? '127.0.0.1');
    } catch (error) {
      await server.closeListeners();
      throw error;
    }
    return server;
  }

  /** Stops taking requests, closes the VM manager (every VM stops), then the listeners. */
  close(): Promise<void> {
    this.finished ??= this.closeController().then(() => this.closeListeners()).then(() => this.resolveClosed());
    return this.finished;
  }

  private async listenOnSocket(): Promise<void> {
    const socket = this.socketPath;
    if (!isNamedPipe(socket)) {
      const dir = path.dirname(socket);
      // Our own runtime folder (…/lantern or lantern-<uid>, holding server.sock) must be
      // private; any other folder the user named is theirs to set up.
      ensurePrivateDirectory(dir, path.basename(socket) === 'server.sock' && /^lantern(-.+)?$/.test(path.basename(dir)));
    }
    await refuseIfAnswering(socket);
    const server = new Server({ path: netIpcPath(socket) });
    this.serve(server, false);
    // No moment where the socket is reachable by others: bind under umask 077 (listen binds
    // synchronously), then chmod to be sure (umask cannot be set in worker threads).
    const previous = setUmask(0o177);
    const started = this.start(server);
    if (previous !== undefined) setUmask(previous);
    await started;
    this.servers.push(server);
    this.boundSocket = true;
    if (!isNamedPipe(socket)) fs.chmodSync(socket, 0o600);
  }

  private async listenOnTcp(port: number, host: string): Promise<void> {
    const token = randomBytes(32);
    const tokenFile = tokenFileFor(this.socketPath);
    writePrivateFile(tokenFile, `${token.toString('hex')}\n`);
    this.token = Buffer.from(token.toString('hex'));
    // net-ipc takes port 0 for "no port": find a free one first.
    const chosen = port === 0 ? await freePort(host) : port;
    const server = new Server({ port: chosen, listenOptions: { host } });
    this.serve(server, true);
    try {
      await this.start(server);
    } catch (error) {
      fs.rmSync(tokenFile, { force: true });
      throw error;
    }
    this.servers.push(server);
    const address = server.server.address() as net.AddressInfo;
    this.tcp = { host: address.address, port: address.port, tokenFile };
  }

  /** Starts a listener (binding synchronously, as the umask above needs). net-ipc's start never
   * settles when listen fails (an address in use, a folder we may not write): that rejects too. */
  private start(server: Server): Promise<void> {
    const started = server.start();
    const listener = server.server;
    // Every raw connection as net-ipc accepts it (its handler runs first): capped before any data.
    listener.on('connection', (socket: net.Socket) => capMessageSize(socket, (line) => this.log(line)));
    return new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${describeAddress(server)}: ${error.code === 'EADDRINUSE' ? 'the address is in use' : error.message}`));
      listener.once('error', failed);
      started.then(() => {
        listener.off('error', failed);
        resolve();
      }, reject);
    });
  }

  private serve(server: Server, tcp: boolean): void {
    server.on('error', (error) => this.log(`connection error: ${oneLine(error)}`));
    server.on('connect', (connection) => {
      const peer: Peer = { authorized: !tcp, failures: 0 };
      this.peers.set(connection, peer);
      if (tcp) {
        peer.deadline = setTimeout(() => void connection.close('no hello with the token in time'), AUTH_DEADLINE_MS);
        peer.deadline.unref();
      }
    });
    server.on('disconnect', (connection) => {
      const peer = this.peers.get(connection);
      if (peer?.deadline) clearTimeout(peer.deadline);
      this.peers.delete(connection);
    });
    server.on('request', (raw, respond, connection) => {
      void this.answer(raw, connection).then(({ response, after }) => {
        // Not awaited: the answer is queued on the socket before anything `after` does (a
        // close), and a client that stops reading must not hold up a shutdown.
        respond(encodable(response)).catch(() => undefined);
        after?.();
      });
    });
  }

  /** One request's answer, and what to do once it is sent. Never throws. */
  private async answer(raw: unknown, connection: Connection): Promise<{ response: Response; after?: () => void }> {
    const peer = this.peers.get(connection) ?? { authorized: false, failures: MAX_AUTH_FAILURES };
    const checked = validateRequest(raw);
    if (!peer.authorized) return this.authenticate(checked.ok ? checked.request : undefined, peer, connection);
    if (!checked.ok) return { response: { ok: false, code: 'bad-request', error: checked.error } };
    const request = checked.request;
    if (this.closing) return { response: { ok: false, code: 'refused', error: 'the server is shutting down' } };
    if (request.op === 'hello') return { response: { ok: true, value: { server: 'lantern', version } } };
    if (request.op === 'shutdown') {
      await this.closeController();
      return { response: { ok: true, value: null }, after: () => void this.close() };
    }
    try {
      const response = await this.options.controller.handle(request);
      if (typeof response !== 'object' || response === null || typeof response.ok !== 'boolean') {
        return { response: { ok: false, code: 'refused', error: 'internal error: the VM manager gave no answer' } };
      }
      return { response };
    } catch (error) {
      return { response: { ok: false, code: 'refused', error: oneLine(error) } };
    }
  }

  /** A TCP connection's requests before its `hello` with the token. */
  private authenticate(request: Request | undefined, peer: Peer, connection: Connection): { response: Response; after?: () => void } {
    if (request?.op === 'hello' && request.token !== undefined && this.token && sameToken(request.token, this.token)) {
      peer.authorized = true;
      if (peer.deadline) clearTimeout(peer.deadline);
      return { response: { ok: true, value: { server: 'lantern', version } } };
    }
    peer.failures++;
    const error = request?.op === 'hello' ? 'wrong token' : `send hello with the server's token first (it is in ${this.tcp?.tokenFile ?? 'the token file'})`;
    const response: Response = { ok: false, code: 'unauthorized', error };
    if (peer.failures < MAX_AUTH_FAILURES) return { response };
    return { response, after: () => void connection.close('unauthorized') };
  }

  /** `shutdown`: the VMs stop before the answer goes out; later requests are refused. */
  private closeController(): Promise<void> {
    this.closing ??= Promise.resolve().then(() => this.options.controller.close()).catch((error: unknown) => this.log(`closing the VMs: ${oneLine(error)}`));
    return this.closing;
  }

  private async closeListeners(): Promise<void> {
    for (const peer of this.peers.values()) if (peer.deadline) clearTimeout(peer.deadline);
    // net-ipc's close lets each connection drain first; a peer that never reads gets cut off.
    await Promise.all(this.servers.map(async (server) => {
      await Promise.race([server.close().catch(() => undefined), delay(CLOSE_GRACE_MS)]);
      for (const connection of [...server.connections]) connection.destroy();
    }));
    this.servers.length = 0;
    if (this.tcp) fs.rmSync(this.tcp.tokenFile, { force: true });
    // libuv unlinks a listening Unix socket on close; make sure, without touching anything else.
    if (this.boundSocket && !isNamedPipe(this.socketPath)) {
      this.boundSocket = false;
      try {
        if (fs.lstatSync(this.socketPath).isSocket()) fs.unlinkSync(this.socketPath);
      } catch {
        // already gone
      }
    }
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** Refuses to take over a socket another server answers on; removes a dead one's leftover. */
async function refuseIfAnswering(socket: string): Promise<void> {
  if (!isNamedPipe(socket)) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(socket);
    } catch {
      return; // nothing there
    }
    // net-ipc unlinks whatever is at the path: never let that be a user's file.
    if (!stat.isSocket()) throw new Error(`${socket} exists and is not a socket`);
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect({ path: socket });
    const timer = setTimeout(() => {
      probe.destroy();
      resolve(true);
    }, PROBE_TIMEOUT_MS);
    probe.once('connect', () => {
      clearTimeout(timer);
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (alive) throw new Error(`another server is already running at ${socket}`);
  if (!isNamedPipe(socket)) fs.rmSync(socket, { force: true });
}

/** Caps what one message may make a connection buffer. net-ipc reads a frame with
 * socket.read(its length), which raises the stream's buffering to that length: a peer (even one
 * that never authenticates) could claim a gigabyte. Without such a read, backpressure holds. */
function capMessageSize(socket: net.Socket, log: (line: string) => void): void {
  const read = socket.read.bind(socket);
  socket.read = (size?: number) => {
    if (size !== undefined && size > MAX_MESSAGE) {
      log(`closing a connection that announced a ${size}-byte message`);
      socket.destroy();
      return null;
    }
    return read(size);
  };
}

/** Writes a new file only its owner can read (an old one is replaced, never followed if a link). */
function writePrivateFile(file: string, text: string): void {
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  if (process.platform !== 'win32') fs.chmodSync(file, 0o600);
}

function sameToken(given: string, token: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

/** A free TCP port on `host` (released before net-ipc binds it: a narrow race, fine for a local server). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The answer as net-ipc can send it (JSON): anything that cannot be encoded becomes a refusal. */
function encodable(response: Response): Response {
  try {
    JSON.stringify(response);
    return response;
  } catch (error) {
    return { ok: false, code: 'refused', error: `internal error: the answer cannot be sent (${oneLine(error)})` };
  }
}

/** An error as one line of text. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split(/\r?\n/, 1)[0]!.trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line || 'unknown error';
}

function describeAddress(server: Server): string {
  const { path: socket, port } = server.options;
  return socket ?? `tcp port ${port}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Sets the umask where allowed (not in worker threads); returns the old one. */
function setUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined;
  }
}
