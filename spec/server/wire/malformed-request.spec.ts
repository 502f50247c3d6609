import { decodeFailure, type Decoded } from '../../../src/server/wire/go-decode-errors';
import { catchMalformed, MalformedRequest } from '../../../src/server/wire/malformed-request';

describe('server wire: MalformedRequest', () => {
  it('server wire: MalformedRequest is an Error that carries the original server text as its answer', () => {
    const err = new MalformedRequest('invalid Sequence');
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.answer, err.message]).toEqual([
      'MalformedRequest',
      'invalid Sequence',
      'invalid Sequence',
    ]);
    expect(err.stack).toContain('MalformedRequest: invalid Sequence');
  });

  it('server wire: catchMalformed passes a decode through unchanged, successful or failed', () => {
    const ok: Decoded<number> = { ok: true, value: 7 };
    expect(catchMalformed(() => ok, 'invalid JSON data: ')).toBe(ok);
    // A failure the decoder returns already has its full text: the prefix is not added again.
    expect(catchMalformed(() => decodeFailure<number>('invalid JSON message list'), 'p: ')).toEqual(
      { ok: false, error: 'invalid JSON message list' },
    );
  });

  it('server wire: catchMalformed turns a thrown MalformedRequest into a failure, with the prefix in front', () => {
    const abort = (): Decoded<number> => {
      throw new MalformedRequest('invalid Time');
    };
    expect(catchMalformed(abort)).toEqual({ ok: false, error: 'invalid Time' });
    expect(catchMalformed(abort, 'invalid BSON data: ')).toEqual({
      ok: false,
      error: 'invalid BSON data: invalid Time',
    });
  });

  it('server wire: catchMalformed lets any other exception through, as a bug and not a 400', () => {
    const bug = new TypeError('x is undefined');
    expect(() =>
      catchMalformed(() => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
