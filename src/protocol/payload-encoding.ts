import { BSONRegExp, Double, Long } from 'bson';
import type { HmbFormat } from './hmb-format';
import { numberTypesOf, type HmbBsonNumberType } from './bson-number-types';

// The one place that decides how a payload value (`data`, `gdacs`) goes on the wire, per
// docs/data-types.md: each value either maps as the table says or is refused, with the path of
// the value; nothing is rewritten silently. The walk checks every value once; the encoding itself
// stays with the native `JSON.stringify` and js-bson, which are faster than anything written here
// (docs/decisions.md, "Payload values: one type table, checked in one walk").

/** Containers nested deeper than this are refused: a cycle would otherwise never end. */
export const MAX_PAYLOAD_DEPTH = 512;

/** A refused payload value: why, and the keys from the value up to the payload's root. */
export class PayloadRefusal {
  /** Keys from the refused value outwards (reversed into a path at the top). */
  readonly keys: (string | number)[] = [];
  constructor(readonly reason: string) {}

  /** The path of the refused value below `root`, e.g. `data.content.2`. */
  path(root: string): string {
    let path = root;
    for (let i = this.keys.length - 1; i >= 0; i--) path += `.${this.keys[i]!}`;
    return path;
  }
}

/** What {@link checkJsonPayload} found besides refusals. */
export interface JsonPayloadCheck {
  /** A value that `JSON.stringify` would write differently than the table says (`-0`). */
  needsExactWriter: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** js-bson's wrapper types, by `_bsontype`, that a BSON body carries as themselves. */
const BSON_WRAPPERS = new Set([
  'Long',
  'Int32',
  'Double',
  'Decimal128',
  'ObjectId',
  'Binary',
  'Timestamp',
  'BSONRegExp',
  'Code',
  'MinKey',
  'MaxKey',
  'DBRef',
  'BSONSymbol',
]);

/** Why each js-bson wrapper cannot be sent as JSON (Int32 and Double can: they are numbers). */
const NOT_JSON: Record<string, string> = {
  Long: 'an int64 (Long) cannot be sent as JSON: the server stores every JSON number as a double; send in BSON, or convert it to a number',
  Decimal128:
    'a Decimal128 cannot be sent as JSON (JSON readers of the original server get {}); send in BSON, or convert it to a string',
  ObjectId:
    'an ObjectId cannot be sent as JSON: a JSON sender can only write its hex string (toHexString()); send in BSON to keep the type',
  Binary:
    'binary data cannot be sent as JSON: a JSON sender cannot create a binary; send in BSON, or encode it (e.g. base64) yourself',
  Timestamp: 'a BSON Timestamp cannot be sent as JSON; send in BSON',
  BSONRegExp: 'a regular expression cannot be sent as JSON; send in BSON',
  Code: 'BSON code cannot be sent as JSON; send in BSON',
  MinKey: 'MinKey cannot be sent as JSON; send in BSON',
  MaxKey: 'MaxKey cannot be sent as JSON; send in BSON',
  DBRef: 'a DBRef cannot be sent as JSON; send in BSON',
  BSONSymbol: 'a BSON symbol cannot be sent as JSON; send a string',
};

type Kind = 'plain' | 'array' | 'date' | 'bytes' | 'regexp' | 'bson' | 'other';

function kindOf(value: object): Kind {
  if (Array.isArray(value)) return 'array';
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) {
    // js-bson's own objects are class instances; a plain object is data.
    return 'plain';
  }
  const bsontype = (value as { _bsontype?: unknown })._bsontype;
  if (typeof bsontype === 'string' && BSON_WRAPPERS.has(bsontype)) return 'bson';
  if (value instanceof Date) return 'date';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof RegExp) return 'regexp';
  return 'other';
}

