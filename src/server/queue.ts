import type { HmbQueueInfo, HmbTopicInfo } from '../protocol/bus-info';
import type { StoredMessage } from './stored-message';
import { formatGoTimeMicros, type GoTime } from './wire/go-time';

/** /info keeps the last end time per topic; past this many topics the least recently seen go. */
export const MAX_TOPICS_PER_QUEUE = 10_000;

/** What {@link Queue.put} did with a message. */
export type PutOutcome = 'stored' | 'too-old';

/**
 * A queue: the last `capacity` seqs in RAM (the original's ring, `-b`), with gaps where sends
 * with an explicit seq skipped numbers. Seqs count from 0; `next` is the seq the next plain send
 * gets.
 *
 * Messages sit in a map keyed by seq, not in an array indexed by seq: a client names seqs freely
 * (`seq: 65536` on a new queue), and an array sized by the span of seqs made one small /send
 * allocate a megabyte per queue. The map costs what is stored, whatever the seqs.
 */
export class Queue {
  private readonly bySeq = new Map<number, StoredMessage>();
  /** Lowest seq the ring can still hold: `next - capacity`, floored at 0. */
  private low = 0;
  /** Lowest seq actually held, found lazily (gaps are skipped). */
  private oldest: number | undefined;
  private nextSeq = 0;
  /** Per topic, the end time of the newest message of that topic that had one. */
  private readonly topics = new Map<string, GoTime | null>();

  constructor(
    readonly name: string,
    private readonly capacity: number,
  ) {}

  /** The seq the next plain send gets (the /info `endseq`). */
  get next(): number {
    return this.nextSeq;
  }

  /** How many messages the ring holds. */
  get size(): number {
    return this.bySeq.size;
  }

  /** The message with this seq, if the ring holds it. */
  get(seq: number): StoredMessage | undefined {
    return this.bySeq.get(seq);
  }

  /** The lowest seq held, or `undefined` for an empty queue. */
  oldestSeq(): number | undefined {
    if (this.bySeq.size === 0) return undefined;
    if (this.oldest === undefined || !this.bySeq.has(this.oldest)) {
      const from = Math.max(this.low, this.oldest ?? this.low);
      this.oldest = this.lowestFrom(from);
    }
    return this.oldest;
  }

  /**
   * The lowest seq held at or after `from` (`undefined` if none). Steps forward at most as many
   * seqs as are stored, then scans the map's keys: a short gap is found by stepping, a long one
   * costs one pass over what is stored. Deciding by the whole queue's density instead made a
   * sparse queue scan every key for every gap, so a subscriber's catch-up grew quadratically.
   */
  lowestFrom(from: number): number | undefined {
    const stop = Math.min(this.nextSeq, from + this.bySeq.size);
    for (let seq = from; seq < stop; seq++) if (this.bySeq.has(seq)) return seq;
    if (stop >= this.nextSeq) return undefined;
    let lowest: number | undefined;
    for (const seq of this.bySeq.keys()) {
      if (seq >= stop && (lowest === undefined || seq < lowest)) lowest = seq;
    }
    return lowest;
  }

  /**
   * Stores a message at its seq. A seq at or past `next` moves `next` on and evicts what falls out
   * of the ring (a jump of `capacity` or more empties it, as in the original); a lower seq
   * overwrites or fills a gap; one below the ring is older than anything kept and is dropped.
   */
  put(msg: StoredMessage): PutOutcome {
    const seq = msg.seq;
    if (seq >= this.nextSeq) {
      const newLow = Math.max(0, seq + 1 - this.capacity);
      if (newLow > this.low) this.evictBelow(newLow);
      this.nextSeq = seq + 1;
    } else if (seq < this.low) {
      return 'too-old';
    }
    this.bySeq.set(seq, msg);
    if (this.oldest !== undefined && seq < this.oldest) this.oldest = seq;
    this.noteTopic(msg);
    return 'stored';
  }

  private evictBelow(newLow: number): void {
    if (newLow - this.low <= this.bySeq.size) {
      for (let seq = this.low; seq < newLow; seq++) this.bySeq.delete(seq);
    } else {
      // A long jump: look at what is stored rather than at every seq passed over.
      for (const seq of this.bySeq.keys()) if (seq < newLow) this.bySeq.delete(seq);
    }
    this.low = newLow;
    if (this.oldest !== undefined && this.oldest < newLow) this.oldest = undefined;
  }

  private noteTopic(msg: StoredMessage): void {
    const topic = msg.topic ?? '';
    const previous = this.topics.get(topic);
    const value = msg.endtime ?? previous ?? null;
    if (this.topics.size < MAX_TOPICS_PER_QUEUE) {
      if (previous !== value) this.topics.set(topic, value);
      return;
    }
    // At the cap, re-inserting keeps the map in least-recently-seen order, so the least recently
    // seen topic is the one dropped.
    this.topics.delete(topic);
    this.topics.set(topic, value);
    if (this.topics.size > MAX_TOPICS_PER_QUEUE) {
      const first = this.topics.keys().next();
      if (first.done !== true) this.topics.delete(first.value);
    }
  }

  /** The queue as /info describes it (docs/protocol.md §4). */
  info(): HmbQueueInfo {
    const oldest = this.oldestSeq();
    if (oldest === undefined) {
      return { startseq: null, starttime: null, endseq: null, endtime: null, topic: null };
    }
    const first = this.get(oldest)!;
    const last = this.get(this.nextSeq - 1);
    const topic: Record<string, HmbTopicInfo> = {};
    for (const [name, endtime] of this.topics) {
      Object.defineProperty(topic, name, {
        value: { starttime: null, endtime: endtime === null ? null : formatGoTimeMicros(endtime) },
        enumerable: true,
      });
    }
    return {
      startseq: oldest,
      starttime: first.starttime === undefined ? null : formatGoTimeMicros(first.starttime),
      endseq: this.nextSeq,
      endtime: last?.endtime === undefined ? null : formatGoTimeMicros(last.endtime),
      topic,
    };
  }

  /** Every message held, oldest first (for compacting the log). */
  *held(): IterableIterator<StoredMessage> {
    for (let seq = this.oldestSeq(); seq !== undefined; seq = this.lowestFrom(seq + 1)) {
      yield this.bySeq.get(seq)!;
    }
  }
}
