import fc from 'fast-check';
import { formatHmbTime, hmbTimeToMicros, parseHmbTime } from '../../src/protocol/time';

describe('protocol: times', () => {
  it('time: Dates and epoch milliseconds become six-fraction-digit UTC strings', () => {
    expect(formatHmbTime(new Date(Date.UTC(2020, 0, 1, 0, 0, 10, 500)))).toBe(
      '2020-01-01T00:00:10.500000Z',
    );
    expect(formatHmbTime(0)).toBe('1970-01-01T00:00:00.000000Z');
  });

  it('time: HMB strings are normalised to six fraction digits', () => {
    expect(formatHmbTime('2020-01-01T00:00:10Z')).toBe('2020-01-01T00:00:10.000000Z');
    expect(formatHmbTime('2020-01-01T00:00:10.5Z')).toBe('2020-01-01T00:00:10.500000Z');
    expect(formatHmbTime('2020-01-01T00:00:10.123456789Z')).toBe('2020-01-01T00:00:10.123456Z');
  });

  it('time: offsets, bare dates, impossible dates and invalid Dates are refused with HmbBadParamError', () => {
    for (const bad of [
      '2020-01-01T00:00:25+00:00',
      '2020-01-01',
      '2020-13-01T00:00:00Z',
      '2021-02-30T00:00:00Z',
      '2020-01-01T24:00:00Z',
      'x',
    ]) {
      expect(() => formatHmbTime(bad)).toThrow(
        expect.objectContaining({ code: 'HMB_ERR_BAD_PARAM' }),
      );
    }
    expect(() => formatHmbTime(new Date(NaN))).toThrow(
      expect.objectContaining({ code: 'HMB_ERR_BAD_PARAM' }),
    );
  });

  it('time: format and parse round-trip every millisecond date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true }),
        (d) => {
          const text = formatHmbTime(d);
          expect(parseHmbTime(text)).toEqual(d);
          expect(hmbTimeToMicros(text)).toBe(d.getTime() * 1000);
        },
      ),
    );
  });
});
