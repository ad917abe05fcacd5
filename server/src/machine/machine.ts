// The Machine: the harts on one core, the bus and the board's devices wired from the memory
// map, firmware and kernel placed, and a run loop that executes in bounded slices and
// yields to Node.
import { randomBytes } from 'node:crypto';
import * as L from '../../core/layout';
import { Clint, type ClintHart } from '../devices/clint';
import { GoldfishRtc } from '../devices/goldfish-rtc';
import { Htif, type HtifMailbox, type HtifMemory } from '../devices/htif';
import { UNCONNECTED, type IrqLine } from '../devices/irq-line';
import { Plic } from '../devices/plic';
import { SifiveTest, type FinisherRequest } from '../devices/sifive-test';
import { Uart16550, type ByteSink } from '../devices/uart16550';
import type { CopyOnWrite } from '../devices/virtio/blk';
import type { VirtioMmio } from '../devices/virtio/mmio';
import { consoleOf, netOf, virtioTransport, type VirtioBoardConfig } from '../devices/virtio/slots';
import type { NetBackend, Offer } from '../devices/virtio/net';
import type { FrameCapture } from '../net/pcap';
import { UserNetwork, type UserNetworkOptions } from '../net/user-network';
import { prepareBootImages, type BootImages } from './boot-images';
import { bootRomImage, Rom } from './boot-rom';
import { Bus, type MmioDevice } from './bus';
import { Core, type CoreStop, type Xlen } from './core';
import { Harts, type HartsState } from './harts';
import { RoundRobin, type SchedulerState } from './scheduler';
import { bootStages, bootSymbols, loadBootStages, planBoot, stageRanges, type BiosChoice, type BootLayout } from './boot-layout';
import { LoadError, type SymbolTable } from './elf';
import { DRAM_BASE, memoryMap, RESET_VECTOR, type BoardName, type MemoryRegion } from './memory-map';
import { findCallSites, largestGap, Semihosting, type SemihostingConfig } from './semihosting';
import { NO_TRACE, Tracer, tracing, traceSink, type TraceOptions, type TraceSink } from './trace';
import { selectXlen } from './xlen';

export interface MachineConfig {
  readonly board: BoardName;
  /** Bytes of guest RAM at 0x80000000 (a multiple of 4 KiB). */
  readonly ramSize: number;
  /** Path of the ELF or raw binary to load (`-kernel`): at DRAM's base with `-bios none`,
   * else at the next stage after the firmware (0x80200000 after OpenSBI). */
  readonly kernel?: string;
  /** `-bios`: 'none' (the boot ROM jumps straight to the kernel, in M-mode), 'default'
   * (Debian's OpenSBI fw_dynamic, as QEMU's default) or a firmware file; 'default' when absent. */
  readonly bios?: BiosChoice;
  /** One step lasts 2^icountShift ns (`-icount shift=N`; QEMU's default 3 gives 8 ns). */
  readonly icountShift: number;
  readonly trace?: TraceOptions;
  /** Where trace lines go (`-D FILE`); stderr when absent. */
  readonly traceSink?: TraceSink;
  /** Where the guest's console (UART or HTIF) writes. */
  readonly console: ByteSink;
  /** The RTC's wall time at virtual time 0, ns since the epoch (`-rtc base=`); the host's
   * clock at construction when absent. Machine.rtcStart holds the value used (for replay). */
  readonly rtcStart?: bigint;
  /** Devices in the virtio-mmio slots and the transport version (`-device`, `-drive`, `-global`). */
  readonly virtio?: VirtioBoardConfig;
  /** Seed of the guest-visible randomness (virtio-rng; `-seed`); a random one when absent.
   * Machine.rngSeed holds the value used (for replay). */
  readonly rngSeed?: bigint;
  /** Harts (`-smp N`, 1..8), run round-robin in fixed quanta of steps (scheduler.ts); 1 when absent. */
  readonly harts?: number;
  /** The harts' XLEN (`-cpu rv32`, `-cpu rv64`); when absent, the class of the kernel's ELF
   * (else the firmware's) decides, and RV64 for raw images. */
  readonly xlen?: Xlen;
  /** `-append`: the kernel command line (/chosen/bootargs). */
  readonly append?: string;
  /** `-initrd FILE`: loaded where QEMU 7.2 puts it; its range goes in /chosen. */
  readonly initrd?: string;
  /** `-dtb FILE`: a device tree blob used instead of the generated one. */
  readonly dtb?: string;
  /** `-no-reboot`: a reset request (sifive_test 0x7777) ends the run with status 0, as QEMU's. */
  readonly noReboot?: boolean;
  /** `-semihosting`: carry out the guest's semihosting calls (semihosting.ts); off when absent. */
  readonly semihosting?: SemihostingConfig;
  /** `-S`: the harts stay at reset until a debugger resumes them (debugResume). */
  readonly startHalted?: boolean;
  /** `-icount sleep=on`: when every hart waits for a timer, wait that long in wall time too,
   * instead of skipping the clock ahead at once (the instruction stream is the same). */
  readonly paced?: boolean;
  /** A user network's notable events (a refused connection, a lost forward), one line each. */
  readonly onNetworkReport?: (line: string) => void;
  /** `-icount rr=record|replay`: log every input the guest takes with its clock step, or take
   * the guest's input from such a log (typed input is then ignored), for a bit-exact replay. */
  readonly inputLog?: { readonly mode: 'record'; readonly record: (entry: InputEntry) => void } | { readonly mode: 'replay'; readonly entries: readonly InputEntry[] };
}

/** Bytes the guest took from outside at a clock step: console input, or (with `nic`) one
 * Ethernet frame the NIC in that virtio slot received. */
export interface InputEntry {
  readonly step: bigint;
  readonly bytes: Uint8Array;
  readonly nic?: number;
}

/** What a snapshot records of the machine's configuration: loading into a machine whose
 * `fixed` part differs is refused; the rest is for information (and replay). */
export interface MachineConfigRecord {
  readonly fixed: {
    readonly board: BoardName;
    readonly ramSize: number;
    readonly harts: number;
    readonly xlen: Xlen;
    readonly icountShift: number;
    readonly semihosting: boolean;
    readonly virtio: { readonly forceLegacy: boolean; readonly slots: readonly { slot: number; kind: string }[] };
  };
  readonly kernel: string | null;
  readonly bios: string;
  readonly append: string | null;
  readonly initrd: string | null;
  readonly dtb: string | null;
  /** Decimal strings (JSON has no 64-bit integers). */
  readonly rngSeed: string;
  readonly rtcStart: string;
}

/** A disk the machine has attached: a snapshot records its base image's content hash and its overlay. */
export interface AttachedDisk {
  /** The memory-map region of its transport (virtio0..virtio7). */
  readonly name: string;
  readonly readOnly: boolean;
  readonly size: number;
  /** Reads the image as the guest sees it. */
  read(position: number, target: Uint8Array): boolean;
  /** Its copy-on-write overlay (the CLI's disks have one; a read-only disk's never activates). */
  readonly copyOnWrite?: CopyOnWrite;
}

/** The whole state of a machine at a step: what a snapshot file holds (server/src/snapshot/). */
export interface MachineState {
  readonly config: MachineConfigRecord;
  /** The virtual clock: steps of all harts since reset. */
  readonly clockSteps: bigint;
  readonly harts: HartsState;
  readonly scheduler: SchedulerState;
  /** Each device's own named, versioned state, by its memory-map region (uart0, plic, virtio3, ...). */
  readonly devices: Readonly<Record<string, { name: string; version: number }>>;
  /** The machine's own bookkeeping between slices. */
  readonly board: BoardState;
  /** Guest RAM (index 0 = 0x80000000). */
  readonly ram: Uint8Array;
}

