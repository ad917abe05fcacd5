// Page-table walks for debuggers (Privileged ISA 20211203, 4.3.2 "Virtual Address Translation
// Process", 4.4-4.6 Sv39/Sv48/Sv57): pure functions over a physical-memory peek, so the monitor's
// `pt` can show every level of one translation and `info mem` every mapping. They apply the
// rules server/core/mmu.ts applies (reserved bits, non-leaf D/A/U, superpage alignment,
// canonical addresses) but no permission check: they say what the table maps, not who may use it.

export type Xlen = 32 | 64;

/** Reads `length` bytes of physical memory; undefined (or fewer bytes) where nothing is mapped. */
export type ReadPhysical = (addr: bigint, length: number) => Uint8Array | undefined;

/** A satp translation scheme (4.1.11). */
export interface PagingMode {
  readonly name: 'Sv32' | 'Sv39' | 'Sv48' | 'Sv57';
  readonly levels: number;
  /** Bits of each virtual page number field: 10 for Sv32, else 9. */
  readonly indexBits: number;
  /** Bytes per PTE: 4 for Sv32, else 8. */
  readonly pteSize: number;
  /** Virtual address bits: 32, 39, 48, 57. */
  readonly vaBits: number;
}

const SV32: PagingMode = { name: 'Sv32', levels: 2, indexBits: 10, pteSize: 4, vaBits: 32 };
const SV39: PagingMode = { name: 'Sv39', levels: 3, indexBits: 9, pteSize: 8, vaBits: 39 };
const SV48: PagingMode = { name: 'Sv48', levels: 4, indexBits: 9, pteSize: 8, vaBits: 48 };
const SV57: PagingMode = { name: 'Sv57', levels: 5, indexBits: 9, pteSize: 8, vaBits: 57 };

export const PAGE_SHIFT = 12;

/** PTE bits (4.3.1, 4.4.1). */
export const PTE_V = 0x01n;
export const PTE_R = 0x02n;
export const PTE_W = 0x04n;
export const PTE_X = 0x08n;
export const PTE_U = 0x10n;
export const PTE_G = 0x20n;
export const PTE_A = 0x40n;
export const PTE_D = 0x80n;
const PTE_FLAG_NAMES: ReadonlyArray<[bigint, string]> = [
  [PTE_V, 'V'], [PTE_R, 'R'], [PTE_W, 'W'], [PTE_X, 'X'], [PTE_U, 'U'], [PTE_G, 'G'], [PTE_A, 'A'], [PTE_D, 'D'],
];

/** The mode satp selects: undefined for Bare; 'reserved' for a MODE the hart does not implement (Sv64, reserved values). */
export function pagingMode(satp: bigint, xlen: Xlen): PagingMode | 'reserved' | undefined {
  if (xlen === 32) return (satp >> 31n) & 1n ? SV32 : undefined;
  const mode = Number((satp >> 60n) & 0xfn);
  if (mode === 0) return undefined;
  return mode === 8 ? SV39 : mode === 9 ? SV48 : mode === 10 ? SV57 : 'reserved';
}

/** The root table's physical address: satp.PPN × 4 KiB (PPN is 22 bits on RV32, 44 on RV64). */
export function rootTable(satp: bigint, xlen: Xlen): bigint {
  const ppn = xlen === 32 ? satp & 0x3fffffn : satp & 0xfffffffffffn;
  return ppn << 12n;
}

/** The names of the set flag bits of a PTE: "V R W X U G A D" order. */
export function pteFlagNames(pte: bigint): string[] {
  return PTE_FLAG_NAMES.filter(([mask]) => (pte & mask) !== 0n).map(([, name]) => name);
}

/** The PPN field of a PTE: bits 31:10 (22 bits) for Sv32, 53:10 (44 bits) otherwise. */
function ptePpn(pte: bigint, mode: PagingMode): bigint {
  return (pte >> 10n) & (mode.pteSize === 4 ? 0x3fffffn : 0xfffffffffffn);
}

