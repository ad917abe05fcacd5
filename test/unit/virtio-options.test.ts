// -drive, -device, -global and -seed as QEMU spells them: slot assignment in QEMU 7.2's order,
// and every bad value, missing image, unknown drive or qcow2 image as one "lantern:" line, exit 2.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArguments, UsageError, type RunOptions } from '../../server/src/cli/options';
import { openVirtioDevices, parseSettings } from '../../server/src/cli/virtio-options';
import { OverlayDisk } from '../../server/src/host/overlay';
import { ipv4 } from '../../server/src/net/frames';
import { buildHostBundle } from '../support/guest-tools';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-virtio-cli-'));
const base = ['-machine', 'virt', '-bios', 'none', '-nographic', '-kernel', path.join(root, 'samples/hello/hello.elf')];

function run(...args: string[]): RunOptions {
  const invocation = parseArguments([...base, ...args]);
  if (invocation.kind !== 'run') throw new Error('expected a run');
  return invocation.options;
}

/** The slot table: kind@slot (and the drive id for disks). */
function slots(...args: string[]): string[] {
  return (run(...args).virtio?.devices ?? []).map((d) => (d.kind === 'blk' ? `blk:${d.drive.id}@${d.slot}` : `rng@${d.slot}`));
}

function usage(args: string[], pattern: RegExp): void {
  expect(() => run(...args)).toThrow(UsageError);
  expect(() => run(...args)).toThrow(pattern);
}

const drive = (id: string, extra = '') => ['-drive', `file=disk-${id}.img,if=none,format=raw,id=${id}${extra}`];

