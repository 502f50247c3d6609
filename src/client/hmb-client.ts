import { defer, lastValueFrom, map, Observable, reduce, type Subscriber } from 'rxjs';
import { retryWithBackoff, type HmbRetryConfig } from '../session/retry-with-backoff';
import type { HmbFeatures, HmbInfo, HmbStatus } from '../protocol/bus-info';
import { featuresFromWire, infoFromWire, statusFromWire } from '../protocol/bus-info-wire';
import type { HmbHeartbeat, HmbMessage } from '../protocol/message';
import type { HmbQueueParams } from '../protocol/open-params';
import { compileFilter, type HmbFilterPredicate } from '../protocol/filter/index';
import { compileTopicPatterns } from '../protocol/topic-pattern';
import { batchSourceFor, type HmbReceiveMode } from '../session/batch-source';
import { parseBusEndpoint } from '../session/bus-endpoint';
import type { HmbConnectionState } from '../session/connection-state';
import { ConnectionStateMachine, PROGRESS } from '../session/connection-state-machine';
import { DemandGate } from '../session/demand-gate';
import { fromAbortable } from '../session/from-abortable';
import { getJson } from '../session/get-json';
import type { HmbEvent } from '../session/hmb-event';
import { receiveAttempt } from '../session/receive-attempt';
import type { HmbSessionContext } from '../session/session-context';
import { SubscriptionCursor, type HmbMessageCheck } from '../session/subscription-cursor';
import type { HmbSubscribeParams } from '../protocol/open-params';
import type { HmbOutgoing } from '../protocol/outgoing';
import { checkSendable } from '../protocol/outgoing-wire';
import { HmbClosedError } from '../errors/closed-error';
import { HmbSink } from '../sink/hmb-sink';
import { encodeAsOneBatch } from '../sink/encode-as-one-batch';
import {
  batchSenderFor,
  sendBatch,
  sendBatchNow,
  UNWATCHED,
  type HmbBatchSender,
} from '../sink/send-batch';
import type { HmbSendBatch } from '../protocol/send-batch';
import { HmbPublishingSession, publishingSessionFor } from '../sink/publishing-session';
import type { HmbSendReceipt } from '../sink/send-receipt';
import type { HmbSendResult } from '../sink/send-result';
import { DEFAULT_SINK_ATTEMPTS, type HmbSinkOptions } from '../sink/sink-options';
import { FetchTransport } from '../transport/fetch-transport';
import type { HmbTransport } from '../transport/transport';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HmbClientOptions,
  type HmbSubscribeOptions,
} from './client-options';
import { explainSessionLimit } from './session-budget';
import { deliverEveryEvent, routeMessagesAndCallbacks } from './subscription-delivery';
import {
  planSubscription,
  type HmbSubscribeMethod,
  type HmbSubscriptionPlan,
} from './subscription-plan';
import { resumeAfterFailures, subscriptionRetry } from './subscription-retry';
import { deadLinkWatchdog, silenceLimitMs } from './subscription-watchdog';
import { CursorPersistence } from '../cursor/cursor-persistence';
import { checkClientOptions, checkSinkOptions } from './validate-options';

/** Attempts of one batch of {@link HmbClient.send} (the first one included) before it fails. */
export const DEFAULT_SEND_ATTEMPTS = 5;

/** Attempts of one-shot calls (/info, /features, /status), the first one included, before their error is passed on. */
export const DEFAULT_ONE_SHOT_ATTEMPTS = 3;

/**
 * A client of one HMB bus. Receiving methods return cold Observables: nothing happens until you
 * subscribe, each subscription opens its own session, and unsubscribing aborts every request in
 * flight. Publishing shares one session per client: `send`/`sendMsg` start at once and return a
 * Promise; `send$`/`sendMsg$` are their cold Observable forms; `sink()` publishes a stream.
 *
 * @example
 * ```ts
 * import { HmbClient } from 'hmb-rx';
 * const client = new HmbClient('http://127.0.0.1:8000/test', { format: 'bson' });
 * client
 *   .subscribe({ queue: { SYSTEM_ALERT: { seq: -5, topics: ['*'] } } })
 *   .subscribe((m) => console.log(m.seq, m.type, m.data));
 * ```
 */
