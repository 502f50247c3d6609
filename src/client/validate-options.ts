import { HmbBadParamError } from '../errors/bad-param-error';
import { describeGiven } from '../errors/describe-given';
import { openParamsToWire } from '../protocol/open-params-wire';

/**
 * Checks of the options users give at the API boundary (the client constructor, `subscribe`,
 * `events`, `recvAll`, `recvWindow`, `sink`, `send`). Options arrive from plain JavaScript and from
 * configuration files as often as from typed code, and a wrong one must not turn into a bare
 * `TypeError` deep inside, or be quietly replaced by a default: each check names the option, quotes
 * what was given and says what is allowed, as an `HmbBadParamError`.
 *
 * Unknown keys are let through: the Node client adds its own options, and a newer option given to
 * an older hmb-rx is better ignored than fatal.
 */

/** Says what a value must be, or `undefined` when it is fine. */
type Check = (value: unknown) => string | undefined;

/** A table of option name → check; absent (`undefined`) options are never checked. */
type Rules = Readonly<Record<string, Check>>;

const RECEIVE_MODES = ['poll', 'stream', 'auto'] as const;

const oneOf =
  (allowed: readonly string[], hint?: (value: unknown) => string | undefined): Check =>
  (value) => {
    if (typeof value === 'string' && allowed.includes(value)) return undefined;
    const list = allowed.map((a) => `'${a}'`);
    const text = `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]!}`;
    const extra = hint?.(value);
    return extra === undefined ? text : `${text} (${extra})`;
  };

const lowerCaseHint = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== value.toLowerCase() ? 'lower case' : undefined;

const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const isFunction: Check = (v) => (typeof v === 'function' ? undefined : 'a function');
const isNonEmptyString: Check = (v) =>
  typeof v === 'string' && v !== '' ? undefined : 'a non-empty string';

const number =
  (min: number, what: string, integer = false, infinite = false): Check =>
  (v) =>
    typeof v === 'number' &&
    v >= min &&
    (Number.isFinite(v) || (infinite && v === Infinity)) &&
    (!integer || !Number.isFinite(v) || Number.isInteger(v))
      ? undefined
      : what;

const nonNegativeMs = number(0, 'a number of milliseconds >= 0');
const positiveMs = number(1, 'a number of milliseconds >= 1');
const atLeastOneInteger = number(1, 'an integer >= 1', true);

const isTransport: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { request?: unknown }).request === 'function' &&
  typeof (v as { close?: unknown }).close === 'function'
    ? undefined
    : 'an HmbTransport (an object with request() and close())';

const isHeaders: Check = (v) =>
  isPlainObject(v) && Object.values(v).every((h) => typeof h === 'string')
    ? undefined
    : 'an object of header names to string values';

const isScheduler: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { schedule?: unknown }).schedule === 'function' &&
  typeof (v as { now?: unknown }).now === 'function'
    ? undefined
    : 'an RxJS scheduler';

const RETRY_RULES: Rules = {
  initialDelayMs: nonNegativeMs,
  maxDelayMs: nonNegativeMs,
  sessionLimitDelayMs: nonNegativeMs,
  factor: number(1, 'a number >= 1'),
  maxAttempts: number(
    1,
    'an integer >= 1 (attempts, the first one included) or Infinity',
    true,
    true,
  ),
  jitter: oneOf(['full', 'none']),
};

const CURSOR_RULES: Rules = {
  key: isNonEmptyString,
  saveIntervalMs: nonNegativeMs,
  onError: isFunction,
};

const receiveMode = oneOf(RECEIVE_MODES, lowerCaseHint);

const SUBSCRIBE_RULES: Rules = {
  heartbeats: isBoolean,
  onState: isFunction,
  onGap: isFunction,
  onLive: isFunction,
  readTimeoutMs: nonNegativeMs,
  backlogThenLive: isBoolean,
  waitForQueues: isBoolean,
  healGaps: isBoolean,
  demand: isFunction,
  scheduler: isScheduler,
};

const SINK_RULES: Rules = {
  format: oneOf(['json', 'bson'], lowerCaseHint),
  cid: isNonEmptyString,
  ownSession: isBoolean,
  maxBatchMessages: atLeastOneInteger,
  maxBatchBytes: atLeastOneInteger,
  maxBufferedMessages: atLeastOneInteger,
  uncertain: oneOf(['resend', 'report']),
  keepAliveSec: number(0, 'a number of seconds >= 0'),
  scheduler: isScheduler,
};

const CLIENT_RULES: Rules = {
  format: oneOf(['json', 'bson'], lowerCaseHint),
  httpTransport: isTransport,
  headers: isHeaders,
  requestTimeoutMs: positiveMs,
  heartbeat: number(0, 'a whole number of seconds >= 0 (0: no heartbeats)', true),
  recheck: isBoolean,
  maxResponseBytes: atLeastOneInteger,
  maxFrameBytes: atLeastOneInteger,
};

/**
 * Checks the options of `new HmbClient(url, options)`.
 *
 * @throws HmbBadParamError naming the first wrong option.
 */