describe('virtio options', () => {
  it('reads QEMU key=value lists, ,, escaping a comma', () => {
    expect(parseSettings('virtio-blk-device,drive=a,serial=x,,y')).toMatchObject({
      implied: 'virtio-blk-device', settings: new Map([['drive', 'a'], ['serial', 'x,y']]),
    });
  });

  it('leaves the options without virtio when none is given', () => {
    expect(run().virtio).toBeUndefined();
    expect(run().seed).toBeUndefined();
    expect(run('-seed', '0x10').seed).toBe(16n);
    usage(['-seed', 'abc'], /-seed abc: expected a number/);
  });

  it('fills slots from the top as QEMU 7.2 does (virtio-mmio-bus.7 at 0x10008000 first)', () => {
    expect(slots(...drive('a'), ...drive('b'), '-device', 'virtio-blk-device,drive=a', '-device', 'virtio-blk-device,drive=b', '-device', 'virtio-rng-device'))
      .toEqual(['blk:a@7', 'blk:b@6', 'rng@5']);
    // An explicit bus takes that slot; later devices skip it.
    expect(slots(...drive('a'), '-device', 'virtio-rng-device,bus=virtio-mmio-bus.7', '-device', 'virtio-blk-device,drive=a'))
      .toEqual(['rng@7', 'blk:a@6']);
    expect(slots('-device', 'virtio-rng-device,bus=virtio-mmio-bus.0')).toEqual(['rng@0']);
  });

  it('puts if=virtio drives on the next free slots after the -device ones', () => {
    expect(slots('-drive', 'file=x.img,if=virtio', ...drive('a'), '-device', 'virtio-blk-device,drive=a'))
      .toEqual(['blk:a@7', 'blk:virtio0@6']);
    const options = run('-drive', 'file=x.img,if=virtio,readonly=on', '-drive', 'file=y.img');
    expect(options.virtio?.drives.map((d) => [d.id, d.interface, d.readOnly])).toEqual([['virtio0', 'virtio', true], ['none0', 'none', false]]);
  });

  it('takes -global virtio-mmio.force-legacy in both spellings', () => {
    expect(run('-global', 'virtio-mmio.force-legacy=false').virtio?.forceLegacy).toBe(false);
    expect(run('-global', 'virtio-mmio.force-legacy=on').virtio?.forceLegacy).toBe(true);
    expect(run('-global', 'driver=virtio-mmio,property=force-legacy,value=off').virtio?.forceLegacy).toBe(false);
    expect(run('-device', 'virtio-rng-device').virtio?.forceLegacy).toBe(true);
  });

  it('rejects what QEMU rejects, in one line', () => {
    usage(['-global', 'virtio-mmio.force-legacy=maybe'], /^-global virtio-mmio\.force-legacy=maybe: parameter 'force-legacy' expects 'on' or 'off'$/);
    usage(['-global', 'virtio-mmio.ioeventfd=off'], /only virtio-mmio\.force-legacy is supported/);
    usage(['-global', 'nonsense'], /expected DRIVER\.PROPERTY=VALUE/);
    usage(['-device', 'virtio-blk-device,drive=nope'], /drive 'nope' not found/);
    usage(['-device', 'virtio-blk-device'], /drive= is required/);
    usage([...drive('a'), '-device', 'virtio-blk-device,drive=a', '-device', 'virtio-blk-device,drive=a'], /drive 'a' is already in use/);
    usage(['-drive', 'file=x.img,if=virtio,id=v', '-device', 'virtio-blk-device,drive=v'], /drive 'v' is already in use/);
    usage(['-device', 'virtio-rng-device', '-device', 'virtio-rng-device,bus=virtio-mmio-bus.7'], /bus 'virtio-mmio-bus\.7' is full/);
    usage(['-device', 'virtio-rng-device,bus=virtio-mmio-bus.8'], /bus 'virtio-mmio-bus\.8' not found/);
    usage(['-device', 'virtio-rng-device,rng=rng0'], /has no property 'rng'/);
    usage(['-device', 'virtio-blk-pci,drive=a'], /PCI devices are not supported; use virtio-blk-device/);
    usage(['-device', 'e1000'], /unsupported device 'e1000'/);
    usage(['-drive', 'if=none,id=a'], /no file= given/);
    usage(['-drive', 'file=x.img,if=ide'], /if=ide is not supported/);
    usage(['-drive', 'file=x.img,snapshot=on'], /unsupported setting 'snapshot'/);
    usage(['-drive', 'file=x.img,readonly=perhaps'], /parameter 'readonly' expects 'on' or 'off'/);
    usage([...drive('a'), ...drive('a')], /duplicate drive id 'a'/);
    usage(Array.from({ length: 9 }, () => ['-device', 'virtio-rng-device']).flat(), /no free virtio-mmio slot/);
    expect(() => parseArguments(['-machine', 'spike', '-bios', 'none', '-kernel', 'k.elf', '-device', 'virtio-rng-device']))
      .toThrow(/the spike board has no virtio-mmio slots/);
  });

  it('lists the devices for -device help', () => {
    const invocation = parseArguments(['-device', 'help']);
    expect(invocation.kind).toBe('print');
    expect(invocation.kind === 'print' && invocation.text).toMatch(/virtio-blk-device[\s\S]*virtio-rng-device/);
  });

  it('opens the images, refusing a missing or qcow2 one with the -drive it came from', () => {
    const raw = path.join(dir, 'ok.img');
    fs.writeFileSync(raw, new Uint8Array(4096));
    const good = run('-drive', `file=${raw},if=none,id=d`, '-device', 'virtio-blk-device,drive=d,serial=s1');
    const { config, files } = openVirtioDevices(good.virtio!);
    expect(config.devices).toEqual([{ kind: 'blk', slot: 7, backend: expect.any(OverlayDisk), serial: 's1' }]);
    const device = config.devices[0];
    const backend = device.kind === 'blk' ? device.backend as OverlayDisk : undefined;
    // Every disk runs through a copy-on-write overlay, inactive until a savevm (or -snapshot).
    expect(backend?.base).toBe(files[0]);
    expect(backend?.drive).toBe('d');
    expect(backend?.active).toBe(false);
    const snapshot = openVirtioDevices(good.virtio!, undefined, true);
    expect(snapshot.config.devices).toMatchObject([{ backend: { active: true } }]);
    snapshot.files.forEach((file) => file.close());
    expect(files[0].size).toBe(4096);
    files.forEach((file) => file.close());
    const missing = run('-drive', `file=${path.join(dir, 'none.img')},if=none,id=d`);
    expect(() => openVirtioDevices(missing.virtio!)).toThrow(/^-drive file=.*none\.img,if=none,id=d: could not open disk image '.*none\.img': no such file$/);
  });
});

