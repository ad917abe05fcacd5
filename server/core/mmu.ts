// Address translation: PMP checks (privileged spec 1.12 section 3.7) and the Sv32 (RV32) and
// Sv39/Sv48/Sv57 (RV64) page-table walks (sections 4.3-4.5) with A/D updates done in hardware,
// as QEMU 7.2 does.
import {
  CSR_PMPCFG, CSR_PMPADDR, CSR_SATP, CSR_MSTATUS, RAM_HOST, RAM_SIZE, RAM_GUEST_BASE_LO,
  CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
  CAUSE_FETCH_PAGE_FAULT, CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT,
} from './layout';
import { PRIV_M, PRIV_S, PRIV_U, MSTATUS_SUM, MSTATUS_MXR, isRv32 } from './state';

export const ACCESS_READ: u32 = 0;
export const ACCESS_WRITE: u32 = 1;
export const ACCESS_FETCH: u32 = 2;

export const PMP_COUNT: u32 = 16;
const PMP_R: u32 = 1;
const PMP_W: u32 = 2;
const PMP_X: u32 = 4;
const PMP_A_SHIFT: u32 = 3;
const PMP_L: u32 = 0x80;
const PMP_OFF: u32 = 0;
const PMP_TOR: u32 = 1;
const PMP_NA4: u32 = 2;
const PMP_NAPOT: u32 = 3;

// Result of translate(): the physical address, or a fault in `faultCause`.
export let translatedAddr: u64 = 0;
export let faultCause: u64 = 0;
/** True when the translation may be cached for the whole 4 KiB page. */
export let pageCacheable: bool = true;

@inline export function ramBase(): u64 {
  return <u64>RAM_GUEST_BASE_LO;
}

/** True if [paddr, paddr + size) is guest RAM. */
@inline export function isRam(paddr: u64, size: u64): bool {
  const offset = paddr - ramBase();
  return paddr >= ramBase() && offset + size <= load<u64>(RAM_SIZE);
}

/** Host linear-memory address of guest physical RAM address `paddr`. */
@inline export function ramHost(paddr: u64): usize {
  return <usize>(paddr - ramBase()) + RAM_HOST;
}

export function accessFaultCause(access: u32): u64 {
  return access == ACCESS_FETCH ? CAUSE_FETCH_ACCESS : access == ACCESS_WRITE ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
}

function pageFaultCause(access: u32): u64 {
  return access == ACCESS_FETCH ? CAUSE_FETCH_PAGE_FAULT : access == ACCESS_WRITE ? CAUSE_STORE_PAGE_FAULT : CAUSE_LOAD_PAGE_FAULT;
}

@inline function pmpCfg(i: u32): u32 {
  return <u32>load<u8>(CSR_PMPCFG + <usize>i);
}

@inline function pmpAddr(i: u32): u64 {
  return load<u64>(CSR_PMPADDR + (<usize>i << 3));
}

// Bounds of entry i as a half-open byte range [pmpLo, pmpHi); false when the entry is off.
let pmpLo: u64 = 0;
let pmpHi: u64 = 0;

function pmpRange(i: u32): bool {
  const mode = (pmpCfg(i) >> PMP_A_SHIFT) & 3;
  if (mode == PMP_OFF) return false;
  const addr = pmpAddr(i) & 0x3fffffffffffff; // pmpaddr holds bits 55:2 of the address
  if (mode == PMP_TOR) {
    pmpLo = i == 0 ? 0 : (pmpAddr(i - 1) & 0x3fffffffffffff) << 2;
    pmpHi = addr << 2;
  } else if (mode == PMP_NA4) {
    pmpLo = addr << 2;
    pmpHi = pmpLo + 4;
  } else {
    // NAPOT: trailing ones of pmpaddr give the size, 2^(ones + 3) bytes.
    const ones = <u64>ctz(~addr);
    if (ones >= 54) {
      pmpLo = 0;
      pmpHi = U64.MAX_VALUE;
    } else {
      const size = <u64>1 << (ones + 3);
      pmpLo = (addr << 2) & ~(size - 1);
      pmpHi = pmpLo + size;
    }
  }
  return pmpHi > pmpLo;
}

