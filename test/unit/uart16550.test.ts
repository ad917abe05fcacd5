// ns16550a registers as QEMU's serial.c behaves: transmit, receive FIFO, IIR priorities,
// divisor latch, loopback, the interrupt line, peek without side effects, and state round trips.
import { describe, expect, it } from 'vitest';
import { Uart16550 } from '../../server/src/devices/uart16550';

const RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function uart() {
  const sent: number[] = [];
  const levels: boolean[] = [];
  const device = new Uart16550({ write: (byte) => sent.push(byte) }, { set: (level) => levels.push(level) });
  const read = (offset: number) => device.read(offset, 1) as number;
  const write = (offset: number, value: number) => device.write(offset, 1, BigInt(value));
  return { device, sent, levels, read, write, irq: () => levels[levels.length - 1] ?? false };
}

describe('ns16550a', () => {
  it('resets like QEMU: THR empty, no interrupt, OUT2 and DCD/DSR/CTS', () => {
    const { read } = uart();
    expect(read(LSR)).toBe(0x60);
    expect(read(IIR)).toBe(0x01);
    expect(read(MCR)).toBe(0x08);
    expect(read(MSR)).toBe(0xb0);
    expect(read(IER)).toBe(0);
  });

  it('sends a THR byte to the sink at once and stays ready', () => {
    const { sent, read, write } = uart();
    expect(write(THR, 0x141)).toBe('ok'); // only the low byte goes out
    write(THR, 0x42);
    expect(sent).toEqual([0x41, 0x42]);
    expect(read(LSR) & 0x60).toBe(0x60);
  });

  it('raises the THR-empty interrupt when enabled and clears it when IIR is read', () => {
    const { read, write, irq } = uart();
    write(IER, 0x02);
    expect(irq()).toBe(true);
    expect(read(IIR)).toBe(0x02);
    expect(irq()).toBe(false);
    expect(read(IIR)).toBe(0x01);
    write(THR, 0x21); // a transmitted byte re-arms it
    expect(irq()).toBe(true);
  });

  it('receives a byte without FIFO: DR, RBR, overrun', () => {
    const { device, read, write, irq } = uart();
    write(IER, 0x05); // receive data + line status interrupts
    expect(device.receiveSpace()).toBe(1);
    expect(device.receive(0x61)).toBe(true);
    expect(read(LSR) & 0x01).toBe(1);
    expect(read(IIR) & 0x0f).toBe(0x04);
    expect(irq()).toBe(true);
    expect(device.receiveSpace()).toBe(0);
    expect(device.receive(0x62)).toBe(false); // overrun: the byte is lost, OE set
    expect(read(IIR) & 0x0f).toBe(0x06); // line status outranks data
    expect(read(LSR) & 0x02).toBe(0x02); // reading LSR clears OE
    expect(read(LSR) & 0x02).toBe(0);
    expect(read(RBR)).toBe(0x61);
    expect(read(LSR) & 0x01).toBe(0);
    expect(irq()).toBe(false);
  });

  it('queues sixteen bytes in the FIFO and reports the trigger level', () => {
    const { device, read, write } = uart();
    write(FCR, 0x81); // FIFO on, trigger at 8 bytes
    expect(read(IIR) & 0xc0).toBe(0xc0);
    write(IER, 0x01);
    expect(device.receiveSpace()).toBe(16);
    for (let i = 0; i < 7; i++) device.receive(0x30 + i);
    expect(read(IIR) & 0x0f).toBe(0x0c); // below the trigger level: character timeout
    device.receive(0x37);
    expect(read(IIR) & 0x0f).toBe(0x04); // at the trigger level: data available
    for (let i = 8; i < 16; i++) expect(device.receive(0x30 + i)).toBe(true);
    expect(device.receiveSpace()).toBe(0);
    const got: number[] = [];
    while (read(LSR) & 0x01) got.push(read(RBR));
    expect(got).toEqual(Array.from({ length: 16 }, (_, i) => 0x30 + i));
    expect(read(IIR) & 0x0f).toBe(0x01);
    device.receive(1);
    write(FCR, 0x83); // clear the receive FIFO
    expect(read(LSR) & 0x01).toBe(0);
  });

  it('exposes the divisor latch when DLAB is set', () => {
    const { sent, read, write } = uart();
    write(LCR, 0x83);
    write(0, 0x01);
    write(1, 0x02);
    expect(read(0)).toBe(0x01);
    expect(read(1)).toBe(0x02);
    expect(sent).toEqual([]); // a divisor write is not a transmit
    write(LCR, 0x03);
    expect(read(LCR)).toBe(0x03);
    expect(read(IER)).toBe(0);
  });

  it('loops transmitted bytes back and mirrors MCR into MSR in loopback', () => {
    const { device, sent, read, write } = uart();
    write(MCR, 0x10 | 0x03); // loop + DTR + RTS
    expect(read(MSR) & 0xf0).toBe(0x30); // CTS, DSR
    write(THR, 0x55);
    expect(sent).toEqual([]);
    expect(read(RBR)).toBe(0x55);
    expect(device.receive(0x66)).toBe(false); // the line is cut off in loopback
  });

  it('keeps the scratch register and faults outside its eight registers', () => {
    const { device, read, write } = uart();
    write(SCR, 0x5a);
    expect(read(SCR)).toBe(0x5a);
    expect(device.read(8, 1)).toBeUndefined();
    expect(device.write(0x10, 1, 0n)).toBe('fault');
    expect(device.read(LSR, 4)).toBeUndefined(); // misaligned word
    expect(device.read(4, 4)).toBe(0x08); // an aligned word reads the register at its offset
  });

  it('peeks without side effects', () => {
    const { device, read, write } = uart();
    write(IER, 0x02);
    expect([device.peek(IIR, 1), device.peek(IIR, 1)]).toEqual([0x02, 0x02]); // THRI stays pending
    expect(read(IIR)).toBe(0x02);
    expect(device.peek(IIR, 1)).toBe(0x01);
    device.receive(0x7a);
    expect([device.peek(RBR, 1), device.peek(RBR, 1)]).toEqual([0x7a, 0x7a]); // RBR is not consumed
    expect((device.peek(LSR, 1) as number) & 0x01).toBe(1);
    expect(read(RBR)).toBe(0x7a);
    expect((device.peek(LSR, 1) as number) & 0x01).toBe(0);
  });

  it('passes the THRE probes of Linux 8250 startup (re-raised on IER write, as QEMU)', () => {
    const { read, write } = uart();
    // UART_BUG_THRE: THRI enabled, IIR read (clears it), IER off and on: THRE must re-assert.
    write(IER, 0x02);
    expect(read(IIR) & 0x0f).toBe(0x02);
    write(IER, 0);
    write(IER, 0x02);
    expect(read(IIR) & 0x0f).toBe(0x02);
    write(IER, 0);
    // UART_BUG_TXEN: enabling THRI with the transmitter idle shows it in IIR at once.
    write(IER, 0x02);
    expect(read(LSR) & 0x40).toBe(0x40);
    expect(read(IIR) & 0x01).toBe(0);
  });

  it('clears both FIFOs when the FIFO enable toggles; a transmit-FIFO clear re-arms THRE', () => {
    const { device, read, write, irq } = uart();
    write(FCR, 0xc1); // FIFO on, trigger 14
    write(IER, 0x01);
    device.receive(0x41);
    expect(read(IIR) & 0x0f).toBe(0x0c); // below the trigger: character timeout
    write(FCR, 0x00); // FIFO off: the byte is gone, and so is its timeout
    expect(read(LSR) & 0x01).toBe(0);
    expect(read(IIR)).toBe(0x01);
    expect(irq()).toBe(false);
    write(IER, 0x03);
    expect(read(IIR)).toBe(0x02); // THRI enabled: pending at once...
    expect(read(IIR)).toBe(0x01); // ...and cleared by the IIR read
    write(FCR, 0x05); // FIFO on with the transmit FIFO cleared
    expect(read(IIR)).toBe(0xc2);
    expect(irq()).toBe(false); // the IIR read cleared it
  });

  it('saves and restores its whole state, and re-drives the line', () => {
    const a = uart();
    a.write(FCR, 0x01);
    a.write(IER, 0x01);
    a.write(SCR, 0x11);
    a.device.receive(0x41);
    a.device.receive(0x42);
    const state = a.device.saveState();
    expect(state).toMatchObject({ name: 'ns16550a', version: 1, rxFifo: [0x41, 0x42] });
    const b = uart();
    b.device.loadState(JSON.parse(JSON.stringify(state)));
    expect(b.irq()).toBe(true);
    expect(b.read(SCR)).toBe(0x11);
    expect([b.read(RBR), b.read(RBR)]).toEqual([0x41, 0x42]);
    expect(() => b.device.loadState({ ...state, version: 2 } as never)).toThrow(/v2/);
  });
});
