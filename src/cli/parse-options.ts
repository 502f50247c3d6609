import { InvalidArgumentError } from 'commander';
import { compileFilter, formatHmbTime, isValidTopicPattern } from '../node';
import { HMB_TIME_PATTERN } from '../protocol/time';
import type { HmbFilter } from '../node';

/**
 * Option parsers for commander. Each throws commander's `InvalidArgumentError`, so a bad value is
 * reported as `error: option '--seq <n>' argument 'x' is invalid. …` with exit code 2.
 */

/** A position in a queue (`--from`, `--to`) or a time. */
export type SeqOrTime =
  { readonly kind: 'seq'; readonly seq: number } | { readonly kind: 'time'; readonly time: string };

const INTEGER = /^-?\d+$/;

/**
 * An integer, negative allowed (a negative seq counts back from the end of a queue).
 *
 * @example
 * ```ts
 * parseInteger('-5'); // -5
 * ```
 */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('Expected an integer.');
  return n;
}

/** An integer from 0 up. */
export function parseNonNegativeInteger(value: string): number {
  const n = parseInteger(value);
  if (n < 0) throw new InvalidArgumentError('Expected an integer from 0 up.');
  return n;
}

/** A TCP port (0: any free port). */
export function parsePort(value: string): number {
  const n = parseNonNegativeInteger(value);
  if (n > 65_535) throw new InvalidArgumentError('Expected a port from 0 to 65535.');
  return n;
}

/** A positive number of seconds (fractions allowed). */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('Expected a number of seconds, 0 or more.');
  return n;
}

/**
 * A seq (an integer) or a time: an HMB time (`2026-11-24T06:00:00Z`, fraction optional), or any
 * ISO 8601 date or date-time that JavaScript reads (`2026-11-24`, `2026-11-24T07:00:00+01:00`),
 * converted to UTC because the server accepts nothing else.
 *
 * @example
 * ```ts
 * parseSeqOrTime('42'); // { kind: 'seq', seq: 42 }
 * parseSeqOrTime('2026-11-24T07:00:00+01:00'); // { kind: 'time', time: '2026-11-24T06:00:00.000000Z' }
 * ```
 */
export function parseSeqOrTime(value: string): SeqOrTime {
  const text = value.trim();
  if (INTEGER.test(text)) return { kind: 'seq', seq: parseInteger(text) };
  // JavaScript rolls February 30 over into March: check the calendar date as written first.
  if (realCalendarDate(text)) {
    if (HMB_TIME_PATTERN.test(text)) return { kind: 'time', time: formatHmbTime(text) };
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return { kind: 'time', time: formatHmbTime(new Date(ms)) };
  }
  throw new InvalidArgumentError(
    'Expected a seq (an integer) or an ISO time such as 2026-11-24T06:00:00Z.',
  );
}

/** Whether the text starts with `YYYY-MM-DD` naming a day that exists. */
function realCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T|$)/.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * A JSON value given on the command line (`--data`).
 *
 * @example
 * ```ts
 * parseJson('{"magnitude":5.2}'); // { magnitude: 5.2 }
 * ```
 */
export function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new InvalidArgumentError(`Not valid JSON: ${(error as Error).message}.`);
  }
}

/**
 * A filter (`--filter`): a JSON object in the server's MongoDB-like syntax, checked here so a typo
 * is a usage error instead of a refusal from the server. `$regex` is allowed (the server decides
 * whether it offers REGEX).
 */
export function parseFilter(value: string): HmbFilter {
  const parsed = parseJson(value);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError('Expected a JSON object, e.g. {"data.magnitude":{"$gte":5}}.');
  try {
    compileFilter(parsed as HmbFilter, { regex: true });
  } catch (error) {
    throw new InvalidArgumentError(`Invalid filter: ${(error as Error).message}.`);
  }
  return parsed as HmbFilter;
}

/** A topic pattern (`--topic`, repeatable): word characters, `?`, `*`, a leading `!`. */
export function parseTopicPattern(value: string, previous: readonly string[] = []): string[] {
  if (value === '' || !isValidTopicPattern(value))
    throw new InvalidArgumentError(
      'Expected a topic pattern: letters, digits, _, ? and *, with an optional leading ! to exclude.',
    );
  return [...previous, value];
}

/** A topic to send with (`--topic` of `send`): word characters only. */
export function parseTopic(value: string): string {
  if (!/^\w+$/.test(value))
    throw new InvalidArgumentError('Expected a topic of letters, digits and _ only.');
  return value;
}

/** Collects a repeatable option (`--queue A --queue B`). */
export function collect(value: string, previous: readonly string[] = []): string[] {
  if (value === '') throw new InvalidArgumentError('Expected a non-empty name.');
  return [...previous, value];
}
