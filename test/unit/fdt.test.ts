// The FDT builder and parser: round trips, header fields, block alignment, one copy of each
// property name, value encodings, rejected blobs, and Debian's dtc reading what we write.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeviceTree, encode, FDT_MAGIC, FdtError, FdtNode, parseFdt, readFdtHeader, serializeFdt } from '../../server/src/machine/fdt';

const haveDtc = spawnSync('dtc', ['--version'], { encoding: 'utf8' }).status === 0;

/** A small tree using every kind of value. */
function sampleTree(): DeviceTree {
  const tree = new DeviceTree();
  tree.bootCpuid = 1;
  tree.reservations.push({ address: 0x8000_0000n, size: 0x20_0000n }, { address: 0x1_2345_6789n, size: 0x1000n });
  tree.root.setU32('#address-cells', 2).setU32('#size-cells', 2).setString('compatible', 'riscv-virtio');
  const cpus = tree.root.addChild('cpus').setU32('#address-cells', 1).setU32('#size-cells', 0);
  cpus.addChild('cpu@0').setPhandle(1).setString('compatible', 'riscv').setU32('reg', 0)
    .addChild('interrupt-controller').setEmpty('interrupt-controller').setPhandle(2).setString('compatible', 'riscv,cpu-intc');
  const soc = tree.root.addChild('soc').setString('compatible', 'simple-bus').setEmpty('ranges');
  soc.addChild('test@100000').setU64('reg', 0x10_0000n, 0x1000n).setStrings('compatible', 'sifive,test1', 'sifive,test0', 'syscon');
  soc.addChild('blob@0').setBytes('data', Uint8Array.of(1, 2, 3, 4, 5)).setU32('interrupts-extended', 2, 11, 2, 9);
  tree.root.addChild('chosen').setString('bootargs', 'console=ttyS0 root=/dev/vda ro').setBytes('rng-seed', new Uint8Array(32).fill(7));
  return tree;
}

/** Nodes and properties as plain data, for deep comparison. */
function plain(node: FdtNode): unknown {
  return {
    name: node.name,
    properties: node.properties.map((property) => [property.name, Array.from(property.value)]),
    children: node.children.map(plain),
  };
}

function header(blob: Uint8Array): number[] {
  const view = new DataView(blob.buffer, blob.byteOffset);
  return Array.from({ length: 10 }, (_, i) => view.getUint32(4 * i));
}

