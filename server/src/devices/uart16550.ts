// The ns16550a UART as QEMU emulates it (hw/char/serial.c): byte registers at offsets 0..7,
// 16-byte receive FIFO, a transmitter that is always ready, and one interrupt line.
import type { MmioDevice, MmioValue, MmioWriteResult } from '../machine/bus';
import { UNCONNECTED, type IrqLine } from './irq-line';

/** Where transmitted bytes go (a terminal, a socket, a test buffer). */
export interface ByteSink {
  write(byte: number): void;
}

// The line to the board's interrupt controller (PLIC source 10 on virt).
export type { IrqLine } from './irq-line';

// Register offsets (PC16550D datasheet, table 2; reg-shift 0 as on virt).
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

const IER_RDI = 0x01; // received data available
const IER_THRI = 0x02; // transmitter holding register empty
const IER_RLSI = 0x04; // receiver line status
const IER_MSI = 0x08; // modem status

const IIR_NO_INT = 0x01;
const IIR_MSI = 0x00;
const IIR_THRI = 0x02;
const IIR_RDI = 0x04;
const IIR_RLSI = 0x06;
const IIR_CTI = 0x0c; // character timeout
const IIR_FIFO_ENABLED = 0xc0;

const FCR_FIFO_ENABLE = 0x01;
const FCR_CLEAR_RX = 0x02;
const FCR_CLEAR_TX = 0x04; // ours never holds bytes, but clearing it re-arms THR empty

const LCR_DLAB = 0x80;

const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;

const LSR_DR = 0x01; // data ready
const LSR_OE = 0x02; // overrun
const LSR_BI = 0x10; // break
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
const LSR_INT_ANY = 0x1e; // OE | PE | FE | BI

const MSR_DCTS = 0x01;
const MSR_DDSR = 0x02;
const MSR_TERI = 0x04;
const MSR_DDCD = 0x08;
const MSR_ANY_DELTA = 0x0f;
const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_RI = 0x40;
const MSR_DCD = 0x80;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];

/** The UART's whole state, for snapshots. */
export interface Uart16550State {
  name: 'ns16550a';
  version: 1;
  rbr: number;
  ier: number;
  iir: number;
  fcr: number;
  lcr: number;
  mcr: number;
  lsr: number;
  msr: number;
  scr: number;
  divider: number;
  thrPending: boolean;
  timeoutPending: boolean;
  rxFifo: number[];
}

/**
 * QEMU's serial_mm takes aligned accesses of 1..8 bytes to its 8 registers; a wider access
 * acts on the register at its offset (zero-extended on read, low byte on write). The rest
 * of the 0x100 window is unassigned: an access fault.
 */
function validAccess(offset: number, size: number): boolean {
  return offset + size <= 8 && offset % size === 0;
}

export class Uart16550 implements MmioDevice {
  private rbr!: number;
  private ier!: number;
  private iir!: number;
  private fcr!: number;
  private lcr!: number;
  private mcr!: number;
  private lsr!: number;
  private msr!: number;
  private scr!: number;
  private divider!: number;
  private thrPending!: boolean; // THR-empty interrupt waiting to be seen in IIR
  private timeoutPending!: boolean; // FIFO holds data below the trigger level
  private rxFifo!: number[];
  private irqLevel = false;

  constructor(
    private readonly output: ByteSink,
    private readonly irq: IrqLine = UNCONNECTED,
  ) {
    this.reset();
  }

  /** Power-on state (QEMU serial_reset): THR empty, OUT2 set, carrier/DSR/CTS asserted. */
  reset(): void {
    this.loadState({
      name: 'ns16550a', version: 1, rbr: 0, ier: 0, iir: IIR_NO_INT, fcr: 0, lcr: 0, mcr: MCR_OUT2,
      lsr: LSR_TEMT | LSR_THRE, msr: MSR_DCD | MSR_DSR | MSR_CTS, scr: 0,
      divider: 0x0c, // 9600 baud from the 1.8432 MHz crystal
      thrPending: false, timeoutPending: false, rxFifo: [],
    });
  }

  /** How many received bytes the UART can take now (the host holds the rest back). */
  receiveSpace(): number {
    if (this.fifoEnabled) return FIFO_SIZE - this.rxFifo.length;
    return this.lsr & LSR_DR ? 0 : 1;
  }

  /** A byte from the outside world; false (and dropped) if there is no room for it. */
  receive(byte: number): boolean {
    if (this.mcr & MCR_LOOP) return false; // in loopback the receiver is cut off from the line
    return this.pushReceived(byte & 0xff);
  }

