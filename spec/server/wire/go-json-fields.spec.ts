import fc from 'fast-check';
import { GoTypeErrors } from '../../../src/server/wire/go-decode-errors';
import {
  jsonIntField,
  jsonSeqField,
  jsonTimeField,
  jsonValueField,
} from '../../../src/server/wire/go-json-fields';
import { parseGoJson, type GoJsonNode } from '../../../src/server/wire/go-json-parse';
import { malformedAnswer } from '../../helpers/malformed-answer';
import { utcTime } from '../../helpers/wire-arbitraries';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A field's value as the decoders meet it: a node inside a whole body, whose bytes it spans. */
function field(literal: string): { body: Buffer; node: GoJsonNode } {
  const body = Buffer.from(`{"f": ${literal} }`);
  const parsed = parseGoJson(body);
  if (!parsed.ok || parsed.node.t !== 'obj') throw new Error(`not an object: ${literal}`);
  return { body, node: parsed.node.entries[0]![1] };
}

describe('server wire: JSON fields shared by /open and /send', () => {
  it('server wire: jsonSeqField reads every int64 literal exactly, and null as no value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (n) => {
        const { body, node } = field(String(n));
        expect(jsonSeqField(body, node)).toBe(n);
      }),
    );
    const { body, node } = field('null');
    expect(jsonSeqField(body, node)).toBeUndefined();
  });

  it("server wire: jsonSeqField aborts the body with strconv's text for any literal that is not an int64", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
        (d) => {
          const literal = JSON.stringify(d);
          const { body, node } = field(literal);
          expect(malformedAnswer(() => jsonSeqField(body, node))).toBe(
            `strconv.ParseInt: parsing "${literal}": invalid syntax`,
          );
        },
      ),
    );
    const cases: Array<[string, string]> = [
      ['5.0', 'strconv.ParseInt: parsing "5.0": invalid syntax'],
      ['"5"', 'strconv.ParseInt: parsing "\\"5\\"": invalid syntax'],
      ['true', 'strconv.ParseInt: parsing "true": invalid syntax'],
      [
        '9223372036854775808',
        'strconv.ParseInt: parsing "9223372036854775808": value out of range',
      ],
    ];
    for (const [literal, text] of cases) {
      const { body, node } = field(literal);
      expect(malformedAnswer(() => jsonSeqField(body, node))).toBe(text);
    }
  });

  it('server wire: jsonTimeField reads every UTC time to the millisecond, and null as no value', () => {
    fc.assert(
      fc.property(utcTime, ({ text, sec, nsec }) => {
        const { body, node } = field(JSON.stringify(text));
        expect(jsonTimeField(body, node)).toEqual({ sec, nsec });
      }),
    );
    const { body, node } = field('null');
    expect(jsonTimeField(body, node)).toBeUndefined();
  });

  it("server wire: jsonTimeField aborts the body with Go's time-parse text, quotes of the token included", () => {
    const cases: Array<[string, string]> = [
      ['"2020-13-01T00:00:00Z"', 'parsing time "\\"2020-13-01T00:00:00Z\\"": month out of range'],
      [
        '"2020-01-01"',
        'parsing time "\\"2020-01-01\\"" as "\\"2006-01-02T15:04:05Z\\"": cannot parse "\\"" as "T"',
      ],
      [
        '1577836800',
        'parsing time "1577836800" as "\\"2006-01-02T15:04:05Z\\"": cannot parse "1577836800" as "\\""',
      ],
    ];
    for (const [literal, text] of cases) {
      const { body, node } = field(literal);
      expect(malformedAnswer(() => jsonTimeField(body, node))).toBe(text);
    }
  });

  it("server wire: jsonIntField reads int64 literals and saves Go's type error for anything else, keeping the first", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (n) => {
        const errors = new GoTypeErrors();
        expect(jsonIntField(field(String(n)).node, errors, 'S', 'f')).toBe(n);
        expect(errors.first).toBeUndefined();
      }),
    );
    const errors = new GoTypeErrors();
    expect(jsonIntField(field('null').node, errors, 'S', 'f')).toBeUndefined();
    expect(errors.first).toBeUndefined();
    expect(jsonIntField(field('"7"').node, errors, 'OpenParam', 'heartbeat')).toBeUndefined();
    expect(jsonIntField(field('1.5').node, errors, 'Message', 'scMessageType')).toBeUndefined();
    expect(errors.first).toBe(
      'json: cannot unmarshal string into Go struct field OpenParam.heartbeat of type int',
    );
    const later = new GoTypeErrors();
    jsonIntField(field('1.5').node, later, 'Message', 'scMessageType');
    expect(later.first).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field Message.scMessageType of type int',
    );
  });

  it("server wire: jsonValueField gives the JSON value, and Go's float64 error for a number beyond it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const errors = new GoTypeErrors();
        // -0 has no JSON literal of its own: JSON.stringify writes it as 0.
        const expected: unknown = JSON.parse(JSON.stringify(value));
        expect(jsonValueField(field(JSON.stringify(value)).node, errors, 'S', 'f')).toEqual(
          expected,
        );
        expect(errors.first).toBeUndefined();
      }),
    );
    const errors = new GoTypeErrors();
    jsonValueField(field('{"a":[1,1e400]}').node, errors, 'Message', 'data');
    expect(errors.first).toBe(
      'json: cannot unmarshal number 1e400 into Go struct field Message.data of type float64',
    );
  });
});
