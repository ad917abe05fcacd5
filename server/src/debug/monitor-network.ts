// The monitor's user-mode network commands, as QEMU's: `info network` (net/net.c hmp_info_network),
// `info usernet` (libslirp's connection_info table), hostfwd_add and hostfwd_remove (net/slirp.c).
// Text from the networks' own descriptions (net/user-network.ts); no host I/O here.
import type { HostForward, NatSocket, SocketAddress } from '../net/nat';
import type { UserNetworkDescription } from '../net/user-network';

/** One NIC's user network as the monitor uses it (net/user-network.ts UserNetwork). */
export interface MonitorUserNetwork {
  describe(): UserNetworkDescription;
  /** Rejects with a one-line Error when the host port cannot be bound. */
  addForward(forward: HostForward): Promise<void>;
  removeForward(protocol: 'tcp' | 'udp', hostAddress: string, hostPort: number): boolean;
}

/** The machine's user networks, in NIC order, and the hostfwd rule parser (cli/virtio-options.ts). */
export interface MonitorNetworks {
  list(): readonly MonitorUserNetwork[];
  /** `[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport`; throws an Error whose message is why not, in a few words. */
  parseRule(text: string): HostForward;
  /** set_link: the NIC named `virtio-net-device.N` or by its netdev's id; false if there is none. */
  setLink?(name: string, up: boolean): boolean;
}

/** A monitor error: its message is the command's whole output. */
export class NetworkCommandError extends Error {}

/**
 * `info network`: a line per NIC and, under it, its netdev, as QEMU prints a NIC and its peer.
 * QEMU names a NIC by its -device id= or else model.N; Lantern keeps no device id, so model.N
 * it is. The netdev is named by its id (`__nicN` for a -nic, where QEMU's is `__org.qemu.nicN`).
 * There are no hubs: Lantern connects each NIC straight to its own network.
 */
export function networkList(networks: readonly MonitorUserNetwork[]): string {
  return networks.map((network, index) => {
    const { id, guestMac, network: address, restrict } = network.describe();
    const mac = guestMac === undefined ? '' : `,macaddr=${guestMac}`;
    return `virtio-net-device.${index}: index=0,type=nic,model=virtio-net-device${mac}\n`
      + ` \\ ${id ?? `user.${index}`}: index=0,type=user,net=${address},restrict=${restrict ? 'on' : 'off'}\n`;
  }).join('');
}

const USERNET_HEADER = '  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\n';

/**
 * `info usernet`: per network `Hub -1 (ID):` (-1: on no hub) and slirp's table. Lantern's host
 * sockets are node's and have no descriptor: the FD column shows `-`. A UDP flow's state is the
 * seconds before it expires without traffic, in virtual time.
 */
export function usernetTable(networks: readonly MonitorUserNetwork[]): string {
  return networks.map((network, index) => {
    const { id, sockets } = network.describe();
    return `Hub -1 (${id ?? `user.${index}`}):\n${USERNET_HEADER}${sockets.map(socketRow).join('')}`;
  }).join('');
}

function socketRow(socket: NatSocket): string {
  const label = socket.kind === 'forward' ? `${socket.protocol.toUpperCase()}[HOST_FORWARD]`
    : socket.kind === 'tcp' ? `TCP[${socket.status.state}]` : `UDP[${socket.secondsLeft} sec]`;
  const receive = socket.kind === 'tcp' ? socket.status.receiveQueue : 0;
  const send = socket.kind === 'tcp' ? socket.status.sendQueue : socket.kind === 'udp' ? socket.sendQueue : 0;
  const end = ({ address, port }: SocketAddress) => `${address.padStart(15)} ${String(port).padStart(5)}`;
  return `${`  ${label}`.padEnd(19)} ${'-'.padStart(3)} ${end(socket.source)} ${end(socket.destination)} ${String(receive).padStart(5)} ${String(send).padStart(5)}\n`;
}

/** The network a command names (`[netdev_id] rule`), or the first one when it names none, as QEMU's slirp_lookup. */
function lookup(networks: readonly MonitorUserNetwork[], id: string | undefined): MonitorUserNetwork {
  if (id === undefined) {
    if (networks.length === 0) throw new NetworkCommandError('user mode network stack not in use');
    return networks[0];
  }
  const network = networks.find((candidate) => candidate.describe().id === id);
  if (!network) throw new NetworkCommandError(`unrecognized netdev id '${id}'`);
  return network;
}

/** Splits `[netdev_id] rule` into the network and the rule. */
function target(networks: readonly MonitorUserNetwork[], args: string, usage: string): { network: MonitorUserNetwork; rule: string } {
  const words = args.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0 || words.length > 2) throw new NetworkCommandError(usage);
  return { network: lookup(networks, words.length === 2 ? words[0] : undefined), rule: words[words.length - 1] };
}

/** `hostfwd_add [netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport`: silent when it works, as QEMU. */
export async function hostForwardAdd(networks: MonitorNetworks, args: string): Promise<string> {
  const { network, rule } = target(networks.list(), args,
    'hostfwd_add: usage: hostfwd_add [netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport');
  let forward: HostForward;
  try {
    forward = networks.parseRule(rule);
  } catch (error) {
    throw new NetworkCommandError(`invalid host forwarding rule '${rule}' (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    await network.addForward(forward);
  } catch (error) {
    throw new NetworkCommandError(error instanceof Error ? error.message : String(error));
  }
  return '';
}

/**
 * `hostfwd_remove [netdev_id] [tcp|udp]:[hostaddr]:hostport`: QEMU's answer either way. An empty
 * host address is 127.0.0.1, where Lantern binds a rule without one (QEMU's is every address).
 */
export function hostForwardRemove(networks: MonitorNetworks, args: string): string {
  const { network, rule } = target(networks.list(), args, 'hostfwd_remove: usage: hostfwd_remove [netdev_id] [tcp|udp]:[hostaddr]:hostport');
  const match = /^(tcp|udp)?:([^:]*):(\d{1,5})$/.exec(rule);
  if (!match || Number(match[3]) > 65535) throw new NetworkCommandError(`invalid format '${rule}' (expected [tcp|udp]:[hostaddr]:hostport)`);
  const [, protocol = 'tcp', hostAddress, hostPort] = match;
  const removed = network.removeForward(protocol as 'tcp' | 'udp', hostAddress === '' ? '127.0.0.1' : hostAddress, Number(hostPort));
  return `host forwarding rule for ${rule} ${removed ? 'removed' : 'not found'}\n`;
}

/** `set_link name on|off` (QEMU's): the NIC's link, as its guest driver sees it; silent when done. */
export function setLink(networks: MonitorNetworks, args: string): string {
  const words = args.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length !== 2 || !['on', 'off'].includes(words[1])) throw new NetworkCommandError('set_link: usage: set_link name on|off');
  const [name, state] = words;
  if (!networks.setLink?.(name, state === 'on')) throw new NetworkCommandError(`Device '${name}' not found`);
  return '';
}
