import { share, timer, type Observable, type SchedulerLike } from 'rxjs';

/** How long a shared subscription outlives its last subscriber by default, in ms. */
export const DEFAULT_SHARE_GRACE_PERIOD_MS = 5_000;

/**
 * Options of {@link shareSubscription}.
 *
 * @example
 * ```ts
 * const options: HmbShareSubscriptionOptions = { gracePeriodMs: 10_000 };
 * ```
 */
export interface HmbShareSubscriptionOptions {
  /**
   * How long the session stays open after the last subscriber has left, in ms (default
   * {@link DEFAULT_SHARE_GRACE_PERIOD_MS}). A subscriber arriving within it joins the same session;
   * after it, the session is closed and the next subscriber opens a new one. `0` closes at once.
   */
  readonly gracePeriodMs?: number;
  /** Where the grace period's timer runs (default `asyncScheduler`; a TestScheduler in tests). */
  readonly scheduler?: SchedulerLike;
}

/**
 * Serves many subscribers from one subscription to the source: with an hmb-rx subscription, one
 * HMB session instead of one per subscriber. The server caps sessions per client address and per
 * bus (10 by default, docs/protocol.md §9), and idle sessions count until they are swept minutes later, so a
 * page whose components each subscribe on their own, or that resubscribes on every navigation,
 * soon runs into `503 maximum number of sessions per IP exceeded` or evicts its own sessions.
 *
 * Built on RxJS `share`: the first subscriber opens the session; later ones receive what arrives
 * from then on (not what came before: add your own replay if they need it); when the last one
 * leaves, the session is kept for `gracePeriodMs` so that a quick resubscribe (a re-render, a route
 * change) reuses it. After an error or completion the next subscriber starts afresh.
 *
 * @example
 * ```ts
 * import { HmbClient, shareSubscription } from 'hmb-rx';
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * const alerts$ = shareSubscription(client.subscribe({ queue: { SYSTEM_ALERT: {} } }), {
 *   gracePeriodMs: 10_000,
 * });
 * alerts$.subscribe(showOnMap); // opens the session
 * alerts$.subscribe(addToList); // same session
 * ```
 * @param source - the Observable to share (typically `client.subscribe(...)`).
 * @param options - see {@link HmbShareSubscriptionOptions}.
 * @returns an Observable that subscribes to `source` at most once at a time.
 */
export function shareSubscription<T>(
  source: Observable<T>,
  options: HmbShareSubscriptionOptions = {},
): Observable<T> {
  const graceMs = options.gracePeriodMs ?? DEFAULT_SHARE_GRACE_PERIOD_MS;
  const { scheduler } = options;
  return source.pipe(
    share<T>({
      resetOnError: true,
      resetOnComplete: true,
      resetOnRefCountZero:
        graceMs > 0
          ? () => (scheduler === undefined ? timer(graceMs) : timer(graceMs, scheduler))
          : true,
    }),
  );
}
