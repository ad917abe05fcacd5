// QEMU's -drive, -device, -netdev, -nic and -global for the virt board's virtio-mmio slots:
// parsing, slot assignment in QEMU 7.2's order, and opening the disk images into the machine's
// virtio table.
import { BlockFileError, openBlockFile, type BlockFile } from '../host/block-file';
import { OverlayDisk } from '../host/overlay';
import { DEFAULT_MAX_PORTS } from '../devices/virtio/console';
import { DEFAULT_MAC, parseMac } from '../devices/virtio/net';
import { VIRTIO_SLOT_COUNT, type VirtioBoardConfig, type VirtioSlotDevice } from '../devices/virtio/slots';
import type { ByteSink } from '../devices/uart16550';
import type { BoardName } from '../machine/memory-map';
import { UsageError } from './options';
import * as fs from 'node:fs';
import { ipv4 } from '../net/frames';
import type { HostForward } from '../net/nat';
import { describeFileError } from '../machine/elf';
import { PcapWriter } from '../net/pcap';
import { SLIRP_ADDRESSES, type UserNetworkOptions } from '../net/user-network';

/** One -drive: a disk image and how the guest sees it. */
export interface DriveOption {
  /** The -drive argument as typed (for messages). */
  readonly spec: string;
  readonly id: string;
  readonly file: string;
  /** `if=none` waits for a -device; `if=virtio` gets a virtio-mmio slot of its own. */
  readonly interface: 'none' | 'virtio';
  readonly format: string | undefined;
  readonly readOnly: boolean;
}

/** A virtio device on a slot (0..7; slot i is virtio-mmio-bus.i at 0x10001000 + 0x1000·i). */
export type VirtioDeviceOption =
  | { readonly kind: 'blk'; readonly slot: number; readonly drive: DriveOption; readonly serial?: string }
  | { readonly kind: 'rng'; readonly slot: number }
  | {
    readonly kind: 'serial'; readonly slot: number; readonly maxPorts: number; readonly emergencyWrite: boolean;
    readonly console?: ConsoleOption;
  }
  /** mac is undefined only while parsing: each NIC without mac= gets a default. */
  | { readonly kind: 'net'; readonly slot: number; readonly netdev: NetdevOption; readonly mac: Uint8Array | undefined };

/** A -netdev (or the one a -nic implies): its id and backend; only `user` exists so far. */
export interface NetdevOption {
  readonly id: string;
  readonly type: 'user';
  readonly user: UserNetworkOptions;
  /** `-object filter-dump,netdev=ID,file=F`: where its frames are captured. */
  readonly capture?: CaptureOption;
}

/** A filter-dump: the pcap file and the bytes kept of each frame. */
export interface CaptureOption {
  readonly spec: string;
  readonly file: string;
  readonly maxLength: number;
}

/** A -chardev: its id and backend (stdio: the terminal; null: nothing). */
export interface ChardevOption {
  readonly id: string;
  readonly backend: 'stdio' | 'null';
}

/** `-device virtconsole`: a console port of the virtio-serial-device before it. */
export interface ConsoleOption {
  readonly nr: number;
  readonly name?: string;
  readonly chardev?: ChardevOption;
}

export interface VirtioOptions {
  /** `-global virtio-mmio.force-legacy=`: true (version 1, QEMU's default) or false (version 2). */
  readonly forceLegacy: boolean;
  readonly drives: readonly DriveOption[];
  readonly devices: readonly VirtioDeviceOption[];
}

const DEVICE_HELP = [
  'Devices for -device (virtio-mmio, on the virt board):',
  'virtio-blk-device  drive=ID[,bus=virtio-mmio-bus.N][,serial=S]  a disk from -drive ...,if=none,id=ID',
  'virtio-rng-device  [bus=virtio-mmio-bus.N]                       entropy from a seeded generator (-seed N)',
'virtio-serial-device  [bus=virtio-mmio-bus.N][,max_ports=N][,emergency-write=on|off]  virtio-console (multiport)',
'virtio-net-device  netdev=ID[,bus=virtio-mmio-bus.N][,mac=52:54:00:12:34:56]  a NIC on -netdev user,id=ID',
'virtconsole  [chardev=ID][,nr=N][,name=S]  a console port (hvc0) on the virtio-serial-device before it;',
'             -chardev stdio,id=ID puts it on the terminal (typed input is then its own, not the UART\'s)',
  'Without bus=, a device takes the free slot with the highest address first, as QEMU does.',
  '',
].join('\n');

