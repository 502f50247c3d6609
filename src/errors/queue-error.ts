import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The server refused one queue of an /open request (the reply is still `200`, with an `error` for
 * that queue): an invalid topic pattern or filter, for instance. `queue` names it and
 * `serverMessage` is the server's own text. No retry can fix it.
 */
export class HmbQueueError extends HmbError {
  override readonly code = 'HMB_ERR_QUEUE' as const;

  /** Always `'HmbQueueError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbQueueError';
  }
  /** The server's text for this queue, e.g. `topic contains invalid characters`. */
  readonly serverMessage: string;

  constructor(message: string, serverMessage: string, options: HmbErrorOptions = {}) {
    super(message, options);
    this.serverMessage = serverMessage;
  }
}
