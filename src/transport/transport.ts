import { concatBytes } from '../protocol/concat-bytes';
import { boundedChunks, type HmbBodyLimitContext } from './body-limit';

/**
 * One HTTP exchange as the session layer asks for it. The transport knows nothing of HMB: it moves
 * bytes, honours the signal and reports failures as typed errors.
 */
export interface HmbTransportRequest {
  readonly method: 'GET' | 'POST';
  /** The full URL, e.g. `http://127.0.0.1:8000/test/recv/SID`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  /**
   * Aborting it cancels the request at any point (connecting, waiting for the first byte of a long
   * poll, reading the body) and releases the socket. The transport rejects with the signal's reason.
   */
  readonly signal: AbortSignal;
  /**
   * The most bytes the body may have once decompressed. Past it, reading the body (`body` or
   * `bytes()`) fails with `HmbTooLargeError` and the connection is released, so a hostile server
   * (an endless body, a compression bomb) cannot fill the memory. Absent: no bound (an endless
   * /stream, whose frames are bounded by the decoder instead).
   */
  readonly maxBodyBytes?: number;
  /**
   * The caller reads the body whole, with `bytes()`, never as `body` chunks. A transport may then
   * gather the body as it arrives instead of handing it out as a stream (the Node transport does:
   * it is most of the cost of a short exchange such as a one-message /send).
   */
  readonly whole?: boolean;
  /**
   * Given only to a transport that enforces it ({@link HmbTransport.timeoutsFromMs}): when no answer comes within
   * `ms` (no response head, or a pause that long in the body), the request is given up and rejects
   * (or the body fails) with `error()`. Absent: no limit (a long poll). A transport that does not
   * handle timeouts is given an AbortSignal that fires at the deadline instead.
   */
  readonly timeout?: HmbTransportTimeout;
}

/** See {@link HmbTransportRequest.timeout}. */
export interface HmbTransportTimeout {
  /** Milliseconds without an answer, or a pause in the body, before the request is given up. */
  readonly ms: number;
  /** The error the request rejects with then. */
  readonly error: () => Error;
}

/** A response whose headers have arrived; the body is read as it comes. */
export interface HmbTransportResponse {
  readonly status: number;
  /** A response header, by lower-case name. */
  header(name: string): string | undefined;
  /**
   * The body, decompressed if the server or a proxy compressed it, as chunks in arrival order.
   * Iterate it once. Breaking out of the loop releases the connection.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * Optional: the whole body at once (decompressed), for a transport that can read it faster than
   * chunk by chunk. Use either this or `body`, not both.
   */
  bytes?(): Promise<Uint8Array>;
}

/**
 * How hmb-rx talks HTTP. Two implementations ship: `UndiciTransport` for Node (keep-alive pool,
 * TLS options, gzip) and `FetchTransport` for browsers and any runtime with `fetch`. Tests and
 * applications may plug in their own.
 *
 * Failures below HTTP must reject with `HmbNetworkError` (or `HmbTimeoutError` for a connect
 * timeout); an aborted request rejects with the signal's reason.
 */
export interface HmbTransport {
  /** Sends one request; resolves when the response head has arrived (the body streams). */
  request(request: HmbTransportRequest): Promise<HmbTransportResponse>;
  /** Releases pooled connections. Requests after close fail. */
  close(): Promise<void>;
  /**
   * From how many milliseconds on the transport enforces {@link HmbTransportRequest.timeout}
   * itself, with timers its HTTP client already keeps per connection. Shorter deadlines, and every
   * deadline for a transport without this, come as an AbortSignal of their own that fires at the
   * deadline: a signal and a timer per request, which cost a one-message /send a measurable share
   * of its time.
   */
  readonly timeoutsFromMs?: number;
}

/**
 * Reads a whole response body into one byte array. Without `limit` the request's own
 * `maxBodyBytes` bounds it (the transport's contract), and it is read at once where the transport
 * can. With `limit` (an answer whose request set no bound, like the error page of a /stream) the
 * chunks are counted here, since `bytes()` of such a request is unbounded.
 */
export function readResponseBody(
  response: HmbTransportResponse,
  limit?: number,
  context?: HmbBodyLimitContext,
): Promise<Uint8Array> {
  if (limit === undefined || context === undefined)
    return response.bytes !== undefined ? response.bytes() : readBody(response.body);
  return readBody(boundedChunks(response.body, limit, context));
}

/** Reads a whole body into one byte array. */
export async function readBody(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.length;
  }
  return concatBytes(chunks, total);
}

const utf8 = new TextDecoder();

/** Reads a whole response body as UTF-8 text (bounded like {@link readResponseBody}). */
export async function readResponseText(
  response: HmbTransportResponse,
  limit?: number,
  context?: HmbBodyLimitContext,
): Promise<string> {
  return utf8.decode(await readResponseBody(response, limit, context));
}