/** The -device help text, if one of the -device values asks for it. */
export function deviceHelp(devices: readonly string[]): string | undefined {
  return devices.some((spec) => spec === 'help' || spec === '?') ? DEVICE_HELP : undefined;
}

/**
 * QEMU's option syntax: comma-separated `key=value` settings, `,,` standing for a comma in a
 * value; a first item without `=` is the option's implied value (the driver of -device).
 */
export function parseSettings(spec: string): { implied: string | undefined; settings: Map<string, string>; order: string[]; all: [string, string][] } {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] !== ',') current += spec[i];
    else if (spec[i + 1] === ',') {
      current += ',';
      i++;
    } else {
      items.push(current);
      current = '';
    }
  }
  items.push(current);
  let implied: string | undefined;
  const settings = new Map<string, string>();
  const order: string[] = [];
  const all: [string, string][] = [];
  items.forEach((item, index) => {
    const equals = item.indexOf('=');
    if (equals < 0 && index === 0) implied = item;
    else if (equals < 0) settings.set(item, 'on'); // QEMU reads a bare flag as flag=on
    else settings.set(item.slice(0, equals), item.slice(equals + 1));
    if (equals >= 0 || index > 0) order.push(equals < 0 ? item : item.slice(0, equals));
    if (equals >= 0) all.push([item.slice(0, equals), item.slice(equals + 1)]);
  });
  return { implied, settings, order, all };
}

/** QEMU's boolean values (qapi_bool_parse). */
function parseBool(option: string, key: string, value: string): boolean {
  if (['on', 'yes', 'true', 'y'].includes(value)) return true;
  if (['off', 'no', 'false', 'n'].includes(value)) return false;
  throw new UsageError(`${option}: parameter '${key}' expects 'on' or 'off'`);
}

const DRIVE_KEYS = new Set(['file', 'if', 'format', 'id', 'readonly', 'media', 'cache']);
const CACHE_MODES = new Set(['writeback', 'writethrough', 'none', 'directsync', 'unsafe']);

function parseDrive(spec: string, counters: Map<string, number>): DriveOption {
  const option = `-drive ${spec}`;
  const { implied, settings, order } = parseSettings(spec);
  if (implied !== undefined) throw new UsageError(`${option}: expected key=value settings, found '${implied}'`);
  for (const key of order) if (!DRIVE_KEYS.has(key)) throw new UsageError(`${option}: unsupported setting '${key}'`);
  const file = settings.get('file');
  if (!file) throw new UsageError(`${option}: no file= given`);
  // On QEMU's virt, -drive without if= is if=none (its drive is named none0, none1, ...).
  const where = settings.get('if') ?? 'none';
  if (where !== 'none' && where !== 'virtio') {
    throw new UsageError(`${option}: if=${where} is not supported (use if=none with -device virtio-blk-device, or if=virtio)`);
  }
  const media = settings.get('media');
  if (media !== undefined && media !== 'disk') throw new UsageError(`${option}: media=${media} is not supported (disks only)`);
  const cache = settings.get('cache');
  // Accepted for compatibility: writes always go to the file synchronously, flush is fsync.
  if (cache !== undefined && !CACHE_MODES.has(cache)) throw new UsageError(`${option}: invalid cache mode '${cache}'`);
  const index = counters.get(where) ?? 0;
  counters.set(where, index + 1);
  return {
    spec,
    id: settings.get('id') ?? `${where}${index}`,
    file,
    interface: where,
    format: settings.get('format'),
    readOnly: settings.has('readonly') ? parseBool(option, 'readonly', settings.get('readonly')!) : false,
  };
}

