/** The two wire formats of HMB. A session's format is fixed when it is opened. */
export type HmbFormat = 'json' | 'bson';

/**
 * The exact Content-Type that makes the server read a body as JSON. Anything else, including
 * `application/json; charset=utf-8`, is read as BSON (docs/protocol.md §6), so this string must not change.
 */
export const JSON_CONTENT_TYPE = 'application/json';
/** The Content-Type for BSON bodies. */
export const BSON_CONTENT_TYPE = 'application/bson';

/** The Content-Type to send for a format. */
export function contentTypeOf(format: HmbFormat): string {
  return format === 'json' ? JSON_CONTENT_TYPE : BSON_CONTENT_TYPE;
}
