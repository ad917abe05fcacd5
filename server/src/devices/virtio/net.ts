// virtio-net (virtio 1.2 section 5.1): one receive and one transmit queue between the guest and
// an injected host-side backend (the user-mode network); MAC and link status in config space.
import { DEVICE_ID_NET, F_VERSION_1, type VirtioDevice, type VirtioDeviceState } from './device';
import type { Virtqueue } from './virtqueue';
import { internetChecksum } from '../../net/frames';

/**
 * Where the guest's frames go (server/src/net/ gives the user-mode network). Synchronous, as
 * the block backend: a frame is handed over inside the guest's QueueNotify store, and the
 * transmit buffer completes at that step whatever the host does with it.
 */
export interface NetBackend {
  /** One Ethernet frame (destination MAC first, no FCS), without the virtio_net_hdr. A copy:
   * the backend may keep it. Longer than 1514 bytes only as a TCP segment the guest left for
   * segmentation (HOST_TSO4). */
  send(frame: Uint8Array): void;
  /** The driver (re)negotiated: whether the backend may hand over TCP segments longer than
   * the MTU (GUEST_TSO4), and whether the guest may send them (HOST_TSO4). */
  offloads?(negotiated: { readonly guestTso: boolean; readonly hostTso: boolean }): void;
}

/** What became of a frame offered to the guest. */
export type Offer = 'delivered' | 'no-room' | 'dropped';

// Feature bits (5.1.3). Offered: CSUM, GUEST_CSUM, GUEST_TSO4, HOST_TSO4, MAC and STATUS (and
// VERSION_1 by a modern transport); no UFO, TSO6 or ECN, no MRG_RXBUF, no CTRL_VQ, no MQ. With
// CSUM the guest may leave a TCP/UDP checksum for the device to complete (NEEDS_CSUM); with
// GUEST_CSUM every frame given to it is marked DATA_VALID (the network's frames always carry
// checked, complete checksums), so the guest skips verifying them. With HOST_TSO4 the guest may
// send a TCP segment of up to 64 KiB in one frame (the user network takes it whole: it ends the
// TCP connection itself); with GUEST_TSO4 the network may give it such segments (gso_type
// TCPV4, gso_size as for a 1500-byte MTU), into the 64 KiB buffers Linux then posts. Each
// receive buffer holds one whole frame.
export const NET_F_CSUM = 1n << 0n;
export const NET_F_GUEST_CSUM = 1n << 1n;
export const NET_F_MAC = 1n << 5n;
export const NET_F_GUEST_TSO4 = 1n << 7n;
export const NET_F_HOST_TSO4 = 1n << 11n;
export const NET_F_STATUS = 1n << 16n;
export const NET_F_MRG_RXBUF = 1n << 15n;

/** config.status (5.1.4): the link is up. VIRTIO_NET_S_ANNOUNCE is never set (no GUEST_ANNOUNCE). */
export const NET_S_LINK_UP = 1;

// Queue numbers (5.1.2): receiveq1, transmitq1 (no controlq without CTRL_VQ).
export const RECEIVEQ = 0;
export const TRANSMITQ = 1;

/**
 * struct virtio_net_hdr (5.1.6): flags u8, gso_type u8, hdr_len, gso_size, csum_start,
 * csum_offset (le16 each) = 10 bytes, then num_buffers (le16) when VERSION_1 or MRG_RXBUF was
 * negotiated (5.1.6.1 legacy interface: without them the header is 10 bytes).
 */
export const NET_HDR_LEGACY_BYTES = 10;
export const NET_HDR_BYTES = 12;
/** Byte offset of num_buffers in the 12-byte header. */
const NUM_BUFFERS = 10;
/** virtio_net_hdr.flags (5.1.6): the checksum from csum_start on is for the device to complete;
 * the frame's checksums are known good. */
export const NET_HDR_F_NEEDS_CSUM = 1;
export const NET_HDR_F_DATA_VALID = 2;
/** virtio_net_hdr.gso_type (5.1.6): none, or a TCP/IPv4 segment to cut at gso_size. */
export const NET_HDR_GSO_NONE = 0;
export const NET_HDR_GSO_TCPV4 = 1;
const GSO_TYPE = 1;
const HDR_LEN = 2;
const GSO_SIZE = 4;
const CSUM_START = 6;
const CSUM_OFFSET = 8;
/** The largest frame without segmentation: a 1500-byte MTU and the Ethernet header. */
const MTU_FRAME = 1514;
const MTU = 1500;
const OFFLOADS = NET_F_CSUM | NET_F_GUEST_CSUM | NET_F_GUEST_TSO4 | NET_F_HOST_TSO4;