export interface BoardState {
  name: 'board';
  version: 1;
  /** Typed bytes not yet taken by the console device. */
  input: number[];
  uartSetUp: boolean;
  semihostingWaits: boolean;
}

/** A device's state for snapshots: each names and versions its own (see devices/). */
interface StatefulDevice {
  saveState(): { name: string; version: number };
  loadState(state: never): void;
}

/** The machine's state without RAM: what a time-travel checkpoint keeps beside its pages. */
export type LightState = Omit<MachineState, 'ram'>;

/** How the run loop reports to time travel (history/time-travel.ts), when it records. */
export interface HistoryHooks {
  /** The active hart `hart` ran `steps` steps (instructions or traps) from clock step `start`. */
  ran(start: bigint, hart: number, steps: number): void;
  /** Between two runs of the core: where periodic checkpoints are taken. */
  between(): void;
  /** The guest took input from outside now (not while replaying history). */
  input(entry: InputEntry): void;
}

/** How a debugger lets the harts run (debug/machine-target.ts): all of them or some until
 * something stops them, or one step of one hart while the others run their turns or hold. */
export type DebugRun =
  | { readonly kind: 'continue'; readonly harts?: readonly number[] }
  | { readonly kind: 'step'; readonly hart: number; readonly others: 'run' | 'hold'; readonly interrupts: boolean };

/** Why the machine stopped for a debugger, or ended. */
export type DebugHalt =
  | { readonly kind: 'breakpoint'; readonly hart: number; readonly pc: bigint }
  | { readonly kind: 'watch'; readonly hart: number; readonly access: 'read' | 'write'; readonly addr: bigint }
  | { readonly kind: 'step'; readonly hart: number }
  | { readonly kind: 'paused'; readonly hart: number }
  | { readonly kind: 'trap'; readonly hart: number; readonly cause: bigint }
  | { readonly kind: 'exited'; readonly status: number };

/** Where the machine is in its life. */
type RunState =
  | { kind: 'ready' }
  | { kind: 'running'; resolve: (status: number) => void; reject: (error: unknown) => void }
  | { kind: 'finished'; status: number };

/** What the run loop does after the core stops. */
type Next =
  | { kind: 'continue' } | { kind: 'idle' } | { kind: 'exit'; status: number } | { kind: 'halt'; halt: DebugHalt }
  /** Paced: every hart waits until the clock reaches `step`; wait for it in wall time. */
  | { kind: 'sleep'; step: bigint };

const PF_X = 1; // ELF p_flags: an executable segment (semihosting scans these)

// A slice runs the core for at most ~10 ms of wall time, then yields to the event loop.
const SLICE_MS = 10;
// run() budgets adapt so one call lasts about 0.5..2 ms (keeps slices close to SLICE_MS).
const MIN_BUDGET = 1 << 10;
const MAX_BUDGET = 1 << 22;

export class Machine {
  readonly core: Core;
  /** The harts' XLEN: `-cpu`, else the kernel's (or firmware's) ELF class, else 64. */
  readonly xlen: Xlen;
  /** The harts on the core: which is active, device access to parked ones. */
  readonly harts: Harts;
  private readonly scheduler: RoundRobin;
  readonly bus = new Bus();
  readonly memoryMap: readonly MemoryRegion[];
  /** The firmware and kernel as placed in RAM, and where the boot ROM jumps. */
  readonly boot: BootLayout;
  private readonly uart: Uart16550 | undefined;
  private readonly clint: Clint;
  private readonly plic: Plic | undefined;
  private readonly rtc: GoldfishRtc | undefined;
  /** The virtio-mmio transports in slot order (virt's eight, empty ones included). */
  private readonly virtio: VirtioMmio[] = [];
  /** `-object filter-dump`: where each NIC's frames are copied, by slot. */
  private readonly captures = new Map<number, FrameCapture>();
  /** The user-mode network behind each NIC, by slot (`-netdev user`). */
  private readonly networks: [slot: number, network: UserNetwork][] = [];
  /** The virtio-rng seed: an input to log for replay. */
  readonly rngSeed: bigint;
  /** The goldfish RTC's start time as the device was built with it (see rtcStart). */
  private readonly builtRtcStart: bigint;
  /** The RTC's start time in effect: the snapshot's after a load (the device's offset makes up the difference). */
  private loadedRtcStart: bigint | undefined;
  /** Clock step at which a run stops for the debugger ('paused'): pauseAtStep. */
  private stopAt: bigint | undefined;
  /** The device tree blob (a1 at reset) and initrd in guest RAM; undefined on a board without one. */
  readonly bootImages: BootImages | undefined;
  private readonly htif: Htif | undefined;
  private readonly tracer: Tracer | undefined;
  private finisher: FinisherRequest | undefined;
  /** Host watches the board needs (HTIF's tohost), set again after every reset. */
  private watches: { start: bigint; end: bigint; flags: number }[] = [];
  private state: RunState = { kind: 'ready' };
  private readonly input: number[] = [];
  private budget = 1 << 16;
  /** Clock value at the last wfi stop that found nothing to skip to (detects a stuck wait). */
  private stalledAt: bigint | undefined;
  private idle: { keepAlive: ReturnType<typeof setInterval> } | undefined;
  /** Replay: the index of the next logged input to hand over. */
  private replayNext = 0;
  /** A paced idle wait (sleepUntil): until the clock step, since a wall time. */
  private sleeping: { step: bigint; started: number; timer: ReturnType<typeof setTimeout> } | undefined;
  private sliceTimer: ReturnType<typeof setImmediate> | undefined;
  /** `-semihosting`: the host side of the guest's calls. */
  private readonly semihosting: Semihosting | undefined;
  /** A semihosting console read waits for typed input (which then bypasses the UART). */
  private semihostingWaits = false;
  /** With -semihosting: the guest has written to the UART, so it may take typed input. */
  private uartSetUp = false;
  /** Breakpoints a debugger set: the core's table holds these and the semihosting call sites. */
  private debugBreakpoints: readonly bigint[] = [];
  /** Watches a debugger set: the core's table holds these and the board's (HTIF). */
  private debugWatches: readonly { start: bigint; end: bigint; flags: number }[] = [];
  /** A debugger holds the harts (`-S`, or after a stop it was told of): no slices run. */
  private halted: boolean;
  /** While halted: keeps Node alive (a debugger may resume the machine at any time). */
  private haltKeepAlive: ReturnType<typeof setInterval> | undefined;
  /** How a debugger let the harts run (undefined without a debugger: all run). */
  private plan: DebugRun | undefined;
  /** A debugger asked a running machine to stop (debugPause). */
  private pauseRequested = false;
  /** The hart that stopped for the debugger, until it has taken a step: that step executes the
   * instruction it stands on even when a breakpoint or watch stopped it there (DEBUG_RESUME). */
  private resumeHart: number | undefined;
  /** The DEBUG_* flags last given to the core. */
  private coreDebugFlags = 0;
  /** Told of every debugger stop and of the end of the run (debug/machine-target.ts). */
  onDebugHalt: (halt: DebugHalt) => void = () => {};
  /** Time travel's hooks into the run loop (undefined: no history is recorded). */
  history: HistoryHooks | undefined;
  /** Replaying recorded history: the guest's input comes from `historyInput`, typed input
   * waits in `heldInput` for the present, and console output (already shown) is not repeated. */
  private historyInput: { entries: readonly InputEntry[]; next: number } | undefined;
  private heldInput: number[] = [];
  /** The console as devices see it: the configured one, silent while replaying history. */
  private readonly console: ByteSink;

