import { match } from 'ts-pattern';
import type { HmbServerLogEvent } from '../server/index';
import type { Painter } from './ansi';
import { escapeControl } from './escape-control';

/**
 * A log event of the embedded bus as one line for `hmb serve`'s stderr, with the local time of
 * day first. Every event type gets a line: a development bus is where you want to see everything.
 *
 * @example
 * ```ts
 * formatServerEvent({ type: 'queue-created', bus: 'test', queue: 'Q' }, new Date(), painter(false));
 * // '12:00:00.000 test: queue Q created'
 * ```
 */
export function formatServerEvent(event: HmbServerLogEvent, now: Date, paint: Painter): string {
  // Bus names, cids, paths and messages come from clients: escaped, they cannot forge a line.
  const escaped = Object.fromEntries(
    Object.entries(event).map(([k, v]) => [
      k,
      // A request error's message ends in the "\n" of the wire text: not part of the line.
      typeof v === 'string' ? escapeControl(k === 'message' ? v.trimEnd() : v) : v,
    ]),
  ) as HmbServerLogEvent;
  const text = match(escaped)
    .with({ type: 'listening' }, (e) => paint('green', `listening on ${e.url}`))
    .with({ type: 'bus-created' }, (e) => `${e.bus}: bus created`)
    .with({ type: 'bus-freed' }, (e) => `${e.bus}: bus freed (empty, room for a new one)`)
    .with({ type: 'queue-created' }, (e) => `${e.bus}: queue ${paint('cyan', e.queue)} created`)
    .with(
      { type: 'session-opened' },
      (e) =>
        `${e.bus}: session ${paint('cyan', e.sid)} opened by ${e.address} (cid ${e.cid}, ${e.format})`,
    )
    .with(
      { type: 'session-expired' },
      (e) => `${e.bus}: session ${e.sid} (cid ${e.cid}) expired after ${e.idleSec} s idle`,
    )
    .with({ type: 'session-evicted' }, (e) =>
      paint(
        'yellow',
        `${e.bus}: session ${e.sid} (cid ${e.cid}) evicted: too many sessions from ${e.ip}`,
      ),
    )
    .with({ type: 'request-error' }, (e) =>
      paint(
        'yellow',
        `${e.method} ${e.path} from ${e.address}: ${e.status} ${e.message.trimEnd()}`,
      ),
    )
    .with(
      { type: 'storage-loaded' },
      (e) => `${e.bus}: queue ${e.queue} loaded (${e.messages} messages)`,
    )
    .with({ type: 'storage-recovered' }, (e) =>
      paint('yellow', `${e.file}: recovered, ${e.droppedBytes} bytes dropped (${e.reason})`),
    )
    .with({ type: 'storage-skipped' }, (e) => paint('yellow', `${e.file}: skipped (${e.reason})`))
    .with({ type: 'storage-compacted' }, (e) => `${e.file}: compacted to ${e.records} records`)
    .with({ type: 'storage-error' }, (e) => paint('red', `storage error: ${e.message}`))
    .with({ type: 'internal-error' }, (e) => paint('red', `internal error: ${e.message}`))
    .with({ type: 'closed' }, () => 'stopped')
    .exhaustive();
  return `${paint('gray', timeOfDay(now))} ${text}`;
}

/** `HH:MM:SS.mmm` in local time: a log read live needs no date. */
export function timeOfDay(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(
    date.getMilliseconds(),
  ).padStart(3, '0')}`;
}
