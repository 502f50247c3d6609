import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A response body was not valid JSON or BSON in the HMB framing (corrupt or truncated frame). `body` holds the start of the offending bytes as text where that helps.
 */
export class HmbDecodeError extends HmbError {
  override readonly code = 'HMB_ERR_DECODE' as const;

  /** Always `'HmbDecodeError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbDecodeError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
