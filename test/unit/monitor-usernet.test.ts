// The monitor's user-network commands on a real Machine built from QEMU's options: `info network`
// and `info usernet` in QEMU's layout, hostfwd_add opening a real host port (a client connects
// and its relayed connection shows up), hostfwd_remove freeing it, and the one-line refusals;
// and the BSD state names a connection shows as its FINs go both ways.
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineFromOptions } from '../../server/src/cli/machine-options';
import { parseArguments } from '../../server/src/cli/options';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { createMonitor } from '../../server/src/debug/monitor';
import { TCP_ACK, TCP_FIN, TCP_SYN, TcpConnection, type TcpSegment } from '../../server/src/net/tcp';
import { freePort } from '../support/ports';

const root = path.join(__dirname, '..', '..');
const HELLO = path.join(root, 'samples', 'hello', 'hello.elf');
const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm')) && fs.existsSync(HELLO);

const HEADER = '  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\n';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const port5 = (port: number) => String(port).padStart(5);

/** What a test holds open; afterEach closes it. */
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const close of cleanup.splice(0).reverse()) close();
});

/** A server bound to 127.0.0.1:`port` (0: any free port), closed after the test. */
async function bind(port = 0): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  cleanup.push(() => server.close());
  return server;
}


/** The hello sample (never started: only the network's host side is exercised) with a NIC on `-netdev user,id=n0`. */
async function start(port: number) {
  const invocation = parseArguments([
    '-machine', 'virt', '-bios', 'none', '-m', '64M', '-kernel', HELLO,
    '-netdev', `user,id=n0,hostfwd=tcp::${port}-:22`, '-device', 'virtio-net-device,netdev=n0',
  ]);
  if (invocation.kind !== 'run') throw new Error('not a run');
  const opened = machineFromOptions(invocation.options, { console: { write: () => {} }, cwd: root });
  const { machine } = opened;
  cleanup.push(() => {
    machine.stop();
    for (const { network } of machine.userNetworks) network.close();
    for (const file of opened.files) file.close();
  });
  await machine.networksReady();
  const target = new MachineDebugTarget(machine, undefined, { history: false });
  const monitor = createMonitor(target.monitorHost());
  const run = async (line: string) => (await monitor.command(line, 0)).output;
  return { machine, run, network: machine.userNetworks[0].network };
}

