import { HmbBadParamError } from '../errors/bad-param-error';

/**
 * A time as users may give it: a `Date`, epoch milliseconds, or a string in the HMB form
 * `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
 */
export type HmbTimeInput = Date | number | string;

/** The only time form the server accepts: UTC, `Z`, optional fraction. */
export const HMB_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/**
 * Formats a time the way the server writes it: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, exactly six
 * fraction digits. Strings must already be in the HMB form (any number of fraction digits);
 * offsets such as `+00:00` are refused because the server refuses them.
 *
 * @example
 * ```ts
 * formatHmbTime(new Date(Date.UTC(2020, 0, 1, 0, 0, 10, 500))); // '2020-01-01T00:00:10.500000Z'
 * ```
 * @throws HmbBadParamError when the value is not a valid time.
 */
export function formatHmbTime(value: HmbTimeInput, param = 'time'): string {
  if (value instanceof Date || typeof value === 'number') {
    const date = value instanceof Date ? value : new Date(value);
    const ms = date.getTime();
    if (!Number.isFinite(ms)) throw new HmbBadParamError(`${param}: invalid date`);
    // Date has millisecond precision; the server prints microseconds.
    return `${date.toISOString().slice(0, 23)}000Z`;
  }
  if (typeof value !== 'string') {
    throw new HmbBadParamError(`${param}: expected a Date, epoch milliseconds or a time string`);
  }
  const m = HMB_TIME_PATTERN.exec(value);
  if (m === null) {
    throw new HmbBadParamError(
      `${param}: ${JSON.stringify(value)} is not an HMB time (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)`,
    );
  }
  // The pattern checks the form; this checks the date exists (no month 13, no 30 February).
  if (hmbTimeToMicros(value) === undefined) {
    throw new HmbBadParamError(`${param}: ${JSON.stringify(value)} is not a valid date`);
  }
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return `${value.slice(0, 19)}.${fraction}Z`;
}

/**
 * Parses an HMB time string into a `Date` (sub-millisecond digits are dropped).
 *
 * @throws HmbBadParamError when the string is not an HMB time.
 */
export function parseHmbTime(value: string): Date {
  const m = HMB_TIME_PATTERN.exec(value);
  if (m === null) throw new HmbBadParamError(`${JSON.stringify(value)} is not an HMB time`);
  const date = new Date(`${value.slice(0, 19)}.${(m[7] ?? '').padEnd(3, '0').slice(0, 3)}Z`);
  if (Number.isNaN(date.getTime()))
    throw new HmbBadParamError(`${JSON.stringify(value)} is not a valid date`);
  return date;
}

/**
 * Microseconds since the epoch of an HMB time string, for exact comparisons (a `Date` would drop
 * the last three digits). Returns `undefined` for a string that is not an HMB time.
 */
export function hmbTimeToMicros(value: string): number | undefined {
  const m = HMB_TIME_PATTERN.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k]));
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const back = new Date(ms);
  // Date.UTC rolls over (month 13 becomes January): a round trip tells a real date from one.
  if (
    Number.isNaN(ms) ||
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month! - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return ms * 1000 + micros;
}
