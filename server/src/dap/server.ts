// Runs the DAP bridge: one session on stdio (`lantern dap`), or a session per connection on
// a TCP port (`lantern dap --port N`, 127.0.0.1 unless a host is given; a server VM's endpoint).
import * as net from 'node:net';
import { LanternDebugSession, type AttachableMachine } from './session';

/** One session over stdin/stdout; the process ends when the client disconnects or stdin closes. */
export function runDapOnStdio(): Promise<number> {
  return new Promise((resolve) => {
    const session = new LanternDebugSession();
    process.stdin.on('end', () => {
      session.end();
      resolve(0);
    });
    session.start(process.stdin, process.stdout);
  });
}

/** Listens for DAP clients, each its own session and machine; or, given `attach`, each a
 * session attached to that one machine (a VM of the server). */
export function listenDap(port: number, host = '127.0.0.1', attach?: AttachableMachine): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const session = new LanternDebugSession(attach);
    session.setRunAsServer(true);
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => session.end());
    session.start(socket, socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
