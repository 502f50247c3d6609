import {
  asyncScheduler,
  catchError,
  defer,
  of,
  Subscription,
  throwError,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { HmbError } from '../errors/hmb-error';
import { HmbSendError } from '../errors/send-error';
import { retryClassified, type HmbRetryConfig } from '../session/retry-with-backoff';
import type { HmbFormat } from '../protocol/hmb-format';
import type { HmbOutgoing } from '../protocol/outgoing';
import { fromAbortable } from '../session/from-abortable';
import { sendBody } from '../session/send-body';
import type { HmbSessionContext } from '../session/session-context';
import type { HmbPublishingSession } from './publishing-session';
import { classifySendFailure, sendRetryDecision } from './send-failure';
import type { HmbSendResult } from './send-result';
import type { HmbSinkOptions, HmbUncertainPolicy } from './sink-options';

/** @internal A batch ready to go: its messages, in order, and their /send body. */
export interface HmbOutgoingBatch<T> {
  readonly messages: readonly HmbOutgoing<T>[];
  readonly body: string | Uint8Array;
}

/** @internal Where and how a sink sends its batches. */
export interface HmbBatchSender {
  readonly context: HmbSessionContext;
  readonly publisher: HmbPublishingSession;
  readonly format: HmbFormat;
  /** Backoff between attempts and their number (`maxAttempts` set by the sink). */
  readonly retry: HmbRetryConfig;
  readonly uncertain: HmbUncertainPolicy;
  /** Where the waits between attempts run (a virtual-time scheduler in tests). */
  readonly scheduler: SchedulerLike;
  /** Told `true` when a /send of the batch goes on the wire, `false` when it is over. */
  readonly onTheWire: (sending: boolean) => void;
  /**
   * When given, every attempt runs under this signal instead of a controller of its own, and
   * unsubscribing does not abort the request in flight: for callers that never unsubscribe before
   * the result (a Promise), to whom an AbortSignal per attempt was pure cost.
   */
  readonly signal?: AbortSignal;
}

/**
 * @internal How batches go out with the given sink/send options: on `publisher`, in the options'
 * format (default the context's), with their retry (`maxAttempts` default `defaultMaxAttempts`),
 * uncertain policy and scheduler.
 */
export function batchSenderFor<
  E extends Pick<HmbBatchSender, 'onTheWire'> & { readonly signal?: AbortSignal },
>(
  context: HmbSessionContext,
  publisher: HmbPublishingSession,
  options: HmbSinkOptions,
  defaultMaxAttempts: number,
  extra: E,
): HmbBatchSender & E {
  return {
    context,
    publisher,
    format: options.format ?? context.format,
    retry: { maxAttempts: defaultMaxAttempts, ...options.retry },
    uncertain: options.uncertain ?? 'resend',
    scheduler: options.scheduler ?? asyncScheduler,
    ...extra,
  };
}

/** For a sender whose caller does not watch when its requests are on the wire. */
export const UNWATCHED: Pick<HmbBatchSender, 'onTheWire'> = { onTheWire: () => undefined };

/**
 * Sends one batch until its fate is known: a cold Observable of the one result (`sent`, `failed`
 * or, under the `report` policy, `unknown`), then complete. Each attempt takes the publishing
 * session (opening one when there is none) and makes one /send; whether a failed attempt is
 * repeated, and after which wait, is {@link sendRetryDecision}'s call, on the shared backoff.
 * Unsubscribing aborts the request or the wait: the sink then reports the batch itself.
 */
export function sendBatch<T>(
  batch: HmbOutgoingBatch<T>,
  sender: HmbBatchSender,
): Observable<HmbSendResult<T>> {
  return defer(() => withRetries(batch, sender, new BatchAttempts(batch, sender), undefined));
}

/**
 * {@link startBatch} as a Promise, for a caller that cannot cancel (its attempts run under
 * `signal`). A one-message `send()` that succeeds at once (nearly all of them) thus builds no
 * Observable chain at all.
 */
export function sendBatchNow<T>(
  batch: HmbOutgoingBatch<T>,
  sender: HmbBatchSender,
  signal: AbortSignal,
): Promise<HmbSendResult<T>> {
  return new Promise((resolve, reject) => {
    startBatch(batch, { ...sender, signal }, resolve, reject);
  });
}

/**
 * {@link sendBatch} for a caller that takes its result by callback and runs every attempt under
 * `sender.signal` (a sink): the first attempt is made directly, and only a failed one goes on to
 * the retries, on the same backoff and decisions. A batch that goes out at once (nearly all of
 * them) thus builds no Observable chain. Unsubscribing the returned subscription stops the
 * retries; the request in flight stops with the signal.
 */
export function startBatch<T>(
  batch: HmbOutgoingBatch<T>,
  sender: HmbBatchSender & { readonly signal: AbortSignal },
  onResult: (result: HmbSendResult<T>) => void,
  onError: (error: unknown) => void,
): Subscription {
  const attempts = new BatchAttempts(batch, sender);
  const retries = new Subscription();
  attempts.attempt(sender.signal).then(onResult, (error: unknown) => {
    if (retries.closed) return;
    retries.add(
      withRetries(batch, sender, attempts, { error }).subscribe({
        next: onResult,
        error: onError,
      }),
    );
  });
  return retries;
}

/** The attempts of one batch so far, and how to make the next one. */
class BatchAttempts<T> {
  count = 0;
  /** Set once an attempt failed after its request may have reached the server. */
  uncertain = false;

  constructor(
    private readonly batch: HmbOutgoingBatch<T>,
    private readonly sender: HmbBatchSender,
  ) {}

  /** One /send of the batch on the publishing session (opened first if there is none). */
  readonly attempt = async (signal: AbortSignal): Promise<HmbSendResult<T>> => {
    const { sender } = this;
    this.count++;
    let sid: string | undefined;
    try {
      // No await while the session is open (nearly always): one promise less per /send.
      sid = sender.publisher.current ?? (await sender.publisher.acquire(signal));
      sender.onTheWire(true);
      try {
        await sendBody(sender.context, sid, this.batch.body, sender.format, signal);
      } finally {
        sender.onTheWire(false);
      }
      const { messages } = this.batch;
      return { kind: 'sent', messages, sid, attempts: this.count, uncertain: this.uncertain };
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure === 'session-lost' && sid !== undefined) sender.publisher.forget(sid);
      if (failure === 'uncertain') this.uncertain = true;
      throw error;
    }
  };
}

