import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The server answered with something the HMB protocol does not allow (e.g. an /open reply without `sid`).
 */
export class HmbProtocolError extends HmbError {
  override readonly code = 'HMB_ERR_PROTOCOL' as const;

  /** Always `'HmbProtocolError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbProtocolError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
