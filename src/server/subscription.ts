import type { HmbQueueStatus } from '../protocol/bus-info';
import type { HmbTopicMatcher } from '../protocol/topic-pattern';
import type { HmbFilterPredicate } from '../protocol/filter';
import type { Queue } from './queue';
import type { StoredMessage } from './stored-message';
import { compareGoTime, formatGoTimeMicros, type GoTime } from './wire/go-time';

/** A session's parameters for one queue, checked and resolved at /open. */
export interface SubscriptionParams {
  /** As given, for /status (`null` when not given). */
  readonly topics: readonly string[] | null;
  readonly matchTopic: HmbTopicMatcher;
  /** Inclusive last seq, or `null` (a negative endseq means none). */
  readonly endseq: number | null;
  readonly starttime: GoTime | null;
  readonly endtime: GoTime | null;
  readonly filter: HmbFilterPredicate | null;
  /** Maximum lag (`null` or negative: none). */
  readonly qlen: number | null;
  /** Seconds to wait for a missing seq (`null`, 0 or negative: skip gaps at once). */
  readonly oowait: number | null;
  readonly keep: boolean;
  readonly seedlink: boolean;
}

/** What {@link Subscription.pull} found. */
export type PullResult =
  | StoredMessage
  /** Nothing ready now (caught up, or this queue has ended). */
  | undefined
  /** Waiting for a gap to fill until this time (ms since the epoch). */
  | number;

/**
 * One queue of a session: where it stands (`next`) and which messages pass. All the rules of
 * what a subscriber receives live here (docs/protocol.md §6.3–§6.10).
 */
export class Subscription {
  /** The next seq to look at. */
  next: number;
  /** Whether the queue has ended for this session (endseq or endtime passed, or caught up with keep:false). */
  ended = false;
  private gapSeq = -1;
  private gapSince = 0;

  constructor(
    readonly queue: Queue,
    start: number,
    readonly params: SubscriptionParams,
  ) {
    this.next = start;
  }

  /**
   * The next message to deliver, skipping the ones this session must not see.
   *
   * @param cid - the session's cid: messages sent under it are never delivered back.
   * @param now - the clock in ms, for out-of-order waits.
   */
  pull(cid: string, now: number): PullResult {
    const p = this.params;
    const q = this.queue;
    for (;;) {
      if (this.ended) return undefined;
      if (p.qlen !== null && p.qlen >= 0 && q.next - this.next > p.qlen + 1)
        this.next = q.next - p.qlen - 1;
      if (this.next >= q.next) {
        if (!p.keep) this.ended = true;
        return undefined;
      }
      const msg = q.get(this.next);
      if (msg === undefined) {
        const oldest = q.oldestSeq();
        if (oldest === undefined) return undefined;
        if (this.next < oldest) {
          // Behind the ring: history older than what is kept is skipped without a word.
          this.next = oldest;
          continue;
        }
        if (p.oowait !== null && p.oowait > 0) {
          if (this.gapSeq !== this.next) {
            this.gapSeq = this.next;
            this.gapSince = now;
          }
          const deadline = this.gapSince + p.oowait * 1000;
          if (now < deadline) return deadline;
          this.next++;
          continue;
        }
        // Straight to the next message held: a gap named by a client's seq can be long.
        this.next = q.lowestFrom(this.next) ?? q.next;
        continue;
      }
      // EOF comes from *seeing* a message past the window, even one this session would skip.
      if (p.endseq !== null && msg.seq > p.endseq) {
        this.ended = true;
        return undefined;
      }
      if (
        p.endtime !== null &&
        msg.starttime !== undefined &&
        compareGoTime(msg.starttime, p.endtime) > 0
      ) {
        this.ended = true;
        return undefined;
      }
      this.next++;
      if (msg.sender !== undefined && msg.sender === cid) continue;
      if (!p.matchTopic(msg.topic)) continue;
      if (
        p.starttime !== null &&
        msg.endtime !== undefined &&
        compareGoTime(msg.endtime, p.starttime) <= 0
      )
        continue;
      if (p.filter !== null && !p.filter(msg.target())) continue;
      return msg;
    }
  }

  /** The queue as /status describes it (docs/protocol.md §5). */
  status(): HmbQueueStatus {
    const p = this.params;
    return {
      topics: p.topics,
      seq: this.next,
      endseq: p.endseq,
      starttime: p.starttime === null ? null : formatGoTimeMicros(p.starttime),
      endtime: p.endtime === null ? null : formatGoTimeMicros(p.endtime),
      qlen: p.qlen,
      oowait: p.oowait,
      keep: p.keep,
      seedlink: p.seedlink,
      eof: this.ended,
    };
  }
}
