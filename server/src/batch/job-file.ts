// The job file of `lantern batch`: its JSON schema, and a strict reader that turns it into Jobs
// or refuses it with one line naming the job and the field.
//
// {
//   "description": "OS course, lab 3",  optional, not used: JSON has no comments
//   "defaults": {                      optional; a job's own fields win (see each field)
//     "args": ["-M", "virt", "-bios", "none", "-nographic"],   put before every job's args
//     "steps": [ ... ],                a job without "steps" runs these
//     "expect": [ ... ],               checked on every job, before the job's own checks
//     "exitStatus": 0,                 default 0
//     "timeout": 60,                   default 60
//     "files": { "disk.img": "blank.img" }   merged with the job's (the job's win by name)
//   },
//   "jobs": [                          at least one
//     {
//       "name": "alice",               required: letters, digits, '.', '_', '-' (not first '.'),
//                                      unique ignoring case; names the log (NAME.log) and the testcase
//       "args": ["-smp", "2", "-kernel", "alice/kernel.elf"],
//                                      lantern's (QEMU's) flags, as on its command line; the
//                                      console must be stdio (-nographic or -serial stdio);
//                                      "{work}" in an argument is the job's own folder (files)
//       "steps": [                     the console script, in order:
//         { "waitFor": "login: ", "type": "root" },        wait for text, then type a line (+ "\n")
//         { "waitFor": { "regex": "\\$ $", "flags": "m" }, "send": "\u0001x" }   or send bytes as they are
//       ],                             a step has waitFor, type or send, or waitFor with one of them
//       "expect": [                    every check must hold on the console output
//         { "contains": "uart: got" }, { "notContains": "panic" },
//         { "regex": "counter (\\d+)", "flags": "i" }, { "notRegex": "fault at 0x[0-9a-f]+" }
//       ],
//       "exitStatus": 0,               the status Lantern must end with (0-255), or null for any
//       "timeout": 10,                 wall-clock seconds until the job is killed and fails
//       "files": { "disk.img": "alice/disk.img" }
//                                      copied into the job's own folder ({work}) before it starts,
//                                      so a kernel that writes its disk gets a fresh copy each run
//     }
//   ]
// }
//
// Relative paths (the kernel in args, the sources of files) resolve against the job file's
// folder: each job runs with that folder as its working directory, and files are copied from
// there. Regex flags are JavaScript's i, m, s and u. Matching and checks see the console
// output with "\r\n" as "\n". The limit is wall-clock time only: Lantern counts the guest's
// steps, but a child process cannot be asked for them cheaply, so no step limit is offered.
import * as path from 'node:path';

/** Text to find in the console output: literal, or a regular expression. */
export type TextPattern =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string };

/** One step of the console script. */
export interface ScriptStep {
  /** Wait until this appears after the previous step's match (undefined: go on at once). */
  readonly waitFor?: TextPattern;
  /** Then write these bytes to the console ("type" is the line with "\n" after it). */
  readonly input?: string;
}

/** One check on the console output. */
export type OutputCheck =
  | { readonly kind: 'contains'; readonly text: string }
  | { readonly kind: 'not-contains'; readonly text: string }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string }
  | { readonly kind: 'not-regex'; readonly source: string; readonly flags: string };

/** A check and where the job file gives it ("expect[0]", "defaults.expect[1]"), for messages. */
export interface JobCheck {
  readonly where: string;
  readonly check: OutputCheck;
}

/** A file copied into the job's folder: `name` there, from `source` (absolute). */
export interface JobInputFile {
  readonly name: string;
  readonly source: string;
}

/** One job, defaults applied and paths resolved. */
export interface Job {
  readonly name: string;
  readonly args: readonly string[];
  readonly steps: readonly ScriptStep[];
  readonly expect: readonly JobCheck[];
  /** null: any status passes. */
  readonly exitStatus: number | null;
  readonly timeoutSeconds: number;
  readonly files: readonly JobInputFile[];
}

export interface JobFile {
  /** The job file, absolute. */
  readonly path: string;
  /** Its folder: the jobs' working directory, against which relative paths resolve. */
  readonly folder: string;
  readonly jobs: readonly Job[];
}

/** The job file cannot be used; the message is one line. */
export class JobFileError extends Error {
  override readonly name = 'JobFileError';
}

export const DEFAULT_TIMEOUT_SECONDS = 60;
const JOB_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const REGEX_FLAGS = /^(?!.*(.).*\1)[imsu]*$/; // stateful g and y would make a pattern match differently each time
const TOP_FIELDS = ['description', 'defaults', 'jobs'];
const JOB_FIELDS = ['name', 'args', 'steps', 'expect', 'exitStatus', 'timeout', 'files'];
const DEFAULT_FIELDS = JOB_FIELDS.filter((field) => field !== 'name');

