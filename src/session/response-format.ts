import type { HmbErrorContext } from '../errors/hmb-error';
import { HmbProtocolError } from '../errors/protocol-error';
import { bodyExcerpt } from '../errors/body-excerpt';
import { BSON_CONTENT_TYPE, JSON_CONTENT_TYPE, type HmbFormat } from '../protocol/hmb-format';
import { utf8Text } from './exchange';

/**
 * The format of a successful answer to /open, /recv or /stream, read from its Content-Type: the
 * bus answers `application/json` or `application/bson` (docs/protocol.md, /open: the reply uses
 * the format of the request, and the session keeps it). An answer without a Content-Type is taken
 * to be in the session's format. Anything else (`text/html` from a web server or proxy that is not
 * an HMB bus, a login page) is refused here: decoded as BSON it used to be reported as a corrupt
 * BSON document, which sent users looking for a bug in the bus.
 *
 * The one place that decides this for all three requests.
 *
 * @throws HmbProtocolError naming the Content-Type and the start of the body.
 */
export function formatOfAnswer(
  contentType: string | undefined,
  sessionFormat: HmbFormat,
  context: HmbErrorContext,
  body?: Uint8Array,
): HmbFormat {
  if (contentType === undefined) return sessionFormat;
  // The bus's own header as it sends it, before any parsing (every /recv passes here).
  if (contentType === JSON_CONTENT_TYPE) return 'json';
  if (contentType === BSON_CONTENT_TYPE) return 'bson';
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === JSON_CONTENT_TYPE) return 'json';
  if (mediaType === BSON_CONTENT_TYPE) return 'bson';
  const excerpt = body === undefined ? undefined : bodyExcerpt(utf8Text(body.subarray(0, 4096)));
  throw new HmbProtocolError(
    `the server answered with Content-Type ${JSON.stringify(contentType)}, not an HMB reply ` +
      `(application/json or application/bson): is ${context.url ?? 'the URL'} an HMB bus?` +
      (excerpt ? ` Body: ${excerpt}` : ''),
    { ...context, ...(excerpt === undefined ? {} : { body: excerpt }) },
  );
}
