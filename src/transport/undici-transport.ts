import { Agent, type Dispatcher } from 'undici';
import type { Transform } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { HmbClosedError } from '../errors/closed-error';
import { boundedChunks } from './body-limit';
import { abortRelayOf } from './abort-relay';
import { headerOf } from './header-of';
import { contentDecoderFor } from './content-decoder';
import { ReadableChunks } from './readable-chunks';
import { requestTarget } from './request-target';
import { undiciFailure } from './undici-failure';
import { requestWhole } from './whole-body-request';
import {
  type HmbTransport,
  type HmbTransportRequest,
  type HmbTransportResponse,
} from './transport';

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
  /** The dispatcher given in the options (used for every request, with per-request deadlines). */
  private readonly given: Dispatcher | undefined;
  /** What our own agents are made with, apart from their deadline. */
  private readonly agentOptions: Agent.Options;
  /**
   * Our own agents, one per deadline (0: none, for long polls). A deadline given to the agent
   * rather than to each request costs a request nothing; given per request, undici re-arms its
   * timers for it every time (bench/send.ts, "single"). A client uses two: its request timeout
   * and none.
   */
  private readonly agents = new Map<number, Agent>();
  private closed = false;
  private readonly acceptEncoding: string;
  /** The request headers with `accept-encoding` added, per headers object the session layer reuses. */
  private readonly withEncoding = new WeakMap<
    Readonly<Record<string, string>>,
    Record<string, string>
  >();
  /**
   * Deadlines from 10 s on are undici's own header and body timeouts: timers it keeps per
   * connection and refreshes, rather than an AbortSignal and a timer per request. They tick every
   * half second and may fire up to a second late, which from 10 s on is at most a tenth.
   */
  readonly timeoutsFromMs = 10_000;

  constructor(options: HmbUndiciTransportOptions = {}) {
    this.acceptEncoding = options.acceptEncoding ?? 'gzip, deflate';
    this.given = options.dispatcher;
    this.agentOptions = {
      connections: options.connections ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
      connect: {
        timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        ...options.tls,
      },
    };
  }

  /** Sends one request through the undici pool (see {@link HmbTransport.request}). */
  request(req: HmbTransportRequest): Promise<HmbTransportResponse> {
    const { method, url, signal, timeout } = req;
    // 0: none (long polls send nothing until there is something to send).
    const timeoutMs = timeout?.ms ?? 0;
    if (this.closed)
      return Promise.reject(
        new HmbClosedError(`transport closed: ${method} ${url}`, { method, url }),
      );
    const agent = this.agentFor(timeoutMs);
    const dispatcher = agent ?? this.given ?? this.agentFor(0)!;
    const { origin, path } = requestTarget(url);
    const headers = this.headersOf(req.headers);
    const body = req.body ?? null;
    const timeouts =
      agent === undefined ? { headersTimeout: timeoutMs, bodyTimeout: timeoutMs } : {};
    if (req.whole === true)
      return requestWhole(dispatcher, { origin, path, method, headers, body, ...timeouts }, req);
    // undici's own promise, not an async function around it: one promise less per request.
    return dispatcher
      .request({ origin, path, method, headers, body, signal: abortRelayOf(signal), ...timeouts })
      .then(
        (response) => new UndiciResponse(response, req),
        (cause: unknown) => {
          throw undiciFailure(cause, req);
        },
      );
  }

  /** Our agent for this deadline, made on first use; `undefined` when the deadline goes per request. */
  private agentFor(timeoutMs: number): Agent | undefined {
    if (this.given !== undefined) return undefined;
    let agent = this.agents.get(timeoutMs);
    if (agent === undefined) {
      // A caller with deadlines of many sizes gets them per request rather than a pool for each.
      if (this.agents.size >= MAX_AGENTS && timeoutMs !== 0) return undefined;
      agent = new Agent({
        ...this.agentOptions,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      this.agents.set(timeoutMs, agent);
    }
    return agent;
  }

  private headersOf(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    if (this.acceptEncoding === '' || 'accept-encoding' in headers) return headers;
    let withEncoding = this.withEncoding.get(headers);
    if (withEncoding === undefined) {
      withEncoding = { ...headers, 'accept-encoding': this.acceptEncoding };
      this.withEncoding.set(headers, withEncoding);
    }
    return withEncoding;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // destroy, not close: close() would wait for long polls that may never end on their own.
    await Promise.all([...this.agents.values()].map((agent) => agent.destroy()));
  }
}

/** Deadlines with an agent of their own; the client uses two (see UndiciTransport.agents). */
const MAX_AGENTS = 4;

/**
 * An undici response whose body streams (a /stream, or an error page read through `body`) as
 * {@link HmbTransportResponse}. Bodies read whole take the dispatch path of whole-body-request.ts.
 */
class UndiciResponse implements HmbTransportResponse {
  readonly status: number;
  private readonly decoder: Transform | undefined;
  private chunks: AsyncIterable<Uint8Array> | undefined;

  constructor(
    private readonly response: Dispatcher.ResponseData,
    private readonly req: HmbTransportRequest,
  ) {
    this.status = response.statusCode;
    this.decoder = contentDecoderFor(response.headers['content-encoding']);
  }

  header(name: string): string | undefined {
    return headerOf(this.response.headers, name);
  }

  /** The body as chunks, bounded after decompression: a compression bomb stops at the limit. */
  get body(): AsyncIterable<Uint8Array> {
    if (this.chunks === undefined) {
      const { method, url, maxBodyBytes } = this.req;
      const fail = (cause: unknown): unknown => undiciFailure(cause, this.req);
      const { body } = this.response;
      const decoder = this.decoder;
      let chunks: AsyncIterable<Uint8Array>;
      if (decoder === undefined) {
        chunks = new ReadableChunks(body, fail);
      } else {
        body.on('error', (error) => decoder.destroy(error));
        body.pipe(decoder);
        chunks = new ReadableChunks(decoder, fail, body);
      }
      this.chunks = boundedChunks(chunks, maxBodyBytes, { method, url });
    }
    return this.chunks;
  }
}
