# The reverse-execution session (gdb's reverse-stepi, -continue, -next and -finish; the stub's bs and bc
# packets) over samples/minikernel: test/gdb/reverse.test.ts runs it against Lantern at -smp 3
# and asserts on its records. Each step goes forward live (or along the recorded history when
# an earlier step left the machine in the past), then back, and records the states to compare:
#
#   watch          watch hart_count (m_boot's only write to it, hart 0), continue: the stop
#                  after the store; on to s_main, then reverse-continue back to the write:
#                  gdb stops at the store itself, the value before it, Old/New reversed
#   stepi          break s_main (now along the history), stepi 20, reverse-stepi 20: the
#                  registers are those before the 20 steps; then thread 2, reverse-stepi:
#                  that thread steps back
#   breakpoints    break main.c at `release(&counter_lock);` (after each locked_counter++, on
#                  every hart): three hits, then reverse-continue twice lands on the second
#                  hit, then the first
#   lines          at the next hit of that breakpoint (along the history): next, reverse-next
#                  (back to the hit), step into release(), reverse-finish (back to the call)
#   history-start  reverse-continue with no breakpoints: "No more reverse-execution history."
#   savevm         forward past the present to timer_report (live again), monitor savevm, on
#                  to transfer, monitor loadvm: every hart's registers as saved
#
# What gdb prints itself at a stop (a watchpoint's Old/New values, the end of history) is not
# in what Python captures: each step writes a section line (`@@section NAME`) on gdb's stdout
# before its resumes, and the test reads gdb's own output between them.
import sys

import gdb

from harness import (
    INTEGER_REGISTERS, SMP, connect, done, emit, evaluate, execute, hx, instructions_of, line_of, monitor, registers,
    resume, step, symbol, threads, where,
)

STEPS = 20
SNAPSHOT = 'reverse-test'


def section(name):
    sys.stdout.write('@@section %s\n' % name)
    sys.stdout.flush()


def state():
    """The selected thread: where it is, its integer registers and pc, `info registers` as printed."""
    found = where()
    found['regs'] = registers(INTEGER_REGISTERS)
    found['info'] = execute('info registers')['output']
    return found


def stopped(command='continue', timeout=20.0):
    """A resume and the state it left, with locked_counter (what the kernel's loops count)."""
    report = resume(command, timeout=timeout)
    if report.get('exit') is None:
        report['state'] = state()
        report['counter'] = evaluate('locked_counter')['text']
    return report


def newest_breakpoint():
    return gdb.breakpoints()[-1]


def instruction_before(pc):
    """The instruction of the selected frame's function that ends at pc (the access a write watch reports)."""
    for address, length, text in instructions_of(gdb.newest_frame().name()):
        if address + length == pc:
            return {'address': hx(address), 'asm': text}
    return None


def symbols():
    emit('symbols', {name: symbol(name) for name in ('m_boot', 's_main', 'timer_report', 'hart_count')})


def watch():
    section('watch-forward')
    before = evaluate('hart_count')['text']
    created = execute('watch hart_count')
    forward = stopped()
    forward['set'] = created
    forward['values'] = {'before': before, 'after': evaluate('hart_count')['text']}
    forward['store'] = instruction_before(gdb.newest_frame().pc())
    emit('watch.forward', forward)
    # Past the write, the watchpoint kept: the first stop at s_main (hart 0, the present).
    execute('break s_main')
    later = stopped()
    newest_breakpoint().delete()
    later['value'] = evaluate('hart_count')['text']
    emit('watch.later', later)
    section('watch-reverse')
    back = stopped('reverse-continue')
    back['value'] = evaluate('hart_count')['text']
    emit('watch.reverse', back)
    execute('delete')


def stepi():
    section('stepi')
    execute('break s_main')
    start = stopped()  # forward along the history: the same stop as watch.later's
    execute('delete')
    forward = stopped('stepi %d' % STEPS)
    back = stopped('reverse-stepi %d' % STEPS)
    emit('stepi', {'start': start, 'forward': forward, 'back': back})
    # Another thread: gdb sends Hc0 and bs whichever thread it steps back.
    execute('thread 2')
    before = state()
    other = stopped('reverse-stepi')
    other['before'] = before
    execute('thread 1')
    emit('stepi.thread-2', other)


def breakpoints():
    section('breakpoints')
    line = line_of('main.c', 'release(&counter_lock);')
    execute('break main.c:%d' % line)
    hits = [stopped() for _ in range(3)]
    emit('breakpoints.forward', {'line': line, 'hits': hits})
    backs = [stopped('reverse-continue') for _ in range(2)]
    emit('breakpoints.reverse', backs)
    execute('delete')


def lines():
    section('lines')
    line = line_of('main.c', 'release(&counter_lock);')
    execute('break main.c:%d' % line)
    start = stopped()
    execute('delete')
    record = {'line': line, 'start': start}
    for key, command in (('next', 'next'), ('reverseNext', 'reverse-next'), ('step', 'step'),
                         ('reverseFinish', 'reverse-finish')):
        record[key] = stopped(command)
    pc = gdb.newest_frame().pc()
    record['reverseFinish']['asm'] = gdb.newest_frame().architecture().disassemble(pc)[0]['asm']
    emit('lines', record)


def history_start():
    section('history-start')
    execute('delete')
    back = stopped('reverse-continue', timeout=30.0)
    back['threads'] = threads()
    emit('history-start', back)


def all_threads():
    """Every thread's state, by number (the selection is kept)."""
    selected = gdb.selected_thread()
    found = {}
    for number in range(1, SMP + 1):
        execute('thread %d' % number)
        found[str(number)] = state()
    if selected is not None and selected.is_valid():
        selected.switch()
    return found


def savevm():
    section('savevm')
    execute('break timer_report')
    reached = stopped(timeout=30.0)
    execute('delete')
    saved = all_threads()
    save = monitor('savevm %s' % SNAPSHOT)
    execute('break transfer')
    moved = stopped(timeout=30.0)
    execute('delete')
    load = monitor('loadvm %s' % SNAPSHOT)
    execute('maintenance flush register-cache')
    emit('savevm', {
        'reached': reached, 'saved': saved, 'save': save, 'moved': moved, 'load': load, 'restored': all_threads(),
    })


if connect():
    for name, action in (
        ('symbols', symbols), ('watch', watch), ('stepi', stepi), ('breakpoints', breakpoints),
        ('lines', lines), ('history-start', history_start), ('savevm', savevm),
    ):
        step(name, action)
section('end')
done()
