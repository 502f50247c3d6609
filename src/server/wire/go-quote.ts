// Go's quoting functions, reproduced because the original server's error texts embed them:
// strconv.Quote (ParseInt errors, JSON scanner errors) and the time package's own `quote`.

const HEX = '0123456789abcdef';

function hex2(byte: number): string {
  return HEX[byte >> 4]! + HEX[byte & 15]!;
}

/**
 * Whether Go's `strconv.IsPrint` holds for a code point, closely enough for error texts: control
 * characters, C1 controls, the soft hyphen, line/paragraph separators, the BOM and private-use
 * characters are not printable.
 */
function isGoPrintable(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xad) return false;
  if (cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  if (cp >= 0xe000 && cp <= 0xf8ff) return false;
  if (cp >= 0xfff9 && cp <= 0xfffb) return false;
  return true;
}

function escapeRune(cp: number, quote: number): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCodePoint(cp)}`;
  if (isGoPrintable(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex2(cp)}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Go's `strconv.Quote`: a double-quoted Go string literal. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) out += escapeRune(ch.codePointAt(0)!, 0x22);
  return `${out}"`;
}

/**
 * How Go's JSON scanner names an offending byte: `quoteChar` in encoding/json. The byte is read as
 * the code point U+00XX, so a stray UTF-8 lead byte 0xC3 shows as `'Ã'`.
 */
export function goQuoteChar(byte: number): string {
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  return `'${escapeRune(byte, 0x22)}'`;
}

/**
 * The time package's private `quote`: ASCII as is (with `"` and `\` escaped), every byte of any
 * other character as `\xNN`.
 */
export function goTimeQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${hex2(byte)}`;
    } else {
      if (cp === 0x22 || cp === 0x5c) out += '\\';
      out += ch;
    }
  }
  return `${out}"`;
}
