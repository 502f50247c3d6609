import type { SchedulerLike } from 'rxjs';
import type { HmbRetryConfig } from '../session/retry-with-backoff';
import type { HmbFormat } from '../protocol/hmb-format';

/** Most messages per /send. */
export const DEFAULT_SINK_MAX_BATCH_MESSAGES = 1_000;
/** Most bytes per /send body (the server's own limit defaults to 10 MiB). */
export const DEFAULT_SINK_MAX_BATCH_BYTES = 1024 * 1024;
/** Most messages held while sends are slow or the bus is unreachable; more are refused, never silently dropped. */
export const DEFAULT_SINK_MAX_BUFFERED_MESSAGES = 100_000;
/** Seconds of idleness after which a sink refreshes its session with a HEARTBEAT /send (the server expires idle sessions after 120–180 s). */
export const DEFAULT_SINK_KEEP_ALIVE_SEC = 60;

/**
 * Attempts of one batch of a sink (the first one included) before it is given up as `failed` with
 * the last error: about a minute of backoff with the default delays, so that `done` settles also
 * when the bus stays down. Set `retry: { maxAttempts: Infinity }` to wait for the bus forever.
 */
export const DEFAULT_SINK_ATTEMPTS = 10;

/**
 * What to do with a batch whose fate is unknown: the request went out but no answer came back
 * (connection cut, timeout, a proxy's 5xx). The server may or may not have stored it.
 * - `resend` (default, at least once): send it again; its result is `sent` with `uncertain: true`,
 *   because those messages may now be on the bus twice.
 * - `report` (at most once): do not send it again; report it as `unknown`.
 */
export type HmbUncertainPolicy = 'resend' | 'report';

/** Options of a sink ({@link HmbClient.sink}) and of {@link HmbClient.send}. */
export interface HmbSinkOptions {
  /** Format of the /send bodies (default: the client's). */
  readonly format?: HmbFormat;
  /**
   * The sink session's cid (default: one the server makes up). Subscriptions with the same cid do
   * not see these messages. A cid gives the sink a session of its own.
   */
  readonly cid?: string;
  /**
   * Send on a session of this sink's own instead of the client's publishing session (default
   * `false`: every sink and send of a client shares one session, so that publishing costs one slot
   * of the server's per-address session cap).
   */
  readonly ownSession?: boolean;
  /** Default {@link DEFAULT_SINK_MAX_BATCH_MESSAGES}. */
  readonly maxBatchMessages?: number;
  /** Default {@link DEFAULT_SINK_MAX_BATCH_BYTES}. */
  readonly maxBatchBytes?: number;
  /** Default {@link DEFAULT_SINK_MAX_BUFFERED_MESSAGES}. */
  readonly maxBufferedMessages?: number;
  /**
   * Backoff between attempts of one batch (default: the client's). `maxAttempts` counts attempts
   * of one batch, the first one included: default {@link DEFAULT_SINK_ATTEMPTS} for a sink,
   * `DEFAULT_SEND_ATTEMPTS` (5) for `send()`.
   */
  readonly retry?: HmbRetryConfig;
  /** Default `resend`. */
  readonly uncertain?: HmbUncertainPolicy;
  /** Default {@link DEFAULT_SINK_KEEP_ALIVE_SEC}; 0 turns the keep-alive off. */
  readonly keepAliveSec?: number;
  /**
   * Scheduler for the sink's waits: the backoff between attempts of a batch and the keep-alive
   * (tests pass a virtual-time scheduler). Default: `asyncScheduler` for the backoff, and timers
   * that do not keep a Node process alive for the keep-alive.
   */
  readonly scheduler?: SchedulerLike;
}
