// The debugger's C expressions (server/src/dap/c-expression*.ts): the parser's precedence, C's
// arithmetic on constants, types, members, bitfields and assignment on gcc's own output of
// test/unit/dwarf-fixtures/program.c, and the real samples/minikernel stopped under the Machine
// (locals in registers, globals, registers, casts of addresses, outer frames), with values
// checked against the ELF symbols and the registers (and spot-checked against gdb-multiarch).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assign, childExpression, compile, conditionHolds, evaluate, evaluateForDisplay, type EvaluationContext } from '../../server/src/dap/c-expression';
import { targetContext } from '../../server/src/dap/c-expression-context';
import { parseExpression, type Expression } from '../../server/src/dap/c-expression-syntax';
import { Program } from '../../server/src/dap/program';
import { DebugInfo, typeName, type DisplayValue } from '../../server/src/debug/dwarf';
import { MachineDebugTarget } from '../../server/src/debug/machine-target';
import { REG_CSR0, REG_PC } from '../../server/src/debug/target';
import { parseElf } from '../../server/src/machine/elf';
import { build, haveTools, VARIANTS } from './dwarf-fixtures/binutils';
import { haltedMinikernel, MINIKERNEL as KERNEL, nextStop } from '../support/debug-target';

const kernelProgram = Program.read(KERNEL)!;
const kernelInfo = kernelProgram.info;
const haveCore = fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'core.wasm'));

/** An expression tree in prefix form, to check how it parsed. */
function show(node: Expression): string {
  switch (node.kind) {
    case 'integer': return `${node.value}${node.unsigned ? 'u' : ''}${'l'.repeat(node.longs)}`;
    case 'floating': return String(node.value);
    case 'character': return `'${String.fromCharCode(node.value)}'`;
    case 'identifier': return node.name;
    case 'register': return `$${node.name}`;
    case 'unary': return `(${node.operator} ${show(node.operand)})`;
    case 'binary': return `(${node.operator} ${show(node.left)} ${show(node.right)})`;
    case 'conditional': return `(? ${show(node.test)} ${show(node.consequent)} ${show(node.alternate)})`;
    case 'cast': return `(cast ${node.type.base}${node.type.qualifiers.map((q) => ` ${q}`).join('')}${'*'.repeat(node.type.pointers.length)} ${show(node.operand)})`;
    case 'sizeof-type': return `(sizeof ${node.type.base}${'*'.repeat(node.type.pointers.length)})`;
    case 'sizeof-value': return `(sizeof ${show(node.operand)})`;
    case 'member': return `(${node.arrow ? '->' : '.'} ${show(node.object)} ${node.member})`;
    case 'index': return `([] ${show(node.object)} ${show(node.index)})`;
    case 'assign': return `(= ${show(node.target)} ${show(node.value)})`;
  }
}

const parse = (text: string) => show(parseExpression(text, { isTypedef: (name) => name === 'u64' }));

/** A context with the kernel's types and no machine: for constant expressions. */
function constantContext(info: DebugInfo, memory = new Map<bigint, number>()): EvaluationContext {
  return {
    info, frame: undefined, innermost: true,
    readMemory: (address, size) => {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) {
        const byte = memory.get(address + BigInt(i));
        if (byte === undefined) return undefined;
        bytes[i] = byte;
      }
      return bytes;
    },
    writeMemory: (address, bytes) => {
      bytes.forEach((byte, i) => memory.set(address + BigInt(i), byte));
      return true;
    },
    readRegister: () => undefined,
    writeRegister: () => false,
  };
}

/** A value tree as plain data, children expanded to `depth`. */
function render(value: DisplayValue, depth = 1): unknown {
  if (!value.children || depth === 0) return value.value;
  return Object.fromEntries(value.children().map((child) => [child.name, render(child.value, depth - 1)]));
}

