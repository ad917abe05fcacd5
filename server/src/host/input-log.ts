// The input log of `-icount rr=record|replay,rrfile=FILE`: every byte of console input the
// guest took, with the clock step it took it at, and the run's other inputs from outside (the
// RTC's start time, the randomness seed), so a replay reproduces the run bit for bit.
// One JSON object a line: a header, then {"step": "N", "bytes": "<base64>"} entries (with
// "nic": SLOT for an Ethernet frame the NIC in that virtio slot received).
import * as fs from 'node:fs';
import type { InputEntry } from '../machine/machine';

const FORMAT = 1;

export interface InputLogHeader {
  readonly rtcStart: bigint;
  readonly rngSeed: bigint;
}

/** Writes the log as the run goes (each entry reaches the file at once: a crash loses nothing). */
export class InputLogWriter {
  private readonly fd: number;

  constructor(file: string, header: InputLogHeader) {
    this.fd = fs.openSync(file, 'w');
    fs.writeSync(this.fd, `${JSON.stringify({ lanternInputLog: FORMAT, rtcStart: String(header.rtcStart), rngSeed: String(header.rngSeed) })}\n`);
  }

  record(entry: InputEntry): void {
    const nic = entry.nic === undefined ? {} : { nic: entry.nic };
    fs.writeSync(this.fd, `${JSON.stringify({ step: String(entry.step), bytes: Buffer.from(entry.bytes).toString('base64'), ...nic })}\n`);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Reads a log; throws an Error with one line naming what is wrong. */
export function readInputLog(file: string): { header: InputLogHeader; entries: InputEntry[] } {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const parse = (line: string, n: number): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new Error(`line ${n}: not a JSON object`);
  };
  const integer = (value: unknown, what: string, n: number): bigint => {
    if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new Error(`line ${n}: bad ${what}`);
    return BigInt(value);
  };
  if (lines.length === 0) throw new Error('empty (not an input log)');
  const head = parse(lines[0], 1);
  if (head.lanternInputLog !== FORMAT) throw new Error('not a Lantern input log (or of another format)');
  const header = { rtcStart: integer(head.rtcStart, 'rtcStart', 1), rngSeed: integer(head.rngSeed, 'rngSeed', 1) };
  let last = -1n;
  const entries = lines.slice(1).map((line, i) => {
    const entry = parse(line, i + 2);
    const step = integer(entry.step, 'step', i + 2);
    if (step < last) throw new Error(`line ${i + 2}: steps go backwards`);
    last = step;
    if (typeof entry.bytes !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(entry.bytes)) throw new Error(`line ${i + 2}: bad bytes`);
    const bytes = new Uint8Array(Buffer.from(entry.bytes, 'base64'));
    if (entry.nic === undefined) return { step, bytes };
    if (typeof entry.nic !== 'number' || !Number.isInteger(entry.nic) || entry.nic < 0 || entry.nic > 7) throw new Error(`line ${i + 2}: bad nic`);
    return { step, bytes, nic: entry.nic };
  });
  return { header, entries };
}
