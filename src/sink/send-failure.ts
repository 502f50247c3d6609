import { match } from 'ts-pattern';
import { classifyHmbError } from '../errors/classify-hmb-error';
import { isHmbError } from '../errors/hmb-error';
import type { HmbRetryDecision } from '../session/retry-with-backoff';
import { classifyNetworkFailure } from '../transport/network-failure';
import type { HmbUncertainPolicy } from './sink-options';

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

/**
 * Whether, and how soon, a batch goes out again after its attempt number `failures` (1 for the
 * first) failed this way: never after a `400` or a failure no retry can fix, nor after an
 * uncertain one under the `report` policy (sending again could double it); at once after the
 * first lost session (the server refused it before storing anything: there is nothing to wait
 * for); otherwise after the backoff, a longer one after a session-cap refusal.
 */
export function sendRetryDecision(
  failure: HmbSendFailure,
  failures: number,
  policy: HmbUncertainPolicy,
): HmbRetryDecision {
  return match(failure)
    .with('rejected', 'fatal', () => 'fatal' as const)
    .with('uncertain', () => (policy === 'report' ? ('fatal' as const) : ('transient' as const)))
    .with('session-lost', () => (failures === 1 ? ('at-once' as const) : ('transient' as const)))
    .with('session-limit', () => 'session-limit' as const)
    .with('not-sent', () => 'transient' as const)
    .exhaustive();
}
