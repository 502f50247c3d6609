import { HmbTooLargeError } from '../errors/too-large-error';

/**
 * The most bytes one whole answer (/recv, /open, /info, …) may have once decompressed, by default:
 * 64 MiB, four times the server's 16 MiB message limit, while a /recv answer is about `recv_limit`
 * (1 MiB by default) plus one message.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The most bytes one frame (message) of a /stream may take while it is being read, by default:
 * 64 MiB. A BSON frame is also bounded by the protocol's 16 MiB document limit; a JSON frame is
 * measured in characters.
 */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Where a request was going, for the error that ends it. */
export interface HmbBodyLimitContext {
  readonly method: string;
  readonly url: string;
}

/** The error for an answer whose (decompressed) body passed `limit` bytes. */
export function responseTooLarge(limit: number, context: HmbBodyLimitContext): HmbTooLargeError {
  return new HmbTooLargeError(
    `the answer to ${context.method} ${context.url} is larger than ${limit} bytes (maxResponseBytes)`,
    limit,
    'response',
    { method: context.method, url: context.url },
  );
}

/**
 * Whether a `Content-Length` already says the body is over the limit. Only meaningful for an
 * uncompressed body (a compressed one is checked as it inflates).
 */
export function declaredOver(contentLength: string | undefined, limit: number): boolean {
  if (contentLength === undefined) return false;
  const n = Number(contentLength);
  return Number.isFinite(n) && n > limit;
}

/**
 * Passes the chunks of a body on while counting them, and throws {@link HmbTooLargeError} as soon
 * as they pass `limit` bytes (the chunk that crosses it is not passed on). `limit` undefined or
 * infinite: no bound (an endless /stream, whose frames are bounded instead), and the body itself is
 * returned, with no generator step per chunk.
 */
export function boundedChunks(
  body: AsyncIterable<Uint8Array>,
  limit: number | undefined,
  context: HmbBodyLimitContext,
): AsyncIterable<Uint8Array> {
  if (limit === undefined || !Number.isFinite(limit)) return body;
  return countedChunks(body, limit, context);
}

async function* countedChunks(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  context: HmbBodyLimitContext,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) throw responseTooLarge(limit, context);
    yield chunk;
  }
}
