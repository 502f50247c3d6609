import { MalformedRequest } from '../../src/server/wire/malformed-request';

/**
 * The 400 text a server field decoder aborted with, or `undefined` when it returned normally. Any
 * other exception goes on, so a bug in a decoder fails the test instead of passing as an abort.
 */
export function malformedAnswer(decode: () => unknown): string | undefined {
  try {
    decode();
    return undefined;
  } catch (err) {
    if (err instanceof MalformedRequest) return err.answer;
    throw err;
  }
}
