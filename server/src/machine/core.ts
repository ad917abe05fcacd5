// The host's handle on the WebAssembly hart core: loads dist/core.wasm, owns its linear
// memory (guest RAM included) and exposes registers, CSRs, run(), interrupts and RAM views.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as L from '../../core/layout';

/** Why Core.run() returned (mirrors STOP_* in server/core/layout.ts). */
export type CoreStop =
  | { kind: 'budget' }
  | { kind: 'wfi' }
  | { kind: 'breakpoint' }
  | { kind: 'watch-read'; addr: bigint }
  | { kind: 'watch-write'; addr: bigint }
  | { kind: 'host' }
  | { kind: 'host-watch'; addr: bigint }
  /** A trap setCatch() asked for was taken; pc is the handler's first instruction. */
  | { kind: 'trap'; cause: bigint };

/** What the core asks of the bus for physical addresses outside RAM. */
export interface MmioBus {
  /** Read `size` (1, 2, 4, 8) bytes at physical `addr`; undefined means no device (access fault). */
  read(addr: number, size: number): bigint | number | undefined;
  /** Write; returns 'ok', 'fault' (no device) or 'stop' (done, and the host must look now). */
  write(addr: number, size: number, value: bigint): 'ok' | 'fault' | 'stop';
}

interface CoreExports {
  init(): void;
  run(budget: number): number;
  setPending(mask: number, on: number): void;
  tlbFlush(): void;
  csrRead(n: number): bigint;
  csrWrite(n: number, value: bigint): number;
  translate(vaddr: bigint, access: number): bigint;
  mtime(): bigint;
  timerWakeStep(): bigint;
  saveHart(slot: number): void;
  loadHart(slot: number): void;
  reservedValue(): bigint;
  setReservedValue(value: bigint): void;
}

export type AccessKind = 'read' | 'write' | 'fetch';
const ACCESS_CODE: Record<AccessKind, number> = { read: 0, write: 1, fetch: 2 };

const PAGE = 4096;
const WASM_PAGE = 65536;

let cachedModule: WebAssembly.Module | undefined;

/** The hart's register width: RV64 (the default) or RV32 (`-cpu rv32`, or a 32-bit ELF). */
export type Xlen = 32 | 64;

export interface CoreOptions {
  /** XLEN of the harts (misa.MXL, the instruction set, Sv32 or Sv39/48/57); 64 when absent. */
  readonly xlen?: Xlen;
}

/** Finds dist/core.wasm from the bundle (dist/) or from the sources (server/src/machine). */
function coreWasmPath(): string {
  const candidates = [
    path.join(__dirname, 'core.wasm'),
    path.join(__dirname, '..', '..', '..', 'dist', 'core.wasm'),
  ];
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`core.wasm not found (looked in ${candidates.join(', ')}): run npm run build`);
}

function compiledCore(): WebAssembly.Module {
  cachedModule ??= new WebAssembly.Module(fs.readFileSync(coreWasmPath()));
  return cachedModule;
}

export class Core {
  readonly memory: WebAssembly.Memory;
  readonly ramSize: number;
  readonly xlen: Xlen;
  private readonly exports: CoreExports;
  private view: DataView;
  private ramBytes: Uint8Array;

