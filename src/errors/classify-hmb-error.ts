import { match, P } from 'ts-pattern';
import { isHmbError, type HmbError } from './hmb-error';

/**
 * How a failure should be handled:
 * - `transient`: retry after a backoff (network errors, timeouts, 5xx, a lost session, a corrupt frame);
 * - `session-limit`: retry, but not before a longer pause (`503` session cap: the server wants fewer
 *   sessions from this address, and a fast retry would only take another slot);
 * - `fatal`: no retry can fix it (bad parameters, a refused queue, 4xx) — fail at once.
 */
export type HmbErrorClass = 'transient' | 'session-limit' | 'fatal';

/**
 * Classifies any error for retrying. Errors that are not hmb-rx errors (bugs, user callbacks that
 * throw) are fatal: retrying would hide them.
 *
 * @example
 * ```ts
 * classifyHmbError(new HmbTimeoutError('…')); // 'transient'
 * ```
 */
export function classifyHmbError(error: unknown): HmbErrorClass {
  if (!isHmbError(error)) return 'fatal';
  return match<HmbError, HmbErrorClass>(error)
    .with({ code: 'HMB_ERR_SESSION_LIMIT' }, () => 'session-limit')
    .with(
      {
        code: P.union(
          'HMB_ERR_NETWORK',
          'HMB_ERR_TIMEOUT',
          'HMB_ERR_SESSION_LOST',
          'HMB_ERR_DECODE',
          'HMB_ERR_PROTOCOL',
        ),
      },
      () => 'transient',
    )
    .with({ code: 'HMB_ERR_HTTP' }, (e) => (isRetryableStatus(e.status) ? 'transient' : 'fatal'))
    .with(
      {
        code: P.union(
          'HMB_ERR_QUEUE',
          'HMB_ERR_QUEUE_NOT_FOUND',
          'HMB_ERR_BAD_PARAM',
          'HMB_ERR_FILTER',
          'HMB_ERR_INVALID_MESSAGE',
          'HMB_ERR_SEND',
          'HMB_ERR_BUFFER_FULL',
          'HMB_ERR_CLOSED',
          'HMB_ERR_TLS',
          'HMB_ERR_INVALID_DATA',
          'HMB_ERR_EMSC',
          // A hostile or broken server would send the same again.
          'HMB_ERR_TOO_LARGE',
        ),
      },
      () => 'fatal',
    )
    .exhaustive();
}

// 5xx (server or proxy trouble), 408 and 429 (a proxy asking us to come back later). Not 501: a
// server that does not implement the method (a web server that is no HMB bus) will not learn it.
function isRetryableStatus(status: number | undefined): boolean {
  return (
    status !== undefined && ((status >= 500 && status !== 501) || status === 408 || status === 429)
  );
}
