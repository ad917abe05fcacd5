// The core's contract with the host: exact step budgets (traps count), counters that do not
// depend on how a run is split, wfi and the timer wake step, breakpoints, watchpoints on
// every access path, and dirty-page tracking.
import { describe, expect, it } from 'vitest';
import { Core } from '../../server/src/machine/core';
import * as L from '../../server/core/layout';
import { asm, assemble, reg, type Item } from './guest-image';

const BASE = 0x8000_0000n;
const DATA = BASE + 0x10_000n;
const CSR = { mstatus: 0x300, mie: 0x304, mtvec: 0x305, mcause: 0x342, mcycle: 0xb00, minstret: 0xb02 };
const noDevices = { read: () => undefined, write: () => 'fault' as const };

/** A core with `items` assembled at 0x80000000, pc there and a1 pointing at DATA. */
function coreWith(items: Item[]): { core: Core; labels: Map<string, bigint> } {
  const core = new Core(1 << 20, noDevices);
  const { bytes, labels } = assemble(BASE, items);
  core.writePhysical(BASE, bytes);
  core.pc = BASE;
  core.setX(reg.a1, DATA);
  return { core, labels };
}

// a0 counts up forever, stored at DATA each time round.
const countingLoop: Item[] = [
  asm.label('loop'),
  asm.addi(reg.a0, reg.a0, 1),
  asm.sd(reg.a0, reg.a1, 0),
  asm.j('loop'),
];

describe('run(budget)', () => {
  it('executes exactly the budget, and the counters do not depend on how runs are split', () => {
    const split = (budgets: number[]) => {
      const { core } = coreWith(countingLoop);
      let total = 0;
      for (const budget of budgets) {
        expect(core.run(budget)).toEqual({ kind: 'budget' });
        expect(core.stepsDone).toBe(budget);
        total += budget;
        // Reading counters between runs must not count the last run twice.
        expect(core.readCsr(CSR.mcycle)).toBe(BigInt(total));
      }
      return { core, total };
    };
    const one = split([30_000]);
    const many = split([1, 2, 997, 10_000, 3, 18_997]);
    for (const { core, total } of [one, many]) {
      expect(core.clockSteps).toBe(BigInt(total));
      expect(core.readCsr(CSR.minstret)).toBe(BigInt(total));
    }
    expect(many.core.getX(reg.a0)).toBe(one.core.getX(reg.a0));
    expect(many.core.pc).toBe(one.core.pc);
  });

  it('counts a trap as a step, so a hart in a fault loop still returns', () => {
    // mtvec points at an illegal instruction: every step is a trap.
    const { core } = coreWith([asm.bytes(0, 0, 0, 0)]);
    core.writeCsr(CSR.mtvec, BASE);
    expect(core.run(1000)).toEqual({ kind: 'budget' });
    expect(core.stepsDone).toBe(1000);
    expect(core.readCsr(CSR.mcycle)).toBe(1000n);
    expect(core.readCsr(CSR.minstret)).toBe(0n);
    expect(core.lastTrap.count).toBe(1000n);
    expect(core.readCsr(CSR.mcause)).toBe(2n);
  });

  it('suppresses the increment of the instruction that writes minstret', () => {
    const { core } = coreWith([
      asm.addi(reg.t0, reg.zero, 100),
      asm.csrrw(reg.zero, CSR.minstret, reg.t0),
      asm.csrrs(reg.a0, CSR.minstret, reg.zero),
    ]);
    core.run(3);
    // minstret = 100 after the write retires; the read sees it before its own retirement.
    expect(core.getX(reg.a0)).toBe(100n);
    expect(core.readCsr(CSR.minstret)).toBe(101n);
  });
});

describe('wfi and virtual time', () => {
  it('stops in wfi, names the step its timer fires at, and takes the interrupt there', () => {
    const { core, labels } = coreWith([
      asm.la(reg.t0, 'handler'),
      asm.csrrw(reg.zero, CSR.mtvec, reg.t0),
      asm.li(reg.t0, L.MIP_MTIP),
      asm.csrrw(reg.zero, CSR.mie, reg.t0),
      asm.li(reg.t0, 8), // mstatus.MIE
      asm.csrrs(reg.zero, CSR.mstatus, reg.t0),
      asm.label('wait'),
      asm.wfi(),
      asm.j('wait'),
      asm.label('handler'),
      asm.addi(reg.a0, reg.zero, 42),
      asm.label('spin'),
      asm.j('spin'),
    ]);
    core.mtimecmp = 1000n; // 1000 ticks of 100 ns = 12,500 steps of 8 ns
    expect(core.run(100_000)).toEqual({ kind: 'wfi' });
    expect(core.waitingForInterrupt).toBe(true);
    expect(core.timerWakeStep()).toBe(12_500n);
    // Still waiting: a run takes no step.
    expect(core.run(100)).toEqual({ kind: 'wfi' });
    expect(core.stepsDone).toBe(0);
    core.clockSteps = core.timerWakeStep()!;
    expect(core.mtime()).toBe(1000n);
    core.run(2);
    expect(core.readCsr(CSR.mcause)).toBe((1n << 63n) | 7n);
    expect(core.readCsr(0x341)).toBe(labels.get('wait')! + 4n); // mepc: after the wfi
    expect(core.getX(reg.a0)).toBe(42n);
  });

  it('has no wake step when no timer is enabled', () => {
    const { core } = coreWith([asm.wfi()]);
    core.mtimecmp = 10n;
    expect(core.timerWakeStep()).toBeUndefined();
  });
});