describe('C expression parser', () => {
  it('gives C precedence and associativity', () => {
    expect(parse('1 + 2 * 3')).toBe('(+ 1 (* 2 3))');
    expect(parse('1 - 2 - 3')).toBe('(- (- 1 2) 3)');
    expect(parse('a << 1 + 2')).toBe('(<< a (+ 1 2))');
    expect(parse('a < b == c < d')).toBe('(== (< a b) (< c d))');
    expect(parse('a & b ^ c | d')).toBe('(| (^ (& a b) c) d)');
    expect(parse('a || b && c')).toBe('(|| a (&& b c))');
    expect(parse('a ? b : c ? d : e')).toBe('(? a b (? c d e))');
    expect(parse('a = b = 3')).toBe('(= a (= b 3))');
    expect(parse('-a[1]')).toBe('(- ([] a 1))');
    expect(parse('*p->next')).toBe('(* (-> p next))');
    expect(parse('&s.x[2]')).toBe('(& ([] (. s x) 2))');
    expect(parse('!~-x')).toBe('(! (~ (- x)))');
  });

  it('reads casts, type names and sizeof', () => {
    expect(parse('(u64)x + 1')).toBe('(+ (cast u64 x) 1)');
    expect(parse('(x) + 1')).toBe('(+ x 1)');
    expect(parse('*(struct trapframe *)0x80001000')).toBe('(* (cast struct trapframe* 2147487744))');
    expect(parse('(const char *)p')).toBe('(cast char const* p)');
    expect(parse('(unsigned long)(long)-1')).toBe('(cast unsigned long (cast long (- 1)))');
    expect(parse('(char **)argv')).toBe('(cast char** argv)');
    expect(parse('sizeof(struct point)')).toBe('(sizeof struct point)');
    expect(parse('sizeof (x) * 2')).toBe('(* (sizeof x) 2)');
    expect(parse('sizeof x[1]')).toBe('(sizeof ([] x 1))');
    expect(parse('sizeof(u64 *)')).toBe('(sizeof u64*)');
  });

  it('reads C constants: hex, octal, binary, suffixes, characters, floats', () => {
    expect(parse('0x1F')).toBe('31');
    expect(parse('017')).toBe('15');
    expect(parse('0b101')).toBe('5');
    expect(parse('10UL')).toBe('10ul');
    expect(parse('10llu')).toBe('10ull');
    expect(parse("'a'")).toBe("'a'");
    expect(parse("'\\n'")).toBe(`'\n'`);
    expect(parse('1.5e3')).toBe('1500');
    expect(parse('$mstatus & 8')).toBe('(& $mstatus 8)');
  });

  it('says in one line what is wrong', () => {
    expect(() => parse('1 +')).toThrow('expression expected');
    expect(() => parse('(1 + 2')).toThrow("expected ')' before end of expression");
    expect(() => parse('a b')).toThrow("unexpected 'b' at column 3");
    expect(() => parse('08')).toThrow("invalid octal number '08'");
    expect(() => parse('12abc')).toThrow("invalid number '12abc'");
    expect(() => parse('f(1)')).toThrow('function calls are not supported');
    expect(() => parse('i++')).toThrow("'++' is not supported");
    expect(() => parse('"text"')).toThrow('string literals are not supported');
    expect(() => parse('a # b')).toThrow("invalid character '#'");
    expect(() => parse('(int[3])x')).toThrow('array types are not supported in casts');
  });
});

