/**
 * Compares two strings in Unicode code point order, which is the byte order of their UTF-8 forms:
 * how the original server (Go, comparing UTF-8 strings byte by byte) orders strings for `$gt`,
 * `$lt` and friends. JavaScript's `<` compares UTF-16 code units instead, and the two disagree
 * when a character above U+FFFF meets one in U+E000–U+FFFF (`'😀' < '\uffff'` in JavaScript, but
 * not in Go).
 *
 * @returns a negative number if `a` sorts first, 0 if equal, a positive number if `b` sorts first.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Only when both units are at or above the surrogate range can the two orders differ:
      // surrogates (characters above U+FFFF) must then sort after U+E000–U+FFFF.
      return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
    }
  }
  return a.length - b.length;
}

/** Moves U+D800–U+DFFF above U+E000–U+FFFF, keeping the order within each range. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
