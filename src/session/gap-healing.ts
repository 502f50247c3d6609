import { classifyHmbError } from '../errors/classify-hmb-error';
import type { HmbMessage } from '../protocol/message';
import { infoFromWire } from '../protocol/bus-info-wire';
import type { HmbLostGap } from './connection-state';
import { getJson } from './get-json';
import type { HmbSessionContext } from './session-context';
import type { HmbSkipResolution, SubscriptionCursor } from './subscription-cursor';

/**
 * Decides what to do about a skip in a live answer (the server jumped from `gap.expectedSeq` to
 * `message.seq`): asks /info for the oldest seq the server still holds of the queue, and lets the
 * cursor either move back to fetch the range again (reopen) or report what is really gone. The
 * original skips a live subscriber that falls a ring behind although its database still holds the
 * messages (docs/protocol.md, "What the client does": gaps; docs/session-lifecycle.md, "Gaps, healed
 * skips and rewinds"); an /open from the first missing seq then delivers them.
 *
 * @throws a transient failure of /info: the attempt then fails and is retried from the unmoved
 *   position (an /open from there fetches the range too).
 */
export async function settleSkip(
  ctx: HmbSessionContext,
  cursor: SubscriptionCursor,
  gap: HmbLostGap,
  message: HmbMessage,
  maxAttempts: number,
  signal: AbortSignal,
): Promise<HmbSkipResolution> {
  let startseq: number | null | undefined;
  try {
    const info = infoFromWire(await getJson(ctx, 'info', signal));
    const queue = info.queue[gap.queue];
    startseq = queue === undefined ? null : queue.startseq;
  } catch (error) {
    // No /info at all (a proxy that only passes the session methods): the skip is reported as
    // it is. A passing failure fails the attempt, which reopens from the unmoved position.
    if (classifyHmbError(error) !== 'fatal') throw error;
    startseq = undefined;
  }
  return cursor.resolveSkip(gap, message, startseq, maxAttempts);
}
