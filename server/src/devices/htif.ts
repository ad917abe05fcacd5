// HTIF, the Berkeley host-target interface (Spike riscv/htif.cc, QEMU hw/char/riscv_htif.c):
// the guest writes a command word to `tohost` in RAM; the host acts, clears `tohost` and
// answers in `fromhost`. Used by riscv-tests, Spike-style suites and pk-style consoles.
import type { ByteSink } from './uart16550';

/** The two mailbox words in guest RAM (the machine finds them from the ELF's symbols). */
export interface HtifMailbox {
  readTohost(): bigint;
  writeTohost(value: bigint): void;
  /** Absent when the ELF has no `fromhost` symbol. */
  readFromhost?(): bigint;
  writeFromhost?(value: bigint): void;
}

/** Guest physical memory, for the proxied system calls' argument blocks. */
export interface HtifMemory {
  read(paddr: bigint, length: number): Uint8Array | undefined;
  write(paddr: bigint, data: Uint8Array): boolean;
}

/** The outcome of one look at tohost. */
export type HtifResult = { kind: 'none' } | { kind: 'exit'; status: number };

// Command word: device (63:56), command (55:48), payload (47:0).
const DEVICE_SYSCALL = 0n; // device 0: exit, and pk-style proxied system calls
const DEVICE_CONSOLE = 1n; // device 1: "bcd", the blocking character device
const CONSOLE_GETCHAR = 0n;
const CONSOLE_PUTCHAR = 1n;
const PAYLOAD_MASK = (1n << 48n) - 1n;

// Proxied system calls (riscv-pk's numbering, as Spike's syscall_t serves them).
const SYS_WRITE = 64n;
const SYS_EXIT = 93n;
const ENOSYS = 38n;
const EFAULT = 14n;

export interface HtifState {
  name: 'htif';
  version: 1;
  /** The console read request waiting for a byte (its command word), or null. */
  pendingRead: string | null;
}

export class Htif {
  private pendingRead: bigint | undefined;

  constructor(
    private readonly mailbox: HtifMailbox,
    private readonly console: ByteSink,
    private readonly memory?: HtifMemory,
  ) {}

  /** Acts on the command in tohost after the guest wrote it. */
  handleTohost(): HtifResult {
    const command = this.mailbox.readTohost();
    if (command === 0n) return { kind: 'none' };
    const device = command >> 56n;
    const cmd = (command >> 48n) & 0xffn;
    const payload = command & PAYLOAD_MASK;

    if (device === DEVICE_SYSCALL && cmd === 0n) {
      if (payload & 1n) return { kind: 'exit', status: Number((payload >> 1n) & 0xffff_ffffn) };
      const exit = this.proxySyscall(payload);
      if (exit) return exit;
      this.respond(command, 1n);
      return { kind: 'none' };
    }
    if (device === DEVICE_CONSOLE && cmd === CONSOLE_PUTCHAR) {
      this.console.write(Number(payload & 0xffn));
      this.respond(command, 0x100n | (payload & 0xffn));
      return { kind: 'none' };
    }
    if (device === DEVICE_CONSOLE && cmd === CONSOLE_GETCHAR) {
      // Answered when a byte arrives (receive); tohost is released now, as QEMU does.
      this.pendingRead = command;
      this.mailbox.writeTohost(0n);
      return { kind: 'none' };
    }
    // Unknown device or command: acknowledged with a zero response, as QEMU does.
    this.respond(command, 0n);
    return { kind: 'none' };
  }

  /** True while a console read waits and fromhost is free for the answer. */
  canReceive(): boolean {
    return this.pendingRead !== undefined && (this.mailbox.readFromhost?.() ?? 1n) === 0n;
  }

  /** Answers the pending console read with `byte`; false if none is waiting. */
  receive(byte: number): boolean {
    if (!this.canReceive() || this.pendingRead === undefined) return false;
    this.mailbox.writeFromhost?.(((this.pendingRead >> 48n) << 48n) | 0x100n | BigInt(byte & 0xff));
    this.pendingRead = undefined;
    return true;
  }

  reset(): void {
    this.pendingRead = undefined;
  }

  saveState(): HtifState {
    return { name: 'htif', version: 1, pendingRead: this.pendingRead === undefined ? null : this.pendingRead.toString() };
  }

  loadState(state: HtifState): void {
    if (state.name !== 'htif' || state.version !== 1) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into htif v1`);
    }
    this.pendingRead = state.pendingRead === null ? undefined : BigInt(state.pendingRead);
  }

  /**
   * Completes a command: fromhost gets the command's device and command bytes over a 16-bit
   * response, and tohost is cleared so a guest spinning on tohost == 0 moves on
   * (QEMU htif_handle_tohost_write; Spike answers the same way through its queue).
   */
  private respond(command: bigint, response: bigint): void {
    this.mailbox.writeFromhost?.(((command >> 48n) << 48n) | (response & 0xffffn));
    this.mailbox.writeTohost(0n);
  }

  /**
   * A pk-style system call: the payload points at eight u64 words {number, args...}; the
   * result goes back in word 0 (Spike syscall_t). write(1|2, buf, len) and exit are served,
   * anything else answers -ENOSYS.
   */
  private proxySyscall(block: bigint): HtifResult | undefined {
    const raw = this.memory?.read(block, 64);
    if (!raw) return undefined;
    const words = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const arg = (i: number) => words.getBigUint64(i * 8, true);
    const number = arg(0);
    let result = -ENOSYS;
    if (number === SYS_EXIT) return { kind: 'exit', status: Number(arg(1) & 0xffn) };
    if (number === SYS_WRITE && (arg(1) === 1n || arg(1) === 2n)) {
      const length = Number(arg(3) & 0xff_ffffn);
      const data = this.memory?.read(arg(2), length);
      if (data) for (const byte of data) this.console.write(byte);
      result = data ? BigInt(length) : -EFAULT;
    }
    const answer = new Uint8Array(8);
    new DataView(answer.buffer).setBigInt64(0, result, true);
    this.memory?.write(block, answer);
    return undefined;
  }
}