  constructor(private readonly config: MachineConfig) {
    this.halted = config.startHalted ?? false;
    this.console = this.silentWhileReplaying(config.console);
    // Read and place the firmware and kernel (refusing any that cannot fit) before
    // reserving the guest's memory.
    this.xlen = selectXlen(config);
    this.boot = planBoot({ board: config.board, bios: config.bios ?? 'default', kernel: config.kernel, ramSize: config.ramSize, xlen: this.xlen });
    this.memoryMap = memoryMap(config.board, config.ramSize);
    this.core = new Core(config.ramSize, this.bus, { xlen: this.xlen });
    this.harts = new Harts(this.core, config.harts ?? 1);
    this.scheduler = new RoundRobin(this.core, this.harts);
    loadBootStages(this.boot, this.core);

    this.builtRtcStart = config.rtcStart ?? BigInt(Date.now()) * 1_000_000n;
    this.rngSeed = config.rngSeed ?? BigInt.asUintN(64, BigInt(`0x${randomBytes(8).toString('hex')}`));
    this.bootImages = prepareBootImages({
      board: config.board, ramSize: config.ramSize, harts: config.harts ?? 1, rngSeed: this.rngSeed,
      append: config.append, initrd: config.initrd, dtb: config.dtb, xlen: this.xlen,
    }, this.boot);
    this.loadBootImages();
    const devices = this.mapDevices();
    this.uart = devices.uart;
    this.clint = devices.clint;
    this.plic = devices.plic;
    this.rtc = devices.rtc;
    this.htif = config.board === 'spike' ? this.connectHtif() : undefined;
    this.semihosting = config.semihosting && this.connectSemihosting(config.semihosting);
    this.applyBreakpoints();

    const trace = config.trace ?? NO_TRACE;
    if (tracing(trace)) {
      const fetch = (paddr: bigint, size: 2 | 4) => this.fetchPhysical(paddr, size);
      this.tracer = new Tracer(this.core, fetch, this.symbols, trace, config.traceSink ?? traceSink(undefined));
    }
    this.resetHart();
  }

  /** The virtio devices with each virtconsole's output silent while replaying history, as the UART's is. */
  /** `sink` as the guest writes to it: silent while replaying history (the output was shown already). */
  private silentWhileReplaying(sink: ByteSink): ByteSink {
    return { write: (byte) => { if (!this.historyInput) sink.write(byte); } };
  }

  private silencedWhileReplaying(virtio: VirtioBoardConfig | undefined): VirtioBoardConfig | undefined {
    if (!virtio) return undefined;
    const devices = virtio.devices.map((device) => {
      const output = device.kind === 'serial' ? device.console?.output : undefined;
      if (device.kind !== 'serial' || !device.console || !output) return device;
      return { ...device, console: { ...device.console, output: this.silentWhileReplaying(output) } };
    });
    return { ...virtio, devices };
  }

  /** Builds and maps a device for every region of the board's memory map that has one. */
  private mapDevices(): { uart: Uart16550 | undefined; clint: Clint; plic: Plic | undefined; rtc: GoldfishRtc | undefined } {
    const virtio = this.silencedWhileReplaying(this.config.virtio);
    const { config, core, harts } = this;
    const hartIds = Array.from({ length: harts.count }, (_, hart) => hart);
    let uart: Uart16550 | undefined;
    let clint: Clint | undefined;
    let rtc: GoldfishRtc | undefined;
    // The PLIC first: devices before it in the map need their interrupt lines. Contexts
    // 2·hart (M) and 2·hart+1 (S) drive that hart's MEIP and SEIP, parked or active.
    const plic = this.memoryMap.some((region) => region.kind === 'plic')
      ? new Plic(hartIds.map((hart) => ({
        machine: { set: (level: boolean) => harts.setPending(hart, L.MIP_MEIP, level) },
        supervisor: { set: (level: boolean) => harts.setPending(hart, L.MIP_SEIP, level) },
      })))
      : undefined;
    /** The region's interrupt line: its PLIC source, or nothing on a board without one. */
    const irqLine = (region: MemoryRegion): IrqLine | undefined =>
      plic && region.irq !== undefined ? plic.source(region.irq) : undefined;
    for (const region of this.memoryMap) {
      const map = (device: MmioDevice) => this.bus.map(region.name, region.base, region.size, device);
      switch (region.kind) {
        case 'boot-rom': {
          const { start, nextAddr } = this.boot;
          map(new Rom(bootRomImage({ start, fdt: this.bootImages?.fdtAddress ?? 0n, nextAddr, xlen: this.xlen }), region.size));
          break;
        }
        case 'clint': {
          const clintHarts = hartIds.map((hart): ClintHart => ({
            setSoftwareInterrupt: (level) => {
              harts.setPending(hart, L.MIP_MSIP, level);
              if (level) this.scheduler.interprocessorInterrupt(hart);
            },
            getTimerCompare: () => harts.timerCompare(hart),
            setTimerCompare: (value) => harts.setTimerCompare(hart, value),
          }));
          clint = new Clint(clintHarts, { mtime: () => core.mtime() });
          map(this.scheduler.kickOnInterrupt(clint));
          break;
        }
        case 'uart16550':
          uart = new Uart16550(this.console, irqLine(region));
          map(config.semihosting ? this.noticeSetUp(uart) : uart);
          break;
        case 'plic':
          map(plic!);
          break;
        case 'goldfish-rtc': {
          const line = irqLine(region);
          if (!line) throw new Error(`${region.name} has no interrupt line`);
          rtc = new GoldfishRtc(this.builtRtcStart, { mtime: () => core.mtime() }, line);
          map(rtc);
          break;
        }
        case 'sifive-test':
          map(new SifiveTest((request) => { this.finisher = request; }));
          break;
        case 'ram':
          break; // RAM is the core's
        case 'virtio-mmio': {
          // The map lists the slots by base, so the nth region is slot n. DMA goes straight
          // to guest RAM; pages written are marked dirty for the core.
          const ram = { get bytes() { return core.ram; }, base: DRAM_BASE, markDirty: (at: number, length: number) => core.markDirty(at, length) };
          const netBackend = (slot: number, options: UserNetworkOptions, capture?: FrameCapture) => this.userNetwork(slot, options, capture);
          const transport = virtioTransport(this.virtio.length, virtio, { ram, irq: irqLine(region) ?? UNCONNECTED, rngSeed: this.rngSeed, netBackend });
          this.virtio.push(transport);
          map(transport);
          break;
        }
      }
    }
    if (!clint) throw new Error(`board ${config.board} has no CLINT`);
    return { uart, clint, plic, rtc };
  }

  /** A user-mode network for the NIC in `slot`: guest frames in, its answers delivered to the NIC. */
  private userNetwork(slot: number, options: UserNetworkOptions, capture?: FrameCapture): NetBackend {
    if (capture) this.captures.set(slot, capture);
    const network = new UserNetwork({
      wake: () => this.wakeForNetwork(),
      now: () => this.virtualNs,
      report: (message) => this.config.onNetworkReport?.(`virtio${slot}: ${message}`),
    }, options);
    this.networks.push([slot, network]);
    // While a log is replayed the guest's frames were answered already: the log has the answers.
    return {
      send: (frame) => {
        // Time travel's replays are not captured again (as the console is not printed again).
        if (!this.historyInput) capture?.record(this.virtualNs, frame);
        if (!this.replayingInput) network.fromGuest(frame);
      },
      offloads: (negotiated) => network.setOffloads(negotiated),
    };
  }

