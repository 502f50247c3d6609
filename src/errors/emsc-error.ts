import { HmbError, type HmbErrorOptions } from './hmb-error';

/** What is wrong with an EMSC envelope, for code that handles the cases differently. */
export type HmbEmscProblem =
  | 'not-emsc'
  | 'missing-header'
  | 'bad-header'
  | 'unknown-type'
  | 'bad-field'
  | 'bad-zlib'
  | 'bad-encoding';

/** Constructor options of {@link HmbEmscError}. */
export interface HmbEmscErrorOptions extends HmbErrorOptions {
  /** Which part of the envelope is wrong. */
  readonly problem: HmbEmscProblem;
}

/**
 * An EMSC message envelope (`EMSC_MSG`, docs/emsc.md) could not be read or built: a message of
 * another type, a missing or malformed `_header`, an unknown `_type`, a field of the wrong type,
 * content that is not zlib data, or text in an encoding that cannot be decoded. `problem` says
 * which; `queue` and `seq` name the message when there is one.
 */
export class HmbEmscError extends HmbError {
  override readonly code = 'HMB_ERR_EMSC' as const;

  /** Always `'HmbEmscError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbEmscError';
  }
  /** Which part of the envelope is wrong. */
  readonly problem: HmbEmscProblem;

  constructor(message: string, options: HmbEmscErrorOptions) {
    const { problem, ...rest } = options;
    super(message, rest);
    // `?? 'bad-field'` for callers without types (every error class takes (message, options)).
    this.problem = problem ?? 'bad-field';
  }
}
