import { bsonNameIndex } from '../../protocol/bson-name-index';
import { MAX_NESTING_DEPTH } from './go-json-parse';

/**
 * A minimal BSON reader: walks the elements of a document without decoding values, so the server
 * can check a document's structure, pick out the fields it needs and forward a payload as the raw
 * bytes it arrived in. Values are decoded (with js-bson) only when a filter or a JSON session
 * needs them.
 */

/** BSON element type bytes the server looks at. */
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

/** The largest document the original accepts on /send (`invalid BSON size` above it). */
export const MAX_BSON_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** One element of a document: its type, name and the byte span of its value. */
export interface BsonElement {
  readonly type: number;
  readonly name: string;
  /** Offset of the element's type byte. */
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

function cstringEnd(buf: Buffer, p: number, limit: number): number {
  const end = buf.indexOf(0, p);
  return end < 0 || end >= limit ? -1 : end;
}

function int32(buf: Buffer, p: number): number {
  return buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
}

/** Reads a little-endian int32 (the length prefix of documents and strings). */
export function readInt32(buf: Buffer, p: number): number {
  return int32(buf, p);
}

function stringEnd(buf: Buffer, p: number, limit: number): number {
  if (p + 4 > limit) return -1;
  const len = int32(buf, p);
  const end = p + 4 + len;
  if (len < 1 || end > limit || buf[end - 1] !== 0) return -1;
  return end;
}

/**
 * Where the value of an element of type `type` starting at `p` ends, checking its framing
 * (lengths, terminators, boolean bytes); `-1` when it is corrupt or the type unknown. Nested
 * documents are only framed here; {@link bsonDocumentEnd} checks them in depth.
 */
export function bsonValueEnd(buf: Buffer, type: number, p: number, limit: number): number {
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
      return stringEnd(buf, p, limit);
    case BsonType.Document:
    case BsonType.Array:
    case BsonType.CodeWithScope: {
      if (p + 5 > limit) return -1;
      end = p + int32(buf, p);
      if (end < p + 5 || end > limit || buf[end - 1] !== 0) return -1;
      break;
    }
    case BsonType.Binary: {
      if (p + 5 > limit) return -1;
      const len = int32(buf, p);
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
      const a = cstringEnd(buf, p, limit);
      if (a < 0) return -1;
      const b = cstringEnd(buf, a + 1, limit);
      return b < 0 ? -1 : b + 1;
    }
    case BsonType.DbPointer: {
      const s = stringEnd(buf, p, limit);
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

/** {@link bsonDocumentEnd}'s answer for a document nested deeper than {@link MAX_NESTING_DEPTH}. */
export const BSON_TOO_DEEP = -2;

/**
 * Checks a whole document in depth (every nested document, array and code-with-scope) and returns
 * the offset just past it, `-1` when it is corrupt, or {@link BSON_TOO_DEEP}. Iterative, so
 * nesting depth cannot overflow the stack here; the limit protects the recursive steps after it.
 */
export function bsonDocumentEnd(buf: Buffer, start: number, limit = buf.length): number {
  if (start + 5 > limit) return -1;
  const docEnd = start + int32(buf, start);
  if (docEnd < start + 5 || docEnd > limit || buf[docEnd - 1] !== 0) return -1;
  // An explicit stack of (next element offset, offset of the document's terminating zero) pairs,
  // reused between calls: the check runs once per message on the /send hot path.
  const stack = DOC_STACK;
  let depth = 0;
  stack[0] = start + 4;
  stack[1] = docEnd - 1;
  while (depth >= 0) {
    const p = stack[2 * depth]!;
    const last = stack[2 * depth + 1]!;
    if (p === last) {
      depth--;
      continue;
    }
    const type = buf[p]!;
    const nameEnd = cstringEnd(buf, p + 1, last);
    if (nameEnd < 0) return -1;
    const v = nameEnd + 1;
    const end = bsonValueEnd(buf, type, v, last);
    if (end < 0) return -1;
    stack[2 * depth] = end;
    let inner = -1;
    if (type === BsonType.Document || type === BsonType.Array) {
      inner = v + 4;
    } else if (type === BsonType.CodeWithScope) {
      const code = stringEnd(buf, v + 4, end);
      if (code < 0 || code + 5 > end || code + int32(buf, code) !== end) return -1;
      inner = code + 4;
    }
    if (inner >= 0) {
      if (depth + 1 >= MAX_NESTING_DEPTH) return BSON_TOO_DEEP;
      depth++;
      stack[2 * depth] = inner;
      stack[2 * depth + 1] = end - 1;
    }
  }
  return docEnd;
}

/** The stack {@link bsonDocumentEnd} reuses: two offsets per nesting level. */
const DOC_STACK = new Float64Array(2 * (MAX_NESTING_DEPTH + 1));

/**
 * The top-level elements of a document already checked by {@link bsonDocumentEnd}, in order.
 */
export function bsonElements(buf: Buffer, start: number): BsonElement[] {
  const out: BsonElement[] = [];
  const last = start + int32(buf, start) - 1;
  let p = start + 4;
  while (p < last) {
    const type = buf[p]!;
    const nameEnd = buf.indexOf(0, p + 1);
    const valueStart = nameEnd + 1;
    const end = bsonValueEnd(buf, type, valueStart, last);
    out.push({
      type,
      name: buf.toString('utf8', p + 1, nameEnd),
      start: p,
      valueStart,
      valueEnd: end,
    });
    p = end;
  }
  return out;
}

/**
 * Calls `visit` for each top-level element of a document already checked by
 * {@link bsonDocumentEnd} whose name is one of `names`, with the index of that name: like
 * {@link bsonElements} without allocating an object or a string per element (the /send hot
 * path). The element object passed is reused between calls.
 */
export function forEachNamedElement(
  buf: Buffer,
  start: number,
  names: readonly Buffer[],
  visit: (index: number, el: BsonElement) => void,
): void {
  const last = start + int32(buf, start) - 1;
  const el = { type: 0, name: '', start: 0, valueStart: 0, valueEnd: 0 };
  let p = start + 4;
  while (p < last) {
    const type = buf[p]!;
    const nameEnd = buf.indexOf(0, p + 1);
    const end = bsonValueEnd(buf, type, nameEnd + 1, last);
    const index = bsonNameIndex(buf, p + 1, nameEnd, names);
    if (index >= 0) {
      el.type = type;
      el.start = p;
      el.valueStart = nameEnd + 1;
      el.valueEnd = end;
      visit(index, el);
    }
    p = end;
  }
}

/** The string value of a String, Code or Symbol element. */
export function bsonString(buf: Buffer, el: BsonElement): string {
  return buf.toString('utf8', el.valueStart + 4, el.valueEnd - 1);
}

/** An integer-like element as the original's lax decoder reads it (`undefined`: ignored). */
export function bsonLaxInt(buf: Buffer, el: BsonElement): number | undefined {
  switch (el.type) {
    case BsonType.Int32:
      return buf.readInt32LE(el.valueStart);
    case BsonType.Int64:
      return Number(buf.readBigInt64LE(el.valueStart));
    case BsonType.Double: {
      const d = buf.readDoubleLE(el.valueStart);
      return Number.isFinite(d) ? Math.trunc(d) : undefined;
    }
    case BsonType.Boolean:
      return buf[el.valueStart] === 1 ? 1 : 0;
    case BsonType.Null:
      return 0;
    default:
      return undefined;
  }
}

/** A boolean element as the original's lax decoder reads it (numbers: non-zero is true). */
export function bsonLaxBool(buf: Buffer, el: BsonElement): boolean | undefined {
  if (el.type === BsonType.Boolean) return buf[el.valueStart] === 1;
  if (el.type === BsonType.Null) return false;
  const n = bsonLaxInt(buf, el);
  return n === undefined ? undefined : n !== 0;
}
