import { HmbBadParamError } from '../errors/bad-param-error';

/** Where a bus lives and how to address its methods. */
export interface HmbBusEndpoint {
  /** The bus URL without credentials or trailing slash, e.g. `http://127.0.0.1:8000/test`. */
  readonly busUrl: string;
  /** `Basic …` when the URL carried `user:password@`, for a reverse proxy with basic auth. */
  readonly authorization?: string;
  /** The URL of a method with its path arguments, each percent-encoded. */
  methodUrl(method: string, ...args: readonly string[]): string;
}

/**
 * Parses a bus URL (`http(s)://host[:port][/prefix…]/bus`). Credentials in the URL
 * (`https://user:pass@host/bus`) are moved into an `Authorization` header, because `fetch`
 * refuses URLs that carry them.
 *
 * @throws HmbBadParamError when the URL is not http(s) or names no bus.
 */
export function parseBusEndpoint(url: string): HmbBusEndpoint {
  let parsed: URL;
  try {
    // In a browser a path such as '/hmb/alerts' is relative to the page (same origin as the app).
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    parsed = base === undefined ? new URL(url) : new URL(url, base);
  } catch (cause) {
    throw new HmbBadParamError(`invalid bus URL ${JSON.stringify(url)}`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HmbBadParamError(`bus URL must be http or https: ${JSON.stringify(url)}`);
  }
  let authorization: string | undefined;
  if (parsed.username !== '' || parsed.password !== '') {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    authorization = `Basic ${base64Utf8(`${user}:${password}`)}`;
    parsed.username = '';
    parsed.password = '';
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path === '') {
    throw new HmbBadParamError(
      `bus URL names no bus (expected e.g. http://host:8000/mybus): ${JSON.stringify(url)}`,
    );
  }
  const busUrl = `${parsed.origin}${path}`;
  // The last one-argument URL, kept: a sender asks for /send/{sid} of the same sid every time.
  let last = { method: '', arg: '', url: '' };
  const endpoint: HmbBusEndpoint = {
    busUrl,
    methodUrl: (method, ...args) => {
      if (args.length === 0) return `${busUrl}/${method}`;
      if (args.length === 1) {
        const arg = args[0]!;
        if (last.method !== method || last.arg !== arg)
          last = { method, arg, url: `${busUrl}/${method}/${encodeURIComponent(arg)}` };
        return last.url;
      }
      return `${busUrl}/${method}/${args.map(encodeURIComponent).join('/')}`;
    },
  };
  return authorization === undefined ? endpoint : { ...endpoint, authorization };
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