describe('C expression arithmetic (RV64 types of the minikernel)', () => {
  const context = constantContext(kernelInfo);
  const value = (text: string) => evaluateForDisplay(text, context);

  it('computes with C types and conversions as gdb prints them', () => {
    expect(value('1 + 2 * 3')).toMatchObject({ value: '7', type: 'int' });
    expect(value('7 / -2')).toMatchObject({ value: '-3' });
    expect(value('7 % -2')).toMatchObject({ value: '1' });
    expect(value('-1 < 0u')).toMatchObject({ value: '0', type: 'int' }); // -1 becomes UINT_MAX
    expect(value('-1 < 0l')).toMatchObject({ value: '1' });
    expect(value('~0u')).toMatchObject({ value: '4294967295', type: 'unsigned int' });
    expect(value('1 << 31')).toMatchObject({ value: '-2147483648', type: 'int' });
    expect(value('1ul << 63')).toMatchObject({ value: '9223372036854775808', type: 'unsigned long' });
    expect(value('0xffffffff')).toMatchObject({ type: 'unsigned int' });
    expect(value('4294967296')).toMatchObject({ type: 'long' });
    expect(value('(unsigned char)300')).toMatchObject({ value: '44 \',\'' });
    expect(value('(char)-1')).toMatchObject({ value: "255 '\\377'", type: 'char' }); // RISC-V char is unsigned
    expect(value('(signed char)-1')).toMatchObject({ value: "-1 '\\377'" });
    expect(value("'a' + 1")).toMatchObject({ value: '98', type: 'int' });
    expect(value('(_Bool)5')).toMatchObject({ value: 'true' });
    expect(value('1.5 * 2')).toMatchObject({ value: '3', type: 'double' });
    expect(value('(int)3.9')).toMatchObject({ value: '3', type: 'int' });
    expect(value('(float)1 / 4')).toMatchObject({ value: '0.25', type: 'float' });
    expect(value('3 > 2 && 0 || 5')).toMatchObject({ value: '1' });
    expect(value('0 ? 1 : 2')).toMatchObject({ value: '2' });
    expect(value('0 && *(int *)0')).toMatchObject({ value: '0' }); // short-circuit: never read
    expect(value('sizeof(long)')).toMatchObject({ value: '8', type: 'unsigned long' });
    expect(value('sizeof(int *)')).toMatchObject({ value: '8' });
    expect(value('sizeof(struct trapframe)')).toMatchObject({ value: '384' });
    expect(value('sizeof(u32)')).toMatchObject({ value: '4' });
    expect(value('(u64 *)0x1000 + 2')).toMatchObject({ value: '0x1010', type: 'u64 *' });
    expect(value('(u64 *)0x1010 - (u64 *)0x1000')).toMatchObject({ value: '2', type: 'long' });
    expect(value('(void *)0x1000 + 3')).toMatchObject({ value: '0x1003' });
    expect(value('(const char *)0')).toMatchObject({ value: '0x0', type: 'const char *' });
  });

  it('refuses what C refuses, in one line', () => {
    expect(() => value('1 / 0')).toThrow('division by zero');
    expect(() => value('nosuch + 1')).toThrow("no symbol 'nosuch' in current context");
    expect(() => value('(struct nosuch *)0')).toThrow("no struct type named 'nosuch'");
    expect(() => value('(nosuch_t)0')).toThrow(); // not a typedef: a call of a missing function
    expect(() => value('1[2]')).toThrow("cannot subscript a value of type 'int'");
    expect(() => value('*1')).toThrow('cannot access memory at address 0x1'); // gdb reads an int there
    expect(() => value('*1.5')).toThrow("cannot dereference a value of type 'double' (not a pointer)");
    expect(() => value('*(void *)0x1000')).toThrow("cannot dereference a 'void *'");
    expect(() => value('(1).x')).toThrow("cannot take member 'x' of a value of type 'int'");
    expect(() => value('*(u32 *)0x1000')).toThrow('cannot access memory at address 0x1000');
    expect(() => value('&1')).toThrow('cannot take the address of a value not in memory');
    expect(() => value('$nosuch')).toThrow("no register '$nosuch' on this target");
    expect(() => value('(u64 *)1 * 2')).toThrow("invalid operands to '*'");
    expect(() => evaluate('x = 1', context)).toThrow('assignment is not allowed here');
  });

  it('evaluates conditions to a boolean', () => {
    expect(conditionHolds('3 == 3', context)).toBe(true);
    expect(conditionHolds('(u64 *)0', context)).toBe(false);
    expect(conditionHolds(compile('0.5', kernelInfo), context)).toBe(true);
  });

  it('names children for evaluateName', () => {
    expect(childExpression('records', '[1]')).toBe('records[1]');
    expect(childExpression('records[1].next', '*')).toBe('*records[1].next');
    expect(childExpression('*records[1].next', 'where')).toBe('(*records[1].next).where');
    expect(childExpression('p->where', 'x')).toBe('p->where.x');
    expect(childExpression('s', '<anonymous 0>')).toBeUndefined();
  });
});

