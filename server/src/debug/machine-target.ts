// The Machine as a DebugTarget (target.ts): registers, memory, breakpoints, watchpoints and run
// control for the GDB stub and the DAP bridge, and the host side of the monitor's commands.
import * as L from '../../core/layout';
import type { DebugHalt, DebugRun, Machine } from '../machine/machine';
import { DRAM_BASE } from '../machine/memory-map';
import { csrNames, floatRegisterNames, integerRegisterNames, rv32CsrNames } from './disassemble';
import type { CatchKind, MonitorHost, MonitorSnapshots } from './monitor';
import type { MonitorNetworks } from './monitor-network';
import { parseHostForward } from '../cli/virtio-options';
import { commitDisks } from '../snapshot/commit';
import type { RamProgress } from '../snapshot/ram';
import { SnapshotStore } from '../snapshot/store';
import { TimeTravel, type HistoryOptions, type TravelStop } from '../history/time-travel';
import {
  REG_CSR0, REG_F0, REG_PC, REG_PRIV,
  type AddressSpace, type BreakpointKind, type DebugTarget, type HartInfo, type MonitorCapability,
  type RegisterInfo, type ResumeAction, type StopReason, type WatchKind,
} from './target';

const ALL_CAUSES = (1n << 64n) - 1n;
/** Exception causes per catch kind (privileged spec 1.12, table 3.6). */
const CATCH_EXCEPTIONS: Record<CatchKind, bigint> = {
  trap: ALL_CAUSES,
  exception: ALL_CAUSES,
  interrupt: 0n,
  ecall: (1n << 8n) | (1n << 9n) | (1n << 10n) | (1n << 11n),
  pagefault: (1n << 12n) | (1n << 13n) | (1n << 15n),
};
const CATCH_INTERRUPTS: Record<CatchKind, bigint> = {
  trap: ALL_CAUSES, exception: 0n, interrupt: ALL_CAUSES, ecall: 0n, pagefault: 0n,
};

const FLOAT_CSRS = new Set([0x001, 0x002, 0x003]); // fflags, frm, fcsr: the fpu feature's, not the csr feature's
const PAGE = 4096n;

interface Watchpoint {
  readonly addr: bigint;
  readonly length: number;
  readonly kind: WatchKind;
}

type StopListener = (reason: StopReason) => void;

export interface MachineDebugTargetOptions {
  /**
   * Time travel (history/time-travel.ts). Absent: on, unless the guest makes semihosting
   * calls (host effects cannot be replayed) or a writable disk writes straight to its image
   * (its writes could not be undone). Options: on, and such disks keep their writes in their
   * overlay (`monitor commit` writes them back). false: off.
   */
  readonly history?: HistoryOptions | false;
  /** Runs a savevm or loadvm (`label`: "savevm NAME") handing it a RAM progress callback (the CLI's progress line); none by default. */
  readonly snapshotProgress?: <T>(label: string, run: (progress: RamProgress) => T) => T;
}

export class MachineDebugTarget implements DebugTarget {
  readonly xlen: 32 | 64;
  readonly registers: readonly RegisterInfo[];
  addressSpace: AddressSpace = 'virtual';
  /** `step-irq on`: a single step may take an interrupt (off by default, as QEMU's). */
  stepInterrupts = false;
  monitor?: MonitorCapability;
  private readonly breakpoints = new Map<bigint, Set<BreakpointKind>>();
  private watchpoints: Watchpoint[] = [];
  private readonly catches = new Set<CatchKind>();
  private readonly listeners: StopListener[] = [];
  private stop: StopReason | undefined;
  private finished = false;
  private readonly registerByNumber = new Map<number, RegisterInfo>();

  /** savevm/loadvm/delvm/info snapshots: files by name in the snapshot folder (snapshot/store.ts). */
  readonly snapshots: MonitorSnapshots;

  /** Records history and moves through it, when on. */
  readonly timeTravel: TimeTravel | undefined;

