/**
 * Every error code hmb-rx raises. Each one is listed with its meaning in docs/errors.md.
 */
export type HmbErrorCode =
  | 'HMB_ERR_HTTP'
  | 'HMB_ERR_SESSION_LOST'
  | 'HMB_ERR_SESSION_LIMIT'
  | 'HMB_ERR_QUEUE'
  | 'HMB_ERR_QUEUE_NOT_FOUND'
  | 'HMB_ERR_DECODE'
  | 'HMB_ERR_INVALID_DATA'
  | 'HMB_ERR_TIMEOUT'
  | 'HMB_ERR_NETWORK'
  | 'HMB_ERR_TLS'
  | 'HMB_ERR_BAD_PARAM'
  | 'HMB_ERR_FILTER'
  | 'HMB_ERR_INVALID_MESSAGE'
  | 'HMB_ERR_SEND'
  | 'HMB_ERR_BUFFER_FULL'
  | 'HMB_ERR_PROTOCOL'
  | 'HMB_ERR_TOO_LARGE'
  | 'HMB_ERR_CLOSED'
  | 'HMB_ERR_EMSC';

/**
 * Where an error happened: the facts a user needs to act on it. Every field is optional because
 * not every error has a bus, a session or an HTTP exchange behind it.
 */
export interface HmbErrorContext {
  /** The bus URL, e.g. `http://127.0.0.1:8000/test`. */
  readonly bus?: string;
  /** The HMB session id the request used. */
  readonly sid?: string;
  /** The queue concerned. */
  readonly queue?: string;
  /** The sequence number concerned. */
  readonly seq?: number;
  /** The HTTP method and full URL of the failed request. */
  readonly method?: string;
  readonly url?: string;
  /** The HTTP status of the failed response. */
  readonly status?: number;
  /** The start of the response body as text (markup stripped; see `bodyExcerpt`). */
  readonly body?: string;
}

/** Constructor options shared by every hmb-rx error. */
export interface HmbErrorOptions extends HmbErrorContext {
  /** The underlying failure (a socket error, a parse error, …). */
  readonly cause?: unknown;
}

// A global symbol rather than `instanceof`, so that isHmbError() also recognises errors thrown by
// a second copy of the package (e.g. the CJS and ESM builds loaded side by side).
const HMB_ERROR_BRAND = Symbol.for('hmb-rx.error');

/**
 * The base class of every error hmb-rx raises. Match on {@link HmbError.code} (stable across
 * versions) rather than on the message text.
 *
 * @example
 * ```ts
 * import { isHmbError } from 'hmb-rx';
 * client.subscribe(params).subscribe({
 *   error: (err) => {
 *     if (isHmbError(err) && err.code === 'HMB_ERR_QUEUE_NOT_FOUND') console.log('no such queue', err.queue);
 *   },
 * });
 * ```
 */
export abstract class HmbError extends Error implements HmbErrorContext {
  /** The stable, machine-readable error code. */
  abstract readonly code: HmbErrorCode;
  declare readonly bus?: string;
  declare readonly sid?: string;
  declare readonly queue?: string;
  declare readonly seq?: number;
  declare readonly method?: string;
  declare readonly url?: string;
  declare readonly status?: number;
  declare readonly body?: string;

  protected constructor(message: string, options: HmbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const { cause: _cause, ...context } = options;
    for (const [key, value] of Object.entries(context)) {
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
    }
    Object.defineProperty(this, HMB_ERROR_BRAND, { value: true });
  }

  /**
   * The class name, e.g. `'HmbNetworkError'`. Each subclass returns it as a literal rather than
   * `this.constructor.name`, which a minifier shortens to a letter.
   */
  override get name(): string {
    return 'HmbError';
  }
}

/**
 * Tells whether a value is an error raised by hmb-rx (from any copy of the package), optionally
 * with a given code.
 *
 * @example
 * ```ts
 * if (isHmbError(err, 'HMB_ERR_SESSION_LOST')) reopen();
 * ```
 */
export function isHmbError(value: unknown, code?: HmbErrorCode): value is HmbError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[HMB_ERROR_BRAND] !== true) return false;
  return code === undefined || (value as HmbError).code === code;
}
