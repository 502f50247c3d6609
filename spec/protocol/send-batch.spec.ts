import { BSON, Long } from 'bson';
import fc from 'fast-check';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbFormat } from '../../src/protocol/hmb-format';
import type { HmbOutgoing } from '../../src/protocol/outgoing';
import { encodeOne } from '../helpers/encode-one';
import { encodeSendBatch } from '../../src/protocol/send-batch';

// A /send body built in one pass must be exactly the messages' own encodings joined, and must keep
// to its bounds: the sink sends it as it is.

const utf8 = new TextEncoder();

/** Messages with text of every kind (multi-byte, astral) and numbers, including -0. */
const outgoing: fc.Arbitrary<HmbOutgoing> = fc.record({
  type: fc.constantFrom('T', 'ALERT'),
  queue: fc.constantFrom('Q', 'PJ'),
  data: fc.record({
    text: fc.string({ unit: 'grapheme', maxLength: 60 }),
    n: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  }),
});

function bodyBytes(body: string | Uint8Array): number {
  return typeof body === 'string' ? utf8.encode(body).length : body.length;
}

/** The body joined from one encoding per message, as the sink built it before. */
function joined(messages: readonly HmbOutgoing[], format: HmbFormat): string | Uint8Array {
  const parts = messages.map((m) => encodeOne(m, format));
  if (format === 'json') return `{${parts.map((p, i) => `"${i}":${p as string}`).join(',')}}`;
  return Buffer.concat(parts as Uint8Array[]);
}

describe.each(['json', 'bson'] as const)('protocol: one-pass /send bodies (%s)', (format) => {
  it('send batch: the body is the messages encoded one by one and joined, within maxMessages and maxBytes, taking at least one', () => {
    fc.assert(
      fc.property(
        fc.array(outgoing, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 4_000 }),
        (messages, maxMessages, maxBytes) => {
          const batch = encodeSendBatch(
            messages,
            0,
            messages.length,
            { maxMessages, maxBytes },
            format,
          );
          expect(batch.refused).toEqual([]);
          const n = batch.messages.length;
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(maxMessages);
          expect(batch.messages).toEqual(messages.slice(0, n));
          const expected = joined(messages.slice(0, n), format);
          expect(batch.body).toEqual(expected);
          if (n > 1) expect(bodyBytes(batch.body)).toBeLessThanOrEqual(maxBytes);
          // Greedy: the next message would not have fitted (or the count was reached).
          if (n < messages.length && n < maxMessages)
            expect(bodyBytes(joined(messages.slice(0, n + 1), format))).toBeGreaterThan(maxBytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('send batch: the size remembered from the last batch chooses only how the body is written, never what it holds', () => {
    fc.assert(
      fc.property(
        fc.array(outgoing, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 4_000 }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (messages, maxMessages, maxBytes, bytesPerMessage) => {
          const limits = { maxMessages, maxBytes };
          const memo = { jsonBytesPerMessage: bytesPerMessage };
          const withMemo = encodeSendBatch(messages, 0, messages.length, limits, format, memo);
          const without = encodeSendBatch(messages, 0, messages.length, limits, format);
          expect(withMemo).toEqual(without);
          if (format === 'json')
            expect(memo.jsonBytesPerMessage).toBeCloseTo(
              without.body.length / without.messages.length,
            );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('send batch: a message changed after it was accepted is refused with its path; one after a good message ends the batch', () => {
    const good = (i: number): HmbOutgoing => ({ type: 'T', queue: 'Q', data: { i } });
    const changed: HmbOutgoing = { type: 'T', queue: 'Q', data: { i: 1, f: () => 1 } };
    const limits = { maxMessages: 10, maxBytes: 1_000_000 };
    const first = encodeSendBatch([changed, good(2), changed, good(3)], 0, 4, limits, format);
    expect(first.refused.map((r) => r.message)).toEqual([changed]);
    expect(isHmbError(first.refused[0]!.error, 'HMB_ERR_INVALID_MESSAGE')).toBe(true);
    expect(first.refused[0]!.error.path).toBe('data.f');
    expect(first.messages).toEqual([good(2)]);
    const only = encodeSendBatch([changed], 0, 1, limits, format);
    expect(only.messages).toEqual([]);
    expect(only.refused).toHaveLength(1);
  });

  it('send batch: a range in the middle of a queue, and bodies far past the scratch buffer', () => {
    const big = 'x'.repeat(100_000);
    const queue: HmbOutgoing[] = Array.from({ length: 30 }, (_, i) => ({
      type: 'T',
      queue: 'Q',
      data: { i, big },
    }));
    const batch = encodeSendBatch(
      queue,
      5,
      25,
      { maxMessages: 1_000, maxBytes: 10 * 1024 * 1024 },
      format,
    );
    expect(batch.messages).toEqual(queue.slice(5, 25));
    // Compared as bytes: a deep equality over 2 MB would take seconds.
    const expected = joined(queue.slice(5, 25), format);
    expect(Buffer.from(batch.body).equals(Buffer.from(expected))).toBe(true);
  });
});

describe('protocol: one-pass BSON bodies', () => {
  it('send batch: a document js-bson refuses is refused, not mistaken for a full buffer', () => {
    // Keys with a NUL cannot be written as BSON element names.
    const bad: HmbOutgoing = { type: 'T', queue: 'Q', data: { 'a\u0000b': 1 } };
    const batch = encodeSendBatch([bad], 0, 1, { maxMessages: 10, maxBytes: 1_000 }, 'bson');
    expect(batch.messages).toEqual([]);
    expect(batch.refused[0]!.error.message).toContain('cannot be encoded as BSON');
  });

  it('send batch: numbers keep their recorded BSON types in the one-pass body', () => {
    const data = BSON.deserialize(BSON.serialize({ big: Long.fromNumber(7) }));
    const message: HmbOutgoing = { type: 'T', queue: 'Q', data };
    const batch = encodeSendBatch([message], 0, 1, { maxMessages: 10, maxBytes: 1_000 }, 'bson');
    expect(batch.body).toEqual(encodeOne(message, 'bson'));
  });
});
