// The gateway of `-netdev user` as a guest sees it: ARP for 10.0.2.2 and 10.0.2.3, ping to
// the gateway, a whole DHCP exchange with its options, and malformed frames dropped and counted.
import { describe, expect, it } from 'vitest';
import {
  ARP_REPLY, ARP_REQUEST, ETHERTYPE_ARP, ETHERTYPE_IPV4, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, PROTOCOL_ICMP, PROTOCOL_UDP,
  buildArp, buildEthernet, buildIcmpEcho, buildIpv4, buildUdp, formatIpv4, formatMac, ipv4, mac, parseArp, parseEthernet,
  parseIcmpEcho, parseIpv4, parseUdp, type Ipv4Address, type MacAddress,
} from '../../server/src/net/frames';
import { parseDhcp, type DhcpMessage } from '../../server/src/net/dhcp';
import { UserNetwork, type UserNetworkEvent } from '../../server/src/net/user-network';
import { xorshift32 } from '../support/random';

const GUEST_MAC = mac('52:54:00:12:34:56');
const GATEWAY = ipv4('10.0.2.2');

function unwrap<T>(parsed: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function network() {
  const sent: Uint8Array[] = [];
  const events: UserNetworkEvent[] = [];
  const net = new UserNetwork({ onEvent: (event) => events.push(event) });
  // The machine drains the network's queue after each guest frame; so does the test.
  const fromGuest = net.fromGuest.bind(net);
  net.fromGuest = (bytes) => {
    const disposition = fromGuest(bytes);
    for (let frame = net.takeFrame(); frame; frame = net.takeFrame()) sent.push(frame);
    return disposition;
  };
  return { net, sent, events };
}

const ethernet = (etherType: number, payload: Uint8Array, destination = mac('ff:ff:ff:ff:ff:ff'), source = GUEST_MAC) =>
  buildEthernet({ destination, source, etherType, payload });

function ipFrame(protocol: number, source: Ipv4Address, destination: Ipv4Address, payload: Uint8Array, destinationMac = mac('52:55:0a:00:02:02')) {
  return ethernet(ETHERTYPE_IPV4, buildIpv4({ identification: 1, timeToLive: 64, protocol, source, destination, payload }), destinationMac);
}

const arpWhoHas = (target: string) => ethernet(ETHERTYPE_ARP, buildArp({
  operation: ARP_REQUEST, senderMac: GUEST_MAC, senderIp: ipv4('10.0.2.15'), targetMac: new Uint8Array(6), targetIp: ipv4(target),
}));

/** A client message laid out by hand from RFC 2131 figure 1, independent of the server's builder. */
function dhcpClient(type: number, transactionId: number, options: number[] = [], flags = 0, clientMac: MacAddress = GUEST_MAC, clientAddress = 0) {
  const bytes = new Uint8Array(300);
  const data = new DataView(bytes.buffer);
  bytes.set([1, 1, 6, 0]); // BOOTREQUEST, Ethernet, hlen 6, hops 0
  data.setUint32(4, transactionId);
  data.setUint16(10, flags);
  data.setUint32(12, clientAddress);
  bytes.set(clientMac, 28);
  bytes.set([99, 130, 83, 99, 53, 1, type, ...options, 255], 236);
  const source = clientAddress, destination = clientAddress ? GATEWAY : 0xffff_ffff;
  const udp = buildUdp({ sourcePort: 68, destinationPort: 67, payload: bytes }, source, destination);
  return ethernet(ETHERTYPE_IPV4, buildIpv4({ identification: 0, timeToLive: 64, protocol: PROTOCOL_UDP, source, destination, payload: udp }), mac('ff:ff:ff:ff:ff:ff'), clientMac);
}

/** What a reply to the guest carries, every layer parsed and checked. */
function dhcpReply(frame: Uint8Array) {
  const eth = unwrap(parseEthernet(frame));
  const ip = unwrap(parseIpv4(eth.payload));
  const udp = unwrap(parseUdp(ip.payload, ip.source, ip.destination));
  expect(udp).toMatchObject({ sourcePort: 67, destinationPort: 68 });
  return { eth, ip, dhcp: unwrap(parseDhcp(udp.payload)) };
}

const option = (message: DhcpMessage, code: number) => Array.from(message.options.get(code) ?? []);

describe('user network: ARP', () => {
  it('answers who-has 10.0.2.2 with the gateway MAC, and 10.0.2.3 with the DNS one', () => {
    const { net, sent } = network();
    expect(net.fromGuest(arpWhoHas('10.0.2.2'))).toEqual({ kind: 'handled' });
    expect(net.fromGuest(arpWhoHas('10.0.2.3'))).toEqual({ kind: 'handled' });
    expect(sent).toHaveLength(2);
    const [gateway, dns] = sent.map((frame) => unwrap(parseEthernet(frame)));
    expect(formatMac(gateway.destination)).toBe('52:54:00:12:34:56');
    expect(formatMac(gateway.source)).toBe('52:55:0a:00:02:02');
    const reply = unwrap(parseArp(gateway.payload));
    expect(reply.operation).toBe(ARP_REPLY);
    expect(formatMac(reply.senderMac)).toBe('52:55:0a:00:02:02');
    expect(formatIpv4(reply.senderIp)).toBe('10.0.2.2');
    expect(formatMac(reply.targetMac)).toBe('52:54:00:12:34:56');
    expect(formatIpv4(reply.targetIp)).toBe('10.0.2.15');
    expect(formatMac(unwrap(parseArp(dns.payload)).senderMac)).toBe('52:55:0a:00:02:03');
  });

  it('stays silent for other addresses', () => {
    const { net, sent } = network();
    expect(net.fromGuest(arpWhoHas('10.0.2.99')).kind).toBe('ignored');
    expect(net.fromGuest(arpWhoHas('10.0.2.15')).kind).toBe('ignored');
    expect(sent).toHaveLength(0);
    expect(net.stats).toMatchObject({ received: 2, ignored: 2, dropped: 0, sent: 0 });
  });
});

describe('user network: ICMP', () => {
  it('answers a ping to the gateway with the same id, sequence and payload', () => {
    const { net, sent } = network();
    const data = Uint8Array.from({ length: 56 }, (_, i) => i);
    const echo = buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: 0x4d2, sequence: 7, data });
    net.fromGuest(ipFrame(PROTOCOL_ICMP, ipv4('10.0.2.15'), GATEWAY, echo));
    expect(sent).toHaveLength(1);
    const eth = unwrap(parseEthernet(sent[0]));
    expect(formatMac(eth.destination)).toBe('52:54:00:12:34:56');
    const ip = unwrap(parseIpv4(eth.payload));
    expect(formatIpv4(ip.source)).toBe('10.0.2.2');
    expect(formatIpv4(ip.destination)).toBe('10.0.2.15');
    const reply = unwrap(parseIcmpEcho(ip.payload));
    expect(reply).toMatchObject({ type: ICMP_ECHO_REPLY, identifier: 0x4d2, sequence: 7 });
    expect(Array.from(reply.data)).toEqual(Array.from(data));
  });

  it('drops an echo with a bad checksum and ignores pings beyond the gateway', () => {
    const { net, sent } = network();
    const echo = buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: 1, sequence: 1, data: new Uint8Array(8) });
    expect(net.fromGuest(ipFrame(PROTOCOL_ICMP, ipv4('10.0.2.15'), ipv4('8.8.8.8'), echo)).kind).toBe('ignored');
    echo[10] = 1;
    expect(net.fromGuest(ipFrame(PROTOCOL_ICMP, ipv4('10.0.2.15'), GATEWAY, echo)).kind).toBe('dropped');
    expect(sent).toHaveLength(0);
  });
});

