// `-object filter-dump,...,file=F`: the frames a NIC sends and receives, in the pcap format
// Wireshark and tcpdump read, stamped with the machine's virtual time (nanosecond pcap), so the
// same run gives the same file.
import * as fs from 'node:fs';

/** Where a NIC's frames are copied to (the machine calls it as frames pass). */
export interface FrameCapture {
  /** One frame at virtual time `ns` (ns since the machine started). */
  record(ns: bigint, frame: Uint8Array): void;
}

/** The pcap global header's magic for nanosecond timestamps (written in the host's order: little-endian here). */
const MAGIC_NANOSECONDS = 0xa1b23c4d;
const VERSION_MAJOR = 2;
const VERSION_MINOR = 4;
/** LINKTYPE_ETHERNET. */
const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** Written to the file when this much is buffered (and at close). */
const FLUSH_BYTES = 256 * 1024;

export class PcapWriter implements FrameCapture {
  private readonly fd: number;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private closed = false;

  /** Opens (truncates) `file`; throws the fs error when it cannot. `snapLength`: bytes kept of each frame. */
  constructor(readonly file: string, private readonly snapLength = 65535) {
    this.fd = fs.openSync(file, 'w');
    const header = new DataView(new ArrayBuffer(GLOBAL_HEADER));
    header.setUint32(0, MAGIC_NANOSECONDS, true);
    header.setUint16(4, VERSION_MAJOR, true);
    header.setUint16(6, VERSION_MINOR, true);
    // thiszone and sigfigs stay 0
    header.setUint32(16, snapLength, true);
    header.setUint32(20, LINKTYPE_ETHERNET, true);
    this.push(new Uint8Array(header.buffer));
  }

  record(ns: bigint, frame: Uint8Array): void {
    if (this.closed) return;
    const kept = Math.min(frame.length, this.snapLength);
    const record = new Uint8Array(RECORD_HEADER + kept);
    const view = new DataView(record.buffer);
    view.setUint32(0, Number(ns / 1_000_000_000n), true);
    view.setUint32(4, Number(ns % 1_000_000_000n), true);
    view.setUint32(8, kept, true);
    view.setUint32(12, frame.length, true);
    record.set(frame.subarray(0, kept), RECORD_HEADER);
    this.push(record);
  }

  flush(): void {
    if (this.buffered === 0) return;
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    fs.writeSync(this.fd, bytes);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }
}
