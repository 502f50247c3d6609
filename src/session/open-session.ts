import { BSON } from 'bson';
import { HmbDecodeError } from '../errors/decode-error';
import { deserializeDocument } from '../protocol/bson-document';
import { contentTypeOf } from '../protocol/hmb-format';
import type { HmbOpenAck, HmbOpenParams } from '../protocol/open-params';
import { openAckFromWire, openParamsToWire } from '../protocol/open-params-wire';
import { exchange, utf8Text } from './exchange';
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
  return openAckFromWire(decodeDocument(result.bytes, result.contentType, ctx));
}

function decodeDocument(
  bytes: Uint8Array,
  contentType: string | undefined,
  ctx: HmbSessionContext,
): unknown {
  const json =
    contentType === undefined ? ctx.format === 'json' : contentType.startsWith('application/json');
  if (!json) return deserializeDocument(bytes);
  try {
    return JSON.parse(utf8Text(bytes));
  } catch (cause) {
    throw new HmbDecodeError(`invalid JSON in the /open reply: ${(cause as Error).message}`, {
      cause,
      bus: ctx.endpoint.busUrl,
    });
  }
}
