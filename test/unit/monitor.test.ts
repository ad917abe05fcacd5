// The monitor's command line (server/src/debug/monitor.ts) over a small in-test MonitorHost: two
// RV64 harts with registers, 1 MiB of RAM holding the minikernel's Sv39 table, a software TLB
// and trap records. Checks QEMU's layouts (info registers, info cpus, info mem, x), Lantern's
// commands (pt, trap, csr, catch, phys, step-irq), run control and the pause-around-reads rule.
import { describe, expect, it } from 'vitest';
import { createMonitor, type CatchKind, type MonitorHost, type TlbEntry, type TrapRecord } from '../../server/src/debug/monitor';
import { csrNames, floatRegisterNames, integerRegisterNames, rv32CsrNames } from '../../server/src/debug/disassemble';
import type { AddressSpace, HartInfo, RegisterInfo } from '../../server/src/debug/target';

const RAM = 0x8000_0000n;
const RAM_SIZE = 1 << 20;
const ROOT = RAM + 0x1_0000n;
const CSR = (name: string): number => 65 + [...csrNames, ...rv32CsrNames].find(([, n]) => n === name)![0];
const PRIV = 4161;
/** The CSRs this host implements (a subset, so info registers must skip the others). */
const CSRS = ['fflags', 'frm', 'fcsr', 'sstatus', 'stvec', 'sepc', 'scause', 'stval', 'satp', 'mhartid', 'mstatus', 'misa',
  'medeleg', 'mideleg', 'mie', 'mtvec', 'mepc', 'mcause', 'mtval', 'mip', 'pmpcfg0', 'pmpaddr0', 'pmpaddr1', 'mcycle', 'mhpmcounter3'];

class TestHost implements MonitorHost {
  readonly registers: RegisterInfo[];
  readonly values = [new Map<number, bigint>(), new Map<number, bigint>()];
  readonly ram = new Uint8Array(RAM_SIZE);
  running = false;
  addressSpace: AddressSpace = 'virtual';
  stepInterrupts = false;
  readonly catching = new Set<CatchKind>();
  readonly calls: string[] = [];
  traps: TrapRecord[] = [
    { count: 3n, cause: 8n, tval: 0n, epc: 0x1_0000_0010n, target: 1 },
    { count: 0n, cause: 0n, tval: 0n, epc: 0n, target: 0 },
  ];
  entries: TlbEntry[] = [];
  privileges = [1, 3];

  constructor(readonly xlen: 32 | 64 = 64) {
    this.registers = [
      ...integerRegisterNames.map((name, number) => ({ number, name, bits: this.xlen, feature: 'cpu' as const, type: 'int' })),
      { number: 32, name: 'pc', bits: this.xlen, feature: 'cpu', type: 'code_ptr' },
      ...floatRegisterNames.map((name, i) => ({ number: 33 + i, name, bits: 64, feature: 'fpu' as const, type: 'ieee_double' })),
      ...[...CSRS, ...(this.xlen === 32 ? ['mstatush'] : [])]
        .map((name) => ({ number: CSR(name), name, bits: this.xlen, feature: 'csr' as const, type: 'int' })),
      { number: PRIV, name: 'priv', bits: 8, feature: 'virtual', type: 'int' },
    ];
    for (const [hart, values] of this.values.entries()) {
      for (const r of this.registers) values.set(r.number, 0n);
      values.set(32, RAM + BigInt(hart) * 0x100n);
      values.set(2, RAM + 0x8000n);
      values.set(10, 5n);
      values.set(CSR('mhartid'), BigInt(hart));
      values.set(CSR('misa'), 0x8000_0000_0014_112dn);
      values.set(PRIV, BigInt(this.privileges[hart]));
    }
    // The minikernel's Sv39 table: devices RW at 0, the kernel RWX at 0x80000000, the user's
    // view of the same RAM RWXU at 0x100000000, all three gigapages A and D.
    const view = new DataView(this.ram.buffer);
    const gigapage = (index: number, pa: bigint, flags: bigint) =>
      view.setBigUint64(Number(ROOT - RAM) + index * 8, ((pa >> 12n) << 10n) | flags | 0xc1n, true);
    gigapage(0, 0n, 0x6n);
    gigapage(2, RAM, 0xen);
    gigapage(4, RAM, 0x1en);
    this.ram.set([0x97, 0x02, 0x00, 0x00, 0x93, 0x82, 0x82, 0x02], 0);
  }