/** The reason an object of no known kind is refused, naming what it is. */
function otherReason(value: object): string {
  if (value instanceof Map)
    return 'a Map is not a document: convert it with Object.fromEntries(map)';
  if (value instanceof Set) return 'a Set is not an array: convert it with [...set]';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
    return `a ${value.constructor.name} is not binary data: send a Uint8Array (BSON only) or an array of numbers`;
  const name = (value.constructor as { name?: string } | undefined)?.name ?? 'object';
  return `a ${name} is not a plain object, an array or a type of docs/data-types.md; convert it to one`;
}

function primitiveReason(value: unknown, format: HmbFormat): string | undefined {
  switch (typeof value) {
    case 'function':
      return 'a function is not data';
    case 'symbol':
      return 'a Symbol is not data';
    case 'bigint':
      if (format === 'json')
        return 'a bigint cannot be sent as JSON: the server stores every JSON number as a double; send in BSON, or convert it to a number';
      return value < INT64_MIN || value > INT64_MAX ? 'a bigint beyond the int64 range' : undefined;
    case 'string':
      return isWellFormed(value)
        ? undefined
        : 'a string with a lone surrogate (not valid Unicode) would arrive with U+FFFD in its place';
    default:
      return undefined;
  }
}

/**
 * Checks a payload for a JSON body: throws a {@link PayloadRefusal} for any value the table
 * refuses in JSON, and tells whether `JSON.stringify` can write it as it is.
 */
export function checkJsonPayload(value: unknown, check: JsonPayloadCheck, depth = 0): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new PayloadRefusal(
        `${value} cannot be sent as JSON (it would arrive as null); send in BSON`,
      );
    if (value === 0 && 1 / value < 0) check.needsExactWriter = true;
    return;
  }
  if (typeof value !== 'object') {
    const reason = primitiveReason(value, 'json');
    if (reason !== undefined) throw new PayloadRefusal(reason);
    return;
  }
  if (value === null) return;
  if (depth >= MAX_PAYLOAD_DEPTH) throw new PayloadRefusal(tooDeep());
  switch (kindOf(value)) {
    case 'array': {
      const array = value as unknown[];
      for (let i = 0; i < array.length; i++) {
        const item = array[i];
        // Strings and finite numbers, most of any payload, are checked here without a call.
        if (typeof item === 'string' ? isWellFormed(item) : isPlainJsonNumber(item)) continue;
        try {
          if (item === undefined) throw new PayloadRefusal(undefinedInArray());
          checkJsonPayload(item, check, depth + 1);
        } catch (refusal) {
          throw within(refusal, i);
        }
      }
      return;
    }
    case 'plain': {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const item = record[key];
        if (typeof item === 'string' ? isWellFormed(item) : isPlainJsonNumber(item)) continue;
        if (item === undefined) continue;
        try {
          checkJsonPayload(item, check, depth + 1);
        } catch (refusal) {
          throw within(refusal, key);
        }
      }
      return;
    }
    case 'date':
      if (Number.isNaN((value as Date).getTime())) throw new PayloadRefusal('an invalid Date');
      return;
    case 'bson': {
      const bsontype = (value as { _bsontype: string })._bsontype;
      if (bsontype === 'Int32') return;
      if (bsontype === 'Double') {
        checkJsonPayload((value as Double).value, check, depth);
        return;
      }
      throw new PayloadRefusal(NOT_JSON[bsontype]!);
    }
    case 'bytes':
      throw new PayloadRefusal(NOT_JSON['Binary']!);
    case 'regexp':
      throw new PayloadRefusal(NOT_JSON['BSONRegExp']!);
    case 'other':
      throw new PayloadRefusal(otherReason(value));
  }
}

/**
 * Writes a checked payload as JSON the way the table says where `JSON.stringify` would not: `-0`
 * stays `-0` (the server keeps it, docs/protocol.md §14). Only used for payloads that hold such a value.
 */
