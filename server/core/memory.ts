// Guest memory accesses: the TLB fast path for RAM, and the slow path that translates, checks
// PMP, calls MMIO devices, honours watchpoints and breakpoints and fills the TLB.
import {
  TLB, TLB_SIZE, TLB_ENTRIES, TLB_ENTRY_SIZE, MMIO_HI, MMIO_FAULT, CLOCK_STEPS,
  WATCH_COUNT, WATCH_TABLE, WATCH_ENTRY_SIZE, WATCH_READ, WATCH_WRITE, WATCH_PHYSICAL, WATCH_HOST,
  BREAK_COUNT, BREAK_TABLE, STOP_ARG, STOP_WATCH_READ, STOP_WATCH_WRITE, STOP_HOST, STOP_HOST_WATCH,
  CAUSE_MISALIGNED_LOAD, CAUSE_MISALIGNED_STORE,
} from './layout';
import {
  dataTlb, fetchTlb, raise, requestStop, effectiveDataPriv, getPriv, clockNow, setFetchPage,
  setTimerCheck, setInterruptCheck, trapPending, fetchPage, fetchBreak, setFetchWindow,
  invalidateFetchPage, isRv32, raiseWatchStop, resuming, runSteps,
} from './state';
import {
  translate, translatedAddr, faultCause, pageCacheable, isRam, ramHost, accessFaultCause,
  markDirtyPhysical, ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH,
} from './mmu';

@external("env", "mmioRead")
declare function mmioRead(addrLo: u32, addrHi: u32, size: i32): i32;
@external("env", "mmioWrite")
declare function mmioWrite(addrLo: u32, addrHi: u32, size: i32, lo: i32, hi: i32): i32;

const INVALID: u64 = U64.MAX_VALUE;
const TAG_READ: usize = 0;
const TAG_WRITE: usize = 8;
const TAG_FETCH: usize = 16;
const ADDEND: usize = 24;

export function tlbFlushAll(): void {
  for (let at: usize = TLB; at < <usize>(TLB + TLB_SIZE); at += TLB_ENTRY_SIZE) {
    store<u64>(at + TAG_READ, INVALID);
    store<u64>(at + TAG_WRITE, INVALID);
    store<u64>(at + TAG_FETCH, INVALID);
  }
  invalidateFetchPage();
  checkedPage = INVALID;
}

@inline function tlbEntry(set: usize, vaddr: u64): usize {
  return set + ((<usize>(vaddr >> 12) & (TLB_ENTRIES - 1)) * TLB_ENTRY_SIZE);
}

function tlbFill(set: usize, vaddr: u64, paddr: u64, tag: usize): void {
  const entry = tlbEntry(set, vaddr);
  const page = vaddr & ~<u64>0xfff;
  if (load<u64>(entry + TAG_READ) != page && load<u64>(entry + TAG_WRITE) != page && load<u64>(entry + TAG_FETCH) != page) {
    store<u64>(entry + TAG_READ, INVALID);
    store<u64>(entry + TAG_WRITE, INVALID);
    store<u64>(entry + TAG_FETCH, INVALID);
  }
  store<u64>(entry + ADDEND, <u64>ramHost(paddr & ~<u64>0xfff) - page);
  store<u64>(entry + tag, page);
}

// --- watchpoints and breakpoints ---

/** True if some watch entry with any of `flags` overlaps [lo, hi) of the given kind. */
function watchOverlaps(lo: u64, hi: u64, flags: u64, physical: bool): u64 {
  const count = load<u32>(WATCH_COUNT);
  for (let i: u32 = 0; i < count; i++) {
    const at = WATCH_TABLE + <usize>i * WATCH_ENTRY_SIZE;
    const f = load<u64>(at + 16);
    if ((f & flags) == 0 || ((f & WATCH_PHYSICAL) != 0) != physical) continue;
    if (load<u64>(at) < hi && load<u64>(at + 8) > lo) return f;
  }
  return 0;
}

