import { HmbDecodeError } from '../errors/decode-error';
import type { HmbFrame } from './message';
import { frameFromWire } from './wire-message';

/**
 * Decodes a complete JSON /recv body: one object whose keys count from `"0"`, each value a message
 * (`{"0":{…},"1":{…}}`). An empty body is not valid JSON; callers treat it as "no messages, the
 * server is shutting down" before calling this (docs/protocol.md §10).
 *
 * @throws HmbDecodeError when the body is not such an object.
 */
export function decodeJsonFrames(text: string): HmbFrame[] {
  return [...jsonFramesOf(text)];
}

/**
 * The frames of a JSON /recv body, each made from its parsed message only when iteration reaches
 * it. The body is parsed and its shape checked first, so a body that is not a message list fails
 * before any frame is read; a message that is not a valid one fails when it is reached, after the
 * frames before it, as in bsonFramesOf. Made one by one, a frame is garbage as soon as its
 * subscriber is done with it, instead of some 10,000 of them living until the last is delivered.
 *
 * @throws HmbDecodeError when the body is not such an object (at once) or a message is not valid
 *   (when reached).
 */
export function jsonFramesOf(text: string): Iterable<HmbFrame> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new HmbDecodeError(`invalid JSON in a message list: ${(cause as Error).message}`, {
      cause,
      body: excerpt(text),
    });
  }
  const list = checkedJsonList(parsed, text);
  return { [Symbol.iterator]: () => new JsonFrameIterator(list) };
}

/**
 * The parsed list, once it is known to be an object that is empty or has a key `"0"`. Keys must
 * count from 0 without a hole, as the server writes them: the frames end at the first one missing.
 */
function checkedJsonList(parsed: unknown, text: string): Record<string, unknown> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HmbDecodeError('a JSON message list must be an object {"0": …}', {
      body: excerpt(text),
    });
  }
  const list = parsed as Record<string, unknown>;
  if (list[0] === undefined && Object.keys(list).length > 0) {
    throw new HmbDecodeError('a JSON message list must have keys "0", "1", …', {
      body: excerpt(text),
    });
  }
  return list;
}

/**
 * Frames of a parsed list in key order, by counter: integer-like keys come back from JSON.parse in
 * ascending order, and indexing by counter is faster than Object.keys. An iterator class rather
 * than a generator, for the reason given in bson-codec.ts.
 */
class JsonFrameIterator implements Iterator<HmbFrame> {
  private index = 0;

  constructor(private readonly list: Record<string, unknown>) {}

  next(): IteratorResult<HmbFrame> {
    const value = this.list[this.index];
    if (value === undefined) return { done: true, value: undefined };
    this.index++;
    return { done: false, value: frameFromWire(value) };
  }
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
