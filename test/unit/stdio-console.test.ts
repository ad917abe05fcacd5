// The terminal console: mux escapes, raw mode taken and given back, buffered output.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { StdioConsole, type QuitReason } from '../../server/src/host/stdio-console';

/** A stdin stand-in: emits 'data', records raw-mode changes. */
class FakeInput extends EventEmitter {
  isTTY: boolean;
  rawModes: boolean[] = [];
  flowing = false;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  setRawMode(mode: boolean) { this.rawModes.push(mode); }
  resume() { this.flowing = true; }
  pause() { this.flowing = false; }
  type(text: string) { this.emit('data', Buffer.from(text, 'latin1')); }
}

const consoles: StdioConsole[] = [];
afterEach(() => {
  for (const c of consoles.splice(0)) c.close();
});

function terminal(options: { tty?: boolean; mux?: boolean } = {}) {
  const input = new FakeInput(options.tty ?? true);
  const written: string[] = [];
  const received: number[] = [];
  const quits: QuitReason[] = [];
  const console = new StdioConsole({
    input,
    output: { write: (data) => written.push(typeof data === 'string' ? data : Buffer.from(data).toString('latin1')) },
    mux: options.mux ?? true,
    onInput: (bytes) => received.push(...bytes),
    onQuit: (reason) => quits.push(reason),
  });
  consoles.push(console);
  console.start();
  return { console, input, written, received, quits };
}

describe('stdio console', () => {
  it('puts a TTY in raw mode and restores it on close', () => {
    const { console, input } = terminal();
    expect(input.rawModes).toEqual([true]);
    expect(input.flowing).toBe(true);
    console.close();
    console.close();
    expect(input.rawModes).toEqual([true, false]);
    expect(input.flowing).toBe(false);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('leaves a pipe alone', () => {
    const { input } = terminal({ tty: false });
    expect(input.rawModes).toEqual([]);
  });

  it('passes typed bytes to the guest, Ctrl-A Ctrl-A as one Ctrl-A', () => {
    const { input, received, quits } = terminal();
    input.type('ls\r\x01\x01z');
    expect(received).toEqual([0x6c, 0x73, 0x0d, 0x01, 0x7a]);
    expect(quits).toEqual([]);
  });

  it('quits on Ctrl-A x, even split across reads, and gives the terminal back', () => {
    const { input, received, quits, written } = terminal();
    input.type('a\x01');
    input.type('xb');
    expect(received).toEqual([0x61]);
    expect(quits).toEqual([{ kind: 'escape' }]);
    expect(written.join('')).toContain('terminating');
    expect(input.rawModes).toEqual([true, false]);
  });

  it('prints help on Ctrl-A h and swallows unknown escapes', () => {
    const { input, received, written } = terminal();
    input.type('\x01h\x01q!');
    expect(written.join('')).toMatch(/C-a x\s+exit/);
    expect(received).toEqual([0x21]);
  });

  it('passes Ctrl-A through without the mux, and Ctrl-C quits a raw TTY', () => {
    const { input, received, quits } = terminal({ mux: false });
    input.type('\x01x\x03');
    expect(received).toEqual([0x01, 0x78]);
    expect(quits).toEqual([{ kind: 'signal', signal: 'SIGINT' }]);
  });

  it('buffers guest output until the event loop turns, or flushes on close', async () => {
    const { console, written } = terminal();
    for (const byte of Buffer.from('hi')) console.write(byte);
    expect(written).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['hi']);
    console.write(0x21);
    console.close();
    expect(written).toEqual(['hi', '!']);
  });
});