describe('DebugInfo.typeByName on the minikernel', () => {
  it('finds base types by any C spelling, typedefs, and struct tags', () => {
    expect(typeName(kernelInfo.typeByName('unsigned long')!)).toBe('long unsigned int');
    expect(typeName(kernelInfo.typeByName('long unsigned int')!)).toBe('long unsigned int');
    expect(typeName(kernelInfo.typeByName('u64')!)).toBe('u64');
    expect(kernelInfo.typeByName('struct trapframe')).toMatchObject({ kind: 'struct', size: 384, declaration: false });
    expect(kernelInfo.typeByName('struct nosuch')).toBeUndefined();
    expect(kernelInfo.typeByName('trapframe')).toBeUndefined(); // a tag is not a typedef
  });
});

describe.skipIf(!haveTools)('C expressions on gcc 12 output of program.c', () => {
  for (const variant of [VARIANTS[0], VARIANTS[4]]) {
    it(`reads and writes globals' members, bitfields, arrays and pointers (${variant.name})`, () => {
      const elf = build(variant);
      const bytes = new Uint8Array(fs.readFileSync(elf));
      const info = DebugInfo.fromElf(bytes);
      // The loaded image as memory (the initializers of the globals).
      const memory = new Map<bigint, number>();
      for (const segment of parseElf(bytes, 'program').segments) {
        for (let i = 0n; i < segment.memSize; i++) memory.set(segment.vaddr + i, segment.data[Number(i)] ?? 0);
      }
      const context = constantContext(info, memory);
      const value = (text: string) => evaluateForDisplay(text, context);
      const pointerBytes = variant.name.startsWith('rv32') ? 4 : 8;

      expect(value('records[1].where.x')).toMatchObject({ value: '-7', type: 'int' });
      expect(value('records[0].name').value).toMatch(/^0x[0-9a-f]+ "first"$/);
      expect(value('*records[0].name')).toMatchObject({ value: "102 'f'" });
      expect(value('records[0].name[1]')).toMatchObject({ value: "105 'i'" });
      expect(value('records[1].next->where.y')).toMatchObject({ value: '2' });
      expect(value('records[1].next == &records[0]')).toMatchObject({ value: '1' });
      expect(value('&records[1] - &records[0]')).toMatchObject({ value: '1' });
      expect(value('(char *)&records[1] - (char *)&records[0] == sizeof records[0]')).toMatchObject({ value: '1' });
      expect(value('records[0].flags.level')).toMatchObject({ value: '-3', type: 'int' });
      expect(value('records[0].flags.mode')).toMatchObject({ value: '5', type: 'unsigned int' });
      expect(value('records[0].grid[1][2]')).toMatchObject({ value: '6' });
      expect(render(value('records[0].grid[1]'))).toEqual({ '[0]': '4', '[1]': '5', '[2]': '6' });
      expect(value('records[0].color')).toMatchObject({ value: 'COLOR_GREEN', type: 'color_t' });
      expect(value('records[1].color == COLOR_BLUE')).toMatchObject({ value: '1' });
      expect(value('COLOR_BLUE')).toMatchObject({ value: 'COLOR_BLUE' });
      expect(value('COLOR_BLUE + 0')).toMatchObject({ value: '6' });
      expect(value('records[0].value.f')).toMatchObject({ value: '1', type: 'float' });
      expect(value('records[0].weight * 2')).toMatchObject({ value: '5', type: 'double' });
      expect(value('records[1].big >> 40')).toMatchObject({ value: '1', type: pointerBytes === 8 ? 'long' : 'long long' }); // gdb's binop_promote
      expect(value('records[0].small')).toMatchObject({ value: "-4 '\\374'" });
      expect(value('table_size')).toMatchObject({ value: '2' });
      expect(value('sizeof(struct record)').value).toBe(String((info.typeByName('struct record') as { size: number }).size));
      expect(value('sizeof(ulong_t)')).toMatchObject({ value: String(pointerBytes) });
      expect(render(value('records[1].where'))).toEqual({ x: '-7', y: '8' });
      expect(render(value('*records[1].next'), 1)).toMatchObject({ name: expect.stringMatching(/"first"$/), color: 'COLOR_GREEN' });
      // A function and an ELF symbol are addresses.
      expect(value('walk').value).toMatch(/^\{int \(struct record \*\)\} 0x[0-9a-f]+$/);
      expect(value('(long)&walk == (long)walk')).toMatchObject({ value: '1' });
      expect(value('&records').type).toBe('struct record (*)[2]');

      // Assignment: bitfields keep their neighbours; enums take their names; floats convert.
      expect(assign('records[0].flags.mode', '2', context)).toMatchObject({ value: '2' });
      expect(value('records[0].flags.ready')).toMatchObject({ value: '1' });
      expect(value('records[0].flags.level')).toMatchObject({ value: '-3' });
      expect(assign('records[0].flags.level', '-8', context)).toMatchObject({ value: '-8' });
      expect(value('records[0].flags.rest')).toMatchObject({ value: '7' });
      expect(assign('records[1].color', 'COLOR_RED', context)).toMatchObject({ value: 'COLOR_RED' });
      expect(assign('records[0].weight', '1 / 4.0', context)).toMatchObject({ value: '0.25' });
      expect(assign('records[0].where.x', '3.7', context)).toMatchObject({ value: '3' });
      expect(assign('records[0].next', '&records[1]', context).value).toBe(value('&records[1]').value);
      expect(value('records[0].next->next->where.y')).toMatchObject({ value: '2' });
      expect(assign('*(short *)&records[0].status', '0x12345', context)).toMatchObject({ value: '9029' });
      expect(() => assign('records[0]', '1', context)).toThrow("cannot assign to a value of type 'struct record'");
      expect(() => assign('records[0].where.x + 1', '1', context)).toThrow('not an lvalue');
      expect(() => assign('records[0].where.x', 'nosuch', context)).toThrow("no symbol 'nosuch' in current context");
      expect(evaluateForDisplay('records[0].where.y = 40 + 2', context, { allowAssignment: true })).toMatchObject({ value: '42' });
      expect(value('records[0].where.y')).toMatchObject({ value: '42' });
    });
  }
});

