import type { HmbServerLogger } from './log-event';

/** Address the embedded bus binds by default (the original listens on every interface). */
export const DEFAULT_HOST = '127.0.0.1';
/** TCP port by default, as the original's `-P`. */
export const DEFAULT_PORT = 8000;
/** Idle time after which a session may be swept, in seconds (`-t`). */
export const DEFAULT_SESSION_TIMEOUT_SEC = 120;
/** Period of the per-bus sweep of idle sessions, in seconds (fixed at one minute in the original). */
export const DEFAULT_SWEEP_INTERVAL_SEC = 60;
/** Sessions per client IP, per bus (`-c`). */
export const DEFAULT_MAX_SESSIONS_PER_IP = 10;
/** Messages kept in RAM per queue (the original's `-b` is 100; 100 reproduces it). */
export const DEFAULT_QUEUE_LIMIT = 100_000;
/** Largest request body, in KB (`-p`). */
export const DEFAULT_MAX_BODY_KB = 10_240;
/** How often the persistence logs are written out and fsynced, in ms. */
export const DEFAULT_FSYNC_INTERVAL_MS = 200;
/** How long a client may take to send a request's headers, in ms (Node's default, kept). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
/** Largest request head (request line and headers), in bytes: Go's `DefaultMaxHeaderBytes`. */
export const MAX_HEADER_BYTES = 1 << 20;
/** Buses one server holds at most; a request naming one more gets 503. */
export const DEFAULT_MAX_BUSES = 1_000;
/** Queues one bus holds at most (ANNOUNCEMENT included); a send creating one more gets 503. */
export const DEFAULT_MAX_QUEUES_PER_BUS = 10_000;
/** How long close() waits for connections to finish before destroying them, in ms (as the original). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Idle keep-alive connections are kept this long, in ms (the original has no idle timeout). */
export const KEEP_ALIVE_TIMEOUT_MS = 600_000;

/**
 * Every default of the embedded bus, with its unit in the name.
 *
 * @example
 * ```ts
 * import { HMB_SERVER_DEFAULTS } from 'hmb-rx/server';
 * console.log(HMB_SERVER_DEFAULTS.queueLimit); // 100000
 * ```
 */
export const HMB_SERVER_DEFAULTS = Object.freeze({
  host: DEFAULT_HOST,
  port: DEFAULT_PORT,
  sessionTimeoutSec: DEFAULT_SESSION_TIMEOUT_SEC,
  sweepIntervalSec: DEFAULT_SWEEP_INTERVAL_SEC,
  maxSessionsPerIp: DEFAULT_MAX_SESSIONS_PER_IP,
  queueLimit: DEFAULT_QUEUE_LIMIT,
  maxBodyKb: DEFAULT_MAX_BODY_KB,
  fsyncIntervalMs: DEFAULT_FSYNC_INTERVAL_MS,
  fsyncOnSend: false,
  headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
  maxBuses: DEFAULT_MAX_BUSES,
  maxQueuesPerBus: DEFAULT_MAX_QUEUES_PER_BUS,
  shutdownGraceMs: DEFAULT_SHUTDOWN_GRACE_MS,
});

/**
 * Options of {@link startHmbServer}. Every one is optional; the defaults are the original
 * httpmsgbus's, except `queueLimit` and the bounds it lacks.
 *
 * @example
 * ```ts
 * import { startHmbServer } from 'hmb-rx/server';
 * const server = await startHmbServer({ port: 0, sessionTimeoutSec: 5, sweepIntervalSec: 1 });
 * console.log(server.url); // e.g. http://127.0.0.1:40213
 * ```
 */
export interface HmbServerOptions {
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; default 8000, `0` for any free port. */
  readonly port?: number;
  /** Idle seconds after which a session may be swept; default 120 (`-t`). */
  readonly sessionTimeoutSec?: number;
  /** Seconds between sweeps of idle sessions, per bus; default 60 as in the original. */
  readonly sweepIntervalSec?: number;
  /** Sessions per client IP, per bus; default 10 (`-c`). */
  readonly maxSessionsPerIp?: number;
  /** Messages kept in RAM per queue; default 100,000 (the original's `-b` is 100). */
  readonly queueLimit?: number;
  /** Largest request body in KB; default 10,240 (`-p`). */
  readonly maxBodyKb?: number;
  /** Directory for the message logs; without it everything lives in RAM only. */
  readonly persistDir?: string;
  /** How often written logs are fsynced, in ms; default 200. */
  readonly fsyncIntervalMs?: number;
  /**
   * fsync the logs before a /send is acknowledged; default false. A 204 always means the
   * messages are written to the files (they survive a crash of the process); this makes them
   * survive a power loss too, at a cost in throughput.
   */
  readonly fsyncOnSend?: boolean;
  /** How long a client may take to send a request's headers, in ms; default 60,000. */
  readonly headersTimeoutMs?: number;
  /** CORS (off by default, like the original): an allowed origin, or `true` for `*`. */
  readonly cors?: string | boolean;
  /** Offer the REGEX capability and accept `$regex` in filters; default false. */
  readonly regex?: boolean;
  /** Take the client IP from `X-Forwarded-For` (`-F`); default false. */
  readonly trustForwardedFor?: boolean;
  /**
   * Buses at most; default 1,000. A request naming a new bus when all are taken frees the least
   * recently used empty one (no session, nothing stored); when none is empty it gets
   * `503 maximum number of buses exceeded`.
   */
  readonly maxBuses?: number;
  /** Queues per bus at most; default 10,000. Past it: `503 maximum number of queues exceeded`. */
  readonly maxQueuesPerBus?: number;
  /** How long close() waits for connections, in ms; default 10,000. */
  readonly shutdownGraceMs?: number;
  /** Receives typed events: sessions opened/expired/evicted, queues created, request errors, … */
  readonly logger?: HmbServerLogger;
}

