// 128-bit unsigned arithmetic for the core (wasm has none): results in the module globals below, no allocation.

/** High and low 64 bits of the last result of mulWide / shiftRightJamWide. */
export let wideHi: u64 = 0;
export let wideLo: u64 = 0;

/** Full 128-bit product of a and b from 32-bit partial products. */
export function mulWide(a: u64, b: u64): void {
  const aLo = a & 0xffffffff;
  const aHi = a >> 32;
  const bLo = b & 0xffffffff;
  const bHi = b >> 32;
  const p0 = aLo * bLo;
  const p1 = aLo * bHi;
  const p2 = aHi * bLo;
  const p3 = aHi * bHi;
  const mid = (p0 >> 32) + (p1 & 0xffffffff) + (p2 & 0xffffffff);
  wideLo = (mid << 32) | (p0 & 0xffffffff);
  wideHi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

/** (hi, lo) >> n with the bits shifted out jammed into bit 0. */
export function shiftRightJamWide(hi: u64, lo: u64, n: i32): void {
  if (n == 0) {
    wideHi = hi;
    wideLo = lo;
  } else if (n < 64) {
    const lost = lo << <u64>(64 - n);
    wideLo = (hi << <u64>(64 - n)) | (lo >> <u64>n) | (lost != 0 ? 1 : 0);
    wideHi = hi >> <u64>n;
  } else if (n < 128) {
    const lost = n == 64 ? lo : (hi << <u64>(128 - n)) | lo;
    wideLo = (n == 64 ? hi : hi >> <u64>(n - 64)) | (lost != 0 ? 1 : 0);
    wideHi = 0;
  } else {
    wideLo = (hi | lo) != 0 ? 1 : 0;
    wideHi = 0;
  }
}
