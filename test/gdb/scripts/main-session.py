# The main gdb session over samples/minikernel, from reset to power-off in the kernel's own
# order. test/gdb/gdb.test.ts runs it against Lantern at -smp 1 and 3 and asserts on its
# records; test/gdb/qemu-agreement.test.ts runs it at -smp 1 against Lantern and against
# qemu-system-riscv64 and compares the two. Every breakpoint and watchpoint is deleted once
# it has stopped the machine, so each stop is the first hit of the next one.
#
#   reset               where the harts start (the boot ROM), every thread
#   m_boot              break by function (M-mode): the registers, p $priv/$satp/$fcsr,
#                       info registers, a 256-byte read, x/4i, info threads and thread N
#   s_main              x/4i and stepi over compressed and full-size instructions, past the
#                       csrw satp that turns Sv39 on, then a few steps by vCont;s packets (gdb's
#                       stepi on RISC-V is a software single-step: a breakpoint and a continue)
#   watch-amo           watch on barrier_arrivals, which barrier() changes with amoadd.w
#   file-line           break main.c:LINE at `locked_counter++;`, then set var on memory
#   watch/rwatch/awatch on locked_counter
#   hbreak              a hardware breakpoint on timer_report
#   transfer            bt from the virtio-blk driver through frame pointers
#   user-ecall          a breakpoint at a U-mode address (the user mapping at 0x100000000),
#                       x/4i over the ecall; gdb's stepi over it (the system call runs), and at
#                       the next one a vCont;s, which stops at the trap handler's first instruction
#   user-print-number   set var on a register ($a0: what getpid() printed)
#   interrupt           Ctrl-C of the running guest (waiting for a line in wfi)
#   detach, reconnect   the machine runs on without gdb, then stops for the new connection
#   power-off           a typed line lets the kernel power off: gdb reports the exit status
import re
import time

import gdb

from harness import (
    INTEGER_REGISTERS, PORT, SMP, all_register_names, connect, done, emit, evaluate, execute, hx,
    instructions_of, line_of, read_memory, register, registers, request, resume, step, step_packet, symbol,
    threads, where,
)

USER_OFFSET = 0x100000000 - 0x80000000  # main.c: the user's view of RAM is at 0x100000000


def stop_at(key, command):
    """
    Sets a breakpoint or watchpoint with `command`, continues to it, deletes it and records
    the stop. For a watchpoint the watched expression's value before and at the stop is kept
    too (gdb prints its Old/New values outside what Python can capture).
    """
    words = command.split()
    watched = words[1] if words[0] in ('watch', 'rwatch', 'awatch') else None
    before = evaluate(watched) if watched else None
    created = execute(command)
    stopped = resume()
    execute('delete')
    stopped['set'] = created
    if watched:
        stopped['values'] = {'before': before['text'], 'after': evaluate(watched)['text']}
        stopped['previous'] = previous_instruction()
    emit('stop.' + key, stopped)
    return stopped


def previous_instruction():
    """The instruction that ends where the selected thread's pc is (the access a watchpoint reports)."""
    pc = gdb.newest_frame().pc()
    try:
        for address, length, text in instructions_of(gdb.newest_frame().name()):
            if address + length == pc:
                return {'address': hx(address), 'asm': text}
    except (gdb.error, TypeError):
        pass
    return None


SYMBOLS = ('m_boot', 's_main', 'barrier', 'timer_report', 'transfer', 'disk_test', 'print', 'print_number',
           's_trap_vector', 'm_trap_vector', '_start', 'kernel_stacks', 'root_table', 'locked_counter',
           'barrier_arrivals')


def reset():
    emit('symbols', {name: symbol(name) for name in SYMBOLS})
    emit('reset', {'where': where(), 'threads': threads()})


def m_boot():
    stop_at('m_boot', 'break m_boot')
    emit('regs.first', registers(INTEGER_REGISTERS + ['satp', 'mstatus']))
    emit('regs.first-all', registers(all_register_names()))
    emit('print.m_boot', {e: evaluate(e) for e in ('$pc', '$priv', '$satp', '$fcsr', '$mstatus', '$mhartid')})
    emit('info-registers', execute('info registers'))
    emit('mem.256', {'address': hx(0x80000000), 'bytes': read_memory(0x80000000, 256)})
    emit('x4i.m_boot', execute('x/4i $pc'))
    emit('info-threads.m_boot', execute('info threads'))
    emit('threads.m_boot', threads())
    stopped = gdb.selected_thread().num
    selected = {}
    for number in range(1, SMP + 1):
        selected[str(number)] = {
            'thread': execute('thread %d' % number), 'pc': evaluate('$pc'), 'mhartid': evaluate('$mhartid'),
        }
    execute('thread %d' % stopped)
    emit('thread-command.m_boot', selected)


