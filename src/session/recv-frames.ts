import { bsonFramesOf } from '../protocol/bson-codec';
import { jsonFramesOf } from '../protocol/json-codec';
import type { HmbFrame } from '../protocol/message';
import { exchange, utf8Text } from './exchange';
import { formatOfAnswer } from './response-format';
import type { HmbSessionContext } from './session-context';

/** The queue and seq of the last real message a session received: the continuity suffix. */
export interface HmbRecvPosition {
  readonly queue: string;
  readonly seq: number;
}

/**
 * One long poll: GET /recv/{sid}[/{queue}/{seq}]. Resolves with the frames of one answer (made as
 * they are iterated: see bsonFramesOf and jsonFramesOf), or `null` for an empty `200` (the server
 * answers blocked polls that way when it shuts down: "no messages, reconnect", docs/protocol.md
 * §10).
 *
 * `after` must be the last real message this session received (HEARTBEAT and EOF do not count);
 * the server refuses anything else with `400 invalid session` and never rolls back (§10.3).
 * There is no request timeout: a long poll legitimately waits until data or a heartbeat. Abort
 * `signal` to give up, and never start a second poll on the same session before the first one is
 * over (§9).
 */
export async function recvFrames(
  ctx: HmbSessionContext,
  sid: string,
  after: HmbRecvPosition | undefined,
  signal: AbortSignal,
): Promise<Iterable<HmbFrame> | null> {
  const url =
    after === undefined
      ? ctx.endpoint.methodUrl('recv', sid)
      : ctx.endpoint.methodUrl('recv', sid, after.queue, String(after.seq));
  const result = await exchange(ctx, { method: 'GET', url, signal, timeoutMs: 0, sid });
  if (result.bytes.length === 0) return null;
  const format = formatOfAnswer(
    result.contentType,
    ctx.format,
    { bus: ctx.endpoint.busUrl, method: 'GET', url, sid },
    result.bytes,
  );
  return format === 'json' ? jsonFramesOf(utf8Text(result.bytes)) : bsonFramesOf(result.bytes);
}
