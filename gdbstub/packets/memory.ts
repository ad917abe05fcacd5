// Memory ("Packets" m, M, X) through the selected hart's view, in the target's address space
// (virtual unless the monitor switched to physical). A read returns what is readable from the
// address on (gdb asks again for the rest), an error only when not even the first byte is.
import { Errors, reply, selectedHart, type HandlerContext, type Outcome, type PacketHandler } from '../handler';
import { bytesToHex, hexToBytes, parseHexBig, parseHexCount } from '../hex';

const ADDRESS_LIMIT = 1n << 64n;

interface Region {
  readonly addr: bigint;
  readonly length: number;
  /** What follows the `:` (M and X). */
  readonly data?: string;
}

/** `addr,length` or `addr,length:data`; the length saturates at `ceiling`. */
function parseRegion(args: string, ceiling: number, withData: boolean): Region | undefined {
  const colon = args.indexOf(':');
  if (withData !== colon >= 0) return undefined;
  const head = withData ? args.slice(0, colon) : args;
  const [addrText, lengthText, extra] = head.split(',');
  if (lengthText === undefined || extra !== undefined) return undefined;
  const addr = parseHexBig(addrText);
  const length = parseHexCount(lengthText, ceiling);
  if (addr === undefined || length === undefined) return undefined;
  return { addr, length, data: withData ? args.slice(colon + 1) : undefined };
}

function write({ target, state }: HandlerContext, region: Region, bytes: Uint8Array | undefined): Outcome {
  if (!bytes || bytes.length !== region.length) return reply(Errors.invalid);
  // A zero-length write is gdb's probe for X support.
  if (bytes.length === 0) return reply('OK');
  if (region.addr + BigInt(bytes.length) > ADDRESS_LIMIT) return reply(Errors.badAddress);
  const ok = target.writeMemory(selectedHart(state, state.general), region.addr, bytes, target.addressSpace);
  return reply(ok ? 'OK' : Errors.badAddress);
}

export const memoryHandlers: readonly PacketHandler[] = [
  {
    name: 'm',
    handle: ({ target, state, packetSize }, args) => {
      // Two hex digits a byte: the reply stays within the packet size.
      const region = parseRegion(args, Math.floor(packetSize / 2), false);
      if (!region) return reply(Errors.invalid);
      const length = Number(BigInt(region.length) < ADDRESS_LIMIT - region.addr ? BigInt(region.length) : ADDRESS_LIMIT - region.addr);
      if (length === 0) return reply('');
      const bytes = target.readMemory(selectedHart(state, state.general), region.addr, length, target.addressSpace);
      if (bytes.length === 0) return reply(Errors.badAddress);
      return reply(bytesToHex(bytes.subarray(0, length)));
    },
  },
  {
    name: 'M',
    handle: (context, args) => {
      const region = parseRegion(args, context.packetSize, true);
      return region ? write(context, region, hexToBytes(region.data!)) : reply(Errors.invalid);
    },
  },
  {
    // Binary data, already unescaped by the framing: one char a byte.
    name: 'X',
    handle: (context, args) => {
      const region = parseRegion(args, context.packetSize, true);
      return region ? write(context, region, Buffer.from(region.data!, 'latin1')) : reply(Errors.invalid);
    },
  },
];
