// The DWARF reader on the committed samples/minikernel/minikernel.elf (gcc 12, -O1, frame
// pointers): main.c's line table against objdump, the trapframe and m_scratch structures
// against the layout kernel.h asserts, and parameters and locals of the real kernel stopped
// under the Machine, against the registers the RISC-V calling convention puts them in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugInfo, typeName, type DisplayValue, type UnwindFrame } from '../../server/src/debug/dwarf';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { REG_PC } from '../../server/src/debug/target';
import { decodedLines, haveTools } from './dwarf-fixtures/binutils';
import { haltedMinikernel, MINIKERNEL as KERNEL, resumeAndWait } from '../support/debug-target';

const debug = DebugInfo.fromElf(new Uint8Array(fs.readFileSync(KERNEL)));
const haveCore = fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'core.wasm'));

function render(value: DisplayValue): unknown {
  return value.children ? Object.fromEntries(value.children().map((child) => [child.name, child.value.value])) : value.value;
}

describe('DWARF reader on samples/minikernel', () => {
  it.skipIf(!haveTools)('decodes the line table as objdump --dwarf=decodedline and finds main.c lines', () => {
    const ours = debug.lines.programs.flatMap((program) => program.rows.map((row) => {
      const name = path.basename(program.files[row.file]!.name);
      return row.endSequence ? `${name} - ${row.address.toString(16)}` : `${name} ${row.line} ${row.address.toString(16)}${row.isStmt ? ' x' : ''}`;
    }));
    const theirs = decodedLines(KERNEL);
    expect(ours).toEqual(theirs);
    // A breakpoint on s_main's opening line (206) is at its entry, as gdb puts "break s_main"'s
    // line; an editor's absolute path matches the DWARF's "./main.c".
    const sMain = debug.functionByName('s_main')!;
    const editorPath = path.join(__dirname, '..', '..', 'samples', 'minikernel', 'main.c');
    expect(debug.addressesFor(editorPath, 206)).toEqual({ line: 206, addresses: [sMain.entry] });
    expect(debug.lineFor(sMain.entry)).toMatchObject({ line: 206, file: { name: 'main.c' } });
    const rows = theirs.filter((row) => row.endsWith(' x')).map((row) => row.split(' '));
    for (const [file, line, address] of rows) {
      if (file === 'main.c') expect(debug.addressesFor('main.c', Number(line))?.line).toBe(Number(line));
      const location = debug.lineFor(BigInt(`0x${address}`))!;
      expect(rows.some((r) => r[2] === address && r[1] === String(location.line) && r[0] === path.basename(location.file.name))).toBe(true);
    }
    expect(debug.sourceFiles().map((file) => path.basename(file))).toEqual(
      expect.arrayContaining(['main.c', 'console.c', 'timer.c', 'virtio-blk.c', 'user.c', 'kernel.h', 'start.S', 'trap.S']));
  });

  it('expands struct trapframe and struct m_scratch with the offsets kernel.h asserts', () => {
    const globals = debug.globals();
    const trapframes = globals.find((g) => g.name === 'trapframes')!;
    const scratch = globals.find((g) => g.name === 'm_scratch')!;
    expect(typeName(trapframes.type)).toMatch(/^struct trapframe \[\d+\]$/);
    expect(typeName(scratch.type)).toMatch(/^struct m_scratch \[\d+\]$/);
    const element = (type: typeof scratch.type) => (type.kind === 'array' ? type.element : type);
    const trapframe = element(trapframes.type);
    if (trapframe.kind !== 'struct') throw new Error('not a struct');
    expect(trapframe.size).toBe(384);
    expect(trapframe.members.map((m) => `${m.name}@${m.offset}: ${typeName(m.type)}`)).toEqual([
      'regs@0: u64 [32]', 'kernel_sp@256: u64', 'kernel_ra@264: u64', 'kernel_s0_s9@272: u64 [10]',
      'kernel_gp_tp@352: u64 [2]', 'kernel_s10_s11@368: u64 [2]',
    ]);
    const mScratch = element(scratch.type);
    if (mScratch.kind !== 'struct') throw new Error('not a struct');
    expect(mScratch.members.find((m) => m.name === 'saved_t3')?.offset).toBe(48);
    expect(mScratch.members.find((m) => m.name === 'pending_ticks')?.offset).toBe(64);
  });

  describe.skipIf(!haveCore)('on the running kernel', () => {
    function frameOf(target: MachineDebugTarget, hart: number): UnwindFrame {
      const registers = new Map<number, bigint>();
      for (let n = 0; n < 32; n++) registers.set(n, target.readRegister(hart, n)!);
      return { pc: target.readRegister(hart, REG_PC)!, registers };
    }

    it('reads s_main\'s parameter hart as a0 holds it, and unwinds to m_boot as gdb does', async () => {
      const { target } = haltedMinikernel(2);
      try {
        const sMain = debug.functionByName('s_main')!;
        target.addBreakpoint(sMain.entry, 'software');
        const seen: string[] = [];
        for (let i = 0; i < 2; i++) {
          const stop = await resumeAndWait(target, { kind: 'continue' });
          if (stop.kind !== 'breakpoint') throw new Error(`stopped: ${stop.kind}`);
          const memory = (address: bigint, size: number) => target.readMemory(stop.hart, address, size, 'virtual');
          const frame = frameOf(target, stop.hart);
          const hart = debug.scopesAt(frame.pc).find((v) => v.name === 'hart')!;
          expect(hart.kind).toBe('parameter');
          const value = debug.readVariable(hart, frame, memory);
          // The psABI passes the first integer argument in a0 (x10); m_boot passes the hart id.
          expect(value.value.value).toBe(String(frame.registers.get(10)));
          seen.push(value.value.value);
          if (stop.hart === 0) {
            // gdb's `bt` here (README "Debugging with gdb"): #1 0x800007a0 in m_boot, #2 0x80000044 in _start.
            const frames = debug.backtrace(frame, memory, 3);
            expect(frames.map((f) => f.pc)).toEqual([sMain.entry, 0x800007a0n, 0x80000044n]);
            expect(frames.map((f) => debug.symbols?.at(f.pc)?.symbol.name)).toEqual(['s_main', 'm_boot', '_start']);
            expect(debug.functionAt(frames[1].pc - 1n)?.name).toBe('m_boot');
          }
        }
        expect(seen.sort()).toEqual(['0', '1']);
        target.removeBreakpoint(sMain.entry, 'software');

        // Line 218, "release(&counter_lock)" inside the loop: the loop counter i and hart.
        const [at] = debug.addressesFor('main.c', 218)!.addresses;
        target.addBreakpoint(at, 'software');
        const stop = await resumeAndWait(target, { kind: 'continue' });
        if (stop.kind !== 'breakpoint') throw new Error(`stopped: ${stop.kind}`);
        const memory = (address: bigint, size: number) => target.readMemory(stop.hart, address, size, 'virtual');
        const frame = frameOf(target, stop.hart);
        const values = Object.fromEntries(debug.scopesAt(frame.pc).map((v) => [v.name, debug.readVariable(v, frame, memory).value.value]));
        expect(values.hart).toBe(String(stop.hart));
        expect(values).toHaveProperty('i');
        const globals = Object.fromEntries(debug.globals().map((g) => [g.name, debug.readGlobal(g, memory).value]));
        expect(Number(render(globals.locked_counter))).toBeGreaterThanOrEqual(1);
      } finally {
        target.kill();
      }
    });
  });
});
