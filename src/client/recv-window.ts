import type { Observable } from 'rxjs';
import { catchError, defer, map, of, switchMap, take } from 'rxjs';
import type { HmbClient } from './hmb-client';
import { checkSubscribeOptions, checkSubscribeParams } from './validate-options';
import type { HmbSubscribeOptions } from './client-options';
import type { HmbInfo } from '../protocol/bus-info';
import type { HmbMessage } from '../protocol/message';
import type { HmbQueueParams } from '../protocol/open-params';
import type { HmbSubscribeParams } from '../protocol/open-params';

/**
 * One message of a window read by {@link recvWindow}, with the progress so far.
 *
 * @example
 * ```ts
 * const show = ({ message, received, total }: HmbWindowItem): string =>
 *   `${message.queue}#${message.seq}: ${received}/${total ?? '?'}`;
 * ```
 */
export interface HmbWindowItem<T = unknown> {
  readonly message: HmbMessage<T>;
  /** Messages received so far, this one included (from 1). */
  readonly received: number;
  /**
   * How many messages the window holds, from /info, when that can be known: every queue is a
   * seq window (no topics, filter, time window or `qlen`) on a queue /info reports. Otherwise
   * `undefined`. An upper bound when a queue has holes (out-of-order sends).
   */
  readonly total: number | undefined;
}

/**
 * The window actually read, and its size when it can be known (see {@link planWindow}).
 *
 * @example
 * ```ts
 * const plan: HmbWindowPlan = { params: { queue: { Q: { seq: 6, endseq: 9 } } }, total: 4 };
 * ```
 */
export interface HmbWindowPlan {
  readonly params: HmbSubscribeParams;
  readonly total: number | undefined;
}

/**
 * Reads a bounded window and completes at EOF, reporting progress: each value carries the message
 * and `{ received, total }`. Before opening, it asks /info once and pins the window to what the
 * bus holds at that moment: a negative `seq` becomes the absolute seq it stands for, and a queue
 * without `endseq` or `endtime` gets `endseq` = its last seq. So the window stays the same even
 * while publishers go on, it ends, and `total` (when every queue is a plain seq window) is exact.
 *
 * A time window (`starttime`/`endtime`) does not move the start position on the server (notes
 * §6.7, §16.3): one without `seq` is read from `seq: 0`, the oldest message held, rather than
 * from "now" (which would deliver nothing). As on the server, messages without times inside the
 * seq range pass a time window.
 *
 * If /info fails, the window is read as given (like `client.recvAll`) with `total` undefined. Like
 * `recvAll`, it ends also when the bus stays down: /info gives up after its 3 attempts, then
 * `recvAll` after its own (`DEFAULT_RECV_ALL_ATTEMPTS`), with the last error.
 *
 * @example
 * ```ts
 * import { HmbClient, recvWindow } from 'hmb-rx';
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * recvWindow(client, { queue: { SYSTEM_ALERT: { seq: 0 } } }).subscribe(({ message, received, total }) =>
 *   console.log(`${received}/${total ?? '?'}`, message.seq),
 * ); // 1/250 0, 2/250 1, … 250/250 249, then complete
 * ```
 * @param client - the bus to read.
 * @param params - the window, as for `client.recvAll` (every queue is read with `keep: false`).
 * @param options - subscription options (transport, retry, scheduler …).
 * @returns the window's messages with progress; completes at EOF.
 */
export function recvWindow<T = unknown>(
  client: Pick<HmbClient, 'info' | 'recvAll'>,
  params: HmbSubscribeParams,
  options: HmbSubscribeOptions = {},
): Observable<HmbWindowItem<T>> {
  return defer(() => {
    // Checked before /info is asked, and as an error notification (defer turns a throw into one).
    checkSubscribeParams(params, 'recvWindow');
    checkSubscribeOptions(options, 'recvWindow');
    return client.info().pipe(
      take(1),
      catchError(() => of(undefined)),
      switchMap((info) => {
        const plan = planWindow(params, info);
        return client.recvAll<T>(plan.params, options).pipe(
          map((message, index): HmbWindowItem<T> => ({
            message,
            received: index + 1,
            total: plan.total,
          })),
        );
      }),
    );
  });
}

/**
 * Pins a window to what /info reports (see {@link recvWindow}) and counts it when it can.
 *
 * @example
 * ```ts
 * const info = { queue: { Q: { startseq: 0, endseq: 10, starttime: null, endtime: null, topic: null } } };
 * planWindow({ queue: { Q: { seq: -5 } } }, info);
 * // { params: { queue: { Q: { seq: 6, endseq: 9 } } }, total: 4 }
 * ```
 * @param params - the window as the user gave it.
 * @param info - what /info says now, or `undefined` when it could not be asked.
 */
export function planWindow(params: HmbSubscribeParams, info: HmbInfo | undefined): HmbWindowPlan {
  const queue: Record<string, HmbQueueParams> = {};
  let total: number | undefined = 0;
  for (const [name, given] of Object.entries(params.queue)) {
    const timed = given.starttime !== undefined || given.endtime !== undefined;
    let p: HmbQueueParams = timed && given.seq === undefined ? { ...given, seq: 0 } : given;
    const counted =
      !timed &&
      (p.topics === undefined || p.topics.length === 0) &&
      p.filter === undefined &&
      (p.qlen === undefined || p.qlen < 0) &&
      p.seedlink !== true;
    const held = info?.queue[name];
    if (held === undefined) {
      total = undefined;
    } else if (held.endseq === null || held.startseq === null) {
      // Empty queue: the window is empty whatever it asks (until someone sends, which the
      // window does not wait for: keep is false).
    } else {
      const next = held.endseq;
      const asked = p.seq ?? -1;
      const start = Math.max(
        Math.min(asked >= 0 ? asked : Math.max(0, next + asked + 1), next),
        held.startseq,
      );
      const openEnded = (p.endseq === undefined || p.endseq < 0) && p.endtime === undefined;
      const last = openEnded ? next - 1 : Math.min(p.endseq ?? next - 1, next - 1);
      p = { ...p, seq: start, ...(openEnded ? { endseq: next - 1 } : {}) };
      if (total !== undefined && counted) total += Math.max(0, last - start + 1);
    }
    if (!counted) total = undefined;
    queue[name] = p;
  }
  return { params: { ...params, queue }, total };
}
