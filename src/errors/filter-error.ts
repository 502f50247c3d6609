import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A MongoDB-style filter is invalid. The message is the same text the server gives for it (e.g. `$in expects list argument`).
 */
export class HmbFilterError extends HmbError {
  override readonly code = 'HMB_ERR_FILTER' as const;

  /** Always `'HmbFilterError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbFilterError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
