import type { Subscriber } from 'rxjs';
import type { HmbEvent } from '../session/hmb-event';
import type { HmbSubscribeOptions } from './client-options';

/** The last part of a subscription: hands one event on, to the subscriber or to a callback. */
export type HmbDelivery = (event: HmbEvent) => void;

/** What `events` delivers: every event, as it is. */
export function deliverEveryEvent(subscriber: Subscriber<HmbEvent>): HmbDelivery {
  return (event) => subscriber.next(event);
}

/**
 * What `subscribe` and `recvAll` deliver: messages, and heartbeats when asked, go to the
 * subscriber; gaps and `live` go to the `onGap` and `onLive` callbacks
 * ({@link tellSubscribeCallbacks}); the rest (EOF, heals, states) goes nowhere. One function
 * rather than a `filter` operator and a `tap`, to save two hops per message.
 */
export function routeMessagesAndCallbacks(
  subscriber: Subscriber<HmbEvent>,
  options: HmbSubscribeOptions,
): HmbDelivery {
  const keepHeartbeats = options.heartbeats === true;
  return (event) => {
    if (event.kind === 'message' || (event.kind === 'heartbeat' && keepHeartbeats))
      subscriber.next(event);
    else tellSubscribeCallbacks(event, options);
  };
}

/** Tells `onGap` of a gap and `onLive` of the end of the backlog; other events tell nothing. */
function tellSubscribeCallbacks(event: HmbEvent, options: HmbSubscribeOptions): void {
  if (event.kind === 'gap') options.onGap?.(event);
  else if (event.kind === 'live') options.onLive?.();
}
