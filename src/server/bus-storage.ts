import type { Queue } from './queue';
import type { StoredMessage } from './stored-message';

/**
 * Where a bus writes what it stores, when the server persists (`persistDir`). Calls happen in
 * the order things are stored; writing and fsyncing are batched behind them.
 */
export interface BusStorage {
  /** A queue was created by a send (its log starts). */
  queueCreated(queue: Queue): void;
  /** A message was stored in `queue` (appended, or overwriting an older seq). */
  stored(queue: Queue, msg: StoredMessage): void;
}
