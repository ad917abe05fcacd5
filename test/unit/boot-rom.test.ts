// The reset trampoline: the encodings QEMU's virt ROM uses, and the data words it loads.
import { describe, expect, it } from 'vitest';
import { bootRomImage, Rom } from '../../server/src/machine/boot-rom';

describe('boot ROM', () => {
  const image = bootRomImage({ start: 0x8000_0000n, fdt: 0x8720_0000n, nextAddr: 0x8020_0000n });
  const view = new DataView(image.buffer);

  it('assembles auipc/addi/csrr/ld/ld/jr as the ISA manual encodes them', () => {
    const words = Array.from({ length: 6 }, (_, i) => view.getUint32(i * 4, true));
    // auipc t0,0; addi a2,t0,40; csrr a0,mhartid; ld a1,32(t0); ld t0,24(t0); jr t0
    expect(words).toEqual([0x00000297, 0x02828613, 0xf1402573, 0x0202b583, 0x0182b283, 0x00028067]);
  });

  it('holds the start address, the FDT address and fw_dynamic_info', () => {
    expect(view.getBigUint64(24, true)).toBe(0x8000_0000n);
    expect(view.getBigUint64(32, true)).toBe(0x8720_0000n);
    const info = Array.from({ length: 6 }, (_, i) => view.getBigUint64(40 + i * 8, true));
    expect(info).toEqual([0x4942534fn, 2n, 0x8020_0000n, 1n, 0n, 0n]);
  });

  it('serves reads of any size from the bus and ignores writes', () => {
    const rom = new Rom(image, 0xf000);
    expect(rom.read(0, 4)).toBe(0x00000297);
    expect(rom.read(0, 2)).toBe(0x0297);
    expect(rom.read(24, 8)).toBe(0x8000_0000n);
    expect(rom.read(0x1000, 4)).toBe(0); // past the image: zeros
    expect(rom.read(0xeffe, 4)).toBeUndefined();
    expect(rom.write(0, 4, 0n)).toBe('ok');
    expect(rom.read(0, 4)).toBe(0x00000297);
  });
});