/** Checks [addr, addr + size) against PMP for `priv`; also computes whether the 4 KiB page
 * around it is uniformly governed (pageCacheable). */
export function pmpAllows(addr: u64, size: u64, access: u32, priv: u32): bool {
  const pageLo = addr & ~<u64>0xfff;
  const pageHi = pageLo + 0x1000;
  const end = addr + size;
  for (let i: u32 = 0; i < PMP_COUNT; i++) {
    if (!pmpRange(i)) continue;
    // An entry that cuts through the page makes per-access checks necessary.
    if (pmpLo < pageHi && pmpHi > pageLo && (pmpLo > pageLo || pmpHi < pageHi)) pageCacheable = false;
    const touches = addr < pmpHi && end > pmpLo;
    if (!touches) continue;
    // The lowest-numbered matching entry decides; it must cover every byte (3.7.1).
    if (addr < pmpLo || end > pmpHi) return false;
    const cfg = pmpCfg(i);
    if (priv == PRIV_M && (cfg & PMP_L) == 0) return true;
    const need = access == ACCESS_FETCH ? PMP_X : access == ACCESS_WRITE ? PMP_W : PMP_R;
    return (cfg & need) != 0;
  }
  // No entry matches: M-mode succeeds, S and U fail (16 entries are implemented).
  return priv == PRIV_M;
}

/** Loads a PTE (4 bytes for Sv32, else 8) from RAM; other memory cannot hold page tables here. */
@inline function readPte(addr: u64, size: u64): u64 {
  return size == 4 ? <u64>load<u32>(ramHost(addr)) : load<u64>(ramHost(addr));
}

// satp.MODE values (4.1.11): Sv32 is 1 in RV32's one-bit field; Sv39, Sv48, Sv57 are 8, 9, 10.
const SATP_SV32: u32 = 1;
const SATP_SV39: u32 = 8;
const SATP_SV48: u32 = 9;

/**
 * Translates `vaddr` for an access of `size` bytes by privilege `priv` (already the effective
 * one for data). Sets translatedAddr and returns true, or sets faultCause and returns false.
 */
export function translate(vaddr: u64, size: u64, access: u32, priv: u32, updateAD: bool): bool {
  pageCacheable = true;
  let paddr = vaddr;
  const satp = load<u64>(CSR_SATP);
  const mode = isRv32() ? <u32>(satp >> 31) : <u32>(satp >> 60);
  if (priv != PRIV_M && mode != 0) {
    if (!walk(vaddr, access, priv, satp, mode, updateAD)) return false;
    paddr = translatedAddr;
  }
  if (!pmpAllows(paddr, size, access, priv)) {
    faultCause = accessFaultCause(access);
    return false;
  }
  translatedAddr = paddr;
  return true;
}

/**
 * Walks the page table for `mode`: Sv32 has two levels of 1024 four-byte PTEs (10-bit VPNs,
 * 22-bit PPNs: 34-bit physical addresses, 4 MiB megapages) and no canonical-address rule; the
 * Sv39/48/57 tables have 512 eight-byte PTEs (9-bit VPNs, 44-bit PPNs).
 */
