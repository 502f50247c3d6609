import { goTimeQuote } from './go-quote';

/**
 * A point in time as the original server holds it: whole seconds since the Unix epoch (negative
 * before 1970) plus nanoseconds. A `number` of nanoseconds would lose precision past 2^53, and
 * windows are compared with Go's nanosecond precision.
 */
export interface GoTime {
  readonly sec: number;
  readonly nsec: number;
}

/** The layout the original server parses message and window times with. */
const LAYOUT = '2006-01-02T15:04:05Z';
const SECONDS_PER_DAY = 86_400;

/** The outcome of {@link parseGoTime}: a time, or Go's error text. */
export type GoTimeResult =
  { readonly ok: true; readonly time: GoTime } | { readonly ok: false; readonly error: string };

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Go's `getnum`: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) {
    if (fixed) return undefined;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

/** Go's time-package `atoi`: optional sign, then digits only. */
function atoi(s: string): number | undefined {
  let i = 0;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    i = 1;
  }
  if (i === s.length) return undefined;
  let n = 0;
  for (; i < s.length; i++) {
    if (!isDigit(s, i)) return undefined;
    n = n * 10 + (s.charCodeAt(i) - 48);
  }
  return neg ? -n : n;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (any year, unlike `Date.UTC`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The inverse of {@link daysFromCivil}. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * Parses a time exactly as Go's `time.Parse("2006-01-02T15:04:05Z", value)` does (with the layout
 * wrapped in double quotes when `quoted`, which is how the original parses the raw JSON token),
 * including its error texts: `parsing time "…" as "…": cannot parse "…" as "…"`, `…: month out of
 * range`, `…: extra text: …`. As in Go, a fraction of any length may follow the seconds (`,` or
 * `.`), the hour may have one digit, and digits past the ninth are dropped.
 */
export function parseGoTime(value: string, quoted: boolean): GoTimeResult {
  const layout = quoted ? `"${LAYOUT}"` : LAYOUT;
  const fail = (valueElem: string, layoutElem: string): GoTimeResult => ({
    ok: false,
    error: `parsing time ${goTimeQuote(value)} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`,
  });
  const failMessage = (message: string): GoTimeResult => ({
    ok: false,
    error: `parsing time ${goTimeQuote(value)}${message}`,
  });
  const chunks: ReadonlyArray<readonly [string, string]> = [
    [quoted ? '"' : '', '2006'],
    ['-', '01'],
    ['-', '02'],
    ['T', '15'],
    [':', '04'],
    [':', '05'],
    [quoted ? 'Z"' : 'Z', ''],
  ];
  let v = value;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nsec = 0;
  for (const [prefix, std] of chunks) {
    for (let i = 0; i < prefix.length; i++) {
      if (v.length === 0 || v[0] !== prefix[i]) return fail(v, prefix);
      v = v.slice(1);
    }
    if (std === '') {
      if (v.length !== 0) return failMessage(`: extra text: ${goTimeQuote(v)}`);
      break;
    }
    const hold = v;
    let range = '';
    let bad = false;
    switch (std) {
      case '2006': {
        if (v.length < 4 || !isDigit(v, 0)) {
          bad = true;
          break;
        }
        const y = atoi(v.slice(0, 4));
        v = v.slice(4);
        if (y === undefined) bad = true;
        else year = y;
        break;
      }
      case '01': {
        const r = getnum(v, true);
        if (r === undefined) bad = true;
        else {
          [month, v] = r;
          if (month <= 0 || month > 12) range = 'month';
        }
        break;
      }
      case '02': {
        const r = getnum(v, true);
        if (r === undefined) bad = true;
        else [day, v] = r;
        break;
      }
      case '15': {
        const r = getnum(v, false);
        if (r === undefined) bad = true;
        else {
          [hour, v] = r;
          if (hour >= 24) range = 'hour';
        }
        break;
      }
      case '04': {
        const r = getnum(v, true);
        if (r === undefined) bad = true;
        else {
          [minute, v] = r;
          if (minute >= 60) range = 'minute';
        }
        break;
      }
      default: {
        const r = getnum(v, true);
        if (r === undefined) {
          bad = true;
          break;
        }
        [second, v] = r;
        if (second >= 60) {
          range = 'second';
          break;
        }
        // A fraction the layout does not mention is still accepted after the seconds.
        if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
          let n = 2;
          while (n < v.length && isDigit(v, n)) n++;
          const digits = v.slice(1, Math.min(n, 10));
          nsec = Number(digits) * 10 ** (9 - digits.length);
          v = v.slice(n);
        }
      }
    }
    if (range !== '') return failMessage(`: ${range} out of range`);
    if (bad) return fail(hold, std);
  }
  if (day < 1 || day > daysIn(month, year)) return failMessage(': day out of range');
  const sec =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return { ok: true, time: { sec, nsec } };
}

/** Orders two times: negative, zero or positive. */
export function compareGoTime(a: GoTime, b: GoTime): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatWithFraction(t: GoTime, digits: number): string {
  const days = Math.floor(t.sec / SECONDS_PER_DAY);
  const rest = t.sec - days * SECONDS_PER_DAY;
  const [y, m, d] = civilFromDays(days);
  const frac = pad(t.nsec, 9).slice(0, digits);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(Math.floor(rest / 3600), 2)}:${pad(Math.floor(rest / 60) % 60, 2)}:${pad(rest % 60, 2)}.${frac}Z`;
}

/** The server's time form: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, truncated as Go does). */
export function formatGoTimeMicros(t: GoTime): string {
  return formatWithFraction(t, 6);
}

/** Full nanosecond form, used to persist times without losing what the window compares. */
export function formatGoTimeNanos(t: GoTime): string {
  return formatWithFraction(t, 9);
}

/** The current time as a {@link GoTime} (millisecond resolution, padded to microseconds). */
export function goTimeNow(): GoTime {
  const ms = Date.now();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: (ms - sec * 1000) * 1_000_000 };
}

/**
 * Go's `time.Time.MarshalJSON` (RFC 3339 with nanoseconds, trailing zeros dropped, `Z` for UTC)
 * of a BSON datetime given in epoch milliseconds. Returns `undefined` for years Go refuses to
 * encode (outside 0000–9999).
 */
export function formatBsonDatetime(ms: bigint): string | undefined {
  const msNum = Number(ms);
  const sec = Math.floor(msNum / 1000);
  const milli = msNum - sec * 1000;
  const days = Math.floor(sec / SECONDS_PER_DAY);
  const [y] = civilFromDays(days);
  if (y < 0 || y > 9999) return undefined;
  const base = formatWithFraction({ sec, nsec: 0 }, 0).slice(0, 19);
  const frac = milli === 0 ? '' : `.${pad(milli, 3).replace(/0+$/, '')}`;
  return `${base}${frac}Z`;
}
