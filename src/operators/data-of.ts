import { filter, map, pipe, type OperatorFunction } from 'rxjs';
import type { HmbMessage } from '../protocol/message';

/**
 * Hands on each message's `data`, typed as `T`, and drops everything else: messages without
 * data (there is nothing to hand on), and frames that are not messages (heartbeats, EOF, and the
 * other events of `client.events()`).
 *
 * `T` is an assertion, not a check: nothing verifies that the data has that shape. For data from
 * a bus you do not control, validate it with {@link decodeData} first, which keeps queue and seq
 * for the error report and then types the data for you.
 *
 * @example
 * ```ts
 * import { HmbClient, dataOf } from 'hmb-rx';
 * interface Alert { eventId: string; magnitude: number }
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * client
 *   .subscribe({ queue: { SYSTEM_ALERT: { seq: -5 } } })
 *   .pipe(dataOf<Alert>())
 *   .subscribe((alert) => console.log(alert.eventId, alert.magnitude));
 * ```
 * @typeParam T - the type the data is taken to have (default `unknown`).
 * @returns an operator from frames to their data.
 */
export function dataOf<T = unknown>(): OperatorFunction<{ readonly kind: string }, T> {
  return pipe(
    filter(
      (frame): frame is HmbMessage<unknown> & { readonly data: unknown } =>
        frame.kind === 'message' && (frame as HmbMessage<unknown>).data !== undefined,
    ),
    map((message) => message.data as T),
  );
}
