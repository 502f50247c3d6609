import type { HmbError } from '../errors/hmb-error';
import { HmbTimeoutError } from '../errors/timeout-error';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../transport/body-limit';
import { readResponseBody, type HmbTransportRequest } from '../transport/transport';
import { abortAfter } from './abort-after';
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
  // Built only for an error: most exchanges succeed, and every object made per /send counts.
  const context = (): HmbExchangeContext => errorContext(ctx, spec);
  const onTimeout = (): HmbTimeoutError =>
    new HmbTimeoutError(`no answer within ${timeoutMs} ms: ${method} ${url}`, context());
  const limited = timeoutMs > 0 && Number.isFinite(timeoutMs);
  // A transport that keeps timers of its own is given the deadline; otherwise the request gets a
  // signal that fires at it.
  const from = ctx.transport.timeoutsFromMs;
  const native = from !== undefined && timeoutMs >= from;
  const timed = native || !limited ? undefined : abortAfter(spec.signal, timeoutMs, onTimeout);
  const signal = timed?.signal ?? spec.signal;
  try {
    const request: HmbTransportRequest = {
      method,
      url,
      headers: requestHeaders(ctx.headers, spec.contentType),
      signal,
      maxBodyBytes: ctx.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      whole: true,
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
        context(),
        spec.badRequestIsParam ?? false,
      ) as HmbError;
    }
    return { status: response.status, contentType: response.header('content-type'), bytes };
  } catch (error) {
    // The transport rejects with the abort reason: our own timeout error, or the caller's reason.
    throw signal.aborted ? signal.reason : error;
  } finally {
    timed?.clear();
  }
}

type HmbExchangeContext = {
  readonly bus: string;
  readonly method: string;
  readonly url: string;
  readonly sid?: string;
};

/** What an error of this exchange says about it. */
function errorContext(ctx: HmbSessionContext, spec: HmbExchangeSpec): HmbExchangeContext {
  const { method, url, sid } = spec;
  return { bus: ctx.endpoint.busUrl, method, url, ...(sid === undefined ? {} : { sid }) };
}

/**
 * The context's headers with the request's Content-Type: one object per pair, reused, since a
 * transport may keep what it derives from them (the undici one adds its Accept-Encoding once).
 */
const headerCache = new WeakMap<
  Readonly<Record<string, string>>,
  Map<string, Record<string, string>>
>();

function requestHeaders(
  base: Readonly<Record<string, string>>,
  contentType: string | undefined,
): Readonly<Record<string, string>> {
  let byType = headerCache.get(base);
  if (byType === undefined) headerCache.set(base, (byType = new Map()));
  const key = contentType ?? '';
  let headers = byType.get(key);
  if (headers === undefined) {
    headers = contentType === undefined ? { ...base } : { ...base, 'content-type': contentType };
    byType.set(key, headers);
  }
  return headers;
}

/** Decodes UTF-8 bytes. */
export function utf8Text(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
