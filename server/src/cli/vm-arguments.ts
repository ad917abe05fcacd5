// A VM's command-line flags as `lantern create` sends them: the server runs in another folder, so
// every file the flags name (-kernel, -bios, -initrd, -dtb, -D, -loadvm, -drive file=, -icount
// rrfile=) is made absolute against the client's working directory. Everything else passes as is.
import * as path from 'node:path';

/** Options whose whole value is a file. */
const FILE_OPTIONS = new Set(['kernel', 'bios', 'initrd', 'dtb', 'D', 'loadvm']);
/** Options whose value is a QEMU property list with one file property. */
const PROPERTY_FILES: Record<string, string> = { drive: 'file', icount: 'rrfile' };
/** -bios words that are not files. */
const BIOS_WORDS = new Set(['none', 'default']);

export function absoluteVmArguments(args: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    if (name === undefined || (!FILE_OPTIONS.has(name) && !(name in PROPERTY_FILES))) {
      out.push(arg);
      continue;
    }
    if (match![2] !== undefined) {
      out.push(`${arg.slice(0, arg.indexOf('='))}=${absoluteValue(name, match![2], cwd)}`);
    } else if (i + 1 < args.length) {
      out.push(arg, absoluteValue(name, args[++i]!, cwd));
    } else {
      out.push(arg);
    }
  }
  return out;
}

function absoluteValue(option: string, value: string, cwd: string): string {
  const property = PROPERTY_FILES[option];
  if (property !== undefined) return absoluteProperty(value, property, cwd);
  if (option === 'bios' && BIOS_WORDS.has(value)) return value;
  // -loadvm NAME looks in the snapshot folder; only a path (a / or .lsnap) is a file here.
  if (option === 'loadvm' && !value.includes('/') && !value.includes(path.sep) && !value.endsWith('.lsnap')) return value;
  return value === '' ? value : path.resolve(cwd, value);
}

/** `key=value,...` with QEMU's `,,` for a comma inside a value: makes `property`'s value absolute. */
function absoluteProperty(spec: string, property: string, cwd: string): string {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === ',' && spec[i + 1] === ',') {
      current += ',,';
      i++;
    } else if (spec[i] === ',') {
      parts.push(current);
      current = '';
    } else {
      current += spec[i];
    }
  }
  parts.push(current);
  return parts.map((part) => {
    if (!part.startsWith(`${property}=`)) return part;
    const file = part.slice(property.length + 1).replace(/,,/g, ',');
    return file === '' ? part : `${property}=${path.resolve(cwd, file).replace(/,/g, ',,')}`;
  }).join(',');
}
