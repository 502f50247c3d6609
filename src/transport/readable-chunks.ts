import { finished, type Readable } from 'node:stream';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The chunks of a Node byte stream as an async iterator, written out rather than taken from the
 * stream's own `Symbol.asyncIterator` (an async generator) under a generator of ours. undici pushes
 * a /stream body in pieces of about 2 KiB (the server's flushes); each `read()` here takes what has
 * gathered since the last one, and each generator layer cost every chunk promises, a resumption
 * and garbage: stream BSON 1 KiB went from 0.90× to 0.99× of the raw reader without them
 * (docs/benchmarks.md, §1, "fourth pass").
 *
 * Errors pass through `failure` (the transport's typed error for them). Leaving early (`return`,
 * as `for await … break` does) destroys the stream, so its socket is freed rather than left half
 * read; so does reading to an error. A stream that closes before its end fails as cut short.
 */
export class ReadableChunks implements AsyncIterableIterator<Uint8Array> {
  private error: unknown;
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly stopWatching: () => void;

  /**
   * @param stream - the stream to read.
   * @param failure - what to reject with for an error of the stream.
   * @param source - a stream `stream` is piped from (a compressed body under its decoder), destroyed
   *   with it.
   */
  constructor(
    private readonly stream: Readable,
    private readonly failure: (cause: unknown) => unknown,
    private readonly source?: Readable,
  ) {
    stream.on('readable', this.onReadable);
    // `finished` also reports a stream that closed before its end (a cut connection).
    this.stopWatching = finished(stream, { writable: false }, (error) => {
      if (error === undefined || error === null) this.ended = true;
      else if (this.error === undefined) this.error = this.failure(error);
      this.onReadable();
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.read();
    if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk });
    if (this.error !== undefined) return this.fail();
    if (this.ended) return this.finish();
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => this.next());
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    return this.finish();
  }

  private read(): Uint8Array | undefined {
    if (this.stream.destroyed) return undefined;
    return (this.stream.read() as Uint8Array | null) ?? undefined;
  }

  private readonly onReadable = (): void => {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  };

  private fail(): Promise<IteratorResult<Uint8Array>> {
    const error = this.error;
    void this.finish();
    return Promise.reject(error);
  }

  private finish(): Promise<IteratorResult<Uint8Array>> {
    this.stream.off('readable', this.onReadable);
    this.stopWatching();
    if (!this.stream.destroyed) this.stream.destroy();
    if (this.source !== undefined && !this.source.destroyed) this.source.destroy();
    return Promise.resolve(DONE);
  }
}
