// The platform-level interrupt controller as QEMU's virt has it at 0xC000000 (RISC-V PLIC
// spec 1.0.0): level-triggered sources, priorities, per-context enables, thresholds and
// claim/complete, driving each hart's MEIP (context 2·hart) and SEIP (context 2·hart+1).
import type { MmioDevice, MmioValue, MmioWriteResult } from '../machine/bus';
import type { IrqLine } from './irq-line';

/** The two external-interrupt pending bits of one hart that the PLIC drives. */
export interface PlicHart {
  /** mip.MEIP: context 2·hart (M-mode). */
  readonly machine: IrqLine;
  /** mip.SEIP: context 2·hart+1 (S-mode). */
  readonly supervisor: IrqLine;
}

/** The device tree's riscv,ndev: the highest valid source. QEMU 7.2's virt writes 96 and
 * serves source 96's registers too (measured), so sources are 1..96 (0 means "none"). */
export const PLIC_NDEV = 96;
/** Interrupt sources, source 0 included. */
export const PLIC_SOURCES = PLIC_NDEV + 1;
/** Priority bits per source (QEMU VIRT_IRQCHIP_NUM_PRIO_BITS): levels 1..7, 0 = never. */
const PRIORITY_MASK = 0x7;
const MAX_HARTS = 8;

// Register layout (PLIC spec 1.0.0, "Memory Map"; the same offsets as QEMU's virt).
const PRIORITY_BASE = 0x00_0000; // u32 per source
const PENDING_BASE = 0x00_1000; // one bit per source
const ENABLE_BASE = 0x00_2000; // one bit per source, per context
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000; // threshold at +0, claim/complete at +4, per context
const CONTEXT_STRIDE = 0x1000;
const CLAIM_COMPLETE = 4;

const WORDS = Math.ceil(PLIC_SOURCES / 32);
/** Per word of a bit set, the bits of sources that exist (1..PLIC_NDEV). */
const EXISTING = Array.from({ length: WORDS }, (_, word) => {
  let mask = 0;
  for (let bit = 0; bit < 32; bit++) {
    const source = word * 32 + bit;
    if (source >= 1 && source <= PLIC_NDEV) mask |= 1 << bit;
  }
  return mask >>> 0;
});

/** The PLIC's whole state, for snapshots. Bit sets are arrays of 32-bit words (source n is
 * bit n % 32 of word n / 32). */
export interface PlicState {
  name: 'plic';
  version: 1;
  /** Priority of each source (index 0 is always 0). */
  priority: number[];
  /** Enable bits per context. */
  enable: number[][];
  /** Priority threshold per context. */
  threshold: number[];
  /** Sources claimed and not yet completed (their gateway holds back new requests). */
  claimed: number[];
  /** The level each source's line is driven at. */
  level: number[];
}

export class Plic implements MmioDevice {
  private priority!: number[];
  private enable!: number[][];
  private threshold!: number[];
  private claimed!: number[];
  private level: number[] = new Array<number>(WORDS).fill(0);
  /** What each context's output line was last driven to. */
  private output: boolean[];
  private readonly contexts: readonly IrqLine[];

  constructor(harts: readonly PlicHart[]) {
    if (harts.length < 1 || harts.length > MAX_HARTS) {
      throw new RangeError(`the PLIC serves 1 to ${MAX_HARTS} harts, not ${harts.length}`);
    }
    this.contexts = harts.flatMap((hart) => [hart.machine, hart.supervisor]);
    this.output = this.contexts.map(() => false);
    this.reset();
  }

  /** Power-on state: every priority, enable and threshold 0, nothing claimed. The source
   * lines stay as their devices drive them. */
  reset(): void {
    this.loadState({
      name: 'plic', version: 1,
      priority: new Array<number>(PLIC_SOURCES).fill(0),
      enable: this.contexts.map(() => new Array<number>(WORDS).fill(0)),
      threshold: this.contexts.map(() => 0),
      claimed: new Array<number>(WORDS).fill(0),
      level: [...this.level],
    });
  }

  /** The input wire of source `n` (1..96), for the device that drives it. */
  source(n: number): IrqLine {
    if (!Number.isInteger(n) || n < 1 || n >= PLIC_SOURCES) throw new RangeError(`PLIC source ${n} does not exist`);
    return { set: (level) => this.setLevel(n, level) };
  }

  /** Drives source `n`'s line. A high line is pending unless the source is claimed. */
  setLevel(n: number, high: boolean): void {
    const word = n >> 5;
    const bit = 1 << (n & 31);
    const before = this.level[word];
    this.level[word] = high ? before | bit : before & ~bit;
    if (this.level[word] !== before) this.update();
  }

  read(offset: number, size: number): MmioValue | undefined {
    const register = locate(offset, size, this.contexts.length);
    if (register?.kind === 'claim') return this.claim(register.context);
    return register && this.value(register);
  }

  /** A claim/complete register peeks as the source a claim would return; nothing is claimed. */
  peek(offset: number, size: number): MmioValue | undefined {
    const register = locate(offset, size, this.contexts.length);
    return register && this.value(register);
  }

