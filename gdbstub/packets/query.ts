// General queries ("General Query Packets"): the feature handshake and the questions gdb asks
// once on connecting. Thread queries are in thread.ts, qXfer in xfer.ts, qRcmd in monitor.ts.
import { reply, type PacketHandler } from '../handler';

/** What the stub supports, announced in reply to qSupported; bs and bc when the target records history. */
function supported(packetSize: number, canReverse: boolean): string {
  const features = [
    `PacketSize=${packetSize.toString(16)}`,
    'qXfer:features:read+',
    'qXfer:threads:read+',
    'swbreak+',
    'hwbreak+',
    'vContSupported+',
    'QStartNoAckMode+',
  ];
  if (canReverse) features.push('ReverseStep+', 'ReverseContinue+');
  return features.join(';');
}

export const queryHandlers: readonly PacketHandler[] = [
  {
    // `qSupported[:gdbfeature;...]`: remember what gdb understands (swbreak+, hwbreak+).
    name: 'qSupported',
    handle: ({ target, state, packetSize }, args) => {
      state.gdbFeatures.clear();
      for (const feature of args.split(';')) if (feature.endsWith('+')) state.gdbFeatures.add(feature.slice(0, -1));
      return reply(supported(packetSize, target.canReverse));
    },
  },
  // Attached to an existing process (so `quit` detaches rather than kills), as QEMU's system mode.
  { name: 'qAttached', handle: () => reply('1') },
  // A whole-system target is not relocated.
  { name: 'qOffsets', handle: () => reply('Text=0;Data=0;Bss=0') },
  // No symbols wanted.
  { name: 'qSymbol', handle: () => reply('OK') },
  { name: 'QStartNoAckMode', handle: () => ({ kind: 'no-ack-mode' }) },
];
