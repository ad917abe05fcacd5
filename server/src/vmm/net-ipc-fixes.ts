// Repairs to net-ipc 2.2.2, applied once on import (before any client or connection exists):
// its write queue and pending-request table live on the shared prototype, so every client and
// connection in the process shares one of each, and its `drain` handler resolves only half the
// queued writes. A connection's close() waits for that queue, so the server's close could hang
// forever after a burst of requests. Each instance now gets its own queue and table, and a drain
// resolves every write waiting on it.
import { Client } from 'net-ipc';
import Connection from 'net-ipc/src/connection.js';

interface Queued {
  resolve(): void;
}

function repair(prototype: object): void {
  if (typeof (prototype as { _drain?: unknown })._drain !== 'function') return; // not the net-ipc we know
  for (const [key, make] of [['_drainQueue', () => []], ['_requests', () => ({})]] as const) {
    Object.defineProperty(prototype, key, {
      configurable: true,
      get(this: object) {
        const own = make();
        Object.defineProperty(this, key, { value: own, writable: true, configurable: true });
        return own;
      },
      set(this: object, value: unknown) {
        Object.defineProperty(this, key, { value, writable: true, configurable: true });
      },
    });
  }
  Object.defineProperty(prototype, '_drain', {
    configurable: true,
    writable: true,
    value(this: { _drainQueue: Queued[] }) {
      const queue = this._drainQueue;
      while (queue.length > 0) queue.shift()!.resolve();
    },
  });
}

repair(Client.prototype);
repair(Connection.prototype);
