import { goQuote } from './go-quote';

const INT64_MAX = 9_223_372_036_854_775_807n;
const INT64_MIN = -9_223_372_036_854_775_808n;

/** The outcome of {@link goParseInt}. */
export type GoParseIntResult =
  { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly error: string };

/**
 * Go's `strconv.ParseInt(text, 10, 64)`, error texts included:
 * `strconv.ParseInt: parsing "0.0": invalid syntax`, `…: value out of range`.
 */
export function goParseInt(text: string): GoParseIntResult {
  if (!/^[+-]?\d+$/.test(text)) {
    return { ok: false, error: `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax` };
  }
  const value = BigInt(text);
  if (value > INT64_MAX || value < INT64_MIN) {
    return { ok: false, error: `strconv.ParseInt: parsing ${goQuote(text)}: value out of range` };
  }
  return { ok: true, value };
}

/** Whether a bigint fits Go's `int` (int64 on the original's platforms). */
export function fitsInt64(value: bigint): boolean {
  return value <= INT64_MAX && value >= INT64_MIN;
}
