import { compareCodePoints } from './compare-code-points';
import { MAX_FILTER_DEPTH, tooDeep } from './filter-budget';
import { isDocument } from './is-document';

/**
 * Encodes a value as compact JSON the way Go's `encoding/json` does, so that error texts that
 * quote part of a filter (`unexpected value: {"$gt":2}`, `unexpected expression: 1`) are
 * byte-for-byte the original server's. The differences from `JSON.stringify`: object keys are
 * sorted (Go encodes maps in key order), `<`, `>`, `&`, U+2028 and U+2029 are escaped as
 * `\u003c` etc., `-0` stays `-0`, and a value Go cannot encode (NaN, ±Infinity) makes the whole
 * text empty, as Go ignores the marshal error and prints nothing.
 *
 * `\b` and `\f` come out as `\u0008` and `\u000c`: Go only writes the short forms since 1.22,
 * which is newer than the original server's release (2024.010).
 *
 * Values that cannot come out of JSON or BSON decoding are encoded on a best-effort basis: objects
 * with a `toJSON` method (Date, ObjectId, Binary, Long, …) by what it returns, other objects by
 * their own enumerable properties, `undefined`, functions and symbols as `null`.
 *
 * @param depth - the nesting level of `value` in the filter; encoding stops with the
 *   {@link MAX_FILTER_DEPTH} error rather than recursing without bound (or forever, on a cycle).
 * @throws HmbFilterError when the value is nested too deeply.
 */
export function goJson(value: unknown, depth = 1): string {
  try {
    return encode(value, depth);
  } catch (err) {
    if (err === UNENCODABLE) return '';
    throw err;
  }
}

const UNENCODABLE = Symbol('unencodable');

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw UNENCODABLE;
      // Go and JavaScript agree on the shortest round-trip form and on when to switch to
      // exponent notation (below 1e-6 and from 1e21), but JSON.stringify drops the sign of -0.
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value === null) return 'null';
  if (depth > MAX_FILTER_DEPTH) throw tooDeep();
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(encode(value[i], depth + 1));
    return `[${parts.join(',')}]`;
  }
  if (!isDocument(value)) {
    const special = encodeSpecial(value);
    if (special !== undefined) return special;
    const toJson = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') {
      const replaced: unknown = toJson.call(value);
      if (replaced !== value) return encode(replaced, depth + 1);
    }
  }
  const record = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareCodePoints);
  const parts = keys.map((key) => `${encodeString(key)}:${encode(record[key], depth + 1)}`);
  return `{${parts.join(',')}}`;
}

/**
 * The values whose Go encoding differs from what their `toJSON` gives: a BSON int64 is a bare
 * integer (js-bson's `Long` has no `toJSON`), and a time is RFC 3339 with the fraction trimmed of
 * trailing zeros (`2020-01-02T03:04:05.67Z`, `1970-01-01T00:00:00Z`).
 */
function encodeSpecial(value: object): string | undefined {
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  if (bsonType === 'Long') return String(value);
  if (bsonType === 'Int32' || bsonType === 'Double') return encode(Number(value.valueOf()), 0);
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const time = (value as Date).getTime();
    if (Number.isNaN(time)) throw UNENCODABLE;
    const iso = new Date(time).toISOString();
    return `"${iso.replace(/\.(\d*?)0*Z$/, (_, fraction: string) => (fraction ? `.${fraction}Z` : 'Z'))}"`;
  }
  return undefined;
}

// Characters Go's encoder escapes on top of `"` and `\`: control characters, the HTML-sensitive
// `<`, `>`, `&`, the JavaScript line terminators U+2028/U+2029, and lone surrogates (which Go
// would have turned into U+FFFD while decoding).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function encodeString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
    } else if (
      code < 0x20 ||
      ch === '<' ||
      ch === '>' ||
      ch === '&' ||
      code === 0x2028 ||
      code === 0x2029
    ) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      out += ch + text[i + 1]!;
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += '\\ufffd';
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
