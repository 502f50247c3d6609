import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The connection failed below HTTP: refused, reset, closed mid-response, DNS or TLS failure. The original error is in `cause`.
 */
export class HmbNetworkError extends HmbError {
  override readonly code = 'HMB_ERR_NETWORK' as const;

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
