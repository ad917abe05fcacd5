// A real gdb-multiarch against Lantern's GDB stub (gdbstub/), on samples/minikernel with its
// symbols: scripts/main-session.py at -smp 1 and 3 (breakpoints by function, file:line and
// at a U-mode address, hbreak, watch/rwatch/awatch including an AMO, stepi, vCont;s steps,
// bt, registers and CSRs, memory, threads, set var, Ctrl-C, detach/reconnect, power-off)
// and scripts/monitor-session.py at -smp 3 (every monitor command, catch included). Each
// check asserts on what the scripts recorded; a failed one prints its record, and the logs
// of the sessions (gdb's and the machine's output) are kept in the folder it names.
// To see the packets: LANTERN_GDB_DEBUG=1 adds `set debug remote 1` for the whole session,
// GDB_TEST_DEBUG_FROM=STEP from a script's step on (e.g. `cont-stop`); they go to the gdb
// logs and into the recorded command outputs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { buildHostBundle } from '../support/guest-tools';
import {
  elfBytes, expectBreakpointStop, expectCompleteRun, expectStop, GDB, gdbWithPython, haveCore, killAll, lineOf, runGdb, show, startMachine, tempDir,
  TYPED_LINE, type GdbRun, type Machine,
} from './gdb-session';

const haveGdb = gdbWithPython();
if (!haveGdb) console.warn(`test/gdb: ${GDB} (with Python) not found on PATH: skipping the gdb sessions`);
const debugRemote = process.env.LANTERN_GDB_DEBUG === '1' ? ['set debug remote 1'] : [];
const dir = haveGdb && haveCore ? tempDir() : '';
let failed = false;

/** Writes a session's logs to the temporary folder (kept when a check fails). */
function keepLogs(name: string, machine: Machine, run: GdbRun): void {
  fs.writeFileSync(path.join(dir, `${name}.gdb.stdout`), run.stdout);
  fs.writeFileSync(path.join(dir, `${name}.gdb.stderr`), run.stderr);
  fs.writeFileSync(path.join(dir, `${name}.records.json`), JSON.stringify(run.records, null, 1));
  fs.writeFileSync(path.join(dir, `${name}.machine.stdout`), machine.stdout());
  fs.writeFileSync(path.join(dir, `${name}.machine.stderr`), machine.stderr());
}

function noteFailure(): void {
  onTestFailed(() => {
    if (!failed) console.warn(`test/gdb: session logs kept in ${dir}`);
    failed = true;
  });
}

afterAll(() => {
  killAll();
  if (dir && !failed) fs.rmSync(dir, { recursive: true, force: true });
});

const big = (hex: string | null | undefined): bigint | undefined => (hex == null ? undefined : BigInt(hex));
/** The ELF's first 16 bytes at 0x80000000 as the monitor's x/4x prints them (0x-prefixed words). */
function words(address: bigint, count: number): string[] {
  const bytes = Buffer.from(elfBytes(address, count * 4), 'hex');
  return Array.from({ length: count }, (_, i) => `0x${bytes.readUInt32LE(i * 4).toString(16).padStart(8, '0')}`);
}



