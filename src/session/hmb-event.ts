import type { HmbEof, HmbHeartbeat, HmbMessage } from '../protocol/message';
import type { HmbGap, HmbHealedEvent, HmbLiveEvent, HmbStateEvent } from './connection-state';

/**
 * Everything {@link HmbClient.events} emits: messages, heartbeats, the EOF of a window, gaps,
 * healed skips, connection state changes, and the switch from backlog to live. A union on `kind`.
 */
export type HmbEvent<T = unknown> =
  HmbMessage<T> | HmbHeartbeat | HmbEof | HmbGap | HmbHealedEvent | HmbStateEvent | HmbLiveEvent;
