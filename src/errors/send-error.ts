import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A /send failed for good (the server refused the batch with `400`, or retries ran out).
 * `outgoing` holds the messages of that batch; `cause` the last underlying error.
 */
export class HmbSendError extends HmbError {
  override readonly code = 'HMB_ERR_SEND' as const;

  /** Always `'HmbSendError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbSendError';
  }
  /** The messages that were not confirmed as sent. */
  readonly outgoing: readonly unknown[];

  constructor(message: string, outgoing: readonly unknown[], options: HmbErrorOptions = {}) {
    super(message, options);
    this.outgoing = outgoing;
  }
}