function pageWatched(vaddr: u64, paddr: u64, flags: u64): bool {
  if (load<u32>(WATCH_COUNT) == 0) return false;
  const vpage = vaddr & ~<u64>0xfff;
  const ppage = paddr & ~<u64>0xfff;
  return watchOverlaps(vpage, vpage + 0x1000, flags, false) != 0 || watchOverlaps(ppage, ppage + 0x1000, flags, true) != 0;
}

/** After an access of [vaddr, vaddr+size) at paddr, stops the run if it touched a physical
 * watch (the host's: HTIF's tohost, which needs the value written). */
function checkWatch(vaddr: u64, paddr: u64, size: u64, write: bool): void {
  if (load<u32>(WATCH_COUNT) == 0) return;
  const flags: u64 = write ? WATCH_WRITE : WATCH_READ;
  const physical = watchOverlaps(paddr, paddr + size, flags, true);
  if (physical != 0) {
    store<u64>(STOP_ARG, paddr);
    requestStop((physical & WATCH_HOST) != 0 ? STOP_HOST_WATCH : write ? STOP_WATCH_WRITE : STOP_WATCH_READ);
  }
}

/**
 * Before an access of [vaddr, vaddr+size): true (and the instruction is stopped, not retired)
 * if a debugger watches any of it, as a RISC-V trigger with timing "before" fires and as gdb
 * expects (riscv-tdep's watchpoints are non-steppable). The first step of a run resuming from
 * a stop goes through, or it could never get past the access.
 */
function watchStops(vaddr: u64, size: u32, flags: u64): bool {
  if (load<u32>(WATCH_COUNT) == 0 || (resuming && runSteps == 0)) return false;
  const watched = watchOverlaps(vaddr, vaddr + <u64>size, flags, false);
  if (watched == 0) return false;
  raiseWatchStop((watched & flags & WATCH_WRITE) != 0 ? STOP_WATCH_WRITE : STOP_WATCH_READ, vaddr);
  return true;
}

@inline export function isBreakpoint(pc: u64): bool {
  const count = load<u32>(BREAK_COUNT);
  for (let i: u32 = 0; i < count; i++) {
    if (load<u64>(BREAK_TABLE + (<usize>i << 3)) == pc) return true;
  }
  return false;
}

/** The last page looked up for breakpoints, and the answer (reset by a flush). */
let checkedPage: u64 = INVALID;
let checkedHasBreakpoints: bool = false;

/** True if some breakpoint lies in `page`. */
function pageHasBreakpoints(page: u64): bool {
  const count = load<u32>(BREAK_COUNT);
  if (count == 0) return false;
  if (page == checkedPage) return checkedHasBreakpoints;
  let found = false;
  for (let i: u32 = 0; i < count; i++) {
    if ((load<u64>(BREAK_TABLE + (<usize>i << 3)) & ~<u64>0xfff) == page) found = true;
  }
  checkedPage = page;
  checkedHasBreakpoints = found;
  return found;
}

/**
 * Sets the fast fetch window around `pc`: the whole fetch page (up to the last offset a
 * 4-byte fetch fits), narrowed to the stretch between the breakpoints on either side of
 * pc; empty when pc is on a breakpoint or outside the fetch page.
 */
@inline export function updateFetchWindow(pc: u64): void {
  const page = pc & ~<u64>0xfff;
  if (page != fetchPage || (pc & 0xfff) > 0xffc) {
    setFetchWindow(1, 0);
    return;
  }
  let lo = page;
  let hi = page + 0xffc;
  if (fetchBreak) {
    const count = load<u32>(BREAK_COUNT);
    for (let i: u32 = 0; i < count; i++) {
      const at = load<u64>(BREAK_TABLE + (<usize>i << 3));
      if ((at & ~<u64>0xfff) != page) continue;
      if (at == pc) {
        setFetchWindow(1, 0);
        return;
      }
      if (at < pc && at + 2 > lo) lo = at + 2;
      if (at > pc && at - 2 < hi) hi = at - 2;
    }
  }
  setFetchWindow(lo, hi - lo);
}

