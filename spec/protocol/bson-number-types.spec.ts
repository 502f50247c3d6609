import { isDeepStrictEqual } from 'node:util';
import { BSON, Double, Long } from 'bson';
import { deserializeDocument } from '../../src/protocol/bson-document';
import { bsonTyped } from '../../src/protocol/bson-typed';
import { BSON_NUMBER_TYPES, bsonNumberType } from '../../src/protocol/bson-number-types';
import type * as NumberTypes from '../../src/protocol/bson-number-types';

// Where the decoder keeps what each number was on the wire: out of sight of every reader of the
// document, readable by every copy of the package, and a record set by hand still counts.

function decoded(): Record<string, unknown> {
  return deserializeDocument(
    BSON.serialize({ magnitude: new Double(5), count: Long.fromNumber(7), list: [new Double(2)] }),
  );
}

describe('BSON number types record', () => {
  it('is invisible to keys, symbols, JSON and deep equality, and readable with bsonNumberType', () => {
    const data = decoded();
    expect(bsonNumberType(data, 'magnitude')).toBe('double');
    expect(bsonNumberType(data, 'count')).toBe('int64');
    expect(bsonNumberType(data['list'] as object, 0)).toBe('double');
    expect(Object.getOwnPropertySymbols(data)).toEqual([]);
    expect(Object.getOwnPropertyNames(data)).toEqual(['magnitude', 'count', 'list']);
    expect(JSON.stringify(data)).toBe('{"magnitude":5,"count":7,"list":[2]}');
    expect(isDeepStrictEqual(data, { magnitude: 5, count: 7, list: [2] })).toBe(true);
    expect(data).toStrictEqual({ magnitude: 5, count: 7, list: [2] });
    // A spread copy is a new object: it has no record, as with the non-enumerable property before.
    expect(bsonNumberType({ ...data }, 'magnitude')).toBeUndefined();
  });

  it('is read by a second copy of the package (its CommonJS and ESM builds loaded side by side)', () => {
    const data = decoded();
    let other: typeof NumberTypes | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof NumberTypes>('../../src/protocol/bson-number-types');
    });
    expect(other).toBeDefined();
    expect(other!.bsonNumberType).not.toBe(bsonNumberType);
    expect(other!.bsonNumberType(data, 'magnitude')).toBe('double');
    expect(other!.bsonNumberType(data, 'count')).toBe('int64');
  });

  it('a record set by hand under BSON_NUMBER_TYPES is honoured by the encoder', () => {
    const data = { magnitude: 5, count: 7 };
    Object.defineProperty(data, BSON_NUMBER_TYPES, {
      value: { magnitude: 'double', count: 'int64' },
    });
    expect(bsonNumberType(data, 'magnitude')).toBe('double');
    const typed = bsonTyped(data) as { magnitude: unknown; count: unknown };
    expect(typed.magnitude).toBeInstanceOf(Double);
    expect(typed.count).toBeInstanceOf(Long);
  });
});
