// Free ports on 127.0.0.1 for tests that must name one (hostfwd=): bound, read and let go.
import * as net from 'node:net';

/** A TCP port free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