/** `-global virtio-mmio.force-legacy=on|off` (or driver=,property=,value=); nothing else yet. */
function parseGlobal(spec: string): boolean {
  const option = `-global ${spec}`;
  const { settings } = parseSettings(spec);
  let driver: string | undefined;
  let property: string | undefined;
  let value: string | undefined;
  if (settings.has('driver')) {
    driver = settings.get('driver');
    property = settings.get('property');
    value = settings.get('value');
  } else {
    const match = /^([^.=]+)\.([^=]+)=(.*)$/.exec(spec);
    if (match) [, driver, property, value] = match;
  }
  if (driver === undefined || property === undefined || value === undefined) {
    throw new UsageError(`${option}: expected DRIVER.PROPERTY=VALUE`);
  }
  if (driver !== 'virtio-mmio' || property !== 'force-legacy') {
    throw new UsageError(`${option}: only virtio-mmio.force-legacy is supported`);
  }
  return parseBool(option, property, value);
}

/** virtio-mmio-bus.N names slot N (QEMU's bus names on virt, N = 0..7 from 0x10001000 up). */
function parseBus(option: string, bus: string): number {
  const match = /^virtio-mmio-bus\.(\d+)$/.exec(bus);
  const slot = match ? Number(match[1]) : NaN;
  if (!(slot < VIRTIO_SLOT_COUNT)) throw new UsageError(`${option}: bus '${bus}' not found (virtio-mmio-bus.0 to virtio-mmio-bus.${VIRTIO_SLOT_COUNT - 1})`);
  return slot;
}

/**
 * The virtio devices the command line asks for, or undefined if it names none. Slots are
 * taken as QEMU 7.2 takes them (checked with `info qtree`): -device options in order, each
 * without bus= on the free slot with the highest address (virtio-mmio-bus.7 at 0x10008000
 * first), then the if=virtio drives — which QEMU would put on PCI — the same way.
 */
