// The listener: gdb connects over TCP (`target remote host:port`) or a Unix-domain socket /
// Windows named pipe (`target remote /path`). One debugger at a time; a second is refused
// and closed at once. A new debugger may connect when the previous one has gone.
import * as net from 'node:net';
import type { DebugTarget, StopReason } from '../server/src/debug/target';
import { GdbSession, PACKET_SIZE } from './session';

export interface GdbServerOptions {
  /** Where notices go, one line each without a program prefix (a refused debugger, protocol
   * trouble); stderr after `lantern: ` when not given. */
  readonly log?: (line: string) => void;
}

export type ListenAddress = { readonly host: string; readonly port: number } | { readonly path: string };

export interface BoundAddress {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
}

/** How long an ended connection waits for the debugger to close its side. */
const LINGER_MS = 1000;
/** How long close() waits for the last reply to go out and the connection to close. */
const CLOSE_WAIT_MS = 2000;

interface Attached {
  readonly socket: net.Socket;
  readonly session: GdbSession;
}

export class GdbServer {
  private readonly log: (line: string) => void;
  private server: net.Server | undefined;
  private attached: Attached | undefined;

  constructor(private readonly target: DebugTarget, options: GdbServerOptions = {}) {
    this.log = options.log ?? ((line) => process.stderr.write(`lantern: ${line}\n`));
    target.onStop((reason) => this.stopped(reason));
  }

  /** Starts listening; resolves with the address bound (the port the OS chose for port 0). */
  listen(address: ListenAddress): Promise<BoundAddress> {
    if (this.server) return Promise.reject(new Error('gdbstub: already listening'));
    const server = net.createServer((socket) => this.connected(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', failed);
      const bound = () => {
        server.off('error', failed);
        server.on('error', (error) => this.log(`gdbstub: ${error.message}`));
        const where = server.address();
        if (typeof where === 'string') resolve({ path: where });
        else if (where) resolve({ host: where.address, port: where.port });
        else resolve('path' in address ? { path: address.path } : { host: address.host, port: address.port });
      };
      if ('path' in address) server.listen(address.path, bound);
      else server.listen(address.port, address.host, bound);
    });
  }

  /** Whether a debugger is attached now (connected, its session not over). */
  get debuggerAttached(): boolean {
    return this.attached !== undefined && !this.attached.session.ended;
  }

  /** Ends the debugger's connection (after what was sent, a W say, is flushed) and stops listening. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const attached = this.attached;
    const socketClosed = attached && !attached.socket.destroyed
      ? new Promise<void>((resolve) => {
        attached.socket.once('close', () => resolve());
        // A debugger that does not close its side, or a reply that never comes, is cut off.
        setTimeout(() => attached.socket.destroy(), CLOSE_WAIT_MS).unref();
      })
      : Promise.resolve();
    attached?.session.shutdown();
    const serverClosed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    return Promise.all([socketClosed, serverClosed]).then(() => undefined);
  }

  private connected(socket: net.Socket): void {
    const peer = describePeer(socket);
    if (this.debuggerAttached) {
      this.log(`a debugger is already attached; refusing ${peer}`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    let sessionPaused = false;
    let drainPaused = false;
    const applyFlow = () => {
      if (sessionPaused || drainPaused) socket.pause();
      else socket.resume();
    };
    const session = new GdbSession(this.target, {
      write: (bytes) => {
        if (socket.destroyed) return;
        // The peer reads slowly: stop reading it until it catches up (bounded buffers).
        if (!socket.write(bytes) && !drainPaused) {
          drainPaused = true;
          applyFlow();
        }
      },
      end: () => {
        if (socket.destroyed) return;
        socket.end();
        // A peer that never closes its side does not keep the connection (nor the slot).
        setTimeout(() => socket.destroy(), LINGER_MS).unref();
      },
      setPaused: (paused) => {
        sessionPaused = paused;
        applyFlow();
      },
    }, { packetSize: PACKET_SIZE, log: this.log });
    const attached = { socket, session };
    this.attached = attached;
    session.start();
    socket.on('drain', () => {
      drainPaused = false;
      applyFlow();
    });
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('error', (error) => this.log(`gdbstub: ${peer}: ${error.message}`));
    socket.on('close', () => {
      session.disconnected();
      if (this.attached === attached) this.attached = undefined;
    });
  }

  private stopped(reason: StopReason): void {
    this.attached?.session.targetStopped(reason);
  }
}

function describePeer(socket: net.Socket): string {
  if (socket.remoteAddress === undefined) return 'a local connection';
  const host = socket.remoteFamily === 'IPv6' ? `[${socket.remoteAddress}]` : socket.remoteAddress;
  return `${host}:${socket.remotePort}`;
}