// Config layout (5.1.4): mac[6] @0, status le16 @6. Nothing after it is offered (no MQ, MTU,
// SPEED_DUPLEX), so the config space ends there, as QEMU sizes it from the offered features.
const CONFIG_SIZE = 8;
const STATUS_OFFSET = 6;

/** QEMU's default MAC for the first NIC (52:54:00:12:34:56; the user network expects 52:54:00). */
export const DEFAULT_MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);

/**
 * How the device gets its receive queue served: the transport's QueueNotify path (as the
 * console's), so the transport stays the one place that decides on used-buffer interrupts.
 */
export type QueueService = (index: number) => void;

export interface VirtioNetOptions {
  /** Six bytes; DEFAULT_MAC when absent. */
  readonly mac?: Uint8Array;
}

/** Frames moved and frames dropped each way (never reset by a device reset: host-side counters). */
export interface NetCounters {
  txFrames: number;
  /** Transmit chains too short to hold the header: completed, nothing sent. */
  txDropped: number;
  rxFrames: number;
  /** Frames from the host with no receive buffer posted (or the driver not ready), or too big for the next one. */
  rxDropped: number;
}

export interface VirtioNetState extends VirtioDeviceState {
  name: 'virtio-net';
  version: 1;
  /** DRIVER_OK was set, with this header length (10 or 12). */
  active: boolean;
  headerBytes: number;
  /** The negotiated CSUM, GUEST_CSUM, GUEST_TSO4 and HOST_TSO4 bits (absent in older snapshots: none). */
  offloads?: number;
  /** set_link's state (absent in older snapshots: up). */
  linkUp?: boolean;
  counters: NetCounters;
}

/** Parses QEMU's `mac=52:54:00:12:34:56` form; undefined if it is not six hex pairs. */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || !parts.every((part) => /^[0-9a-fA-F]{2}$/.test(part))) return undefined;
  return Uint8Array.from(parts.map((part) => parseInt(part, 16)));
}

export class VirtioNet implements VirtioDevice {
  readonly deviceId = DEVICE_ID_NET;
  readonly queueCount = 2;
  readonly features = NET_F_CSUM | NET_F_GUEST_CSUM | NET_F_GUEST_TSO4 | NET_F_HOST_TSO4 | NET_F_MAC | NET_F_STATUS;
  readonly configSize = CONFIG_SIZE;
  private readonly config = new Uint8Array(CONFIG_SIZE);
  private service: QueueService = () => {};
  private configChange: () => void = () => {};
  /** The link as `set_link` leaves it: down, no frame passes either way (as QEMU drops them). */
  private linkUp = true;
  private active = false;
  private headerBytes = NET_HDR_LEGACY_BYTES;
  /** The negotiated offloads (CSUM: the device completes; GUEST_CSUM: DATA_VALID; the TSO4 pair). */
  private offloads = 0n;
  private counters: NetCounters = { txFrames: 0, txDropped: 0, rxFrames: 0, rxDropped: 0 };
  /** The frame deliver() offers, taken by process() of the receive queue during that call. */
  private offered: Uint8Array | undefined;
  private offerResult: Offer = 'no-room';
  /** The guest transmitted or posted receive buffers: the host should look after this store. */
  private hostRequested = false;

  constructor(
    private readonly backend: NetBackend,
    options: VirtioNetOptions = {},
  ) {
    const mac = options.mac ?? DEFAULT_MAC;
    if (mac.length !== 6) throw new Error(`a MAC address has 6 bytes, not ${mac.length}`);
    this.config.set(mac, 0);
    new DataView(this.config.buffer).setUint16(STATUS_OFFSET, NET_S_LINK_UP, true);
  }

  get mac(): Uint8Array {
    return this.config.slice(0, 6);
  }

  get stats(): Readonly<NetCounters> {
    return { ...this.counters };
  }

  /** Wires the device to its transport's queue service (whoever builds the transport does it once). */
  attach(service: QueueService, configChange: () => void = () => {}): void {
    this.service = service;
    this.configChange = configChange;
  }

  /** The monitor's set_link: the status field's LINK_UP bit and a configuration change interrupt. */
  setLink(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    new DataView(this.config.buffer).setUint16(STATUS_OFFSET, up ? NET_S_LINK_UP : 0, true);
    this.configChange();
  }

  get link(): boolean {
    return this.linkUp;
  }

