// The framing of BSON elements: element types, length prefixes, where a value ends and which
// known name an element has, read in place without decoding anything. Shared by the client's
// envelope reader (protocol/bson-envelope.ts) and the embedded bus's document reader
// (server/wire/bson-reader.ts); plain Uint8Array, so it runs in browsers too.

/** BSON element type bytes (bsonspec.org). */
export const enum BsonType {
  Double = 0x01,
  String = 0x02,
  Document = 0x03,
  Array = 0x04,
  Binary = 0x05,
  Undefined = 0x06,
  ObjectId = 0x07,
  Boolean = 0x08,
  DateTime = 0x09,
  Null = 0x0a,
  Regex = 0x0b,
  DbPointer = 0x0c,
  Code = 0x0d,
  Symbol = 0x0e,
  CodeWithScope = 0x0f,
  Int32 = 0x10,
  Timestamp = 0x11,
  Int64 = 0x12,
  Decimal128 = 0x13,
  MinKey = 0xff,
  MaxKey = 0x7f,
}

/** The largest BSON document the original accepts (`invalid BSON size` above it). */
export const MAX_BSON_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Reads a little-endian int32 (a length prefix) without allocating a DataView. */
export function readInt32LE(bytes: Uint8Array, p: number): number {
  return bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
}

/** Where the C string (an element name) starting at `p` ends: its zero byte, or -1 before `limit`. */
export function bsonCStringEnd(bytes: Uint8Array, p: number, limit: number): number {
  // A loop, not indexOf: names are a few bytes long, shorter than a builtin call costs.
  let end = p;
  while (end < limit && bytes[end] !== 0) end++;
  return end < limit ? end : -1;
}

/** Where a length-prefixed, zero-terminated string value starting at `p` ends, or -1. */
export function bsonStringEnd(bytes: Uint8Array, p: number, limit: number): number {
  if (p + 4 > limit) return -1;
  const len = readInt32LE(bytes, p);
  const end = p + 4 + len;
  if (len < 1 || end > limit || bytes[end - 1] !== 0) return -1;
  return end;
}

/**
 * Where the value of an element of type `type` starting at `p` ends, checking its framing
 * (lengths, terminators, boolean bytes); `-1` when it is corrupt or the type unknown. Nested
 * documents are only framed here; the server's `bsonDocumentEnd` checks them in depth.
 */
export function bsonValueEnd(buf: Uint8Array, type: number, p: number, limit: number): number {
  let end: number;
  switch (type) {
    case BsonType.Double:
    case BsonType.DateTime:
    case BsonType.Timestamp:
    case BsonType.Int64:
      end = p + 8;
      break;
    case BsonType.String:
    case BsonType.Code:
    case BsonType.Symbol:
      return bsonStringEnd(buf, p, limit);
    case BsonType.Document:
    case BsonType.Array:
    case BsonType.CodeWithScope: {
      if (p + 5 > limit) return -1;
      end = p + readInt32LE(buf, p);
      if (end < p + 5 || end > limit || buf[end - 1] !== 0) return -1;
      break;
    }
    case BsonType.Binary: {
      if (p + 5 > limit) return -1;
      const len = readInt32LE(buf, p);
      if (len < 0) return -1;
      end = p + 5 + len;
      break;
    }
    case BsonType.Undefined:
    case BsonType.Null:
    case BsonType.MinKey:
    case BsonType.MaxKey:
      return p;
    case BsonType.ObjectId:
      end = p + 12;
      break;
    case BsonType.Boolean:
      if (p >= limit || buf[p]! > 1) return -1;
      return p + 1;
    case BsonType.Regex: {
      const a = bsonCStringEnd(buf, p, limit);
      if (a < 0) return -1;
      const b = bsonCStringEnd(buf, a + 1, limit);
      return b < 0 ? -1 : b + 1;
    }
    case BsonType.DbPointer: {
      const s = bsonStringEnd(buf, p, limit);
      if (s < 0) return -1;
      end = s + 12;
      break;
    }
    case BsonType.Int32:
      end = p + 4;
      break;
    case BsonType.Decimal128:
      end = p + 16;
      break;
    default:
      return -1;
  }
  return end > limit ? -1 : end;
}

/**
 * Which of `names` (each the bytes of an ASCII element name) the bytes `from`..`to` of a BSON
 * document spell, or -1. Reading an element name this way costs no string: the client's envelope
 * reader and the server's document reader both look up a handful of known field names per element.
 */
export function bsonNameIndex(
  bytes: Uint8Array,
  from: number,
  to: number,
  names: readonly ArrayLike<number>[],
): number {
  const length = to - from;
  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    if (name.length !== length) continue;
    let i = 0;
    while (i < length && bytes[from + i] === name[i]) i++;
    if (i === length) return k;
  }
  return -1;
}
