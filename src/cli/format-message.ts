import { EJSON, Long } from 'bson';
import { bsonTyped, type HmbEmscMessage, type HmbMessage } from '../node';
import type { Painter } from './ansi';

/**
 * A message as one line of JSON, for `jq` and other programs: the fields the server sent, without
 * the `kind` that hmb-rx adds. 64-bit integers that JSON numbers cannot hold exactly (a BSON int64
 * beyond 2^53, decoded as `Long`, or a `bigint`) become strings rather than a `{high, low}` object.
 * Lossy for BSON types by nature (JSON has one number type): see {@link messageToEjsonLine}.
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

/**
 * A message as one line whose `data` (and `gdacs`) is canonical Extended JSON (MongoDB's EJSON v2:
 * `{"$numberInt":"5"}`, `{"$numberLong":"5"}`, `{"$numberDouble":"5.0"}`, `{"$binary":…}`,
 * `{"$date":…}` …), the other fields plain JSON: every BSON type survives the text, so
 * `hmb tail --ejson … | hmb send --ejson …` copies a queue with its types (docs/data-types.md).
 *
 * @example
 * ```ts
 * messageToEjsonLine({ kind: 'message', type: 'T', queue: 'Q', seq: 3, data: { i: 1 } });
 * // '{"type":"T","queue":"Q","seq":3,"data":{"i":{"$numberInt":"1"}}}'
 * ```
 */
export function messageToEjsonLine(message: HmbMessage): string {
  const { kind: _kind, data, gdacs, ...fields } = message;
  let line = JSON.stringify(fields).slice(0, -1);
  if (gdacs !== undefined)
    line += `,"gdacs":${EJSON.stringify(bsonTyped(gdacs), { relaxed: false })}`;
  if (data !== undefined) line += `,"data":${EJSON.stringify(bsonTyped(data), { relaxed: false })}`;
  return `${line}}`;
}

/**
 * A decoded EMSC message as one JSON line: where it came from, its header, and its payload (bytes
 * and file content in base64).
 *
 * @example
 * ```ts
 * emscToJsonLine(decoded);
 * // '{"queue":"Q","seq":0,"header":{"creationtime":"…","author":"…","agency":"EMSC"},"payload":{"kind":"text","encoding":"utf-8","text":"…"}}'
 * ```
 */
export function emscToJsonLine(decoded: HmbEmscMessage): string {
  const { message, header, payload } = decoded;
  const where = {
    queue: message.queue,
    seq: message.seq,
    ...(message.topic === undefined ? {} : { topic: message.topic }),
    ...(message.sender === undefined ? {} : { sender: message.sender }),
  };
  const body =
    payload.kind === 'bytes'
      ? { kind: 'bytes', base64: base64(payload.bytes) }
      : payload.kind === 'file'
        ? { kind: 'file', file: payload.file, base64: base64(payload.content) }
        : payload;
  return JSON.stringify({ ...where, header, payload: body }, jsonSafe);
}

/** A decoded EMSC message as one readable line: `QUEUE#SEQ EMSC KIND WHAT · AGENCY AUTHOR TIME`. */
export function formatEmscLine(decoded: HmbEmscMessage, paint: Painter): string {
  const { message, header, payload } = decoded;
  const what =
    payload.kind === 'text'
      ? `${paint('bold', 'STR')} ${payload.encoding} ${JSON.stringify(preview(payload.text))}`
      : payload.kind === 'bytes'
        ? `${paint('bold', 'BIN')} ${payload.bytes.length} bytes`
        : payload.kind === 'file'
          ? `${paint('bold', 'FILE')} ${payload.file} ${payload.content.length} bytes`
          : `${paint('bold', 'DICT')} ${JSON.stringify(payload.data, jsonSafe)}`;
  return [
    `${paint('cyan', message.queue)}${paint('gray', `#${message.seq}`)}`,
    what,
    paint('gray', `· ${header.agency} ${header.author} ${header.creationtime.toISOString()}`),
  ].join(' ');
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * A JSON.stringify replacer that turns `bigint` and js-bson `Long` into a number when exact, or a
 * string.
 */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Long) return jsonSafe(_key, value.toBigInt());
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