export function parseVirtioOptions(
  board: BoardName,
  drives: readonly string[],
  devices: readonly string[],
  globals: readonly string[],
  chardevSpecs: readonly string[] = [],
  netdevSpecs: readonly string[] = [],
  nicSpecs: readonly string[] = [],
  objectSpecs: readonly string[] = [],
): VirtioOptions | undefined {
  const chardevs = parseChardevs(chardevSpecs);
  const nics = nicSpecs.map(parseNic);
  const netdevs = parseNetdevs(netdevSpecs);
  const nicIds = new Set<string>();
  for (const nic of nics) {
    if (nic.id === undefined) continue;
    if (netdevs.has(nic.id) || nicIds.has(nic.id)) throw new UsageError(`-nic ${nic.spec}: duplicate netdev id '${nic.id}'`);
    nicIds.add(nic.id);
  }
  const captures = parseCaptures(objectSpecs, new Set([...netdevs.keys(), ...nics.flatMap((nic) => nic.id ?? [])]));
  for (const [id, netdev] of netdevs) {
    const capture = captures.get(id);
    if (capture) netdevs.set(id, { ...netdev, capture });
  }
  if (drives.length === 0 && devices.length === 0 && globals.length === 0 && netdevSpecs.length === 0 && nics.length === 0) return undefined;
  let forceLegacy = true;
  for (const spec of globals) forceLegacy = parseGlobal(spec);

  const counters = new Map<string, number>();
  const parsedDrives = drives.map((spec) => parseDrive(spec, counters));
  const byId = new Map<string, DriveOption>();
  for (const drive of parsedDrives) {
    if (byId.has(drive.id)) throw new UsageError(`-drive ${drive.spec}: duplicate drive id '${drive.id}'`);
    byId.set(drive.id, drive);
  }
  const claimed = new Set(parsedDrives.filter((drive) => drive.interface === 'virtio').map((drive) => drive.id));
  const taken = new Set<number>();
  const freeSlot = (option: string): number => {
    for (let slot = VIRTIO_SLOT_COUNT - 1; slot >= 0; slot--) if (!taken.has(slot)) return slot;
    throw new UsageError(`${option}: no free virtio-mmio slot (virt has ${VIRTIO_SLOT_COUNT})`);
  };
  const place = (option: string, bus: string | undefined): number => {
    const slot = bus === undefined ? freeSlot(option) : parseBus(option, bus);
    if (taken.has(slot)) throw new UsageError(`${option}: bus '${bus}' is full`);
    taken.add(slot);
    return slot;
  };

  const placed: VirtioDeviceOption[] = [];
  const usedNetdevs = new Set<string>();
  let consoleTaken = false;
  for (const spec of devices) {
    const option = `-device ${spec}`;
    const { implied: driver, settings, order } = parseSettings(spec);
    const allow = (keys: string[]) => {
      for (const key of order) if (!keys.includes(key)) throw new UsageError(`${option}: ${driver} has no property '${key}' (or Lantern does not support it)`);
    };
    switch (driver) {
      case 'virtio-blk-device': {
        allow(['drive', 'bus', 'serial', 'id']);
        const id = settings.get('drive');
        if (id === undefined) throw new UsageError(`${option}: drive= is required`);
        const drive = byId.get(id);
        if (!drive) throw new UsageError(`${option}: drive '${id}' not found (give it with -drive ...,if=none,id=${id})`);
        if (claimed.has(id)) throw new UsageError(`${option}: drive '${id}' is already in use by another device`);
        claimed.add(id);
        placed.push({ kind: 'blk', slot: place(option, settings.get('bus')), drive, serial: settings.get('serial') });
        break;
      }
      case 'virtio-rng-device':
        allow(['bus', 'id']);
        placed.push({ kind: 'rng', slot: place(option, settings.get('bus')) });
        break;
      case 'virtio-serial-device': {
        allow(['bus', 'max_ports', 'emergency-write', 'id']);
        const ports = settings.get('max_ports');
        const maxPorts = ports === undefined ? DEFAULT_MAX_PORTS : Number(ports);
        // QEMU's bounds: at least one port, at most 511 (VIRTIO_QUEUE_MAX / 2 - 1 queue pairs).
        if (ports !== undefined && !(/^\d+$/.test(ports) && maxPorts >= 1 && maxPorts <= 511)) {
          throw new UsageError(`${option}: max_ports must be from 1 to 511`);
        }
        const emergency = settings.get('emergency-write');
        placed.push({
          kind: 'serial', slot: place(option, settings.get('bus')), maxPorts,
          emergencyWrite: emergency === undefined ? true : parseBool(option, 'emergency-write', emergency),
        });
        break;
      }
      case 'virtio-net-device': {
        allow(['netdev', 'bus', 'mac', 'id']);
        const id = settings.get('netdev');
        if (id === undefined) throw new UsageError(`${option}: netdev= is required (give -netdev user,id=ID and netdev=ID)`);
        const netdev = netdevs.get(id);
        if (!netdev) throw new UsageError(`${option}: netdev '${id}' not found (give it with -netdev user,id=${id})`);
        if (usedNetdevs.has(id)) throw new UsageError(`${option}: netdev '${id}' is already in use by another device`);
        usedNetdevs.add(id);
        placed.push({ kind: 'net', slot: place(option, settings.get('bus')), netdev, mac: macSetting(option, settings.get('mac')) });
        break;
      }
      case 'virtconsole': {
        allow(['chardev', 'nr', 'name', 'id']);
        const serialIndex = placed.map((device) => device.kind).lastIndexOf('serial');
        if (serialIndex < 0) throw new UsageError(`${option}: no 'virtio-serial-bus' bus found (give -device virtio-serial-device first)`);
        if (consoleTaken) throw new UsageError(`${option}: only one virtconsole is supported`);
        consoleTaken = true;
        const serial = placed[serialIndex] as Extract<VirtioDeviceOption, { kind: 'serial' }>;
        const nrText = settings.get('nr');
        const nr = nrText === undefined ? 0 : Number(nrText);
        if (nrText !== undefined && !(/^\d+$/.test(nrText) && nr < serial.maxPorts)) {
          throw new UsageError(`${option}: port nr must be from 0 to ${serial.maxPorts - 1}`);
        }
        const id = settings.get('chardev');
        const chardev = id === undefined ? undefined : chardevs.get(id);
        if (id !== undefined && !chardev) throw new UsageError(`${option}: chardev '${id}' not found (give it with -chardev stdio,id=${id})`);
        placed[serialIndex] = { ...serial, console: { nr, name: settings.get('name'), chardev } };
        break;
      }
      case 'virtio-blk-pci':
      case 'virtio-rng-pci':
      case 'virtio-serial-pci':
      case 'virtio-net-pci':
        throw new UsageError(`${option}: PCI devices are not supported; use ${driver.replace('-pci', '-device')} (virtio-mmio)`);
      case 'virtio-serial':
        throw new UsageError(`${option}: PCI devices are not supported; use virtio-serial-device (virtio-mmio)`);
      default:
        throw new UsageError(`${option}: unsupported device '${driver ?? ''}' (-device help lists them)`);
    }
  }
  for (const drive of parsedDrives) {
    if (drive.interface === 'virtio') placed.push({ kind: 'blk', slot: place(`-drive ${drive.spec}`, undefined), drive });
  }
  // Like if=virtio drives, a -nic (which QEMU puts on PCI by default) takes the next free slot.
  nics.forEach((nic, index) => {
    const id = nic.id ?? `__nic${index}`;
    const netdev: NetdevOption = { id, type: 'user', user: nic.user, capture: captures.get(id) };
    placed.push({ kind: 'net', slot: place(`-nic ${nic.spec}`, undefined), netdev, mac: nic.mac });
  });
  // NICs without mac= get QEMU's default, its last byte counting up per NIC (qemu_macaddr_default_if_unset).
  let unsetMacs = 0;
  const devicesWithMacs = placed.map((device): VirtioDeviceOption => {
    if (device.kind !== 'net' || device.mac) return device;
    const mac = DEFAULT_MAC.slice();
    mac[5] += unsetMacs++;
    return { ...device, mac };
  });
  if (board !== 'virt' && placed.length > 0) throw new UsageError(`the ${board} board has no virtio-mmio slots: use -machine virt`);
  return { forceLegacy, drives: parsedDrives, devices: devicesWithMacs };
}

