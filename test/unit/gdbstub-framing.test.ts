// The GDB stub's framing and codecs (gdbstub/framing.ts, hex.ts, thread-id.ts): packets in
// and out byte for byte as the GDB manual's "Overview" and "Binary Data" sections give them.
import { describe, expect, it } from 'vitest';
import { encodePacket, PacketParser, type FrameEvent } from '../../gdbstub/framing';
import { hexToRegister, hexToBytes, parseHexBig, parseHexCount, registerToHex } from '../../gdbstub/hex';
import { parseThreadId, threadId } from '../../gdbstub/thread-id';

function parse(input: string | Uint8Array, maxPayload = 64): FrameEvent[] {
  const parser = new PacketParser(maxPayload);
  const events: FrameEvent[] = [];
  parser.feed(typeof input === 'string' ? Buffer.from(input, 'latin1') : input, (event) => events.push(event));
  return events;
}

/** The checksum as the manual defines it: the modulo-256 sum of the bytes between $ and #. */
function checksum(body: string): string {
  let sum = 0;
  for (const byte of Buffer.from(body, 'latin1')) sum += byte;
  return (sum & 0xff).toString(16).padStart(2, '0');
}

describe('PacketParser', () => {
  it('takes a packet with a good checksum', () => {
    expect(parse('$qSupported:swbreak+#' + checksum('qSupported:swbreak+'))).toEqual([
      { kind: 'packet', payload: 'qSupported:swbreak+', checksumOk: true },
    ]);
    // The manual's own example: $m0,4 is not it, but `$g#67` is gdb's classic.
    expect(parse('$g#67')).toEqual([{ kind: 'packet', payload: 'g', checksumOk: true }]);
    expect(parse('$#00')).toEqual([{ kind: 'packet', payload: '', checksumOk: true }]);
  });

  it('accepts checksum digits in either case and flags wrong or non-hex ones', () => {
    expect(parse('$vCont?#49')[0]).toMatchObject({ checksumOk: true });
    expect(parse('$m0,4#fd')[0]).toMatchObject({ payload: 'm0,4', checksumOk: true });
    expect(parse('$m0,4#FD')[0]).toMatchObject({ checksumOk: true });
    expect(parse('$m0,4#fe')[0]).toMatchObject({ payload: 'm0,4', checksumOk: false });
    expect(parse('$m0,4#zz')[0]).toMatchObject({ checksumOk: false });
  });

  it('reports acks, nacks and the interrupt byte between packets, and ignores other junk', () => {
    expect(parse('+-\x03xyz\r\n+').map((e) => e.kind)).toEqual(['ack', 'nack', 'interrupt', 'ack']);
  });

  it('keeps 0x03, + and - inside a packet as data', () => {
    const body = 'X0,3:\x03+-';
    expect(parse(`$${body}#${checksum(body)}`)).toEqual([{ kind: 'packet', payload: body, checksumOk: true }]);
  });

  it('decodes } escapes, with the checksum over the bytes as sent', () => {
    // 0x23 '#', 0x24 '$', 0x7d '}', 0x2a '*' escaped as } then byte^0x20.
    const sent = 'X0,4:}\x03}\x04}]}\x0a';
    expect(parse(`$${sent}#${checksum(sent)}`)).toEqual([{ kind: 'packet', payload: 'X0,4:#$}*', checksumOk: true }]);
  });

  it('does not expand * (gdb never run-length encodes what it sends)', () => {
    expect(parse(`$a* #${checksum('a* ')}`)[0]).toMatchObject({ payload: 'a* ' });
  });

  it('works byte by byte across chunks', () => {
    const parser = new PacketParser(64);
    const events: FrameEvent[] = [];
    for (const byte of Buffer.from('+$m80000000,4#' + checksum('m80000000,4') + '\x03', 'latin1')) {
      parser.feed(Uint8Array.of(byte), (event) => events.push(event));
    }
    expect(events).toEqual([{ kind: 'ack' }, { kind: 'packet', payload: 'm80000000,4', checksumOk: true }, { kind: 'interrupt' }]);
  });

  it('abandons a cut packet when a new $ starts', () => {
    expect(parse('$m8000$g#67')).toEqual([{ kind: 'packet', payload: 'g', checksumOk: true }]);
    expect(parse('$m80#$g#67')).toEqual([{ kind: 'packet', payload: 'g', checksumOk: true }]);
  });

  it('drops a packet over the size limit without buffering it, then goes on', () => {
    const big = 'M0,40:' + '00'.repeat(0x40);
    const events = parse(`$${big}#${checksum(big)}$g#67`, 16);
    expect(events).toEqual([{ kind: 'oversize' }, { kind: 'packet', payload: 'g', checksumOk: true }]);
    // Exactly at the limit is fine; one more byte is not.
    expect(parse(`$${'a'.repeat(16)}#${checksum('a'.repeat(16))}`, 16)[0]).toMatchObject({ kind: 'packet', checksumOk: true });
    expect(parse(`$${'a'.repeat(17)}#${checksum('a'.repeat(17))}`, 16)).toEqual([{ kind: 'oversize' }]);
    // An endless packet only ever costs the fixed buffer: a later $ ends it.
    const parser = new PacketParser(16);
    const seen: FrameEvent[] = [];
    parser.feed(Buffer.from('$'), (e) => seen.push(e));
    for (let i = 0; i < 1000; i++) parser.feed(Buffer.alloc(4096, 0x61), (e) => seen.push(e));
    parser.feed(Buffer.from('$g#67'), (e) => seen.push(e));
    expect(seen).toEqual([{ kind: 'oversize' }, { kind: 'packet', payload: 'g', checksumOk: true }]);
  });
});