  /** `snapshotDir`: where named snapshots live (snapshot/store.ts; the working directory's by default). */
  constructor(readonly machine: Machine, snapshotDir?: string, options: MachineDebugTargetOptions = {}) {
    const store = new SnapshotStore(machine, snapshotDir);
    const withProgress = options.snapshotProgress ?? ((_label, run) => run(() => {}));
    this.snapshots = {
      list: () => store.list(),
      save: (name) => withProgress(`savevm ${name}`, (progress) => store.save(name, { progress })),
      load: (name) => {
        this.timeTravel?.edit();
        withProgress(`loadvm ${name}`, (progress) => store.load(name, { progress }));
        this.timeTravel?.restart(); // the loaded state begins a new history
      },
      delete: (name) => store.delete(name),
    };
    this.xlen = machine.xlen;
    this.registers = this.describeRegisters();
    for (const register of this.registers) this.registerByNumber.set(register.number, register);
    // The machine is halted at construction only with -S: it then stands at the reset vector.
    if (machine.debugHalted) this.stop = { kind: 'paused', hart: 0 };
    machine.onDebugHalt = (halt) => this.halted(halt);
    const history = options.history;
    const directDisk = machine.attachedDisks().some((disk) => !disk.readOnly && !disk.copyOnWrite?.active);
    if (history !== false && !machine.usesSemihosting && (history !== undefined || !directDisk)) {
      const tables = { suspend: () => { machine.setDebugBreakpoints([]); machine.setDebugWatches([]); }, restore: () => { this.applyBreakpoints(); this.applyWatchpoints(); } };
      this.timeTravel = new TimeTravel(machine, tables, history);
    }
  }

  /** History is recorded, so resume() may run backwards. */
  get canReverse(): boolean {
    return this.timeTravel !== undefined && !this.finished;
  }

  get running(): boolean {
    return !this.finished && (!this.machine.debugHalted || this.timeTravel?.busy === true);
  }

  get lastStop(): StopReason | undefined {
    return this.running ? undefined : this.stop;
  }

  harts(): readonly HartInfo[] {
    const { harts } = this.machine;
    return Array.from({ length: harts.count }, (_, hart) => ({
      hart,
      privilege: this.machine.withHart(hart, () => this.machine.core.privilege),
      state: harts.waiting(hart) ? 'waiting' : 'running',
    }));
  }

  readRegister(hart: number, number: number): bigint | undefined {
    if (!this.registerByNumber.has(number) || !this.validHart(hart)) return undefined;
    const core = this.machine.core;
    return this.machine.withHart(hart, () => {
      if (number < 32) return core.getX(number);
      if (number === REG_PC) return core.pc;
      if (number < REG_CSR0) return new DataView(core.memory.buffer).getBigUint64(L.HART_F + (number - REG_F0) * 8, true);
      if (number === REG_PRIV) return BigInt(core.privilege);
      return core.readCsr(number - REG_CSR0);
    });
  }

  writeRegister(hart: number, number: number, value: bigint): boolean {
    if (!this.registerByNumber.has(number) || !this.validHart(hart)) return false;
    const core = this.machine.core;
    return this.machine.withHart(hart, () => {
      if (number < 32) {
        core.setX(number, value);
      } else if (number === REG_PC) {
        core.pc = value;
      } else if (number < REG_CSR0) {
        new DataView(core.memory.buffer).setBigUint64(L.HART_F + (number - REG_F0) * 8, BigInt.asUintN(64, value), true);
      } else if (number === REG_PRIV) {
        if (value !== 0n && value !== 1n && value !== 3n) return false;
        core.privilege = Number(value);
      } else {
        this.timeTravel?.edit();
        if (!core.writeCsr(number - REG_CSR0, value)) return false;
        core.flushTlb();
        return true;
      }
      this.timeTravel?.edit();
      return true;
    });
  }

