import { BSON } from 'bson';
import type { HmbInvalidMessageError } from '../errors/invalid-message-error';
import { isHmbError } from '../errors/hmb-error';
import { concatBytes } from './concat-bytes';
import type { HmbFormat } from './hmb-format';
import type { HmbOutgoing } from './outgoing';
import {
  bsonRefusal,
  checkedToJson,
  checkOutgoing,
  utf8Length,
  type HmbCheckedOutgoing,
} from './outgoing-wire';

// One /send body built in one pass over its messages: each is checked, mapped and encoded as its
// batch goes out (JSON text appended to one string, BSON documents copied into one buffer), with no
// encoded copy per message kept while it waits. A sink that held every accepted message's encoding
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
  memo?: HmbSendBatchMemo,
): HmbSendBatch<M> {
  if (format === 'bson') return bsonBatch(queue, start, end, limits);
  const count = Math.min(limits.maxMessages, end - start);
  const likelyFits = memo === undefined || memo.jsonBytesPerMessage * count <= limits.maxBytes;
  // What the one-go attempt checked, kept for the message-by-message packing if it falls back.
  const checkedAt: HmbCheckedOutgoing[] = [];
  const batch =
    (likelyFits ? jsonBatchAtOnce(queue, start, end, limits, checkedAt) : undefined) ??
    jsonBatch(queue, start, end, limits, checkedAt);
  // Characters, not bytes: close enough to choose the way, and no scan of the body.
  if (memo !== undefined && batch.messages.length > 0)
    memo.jsonBytesPerMessage = batch.body.length / batch.messages.length;
  return batch;
}

/**
 * What a caller that encodes batch after batch (a sink) keeps between them: how large the last
 * JSON batch was per message (in characters), to tell whether the next one will likely fit its
 * byte bound whole.
 */
export interface HmbSendBatchMemo {
  jsonBytesPerMessage: number;
}

/**
 * The JSON batch written by one `JSON.stringify` of all its checked messages, as a hand-written
 * sender does: half again as fast as text per message joined (bench/sink-cpu.ts). `undefined`
 * when it cannot be: a message needs the exact writer (`-0`), the writer throws (the message to
 * blame is then found one by one), or the whole is over `maxBytes` (packed one by one instead, as
 * many as fit). The messages are checked in the same order and with the same refusals either way;
 * each check is kept in `checkedAt[i - start]`, so that the fallback does not check again.
 */
function jsonBatchAtOnce<M extends HmbOutgoing>(
  queue: readonly M[],
  start: number,
  end: number,
  { maxMessages, maxBytes }: HmbSendBatchLimits,
  checkedAt: HmbCheckedOutgoing[],
): HmbSendBatch<M> | undefined {
  const messages: M[] = [];
  const refused: { message: M; error: HmbInvalidMessageError }[] = [];
  const list: Record<number, unknown> = {};
  for (let i = start; i < end && messages.length < maxMessages; i++) {
    const message = queue[i]!;
    let checked: HmbCheckedOutgoing;
    try {
      checked = checkOutgoing(message, 'json');
    } catch (error) {
      if (messages.length > 0) break;
      refused.push({ message, error: refusalOf(error) });
      continue;
    }
    checkedAt[i - start] = checked;
    if (checked.exactJson) return undefined;
    list[messages.length] = checked.wire;
    messages.push(message);
  }
  if (messages.length === 0) return { body: '', messages, refused };
  let body: string;
  try {
    body = JSON.stringify(list);
  } catch {
    return undefined;
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a body that might be over is measured.
  if (messages.length > 1 && 3 * body.length > maxBytes && utf8Length(body) > maxBytes)
    return undefined;
  return { body, messages, refused };
}

function refusalOf(error: unknown): HmbInvalidMessageError {
  if (isHmbError(error, 'HMB_ERR_INVALID_MESSAGE')) return error as HmbInvalidMessageError;
  throw error;
}

/** The JSON batch written message by message, as many as fit; `checkedAt` as jsonBatchAtOnce left it. */
function jsonBatch<M extends HmbOutgoing>(
  queue: readonly M[],
  start: number,
  end: number,
  { maxMessages, maxBytes }: HmbSendBatchLimits,
  checkedAt: readonly HmbCheckedOutgoing[],
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
      text = checkedToJson(message, checkedAt[i - start] ?? checkOutgoing(message, 'json'));
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
  const documents: Uint8Array[] = [];
  let bytes = 0;
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
    let document: Uint8Array;
    try {
      // serialize() rather than serializing into a shared buffer: js-bson copies each document
      // out of its own buffer either way, and into a pooled allocation (in Node) faster than into
      // an offset of ours; the body is then one more copy, or none for a one-message send.
      document = BSON.serialize(wire);
    } catch (cause) {
      if (messages.length > 0) break;
      refused.push({ message, error: bsonRefusal(message, cause) });
      continue;
    }
    if (messages.length > 0 && bytes + document.length > maxBytes) break;
    documents.push(document);
    bytes += document.length;
    messages.push(message);
  }
  return { body: concatBytes(documents, bytes), messages, refused };
}
