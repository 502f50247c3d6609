import { HmbProtocolError } from '../errors/protocol-error';
import { HmbQueueError } from '../errors/queue-error';
import { HmbQueueNotFoundError } from '../errors/queue-not-found-error';
import { HmbSessionLostError } from '../errors/session-lost-error';
import { ANNOUNCEMENT_QUEUE, NEW_QUEUE_TYPE, type HmbMessage } from '../protocol/message';
import type {
  HmbOpenAck,
  HmbOpenParams,
  HmbQueueParams,
  HmbSubscribeParams,
} from '../protocol/open-params';
import type { HmbHealedEvent, HmbLostGap, HmbRewindGap } from './connection-state';

/** The server's per-queue text for a queue that does not exist (yet). */
export const QUEUE_NOT_FOUND_TEXT = 'queue not found';

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
  /** Whether a skip is fetched again when the server still holds it (gap detection on, no qlen). */
  readonly heals: boolean;
  /** SeedLink seqs wrap at 2^24: going "backwards" is then normal. */
  readonly wraps: boolean;
  /** How many times the server went backwards on this queue (see `HmbMessage.epoch`). */
  epoch: number;
  /** The queue was not found although it existed before: the server lost all of it. */
  vanished: boolean;
  /** Seq of the last message of this queue in the current session, for the order check. */
  sessionLast: number | undefined;
  /** A skipped range being fetched again. */
  healing: { readonly from: number; readonly to: number } | undefined;
  /** Tries to fetch the range starting at `expected` again. */
  healAttempts: { readonly expected: number; readonly count: number } | undefined;
}

/** The outcome of applying an /open acknowledgement. */
export interface HmbAckOutcome {
  /** Queues the server went backwards on (it restarted without its newest messages, or all). */
  readonly gaps: readonly HmbRewindGap[];
  /** Open again at once: a queue that lost everything must be read from 0. */
  readonly reopen: boolean;
}

/** What to do about a skip ({@link SubscriptionCursor.resolveSkip}). */
export interface HmbSkipResolution {
  /** Gaps that are really gone, and heals that completed, to emit in this order. */
  readonly events: readonly (HmbLostGap | HmbHealedEvent)[];
  /** Open again at once, from the cursor's position, to fetch the skipped range. */
  readonly reopen: boolean;
  /** When not reopening: whether to deliver the message after the gap. */
  readonly deliver: boolean;
}

/** Options of a {@link SubscriptionCursor}. */
export interface SubscriptionCursorOptions {
  /** Builds a client-side check per queue (topics and filter evaluated again), or none. */
  readonly checkFor?: (queue: string, params: HmbQueueParams) => HmbMessageCheck | undefined;
  /**
   * Wait for queues that do not exist yet instead of failing: listen to ANNOUNCEMENT and reopen
   * when a NEW_QUEUE message names one of them.
   */
  readonly waitForQueues?: boolean;
  /**
   * Fetch skipped ranges again when the server still holds them (see {@link HmbHealedEvent});
   * default false here, on in `HmbClient`.
   */
  readonly healGaps?: boolean;
  /**
   * Read the backlog first, every queue with `keep: false`, then, at its EOF, follow in real time
   * from where it ended (see `HmbSubscribeOptions.backlogThenLive` and {@link HmbSessionStep}).
   */
  readonly backlogThenLive?: boolean;
}

/**
 * What a receive attempt does next, as {@link SubscriptionCursor.nextStep} decides after each
 * batch of a session:
 * - `read`: read the session on;
 * - `reopen`: open a new session at once, from where the cursor stands (a waited-for queue now
 *   exists, or a window ended while a queue is still awaited);
 * - `live`: the backlog is drained; open again at once, now following in real time;
 * - `eof`: every queue has ended its window: the subscription is complete.
 */