def s_main():
    stop_at('s_main', 'break s_main')
    emit('x4i.s_main', execute('x/4i $pc'))
    satp_write = next(a for a, _, text in instructions_of('s_main') if re.match(r'csrw\s+satp\b', text))
    arch = gdb.newest_frame().architecture()
    steps = []
    for _ in range(40):  # gdb's stepi, up to and over the csrw satp
        pc = gdb.newest_frame().pc()
        instruction = arch.disassemble(pc)[0]
        stepped = resume('stepi')
        steps.append({
            'from': hx(pc), 'length': instruction['length'], 'asm': instruction['asm'], 'to': stepped.get('pc'),
            'thread': stepped.get('thread'), 'stop': stepped['stop'], 'timedOut': stepped['timedOut'],
        })
        if pc == satp_write or stepped['timedOut'] or stepped.get('pc') is None:
            break
    emit('stepi.s_main', {'satpWrite': hx(satp_write), 'steps': steps})
    emit('print.s_main', {e: evaluate(e) for e in ('$satp', '$priv', '$mhartid')})
    packets = []
    for _ in range(6):  # the stub's own step, over the compressed and full-size instructions after it
        pc = gdb.newest_frame().pc()
        instruction = arch.disassemble(pc)[0]
        stepped = step_packet()
        stepped.update({'from': hx(pc), 'length': instruction['length'], 'asm': instruction['asm']})
        packets.append(stepped)
    emit('step-packet.s_main', packets)


def watch_amo():
    stop_at('watch-amo', 'watch barrier_arrivals')


def file_line():
    line = line_of('main.c', 'locked_counter++;')
    stopped = stop_at('file-line', 'break main.c:%d' % line)
    emit('set-var.memory', {
        'line': line, 'before': evaluate('locked_counter'), 'set': execute('set var locked_counter = 500'),
        'after': evaluate('locked_counter'), 'thread': stopped.get('thread'),
    })


def watchpoints():
    stop_at('watch', 'watch locked_counter')
    stop_at('rwatch', 'rwatch locked_counter')
    stop_at('awatch', 'awatch locked_counter')


def hbreak():
    stop_at('hbreak', 'hbreak timer_report')


def backtrace():
    stop_at('transfer', 'break transfer')
    frames = []
    frame = gdb.newest_frame()
    while frame is not None and len(frames) < 12:
        frames.append({'function': frame.name(), 'pc': hx(frame.pc())})
        try:
            frame = frame.older()
        except gdb.error:
            break
    emit('bt', {'output': execute('bt')['output'], 'frames': frames})


def user_ecall():
    ecall = next(a for a, _, text in instructions_of('print') if text.strip() == 'ecall') + USER_OFFSET
    emit('user-ecall', {'address': hx(ecall), 'handler': symbol('s_trap_vector')})
    execute('break *%s' % hx(ecall))
    # The first print: gdb's stepi over the ecall (a breakpoint after it: the system call runs).
    stopped = resume()
    stopped['a0'] = register('a0')
    emit('stop.user-ecall', stopped)
    emit('x4i.user-ecall', execute('x/4i $pc'))
    stepped = resume('stepi')
    stepped['regs'] = registers(['a0', 'a1', 'a7', 'sepc', 'scause'])
    emit('stepi.ecall', stepped)
    # The second print: the stub's own step onto the trap handler's first instruction, as QEMU's.
    emit('stop.user-ecall-2', resume())
    execute('delete')
    stepped = step_packet()
    stepped['regs'] = registers(['scause', 'sepc', 'stval', 'sstatus'])
    emit('step-packet.ecall', stepped)


def user_print_number():
    address = int(symbol('print_number'), 16) + USER_OFFSET
    stop_at('user-print-number', 'break *%s' % hx(address))
    emit('set-var.register', {
        'before': evaluate('$a0'), 'set': execute('set var $a0 = 42'), 'after': evaluate('$a0'),
    })


def interrupt():
    execute('delete')
    emit('info-threads.end', execute('info threads'))
    stopped = resume(interrupt_after=0.5)
    stopped['threads'] = threads()
    emit('interrupt', stopped)


def detach_and_reconnect():
    emit('detach', execute('detach'))
    time.sleep(0.2)  # the machine runs on meanwhile
    started = time.monotonic()
    attached = execute('target remote 127.0.0.1:%d' % PORT)
    record = {'ok': attached['ok'], 'output': attached['output'], 'seconds': round(time.monotonic() - started, 3)}
    if attached['ok']:
        record.update(where())
        record['threads'] = threads()
        record['breakpoints'] = execute('info breakpoints')
    emit('reconnect', record)


def power_off():
    request('type-line')
    emit('power-off', resume(timeout=30))


if connect():
    for name, action in (
        ('reset', reset), ('m_boot', m_boot), ('s_main', s_main), ('watch-amo', watch_amo),
        ('file-line', file_line), ('watchpoints', watchpoints), ('hbreak', hbreak), ('backtrace', backtrace),
        ('user-ecall', user_ecall), ('user-print-number', user_print_number), ('interrupt', interrupt),
        ('detach', detach_and_reconnect), ('power-off', power_off),
    ):
        step(name, action)
done()