/** The options with every default filled in and checked. */
export interface ResolvedServerOptions {
  readonly host: string;
  readonly port: number;
  readonly sessionTimeoutMs: number;
  readonly sweepIntervalMs: number;
  readonly maxSessionsPerIp: number;
  readonly queueLimit: number;
  readonly maxBodyBytes: number;
  readonly persistDir: string | undefined;
  readonly fsyncIntervalMs: number;
  readonly fsyncOnSend: boolean;
  readonly headersTimeoutMs: number;
  readonly corsOrigin: string | undefined;
  readonly regex: boolean;
  readonly trustForwardedFor: boolean;
  readonly maxBuses: number;
  readonly maxQueuesPerBus: number;
  readonly shutdownGraceMs: number;
  readonly logger: HmbServerLogger;
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  allowZero = false,
): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new RangeError(
      `hmb-rx server: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(v)}`,
    );
  }
  return v;
}

function integer(name: string, value: number | undefined, fallback: number): number {
  const v = positive(name, value, fallback);
  if (!Number.isInteger(v))
    throw new RangeError(`hmb-rx server: ${name} must be an integer, got ${v}`);
  return v;
}

/** A logger that throws must not break the request it reports on. */
function safeLogger(logger: HmbServerLogger | undefined): HmbServerLogger {
  if (logger === undefined) return () => undefined;
  return (event) => {
    try {
      logger(event);
    } catch {
      // Logging is best effort.
    }
  };
}

/** Fills in defaults and checks every option. */
export function resolveServerOptions(options: HmbServerOptions = {}): ResolvedServerOptions {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`hmb-rx server: port must be an integer from 0 to 65535, got ${port}`);
  }
  const cors = options.cors ?? false;
  return {
    host: options.host ?? DEFAULT_HOST,
    port,
    sessionTimeoutMs:
      positive('sessionTimeoutSec', options.sessionTimeoutSec, DEFAULT_SESSION_TIMEOUT_SEC, true) *
      1000,
    sweepIntervalMs:
      positive('sweepIntervalSec', options.sweepIntervalSec, DEFAULT_SWEEP_INTERVAL_SEC) * 1000,
    maxSessionsPerIp: integer(
      'maxSessionsPerIp',
      options.maxSessionsPerIp,
      DEFAULT_MAX_SESSIONS_PER_IP,
    ),
    queueLimit: integer('queueLimit', options.queueLimit, DEFAULT_QUEUE_LIMIT),
    maxBodyBytes: Math.floor(positive('maxBodyKb', options.maxBodyKb, DEFAULT_MAX_BODY_KB) * 1024),
    persistDir: options.persistDir,
    fsyncIntervalMs: positive(
      'fsyncIntervalMs',
      options.fsyncIntervalMs,
      DEFAULT_FSYNC_INTERVAL_MS,
    ),
    fsyncOnSend: options.fsyncOnSend ?? false,
    headersTimeoutMs: positive(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      DEFAULT_HEADERS_TIMEOUT_MS,
    ),
    corsOrigin: cors === true ? '*' : cors === false || cors === '' ? undefined : cors,
    regex: options.regex ?? false,
    trustForwardedFor: options.trustForwardedFor ?? false,
    maxBuses: integer('maxBuses', options.maxBuses, DEFAULT_MAX_BUSES),
    maxQueuesPerBus: integer(
      'maxQueuesPerBus',
      options.maxQueuesPerBus,
      DEFAULT_MAX_QUEUES_PER_BUS,
    ),
    shutdownGraceMs: positive(
      'shutdownGraceMs',
      options.shutdownGraceMs,
      DEFAULT_SHUTDOWN_GRACE_MS,
      true,
    ),
    logger: safeLogger(options.logger),
  };
}
