// The GDB Remote Serial Protocol stub: a GdbServer over a DebugTarget.
export { GdbServer, type BoundAddress, type GdbServerOptions, type ListenAddress } from './server';
export { GdbSession, PACKET_SIZE, type Connection, type SessionOptions } from './session';
export { PacketParser, encodePacket, type FrameEvent } from './framing';
export { describeTarget, TARGET_XML } from './target-description';
export { formatStopReply } from './stop-reply';
