// The DWARF reader on real gcc 12 output (test/unit/dwarf-fixtures/program.c built at -O0 and
// -O1, DWARF 4 and 5, RV64 and RV32), each answer checked against binutils' own dumps of the
// same file: the line table against objdump --dwarf=decodedline, the CFI against
// --dwarf=frames-interp, entries, functions and variable locations against readelf
// --debug-dump=info and --debug-dump=loc; and the globals' values against the C initializers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugInfo, disassembleExpression, formatValue, typeName, type DisplayValue } from '../../server/src/debug/dwarf';
import { AT, TAG } from '../../server/src/debug/dwarf/constants';
import { describeCfa, describeRule, frameRows } from '../../server/src/debug/dwarf/frame';
import type { Die } from '../../server/src/debug/dwarf/info';
import { variableLocation } from '../../server/src/debug/dwarf/variables';
import { parseElf } from '../../server/src/machine/elf';
import { blockExpression, build, decodedLines, framesInterp, haveTools, infoDump, locationLists, VARIANTS } from './dwarf-fixtures/binutils';

const hex = (value: bigint) => value.toString(16);

/** Reads the initial contents of an ELF's loaded segments (for globals' values). */
function imageMemory(bytes: Uint8Array): (address: bigint, size: number) => Uint8Array | undefined {
  const { segments } = parseElf(bytes, 'program');
  return (address, size) => {
    for (const segment of segments) {
      if (address >= segment.vaddr && address + BigInt(size) <= segment.vaddr + segment.memSize) {
        const out = new Uint8Array(size);
        const at = Number(address - segment.vaddr);
        out.set(segment.data.subarray(at, Math.min(at + size, segment.data.length)));
        return out;
      }
    }
    return undefined;
  };
}

/** A value tree as plain text, children expanded to `depth`. */
function render(value: DisplayValue, depth: number): unknown {
  if (!value.children || depth === 0) return value.value;
  return Object.fromEntries(value.children().map((child) => [child.name, render(child.value, depth - 1)]));
}

