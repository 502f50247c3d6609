import { REGEX_STEPS_PER_CHAR, spendSteps } from './evaluation-steps';
import { RE2JS, RE2JSException } from 're2js';
import { HmbFilterError } from '../../errors/filter-error';
import type { ValueTest } from './field-accessor';

/** The longest `$regex` pattern accepted, in UTF-16 code units. */
export const MAX_REGEX_LENGTH = 1000;

/**
 * The largest compiled `$regex` program accepted, in RE2 instructions. RE2 matches in linear time,
 * but the constant grows with the program: measured on this machine with re2js 2.10 and a
 * 10,000-character string, `[ab]{700}[ab]{700}$` (1,403 instructions) took 0.5 ms per test and
 * `[ab]{800}[ab]{800}$` (1,603) took 210 ms, once the lazy DFA gives up and the NFA takes over.
 * A filter is evaluated for every message, so the limit stays well below that cliff.
 */
export const MAX_REGEX_PROGRAM_SIZE = 1200;

const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

const OPTIONS_ERROR = '$options expects a string of the flags i, m, s';

/**
 * Compiles `$regex` (with its sibling `$options`) into a test that accepts strings the pattern
 * matches anywhere in (unanchored, like MongoDB's `$regex`); any other value fails. The syntax is
 * RE2's (Go's `regexp`), run by re2js in linear time, so no pattern can make the server backtrack
 * for ever; lookarounds and backreferences are refused as RE2 refuses them.
 *
 * @param pattern - a string, or a `RegExp` (its source, and its `i`, `m`, `s` flags; other flags
 *   are ignored), as a BSON regular expression arrives from js-bson.
 * @param options - the `$options` string (any of `i`, `m`, `s`), or undefined.
 * @throws HmbFilterError with `$regex expects string argument`, the {@link OPTIONS_ERROR} text,
 *   `invalid $regex: …` followed by RE2's own parse error (e.g.
 *   ``invalid $regex: error parsing regexp: missing closing ): `(a` ``), or a size limit text.
 */
export function regexTest(pattern: unknown, options: unknown): ValueTest {
  let source: string;
  let flags = 0;
  if (typeof pattern === 'string') {
    source = pattern;
  } else if (Object.prototype.toString.call(pattern) === '[object RegExp]') {
    const regexp = pattern as RegExp;
    source = regexp.source;
    flags = flagBits(regexp.flags.replace(/[^ims]/g, '')) ?? 0;
  } else {
    throw new HmbFilterError('$regex expects string argument');
  }
  if (options !== undefined) {
    const bits = typeof options === 'string' ? flagBits(options) : undefined;
    if (bits === undefined) throw new HmbFilterError(OPTIONS_ERROR);
    flags |= bits;
  }
  if (source.length > MAX_REGEX_LENGTH) {
    throw new HmbFilterError(
      `invalid $regex: pattern too long (more than ${MAX_REGEX_LENGTH} characters)`,
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, flags);
  } catch (err) {
    if (err instanceof RE2JSException) {
      throw new HmbFilterError(`invalid $regex: ${err.message}`, { cause: err });
    }
    throw err;
  }
  if (programSize(compiled) > MAX_REGEX_PROGRAM_SIZE) {
    throw new HmbFilterError(
      `invalid $regex: pattern too complex (more than ${MAX_REGEX_PROGRAM_SIZE} instructions)`,
    );
  }
  return (value) => {
    if (typeof value !== 'string') return false;
    // RE2 is linear in the string, but a long string times many patterns still adds up.
    spendSteps(value.length * REGEX_STEPS_PER_CHAR);
    return compiled.test(value);
  };
}

function flagBits(options: string): number | undefined {
  let bits = 0;
  for (const letter of options) {
    const bit = FLAG_BITS[letter];
    if (bit === undefined) return undefined;
    bits |= bit;
  }
  return bits;
}

/**
 * The number of instructions of a compiled pattern. re2js does not publish it, so this reads its
 * internals defensively: should they change, the length limit still applies, and the spec that
 * expects a too-complex pattern to be refused will say so.
 */
function programSize(compiled: RE2JS): number {
  const inst = (compiled as { re2Input?: { prog?: { inst?: unknown } } }).re2Input?.prog?.inst;
  return Array.isArray(inst) ? inst.length : 0;
}
