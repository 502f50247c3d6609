import { HmbNetworkError } from '../errors/network-error';
import { isHmbError } from '../errors/hmb-error';
import { HmbTimeoutError } from '../errors/timeout-error';
import { HmbTlsError } from '../errors/tls-error';

// Certificate problems: no retry can fix them.
const TLS_VERIFICATION_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
]);

// Failures before a connection existed: the request cannot have reached the server.
const BEFORE_CONNECTING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether a failed request may have reached the server:
 * - `not-sent`: no connection was ever made (refused, no route, name not found, connect timeout),
 *   so nothing of the request was written: safe to send again;
 * - `maybe-sent`: anything else (reset, cut, no answer in time): the server may have received and
 *   acted on it.
 */
export type HmbNetworkFailureClass = 'not-sent' | 'maybe-sent';

/**
 * Classifies a failed request (see {@link HmbNetworkFailureClass}) by the socket code that
 * undici or Node put on the error or its causes, as {@link toTransportError} kept them. An error
 * without such a code (an answer that never came, a timeout of our own) is `maybe-sent`.
 *
 * @example
 * ```ts
 * classifyNetworkFailure(toTransportError(refused, 'POST', url, signal)); // 'not-sent'
 * ```
 */
export function classifyNetworkFailure(error: unknown): HmbNetworkFailureClass {
  const code = errorCode(error);
  return code !== undefined && BEFORE_CONNECTING.has(code) ? 'not-sent' : 'maybe-sent';
}

/**
 * Turns whatever a socket, fetch or undici threw into an hmb-rx error, unless the request was
 * aborted on purpose: then the abort reason is returned unchanged so callers can tell a
 * cancellation (or their own timeout) from a failure.
 */
export function toTransportError(
  cause: unknown,
  method: string,
  url: string,
  signal: AbortSignal,
): unknown {
  if (signal.aborted) return signal.reason;
  // Already ours (a size bound passed while reading, a deadline): it says what happened.
  if (isHmbError(cause)) return cause;
  const code = errorCode(cause);
  const what = `${method} ${url}`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new HmbTimeoutError(`connect timeout: ${what}`, { method, url, cause });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (code !== undefined && TLS_VERIFICATION_CODES.has(code)) {
    return new HmbTlsError(`TLS certificate refused: ${what}: ${detail} (${code})`, {
      method,
      url,
      cause,
    });
  }
  const reason = code !== undefined && !detail.includes(code) ? `${detail} (${code})` : detail;
  return new HmbNetworkError(`request failed: ${what}: ${reason}`, { method, url, cause });
}

// undici and Node put the useful code on the error or on its cause (fetch wraps it in a TypeError;
// an hmb-rx error wraps it once more, and its own HMB_ERR_ code says nothing about the socket).
function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('HMB_ERR_')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
