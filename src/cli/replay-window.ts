import type { HmbInfo, HmbQueueParams } from '../node';
import { shortTime, timeSpan } from './format-message';
import type { SeqOrTime } from './parse-options';
import { CliUsageError } from './usage-error';

/** What `hmb replay` asks for, and how many messages it expects. */
export interface ReplayWindow {
  /** Per-queue /open parameters (`keep: false` is added by `recvAll`). */
  readonly queue: Readonly<Record<string, HmbQueueParams>>;
  /**
   * Messages expected, from /info: exact for a seq window (unless the queue grows meanwhile), an
   * upper bound when a bound is a time (the window may end earlier), `undefined` without /info.
   */
  readonly total: number | undefined;
  /** Whether {@link ReplayWindow.total} is only an upper bound. */
  readonly upperBound: boolean;
}

/**
 * Turns `--from`/`--to` into /open parameters for each queue, and counts the window from /info.
 *
 * Seqs are inclusive at both ends (`--to` is the protocol's `endseq`). A time bound becomes
 * `starttime`/`endtime`, and a time window still needs a start seq, because a time window does
 * not move the start position (docs/protocol.md §6 and §15.4 and §16): the queue's `startseq` from /info, or 0.
 * Without `--from` the window starts at the oldest message the server holds; without `--to` it
 * ends with the newest one at the time of the request.
 *
 * @example
 * ```ts
 * replayWindow(['Q'], { kind: 'seq', seq: 10 }, { kind: 'seq', seq: 29 }, info);
 * // { queue: { Q: { seq: 10, endseq: 29 } }, total: 20, upperBound: false }
 * ```
 * @throws CliUsageError when the bounds are reversed or `--to` is a negative seq.
 */
export function replayWindow(
  queues: readonly string[],
  from: SeqOrTime | undefined,
  to: SeqOrTime | undefined,
  info: HmbInfo | undefined,
): ReplayWindow {
  if (to?.kind === 'seq' && to.seq < 0)
    throw new CliUsageError(`--to ${to.seq}: a seq to end at must be 0 or more`);
  if (from?.kind === 'seq' && to?.kind === 'seq' && from.seq >= 0 && to.seq < from.seq)
    throw new CliUsageError(`--to ${to.seq} is before --from ${from.seq}`);
  if (from?.kind === 'time' && to?.kind === 'time' && to.time < from.time)
    throw new CliUsageError(`--to ${to.time} is before --from ${from.time}`);

  const upperBound = from?.kind === 'time' || to?.kind === 'time';
  const params: Record<string, HmbQueueParams> = {};
  let total: number | undefined = 0;
  for (const name of queues) {
    const q = info?.queue[name];
    const startseq = q?.startseq ?? undefined;
    const endseq = q?.endseq ?? undefined;
    params[name] = {
      seq: from?.kind === 'seq' ? from.seq : (startseq ?? 0),
      ...(from?.kind === 'time' ? { starttime: from.time } : {}),
      ...(to?.kind === 'seq' ? { endseq: to.seq } : {}),
      ...(to?.kind === 'time' ? { endtime: to.time } : {}),
    };
    if (total === undefined || q === undefined) {
      total = undefined;
      continue;
    }
    total += windowSize(startseq, endseq, from, to);
  }
  return { queue: params, total, upperBound };
}

/** Messages of one queue between the bounds, given what /info says the queue holds. */
function windowSize(
  startseq: number | undefined,
  endseq: number | undefined,
  from: SeqOrTime | undefined,
  to: SeqOrTime | undefined,
): number {
  if (startseq === undefined || endseq === undefined) return 0;
  let first = startseq;
  if (from?.kind === 'seq') {
    // A negative seq counts back from the next one: -1 is endseq, -2 the last message.
    first = Math.max(startseq, from.seq >= 0 ? from.seq : endseq + from.seq + 1);
  }
  const last = to?.kind === 'seq' ? Math.min(to.seq, endseq - 1) : endseq - 1;
  return Math.max(0, last - first + 1);
}

/**
 * What the progress bar says is being replayed, short enough to fit beside the bar:
 * `Q seqs 10–29` (absolute seqs when /info knows the queue), `Q 2026-11-24T06:00:00Z–07:00:00Z`,
 * `Q,R seq 5 – end`.
 *
 * @example
 * ```ts
 * windowLabel(['Q'], { kind: 'seq', seq: -11 }, undefined, info); // 'Q seqs 140–149' when endseq is 150
 * ```
 */
export function windowLabel(
  queues: readonly string[],
  from: SeqOrTime | undefined,
  to: SeqOrTime | undefined,
  info: HmbInfo | undefined,
): string {
  const names = queues.join(',');
  const q = queues.length === 1 ? info?.queue[queues[0]!] : undefined;
  if (q !== undefined && from?.kind !== 'time' && to?.kind !== 'time') {
    const startseq = q.startseq ?? 0;
    let first = from?.seq ?? startseq;
    // A negative seq counts back from the next one: -1 is endseq, -2 the last message.
    if (first < 0) first = Math.max(startseq, (q.endseq ?? 0) + first + 1);
    const last = to?.seq ?? (q.endseq === null ? 'end' : q.endseq - 1);
    return `${names} seqs ${first}–${last}`;
  }
  if (from?.kind === 'time' && to?.kind === 'time')
    return `${names} ${timeSpan(from.time, to.time)}`;
  const bound = (b: SeqOrTime | undefined, none: string): string =>
    b === undefined ? none : b.kind === 'seq' ? `seq ${b.seq}` : shortTime(b.time);
  return `${names} ${bound(from, 'start')} – ${bound(to, 'end')}`;
}
