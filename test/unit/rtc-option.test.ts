// The -rtc option: QEMU's base=utc|localtime|DATE forms, compatible clock/driftfix settings,
// one-line errors for bad values, and the start time each base gives the RTC.
import { describe, expect, it } from 'vitest';
import { parseArguments, parseRtc, rtcStartTime, UsageError } from '../../server/src/cli/options';

describe('-rtc', () => {
  it('reads base=utc (the default), base=localtime and fixed dates', () => {
    expect(parseRtc(undefined)).toEqual({ kind: 'utc' });
    expect(parseRtc('base=utc')).toEqual({ kind: 'utc' });
    expect(parseRtc('base=localtime,clock=vm')).toEqual({ kind: 'localtime' });
    expect(parseRtc('base=2006-06-17T16:01:21')).toEqual({ kind: 'date', ns: 1_150_560_081_000_000_000n });
    expect(parseRtc('base=2006-06-17,driftfix=slew,clock=host')).toEqual({ kind: 'date', ns: 1_150_502_400_000_000_000n });
    expect(parseRtc('clock=rt')).toEqual({ kind: 'utc' });
  });

  it('rejects bad dates and settings with one line naming the value', () => {
    const bad = ['base=2006-13-01', 'base=2006-02-30', 'base=2006-06-17T24:00:00', 'base=1969-12-31',
      'base=yesterday', 'base=2006-06-17T16:01', 'clock=wall', 'frob=1', 'base='];
    for (const spec of bad) {
      expect(() => parseRtc(spec)).toThrow(UsageError);
      try {
        parseRtc(spec);
      } catch (error) {
        expect((error as Error).message).toMatch(new RegExp(`^-rtc ${spec}: [^\\n]+$`));
      }
    }
  });

  it('gives the machine its start time from the host clock or the date', () => {
    const now = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(rtcStartTime({ kind: 'utc' }, now)).toBe(BigInt(now.getTime()) * 1_000_000n);
    expect(rtcStartTime({ kind: 'localtime' }, now)).toBe(BigInt(now.getTime() - now.getTimezoneOffset() * 60_000) * 1_000_000n);
    expect(rtcStartTime({ kind: 'date', ns: 42n }, now)).toBe(42n);
  });

  it('is a run option of the command line', () => {
    const invocation = parseArguments(['-bios', 'none', '-kernel', 'k.elf', '-rtc', 'base=2020-02-29T12:00:00']);
    expect(invocation).toMatchObject({ kind: 'run', options: { rtcBase: { kind: 'date', ns: BigInt(Date.UTC(2020, 1, 29, 12)) * 1_000_000n } } });
    expect(() => parseArguments(['-bios', 'none', '-kernel', 'k.elf', '-rtc', 'base=2020-02-30'])).toThrow(/-rtc base=2020-02-30: invalid date/);
  });
});
