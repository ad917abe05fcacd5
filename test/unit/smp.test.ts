// SMP on the real core without a toolchain: Harts (device lines and timers of parked harts,
// the LR value and TLB carried with each hart), RoundRobin (turns in hart order, waiting
// harts passed over, IPI kicks, the earliest wake), and a Machine whose 4 harts meet through
// amoadd.w and wake each other from wfi with CLINT IPIs, to the same step on every run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as L from '../../server/core/layout';
import { Core, type MmioBus } from '../../server/src/machine/core';
import { Harts } from '../../server/src/machine/harts';
import { Machine } from '../../server/src/machine/machine';
import { RoundRobin } from '../../server/src/machine/scheduler';
import { asm, assemble, guestElf, reg, type Item } from './guest-image';

const haveCore = fs.existsSync(path.join(__dirname, '../../dist/core.wasm'));
const BASE = 0x8000_0000n;
const CSR_MIE = 0x304;
const CSR_MIP = 0x344;
const CSR_MSTATUS = 0x300;
const CSR_SATP = 0x180;
const CSR_PMPCFG0 = 0x3a0;
const CSR_PMPADDR0 = 0x3b0;
const CSR_MHARTID = 0xf14;
const MSTATUS_MPP_S = 1n << 11n;
const MSTATUS_MPRV = 1n << 17n;

const NO_DEVICES: MmioBus = { read: () => undefined, write: () => 'fault' };

