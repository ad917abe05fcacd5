// The debuggers' page walks (server/src/debug/page-walk.ts) over page tables built in a byte
// array: Sv39/Sv48/Sv32 leaves at every level, each way a walk fails as the core's MMU fails it,
// and `info mem`'s merged ranges, including QEMU's run break at every new table.
import { describe, expect, it } from 'vitest';
import { mappings, pagingMode, pteFlagNames, walk, type ReadPhysical } from '../../server/src/debug/page-walk';

const RAM = 0x8000_0000n;
const V = 0x01n, R = 0x02n, W = 0x04n, X = 0x08n, U = 0x10n, G = 0x20n, A = 0x40n, D = 0x80n;

/** 1 MiB of "RAM" at 0x80000000 and PTE writers for 4- or 8-byte entries. */
function memory(size = 1 << 20) {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const read: ReadPhysical = (addr, length) => {
    if (addr < RAM || addr >= RAM + BigInt(size)) return undefined;
    const at = Number(addr - RAM);
    return bytes.slice(at, Math.min(size, at + length));
  };
  return {
    read,
    pte64: (table: bigint, index: number, value: bigint) => view.setBigUint64(Number(table - RAM) + index * 8, value, true),
    pte32: (table: bigint, index: number, value: bigint) => view.setUint32(Number(table - RAM) + index * 4, Number(value), true),
  };
}

/** A PTE for physical address `pa` with `flags`. */
const pte = (pa: bigint, flags: bigint): bigint => ((pa >> 12n) << 10n) | flags;
const sv39 = (root: bigint): bigint => (8n << 60n) | (root >> 12n);
const sv48 = (root: bigint): bigint => (9n << 60n) | (root >> 12n);
const sv32 = (root: bigint): bigint => (1n << 31n) | (root >> 12n);

