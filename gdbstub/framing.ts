// Packet framing of the remote protocol (GDB manual, "Remote Protocol" > "Overview" and
// "Binary Data"): `$payload#cc` with cc the modulo-256 sum of the payload bytes as sent, in two
// hex digits; `+`/`-` acknowledgments; a bare 0x03 byte between packets is an interrupt
// (Ctrl-C, "Interrupts"). Inside a payload `}` escapes the next byte (xor 0x20). GDB never sends
// run-length encoding, so `*` is an ordinary byte on input. Meaning lives in session.ts and
// packets/; this file only turns bytes into events and payloads into bytes.

/** What the byte stream from the debugger said. Payloads are latin1 strings: one char a byte. */
export type FrameEvent =
  /** A whole packet, unescaped; `checksumOk` false when the checksum was wrong or not hex. */
  | { readonly kind: 'packet'; readonly payload: string; readonly checksumOk: boolean }
  /** A packet longer than the limit: its bytes were dropped, nothing was buffered. */
  | { readonly kind: 'oversize' }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack' }
  | { readonly kind: 'interrupt' };

const DOLLAR = 0x24; // '$'
const HASH = 0x23; // '#'
const BRACE = 0x7d; // '}'
const STAR = 0x2a; // '*'
const PLUS = 0x2b; // '+'
const MINUS = 0x2d; // '-'
const CTRL_C = 0x03;
const ESCAPE_XOR = 0x20;

const enum State {
  Idle,
  Payload,
  Escape,
  Checksum1,
  Checksum2,
  /** Past the limit: dropping bytes until the packet's end. */
  Discard,
  DiscardChecksum1,
  DiscardChecksum2,
}

/**
 * Incremental parser: feed it chunks as they arrive, it calls back once per event. A `$`
 * always starts a new packet (an unfinished one is abandoned: GDB escapes `$` in binary
 * data, so a bare one means the previous packet was cut), and bytes outside packets other
 * than `+`, `-` and 0x03 are ignored.
 */
export class PacketParser {
  private state = State.Idle;
  private readonly buffer: Uint8Array;
  private length = 0;
  /** Bytes between `$` and `#` as sent (the limit applies to those). */
  private raw = 0;
  private sum = 0;
  private checksum = 0;
  private checksumValid = true;

  /** `maxPayload`: the most payload bytes (as sent) a packet may have; the qSupported PacketSize. */
  constructor(readonly maxPayload: number) {
    this.buffer = new Uint8Array(maxPayload);
  }

  feed(chunk: Uint8Array, emit: (event: FrameEvent) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === DOLLAR) {
        if (this.state >= State.Discard) emit({ kind: 'oversize' });
        this.startPacket();
        continue;
      }
      switch (this.state) {
        case State.Idle:
          if (byte === PLUS) emit({ kind: 'ack' });
          else if (byte === MINUS) emit({ kind: 'nack' });
          else if (byte === CTRL_C) emit({ kind: 'interrupt' });
          break;
        case State.Payload:
        case State.Escape:
          if (byte === HASH) {
            this.state = State.Checksum1;
            break;
          }
          if (++this.raw > this.maxPayload) {
            this.state = State.Discard;
            break;
          }
          this.sum = (this.sum + byte) & 0xff;
          if (this.state === State.Escape) {
            this.buffer[this.length++] = byte ^ ESCAPE_XOR;
            this.state = State.Payload;
          } else if (byte === BRACE) {
            this.state = State.Escape;
          } else {
            this.buffer[this.length++] = byte;
          }
          break;
        case State.Checksum1:
        case State.Checksum2: {
          const digit = hexValue(byte);
          if (digit < 0) this.checksumValid = false;
          this.checksum = (this.checksum << 4) | Math.max(digit, 0);
          if (this.state === State.Checksum1) {
            this.state = State.Checksum2;
            break;
          }
          const payload = Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.length).toString('latin1');
          const checksumOk = this.checksumValid && this.checksum === this.sum;
          this.state = State.Idle;
          emit({ kind: 'packet', payload, checksumOk });
          break;
        }
        case State.Discard:
          if (byte === HASH) this.state = State.DiscardChecksum1;
          break;
        case State.DiscardChecksum1:
          this.state = State.DiscardChecksum2;
          break;
        case State.DiscardChecksum2:
          this.state = State.Idle;
          emit({ kind: 'oversize' });
          break;
      }
    }
  }

  private startPacket(): void {
    this.state = State.Payload;
    this.length = 0;
    this.raw = 0;
    this.sum = 0;
    this.checksum = 0;
    this.checksumValid = true;
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

/**
 * One packet as sent: `$`, the payload (a latin1 string) with `$`, `#`, `}` and `*` escaped
 * (`*` would read as run-length encoding, the others as framing), `#` and the checksum of the
 * bytes as sent. Only binary replies (qXfer) can hold those bytes; the others never do.
 */
export function encodePacket(payload: string): Buffer {
  const body = Buffer.from(payload, 'latin1');
  let escapes = 0;
  for (const byte of body) if (needsEscape(byte)) escapes++;
  const out = Buffer.allocUnsafe(body.length + escapes + 4);
  let at = 0;
  let sum = 0;
  out[at++] = DOLLAR;
  for (const byte of body) {
    if (needsEscape(byte)) {
      out[at++] = BRACE;
      out[at++] = byte ^ ESCAPE_XOR;
      sum += BRACE + (byte ^ ESCAPE_XOR);
    } else {
      out[at++] = byte;
      sum += byte;
    }
  }
  out[at++] = HASH;
  out.write((sum & 0xff).toString(16).padStart(2, '0'), at, 'latin1');
  return out;
}

/** The length of `payload` once escaped (to keep replies within the packet size). */
export function escapedLength(payload: string): number {
  let length = payload.length;
  for (let i = 0; i < payload.length; i++) if (needsEscape(payload.charCodeAt(i))) length++;
  return length;
}

function needsEscape(byte: number): boolean {
  return byte === DOLLAR || byte === HASH || byte === BRACE || byte === STAR;
}
