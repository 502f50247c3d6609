import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The server no longer knows the session (`400 invalid session`): it expired, the server restarted, another /open from the same address evicted it, or a continuity suffix did not match. Subscriptions recover from it by reopening from their last delivered seq.
 */
export class HmbSessionLostError extends HmbError {
  override readonly code = 'HMB_ERR_SESSION_LOST' as const;

  /** Always `'HmbSessionLostError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbSessionLostError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
