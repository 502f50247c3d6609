import { match } from 'ts-pattern';
import { classifyHmbError } from '../errors/classify-hmb-error';
import { isHmbError } from '../errors/hmb-error';
import { classifyNetworkFailure } from '../transport/network-failure';

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

/** Classifies a /send failure (see {@link HmbSendFailure}). */
export function classifySendFailure(error: unknown): HmbSendFailure {
  if (!isHmbError(error)) return 'fatal';
  return match(error.code)
    .with('HMB_ERR_SESSION_LOST', () => 'session-lost' as const)
    .with('HMB_ERR_SESSION_LIMIT', () => 'session-limit' as const)
    .with('HMB_ERR_BAD_PARAM', () => 'rejected' as const)
    .with('HMB_ERR_NETWORK', 'HMB_ERR_TIMEOUT', () =>
      classifyNetworkFailure(error) === 'not-sent' ? ('not-sent' as const) : ('uncertain' as const),
    )
    .otherwise(() =>
      classifyHmbError(error) === 'transient' ? ('uncertain' as const) : ('fatal' as const),
    );
}
