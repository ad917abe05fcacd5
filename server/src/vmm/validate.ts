// Checks one request of the control API (vmm/protocol.ts) as it arrived off the wire: known op,
// every field present with its type, names and paths well formed, sizes bounded, nothing extra.
// What passes is a fresh object holding only the checked fields; what fails is one line saying why.
import * as path from 'node:path';
import { MAX_REGISTER_NAMES, REGISTER_NAME, VM_NAME, type Request, type VmLimits } from './protocol';

/** Command-line flags a `create` may carry (QEMU's own lines are far shorter). */
export const MAX_ARGS = 256;
export const MAX_ARG_LENGTH = 4096;
/** Bytes one console-write may carry (latin1: one character a byte). */
export const MAX_CONSOLE_TEXT = 64 * 1024;
/** A snapshot file's path (Linux's PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
/** A `hello` token: the server's are 64 hex digits; anything far longer is not one. */
export const MAX_TOKEN_LENGTH = 1024;
/** Hart numbers a request may name (the board has at most a few; the VM refuses one it lacks). */
const MAX_HART = 1023;
/** The largest step count a limit may name (the clock counts in 64 bits). */
const MAX_STEPS = (1n << 64n) - 1n;

export type Validation = { readonly ok: true; readonly request: Request } | { readonly ok: false; readonly error: string };

type Fields = Record<string, unknown>;
type Check = (fields: Fields, op: string) => Request;

/** A refusal inside a check: its message is the request's one-line error. */
class Malformed extends Error {}

/** Per op: the fields it may carry (all others are refused) and the check that builds it. */
const SHAPES: Record<Request['op'], { readonly keys: readonly string[]; readonly check: Check }> = {
  hello: { keys: ['token'], check: (f) => (f.token === undefined ? { op: 'hello' } : { op: 'hello', token: text(f, 'token', MAX_TOKEN_LENGTH) }) },
  list: { keys: [], check: () => ({ op: 'list' }) },
  inspect: named('inspect'),
  start: named('start'),
  pause: named('pause'),
  resume: named('resume'),
  stop: named('stop'),
  delete: named('delete'),
  shutdown: { keys: [], check: () => ({ op: 'shutdown' }) },
  create: {
    keys: ['name', 'args', 'limits', 'start'],
    check: (f) => ({
      op: 'create',
      name: vmName(f, 'name'),
      args: argList(f.args),
      ...(f.limits === undefined ? {} : { limits: limits(f.limits) }),
      ...(f.start === undefined ? {} : { start: flag(f, 'start') }),
    }),
  },
  'console-read': {
    keys: ['name', 'from'],
    check: (f) => {
      const name = vmName(f, 'name');
      if (typeof f.from !== 'number' || !Number.isSafeInteger(f.from) || f.from < 0) {
        throw new Malformed(`'from' must be a byte offset (a non-negative integer), not ${describe(f.from)}`);
      }
      return { op: 'console-read', name, from: f.from };
    },
  },
  'console-write': {
    keys: ['name', 'text'],
    check: (f) => {
      const name = vmName(f, 'name');
      const typed = text(f, 'text', MAX_CONSOLE_TEXT);
      // Latin1: each character stands for one byte typed.
      if (/[^\x00-\xff]/.test(typed)) throw new Malformed(`'text' must be latin1 (one character per byte, U+0000 to U+00FF)`);
      return { op: 'console-write', name, text: typed };
    },
  },
  snapshot: { keys: ['name', 'file'], check: (f) => ({ op: 'snapshot', name: vmName(f, 'name'), file: absolutePath(f, 'file') }) },
  restore: { keys: ['name', 'file'], check: (f) => ({ op: 'restore', name: vmName(f, 'name'), file: absolutePath(f, 'file') }) },
  registers: {
    keys: ['name', 'hart', 'names'],
    check: (f) => ({
      op: 'registers',
      name: vmName(f, 'name'),
      ...(f.hart === undefined ? {} : { hart: hart(f.hart) }),
      ...(f.names === undefined ? {} : { names: registerNames(f.names) }),
    }),
  },
  clone: {
    keys: ['source', 'newName', 'start'],
    check: (f) => ({
      op: 'clone',
      source: cloneSource(f.source),
      newName: vmName(f, 'newName'),
      ...(f.start === undefined ? {} : { start: flag(f, 'start') }),
    }),
  },
};

/** Checks `raw` (a decoded JSON value) against the request shapes of protocol.ts. */
export function validateRequest(raw: unknown): Validation {
  if (!isPlainObject(raw)) return { ok: false, error: `a request must be an object with an 'op', not ${describe(raw)}` };
  const op = raw.op;
  if (op === undefined) return { ok: false, error: `the request has no 'op'` };
  if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, op)) {
    return { ok: false, error: `unknown op ${describe(op)} (one of ${Object.keys(SHAPES).join(', ')})` };
  }
  const shape = SHAPES[op as Request['op']];
  try {
    for (const key of Object.keys(raw)) {
      if (key !== 'op' && !shape.keys.includes(key)) throw new Malformed(`unknown field ${describe(key)}`);
    }
    return { ok: true, request: shape.check(raw, op) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, error: `${op}: ${error.message}` };
    throw error;
  }
}

