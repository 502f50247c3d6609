import { match } from 'ts-pattern';
import type { HmbConnectionState, HmbGap } from '../node';
import type { Painter } from './ansi';
import { errorReason } from './format-error';

/**
 * A connection state change as a line for stderr, or `undefined` for the ones not worth a line
 * (`lost` is always followed by `resuming`, which says more; `closed` is reported by the command,
 * which knows why it ended).
 *
 * @example
 * ```ts
 * formatState({ type: 'resuming', error: new Error('socket hang up'), attempt: 1, delayMs: 420 }, 'http://…/bus', painter(false));
 * // 'reconnecting in 420 ms because socket hang up (attempt 1)'
 * ```
 */
export function formatState(
  state: HmbConnectionState,
  busUrl: string,
  paint: Painter,
): string | undefined {
  return match(state)
    .with({ type: 'opening' }, (s) =>
      s.attempt === 0 ? paint('gray', `connecting to ${busUrl}`) : undefined,
    )
    .with({ type: 'open' }, (s) =>
      paint(
        'green',
        `${s.attempt === 0 ? 'connected' : 'reconnected'} (session ${s.sid}, cid ${s.cid})`,
      ),
    )
    .with({ type: 'lost' }, () => undefined)
    .with({ type: 'resuming' }, (s) =>
      paint(
        'yellow',
        `reconnecting in ${s.delayMs} ms because ${errorReason(s.error)} (attempt ${s.attempt})`,
      ),
    )
    .with({ type: 'closed' }, () => undefined)
    .exhaustive();
}

/**
 * A gap as a line for stderr: which seqs of which queue will never arrive, and why.
 *
 * @example
 * ```ts
 * formatGap({ kind: 'gap', queue: 'Q', expectedSeq: 5, nextSeq: 9, reason: 'skipped' }, painter(false));
 * // 'gap in Q: seqs 5–8 will never arrive (the server skipped them)'
 * ```
 */
export function formatGap(gap: HmbGap, paint: Painter): string {
  const last = gap.nextSeq - 1;
  const seqs = last === gap.expectedSeq ? `seq ${last}` : `seqs ${gap.expectedSeq}–${last}`;
  const text = match(gap)
    .with(
      { reason: 'skipped' },
      () => `gap in ${gap.queue}: ${seqs} will never arrive (the server skipped them)`,
    )
    .with(
      { reason: 'trimmed' },
      () => `gap in ${gap.queue}: ${seqs} will never arrive (no longer on the server)`,
    )
    .with(
      { reason: 'rewind' },
      (g) =>
        `gap in ${g.queue}: the server lost seqs ${g.lostFrom}–${g.lostTo} (restarted without them?); new messages from ${g.lostFrom} on are epoch ${g.epoch}`,
    )
    .exhaustive();
  return paint('red', text);
}