  /**
   * A frame from the host for the guest: written, after a zero header, into the next posted
   * receive buffer, with the used-buffer interrupt as the driver asked. Returns false when it
   * was dropped (and counted): the driver is not running, no buffer is posted, or the next
   * buffer is too small (it stays posted, as QEMU puts it back).
   */
  deliver(frame: Uint8Array): boolean {
    const result = this.offer(frame);
    if (result === 'no-room') this.counters.rxDropped++;
    return result === 'delivered';
  }

  /**
   * As deliver(), but a frame that finds no room is not counted as dropped: the caller keeps
   * it and offers it again once the guest posts buffers (the user network's queue does).
   * 'dropped' (and counted): it can never be delivered — too big for the buffer at the head of
   * the queue, or longer than the MTU without GUEST_TSO4.
   */
  offer(frame: Uint8Array): Offer {
    if (!this.linkUp) {
      this.counters.rxDropped++;
      return 'dropped';
    }
    this.offered = frame;
    this.offerResult = 'no-room';
    if (this.active) this.service(RECEIVEQ);
    const result = this.offerResult as Offer; // set by receive() during service()
    this.offered = undefined;
    if (result === 'delivered') this.counters.rxFrames++;
    if (result === 'dropped') this.counters.rxDropped++;
    return result;
  }

  /** True once after the guest transmitted or posted receive buffers (the transport then stops
   * the hart after that store, so the machine serves the network at an exact step). */
  takeHostRequest(): boolean {
    const requested = this.hostRequested;
    this.hostRequested = false;
    return requested;
  }

  readConfig(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.config[offset + i];
    return value;
  }

  /** mac is writable only with VIRTIO_NET_F_CTRL_MAC_ADDR's legacy path, not offered: writes are ignored. */
  writeConfig(): void {}

  activate(features: bigint): void {
    this.active = true;
    this.headerBytes = features & (F_VERSION_1 | NET_F_MRG_RXBUF) ? NET_HDR_BYTES : NET_HDR_LEGACY_BYTES;
    // TSO needs its checksum feature (5.1.3.1): a driver accepting it alone is taken without it.
    let offloads = features & OFFLOADS;
    if (!(offloads & NET_F_CSUM)) offloads &= ~NET_F_HOST_TSO4;
    if (!(offloads & NET_F_GUEST_CSUM)) offloads &= ~NET_F_GUEST_TSO4;
    this.offloads = offloads;
    this.tellBackend();
  }

  private tellBackend(): void {
    this.backend.offloads?.({ guestTso: (this.offloads & NET_F_GUEST_TSO4) !== 0n, hostTso: (this.offloads & NET_F_HOST_TSO4) !== 0n });
  }

  process(index: number, queue: Virtqueue): void {
    if (index === TRANSMITQ) {
      this.hostRequested = true;
      return this.transmit(queue);
    }
    if (index !== RECEIVEQ) return;
    if (this.offered) {
      if (this.offerResult === 'no-room') this.receive(queue, this.offered);
    } else this.hostRequested = true;
    // A kick on the receive queue only posts buffers: they wait for deliver() (5.1.6.3).
  }

  reset(): void {
    this.active = false;
    this.headerBytes = NET_HDR_LEGACY_BYTES;
    this.offloads = 0n;
    this.tellBackend();
  }

  saveState(): VirtioNetState {
    return {
      name: 'virtio-net', version: 1, active: this.active, headerBytes: this.headerBytes, offloads: Number(this.offloads), linkUp: this.linkUp,
      counters: { ...this.counters },
    };
  }

  loadState(state: VirtioDeviceState): void {
    const saved = state as Partial<VirtioNetState>;
    if (saved.name !== 'virtio-net' || saved.version !== 1) {
      throw new Error(`cannot load ${String(saved.name)} v${String(saved.version)} state into virtio-net v1`);
    }
    this.active = saved.active === true;
    this.headerBytes = saved.headerBytes === NET_HDR_BYTES ? NET_HDR_BYTES : NET_HDR_LEGACY_BYTES;
    this.offloads = BigInt(saved.offloads ?? 0) & OFFLOADS;
    this.linkUp = saved.linkUp !== false;
    new DataView(this.config.buffer).setUint16(STATUS_OFFSET, this.linkUp ? NET_S_LINK_UP : 0, true);
    this.tellBackend();
    const counters = saved.counters;
    this.counters = {
      txFrames: counters?.txFrames ?? 0, txDropped: counters?.txDropped ?? 0,
      rxFrames: counters?.rxFrames ?? 0, rxDropped: counters?.rxDropped ?? 0,
    };
  }