/** A -netdev type this build lacks gets this line; `user` is the one there is. */
const NETDEV_TYPES_LATER = new Set(['tap', 'bridge', 'socket', 'stream', 'dgram', 'l2tpv3', 'vde', 'vhost-user', 'vhost-vdpa', 'hubport', 'netmap', 'af-xdp']);
/** -netdev user settings QEMU has and Lantern does not (its network is QEMU's default one). */
const USER_KEYS_LATER = new Set([
  'guestfwd', 'net', 'host', 'dhcpstart', 'dns', 'dnssearch', 'domainname',
  'hostname', 'smb', 'smbserver', 'ipv4', 'ipv6', 'ipv6-net', 'ipv6-host', 'ipv6-dns', 'tftp-server-name',
]);
/** The `user` settings Lantern has. */
const USER_KEYS = ['hostfwd', 'tftp', 'bootfile', 'restrict'];

/** The settings of a `user` network both -netdev and -nic accept. */
function checkUserSettings(option: string, order: readonly string[], allowed: readonly string[]): void {
  for (const key of order) {
    if (allowed.includes(key) || USER_KEYS.includes(key)) continue;
    if (USER_KEYS_LATER.has(key)) throw new UsageError(`${option}: '${key}=' is not supported (Lantern's user network has QEMU's default addresses)`);
    throw new UsageError(`${option}: invalid parameter '${key}'`);
  }
}

