// virtio-console (virtio 1.2 section 5.3) as QEMU's virtio-serial-device with at most one
// virtconsole port: port data queues, the MULTIPORT control queues, and the emergency write.
import type { ByteSink } from '../uart16550';
import { DEVICE_ID_CONSOLE, type VirtioDevice, type VirtioDeviceState } from './device';
import type { Virtqueue } from './virtqueue';

// Feature bits (5.3.3). QEMU's virtio-serial offers MULTIPORT always and EMERGENCY_WRITE with
// emergency-write=on (its default); it never offers SIZE, so cols and rows read as 0.
export const CONSOLE_F_MULTIPORT = 1n << 1n;
export const CONSOLE_F_EMERG_WRITE = 1n << 2n;

// Control events (5.3.6.2), carried in struct virtio_console_control { le32 id; le16 event; le16 value; }.
export const CONTROL_DEVICE_READY = 0;
export const CONTROL_DEVICE_ADD = 1;
export const CONTROL_PORT_READY = 3;
export const CONTROL_CONSOLE_PORT = 4;
export const CONTROL_PORT_OPEN = 6;
export const CONTROL_PORT_NAME = 7;
const CONTROL_BYTES = 8;

// Queue numbers (5.3.2): port 0's receiveq and transmitq, then the control pair, then two per
// further port.
export const RECEIVEQ_PORT0 = 0;
export const TRANSMITQ_PORT0 = 1;
export const CONTROL_RECEIVEQ = 2;
export const CONTROL_TRANSMITQ = 3;

// Config layout (5.3.4): cols u16 @0, rows u16 @2, max_nr_ports u32 @4, emerg_wr u32 @8.
const EMERG_WR = 8;

/** QEMU's virtio-serial-device max_ports default (31 ports: 64 queues). */
export const DEFAULT_MAX_PORTS = 31;

/** The receive queue of port `nr`; its transmit queue is the next one. */
export function receiveQueueOf(nr: number): number {
  return nr === 0 ? RECEIVEQ_PORT0 : 2 * nr + 2;
}

export interface ConsolePortOptions {
  /** QEMU's virtconsole nr= (0 unless given). */
  readonly nr: number;
  /** virtconsole name=: sent to the driver as PORT_NAME (Linux shows it in /sys/class/virtio-ports). */
  readonly name?: string;
  /** Where the port's output goes (the machine's console, or nowhere for a null chardev). */
  readonly output: ByteSink;
  /** A host side is attached (a chardev): the driver is told the port is open, and it takes input. */
  readonly connected: boolean;
}

export interface VirtioConsoleOptions {
  /** max_ports: the max_nr_ports config field; the device has 2 · (maxPorts + 1) queues. */
  readonly maxPorts: number;
  readonly emergencyWrite: boolean;
  /** The one virtconsole port, if any. */
  readonly port?: ConsolePortOptions;
}

/**
 * How the device gets its own queue served: the transport's QueueNotify path, which pops the
 * queue through process() and raises the used-buffer interrupt as the driver's kick would.
 * Device-initiated work (input, control messages) goes through it so the transport stays the
 * one place that decides on interrupts.
 */
export type QueueService = (index: number) => void;

export interface VirtioConsoleState extends VirtioDeviceState {
  name: 'virtio-console';
  version: 1;
  /** DRIVER_OK was set (with the features below). */
  active: boolean;
  multiport: boolean;
  /** The driver opened the port (PORT_OPEN 1, or DRIVER_OK without MULTIPORT). */
  guestConnected: boolean;
  /** Control messages waiting for a control receiveq buffer, as byte arrays. */
  pendingControl: number[][];
}

export class VirtioConsole implements VirtioDevice {
  readonly deviceId = DEVICE_ID_CONSOLE;
  readonly queueCount: number;
  readonly features: bigint;
  readonly configSize: number;
  private readonly config: Uint8Array;
  private service: QueueService = () => {};
  private active = false;
  private multiport = false;
  private guestConnected = false;
  private pendingControl: Uint8Array[] = [];
  /** Input offered by receive(), consumed by process() of the port's receiveq during that call. */
  private offered: Uint8Array | undefined;
  private offeredTaken = 0;