describe('walk', () => {
  it('translates through a gigapage (the minikernel\'s layout) in one level', () => {
    const m = memory();
    const root = RAM + 0x1000n;
    m.pte64(root, 2, pte(RAM, V | R | W | X | A | D));
    const w = walk(sv39(root), 0x8000_1234n, 64, m.read);
    expect(w.mode?.name).toBe('Sv39');
    expect(w.root).toBe(root);
    expect(w.steps).toEqual([{ level: 2, index: 2, pteAddress: root + 16n, pte: pte(RAM, V | R | W | X | A | D), kind: 'leaf' }]);
    expect(w.result).toEqual({ kind: 'mapped', paddr: 0x8000_1234n, level: 2, pageSize: 1n << 30n, pte: pte(RAM, V | R | W | X | A | D) });
  });

  it('translates through three levels to a 4 KiB page', () => {
    const m = memory();
    const [root, mid, leaf] = [RAM + 0x1000n, RAM + 0x2000n, RAM + 0x3000n];
    const vaddr = 0x4020_3456n; // VPN[2] = 1, VPN[1] = 1, VPN[0] = 3
    m.pte64(root, 1, pte(mid, V));
    m.pte64(mid, 1, pte(leaf, V));
    m.pte64(leaf, 3, pte(RAM + 0x7000n, V | R | A));
    const w = walk(sv39(root), vaddr, 64, m.read);
    expect(w.steps.map((s) => [s.level, s.index, s.kind])).toEqual([[2, 1, 'next'], [1, 1, 'next'], [0, 3, 'leaf']]);
    expect(w.result).toMatchObject({ kind: 'mapped', paddr: RAM + 0x7456n, level: 0, pageSize: 4096n });
  });

  it('translates through a 2 MiB megapage, keeping the offset within it', () => {
    const m = memory();
    const [root, mid] = [RAM + 0x1000n, RAM + 0x2000n];
    m.pte64(root, 0, pte(mid, V));
    m.pte64(mid, 5, pte(RAM + 0x20_0000n, V | R | W));
    const w = walk(sv39(root), 5n * 0x20_0000n + 0x1234n, 64, m.read);
    expect(w.result).toMatchObject({ kind: 'mapped', level: 1, pageSize: 0x20_0000n, paddr: RAM + 0x20_0000n + 0x1234n });
  });

  it('says where and why each malformed walk fails', () => {
    const m = memory();
    const [root, mid] = [RAM + 0x1000n, RAM + 0x2000n];
    const fault = (entry: bigint, vaddr = 0n, satp = sv39(root)) => {
      m.pte64(root, 0, entry);
      return walk(satp, vaddr, 64, m.read).result;
    };
    expect(fault(0n)).toEqual({ kind: 'fault', fault: 'page', reason: 'level 2: invalid PTE (V=0)' });
    expect(fault(pte(0n, V | W))).toMatchObject({ fault: 'page', reason: expect.stringContaining('W=1 with R=0') });
    expect(fault(pte(0n, V | R) | (1n << 61n))).toMatchObject({ fault: 'page', reason: expect.stringContaining('reserved bits 63:54') });
    expect(fault(pte(mid, V | A))).toMatchObject({ fault: 'page', reason: expect.stringContaining('non-leaf PTE with D, A or U') });
    // A gigapage whose PPN is not a multiple of 2^18.
    expect(fault(pte(RAM + 0x20_0000n, V | R))).toMatchObject({ fault: 'page', reason: expect.stringContaining('misaligned superpage') });
    // Bits 63:39 must copy bit 38.
    expect(fault(pte(0n, V | R), 0x40_0000_0000n)).toMatchObject({ fault: 'page', reason: expect.stringContaining('not canonical') });
    // A next-level table outside memory: an access fault.
    expect(fault(pte(0x1000n, V))).toMatchObject({ fault: 'access', reason: 'level 1: the PTE address 0x1000 is not memory' });
    // A pointer at the last level.
    const l1 = RAM + 0x3000n;
    m.pte64(l1, 0, pte(RAM + 0x4000n, V));
    m.pte64(RAM + 0x4000n, 0, pte(RAM, V));
    expect(fault(pte(l1, V))).toMatchObject({ fault: 'page', reason: 'level 0: a pointer PTE where a leaf must be' });
  });

  it('does not translate with satp Bare, and rejects an unimplemented MODE', () => {
    expect(walk(0n, 0x1234n, 64, () => undefined).result).toEqual({ kind: 'bare', paddr: 0x1234n });
    expect(walk(11n << 60n, 0n, 64, () => undefined).result).toMatchObject({ kind: 'fault', reason: 'satp.MODE 11 is not implemented' });
    expect(pagingMode(0n, 32)).toBeUndefined();
    expect(pagingMode(sv32(0n), 32)).toMatchObject({ name: 'Sv32', levels: 2, pteSize: 4 });
  });

  it('walks Sv48 (four levels) and Sv32 (4 MiB megapages, 4 KiB pages, 34-bit physical addresses)', () => {
    const m = memory();
    const [root, l2, l1, l0] = [RAM + 0x1000n, RAM + 0x2000n, RAM + 0x3000n, RAM + 0x4000n];
    m.pte64(root, 0, pte(l2, V));
    m.pte64(l2, 0, pte(l1, V));
    m.pte64(l1, 0, pte(l0, V));
    m.pte64(l0, 1, pte(RAM + 0x9000n, V | R | X));
    expect(walk(sv48(root), 0x1abcn, 64, m.read).result).toMatchObject({ kind: 'mapped', paddr: RAM + 0x9abcn, level: 0 });

    const t = memory();
    const [root32, leaf32] = [RAM + 0x1000n, RAM + 0x2000n];
    t.pte32(root32, 0x200, pte(RAM, V | R | W | X));             // 0x80000000: a megapage
    t.pte32(root32, 0x001, pte(leaf32, V));                      // 0x00400000: a table
    t.pte32(leaf32, 2, pte(0x3_0000_0000n, V | R));              // 0x00402000 -> above 4 GiB
    expect(walk(sv32(root32), 0x8012_3456n, 32, t.read).result).toMatchObject({ kind: 'mapped', paddr: 0x8012_3456n, pageSize: 0x40_0000n });
    expect(walk(sv32(root32), 0x0040_2010n, 32, t.read).result).toMatchObject({ kind: 'mapped', paddr: 0x3_0000_0010n, level: 0 });
    t.pte32(root32, 0x201, pte(RAM + 0x1000n, V | R));           // a misaligned megapage
    expect(walk(sv32(root32), 0x8040_0000n, 32, t.read).result).toMatchObject({ fault: 'page', reason: expect.stringContaining('misaligned') });
  });

  it('names PTE flags in V R W X U G A D order', () => {
    expect(pteFlagNames(V | R | W | X | U | G | A | D)).toEqual(['V', 'R', 'W', 'X', 'U', 'G', 'A', 'D']);
    expect(pteFlagNames(V | X | A)).toEqual(['V', 'X', 'A']);
  });
});