function useFetchPage(page: u64, addend: u64): void {
  setFetchPage(page, addend, pageHasBreakpoints(page));
}

// --- physical accesses ---

function syncClock(): void {
  store<u64>(CLOCK_STEPS, clockNow());
}

/** Reads `size` bytes at a translated physical address (RAM or MMIO). */
function physicalRead(paddr: u64, size: u32, access: u32, vaddr: u64): u64 {
  if (isRam(paddr, size)) {
    const host = ramHost(paddr);
    if (size == 1) return <u64>load<u8>(host);
    if (size == 2) return <u64>load<u16>(host);
    if (size == 4) return <u64>load<u32>(host);
    return load<u64>(host);
  }
  syncClock();
  store<u32>(MMIO_FAULT, 0);
  store<u32>(MMIO_HI, 0);
  const lo = mmioRead(<u32>paddr, <u32>(paddr >> 32), size);
  if (load<u32>(MMIO_FAULT) != 0) {
    raise(accessFaultCause(access), vaddr);
    return 0;
  }
  const value = (<u64>load<u32>(MMIO_HI) << 32) | <u64><u32>lo;
  return size == 8 ? value : value & ((<u64>1 << (<u64>size * 8)) - 1);
}

function physicalWrite(paddr: u64, size: u32, value: u64, vaddr: u64): void {
  if (isRam(paddr, size)) {
    const host = ramHost(paddr);
    if (size == 1) store<u8>(host, <u8>value);
    else if (size == 2) store<u16>(host, <u16>value);
    else if (size == 4) store<u32>(host, <u32>value);
    else store<u64>(host, value);
    markDirtyPhysical(paddr);
    if (((paddr + size - 1) >> 12) != (paddr >> 12)) markDirtyPhysical(paddr + size - 1);
    return;
  }
  syncClock();
  const result = mmioWrite(<u32>paddr, <u32>(paddr >> 32), size, <i32>value, <i32>(value >> 32));
  if (result == 1) {
    raise(CAUSE_STORE_ACCESS_FAULT, vaddr);
    return;
  }
  // A device write may have changed mtimecmp, an interrupt line or asked the host to look.
  setTimerCheck(true);
  setInterruptCheck(true);
  if (result == 2) requestStop(STOP_HOST);
}

const CAUSE_STORE_ACCESS_FAULT: u64 = 7;

// --- data accesses through translation ---

/** `vaddr + offset` for the bytes of an access that crosses a page: at XLEN = 32 addresses
 * wrap at 2^32 (the last page's neighbour is page 0). */
function offsetAddress(vaddr: u64, offset: u64): u64 {
  const addr = vaddr + offset;
  return isRv32() ? addr & 0xffffffff : addr;
}

/** The slow path of a load: translation, PMP, MMIO, watchpoints, TLB fill. */
export function loadSlow(vaddr: u64, size: u32): u64 {
  if (watchStops(vaddr, size, WATCH_READ)) return 0;
  const priv = effectiveDataPriv();
  const lastByte = vaddr + <u64>size - 1;
  if ((vaddr >> 12) != (lastByte >> 12)) {
    // Crosses a page: read byte by byte (each page translated, faults at the first bad byte).
    let value: u64 = 0;
    for (let i: u32 = 0; i < size; i++) {
      const byte = loadSlow(offsetAddress(vaddr, i), 1);
      if (trapPending) return 0;
      value |= byte << (<u64>i * 8);
    }
    return value;
  }
  if (!translate(vaddr, size, ACCESS_READ, priv, true)) {
    raise(faultCause, vaddr);
    return 0;
  }
  const paddr = translatedAddr;
  if (!isRam(paddr, size) && (paddr & (<u64>size - 1)) != 0) {
    // Misaligned device access: split into bytes.
    let value: u64 = 0;
    for (let i: u32 = 0; i < size; i++) {
      value |= physicalRead(paddr + i, 1, ACCESS_READ, vaddr) << (<u64>i * 8);
      if (trapPending) return 0;
    }
    return value;
  }
  const value = physicalRead(paddr, size, ACCESS_READ, vaddr);
  if (trapPending) return 0;
  if (pageCacheable && isRam(paddr, size) && !pageWatched(vaddr, paddr, WATCH_READ)) {
    tlbFill(dataTlb, vaddr, paddr, TAG_READ);
  }
  checkWatch(vaddr, paddr, size, false);
  return value;
}