  constructor(private readonly options: VirtioConsoleOptions) {
    this.queueCount = 2 * (options.maxPorts + 1);
    this.features = CONSOLE_F_MULTIPORT | (options.emergencyWrite ? CONSOLE_F_EMERG_WRITE : 0n);
    this.configSize = options.emergencyWrite ? 12 : 8;
    this.config = new Uint8Array(12);
    new DataView(this.config.buffer).setUint32(4, options.maxPorts, true);
  }

  /** Wires the device to its transport's queue service (slots.ts does it once both exist). */
  attach(service: QueueService): void {
    this.service = service;
  }

  /**
   * The port has a host side (a stdio chardev): typed input belongs to it, never to the UART —
   * QEMU gives stdio to one chardev only — and waits until the driver opens the port.
   */
  get ownsInput(): boolean {
    return this.options.port?.connected === true;
  }

  /** The driver has the port open (PORT_OPEN 1, or DRIVER_OK without MULTIPORT) and a host side is attached. */
  get acceptsInput(): boolean {
    return this.active && this.guestConnected && this.ownsInput;
  }

  /**
   * Puts typed bytes into the port's posted receive buffers, as far as they reach; returns how
   * many were taken (the machine keeps the rest for the next slice boundary, as with the UART).
   */
  receive(bytes: Uint8Array): number {
    const port = this.options.port;
    if (!port || !this.acceptsInput || bytes.length === 0) return 0;
    this.offered = bytes;
    this.offeredTaken = 0;
    this.service(receiveQueueOf(port.nr));
    const taken = this.offeredTaken;
    this.offered = undefined;
    return taken;
  }

  readConfig(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.config[offset + i];
    return value;
  }

  /**
   * emerg_wr (5.3.4): the low byte of a write there goes out at once. As QEMU's set_config: a
   * zero write is none, and the byte goes to the connected console whatever its port number.
   */
  writeConfig(offset: number, _size: number, value: number): void {
    if (offset !== EMERG_WR || !this.options.emergencyWrite || value === 0) return;
    this.options.port?.output.write(value & 0xff);
  }

  activate(features: bigint): void {
    this.active = true;
    this.multiport = (features & CONSOLE_F_MULTIPORT) !== 0n;
    // Without MULTIPORT, port 0 is the console and is in use from DRIVER_OK (5.3.6).
    if (!this.multiport) this.guestConnected = this.options.port?.nr === 0;
  }

  process(index: number, queue: Virtqueue): void {
    const port = this.options.port;
    if (this.multiport && index === CONTROL_RECEIVEQ) return this.sendControl(queue);
    if (this.multiport && index === CONTROL_TRANSMITQ) return this.takeControl(queue);
    if (index % 2 === 1) return this.transmit(queue, port && index === receiveQueueOf(port.nr) + 1 ? port.output : undefined);
    if (port && index === receiveQueueOf(port.nr) && this.offered) this.fillReceive(queue, this.offered);
    // Receive buffers otherwise wait, available, for input (5.3.6.1).
  }

  reset(): void {
    this.active = false;
    this.multiport = false;
    this.guestConnected = false;
    this.pendingControl = [];
  }

  saveState(): VirtioConsoleState {
    return {
      name: 'virtio-console', version: 1, active: this.active, multiport: this.multiport, guestConnected: this.guestConnected,
      pendingControl: this.pendingControl.map((message) => [...message]),
    };
  }

  loadState(state: VirtioDeviceState): void {
    const saved = state as Partial<VirtioConsoleState>;
    if (saved.name !== 'virtio-console' || saved.version !== 1) {
      throw new Error(`cannot load ${String(saved.name)} v${String(saved.version)} state into virtio-console v1`);
    }
    this.active = saved.active === true;
    this.multiport = saved.multiport === true;
    this.guestConnected = saved.guestConnected === true;
    this.pendingControl = (saved.pendingControl ?? []).map((message) => Uint8Array.from(message));
  }

