import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bus } from './bus';
import { sendError } from './http/respond';
import type { HmbServerCore } from './hmb-server-core';

/** One routed request: what every method handler gets. */
export class RequestContext {
  constructor(
    readonly core: HmbServerCore,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly bus: Bus,
    /** Path parts after the method name (e.g. the sid). */
    readonly args: readonly string[],
    /** The client IP (from `X-Forwarded-For` when trusted). */
    readonly ip: string,
    /** `ip:port`, as /status shows it. */
    readonly address: string,
  ) {}

  /** Answers with a protocol error (400 or 503) and reports it to the logger. */
  fail(status: number, message: string, close = false): void {
    if (close) this.res.setHeader('Connection', 'close');
    sendError(this.res, status, message);
    this.core.options.logger({
      type: 'request-error',
      method: this.req.method ?? '',
      path: this.req.url ?? '',
      status,
      message,
      address: this.address,
    });
  }

  /** Whether the request asked for JSON: only the exact `Content-Type: application/json` does. */
  isJson(): boolean {
    return this.req.headers['content-type'] === 'application/json';
  }
}
