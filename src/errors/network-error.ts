import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The connection failed below HTTP: refused, reset, closed mid-response, DNS or TLS failure. The original error is in `cause`.
 */
export class HmbNetworkError extends HmbError {
  override readonly code = 'HMB_ERR_NETWORK' as const;

  /** Always `'HmbNetworkError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbNetworkError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