  /** The user networks behind the NICs, by virtio slot (`info usernet`, packet capture). */
  get userNetworks(): readonly { readonly slot: number; readonly network: UserNetwork }[] {
    return this.networks.map(([slot, network]) => ({ slot, network }));
  }

  /** The monitor's set_link on the NIC in `slot`; false if there is no NIC there. */
  setNicLink(slot: number, up: boolean): boolean {
    const nic = netOf(this.virtio[slot]);
    nic?.setLink(up);
    return nic !== undefined;
  }

  /** Settles once every user network's `hostfwd=` listeners are bound; rejects with one line if one cannot be. */
  async networksReady(): Promise<void> {
    await Promise.all(this.networks.map(([, network]) => network.ready));
  }

  /** The virtual time now, in ns (the network's clock and capture stamps). */
  private get virtualNs(): bigint {
    return this.core.clockSteps << BigInt(this.config.icountShift);
  }

  /** True while the guest's input comes from a log (history's or -icount rr=replay's). */
  private get replayingInput(): boolean {
    return this.historyInput !== undefined || this.config.inputLog?.mode === 'replay';
  }

  /**
   * Serves the user networks at a boundary between runs: host work that came in (sockets,
   * the resolver), timers, then as many queued frames as the NICs have receive buffers for,
   * each logged as an input at this step. Not while replaying: the log brings the frames.
   */
  private pumpNetworks(): number {
    if (this.networks.length === 0 || this.replayingInput) return 0;
    let delivered = 0;
    for (const [slot, network] of this.networks) {
      network.poll();
      for (let frame = network.peekFrame(); frame && this.offerFrame(slot, frame) !== 'no-room'; frame = network.peekFrame()) {
        network.takeFrame(); // delivered, or dropped as it can never be (logged alike: the replay drops it too)
        delivered++;
        this.recordEntry({ step: this.core.clockSteps, bytes: frame, nic: slot });
      }
    }
    return delivered;
  }

  /** A frame for the NIC in `slot`, copied to its capture if the guest took it (not again while
   * time travel replays). 'no-room' without a NIC there. */
  private offerFrame(slot: number, frame: Uint8Array): Offer {
    const offer = netOf(this.virtio[slot])?.offer(frame) ?? 'no-room';
    if (offer === 'delivered' && !this.historyInput) this.captures.get(slot)?.record(this.virtualNs, frame);
    return offer;
  }

  /** Some user network waits on the host (a socket, a lookup): idling must follow wall time. */
  private get networkAwaitsHost(): boolean {
    return this.networks.some(([, network]) => network.awaitsHost);
  }

  /** Host work for a user network arrived: an idle machine runs a slice to take it. */
  private wakeForNetwork(): void {
    if (!this.idle || this.state.kind !== 'running' || this.halted) return;
    this.leaveIdle();
    this.scheduleSlice();
  }

  /** The goldfish RTC's start time (ns since the epoch): an input to log for replay. */
  get rtcStart(): bigint {
    return this.loadedRtcStart ?? this.builtRtcStart;
  }

  /** The devices whose state a snapshot holds, by memory-map region. */
  private statefulDevices(): [string, StatefulDevice][] {
    const named: [string, StatefulDevice | undefined][] = [
      ['uart0', this.uart], ['clint', this.clint], ['plic', this.plic], ['rtc', this.rtc], ['htif', this.htif],
      ...this.virtio.map((transport, slot): [string, StatefulDevice] => [`virtio${slot}`, transport]),
      ...this.networks.map(([slot, network]): [string, StatefulDevice] => [`virtio${slot}.user`, network]),
    ];
    return named.filter((entry): entry is [string, StatefulDevice] => entry[1] !== undefined);
  }

  /** What a snapshot records of the configuration (see MachineConfigRecord). */
  configRecord(): MachineConfigRecord {
    const config = this.config;
    const virtio = config.virtio;
    return {
      fixed: {
        board: config.board, ramSize: config.ramSize, harts: this.harts.count, xlen: this.xlen,
        icountShift: config.icountShift, semihosting: config.semihosting !== undefined,
        virtio: {
          forceLegacy: virtio?.forceLegacy ?? true,
          slots: (virtio?.devices ?? []).map((device) => ({ slot: device.slot, kind: device.kind })).sort((a, b) => a.slot - b.slot),
        },
      },
      kernel: config.kernel ?? null, bios: typeof config.bios === 'object' ? config.bios.file : config.bios ?? 'default', append: config.append ?? null,
      initrd: config.initrd ?? null, dtb: config.dtb ?? null,
      rngSeed: this.rngSeed.toString(), rtcStart: this.rtcStart.toString(),
    };
  }

  /** The disks attached to virtio-blk transports. */
  attachedDisks(): AttachedDisk[] {
    return (this.config.virtio?.devices ?? []).flatMap((device) => device.kind !== 'blk' ? [] : [{
      name: `virtio${device.slot}`, readOnly: device.backend.readOnly, size: device.backend.size,
      read: (position: number, target: Uint8Array) => device.backend.read(position, target),
      copyOnWrite: device.backend.copyOnWrite,
    }]);
  }

  /**
   * The machine's whole state now, for a snapshot: call it between slices (halted, or from an
   * event-loop callback). RAM is a copy.
   */
  captureState(): MachineState {
    return { ...this.captureLight(), ram: this.core.ram.slice() };
  }

  /** The state without RAM (time travel keeps RAM page by page). */
  captureLight(): LightState {
    return {
      config: this.configRecord(),
      clockSteps: this.core.clockSteps,
      harts: this.harts.saveState(),
      scheduler: this.scheduler.saveState(),
      devices: Object.fromEntries(this.statefulDevices().map(([name, device]) => [name, device.saveState()])),
      board: { name: 'board', version: 1, input: [...this.input], uartSetUp: this.uartSetUp, semihostingWaits: this.semihostingWaits },
    };
  }

  /**
   * Puts the machine in a captured state (of a machine configured alike: the caller checks
   * config.fixed). All or nothing: if any part is refused, the state before is put back and
   * the error rethrown. The debugger's breakpoints and watches stay; the TLBs start empty.
   */
  restoreState(state: MachineState, writeRam: (ram: Uint8Array) => void = (ram) => ram.set(state.ram)): void {
    const names = this.statefulDevices().map(([name]) => name);
    const missing = names.filter((name) => !(name in state.devices));
    if (missing.length > 0) throw new Error(`no state for device ${missing.join(', ')}`);
    const extra = Object.keys(state.devices).filter((name) => !names.includes(name));
    if (extra.length > 0) throw new Error(`state for devices this machine lacks: ${extra.join(', ')}`);
    const before = this.captureState();
    try {
      this.applyState(state, writeRam);
    } catch (error) {
      this.applyState(before, (ram) => ram.set(before.ram));
      throw error;
    }
    // The guest now stands where the snapshot was taken: its connections to the host (and the
    // frames queued for the guest before) belong to another timeline.
    for (const [, network] of this.networks) network.forgetConnections();
  }

  /**
   * Puts back a state this machine captured itself (a time-travel checkpoint): no checks and no
   * way back. `writeRam` puts its pages in; the dirty map is empty afterwards.
   */
  restoreLight(state: LightState, writeRam: (ram: Uint8Array) => void): void {
    this.applyState(state, writeRam, false);
  }

