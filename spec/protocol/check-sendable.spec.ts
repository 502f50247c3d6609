import fc from 'fast-check';
import { Long } from 'bson';
import { checkOutgoing, checkSendable } from '../../src/protocol/outgoing-wire';
import type { HmbOutgoing } from '../../src/protocol/outgoing';

// A sink checks each message as it accepts it with checkSendable, which makes no wire document
// (issue 18), and checks it again with checkOutgoing when its batch is encoded. Both must refuse
// exactly the same messages, with the same error: a message the sink accepted would otherwise be
// refused only when its batch goes out, or the other way round.

/** Field values, good and bad, of every kind the checks look at. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('', 'T', 'HEARTBEAT', 'EOF', 'NEW_QUEUE', 'EMSC_MSG', 'a b', 'x.y', '\ud800'),
  fc.integer({ min: -3, max: 1e6 }),
  fc.constantFrom(1.5, -0, NaN, Infinity, 2 ** 60),
  fc.constantFrom(null, undefined, true),
  fc.constantFrom(
    new Date(0),
    new Date(NaN),
    '2024-05-01T12:00:00Z',
    'not a time',
    10n,
    2n ** 70n,
    Long.fromNumber(5),
  ),
);

const payload: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyValue,
    fc.constantFrom(new Map(), new Set([1]), new Uint8Array([1]), new Int16Array(1), /x/g, /y/i),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Mostly `good` (or absent), now and then any value at all: each check gets its turn. */
function mostly<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: anyValue });
}

const message: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(null, 'text', 7) },
  {
    weight: 30,
    arbitrary: fc.record(
      {
        type: mostly(fc.constant('T')),
        queue: mostly(fc.constant('Q')),
        topic: mostly(fc.constantFrom('X', undefined)),
        seq: mostly(fc.constantFrom(0, 42, undefined)),
        starttime: mostly(fc.constantFrom(new Date(0), undefined)),
        endtime: mostly(fc.constant(undefined)),
        scMessageType: mostly(fc.constantFrom(3, undefined)),
        scContentType: mostly(fc.constant(undefined)),
        gdacs: mostly(
          fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('a', 'b'), payload)),
        ),
        data: fc.oneof(
          { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer()) },
          { weight: 2, arbitrary: payload },
        ),
      },
      { requiredKeys: ['type', 'queue'] },
    ),
  },
);

function outcome(check: () => unknown): string {
  try {
    check();
    return 'accepted';
  } catch (error) {
    const { name, message, path } = error as { name: string; message: string; path?: string };
    return `${name}: ${message} @ ${String(path)}`;
  }
}

describe('checkSendable', () => {
  it.each(['json', 'bson'] as const)(
    'refuses exactly what checkOutgoing refuses, with the same error (%s)',
    (format) => {
      let refused = 0;
      fc.assert(
        fc.property(message, (m) => {
          const full = outcome(() => checkOutgoing(m as HmbOutgoing, format));
          if (full !== 'accepted') refused++;
          expect(outcome(() => checkSendable(m as HmbOutgoing, format))).toBe(full);
        }),
        { numRuns: 2_000 },
      );
      // Both kinds were tried: the property is not only about messages that pass.
      expect(refused).toBeGreaterThan(400);
      expect(refused).toBeLessThan(1_600);
    },
  );
});
