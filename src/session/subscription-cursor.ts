import { HmbProtocolError } from '../errors/protocol-error';
import { HmbQueueError } from '../errors/queue-error';
import { HmbQueueNotFoundError } from '../errors/queue-not-found-error';
import { HmbSessionLostError } from '../errors/session-lost-error';
import { ANNOUNCEMENT_QUEUE, NEW_QUEUE_TYPE, type HmbMessage } from '../protocol/message';
import type { HmbOpenAck, HmbOpenParams, HmbQueueParams } from '../protocol/open-params';
import type { HmbGap } from './connection-state';

/** The server's per-queue text for a queue that does not exist (yet). */
export const QUEUE_NOT_FOUND_TEXT = 'queue not found';

/** What a subscription asks for: /open parameters with at least one queue. */
export interface HmbSubscribeParams extends HmbOpenParams {
  readonly queue: Readonly<Record<string, HmbQueueParams>>;
}

/** A client-side check of each delivered message of a queue (see `SubscriptionCursor`). */
export type HmbMessageCheck = (message: HmbMessage) => boolean;

interface QueueCursor {
  readonly params: HmbQueueParams;
  /** Absolute seq to ask for at the next /open; `undefined` until the first acknowledgement. */
  next: number | undefined;
  /** Seq of the last message received from this queue (delivered or not); duplicates are at or below it. */
  last: number | undefined;
  /** Whether a jump in seq means lost messages (false when topics, a filter or a time window skip some). */
  readonly detectGaps: boolean;
  /** Whether the server has acknowledged this queue at least once. */
  known: boolean;
  /** Not found at the last /open; waiting for a NEW_QUEUE announcement (waitForQueues). */
  waiting: boolean;
  /** Added by hmb-rx to hear NEW_QUEUE announcements; its messages are not delivered. */
  readonly internal: boolean;
  readonly check: HmbMessageCheck | undefined;
}

/** The outcome of applying an /open acknowledgement. */
export interface HmbAckOutcome {
  /** Queues whose counter went back (server restarted without persistence). */
  readonly gaps: readonly HmbGap[];
  /** Open again at once: a reset queue must be read from its new beginning. */
  readonly reopen: boolean;
}

/** Options of a {@link SubscriptionCursor}. */
export interface SubscriptionCursorOptions {
  /** Builds a client-side check per queue (topics and filter evaluated again), or none. */
  readonly checkFor?: (queue: string, params: HmbQueueParams) => HmbMessageCheck | undefined;
  /** Positions to resume from (e.g. loaded from a cursor store): next seq per queue. */
  readonly resumeFrom?: Readonly<Record<string, number>>;
  /**
   * Wait for queues that do not exist yet instead of failing: listen to ANNOUNCEMENT and reopen
   * when a NEW_QUEUE message names one of them.
   */
  readonly waitForQueues?: boolean;
}

/**
 * The memory of one subscription across sessions: where each queue stands, so that every reopen
 * (after a lost session, a dead link, a server restart) asks for `last delivered + 1` and nothing is
 * lost or repeated. Also the last line of defence against duplicates (a message at or below the
 * last seq of its queue is dropped) and the detector of gaps.
 *
 * After the first /open, each queue's position is absolute (the acknowledged seq), so a
 * subscription that started at `seq: -1` does not miss what was sent while it was reconnecting.
 */
export class SubscriptionCursor {
  /** The client id, once the server has given or confirmed one; reused on every reopen. */
  cid: string | undefined;
  /** Set when the session must be reopened at once (a waited-for queue now exists). */
  reopenRequested = false;
  private readonly queues = new Map<string, QueueCursor>();
  private readonly waitForQueues: boolean;

  constructor(
    private readonly params: HmbSubscribeParams,
    options: SubscriptionCursorOptions = {},
  ) {
    this.cid = params.cid;
    this.waitForQueues = options.waitForQueues === true;
    for (const [name, queueParams] of Object.entries(params.queue)) {
      const resume = options.resumeFrom?.[name];
      this.queues.set(name, {
        params: queueParams,
        next: resume,
        last: resume === undefined ? undefined : resume - 1,
        detectGaps: detectsGaps(queueParams) && params.cid === undefined,
        known: false,
        waiting: false,
        internal: false,
        check: options.checkFor?.(name, queueParams),
      });
    }
    if (this.waitForQueues && !this.queues.has(ANNOUNCEMENT_QUEUE)) {
      this.queues.set(ANNOUNCEMENT_QUEUE, {
        params: { seq: -1 },
        next: undefined,
        last: undefined,
        detectGaps: false,
        known: false,
        waiting: false,
        internal: true,
        check: undefined,
      });
    }
  }

  private hasLiveQueue(keepOverride: boolean | undefined): boolean {
    if (keepOverride !== undefined) return keepOverride;
    return [...this.queues.values()].some((q) => !q.internal && q.params.keep !== false);
  }

  /**
   * Resumes from saved positions (next seq per queue), for queues whose position is not known
   * yet. Called before the first /open.
   */
  resume(positions: Readonly<Record<string, number>>): void {
    for (const [name, next] of Object.entries(positions)) {
      const q = this.queues.get(name);
      if (q === undefined || q.internal || q.next !== undefined) continue;
      q.next = next;
      q.last = next - 1;
    }
  }

  /** Queues not found at the last /open that the subscription is waiting for. */
  waitingQueues(): string[] {
    return [...this.queues].filter(([, q]) => q.waiting).map(([name]) => name);
  }

  /** The names of the queues the user subscribed to. */
  queueNames(): string[] {
    return [...this.queues].filter(([, q]) => !q.internal).map(([name]) => name);
  }

