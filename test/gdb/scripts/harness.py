# The helpers of the gdb scripts in test/gdb/scripts/ (imported by them inside
# `gdb-multiarch -batch -nx`, with this folder on sys.path; see test/gdb/gdb-session.ts).
#
# A script drives gdb through its Python API and reports what it saw as records: one line
# each on stdout, `@@gdb-test ` then JSON {"key": ..., "value": ...}, which the vitest file
# parses and asserts on. Numbers that may exceed 2^53 (addresses, registers) are hex strings.
# A script never stops at the first surprise: each step records its error and the next step
# goes on from wherever the target is, so one broken feature fails its own checks only.
#
# The test process passes the session's parameters in the environment:
#   GDB_TEST_PORT     the stub's TCP port on 127.0.0.1
#   GDB_TEST_TARGET   'lantern' or 'qemu'
#   GDB_TEST_SMP      the number of harts
#   GDB_TEST_SOURCES  samples/minikernel (to find source lines by their text)
#   GDB_TEST_DEBUG_FROM  optional: the name of a step from which on `set debug remote 1`
import json
import os
import re
import signal
import sys
import threading
import time
import traceback

import gdb

MARKER = '@@gdb-test '
MASK64 = (1 << 64) - 1
PORT = int(os.environ['GDB_TEST_PORT'])
TARGET = os.environ.get('GDB_TEST_TARGET', 'lantern')
SMP = int(os.environ.get('GDB_TEST_SMP', '1'))
SOURCES = os.environ['GDB_TEST_SOURCES']
# A step's name: from there on gdb logs the remote protocol (for diagnosing a failure).
DEBUG_FROM = os.environ.get('GDB_TEST_DEBUG_FROM')

# gdb's names for the integer registers, in number order (x1..x31, then pc).
INTEGER_REGISTERS = [
    'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
    'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5',
    't6', 'pc',
]


def hx(number):
    """An integer as the records carry it: unsigned 64-bit, in hex."""
    return '0x%x' % (int(number) & MASK64)


def emit(key, value):
    sys.stdout.write(MARKER + json.dumps({'key': key, 'value': value}) + '\n')
    sys.stdout.flush()


def request(action):
    """Asks the test process to act on the machine (e.g. 'type-line': write a line to its console)."""
    emit('@action', action)


def execute(command):
    """Runs a gdb command; returns {'ok', 'output'} (the error message as output when it fails)."""
    try:
        return {'ok': True, 'output': gdb.execute(command, to_string=True)}
    except gdb.error as error:  # gdb.MemoryError is a gdb.error
        return {'ok': False, 'output': str(error)}


def evaluate(expression):
    """An expression's value as gdb prints it, and as an integer when it is one."""
    try:
        value = gdb.parse_and_eval(expression)
        text = str(value)
        try:
            number = hx(int(value))
        except (gdb.error, ValueError, TypeError, OverflowError):
            number = None
        return {'ok': True, 'text': text, 'int': number, 'void': value.type.code == gdb.TYPE_CODE_VOID}
    except gdb.error as error:
        return {'ok': False, 'text': str(error), 'int': None}


def register(name):
    """A register of the selected thread's newest frame, in hex; None when unreadable."""
    try:
        return hx(int(gdb.newest_frame().read_register(name)))
    except (gdb.error, ValueError, TypeError):
        return None


def registers(names):
    return {name: register(name) for name in names}


def all_register_names():
    """Every register gdb knows from the target description, once each, and priv."""
    names = []
    for descriptor in gdb.newest_frame().architecture().registers('all'):
        if descriptor.name and descriptor.name not in names:
            names.append(descriptor.name)
    if 'priv' not in names:
        names.append('priv')
    return names


def read_memory(address, length):
    try:
        return bytes(gdb.selected_inferior().read_memory(address, length)).hex()
    except gdb.error as error:
        return 'error: %s' % error


def where():
    """Where the selected thread is: pc, function, file:line, thread number, privilege."""
    try:
        frame = gdb.newest_frame()
    except gdb.error as error:
        return {'error': str(error)}
    sal = frame.find_sal()
    thread = gdb.selected_thread()
    return {
        'pc': hx(frame.pc()),
        'function': frame.name(),
        'file': os.path.basename(sal.symtab.filename) if sal.symtab else None,
        'line': sal.line or None,
        'thread': thread.num if thread else None,
        'priv': register('priv'),
    }


def threads():
    """Each thread (in number order): number, pc, mhartid, tp, priv; the selection is kept."""
    selected = gdb.selected_thread()
    result = []
    for thread in sorted(gdb.selected_inferior().threads(), key=lambda t: t.num):
        thread.switch()
        entry = {'num': thread.num, 'name': thread.name, 'details': thread.details}
        entry.update(registers(['pc', 'mhartid', 'tp', 'priv']))
        result.append(entry)
    if selected is not None and selected.is_valid():
        selected.switch()
    return result


def symbol(name):
    """The address of a symbol of the ELF (static functions and assembly labels too), in hex."""
    found = gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)
    if found is not None:
        return hx(int(found.value().address))
    return hx(int(gdb.parse_and_eval('(unsigned long)&%s' % name)))  # a minimal (ELF-only) symbol


