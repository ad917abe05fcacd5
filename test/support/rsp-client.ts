// A minimal GDB Remote Serial Protocol client over TCP for benchmarks and tests that need exact
// packet timings: sends packets, checks acks and checksums, returns reply payloads in order.
import * as net from 'node:net';

function checksum(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) & 0xff;
  return sum.toString(16).padStart(2, '0');
}

/** Undoes the run-length encoding (`x*n`) and `}` escapes of a reply payload. */
function decodePayload(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '}') {
      out += String.fromCharCode(text.charCodeAt(++i) ^ 0x20);
    } else if (c === '*') {
      const count = text.charCodeAt(++i) - 29;
      out += out[out.length - 1].repeat(count);
    } else {
      out += c;
    }
  }
  return out;
}

export class RspClient {
  private buffer = '';
  private readonly waiting: ((payload: string) => void)[] = [];
  private readonly replies: string[] = [];
  private ackMode = true;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('close', () => { this.closed = true; });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => resolve(new RspClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one packet and waits for its reply payload (decoded). */
  async request(payload: string): Promise<string> {
    this.send(payload);
    return this.reply();
  }

  /** Sends one packet without waiting (pipelining; replies come in order through reply()). */
  send(payload: string): void {
    if (this.closed) throw new Error('the connection is closed');
    this.socket.write(`$${payload}#${checksum(payload)}`, 'latin1');
  }

  /** The next reply payload. */
  reply(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Turns acks off (QStartNoAckMode) when the stub supports it. */
  async noAck(): Promise<void> {
    const reply = await this.request('QStartNoAckMode');
    if (reply === 'OK') this.ackMode = false;
  }

  /** Sends Ctrl-C (0x03) outside any packet. */
  interrupt(): void {
    this.socket.write('\x03', 'latin1');
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      // Acks and anything before a packet start are skipped.
      const start = this.buffer.indexOf('$');
      if (start < 0) {
        this.buffer = '';
        return;
      }
      const end = this.buffer.indexOf('#', start);
      if (end < 0 || this.buffer.length < end + 3) {
        this.buffer = this.buffer.slice(start);
        return;
      }
      const body = this.buffer.slice(start + 1, end);
      const sum = this.buffer.slice(end + 1, end + 3);
      this.buffer = this.buffer.slice(end + 3);
      if (sum.toLowerCase() !== checksum(body)) throw new Error(`bad checksum on reply ${body.slice(0, 40)}`);
      if (this.ackMode) this.socket.write('+', 'latin1');
      const payload = decodePayload(body);
      // Console output (O packets) of qRcmd comes before its reply: keep those too.
      const waiter = this.waiting.shift();
      if (waiter) waiter(payload);
      else this.replies.push(payload);
    }
  }
}
