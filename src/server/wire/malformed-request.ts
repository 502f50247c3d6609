import { decodeFailure, type Decoded } from './go-decode-errors';

/**
 * A request body the original server refuses outright: one of its field decoders (a seq that is
 * not an integer literal, a time that does not parse, a BSON seq stored as a double) stops Go's
 * decoder at once, and the handler answers `400` with that decoder's text. `answer` is that text,
 * byte for byte as the original writes it (without the `invalid JSON data: ` / `invalid BSON data: `
 * prefix /send adds, which {@link catchMalformed} puts in front).
 *
 * It is thrown from deep inside a decoder, where returning would mean threading a result through
 * every level, and caught at the decoder's entry point by {@link catchMalformed}: it never reaches
 * a handler.
 */
export class MalformedRequest extends Error {
  override readonly name = 'MalformedRequest';

  constructor(readonly answer: string) {
    super(answer);
  }
}

/**
 * Runs a decoder and turns a {@link MalformedRequest} it throws into its failed {@link Decoded},
 * with `prefix` in front of the text. Any other exception is a bug and goes on.
 */
export function catchMalformed<T>(decode: () => Decoded<T>, prefix = ''): Decoded<T> {
  try {
    return decode();
  } catch (err) {
    if (err instanceof MalformedRequest) return decodeFailure(prefix + err.answer);
    throw err;
  }
}