export class HmbClient {
  /** The bus URL, without credentials or trailing slash. */
  readonly busUrl: string;
  /** The client's options, as given. */
  readonly options: HmbClientOptions;
  /** What every session-level call of this client uses. */
  protected readonly context: HmbSessionContext;
  /** The session that sends and sinks publish on (see {@link HmbPublishingSession}). */
  private readonly publisher: HmbPublishingSession;
  /** The receive mode of subscriptions that name none. */
  private readonly receiveMode: HmbReceiveMode;
  /** Subscriptions of this client whose session is open now (for the session-cap error). */
  private openSubscriptionSessions = 0;
  /**
   * Aborted by {@link HmbClient.close}: the one signal of every `send()` request, which no caller
   * can cancel otherwise (a per-request controller cost a one-message send a measurable share of
   * its time).
   */
  private readonly closing = new AbortController();
  private defaultBatchSender: HmbBatchSender | undefined;

  /**
   * @param busUrl - `http(s)://host:port/bus` (a path prefix before the bus name is kept; credentials
   *   in the URL become an Authorization header).
   * @throws HmbBadParamError for an invalid URL or option, naming it and what was given.
   */
  constructor(busUrl: string, options: HmbClientOptions = {}) {
    checkClientOptions(options);
    const endpoint = parseBusEndpoint(busUrl);
    this.busUrl = endpoint.busUrl;
    this.options = options;
    const headers: Record<string, string> = {};
    if (endpoint.authorization !== undefined) headers['authorization'] = endpoint.authorization;
    for (const [name, value] of Object.entries(options.headers ?? {}))
      headers[name.toLowerCase()] = value;
    // `transport` names the receive mode; an HmbTransport object there is its former meaning.
    const legacyHttp = typeof options.transport === 'object' ? options.transport : undefined;
    this.receiveMode = typeof options.transport === 'string' ? options.transport : 'poll';
    this.context = {
      transport:
        options.httpTransport ??
        legacyHttp ??
        (this.constructor as typeof HmbClient).defaultTransport(options),
      endpoint,
      format: options.format ?? 'json',
      headers,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      ...(options.maxResponseBytes === undefined
        ? {}
        : { maxResponseBytes: options.maxResponseBytes }),
      ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }),
    };
    this.publisher = new HmbPublishingSession(this.context);
  }

  /** The transport used when the options name none: `fetch` here, undici in the Node entry point. */
  protected static defaultTransport(_options: HmbClientOptions): HmbTransport {
    return new FetchTransport();
  }

  /**
   * Everything a subscription sees, as events: messages, heartbeats, gaps, connection states,
   * `live` (backlog drained) and EOF. The stream survives transient failures (reconnecting from the
   * last delivered seq of every queue), completes after EOF, and errors only on a fatal problem.
   *
   * @example
   * ```ts
   * client.events({ queue: { Q: {} } }).subscribe((e) => {
   *   if (e.kind === 'state') statusBar.show(e.state.type);
   * });
   * ```
   */
  events<T = unknown>(
    params: HmbSubscribeParams,
    options: HmbSubscribeOptions = {},
  ): Observable<HmbEvent<T>> {
    return this.eventStream(params, options, 'events') as Observable<HmbEvent<T>>;
  }

  /**
   * Subscribes to queues of the bus. Cold: each subscription opens its own session. Heartbeats are
   * filtered out unless `heartbeats: true`. With `keep: false` on every queue, completes at EOF.
   * Transient failures are retried with backoff and resumed without loss or duplicates; fatal ones
   * (a queue that does not exist, invalid parameters) error the Observable with a typed error.
   *
   * @example
   * ```ts
   * client
   *   .subscribe<{ magnitude: number }>({ queue: { SYSTEM_ALERT: { seq: -5 } }, heartbeat: 10 })
   *   .pipe(filter((m) => (m.data?.magnitude ?? 0) >= 5))
   *   .subscribe((m) => console.log(m.seq, m.data));
   * ```
   */
  subscribe<T = unknown>(
    params: HmbSubscribeParams,
    options: HmbSubscribeOptions & { readonly heartbeats: true },
  ): Observable<HmbMessage<T> | HmbHeartbeat>;
  subscribe<T = unknown>(
    params: HmbSubscribeParams,
    options?: HmbSubscribeOptions & { readonly heartbeats?: false },
  ): Observable<HmbMessage<T>>;
  subscribe<T = unknown>(
    params: HmbSubscribeParams,
    options: HmbSubscribeOptions,
  ): Observable<HmbMessage<T> | HmbHeartbeat>;
  subscribe<T = unknown>(
    params: HmbSubscribeParams,
    options: HmbSubscribeOptions = {},
  ): Observable<HmbMessage<T> | HmbHeartbeat> {
    return this.eventStream(params, options, 'subscribe') as Observable<
      HmbMessage<T> | HmbHeartbeat
    >;
  }

  /**
   * Reads a bounded window and completes at EOF, like the Python client's `recv_all`: every queue
   * is opened with `keep: false` (and its `endseq`/`endtime`, if given). A bounded read ends also
   * when the bus stays down: after {@link DEFAULT_RECV_ALL_ATTEMPTS} attempts in a row (unless
   * `retry.maxAttempts` says otherwise) it errors with the last error.
   *
   * @example
   * ```ts
   * const alerts = await lastValueFrom(
   *   client.recvAll({ queue: { SYSTEM_ALERT: { seq: -25, endseq: 1040 } } }).pipe(toArray()),
   * );
   * ```
   */
  recvAll<T = unknown>(
    params: HmbSubscribeParams,
    options: HmbSubscribeOptions = {},
  ): Observable<HmbMessage<T>> {
    // The plan checks the parameters, then reads each queue to its end (`keep: false`).
    return this.eventStream(params, options, 'recvAll') as Observable<HmbMessage<T>>;
  }

  /** The bus's queues with their seq and time ranges (GET /info): one value, then complete. */
  info(): Observable<HmbInfo> {
    return this.oneShot(async (signal) =>
      infoFromWire(await getJson(this.context, 'info', signal)),
    );
  }

  /** The server's software and capabilities (GET /features): one value, then complete. */
  features(): Observable<HmbFeatures> {
    return this.oneShot(async (signal) =>
      featuresFromWire(await getJson(this.context, 'features', signal)),
    );
  }

  /** Every session of the bus (GET /status): one value, then complete. */
  status(): Observable<HmbStatus> {
    return this.oneShot(async (signal) =>
      statusFromWire(await getJson(this.context, 'status', signal)),
    );
  }

  /**
   * A sink for publishing: an RxJS Observer with batching, ordering, retries and results. It
   * sends on the client's publishing session unless `ownSession` (or a `cid`) asks for its own.
   *
   * @throws HmbBadParamError for an invalid option.
   *
   * @example
   * ```ts
   * const sink = client.sink<{ magnitude: number }>();
   * from(alerts).pipe(map((a) => ({ type: 'SYSTEM_ALERT', queue: 'SYSTEM_ALERT', data: a }))).subscribe(sink);
   * console.log(await sink.done); // { sent: 3, failed: 0, … }
   * ```
   */
  sink<T = unknown>(options: HmbSinkOptions = {}): HmbSink<T> {
    // A sink is an Observer, not an Observable: there is no error channel yet, so it throws.
    checkSinkOptions(options, 'sink');
    return this.newSink<T>(options, DEFAULT_SINK_ATTEMPTS);
  }

  /**
   * Sends one message or several, at once (no need to subscribe), like the Python client's
   * `send`: the messages go out in batches on the client's publishing session, with retries
   * (5 attempts per batch unless `retry.maxAttempts` says otherwise).
   * Every message is checked before anything is sent.
   *
   * @returns a Promise of how many messages the server confirmed. It rejects with
   *   `HmbInvalidMessageError` (an invalid message: nothing was sent), `HmbBadParamError` (an
   *   invalid option), or `HmbSendError` (a batch the server refused or that could not be
   *   confirmed). For composition in a pipeline use the cold {@link HmbClient.send$}.
   *
   * @example
   * ```ts
   * const { sent } = await client.send([{ type: 'TEST', queue: 'myqueue', data: { msg: 'hello' } }]);
   * ```
   */
  send<T = unknown>(
    messages: HmbOutgoing<T> | readonly HmbOutgoing<T>[],
    options: HmbSinkOptions = {},
  ): Promise<HmbSendReceipt> {
    let checked: HmbCheckedSend<T>;
    try {
      checked = this.checkSend(messages, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const start: HmbSendReceipt = { sent: 0, uncertain: 0, batches: 0 };
    if (checked.whole !== undefined) {
      // One body: its one result is the receipt. Nothing can cancel a Promise, so the attempts
      // run under the client's own signal (aborted by close()) rather than one of their own.
      return sendBatchNow(checked.whole, this.batchSender(options), this.closing.signal).then(
        (result) => {
          if (result.kind !== 'sent') throw result.error;
          return addToReceipt(start, result);
        },
      );
    }
    return lastValueFrom(
      this.sendInSink$(checked.list, options).pipe(reduce(addToReceipt<T>, start)),
    );
  }

  /**
   * The cold Observable form of {@link HmbClient.send}, for composition: subscribing sends (on the
   * client's publishing session), each batch's `sent` result is emitted, then it completes; a
   * failed batch errors it. Unsubscribing aborts what is not sent yet.
   *
   * @example
   * ```ts
   * alerts$.pipe(concatMap((a) => client.send$({ type: 'ALERT', queue: 'A', data: a })));
   * ```
   */
  send$<T = unknown>(
    messages: HmbOutgoing<T> | readonly HmbOutgoing<T>[],
    options: HmbSinkOptions = {},
  ): Observable<HmbSendResult<T>> {
    return defer(() => {
      // Every message is checked before any is sent (an error notification otherwise).
      const { whole, list } = this.checkSend(messages, options);
      if (whole === undefined) return this.sendInSink$(list, options);
      // The common case (one message, or a few): checked and encoded in one pass, one /send on
      // the publishing session with the sink's retries, and no sink to set up and wind down.
      return sendBatch(whole, this.batchSender(options)).pipe(
        map((result: HmbSendResult<T>) => {
          if (result.kind !== 'sent') throw result.error;
          return result;
        }),
      );
    });
  }

  /**
   * Messages already checked, sent by a sink in as many batches as they need, in order: each
   * batch's `sent` result, then complete; a failed batch errors it. Unsubscribing aborts the sink.
   */
  private sendInSink$<T>(
    list: readonly HmbOutgoing<T>[],
    options: HmbSinkOptions,
  ): Observable<HmbSendResult<T>> {
    return new Observable<HmbSendResult<T>>((subscriber) => {
      const sink = this.newSink<T>({ keepAliveSec: 0, ...options }, DEFAULT_SEND_ATTEMPTS);
      const results = sink.results.subscribe((result) => {
        if (result.kind === 'sent') subscriber.next(result);
        else subscriber.error(result.error);
      });
      sink.done.then(
        () => subscriber.complete(),
        () => undefined,
      );
      for (const m of list) sink.nextChecked(m);
      sink.complete();
      return () => {
        results.unsubscribe();
        sink.abort();
      };
    });
  }

  /**
   * The options and messages of a `send` checked: the messages encoded as one body when they fit
   * one (`whole`), otherwise each message checked and none encoded yet.
   *
   * @throws HmbBadParamError or HmbInvalidMessageError: nothing is sent then.
   */
  private checkSend<T>(
    messages: HmbOutgoing<T> | readonly HmbOutgoing<T>[],
    options: HmbSinkOptions,
  ): HmbCheckedSend<T> {
    checkSinkOptions(options, 'send');
    const list: readonly HmbOutgoing<T>[] = Array.isArray(messages)
      ? messages
      : [messages as HmbOutgoing<T>];
    const format = options.format ?? this.context.format;
    const whole = encodeAsOneBatch<T>(list, format, options);
    if (whole === undefined) for (const m of list) checkSendable(m, format);
    return { list, whole };
  }

  /**
   * How `send` sends one batch: on the publishing session the options name (the client's shared
   * one, or one of its own for `ownSession` or a `cid`), with the client's and the call's retry.
   * The one for the default options is built once (most sends name none).
   */
  private batchSender(options: HmbSinkOptions): HmbBatchSender {
    const make = (): HmbBatchSender =>
      batchSenderFor(
        this.context,
        publishingSessionFor(this.context, this.publisher, options).session,
        this.withClientRetry(options),
        DEFAULT_SEND_ATTEMPTS,
        UNWATCHED,
      );
    return isEmpty(options) ? (this.defaultBatchSender ??= make()) : make();
  }

  /** A sink on this client: the options' retry over the client's, the publishing session shared. */
  private newSink<T>(options: HmbSinkOptions, defaultMaxAttempts: number): HmbSink<T> {
    return new HmbSink<T>(this.context, {
      ...this.withClientRetry(options),
      defaultMaxAttempts,
      shared: this.publisher,
    });
  }

  /** The options with their retry laid over the client's. */
  private withClientRetry(options: HmbSinkOptions): HmbSinkOptions {
    return { ...options, retry: { ...this.options.retry, ...options.retry } };
  }

  /**
   * Sends one message at once, like the Python client's `send_msg(mtype, queue, data, topic)`:
   * see {@link HmbClient.send}.
   *
   * @example
   * ```ts
   * await client.sendMsg('TEST', 'myqueue', { field1: 'value1' });
   * ```
   */
  sendMsg<T = unknown>(
    type: string,
    queue: string,
    data?: T,
    topic?: string,
  ): Promise<HmbSendReceipt> {
    return this.send<T>(outgoingOf(type, queue, data, topic));
  }

  /**
   * The cold Observable form of {@link HmbClient.sendMsg} (see {@link HmbClient.send$}).
   *
   * @example
   * ```ts
   * await lastValueFrom(client.sendMsg$('TEST', 'myqueue', { field1: 'value1' }));
   * ```
   */
  sendMsg$<T = unknown>(
    type: string,
    queue: string,
    data?: T,
    topic?: string,
  ): Observable<HmbSendResult<T>> {
    return this.send$<T>(outgoingOf(type, queue, data, topic));
  }

  /** Releases the connection pool. Subscriptions, sinks and sends still running fail. */
  close(): Promise<void> {
    if (!this.closing.signal.aborted)
      this.closing.abort(new HmbClosedError('the client was closed', { bus: this.busUrl }));
    this.publisher.close();
    return this.context.transport.close();
  }

  private oneShot<R>(call: (signal: AbortSignal) => Promise<R>): Observable<R> {
    const retry: HmbRetryConfig = {
      maxAttempts: DEFAULT_ONE_SHOT_ATTEMPTS,
      ...this.options.retry,
    };
    return defer(() => fromAbortable(call)).pipe(retryWithBackoff(retry));
  }

  /** Whether the server offers /stream: asked once per client, on the first `auto` subscription. */
  private streamOffered(signal: AbortSignal): Promise<boolean> {
    this.streamSupport ??= getJson(this.context, 'features', signal).then(
      (doc) => featuresFromWire(doc).capabilities.includes('STREAM'),
      (error: unknown) => {
        this.streamSupport = undefined;
        throw error;
      },
    );
    return this.streamSupport;
  }

  private streamSupport: Promise<boolean> | undefined;

  /**
   * One subscription, composed from its parts: parameters (`planSubscription`) → cursor (with its
   * persistence) → attempts (`receiveAttempt`) → watchdog → retry → delivery. Its connection
   * states come from one {@link ConnectionStateMachine}.
   */
  private eventStream(
    params: HmbSubscribeParams,
    callOptions: HmbSubscribeOptions,
    method: HmbSubscribeMethod,
  ): Observable<HmbEvent> {
    // `events` delivers everything as events; the others deliver messages and call the callbacks.
    const everyEvent = method === 'events';
    return new Observable<HmbEvent>((subscriber) => {
      let plan: HmbSubscriptionPlan;
      try {
        plan = planSubscription(params, callOptions, method, {
          options: this.options,
          receiveMode: this.receiveMode,
        });
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      const { options } = plan;
      const states = new ConnectionStateMachine(
        this.stateListener(options, everyEvent, subscriber),
      );
      const cursor = this.cursorFor(plan);
      const persistence =
        options.cursor === undefined ? undefined : new CursorPersistence(options.cursor, cursor);
      const flow = new DemandGate(options.demand);
      const silenceMs = silenceLimitMs(plan.params, options);
      const events$ = receiveAttempt(this.context, cursor, {
        source: batchSourceFor(plan.receiveMode, (signal) => this.streamOffered(signal)),
        flow,
        ...(persistence === undefined ? {} : { prepare: () => persistence.load() }),
        report: (input) => states.report(input),
      }).pipe(
        deadLinkWatchdog(silenceMs, this.busUrl, () => flow.waiting, options.scheduler),
        resumeAfterFailures(subscriptionRetry(method, options, this.options.retry), {
          explain: (error) => this.explainFailure(error),
          report: (input) => states.report(input),
          ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
        }),
      );
      const deliver = everyEvent
        ? deliverEveryEvent(subscriber)
        : routeMessagesAndCallbacks(subscriber, options);

      // Every operator here is a hop for each message: the cursor store is loaded inside the
      // attempt (`prepare`), and progress, delivery and saving are done by this one observer.
      const subscription = events$.subscribe({
        next: (event) => {
          states.report(PROGRESS);
          deliver(event);
          if (event.kind === 'message') persistence?.delivered();
        },
        error: (failure: unknown) => {
          const error = this.explainFailure(failure);
          persistence?.flush();
          states.report({ kind: 'ended', error });
          subscriber.error(error);
        },
        complete: () => {
          persistence?.flush();
          states.report({ kind: 'ended' });
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        persistence?.flush();
        // After an end this changes nothing: `closed` was told already.
        states.report({ kind: 'unsubscribed' });
      };
    });
  }

  /**
   * Who hears a subscription's connection states: the session count (for the session-cap
   * error), the `onState` callback, and, for `events`, the stream itself.
   */
  private stateListener(
    options: HmbSubscribeOptions,
    everyEvent: boolean,
    subscriber: Subscriber<HmbEvent>,
  ): (state: HmbConnectionState) => void {
    // Whether this subscription holds an open session now, counted in openSubscriptionSessions.
    let holding = false;
    return (state) => {
      if ((state.type === 'open') !== holding) {
        holding = !holding;
        this.openSubscriptionSessions += holding ? 1 : -1;
      }
      options.onState?.(state);
      if (everyEvent && !subscriber.closed) subscriber.next({ kind: 'state', state });
    };
  }

  /** The memory of one subscription across its sessions. */
  private cursorFor(plan: HmbSubscriptionPlan): SubscriptionCursor {
    const checkFor = this.checkFor();
    return new SubscriptionCursor(plan.params, {
      ...(checkFor === undefined ? {} : { checkFor }),
      waitForQueues: plan.options.waitForQueues === true,
      healGaps: plan.options.healGaps !== false,
      backlogThenLive: plan.options.backlogThenLive === true,
    });
  }

  /** A failure of a subscription, with a session-cap refusal explained (see explainSessionLimit). */
  private explainFailure(error: unknown): unknown {
    return explainSessionLimit(error, {
      subscriptions: this.openSubscriptionSessions,
      publishing: this.publisher.current !== undefined,
    });
  }

  private checkFor():
    ((queue: string, p: HmbQueueParams) => HmbMessageCheck | undefined) | undefined {
    if (this.options.recheck === false) return undefined;
    return (_queue, p) => {
      const topicOk =
        p.topics === undefined || p.topics.length === 0
          ? undefined
          : compileTopicPatterns(p.topics);
      let filterOk: HmbFilterPredicate | undefined;
      if (p.filter !== undefined) {
        try {
          // regex on: if the server took a $regex, it offers REGEX.
          filterOk = compileFilter(p.filter, { regex: true });
        } catch {
          // The server judges the filter (and reports its error); nothing to check again here.
        }
      }
      if (topicOk === undefined && filterOk === undefined) return undefined;
      return (m) =>
        (topicOk === undefined || topicOk(m.topic)) &&
        (filterOk === undefined ||
          filterOk(m as { type: string; sender?: string; data?: unknown }));
    };
  }
}

function outgoingOf<T>(type: string, queue: string, data?: T, topic?: string): HmbOutgoing<T> {
  return {
    type,
    queue,
    ...(data === undefined ? {} : { data }),
    ...(topic === undefined || topic === null ? {} : { topic }),
  };
}

/** Whether an options object names nothing (for...in: no array allocated on every send). */
function isEmpty(options: object): boolean {
  for (const _ in options) return false;
  return true;
}

/** A receipt with one more batch's result counted. */
function addToReceipt<T>(receipt: HmbSendReceipt, result: HmbSendResult<T>): HmbSendReceipt {
  if (result.kind !== 'sent') return { ...receipt, batches: receipt.batches + 1 };
  const n = result.messages.length;
  return {
    sent: receipt.sent + n,
    uncertain: receipt.uncertain + (result.uncertain ? n : 0),
    batches: receipt.batches + 1,
    sid: result.sid,
  };
}

/** What {@link HmbClient.send} makes of its messages before sending (see `checkSend`). */
interface HmbCheckedSend<T> {
  readonly list: readonly HmbOutgoing<T>[];
  readonly whole: HmbSendBatch<HmbOutgoing<T>> | undefined;
}
