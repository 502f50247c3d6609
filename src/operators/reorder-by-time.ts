import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { HmbBadParamError } from '../errors/bad-param-error';

/** Values {@link reorderByTime} holds at most, by default. */
export const DEFAULT_REORDER_MAX_BUFFERED = 10_000;

/**
 * A time as {@link reorderByTime} reads it: epoch ms, a `Date`, or a string `Date.parse` reads.
 *
 * @example
 * ```ts
 * const times: HmbTimeValue[] = [1764000000000, new Date(), '2026-11-24T06:12:31.400000Z'];
 * ```
 */
export type HmbTimeValue = number | string | Date;

/**
 * Options of {@link reorderByTime}.
 *
 * @example
 * ```ts
 * const options: HmbReorderByTimeOptions = { lagMs: 2000, maxBuffered: 5000 };
 * ```
 */
export interface HmbReorderByTimeOptions {
  /**
   * How long each value waits for earlier ones (by time) that are still on their way, in ms:
   * the largest delay between two values' arrivals that still gets them in order.
   */
  readonly lagMs: number;
  /**
   * Values held at most (default {@link DEFAULT_REORDER_MAX_BUFFERED}). Beyond that, the earliest
   * is released at once, so memory stays bounded under any rate.
   */
  readonly maxBuffered?: number;
  /** Where time comes from (default `asyncScheduler`; a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
}

interface Held<T> {
  readonly value: T;
  readonly time: number;
  readonly arrival: number;
  released: boolean;
}

/**
 * Puts values back in time order within a bounded lag: each value is held for `lagMs` after it
 * arrives, and is then released together with every held value of an earlier (or equal) time,
 * earliest first. So values come out sorted by `time` as long as none arrives more than `lagMs`
 * after a value with a later time; one that does (late) comes out as soon as its own wait is
 * over, after the later ones already released. Values of equal time keep their arrival order.
 *
 * Bounded: at most `maxBuffered` values are held (the earliest goes out at once when one more
 * arrives), and one timer runs at a time. When the source completes, everything held is released
 * in time order, then the output completes; when it errors, everything held is released first, so
 * nothing that arrived is lost. Values whose time is not a valid number (`NaN`, an unparsable
 * string) cannot be placed and pass straight through.
 *
 * @example
 * ```ts
 * import { reorderByTime } from 'hmb-rx';
 * // Alerts from two data centres, in origin-time order, waiting at most 2 s for a slower one.
 * merged$.pipe(reorderByTime((m) => m.data!.originTime, { lagMs: 2000 }));
 * ```
 * @param time - the value's time: epoch ms, a `Date`, or a string such as an ISO or HMB time.
 * @param options - see {@link HmbReorderByTimeOptions}.
 * @returns an operator that reorders within the lag.
 * @throws HmbBadParamError for a negative lag or a buffer size below 1.
 */
export function reorderByTime<T>(
  time: (value: T) => HmbTimeValue,
  options: HmbReorderByTimeOptions,
): MonoTypeOperatorFunction<T> {
  const { lagMs } = options;
  const maxBuffered = options.maxBuffered ?? DEFAULT_REORDER_MAX_BUFFERED;
  if (!(lagMs >= 0) || !Number.isFinite(lagMs)) {
    throw new HmbBadParamError(`reorderByTime: lagMs must be a finite number >= 0, got ${lagMs}`);
  }
  if (!(maxBuffered >= 1)) {
    throw new HmbBadParamError(`reorderByTime: maxBuffered must be at least 1, got ${maxBuffered}`);
  }
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<T>((subscriber) => {
      /** Held values sorted by time (stable: equal times in arrival order). */
      let byTime: Held<T>[] = [];
      /** The same values in arrival order from `head` on; released ones are skipped lazily. */
      let byArrival: Held<T>[] = [];
      let head = 0;
      let timer: Subscription | undefined;

      const releaseUpTo = (limit: number): void => {
        let n = 0;
        while (n < byTime.length && byTime[n]!.time <= limit) n++;
        if (n === 0) return;
        const out = byTime.splice(0, n);
        for (const held of out) held.released = true;
        for (const held of out) subscriber.next(held.value);
      };

      const compactArrivals = (): void => {
        while (head < byArrival.length && byArrival[head]!.released) head++;
        // Released values behind an unreleased one stay until it leaves; compact now and then so
        // the list never holds much more than maxBuffered entries.
        if (byArrival.length - head > 2 * maxBuffered) {
          byArrival = byArrival.slice(head).filter((h) => !h.released);
          head = 0;
        } else if (head > 1024 && head * 2 > byArrival.length) {
          byArrival = byArrival.slice(head);
          head = 0;
        }
      };

      const schedule = (): void => {
        // A value released just now may have made the subscriber unsubscribe (take, first …).
        if (subscriber.closed || timer !== undefined || head >= byArrival.length) return;
        const due = byArrival[head]!.arrival + lagMs;
        timer = scheduler.schedule(
          () => {
            timer = undefined;
            const cutoff = scheduler.now() - lagMs;
            let limit = -Infinity;
            while (head < byArrival.length && byArrival[head]!.arrival <= cutoff) {
              const held = byArrival[head++]!;
              if (!held.released && held.time > limit) limit = held.time;
            }
            releaseUpTo(limit);
            compactArrivals();
            schedule();
          },
          Math.max(0, due - scheduler.now()),
        );
      };

      const flush = (): void => {
        timer?.unsubscribe();
        timer = undefined;
        const out = byTime;
        byTime = [];
        byArrival = [];
        head = 0;
        for (const held of out) subscriber.next(held.value);
      };

      const subscription = source.subscribe({
        next: (value) => {
          const t = toEpochMs(time(value));
          if (!Number.isFinite(t)) {
            subscriber.next(value);
            return;
          }
          const held: Held<T> = { value, time: t, arrival: scheduler.now(), released: false };
          byTime.splice(upperBound(byTime, t), 0, held);
          byArrival.push(held);
          if (byTime.length > maxBuffered) {
            releaseUpTo(byTime[0]!.time);
            compactArrivals();
          }
          schedule();
        },
        error: (error: unknown) => {
          flush();
          subscriber.error(error);
        },
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
        byTime = [];
        byArrival = [];
      };
    });
}

/** Index after the last held value with a time <= `time` (binary search). */
function upperBound<T>(held: readonly Held<T>[], time: number): number {
  let lo = 0;
  let hi = held.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (held[mid]!.time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toEpochMs(value: HmbTimeValue): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(value);
}