  harts(): readonly HartInfo[] {
    return [{ hart: 0, privilege: this.privileges[0], state: 'running' }, { hart: 1, privilege: this.privileges[1], state: 'waiting' }];
  }
  readRegister(hart: number, number: number): bigint | undefined {
    if (this.running) throw new Error('registers read while running');
    return this.values[hart]?.get(number);
  }
  readMemory(hart: number, addr: bigint, length: number, space: AddressSpace): Uint8Array {
    if (this.running) throw new Error('memory read while running');
    this.calls.push(`readMemory ${hart} ${space}`);
    return this.readPhysical(addr, length) ?? new Uint8Array(0);
  }
  readPhysical(addr: bigint, length: number): Uint8Array | undefined {
    if (addr < RAM || addr >= RAM + BigInt(RAM_SIZE)) return undefined;
    const at = Number(addr - RAM);
    return this.ram.slice(at, Math.min(RAM_SIZE, at + length));
  }
  lastTrap(hart: number): TrapRecord { return this.traps[hart]; }
  tlb(): readonly TlbEntry[] { return this.entries; }
  memoryMap() {
    return [
      { name: 'riscv_virt_board.ram', base: RAM, size: BigInt(RAM_SIZE) },
      { name: 'riscv_virt_board.mrom', base: 0x1000n, size: 0xf000n },
      { name: 'serial', base: 0x1000_0000n, size: 0x100n },
    ];
  }
  setCatch(kind: CatchKind, on: boolean): void {
    if (on) this.catching.add(kind);
    else this.catching.delete(kind);
  }
  /** Stops a little later, as a real machine does at the end of its slice. */
  async pause(): Promise<void> {
    this.calls.push('pause');
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.running = false;
  }
  resume(): void { this.calls.push('resume'); this.running = true; }
  reset(): void { this.calls.push('reset'); }
  quit(): void { this.calls.push('quit'); }
}

function setup(xlen: 32 | 64 = 64) {
  const host = new TestHost(xlen);
  const monitor = createMonitor(host);
  const run = async (line: string, hart = 0) => (await monitor.command(line, hart)).output;
  return { host, monitor, run };
}

const SATP_SV39 = (8n << 60n) | (ROOT >> 12n);

