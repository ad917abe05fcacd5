// Wire formats of the user-mode network: checksums against RFC examples and an independent
// reference, round trips of every builder through its parser, and refusals of malformed input.
import { describe, expect, it } from 'vitest';
import {
  ARP_REQUEST, ETHERTYPE_ARP, ETHERTYPE_IPV4, ICMP_ECHO_REQUEST, PROTOCOL_UDP, buildArp, buildEthernet, buildIcmpEcho,
  buildIpv4, buildUdp, formatIpv4, formatMac, internetChecksum, ipv4, mac, onesComplementSum, parseArp, parseEthernet,
  parseIcmpEcho, parseIpv4, parseUdp,
} from '../../server/src/net/frames';
import { MessageType, Option, buildDhcp, parseDhcp } from '../../server/src/net/dhcp';

const hex = (text: string) => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!, (pair) => parseInt(pair, 16));

/** RFC 1071 done the long way: 32-bit words summed as plain integers, folded once at the end by mod 0xffff. */
function referenceChecksum(...parts: Uint8Array[]): number {
  const bytes = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += bytes[i] * 256 + (i + 1 < bytes.length ? bytes[i + 1] : 0);
  const folded = sum === 0 ? 0 : sum % 0xffff || 0xffff;
  return 0xffff - folded;
}