describe('FDT builder and parser', () => {
  it('round-trips nodes, properties, reservations and the boot CPU', () => {
    const tree = sampleTree();
    const blob = serializeFdt(tree);
    const back = parseFdt(blob);
    expect(plain(back.root)).toEqual(plain(tree.root));
    expect(back.reservations).toEqual(tree.reservations);
    expect(back.bootCpuid).toBe(1);
    expect(serializeFdt(back)).toEqual(blob);
    expect(back.node('/soc/test@100000')?.getStrings('compatible')).toEqual(['sifive,test1', 'sifive,test0', 'syscon']);
    expect(back.node('/soc/test@100000')?.getU64s('reg')).toEqual([0x10_0000n, 0x1000n]);
    expect(back.node('/cpus/cpu@0/interrupt-controller')?.getU32('phandle')).toBe(2);
    expect(back.node('/chosen')?.getString('bootargs')).toBe('console=ttyS0 root=/dev/vda ro');
    expect(back.node('/nowhere')).toBeUndefined();
  });

  it('writes a version 17 header whose offsets and sizes describe the blob', () => {
    const tree = sampleTree();
    const blob = serializeFdt(tree);
    const [magic, totalSize, structOffset, stringsOffset, reservationsOffset, version, lastComp, bootCpuid, stringsSize, structSize] = header(blob);
    expect(magic).toBe(FDT_MAGIC);
    expect(magic).toBe(0xd00dfeed);
    expect(totalSize).toBe(blob.length);
    expect(version).toBe(17);
    expect(lastComp).toBe(16);
    expect(bootCpuid).toBe(1);
    // Layout as the spec recommends: header, reservations (two + terminator), structure, strings.
    expect(reservationsOffset).toBe(40);
    expect(structOffset).toBe(40 + 3 * 16);
    expect(stringsOffset).toBe(structOffset + structSize);
    expect(stringsOffset + stringsSize).toBe(totalSize);
    const view = new DataView(blob.buffer, blob.byteOffset);
    expect(view.getBigUint64(reservationsOffset + 16)).toBe(0x1_2345_6789n);
    expect(view.getBigUint64(reservationsOffset + 32)).toBe(0n); // the terminating entry
    expect(view.getBigUint64(reservationsOffset + 40)).toBe(0n);
    expect(view.getUint32(structOffset)).toBe(1); // FDT_BEGIN_NODE of the root
    expect(view.getUint32(structOffset + structSize - 4)).toBe(9); // FDT_END
    expect(readFdtHeader(blob)).toMatchObject({ totalSize, structOffset, stringsOffset, structSize, stringsSize, version: 17 });
  });

  it('aligns the reservation block to 8 and every structure token to 4, padding with zeros', () => {
    const tree = new DeviceTree();
    // Names and values of every length mod 4, so each padding case occurs.
    for (let n = 1; n <= 8; n++) tree.root.addChild('n'.repeat(n)).setBytes('p'.repeat(n), new Uint8Array(n).fill(0xff));
    const blob = serializeFdt(tree);
    const [, , structOffset, , reservationsOffset, , , , , structSize] = header(blob);
    expect(reservationsOffset % 8).toBe(0);
    expect(structOffset % 4).toBe(0);
    expect(structSize % 4).toBe(0);
    // Walk the tokens: each lies on a 4-byte boundary and the padding bytes are zero.
    const view = new DataView(blob.buffer, blob.byteOffset);
    let at = structOffset;
    const skipPadded = (from: number) => {
      let end = from;
      while (end % 4 !== 0) expect(blob[end++]).toBe(0);
      return end;
    };
    const tokens: number[] = [];
    for (;;) {
      expect(at % 4).toBe(0);
      const token = view.getUint32(at);
      tokens.push(token);
      at += 4;
      if (token === 1) at = skipPadded(blob.indexOf(0, at) + 1);
      else if (token === 3) at = skipPadded(at + 8 + view.getUint32(at));
      else if (token === 9) break;
    }
    expect(at).toBe(structOffset + structSize);
    expect(tokens.filter((token) => token === 1)).toHaveLength(9);
    expect(tokens.filter((token) => token === 2)).toHaveLength(9);
    expect(tokens.filter((token) => token === 3)).toHaveLength(8);
  });

  it('stores each property name once in the strings block', () => {
    const tree = new DeviceTree();
    for (let i = 0; i < 5; i++) tree.root.addChild(`dev@${i}`).setString('compatible', 'x').setU32('reg', i).setU32('interrupts', i);
    tree.root.setString('compatible', 'y');
    const blob = serializeFdt(tree);
    const [, , , stringsOffset, , , , , stringsSize] = header(blob);
    const strings = Buffer.from(blob.subarray(stringsOffset, stringsOffset + stringsSize)).toString('latin1');
    expect(strings.split('\0').filter((name) => name !== '').sort()).toEqual(['compatible', 'interrupts', 'reg']);
    expect(stringsSize).toBe('compatible\0reg\0interrupts\0'.length);
  });

  it('encodes values as the spec says: big-endian cells, u64 as two cells, NUL-terminated strings', () => {
    expect(Array.from(encode.u32(0x12345678, 1))).toEqual([0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1]);
    expect(Array.from(encode.u64(0x1_0000_0002n))).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    expect(Array.from(encode.string('ok'))).toEqual([0x6f, 0x6b, 0]);
    expect(Array.from(encode.strings('a', 'bc'))).toEqual([0x61, 0, 0x62, 0x63, 0]);
    expect(encode.empty()).toHaveLength(0);
    const node = new FdtNode('n').setPhandle(7).setBytes('raw', Uint8Array.of(9, 8, 7));
    expect(node.getU32('phandle')).toBe(7);
    expect(Array.from(node.get('raw')!)).toEqual([9, 8, 7]);
    expect(() => encode.u32(-1)).toThrow(RangeError);
    expect(() => encode.u32(2 ** 32)).toThrow(RangeError);
    expect(() => encode.u32(1.5)).toThrow(RangeError);
    expect(() => encode.u64(1n << 64n)).toThrow(RangeError);
    expect(() => encode.string('a\0b')).toThrow(RangeError);
  });

  it('replaces a property in place and keeps the order of the rest', () => {
    const node = new FdtNode('n').setU32('a', 1).setU32('b', 2).setU32('c', 3);
    node.setU32('b', 20);
    expect(node.properties.map((property) => property.name)).toEqual(['a', 'b', 'c']);
    expect(node.getU32('b')).toBe(20);
    expect(node.remove('a')).toBe(true);
    expect(node.remove('a')).toBe(false);
  });

  it('refuses node and property names the spec does not allow', () => {
    const root = new FdtNode('');
    expect(() => root.addChild('')).toThrow(RangeError);
    expect(() => root.addChild('has space')).toThrow(RangeError);
    expect(() => root.addChild('x'.repeat(32))).toThrow(RangeError);
    root.addChild('virtio_mmio@10001000');
    expect(() => root.addChild('virtio_mmio@10001000')).toThrow(/already exists/);
    expect(() => root.setU32('bad name', 1)).toThrow(RangeError);
    expect(() => root.setU32('p'.repeat(32), 1)).toThrow(RangeError);
    root.setU32('#interrupt-cells', 1).setString('riscv,isa', 'rv64i');
  });

  it('finds, creates and numbers nodes', () => {
    const tree = sampleTree();
    expect(tree.nextPhandle()).toBe(3);
    const created = tree.ensureNode('/a/b');
    expect(tree.node('/a/b')).toBe(created);
    expect(tree.ensureNode('/chosen')).toBe(tree.node('/chosen'));
    expect(tree.node('/')).toBe(tree.root);
    expect(new DeviceTree().nextPhandle()).toBe(1);
  });

  describe('rejects malformed blobs with a reason', () => {
    const good = serializeFdt(sampleTree());
    const patched = (offset: number, value: number, blob = good) => {
      const copy = Uint8Array.from(blob);
      new DataView(copy.buffer).setUint32(offset, value);
      return copy;
    };
    const [, , structOffset, , , , , , , structSize] = header(good);
    const cases: [string, Uint8Array, RegExp][] = [
      ['too short', good.subarray(0, 20), /too short/],
      ['bad magic', patched(0, 0x68690a00), /bad magic 0x68690a00/],
      ['a truncated file', good.subarray(0, good.length - 8), /totalsize \d+ is larger than the \d+ bytes given/],
      ['an old version', patched(20, 3), /version 3 is older than 16/],
      ['a future format', patched(24, 18), /version 18/],
      ['a structure block outside the blob', patched(8, (good.length + 4) & ~3), /structure block .* outside the blob/],
      ['a misaligned structure block', patched(8, structOffset + 2), /not 4-byte aligned/],
      ['a strings block outside the blob', patched(32, good.length), /strings block .* outside the blob/],
      ['an unknown token', patched(structOffset, 0x7), /unknown token 0x7/],
      ['no FDT_END', patched(structOffset + structSize - 4, 0x4), /ends without FDT_END/],
      ['a root that is not the first node', patched(structOffset, 0x9), /no root node/],
      ['a property name outside the strings block', patched(structOffset + 16, 0xffff), /name offset 65535/],
    ];
    for (const [what, blob, reason] of cases) {
      it(what, () => {
        expect(() => parseFdt(blob)).toThrow(FdtError);
        expect(() => parseFdt(blob)).toThrow(reason);
      });
    }
    it('an unbalanced FDT_END_NODE', () => {
      const tree = new DeviceTree();
      tree.root.setU32('a', 1);
      const blob = serializeFdt(tree);
      // Root: BEGIN_NODE, name padding, PROP(len, nameoff, value), END_NODE, END: turn END into END_NODE.
      const [, , at, , , , , , , size] = header(blob);
      expect(() => parseFdt(patched(at + size - 4, 2, blob))).toThrow(/FDT_END_NODE without a node/);
      expect(() => parseFdt(patched(at + size - 8, 9, blob))).toThrow(/FDT_END inside node/);
    });
    it('accepts FDT_NOP anywhere between tokens', () => {
      const tree = new DeviceTree();
      tree.root.addChild('x').setU32('a', 1);
      const blob = serializeFdt(tree);
      // Overwrite the property (PROP len nameoff value = 16 bytes) with four NOPs.
      const at = header(blob)[2] + 16; // after root's BEGIN_NODE and name, x's BEGIN_NODE and name
      let noped = blob;
      for (let i = 0; i < 4; i++) noped = patched(at + 4 * i, 4, noped);
      expect(parseFdt(noped).node('/x')?.properties).toEqual([]);
    });
  });

  describe.skipIf(!haveDtc)("Debian's dtc", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-fdt-'));
    const dtc = (...args: string[]) => {
      const result = spawnSync('dtc', ['-q', ...args], { encoding: 'buffer' });
      if (result.status !== 0) throw new Error(`dtc ${args.join(' ')}: ${result.stderr.toString()}`);
      return result.stdout;
    };

    it('decompiles what we write to the source we meant', () => {
      const file = path.join(dir, 'sample.dtb');
      fs.writeFileSync(file, serializeFdt(sampleTree()));
      const source = dtc('-I', 'dtb', '-O', 'dts', file).toString('utf8');
      expect(source).toContain('/memreserve/\t0x0000000080000000 0x0000000000200000;');
      expect(source).toContain('compatible = "sifive,test1\\0sifive,test0\\0syscon";');
      expect(source).toContain('reg = <0x00 0x100000 0x00 0x1000>;');
      expect(source).toContain('interrupts-extended = <0x02 0x0b 0x02 0x09>;');
      expect(source).toContain('data = [01 02 03 04 05];');
      expect(source).toContain('bootargs = "console=ttyS0 root=/dev/vda ro";');
      expect(source).toMatch(/interrupt-controller \{\n\t+interrupt-controller;\n\t+phandle = <0x02>;/);
    });

    it('parses what dtc compiles, and writes it back so dtc sees the same tree', () => {
      const source = path.join(dir, 'in.dts');
      fs.writeFileSync(source, `/dts-v1/;
/memreserve/ 0x80000000 0x1000;
/ {
  #address-cells = <2>;
  model = "lantern,test";
  empty;
  bytes = [de ad be ef 01];
  node@1000 { reg = <0 0x1000 0 0x100>; list = "a", "bc", ""; label: sub { phandle = <5>; }; };
  other { ref = <&label>; wide = /bits/ 64 <0x123456789abcdef0>; };
};
`);
      const blob = dtc('-I', 'dts', '-O', 'dtb', source);
      const tree = parseFdt(Uint8Array.from(blob));
      expect(tree.reservations).toEqual([{ address: 0x8000_0000n, size: 0x1000n }]);
      expect(tree.root.getString('model')).toBe('lantern,test');
      expect(tree.root.get('empty')).toHaveLength(0);
      expect(Array.from(tree.root.get('bytes')!)).toEqual([0xde, 0xad, 0xbe, 0xef, 1]);
      expect(tree.node('/node@1000')?.getStrings('list')).toEqual(['a', 'bc', '']);
      expect(tree.node('/other')?.getU32('ref')).toBe(5);
      expect(tree.node('/other')?.getU64s('wide')).toEqual([0x1234_5678_9abc_def0n]);
      const ours = path.join(dir, 'ours.dtb');
      const theirs = path.join(dir, 'theirs.dtb');
      fs.writeFileSync(ours, serializeFdt(tree));
      fs.writeFileSync(theirs, blob);
      expect(dtc('-I', 'dtb', '-O', 'dts', ours).toString()).toBe(dtc('-I', 'dtb', '-O', 'dts', theirs).toString());
    });
  });
});
