// The terminal as the guest's console: raw mode on a TTY (always restored), output buffered
// per event-loop turn, and QEMU's mux escapes (Ctrl-A x quits, Ctrl-A h helps, Ctrl-A Ctrl-A).

/** The parts of process.stdin the console uses (a tty.ReadStream when interactive). */
export interface ConsoleInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** The parts of process.stdout the console uses. */
export interface ConsoleOutput {
  write(data: Uint8Array | string): unknown;
}

export interface StdioConsoleOptions {
  readonly input: ConsoleInput;
  readonly output: ConsoleOutput;
  /** `-serial mon:stdio`: interpret Ctrl-A escapes. Plain `stdio` passes every byte on. */
  readonly mux: boolean;
  /** Bytes for the guest. */
  readonly onInput: (bytes: Uint8Array) => void;
  /** Ctrl-A x, a signal, or (plain stdio) Ctrl-C: the user wants out. */
  readonly onQuit: (reason: QuitReason) => void;
}

export type QuitReason = { kind: 'escape' } | { kind: 'signal'; signal: NodeJS.Signals };

const CTRL_A = 0x01; // QEMU's default mux escape character
const CTRL_C = 0x03;
const FLUSH_THRESHOLD = 1 << 16;

const HELP = [
  '',
  'C-a h    print this help',
  'C-a x    exit the emulator',
  'C-a C-a  send C-a to the guest',
  '',
].join('\r\n');

// SIGHUP is not delivered on Windows, but listening for it is harmless there.
const QUIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class StdioConsole {
  private pending: number[] = [];
  private flushScheduled = false;
  private escape = false;
  private raw = false;
  private open = false;
  private readonly onData = (chunk: Buffer | string) => this.receive(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.close();
    this.options.onQuit({ kind: 'signal', signal });
  };
  private readonly onExit = () => this.restoreTerminal();

  constructor(private readonly options: StdioConsoleOptions) {}

  /** Takes the terminal: raw mode on a TTY, input flowing, restore hooks installed. */
  start(): void {
    if (this.open) return;
    this.open = true;
    const input = this.options.input;
    if (input.isTTY && input.setRawMode) {
      input.setRawMode(true);
      this.raw = true;
    }
    process.on('exit', this.onExit);
    for (const signal of QUIT_SIGNALS) process.on(signal, this.onSignal);
    input.on('data', this.onData);
    input.resume();
  }

  /** The guest's output, one byte at a time (UART THR, HTIF putchar). */
  write(byte: number): void {
    this.pending.push(byte);
    if (this.pending.length >= FLUSH_THRESHOLD) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const bytes = Uint8Array.from(this.pending);
    this.pending = [];
    this.options.output.write(bytes);
  }

  /** Flushes output and gives the terminal back as it was. Safe to call more than once. */
  close(): void {
    this.flush();
    if (!this.open) return;
    this.open = false;
    this.options.input.off('data', this.onData);
    this.options.input.pause();
    for (const signal of QUIT_SIGNALS) process.off(signal, this.onSignal);
    this.restoreTerminal();
    process.off('exit', this.onExit);
  }

  private restoreTerminal(): void {
    if (!this.raw) return;
    this.raw = false;
    this.options.input.setRawMode?.(false);
  }

  /** Splits typed bytes into guest input and escape commands (QEMU chardev/char-mux.c). */
  private receive(chunk: Uint8Array): void {
    const forGuest: number[] = [];
    for (const byte of chunk) {
      if (!this.options.mux) {
        // Raw mode turns off the terminal's signals: Ctrl-C quits as QEMU's stdio does.
        if (byte === CTRL_C && this.raw) {
          this.deliver(forGuest);
          this.close();
          this.options.onQuit({ kind: 'signal', signal: 'SIGINT' });
          return;
        }
        forGuest.push(byte);
        continue;
      }
      if (!this.escape) {
        if (byte === CTRL_A) this.escape = true;
        else forGuest.push(byte);
        continue;
      }
      this.escape = false;
      switch (byte) {
        case CTRL_A:
          forGuest.push(CTRL_A);
          break;
        case 0x78: // x
          this.deliver(forGuest);
          this.flush();
          this.options.output.write('lantern: terminating\r\n');
          this.close();
          this.options.onQuit({ kind: 'escape' });
          return;
        case 0x68: // h
        case 0x3f: // ?
          this.flush();
          this.options.output.write(HELP);
          break;
        default:
          break; // other escapes (QEMU's monitor, break, timestamps) do nothing yet
      }
    }
    this.deliver(forGuest);
  }

  private deliver(bytes: number[]): void {
    if (bytes.length === 0) return;
    this.options.onInput(Uint8Array.from(bytes));
    bytes.length = 0;
  }
}
