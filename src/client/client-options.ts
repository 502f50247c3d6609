import type { SchedulerLike } from 'rxjs';
import type { HmbRetryConfig } from '../session/retry-with-backoff';
import type { HmbFormat } from '../protocol/hmb-format';
import type { HmbCursorStore } from '../cursor/cursor-store';
import type { HmbReceiveMode } from '../session/batch-source';
import type { HmbConnectionState, HmbGap } from '../session/connection-state';
import type { HmbTransport } from '../transport/transport';

/**
 * Attempts in a row of `recvAll` and `recvWindow` (the first one included) before they give up
 * with the last error: a bounded read is a job that should end, also when the bus stays down.
 */
export const DEFAULT_RECV_ALL_ATTEMPTS = 5;

/** Timeout of requests that are not long polls (/open, /send, /info, …), in ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * The heartbeat interval hmb-rx asks for when the parameters name none, in seconds. Heartbeats let
 * the watchdog tell a quiet bus from a dead link; they are filtered out before you see them.
 * Set `heartbeat: 0` in the parameters (or the client option) to ask for none.
 */
export const DEFAULT_HEARTBEAT_SEC = 30;
/** Extra silence the watchdog allows beyond 1.5 heartbeat intervals, in ms. */
export const DEFAULT_WATCHDOG_GRACE_MS = 2_000;

/** Options of an {@link HmbClient}. */
export interface HmbClientOptions {
  /** Wire format of the sessions this client opens (default `json`). */
  readonly format?: HmbFormat;
  /** How to talk HTTP (any {@link HmbTransport}). Default: undici in Node, fetch in browsers. */
  readonly httpTransport?: HmbTransport;
  /**
   * The receive mode of this client's subscriptions (`poll`, `stream` or `auto`, see
   * {@link HmbSubscribeOptions.transport}); each subscription may set its own. Default `poll`.
   *
   * An {@link HmbTransport} object is still understood here (the option's former meaning) and used
   * as {@link HmbClientOptions.httpTransport}; new code should use `httpTransport`.
   */
  readonly transport?: HmbReceiveMode | HmbTransport;
  /** Headers for every request, e.g. `{ authorization: 'Bearer …' }` for a reverse proxy. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  readonly requestTimeoutMs?: number;
  /** Heartbeat to ask for when parameters name none (default {@link DEFAULT_HEARTBEAT_SEC}; 0: none). */
  readonly heartbeat?: number;
  /**
   * Backoff of this client's subscriptions, sinks and sends (default: exponential with full
   * jitter; `maxAttempts` per call as in docs/session-lifecycle.md, "Bounded operations").
   */
  readonly retry?: HmbRetryConfig;
  /**
   * Check topics and filters again on the client (default true). The original server lets some
   * messages through that its own rules exclude (`$nin`, several topic patterns); this drops them.
   */
  readonly recheck?: boolean;
  /**
   * The most bytes one whole answer (/recv, /open, /info, …) may have once decompressed; past it
   * the request fails with `HmbTooLargeError` (not retried). Default `DEFAULT_MAX_RESPONSE_BYTES`
   * (64 MiB); keep it above `recv_limit` KB plus the server's 16 MiB message limit.
   */
  readonly maxResponseBytes?: number;
  /**
   * The most bytes (characters for JSON) one /stream frame may take while it is being read; past it
   * the subscription fails with `HmbTooLargeError`. Default `DEFAULT_MAX_FRAME_BYTES` (64 MiB).
   */
  readonly maxFrameBytes?: number;
  /** Defaults for every subscription of this client (each call's options win). */
  readonly subscribeDefaults?: HmbSubscribeOptions;
}

/** Options of one subscription ({@link HmbClient.subscribe}, {@link HmbClient.events}). */
export interface HmbSubscribeOptions {
  /** Emit heartbeats as well (subscribe only; events always has them). */
  readonly heartbeats?: boolean;
  /**
   * Backoff for this subscription, or `false` to fail at the first error. `subscribe`/`events`
   * never give up by default; `recvAll`/`recvWindow` after {@link DEFAULT_RECV_ALL_ATTEMPTS}
   * attempts in a row.
   */
  readonly retry?: HmbRetryConfig | false;
  /** Told of every connection state change. */
  readonly onState?: (state: HmbConnectionState) => void;
  /** Told of every gap in a queue's seqs. */
  readonly onGap?: (gap: HmbGap) => void;
  /**
   * When the server skips seqs it still holds (the original moves a subscriber that fell a ring
   * behind past messages its database keeps), fetch them again, in order, before going on; only
   * what is really gone is reported as a gap (default true). See docs/session-lifecycle.md.
   */
  readonly healGaps?: boolean;
  /** Told once when a `backlogThenLive` subscription has drained its backlog. */
  readonly onLive?: () => void;
  /**
   * Without heartbeats (`heartbeat: 0`), reconnect when nothing arrives for this long (ms).
   * Default: no read timeout (a long poll may then wait forever on a quiet bus).
   */
  readonly readTimeoutMs?: number;
  /**
   * First read what the bus holds with `keep: false` until EOF, then follow in real time from the
   * next seq of every queue, in one Observable with no gap and no duplicate at the seam.
   */
  readonly backlogThenLive?: boolean;
  /**
   * The receive mode: how to read sessions: `poll` (default, /recv long polls), `stream` (one
   * endless /stream response: lower latency, fewer requests), or `auto` (stream when /features
   * lists STREAM, and fall back to polling when streams deliver nothing, e.g. behind a buffering
   * proxy). The client option of the same name sets the default.
   */
  readonly transport?: HmbReceiveMode;
  /**
   * Wait for queues that do not exist yet instead of failing with `HmbQueueNotFoundError`: the
   * subscription listens to ANNOUNCEMENT and reopens when a NEW_QUEUE message names one of them
   * (it never creates queues by sending anything). A queue that appears is read from its first seq.
   */
  readonly waitForQueues?: boolean;
  /**
   * Persist the subscription's position (next seq per queue) in a store, and resume from it when
   * subscribing again (after a restart, for as long as the server holds the messages). Saved at
   * most every `saveIntervalMs` (default {@link DEFAULT_CURSOR_SAVE_INTERVAL_MS}) and when the
   * subscription ends.
   */
  readonly cursor?: HmbCursorOptions;
  /**
   * Flow control. Called after each batch of messages has been emitted; if it returns a promise,
   * the subscription reads nothing more (no next poll, no further bytes of the stream) until it
   * settles, and the watchdog does not count that time. RxJS has no backpressure of its own; this
   * keeps a slow consumer from piling messages up in memory.
   *
   * @example
   * ```ts
   * { demand: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => {}) : undefined) }
   * ```
   */
  readonly demand?: () => void | PromiseLike<void>;
  /** Scheduler for backoff waits and the watchdog (tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike;
}

/** How often, at most, a subscription saves its position to its cursor store, in ms. */
export const DEFAULT_CURSOR_SAVE_INTERVAL_MS = 250;

/** Where and under which key a subscription keeps its position. */
export interface HmbCursorOptions {
  readonly store: HmbCursorStore;
  /** One key per logical subscription, e.g. `'alerts-dashboard'`. */
  readonly key: string;
  /** Default {@link DEFAULT_CURSOR_SAVE_INTERVAL_MS}. */
  readonly saveIntervalMs?: number;
  /** Told when loading or saving fails (the subscription goes on from its own parameters). */
  readonly onError?: (error: unknown) => void;
}
