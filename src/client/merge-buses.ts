import type { Observable } from 'rxjs';
import {
  catchError,
  concat,
  defer,
  EMPTY,
  filter,
  isObservable,
  map,
  merge,
  throwError,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { HmbClient } from './hmb-client';
import type { HmbSubscribeOptions } from './client-options';
import type { HmbMessage } from '../protocol/message';
import type { HmbSubscribeParams } from '../protocol/open-params';
import { dedupeBy } from '../operators/dedupe-by';
import { reorderByTime, type HmbTimeValue } from '../operators/reorder-by-time';

/**
 * A message together with the bus it came from (queue and seq are already on the message, so
 * `bus` + `queue` + `seq` identify it across buses).
 *
 * @example
 * ```ts
 * const m: HmbSourcedMessage<{ eventId: string }> = { kind: 'message', type: 'ALERT', queue: 'Q', seq: 7, bus: 'http://dc1:8000/alerts', data: { eventId: 'e1' } };
 * ```
 */
export type HmbSourcedMessage<T = unknown> = HmbMessage<T> & {
  /** The bus URL (for a client source) or the label given with the source. */
  readonly bus: string;
};

/**
 * A source given as a client and what to subscribe to; `client.busUrl` labels its messages.
 *
 * @example
 * ```ts
 * const dc1: HmbBusSubscription = {
 *   client: new HmbClient('http://dc1.example.org:8000/alerts'),
 *   params: { queue: { SYSTEM_ALERT: {} } },
 *   options: { transport: 'stream' },
 * };
 * ```
 */
export interface HmbBusSubscription {
  readonly client: Pick<HmbClient, 'busUrl' | 'subscribe'>;
  readonly params: HmbSubscribeParams;
  /** Options of this subscription (retry, transport, onState …). */
  readonly options?: HmbSubscribeOptions;
}

/**
 * A ready Observable of messages with the label to put in their `bus`.
 *
 * @example
 * ```ts
 * const replayed: HmbLabelledSource<Alert> = { bus: 'archive', messages: archive.recvAll({ queue: { SYSTEM_ALERT: { seq: 0 } } }) };
 * ```
 */
export interface HmbLabelledSource<T> {
  readonly bus: string;
  readonly messages: Observable<HmbMessage<T>>;
}

/**
 * One input of {@link mergeBuses}: a client and parameters, a labelled Observable, or a bare
 * Observable (labelled `source[i]`, unless its messages already carry a `bus`).
 *
 * @example
 * ```ts
 * const sources: HmbBusSource<Alert>[] = [{ client, params }, { bus: 'archive', messages: archive$ }, test$];
 * ```
 */
export type HmbBusSource<T> = HmbBusSubscription | HmbLabelledSource<T> | Observable<HmbMessage<T>>;

/**
 * What {@link HmbMergeBusesOptions.onSourceError} is told when one source fails.
 *
 * @example
 * ```ts
 * const onSourceError = ({ bus, index, error }: HmbSourceFailure): void =>
 *   console.error(`source ${index} (${bus}) failed for good`, error);
 * ```
 */
export interface HmbSourceFailure {
  /** The source's label (its bus URL for a client source). */
  readonly bus: string;
  /** Its position in the list given to {@link mergeBuses}. */
  readonly index: number;
  /** Why it failed (an hmb-rx error for client sources, e.g. `HmbQueueNotFoundError`). */
  readonly error: unknown;
}

/**
 * De-duplication across buses: see {@link dedupeBy}.
 *
 * @example
 * ```ts
 * const dedupe: HmbMergeDedupeOptions<Alert> = { key: (m) => m.data?.eventId, windowMs: 3_600_000 };
 * ```
 */
export interface HmbMergeDedupeOptions<T> {
  /** The identity of a message, e.g. `(m) => m.data?.eventId`. */
  readonly key: (message: HmbSourcedMessage<T>) => unknown;
  /** Keys remembered at most (default 10,000). */
  readonly windowSize?: number;
  /** How long a key is remembered after its first sighting, in ms (default: no limit). */
  readonly windowMs?: number;
}

/**
 * Reordering by a time field: see {@link reorderByTime}.
 *
 * @example
 * ```ts
 * const reorder: HmbMergeReorderOptions<Alert> = { time: (m) => m.data!.originTime, lagMs: 2000 };
 * ```
 */
export interface HmbMergeReorderOptions<T> {
  /** The message's time: epoch ms, a `Date` or a time string, e.g. `(m) => m.data!.originTime`. */
  readonly time: (message: HmbSourcedMessage<T>) => HmbTimeValue;
  /** How long each message waits for earlier ones from slower buses, in ms. */
  readonly lagMs: number;
  /** Messages held at most (default 10,000). */
  readonly maxBuffered?: number;
}

/**
 * Options of {@link mergeBuses}.
 *
 * @example
 * ```ts
 * const options: HmbMergeBusesOptions<Alert> = {
 *   dedupe: { key: (m) => m.data?.eventId },
 *   failFast: false,
 *   onSourceError: ({ bus }) => console.warn(`${bus} is down`),
 * };
 * ```
 */
export interface HmbMergeBusesOptions<T> {
  /** Let each message through once: the first copy to arrive wins. */
  readonly dedupe?: HmbMergeDedupeOptions<T>;
  /** Put messages back in time order within a bounded lag (after de-duplication). */
  readonly reorder?: HmbMergeReorderOptions<T>;
  /**
   * `true`: the first source to fail errors the merged stream (and ends the others).
   * `false` (default): a failed source is reported to `onSourceError` and the others go on; the
   * merged stream errors only when every source has failed.
   */
  readonly failFast?: boolean;
  /** Told when a source fails, whether or not that ends the merged stream. */
  readonly onSourceError?: (failure: HmbSourceFailure) => void;
  /** Where time comes from for the de-duplication window and the reorder lag. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Merges subscriptions to several buses into one cold Observable. Each message gets a `bus`
 * field naming where it came from. Optionally, the same message relayed by several buses is let
 * through once (`dedupe`, bounded by count and time), and messages are put back in time order
 * within a bounded lag (`reorder`), which flushes what it holds when every source has ended.
 *
 * A source that fails (a client subscription fails only on a fatal error: transient ones are
 * retried inside it) is reported to `onSourceError` and the others carry on, unless `failFast`.
 * When every source has failed, the merged stream errors with an `AggregateError` of their errors;
 * when they have all ended and at least one completed (e.g. windows read to EOF), it completes.
 *
 * Cold: nothing is opened until you subscribe, each subscription opens one session per client
 * source, and unsubscribing closes them all. Combine with `shareSubscription` to serve many
 * subscribers from one set of sessions.
 *
 * @example
 * ```ts
 * import { HmbClient, mergeBuses } from 'hmb-rx';
 * interface Alert { eventId: string; originTime: string; magnitude: number }
 * const params = { queue: { SYSTEM_ALERT: {} }, heartbeat: 10 };
 * mergeBuses<Alert>(
 *   [
 *     { client: new HmbClient('http://dc1.example.org:8000/alerts'), params },
 *     { client: new HmbClient('http://dc2.example.org:8000/alerts'), params },
 *   ],
 *   {
 *     dedupe: { key: (m) => m.data?.eventId, windowMs: 10 * 60_000 },
 *     reorder: { time: (m) => m.data!.originTime, lagMs: 2000 },
 *     onSourceError: ({ bus, error }) => console.error(`${bus} failed`, error),
 *   },
 * ).subscribe((m) => console.log(m.bus, m.seq, m.data?.eventId));
 * ```
 * @param sources - clients with parameters, labelled Observables, or bare Observables.
 * @param options - see {@link HmbMergeBusesOptions}.
 * @returns one Observable of every source's messages, each with its `bus`.
 */
export function mergeBuses<T = unknown>(
  sources: readonly HmbBusSource<T>[],
  options: HmbMergeBusesOptions<T> = {},
): Observable<HmbSourcedMessage<T>> {
  const steps: MonoTypeOperatorFunction<HmbSourcedMessage<T>>[] = [];
  const scheduling = options.scheduler === undefined ? {} : { scheduler: options.scheduler };
  if (options.dedupe !== undefined) {
    const { key, windowSize, windowMs } = options.dedupe;
    steps.push(
      dedupeBy(key, {
        ...(windowSize === undefined ? {} : { windowSize }),
        ...(windowMs === undefined ? {} : { windowMs }),
        ...scheduling,
      }),
    );
  }
  if (options.reorder !== undefined) {
    const { time, lagMs, maxBuffered } = options.reorder;
    steps.push(
      reorderByTime(time, {
        lagMs,
        ...(maxBuffered === undefined ? {} : { maxBuffered }),
        ...scheduling,
      }),
    );
  }
  return defer(() => {
    if (sources.length === 0) return EMPTY;
    // Per subscription: a resubscription starts with a clean record.
    const failures: unknown[] = [];
    const branches = sources.map((source, index) => {
      const { bus, messages } = resolveSource(source);
      return messages.pipe(
        filter((frame) => frame.kind === 'message'),
        map((message): HmbSourcedMessage<T> => {
          const own = (message as { readonly bus?: unknown }).bus;
          return { ...message, bus: bus ?? (typeof own === 'string' ? own : `source[${index}]`) };
        }),
        catchError((error: unknown) => {
          options.onSourceError?.({ bus: bus ?? `source[${index}]`, index, error });
          if (options.failFast === true) return throwError(() => error);
          failures.push(error);
          return EMPTY;
        }),
      );
    });
    const allFailed = defer(() =>
      failures.length === sources.length
        ? throwError(
            () =>
              new AggregateError(
                failures,
                `mergeBuses: every source failed (${failures.map(describe).join('; ')})`,
              ),
          )
        : EMPTY,
    );
    return concat(merge(...branches), allFailed);
  }).pipe((merged) => steps.reduce((stream, step) => stream.pipe(step), merged));
}

function resolveSource<T>(source: HmbBusSource<T>): {
  readonly bus: string | undefined;
  readonly messages: Observable<HmbMessage<T>>;
} {
  // isObservable rather than instanceof: the Observable may come from another copy of RxJS.
  if (isObservable(source)) return { bus: undefined, messages: source };
  if ('messages' in source) return { bus: source.bus, messages: source.messages };
  return {
    bus: source.client.busUrl,
    messages: source.client.subscribe<T>(source.params, { ...source.options, heartbeats: false }),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