describe.skipIf(!haveCore)('monitor: user network', () => {
  it('set_link takes the NIC\'s link down and up again, by its name or its netdev\'s id', async () => {
    const { machine, run } = await start(await freePort());
    const link = () => (machine.captureLight().devices.virtio7 as unknown as { device: { linkUp?: boolean } }).device.linkUp;
    expect(link()).toBe(true);
    expect(await run('set_link n0 off')).toBe('');
    expect(link()).toBe(false);
    expect(await run('set_link virtio-net-device.0 on')).toBe('');
    expect(link()).toBe(true);
    expect(await run('set_link eth9 off')).toBe("Device 'eth9' not found\n");
    expect(await run('set_link n0 sideways')).toBe('set_link: usage: set_link name on|off\n');
  });

  it('shows the NIC and its netdev, and the hostfwd listener, as QEMU does', async () => {
    const port = await freePort();
    const { run } = await start(port);
    expect(await run('info network')).toBe(
      'virtio-net-device.0: index=0,type=nic,model=virtio-net-device,macaddr=52:54:00:12:34:56\n'
      + ' \\ n0: index=0,type=user,net=10.0.2.0,restrict=off\n');
    expect(await run('info usernet')).toBe(
      `Hub -1 (n0):\n${HEADER}  TCP[HOST_FORWARD]   -       127.0.0.1 ${port5(port)}       10.0.2.15    22     0     0\n`);
    expect(await run('info network extra')).toBe('info network: extraneous characters at the end of line\n');
    expect(await run('help hostfwd_add')).toMatch(/^hostfwd_add \[netdev_id\] \[tcp\|udp\]:\[hostaddr\]:hostport-\[guestaddr\]:guestport -- /);
  });

  it('hostfwd_add opens a port a host client reaches; hostfwd_remove closes it and leaves the connection', async () => {
    const first = await freePort();
    const { run, network } = await start(first);
    const port = await freePort();
    expect(await run(`hostfwd_add n0 tcp:127.0.0.1:${port}-10.0.2.15:80`)).toBe('');

    // A real client connects at the TCP level; at the next boundary the gateway sends its SYN to the guest.
    const client = net.connect(port, '127.0.0.1');
    cleanup.push(() => client.destroy());
    await new Promise<void>((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
    const connectionRow = `  TCP[SYN_SENT]       -       127.0.0.1 ${port5(port)}       10.0.2.15    80     0     0\n`;
    for (let i = 0; i < 100 && !(await run('info usernet')).includes('SYN_SENT'); i++) {
      await sleep(10);
      network.poll();
    }
    const listeners = `  TCP[HOST_FORWARD]   -       127.0.0.1 ${port5(first)}       10.0.2.15    22     0     0\n`
      + `  TCP[HOST_FORWARD]   -       127.0.0.1 ${port5(port)}       10.0.2.15    80     0     0\n`;
    expect(await run('info usernet')).toBe(`Hub -1 (n0):\n${HEADER}${listeners}${connectionRow}`);

    // Without a netdev id the first (here the only) network is meant, as in QEMU.
    expect(await run(`hostfwd_remove tcp::${port}`)).toBe(`host forwarding rule for tcp::${port} removed\n`);
    await bind(port); // the port is free again
    // The connection it accepted stays.
    expect(await run('info usernet')).toBe(`Hub -1 (n0):\n${HEADER}${listeners.split('\n')[0]}\n${connectionRow}`);
    expect(await run(`hostfwd_remove n0 tcp::${port}`)).toBe(`host forwarding rule for tcp::${port} not found\n`);
  });

  it('binds port 0 to a port the host picks and shows it; forwards UDP too', async () => {
    const { run } = await start(await freePort());
    expect(await run('hostfwd_add tcp::0-:8080')).toBe('');
    const picked = /TCP\[HOST_FORWARD\] +- +127\.0\.0\.1 +(\d+) +10\.0\.2\.15 +8080/.exec(await run('info usernet'));
    expect(Number(picked?.[1])).toBeGreaterThan(0);
    const udpPort = await freePort();
    expect(await run(`hostfwd_add udp::${udpPort}-:53`)).toBe('');
    expect(await run('info usernet')).toContain(`  UDP[HOST_FORWARD]   -       127.0.0.1 ${port5(udpPort)}       10.0.2.15    53     0     0\n`);
    expect(await run(`hostfwd_remove udp::${udpPort}`)).toBe(`host forwarding rule for udp::${udpPort} removed\n`);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(udpPort, '127.0.0.1', resolve); });
    socket.close();
  });

  it('refuses bad rules, unknown netdevs, missing rules and ports in use in one line', async () => {
    const { run } = await start(await freePort());
    expect(await run('hostfwd_add tcp:2222')).toBe(
      "invalid host forwarding rule 'tcp:2222' (expected tcp|udp:[hostaddr]:hostport-[guestaddr]:guestport)\n");
    expect(await run('hostfwd_add tcp::99999-:22')).toBe("invalid host forwarding rule 'tcp::99999-:22' (bad host port 99999)\n");
    expect(await run('hostfwd_add n1 tcp::2222-:22')).toBe("unrecognized netdev id 'n1'\n");
    expect(await run('hostfwd_remove n1 tcp::2222')).toBe("unrecognized netdev id 'n1'\n");
    expect(await run('hostfwd_remove tcp::2222')).toBe('host forwarding rule for tcp::2222 not found\n');
    expect(await run('hostfwd_remove tcp:2222')).toBe("invalid format 'tcp:2222' (expected [tcp|udp]:[hostaddr]:hostport)\n");
    expect(await run('hostfwd_add')).toBe(
      'hostfwd_add: usage: hostfwd_add [netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport\n');
    const taken = (await bind()).address() as net.AddressInfo;
    expect(await run(`hostfwd_add tcp::${taken.port}-:22`)).toBe(
      `could not set up host forwarding rule tcp:127.0.0.1:${taken.port}: the port is in use\n`);
  });

  it('without a user network: empty tables, and hostfwd says the stack is not in use', async () => {
    const invocation = parseArguments(['-machine', 'virt', '-bios', 'none', '-m', '64M', '-kernel', HELLO]);
    if (invocation.kind !== 'run') throw new Error('not a run');
    const { machine } = machineFromOptions(invocation.options, { console: { write: () => {} }, cwd: root });
    cleanup.push(() => machine.stop());
    const monitor = createMonitor(new MachineDebugTarget(machine, undefined, { history: false }).monitorHost());
    expect((await monitor.command('info network', 0)).output).toBe('');
    expect((await monitor.command('info usernet', 0)).output).toBe('');
    expect((await monitor.command('hostfwd_add tcp::2222-:22', 0)).output).toBe('user mode network stack not in use\n');
  });
});

