import { BSON } from 'bson';
import { HmbDecodeError } from '../errors/decode-error';
import { deserializeDocument } from '../protocol/bson-document';
import { contentTypeOf, type HmbFormat } from '../protocol/hmb-format';
import type { HmbOpenAck, HmbOpenParams } from '../protocol/open-params';
import { openAckFromWire, openParamsToWire } from '../protocol/open-params-wire';
import { exchange, utf8Text } from './exchange';
import { formatOfAnswer } from './response-format';
import type { HmbSessionContext } from './session-context';

/**
 * Opens an HMB session: POST /open in the context's format (which fixes the format of the
 * session's /recv and /stream answers). Per-queue problems (`queue not found`, a bad filter) come
 * back inside the acknowledgement, not as an error: the caller decides what they mean.
 *
 * @throws HmbBadParamError for parameters the client or the server refuses as a whole;
 *   HmbSessionLimitError for `503` (too many busy sessions from this address); HmbNetworkError,
 *   HmbTimeoutError, HmbHttpError, HmbProtocolError otherwise.
 */
export async function openSession(
  ctx: HmbSessionContext,
  params: HmbOpenParams,
  signal: AbortSignal,
): Promise<HmbOpenAck> {
  const wire = openParamsToWire(params, ctx.format);
  const body = ctx.format === 'json' ? JSON.stringify(wire) : BSON.serialize(wire);
  const result = await exchange(ctx, {
    method: 'POST',
    url: ctx.endpoint.methodUrl('open'),
    body,
    contentType: contentTypeOf(ctx.format),
    signal,
    badRequestIsParam: true,
  });
  const format = formatOfAnswer(
    result.contentType,
    ctx.format,
    { bus: ctx.endpoint.busUrl, method: 'POST', url: ctx.endpoint.methodUrl('open') },
    result.bytes,
  );
  return openAckFromWire(decodeDocument(result.bytes, format, ctx));
}

function decodeDocument(bytes: Uint8Array, format: HmbFormat, ctx: HmbSessionContext): unknown {
  if (format === 'bson') return deserializeDocument(bytes);
  try {
    return JSON.parse(utf8Text(bytes));
  } catch (cause) {
    throw new HmbDecodeError(`invalid JSON in the /open reply: ${(cause as Error).message}`, {
      cause,
      bus: ctx.endpoint.busUrl,
    });
  }
}
