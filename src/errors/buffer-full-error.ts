import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A sink's buffer was full (it was disconnected for too long, or fed faster than the bus accepts):
 * the message in `outgoing` was refused, not silently dropped.
 */
export class HmbBufferFullError extends HmbError {
  override readonly code = 'HMB_ERR_BUFFER_FULL' as const;

  /** Always `'HmbBufferFullError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbBufferFullError';
  }
  /** The refused message. */
  readonly outgoing: unknown;

  constructor(message: string, outgoing: unknown, options: HmbErrorOptions = {}) {
    super(message, options);
    this.outgoing = outgoing;
  }
}