describe('user network: DHCP', () => {
  // Options the client asks for (55): subnet mask, router, DNS.
  const parameterRequest = [55, 3, 1, 3, 6];

  it('runs DISCOVER, OFFER, REQUEST, ACK with QEMU\'s addresses', () => {
    const { net, sent, events } = network();
    net.fromGuest(dhcpClient(1, 0xcafe0001, parameterRequest));
    expect(sent).toHaveLength(1);
    const offer = dhcpReply(sent[0]);
    // Broadcast flag clear: unicast to the offered address at the client's MAC (RFC 2131 §4.1).
    expect(formatMac(offer.eth.destination)).toBe('52:54:00:12:34:56');
    expect(formatIpv4(offer.ip.source)).toBe('10.0.2.2');
    expect(formatIpv4(offer.ip.destination)).toBe('10.0.2.15');
    expect(offer.dhcp).toMatchObject({ op: 2, transactionId: 0xcafe0001, messageType: 2, clientAddress: 0 });
    expect(formatIpv4(offer.dhcp.yourAddress)).toBe('10.0.2.15');
    expect(formatIpv4(offer.dhcp.serverAddress)).toBe('10.0.2.2');
    expect(formatMac(offer.dhcp.clientMac)).toBe('52:54:00:12:34:56');
    expect(option(offer.dhcp, 54)).toEqual([10, 0, 2, 2]);

    // Requested address (50) as offered, server identifier (54) as the offer named it.
    net.fromGuest(dhcpClient(3, 0xcafe0002, [50, 4, 10, 0, 2, 15, 54, 4, 10, 0, 2, 2, ...parameterRequest]));
    expect(sent).toHaveLength(2);
    const ack = dhcpReply(sent[1]);
    expect(ack.dhcp).toMatchObject({ transactionId: 0xcafe0002, messageType: 5 });
    expect(formatIpv4(ack.dhcp.yourAddress)).toBe('10.0.2.15');
    expect(option(ack.dhcp, 1)).toEqual([255, 255, 255, 0]);
    expect(option(ack.dhcp, 3)).toEqual([10, 0, 2, 2]);
    expect(option(ack.dhcp, 6)).toEqual([10, 0, 2, 3]);
    expect(option(ack.dhcp, 51)).toEqual([0, 1, 0x51, 0x80]); // 86400 s
    expect(option(ack.dhcp, 54)).toEqual([10, 0, 2, 2]);
    expect(formatIpv4(net.leaseOf(GUEST_MAC)!)).toBe('10.0.2.15');
    expect(events).toContainEqual({ kind: 'lease', mac: '52:54:00:12:34:56', address: ipv4('10.0.2.15') });
    expect(net.stats).toMatchObject({ received: 2, handled: 2, sent: 2, dropped: 0 });
  });

  it('broadcasts to a client that sets the broadcast flag, and gives a second client the next address', () => {
    const { net, sent } = network();
    net.fromGuest(dhcpClient(1, 1, [], 0x8000));
    const offer = dhcpReply(sent[0]);
    expect(formatMac(offer.eth.destination)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatIpv4(offer.ip.destination)).toBe('255.255.255.255');
    net.fromGuest(dhcpClient(1, 2, [], 0, mac('52:54:00:00:00:02')));
    expect(formatIpv4(dhcpReply(sent[1]).dhcp.yourAddress)).toBe('10.0.2.16');
  });

  it('NAKs a request for another address, ignores one for another server, ACKs an INFORM without a lease', () => {
    const { net, sent } = network();
    net.fromGuest(dhcpClient(3, 5, [50, 4, 10, 0, 2, 99]));
    const nak = dhcpReply(sent[0]);
    expect(nak.dhcp.messageType).toBe(6);
    expect(formatIpv4(nak.ip.destination)).toBe('255.255.255.255');
    expect(net.fromGuest(dhcpClient(3, 6, [50, 4, 10, 0, 2, 15, 54, 4, 192, 168, 1, 1])).kind).toBe('ignored');
    expect(sent).toHaveLength(1);
    net.fromGuest(dhcpClient(8, 7, [], 0, GUEST_MAC, ipv4('10.0.2.15')));
    const ack = dhcpReply(sent[1]);
    expect(ack.dhcp.messageType).toBe(5);
    expect(ack.dhcp.yourAddress).toBe(0);
    expect(formatIpv4(ack.ip.destination)).toBe('10.0.2.15');
    expect(ack.dhcp.options.has(51)).toBe(false);
    expect(option(ack.dhcp, 6)).toEqual([10, 0, 2, 3]);
  });
});

