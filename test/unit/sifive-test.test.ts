// sifive_test finisher: pass, fail with a status, reset, and everything else ignored.
import { describe, expect, it } from 'vitest';
import { SifiveTest, type FinisherRequest } from '../../server/src/devices/sifive-test';

function finisher() {
  const requests: FinisherRequest[] = [];
  return { device: new SifiveTest((request) => requests.push(request)), requests };
}

describe('sifive_test', () => {
  it('powers off with status 0 on 0x5555 and stops the core', () => {
    const { device, requests } = finisher();
    expect(device.write(0, 4, 0x5555n)).toBe('stop');
    expect(requests).toEqual([{ kind: 'power-off', status: 0 }]);
  });

  it('fails with the status in the upper half on 0x3333', () => {
    const { device, requests } = finisher();
    expect(device.write(0, 4, (7n << 16n) | 0x3333n)).toBe('stop');
    expect(requests).toEqual([{ kind: 'fail', status: 7 }]);
  });

  it('asks for a reset on 0x7777, also with a 2-byte store', () => {
    const { device, requests } = finisher();
    expect(device.write(0, 2, 0x7777n)).toBe('stop');
    expect(requests).toEqual([{ kind: 'reset' }]);
  });

  it('ignores other values and offsets, reads zero, and faults on bytes', () => {
    const { device, requests } = finisher();
    expect(device.write(0, 4, 0x1234n)).toBe('ok');
    expect(device.write(4, 4, 0x5555n)).toBe('ok');
    expect(requests).toEqual([]);
    expect(device.read(0, 4)).toBe(0);
    expect(device.write(0, 1, 0x55n)).toBe('fault');
    expect(device.read(0, 8)).toBeUndefined();
  });
});