describe.skipIf(!haveTools)('DWARF reader on gcc 12 output', () => {
  for (const variant of VARIANTS) {
    describe(variant.name, () => {
      const elf = build(variant);
      const bytes = new Uint8Array(fs.readFileSync(elf));
      const debug = DebugInfo.fromElf(bytes);
      const dies = infoDump(elf);

      it('decodes the line programs row for row as objdump --dwarf=decodedline', () => {
        const ours = debug.lines.programs.flatMap((program) => program.rows.map((row) => {
          const name = path.basename(program.files[row.file]!.name);
          return row.endSequence ? `${name} - ${hex(row.address)}` : `${name} ${row.line} ${hex(row.address)}${row.isStmt ? ' x' : ''}`;
        }));
        const theirs = decodedLines(elf);
        expect(theirs.length).toBeGreaterThan(20);
        expect(ours).toEqual(theirs);
      });

      it('maps addresses to lines and lines to addresses consistently with the rows', () => {
        const rows = decodedLines(elf).map((row) => row.split(' ')).filter((row) => row[1] !== '-' && row[3] === 'x');
        for (const [, line, address] of rows) {
          const found = debug.addressesFor('program.c', Number(line));
          expect(found?.line).toBe(Number(line));
          // Every address of a breakpoint on the line is a row of that line.
          for (const at of found!.addresses) expect(rows.some((r) => r[1] === line && r[2] === hex(at))).toBe(true);
          // And the line of a row's address is a line that has a row at that address.
          const location = debug.lineFor(BigInt(`0x${address}`))!;
          expect(rows.some((r) => r[2] === address && Number(r[1]) === location.line)).toBe(true);
          expect(location.file.path).toBe(path.join(__dirname, 'dwarf-fixtures', 'program.c'));
        }
        // A line without code moves to the next line that has some (the blank line 33 → 34's code).
        const blank = debug.addressesFor(path.join(__dirname, 'dwarf-fixtures/program.c'), 33);
        expect(blank?.line).toBeGreaterThan(33);
        expect(debug.sourceFiles()).toEqual([path.join(__dirname, 'dwarf-fixtures', 'program.c')]);
      });

      it('builds the CFI tables of objdump --dwarf=frames-interp', () => {
        const dumped = framesInterp(elf);
        expect(dumped.length).toBe(debug.frames.fdes.length);
        for (const fde of debug.frames.fdes) {
          const theirs = dumped.find((d) => d.start === fde.start)!;
          expect(theirs.end).toBe(fde.end);
          const rows = frameRows(fde, debug.addressSize);
          if (theirs.rows.length === 0) {
            // objdump prints no table for an FDE without instructions: the CIE's row holds.
            expect(rows.map((row) => describeCfa(row.cfa))).toEqual(['sp+0']);
            continue;
          }
          const registers = theirs.columns;
          const names = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1'];
          expect(rows.map((row) => [hex(row.address), describeCfa(row.cfa), ...registers.map((name) => describeRule(row.registers.get(names.indexOf(name))))].join(' ')))
            .toEqual(theirs.rows);
        }
      });

      it('reads every entry readelf --debug-dump=info lists, with its names, pcs and expressions', () => {
        let checked = 0;
        for (const theirs of dies) {
          const die = debug.entries.dieAt(theirs.offset);
          expect(die, `entry at 0x${theirs.offset.toString(16)}`).toBeDefined();
          expect(TAG.nameOf(die!.tag)).toBe(theirs.tag);
          const name = theirs.attributes.get('DW_AT_name');
          if (name !== undefined) expect(name.replace(/^\(indirect (line )?string, offset: (0x)?[0-9a-f]+\): /, '')).toBe(die!.string(AT.name));
          const low = theirs.attributes.get('DW_AT_low_pc');
          if (low !== undefined) expect(low).toBe(`0x${hex(die!.address(AT.low_pc)!)}`);
          for (const attribute of ['DW_AT_location', 'DW_AT_frame_base', 'DW_AT_call_value', 'DW_AT_GNU_call_site_value'] as const) {
            const printed = theirs.attributes.get(attribute);
            if (printed === undefined || printed.endsWith('(location list)')) continue;
            const block = die!.block(AT[attribute.slice(6) as 'location'])!;
            expect(disassembleExpression(block, die!.unit.addressSize, die!.unit.offsetSize)).toBe(blockExpression(printed));
            checked++;
          }
          const size = theirs.attributes.get('DW_AT_byte_size');
          if (size !== undefined) expect(Number(size)).toBe(die!.number(AT.byte_size));
        }
        expect(checked).toBeGreaterThan(5);
      });

      it('decodes every location list as readelf --debug-dump=loc', () => {
        const lists = locationLists(elf);
        let checked = 0;
        for (const fn of debug.functions()) {
          for (const variable of [...debug.scopesAt(fn.entry), ...allVariables(debug, fn.die)]) {
            if (variable.location.kind !== 'list') continue;
            const offset = variable.location.entries[0]?.offset ?? -1;
            const theirs = lists.get(offset);
            expect(theirs, `${fn.name}: ${variable.name}`).toBeDefined();
            expect(variable.location.entries.map((entry) => `${hex(entry.begin!)} ${hex(entry.end!)} ${disassembleExpression(entry.expression, debug.addressSize)}`))
              .toEqual(theirs);
            checked++;
          }
        }
        if (variant.flags.includes('-O1')) expect(checked).toBeGreaterThan(5);
      });

      it('lists the functions readelf shows with code, with their ranges', () => {
        const theirs = dies.filter((d) => d.tag === 'DW_TAG_subprogram' && d.attributes.has('DW_AT_low_pc'));
        expect(debug.functions().map((fn) => fn.name).sort()).toEqual(
          theirs.map((d) => d.attributes.get('DW_AT_name')!.replace(/^\(indirect string, offset: (0x)?[0-9a-f]+\): /, '')).sort());
        for (const d of theirs) {
          const fn = debug.functions().find((f) => f.die.offset === d.offset)!;
          expect(`0x${hex(fn.ranges[0].low)}`).toBe(d.attributes.get('DW_AT_low_pc'));
          expect(`0x${hex(fn.ranges[0].high - fn.ranges[0].low)}`).toBe(d.attributes.get('DW_AT_high_pc'));
          expect(debug.functionAt(fn.entry)).toBe(fn);
          expect(debug.functionByName(fn.name)).toBe(fn);
        }
        const sumPoints = debug.functionByName('sum_points')!;
        expect(debug.scopesAt(sumPoints.entry).filter((v) => v.kind === 'parameter').map((v) => `${typeName(v.type)} ${v.name}`))
          .toEqual(['const struct point * points', 'int count']);
      });

      it('formats the globals from their initializers: structs, unions, bitfields, enums, arrays, pointers', () => {
        const memory = imageMemory(bytes);
        const globals = debug.globals();
        expect(globals.map((g) => `${typeName(g.type)} ${g.name}`)).toEqual([
          'struct record [2] records', 'const ulong_t table_size', 'volatile int sink', 'int counter',
        ]);
        const records = debug.readGlobal(globals[0], memory).value;
        expect(records.value).toBe('[2]');
        const first = render(records.children!()[0].value, 3) as Record<string, unknown>;
        expect(first).toEqual({
          name: expect.stringMatching(/^0x[0-9a-f]+ "first"$/),
          where: { x: '1', y: '2' },
          value: { u: '1065353216', f: '1', bytes: { '[0]': "0 '\\000'", '[1]': "0 '\\000'", '[2]': "128 '\\200'", '[3]': "63 '?'" } },
          flags: { ready: '1', mode: '5', level: '-3', rest: '7' },
          color: 'COLOR_GREEN',
          grid: { '[0]': { '[0]': '1', '[1]': '2', '[2]': '3' }, '[1]': { '[0]': '4', '[1]': '5', '[2]': '6' } },
          status: '9',
          next: '0x0',
          weight: '2.5',
          valid: 'true',
          small: "-4 '\\374'",
          big: '-5',
        });
        const second = records.children!()[1].value.children!();
        const next = second.find((c) => c.name === 'next')!.value;
        expect(next.value).toBe(`0x${hex(records.address!)}`); // &records[0]
        expect(render(next.children!()[0].value, 1)).toMatchObject({ name: expect.stringMatching(/"first"$/), color: 'COLOR_GREEN' });
        expect(render(second.find((c) => c.name === 'flags')!.value, 1)).toEqual({ ready: '0', mode: '2', level: '3', rest: '1' });
        expect(render(second.find((c) => c.name === 'big')!.value, 0)).toBe(String(1n << 40n));
        expect(second.find((c) => c.name === 'color')!.value.value).toBe('COLOR_BLUE');
        expect(second.find((c) => c.name === 'grid')!.value.type).toBe('int [2][3]');
        expect(formatValue(globals[0].type, new Uint8Array(0)).value).toBe('<unavailable>');
      });
    });
  }
});

/** Every parameter and variable entry under a function, whatever block holds it. */
function allVariables(debug: DebugInfo, die: Die): ReturnType<DebugInfo['scopesAt']> {
  const found: ReturnType<DebugInfo['scopesAt']> = [];
  for (const child of die.children) {
    if (child.tag === TAG.formal_parameter || child.tag === TAG.variable) {
      const type = debug.typeOf(child.inherited(AT.type) ?? child);
      found.push({ name: child.name ?? '', kind: 'local', type, die: child, location: variableLocation(child, type), depth: 0 });
    } else {
      found.push(...allVariables(debug, child));
    }
  }
  return found;
}
