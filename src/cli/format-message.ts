import type { HmbMessage } from '../node';
import type { Painter } from './ansi';

/**
 * A message as one line of JSON, for `jq` and other programs: the fields the server sent, without
 * the `kind` that hmb-rx adds. 64-bit integers that JSON numbers cannot hold exactly (BSON int64
 * decoded as `bigint`) become strings rather than failing the whole line.
 *
 * @example
 * ```ts
 * messageToJsonLine({ kind: 'message', type: 'T', queue: 'Q', seq: 3, data: { i: 1 } });
 * // '{"type":"T","queue":"Q","seq":3,"data":{"i":1}}'
 * ```
 */
export function messageToJsonLine(message: HmbMessage): string {
  const { kind: _kind, ...fields } = message;
  return JSON.stringify(fields, jsonSafe);
}

/** A JSON.stringify replacer that turns `bigint` into a number when exact, or a string. */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/**
 * A message as one readable line for a terminal:
 * `QUEUE#SEQ TYPE [TOPIC] [STARTTIME–ENDTIME] DATA [← SENDER]`, the data as compact JSON.
 *
 * @example
 * ```ts
 * formatMessageLine({ kind: 'message', type: 'ALERT', queue: 'Q', seq: 7, topic: 'EU', data: { m: 5 } }, painter(false));
 * // 'Q#7 ALERT EU {"m":5}'
 * ```
 */
export function formatMessageLine(message: HmbMessage, paint: Painter): string {
  const parts = [
    `${paint('cyan', message.queue)}${paint('gray', `#${message.seq}`)}`,
    paint('bold', paint('yellow', message.type)),
  ];
  if (message.topic !== undefined && message.topic !== '')
    parts.push(paint('magenta', message.topic));
  const span = timeSpan(message.starttime, message.endtime);
  if (span !== undefined) parts.push(paint('blue', span));
  if (message.data !== undefined) parts.push(JSON.stringify(message.data, jsonSafe) ?? '');
  if (message.sender !== undefined && message.sender !== '')
    parts.push(paint('gray', `← ${message.sender}`));
  return parts.join(' ');
}

/**
 * `start–end`, `start–` or `–end`, or nothing. Shortened for a terminal line: no zero fraction
 * digits, one time when both are equal, and the end without its date when it is the same day.
 */
export function timeSpan(start: string | undefined, end: string | undefined): string | undefined {
  if (start === undefined && end === undefined) return undefined;
  const from = shortTime(start);
  const to = shortTime(end);
  if (from === to) return from;
  const day = from.slice(0, 11);
  return `${from}–${day.length === 11 && to.startsWith(day) ? to.slice(11) : to}`;
}

/** `2020-01-01T00:00:10.500000Z` → `2020-01-01T00:00:10.5Z`; `….000000Z` → `…:10Z`. */
export function shortTime(time: string | undefined): string {
  if (time === undefined) return '';
  return time.replace(/\.(\d*?)0*Z$/, (_m, digits: string) =>
    digits === '' ? 'Z' : `.${digits}Z`,
  );
}
