/**
 * Writes values the way Go's encoding/json does, so a JSON session gets the original's bytes:
 * object keys sorted (by UTF-8 bytes, as Go sorts map keys), `<`, `>`, `&`, U+2028 and U+2029
 * escaped (Go's default HTML-safe encoding), float64 numbers in Go's shortest form (`-0` kept,
 * `1e+21`, `1e-7`).
 */

// Everything Go escapes inside a string, or a lone surrogate (which must become U+FFFD).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const HEX = '0123456789abcdef';
const SURROGATE = /[\ud800-\udfff]/;

/** A JSON string literal as Go writes it. */
export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      // \b and \f are written as \u0008 and \u000c, as Go's encoder did before 1.22; the
      // original (built 2024.010) predates 1.22's short forms.
      switch (c) {
        case 0x0a:
          rep = '\\n';
          break;
        case 0x0d:
          rep = '\\r';
          break;
        case 0x09:
          rep = '\\t';
          break;
        default:
          rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
      }
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (c === 0x3c) rep = '\\u003c';
    else if (c === 0x3e) rep = '\\u003e';
    else if (c === 0x26) rep = '\\u0026';
    else if (c === 0x2028) rep = '\\u2028';
    else if (c === 0x2029) rep = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      // Go decodes a lone surrogate escape to U+FFFD and writes that character as it is.
      rep = '\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return `${out}${s.slice(from)}"`;
}

/** A float64 as Go writes it: JavaScript's shortest form, except that `-0` stays `-0`. */
export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (n === 0 && 1 / n < 0) return '-0';
  return String(n);
}

/**
 * Sorts keys as Go sorts map keys: by their UTF-8 bytes. That is UTF-16 order except where a
 * surrogate pair meets U+E000–U+FFFF, so the plain sort is corrected only when such keys exist.
 */
function sortKeysGo(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  keys.sort();
  let surrogates = false;
  for (const k of keys) if (SURROGATE.test(k)) surrogates = true;
  if (surrogates) {
    keys.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  }
  return keys;
}

/**
 * Writes a value decoded from JSON (strings, float64 numbers, booleans, null, arrays, plain
 * objects) as Go re-encodes it.
 */
export function goJsonValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return goJsonString(value);
    case 'number':
      return goJsonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += goJsonValue(value[i]);
        }
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = sortKeysGo(Object.keys(obj));
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = obj[key];
        if (v === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${goJsonString(key)}:${goJsonValue(v)}`;
      }
      return `${out}}`;
    }
    default:
      return 'null';
  }
}

/**
 * Writes a value in insertion order and exactly (lone surrogates and `-0` kept), for the
 * persistence log: `JSON.parse` of the result gives back the same value, key order included.
 */
export function exactJsonValue(value: unknown): string {
  if (typeof value === 'number') return value === 0 && 1 / value < 0 ? '-0' : JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(exactJsonValue).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj)) {
    if (obj[key] !== undefined) parts.push(`${JSON.stringify(key)}:${exactJsonValue(obj[key])}`);
  }
  return `{${parts.join(',')}}`;
}
