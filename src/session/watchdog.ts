import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
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
 * `isPaused`: while it returns true the silence is not held against the source (the consumer asked
 * the subscription to wait, see the `demand` option); the watchdog looks again one period later.
 *
 * @example
 * ```ts
 * frames$.pipe(watchdog(15_000, () => new HmbTimeoutError('no heartbeat for 15 s')));
 * ```
 */
export function watchdog<T>(
  silenceMs: number,
  onSilence: () => unknown,
  scheduler: SchedulerLike = asyncScheduler,
  isPaused: () => boolean = () => false,
): MonoTypeOperatorFunction<T> {
  if (!(silenceMs > 0) || !Number.isFinite(silenceMs)) return (source) => source;
  return (source) =>
    new Observable<T>((subscriber) => {
      // One timer for the whole subscription, not one per value: re-arming a timer for each of
      // 100,000 messages a second cost more CPU than decoding them (see docs/benchmarks.md). A
      // value only records when it came; when the timer fires early it is set again for the rest.
      let lastSeen = scheduler.now();
      let timer: Subscription | undefined;
      const check = (): void => {
        const silent = scheduler.now() - lastSeen;
        if (silent < silenceMs) {
          timer = scheduler.schedule(check, silenceMs - silent);
        } else if (isPaused()) {
          lastSeen = scheduler.now();
          timer = scheduler.schedule(check, silenceMs);
        } else {
          subscriber.error(onSilence());
        }
      };
      const subscription = source.subscribe({
        next: (value) => {
          lastSeen = scheduler.now();
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      // Armed after subscribing, so that a value due at the very moment of the deadline wins.
      if (!subscriber.closed) timer = scheduler.schedule(check, silenceMs);
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