  /**
   * The /open parameters for the next session: the user's, with each queue's seq moved to where
   * the subscription stands, and `keep` overridden when `keepOverride` is given.
   */
  openParams(keepOverride?: boolean): HmbOpenParams {
    const queue: Record<string, HmbQueueParams> = {};
    for (const [name, q] of this.queues) {
      let p: HmbQueueParams = q.next === undefined ? q.params : { ...q.params, seq: q.next };
      if (q.internal) {
        // ANNOUNCEMENT must stay open while a queue is awaited; otherwise it must not keep a
        // window (keep:false everywhere) from reaching EOF.
        p = { ...p, keep: this.waitingQueues().length > 0 || this.hasLiveQueue(keepOverride) };
      } else if (keepOverride !== undefined) {
        p = { ...p, keep: keepOverride };
      }
      queue[name] = p;
    }
    const open: { -readonly [K in keyof HmbOpenParams]: HmbOpenParams[K] } = {
      ...this.params,
      queue,
    };
    if (this.cid !== undefined) open.cid = this.cid;
    return open;
  }

  /**
   * Takes in an /open acknowledgement.
   *
   * @throws HmbQueueNotFoundError / HmbQueueError for a queue the server refused (fatal), except a
   *   queue that existed before and has vanished: that is a server restart without persistence,
   *   reported as a lost session (transient) so the subscription waits for it to come back.
   */
  applyAck(ack: HmbOpenAck, bus?: string): HmbAckOutcome {
    this.cid = ack.cid;
    this.reopenRequested = false;
    const gaps: HmbGap[] = [];
    let reopen = false;
    for (const [name, q] of this.queues) {
      const a = ack.queue[name];
      const context = { sid: ack.sid, queue: name, ...(bus === undefined ? {} : { bus }) };
      if (a === undefined)
        throw new HmbProtocolError(`the /open reply says nothing of queue ${name}`, context);
      if (a.error !== null || a.seq === null) {
        const text = a.error ?? 'no seq';
        if (text === QUEUE_NOT_FOUND_TEXT && this.waitForQueues) {
          q.waiting = true;
          continue;
        }
        if (text === QUEUE_NOT_FOUND_TEXT && q.known) {
          throw new HmbSessionLostError(
            `queue ${name} has vanished (server restarted without persistence?)`,
            context,
          );
        }
        if (text === QUEUE_NOT_FOUND_TEXT)
          throw new HmbQueueNotFoundError(`queue not found: ${name}`, context);
        throw new HmbQueueError(`queue ${name} refused: ${text}`, text, context);
      }
      if (q.waiting && q.next === undefined && (q.params.seq === undefined || q.params.seq < 0)) {
        // A queue created after the subscription began holds only messages that are new to it:
        // read it from its first seq, whatever relative start was asked for.
        q.next = 0;
        if (a.seq !== 0) reopen = true;
      }
      q.waiting = false;
      q.known = true;
      if (q.next !== undefined && a.seq < q.next) {
        // The server clamps a seq beyond its counter down to the counter (§6.3): the queue now has
        // fewer messages than we have seen, so its history was lost. Read it from its new start.
        gaps.push({
          kind: 'gap',
          queue: name,
          expectedSeq: q.next,
          nextSeq: a.seq,
          reason: 'reset',
        });
        q.next = 0;
        q.last = undefined;
        reopen = true;
      } else if (q.next === undefined) {
        q.next = a.seq;
      }
    }
    return { gaps, reopen };
  }

  /**
   * Takes in one message from the server and says whether to deliver it (not a duplicate, passes
   * the client-side check) and whether seqs were skipped before it.
   */
  accept(message: HmbMessage): HmbAcceptance {
    const q = this.queues.get(message.queue);
    if (q === undefined) return DELIVER;
    if (
      message.queue === ANNOUNCEMENT_QUEUE &&
      message.type === NEW_QUEUE_TYPE &&
      this.waitForQueues
    ) {
      const name = (message.data as { name?: unknown } | undefined)?.name;
      const named = typeof name === 'string' ? this.queues.get(name) : undefined;
      if (named !== undefined && !named.internal && (named.waiting || !named.known))
        this.reopenRequested = true;
    }
    if (q.last !== undefined && message.seq <= q.last) return SKIP;
    const expected = q.last !== undefined ? q.last + 1 : q.next;
    const gap: HmbGap | undefined =
      q.detectGaps && expected !== undefined && message.seq > expected
        ? {
            kind: 'gap',
            queue: message.queue,
            expectedSeq: expected,
            nextSeq: message.seq,
            reason: 'skipped',
          }
        : undefined;
    q.last = message.seq;
    q.next = message.seq + 1;
    const deliver = !q.internal && (q.check === undefined || q.check(message));
    // The common answers are shared objects: accept() runs once per message.
    if (gap === undefined) return deliver ? DELIVER : SKIP;
    return { deliver, gap };
  }

  /** The next seq of every queue whose position is known, e.g. for a cursor store. */
  positions(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, q] of this.queues)
      if (q.next !== undefined && !q.internal) out[name] = q.next;
    return out;
  }
}

/** What {@link SubscriptionCursor.accept} decided about one message. */
export interface HmbAcceptance {
  readonly deliver: boolean;
  readonly gap: HmbGap | undefined;
}

const DELIVER: HmbAcceptance = { deliver: true, gap: undefined };
const SKIP: HmbAcceptance = { deliver: false, gap: undefined };

// Seq jumps are normal where the server skips messages on purpose.
function detectsGaps(params: HmbQueueParams): boolean {
  const allTopics =
    params.topics === undefined ||
    params.topics.length === 0 ||
    params.topics.every((t) => t === '*');
  return (
    allTopics &&
    params.filter === undefined &&
    params.starttime === undefined &&
    params.endtime === undefined &&
    params.seedlink !== true
  );
}