describe('monitor: QEMU commands', () => {
  it('lists the commands, Lantern\'s marked, and says what an unknown one is', async () => {
    const { run } = setup();
    const help = await run('help');
    expect(help).toContain("x /fmt addr -- virtual memory dump starting at 'addr'\n");
    expect(help).toContain('cont|c  -- resume emulation\n');
    expect(help).toContain("pt vaddr -- (Lantern's) walk");
    expect(help).toContain("catch [trap|exception|interrupt|ecall|pagefault on|off] -- (Lantern's) ");
    expect(await run('? xp')).toBe("xp /fmt addr -- physical memory dump starting at 'addr'\n");
    expect(await run('help info')).toContain("info tlb  -- (Lantern's) show the hart's software TLB");
    expect(await run('info')).toContain('info mem  -- show the active virtual memory mappings\n');
    expect(await run('foo bar')).toBe("unknown command: 'foo'\nTry 'help' for the list of commands.\n");
    expect(await run('info foo')).toBe("unknown command: 'info foo'\n");
    expect(await run('stop now')).toBe('stop: extraneous characters at the end of line\n');
    expect(await run('   ')).toBe('');
  });

  it('prints info registers as riscv_cpu_dump_state does, leaving out CSRs the hart lacks', async () => {
    const { host, run } = setup();
    host.values[0].set(CSR('mstatus'), 0xa_0000_0080n);
    host.values[0].set(1, 0x8000_1000n);
    host.values[0].set(33 + 31, 0x4000_0000_0000_0000n);
    const text = await run('info registers');
    const lines = text.split('\n');
    expect(lines.slice(0, 16)).toEqual([
      '',
      'CPU#0',
      ' pc       0000000080000000',
      ' mhartid  0000000000000000',
      ' mstatus  0000000a00000080',
      ' mip      0000000000000000',
      ' mie      0000000000000000',
      ' mideleg  0000000000000000',
      ' medeleg  0000000000000000',
      ' mtvec    0000000000000000',
      ' stvec    0000000000000000',
      ' mepc     0000000000000000',
      ' sepc     0000000000000000',
      ' mcause   0000000000000000',
      ' scause   0000000000000000',
      ' mtval    0000000000000000',
    ]);
    // No mscratch or sscratch in this host: straight on to satp and the x registers.
    expect(lines.slice(16, 20)).toEqual([
      ' stval    0000000000000000',
      ' satp     0000000000000000',
      ' x0/zero  0000000000000000 x1/ra    0000000080001000 x2/sp    0000000080008000 x3/gp    0000000000000000',
      ' x4/tp    0000000000000000 x5/t0    0000000000000000 x6/t1    0000000000000000 x7/t2    0000000000000000',
    ]);
    expect(lines[24]).toBe(' x24/s8   0000000000000000 x25/s9   0000000000000000 x26/s10  0000000000000000 x27/s11  0000000000000000');
    expect(lines[26]).toBe(' f0/ft0   0000000000000000 f1/ft1   0000000000000000 f2/ft2   0000000000000000 f3/ft3   0000000000000000');
    expect(lines[33]).toBe(' f28/ft8  0000000000000000 f29/ft9  0000000000000000 f30/ft10 0000000000000000 f31/ft11 4000000000000000');
    expect(lines.length).toBe(35);
    const all = await run('info registers -a');
    expect(all.match(/^CPU#\d$/gm)).toEqual(['CPU#0', 'CPU#1']);
    expect(all).toContain(' pc       0000000080000100\n mhartid  0000000000000001\n');
    expect(await run('info registers 1')).toMatch(/^\nCPU#1\n pc       0000000080000100\n/);
    expect(await run('info registers 7')).toBe('CPU#7 not available\n');
    expect(await run('info registers', 1)).toMatch(/^\nCPU#1\n/);
  });

  it('lists the harts with info cpus, marking the selected one and the one in wfi', async () => {
    const { run } = setup();
    expect(await run('info cpus')).toBe('* CPU #0: pc=0x0000000080000000\n  CPU #1: pc=0x0000000080000100 (halted)\n');
    expect(await run('info cpus', 1)).toBe('  CPU #0: pc=0x0000000080000000\n* CPU #1: pc=0x0000000080000100 (halted)\n');
  });

  it('prints info mem as QEMU\'s RISC-V monitor: the minikernel\'s three gigapages', async () => {
    const { host, run } = setup();
    expect(await run('info mem')).toBe('No translation or protection\n');
    host.values[0].set(CSR('satp'), SATP_SV39);
    expect(await run('info mem')).toBe(
      'vaddr            paddr            size             attr\n'
      + '---------------- ---------------- ---------------- -------\n'
      + '0000000000000000 0000000000000000 0000000040000000 rw---ad\n'
      + '0000000080000000 0000000080000000 0000000040000000 rwx--ad\n'
      + '0000000100000000 0000000080000000 0000000040000000 rwxu-ad\n');
  });

  it('dumps memory with x and xp, evaluating $registers, remembering the format', async () => {
    const { host, run } = setup();
    expect(await run('x/2x $pc')).toBe('0000000080000000: 0x00000297 0x02828293\n');
    expect(await run('x /4xb 0x80000000 + 4')).toBe('0000000080000004: 0x93 0x82 0x82 0x02\n');
    expect(await run('x $pc')).toBe('0000000080000000: 0x97\n');
    expect(await run('xp/2i 0x80000000')).toBe('0x80000000:  00000297          auipc t0,0x0\n0x80000004:  02828293          addi t0,t0,40\n');
    expect(await run('x/xg 0x1000')).toBe('0000000000001000: Cannot access memory\n');
    expect(host.calls.filter((c) => c.startsWith('readMemory'))).toEqual([
      'readMemory 0 virtual', 'readMemory 0 virtual', 'readMemory 0 virtual', 'readMemory 0 physical', 'readMemory 0 physical',
      'readMemory 0 virtual',
    ]);
    expect(await run('x/2x $bogus')).toBe("unknown register 'bogus'\n");
    expect(await run('x/2x')).toBe('address expected\n');
    expect(await run('x/2q 0')).toBe("invalid char in format: 'q'\n");
    expect(await run('x/1x 0x80000000', 5)).toBe('No CPU available\n');
  });

  it('prints expression values and translates with gva2gpa', async () => {
    const { host, run } = setup();
    expect(await run('p/x $sp + 0x10')).toBe('0x80008010\n');
    expect(await run('print/d $a0 * -1')).toBe('-5\n');
    // The format letter is remembered across x, xp and print, as QEMU remembers it.
    expect(await run('p $x10')).toBe('5\n');
    host.values[0].set(CSR('satp'), SATP_SV39);
    expect(await run('gva2gpa 0x100001234')).toBe('gpa: 0x80001234\n');
    expect(await run('gva2gpa 0xc0000000')).toBe('Unmapped\n');
    // Hart 1 is in M-mode: no translation.
    expect(await run('gva2gpa 0xc0000000', 1)).toBe('gpa: 0xc0000000\n');
  });

  it('stops, continues, resets and quits through the host, reporting the effect', async () => {
    const { host, monitor } = setup();
    expect(await monitor.command('stop', 0)).toEqual({ output: '' });
    expect(await monitor.command('c', 0)).toEqual({ output: '', effect: 'resume' });
    expect(host.running).toBe(true);
    expect(await monitor.command('cont', 0)).toEqual({ output: '' });
    expect(await monitor.command('stop', 0)).toEqual({ output: '', effect: 'pause' });
    expect(host.running).toBe(false);
    expect(await monitor.command('system_reset', 0)).toEqual({ output: '', effect: 'reset' });
    expect(await monitor.command('q', 0)).toEqual({ output: '', effect: 'quit' });
    expect(host.calls).toEqual(['resume', 'pause', 'reset', 'quit']);
  });

  it('prints 32-bit values with 8 digits on RV32 (mstatush after mstatus) and QEMU\'s 32-bit info mem columns', async () => {
    const { host, run } = setup(32);
    host.values[0].set(CSR('mstatush'), 0x20n);
    const lines = (await run('info registers')).split('\n');
    expect(lines.slice(2, 6)).toEqual([' pc       80000000', ' mhartid  00000000', ' mstatus  00000000', ' mstatush 00000020']);
    expect(lines).toContain(' x0/zero  00000000 x1/ra    00000000 x2/sp    80008000 x3/gp    00000000');
    expect(lines).toContain(' f0/ft0   0000000000000000 f1/ft1   0000000000000000 f2/ft2   0000000000000000 f3/ft3   0000000000000000');
    expect(await run('x/2x $pc')).toBe('80000000: 0x00000297 0x02828293\n');
    expect(await run('xp/1x $pc')).toBe('0000000080000000: 0x00000297\n');
    // An Sv32 root table at RAM + 0x20000 with one 4 MiB megapage mapping 0x80000000.
    new DataView(host.ram.buffer).setUint32(0x20000 + 0x200 * 4, ((0x8000_0000 >>> 12) << 10 | 0xcf) >>> 0, true);
    host.values[0].set(CSR('satp'), (1n << 31n) | ((RAM + 0x2_0000n) >> 12n));
    expect(await run('info mem')).toBe(
      'vaddr    paddr            size     attr\n'
      + '-------- ---------------- -------- -------\n'
      + '80000000 0000000080000000 00400000 rwx--ad\n');
    expect(await run('pt 0x80001234')).toContain('  level 1: PTE[512] at 0x0000000080020800 = 0x200000cf  V R W X A D -> leaf, 4M page\n');
  });

  it('pauses a running VM around a command that reads hart state, and resumes it after', async () => {
    const { host, run } = setup();
    host.running = true;
    expect(await run('info cpus')).toContain('* CPU #0: pc=0x0000000080000000');
    expect(await run('x/1x 0x80000000')).toBe('0000000080000000: 0x00000297\n');
    expect(host.calls.filter((c) => c === 'pause' || c === 'resume')).toEqual(['pause', 'resume', 'pause', 'resume']);
    expect(host.running).toBe(true);
    // A command that reads nothing of the harts leaves the VM running.
    expect(await run('info status')).toBe('VM status: running\n');
    expect(await run('catch ecall on')).toBe('');
    expect(host.calls.filter((c) => c === 'pause')).toHaveLength(2);
    // Two commands at once: the second waits for the first, never reading while the VM runs.
    const [a, b] = await Promise.all([run('info registers'), run('x/1x 0x80000000')]);
    expect(a).toMatch(/^\nCPU#0\n/);
    expect(b).toBe('0000000080000000: 0x00000297\n');
    expect(host.calls.filter((c) => c === 'pause' || c === 'resume').slice(-4)).toEqual(['pause', 'resume', 'pause', 'resume']);
  });
});

describe('monitor: Lantern\'s commands', () => {
  it('walks the page table with pt: each level, the flags, the physical address or the fault', async () => {
    const { host, run } = setup();
    host.values[0].set(CSR('satp'), SATP_SV39);
    expect(await run('pt 0x100001234')).toBe(
      'satp 0x8000000000080010: Sv39, ASID 0, root table 0x0000000080010000\n'
      + 'vaddr 0x0000000100001234: VPN[2]=0x4 VPN[1]=0x0 VPN[0]=0x1 offset 0x234\n'
      + '  level 2: PTE[4] at 0x0000000080010020 = 0x00000000200000df  V R W X U A D -> leaf, 1G page\n'
      + '0x0000000100001234 -> physical 0x0000000080001234 (1G page at 0x0000000080000000)\n');
    const fault = await run('pt $pc + 0x40000000');
    expect(fault).toContain('  level 2: PTE[3] at 0x0000000080010018 = 0x0000000000000000  (no flags) -> fault\n');
    expect(fault).toMatch(/page fault: level 2: invalid PTE \(V=0\)\n$/);
    expect(await run('pt 0x80000000', 1)).toBe('satp 0x0000000000000000: Bare, no translation\n0x0000000080000000 -> physical 0x0000000080000000\n');
    host.values[1].set(CSR('satp'), SATP_SV39);
    expect(await run('pt 0x80000000', 1)).toContain('note: the hart is in M-mode');
    expect(await run('pt')).toBe('pt: usage: pt VADDR\n');
  });

  it('names each hart\'s last trap', async () => {
    const { host, run } = setup();
    expect(await run('trap')).toBe(
      'hart 0: 3 traps; last: exception 8 (Environment call from U-mode) to S-mode, epc 0x0000000100000010, tval 0x0000000000000000\n'
      + 'hart 1: no trap taken\n');
    host.traps[1] = { count: 1n, cause: (1n << 63n) | 7n, tval: 0n, epc: 0x8000_0040n, target: 3 };
    expect(await run('trap')).toContain('hart 1: 1 trap; last: interrupt 7 (Machine timer interrupt) to M-mode, epc 0x0000000080000040');
  });

  it('decodes the CSRs one to a line with csr, or the named ones', async () => {
    const { host, run } = setup();
    host.values[0].set(CSR('mstatus'), (1n << 11n) | (1n << 7n));
    host.values[0].set(CSR('satp'), SATP_SV39);
    host.values[0].set(CSR('pmpcfg0'), 0xfn);
    host.values[0].set(CSR('mcycle'), 1234n);
    const text = await run('csr');
    const lines = text.split('\n');
    expect(lines[0]).toBe('privilege     S');
    expect(text).toContain('\nmstatus       0x0000000000000880  MPIE SPP=U MPP=S\n');
    expect(text).toContain('\nmisa          0x800000000014112d  RV64ACDFIMSU\n');
    expect(text).toContain('\nsatp          0x8000000000080010  MODE=Sv39 ASID=0 PPN=0x80010 (root table 0x80010000)\n');
    expect(text).toContain('\npmpcfg0       0x000000000000000f  pmp0: TOR rwx\n');
    expect(text).toContain('\nmcycle        0x00000000000004d2  1234\n');
    expect(text).toContain('\nmepc          0x0000000000000000\n');
    expect(text).not.toContain('pmpaddr0');
    expect(text).toContain('(3 zero hpm counter, hpm event, pmpcfg and pmpaddr CSRs not shown: name one to see it)\n');
    expect(await run('csr pmpaddr0 SCAUSE nope')).toBe(
      'pmpaddr0      0x0000000000000000\n'
      + 'scause        0x0000000000000000  exception 0 (Instruction address misaligned)\n'
      + "csr: unknown CSR 'nope'\n");
  });

  it('sets and lists catches, the address space and step-irq', async () => {
    const { host, run } = setup();
    expect(await run('catch')).toBe('catch: trap off, exception off, interrupt off, ecall off, pagefault off\n');
    expect(await run('catch pagefault on')).toBe('');
    expect(await run('catch interrupt on')).toBe('');
    expect(await run('catch interrupt off')).toBe('');
    expect([...host.catching]).toEqual(['pagefault']);
    expect(await run('catch')).toBe('catch: trap off, exception off, interrupt off, ecall off, pagefault on\n');
    expect(await run('catch syscall on')).toBe("catch: unknown kind 'syscall' (trap, exception, interrupt, ecall, pagefault)\n");
    expect(await run('catch ecall maybe')).toBe("catch: expected 'on' or 'off', not 'maybe'\n");
    expect(await run('catch ecall')).toBe('catch: usage: catch ecall on|off\n');
    expect(await run('phys')).toBe('phys off: debugger memory accesses are virtual\n');
    expect(await run('phys on')).toBe('');
    expect(host.addressSpace).toBe('physical');
    expect(await run('phys off')).toBe('');
    expect(host.addressSpace).toBe('virtual');
    expect(await run('step-irq on')).toBe('');
    expect(host.stepInterrupts).toBe(true);
    expect(await run('step-irq')).toBe('step-irq on: single steps may take interrupts\n');
    expect(await run('step-irq on off')).toBe('step-irq: usage: step-irq [on|off]\n');
  });

  it('lists the software TLB and the memory tree', async () => {
    const { host, run } = setup();
    expect(await run('info tlb')).toBe('TLB empty\n');
    host.entries = [
      { privilege: 1, vpage: 0x8000_1000n, ppage: 0x8000_1000n, read: true, write: false, execute: true },
      { privilege: 0, vpage: 0x1_0000_0000n, ppage: 0x8000_0000n, read: true, write: true, execute: false },
    ];
    expect(await run('info tlb')).toBe(
      'priv vpage            ppage            access\n'
      + 'U    0000000100000000 0000000080000000 rw-\n'
      + 'S    0000000080001000 0000000080001000 r-x\n');
    expect(await run('info mtree')).toBe(
      'address-space: memory\n'
      + '  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n'
      + '    0000000000001000-000000000000ffff (prio 0, rom): riscv_virt_board.mrom\n'
      + '    0000000010000000-00000000100000ff (prio 0, i/o): serial\n'
      + '    0000000080000000-00000000800fffff (prio 0, ram): riscv_virt_board.ram\n');
  });

  it('never throws: a failing host call becomes an error line', async () => {
    const { host, run } = setup();
    host.tlb = () => { throw new Error('core gone'); };
    expect(await run('info tlb')).toBe('error: core gone\n');
  });
});
