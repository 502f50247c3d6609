import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A message to be sent is invalid (type missing, empty or reserved, queue missing, topic with
 * characters the server refuses, data that cannot be encoded). It is refused before anything is
 * sent; `outgoing` is the message itself and `reason` says what is wrong with it.
 */
export class HmbInvalidMessageError extends HmbError {
  override readonly code = 'HMB_ERR_INVALID_MESSAGE' as const;

  /** Always `'HmbInvalidMessageError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbInvalidMessageError';
  }
  /** The refused message, as it was given. */
  readonly outgoing: unknown;
  /** What is wrong with it, e.g. `type is reserved: HEARTBEAT`. */
  readonly reason: string;

  constructor(reason: string, outgoing: unknown, options: HmbErrorOptions = {}) {
    super(`invalid message: ${reason}`, options);
    this.reason = reason;
    this.outgoing = outgoing;
  }
}
