import { BSON } from 'bson';
import { HmbDecodeError } from '../errors/decode-error';
import { MAX_BSON_DOCUMENT_BYTES, readInt32LE } from './bson-framing';

// One BSON document of a message list: its length prefix, and js-bson's reading of it.

/**
 * Options for reading documents: int64 values that fit in 53 bits become numbers (so `seq` is a
 * plain number) while larger ones stay `Long` and keep their precision; binary data stays a
 * `Binary` and dates become `Date`, so both survive being sent on again.
 */
const DESERIALIZE_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
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

/**
 * Deserializes one whole BSON document.
 *
 * @throws HmbDecodeError when js-bson finds it corrupt.
 */
export function deserializeDocument(doc: Uint8Array, offset = 0): Record<string, unknown> {
  try {
    return BSON.deserialize(doc, DESERIALIZE_OPTIONS) as Record<string, unknown>;
  } catch (cause) {
    throw new HmbDecodeError(
      `corrupt BSON document at byte ${offset}: ${(cause as Error).message}`,
      { cause },
    );
  }
}