export function writeExactJson(value: unknown): string {
  if (typeof value === 'number') return value === 0 && 1 / value < 0 ? '-0' : JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(writeExactJson).join(',')}]`;
  const kind = kindOf(value);
  // Only Int32 and Double pass the check; both hold their number in `value`.
  if (kind === 'bson') return writeExactJson((value as { value: number }).value);
  if (kind !== 'plain') return JSON.stringify(value);
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${writeExactJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Checks a payload for a BSON body and returns what js-bson should serialize: the value itself,
 * or, where a decoded document recorded a number's wire type (int64, an integral double), a copy
 * of the containers on the way with `Long`/`Double` in place of those numbers. Throws a
 * {@link PayloadRefusal} for any value the table refuses.
 */
export function bsonPayload(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object') {
    const reason = primitiveReason(value, 'bson');
    if (reason !== undefined) throw new PayloadRefusal(reason);
    return value;
  }
  if (value === null) return value;
  if (depth >= MAX_PAYLOAD_DEPTH) throw new PayloadRefusal(tooDeep());
  switch (kindOf(value)) {
    case 'array': {
      const array = value as unknown[];
      const types = numberTypesOf(array);
      let copy: unknown[] | undefined;
      for (let i = 0; i < array.length; i++) {
        const item = array[i];
        if (
          typeof item === 'string'
            ? isWellFormed(item)
            : typeof item === 'number' && types === undefined
        )
          continue;
        let mapped: unknown;
        try {
          if (item === undefined) throw new PayloadRefusal(undefinedInArray());
          mapped =
            typeof item === 'number'
              ? types === undefined
                ? item
                : typedNumber(item, types[i])
              : bsonPayload(item, depth + 1);
        } catch (refusal) {
          throw within(refusal, i);
        }
        if (mapped !== item) {
          copy ??= array.slice();
          copy[i] = mapped;
        }
      }
      return copy ?? array;
    }
    case 'plain': {
      const record = value as Record<string, unknown>;
      const types = numberTypesOf(record);
      let copy: Record<string, unknown> | undefined;
      for (const key in record) {
        const item = record[key];
        if (
          typeof item === 'string'
            ? isWellFormed(item)
            : typeof item === 'number' && types === undefined
        )
          continue;
        // js-bson leaves out an undefined property, as JSON.stringify does.
        if (item === undefined) continue;
        let mapped: unknown;
        try {
          mapped =
            typeof item === 'number'
              ? types === undefined
                ? item
                : typedNumber(item, types[key])
              : bsonPayload(item, depth + 1);
        } catch (refusal) {
          throw within(refusal, key);
        }
        if (mapped !== item) {
          copy ??= { ...record };
          copy[key] = mapped;
        }
      }
      return copy ?? record;
    }
    case 'date':
      if (Number.isNaN((value as Date).getTime())) throw new PayloadRefusal('an invalid Date');
      return value;
    case 'regexp': {
      const { source, flags } = value as RegExp;
      if (/[^ims]/.test(flags))
        throw new PayloadRefusal(
          `a RegExp with flags "${flags}": BSON keeps only i, m and s; use a BSONRegExp for other options`,
        );
      // Written as a BSONRegExp: js-bson 7 writes a RegExp's g flag as "s" and drops dotAll.
      return new BSONRegExp(source, flags);
    }
    case 'bson':
    case 'bytes':
      return value;
    case 'other':
      throw new PayloadRefusal(otherReason(value));
  }
}

/** Whether a string is valid Unicode (no lone surrogate); native, ES2024. */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** A number JSON.stringify writes as itself: finite and not -0. */
function isPlainJsonNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value !== 0;
}

/** A number as the wire type recorded for it, when that type holds it exactly. */
function typedNumber(value: number, type: HmbBsonNumberType | undefined): unknown {
  if (type === undefined) return value;
  if (type === 'double') return new Double(value);
  // A recorded int64 whose number was since replaced by a fraction keeps the default mapping.
  return Number.isSafeInteger(value) ? Long.fromNumber(value) : value;
}

function within(refusal: unknown, key: string | number): unknown {
  if (refusal instanceof PayloadRefusal) refusal.keys.push(key);
  return refusal;
}

function undefinedInArray(): string {
  return 'undefined in an array (it would arrive as null)';
}

function tooDeep(): string {
  return `nested more than ${MAX_PAYLOAD_DEPTH} levels deep (a circular reference?)`;
}