  readMemory(hart: number, addr: bigint, length: number, space: AddressSpace): Uint8Array {
    const out = new Uint8Array(Math.max(0, length));
    if (!this.validHart(hart)) return out.subarray(0, 0);
    let done = 0;
    for (const piece of this.pieces(hart, addr, out.length, space)) {
      if (piece.paddr === undefined) break;
      const bytes = this.readPhysical(piece.paddr, piece.to - piece.from) ?? new Uint8Array(0);
      out.set(bytes, done);
      done += bytes.length;
      if (done < piece.to) break;
    }
    return out.subarray(0, done);
  }

  writeMemory(hart: number, addr: bigint, data: Uint8Array, space: AddressSpace): boolean {
    if (!this.validHart(hart)) return false;
    const core = this.machine.core;
    // Translate every page first: all of it is written, or none.
    const pieces = [...this.pieces(hart, addr, data.length, space)];
    if (pieces.some((piece) => piece.paddr === undefined || !core.inRam(piece.paddr, piece.to - piece.from))) return false;
    this.timeTravel?.edit();
    for (const piece of pieces) core.writePhysical(piece.paddr!, data.subarray(piece.from, piece.to));
    return true;
  }

  /** [addr, addr + length) page by page: each piece's physical address (undefined where the
   * hart's translation has none) and its offsets in the range. */
  private *pieces(hart: number, addr: bigint, length: number, space: AddressSpace): Generator<{ paddr: bigint | undefined; from: number; to: number }> {
    for (let done = 0; done < length;) {
      const at = BigInt.asUintN(this.xlen, addr + BigInt(done));
      const chunk = Math.min(length - done, Number(PAGE - (at % PAGE)));
      yield { paddr: space === 'physical' ? at : this.translate(hart, at), from: done, to: done + chunk };
      done += chunk;
    }
  }

  /** Bytes at a physical address: RAM, or device registers through their side-effect-free
   * peek; the readable prefix, undefined when not even the first byte is. */
  readPhysical(paddr: bigint, length: number): Uint8Array | undefined {
    const core = this.machine.core;
    const out = new Uint8Array(length);
    let done = 0;
    const ramEnd = BigInt(DRAM_BASE) + BigInt(core.ramSize);
    while (done < length) {
      const at = paddr + BigInt(done);
      if (core.inRam(at, 1)) {
        const take = Math.min(length - done, Number(ramEnd - at));
        out.set(core.readPhysical(at, take), done);
        done += take;
        continue;
      }
      const byte = this.peekByte(at);
      if (byte === undefined) break;
      out[done++] = byte;
    }
    return done === 0 && length > 0 ? undefined : out.subarray(0, done);
  }

  addBreakpoint(addr: bigint, kind: BreakpointKind): boolean {
    const kinds = this.breakpoints.get(addr);
    if (!kinds && this.breakpoints.size >= this.machine.breakpointCapacity) return false;
    if (kinds) kinds.add(kind);
    else this.breakpoints.set(addr, new Set([kind]));
    this.applyBreakpoints();
    return true;
  }

  removeBreakpoint(addr: bigint, kind: BreakpointKind): boolean {
    const kinds = this.breakpoints.get(addr);
    if (!kinds?.delete(kind)) return false;
    if (kinds.size === 0) this.breakpoints.delete(addr);
    this.applyBreakpoints();
    return true;
  }

  addWatchpoint(addr: bigint, length: number, kind: WatchKind): boolean {
    if (!Number.isSafeInteger(length) || length <= 0 || addr + BigInt(length) > 1n << BigInt(this.xlen)) return false;
    if (this.watchpoints.length >= L.MAX_WATCHES - 1) return false; // one entry stays for HTIF's tohost
    this.watchpoints.push({ addr, length, kind });
    this.applyWatchpoints();
    return true;
  }

