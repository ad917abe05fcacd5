// A TCP port free on 127.0.0.1 (bound, read and released) for peers that need a number up
// front: QEMU's -gdb, code-server's --bind-addr.
import * as net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
