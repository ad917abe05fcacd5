// The monitor on a real Machine running samples/minikernel: after s_main turns Sv39 on, `info
// mem` and `pt` walk the kernel's own root table (the three gigapages main.c maps), `info
// registers`, `csr`, `x/i`, `info cpus` and `info tlb` read the live hart, `catch ecall` plus
// `trap` name the user program's system call, and commands given while the VM runs pause it
// and let it run on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMonitor } from '../../server/src/debug/monitor';
import type { StopReason } from '../../server/src/debug/target';
import { haltedMinikernel, resumeAndWait } from '../support/debug-target';

const root = path.join(__dirname, '..', '..');
const haveCore = fs.existsSync(path.join(root, 'dist', 'core.wasm'));
/** main.c's USER_BASE - 0x80000000: where the user's view of RAM starts. */
const USER_OFFSET = 0x1_0000_0000n - 0x8000_0000n;

function start() {
  const { machine, target, output, exit } = haltedMinikernel();
  const monitor = createMonitor(target.monitorHost());
  const run = async (line: string) => (await monitor.command(line, 0)).output;
  const symbol = (name: string): bigint => {
    const value = machine.symbols?.lookup(name)?.value;
    if (value === undefined) throw new Error(`no symbol ${name}`);
    return value;
  };
  const resume = (): Promise<StopReason> => resumeAndWait(target, { kind: 'continue' });
  return { machine, target, monitor, run, symbol, resume, exit, output };
}

const hex16 = (value: bigint): string => value.toString(16).padStart(16, '0');

