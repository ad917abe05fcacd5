// Split virtqueues over guest RAM: descriptor chains, indirect tables, index wrap-around,
// event-index notification suppression, dirty marking, and bad rings that fault without throwing.
import { describe, expect, it } from 'vitest';
import { GuestRam } from '../../server/src/devices/virtio/dma';
import { DESC_F_INDIRECT, DESC_F_NEXT, DESC_F_WRITE, Virtqueue, type PopResult } from '../../server/src/devices/virtio/virtqueue';

const BASE = 0x8000_0000;
const RAM_SIZE = 0x10_0000;
const DESC = BASE + 0x1000;
const AVAIL = BASE + 0x2000;
const USED = BASE + 0x3000;

/** A queue of `size` entries in 1 MiB of fake RAM, with the driver's side written by hand. */
function setup(size = 8, options: { eventIndex?: boolean; indirect?: boolean } = {}) {
  const bytes = new Uint8Array(RAM_SIZE);
  const view = new DataView(bytes.buffer);
  const dirty: [number, number][] = [];
  const ram = new GuestRam({ bytes, base: BASE, markDirty: (at, length) => dirty.push([at, length]) });
  const queue = new Virtqueue(1024, ram);
  queue.setSize(size);
  queue.setAddresses({ desc: DESC, driver: AVAIL, device: USED });
  queue.ready = true;
  queue.eventIndex = options.eventIndex ?? false;
  queue.indirect = options.indirect ?? false;
  const at = (paddr: number) => paddr - BASE;
  let availIndex = 0;
  const driver = {
    bytes, view, dirty, queue, size,
    /** Writes descriptor `index` of the table at `table` (the ring's by default). */
    desc(index: number, addr: number | bigint, len: number, flags: number, next = 0, table = DESC) {
      const d = at(table) + 16 * index;
      view.setBigUint64(d, BigInt(addr), true);
      view.setUint32(d + 8, len, true);
      view.setUint16(d + 12, flags, true);
      view.setUint16(d + 14, next, true);
    },
    /** Makes head available and bumps avail.idx (wrapping at 2^16). */
    offer(head: number) {
      view.setUint16(at(AVAIL) + 4 + 2 * (availIndex % size), head, true);
      availIndex = (availIndex + 1) & 0xffff;
      view.setUint16(at(AVAIL) + 2, availIndex, true);
    },
    set availIndex(value: number) {
      availIndex = value;
      view.setUint16(at(AVAIL) + 2, value, true);
    },
    usedIndex: () => view.getUint16(at(USED) + 2, true),
    used: (slot: number) => ({ id: view.getUint32(at(USED) + 4 + 8 * slot, true), len: view.getUint32(at(USED) + 8 + 8 * slot, true) }),
    availEvent: () => view.getUint16(at(USED) + 4 + 8 * size, true),
    setUsedEvent: (value: number) => view.setUint16(at(AVAIL) + 4 + 2 * size, value, true),
    setAvailFlags: (value: number) => view.setUint16(at(AVAIL), value, true),
  };
  return driver;
}

function chainOf(result: PopResult) {
  if (result.kind !== 'chain') throw new Error(`expected a chain, got ${JSON.stringify(result)}`);
  return result.chain;
}