  /**
   * `networks` false (time travel): the user networks keep their state. They stand outside the
   * guest, like a peer: the past replays the frames they sent, and the present finds them as
   * they were (their leases, counters and connections).
   */
  private applyState(state: LightState, writeRam: (ram: Uint8Array) => void, networks = true): void {
    const skipped = new Set<unknown>(networks ? [] : this.networks.map(([, network]) => network));
    writeRam(this.core.ram);
    this.core.markDirty(0, this.core.ramSize);
    this.core.clockSteps = state.clockSteps;
    this.harts.loadState(state.harts);
    const savedRtcStart = BigInt(state.config.rtcStart);
    for (const [name, device] of this.statefulDevices()) {
      if (skipped.has(device)) continue;
      let saved = state.devices[name] as never;
      if (device === this.rtc) {
        // The device keeps the start time it was built with: its offset makes up the difference,
        // so the guest reads the time the snapshot's machine would have shown.
        const rtc = saved as unknown as { offset: string };
        const offset = BigInt.asUintN(64, BigInt(rtc.offset) + savedRtcStart - this.builtRtcStart);
        saved = { ...rtc, offset: offset.toString() } as never;
      }
      device.loadState(saved);
    }
    // After the devices: re-driving their lines wakes harts and may kick the turn.
    this.scheduler.loadState(state.scheduler);
    const board = state.board;
    if (board.name !== 'board' || board.version !== 1) throw new Error(`cannot load ${String(board.name)} v${String(board.version)} state into board v1`);
    this.input.splice(0, this.input.length, ...board.input);
    this.uartSetUp = board.uartSetUp;
    this.semihostingWaits = board.semihostingWaits;
    this.loadedRtcStart = savedRtcStart === this.builtRtcStart ? undefined : savedRtcStart;
    this.finisher = undefined;
    this.stalledAt = undefined;
    this.core.takeDirtyPages(); // flushes every TLB too
    if (this.idle) {
      this.leaveIdle();
      if (this.state.kind === 'running' && !this.halted) this.scheduleSlice();
    }
  }

  /** Stops the run for the debugger ('paused') when the clock reaches `step` (undefined: never). */
  pauseAtStep(step: bigint | undefined): void {
    this.stopAt = step;
  }

  /** The step pauseAtStep set (undefined: none). */
  get pauseStep(): bigint | undefined {
    return this.stopAt;
  }

  /** The kernel's ELF symbols, else the firmware's (undefined for raw binaries). */
  get symbols(): SymbolTable | undefined {
    return bootSymbols(this.boot);
  }

  /**
   * Runs until the guest powers off (the exit status: 0, or the failure status it gave) or
   * stop() is called. The core runs in slices of about 10 ms between event-loop turns.
   */
  run(): Promise<number> {
    if (this.state.kind === 'finished') return Promise.resolve(this.state.status);
    if (this.state.kind === 'running') return Promise.reject(new Error('the machine is already running'));
    return new Promise<number>((resolve, reject) => {
      this.state = { kind: 'running', resolve, reject };
      if (this.halted) this.holdAlive();
      else this.scheduleSlice();
    });
  }

  /** Ends the run; run() resolves with `status` (0 as QEMU's quit). */
  stop(status = 0): void {
    this.finish(status);
  }

  /** Bytes typed at the console; they reach the guest at the next slice boundary. */
  sendInput(bytes: Uint8Array): void {
    if (this.config.inputLog?.mode === 'replay') return; // the log is the only input
    if (this.historyInput) {
      for (const byte of bytes) this.heldInput.push(byte); // reaches the guest in the present
      return;
    }
    for (const byte of bytes) this.input.push(byte);
    if (this.idle) {
      this.leaveIdle();
      this.scheduleSlice();
    }
  }

  private scheduleSlice(): void {
    this.sliceTimer ??= setImmediate(() => {
      this.sliceTimer = undefined;
      this.slice();
    });
  }

