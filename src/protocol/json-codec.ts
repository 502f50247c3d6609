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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new HmbDecodeError(`invalid JSON in a message list: ${(cause as Error).message}`, {
      cause,
      body: excerpt(text),
    });
  }
  return framesFromJsonList(parsed, text);
}

/**
 * Turns a parsed `{"0":…,"1":…}` list into frames, in key order. Keys must count from 0 without a
 * hole, as the server writes them.
 */
export function framesFromJsonList(parsed: unknown, text = ''): HmbFrame[] {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HmbDecodeError('a JSON message list must be an object {"0": …}', {
      body: excerpt(text),
    });
  }
  const list = parsed as Record<string, unknown>;
  const frames: HmbFrame[] = [];
  // Integer-like keys come back from JSON.parse in ascending order, but indexing by counter is
  // both faster than Object.keys and checks that nothing is missing.
  for (let i = 0; ; i++) {
    const value = list[i];
    if (value === undefined) break;
    frames.push(frameFromWire(value));
  }
  if (frames.length === 0 && Object.keys(list).length > 0) {
    throw new HmbDecodeError('a JSON message list must have keys "0", "1", …', {
      body: excerpt(text),
    });
  }
  return frames;
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