describe.skipIf(!haveCore)('C expressions on the running minikernel', () => {
  async function runTo(target: MachineDebugTarget, address: bigint): Promise<number> {
    target.addBreakpoint(address, 'software');
    const stopped = nextStop(target);
    target.resume({ kind: 'continue' });
    const stop = await stopped;
    target.removeBreakpoint(address, 'software');
    if (stop.kind !== 'breakpoint') throw new Error(`stopped: ${stop.kind}`);
    return stop.hart;
  }

  it('evaluates locals, globals, registers and casts where gdb would, and assigns to them', async () => {
    const { machine, target } = haltedMinikernel(2);
    const symbol = (name: string) => kernelInfo.symbols!.lookup(name)!.value;
    try {
      // At s_main's entry: a0 holds the parameter hart (the psABI's first argument).
      const sMain = kernelInfo.functionByName('s_main')!;
      let hart = await runTo(target, sMain.entry);
      let frames = kernelProgram.frameOf(target, hart);
      let context = targetContext({ target, hart, info: kernelInfo, frame: frames, symbols: machine.symbols });
      let value = (text: string) => evaluateForDisplay(text, context);
      expect(value('hart')).toMatchObject({ value: String(hart), type: 'u64' });
      expect(value('hart + 1')).toMatchObject({ value: String(hart + 1), type: 'unsigned long' });
      expect(value('$a0 == hart')).toMatchObject({ value: '1' });
      expect(value('$pc').value).toBe(`0x${sMain.entry.toString(16)}`);
      expect(value('$pc').type).toBe('void (*)()');
      expect(value('$pc == s_main')).toMatchObject({ value: '1' });
      expect(value('$sp')).toMatchObject({ value: `0x${target.readRegister(hart, 2)!.toString(16)}`, type: 'void *' });
      expect(value('$priv')).toMatchObject({ value: '1' }); // S-mode
      expect(value('$satp')).toMatchObject({ value: String(BigInt.asIntN(64, target.readRegister(hart, REG_CSR0 + 0x180)!)), type: 'long' });
      expect(value('$sstatus & 0x100').value).toMatch(/^\d+$/);
      expect(value('$fp == $s0 && $x8 == $s0')).toMatchObject({ value: '1' });
      expect(value('sp')).toMatchObject({ type: 'void *' }); // a bare register name, last in lookup order
      // The caller's frame (m_boot): its parameter hart, and its pc as the unwinder found it.
      const caller = Program.memoryOf(target, hart);
      const outer = kernelInfo.backtrace(frames, caller, 2)[1];
      const outerContext = targetContext({ target, hart, info: kernelInfo, frame: outer, innermost: false, symbols: machine.symbols });
      expect(evaluateForDisplay('$pc', outerContext).value).toBe(`0x${outer.pc.toString(16)}`);
      expect(evaluateForDisplay('hart', outerContext).value).toMatch(/^(\d+|<optimized out>)$/);
      expect(() => assign('$a0', '1', outerContext)).toThrow("$a0 of a caller's frame cannot be changed");

      // Line 218, in the locked loop: the lock is held, the counter counts.
      const [line218] = kernelInfo.addressesFor('main.c', 218)!.addresses;
      hart = await runTo(target, line218);
      frames = kernelProgram.frameOf(target, hart);
      context = targetContext({ target, hart, info: kernelInfo, frame: frames, symbols: machine.symbols });
      value = (text: string) => evaluateForDisplay(text, context);
      expect(target.readRegister(hart, REG_PC)).toBe(line218);
      expect(value('hart')).toMatchObject({ value: String(hart) });
      const counter = new DataView(target.readMemory(hart, symbol('locked_counter'), 4, 'virtual').buffer).getUint32(0, true);
      expect(value('locked_counter')).toMatchObject({ value: String(counter), type: 'u32' });
      expect(counter).toBeGreaterThanOrEqual(1);
      expect(value(`&locked_counter == (u32 *)0x${symbol('locked_counter').toString(16)}`)).toMatchObject({ value: '1' });
      expect(value('&locked_counter')).toMatchObject({ value: `0x${symbol('locked_counter').toString(16)}`, type: 'u32 *' });
      expect(value('counter_lock.locked')).toMatchObject({ value: '1', type: 'volatile u32' });
      expect(value('counter_lock')).toMatchObject({ type: 'struct spinlock' });
      expect(render(value('m_scratch[0]'))).toEqual(expect.objectContaining({
        mtimecmp: String(0x2004000n), saved_t1: expect.any(String), pending_ticks: expect.any(String),
      }));
      expect(value('m_scratch[1].mtimecmp - m_scratch[0].mtimecmp')).toMatchObject({ value: '8' });
      expect(value('sizeof m_scratch / sizeof m_scratch[0]')).toMatchObject({ value: '8' });
      const trapframes = symbol('trapframes');
      expect(render(value(`*(struct trapframe *)0x${trapframes.toString(16)}`))).toEqual(expect.objectContaining({ regs: '[32]', kernel_sp: expect.any(String) }));
      expect(value(`&((struct trapframe *)0x${trapframes.toString(16)})->kernel_s10_s11[1]`).value).toBe(`0x${(trapframes + 376n).toString(16)}`);
      expect(value(`(u64)&((struct trapframe *)0)->kernel_gp_tp`)).toMatchObject({ value: '352' });
      const pte = new DataView(target.readMemory(hart, symbol('root_table') + 16n, 8, 'virtual').buffer).getBigUint64(0, true);
      expect(value('root_table[2]')).toMatchObject({ value: String(pte), type: 'u64' });
      expect(value('root_table[2] >> 10 << 12')).toMatchObject({ value: String(0x80000000n) });
      expect(value('(root_table[2] & 0xe) == 0xe')).toMatchObject({ value: '1' }); // R W X
      expect(value('*(u64 *)&root_table[2] == root_table[2]')).toMatchObject({ value: '1' });
      expect(value('hart_count')).toMatchObject({ value: '2' });
      expect(value('s_main').value).toBe(`{void (u64)} 0x${sMain.entry.toString(16)}`);
      // Assembly symbols without debug information: their address, usable in casts.
      expect(value('_start')).toMatchObject({ value: '0x80000000 <_start>', type: '<no debug info>' });
      expect(value('*(int *)0x80000000 == *(int *)&_start')).toMatchObject({ value: '1' });
      expect(value('&_start')).toMatchObject({ value: '0x80000000', type: 'void *' });
      expect(value('*(u32 *)_start').value).toBe(String(new DataView(target.readMemory(hart, 0x80000000n, 4, 'virtual').buffer).getUint32(0, true)));
      expect(conditionHolds(`hart == ${hart} && locked_counter > 0`, context)).toBe(true);
      expect(conditionHolds('counter_lock.locked == 0', context)).toBe(false);

      // Errors name the problem.
      expect(() => value('foo')).toThrow("no symbol 'foo' in current context");
      expect(() => value('hart[1]')).toThrow("cannot subscript a value of type 'u64'");
      expect(() => value('counter_lock.nope')).toThrow("there is no member named 'nope' in struct spinlock");
      expect(value('counter_lock->locked')).toMatchObject({ value: '1' }); // gdb's leniency
      expect(() => value('hart->x')).toThrow("cannot use '->' on a value of type 'u64' (not a pointer)");
      expect(render(value('$fa0'))).toEqual({ float: expect.any(String), double: expect.any(String) });
      expect(value('$fa0.double == 0 || $fa0.double != 0')).toMatchObject({ value: '1' });
      expect(value('$fflags')).toMatchObject({ type: 'int' });

      // Assignment to a global (memory) and to a local kept in a register.
      expect(assign('locked_counter', 'locked_counter + 1000', context)).toMatchObject({ value: String(counter + 1000) });
      expect(new DataView(target.readMemory(hart, symbol('locked_counter'), 4, 'virtual').buffer).getUint32(0, true)).toBe(counter + 1000);
      // gcc -O1 keeps hart in a callee-saved register and turns i into a computed value.
      const locationOf = (name: string) => {
        const variable = kernelInfo.scopesAt(line218).filter((v) => v.name === name).pop()!;
        return kernelInfo.locate(variable, kernelInfo.frameContext(frames, Program.memoryOf(target, hart)), line218);
      };
      const where = locationOf('hart');
      if (where.kind !== 'register') throw new Error(`hart is at ${where.kind}`);
      expect(assign('hart', '7', context)).toMatchObject({ value: '7', type: 'u64' });
      expect(target.readRegister(hart, where.register)).toBe(7n);
      expect(assign('hart', `${hart}`, context)).toMatchObject({ value: String(hart) });
      expect(locationOf('i').kind).toBe('value');
      expect(() => assign('i', '0', context)).toThrow("cannot assign: 'i' has no location (the compiler computes its value)");
      expect(() => assign('&locked_counter', '0', context)).toThrow('not an lvalue');
      expect(() => assign('counter_lock', '0', context)).toThrow("cannot assign to a value of type 'struct spinlock'");
      expect(() => value('&hart')).toThrow(/cannot take the address of a value in register s\d+/);
      expect(() => value('&i')).toThrow('cannot take the address of a value not in memory');
      expect(assign('$t0', '0x1234', context)).toMatchObject({ value: String(0x1234) });
      expect(target.readRegister(hart, 5)).toBe(0x1234n);
    } finally {
      target.kill();
    }
  });
});
