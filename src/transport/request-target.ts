/** Where a request goes, as undici's dispatcher API takes it. */
export interface HmbRequestTarget {
  readonly origin: string;
  /** The path and query, e.g. `/test/send/SID`. */
  readonly path: string;
}

/** Targets of recent URLs. Cleared when full: the URLs that come back are few and come often. */
const recent = new Map<string, HmbRequestTarget>();
const MAX_RECENT = 256;

/**
 * The origin and path of `url`, derived as undici's top-level `request(url)` derives them (WHATWG
 * URL parsing, http and https only), and remembered: every /send of a session, every /recv of a
 * subscription waiting for the same seq, goes to the same URL, and parsing it was a tenth of a
 * one-message /send's CPU.
 *
 * @throws TypeError for a URL that does not parse or has another scheme than http or https.
 */
export function requestTarget(url: string): HmbRequestTarget {
  let target = recent.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`Invalid URL protocol: the URL must start with http: or https: (${url})`);
    }
    target = {
      origin: parsed.origin,
      path: parsed.search === '' ? parsed.pathname : `${parsed.pathname}${parsed.search}`,
    };
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.set(url, target);
  }
  return target;
}