export function storeSlow(vaddr: u64, size: u32, value: u64): void {
  if (watchStops(vaddr, size, WATCH_WRITE)) return;
  const priv = effectiveDataPriv();
  const lastByte = vaddr + <u64>size - 1;
  if ((vaddr >> 12) != (lastByte >> 12)) {
    // Crosses a page: check both pages before writing anything.
    if (!translate(vaddr, 1, ACCESS_WRITE, priv, true)) {
      raise(faultCause, vaddr);
      return;
    }
    const secondPage = offsetAddress(lastByte, 0) & ~<u64>0xfff;
    if (!translate(secondPage, 1, ACCESS_WRITE, priv, true)) {
      raise(faultCause, secondPage);
      return;
    }
    for (let i: u32 = 0; i < size; i++) {
      storeSlow(offsetAddress(vaddr, i), 1, value >> (<u64>i * 8));
      if (trapPending) return;
    }
    return;
  }
  if (!translate(vaddr, size, ACCESS_WRITE, priv, true)) {
    raise(faultCause, vaddr);
    return;
  }
  const paddr = translatedAddr;
  if (!isRam(paddr, size) && (paddr & (<u64>size - 1)) != 0) {
    for (let i: u32 = 0; i < size; i++) {
      physicalWrite(paddr + i, 1, value >> (<u64>i * 8), vaddr);
      if (trapPending) return;
    }
    return;
  }
  physicalWrite(paddr, size, value, vaddr);
  if (trapPending) return;
  if (pageCacheable && isRam(paddr, size) && !pageWatched(vaddr, paddr, WATCH_WRITE)) {
    // Installing a write entry marks the page dirty now: later fast-path writes need no mark.
    tlbFill(dataTlb, vaddr, paddr, TAG_WRITE);
  }
  checkWatch(vaddr, paddr, size, true);
}

// Fast paths: a hit needs the page tag to match and the access to be naturally aligned.
@inline function hitTag(vaddr: u64, size: u64): u64 {
  return (vaddr & ~<u64>0xfff) | (vaddr & (size - 1));
}

@inline export function load8(vaddr: u64): u64 {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_READ) == (vaddr & ~<u64>0xfff)) return <u64>load<u8>(<usize>(vaddr + load<u64>(e + ADDEND)));
  return loadSlow(vaddr, 1);
}

@inline export function load16(vaddr: u64): u64 {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_READ) == hitTag(vaddr, 2)) return <u64>load<u16>(<usize>(vaddr + load<u64>(e + ADDEND)));
  return loadSlow(vaddr, 2);
}

@inline export function load32(vaddr: u64): u64 {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_READ) == hitTag(vaddr, 4)) return <u64>load<u32>(<usize>(vaddr + load<u64>(e + ADDEND)));
  return loadSlow(vaddr, 4);
}

@inline export function load64(vaddr: u64): u64 {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_READ) == hitTag(vaddr, 8)) return load<u64>(<usize>(vaddr + load<u64>(e + ADDEND)));
  return loadSlow(vaddr, 8);
}

@inline export function store8(vaddr: u64, value: u64): void {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_WRITE) == (vaddr & ~<u64>0xfff)) store<u8>(<usize>(vaddr + load<u64>(e + ADDEND)), <u8>value);
  else storeSlow(vaddr, 1, value);
}

