import { HmbSessionLostError } from '../errors/session-lost-error';
import { BsonFrameDecoder } from '../protocol/bson-frame-decoder';
import type { HmbFrameDecoder } from '../protocol/frame-decoder';
import { JsonFrameDecoder } from '../protocol/json-frame-decoder';
import type { HmbFrame } from '../protocol/message';
import { httpFailure } from './http-failure';
import { formatOfAnswer } from './response-format';
import type { HmbRecvPosition } from './recv-frames';
import type { HmbSessionContext } from './session-context';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_RESPONSE_BYTES } from '../transport/body-limit';
import { readResponseText } from '../transport/transport';

/**
 * The frames of a session from one /stream response, which the server never ends on its own:
 * messages and heartbeats are decoded as the chunks arrive and handed over one batch per chunk.
 *
 * The stream ends properly only after EOF (`keep: false` windows). If it ends any other way (the
 * server shutting down ends it without the closing `}`), that is a lost session: the subscription
 * reopens from the last delivered seq.
 *
 * @throws HmbDecodeError on a corrupt frame; HmbTooLargeError for a frame over `maxFrameBytes`; HmbSessionLostError when the body ends without EOF;
 *   the typed HTTP errors for a non-200 answer.
 */
export async function* streamBatches(
  ctx: HmbSessionContext,
  sid: string,
  position: () => HmbRecvPosition | undefined,
  signal: AbortSignal,
): AsyncGenerator<HmbFrame[]> {
  const after = position();
  const url =
    after === undefined
      ? ctx.endpoint.methodUrl('stream', sid)
      : ctx.endpoint.methodUrl('stream', sid, after.queue, String(after.seq));
  const context = { bus: ctx.endpoint.busUrl, method: 'GET', url, sid };
  // No timeout: like a long poll, the answer starts only when there is something to send; the
  // subscription's watchdog notices a dead link.
  const response = await ctx.transport.request({
    method: 'GET',
    url,
    headers: ctx.headers,
    signal,
  });
  if (response.status !== 200) {
    // An error page is bounded like any whole answer (the stream itself is not).
    const text = await readResponseText(
      response,
      ctx.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      context,
    );
    throw httpFailure(response.status, text, context, false);
  }
  const format = formatOfAnswer(response.header('content-type'), ctx.format, context);
  const limits = { maxFrameBytes: ctx.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES };
  const decoder: HmbFrameDecoder =
    format === 'json' ? new JsonFrameDecoder(limits) : new BsonFrameDecoder(limits);
  let sawEof = false;
  for await (const chunk of response.body) {
    const frames = decoder.push(chunk);
    if (frames.length === 0) continue;
    if (frames[frames.length - 1]!.kind === 'eof') sawEof = true;
    yield frames;
    if (sawEof) return;
  }
  if (!sawEof) {
    throw new HmbSessionLostError('the stream ended without EOF (server shutting down?)', context);
  }
}
