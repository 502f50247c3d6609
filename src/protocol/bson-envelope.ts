import { ByteUtils, NumberUtils } from 'bson';
import { deserializeDocument, deserializeDocumentAt } from './bson-document';
import { bsonCStringEnd, bsonNameIndex, BsonType, bsonValueEnd, readInt32LE } from './bson-framing';
import type { HmbFrame } from './message';
import { frameFromWire } from './wire-message';

/** The fields of an HMB message that {@link frameFromWire} reads, in this order. */
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
/** Fields up to this index are strings; then two numbers, then two payload documents. */
const LAST_STRING_FIELD = FIELD_NAMES.indexOf('scContentType');
const LAST_NUMBER_FIELD = FIELD_NAMES.indexOf('scMessageType');
const FIELD_BYTES = FIELD_NAMES.map((name) => Array.from(name, (c) => c.charCodeAt(0)));

// The element types read here, as plain constants: read once per message and field, they should
// not cost a property lookup where a tool compiles each module alone (BsonType is a const enum).
const NULL = BsonType.Null;
const STRING = BsonType.String;
const INT32 = BsonType.Int32;
const DOUBLE = BsonType.Double;
const INT64 = BsonType.Int64;
const DOCUMENT = BsonType.Document;

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
  let fields: unknown[];
  try {
    fields = readEnvelope(doc);
  } catch {
    // Anything unexpected, a corrupt payload included: js-bson reads the whole document and
    // reports what is wrong with it.
    return frameFromWire(deserializeDocument(doc, offset));
  }
  try {
    // In FIELD_NAMES order.
    return frameFromWire({
      type: fields[0],
      queue: fields[1],
      topic: fields[2],
      sender: fields[3],
      starttime: fields[4],
      endtime: fields[5],
      scContentType: fields[6],
      seq: fields[7],
      scMessageType: fields[8],
      gdacs: fields[9],
      data: fields[10],
    });
  } catch {
    // Not a valid message: the general path gives the error, naming the document as it was.
    return frameFromWire(deserializeDocument(doc, offset));
  }
}

/** The known fields' values by index (undefined where absent); throws GENERAL to give up. */
function readEnvelope(doc: Uint8Array): unknown[] {
  const last = doc.length - 1;
  if (last < 4 || doc[last] !== 0 || readInt32LE(doc, 0) !== doc.length) throw GENERAL;
  const fields: unknown[] = new Array<unknown>(FIELD_NAMES.length);
  let p = 4;
  while (p < last) {
    const type = doc[p]!;
    const nameEnd = bsonCStringEnd(doc, p + 1, last);
    if (nameEnd < 0) throw GENERAL;
    const valueStart = nameEnd + 1;
    const valueEnd = bsonValueEnd(doc, type, valueStart, last);
    if (valueEnd < 0) throw GENERAL;
    const field = bsonNameIndex(doc, p + 1, nameEnd, FIELD_BYTES);
    if (field >= 0) fields[field] = readField(doc, field, type, valueStart, valueEnd);
    p = valueEnd;
  }
  return fields;
}

/** The value of a known field, as js-bson would give it; GENERAL for anything unexpected. */
function readField(
  doc: Uint8Array,
  field: number,
  type: number,
  start: number,
  end: number,
): unknown {
  if (type === NULL) return null;
  if (field <= LAST_STRING_FIELD) {
    if (type !== STRING) throw GENERAL;
    try {
      // fatal: invalid UTF-8 is an error, as in js-bson's own deserializer (which then reports it).
      return ByteUtils.toUTF8(doc, start + 4, end - 1, true);
    } catch {
      throw GENERAL;
    }
  }
  if (field <= LAST_NUMBER_FIELD) {
    if (type === INT32) return readInt32LE(doc, start);
    if (type === DOUBLE) return NumberUtils.getFloat64LE(doc, start);
    if (type === INT64) {
      // Exact within ±2^53; beyond that js-bson hands back a Long, so the general path decides.
      const value = readInt32LE(doc, start + 4) * 4294967296 + (readInt32LE(doc, start) >>> 0);
      if (!Number.isSafeInteger(value)) throw GENERAL;
      return value;
    }
    throw GENERAL;
  }
  // gdacs and data: a document goes to js-bson; other payload types take the general path.
  if (type !== DOCUMENT) throw GENERAL;
  return deserializeDocumentAt(doc, start);
}
