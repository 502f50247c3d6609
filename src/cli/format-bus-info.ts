import type { HmbFeatures, HmbInfo, HmbStatus } from '../node';
import type { Painter } from './ansi';
import { shortTime } from './format-message';
import { renderPairs, renderTable } from './table';

const dash = '–';

/**
 * /info as a table: one row per queue, sorted by name (the server's order is random), with the
 * number of messages it holds and its topics (`(none)` for messages without a topic).
 *
 * @example
 * ```ts
 * formatInfoTable({ queue: { Q: { startseq: 0, endseq: 3, starttime: null, endtime: null, topic: { '': { starttime: null, endtime: null } } } } }, painter(false));
 * // QUEUE  STARTSEQ  ENDSEQ  MESSAGES  STARTTIME  ENDTIME  TOPICS
 * // Q             0       3         3  –          –        (none)
 * ```
 */
export function formatInfoTable(info: HmbInfo, paint: Painter): string {
  const names = Object.keys(info.queue).sort();
  const rows = names.map((name) => {
    const q = info.queue[name]!;
    const count = q.startseq === null || q.endseq === null ? 0 : q.endseq - q.startseq;
    const topics = Object.keys(q.topic ?? {})
      .sort()
      .map((t) => (t === '' ? '(none)' : t));
    return [
      paint('cyan', name),
      q.startseq === null ? dash : String(q.startseq),
      q.endseq === null ? dash : String(q.endseq),
      String(count),
      q.starttime === null ? dash : shortTime(q.starttime),
      q.endtime === null ? dash : shortTime(q.endtime),
      topics.length === 0 ? dash : topics.join(','),
    ];
  });
  return renderTable(
    [
      { header: 'QUEUE' },
      { header: 'STARTSEQ', align: 'right' },
      { header: 'ENDSEQ', align: 'right' },
      { header: 'MESSAGES', align: 'right' },
      { header: 'STARTTIME' },
      { header: 'ENDTIME' },
      { header: 'TOPICS' },
    ],
    rows,
    (text) => paint('bold', text),
  );
}

/**
 * /features as name/value lines.
 *
 * @example
 * ```ts
 * formatFeatures({ software: 'httpmsgbus v0.16', functions: [], capabilities: ['JSON', 'BSON'] }, painter(false));
 * // software      httpmsgbus v0.16
 * // functions     –
 * // capabilities  JSON BSON
 * ```
 */
export function formatFeatures(features: HmbFeatures, paint: Painter): string {
  return renderPairs(
    [
      ['software', features.software],
      ['functions', features.functions.length === 0 ? dash : features.functions.join(' ')],
      ['capabilities', features.capabilities.map((c) => paint('green', c)).join(' ')],
    ],
    (text) => paint('bold', text),
  );
}

/**
 * /status as a table: one row per session, oldest first, with each queue as `NAME@NEXTSEQ`.
 *
 * @example
 * ```ts
 * formatStatusTable({ session: {} }, painter(false)); // 'no sessions'
 * ```
 */
export function formatStatusTable(status: HmbStatus, paint: Painter): string {
  const sids = Object.keys(status.session).sort((a, b) =>
    status.session[a]!.ctime.localeCompare(status.session[b]!.ctime),
  );
  if (sids.length === 0) return paint('gray', 'no sessions');
  const rows = sids.map((sid) => {
    const s = status.session[sid]!;
    const queues = Object.keys(s.queue)
      .sort()
      .map((name) => {
        const q = s.queue[name]!;
        return `${name}@${q.seq === null ? dash : q.seq}${q.eof ? '(eof)' : ''}`;
      });
    return [
      paint('cyan', sid),
      s.cid,
      s.address,
      shortTime(s.ctime),
      s.format,
      String(s.heartbeat),
      String(s.sent),
      String(s.received),
      queues.length === 0 ? dash : queues.join(' '),
    ];
  });
  return renderTable(
    [
      { header: 'SID' },
      { header: 'CID' },
      { header: 'ADDRESS' },
      { header: 'CREATED' },
      { header: 'FORMAT' },
      { header: 'HEARTBEAT', align: 'right' },
      { header: 'SENT', align: 'right' },
      { header: 'RECEIVED', align: 'right' },
      { header: 'QUEUES' },
    ],
    rows,
    (text) => paint('bold', text),
  );
}
