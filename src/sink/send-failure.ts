import { match } from 'ts-pattern';
import { classifyHmbError } from '../errors/classify-hmb-error';
import { isHmbError } from '../errors/hmb-error';

/**
 * What a failed /send means for the batch:
 * - `not-sent`: certainly not stored (could not connect; `400 invalid session` is refused before
 *   anything is stored) — safe to send again;
 * - `uncertain`: the request went out and no answer came back — may be stored;
 * - `rejected`: the server answered `400` — give up on the batch;
 * - `fatal`: anything else no retry can fix.
 */
export type HmbSendFailure =
  'not-sent' | 'session-lost' | 'session-limit' | 'uncertain' | 'rejected' | 'fatal';

// Errors raised before the request could reach the server.
const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Classifies a /send failure (see {@link HmbSendFailure}). */
export function classifySendFailure(error: unknown): HmbSendFailure {
  if (!isHmbError(error)) return 'fatal';
  return match(error.code)
    .with('HMB_ERR_SESSION_LOST', () => 'session-lost' as const)
    .with('HMB_ERR_SESSION_LIMIT', () => 'session-limit' as const)
    .with('HMB_ERR_BAD_PARAM', () => 'rejected' as const)
    .with('HMB_ERR_NETWORK', 'HMB_ERR_TIMEOUT', () =>
      BEFORE_SENDING.has(causeCode(error) ?? '') ? ('not-sent' as const) : ('uncertain' as const),
    )
    .otherwise(() =>
      classifyHmbError(error) === 'transient' ? ('uncertain' as const) : ('fatal' as const),
    );
}

function causeCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('HMB_ERR_')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
