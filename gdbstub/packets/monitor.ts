// `monitor CMD` ("General Query Packets" qRcmd,command): the command (hex) runs through the
// target's monitor for the selected hart; its output goes back as console packets
// (`O<hex>`), each within the packet size, then `OK`.
import { Errors, selectedHart, type HandlerContext, type Outcome, type PacketHandler } from '../handler';
import { bytesToHex, hexToText } from '../hex';

/** The output split into O packets of at most `packetSize` bytes. */
export function consolePackets(text: string, packetSize: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const perPacket = Math.max(1, Math.floor((packetSize - 1) / 2));
  const packets: string[] = [];
  for (let at = 0; at < bytes.length; at += perPacket) packets.push('O' + bytesToHex(bytes.subarray(at, at + perPacket)));
  return packets;
}

async function monitorCommand({ target, state, packetSize }: HandlerContext, args: string): Promise<Outcome> {
  const line = hexToText(args);
  if (line === undefined) return { kind: 'reply', payload: Errors.invalid };
  const done = (text: string, close = false): Outcome => ({ kind: 'reply', payload: 'OK', console: consolePackets(text, packetSize), close });
  if (!target.monitor) return done('lantern: this target has no monitor\n');
  try {
    const result = await target.monitor.command(line, selectedHart(state, state.general));
    // After `quit` the machine is gone: the exit's W follows the reply, then the session ends.
    return done(result.output, result.effect === 'quit');
  } catch (error) {
    return done(`lantern: monitor: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

export const monitorHandlers: readonly PacketHandler[] = [{ name: 'qRcmd', handle: monitorCommand }];
