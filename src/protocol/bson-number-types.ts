import { ByteUtils, NumberUtils } from 'bson';
import { bsonCStringEnd, BsonType, bsonValueEnd, readInt32LE } from './bson-framing';

// What a BSON number was on the wire, where the plain JS number js-bson gives for it does not say
// so. js-bson re-encodes an integral number in int32 range as int32 and any other number as a
// double; a number that was an int64 (any safe value) or an integral double in int32 range would
// come back as another type. The decoder records those here, and the BSON encoder reads it back,
// so a message relayed from a BSON session through a BSON sink keeps every value's type while
// `data.magnitude` stays a plain number (docs/data-types.md, docs/decisions.md).

/**
 * A key under which a record of wire number types may be set by hand, as a non-enumerable property
 * `{ [name or index]: 'int64' | 'double' }` of a document or array, for the BSON encoder to honour.
 * Records the decoder makes are not kept under it but in a private field (a property cost every
 * marked document about 0.1 µs to define); read those with {@link bsonNumberType}.
 */
export const BSON_NUMBER_TYPES: unique symbol = Symbol.for('hmb-rx.bsonNumberTypes') as never;

/** The BSON type a plain number of a decoded document had on the wire, where it is not the default. */
export type HmbBsonNumberType = 'int64' | 'double';

type NumberTypeRecord = Record<string, HmbBsonNumberType>;

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * The BSON type the number at `container[key]` had when it was decoded from BSON, when that is not
 * what a plain number is encoded as again (`int64` for an int64 that js-bson gave as a number,
 * `double` for an integral double in int32 range); `undefined` otherwise.
 *
 * @example
 * ```ts
 * // a BSON session delivered data = { count: Int64(5), magnitude: Double(5.0) }
 * bsonNumberType(m.data, 'count');     // 'int64'  (m.data.count === 5)
 * bsonNumberType(m.data, 'magnitude'); // 'double' (m.data.magnitude === 5)
 * ```
 */
export function bsonNumberType(
  container: object,
  key: string | number,
): HmbBsonNumberType | undefined {
  return numberTypesOf(container)?.[key];
}

/** The record of `container`, or undefined; what the encoder reads. */
export function numberTypesOf(container: object): NumberTypeRecord | undefined {
  return (
    stamp.read(container) ??
    (container as { [BSON_NUMBER_TYPES]?: NumberTypeRecord })[BSON_NUMBER_TYPES]
  );
}

function recordOf(container: object): NumberTypeRecord {
  let record = stamp.read(container);
  if (record === undefined) {
    record = Object.create(null) as NumberTypeRecord;
    stamp.write(container, record);
  }
  return record;
}

/** Reads and writes the private record of a decoded document or array. */
interface NumberTypeStamp {
  read(container: object): NumberTypeRecord | undefined;
  write(container: object, record: NumberTypeRecord): void;
}

/**
 * The record lives in a private field that a class adds to an object it did not make: its base
 * constructor returns the object given, so the derived constructor installs the field on it.
 * JSON.stringify, Object.keys, symbols, spread and equality checks cannot see a private field, and
 * adding one costs what adding a property does (about 5 ns against 115 for Object.defineProperty,
 * which a non-enumerable property needs). The class is made once per process and shared through a
 * global registry, so that two copies of the package (its CommonJS and ESM builds side by side)
 * read each other's records.
 */
function makeStamp(): NumberTypeStamp {
  class ReturnsItsArgument {
    constructor(container: object) {
      return container;
    }
  }
  class Stamped extends ReturnsItsArgument {
    readonly #types: NumberTypeRecord;

    constructor(container: object, types: NumberTypeRecord) {
      super(container);
      this.#types = types;
    }

    static read(container: object): NumberTypeRecord | undefined {
      return #types in container ? (container as Stamped).#types : undefined;
    }
  }
  return { read: Stamped.read, write: (container, record) => void new Stamped(container, record) };
}

const STAMP_REGISTRY = Symbol.for('hmb-rx.bsonNumberTypeStamp');
const stamp: NumberTypeStamp = ((globalThis as Record<symbol, unknown>)[STAMP_REGISTRY] ??=
  makeStamp()) as NumberTypeStamp;

/**
 * Records, on `decoded` (what js-bson made of the document at `bytes[start…]`) and on the documents
 * and arrays inside it, the wire type of every number a plain number would not re-encode as. Reads
 * the bytes in place; names are decoded only for elements that need a record or hold a container.
 * The document has already been read by js-bson, so its framing is known to be sound.
 */
export function recordBsonNumberTypes(decoded: object, bytes: Uint8Array, start: number): void {
  const last = start + readInt32LE(bytes, start) - 1;
  const isArray = Array.isArray(decoded);
  let index = 0;
  let p = start + 4;
  while (p < last) {
    const type = bytes[p]!;
    const nameEnd = bsonCStringEnd(bytes, p + 1, last);
    const valueStart = nameEnd + 1;
    const valueEnd = bsonValueEnd(bytes, type, valueStart, last);
    if (nameEnd < 0 || valueEnd < 0) return;
    let mark: HmbBsonNumberType | undefined;
    if (type === BsonType.Double) {
      const value = NumberUtils.getFloat64LE(bytes, valueStart);
      if (
        Number.isInteger(value) &&
        value >= INT32_MIN &&
        value <= INT32_MAX &&
        !Object.is(value, -0)
      )
        mark = 'double';
    } else if (type === BsonType.Int64) {
      const value =
        readInt32LE(bytes, valueStart + 4) * 4294967296 + (readInt32LE(bytes, valueStart) >>> 0);
      // Beyond 2^53 js-bson gives a Long, which re-encodes as an int64 by itself.
      if (Number.isSafeInteger(value)) mark = 'int64';
    }
    if (mark !== undefined) {
      recordOf(decoded)[isArray ? index : name(bytes, p + 1, nameEnd)] = mark;
    } else if (type === BsonType.Document || type === BsonType.Array) {
      const child = (decoded as Record<string, unknown>)[
        isArray ? index : name(bytes, p + 1, nameEnd)
      ];
      if (isContainer(child)) recordBsonNumberTypes(child, bytes, valueStart);
    }
    index++;
    p = valueEnd;
  }
}

/** An element name: short ASCII names (nearly all) without a call into the UTF-8 decoder. */
function name(bytes: Uint8Array, from: number, to: number): string {
  if (to - from <= 32) {
    let text = '';
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return ByteUtils.toUTF8(bytes, from, to, false);
      text += String.fromCharCode(c);
    }
    return text;
  }
  return ByteUtils.toUTF8(bytes, from, to, false);
}

/** A plain object or array (js-bson turns some documents into DBRef, which keep no record). */
function isContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