  write(offset: number, size: number, value: bigint): MmioWriteResult {
    const register = locate(offset, size, this.contexts.length);
    if (!register) return 'fault';
    const word = Number(value & 0xffff_ffffn);
    switch (register.kind) {
      case 'priority':
        this.priority[register.source] = word & PRIORITY_MASK; // WARL: the low 3 bits
        break;
      case 'enable':
        // Only existing sources have enable bits: source 0 and those above PLIC_NDEV read 0.
        this.enable[register.context][register.word] = (word & EXISTING[register.word]) >>> 0;
        break;
      case 'threshold':
        this.threshold[register.context] = word & PRIORITY_MASK;
        break;
      case 'claim':
        this.complete(register.context, word);
        break;
      case 'pending': // read-only (QEMU ignores writes)
      case 'reserved':
        return 'ok';
    }
    this.update();
    return 'ok';
  }

  saveState(): PlicState {
    return {
      name: 'plic', version: 1, priority: [...this.priority], enable: this.enable.map((words) => [...words]),
      threshold: [...this.threshold], claimed: [...this.claimed], level: [...this.level],
    };
  }

  /** Restores the state and re-drives every context's line. */
  loadState(state: PlicState): void {
    const contexts = this.contexts.length;
    if (state.name !== 'plic' || state.version !== 1 || state.enable.length !== contexts || state.threshold.length !== contexts) {
      throw new Error(`cannot load ${String(state.name)} v${String(state.version)} state into a ${contexts / 2}-hart plic v1`);
    }
    this.priority = state.priority.map((p, n) => (n === 0 ? 0 : p & PRIORITY_MASK));
    this.enable = state.enable.map((words) => words.map((w, i) => (i === 0 ? w & ~1 : w) >>> 0));
    this.threshold = [...state.threshold];
    this.claimed = [...state.claimed];
    this.level = [...state.level];
    this.update(true);
  }

  /** Pending bits of word `w`: a high line whose source is not claimed. */
  private pending(word: number): number {
    return (this.level[word] & ~this.claimed[word] & (word === 0 ? ~1 : ~0)) >>> 0;
  }

  /**
   * The source a claim by `context` gets: the pending, enabled source of highest priority
   * above the threshold, the lowest id among equals; 0 if none (as QEMU, the threshold
   * applies to claims too).
   */
  private best(context: number): number {
    let best = 0;
    let bestPriority = this.threshold[context];
    const enabled = this.enable[context];
    for (let word = 0; word < WORDS; word++) {
      let bits = this.pending(word) & enabled[word];
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const n = word * 32 + bit;
        if (this.priority[n] > bestPriority) {
          best = n;
          bestPriority = this.priority[n];
        }
      }
    }
    return best;
  }

  /** Claim: the source stops being pending until it is completed. */
  private claim(context: number): number {
    const n = this.best(context);
    if (n !== 0) {
      this.claimed[n >> 5] |= 1 << (n & 31);
      this.update();
    }
    return n;
  }

  /**
   * Complete: the gateway forwards the next request; a line still high is pending again at
   * once. A completion naming a source not enabled for this context is ignored (spec 1.0.0,
   * "Interrupt Completion"), as are out-of-range ids.
   */
  private complete(context: number, n: number): void {
    if (n <= 0 || n >= PLIC_SOURCES) return;
    const bit = 1 << (n & 31);
    if ((this.enable[context][n >> 5] & bit) === 0) return;
    this.claimed[n >> 5] &= ~bit;
  }

  /** Drives each context's line: high while it has a claimable source. */
  private update(drive = false): void {
    this.contexts.forEach((line, context) => {
      const level = this.best(context) !== 0;
      if (level !== this.output[context] || drive) {
        this.output[context] = level;
        line.set(level);
      }
    });
  }

  private value(register: Register): number {
    switch (register.kind) {
      case 'priority': return this.priority[register.source];
      case 'pending': return this.pending(register.word);
      case 'enable': return this.enable[register.context][register.word];
      case 'threshold': return this.threshold[register.context];
      case 'claim': return this.best(register.context);
      case 'reserved': return 0;
    }
  }
}

type Register =
  | { kind: 'priority'; source: number }
  | { kind: 'pending'; word: number }
  | { kind: 'enable'; context: number; word: number }
  | { kind: 'threshold'; context: number }
  | { kind: 'claim'; context: number }
  | { kind: 'reserved' };

/**
 * Which register an access hits. QEMU's PLIC takes aligned 4-byte accesses only (others are
 * access faults); offsets in the window that name no register read 0 and ignore writes.
 */
function locate(offset: number, size: number, contexts: number): Register | undefined {
  if (size !== 4 || offset % 4 !== 0) return undefined;
  const reserved: Register = { kind: 'reserved' };
  if (offset < PENDING_BASE) {
    const source = (offset - PRIORITY_BASE) >> 2;
    return source >= 1 && source < PLIC_SOURCES ? { kind: 'priority', source } : reserved;
  }
  if (offset < ENABLE_BASE) {
    const word = (offset - PENDING_BASE) >> 2;
    return word < WORDS ? { kind: 'pending', word } : reserved;
  }
  if (offset < CONTEXT_BASE) {
    const context = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
    const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >> 2;
    return context < contexts && word < WORDS ? { kind: 'enable', context, word } : reserved;
  }
  const context = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
  if (context >= contexts) return reserved;
  switch ((offset - CONTEXT_BASE) % CONTEXT_STRIDE) {
    case 0: return { kind: 'threshold', context };
    case CLAIM_COMPLETE: return { kind: 'claim', context };
    default: return reserved;
  }
}