describe('encodePacket', () => {
  it('frames and checksums a reply', () => {
    expect(encodePacket('OK').toString('latin1')).toBe('$OK#9a');
    expect(encodePacket('').toString('latin1')).toBe('$#00');
    expect(encodePacket('T05thread:01;').toString('latin1')).toBe(`$T05thread:01;#${checksum('T05thread:01;')}`);
  });

  it('escapes $ # } * with the checksum over the escaped bytes', () => {
    const sent = 'l}\x04}\x03}]}\x0a<';
    expect(encodePacket('l$#}*<').toString('latin1')).toBe(`$${sent}#${checksum(sent)}`);
  });

  it('round-trips any bytes through the parser', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
    expect(parse(encodePacket(all), 1024)).toEqual([{ kind: 'packet', payload: all, checksumOk: true }]);
  });
});

describe('hex codecs', () => {
  it('writes registers little-endian in bits/8 bytes', () => {
    expect(registerToHex(0x80000000n, 8)).toBe('0000008000000000');
    expect(registerToHex(0x1234n, 4)).toBe('34120000');
    expect(registerToHex(-1n, 4)).toBe('ffffffff');
    expect(hexToRegister('0000008000000000', 8)).toBe(0x80000000n);
    expect(hexToRegister('341200', 4)).toBeUndefined();
    expect(hexToRegister('zz120000', 4)).toBeUndefined();
  });

  it('parses addresses strictly and lengths saturating', () => {
    expect(parseHexBig('ffffffffffffffff')).toBe(0xffffffffffffffffn);
    expect(parseHexBig('0000000080000000')).toBe(0x80000000n);
    expect(parseHexBig('10000000000000000')).toBeUndefined();
    expect(parseHexBig('-1')).toBeUndefined();
    expect(parseHexBig('')).toBeUndefined();
    expect(parseHexCount('ffffffffffffffffffff', 100)).toBe(100);
    expect(parseHexCount('10', 100)).toBe(16);
    expect(parseHexCount('1x', 100)).toBeUndefined();
    expect(hexToBytes('0a0B')).toEqual(Uint8Array.of(10, 11));
    expect(hexToBytes('0a0')).toBeUndefined();
  });

  it('reads thread ids as gdb writes them (hart = tid - 1)', () => {
    expect(threadId(0)).toBe('01');
    expect(threadId(15)).toBe('10');
    expect(parseThreadId('1')).toEqual({ kind: 'one', hart: 0 });
    expect(parseThreadId('0')).toEqual({ kind: 'any' });
    expect(parseThreadId('-1')).toEqual({ kind: 'all' });
    expect(parseThreadId('p1.2')).toEqual({ kind: 'one', hart: 1 });
    expect(parseThreadId('p1.-1')).toEqual({ kind: 'all' });
    expect(parseThreadId('p2.1')).toEqual({ kind: 'one', hart: -1 });
    expect(parseThreadId('p1')).toEqual({ kind: 'all' });
    expect(parseThreadId('')).toBeUndefined();
    expect(parseThreadId('-2')).toBeUndefined();
    expect(parseThreadId('p.1')).toBeUndefined();
  });
});