describe('user network: state', () => {
  it('saves and restores its DHCP bindings, so a restored network gives a new client the next address', () => {
    const { net, sent } = network();
    net.fromGuest(dhcpClient(1, 1));
    net.fromGuest(dhcpClient(3, 2, [50, 4, 10, 0, 2, 15, 54, 4, 10, 0, 2, 2]));
    const state = JSON.parse(JSON.stringify(net.saveState())) as ReturnType<UserNetwork['saveState']>;
    expect(state).toMatchObject({ name: 'user-network', version: 1, leases: [['52:54:00:12:34:56', ipv4('10.0.2.15')]] });

    const restored = network();
    restored.net.loadState(state);
    expect(formatIpv4(restored.net.leaseOf(GUEST_MAC)!)).toBe('10.0.2.15');
    expect(restored.net.stats).toEqual(net.stats);
    restored.net.fromGuest(dhcpClient(1, 3, [], 0, mac('52:54:00:00:00:02')));
    net.fromGuest(dhcpClient(1, 3, [], 0, mac('52:54:00:00:00:02')));
    // The same frame, IP identification included, as the network that never stopped.
    expect(restored.sent[0]).toEqual(sent[2]);
    expect(formatIpv4(dhcpReply(restored.sent[0]).dhcp.yourAddress)).toBe('10.0.2.16');
    expect(() => restored.net.loadState({ ...state, version: 2 as 1 })).toThrow(/cannot load user-network v2/);
  });
});