  removeWatchpoint(addr: bigint, length: number, kind: WatchKind): boolean {
    const index = this.watchpoints.findIndex((w) => w.addr === addr && w.length === length && w.kind === kind);
    if (index < 0) return false;
    this.watchpoints.splice(index, 1);
    this.applyWatchpoints();
    return true;
  }

  resume(action: ResumeAction): void {
    if (this.finished) return;
    const plan: DebugRun = action.kind === 'step'
      ? { kind: 'step', hart: action.hart, others: action.others, interrupts: this.stepInterrupts }
      : { kind: 'continue', harts: action.harts };
    const travel = this.timeTravel;
    if (action.reverse && !travel) throw new Error('this target records no history');
    if (travel?.busy) throw new Error('the machine is moving through its history');
    this.stop = undefined;
    if (travel && (action.reverse || travel.inPast)) {
      const hart = action.kind === 'step' ? action.hart : this.stopHart();
      const move = !action.reverse ? travel.forward(plan) : action.kind === 'step' ? travel.reverseStep(hart) : travel.reverseContinue(hart, action.kind === 'continue' ? action.harts : undefined);
      move.then(
        (stop) => { if (stop !== 'live') this.travelled(stop); },
        (error: unknown) => {
          process.stderr.write(`lantern: ${error instanceof Error ? error.message : String(error)}\n`);
          this.travelled({ kind: 'paused', hart });
        },
      );
      return;
    }
    travel?.resumed(plan);
    this.machine.debugResume(plan);
  }

  pause(): void {
    if (this.timeTravel?.busy) this.timeTravel.pause();
    else this.machine.debugPause();
  }

  onStop(listener: StopListener): void {
    this.listeners.push(listener);
  }

  /** Removes a listener given to onStop (a front end that went away). */
  offStop(listener: StopListener): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  kill(): void {
    this.machine.stop(0);
  }

  clearDebugState(): void {
    this.breakpoints.clear();
    this.watchpoints = [];
    this.applyBreakpoints();
    this.applyWatchpoints();
  }

  // --- the monitor's host side ---

  /** The last trap `hart` took (the core's record). */
  lastTrap(hart: number): { count: bigint; cause: bigint; tval: bigint; epc: bigint; target: number } {
    return this.machine.withHart(hart, () => this.machine.core.lastTrap);
  }

  /** `hart`'s software-TLB entries. */
  tlb(hart: number): ReturnType<Machine['core']['tlbEntries']> {
    return this.machine.withHart(hart, () => this.machine.core.tlbEntries());
  }

  memoryMap(): readonly { name: string; base: bigint; size: bigint }[] {
    return this.machine.memoryMap.map((region) => ({ name: region.name, base: BigInt(region.base), size: BigInt(region.size) }));
  }

  get catching(): ReadonlySet<CatchKind> {
    return this.catches;
  }

  setCatch(kind: CatchKind, on: boolean): void {
    if (on) this.catches.add(kind);
    else this.catches.delete(kind);
    let exceptions = 0n;
    let interrupts = 0n;
    for (const each of this.catches) {
      exceptions |= CATCH_EXCEPTIONS[each];
      interrupts |= CATCH_INTERRUPTS[each];
    }
    this.machine.core.setCatch(exceptions, interrupts);
  }

