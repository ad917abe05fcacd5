// The user-mode network seen by a real guest: Debian's U-Boot (qemu-riscv64_smode, after the
// default OpenSBI) on `-netdev user -device virtio-net-device` gets 10.0.2.15 by DHCP and pings
// the gateway 10.0.2.2; with QEMU installed, its user network must answer the same commands
// alike. The network's own state rides in the machine's snapshot state; time travel replays
// the frames the guest received; a -netdev setting Lantern lacks is refused with one line and
// status 2.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { machineFromOptions } from '../../server/src/cli/machine-options';
import { parseArguments } from '../../server/src/cli/options';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { DEFAULT_FIRMWARE } from '../../server/src/machine/boot-layout';
import { Machine } from '../../server/src/machine/machine';
import { ipv4 } from '../../server/src/net/frames';
import { nextStop, resumeAndWait } from '../support/debug-target';
import { buildHostBundle, hasTool } from '../support/guest-tools';
import { CONSOLE_UP, UBOOT_PROMPT as PROMPT, uBootSession } from '../support/u-boot-session';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';
const QEMU = 'qemu-system-riscv64';

const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
const haveUboot = fs.existsSync(UBOOT) && fs.existsSync(DEFAULT_FIRMWARE);
const haveQemu = hasTool(QEMU);
if (!haveUboot) console.warn(`test/boot/network: ${UBOOT} or Debian's OpenSBI not found (apt-get install u-boot-qemu opensbi): skipping`);

const WAIT_MS = 30_000;
const COMMANDS = ['setenv autoload no', 'dhcp', 'ping 10.0.2.2'];

/** U-Boot with `command args` answering COMMANDS, then powered off: each command's answer and the status. */
async function networkSession(command: string, args: readonly string[]): Promise<{ answers: Map<string, string>; status: number | null; stderr: string }> {
  const session = await uBootSession(command, args, [...COMMANDS, 'poweroff'], WAIT_MS);
  return { answers: new Map(session.answers.map(({ command: line, text }) => [line, text])), status: session.status, stderr: session.stderr };
}