describe.skipIf(!haveCore)('monitor on the minikernel', () => {
  it('walks the kernel\'s Sv39 table once s_main has written satp', async () => {
    const { target, run, symbol, resume, exit } = start();
    expect(await run('info mem')).toBe('No translation or protection\n');
    // barrier() is first called right after satp is written and the TLB flushed.
    target.addBreakpoint(symbol('barrier'), 'software');
    expect(await resume()).toMatchObject({ kind: 'breakpoint', hart: 0 });
    const rootTable = symbol('root_table');
    const satp = (8n << 60n) | (rootTable >> 12n);

    expect(await run('info mem')).toBe(
      'vaddr            paddr            size             attr\n'
      + '---------------- ---------------- ---------------- -------\n'
      + '0000000000000000 0000000000000000 0000000040000000 rw---ad\n'
      + '0000000080000000 0000000080000000 0000000040000000 rwx--ad\n'
      + '0000000100000000 0000000080000000 0000000040000000 rwxu-ad\n');

    const userMain = symbol('user_main');
    expect(await run(`pt ${userMain + USER_OFFSET}`)).toBe(
      `satp 0x${hex16(satp)}: Sv39, ASID 0, root table 0x${hex16(rootTable)}\n`
      + `vaddr 0x${hex16(userMain + USER_OFFSET)}: VPN[2]=0x4 VPN[1]=0x0 VPN[0]=0x${((userMain >> 12n) & 0x1ffn).toString(16)} offset 0x${(userMain & 0xfffn).toString(16)}\n`
      + `  level 2: PTE[4] at 0x${hex16(rootTable + 32n)} = 0x00000000200000df  V R W X U A D -> leaf, 1G page\n`
      + `0x${hex16(userMain + USER_OFFSET)} -> physical 0x${hex16(userMain)} (1G page at 0x0000000080000000)\n`);
    expect(await run('pt 0xc0000000')).toMatch(/level 2: PTE\[3\] at 0x[0-9a-f]+ = 0x0{16}  \(no flags\) -> fault\npage fault: level 2: invalid PTE \(V=0\)\n$/);
    expect(await run('gva2gpa 0x100000010')).toBe('gpa: 0x80000010\n');

    const registers = await run('info registers');
    expect(registers.startsWith(`\nCPU#0\n pc       ${hex16(symbol('barrier'))}\n mhartid  ${hex16(0n)}\n`)).toBe(true);
    expect(registers).toContain(` satp     ${hex16(satp)}\n`);
    expect(registers).toMatch(/\n x0\/zero  0{16} x1\/ra    [0-9a-f]{16} x2\/sp    [0-9a-f]{16} x3\/gp    [0-9a-f]{16}\n/);
    expect(registers).toContain(' f0/ft0   ');

    const csr = await run('csr');
    expect(csr.split('\n')[0]).toBe('privilege     S');
    expect(csr).toContain(`\nsatp          0x${hex16(satp)}  MODE=Sv39 ASID=0 PPN=0x${(rootTable >> 12n).toString(16)} (root table 0x${rootTable.toString(16)})\n`);
    expect(csr).toContain(`\nstvec         0x${hex16(symbol('s_trap_vector'))}  BASE=0x${symbol('s_trap_vector').toString(16)} MODE=Direct\n`);
    expect(csr).toContain('\npmpcfg0       0x000000000000000f  pmp0: TOR rwx\n');
    expect(csr).toContain('\nmisa          0x800000000014112d  RV64ACDFIMSU\n');
    expect(csr).toMatch(/\nsstatus       0x[0-9a-f]{16}  .*SUM/);

    expect(await run('info cpus')).toBe(`* CPU #0: pc=0x${hex16(symbol('barrier'))}\n`);
    expect(await run('x/1i $pc')).toMatch(new RegExp(`^0x${symbol('barrier').toString(16)}:  [0-9a-f]{4,8} +\\S`));
    // The kernel's fetches went through the S-mode TLB set once paging was on.
    expect(await run('info tlb')).toMatch(/\nS    0000000080000000 0000000080000000 --x\n/);
    target.kill();
    await exit;
  });

  it('catches the user program\'s ecall and names it with trap', async () => {
    const { run, resume, target, symbol, exit } = start();
    expect(await run('catch ecall on')).toBe('');
    expect(await run('catch')).toBe('catch: trap off, exception off, interrupt off, ecall on, pagefault off\n');
    expect(await resume()).toMatchObject({ kind: 'trap', cause: 8n });
    const trap = await run('trap');
    expect(trap).toMatch(/^hart 0: \d+ traps; last: exception 8 \(Environment call from U-mode\) to S-mode, epc 0x00000001000[0-9a-f]{5}, tval 0x0{16}\n$/);
    const epc = BigInt(`0x${/epc 0x([0-9a-f]+)/.exec(trap)![1]}`);
    // The ecall's virtual address is in the user's gigapage, which maps it back into the kernel image.
    expect(epc - USER_OFFSET).toBeGreaterThanOrEqual(0x8000_0000n);
    expect(epc - USER_OFFSET).toBeLessThan(symbol('user_stack'));
    expect(await run(`pt ${epc}`)).toContain(`-> physical 0x${hex16(epc - USER_OFFSET)} (1G page`);
    expect(await run('x/1i $sepc')).toMatch(/ecall\n$/);
    target.kill();
    await exit;
  });

  it('pauses a running VM for a command that reads it and lets it run on; stop and cont change its state', async () => {
    const { target, monitor, run, exit } = start();
    target.resume({ kind: 'continue' });
    expect(target.running).toBe(true);
    expect(await run('info cpus')).toMatch(/^\* CPU #0: pc=0x[0-9a-f]{16}/);
    expect(target.running).toBe(true);
    expect(await run('info status')).toBe('VM status: running\n');
    expect(await monitor.command('stop', 0)).toEqual({ output: '', effect: 'pause' });
    expect(target.running).toBe(false);
    expect(await run('info status')).toBe('VM status: paused\n');
    expect(await monitor.command('c', 0)).toEqual({ output: '', effect: 'resume' });
    expect(target.running).toBe(true);
    expect(await monitor.command('quit', 0)).toEqual({ output: '', effect: 'quit' });
    expect(await exit).toBe(0);
  });
});
