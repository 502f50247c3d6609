import { bodyExcerpt } from '../errors/body-excerpt';
import type { HmbErrorContext } from '../errors/hmb-error';
import { HmbBadParamError } from '../errors/bad-param-error';
import type { HmbError } from '../errors/hmb-error';
import { HmbHttpError } from '../errors/http-error';
import { HmbSessionLimitError } from '../errors/session-limit-error';
import { HmbSessionLostError } from '../errors/session-lost-error';

/** The server's text for an unknown or expired session and for a continuity mismatch (§10.3). */
export const INVALID_SESSION_TEXT = 'invalid session';
/** The server's text when an address has too many busy sessions (§9). */
export const SESSION_LIMIT_TEXT = 'maximum number of sessions per IP exceeded';

/**
 * Classifies a non-success HTTP answer into the typed error a user can act on. The server's error
 * texts are stable (docs/protocol.md §1, §9, §10), so they are matched exactly.
 *
 * `badRequestIsParam`: a `400` to /open or /send means the request itself was wrong (no retry can
 * fix it); elsewhere an unexpected `400` is reported as plain HTTP.
 */
export function httpFailure(
  status: number,
  bodyText: string,
  context: HmbErrorContext & { readonly method: string; readonly url: string },
  badRequestIsParam: boolean,
): HmbError {
  const text = bodyText.trim();
  // Only the excerpt reaches messages: a proxy's or web server's error page is a whole HTML document.
  const excerpt = bodyExcerpt(bodyText);
  const full = { ...context, status, body: excerpt };
  const what = `${context.method} ${context.url}`;
  if (status === 400 && text === INVALID_SESSION_TEXT) {
    return new HmbSessionLostError(`session lost (${text}): ${what}`, full);
  }
  if (status === 503 && text === SESSION_LIMIT_TEXT) {
    return new HmbSessionLimitError(`${text}: ${what}`, full);
  }
  if (status === 400 && badRequestIsParam) {
    return new HmbBadParamError(
      `the server refused the request: ${excerpt || '400'}: ${what}`,
      full,
    );
  }
  if (status === 404) {
    return new HmbHttpError(`404 from ${what}: is the bus URL right (http://host:port/bus)?`, full);
  }
  return new HmbHttpError(`HTTP ${status} from ${what}${excerpt ? `: ${excerpt}` : ''}`, full);
}
