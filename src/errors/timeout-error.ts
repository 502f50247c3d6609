import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A request or a connection took longer than allowed: connect timeout, read timeout, or the heartbeat watchdog saw nothing arrive within its margin.
 */
export class HmbTimeoutError extends HmbError {
  override readonly code = 'HMB_ERR_TIMEOUT' as const;

  /** Always `'HmbTimeoutError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbTimeoutError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
