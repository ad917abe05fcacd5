// Copy-on-write overlays (server/src/host/overlay.ts) over a real raw image file: reads merge
// the overlay's granules with the base, writes never reach the base while active, the
// serialized form round-trips and malformed payloads are refused, commit writes back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBlockFile, type BlockFile } from '../../server/src/host/block-file';
import { decodeOverlay, encodeOverlay, OVERLAY_GRANULE, OverlayDisk } from '../../server/src/host/overlay';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-overlay-'));
const SIZE = 5 * OVERLAY_GRANULE + 1024; // a partial last granule
const opened: BlockFile[] = [];

function image(name: string): { file: string; bytes: Uint8Array; base: BlockFile } {
  const file = path.join(dir, name);
  const bytes = Uint8Array.from({ length: SIZE }, (_, i) => (i * 13 + 5) & 0xff);
  fs.writeFileSync(file, bytes);
  const base = openBlockFile(file);
  opened.push(base);
  return { file, bytes, base };
}

function read(disk: OverlayDisk, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  expect(disk.read(position, out)).toBe(true);
  return out;
}

afterEach(() => {
  for (const file of opened.splice(0)) file.close();
});

describe('OverlayDisk', () => {
  it('keeps writes in the overlay: the guest sees them, the image file does not change', () => {
    const { file, bytes, base } = image('a.img');
    const disk = new OverlayDisk(base, { drive: 'd0', active: true });
    const data = Uint8Array.from({ length: 1536 }, (_, i) => 255 - (i & 0xff));
    // 512 bytes before a granule boundary to 1024 after it: two partly written granules.
    expect(disk.write(OVERLAY_GRANULE - 512, data)).toBe(true);
    const expected = bytes.slice();
    expected.set(data, OVERLAY_GRANULE - 512);
    expect(read(disk, 0, SIZE)).toEqual(expected);
    expect(read(disk, OVERLAY_GRANULE - 100, 300)).toEqual(expected.subarray(OVERLAY_GRANULE - 100, OVERLAY_GRANULE + 200));
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
    expect([...disk.contents().keys()]).toEqual([0, 1]);
    expect(disk.flush()).toBe(true);
  });

  it('passes everything to the image until activated', () => {
    const { file, base } = image('b.img');
    const disk = new OverlayDisk(base, { drive: 'd0' });
    expect(disk.active).toBe(false);
    expect(disk.write(0, Uint8Array.of(1, 2, 3))).toBe(true);
    expect([...fs.readFileSync(file).subarray(0, 3)]).toEqual([1, 2, 3]);
    disk.activate();
    expect(disk.write(0, Uint8Array.of(9))).toBe(true);
    expect(fs.readFileSync(file)[0]).toBe(1);
    expect(read(disk, 0, 3)).toEqual(Uint8Array.of(9, 2, 3));
    const under = new Uint8Array(1);
    expect(disk.readBase(0, under)).toBe(true);
    expect(under[0]).toBe(1);
  });

  it('serializes its granules portably and restores them; malformed payloads are refused', () => {
    const { bytes, base } = image('c.img');
    const disk = new OverlayDisk(base, { drive: 'd0', active: true });
    disk.write(3 * OVERLAY_GRANULE + 7, Uint8Array.of(0xaa, 0xbb));
    disk.write(5 * OVERLAY_GRANULE, new Uint8Array(1024).fill(0x11)); // the partial last granule
    const encoded = encodeOverlay(disk.contents(), SIZE);
    expect(encoded.length).toBe(16 + 2 * (8 + OVERLAY_GRANULE));
    expect(Buffer.from(encoded).readUInt32LE(0)).toBe(OVERLAY_GRANULE);
    expect(Buffer.from(encoded).readBigUInt64LE(16)).toBe(3n);

    const other = new OverlayDisk(image('c2.img').base, { drive: 'd1' });
    other.replace(decodeOverlay(encoded, SIZE));
    expect(other.active).toBe(true);
    expect(read(other, 0, SIZE)).toEqual(read(disk, 0, SIZE));
    expect(read(other, 0, SIZE)).not.toEqual(bytes);

    expect(() => decodeOverlay(encoded, SIZE + 512)).toThrow(/image/);
    expect(() => decodeOverlay(encoded.subarray(0, encoded.length - 1), SIZE)).toThrow(/length/);
    const outOfOrder = Buffer.from(encoded);
    outOfOrder.writeBigUInt64LE(9n, 16);
    expect(() => decodeOverlay(outOfOrder, SIZE)).toThrow(/out of order or past the image/);
    expect(decodeOverlay(encodeOverlay(new Map(), SIZE), SIZE).size).toBe(0);
  });

  it('commit writes the overlay into the image and empties it', () => {
    const { file, bytes, base } = image('d.img');
    const disk = new OverlayDisk(base, { drive: 'd0', active: true });
    disk.write(5 * OVERLAY_GRANULE + 1000, Uint8Array.of(1, 2, 3, 4)); // ends at the image's end
    disk.write(10, Uint8Array.of(7));
    const seen = read(disk, 0, SIZE);
    disk.commit();
    expect(fs.statSync(file).size).toBe(SIZE);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(seen);
    expect(seen).not.toEqual(bytes);
    expect(disk.contents().size).toBe(0);
    expect(disk.active).toBe(true);
    expect(read(disk, 0, SIZE)).toEqual(seen);
  });

  it('a read-only image never takes an overlay and refuses commit', () => {
    const file = path.join(dir, 'r.img');
    fs.writeFileSync(file, new Uint8Array(SIZE));
    const base = openBlockFile(file, { readOnly: true });
    opened.push(base);
    const disk = new OverlayDisk(base, { drive: 'r0', active: true });
    expect(disk.active).toBe(false);
    expect(disk.write(0, Uint8Array.of(1))).toBe(false);
    expect(() => disk.commit()).toThrow(/read-only/);
  });
});
