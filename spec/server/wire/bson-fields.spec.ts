import { Double, Int32, Long, serialize, type Document } from 'bson';
import fc from 'fast-check';
import { bsonSequence, bsonTime } from '../../../src/server/wire/bson-fields';
import { bsonElements, type BsonElement } from '../../../src/server/wire/bson-reader';
import { malformedAnswer } from '../../helpers/malformed-answer';
import { utcTime } from '../../helpers/wire-arbitraries';

/** A field's element as the decoders meet it: inside a whole document. */
function element(value: unknown): { doc: Buffer; el: BsonElement } {
  const doc = Buffer.from(serialize({ f: value } as Document));
  return { doc, el: bsonElements(doc, 0)[0]! };
}

describe('server wire: BSON fields read strictly by /open and /send', () => {
  it('server wire: bsonSequence reads every int32 and int64 exactly, and null as null', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const { doc, el } = element(Long.fromBigInt(n));
        expect(bsonSequence(doc, el)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const { doc, el } = element(new Int32(n));
        expect(bsonSequence(doc, el)).toBe(BigInt(n));
      }),
    );
    const { doc, el } = element(null);
    expect(bsonSequence(doc, el)).toBeNull();
  });

  it('server wire: bsonSequence aborts with `invalid Sequence` for a double (even a whole one), a string or a document', () => {
    for (const value of [new Double(5), new Double(0.5), '5', { n: 5 }, true]) {
      const { doc, el } = element(value);
      expect(malformedAnswer(() => bsonSequence(doc, el))).toBe('invalid Sequence');
    }
  });

  it('server wire: bsonTime reads every UTC time string to the millisecond, unquoted, and null as null', () => {
    fc.assert(
      fc.property(utcTime, ({ text, sec, nsec }) => {
        const { doc, el } = element(text);
        expect(bsonTime(doc, el)).toEqual({ sec, nsec });
      }),
    );
    const { doc, el } = element(null);
    expect(bsonTime(doc, el)).toBeNull();
  });

  it("server wire: bsonTime aborts with `invalid Time` for a non-string, and Go's parse text for a bad string", () => {
    for (const value of [new Date(0), new Int32(0), Long.fromNumber(0), { t: 'x' }]) {
      const { doc, el } = element(value);
      expect(malformedAnswer(() => bsonTime(doc, el))).toBe('invalid Time');
    }
    const { doc, el } = element('2020-01-01');
    expect(malformedAnswer(() => bsonTime(doc, el))).toBe(
      'parsing time "2020-01-01" as "2006-01-02T15:04:05Z": cannot parse "" as "T"',
    );
  });
});
