// Types, enumerators and globals by the names C gives them, for an expression evaluator's casts
// and identifiers: base types ("unsigned long" as gcc's "long unsigned int"), typedefs, and
// `struct X` / `union X` / `enum X` tags (a definition preferred to a declaration), over every
// unit (DWARF 5 section 5.1 "Base Type Entries", 5.3 "Typedef Entries", 5.7, 5.11).
import { AT, TAG } from './constants';
import type { Die } from './info';
import type { Type, TypeReader } from './types';

const BASE_WORDS = new Set(['signed', 'unsigned', 'short', 'long', 'int', 'char', 'float', 'double', '_Bool']);

/**
 * The spelling gcc gives a base type for a list of C specifier words in any order
 * ("unsigned long" and "long unsigned int" → "long unsigned int"; "signed" → "int");
 * undefined when the words are not a C base type.
 */
export function canonicalBaseName(words: readonly string[]): string | undefined {
  if (words.length === 0 || !words.every((word) => BASE_WORDS.has(word))) return undefined;
  const count = (word: string) => words.filter((w) => w === word).length;
  const longs = count('long');
  const isUnsigned = count('unsigned') > 0;
  const isSigned = count('signed') > 0;
  if (isUnsigned && isSigned) return undefined;
  if (count('unsigned') > 1 || count('signed') > 1 || count('short') > 1 || count('int') > 1 || longs > 2) return undefined;
  if (count('_Bool') > 0) return words.length === 1 ? '_Bool' : undefined;
  if (count('float') > 0) return words.length === 1 ? 'float' : undefined;
  if (count('double') > 0) return words.length === 1 ? 'double' : longs === 1 && words.length === 2 ? 'long double' : undefined;
  if (count('char') > 0) {
    if (longs > 0 || count('short') > 0 || count('int') > 0) return undefined;
    return isUnsigned ? 'unsigned char' : isSigned ? 'signed char' : 'char';
  }
  if (count('short') > 0 && longs > 0) return undefined;
  const size = count('short') > 0 ? 'short ' : longs === 2 ? 'long long ' : longs === 1 ? 'long ' : '';
  return `${size}${isUnsigned ? 'unsigned ' : ''}int`;
}

/** Named types, enumerators and globals of every unit, indexed on first use. */
export class TypeNames {
  private readonly types = new Map<string, Die>();
  private readonly enumerators = new Map<string, { die: Die; value: bigint }>();

  constructor(dies: Iterable<Die>, private readonly reader: TypeReader) {
    for (const die of dies) {
      const name = die.name;
      switch (die.tag) {
        case TAG.base_type:
          if (name !== undefined) this.remember(canonicalBaseName(name.split(/\s+/)) ?? name, die);
          break;
        case TAG.typedef:
          if (name !== undefined) this.remember(name, die);
          break;
        case TAG.structure_type: case TAG.class_type: case TAG.union_type: case TAG.enumeration_type: {
          const keyword = die.tag === TAG.union_type ? 'union' : die.tag === TAG.enumeration_type ? 'enum' : 'struct';
          if (name !== undefined) this.remember(`${keyword} ${name}`, die);
          if (die.tag === TAG.enumeration_type) {
            for (const child of die.children) {
              const constant = child.tag === TAG.enumerator && child.name !== undefined ? child.constant(AT.const_value) : undefined;
              if (constant !== undefined && !this.enumerators.has(child.name!)) this.enumerators.set(child.name!, { die, value: constant });
            }
          }
          break;
        }
        default: break;
      }
    }
  }

  /** The type C names `name`: "int", "unsigned long", "u64", "struct trapframe", "enum color". */
  type(name: string): Type | undefined {
    const words = name.trim().split(/\s+/);
    const key = words.length === 2 && (words[0] === 'struct' || words[0] === 'union' || words[0] === 'enum')
      ? words.join(' ')
      : canonicalBaseName(words) ?? words.join(' ');
    const die = this.types.get(key);
    return die ? this.reader.read(die) : undefined;
  }

  /** An enumerator by name: its enum type and value (signed as the enum's type says). */
  enumerator(name: string): { type: Type; value: bigint } | undefined {
    const found = this.enumerators.get(name);
    if (!found) return undefined;
    const type = this.reader.read(found.die);
    const value = type.kind === 'enum' ? type.enumerators.find((e) => e.name === name)?.value ?? found.value : found.value;
    return { type, value };
  }

  private remember(key: string, die: Die): void {
    const known = this.types.get(key);
    // A full definition wins over a declaration (`struct foo;` in a unit that never defines it).
    if (!known || (isDeclaration(known) && !isDeclaration(die))) this.types.set(key, die);
  }
}

function isDeclaration(die: Die): boolean {
  return die.flag(AT.declaration);
}