describe('user network: malformed frames', () => {
  /** Seeded integers below `limit`: a fixed seed keeps the run reproducible. */
  function random(seed: number) {
    const next = xorshift32(seed);
    return (limit: number) => next() % limit;
  }

  it('drops and counts 1,000 random and mutated frames without throwing', () => {
    const { net, sent } = network();
    const next = random(0x1a9e7e5);
    const valid = [
      arpWhoHas('10.0.2.2'),
      ipFrame(PROTOCOL_ICMP, ipv4('10.0.2.15'), GATEWAY, buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: 1, sequence: 2, data: new Uint8Array(40) })),
      dhcpClient(1, 9, [55, 3, 1, 3, 6]),
      dhcpClient(3, 9, [50, 4, 10, 0, 2, 15]),
    ];
    for (let i = 0; i < 1000; i++) {
      let frame: Uint8Array;
      let malformed = true;
      switch (i % 4) {
        case 0: { // noise behind a plausible header: IPv4 or ARP to the gateway
          frame = Uint8Array.from({ length: 14 + next(600) }, () => next(256));
          frame.set(mac('52:55:0a:00:02:02'), 0);
          frame.set(i % 8 === 0 ? [0x08, 0x00] : [0x08, 0x06], 12);
          break;
        }
        case 1: { // a valid frame with its IPv4 header or ARP body corrupted past repair
          const base = valid[next(valid.length)];
          frame = base.slice();
          const ip = (frame[12] << 8 | frame[13]) === ETHERTYPE_IPV4;
          if (ip) frame[14 + 10 + next(2)] ^= 1 + next(255); // the header checksum no longer matches
          else frame[14 + next(6)] ^= 1 + next(255); // hardware/protocol types, lengths or operation
          break;
        }
        case 2: { // truncated anywhere inside its headers
          const base = valid[next(valid.length)];
          frame = base.slice(0, next(34));
          break;
        }
        default: { // random bytes flipped anywhere: anything may happen, but nothing may throw
          malformed = false;
          frame = valid[next(valid.length)].slice();
          for (let flips = 1 + next(4); flips > 0; flips--) frame[next(frame.length)] = next(256);
        }
      }
      let kind = '';
      expect(() => { kind = net.fromGuest(frame).kind; }).not.toThrow();
      if (malformed) expect(kind, `frame ${i}`).toBe('dropped');
    }
    const { received, handled, dropped, ignored } = net.stats;
    expect(received).toBe(1000);
    expect(handled + dropped + ignored).toBe(1000);
    expect(dropped).toBeGreaterThanOrEqual(750);
    // Whatever did get answered is itself well-formed.
    for (const frame of sent) {
      const eth = unwrap(parseEthernet(frame));
      if (eth.etherType === ETHERTYPE_IPV4) unwrap(parseIpv4(eth.payload));
      else unwrap(parseArp(eth.payload));
    }
  });
});

describe('user network: a guest that sends without reading', () => {
  it('queues at most 16,384 frames for it and counts the rest as overflowed', () => {
    const net = new UserNetwork({});
    const ping = ipFrame(PROTOCOL_ICMP, ipv4('10.0.2.15'), ipv4('10.0.2.2'), buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: 7, sequence: 1, data: new Uint8Array(56) }));
    for (let i = 0; i < 20_000; i++) net.fromGuest(ping);
    expect(net.stats).toMatchObject({ received: 20_000, handled: 20_000, sent: 16_384, overflowed: 3_616 });
    let queued = 0;
    for (let frame = net.takeFrame(); frame; frame = net.takeFrame()) queued++;
    expect(queued).toBe(16_384);
    // Once the guest takes its frames, answers flow again.
    net.fromGuest(ping);
    expect(net.peekFrame()).toBeDefined();
    expect(net.stats.overflowed).toBe(3_616);
    net.close();
  });
});
