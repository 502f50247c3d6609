import { Agent, request, type Dispatcher } from 'undici';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { HmbClosedError } from '../errors/closed-error';
import {
  boundedChunks,
  declaredOver,
  responseTooLarge,
  type HmbBodyLimitContext,
} from './body-limit';
import { toTransportError } from './network-failure';
import type {
  HmbTransport,
  HmbTransportRequest,
  HmbTransportResponse,
  HmbTransportTimeout,
} from './transport';

const EMPTY = new Uint8Array(0);

/** How long to wait for a TCP (and TLS) connection, in milliseconds. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long an idle pooled connection is kept for reuse, in milliseconds. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 30_000;
/** Connections per origin: one per concurrent long poll plus room for /send and /info. */
export const DEFAULT_CONNECTIONS_PER_ORIGIN = 64;

/** Options for {@link UndiciTransport}. */
export interface HmbUndiciTransportOptions {
  /** TCP+TLS connect timeout in ms (default {@link DEFAULT_CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
  /** Idle keep-alive in ms (default {@link DEFAULT_KEEP_ALIVE_TIMEOUT_MS}). */
  readonly keepAliveTimeoutMs?: number;
  /** Maximum connections per origin (default {@link DEFAULT_CONNECTIONS_PER_ORIGIN}). */
  readonly connections?: number;
  /** TLS options for HTTPS buses: a private CA, client certificates, `rejectUnauthorized`. */
  readonly tls?: Pick<
    ConnectionOptions,
    'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'
  >;
  /**
   * The `Accept-Encoding` sent with every request (default `gzip, deflate`, as browsers do), so a
   * compressing reverse proxy can compress; `''` sends none. The HMB server itself never compresses.
   */
  readonly acceptEncoding?: string;
  /** Use this dispatcher instead of creating an Agent (it is not closed by {@link UndiciTransport.close}). */
  readonly dispatcher?: Dispatcher;
}

/**
 * The Node transport: undici with a keep-alive connection pool, connect timeouts, TLS options and
 * gzip/deflate/brotli decoding (the original server never compresses, but a reverse
 * proxy in front of it may). Header and body timeouts are off, because an HMB long poll sends no
 * byte at all, not even headers, until data or a heartbeat is ready; hmb-rx detects dead links with
 * its heartbeat watchdog instead.
 *
 * @example
 * ```ts
 * import { HmbClient, UndiciTransport } from 'hmb-rx';
 * const transport = new UndiciTransport({ tls: { ca: fs.readFileSync('ca.pem') } });
 * const client = new HmbClient('https://hmb.example.org/test', { transport });
 * ```
 */
export class UndiciTransport implements HmbTransport {
  private readonly dispatcher: Dispatcher;
  private readonly owned: Agent | undefined;
  private closed = false;
  private readonly acceptEncoding: string;
  /**
   * Deadlines from 10 s on are undici's own header and body timeouts: timers it keeps per
   * connection and refreshes, rather than an AbortSignal and a timer per request. They tick every
   * half second and may fire up to a second late, which from 10 s on is at most a tenth.
   */
  readonly timeoutsFromMs = 10_000;

  constructor(options: HmbUndiciTransportOptions = {}) {
    this.acceptEncoding = options.acceptEncoding ?? 'gzip, deflate';
    if (options.dispatcher !== undefined) {
      this.dispatcher = options.dispatcher;
      this.owned = undefined;
    } else {
      const agent = new Agent({
        connections: options.connections ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: {
          timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          ...options.tls,
        },
      });
      this.owned = agent;
      this.dispatcher = agent;
    }
  }

