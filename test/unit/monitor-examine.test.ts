// x/xp's /FMT parsing and dump layout (server/src/debug/monitor-examine.ts), checked against the
// layout of QEMU 7.2's memory_dump, and the monitor's address expressions.
import { describe, expect, it } from 'vitest';
import { disassembleMemory, dumpMemory, parseExamine, printCharacter, type FormatMemory } from '../../server/src/debug/monitor-examine';
import { evaluate } from '../../server/src/debug/monitor-expression';

const BASE = 0x8000_0000n;
/** The first words of a program: auipc t0,0 / addi t0,t0,40 / csrw mtvec,t0 / c.li a0,1 / c.nop, then "Hi\n'\\". */
const program = new Uint8Array([
  0x97, 0x02, 0x00, 0x00, 0x93, 0x82, 0x82, 0x02, 0x73, 0x90, 0x52, 0x30, 0x05, 0x45, 0x01, 0x00,
  0x48, 0x69, 0x0a, 0x27, 0x5c, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
]);
/** Reads from `program` at BASE; nothing elsewhere (a readable prefix, as the host gives). */
const read = (addr: bigint, length: number): Uint8Array => {
  if (addr < BASE || addr >= BASE + BigInt(program.length)) return new Uint8Array(0);
  const at = Number(addr - BASE);
  return program.slice(at, at + length);
};

function dump(fmt: string, address: bigint, options: { physical?: boolean; xlen?: 32 | 64; memory?: FormatMemory } = {}): string {
  const memory = options.memory ?? { format: 'x', size: 4 };
  const { format } = parseExamine(fmt, memory);
  return dumpMemory({ address, format, physical: options.physical ?? false, xlen: options.xlen ?? 64, read });
}

describe('parseExamine', () => {
  it('reads count, format and size letters, remembering them as QEMU does', () => {
    const memory: FormatMemory = { format: 'x', size: 4 };
    expect(parseExamine('/10xb 0x80000000', memory)).toEqual({ format: { count: 10, format: 'x', size: 1 }, address: '0x80000000' });
    expect(memory).toEqual({ format: 'x', size: 1 });
    // No letters: the last ones. No format at all: one unit of them.
    expect(parseExamine('/3 $pc', memory)).toEqual({ format: { count: 3, format: 'x', size: 1 }, address: '$pc' });
    expect(parseExamine(' $sp + 8', memory)).toEqual({ format: { count: 1, format: 'x', size: 1 }, address: '$sp + 8' });
    expect(parseExamine('/dg 0', memory).format).toEqual({ count: 1, format: 'd', size: 8 });
    // i has no size and leaves the remembered one alone.
    expect(parseExamine('/5i $pc', memory).format).toMatchObject({ count: 5, format: 'i' });
    expect(memory).toEqual({ format: 'i', size: 8 });
    expect(() => parseExamine('/4z 0', memory)).toThrow("invalid char in format: 'z'");
  });
});