  /** A transmitq: every readable byte goes out in order; the buffers come back with nothing written. */
  private transmit(queue: Virtqueue, output: ByteSink | undefined): void {
    for (;;) {
      const next = queue.pop();
      if (next.kind !== 'chain') return;
      const chain = next.chain;
      if (output) for (const view of chain.readableViews(0, chain.readableLength)) for (const byte of view) output.write(byte);
      queue.push(chain.head, 0);
    }
  }

  /** The port's receiveq: as many buffers as the offered input fills, each returned with its length. */
  private fillReceive(queue: Virtqueue, bytes: Uint8Array): void {
    while (this.offeredTaken < bytes.length) {
      const next = queue.pop();
      if (next.kind !== 'chain') return;
      const chain = next.chain;
      const written = chain.write(0, bytes.subarray(this.offeredTaken, this.offeredTaken + chain.writableLength));
      this.offeredTaken += written;
      queue.push(chain.head, written);
    }
  }

  /** The control receiveq: queued device-to-driver messages, one per buffer. */
  private sendControl(queue: Virtqueue): void {
    while (this.pendingControl.length > 0) {
      const next = queue.pop();
      if (next.kind !== 'chain') return;
      const message = this.pendingControl.shift()!;
      const chain = next.chain;
      if (chain.writableLength < message.length) {
        queue.fail(`virtio-console control buffer ${chain.head} holds ${chain.writableLength} bytes, the message ${message.length}`);
        return;
      }
      queue.push(chain.head, chain.write(0, message));
    }
  }

  /** The control transmitq: the driver's messages, answered as QEMU's virtio-serial does. */
  private takeControl(queue: Virtqueue): void {
    const before = this.pendingControl.length;
    for (;;) {
      const next = queue.pop();
      if (next.kind !== 'chain') break;
      const chain = next.chain;
      if (chain.readableLength < CONTROL_BYTES) {
        queue.fail(`virtio-console control message ${chain.head} is shorter than ${CONTROL_BYTES} bytes`);
        return;
      }
      const view = new DataView(chain.read(0, CONTROL_BYTES).buffer);
      this.control(view.getUint32(0, true), view.getUint16(4, true), view.getUint16(6, true));
      queue.push(chain.head, 0);
    }
    if (this.pendingControl.length > before) this.service(CONTROL_RECEIVEQ);
  }

  private control(id: number, event: number, value: number): void {
    const port = this.options.port;
    switch (event) {
      case CONTROL_DEVICE_READY:
        // The driver is ready for ports: announce ours (5.3.6.2 step 3). QEMU sends value 1
        // with DEVICE_ADD and PORT_NAME (seen with 7.2); drivers ignore it.
        if (value === 1 && port) this.queueControl(port.nr, CONTROL_DEVICE_ADD, 1);
        return;
      case CONTROL_PORT_READY:
        if (value !== 1 || !port || id !== port.nr) return;
        this.queueControl(id, CONTROL_CONSOLE_PORT, 1);
        if (port.name !== undefined) this.queueControl(id, CONTROL_PORT_NAME, 1, new TextEncoder().encode(port.name));
        if (port.connected) this.queueControl(id, CONTROL_PORT_OPEN, 1);
        return;
      case CONTROL_PORT_OPEN:
        if (port && id === port.nr) this.guestConnected = value === 1;
        return;
      default:
        return; // events only the device sends, or for ports that do not exist: ignored, as QEMU does
    }
  }

  private queueControl(id: number, event: number, value: number, extra = new Uint8Array(0)): void {
    const message = new Uint8Array(CONTROL_BYTES + extra.length);
    const view = new DataView(message.buffer);
    view.setUint32(0, id, true);
    view.setUint16(4, event, true);
    view.setUint16(6, value, true);
    message.set(extra, CONTROL_BYTES);
    this.pendingControl.push(message);
  }
}
