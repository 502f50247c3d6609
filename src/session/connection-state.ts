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
 * The server could not supply seqs `expectedSeq` up to `nextSeq - 1` of a queue, and they will
 * never arrive. Only reported for queues without topics, filter, time window, `qlen` or explicit
 * cid (there, skipped seqs are normal). A skip the server can still fill is fetched again first
 * (see {@link HmbHealedEvent}); only what is really gone is a gap:
 *
 * - `trimmed`: the server no longer holds the range: its oldest seq (/info `startseq`) is past it
 *   (a memory ring, or a database, that was trimmed before the subscriber got there);
 * - `skipped`: the server jumped over the range and could not supply it when asked again
 *   ({@link DEFAULT_GAP_HEAL_ATTEMPTS} tries), or healing is off: lost by the server, or seqs that
 *   never existed (sends with explicit seqs leave holes).
 */
export interface HmbLostGap {
  readonly kind: 'gap';
  readonly queue: string;
  /** The seq the subscription expected next. */
  readonly expectedSeq: number;
  /** The first seq the server had after the gap (the next message delivered). */
  readonly nextSeq: number;
  readonly reason: 'skipped' | 'trimmed';
}

/**
 * The server went backwards: it acknowledged an /open of a queue below the subscription's position
 * (it restarted without its newest messages: a lost tail, or no persistence at all). Seqs
 * `lostFrom`..`lostTo` as delivered before are gone from the server, which will reuse them for
 * new, different messages. The subscription does not replay what it already delivered: it goes on
 * from `lostFrom`, and every message from there on carries `epoch` (see `HmbMessage.epoch`), so
 * `(queue, epoch, seq)` stays unique. `expectedSeq` is the subscription's position, `nextSeq` the
 * server's acknowledged seq.
 */
export interface HmbRewindGap {
  readonly kind: 'gap';
  readonly queue: string;
  readonly expectedSeq: number;
  readonly nextSeq: number;
  readonly reason: 'rewind';
  /** The first seq the server lost: its acknowledged seq, or 0 when the queue had vanished. */
  readonly lostFrom: number;
  /** The last seq the server lost (the last one delivered before). */
  readonly lostTo: number;
  /** The epoch of the messages that follow (1 after the first rewind of the queue). */
  readonly epoch: number;
}

/** A gap in a queue's seqs: messages that will never arrive, or a server that went backwards. */
export type HmbGap = HmbLostGap | HmbRewindGap;

/** Times a subscription asks again for a range the server skipped before reporting it lost. */
export const DEFAULT_GAP_HEAL_ATTEMPTS = 3;

/**
 * A skip was healed: the server had jumped from `fromSeq` to `toSeq + 1` in a live answer (the
 * original does so when a subscriber falls a ring behind during a burst, although its database
 * still holds the messages), and the subscription fetched `fromSeq`..`toSeq` again, in order, before
 * going on. Nothing was lost; the event is for monitoring ({@link HmbClient.events} only).
 */
export interface HmbHealedEvent {
  readonly kind: 'healed';
  readonly queue: string;
  readonly fromSeq: number;
  readonly toSeq: number;
}

/** The backlog of a `backlogThenLive` subscription is drained; what follows is real time. */
export interface HmbLiveEvent {
  readonly kind: 'live';
}
