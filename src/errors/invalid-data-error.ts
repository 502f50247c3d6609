import { HmbError, type HmbErrorOptions } from './hmb-error';

/**
 * A delivered message's `data` failed the application's validation (`decodeData`). The message
 * itself arrived intact, so no retry or reconnect can fix it: this error is fatal. `queue` and
 * `seq` name the message; `cause` holds the validator's error.
 */
export class HmbInvalidDataError extends HmbError {
  override readonly code = 'HMB_ERR_INVALID_DATA' as const;

  /** Always `'HmbInvalidDataError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbInvalidDataError';
  }

  constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options);
  }
}
