import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A parameter given to hmb-rx is invalid (detected before anything is sent, or refused by the server with `400`). No retry can fix it.
 */
export class HmbBadParamError extends HmbError {
  override readonly code = 'HMB_ERR_BAD_PARAM' as const;

  /** Always `'HmbBadParamError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbBadParamError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
