import type { RequestContext } from '../request-context';
import type { ServerSession } from '../server-session';

/** Content-Type of a session's /recv and /stream answers. */
export function sessionContentType(session: ServerSession): string {
  return session.format === 'JSON' ? 'application/json' : 'application/bson';
}

/**
 * The session a /recv or /stream names, if it exists and the path suffix continues where it
 * stands; otherwise the request is answered `400 invalid session` (the same text for an unknown
 * sid and for any continuity mismatch, docs/protocol.md §10.3) and `undefined` returned.
 */
export function sessionForLongPoll(ctx: RequestContext): ServerSession | undefined {
  const [sid, queue, seq] = ctx.args;
  const session = ctx.bus.sessions.get(sid!);
  if (session === undefined || !session.continues(queue, seq)) {
    ctx.fail(400, 'invalid session');
    return undefined;
  }
  return session;
}

/** setTimeout refuses delays past 2^31-1 ms (it fires at once instead). */
export const MAX_TIMER_MS = 2_147_483_647;

/** A delay in ms that setTimeout will honour. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_TIMER_MS);
}
