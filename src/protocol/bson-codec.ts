import { ByteUtils, Long } from 'bson';
import { frameFromBson } from './bson-envelope';
import { readDocumentLength } from './bson-document';
import { readInt32LE } from './bson-framing';
import type { HmbFrame } from './message';

/**
 * Decodes a complete BSON /recv body: documents back to back, no wrapper.
 *
 * @throws HmbDecodeError on a truncated or corrupt document.
 */
export function decodeBsonFrames(body: Uint8Array): HmbFrame[] {
  return [...bsonFramesOf(body)];
}

/**
 * The frames of a BSON message list, each decoded only when iteration reaches it. The framing
 * (every document's length prefix) is checked first, so a truncated or cut body fails before any
 * frame is read, as {@link decodeBsonFrames} does; a document corrupt inside fails when it is
 * reached, after the frames before it.
 *
 * Why: a long-poll answer holds up to 1 MiB, some 10,000 small messages. Decoded all at once, they
 * all stay alive until the last is delivered, and the young-generation collector copies every one
 * of them at each collection on the way: for small BSON messages that was a third of the client's
 * time (bench/receive-throughput.ts, "poll BSON small"). Decoded one by one, a frame is garbage as
 * soon as its subscriber is done with it.
 *
 * @throws HmbDecodeError when the framing is wrong (at once) or a document is corrupt (when reached).
 */
export function bsonFramesOf(body: Uint8Array): Iterable<HmbFrame> {
  // js-bson turns every plain Uint8Array it is given into a Buffer view (in Node) before reading
  // it: converting the body once makes every document below a Buffer already.
  const bytes = ByteUtils.toLocalBufferType(body);
  for (let offset = 0; offset < bytes.length;) offset += readDocumentLength(bytes, offset);
  return { [Symbol.iterator]: () => new BsonFrameIterator(bytes) };
}

/**
 * The iterator of {@link bsonFramesOf}, written out rather than as a generator: with a generator,
 * a 1 MiB answer of 1 KiB messages cost the client about 2 µs per message more, nearly all of it
 * in garbage collection (mark-compacts the plain loop did not need) and in the bus waiting for the
 * CPU the collector took, although decoding itself was as fast (docs/benchmarks.md, §1, "fourth
 * pass").
 */
class BsonFrameIterator implements Iterator<HmbFrame> {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  next(): IteratorResult<HmbFrame> {
    const { bytes, offset } = this;
    if (offset >= bytes.length) return { done: true, value: undefined };
    const length = readInt32LE(bytes, offset);
    this.offset = offset + length;
    return { done: false, value: frameFromBson(bytes.subarray(offset, offset + length), offset) };
  }
}

/**
 * A seq for a BSON body. The server refuses a seq stored as a BSON double (`invalid Sequence`),
 * and js-bson writes a JS number above 2^31 as a double, so every seq goes out as an int64.
 */
export function bsonSeq(seq: number): Long {
  return Long.fromNumber(seq);
}
