import { HmbClosedError } from '../errors/closed-error';
import { boundedChunks, declaredOver, responseTooLarge } from './body-limit';
import { toTransportError } from './network-failure';
import type { HmbTransport, HmbTransportRequest, HmbTransportResponse } from './transport';

/** Options for {@link FetchTransport}. */
export interface HmbFetchTransportOptions {
  /** The fetch to use; defaults to the global one. */
  readonly fetch?: typeof globalThis.fetch;
  /** Passed to fetch as `credentials` (browsers: send cookies to a same-site reverse proxy). */
  readonly credentials?: RequestCredentials;
}

/**
 * A transport on the standard `fetch` API: the default in browsers, usable anywhere `fetch` and
 * `ReadableStream` exist. Compression is handled by the runtime; connection pooling too.
 *
 * @example
 * ```ts
 * import { HmbClient, FetchTransport } from 'hmb-rx';
 * const client = new HmbClient('https://example.org/hmb/test', { httpTransport: new FetchTransport() });
 * ```
 */
export class FetchTransport implements HmbTransport {
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly credentials: RequestCredentials | undefined;
  private closed = false;

  constructor(options: HmbFetchTransportOptions = {}) {
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw new TypeError('FetchTransport: no fetch function available');
    this.fetchFn = f.bind(globalThis);
    this.credentials = options.credentials;
  }

  /** Sends one request with `fetch` (see {@link HmbTransport.request}). */
  async request(request: HmbTransportRequest): Promise<HmbTransportResponse> {
    const { method, url, headers, body, signal } = request;
    if (this.closed)
      throw new HmbClosedError(`transport closed: ${method} ${url}`, { method, url });
    let response: Response;
    try {
      const init: RequestInit = { method, headers, signal, cache: 'no-store' };
      if (body !== undefined) init.body = body as BodyInit;
      if (this.credentials !== undefined) init.credentials = this.credentials;
      response = await this.fetchFn(url, init);
    } catch (cause) {
      throw toTransportError(cause, method, url, signal);
    }
    const limit = request.maxBodyBytes;
    const context = { method, url };
    // The runtime decompresses; the chunks we count are decompressed bytes, so a compression bomb
    // stops at the limit.
    const chunks = boundedChunks(readableChunks(response, method, url, signal), limit, context);
    if (limit !== undefined) {
      const encoded = (response.headers.get('content-encoding') ?? '').trim() !== '';
      if (!encoded && declaredOver(response.headers.get('content-length') ?? undefined, limit)) {
        response.body?.cancel().catch(() => undefined);
        throw responseTooLarge(limit, context);
      }
      return {
        status: response.status,
        header: (name) => response.headers.get(name) ?? undefined,
        body: chunks,
      };
    }
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      body: chunks,
      // A whole answer read natively, without a JavaScript read() per chunk (unbounded: only
      // offered when the request names no limit).
      bytes: async () => {
        try {
          return new Uint8Array(await response.arrayBuffer());
        } catch (cause) {
          throw toTransportError(cause, method, url, signal);
        }
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

async function* readableChunks(
  response: Response,
  method: string,
  url: string,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (cause) {
        throw toTransportError(cause, method, url, signal);
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // Leaving the loop early (an abort, a decode error) must not keep the connection busy.
    reader.cancel().catch(() => undefined);
  }
}