/** hostfwd=, tftp=, bootfile= and restrict= of a `user` network. */
function userNetworkOptions(option: string, settings: ReadonlyMap<string, string>, all: readonly [string, string][]): UserNetworkOptions {
  const tftpRoot = settings.get('tftp');
  if (tftpRoot !== undefined) {
    let directory = false;
    try {
      directory = fs.statSync(tftpRoot).isDirectory();
    } catch {
      // reported below
    }
    if (!directory) throw new UsageError(`${option}: tftp=${tftpRoot}: not a directory`);
  }
  const restrict = settings.get('restrict');
  const hostForwards = all.filter(([key]) => key === 'hostfwd').map(([, value]) => parseHostForward(option, value));
  const seen = new Set<string>();
  for (const forward of hostForwards) {
    const name = `${forward.protocol}:${forward.hostAddress}:${forward.hostPort}`;
    if (seen.has(name)) throw new UsageError(`${option}: hostfwd ${name} is given twice`);
    seen.add(name);
  }
  return {
    hostForwards,
    tftpRoot,
    bootFile: settings.get('bootfile'),
    restrict: restrict === undefined ? false : parseBool(option, 'restrict', restrict),
  };
}

/**
 * `[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport`, as QEMU writes it. The host side binds
 * 127.0.0.1 unless an address is given (QEMU binds every address: Lantern stays on loopback);
 * the guest side defaults to the first DHCP address.
 */
export function parseHostForward(option: string, text: string): HostForward {
  const match = /^(tcp|udp)?:([^:]*):(\d+)-([^:]*):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`${option}: invalid hostfwd '${text}' (expected tcp|udp:[hostaddr]:hostport-[guestaddr]:guestport)`);
  const [, protocol = 'tcp', hostAddress, hostPort, guestAddress, guestPort] = match;
  const port = (value: string, what: string, zero: boolean): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number > 65535 || (number === 0 && !zero)) throw new UsageError(`${option}: hostfwd '${text}': bad ${what} ${value}`);
    return number;
  };
  if (hostAddress !== '' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(hostAddress) && hostAddress !== 'localhost') {
    throw new UsageError(`${option}: hostfwd '${text}': bad host address '${hostAddress}'`);
  }
  let guest = SLIRP_ADDRESSES.dhcpStart;
  if (guestAddress !== '') {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(guestAddress) || guestAddress.split('.').some((part) => Number(part) > 255)) {
      throw new UsageError(`${option}: hostfwd '${text}': bad guest address '${guestAddress}'`);
    }
    guest = ipv4(guestAddress);
    const { network, netmask } = SLIRP_ADDRESSES;
    if (((guest & netmask) >>> 0) !== network) throw new UsageError(`${option}: hostfwd '${text}': guest address not in 10.0.2.0/24`);
  }
  return {
    protocol: protocol as 'tcp' | 'udp',
    hostAddress: hostAddress === '' ? '127.0.0.1' : hostAddress,
    hostPort: port(hostPort, 'host port', true),
    guestAddress: guest,
    guestPort: port(guestPort, 'guest port', false),
  };
}

function checkNetdevType(option: string, type: string | undefined): void {
  if (type === 'user') return;
  if (type !== undefined && NETDEV_TYPES_LATER.has(type)) throw new UsageError(`${option}: netdev type '${type}' is not supported (only user)`);
  throw new UsageError(`${option}: invalid netdev type '${type ?? ''}' (only user is supported)`);
}

/** -netdev user,id=ID, by id; any other type or setting is refused. */
function parseNetdevs(specs: readonly string[]): Map<string, NetdevOption> {
  const byId = new Map<string, NetdevOption>();
  for (const spec of specs) {
    const option = `-netdev ${spec}`;
    const { implied: type, settings, order, all } = parseSettings(spec);
    checkNetdevType(option, type ?? settings.get('type'));
    checkUserSettings(option, order, ['id', 'type']);
    const id = settings.get('id');
    if (!id) throw new UsageError(`${option}: parameter 'id' is missing`);
    if (byId.has(id)) throw new UsageError(`${option}: duplicate netdev id '${id}'`);
    byId.set(id, { id, type: 'user', user: userNetworkOptions(option, settings, all) });
  }
  return byId;
}