describe('dumpMemory', () => {
  it('prints words four to a line behind a 16-digit address on RV64 (x) and always for xp', () => {
    expect(dump('/5x', BASE)).toBe(
      '0000000080000000: 0x00000297 0x02828293 0x30529073 0x00014505\n'
      + '0000000080000010: 0x270a6948\n');
    expect(dump('/2x', BASE, { xlen: 32 })).toBe('80000000: 0x00000297 0x02828293\n');
    expect(dump('/2x', BASE, { xlen: 32, physical: true })).toBe('0000000080000000: 0x00000297 0x02828293\n');
    expect(dump('/3g', BASE)).toBe(
      '0000000080000000: 0x0282829300000297 0x0001450530529073\n'
      + '0000000080000010: 0x0000005c270a6948\n');
  });

  it('prints bytes eight to a line and halfwords eight to a line', () => {
    expect(dump('/10xb', BASE)).toBe(
      '0000000080000000: 0x97 0x02 0x00 0x00 0x93 0x82 0x82 0x02\n'
      + '0000000080000008: 0x73 0x90\n');
    expect(dump('/3xh', BASE + 2n)).toBe('0000000080000002: 0x0000 0x8293 0x0282\n');
  });

  it('pads decimal and octal values to the widths QEMU computes, without sign extension below 8 bytes', () => {
    expect(dump('/2uw', BASE + 0x14n)).toBe('0000000080000014:         92 4294967295\n');
    expect(dump('/1dw', BASE + 0x18n)).toBe('0000000080000018: 4294967295\n');
    expect(dump('/1dg', BASE + 0x18n)).toBe('0000000080000018:                   -1\n');
    expect(dump('/2db', BASE)).toBe('0000000080000000: 151   2\n');
    expect(dump('/2ow', BASE + 0x14n)).toBe('0000000080000014:        0134 037777777777\n');
    expect(dump('/1oh', BASE + 2n)).toBe('0000000080000002:      0\n');
  });

  it('prints characters with escapes, counting the length in the given size first (as QEMU does)', () => {
    expect(dump('/6cb', BASE + 0x10n)).toBe("0000000080000010: 'H' 'i' '\\n' '\\'' '\\\\' '\\x00'\n");
    // /2c with the default word size dumps 8 bytes as characters.
    expect(dump('/2c', BASE + 0x10n)).toBe("0000000080000010: 'H' 'i' '\\n' '\\'' '\\\\' '\\x00' '\\x00' '\\x00'\n");
    expect(printCharacter(0x0d)).toBe("'\\r'");
  });

  it('stops with "Cannot access memory" at the first line it cannot read whole', () => {
    expect(dump('/12x', BASE + 0x10n)).toBe(
      '0000000080000010: 0x270a6948 0x0000005c 0xffffffff 0xffffffff\n'
      + '0000000080000020: Cannot access memory\n');
    expect(dump('/1x', 0x1000n)).toBe('0000000000001000: Cannot access memory\n');
  });

  it('disassembles with x/i, compressed instructions included', () => {
    const memory: FormatMemory = { format: 'x', size: 4 };
    const { format } = parseExamine('/6i', memory);
    expect(disassembleMemory({ address: BASE, format, physical: false, xlen: 64, read })).toBe(
      '0x80000000:  00000297          auipc t0,0x0\n'
      + '0x80000004:  02828293          addi t0,t0,40\n'
      + '0x80000008:  30529073          csrrw zero,mtvec,t0\n'
      + '0x8000000c:  4505              c.li a0,1\n'
      + '0x8000000e:  0001              c.nop\n'
      + '0x80000010:  6948              c.ld a0,144(a0)\n');
    expect(disassembleMemory({ address: BASE + 0x1en, format, physical: false, xlen: 64, read }))
      .toBe('0x8000001e:  Cannot access memory\n');
  });
});

describe('evaluate', () => {
  const registers: Record<string, bigint> = { pc: 0x8000_0000n, sp: 0x8000_1000n, a0: 5n };
  const lookup = (name: string) => registers[name];

  it('reads numbers in C syntax, registers, characters, and operators with C precedence', () => {
    expect(evaluate('0x80000000', lookup)).toBe(0x8000_0000n);
    expect(evaluate('4096', lookup)).toBe(4096n);
    expect(evaluate('010', lookup)).toBe(8n);
    expect(evaluate('0', lookup)).toBe(0n);
    expect(evaluate('$pc + 4', lookup)).toBe(0x8000_0004n);
    expect(evaluate('$sp - 0x10 * 2', lookup)).toBe(0x8000_0fe0n);
    expect(evaluate('($a0 + 1) * 2', lookup)).toBe(12n);
    expect(evaluate('$pc & ~0xfff | 0x10', lookup)).toBe(0x8000_0010n);
    expect(evaluate("'A'", lookup)).toBe(65n);
    expect(evaluate('-1', lookup)).toBe((1n << 64n) - 1n);
    expect(evaluate('7 % 4 ^ 1', lookup)).toBe(2n);
  });

  it('reports errors in words', () => {
    expect(() => evaluate('$nope', lookup)).toThrow("unknown register 'nope'");
    expect(() => evaluate('1 +', lookup)).toThrow('address expected');
    expect(() => evaluate('(1', lookup)).toThrow("')' expected");
    expect(() => evaluate('1 2', lookup)).toThrow("invalid char '2' in expression");
    expect(() => evaluate('0x12g', lookup)).toThrow("invalid number '0x12g'");
    expect(() => evaluate('4 / 0', lookup)).toThrow('division by zero');
  });
});
