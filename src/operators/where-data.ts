// RxJS's `filter` is imported under another name: `filter` is this operator's parameter.
import { filter as keepIf, type MonoTypeOperatorFunction } from 'rxjs';
import { compileFilter } from '../protocol/filter/index';
import type { HmbMessage } from '../protocol/message';
import type { HmbDataFilter } from './hmb-data-filter';

/**
 * The `data` type of the messages in a stream of frames or events; `unknown` when the stream's
 * type says nothing about messages (e.g. the operator is created outside a `pipe`).
 */
type DataOf<In> = [Extract<In, { readonly kind: 'message' }>] extends [never]
  ? unknown
  : Extract<In, { readonly kind: 'message' }> extends { readonly data?: infer D }
    ? D
    : unknown;

/**
 * Options of {@link whereData}.
 *
 * @example
 * ```ts
 * const likeTheOriginal: HmbWhereDataOptions = { regex: false };
 * ```
 */
export interface HmbWhereDataOptions {
  /**
   * Accept `$regex` (RE2 syntax, `$options` among `i`, `m`, `s`). Default true: on the client
   * there is no server capability to respect, and RE2 runs in linear time. Set false to refuse
   * filters the original server would refuse (`unknown operator: $regex`).
   */
  readonly regex?: boolean;
}

/**
 * Keeps the messages that pass a MongoDB-style filter, evaluated on the client with exactly the
 * server's semantics: it compiles the filter with `compileFilter`, the evaluator the embedded
 * server runs for its sessions, so a filter here and the same filter in a subscription's
 * parameters let the same messages through (including the server's quirks, e.g. a missing field
 * never equals `null`; docs/server-differences.md lists where both depart from the original).
 *
 * The filter is typed against the messages' data (see {@link HmbDataFilter}): misspelt
 * `data.<path>` keys and values of the wrong type do not compile. It is compiled once, when the
 * operator is created, so an invalid filter throws there, not in the middle of a stream.
 *
 * Frames that are not messages (heartbeats, EOF, and the other events of `client.events()`) pass
 * unchanged, as on the server.
 *
 * Prefer the subscription's `filter` parameter when one filter serves the whole subscription
 * (the server then sends less); use this operator to split one stream several ways, or on a
 * stream merged from several buses.
 *
 * @example
 * ```ts
 * import { HmbClient, whereData } from 'hmb-rx';
 * interface Alert { eventId: string; magnitude: number; region: string }
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * client
 *   .subscribe<Alert>({ queue: { SYSTEM_ALERT: {} } })
 *   .pipe(whereData({ 'data.magnitude': { $gte: 5 }, 'data.region': { $regex: 'JAPAN$' } }))
 *   .subscribe((m) => console.log(m.data?.eventId));
 * ```
 * @param filter - the filter; keys `type`, `sender`, `data.<path>`, `$and`, `$or`, `$nor`, `$not`.
 * @param options - see {@link HmbWhereDataOptions}.
 * @returns an operator that drops the messages the filter rejects.
 * @throws HmbFilterError when the operator is created with an invalid filter; the message is the
 *   server's text for it (e.g. `$in expects list argument`).
 */
export function whereData<In extends { readonly kind: string }>(
  filter: HmbDataFilter<DataOf<In>>,
  options: HmbWhereDataOptions = {},
): MonoTypeOperatorFunction<In> {
  const passes = compileFilter(filter, { regex: options.regex ?? true });
  return keepIf(
    (frame) => frame.kind !== 'message' || passes(frame as unknown as HmbMessage<unknown>),
  );
}
