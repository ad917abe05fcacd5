// The handler table: every packet family's entries by name (a letter, or a q/Q/v name).
import type { PacketHandler } from '../handler';
import { breakpointHandlers } from './breakpoints';
import { lifecycleHandlers } from './lifecycle';
import { memoryHandlers } from './memory';
import { monitorHandlers } from './monitor';
import { queryHandlers } from './query';
import { registerHandlers } from './registers';
import { resumeHandlers } from './resume';
import { reverseHandlers } from './reverse';
import { threadHandlers } from './thread';
import { xferHandlers } from './xfer';

export const PACKET_HANDLERS: ReadonlyMap<string, PacketHandler> = new Map(
  [
    ...queryHandlers, ...threadHandlers, ...xferHandlers, ...monitorHandlers, ...registerHandlers,
    ...memoryHandlers, ...breakpointHandlers, ...resumeHandlers, ...reverseHandlers, ...lifecycleHandlers,
  ].map((handler) => [handler.name, handler]),
);

/**
 * The table key of a packet and its arguments: the first letter, except for `q`, `Q` and `v`
 * packets, named up to the first `:`, `,` or `;` (the separator is dropped from the arguments).
 */
export function packetKey(packet: string): { name: string; args: string } {
  const first = packet[0];
  if (first !== 'q' && first !== 'Q' && first !== 'v') return { name: packet.slice(0, 1), args: packet.slice(1) };
  const match = /^[^:,;]*/.exec(packet)![0];
  return { name: match, args: packet.slice(match.length + 1) };
}
