import { EJSON } from 'bson';
import type { HmbOutgoing } from '../node';

/** Fields a line may leave out, taken from the command line (`--queue`, `--topic`). */
export interface MessageDefaults {
  readonly queue?: string;
  readonly topic?: string;
}

/** What one line of `hmb send`'s input holds. */
export type ParsedLine =
  | { readonly kind: 'message'; readonly message: HmbOutgoing }
  | { readonly kind: 'blank' }
  | { readonly kind: 'bad'; readonly reason: string };

/**
 * Parses one line of JSON-lines input into a message to send. Blank lines are skipped (editors
 * leave a trailing one). The message itself (type, reserved types, topic syntax, times) is
 * checked by the sink, which knows the protocol's rules; this only checks that the line is a
 * JSON object, and fills in `queue` and `topic` from the command line when the line has none.
 * With `ejson`, `data` and `gdacs` are canonical Extended JSON, as `hmb tail --ejson` prints them.
 *
 * @example
 * ```ts
 * parseMessageLine('{"type":"T","data":{"i":1}}', { queue: 'Q' });
 * // { kind: 'message', message: { type: 'T', data: { i: 1 }, queue: 'Q' } }
 * parseMessageLine('{"type":', {}); // { kind: 'bad', reason: 'invalid JSON: …' }
 * ```
 */
export function parseMessageLine(
  line: string,
  defaults: MessageDefaults,
  options: { readonly ejson?: boolean } = {},
): ParsedLine {
  if (line.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { kind: 'bad', reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { kind: 'bad', reason: `expected a JSON object {"type", "queue", …}, got ${got}` };
  }
  const message = { ...(value as Record<string, unknown>) };
  if (options.ejson === true) {
    // Only the payloads are Extended JSON (as `hmb tail --ejson` writes them): seq and times stay
    // plain, so the line is still a message a jq filter can edit.
    for (const field of ['data', 'gdacs'] as const) {
      if (message[field] === undefined) continue;
      try {
        message[field] = EJSON.deserialize(message[field] as object, { relaxed: false });
      } catch (error) {
        return {
          kind: 'bad',
          reason: `invalid Extended JSON in ${field}: ${(error as Error).message}`,
        };
      }
    }
  }
  if (message['queue'] === undefined && defaults.queue !== undefined)
    message['queue'] = defaults.queue;
  if (message['topic'] === undefined && defaults.topic !== undefined)
    message['topic'] = defaults.topic;
  // The sink checks every field (with the protocol's own rules) before anything is sent.
  return { kind: 'message', message: message as unknown as HmbOutgoing };
}

/**
 * Line numbers as a short range list: `[3]` → `line 3`, `[4,5,6,9]` → `lines 4–6, 9`.
 *
 * @example
 * ```ts
 * describeLines([4, 5, 6, 9]); // 'lines 4–6, 9'
 * ```
 */
export function describeLines(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  if (sorted.length === 1) return `line ${sorted[0]}`;
  const ranges: string[] = [];
  let start = sorted[0];
  let previous = start;
  for (const n of [...sorted.slice(1), undefined]) {
    if (n !== undefined && previous !== undefined && n === previous + 1) {
      previous = n;
      continue;
    }
    if (start !== undefined)
      ranges.push(start === previous ? String(start) : `${start}–${previous}`);
    start = n;
    previous = n;
  }
  return `lines ${ranges.join(', ')}`;
}
