// The contract between the user-mode network and the UDP services it hosts on the gateway's
// addresses (TFTP on 10.0.2.2:69, DNS on 10.0.2.3:53): datagrams in, datagrams out, and a
// deferred path for answers the host gives later (the resolver), run at a machine boundary.
import type { Ipv4Address } from './frames';

/** One end of a UDP exchange. */
export interface UdpEndpoint {
  readonly address: Ipv4Address;
  readonly port: number;
}

/** What a service may do; the network gives it one of these when it is registered. */
export interface UdpServiceContext {
  /** Sends `payload` to the guest as a datagram from `from` (an address of the gateway) to `to`. */
  send(from: UdpEndpoint, to: UdpEndpoint, payload: Uint8Array): void;
  /**
   * Runs `work` at the machine's next boundary (never inside a host callback: frames reach the
   * guest only there, each logged with its step for replay). Wakes an idle machine.
   */
  defer(work: () => void): void;
  /** Virtual time, in ns since the machine started (for retransmission timers). */
  now(): bigint;
  /** Tells the network's owner about a notable event (a line in the machine's log). */
  report(message: string): void;
}

/** What became of one datagram given to a service. */
export type ServiceResult =
  | { readonly kind: 'handled' }
  /** Malformed (counted as dropped, with the reason). */
  | { readonly kind: 'dropped'; readonly reason: string }
  /** Well-formed but refused or not served (counted as ignored). */
  | { readonly kind: 'ignored'; readonly reason: string };

export interface UdpService {
  /** A datagram from the guest at `from` to the service's `to` (already checksum-checked). */
  receive(payload: Uint8Array, from: UdpEndpoint, to: UdpEndpoint): ServiceResult;
  /** Virtual time moved on (called at each machine boundary): retransmit, expire. */
  tick?(now: bigint): void;
  /** True while an answer from the host is outstanding (a lookup): the machine then idles in wall time. */
  readonly busy?: boolean;
  /** The host side goes away (the machine stops): close files and sockets. */
  close?(): void;
}
