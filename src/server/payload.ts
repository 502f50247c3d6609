import { deserialize } from 'bson';
import { BsonType } from './wire/bson-reader';

/**
 * A message payload (`data`, or the legacy `gdacs` document) kept in the form it arrived in:
 * - `json`: the value a JSON sender's text decodes to (float64 numbers), or one the server made;
 * - `bson`: the raw value bytes of a BSON sender's element, forwarded to BSON sessions untouched.
 */
export type Payload =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'bson'; readonly type: number; readonly bytes: Buffer };

/**
 * Decodes a BSON payload into JavaScript values for a filter (js-bson types for what JSON lacks:
 * `Date`, `Long` above 2^53, `Binary`, …). Built as a one-element wrapper document because js-bson
 * only reads documents.
 */
export function payloadToValue(payload: Payload): unknown {
  if (payload.kind === 'json') return payload.value;
  if (payload.type === BsonType.Undefined) return undefined;
  const size = 4 + 1 + 2 + payload.bytes.length + 1;
  const doc = Buffer.allocUnsafe(size);
  doc.writeInt32LE(size, 0);
  doc[4] = payload.type;
  doc[5] = 0x64; // "d"
  doc[6] = 0;
  payload.bytes.copy(doc, 7);
  doc[size - 1] = 0;
  const decoded = deserialize(doc, {
    promoteLongs: true,
    promoteValues: true,
    bsonRegExp: true,
    validation: { utf8: false },
  });
  return decoded.d as unknown;
}
