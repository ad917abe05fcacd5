# The monitor session (gdb's `monitor …`, the qRcmd packet) over samples/minikernel:
# test/gdb/gdb.test.ts runs it against Lantern at -smp 3 and asserts on its records. Every
# command of Lantern's monitor is used, in an order that keeps the kernel going:
#
#   help                       the list of commands
#   (break main.c at `barrier(1);`: every hart that gets there runs S-mode with Sv39)
#   info registers|cpus|mem|tlb, x/FMT, xp/FMT, pt VADDR, csr, trap
#   phys on|off                gdb's memory reads become physical, then virtual again
#   step-irq on|off            a pending, enabled interrupt is not taken by a vCont;s step
#                              by default, and is with step-irq on
#   catch interrupt|ecall|exception|trap on|off   each stops at the next such trap
#   cont, stop                 the machine runs behind gdb's back, then stops again
#   catch pagefault on|off     hart 1 sent to an unmapped address stops at the fault
#   system_reset               every hart back at the boot ROM; the kernel boots again
#   quit                       the machine ends (gdb sees the connection close)
import time

from harness import (
    connect, done, emit, evaluate, execute, line_of, monitor, read_memory, registers, resume, step,
    step_packet, symbol, threads, where,
)

# A caught trap comes within milliseconds; a catch that does not work should not cost 20 s.
CATCH_TIMEOUT = 5.0
TRAP_REGISTERS = ['pc', 'priv', 'mcause', 'mepc', 'mtval', 'scause', 'sepc', 'stval', 'sstatus', 'mstatus']


def symbols():
    emit('symbols', {name: symbol(name) for name in (
        'm_boot', 's_main', 's_trap_vector', 'm_trap_vector', 'root_table', 'locked_counter')})


def help_text():
    emit('monitor.help', monitor('help'))
    emit('monitor.help info', monitor('help info'))


def stop_in_s_mode():
    line = line_of('main.c', 'barrier(1);')
    execute('break main.c:%d' % line)
    stopped = resume()
    execute('delete')
    stopped['expectLine'] = line
    stopped['regs'] = registers(['satp', 'mhartid'])
    emit('stop.barrier', stopped)


def inspect():
    for command in ('info registers', 'info cpus', 'info mem', 'info tlb', 'x/4x 0x80000000', 'xp/4x 0x80000000',
                    'x/4x 0x100000000', 'xp/4x 0x100000000', 'pt 0x100000000', 'pt 0x80000000', 'csr', 'csr satp',
                    'trap'):
        emit('monitor.' + command, monitor(command))
    emit('memory.0x80000000', read_memory(0x80000000, 16))


def phys():
    emit('phys', {
        'virtualBefore': read_memory(0x100000000, 8),
        'on': monitor('phys on'),
        'physicalUser': read_memory(0x100000000, 8),     # past the end of RAM: unreadable
        'physicalRam': read_memory(0x80000000, 8),
        'physicalRootTable': read_memory(int(symbol('root_table'), 16), 8),
        'off': monitor('phys off'),
        'virtualAfter': read_memory(0x100000000, 8),
    })


def step_irq():
    # A supervisor software interrupt, pending and enabled (sie.SSIE, sstatus.SIE, sip.SSIP).
    made = [execute('set var $sie = $sie | 2'), execute('set var $sstatus = $sstatus | 2'),
            execute('set var $sip = $sip | 2')]
    pending = registers(['sie', 'sstatus', 'sip', 'pc'])
    held = step_packet()
    on = monitor('step-irq on')
    taken = step_packet()
    taken['regs'] = registers(['scause', 'sepc'])
    off = monitor('step-irq off')
    emit('step-irq', {'set': made, 'pending': pending, 'off': held, 'commandOn': on, 'on': taken, 'commandOff': off})


def catch(kind):
    on = monitor('catch %s on' % kind)
    stopped = resume(timeout=CATCH_TIMEOUT)
    stopped['regs'] = registers(TRAP_REGISTERS)
    stopped['on'] = on
    stopped['off'] = monitor('catch %s off' % kind)
    stopped['trap'] = monitor('trap')  # the trap just taken is the hart's last
    emit('catch.' + kind, stopped)


def catches():
    for kind in ('interrupt', 'ecall', 'exception', 'trap'):
        step('catch.' + kind, lambda: catch(kind))


def cont_and_stop():
    before = where()
    cont = monitor('cont')
    time.sleep(0.5)  # the kernel finishes the user program and waits for a line
    stop = monitor('stop')
    execute('maintenance flush register-cache')
    emit('cont-stop', {'before': before, 'cont': cont, 'stop': stop, 'after': where(), 'threads': threads()})


def page_fault():
    on = monitor('catch pagefault on')
    # Hart 1 spins in idle() (hart 0 and 2 sleep in wfi, where a new pc would wait for an
    # interrupt): sent to an address with no gigapage (main.c maps 0, 2 and 4 only).
    execute('thread 2')
    moved = execute('set var $pc = 0x200000000')
    stopped = resume(timeout=CATCH_TIMEOUT)
    stopped['regs'] = registers(TRAP_REGISTERS)
    stopped['on'] = on
    stopped['set'] = moved
    stopped['off'] = monitor('catch pagefault off')
    emit('catch.pagefault', stopped)


def system_reset():
    reset = monitor('system_reset')
    execute('maintenance flush register-cache')
    emit('system-reset', {'command': reset, 'threads': threads()})
    execute('break m_boot')
    stopped = resume()
    execute('delete')
    stopped['regs'] = registers(['a0', 'satp'])
    emit('stop.m_boot-after-reset', stopped)
    emit('rerun', resume(interrupt_after=1.0))  # the kernel boots again, up to its wait for a line


def quit_machine():
    emit('monitor.quit', monitor('quit'))
    time.sleep(0.3)
    emit('after-quit', {'pc': evaluate('$pc'), 'threads': execute('info threads')})


if connect():
    for name, action in (
        ('symbols', symbols), ('help', help_text), ('stop-in-s-mode', stop_in_s_mode), ('inspect', inspect),
        ('phys', phys), ('step-irq', step_irq), ('catches', catches), ('cont-stop', cont_and_stop),
        ('page-fault', page_fault), ('system-reset', system_reset), ('quit', quit_machine),
    ):
        step(name, action)
done()
