// qXfer reads ("General Query Packets" > qXfer:object:read:annex:offset,length): the target
// description (features) and the thread list (threads), served in pieces of at most `length`
// bytes that fit a packet: `m<data>` when more follows, `l<data>` for the last piece, the
// data escaped as binary ("Binary Data").
import type { DebugTarget } from '../../server/src/debug/target';
import { escapedLength } from '../framing';
import { Errors, reply, type HandlerContext, type Outcome, type PacketHandler } from '../handler';
import { parseHexCount } from '../hex';
import { describeTarget, escapeXml } from '../target-description';
import { threadId } from '../thread-id';
import { describeHart } from './thread';

const descriptions = new WeakMap<DebugTarget, ReadonlyMap<string, string>>();

function description(target: DebugTarget): ReadonlyMap<string, string> {
  let documents = descriptions.get(target);
  if (!documents) {
    documents = describeTarget(target.xlen, target.registers);
    descriptions.set(target, documents);
  }
  return documents;
}

/** `<threads>`: each hart with its core number and, as the text, what `info threads` shows. */
function threadsXml(target: DebugTarget): string {
  const threads = target.harts().map((info) =>
    `<thread id="${threadId(info.hart)}" core="${info.hart}">${escapeXml(describeHart(info))}</thread>`);
  return `<?xml version="1.0"?>\n<threads>\n${threads.join('\n')}\n</threads>\n`;
}

/** The document an object/annex names, or undefined when there is none. */
function documentFor({ target, state }: HandlerContext, object: string, annex: string, offset: number): string | undefined {
  if (object === 'features') {
    const text = description(target).get(annex);
    return text === undefined ? undefined : utf8Bytes(text);
  }
  if (annex !== '') return undefined;
  // The thread list is taken when gdb starts reading it and kept for the following pieces.
  const key = 'threads:';
  let document = offset === 0 ? undefined : state.xferCache.get(key);
  if (document === undefined) {
    document = utf8Bytes(threadsXml(target));
    state.xferCache.set(key, document);
  }
  return document;
}

/** A document as its UTF-8 bytes, one latin1 char a byte (offsets and lengths count bytes). */
function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The piece of `document` at `offset`: at most `length` bytes, escaped within the packet size. */
function piece(document: string, offset: number, length: number, packetSize: number): string {
  if (offset >= document.length) return 'l';
  let end = Math.min(document.length, offset + length);
  const room = packetSize - 1;
  let chunk = document.slice(offset, end);
  while (escapedLength(chunk) > room) {
    end = offset + Math.max(1, Math.floor(chunk.length / 2));
    chunk = document.slice(offset, end);
  }
  return (end < document.length ? 'm' : 'l') + chunk;
}

function xferRead(context: HandlerContext, args: string): Outcome {
  // features:read:target.xml:0,fff  /  threads:read::0,fff
  const [object, operation] = args.split(':', 2);
  if ((object !== 'features' && object !== 'threads') || operation !== 'read') return reply('');
  const rest = args.slice(object.length + operation.length + 2);
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return reply(Errors.xferAnnex);
  const annex = rest.slice(0, colon);
  const [offsetText, lengthText, extra] = rest.slice(colon + 1).split(',');
  const offset = parseHexCount(offsetText ?? '', Number.MAX_SAFE_INTEGER);
  const length = parseHexCount(lengthText ?? '', context.packetSize);
  if (offset === undefined || length === undefined || extra !== undefined) return reply(Errors.xferAnnex);
  const document = documentFor(context, object, annex, offset);
  if (document === undefined) return reply(Errors.xferAnnex);
  return reply(piece(document, offset, Math.max(length, 1), context.packetSize));
}

export const xferHandlers: readonly PacketHandler[] = [{ name: 'qXfer', handle: xferRead }];