function unwrap<T>(parsed: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('Internet checksum', () => {
  it('matches the worked example of RFC 1071 §3', () => {
    const bytes = hex('0001 f203 f4f5 f6f7');
    expect(onesComplementSum(bytes)).toBe(0xddf2);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('agrees with the reference on odd lengths and carries', () => {
    for (const text of ['ff', 'ffff ffff ff', '0102 0304 05', '8000 8000 8000 8000 01']) {
      expect(internetChecksum(hex(text))).toBe(referenceChecksum(hex(text)));
    }
  });
});

describe('IPv4', () => {
  // The classic example header (checksum 0xb861): 192.168.0.1 to 192.168.0.199, UDP, DF, TTL 64.
  const header = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');

  it('builds the example header byte for byte', () => {
    const built = buildIpv4({
      identification: 0, dontFragment: true, timeToLive: 64, protocol: PROTOCOL_UDP,
      source: ipv4('192.168.0.1'), destination: ipv4('192.168.0.199'), payload: new Uint8Array(0x73 - 20),
    });
    expect(Buffer.from(built.subarray(0, 20)).toString('hex')).toBe(Buffer.from(header).toString('hex'));
  });

  it('parses the example and cuts Ethernet padding off', () => {
    const packet = new Uint8Array(0x73 + 10);
    packet.set(header);
    const parsed = unwrap(parseIpv4(packet));
    expect(formatIpv4(parsed.source)).toBe('192.168.0.1');
    expect(formatIpv4(parsed.destination)).toBe('192.168.0.199');
    expect(parsed.dontFragment).toBe(true);
    expect(parsed.protocol).toBe(PROTOCOL_UDP);
    expect(parsed.payload.length).toBe(0x73 - 20);
  });

  it('refuses bad versions, lengths and checksums', () => {
    const packet = new Uint8Array(0x73);
    packet.set(header);
    const corrupt = (offset: number, value: number) => {
      const copy = packet.slice();
      copy[offset] = value;
      return parseIpv4(copy);
    };
    expect(corrupt(0, 0x65)).toMatchObject({ ok: false, reason: expect.stringContaining('version') });
    expect(corrupt(0, 0x44)).toMatchObject({ ok: false, reason: expect.stringContaining('header length') });
    expect(corrupt(3, 0x74)).toMatchObject({ ok: false, reason: expect.stringContaining('beyond') });
    expect(corrupt(3, 0x10)).toMatchObject({ ok: false, reason: expect.stringContaining('shorter') });
    expect(corrupt(11, 0x62)).toMatchObject({ ok: false, reason: expect.stringContaining('checksum') });
    expect(parseIpv4(packet.subarray(0, 19)).ok).toBe(false);
  });

  it('keeps options on parse and checks them in the checksum', () => {
    const withOptions = hex('4600 0018 0001 0000 4001 0000 0a00 020f 0a00 0202 0101 0100');
    withOptions.set([internetChecksum(withOptions.subarray(0, 24)) >> 8, internetChecksum(withOptions.subarray(0, 24)) & 0xff], 10);
    const parsed = unwrap(parseIpv4(withOptions));
    expect(Array.from(parsed.options)).toEqual([1, 1, 1, 0]);
    expect(parsed.payload.length).toBe(0);
  });
});

describe('Ethernet and ARP', () => {
  it('round-trips a who-has, padded to the minimum frame', () => {
    const arp = { operation: ARP_REQUEST, senderMac: mac('52:54:00:12:34:56'), senderIp: ipv4('10.0.2.15'), targetMac: new Uint8Array(6), targetIp: ipv4('10.0.2.2') } as const;
    const frame = buildEthernet({ destination: mac('ff:ff:ff:ff:ff:ff'), source: arp.senderMac, etherType: ETHERTYPE_ARP, payload: buildArp(arp) });
    expect(frame.length).toBe(60);
    const ethernet = unwrap(parseEthernet(frame));
    expect(ethernet.etherType).toBe(ETHERTYPE_ARP);
    expect(formatMac(ethernet.source)).toBe('52:54:00:12:34:56');
    const parsed = unwrap(parseArp(ethernet.payload));
    expect(parsed.operation).toBe(ARP_REQUEST);
    expect(formatIpv4(parsed.senderIp)).toBe('10.0.2.15');
    expect(formatIpv4(parsed.targetIp)).toBe('10.0.2.2');
  });

  it('refuses short frames, 802.3 lengths and ARP for other protocols', () => {
    expect(parseEthernet(new Uint8Array(13)).ok).toBe(false);
    expect(parseEthernet(new Uint8Array(1515)).ok).toBe(false);
    expect(parseEthernet(hex('ffffffffffff 525400123456 05dc')).ok).toBe(false);
    expect(parseArp(hex('0001 86dd 0604 0001')).ok).toBe(false);
    const arp = buildArp({ operation: ARP_REQUEST, senderMac: new Uint8Array(6), senderIp: 0, targetMac: new Uint8Array(6), targetIp: 0 });
    arp[7] = 3;
    expect(parseArp(arp).ok).toBe(false);
  });
});

describe('ICMP echo', () => {
  it('round-trips and checks the checksum against the reference', () => {
    const data = new TextEncoder().encode('abcdefghijklmnopqrstuvwabcdefghi'); // what Windows ping sends
    const built = buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: 0x0001, sequence: 0x0021, data });
    const zeroed = built.slice();
    zeroed[2] = zeroed[3] = 0;
    expect((built[2] << 8) | built[3]).toBe(referenceChecksum(zeroed));
    const parsed = unwrap(parseIcmpEcho(built));
    expect(parsed).toMatchObject({ type: ICMP_ECHO_REQUEST, identifier: 1, sequence: 0x21 });
    expect(Buffer.from(parsed.data).toString()).toBe('abcdefghijklmnopqrstuvwabcdefghi');
    built[9] ^= 1;
    expect(parseIcmpEcho(built)).toMatchObject({ ok: false, reason: expect.stringContaining('checksum') });
  });
});

describe('UDP', () => {
  const source = ipv4('10.0.2.15'), destination = ipv4('10.0.2.2');

  it('computes the pseudo-header checksum as the reference does', () => {
    for (const length of [0, 1, 2, 17, 512]) {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      const built = buildUdp({ sourcePort: 40000, destinationPort: 53, payload }, source, destination);
      const pseudo = hex(`0a00020f 0a000202 00 11 ${built.length.toString(16).padStart(4, '0')}`);
      const zeroed = built.slice();
      zeroed[6] = zeroed[7] = 0;
      expect((built[6] << 8) | built[7]).toBe(referenceChecksum(pseudo, zeroed) || 0xffff);
      const parsed = unwrap(parseUdp(built, source, destination));
      expect(parsed).toMatchObject({ sourcePort: 40000, destinationPort: 53 });
      expect(Array.from(parsed.payload)).toEqual(Array.from(payload));
    }
  });

  it('accepts a zero checksum and refuses a wrong one or wrong addresses', () => {
    const built = buildUdp({ sourcePort: 1, destinationPort: 2, payload: hex('0102') }, source, destination);
    expect(parseUdp(built, source, ipv4('10.0.2.3')).ok).toBe(false);
    built[8] ^= 0xff;
    expect(parseUdp(built, source, destination)).toMatchObject({ ok: false, reason: expect.stringContaining('checksum') });
    built[6] = built[7] = 0;
    expect(parseUdp(built, source, destination).ok).toBe(true);
    built[5] = 7;
    expect(parseUdp(built, source, destination).ok).toBe(false);
    built[5] = 11;
    expect(parseUdp(built, source, destination).ok).toBe(false);
  });

  it('round-trips inside IPv4 inside Ethernet', () => {
    const udp = buildUdp({ sourcePort: 68, destinationPort: 67, payload: hex('deadbeef') }, 0, 0xffff_ffff);
    const ip = buildIpv4({ identification: 7, timeToLive: 64, protocol: PROTOCOL_UDP, source: 0, destination: 0xffff_ffff, payload: udp });
    const frame = buildEthernet({ destination: mac('ff:ff:ff:ff:ff:ff'), source: mac('52:54:00:12:34:56'), etherType: ETHERTYPE_IPV4, payload: ip });
    const packet = unwrap(parseIpv4(unwrap(parseEthernet(frame)).payload));
    const datagram = unwrap(parseUdp(packet.payload, packet.source, packet.destination));
    expect(Buffer.from(datagram.payload).toString('hex')).toBe('deadbeef');
  });
});

describe('DHCP messages', () => {
  it('round-trips a reply and refuses options that run past the end', () => {
    const built = buildDhcp({
      transactionId: 0x12345678, flags: 0, clientAddress: 0, yourAddress: ipv4('10.0.2.15'), serverAddress: ipv4('10.0.2.2'),
      relayAddress: 0, clientMac: mac('52:54:00:12:34:56'), messageType: MessageType.offer,
      options: [[Option.subnetMask, hex('ffffff00')]],
    });
    expect(built.length).toBe(300);
    const parsed = unwrap(parseDhcp(built));
    expect(parsed).toMatchObject({ op: 2, transactionId: 0x12345678, messageType: MessageType.offer });
    expect(Array.from(parsed.options.get(Option.subnetMask)!)).toEqual([255, 255, 255, 0]);
    const cut = built.slice(0, 240 + 3 + 2);
    expect(parseDhcp(cut).ok).toBe(false);
    const noCookie = built.slice();
    noCookie[236] = 0;
    expect(parseDhcp(noCookie).ok).toBe(false);
  });
});
