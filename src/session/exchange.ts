import type { HmbError } from '../errors/hmb-error';
import { HmbTimeoutError } from '../errors/timeout-error';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../transport/body-limit';
import { readResponseBody, type HmbTransportRequest } from '../transport/transport';
import { abortAfter, untimed } from './abort-after';
import { httpFailure } from './http-failure';
import type { HmbSessionContext } from './session-context';

/** One request/response with a body read in full. */
export interface HmbExchangeSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: Uint8Array | string;
  readonly contentType?: string;
  readonly signal: AbortSignal;
  /** Overrides the context's request timeout; `0` for none (long polls). */
  readonly timeoutMs?: number;
  /** The session id, for error context. */
  readonly sid?: string;
  /** Whether a `400` means "your request is wrong" (/open, /send) — see {@link httpFailure}. */
  readonly badRequestIsParam?: boolean;
}

/** A successful (2xx) answer. */
export interface HmbExchangeResult {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly bytes: Uint8Array;
}

const utf8 = new TextDecoder();

/**
 * Sends one request and reads the whole answer, under the context's timeout. A non-2xx answer is
 * turned into its typed error ({@link httpFailure}); a timeout into `HmbTimeoutError`; an abort by
 * the caller rejects with the caller's reason.
 */
export async function exchange(
  ctx: HmbSessionContext,
  spec: HmbExchangeSpec,
): Promise<HmbExchangeResult> {
  const { method, url } = spec;
  const timeoutMs = spec.timeoutMs ?? ctx.requestTimeoutMs;
  const context = {
    bus: ctx.endpoint.busUrl,
    method,
    url,
    ...(spec.sid === undefined ? {} : { sid: spec.sid }),
  };
  const onTimeout = (): HmbTimeoutError =>
    new HmbTimeoutError(`no answer within ${timeoutMs} ms: ${method} ${url}`, context);
  const limited = timeoutMs > 0 && Number.isFinite(timeoutMs);
  // A transport that keeps timers of its own is given the deadline; otherwise the request gets a
  // signal that fires at it.
  const from = ctx.transport.timeoutsFromMs;
  const native = from !== undefined && timeoutMs >= from;
  const timed =
    native || !limited ? untimed(spec.signal) : abortAfter(spec.signal, timeoutMs, onTimeout);
  try {
    const headers: Record<string, string> = { ...ctx.headers };
    if (spec.contentType !== undefined) headers['content-type'] = spec.contentType;
    const maxBodyBytes = ctx.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const request: HmbTransportRequest = {
      method,
      url,
      headers,
      signal: timed.signal,
      maxBodyBytes,
      ...(native && limited ? { timeout: { ms: timeoutMs, error: onTimeout } } : {}),
      ...(spec.body === undefined ? {} : { body: spec.body }),
    };
    const response = await ctx.transport.request(request);
    // Bounded by the request's maxBodyBytes.
    const bytes = await readResponseBody(response);
    if (response.status < 200 || response.status > 299) {
      throw httpFailure(
        response.status,
        utf8.decode(bytes),
        context,
        spec.badRequestIsParam ?? false,
      ) as HmbError;
    }
    return { status: response.status, contentType: response.header('content-type'), bytes };
  } catch (error) {
    // The transport rejects with the abort reason: our own timeout error, or the caller's reason.
    throw timed.signal.aborted ? timed.signal.reason : error;
  } finally {
    timed.clear();
  }
}

/** Decodes UTF-8 bytes. */
export function utf8Text(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