export function checkClientOptions(options: unknown): void {
  const where = 'new HmbClient';
  if (!isOptionsObject(options, where)) return;
  checkRules(options, CLIENT_RULES, where);
  const { transport, httpTransport } = options as { transport?: unknown; httpTransport?: unknown };
  if (transport !== undefined && typeof transport === 'object' && transport !== null) {
    // The old meaning of `transport` on the client: an HmbTransport. Still understood, because an
    // object cannot be mistaken for a receive mode; with httpTransport as well it is ambiguous.
    fail(isTransport(transport), 'transport', transport, where);
    if (httpTransport !== undefined) {
      throw new HmbBadParamError(
        `${where}: give the HTTP implementation as httpTransport only (transport is the receive mode: 'poll', 'stream' or 'auto'), got both`,
      );
    }
  } else if (transport !== undefined) {
    fail(transportModeCheck(transport), 'transport', transport, where);
  }
  if (options['retry'] !== undefined) checkRetry(options['retry'], `${where}: retry`, false);
  if (options['subscribeDefaults'] !== undefined)
    checkSubscribeOptions(options['subscribeDefaults'], `${where}: subscribeDefaults`);
}

/**
 * Checks the options of one subscription (`subscribe`, `events`, `recvAll`, `recvWindow`).
 *
 * @throws HmbBadParamError naming the first wrong option.
 */
export function checkSubscribeOptions(options: unknown, where: string): void {
  if (!isOptionsObject(options, where)) return;
  checkRules(options, SUBSCRIBE_RULES, where);
  const { transport, retry, cursor } = options as Record<string, unknown>;
  if (transport !== undefined) fail(transportModeCheck(transport), 'transport', transport, where);
  if (retry !== undefined) checkRetry(retry, `${where}: retry`, true);
  if (cursor !== undefined) {
    if (!isPlainObject(cursor)) return failWith('{ store, key }', 'cursor', cursor, where);
    const store = cursor['store'];
    const storeOk =
      typeof store === 'object' &&
      store !== null &&
      typeof (store as { load?: unknown }).load === 'function' &&
      typeof (store as { save?: unknown }).save === 'function';
    if (!storeOk) fail('an HmbCursorStore (load() and save())', 'cursor.store', store, where);
    if (cursor['key'] === undefined) fail('a non-empty string', 'cursor.key', undefined, where);
    checkRules(cursor, CURSOR_RULES, `${where}: cursor`);
  }
}

/**
 * Checks the options of `sink()` and `send()`.
 *
 * @throws HmbBadParamError naming the first wrong option.
 */
export function checkSinkOptions(options: unknown, where: string): void {
  if (!isOptionsObject(options, where)) return;
  checkRules(options, SINK_RULES, where);
  if (options['retry'] !== undefined) checkRetry(options['retry'], `${where}: retry`, false);
  if (options['ownSession'] === false && options['cid'] !== undefined) {
    throw new HmbBadParamError(
      `${where}: a cid belongs to a session of its own: ownSession must not be false with a cid`,
    );
  }
}

/**
 * Checks subscription parameters as a whole: an object with a `queue` object naming at least one
 * queue, and every parameter as /open would send it.
 *
 * @throws HmbBadParamError naming the first wrong parameter.
 */
export function checkSubscribeParams(params: unknown, where: string): void {
  if (!isPlainObject(params)) {
    throw new HmbBadParamError(
      `${where} needs parameters with a queue object, e.g. { queue: { MYQUEUE: {} } }, got ${describeGiven(params)}`,
    );
  }
  const queue = params['queue'];
  if (!isPlainObject(queue)) {
    throw new HmbBadParamError(
      `${where}: queue must be an object mapping queue names to their parameters, e.g. { queue: { MYQUEUE: {} } }, got ${describeGiven(queue)}`,
    );
  }
  if (Object.keys(queue).length === 0)
    throw new HmbBadParamError(`${where} needs at least one queue, got queue: {}`);
  try {
    // The same checks /open makes before anything is sent, so that they come first here too.
    openParamsToWire(params, 'json');
  } catch (error) {
    if (error instanceof HmbBadParamError) {
      throw new HmbBadParamError(`${where}: ${error.message}`, {
        ...(error.queue === undefined ? {} : { queue: error.queue }),
      });
    }
    throw error;
  }
}

function transportModeCheck(value: unknown): string | undefined {
  const problem = receiveMode(value);
  return problem === undefined
    ? undefined
    : `${problem}: the receive mode (an HmbTransport object goes in the client's httpTransport)`;
}

function checkRetry(retry: unknown, where: string, falseAllowed: boolean): void {
  if (retry === false && falseAllowed) return;
  if (!isPlainObject(retry)) {
    const allowed = falseAllowed
      ? 'an object ({ initialDelayMs, maxAttempts, … }) or false'
      : 'an object ({ initialDelayMs, maxAttempts, … })';
    throw new HmbBadParamError(`${where} must be ${allowed}, got ${describeGiven(retry)}`);
  }
  checkRules(retry, RETRY_RULES, where);
}

function isOptionsObject(options: unknown, where: string): options is Record<string, unknown> {
  if (options === undefined) return false;
  if (!isPlainObject(options)) {
    throw new HmbBadParamError(
      `${where}: options must be an object, got ${describeGiven(options)}`,
    );
  }
  return true;
}

function checkRules(options: Record<string, unknown>, rules: Rules, where: string): void {
  // for…in rather than Object.entries: no arrays to allocate on every send() (same order).
  for (const name in rules) {
    const value = options[name];
    if (value !== undefined) fail(rules[name]!(value), name, value, where);
  }
}

function fail(problem: string | undefined, name: string, value: unknown, where: string): void {
  if (problem !== undefined) failWith(problem, name, value, where);
}

function failWith(problem: string, name: string, value: unknown, where: string): never {
  throw new HmbBadParamError(`${where}: ${name} must be ${problem}, got ${describeGiven(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
