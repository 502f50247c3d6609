import {
  of,
  retry,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { classifyHmbError, type HmbErrorClass } from '../errors/classify-hmb-error';

/** First backoff ceiling, in ms. */
export const DEFAULT_RETRY_INITIAL_DELAY_MS = 500;
/** Largest backoff ceiling, in ms. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;
/** Growth of the ceiling per failure in a row. */
export const DEFAULT_RETRY_FACTOR = 2;
/** Minimum pause after `503 maximum number of sessions per IP exceeded`, in ms. */
export const DEFAULT_SESSION_LIMIT_DELAY_MS = 10_000;

/**
 * How to retry: exponential backoff with full jitter. The n-th retry in a row (from 0) waits a
 * random time between 0 and `min(maxDelayMs, initialDelayMs × factor^n)`; after a session-cap
 * refusal it waits at least `sessionLimitDelayMs`.
 */
export interface HmbRetryConfig {
  /** Default {@link DEFAULT_RETRY_INITIAL_DELAY_MS}. */
  readonly initialDelayMs?: number;
  /** Default {@link DEFAULT_RETRY_MAX_DELAY_MS}. */
  readonly maxDelayMs?: number;
  /** Default {@link DEFAULT_RETRY_FACTOR}. */
  readonly factor?: number;
  /**
   * Attempts in a row, the first one included, before giving up with the last error: `1` means
   * no retry, `3` one attempt and two retries. The count starts again whenever something arrives.
   * Default `Infinity` here and for `subscribe`/`events`; bounded operations have their own
   * (recvAll 5, info/features/status 3, send 5, a sink 10: docs/session-lifecycle.md, "Bounded
   * operations").
   */
  readonly maxAttempts?: number;
  /** `full` (default) spreads reconnects of many clients; `none` waits exactly the ceiling. */
  readonly jitter?: 'full' | 'none';
  /** Default {@link DEFAULT_SESSION_LIMIT_DELAY_MS}. */
  readonly sessionLimitDelayMs?: number;
}

/** What {@link retryWithBackoff} tells its `onRetry` hook before each wait. */
export interface HmbRetryInfo {
  readonly error: unknown;
  /** Failures in a row so far (1 for the first retry). */
  readonly attempt: number;
  readonly delayMs: number;
}

/** Hooks and test seams for {@link retryWithBackoff}. */
export interface HmbRetryHooks {
  /** Called before each wait. */
  readonly onRetry?: (info: HmbRetryInfo) => void;
  /** The scheduler for the waits (a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
  /** A source of randomness in [0, 1) for the jitter (default Math.random). */
  readonly random?: () => number;
}

/**
 * The wait before retry number `failures` (1 for the first retry) for an error of the given class.
 */
export function backoffDelayMs(
  failures: number,
  config: HmbRetryConfig,
  sessionLimited: boolean,
  random: () => number = Math.random,
): number {
  const initial = config.initialDelayMs ?? DEFAULT_RETRY_INITIAL_DELAY_MS;
  const max = config.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
  const factor = config.factor ?? DEFAULT_RETRY_FACTOR;
  const ceiling = Math.min(max, initial * factor ** Math.max(0, failures - 1));
  const delay = config.jitter === 'none' ? ceiling : Math.floor(random() * ceiling);
  return sessionLimited
    ? Math.max(delay, config.sessionLimitDelayMs ?? DEFAULT_SESSION_LIMIT_DELAY_MS)
    : delay;
}

/**
 * Re-subscribes to the source after transient failures, waiting an exponential backoff with full
 * jitter; fatal errors (see `classifyHmbError`) pass through at once. The count of failures in a
 * row resets whenever the source emits, so a subscription that has been healthy for hours starts
 * again from the short delay.
 *
 * @example
 * ```ts
 * source$.pipe(retryWithBackoff({ initialDelayMs: 1000, maxAttempts: 10 }, { onRetry: (i) => console.warn(i) }));
 * ```
 */
export function retryWithBackoff<T>(
  config: HmbRetryConfig = {},
  hooks: HmbRetryHooks = {},
): MonoTypeOperatorFunction<T> {
  return retryClassified<T>(config, classifyHmbError, hooks);
}

/**
 * @internal How {@link retryClassified} treats one failure: as an {@link HmbErrorClass} says, or
 * `at-once`: retry without waiting (nothing happened on the server that a pause would let settle).
 */
export type HmbRetryDecision = HmbErrorClass | 'at-once';

/**
 * @internal {@link retryWithBackoff} with the caller's own reading of its failures: the sink
 * decides from a /send's fate, not from the error class alone, whether a batch may go out again.
 * `classify` is given the failures in a row so far (1 for the first).
 */
export function retryClassified<T>(
  config: HmbRetryConfig,
  classify: (error: unknown, failures: number) => HmbRetryDecision,
  hooks: HmbRetryHooks = {},
): MonoTypeOperatorFunction<T> {
  // RxJS counts retries; `maxAttempts` counts attempts, the first one included.
  const retries = Math.max(0, (config.maxAttempts ?? Infinity) - 1);
  return retry<T>({
    count: retries,
    resetOnSuccess: true,
    delay: (error: unknown, failures: number) => {
      const kind = classify(error, failures);
      if (kind === 'fatal') return throwError(() => error);
      if (kind === 'at-once') {
        hooks.onRetry?.({ error, attempt: failures, delayMs: 0 });
        return of(0);
      }
      const delayMs = backoffDelayMs(failures, config, kind === 'session-limit', hooks.random);
      hooks.onRetry?.({ error, attempt: failures, delayMs });
      return hooks.scheduler === undefined ? timer(delayMs) : timer(delayMs, hooks.scheduler);
    },
  });
}
