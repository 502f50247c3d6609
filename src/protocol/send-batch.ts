import { BSON } from 'bson';
import type { HmbInvalidMessageError } from '../errors/invalid-message-error';
import { isHmbError } from '../errors/hmb-error';
import type { HmbFormat } from './hmb-format';
import type { HmbOutgoing } from './outgoing';
import { bsonRefusal, checkedToJson, checkOutgoing, utf8Length } from './outgoing-wire';

// One /send body built in one pass over its messages: each is checked, mapped and encoded straight
// into the body (JSON text appended to one string, BSON documents serialized into one buffer), with
// no encoded copy per message kept in between. A sink that held every accepted message's encoding
// until its batch went out paid for it twice: an object and a string per message, and a garbage
// collector copying all of them while a backlog waited (docs/benchmarks.md, "Send").

/** What {@link encodeSendBatch} made of the first messages of a queue. */
export interface HmbSendBatch<M> {
  /** The /send body: a JSON list `{"0":…}` or BSON documents back to back. Empty when `messages` is. */
  readonly body: string | Uint8Array;
  /** The messages in the body, in order. */
  readonly messages: M[];
  /**
   * Messages at the start of the range that no longer pass the check (changed after they were
   * accepted), with why: they come before `messages` in the queue. A refused message after a good
   * one ends the batch instead, so that the body's messages are always next to each other.
   */
  readonly refused: { readonly message: M; readonly error: HmbInvalidMessageError }[];
}

/** Bounds of one body. */
export interface HmbSendBatchLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

/** Room for the BSON documents of a body, grown when a body needs more; shared (bodies are built synchronously). */
let scratch = new Uint8Array(64 * 1024);
const serializeAt = { index: 0 };

/**
 * Encodes the messages `queue[start…end)` into one /send body, as many as fit `limits` (at least
 * one: a message larger than `maxBytes` goes alone, and the server decides).
 */
export function encodeSendBatch<M extends HmbOutgoing>(
  queue: readonly M[],
  start: number,
  end: number,
  limits: HmbSendBatchLimits,
  format: HmbFormat,
): HmbSendBatch<M> {
  return format === 'json'
    ? jsonBatch(queue, start, end, limits)
    : bsonBatch(queue, start, end, limits);
}

function refusalOf(error: unknown): HmbInvalidMessageError {
  if (isHmbError(error, 'HMB_ERR_INVALID_MESSAGE')) return error as HmbInvalidMessageError;
  throw error;
}

function jsonBatch<M extends HmbOutgoing>(
  queue: readonly M[],
  start: number,
  end: number,
  { maxMessages, maxBytes }: HmbSendBatchLimits,
): HmbSendBatch<M> {
  const messages: M[] = [];
  const refused: { message: M; error: HmbInvalidMessageError }[] = [];
  let body = '{';
  // UTF-8 takes at most 3 bytes per UTF-16 unit: while three times the length fits, so does the
  // body, and no message needs counting; past that, bytes are counted exactly.
  let bytes = 1;
  let exact = false;
  for (let i = start; i < end && messages.length < maxMessages; i++) {
    const message = queue[i]!;
    let text: string;
    try {
      text = checkedToJson(message, checkOutgoing(message, 'json'));
    } catch (error) {
      if (messages.length > 0) break;
      refused.push({ message, error: refusalOf(error) });
      continue;
    }
    const part = `${messages.length > 0 ? ',' : ''}"${messages.length}":${text}`;
    // One more byte for the closing brace.
    let size = exact ? utf8Length(part) : 3 * part.length;
    if (!exact && bytes + size + 1 > maxBytes) {
      exact = true;
      bytes = utf8Length(body);
      size = utf8Length(part);
    }
    if (messages.length > 0 && bytes + size + 1 > maxBytes) break;
    body += part;
    bytes += size;
    messages.push(message);
  }
  return { body: messages.length > 0 ? `${body}}` : '', messages, refused };
}

function bsonBatch<M extends HmbOutgoing>(
  queue: readonly M[],
  start: number,
  end: number,
  { maxMessages, maxBytes }: HmbSendBatchLimits,
): HmbSendBatch<M> {
  const messages: M[] = [];
  const refused: { message: M; error: HmbInvalidMessageError }[] = [];
  let offset = 0;
  for (let i = start; i < end && messages.length < maxMessages; i++) {
    const message = queue[i]!;
    let wire: Record<string, unknown>;
    try {
      wire = checkOutgoing(message, 'bson').wire;
    } catch (error) {
      if (messages.length > 0) break;
      refused.push({ message, error: refusalOf(error) });
      continue;
    }
    let size: number;
    serializeAt.index = offset;
    try {
      // js-bson serializes into its own buffer and copies the document here: no allocation.
      size = BSON.serializeWithBufferAndIndex(wire, scratch, serializeAt) + 1 - offset;
    } catch {
      // No room left here, or a document js-bson refuses: serialize it alone to tell which.
      let document: Uint8Array;
      try {
        document = BSON.serialize(wire);
      } catch (cause) {
        if (messages.length > 0) break;
        refused.push({ message, error: bsonRefusal(message, cause) });
        continue;
      }
      size = document.length;
      if (messages.length > 0 && offset + size > maxBytes) break;
      grow(offset + size);
      scratch.set(document, offset);
    }
    if (messages.length > 0 && offset + size > maxBytes) break;
    offset += size;
    messages.push(message);
  }
  // A copy: the scratch is reused by the next body while this one waits or is retried.
  return { body: scratch.slice(0, offset), messages, refused };
}

/** Makes the scratch hold at least `bytes`, keeping what it holds. */
function grow(bytes: number): void {
  if (scratch.length >= bytes) return;
  const bigger = new Uint8Array(Math.max(bytes, scratch.length * 2));
  bigger.set(scratch);
  scratch = bigger;
}
