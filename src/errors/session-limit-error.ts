import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The server refused a new session: `503 maximum number of sessions per IP exceeded`. Every session of this address is busy; retrying waits at least `DEFAULT_SESSION_LIMIT_DELAY_MS`.
 */
export class HmbSessionLimitError extends HmbError {
  override readonly code = 'HMB_ERR_SESSION_LIMIT' as const;

  /** Always `'HmbSessionLimitError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbSessionLimitError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
