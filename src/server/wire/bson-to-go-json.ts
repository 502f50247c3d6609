import { isUtf8 } from 'node:buffer';
import { bsonValueEnd, BsonType, readInt32LE } from './bson-reader';
import { goJsonNumber, goJsonString } from './go-json-writer';
import { formatBsonDatetime } from './go-time';

const MIN_KEY = '-9223372036854775808';
const MAX_KEY = '9223372036854775807';

/** Go's utf8.DecodeRune: length of the valid sequence at `i`, or 0 for an invalid byte. */
function runeLength(b: Buffer, i: number, end: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number): boolean => i + k < end && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = b[i + 1] ?? 0;
    if (c === 0xe0 && c1 < 0xa0) return 0;
    if (c === 0xed && c1 > 0x9f) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = b[i + 1] ?? 0;
    if (c === 0xf0 && c1 < 0x90) return 0;
    if (c === 0xf4 && c1 > 0x8f) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * A JSON string for raw UTF-8 bytes as Go writes a Go string: each byte that is not part of a
 * valid UTF-8 sequence becomes the escape `\ufffd` (text kept by mgo from a BSON sender can hold
 * such bytes).
 */
function goJsonStringFromBytes(buf: Buffer): string {
  if (isUtf8(buf)) return goJsonString(buf.toString('utf8'));
  let out = '"';
  let from = 0;
  let i = 0;
  while (i < buf.length) {
    const len = runeLength(buf, i, buf.length);
    if (len > 0) {
      i += len;
      continue;
    }
    out += goJsonString(buf.toString('utf8', from, i)).slice(1, -1) + '\\ufffd';
    i++;
    from = i;
  }
  return `${out}${goJsonString(buf.toString('utf8', from)).slice(1, -1)}"`;
}

function cstringEnd(buf: Buffer, p: number): number {
  return buf.indexOf(0, p);
}

/**
 * Renders one BSON value (type byte `type`, value bytes from `p`) as Go renders the value mgo
 * decoded for a JSON session (docs/protocol.md §14): documents with sorted keys, int64 exact,
 * datetime as RFC 3339, binary as base64, ObjectId as hex, regex as `{"Pattern":…,"Options":…}`,
 * Decimal128 as `{}`. Returns `undefined` for `undefined`, which Go leaves out. NaN and ±Inf, which
 * Go cannot encode at all, become `null`.
 */
export function bsonValueToGoJson(buf: Buffer, type: number, p: number): string | undefined {
  switch (type) {
    case BsonType.Double:
      return goJsonNumber(buf.readDoubleLE(p));
    case BsonType.String:
    case BsonType.Symbol:
      return goJsonStringFromBytes(buf.subarray(p + 4, p + 4 + readInt32LE(buf, p) - 1));
    case BsonType.Document:
      return documentToGoJson(buf, p);
    case BsonType.Array:
      return arrayToGoJson(buf, p);
    case BsonType.Binary: {
      const len = readInt32LE(buf, p);
      const subtype = buf[p + 4]!;
      let data = buf.subarray(p + 5, p + 5 + len);
      if (subtype === 0x02 && len >= 4) data = data.subarray(4);
      if (subtype === 0x00 || subtype === 0x02) return `"${data.toString('base64')}"`;
      return `{"Kind":${subtype},"Data":"${data.toString('base64')}"}`;
    }
    case BsonType.Undefined:
      return undefined;
    case BsonType.ObjectId:
      return `"${buf.toString('hex', p, p + 12)}"`;
    case BsonType.Boolean:
      return buf[p] === 1 ? 'true' : 'false';
    case BsonType.DateTime: {
      const text = formatBsonDatetime(buf.readBigInt64LE(p));
      return text === undefined ? 'null' : `"${text}"`;
    }
    case BsonType.Null:
      return 'null';
    case BsonType.Regex: {
      const a = cstringEnd(buf, p);
      const b = cstringEnd(buf, a + 1);
      return `{"Pattern":${goJsonStringFromBytes(buf.subarray(p, a))},"Options":${goJsonStringFromBytes(buf.subarray(a + 1, b))}}`;
    }
    case BsonType.DbPointer: {
      const len = readInt32LE(buf, p);
      const ns = goJsonStringFromBytes(buf.subarray(p + 4, p + 4 + len - 1));
      const id = buf.toString('hex', p + 4 + len, p + 16 + len);
      return `{"Namespace":${ns},"Id":"${id}"}`;
    }
    case BsonType.Code:
      return `{"Code":${goJsonStringFromBytes(buf.subarray(p + 4, p + 4 + readInt32LE(buf, p) - 1))},"Scope":null}`;
    case BsonType.CodeWithScope: {
      const len = readInt32LE(buf, p + 4);
      const code = goJsonStringFromBytes(buf.subarray(p + 8, p + 8 + len - 1));
      return `{"Code":${code},"Scope":${documentToGoJson(buf, p + 8 + len)}}`;
    }
    case BsonType.Int32:
      return String(buf.readInt32LE(p));
    case BsonType.Timestamp:
    case BsonType.Int64:
      return String(buf.readBigInt64LE(p));
    case BsonType.Decimal128:
      return '{}';
    case BsonType.MinKey:
      return MIN_KEY;
    case BsonType.MaxKey:
      return MAX_KEY;
    default:
      return 'null';
  }
}

interface Entry {
  readonly key: Buffer;
  readonly type: number;
  readonly value: number;
}

function entries(buf: Buffer, start: number): Entry[] {
  const out: Entry[] = [];
  const last = start + readInt32LE(buf, start) - 1;
  let p = start + 4;
  while (p < last) {
    const type = buf[p]!;
    const nameEnd = cstringEnd(buf, p + 1);
    out.push({ key: buf.subarray(p + 1, nameEnd), type, value: nameEnd + 1 });
    p = bsonValueEnd(buf, type, nameEnd + 1, last);
  }
  return out;
}

/** A document as a Go map: keys sorted by bytes, the last of repeated keys kept. */
function documentToGoJson(buf: Buffer, start: number): string {
  const list = entries(buf, start);
  // Stable sort: repeated keys stay in document order, and the last one is the map's value.
  list.sort((a, b) => Buffer.compare(a.key, b.key));
  let out = '{';
  let first = true;
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    const next = list[i + 1];
    if (next !== undefined && Buffer.compare(e.key, next.key) === 0) continue;
    const value = bsonValueToGoJson(buf, e.type, e.value);
    if (value === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${goJsonStringFromBytes(e.key)}:${value}`;
  }
  return `${out}}`;
}

function arrayToGoJson(buf: Buffer, start: number): string {
  let out = '[';
  let first = true;
  for (const e of entries(buf, start)) {
    const value = bsonValueToGoJson(buf, e.type, e.value);
    if (value === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += value;
  }
  return `${out}]`;
}