/** `-nic user[,model=virtio-net-device][,mac=M]`: the model defaults to virtio-net-device (Lantern has no PCI). */
function parseNic(spec: string): { spec: string; mac: Uint8Array | undefined; user: UserNetworkOptions; id?: string } {
  const option = `-nic ${spec}`;
  const { implied: type, settings, order, all } = parseSettings(spec);
  checkNetdevType(option, type);
  checkUserSettings(option, order, ['model', 'mac', 'id']);
  const model = settings.get('model');
  if (model !== undefined && model !== 'virtio-net-device') {
    throw new UsageError(`${option}: model '${model}' is not supported (virtio-net-device only)`);
  }
  return { spec, mac: macSetting(option, settings.get('mac')), user: userNetworkOptions(option, settings, all), id: settings.get('id') };
}

function macSetting(option: string, text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  const mac = parseMac(text);
  if (!mac) throw new UsageError(`${option}: invalid MAC address '${text}' (six hex pairs: 52:54:00:12:34:56)`);
  if (mac[0] & 1) throw new UsageError(`${option}: MAC address '${text}' is a multicast address`);
  return mac;
}

const CHARDEV_KEYS = new Set(['id', 'mux', 'signal']);

/** -chardev stdio|null,id=ID[,mux=on|off][,signal=on|off], by id; other backends are refused. */
function parseChardevs(specs: readonly string[]): Map<string, ChardevOption> {
  const byId = new Map<string, ChardevOption>();
  for (const spec of specs) {
    const option = `-chardev ${spec}`;
    const { implied: backend, settings, order } = parseSettings(spec);
    if (backend !== 'stdio' && backend !== 'null') {
      throw new UsageError(`${option}: backend '${backend ?? ''}' is not supported (stdio or null)`);
    }
    for (const key of order) if (!CHARDEV_KEYS.has(key)) throw new UsageError(`${option}: unsupported setting '${key}'`);
    for (const key of ['mux', 'signal']) if (settings.has(key)) parseBool(option, key, settings.get(key)!);
    const id = settings.get('id');
    if (!id) throw new UsageError(`${option}: chardev: no id specified`);
    if (byId.has(id)) throw new UsageError(`${option}: duplicate chardev id '${id}'`);
    byId.set(id, { id, backend });
  }
  return byId;
}

/** Whether a virtconsole writes to the terminal (so it must be started even with -serial none). */
export function usesStdioConsole(options: VirtioOptions | undefined): boolean {
  return options?.devices.some((device) => device.kind === 'serial' && device.console?.chardev?.backend === 'stdio') ?? false;
}

/**
 * Opens every -drive image (an unused one too: QEMU opens them all) and returns the slot
 * table for the machine. A missing, unreadable or non-raw image is a UsageError naming it.
 * `terminal` is where a virtconsole on a stdio chardev writes. Each disk runs through a
 * copy-on-write overlay (host/overlay.ts), active from the start with `snapshot` (QEMU's
 * -snapshot: the images are never written), else from the first savevm.
 */
