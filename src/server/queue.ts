import type { HmbQueueInfo, HmbTopicInfo } from '../protocol/bus-info';
import type { StoredMessage } from './stored-message';
import { formatGoTimeMicros, type GoTime } from './wire/go-time';

/** /info keeps the last end time per topic; past this many topics the least recently seen go. */
export const MAX_TOPICS_PER_QUEUE = 10_000;

/** Slots a queue's ring starts with (it doubles up to its capacity). */
const INITIAL_SLOTS = 16;

/** What {@link Queue.put} did with a message. */
export type PutOutcome = 'stored' | 'too-old';

/**
 * A queue: the last `capacity` seqs in RAM (the original's ring, `-b`), with gaps where sends
 * with an explicit seq skipped numbers. Seqs count from 0; `next` is the seq the next plain send
 * gets.
 */
export class Queue {
  /**
   * The ring: the message with seq `s` sits at `s % slots.length` (entries carry their seq, so a
   * stale one is recognised). It starts small and doubles up to the capacity, so an almost empty
   * queue costs little.
   */
  private slots: Array<StoredMessage | undefined> = new Array<StoredMessage | undefined>(
    INITIAL_SLOTS,
  );
  /** Lowest seq the ring can still hold: `next - capacity`, floored at 0. */
  private low = 0;
  /** Lowest seq actually held, found lazily (gaps are skipped). */
  private oldest: number | undefined;
  private nextSeq = 0;
  private held_ = 0;
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
    return this.held_;
  }

  /** The message with this seq, if the ring holds it. */
  get(seq: number): StoredMessage | undefined {
    if (seq < this.low || seq >= this.nextSeq) return undefined;
    const msg = this.slots[seq % this.slots.length];
    return msg !== undefined && msg.seq === seq ? msg : undefined;
  }

  /** The lowest seq held, or `undefined` for an empty queue. */
  oldestSeq(): number | undefined {
    if (this.held_ === 0) return undefined;
    if (this.oldest === undefined || this.get(this.oldest) === undefined) {
      let seq = Math.max(this.low, this.oldest ?? this.low);
      while (this.get(seq) === undefined) seq++;
      this.oldest = seq;
    }
    return this.oldest;
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
      const span = this.nextSeq - this.low;
      if (span > this.slots.length) this.grow(span);
    } else if (seq < this.low) {
      return 'too-old';
    }
    const at = seq % this.slots.length;
    const previous = this.slots[at];
    if (previous === undefined || previous.seq !== seq) this.held_++;
    this.slots[at] = msg;
    if (this.oldest !== undefined && seq < this.oldest) this.oldest = seq;
    this.noteTopic(msg);
    return 'stored';
  }

  private grow(span: number): void {
    let size = this.slots.length * 2;
    while (size < span) size *= 2;
    const old = this.slots;
    this.slots = new Array<StoredMessage | undefined>(Math.max(size, 1));
    for (const msg of old) if (msg !== undefined) this.slots[msg.seq % this.slots.length] = msg;
  }

  private evictBelow(newLow: number): void {
    const n = this.slots.length;
    if (newLow - this.low >= n) {
      this.slots = new Array<StoredMessage | undefined>(n);
      this.held_ = 0;
    } else {
      for (let seq = this.low; seq < newLow; seq++) {
        const at = seq % n;
        const msg = this.slots[at];
        if (msg !== undefined && msg.seq === seq) {
          this.slots[at] = undefined;
          this.held_--;
        }
      }
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

  /** The queue as /info describes it (notes §4). */
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
    const oldest = this.oldestSeq();
    if (oldest === undefined) return;
    for (let seq = oldest; seq < this.nextSeq; seq++) {
      const msg = this.get(seq);
      if (msg !== undefined) yield msg;
    }
  }
}