for (const smp of [1, 3]) {
  describe.skipIf(!haveGdb || !haveCore)(`gdb against Lantern, main session, -smp ${smp}`, () => {
    let machine: Machine;
    let run: GdbRun;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let sym: { [name: string]: string };
    const get = (key: string) => run.get(key);

    beforeAll(async () => {
      buildHostBundle();
      machine = await startMachine({ kind: 'lantern', smp, dir });
      run = await runGdb({ machine, script: 'main-session.py', before: debugRemote });
      exit = await machine.waitExit(10_000);
      keepLogs(`main-${smp}`, machine, run);
      sym = run.get('symbols') ?? {};
    }, 90_000);

    it('runs the whole script: every step, no error', () => {
      noteFailure();
      expectCompleteRun(run);
    });

    it('connects with every hart a thread at the boot ROM', () => {
      noteFailure();
      const connect = get('connect');
      expect(connect?.ok, show(connect)).toBe(true);
      const reset = get('reset');
      expect(reset?.threads?.length, show(reset)).toBe(smp);
      for (const thread of reset.threads) {
        expect(thread.pc, show(thread)).toBe('0x1000');
        expect(thread.priv, show(thread)).toBe('0x3');
        expect(big(thread.mhartid), show(thread)).toBe(BigInt(thread.num - 1));
      }
    });

    it('breaks by function (m_boot, M-mode, hart 0 first)', () => {
      noteFailure();
      const stop = get('stop.m_boot');
      expectBreakpointStop(stop, 'break m_boot', 'breakpoint');
      expect(stop.pc).toBe(sym.m_boot);
      expect(stop.function).toBe('m_boot');
      expect(stop.file).toBe('main.c');
      expect(stop.thread).toBe(1);
      expect(stop.priv).toBe('0x3');
    });

    it('reads registers: the integer ones, info registers, p $priv / $satp / $fcsr', () => {
      noteFailure();
      const regs = get('regs.first');
      expect(regs?.pc, show(regs)).toBe(sym.m_boot);
      expect(regs.a0, 'a0 = hartid').toBe('0x0');
      expect(big(regs.sp), 'sp = the top of hart 0 kernel stack').toBe(big(sym.kernel_stacks)! + 0x4000n);
      expect(regs.satp).toBe('0x0');
      for (const name of ['ra', 'sp', 'gp', 'tp', 't0', 's1', 'a1', 'a7', 's11', 't6', 'mstatus']) {
        expect(regs[name], `${name} unreadable: ${show(regs)}`).toMatch(/^0x[0-9a-f]+$/);
      }
      const print = get('print.m_boot');
      expect(print?.$priv?.text, show(print)).toBe('3');
      expect(print.$satp.text, show(print)).toBe('0');
      expect(print.$mhartid.text, show(print)).toBe('0');
      expect(print.$fcsr, `p $fcsr: ${show(print.$fcsr)}`).toMatchObject({ ok: true, text: '0', void: false });
      const info = get('info-registers');
      expect(info?.ok, show(info)).toBe(true);
      const lines = info.output.trim().split('\n');
      const names = lines.map((line: string) => line.split(/\s+/)[0]);
      expect(names).toEqual(['ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6',
        'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6', 'pc']);
      expect(lines.at(-1)).toMatch(new RegExp(`^pc\\s+${sym.m_boot}\\s`));
      const all = get('regs.first-all');
      expect(all?.priv, show(all)).toBe('0x3');
      for (const name of ['mstatus', 'misa', 'mhartid', 'mtvec', 'medeleg', 'sstatus', 'satp']) {
        expect(all[name], `${name} unreadable`).toMatch(/^0x[0-9a-f]+$/);
      }
    });

    it('reads memory as the ELF loaded it (256 bytes at 0x80000000) and x/4i', () => {
      noteFailure();
      expect(get('mem.256')?.bytes).toBe(elfBytes(0x80000000n, 256));
      const x4i = get('x4i.m_boot');
      expect(x4i?.ok, show(x4i)).toBe(true);
      const lines = x4i.output.trim().split('\n');
      expect(lines.length, x4i.output).toBe(4);
      expect(lines[0]).toMatch(new RegExp(`^=> ${sym.m_boot} <m_boot>:`));
    });

    it('lists the harts as threads: info threads, thread N, p $pc / $mhartid', () => {
      noteFailure();
      const threads = get('threads.m_boot');
      expect(threads?.length, show(threads)).toBe(smp);
      const info = get('info-threads.m_boot');
      expect(info?.output.trim().split('\n').length - 1, show(info)).toBe(smp);
      const selected = get('thread-command.m_boot');
      for (let n = 1; n <= smp; n++) {
        const thread = selected?.[String(n)];
        expect(thread?.thread?.ok, `thread ${n}: ${show(thread)}`).toBe(true);
        expect(thread.mhartid.text, `thread ${n}: p $mhartid: ${show(thread)}`).toBe(String(n - 1));
        expect(thread.pc.int, `thread ${n}: p $pc`).toBe(threads[n - 1].pc);
      }
      expect(selected['1'].pc.int).toBe(sym.m_boot);
      // Harts 1.. wait in start.S for hart 0 to clear .bss: never in m_boot yet.
      for (let n = 2; n <= smp; n++) expect(selected[String(n)].pc.int, `thread ${n}`).not.toBe(sym.m_boot);
    });

    it('stepi over compressed and full-size instructions (s_main, past the csrw satp)', () => {
      noteFailure();
      const stop = get('stop.s_main');
      expectBreakpointStop(stop, 'break s_main', 'breakpoint');
      expect(stop.pc).toBe(sym.s_main);
      expect(stop.priv, 'S-mode after the mret').toBe('0x1');
      const x4i = get('x4i.s_main');
      expect(x4i?.output.trim().split('\n').length, show(x4i)).toBe(4);
      const { steps, satpWrite } = get('stepi.s_main') ?? {};
      expect(steps?.length, show(steps)).toBeGreaterThan(8);
      for (const s of steps) {
        expect(s.timedOut, show(s)).toBe(false);
        expect(big(s.to), `stepi from ${s.from} (${s.asm}, ${s.length} bytes): ${show(s)}`).toBe(big(s.from)! + BigInt(s.length));
        expect(s.thread).toBe(stop.thread);
      }
      expect(new Set(steps.map((s: any) => s.length))).toEqual(new Set([2, 4]));
      expect(steps.at(-1).from, 'stepped over the csrw satp').toBe(satpWrite);
      const satp = get('print.s_main')?.$satp;
      expect(big(satp?.int), `p $satp after csrw satp: ${show(satp)}`).toBe((8n << 60n) | (big(sym.root_table)! >> 12n));
    });

    it('steps with vCont;s packets over compressed and full-size instructions', () => {
      noteFailure();
      const steps = get('step-packet.s_main');
      expect(steps?.length, show(steps)).toBe(6);
      for (const s of steps) {
        expect(s.reply, show(s)).toMatch(/^T05/);
        expect(big(s.pc), `vCont;s from ${s.from} (${s.asm}): ${show(s)}`).toBe(big(s.from)! + BigInt(s.length));
      }
      expect(new Set(steps.map((s: any) => s.length))).toEqual(new Set([2, 4]));
    });

    it('watch on a global an AMO changes (barrier_arrivals, amoadd.w)', () => {
      noteFailure();
      const stop = get('stop.watch-amo');
      expectBreakpointStop(stop, 'watch barrier_arrivals', 'watch');
      expect(stop.function, show(stop)).toBe('barrier');
      expect(stop.previous?.asm, `the stop comes after the access: ${show(stop)}`).toMatch(/^amoadd\.w/);
      expect(Number(stop.values.after), show(stop.values)).toBe(Number(stop.values.before) + 1);
    });

    it('breaks by file:line (main.c, locked_counter++) and sets memory with set var', () => {
      noteFailure();
      const line = lineOf('main.c', 'locked_counter++;');
      const stop = get('stop.file-line');
      expectBreakpointStop(stop, `break main.c:${line}`, 'breakpoint');
      expect(stop.file).toBe('main.c');
      expect(stop.line).toBe(line);
      expect(stop.pc).toBe(/ at (0x[0-9a-f]+):/.exec(stop.set.output)?.[1]);
      const setVar = get('set-var.memory');
      expect(setVar?.before?.text, 'the first hit precedes every increment').toBe('0');
      expect(setVar.set.ok, show(setVar)).toBe(true);
      expect(setVar.after.text, show(setVar)).toBe('500');
      expect(machine.stdout()).toContain(`spinlock: counter ${500 + 1000 * smp} (expected ${1000 * smp})`);
    });

    it('watch, rwatch and awatch on locked_counter', () => {
      noteFailure();
      const watch = get('stop.watch');
      expectBreakpointStop(watch, 'watch locked_counter', 'watch');
      expect(watch.previous?.asm, show(watch)).toMatch(/^sw\b/);
      expect(Number(watch.values.after), show(watch.values)).toBe(Number(watch.values.before) + 1);
      if (smp === 1) expect(watch.values).toEqual({ before: '500', after: '501' });
      const rwatch = get('stop.rwatch');
      expectBreakpointStop(rwatch, 'rwatch locked_counter', 'rwatch');
      expect(rwatch.previous?.asm, show(rwatch)).toMatch(/^lw\b/);
      expect(rwatch.values.after).toBe(rwatch.values.before);
      const awatch = get('stop.awatch');
      expectBreakpointStop(awatch, 'awatch locked_counter', 'awatch');
      expect(awatch.previous?.asm, show(awatch)).toMatch(/^(sw|lw)\b/);
      if (smp === 1) expect(awatch.values, 'after the rwatch stop (lw), the sw is the next access').toEqual({ before: '501', after: '502' });
    });

    it('hbreak timer_report', () => {
      noteFailure();
      const stop = get('stop.hbreak');
      expectBreakpointStop(stop, 'hbreak timer_report', 'hbreak');
      expect(stop.pc).toBe(sym.timer_report);
      expect(stop.thread, 'only hart 0 reports').toBe(1);
    });

    it('bt through frame pointers (transfer ← disk_test ← s_main ← m_boot ← _start)', () => {
      noteFailure();
      expectBreakpointStop(get('stop.transfer'), 'break transfer', 'breakpoint');
      const bt = get('bt');
      expect(bt?.frames?.map((f: any) => f.function), show(bt)).toEqual(['transfer', 'disk_test', 's_main', 'm_boot', '_start']);
      expect(bt.output).toMatch(/^#0 +transfer /);
    });

    it('breaks at a U-mode address, x/4i over the ecall, gdb stepi over it', () => {
      noteFailure();
      const { address } = get('user-ecall') ?? {};
      const stop = get('stop.user-ecall');
      expectBreakpointStop(stop, `break *${address}`, 'breakpoint');
      expect(stop.pc).toBe(address);
      expect(stop.priv, 'U-mode').toBe('0x0');
      expect(get('x4i.user-ecall')?.output).toMatch(new RegExp(`^=> ${address}:\\s+ecall\\n`));
      // gdb steps RISC-V in software: a breakpoint after the ecall and a continue.
      const stepi = get('stepi.ecall');
      expectStop(stepi, 'stepi over ecall');
      expect(big(stepi.pc), show(stepi)).toBe(big(address)! + 4n);
      expect(stepi.priv).toBe('0x0');
      expect(stepi.regs.a0, 'write() returned the length of "user: hello from U-mode\\n"').toBe('0x18');
    });

    it('a vCont;s onto an ecall stops at the first instruction of the trap handler', () => {
      noteFailure();
      const { address, handler } = get('user-ecall') ?? {};
      expectBreakpointStop(get('stop.user-ecall-2'), 'the second ecall', 'breakpoint');
      const step = get('step-packet.ecall');
      expect(step?.reply, show(step)).toMatch(/^T05/);
      expect(step.pc, show(step)).toBe(handler);
      expect(step.priv).toBe('0x1');
      expect(step.regs.scause, 'environment call from U-mode').toBe('0x8');
      expect(step.regs.sepc).toBe(address);
    });

    it('set var on a register ($a0 = what getpid() printed)', () => {
      noteFailure();
      expectBreakpointStop(get('stop.user-print-number'), 'break at print_number (U-mode)', 'breakpoint');
      const setVar = get('set-var.register');
      expect(setVar?.before?.text, 'getpid() returned 1').toBe('1');
      expect(setVar.set.ok, show(setVar)).toBe(true);
      expect(setVar.after.text).toBe('42');
      expect(machine.stdout()).toContain('user: getpid() = 42\n');
    });

    it('Ctrl-C stops the running guest', () => {
      noteFailure();
      const stop = get('interrupt');
      expectStop(stop, 'continue, then Ctrl-C');
      expect(stop.stop, show(stop)).toEqual({ event: 'SignalEvent', signal: 'SIGINT' });
      expect(stop.seconds, 'the stop came at the Ctrl-C (0.5 s), not before').toBeGreaterThanOrEqual(0.45);
      expect(stop.seconds).toBeLessThan(5);
      expect(stop.threads?.length).toBe(smp);
      expect(get('info-threads.end')?.output.trim().split('\n').length - 1).toBe(smp);
    });

    it('detaches (the machine runs on) and reconnects', () => {
      noteFailure();
      const detach = get('detach');
      expect(detach?.ok, show(detach)).toBe(true);
      expect(detach.output).toContain('detached');
      const reconnect = get('reconnect');
      expect(reconnect?.ok, show(reconnect)).toBe(true);
      expect(reconnect.threads?.length, show(reconnect)).toBe(smp);
      expect(reconnect.pc, show(reconnect)).toMatch(/^0x[0-9a-f]+$/);
      expect(reconnect.breakpoints.output).toContain('No breakpoints or watchpoints.');
    });

    it('runs to power-off: gdb reports the exit status, the machine exits with it', () => {
      noteFailure();
      const off = get('power-off');
      expect(off?.exit, show(off)).toEqual({ exitCode: 0 });
      expect(off.timedOut).toBe(false);
      expect(exit, `the machine did not exit; stderr:\n${machine.stderr()}`).toEqual({ code: 0, signal: null });
      expect(machine.stdout()).toContain(`uart: got "${TYPED_LINE}"\nminikernel: power off\n`);
    });
  });
}

describe.skipIf(!haveGdb || !haveCore)('gdb against Lantern, monitor commands, -smp 3', () => {
  let machine: Machine;
  let run: GdbRun;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let sym: { [name: string]: string };
  const get = (key: string) => run.get(key);
  const output = (key: string): string => {
    const record = get(key);
    expect(record?.ok, `${key}: ${show(record)}`).toBe(true);
    const text = String(record.output).replace(/\r\n/g, '\n');
    expect(text, `${key}: not a command Lantern knows`).not.toMatch(/unknown command/i);
    return text;
  };

  beforeAll(async () => {
    buildHostBundle();
    machine = await startMachine({ kind: 'lantern', smp: 3, dir });
    run = await runGdb({ machine, script: 'monitor-session.py', before: debugRemote });
    exit = await machine.waitExit(10_000);
    keepLogs('monitor-3', machine, run);
    sym = run.get('symbols') ?? {};
  }, 90_000);

  it('runs the whole script: every step, no error', () => {
    noteFailure();
    expectCompleteRun(run);
  });

  it('help lists every command', () => {
    noteFailure();
    const help = output('monitor.help');
    for (const command of ['help', 'info', 'x', 'xp', 'stop', 'cont', 'system_reset', 'quit', 'pt', 'trap', 'csr', 'catch',
      'phys', 'step-irq']) {
      expect(help, `monitor help lists ${command}`).toMatch(new RegExp(`(^|\\n|\\|)${command}\\b`));
    }
    const info = output('monitor.help info');
    for (const command of ['registers', 'cpus', 'mem', 'tlb']) expect(info, `monitor help info lists ${command}`).toMatch(new RegExp(`^info ${command}\\b`, 'm'));
  });

  it('info registers, info cpus, info mem, info tlb', () => {
    noteFailure();
    const stop = get('stop.barrier');
    expectBreakpointStop(stop, 'break main.c at barrier(1)', 'breakpoint');
    const pc = BigInt(stop.pc).toString(16).padStart(16, '0');
    const registers = output('monitor.info registers');
    expect(registers, 'the selected hart pc').toContain(pc);
    expect(registers, 'satp').toContain('8000000000080003');
    const cpus = output('monitor.info cpus');
    expect(cpus.match(/CPU #\d/g), cpus).toEqual(['CPU #0', 'CPU #1', 'CPU #2']);
    expect(cpus, 'the selected CPU is marked').toMatch(new RegExp(`\\* CPU #${stop.thread - 1}`));
    const mem = output('monitor.info mem');
    expect(mem, 'the kernel gigapage').toMatch(/0000000080000000 0000000080000000 0000000040000000 rwx/);
    expect(mem, 'the user gigapage').toMatch(/0000000100000000 0000000080000000 0000000040000000 rwxu/);
    expect(output('monitor.info tlb').trim()).not.toBe('');
  });

  it('x/FMT and xp/FMT', () => {
    noteFailure();
    const expected = words(0x80000000n, 4).join(' ');
    expect(output('monitor.x/4x 0x80000000')).toContain(expected);
    expect(output('monitor.xp/4x 0x80000000')).toContain(expected);
    expect(output('monitor.x/4x 0x100000000'), 'the user mapping of the same RAM').toContain(expected);
    expect(output('monitor.xp/4x 0x100000000'), 'no RAM at physical 0x100000000').not.toContain(expected);
  });

  it('pt VADDR walks the page table, csr and trap print', () => {
    noteFailure();
    expect(output('monitor.pt 0x100000000'), 'the leaf maps physical 0x80000000').toMatch(/80000000/);
    expect(output('monitor.pt 0x80000000')).toMatch(/80000000/);
    expect(output('monitor.csr').trim()).not.toBe('');
    expect(output('monitor.csr satp')).toContain('8000000000080003');
    expect(output('monitor.trap'), 'no trap yet: mret is not one').toMatch(/^hart 0: no trap taken\nhart 1: no trap taken\nhart 2: no trap taken\n$/);
  });

  it('phys on|off switches gdb memory reads to physical addresses and back', () => {
    noteFailure();
    const phys = get('phys');
    const ram = elfBytes(0x80000000n, 8);
    expect(phys?.virtualBefore, show(phys)).toBe(ram);
    expect(phys.on.ok, show(phys.on)).toBe(true);
    expect(phys.physicalUser, `physical 0x100000000 is past RAM: ${show(phys)}`).toMatch(/^error/);
    expect(phys.physicalRam).toBe(ram);
    expect(phys.off.ok).toBe(true);
    expect(phys.virtualAfter).toBe(ram);
  });

  it('step-irq: a step takes no interrupt by default, and does with step-irq on', () => {
    noteFailure();
    const irq = get('step-irq');
    expect(irq?.pending, show(irq)).toMatchObject({ sip: expect.stringMatching(/^0x[0-9a-f]*[2367abef]$/) });
    expect(irq.off.reply, show(irq.off)).toMatch(/^T05/);
    expect(irq.off.pc, 'the interrupt waits: one instruction on').not.toBe(sym.s_trap_vector);
    expect(big(irq.off.pc)! - big(irq.pending.pc)!, show(irq)).toBeGreaterThan(0n);
    expect(irq.commandOn.output ?? '', show(irq.commandOn)).not.toMatch(/unknown command/i);
    expect(irq.on.reply, show(irq.on)).toMatch(/^T05/);
    expect(irq.on.pc, `step-irq on: the step takes the interrupt: ${show(irq.on)}`).toBe(sym.s_trap_vector);
    expect(irq.on.regs.scause, 'supervisor software interrupt').toBe('0x8000000000000001');
    expect(irq.on.regs.sepc).toBe(irq.off.pc);
  });

  for (const kind of ['interrupt', 'ecall', 'exception', 'trap']) {
    it(`catch ${kind} on|off stops at the next such trap`, () => {
      noteFailure();
      const stop = get(`catch.${kind}`);
      expectStop(stop, `monitor catch ${kind} on; continue`);
      expect(stop.on.output ?? '', show(stop.on)).not.toMatch(/unknown command/i);
      const vector = stop.pc === sym.m_trap_vector ? 'm' : 's';
      expect([sym.s_trap_vector, sym.m_trap_vector], `the stop is at a trap handler first instruction: ${show(stop)}`).toContain(stop.pc);
      const cause = big(vector === 'm' ? stop.regs.mcause : stop.regs.scause)!;
      const interrupt = (cause >> 63n) === 1n;
      if (kind === 'interrupt') expect(interrupt, show(stop.regs)).toBe(true);
      if (kind === 'ecall' || kind === 'exception') expect(interrupt, show(stop.regs)).toBe(false);
      if (kind === 'ecall') {
        expect(cause, 'environment call from U-mode').toBe(8n);
        const epc = BigInt(stop.regs.sepc).toString(16).padStart(16, '0');
        expect(stop.trap?.output, 'monitor trap names the last trap')
          .toMatch(new RegExp(`^hart 0: \\d+ traps; last: exception 8 \\(Environment call from U-mode\\) to S-mode, epc 0x${epc},`, 'm'));
      }
      expect(stop.priv).toBe(vector === 'm' ? '0x3' : '0x1');
    });
  }

  it('cont and stop run the machine behind gdb and stop it again', () => {
    noteFailure();
    const contStop = get('cont-stop');
    expect(contStop?.cont?.ok, show(contStop)).toBe(true);
    expect(contStop.stop.ok, show(contStop)).toBe(true);
    expect(contStop.after.function, `the kernel ran on to its wait for a line: ${show(contStop)}`).toBe('echo_line');
    expect(contStop.after.pc).not.toBe(contStop.before.pc);
    expect(machine.stdout()).toContain('kernel: user program exited with status 7\nuart: type a line\n');
  });

  it('catch pagefault stops at an instruction page fault', () => {
    noteFailure();
    const stop = get('catch.pagefault');
    expectStop(stop, 'monitor catch pagefault on; thread 2; set var $pc = 0x200000000; continue');
    expect(stop.set?.ok, show(stop.set)).toBe(true);
    expect(stop.pc, show(stop)).toBe(sym.s_trap_vector);
    expect(stop.thread, 'hart 1 faulted').toBe(2);
    expect(stop.regs.scause, 'instruction page fault').toBe('0xc');
    expect(stop.regs.stval).toBe('0x200000000');
    expect(stop.regs.sepc).toBe('0x200000000');
  });

  it('system_reset puts every hart back at the boot ROM, and the kernel boots again', () => {
    noteFailure();
    const reset = get('system-reset');
    expect(reset?.command?.ok, show(reset)).toBe(true);
    expect(reset.threads.map((t: any) => [t.pc, t.priv]), show(reset)).toEqual([['0x1000', '0x3'], ['0x1000', '0x3'], ['0x1000', '0x3']]);
    const stop = get('stop.m_boot-after-reset');
    expectBreakpointStop(stop, 'break m_boot after the reset', 'breakpoint');
    expect(stop.thread, 'hart 0 first: the reset reloaded the kernel (boot_ready = 0)').toBe(1);
    expect(stop.regs.a0).toBe('0x0');
    expect(machine.stdout().split('minikernel: M-mode on hart 0, 3 harts').length - 1, machine.stdout()).toBe(2);
  });

  it('quit ends the machine', () => {
    noteFailure();
    expect(get('monitor.quit')?.ok, show(get('monitor.quit'))).toBe(true);
    expect(get('after-quit')?.threads?.ok, 'gdb sees the connection closed').toBe(false);
    expect(exit, `the machine did not exit; stderr:\n${machine.stderr()}`).toEqual({ code: 0, signal: null });
  });
});
