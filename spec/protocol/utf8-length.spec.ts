import fc from 'fast-check';
import { utf8Length } from '../../src/protocol/outgoing-wire';

const utf8 = new TextEncoder();

describe('protocol: UTF-8 length of outgoing messages', () => {
  it('utf8Length agrees with TextEncoder, lone surrogates included', () => {
    for (const text of [
      '',
      'abc',
      'é',
      '€',
      '😀',
      'a😀b',
      '\ud800',
      '\udc00',
      '\ud800\ud800\udc00',
    ])
      expect(utf8Length(text)).toBe(utf8.encode(text).length);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8Length(text)).toBe(utf8.encode(text).length);
      }),
      { numRuns: 2_000 },
    );
  });
});
