// A minimal BSON reader: walks the elements of a document without decoding values, so the server
// can check a document's structure, pick out the fields it needs and forward a payload as the raw
// bytes it arrived in. Values are decoded (with js-bson) only when a filter or a JSON session
// needs them.

import {
  bsonCStringEnd,
  bsonNameIndex,
  bsonStringEnd,
  BsonType,
  bsonValueEnd,
  readInt32LE,
} from '../../protocol/bson-framing';
import { MAX_NESTING_DEPTH } from './go-json-parse';

// The element framing is shared with the client (protocol/bson-framing.ts); the server's readers
// import it from here with the rest of the reader.
export {
  BsonType,
  bsonValueEnd,
  MAX_BSON_DOCUMENT_BYTES,
  readInt32LE,
} from '../../protocol/bson-framing';

/** One element of a document: its type, name and the byte span of its value. */
export interface BsonElement {
  readonly type: number;
  readonly name: string;
  /** Offset of the element's type byte. */
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** {@link bsonDocumentEnd}'s answer for a document nested deeper than {@link MAX_NESTING_DEPTH}. */
export const BSON_TOO_DEEP = -2;

/**
 * {@link bsonDocumentEnd}'s answers at or below this mean an element of an unknown kind:
 * the kind is `BSON_UNKNOWN_KIND - answer`.
 */
const BSON_UNKNOWN_KIND = -0x1000;

/** Element kinds the original's BSON decoder (mgo) knows: 0x01–0x13, MinKey and MaxKey. */
function knownKind(type: number): boolean {
  return (type >= BsonType.Double && type <= BsonType.Decimal128) || type === 0x7f || type === 0xff;
}

/**
 * The original's text for a document {@link bsonDocumentEnd} refused: mgo's
 * `Unknown element kind (0x99)` (two uppercase hex digits), `exceeded max depth`, or
 * `Document is corrupted`.
 */
export function bsonDocumentError(end: number): string {
  if (end === BSON_TOO_DEEP) return 'exceeded max depth';
  if (end <= BSON_UNKNOWN_KIND) {
    const kind = (BSON_UNKNOWN_KIND - end).toString(16).toUpperCase().padStart(2, '0');
    return `Unknown element kind (0x${kind})`;
  }
  return 'Document is corrupted';
}

/**
 * Checks a whole document in depth (every nested document, array and code-with-scope) and returns
 * the offset just past it, `-1` when it is corrupt, {@link BSON_TOO_DEEP}, or an unknown element
 * kind ({@link BSON_UNKNOWN_KIND}; {@link bsonDocumentError} gives the text). Iterative, so
 * nesting depth cannot overflow the stack here; the limit protects the recursive steps after it.
 */
export function bsonDocumentEnd(buf: Buffer, start: number, limit = buf.length): number {
  if (start + 5 > limit) return -1;
  const docEnd = start + readInt32LE(buf, start);
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
    const nameEnd = bsonCStringEnd(buf, p + 1, last);
    if (nameEnd < 0) return -1;
    // mgo reads the kind and the name, then panics on a kind it does not know.
    if (!knownKind(type)) return BSON_UNKNOWN_KIND - type;
    const v = nameEnd + 1;
    const end = bsonValueEnd(buf, type, v, last);
    if (end < 0) return -1;
    stack[2 * depth] = end;
    let inner = -1;
    if (type === BsonType.Document || type === BsonType.Array) {
      inner = v + 4;
    } else if (type === BsonType.CodeWithScope) {
      const code = bsonStringEnd(buf, v + 4, end);
      if (code < 0 || code + 5 > end || code + readInt32LE(buf, code) !== end) return -1;
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
  const last = start + readInt32LE(buf, start) - 1;
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
  const last = start + readInt32LE(buf, start) - 1;
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