  read(offset: number, size: number): MmioValue | undefined {
    if (!validAccess(offset, size)) return undefined;
    switch (offset) {
      case RBR_THR_DLL: {
        if (this.lcr & LCR_DLAB) return this.divider & 0xff;
        let value: number;
        if (this.fifoEnabled) {
          value = this.rxFifo.shift() ?? 0;
          this.timeoutPending = this.rxFifo.length > 0 && this.rxFifo.length < this.triggerLevel;
          if (this.rxFifo.length === 0) this.lsr &= ~(LSR_DR | LSR_BI);
        } else {
          value = this.rbr;
          this.lsr &= ~(LSR_DR | LSR_BI);
        }
        this.updateIrq();
        return value;
      }
      case IIR_FCR: {
        const value = this.iir;
        if ((value & 0x0f) === IIR_THRI) {
          this.thrPending = false;
          this.updateIrq();
        }
        return value;
      }
      case LSR: {
        const value = this.lsr;
        if (value & (LSR_BI | LSR_OE)) {
          this.lsr &= ~(LSR_BI | LSR_OE);
          this.updateIrq();
        }
        return value;
      }
      case MSR: {
        const value = this.modemStatus();
        if (!(this.mcr & MCR_LOOP) && value & MSR_ANY_DELTA) {
          this.msr &= ~MSR_ANY_DELTA;
          this.updateIrq();
        }
        return value;
      }
      default:
        return this.peek(offset, size);
    }
  }

  peek(offset: number, size: number): MmioValue | undefined {
    if (!validAccess(offset, size)) return undefined;
    switch (offset) {
      case RBR_THR_DLL:
        if (this.lcr & LCR_DLAB) return this.divider & 0xff;
        return this.fifoEnabled ? (this.rxFifo[0] ?? 0) : this.rbr;
      case IER_DLM: return this.lcr & LCR_DLAB ? this.divider >> 8 : this.ier;
      case IIR_FCR: return this.iir;
      case LCR: return this.lcr;
      case MCR: return this.mcr;
      case LSR: return this.lsr;
      case MSR: return this.modemStatus();
      case SCR: return this.scr;
      default: return undefined;
    }
  }

  write(offset: number, size: number, value: bigint): MmioWriteResult {
    if (!validAccess(offset, size)) return 'fault';
    const byte = Number(value & 0xffn);
    switch (offset) {
      case RBR_THR_DLL:
        if (this.lcr & LCR_DLAB) {
          this.divider = (this.divider & 0xff00) | byte;
          break;
        }
        this.transmit(byte);
        break;
      case IER_DLM: {
        if (this.lcr & LCR_DLAB) {
          this.divider = (this.divider & 0x00ff) | (byte << 8);
          break;
        }
        const changed = (this.ier ^ byte) & 0x0f;
        this.ier = byte & 0x0f;
        // Enabling THRI while THR is empty raises it at once (QEMU serial_ioport_write).
        if (changed & IER_THRI) this.thrPending = (this.ier & IER_THRI) !== 0 && (this.lsr & LSR_THRE) !== 0;
        this.updateIrq();
        break;
      }
      case IIR_FCR: {
        // Toggling the FIFO enable clears both FIFOs (QEMU serial_ioport_write).
        const clear = (this.fcr ^ byte) & FCR_FIFO_ENABLE ? FCR_CLEAR_RX | FCR_CLEAR_TX : byte;
        if (clear & FCR_CLEAR_RX) {
          this.rxFifo = [];
          this.lsr &= ~(LSR_DR | LSR_BI);
          this.timeoutPending = false;
        }
        if (clear & FCR_CLEAR_TX) {
          // An empty transmitter raises THR empty again (as QEMU; Linux clears both FIFOs
          // at startup and on termios changes).
          this.lsr |= LSR_THRE | LSR_TEMT;
          this.thrPending = true;
        }
        this.fcr = byte & 0xc9;
        this.iir = (this.iir & 0x0f) | (this.fifoEnabled ? IIR_FIFO_ENABLED : 0);
        this.updateIrq();
        break;
      }
      case LCR: this.lcr = byte; break;
      case MCR: {
        const before = this.modemStatus();
        this.mcr = byte & 0x1f;
        if (this.mcr & MCR_LOOP) this.noteModemChange(before);
        this.updateIrq();
        break;
      }
      case LSR: case MSR: break; // read-only (factory test writes are ignored, as QEMU)
      case SCR: this.scr = byte; break;
    }
    return 'ok';
  }

