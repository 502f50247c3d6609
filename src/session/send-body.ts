import { contentTypeOf, type HmbFormat } from '../protocol/hmb-format';
import { exchange } from './exchange';
import type { HmbSessionContext } from './session-context';

/**
 * POST /send/{sid} with a ready body. Resolves (with the answer, of no use) on `204`.
 *
 * @throws HmbSessionLostError (`400 invalid session`: nothing was stored), HmbBadParamError
 *   (another `400`: the messages before the offending one may already be stored, §8), and the
 *   network and timeout errors (the body may or may not have been stored).
 */
export function sendBody(
  ctx: HmbSessionContext,
  sid: string,
  body: string | Uint8Array,
  format: HmbFormat,
  signal: AbortSignal,
): Promise<unknown> {
  // The exchange's own promise, not an async wrapper around it: one promise less per /send.
  return exchange(ctx, {
    method: 'POST',
    url: ctx.endpoint.methodUrl('send', sid),
    body,
    contentType: contentTypeOf(format),
    signal,
    sid,
    badRequestIsParam: true,
  });
}