/** The ops that name one VM and carry nothing else. */
function named(op: 'inspect' | 'start' | 'pause' | 'resume' | 'stop' | 'delete'): { keys: readonly string[]; check: Check } {
  return { keys: ['name'], check: (f) => ({ op, name: vmName(f, 'name') }) };
}

function vmName(fields: Fields, key: string): string {
  const value = fields[key];
  if (value === undefined) throw new Malformed(`'${key}' is missing`);
  if (typeof value !== 'string' || !VM_NAME.test(value)) {
    throw new Malformed(`'${key}' must be a VM name (a letter or digit, then letters, digits, '.', '_' or '-'; at most 64), not ${describe(value)}`);
  }
  return value;
}

function text(fields: Fields, key: string, maxLength: number): string {
  const value = fields[key];
  if (value === undefined) throw new Malformed(`'${key}' is missing`);
  if (typeof value !== 'string') throw new Malformed(`'${key}' must be a string, not ${describe(value)}`);
  if (value.length > maxLength) throw new Malformed(`'${key}' is longer than ${maxLength} characters`);
  return value;
}

function flag(fields: Fields, key: string): boolean {
  const value = fields[key];
  if (typeof value !== 'boolean') throw new Malformed(`'${key}' must be true or false, not ${describe(value)}`);
  return value;
}

function absolutePath(fields: Fields, key: string): string {
  const value = text(fields, key, MAX_PATH_LENGTH);
  if (value.includes('\0') || !path.isAbsolute(value)) throw new Malformed(`'${key}' must be an absolute path, not ${describe(value)}`);
  return value;
}

function argList(value: unknown): string[] {
  if (value === undefined) throw new Malformed(`'args' is missing`);
  if (!Array.isArray(value)) throw new Malformed(`'args' must be an array of strings, not ${describe(value)}`);
  if (value.length > MAX_ARGS) throw new Malformed(`'args' has ${value.length} items (at most ${MAX_ARGS})`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string') throw new Malformed(`'args[${i}]' must be a string, not ${describe(item)}`);
    if (item.length > MAX_ARG_LENGTH) throw new Malformed(`'args[${i}]' is longer than ${MAX_ARG_LENGTH} characters`);
    if (item.includes('\0')) throw new Malformed(`'args[${i}]' holds a NUL character`);
    return item;
  });
}

function hart(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_HART) {
    throw new Malformed(`'hart' must be a hart number (0 to ${MAX_HART}), not ${describe(value)}`);
  }
  return value;
}

function registerNames(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Malformed(`'names' must be an array of register names, not ${describe(value)}`);
  if (value.length > MAX_REGISTER_NAMES) throw new Malformed(`'names' has ${value.length} items (at most ${MAX_REGISTER_NAMES})`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || !REGISTER_NAME.test(item)) {
      throw new Malformed(`'names[${i}]' must be a register name (a0, x5, pc, mstatus, ...), not ${describe(item)}`);
    }
    return item;
  });
}

function limits(value: unknown): VmLimits {
  if (!isPlainObject(value)) throw new Malformed(`'limits' must be an object ({ steps?, wallMs? }), not ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (key !== 'steps' && key !== 'wallMs') throw new Malformed(`unknown field ${describe(`limits.${key}`)}`);
  }
  const result: { steps?: string; wallMs?: number } = {};
  if (value.steps !== undefined) {
    const steps = value.steps;
    if (typeof steps !== 'string' || !/^[1-9][0-9]{0,19}$/.test(steps) || BigInt(steps) > MAX_STEPS) {
      throw new Malformed(`'limits.steps' must be a positive decimal string below 2^64, not ${describe(steps)}`);
    }
    result.steps = steps;
  }
  if (value.wallMs !== undefined) {
    const wallMs = value.wallMs;
    if (typeof wallMs !== 'number' || !Number.isSafeInteger(wallMs) || wallMs <= 0) {
      throw new Malformed(`'limits.wallMs' must be a positive integer (milliseconds), not ${describe(wallMs)}`);
    }
    result.wallMs = wallMs;
  }
  return result;
}

function cloneSource(value: unknown): { vm: string } | { file: string } {
  if (value === undefined) throw new Malformed(`'source' is missing`);
  if (!isPlainObject(value)) throw new Malformed(`'source' must be { vm: NAME } or { file: PATH }, not ${describe(value)}`);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'vm') return { vm: vmName(value, 'vm') };
  if (keys.length === 1 && keys[0] === 'file') return { file: absolutePath(value, 'file') };
  throw new Malformed(`'source' must hold exactly one of 'vm' or 'file'`);
}

/** An object as JSON.parse makes them (not an array, not null, not a class instance). */
function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A value for an error line: its JSON, cut short, or its type when it has none. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return `a ${typeof value}`;
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