export type HmbSessionStep = 'read' | 'reopen' | 'live' | 'eof';

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
  private cid: string | undefined;
  private readonly queues = new Map<string, QueueCursor>();
  private readonly waitForQueues: boolean;
  /** A NEW_QUEUE announcement in this session named a queue we wait for: reopen after the batch. */
  private newQueueAnnounced = false;
  /** Still reading the backlog of a `backlogThenLive` subscription. */
  private inBacklog: boolean;

  constructor(
    private readonly params: HmbSubscribeParams,
    options: SubscriptionCursorOptions = {},
  ) {
    this.cid = params.cid;
    this.waitForQueues = options.waitForQueues === true;
    this.inBacklog = options.backlogThenLive === true;
    for (const [name, queueParams] of Object.entries(params.queue)) {
      this.queues.set(name, {
        params: queueParams,
        next: undefined,
        last: undefined,
        detectGaps: detectsGaps(queueParams) && params.cid === undefined,
        known: false,
        waiting: false,
        internal: false,
        check: options.checkFor?.(name, queueParams),
        heals:
          options.healGaps === true &&
          detectsGaps(queueParams) &&
          params.cid === undefined &&
          (queueParams.qlen === undefined || queueParams.qlen < 0),
        ...FRESH_STATE,
        wraps: queueParams.seedlink === true,
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
        heals: false,
        ...FRESH_STATE,
        wraps: false,
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

  /**
   * The /open parameters for the next session: the user's, with each queue's seq moved to where
   * the subscription stands, and `keep: false` on every queue while reading a backlog.
   */
  openParams(): HmbOpenParams {
    const keepOverride = this.inBacklog ? false : undefined;
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
    this.newQueueAnnounced = false;
    const gaps: HmbRewindGap[] = [];
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
          // Whatever it holds when it comes back is new: read it from 0 then.
          q.vanished = true;
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
      q.sessionLast = undefined;
      if (q.internal && q.next !== undefined && a.seq < q.next) {
        // Our own ANNOUNCEMENT listener just follows the server wherever it went.
        q.next = a.seq;
        q.last = a.seq === 0 ? undefined : a.seq - 1;
      } else if (q.next !== undefined && (a.seq < q.next || q.vanished)) {
        // The server clamps a seq beyond its counter down to the counter (docs/protocol.md, "What
        // the client does": server restart without persistence): it has fewer messages than we
        // have seen, so it lost its tail and will reuse those seqs for new messages. What it still
        // holds below the ack is what we delivered already: go on from the ack, in a new epoch,
        // rather than replay the queue from 0. A queue that vanished lost everything: all it
        // holds now is new.
        const lostFrom = q.vanished ? 0 : a.seq;
        q.epoch++;
        gaps.push({
          kind: 'gap',
          queue: name,
          expectedSeq: q.next,
          nextSeq: a.seq,
          reason: 'rewind',
          lostFrom,
          lostTo: q.next - 1,
          epoch: q.epoch,
        });
        q.next = lostFrom;
        q.last = lostFrom === 0 ? undefined : lostFrom - 1;
        q.healing = undefined;
        q.healAttempts = undefined;
        if (lostFrom !== a.seq) reopen = true;
      } else if (q.next === undefined) {
        q.next = a.seq;
      }
      q.vanished = false;
    }
    return { gaps, reopen };
  }

  /**
   * Decides what the receive attempt does after a batch of the current session (`sawEof`: the
   * batch ended with EOF): see {@link HmbSessionStep}. Returning `live` moves the cursor out of
   * the backlog, so the next /open follows in real time.
   */
  nextStep(sawEof: boolean): HmbSessionStep {
    if (this.newQueueAnnounced) return 'reopen';
    if (!sawEof) return 'read';
    if (this.waitingQueues().length > 0) return 'reopen';
    if (this.inBacklog) {
      this.inBacklog = false;
      return 'live';
    }
    return 'eof';
  }

  /**
   * Takes in one message from the server and says whether to deliver it (not a duplicate, passes
   * the client-side check) and whether seqs were skipped before it. A skip on a queue that heals
   * comes back with `heal: true` and the position left where it was: settle it with
   * {@link resolveSkip} before taking in anything else.
   *
   * @throws HmbProtocolError when a seq is not above the previous one of its queue in the same
   *   session (the server writes each queue in seq order).
   */
  accept(message: HmbMessage): HmbAcceptance {
    const q = this.queues.get(message.queue);
    if (q === undefined) return DELIVER;
    if (q.sessionLast !== undefined && message.seq <= q.sessionLast && !q.wraps) {
      throw new HmbProtocolError(
        `queue ${message.queue} went backwards within one session: seq ${message.seq} after ${q.sessionLast}`,
        { queue: message.queue, seq: message.seq },
      );
    }
    q.sessionLast = message.seq;
    if (
      message.queue === ANNOUNCEMENT_QUEUE &&
      message.type === NEW_QUEUE_TYPE &&
      this.waitForQueues
    ) {
      const name = (message.data as { name?: unknown } | undefined)?.name;
      const named = typeof name === 'string' ? this.queues.get(name) : undefined;
      if (named !== undefined && !named.internal && (named.waiting || !named.known))
        this.newQueueAnnounced = true;
    }
    if (q.last !== undefined && message.seq <= q.last) return SKIP;
    const expected = q.last !== undefined ? q.last + 1 : q.next;
    if (q.detectGaps && expected !== undefined && message.seq > expected) {
      const gap: HmbLostGap = {
        kind: 'gap',
        queue: message.queue,
        expectedSeq: expected,
        nextSeq: message.seq,
        reason: 'skipped',
      };
      if (q.heals) return { deliver: false, gap, heal: true };
      return this.advance(q, message, gap);
    }
    return this.advance(q, message, undefined);
  }

  /**
   * Settles a skip that {@link accept} flagged with `heal`, knowing the oldest seq the server holds
   * of the queue (/info `startseq`; `null` when it holds nothing, `undefined` when it does not say):
   * - it holds the skipped range, or part of it, and the range has been asked for fewer than
   *   `maxAttempts` times: move the position back to the first seq it holds and reopen (what is
   *   below that is reported `trimmed`);
   * - otherwise report the range (`trimmed` when the server no longer holds it, `skipped` when it
   *   does but could not supply it) and take in the message after it.
   */
  resolveSkip(
    gap: HmbLostGap,
    message: HmbMessage,
    startseq: number | null | undefined,
    maxAttempts: number,
  ): HmbSkipResolution {
    const q = this.queues.get(gap.queue);
    if (q === undefined) return { events: [gap], reopen: false, deliver: true };
    const events: (HmbLostGap | HmbHealedEvent)[] = [];
    const expected = gap.expectedSeq;
    if (q.healing !== undefined && expected > q.healing.from) {
      // A heal got part of the way before the server skipped again: that part is healed.
      events.push(healedEvent(gap.queue, q.healing.from, expected - 1));
    }
    q.healing = undefined;
    const count = q.healAttempts?.expected === expected ? q.healAttempts.count + 1 : 1;
    const held = typeof startseq === 'number' ? startseq : undefined;
    if (held !== undefined && held < gap.nextSeq && count <= maxAttempts) {
      const from = Math.max(expected, held);
      if (from > expected) events.push({ ...gap, nextSeq: from, reason: 'trimmed' });
      q.next = from;
      q.last = from === 0 ? undefined : from - 1;
      q.healing = { from, to: gap.nextSeq - 1 };
      q.healAttempts = { expected: from, count: from > expected ? 1 : count };
      return { events, reopen: true, deliver: false };
    }
    // Trimmed: the server says it holds nothing of the range. Skipped: it says it does (or does not
    // say), yet did not supply it.
    const trimmed = startseq === null || (held !== undefined && held >= gap.nextSeq);
    events.push({ ...gap, reason: trimmed ? 'trimmed' : 'skipped' });
    q.healAttempts = undefined;
    const { deliver, healed } = this.advance(q, message, undefined);
    if (healed !== undefined) events.push(healed);
    return { events, reopen: false, deliver };
  }

  private advance(q: QueueCursor, message: HmbMessage, gap: HmbLostGap | undefined): HmbAcceptance {
    q.last = message.seq;
    q.next = message.seq + 1;
    let healed: HmbHealedEvent | undefined;
    if (q.healing !== undefined && message.seq >= q.healing.to) {
      healed = healedEvent(message.queue, q.healing.from, q.healing.to);
      q.healing = undefined;
      q.healAttempts = undefined;
    }
    // Stamped on the message itself: the wire object is ours, and this happens only after a rewind.
    if (q.epoch > 0) (message as { epoch?: number }).epoch = q.epoch;
    const deliver = !q.internal && (q.check === undefined || q.check(message));
    // The common answers are shared objects: accept() runs once per message.
    if (gap === undefined && healed === undefined) return deliver ? DELIVER : SKIP;
    return healed === undefined ? { deliver, gap } : { deliver, gap, healed };
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
  readonly gap: HmbLostGap | undefined;
  /** The gap may be healed: call {@link SubscriptionCursor.resolveSkip} (nothing was taken in). */
  readonly heal?: true;
  /** A skipped range has now been fetched again in full. */
  readonly healed?: HmbHealedEvent;
}

const FRESH_STATE = {
  epoch: 0,
  vanished: false,
  sessionLast: undefined,
  healing: undefined,
  healAttempts: undefined,
} as const;

function healedEvent(queue: string, fromSeq: number, toSeq: number): HmbHealedEvent {
  return { kind: 'healed', queue, fromSeq, toSeq };
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
