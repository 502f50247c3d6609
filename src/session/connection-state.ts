/**
 * The connection state of one subscription, for a UI that shows "reconnecting…" while the message
 * stream itself keeps going. A union on `type`, meant for ts-pattern's `.exhaustive()`.
 *
 * - `opening`: an /open is under way (`attempt` 0 the first time, then the number of failures in a row).
 * - `open`: the session is established and receiving.
 * - `lost`: a transient failure ended the session (`error` says why).
 * - `resuming`: waiting `delayMs` before reopening from the last delivered seq.
 * - `closed`: the subscription ended: completed (EOF), failed for good (`error`), or unsubscribed.
 */
export type HmbConnectionState =
  | { readonly type: 'opening'; readonly attempt: number }
  | { readonly type: 'open'; readonly sid: string; readonly cid: string; readonly attempt: number }
  | { readonly type: 'lost'; readonly error: unknown; readonly attempt: number }
  | {
      readonly type: 'resuming';
      readonly error: unknown;
      readonly attempt: number;
      readonly delayMs: number;
    }
  | { readonly type: 'closed'; readonly error?: unknown };

/** A connection state change, as an event of {@link HmbClient.events}. */
export interface HmbStateEvent {
  readonly kind: 'state';
  readonly state: HmbConnectionState;
}

/**
 * The server could not supply the next seq of a queue: messages from `expectedSeq` up to
 * `nextSeq - 1` will never arrive (trimmed from the server's memory, skipped by `qlen`, lost in a
 * server restart without persistence, or never sent because of an out-of-order jump).
 * Only reported for queues without topics, filter or time window (there, skipped seqs are normal).
 */
export interface HmbGap {
  readonly kind: 'gap';
  readonly queue: string;
  /** The seq the subscription expected next. */
  readonly expectedSeq: number;
  /** The first seq the server had (the next message delivered, or the new counter after a reset). */
  readonly nextSeq: number;
  /** `skipped`: seqs jumped; `reset`: the queue's counter went back (server restarted without persistence). */
  readonly reason: 'skipped' | 'reset';
}

/** The backlog of a `backlogThenLive` subscription is drained; what follows is real time. */
export interface HmbLiveEvent {
  readonly kind: 'live';
}
