import {
  Subject,
  type Observable,
  type Observer,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { HmbBufferFullError } from '../errors/buffer-full-error';
import { HmbClosedError } from '../errors/closed-error';
import { isHmbError } from '../errors/hmb-error';
import { HmbInvalidMessageError } from '../errors/invalid-message-error';
import type { HmbFormat } from '../protocol/hmb-format';
import type { HmbOutgoing } from '../protocol/outgoing';
import { checkSendable, heartbeatSendBody } from '../protocol/outgoing-wire';
import { encodeSendBatch, type HmbSendBatch, type HmbSendBatchMemo } from '../protocol/send-batch';
import { sendBody } from '../session/send-body';
import type { HmbSessionContext } from '../session/session-context';
import { publishingSessionFor, type HmbPublishingSession } from './publishing-session';
import { batchSenderFor, startBatch, type HmbBatchSender } from './send-batch';
import { classifySendFailure } from './send-failure';
import type { HmbSendResult, HmbSinkSummary } from './send-result';
import {
  DEFAULT_SINK_KEEP_ALIVE_SEC,
  DEFAULT_SINK_MAX_BATCH_BYTES,
  DEFAULT_SINK_MAX_BATCH_MESSAGES,
  DEFAULT_SINK_MAX_BUFFERED_MESSAGES,
  type HmbSinkOptions,
} from './sink-options';
import { unrefScheduler } from './unref-scheduler';
import { afterIo } from './after-io';

/** @internal What `HmbClient` gives a sink besides the user's options. */
export interface HmbSinkSetup {
  /** Attempts of one batch when `retry.maxAttempts` names none. */
  readonly defaultMaxAttempts: number;
  /** The client's publishing session, used unless the options ask for a session of the sink's own. */
  readonly shared?: HmbPublishingSession;
}

/**
 * Publishes messages to a bus: an RxJS `Observer`, so any Observable can be piped into it.
 *
 * Messages that arrive while a /send is in flight are batched into the next one (bounded by
 * count and bytes), in order, on the client's publishing session (shared with its other sinks and
 * sends) or, with `ownSession` or a `cid`, on a session of the sink's own. Failures are retried with backoff; a
 * session the server forgot is reopened and the batch sent again. Every message's fate is reported
 * on {@link HmbSink.results} (see {@link HmbSendResult}); {@link HmbSink.done} settles when all of
 * them are known after `complete()` or `error()`.
 *
 * @example
 * ```ts
 * const sink = client.sink();
 * sink.results.subscribe((r) => r.kind !== 'sent' && console.warn(r));
 * alerts$.subscribe(sink);              // each alert: { type, queue, topic?, data }
 * const summary = await sink.done;      // after alerts$ completes
 * ```
 */
export class HmbSink<T = unknown> implements Observer<HmbOutgoing<T>> {
  /**
   * Accepted messages not yet settled are `queue[head…]`. Settled batches only move `head`; the
   * array is cut in bulk now and then, so that sending many small batches from a long queue does
   * not shift the whole array for each one.
   */
  private queue: HmbOutgoing<T>[] = [];
  private head = 0;
  private readonly resultSubject = new Subject<HmbSendResult<T>>();
  private readonly controller = new AbortController();
  private readonly format: HmbFormat;
  private readonly maxBatchMessages: number;
  private readonly maxBatchBytes: number;
  private readonly maxBuffered: number;
  private readonly keepAliveMs: number;
  /** How batches go out: session, format, retries and the scheduler of the waits between them. */
  private readonly sender: HmbBatchSender & { readonly signal: AbortSignal };
  /** Where the keep-alive waits (timers that keep no process alive, unless a test injects one). */
  private readonly idleScheduler: SchedulerLike;
  private state: 'open' | 'ending' | 'closed' = 'open';
  private pumping = false;
  private pumpScheduled = false;
  private readonly publisher: HmbPublishingSession;
  /** Whether {@link publisher} is this sink's own (closed with it) rather than the client's. */
  private readonly ownsPublisher: boolean;
  private keepAliveWait: Subscription | undefined;
  /** The batch being sent: its attempts, and how to settle the wait for them (see abort()). */
  private inFlight: { subscription: Subscription | undefined; settle: () => void } | undefined;
  /** How many of the oldest queued messages are in a /send request on the wire right now. */
  private onTheWire = 0;
  /** Messages in the batch being sent (on the wire while one of its /sends is). */
  private batchSize = 0;
  /** How large the last batch was, for the way the next one is encoded (see encodeSendBatch). */
  private readonly batchMemo: HmbSendBatchMemo = { jsonBytesPerMessage: 0 };
  private resolveDone!: (summary: HmbSinkSummary) => void;
  private readonly counts = {
    sent: 0,
    uncertain: 0,
    failed: 0,
    unknown: 0,
    refused: 0,
    requests: 0,
  };

  /** Every message's fate, as it becomes known. Hot: subscribe before sending. */
  readonly results: Observable<HmbSendResult<T>> = this.resultSubject.asObservable();
  /**
   * Settles, after `complete()`, `error()` or `abort()`, once every message's fate is known. Every
   * batch is given up after its attempts run out (see `retry.maxAttempts`), so `done` settles also
   * when the bus stays down.
   */
  readonly done: Promise<HmbSinkSummary>;
  /** Why the sink was ended with `error()`, if it was. */
  endedWith: unknown;

  /** @internal Created by `HmbClient.sink()`. */
  constructor(
    private readonly context: HmbSessionContext,
    options: HmbSinkOptions & HmbSinkSetup,
  ) {
    this.format = options.format ?? context.format;
    const { session, own } = publishingSessionFor(context, options.shared, options);
    this.publisher = session;
    this.ownsPublisher = own;
    this.maxBatchMessages = Math.max(
      1,
      options.maxBatchMessages ?? DEFAULT_SINK_MAX_BATCH_MESSAGES,
    );
    this.maxBatchBytes = Math.max(1, options.maxBatchBytes ?? DEFAULT_SINK_MAX_BATCH_BYTES);
    this.maxBuffered = Math.max(
      1,
      options.maxBufferedMessages ?? DEFAULT_SINK_MAX_BUFFERED_MESSAGES,
    );
    this.keepAliveMs = (options.keepAliveSec ?? DEFAULT_SINK_KEEP_ALIVE_SEC) * 1000;
    this.idleScheduler = options.scheduler ?? unrefScheduler;
    this.sender = batchSenderFor(context, this.publisher, options, options.defaultMaxAttempts, {
      // Every attempt runs under the sink's own signal: abort() ends the request in flight, and
      // no batch pays for a controller of its own (an AbortSignal per request was the largest
      // cost of a sink sending small batches).
      signal: this.controller.signal,
      onTheWire: (sending) => {
        if (sending) this.counts.requests++;
        this.onTheWire = sending ? this.batchSize : 0;
      },
    });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Messages accepted and not yet sent or given up. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /**
   * Accepts one message for sending. An invalid one, or one beyond the buffer, is refused (see
   * `results`); so is one given after `complete()`, `error()` or `abort()` while `done` has not
   * settled yet.
   *
   * @throws HmbClosedError when `done` has already settled: no one is listening to `results` any
   *   more, and a message must not vanish without a word. Make a new sink.
   */
  next(message: HmbOutgoing<T>): void {
    if (!this.accepting(message)) return;
    try {
      // Checked now, encoded when its batch goes out (into the body directly: no copy per message).
      checkSendable(message, this.format);
    } catch (error) {
      const invalid = isHmbError(error, 'HMB_ERR_INVALID_MESSAGE')
        ? (error as HmbInvalidMessageError)
        : new HmbInvalidMessageError(String(error), message, { cause: error });
      this.refuse(message, invalid);
      return;
    }
    this.enqueue(message);
  }

  /**
   * @internal Accepts one message that the caller has already checked in this sink's format
   * (`HmbClient.send` checks every message before sending any), so it is not checked twice.
   */
  nextChecked(message: HmbOutgoing<T>): void {
    if (this.accepting(message)) this.enqueue(message);
  }

  /** Whether the sink still takes messages; a message it does not take is refused or thrown. */
  private accepting(message: HmbOutgoing<T>): boolean {
    if (this.state === 'closed') {
      throw new HmbClosedError(
        `the sink has finished (done settled): message for queue ${JSON.stringify(message?.queue)} not sent; make a new sink`,
        { bus: this.context.endpoint.busUrl },
      );
    }
    if (this.state !== 'open') {
      this.refuse(
        message,
        new HmbClosedError('the sink is closed: message refused', {
          bus: this.context.endpoint.busUrl,
        }),
      );
      return false;
    }
    return true;
  }

  private enqueue(message: HmbOutgoing<T>): void {
    if (this.pending >= this.maxBuffered) {
      this.refuse(
        message,
        new HmbBufferFullError(
          `the sink holds ${this.maxBuffered} unsent messages: message refused`,
          message,
          {
            bus: this.context.endpoint.busUrl,
            queue: message.queue,
          },
        ),
      );
      return;
    }
    this.queue.push(message);
    this.schedulePump();
  }

  /** Sends what is buffered, then ends. */
  complete(): void {
    if (this.state !== 'open') return;
    this.state = 'ending';
    this.schedulePump();
  }

  /** Ends like `complete()` (what was accepted is still sent) and records why. */
  error(reason: unknown): void {
    if (this.state !== 'open') return;
    this.endedWith = reason;
    this.complete();
  }

  /**
   * Ends at once: the request in flight is aborted and its batch reported as `unknown` (it may have
   * reached the server before the abort); every message not yet sent is reported as `failed`.
   */
  abort(): void {
    if (this.state === 'closed') return;
    this.state = 'ending';
    // The batch on the wire is left to what follows here (reported as unknown): its attempts stop
    // before the abort below fails their request.
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    inFlight?.subscription?.unsubscribe();
    inFlight?.settle();
    this.controller.abort(new HmbClosedError('the sink was aborted'));
    if (this.ownsPublisher) this.publisher.close();
    const onTheWire = this.queue.slice(this.head, this.head + this.onTheWire);
    const dropped = this.queue.slice(this.head + this.onTheWire);
    this.queue = [];
    this.head = 0;
    if (onTheWire.length > 0) {
      this.emit({
        kind: 'unknown',
        messages: onTheWire,
        error: new HmbClosedError(
          'the sink was aborted while these messages were being sent: the server may have stored them',
        ),
      });
    }
    if (dropped.length > 0) {
      this.emit({
        kind: 'failed',
        messages: dropped,
        error: new HmbClosedError('the sink was aborted before these messages were sent'),
      });
    }
    if (!this.pumping) this.finish();
  }

  private refuse(
    message: HmbOutgoing<T>,
    error: HmbInvalidMessageError | HmbBufferFullError | HmbClosedError,
  ): void {
    this.emit({ kind: 'refused', message, error });
  }

  private emit(result: HmbSendResult<T>): void {
    switch (result.kind) {
      case 'sent':
        this.counts.sent += result.messages.length;
        if (result.uncertain) this.counts.uncertain += result.messages.length;
        break;
      case 'failed':
        this.counts.failed += result.messages.length;
        break;
      case 'unknown':
        this.counts.unknown += result.messages.length;
        break;
      case 'refused':
        this.counts.refused += 1;
        break;
    }
    this.resultSubject.next(result);
  }

  private schedulePump(): void {
    // Wait one microtask, so that messages given in one synchronous burst go out as one batch. Not
    // a wait in time (no scheduler): it ends with the caller's synchronous code, whatever the clock.
    if (this.pumpScheduled || this.pumping) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    this.stopKeepAlive();
    try {
      let batch = this.settleRefusals(this.encodeFrom(this.head));
      while (!this.controller.signal.aborted && (batch.messages.length > 0 || this.pending > 0)) {
        if (batch.messages.length === 0) {
          batch = this.settleRefusals(this.encodeFrom(this.head));
          continue;
        }
        const sending = this.sendBatch(batch);
        const ahead = await this.encodeAhead(batch.messages.length);
        await sending;
        batch =
          ahead !== undefined && this.stillNext(ahead)
            ? this.settleRefusals(ahead)
            : this.settleRefusals(this.encodeFrom(this.head));
      }
    } finally {
      this.pumping = false;
      if (this.state === 'ending' && (this.pending === 0 || this.controller.signal.aborted))
        this.finish();
      else if (this.pending > 0) this.schedulePump();
      else this.startKeepAlive();
    }
  }

  /**
   * While a batch is on the wire, encodes the one after it, so that the bus stores one batch while
   * the client encodes the next (a sender that encodes only after each answer leaves one of them
   * idle at any time). Only a full batch is encoded ahead: messages that arrive during the request
   * then still join the next batch rather than a smaller one. It waits for the I/O phase first, so
   * that the request is on its socket before the encoding takes the thread.
   */
  private async encodeAhead(inFlight: number): Promise<HmbSendBatch<HmbOutgoing<T>> | undefined> {
    if (this.pending - inFlight < this.maxBatchMessages) return undefined;
    const batch = this.inFlight;
    await afterIo();
    // Answered already (or aborted): the next batch is encoded as usual, after the settling.
    if (this.inFlight !== batch || batch === undefined || this.controller.signal.aborted)
      return undefined;
    if (this.pending - inFlight < this.maxBatchMessages) return undefined;
    return this.encodeFrom(this.head + inFlight);
  }

  /** Whether a batch encoded ahead still starts where the queue's unsettled messages now start. */
  private stillNext(batch: HmbSendBatch<HmbOutgoing<T>>): boolean {
    const first = batch.refused[0]?.message ?? batch.messages[0];
    return first !== undefined && this.queue[this.head] === first;
  }

  /** Encodes the next batch from `queue[start…]`. */
  private encodeFrom(start: number): HmbSendBatch<HmbOutgoing<T>> {
    return encodeSendBatch(
      this.queue,
      start,
      this.queue.length,
      { maxMessages: this.maxBatchMessages, maxBytes: this.maxBatchBytes },
      this.format,
      this.batchMemo,
    );
  }

  /**
   * Reports the messages at the head of a batch that failed their check as it was encoded (only a
   * message changed after next() accepted it can), and removes them: they settle before the batch.
   */
  private settleRefusals(batch: HmbSendBatch<HmbOutgoing<T>>): HmbSendBatch<HmbOutgoing<T>> {
    if (batch.refused.length > 0) {
      this.dropSettled(batch.refused.length);
      for (const { message, error } of batch.refused) this.refuse(message, error);
    }
    return batch;
  }

  /** Drops the `n` oldest messages (a settled batch). */
  private dropSettled(n: number): void {
    // After abort() the queue is already empty.
    this.head = Math.min(this.head + n, this.queue.length);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Sends one batch until it is sent or given up ({@link startBatch}), and settles it: removed from
   * the queue, its result reported. After `abort()` the batch is left to `abort()`, which has
   * reported it already.
   */
  private sendBatch(batch: HmbSendBatch<HmbOutgoing<T>>): Promise<void> {
    const { messages } = batch;
    this.batchSize = messages.length;
    return new Promise((resolve, reject) => {
      const inFlight = { subscription: undefined as Subscription | undefined, settle: resolve };
      this.inFlight = inFlight;
      inFlight.subscription = startBatch(
        batch,
        this.sender,
        (result) => {
          if (this.inFlight !== inFlight) return;
          this.inFlight = undefined;
          this.dropSettled(messages.length);
          this.emit(result);
          resolve();
        },
        (error: unknown) => {
          if (this.inFlight !== inFlight) return;
          this.inFlight = undefined;
          reject(error as Error);
        },
      );
    });
  }

  private startKeepAlive(): void {
    if (this.keepAliveMs <= 0 || this.state !== 'open' || this.publisher.current === undefined)
      return;
    // A heartbeat that ends while a batch is being sent would otherwise leave a second wait.
    this.stopKeepAlive();
    this.keepAliveWait = this.idleScheduler.schedule(() => {
      this.keepAliveWait = undefined;
      const sid = this.publisher.current;
      if (sid === undefined || this.pumping || this.state !== 'open') return;
      sendBody(
        this.context,
        sid,
        heartbeatSendBody(this.format),
        this.format,
        this.controller.signal,
      ).then(
        () => this.startKeepAlive(),
        (error: unknown) => {
          // A forgotten session is simply reopened with the next message.
          if (classifySendFailure(error) === 'session-lost') this.publisher.forget(sid);
          this.startKeepAlive();
        },
      );
    }, this.keepAliveMs);
  }

  private stopKeepAlive(): void {
    this.keepAliveWait?.unsubscribe();
    this.keepAliveWait = undefined;
  }

  private finish(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopKeepAlive();
    this.resultSubject.complete();
    this.resolveDone({ ...this.counts });
  }
}
