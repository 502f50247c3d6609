import { HmbSessionLostError } from '../errors/session-lost-error';
import type { HmbFrame } from '../protocol/message';
import { recvFrames, type HmbRecvPosition } from './recv-frames';
import type { HmbSessionContext } from './session-context';

/**
 * The frames of a session by long polling, one /recv answer per batch. `position()` is asked before
 * each poll for the continuity suffix, so the caller must have taken in the previous batch by then;
 * the generator only polls again when the caller asks for the next batch, so there is never a
 * second /recv in flight on the session.
 *
 * @throws HmbSessionLostError when the server answers a poll with an empty body (it is shutting
 *   down), besides the errors of `recvFrames`.
 */
export async function* pollBatches(
  ctx: HmbSessionContext,
  sid: string,
  position: () => HmbRecvPosition | undefined,
  signal: AbortSignal,
): AsyncGenerator<Iterable<HmbFrame>> {
  for (;;) {
    const frames = await recvFrames(ctx, sid, position(), signal);
    if (frames === null) {
      throw new HmbSessionLostError(
        'the server answered a poll with an empty body (shutting down?)',
        {
          bus: ctx.endpoint.busUrl,
          sid,
        },
      );
    }
    yield frames;
  }
}