/** A raw instruction word. */
const word = (w: number): Item => asm.bytes(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
// RV64A and lw (unprivileged spec, "RV32/64G instruction listings").
const amo = (funct5: number, rd: number, rs1: number, rs2: number) =>
  word(((funct5 << 27) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x2f) >>> 0);
const lrW = (rd: number, rs1: number) => amo(0x02, rd, rs1, 0);
const scW = (rd: number, rs1: number, rs2: number) => amo(0x03, rd, rs1, rs2);
const amoaddW = (rd: number, rs1: number, rs2: number) => amo(0x00, rd, rs1, rs2);
const lw = (rd: number, rs1: number, imm: number) => word((((imm & 0xfff) << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x03) >>> 0);

/** A core with `count` harts, `items` assembled at BASE, every hart reset to `start(hart)`. */
function smpCore(count: number, items: Item[], start: (hart: number, core: Core, labels: Map<string, bigint>) => void) {
  const core = new Core(16 << 20, NO_DEVICES);
  const { bytes, labels } = assemble(BASE, items);
  core.writePhysical(BASE, bytes);
  const harts = new Harts(core, count);
  harts.resetAll((hart) => start(hart, core, labels));
  return { core, harts, labels };
}

const u32At = (core: Core, paddr: bigint) => new DataView(core.readPhysical(paddr, 4).buffer).getUint32(0, true);
function setU32(core: Core, paddr: bigint, value: number): void {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  core.writePhysical(paddr, bytes);
}

describe.skipIf(!haveCore)('Harts', () => {
  it('resets every hart with mhartid = its index and hart 0 active', () => {
    const { core, harts } = smpCore(3, [asm.label('loop'), asm.j('loop')], () => {});
    expect(harts.active).toBe(0);
    for (const hart of [2, 1, 0]) {
      harts.select(hart);
      expect(core.readCsr(CSR_MHARTID)).toBe(BigInt(hart));
      expect(core.pc).toBe(0x1000n);
    }
    expect(() => harts.select(3)).toThrow(RangeError);
    expect(() => new Harts(core, 9)).toThrow(RangeError);
  });

  it("puts a parked hart's interrupt lines and mtimecmp in its parked state", () => {
    const { core, harts } = smpCore(2, [asm.label('loop'), asm.j('loop')], () => {});
    const woken: number[] = [];
    harts.onWake = (hart) => woken.push(hart);
    harts.setPending(1, L.MIP_MSIP, true);
    harts.setTimerCompare(1, 1234n);
    expect(core.readCsr(CSR_MIP)! & BigInt(L.MIP_MSIP)).toBe(0n); // hart 0's mip
    expect(core.mtimecmp).toBe(0xffff_ffff_ffff_ffffn);
    expect(harts.timerCompare(1)).toBe(1234n);
    harts.select(1);
    expect(core.readCsr(CSR_MIP)! & BigInt(L.MIP_MSIP)).toBe(BigInt(L.MIP_MSIP));
    expect(core.mtimecmp).toBe(1234n);
    harts.setPending(0, L.MIP_MEIP | L.MIP_SEIP, true);
    harts.setPending(0, L.MIP_SEIP, false);
    harts.select(0);
    expect(core.readCsr(CSR_MIP)! & BigInt(L.MIP_MEIP | L.MIP_SEIP | L.MIP_MSIP)).toBe(BigInt(L.MIP_MEIP));
    expect(woken).toEqual([1, 1, 0]); // raising a line or moving a timer; lowering one wakes nobody
  });

  it("keeps each hart's LR value: another hart's LR does not make a stale SC succeed", () => {
    // Both harts: lr.w a0, (t0); sc.w a1, a2, (t0).
    const data = BASE + 0x1000n;
    const { core, harts } = smpCore(2, [lrW(reg.a0, reg.t0), scW(reg.a1, reg.t0, reg.a2), asm.label('end'), asm.j('end')], (hart, core) => {
      core.pc = BASE;
      core.setX(reg.t0, data);
      core.setX(reg.a2, BigInt(100 + hart));
    });
    setU32(core, data, 5);
    core.run(1); // hart 0: lr reads 5
    expect(core.getX(reg.a0)).toBe(5n);
    setU32(core, data, 7); // another agent's store of a different value
    harts.select(1);
    core.run(1); // hart 1: lr reads 7
    expect(core.getX(reg.a0)).toBe(7n);
    harts.select(0);
    core.run(1); // hart 0: memory no longer holds its 5
    expect(core.getX(reg.a1)).toBe(1n);
    expect(u32At(core, data)).toBe(7);
    harts.select(1);
    core.run(1); // hart 1: still holds its 7
    expect(core.getX(reg.a1)).toBe(0n);
    expect(u32At(core, data)).toBe(101);
  });

  it("carries each hart's TLB: the same virtual page stays on each hart's own frame", () => {
    // Sv39 per hart: root[1] -> middle table, middle[0] -> a 2 MiB page at frame(hart).
    // Loads go through satp with mstatus.MPRV and MPP = S; the code runs untranslated in M.
    const tables = BASE + 0x10_0000n;
    const frame = (hart: number) => BASE + 0x20_0000n * BigInt(hart + 1);
    const pte = (paddr: bigint, flags: number) => ((paddr >> 12n) << 10n) | BigInt(flags);
    const dword = (paddr: bigint, value: bigint) => {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, value, true);
      return { paddr, bytes };
    };
    const writes = [0, 1].flatMap((hart) => {
      const root = tables + BigInt(hart) * 0x2000n;
      return [
        dword(root + 8n, pte(root + 0x1000n, 0x01)),
        dword(root + 0x1000n, pte(frame(hart), 0x01 | 0x02 | 0x04 | 0x40 | 0x80)),
        dword(frame(hart), 0xa0n + BigInt(hart)),
      ];
    });
    const loop = [asm.label('again'), asm.ld(reg.a0, reg.t0, 0), asm.j('again')];
    const { core, harts } = smpCore(2, loop, (hart, core) => {
      core.pc = BASE;
      core.setX(reg.t0, 0x4000_0000n);
      core.writeCsr(CSR_MSTATUS, MSTATUS_MPRV | MSTATUS_MPP_S);
      core.writeCsr(CSR_SATP, (8n << 60n) | ((tables + BigInt(hart) * 0x2000n) >> 12n));
      core.flushTlb();
    });
    for (const { paddr, bytes } of writes) core.writePhysical(paddr, bytes);
    // PMP: S-mode accesses need an entry (all memory, NAPOT, RWX).
    for (const hart of [1, 0]) {
      harts.select(hart);
      core.writeCsr(CSR_PMPADDR0, (1n << 54n) - 1n);
      core.writeCsr(CSR_PMPCFG0, 0x1fn);
      core.flushTlb();
    }
    for (let round = 0; round < 3; round++) {
      for (const hart of [0, 1]) {
        harts.select(hart);
        core.run(2); // the load fills (or hits) this hart's TLB
        expect(core.getX(reg.a0)).toBe(0xa0n + BigInt(hart));
      }
    }
  });
});

describe.skipIf(!haveCore)('RoundRobin', () => {
  /** Harts that count in a3 forever, except those in `sleepers`, which wait in wfi for an IPI. */
  function counting(count: number, sleepers: number[], quantum: number) {
    const items = [
      asm.label('count'), asm.addi(reg.a3, reg.a3, 1), asm.j('count'),
      asm.label('sleep'), asm.wfi(), asm.j('sleep'),
    ];
    const setup = smpCore(count, items, (hart, core, labels) => {
      core.pc = labels.get(sleepers.includes(hart) ? 'sleep' : 'count')!;
      core.writeCsr(CSR_MIE, BigInt(L.MIP_MSIP));
    });
    const scheduler = new RoundRobin(setup.core, setup.harts, quantum);
    const turn = () => {
      if (!scheduler.schedule(setup.core.clockSteps)) return undefined;
      const hart = setup.harts.active;
      scheduler.ran(setup.core.run(scheduler.budget(1 << 20)));
      return hart;
    };
    return { ...setup, scheduler, turn };
  }

  it('gives the harts turns of one quantum each, in hart order from hart 0', () => {
    const { core, harts, turn } = counting(3, [], 100);
    expect(Array.from({ length: 6 }, turn)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(core.clockSteps).toBe(600n);
    for (const hart of [0, 1, 2]) {
      harts.select(hart);
      expect(core.getX(reg.a3)).toBe(100n); // two turns of 100 steps, two steps a count
    }
  });

  it('passes over a hart in wfi until a device raises its line', () => {
    const { harts, turn } = counting(3, [1], 100);
    expect(Array.from({ length: 6 }, turn)).toEqual([0, 1, 2, 0, 2, 0]);
    expect(harts.waiting(1)).toBe(true);
    harts.setPending(1, L.MIP_MSIP, true);
    expect(Array.from({ length: 3 }, turn)).toEqual([1, 2, 0]);
  });

  it('ends the turn of a hart that raised an IPI for a parked hart', () => {
    const { harts, scheduler, turn, core } = counting(2, [], 100);
    const device = scheduler.kickOnInterrupt({ read: () => 0, peek: () => 0, write: () => 'ok' });
    expect(device.write(0, 4, 1n)).toBe('ok');
    scheduler.interprocessorInterrupt(0); // to itself: no kick
    expect(device.write(0, 4, 1n)).toBe('ok');
    expect(turn()).toBe(0);
    expect(scheduler.schedule(core.clockSteps)).toBe(true);
    expect(harts.active).toBe(1);
    scheduler.interprocessorInterrupt(0);
    expect(device.write(0, 4, 1n)).toBe('stop');
    scheduler.ran(core.run(10));
    expect(scheduler.schedule(core.clockSteps)).toBe(true);
    expect(harts.active).toBe(0); // hart 1's turn ended after 10 steps
  });

  it('reports the earliest timer of the waiting harts when all wait, and runs that hart at its step', () => {
    const { core, harts, scheduler, turn } = counting(3, [0, 1, 2], 100);
    for (const [hart, ticks] of [[1, 500n], [2, 300n]] as const) {
      harts.setTimerCompare(hart, ticks);
      harts.select(hart);
      core.writeCsr(CSR_MIE, BigInt(L.MIP_MTIP));
    }
    harts.select(0);
    expect(Array.from({ length: 4 }, turn)).toEqual([0, 1, 2, undefined]);
    // 300 ticks of 100 ns are 3,750 steps of 8 ns.
    expect(scheduler.wakeStep()).toBe(3750n);
    core.clockSteps = 3750n;
    expect(turn()).toBe(2);
    expect(harts.waiting(2)).toBe(false);
  });
});

describe.skipIf(!haveCore)('Machine with -smp', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-smp-'));
  const CLINT = 0x200_0000;

  /**
   * Every hart adds 1 to `arrived` with amoadd.w; hart 0 waits for all, then sends each other
   * hart an IPI; they sleep in wfi (MSIE only) until it comes, clear their msip, add 1 to
   * `woke` and sleep for good. Hart 0 prints "ok" once all woke and powers off.
   */
  function kernel(harts: number): string {
    const file = path.join(dir, `ipi${harts}.elf`);
    fs.writeFileSync(file, guestElf(BASE, [
      asm.label('_start'),
      asm.la(reg.t0, 'arrived'),
      asm.li(reg.t1, 1),
      amoaddW(reg.zero, reg.t0, reg.t1),
      asm.bne(reg.a0, reg.zero, 'secondary'),
      asm.li(reg.t3, harts),
      asm.label('wait_all'), lw(reg.t2, reg.t0, 0), asm.bne(reg.t2, reg.t3, 'wait_all'),
      asm.lui(reg.t4, CLINT >>> 12), asm.li(reg.t5, harts - 1),
      asm.label('ipi'), asm.addi(reg.t4, reg.t4, 4), asm.sw(reg.t1, reg.t4, 0), asm.addi(reg.t5, reg.t5, -1),
      asm.bne(reg.t5, reg.zero, 'ipi'),
      asm.la(reg.t0, 'woke'), asm.li(reg.t3, harts - 1),
      asm.label('wait_woke'), lw(reg.t2, reg.t0, 0), asm.bne(reg.t2, reg.t3, 'wait_woke'),
      asm.lui(reg.t5, 0x1000_0000 >>> 12), asm.li(reg.a1, 0x6f), asm.sb(reg.a1, reg.t5, 0),
      asm.li(reg.a1, 0x6b), asm.sb(reg.a1, reg.t5, 0),
      asm.lui(reg.t0, 0x10_0000 >>> 12), asm.li(reg.t1, 0x5555), asm.sw(reg.t1, reg.t0, 0),
      asm.label('hang'), asm.j('hang'),
      asm.label('secondary'),
      asm.li(reg.t2, L.MIP_MSIP), asm.csrrw(reg.zero, CSR_MIE, reg.t2),
      asm.label('sleep'), asm.wfi(), asm.csrrs(reg.t2, CSR_MIP, reg.zero), asm.andi(reg.t2, reg.t2, L.MIP_MSIP),
      asm.beq(reg.t2, reg.zero, 'sleep'),
      asm.slli(reg.t3, reg.a0, 2), asm.lui(reg.t4, CLINT >>> 12), asm.add(reg.t4, reg.t4, reg.t3), asm.sw(reg.zero, reg.t4, 0),
      asm.la(reg.t0, 'woke'), amoaddW(reg.zero, reg.t0, reg.t1),
      asm.label('park'), asm.wfi(), asm.j('park'),
      asm.align(8),
      asm.label('arrived'), asm.dword(0n),
      asm.label('woke'), asm.dword(0n),
    ]));
    return file;
  }

  async function run(harts: number) {
    const output: number[] = [];
    const machine = new Machine({
      board: 'virt', ramSize: 16 << 20, kernel: kernel(harts), bios: 'none', icountShift: 3, harts,
      console: { write: (byte) => output.push(byte) },
    });
    const status = await machine.run();
    return { status, text: Buffer.from(output).toString('latin1'), steps: machine.core.clockSteps };
  }

  it('boots 4 harts with their ids, wakes the sleepers with IPIs, and repeats to the step', async () => {
    const [a, b] = [await run(4), await run(4)];
    expect(a).toMatchObject({ status: 0, text: 'ok' });
    expect(b).toEqual(a);
  });

  it('runs 8 harts', async () => {
    expect(await run(8)).toMatchObject({ status: 0, text: 'ok' });
  });
});
