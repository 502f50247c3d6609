/**
 * Go's `path.Clean`: collapses repeated slashes, removes `.` segments and resolves `..`.
 */
function goPathClean(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)/;

/**
 * The path Go's ServeMux redirects to (`cleanPath`): cleaned, rooted, trailing slash kept. A
 * request whose path differs from it gets a 301 to it.
 */
export function cleanPath(p: string): string {
  // The common case, a rooted path without `//`, `/.` or `/..` segments, is already clean.
  if (p.startsWith('/') && !UNCLEAN.test(p)) return p;
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  let np = goPathClean(rooted);
  if (rooted.endsWith('/') && np !== '/') np += '/';
  return np;
}

/**
 * Decodes `%XX` escapes of a request path into text (as Go's URL parser does), or `undefined` for
 * a malformed escape.
 */
export function unescapePath(raw: string): string | undefined {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const b of Buffer.from(raw[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes a path for a `Location` header (segments percent-encoded, slashes kept). */
export function escapePath(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%40/g, '@').replace(/%3A/g, ':'))
    .join('/');
}