/** Reads one PTE (little-endian), or undefined when the bytes are not there. */
function readPte(readPhysical: ReadPhysical, addr: bigint, size: number): bigint | undefined {
  const bytes = readPhysical(addr, size);
  if (bytes === undefined || bytes.length < size) return undefined;
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

/** A page size in words: 4K, 2M, 4M, 1G, 512G, 256T. */
export function pageSizeName(size: bigint): string {
  const units: Array<[bigint, string]> = [[1n << 40n, 'T'], [1n << 30n, 'G'], [1n << 20n, 'M'], [1n << 10n, 'K']];
  for (const [unit, suffix] of units) if (size >= unit && size % unit === 0n) return `${size / unit}${suffix}`;
  return `${size}`;
}

/** One level of a walk: which PTE was read and what it held. */
export interface WalkStep {
  readonly level: number;
  /** The VPN field indexing this level's table. */
  readonly index: number;
  readonly pteAddress: bigint;
  /** The PTE, or undefined when its address is not readable memory. */
  readonly pte: bigint | undefined;
  /** 'next': points to the next table; 'leaf': maps the page; 'fault': the walk stopped here. */
  readonly kind: 'next' | 'leaf' | 'fault';
}

export type WalkResult =
  /** satp.MODE is Bare: no translation. */
  | { readonly kind: 'bare'; readonly paddr: bigint }
  /** A leaf at `level` maps the page (of `pageSize` bytes) holding the address. */
  | { readonly kind: 'mapped'; readonly paddr: bigint; readonly level: number; readonly pageSize: bigint; readonly pte: bigint }
  /** The walk fails: a page fault (invalid or malformed PTE, non-canonical address, reserved
   * MODE) or an access fault (a PTE address that is no memory), and why in words. */
  | { readonly kind: 'fault'; readonly fault: 'page' | 'access'; readonly reason: string };

export interface Walk {
  readonly satp: bigint;
  readonly vaddr: bigint;
  readonly mode: PagingMode | undefined;
  readonly root: bigint;
  readonly steps: readonly WalkStep[];
  readonly result: WalkResult;
}

const hex = (value: bigint): string => `0x${value.toString(16)}`;

/** Translates `vaddr` as satp says, recording every level (4.3.2's steps 2-8, without permission checks or A/D updates). */
export function walk(satp: bigint, vaddr: bigint, xlen: Xlen, readPhysical: ReadPhysical): Walk {
  vaddr = BigInt.asUintN(xlen, vaddr);
  const mode = pagingMode(satp, xlen);
  const root = rootTable(satp, xlen);
  const steps: WalkStep[] = [];
  const done = (result: WalkResult): Walk => ({ satp, vaddr, mode: mode === 'reserved' ? undefined : mode, root, steps, result });
  if (mode === undefined) return done({ kind: 'bare', paddr: vaddr });
  if (mode === 'reserved') return done({ kind: 'fault', fault: 'page', reason: `satp.MODE ${(satp >> 60n) & 0xfn} is not implemented` });
  if (mode.pteSize === 8) {
    // Bits 63:vaBits must all equal bit vaBits-1 (4.4.1).
    const top = BigInt.asIntN(64, vaddr) >> BigInt(mode.vaBits - 1);
    if (top !== 0n && top !== -1n) {
      return done({ kind: 'fault', fault: 'page', reason: `${hex(vaddr)} is not canonical for ${mode.name}: bits 63:${mode.vaBits} must equal bit ${mode.vaBits - 1}` });
    }
  }
  let table = root;
  for (let level = mode.levels - 1; level >= 0; level--) {
    const shift = BigInt(PAGE_SHIFT + mode.indexBits * level);
    const index = Number((vaddr >> shift) & ((1n << BigInt(mode.indexBits)) - 1n));
    const pteAddress = table + BigInt(index * mode.pteSize);
    const pte = readPte(readPhysical, pteAddress, mode.pteSize);
    const fail = (fault: 'page' | 'access', reason: string): Walk => {
      steps.push({ level, index, pteAddress, pte, kind: 'fault' });
      return done({ kind: 'fault', fault, reason });
    };
    if (pte === undefined) return fail('access', `level ${level}: the PTE address ${hex(pteAddress)} is not memory`);
    if ((pte & PTE_V) === 0n) return fail('page', `level ${level}: invalid PTE (V=0)`);
    if ((pte & PTE_R) === 0n && (pte & PTE_W) !== 0n) return fail('page', `level ${level}: reserved encoding W=1 with R=0`);
    // Bits 63:54 are reserved without Svnapot and Svpbmt (4.4.1); an Sv32 PTE has none.
    if (mode.pteSize === 8 && pte >> 54n !== 0n) return fail('page', `level ${level}: reserved bits 63:54 set (${hex(pte >> 54n)})`);
    const ppn = ptePpn(pte, mode);
    if ((pte & (PTE_R | PTE_X)) === 0n) {
      // A pointer to the next level; D, A and U are reserved in non-leaf PTEs.
      if ((pte & (PTE_D | PTE_A | PTE_U)) !== 0n) return fail('page', `level ${level}: non-leaf PTE with D, A or U set (reserved)`);
      if (level === 0) return fail('page', 'level 0: a pointer PTE where a leaf must be');
      steps.push({ level, index, pteAddress, pte, kind: 'next' });
      table = ppn << 12n;
      continue;
    }
    // A leaf: a superpage's PPN must be aligned to its size (4.3.2 step 6).
    const lowPpnBits = BigInt(mode.indexBits * level);
    if ((ppn & ((1n << lowPpnBits) - 1n)) !== 0n) {
      return fail('page', `level ${level}: misaligned superpage (PPN ${hex(ppn)} not a multiple of ${hex(1n << lowPpnBits)})`);
    }
    steps.push({ level, index, pteAddress, pte, kind: 'leaf' });
    const pageSize = 1n << shift;
    const paddr = ((ppn << 12n) & ~(pageSize - 1n)) | (vaddr & (pageSize - 1n));
    return done({ kind: 'mapped', paddr, level, pageSize, pte });
  }
  /* c8 ignore next */
  return done({ kind: 'fault', fault: 'page', reason: 'no leaf' });
}

/** One range of `info mem`: contiguous virtual and physical pages with the same PTE bits. */
export interface MappedRange {
  /** The first virtual address, sign-extended to 64 bits for Sv39/48/57 (QEMU's addr_canonical). */
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly size: bigint;
  /** The PTE's low 8 bits (V R W X U G A D). */
  readonly attributes: number;
}

/**
 * Every mapping of satp's table, merged as QEMU 7.2's `info mem` (target/riscv/monitor.c)
 * merges them: leaves in address order, a run continuing while the attribute bits match and
 * both the virtual and physical addresses continue the run. As in QEMU, the contiguity test
 * compares with the previous leaf *of the same table*, so a run never continues across two
 * tables (the first leaf of each table starts a new line). Unreadable PTEs count as invalid.
 * An empty list for Bare.
 */
export function mappings(satp: bigint, xlen: Xlen, readPhysical: ReadPhysical): MappedRange[] {
  const mode = pagingMode(satp, xlen);
  if (mode === undefined || mode === 'reserved') return [];
  const mask = (1n << 64n) - 1n;
  const out: MappedRange[] = [];
  const ulong = xlen === 32 ? (1n << 32n) - 1n : mask;
  // The run being built: its start, the last leaf's physical address and size, its attributes.
  let vbase = mask & ulong;
  let pbase = mask;
  let lastPaddr = mask;
  let lastSize = 0n;
  let lastAttributes = 0;
  const emit = (): void => {
    const size = (lastPaddr + lastSize - pbase) & ulong;
    if (size === 0n || vbase >= 1n << BigInt(mode.vaBits)) return;
    let vaddr = vbase;
    if (mode.pteSize === 8 && (vaddr >> BigInt(mode.vaBits - 1)) & 1n) vaddr |= mask ^ ((1n << BigInt(mode.vaBits)) - 1n);
    out.push({ vaddr, paddr: pbase, size, attributes: lastAttributes });
  };
  const walkTable = (base: bigint, start: bigint, level: number): void => {
    const entries = 1 << mode.indexBits;
    const pageSize = 1n << BigInt(PAGE_SHIFT + level * mode.indexBits);
    const table = readPhysical(base, entries * mode.pteSize);
    let lastStart = ulong; // QEMU's per-table `last_start = -1`
    for (let i = 0; i < entries; i++, start = (start + pageSize) & ulong) {
      let pte = 0n;
      if (table !== undefined && table.length >= (i + 1) * mode.pteSize) {
        for (let b = mode.pteSize - 1; b >= 0; b--) pte = (pte << 8n) | BigInt(table[i * mode.pteSize + b]);
      }
      const attributes = Number(pte & 0xffn);
      if ((attributes & 1) === 0) continue;
      const paddr = ptePpn(pte, mode) << 12n;
      if ((pte & (PTE_R | PTE_W | PTE_X)) === 0n) {
        if (level > 0) walkTable(paddr, start, level - 1);
        continue;
      }
      if (lastAttributes !== attributes || ((lastPaddr + lastSize) & mask) !== paddr || ((lastStart + lastSize) & ulong) !== start) {
        emit();
        vbase = start;
        pbase = paddr;
        lastAttributes = attributes;
      }
      lastStart = start;
      lastPaddr = paddr;
      lastSize = pageSize;
    }
  };
  walkTable(rootTable(satp, xlen), 0n, mode.levels - 1);
  emit();
  return out;
}