def line_of(file, text):
    """The number of the first line of SOURCES/file containing text."""
    with open(os.path.join(SOURCES, file)) as source:
        for number, line in enumerate(source, 1):
            if text in line:
                return number
    raise gdb.error('%s has no line with %r' % (file, text))


def instructions_of(function):
    """[(address, length, text)] of a function, by gdb's disassembler over the target's bytes."""
    block = gdb.block_for_pc(int(symbol(function), 16))
    while block.function is None:
        block = block.superblock
    arch = gdb.newest_frame().architecture()
    return [(i['addr'], i['length'], i['asm']) for i in arch.disassemble(block.start, block.end - 1)]


# Stop and exit events, kept for resume() to report.
_last = {'stop': None, 'exit': None}
_BREAKPOINT_TYPES = {
    gdb.BP_BREAKPOINT: 'breakpoint', gdb.BP_HARDWARE_BREAKPOINT: 'hbreak', gdb.BP_WATCHPOINT: 'watch',
    gdb.BP_HARDWARE_WATCHPOINT: 'watch', gdb.BP_READ_WATCHPOINT: 'rwatch', gdb.BP_ACCESS_WATCHPOINT: 'awatch',
}


def _on_stop(event):
    stop = {'event': type(event).__name__}
    if isinstance(event, gdb.SignalEvent):
        stop['signal'] = event.stop_signal
    if isinstance(event, gdb.BreakpointEvent):
        stop['breakpoints'] = [
            {'number': b.number, 'type': _BREAKPOINT_TYPES.get(b.type, str(b.type)), 'where': b.location or b.expression}
            for b in event.breakpoints
        ]
    _last['stop'] = stop


def _on_exit(event):
    _last['exit'] = {'exitCode': getattr(event, 'exit_code', None)}


gdb.events.stop.connect(_on_stop)
gdb.events.exited.connect(_on_exit)


def interrupt():
    """Ctrl-C, as a terminal would deliver it: SIGINT to gdb, which sends the stub a 0x03 byte."""
    os.kill(os.getpid(), signal.SIGINT)


def resume(command='continue', timeout=20.0, interrupt_after=None):
    """
    Runs a resuming command (continue, stepi, ...) until the target stops or exits, and says
    how: the output, the stop event, the exit, and where the selected thread is now. With
    interrupt_after, Ctrl-C is sent after that many seconds (gdb's Python API: a timer
    thread signals gdb while `continue` waits, as a user's Ctrl-C would). A stop that has
    not come after `timeout` seconds is forced the same way and reported as timedOut.
    """
    _last['stop'] = None
    _last['exit'] = None
    fired = {'watchdog': False}

    def watchdog():
        fired['watchdog'] = True
        interrupt()

    timers = [threading.Timer(timeout, watchdog)]
    if interrupt_after is not None:
        timers.append(threading.Timer(interrupt_after, interrupt))
    for timer in timers:
        timer.daemon = True
        timer.start()
    started = time.monotonic()
    result = execute(command)
    for timer in timers:
        timer.cancel()
    report = {
        'command': command, 'ok': result['ok'], 'output': result['output'], 'stop': _last['stop'],
        'exit': _last['exit'], 'timedOut': fired['watchdog'], 'seconds': round(time.monotonic() - started, 3),
    }
    if _last['exit'] is None:
        report.update(where())
    return report


def step_packet():
    """
    Steps the selected thread by one instruction with a raw `vCont;s` packet, then makes gdb
    forget its register cache. (gdb's own stepi on RISC-V is a software single-step — a
    breakpoint after the instruction and a continue — so only a packet reaches the stub's
    step.) Returns the stop reply and where the thread is.
    """
    pid, lwp, _ = gdb.selected_thread().ptid
    # gdb numbers threads pPID.TID when the stub speaks multiprocess, else by TID alone (pid 42000).
    thread = ('p%x.%x' % (pid, lwp)) if pid != 42000 else '%x' % lwp
    sent = execute('maint packet vCont;s:%s' % thread)
    execute('maintenance flush register-cache')
    reply = re.search(r'received: "(.*)"', sent['output'])
    report = {'packet': 'vCont;s:%s' % thread, 'ok': sent['ok'], 'reply': reply.group(1) if reply else sent['output']}
    report.update(where())
    return report


def monitor(command):
    """A monitor command (qRcmd) and its output."""
    return execute('monitor ' + command)


_failures = []


def step(name, action):
    """Runs one step of a script; an exception is recorded as error.<name> and the script goes on."""
    if name == DEBUG_FROM:
        gdb.execute('set debug remote 1')  # the packets from here on, on gdb's stderr
    try:
        action()
    except Exception as error:  # noqa: BLE001 - every failure is a finding to report
        _failures.append(name)
        emit('error.' + name, '%s: %s\n%s' % (type(error).__name__, error, traceback.format_exc()))


def connect():
    """target remote to the stub; the initial stop is recorded as 'connect'."""
    started = time.monotonic()
    result = execute('target remote 127.0.0.1:%d' % PORT)
    report = {'ok': result['ok'], 'output': result['output'], 'seconds': round(time.monotonic() - started, 3)}
    if result['ok']:
        report.update(where())
    emit('connect', report)
    return result['ok']


def done():
    emit('done', {'failedSteps': _failures})
