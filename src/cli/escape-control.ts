/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A client-chosen text (a bus name, a cid, a path) made safe for one log line: newlines and
 * other control characters, ANSI escapes included, become visible escapes (`\n`, `\x1b`,
 * `\u2028`), so a client cannot forge log lines or recolour a terminal.
 *
 * @example
 * ```ts
 * escapeControl('a\nb\u001b[31m'); // 'a\\nb\\x1b[31m'
 * ```
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
