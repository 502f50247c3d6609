import { HmbError, type HmbErrorOptions } from './hmb-error';

/** What an {@link HmbTooLargeError} bounded: one whole answer, or one frame of a /stream. */
export type HmbSizeLimitKind = 'response' | 'frame';

/**
 * An answer (or one frame of a /stream) grew past the client's limit (`maxResponseBytes`,
 * `maxFrameBytes`): the server, or something between it and us, sent more than any HMB server
 * legitimately does (an endless body, an endless frame, a compression bomb). Reading stops at the
 * limit, so memory stays bounded. Not retried: a hostile or broken server would only repeat it.
 */
export class HmbTooLargeError extends HmbError {
  override readonly code = 'HMB_ERR_TOO_LARGE' as const;

  /** Always `'HmbTooLargeError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbTooLargeError';
  }
  /** The limit that was exceeded, in bytes (characters for a JSON frame). */
  readonly limit: number;
  /** Which limit: a whole answer (`maxResponseBytes`) or one frame (`maxFrameBytes`). */
  readonly limitKind: HmbSizeLimitKind;

  constructor(
    message: string,
    limit: number,
    limitKind: HmbSizeLimitKind,
    options: HmbErrorOptions = {},
  ) {
    super(message, options);
    this.limit = limit;
    this.limitKind = limitKind;
  }
}