export function openVirtioDevices(options: VirtioOptions, terminal?: ByteSink, snapshot = false): { config: VirtioBoardConfig; files: BlockFile[]; captures: PcapWriter[] } {
  const files = new Map<DriveOption, BlockFile>();
  try {
    for (const drive of options.drives) {
      try {
        files.set(drive, openBlockFile(drive.file, { readOnly: drive.readOnly, format: drive.format }));
      } catch (error) {
        if (error instanceof BlockFileError) throw new UsageError(`-drive ${drive.spec}: ${error.message}`);
        throw error;
      }
    }
  } catch (error) {
    for (const file of files.values()) file.close();
    throw error;
  }
  const captures: PcapWriter[] = [];
  const capture = (option: CaptureOption): PcapWriter => {
    try {
      const writer = new PcapWriter(option.file, option.maxLength);
      captures.push(writer);
      return writer;
    } catch (error) {
      for (const file of [...files.values(), ...captures]) file.close();
      throw new UsageError(`-object ${option.spec}: could not open '${option.file}': ${describeFileError(error)}`);
    }
  };
  const devices = options.devices.map((device): VirtioSlotDevice => {
    switch (device.kind) {
      case 'blk': {
        const backend = new OverlayDisk(files.get(device.drive)!, { drive: device.drive.id, active: snapshot });
        return { kind: 'blk', slot: device.slot, backend, serial: device.serial };
      }
      case 'rng': return { kind: 'rng', slot: device.slot };
      case 'serial': {
        const port = device.console;
        const output = port?.chardev?.backend === 'stdio' ? terminal : undefined;
        return {
          kind: 'serial', slot: device.slot, maxPorts: device.maxPorts, emergencyWrite: device.emergencyWrite,
          console: port && { nr: port.nr, name: port.name, output },
        };
      }
      case 'net': {
        const { netdev } = device;
        return { kind: 'net', slot: device.slot, mac: device.mac ?? DEFAULT_MAC, user: { ...netdev.user, id: netdev.id }, capture: netdev.capture && capture(netdev.capture) };
      }
    }
  });
  return { config: { forceLegacy: options.forceLegacy, devices }, files: [...files.values()], captures };
}

/** QEMU's -seed: a 64-bit number, decimal or 0x hex. */
export function parseSeed(spec: string | undefined): bigint | undefined {
  if (spec === undefined) return undefined;
  if (!/^(\d+|0[xX][0-9a-fA-F]+)$/.test(spec) || BigInt(spec) >= 1n << 64n) {
    throw new UsageError(`-seed ${spec}: expected a number from 0 to 2^64-1`);
  }
  return BigInt(spec);
}

/** QEMU's filter-dump default: 64 KiB of each frame. */
const DUMP_MAX_LENGTH = 65536;

/**
 * `-object filter-dump,id=ID,netdev=NETDEV,file=F[,maxlen=N][,queue=all]` (the only object type
 * Lantern has), by the netdev it names (a -netdev's id, or a -nic's id=): where its frames go.
 */
function parseCaptures(specs: readonly string[], netdevIds: ReadonlySet<string>): Map<string, CaptureOption> {
  const captures = new Map<string, CaptureOption>();
  const files = new Set<string>();
  for (const spec of specs) {
    const option = `-object ${spec}`;
    const { implied: type, settings, order } = parseSettings(spec);
    const kind = type ?? settings.get('qom-type');
    if (kind !== 'filter-dump') throw new UsageError(`${option}: object type '${kind ?? ''}' is not supported (only filter-dump)`);
    for (const key of order) {
      if (!['id', 'netdev', 'file', 'maxlen', 'queue', 'qom-type'].includes(key)) throw new UsageError(`${option}: invalid parameter '${key}'`);
    }
    if (!settings.get('id')) throw new UsageError(`${option}: parameter 'id' is missing`);
    const id = settings.get('netdev');
    if (id === undefined) throw new UsageError(`${option}: parameter 'netdev' is missing`);
    if (!netdevIds.has(id)) throw new UsageError(`${option}: netdev '${id}' not found`);
    const file = settings.get('file');
    if (!file) throw new UsageError(`${option}: parameter 'file' is missing`);
    const queue = settings.get('queue') ?? 'all';
    if (queue !== 'all') throw new UsageError(`${option}: queue=${queue} is not supported (all: both ways)`);
    const maxlen = settings.get('maxlen');
    const maxLength = maxlen === undefined ? DUMP_MAX_LENGTH : Number(maxlen);
    if (maxlen !== undefined && (!/^\d+$/.test(maxlen) || maxLength < 1 || maxLength > 0x7fff_ffff)) throw new UsageError(`${option}: invalid maxlen '${maxlen}'`);
    if (captures.has(id)) throw new UsageError(`${option}: netdev '${id}' is already dumped`);
    if (files.has(file)) throw new UsageError(`${option}: file '${file}' is already a dump`);
    files.add(file);
    captures.set(id, { spec, file, maxLength });
  }
  return captures;
}