@inline export function store16(vaddr: u64, value: u64): void {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_WRITE) == hitTag(vaddr, 2)) store<u16>(<usize>(vaddr + load<u64>(e + ADDEND)), <u16>value);
  else storeSlow(vaddr, 2, value);
}

@inline export function store32(vaddr: u64, value: u64): void {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_WRITE) == hitTag(vaddr, 4)) store<u32>(<usize>(vaddr + load<u64>(e + ADDEND)), <u32>value);
  else storeSlow(vaddr, 4, value);
}

@inline export function store64(vaddr: u64, value: u64): void {
  const e = tlbEntry(dataTlb, vaddr);
  if (load<u64>(e + TAG_WRITE) == hitTag(vaddr, 8)) store<u64>(<usize>(vaddr + load<u64>(e + ADDEND)), value);
  else storeSlow(vaddr, 8, value);
}

/**
 * Translates an atomic access (AMO, LR, SC) of `size` bytes: it must be aligned and in RAM.
 * Returns the host address, or 0 after raising the exception. LR is a load; AMOs and SC are
 * stores (store/AMO causes). `watch` is what the access does for watches: LR reads
 * (WATCH_READ), SC writes, an AMO both.
 */
export function atomicAddress(vaddr: u64, size: u32, isLoad: bool, watch: u64): usize {
  if (watchStops(vaddr, size, watch)) return 0;
  if ((vaddr & (<u64>size - 1)) != 0) {
    raise(isLoad ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE, vaddr);
    return 0;
  }
  const priv = effectiveDataPriv();
  const access = isLoad ? ACCESS_READ : ACCESS_WRITE;
  // An AMO must be readable too (W without R cannot occur in a valid PTE or PMP rule is rare).
  if (!translate(vaddr, size, access, priv, true)) {
    raise(faultCause, vaddr);
    return 0;
  }
  const paddr = translatedAddr;
  if (!isRam(paddr, size)) {
    // Atomics on devices are not supported (QEMU's virt devices do not support them either).
    raise(accessFaultCause(access), vaddr);
    return 0;
  }
  if (!isLoad) markDirtyPhysical(paddr);
  if (load<u32>(WATCH_COUNT) != 0) {
    checkWatch(vaddr, paddr, size, false);
    if (!isLoad) checkWatch(vaddr, paddr, size, true);
  }
  return ramHost(paddr);
}

// --- instruction fetch ---

/** Fetches a 16-bit parcel at `vaddr` through the slow path (0 after raising a fault). */
function fetchParcel(vaddr: u64): u32 {
  const priv = getPriv();
  if (!translate(vaddr, 2, ACCESS_FETCH, priv, true)) {
    raise(faultCause, vaddr);
    return 0;
  }
  const paddr = translatedAddr;
  if (isRam(paddr, 2)) {
    if (pageCacheable) {
      tlbFill(fetchTlb, vaddr, paddr, TAG_FETCH);
      useFetchPage(vaddr & ~<u64>0xfff, <u64>ramHost(paddr & ~<u64>0xfff) - (vaddr & ~<u64>0xfff));
    }
    return <u32>load<u16>(ramHost(paddr));
  }
  return <u32>physicalRead(paddr, 2, ACCESS_FETCH, vaddr);
}

/** Fetch slow path: a TLB lookup, then a walk; handles instructions that cross pages. */
@inline export function fetchSlow(pc: u64): u32 {
  const e = tlbEntry(fetchTlb, pc);
  const page = pc & ~<u64>0xfff;
  if (load<u64>(e + TAG_FETCH) == page) {
    useFetchPage(page, load<u64>(e + ADDEND));
    if ((pc & 0xfff) <= 0xffc) return load<u32>(<usize>(pc + load<u64>(e + ADDEND)));
  }
  const low = fetchParcel(pc);
  if (trapPending || (low & 3) != 3) return low;
  const high = fetchParcel(offsetAddress(pc, 2));
  if (trapPending) return 0;
  return low | (high << 16);
}

export { ACCESS_FETCH };