  saveState(): Uart16550State {
    return {
      name: 'ns16550a', version: 1, rbr: this.rbr, ier: this.ier, iir: this.iir, fcr: this.fcr,
      lcr: this.lcr, mcr: this.mcr, lsr: this.lsr, msr: this.msr, scr: this.scr,
      divider: this.divider, thrPending: this.thrPending, timeoutPending: this.timeoutPending,
      rxFifo: [...this.rxFifo],
    };
  }

  loadState(state: Uart16550State): void {
    if (state.name !== 'ns16550a' || state.version !== 1) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into ns16550a v1`);
    }
    this.rbr = state.rbr;
    this.ier = state.ier;
    this.iir = state.iir;
    this.fcr = state.fcr;
    this.lcr = state.lcr;
    this.mcr = state.mcr;
    this.lsr = state.lsr;
    this.msr = state.msr;
    this.scr = state.scr;
    this.divider = state.divider;
    this.thrPending = state.thrPending;
    this.timeoutPending = state.timeoutPending;
    this.rxFifo = [...state.rxFifo];
    this.updateIrq(true);
  }

  private get fifoEnabled(): boolean {
    return (this.fcr & FCR_FIFO_ENABLE) !== 0;
  }

  private get triggerLevel(): number {
    return TRIGGER_LEVELS[this.fcr >> 6];
  }

  private transmit(byte: number): void {
    // The byte leaves at once: THR and the shift register are empty again before the
    // guest can look, and the THR-empty interrupt is pending (QEMU serial_xmit).
    if (this.mcr & MCR_LOOP) this.pushReceived(byte);
    else this.output.write(byte);
    this.lsr |= LSR_THRE | LSR_TEMT;
    this.thrPending = true;
    this.updateIrq();
  }

  private pushReceived(byte: number): boolean {
    if (this.fifoEnabled) {
      if (this.rxFifo.length >= FIFO_SIZE) {
        this.lsr |= LSR_OE;
        this.updateIrq();
        return false;
      }
      this.rxFifo.push(byte);
      // There is no real-time character timeout; data below the trigger level reports the
      // timeout interrupt at once, so the guest drains it (deterministic, step-exact).
      this.timeoutPending = this.rxFifo.length < this.triggerLevel;
    } else {
      if (this.lsr & LSR_DR) {
        this.lsr |= LSR_OE;
        this.updateIrq();
        return false;
      }
      this.rbr = byte;
    }
    this.lsr |= LSR_DR;
    this.updateIrq();
    return true;
  }

  /** MSR as the guest sees it; in loopback the modem inputs follow the MCR outputs. */
  private modemStatus(): number {
    if (!(this.mcr & MCR_LOOP)) return this.msr;
    let value = this.msr & MSR_ANY_DELTA;
    if (this.mcr & MCR_RTS) value |= MSR_CTS;
    if (this.mcr & MCR_DTR) value |= MSR_DSR;
    if (this.mcr & MCR_OUT1) value |= MSR_RI;
    if (this.mcr & MCR_OUT2) value |= MSR_DCD;
    return value;
  }

  /** Records delta bits after a loopback change of the modem inputs. */
  private noteModemChange(before: number): void {
    const after = this.modemStatus();
    const changed = before ^ after;
    if (changed & MSR_CTS) this.msr |= MSR_DCTS;
    if (changed & MSR_DSR) this.msr |= MSR_DDSR;
    if (changed & MSR_DCD) this.msr |= MSR_DDCD;
    if (before & MSR_RI && !(after & MSR_RI)) this.msr |= MSR_TERI; // trailing edge of RI
  }

  /** Picks the highest-priority pending interrupt for IIR and drives the line. */
  private updateIrq(drive = false): void {
    let id = IIR_NO_INT;
    if (this.ier & IER_RLSI && this.lsr & LSR_INT_ANY) id = IIR_RLSI;
    else if (this.ier & IER_RDI && this.timeoutPending) id = IIR_CTI;
    else if (
      this.ier & IER_RDI && this.lsr & LSR_DR &&
      (!this.fifoEnabled || this.rxFifo.length >= this.triggerLevel)
    ) id = IIR_RDI;
    else if (this.ier & IER_THRI && this.thrPending) id = IIR_THRI;
    else if (this.ier & IER_MSI && this.modemStatus() & MSR_ANY_DELTA) id = IIR_MSI;
    this.iir = id | (this.iir & 0xf0);
    const level = id !== IIR_NO_INT;
    if (level !== this.irqLevel || drive) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}
