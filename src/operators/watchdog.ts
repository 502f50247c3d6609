import {
  throwError,
  timeout,
  type Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';

/**
 * Fails the source with the error `onSilence()` builds when nothing arrives for `silenceMs`
 * (counted from subscription and from each value). Unsubscribing the source on failure aborts its
 * request in flight, so a retry layer below can reconnect.
 *
 * Used on the raw frame stream with heartbeats still in it: a live session always sends something
 * within its heartbeat interval, so silence means a dead link (a cable pulled, a laptop that slept,
 * a proxy that stalls without closing).
 *
 * @example
 * ```ts
 * frames$.pipe(watchdog(15_000, () => new HmbTimeoutError('no heartbeat for 15 s')));
 * ```
 */
export function watchdog<T>(
  silenceMs: number,
  onSilence: () => unknown,
  scheduler?: SchedulerLike,
): MonoTypeOperatorFunction<T> {
  if (!(silenceMs > 0) || !Number.isFinite(silenceMs)) return (source) => source;
  return timeout<T, Observable<never>>({
    each: silenceMs,
    with: () => throwError(onSilence),
    ...(scheduler === undefined ? {} : { scheduler }),
  });
}
