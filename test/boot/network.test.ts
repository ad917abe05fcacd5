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

const NETWORK = ['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0'];

describe.skipIf(!haveCore || !haveUboot)('U-Boot on the user-mode network', () => {
  beforeAll(() => {
    buildHostBundle();
  });

  it('gets 10.0.2.15 by DHCP and pings the gateway, as under QEMU', async () => {
    const args = ['-machine', 'virt', '-nographic', '-kernel', UBOOT, ...NETWORK];
    const ours = await networkSession(process.execPath, [cli, ...args]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    expect(ours.answers.get('setenv autoload no')).toBe('');
    expect(ours.answers.get('dhcp')).toContain('DHCP client bound to address 10.0.2.15');
    expect(ours.answers.get('ping 10.0.2.2')).toContain('host 10.0.2.2 is alive');

    if (!haveQemu) return;
    const theirs = await networkSession(QEMU, ['-cpu', 'rv64,h=false', ...args]);
    expect(theirs.status).toBe(0);
    // U-Boot prints how long DHCP took ("(3 ms)"): wall time, so left out.
    const timeless = (text: string | undefined) => text?.replace(/\(\d+ ms\)/g, '(N ms)');
    for (const line of COMMANDS) expect(timeless(ours.answers.get(line)), line).toBe(timeless(theirs.answers.get(line)));
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