describe('mappings (info mem)', () => {
  it('lists the minikernel\'s three gigapages, with a high one sign-extended', () => {
    const m = memory();
    const root = RAM + 0x1000n;
    m.pte64(root, 0, pte(0n, V | R | W | A | D));
    m.pte64(root, 2, pte(RAM, V | R | W | X | A | D));
    m.pte64(root, 4, pte(RAM, V | R | W | X | U | A | D));
    m.pte64(root, 511, pte(RAM, V | R | G));
    expect(mappings(sv39(root), 64, m.read)).toEqual([
      { vaddr: 0n, paddr: 0n, size: 1n << 30n, attributes: 0xc7 },
      { vaddr: 0x8000_0000n, paddr: RAM, size: 1n << 30n, attributes: 0xcf },
      { vaddr: 0x1_0000_0000n, paddr: RAM, size: 1n << 30n, attributes: 0xdf },
      { vaddr: 0xffff_ffff_c000_0000n, paddr: RAM, size: 1n << 30n, attributes: 0x23 },
    ]);
  });

  it('merges contiguous leaves with the same bits within a table, as QEMU does, and never across tables', () => {
    const m = memory();
    const [root, mid, leafA, leafB] = [RAM + 0x1000n, RAM + 0x2000n, RAM + 0x3000n, RAM + 0x4000n];
    m.pte64(root, 0, pte(mid, V));
    m.pte64(mid, 0, pte(leafA, V));
    m.pte64(mid, 1, pte(leafB, V));
    const flags = V | R | W | A | D;
    // Virtual 0x0000-0x2fff -> physical RAM+0x10000..: three pages, one run.
    for (let i = 0; i < 3; i++) m.pte64(leafA, i, pte(RAM + 0x10000n + BigInt(i) * 0x1000n, flags));
    // A different attribute breaks the run; a physical gap breaks it too.
    m.pte64(leafA, 3, pte(RAM + 0x13000n, flags | X));
    m.pte64(leafA, 4, pte(RAM + 0x20000n, flags | X));
    // The last page of table A and the first of table B continue each other, yet QEMU starts a new line.
    m.pte64(leafA, 511, pte(RAM + 0x40000n, flags));
    m.pte64(leafB, 0, pte(RAM + 0x41000n, flags));
    expect(mappings(sv39(root), 64, m.read)).toEqual([
      { vaddr: 0n, paddr: RAM + 0x10000n, size: 0x3000n, attributes: 0xc7 },
      { vaddr: 0x3000n, paddr: RAM + 0x13000n, size: 0x1000n, attributes: 0xcf },
      { vaddr: 0x4000n, paddr: RAM + 0x20000n, size: 0x1000n, attributes: 0xcf },
      { vaddr: 0x1ff000n, paddr: RAM + 0x40000n, size: 0x1000n, attributes: 0xc7 },
      { vaddr: 0x200000n, paddr: RAM + 0x41000n, size: 0x1000n, attributes: 0xc7 },
    ]);
  });

  it('is empty for Bare and lists Sv32 megapages with 32-bit sizes', () => {
    expect(mappings(0n, 64, () => undefined)).toEqual([]);
    const m = memory();
    const root = RAM + 0x1000n;
    m.pte32(root, 0x200, pte(RAM, V | R | W | X | A | D));
    m.pte32(root, 0x201, pte(RAM + 0x40_0000n, V | R | W | X | A | D));
    expect(mappings(sv32(root), 32, m.read)).toEqual([{ vaddr: 0x8000_0000n, paddr: RAM, size: 0x80_0000n, attributes: 0xcf }]);
  });
});
