import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { HmbBadParamError } from '../errors/bad-param-error';

/** Keys {@link dedupeBy} remembers at most, by default. */
export const DEFAULT_DEDUPE_WINDOW_SIZE = 10_000;

/**
 * Options of {@link dedupeBy}: the window within which a repeated key counts as a duplicate.
 *
 * @example
 * ```ts
 * const lastHour: HmbDedupeByOptions = { windowSize: 10_000, windowMs: 60 * 60_000 };
 * ```
 */
export interface HmbDedupeByOptions {
  /**
   * How many distinct keys to remember (default {@link DEFAULT_DEDUPE_WINDOW_SIZE}). The oldest
   * is forgotten when one more arrives, so memory stays bounded whatever the rate.
   */
  readonly windowSize?: number;
  /**
   * How long to remember a key after its first sighting, in ms (default: no time limit, only
   * `windowSize`). A key seen again after that passes again.
   */
  readonly windowMs?: number;
  /** Where time comes from (default `asyncScheduler`; a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
}

/**
 * Drops values whose key was already seen within a bounded window: the last `windowSize`
 * distinct keys and, with `windowMs`, only those first seen less than `windowMs` ago. The first
 * value with a key passes; repeats within the window are dropped, and do not extend it (a key
 * that keeps coming back passes once per window, so an update is not suppressed forever).
 *
 * Unlike RxJS's `distinct`, memory is bounded, so it can run on an endless stream: the same alert
 * relayed by two buses appears once, and the key set never grows past `windowSize`. It sets no
 * timer: expired keys are forgotten as values arrive.
 *
 * @example
 * ```ts
 * import { dedupeBy } from 'hmb-rx';
 * alerts$.pipe(dedupeBy((m) => m.data?.eventId, { windowSize: 1000, windowMs: 10 * 60_000 }));
 * ```
 * @param key - the identity of a value (compared with `SameValueZero`, as Map keys: return a
 *   string or number, not a fresh object). A value whose key is `undefined` is never a duplicate.
 * @param options - see {@link HmbDedupeByOptions}.
 * @returns an operator that drops the repeats.
 * @throws HmbBadParamError for a window size below 1 or a negative time window.
 */
export function dedupeBy<T>(
  key: (value: T) => unknown,
  options: HmbDedupeByOptions = {},
): MonoTypeOperatorFunction<T> {
  const windowSize = options.windowSize ?? DEFAULT_DEDUPE_WINDOW_SIZE;
  const windowMs = options.windowMs ?? Infinity;
  if (!(windowSize >= 1)) {
    throw new HmbBadParamError(`dedupeBy: windowSize must be at least 1, got ${windowSize}`);
  }
  if (!(windowMs >= 0)) {
    throw new HmbBadParamError(`dedupeBy: windowMs must not be negative, got ${windowMs}`);
  }
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<T>((subscriber) => {
      // Insertion order is first-sighting order, so the oldest key is always first.
      const firstSeen = new Map<unknown, number>();
      return source.subscribe({
        next: (value) => {
          const k = key(value);
          // No identity, nothing to compare: such values always pass (and take no memory).
          if (k === undefined) {
            subscriber.next(value);
            return;
          }
          const now = scheduler.now();
          if (windowMs !== Infinity) {
            for (const [oldKey, at] of firstSeen) {
              if (now - at < windowMs) break;
              firstSeen.delete(oldKey);
            }
          }
          if (firstSeen.has(k)) return;
          firstSeen.set(k, now);
          if (firstSeen.size > windowSize) firstSeen.delete(firstSeen.keys().next().value);
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