  /** Sends one request through the undici pool (see {@link HmbTransport.request}). */
  async request(req: HmbTransportRequest): Promise<HmbTransportResponse> {
    const { method, url, headers, body, signal, timeout } = req;
    // 0: none (long polls send nothing until there is something to send).
    const timeoutMs = timeout?.ms ?? 0;
    if (this.closed)
      throw new HmbClosedError(`transport closed: ${method} ${url}`, { method, url });
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method,
        headers:
          this.acceptEncoding === '' || 'accept-encoding' in headers
            ? headers
            : { ...headers, 'accept-encoding': this.acceptEncoding },
        body: body === undefined ? null : body,
        signal,
        dispatcher: this.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (cause) {
      throw transportFailure(cause, method, url, signal, timeout);
    }
    const responseHeaders = response.headers;
    const decoder = decoderFor(responseHeaders['content-encoding']);
    const raw = response.body;
    const limit = req.maxBodyBytes;
    const context = { method, url };
    const header = (name: string): string | undefined => {
      const value = responseHeaders[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    return {
      status: response.statusCode,
      header,
      // The bound counts decompressed bytes: a compression bomb stops at the limit. Made when first
      // iterated: most answers are read with bytes(), and two async generators per request were a
      // cost of every one-message /send.
      body: {
        [Symbol.asyncIterator]: () =>
          boundedChunks(bodyChunks(raw, decoder, method, url, signal, timeout), limit, context)[
            Symbol.asyncIterator
          ](),
      },
      // An uncompressed body is gathered by undici from 'data' events: no await per chunk.
      ...(decoder === undefined
        ? {
            bytes: async () => {
              try {
                // A 204 (every /send) or an empty body: nothing to gather. `dump()` settles it
                // without switching the stream to flowing mode, which costs about as much as the
                // request itself on a one-message /send (bench/send.ts, "single").
                if (response.statusCode === 204 || header('content-length') === '0') {
                  await raw.dump();
                  return EMPTY;
                }
                if (limit === undefined) return new Uint8Array(await raw.arrayBuffer());
                if (declaredOver(header('content-length'), limit))
                  throw responseTooLarge(limit, context);
                return await gatherBounded(raw, limit, context);
              } catch (cause) {
                throw transportFailure(cause, method, url, signal, timeout);
              } finally {
                if (!raw.destroyed) raw.destroy();
              }
            },
          }
        : {}),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // destroy, not close: close() would wait for long polls that may never end on their own.
    await this.owned?.destroy();
  }
}

// undici's own decompress interceptor is still experimental (it warns on every process start), and
// Node's zlib streams do the same job: they emit as soon as a flushed block arrives, so a
// compressed /stream still flows message by message.
function decoderFor(encoding: string | string[] | undefined): Transform | undefined {
  const name = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? ''))
    .trim()
    .toLowerCase();
  if (name === 'gzip' || name === 'x-gzip') return createGunzip();
  if (name === 'deflate') return createInflate();
  if (name === 'br') return createBrotliDecompress();
  return undefined;
}

/**
 * Gathers a body from its 'data' events (no await per chunk, as `arrayBuffer()` does) and gives up
 * as soon as it passes `limit` bytes.
 */
function gatherBounded(
  raw: Dispatcher.ResponseData['body'],
  limit: number,
  context: HmbBodyLimitContext,
): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    raw.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        raw.destroy();
        reject(responseTooLarge(limit, context));
        return;
      }
      chunks.push(chunk);
    });
    raw.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)));
    raw.once('error', reject);
    // After 'end' this is a no-op; without it, the connection went away mid-body.
    raw.once('close', () => reject(new Error('the body closed before its end')));
  });
}

async function* bodyChunks(
  body: Dispatcher.ResponseData['body'],
  decoder: Transform | undefined,
  method: string,
  url: string,
  signal: AbortSignal,
  timeout: HmbTransportTimeout | undefined,
): AsyncGenerator<Uint8Array> {
  try {
    if (decoder === undefined) {
      for await (const chunk of body) yield chunk as Uint8Array;
    } else {
      body.on('error', (error) => decoder.destroy(error));
      body.pipe(decoder);
      try {
        for await (const chunk of decoder) yield chunk as Uint8Array;
      } finally {
        decoder.destroy();
      }
    }
  } catch (cause) {
    throw transportFailure(cause, method, url, signal, timeout);
  } finally {
    // Leaving early (abort, decode error) must free the socket rather than leave it half read.
    if (!body.destroyed) body.destroy();
  }
}

/**
 * What a request rejects with: the request's own timeout error when undici gave up waiting for its
 * head or its body (undici's error kept as its cause), otherwise {@link toTransportError}'s.
 */
function transportFailure(
  cause: unknown,
  method: string,
  url: string,
  signal: AbortSignal,
  timeout: HmbTransportTimeout | undefined,
): unknown {
  const code = (cause as { code?: unknown } | null)?.code;
  if (
    timeout !== undefined &&
    (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
  ) {
    const error = timeout.error();
    return error.cause === undefined ? Object.assign(error, { cause }) : error;
  }
  return toTransportError(cause, method, url, signal);
}
