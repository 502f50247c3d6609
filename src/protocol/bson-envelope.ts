import { ByteUtils, NumberUtils } from 'bson';
import { deserializeDocument, readInt32LE } from './bson-document';
import { bsonNameIndex } from './bson-name-index';
import type { HmbFrame } from './message';
import { frameFromWire } from './wire-message';

// BSON element types (bsonspec.org) the envelope reader knows how to read or skip.
const DOUBLE = 0x01;
const STRING = 0x02;
const DOCUMENT = 0x03;
const ARRAY = 0x04;
const BINARY = 0x05;
const OBJECT_ID = 0x07;
const BOOLEAN = 0x08;
const DATETIME = 0x09;
const NULL = 0x0a;
const INT32 = 0x10;
const TIMESTAMP = 0x11;
const INT64 = 0x12;
const DECIMAL128 = 0x13;

/** The fields of an HMB message that {@link frameFromWire} reads, by their index below. */
const FIELD_NAMES = [
  'type',
  'queue',
  'topic',
  'sender',
  'starttime',
  'endtime',
  'scContentType',
  'seq',
  'scMessageType',
  'gdacs',
  'data',
] as const;
const F_TYPE = 0;
const F_SCCONTENTTYPE = 6;
const F_SEQ = 7;
const F_SCMESSAGETYPE = 8;
const F_GDACS = 9;
const F_DATA = 10;
const FIELD_BYTES = FIELD_NAMES.map((name) => Array.from(name, (c) => c.charCodeAt(0)));

/** Thrown inside the reader when the document takes the general path instead. */
const GENERAL = Symbol('general');

/**
 * Turns one whole BSON document (its length already checked) into a frame. The envelope of an
 * HMB message (type, queue, seq, topic, …) is read here, field by field, and only the payload
 * documents (`data`, `gdacs`) go to js-bson. A general-purpose deserializer builds every field,
 * checks every int64 with `Long` arithmetic and looks up every key; for the small messages of a
 * seismic alert bus the envelope is most of the document, and reading it directly halves the
 * cost. Any document this reader does not expect (another type for a known field, an element
 * type it does not know, a malformed layout) goes through js-bson whole, so the result, and the
 * error for a corrupt document, are always those of the general path.
 *
 * @throws HmbDecodeError when the document is corrupt or not a valid HMB message.
 */
export function frameFromBson(doc: Uint8Array, offset = 0): HmbFrame {
  let fields: unknown[] | typeof GENERAL;
  try {
    fields = readEnvelope(doc, offset);
  } catch {
    // Anything unexpected, a corrupt payload included: js-bson reads the whole document and
    // reports what is wrong with it.
    fields = GENERAL;
  }
  if (fields === GENERAL) return frameFromWire(deserializeDocument(doc, offset));
  try {
    return frameFromWire({
      type: fields[F_TYPE],
      queue: fields[1],
      topic: fields[2],
      sender: fields[3],
      starttime: fields[4],
      endtime: fields[5],
      scContentType: fields[F_SCCONTENTTYPE],
      seq: fields[F_SEQ],
      scMessageType: fields[F_SCMESSAGETYPE],
      gdacs: fields[F_GDACS],
      data: fields[F_DATA],
    });
  } catch {
    // Not a valid message: the general path gives the error, naming the document as it was.
    return frameFromWire(deserializeDocument(doc, offset));
  }
}

/** The known fields' values by index (undefined where absent); throws GENERAL to give up. */
function readEnvelope(doc: Uint8Array, offset: number): unknown[] {
  const last = doc.length - 1;
  if (last < 4 || doc[last] !== 0 || readInt32LE(doc, 0) !== doc.length) throw GENERAL;
  const fields: unknown[] = new Array<unknown>(FIELD_NAMES.length);
  let p = 4;
  while (p < last) {
    const type = doc[p++]!;
    const nameStart = p;
    while (p < last && doc[p] !== 0) p++;
    if (p >= last) throw GENERAL;
    const field = bsonNameIndex(doc, nameStart, p, FIELD_BYTES);
    p++;
    const size = valueSize(doc, type, p, last);
    if (field >= 0) fields[field] = readField(doc, field, type, p, size, offset);
    p += size;
  }
  if (p !== last) throw GENERAL;
  return fields;
}

/** The size in bytes of a value of `type` at `p`, checked to end before `last`. */
function valueSize(doc: Uint8Array, type: number, p: number, last: number): number {
  let size: number;
  switch (type) {
    case NULL:
      size = 0;
      break;
    case BOOLEAN:
      size = 1;
      break;
    case INT32:
      size = 4;
      break;
    case DOUBLE:
    case DATETIME:
    case TIMESTAMP:
    case INT64:
      size = 8;
      break;
    case OBJECT_ID:
      size = 12;
      break;
    case DECIMAL128:
      size = 16;
      break;
    // Length-prefixed values: a string's prefix leaves out itself, a binary's also its subtype.
    case STRING:
      size = prefixedSize(doc, p, last, 4);
      break;
    case DOCUMENT:
    case ARRAY:
      size = prefixedSize(doc, p, last, 0);
      break;
    case BINARY:
      size = prefixedSize(doc, p, last, 5);
      break;
    default:
      throw GENERAL;
  }
  if (p + size > last) throw GENERAL;
  return size;
}

/** The size of a length-prefixed value: its int32 prefix plus `extra` bytes the prefix leaves out. */
function prefixedSize(doc: Uint8Array, p: number, last: number, extra: number): number {
  if (p + 4 > last) throw GENERAL;
  const size = extra + readInt32LE(doc, p);
  if (size < 5) throw GENERAL;
  return size;
}

/** The value of a known field, as js-bson would give it; GENERAL for anything unexpected. */
function readField(
  doc: Uint8Array,
  field: number,
  type: number,
  p: number,
  size: number,
  offset: number,
): unknown {
  if (type === NULL) return null;
  if (field <= F_SCCONTENTTYPE) {
    if (type !== STRING || doc[p + size - 1] !== 0) throw GENERAL;
    try {
      // fatal: invalid UTF-8 is an error, as in js-bson's own deserializer (which then reports it).
      return ByteUtils.toUTF8(doc, p + 4, p + size - 1, true);
    } catch {
      throw GENERAL;
    }
  }
  if (field === F_SEQ || field === F_SCMESSAGETYPE) {
    if (type === INT32) return readInt32LE(doc, p);
    if (type === DOUBLE) return NumberUtils.getFloat64LE(doc, p);
    if (type === INT64) {
      // Exact within ±2^53; beyond that js-bson hands back a Long, so the general path decides.
      const value = readInt32LE(doc, p + 4) * 4294967296 + (readInt32LE(doc, p) >>> 0);
      if (!Number.isSafeInteger(value)) throw GENERAL;
      return value;
    }
    throw GENERAL;
  }
  // gdacs and data: a document goes to js-bson; other payload types take the general path.
  if (type !== DOCUMENT) throw GENERAL;
  return deserializeDocument(doc.subarray(p, p + size), offset + p);
}
