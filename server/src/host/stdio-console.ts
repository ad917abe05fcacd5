// The terminal as the guest's console: raw mode on a TTY (always restored), output buffered
// per event-loop turn, and QEMU's mux escapes (Ctrl-A x quits, Ctrl-A h helps, Ctrl-A c switches
// between the guest's console and the monitor, Ctrl-A Ctrl-A sends Ctrl-A).

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
  /** A line typed at the monitor (after Ctrl-A c); resolves to the text to print. Without
   * it, Ctrl-A c says there is no monitor. */
  readonly onMonitor?: (line: string) => Promise<string>;
}

export type QuitReason = { kind: 'escape' } | { kind: 'signal'; signal: NodeJS.Signals };

const CTRL_A = 0x01; // QEMU's default mux escape character
const CTRL_C = 0x03;
const FLUSH_THRESHOLD = 1 << 16;
const MONITOR_BANNER = 'Lantern monitor - type \'help\' for more information\r\n';
const MONITOR_PROMPT = '(qemu) '; // QEMU's prompt: scripts that drive the monitor wait for it

const HELP = [
  '',
  'C-a h    print this help',
  'C-a x    exit the emulator',
  'C-a c    switch between console and monitor',
  'C-a C-a  send C-a to the guest',
  '',
].join('\r\n');

// SIGHUP is not delivered on Windows, but listening for it is harmless there.
const QUIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class StdioConsole {
  private pending: number[] = [];
  private flushScheduled = false;
  private escape = false;
  /** Ctrl-A c: typed lines go to the monitor (the line being typed), not to the guest. */
  private monitorLine: string | undefined;
  /** A monitor command is running: typed bytes wait. */
  private monitorBusy = false;
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
        else if (this.monitorLine !== undefined) this.monitorKey(byte);
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
        case 0x63: // c
          this.deliver(forGuest);
          this.flush();
          if (!this.options.onMonitor) {
            this.options.output.write('\r\nlantern: no monitor here\r\n');
          } else if (this.monitorLine === undefined) {
            this.monitorLine = '';
            this.options.output.write(`\r\n${MONITOR_BANNER}${MONITOR_PROMPT}`);
          } else {
            this.monitorLine = undefined;
            this.options.output.write('\r\n');
          }
          break;
        default:
          break; // other escapes (QEMU's monitor, break, timestamps) do nothing yet
      }
    }
    this.deliver(forGuest);
  }

  /** A key typed at the monitor: echo, backspace, Enter runs the line. */
  private monitorKey(byte: number): void {
    if (this.monitorBusy || this.monitorLine === undefined) return;
    const output = this.options.output;
    if (byte === 0x0d || byte === 0x0a) {
      const line = this.monitorLine.trim();
      this.monitorLine = '';
      output.write('\r\n');
      if (line === '') {
        output.write(MONITOR_PROMPT);
        return;
      }
      this.monitorBusy = true;
      this.options.onMonitor!(line).then((text) => text, (error: unknown) => `${error instanceof Error ? error.message : String(error)}\n`).then((text) => {
        this.monitorBusy = false;
        this.flush();
        output.write(text.replace(/\r?\n/g, '\r\n'));
        if (this.monitorLine !== undefined && this.open) output.write(MONITOR_PROMPT);
      });
    } else if (byte === 0x7f || byte === 0x08) {
      if (this.monitorLine.length > 0) {
        this.monitorLine = this.monitorLine.slice(0, -1);
        output.write('\b \b');
      }
    } else if (byte >= 0x20 && byte < 0x7f) {
      this.monitorLine += String.fromCharCode(byte);
      output.write(String.fromCharCode(byte));
    }
  }

  private deliver(bytes: number[]): void {
    if (bytes.length === 0) return;
    this.options.onInput(Uint8Array.from(bytes));
    bytes.length = 0;
  }
}