/** A pcap file (LINKTYPE_ETHERNET), microsecond or nanosecond, read by the format's description (not Lantern's writer). */
function readPcap(file: string): { nanoseconds: boolean; frames: { ns: bigint; bytes: Uint8Array }[] } {
  const data = fs.readFileSync(file);
  const magic = data.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${file}: not a little-endian pcap (magic ${magic.toString(16)})`);
  if (data.readUInt32LE(20) !== 1) throw new Error(`${file}: not Ethernet`);
  const nanoseconds = magic === 0xa1b23c4d;
  const frames: { ns: bigint; bytes: Uint8Array }[] = [];
  for (let at = 24; at + 16 <= data.length;) {
    const fraction = BigInt(data.readUInt32LE(at + 4));
    const ns = BigInt(data.readUInt32LE(at)) * 1_000_000_000n + (nanoseconds ? fraction : fraction * 1000n);
    const length = data.readUInt32LE(at + 8);
    frames.push({ ns, bytes: new Uint8Array(data.subarray(at + 16, at + 16 + length)) });
    at += 16 + length;
  }
  return { nanoseconds, frames };
}

/** Who sent a frame (the guest's 52:54 MAC or the gateway's 52:55) and what it is: arp OP, dhcp TYPE, icmp TYPE. */
function summary(frame: Uint8Array): string {
  const from = frame[6] === 0x52 && frame[7] === 0x54 ? 'guest' : 'gateway';
  const type = (frame[12] << 8) | frame[13];
  if (type === 0x0806) return `${from} arp ${frame[21]}`;
  if (type !== 0x0800) return `${from} ethertype ${type.toString(16)}`;
  const ip = 14;
  const header = (frame[ip] & 0x0f) * 4;
  const protocol = frame[ip + 9];
  if (protocol === 1) return `${from} icmp ${frame[ip + header]}`;
  if (protocol === 17) {
    const udp = ip + header;
    const port = (frame[udp + 2] << 8) | frame[udp + 3];
    if (port !== 67 && port !== 68) return `${from} udp ${port}`;
    // DHCP: the message type, option 53, after the 236-byte fixed part and the cookie.
    for (let at = udp + 8 + 240; at < frame.length && frame[at] !== 255;) {
      if (frame[at] === 0) { at++; continue; }
      if (frame[at] === 53) return `${from} dhcp ${frame[at + 2]}`;
      at += 2 + frame[at + 1];
    }
    return `${from} dhcp ?`;
  }
  return `${from} ip ${protocol}`;
}

const NETWORK = ['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0'];

describe.skipIf(!haveCore || !haveUboot)('U-Boot on the user-mode network', () => {
  beforeAll(() => {
    buildHostBundle();
  });

  it('gets 10.0.2.15 by DHCP and pings the gateway, as under QEMU, and a filter-dump holds the same exchange as QEMU\'s', async () => {
    const args = ['-machine', 'virt', '-nographic', '-kernel', UBOOT, ...NETWORK];
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dump-'));
    const dump = (name: string) => ['-object', `filter-dump,id=f0,netdev=n0,file=${path.join(scratch, name)}`];
    const ours = await networkSession(process.execPath, [cli, ...args, ...dump('ours.pcap')]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    expect(ours.answers.get('setenv autoload no')).toBe('');
    expect(ours.answers.get('dhcp')).toContain('DHCP client bound to address 10.0.2.15');
    expect(ours.answers.get('ping 10.0.2.2')).toContain('host 10.0.2.2 is alive');
    // Our dump: nanosecond pcap of Ethernet frames, stamped with virtual time (never going back).
    const ourDump = readPcap(path.join(scratch, 'ours.pcap'));
    expect(ourDump.nanoseconds).toBe(true);
    expect(ourDump.frames.every((frame, i) => i === 0 || frame.ns >= ourDump.frames[i - 1].ns)).toBe(true);
    const exchange = ourDump.frames.map(({ bytes }) => summary(bytes));
    expect(exchange).toEqual(expect.arrayContaining(['guest dhcp 1', 'gateway dhcp 2', 'guest dhcp 3', 'gateway dhcp 5', 'guest icmp 8', 'gateway icmp 0']));

    if (!haveQemu) return;
    const theirs = await networkSession(QEMU, ['-cpu', 'rv64,h=false', ...args, ...dump('theirs.pcap')]);
    expect(theirs.status).toBe(0);
    // U-Boot prints how long DHCP took ("(3 ms)"): wall time, so left out.
    const timeless = (text: string | undefined) => text?.replace(/\(\d+ ms\)/g, '(N ms)');
    for (const line of COMMANDS) expect(timeless(ours.answers.get(line)), line).toBe(timeless(theirs.answers.get(line)));
    // The same frames, kind by kind and way by way, in QEMU's dump (microsecond pcap, wall time).
    expect(exchange).toEqual(readPcap(path.join(scratch, 'theirs.pcap')).frames.map(({ bytes }) => summary(bytes)));
    fs.rmSync(scratch, { recursive: true, force: true });
  }, 90_000);

  it('records a networked session with -icount rr=record whose replay writes the same dump, byte for byte', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dump-'));
    const log = path.join(scratch, 'session.rr');
    const args = (mode: string, file: string) => [
      cli, '-machine', 'virt', '-nographic', '-kernel', UBOOT, ...NETWORK, '-object', `filter-dump,id=f0,netdev=n0,file=${path.join(scratch, file)}`,
      '-icount', `shift=3,rr=${mode},rrfile=${log}`,
    ];
    const recorded = await networkSession(process.execPath, args('record', 'recorded.pcap'));
    expect(recorded.status).toBe(0);
    const replayed = spawnSync(process.execPath, args('replay', 'replayed.pcap'), { input: '', encoding: 'latin1', timeout: 30_000 });
    expect(replayed.status).toBe(0);
    const bytes = fs.readFileSync(path.join(scratch, 'recorded.pcap'));
    expect(readPcap(path.join(scratch, 'recorded.pcap')).frames.length).toBeGreaterThan(6);
    expect(fs.readFileSync(path.join(scratch, 'replayed.pcap')).equals(bytes)).toBe(true);
    fs.rmSync(scratch, { recursive: true, force: true });
  }, 90_000);
});

describe.skipIf(!haveCore)('the user network in the machine state', () => {
  it('is saved beside its NIC (virtioN.user) and put back by a restore', () => {
    const machine = new Machine({
      board: 'virt', ramSize: 16 << 20, kernel: path.join(root, 'samples/hello/hello.elf'), bios: 'none', icountShift: 3,
      console: { write() {} }, rtcStart: 0n, rngSeed: 1n,
      virtio: { forceLegacy: true, devices: [{ kind: 'net', slot: 7, mac: Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56) }] },
    });
    const state = machine.captureState();
    expect(state.devices['virtio7.user']).toEqual({
      name: 'user-network', version: 1, leases: [], nextIdentification: 0, stats: { received: 0, sent: 0, handled: 0, dropped: 0, ignored: 0, overflowed: 0 },
    });
    const leased = { name: 'user-network', version: 1, leases: [['52:54:00:12:34:56', ipv4('10.0.2.15')]], nextIdentification: 7, stats: { received: 4, sent: 4, handled: 4, dropped: 0, ignored: 0, overflowed: 0 } };
    machine.restoreState({ ...state, devices: { ...state.devices, 'virtio7.user': leased } });
    expect(machine.captureLight().devices['virtio7.user']).toEqual(leased);
    // All or nothing: a state the network refuses leaves the one before.
    expect(() => machine.restoreState({ ...state, devices: { ...state.devices, 'virtio7.user': { ...leased, version: 2 } } })).toThrow(/user-network v2/);
    expect(machine.captureLight().devices['virtio7.user']).toEqual(leased);
  });
});

describe.skipIf(!haveCore)('-netdev on the command line', () => {
  const refused = (spec: string) => {
    buildHostBundle();
    const run = spawnSync(process.execPath, [cli, '-kernel', UBOOT, '-netdev', spec, '-device', 'virtio-net-device,netdev=n0'], { encoding: 'utf8', timeout: 20_000 });
    return { status: run.status, stdout: run.stdout, lines: run.stderr.trimEnd().split('\n') };
  };

  it('refuses a setting the user network does not have with one line and status 2', () => {
    expect(refused('user,id=n0,guestfwd=tcp:10.0.2.100:1234-cmd:cat')).toEqual({
      status: 2, stdout: '',
      lines: ["lantern: -netdev user,id=n0,guestfwd=tcp:10.0.2.100:1234-cmd:cat: 'guestfwd=' is not supported (Lantern's user network has QEMU's default addresses)"],
    });
  });

  it('refuses a malformed hostfwd, a guest address off the network, a port in use and a missing tftp directory', async () => {
    expect(refused('user,id=n0,hostfwd=tcp::22').lines).toEqual([
      "lantern: -netdev user,id=n0,hostfwd=tcp::22: invalid hostfwd 'tcp::22' (expected tcp|udp:[hostaddr]:hostport-[guestaddr]:guestport)",
    ]);
    expect(refused('user,id=n0,hostfwd=tcp::2222-192.168.0.1:22').lines).toEqual([
      "lantern: -netdev user,id=n0,hostfwd=tcp::2222-192.168.0.1:22: hostfwd 'tcp::2222-192.168.0.1:22': guest address not in 10.0.2.0/24",
    ]);
    const busy = await new Promise<net.Server>((resolve) => { const server = net.createServer(); server.listen(0, '127.0.0.1', () => resolve(server)); });
    const port = (busy.address() as net.AddressInfo).port;
    expect(refused(`user,id=n0,hostfwd=tcp::${port}-:22`)).toEqual({
      status: 2, stdout: '', lines: [`lantern: could not set up host forwarding rule tcp:127.0.0.1:${port}: the port is in use`],
    });
    busy.close();
    const missing = refused('user,id=n0,tftp=/nonexistent/lantern-tftp');
    expect(missing.status).toBe(2);
    expect(missing.lines).toEqual(['lantern: -netdev user,id=n0,tftp=/nonexistent/lantern-tftp: tftp=/nonexistent/lantern-tftp: not a directory']);
  });
});

describe.skipIf(!haveCore || !haveUboot)('the user network and time travel', () => {
  it('going back replays the frames the guest received at their steps: the present comes back the same', async () => {
    const invocation = parseArguments(['-machine', 'virt', '-m', '256M', '-kernel', UBOOT, '-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0', '-S']);
    if (invocation.kind !== 'run') throw new Error('not a run');
    let output = '';
    const { machine } = machineFromOptions(invocation.options, { console: { write: (byte) => { if (byte !== 13) output += String.fromCharCode(byte); } }, cwd: root });
    const target = new MachineDebugTarget(machine, undefined, { history: {} });
    void machine.run();
    const until = async (text: string, from: number) => {
      for (let waited = 0; !output.includes(text, from); waited += 20) {
        if (waited > WAIT_MS) throw new Error(`no '${text}' in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const stopped = nextStop(target);
    target.resume({ kind: 'continue' });
    await until(CONSOLE_UP, 0);
    machine.sendInput(Uint8Array.of(0x20));
    await until(`\n${PROMPT}`, 0);
    const mark = output.length;
    machine.sendInput(new TextEncoder().encode('setenv autoload no; dhcp; ping 10.0.2.2\r'));
    await until('host 10.0.2.2 is alive', mark);
    await until(`\n${PROMPT}`, output.indexOf('is alive', mark));
    target.pause();
    expect((await stopped).kind).toBe('paused');
    const clock = machine.core.clockSteps;
    const present = createHash('sha256').update(machine.core.ram).digest('hex');
    const pc = target.readRegister(0, 32);
    const shown = output.length;
    const network = () => machine.captureLight().devices['virtio7.user'];
    const served = network();
    expect(served).toMatchObject({ leases: [['52:54:00:12:34:56', ipv4('10.0.2.15')]] });

    // Back to the start of history, then forward to the same step: the guest takes the same
    // DHCP answers and echo reply from the history, not the network, and no line is printed twice.
    expect((await resumeAndWait(target, { kind: 'continue', reverse: true })).kind).toBe('history-start');
    expect(machine.core.clockSteps).toBeLessThan(clock);
    machine.pauseAtStep(clock);
    expect((await resumeAndWait(target, { kind: 'continue' })).kind).toBe('paused');
    expect(machine.core.clockSteps).toBe(clock);
    expect(createHash('sha256').update(machine.core.ram).digest('hex')).toBe(present);
    expect(target.readRegister(0, 32)).toBe(pc);
    expect(output.length).toBe(shown);
    // The network stood outside: nothing reached it while the past replayed, and it kept its state.
    expect(network()).toEqual(served);
    machine.stop();
  }, 90_000);
});