describe('network options', () => {
  const nets = (...args: string[]) => (run(...args).virtio?.devices ?? []).flatMap((d) => d.kind !== 'net' ? [] : [
    `net:${d.netdev.id}@${d.slot}:${Array.from(d.mac!, (byte) => byte.toString(16).padStart(2, '0')).join(':')}`,
  ]);

  it('puts -device virtio-net-device,netdev=ID on a -netdev user, with QEMU\'s default MAC counting up', () => {
    expect(nets('-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0')).toEqual(['net:n0@7:52:54:00:12:34:56']);
    expect(nets('-netdev', 'user,id=a', '-netdev', 'type=user,id=b', '-device', 'virtio-net-device,netdev=a,bus=virtio-mmio-bus.0',
      '-device', 'virtio-net-device,netdev=b,mac=52:54:00:ab:cd:ef', '-nic', 'user'))
      .toEqual(['net:a@0:52:54:00:12:34:56', 'net:b@7:52:54:00:ab:cd:ef', 'net:__nic0@6:52:54:00:12:34:57']);
    expect(nets('-nic', 'user,model=virtio-net-device,mac=52:54:00:00:00:01')).toEqual(['net:__nic0@7:52:54:00:00:00:01']);
    // A -netdev alone is accepted (QEMU warns that it has no peer).
    expect(nets('-netdev', 'user,id=n0')).toEqual([]);
  });

  it('reads hostfwd= (repeatable, loopback by default), tftp=, bootfile= and restrict= as QEMU writes them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-tftp-'));
    try {
      const devices = run('-netdev', `user,id=n0,hostfwd=tcp::2222-:22,hostfwd=udp:0.0.0.0:5353-10.0.2.20:53,hostfwd=:127.0.0.2:8080-:80,tftp=${dir},bootfile=Image,restrict=on`,
        '-device', 'virtio-net-device,netdev=n0').virtio?.devices ?? [];
      const net = devices.find((device) => device.kind === 'net');
      expect(net?.kind === 'net' && net.netdev.user).toEqual({
        hostForwards: [
          { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestAddress: ipv4('10.0.2.15'), guestPort: 22 },
          { protocol: 'udp', hostAddress: '0.0.0.0', hostPort: 5353, guestAddress: ipv4('10.0.2.20'), guestPort: 53 },
          { protocol: 'tcp', hostAddress: '127.0.0.2', hostPort: 8080, guestAddress: ipv4('10.0.2.15'), guestPort: 80 },
        ],
        tftpRoot: dir, bootFile: 'Image', restrict: true,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens a filter-dump\'s pcap for a -netdev or a -nic with id=, and names a file it cannot open in one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dump-'));
    try {
      const file = path.join(dir, 'n.pcap');
      const options = run('-nic', 'user,id=n1', '-object', `filter-dump,id=f,netdev=n1,file=${file},maxlen=128`).virtio!;
      const net = options.devices.find((device) => device.kind === 'net');
      expect(net?.kind === 'net' && net.netdev).toMatchObject({ id: 'n1', capture: { file, maxLength: 128 } });
      const opened = openVirtioDevices(options);
      expect(opened.captures).toHaveLength(1);
      opened.captures.forEach((capture) => capture.close());
      expect(fs.readFileSync(file).readUInt32LE(0)).toBe(0xa1b23c4d); // a nanosecond pcap's header
      const missing = run('-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0', '-object', `filter-dump,id=f,netdev=n0,file=${path.join(dir, 'no', 'such', 'dir.pcap')}`).virtio!;
      expect(() => openVirtioDevices(missing)).toThrow(/^-object filter-dump,id=f,netdev=n0,file=.*dir\.pcap: could not open '.*dir\.pcap': no such file$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what the user network does not have, and wrong wiring', () => {
    usage(['-netdev', 'user,id=n0,guestfwd=tcp:10.0.2.100:1234-cmd:cat'], /^-netdev user,id=n0,guestfwd=tcp:10.0.2.100:1234-cmd:cat: 'guestfwd=' is not supported/);
    usage(['-netdev', 'user,id=n0,tftp=/nonexistent-lantern-dir'], /tftp=\/nonexistent-lantern-dir: not a directory/);
    usage(['-nic', 'user,restrict=maybe'], /'restrict' expects 'on' or 'off'/);
    usage(['-netdev', 'user,id=n0,hostfwd=tcp::2222-:22,hostfwd=tcp::2222-:23'], /hostfwd tcp:127.0.0.1:2222 is given twice/);
    usage(['-netdev', 'user,id=n0,hostfwd=sctp::1-:2'], /invalid hostfwd 'sctp::1-:2'/);
    usage(['-netdev', 'user,id=n0,hostfwd=tcp::70000-:22'], /bad host port 70000/);
    usage(['-netdev', 'user,id=n0,hostfwd=udp::5555-:0'], /bad guest port 0/);
    usage(['-netdev', 'user,id=n0,bogus=1'], /invalid parameter 'bogus'/);
    usage(['-netdev', 'tap,id=n0'], /netdev type 'tap' is not supported/);
    usage(['-netdev', 'user'], /parameter 'id' is missing/);
    usage(['-netdev', 'user,id=n0', '-netdev', 'user,id=n0'], /duplicate netdev id 'n0'/);
    usage(['-device', 'virtio-net-device'], /netdev= is required/);
    usage(['-device', 'virtio-net-device,netdev=n1'], /netdev 'n1' not found/);
    usage(['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0', '-device', 'virtio-net-device,netdev=n0'], /already in use/);
    usage(['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0,mac=52:54:00'], /invalid MAC address/);
    usage(['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0,mac=01:00:5e:00:00:01'], /multicast/);
    usage(['-nic', 'user,model=e1000'], /model 'e1000' is not supported/);
    // filter-dump: a pcap of a netdev's frames.
    usage(['-netdev', 'user,id=n0', '-object', 'filter-dump,id=f,netdev=n1,file=x.pcap'], /^-object filter-dump,id=f,netdev=n1,file=x.pcap: netdev 'n1' not found$/);
    usage(['-netdev', 'user,id=n0', '-object', 'filter-dump,id=f,netdev=n0'], /parameter 'file' is missing/);
    usage(['-netdev', 'user,id=n0', '-object', 'filter-dump,netdev=n0,file=x'], /parameter 'id' is missing/);
    usage(['-netdev', 'user,id=n0', '-object', 'filter-dump,id=f,netdev=n0,file=x,queue=rx'], /queue=rx is not supported/);
    usage(['-netdev', 'user,id=n0', '-object', 'filter-dump,id=f,netdev=n0,file=x,maxlen=0'], /invalid maxlen '0'/);
    usage(['-netdev', 'user,id=n0', '-object', 'filter-dump,id=f,netdev=n0,file=x', '-object', 'filter-dump,id=g,netdev=n0,file=y'], /netdev 'n0' is already dumped/);
    usage(['-nic', 'user,id=a', '-nic', 'user,id=a'], /duplicate netdev id 'a'/);
    usage(['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0'], /PCI devices are not supported/);
  });
});

