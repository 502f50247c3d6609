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
      let timer: Subscription | undefined;
      const arm = (): void => {
        timer?.unsubscribe();
        timer = scheduler.schedule(() => {
          if (isPaused()) arm();
          else subscriber.error(onSilence());
        }, silenceMs);
      };
      arm();
      const subscription = source.subscribe({
        next: (value) => {
          arm();
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
