import { bodyExcerpt } from '../errors/body-excerpt';
import { HmbDecodeError } from '../errors/decode-error';
import { exchange, utf8Text } from './exchange';
import type { HmbSessionContext } from './session-context';

/**
 * GET a method that always answers JSON (/features, /info, /status), whatever the session format.
 *
 * @throws HmbDecodeError when the answer is not a JSON object.
 */
export async function getJson(
  ctx: HmbSessionContext,
  method: 'features' | 'info' | 'status',
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const url = ctx.endpoint.methodUrl(method);
  const result = await exchange(ctx, { method: 'GET', url, signal });
  const text = utf8Text(result.bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new HmbDecodeError(`invalid JSON from GET ${url}: ${(cause as Error).message}`, {
      cause,
      url,
      bus: ctx.endpoint.busUrl,
      body: bodyExcerpt(text),
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HmbDecodeError(`GET ${url} did not answer a JSON object`, {
      url,
      bus: ctx.endpoint.busUrl,
    });
  }
  return parsed as Record<string, unknown>;
}