/** Where a value sits, for errors: "jobs[2] \"alice\": expect[0].regex". */
class Place {
  constructor(private readonly owner: string, private readonly field: string) {}
  at(part: string | number): Place {
    const field = typeof part === 'number' ? `${this.field}[${part}]` : this.field === '' ? part : `${this.field}.${part}`;
    return new Place(this.owner, field);
  }
  fail(problem: string): never {
    const where = [this.owner, this.field].filter((part) => part !== '').join(': ');
    throw new JobFileError(where === '' ? problem : `${where}: ${problem}`);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: Json | undefined, place: Place, fields: readonly string[]): JsonObject {
  if (!isObject(value)) place.fail('expected an object');
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) place.fail(`unknown field "${key}" (expected ${fields.join(', ')})`);
  }
  return value;
}

function stringAt(value: Json | undefined, place: Place, nonEmpty = false): string {
  if (typeof value !== 'string') place.fail('expected a string');
  if (nonEmpty && value === '') place.fail('expected a non-empty string');
  return value;
}

function arrayAt(value: Json | undefined, place: Place): Json[] {
  if (!Array.isArray(value)) place.fail('expected an array');
  return value;
}

/** A regex and its flags; `place` is the object holding "regex" (or "notRegex") and "flags". */
function regexAt(object: JsonObject, key: string, place: Place): { source: string; flags: string } {
  const source = stringAt(object[key], place.at(key), true);
  const flags = object.flags === undefined ? '' : stringAt(object.flags, place.at('flags'));
  if (!REGEX_FLAGS.test(flags)) place.at('flags').fail(`"${flags}" is not a set of the flags i, m, s, u`);
  try {
    new RegExp(source, flags);
  } catch (error) {
    // "Invalid regular expression: /(/: Unterminated group"
    place.at(key).fail((error as Error).message.replace(/^Invalid/, 'invalid'));
  }
  return { source, flags };
}

/** "text", or { "regex": "...", "flags": "..." }. */
function patternAt(value: Json | undefined, place: Place): TextPattern {
  if (typeof value === 'string') {
    if (value === '') place.fail('expected non-empty text');
    return { kind: 'text', text: value };
  }
  const object = objectAt(value, place, ['regex', 'flags']);
  if (object.regex === undefined) place.fail('expected text, or an object with "regex"');
  return { kind: 'regex', ...regexAt(object, 'regex', place) };
}

function stepAt(value: Json | undefined, place: Place): ScriptStep {
  const object = objectAt(value, place, ['waitFor', 'type', 'send']);
  if (object.type !== undefined && object.send !== undefined) place.fail('give "type" or "send", not both');
  if (object.waitFor === undefined && object.type === undefined && object.send === undefined) {
    place.fail('expected "waitFor", "type" or "send"');
  }
  const waitFor = object.waitFor === undefined ? undefined : patternAt(object.waitFor, place.at('waitFor'));
  let input: string | undefined;
  if (object.type !== undefined) {
    const line = stringAt(object.type, place.at('type'));
    if (/[\r\n]/.test(line)) place.at('type').fail('a typed line holds no line break (use one step per line, or "send")');
    input = `${line}\n`;
  } else if (object.send !== undefined) {
    input = stringAt(object.send, place.at('send'), true);
  }
  return { waitFor, input };
}

const CHECK_KINDS = { contains: 'contains', notContains: 'not-contains', regex: 'regex', notRegex: 'not-regex' } as const;

function checkAt(value: Json | undefined, place: Place): OutputCheck {
  const object = objectAt(value, place, [...Object.keys(CHECK_KINDS), 'flags']);
  const kinds = Object.keys(CHECK_KINDS).filter((key) => object[key] !== undefined) as (keyof typeof CHECK_KINDS)[];
  if (kinds.length !== 1) place.fail(`give exactly one of ${Object.keys(CHECK_KINDS).join(', ')}`);
  const key = kinds[0];
  const kind = CHECK_KINDS[key];
  if (kind === 'regex' || kind === 'not-regex') return { kind, ...regexAt(object, key, place) };
  if (object.flags !== undefined) place.at('flags').fail('flags go with regex or notRegex');
  return { kind, text: stringAt(object[key], place.at(key), true) };
}

function exitStatusAt(value: Json | undefined, place: Place): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    place.fail('expected an integer from 0 to 255, or null for any status');
  }
  return value;
}

function timeoutAt(value: Json | undefined, place: Place): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) place.fail('expected a positive number of seconds');
  return value;
}

function filesAt(value: Json | undefined, place: Place, folder: string): Map<string, string> {
  if (!isObject(value)) place.fail('expected an object of file names to paths');
  const files = new Map<string, string>();
  for (const [name, source] of Object.entries(value)) {
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name) || name.includes('\0')) {
      place.fail(`"${name}" is not a plain file name`);
    }
    files.set(name, path.resolve(folder, stringAt(source, place.at(name), true)));
  }
  return files;
}

