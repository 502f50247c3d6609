/**
 * How much of a response body an error keeps, in characters. The one place that decides it: both
 * the error's `body` field and its message use {@link bodyExcerpt}.
 */
export const MAX_BODY_EXCERPT_CHARS = 200;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/**
 * Cuts a response body down to what an error can carry: the text of an HTML page (a proxy's or a
 * web server's error page) without its markup, scripts and styles, whitespace collapsed, at most
 * {@link MAX_BODY_EXCERPT_CHARS} characters. An HMB server answers errors in one line of plain
 * text (`invalid session`), which passes unchanged.
 *
 * @example
 * ```ts
 * bodyExcerpt('<html><head><title>501 Not Implemented</title></head><body>…</body></html>');
 * // '501 Not Implemented …'
 * ```
 */
export function bodyExcerpt(body: string): string {
  const text = looksLikeMarkup(body) ? textOfMarkup(body) : body;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BODY_EXCERPT_CHARS ? `${flat.slice(0, MAX_BODY_EXCERPT_CHARS)}…` : flat;
}

function looksLikeMarkup(body: string): boolean {
  return /<(!doctype|html|head|body|title|h\d|p|div|center|hr|pre)\b/i.test(body);
}

function textOfMarkup(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (!name.startsWith('#')) return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
      const hex = name[1] === 'x' || name[1] === 'X';
      const code = parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
      // A code point out of range is left as written rather than thrown on.
      return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    });
}
