// The Machine's DebugTarget on the real samples/minikernel: run control (-S, breakpoints, steps
// with and without the other harts, pause, catch), registers, memory and watchpoints.
import { describe, expect, it } from 'vitest';
import { REG_CSR0, REG_PC, REG_PRIV } from '../../server/src/debug/target';
import type { Machine } from '../../server/src/machine/machine';
import { haltedMinikernel, nextStop, resumeAndWait } from '../support/debug-target';

const start = haltedMinikernel;

function symbol(machine: Machine, name: string): bigint {
  const value = machine.symbols?.lookup(name)?.value;
  if (value === undefined) throw new Error(`no symbol ${name}`);
  return value;
}


describe('MachineDebugTarget', () => {
  it('holds the harts at reset with -S, then stops at a breakpoint on every hart that reaches it', async () => {
    const { machine, target } = start(3);
    expect(target.running).toBe(false);
    expect(target.readRegister(0, REG_PC)).toBe(0x1000n);
    expect(target.harts().map((h) => h.privilege)).toEqual([3, 3, 3]);
    const sMain = symbol(machine, 's_main');
    expect(target.addBreakpoint(sMain, 'software')).toBe(true);
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const stop = await resumeAndWait(target, { kind: 'continue' });
      expect(stop.kind).toBe('breakpoint');
      if (stop.kind !== 'breakpoint') return;
      expect(stop.type).toBe('software');
      expect(target.readRegister(stop.hart, REG_PC)).toBe(sMain);
      expect(target.readRegister(stop.hart, REG_PRIV)).toBe(1n); // S-mode
      seen.add(stop.hart);
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
    target.kill();
  });

  it('steps one instruction, taking an ecall to the handler, without interrupts by default', async () => {
    const { target } = start(1);
    // The user program runs from its own mapping: find an ecall's address from the first one taken.
    target.setCatch('ecall', true);
    expect(await resumeAndWait(target, { kind: 'continue' })).toMatchObject({ kind: 'trap', cause: 8n });
    target.setCatch('ecall', false);
    const ecall = target.readRegister(0, REG_CSR0 + 0x141)!; // sepc
    target.addBreakpoint(ecall, 'hardware');
    expect(await resumeAndWait(target, { kind: 'continue' })).toMatchObject({ kind: 'breakpoint', type: 'hardware', hart: 0 });
    expect(target.readRegister(0, REG_PC)).toBe(ecall);
    expect(target.readRegister(0, REG_PRIV)).toBe(0n);
    const stvec = target.readRegister(0, REG_CSR0 + 0x105)!;
    expect(await resumeAndWait(target, { kind: 'step', hart: 0, others: 'hold' })).toEqual({ kind: 'step', hart: 0 });
    expect(target.readRegister(0, REG_PRIV)).toBe(1n);
    expect(target.readRegister(0, REG_PC)).toBe(stvec & ~3n);
    expect(target.readRegister(0, REG_CSR0 + 0x142)).toBe(8n); // scause: ecall from U
    target.kill();
  });

  it('stops after a store to a watched global, and reads and writes memory', async () => {
    const { machine, target } = start(1);
    const counter = symbol(machine, 'locked_counter');
    expect(target.addWatchpoint(counter, 4, 'write')).toBe(true);
    // The first store is hart 0 clearing .bss; the next is the first increment. Each stop
    // comes before the store, with pc on it (as gdb's RISC-V watchpoints expect).
    expect(await resumeAndWait(target, { kind: 'continue' })).toEqual({ kind: 'watchpoint', hart: 0, watch: 'write', addr: counter });
    expect(await resumeAndWait(target, { kind: 'continue' })).toEqual({ kind: 'watchpoint', hart: 0, watch: 'write', addr: counter });
    expect(target.readMemory(0, counter, 4, 'virtual')).toEqual(Uint8Array.of(0, 0, 0, 0));
    const pc = target.readRegister(0, REG_PC)!;
    expect(await resumeAndWait(target, { kind: 'step', hart: 0, others: 'hold' })).toEqual({ kind: 'step', hart: 0 });
    expect(target.readRegister(0, REG_PC)).not.toBe(pc);
    expect(target.readMemory(0, counter, 4, 'virtual')).toEqual(Uint8Array.of(1, 0, 0, 0));
    expect(target.writeMemory(0, counter, Uint8Array.of(41, 0, 0, 0), 'virtual')).toBe(true);
    expect(await resumeAndWait(target, { kind: 'continue' })).toMatchObject({ kind: 'watchpoint' });
    target.removeWatchpoint(counter, 4, 'write');
    expect(await resumeAndWait(target, { kind: 'step', hart: 0, others: 'hold' })).toEqual({ kind: 'step', hart: 0 });
    expect(target.readMemory(0, counter, 4, 'virtual')).toEqual(Uint8Array.of(42, 0, 0, 0));
    // Unmapped memory reads as nothing; device registers through their peek.
    expect(target.readMemory(0, 0x4000_0000n, 16, 'physical').length).toBe(0);
    expect(target.readMemory(0, 0x1000n, 4, 'physical')).toEqual(Uint8Array.of(0x97, 0x02, 0x00, 0x00)); // auipc t0, 0
    target.kill();
  });

  it('catches a page fault or an ecall and reports its cause; pause stops a running machine', async () => {
    const { target } = start(1);
    target.setCatch('ecall', true);
    const stop = await resumeAndWait(target, { kind: 'continue' });
    expect(stop.kind).toBe('trap');
    if (stop.kind === 'trap') expect(stop.cause).toBe(8n);
    target.setCatch('ecall', false);
    const paused = nextStop(target);
    target.resume({ kind: 'continue' });
    setTimeout(() => target.pause(), 30);
    expect(await paused).toMatchObject({ kind: 'paused' });
    target.kill();
  });

  it('reports the exit status when the guest powers off', async () => {
    const { machine, target, exit } = start(1);
    const stop = nextStop(target);
    target.resume({ kind: 'continue' });
    machine.sendInput(Buffer.from('bye\r'));
    expect(await stop).toEqual({ kind: 'exited', code: 0 });
    expect(await exit).toBe(0);
  });
});
