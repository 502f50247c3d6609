import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The object was used after it was closed (e.g. a sink after `complete()`).
 */
export class HmbClosedError extends HmbError {
  override readonly code = 'HMB_ERR_CLOSED' as const;

  /** Always `'HmbClosedError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbClosedError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
