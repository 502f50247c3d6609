import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A subscribed queue does not exist on the bus (`queue not found` in the /open reply). Queues come
 * into being with the first message sent to them; subscribe with `waitForQueues: true` to wait for
 * that instead of failing.
 */
export class HmbQueueNotFoundError extends HmbError {
  override readonly code = 'HMB_ERR_QUEUE_NOT_FOUND' as const;

  /** Always `'HmbQueueNotFoundError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbQueueNotFoundError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
