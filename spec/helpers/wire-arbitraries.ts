import { Binary, Long } from 'bson';
import fc from 'fast-check';

/** A wire message as the server writes it (JSON-safe payload). */
export interface WireMessage {
  type: string;
  queue: string;
  seq: number;
  topic?: string;
  sender?: string;
  starttime?: string;
  endtime?: string;
  data?: unknown;
}

const word = fc.stringMatching(/^\w{1,12}$/);

/** Wire messages with JSON payloads (unicode strings included, to cut UTF-8 sequences). */
export const jsonWireMessage: fc.Arbitrary<WireMessage> = fc.record(
  {
    type: word,
    queue: fc.stringMatching(/^[\w ü]{1,10}$/),
    seq: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    topic: word,
    sender: word,
    data: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ['type', 'queue', 'seq'] },
);

/** A BSON payload: JSON values plus what only BSON carries (int64 beyond 2^53, dates, binary). */
export const bsonPayload: fc.Arbitrary<Record<string, unknown>> = fc.record({
  json: fc.jsonValue({ maxDepth: 2 }),
  big: fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 63n - 1n }).map((b) => Long.fromBigInt(b)),
  when: fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }),
  bytes: fc.uint8Array({ maxLength: 16 }).map((a) => new Binary(a)),
});

/** Body items: messages with heartbeats in between. */
export function framesOf<T>(message: fc.Arbitrary<T>): fc.Arbitrary<(T | 'HEARTBEAT')[]> {
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: message },
      { weight: 1, arbitrary: fc.constant('HEARTBEAT' as const) },
    ),
    {
      minLength: 1,
      maxLength: 12,
    },
  );
}

/** Cuts bytes into chunks at the given offsets. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort(
    (a, b) => a - b,
  );
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

/**
 * A UTC time from 1970 to 9999 to the millisecond, as the text a sender writes
 * (`2020-01-01T00:00:00.500Z`) and as the server's seconds and nanoseconds.
 */
export const utcTime: fc.Arbitrary<{ text: string; sec: number; nsec: number }> = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((date) => {
    const ms = date.getTime();
    return { text: date.toISOString(), sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1_000_000 };
  });
