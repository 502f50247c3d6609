import { filter, type OperatorFunction } from 'rxjs';
import type { HmbMessage } from '../protocol/message';

/**
 * Keeps the messages whose `type` is one of `types`, and narrows their `type` to those literals.
 * Everything that is not a message (heartbeats, EOF, and the state, gap and live events of
 * `client.events()`) is dropped: this operator selects messages, so a type such as `HEARTBEAT`
 * selects nothing. With no types at all nothing passes (an empty selection, not "all").
 *
 * The server cannot do this for you by type alone (only a filter on `type` can, see
 * {@link whereData}); on the client it is a plain set lookup per message.
 *
 * @example
 * ```ts
 * import { HmbClient, ofType } from 'hmb-rx';
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * client
 *   .subscribe<{ magnitude: number }>({ queue: { EVENTS: { seq: -10 } } })
 *   .pipe(ofType('ORIGIN', 'MAGNITUDE'))
 *   .subscribe((m) => console.log(m.type, m.data?.magnitude)); // m.type: 'ORIGIN' | 'MAGNITUDE'
 * ```
 * @param types - the message types to keep (case-sensitive, as on the bus).
 * @returns an operator that keeps those messages only.
 */
export function ofType<In extends { readonly kind: string }, K extends string>(
  ...types: readonly K[]
): OperatorFunction<In, Extract<In, HmbMessage<unknown>> & { readonly type: K }> {
  const wanted: ReadonlySet<string> = new Set(types);
  return filter(
    (frame): frame is Extract<In, HmbMessage<unknown>> & { readonly type: K } =>
      frame.kind === 'message' && wanted.has((frame as unknown as HmbMessage<unknown>).type),
  );
}
