// Hex and number codecs of the remote protocol (GDB manual, "Remote Protocol" > "Overview"):
// numbers in hex, big-endian as written; register and memory contents as target-order bytes
// (little-endian on RISC-V), two hex digits a byte. Strict: anything malformed is undefined.

const HEX_DIGITS = '0123456789abcdef';
const HEX_RUN = /^[0-9a-fA-F]+$/;

/** Two hex digits of a byte. */
export function hexByte(byte: number): string {
  return HEX_DIGITS[(byte >> 4) & 0xf] + HEX_DIGITS[byte & 0xf];
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += hexByte(bytes[i]);
  return out;
}

/** Bytes from an even run of hex digits (undefined when odd or not hex). */
export function hexToBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || (text.length > 0 && !HEX_RUN.test(text))) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

/** Text whose UTF-8 bytes are `hex` (qRcmd's command line). */
export function hexToText(hex: string): string | undefined {
  const bytes = hexToBytes(hex);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

export function textToHex(text: string): string {
  return bytesToHex(Buffer.from(text, 'utf8'));
}

/** A register value as `bytes` little-endian bytes in hex (the value taken modulo 2^(8·bytes)). */
export function registerToHex(value: bigint, bytes: number): string {
  let v = BigInt.asUintN(bytes * 8, value);
  let out = '';
  for (let i = 0; i < bytes; i++) {
    out += hexByte(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

/** A little-endian register image back to its value (undefined unless exactly `bytes` bytes of hex). */
export function hexToRegister(text: string, bytes: number): bigint | undefined {
  if (text.length !== bytes * 2 || !HEX_RUN.test(text)) return undefined;
  let value = 0n;
  for (let i = bytes - 1; i >= 0; i--) value = (value << 8n) | BigInt(parseInt(text.substr(i * 2, 2), 16));
  return value;
}

/**
 * An unsigned hex number of at most `maxBits` significant bits (leading zeros allowed), as
 * packets carry addresses; undefined when empty, not hex or too large.
 */
export function parseHexBig(text: string, maxBits = 64): bigint | undefined {
  if (!HEX_RUN.test(text)) return undefined;
  const digits = text.replace(/^0+(?=.)/, '');
  if (digits.length > Math.ceil(maxBits / 4)) return undefined;
  const value = BigInt('0x' + digits);
  return value >> BigInt(maxBits) === 0n ? value : undefined;
}

/**
 * An unsigned hex length or count, saturated at `ceiling` (a huge length is a request for
 * "as much as you will give", never an allocation); undefined when empty or not hex.
 */
export function parseHexCount(text: string, ceiling: number): number | undefined {
  if (!HEX_RUN.test(text)) return undefined;
  const digits = text.replace(/^0+(?=.)/, '');
  if (digits.length > 12) return ceiling;
  return Math.min(parseInt(digits, 16), ceiling);
}

/** A small unsigned hex number (a signal, a breakpoint type); undefined beyond 32 bits. */
export function parseHexSmall(text: string): number | undefined {
  const value = parseHexBig(text, 32);
  return value === undefined ? undefined : Number(value);
}
