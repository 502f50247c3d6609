import { BSON } from 'bson';
import { HmbDecodeError } from '../errors/decode-error';
import { MAX_BSON_DOCUMENT_BYTES, readInt32LE } from './bson-framing';
import { recordBsonNumberTypes } from './bson-number-types';

// One BSON document of a message list: its length prefix, and js-bson's reading of it.

/**
 * Options for reading documents: int64 values that fit in 53 bits become numbers (so `seq` is a
 * plain number) while larger ones stay `Long` and keep their precision; binary data stays a
 * `Binary` (with its subtype) and dates become `Date`, so both survive being sent on again. A
 * regex stays a `BSONRegExp` (pattern and options as sent): a Go or Python pattern is often not a
 * valid JavaScript `RegExp` (`(?P<name>…)`), which would make the whole message undecodable, and
 * JavaScript flags cannot say every BSON option. See docs/data-types.md.
 */
const DESERIALIZE_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

/**
 * Reads the length prefix of the document at `offset` and checks that the whole document is there.
 *
 * @throws HmbDecodeError when the prefix is impossible or the document is cut short.
 */
export function readDocumentLength(bytes: Uint8Array, offset: number): number {
  if (bytes.length - offset < 4) {
    throw new HmbDecodeError(
      `truncated BSON document at byte ${offset}: only ${bytes.length - offset} bytes left`,
    );
  }
  const length = readInt32LE(bytes, offset);
  if (length < 5 || length > MAX_BSON_DOCUMENT_BYTES) {
    throw new HmbDecodeError(`corrupt BSON document at byte ${offset}: length prefix ${length}`);
  }
  if (offset + length > bytes.length) {
    throw new HmbDecodeError(
      `truncated BSON document at byte ${offset}: ${length} bytes announced, ${bytes.length - offset} present`,
    );
  }
  return length;
}

/** {@link DESERIALIZE_OPTIONS} for a document read where it lies in a larger buffer. */
const IN_PLACE_OPTIONS = {
  ...DESERIALIZE_OPTIONS,
  allowObjectSmallerThanBufferSize: true,
  index: 0,
};

/**
 * {@link deserializeDocument} of the document at `bytes[start…]`, read where it lies: no view of it
 * is made first (a Buffer view per payload document cost a small message about 0.15 µs,
 * docs/benchmarks.md). The caller has checked its framing.
 *
 * @throws HmbDecodeError when js-bson finds it corrupt.
 */
export function deserializeDocumentAt(bytes: Uint8Array, start: number): Record<string, unknown> {
  // Deserializing is synchronous and never re-entered: one options object serves every call.
  IN_PLACE_OPTIONS.index = start;
  return deserializedWith(bytes, start, IN_PLACE_OPTIONS, start);
}

/**
 * Deserializes one whole BSON document, recording the wire type of the numbers a plain number
 * would not re-encode as (see {@link recordBsonNumberTypes}), so that relays keep types.
 *
 * @throws HmbDecodeError when js-bson finds it corrupt.
 */
export function deserializeDocument(doc: Uint8Array, offset = 0): Record<string, unknown> {
  return deserializedWith(doc, 0, DESERIALIZE_OPTIONS, offset);
}

/** js-bson's reading of the document at `bytes[start…]` with its number types recorded. */
function deserializedWith(
  bytes: Uint8Array,
  start: number,
  options: typeof DESERIALIZE_OPTIONS,
  reportedOffset: number,
): Record<string, unknown> {
  let decoded: Record<string, unknown>;
  try {
    decoded = BSON.deserialize(bytes, options) as Record<string, unknown>;
  } catch (cause) {
    throw new HmbDecodeError(
      `corrupt BSON document at byte ${reportedOffset}: ${(cause as Error).message}`,
      { cause },
    );
  }
  recordBsonNumberTypes(decoded, bytes, start);
  return decoded;
}