describe('breakpoints and watchpoints', () => {
  it('stops before a breakpoint, also at the start of a run, unless the run resumes from it', () => {
    const { core, labels } = coreWith(countingLoop);
    const store = labels.get('loop')! + 4n;
    core.setBreakpoints([store]);
    expect(core.run(1000)).toEqual({ kind: 'breakpoint' });
    expect(core.pc).toBe(store);
    expect(core.getX(reg.a0)).toBe(1n);
    // A run that starts on the breakpoint stops there at once, without a step...
    expect(core.run(1000)).toEqual({ kind: 'breakpoint' });
    expect(core.stepsDone).toBe(0);
    // ...unless it resumes from the stop: then the instruction there runs first.
    core.debugFlags = L.DEBUG_RESUME;
    expect(core.run(1000)).toEqual({ kind: 'breakpoint' });
    expect(core.stepsDone).toBe(3); // the store, the jump, the addi
    expect(core.getX(reg.a0)).toBe(2n);
    core.debugFlags = 0;
    core.setBreakpoints([]);
    expect(core.run(1000)).toEqual({ kind: 'budget' });
  });

  it('stops before a store to a watched range, with the address, and resuming performs it', () => {
    const { core, labels } = coreWith(countingLoop);
    core.setWatches([{ start: DATA + 4n, end: DATA + 5n, flags: L.WATCH_WRITE }]);
    expect(core.run(1000)).toEqual({ kind: 'watch-write', addr: DATA });
    expect(core.stepsDone).toBe(1); // the addi; the store did not happen
    expect(core.pc).toBe(labels.get('loop')! + 4n);
    expect(core.readPhysical(DATA, 1)[0]).toBe(0);
    core.debugFlags = L.DEBUG_RESUME;
    expect(core.run(1000)).toEqual({ kind: 'watch-write', addr: DATA });
    expect(core.stepsDone).toBe(3); // the store, the jump, the addi
    expect(core.readPhysical(DATA, 1)[0]).toBe(1);
    core.debugFlags = 0;
  });

  it('catches reads by loads and AMOs, and writes by AMOs, before they happen', () => {
    const amoaddD = (rd: number, rs2: number, rs1: number) =>
      asm.bytes(...new Uint8Array(new Uint32Array([((rs2 << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f) >>> 0]).buffer));
    const { core } = coreWith([
      asm.ld(reg.a2, reg.a1, 0),
      amoaddD(reg.a3, reg.a2, reg.a1),
    ]);
    core.writePhysical(DATA, Uint8Array.of(5));
    core.setWatches([{ start: DATA, end: DATA + 8n, flags: L.WATCH_READ }]);
    expect(core.run(10)).toEqual({ kind: 'watch-read', addr: DATA });
    expect(core.stepsDone).toBe(0);
    expect(core.getX(reg.a2)).toBe(0n); // the load did not happen
    core.debugFlags = L.DEBUG_RESUME;
    expect(core.run(10)).toEqual({ kind: 'watch-read', addr: DATA }); // the ld, then the amoadd reads
    core.debugFlags = 0;
    expect(core.stepsDone).toBe(1);
    expect(core.getX(reg.a2)).toBe(5n);
    core.setWatches([{ start: DATA, end: DATA + 8n, flags: L.WATCH_WRITE }]);
    expect(core.run(10)).toEqual({ kind: 'watch-write', addr: DATA });
    expect(core.stepsDone).toBe(0);
    expect(core.readPhysical(DATA, 1)[0]).toBe(5);
    core.debugFlags = L.DEBUG_RESUME;
    core.run(1);
    expect(core.readPhysical(DATA, 1)[0]).toBe(10);
    expect(core.getX(reg.a3)).toBe(5n);
    core.debugFlags = 0;
  });
});

describe('dirty pages', () => {
  it('marks pages the hart writes, again after each take', () => {
    const { core } = coreWith(countingLoop);
    core.takeDirtyPages(); // the loader's writes
    core.run(100);
    const dataPage = Number((DATA - BASE) >> 12n);
    expect(core.takeDirtyPages()).toEqual([dataPage]);
    expect(core.takeDirtyPages()).toEqual([]);
    core.run(100);
    expect(core.takeDirtyPages()).toEqual([dataPage]);
  });

  it('marks pages written by the host', () => {
    const { core } = coreWith([]);
    core.takeDirtyPages();
    core.writePhysical(BASE + 0x5ffen, new Uint8Array(4));
    expect(core.takeDirtyPages()).toEqual([5, 6]);
  });
});
