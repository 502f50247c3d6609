import type { MonoTypeOperatorFunction, SchedulerLike } from 'rxjs';
import { retryWithBackoff, type HmbRetryConfig } from '../session/retry-with-backoff';
import type { HmbConnectionInput } from '../session/connection-state-machine';
import { DEFAULT_RECV_ALL_ATTEMPTS, type HmbSubscribeOptions } from './client-options';
import type { HmbSubscribeMethod } from './subscription-plan';

/**
 * The backoff of one subscription: its own `retry`, else the client's. A bounded read (`recvAll`)
 * must end also when the bus stays down, so it gives up after {@link DEFAULT_RECV_ALL_ATTEMPTS}
 * attempts unless told otherwise; a live subscription waits for the bus. `false`: no retry.
 */
export function subscriptionRetry(
  method: HmbSubscribeMethod,
  options: HmbSubscribeOptions,
  clientRetry: HmbRetryConfig | undefined,
): HmbRetryConfig | false | undefined {
  const given = options.retry === undefined ? clientRetry : options.retry;
  return method === 'recvAll' && given !== false
    ? { maxAttempts: DEFAULT_RECV_ALL_ATTEMPTS, ...given }
    : given;
}

/** Hooks of {@link resumeAfterFailures}. */
export interface HmbResumeHooks {
  /** Says more about a failure before it is reported (see `explainSessionLimit`). */
  readonly explain: (error: unknown) => unknown;
  /** Told of each retry, for the connection state (`lost`, then `resuming`). */
  readonly report: (input: HmbConnectionInput) => void;
  readonly scheduler?: SchedulerLike;
}

/**
 * The retry part of a subscription: re-subscribes to the attempts after a transient failure, with
 * backoff; the cursor they share makes each new attempt resume from the last delivered seq. This
 * is the one place that decides when a subscription gives up (a fatal error, or `maxAttempts`).
 */
export function resumeAfterFailures<T>(
  retry: HmbRetryConfig | false | undefined,
  hooks: HmbResumeHooks,
): MonoTypeOperatorFunction<T> {
  if (retry === false) return (attempts) => attempts;
  return retryWithBackoff<T>(retry ?? {}, {
    onRetry: ({ error: failure, attempt, delayMs }) => {
      // Before the state is told: a session-cap refusal says at once where the budget went,
      // instead of only "lost" in a loop of slow reconnects.
      const error = hooks.explain(failure);
      hooks.report({ kind: 'retrying', error, attempt, delayMs });
    },
    ...(hooks.scheduler === undefined ? {} : { scheduler: hooks.scheduler }),
  });
}