describe('virtqueue descriptor chains', () => {
  it('walks a chain of readable then writable buffers and copies through it', () => {
    const d = setup();
    d.bytes.set([1, 2, 3, 4], 0x10000);
    d.bytes.set([5, 6], 0x10100);
    d.desc(3, BASE + 0x10000, 4, DESC_F_NEXT, 5);
    d.desc(5, BASE + 0x10100, 2, DESC_F_NEXT, 0);
    d.desc(0, BASE + 0x20000, 3, DESC_F_WRITE | DESC_F_NEXT, 7);
    d.desc(7, BASE + 0x20100, 5, DESC_F_WRITE);
    d.offer(3);
    const chain = chainOf(d.queue.pop());
    expect(chain.head).toBe(3);
    expect(chain.readableLength).toBe(6);
    expect(chain.writableLength).toBe(8);
    expect([...chain.read(0, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...chain.read(3, 100)]).toEqual([4, 5, 6]); // clipped
    expect(chain.write(1, Uint8Array.of(9, 8, 7, 6, 5, 4, 3))).toBe(7);
    expect([...d.bytes.subarray(0x20000, 0x20003)]).toEqual([0, 9, 8]);
    expect([...d.bytes.subarray(0x20100, 0x20105)]).toEqual([7, 6, 5, 4, 3]);
    expect(d.dirty).toContainEqual([0x20001, 2]);
    expect(d.dirty).toContainEqual([0x20100, 5]);
    expect(d.queue.pop()).toEqual({ kind: 'empty' });
  });

  it('follows an indirect table when VIRTIO_F_INDIRECT_DESC is negotiated', () => {
    const d = setup(8, { indirect: true });
    const table = BASE + 0x8000;
    d.desc(0, BASE + 0x10000, 16, DESC_F_NEXT, 2, table);
    d.desc(2, BASE + 0x11000, 512, DESC_F_WRITE | DESC_F_NEXT, 1, table);
    d.desc(1, BASE + 0x12000, 1, DESC_F_WRITE, 0, table);
    // WRITE on the descriptor that points at the table is ignored (2.7.5.3.2).
    d.desc(4, table, 3 * 16, DESC_F_INDIRECT | DESC_F_WRITE);
    d.offer(4);
    const chain = chainOf(d.queue.pop());
    expect(chain.head).toBe(4);
    expect(chain.readable).toEqual([{ offset: 0x10000, length: 16 }]);
    expect(chain.writable).toEqual([{ offset: 0x11000, length: 512 }, { offset: 0x12000, length: 1 }]);
  });

  it('refuses indirect tables without the feature, nested, with NEXT, or of a partial descriptor', () => {
    const table = BASE + 0x8000;
    const cases: [string, (d: ReturnType<typeof setup>) => void, boolean][] = [
      ['not negotiated', (d) => d.desc(0, table, 16, DESC_F_INDIRECT), false],
      ['nested', (d) => { d.desc(0, table, 16, DESC_F_INDIRECT); d.desc(0, table, 16, DESC_F_INDIRECT, 0, table); }, true],
      ['with NEXT', (d) => { d.desc(0, table, 16, DESC_F_INDIRECT | DESC_F_NEXT, 1); d.desc(1, BASE, 4, 0); }, true],
      ['partial', (d) => d.desc(0, table, 20, DESC_F_INDIRECT), true],
      ['empty', (d) => d.desc(0, table, 0, DESC_F_INDIRECT), true],
      ['outside RAM', (d) => d.desc(0, BASE + RAM_SIZE - 8, 16, DESC_F_INDIRECT), true],
    ];
    for (const [name, write, indirect] of cases) {
      const d = setup(8, { indirect });
      d.desc(0, BASE + 0x10000, 16, 0, 0, table);
      write(d);
      d.offer(0);
      const result = d.queue.pop();
      expect(result.kind, name).toBe('error');
      expect(d.queue.fault, name).toBeDefined();
    }
  });

  it('wraps the ring positions and the 16-bit indices', () => {
    const d = setup(4);
    // Start both indices just below 2^16, as after a long run: set the device's side by state.
    const state = d.queue.saveState();
    d.queue.loadState({ ...state, lastAvailIndex: 0xfffe, usedIndex: 0xfffe, signalledUsedIndex: 0xfffe });
    d.availIndex = 0xfffe;
    for (let i = 0; i < 4; i++) d.desc(i, BASE + 0x10000 + 0x100 * i, 8, DESC_F_WRITE);
    const heads = [2, 0, 3, 1, 2, 0];
    const seen: number[] = [];
    for (const head of heads) {
      d.offer(head);
      const chain = chainOf(d.queue.pop());
      seen.push(chain.head);
      d.queue.push(chain.head, 8);
    }
    expect(seen).toEqual(heads);
    expect(d.usedIndex()).toBe(4); // 0xfffe + 6, wrapped
    // Used entries land at index % size: 0xfffe % 4 = 2, 3, 0, 1, 2, 3.
    expect(d.used(2)).toEqual({ id: 2, len: 8 });
    expect(d.used(3)).toEqual({ id: 0, len: 8 });
    expect(d.used(1)).toEqual({ id: 1, len: 8 });
  });
});

describe('virtqueue notifications', () => {
  it('interrupts after pushes unless the driver set VIRTQ_AVAIL_F_NO_INTERRUPT', () => {
    const d = setup();
    d.desc(0, BASE + 0x10000, 4, DESC_F_WRITE);
    expect(d.queue.takeNotification()).toBe(false); // nothing pushed yet
    d.offer(0);
    d.queue.push(chainOf(d.queue.pop()).head, 4);
    expect(d.queue.takeNotification()).toBe(true);
    expect(d.queue.takeNotification()).toBe(false); // already told
    d.setAvailFlags(1);
    d.offer(0);
    d.queue.push(chainOf(d.queue.pop()).head, 4);
    expect(d.queue.takeNotification()).toBe(false);
  });

  it('with event index, interrupts only when used_event is crossed, and publishes avail_event', () => {
    const d = setup(8, { eventIndex: true });
    d.desc(0, BASE + 0x10000, 4, DESC_F_WRITE);
    const complete = () => {
      d.offer(0);
      d.queue.push(chainOf(d.queue.pop()).head, 4);
    };
    d.setAvailFlags(1); // ignored under event index
    d.setUsedEvent(0); // wants to hear when used.idx passes 0
    complete();
    expect(d.availEvent()).toBe(1);
    expect(d.queue.takeNotification()).toBe(true);
    d.setUsedEvent(2); // not before entry 2 is used
    complete(); // used.idx 2: entry 1 used
    expect(d.queue.takeNotification()).toBe(false);
    complete(); // used.idx 3: entry 2 used
    expect(d.queue.takeNotification()).toBe(true);
    // Several completions between decisions: notified if used_event lies among them.
    d.setUsedEvent(4);
    complete();
    complete();
    complete(); // used.idx 3 → 6 covers entry 4
    expect(d.queue.takeNotification()).toBe(true);
    expect(d.availEvent()).toBe(6);
  });
});

describe('virtqueue faults (never a throw, never memory outside RAM)', () => {
  const bad: [string, (d: ReturnType<typeof setup>) => void][] = [
    ['descriptor table outside RAM', (d) => d.queue.setAddresses({ desc: BASE + RAM_SIZE - 16 })],
    ['used ring below RAM', (d) => d.queue.setAddresses({ device: 0x1000 })],
    ['avail ring at a 64-bit address', (d) => d.queue.setAddresses({ driver: GuestRam.address(0x2000, 0xffff_ffff) })],
    ['size not a power of two', (d) => d.queue.setSize(6)],
    ['size above the maximum', (d) => d.queue.setSize(2048)],
    ['buffer beyond RAM', (d) => d.desc(0, BASE + RAM_SIZE - 4, 8, 0)],
    ['buffer at 2^64 - 4', (d) => d.desc(0, 0xffff_ffff_ffff_fffcn, 8, 0)],
    ['buffer below RAM', (d) => d.desc(0, 0x1000_0000, 8, DESC_F_WRITE)],
    ['link beyond the table', (d) => d.desc(0, BASE + 0x10000, 8, DESC_F_NEXT, 9)],
    ['a loop', (d) => { d.desc(0, BASE + 0x10000, 8, DESC_F_NEXT, 1); d.desc(1, BASE + 0x10000, 8, DESC_F_NEXT, 0); }],
    ['readable after writable', (d) => { d.desc(0, BASE + 0x10000, 8, DESC_F_WRITE | DESC_F_NEXT, 1); d.desc(1, BASE + 0x10000, 8, 0); }],
  ];
  for (const [name, spoil] of bad) {
    it(`faults on ${name}`, () => {
      const d = setup();
      d.desc(0, BASE + 0x10000, 8, 0);
      spoil(d);
      d.offer(0);
      const before = d.bytes.slice();
      let result: PopResult | undefined;
      expect(() => { result = d.queue.pop(); }).not.toThrow();
      expect(result?.kind).toBe('error');
      expect(d.queue.fault).toMatch(/./);
      // Faulted for good: nothing more is taken, and push writes nothing.
      expect(d.queue.pop().kind).toBe('error');
      expect(() => d.queue.push(0, 8)).not.toThrow();
      expect(Buffer.from(d.bytes).equals(before)).toBe(true);
      d.queue.reset();
      expect(d.queue.fault).toBeUndefined();
    });
  }

  it('faults when avail.idx runs more than the queue size ahead', () => {
    const d = setup(4);
    d.availIndex = 5;
    expect(d.queue.pop()).toMatchObject({ kind: 'error' });
  });

  it('faults on a head index beyond the queue', () => {
    const d = setup(4);
    d.offer(4);
    expect(d.queue.pop()).toMatchObject({ kind: 'error', reason: expect.stringMatching(/head descriptor 4/) });
  });

  it('marks the used ring dirty when it pushes', () => {
    const d = setup();
    d.desc(0, BASE + 0x10000, 4, DESC_F_WRITE);
    d.offer(0);
    d.queue.push(chainOf(d.queue.pop()).head, 4);
    expect(d.dirty).toContainEqual([0x3004, 4]); // used.ring[0].id
    expect(d.dirty).toContainEqual([0x3002, 2]); // used.idx
  });
});