function walk(vaddr: u64, access: u32, priv: u32, satp: u64, mode: u32, updateAD: bool): bool {
  const sv32 = mode == SATP_SV32;
  const levels: i32 = sv32 ? 2 : mode == SATP_SV39 ? 3 : mode == SATP_SV48 ? 4 : 5;
  const vpnBits: u64 = sv32 ? 10 : 9;
  const pteSize: u64 = sv32 ? 4 : 8;
  if (!sv32) {
    // The address must be the sign extension of its low vaBits bits.
    const vaBits: u64 = 12 + 9 * <u64>levels;
    const shifted = <i64>vaddr >> (vaBits - 1);
    if (shifted != 0 && shifted != -1) {
      faultCause = pageFaultCause(access);
      return false;
    }
  }
  const mstatus = load<u64>(CSR_MSTATUS);
  let table = (satp & (sv32 ? 0x3fffff : 0xfffffffffff)) << 12;
  for (let level = levels - 1; level >= 0; level--) {
    const vpn = (vaddr >> (12 + vpnBits * <u64>level)) & ((<u64>1 << vpnBits) - 1);
    const pteAddr = table + vpn * pteSize;
    // Implicit page-table reads are S-mode accesses for PMP (3.7.1).
    if (!isRam(pteAddr, pteSize) || !pmpAllows(pteAddr, pteSize, ACCESS_READ, PRIV_S)) {
      faultCause = accessFaultCause(access);
      return false;
    }
    pageCacheable = true;
    let pte = readPte(pteAddr, pteSize);
    const v = pte & 1;
    const r = (pte >> 1) & 1;
    const w = (pte >> 2) & 1;
    const x = (pte >> 3) & 1;
    // V clear, W without R, or reserved bits 63:54 set (no Svnapot, no Svpbmt): page fault.
    // (An Sv32 PTE is 32 bits, PPN in 31:10: nothing is reserved.)
    if (v == 0 || (r == 0 && w == 1) || (pte >> 54) != 0) break;
    const ppn = (pte >> 10) & 0xfffffffffff;
    if (r == 0 && x == 0) {
      // A pointer to the next level; D, A and U are reserved in non-leaf PTEs.
      if ((pte & 0xd0) != 0) break;
      table = ppn << 12;
      continue;
    }
    // A leaf: superpages must be aligned.
    if (level > 0 && (ppn & ((<u64>1 << (vpnBits * <u64>level)) - 1)) != 0) break;
    const user = (pte >> 4) & 1;
    if (priv == PRIV_U && user == 0) break;
    if (priv == PRIV_S && user == 1 && (access == ACCESS_FETCH || (mstatus & MSTATUS_SUM) == 0)) break;
    if (access == ACCESS_FETCH && x == 0) break;
    if (access == ACCESS_READ && r == 0 && !((mstatus & MSTATUS_MXR) != 0 && x == 1)) break;
    if (access == ACCESS_WRITE && w == 0) break;
    const accessed = (pte >> 6) & 1;
    const dirty = (pte >> 7) & 1;
    if (updateAD && (accessed == 0 || (access == ACCESS_WRITE && dirty == 0))) {
      // Hardware A/D update (QEMU 7.2 behaviour): the PTE write must be allowed by PMP too.
      if (!pmpAllows(pteAddr, pteSize, ACCESS_WRITE, PRIV_S)) {
        faultCause = accessFaultCause(access);
        return false;
      }
      pte |= 0x40;
      if (access == ACCESS_WRITE) pte |= 0x80;
      if (sv32) store<u32>(ramHost(pteAddr), <u32>pte);
      else store<u64>(ramHost(pteAddr), pte);
      markDirtyPhysical(pteAddr);
    }
    const offsetMask = (<u64>1 << (12 + vpnBits * <u64>level)) - 1;
    translatedAddr = ((ppn << 12) & ~offsetMask) | (vaddr & offsetMask);
    return true;
  }
  faultCause = pageFaultCause(access);
  return false;
}

/** Marks the RAM page holding physical address `paddr` dirty. */
export function markDirtyPhysical(paddr: u64): void {
  const page = <usize>((paddr - ramBase()) >> 12);
  const at = DIRTY_BITMAP_ADDR + (page >> 3);
  store<u8>(at, <u8>(<u32>load<u8>(at) | (<u32>1 << <u32>(page & 7))));
}

import { DIRTY_BITMAP } from './layout';
const DIRTY_BITMAP_ADDR: usize = DIRTY_BITMAP;

export { PRIV_U };
