// The BSON fields that /open and /send decode strictly, as the original's own `Sequence` and `Time`
// types do (every other BSON field is read laxly: a wrong type counts as missing).

import { bsonString, BsonType, type BsonElement } from './bson-reader';
import { parseGoTime, type GoTime } from './go-time';
import { MalformedRequest } from './malformed-request';

/**
 * A sequence number: int32 or int64; `null` for BSON null.
 *
 * @throws MalformedRequest `invalid Sequence` for any other type (a double included).
 */
export function bsonSequence(body: Buffer, el: BsonElement): bigint | null {
  if (el.type === BsonType.Int32) return BigInt(body.readInt32LE(el.valueStart));
  if (el.type === BsonType.Int64) return body.readBigInt64LE(el.valueStart);
  if (el.type === BsonType.Null) return null;
  throw new MalformedRequest('invalid Sequence');
}

/**
 * A time: a string parsed with the unquoted layout; `null` for BSON null.
 *
 * @throws MalformedRequest `invalid Time` for any other type, or Go's time-parse text.
 */
export function bsonTime(body: Buffer, el: BsonElement): GoTime | null {
  if (el.type === BsonType.Null) return null;
  if (el.type !== BsonType.String) throw new MalformedRequest('invalid Time');
  const parsed = parseGoTime(bsonString(body, el), false);
  if (!parsed.ok) throw new MalformedRequest(parsed.error);
  return parsed.time;
}
