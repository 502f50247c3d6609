import { HmbError, type HmbErrorOptions } from './hmb-error';

/** Constructor options of {@link HmbSessionLimitError}. */
export interface HmbSessionLimitErrorOptions extends HmbErrorOptions {
  /** Sessions the refused client held on this bus when it was refused (see the property). */
  readonly clientSessions?: number;
}

/**
 * The server refused a new session: `503 maximum number of sessions per IP exceeded`. Every session
 * of this address is busy; retrying waits at least `DEFAULT_SESSION_LIMIT_DELAY_MS`. The cap counts
 * every session of the address, so a program that opens many subscriptions exhausts it itself: put
 * several queues in one subscription, or share one with `shareSubscription`.
 */
export class HmbSessionLimitError extends HmbError {
  override readonly code = 'HMB_ERR_SESSION_LIMIT' as const;
  /**
   * How many sessions the client that was refused held on this bus at that moment (its open
   * subscriptions and its publishing session), when the client knows it; the rest of the address's
   * budget is taken by other clients or processes on the same host.
   */
  declare readonly clientSessions?: number;

  /** Always `'HmbSessionLimitError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbSessionLimitError';
  }

  constructor(message: string, options: HmbSessionLimitErrorOptions = {}) {
    // HmbError sets every option given as a read-only property, clientSessions included.
    super(message, options);
  }
}