describe('lantern CLI with virtio devices', () => {
  beforeAll(() => {
    buildHostBundle();
  });

  function lantern(...args: string[]) {
    const result = spawnSync(process.execPath, [cli, ...base, ...args], { encoding: 'utf8', input: '', timeout: 30_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const expectUsageError = (args: string[], pattern: RegExp) => {
    const { status, stderr, stdout } = lantern(...args);
    expect(stderr).toMatch(/^lantern: [^\n]+\n$/);
    expect(stderr).toMatch(pattern);
    expect(status).toBe(2);
    expect(stdout).toBe('');
  };

  it('fails with one line and status 2 for a missing image, a qcow2 image, an unknown drive and a bad -global', () => {
    expectUsageError(['-drive', `file=${path.join(dir, 'gone.img')},if=none,id=a`], /could not open disk image '.*gone\.img': no such file/);
    const qcow2 = path.join(dir, 'disk.qcow2');
    fs.writeFileSync(qcow2, Uint8Array.of(0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3, ...new Array(504).fill(0)));
    expectUsageError(['-drive', `file=${qcow2},if=virtio`], /is in qcow2 format; Lantern reads raw images only \(convert it: qemu-img convert -O raw/);
    expectUsageError(['-device', 'virtio-blk-device,drive=nope'], /drive 'nope' not found/);
    expectUsageError(['-global', 'virtio-mmio.force-legacy=maybe'], /expects 'on' or 'off'/);
  });

  it('says in --help where -drive if=virtio goes', () => {
    const result = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    const help = result.stdout.replace(/\s+/g, ' '); // descriptions wrap at 80 columns
    expect(help).toMatch(/-drive \[file=file\]\S* .*if=virtio takes the next free virtio-mmio slot \(QEMU would use PCI\)/);
    expect(help).toMatch(/-global driver\.property=value virtio-mmio\.force-legacy=false/);
    expect(help).toMatch(/-seed number seed of the guest-visible randomness/);
  });
});
