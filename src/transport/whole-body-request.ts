import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import type { Dispatcher } from 'undici';
import { abortRelayOf, type HmbAbortRelay } from './abort-relay';
import { declaredOver, responseTooLarge } from './body-limit';
import { contentDecoderFor } from './content-decoder';
import { headerOf } from './header-of';
import type { HmbTransportRequest, HmbTransportResponse } from './transport';
import { undiciFailure } from './undici-failure';

const EMPTY = new Uint8Array(0);

/**
 * One request whose body is read whole, sent with undici's `dispatch`: a handler of ours gathers
 * the body's chunks as undici parses them. undici's `request()` hands every body out as a Node
 * Readable, whose construction, buffering and events (then a `dump()` or a read to the end) cost
 * a one-message /send more CPU than the rest of the exchange: 44 µs against 68 µs per send in
 * the same run (docs/benchmarks.md §5, fifth pass). Resolves when the response head has arrived,
 * as `HmbTransport.request` does; `bytes()` then resolves when the body is complete.
 */
export function requestWhole(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  req: HmbTransportRequest,
): Promise<HmbTransportResponse> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new WholeBodyHandler(req, resolve, reject));
  });
}

/** How the body ended: its bytes, or the error reading it failed with. */
type Outcome = { readonly bytes: Uint8Array } | { readonly error: unknown };

/**
 * The dispatch handler: reports the head, gathers the body (through a decompressor when the server
 * or a proxy compressed it), bounds it, and settles it once.
 */
class WholeBodyHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private response: WholeResponse | undefined;
  private chunks: Uint8Array[] = [];
  private total = 0;
  private decoder: Transform | undefined;
  private outcome: Outcome | undefined;
  /** Callers of `bytes()` before the outcome was known. */
  private waiting: ((outcome: Outcome) => void)[] = [];

  /** Aborting the request's signal aborts the request, head or body, with the signal's reason. */
  private readonly signal: HmbAbortRelay;

  constructor(
    private readonly req: HmbTransportRequest,
    private readonly resolveHead: (response: HmbTransportResponse) => void,
    private readonly rejectHead: (error: unknown) => void,
  ) {
    this.signal = abortRelayOf(req.signal);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // undici may start a request again after a failure at the head of a pipeline.
    this.signal.removeListener('abort', this.onAbort);
    this.controller = controller;
    if (this.signal.aborted) controller.abort(this.signal.reason as Error);
    else this.signal.once('abort', this.onAbort);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    // 1xx heads (100 Continue) come before the real one.
    if (statusCode < 200) return;
    this.response = new WholeResponse(statusCode, headers, this);
    this.resolveHead(this.response);
    const limit = this.req.maxBodyBytes;
    const decoder = contentDecoderFor(headers['content-encoding']);
    if (decoder === undefined) {
      const length = headers['content-length'];
      // A body announced over the limit fails before any of it is read.
      if (limit !== undefined && declaredOver(Array.isArray(length) ? length[0] : length, limit))
        this.failBody(responseTooLarge(limit, this.req));
      return;
    }
    this.decoder = decoder;
    decoder.on('data', (chunk: Uint8Array) => this.take(chunk));
    decoder.on('end', () => this.settle({ bytes: this.gathered() }));
    decoder.on('error', (error) => this.failBody(error));
    // The decompressor's backlog holds the network back, as piping would.
    decoder.on('drain', () => this.controller?.resume());
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Uint8Array): void {
    if (this.outcome !== undefined) return;
    if (this.decoder === undefined) this.take(chunk);
    else if (!this.decoder.write(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.signal.removeListener('abort', this.onAbort);
    if (this.decoder === undefined) this.settle({ bytes: this.gathered() });
    else this.decoder.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.signal.removeListener('abort', this.onAbort);
    this.decoder?.destroy();
    if (this.response === undefined) this.rejectHead(undiciFailure(error, this.req));
    else this.settle({ error: undiciFailure(error, this.req) });
  }

  /** The body once it has settled. */
  bytes(): Promise<Uint8Array> {
    const outcome = this.outcome;
    if (outcome !== undefined) return settled(outcome);
    return new Promise<Outcome>((resolve) => this.waiting.push(resolve)).then(settled);
  }

  private readonly onAbort = (): void => {
    this.controller?.abort(this.signal.reason as Error);
  };

  /** A chunk of the (decompressed) body, bounded: past the limit the request is aborted. */
  private take(chunk: Uint8Array): void {
    if (this.outcome !== undefined) return;
    this.total += chunk.length;
    const limit = this.req.maxBodyBytes;
    if (limit !== undefined && this.total > limit) {
      this.failBody(responseTooLarge(limit, this.req));
      return;
    }
    this.chunks.push(chunk);
  }

  /**
   * A failure of the bound or of the decompressor: the body fails with it, and a request still
   * running is aborted, which releases its connection rather than reading the rest.
   */
  private failBody(error: unknown): void {
    if (this.outcome !== undefined) return;
    this.signal.removeListener('abort', this.onAbort);
    this.decoder?.destroy();
    this.settle({ error: undiciFailure(error, this.req) });
    const controller = this.controller;
    if (controller !== undefined && !controller.aborted) controller.abort(error as Error);
  }

  private gathered(): Uint8Array {
    const { chunks, total } = this;
    this.chunks = [];
    if (total === 0) return EMPTY;
    // A Buffer, not a zero-filled Uint8Array: js-bson reads Buffers without wrapping them.
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  }

  private settle(outcome: Outcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(outcome);
  }
}

function settled(outcome: Outcome): Promise<Uint8Array> {
  return 'bytes' in outcome ? Promise.resolve(outcome.bytes) : Promise.reject(outcome.error);
}

/** A response read whole: `bytes()` is the way to read it; `body` yields the same bytes. */
class WholeResponse implements HmbTransportResponse {
  constructor(
    readonly status: number,
    private readonly headers: IncomingHttpHeaders,
    private readonly handler: WholeBodyHandler,
  ) {}

  header(name: string): string | undefined {
    return headerOf(this.headers, name);
  }

  bytes(): Promise<Uint8Array> {
    return this.handler.bytes();
  }

  get body(): AsyncIterable<Uint8Array> {
    return oneChunk(this.handler.bytes());
  }
}

async function* oneChunk(bytes: Promise<Uint8Array>): AsyncGenerator<Uint8Array> {
  const whole = await bytes;
  if (whole.length > 0) yield whole;
}