  /**
   * The transmitq (5.1.6.2): each chain is a header then one frame. With CSUM negotiated and
   * NEEDS_CSUM set, the device completes the checksum the guest left (the one's-complement sum
   * from csum_start to the end, stored at csum_start + csum_offset); the rest of the header is
   * ignored (no GSO is offered) and the frame goes to the backend. A chain shorter than the
   * header, or a checksum position outside the frame, is a malformed frame: dropped and counted,
   * but the queue keeps working (a guest must not be able to stop the network, nor crash the host).
   */
  private transmit(queue: Virtqueue): void {
    for (;;) {
      const next = queue.pop();
      if (next.kind !== 'chain') return;
      const chain = next.chain;
      const frame = chain.readableLength < this.headerBytes ? undefined : this.completeChecksum(chain.read(0, this.headerBytes), chain.read(this.headerBytes, chain.readableLength - this.headerBytes));
      if (!frame || !this.linkUp) this.counters.txDropped++;
      else {
        this.backend.send(frame);
        this.counters.txFrames++;
      }
      queue.push(chain.head, 0);
    }
  }

  /** The frame with the checksum NEEDS_CSUM asks for filled in; undefined if the header points outside it. */
  private completeChecksum(header: Uint8Array, frame: Uint8Array): Uint8Array | undefined {
    // Longer than the MTU: only a TCP/IPv4 segment the guest left for segmentation (HOST_TSO4).
    const gso = header[GSO_TYPE] & 0x7f; // without the ECN bit
    if (frame.length > MTU_FRAME && !(gso === NET_HDR_GSO_TCPV4 && this.offloads & NET_F_HOST_TSO4)) return undefined;
    if (!(header[0] & NET_HDR_F_NEEDS_CSUM) || !(this.offloads & NET_F_CSUM)) return frame;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const start = view.getUint16(CSUM_START, true);
    const at = start + view.getUint16(CSUM_OFFSET, true);
    if (start >= frame.length || at + 2 > frame.length) return undefined;
    // The field holds the pseudo-header's sum (folded, not complemented): summing over it includes it.
    let checksum = internetChecksum(frame.subarray(start));
    if (checksum === 0) checksum = 0xffff; // the same in one's complement, and UDP's "no checksum" is 0
    frame[at] = checksum >> 8;
    frame[at + 1] = checksum & 0xff;
    return frame;
  }

  /** One frame into the next receive chain: header (num_buffers 1 when 12 bytes long), then the frame. */
  private receive(queue: Virtqueue, frame: Uint8Array): void {
    const header = new Uint8Array(this.headerBytes); // no checksum to complete
    if (this.offloads & NET_F_GUEST_CSUM) header[0] = NET_HDR_F_DATA_VALID;
    if (this.headerBytes === NET_HDR_BYTES) header[NUM_BUFFERS] = 1;
    if (frame.length > MTU_FRAME && !this.segmentHeader(header, frame)) {
      this.offerResult = 'dropped';
      return;
    }
    const next = queue.pop();
    if (next.kind !== 'chain') return;
    const chain = next.chain;
    const length = this.headerBytes + frame.length;
    if (chain.writableLength < length) {
      // Without MRG_RXBUF a frame must fit one chain; QEMU drops it and puts the buffer back.
      queue.unpop();
      this.offerResult = 'dropped';
      return;
    }
    chain.write(0, header);
    chain.write(this.headerBytes, frame);
    queue.push(chain.head, length);
    this.offerResult = 'delivered';
  }

  /**
   * A frame longer than the MTU is a TCP/IPv4 segment for the guest to take as GSO (GUEST_TSO4):
   * gso_type TCPV4, hdr_len the headers, gso_size what fits a 1500-byte MTU after them. False if
   * it is not negotiated or the frame is not such a segment.
   */
  private segmentHeader(header: Uint8Array, frame: Uint8Array): boolean {
    if (!(this.offloads & NET_F_GUEST_TSO4) || frame.length < 14 + 20 + 20) return false;
    if (frame[12] !== 0x08 || frame[13] !== 0x00 || frame[14] >> 4 !== 4 || frame[14 + 9] !== 6) return false;
    const ipHeader = (frame[14] & 0x0f) * 4;
    const tcpHeader = 14 + ipHeader + 12 < frame.length ? (frame[14 + ipHeader + 12] >> 4) * 4 : 0;
    const headers = 14 + ipHeader + tcpHeader;
    if (tcpHeader < 20 || headers >= frame.length) return false;
    const view = new DataView(header.buffer);
    view.setUint8(GSO_TYPE, NET_HDR_GSO_TCPV4);
    view.setUint16(HDR_LEN, headers, true);
    view.setUint16(GSO_SIZE, MTU - ipHeader - tcpHeader, true);
    return true;
  }
}