/**
 * The attempts of a batch with their retries, ending in its result. `failed`: an attempt already
 * made and failed, replayed first so that the retries decide about it as about any other.
 */
function withRetries<T>(
  batch: HmbOutgoingBatch<T>,
  sender: HmbBatchSender,
  attempts: BatchAttempts<T>,
  failed: { readonly error: unknown } | undefined,
): Observable<HmbSendResult<T>> {
  const { messages } = batch;
  const { signal } = sender;
  let replay = failed;
  const attempt$ = defer(() => {
    if (replay !== undefined) {
      const { error } = replay;
      replay = undefined;
      return throwError(() => error);
    }
    return signal === undefined ? fromAbortable(attempts.attempt) : attempts.attempt(signal);
  });
  return attempt$.pipe(
    retryClassified<HmbSendResult<T>>(
      sender.retry,
      (error, failures) =>
        sendRetryDecision(classifySendFailure(error), failures, sender.uncertain),
      { scheduler: sender.scheduler },
    ),
    catchError((error: unknown) => {
      const givenUp = sendError(sender, messages, error, attempts.count);
      return of<HmbSendResult<T>>(
        sender.uncertain === 'report' && classifySendFailure(error) === 'uncertain'
          ? { kind: 'unknown', messages, error: givenUp }
          : { kind: 'failed', messages, error: givenUp },
      );
    }),
  );
}

function sendError(
  sender: HmbBatchSender,
  messages: readonly HmbOutgoing[],
  cause: unknown,
  attempts: number,
): HmbError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const sid = sender.publisher.current;
  return new HmbSendError(
    `${messages.length} message(s) not confirmed after ${attempts} attempt(s): ${reason}`,
    messages,
    { cause, bus: sender.context.endpoint.busUrl, ...(sid === undefined ? {} : { sid }) },
  );
}
