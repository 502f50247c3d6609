import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * The server answered with an HTTP status hmb-rx does not expect (neither a protocol error it knows nor success). `status`, `url` and `body` say what came back.
 */
export class HmbHttpError extends HmbError {
  override readonly code = 'HMB_ERR_HTTP' as const;

  /** Always `'HmbHttpError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbHttpError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
