import { toTransportError } from './network-failure';
import type { HmbTransportRequest } from './transport';

/**
 * What a request of the undici transport rejects with (or its body fails with): the request's own
 * timeout error when undici gave up waiting for its head or its body (undici's error kept as its
 * cause), otherwise {@link toTransportError}'s (the signal's reason after an abort).
 */
export function undiciFailure(cause: unknown, req: HmbTransportRequest): unknown {
  const { timeout } = req;
  const code = (cause as { code?: unknown } | null)?.code;
  if (
    timeout !== undefined &&
    (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
  ) {
    const error = timeout.error();
    return error.cause === undefined ? Object.assign(error, { cause }) : error;
  }
  return toTransportError(cause, req.method, req.url, req.signal);
}
