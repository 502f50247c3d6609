import {
  asyncScheduler,
  catchError,
  defer,
  EMPTY,
  exhaustMap,
  ignoreElements,
  map,
  merge,
  tap,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { HmbInfo } from '../protocol/bus-info';
import type { HmbMessage } from '../protocol/message';
import type { HmbConnectionState, HmbGap } from '../session/connection-state';

/** How often {@link HmbMetrics.snapshots$} emits by default, in ms. */
export const DEFAULT_METRICS_INTERVAL_MS = 1_000;
/** How often {@link HmbMetrics} asks /info for the queues' ends by default, in ms. */
export const DEFAULT_METRICS_LAG_REFRESH_MS = 10_000;

/**
 * The figures of one queue in an {@link HmbMetricsSnapshot}.
 *
 * @example
 * ```ts
 * const q: HmbQueueMetrics = { delivered: 1520, lastSeq: 1519, endseq: 1860, lag: 340, gaps: 0, missed: 0 };
 * ```
 */
export interface HmbQueueMetrics {
  /** Messages delivered from this queue. */
  readonly delivered: number;
  /** Seq of the last message delivered, `undefined` before the first. */
  readonly lastSeq: number | undefined;
  /** The queue's `endseq` (last seq + 1) at the last /info refresh, `undefined` before it. */
  readonly endseq: number | undefined;
  /**
   * How far behind the bus the subscriber is: messages after `lastSeq` up to `endseq` (0 when
   * caught up), `undefined` until both are known. With topics or a filter it also counts messages
   * the subscription will never receive, so read it as an upper bound there.
   */
  readonly lag: number | undefined;
  /** Gaps reported in this queue (seqs the server could no longer supply). */
  readonly gaps: number;
  /** Messages lost in those gaps. */
  readonly missed: number;
}

/**
 * What a dashboard shows: one value of {@link HmbMetrics.snapshots$}.
 *
 * @example
 * ```ts
 * metrics.snapshots$.subscribe((s: HmbMetricsSnapshot) =>
 *   console.log(`${s.state} ${s.messagesPerSecond.toFixed(0)} msg/s, ${s.reconnects} reconnects`),
 * );
 * ```
 */
export interface HmbMetricsSnapshot {
  /** Scheduler time of the snapshot, in ms. */
  readonly at: number;
  /** The last connection state seen (`undefined` before the first). */
  readonly state: HmbConnectionState['type'] | undefined;
  /** Messages delivered, all queues together. */
  readonly delivered: number;
  /** Messages per second since the previous snapshot (0 for the first). */
  readonly messagesPerSecond: number;
  /** Times the session was lost and the subscription started reconnecting. */
  readonly reconnects: number;
  /** Gaps reported, all queues together. */
  readonly gaps: number;
  /** Per queue, for the queues seen so far. */
  readonly perQueue: Readonly<Record<string, HmbQueueMetrics>>;
}

/**
 * Options of {@link HmbMetrics}.
 *
 * @example
 * ```ts
 * const options: HmbMetricsOptions = { info: () => client.info(), lagRefreshMs: 5000, intervalMs: 1000 };
 * ```
 */
export interface HmbMetricsOptions {
  /** How to ask /info, for `lag`: typically `() => client.info()`. Without it, lag is unknown. */
  readonly info?: () => Observable<HmbInfo>;
  /** How often to ask /info while snapshots are watched, in ms ({@link DEFAULT_METRICS_LAG_REFRESH_MS}). */
  readonly lagRefreshMs?: number;
  /** How often snapshots are emitted, in ms ({@link DEFAULT_METRICS_INTERVAL_MS}). */
  readonly intervalMs?: number;
  /** Where time comes from (default `asyncScheduler`; a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
}

interface QueueCounters {
  delivered: number;
  lastSeq: number | undefined;
  gaps: number;
  missed: number;
}

/**
 * Collects the figures of a subscription for a dashboard: per queue the messages delivered, the
 * last seq and the lag behind the bus (from /info, refreshed every `lagRefreshMs`), and overall
 * the message rate, reconnects and gaps. Feed it in one of two ways, not both (they would count
 * twice):
 *
 * - `client.events(params).pipe(metrics.track())`: every event passes through unchanged;
 * - `client.subscribe(params, { onState: metrics.onState, onGap: metrics.onGap })
 *   .pipe(metrics.trackMessages())`: for a plain message subscription.
 *
 * Then watch `metrics.snapshots$`, which emits every `intervalMs` (and asks /info only while it
 * is watched). All time comes from the scheduler, so it runs in virtual time in marble tests.
 * One collector is meant for one subscription; queues of the same name from two buses would add up.
 *
 * @example
 * ```ts
 * import { HmbClient, HmbMetrics } from 'hmb-rx';
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * const metrics = new HmbMetrics({ info: () => client.info(), lagRefreshMs: 5000 });
 * client.events({ queue: { SYSTEM_ALERT: { seq: 0 } } }).pipe(metrics.track()).subscribe();
 * metrics.snapshots$.subscribe((s) =>
 *   console.log(s.state, s.messagesPerSecond.toFixed(0), s.perQueue['SYSTEM_ALERT']?.lag),
 * ); // open 1520 340, open 1610 0, …
 * ```
 */
export class HmbMetrics {
  /** Snapshots every `intervalMs`, the first at once. Cold: each subscriber has its own rate. */
  readonly snapshots$: Observable<HmbMetricsSnapshot>;

  private readonly queues = new Map<string, QueueCounters>();
  /** Every queue's endseq at the last /info answer (a queue may be seen only after it). */
  private readonly ends = new Map<string, number>();
  private delivered = 0;
  private reconnects = 0;
  private gaps = 0;
  private state: HmbConnectionState['type'] | undefined;

  constructor(options: HmbMetricsOptions = {}) {
    const scheduler = options.scheduler ?? asyncScheduler;
    const intervalMs = options.intervalMs ?? DEFAULT_METRICS_INTERVAL_MS;
    const lagRefreshMs = options.lagRefreshMs ?? DEFAULT_METRICS_LAG_REFRESH_MS;
    const { info } = options;
    this.snapshots$ = defer(() => {
      let lastAt = scheduler.now();
      let lastDelivered = this.delivered;
      const refresh =
        info === undefined
          ? EMPTY
          : timer(0, lagRefreshMs, scheduler).pipe(
              // A slow /info must not pile up: skip refreshes while one is in flight, and keep
              // the last known ends when one fails.
              exhaustMap(() => info().pipe(catchError(() => EMPTY))),
              tap((answer) => this.applyInfo(answer)),
              ignoreElements(),
            );
      const ticks = timer(0, intervalMs, scheduler).pipe(
        map(() => {
          const now = scheduler.now();
          const elapsedMs = now - lastAt;
          const rate = elapsedMs > 0 ? ((this.delivered - lastDelivered) * 1000) / elapsedMs : 0;
          lastAt = now;
          lastDelivered = this.delivered;
          return this.snapshotAt(now, rate);
        }),
      );
      return merge(refresh, ticks);
    });
  }

  /** Counts a connection state change; pass as the `onState` option of a subscription. */
  readonly onState = (state: HmbConnectionState): void => {
    this.state = state.type;
    if (state.type === 'lost') this.reconnects++;
  };

  /** Counts a gap; pass as the `onGap` option of a subscription. */
  readonly onGap = (gap: HmbGap): void => {
    const q = this.queue(gap.queue);
    q.gaps++;
    // A rewind loses nothing the subscriber had not received; the server lost it.
    if (gap.reason !== 'rewind') q.missed += Math.max(0, gap.nextSeq - gap.expectedSeq);
    this.gaps++;
  };

  /** Counts a delivered message. */
  readonly onMessage = (message: HmbMessage<unknown>): void => {
    const q = this.queue(message.queue);
    q.delivered++;
    q.lastSeq = message.seq;
    this.delivered++;
  };

  /**
   * Feeds the collector from a stream of `client.events()` (messages, states and gaps), passing
   * every event on unchanged.
   *
   * @example
   * ```ts
   * client.events(params).pipe(metrics.track()).subscribe(handle);
   * ```
   */
  track<E extends { readonly kind: string }>(): MonoTypeOperatorFunction<E> {
    return tap((event) => {
      const e = event as unknown as
        | HmbMessage<unknown>
        | HmbGap
        | { readonly kind: 'state'; readonly state: HmbConnectionState };
      if (e.kind === 'message') this.onMessage(e);
      else if (e.kind === 'gap') this.onGap(e);
      else if (e.kind === 'state') this.onState(e.state);
    });
  }

  /**
   * Feeds the collector from a stream of messages (e.g. `client.subscribe()`), passing them on
   * unchanged; give the subscription `onState` and `onGap` for the rest.
   *
   * @example
   * ```ts
   * client
   *   .subscribe(params, { onState: metrics.onState, onGap: metrics.onGap })
   *   .pipe(metrics.trackMessages())
   *   .subscribe(handle);
   * ```
   */
  trackMessages<M extends HmbMessage<unknown>>(): MonoTypeOperatorFunction<M> {
    return tap((message) => this.onMessage(message));
  }

  private queue(name: string): QueueCounters {
    let q = this.queues.get(name);
    if (q === undefined) {
      q = { delivered: 0, lastSeq: undefined, gaps: 0, missed: 0 };
      this.queues.set(name, q);
    }
    return q;
  }

  private applyInfo(info: HmbInfo): void {
    for (const [name, queue] of Object.entries(info.queue)) {
      if (queue.endseq !== null) this.ends.set(name, queue.endseq);
    }
  }

  private snapshotAt(at: number, messagesPerSecond: number): HmbMetricsSnapshot {
    const perQueue: Record<string, HmbQueueMetrics> = {};
    for (const [name, q] of this.queues) {
      const endseq = this.ends.get(name);
      perQueue[name] = {
        delivered: q.delivered,
        lastSeq: q.lastSeq,
        endseq,
        lag:
          endseq === undefined || q.lastSeq === undefined
            ? undefined
            : Math.max(0, endseq - 1 - q.lastSeq),
        gaps: q.gaps,
        missed: q.missed,
      };
    }
    return {
      at,
      state: this.state,
      delivered: this.delivered,
      messagesPerSecond,
      reconnects: this.reconnects,
      gaps: this.gaps,
      perQueue,
    };
  }
}