  constructor(ramSize: number, bus: MmioBus, options: CoreOptions = {}) {
    if (ramSize <= 0 || ramSize % PAGE !== 0) throw new Error(`RAM size must be a positive multiple of 4 KiB`);
    const pages = Math.ceil((L.RAM_HOST + ramSize) / WASM_PAGE);
    if (pages > 65536) throw new Error(`RAM size ${ramSize} does not fit in a 4 GiB wasm memory`);
    this.ramSize = ramSize;
    this.xlen = options.xlen ?? 64;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.view = new DataView(this.memory.buffer);
    this.ramBytes = new Uint8Array(this.memory.buffer, L.RAM_HOST, ramSize);
    const view = () => this.view;
    const env = {
      memory: this.memory,
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`core aborted at ${line}:${column}`);
      },
      mmioRead(addrLo: number, addrHi: number, size: number): number {
        const addr = addrHi === 0 ? addrLo >>> 0 : undefined;
        const value = addr === undefined ? undefined : bus.read(addr, size);
        if (value === undefined) {
          view().setUint32(L.MMIO_FAULT, 1, true);
          return 0;
        }
        const big = BigInt.asUintN(64, BigInt(value));
        view().setUint32(L.MMIO_HI, Number(big >> 32n), true);
        return Number(big & 0xffffffffn) | 0;
      },
      mmioWrite(addrLo: number, addrHi: number, size: number, lo: number, hi: number): number {
        if (addrHi !== 0) return 1;
        const value = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        const result = bus.write(addrLo >>> 0, size, value);
        return result === 'ok' ? 0 : result === 'fault' ? 1 : 2;
      },
    };
    const instance = new WebAssembly.Instance(compiledCore(), { env });
    this.exports = instance.exports as unknown as CoreExports;
    this.view.setBigUint64(L.RAM_SIZE, BigInt(ramSize), true);
    this.view.setUint32(L.TIME_SHIFT, 3, true);
    this.view.setUint32(L.XLEN, this.xlen, true);
    this.exports.init();
  }

  /** Guest RAM as bytes (index 0 = guest physical 0x80000000). */
  get ram(): Uint8Array {
    return this.ramBytes;
  }

  /** Power-on reset of the active hart: registers, CSRs (PMP included), privilege M, pc
   * 0x1000, the TLB and the trap record. It keeps the clock, the time shift, the hart id,
   * the XLEN, RAM and the breakpoint and watch tables. */
  reset(): void {
    this.exports.init();
  }

  /** Runs up to `budget` steps of the active hart. */
  run(budget: number): CoreStop {
    const reason = this.exports.run(budget);
    switch (reason) {
      case L.STOP_BUDGET: return { kind: 'budget' };
      case L.STOP_WFI: return { kind: 'wfi' };
      case L.STOP_BREAKPOINT: return { kind: 'breakpoint' };
      case L.STOP_WATCH_READ: return { kind: 'watch-read', addr: this.u64(L.STOP_ARG) };
      case L.STOP_WATCH_WRITE: return { kind: 'watch-write', addr: this.u64(L.STOP_ARG) };
      case L.STOP_HOST: return { kind: 'host' };
      case L.STOP_HOST_WATCH: return { kind: 'host-watch', addr: this.u64(L.STOP_ARG) };
      case L.STOP_TRAP: return { kind: 'trap', cause: this.u64(L.STOP_ARG) };
      default: throw new Error(`core returned unknown stop reason ${reason}`);
    }
  }

  /** Steps executed by the last run(). */
  get stepsDone(): number {
    return Number(this.u64(L.STEPS_DONE));
  }

  /** Steps taken by all harts since reset (the virtual clock). */
  get clockSteps(): bigint {
    return this.u64(L.CLOCK_STEPS);
  }

  set clockSteps(value: bigint) {
    this.view.setBigUint64(L.CLOCK_STEPS, value, true);
  }

  /** The icount shift: one step lasts 2^shift ns. */
  set timeShift(shift: number) {
    this.view.setUint32(L.TIME_SHIFT, shift, true);
  }

  /** The clock step (see clockSteps) at which a timer enabled in mie next fires, or
   * undefined when none is armed: where the clock may skip while the hart waits in wfi. */
  timerWakeStep(): bigint | undefined {
    const step = this.exports.timerWakeStep();
    return step < 0n ? undefined : step;
  }

  /** The trap counter and the last trap taken (for -d int and debuggers). */
  get lastTrap(): { count: bigint; cause: bigint; tval: bigint; epc: bigint; target: number } {
    return {
      count: this.u64(L.HART_TRAPS),
      cause: this.u64(L.HART_LAST_CAUSE),
      tval: this.u64(L.HART_LAST_TVAL),
      epc: this.u64(L.HART_LAST_EPC),
      target: this.view.getUint32(L.HART_LAST_TARGET, true),
    };
  }

  /** mtime in 10 MHz ticks. */
  mtime(): bigint {
    return BigInt.asUintN(64, this.exports.mtime());
  }

  /** x[index] as an XLEN-bit unsigned value. */
  getX(index: number): bigint {
    return BigInt.asUintN(this.xlen, this.u64(L.HART_X + index * 8));
  }

  /** Sets x[index] to the low XLEN bits of `value` (an RV32 register is stored sign-extended). */
  setX(index: number, value: bigint): void {
    const stored = this.xlen === 32 ? BigInt.asIntN(32, value) : value;
    if (index !== 0) this.view.setBigUint64(L.HART_X + index * 8, BigInt.asUintN(64, stored), true);
  }

  get pc(): bigint {
    return this.u64(L.HART_PC);
  }

  set pc(value: bigint) {
    this.view.setBigUint64(L.HART_PC, BigInt.asUintN(this.xlen, value), true);
  }

  /** Current privilege level: 0 = U, 1 = S, 3 = M. */
  get privilege(): number {
    return this.view.getUint32(L.HART_PRIV, true);
  }

  set privilege(level: number) {
    this.view.setUint32(L.HART_PRIV, level, true);
    this.exports.tlbFlush();
  }

  get waitingForInterrupt(): boolean {
    return this.view.getUint32(L.HART_WFI, true) !== 0;
  }

  get hartId(): bigint {
    return this.u64(L.HART_ID);
  }

  set hartId(id: bigint) {
    this.view.setBigUint64(L.HART_ID, id, true);
  }

  /** Reads a CSR without side effects or privilege checks; undefined if it does not exist. */
  readCsr(csr: number): bigint | undefined {
    const value = BigInt.asUintN(64, this.exports.csrRead(csr));
    return this.view.getUint32(L.DEBUG_STATUS, true) === 0 ? value : undefined;
  }

  /** Writes a CSR as the hart would (WARL rules apply); false if it does not exist. */
  writeCsr(csr: number, value: bigint): boolean {
    return this.exports.csrWrite(csr, BigInt.asIntN(64, value)) === 0;
  }

  /** The CLINT's mtimecmp for the active hart. */
  set mtimecmp(value: bigint) {
    this.view.setBigUint64(L.CSR_MTIMECMP, BigInt.asUintN(64, value), true);
  }

  get mtimecmp(): bigint {
    return this.u64(L.CSR_MTIMECMP);
  }

  /** Raises (on) or lowers a device-driven mip bit (MSIP, MEIP, SEIP). */
  setInterruptPending(mask: number, on: boolean): void {
    this.exports.setPending(mask, on ? 1 : 0);
  }

  /** Translates a guest virtual address through the current satp (no A/D updates). */
  translate(vaddr: bigint, access: AccessKind): bigint | undefined {
    const paddr = this.exports.translate(BigInt.asIntN(64, vaddr), ACCESS_CODE[access]);
    return paddr < 0n ? undefined : paddr;
  }

  /** Must follow any direct change to satp, mstatus, PMP or the break/watch tables. */
  flushTlb(): void {
    this.exports.tlbFlush();
  }

  /** Breakpoints on guest virtual PCs, checked by the core on fetch. */
  setBreakpoints(pcs: readonly bigint[]): void {
    if (pcs.length > L.MAX_BREAKPOINTS) throw new Error(`at most ${L.MAX_BREAKPOINTS} breakpoints`);
    pcs.forEach((pc, i) => this.view.setBigUint64(L.BREAK_TABLE + i * 8, BigInt.asUintN(64, pc), true));
    this.view.setUint32(L.BREAK_COUNT, pcs.length, true);
    this.exports.tlbFlush();
    this.flushParkedTlbs();
  }

  /** Watched address ranges: flags from WATCH_* in layout.ts. */
  setWatches(watches: readonly { start: bigint; end: bigint; flags: number }[]): void {
    if (watches.length > L.MAX_WATCHES) throw new Error(`at most ${L.MAX_WATCHES} watches`);
    watches.forEach((w, i) => {
      const at = L.WATCH_TABLE + i * L.WATCH_ENTRY_SIZE;
      this.view.setBigUint64(at, BigInt.asUintN(64, w.start), true);
      this.view.setBigUint64(at + 8, BigInt.asUintN(64, w.end), true);
      this.view.setBigUint64(at + 16, BigInt(w.flags), true);
    });
    this.view.setUint32(L.WATCH_COUNT, watches.length, true);
    this.exports.tlbFlush();
    this.flushParkedTlbs();
  }

  /** DEBUG_* flags for the following runs (DEBUG_NO_INTERRUPTS: a debugger's single step). */
  set debugFlags(flags: number) {
    this.view.setUint32(L.DEBUG_FLAGS, flags, true);
  }

  /** Traps that stop a run right after they are taken (STOP_TRAP): bit n of `exceptions`
   * for exception cause n, of `interrupts` for interrupt n. Every hart shares them. */
  setCatch(exceptions: bigint, interrupts: bigint): void {
    this.view.setBigUint64(L.CATCH_EXCEPTIONS, BigInt.asUintN(64, exceptions), true);
    this.view.setBigUint64(L.CATCH_INTERRUPTS, BigInt.asUintN(64, interrupts), true);
  }

  /** The active hart's valid software-TLB entries (debuggers' `info tlb`): per privilege set,
   * the virtual page, the physical page and which accesses it caches. */
  tlbEntries(): { privilege: number; vpage: bigint; ppage: bigint; read: boolean; write: boolean; execute: boolean }[] {
    const invalid = (1n << 64n) - 1n;
    const entries = [];
    for (let set = 0; set < 3; set++) {
      for (let i = 0; i < L.TLB_ENTRIES; i++) {
        const at = L.TLB + set * L.TLB_SET_SIZE + i * L.TLB_ENTRY_SIZE;
        const tags = [this.u64(at), this.u64(at + 8), this.u64(at + 16)];
        const vpage = tags.find((tag) => tag !== invalid);
        if (vpage === undefined) continue;
        // The addend maps the virtual page to its host address in linear memory (RAM only).
        const host = BigInt.asUintN(64, vpage + this.u64(at + 24));
        const ppage = host - BigInt(L.RAM_HOST) + BigInt(L.RAM_GUEST_BASE_LO);
        entries.push({ privilege: set === 2 ? 3 : set, vpage, ppage, read: tags[0] === vpage, write: tags[1] === vpage, execute: tags[2] === vpage });
      }
    }
    return entries;
  }

  /** Marks guest RAM pages dirty after a host write (loader, DMA, debugger). */
  markDirty(ramOffset: number, length: number): void {
    if (length <= 0) return;
    const first = Math.floor(ramOffset / PAGE);
    const last = Math.floor((ramOffset + length - 1) / PAGE);
    const bytes = new Uint8Array(this.memory.buffer, L.DIRTY_BITMAP, L.DIRTY_BITMAP_SIZE);
    for (let page = first; page <= last; page++) bytes[page >> 3] |= 1 << (page & 7);
  }

  /** True until the dirty map is first taken: it then names every page ever written, so every
   * page it does not name is still zero (guest RAM starts zeroed). */
  get dirtyMapComplete(): boolean {
    return !this.dirtyTaken;
  }

  private dirtyTaken = false;

  /** Returns the dirty RAM page numbers and clears the map (write TLB entries are dropped). */
  takeDirtyPages(): number[] {
    this.dirtyTaken = true;
    const bytes = new Uint8Array(this.memory.buffer, L.DIRTY_BITMAP, L.DIRTY_BITMAP_SIZE);
    const pages: number[] = [];
    const count = this.ramSize / PAGE;
    for (let i = 0; i < (count + 7) >> 3; i++) {
      if (bytes[i] === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (bytes[i] & (1 << bit)) pages.push(i * 8 + bit);
      bytes[i] = 0;
    }
    this.exports.tlbFlush();
    this.flushParkedTlbs();
    return pages;
  }

  /** Copies bytes into guest RAM at a physical address, marking the pages dirty. */
  writePhysical(paddr: bigint, data: Uint8Array): void {
    const offset = this.ramOffset(paddr, data.length);
    this.ramBytes.set(data, offset);
    this.markDirty(offset, data.length);
  }

  /** Copies bytes out of guest RAM at a physical address. */
  readPhysical(paddr: bigint, length: number): Uint8Array {
    const offset = this.ramOffset(paddr, length);
    return this.ramBytes.slice(offset, offset + length);
  }

  /** True if [paddr, paddr+length) lies in guest RAM. */
  inRam(paddr: bigint, length: number): boolean {
    const base = BigInt(L.RAM_GUEST_BASE_LO);
    return paddr >= base && paddr + BigInt(length) <= base + BigInt(this.ramSize);
  }

  /** Parks the active hart's state (and TLB) in slot `slot`, or brings it back. */
  saveHart(slot: number): void {
    this.exports.saveHart(slot);
  }

  loadHart(slot: number): void {
    this.exports.loadHart(slot);
  }

  /** The value the active hart's last LR read: SC succeeds only while memory still holds it
   * (QEMU's way). It is not in the hart's state block, so whoever parks harts keeps it. */
  get reservedValue(): bigint {
    return BigInt.asUintN(64, this.exports.reservedValue());
  }

  set reservedValue(value: bigint) {
    this.exports.setReservedValue(BigInt.asIntN(64, value));
  }

  /** A u64 field of the hart parked in `slot`, named by its layout offset in the active
   * block (L.HART_MIP_HW, L.CSR_MTIMECMP, ...). */
  parkedU64(slot: number, field: number): bigint {
    return this.u64(this.parkedOffset(slot, field));
  }

  setParkedU64(slot: number, field: number, value: bigint): void {
    this.view.setBigUint64(this.parkedOffset(slot, field), BigInt.asUintN(64, value), true);
  }

  /** A u32 field of a parked hart (L.HART_WFI, L.HART_PRIV). */
  parkedU32(slot: number, field: number): number {
    return this.view.getUint32(this.parkedOffset(slot, field), true);
  }

  private parkedOffset(slot: number, field: number): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= L.MAX_HARTS) throw new RangeError(`no hart slot ${slot}`);
    if (field < L.HART || field >= L.HART + L.HART_STATE_SIZE) throw new RangeError(`0x${field.toString(16)} is not a hart state field`);
    return L.HART_SLOTS + slot * L.HART_SLOT_SIZE + (field - L.HART);
  }

  /** Empties the TLBs parked with the harts (every tag all ones, as tlbFlushAll leaves them):
   * after the break or watch tables change, or the dirty map is cleared, no hart may keep an
   * entry that skips those checks. The active hart's own slot is overwritten when it parks. */
  private flushParkedTlbs(): void {
    for (let slot = 0; slot < L.MAX_HARTS; slot++) {
      const at = L.HART_SLOTS + slot * L.HART_SLOT_SIZE + L.HART_STATE_SIZE;
      new Uint8Array(this.memory.buffer, at, L.TLB_SIZE).fill(0xff);
    }
  }

  private ramOffset(paddr: bigint, length: number): number {
    if (!this.inRam(paddr, length)) {
      throw new RangeError(`0x${paddr.toString(16)}+${length} is outside guest RAM`);
    }
    return Number(paddr - BigInt(L.RAM_GUEST_BASE_LO));
  }

  private u64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }
}