  /** One slice: deliver input, run the core until the deadline or a stop that ends the slice. */
  private slice(): void {
    if (this.state.kind !== 'running' || this.halted) return;
    try {
      this.deliverInput();
      const deadline = performance.now() + SLICE_MS;
      for (;;) {
        if (this.pauseRequested || this.reachedStopAt()) return this.halt({ kind: 'paused', hart: this.harts.active });
        this.history?.between();
        const next = this.tracer ? this.traceSteps(deadline) : this.runBudget();
        if (next.kind === 'exit') return this.finish(next.status);
        if (next.kind === 'idle') {
          if (this.replayInstead()) continue;
          return this.enterIdle();
        }
        if (next.kind === 'sleep') return this.sleepUntil(next.step);
        if (next.kind === 'halt') return this.halt(next.halt);
        if (performance.now() >= deadline) break;
      }
      this.tracer?.flush();
      this.scheduleSlice();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Runs the hart whose turn it is for one adaptive budget of steps (within its turn). */
  private runBudget(): Next {
    this.replayDue();
    this.pumpNetworks();
    if (!this.scheduler.schedule(this.core.clockSteps)) return this.allWaiting();
    const call = this.semihostingCall();
    if (call) return call;
    const started = performance.now();
    // Stop exactly at the RTC alarm's step, so it fires at the same step on every run (and at
    // pauseAtStep's, and at a replayed input's).
    const next = [this.alarmStep(), this.stopAt, this.replayStep()]
      .reduce<bigint | undefined>((earliest, step) => (step !== undefined && (earliest === undefined || step < earliest) ? step : earliest), undefined);
    const until = next === undefined ? this.budget : Number(next - this.core.clockSteps);
    const stop = this.runActive(until > 0 && until < this.budget ? until : this.budget);
    const elapsed = performance.now() - started;
    if (stop.kind === 'budget') {
      if (elapsed < 0.5) this.budget = Math.min(this.budget * 2, MAX_BUDGET);
      else if (elapsed > 2) this.budget = Math.max(this.budget >> 1, MIN_BUDGET);
    }
    return this.afterStop(stop);
  }

  /** Tracing: one step per run() so every instruction and trap can be logged. */
  private traceSteps(deadline: number): Next {
    const tracer = this.tracer!;
    for (let i = 0; i < 4096; i++) {
      let next: Next;
      this.replayDue();
      this.pumpNetworks();
      const scheduled = this.scheduler.schedule(this.core.clockSteps);
      const call = scheduled ? this.semihostingCall() : undefined;
      if (call) {
        next = call;
      } else if (scheduled) {
        tracer.beforeStep();
        const stop = this.runActive(1);
        tracer.afterStep();
        next = this.afterStop(stop);
      } else {
        next = this.allWaiting();
      }
      if (next.kind !== 'continue') return next;
      if ((i & 255) === 255 && performance.now() >= deadline) break;
    }
    return { kind: 'continue' };
  }

  /** Runs the active hart for at most `budget` steps, no further than its turn (one step
   * when a debugger steps it, with interrupts only if it asked for them). */
  private runActive(budget: number): CoreStop {
    const plan = this.plan;
    const active = this.harts.active;
    const stepping = plan?.kind === 'step' && plan.hart === active;
    const flags = (this.resumeHart === active ? L.DEBUG_RESUME : 0) | (stepping && !plan.interrupts ? L.DEBUG_NO_INTERRUPTS : 0);
    if (flags !== this.coreDebugFlags) {
      this.core.debugFlags = flags;
      this.coreDebugFlags = flags;
    }
    const start = this.core.clockSteps;
    const stop = this.core.run(stepping ? 1 : this.scheduler.budget(budget));
    if (this.core.stepsDone > 0) this.history?.ran(start, active, this.core.stepsDone);
    if (this.resumeHart === active && this.core.stepsDone > 0) this.resumeHart = undefined;
    this.scheduler.ran(stop);
    return stop;
  }

  /** Every hart waits in wfi: queued input or the next timer wakes one, else the machine idles. */
  private allWaiting(): Next {
    // Input still queued (more than the UART took at the slice's start) wakes one first.
    if (this.deliverInput() > 0 || this.pumpNetworks() > 0) return { kind: 'continue' };
    const replay = this.replayStep();
    if (replay !== undefined) {
      const wake = this.nextWakeStep();
      if (wake === undefined || replay <= wake) {
        if (replay > this.core.clockSteps) this.core.clockSteps = replay;
        this.replayDue();
        return { kind: 'continue' };
      }
    }
    // Paced, or while the host may answer a network peer: skipping the clock ahead of the wall
    // would make the guest's timeouts expire before the host could answer.
    if ((this.config.paced && !this.historyInput) || (this.networkAwaitsHost && !this.replayingInput)) {
      const step = this.nextWakeStep();
      if (step !== undefined && step > this.core.clockSteps) return { kind: 'sleep', step };
    }
    return this.skipToNextTimer() ? { kind: 'continue' } : { kind: 'idle' };
  }

  /** The clock step the next timer (mtimecmp, stimecmp, RTC alarm) wakes a hart at, no later than pauseAtStep's. */
  private nextWakeStep(): bigint | undefined {
    const timer = this.scheduler.wakeStep();
    const alarm = this.alarmStep();
    const steps = timer === undefined || (alarm !== undefined && alarm < timer) ? alarm : timer;
    const stopAt = this.stopAt;
    return stopAt !== undefined && steps !== undefined && stopAt > this.core.clockSteps && stopAt < steps ? stopAt : steps;
  }

  /**
   * Paced idling: wait on the event loop for as long as the clock would skip (2^shift ns a
   * step), then skip it; input or a debugger's pause ends the wait early, the clock then
   * moving by the wall time waited (leaveIdle).
   */
  private sleepUntil(step: bigint): void {
    this.enterIdle();
    const started = performance.now();
    const ms = Number((step - this.core.clockSteps) << BigInt(this.config.icountShift)) / 1e6;
    this.sleeping = {
      step,
      started,
      timer: setTimeout(() => {
        this.leaveIdle();
        this.scheduleSlice();
      }, ms),
    };
  }

  private afterStop(stop: CoreStop): Next {
    const next = this.nextAfter(stop);
    // A debugger's step ends once the stepped hart has taken it (an instruction, or a trap),
    // and with it the hart's turn: the others run theirs before its next step.
    const plan = this.plan;
    if (plan?.kind === 'step' && plan.hart === this.harts.active && this.core.stepsDone > 0) {
      this.scheduler.endTurn();
      if (next.kind === 'continue' || next.kind === 'idle') return { kind: 'halt', halt: { kind: 'step', hart: plan.hart } };
    }
    return next;
  }

  private nextAfter(stop: CoreStop): Next {
    this.rtc?.update();
    const hart = this.harts.active;
    switch (stop.kind) {
      case 'budget':
        return { kind: 'continue' };
      case 'wfi':
        // The scheduler passes the hart over until it can wake (allWaiting when all wait).
        return { kind: 'continue' };
      case 'host': {
        const request = this.finisher;
        this.finisher = undefined;
        if (!request) return { kind: 'continue' };
        if (request.kind === 'reset') {
          if (this.config.noReboot) return { kind: 'exit', status: 0 };
          this.reset();
          return { kind: 'continue' };
        }
        return { kind: 'exit', status: request.status };
      }
      case 'host-watch': {
        const result = this.htif?.handleTohost() ?? { kind: 'none' };
        // A console read is answered with input at the next slice boundary, like the UART's.
        return result.kind === 'exit' ? { kind: 'exit', status: result.status } : { kind: 'continue' };
      }
      case 'breakpoint': {
        // A semihosting call site: the call is carried out before the hart runs on (semihostingCall).
        // One it refuses (a U-mode call without userspace=on) runs as a plain ebreak.
        const pc = this.core.pc;
        if (this.semihosting?.sites.has(pc) && !this.debugBreakpoints.includes(pc)) {
          this.resumeHart = hart;
          return { kind: 'continue' };
        }
        return { kind: 'halt', halt: { kind: 'breakpoint', hart, pc } };
      }
      case 'watch-read':
      case 'watch-write':
        return { kind: 'halt', halt: { kind: 'watch', hart, access: stop.kind === 'watch-read' ? 'read' : 'write', addr: stop.addr } };
      case 'trap':
        return { kind: 'halt', halt: { kind: 'trap', hart, cause: stop.cause } };
    }
  }

  /**
   * Every hart waits in wfi: move the virtual clock to the step at which the earliest enabled
   * timer of any hart fires (mtimecmp; stimecmp with Sstc) or the RTC alarm does. False when
   * none can.
   */
  private skipToNextTimer(): boolean {
    const core = this.core;
    const steps = this.nextWakeStep();
    if (steps === undefined) return false;
    const now = core.clockSteps;
    if (steps > now) {
      core.clockSteps = steps;
      this.rtc?.update(); // an alarm due now raises its line before the hart runs again
      this.stalledAt = undefined;
      return true;
    }
    // Already due: the core should wake on its next run; if it stops again without the
    // clock moving, the wait is stuck (the interrupt is pending but cannot be taken).
    if (this.stalledAt === now) return false;
    this.stalledAt = now;
    return true;
  }

  /** The clock has reached pauseAtStep's step: the stop is used up. */
  private reachedStopAt(): boolean {
    if (this.stopAt === undefined || this.core.clockSteps < this.stopAt) return false;
    this.stopAt = undefined;
    return true;
  }

  /** Nothing can happen until input arrives: wait on the event loop, keeping Node alive. */
  private enterIdle(): void {
    this.tracer?.flush();
    this.idle ??= { keepAlive: setInterval(() => {}, 1 << 30) };
  }

  private leaveIdle(): void {
    if (!this.idle) return;
    clearInterval(this.idle.keepAlive);
    this.idle = undefined;
    this.stalledAt = undefined;
    const sleeping = this.sleeping;
    if (sleeping) {
      // A paced wait ends: the clock moves by the wall time waited, up to where it was going.
      clearTimeout(sleeping.timer);
      this.sleeping = undefined;
      const waited = BigInt(Math.floor((performance.now() - sleeping.started) * 1e6)) >> BigInt(this.config.icountShift);
      const now = this.core.clockSteps;
      this.core.clockSteps = now + waited < sleeping.step ? now + waited : sleeping.step;
      this.rtc?.update();
    }
  }

  /**
   * The clock step at which the RTC alarm fires (undefined if none is armed): the first step
   * whose mtime reaches the alarm's tick, as the core converts steps to ticks (csr.ts ticksAt).
   */
  private alarmStep(): bigint | undefined {
    const tick = this.rtc?.alarmTick();
    if (tick === undefined) return undefined;
    const unit = 1n << BigInt(this.config.icountShift);
    return (tick * 100n + unit - 1n) / unit;
  }

  /** Hands queued input bytes to the console device as far as it has room; how many it took. */
  private deliverInput(): number {
    // With -semihosting, typed bytes wait for the guest's semihosting reads while one waits,
    // and until the guest sets the UART up (a semihosting program never touches it).
    if (this.semihostingWaits || (this.semihosting && !this.uartSetUp)) return 0;
    let taken = 0;
    // A virtconsole on stdio takes typed input instead of the UART (Linux's hvc0), once the guest opens it.
    const virtconsole = this.input.length > 0 ? this.virtio.map(consoleOf).find((device) => device?.ownsInput) : undefined;
    if (virtconsole) {
      taken = virtconsole.receive(Uint8Array.from(this.input));
    } else if (this.uart) {
      const uart = this.uart;
      while (taken < this.input.length && uart.receiveSpace() > 0 && uart.receive(this.input[taken])) taken++;
    } else if (this.htif) {
      while (taken < this.input.length && this.htif.receive(this.input[taken])) taken++;
    }
    if (taken > 0) this.recordInput(this.input.splice(0, taken));
    return taken;
  }

  /** Record mode: the guest took `bytes` now. */
  private recordInput(bytes: number[]): void {
    if (bytes.length === 0) return;
    this.recordEntry({ step: this.core.clockSteps, bytes: Uint8Array.from(bytes) });
  }

  /** Record mode and history: the guest took this input now. */
  private recordEntry(entry: InputEntry): void {
    if (this.historyInput) return;
    const log = this.config.inputLog;
    if (log?.mode === 'record') log.record(entry);
    this.history?.input(entry);
  }

  /**
   * Time travel: from now on the guest's input is history's `entries` from index `next` on
   * (replaying the past), or again the live input when undefined (the present: input typed
   * meanwhile reaches the guest now).
   */
  replayHistoryInput(entries: readonly InputEntry[] | undefined, next = 0): void {
    this.historyInput = entries && { entries, next };
    if (entries || this.heldInput.length === 0) return;
    this.input.push(...this.heldInput.splice(0));
    if (this.idle) {
      this.leaveIdle();
      this.scheduleSlice();
    }
  }

  /** How many of history's inputs the replay has handed over. */
  get historyInputTaken(): number {
    return this.historyInput?.next ?? 0;
  }

  /** `-semihosting` is on: the guest's calls reach the host (no time travel over those). */
  get usesSemihosting(): boolean {
    return this.semihosting !== undefined;
  }

  /** True while replaying recorded history (see replayHistoryInput). */
  get replayingHistory(): boolean {
    return this.historyInput !== undefined;
  }

  /** The input log being replayed: history's, else `-icount rr=replay`'s. */
  private replaySource(): { entries: readonly InputEntry[]; next: number } | undefined {
    if (this.historyInput) return this.historyInput;
    const log = this.config.inputLog;
    return log?.mode === 'replay' ? { entries: log.entries, next: this.replayNext } : undefined;
  }

  /** The replayed log has handed over one more entry. */
  private replayTaken(): void {
    if (this.historyInput) this.historyInput.next++;
    else this.replayNext++;
  }

  /** Replay mode: the clock step of the next logged input, undefined when none is left. */
  private replayStep(): bigint | undefined {
    const source = this.replaySource();
    return source?.entries[source.next]?.step;
  }

  /** Replay mode, nothing left to run: the next logged input comes now (the recorded run
   * waited for it here: waiting for input does not move the clock). */
  private replayInstead(): boolean {
    const step = this.replayStep();
    if (step === undefined) return false;
    if (step > this.core.clockSteps) this.core.clockSteps = step;
    this.semihostingWaits = false;
    this.replayDue();
    return true;
  }

  /** Replay mode: hands over every logged input whose step has come, as recorded. */
  private replayDue(): void {
    for (let source = this.replaySource(); source && source.next < source.entries.length; source = this.replaySource()) {
      const entry = source.entries[source.next];
      if (entry.step > this.core.clockSteps) return;
      this.replayTaken();
      if (entry.nic !== undefined) {
        this.offerFrame(entry.nic, entry.bytes);
        continue;
      }
      for (const byte of entry.bytes) this.input.push(byte);
      this.deliverInput();
    }
  }

  private finish(status: number): void {
    this.settle({ status });
  }

  /** Stops for a debugger: nothing runs until debugResume(); the debugger hears why. */
  private halt(halt: DebugHalt): void {
    this.halted = true;
    this.plan = undefined;
    if (halt.kind !== 'exited') this.resumeHart = halt.hart;
    this.pauseRequested = false;
    this.tracer?.flush();
    this.holdAlive();
    this.onDebugHalt(halt);
  }

  private holdAlive(): void {
    this.haltKeepAlive ??= setInterval(() => {}, 1 << 30);
  }

  /** True while a debugger holds the harts. */
  get debugHalted(): boolean {
    return this.halted;
  }

  /** The debugger's plan the harts run by now (undefined: none, or halted), and the hart
   * whose first step may execute where it stopped (see resumeHart): a checkpoint keeps both. */
  get runPlan(): { plan: DebugRun | undefined; resumeHart: number | undefined } {
    return { plan: this.plan, resumeHart: this.resumeHart };
  }

  /** Time travel stopped the halted machine at a point for `hart`: its first step after the
   * next resume executes the instruction it stands on, as after any stop of that hart. */
  markStopped(hart: number): void {
    if (this.halted) this.resumeHart = hart;
  }

  /**
   * Lets the harts run as a debugger says (see DebugRun); the next stop reaches onDebugHalt.
   * `resumeHart` (time travel) overrides which hart executes the instruction it stands on
   * even at a breakpoint: by default the hart that stopped.
   */
  debugResume(plan: DebugRun, options?: { resumeHart: number | undefined }): void {
    if (!this.halted) throw new Error('the machine is not halted');
    if (options) this.resumeHart = options.resumeHart;
    for (const hart of plan.kind === 'step' ? [plan.hart] : plan.harts ?? []) {
      if (!Number.isInteger(hart) || hart < 0 || hart >= this.harts.count) throw new RangeError(`no hart ${hart}`);
    }
    this.halted = false;
    this.plan = plan;
    this.scheduler.restrictTo(plan.kind === 'step' ? (plan.others === 'hold' ? [plan.hart] : undefined) : plan.harts);
    if (this.haltKeepAlive) clearInterval(this.haltKeepAlive);
    this.haltKeepAlive = undefined;
    if (this.state.kind === 'running') this.scheduleSlice();
  }

  /** Asks the running harts to stop at the next slice boundary (reported as 'paused'). */
  debugPause(): void {
    if (this.halted || this.state.kind === 'finished') return;
    if (this.idle || this.state.kind !== 'running') {
      // Nothing runs now (every hart waits for input, or run() has not begun): stop at once.
      this.leaveIdle();
      if (this.sliceTimer) clearImmediate(this.sliceTimer);
      this.sliceTimer = undefined;
      this.halt({ kind: 'paused', hart: this.harts.active });
      return;
    }
    this.pauseRequested = true;
  }

  /** Runs `read` with `hart`'s state in the core's active block, then restores the active hart. */
  withHart<T>(hart: number, read: () => T): T {
    const active = this.harts.active;
    this.harts.select(hart);
    try {
      return read();
    } finally {
      this.harts.select(active);
    }
  }

  /** `system_reset` (the monitor): as the guest's own reset request. */
  systemReset(): void {
    this.reset();
  }

  /** The run loop hit a host-side error: run() rejects with it. */
  private fail(error: unknown): void {
    this.settle({ status: 1, error });
  }

  /** Ends the run once: releases the timers and the trace file, settles run()'s promise. */
  private settle(outcome: { status: number; error?: unknown }): void {
    const state = this.state;
    if (state.kind === 'finished') return;
    this.state = { kind: 'finished', status: outcome.status };
    this.leaveIdle();
    if (this.haltKeepAlive) clearInterval(this.haltKeepAlive);
    this.haltKeepAlive = undefined;
    if (this.sliceTimer) clearImmediate(this.sliceTimer);
    this.sliceTimer = undefined;
    this.tracer?.close();
    for (const [, network] of this.networks) network.close();
    if (!('error' in outcome)) this.onDebugHalt({ kind: 'exited', status: outcome.status });
    if (state.kind !== 'running') return;
    if ('error' in outcome) state.reject(outcome.error);
    else state.resolve(outcome.status);
  }

  /** A board reset (sifive_test 0x7777): hart, devices, firmware and kernel as at power-on. */
  private reset(): void {
    this.core.reset();
    loadBootStages(this.boot, this.core);
    this.loadBootImages();
    this.plic?.reset();
    this.uart?.reset();
    this.rtc?.reset();
    for (const transport of this.virtio) transport.reset();
    this.clint.reset();
    this.htif?.reset();
    this.resetHart();
  }

  /** Copies the device tree and the initrd into RAM (at power-on and reset, as QEMU's ROM blobs). */
  private loadBootImages(): void {
    const images = this.bootImages;
    if (!images) return;
    this.core.writePhysical(images.fdtAddress, images.dtb);
    if (images.initrd) this.core.writePhysical(images.initrd.address, images.initrd.data);
  }

  /** Every hart at power-on (mhartid = its index, M-mode at the reset vector); hart 0's turn first. */
  private resetHart(): void {
    this.core.timeShift = this.config.icountShift;
    this.harts.resetAll(() => {
      this.core.pc = BigInt(RESET_VECTOR);
      this.core.privilege = 3;
      this.core.setWatches([...this.watches, ...this.debugWatches]);
    });
    this.scheduler.reset();
  }

  /** Spike's console and exit: HTIF over the ELF's tohost/fromhost words in RAM. */
  private connectHtif(): Htif | undefined {
    const core = this.core;
    const inRam = (paddr: bigint | undefined): paddr is bigint => paddr !== undefined && core.inRam(paddr, 8);
    const tohost = this.symbols?.lookup('tohost')?.value;
    const fromhost = this.symbols?.lookup('fromhost')?.value;
    if (!inRam(tohost)) return undefined;
    const word = (paddr: bigint) => new DataView(core.readPhysical(paddr, 8).buffer).getBigUint64(0, true);
    const setWord = (paddr: bigint, value: bigint) => {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, value, true);
      core.writePhysical(paddr, bytes);
    };
    const mailbox: HtifMailbox = {
      readTohost: () => word(tohost),
      writeTohost: (value) => setWord(tohost, value),
    };
    if (inRam(fromhost)) {
      mailbox.readFromhost = () => word(fromhost);
      mailbox.writeFromhost = (value) => setWord(fromhost, value);
    }
    const memory: HtifMemory = {
      read: (paddr, length) => (core.inRam(paddr, length) ? core.readPhysical(paddr, length) : undefined),
      write: (paddr, data) => {
        if (!core.inRam(paddr, data.length)) return false;
        core.writePhysical(paddr, data);
        return true;
      },
    };
    // The core stops right after any store touching tohost (STOP_HOST_WATCH).
    // On RV32 the guest writes tohost as two words, low then high, and QEMU acts on the high
    // word's write (hw/char/riscv_htif.c): watch only that one, or the low word would be read
    // with a stale high word.
    const start = this.xlen === 32 ? tohost + 4n : tohost;
    this.watches = [{ start, end: tohost + 8n, flags: L.WATCH_PHYSICAL | L.WATCH_WRITE | L.WATCH_HOST }];
    return new Htif(mailbox, this.console, memory);
  }

  /**
   * `-semihosting`: the calls' view of the machine (console, virtual time, free RAM) and their
   * sites, the marker sequences in the loaded images' code (see semihosting.ts for why).
   */
  private connectSemihosting(config: SemihostingConfig): Semihosting {
    const stages = bootStages(this.boot);
    const code = stages.flatMap((stage) => stage.image.format === 'raw'
      ? [{ vaddr: stage.base, data: stage.image.data }]
      : stage.image.segments.filter((segment) => segment.flags & PF_X).map((segment) => ({ vaddr: segment.vaddr, data: segment.data })));
    const sites = findCallSites(code);
    if (sites.length > L.MAX_BREAKPOINTS) {
      throw new LoadError(`-semihosting: the images hold ${sites.length} semihosting calls; at most ${L.MAX_BREAKPOINTS} are supported`);
    }
    // SYS_HEAPINFO: RAM that neither the images nor the device tree and initrd occupy.
    const images = this.bootImages;
    const used = [
      ...stages.flatMap(stageRanges),
      ...(images ? [{ start: images.fdtAddress, end: images.fdtAddress + BigInt(images.dtb.length) }] : []),
      ...(images?.initrd ? [{ start: images.initrd.address, end: images.initrd.address + BigInt(images.initrd.data.length) }] : []),
    ];
    const ram = BigInt(DRAM_BASE);
    const elapsedNs = () => this.core.clockSteps << BigInt(this.config.icountShift);
    return new Semihosting(config, {
      console: {
        write: (bytes) => {
          for (const byte of bytes) this.console.write(byte);
        },
        read: (max) => {
          const bytes = this.input.splice(0, max);
          this.recordInput(bytes);
          return Uint8Array.from(bytes);
        },
      },
      elapsedNs,
      epochNs: () => this.rtcStart + elapsedNs(),
      heap: largestGap(ram, ram + BigInt(this.config.ramSize), used),
    }, sites);
  }

  /** The UART as mapped with -semihosting: notes the guest's first write (see deliverInput). */
  private noticeSetUp(uart: Uart16550): MmioDevice {
    return {
      read: (offset, size) => uart.read(offset, size),
      peek: (offset, size) => uart.peek(offset, size),
      write: (offset, size, value) => {
        this.uartSetUp = true;
        return uart.write(offset, size, value);
      },
    };
  }

  /** Carries out the semihosting call the active hart stands on; undefined when it stands on none. */
  private semihostingCall(): Next | undefined {
    const outcome = this.semihosting?.callAt(this.core);
    if (!outcome) return undefined;
    this.resumeHart = undefined; // the hart has moved on from the call site
    this.semihostingWaits = outcome.kind === 'blocked';
    switch (outcome.kind) {
      case 'done': return { kind: 'continue' };
      case 'blocked': return { kind: 'idle' }; // until input arrives (sendInput)
      case 'exit': return { kind: 'exit', status: outcome.status };
    }
  }

  /** Breakpoints for a debugger (the GDB stub); the core's table holds them with the semihosting sites. */
  setDebugBreakpoints(pcs: readonly bigint[]): void {
    this.debugBreakpoints = [...pcs];
    this.applyBreakpoints();
  }

  /** Watchpoints for a debugger (WATCH_READ / WATCH_WRITE on virtual ranges), beside the board's own. */
  setDebugWatches(watches: readonly { start: bigint; end: bigint; flags: number }[]): void {
    this.debugWatches = [...watches];
    this.core.setWatches([...this.watches, ...this.debugWatches]);
  }

  /** Breakpoints in the core's table now (a debugger's and the semihosting sites). */
  get breakpointCapacity(): number {
    return L.MAX_BREAKPOINTS - (this.semihosting?.sites.size ?? 0);
  }

  private applyBreakpoints(): void {
    this.core.setBreakpoints([...new Set([...this.debugBreakpoints, ...(this.semihosting?.sites ?? [])])]);
  }

  /** Instruction bytes at a physical address, from RAM or a device (boot ROM). */
  private fetchPhysical(paddr: bigint, size: 2 | 4): number | undefined {
    if (this.core.inRam(paddr, size)) {
      const bytes = this.core.readPhysical(paddr, size);
      return size === 2 ? bytes[0] | (bytes[1] << 8) : new DataView(bytes.buffer).getUint32(0, true);
    }
    if (paddr >= 1n << 32n) return undefined;
    const value = this.bus.peek(Number(paddr), size);
    return value === undefined ? undefined : Number(value);
  }
}
