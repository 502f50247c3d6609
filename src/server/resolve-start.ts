import type { Queue } from './queue';
import type { OpenQueueParams } from './wire/decode-open';
import { compareGoTime } from './wire/go-time';

/** SeedLink sequence numbers have 24 bits and wrap. */
const SEEDLINK_MODULUS = 2 ** 24;

/**
 * The seq a subscription starts at and the /open ack reports (docs/protocol.md §6.3): a negative
 * seq counts back from the next one (-1 is the next new message), floored at 0; a seq beyond the
 * next one is clamped to it (the original's `-d` has no effect on queues created by sending, and we
 * do not offer it); a seq older than the ring is kept as asked. With `seedlink`, the seq is a
 * 24-bit number: the latest seq at or before the next one with those low 24 bits.
 *
 * With a `starttime`, the start moves forward one message at a time while the next message is
 * held and ends at or before the starttime (docs/protocol.md §17.1), so the ack may name a message
 * that is then skipped (docs/protocol.md §6.7, §16.7).
 */
export function resolveStart(queue: Queue, params: OpenQueueParams): number {
  const next = queue.next;
  const requested = params.seq ?? -1;
  let start: number;
  if (params.seedlink && requested >= 0) {
    const low = requested % SEEDLINK_MODULUS;
    start = next - ((((next - low) % SEEDLINK_MODULUS) + SEEDLINK_MODULUS) % SEEDLINK_MODULUS);
    if (start < 0) start = low <= next ? low : next;
  } else if (requested < 0) {
    start = Math.max(0, next + requested + 1);
  } else {
    start = Math.min(requested, next);
  }
  if (params.starttime !== null) {
    // docs/protocol.md §17.1: step on while the *next* message is held and ends at or before the
    // start; a missing, untimed or later next message stops the walk (an untimed one is then
    // delivered).
    for (;;) {
      const following = queue.get(start + 1);
      if (following?.endtime === undefined) break;
      if (compareGoTime(following.endtime, params.starttime) > 0) break;
      start++;
    }
  }
  return start;
}