  /** Stops a running machine; resolves once it has stopped (at once when it is stopped). */
  pauseAndWait(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const listener: StopListener = () => {
        this.offStop(listener);
        resolve();
      };
      this.onStop(listener);
      this.pause();
    });
  }

  /** The monitor's view of this target (monitor.ts). */
  monitorHost(): MonitorHost {
    const target = this;
    return {
      xlen: this.xlen,
      registers: this.registers,
      harts: () => this.harts(),
      get running() { return target.running; },
      readRegister: (hart, number) => this.readRegister(hart, number),
      readMemory: (hart, addr, length, space) => this.readMemory(hart, addr, length, space),
      readPhysical: (addr, length) => this.readPhysical(addr, length),
      lastTrap: (hart) => this.lastTrap(hart),
      tlb: (hart) => this.tlb(hart),
      memoryMap: () => this.memoryMap(),
      get addressSpace() { return target.addressSpace; },
      set addressSpace(space) { target.addressSpace = space; },
      get stepInterrupts() { return target.stepInterrupts; },
      set stepInterrupts(on) { target.stepInterrupts = on; },
      get catching() { return target.catching; },
      setCatch: (kind, on) => this.setCatch(kind, on),
      pause: () => this.pauseAndWait(),
      resume: () => { if (!this.running && !this.finished) this.resume({ kind: 'continue' }); },
      reset: () => { this.timeTravel?.edit(); this.machine.systemReset(); },
      quit: () => this.kill(),
      snapshots: this.snapshots,
      disks: { commit: (device) => commitDisks(this.machine, device) },
      history: () => this.timeTravel?.stats,
      networks: this.networks(),
    };
  }

  /** The NICs' user networks for info network/usernet and hostfwd_add/remove. */
  private networks(): MonitorNetworks {
    const option = 'hostfwd';
    return {
      list: () => this.machine.userNetworks.map(({ network }) => network),
      // A NIC is virtio-net-device.N in NIC order (as info network names it) or its netdev's id.
      setLink: (name, up) => {
        const nics = this.machine.userNetworks;
        const nic = nics.find(({ network }, index) => name === `virtio-net-device.${index}` || name === network.describe().id);
        if (!nic) return false;
        this.timeTravel?.edit(); // the guest's history changes from here (as with a memory write)
        return this.machine.setNicLink(nic.slot, up);
      },
      parseRule: (text) => {
        try {
          return parseHostForward(option, text);
        } catch (error) {
          // The parser's line names the option and the rule; the monitor names the rule itself.
          const message = (error instanceof Error ? error.message : String(error))
            .replace(`${option}: `, '').replace(`hostfwd '${text}': `, '');
          throw new Error(/^invalid hostfwd '.*' \((.*)\)$/.exec(message)?.[1] ?? message);
        }
      },
    };
  }

  // --- internals ---

  /** The hart the last stop named (hart 0 when none did). */
  private stopHart(): number {
    const stop = this.stop;
    return stop && stop.kind !== 'exited' ? stop.hart : 0;
  }

  /** A move through history ended. */
  private travelled(stop: TravelStop): void {
    if (stop.kind !== 'history-start') return this.halted(stop);
    this.stop = stop;
    for (const listener of [...this.listeners]) listener(stop);
  }

  private halted(halt: DebugHalt): void {
    if (this.timeTravel?.intercept(halt)) return;
    if (halt.kind === 'exited') this.finished = true;
    const reason = this.reasonOf(halt);
    this.stop = reason;
    for (const listener of [...this.listeners]) listener(reason);
  }

  private reasonOf(halt: DebugHalt): StopReason {
    switch (halt.kind) {
      case 'exited': return { kind: 'exited', code: halt.status };
      case 'step': return { kind: 'step', hart: halt.hart };
      case 'paused': return { kind: 'paused', hart: halt.hart };
      case 'trap': return { kind: 'trap', hart: halt.hart, cause: halt.cause };
      case 'breakpoint': {
        const kinds = this.breakpoints.get(halt.pc);
        return { kind: 'breakpoint', hart: halt.hart, type: kinds && !kinds.has('software') && kinds.has('hardware') ? 'hardware' : 'software' };
      }
      case 'watch': {
        // The core reports where the access began; name the watched byte it touched first.
        const matches = (w: Watchpoint) => (halt.access === 'write' ? w.kind !== 'read' : w.kind !== 'write');
        const end = (w: Watchpoint) => w.addr + BigInt(w.length);
        const hit = this.watchpoints.find((w) => matches(w) && halt.addr >= w.addr && halt.addr < end(w))
          ?? this.watchpoints.find((w) => matches(w) && w.addr > halt.addr && w.addr < halt.addr + 16n);
        if (!hit) return { kind: 'watchpoint', hart: halt.hart, watch: halt.access, addr: halt.addr };
        return { kind: 'watchpoint', hart: halt.hart, watch: hit.kind, addr: halt.addr > hit.addr ? halt.addr : hit.addr };
      }
    }
  }

  private applyBreakpoints(): void {
    this.machine.setDebugBreakpoints([...this.breakpoints.keys()]);
  }

  private applyWatchpoints(): void {
    const flags = { write: L.WATCH_WRITE, read: L.WATCH_READ, access: L.WATCH_READ | L.WATCH_WRITE };
    this.machine.setDebugWatches(this.watchpoints.map((w) => ({ start: w.addr, end: w.addr + BigInt(w.length), flags: flags[w.kind] })));
  }

  private translate(hart: number, vaddr: bigint): bigint | undefined {
    return this.machine.withHart(hart, () => this.machine.core.translate(vaddr, 'read'));
  }

  /** One byte of a device register: from an aligned word peek where the device answers those
   * (most registers are 32-bit), else from a byte peek. */
  private peekByte(paddr: bigint): number | undefined {
    if (paddr >= 1n << 32n) return undefined;
    const addr = Number(paddr);
    const word = this.machine.bus.peek(addr - (addr % 4), 4);
    if (word !== undefined) return Number((BigInt(word) >> BigInt((addr % 4) * 8)) & 0xffn);
    const byte = this.machine.bus.peek(addr, 1);
    return byte === undefined ? undefined : Number(BigInt(byte) & 0xffn);
  }

  private validHart(hart: number): boolean {
    return Number.isInteger(hart) && hart >= 0 && hart < this.machine.harts.count;
  }

  /** Every register the harts implement: x, pc, f (with fflags, frm, fcsr), each CSR that
   * exists, and priv, numbered as target.ts says. */
  private describeRegisters(): RegisterInfo[] {
    const xlen = this.xlen;
    const registers: RegisterInfo[] = [];
    integerRegisterNames.forEach((name, i) => registers.push({
      number: i, name, bits: xlen, feature: 'cpu', type: i === 1 ? 'code_ptr' : i === 2 || i === 8 ? 'data_ptr' : 'int',
    }));
    registers.push({ number: REG_PC, name: 'pc', bits: xlen, feature: 'cpu', type: 'code_ptr' });
    const core = this.machine.core;
    const misa = this.machine.withHart(0, () => core.readCsr(0x301)) ?? 0n;
    const hasFloat = (misa & (1n << 5n)) !== 0n;
    const floatBits = (misa & (1n << 3n)) !== 0n ? 64 : 32;
    if (hasFloat) {
      floatRegisterNames.forEach((name, i) => registers.push({
        number: REG_F0 + i, name, bits: floatBits, feature: 'fpu', type: floatBits === 64 ? 'ieee_double' : 'ieee_single',
      }));
      for (const csr of FLOAT_CSRS) registers.push({ number: REG_CSR0 + csr, name: csrNames.get(csr)!, bits: 32, feature: 'fpu', type: 'int' });
    }
    const names = new Map([...csrNames, ...(xlen === 32 ? rv32CsrNames : [])]);
    const csrs = [...names.keys()].filter((csr) => !FLOAT_CSRS.has(csr)).sort((a, b) => a - b);
    for (const csr of csrs) {
      if (this.machine.withHart(0, () => core.readCsr(csr)) === undefined) continue;
      registers.push({ number: REG_CSR0 + csr, name: names.get(csr)!, bits: xlen, feature: 'csr', type: 'int' });
    }
    registers.push({ number: REG_PRIV, name: 'priv', bits: xlen, feature: 'virtual', type: 'int' });
    return registers.sort((a, b) => a.number - b.number);
  }
}