describe('info usernet: TCP state names', () => {
  /** A connection whose host end records what it is given and whose sent segments the test reads. */
  function connection(syn?: TcpSegment) {
    const sent: TcpSegment[] = [];
    const host = { written: 0, write(bytes: Uint8Array) { this.written += bytes.length; }, get pendingWrite() { return this.written; },
      end() {}, destroy() {}, pause() {}, resume() {} };
    const link = { send: (segment: TcpSegment) => { sent.push(segment); }, now: () => 0n, closed() {}, report() {} };
    const tcp = new TcpConnection({ guestPort: 22, remotePort: 49152 }, host, link, 1000, syn);
    const guest = (flags: number, sequence: number, payload = new Uint8Array(0)) => tcp.segment({
      sourcePort: 22, destinationPort: 49152, sequence, acknowledgment: sent[sent.length - 1].sequence + 1, flags, window: 65535, payload,
    });
    return { tcp, sent, guest, host };
  }
  const state = (tcp: TcpConnection) => tcp.status().state;

  it('a connection the guest opens: SYN_RCVD, ESTABLISHED, CLOSE_WAIT after its FIN, LAST_ACK after ours', () => {
    const syn = { sourcePort: 22, destinationPort: 49152, sequence: 500, acknowledgment: 0, flags: TCP_SYN, window: 65535, payload: new Uint8Array(0) };
    const { tcp, sent, guest } = connection(syn);
    expect(state(tcp)).toBe('SYN_RCVD');
    tcp.hostConnected();
    expect(state(tcp)).toBe('SYN_RCVD');
    guest(TCP_ACK, 501);
    expect(state(tcp)).toBe('ESTABLISHED');
    tcp.hostData(new Uint8Array(5));
    expect(tcp.status()).toEqual({ state: 'ESTABLISHED', receiveQueue: 5, sendQueue: 0 });
    const data = sent[sent.length - 1];
    tcp.segment({ ...data, sourcePort: 22, destinationPort: 49152, sequence: 501, acknowledgment: data.sequence + 5, flags: TCP_ACK | TCP_FIN, payload: new Uint8Array(3) });
    expect(tcp.status()).toEqual({ state: 'CLOSE_WAIT', receiveQueue: 0, sendQueue: 3 });
    tcp.hostEnd();
    expect(state(tcp)).toBe('LAST_ACK');
  });

  it('a forwarded connection: SYN_SENT, ESTABLISHED, FIN_WAIT_1 after our FIN, FIN_WAIT_2 once acknowledged', () => {
    const { tcp, guest } = connection();
    expect(state(tcp)).toBe('SYN_SENT');
    guest(TCP_SYN | TCP_ACK, 7000);
    expect(state(tcp)).toBe('ESTABLISHED');
    tcp.hostEnd();
    expect(state(tcp)).toBe('FIN_WAIT_1');
    guest(TCP_ACK, 7001);
    expect(state(tcp)).toBe('FIN_WAIT_2');
  });
});