/** The fields a job and the defaults share, read where present. */
interface JobFields {
  args?: string[];
  steps?: ScriptStep[];
  expect?: JobCheck[];
  exitStatus?: number | null;
  timeout?: number;
  files?: Map<string, string>;
}

function fieldsAt(object: JsonObject, place: Place, folder: string, prefix = ''): JobFields {
  const fields: JobFields = {};
  if (object.args !== undefined) fields.args = arrayAt(object.args, place.at('args')).map((arg, i) => stringAt(arg, place.at('args').at(i)));
  if (object.steps !== undefined) fields.steps = arrayAt(object.steps, place.at('steps')).map((step, i) => stepAt(step, place.at('steps').at(i)));
  if (object.expect !== undefined) {
    fields.expect = arrayAt(object.expect, place.at('expect')).map((check, i) => ({ where: `${prefix}expect[${i}]`, check: checkAt(check, place.at('expect').at(i)) }));
  }
  if (object.exitStatus !== undefined) fields.exitStatus = exitStatusAt(object.exitStatus, place.at('exitStatus'));
  if (object.timeout !== undefined) fields.timeout = timeoutAt(object.timeout, place.at('timeout'));
  if (object.files !== undefined) fields.files = filesAt(object.files, place.at('files'), folder);
  return fields;
}

/** Reads a job file's text; `file` is its path (for resolving and for messages). */
export function parseJobFile(text: string, file: string): JobFile {
  const absolute = path.resolve(file);
  const folder = path.dirname(absolute);
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (error) {
    throw new JobFileError(`not valid JSON: ${withLineAndColumn(jsonProblem((error as Error).message), text)}`);
  }
  const top = objectAt(json, new Place('', ''), TOP_FIELDS);
  if (top.description !== undefined) stringAt(top.description, new Place('', 'description'));
  const defaults = top.defaults === undefined
    ? {}
    : fieldsAt(objectAt(top.defaults, new Place('', 'defaults'), DEFAULT_FIELDS), new Place('', 'defaults'), folder, 'defaults.');
  const entries = arrayAt(top.jobs, new Place('', 'jobs'));
  if (entries.length === 0) new Place('', 'jobs').fail('expected at least one job');
  const seen = new Set<string>();
  const jobs = entries.map((entry, index): Job => {
    const unnamed = new Place(`jobs[${index}]`, '');
    const object = objectAt(entry, unnamed, JOB_FIELDS);
    const name = stringAt(object.name, unnamed.at('name'));
    if (!JOB_NAME.test(name)) unnamed.at('name').fail(`"${name}" is not a name of letters, digits, '.', '_' and '-'`);
    // Case folded: on macOS and Windows, ALICE.log and alice.log are one file.
    if (seen.has(name.toLowerCase())) unnamed.at('name').fail(`"${name}" names an earlier job too (names are compared ignoring case)`);
    seen.add(name.toLowerCase());
    const own = fieldsAt(object, new Place(`job "${name}"`, ''), folder);
    const files = new Map([...(defaults.files ?? []), ...(own.files ?? [])]);
    return {
      name,
      args: [...(defaults.args ?? []), ...(own.args ?? [])],
      steps: own.steps ?? defaults.steps ?? [],
      expect: [...(defaults.expect ?? []), ...(own.expect ?? [])],
      exitStatus: own.exitStatus !== undefined ? own.exitStatus : defaults.exitStatus !== undefined ? defaults.exitStatus : 0,
      timeoutSeconds: own.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      files: [...files].map(([fileName, source]) => ({ name: fileName, source })),
    };
  });
  return { path: absolute, folder, jobs };
}

/** JSON.parse's message without the quoted text some carry: `Unexpected token '}', "{"x"}" is not valid JSON`. */
function jsonProblem(message: string): string {
  return message.replace(/^(Unexpected token .+?), (?:\.\.\.)?".*is not valid JSON$/s, '$1').split('\n')[0];
}

/** JSON.parse's "... at position 12" as "... at line 2 column 5", which an editor can go to. */
function withLineAndColumn(message: string, text: string): string {
  return message.replace(/ at position (\d+)(?: \(line \d+ column \d+\))?$/, (_, offset: string) => {
    const before = text.slice(0, Number(offset)).split('\n');
    return ` at line ${before.length} column ${before[before.length - 1].length + 1}`;
  });
}

/** A pattern or check as a grader wrote it: "text" in quotes, /regex/flags. */
export function describePattern(pattern: TextPattern | OutputCheck): string {
  return 'text' in pattern ? JSON.stringify(pattern.text) : `/${pattern.source}/${pattern.flags}`;
}
